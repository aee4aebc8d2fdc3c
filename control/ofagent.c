/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofagent.c - the OpenFlow 1.3 agent of a bridge (see ofagent.h): message
 * handling on the controller channels [OpenFlow 1.3.5, 7.3, 7.4], flow
 * table changes, publication to the datapath, packet-in and packet-out,
 * port status, and the CLI's flow commands.
 *
 * Limits: no buffering (buffer_id is always OFP_NO_BUFFER), no groups,
 * meters or queues (their messages are answered with the spec's errors),
 * one queue per port (set_queue is accepted and has no effect). Roles are
 * kept per connection; a slave may read but not change anything.
 */
#include "control/ofagent.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "control/bridge.h"
#include "control/oft.h"
#include "datapath/dp_flow.h"
#include "protocols/openflow/of_action.h"
#include "protocols/openflow/of_conn.h"
#include "protocols/openflow/of_flow_syntax.h"
#include "protocols/openflow/of_msg.h"
#include "protocols/openflow/of_switch.h"
#include "protocols/openflow/of_wire.h"

#define OFA_N_TABLES 254 /* tables 0..253 reported; 254 also works */
#define OFA_MSG_SIZE (OFP_MSG_MAX + 1)

/* What the agent keeps per connection. */
struct ofa_conn {
	uint8_t role;        /* OFPCR_ROLE_* (EQUAL until a ROLE_REQUEST) */
	uint32_t async[6];   /* packet_in, port_status, flow_removed masks: master/equal, slave */
	uint64_t generation; /* last generation_id seen in a ROLE_REQUEST */
};

struct ofagent {
	struct ctl_switch *sw;     /* the switch, borrowed */
	struct ctl_bridge *br;     /* the bridge, borrowed */
	struct oft *oft;           /* its flow tables */
	struct of_conn_mgr *mgr;   /* its controller channels, NULL without an event base */
	struct event *publish_ev;  /* coalesces publication of flow changes */
	struct dp_cls *live;       /* the classifier published for the bridge */
	bool dirty;                /* flows changed since 'live' was built */
	uint64_t publish_ms;       /* how long flow changes wait to be published */
	bool secure;               /* fail mode secure */
	bool fail_open;            /* 'live' is the fail-open NORMAL table */
	unsigned n_active;         /* controllers configured that vireod connects to */
	uint64_t dpid;             /* datapath id */
	uint16_t config_flags;     /* SET_CONFIG flags */
	uint16_t miss_send_len;    /* SET_CONFIG miss_send_len */
	uint8_t buf[OFA_MSG_SIZE]; /* encoding scratch */
};

static uint64_t
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
static uint32_t
ofa_port_no(const struct ctl_port *p)
{
	return p->ofport == CTL_OFPORT_LOCAL ? OFPP_LOCAL : p->ofport;
}

/* The port of the bridge with OpenFlow 1.3 number 'port_no', or NULL. */
static struct ctl_port *
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
static void
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
static void
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
static void
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
static enum of_err
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
	in_port = u->in_ofport == CTL_OFPORT_LOCAL ? OFPP_LOCAL : u->in_ofport;
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

/* ---- Multipart ------------------------------------------------------ */

static void
ofa_emit(const uint8_t *msg, size_t size, void *arg)
{
	of_conn_send(arg, msg, size);
}

struct ofa_flow_walk {
	struct ofagent *a;       /* the agent */
	struct of_mp_writer *w;  /* FLOW replies */
	uint64_t now_ms;         /* for durations */
	uint64_t packets, bytes; /* AGGREGATE sums */
	uint32_t n_flows;        /* AGGREGATE count */
	enum of_err err;         /* first encoding failure */
};

static void
ofa_flow_counters(const struct ofagent *a, const struct oft_flow *f, uint64_t *packets,
		  uint64_t *bytes, uint64_t *used_ms)
{
	oft_flow_counters(a->oft, f, a->fail_open ? NULL : a->live, ofa_ticks_per_ms(), packets,
			  bytes, used_ms);
}

static void
ofa_flow_stats_one(const struct oft_flow *f, void *arg)
{
	struct ofa_flow_walk *wk = arg;
	struct of_flow_stats fs;
	uint8_t entry[OFP_MSG_MAX];
	uint64_t age = wk->now_ms - f->created_ms, used;
	int n;

	fs.flow = f->f;
	fs.duration_sec = (uint32_t)(age / 1000);
	fs.duration_nsec = (uint32_t)(age % 1000) * 1000000;
	ofa_flow_counters(wk->a, f, &fs.packet_count, &fs.byte_count, &used);
	n = of_flow_stats_encode(&fs, entry, sizeof(entry));
	if (n < 0 || of_mp_writer_add(wk->w, entry, (size_t)n) < 0) {
		wk->err = OF_ERR_BAD_REQUEST_MULTIPART_BUFFER_OVERFLOW;
	}
}

static void
ofa_aggregate_one(const struct oft_flow *f, void *arg)
{
	struct ofa_flow_walk *wk = arg;
	uint64_t packets, bytes, used;

	ofa_flow_counters(wk->a, f, &packets, &bytes, &used);
	wk->packets += packets;
	wk->bytes += bytes;
	wk->n_flows++;
}

static enum of_err
ofa_mp_flow(struct ofagent *a, const struct of_mp_request *mp, struct of_mp_writer *w)
{
	struct ofa_flow_walk wk = {a, w, ofa_now_ms(), 0, 0, 0, OF_ERR_NONE};
	struct of_aggregate_stats agg;
	struct of_flow filter;
	uint8_t body[24];
	enum of_err err;
	int n;

	err = of_flow_stats_request_decode(mp->body, mp->body_size, &filter);
	if (err != OF_ERR_NONE) {
		return err;
	}
	if (mp->type == OFPMP_FLOW) {
		oft_select(a->oft, &filter, false, ofa_flow_stats_one, &wk);
		return wk.err;
	}
	oft_select(a->oft, &filter, false, ofa_aggregate_one, &wk);
	agg.packet_count = wk.packets;
	agg.byte_count = wk.bytes;
	agg.flow_count = wk.n_flows;
	n = of_aggregate_stats_encode(&agg, body, sizeof(body));
	return n < 0 || of_mp_writer_add(w, body, (size_t)n) < 0
		   ? OF_ERR_BAD_REQUEST_MULTIPART_BUFFER_OVERFLOW
		   : OF_ERR_NONE;
}

static enum of_err
ofa_mp_desc(struct ofagent *a, struct of_mp_writer *w)
{
	struct of_desc d;
	uint8_t body[1056];
	int n;

	memset(&d, 0, sizeof(d));
	snprintf(d.mfr_desc, sizeof(d.mfr_desc), "The vireo project");
	snprintf(d.hw_desc, sizeof(d.hw_desc), "vireo software switch (DPDK)");
	snprintf(d.sw_desc, sizeof(d.sw_desc), "vireo 0.1.0");
	snprintf(d.serial_num, sizeof(d.serial_num), "None");
	snprintf(d.dp_desc, sizeof(d.dp_desc), "%s", a->br->name);
	n = of_desc_encode(&d, body, sizeof(body));
	return n < 0 || of_mp_writer_add(w, body, (size_t)n) < 0 ? OF_ERR_BAD_REQUEST_BAD_LEN
								 : OF_ERR_NONE;
}

struct ofa_table_walk {
	struct ofagent *a;                  /* the agent */
	uint64_t matched[OFA_N_TABLES + 1]; /* packets that hit a flow, by table */
};

static void
ofa_table_one(const struct oft_flow *f, void *arg)
{
	struct ofa_table_walk *tw = arg;
	uint64_t packets, bytes, used;

	ofa_flow_counters(tw->a, f, &packets, &bytes, &used);
	tw->matched[f->f.table_id] += packets;
}

static enum of_err
ofa_mp_table(struct ofagent *a, struct of_mp_writer *w)
{
	struct ofa_table_walk *tw = calloc(1, sizeof(*tw));
	struct of_flow all;
	uint8_t entry[32];
	unsigned t;
	int n;

	if (tw == NULL) {
		return OF_ERR_BAD_REQUEST_MULTIPART_BUFFER_OVERFLOW;
	}
	tw->a = a;
	of_flow_init(&all);
	all.table_id = OFPTT_ALL;
	oft_select(a->oft, &all, false, ofa_table_one, tw);
	for (t = 0; t < OFA_N_TABLES; t++) {
		struct of_table_stats ts = {(uint8_t)t, oft_n_flows(a->oft, (uint8_t)t),
					    tw->matched[t], tw->matched[t]};

		n = of_table_stats_encode(&ts, entry, sizeof(entry));
		if (n > 0) {
			of_mp_writer_add(w, entry, (size_t)n);
		}
	}
	free(tw);
	return OF_ERR_NONE;
}

static enum of_err
ofa_mp_ports(struct ofagent *a, const struct of_mp_request *mp, struct of_mp_writer *w)
{
	uint32_t want = OFPP_ANY;
	uint8_t entry[128];
	unsigned i;
	int n;

	if (mp->type == OFPMP_PORT_STATS) {
		enum of_err err = of_port_stats_request_decode(mp, &want);

		if (err != OF_ERR_NONE) {
			return err;
		}
		if (want != OFPP_ANY && ofa_port_find(a, want) == NULL) {
			return OF_ERR_BAD_REQUEST_BAD_PORT;
		}
	}
	for (i = 0; i < a->br->n_ports; i++) {
		const struct ctl_port *p = a->br->ports[i];

		if (want != OFPP_ANY && ofa_port_no(p) != want) {
			continue;
		}
		if (mp->type == OFPMP_PORT_DESC) {
			struct of_port desc;

			ofa_port_desc(a, p, &desc);
			n = of_port_encode(&desc, entry, sizeof(entry));
		} else {
			struct of_port_stats ps = {.port_no = ofa_port_no(p)};
			struct dp_port_stats st = {0};

			if (p->dp_idx != DP_PORT_NONE) {
				dp_port_stats(a->sw->dp, p->dp_idx, &st);
			}
			ps.rx_packets = st.rx_packets;
			ps.tx_packets = st.tx_packets;
			ps.rx_bytes = st.rx_bytes;
			ps.tx_bytes = st.tx_bytes;
			ps.rx_dropped = st.rx_dropped;
			ps.tx_dropped = st.tx_dropped;
			ps.rx_errors = st.rx_errors;
			ps.tx_errors = st.tx_errors;
			n = of_port_stats_encode(&ps, entry, sizeof(entry));
		}
		if (n > 0) {
			of_mp_writer_add(w, entry, (size_t)n);
		}
	}
	return OF_ERR_NONE;
}

/* Field numbers vireo matches (all writable ones but in_port, in_phy_port, metadata). */
static const uint8_t ofa_fields[] = {
    OFPXMT_OFB_IN_PORT,     OFPXMT_OFB_IN_PHY_PORT,    OFPXMT_OFB_METADATA,
    OFPXMT_OFB_ETH_DST,     OFPXMT_OFB_ETH_SRC,        OFPXMT_OFB_ETH_TYPE,
    OFPXMT_OFB_VLAN_VID,    OFPXMT_OFB_VLAN_PCP,       OFPXMT_OFB_IP_DSCP,
    OFPXMT_OFB_IP_ECN,      OFPXMT_OFB_IP_PROTO,       OFPXMT_OFB_IPV4_SRC,
    OFPXMT_OFB_IPV4_DST,    OFPXMT_OFB_TCP_SRC,        OFPXMT_OFB_TCP_DST,
    OFPXMT_OFB_UDP_SRC,     OFPXMT_OFB_UDP_DST,        OFPXMT_OFB_SCTP_SRC,
    OFPXMT_OFB_SCTP_DST,    OFPXMT_OFB_ICMPV4_TYPE,    OFPXMT_OFB_ICMPV4_CODE,
    OFPXMT_OFB_ARP_OP,      OFPXMT_OFB_ARP_SPA,        OFPXMT_OFB_ARP_TPA,
    OFPXMT_OFB_ARP_SHA,     OFPXMT_OFB_ARP_THA,        OFPXMT_OFB_IPV6_SRC,
    OFPXMT_OFB_IPV6_DST,    OFPXMT_OFB_IPV6_FLABEL,    OFPXMT_OFB_ICMPV6_TYPE,
    OFPXMT_OFB_ICMPV6_CODE, OFPXMT_OFB_IPV6_ND_TARGET, OFPXMT_OFB_IPV6_ND_SLL,
    OFPXMT_OFB_IPV6_ND_TLL, OFPXMT_OFB_TUNNEL_ID,
};

/* Value size in bytes of OXM field 'f' (of those in ofa_fields). */
static uint8_t
ofa_field_size(uint8_t f)
{
	static const uint8_t size[OF_MATCH_N_FIELDS] = {
	    [OFPXMT_OFB_IN_PORT] = 4,     [OFPXMT_OFB_IN_PHY_PORT] = 4,
	    [OFPXMT_OFB_METADATA] = 8,    [OFPXMT_OFB_ETH_DST] = 6,
	    [OFPXMT_OFB_ETH_SRC] = 6,     [OFPXMT_OFB_ETH_TYPE] = 2,
	    [OFPXMT_OFB_VLAN_VID] = 2,    [OFPXMT_OFB_VLAN_PCP] = 1,
	    [OFPXMT_OFB_IP_DSCP] = 1,     [OFPXMT_OFB_IP_ECN] = 1,
	    [OFPXMT_OFB_IP_PROTO] = 1,    [OFPXMT_OFB_IPV4_SRC] = 4,
	    [OFPXMT_OFB_IPV4_DST] = 4,    [OFPXMT_OFB_TCP_SRC] = 2,
	    [OFPXMT_OFB_TCP_DST] = 2,     [OFPXMT_OFB_UDP_SRC] = 2,
	    [OFPXMT_OFB_UDP_DST] = 2,     [OFPXMT_OFB_SCTP_SRC] = 2,
	    [OFPXMT_OFB_SCTP_DST] = 2,    [OFPXMT_OFB_ICMPV4_TYPE] = 1,
	    [OFPXMT_OFB_ICMPV4_CODE] = 1, [OFPXMT_OFB_ARP_OP] = 2,
	    [OFPXMT_OFB_ARP_SPA] = 4,     [OFPXMT_OFB_ARP_TPA] = 4,
	    [OFPXMT_OFB_ARP_SHA] = 6,     [OFPXMT_OFB_ARP_THA] = 6,
	    [OFPXMT_OFB_IPV6_SRC] = 16,   [OFPXMT_OFB_IPV6_DST] = 16,
	    [OFPXMT_OFB_IPV6_FLABEL] = 4, [OFPXMT_OFB_ICMPV6_TYPE] = 1,
	    [OFPXMT_OFB_ICMPV6_CODE] = 1, [OFPXMT_OFB_IPV6_ND_TARGET] = 16,
	    [OFPXMT_OFB_IPV6_ND_SLL] = 6, [OFPXMT_OFB_IPV6_ND_TLL] = 6,
	    [OFPXMT_OFB_TUNNEL_ID] = 8,
	};

	return f < OF_MATCH_N_FIELDS ? size[f] : 0;
}

/* Whether OXM field 'f' takes a mask [7.2.3.7, table 11]. */
static bool
ofa_field_maskable(uint8_t f)
{
	switch (f) {
	case OFPXMT_OFB_METADATA:
	case OFPXMT_OFB_ETH_DST:
	case OFPXMT_OFB_ETH_SRC:
	case OFPXMT_OFB_VLAN_VID:
	case OFPXMT_OFB_IPV4_SRC:
	case OFPXMT_OFB_IPV4_DST:
	case OFPXMT_OFB_ARP_SPA:
	case OFPXMT_OFB_ARP_TPA:
	case OFPXMT_OFB_ARP_SHA:
	case OFPXMT_OFB_ARP_THA:
	case OFPXMT_OFB_IPV6_SRC:
	case OFPXMT_OFB_IPV6_DST:
	case OFPXMT_OFB_IPV6_FLABEL:
	case OFPXMT_OFB_TUNNEL_ID:
		return true;
	default:
		return false;
	}
}

/* Table feature property types [7.3.5.5.2]. */
enum {
	OFA_TFPT_INSTRUCTIONS = 0,
	OFA_TFPT_NEXT_TABLES = 2,
	OFA_TFPT_WRITE_ACTIONS = 4,
	OFA_TFPT_APPLY_ACTIONS = 6,
	OFA_TFPT_MATCH = 8,
	OFA_TFPT_WILDCARDS = 10,
	OFA_TFPT_WRITE_SETFIELD = 12,
	OFA_TFPT_APPLY_SETFIELD = 14,
};

/* Starts a property of 'type' at 'p'; returns where its content goes. */
static uint8_t *
ofa_prop_start(uint8_t *p, uint16_t type)
{
	of_put_be16(p, type);
	return p + 4;
}

/* Ends the property started at 'start' whose content ends at 'end'; returns the next one. */
static uint8_t *
ofa_prop_end(uint8_t *start, uint8_t *end)
{
	size_t len = (size_t)(end - start), padded = of_pad8(len);

	of_put_be16(start + 2, (uint16_t)len);
	memset(end, 0, padded - len);
	return start + padded;
}

/* OXM headers of the fields, writable ones only with 'settable', with hasmask when 'masks'. */
static uint8_t *
ofa_prop_fields(uint8_t *p, uint16_t type, bool settable, bool masks)
{
	uint8_t *q = ofa_prop_start(p, type);
	unsigned i;

	for (i = 0; i < sizeof(ofa_fields); i++) {
		uint8_t f = ofa_fields[i];
		bool m = masks && ofa_field_maskable(f);

		if (settable && (f == OFPXMT_OFB_IN_PORT || f == OFPXMT_OFB_IN_PHY_PORT ||
				 f == OFPXMT_OFB_METADATA || f == OFPXMT_OFB_ETH_TYPE ||
				 f == OFPXMT_OFB_IP_PROTO)) {
			continue;
		}
		if (type == OFA_TFPT_WILDCARDS && f == OFPXMT_OFB_IN_PHY_PORT) {
			continue;
		}
		of_put_be32(
		    q, OXM_HEADER(OFPXMC_OPENFLOW_BASIC, f, m, ofa_field_size(f) * (m ? 2 : 1)));
		q += 4;
	}
	return ofa_prop_end(p, q);
}

static uint8_t *
ofa_prop_actions(uint8_t *p, uint16_t type)
{
	static const uint16_t actions[] = {
	    OFPAT_OUTPUT,     OFPAT_PUSH_VLAN,  OFPAT_POP_VLAN,  OFPAT_SET_QUEUE,
	    OFPAT_SET_NW_TTL, OFPAT_DEC_NW_TTL, OFPAT_SET_FIELD,
	};
	uint8_t *q = ofa_prop_start(p, type);
	unsigned i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		of_put_be16(q, actions[i]);
		of_put_be16(q + 2, 4);
		q += 4;
	}
	return ofa_prop_end(p, q);
}

