/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofagent.c - the core of the OpenFlow 1.3 agent of a bridge (see
 * ofagent.h): message dispatch on the controller channels [OpenFlow
 * 1.3.5, 7.3, 7.4], flow table changes, publication to the datapath,
 * packet-in and packet-out, port status and port mod, configuration,
 * roles and async masks, life cycle and controllers. Multipart requests
 * are answered in ofagent_mp.c and the CLI's flow commands live in
 * ofagent_cli.c; the three share ofagent_priv.h.
 *
 * Limits: no buffering (buffer_id is always OFP_NO_BUFFER), no groups,
 * meters or queues (their messages are answered with the spec's errors),
 * one queue per port (set_queue is accepted and has no effect). Roles are
 * kept per connection; a slave may read but not change anything.
 */
#include "control/ofagent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "control/bridge.h"
#include "control/ofagent_priv.h"
#include "control/oft.h"
#include "datapath/dp_flow.h"
#include "protocols/openflow/of_action.h"
#include "protocols/openflow/of_conn.h"
#include "protocols/openflow/of_msg.h"
#include "protocols/openflow/of_switch.h"
#include "protocols/openflow/of_wire.h"

uint64_t
ofa_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
ofa_ticks_per_ms(void)
{
	uint64_t t = dp_hz() / 1000;

	return t != 0 ? t : 1;
}

/* ---- Ports ---------------------------------------------------------- */

/* OpenFlow 1.3 port number of 'p' (the internal port is OFPP_LOCAL). */
uint32_t
ofa_port_no(const struct ctl_port *p)
{
	return p->ofport == CTL_OFPORT_LOCAL ? OFPP_LOCAL : p->ofport;
}

/* The port of the bridge with OpenFlow 1.3 number 'port_no', or NULL. */
struct ctl_port *
ofa_port_find(const struct ofagent *a, uint32_t port_no)
{
	if (port_no == OFPP_LOCAL) {
		return a->br->ports[0];
	}
	if (port_no == 0 || port_no > OFPP_MAX) {
		return NULL;
	}
	return ctl_port_by_ofport(a->br, (uint16_t)port_no);
}

static int
ofa_port_idx(uint32_t ofport, void *arg)
{
	const struct ctl_port *p = ofa_port_find(arg, ofport);

	return p != NULL && p->dp_idx != DP_PORT_NONE ? p->dp_idx : -1;
}

/* Fills the struct ofp_port of 'p'. */
void
ofa_port_desc(const struct ofagent *a, const struct ctl_port *p, struct of_port *out)
{
	bool up = p->dp_idx != DP_PORT_NONE && dp_port_link_up(a->sw->dp, p->dp_idx);

	memset(out, 0, sizeof(*out));
	out->port_no = ofa_port_no(p);
	if (p->has_mac) {
		memcpy(out->hw_addr, p->mac, 6);
	} else if (p->dp_idx != DP_PORT_NONE) {
		dp_port_mac(a->sw->dp, p->dp_idx, out->hw_addr);
	}
	snprintf(out->name, sizeof(out->name), "%s", p->name);
	out->config = p->of_config;
	out->state = up ? OFPPS_LIVE : OFPPS_LINK_DOWN;
	out->curr = OFPPF_10GB_FD | OFPPF_COPPER;
	out->curr_speed = 10000000;
}

/* ---- Sending -------------------------------------------------------- */

static struct ofa_conn *
ofa_conn(const struct of_conn *c)
{
	return of_conn_get_user(c);
}

static void
ofa_send(struct of_conn *c, const uint8_t *msg, int size)
{
	if (size > 0) {
		of_conn_send(c, msg, (size_t)size);
	}
}

/* Answers the request 'req' with the error 'err'. */
void
ofa_error(struct ofagent *a, struct of_conn *c, enum of_err err, const uint8_t *req, size_t size)
{
	ofa_send(c, a->buf, of_err_encode(err, req, size, a->buf, sizeof(a->buf)));
}

/*
 * Whether async message 'reason' of kind 'kind' (0 packet-in, 1 port
 * status, 2 flow removed) goes to 'c'.
 */
static bool
ofa_async_wanted(const struct of_conn *c, unsigned kind, unsigned reason)
{
	const struct ofa_conn *oc = ofa_conn(c);
	unsigned slave = oc->role == OFPCR_ROLE_SLAVE;

	return (oc->async[kind * 2 + slave] >> reason) & 1;
}

struct ofa_bcast {
	const uint8_t *msg; /* the message */
	size_t size;        /* its size */
	unsigned kind;      /* 0 packet-in, 1 port status, 2 flow removed */
	unsigned reason;    /* its reason */
};

static void
ofa_bcast_one(struct of_conn *c, void *arg)
{
	const struct ofa_bcast *b = arg;

	if (ofa_async_wanted(c, b->kind, b->reason)) {
		of_conn_send(c, b->msg, b->size);
	}
}

static void
ofa_broadcast(struct ofagent *a, int size, unsigned kind, unsigned reason)
{
	struct ofa_bcast b = {a->buf, (size_t)size, kind, reason};

	if (size > 0 && a->mgr != NULL) {
		of_conn_mgr_foreach(a->mgr, ofa_bcast_one, &b);
	}
}

/* Whether target 'target' is a controller vireod connects to (not a listener). */
static bool
ofa_target_active(const char *target)
{
	return strncmp(target, "tcp:", 4) == 0 || strncmp(target, "unix:", 5) == 0;
}

static void
ofa_count_active(struct of_conn *c, void *arg)
{
	unsigned *n = arg;

	if (ofa_target_active(of_conn_target(c)) && of_conn_get_user(c) != NULL) {
		(*n)++;
	}
}

/*
 * Whether the bridge fails open now: standalone, controllers to connect to
 * configured, none of them connected. Listeners (ptcp:, punix:) are for
 * tools such as ovs-ofctl and do not count, connected or not.
 */
static bool
ofa_fail_open(struct ofagent *a)
{
	unsigned n_up = 0;

	if (a->secure || a->n_active == 0) {
		return false;
	}
	if (a->mgr != NULL) {
		of_conn_mgr_foreach(a->mgr, ofa_count_active, &n_up);
	}
	return n_up == 0;
}

/* ---- Publication ---------------------------------------------------- */

int
ofagent_publish(struct ofagent *a)
{
	struct oft_compile_ctx ctx = {ofa_port_idx, a, dp_n_pmds(a->sw->dp), false};
	struct dp_cls *cls, *old = NULL;
	uint64_t start;
	int ret;

	ctx.fail_open = ofa_fail_open(a);
	start = ofa_now_ms();
	ret = oft_compile(a->oft, &ctx, &cls);
	if (ret < 0) {
		fprintf(stderr, "vireod: bridge %s: cannot compile its flows: %s\n", a->br->name,
			strerror(-ret));
		return ret;
	}
	ret = dp_publish_cls(a->sw->dp, a->br->idx, cls, &old);
	if (ret < 0) {
		dp_cls_free(cls);
		return ret;
	}
	if (old != NULL && !a->fail_open) {
		oft_harvest(a->oft, old, ofa_ticks_per_ms());
	}
	dp_cls_free(old);
	a->live = cls;
	a->fail_open = ctx.fail_open;
	a->dirty = false;
	/* While flows stream in, compiling is at most a third of the work. */
	a->publish_ms = 2 * (ofa_now_ms() - start);
	if (a->publish_ms < OFA_PUBLISH_MS) {
		a->publish_ms = OFA_PUBLISH_MS;
	}
	return 0;
}

/*
 * Publishes pending flow changes now: rule by rule into the live
 * classifier when only flows changed (the cost of the change, not of the
 * tables: ovs-ofctl sends a barrier after every flow_mod), else by
 * compiling all of them.
 */
void
ofa_flush(struct ofagent *a)
{
	struct oft_compile_ctx ctx = {ofa_port_idx, a, dp_n_pmds(a->sw->dp), false};

	if (!a->dirty) {
		return;
	}
	if (a->live != NULL && !a->fail_open && !ofa_fail_open(a) &&
	    oft_sync(a->oft, &ctx, a->live) == 0 &&
	    dp_cls_commit(a->sw->dp, a->live, oft_removed_rule, a->oft) == 0) {
		a->dirty = false;
		return;
	}
	ofagent_publish(a);
}

static void
ofa_publish_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	ofa_flush(arg);
}

