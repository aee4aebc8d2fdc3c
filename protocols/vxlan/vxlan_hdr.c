/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_hdr.c - VXLAN over IPv4 header template, encapsulation, source
 * port choice and receive parse [RFC 7348, 5; RFC 791; RFC 768; RFC 1624].
 * See vxlan_hdr.h for the contract and the limits.
 */
#include "protocols/vxlan/vxlan_hdr.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

/* Fold a 32-bit one's complement accumulator to 16 bits (end-around carry). */
static uint16_t
vxlan_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Folded one's complement sum of the 16-bit words at 'p' ('size' even). */
static uint16_t
vxlan_csum_sum(const uint8_t *p, size_t size)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < size; i += 2) {
		sum += vxlan_get_be16(p + i);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return vxlan_csum_fold(sum);
}

static void
vxlan_tmpl_put_ipv4(uint8_t *ip, const struct vxlan_tmpl_params *p)
{
	ip[0] = 0x45;
	ip[1] = p->tos;
	/* Total length [2..3], id [4..5] and checksum [10..11] stay zero. */
	vxlan_put_be16(ip + 6, p->df ? VXLAN_IPV4_DF : 0);
	ip[8] = p->ttl != 0 ? p->ttl : VXLAN_DEFAULT_TTL;
	ip[9] = VXLAN_IPPROTO_UDP;
	vxlan_put_be32(ip + 12, p->local_ip);
	vxlan_put_be32(ip + 16, p->remote_ip);
}

int
vxlan_tmpl_build(struct vxlan_tmpl *t, const struct vxlan_tmpl_params *p)
{
	uint8_t *h = t->hdr;

	if (p->vni > VXLAN_VNI_MAX) {
		return -EINVAL;
	}
	memset(h, 0, sizeof(t->hdr));
	memcpy(h, p->dst_mac, 6);
	memcpy(h + 6, p->src_mac, 6);
	vxlan_put_be16(h + 12, VXLAN_ETHERTYPE_IPV4);
	vxlan_tmpl_put_ipv4(h + VXLAN_OFF_IPV4, p);
	/* UDP source port, length and checksum stay zero. */
	vxlan_put_be16(h + VXLAN_OFF_UDP + 2, p->dst_port != 0 ? p->dst_port : VXLAN_UDP_PORT);
	h[VXLAN_OFF_VXLAN] = VXLAN_FLAG_I;
	vxlan_put_be24(h + VXLAN_OFF_VXLAN + 4, p->vni);
	t->ip_sum = vxlan_csum_sum(h + VXLAN_OFF_IPV4, VXLAN_IPV4_HDR_SIZE);
	return 0;
}

void
vxlan_encap(const struct vxlan_tmpl *t, uint8_t *hdr50, uint16_t inner_size, uint16_t src_port)
{
	uint16_t udp_len = (uint16_t)(inner_size + VXLAN_UDP_HDR_SIZE + VXLAN_HDR_SIZE);
	uint16_t total_len = (uint16_t)(udp_len + VXLAN_IPV4_HDR_SIZE);
	uint8_t *ip = hdr50 + VXLAN_OFF_IPV4;
	uint8_t *udp = hdr50 + VXLAN_OFF_UDP;

	assert(inner_size <= VXLAN_INNER_SIZE_MAX);
	memcpy(hdr50, t->hdr, VXLAN_OVERHEAD_SIZE);
	/*
	 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), with the old total length
	 * m = 0: ~m is 0xffff, one's complement negative zero, which leaves a
	 * sum unchanged. So the new checksum is ~(template sum + total length).
	 */
	vxlan_put_be16(ip + 2, total_len);
	vxlan_put_be16(ip + 10, (uint16_t)~vxlan_csum_fold((uint32_t)t->ip_sum + total_len));
	vxlan_put_be16(udp, src_port);
	vxlan_put_be16(udp + 4, udp_len);
}

