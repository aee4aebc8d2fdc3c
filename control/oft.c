/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oft.c - a bridge's OpenFlow flow tables [OpenFlow 1.3.5, 5.2, 6.4,
 * 7.3.4.1]: FLOW_MOD add/modify/delete, selection for stats, lookup for
 * trace, and timeouts. Compiling the tables into one datapath classifier
 * (dp_cls), syncing it, and reading its counters back live in
 * oft_compile.c; oft_priv.h holds what the two share.
 *
 * Each table keeps its flows three ways: a hash map on priority + match
 * (strict lookups: ADD's replace, *_STRICT), one list per priority in the
 * order flows were added (ties between overlapping flows of one priority
 * go to the flow added first, here as in the compiled classifier), and a
 * two-level bitmap of the priorities in use, so walking a table from the
 * highest priority down needs no sorting and an add is O(1). Flow ids
 * come from a counter and are found through a hash map, which is how
 * counters read from a retired classifier get back to their flows.
 *
 * A flow whose counters are reset (OFPFF_RESET_COUNTS) takes a new id, so
 * whatever the datapath counted under the old one is never added to it.
 *
 * Between compiles, oft_sync() patches the last classifier rule by rule.
 * Since it was built (or synced), oft keeps what changed: the rules of
 * deleted and reset flows to remove, and a list of flows that need a rule
 * (added ones, and modified ones whose old rule goes first). So a sync
 * costs the changes, not the tables. A replaced rule keeps its flow id;
 * when the commit retires it, oft_removed_rule() adds its final counters
 * to the flow, which is how counters survive a modify.
 *
 * Choices where the spec leaves room, as Open vSwitch makes them: an
 * identical flow counts as overlapping under OFPFF_CHECK_OVERLAP; match
 * fields are compared by their masks (a field given with an all-ones mask
 * equals the same field given exact). Where the spec is explicit: a modify
 * keeps cookie, timeouts, flags and duration [6.4]; an add that replaces a
 * flow restarts its duration.
 *
 * Limits: CHECK_OVERLAP and non-strict selection walk the table (strict
 * ones are hash lookups); oft_lookup() walks the table too (trace only).
 */
#include "control/oft.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "control/oft_priv.h"
#include "protocols/openflow/of_wire.h"

#define OFT_KNOWN_FLAGS                                                                         \
	(OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP | OFPFF_RESET_COUNTS | OFPFF_NO_PKT_COUNTS | \
	 OFPFF_NO_BYT_COUNTS)

/* ---- Field descriptions -------------------------------------------------- */

#define MSIZE(m) sizeof(((struct of_match_fields *)0)->m)
#define KSIZE(k) sizeof(((struct dp_flow_key *)0)->k)
#define FLD(f, m, k, b)                                                    \
	[OFPXMT_OFB_##f] = {offsetof(struct of_match_fields, m), MSIZE(m), \
			    offsetof(struct dp_flow_key, k), KSIZE(k), b}

const struct oft_field oft_fields[OF_MATCH_N_FIELDS] = {
    FLD(IN_PORT, in_port, in_port, false),
    FLD(IN_PHY_PORT, in_phy_port, in_port, false),
    FLD(METADATA, metadata, metadata, false),
    FLD(ETH_DST, eth_dst, eth_dst, true),
    FLD(ETH_SRC, eth_src, eth_src, true),
    FLD(ETH_TYPE, eth_type, eth_type, false),
    FLD(VLAN_VID, vlan_vid, vlan_vid, false),
    FLD(VLAN_PCP, vlan_pcp, vlan_pcp, false),
    FLD(IP_DSCP, ip_dscp, ip_dscp, false),
    FLD(IP_ECN, ip_ecn, ip_ecn, false),
    FLD(IP_PROTO, ip_proto, ip_proto, false),
    FLD(IPV4_SRC, ipv4_src, nw_src, false),
    FLD(IPV4_DST, ipv4_dst, nw_dst, false),
    FLD(TCP_SRC, tcp_src, tp_src, false),
    FLD(TCP_DST, tcp_dst, tp_dst, false),
    FLD(UDP_SRC, udp_src, tp_src, false),
    FLD(UDP_DST, udp_dst, tp_dst, false),
    FLD(SCTP_SRC, sctp_src, tp_src, false),
    FLD(SCTP_DST, sctp_dst, tp_dst, false),
    FLD(ICMPV4_TYPE, icmpv4_type, tp_src, false),
    FLD(ICMPV4_CODE, icmpv4_code, tp_dst, false),
    FLD(ARP_OP, arp_op, arp_op, false),
    FLD(ARP_SPA, arp_spa, nw_src, false),
    FLD(ARP_TPA, arp_tpa, nw_dst, false),
    FLD(ARP_SHA, arp_sha, arp_sha, true),
    FLD(ARP_THA, arp_tha, arp_tha, true),
    FLD(IPV6_SRC, ipv6_src, ipv6_src, true),
    FLD(IPV6_DST, ipv6_dst, ipv6_dst, true),
    FLD(IPV6_FLABEL, ipv6_flabel, ipv6_flabel, false),
    FLD(ICMPV6_TYPE, icmpv6_type, tp_src, false),
    FLD(ICMPV6_CODE, icmpv6_code, tp_dst, false),
    FLD(IPV6_ND_TARGET, ipv6_nd_target, nd_target, true),
    FLD(IPV6_ND_SLL, ipv6_nd_sll, arp_sha, true),
    FLD(IPV6_ND_TLL, ipv6_nd_tll, arp_tha, true),
    FLD(TUNNEL_ID, tunnel_id, tunnel_id, false),
    /* Open vSwitch's tunnel endpoints (NXM): tun_src is matched; tun_dst
     * only set (its key has no room; a match on it is refused). */
    [OF_FIELD_TUN_SRC] = {offsetof(struct of_match_fields, tun_src), MSIZE(tun_src),
			  offsetof(struct dp_flow_key, tun_src), KSIZE(tun_src), false},
    [OF_FIELD_TUN_DST] = {offsetof(struct of_match_fields, tun_dst), MSIZE(tun_dst), 0, 0, false},
};

/* ---- Match comparisons ---------------------------------------------------- */

/** Same fields with the same masks and the same values under them. */
static bool
match_equal(const struct of_match *a, const struct of_match *b)
{
	uint64_t present = oft_supported(a->present);

	if (present != oft_supported(b->present)) {
		return false;
	}
	for (uint64_t bits = present; bits; bits &= bits - 1) {
		const struct oft_field *d = &oft_fields[__builtin_ctzll(bits)];

		for (unsigned i = 0; i < d->m_size; i++) {
			uint8_t ma = MMASK(a, d)[i];

			if (ma != MMASK(b, d)[i] || ((MVAL(a, d)[i] ^ MVAL(b, d)[i]) & ma)) {
				return false;
			}
		}
	}
	return true;
}

/**
 * Whether 'flow' is 'req' or more specific: every field 'req' matches,
 * 'flow' matches too, on at least the same bits, with the same values there.
 */
static bool
match_covers(const struct of_match *flow, const struct of_match *req)
{
	uint64_t present = oft_supported(req->present);

	if (present & ~oft_supported(flow->present)) {
		return false;
	}
	for (uint64_t bits = present; bits; bits &= bits - 1) {
		const struct oft_field *d = &oft_fields[__builtin_ctzll(bits)];

		for (unsigned i = 0; i < d->m_size; i++) {
			uint8_t mr = MMASK(req, d)[i];

			if ((MMASK(flow, d)[i] & mr) != mr ||
			    ((MVAL(flow, d)[i] ^ MVAL(req, d)[i]) & mr)) {
				return false;
			}
		}
	}
	return true;
}

/** Whether one packet could match both: no field both constrain differs. */
static bool
match_overlaps(const struct of_match *a, const struct of_match *b)
{
	uint64_t both = oft_supported(a->present & b->present);

	for (uint64_t bits = both; bits; bits &= bits - 1) {
		const struct oft_field *d = &oft_fields[__builtin_ctzll(bits)];

		for (unsigned i = 0; i < d->m_size; i++) {
			if ((MVAL(a, d)[i] ^ MVAL(b, d)[i]) & MMASK(a, d)[i] & MMASK(b, d)[i]) {
				return false;
			}
		}
	}
	return true;
}

static uint64_t
fnv(uint64_t h, const void *data, size_t size)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < size; i++) {
		h = (h ^ p[i]) * 0x100000001b3ull;
	}
	return h;
}

