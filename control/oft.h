/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oft.h - the OpenFlow flow tables of one bridge, as control keeps them:
 * FLOW_MOD semantics [OpenFlow 1.3.5, 6.4, 7.3.4.1], flow selection for
 * stats and dumps, timeouts, and compilation into the datapath's
 * classifier (datapath/dp_flow.h).
 *
 * Semantics, as the spec and Open vSwitch give them:
 *   - ADD: a flow with the same table, priority and match replaces the old
 *     one (keeping its counters unless OFPFF_RESET_COUNTS); with
 *     OFPFF_CHECK_OVERLAP, a flow of the same priority in the same table
 *     that a packet could match together with the new one is
 *     FLOW_MOD_FAILED_OVERLAP.
 *   - MODIFY / MODIFY_STRICT: replace the instructions of every flow the
 *     request selects (cookie/cookie_mask filter), non-strictly (the flow's
 *     match is the request's or more specific) or strictly (same match and
 *     priority); cookie, timeouts, flags and duration are kept [6.4], as
 *     Open vSwitch does for OpenFlow 1.1+; counters kept unless
 *     OFPFF_RESET_COUNTS. A modify that selects nothing does nothing (1.3).
 *   - DELETE / DELETE_STRICT: remove what the request selects, with the
 *     out_port, out_group and cookie/mask filters; table OFPTT_ALL: every
 *     table.
 *   - Errors change nothing: bad table (FLOW_MOD_FAILED_BAD_TABLE_ID for
 *     255 on add/modify), bad command, unknown flags (BAD_FLAGS), more than
 *     OFT_MAX_FLOWS (TABLE_FULL), instructions inconsistent with the match
 *     (from of_instructions_check()).
 *
 * Control thread only; no DPDK calls except the dp_cls_* builders.
 */
#ifndef VIREO_CONTROL_OFT_H
#define VIREO_CONTROL_OFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath/dp_flow.h"
#include "protocols/openflow/of_action.h"

#define OFT_MAX_FLOWS 1000000 /* flows per bridge */

/** One flow in a table. */
struct oft_flow {
	struct of_flow f;    /* table_id, priority, cookie, timeouts, flags, match, ins */
	uint32_t id;         /* unique while the flow lives; the datapath rule's flow_id */
	uint64_t created_ms; /* when added (oft's caller's clock, ms) */
	uint64_t used_ms;    /* last packet, or when added/modified */
	uint64_t packets;    /* packets counted so far, datapath counters harvested */
	uint64_t bytes;      /* their bytes */
	/* oft's own bookkeeping follows; callers do not touch it. */
	void *priv[4];
};

struct oft;

/** Empty tables. NULL on allocation failure. */
struct oft *oft_create(void);

/** Frees 'oft' and its flows (NULL is fine). */
void oft_free(struct oft *oft);

/**
 * Applies the FLOW_MOD 'fm' ('fm->command' says which) at 'now_ms'.
 * Returns OF_ERR_NONE, or an error with nothing changed. 'fm' is borrowed
 * (its instructions are copied). '*changed' (may be NULL) is set when the
 * flow set or any instructions changed, i.e. the datapath needs a new
 * classifier.
 */
enum of_err oft_flow_mod(struct oft *oft, const struct of_flow *fm, uint64_t now_ms, bool *changed);

/**
 * Calls 'fn' for every flow selected by 'filter' the way flow stats and
 * non-strict delete select [7.3.5.2]: table_id (OFPTT_ALL: all), out_port
 * (OFPP_ANY: any), out_group, cookie/cookie_mask, and a match that the
 * flow's is equal to or more specific than. With 'strict', the flow's
 * match and priority must equal the filter's. Flows come in table order,
 * then priority from high to low. 'fn' must not change 'oft'.
 */
void oft_select(const struct oft *oft, const struct of_flow *filter, bool strict,
		void (*fn)(const struct oft_flow *flow, void *arg), void *arg);

/** Why a flow left its table: the values of OFPRR_* [7.4.2]. */
enum oft_removed {
	OFT_REMOVED_IDLE = 0,   /* OFPRR_IDLE_TIMEOUT */
	OFT_REMOVED_HARD = 1,   /* OFPRR_HARD_TIMEOUT */
	OFT_REMOVED_DELETE = 2, /* OFPRR_DELETE */
};

/**
 * Told about 'flow' just before it is freed (delete or timeout; not when an
 * ADD replaces it, and not by oft_free()). Counters: oft_flow_counters().
 * Must not change the oft.
 */
typedef void oft_removed_fn(const struct oft_flow *flow, enum oft_removed reason, void *arg);

/** Sets the removed callback ('fn' NULL: none), e.g. for FLOW_REMOVED. */
void oft_set_removed_cb(struct oft *oft, oft_removed_fn *fn, void *arg);

/** Lowers the flow limit below OFT_MAX_FLOWS (tests, configuration). */
void oft_set_max_flows(struct oft *oft, unsigned max_flows);

/** Flows in 'table' (OFPTT_ALL: in all tables). */
unsigned oft_n_flows(const struct oft *oft, uint8_t table);

