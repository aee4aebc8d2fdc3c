/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctl_rpc.c - JSON-RPC method handlers over the switch model.
 *
 * Each handler checks its params, calls into bridge.c (which keeps the
 * "a failed request changes nothing" order), and builds its result.
 */
#include "control/ctl_rpc.h"
#include "control/tunnel.h"

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/bridge.h"
#include "control/ofagent.h"
#include "control/rpc.h"
#include "control/vlan_conf.h"
#include "datapath/dp.h"
#include "datapath/fdb.h"
#include "protocols/openflow/of_wire.h"

#define ERR_SIZE 256

/* A failed call: code and message. */
struct rpc_err {
	int code;           /* enum rpc_code */
	char msg[ERR_SIZE]; /* one line */
};

typedef json_t *rpc_fn(struct ctl_switch *sw, const json_t *params, struct rpc_err *e);

static json_t *rpc_fail(struct rpc_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static json_t *
rpc_fail(struct rpc_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	return NULL;
}

/* Maps a bridge.c failure onto a JSON-RPC code. */
static json_t *
rpc_fail_errno(struct rpc_err *e, int ret, const char *msg)
{
	int code =
	    (ret == -EINVAL || ret == -EEXIST || ret == -ENOENT) ? RPC_BAD_PARAMS : RPC_FAILED;

	return rpc_fail(e, code, "%s", msg);
}

static const char *
param_str(const json_t *params, const char *key)
{
	return json_string_value(json_object_get(params, key));
}

static bool
param_bool(const json_t *params, const char *key)
{
	return json_is_true(json_object_get(params, key));
}

/* The bridge named by params.bridge, or NULL with 'e' set. */
static struct ctl_bridge *
param_bridge(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *name = param_str(params, "bridge");
	struct ctl_bridge *br;

	if (name == NULL) {
		rpc_fail(e, RPC_BAD_PARAMS, "missing bridge name");
		return NULL;
	}
	br = ctl_bridge_find(sw, name);
	if (br == NULL) {
		rpc_fail(e, RPC_BAD_PARAMS, "no bridge named %s", name);
	}
	return br;
}

static json_t *
rpc_add_br(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *name = param_str(params, "bridge");
	char err[ERR_SIZE];
	int ret;

	if (name == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "missing bridge name");
	}
	if (param_bool(params, "may_exist") && ctl_bridge_find(sw, name) != NULL) {
		return json_object();
	}
	ret = ctl_bridge_add(sw, name, err, sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static json_t *
rpc_del_br(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *name = param_str(params, "bridge");
	char err[ERR_SIZE];
	int ret;

	if (name == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "missing bridge name");
	}
	if (param_bool(params, "if_exists") && ctl_bridge_find(sw, name) == NULL) {
		return json_object();
	}
	ret = ctl_bridge_del(sw, name, err, sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static int
rpc_cmp_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
		      json_string_value(*(json_t *const *)b));
}

/* Sorts an array of strings in place. */
static json_t *
rpc_sorted(json_t *arr)
{
	size_t n = json_array_size(arr), i;
	json_t **v = calloc(n + 1, sizeof(*v));
	json_t *out = json_array();

	for (i = 0; i < n; i++) {
		v[i] = json_array_get(arr, i);
	}
	qsort(v, n, sizeof(*v), rpc_cmp_str);
	for (i = 0; i < n; i++) {
		json_array_append(out, v[i]);
	}
	free(v);
	json_decref(arr);
	return out;
}

static json_t *
rpc_list_br(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	json_t *names = json_array();
	unsigned i;

	(void)params;
	(void)e;
	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] != NULL) {
			json_array_append_new(names, json_string(sw->bridges[i]->name));
		}
	}
	return json_pack("{s:o}", "bridges", rpc_sorted(names));
}

static json_t *
rpc_add_port(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const char *name = param_str(params, "port");
	const json_t *options = json_object_get(params, "options");
	struct ctl_port *existing;
	char err[ERR_SIZE];
	uint16_t ofport;
	int ret;

	if (br == NULL) {
		return NULL;
	}
	if (name == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "missing port name");
	}
	existing = ctl_port_find(sw, name);
	if (param_bool(params, "may_exist") && existing != NULL && existing->bridge == br) {
		return json_pack("{s:i}", "ofport", (json_int_t)existing->ofport);
	}
	if (options != NULL && !json_is_object(options)) {
		return rpc_fail(e, RPC_BAD_PARAMS, "options must be an object of strings");
	}
	ret = ctl_port_add(sw, br, name, param_str(params, "type"), options, &ofport, err,
			   sizeof(err));
	if (ret < 0) {
		return rpc_fail_errno(e, ret, err);
	}
	return json_pack("{s:i}", "ofport", (json_int_t)ofport);
}

