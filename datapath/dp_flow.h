/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_flow.h - the OpenFlow side of the datapath contract: the flow key a
 * PMD extracts from every frame, the compiled actions ("ops") a rule runs,
 * and the classifier control builds and publishes per bridge.
 *
 * Control translates its OpenFlow tables (of_match + of_instructions) into
 * one struct dp_cls per bridge: every rule is a value/mask pair over
 * struct dp_flow_key, a priority, a table and a flat op program. A dp_cls
 * is immutable once built; control changes flows by building a new one and
 * swapping it in with dp_publish_cls(), which returns only when no PMD can
 * still read the old one (RCU). So once the call returns no packet takes
 * the old path, which is what BARRIER_REPLY promises.
 *
 * The datapath never sees OpenFlow wire formats; control never touches a
 * packet on the fast path (packet-out goes through a ring to a PMD).
 */
#ifndef VIREO_DATAPATH_DP_FLOW_H
#define VIREO_DATAPATH_DP_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath/dp.h"

#define DP_KEY_WORDS  16  /* 64-bit words in struct dp_flow_key */
#define DP_N_TABLES   255 /* OpenFlow tables 0..254 */
#define DP_PKTOUT_OPS 32  /* most ops one packet-out may carry */
#define DP_WALK_MAX   16  /* most tables one packet may visit (goto chains) */

/* SET_FIELD numbers of Open vSwitch's tunnel endpoint fields (NXM), after
 * the OXM basic ones, as protocols/openflow/of_match.h numbers them. */
#define DP_FIELD_TUN_SRC 40 /* tun_src: outer IPv4 source */
#define DP_FIELD_TUN_DST 41 /* tun_dst: outer IPv4 destination (remote_ip=flow) */

/*
 * What the classifier matches, extracted once per frame. Numbers in host
 * order; MAC and IPv6 addresses as bytes in wire order. Fields that share
 * storage are told apart by eth_type / ip_proto, whose values every match
 * on them carries as a prerequisite. Pad bytes are always zero. The layout
 * keeps the most matched fields in the first words: a subtable hashes only
 * the words its mask touches.
 */
struct dp_flow_key {
	/* word 0 */
	uint32_t in_port;  /* OpenFlow port number the frame came in on (also in_phy_port) */
	uint16_t eth_type; /* EtherType after the VLAN tags (0x05ff and below: none, as OVS) */
	uint16_t vlan_vid; /* OFPVID_PRESENT | VID of the outer tag; 0 when untagged */
	/* word 1 */
	uint8_t eth_dst[6]; /* destination MAC */
	uint8_t vlan_pcp;   /* outer tag's PCP; 0 when untagged */
	uint8_t ip_proto;   /* IPv4 protocol / IPv6 next header */
	/* word 2 */
	uint8_t eth_src[6]; /* source MAC */
	uint8_t ip_dscp;    /* DSCP (6 bits), IPv4 and IPv6 */
	uint8_t ip_ecn;     /* ECN (2 bits), IPv4 and IPv6 */
	/* word 3 */
	uint32_t nw_src; /* ipv4_src, or arp_spa */
	uint32_t nw_dst; /* ipv4_dst, or arp_tpa */
	/* word 4 */
	uint16_t tp_src; /* tcp/udp/sctp source port; icmpv4/icmpv6 type */
	uint16_t tp_dst; /* tcp/udp/sctp destination port; icmpv4/icmpv6 code */
	uint16_t arp_op; /* ARP opcode */
	uint16_t pad4;   /* zero */
	/* word 5 */
	uint64_t metadata; /* OpenFlow metadata, 0 on entry */
	/* word 6 */
	uint64_t tunnel_id; /* tunnel id (VNI) of the input tunnel, 0 otherwise */
	/* words 7-12 */
	uint8_t ipv6_src[16];  /* IPv6 source */
	uint8_t ipv6_dst[16];  /* IPv6 destination */
	uint8_t nd_target[16]; /* ND target address */
	/* word 13 */
	uint32_t ipv6_flabel; /* flow label (20 bits) */
	uint32_t tun_src;     /* outer source of the input tunnel (remote VTEP), 0 otherwise */
	/* word 14 */
	uint8_t arp_sha[6]; /* ARP sender MAC, or ND source link-layer address */
	uint16_t pad14;     /* zero */
	/* word 15 */
	uint8_t arp_tha[6]; /* ARP target MAC, or ND target link-layer address */
	uint16_t pad15;     /* zero */
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct dp_flow_key) == DP_KEY_WORDS * 8, "dp_flow_key is 16 words");