/**
 * The highest-priority flow of 'table' that 'key' matches, or NULL; for
 * trace. Same answer the datapath's classifier gives.
 */
const struct oft_flow *oft_lookup(const struct oft *oft, uint8_t table,
				  const struct dp_flow_key *key);

/**
 * Whether 'key' (with its mask for each matched field) satisfies 'match':
 * the translation of an of_match into a value/mask pair over
 * struct dp_flow_key that compilation uses.
 */
void oft_match_to_key(const struct of_match *match, struct dp_flow_key *value,
		      struct dp_flow_key *mask);

/** How compilation maps OpenFlow ports to datapath ports. */
struct oft_compile_ctx {
	/** Datapath port index of OpenFlow port 'ofport', or -1 if none. */
	int (*port_idx)(uint32_t ofport, void *arg);
	void *arg;       /* for 'port_idx' */
	unsigned n_pmds; /* for the classifier's counters */
	bool fail_open;  /* standalone with no controller: NORMAL for all, flows kept aside */
};

/**
 * Builds a classifier with every flow (or, with 'fail_open', one
 * match-all NORMAL rule), with room for oft_sync() to insert about as many
 * rules again (at least 1024), and drops the changes pending for the
 * previous one. Outputs to ports that do not exist compile to
 * nothing (the flow stays; it forwards once the port is there and the
 * tables are compiled again). LOCAL is the port whose number is
 * OFPP_LOCAL in 'port_idx'. Returns 0 and '*out', or -errno.
 */
int oft_compile(struct oft *oft, const struct oft_compile_ctx *ctx, struct dp_cls **out);

/**
 * Translates the actions of a PACKET_OUT ('actions', borrowed) into at
 * most 'max_ops' ops at 'ops' as compilation translates apply actions
 * (in_set 0), with output to OFPP_TABLE as DP_OP_TABLE. Outputs to ports
 * that 'ctx' does not know compile to nothing. Returns the number of ops,
 * or -E2BIG.
 */
int oft_actions_to_ops(const struct of_action_list *actions, const struct oft_compile_ctx *ctx,
		       struct dp_action *ops, unsigned max_ops);

/**
 * Brings the built classifier 'cls' (from oft_compile() of this 'oft',
 * published or not) up to date with the flow changes made since it was
 * built or last synced, rule by rule (dp_cls_insert/dp_cls_remove): the
 * cost is that of the changes, not of the tables. The caller then calls
 * dp_cls_commit() with oft_removed_rule() as its callback. Returns 0, or
 * -ENOSPC / -errno when 'cls' cannot take them: compile a new one then
 * (the changes stay pending until a compile or a successful sync).
 *
 * Returns -EINVAL, changing nothing, unless 'cls' is the classifier this
 * 'oft' compiled (not fail-open) or synced last: after a failed sync or a
 * fail-open compile, only oft_compile() brings the datapath up to date.
 * A failed sync leaves 'cls' partly changed and uncommitted: publish a
 * new classifier instead of committing it (the final counters of the
 * rules it removed are already credited to their flows). Ports are
 * translated with 'ctx' for the changed flows only: when ports come or
 * go, compile. Between equal-priority overlapping flows, a synced
 * classifier may break the tie differently from oft_lookup() (which the
 * spec leaves open [6.4]). Control thread.
 */
int oft_sync(struct oft *oft, const struct oft_compile_ctx *ctx, struct dp_cls *cls);

/**
 * dp_cls_commit() callback ('arg' is the oft): adds the final counters of
 * removed rule 'rule' to the flow that still owns them (a modified flow
 * whose rule was replaced), if any; the last-used time too, converted
 * with oft_set_ticks_per_ms(). Control thread.
 */
void oft_removed_rule(const struct dp_cls *cls, unsigned rule, void *arg);

/**
 * Sets the datapath's dp_now() ticks per ms (dp_hz()/1000) with which
 * oft_removed_rule() converts used times; 0 (the default) ignores them.
 */
void oft_set_ticks_per_ms(struct oft *oft, uint64_t ticks_per_ms);

/**
 * Adds the counters of 'old' (built by oft_compile() of this 'oft', no
 * longer published) to its flows; 'ticks_to_ms' converts the datapath's
 * used times (dp_now() ticks per ms, from dp_hz()/1000).
 */
void oft_harvest(struct oft *oft, const struct dp_cls *old, uint64_t ticks_per_ms);

/**
 * Counters of 'flow' as they stand: harvested ones plus those of the
 * published 'live' classifier (may be NULL). '*used_ms' is the later of
 * the flow's own and the datapath's last hit.
 */
void oft_flow_counters(const struct oft *oft, const struct oft_flow *flow,
		       const struct dp_cls *live, uint64_t ticks_per_ms, uint64_t *packets,
		       uint64_t *bytes, uint64_t *used_ms);

/**
 * Removes flows whose hard timeout or idle timeout (using live counters of
 * 'live') has passed at 'now_ms'. Returns how many were removed; the
 * caller compiles again when that is not 0.
 */
unsigned oft_expire(struct oft *oft, const struct dp_cls *live, uint64_t ticks_per_ms,
		    uint64_t now_ms);

#endif /* VIREO_CONTROL_OFT_H */