/** Hash of 'priority' and 'm' consistent with match_equal(). */
static uint32_t
match_hash(uint16_t priority, const struct of_match *m)
{
	uint64_t present = oft_supported(m->present);
	uint64_t h = 0xcbf29ce484222325ull;

	h = fnv(h, &priority, sizeof(priority));
	h = fnv(h, &present, sizeof(present));
	for (uint64_t bits = present; bits; bits &= bits - 1) {
		const struct oft_field *d = &oft_fields[__builtin_ctzll(bits)];

		for (unsigned i = 0; i < d->m_size; i++) {
			uint8_t bytes[2] = {MMASK(m, d)[i], MVAL(m, d)[i] & MMASK(m, d)[i]};

			h = fnv(h, bytes, 2);
		}
	}
	return (uint32_t)(h ^ h >> 32);
}

/* ---- A small chained hash map --------------------------------------------- */

static void
hmap_init(struct oft_hmap *map)
{
	map->buckets = &map->one;
	map->one = NULL;
	map->mask = 0;
	map->n = 0;
}

static void
hmap_destroy(struct oft_hmap *map)
{
	if (map->buckets != &map->one) {
		free(map->buckets);
	}
	hmap_init(map);
}

/** Grows the bucket array; on allocation failure chains just get longer. */
static void
hmap_expand(struct oft_hmap *map)
{
	uint32_t n_buckets = (map->mask + 1) * 4;
	struct oft_hnode **b = calloc(n_buckets, sizeof(*b));

	if (!b) {
		return;
	}
	for (uint32_t i = 0; i <= map->mask; i++) {
		struct oft_hnode *node = map->buckets[i];

		while (node) {
			struct oft_hnode *next = node->next;

			node->next = b[node->hash & (n_buckets - 1)];
			b[node->hash & (n_buckets - 1)] = node;
			node = next;
		}
	}
	if (map->buckets != &map->one) {
		free(map->buckets);
	}
	map->buckets = b;
	map->mask = n_buckets - 1;
}

