/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cls_priv.h - the classifier's internals that the PMD executor (of_exec.c)
 * reads inline: the rule array with its flat op program, the per-PMD
 * counters, a burst lookup, and flow extraction from an mbuf.
 *
 * PMDs read a built struct dp_cls while control may change it (cls.c's
 * header explains how): a rule index a lookup returns stays valid, with
 * its fields and ops unchanged, until the dp_cls_commit() after its
 * removal, so these accessors need no locks and no atomics. Counters are
 * the one thing PMDs write, each PMD only its own cache-aligned array, so
 * they need no atomics either.
 *
 * The hash side (subtables, rte_hash) and control's bookkeeping stay
 * private to cls.c.
 */
#ifndef VIREO_DATAPATH_CLS_PRIV_H
#define VIREO_DATAPATH_CLS_PRIV_H

#include "datapath/dp_flow.h"

#include <rte_mbuf.h>

#define DP_CLS_BURST_MAX 32u /* most keys one dp_cls_lookup_burst() takes */

/** One rule as PMDs read it; its match lives in the subtables' hashes. */
struct dp_cls_rule {
	const struct dp_action *ops; /* its op program: in dp_cls.ops, or its own (inserted) */
	uint16_t n_ops;              /* ops it runs */
	uint16_t priority;           /* higher wins */
	uint8_t table;               /* 0..254 */
	bool table_miss;             /* packet-ins for it say NO_MATCH */
	uint16_t pad;                /* zero */
	uint32_t flow_id;            /* control's handle */
	uint32_t pad2;               /* zero */
	uint64_t cookie;             /* for packet-ins */
};

/** What one PMD counted for one rule. */
struct dp_cls_counter {
	uint64_t packets; /* frames that hit the rule */
	uint64_t bytes;   /* their bytes */
	uint64_t used;    /* dp_now() of the last hit, 0: never */
};

struct cls_tvec;   /* private to cls.c: one table's subtables */
struct cls_writer; /* private to cls.c: control's bookkeeping */

/** A classifier: see dp_flow.h. PMDs read 'rules', 'ops' and 'counters'; the rest is cls.c's. */
struct dp_cls {
	struct dp_cls_rule *rules;            /* 'max_rules' slots, by index; never moves */
	struct dp_action *ops;                /* ops of the rules added before build */
	struct dp_cls_counter *counters;      /* 'n_pmds' arrays of 'counter_stride' entries */
	uint32_t counter_stride;              /* entries per PMD, a whole number of cache lines */
	uint32_t n_rules;                     /* slots ever used: indices below this */
	uint32_t n_live;                      /* rules live (added or inserted, not removed) */
	uint32_t max_rules;                   /* as created */
	uint32_t n_pmds;                      /* PMDs counted for */
	uint32_t n_ops;                       /* ops used in 'ops' */
	uint32_t ops_cap;                     /* ops allocated in 'ops' */
	bool built;                           /* dp_cls_build() done: insert/remove only */
	bool normal_only;                     /* dp_cls_is_normal_only(), as of the last commit */
	struct dp_flow_key *values;           /* match values by rule, until built */
	struct dp_flow_key *masks;            /* match masks by rule, until built */
	struct cls_writer *w;                 /* control's side of the incremental changes */
	struct cls_tvec *tables[DP_N_TABLES]; /* per table, RCU-published; NULL: empty */
};

/** Rule 'rule' of 'cls' (below dp_cls_n_rules()). Any thread. */
static inline const struct dp_cls_rule *
dp_cls_rule(const struct dp_cls *cls, unsigned rule)
{
	return &cls->rules[rule];
}

/**
 * The op program of rule 'rule': returns its first op and stores how many
 * in '*n_ops' (0: drop). The ops live as long as 'cls'. Any thread.
 */
static inline const struct dp_action *
dp_cls_rule_ops(const struct dp_cls *cls, unsigned rule, uint16_t *n_ops)
{
	const struct dp_cls_rule *r = &cls->rules[rule];

	*n_ops = r->n_ops;
	return r->ops;
}

/**
 * Counts one frame of 'bytes' bytes hitting rule 'rule' at time 'now' on
 * PMD 'pmd' (below the 'n_pmds' given at create). Only PMD 'pmd' may call
 * it with that index: no atomics.
 */
static inline void
dp_cls_count(const struct dp_cls *cls, unsigned pmd, unsigned rule, uint32_t bytes, uint64_t now)
{
	struct dp_cls_counter *c = &cls->counters[(size_t)pmd * cls->counter_stride + rule];

	c->packets++;
	c->bytes += bytes;
	c->used = now;
}

/** dp_cls_count() for 'packets' frames of 'bytes' in all at once. */
static inline void
dp_cls_count_n(const struct dp_cls *cls, unsigned pmd, unsigned rule, uint32_t packets,
	       uint64_t bytes, uint64_t now)
{
	struct dp_cls_counter *c = &cls->counters[(size_t)pmd * cls->counter_stride + rule];

	c->packets += packets;
	c->bytes += bytes;
	c->used = now;
}

/**
 * dp_cls_lookup() for 'n' keys (at most DP_CLS_BURST_MAX) of 'table':
 * 'rules[i]' gets the rule index for 'keys[i]', or -1. Any thread,
 * lock-free, on a built 'cls'.
 */
void dp_cls_lookup_burst(const struct dp_cls *cls, uint8_t table,
			 const struct dp_flow_key *const keys[], unsigned n, int32_t *rules);

/**
 * dp_flow_extract() on the data of single-segment mbuf 'm' (only its first
 * segment is read). Any thread.
 */
static inline void
dp_flow_extract_mbuf(const struct rte_mbuf *m, uint32_t in_ofport, struct dp_flow_key *key)
{
	dp_flow_extract(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, in_ofport, key);
}

/**
 * First half of dp_cls_commit() (dp.c): publishes what the PMDs read for
 * the changes since the last commit (re-sorted subtable arrays, empty
 * subtables dropped, the normal-only flag). Control thread.
 */
void dp_cls_commit_publish(struct dp_cls *cls);

/**
 * Second half of dp_cls_commit(), once no PMD can read what the first
 * half replaced: lowers the pruning bounds, calls 'removed' (may be NULL)
 * for each removed rule, then frees removed rules, hash keys, subtables
 * and arrays. Control thread.
 */
void dp_cls_commit_reclaim(struct dp_cls *cls, dp_cls_removed_fn *removed, void *arg);

#endif
