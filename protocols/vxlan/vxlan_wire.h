/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_wire.h - VXLAN wire names: the outer Ethernet, IPv4 and UDP
 * headers a VXLAN packet travels in, and the VXLAN header itself.
 *
 * Specs: RFC 7348 (VXLAN) section 5, RFC 791 (IPv4) section 3.1, RFC 768
 * (UDP), RFC 1071/1624 (Internet checksum), IEEE 802.1Q (VLAN tag). Every
 * multi-byte field on the wire is big-endian. As in of_wire.h, code never
 * overlays these structs on a packet buffer (it may be unaligned): it reads
 * and writes bytes through vxlan_get_be*()/vxlan_put_be*(), and the struct
 * layouts document the RFCs and pin the sizes. The fields are plain
 * uint16_t/uint32_t rather than rte_be16_t/rte_be32_t because this header
 * is pure C with no DPDK; every such field is big-endian on the wire.
 *
 * VXLAN over IPv4, as RFC 7348 section 5 draws it (outer Ethernet header,
 * outer IPv4 header, outer UDP header, then this header, then the inner
 * Ethernet frame):
 *
 *   VXLAN Header:
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|R|R|R|I|R|R|R|            Reserved                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                VXLAN Network Identifier (VNI) |   Reserved    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   Flags (8 bits): the I flag MUST be set to 1 for a valid VNI; the
 *   other 7 bits (R) MUST be zero on transmission and ignored on receipt.
 *   VNI (24 bits). Reserved fields (24 and 8 bits): zero on transmission,
 *   ignored on receipt.
 *
 *   Outer UDP header: source port "calculated using a hash of fields from
 *   the inner packet", recommended in the dynamic/private range
 *   49152-65535; destination port 4789 (IANA); checksum SHOULD be
 *   transmitted as zero over IPv4, and a receiver MUST accept zero.
 *   Outer IPv4 header: protocol 17 (UDP), destination the remote VTEP.
 */
#ifndef VIREO_VXLAN_WIRE_H
#define VIREO_VXLAN_WIRE_H

#include <stddef.h>
#include <stdint.h>

/** IANA-assigned VXLAN UDP destination port [RFC 7348, 5]. */
#define VXLAN_UDP_PORT 4789

/** The I flag: the VNI field is valid [RFC 7348, 5]. */
#define VXLAN_FLAG_I 0x08

/** Largest VNI: the field is 24 bits wide. */
#define VXLAN_VNI_MAX 0xffffffu

/** Ethernet header without VLAN tag: dst MAC, src MAC, EtherType. */
#define VXLAN_ETH_HDR_SIZE 14
/** One IEEE 802.1Q tag: TPID 0x8100 and the TCI. */
#define VXLAN_VLAN_TAG_SIZE 4
/** IPv4 header without options (IHL 5) [RFC 791, 3.1]. */
#define VXLAN_IPV4_HDR_SIZE 20
/** UDP header [RFC 768]. */
#define VXLAN_UDP_HDR_SIZE 8
/** VXLAN header [RFC 7348, 5]. */
#define VXLAN_HDR_SIZE 8
/** Everything vireo puts in front of the inner frame: 14 + 20 + 8 + 8. */
#define VXLAN_OVERHEAD_SIZE \
	(VXLAN_ETH_HDR_SIZE + VXLAN_IPV4_HDR_SIZE + VXLAN_UDP_HDR_SIZE + VXLAN_HDR_SIZE)

/** Offsets of the outer headers inside the 50 encapsulation bytes. */
#define VXLAN_OFF_IPV4  VXLAN_ETH_HDR_SIZE
#define VXLAN_OFF_UDP   (VXLAN_OFF_IPV4 + VXLAN_IPV4_HDR_SIZE)
#define VXLAN_OFF_VXLAN (VXLAN_OFF_UDP + VXLAN_UDP_HDR_SIZE)

/** EtherTypes the outer header may carry. */
#define VXLAN_ETHERTYPE_IPV4 0x0800
#define VXLAN_ETHERTYPE_VLAN 0x8100