static void
hmap_insert(struct oft_hmap *map, struct oft_hnode *node, uint32_t hash)
{
	struct oft_hnode **b;

	if (map->n >= (map->mask + 1) * 2) {
		hmap_expand(map);
	}
	b = &map->buckets[hash & map->mask];
	node->hash = hash;
	node->next = *b;
	*b = node;
	map->n++;
}

static void
hmap_remove(struct oft_hmap *map, struct oft_hnode *node)
{
	struct oft_hnode **p = &map->buckets[node->hash & map->mask];

	while (*p != node) {
		p = &(*p)->next;
	}
	*p = node->next;
	map->n--;
}

static struct oft_hnode *
hmap_next_with(struct oft_hnode *node, uint32_t hash)
{
	while (node && node->hash != hash) {
		node = node->next;
	}
	return node;
}

static struct oft_hnode *
hmap_first(const struct oft_hmap *map, uint32_t hash)
{
	return hmap_next_with(map->buckets[hash & map->mask], hash);
}

static uint32_t
hash_u32(uint32_t x)
{
	return (uint32_t)(((uint64_t)x * 0x9e3779b97f4a7c15ull) >> 32);
}

/* ---- Tables --------------------------------------------------------------- */

static struct oft_prio *
prio_find(const struct oft_table *t, uint16_t priority)
{
	struct oft_hnode *hn = hmap_first(&t->by_prio, hash_u32(priority));

	for (; hn; hn = hmap_next_with(hn->next, hn->hash)) {
		struct oft_prio *p = OFT_CONTAINER(hn, struct oft_prio, node);

		if (p->priority == priority) {
			return p;
		}
	}
	return NULL;
}

/** The highest priority in use in 't' below 'below' (65536: any), or -1. */
static int
prio_below(const struct oft_table *t, int below)
{
	int q = below - 1;
	int w, s;
	uint64_t bits;

	if (q < 0) {
		return -1;
	}
	w = q >> 6;
	bits = t->prio_bits[w] & (~0ull >> (63 - (q & 63)));
	if (!bits) {
		if (--w < 0) {
			return -1;
		}
		s = w >> 6;
		bits = t->prio_summary[s] & (~0ull >> (63 - (w & 63)));
		while (!bits) {
			if (--s < 0) {
				return -1;
			}
			bits = t->prio_summary[s];
		}
		w = s * 64 + 63 - __builtin_clzll(bits);
		bits = t->prio_bits[w];
	}
	return w * 64 + 63 - __builtin_clzll(bits);
}

/** The first flow of 't' in priority order below priority 'below'. */
struct oft_node *
oft_table_first_below(const struct oft_table *t, int below)
{
	int p = prio_below(t, below);

	return p < 0 ? NULL : prio_find(t, (uint16_t)p)->head;
}

