/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_hdr.h - VXLAN over IPv4 packet format on plain byte buffers: a
 * per-tunnel header template and per-packet encapsulation, the outer
 * source port choice, the receive-side parse of the outer headers, and
 * MTU arithmetic. The datapath's encap/decap burst stages build on these.
 *
 * Spec: RFC 7348 section 5, with RFC 791, RFC 768 and RFC 1624 for the
 * outer headers. Interoperates with the Linux kernel's vxlan device in its
 * default configuration: UDP checksum 0 over IPv4, IPv4 id 0, TTL 64.
 *
 * Pure C (no DPDK): host-order structs in, wire bytes out.
 *
 * Limits: IPv4 underlay only; no outer VLAN tag on transmit (one 802.1Q tag
 * is accepted on receipt); no VXLAN extensions (GBP, GPE); the receive
 * parse does not verify a nonzero outer UDP checksum (RFC 7348 lets a
 * receiver skip it only when it is zero: the caller must rely on the NIC's
 * checksum offload or check it itself), accepts only unicast to
 * 'local_ip', and requires the UDP length to match the IPv4 payload
 * exactly (Linux trims a longer IPv4 payload instead).
 */
#ifndef VIREO_VXLAN_HDR_H
#define VIREO_VXLAN_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/vxlan/vxlan_wire.h"

/** TTL used when the parameters give 0, as Linux's vxlan device defaults. */
#define VXLAN_DEFAULT_TTL 64

/** Outer UDP source port range [RFC 7348, 5: dynamic/private ports]. */
#define VXLAN_SRC_PORT_MIN 49152
#define VXLAN_SRC_PORT_MAX 65535

/** Largest inner frame whose outer IPv4 total length still fits 16 bits. */
#define VXLAN_INNER_SIZE_MAX \
	(UINT16_MAX - VXLAN_IPV4_HDR_SIZE - VXLAN_UDP_HDR_SIZE - VXLAN_HDR_SIZE)

/** What one tunnel puts in front of every frame it sends; host order. */
struct vxlan_tmpl_params {
	uint8_t src_mac[6]; /* Outer source MAC: the underlay port. */
	uint8_t dst_mac[6]; /* Outer destination MAC: next hop to the remote VTEP. */
	uint32_t local_ip;  /* Outer IPv4 source, host order. */
	uint32_t remote_ip; /* Outer IPv4 destination, host order. */
	uint32_t vni;       /* VXLAN Network Identifier, 0..VXLAN_VNI_MAX. */
	uint16_t dst_port;  /* UDP destination port; 0 means VXLAN_UDP_PORT. */
	uint8_t tos;        /* Outer IPv4 TOS byte. */
	uint8_t ttl;        /* Outer IPv4 TTL; 0 means VXLAN_DEFAULT_TTL. */
	bool df;            /* Set the IPv4 Don't Fragment flag. */
};

/**
 * A tunnel's 50 encapsulation bytes with the per-packet fields (IPv4 total
 * length and checksum, UDP source port and length) zero, and the IPv4
 * header sum over the fixed fields, so that encapsulation only copies and
 * patches. Built by the control thread, read-only afterwards.
 */
struct vxlan_tmpl {
	uint8_t hdr[VXLAN_OVERHEAD_SIZE]; /* Outer Eth, IPv4, UDP and VXLAN headers. */
	uint16_t ip_sum;                  /* Folded one's complement sum of the IPv4 header. */
};

/** Why a received frame is not a VXLAN packet for us: X(name, text). */
#define VXLAN_ERR_LIST(X)                                                   \
	X(TRUNCATED, "frame shorter than its headers say")                  \
	X(NOT_IPV4, "outer EtherType is not IPv4")                          \
	X(BAD_IP_HEADER, "bad IPv4 version, header length or total length") \
	X(BAD_CHECKSUM, "bad IPv4 header checksum")                         \
	X(FRAGMENT, "IPv4 fragment")                                        \
	X(NOT_UDP, "IPv4 protocol is not UDP")                              \
	X(NOT_LOCAL, "IPv4 destination is not the local VTEP")              \
	X(WRONG_PORT, "UDP destination port is not the VXLAN port")         \
	X(BAD_UDP_LENGTH, "UDP length does not match the IPv4 payload")     \
	X(NO_VNI_FLAG, "VXLAN I flag clear")                                \
	X(INNER_TOO_SHORT, "inner frame shorter than an Ethernet header")

/** Result of vxlan_decap_parse(); VXLAN_ERR_OK is success. */
enum vxlan_err {
	VXLAN_ERR_OK = 0,
#define VXLAN_ERR_ENUM(name, text) VXLAN_ERR_##name,
	VXLAN_ERR_LIST(VXLAN_ERR_ENUM)
#undef VXLAN_ERR_ENUM
	    VXLAN_ERR_MAX
};