/*
 * Notes that flows changed: published within OFA_PUBLISH_MS, or twice the
 * time the last compilation took when that is longer (100,000 flows take
 * a few hundred ms to compile; a stream of flow_mods must not spend all
 * its time recompiling).
 */
static void
ofa_changed(struct ofagent *a)
{
	struct timeval tv = {(time_t)(a->publish_ms / 1000),
			     (suseconds_t)(a->publish_ms % 1000) * 1000};

	if (!a->dirty) {
		a->dirty = true;
		if (a->publish_ev != NULL) {
			evtimer_add(a->publish_ev, &tv);
		}
	}
}

/* ---- Flow mods ------------------------------------------------------ */

/* Whether 'list' outputs to OFPP_TABLE, which only packet-outs may. */
static bool
ofa_outputs_to_table(const struct of_action_list *list)
{
	unsigned i;

	for (i = 0; i < list->n; i++) {
		if (list->a[i].type == OFPAT_OUTPUT && list->a[i].output.port == OFPP_TABLE) {
			return true;
		}
	}
	return false;
}

/* Applies 'fm'; the error, if any, is returned and nothing changed. */
enum of_err
ofa_flow_mod(struct ofagent *a, const struct of_flow *fm)
{
	enum of_err err;
	bool changed = false;

	if (ofa_outputs_to_table(&fm->ins.apply) || ofa_outputs_to_table(&fm->ins.write)) {
		return OF_ERR_BAD_ACTION_BAD_OUT_PORT;
	}
	err = oft_flow_mod(a->oft, fm, ofa_now_ms(), &changed);
	if (err == OF_ERR_NONE && changed) {
		ofa_changed(a);
	}
	return err;
}

