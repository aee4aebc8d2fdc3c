/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cls.c - the OpenFlow classifier of one bridge (dp_flow.h, cls_priv.h):
 * tuple space search, as Open vSwitch's lib/classifier.c.
 *
 * The rules of a table are grouped into subtables, one per distinct mask.
 * A subtable knows which of the key's 16 words its mask touches and hashes
 * only those, masked, in an rte_hash; beside it, by key position, is the
 * rank of the best rule with that masked value. A lookup probes the subtables of the table in order
 * of the best priority each holds and stops as soon as the best match found beats everything the
 * next subtable could give (priority pruning).
 *
 * "Best" is a total order, the rule's rank: higher priority first, and
 * among equal priorities the lower index (the rule added first, for rules
 * added before build). OpenFlow leaves the choice between overlapping
 * rules of equal priority open [6.4]; the rank makes it deterministic. The
 * rank (priority << 32 | ~index) is what a probe reads, so it needs no
 * rule memory. A subtable's pruning bound, 'max_rank', is the
 * highest rank its best priority allows (priority << 32 | UINT32_MAX).
 *
 * A classifier is filled by dp_cls_add() and compiled by dp_cls_build();
 * after that control (one writer) changes it rule by rule while PMDs look
 * up without locks:
 *  - The hashes are rte_hash in lock-free reader mode (RW_CONCURRENCY_LF,
 *    which implies NO_FREE_ON_DEL): a deleted key's slot is given back by
 *    rte_hash_free_key_with_position() only at commit, after the grace
 *    period. Several rules with the same masked key are a chain sorted by
 *    rank on control's side; 'ranks' holds the head's rank by key
 *    position, stored atomically when the head changes (0: none, which a
 *    PMD takes as a miss).
 *  - A table's subtables are an array PMDs load once per lookup (acquire).
 *    Any change to it (new subtable, new order, grown hash) is a new array
 *    published with a release store; the old one is freed at commit.
 *  - 'max_rank' is raised before a better rule becomes reachable, and the
 *    array re-sorted at once if that breaks its order; it is lowered only
 *    at commit, after the array sorted by the lower bounds is published
 *    and a grace period has passed, so a bound a PMD reads is never below
 *    a rule it can reach in the array it holds.
 *  - Rule slots, their own ops and counters are written before the rule
 *    becomes reachable and freed only at commit, so an index a PMD got
 *    stays valid until its next quiescent state.
 * A lookup therefore sees, per subtable, the state before or after each
 * change; dp_cls_commit() (dp.c) makes all of them visible.
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

_Static_assert(sizeof(struct dp_cls_counter) * 8 % RTE_CACHE_LINE_SIZE == 0,
	       "8 counters fill whole cache lines");

#define CLS_COUNTER_ALIGN 8          /* counters per PMD: a multiple of this */
#define CLS_MIN_ENTRIES   64         /* a new hash's room, in keys */
#define CLS_NONE          UINT32_MAX /* no rule */

/** Rules of one table sharing one mask. */
struct dp_cls_subtable {
	struct rte_hash *hash;       /* packed masked keys; NULL when match-all */
	uint64_t max_rank;           /* pruning bound, >= any reachable rank; PMDs read it */
	uint64_t all_rank;           /* match-all only: the head's rank, 0: none; PMDs read it */
	uint8_t n_words;             /* key words the mask touches */
	uint8_t key_words;           /* words hashed: 'n_words' rounded up to even */
	uint8_t words[DP_KEY_WORDS]; /* indices of those words */
	uint64_t mask[DP_KEY_WORDS]; /* the mask of each, packed */
	/* Control only from here on. */
	struct dp_flow_key full_mask; /* the mask, unpacked, to find the subtable */
	uint8_t table;                /* its table */
	bool retired;                 /* unreachable from the next commit on; freed then */
	uint64_t *ranks;              /* head rank by hash key position, 0: none; PMDs read it */
	uint32_t *heads;              /* best rule by hash key position ([0]: match-all) */
	uint32_t n_heads;             /* entries in 'heads' */
	struct cls_prio *prios;       /* live rules by priority, ascending */
	uint32_t n_prios;             /* entries in 'prios' */
	uint32_t prios_cap;           /* entries allocated */
	uint64_t target;              /* max_rank to set after the commit's grace period */
	struct dp_cls_subtable *next; /* in the writer's retired list */
} __rte_cache_aligned;

/** How many live rules of a subtable have one priority. */
struct cls_prio {
	uint32_t priority; /* the priority */
	uint32_t n;        /* rules with it, > 0 */
};

/** One table's subtables, best bound first, as PMDs read them. */
struct cls_tvec {
	uint32_t n;                   /* entries in 'st' */
	struct cls_tvec *next;        /* in the writer's retired list */
	struct dp_cls_subtable *st[]; /* the subtables */
};