static json_t *
rpc_del_port(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *name = param_str(params, "port");
	const char *brname = param_str(params, "bridge");
	struct ctl_port *p;
	char err[ERR_SIZE];
	int ret;

	if (name == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "missing port name");
	}
	if (brname != NULL && param_bridge(sw, params, e) == NULL) {
		return NULL;
	}
	p = ctl_port_find(sw, name);
	if (p == NULL || (brname != NULL && strcmp(p->bridge->name, brname) != 0)) {
		if (param_bool(params, "if_exists")) {
			return json_object();
		}
		return brname != NULL
			   ? rpc_fail(e, RPC_BAD_PARAMS, "bridge %s has no port %s", brname, name)
			   : rpc_fail(e, RPC_BAD_PARAMS, "no port named %s", name);
	}
	ret = ctl_port_del(sw, p, err, sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static json_t *
rpc_list_ports(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	json_t *names;
	unsigned i;

	if (br == NULL) {
		return NULL;
	}
	names = json_array();
	for (i = 1; i < br->n_ports; i++) {
		json_array_append_new(names, json_string(br->ports[i]->name));
	}
	return json_pack("{s:o}", "ports", rpc_sorted(names));
}

/* Changes the VLAN settings of port 'record' (see ctl_port_set_vlan()). */
static json_t *
rpc_port_vlan(struct ctl_switch *sw, const char *record, const json_t *values, const char *column,
	      bool remove, struct rpc_err *e)
{
	struct ctl_port *p = ctl_port_find(sw, record);
	const char *key;
	json_t *val;
	size_t i;
	char err[ERR_SIZE];
	int ret;

	if (p == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "no port named %s", record);
	}
	if (remove ? !json_is_array(values) : json_object_size(values) == 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "nothing to change");
	}
	json_object_foreach ((json_t *)(remove ? NULL : values), key, val) {
		if (!json_is_string(val)) {
			return rpc_fail(e, RPC_BAD_PARAMS, "value of '%s' must be a string", key);
		}
	}
	json_array_foreach ((json_t *)(remove ? values : NULL), i, val) {
		if (!json_is_string(val)) {
			return rpc_fail(e, RPC_BAD_PARAMS, "values must be strings");
		}
	}
	ret = ctl_port_set_vlan(sw, p, values, column, remove, err, sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

/* clear TABLE RECORD COLUMN...: the columns back to their defaults, at once. */
static json_t *
rpc_clear(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *table = param_str(params, "table");
	const char *record = param_str(params, "record");
	const json_t *columns = json_object_get(params, "columns");

	if (table == NULL || record == NULL || !json_is_array(columns) ||
	    json_array_size(columns) == 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "clear needs a table, a record and columns");
	}
	if (strcmp(table, "port") != 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "nothing of table '%s' can be cleared", table);
	}
	return rpc_port_vlan(sw, record, columns, NULL, true, e);
}

/* remove TABLE RECORD COLUMN [VALUE...] */
static json_t *
rpc_remove(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *table = param_str(params, "table");
	const char *record = param_str(params, "record");
	const char *column = param_str(params, "column");
	const json_t *values = json_object_get(params, "values");

	if (table == NULL || record == NULL || column == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "remove needs a table, a record and a column");
	}
	if (strcmp(table, "port") != 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "nothing of table '%s' can be removed", table);
	}
	if (values == NULL) {
		json_t *none = json_array(), *r = rpc_port_vlan(sw, record, none, column, true, e);

		json_decref(none);
		return r;
	}
	return rpc_port_vlan(sw, record, values, column, true, e);
}

static json_t *
rpc_set(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *table = param_str(params, "table");
	const char *record = param_str(params, "record");
	const json_t *values = json_object_get(params, "values");
	struct ctl_bridge *br;
	const char *key;
	json_t *val;
	char err[ERR_SIZE];
	int ret;

	if (table == NULL || record == NULL || !json_is_object(values)) {
		return rpc_fail(e, RPC_BAD_PARAMS, "set needs a table, a record and values");
	}
	if (strcmp(table, "port") == 0) {
		return rpc_port_vlan(sw, record, values, NULL, false, e);
	}
	if (strcmp(table, "bridge") != 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "nothing of table '%s' can be set yet", table);
	}
	br = ctl_bridge_find(sw, record);
	if (br == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "no bridge named %s", record);
	}
	if (json_object_size(values) != 1) {
		return rpc_fail(e, RPC_BAD_PARAMS, "set one bridge setting at a time");
	}
	json_object_foreach ((json_t *)values, key, val) {
		if (!json_is_string(val)) {
			return rpc_fail(e, RPC_BAD_PARAMS, "value of '%s' must be a string", key);
		}
		ret = ctl_bridge_set(sw, br, key, json_string_value(val), err, sizeof(err));
		if (ret < 0) {
			return rpc_fail_errno(e, ret, err);
		}
	}
	return json_object();
}

