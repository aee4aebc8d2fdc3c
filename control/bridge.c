/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge.c - bridges and ports, and their mapping onto the datapath
 * (see bridge.h for the order every change follows).
 */
#include "control/bridge.h"
#include "control/tunnel.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/config.h"
#include "control/ofagent.h"
#include "control/vlan_conf.h"
#include "datapath/dp_flow.h"
#include "datapath/fdb.h"
#include "protocols/openflow/of_wire.h"
#include "tap/tap.h"

/* A random locally administered unicast MAC, as Open vSwitch picks for
 * internal ports. */
static void
ctl_random_mac(uint8_t mac[6])
{
	if (getrandom(mac, 6, 0) != 6) {
		unsigned i;

		for (i = 0; i < 6; i++) {
			mac[i] = (uint8_t)random();
		}
	}
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
}

/* A locally administered unicast MAC for port 'name' of the bridge with
 * MAC 'br_mac': the same names give the same MAC, so a container whose
 * port is removed and added again keeps its neighbours' ARP entries. */
static void
ctl_port_default_mac(const uint8_t br_mac[6], const char *name, uint8_t mac[6])
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	unsigned i;

	for (i = 0; i < 6; i++) {
		h = (h ^ br_mac[i]) * 0x100000001b3ULL;
	}
	for (i = 0; name[i] != '\0'; i++) {
		h = (h ^ (uint8_t)name[i]) * 0x100000001b3ULL;
	}
	/* MurmurHash3's finaliser spreads a one-letter change over every byte. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	for (i = 0; i < 6; i++) {
		mac[i] = (uint8_t)(h >> (8 * i));
	}
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
}

int
ctl_switch_create(struct dp *dp, const char *config_path, const char *vhost_dir,
		  struct ctl_switch **out)
{
	struct ctl_switch *sw = calloc(1, sizeof(*sw));

	if (sw == NULL || (sw->config_path = strdup(config_path)) == NULL ||
	    (sw->vhost_dir = strdup(vhost_dir)) == NULL) {
		if (sw != NULL) {
			free(sw->config_path);
		}
		free(sw);
		return -ENOMEM;
	}
	sw->dp = dp;
	if (ctl_tnl_create(&sw->tnl) < 0) {
		free(sw->config_path);
		free(sw->vhost_dir);
		free(sw);
		return -ENOMEM;
	}
	*out = sw;
	return 0;
}

static struct ctl_port *
ctl_port_new(const char *name, enum ctl_port_type type, const json_t *options)
{
	struct ctl_port *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->type = type;
	p->options = options != NULL ? json_deep_copy(options) : json_object();
	p->dp_idx = DP_PORT_NONE;
	return p;
}

static void
ctl_port_free(struct ctl_port *p)
{
	if (p != NULL) {
		json_decref(p->options);
		json_decref(p->vlan);
		free(p);
	}
}

/* Opens a tap (or internal) port inside its namespace and configures it. */
static int
ctl_tap_start(struct ctl_switch *sw, struct ctl_port *p, const struct ctl_port_conf *conf,
	      char *err, size_t err_size)
{
	struct tap_config cfg = {
	    .ifname = p->name,
	    .mtu = conf->mtu,
	    .addrs = conf->addrs,
	    .n_addrs = conf->n_addrs,
	};
	char devargs[256], mac[18];
	int saved, ret;

	ret = tap_ns_enter(conf->netns, &saved, err, err_size);
	if (ret < 0) {
		return ret;
	}
	if (tap_if_exists(p->name)) {
		snprintf(err, err_size, "an interface named %s already exists in %s%s", p->name,
			 conf->netns != NULL ? "network namespace " : "the host",
			 conf->netns != NULL ? conf->netns : "");
		ret = -EEXIST;
		goto out_leave;
	}
	ctl_format_mac(p->mac, mac);
	snprintf(devargs, sizeof(devargs), "net_tap_vireo%u,iface=%s,mac=%s", sw->vdev_seq++,
		 p->name, mac);
	ret = dp_port_open(sw->dp,
			   &(struct dp_port_params){
			       .name = p->name, .devargs = devargs, .mtu = (uint16_t)conf->mtu},
			   &p->dp_idx, err, err_size);
	if (ret < 0) {
		goto out_leave;
	}
	ret = tap_configure(&cfg, err, err_size);
	if (ret < 0) {
		dp_port_close(sw->dp, p->dp_idx);
		p->dp_idx = DP_PORT_NONE;
	}
out_leave:
	tap_ns_leave(saved);
	return ret;
}

void
ctl_port_socket(const struct ctl_switch *sw, const struct ctl_port *p, char *buf, size_t size)
{
	const char *server = json_string_value(json_object_get(p->options, "vhost-server-path"));

	if (p->type == CTL_PORT_VHOST) {
		snprintf(buf, size, "%s/%s", sw->vhost_dir, p->name);
	} else if (p->type == CTL_PORT_VHOST_CLIENT && server != NULL) {
		snprintf(buf, size, "%s", server);
	} else {
		buf[0] = '\0';
	}
}

