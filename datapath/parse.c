/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse.c - Ethernet and VLAN header parsing (see parse.h).
 */
#include "datapath/parse.h"

#include <string.h>

static inline uint16_t
read_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

int
parse_eth(const uint8_t *frame, uint32_t size, struct parse_eth *out)
{
	uint32_t off = 12;
	uint16_t type;

	if (size < PARSE_ETH_HDR_SIZE) {
		return PARSE_RUNT;
	}
	memcpy(out->dst, frame, 6);
	memcpy(out->src, frame + 6, 6);
	out->n_vlans = 0;

	type = read_be16(frame + off);
	while (parse_is_vlan_tpid(type)) {
		if (out->n_vlans == PARSE_MAX_VLANS) {
			return PARSE_TOO_MANY_VLANS;
		}
		/* The tag is TPID(2) TCI(2) followed by the next EtherType(2). */
		if (size < off + 2 + PARSE_VLAN_HDR_SIZE) {
			return PARSE_TRUNCATED_VLAN;
		}
		out->vlan_tpid[out->n_vlans] = type;
		out->vlan_tci[out->n_vlans] = read_be16(frame + off + 2);
		out->n_vlans++;
		off += PARSE_VLAN_HDR_SIZE;
		type = read_be16(frame + off);
	}
	out->eth_type = type;
	out->l2_size = (uint16_t)(off + 2);
	return PARSE_OK;
}