static struct oft_prio *
prio_get(struct oft_table *t, uint16_t priority)
{
	struct oft_prio *p = prio_find(t, priority);

	if (p) {
		return p;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		return NULL;
	}
	p->priority = priority;
	hmap_insert(&t->by_prio, &p->node, hash_u32(priority));
	t->prio_bits[priority >> 6] |= 1ull << (priority & 63);
	t->prio_summary[priority >> 12] |= 1ull << ((priority >> 6) & 63);
	return p;
}

static void
prio_put(struct oft_table *t, struct oft_prio *p)
{
	uint16_t priority = p->priority;

	if (p->head) {
		return;
	}
	hmap_remove(&t->by_prio, &p->node);
	t->prio_bits[priority >> 6] &= ~(1ull << (priority & 63));
	if (!t->prio_bits[priority >> 6]) {
		t->prio_summary[priority >> 12] &= ~(1ull << ((priority >> 6) & 63));
	}
	free(p);
}

static struct oft_node *
table_find(const struct oft_table *t, uint16_t priority, const struct of_match *m, uint32_t hash)
{
	struct oft_hnode *hn = hmap_first(&t->by_match, hash);

	for (; hn; hn = hmap_next_with(hn->next, hash)) {
		struct oft_node *n = OFT_CONTAINER(hn, struct oft_node, match_node);

		if (n->flow.f.priority == priority && match_equal(&n->flow.f.match, m)) {
			return n;
		}
	}
	return NULL;
}

struct oft_node *
oft_find_by_id(const struct oft *oft, uint32_t id)
{
	struct oft_hnode *hn = hmap_first(&oft->by_id, hash_u32(id));

	for (; hn; hn = hmap_next_with(hn->next, hn->hash)) {
		struct oft_node *n = OFT_CONTAINER(hn, struct oft_node, id_node);

		if (n->flow.id == id) {
			return n;
		}
	}
	return NULL;
}

/* ---- Changes pending for the synced classifier ------------------------------ */

int
oft_rules_push(struct oft_rules *r, uint32_t rule)
{
	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 64;
		uint32_t *v = realloc(r->v, cap * sizeof(*v));

		if (!v) {
			return -ENOMEM;
		}
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = rule;
	return 0;
}

void
oft_pend_unlink(struct oft *oft, struct oft_node *n)
{
	if (!n->pending) {
		return;
	}
	*(n->pend_prev ? &n->pend_prev->pend_next : &oft->pending) = n->pend_next;
	if (n->pend_next) {
		n->pend_next->pend_prev = n->pend_prev;
	}
	n->pend_next = n->pend_prev = NULL;
	n->pending = false;
}

/** Forgets every pending change: the next classifier must be compiled ('synced' NULL). */
void
oft_pend_reset(struct oft *oft, const struct dp_cls *synced)
{
	while (oft->pending) {
		oft_pend_unlink(oft, oft->pending);
	}
	oft->removals.n = 0;
	oft->synced = synced;
}

/** Notes that the rule of 'n' in the synced classifier (if any) must go. */
static void
pend_remove_rule(struct oft *oft, const struct oft_node *n)
{
	if (oft->synced && n->cls[0] == oft->synced && n->rule[0] != OFT_NO_RULE &&
	    oft_rules_push(&oft->removals, n->rule[0]) < 0) {
		oft_pend_reset(oft, NULL);
	}
}

/** Notes that 'n' needs a new rule in the synced classifier (replacing its old one). */
static void
pend_flow(struct oft *oft, struct oft_node *n)
{
	if (!oft->synced || n->pending) {
		return;
	}
	n->pending = true;
	n->pend_prev = NULL;
	n->pend_next = oft->pending;
	if (oft->pending) {
		oft->pending->pend_prev = n;
	}
	oft->pending = n;
}

/** Gives 'n' a fresh id (never 0, never one in use) and forgets its rules. */
static void
node_new_id(struct oft *oft, struct oft_node *n)
{
	pend_remove_rule(oft, n);
	if (n->flow.id) {
		hmap_remove(&oft->by_id, &n->id_node);
	}
	do {
		oft->last_id++;
	} while (!oft->last_id || oft_find_by_id(oft, oft->last_id));
	n->flow.id = oft->last_id;
	hmap_insert(&oft->by_id, &n->id_node, hash_u32(n->flow.id));
	n->cls[0] = n->cls[1] = NULL;
	n->rule[0] = n->rule[1] = OFT_NO_RULE;
}