/* The VLAN columns of a port, as ovs-vsctl shows them: tag, trunks, mode. */
static void
rpc_vlan_json(json_t *o, const json_t *vlan)
{
	struct vlan_port vp;
	const json_t *v;
	char err[ERR_SIZE];

	if (json_object_size(vlan) == 0 || ctl_vlan_parse(vlan, &vp, err, sizeof(err)) < 0) {
		return;
	}
	if ((v = json_object_get(vlan, "tag")) != NULL) {
		json_object_set(o, "tag", (json_t *)v);
	}
	if ((v = json_object_get(vlan, "trunks")) != NULL) {
		json_object_set(o, "trunks", (json_t *)v);
	}
	json_object_set_new(o, "vlan_mode", json_string(ctl_vlan_mode_name(vp.mode)));
	if ((v = json_object_get(vlan, "cvlans")) != NULL) {
		json_object_set(o, "cvlans", (json_t *)v);
	}
	if (vp.mode == VLAN_MODE_DOT1Q_TUNNEL) {
		json_object_set_new(
		    o, "qinq_ethtype",
		    json_string(vp.qinq_tpid == VLAN_TPID_8021Q ? "802.1q" : "802.1ad"));
	}
}

static json_t *
rpc_port_json(struct ctl_switch *sw, const struct ctl_port *p)
{
	struct dp_port_info info;
	char sock[CTL_SOCKET_PATH_SIZE + 64];
	json_t *o = json_object();
	uint8_t mac[6];
	char smac[18];

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "ofport", json_integer(p->ofport));
	json_object_set_new(o, "type", json_string(ctl_port_type_name(p->type)));
	if (p->has_mac || (p->dp_idx != DP_PORT_NONE && dp_port_mac(sw->dp, p->dp_idx, mac) == 0)) {
		ctl_format_mac(p->has_mac ? p->mac : mac, smac);
		json_object_set_new(o, "mac", json_string(smac));
	}
	json_object_set_new(
	    o, "link",
	    json_string(p->dp_idx != DP_PORT_NONE && dp_port_link_up(sw->dp, p->dp_idx) ? "up"
											: "down"));
	rpc_vlan_json(o, p->vlan);
	if (p->dp_idx != DP_PORT_NONE && dp_port_info(sw->dp, p->dp_idx, &info) == 0 &&
	    info.is_vhost) {
		ctl_port_socket(sw, p, sock, sizeof(sock));
		json_object_set_new(o, "socket", json_string(sock));
		json_object_set_new(o, "queues",
				    json_pack("{s:i, s:i, s:i}", "max", (json_int_t)info.n_rxq,
					      "rx", (json_int_t)info.n_rxq_on, "tx",
					      (json_int_t)info.n_txq_on));
	}
	json_object_set(o, "options", p->options);
	if (p->type == CTL_PORT_VXLAN && p->dp_idx != DP_PORT_NONE) {
		json_object_set_new(o, "tunnel", ctl_tnl_port_json(sw, p));
	}
	if (p->error[0] != '\0') {
		json_object_set_new(o, "error", json_string(p->error));
	}
	return o;
}

static json_t *
rpc_show(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	json_t *list = rpc_list_br(sw, params, e);
	json_t *bridges = json_array();
	json_t *name;
	size_t i;
	unsigned j;
	char mac[18], dpid[17];

	json_array_foreach (json_object_get(list, "bridges"), i, name) {
		const struct ctl_bridge *br = ctl_bridge_find(sw, json_string_value(name));
		json_t *ports = json_array();

		for (j = 0; j < br->n_ports; j++) {
			json_array_append_new(ports, rpc_port_json(sw, br->ports[j]));
		}
		ctl_format_mac(br->mac, mac);
		snprintf(dpid, sizeof(dpid), "%016" PRIx64, ctl_bridge_dpid(br));
		json_array_append_new(bridges,
				      json_pack("{s:s, s:s, s:i, s:s, s:o, s:s, s:o}", "name",
						br->name, "mac", mac, "mac_aging_time",
						(json_int_t)br->mac_aging_time, "datapath_id", dpid,
						"controllers", ofagent_controllers_json(br->of),
						"fail_mode", br->fail_mode, "ports", ports));
	}
	json_decref(list);
	return json_pack("{s:o}", "bridges", bridges);
}