/* One struct ofp_table_features for table 't' into 'buf' (room for 2 KiB); returns its size. */
static size_t
ofa_table_features(uint8_t t, uint8_t *buf)
{
	static const uint16_t insts[] = {OFPIT_GOTO_TABLE, OFPIT_WRITE_METADATA,
					 OFPIT_WRITE_ACTIONS, OFPIT_APPLY_ACTIONS,
					 OFPIT_CLEAR_ACTIONS};
	uint8_t *p = buf + 64, *q;
	unsigned i;

	memset(buf, 0, 64);
	buf[2] = t;
	snprintf((char *)buf + 8, 32, "table%u", t);
	of_put_be64(buf + 40, UINT64_MAX);
	of_put_be64(buf + 48, UINT64_MAX);
	of_put_be32(buf + 60, OFT_MAX_FLOWS);
	q = ofa_prop_start(p, OFA_TFPT_INSTRUCTIONS);
	for (i = 0; i < sizeof(insts) / sizeof(insts[0]); i++) {
		if (insts[i] != OFPIT_GOTO_TABLE || t + 1 < OFA_N_TABLES) {
			of_put_be16(q, insts[i]);
			of_put_be16(q + 2, 4);
			q += 4;
		}
	}
	p = ofa_prop_end(p, q);
	q = ofa_prop_start(p, OFA_TFPT_NEXT_TABLES);
	for (i = t + 1u; i < OFA_N_TABLES; i++) {
		*q++ = (uint8_t)i;
	}
	p = ofa_prop_end(p, q);
	p = ofa_prop_actions(p, OFA_TFPT_WRITE_ACTIONS);
	p = ofa_prop_actions(p, OFA_TFPT_APPLY_ACTIONS);
	p = ofa_prop_fields(p, OFA_TFPT_MATCH, false, true);
	p = ofa_prop_fields(p, OFA_TFPT_WILDCARDS, false, false);
	p = ofa_prop_fields(p, OFA_TFPT_WRITE_SETFIELD, true, false);
	p = ofa_prop_fields(p, OFA_TFPT_APPLY_SETFIELD, true, false);
	of_put_be16(buf, (uint16_t)(p - buf));
	return (size_t)(p - buf);
}

