/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_exec.c - the OpenFlow 1.3 pipeline on a PMD: a burst of frames from
 * one port goes through the bridge's classifier (cls.c) table after table
 * and has its rules' ops executed, in the words of OpenFlow 1.3.5 [5.1,
 * 5.9-5.12].
 *
 * Per burst: extract every frame's flow key, look each key up in this
 * PMD's exact-match cache (a whole-key compare; an entry holds the rules
 * of a whole multi-table walk), look the misses up in table 0 in one
 * classifier burst call, then walk each frame: run the rule's ops in
 * order - apply-actions at once (they rewrite the frame and its key, so a
 * later table matches the rewritten fields), write-actions into the
 * action set, WRITE_METADATA into the key, GOTO_TABLE to the next lookup -
 * and when a rule has no GOTO_TABLE, execute the action set in the spec's
 * order [5.10]: pop_vlan, push_vlan, dec_nw_ttl, set_field and set_nw_ttl,
 * set_queue, output.  A miss with no table-miss rule drops [5.4].
 *
 * Outputs never see later writes: an output is only noted; the frame goes
 * out when the walk ends (several ports share one mbuf by reference
 * count), or, when an op is about to rewrite the frame, the outputs noted
 * so far get a copy first.  NORMAL and TABLE (packet-out) need a frame of
 * their own, since NORMAL re-tags in place.  NORMAL frames of a burst are
 * collected and run through pipeline_normal() together at its end.
 *
 * As in Open vSwitch: output to the input port needs IN_PORT (OUTPUT to it
 * is dropped silently); dec_nw_ttl on a TTL of 0 or 1 drops the frame
 * (no packet-in: OVS sends INVALID_TTL only when asked to); NORMAL from a
 * packet-out with no input port drops (no input bundle); packet-ins that a
 * packet-out's CONTROLLER op sends say table 0xff and cookie all-ones.
 *
 * Limits: headers are rewritten in the first segment only; L4 fields of
 * IPv6 frames with extension headers and of non-first IPv4 fragments are
 * changed in the key only; SCTP ports are rewritten without recomputing the
 * CRC32c (Open vSwitch's userspace datapath does recompute it); set_field
 * vlan_vid/vlan_pcp on an untagged frame does nothing (the match's
 * prerequisites make it a tagged one); no MPLS, PBB, groups or meters.
 *
 * Hot path: no locks, no allocation but mbuf copies, no system calls; the
 * per-packet state lives on the stack; counters are per PMD.
 */
#include "datapath/dp_priv.h"
#include "datapath/cls_priv.h"
#include "datapath/parse.h"
#include "protocols/openflow/of_wire.h"

#include <rte_hash_crc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_vect.h>

#define OFX_ETH_TYPE_IPV4 0x0800
#define OFX_ETH_TYPE_ARP  0x0806
#define OFX_ETH_TYPE_IPV6 0x86dd
#define OFX_IPPROTO_ICMP  1
#define OFX_IPPROTO_TCP   6
#define OFX_IPPROTO_UDP   17
#define OFX_IPPROTO_ICMP6 58
#define OFX_IPPROTO_SCTP  132
#define OFX_EXCL_MAX      4  /* NORMAL/TABLE outputs noted at once */
#define OFX_DRAIN_MAX     32 /* packet-outs one poll iteration runs */
#define OFX_NO_TABLE      0xff

/*
 * Action-set slots [5.10]: one per set-field field (by OXM field number),
 * then one per other kind.  A later write of a kind replaces the earlier.
 */
enum ofx_slot {
	OFX_SLOT_FIELDS = 48, /* slots below: SET_FIELD of that field */
	OFX_SLOT_POP = 48,    /* pop_vlan */
	OFX_SLOT_PUSH,        /* push_vlan */
	OFX_SLOT_DEC_TTL,     /* dec_nw_ttl */
	OFX_SLOT_SET_TTL,     /* set_nw_ttl, with the set-fields */
	OFX_SLOT_QUEUE,       /* set_queue */
	OFX_SLOT_OUTPUT,      /* any output, CONTROLLER and NORMAL included */
	OFX_N_SLOTS,
};

#define OFX_BIT(s)      (1ULL << (s))
#define OFX_FIELDS_MASK (OFX_BIT(OFX_SLOT_FIELDS) - 1)

/* What one burst (or one packet-out) shares. */
struct ofx_burst {
	struct pmd *pmd;                       /* this PMD */
	const struct dp_tables *t;             /* published tables */
	const struct dp_cls *cls;              /* the bridge's classifier; NULL: NORMAL */
	uint64_t seq;                          /* dp->cls_seq as read after 'cls' */
	uint64_t now;                          /* time of the burst */
	uint16_t in_port;                      /* datapath input port, DP_PORT_NONE: controller */
	uint16_t bridge;                       /* datapath bridge */
	uint16_t n_normal;                     /* frames in 'normal' */
	struct rte_mbuf *normal[DP_BURST_MAX]; /* frames for NORMAL, run at the end */
};

/* One frame on its walk. */
struct ofx_pkt {
	struct rte_mbuf *m;                       /* the frame, never shared during the walk */
	struct dp_flow_key *key;                  /* its flow key, kept in sync with 'm' */
	uint16_t l3;                              /* offset of the L3 header, 0: none */
	uint16_t l4;                              /* offset of the L4 header, 0: none/unusable */
	uint16_t l3_type;                         /* EtherType of the L3 header */
	int32_t rule;                             /* the rule running (packet-ins), -1: none */
	bool sent;                                /* some output or packet-in got it */
	bool plain;                               /* only outputs to ports so far: the frame
						     and its copies untouched, no upcall */
	bool dead;                                /* dropped midway, for 'why' */
	uint8_t why;                              /* enum dp_drop when 'dead' */
	uint8_t nowhere;                          /* enum dp_drop if nothing gets it */
	uint8_t n_excl;                           /* entries in 'excl' */
	uint8_t excl[OFX_EXCL_MAX];               /* DP_OP_NORMAL / DP_OP_TABLE noted */
	uint16_t n_ports;                         /* entries in 'ports' */
	uint64_t set_mask;                        /* action set: slots in use */
	const struct dp_action *set[OFX_N_SLOTS]; /* action set, by slot */
	uint16_t ports[DP_MAX_PORTS];             /* output ports noted */
};

static void ofx_walk(struct ofx_burst *b, struct ofx_pkt *p, int32_t rule,
		     const struct dp_ofemc_entry *hit, struct dp_ofemc_entry *fill);

static inline uint16_t
ofx_rd16(const uint8_t *f)
{
	return (uint16_t)(f[0] << 8 | f[1]);
}

static inline void
ofx_drop(struct ofx_burst *b, struct rte_mbuf *m, enum dp_drop why)
{
	b->pmd->drops[why]++;
	if (b->in_port < DP_MAX_PORTS) {
		b->pmd->pstats[b->in_port].rx_dropped++;
	}
	rte_pktmbuf_free(m);
}

/* Finds the L3 and L4 headers of 'p->m' (after any number of tags). */
static void
ofx_layout(struct ofx_pkt *p)
{
	const uint8_t *f = rte_pktmbuf_mtod(p->m, const uint8_t *);
	uint16_t len = p->m->data_len, off = 12, ihl;
	uint8_t nh;

	p->l3 = p->l4 = p->l3_type = 0;
	while (off + 2 <= len && parse_is_vlan_tpid(ofx_rd16(f + off))) {
		off += PARSE_VLAN_HDR_SIZE;
	}
	if (off + 2 > len) {
		return;
	}
	p->l3_type = ofx_rd16(f + off);
	p->l3 = off + 2;
	if (p->l3_type == OFX_ETH_TYPE_IPV4 && p->l3 + 20 <= len) {
		ihl = (uint16_t)((f[p->l3] & 0x0f) * 4);
		/* Only the first fragment carries the L4 header. */
		if (ihl >= 20 && (ofx_rd16(f + p->l3 + 6) & 0x1fff) == 0 && p->l3 + ihl <= len) {
			p->l4 = p->l3 + ihl;
		}
	} else if (p->l3_type == OFX_ETH_TYPE_IPV6 && p->l3 + 40 <= len) {
		nh = f[p->l3 + 6];
		if (nh == OFX_IPPROTO_TCP || nh == OFX_IPPROTO_UDP || nh == OFX_IPPROTO_ICMP6 ||
		    nh == OFX_IPPROTO_SCTP) {
			p->l4 = p->l3 + 40;
		}
	}
}

static void
ofx_pkt_init(struct ofx_pkt *p, struct rte_mbuf *m, struct dp_flow_key *key)
{
	p->m = m;
	p->key = key;
	p->rule = -1;
	p->sent = false;
	p->plain = true;
	p->dead = false;
	p->nowhere = DP_DROP_OF_ACTION;
	p->n_excl = 0;
	p->n_ports = 0;
	p->set_mask = 0;
	ofx_layout(p);
}

/* --- Checksums: RFC 1624 incremental updates over 16-bit words as stored. */

/* The checksum change of 'len' (even) bytes at 'off' (even) becoming 'val';
 * writes them. */
static uint32_t
ofx_put(uint8_t *f, unsigned off, const void *val, unsigned len)
{
	uint32_t delta = 0;
	uint16_t o, n;
	unsigned i;

	for (i = 0; i < len; i += 2) {
		memcpy(&o, f + off + i, 2);
		memcpy(&n, (const uint8_t *)val + i, 2);
		delta += 0xffffu - o + n;
	}
	memcpy(f + off, val, len);
	return delta;
}

/* Writes the bits 'mask' of byte 'off' from 'val'; returns the change of
 * its 16-bit word. */
static uint32_t
ofx_put8(uint8_t *f, unsigned off, uint8_t val, uint8_t mask)
{
	unsigned w = off & ~1u;
	uint16_t o, n;

	memcpy(&o, f + w, 2);
	f[off] = (uint8_t)((f[off] & ~mask) | (val & mask));
	memcpy(&n, f + w, 2);
	return 0xffffu - o + n;
}

/* HC' = ~(~HC + ~m + m') [RFC 1624 eqn. 3] on the checksum at 'off'.  UDP
 * ('udp'): 0 means no checksum, and a computed 0 is sent as 0xffff. */
static void
ofx_csum(uint8_t *f, unsigned off, uint32_t delta, bool udp)
{
	uint16_t c;
	uint32_t s;

	memcpy(&c, f + off, 2);
	if (udp && c == 0) {
		return;
	}
	s = (uint16_t)~c + delta;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	c = (uint16_t)~s;
	if (udp && c == 0) {
		c = 0xffff;
	}
	memcpy(f + off, &c, 2);
}

/* Offset of the L4 checksum that covers the IP pseudo-header (TCP, UDP,
 * ICMPv6), 0 if none; '*udp' tells the UDP rules. */
static unsigned
ofx_l4_csum(const struct ofx_pkt *p, bool *udp)
{
	unsigned len = p->m->data_len;

	*udp = false;
	if (p->l4 == 0) {
		return 0;
	}
	switch (p->key->ip_proto) {
	case OFX_IPPROTO_TCP:
		return p->l4 + 18u <= len ? p->l4 + 16u : 0;
	case OFX_IPPROTO_UDP:
		*udp = true;
		return p->l4 + 8u <= len ? p->l4 + 6u : 0;
	case OFX_IPPROTO_ICMP6:
		return p->l4 + 4u <= len ? p->l4 + 2u : 0;
	default:
		return 0;
	}
}

/* Applies an address change 'delta' to the L4 checksum, if it has one. */
static void
ofx_csum_pseudo(struct ofx_pkt *p, uint8_t *f, uint32_t delta)
{
	bool udp;
	unsigned off = ofx_l4_csum(p, &udp);

	if (off != 0) {
		ofx_csum(f, off, delta, udp);
	}
}

/* --- Header writes; each keeps the key in step. */

static inline uint8_t *
ofx_frame(struct ofx_pkt *p)
{
	return rte_pktmbuf_mtod(p->m, uint8_t *);
}

static inline bool
ofx_is_ipv4(const struct ofx_pkt *p)
{
	return p->l3_type == OFX_ETH_TYPE_IPV4 && p->l3 + 20u <= p->m->data_len;
}

static inline bool
ofx_is_ipv6(const struct ofx_pkt *p)
{
	return p->l3_type == OFX_ETH_TYPE_IPV6 && p->l3 + 40u <= p->m->data_len;
}

/* Whether the outer tag's TCI is in the first segment; its offset is 14. */
static bool
ofx_tagged(struct ofx_pkt *p)
{
	const uint8_t *f = ofx_frame(p);

	return p->m->data_len >= 18 && parse_is_vlan_tpid(ofx_rd16(f + 12));
}

/* The key's VLAN fields from the frame's outer tag. */
static void
ofx_key_vlan(struct ofx_pkt *p)
{
	uint16_t tci;

	if (!ofx_tagged(p)) {
		p->key->vlan_vid = 0;
		p->key->vlan_pcp = 0;
		return;
	}
	tci = ofx_rd16(ofx_frame(p) + 14);
	p->key->vlan_vid = (uint16_t)(OFPVID_PRESENT | (tci & 0x0fff));
	p->key->vlan_pcp = (uint8_t)(tci >> 13);
}

static void
ofx_set_tci(struct ofx_pkt *p, uint16_t mask, uint16_t val)
{
	uint8_t *f = ofx_frame(p);
	uint16_t tci;

	if (!ofx_tagged(p)) {
		return;
	}
	tci = (uint16_t)((ofx_rd16(f + 14) & ~mask) | (val & mask));
	f[14] = (uint8_t)(tci >> 8);
	f[15] = (uint8_t)tci;
	ofx_key_vlan(p);
}

/* IPv4 TOS or IPv6 traffic class bits 'mask' (of the 8) from 'tc'. */
static void
ofx_set_tc(struct ofx_pkt *p, uint8_t tc, uint8_t mask)
{
	uint8_t *f = ofx_frame(p), cur;

	if (ofx_is_ipv4(p)) {
		ofx_csum(f, p->l3 + 10u, ofx_put8(f, p->l3 + 1u, tc, mask), false);
		cur = f[p->l3 + 1];
	} else if (ofx_is_ipv6(p)) {
		cur = (uint8_t)((f[p->l3] & 0x0f) << 4 | f[p->l3 + 1] >> 4);
		cur = (uint8_t)((cur & ~mask) | (tc & mask));
		f[p->l3] = (uint8_t)((f[p->l3] & 0xf0) | cur >> 4);
		f[p->l3 + 1] = (uint8_t)((f[p->l3 + 1] & 0x0f) | (cur & 0x0f) << 4);
	} else {
		return;
	}
	p->key->ip_dscp = cur >> 2;
	p->key->ip_ecn = cur & 3;
}

/* IPv4 source ('off' 12) or destination (16), or ARP SPA/TPA. */
static void
ofx_set_nw(struct ofx_pkt *p, unsigned field, uint32_t addr)
{
	uint8_t *f = ofx_frame(p);
	rte_be32_t be = rte_cpu_to_be_32(addr);
	bool src = field == OFPXMT_OFB_IPV4_SRC || field == OFPXMT_OFB_ARP_SPA;
	uint32_t delta;

	if (field == OFPXMT_OFB_IPV4_SRC || field == OFPXMT_OFB_IPV4_DST) {
		if (!ofx_is_ipv4(p)) {
			return;
		}
		delta = ofx_put(f, p->l3 + (src ? 12u : 16u), &be, 4);
		ofx_csum(f, p->l3 + 10u, delta, false);
		ofx_csum_pseudo(p, f, delta);
	} else {
		if (p->l3_type != OFX_ETH_TYPE_ARP || p->l3 + 28u > p->m->data_len) {
			return;
		}
		memcpy(f + p->l3 + (src ? 14 : 24), &be, 4);
	}
	if (src) {
		p->key->nw_src = addr;
	} else {
		p->key->nw_dst = addr;
	}
}

/* TCP, UDP or SCTP source or destination port. */
static void
ofx_set_tp(struct ofx_pkt *p, unsigned field, uint16_t port)
{
	static const uint8_t proto[] = {OFX_IPPROTO_TCP, OFX_IPPROTO_UDP, OFX_IPPROTO_SCTP};
	unsigned k = (field - OFPXMT_OFB_TCP_SRC) / 2, src = (field - OFPXMT_OFB_TCP_SRC) % 2 == 0;
	uint8_t *f = ofx_frame(p);
	rte_be16_t be = rte_cpu_to_be_16(port);
	unsigned csum;
	uint32_t delta;
	bool udp;

	if (p->key->ip_proto != proto[k]) {
		return;
	}
	if (p->l4 != 0 && p->l4 + 8u <= p->m->data_len) {
		csum = ofx_l4_csum(p, &udp);
		delta = ofx_put(f, p->l4 + (src ? 0u : 2u), &be, 2);
		if (csum != 0) {
			ofx_csum(f, csum, delta, udp);
		}
	}
	if (src) {
		p->key->tp_src = port;
	} else {
		p->key->tp_dst = port;
	}
}

/* ICMPv4/ICMPv6 type ('code' false) or code. */
static void
ofx_set_icmp(struct ofx_pkt *p, bool v6, bool code, uint8_t val)
{
	uint8_t *f = ofx_frame(p);

	if (p->key->ip_proto != (v6 ? OFX_IPPROTO_ICMP6 : OFX_IPPROTO_ICMP) ||
	    p->l3_type != (v6 ? OFX_ETH_TYPE_IPV6 : OFX_ETH_TYPE_IPV4)) {
		return;
	}
	if (p->l4 != 0 && p->l4 + 4u <= p->m->data_len) {
		ofx_csum(f, p->l4 + 2u, ofx_put8(f, p->l4 + (code ? 1u : 0u), val, 0xff), false);
	}
	if (code) {
		p->key->tp_dst = val;
	} else {
		p->key->tp_src = val;
	}
}

/* The offset of ND option 'type' (1: SLL, 2: TLL), 0 if absent. */
static unsigned
ofx_nd_opt(const struct ofx_pkt *p, uint8_t type)
{
	const uint8_t *f = rte_pktmbuf_mtod(p->m, const uint8_t *);
	unsigned off = p->l4 + 24u, len = p->m->data_len;

	while (off + 8 <= len && f[off + 1] != 0) {
		if (f[off] == type) {
			return off;
		}
		off += f[off + 1] * 8u;
	}
	return 0;
}

/* IPv6 source, destination or ND target, or ND SLL/TLL. */
static void
ofx_set_v6(struct ofx_pkt *p, unsigned field, const uint8_t *val)
{
	uint8_t *f = ofx_frame(p);
	unsigned off, size = 16;
	uint8_t *dst;

	if (!ofx_is_ipv6(p)) {
		return;
	}
	if (field == OFPXMT_OFB_IPV6_SRC || field == OFPXMT_OFB_IPV6_DST) {
		off = p->l3 + (field == OFPXMT_OFB_IPV6_SRC ? 8u : 24u);
		dst = field == OFPXMT_OFB_IPV6_SRC ? p->key->ipv6_src : p->key->ipv6_dst;
		ofx_csum_pseudo(p, f, ofx_put(f, off, val, 16));
		memcpy(dst, val, 16);
		return;
	}
	if (p->key->ip_proto != OFX_IPPROTO_ICMP6 || p->l4 == 0) {
		return;
	}
	if (field == OFPXMT_OFB_IPV6_ND_TARGET) {
		off = p->l4 + 8u;
		dst = p->key->nd_target;
	} else {
		off = ofx_nd_opt(p, field == OFPXMT_OFB_IPV6_ND_SLL ? 1 : 2);
		off = off == 0 ? 0 : off + 2;
		dst = field == OFPXMT_OFB_IPV6_ND_SLL ? p->key->arp_sha : p->key->arp_tha;
		size = 6;
	}
	if (off != 0 && off + size <= p->m->data_len) {
		ofx_csum(f, p->l4 + 2u, ofx_put(f, off, val, size), false);
		memcpy(dst, val, size);
	}
}

static void
ofx_set_flabel(struct ofx_pkt *p, uint32_t label)
{
	uint8_t *f = ofx_frame(p) + p->l3;

	if (!ofx_is_ipv6(p)) {
		return;
	}
	label &= 0xfffff;
	f[1] = (uint8_t)((f[1] & 0xf0) | label >> 16);
	f[2] = (uint8_t)(label >> 8);
	f[3] = (uint8_t)label;
	p->key->ipv6_flabel = label;
}

/* ARP opcode, SHA or THA. */
static void
ofx_set_arp(struct ofx_pkt *p, unsigned field, const struct dp_action *a)
{
	uint8_t *f = ofx_frame(p) + p->l3;

	if (p->l3_type != OFX_ETH_TYPE_ARP || p->l3 + 28u > p->m->data_len) {
		return;
	}
	if (field == OFPXMT_OFB_ARP_OP) {
		f[6] = (uint8_t)(a->data.u64[0] >> 8);
		f[7] = (uint8_t)a->data.u64[0];
		p->key->arp_op = (uint16_t)a->data.u64[0];
	} else if (field == OFPXMT_OFB_ARP_SHA) {
		memcpy(f + 8, a->data.bytes, 6);
		memcpy(p->key->arp_sha, a->data.bytes, 6);
	} else {
		memcpy(f + 18, a->data.bytes, 6);
		memcpy(p->key->arp_tha, a->data.bytes, 6);
	}
}

static void
ofx_set_eth(struct ofx_pkt *p, bool dst, const uint8_t *mac)
{
	if (p->m->data_len < 12) {
		return;
	}
	memcpy(ofx_frame(p) + (dst ? 0 : 6), mac, 6);
	memcpy(dst ? p->key->eth_dst : p->key->eth_src, mac, 6);
}

/* SET_FIELD: one OXM field of the frame, and of its key. */
static void
ofx_set_field(struct ofx_pkt *p, const struct dp_action *a)
{
	uint64_t v = a->data.u64[0];

	switch (a->field) {
	case OFPXMT_OFB_ETH_DST:
	case OFPXMT_OFB_ETH_SRC:
		ofx_set_eth(p, a->field == OFPXMT_OFB_ETH_DST, a->data.bytes);
		break;
	case OFPXMT_OFB_VLAN_VID:
		ofx_set_tci(p, 0x0fff, (uint16_t)v);
		break;
	case OFPXMT_OFB_VLAN_PCP:
		ofx_set_tci(p, 0xe000, (uint16_t)(v << 13));
		break;
	case OFPXMT_OFB_IP_DSCP:
		ofx_set_tc(p, (uint8_t)(v << 2), 0xfc);
		break;
	case OFPXMT_OFB_IP_ECN:
		ofx_set_tc(p, (uint8_t)v, 0x03);
		break;
	case OFPXMT_OFB_IPV4_SRC:
	case OFPXMT_OFB_IPV4_DST:
	case OFPXMT_OFB_ARP_SPA:
	case OFPXMT_OFB_ARP_TPA:
		ofx_set_nw(p, a->field, (uint32_t)v);
		break;
	case OFPXMT_OFB_TCP_SRC ... OFPXMT_OFB_SCTP_DST:
		ofx_set_tp(p, a->field, (uint16_t)v);
		break;
	case OFPXMT_OFB_ICMPV4_TYPE:
	case OFPXMT_OFB_ICMPV4_CODE:
		ofx_set_icmp(p, false, a->field == OFPXMT_OFB_ICMPV4_CODE, (uint8_t)v);
		break;
	case OFPXMT_OFB_ICMPV6_TYPE:
	case OFPXMT_OFB_ICMPV6_CODE:
		ofx_set_icmp(p, true, a->field == OFPXMT_OFB_ICMPV6_CODE, (uint8_t)v);
		break;
	case OFPXMT_OFB_ARP_OP:
	case OFPXMT_OFB_ARP_SHA:
	case OFPXMT_OFB_ARP_THA:
		ofx_set_arp(p, a->field, a);
		break;
	case OFPXMT_OFB_IPV6_SRC:
	case OFPXMT_OFB_IPV6_DST:
	case OFPXMT_OFB_IPV6_ND_TARGET:
	case OFPXMT_OFB_IPV6_ND_SLL:
	case OFPXMT_OFB_IPV6_ND_TLL:
		ofx_set_v6(p, a->field, a->data.bytes);
		break;
	case OFPXMT_OFB_IPV6_FLABEL:
		ofx_set_flabel(p, (uint32_t)v);
		break;
	case OFPXMT_OFB_METADATA:
		p->key->metadata = v;
		break;
	case OFPXMT_OFB_TUNNEL_ID:
		p->key->tunnel_id = v;
		dp_tnl_md(p->m)->tun_id = v;
		break;
	case DP_FIELD_TUN_SRC:
		p->key->tun_src = (uint32_t)v;
		dp_tnl_md(p->m)->tun_src = (uint32_t)v;
		break;
	case DP_FIELD_TUN_DST:
		dp_tnl_md(p->m)->tun_dst = (uint32_t)v;
		break;
	default:
		break;
	}
}

/* DEC_NW_TTL ('dec') or SET_NW_TTL to 'ttl'. */
static void
ofx_ttl(struct ofx_pkt *p, bool dec, uint8_t ttl)
{
	uint8_t *f = ofx_frame(p);
	unsigned off;

	if (ofx_is_ipv4(p)) {
		off = p->l3 + 8u;
	} else if (ofx_is_ipv6(p)) {
		off = p->l3 + 7u;
	} else {
		return;
	}
	if (dec) {
		if (f[off] <= 1) {
			p->dead = true;
			p->why = DP_DROP_TTL;
			return;
		}
		ttl = (uint8_t)(f[off] - 1);
	}
	if (p->l3_type == OFX_ETH_TYPE_IPV4) {
		ofx_csum(f, p->l3 + 10u, ofx_put8(f, off, ttl, 0xff), false);
	} else {
		f[off] = ttl;
	}
}

/* PUSH_VLAN: a new outer tag of TPID 'tpid' with the TCI of the current
 * outer tag, or 0 [OpenFlow 1.3.5 7.2.5]. */
static void
ofx_push_vlan(struct ofx_pkt *p, uint16_t tpid)
{
	uint16_t tci = ofx_tagged(p) ? ofx_rd16(ofx_frame(p) + 14) : 0;

	if (vlan_push(p->m, tpid, tci) < 0) {
		p->dead = true;
		p->why = DP_DROP_NO_HEADROOM;
		return;
	}
	p->l3 = p->l3 ? p->l3 + PARSE_VLAN_HDR_SIZE : 0;
	p->l4 = p->l4 ? p->l4 + PARSE_VLAN_HDR_SIZE : 0;
	ofx_key_vlan(p);
}

static void
ofx_pop_vlan(struct ofx_pkt *p)
{
	if (vlan_pop(p->m) < 0) {
		return;
	}
	p->l3 = p->l3 ? p->l3 - PARSE_VLAN_HDR_SIZE : 0;
	p->l4 = p->l4 ? p->l4 - PARSE_VLAN_HDR_SIZE : 0;
	ofx_key_vlan(p);
}

/* --- Outputs. */

/* Sends the NORMAL frames collected so far through pipeline_normal(). */
static void
ofx_normal_flush(struct ofx_burst *b)
{
	uint16_t i;

	if (b->n_normal == 0) {
		return;
	}
	if (b->in_port >= DP_MAX_PORTS) {
		/* A packet-out from the controller has no input bundle [OVS]. */
		for (i = 0; i < b->n_normal; i++) {
			ofx_drop(b, b->normal[i], DP_DROP_NO_BRIDGE);
		}
	} else {
		pipeline_normal(b->pmd, b->t, b->in_port, b->normal, b->n_normal, b->now);
	}
	b->n_normal = 0;
}

static void
ofx_normal_add(struct ofx_burst *b, struct rte_mbuf *m)
{
	if (b->n_normal == DP_BURST_MAX) {
		ofx_normal_flush(b);
	}
	b->normal[b->n_normal++] = m;
}

/* TABLE (packet-out): 'm' through the tables from table 0, as a frame
 * that came in on the packet-out's input port. */
static void
ofx_table(struct ofx_burst *b, struct rte_mbuf *m)
{
	struct dp_flow_key key;
	struct ofx_pkt p;
	uint32_t ofport;

	if (b->cls == NULL || dp_cls_is_normal_only(b->cls)) {
		ofx_normal_add(b, m);
		return;
	}
	ofport = b->in_port < DP_MAX_PORTS ? b->t->ports[b->in_port].ofport : OFPP_CONTROLLER;
	dp_flow_extract_mbuf(m, ofport, &key);
	ofx_pkt_init(&p, m, &key);
	ofx_walk(b, &p, dp_cls_lookup(b->cls, 0, &key), NULL, NULL);
}

/* Gives 'm' to the outputs noted in 'p': the exclusive ones ('i' below
 * 'p->n_excl') or the port group ('i' == 'p->n_excl'). */
static void
ofx_give(struct ofx_burst *b, struct ofx_pkt *p, unsigned i, struct rte_mbuf *m)
{
	uint16_t k;

	if (i < p->n_excl) {
		if (p->excl[i] == DP_OP_NORMAL) {
			ofx_normal_add(b, m);
		} else {
			ofx_table(b, m);
		}
		return;
	}
	if (p->n_ports > 1) {
		rte_mbuf_refcnt_update(m, (int16_t)(p->n_ports - 1));
	}
	for (k = 0; k < p->n_ports; k++) {
		pmd_tx(b->pmd, p->ports[k], m);
	}
}

/*
 * Hands the outputs noted so far the frame as it is now.  'last': the
 * walk is over and 'p->m' itself goes to the last of them (or is freed,
 * counted under 'why' if nothing ever got the frame); else they get copies
 * and 'p->m' stays for the ops that follow.
 */
static void
ofx_settle(struct ofx_burst *b, struct ofx_pkt *p, bool last, enum dp_drop why)
{
	unsigned n = p->n_excl + (p->n_ports != 0), i;
	struct rte_mbuf *m;

	if (!last) {
		p->plain = false;
	}
	for (i = 0; i < n; i++) {
		m = last && i == n - 1 ? p->m : rte_pktmbuf_copy(p->m, p->m->pool, 0, UINT32_MAX);
		if (unlikely(m == NULL)) {
			b->pmd->drops[DP_DROP_NO_MBUF]++;
			continue;
		}
		ofx_give(b, p, i, m);
		p->sent = true;
	}
	p->n_excl = 0;
	p->n_ports = 0;
	if (last && n == 0) {
		if (p->sent) {
			rte_pktmbuf_free(p->m);
		} else {
			ofx_drop(b, p->m, why);
		}
	}
}

/* Notes an output to datapath port 'port' if it may send there. */
static void
ofx_note_port(struct ofx_burst *b, struct ofx_pkt *p, uint16_t port)
{
	const struct dp_tport *tp;

	if (port >= DP_MAX_PORTS) {
		return;
	}
	tp = &b->t->ports[port];
	if (tp->bridge != b->bridge || !tp->enabled) {
		return;
	}
	if (tp->no_fwd) {
		p->nowhere = DP_DROP_PORT_CFG;
		return;
	}
	if (unlikely(p->n_ports == DP_MAX_PORTS)) {
		ofx_settle(b, p, false, DP_DROP_OF_ACTION);
	}
	p->ports[p->n_ports++] = port;
}

/* FLOOD/ALL: every enabled port of the bridge but the input and NO_FWD ones. */
static void
ofx_flood(struct ofx_burst *b, struct ofx_pkt *p)
{
	const struct dp_tbridge *br = &b->t->bridges[b->bridge];
	uint16_t i, port;

	for (i = 0; i < br->n_ports; i++) {
		port = br->ports[i];
		if (port != b->in_port && !b->t->ports[port].no_fwd) {
			ofx_note_port(b, p, port);
		}
	}
}

static void
ofx_note_excl(struct ofx_burst *b, struct ofx_pkt *p, uint8_t op)
{
	p->plain = false;
	if (unlikely(p->n_excl == OFX_EXCL_MAX)) {
		ofx_settle(b, p, false, DP_DROP_OF_ACTION);
	}
	p->excl[p->n_excl++] = op;
}

/* CONTROLLER: a packet-in upcall with a copy of the frame as it is now. */
static void
ofx_packet_in(struct ofx_burst *b, struct ofx_pkt *p, uint16_t max_len)
{
	struct pmd *pmd = b->pmd;
	const struct dp_cls_rule *r;
	struct dp_upcall u;
	uint32_t room;

	p->plain = false;
	if (b->in_port < DP_MAX_PORTS && b->t->ports[b->in_port].no_packet_in) {
		return;
	}
	memset(&u, 0, sizeof(u));
	/* One segment's worth at most, so control reads contiguous bytes. */
	room = rte_pktmbuf_data_room_size(p->m->pool) - RTE_PKTMBUF_HEADROOM;
	u.pkt = rte_pktmbuf_copy(p->m, p->m->pool, 0, RTE_MIN(p->m->pkt_len, room));
	if (unlikely(u.pkt == NULL)) {
		pmd->drops[DP_DROP_NO_MBUF]++;
		return;
	}
	u.type = DP_UPCALL_PACKET_IN;
	u.pmd = (uint8_t)pmd->idx;
	u.port = b->in_port;
	u.bridge = b->bridge;
	r = p->rule >= 0 ? dp_cls_rule(b->cls, (unsigned)p->rule) : NULL;
	u.reason = r != NULL && r->table_miss ? OFPR_NO_MATCH : OFPR_ACTION;
	u.table_id = r != NULL ? r->table : OFX_NO_TABLE;
	u.cookie = r != NULL ? r->cookie : UINT64_MAX;
	u.max_len = max_len;
	u.in_ofport = p->key->in_port;
	u.metadata = p->key->metadata;
	u.tunnel_id = p->key->tunnel_id;
	u.total_len = p->m->pkt_len;
	if (unlikely(rte_ring_sp_enqueue_elem(pmd->upcalls, &u, sizeof(u)) != 0)) {
		rte_pktmbuf_free(u.pkt);
		pmd->upcall_dropped++;
		pmd->drops[DP_DROP_UPCALL]++;
		return;
	}
	p->sent = true;
}

/* --- Ops. */

/* Runs one op now (an apply-action, or one from the action set). */
static void
ofx_apply(struct ofx_burst *b, struct ofx_pkt *p, const struct dp_action *a)
{
	switch (a->op) {
	case DP_OP_OUTPUT:
		/* Output to the input port takes IN_PORT [OpenFlow 1.3.5 7.2.1]. */
		if (a->arg != b->in_port) {
			ofx_note_port(b, p, (uint16_t)a->arg);
		}
		return;
	case DP_OP_IN_PORT:
		ofx_note_port(b, p, b->in_port);
		return;
	case DP_OP_FLOOD:
	case DP_OP_ALL:
		ofx_flood(b, p);
		return;
	case DP_OP_CONTROLLER:
		ofx_packet_in(b, p, (uint16_t)a->arg);
		return;
	case DP_OP_NORMAL:
		ofx_note_excl(b, p, a->op);
		return;
	case DP_OP_TABLE:
		/* Packet-outs only (no rule running): a rule cannot recurse. */
		if (p->rule < 0) {
			ofx_note_excl(b, p, a->op);
		}
		return;
	case DP_OP_SET_QUEUE:
		return;
	default:
		break;
	}
	/* Everything below rewrites the frame: noted outputs go first. */
	p->plain = false;
	if (p->n_ports != 0 || p->n_excl != 0) {
		ofx_settle(b, p, false, DP_DROP_OF_ACTION);
	}
	switch (a->op) {
	case DP_OP_SET_FIELD:
		ofx_set_field(p, a);
		break;
	case DP_OP_PUSH_VLAN:
		ofx_push_vlan(p, (uint16_t)a->arg);
		break;
	case DP_OP_POP_VLAN:
		ofx_pop_vlan(p);
		break;
	case DP_OP_DEC_NW_TTL:
	case DP_OP_SET_NW_TTL:
		ofx_ttl(p, a->op == DP_OP_DEC_NW_TTL, (uint8_t)a->arg);
		break;
	default:
		break;
	}
}

/* The action-set slot of write-action 'a'. */
static unsigned
ofx_slot(const struct dp_action *a)
{
	switch (a->op) {
	case DP_OP_SET_FIELD:
		return a->field < OFX_SLOT_FIELDS ? a->field : OFX_N_SLOTS;
	case DP_OP_POP_VLAN:
		return OFX_SLOT_POP;
	case DP_OP_PUSH_VLAN:
		return OFX_SLOT_PUSH;
	case DP_OP_DEC_NW_TTL:
		return OFX_SLOT_DEC_TTL;
	case DP_OP_SET_NW_TTL:
		return OFX_SLOT_SET_TTL;
	case DP_OP_SET_QUEUE:
		return OFX_SLOT_QUEUE;
	default:
		return OFX_SLOT_OUTPUT;
	}
}

/* Executes the action set in the order of [OpenFlow 1.3.5 5.10]. */
static void
ofx_action_set(struct ofx_burst *b, struct ofx_pkt *p)
{
	static const uint8_t before[] = {OFX_SLOT_POP, OFX_SLOT_PUSH, OFX_SLOT_DEC_TTL};
	uint64_t mask = p->set_mask, sets;
	unsigned i;

	p->set_mask = 0;
	for (i = 0; i < RTE_DIM(before); i++) {
		if ((mask & OFX_BIT(before[i])) && !p->dead) {
			ofx_apply(b, p, p->set[before[i]]);
		}
	}
	sets = mask & (OFX_FIELDS_MASK | OFX_BIT(OFX_SLOT_SET_TTL));
	while (sets != 0 && !p->dead) {
		i = (unsigned)__builtin_ctzll(sets);
		sets &= sets - 1;
		ofx_apply(b, p, p->set[i]);
	}
	if ((mask & OFX_BIT(OFX_SLOT_OUTPUT)) && !p->dead) {
		ofx_apply(b, p, p->set[OFX_SLOT_OUTPUT]);
	}
}

/* Runs the ops of one rule (or a packet-out); returns the GOTO_TABLE
 * table, or -1. */
static int
ofx_run_ops(struct ofx_burst *b, struct ofx_pkt *p, const struct dp_action *ops, uint16_t n)
{
	const struct dp_action *a;
	int next = -1;
	unsigned slot;
	uint16_t i;

	for (i = 0; i < n && !p->dead; i++) {
		a = &ops[i];
		if (a->in_set) {
			slot = ofx_slot(a);
			if (slot < OFX_N_SLOTS) {
				p->set[slot] = a;
				p->set_mask |= OFX_BIT(slot);
			}
			continue;
		}
		switch (a->op) {
		case DP_OP_CLEAR_ACTIONS:
			p->set_mask = 0;
			break;
		case DP_OP_WRITE_METADATA:
			p->key->metadata = (p->key->metadata & ~a->data.u64[1]) |
					   (a->data.u64[0] & a->data.u64[1]);
			break;
		case DP_OP_GOTO_TABLE:
			next = (int)a->arg;
			break;
		default:
			ofx_apply(b, p, a);
			break;
		}
	}
	return next;
}

/*
 * Records in cache entry 'e' what the walk of 'p' ended with, if it only
 * chose output ports (no rewrite, copy, packet-in, NORMAL or TABLE): a hit
 * then sends the frame there without walking (ofx_replay()).  The ports
 * were checked against the published tables (enabled, bridge, no_fwd),
 * so the result holds only under the same tables.
 */
static void
ofx_fill_result(const struct ofx_burst *b, const struct ofx_pkt *p, struct dp_ofemc_entry *e,
		enum dp_drop why)
{
	uint16_t i;

	e->plain = p->plain && p->n_ports <= DP_OFEMC_OUT;
	if (!e->plain) {
		return;
	}
	e->t = b->t;
	e->n_out = (uint8_t)p->n_ports;
	e->why = (uint8_t)why;
	for (i = 0; i < p->n_ports; i++) {
		e->out[i] = p->ports[i];
	}
}

/*
 * The walk of 'p' from rule 'rule' of table 0 (-1: a miss).  'hit': the
 * cache entry whose rules replace the lookups after the first; 'fill': the
 * entry to record the walk in (its key already written).  Consumes 'p->m'.
 */
static void
ofx_walk(struct ofx_burst *b, struct ofx_pkt *p, int32_t rule, const struct dp_ofemc_entry *hit,
	 struct dp_ofemc_entry *fill)
{
	const struct dp_action *ops;
	enum dp_drop why = DP_DROP_OF_ACTION;
	unsigned step, table = 0;
	uint16_t n_ops;
	int next;

	for (step = 0;; step++) {
		if (fill != NULL && step < DP_WALK_MAX) {
			fill->rules[step] = rule;
		}
		if (rule < 0) {
			why = DP_DROP_NO_MATCH;
			break;
		}
		dp_cls_count(b->cls, b->pmd->idx, (unsigned)rule, p->m->pkt_len, b->now);
		p->rule = rule;
		ops = dp_cls_rule_ops(b->cls, (unsigned)rule, &n_ops);
		next = ofx_run_ops(b, p, ops, n_ops);
		if (p->dead) {
			break;
		}
		/* Tables only go forward [5.1]; anything else ends the walk. */
		if (next <= (int)table || next >= DP_N_TABLES) {
			ofx_action_set(b, p);
			break;
		}
		table = (unsigned)next;
		if (hit != NULL) {
			rule = step + 1 < hit->n_rules ? hit->rules[step + 1] : -1;
		} else {
			rule = dp_cls_lookup(b->cls, (uint8_t)table, p->key);
		}
	}
	if (why != DP_DROP_NO_MATCH) {
		why = (enum dp_drop)p->nowhere;
	}
	if (fill != NULL && !p->dead && step < DP_WALK_MAX) {
		fill->n_rules = step + 1;
		fill->seq = b->seq;
		fill->cls = b->cls;
		ofx_fill_result(b, p, fill, why);
	}
	ofx_settle(b, p, true, p->dead ? (enum dp_drop)p->why : why);
}

/* --- Entry points. */

static void
ofx_burst_init(struct ofx_burst *b, struct pmd *pmd, const struct dp_tables *t,
	       const struct dp_cls *cls, uint16_t in_port, uint16_t bridge, uint64_t now)
{
	b->pmd = pmd;
	b->t = t;
	b->cls = cls;
	b->seq = __atomic_load_n(&pmd->dp->cls_seq, __ATOMIC_ACQUIRE);
	b->now = now;
	b->in_port = in_port;
	b->bridge = bridge;
	b->n_normal = 0;
}

/* Whether keys 'x' and 'y' are equal: eight 16-byte compares folded in a
 * tree (a word-by-word loop was a chain of sixteen and the top cost of a
 * hit, perf of-1flow). */
static inline bool
ofx_key_eq(const struct dp_flow_key *x, const struct dp_flow_key *y)
{
	const __m128i *a = (const __m128i *)(const void *)x;
	const __m128i *c = (const __m128i *)(const void *)y;
	__m128i d0, d1, d2, d3;

	_Static_assert(sizeof(*x) == 8 * sizeof(__m128i), "a key is eight 16-byte lanes");
	d0 = _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(a + 0), _mm_loadu_si128(c + 0)),
			  _mm_xor_si128(_mm_loadu_si128(a + 1), _mm_loadu_si128(c + 1)));
	d1 = _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(a + 2), _mm_loadu_si128(c + 2)),
			  _mm_xor_si128(_mm_loadu_si128(a + 3), _mm_loadu_si128(c + 3)));
	d2 = _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(a + 4), _mm_loadu_si128(c + 4)),
			  _mm_xor_si128(_mm_loadu_si128(a + 5), _mm_loadu_si128(c + 5)));
	d3 = _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(a + 6), _mm_loadu_si128(c + 6)),
			  _mm_xor_si128(_mm_loadu_si128(a + 7), _mm_loadu_si128(c + 7)));
	d0 = _mm_or_si128(_mm_or_si128(d0, d1), _mm_or_si128(d2, d3));
	return _mm_testz_si128(d0, d0) != 0;
}

