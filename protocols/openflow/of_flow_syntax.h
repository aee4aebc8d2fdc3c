/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_flow_syntax.h - the ovs-ofctl flow syntax (ovs-fields(7),
 * ovs-actions(7), ovs-ofctl(8) "Flow Syntax") parsed into a struct of_flow
 * and printed back the way `ovs-ofctl -O OpenFlow13 dump-flows` prints it.
 * vireoctl uses it for add-flow/mod-flows/del-flows/dump-flows, and vireod
 * for trace and for logging flows, so both speak the same text.
 *
 * Only what OpenFlow 1.3 can carry is accepted: the OXM basic fields of
 * of_match.h and Open vSwitch's tun_src and tun_dst, the actions of
 * of_action.h and the goto_table, write_metadata, write_actions,
 * clear_actions instructions. Nicira
 * extensions (load, resubmit, learn, ct, registers...) and meters are
 * refused with an error, not ignored.
 *
 * Parsing is in of_flow_parse.c, printing in of_flow_format.c; the
 * tables both use are in of_flow_syntax_priv.h. Pure C, no DPDK, no
 * state: any thread.
 */
#ifndef VIREO_OF_FLOW_SYNTAX_H
#define VIREO_OF_FLOW_SYNTAX_H

#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_action.h"

/** What the text is for: which keywords are allowed and the defaults. */
enum of_flow_parse_mode {
	OF_PARSE_ADD,    /* add-flow: actions required, table 0, no cookie mask */
	OF_PARSE_MODIFY, /* mod-flows: actions required, table 0, cookie[/mask] filter */
	OF_PARSE_DELETE, /* del-flows: no actions, all tables, out_port/out_group filters */
	OF_PARSE_MATCH,  /* dump-flows filter or trace flow: like DELETE */
};

/**
 * Resolves port 'name' to its OpenFlow port number in '*ofport'. Returns 0,
 * or -ENOENT when there is no such port.
 */
typedef int (*of_port_by_name_fn)(const char *name, uint32_t *ofport, void *arg);

/** Options of of_flow_parse_opts(). */
struct of_flow_parse_opts {
	enum of_flow_parse_mode mode;    /* what the flow is for */
	of_port_by_name_fn port_by_name; /* port names; NULL: numbers and reserved names only */
	void *port_arg;                  /* passed to 'port_by_name' */
};

/**
 * Parse flow 'text' ("priority=10,tcp,tp_dst=80,actions=output:2") for
 * 'mode' into 'out' (overwritten). Ports are numbers or reserved names
 * (LOCAL, CONTROLLER, NORMAL, IN_PORT, ...). Returns 0, or -EINVAL with one
 * line of explanation in 'err' ('err_size' bytes, always NUL-terminated)
 * worded as ovs-ofctl words it ("unknown keyword foo",
 * "10.0.0.300: invalid IP address", "must specify an action"). On success
 * 'out' owns action arrays: release them with of_instructions_free().
 * Match fields are put in 'out->match.order' by ascending OXM field number,
 * so equal flows encode to equal bytes.
 */
int of_flow_parse(const char *text, enum of_flow_parse_mode mode, struct of_flow *out, char *err,
		  size_t err_size);

/** As of_flow_parse(), with port names resolved through 'opts'. */
int of_flow_parse_opts(const char *text, const struct of_flow_parse_opts *opts, struct of_flow *out,
		       char *err, size_t err_size);

/** Counters printed by of_flow_format(); NULL there prints none (--no-stats). */
struct of_flow_format_stats {
	uint32_t duration_sec;  /* flow age, seconds */
	uint32_t duration_nsec; /* and nanoseconds */
	uint64_t n_packets;     /* packets matched */
	uint64_t n_bytes;       /* bytes matched */
	int32_t idle_age;       /* seconds since last hit, -1: not printed */
	int32_t hard_age;       /* seconds since last modification, -1: not printed */
};

/**
 * Print 'flow' as one ovs-ofctl dump-flows line (no newline) into 'buf'
 * ('size' bytes): " cookie=0x0, duration=1.5s, table=0, n_packets=1,
 * n_bytes=60, priority=100,ip actions=output:2" with 'stats', or
 * "priority=100,ip actions=output:2" without (cookie and table then only
 * when not zero), as OVS's ofputil_flow_stats_format() does. Returns the
 * length, or -ENOSPC when 'buf' was too small (the text is cut, still
 * NUL-terminated).
 */
int of_flow_format(const struct of_flow *flow, const struct of_flow_format_stats *stats, char *buf,
		   size_t size);

/**
 * Print match 'm' as OVS's match_format() does ("tcp,in_port=1,tp_dst=80";
 * an empty string for match-all). Same return as of_flow_format().
 */
int of_match_format(const struct of_match *m, char *buf, size_t size);

/** Print 'list' ("push_vlan:0x8100,output:2", "drop" when empty). Same return. */
int of_actions_format(const struct of_action_list *list, char *buf, size_t size);

/**
 * Print 'ins' as the text after "actions=" (apply actions, clear_actions,
 * write_actions(...), write_metadata:V/M, goto_table:N in that order;
 * "drop" when there is nothing). Same return as of_flow_format().
 */
int of_instructions_format(const struct of_instructions *ins, char *buf, size_t size);

#endif /* VIREO_OF_FLOW_SYNTAX_H */