/* TABLE_FEATURES: what every table can do; changing them is refused. */
static enum of_err
ofa_mp_table_features(const struct of_mp_request *mp, struct of_mp_writer *w)
{
	uint8_t entry[2048];
	unsigned t;

	if (mp->body_size != 0) {
		return OF_ERR_TABLE_FEATURES_FAILED_EPERM;
	}
	for (t = 0; t < OFA_N_TABLES; t++) {
		of_mp_writer_add(w, entry, ofa_table_features((uint8_t)t, entry));
	}
	return OF_ERR_NONE;
}

static void
ofa_handle_multipart(struct ofagent *a, struct of_conn *c, const struct of_header *hdr,
		     const uint8_t *msg, size_t size)
{
	struct of_mp_writer *w;
	struct of_mp_request mp;
	enum of_err err;

	err = of_mp_request_decode(msg, size, &mp);
	if (err != OF_ERR_NONE) {
		ofa_error(a, c, err, msg, size);
		return;
	}
	if (mp.flags & OFPMPF_REQ_MORE) {
		/* Requests never span messages here: none of ours needs a body that big. */
		ofa_error(a, c, OF_ERR_BAD_REQUEST_MULTIPART_BUFFER_OVERFLOW, msg, size);
		return;
	}
	w = malloc(sizeof(*w));
	if (w == NULL) {
		return;
	}
	ofa_flush(a);
	of_mp_writer_init(w, mp.type, hdr->xid, ofa_emit, c);
	switch (mp.type) {
	case OFPMP_DESC:
		err = ofa_mp_desc(a, w);
		break;
	case OFPMP_FLOW:
	case OFPMP_AGGREGATE:
		err = ofa_mp_flow(a, &mp, w);
		break;
	case OFPMP_TABLE:
		err = ofa_mp_table(a, w);
		break;
	case OFPMP_PORT_STATS:
	case OFPMP_PORT_DESC:
		err = ofa_mp_ports(a, &mp, w);
		break;
	case OFPMP_TABLE_FEATURES:
		err = ofa_mp_table_features(&mp, w);
		break;
	default:
		err = OF_ERR_BAD_REQUEST_BAD_MULTIPART;
		break;
	}
	if (err == OF_ERR_NONE) {
		of_mp_writer_finish(w);
	} else {
		ofa_error(a, c, err, msg, size);
	}
	free(w);
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

/* ---- The CLI's flows ------------------------------------------------ */

static int
ofa_port_by_name(const char *name, uint32_t *ofport, void *arg)
{
	const struct ofagent *a = arg;
	unsigned i;

	for (i = 0; i < a->br->n_ports; i++) {
		if (strcmp(a->br->ports[i]->name, name) == 0) {
			*ofport = ofa_port_no(a->br->ports[i]);
			return 0;
		}
	}
	return -ENOENT;
}

static int
ofa_parse(struct ofagent *a, const char *text, enum of_flow_parse_mode mode, struct of_flow *out,
	  char *err, size_t err_size)
{
	struct of_flow_parse_opts opts = {mode, ofa_port_by_name, a};

	return of_flow_parse_opts(text, &opts, out, err, err_size);
}

/* Parses 'n' flows for 'command' into a new array, or NULL with 'err'. */
static struct of_flow *
ofa_parse_all(struct ofagent *a, uint8_t command, const char *const *texts, unsigned n, char *err,
	      size_t err_size)
{
	enum of_flow_parse_mode mode = command == OFPFC_ADD             ? OF_PARSE_ADD
				       : command <= OFPFC_MODIFY_STRICT ? OF_PARSE_MODIFY
									: OF_PARSE_DELETE;
	struct of_flow *flows = calloc(n != 0 ? n : 1, sizeof(*flows));
	char e[200];
	unsigned i, j;

	if (flows == NULL) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	if (n == 0) {
		/* del-flows without a match: every flow of every table. */
		of_flow_init(&flows[0]);
		flows[0].table_id = OFPTT_ALL;
	}
	for (i = 0; i < n; i++) {
		if (ofa_parse(a, texts[i], mode, &flows[i], e, sizeof(e)) < 0) {
			if (n > 1) {
				snprintf(err, err_size, "flow %u: %s", i + 1, e);
			} else {
				snprintf(err, err_size, "%s", e);
			}
			for (j = 0; j < i; j++) {
				of_instructions_free(&flows[j].ins);
			}
			free(flows);
			return NULL;
		}
		flows[i].command = command;
	}
	return flows;
}

int
ofagent_cli_flow_mod(struct ofagent *a, uint8_t command, const char *const *texts, unsigned n,
		     char *err, size_t err_size)
{
	struct of_flow *flows = ofa_parse_all(a, command, texts, n, err, err_size);
	unsigned i, n_flows = n != 0 ? n : 1;
	enum of_err oerr = OF_ERR_NONE;
	int ret = 0;

	if (flows == NULL) {
		return -EINVAL;
	}
	for (i = 0; i < n_flows; i++) {
		flows[i].command = command;
		if (oerr == OF_ERR_NONE) {
			oerr = ofa_flow_mod(a, &flows[i]);
			if (oerr != OF_ERR_NONE) {
				snprintf(err, err_size, "%s%.0u%s%s", n > 1 ? "flow " : "",
					 n > 1 ? i + 1 : 0, n > 1 ? ": " : "", of_err_name(oerr));
				ret = -EINVAL;
			}
		}
		of_instructions_free(&flows[i].ins);
	}
	free(flows);
	/* Like ovs-ofctl, which ends every change with a barrier. */
	ofa_flush(a);
	return ret;
}

struct ofa_dump {
	struct ofagent *a; /* the agent */
	json_t *flows;     /* the result */
	uint64_t now_ms;   /* for durations and ages */
};

static void
ofa_dump_one(const struct oft_flow *f, void *arg)
{
	struct ofa_dump *d = arg;
	struct of_flow_format_stats st;
	uint64_t age = d->now_ms - f->created_ms, used;
	char text[4096];

	ofa_flow_counters(d->a, f, &st.n_packets, &st.n_bytes, &used);
	st.duration_sec = (uint32_t)(age / 1000);
	st.duration_nsec = (uint32_t)(age % 1000) * 1000000;
	st.idle_age = (int32_t)((d->now_ms - (used > d->now_ms ? d->now_ms : used)) / 1000);
	st.hard_age = -1;
	of_flow_format(&f->f, &st, text, sizeof(text));
	json_array_append_new(
	    d->flows,
	    json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:I}", "text", text, "table",
		      (json_int_t)f->f.table_id, "priority", (json_int_t)f->f.priority, "cookie",
		      (json_int_t)f->f.cookie, "n_packets", (json_int_t)st.n_packets, "n_bytes",
		      (json_int_t)st.n_bytes, "duration", (double)age / 1000.0, "idle_age",
		      (json_int_t)st.idle_age));
}