/** What the outer headers of a received VXLAN packet said; host order. */
struct vxlan_outer {
	uint8_t src_mac[6];  /* Outer Ethernet source. */
	uint8_t dst_mac[6];  /* Outer Ethernet destination. */
	bool vlan_present;   /* The outer frame carried one 802.1Q tag. */
	uint16_t vlan_tci;   /* That tag's TCI, 0 without a tag. */
	uint32_t src_ip;     /* Outer IPv4 source: the remote VTEP. */
	uint32_t dst_ip;     /* Outer IPv4 destination: 'local_ip'. */
	uint8_t tos;         /* Outer IPv4 TOS byte. */
	uint8_t ttl;         /* Outer IPv4 TTL. */
	uint16_t src_port;   /* Outer UDP source port. */
	uint32_t vni;        /* VXLAN Network Identifier. */
	uint8_t flags;       /* VXLAN flags byte as received. */
	bool reserved_set;   /* Some reserved VXLAN bit was nonzero (ignored). */
	size_t inner_offset; /* Offset of the inner Ethernet frame in the buffer. */
	size_t inner_size;   /* Size of the inner frame, without outer padding. */
};

/**
 * Fill 't' from 'p' (both borrowed). Returns 0, or -EINVAL when the VNI is
 * above VXLAN_VNI_MAX ('t' is then left unchanged). Any thread.
 */
int vxlan_tmpl_build(struct vxlan_tmpl *t, const struct vxlan_tmpl_params *p);

/**
 * Write the 50 encapsulation bytes of 't' at 'hdr50', which the caller has
 * reserved directly in front of an inner Ethernet frame of 'inner_size'
 * bytes (at most VXLAN_INNER_SIZE_MAX), with UDP source port 'src_port'.
 * Sets the IPv4 total length and checksum (patched from the template's sum
 * per RFC 1624) and the UDP length; the UDP checksum stays 0. Any PMD,
 * lock-free ('t' is read-only).
 */
void vxlan_encap(const struct vxlan_tmpl *t, uint8_t *hdr50, uint16_t inner_size,
		 uint16_t src_port);

/**
 * The outer UDP source port for an inner flow whose hash is 'flow_hash':
 * always in VXLAN_SRC_PORT_MIN..VXLAN_SRC_PORT_MAX (49152..65535, RFC
 * 7348's recommended range; Linux defaults to its local port range,
 * 32768..60999, which a receiver cannot tell apart). The same hash always
 * gives the same port, so one flow keeps one underlay ECMP path. The hash
 * is mixed first, so weak hashes (small counters) still spread. Any thread.
 */
uint16_t vxlan_src_port(uint32_t flow_hash);

/**
 * Check that 'frame' ('frame_size' bytes, borrowed) is a VXLAN-over-IPv4
 * packet for the VTEP 'local_ip' (host order) on UDP port 'dst_port', and
 * fill 'out' from its outer headers. The outer Ethernet header may carry
 * one 802.1Q tag and the frame may be padded after the IPv4 datagram; IPv4
 * options are skipped. Reserved VXLAN bits are ignored but recorded.
 * Returns VXLAN_ERR_OK, or the first reason the frame is refused ('out' is
 * then partly filled). Any thread.
 */
enum vxlan_err vxlan_decap_parse(const uint8_t *frame, size_t frame_size, uint32_t local_ip,
				 uint16_t dst_port, struct vxlan_outer *out);

/** Static name of 'err', e.g. "VXLAN_ERR_TRUNCATED"; "?" when out of range. */
const char *vxlan_err_name(enum vxlan_err err);

/** Static description of 'err' for logs and the CLI. */
const char *vxlan_err_text(enum vxlan_err err);

/** Bytes vxlan_encap() puts in front of the inner frame: always 50. */
size_t vxlan_overhead(void);

/**
 * The largest inner IP packet (the inner interface's MTU) a tunnel can
 * carry over an underlay whose IP MTU is 'underlay_mtu', without
 * fragmenting: 'underlay_mtu' - 50. The outer IPv4 packet is 20 (IPv4) +
 * 8 (UDP) + 8 (VXLAN) + 14 (inner Ethernet header) + the inner IP packet,
 * so 50 is reached with the inner Ethernet header in place of the outer
 * one, which the underlay MTU does not count. An inner 802.1Q tag costs 4
 * bytes more, which this (like Linux) does not subtract. Returns 0 when
 * 'underlay_mtu' is 50 or less. Any thread.
 */
unsigned vxlan_inner_mtu(unsigned underlay_mtu);

#endif /* VIREO_VXLAN_HDR_H */
