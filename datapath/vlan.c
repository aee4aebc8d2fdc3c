/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlan.c - port VLAN modes and tag push/pop/rewrite (see vlan.h).
 */
#include "datapath/vlan.h"

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "datapath/parse.h"

#define VLAN_MAC_SIZE 12 /* destination and source MAC */

static bool
vlan_trunk_allows(const struct vlan_port *p, uint16_t vid)
{
	return p->all_trunks || vlan_bit(p->trunks, vid);
}

bool
vlan_ingress(const struct vlan_port *p, unsigned n_tags, uint16_t tpid, uint16_t tci,
	     uint16_t inner_tci, struct vlan_meta *out)
{
	bool tagged = n_tags > 0;
	uint16_t vid = tagged ? (tci & 0xfff) : 0;

	(void)inner_tci;
	out->tagged = tagged;
	out->tag_vid = vid;
	out->pcp = tagged ? (uint8_t)(tci >> 13) : 0;
	out->tpid = tagged ? tpid : VLAN_TPID_8021Q;
	switch (p->mode) {
	case VLAN_MODE_ACCESS:
		/* Priority-tagged frames (VID 0) belong to the access VLAN. */
		out->vlan = p->tag;
		return vid == 0;
	case VLAN_MODE_NATIVE_TAGGED:
	case VLAN_MODE_NATIVE_UNTAGGED:
		out->vlan = vid == 0 ? p->tag : vid;
		return vid == 0 || vid == p->tag || vlan_trunk_allows(p, vid);
	case VLAN_MODE_DOT1Q_TUNNEL:
		/* The customer's frame, its C-tag included, is the payload. */
		out->vlan = p->tag;
		out->tagged = false;
		out->tpid = p->qinq_tpid;
		return p->all_cvlans || vlan_bit(p->cvlans, vid);
	default:
		out->vlan = vid;
		return vlan_trunk_allows(p, vid);
	}
}

int
vlan_push(struct rte_mbuf *m, uint16_t tpid, uint16_t tci)
{
	uint8_t *p;

	if (m->data_len < VLAN_MAC_SIZE) {
		return -EINVAL;
	}
	p = (uint8_t *)rte_pktmbuf_prepend(m, PARSE_VLAN_HDR_SIZE);
	if (p == NULL) {
		return -ENOSPC;
	}
	memmove(p, p + PARSE_VLAN_HDR_SIZE, VLAN_MAC_SIZE);
	*(rte_be16_t *)(p + VLAN_MAC_SIZE) = rte_cpu_to_be_16(tpid);
	*(rte_be16_t *)(p + VLAN_MAC_SIZE + 2) = rte_cpu_to_be_16(tci);
	return 0;
}

/* The outer tag's position, or NULL if the frame has none. */
static uint8_t *
vlan_outer_tag(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if (m->data_len < PARSE_ETH_HDR_SIZE + PARSE_VLAN_HDR_SIZE ||
	    !parse_is_vlan_tpid(rte_be_to_cpu_16(*(rte_be16_t *)(p + VLAN_MAC_SIZE)))) {
		return NULL;
	}
	return p + VLAN_MAC_SIZE;
}

int
vlan_pop(struct rte_mbuf *m)
{
	uint8_t *tag = vlan_outer_tag(m);
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if (tag == NULL) {
		return -EINVAL;
	}
	memmove(p + PARSE_VLAN_HDR_SIZE, p, VLAN_MAC_SIZE);
	rte_pktmbuf_adj(m, PARSE_VLAN_HDR_SIZE);
	return 0;
}

int
vlan_rewrite(struct rte_mbuf *m, uint16_t tpid, uint16_t tci)
{
	uint8_t *tag = vlan_outer_tag(m);

	if (tag == NULL) {
		return -EINVAL;
	}
	*(rte_be16_t *)tag = rte_cpu_to_be_16(tpid);
	*(rte_be16_t *)(tag + 2) = rte_cpu_to_be_16(tci);
	return 0;
}

static inline uint16_t
vlan_tci(const struct vlan_meta *meta)
{
	return (uint16_t)((meta->pcp << 13) | meta->vlan);
}

int
vlan_egress(struct rte_mbuf *m, const struct vlan_port *p, const struct vlan_meta *meta)
{
	bool want = vlan_port_tags(p, meta->vlan);

	if (want && !meta->tagged) {
		return vlan_push(m, meta->tpid, vlan_tci(meta));
	}
	if (!want && meta->tagged) {
		return vlan_pop(m);
	}
	if (want && meta->tag_vid != meta->vlan) {
		return vlan_rewrite(m, meta->tpid, vlan_tci(meta));
	}
	return 0;
}