/* Counters of flow 'f' as the datapath saw them (see oft_flow_counters()). */
void
ofa_flow_counters(const struct ofagent *a, const struct oft_flow *f, uint64_t *packets,
		  uint64_t *bytes, uint64_t *used_ms)
{
	oft_flow_counters(a->oft, f, a->fail_open ? NULL : a->live, ofa_ticks_per_ms(), packets,
			  bytes, used_ms);
}

static void
ofa_handle_flow_mod(struct ofagent *a, struct of_conn *c, const uint8_t *msg, size_t size)
{
	struct of_flow fm;
	enum of_err err;

	err = of_flow_mod_decode(msg, size, &fm);
	if (err == OF_ERR_NONE) {
		if (fm.buffer_id != OFP_NO_BUFFER) {
			err = OF_ERR_BAD_REQUEST_BUFFER_UNKNOWN;
		} else {
			err = ofa_flow_mod(a, &fm);
		}
		of_instructions_free(&fm.ins);
	}
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
	}
}

/* ---- Packet-out and packet-in --------------------------------------- */

static void
ofa_handle_packet_out(struct ofagent *a, struct of_conn *c, const uint8_t *msg, size_t size)
{
	struct oft_compile_ctx ctx = {ofa_port_idx, a, dp_n_pmds(a->sw->dp), false};
	struct dp_action ops[DP_PKTOUT_OPS];
	struct of_action_list actions = {0};
	struct of_packet_out po;
	const struct ctl_port *in = NULL;
	enum of_err err;
	int n;

	err = of_packet_out_decode(msg, size, &po);
	if (err == OF_ERR_NONE && po.in_port != OFPP_CONTROLLER &&
	    ((in = ofa_port_find(a, po.in_port)) == NULL || in->dp_idx == DP_PORT_NONE)) {
		err = OF_ERR_BAD_REQUEST_BAD_PORT;
	}
	if (err == OF_ERR_NONE) {
		err = of_actions_decode(po.actions, po.actions_size, &actions);
	}
	if (err == OF_ERR_NONE && (po.data_size < 14 || po.data_size > 9216)) {
		err = OF_ERR_BAD_REQUEST_BAD_PACKET;
	}
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
		return;
	}
	ofa_flush(a);
	n = oft_actions_to_ops(&actions, &ctx, ops, DP_PKTOUT_OPS);
	of_actions_free(&actions);
	if (n < 0) {
		ofa_error(a, c, OF_ERR_BAD_ACTION_TOO_MANY, msg, size);
		return;
	}
	if (dp_packet_out(a->sw->dp, a->br->idx, in != NULL ? in->dp_idx : DP_PORT_NONE, po.data,
			  (uint32_t)po.data_size, ops, (uint16_t)n) < 0) {
		/* Like a full queue on the wire: the packet is lost, counted nowhere else. */
		fprintf(stderr, "vireod: bridge %s: packet-out dropped (datapath busy)\n",
			a->br->name);
	}
}