/* One fdb/show row. */
struct rpc_fdb_row {
	uint16_t ofport;       /* port number */
	uint16_t vlan;         /* VLAN */
	uint8_t mac[6];        /* MAC */
	const char *port_name; /* port name, borrowed */
	uint64_t age;          /* seconds since last seen */
	bool is_static;        /* static entry */
};

static int
rpc_cmp_fdb(const void *a, const void *b)
{
	const struct rpc_fdb_row *x = a, *y = b;

	if (x->ofport != y->ofport) {
		return x->ofport < y->ofport ? -1 : 1;
	}
	if (x->vlan != y->vlan) {
		return x->vlan < y->vlan ? -1 : 1;
	}
	return memcmp(x->mac, y->mac, 6);
}

static json_t *
rpc_fdb_show(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const struct fdb *fdb = dp_fdb(sw->dp);
	struct rpc_fdb_row *rows;
	uint64_t now = dp_now(), hz = dp_hz();
	json_t *entries;
	uint32_t i, n = 0;
	char mac[18];

	if (br == NULL) {
		return NULL;
	}
	rows = calloc(fdb_count(fdb) + 1, sizeof(*rows));
	for (i = 0; i < fdb_capacity(fdb) && n < fdb_count(fdb); i++) {
		const struct fdb_entry *fe = fdb_entry_at(fdb, i);
		const struct ctl_port *p = fe != NULL ? ctl_port_by_dp(sw, fe->port) : NULL;

		if (fe == NULL || fe->bridge != br->idx || p == NULL) {
			continue;
		}
		rows[n] = (struct rpc_fdb_row){
		    .ofport = p->ofport,
		    .vlan = fe->vlan,
		    .port_name = p->name,
		    .age = fe->is_static || now < fe->used ? 0 : (now - fe->used) / hz,
		    .is_static = fe->is_static,
		};
		memcpy(rows[n++].mac, fe->mac, 6);
	}
	qsort(rows, n, sizeof(*rows), rpc_cmp_fdb);
	entries = json_array();
	for (i = 0; i < n; i++) {
		ctl_format_mac(rows[i].mac, mac);
		json_array_append_new(
		    entries, json_pack("{s:i, s:s, s:i, s:s, s:I, s:b}", "port",
				       (json_int_t)rows[i].ofport, "port_name", rows[i].port_name,
				       "vlan", (json_int_t)rows[i].vlan, "mac", mac, "age",
				       (json_int_t)rows[i].age, "static", rows[i].is_static));
	}
	free(rows);
	return json_pack("{s:o}", "entries", entries);
}

/* The VLAN and MAC of an fdb/add or fdb/del, or -1 with 'e' set. */
static int
param_vlan_mac(const json_t *params, uint16_t *vlan, uint8_t mac[6], struct rpc_err *e)
{
	const json_t *v = json_object_get(params, "vlan");
	const char *smac = param_str(params, "mac");

	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 4095) {
		rpc_fail(e, RPC_BAD_PARAMS, "bad VLAN (0..4095)");
		return -1;
	}
	if (smac == NULL || ctl_parse_mac(smac, mac) < 0) {
		rpc_fail(e, RPC_BAD_PARAMS, "bad MAC address '%s'", smac != NULL ? smac : "");
		return -1;
	}
	*vlan = (uint16_t)json_integer_value(v);
	return 0;
}

static json_t *
rpc_fdb_add(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const char *pname = param_str(params, "port");
	struct ctl_port *p;
	uint8_t mac[6];
	uint16_t vlan;

	if (br == NULL || param_vlan_mac(params, &vlan, mac, e) < 0) {
		return NULL;
	}
	p = pname != NULL ? ctl_port_find(sw, pname) : NULL;
	if (p == NULL || p->bridge != br) {
		return rpc_fail(e, RPC_BAD_PARAMS, "bridge %s has no port %s", br->name,
				pname != NULL ? pname : "");
	}
	if (p->dp_idx == DP_PORT_NONE) {
		return rpc_fail(e, RPC_FAILED, "port %s is not running", p->name);
	}
	if (mac[0] & 1) {
		return rpc_fail(e, RPC_BAD_PARAMS, "%s is a group address",
				param_str(params, "mac"));
	}
	if (fdb_add_static(dp_fdb(sw->dp), br->idx, vlan, mac, p->dp_idx) < 0) {
		return rpc_fail(e, RPC_FAILED, "the MAC table is full");
	}
	return json_object();
}

static json_t *
rpc_fdb_del(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	uint8_t mac[6];
	uint16_t vlan;

	if (br == NULL || param_vlan_mac(params, &vlan, mac, e) < 0) {
		return NULL;
	}
	if (fdb_del(dp_fdb(sw->dp), br->idx, vlan, mac) < 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "no entry for %s in VLAN %u of %s",
				param_str(params, "mac"), vlan, br->name);
	}
	return json_object();
}