/* The running port other than 'self' whose vhost-user socket is 'path'. */
static const struct ctl_port *
ctl_socket_user(const struct ctl_switch *sw, const struct ctl_port *self, const char *path)
{
	char other[CTL_SOCKET_PATH_SIZE + 64];
	unsigned i, j;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		const struct ctl_bridge *br = sw->bridges[i];

		for (j = 0; br != NULL && j < br->n_ports; j++) {
			const struct ctl_port *p = br->ports[j];

			ctl_port_socket(sw, p, other, sizeof(other));
			if (p != self && p->dp_idx != DP_PORT_NONE && strcmp(other, path) == 0) {
				return p;
			}
		}
	}
	return NULL;
}

/* Checks where a vhost-user server socket will be made: the directory
 * must be there and writable; a socket file nobody answers on is stale
 * and removed; anything else there is refused. */
static int
ctl_vhost_claim(const char *path, char *err, size_t err_size)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char dir[CTL_SOCKET_PATH_SIZE + 64];
	struct stat st;
	int fd, ret;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (stat(dir[0] != '\0' ? dir : "/", &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, err_size, "directory %s does not exist", dir);
		return -ENOENT;
	}
	if (access(dir[0] != '\0' ? dir : "/", W_OK | X_OK) < 0) {
		snprintf(err, err_size, "cannot create a socket in %s: %s", dir, strerror(errno));
		return -EACCES;
	}
	if (lstat(path, &st) < 0) {
		return 0;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, err_size, "%s exists and is not a socket", path);
		return -EEXIST;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ret = fd >= 0 ? connect(fd, (struct sockaddr *)&sun, sizeof(sun)) : -1;
	if (fd >= 0) {
		close(fd);
	}
	if (ret == 0) {
		snprintf(err, err_size, "socket %s is in use by another process", path);
		return -EADDRINUSE;
	}
	unlink(path);
	return 0;
}

/* Opens a vhost-user port: vireod's socket (server) or QEMU's (client). */
static int
ctl_vhost_start(struct ctl_switch *sw, struct ctl_port *p, const struct ctl_port_conf *conf,
		char *err, size_t err_size)
{
	char path[CTL_SOCKET_PATH_SIZE + 64], devargs[CTL_SOCKET_PATH_SIZE + 160];
	const struct ctl_port *user;
	struct stat st;
	int ret;

	ctl_port_socket(sw, p, path, sizeof(path));
	if (strlen(path) >= CTL_SOCKET_PATH_SIZE) {
		snprintf(err, err_size, "socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	user = ctl_socket_user(sw, p, path);
	if (user != NULL) {
		snprintf(err, err_size, "socket %s is already used by port %s", path, user->name);
		return -EEXIST;
	}
	if (p->type == CTL_PORT_VHOST) {
		ret = ctl_vhost_claim(path, err, err_size);
		if (ret < 0) {
			return ret;
		}
	} else if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		snprintf(err, err_size, "%s exists and is not a socket", path);
		return -EEXIST;
	}
	snprintf(devargs, sizeof(devargs), "net_vhost_vireo%u,iface=%s,queues=%u,client=%d",
		 sw->vdev_seq++, path, conf->queues, p->type == CTL_PORT_VHOST_CLIENT);
	return dp_port_open(sw->dp, &(struct dp_port_params){.name = p->name, .devargs = devargs},
			    &p->dp_idx, err, err_size);
}

/* Creates the datapath port behind 'p'.  On failure 'p->error' says why. */
static int
ctl_port_start(struct ctl_switch *sw, struct ctl_port *p, char *err, size_t err_size)
{
	struct ctl_port_conf conf;
	int ret;

	ret = ctl_port_conf_parse(ctl_port_type_name(p->type), p->options, &conf, err, err_size);
	if (ret == 0 && p->type == CTL_PORT_DPDK) {
		ret = dp_port_open(sw->dp,
				   &(struct dp_port_params){.name = p->name,
							    .devargs = conf.devargs,
							    .mtu = (uint16_t)conf.mtu},
				   &p->dp_idx, err, err_size);
	} else if (ret == 0 && (p->type == CTL_PORT_VHOST || p->type == CTL_PORT_VHOST_CLIENT)) {
		ret = ctl_vhost_start(sw, p, &conf, err, err_size);
	} else if (ret == 0 && p->type == CTL_PORT_VXLAN) {
		p->tnl.conf = conf.tnl;
		ctl_tnl_port_reset(p);
		ret = dp_port_open_tunnel(sw->dp, p->name, &p->dp_idx, err, err_size);
	} else if (ret == 0) {
		ret = ctl_tap_start(sw, p, &conf, err, err_size);
	}
	if (ret < 0) {
		snprintf(p->error, sizeof(p->error), "%s", err);
		p->dp_idx = DP_PORT_NONE;
		return ret;
	}
	p->error[0] = '\0';
	sw->by_dp[p->dp_idx] = p;
	return 0;
}

/* Closes the datapath port behind 'p'; it must be unpublished already. */
static void
ctl_port_stop(struct ctl_switch *sw, struct ctl_port *p)
{
	if (p->dp_idx != DP_PORT_NONE) {
		sw->by_dp[p->dp_idx] = NULL;
		dp_port_close(sw->dp, p->dp_idx);
		p->dp_idx = DP_PORT_NONE;
	}
}

static void
ctl_bridge_free(struct ctl_switch *sw, struct ctl_bridge *br)
{
	unsigned i;

	if (br == NULL) {
		return;
	}
	ofagent_destroy(br->of);
	for (i = 0; i < br->n_ports; i++) {
		ctl_port_stop(sw, br->ports[i]);
		ctl_port_free(br->ports[i]);
	}
	fdb_flush(dp_fdb(sw->dp), br->idx, -1);
	json_decref(br->controllers);
	free(br);
}

void
ctl_switch_destroy(struct ctl_switch *sw)
{
	unsigned i;

	if (sw == NULL) {
		return;
	}
	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] != NULL) {
			struct ctl_bridge *br = sw->bridges[i];

			sw->bridges[i] = NULL;
			ctl_switch_publish(sw);
			ctl_bridge_free(sw, br);
		}
	}
	ctl_tnl_destroy(sw->tnl);
	free(sw->config_path);
	free(sw->vhost_dir);
	free(sw);
}