void
ofagent_packet_in(struct ofagent *a, const struct dp_upcall *u)
{
	const uint8_t *data;
	uint32_t len, in_port;
	int size;

	data = dp_upcall_data(u, &len);
	if (data == NULL || a->mgr == NULL || of_conn_mgr_n_up(a->mgr) == 0) {
		return;
	}
	if (u->max_len != OFPCML_NO_BUFFER && len > u->max_len) {
		len = u->max_len;
	}
	in_port = u->in_ofport;
	size = of_packet_in_encode_simple(
	    0, u->reason, u->table_id, u->cookie, in_port, u->metadata, u->tunnel_id, data, len,
	    (uint16_t)(u->total_len > 0xffff ? 0xffff : u->total_len), a->buf, sizeof(a->buf));
	ofa_broadcast(a, size, 0, u->reason);
}

void
ofagent_port_status(struct ofagent *a, const struct ctl_port *p, uint8_t reason)
{
	struct of_port_status ps;
	struct of_port port;

	if (a == NULL || a->mgr == NULL) {
		return;
	}
	ofa_port_desc(a, p, &port);
	ps.reason = reason;
	ps.desc = port;
	ofa_broadcast(a, of_port_status_encode(&ps, 0, a->buf, sizeof(a->buf)), 1, reason);
}

static void
ofa_handle_port_mod(struct ofagent *a, struct of_conn *c, const uint8_t *msg, size_t size)
{
	struct of_port_mod pm;
	struct of_port desc;
	struct ctl_port *p = NULL;
	enum of_err err;

	err = of_port_mod_decode(msg, size, &pm);
	if (err == OF_ERR_NONE && (p = ofa_port_find(a, pm.port_no)) == NULL) {
		err = OF_ERR_PORT_MOD_FAILED_BAD_PORT;
	}
	if (err == OF_ERR_NONE) {
		ofa_port_desc(a, p, &desc);
		if (memcmp(desc.hw_addr, pm.hw_addr, 6) != 0) {
			err = OF_ERR_PORT_MOD_FAILED_BAD_HW_ADDR;
		}
	}
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
		return;
	}
	if ((p->of_config & pm.mask) != (pm.config & pm.mask)) {
		ctl_port_set_of_config(a->sw, p, pm.config, pm.mask);
		ofagent_port_status(a, p, OFPPR_MODIFY);
	}
}

/* ---- Configuration, roles, async ------------------------------------ */