static inline bool
ofx_emc_match(const struct dp_ofemc_entry *e, const struct ofx_burst *b,
	      const struct dp_flow_key *key)
{
	return e->cls == b->cls && e->seq == b->seq && ofx_key_eq(&e->key, key);
}

/*
 * Hits on entries with a plain result, in a burst: consecutive hits on
 * one entry (one flow's frames come in runs) add to the rules' counters
 * once, not once per frame.
 */
struct ofx_run {
	const struct dp_ofemc_entry *e; /* the entry of the run, NULL: none */
	uint32_t packets;               /* its frames so far */
	uint64_t bytes;                 /* their bytes */
};

static void
ofx_run_count(const struct ofx_burst *b, struct ofx_run *r)
{
	uint32_t k;

	if (r->e == NULL) {
		return;
	}
	for (k = 0; k < r->e->n_rules && r->e->rules[k] >= 0; k++) {
		dp_cls_count_n(b->cls, b->pmd->idx, (unsigned)r->e->rules[k], r->packets, r->bytes,
			       b->now);
	}
	r->e = NULL;
}

/* Sends 'm', a hit on 'e' (plain), where its walk sent it (or drops it, as
 * the walk did); its counts join run 'r'. */
static inline void
ofx_replay(struct ofx_burst *b, struct ofx_run *r, const struct dp_ofemc_entry *e,
	   struct rte_mbuf *m)
{
	uint32_t k;