static json_t *
rpc_fdb_flush(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = NULL;

	if (param_str(params, "bridge") != NULL && (br = param_bridge(sw, params, e)) == NULL) {
		return NULL;
	}
	fdb_flush(dp_fdb(sw->dp), br != NULL ? br->idx : -1, -1);
	return json_object();
}

static json_t *
rpc_port_stats_json(struct ctl_switch *sw, const struct ctl_port *p)
{
	struct dp_port_stats s = {0};

	if (p->dp_idx != DP_PORT_NONE) {
		dp_port_stats(sw->dp, p->dp_idx, &s);
	}
	return json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "ofport",
			 (json_int_t)p->ofport, "name", p->name, "rx_packets",
			 (json_int_t)s.rx_packets, "rx_bytes", (json_int_t)s.rx_bytes, "rx_dropped",
			 (json_int_t)s.rx_dropped, "rx_errors", (json_int_t)s.rx_errors,
			 "tx_packets", (json_int_t)s.tx_packets, "tx_bytes", (json_int_t)s.tx_bytes,
			 "tx_dropped", (json_int_t)s.tx_dropped, "tx_errors",
			 (json_int_t)s.tx_errors);
}

static int
rpc_cmp_ofport(const void *a, const void *b)
{
	const struct ctl_port *x = *(struct ctl_port *const *)a;
	const struct ctl_port *y = *(struct ctl_port *const *)b;

	return (int)x->ofport - (int)y->ofport;
}

static json_t *
rpc_dump_ports(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const char *pname = param_str(params, "port");
	struct ctl_port *sorted[CTL_MAX_PORTS_PER_BRIDGE];
	json_t *ports;
	unsigned i, n = 0;

	if (br == NULL) {
		return NULL;
	}
	for (i = 0; i < br->n_ports; i++) {
		if (pname == NULL || strcmp(br->ports[i]->name, pname) == 0) {
			sorted[n++] = br->ports[i];
		}
	}
	if (pname != NULL && n == 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "bridge %s has no port %s", br->name, pname);
	}
	qsort(sorted, n, sizeof(sorted[0]), rpc_cmp_ofport);
	ports = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(ports, rpc_port_stats_json(sw, sorted[i]));
	}
	return json_pack("{s:o}", "ports", ports);
}

static json_t *
rpc_pmd_stats(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	json_t *pmds = json_array(), *drops = json_object();
	struct dp_pmd_info info;
	uint64_t counts[32];
	unsigned i, n;

	(void)params;
	(void)e;
	for (i = 0; dp_pmd_info(sw->dp, i, &info) == 0; i++) {
		json_array_append_new(
		    pmds,
		    json_pack("{s:i, s:I, s:I, s:I, s:I, s:i, s:I, s:I}", "lcore",
			      (json_int_t)info.lcore, "rx_packets", (json_int_t)info.rx_packets,
			      "busy_cycles", (json_int_t)info.busy_cycles, "idle_cycles",
			      (json_int_t)info.idle_cycles, "upcall_dropped",
			      (json_int_t)info.upcall_dropped, "rx_queues", (json_int_t)info.n_rxq,
			      "emc_hits", (json_int_t)info.emc_hits, "emc_misses",
			      (json_int_t)info.emc_misses));
	}
	n = dp_drop_counts(sw->dp, counts, 32);
	for (i = 0; i < n; i++) {
		json_object_set_new(drops, dp_drop_name(i), json_integer((json_int_t)counts[i]));
	}
	return json_pack("{s:o, s:o}", "pmds", pmds, "drops", drops);
}

/*
 * pmd-rxq-show: per PMD, the rx queues it polls and each one's share of
 * the PMD's time in the last whole interval (DP_RXQ_USE_SECONDS), as
 * ovs-appctl dpif-netdev/pmd-rxq-show reports them.
 */
