/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_stage.c - VXLAN encapsulation and decapsulation burst stages on
 * mbufs [RFC 7348, 5]. See vxlan_stage.h for the contract and the limits.
 */
#include "datapath/vxlan_stage.h"

#include <string.h>

#include <rte_hash_crc.h>
#include <rte_mbuf.h>

#define VXLAN_STAGE_IPV6_HDR_SIZE  40     /* IPv6 fixed header */
#define VXLAN_STAGE_ETHERTYPE_IPV6 0x86dd /* IPv6 EtherType */
#define VXLAN_STAGE_IPPROTO_TCP    6      /* TCP protocol number */
#define VXLAN_STAGE_IPPROTO_SCTP   132    /* SCTP protocol number */

/* IPv4 + UDP + VXLAN: what the outer IPv4 packet adds to the inner frame. */
#define VXLAN_STAGE_IP_OVERHEAD (VXLAN_IPV4_HDR_SIZE + VXLAN_UDP_HDR_SIZE + VXLAN_HDR_SIZE)

_Static_assert(VXLAN_DROP_TRUNCATED == VXLAN_DROP_NOT_CONTIGUOUS + 1 &&
		   VXLAN_DROP_MAX - VXLAN_DROP_TRUNCATED == VXLAN_ERR_MAX - VXLAN_ERR_TRUNCATED,
	       "the parse errors follow the stage's own reasons in VXLAN_ERR_LIST order");

static const char *const vxlan_drop_names[VXLAN_DROP_MAX] = {[VXLAN_DROP_NONE] = "NONE",
#define VXLAN_DROP_NAME(e, s) [VXLAN_DROP_##e] = #e,
							     VXLAN_STAGE_DROP_OWN(VXLAN_DROP_NAME)
								 VXLAN_ERR_LIST(VXLAN_DROP_NAME)
#undef VXLAN_DROP_NAME
};

static const char *const vxlan_drop_texts[VXLAN_DROP_MAX] = {[VXLAN_DROP_NONE] = "not dropped",
#define VXLAN_DROP_TEXT(e, s) [VXLAN_DROP_##e] = s,
							     VXLAN_STAGE_DROP_OWN(VXLAN_DROP_TEXT)
								 VXLAN_ERR_LIST(VXLAN_DROP_TEXT)
#undef VXLAN_DROP_TEXT
};

enum vxlan_drop
vxlan_drop_from_err(enum vxlan_err err)
{
	if (err <= VXLAN_ERR_OK || err >= VXLAN_ERR_MAX) {
		return VXLAN_DROP_NONE;
	}
	return (enum vxlan_drop)(VXLAN_DROP_TRUNCATED + (err - VXLAN_ERR_TRUNCATED));
}

const char *
vxlan_drop_name(enum vxlan_drop d)
{
	return (unsigned)d < VXLAN_DROP_MAX ? vxlan_drop_names[d] : "?";
}

const char *
vxlan_drop_text(enum vxlan_drop d)
{
	return (unsigned)d < VXLAN_DROP_MAX ? vxlan_drop_texts[d] : "?";
}

static inline void
vxlan_stage_drop(struct vxlan_stage_out *out, struct rte_mbuf *m, enum vxlan_drop why)
{
	out->dropped[out->n_dropped] = m;
	out->why[out->n_dropped] = (uint8_t)why;
	out->n_dropped++;
}

/*
 * CRC32-C of the L3 addresses at 'l3' ('avail' bytes to the end of the
 * first segment) and, when 'l4' is reachable, the 4 port bytes there.
 * Returns false when the header does not fit.
 */
static bool
vxlan_stage_hash_l3(const uint8_t *l3, size_t avail, uint16_t type, uint32_t *hash)
{
	size_t addr_off, addr_size, l4_off;
	uint8_t proto;
	bool ports;

	if (type == VXLAN_ETHERTYPE_IPV4 && avail >= VXLAN_IPV4_HDR_SIZE) {
		addr_off = 12;
		addr_size = 8;
		proto = l3[9];
		l4_off = (size_t)(l3[0] & 0x0f) * 4;
		ports =
		    (vxlan_get_be16(l3 + 6) & (VXLAN_IPV4_MF | VXLAN_IPV4_FRAG_OFFSET_MASK)) == 0;
	} else if (type == VXLAN_STAGE_ETHERTYPE_IPV6 && avail >= VXLAN_STAGE_IPV6_HDR_SIZE) {
		addr_off = 8;
		addr_size = 32;
		proto = l3[6];
		l4_off = VXLAN_STAGE_IPV6_HDR_SIZE;
		ports = true;
	} else {
		return false;
	}
	*hash = rte_hash_crc(l3 + addr_off, (uint32_t)addr_size, *hash);
	*hash = rte_hash_crc_1byte(proto, *hash);
	ports = ports && (proto == VXLAN_IPPROTO_UDP || proto == VXLAN_STAGE_IPPROTO_TCP ||
			  proto == VXLAN_STAGE_IPPROTO_SCTP);
	if (ports && l4_off + 4 <= avail) {
		*hash = rte_hash_crc_4byte(*(const unaligned_uint32_t *)(l3 + l4_off), *hash);
	}
	return true;
}