	if (r->e != e) {
		ofx_run_count(b, r);
		r->e = e;
		r->packets = 0;
		r->bytes = 0;
	}
	r->packets++;
	r->bytes += m->pkt_len;
	if (unlikely(e->n_out == 0)) {
		ofx_drop(b, m, (enum dp_drop)e->why);
		return;
	}
	if (e->n_out > 1) {
		rte_mbuf_refcnt_update(m, (int16_t)(e->n_out - 1));
	}
	for (k = 0; k < e->n_out; k++) {
		pmd_tx(b->pmd, e->out[k], m);
	}
}

/* Walks the frames that missed the cache, table 0 looked up as a burst. */
static void
ofx_misses(struct ofx_burst *b, struct rte_mbuf **m, struct dp_flow_key *const *keys,
	   struct dp_ofemc_entry **fill, uint16_t n)
{
	int32_t rules[DP_BURST_MAX];
	struct ofx_pkt p;
	uint16_t i;

	dp_cls_lookup_burst(b->cls, 0, (const struct dp_flow_key *const *)keys, n, rules);
	for (i = 0; i < n; i++) {
		fill[i]->cls = NULL;
		fill[i]->plain = 0;
		fill[i]->key = *keys[i];
		ofx_pkt_init(&p, m[i], keys[i]);
		ofx_walk(b, &p, rules[i], NULL, fill[i]);
	}
}