/** IPv4 protocol number of UDP. */
#define VXLAN_IPPROTO_UDP 17

/** IPv4 flags and fragment offset field [RFC 791, 3.1]. */
#define VXLAN_IPV4_DF               0x4000
#define VXLAN_IPV4_MF               0x2000
#define VXLAN_IPV4_FRAG_OFFSET_MASK 0x1fff

/** Ethernet header; 'type' big-endian. */
struct vxlan_eth_hdr {
	uint8_t dst[6]; /* Destination MAC: the next hop toward the remote VTEP. */
	uint8_t src[6]; /* Source MAC: the underlay port's address. */
	uint16_t type;  /* EtherType, VXLAN_ETHERTYPE_IPV4 here. */
};
_Static_assert(sizeof(struct vxlan_eth_hdr) == VXLAN_ETH_HDR_SIZE, "eth header is 14 bytes");

/** IPv4 header without options [RFC 791, 3.1]; multi-byte fields big-endian. */
struct vxlan_ipv4_hdr {
	uint8_t version_ihl; /* Version (4) in the high nibble, IHL in 32-bit words. */
	uint8_t tos;         /* Type of service (DSCP and ECN). */
	uint16_t total_len;  /* Header plus payload, in bytes. */
	uint16_t id;         /* Identification; 0 here, as datagrams are not fragmented. */
	uint16_t frag;       /* Flags (DF, MF) and fragment offset in 8-byte units. */
	uint8_t ttl;         /* Time to live. */
	uint8_t protocol;    /* VXLAN_IPPROTO_UDP. */
	uint16_t checksum;   /* One's complement of the one's complement header sum. */
	uint32_t src;        /* Local VTEP address. */
	uint32_t dst;        /* Remote VTEP address. */
};
_Static_assert(sizeof(struct vxlan_ipv4_hdr) == VXLAN_IPV4_HDR_SIZE, "ipv4 header is 20 bytes");

/** UDP header [RFC 768]; fields big-endian. */
struct vxlan_udp_hdr {
	uint16_t src_port; /* Entropy from the inner flow's hash. */
	uint16_t dst_port; /* VXLAN_UDP_PORT unless configured otherwise. */
	uint16_t len;      /* UDP header plus payload, in bytes. */
	uint16_t checksum; /* 0: no checksum, allowed over IPv4. */
};
_Static_assert(sizeof(struct vxlan_udp_hdr) == VXLAN_UDP_HDR_SIZE, "udp header is 8 bytes");

/** VXLAN header [RFC 7348, 5]. */
struct vxlan_hdr {
	uint8_t flags;        /* VXLAN_FLAG_I; the other bits reserved. */
	uint8_t reserved1[3]; /* Zero on transmission, ignored on receipt. */
	uint8_t vni[3];       /* VXLAN Network Identifier, big-endian. */
	uint8_t reserved2;    /* Zero on transmission, ignored on receipt. */
};
_Static_assert(sizeof(struct vxlan_hdr) == VXLAN_HDR_SIZE, "vxlan header is 8 bytes");

/** Read a big-endian 16-bit field at 'p' (any alignment). */
static inline uint16_t
vxlan_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/** Read a big-endian 24-bit field at 'p' (any alignment), e.g. the VNI. */
static inline uint32_t
vxlan_get_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/** Read a big-endian 32-bit field at 'p' (any alignment). */
static inline uint32_t
vxlan_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | vxlan_get_be24(p + 1);
}

/** Write 'v' big-endian at 'p' (any alignment). */
static inline void
vxlan_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/** Write the low 24 bits of 'v' big-endian at 'p' (any alignment). */
static inline void
vxlan_put_be24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

/** Write 'v' big-endian at 'p' (any alignment). */
static inline void
vxlan_put_be32(uint8_t *p, uint32_t v)
{
	vxlan_put_be16(p, (uint16_t)(v >> 16));
	vxlan_put_be16(p + 2, (uint16_t)v);
}

#endif /* VIREO_VXLAN_WIRE_H */