enum cls_state {
	CLS_FREE = 0, /* slot unused */
	CLS_LIVE,     /* reachable (or about to be) */
	CLS_REMOVED,  /* unlinked; freed at the next commit */
};

/** Control's view of one rule slot. */
struct cls_wrule {
	struct dp_cls_subtable *st; /* its subtable while live */
	uint32_t pos;               /* its key's position in st->hash (0 when match-all) */
	uint32_t next;              /* next lower rank with the same key, CLS_NONE: last */
	uint32_t ops_off;           /* added before build: its first op in dp_cls.ops */
	uint8_t state;              /* enum cls_state */
	bool own_ops;               /* rules[i].ops was malloc'd by dp_cls_insert() */
	bool normal_all;            /* table 0, match-all, one NORMAL op */
};

/** A hash key deleted from a subtable, its slot freed at commit. */
struct cls_pkey {
	struct dp_cls_subtable *st; /* the subtable */
	uint32_t pos;               /* the key's position */
};

/** Control's bookkeeping (never read by PMDs). */
struct cls_writer {
	struct cls_wrule *wr;               /* by rule index, 'max_rules' */
	uint32_t *free;                     /* reusable slots (stack) */
	uint32_t n_free;                    /* entries in 'free' */
	uint32_t *removed;                  /* removed since the last commit */
	uint32_t n_removed;                 /* entries in 'removed' */
	struct cls_pkey *keys;              /* hash keys deleted since the last commit */
	uint32_t n_keys;                    /* entries in 'keys' */
	struct dp_cls_subtable *retired_st; /* subtables to free at commit */
	struct cls_tvec *retired_tv;        /* arrays to free at commit */
	uint32_t n_normal_all;              /* live rules with 'normal_all' */
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

/* The pruning bound of a subtable whose best priority is 'priority'. */
static inline uint64_t
cls_bound(uint32_t priority)
{
	return ((uint64_t)priority << 32) | UINT32_MAX;
}

static inline uint64_t
cls_rule_rank(const struct dp_cls *cls, uint32_t rule)
{
	return cls_rank(cls->rules[rule].priority, rule);
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

static struct cls_writer *
cls_writer_create(unsigned slots)
{
	struct cls_writer *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		return NULL;
	}
	w->wr = calloc(slots, sizeof(*w->wr));
	w->free = calloc(slots, sizeof(*w->free));
	w->removed = calloc(slots, sizeof(*w->removed));
	w->keys = calloc(slots, sizeof(*w->keys));
	if (w->wr == NULL || w->free == NULL || w->removed == NULL || w->keys == NULL) {
		free(w->wr);
		free(w->free);
		free(w->removed);
		free(w->keys);
		free(w);
		return NULL;
	}
	return w;
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
	cls->w = cls_writer_create(slots);
	if (cls->rules == NULL || cls->counters == NULL || cls->values == NULL ||
	    cls->masks == NULL || cls->w == NULL) {
		dp_cls_free(cls);
		return NULL;
	}
	return cls;
}

static void
cls_subtable_destroy(struct dp_cls_subtable *st)
{
	if (st == NULL) {
		return;
	}
	rte_hash_free(st->hash);
	free(st->heads);
	free(st->ranks);
	free(st->prios);
	rte_free(st);
}

/* Frees the retired subtables and arrays: no PMD may read them. */
static void
cls_free_retired(struct cls_writer *w)
{
	while (w->retired_st != NULL) {
		struct dp_cls_subtable *st = w->retired_st;

		w->retired_st = st->next;
		cls_subtable_destroy(st);
	}
	while (w->retired_tv != NULL) {
		struct cls_tvec *tv = w->retired_tv;

		w->retired_tv = tv->next;
		free(tv);
	}
}

static void
cls_writer_free(struct dp_cls *cls)
{
	struct cls_writer *w = cls->w;
	uint32_t i;

	if (w == NULL) {
		return;
	}
	for (i = 0; i < cls->n_rules; i++) {
		if (w->wr[i].own_ops) {
			free((void *)(uintptr_t)cls->rules[i].ops);
		}
	}
	cls_free_retired(w);
	free(w->wr);
	free(w->free);
	free(w->removed);
	free(w->keys);
	free(w);
}

void
dp_cls_free(struct dp_cls *cls)
{
	uint32_t t, i;

	if (cls == NULL) {
		return;
	}
	for (t = 0; t < DP_N_TABLES; t++) {
		struct cls_tvec *tv = cls->tables[t];

		for (i = 0; tv != NULL && i < tv->n; i++) {
			cls_subtable_destroy(tv->st[i]);
		}
		free(tv);
	}
	cls_writer_free(cls);
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

	if (spec->table >= DP_N_TABLES || (spec->n_ops > 0 && spec->ops == NULL)) {
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

/* Fills slot 'idx' from 'spec' but its ops; notes its masked value. */
static void
cls_fill_rule(struct dp_cls *cls, uint32_t idx, const struct dp_rule_spec *spec,
	      struct dp_flow_key *value)
{
	struct dp_cls_rule *r = &cls->rules[idx];
	struct cls_wrule *w = &cls->w->wr[idx];
	const uint8_t *v = (const uint8_t *)&spec->value, *m = (const uint8_t *)&spec->mask;
	unsigned i;

	r->n_ops = spec->n_ops;
	r->priority = spec->priority;
	r->table = spec->table;
	r->table_miss = spec->table_miss;
	r->flow_id = spec->flow_id;
	r->cookie = spec->cookie;
	for (i = 0; i < sizeof(*value); i++) {
		((uint8_t *)value)[i] = v[i] & m[i];
	}
	memset(w, 0, sizeof(*w));
	w->next = CLS_NONE;
	w->normal_all = spec->table == 0 && key_is_zero(&spec->mask) && spec->n_ops == 1 &&
			spec->ops[0].op == DP_OP_NORMAL;
}

int
dp_cls_add(struct dp_cls *cls, const struct dp_rule_spec *spec)
{
	uint32_t idx = cls->n_rules;
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
	cls_fill_rule(cls, idx, spec, &cls->values[idx]);
	cls->masks[idx] = spec->mask;
	cls->w->wr[idx].ops_off = cls->n_ops;
	if (spec->n_ops > 0) {
		memcpy(&cls->ops[cls->n_ops], spec->ops, sizeof(*spec->ops) * spec->n_ops);
	}
	cls->n_ops += spec->n_ops;
	cls->w->wr[idx].state = CLS_LIVE;
	cls->n_rules++;
	return 0;
}

/* --- Subtables and the arrays PMDs read. */

/* A new subtable of 'table' for 'mask', its hash with room for 'entries' keys. */
static int
cls_subtable_new(uint8_t table, const struct dp_flow_key *mask, uint32_t entries,
		 struct dp_cls_subtable **out)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
	    .name = name,
	    .entries = RTE_MAX(entries, (uint32_t)CLS_MIN_ENTRIES),
	    .hash_func = rte_hash_crc,
	    .socket_id = SOCKET_ID_ANY,
	    .extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE | RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct dp_cls_subtable *st;
	unsigned i;

	st = rte_zmalloc("dp_cls_sub", sizeof(*st), RTE_CACHE_LINE_SIZE);
	if (st == NULL) {
		return -ENOMEM;
	}
	st->table = table;
	st->full_mask = *mask;
	for (i = 0; i < DP_KEY_WORDS; i++) {
		uint64_t m = key_word(mask, i);

		if (m != 0) {
			st->words[st->n_words] = i;
			st->mask[st->n_words++] = m;
		}
	}
	/* Even word counts give rte_hash its 16-byte-multiple compare. */
	st->key_words = (st->n_words + 1) & ~1u;
	st->n_heads = 1; /* match-all: no hash, one chain */
	if (st->n_words > 0) {
		hp.key_len = st->key_words * 8;
		snprintf(name, sizeof(name), "dpcls%u",
			 __atomic_fetch_add(&cls_instances, 1, __ATOMIC_RELAXED));
		st->hash = rte_hash_create(&hp);
		st->n_heads = st->hash ? (uint32_t)rte_hash_max_key_id(st->hash) + 1 : 0;
	}
	st->heads = st->n_heads ? malloc(sizeof(*st->heads) * st->n_heads) : NULL;
	st->ranks = st->n_heads ? calloc(st->n_heads, sizeof(*st->ranks)) : NULL;
	if (st->heads == NULL || st->ranks == NULL || (st->n_words > 0 && st->hash == NULL)) {
		cls_subtable_destroy(st);
		return -ENOMEM;
	}
	memset(st->heads, 0xff, sizeof(*st->heads) * st->n_heads);
	*out = st;
	return 0;
}

/* Hands 'st' over to be freed at the next commit (or the end of build). */
static void
cls_retire_subtable(struct dp_cls *cls, struct dp_cls_subtable *st)
{
	st->retired = true;
	st->next = cls->w->retired_st;
	cls->w->retired_st = st;
}

/* A copy of 'tv' (NULL: empty) with room for 'extra' more subtables. */
static struct cls_tvec *
cls_tvec_dup(const struct cls_tvec *tv, uint32_t extra)
{
	uint32_t n = tv ? tv->n : 0;
	struct cls_tvec *c = malloc(sizeof(*c) + sizeof(c->st[0]) * (n + extra));

	if (c == NULL) {
		return NULL;
	}
	c->n = n;
	c->next = NULL;
	if (n > 0) {
		memcpy(c->st, tv->st, sizeof(c->st[0]) * n);
	}
	return c;
}

/* Makes 'tv' what PMDs read for 'table'; the old array is freed at commit. */
static void
cls_tvec_publish(struct dp_cls *cls, uint8_t table, struct cls_tvec *tv)
{
	struct cls_tvec *old = cls->tables[table];

	__atomic_store_n(&cls->tables[table], tv, __ATOMIC_RELEASE);
	if (old != NULL) {
		old->next = cls->w->retired_tv;
		cls->w->retired_tv = old;
	}
}

static int
cls_max_rank_cmp(const void *a_, const void *b_)
{
	const struct dp_cls_subtable *a = *(struct dp_cls_subtable *const *)a_;
	const struct dp_cls_subtable *b = *(struct dp_cls_subtable *const *)b_;

	return a->max_rank > b->max_rank ? -1 : a->max_rank < b->max_rank ? 1 : 0;
}

static int
cls_target_cmp(const void *a_, const void *b_)
{
	const struct dp_cls_subtable *a = *(struct dp_cls_subtable *const *)a_;
	const struct dp_cls_subtable *b = *(struct dp_cls_subtable *const *)b_;

	return a->target > b->target ? -1 : a->target < b->target ? 1 : 0;
}

/* Re-publishes 'table' sorted by the bounds PMDs read now. */
static int
cls_resort(struct dp_cls *cls, uint8_t table)
{
	struct cls_tvec *tv = cls->tables[table];

	if (cls->built) {
		tv = cls_tvec_dup(tv, 0);
		if (tv == NULL) {
			return -ENOMEM;
		}
	}
	qsort(tv->st, tv->n, sizeof(tv->st[0]), cls_max_rank_cmp);
	if (cls->built) {
		cls_tvec_publish(cls, table, tv);
	}
	return 0;
}

static struct dp_cls_subtable *
cls_find_subtable(const struct dp_cls *cls, uint8_t table, const struct dp_flow_key *mask)
{
	const struct cls_tvec *tv = cls->tables[table];
	uint32_t i;

	for (i = 0; tv != NULL && i < tv->n; i++) {
		if (memcmp(&tv->st[i]->full_mask, mask, sizeof(*mask)) == 0) {
			return tv->st[i];
		}
	}
	return NULL;
}

/* A new empty subtable for 'mask' at the end of 'table' (bound 0: last). */
static int
cls_subtable_add(struct dp_cls *cls, uint8_t table, const struct dp_flow_key *mask,
		 struct dp_cls_subtable **out)
{
	struct cls_tvec *tv = cls->tables[table];
	int ret;

	tv = cls_tvec_dup(tv, 1);
	if (tv == NULL) {
		return -ENOMEM;
	}
	ret = cls_subtable_new(table, mask, CLS_MIN_ENTRIES, out);
	if (ret < 0) {
		free(tv);
		return ret;
	}
	tv->st[tv->n++] = *out;
	cls_tvec_publish(cls, table, tv);
	return 0;
}

/* Replaces 'old' by 'st' in the array of their table. */
static int
cls_subtable_replace(struct dp_cls *cls, struct dp_cls_subtable *old, struct dp_cls_subtable *st)
{
	struct cls_tvec *tv = cls_tvec_dup(cls->tables[old->table], 0);
	uint32_t i;

	if (tv == NULL) {
		return -ENOMEM;
	}
	for (i = 0; i < tv->n; i++) {
		if (tv->st[i] == old) {
			tv->st[i] = st;
		}
	}
	cls_tvec_publish(cls, old->table, tv);
	return 0;
}

/* --- Live rules per priority: a subtable's exact bound, for commit. */

/* Index of the first entry of 'st->prios' at or above 'priority'. */
static uint32_t
cls_prio_find(const struct dp_cls_subtable *st, uint32_t priority)
{
	uint32_t lo = 0, hi = st->n_prios;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (st->prios[mid].priority < priority) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static int
cls_prio_add(struct dp_cls_subtable *st, uint32_t priority)
{
	uint32_t i = cls_prio_find(st, priority);

	if (i < st->n_prios && st->prios[i].priority == priority) {
		st->prios[i].n++;
		return 0;
	}
	if (st->n_prios == st->prios_cap) {
		uint32_t cap = st->prios_cap ? st->prios_cap * 2 : 4;
		struct cls_prio *p = realloc(st->prios, sizeof(*p) * cap);

		if (p == NULL) {
			return -ENOMEM;
		}
		st->prios = p;
		st->prios_cap = cap;
	}
	memmove(&st->prios[i + 1], &st->prios[i], sizeof(*st->prios) * (st->n_prios - i));
	st->prios[i].priority = priority;
	st->prios[i].n = 1;
	st->n_prios++;
	return 0;
}

static void
cls_prio_del(struct dp_cls_subtable *st, uint32_t priority)
{
	uint32_t i = cls_prio_find(st, priority);

	if (i >= st->n_prios || st->prios[i].priority != priority) {
		return;
	}
	if (--st->prios[i].n == 0) {
		st->n_prios--;
		memmove(&st->prios[i], &st->prios[i + 1], sizeof(*st->prios) * (st->n_prios - i));
	}
}

/* The bound 'st' needs now: its best live priority's (0: empty). */
static uint64_t
cls_prio_bound(const struct dp_cls_subtable *st)
{
	return st->n_prios ? cls_bound(st->prios[st->n_prios - 1].priority) : 0;
}

/* Raises the bound of 'st' for a rule of 'priority' before it becomes
 * reachable, re-sorting the table's array if the order broke. */
static int
cls_raise(struct dp_cls *cls, struct dp_cls_subtable *st, uint16_t priority)
{
	const struct cls_tvec *tv = cls->tables[st->table];
	uint64_t bound = cls_bound(priority);
	uint32_t i;

	if (bound <= st->max_rank) {
		return 0;
	}
	__atomic_store_n(&st->max_rank, bound, __ATOMIC_RELAXED);
	for (i = 0; i < tv->n && tv->st[i] != st; i++) {
	}
	if (i == 0 || tv->st[i - 1]->max_rank >= bound) {
		return 0;
	}
	return cls_resort(cls, st->table);
}

/* --- Chains of rules sharing one masked key. */

/* Tells PMDs that rule 'head' (CLS_NONE: none) now heads key 'pos' of 'st'. */
static int
cls_publish_head(struct dp_cls *cls, struct dp_cls_subtable *st, uint32_t pos, uint32_t head)
{
	uint64_t rank = head == CLS_NONE ? 0 : cls_rule_rank(cls, head);
	uint64_t packed[DP_KEY_WORDS];
	void *key;
	int32_t ret;

	if (st->hash == NULL) {
		__atomic_store_n(&st->all_rank, rank, __ATOMIC_RELEASE);
		return 0;
	}
	/* The rank lives beside the hash, by key position, and not in the
	 * key's data: rte_hash_add_key_data() on an existing key in LF mode
	 * with the extendable table (DPDK 22.11) was seen to add a second
	 * copy of the key instead of replacing its data. */
	__atomic_store_n(&st->ranks[pos], rank, __ATOMIC_RELEASE);
	if (head != CLS_NONE) {
		return 0;
	}
	if (rte_hash_get_key_with_position(st->hash, pos, &key) < 0) {
		return -ENOENT;
	}
	memcpy(packed, key, st->key_words * 8u);
	ret = rte_hash_del_key(st->hash, packed);
	if (ret < 0) {
		return ret;
	}
	/* The slot stays until no PMD can be reading it. */
	cls->w->keys[cls->w->n_keys].st = st;
	cls->w->keys[cls->w->n_keys++].pos = (uint32_t)ret;
	return 0;
}

/* Puts rule 'idx' in rank order into the chain of key 'pos' of 'st'. */
static int
cls_chain_insert(struct dp_cls *cls, struct dp_cls_subtable *st, uint32_t pos, uint32_t idx)
{
	struct cls_wrule *wr = cls->w->wr;
	uint64_t rank = cls_rule_rank(cls, idx);
	uint32_t *link = &st->heads[pos];

	while (*link != CLS_NONE && cls_rule_rank(cls, *link) > rank) {
		link = &wr[*link].next;
	}
	wr[idx].st = st;
	wr[idx].pos = pos;
	wr[idx].next = *link;
	*link = idx;
	return st->heads[pos] == idx ? cls_publish_head(cls, st, pos, idx) : 0;
}

/* A copy of 'old' with twice its room, chains moved over. */
static int
cls_grow(struct dp_cls *cls, struct dp_cls_subtable *old, struct dp_cls_subtable **out)
{
	struct dp_cls_subtable *st;
	const void *key;
	uint32_t next = 0, r;
	int32_t pos, npos;
	void *data;
	int ret;

	ret = cls_subtable_new(old->table, &old->full_mask, old->n_heads * 2, &st);
	while (ret == 0 && (pos = rte_hash_iterate(old->hash, &key, &data, &next)) >= 0) {
		npos = rte_hash_add_key(st->hash, key);
		ret = npos < 0 ? npos : 0;
		if (ret == 0) {
			st->heads[npos] = old->heads[pos];
			st->ranks[npos] = old->ranks[pos];
		}
	}
	if (ret == 0) {
		ret = cls_subtable_replace(cls, old, st);
	}
	if (ret < 0) {
		cls_subtable_destroy(st);
		return ret;
	}
	for (pos = 0; pos < (int32_t)st->n_heads; pos++) {
		for (r = st->heads[pos]; r != CLS_NONE; r = cls->w->wr[r].next) {
			cls->w->wr[r].st = st;
			cls->w->wr[r].pos = (uint32_t)pos;
		}
	}
	st->max_rank = old->max_rank;
	st->prios = old->prios;
	st->n_prios = old->n_prios;
	st->prios_cap = old->prios_cap;
	old->prios = NULL;
	old->n_prios = 0;
	cls_retire_subtable(cls, old);
	*out = st;
	return 0;
}

/* Makes rule 'idx' (masked 'value') reachable in hashed subtable 'st'. */
static int
cls_link_hashed(struct dp_cls *cls, struct dp_cls_subtable **stp, uint32_t idx,
		const struct dp_flow_key *value)
{
	struct cls_wrule *w = &cls->w->wr[idx];
	struct dp_cls_subtable *st = *stp;
	uint64_t packed[DP_KEY_WORDS];
	int32_t pos;
	int ret;

	cls_pack(st, value, packed);
	pos = rte_hash_lookup(st->hash, packed);
	if (pos >= 0) {
		return cls_chain_insert(cls, st, (uint32_t)pos, idx);
	}
	for (;;) {
		/* PMDs may find the key before its rank is set: a miss until then. */
		pos = rte_hash_add_key(st->hash, packed);
		if (pos != -ENOSPC) {
			break;
		}
		ret = cls_grow(cls, st, &st);
		if (ret < 0) {
			return ret;
		}
		*stp = st;
	}
	if (pos < 0) {
		return pos;
	}
	st->heads[pos] = idx;
	w->st = st;
	w->pos = (uint32_t)pos;
	w->next = CLS_NONE;
	return cls_publish_head(cls, st, (uint32_t)pos, idx);
}

/* Makes live rule 'idx' (masked 'value', 'mask') reachable. */
static int
cls_link(struct dp_cls *cls, uint32_t idx, const struct dp_flow_key *value,
	 const struct dp_flow_key *mask)
{
	const struct dp_cls_rule *r = &cls->rules[idx];
	struct dp_cls_subtable *st = cls_find_subtable(cls, r->table, mask);
	int ret = 0;

	if (st == NULL) {
		ret = cls_subtable_add(cls, r->table, mask, &st);
	}
	if (ret == 0) {
		ret = cls_prio_add(st, r->priority);
	}
	if (ret < 0) {
		return ret;
	}
	ret = cls_raise(cls, st, r->priority);
	if (ret == 0) {
		ret = st->hash ? cls_link_hashed(cls, &st, idx, value)
			       : cls_chain_insert(cls, st, 0, idx);
	}
	if (ret < 0) {
		/* The bound may stay raised: too high is safe, commit lowers it. */
		cls_prio_del(st, r->priority);
	}
	return ret;
}

/* Makes live rule 'idx' unreachable, promoting the next of its key. */
static int
cls_unlink(struct dp_cls *cls, uint32_t idx)
{
	struct cls_wrule *w = &cls->w->wr[idx];
	struct dp_cls_subtable *st = w->st;
	uint32_t *link = &st->heads[w->pos];

	while (*link != idx) {
		link = &cls->w->wr[*link].next;
	}
	*link = w->next;
	cls_prio_del(st, cls->rules[idx].priority);
	if (link == &st->heads[w->pos]) {
		return cls_publish_head(cls, st, w->pos, w->next);
	}
	return 0;
}

/* --- Build, insert, remove, commit. */

static bool
cls_compute_normal_only(const struct dp_cls *cls)
{
	return cls->n_live == 1 && cls->w->n_normal_all == 1;
}

int
dp_cls_build(struct dp_cls *cls)
{
	uint32_t i, t;
	int ret;

	if (cls->built) {
		return -EINVAL;
	}
	for (i = 0; i < cls->n_rules; i++) {
		struct cls_wrule *w = &cls->w->wr[i];

		cls->rules[i].ops = cls->rules[i].n_ops ? &cls->ops[w->ops_off] : NULL;
		ret = cls_link(cls, i, &cls->values[i], &cls->masks[i]);
		if (ret < 0) {
			cls_free_retired(cls->w);
			return ret;
		}
		cls->n_live++;
		cls->w->n_normal_all += w->normal_all;
	}
	for (t = 0; t < DP_N_TABLES; t++) {
		if (cls->tables[t] != NULL) {
			cls_resort(cls, (uint8_t)t); /* in place: nobody reads it yet */
		}
	}
	cls_free_retired(cls->w);
	free(cls->values);
	free(cls->masks);
	cls->values = NULL;
	cls->masks = NULL;
	cls->normal_only = cls_compute_normal_only(cls);
	cls->built = true;
	return 0;
}

/* A free slot: one given back by a commit, else a never used one. */
static int
cls_take_slot(struct dp_cls *cls, uint32_t *idx)
{
	if (cls->w->n_free > 0) {
		*idx = cls->w->free[--cls->w->n_free];
		return 0;
	}
	if (cls->n_rules < cls->max_rules) {
		*idx = cls->n_rules++;
		return 0;
	}
	return -ENOSPC;
}

int
dp_cls_insert(struct dp_cls *cls, const struct dp_rule_spec *spec)
{
	struct dp_action *ops = NULL;
	struct dp_flow_key value;
	uint32_t idx = 0, p;
	int ret;

	ret = cls->built ? cls_check_ops(spec) : -EINVAL;
	if (ret == 0 && spec->n_ops > 0) {
		ops = malloc(sizeof(*ops) * spec->n_ops);
		ret = ops == NULL ? -ENOMEM : 0;
	}
	if (ret == 0) {
		ret = cls_take_slot(cls, &idx);
	}
	if (ret < 0) {
		free(ops);
		return ret;
	}
	if (ops != NULL) {
		memcpy(ops, spec->ops, sizeof(*ops) * spec->n_ops);
	}
	/* The slot is unreachable: fill it all before the hash publishes it. */
	cls_fill_rule(cls, idx, spec, &value);
	cls->rules[idx].ops = ops;
	cls->w->wr[idx].own_ops = ops != NULL;
	for (p = 0; p < cls->n_pmds; p++) {
		memset(&cls->counters[(size_t)p * cls->counter_stride + idx], 0,
		       sizeof(*cls->counters));
	}
	ret = cls_link(cls, idx, &value, &spec->mask);
	if (ret < 0) {
		free(ops);
		cls->rules[idx].ops = NULL;
		cls->w->wr[idx].own_ops = false;
		cls->w->free[cls->w->n_free++] = idx;
		return ret;
	}
	cls->w->wr[idx].state = CLS_LIVE;
	cls->n_live++;
	cls->w->n_normal_all += cls->w->wr[idx].normal_all;
	return (int)idx;
}

int
dp_cls_remove(struct dp_cls *cls, unsigned rule)
{
	struct cls_wrule *w;
	int ret;

	if (!dp_cls_rule_live(cls, rule) || !cls->built) {
		return -ENOENT;
	}
	w = &cls->w->wr[rule];
	ret = cls_unlink(cls, rule);
	if (ret < 0) {
		return ret;
	}
	w->state = CLS_REMOVED;
	cls->w->removed[cls->w->n_removed++] = rule;
	cls->n_live--;
	cls->w->n_normal_all -= w->normal_all;
	return 0;
}

bool
dp_cls_rule_live(const struct dp_cls *cls, unsigned rule)
{
	return rule < cls->n_rules && cls->w->wr[rule].state == CLS_LIVE;
}

/* Publishes 'table' sorted by the bounds its subtables need now, without
 * the empty ones (retired). Their bounds are lowered after the grace
 * period: a PMD reads a bound at least 'target', and the array it holds
 * then is sorted by targets. */
static void
cls_commit_table(struct dp_cls *cls, uint8_t table)
{
	struct cls_tvec *tv = cls_tvec_dup(cls->tables[table], 0);
	uint32_t i, n = 0;

	if (tv == NULL) {
		for (i = 0; i < cls->tables[table]->n; i++) {
			cls->tables[table]->st[i]->target = cls->tables[table]->st[i]->max_rank;
		}
		return; /* keep the bounds: too high is safe */
	}
	for (i = 0; i < tv->n; i++) {
		if (tv->st[i]->n_prios == 0) {
			cls_retire_subtable(cls, tv->st[i]);
		} else {
			tv->st[n++] = tv->st[i];
		}
	}
	tv->n = n;
	qsort(tv->st, tv->n, sizeof(tv->st[0]), cls_target_cmp);
	if (n == 0) {
		free(tv);
		tv = NULL;
	}
	cls_tvec_publish(cls, table, tv);
}

void
dp_cls_commit_publish(struct dp_cls *cls)
{
	uint32_t t, i;

	for (t = 0; t < DP_N_TABLES; t++) {
		const struct cls_tvec *tv = cls->tables[t];
		bool lower = false;

		for (i = 0; tv != NULL && i < tv->n; i++) {
			tv->st[i]->target = cls_prio_bound(tv->st[i]);
			lower |= tv->st[i]->target != tv->st[i]->max_rank;
		}
		if (lower) {
			cls_commit_table(cls, (uint8_t)t);
		}
	}
	__atomic_store_n(&cls->normal_only, cls_compute_normal_only(cls), __ATOMIC_RELAXED);
}

void
dp_cls_commit_reclaim(struct dp_cls *cls, dp_cls_removed_fn *removed, void *arg)
{
	struct cls_writer *w = cls->w;
	uint32_t t, i;

	for (t = 0; t < DP_N_TABLES; t++) {
		const struct cls_tvec *tv = cls->tables[t];

		for (i = 0; tv != NULL && i < tv->n; i++) {
			__atomic_store_n(&tv->st[i]->max_rank, tv->st[i]->target, __ATOMIC_RELAXED);
		}
	}
	for (i = 0; i < w->n_keys; i++) {
		if (!w->keys[i].st->retired) {
			rte_hash_free_key_with_position(w->keys[i].st->hash, w->keys[i].pos);
		}
	}
	w->n_keys = 0;
	for (i = 0; i < w->n_removed; i++) {
		uint32_t r = w->removed[i];

		if (removed != NULL) {
			removed(cls, r, arg);
		}
		if (w->wr[r].own_ops) {
			free((void *)(uintptr_t)cls->rules[r].ops);
		}
		memset(&w->wr[r], 0, sizeof(w->wr[r]));
		w->free[w->n_free++] = r;
	}
	w->n_removed = 0;
	cls_free_retired(w);
}

unsigned
dp_cls_n_rules(const struct dp_cls *cls)
{
	return cls->n_rules;
}

bool
dp_cls_is_normal_only(const struct dp_cls *cls)
{
	return __atomic_load_n(&cls->normal_only, __ATOMIC_RELAXED);
}

/* --- Lookups (PMDs). */

int
dp_cls_lookup(const struct dp_cls *cls, uint8_t table, const struct dp_flow_key *key)
{
	uint64_t packed[DP_KEY_WORDS];
	const struct cls_tvec *tv;
	uint64_t best = 0;
	uint32_t s;

	if (table >= DP_N_TABLES) {
		return -1;
	}
	tv = __atomic_load_n(&cls->tables[table], __ATOMIC_ACQUIRE);
	for (s = 0; tv != NULL && s < tv->n; s++) {
		const struct dp_cls_subtable *st = tv->st[s];
		hash_sig_t sig;
		int32_t pos;

		if (best > __atomic_load_n(&st->max_rank, __ATOMIC_RELAXED)) {
			break; /* nothing here or later can beat it */
		}
		if (st->hash == NULL) {
			best = RTE_MAX(best, __atomic_load_n(&st->all_rank, __ATOMIC_ACQUIRE));
			continue;
		}
		cls_pack(st, key, packed);
		sig = rte_hash_crc(packed, st->key_words * 8u, 0);
		pos = rte_hash_lookup_with_hash(st->hash, packed, sig);
		if (pos >= 0) {
			best = RTE_MAX(best, __atomic_load_n(&st->ranks[pos], __ATOMIC_ACQUIRE));
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
	int32_t kpos[DP_CLS_BURST_MAX];
	uint64_t all;
	unsigned j;

	if (st->hash == NULL) {
		all = __atomic_load_n(&st->all_rank, __ATOMIC_ACQUIRE);
		for (j = 0; j < n; j++) {
			best[pos[j]] = RTE_MAX(best[pos[j]], all);
		}
		return;
	}
	for (j = 0; j < n; j++) {
		cls_pack(st, keys[pos[j]], packed[j]);
		kp[j] = packed[j];
		sigs[j] = rte_hash_crc(packed[j], st->key_words * 8u, 0);
	}
	rte_hash_lookup_with_hash_bulk(st->hash, kp, sigs, n, kpos);
	for (j = 0; j < n; j++) {
		if (kpos[j] >= 0) {
			uint64_t r = __atomic_load_n(&st->ranks[kpos[j]], __ATOMIC_ACQUIRE);

			best[pos[j]] = RTE_MAX(best[pos[j]], r);
		}
	}
}

static void
cls_lookup_chunk(const struct cls_tvec *tv, const struct dp_flow_key *const keys[], unsigned n,
		 int32_t *rules)
{
	uint64_t best[DP_CLS_BURST_MAX] = {0};
	unsigned pos[DP_CLS_BURST_MAX];
	uint64_t live = (n >= 64 ? 0 : (1ull << n)) - 1;
	unsigned i, m;
	uint32_t s;

	for (s = 0; tv != NULL && s < tv->n && live != 0; s++) {
		const struct dp_cls_subtable *st = tv->st[s];
		uint64_t max_rank = __atomic_load_n(&st->max_rank, __ATOMIC_RELAXED);
		uint64_t l;

		m = 0;
		for (l = live; l != 0; l &= l - 1) {
			i = (unsigned)__builtin_ctzll(l);
			if (best[i] > max_rank) {
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
	const struct cls_tvec *tv;
	unsigned done, i;

	if (table >= DP_N_TABLES) {
		for (i = 0; i < n; i++) {
			rules[i] = -1;
		}
		return;
	}
	tv = __atomic_load_n(&cls->tables[table], __ATOMIC_ACQUIRE);
	for (done = 0; done < n; done += DP_CLS_BURST_MAX) {
		cls_lookup_chunk(tv, keys + done, RTE_MIN(n - done, DP_CLS_BURST_MAX),
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
