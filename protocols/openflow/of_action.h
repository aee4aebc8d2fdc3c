/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_action.h - OpenFlow 1.3 actions and instructions [OpenFlow 1.3.5,
 * 7.2.4, 7.2.5] decoded into host-order structs and encoded back, and the
 * flow description (struct of_flow) that FLOW_MOD, flow stats, the CLI's
 * flow syntax and the agent's flow table all share.
 *
 * Decoding checks what the spec asks of a switch: lengths (multiples of 8,
 * no truncation), zero padding where the spec has pad fields, known types,
 * set_field on a writable field with a one-field OXM of the right length
 * and no mask, ports in range (OFPBAC_BAD_OUT_PORT), instructions at most
 * once each (OFPBIC_UNSUP_INST for a repeat), goto_table forward only
 * (OFPBIC_BAD_TABLE_ID). What the datapath cannot do is refused with the
 * spec's code: GROUP (OFPBAC_BAD_OUT_GROUP), MPLS/PBB push/pop and TTL
 * copies (OFPBAC_BAD_TYPE), METER (OFPBIC_UNSUP_INST), experimenter
 * (OFPBAC_BAD_EXPERIMENTER / OFPBIC_BAD_EXPERIMENTER).
 *
 * Pure C, no DPDK; decoded action lists are allocated with malloc and freed
 * with of_instructions_free(). Control thread only.
 */
#ifndef VIREO_OF_ACTION_H
#define VIREO_OF_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_err.h"
#include "protocols/openflow/of_match.h"

/** Most actions one action list may hold. */
#define OF_ACTIONS_MAX 64

/** One action, host order. 'type' is an enum ofp_action_type. */
struct of_action {
	uint16_t type; /* OFPAT_* */
	union {
		struct {
			uint32_t port;    /* OFPP_* or a port number */
			uint16_t max_len; /* bytes to send to the controller */
		} output;                 /* OFPAT_OUTPUT */
		uint16_t ethertype;       /* OFPAT_PUSH_VLAN: 0x8100 or 0x88a8 */
		uint32_t queue_id;        /* OFPAT_SET_QUEUE */
		uint8_t nw_ttl;           /* OFPAT_SET_NW_TTL */
		struct {
			uint8_t field;     /* field number: OFPXMT_OFB_* or OF_FIELD_TUN_* */
			uint8_t len;       /* value bytes on the wire */
			uint8_t value[16]; /* the value, network order as on the wire */
		} set_field;               /* OFPAT_SET_FIELD */
	};
};

/** A list of actions (apply_actions, write_actions, packet_out). */
struct of_action_list {
	uint16_t n;          /* entries in 'a' */
	struct of_action *a; /* malloc'd, NULL when n == 0 */
};

/** Bits of struct of_instructions.present, 1 << OFPIT_*. */
#define OF_INST_BIT(t) (1u << (t))

/** A flow's instructions [7.2.4]. */
struct of_instructions {
	uint8_t present;             /* OF_INST_BIT(OFPIT_*) for each instruction given */
	uint8_t goto_table;          /* OFPIT_GOTO_TABLE: next table */
	uint64_t metadata;           /* OFPIT_WRITE_METADATA: value */
	uint64_t metadata_mask;      /* OFPIT_WRITE_METADATA: bits written */
	struct of_action_list apply; /* OFPIT_APPLY_ACTIONS */
	struct of_action_list write; /* OFPIT_WRITE_ACTIONS */
	uint8_t n_order;             /* entries in 'order' */
	uint8_t order[6];            /* OFPIT_* in wire order, to re-encode the same bytes */
};

/**
 * Decode an action list of 'size' bytes (a multiple of 8) at 'buf' into
 * 'out' (malloc'd array). Errors are OF_ERR_BAD_ACTION_*; a bad set_field
 * OXM is BAD_ACTION_BAD_SET_TYPE (masked, other class, unwritable field),
 * BAD_SET_LEN or BAD_SET_ARGUMENT (value out of range, pad not zero).
 * 'out' is left empty on error.
 */
enum of_err of_actions_decode(const uint8_t *buf, size_t size, struct of_action_list *out);

/** Bytes of_actions_encode() writes for 'list'. */
size_t of_actions_encoded_size(const struct of_action_list *list);

/** Encode 'list' into 'buf'. Returns the size or -ENOSPC. */
int of_actions_encode(const struct of_action_list *list, uint8_t *buf, size_t buf_size);

/**
 * Decode the instructions of 'size' bytes at 'buf' into 'out', for a flow in
 * table 'table_id' (goto_table must be greater). Errors are
 * OF_ERR_BAD_INSTRUCTION_* or those of of_actions_decode(); 'out' is left
 * empty on error.
 */
enum of_err of_instructions_decode(const uint8_t *buf, size_t size, uint8_t table_id,
				   struct of_instructions *out);

/** Bytes of_instructions_encode() writes for 'ins'. */
size_t of_instructions_encoded_size(const struct of_instructions *ins);

/** Encode 'ins' in 'ins->order'. Returns the size or -ENOSPC. */
int of_instructions_encode(const struct of_instructions *ins, uint8_t *buf, size_t buf_size);

/** Deep copy of 'src' into 'dst'. Returns 0 or -ENOMEM ('dst' empty then). */
int of_instructions_copy(struct of_instructions *dst, const struct of_instructions *src);

/** Whether two instruction sets are the same (same actions, same order). */
bool of_instructions_equal(const struct of_instructions *a, const struct of_instructions *b);

/** Frees the action arrays of 'ins' and zeroes it (NULL is fine). */
void of_instructions_free(struct of_instructions *ins);

/** Frees 'list' and zeroes it. */
void of_actions_free(struct of_action_list *list);