json_t *
ofagent_dump_flows(struct ofagent *a, const char *match, char *err, size_t err_size)
{
	struct ofa_dump d = {a, json_array(), ofa_now_ms()};
	struct of_flow filter;

	if (match != NULL) {
		if (ofa_parse(a, match, OF_PARSE_MATCH, &filter, err, err_size) < 0) {
			json_decref(d.flows);
			return NULL;
		}
	} else {
		of_flow_init(&filter);
		filter.table_id = OFPTT_ALL;
	}
	ofa_flush(a);
	oft_select(a->oft, &filter, false, ofa_dump_one, &d);
	of_instructions_free(&filter.ins);
	return d.flows;
}

/* ---- Trace ---------------------------------------------------------- */

/* Applies set_field 'act' to 'key', as the datapath would to the packet. */
static void
ofa_trace_set_field(struct dp_flow_key *key, const struct of_action *act)
{
	const uint8_t *v = act->set_field.value;
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < act->set_field.len && i < 8; i++) {
		n = n << 8 | v[i];
	}
	switch (act->set_field.field) {
	case OFPXMT_OFB_ETH_DST:
		memcpy(key->eth_dst, v, 6);
		break;
	case OFPXMT_OFB_ETH_SRC:
		memcpy(key->eth_src, v, 6);
		break;
	case OFPXMT_OFB_VLAN_VID:
		key->vlan_vid = (uint16_t)(OFPVID_PRESENT | (n & 0xfff));
		break;
	case OFPXMT_OFB_VLAN_PCP:
		key->vlan_pcp = (uint8_t)n;
		break;
	case OFPXMT_OFB_IP_DSCP:
		key->ip_dscp = (uint8_t)n;
		break;
	case OFPXMT_OFB_IPV4_SRC:
	case OFPXMT_OFB_ARP_SPA:
		key->nw_src = (uint32_t)n;
		break;
	case OFPXMT_OFB_IPV4_DST:
	case OFPXMT_OFB_ARP_TPA:
		key->nw_dst = (uint32_t)n;
		break;
	case OFPXMT_OFB_TCP_SRC:
	case OFPXMT_OFB_UDP_SRC:
	case OFPXMT_OFB_SCTP_SRC:
		key->tp_src = (uint16_t)n;
		break;
	case OFPXMT_OFB_TCP_DST:
	case OFPXMT_OFB_UDP_DST:
	case OFPXMT_OFB_SCTP_DST:
		key->tp_dst = (uint16_t)n;
		break;
	case OFPXMT_OFB_TUNNEL_ID:
		key->tunnel_id = n;
		break;
	default:
		break;
	}
}