static json_t *
rpc_pmd_rxq_show(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	static struct dp_rxq_info q[DP_MAX_RXQ_PER_PMD];
	json_t *pmds = json_array();
	struct dp_pmd_info info;
	unsigned i;
	int n, k;

	(void)params;
	(void)e;
	for (i = 0; dp_pmd_info(sw->dp, i, &info) == 0; i++) {
		json_t *rxqs = json_array();

		n = dp_pmd_rxqs(sw->dp, i, q, DP_MAX_RXQ_PER_PMD);
		for (k = 0; k < n && k < DP_MAX_RXQ_PER_PMD; k++) {
			const struct ctl_port *p = sw->by_dp[q[k].port];
			json_t *o =
			    json_pack("{s:s, s:s, s:i, s:I}", "port", p ? p->name : "?", "bridge",
				      p && p->bridge ? p->bridge->name : "?", "queue",
				      (json_int_t)q[k].queue, "packets", (json_int_t)q[k].packets);

			/* null: not measured yet (or past the measured queues) */
			json_object_set_new(o, "usage",
					    q[k].measured && q[k].last_interval != 0
						? json_real(100.0 * (double)q[k].last_cycles /
							    (double)q[k].last_interval)
						: json_null());
			json_array_append_new(rxqs, o);
		}
		json_array_append_new(pmds,
				      json_pack("{s:i, s:i, s:o}", "pmd", (json_int_t)i, "lcore",
						(json_int_t)info.lcore, "rxqs", rxqs));
	}
	return json_pack("{s:o, s:i}", "pmds", pmds, "interval_s", (json_int_t)DP_RXQ_USE_SECONDS);
}

/* This process's resident anonymous memory (RssAnon in /proc/self/status:
 * malloc's heap and stacks, not hugepages or mapped files), or 0. */
static uint64_t
rpc_rss_anon(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	unsigned long long kb = 0;

	if (f == NULL) {
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "RssAnon: %llu kB", &kb) == 1) {
			break;
		}
	}
	fclose(f);
	return (uint64_t)kb * 1024;
}

/*
 * memory/show: where memory goes.  Flows live twice: as OpenFlow records
 * in control (malloc, counted in the process's anonymous memory) and as
 * classifier rules in the DPDK heap; the MAC table and the packet pool
 * are allocated whole at start.
 */
static json_t *
rpc_memory_show(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct dp_mem_info m;
	struct mallinfo2 mi = mallinfo2();
	unsigned flows = 0, b;

	(void)params;
	(void)e;
	for (b = 0; b < DP_MAX_BRIDGES; b++) {
		if (sw->bridges[b] != NULL) {
			flows += ofagent_n_flows(sw->bridges[b]->of);
		}
	}
	dp_memory(sw->dp, &m);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "flows",
			 (json_int_t)flows, "mac_entries", (json_int_t)m.fdb_count, "mac_capacity",
			 (json_int_t)m.fdb_capacity, "mac_table_bytes", (json_int_t)m.fdb_bytes,
			 "dpdk_heap_bytes", (json_int_t)m.heap_bytes, "dpdk_heap_total",
			 (json_int_t)m.heap_total, "mbufs", (json_int_t)m.n_mbufs,
			 "mbuf_pool_bytes", (json_int_t)m.pool_bytes, "control_heap_bytes",
			 (json_int_t)(mi.uordblks + mi.hblkhd), "rss_anon_bytes",
			 (json_int_t)rpc_rss_anon(), "pid", (json_int_t)getpid());
}

/* ---- OpenFlow ----------------------------------------------------- */

