/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cls.c - the OpenFlow classifier of one bridge (dp_flow.h, cls_priv.h):
 * tuple space search, as Open vSwitch's lib/classifier.c.
 *
 * The rules of a table are grouped into subtables, one per distinct mask.
 * A subtable knows which of the key's 16 words its mask touches and hashes
 * only those, masked, in an rte_hash whose data is the best rule with that
 * masked value. A lookup probes the subtables of the table in order of the
 * best rule each holds and stops as soon as the best match found beats
 * everything the next subtable could give (priority pruning).
 *
 * "Best" is a total order, the rule's rank: higher priority first, and
 * among equal priorities the rule added first. OpenFlow leaves the choice
 * between overlapping rules of equal priority open [6.4]; the rank makes
 * it deterministic, and lets pruning stay exact. The rank (priority << 32
 * | ~index) is what the hashes store, so a probe needs no other memory.
 *
 * A classifier is filled by dp_cls_add(), compiled by dp_cls_build() and
 * read-only from then on: PMDs look up concurrently without locks (rte_hash
 * readers need no synchronisation while nobody writes). Only the per-PMD
 * counters change, each PMD writing its own array.
 */
#include "datapath/dp_flow.h"
#include "datapath/cls_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

_Static_assert(sizeof(void *) == 8, "ranks are stored as rte_hash data pointers");
_Static_assert(sizeof(struct dp_cls_counter) * 8 % RTE_CACHE_LINE_SIZE == 0,
	       "8 counters fill whole cache lines");

#define CLS_COUNTER_ALIGN 8 /* counters per PMD: a multiple of this */
#define CLS_MIN_ENTRIES   8 /* rte_hash_create() wants at least this */

/** Rules of one table sharing one mask. */
struct dp_cls_subtable {
	struct rte_hash *hash;       /* packed masked key -> rank; NULL when match-all */
	uint64_t max_rank;           /* rank of its best rule */
	uint8_t n_words;             /* key words the mask touches */
	uint8_t key_words;           /* words hashed: 'n_words' rounded up to even */
	uint8_t words[DP_KEY_WORDS]; /* indices of those words */
	uint64_t mask[DP_KEY_WORDS]; /* the mask of each, packed */
} __rte_cache_aligned;

/** A rule while dp_cls_build() sorts them. */
struct cls_sort {
	const struct dp_flow_key *mask; /* its mask */
	uint64_t rank;                  /* its rank */
	uint8_t table;                  /* its table */
};

static unsigned cls_instances;

static inline uint64_t
cls_rank(uint16_t priority, uint32_t rule)
{
	return ((uint64_t)priority << 32) | (UINT32_MAX - rule);
}

static inline int32_t
cls_rank_rule(uint64_t rank)
{
	return rank == 0 ? -1 : (int32_t)(UINT32_MAX - (uint32_t)rank);
}

static inline uint64_t
key_word(const struct dp_flow_key *key, unsigned i)
{
	uint64_t w;

	memcpy(&w, (const uint8_t *)key + i * 8, 8);
	return w;
}

static inline void
cls_pack(const struct dp_cls_subtable *st, const struct dp_flow_key *key, uint64_t *packed)
{
	unsigned i;

	for (i = 0; i < st->n_words; i++) {
		packed[i] = key_word(key, st->words[i]) & st->mask[i];
	}
	if (i < st->key_words) {
		packed[i] = 0;
	}
}