/* ---- Life cycle ----------------------------------------------------------- */

struct oft *
oft_create(void)
{
	struct oft *oft = calloc(1, sizeof(*oft));

	if (!oft) {
		return NULL;
	}
	for (unsigned t = 0; t < DP_N_TABLES; t++) {
		hmap_init(&oft->tables[t].by_match);
		hmap_init(&oft->tables[t].by_prio);
	}
	hmap_init(&oft->by_id);
	oft->max_flows = OFT_MAX_FLOWS;
	return oft;
}

/** Unlinks and frees 'n', telling the removed callback first (unless 'quiet'). */
static void
node_remove(struct oft *oft, struct oft_node *n, enum oft_removed reason, bool quiet)
{
	struct oft_table *t = &oft->tables[n->flow.f.table_id];

	if (!quiet && oft->removed_fn) {
		oft->removed_fn(&n->flow, reason, oft->removed_arg);
	}
	oft_pend_unlink(oft, n);
	pend_remove_rule(oft, n);
	hmap_remove(&t->by_match, &n->match_node);
	hmap_remove(&oft->by_id, &n->id_node);
	*(n->prev ? &n->prev->next : &n->prio->head) = n->next;
	*(n->next ? &n->next->prev : &n->prio->tail) = n->prev;
	prio_put(t, n->prio);
	t->n_flows--;
	oft->n_flows--;
	of_instructions_free(&n->flow.f.ins);
	free(n);
}

void
oft_free(struct oft *oft)
{
	if (!oft) {
		return;
	}
	for (unsigned i = 0; i < DP_N_TABLES; i++) {
		struct oft_table *t = &oft->tables[i];
		struct oft_node *n;

		while ((n = oft_table_first_below(t, OFT_N_PRIOS))) {
			node_remove(oft, n, OFT_REMOVED_DELETE, true);
		}
		hmap_destroy(&t->by_match);
		hmap_destroy(&t->by_prio);
	}
	hmap_destroy(&oft->by_id);
	free(oft->removals.v);
	free(oft->swept.v);
	free(oft);
}

void
oft_set_removed_cb(struct oft *oft, oft_removed_fn *fn, void *arg)
{
	oft->removed_fn = fn;
	oft->removed_arg = arg;
}

void
oft_set_ticks_per_ms(struct oft *oft, uint64_t ticks_per_ms)
{
	oft->ticks_per_ms = ticks_per_ms;
}

void
oft_set_max_flows(struct oft *oft, unsigned max_flows)
{
	oft->max_flows = max_flows < OFT_MAX_FLOWS ? max_flows : OFT_MAX_FLOWS;
}

unsigned
oft_n_flows(const struct oft *oft, uint8_t table)
{
	if (table == OFPTT_ALL) {
		return oft->n_flows;
	}
	return table < DP_N_TABLES ? oft->tables[table].n_flows : 0;
}

/* ---- Selection ------------------------------------------------------------ */

/** How a request selects flows. */
struct oft_sel {
	const struct of_flow *filter; /* table, priority, match, cookie, out_port, out_group */
	bool strict;                  /* same priority and match, not covered match */
	bool use_out;                 /* apply out_port and out_group (delete, stats) */
};

typedef void oft_visit_fn(struct oft_node *n, void *arg);

static bool
selected(const struct oft_node *n, const struct oft_sel *sel)
{
	const struct of_flow *filter = sel->filter;

	if ((n->flow.f.cookie ^ filter->cookie) & filter->cookie_mask) {
		return false;
	}
	if (sel->use_out && filter->out_group != OFPG_ANY) {
		return false; /* no groups, so no flow forwards to one */
	}
	if (sel->use_out && filter->out_port != OFPP_ANY &&
	    !of_instructions_output_to(&n->flow.f.ins, filter->out_port)) {
		return false;
	}
	if (sel->strict) {
		return true; /* priority and match checked by the hash lookup */
	}
	return match_covers(&n->flow.f.match, &filter->match);
}