int
ctl_switch_publish(struct ctl_switch *sw)
{
	struct dp_tables *t = dp_tables_alloc();
	char err[200];
	unsigned b, i;
	int ret;

	if (t == NULL) {
		return -ENOMEM;
	}
	for (b = 0; b < DP_MAX_BRIDGES; b++) {
		const struct ctl_bridge *br = sw->bridges[b];
		struct dp_tbridge *tb = &t->bridges[b];

		if (br == NULL) {
			continue;
		}
		for (i = 0; i < br->n_ports; i++) {
			const struct ctl_port *p = br->ports[i];

			if (p->dp_idx == DP_PORT_NONE) {
				continue;
			}
			t->ports[p->dp_idx].bridge = (uint16_t)b;
			t->ports[p->dp_idx].ofport =
			    p->ofport == CTL_OFPORT_LOCAL ? OFPP_LOCAL : p->ofport;
			t->ports[p->dp_idx].enabled = !(p->of_config & OFPPC_PORT_DOWN);
			t->ports[p->dp_idx].no_recv = (p->of_config & OFPPC_NO_RECV) != 0;
			t->ports[p->dp_idx].no_fwd = (p->of_config & OFPPC_NO_FWD) != 0;
			t->ports[p->dp_idx].no_packet_in = (p->of_config & OFPPC_NO_PACKET_IN) != 0;
			ctl_vlan_parse(p->vlan, &t->ports[p->dp_idx].vlan, err, sizeof(err));
			tb->ports[tb->n_ports++] = p->dp_idx;
		}
	}
	ctl_tnl_fill(sw, t);
	ret = dp_publish(sw->dp, t);
	/* Flows name OpenFlow ports; the datapath indices behind them may have changed. */
	for (b = 0; b < DP_MAX_BRIDGES && ret == 0; b++) {
		if (sw->bridges[b] != NULL && sw->bridges[b]->of != NULL) {
			ofagent_publish(sw->bridges[b]->of);
		}
	}
	return ret;
}

static int
ctl_cmp_bridges(const void *a, const void *b)
{
	const struct ctl_bridge *x = *(struct ctl_bridge *const *)a;
	const struct ctl_bridge *y = *(struct ctl_bridge *const *)b;

	return strcmp(x->name, y->name);
}

/* The bridges sorted by name into 'out'; returns how many. */
static unsigned
ctl_sorted_bridges(const struct ctl_switch *sw, struct ctl_bridge **out)
{
	unsigned n = 0, i;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] != NULL) {
			out[n++] = sw->bridges[i];
		}
	}
	qsort(out, n, sizeof(*out), ctl_cmp_bridges);
	return n;
}

static json_t *
ctl_port_to_json(const struct ctl_port *p)
{
	json_t *o = json_object();
	char mac[18];

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "type", json_string(ctl_port_type_name(p->type)));
	json_object_set_new(o, "ofport", json_integer(p->ofport));
	if (p->has_mac) {
		ctl_format_mac(p->mac, mac);
		json_object_set_new(o, "mac", json_string(mac));
	}
	json_object_set(o, "options", p->options);
	if (json_object_size(p->vlan) != 0) {
		json_object_set(o, "vlan", p->vlan);
	}
	return o;
}

