/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_match.h - the OpenFlow 1.3 flow match (struct ofp_match, OXM TLVs)
 * decoded into a version-neutral struct of_match and encoded back
 * [OpenFlow 1.3.5, 7.2.3].
 *
 * Decoding checks what the spec asks of a switch: lengths, padding,
 * duplicate fields, masks only on maskable fields and no value bit set
 * where the mask is 0 (7.2.3.5), value ranges, and prerequisites
 * (7.2.3.6, table 12). The order of the TLVs is kept so that encoding gives
 * back the very bytes that were decoded.
 *
 * Limits: besides the OpenFlow basic class, only Open vSwitch's tunnel
 * endpoint fields NXM_NX_TUN_IPV4_SRC and NXM_NX_TUN_IPV4_DST (class
 * OFPXMC_NXM_1, as ovs-ofctl -O OpenFlow13 sends tun_src and tun_dst) are
 * accepted, under the pseudo field numbers OF_FIELD_TUN_SRC/DST; every
 * other class is refused with BAD_FIELD. The MPLS, PBB and IPv6 extension
 * header fields (34-37, 39) are refused with BAD_FIELD as the datapath
 * does not match them. Prerequisites are checked over the whole match,
 * not against the TLV order (as Open vSwitch does).
 */
#ifndef VIREO_OF_MATCH_H
#define VIREO_OF_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_err.h"

/**
 * Field numbers. 0-39 are the OXM basic field numbers (enum
 * oxm_ofb_match_fields); the Nicira fields vireo supports follow them, so
 * that every field, whatever its OXM class, has one bit in the bitmaps of
 * struct of_match and one entry in tables indexed by field number. Only the
 * codecs know the class and field a pseudo number stands for (see
 * of_match_field_oxm_header() and of_match_field_from_oxm()).
 */
#define OF_FIELD_TUN_SRC 40 /* NXM_NX_TUN_IPV4_SRC (class 0x0001, field 31). */
#define OF_FIELD_TUN_DST 41 /* NXM_NX_TUN_IPV4_DST (class 0x0001, field 32). */

/** All field numbers, basic and pseudo, fit below this. */
#define OF_MATCH_N_FIELDS 42

/** Match field values (or masks), in host order; MACs and IPv6 as bytes. */
struct of_match_fields {
	uint32_t in_port;           /* Switch input port. */
	uint32_t in_phy_port;       /* Switch physical input port. */
	uint64_t metadata;          /* Metadata passed between tables. */
	uint8_t eth_dst[6];         /* Ethernet destination address. */
	uint8_t eth_src[6];         /* Ethernet source address. */
	uint16_t eth_type;          /* Ethernet frame type. */
	uint16_t vlan_vid;          /* VLAN id, with OFPVID_PRESENT when tagged. */
	uint8_t vlan_pcp;           /* VLAN priority (3 bits). */
	uint8_t ip_dscp;            /* IP DSCP (6 bits). */
	uint8_t ip_ecn;             /* IP ECN (2 bits). */
	uint8_t ip_proto;           /* IP protocol. */
	uint32_t ipv4_src;          /* IPv4 source address. */
	uint32_t ipv4_dst;          /* IPv4 destination address. */
	uint16_t tcp_src;           /* TCP source port. */
	uint16_t tcp_dst;           /* TCP destination port. */
	uint16_t udp_src;           /* UDP source port. */
	uint16_t udp_dst;           /* UDP destination port. */
	uint16_t sctp_src;          /* SCTP source port. */
	uint16_t sctp_dst;          /* SCTP destination port. */
	uint8_t icmpv4_type;        /* ICMP type. */
	uint8_t icmpv4_code;        /* ICMP code. */
	uint16_t arp_op;            /* ARP opcode. */
	uint32_t arp_spa;           /* ARP source IPv4 address. */
	uint32_t arp_tpa;           /* ARP target IPv4 address. */
	uint8_t arp_sha[6];         /* ARP source hardware address. */
	uint8_t arp_tha[6];         /* ARP target hardware address. */
	uint8_t ipv6_src[16];       /* IPv6 source address. */
	uint8_t ipv6_dst[16];       /* IPv6 destination address. */
	uint32_t ipv6_flabel;       /* IPv6 flow label (20 bits). */
	uint8_t icmpv6_type;        /* ICMPv6 type. */
	uint8_t icmpv6_code;        /* ICMPv6 code. */
	uint8_t ipv6_nd_target[16]; /* Target address for ND. */
	uint8_t ipv6_nd_sll[6];     /* Source link-layer address for ND. */
	uint8_t ipv6_nd_tll[6];     /* Target link-layer address for ND. */
	uint64_t tunnel_id;         /* Logical port metadata (e.g. VNI). */
	uint32_t tun_src;           /* Tunnel outer IPv4 source (NXM). */
	uint32_t tun_dst;           /* Tunnel outer IPv4 destination (NXM). */
};