/**
 * Whether 'ins' outputs to 'port' (OFPP_ANY: always true) in its apply or
 * write actions: the out_port filter of FLOW_MOD delete and flow stats.
 */
bool of_instructions_output_to(const struct of_instructions *ins, uint32_t port);

/**
 * Check actions against the flow's match [7.2.5]: a set_field or pop_vlan
 * whose prerequisites the match does not guarantee is
 * BAD_ACTION_MATCH_INCONSISTENT (as Open vSwitch does; e.g. set_field
 * ipv4_dst without eth_type=0x0800, pop_vlan on a match with
 * vlan_vid=OFPVID_NONE). Apply actions are checked in order, so a
 * push_vlan makes a later set_field vlan_vid consistent.
 */
enum of_err of_instructions_check(const struct of_instructions *ins, const struct of_match *match);

/* ---- Flows ------------------------------------------------------------ */

/** One flow as FLOW_MOD carries it, the CLI parses it, and the table keeps it. */
struct of_flow {
	uint8_t command;            /* OFPFC_* (FLOW_MOD, CLI add/mod/del) */
	uint8_t table_id;           /* table, OFPTT_ALL for delete/stats in all */
	uint16_t priority;          /* priority */
	uint64_t cookie;            /* cookie */
	uint64_t cookie_mask;       /* modify/delete/stats: cookie bits that must match */
	uint16_t idle_timeout;      /* seconds, 0: none */
	uint16_t hard_timeout;      /* seconds, 0: none */
	uint16_t flags;             /* OFPFF_* */
	uint32_t buffer_id;         /* OFP_NO_BUFFER */
	uint32_t out_port;          /* delete/stats filter, OFPP_ANY: none */
	uint32_t out_group;         /* delete/stats filter, OFPG_ANY: none */
	struct of_match match;      /* the match */
	struct of_instructions ins; /* the instructions */
};

/** An of_flow with the defaults of FLOW_MOD ADD: no filters, NO_BUFFER. */
void of_flow_init(struct of_flow *flow);

/**
 * Decode the framed OFPT_FLOW_MOD 'msg' ('size' bytes) into 'out' [7.3.4.1].
 * Errors: BAD_REQUEST_BAD_LEN (size under the fixed part or not the header's
 * length, match overrunning; an instruction overrunning is
 * BAD_INSTRUCTION_BAD_LEN as in OVS), FLOW_MOD_FAILED_BAD_COMMAND,
 * FLOW_MOD_FAILED_BAD_TABLE_ID (table 255 on add/modify), pad not zero
 * (BAD_REQUEST_BAD_LEN), and the errors of of_match_decode() and
 * of_instructions_decode(). Instruction checks against the match
 * (of_instructions_check) are left to the caller. 'out' needs
 * of_instructions_free() on success only.
 */
enum of_err of_flow_mod_decode(const uint8_t *msg, size_t size, struct of_flow *out);

/** Encode 'flow' as an OFPT_FLOW_MOD with 'xid'. Returns the size or -ENOSPC. */
int of_flow_mod_encode(const struct of_flow *flow, uint32_t xid, uint8_t *buf, size_t buf_size);

/* ---- Flow statistics [7.3.5.2] ----------------------------------------- */

/** One entry of a multipart FLOW reply: a flow and its counters. */
struct of_flow_stats {
	struct of_flow flow;    /* table_id, priority, cookie, timeouts, flags, match, ins */
	uint32_t duration_sec;  /* seconds the flow has been alive */
	uint32_t duration_nsec; /* nanoseconds beyond duration_sec */
	uint64_t packet_count;  /* packets matched */
	uint64_t byte_count;    /* bytes matched */
};

/** Bytes of_flow_stats_encode() writes for 's' (one struct ofp_flow_stats). */
size_t of_flow_stats_encoded_size(const struct of_flow_stats *s);

/**
 * Encode 's' as one struct ofp_flow_stats entry (48 fixed bytes, match,
 * instructions) into 'buf'. Returns the size, or -ENOSPC when 'buf' is too
 * small or the entry would not fit its 16-bit length. Control thread.
 */
int of_flow_stats_encode(const struct of_flow_stats *s, uint8_t *buf, size_t buf_size);

/**
 * Decode the struct ofp_flow_stats entry at the start of 'buf' ('size'
 * bytes, borrowed) into 'out'; '*used' gets the entry's length. Errors:
 * BAD_REQUEST_BAD_LEN (truncated, length not a multiple of 8 or beyond
 * 'size', pad not zero, match not ending inside the entry) and those of
 * of_match_decode() and of_instructions_decode(). 'out->flow.ins' needs
 * of_instructions_free() on success only. For tests and tools.
 */
enum of_err of_flow_stats_decode(const uint8_t *buf, size_t size, struct of_flow_stats *out,
				 size_t *used);

/**
 * Decode the body of a FLOW (or AGGREGATE) multipart request, struct
 * ofp_flow_stats_request ('size' bytes from 'body'), into 'filter':
 * table_id, out_port, out_group, cookie, cookie_mask and match; the rest as
 * of_flow_init() leaves it. Errors: BAD_REQUEST_BAD_LEN (short, pad not
 * zero, bytes after the match) and those of of_match_decode().
 */
enum of_err of_flow_stats_request_decode(const uint8_t *body, size_t size, struct of_flow *filter);

/**
 * Encode the request body for 'filter' (table_id, out_port, out_group,
 * cookie, cookie_mask, match). Returns the size or -ENOSPC.
 */
int of_flow_stats_request_encode(const struct of_flow *filter, uint8_t *buf, size_t buf_size);

#endif /* VIREO_OF_ACTION_H */
