/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_stage.h - VXLAN encapsulation and decapsulation as burst stages on
 * mbufs, built on the pure-C header code of protocols/vxlan/vxlan_hdr.h.
 *
 * Spec: RFC 7348 section 5 (VXLAN over IPv4); see vxlan_hdr.h for the
 * outer header choices (UDP checksum 0, IPv4 id 0, Linux defaults).
 *
 * Both stages sort a burst into two caller arrays: 'ok' (transformed in
 * place, in input order) and 'dropped' (untouched, with a named reason per
 * frame in 'why'). Every input mbuf lands in exactly one of them; the
 * stages never free: the caller counts the reasons and frees the drops,
 * as it owns the per-PMD counters. Not yet wired into pipeline.c.
 *
 * Limits: IPv4 underlay only (vxlan_hdr.h); encapsulation writes into the
 * first segment's headroom, so the mbuf must not be shared (refcnt 1,
 * direct) -- the caller copies a frame that several outputs send;
 * decapsulation handles single-segment frames only; the software flow hash
 * looks at one 802.1Q tag at most and does not walk IPv6 extension
 * headers.
 */
#ifndef VIREO_DATAPATH_VXLAN_STAGE_H
#define VIREO_DATAPATH_VXLAN_STAGE_H

#include <stdint.h>

#include "protocols/vxlan/vxlan_hdr.h"

struct rte_mbuf;

/*
 * Why a stage dropped a frame: X(name, text). The stage's own reasons
 * come first; the decapsulation parse errors follow, one per
 * VXLAN_ERR_LIST entry with the same name, order and text.
 */
#define VXLAN_STAGE_DROP_OWN(X)                                       \
	X(TOO_BIG, "outer IPv4 packet would exceed the underlay MTU") \
	X(NO_HEADROOM, "fewer than 50 bytes of headroom")             \
	X(NOT_CONTIGUOUS, "multi-segment frame on decapsulation")

/** Named drop reasons of both stages; VXLAN_DROP_NONE is not a drop. */
enum vxlan_drop {
	VXLAN_DROP_NONE = 0,
#define VXLAN_DROP_ENUM(e, s) VXLAN_DROP_##e,
	VXLAN_STAGE_DROP_OWN(VXLAN_DROP_ENUM)
#undef VXLAN_DROP_ENUM
#define VXLAN_DROP_ERR_ENUM(e, s) VXLAN_DROP_##e,
	    VXLAN_ERR_LIST(VXLAN_DROP_ERR_ENUM)
#undef VXLAN_DROP_ERR_ENUM
		VXLAN_DROP_MAX
};

/** Where a stage puts the frames of one burst; the caller owns the arrays. */
struct vxlan_stage_out {
	struct rte_mbuf **ok;      /* Frames passed on, room for the burst; may be 'pkts'. */
	struct rte_mbuf **dropped; /* Frames refused, room for the burst; not 'pkts'. */
	uint8_t *why;              /* enum vxlan_drop of each 'dropped' entry. */
	uint16_t n_ok;             /* Set by the stage: entries written to 'ok'. */
	uint16_t n_dropped;        /* Set by the stage: entries written to 'dropped'. */
};

/** The local end of VXLAN tunnels, as decapsulation matches it; host order. */
struct vxlan_decap_conf {
	uint32_t local_ip; /* Outer IPv4 destination that is ours. */
	uint16_t dst_port; /* UDP port we listen on; 0 means VXLAN_UDP_PORT. */
};

/** What decapsulation learnt about one passed frame; host order. */
struct vxlan_rx_meta {
	uint32_t vni;       /* VXLAN Network Identifier, for the caller to map. */
	uint32_t remote_ip; /* Outer IPv4 source: the sending VTEP. */
};

/**
 * Encapsulate the 'n' inner Ethernet frames of 'pkts' for tunnel 't'
 * (borrowed, read-only) over an underlay of IP MTU 'underlay_mtu'.
 *
 * The inner size is the frame's pkt_len (Ethernet header included, no
 * FCS). The frame is dropped VXLAN_DROP_TOO_BIG when the outer IPv4 packet
 * would exceed the MTU, i.e. when pkt_len + 36 (IPv4 20, UDP 8, VXLAN 8)
 * > 'underlay_mtu' -- the outer Ethernet header, like any L2 header, is
 * not counted -- and VXLAN_DROP_NO_HEADROOM when the first segment has
 * fewer than 50 bytes of headroom; a dropped frame is left untouched.
 * Otherwise 50 bytes are prepended to the first segment and filled by
 * vxlan_encap(): lengths and IPv4 checksum in software, UDP checksum 0.
 * The UDP source port is vxlan_src_port() of the inner flow hash: the
 * NIC's RSS hash when RTE_MBUF_F_RX_RSS_HASH is set, otherwise a CRC32-C
 * of the inner addresses (IPv4/IPv6, after at most one 802.1Q tag) and,
 * for unfragmented TCP/UDP/SCTP, the ports; of the MAC addresses and
 * EtherType for other frames. On success l2_len = 14, l3_len = 20,
 * packet_type says Ethernet/IPv4/UDP/VXLAN and no TX offload flag is left.
 *
 * Consumes 'pkts' into 'out' (see struct vxlan_stage_out); returns
 * out->n_ok. Any PMD, lock-free; no allocation.
 */
uint16_t vxlan_stage_encap(const struct vxlan_tmpl *t, uint16_t underlay_mtu,
			   struct rte_mbuf **pkts, uint16_t n, struct vxlan_stage_out *out);

/**
 * Decapsulate the 'n' frames of 'pkts' received for VTEP 'conf'
 * (borrowed). Each frame is checked by vxlan_decap_parse() over its first
 * segment; a multi-segment frame is dropped VXLAN_DROP_NOT_CONTIGUOUS and
 * a refused one under the reason named like its vxlan_err (see
 * vxlan_drop_from_err()), untouched. A passed frame is cut down to its
 * inner Ethernet frame (outer headers removed, outer padding trimmed),
 * its packet_type and RX checksum flags cleared, and 'meta[i]' filled for
 * 'out->ok[i]'. The VNI is not checked: mapping VNI and remote_ip to a
 * tunnel port (or dropping) is the caller's. 'meta' has room for 'n'.
 *
 * Consumes 'pkts' into 'out'; returns out->n_ok. Any PMD, lock-free.
 */
uint16_t vxlan_stage_decap(const struct vxlan_decap_conf *conf, struct rte_mbuf **pkts, uint16_t n,
			   struct vxlan_stage_out *out, struct vxlan_rx_meta *meta);

/** The drop reason for parse error 'err'; VXLAN_DROP_NONE for VXLAN_ERR_OK. */
enum vxlan_drop vxlan_drop_from_err(enum vxlan_err err);

/** Static name of 'd', e.g. "TOO_BIG" or "WRONG_PORT"; "?" when out of range. */
const char *vxlan_drop_name(enum vxlan_drop d);

/** Static description of 'd' for logs and the CLI; "?" when out of range. */
const char *vxlan_drop_text(enum vxlan_drop d);

#endif /* VIREO_DATAPATH_VXLAN_STAGE_H */
