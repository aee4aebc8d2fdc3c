/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oft_compile.c - from a bridge's OpenFlow flow tables (oft.c) to the
 * datapath classifier (datapath/dp_flow.h) [OpenFlow 1.3.5, 5.2]: matches
 * become masked keys, instructions become the op program dp_flow.h
 * documents, and every flow becomes one rule.
 *
 * oft_compile() builds a whole classifier, in each table's priority order
 * so ties go to the flow added first. Between compiles, oft_sync() patches
 * the last classifier rule by rule from what oft.c noted as pending: the
 * rules of deleted and reset flows to remove, and the flows that need a
 * (new) rule. A replaced rule keeps its flow id; when the commit retires
 * it, oft_removed_rule() adds its final counters to the flow, and
 * oft_harvest() does the same for every rule of a retired classifier.
 *
 * Limits: actions the datapath cannot run (groups, outputs to unknown
 * ports) compile to nothing. In fail-open mode the classifier is a single
 * NORMAL table-miss rule and no flow is compiled.
 */
#include "control/oft.h"

#include <errno.h>
#include <string.h>

#include "control/oft_priv.h"
#include "protocols/openflow/of_wire.h"

#define OFT_MAX_OPS (2 * OF_ACTIONS_MAX + 3) /* apply, clear, write, metadata, goto */

/* ---- Matches -------------------------------------------------------------- */

void
oft_match_to_key(const struct of_match *match, struct dp_flow_key *value, struct dp_flow_key *mask)
{
	uint64_t present = oft_supported(match->present);
	uint8_t *kv = (uint8_t *)value;
	uint8_t *km = (uint8_t *)mask;
	uint64_t *wv = (uint64_t *)value;
	uint64_t *wm = (uint64_t *)mask;

	memset(value, 0, sizeof(*value));
	memset(mask, 0, sizeof(*mask));
	for (uint64_t bits = present; bits; bits &= bits - 1) {
		const struct oft_field *d = &oft_fields[__builtin_ctzll(bits)];

		if (d->is_bytes) {
			for (unsigned i = 0; i < d->m_size; i++) {
				km[d->k_off + i] |= MMASK(match, d)[i];
				kv[d->k_off + i] |= MVAL(match, d)[i];
			}
		} else {
			uint64_t m = of_match_num_get(MMASK(match, d), d->m_size);
			uint64_t v = of_match_num_get(MVAL(match, d), d->m_size) & m;

			of_match_num_put(km + d->k_off, d->k_size,
					 of_match_num_get(km + d->k_off, d->k_size) | m);
			of_match_num_put(kv + d->k_off, d->k_size,
					 of_match_num_get(kv + d->k_off, d->k_size) | v);
		}
	}
	for (unsigned w = 0; w < DP_KEY_WORDS; w++) {
		wv[w] &= wm[w];
	}
}

static struct oft_node *
node_of(const struct oft_flow *flow)
{
	return OFT_CONTAINER(flow, struct oft_node, flow);
}

/* ---- Compilation ---------------------------------------------------------- */

static bool
compile_output(const struct of_action *a, const struct oft_compile_ctx *ctx, struct dp_action *op)
{
	int idx;

	switch (a->output.port) {
	case OFPP_IN_PORT:
		op->op = DP_OP_IN_PORT;
		return true;
	case OFPP_NORMAL:
		op->op = DP_OP_NORMAL;
		return true;
	case OFPP_FLOOD:
		op->op = DP_OP_FLOOD;
		return true;
	case OFPP_ALL:
		op->op = DP_OP_ALL;
		return true;
	case OFPP_CONTROLLER:
		op->op = DP_OP_CONTROLLER;
		op->arg = a->output.max_len;
		return true;
	case OFPP_TABLE:
	case OFPP_ANY:
		return false; /* not for flows; the decoder refuses them */
	default:
		idx = ctx->port_idx ? ctx->port_idx(a->output.port, ctx->arg) : -1;
		if (idx < 0) {
			return false;
		}
		op->op = DP_OP_OUTPUT;
		op->arg = (uint32_t)idx;
		return true;
	}
}