static void
ofa_handle_config(struct ofagent *a, struct of_conn *c, const struct of_header *hdr,
		  const uint8_t *msg, size_t size)
{
	struct of_switch_config cfg;
	enum of_err err;

	if (hdr->type == OFPT_GET_CONFIG_REQUEST) {
		err = of_empty_msg_decode(msg, size);
		if (err != OF_ERR_NONE) {
			ofa_error(a, c, err, msg, size);
			return;
		}
		cfg.flags = a->config_flags;
		cfg.miss_send_len = a->miss_send_len;
		ofa_send(c, a->buf,
			 of_switch_config_encode(OFPT_GET_CONFIG_REPLY, hdr->xid, &cfg, a->buf,
						 sizeof(a->buf)));
		return;
	}
	err = of_switch_config_decode(msg, size, &cfg);
	if (err == OF_ERR_NONE && (cfg.flags & OFPC_FRAG_MASK) == OFPC_FRAG_REASM) {
		err = OF_ERR_SWITCH_CONFIG_FAILED_BAD_FLAGS;
	}
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
		return;
	}
	a->config_flags = cfg.flags;
	a->miss_send_len = cfg.miss_send_len;
}

static void
ofa_demote_master(struct of_conn *c, void *arg)
{
	struct ofa_conn *oc = ofa_conn(c);

	if (c != arg && oc->role == OFPCR_ROLE_MASTER) {
		oc->role = OFPCR_ROLE_SLAVE;
	}
}

static void
ofa_handle_role(struct ofagent *a, struct of_conn *c, const struct of_header *hdr,
		const uint8_t *msg, size_t size)
{
	struct ofa_conn *oc = ofa_conn(c);
	struct of_role role;
	enum of_err err;

	err = of_role_decode(msg, size, &role);
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
		return;
	}
	if (role.role != OFPCR_ROLE_NOCHANGE) {
		if (role.role == OFPCR_ROLE_MASTER) {
			of_conn_mgr_foreach(a->mgr, ofa_demote_master, c);
		}
		oc->role = (uint8_t)role.role;
		oc->generation = role.generation_id;
	}
	role.role = oc->role;
	role.generation_id = oc->generation;
	ofa_send(c, a->buf,
		 of_role_encode(OFPT_ROLE_REPLY, hdr->xid, &role, a->buf, sizeof(a->buf)));
}

static void
ofa_handle_async(struct ofagent *a, struct of_conn *c, const struct of_header *hdr,
		 const uint8_t *msg, size_t size)
{
	struct ofa_conn *oc = ofa_conn(c);
	struct of_async_config cfg;
	enum of_err err;

	if (hdr->type == OFPT_GET_ASYNC_REQUEST) {
		err = of_empty_msg_decode(msg, size);
		if (err != OF_ERR_NONE) {
			ofa_error(a, c, err, msg, size);
			return;
		}
		memcpy(cfg.packet_in_mask, &oc->async[0], sizeof(cfg.packet_in_mask));
		memcpy(cfg.port_status_mask, &oc->async[2], sizeof(cfg.port_status_mask));
		memcpy(cfg.flow_removed_mask, &oc->async[4], sizeof(cfg.flow_removed_mask));
		ofa_send(
		    c, a->buf,
		    of_async_encode(OFPT_GET_ASYNC_REPLY, hdr->xid, &cfg, a->buf, sizeof(a->buf)));
		return;
	}
	err = of_async_decode(msg, size, &cfg);
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
		return;
	}
	memcpy(&oc->async[0], cfg.packet_in_mask, sizeof(cfg.packet_in_mask));
	memcpy(&oc->async[2], cfg.port_status_mask, sizeof(cfg.port_status_mask));
	memcpy(&oc->async[4], cfg.flow_removed_mask, sizeof(cfg.flow_removed_mask));
}

/* ---- Dispatch ------------------------------------------------------- */