/** A decoded match: which fields, their values and masks, and TLV order. */
struct of_match {
	uint64_t present;                 /* Bit n: field number n is matched. */
	uint64_t masked;                  /* Bit n: field n came with a mask. */
	struct of_match_fields value;     /* Values; zero where not present. */
	struct of_match_fields mask;      /* Masks; all-ones when exact, zero when absent. */
	uint8_t n_fields;                 /* Entries in 'order'. */
	uint8_t order[OF_MATCH_N_FIELDS]; /* Field numbers in wire order. */
};

/**
 * Decode the struct ofp_match at the start of 'buf' ('size' bytes,
 * borrowed) into 'out'. On OF_ERR_NONE, '*match_size' is the bytes taken,
 * padding included (a multiple of 8). Errors are BAD_MATCH_* as the spec
 * names them: BAD_TYPE (not OFPMT_OXM), BAD_LEN (lengths, truncation,
 * padding not zero), BAD_FIELD (unknown class or field), DUP_FIELD,
 * BAD_MASK (mask on an unmaskable field, or beyond the field's bits),
 * BAD_WILDCARDS (value bit set where the mask is 0), BAD_VALUE (value out
 * of range) and BAD_PREREQ. Control thread; no state.
 */
enum of_err of_match_decode(const uint8_t *buf, size_t size, struct of_match *out,
			    size_t *match_size);

/** Bytes of_match_encode() writes for 'match', padding included. */
size_t of_match_encoded_size(const struct of_match *match);

/**
 * Encode 'match' as a struct ofp_match with zero padding into 'buf'. Fields
 * are written in 'match->order'. Returns the size or -ENOSPC.
 */
int of_match_encode(const struct of_match *match, uint8_t *buf, size_t buf_size);

/**
 * The integer field of 'size' bytes (1, 2, 4 or 8) at 'src', stored in its
 * own host-order C type as struct of_match_fields keeps integers. Any thread.
 */
uint64_t of_match_num_get(const void *src, unsigned size);

/** Stores 'v' as the integer field of 'size' bytes at 'dst' (see of_match_num_get()). */
void of_match_num_put(void *dst, unsigned size, uint64_t v);

/** Name of field number 'field' ("eth_dst", "tun_src"), or NULL when unsupported. */
const char *of_match_field_name(unsigned field);

/** Value size on the wire of field number 'field', or 0 when unsupported. */
unsigned of_match_field_size(unsigned field);

/** Whether field number 'field' takes a mask [7.2.3.7, table 11]; false when unsupported. */
bool of_match_field_maskable(unsigned field);

/**
 * The field number of the OXM TLV with class 'oxm_class' and field
 * 'oxm_field' (OFPXMC_OPENFLOW_BASIC and a basic field, or OFPXMC_NXM_1
 * and NXM_NX_TUN_IPV4_SRC/DST), or -1 when vireo does not support it.
 * Any thread.
 */
int of_match_field_from_oxm(uint16_t oxm_class, uint8_t oxm_field);

/**
 * The OXM TLV header of supported field number 'field' with 'hasmask' and
 * a payload of 'length' bytes: its class and field on the wire (class
 * 0x0001 for the Nicira fields). Any thread.
 */
uint32_t of_match_field_oxm_header(unsigned field, bool hasmask, uint8_t length);

#endif /* VIREO_OF_MATCH_H */
