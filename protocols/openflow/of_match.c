/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_match.c - struct ofp_match / OXM codec [OpenFlow 1.3.5, 7.2.3]. One
 * table describes every supported field: its OXM class and field on the
 * wire, where it lives in struct of_match_fields, its size, whether it may
 * be masked, its value range, and its prerequisite from the spec's table
 * 12. It is indexed by vireo's field number: the OXM basic field number,
 * or OF_FIELD_TUN_SRC/DST for Open vSwitch's NXM_NX_TUN_IPV4_SRC/DST
 * (class OFPXMC_NXM_1), which have no prerequisite. See of_match.h for the
 * contract and limits.
 */
#include "protocols/openflow/of_match.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "protocols/openflow/of_wire.h"

#define OXM_NO_PREREQ 0xff

struct of_oxm_info {
	const char *name;       /* Field name as ovs-ofctl writes it. */
	uint16_t oxm_class;     /* OXM class on the wire (OFPXMC_*). */
	uint8_t oxm_field;      /* OXM field within that class. */
	uint16_t offset;        /* Offset in struct of_match_fields. */
	uint8_t size;           /* Value size on the wire, in bytes. */
	bool is_bytes;          /* Byte array (MAC, IPv6), not an integer. */
	bool maskable;          /* The spec allows a mask (table 11). */
	uint64_t max;           /* Largest value and mask; 0: the whole width. */
	uint8_t prereq;         /* Field the prerequisite is on, or OXM_NO_PREREQ. */
	uint8_t n_prereq_vals;  /* Values allowed for it; 0: only present. */
	uint16_t prereq_val[2]; /* Those values. */
};

#define FSIZE(m) sizeof(((struct of_match_fields *)0)->m)

/* A basic field: its number is its OXM field. */
#define OXM(f, ...) OXM_AT(OFPXMT_OFB_##f, OFPXMC_OPENFLOW_BASIC, OFPXMT_OFB_##f, __VA_ARGS__)

/* Nicira field 'f' of class OFPXMC_NXM_1 at pseudo field number 'i'. */
#define NXM(i, f, ...) OXM_AT(i, OFPXMC_NXM_1, f, __VA_ARGS__)

/* OXM_AT() lets NONE, ETH(), IPANY and PROTO() expand before OXM_ROW() counts arguments. */
#define OXM_AT(i, c, f, m, bytes, mask, max, ...) OXM_ROW(i, c, f, m, bytes, mask, max, __VA_ARGS__)
#define OXM_ROW(i, c, f, m, bytes, mask, max, pre, n, ...) \
	[i] = {#m,                                         \
	       c,                                          \
	       f,                                          \
	       offsetof(struct of_match_fields, m),        \
	       FSIZE(m),                                   \
	       bytes,                                      \
	       mask,                                       \
	       max,                                        \
	       pre,                                        \
	       n,                                          \
	       {__VA_ARGS__}}

#define NONE     OXM_NO_PREREQ, 0, 0
#define ETH(t)   OFPXMT_OFB_ETH_TYPE, 1, t
#define IPANY    OFPXMT_OFB_ETH_TYPE, 2, 0x0800, 0x86dd
#define PROTO(p) OFPXMT_OFB_IP_PROTO, 1, p