json_t *
ctl_switch_to_json(const struct ctl_switch *sw)
{
	struct ctl_bridge *sorted[DP_MAX_BRIDGES];
	json_t *doc = ctl_config_empty();
	json_t *bridges = json_object_get(doc, "bridges");
	json_t *jb;
	unsigned n = ctl_sorted_bridges(sw, sorted), i, j;
	char mac[18];

	for (i = 0; i < n; i++) {
		const struct ctl_bridge *br = sorted[i];
		json_t *ports = json_array();

		for (j = 1; j < br->n_ports; j++) {
			json_array_append_new(ports, ctl_port_to_json(br->ports[j]));
		}
		ctl_format_mac(br->mac, mac);
		jb = json_pack("{s:s, s:s, s:i, s:o}", "name", br->name, "mac", mac,
			       "mac_aging_time", (json_int_t)br->mac_aging_time, "ports", ports);
		if (json_object_size(br->ports[0]->vlan) != 0) {
			json_object_set(jb, "internal_vlan", br->ports[0]->vlan);
		}
		if (json_array_size(br->controllers) != 0) {
			json_object_set(jb, "controllers", br->controllers);
		}
		if (br->fail_mode[0] != '\0') {
			json_object_set_new(jb, "fail_mode", json_string(br->fail_mode));
		}
		if (br->dpid != 0) {
			char dpid[17];

			snprintf(dpid, sizeof(dpid), "%016" PRIx64, br->dpid);
			json_object_set_new(jb, "datapath_id", json_string(dpid));
		}
		json_array_append_new(bridges, jb);
	}
	return doc;
}

static int
ctl_switch_save(struct ctl_switch *sw, char *err, size_t err_size)
{
	json_t *doc = ctl_switch_to_json(sw);
	int ret = ctl_config_save(sw->config_path, doc, err, err_size);

	json_decref(doc);
	return ret;
}

struct ctl_bridge *
ctl_bridge_find(const struct ctl_switch *sw, const char *name)
{
	unsigned i;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] != NULL && strcmp(sw->bridges[i]->name, name) == 0) {
			return sw->bridges[i];
		}
	}
	return NULL;
}

struct ctl_port *
ctl_port_find(const struct ctl_switch *sw, const char *name)
{
	unsigned i, j;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		const struct ctl_bridge *br = sw->bridges[i];

		for (j = 0; br != NULL && j < br->n_ports; j++) {
			if (strcmp(br->ports[j]->name, name) == 0) {
				return br->ports[j];
			}
		}
	}
	return NULL;
}

struct ctl_port *
ctl_port_by_ofport(const struct ctl_bridge *br, uint16_t ofport)
{
	unsigned i;

	for (i = 0; i < br->n_ports; i++) {
		if (br->ports[i]->ofport == ofport) {
			return br->ports[i];
		}
	}
	return NULL;
}

struct ctl_port *
ctl_port_by_dp(const struct ctl_switch *sw, uint16_t dp_idx)
{
	return dp_idx < DP_MAX_PORTS ? sw->by_dp[dp_idx] : NULL;
}

/* A new bridge with its internal port, not yet started or registered. */
static struct ctl_bridge *
ctl_bridge_new(const char *name, uint16_t idx, const uint8_t *mac, uint32_t aging)
{
	struct ctl_bridge *br = calloc(1, sizeof(*br));
	struct ctl_port *p;

	if (br == NULL || (p = ctl_port_new(name, CTL_PORT_INTERNAL, NULL)) == NULL) {
		free(br);
		return NULL;
	}
	snprintf(br->name, sizeof(br->name), "%s", name);
	br->idx = idx;
	if (mac != NULL) {
		memcpy(br->mac, mac, 6);
	} else {
		ctl_random_mac(br->mac);
	}
	br->mac_aging_time = aging;
	memcpy(p->mac, br->mac, 6);
	p->has_mac = true;
	p->ofport = CTL_OFPORT_LOCAL;
	p->bridge = br;
	br->ports[br->n_ports++] = p;
	return br;
}

static int
ctl_free_bridge_idx(const struct ctl_switch *sw)
{
	int i;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] == NULL) {
			return i;
		}
	}
	return -1;
}

/* Checks that 'name' is a valid name no bridge or port uses yet. */
static int
ctl_check_new_name(const struct ctl_switch *sw, const char *name, char *err, size_t err_size)
{
	if (!ctl_name_valid(name)) {
		snprintf(err, err_size,
			 "invalid name '%s' (1 to 15 letters, digits, '-', '_' or '.')", name);
		return -EINVAL;
	}
	if (ctl_bridge_find(sw, name) != NULL || ctl_port_find(sw, name) != NULL) {
		snprintf(err, err_size, "a bridge or port named %s already exists", name);
		return -EEXIST;
	}
	return 0;
}