/** SET_FIELD: numbers in host order in u64[0], addresses as bytes. */
static bool
compile_set_field(const struct of_action *a, struct dp_action *op)
{
	uint8_t field = a->set_field.field;
	unsigned len = a->set_field.len;

	if (field >= OF_MATCH_N_FIELDS || !oft_fields[field].m_size || len > 16) {
		return false;
	}
	op->op = DP_OP_SET_FIELD;
	op->field = field;
	if (oft_fields[field].is_bytes) {
		memcpy(op->data.bytes, a->set_field.value, len);
		return true;
	}
	for (unsigned i = 0; i < len && i < 8; i++) {
		op->data.u64[0] = op->data.u64[0] << 8 | a->set_field.value[i];
	}
	return true;
}

/** Translates action 'a' into '*op'; false when it compiles to nothing. */
static bool
compile_action(const struct of_action *a, const struct oft_compile_ctx *ctx, struct dp_action *op)
{
	switch (a->type) {
	case OFPAT_OUTPUT:
		return compile_output(a, ctx, op);
	case OFPAT_SET_FIELD:
		return compile_set_field(a, op);
	case OFPAT_PUSH_VLAN:
		op->op = DP_OP_PUSH_VLAN;
		op->arg = a->ethertype;
		return true;
	case OFPAT_POP_VLAN:
		op->op = DP_OP_POP_VLAN;
		return true;
	case OFPAT_DEC_NW_TTL:
		op->op = DP_OP_DEC_NW_TTL;
		return true;
	case OFPAT_SET_NW_TTL:
		op->op = DP_OP_SET_NW_TTL;
		op->arg = a->nw_ttl;
		return true;
	case OFPAT_SET_QUEUE:
		op->op = DP_OP_SET_QUEUE;
		op->arg = a->queue_id;
		return true;
	default:
		return false;
	}
}

static unsigned
compile_actions(const struct of_action_list *list, uint8_t in_set,
		const struct oft_compile_ctx *ctx, struct dp_action *ops)
{
	unsigned n = 0;

	for (unsigned i = 0; i < list->n && i < OF_ACTIONS_MAX; i++) {
		memset(&ops[n], 0, sizeof(ops[n]));
		ops[n].in_set = in_set;
		if (compile_action(&list->a[i], ctx, &ops[n])) {
			n++;
		}
	}
	return n;
}

int
oft_actions_to_ops(const struct of_action_list *actions, const struct oft_compile_ctx *ctx,
		   struct dp_action *ops, unsigned max_ops)
{
	unsigned n = 0;

	for (unsigned i = 0; i < actions->n; i++) {
		const struct of_action *a = &actions->a[i];
		struct dp_action op = {0};

		if (a->type == OFPAT_OUTPUT && a->output.port == OFPP_TABLE) {
			op.op = DP_OP_TABLE;
		} else if (!compile_action(a, ctx, &op)) {
			continue;
		}
		if (n == max_ops) {
			return -E2BIG;
		}
		ops[n++] = op;
	}
	return (int)n;
}

/** The op program of 'ins' in the order dp_flow.h documents; returns its length. */
static unsigned
compile_ops(const struct of_instructions *ins, const struct oft_compile_ctx *ctx,
	    struct dp_action *ops)
{
	unsigned n = 0;

	if (ins->present & OF_INST_BIT(OFPIT_APPLY_ACTIONS)) {
		n += compile_actions(&ins->apply, 0, ctx, ops + n);
	}
	if (ins->present & OF_INST_BIT(OFPIT_CLEAR_ACTIONS)) {
		memset(&ops[n], 0, sizeof(ops[n]));
		ops[n++].op = DP_OP_CLEAR_ACTIONS;
	}
	if (ins->present & OF_INST_BIT(OFPIT_WRITE_ACTIONS)) {
		n += compile_actions(&ins->write, 1, ctx, ops + n);
	}
	if (ins->present & OF_INST_BIT(OFPIT_WRITE_METADATA)) {
		memset(&ops[n], 0, sizeof(ops[n]));
		ops[n].op = DP_OP_WRITE_METADATA;
		ops[n].data.u64[0] = ins->metadata & ins->metadata_mask;
		ops[n++].data.u64[1] = ins->metadata_mask;
	}
	if (ins->present & OF_INST_BIT(OFPIT_GOTO_TABLE)) {
		memset(&ops[n], 0, sizeof(ops[n]));
		ops[n].op = DP_OP_GOTO_TABLE;
		ops[n++].arg = ins->goto_table;
	}
	return n;
}

/** The rule of 'n' into 'spec', whose ops go to 'ops' (OFT_MAX_OPS of them). */
static void
flow_spec(const struct oft_node *n, const struct oft_compile_ctx *ctx, struct dp_rule_spec *spec,
	  struct dp_action *ops)
{
	const struct of_flow *f = &n->flow.f;

