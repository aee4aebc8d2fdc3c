/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofagent_cli.c - the OpenFlow agent's flow commands for the CLI (see
 * ofagent.h): add/modify/delete flows from ovs-ofctl style text
 * (of_flow_syntax.h), dump them with their counters, and trace a packet
 * through the tables the way the datapath would. Changes go through the
 * same ofa_flow_mod() as controllers' flow_mods and are published before
 * the command returns, like ovs-ofctl's trailing barrier.
 *
 * Limits: trace follows the tables (goto_table, write_metadata, the
 * action set) and models set_field, push/pop VLAN and outputs only; other
 * actions are shown but do not change the traced packet.
 */
#include "control/ofagent.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/bridge.h"
#include "control/ofagent_priv.h"
#include "control/oft.h"
#include "datapath/dp_flow.h"
#include "protocols/openflow/of_action.h"
#include "protocols/openflow/of_flow_syntax.h"
#include "protocols/openflow/of_wire.h"

/* ---- The CLI's flows ------------------------------------------------ */

static int
ofa_port_by_name(const char *name, uint32_t *ofport, void *arg)
{
	const struct ofagent *a = arg;
	const struct ctl_port *p = ctl_port_find(a->sw, name);

	/* Port names are unique across bridges; one of another bridge is no port here. */
	if (p == NULL || p->bridge != a->br) {
		return -ENOENT;
	}
	*ofport = ofa_port_no(p);
	return 0;
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