/*
 * The exact-match cache's hash of 'key': the first seven words (ports,
 * Ethernet, VLAN, IPv4, L4, metadata, tunnel) and, for IPv6 only, the
 * IPv6 words. Equality still compares the whole key; hashing all 16 words
 * was a chain of 16 dependent crc32 and the top cost of a cache hit.
 */
static inline uint32_t
ofx_key_hash(const struct dp_flow_key *key)
{
	const uint64_t *w = (const uint64_t *)(const void *)key;
	uint32_t a, b;
	unsigned i;

	/* Two independent crc32 chains: each crc32 waits for the one before. */
	a = rte_hash_crc_8byte(w[0], 0);
	b = rte_hash_crc_8byte(w[4], 0x9e3779b9);
	a = rte_hash_crc_8byte(w[1], a);
	b = rte_hash_crc_8byte(w[5], b);
	a = rte_hash_crc_8byte(w[2], a);
	b = rte_hash_crc_8byte(w[6], b);
	a = rte_hash_crc_8byte(w[3], a);
	if (unlikely(key->eth_type == 0x86dd)) {
		for (i = 7; i < DP_KEY_WORDS; i++) {
			b = rte_hash_crc_8byte(w[i], b);
		}
	}
	return a ^ (b << 16 | b >> 16);
}