/* Prerequisites from 7.2.3.6, table 12. */
static const struct of_oxm_info of_oxm_table[OF_MATCH_N_FIELDS] = {
    OXM(IN_PORT, in_port, false, false, 0, NONE),
    OXM(IN_PHY_PORT, in_phy_port, false, false, 0, OFPXMT_OFB_IN_PORT, 0, 0),
    OXM(METADATA, metadata, false, true, 0, NONE),
    OXM(ETH_DST, eth_dst, true, true, 0, NONE),
    OXM(ETH_SRC, eth_src, true, true, 0, NONE),
    OXM(ETH_TYPE, eth_type, false, false, 0, NONE),
    OXM(VLAN_VID, vlan_vid, false, true, 0x1fff, NONE),
    OXM(VLAN_PCP, vlan_pcp, false, false, 7, OFPXMT_OFB_VLAN_VID, 0, 0),
    OXM(IP_DSCP, ip_dscp, false, false, 63, IPANY),
    OXM(IP_ECN, ip_ecn, false, false, 3, IPANY),
    OXM(IP_PROTO, ip_proto, false, false, 0, IPANY),
    OXM(IPV4_SRC, ipv4_src, false, true, 0, ETH(0x0800)),
    OXM(IPV4_DST, ipv4_dst, false, true, 0, ETH(0x0800)),
    OXM(TCP_SRC, tcp_src, false, false, 0, PROTO(6)),
    OXM(TCP_DST, tcp_dst, false, false, 0, PROTO(6)),
    OXM(UDP_SRC, udp_src, false, false, 0, PROTO(17)),
    OXM(UDP_DST, udp_dst, false, false, 0, PROTO(17)),
    OXM(SCTP_SRC, sctp_src, false, false, 0, PROTO(132)),
    OXM(SCTP_DST, sctp_dst, false, false, 0, PROTO(132)),
    OXM(ICMPV4_TYPE, icmpv4_type, false, false, 0, PROTO(1)),
    OXM(ICMPV4_CODE, icmpv4_code, false, false, 0, PROTO(1)),
    OXM(ARP_OP, arp_op, false, false, 0, ETH(0x0806)),
    OXM(ARP_SPA, arp_spa, false, true, 0, ETH(0x0806)),
    OXM(ARP_TPA, arp_tpa, false, true, 0, ETH(0x0806)),
    OXM(ARP_SHA, arp_sha, true, true, 0, ETH(0x0806)),
    OXM(ARP_THA, arp_tha, true, true, 0, ETH(0x0806)),
    OXM(IPV6_SRC, ipv6_src, true, true, 0, ETH(0x86dd)),
    OXM(IPV6_DST, ipv6_dst, true, true, 0, ETH(0x86dd)),
    OXM(IPV6_FLABEL, ipv6_flabel, false, true, 0xfffff, ETH(0x86dd)),
    OXM(ICMPV6_TYPE, icmpv6_type, false, false, 0, PROTO(58)),
    OXM(ICMPV6_CODE, icmpv6_code, false, false, 0, PROTO(58)),
    OXM(IPV6_ND_TARGET, ipv6_nd_target, true, false, 0, OFPXMT_OFB_ICMPV6_TYPE, 2, 135, 136),
    OXM(IPV6_ND_SLL, ipv6_nd_sll, true, false, 0, OFPXMT_OFB_ICMPV6_TYPE, 1, 135),
    OXM(IPV6_ND_TLL, ipv6_nd_tll, true, false, 0, OFPXMT_OFB_ICMPV6_TYPE, 1, 136),
    OXM(TUNNEL_ID, tunnel_id, false, true, 0, NONE),
    NXM(OF_FIELD_TUN_SRC, NXM_NX_TUN_IPV4_SRC, tun_src, false, true, 0, NONE),
    NXM(OF_FIELD_TUN_DST, NXM_NX_TUN_IPV4_DST, tun_dst, false, true, 0, NONE),
};

#undef PROTO
#undef IPANY
#undef ETH
#undef NONE
#undef OXM_ROW
#undef OXM_AT
#undef NXM
#undef OXM
#undef FSIZE

static const struct of_oxm_info *
of_oxm_info(unsigned field)
{
	if (field >= OF_MATCH_N_FIELDS || of_oxm_table[field].name == NULL) {
		return NULL;
	}
	return &of_oxm_table[field];
}

const char *
of_match_field_name(unsigned field)
{
	const struct of_oxm_info *info = of_oxm_info(field);

	return info != NULL ? info->name : NULL;
}

unsigned
of_match_field_size(unsigned field)
{
	const struct of_oxm_info *info = of_oxm_info(field);

	return info != NULL ? info->size : 0;
}

bool
of_match_field_maskable(unsigned field)
{
	const struct of_oxm_info *info = of_oxm_info(field);

	return info != NULL && info->maskable;
}

int
of_match_field_from_oxm(uint16_t oxm_class, uint8_t oxm_field)
{
	for (unsigned f = 0; f < OF_MATCH_N_FIELDS; f++) {
		const struct of_oxm_info *info = &of_oxm_table[f];

		if (info->name != NULL && info->oxm_class == oxm_class &&
		    info->oxm_field == oxm_field) {
			return (int)f;
		}
	}
	return -1;
}

uint32_t
of_match_field_oxm_header(unsigned field, bool hasmask, uint8_t length)
{
	const struct of_oxm_info *info = of_oxm_info(field);

	if (info == NULL) {
		return OXM_HEADER(OFPXMC_OPENFLOW_BASIC, field, hasmask, length);
	}
	return OXM_HEADER(info->oxm_class, info->oxm_field, hasmask, length);
}

static uint64_t
of_get_be(const uint8_t *p, uint8_t size)
{
	uint64_t v = 0;

	for (uint8_t i = 0; i < size; i++) {
		v = v << 8 | p[i];
	}
	return v;
}

