/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_flow_actions.c - the "actions=" part of ovs-ofctl flow syntax for
 * OpenFlow 1.3 flows: actions (output, controller, set_field, the mod_*
 * shorthands, push/pop_vlan, dec_ttl, mod_nw_ttl, set_queue, a bare port)
 * and instructions (goto_table, write_metadata, clear_actions,
 * write_actions(...), apply actions), as ovs-ofctl parses them
 * (lib/ofp-actions.c). Instructions must come in OpenFlow 1.1+ execution
 * order and at most once each, as OVS requires; the result is checked
 * against the match with of_instructions_check(). The match part and the
 * entry points are in of_flow_parse.c; the shared state and helpers are in
 * of_flow_syntax_priv.h.
 */
#include "protocols/openflow/of_flow_syntax.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "protocols/openflow/of_flow_syntax_priv.h"
#include "protocols/openflow/of_wire.h"

/* ---- Actions -------------------------------------------------------------- */

static int
fs_push(struct fs_ctx *c, struct fs_acts *dst, const struct of_action *a)
{
	if (dst->n >= OF_ACTIONS_MAX) {
		return fs_err(c, "too many actions");
	}
	dst->a[dst->n++] = *a;
	return 0;
}

static int
fs_push_output(struct fs_ctx *c, struct fs_acts *dst, uint32_t port, uint16_t max_len)
{
	struct of_action a = {.type = OFPAT_OUTPUT};

	a.output.port = port;
	a.output.max_len = port == OFPP_CONTROLLER && max_len == 0 ? OFPCML_NO_BUFFER : max_len;
	return fs_push(c, dst, &a);
}

/* A set_field of 'f' to 'v', stored in network order as on the wire. */
static int
fs_push_set_field(struct fs_ctx *c, struct fs_acts *dst, unsigned f, const struct fs_val *v)
{
	const struct fs_oxm *x = &of_fs_oxms[f];
	struct of_action a = {.type = OFPAT_SET_FIELD};

	a.set_field.field = (uint8_t)f;
	a.set_field.len = x->size;
	if (fs_is_bytes(x)) {
		memcpy(a.set_field.value, v->b, x->size);
	} else {
		for (int i = x->size - 1; i >= 0; i--) {
			a.set_field.value[i] = (uint8_t)(v->u >> (8 * (x->size - 1 - i)));
		}
	}
	return fs_push(c, dst, &a);
}

static int
fs_push_set_int(struct fs_ctx *c, struct fs_acts *dst, unsigned f, uint64_t value)
{
	struct fs_val v = {.u = value};

	return fs_push_set_field(c, dst, f, &v);
}

/* Whether the match guarantees a VLAN tag (vlan_vid with OFPVID_PRESENT matched). */
static bool
fs_match_tagged(const struct of_match *m)
{
	return fs_has(m, OFPXMT_OFB_VLAN_VID) &&
	       (m->value.vlan_vid & m->mask.vlan_vid & OFPVID_PRESENT) != 0;
}

/* mod_vlan_vid / mod_vlan_pcp: push a 0x8100 tag first unless the match has one. */
static int
fs_mod_vlan(struct fs_ctx *c, struct fs_acts *dst, const char *name, const char *value)
{
	bool vid = strcmp(name, "mod_vlan_vid") == 0;
	struct of_action push = {.type = OFPAT_PUSH_VLAN, .ethertype = 0x8100};
	uint64_t v;
	int rc;

	if (!fs_parse_uint(value, vid ? 0xfff : 7, &v)) {
		return fs_err(c, "%s: not a valid VLAN %s", value, vid ? "VID" : "PCP");
	}
	if (!fs_match_tagged(&c->flow->match)) {
		rc = fs_push(c, dst, &push);
		if (rc != 0) {
			return rc;
		}
	}
	if (vid) {
		return fs_push_set_int(c, dst, OFPXMT_OFB_VLAN_VID, v | OFPVID_PRESENT);
	}
	return fs_push_set_int(c, dst, OFPXMT_OFB_VLAN_PCP, v);
}