struct dp_cls *
dp_cls_create(unsigned max_rules, unsigned n_pmds)
{
	unsigned slots = max_rules == 0 ? 1 : max_rules;
	struct dp_cls *cls;

	n_pmds = n_pmds == 0 ? 1 : n_pmds;
	cls = rte_zmalloc("dp_cls", sizeof(*cls), RTE_CACHE_LINE_SIZE);
	if (cls == NULL) {
		return NULL;
	}
	cls->max_rules = max_rules;
	cls->n_pmds = n_pmds;
	cls->counter_stride = RTE_ALIGN_CEIL(slots, CLS_COUNTER_ALIGN);
	cls->rules = rte_zmalloc("dp_cls_rules", sizeof(*cls->rules) * slots, RTE_CACHE_LINE_SIZE);
	cls->counters =
	    rte_zmalloc("dp_cls_counters", sizeof(*cls->counters) * cls->counter_stride * n_pmds,
			RTE_CACHE_LINE_SIZE);
	cls->values = calloc(slots, sizeof(*cls->values));
	cls->masks = calloc(slots, sizeof(*cls->masks));
	if (cls->rules == NULL || cls->counters == NULL || cls->values == NULL ||
	    cls->masks == NULL) {
		dp_cls_free(cls);
		return NULL;
	}
	return cls;
}

void
dp_cls_free(struct dp_cls *cls)
{
	uint32_t i;

	if (cls == NULL) {
		return;
	}
	for (i = 0; i < cls->n_subtables; i++) {
		rte_hash_free(cls->subtables[i].hash);
	}
	rte_free(cls->subtables);
	rte_free(cls->rules);
	rte_free(cls->ops);
	rte_free(cls->counters);
	free(cls->values);
	free(cls->masks);
	rte_free(cls);
}

/* Ops past what the datapath can do are refused here, not on the PMD. */
static int
cls_check_ops(const struct dp_rule_spec *spec)
{
	uint16_t i;

	if (spec->n_ops > 0 && spec->ops == NULL) {
		return -EINVAL;
	}
	for (i = 0; i < spec->n_ops; i++) {
		const struct dp_action *a = &spec->ops[i];

		if (a->op < DP_OP_OUTPUT || a->op > DP_OP_GOTO_TABLE) {
			return -EINVAL;
		}
		if (a->op == DP_OP_OUTPUT && a->arg >= DP_MAX_PORTS) {
			return -EINVAL;
		}
		/* GOTO_TABLE only goes forward [5.1], so a walk ends. */
		if (a->op == DP_OP_GOTO_TABLE && (a->arg >= DP_N_TABLES || a->arg <= spec->table)) {
			return -EINVAL;
		}
	}
	return 0;
}

static int
cls_reserve_ops(struct dp_cls *cls, uint32_t n)
{
	uint32_t cap = cls->ops_cap;
	struct dp_action *ops;

	if (cls->n_ops + n <= cap) {
		return 0;
	}
	while (cap < cls->n_ops + n) {
		cap = cap < 16 ? 16 : cap * 2;
	}
	ops = rte_realloc(cls->ops, sizeof(*ops) * cap, RTE_CACHE_LINE_SIZE);
	if (ops == NULL) {
		return -ENOMEM;
	}
	cls->ops = ops;
	cls->ops_cap = cap;
	return 0;
}

static bool
key_is_zero(const struct dp_flow_key *key)
{
	unsigned i;

	for (i = 0; i < DP_KEY_WORDS; i++) {
		if (key_word(key, i) != 0) {
			return false;
		}
	}
	return true;
}

int
dp_cls_add(struct dp_cls *cls, const struct dp_rule_spec *spec)
{
	uint32_t idx = cls->n_rules;
	struct dp_cls_rule *r;
	uint8_t *value, *mask;
	unsigned i;
	int ret;

	if (cls->built || spec->table >= DP_N_TABLES) {
		return -EINVAL;
	}
	if (idx >= cls->max_rules) {
		return -ENOSPC;
	}
	ret = cls_check_ops(spec);
	if (ret == 0) {
		ret = cls_reserve_ops(cls, spec->n_ops);
	}
	if (ret < 0) {
		return ret;
	}
	r = &cls->rules[idx];
	r->ops_off = cls->n_ops;
	r->n_ops = spec->n_ops;
	r->priority = spec->priority;
	r->table = spec->table;
	r->table_miss = spec->table_miss;
	r->flow_id = spec->flow_id;
	r->cookie = spec->cookie;
	if (spec->n_ops > 0) {
		memcpy(&cls->ops[cls->n_ops], spec->ops, sizeof(*spec->ops) * spec->n_ops);
	}
	cls->n_ops += spec->n_ops;
	cls->masks[idx] = spec->mask;
	value = (uint8_t *)&cls->values[idx];
	mask = (uint8_t *)&cls->masks[idx];
	for (i = 0; i < sizeof(spec->value); i++) {
		value[i] = ((const uint8_t *)&spec->value)[i] & mask[i];
	}
	if (idx == 0) {
		cls->first_normal = spec->table == 0 && key_is_zero(&spec->mask) &&
				    spec->n_ops == 1 && spec->ops[0].op == DP_OP_NORMAL;
	}
	cls->n_rules++;
	return 0;
}

