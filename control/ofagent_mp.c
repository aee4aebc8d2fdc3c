/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofagent_mp.c - the OpenFlow 1.3 agent's answers to MULTIPART_REQUEST
 * [OpenFlow 1.3.5, 7.3.5]: DESC, FLOW, AGGREGATE, TABLE, PORT_STATS,
 * PORT_DESC and TABLE_FEATURES, with the table features vireo reports
 * (match fields, maskable fields, actions, instructions). ofagent.c
 * dispatches to ofa_handle_multipart(); flow counters come from the
 * datapath through ofa_flow_counters().
 *
 * Limits: requests never span messages (OFPMPF_REQ_MORE is refused with
 * MULTIPART_BUFFER_OVERFLOW); TABLE_FEATURES cannot change the tables
 * (a request with a body gets TABLE_FEATURES_FAILED EPERM); no group,
 * meter or queue statistics (BAD_MULTIPART).
 */
#include "control/ofagent_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/bridge.h"
#include "control/oft.h"
#include "datapath/dp_flow.h"
#include "protocols/openflow/of_action.h"
#include "protocols/openflow/of_conn.h"
#include "protocols/openflow/of_match.h"
#include "protocols/openflow/of_msg.h"
#include "protocols/openflow/of_switch.h"
#include "protocols/openflow/of_wire.h"

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
	unsigned f;

	/* Every field the match codec supports, in field-number order. */
	for (f = 0; f < OF_MATCH_N_FIELDS; f++) {
		unsigned size = of_match_field_size(f);
		bool m = masks && of_match_field_maskable(f);

		if (size == 0) {
			continue;
		}

		if (settable && (f == OFPXMT_OFB_IN_PORT || f == OFPXMT_OFB_IN_PHY_PORT ||
				 f == OFPXMT_OFB_METADATA || f == OFPXMT_OFB_ETH_TYPE ||
				 f == OFPXMT_OFB_IP_PROTO)) {
			continue;
		}
		if (type == OFA_TFPT_WILDCARDS && f == OFPXMT_OFB_IN_PHY_PORT) {
			continue;
		}
		/* tun_dst is set, never matched (control/oft.c). */
		if (!settable && f == OF_FIELD_TUN_DST) {
			continue;
		}
		of_put_be32(q, of_match_field_oxm_header(f, m, (uint8_t)(size * (m ? 2 : 1))));
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

void
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