/** Calls 'fn' on every selected flow of 't'; 'fn' may remove the flow it is given. */
static void
visit_table(const struct oft_table *t, const struct oft_sel *sel, oft_visit_fn *fn, void *arg)
{
	const struct of_flow *filter = sel->filter;
	struct oft_node *n, *next;

	if (sel->strict) {
		n = table_find(t, filter->priority, &filter->match,
			       match_hash(filter->priority, &filter->match));
		if (n && selected(n, sel)) {
			fn(n, arg);
		}
		return;
	}
	for (n = oft_table_first_below(t, OFT_N_PRIOS); n; n = next) {
		/* The next flow of a lower priority is found after 'fn', by priority. */
		int below = n->prio->priority;

		next = n->next;
		if (selected(n, sel)) {
			fn(n, arg);
		}
		if (!next) {
			next = oft_table_first_below(t, below);
		}
	}
}

static void
visit(const struct oft *oft, const struct oft_sel *sel, oft_visit_fn *fn, void *arg)
{
	uint8_t table = sel->filter->table_id;

	if (table != OFPTT_ALL) {
		if (table < DP_N_TABLES) {
			visit_table(&oft->tables[table], sel, fn, arg);
		}
		return;
	}
	for (unsigned i = 0; i < DP_N_TABLES; i++) {
		if (oft->tables[i].n_flows) {
			visit_table(&oft->tables[i], sel, fn, arg);
		}
	}
}

struct oft_select_arg {
	void (*fn)(const struct oft_flow *flow, void *arg); /* the caller's function */
	void *arg;                                          /* its argument */
};

static void
select_one(struct oft_node *n, void *arg)
{
	struct oft_select_arg *sa = arg;

	sa->fn(&n->flow, sa->arg);
}

void
oft_select(const struct oft *oft, const struct of_flow *filter, bool strict,
	   void (*fn)(const struct oft_flow *flow, void *arg), void *arg)
{
	struct oft_sel sel = {filter, strict, true};
	struct oft_select_arg sa = {fn, arg};

	visit(oft, &sel, select_one, &sa);
}

static bool
key_matches(const struct of_match *match, const struct dp_flow_key *key)
{
	struct dp_flow_key value, mask;
	const uint64_t *k = (const uint64_t *)key;
	const uint64_t *v = (const uint64_t *)&value;
	const uint64_t *m = (const uint64_t *)&mask;

	oft_match_to_key(match, &value, &mask);
	for (unsigned w = 0; w < DP_KEY_WORDS; w++) {
		if ((k[w] & m[w]) != v[w]) {
			return false;
		}
	}
	return true;
}

const struct oft_flow *
oft_lookup(const struct oft *oft, uint8_t table, const struct dp_flow_key *key)
{
	const struct oft_table *t;

	if (table >= DP_N_TABLES) {
		return NULL;
	}
	t = &oft->tables[table];
	for (struct oft_node *n = oft_table_first_below(t, OFT_N_PRIOS); n;
	     n = oft_table_next(t, n)) {
		if (key_matches(&n->flow.f.match, key)) {
			return &n->flow;
		}
	}
	return NULL;
}

/* ---- FLOW_MOD ------------------------------------------------------------- */

/** Checks that do not depend on the tables' content. */
static enum of_err
check_request(const struct of_flow *fm)
{
	bool add_or_mod;
	const struct of_instructions *ins = &fm->ins;

	if (fm->command > OFPFC_DELETE_STRICT) {
		return OF_ERR_FLOW_MOD_FAILED_BAD_COMMAND;
	}
	if (fm->flags & ~OFT_KNOWN_FLAGS) {
		return OF_ERR_FLOW_MOD_FAILED_BAD_FLAGS;
	}
	add_or_mod = fm->command <= OFPFC_MODIFY_STRICT;
	if (!add_or_mod) {
		return OF_ERR_NONE;
	}
	if (fm->table_id > OFPTT_MAX) {
		return OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID;
	}
	if (fm->match.present & 1ull << OF_FIELD_TUN_DST) {
		return OF_ERR_BAD_MATCH_BAD_FIELD;
	}
	if ((ins->present & OF_INST_BIT(OFPIT_GOTO_TABLE)) &&
	    (ins->goto_table <= fm->table_id || ins->goto_table > OFPTT_MAX)) {
		return OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID;
	}
	return of_instructions_check(ins, &fm->match);
}

/** Stores what 'fm' says about a flow into 'n', taking 'ins'. */
static void
node_set(struct oft_node *n, const struct of_flow *fm, struct of_instructions *ins)
{
	n->flow.f = *fm;
	n->flow.f.command = OFPFC_ADD;
	n->flow.f.cookie_mask = 0;
	n->flow.f.buffer_id = OFP_NO_BUFFER;
	n->flow.f.out_port = OFPP_ANY;
	n->flow.f.out_group = OFPG_ANY;
	n->flow.f.ins = *ins;
	memset(ins, 0, sizeof(*ins));
}