static int
cls_sort_cmp(const void *a_, const void *b_)
{
	const struct cls_sort *a = a_, *b = b_;
	int c;

	if (a->table != b->table) {
		return a->table < b->table ? -1 : 1;
	}
	c = memcmp(a->mask, b->mask, sizeof(*a->mask));
	if (c != 0) {
		return c;
	}
	return a->rank > b->rank ? -1 : a->rank < b->rank ? 1 : 0;
}

static int
cls_subtable_cmp(const void *a_, const void *b_)
{
	const struct dp_cls_subtable *a = a_, *b = b_;

	return a->max_rank > b->max_rank ? -1 : a->max_rank < b->max_rank ? 1 : 0;
}

/* Sets up 'st' for 'mask' with room for 'n_rules' rules. */
static int
cls_subtable_init(struct dp_cls_subtable *st, const struct dp_flow_key *mask, uint32_t n_rules)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
	    .name = name,
	    .entries = n_rules * 2 < CLS_MIN_ENTRIES ? CLS_MIN_ENTRIES : n_rules * 2,
	    .hash_func = rte_hash_crc,
	    .socket_id = SOCKET_ID_ANY,
	    .extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	unsigned i;

	for (i = 0; i < DP_KEY_WORDS; i++) {
		uint64_t m = key_word(mask, i);

		if (m != 0) {
			st->words[st->n_words] = i;
			st->mask[st->n_words++] = m;
		}
	}
	st->key_words = (st->n_words + 1) & ~1u;
	if (st->n_words == 0) {
		return 0; /* match-all: no hash, every key hits the best rule */
	}
	/* Even word counts give rte_hash its 16-byte-multiple compare. */
	hp.key_len = st->key_words * 8;
	snprintf(name, sizeof(name), "dpcls%u",
		 __atomic_fetch_add(&cls_instances, 1, __ATOMIC_RELAXED));
	st->hash = rte_hash_create(&hp);
	return st->hash == NULL ? -ENOMEM : 0;
}

/* Fills subtable 'st' with the 'n' sorted rules at 'ents', best first: a
 * masked value already present keeps its better rule. */
static int
cls_subtable_fill(struct dp_cls *cls, struct dp_cls_subtable *st, const struct cls_sort *ents,
		  uint32_t n)
{
	uint64_t packed[DP_KEY_WORDS];
	uint32_t i;
	int ret;

	ret = cls_subtable_init(st, ents[0].mask, n);
	if (ret < 0) {
		return ret;
	}
	st->max_rank = ents[0].rank;
	for (i = 0; st->hash != NULL && i < n; i++) {
		uint32_t rule = (uint32_t)cls_rank_rule(ents[i].rank);

		cls_pack(st, &cls->values[rule], packed);
		if (rte_hash_lookup(st->hash, packed) >= 0) {
			continue;
		}
		ret = rte_hash_add_key_data(st->hash, packed, (void *)(uintptr_t)ents[i].rank);
		if (ret < 0) {
			return ret;
		}
	}
	return 0;
}

static bool
cls_same_subtable(const struct cls_sort *a, const struct cls_sort *b)
{
	return a->table == b->table && memcmp(a->mask, b->mask, sizeof(*a->mask)) == 0;
}

