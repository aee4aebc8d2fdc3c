/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse.h - Ethernet header parsing for the datapath.
 *
 * Pure C over a byte buffer so that it can be tested without DPDK.  It
 * reads the destination and source MAC, up to two VLAN tags (802.1Q
 * 0x8100, 802.1ad 0x88a8 and the old QinQ 0x9100), and the EtherType that
 * follows them.  A frame too short for what its headers announce is
 * refused rather than guessed at.
 */
#ifndef VIREO_DATAPATH_PARSE_H
#define VIREO_DATAPATH_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#define PARSE_ETH_HDR_SIZE  14
#define PARSE_VLAN_HDR_SIZE 4
#define PARSE_MAX_VLANS     2

/** What the datapath learns about a frame's L2 headers. */
struct parse_eth {
	uint8_t dst[6];                      /* destination MAC */
	uint8_t src[6];                      /* source MAC */
	uint16_t eth_type;                   /* EtherType after all VLAN tags, host order */
	uint16_t l2_size;                    /* bytes of Ethernet and VLAN headers */
	uint8_t n_vlans;                     /* VLAN tags present, 0..PARSE_MAX_VLANS */
	uint16_t vlan_tpid[PARSE_MAX_VLANS]; /* TPID of each tag, outermost first */
	uint16_t vlan_tci[PARSE_MAX_VLANS];  /* TCI of each tag, host order */
};

/** Why parse_eth() refused a frame. */
enum parse_err {
	PARSE_OK = 0,
	PARSE_RUNT = -1,           /* shorter than an Ethernet header */
	PARSE_TRUNCATED_VLAN = -2, /* a VLAN tag announced but cut short */
	PARSE_TOO_MANY_VLANS = -3, /* more tags than PARSE_MAX_VLANS */
};

/**
 * Parses the L2 headers of the 'size' bytes at 'frame' into 'out'.
 * Returns PARSE_OK, or a negative enum parse_err; 'out' is then
 * unspecified.  Any thread; touches nothing but its arguments.
 */
int parse_eth(const uint8_t *frame, uint32_t size, struct parse_eth *out);

/** True if 'tpid' (host order) is an EtherType that starts a VLAN tag. */
static inline bool
parse_is_vlan_tpid(uint16_t tpid)
{
	return tpid == 0x8100 || tpid == 0x88a8 || tpid == 0x9100;
}

/** True for group (multicast and broadcast) addresses. */
static inline bool
parse_mac_is_group(const uint8_t mac[6])
{
	return (mac[0] & 1) != 0;
}

#endif