static bool
table_overlaps(const struct oft_table *t, const struct of_flow *fm)
{
	struct oft_prio *p = prio_find(t, fm->priority);

	for (struct oft_node *n = p ? p->head : NULL; n; n = n->next) {
		if (match_overlaps(&n->flow.f.match, &fm->match)) {
			return true;
		}
	}
	return false;
}

/** An ADD that replaces 'old' [6.4]: duration restarts, counters stay unless reset. */
static void
flow_replace(struct oft *oft, struct oft_node *old, const struct of_flow *fm,
	     struct of_instructions *ins, uint64_t now_ms, bool *changed)
{
	bool reset = fm->flags & OFPFF_RESET_COUNTS;

	*changed = reset || old->flow.f.cookie != fm->cookie ||
		   !of_instructions_equal(&old->flow.f.ins, ins);
	of_instructions_free(&old->flow.f.ins);
	node_set(old, fm, ins);
	old->flow.created_ms = now_ms;
	old->flow.used_ms = now_ms;
	if (reset) {
		old->flow.packets = 0;
		old->flow.bytes = 0;
		node_new_id(oft, old);
	}
	if (*changed) {
		pend_flow(oft, old);
	}
}

static enum of_err
flow_insert(struct oft *oft, const struct of_flow *fm, struct of_instructions *ins, uint32_t hash,
	    uint64_t now_ms)
{
	struct oft_table *t = &oft->tables[fm->table_id];
	struct oft_node *n = calloc(1, sizeof(*n));
	struct oft_prio *p = n ? prio_get(t, fm->priority) : NULL;

	if (!p) {
		free(n);
		return OF_ERR_FLOW_MOD_FAILED_UNKNOWN;
	}
	node_set(n, fm, ins);
	n->flow.created_ms = now_ms;
	n->flow.used_ms = now_ms;
	n->rule[0] = n->rule[1] = OFT_NO_RULE;
	node_new_id(oft, n);
	pend_flow(oft, n);
	hmap_insert(&t->by_match, &n->match_node, hash);
	n->prio = p;
	n->prev = p->tail;
	*(p->tail ? &p->tail->next : &p->head) = n;
	p->tail = n;
	t->n_flows++;
	oft->n_flows++;
	return OF_ERR_NONE;
}

static enum of_err
flow_add(struct oft *oft, const struct of_flow *fm, uint64_t now_ms, bool *changed)
{
	struct oft_table *t = &oft->tables[fm->table_id];
	uint32_t hash = match_hash(fm->priority, &fm->match);
	struct oft_node *old = table_find(t, fm->priority, &fm->match, hash);
	struct of_instructions ins;
	enum of_err err;

	if ((fm->flags & OFPFF_CHECK_OVERLAP) && table_overlaps(t, fm)) {
		return OF_ERR_FLOW_MOD_FAILED_OVERLAP;
	}
	if (!old && oft->n_flows >= oft->max_flows) {
		return OF_ERR_FLOW_MOD_FAILED_TABLE_FULL;
	}
	if (of_instructions_copy(&ins, &fm->ins) < 0) {
		return OF_ERR_FLOW_MOD_FAILED_UNKNOWN;
	}
	if (old) {
		flow_replace(oft, old, fm, &ins, now_ms, changed);
		return OF_ERR_NONE;
	}
	err = flow_insert(oft, fm, &ins, hash, now_ms);
	if (err != OF_ERR_NONE) {
		of_instructions_free(&ins);
		return err;
	}
	*changed = true;
	return OF_ERR_NONE;
}

/** State of a MODIFY across its two passes: count, then apply. */
struct oft_modify {
	struct oft *oft;                /* the tables */
	const struct of_flow *fm;       /* the request */
	uint64_t now_ms;                /* its time */
	struct of_instructions *copies; /* one copy of the instructions per selected flow */
	unsigned n;                     /* flows selected (pass 1) or done (pass 2) */
	bool changed;                   /* some flow's instructions or id changed */
};

static void
modify_count(struct oft_node *n, void *arg)
{
	(void)n;
	((struct oft_modify *)arg)->n++;
}