static uint32_t
cls_count_subtables(const struct cls_sort *ents, uint32_t n)
{
	uint32_t i, n_sub = n > 0;

	for (i = 1; i < n; i++) {
		if (!cls_same_subtable(&ents[i - 1], &ents[i])) {
			n_sub++;
		}
	}
	return n_sub;
}

/* Builds the subtables from 'ents', sorted by table, mask, rank. */
static int
cls_build_subtables(struct dp_cls *cls, const struct cls_sort *ents, uint32_t n)
{
	uint32_t n_sub = cls_count_subtables(ents, n);
	uint32_t i, first, t;
	int ret;

	cls->subtables = rte_zmalloc("dp_cls_sub", sizeof(*cls->subtables) * (n_sub ? n_sub : 1),
				     RTE_CACHE_LINE_SIZE);
	if (cls->subtables == NULL) {
		return -ENOMEM;
	}
	for (first = 0; first < n; first = i) {
		for (i = first + 1; i < n && cls_same_subtable(&ents[first], &ents[i]); i++) {
		}
		ret = cls_subtable_fill(cls, &cls->subtables[cls->n_subtables++], &ents[first],
					i - first);
		if (ret < 0) {
			return ret;
		}
		cls->table_start[ents[first].table + 1] = cls->n_subtables;
	}
	for (t = 1; t <= DP_N_TABLES; t++) {
		if (cls->table_start[t] < cls->table_start[t - 1]) {
			cls->table_start[t] = cls->table_start[t - 1];
		}
	}
	for (t = 0; t < DP_N_TABLES; t++) {
		qsort(&cls->subtables[cls->table_start[t]],
		      cls->table_start[t + 1] - cls->table_start[t], sizeof(*cls->subtables),
		      cls_subtable_cmp);
	}
	return 0;
}

int
dp_cls_build(struct dp_cls *cls)
{
	struct cls_sort *ents;
	uint32_t i;
	int ret;

	if (cls->built) {
		return -EINVAL;
	}
	ents = malloc(sizeof(*ents) * (cls->n_rules ? cls->n_rules : 1));
	if (ents == NULL) {
		return -ENOMEM;
	}
	for (i = 0; i < cls->n_rules; i++) {
		ents[i].mask = &cls->masks[i];
		ents[i].rank = cls_rank(cls->rules[i].priority, i);
		ents[i].table = cls->rules[i].table;
	}
	qsort(ents, cls->n_rules, sizeof(*ents), cls_sort_cmp);
	ret = cls_build_subtables(cls, ents, cls->n_rules);
	free(ents);
	if (ret < 0) {
		return ret;
	}
	free(cls->values);
	free(cls->masks);
	cls->values = NULL;
	cls->masks = NULL;
	cls->built = true;
	return 0;
}

unsigned
dp_cls_n_rules(const struct dp_cls *cls)
{
	return cls->n_rules;
}

bool
dp_cls_is_normal_only(const struct dp_cls *cls)
{
	return cls->n_rules == 1 && cls->first_normal;
}

int
dp_cls_lookup(const struct dp_cls *cls, uint8_t table, const struct dp_flow_key *key)
{
	uint64_t packed[DP_KEY_WORDS];
	uint64_t best = 0;
	uint32_t s;

	if (table >= DP_N_TABLES) {
		return -1;
	}
	for (s = cls->table_start[table]; s < cls->table_start[table + 1]; s++) {
		const struct dp_cls_subtable *st = &cls->subtables[s];
		hash_sig_t sig;
		void *data;

		if (best > st->max_rank) {
			break; /* nothing here or later can beat it */
		}
		if (st->hash == NULL) {
			best = st->max_rank;
			continue;
		}
		cls_pack(st, key, packed);
		sig = rte_hash_crc(packed, st->key_words * 8u, 0);
		if (rte_hash_lookup_with_hash_data(st->hash, packed, sig, &data) >= 0 &&
		    (uintptr_t)data > best) {
			best = (uintptr_t)data;
		}
	}
	return cls_rank_rule(best);
}