uint16_t
vxlan_src_port(uint32_t flow_hash)
{
	const uint32_t n_ports = VXLAN_SRC_PORT_MAX - VXLAN_SRC_PORT_MIN + 1;
	uint32_t h = flow_hash;

	/* MurmurHash3's finalizer: every input bit reaches the high bits. */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	/* Scale to the range by the high bits, as Linux's udp_flow_src_port(). */
	return (uint16_t)(VXLAN_SRC_PORT_MIN + (((uint64_t)h * n_ports) >> 32));
}

/* Outer Ethernet header, with at most one 802.1Q tag; sets '*l3'. */
static enum vxlan_err
vxlan_parse_eth(const uint8_t *frame, size_t frame_size, struct vxlan_outer *out, size_t *l3)
{
	uint16_t type;

	if (frame_size < VXLAN_ETH_HDR_SIZE) {
		return VXLAN_ERR_TRUNCATED;
	}
	memcpy(out->dst_mac, frame, 6);
	memcpy(out->src_mac, frame + 6, 6);
	type = vxlan_get_be16(frame + 12);
	*l3 = VXLAN_ETH_HDR_SIZE;
	if (type == VXLAN_ETHERTYPE_VLAN) {
		if (frame_size < VXLAN_ETH_HDR_SIZE + VXLAN_VLAN_TAG_SIZE) {
			return VXLAN_ERR_TRUNCATED;
		}
		out->vlan_present = true;
		out->vlan_tci = vxlan_get_be16(frame + 14);
		type = vxlan_get_be16(frame + 16);
		*l3 += VXLAN_VLAN_TAG_SIZE;
	}
	return type == VXLAN_ETHERTYPE_IPV4 ? VXLAN_ERR_OK : VXLAN_ERR_NOT_IPV4;
}

/*
 * The IPv4 header at 'ip', 'avail' bytes to the end of the frame. Sets
 * '*hdr_size' and '*total_len'; bytes after the total length are padding.
 */
static enum vxlan_err
vxlan_parse_ipv4(const uint8_t *ip, size_t avail, uint32_t local_ip, struct vxlan_outer *out,
		 size_t *hdr_size, size_t *total_len)
{
	uint16_t frag;

	if (avail < VXLAN_IPV4_HDR_SIZE) {
		return VXLAN_ERR_TRUNCATED;
	}
	*hdr_size = (size_t)(ip[0] & 0x0f) * 4;
	*total_len = vxlan_get_be16(ip + 2);
	if (ip[0] >> 4 != 4 || *hdr_size < VXLAN_IPV4_HDR_SIZE || *total_len < *hdr_size) {
		return VXLAN_ERR_BAD_IP_HEADER;
	}
	if (*total_len > avail) {
		return VXLAN_ERR_TRUNCATED;
	}
	if (vxlan_csum_sum(ip, *hdr_size) != 0xffff) {
		return VXLAN_ERR_BAD_CHECKSUM;
	}
	frag = vxlan_get_be16(ip + 6);
	if (frag & (VXLAN_IPV4_MF | VXLAN_IPV4_FRAG_OFFSET_MASK)) {
		return VXLAN_ERR_FRAGMENT;
	}
	if (ip[9] != VXLAN_IPPROTO_UDP) {
		return VXLAN_ERR_NOT_UDP;
	}
	out->tos = ip[1];
	out->ttl = ip[8];
	out->src_ip = vxlan_get_be32(ip + 12);
	out->dst_ip = vxlan_get_be32(ip + 16);
	return out->dst_ip == local_ip ? VXLAN_ERR_OK : VXLAN_ERR_NOT_LOCAL;
}