/** Replaces the instructions of 'n'; the rest stays as it was [6.4]. */
static void
modify_one(struct oft_node *n, void *arg)
{
	struct oft_modify *m = arg;
	struct of_instructions *ins = &m->copies[m->n++];

	bool changed = !of_instructions_equal(&n->flow.f.ins, ins);

	of_instructions_free(&n->flow.f.ins);
	n->flow.f.ins = *ins;
	n->flow.used_ms = m->now_ms;
	if (m->fm->flags & OFPFF_RESET_COUNTS) {
		n->flow.packets = 0;
		n->flow.bytes = 0;
		node_new_id(m->oft, n);
		changed = true;
	}
	if (changed) {
		pend_flow(m->oft, n);
		m->changed = true;
	}
}

static enum of_err
flow_modify(struct oft *oft, const struct of_flow *fm, uint64_t now_ms, bool *changed)
{
	struct oft_sel sel = {fm, fm->command == OFPFC_MODIFY_STRICT, false};
	struct oft_modify m = {oft, fm, now_ms, NULL, 0, false};
	unsigned n;

	visit(oft, &sel, modify_count, &m);
	if (!m.n) {
		return OF_ERR_NONE;
	}
	m.copies = calloc(m.n, sizeof(*m.copies));
	for (n = 0; m.copies && n < m.n; n++) {
		if (of_instructions_copy(&m.copies[n], &fm->ins) < 0) {
			break;
		}
	}
	if (!m.copies || n < m.n) {
		while (m.copies && n--) {
			of_instructions_free(&m.copies[n]);
		}
		free(m.copies);
		return OF_ERR_FLOW_MOD_FAILED_UNKNOWN;
	}
	m.n = 0;
	visit(oft, &sel, modify_one, &m);
	free(m.copies);
	*changed = m.changed;
	return OF_ERR_NONE;
}

struct oft_delete {
	struct oft *oft; /* the tables */
	unsigned n;      /* flows removed */
};

static void
delete_one(struct oft_node *n, void *arg)
{
	struct oft_delete *d = arg;

	node_remove(d->oft, n, OFT_REMOVED_DELETE, false);
	d->n++;
}

enum of_err
oft_flow_mod(struct oft *oft, const struct of_flow *fm, uint64_t now_ms, bool *changed)
{
	bool ignored;
	enum of_err err = check_request(fm);
	struct oft_sel sel = {fm, fm->command == OFPFC_DELETE_STRICT, true};
	struct oft_delete d = {oft, 0};

	if (!changed) {
		changed = &ignored;
	}
	*changed = false;
	if (err != OF_ERR_NONE) {
		return err;
	}
	switch (fm->command) {
	case OFPFC_ADD:
		return flow_add(oft, fm, now_ms, changed);
	case OFPFC_MODIFY:
	case OFPFC_MODIFY_STRICT:
		return flow_modify(oft, fm, now_ms, changed);
	default:
		visit(oft, &sel, delete_one, &d);
		*changed = d.n > 0;
		return OF_ERR_NONE;
	}
}

/* ---- Timeouts ------------------------------------------------------------- */

/** Why 'n' expires at 'now_ms', or -1 if it does not. */
static int
expiry(const struct oft *oft, const struct oft_node *n, const struct dp_cls *live,
       uint64_t ticks_per_ms, uint64_t now_ms)
{
	const struct oft_flow *flow = &n->flow;
	uint64_t packets, bytes, used_ms;

	if (flow->f.hard_timeout && flow->created_ms + flow->f.hard_timeout * 1000ull <= now_ms) {
		return OFT_REMOVED_HARD;
	}
	if (!flow->f.idle_timeout) {
		return -1;
	}
	oft_flow_counters(oft, flow, live, ticks_per_ms, &packets, &bytes, &used_ms);
	return used_ms + flow->f.idle_timeout * 1000ull <= now_ms ? OFT_REMOVED_IDLE : -1;
}

unsigned
oft_expire(struct oft *oft, const struct dp_cls *live, uint64_t ticks_per_ms, uint64_t now_ms)
{
	unsigned removed = 0;

	for (unsigned i = 0; i < DP_N_TABLES; i++) {
		struct oft_table *t = &oft->tables[i];
		struct oft_node *n, *next;

		for (n = oft_table_first_below(t, OFT_N_PRIOS); n; n = next) {
			int below = n->prio->priority;
			int why = expiry(oft, n, live, ticks_per_ms, now_ms);

			next = n->next;
			if (why >= 0) {
				node_remove(oft, n, (enum oft_removed)why, false);
				removed++;
			}
			if (!next) {
				next = oft_table_first_below(t, below);
			}
		}
	}
	return removed;
}