/* Probes subtable 'st' for the 'n' keys listed in 'pos'. TODO(h3): on a
 * 2-vCPU VM with small in-cache tables this bulk probe measured ~1.3x
 * slower per key than dp_cls_lookup() in a loop; benchmark it on PMD
 * hardware with large tables before relying on it. */
static void
cls_probe_burst(const struct dp_cls_subtable *st, const struct dp_flow_key *const keys[],
		const unsigned *pos, unsigned n, uint64_t *best)
{
	uint64_t packed[DP_CLS_BURST_MAX][DP_KEY_WORDS];
	const void *kp[DP_CLS_BURST_MAX];
	hash_sig_t sigs[DP_CLS_BURST_MAX];
	void *data[DP_CLS_BURST_MAX];
	uint64_t hits = 0;
	unsigned j;

	if (st->hash == NULL) {
		for (j = 0; j < n; j++) {
			best[pos[j]] = st->max_rank;
		}
		return;
	}
	for (j = 0; j < n; j++) {
		cls_pack(st, keys[pos[j]], packed[j]);
		kp[j] = packed[j];
		sigs[j] = rte_hash_crc(packed[j], st->key_words * 8u, 0);
	}
	rte_hash_lookup_with_hash_bulk_data(st->hash, kp, sigs, n, &hits, data);
	for (; hits != 0; hits &= hits - 1) {
		j = (unsigned)__builtin_ctzll(hits);
		if ((uintptr_t)data[j] > best[pos[j]]) {
			best[pos[j]] = (uintptr_t)data[j];
		}
	}
}

static void
cls_lookup_chunk(const struct dp_cls *cls, uint8_t table, const struct dp_flow_key *const keys[],
		 unsigned n, int32_t *rules)
{
	uint64_t best[DP_CLS_BURST_MAX] = {0};
	unsigned pos[DP_CLS_BURST_MAX];
	uint64_t live = (n >= 64 ? 0 : (1ull << n)) - 1;
	unsigned i, m;
	uint32_t s;

	for (s = cls->table_start[table]; s < cls->table_start[table + 1] && live != 0; s++) {
		const struct dp_cls_subtable *st = &cls->subtables[s];
		uint64_t l;

		m = 0;
		for (l = live; l != 0; l &= l - 1) {
			i = (unsigned)__builtin_ctzll(l);
			if (best[i] > st->max_rank) {
				live &= ~(1ull << i); /* decided: later subtables rank lower */
			} else {
				pos[m++] = i;
			}
		}
		if (m > 0) {
			cls_probe_burst(st, keys, pos, m, best);
		}
	}
	for (i = 0; i < n; i++) {
		rules[i] = cls_rank_rule(best[i]);
	}
}

void
dp_cls_lookup_burst(const struct dp_cls *cls, uint8_t table, const struct dp_flow_key *const keys[],
		    unsigned n, int32_t *rules)
{
	unsigned done, i;

	if (table >= DP_N_TABLES) {
		for (i = 0; i < n; i++) {
			rules[i] = -1;
		}
		return;
	}
	for (done = 0; done < n; done += DP_CLS_BURST_MAX) {
		cls_lookup_chunk(cls, table, keys + done, RTE_MIN(n - done, DP_CLS_BURST_MAX),
				 rules + done);
	}
}

uint32_t
dp_cls_rule_flow_id(const struct dp_cls *cls, unsigned rule)
{
	return rule < cls->n_rules ? cls->rules[rule].flow_id : 0;
}

void
dp_cls_rule_stats(const struct dp_cls *cls, unsigned rule, uint64_t *packets, uint64_t *bytes,
		  uint64_t *used)
{
	unsigned p;

	*packets = *bytes = *used = 0;
	if (rule >= cls->n_rules) {
		return;
	}
	for (p = 0; p < cls->n_pmds; p++) {
		const struct dp_cls_counter *c =
		    &cls->counters[(size_t)p * cls->counter_stride + rule];

		*packets += c->packets;
		*bytes += c->bytes;
		*used = RTE_MAX(*used, c->used);
	}
}