/* set_field:VALUE->FIELD. */
static int
fs_set_field(struct fs_ctx *c, struct fs_acts *dst, char *value)
{
	char *arrow = strstr(value, "->");
	const struct fs_keyword *kw;
	struct fs_val v, mask;
	bool masked;
	int rc;

	if (arrow == NULL) {
		return fs_err(c, "%s: missing `->'", value);
	}
	*arrow = '\0';
	kw = fs_keyword(arrow + 2);
	if (kw == NULL || kw->how == KW_DL_VLAN || kw->how == KW_NW_TOS || kw->how == KW_VLAN_TCI ||
	    (kw->how == KW_TP && strncmp(kw->name, "tp_", 3) == 0)) {
		return fs_err(c, "%s is not a valid OXM field name", arrow + 2);
	}
	if (!of_fs_oxms[kw->field].writable) {
		return fs_err(c, "%s is read-only", arrow + 2);
	}
	rc = fs_parse_field_value(c, kw->field, value, &v, &mask, &masked);
	if (rc == 0 && masked) {
		rc = fs_err(c, "%s: set_field with a mask is not supported", value);
	}
	return rc != 0 ? rc : fs_push_set_field(c, dst, kw->field, &v);
}

/* mod_tp_src / mod_tp_dst: the L4 field of the match's ip_proto. */
static int
fs_mod_tp(struct fs_ctx *c, struct fs_acts *dst, const char *name, const char *value)
{
	const struct of_match *m = &c->flow->match;
	bool src = strcmp(name, "mod_tp_src") == 0;
	unsigned f;
	uint64_t v;

	if (!fs_parse_uint(value, UINT16_MAX, &v)) {
		return fs_err(c, "%s: bad syntax for %s", value, name);
	}
	if (fs_proto_is(m, 6)) {
		f = src ? OFPXMT_OFB_TCP_SRC : OFPXMT_OFB_TCP_DST;
	} else if (fs_proto_is(m, 17)) {
		f = src ? OFPXMT_OFB_UDP_SRC : OFPXMT_OFB_UDP_DST;
	} else if (fs_proto_is(m, 132)) {
		f = src ? OFPXMT_OFB_SCTP_SRC : OFPXMT_OFB_SCTP_DST;
	} else {
		return fs_err(c, "actions are invalid with specified match (%s)",
			      of_err_name(OF_ERR_BAD_ACTION_MATCH_INCONSISTENT));
	}
	return fs_push_set_int(c, dst, f, v);
}

/* mod_dl_src/dst, mod_nw_src/dst, mod_nw_tos, mod_nw_ecn: set_field shorthands. */
static int
fs_mod_field(struct fs_ctx *c, struct fs_acts *dst, const char *name, char *value)
{
	static const struct {
		const char *name; /* action */
		uint8_t field;    /* OXM field written */
	} mods[] = {
	    {"mod_dl_src", OFPXMT_OFB_ETH_SRC},  {"mod_dl_dst", OFPXMT_OFB_ETH_DST},
	    {"mod_nw_src", OFPXMT_OFB_IPV4_SRC}, {"mod_nw_dst", OFPXMT_OFB_IPV4_DST},
	    {"mod_nw_ecn", OFPXMT_OFB_IP_ECN},
	};
	struct fs_val v, mask;
	bool masked;
	uint64_t tos;
	int rc;

	if (strcmp(name, "mod_nw_tos") == 0) {
		if (!fs_parse_uint(value, 255, &tos) || (tos & 3) != 0) {
			return fs_err(c, "%s: not a valid TOS", value);
		}
		return fs_push_set_int(c, dst, OFPXMT_OFB_IP_DSCP, tos >> 2);
	}
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		if (strcmp(name, mods[i].name) != 0) {
			continue;
		}
		rc = fs_parse_field_value(c, mods[i].field, value, &v, &mask, &masked);
		if (rc == 0 && masked) {
			rc = fs_err(c, "%s: invalid value for %s", value, name);
		}
		return rc != 0 ? rc : fs_push_set_field(c, dst, mods[i].field, &v);
	}
	return 1;
}

