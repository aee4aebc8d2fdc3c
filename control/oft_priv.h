/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oft_priv.h - internals shared by the two halves of the flow tables:
 * oft.c (storage, selection, lookup, FLOW_MOD, timeouts) and oft_compile.c
 * (compilation into the datapath classifier, incremental sync, counters).
 * Not for use outside control/oft*.c; the public API is control/oft.h.
 *
 * Control thread only, like everything in oft.h.
 */
#ifndef VIREO_CONTROL_OFT_PRIV_H
#define VIREO_CONTROL_OFT_PRIV_H

#include "control/oft.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_wire.h"

#define OFT_N_PRIOS    65536              /* uint16_t priorities */
#define OFT_PRIO_WORDS (OFT_N_PRIOS / 64) /* words of the priority bitmap */
#define OFT_NO_RULE    UINT32_MAX         /* no rule index recorded */

#define OFT_CONTAINER(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* ---- Field descriptions -------------------------------------------------- */

/** Where an OXM basic field lives in struct of_match_fields and in the key. */
struct oft_field {
	uint16_t m_off; /* offset in struct of_match_fields; 0 with m_size 0: unsupported */
	uint8_t m_size; /* its bytes there */
	uint8_t k_off;  /* offset in struct dp_flow_key */
	uint8_t k_size; /* its bytes there */
	bool is_bytes;  /* a MAC or IPv6 address, not a number */
};

/** Each OXM basic field, indexed by OFPXMT_OFB_*; defined in oft.c. */
extern const struct oft_field oft_fields[OF_MATCH_N_FIELDS];

/** Bit f set: oft_fields[f] describes a supported field. */
#define OFT_SUPPORTED                                                                  \
	(((1ull << (OFPXMT_OFB_IPV6_ND_TLL + 1)) - 1) | 1ull << OFPXMT_OFB_TUNNEL_ID | \
	 1ull << OF_FIELD_TUN_SRC | 1ull << OF_FIELD_TUN_DST)

_Static_assert(OFPXMT_OFB_IPV6_ND_TLL == 33 && OFPXMT_OFB_TUNNEL_ID == 38,
	       "OFT_SUPPORTED lists fields 0-33, 38 and the tunnel endpoints");
_Static_assert(OF_FIELD_TUN_SRC == DP_FIELD_TUN_SRC && OF_FIELD_TUN_DST == DP_FIELD_TUN_DST,
	       "the datapath numbers the tunnel endpoint fields as the codec does");

/** The supported fields among 'present' (bits of unsupported ones dropped). */
static inline uint64_t
oft_supported(uint64_t present)
{
	return present & OFT_SUPPORTED;
}

/* Bytes of the field 'd' describes in the value and in the mask of match 'm'. */
#define MVAL(m, d)  ((const uint8_t *)&(m)->value + (d)->m_off)
#define MMASK(m, d) ((const uint8_t *)&(m)->mask + (d)->m_off)

/* ---- A small chained hash map --------------------------------------------- */

struct oft_hnode {
	struct oft_hnode *next; /* next in the bucket */
	uint32_t hash;          /* full hash */
};

struct oft_hmap {
	struct oft_hnode **buckets; /* mask + 1 of them; '&one' while tiny */
	struct oft_hnode *one;      /* the single bucket of an empty map */
	uint32_t mask;              /* buckets - 1, a power of 2 minus 1 */
	uint32_t n;                 /* nodes */
};

/* ---- Tables --------------------------------------------------------------- */

struct oft_prio;

/** A flow and oft's bookkeeping for it. */
struct oft_node {
	struct oft_flow flow;        /* what callers see */
	struct oft_hnode match_node; /* in the table's 'by_match' */
	struct oft_hnode id_node;    /* in the oft's 'by_id' */
	struct oft_node *next;       /* next flow of the same priority, added later */
	struct oft_node *prev;       /* previous one */
	struct oft_prio *prio;       /* the list it is on */
	const struct dp_cls *cls[2]; /* the last two classifiers compiled with it, newest first */
	uint32_t rule[2];            /* its rule index in each */
	struct oft_node *pend_next;  /* next on the oft's 'pending' list */
	struct oft_node *pend_prev;  /* previous one */
	bool pending;                /* on that list: its rule must be (re)inserted */
};

/** The flows of one priority in one table, in the order they were added. */
struct oft_prio {
	struct oft_hnode node; /* in the table's 'by_prio' */
	uint16_t priority;     /* their priority */
	struct oft_node *head; /* first added */
	struct oft_node *tail; /* last added */
};

struct oft_table {
	struct oft_hmap by_match;                   /* oft_node by priority + match */
	struct oft_hmap by_prio;                    /* oft_prio by priority */
	unsigned n_flows;                           /* flows in the table */
	uint64_t prio_bits[OFT_PRIO_WORDS];         /* bit p: an oft_prio for priority p exists */
	uint64_t prio_summary[OFT_PRIO_WORDS / 64]; /* bit w: prio_bits[w] is not 0 */
};

/** A growable array of rule indices. */
struct oft_rules {
	uint32_t *v;  /* the indices */
	unsigned n;   /* used */
	unsigned cap; /* allocated */
};

struct oft {
	struct oft_table tables[DP_N_TABLES]; /* OpenFlow tables 0..254 */
	struct oft_hmap by_id;                /* oft_node by flow id */
	unsigned n_flows;                     /* flows in all tables */
	unsigned max_flows;                   /* TABLE_FULL beyond */
	uint32_t last_id;                     /* last flow id handed out */
	oft_removed_fn *removed_fn;           /* told about every removed flow, or NULL */
	void *removed_arg;                    /* for 'removed_fn' */
	const struct dp_cls *synced;          /* what changes are pending for, or NULL: compile */
	struct oft_node *pending;             /* flows whose rule 'synced' lacks, or has stale */
	struct oft_rules removals;            /* rules of 'synced' whose flows are gone or reset */
	struct oft_rules swept;               /* rules of kept flows removed by the running sync */
	uint64_t ticks_per_ms;                /* dp_now() ticks per ms; 0: used times unknown */
};

/* ---- Helpers defined in oft.c -------------------------------------------- */

/** The first flow of 't' in priority order below priority 'below' (OFT_N_PRIOS: any), or NULL. */
struct oft_node *oft_table_first_below(const struct oft_table *t, int below);

/** The flow with id 'id', or NULL. */
struct oft_node *oft_find_by_id(const struct oft *oft, uint32_t id);

/** Appends 'rule' to 'r'; 0 or -ENOMEM. */
int oft_rules_push(struct oft_rules *r, uint32_t rule);

/** Takes 'n' off the oft's pending list, if it is on it. */
void oft_pend_unlink(struct oft *oft, struct oft_node *n);

/** Forgets every pending change: the next classifier must be compiled ('synced' NULL). */
void oft_pend_reset(struct oft *oft, const struct dp_cls *synced);

/** The flow after 'n' in its table's priority order. */
static inline struct oft_node *
oft_table_next(const struct oft_table *t, const struct oft_node *n)
{
	return n->next ? n->next : oft_table_first_below(t, n->prio->priority);
}

#endif /* VIREO_CONTROL_OFT_PRIV_H */