/* The inner flow's hash: the NIC's RSS hash, or a CRC of its 5-tuple. */
static uint32_t
vxlan_stage_flow_hash(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t size = m->data_len;
	size_t l3 = VXLAN_ETH_HDR_SIZE;
	uint32_t hash = 0;
	uint16_t type;

	if (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) {
		return m->hash.rss;
	}
	if (size < VXLAN_ETH_HDR_SIZE) {
		return rte_hash_crc(p, (uint32_t)size, 0);
	}
	type = vxlan_get_be16(p + 12);
	if (type == VXLAN_ETHERTYPE_VLAN && size >= l3 + VXLAN_VLAN_TAG_SIZE) {
		type = vxlan_get_be16(p + 16);
		l3 += VXLAN_VLAN_TAG_SIZE;
	}
	if (vxlan_stage_hash_l3(p + l3, size - l3, type, &hash)) {
		return hash;
	}
	return rte_hash_crc(p, VXLAN_ETH_HDR_SIZE, 0);
}

/* Prepend and fill the outer headers of 'm', which has room for them. */
static void
vxlan_stage_encap_one(const struct vxlan_tmpl *t, struct rte_mbuf *m)
{
	uint16_t inner_size = (uint16_t)m->pkt_len;
	uint16_t src_port = vxlan_src_port(vxlan_stage_flow_hash(m));
	uint8_t *hdr = (uint8_t *)rte_pktmbuf_prepend(m, VXLAN_OVERHEAD_SIZE);

	vxlan_encap(t, hdr, inner_size, src_port);
	m->l2_len = VXLAN_ETH_HDR_SIZE;
	m->l3_len = VXLAN_IPV4_HDR_SIZE;
	m->l4_len = VXLAN_UDP_HDR_SIZE;
	m->outer_l2_len = 0;
	m->outer_l3_len = 0;
	m->packet_type =
	    RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP | RTE_PTYPE_TUNNEL_VXLAN;
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
}

uint16_t
vxlan_stage_encap(const struct vxlan_tmpl *t, uint16_t underlay_mtu, struct rte_mbuf **pkts,
		  uint16_t n, struct vxlan_stage_out *out)
{
	out->n_ok = 0;
	out->n_dropped = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if ((uint32_t)m->pkt_len + VXLAN_STAGE_IP_OVERHEAD > underlay_mtu) {
			vxlan_stage_drop(out, m, VXLAN_DROP_TOO_BIG);
		} else if (rte_pktmbuf_headroom(m) < VXLAN_OVERHEAD_SIZE) {
			vxlan_stage_drop(out, m, VXLAN_DROP_NO_HEADROOM);
		} else {
			vxlan_stage_encap_one(t, m);
			out->ok[out->n_ok++] = m;
		}
	}
	return out->n_ok;
}

/* Checks 'm' and strips it to its inner frame; VXLAN_DROP_NONE on success. */
static enum vxlan_drop
vxlan_stage_decap_one(const struct vxlan_decap_conf *conf, uint16_t dst_port, struct rte_mbuf *m,
		      struct vxlan_rx_meta *meta)
{
	struct vxlan_outer o;
	enum vxlan_err err;

	if (m->nb_segs != 1) {
		return VXLAN_DROP_NOT_CONTIGUOUS;
	}
	memset(&o, 0, sizeof(o));
	err = vxlan_decap_parse(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, conf->local_ip,
				dst_port, &o);
	if (err != VXLAN_ERR_OK) {
		return vxlan_drop_from_err(err);
	}
	rte_pktmbuf_adj(m, (uint16_t)o.inner_offset);
	rte_pktmbuf_trim(m, (uint16_t)(m->data_len - o.inner_size));
	m->packet_type = 0;
	m->l2_len = 0;
	m->l3_len = 0;
	m->l4_len = 0;
	m->ol_flags &= ~(RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK |
			 RTE_MBUF_F_RX_OUTER_IP_CKSUM_BAD | RTE_MBUF_F_RX_OUTER_L4_CKSUM_MASK);
	meta->vni = o.vni;
	meta->remote_ip = o.src_ip;
	return VXLAN_DROP_NONE;
}

uint16_t
vxlan_stage_decap(const struct vxlan_decap_conf *conf, struct rte_mbuf **pkts, uint16_t n,
		  struct vxlan_stage_out *out, struct vxlan_rx_meta *meta)
{
	uint16_t dst_port = conf->dst_port != 0 ? conf->dst_port : VXLAN_UDP_PORT;

	out->n_ok = 0;
	out->n_dropped = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum vxlan_drop why = vxlan_stage_decap_one(conf, dst_port, m, &meta[out->n_ok]);

		if (why != VXLAN_DROP_NONE) {
			vxlan_stage_drop(out, m, why);
		} else {
			out->ok[out->n_ok++] = m;
		}
	}
	return out->n_ok;
}