/* Whether a message of 'type' changes the switch, which a slave may not do. */
static bool
ofa_is_change(uint8_t type)
{
	return type == OFPT_FLOW_MOD || type == OFPT_PACKET_OUT || type == OFPT_PORT_MOD ||
	       type == OFPT_GROUP_MOD || type == OFPT_TABLE_MOD || type == OFPT_METER_MOD;
}

static void
ofa_handle_features(struct ofagent *a, struct of_conn *c, const struct of_header *hdr,
		    const uint8_t *msg, size_t size)
{
	struct of_features f = {a->dpid, 0, OFA_N_TABLES, 0,
				OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS};

	if (of_empty_msg_decode(msg, size) != OF_ERR_NONE) {
		ofa_error(a, c, OF_ERR_BAD_REQUEST_BAD_LEN, msg, size);
		return;
	}
	ofa_send(c, a->buf, of_features_reply_encode(&f, hdr->xid, a->buf, sizeof(a->buf)));
}

static void
ofa_msg_cb(struct of_conn *c, const struct of_header *hdr, const uint8_t *msg, size_t size,
	   void *arg)
{
	struct ofagent *a = arg;

	if (ofa_conn(c)->role == OFPCR_ROLE_SLAVE && ofa_is_change(hdr->type)) {
		ofa_error(a, c, OF_ERR_BAD_REQUEST_IS_SLAVE, msg, size);
		return;
	}
	switch (hdr->type) {
	case OFPT_FEATURES_REQUEST:
		ofa_handle_features(a, c, hdr, msg, size);
		break;
	case OFPT_GET_CONFIG_REQUEST:
	case OFPT_SET_CONFIG:
		ofa_handle_config(a, c, hdr, msg, size);
		break;
	case OFPT_FLOW_MOD:
		ofa_handle_flow_mod(a, c, msg, size);
		break;
	case OFPT_PACKET_OUT:
		ofa_handle_packet_out(a, c, msg, size);
		break;
	case OFPT_PORT_MOD:
		ofa_handle_port_mod(a, c, msg, size);
		break;
	case OFPT_MULTIPART_REQUEST:
		ofa_handle_multipart(a, c, hdr, msg, size);
		break;
	case OFPT_BARRIER_REQUEST:
		if (of_empty_msg_decode(msg, size) != OF_ERR_NONE) {
			ofa_error(a, c, OF_ERR_BAD_REQUEST_BAD_LEN, msg, size);
			break;
		}
		ofa_flush(a);
		ofa_send(c, a->buf, of_barrier_reply_encode(hdr->xid, a->buf, sizeof(a->buf)));
		break;
	case OFPT_ROLE_REQUEST:
		ofa_handle_role(a, c, hdr, msg, size);
		break;
	case OFPT_GET_ASYNC_REQUEST:
	case OFPT_SET_ASYNC:
		ofa_handle_async(a, c, hdr, msg, size);
		break;
	case OFPT_TABLE_MOD:
		/* 1.3 defines no table config bits that do anything: accepted. */
		break;
	case OFPT_EXPERIMENTER:
		ofa_error(a, c, OF_ERR_BAD_REQUEST_BAD_EXPERIMENTER, msg, size);
		break;
	case OFPT_ERROR:
		break;
	default:
		/* Groups, meters, queues, and messages only a switch sends. */
		ofa_error(a, c, OF_ERR_BAD_REQUEST_BAD_TYPE, msg, size);
		break;
	}
}

static void
ofa_up_cb(struct of_conn *c, void *arg)
{
	struct ofagent *a = arg;
	struct ofa_conn *oc = calloc(1, sizeof(*oc));

	if (oc == NULL) {
		of_conn_close(c);
		return;
	}
	/* Async defaults [7.3.10]: master/equal get packet-ins and all else, slaves port status. */
	oc->role = OFPCR_ROLE_EQUAL;
	oc->async[0] = 1u << OFPR_NO_MATCH | 1u << OFPR_ACTION;
	oc->async[2] = oc->async[3] = 1u << OFPPR_ADD | 1u << OFPPR_DELETE | 1u << OFPPR_MODIFY;
	oc->async[4] = 0xf;
	of_conn_set_user(c, oc);
	fprintf(stderr, "vireod: bridge %s: controller %s connected\n", a->br->name,
		of_conn_peer(c));
	if (ofa_fail_open(a) != a->fail_open) {
		ofagent_publish(a);
	}
}