/* Runs actions 'list' on 'key' for trace, noting outputs in 'out'. */
static void
ofa_trace_actions(const struct ofagent *a, const struct of_action_list *list,
		  struct dp_flow_key *key, json_t *out)
{
	unsigned i;

	for (i = 0; i < list->n; i++) {
		const struct of_action *act = &list->a[i];
		const struct ctl_port *p;
		char where[64];

		switch (act->type) {
		case OFPAT_SET_FIELD:
			ofa_trace_set_field(key, act);
			break;
		case OFPAT_PUSH_VLAN:
			key->vlan_vid |= OFPVID_PRESENT;
			break;
		case OFPAT_POP_VLAN:
			key->vlan_vid = 0;
			key->vlan_pcp = 0;
			break;
		case OFPAT_OUTPUT:
			p = ofa_port_find(a, act->output.port);
			if (p != NULL) {
				snprintf(where, sizeof(where), "port %" PRIu32 " (%s)",
					 act->output.port == OFPP_LOCAL ? (uint32_t)p->ofport
									: act->output.port,
					 p->name);
			} else {
				switch (act->output.port) {
				case OFPP_IN_PORT:
					snprintf(where, sizeof(where), "IN_PORT");
					break;
				case OFPP_NORMAL:
					snprintf(where, sizeof(where), "NORMAL");
					break;
				case OFPP_FLOOD:
					snprintf(where, sizeof(where), "FLOOD");
					break;
				case OFPP_ALL:
					snprintf(where, sizeof(where), "ALL");
					break;
				case OFPP_CONTROLLER:
					snprintf(where, sizeof(where), "CONTROLLER");
					break;
				default:
					snprintf(where, sizeof(where), "port %" PRIu32 " (none)",
						 act->output.port);
					break;
				}
			}
			json_array_append_new(out, json_string(where));
			break;
		default:
			break;
		}
	}
}