void
of_exec_burst(struct pmd *pmd, const struct dp_tables *t, const struct dp_cls *cls,
	      uint16_t in_port, struct rte_mbuf **pkts, uint16_t n, uint64_t now)
{
	struct dp_flow_key keys[DP_BURST_MAX], *miss_keys[DP_BURST_MAX];
	struct dp_ofemc_entry *e, *fill[DP_BURST_MAX];
	struct rte_mbuf *miss[DP_BURST_MAX];
	uint32_t ofport = t->ports[in_port].ofport;
	uint16_t i, n_miss = 0;
	uint32_t h;
	struct ofx_run run = {.e = NULL};
	struct ofx_burst b;
	struct ofx_pkt p;

	ofx_burst_init(&b, pmd, t, cls, in_port, t->ports[in_port].bridge, now);
	/*
	 * Keys are extracted for the whole burst before any is hashed: the
	 * hash reads 8-byte words that extraction wrote in smaller pieces, and
	 * reading them at once stalled on store forwarding (perf, of-1flow).
	 */
	for (i = 0; i < n; i++) {
		if (likely(pkts[i]->data_len >= PARSE_ETH_HDR_SIZE)) {
			dp_flow_extract_mbuf(pkts[i], ofport, &keys[i]);
		}
	}
	if (unlikely(t->ports[in_port].tunnel != DP_TNL_NONE)) {
		for (i = 0; i < n; i++) {
			const struct dp_tnl_md *md = dp_tnl_md(pkts[i]);

			keys[i].tunnel_id = md->tun_id;
			keys[i].tun_src = md->tun_src;
		}
	}
	for (i = 0; i < n; i++) {
		if (unlikely(pkts[i]->data_len < PARSE_ETH_HDR_SIZE)) {
			ofx_drop(&b, pkts[i], DP_DROP_RUNT);
			continue;
		}
		h = ofx_key_hash(&keys[i]);
		/* The flow's hash, for whoever wants one later (a tunnel's UDP
		 * source port), unless the port gave its RSS hash. */
		if (!(pkts[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH)) {
			pkts[i]->hash.rss = h;
			pkts[i]->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
		}
		e = &pmd->ofemc[h & (DP_OFEMC_SIZE - 1)];
		if (likely(ofx_emc_match(e, &b, &keys[i]))) {
			pmd->emc_hits++;
			if (likely(e->plain && e->t == t)) {
				ofx_replay(&b, &run, e, pkts[i]);
				continue;
			}
			ofx_pkt_init(&p, pkts[i], &keys[i]);
			ofx_walk(&b, &p, e->rules[0], e, NULL);
			continue;
		}
		pmd->emc_misses++;
		miss_keys[n_miss] = &keys[i];
		fill[n_miss] = e;
		miss[n_miss++] = pkts[i];
	}
	ofx_run_count(&b, &run);
	if (n_miss != 0) {
		ofx_misses(&b, miss, miss_keys, fill, n_miss);
	}
	ofx_normal_flush(&b);
}

/* Runs one packet-out's ops on its frame. */
static void
ofx_pktout(struct pmd *pmd, const struct dp_tables *t, const struct dp_pktout *po, uint64_t now)
{
	const struct dp_cls *cls = NULL;
	struct dp_flow_key key;
	struct ofx_burst b;
	struct ofx_pkt p;
	uint32_t ofport = OFPP_CONTROLLER;

	if (po->bridge < DP_MAX_BRIDGES) {
		cls = __atomic_load_n(&pmd->dp->cls[po->bridge], __ATOMIC_ACQUIRE);
	}
	ofx_burst_init(&b, pmd, t, cls, po->in_port, po->bridge, now);
	if (po->in_port < DP_MAX_PORTS) {
		ofport = t->ports[po->in_port].ofport;
	}
	dp_flow_extract_mbuf(po->m, ofport, &key);
	ofx_pkt_init(&p, po->m, &key);
	ofx_run_ops(&b, &p, po->ops, po->n_ops);
	ofx_settle(&b, &p, true, p.dead ? (enum dp_drop)p.why : (enum dp_drop)p.nowhere);
	ofx_normal_flush(&b);
}

void
of_exec_pktout_drain(struct pmd *pmd, const struct dp_tables *t, uint64_t now)
{
	struct dp_pktout po;
	unsigned i;

	for (i = 0; i < OFX_DRAIN_MAX; i++) {
		if (rte_ring_sc_dequeue_elem(pmd->pktout, &po, sizeof(po)) != 0) {
			break;
		}
		ofx_pktout(pmd, t, &po, now);
	}
}