static void
ofa_down_cb(struct of_conn *c, void *arg)
{
	struct ofagent *a = arg;

	fprintf(stderr, "vireod: bridge %s: controller %s disconnected\n", a->br->name,
		of_conn_peer(c));
	free(of_conn_get_user(c));
	of_conn_set_user(c, NULL);
	/* Without its user data 'c' no longer counts as connected. */
	if (ofa_fail_open(a) != a->fail_open) {
		ofagent_publish(a);
	}
}

/* FLOW_REMOVED for a flow that asked for it (OFPFF_SEND_FLOW_REM) [6.5]. */
static void
ofa_flow_removed_cb(const struct oft_flow *f, enum oft_removed reason, void *arg)
{
	struct ofagent *a = arg;
	struct of_flow_removed fr;
	uint64_t age = ofa_now_ms() - f->created_ms, used;

	if (!(f->f.flags & OFPFF_SEND_FLOW_REM) || a->mgr == NULL) {
		return;
	}
	memset(&fr, 0, sizeof(fr));
	fr.cookie = f->f.cookie;
	fr.priority = f->f.priority;
	fr.reason = (uint8_t)reason;
	fr.table_id = f->f.table_id;
	fr.duration_sec = (uint32_t)(age / 1000);
	fr.duration_nsec = (uint32_t)(age % 1000) * 1000000;
	fr.idle_timeout = f->f.idle_timeout;
	fr.hard_timeout = f->f.hard_timeout;
	ofa_flow_counters(a, f, &fr.packet_count, &fr.byte_count, &used);
	fr.match = f->f.match;
	ofa_broadcast(a, of_flow_removed_encode(&fr, 0, a->buf, sizeof(a->buf)), 2, reason);
}

/* ---- Life cycle ----------------------------------------------------- */

static int
ofa_add_default_flow(struct ofagent *a)
{
	struct of_action normal = {.type = OFPAT_OUTPUT, .output = {OFPP_NORMAL, 0}};
	struct of_flow f;
	enum of_err err;

	of_flow_init(&f);
	f.priority = 0;
	f.ins.present = OF_INST_BIT(OFPIT_APPLY_ACTIONS);
	f.ins.apply.n = 1;
	f.ins.apply.a = &normal;
	f.ins.n_order = 1;
	f.ins.order[0] = OFPIT_APPLY_ACTIONS;
	err = oft_flow_mod(a->oft, &f, ofa_now_ms(), NULL);
	return err == OF_ERR_NONE ? 0 : -ENOMEM;
}

int
ofagent_create(struct ctl_switch *sw, struct ctl_bridge *br, bool secure, struct ofagent **out)
{
	static const struct of_conn_cbs cbs = {ofa_up_cb, ofa_msg_cb, ofa_down_cb};
	struct ofagent *a = calloc(1, sizeof(*a));

	if (a == NULL || (a->oft = oft_create()) == NULL) {
		free(a);
		return -ENOMEM;
	}
	a->sw = sw;
	a->br = br;
	oft_set_removed_cb(a->oft, ofa_flow_removed_cb, a);
	oft_set_ticks_per_ms(a->oft, ofa_ticks_per_ms());
	a->secure = secure;
	a->dpid = ctl_bridge_dpid(br);
	a->miss_send_len = OFP_DEFAULT_MISS_SEND_LEN;
	a->publish_ms = OFA_PUBLISH_MS;
	if (sw->base != NULL) {
		a->mgr = of_conn_mgr_create(sw->base, &cbs, a);
		a->publish_ev = evtimer_new(sw->base, ofa_publish_cb, a);
		if (a->mgr == NULL || a->publish_ev == NULL) {
			ofagent_destroy(a);
			return -ENOMEM;
		}
	}
	if (!secure && ofa_add_default_flow(a) < 0) {
		ofagent_destroy(a);
		return -ENOMEM;
	}
	a->dirty = true;
	*out = a;
	return 0;
}