/* The action set after 'write' replaced entries of 'set' of the same kind. */
static void
ofa_trace_write(struct of_action_list *set, const struct of_action_list *write)
{
	unsigned i, j;

	for (i = 0; i < write->n; i++) {
		const struct of_action *w = &write->a[i];

		for (j = 0; j < set->n; j++) {
			if (set->a[j].type == w->type &&
			    (w->type != OFPAT_SET_FIELD ||
			     set->a[j].set_field.field == w->set_field.field)) {
				break;
			}
		}
		if (j < set->n) {
			set->a[j] = *w;
		} else if (set->n < OF_ACTIONS_MAX) {
			set->a[set->n++] = *w;
		}
	}
}

/* Appends "%s" formatted lines to the trace text. */
static void ofa_trace_line(char **text, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
ofa_trace_line(char **text, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*text + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			return;
		}
		if ((size_t)n < *cap - *len) {
			*len += (size_t)n;
			return;
		}
		char *bigger = realloc(*text, *cap * 2 + (size_t)n);

		if (bigger == NULL) {
			return;
		}
		*text = bigger;
		*cap = *cap * 2 + (size_t)n;
	}
}

json_t *
ofagent_trace(struct ofagent *a, const char *flow, char *err, size_t err_size)
{
	struct of_action set_buf[OF_ACTIONS_MAX];
	struct of_action_list set = {0, set_buf};
	struct dp_flow_key key, mask;
	struct of_flow f;
	size_t len = 0, cap = 4096;
	char *text = malloc(cap), buf[4096];
	json_t *outputs = json_array(), *r;
	unsigned table = 0, hops;

	if (text == NULL || ofa_parse(a, flow, OF_PARSE_MATCH, &f, err, err_size) < 0) {
		free(text);
		json_decref(outputs);
		return NULL;
	}
	text[0] = '\0';
	oft_match_to_key(&f.match, &key, &mask);
	of_match_format(&f.match, buf, sizeof(buf));
	ofa_trace_line(&text, &len, &cap, "Flow: %s\n\nbridge(\"%s\")\n-------------\n", buf,
		       a->br->name);
	for (hops = 0; hops < DP_WALK_MAX; hops++) {
		const struct oft_flow *hit = oft_lookup(a->oft, (uint8_t)table, &key);

		if (hit == NULL) {
			ofa_trace_line(&text, &len, &cap,
				       "%2u. No match: the packet is dropped (table miss).\n",
				       table);
			set.n = 0;
			break;
		}
		of_match_format(&hit->f.match, buf, sizeof(buf));
		ofa_trace_line(&text, &len, &cap, "%2u. %s%spriority %u, cookie 0x%" PRIx64 "\n",
			       table, buf, buf[0] != '\0' ? ", " : "", hit->f.priority,
			       hit->f.cookie);
		of_instructions_format(&hit->f.ins, buf, sizeof(buf));
		ofa_trace_line(&text, &len, &cap, "    actions=%s\n", buf);
		ofa_trace_actions(a, &hit->f.ins.apply, &key, outputs);
		if (hit->f.ins.present & OF_INST_BIT(OFPIT_CLEAR_ACTIONS)) {
			set.n = 0;
		}
		ofa_trace_write(&set, &hit->f.ins.write);
		if (hit->f.ins.present & OF_INST_BIT(OFPIT_WRITE_METADATA)) {
			key.metadata = (key.metadata & ~hit->f.ins.metadata_mask) |
				       (hit->f.ins.metadata & hit->f.ins.metadata_mask);
		}
		if (!(hit->f.ins.present & OF_INST_BIT(OFPIT_GOTO_TABLE))) {
			break;
		}
		table = hit->f.ins.goto_table;
		ofa_trace_line(&text, &len, &cap, "    -> table %u\n", table);
	}
	if (set.n != 0) {
		of_actions_format(&set, buf, sizeof(buf));
		ofa_trace_line(&text, &len, &cap, "Action set: %s\n", buf);
		ofa_trace_actions(a, &set, &key, outputs);
	}
	if (json_array_size(outputs) == 0) {
		ofa_trace_line(&text, &len, &cap, "Result: dropped\n");
	} else {
		size_t i;
		json_t *o;

		ofa_trace_line(&text, &len, &cap, "Result: output to");
		json_array_foreach (outputs, i, o) {
			ofa_trace_line(&text, &len, &cap, "%s %s", i != 0 ? "," : "",
				       json_string_value(o));
		}
		ofa_trace_line(&text, &len, &cap, "\n");
	}
	of_instructions_free(&f.ins);
	r = json_pack("{s:s, s:o}", "text", text, "outputs", outputs);
	free(text);
	return r;
}