	memset(spec, 0, sizeof(*spec));
	spec->table = f->table_id;
	spec->priority = f->priority;
	spec->table_miss = f->priority == 0 && !oft_supported(f->match.present);
	spec->cookie = f->cookie;
	spec->flow_id = n->flow.id;
	spec->ops = ops;
	oft_match_to_key(&f->match, &spec->value, &spec->mask);
	spec->n_ops = (uint16_t)compile_ops(&f->ins, ctx, ops);
}

static int
compile_flow(struct dp_cls *cls, const struct oft_node *n, const struct oft_compile_ctx *ctx)
{
	struct dp_action ops[OFT_MAX_OPS];
	struct dp_rule_spec spec;

	flow_spec(n, ctx, &spec, ops);
	return dp_cls_add(cls, &spec);
}

static int
compile_fail_open(struct dp_cls *cls)
{
	struct dp_action op = {.op = DP_OP_NORMAL};
	struct dp_rule_spec spec = {.table = 0, .priority = 0, .table_miss = true, .n_ops = 1};

	spec.ops = &op;
	return dp_cls_add(cls, &spec);
}

/** Remembers each flow's rule index in 'cls', in the order compile added them. */
static void
record_rules(struct oft *oft, const struct dp_cls *cls)
{
	uint32_t rule = 0;

	for (unsigned i = 0; i < DP_N_TABLES; i++) {
		const struct oft_table *t = &oft->tables[i];

		for (struct oft_node *n = oft_table_first_below(t, OFT_N_PRIOS); n;
		     n = oft_table_next(t, n)) {
			n->cls[1] = n->cls[0];
			n->rule[1] = n->rule[0];
			n->cls[0] = cls;
			n->rule[0] = rule++;
		}
	}
}

/** Rules a classifier of 'n_flows' flows is created for: room to sync as many again. */
static unsigned
compile_capacity(unsigned n_flows)
{
	unsigned room = n_flows + 1024;

	return n_flows + (room > OFT_MAX_FLOWS ? OFT_MAX_FLOWS : room);
}

int
oft_compile(struct oft *oft, const struct oft_compile_ctx *ctx, struct dp_cls **out)
{
	unsigned max_rules = ctx->fail_open ? 1 : compile_capacity(oft->n_flows);
	struct dp_cls *cls = dp_cls_create(max_rules, ctx->n_pmds);
	int ret = 0;

	if (!cls) {
		return -ENOMEM;
	}
	if (ctx->fail_open) {
		ret = compile_fail_open(cls);
	}
	for (unsigned i = 0; !ctx->fail_open && !ret && i < DP_N_TABLES; i++) {
		const struct oft_table *t = &oft->tables[i];

		for (struct oft_node *n = oft_table_first_below(t, OFT_N_PRIOS); n && !ret;
		     n = oft_table_next(t, n)) {
			ret = compile_flow(cls, n, ctx);
		}
	}
	if (!ret) {
		ret = dp_cls_build(cls);
	}
	if (ret < 0) {
		dp_cls_free(cls);
		return ret;
	}
	if (!ctx->fail_open) {
		record_rules(oft, cls);
	}
	oft_pend_reset(oft, ctx->fail_open ? NULL : cls);
	*out = cls;
	return 0;
}

/* ---- Incremental sync ------------------------------------------------------ */

/** Replaces the rule of pending flow 'n' in 'cls': the old one out first, then the new one in. */
static int
sync_flow(struct oft *oft, const struct oft_compile_ctx *ctx, struct dp_cls *cls,
	  struct oft_node *n)
{
	struct dp_action ops[OFT_MAX_OPS];
	struct dp_rule_spec spec;
	int ret;

	if (n->cls[0] == cls && n->rule[0] != OFT_NO_RULE) {
		/* Noted first, so that a failure below can credit its counters. */
		ret = oft_rules_push(&oft->swept, n->rule[0]);
		if (!ret) {
			ret = dp_cls_remove(cls, n->rule[0]);
		}
		if (ret < 0) {
			return ret;
		}
		n->rule[0] = OFT_NO_RULE;
	}
	flow_spec(n, ctx, &spec, ops);
	ret = dp_cls_insert(cls, &spec);
	if (ret < 0) {
		return ret;
	}
	if (n->cls[0] != cls) {
		n->cls[1] = n->cls[0];
		n->rule[1] = n->rule[0];
		n->cls[0] = cls;
	}
	n->rule[0] = (uint32_t)ret;
	return 0;
}