void
ofagent_destroy(struct ofagent *a)
{
	struct dp_cls *old = NULL;

	if (a == NULL) {
		return;
	}
	of_conn_mgr_free(a->mgr);
	if (a->publish_ev != NULL) {
		event_free(a->publish_ev);
	}
	if (a->live != NULL) {
		dp_publish_cls(a->sw->dp, a->br->idx, NULL, &old);
		dp_cls_free(old);
	}
	oft_free(a->oft);
	free(a);
}

int
ofagent_set_controllers(struct ofagent *a, const json_t *targets, char *err, size_t err_size)
{
	const char *list[OF_TARGET_MAX];
	size_t i, n = json_array_size(targets);
	int ret;

	if (n > OF_TARGET_MAX) {
		snprintf(err, err_size, "too many controllers (at most %d)", OF_TARGET_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		list[i] = json_string_value(json_array_get(targets, i));
	}
	if (a->mgr == NULL) {
		for (i = 0; i < n; i++) {
			ret = of_target_check(list[i], err, err_size);
			if (ret < 0) {
				return ret;
			}
		}
	} else {
		ret = of_conn_mgr_set_targets(a->mgr, list, (unsigned)n, err, err_size);
		if (ret < 0) {
			return ret;
		}
	}
	a->n_active = 0;
	for (i = 0; i < n; i++) {
		a->n_active += ofa_target_active(list[i]);
	}
	return ofagent_publish(a);
}

void
ofagent_set_fail_mode(struct ofagent *a, bool secure)
{
	if (a->secure != secure) {
		a->secure = secure;
		ofagent_publish(a);
	}
}

void
ofagent_set_dpid(struct ofagent *a, uint64_t dpid)
{
	a->dpid = dpid;
}

void
ofagent_tick(struct ofagent *a)
{
	bool fail_open = ofa_fail_open(a);

	if (oft_expire(a->oft, a->fail_open ? NULL : a->live, ofa_ticks_per_ms(), ofa_now_ms()) >
		0 ||
	    fail_open != a->fail_open) {
		a->dirty = true;
	}
	ofa_flush(a);
}

static const char *
ofa_state_name(enum of_target_state s)
{
	switch (s) {
	case OF_TARGET_CONNECTING:
		return "connecting";
	case OF_TARGET_CONNECTED:
		return "connected";
	case OF_TARGET_BACKOFF:
		return "backoff";
	case OF_TARGET_LISTENING:
		return "listening";
	case OF_TARGET_FAILED:
		return "failed";
	}
	return "unknown";
}

unsigned
ofagent_n_flows(const struct ofagent *a)
{
	return a != NULL && a->oft != NULL ? oft_n_flows(a->oft, OFPTT_ALL) : 0;
}

json_t *
ofagent_controllers_json(const struct ofagent *a)
{
	struct of_target_status st[OF_TARGET_MAX];
	json_t *arr = json_array();
	unsigned n, i;

	if (a == NULL || a->mgr == NULL) {
		return arr;
	}
	n = of_conn_mgr_status(a->mgr, st, OF_TARGET_MAX);
	for (i = 0; i < n && i < OF_TARGET_MAX; i++) {
		json_t *o = json_pack("{s:s, s:s, s:I}", "target", st[i].target, "state",
				      ofa_state_name(st[i].state), "connections",
				      (json_int_t)st[i].n_conns);

		if (st[i].error[0] != '\0') {
			json_object_set_new(o, "error", json_string(st[i].error));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}