/** What one compiled op does. */
enum dp_op {
	DP_OP_OUTPUT = 1,    /* send to datapath port 'arg' (dropped if it is the input) */
	DP_OP_IN_PORT,       /* send back out of the input port */
	DP_OP_NORMAL,        /* NORMAL: MAC learning switch, VLAN config of the ports */
	DP_OP_FLOOD,         /* every enabled port of the bridge but the input (and NO_FWD ones) */
	DP_OP_ALL,           /* same as FLOOD: no port is flood-excluded in vireo */
	DP_OP_CONTROLLER,    /* packet-in upcall with at most 'arg' bytes (0xffff: all) */
	DP_OP_TABLE,         /* packet-out only: run the frame through the tables from 0 */
	DP_OP_SET_FIELD,     /* write field 'field' (OFPXMT_OFB_*) from 'data' */
	DP_OP_PUSH_VLAN,     /* push a tag with TPID 'arg', copying VID/PCP of the outer tag or 0 */
	DP_OP_POP_VLAN,      /* pop the outer tag */
	DP_OP_DEC_NW_TTL,    /* decrement IPv4 TTL / IPv6 hop limit; at 0 the frame is dropped */
	DP_OP_SET_NW_TTL,    /* set IPv4 TTL / IPv6 hop limit to 'arg' */
	DP_OP_SET_QUEUE,     /* accepted; vireo has one queue per port */
	DP_OP_CLEAR_ACTIONS, /* empty the action set */
	DP_OP_WRITE_METADATA, /* metadata = (metadata & ~data.u64[1]) | (data.u64[0] & data.u64[1])
			       */
	DP_OP_GOTO_TABLE,     /* continue in table 'arg' (the last op of a rule) */
};

/**
 * One compiled op. A rule's program is its instructions in the spec's order
 * [5.9]: apply_actions ops (in_set 0), CLEAR_ACTIONS, write_actions ops
 * (in_set 1: they replace the action set's entry of their kind instead of
 * running), WRITE_METADATA, GOTO_TABLE. When a rule has no GOTO_TABLE the
 * action set runs in the spec's order [5.10]: pop_vlan, push_vlan,
 * dec_nw_ttl, set_field and set_nw_ttl, set_queue, output (the output in
 * the set is its only one).
 */
struct dp_action {
	uint8_t op;     /* enum dp_op */
	uint8_t field;  /* DP_OP_SET_FIELD: OXM basic field number */
	uint8_t in_set; /* 1: a write_actions op, for the action set */
	uint8_t pad;    /* zero */
	uint32_t arg;   /* port index, max_len, TPID, TTL or table, as the op says */
	union {
		uint64_t u64[2];   /* numeric values in host order; WRITE_METADATA value, mask */
		uint8_t bytes[16]; /* MAC (6) or IPv6 (16) values, wire order */
	} data;
};

/** Everything control gives for one rule. */
struct dp_rule_spec {
	uint8_t table;               /* 0..254 */
	uint16_t priority;           /* higher wins */
	bool table_miss;             /* priority 0 and match-all: packet-ins say NO_MATCH */
	uint64_t cookie;             /* for packet-ins */
	uint32_t flow_id;            /* control's handle, given back by dp_cls_rule_flow_id() */
	struct dp_flow_key value;    /* match value, zero where 'mask' is */
	struct dp_flow_key mask;     /* match mask */
	uint16_t n_ops;              /* entries in 'ops' */
	const struct dp_action *ops; /* borrowed; copied by dp_cls_add() */
};

/** A classifier: all tables of one bridge. Immutable once built. */
struct dp_cls;

/**
 * An empty classifier for up to 'max_rules' rules (dp_cls_add() and
 * dp_cls_insert() together, live at once), with counters for 'n_pmds'
 * PMDs. Control thread. Returns NULL on allocation failure.
 */
struct dp_cls *dp_cls_create(unsigned max_rules, unsigned n_pmds);

/**
 * Adds a rule; its index (counted from 0 in the order added) is what the
 * counter calls take. Two rules with the same table, priority, value and
 * mask are not allowed (control keeps them unique). Returns 0, -ENOSPC
 * past 'max_rules', -EINVAL for a bad table or an op past DP_MAX_PORTS,
 * or -ENOMEM.
 */
int dp_cls_add(struct dp_cls *cls, const struct dp_rule_spec *spec);

/** Builds the lookup structures; no rule can be added after. Returns 0 or -errno. */
int dp_cls_build(struct dp_cls *cls);

/** Frees 'cls' (NULL is fine); it must not be published. */
void dp_cls_free(struct dp_cls *cls);

/*
 * Incremental changes. A built classifier, published or not, also takes
 * rules one at a time, so that a FLOW_MOD followed by a BARRIER costs in
 * proportion to the change, not to the table: control (the only writer)
 * inserts and removes rules while PMDs keep looking up, lock-free; then
 * dp_cls_commit() makes every change since the last commit visible to
 * every PMD before it returns. Between the change and the commit a PMD may
 * see the old rule set or the new one, per lookup.
 */