static json_t *
rpc_set_controller(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const json_t *targets = json_object_get(params, "targets");
	const json_t *t;
	char err[ERR_SIZE];
	size_t i;
	int ret;

	if (br == NULL) {
		return NULL;
	}
	if (!json_is_array(targets)) {
		return rpc_fail(e, RPC_BAD_PARAMS, "set-controller needs a list of targets");
	}
	json_array_foreach (targets, i, t) {
		if (!json_is_string(t)) {
			return rpc_fail(e, RPC_BAD_PARAMS, "controller targets must be strings");
		}
	}
	ret = ctl_bridge_set_controllers(sw, br, targets, err, sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static json_t *
rpc_del_controller(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	json_t *none = json_array();
	char err[ERR_SIZE];
	int ret;

	if (br == NULL) {
		json_decref(none);
		return NULL;
	}
	ret = ctl_bridge_set_controllers(sw, br, none, err, sizeof(err));
	json_decref(none);
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static json_t *
rpc_get_controller(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);

	return br == NULL ? NULL
			  : json_pack("{s:o}", "controllers", ofagent_controllers_json(br->of));
}

static json_t *
rpc_fail_mode(struct ctl_switch *sw, const json_t *params, const char *mode, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	char err[ERR_SIZE];
	int ret;

	if (br == NULL) {
		return NULL;
	}
	if (mode == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "set-fail-mode needs a mode");
	}
	ret = ctl_bridge_set_fail_mode(sw, br, mode, err, sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static json_t *
rpc_set_fail_mode(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *mode = param_str(params, "mode");

	if (mode != NULL && mode[0] == '\0') {
		return rpc_fail(e, RPC_BAD_PARAMS, "bad fail-mode '' (standalone or secure)");
	}
	return rpc_fail_mode(sw, params, mode, e);
}

static json_t *
rpc_del_fail_mode(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	return rpc_fail_mode(sw, params, "", e);
}

static json_t *
rpc_get_fail_mode(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);

	return br == NULL ? NULL : json_pack("{s:s}", "mode", br->fail_mode);
}

/* Applies one FLOW_MOD 'command' given as text in params[key] (optional when !need). */
static json_t *
rpc_flow_mod(struct ctl_switch *sw, const json_t *params, uint8_t command, const char *key,
	     bool need, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const char *flow = param_str(params, key);
	char err[ERR_SIZE];
	int ret;

	if (br == NULL) {
		return NULL;
	}
	if (flow == NULL && (need || json_object_get(params, key) != NULL)) {
		return rpc_fail(e, RPC_BAD_PARAMS, "missing flow");
	}
	ret = ofagent_cli_flow_mod(br->of, command, flow != NULL ? &flow : NULL, flow != NULL, err,
				   sizeof(err));
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_object();
}

static json_t *
rpc_add_flow(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	return rpc_flow_mod(sw, params, OFPFC_ADD, "flow", true, e);
}

static json_t *
rpc_add_flows(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const json_t *flows = json_object_get(params, "flows");
	const char **texts;
	char err[ERR_SIZE];
	size_t i, n = json_array_size(flows);
	int ret = 0;

	if (br == NULL) {
		return NULL;
	}
	if (!json_is_array(flows)) {
		return rpc_fail(e, RPC_BAD_PARAMS, "add-flows needs a list of flows");
	}
	texts = calloc(n + 1, sizeof(*texts));
	if (texts == NULL) {
		return rpc_fail(e, RPC_FAILED, "out of memory");
	}
	for (i = 0; i < n && ret == 0; i++) {
		texts[i] = json_string_value(json_array_get(flows, i));
		if (texts[i] == NULL) {
			ret = -EINVAL;
			snprintf(err, sizeof(err), "flow %zu is not a string", i + 1);
		}
	}
	if (ret == 0) {
		ret = ofagent_cli_flow_mod(br->of, OFPFC_ADD, texts, (unsigned)n, err, sizeof(err));
	}
	free(texts);
	return ret < 0 ? rpc_fail_errno(e, ret, err) : json_pack("{s:i}", "added", (json_int_t)n);
}

static json_t *
rpc_mod_flows(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	return rpc_flow_mod(sw, params,
			    param_bool(params, "strict") ? OFPFC_MODIFY_STRICT : OFPFC_MODIFY,
			    "flow", true, e);
}

static json_t *
rpc_del_flows(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	return rpc_flow_mod(sw, params,
			    param_bool(params, "strict") ? OFPFC_DELETE_STRICT : OFPFC_DELETE,
			    "match", false, e);
}

static json_t *
rpc_dump_flows(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const char *match = param_str(params, "match");
	char err[ERR_SIZE];
	json_t *flows;

	if (br == NULL) {
		return NULL;
	}
	flows = ofagent_dump_flows(br->of, match, err, sizeof(err));
	return flows == NULL ? rpc_fail(e, RPC_BAD_PARAMS, "%s", err)
			     : json_pack("{s:o}", "flows", flows);
}

static json_t *
rpc_trace(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	struct ctl_bridge *br = param_bridge(sw, params, e);
	const char *flow = param_str(params, "flow");
	char err[ERR_SIZE];
	json_t *r;

	if (br == NULL) {
		return NULL;
	}
	if (flow == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "trace needs a flow");
	}
	r = ofagent_trace(br->of, flow, err, sizeof(err));
	return r == NULL ? rpc_fail(e, RPC_BAD_PARAMS, "%s", err) : r;
}

static json_t *
rpc_tnl_neigh_show(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	(void)params;
	(void)e;
	return ctl_tnl_neigh_json(sw);
}

static json_t *
rpc_tnl_route_show(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	(void)params;
	(void)e;
	return ctl_tnl_route_json(sw);
}

static json_t *
rpc_tnl_route_add(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *prefix = param_str(params, "prefix"), *bridge = param_str(params, "bridge");
	char err[ERR_SIZE];

	if (prefix == NULL || bridge == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "tnl/route-add needs a prefix and a bridge");
	}
	if (ctl_tnl_route_add(sw, prefix, bridge, param_str(params, "gateway"), err, sizeof(err)) <
	    0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "%s", err);
	}
	return json_object();
}

static json_t *
rpc_tnl_route_del(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *prefix = param_str(params, "prefix");
	char err[ERR_SIZE];

	if (prefix == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "tnl/route-del needs a prefix");
	}
	if (ctl_tnl_route_del(sw, prefix, err, sizeof(err)) < 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "%s", err);
	}
	return json_object();
}