int
ctl_bridge_add(struct ctl_switch *sw, const char *name, char *err, size_t err_size)
{
	struct ctl_bridge *br;
	int idx, ret;

	ret = ctl_check_new_name(sw, name, err, err_size);
	if (ret < 0) {
		return ret;
	}
	idx = ctl_free_bridge_idx(sw);
	if (idx < 0) {
		snprintf(err, err_size, "too many bridges (at most %d)", DP_MAX_BRIDGES);
		return -ENOSPC;
	}
	br = ctl_bridge_new(name, (uint16_t)idx, NULL, CTL_DEFAULT_AGING);
	if (br == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	br->controllers = json_array();
	ret = ctl_port_start(sw, br->ports[0], err, err_size);
	if (ret == 0 && ofagent_create(sw, br, false, &br->of) < 0) {
		snprintf(err, err_size, "out of memory");
		ret = -ENOMEM;
	}
	if (ret == 0) {
		sw->bridges[idx] = br;
		ret = ctl_switch_save(sw, err, err_size);
		if (ret < 0) {
			sw->bridges[idx] = NULL;
		}
	}
	if (ret < 0) {
		ctl_bridge_free(sw, br);
		return ret;
	}
	return ctl_switch_publish(sw);
}

int
ctl_bridge_del(struct ctl_switch *sw, const char *name, char *err, size_t err_size)
{
	struct ctl_bridge *br = ctl_bridge_find(sw, name);
	int ret;

	if (br == NULL) {
		snprintf(err, err_size, "no bridge named %s", name);
		return -ENOENT;
	}
	sw->bridges[br->idx] = NULL;
	ret = ctl_switch_save(sw, err, err_size);
	if (ret < 0) {
		sw->bridges[br->idx] = br;
		return ret;
	}
	ctl_switch_publish(sw);
	ctl_bridge_free(sw, br);
	return 0;
}

static int
ctl_parse_aging(const char *value, uint32_t *out, char *err, size_t err_size)
{
	long v;

	if (!ctl_parse_range(value, 1, CTL_MAX_AGING, &v)) {
		snprintf(err, err_size, "bad mac-aging-time '%s' (1..%d seconds)", value,
			 CTL_MAX_AGING);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

int
ctl_bridge_set(struct ctl_switch *sw, struct ctl_bridge *br, const char *key, const char *value,
	       char *err, size_t err_size)
{
	uint32_t aging, old;
	uint64_t dpid, old_dpid;
	int ret;

	if (strcmp(key, "other_config:datapath-id") == 0) {
		ret = ctl_parse_dpid(value, &dpid);
		if (ret < 0) {
			snprintf(err, err_size, "bad datapath-id '%s' (%s)", value,
				 ret == -ERANGE ? "must not be 0" : "exactly 16 hex digits");
			return -EINVAL;
		}
		old_dpid = br->dpid;
		br->dpid = dpid;
		ret = ctl_switch_save(sw, err, err_size);
		if (ret < 0) {
			br->dpid = old_dpid;
			return ret;
		}
		ofagent_set_dpid(br->of, dpid);
		return 0;
	}
	if (strcmp(key, "other_config:mac-aging-time") != 0) {
		snprintf(err, err_size,
			 "unknown bridge setting '%s' (other_config:mac-aging-time, "
			 "other_config:datapath-id)",
			 key);
		return -EINVAL;
	}
	ret = ctl_parse_aging(value, &aging, err, err_size);
	if (ret < 0) {
		return ret;
	}
	old = br->mac_aging_time;
	br->mac_aging_time = aging;
	ret = ctl_switch_save(sw, err, err_size);
	if (ret < 0) {
		br->mac_aging_time = old;
	}
	return ret;
}

static uint16_t
ctl_free_ofport(const struct ctl_bridge *br)
{
	uint16_t ofport;

	for (ofport = 1; ofport <= CTL_OFPORT_MAX; ofport++) {
		if (ctl_port_by_ofport(br, ofport) == NULL) {
			return ofport;
		}
	}
	return 0;
}

/* Builds the model of a new port of 'br'; nothing is started. */
static struct ctl_port *
ctl_port_prepare(struct ctl_bridge *br, const char *name, const json_t *options,
		 const struct ctl_port_conf *conf, uint16_t ofport, const uint8_t *mac)
{
	struct ctl_port *p = ctl_port_new(name, conf->type, options);

	if (p == NULL) {
		return NULL;
	}
	p->ofport = ofport;
	p->bridge = br;
	if (conf->type == CTL_PORT_TAP) {
		p->has_mac = true;
		if (conf->has_mac) {
			memcpy(p->mac, conf->mac, 6);
		} else if (mac != NULL) {
			memcpy(p->mac, mac, 6);
		} else {
			ctl_port_default_mac(br->mac, name, p->mac);
		}
	}
	return p;
}

/* Refuses tunnel options 'tc' for new port 'name' when another tunnel
 * port, in any bridge, would receive the same packets. */
static int
ctl_tnl_check_clash(const struct ctl_switch *sw, const char *name, const struct ctl_tnl_conf *tc,
		    char *err, size_t err_size)
{
	char why[160];
	unsigned b, i;

	for (b = 0; b < DP_MAX_BRIDGES; b++) {
		for (i = 0; sw->bridges[b] != NULL && i < sw->bridges[b]->n_ports; i++) {
			const struct ctl_port *p = sw->bridges[b]->ports[i];

			if (p->type == CTL_PORT_VXLAN &&
			    ctl_tnl_conf_clash(&p->tnl.conf, tc, why, sizeof(why))) {
				snprintf(err, err_size, "tunnel %s would clash with port %s: %s",
					 name, p->name, why);
				return -EEXIST;
			}
		}
	}
	return 0;
}

int
ctl_port_add(struct ctl_switch *sw, struct ctl_bridge *br, const char *name, const char *type,
	     const json_t *options, uint16_t *ofport, char *err, size_t err_size)
{
	struct ctl_port_conf conf;
	struct ctl_port *p;
	int ret;

	ret = ctl_check_new_name(sw, name, err, err_size);
	if (ret == 0) {
		ret = ctl_port_conf_parse(type, options, &conf, err, err_size);
	}
	if (ret < 0) {
		return ret;
	}
	if (conf.type == CTL_PORT_INTERNAL) {
		snprintf(err, err_size, "type internal is only for a bridge's own port");
		return -EINVAL;
	}
	if (conf.type == CTL_PORT_VXLAN) {
		ret = ctl_tnl_check_clash(sw, name, &conf.tnl, err, err_size);
		if (ret < 0) {
			return ret;
		}
	}
	if (br->n_ports == CTL_MAX_PORTS_PER_BRIDGE || ctl_free_ofport(br) == 0) {
		snprintf(err, err_size, "bridge %s is full", br->name);
		return -ENOSPC;
	}
	p = ctl_port_prepare(br, name, options, &conf, ctl_free_ofport(br), NULL);
	if (p == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	ret = ctl_port_start(sw, p, err, err_size);
	if (ret == 0) {
		br->ports[br->n_ports++] = p;
		ret = ctl_switch_save(sw, err, err_size);
		if (ret < 0) {
			br->n_ports--;
		}
	}
	if (ret < 0) {
		ctl_port_stop(sw, p);
		ctl_port_free(p);
		return ret;
	}
	*ofport = p->ofport;
	ret = ctl_switch_publish(sw);
	ofagent_port_status(br->of, p, OFPPR_ADD);
	if (p->type == CTL_PORT_VXLAN) {
		ctl_tnl_tick(sw, true);
	}
	return ret;
}

int
ctl_port_del(struct ctl_switch *sw, struct ctl_port *p, char *err, size_t err_size)
{
	struct ctl_bridge *br = p->bridge;
	unsigned i, at = 0;
	int ret;

	if (p->type == CTL_PORT_INTERNAL) {
		snprintf(err, err_size, "%s is the internal port of bridge %s: use del-br", p->name,
			 br->name);
		return -EINVAL;
	}
	for (i = 0; i < br->n_ports; i++) {
		if (br->ports[i] == p) {
			at = i;
		}
	}
	memmove(&br->ports[at], &br->ports[at + 1], (br->n_ports - at - 1) * sizeof(p));
	br->n_ports--;
	ret = ctl_switch_save(sw, err, err_size);
	if (ret < 0) {
		memmove(&br->ports[at + 1], &br->ports[at], (br->n_ports - at) * sizeof(p));
		br->ports[at] = p;
		br->n_ports++;
		return ret;
	}
	ctl_switch_publish(sw);
	ofagent_port_status(br->of, p, OFPPR_DELETE);
	ctl_port_stop(sw, p);
	ctl_port_free(p);
	return 0;
}

/* Restores the OpenFlow settings of bridge 'br' from its checked document 'jb'. */
static void
ctl_restore_openflow(struct ctl_switch *sw, struct ctl_bridge *br, const json_t *jb)
{
	const char *mode = json_string_value(json_object_get(jb, "fail_mode"));
	const char *dpid = json_string_value(json_object_get(jb, "datapath_id"));
	const json_t *ctrls = json_object_get(jb, "controllers");
	char err[200];

	snprintf(br->fail_mode, sizeof(br->fail_mode), "%s", mode != NULL ? mode : "");
	if (dpid != NULL) {
		ctl_parse_dpid(dpid, &br->dpid);
	}
	br->controllers = ctrls != NULL ? json_deep_copy(ctrls) : json_array();
	if (ofagent_create(sw, br, strcmp(br->fail_mode, "secure") == 0, &br->of) < 0) {
		fprintf(stderr, "vireod: bridge %s: no memory for its OpenFlow agent\n", br->name);
		return;
	}
	if (ofagent_set_controllers(br->of, br->controllers, err, sizeof(err)) < 0) {
		fprintf(stderr, "vireod: bridge %s: %s\n", br->name, err);
	}
}

/* Restores one bridge of a checked document. */
static void
ctl_restore_bridge(struct ctl_switch *sw, const json_t *jb, uint16_t idx)
{
	const json_t *aging = json_object_get(jb, "mac_aging_time");
	const json_t *jp;
	struct ctl_bridge *br;
	struct ctl_port_conf conf;
	uint8_t mac[6], pmac[6];
	char err[200];
	size_t i;

	ctl_parse_mac(json_string_value(json_object_get(jb, "mac")), mac);
	br =
	    ctl_bridge_new(json_string_value(json_object_get(jb, "name")), idx, mac,
			   aging != NULL ? (uint32_t)json_integer_value(aging) : CTL_DEFAULT_AGING);
	if (br == NULL) {
		return;
	}
	sw->bridges[idx] = br;
	br->ports[0]->vlan = json_deep_copy(json_object_get(jb, "internal_vlan"));
	ctl_port_start(sw, br->ports[0], err, sizeof(err));
	ctl_restore_openflow(sw, br, jb);
	json_array_foreach (json_object_get(jb, "ports"), i, jp) {
		const char *smac = json_string_value(json_object_get(jp, "mac"));
		const json_t *options = json_object_get(jp, "options");
		struct ctl_port *p;

		if (ctl_port_conf_parse(json_string_value(json_object_get(jp, "type")), options,
					&conf, err, sizeof(err)) < 0) {
			continue;
		}
		p = ctl_port_prepare(br, json_string_value(json_object_get(jp, "name")), options,
				     &conf,
				     (uint16_t)json_integer_value(json_object_get(jp, "ofport")),
				     smac != NULL && ctl_parse_mac(smac, pmac) == 0 ? pmac : NULL);
		if (p == NULL) {
			continue;
		}
		p->vlan = json_deep_copy(json_object_get(jp, "vlan"));
		br->ports[br->n_ports++] = p;
		ctl_port_start(sw, p, err, sizeof(err));
	}
}

int
ctl_switch_restore(struct ctl_switch *sw, const json_t *doc, char *err, size_t err_size)
{
	const json_t *bridges = json_object_get(doc, "bridges");
	const json_t *jb;
	size_t i;

	if (json_array_size(bridges) > DP_MAX_BRIDGES) {
		snprintf(err, err_size, "too many bridges (at most %d)", DP_MAX_BRIDGES);
		return -ENOSPC;
	}
	json_array_foreach (bridges, i, jb) {
		ctl_restore_bridge(sw, jb, (uint16_t)i);
	}
	return ctl_switch_publish(sw);
}

unsigned
ctl_switch_handle_upcalls(struct ctl_switch *sw)
{
	struct dp_upcall ups[256];
	struct fdb *fdb = dp_fdb(sw->dp);
	unsigned n, i, total = 0;
	uint64_t now = dp_now();

	while ((n = dp_upcall_drain(sw->dp, ups, sizeof(ups) / sizeof(ups[0]))) > 0) {
		for (i = 0; i < n; i++) {
			const struct ctl_port *p = ctl_port_by_dp(sw, ups[i].port);
			struct ctl_bridge *br =
			    ups[i].bridge < DP_MAX_BRIDGES ? sw->bridges[ups[i].bridge] : NULL;

			if (ups[i].type == DP_UPCALL_ARP || ups[i].type == DP_UPCALL_TNL_MISS) {
				ctl_tnl_upcall(sw, &ups[i]);
				dp_upcall_release(&ups[i]);
				continue;
			}
			if (ups[i].type == DP_UPCALL_PACKET_IN) {
				if (br != NULL && br->of != NULL) {
					ofagent_packet_in(br->of, &ups[i]);
				}
				dp_upcall_release(&ups[i]);
				continue;
			}
			if (ups[i].type != DP_UPCALL_LEARN || p == NULL ||
			    p->bridge->idx != ups[i].bridge) {
				continue;
			}
			fdb_learn(fdb, ups[i].bridge, ups[i].vlan, ups[i].mac, ups[i].port, now);
		}
		total += n;
	}
	return total;
}

void
ctl_switch_age(struct ctl_switch *sw)
{
	uint64_t max_idle[DP_MAX_BRIDGES];
	unsigned i;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		max_idle[i] =
		    sw->bridges[i] != NULL ? sw->bridges[i]->mac_aging_time * dp_hz() : UINT64_MAX;
	}
	fdb_age(dp_fdb(sw->dp), dp_now(), max_idle, DP_MAX_BRIDGES);
	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] != NULL && sw->bridges[i]->of != NULL) {
			ofagent_tick(sw->bridges[i]->of);
		}
	}
}