/*
 * A failed sync leaves 'cls' partly changed; it will not be committed but
 * replaced, so the rules of kept flows that it removed are credited now
 * (oft_harvest() skips rules that are not live), and only a compile
 * brings the datapath up to date.
 */
static void
sync_fail(struct oft *oft, const struct dp_cls *cls)
{
	for (unsigned i = 0; i < oft->swept.n; i++) {
		oft_removed_rule(cls, oft->swept.v[i], oft);
	}
	oft->swept.n = 0;
	oft_pend_reset(oft, NULL);
}

int
oft_sync(struct oft *oft, const struct oft_compile_ctx *ctx, struct dp_cls *cls)
{
	int ret = 0;

	if (!cls || cls != oft->synced) {
		return -EINVAL;
	}
	oft->swept.n = 0;
	for (unsigned i = 0; i < oft->removals.n && !ret; i++) {
		ret = dp_cls_remove(cls, oft->removals.v[i]);
	}
	oft->removals.n = 0;
	while (!ret && oft->pending) {
		struct oft_node *n = oft->pending;

		ret = sync_flow(oft, ctx, cls, n);
		if (!ret) {
			oft_pend_unlink(oft, n);
		}
	}
	if (ret < 0) {
		sync_fail(oft, cls);
		return ret;
	}
	oft->swept.n = 0;
	return 0;
}

/* ---- Counters ------------------------------------------------------------- */

/** Adds the counters of rule 'r' of 'cls' to the flow of 'n'. */
static void
credit(struct oft_node *n, const struct dp_cls *cls, unsigned r, uint64_t ticks_per_ms)
{
	uint64_t packets, bytes, used;

	dp_cls_rule_stats(cls, r, &packets, &bytes, &used);
	n->flow.packets += packets;
	n->flow.bytes += bytes;
	if (used && ticks_per_ms && used / ticks_per_ms > n->flow.used_ms) {
		n->flow.used_ms = used / ticks_per_ms;
	}
}

void
oft_removed_rule(const struct dp_cls *cls, unsigned rule, void *arg)
{
	struct oft *oft = arg;
	struct oft_node *n = oft_find_by_id(oft, dp_cls_rule_flow_id(cls, rule));

	/* No flow: deleted, or its counters were reset (new id). */
	if (n && !(n->cls[0] == cls && n->rule[0] == rule)) {
		credit(n, cls, rule, oft->ticks_per_ms);
	}
}

void
oft_harvest(struct oft *oft, const struct dp_cls *old, uint64_t ticks_per_ms)
{
	unsigned n_rules = old ? dp_cls_n_rules(old) : 0;

	for (unsigned r = 0; r < n_rules; r++) {
		struct oft_node *n;

		if (!dp_cls_rule_live(old, r)) {
			continue; /* removed by a sync: credited by oft_removed_rule() */
		}
		n = oft_find_by_id(oft, dp_cls_rule_flow_id(old, r));
		if (!n) {
			continue; /* deleted, or its counters were reset */
		}
		credit(n, old, r, ticks_per_ms);
		for (unsigned i = 0; i < 2; i++) {
			if (n->cls[i] == old) {
				n->cls[i] = NULL;
				n->rule[i] = OFT_NO_RULE;
			}
		}
	}
}

void
oft_flow_counters(const struct oft *oft, const struct oft_flow *flow, const struct dp_cls *live,
		  uint64_t ticks_per_ms, uint64_t *packets, uint64_t *bytes, uint64_t *used_ms)
{
	const struct oft_node *n = node_of(flow);
	uint64_t p, b, used;

	(void)oft;
	*packets = flow->packets;
	*bytes = flow->bytes;
	*used_ms = flow->used_ms;
	for (unsigned i = 0; live && i < 2; i++) {
		if (n->cls[i] != live || n->rule[i] >= dp_cls_n_rules(live) ||
		    !dp_cls_rule_live(live, n->rule[i]) ||
		    dp_cls_rule_flow_id(live, n->rule[i]) != flow->id) {
			continue;
		}
		dp_cls_rule_stats(live, n->rule[i], &p, &b, &used);
		*packets += p;
		*bytes += b;
		if (used && ticks_per_ms && used / ticks_per_ms > *used_ms) {
			*used_ms = used / ticks_per_ms;
		}
		return;
	}
}