static json_t *
rpc_tnl_arp_set(struct ctl_switch *sw, const json_t *params, struct rpc_err *e)
{
	const char *bridge = param_str(params, "bridge"), *ip = param_str(params, "ip"),
		   *mac = param_str(params, "mac");
	char err[ERR_SIZE];

	if (bridge == NULL || ip == NULL || mac == NULL) {
		return rpc_fail(e, RPC_BAD_PARAMS, "tnl/arp-set needs a bridge, an IP and a MAC");
	}
	if (ctl_tnl_arp_set(sw, bridge, ip, mac, err, sizeof(err)) < 0) {
		return rpc_fail(e, RPC_BAD_PARAMS, "%s", err);
	}
	return json_object();
}

static const struct {
	const char *name; /* method */
	rpc_fn *fn;       /* handler */
} rpc_methods[] = {
    {"add-br", rpc_add_br},
    {"del-br", rpc_del_br},
    {"list-br", rpc_list_br},
    {"add-port", rpc_add_port},
    {"del-port", rpc_del_port},
    {"list-ports", rpc_list_ports},
    {"set", rpc_set},
    {"clear", rpc_clear},
    {"remove", rpc_remove},
    {"show", rpc_show},
    {"fdb/show", rpc_fdb_show},
    {"fdb/add", rpc_fdb_add},
    {"fdb/del", rpc_fdb_del},
    {"fdb/flush", rpc_fdb_flush},
    {"dump-ports", rpc_dump_ports},
    {"pmd-stats", rpc_pmd_stats},
    {"pmd-rxq-show", rpc_pmd_rxq_show},
    {"memory/show", rpc_memory_show},
    {"set-controller", rpc_set_controller},
    {"del-controller", rpc_del_controller},
    {"get-controller", rpc_get_controller},
    {"set-fail-mode", rpc_set_fail_mode},
    {"del-fail-mode", rpc_del_fail_mode},
    {"get-fail-mode", rpc_get_fail_mode},
    {"add-flow", rpc_add_flow},
    {"add-flows", rpc_add_flows},
    {"mod-flows", rpc_mod_flows},
    {"del-flows", rpc_del_flows},
    {"dump-flows", rpc_dump_flows},
    {"trace", rpc_trace},
    {"tnl/neigh-show", rpc_tnl_neigh_show},
    {"tnl/route-show", rpc_tnl_route_show},
    {"tnl/route-add", rpc_tnl_route_add},
    {"tnl/route-del", rpc_tnl_route_del},
    {"tnl/arp-set", rpc_tnl_arp_set},
};

static json_t *
rpc_reply_error(json_t *id, int code, const char *msg)
{
	return json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id",
			 id != NULL ? id : json_null(), "error", "code", code, "message", msg);
}

static json_t *
rpc_dispatch(struct ctl_switch *sw, json_t *req)
{
	const char *method = json_string_value(json_object_get(req, "method"));
	json_t *id = json_object_get(req, "id");
	json_t *params = json_object_get(req, "params");
	struct rpc_err e = {RPC_FAILED, ""};
	json_t *result;
	size_t i;

	if (method == NULL || (params != NULL && !json_is_object(params))) {
		return rpc_reply_error(id, RPC_INVALID_REQUEST,
				       "a request needs a method and object params");
	}
	for (i = 0; i < sizeof(rpc_methods) / sizeof(rpc_methods[0]); i++) {
		if (strcmp(rpc_methods[i].name, method) != 0) {
			continue;
		}
		params = params != NULL ? json_incref(params) : json_object();
		result = rpc_methods[i].fn(sw, params, &e);
		json_decref(params);
		if (result == NULL) {
			return rpc_reply_error(id, e.code, e.msg);
		}
		return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id",
				 id != NULL ? id : json_null(), "result", result);
	}
	snprintf(e.msg, sizeof(e.msg), "unknown method '%s'", method);
	return rpc_reply_error(id, RPC_UNKNOWN_METHOD, e.msg);
}

json_t *
ctl_rpc_handle_line(struct ctl_switch *sw, const char *line, size_t size)
{
	json_error_t jerr;
	json_t *req, *reply;
	char msg[ERR_SIZE];

	req = json_loadb(line, size, JSON_REJECT_DUPLICATES, &jerr);
	if (req == NULL || !json_is_object(req)) {
		snprintf(msg, sizeof(msg), "request is not a JSON object: %s",
			 req == NULL ? jerr.text : "wrong type");
		json_decref(req);
		return rpc_reply_error(NULL, RPC_PARSE_ERROR, msg);
	}
	reply = rpc_dispatch(sw, req);
	json_decref(req);
	return reply;
}