void
ctl_switch_port_events(struct ctl_switch *sw)
{
	uint16_t changed[DP_MAX_PORTS];
	unsigned n = dp_port_events(sw->dp, changed, DP_MAX_PORTS), i;

	for (i = 0; i < n; i++) {
		const struct ctl_port *p = ctl_port_by_dp(sw, changed[i]);

		if (p != NULL) {
			fprintf(stderr, "vireod: port %s: link %s\n", p->name,
				dp_port_link_up(sw->dp, changed[i]) ? "up" : "down");
			ofagent_port_status(p->bridge->of, p, OFPPR_MODIFY);
		}
	}
}

int
ctl_port_set_vlan(struct ctl_switch *sw, struct ctl_port *p, const json_t *values,
		  const char *column, bool remove, char *err, size_t err_size)
{
	json_t *old = p->vlan, *vlan = old != NULL ? json_deep_copy(old) : json_object();
	struct vlan_port check;
	const char *key;
	json_t *val;
	int ret = 0;

	if (remove && column != NULL) {
		ret = ctl_vlan_remove(vlan, column, values, err, err_size);
	} else if (remove) {
		/* 'values' names the columns to clear. */
		json_t *none = json_array();
		size_t i;

		for (i = 0; i < json_array_size(values) && ret == 0; i++) {
			column = json_string_value(json_array_get(values, i));
			ret = ctl_vlan_remove(vlan, column, none, err, err_size);
		}
		json_decref(none);
	}
	if (ret == -ENOENT) {
		snprintf(err, err_size,
			 "port column '%s' cannot be cleared (tag, trunks, vlan_mode, cvlans, "
			 "other_config:qinq-ethtype)",
			 column);
	}
	json_object_foreach ((json_t *)(remove ? NULL : values), key, val) {
		if (ret == 0) {
			ret = ctl_vlan_set(vlan, key, json_string_value(val), err, err_size);
			if (ret == -ENOENT) {
				snprintf(
				    err, err_size,
				    "unknown port setting '%s' (tag, trunks, vlan_mode, cvlans, "
				    "other_config:qinq-ethtype)",
				    key);
			}
		}
	}
	if (ret == 0) {
		ret = ctl_vlan_parse(vlan, &check, err, err_size);
	}
	if (ret == 0) {
		p->vlan = vlan;
		ret = ctl_switch_save(sw, err, err_size);
		p->vlan = ret == 0 ? vlan : old;
	}
	if (ret < 0) {
		json_decref(vlan);
		return ret == -ENOENT ? -EINVAL : ret;
	}
	json_decref(old);
	if (p->dp_idx != DP_PORT_NONE) {
		fdb_flush(dp_fdb(sw->dp), p->bridge->idx, p->dp_idx);
	}
	return ctl_switch_publish(sw);
}