/* UDP and VXLAN headers at 'udp', 'ip_payload' bytes of IPv4 payload. */
static enum vxlan_err
vxlan_parse_udp(const uint8_t *udp, size_t ip_payload, uint16_t dst_port, struct vxlan_outer *out)
{
	const uint8_t *vx = udp + VXLAN_UDP_HDR_SIZE;

	if (ip_payload < VXLAN_UDP_HDR_SIZE) {
		return VXLAN_ERR_BAD_UDP_LENGTH;
	}
	if (vxlan_get_be16(udp + 2) != dst_port) {
		return VXLAN_ERR_WRONG_PORT;
	}
	if (vxlan_get_be16(udp + 4) != ip_payload) {
		return VXLAN_ERR_BAD_UDP_LENGTH;
	}
	out->src_port = vxlan_get_be16(udp);
	if (ip_payload < VXLAN_UDP_HDR_SIZE + VXLAN_HDR_SIZE) {
		return VXLAN_ERR_TRUNCATED;
	}
	out->flags = vx[0];
	out->reserved_set =
	    (vx[0] & ~VXLAN_FLAG_I) != 0 || vx[1] != 0 || vx[2] != 0 || vx[3] != 0 || vx[7] != 0;
	if (!(vx[0] & VXLAN_FLAG_I)) {
		return VXLAN_ERR_NO_VNI_FLAG;
	}
	out->vni = vxlan_get_be24(vx + 4);
	if (ip_payload - VXLAN_UDP_HDR_SIZE - VXLAN_HDR_SIZE < VXLAN_ETH_HDR_SIZE) {
		return VXLAN_ERR_INNER_TOO_SHORT;
	}
	return VXLAN_ERR_OK;
}

enum vxlan_err
vxlan_decap_parse(const uint8_t *frame, size_t frame_size, uint32_t local_ip, uint16_t dst_port,
		  struct vxlan_outer *out)
{
	size_t l3, ip_hdr_size, total_len;
	enum vxlan_err err;

	memset(out, 0, sizeof(*out));
	err = vxlan_parse_eth(frame, frame_size, out, &l3);
	if (err != VXLAN_ERR_OK) {
		return err;
	}
	err =
	    vxlan_parse_ipv4(frame + l3, frame_size - l3, local_ip, out, &ip_hdr_size, &total_len);
	if (err != VXLAN_ERR_OK) {
		return err;
	}
	err = vxlan_parse_udp(frame + l3 + ip_hdr_size, total_len - ip_hdr_size, dst_port, out);
	if (err != VXLAN_ERR_OK) {
		return err;
	}
	out->inner_offset = l3 + ip_hdr_size + VXLAN_UDP_HDR_SIZE + VXLAN_HDR_SIZE;
	out->inner_size = l3 + total_len - out->inner_offset;
	return VXLAN_ERR_OK;
}

static const char *const vxlan_err_names[VXLAN_ERR_MAX] = {[VXLAN_ERR_OK] = "VXLAN_ERR_OK",
#define VXLAN_ERR_NAME(name, text) [VXLAN_ERR_##name] = "VXLAN_ERR_" #name,
							   VXLAN_ERR_LIST(VXLAN_ERR_NAME)
#undef VXLAN_ERR_NAME
};

static const char *const vxlan_err_texts[VXLAN_ERR_MAX] = {[VXLAN_ERR_OK] = "ok",
#define VXLAN_ERR_TEXT(name, text) [VXLAN_ERR_##name] = text,
							   VXLAN_ERR_LIST(VXLAN_ERR_TEXT)
#undef VXLAN_ERR_TEXT
};

const char *
vxlan_err_name(enum vxlan_err err)
{
	return (unsigned)err < VXLAN_ERR_MAX ? vxlan_err_names[err] : "?";
}

const char *
vxlan_err_text(enum vxlan_err err)
{
	return (unsigned)err < VXLAN_ERR_MAX ? vxlan_err_texts[err] : "?";
}

size_t
vxlan_overhead(void)
{
	return VXLAN_OVERHEAD_SIZE;
}

unsigned
vxlan_inner_mtu(unsigned underlay_mtu)
{
	return underlay_mtu > VXLAN_OVERHEAD_SIZE ? underlay_mtu - VXLAN_OVERHEAD_SIZE : 0;
}