/**
 * Adds a rule to the built 'cls', which PMDs may be reading. Returns its
 * index (>= 0; indices of removed rules are reused only after a commit),
 * -ENOSPC when 'cls' is full (build a bigger one), -EINVAL as for
 * dp_cls_add(), or -ENOMEM. A rule with the same table, priority, value
 * and mask as a live one is not allowed (remove that one first, in the
 * same commit, to replace it). Control thread.
 */
int dp_cls_insert(struct dp_cls *cls, const struct dp_rule_spec *spec);

/**
 * Removes rule 'rule' of the built 'cls': no packet matches it once the
 * next dp_cls_commit() returns. Returns 0, or -ENOENT for a rule that is
 * not live. Control thread.
 */
int dp_cls_remove(struct dp_cls *cls, unsigned rule);

/** Called by dp_cls_commit() for each removed rule, before its index is reused. */
typedef void dp_cls_removed_fn(const struct dp_cls *cls, unsigned rule, void *arg);

/**
 * Makes every dp_cls_insert()/dp_cls_remove() on 'cls' since the last
 * commit visible to every PMD of 'dp': waits for a grace period (RCU),
 * invalidates the PMDs' exact-match caches, then calls 'removed' (may be
 * NULL) for each removed rule (its counters are final then) and frees
 * them. 'cls' may be published or not. Returns 0 or -errno. Control
 * thread.
 */
int dp_cls_commit(struct dp *dp, struct dp_cls *cls, dp_cls_removed_fn *removed, void *arg);

/** Whether rule 'rule' of 'cls' is live (added or inserted, not removed). */
bool dp_cls_rule_live(const struct dp_cls *cls, unsigned rule);

/** Rules in 'cls'. */
unsigned dp_cls_n_rules(const struct dp_cls *cls);

/**
 * Whether 'cls' is the default flow table and nothing else: table 0 holds
 * only a match-all rule whose one op is NORMAL (the fast path skips the
 * classifier then).
 */
bool dp_cls_is_normal_only(const struct dp_cls *cls);

/**
 * The highest-priority rule of 'table' matching 'key', as an index, or -1.
 * Any thread (PMDs use it; so do tests and control on a built 'cls').
 */
int dp_cls_lookup(const struct dp_cls *cls, uint8_t table, const struct dp_flow_key *key);

/** Control's flow_id of rule 'rule'. */
uint32_t dp_cls_rule_flow_id(const struct dp_cls *cls, unsigned rule);

/**
 * Counters of rule 'rule' summed over PMDs: packets, bytes, and the last
 * dp_now() a packet hit it (0: never). Control thread; exact once 'cls' is
 * unpublished, a moment behind while PMDs use it.
 */
void dp_cls_rule_stats(const struct dp_cls *cls, unsigned rule, uint64_t *packets, uint64_t *bytes,
		       uint64_t *used);

/**
 * Makes 'cls' (built, or NULL: NORMAL for everything) the classifier of
 * datapath bridge 'bridge', waits until no PMD reads the previous one, and
 * hands that back in '*old' (NULL if none) for the caller to read its
 * counters and free. Returns 0 or -EINVAL.
 */
int dp_publish_cls(struct dp *dp, uint16_t bridge, struct dp_cls *cls, struct dp_cls **old);

/** The classifier published for 'bridge' (control thread), or NULL. */
const struct dp_cls *dp_bridge_cls(const struct dp *dp, uint16_t bridge);

/**
 * Extracts the flow key of the Ethernet frame 'frame' ('len' bytes) that
 * arrived on OpenFlow port 'in_ofport'. Truncated headers leave the fields
 * they would fill zero (a runt has eth_type 0). Any thread; pure.
 */
void dp_flow_extract(const uint8_t *frame, uint32_t len, uint32_t in_ofport,
		     struct dp_flow_key *key);

/**
 * Packet-out: runs 'ops' on a copy of 'frame' ('len' bytes) as if it came
 * in on datapath port 'in_port' (DP_PORT_NONE: from the controller) of
 * bridge 'bridge', on a PMD (through a ring; the call does not wait).
 * Returns 0, -E2BIG over DP_PKTOUT_OPS ops or a frame over 9216 bytes,
 * -ENOBUFS with the ring full or no mbuf, -EINVAL for a bad bridge.
 */
int dp_packet_out(struct dp *dp, uint16_t bridge, uint16_t in_port, const uint8_t *frame,
		  uint32_t len, const struct dp_action *ops, uint16_t n_ops);

/** Bytes of the packet an upcall carries (DP_UPCALL_PACKET_IN), or NULL. */
const uint8_t *dp_upcall_data(const struct dp_upcall *u, uint32_t *len);

/** Releases what an upcall holds (its packet); call once per drained upcall. */
void dp_upcall_release(struct dp_upcall *u);

#endif /* VIREO_DATAPATH_DP_FLOW_H */