uint64_t
ctl_bridge_dpid(const struct ctl_bridge *br)
{
	uint64_t dpid = 0;
	unsigned i;

	if (br->dpid != 0) {
		return br->dpid;
	}
	for (i = 0; i < 6; i++) {
		dpid = dpid << 8 | br->mac[i];
	}
	return dpid;
}

int
ctl_bridge_set_controllers(struct ctl_switch *sw, struct ctl_bridge *br, const json_t *targets,
			   char *err, size_t err_size)
{
	json_t *old = br->controllers, *copy = json_deep_copy(targets);
	int ret;

	ret = ofagent_set_controllers(br->of, copy, err, err_size);
	if (ret < 0) {
		json_decref(copy);
		return ret;
	}
	br->controllers = copy;
	ret = ctl_switch_save(sw, err, err_size);
	if (ret < 0) {
		char e[200];

		br->controllers = old;
		ofagent_set_controllers(br->of, old, e, sizeof(e));
		json_decref(copy);
		return ret;
	}
	json_decref(old);
	return 0;
}

int
ctl_bridge_set_fail_mode(struct ctl_switch *sw, struct ctl_bridge *br, const char *mode, char *err,
			 size_t err_size)
{
	char old[sizeof(br->fail_mode)];
	int ret;

	if (mode[0] != '\0' && !ctl_fail_mode_valid(mode)) {
		snprintf(err, err_size, "bad fail-mode '%s' (standalone or secure)", mode);
		return -EINVAL;
	}
	memcpy(old, br->fail_mode, sizeof(old));
	/* 'mode' is one of the three strings above: it fits. */
	memcpy(br->fail_mode, mode, strlen(mode) + 1);
	ret = ctl_switch_save(sw, err, err_size);
	if (ret < 0) {
		memcpy(br->fail_mode, old, sizeof(old));
		return ret;
	}
	ofagent_set_fail_mode(br->of, strcmp(mode, "secure") == 0);
	return 0;
}

int
ctl_port_set_of_config(struct ctl_switch *sw, struct ctl_port *p, uint32_t config, uint32_t mask)
{
	p->of_config = (p->of_config & ~mask) | (config & mask);
	return ctl_switch_publish(sw);
}