/* output:P, output(port=P,max_len=N), controller[:N|(max_len=N)]. */
static int
fs_output(struct fs_ctx *c, struct fs_acts *dst, const struct fs_kv *kv)
{
	bool ctl = strcasecmp(kv->key, "controller") == 0;
	uint32_t port = OFPP_CONTROLLER;
	uint64_t max_len = 0;
	char *pos = kv->value;
	struct fs_kv sub;

	if (kv->delim != '(') {
		if (ctl && kv->delim != 0 && !fs_parse_uint(kv->value, UINT16_MAX, &max_len)) {
			return fs_err(c, "%s: invalid controller max_len", kv->value);
		}
		if (!ctl && !fs_parse_port(c, kv->value, &port)) {
			return fs_err(c, "%s: output to unknown port", kv->value);
		}
		return fs_push_output(c, dst, port, (uint16_t)max_len);
	}
	port = ctl ? OFPP_CONTROLLER : OFPP_ANY;
	while (fs_next_kv(&pos, &sub)) {
		if (strcmp(sub.key, "max_len") == 0) {
			if (!fs_parse_uint(sub.value, UINT16_MAX, &max_len)) {
				return fs_err(c, "%s: invalid max_len", sub.value);
			}
		} else if (!ctl && strcmp(sub.key, "port") == 0) {
			if (!fs_parse_port(c, sub.value, &port)) {
				return fs_err(c, "%s: output to unknown port", sub.value);
			}
		} else {
			return fs_err(c, "unknown %s option %s", ctl ? "controller" : "output",
				      sub.key);
		}
	}
	if (port == OFPP_ANY) {
		return fs_err(c, "output: missing port");
	}
	return fs_push_output(c, dst, port, (uint16_t)max_len);
}

/* Actions with a fixed meaning; 1 when 'kv' is not one. */
static int
fs_simple_action(struct fs_ctx *c, struct fs_acts *dst, const struct fs_kv *kv)
{
	struct of_action a = {0};
	uint64_t v;

	if (strcmp(kv->key, "strip_vlan") == 0 || strcmp(kv->key, "pop_vlan") == 0) {
		a.type = OFPAT_POP_VLAN;
	} else if (strcmp(kv->key, "dec_ttl") == 0 && kv->value[0] == '\0') {
		a.type = OFPAT_DEC_NW_TTL;
	} else if (strcmp(kv->key, "push_vlan") == 0) {
		if (!fs_parse_u64(kv->value, &v) || (v != 0x8100 && v != 0x88a8)) {
			return fs_err(c, "%s: not a valid VLAN ethertype", kv->value);
		}
		a.type = OFPAT_PUSH_VLAN;
		a.ethertype = (uint16_t)v;
	} else if (strcmp(kv->key, "mod_nw_ttl") == 0) {
		if (!fs_parse_uint(kv->value, 255, &v)) {
			return fs_err(c, "invalid numeric format %s", kv->value);
		}
		a.type = OFPAT_SET_NW_TTL;
		a.nw_ttl = (uint8_t)v;
	} else if (strcmp(kv->key, "set_queue") == 0) {
		if (!fs_parse_uint(kv->value, UINT32_MAX, &v)) {
			return fs_err(c, "invalid numeric format %s", kv->value);
		}
		a.type = OFPAT_SET_QUEUE;
		a.queue_id = (uint32_t)v;
	} else {
		return 1;
	}
	return fs_push(c, dst, &a);
}