static void
of_put_be(uint8_t *p, uint8_t size, uint64_t v)
{
	for (int i = size - 1; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint8_t *
of_field_ptr(struct of_match_fields *f, const struct of_oxm_info *info)
{
	return (uint8_t *)f + info->offset;
}

static const uint8_t *
of_field_cptr(const struct of_match_fields *f, const struct of_oxm_info *info)
{
	return (const uint8_t *)f + info->offset;
}

/* Checks a byte-array value against its mask [7.2.3.5]. */
static enum of_err
of_oxm_store_bytes(const struct of_oxm_info *info, const uint8_t *v, const uint8_t *m,
		   struct of_match *out)
{
	uint8_t *value = of_field_ptr(&out->value, info);
	uint8_t *mask = of_field_ptr(&out->mask, info);

	for (uint8_t i = 0; i < info->size; i++) {
		value[i] = v[i];
		mask[i] = m != NULL ? m[i] : 0xff;
		if ((value[i] & ~mask[i]) != 0) {
			return OF_ERR_BAD_MATCH_BAD_WILDCARDS;
		}
	}
	return OF_ERR_NONE;
}

/* Checks an integer value's range and its mask [7.2.3.5, 7.2.3.7]. */
static enum of_err
of_oxm_store_int(const struct of_oxm_info *info, const uint8_t *v, const uint8_t *m,
		 struct of_match *out)
{
	uint64_t width = info->size == 8 ? UINT64_MAX : (1ull << (8 * info->size)) - 1;
	uint64_t max = info->max != 0 ? info->max : width;
	uint64_t value = of_get_be(v, info->size);
	uint64_t mask = m != NULL ? of_get_be(m, info->size) : max;

	if (value > max) {
		return OF_ERR_BAD_MATCH_BAD_VALUE;
	}
	if (mask > max) {
		return OF_ERR_BAD_MATCH_BAD_MASK;
	}
	if ((value & ~mask) != 0) {
		return OF_ERR_BAD_MATCH_BAD_WILDCARDS;
	}
	of_match_num_put(of_field_ptr(&out->value, info), info->size, value);
	of_match_num_put(of_field_ptr(&out->mask, info), info->size, m != NULL ? mask : width);
	return OF_ERR_NONE;
}

/* Decodes the TLV at 'p' ('left' bytes up to the match's end); '*tlv_size' gets its size. */
static enum of_err
of_oxm_decode(const uint8_t *p, size_t left, struct of_match *out, size_t *tlv_size)
{
	const struct of_oxm_info *info;
	uint32_t hdr;
	unsigned field;
	int found;
	bool hm;

	if (left < OXM_HEADER_SIZE) {
		return OF_ERR_BAD_MATCH_BAD_LEN;
	}
	hdr = of_get_be32(p);
	hm = OXM_HASMASK(hdr);
	found = of_match_field_from_oxm(OXM_CLASS(hdr), OXM_FIELD(hdr));
	if (found < 0) {
		return OF_ERR_BAD_MATCH_BAD_FIELD;
	}
	field = (unsigned)found;
	info = of_oxm_info(field);
	*tlv_size = OXM_HEADER_SIZE + OXM_LENGTH(hdr);
	if (*tlv_size > left) {
		return OF_ERR_BAD_MATCH_BAD_LEN;
	}
	if (hm && !info->maskable) {
		return OF_ERR_BAD_MATCH_BAD_MASK;
	}
	if (OXM_LENGTH(hdr) != info->size * (hm ? 2 : 1)) {
		return OF_ERR_BAD_MATCH_BAD_LEN;
	}
	if ((out->present >> field & 1) != 0) {
		return OF_ERR_BAD_MATCH_DUP_FIELD;
	}
	out->present |= 1ull << field;
	out->masked |= (uint64_t)hm << field;
	out->order[out->n_fields++] = (uint8_t)field;
	p += OXM_HEADER_SIZE;
	if (info->is_bytes) {
		return of_oxm_store_bytes(info, p, hm ? p + info->size : NULL, out);
	}
	return of_oxm_store_int(info, p, hm ? p + info->size : NULL, out);
}

/* True when 'field''s prerequisite holds in 'm' [7.2.3.6]. */
static bool
of_prereq_met(const struct of_match *m, const struct of_oxm_info *info)
{
	const struct of_oxm_info *pre;
	uint64_t v;

	if (info->prereq == OXM_NO_PREREQ) {
		return true;
	}
	if ((m->present >> info->prereq & 1) == 0) {
		return false;
	}
	/* VLAN_PCP needs VLAN_VID != OFPVID_NONE: a tag must be matched. */
	if (info->prereq == OFPXMT_OFB_VLAN_VID) {
		return (m->value.vlan_vid & m->mask.vlan_vid & OFPVID_PRESENT) != 0;
	}
	pre = of_oxm_info(info->prereq);
	v = of_match_num_get(of_field_cptr(&m->value, pre), pre->size);
	for (uint8_t i = 0; i < info->n_prereq_vals; i++) {
		if (v == info->prereq_val[i]) {
			return true;
		}
	}
	return info->n_prereq_vals == 0;
}

static enum of_err
of_match_check_prereqs(const struct of_match *m)
{
	for (unsigned f = 0; f < OF_MATCH_N_FIELDS; f++) {
		if ((m->present >> f & 1) != 0 && !of_prereq_met(m, of_oxm_info(f))) {
			return OF_ERR_BAD_MATCH_BAD_PREREQ;
		}
	}
	return OF_ERR_NONE;
}

enum of_err
of_match_decode(const uint8_t *buf, size_t size, struct of_match *out, size_t *match_size)
{
	size_t length, off = OFP_MATCH_HEADER_SIZE;
	enum of_err err;

	memset(out, 0, sizeof(*out));
	if (size < OFP_MATCH_HEADER_SIZE) {
		return OF_ERR_BAD_MATCH_BAD_LEN;
	}
	if (of_get_be16(buf) != OFPMT_OXM) {
		return OF_ERR_BAD_MATCH_BAD_TYPE;
	}
	/* 'length' excludes the padding, which must be zero [7.2.3.1]. */
	length = of_get_be16(buf + 2);
	if (length < OFP_MATCH_HEADER_SIZE || of_pad8(length) > size) {
		return OF_ERR_BAD_MATCH_BAD_LEN;
	}
	if (!of_is_zero(buf + length, of_pad8(length) - length)) {
		return OF_ERR_BAD_MATCH_BAD_LEN;
	}
	while (off < length) {
		size_t tlv_size = 0;

		err = of_oxm_decode(buf + off, length - off, out, &tlv_size);
		if (err != OF_ERR_NONE) {
			return err;
		}
		off += tlv_size;
	}
	err = of_match_check_prereqs(out);
	if (err != OF_ERR_NONE) {
		return err;
	}
	*match_size = of_pad8(length);
	return OF_ERR_NONE;
}

static size_t
of_match_length(const struct of_match *match)
{
	size_t length = OFP_MATCH_HEADER_SIZE;

	for (uint8_t i = 0; i < match->n_fields; i++) {
		const struct of_oxm_info *info = of_oxm_info(match->order[i]);
		bool hm = (match->masked >> match->order[i] & 1) != 0;

		if (info != NULL) {
			length += OXM_HEADER_SIZE + (size_t)info->size * (hm ? 2 : 1);
		}
	}
	return length;
}

size_t
of_match_encoded_size(const struct of_match *match)
{
	return of_pad8(of_match_length(match));
}

/* Writes a value or a mask of 'info' from 'f' at 'p'. */
static void
of_oxm_put(uint8_t *p, const struct of_oxm_info *info, const struct of_match_fields *f)
{
	const uint8_t *src = of_field_cptr(f, info);

	if (info->is_bytes) {
		memcpy(p, src, info->size);
	} else {
		of_put_be(p, info->size, of_match_num_get(src, info->size));
	}
}

int
of_match_encode(const struct of_match *match, uint8_t *buf, size_t buf_size)
{
	size_t length = of_match_length(match);
	size_t off = OFP_MATCH_HEADER_SIZE;

	if (buf_size < of_pad8(length) || length > UINT16_MAX) {
		return -ENOSPC;
	}
	of_put_be16(buf, OFPMT_OXM);
	of_put_be16(buf + 2, (uint16_t)length);
	for (uint8_t i = 0; i < match->n_fields; i++) {
		unsigned field = match->order[i];
		const struct of_oxm_info *info = of_oxm_info(field);
		bool hm = (match->masked >> field & 1) != 0;

		if (info == NULL) {
			continue;
		}
		of_put_be32(buf + off, OXM_HEADER(info->oxm_class, info->oxm_field, hm,
						  info->size * (hm ? 2 : 1)));
		off += OXM_HEADER_SIZE;
		of_oxm_put(buf + off, info, &match->value);
		off += info->size;
		if (hm) {
			of_oxm_put(buf + off, info, &match->mask);
			off += info->size;
		}
	}
	memset(buf + length, 0, of_pad8(length) - length);
	return (int)of_pad8(length);
}

uint64_t
of_match_num_get(const void *src, unsigned size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, src, 1);
		return u8;
	case 2:
		memcpy(&u16, src, 2);
		return u16;
	case 4:
		memcpy(&u32, src, 4);
		return u32;
	default:
		memcpy(&u64, src, 8);
		return u64;
	}
}

void
of_match_num_put(void *dst, unsigned size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		memcpy(dst, &u8, 1);
		break;
	case 2:
		memcpy(dst, &u16, 2);
		break;
	case 4:
		memcpy(dst, &u32, 4);
		break;
	default:
		memcpy(dst, &v, 8);
		break;
	}
}