/* One action into 'dst'. */
static int
fs_action(struct fs_ctx *c, struct fs_acts *dst, const struct fs_kv *kv)
{
	uint32_t port;
	int rc;

	if (strcmp(kv->key, "output") == 0 || strcasecmp(kv->key, "controller") == 0) {
		return fs_output(c, dst, kv);
	}
	if (strcmp(kv->key, "mod_vlan_vid") == 0 || strcmp(kv->key, "mod_vlan_pcp") == 0) {
		return fs_mod_vlan(c, dst, kv->key, kv->value);
	}
	if (strcmp(kv->key, "mod_tp_src") == 0 || strcmp(kv->key, "mod_tp_dst") == 0) {
		return fs_mod_tp(c, dst, kv->key, kv->value);
	}
	if (strcmp(kv->key, "set_field") == 0) {
		return fs_set_field(c, dst, kv->value);
	}
	rc = fs_simple_action(c, dst, kv);
	if (rc <= 0) {
		return rc;
	}
	rc = fs_mod_field(c, dst, kv->key, kv->value);
	if (rc <= 0) {
		return rc;
	}
	if (strcmp(kv->key, "meter") == 0 || strcmp(kv->key, "group") == 0) {
		return fs_err(c, "%s: not supported by vireo", kv->key);
	}
	if (kv->delim == 0 && fs_parse_port(c, kv->key, &port) && port != OFPP_ANY) {
		return fs_push_output(c, dst, port, 0);
	}
	return fs_err(c, "unknown action %s", kv->key);
}

/* Instruction ranks in the order OpenFlow 1.1+ executes (and OVS wants) them. */
static unsigned
fs_inst_rank(uint8_t type)
{
	switch (type) {
	case OFPIT_APPLY_ACTIONS:
		return 1;
	case OFPIT_CLEAR_ACTIONS:
		return 2;
	case OFPIT_WRITE_ACTIONS:
		return 3;
	case OFPIT_WRITE_METADATA:
		return 4;
	default:
		return 5;
	}
}

static const char *
fs_inst_name(unsigned rank)
{
	static const char *const names[] = {
	    "", "apply_actions", "clear_actions", "write_actions", "write_metadata", "goto_table"};

	return names[rank];
}

/* Records instruction 'type', checking OVS's ordering and uniqueness rules. */
static int
fs_inst(struct fs_ctx *c, struct fs_ins *ins, uint8_t type)
{
	unsigned rank = fs_inst_rank(type);

	if (rank < ins->rank) {
		return fs_err(c,
			      "invalid instruction ordering: %s must appear before %s, for "
			      "OpenFlow 1.1+ compatibility",
			      fs_inst_name(rank), fs_inst_name(ins->rank));
	}
	if (type != OFPIT_APPLY_ACTIONS && (ins->present & OF_INST_BIT(type)) != 0) {
		return fs_err(c,
			      "duplicate %s instruction not allowed, for OpenFlow 1.1+ "
			      "compatibility",
			      fs_inst_name(rank));
	}
	ins->rank = rank;
	ins->present |= (uint8_t)OF_INST_BIT(type);
	return 0;
}

/* goto_table, write_metadata, clear_actions, write_actions; 1 when not one. */
static int
fs_instruction(struct fs_ctx *c, struct fs_ins *ins, const struct fs_kv *kv)
{
	char *slash;
	uint64_t v;
	int rc;

	if (strcmp(kv->key, "goto_table") == 0) {
		if (!fs_parse_uint(kv->value, OFPTT_MAX, &v)) {
			return fs_err(c, "unknown table \"%s\"", kv->value);
		}
		ins->goto_table = (uint8_t)v;
		return fs_inst(c, ins, OFPIT_GOTO_TABLE);
	}
	if (strcmp(kv->key, "write_metadata") == 0) {
		slash = strchr(kv->value, '/');
		ins->metadata_mask = UINT64_MAX;
		if (slash != NULL) {
			*slash = '\0';
		}
		if (!fs_parse_u64(kv->value, &ins->metadata) ||
		    (slash != NULL && !fs_parse_u64(slash + 1, &ins->metadata_mask))) {
			return fs_err(c, "%s: invalid write_metadata", kv->value);
		}
		return fs_inst(c, ins, OFPIT_WRITE_METADATA);
	}
	if (strcmp(kv->key, "clear_actions") == 0) {
		return fs_inst(c, ins, OFPIT_CLEAR_ACTIONS);
	}
	if (strcmp(kv->key, "write_actions") == 0) {
		rc = fs_inst(c, ins, OFPIT_WRITE_ACTIONS);
		return rc != 0 ? rc : fs_parse_actions(c, kv->value, NULL, &ins->write);
	}
	return 1;
}

/*
 * Parses the action list 'text' into 'dst'. 'ins' is the instruction set
 * at top level, NULL inside write_actions(...).
 */
int
fs_parse_actions(struct fs_ctx *c, char *text, struct fs_ins *ins, struct fs_acts *dst)
{
	struct fs_kv kv;
	int rc;

	while (fs_next_kv(&text, &kv)) {
		if (strcmp(kv.key, "drop") == 0 && ins != NULL) {
			ins->drop = true;
			continue;
		}
		rc = ins != NULL ? fs_instruction(c, ins, &kv) : 1;
		if (rc > 0 && ins != NULL) {
			rc = fs_inst(c, ins, OFPIT_APPLY_ACTIONS);
			rc = rc != 0 ? rc : fs_action(c, dst, &kv);
		} else if (rc > 0) {
			rc = fs_action(c, dst, &kv);
		}
		if (rc != 0) {
			return rc;
		}
	}
	return 0;
}

static int
fs_acts_move(struct of_action_list *list, const struct fs_acts *src)
{
	if (src->n == 0) {
		return 0;
	}
	list->a = malloc(sizeof(*list->a) * src->n);
	if (list->a == NULL) {
		return -ENOMEM;
	}
	memcpy(list->a, src->a, sizeof(*list->a) * src->n);
	list->n = src->n;
	return 0;
}

/* Parsed instructions into the flow, in execution order, checked against the match. */
int
fs_ins_finish(struct fs_ctx *c, const struct fs_ins *ins)
{
	static const uint8_t order[] = {OFPIT_APPLY_ACTIONS, OFPIT_CLEAR_ACTIONS,
					OFPIT_WRITE_ACTIONS, OFPIT_WRITE_METADATA,
					OFPIT_GOTO_TABLE};
	struct of_instructions *out = &c->flow->ins;
	enum of_err e;

	if (ins->drop && ins->present != 0) {
		return fs_err(
		    c, "\"drop\" must not be accompanied by any other action or instruction");
	}
	if ((ins->present & OF_INST_BIT(OFPIT_GOTO_TABLE)) != 0 &&
	    ins->goto_table <= c->flow->table_id) {
		return fs_err(c, "actions are invalid with specified match (%s)",
			      of_err_name(OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID));
	}
	out->present = ins->present;
	out->goto_table = ins->goto_table;
	out->metadata = ins->metadata & ins->metadata_mask;
	out->metadata_mask = ins->metadata_mask;
	for (size_t i = 0; i < sizeof(order); i++) {
		if ((ins->present & OF_INST_BIT(order[i])) != 0) {
			out->order[out->n_order++] = order[i];
		}
	}
	if (fs_acts_move(&out->apply, &ins->apply) != 0 ||
	    fs_acts_move(&out->write, &ins->write) != 0) {
		return fs_err(c, "out of memory");
	}
	e = of_instructions_check(out, &c->flow->match);
	if (e != OF_ERR_NONE) {
		return fs_err(c, "actions are invalid with specified match (%s)", of_err_name(e));
	}
	return 0;
}
