/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_of_match.c - struct ofp_match / OXM codec against byte vectors
 * written from OpenFlow 1.3.5 (7.2.3), and for Open vSwitch's tun_src and
 * tun_dst (class 0x0001) against what ovs-ofctl 3.1 sent: round trips to
 * the same bytes, and each broken length, padding, field, mask, value or
 * prerequisite answered with the spec's OFPBMC_* code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocols/openflow/of_match.h"
#include "protocols/openflow/of_wire.h"

/* in_port=1, eth_type=0x0800, ip_proto=6, ipv4_src=10.0.0.0/8, tcp_dst=80. */
static const uint8_t match_tcp[] = {
    0x00, 0x01, 0x00, 0x29,                         /* OFPMT_OXM, length 41 */
    0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, /* in_port */
    0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,             /* eth_type */
    0x80, 0x00, 0x14, 0x01, 0x06,                   /* ip_proto */
    0x80, 0x00, 0x17, 0x08, 0x0a, 0x00, 0x00, 0x00, /* ipv4_src, masked */
    0xff, 0x00, 0x00, 0x00,                         /* ... mask */
    0x80, 0x00, 0x1c, 0x02, 0x00, 0x50,             /* tcp_dst */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       /* pad to 48 */
};

/* The match-everything match: only the header and four bytes of padding. */
static const uint8_t match_any[] = {0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00};

/* A neighbour solicitation on any VLAN tag, with most kinds of field. */
static const uint8_t match_nd[] = {
    0x00, 0x01, 0x00, 0x8b,                                     /* OFPMT_OXM, length 139 */
    0x80, 0x00, 0x0a, 0x02, 0x86, 0xdd,                         /* eth_type */
    0x80, 0x00, 0x0d, 0x04, 0x10, 0x00, 0x10, 0x00,             /* vlan_vid present/present */
    0x80, 0x00, 0x0e, 0x01, 0x03,                               /* vlan_pcp */
    0x80, 0x00, 0x07, 0x0c, 0x33, 0x33, 0xff, 0x00, 0x00, 0x00, /* eth_dst, masked */
    0xff, 0xff, 0xff, 0x00, 0x00, 0x00,                         /* ... mask */
    0x80, 0x00, 0x04, 0x08, 0,    0,    0,    0,    0,    0,    0,    0x2a, /* metadata */
    0x80, 0x00, 0x4c, 0x08, 0,    0,    0,    0,    0,    0,    0x13, 0x88, /* tunnel_id */
    0x80, 0x00, 0x14, 0x01, 0x3a,                                           /* ip_proto */
    0x80, 0x00, 0x3a, 0x01, 0x87,                                           /* icmpv6_type */
    0x80, 0x00, 0x3e, 0x10, 0xfe, 0x80, 0,    0,    0,    0,    0,    0,    /* ipv6_nd_target */
    0,    0,    0,    0,    0,    0,    0,    0x01,                         /* ... */
    0x80, 0x00, 0x40, 0x06, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01,             /* ipv6_nd_sll */
    0x80, 0x00, 0x35, 0x20, 0xfe, 0x80, 0,    0,    0,    0,    0,    0,    /* ipv6_src, masked */
    0,    0,    0,    0,    0,    0,    0,    0,                            /* ... */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,                         /* ... mask */
    0,    0,    0,    0,    0,    0,    0,    0,                            /* ... */
    0x00, 0x00, 0x00, 0x00, 0x00,                                           /* pad to 144 */
};

/* ARP request from 10.0.0.0/24 for a given target hardware address. */
static const uint8_t match_arp[] = {
    0x00, 0x01, 0x00, 0x26,                                     /* length 38 */
    0x80, 0x00, 0x0a, 0x02, 0x08, 0x06,                         /* eth_type */
    0x80, 0x00, 0x2a, 0x02, 0x00, 0x01,                         /* arp_op */
    0x80, 0x00, 0x2d, 0x08, 0x0a, 0x00, 0x00, 0x00,             /* arp_spa, masked */
    0xff, 0xff, 0xff, 0x00,                                     /* ... mask */
    0x80, 0x00, 0x32, 0x06, 0x52, 0x54, 0x00, 0x00, 0x00, 0x02, /* arp_tha */
    0x00, 0x00,                                                 /* pad to 40 */
};

/*
 * Open vSwitch's tunnel endpoint fields (NXM_NX_TUN_IPV4_SRC = class 0x0001
 * field 31, NXM_NX_TUN_IPV4_DST = field 32): the matches of the FLOW_MODs
 * that ovs-ofctl 3.1 -O OpenFlow13 add-flow sent to a listener.
 */
/* "tun_src=192.0.2.2" */
static const uint8_t match_ovs_tun_src[] = {
    0x00, 0x01, 0x00, 0x0c,                         /* OFPMT_OXM, length 12 */
    0x00, 0x01, 0x3e, 0x04, 0xc0, 0x00, 0x02, 0x02, /* tun_src=192.0.2.2 */
    0x00, 0x00, 0x00, 0x00,                         /* pad to 16 */
};

/* "tun_src=192.0.2.0/24,tun_dst=198.51.100.7" */
static const uint8_t match_ovs_tun_both[] = {
    0x00, 0x01, 0x00, 0x18,                         /* OFPMT_OXM, length 24 */
    0x00, 0x01, 0x3f, 0x08, 0xc0, 0x00, 0x02, 0x00, /* tun_src, masked */
    0xff, 0xff, 0xff, 0x00,                         /* ... /24 */
    0x00, 0x01, 0x40, 0x04, 0xc6, 0x33, 0x64, 0x07, /* tun_dst=198.51.100.7 */
};

/* "in_port=1,tun_dst=10.0.0.0/255.0.255.0" */
static const uint8_t match_ovs_in_port_tun_dst[] = {
    0x00, 0x01, 0x00, 0x18,                         /* OFPMT_OXM, length 24 */
    0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, /* in_port=1 */
    0x00, 0x01, 0x41, 0x08, 0x0a, 0x00, 0x00, 0x00, /* tun_dst, masked */
    0xff, 0x00, 0xff, 0x00,                         /* ... 255.0.255.0 */
};

/* "tun_dst=198.51.100.7" */
static const uint8_t match_ovs_tun_dst[] = {
    0x00, 0x01, 0x00, 0x0c,                         /* OFPMT_OXM, length 12 */
    0x00, 0x01, 0x40, 0x04, 0xc6, 0x33, 0x64, 0x07, /* tun_dst=198.51.100.7 */
    0x00, 0x00, 0x00, 0x00,                         /* pad to 16 */
};

/* Wrap 'tlvs' ('n' bytes) in an ofp_match with zero padding; returns its size. */
static size_t
wrap(uint8_t *buf, const uint8_t *tlvs, size_t n)
{
	size_t length = 4 + n;
	size_t padded = (length + 7) / 8 * 8;

	memset(buf, 0, padded);
	buf[1] = OFPMT_OXM;
	buf[3] = (uint8_t)length;
	memcpy(buf + 4, tlvs, n);
	return padded;
}

static enum of_err
decode_tlvs(const uint8_t *tlvs, size_t n)
{
	uint8_t buf[256];
	struct of_match m;
	size_t used;

	return of_match_decode(buf, wrap(buf, tlvs, n), &m, &used);
}

/* Decode an ofp_match holding the TLV bytes given as arguments. */
#define DECODE_TLVS(...) \
	decode_tlvs((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void
round_trip(const uint8_t *wire, size_t size)
{
	struct of_match m;
	uint8_t buf[256];
	size_t used = 0;

	assert_int_equal(of_match_decode(wire, size, &m, &used), OF_ERR_NONE);
	assert_int_equal(used, size);
	assert_int_equal(of_match_encoded_size(&m), size);
	assert_int_equal(of_match_encode(&m, buf, sizeof(buf)), (int)size);
	assert_memory_equal(buf, wire, size);
	assert_int_equal(of_match_encode(&m, buf, size - 1), -ENOSPC);
}

static void
test_of_match_round_trips_to_same_bytes(void **state)
{
	(void)state;
	round_trip(match_tcp, sizeof(match_tcp));
	round_trip(match_any, sizeof(match_any));
	round_trip(match_nd, sizeof(match_nd));
	round_trip(match_arp, sizeof(match_arp));
}

static void
test_of_match_decodes_values_and_masks(void **state)
{
	struct of_match m;
	size_t used;

	(void)state;
	assert_int_equal(of_match_decode(match_tcp, sizeof(match_tcp), &m, &used), OF_ERR_NONE);
	assert_int_equal(m.n_fields, 5);
	assert_true(m.present == (1ull << OFPXMT_OFB_IN_PORT | 1ull << OFPXMT_OFB_ETH_TYPE |
				  1ull << OFPXMT_OFB_IP_PROTO | 1ull << OFPXMT_OFB_IPV4_SRC |
				  1ull << OFPXMT_OFB_TCP_DST));
	assert_true(m.masked == 1ull << OFPXMT_OFB_IPV4_SRC);
	assert_int_equal(m.value.in_port, 1);
	assert_int_equal(m.mask.in_port, 0xffffffff);
	assert_int_equal(m.value.eth_type, 0x0800);
	assert_int_equal(m.value.ip_proto, 6);
	assert_int_equal(m.value.ipv4_src, 0x0a000000);
	assert_int_equal(m.mask.ipv4_src, 0xff000000);
	assert_int_equal(m.value.tcp_dst, 80);
	assert_int_equal(m.mask.tcp_src, 0);

	assert_int_equal(of_match_decode(match_nd, sizeof(match_nd), &m, &used), OF_ERR_NONE);
	assert_int_equal(m.value.vlan_vid, OFPVID_PRESENT);
	assert_int_equal(m.mask.vlan_vid, OFPVID_PRESENT);
	assert_int_equal(m.value.vlan_pcp, 3);
	assert_true(m.value.metadata == 42);
	assert_true(m.value.tunnel_id == 5000);
	assert_int_equal(m.value.icmpv6_type, 135);
	assert_int_equal(m.value.ipv6_nd_target[15], 1);
	assert_int_equal(m.value.ipv6_nd_sll[5], 1);
	assert_int_equal(m.mask.ipv6_src[7], 0xff);
	assert_int_equal(m.mask.ipv6_src[8], 0);
	assert_int_equal(m.mask.eth_dst[2], 0xff);
	assert_string_equal(of_match_field_name(OFPXMT_OFB_IPV6_ND_TARGET), "ipv6_nd_target");
	assert_null(of_match_field_name(OFPXMT_OFB_MPLS_LABEL));
}

static void
test_of_match_bad_type_and_lengths(void **state)
{
	uint8_t buf[sizeof(match_tcp)];
	struct of_match m;
	size_t used;

	(void)state;
	memcpy(buf, match_tcp, sizeof(buf));
	buf[1] = OFPMT_STANDARD;
	assert_int_equal(of_match_decode(buf, sizeof(buf), &m, &used), OF_ERR_BAD_MATCH_BAD_TYPE);
	/* Length one too long, one too short, under the header. */
	memcpy(buf, match_tcp, sizeof(buf));
	buf[3] = 0x2a;
	assert_int_equal(of_match_decode(buf, sizeof(buf), &m, &used), OF_ERR_BAD_MATCH_BAD_LEN);
	buf[3] = 0x28;
	assert_int_equal(of_match_decode(buf, sizeof(buf), &m, &used), OF_ERR_BAD_MATCH_BAD_LEN);
	buf[3] = 0x03;
	assert_int_equal(of_match_decode(buf, sizeof(buf), &m, &used), OF_ERR_BAD_MATCH_BAD_LEN);
	/* Padding missing, or not zero. */
	memcpy(buf, match_tcp, sizeof(buf));
	assert_int_equal(of_match_decode(buf, sizeof(buf) - 1, &m, &used),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	buf[sizeof(buf) - 1] = 0x01;
	assert_int_equal(of_match_decode(buf, sizeof(buf), &m, &used), OF_ERR_BAD_MATCH_BAD_LEN);
	/* An OXM length that disagrees with its field's size. */
	memcpy(buf, match_tcp, sizeof(buf));
	buf[7] = 0x03;
	assert_int_equal(of_match_decode(buf, sizeof(buf), &m, &used), OF_ERR_BAD_MATCH_BAD_LEN);
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x03, 0x08, 0x00, 0x00),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	/* Masked TLV whose length is that of the unmasked field. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x17, 0x04,
				     0x0a, 0x00, 0x00, 0x00),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x07, 0x06, 1, 2, 3, 4, 5, 6),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	assert_int_equal(of_match_decode(buf, 3, &m, &used), OF_ERR_BAD_MATCH_BAD_LEN);
}

static void
test_of_match_unknown_fields_are_bad_field(void **state)
{
	(void)state;
	/* mpls_label: a 1.3 field the datapath does not match. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x44, 0x04, 0, 0, 0, 1),
			 OF_ERR_BAD_MATCH_BAD_FIELD);
	/* Field 50 is not defined. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x64, 0x01, 0), OF_ERR_BAD_MATCH_BAD_FIELD);
	/* NXM and experimenter classes. */
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x00, 0x04, 0, 0, 0, 1),
			 OF_ERR_BAD_MATCH_BAD_FIELD);
	assert_int_equal(DECODE_TLVS(0xff, 0xff, 0x00, 0x04, 0, 0, 0, 1),
			 OF_ERR_BAD_MATCH_BAD_FIELD);
}

static void
test_of_match_ovs_tunnel_fields_round_trip(void **state)
{
	(void)state;
	round_trip(match_ovs_tun_src, sizeof(match_ovs_tun_src));
	round_trip(match_ovs_tun_both, sizeof(match_ovs_tun_both));
	round_trip(match_ovs_in_port_tun_dst, sizeof(match_ovs_in_port_tun_dst));
	round_trip(match_ovs_tun_dst, sizeof(match_ovs_tun_dst));
}

static void
test_of_match_ovs_tunnel_fields_decode(void **state)
{
	static const uint8_t order_both[] = {OF_FIELD_TUN_SRC, OF_FIELD_TUN_DST};
	static const uint8_t order_in_port[] = {OFPXMT_OFB_IN_PORT, OF_FIELD_TUN_DST};
	struct of_match m;
	size_t used;

	(void)state;
	assert_int_equal(of_match_decode(match_ovs_tun_src, sizeof(match_ovs_tun_src), &m, &used),
			 OF_ERR_NONE);
	assert_true(m.present == 1ull << OF_FIELD_TUN_SRC);
	assert_true(m.masked == 0);
	assert_int_equal(m.value.tun_src, 0xc0000202);
	assert_int_equal(m.mask.tun_src, 0xffffffff);
	assert_int_equal(m.mask.tun_dst, 0);

	assert_int_equal(of_match_decode(match_ovs_tun_both, sizeof(match_ovs_tun_both), &m, &used),
			 OF_ERR_NONE);
	assert_int_equal(used, 24);
	assert_true(m.present == (1ull << OF_FIELD_TUN_SRC | 1ull << OF_FIELD_TUN_DST));
	assert_true(m.masked == 1ull << OF_FIELD_TUN_SRC);
	assert_int_equal(m.n_fields, 2);
	assert_memory_equal(m.order, order_both, sizeof(order_both));
	assert_int_equal(m.value.tun_src, 0xc0000200);
	assert_int_equal(m.mask.tun_src, 0xffffff00);
	assert_int_equal(m.value.tun_dst, 0xc6336407);
	assert_int_equal(m.mask.tun_dst, 0xffffffff);

	assert_int_equal(of_match_decode(match_ovs_in_port_tun_dst,
					 sizeof(match_ovs_in_port_tun_dst), &m, &used),
			 OF_ERR_NONE);
	assert_memory_equal(m.order, order_in_port, sizeof(order_in_port));
	assert_true(m.masked == 1ull << OF_FIELD_TUN_DST);
	assert_int_equal(m.value.in_port, 1);
	assert_int_equal(m.value.tun_dst, 0x0a000000);
	assert_int_equal(m.mask.tun_dst, 0xff00ff00);

	/* The field table and the mapping between field numbers and OXM headers. */
	assert_string_equal(of_match_field_name(OF_FIELD_TUN_SRC), "tun_src");
	assert_string_equal(of_match_field_name(OF_FIELD_TUN_DST), "tun_dst");
	assert_int_equal(of_match_field_size(OF_FIELD_TUN_SRC), 4);
	assert_int_equal(of_match_field_size(OF_FIELD_TUN_DST), 4);
	assert_true(of_match_field_maskable(OF_FIELD_TUN_SRC));
	assert_true(of_match_field_maskable(OF_FIELD_TUN_DST));
	assert_null(of_match_field_name(OF_MATCH_N_FIELDS));
	assert_int_equal(of_match_field_from_oxm(OFPXMC_NXM_1, NXM_NX_TUN_IPV4_SRC),
			 OF_FIELD_TUN_SRC);
	assert_int_equal(of_match_field_from_oxm(OFPXMC_NXM_1, NXM_NX_TUN_IPV4_DST),
			 OF_FIELD_TUN_DST);
	assert_int_equal(of_match_field_from_oxm(OFPXMC_OPENFLOW_BASIC, 31),
			 OFPXMT_OFB_IPV6_ND_TARGET);
	assert_int_equal(of_match_field_from_oxm(OFPXMC_OPENFLOW_BASIC, OF_FIELD_TUN_SRC), -1);
	assert_int_equal(of_match_field_from_oxm(OFPXMC_NXM_0, 31), -1);
	assert_int_equal(of_match_field_from_oxm(OFPXMC_OPENFLOW_BASIC, OFPXMT_OFB_MPLS_LABEL), -1);
	assert_int_equal(of_match_field_oxm_header(OF_FIELD_TUN_SRC, false, 4), 0x00013e04);
	assert_int_equal(of_match_field_oxm_header(OF_FIELD_TUN_SRC, true, 8), 0x00013f08);
	assert_int_equal(of_match_field_oxm_header(OF_FIELD_TUN_DST, false, 4), 0x00014004);
	assert_int_equal(of_match_field_oxm_header(OFPXMT_OFB_IN_PORT, false, 4), 0x80000004);
}

static void
test_of_match_ovs_tunnel_field_errors(void **state)
{
	uint8_t buf[sizeof(match_ovs_tun_both)], out[64];
	struct of_match m;
	size_t used;

	(void)state;
	/* tun_src with 5 bytes, 8 bytes unmasked, or 4 bytes masked. */
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x3e, 0x05, 0xc0, 0x00, 0x02, 0x02, 0x00),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	assert_int_equal(
	    DECODE_TLVS(0x00, 0x01, 0x3e, 0x08, 0xc0, 0x00, 0x02, 0x02, 0xff, 0xff, 0xff, 0xff),
	    OF_ERR_BAD_MATCH_BAD_LEN);
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x41, 0x04, 0xc6, 0x33, 0x64, 0x07),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x40, 0x03, 0xc6, 0x33, 0x64),
			 OF_ERR_BAD_MATCH_BAD_LEN);
	/* A value bit where the mask is 0, and the same field twice. */
	assert_int_equal(
	    DECODE_TLVS(0x00, 0x01, 0x3f, 0x08, 0xc0, 0x00, 0x02, 0x02, 0xff, 0xff, 0xff, 0x00),
	    OF_ERR_BAD_MATCH_BAD_WILDCARDS);
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x40, 0x04, 0xc6, 0x33, 0x64, 0x07, 0x00, 0x01,
				     0x41, 0x08, 0xc6, 0x33, 0x64, 0x00, 0xff, 0xff, 0xff, 0x00),
			 OF_ERR_BAD_MATCH_DUP_FIELD);
	/* Any mask is fine, even one that is not a prefix; no prerequisite. */
	assert_int_equal(
	    DECODE_TLVS(0x00, 0x01, 0x41, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01),
	    OF_ERR_NONE);
	/* Other classes and fields next to them stay unknown. */
	assert_int_equal(DECODE_TLVS(0x00, 0x00, 0x3e, 0x04, 0xc0, 0x00, 0x02, 0x02),
			 OF_ERR_BAD_MATCH_BAD_FIELD); /* NXM_0 field 31 */
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x42, 0x04, 0xc0, 0x00, 0x02, 0x02),
			 OF_ERR_BAD_MATCH_BAD_FIELD); /* NXM_1 field 33 */
	assert_int_equal(DECODE_TLVS(0x00, 0x01, 0x3c, 0x04, 0xc0, 0x00, 0x02, 0x02),
			 OF_ERR_BAD_MATCH_BAD_FIELD); /* NXM_1 field 30 */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x50, 0x04, 0xc0, 0x00, 0x02, 0x02),
			 OF_ERR_BAD_MATCH_BAD_FIELD); /* basic field 40 */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x52, 0x04, 0xc0, 0x00, 0x02, 0x02),
			 OF_ERR_BAD_MATCH_BAD_FIELD); /* basic field 41 */
	/* Every single-bit flip of the OVS vector fails cleanly or round-trips. */
	for (size_t i = 0; i < sizeof(match_ovs_tun_both) * 8; i++) {
		memcpy(buf, match_ovs_tun_both, sizeof(buf));
		buf[i / 8] ^= (uint8_t)(1u << (i % 8));
		if (of_match_decode(buf, sizeof(buf), &m, &used) != OF_ERR_NONE) {
			continue;
		}
		assert_int_equal(of_match_encode(&m, out, sizeof(out)), (int)used);
		assert_memory_equal(out, buf, used);
	}
}

static void
test_of_match_duplicates_masks_and_values(void **state)
{
	(void)state;
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x0a, 0x02, 0x08, 0x00),
	    OF_ERR_BAD_MATCH_DUP_FIELD);
	/* in_port and eth_type may not be masked. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x01, 0x08, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff),
			 OF_ERR_BAD_MATCH_BAD_MASK);
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0b, 0x04, 0x08, 0x00, 0xff, 0xff),
			 OF_ERR_BAD_MATCH_BAD_MASK);
	/* A value bit where the mask is 0 [7.2.3.5]. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x17, 0x08,
				     0x0a, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x00),
			 OF_ERR_BAD_MATCH_BAD_WILDCARDS);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x07, 0x0c, 1, 2, 3, 4, 5, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0),
	    OF_ERR_BAD_MATCH_BAD_WILDCARDS);
	/* Values beyond the field's bits. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0c, 0x02, 0x20, 0x00),
			 OF_ERR_BAD_MATCH_BAD_VALUE);
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0d, 0x04, 0x10, 0x00, 0x20, 0x00),
			 OF_ERR_BAD_MATCH_BAD_MASK);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0c, 0x02, 0x10, 0x05, 0x80, 0x00, 0x0e, 0x01, 0x08),
	    OF_ERR_BAD_MATCH_BAD_VALUE);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x10, 0x01, 0x40),
	    OF_ERR_BAD_MATCH_BAD_VALUE);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x12, 0x01, 0x04),
	    OF_ERR_BAD_MATCH_BAD_VALUE);
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x86, 0xdd, 0x80, 0x00, 0x38, 0x04,
				     0x00, 0x10, 0x00, 0x00),
			 OF_ERR_BAD_MATCH_BAD_VALUE);
	/* The same fields in range are fine. */
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0c, 0x02, 0x10, 0x05, 0x80, 0x00, 0x0e, 0x01, 0x07),
	    OF_ERR_NONE);
}

static void
test_of_match_prerequisites_are_enforced(void **state)
{
	(void)state;
	/* ipv4_src needs eth_type=0x0800. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x16, 0x04, 10, 0, 0, 1),
			 OF_ERR_BAD_MATCH_BAD_PREREQ);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x86, 0xdd, 0x80, 0x00, 0x16, 0x04, 10, 0, 0, 1),
	    OF_ERR_BAD_MATCH_BAD_PREREQ);
	/* ip_proto needs IPv4 or IPv6. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x14, 0x01, 0x06), OF_ERR_BAD_MATCH_BAD_PREREQ);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x06, 0x80, 0x00, 0x14, 0x01, 0x06),
	    OF_ERR_BAD_MATCH_BAD_PREREQ);
	/* tcp_dst needs ip_proto=6, not 17. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x14, 0x01,
				     0x11, 0x80, 0x00, 0x1c, 0x02, 0x00, 0x50),
			 OF_ERR_BAD_MATCH_BAD_PREREQ);
	/* The same with udp_dst is fine, and prerequisites may come after the field. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x20, 0x02, 0x00, 0x35, 0x80, 0x00, 0x0a, 0x02,
				     0x08, 0x00, 0x80, 0x00, 0x14, 0x01, 0x11),
			 OF_ERR_NONE);
	/* vlan_pcp needs a VLAN tag matched: vlan_vid absent, or OFPVID_NONE. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0e, 0x01, 0x03), OF_ERR_BAD_MATCH_BAD_PREREQ);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0c, 0x02, 0x00, 0x00, 0x80, 0x00, 0x0e, 0x01, 0x03),
	    OF_ERR_BAD_MATCH_BAD_PREREQ);
	/* in_phy_port needs in_port. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x02, 0x04, 0, 0, 0, 1),
			 OF_ERR_BAD_MATCH_BAD_PREREQ);
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x00, 0x04, 0, 0, 0, 1, 0x80, 0x00, 0x02, 0x04, 0, 0, 0, 1),
	    OF_ERR_NONE);
	/* arp_op needs eth_type=0x0806. */
	assert_int_equal(
	    DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x80, 0x00, 0x2a, 0x02, 0x00, 0x01),
	    OF_ERR_BAD_MATCH_BAD_PREREQ);
	/* ipv6_nd_tll needs icmpv6_type=136, and icmpv6 needs ip_proto=58. */
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x86, 0xdd, 0x80, 0x00, 0x14, 0x01,
				     0x3a, 0x80, 0x00, 0x3a, 0x01, 0x87, 0x80, 0x00, 0x42, 0x06, 1,
				     2, 3, 4, 5, 6),
			 OF_ERR_BAD_MATCH_BAD_PREREQ);
	assert_int_equal(DECODE_TLVS(0x80, 0x00, 0x0a, 0x02, 0x86, 0xdd, 0x80, 0x00, 0x14, 0x01,
				     0x06, 0x80, 0x00, 0x3a, 0x01, 0x87),
			 OF_ERR_BAD_MATCH_BAD_PREREQ);
}

/* Every truncation and every single-bit flip either fails cleanly or round-trips. */
static void
test_of_match_mutations_never_crash(void **state)
{
	uint8_t buf[sizeof(match_nd)], out[256];
	struct of_match m;
	size_t used;

	(void)state;
	for (size_t n = 0; n < sizeof(match_nd); n++) {
		assert_int_not_equal(of_match_decode(match_nd, n, &m, &used), OF_ERR_NONE);
	}
	for (size_t i = 0; i < sizeof(match_nd) * 8; i++) {
		memcpy(buf, match_nd, sizeof(buf));
		buf[i / 8] ^= (uint8_t)(1u << (i % 8));
		if (of_match_decode(buf, sizeof(buf), &m, &used) != OF_ERR_NONE) {
			continue;
		}
		assert_int_equal(of_match_encode(&m, out, sizeof(out)), (int)used);
		assert_memory_equal(out, buf, used);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_of_match_round_trips_to_same_bytes),
	    cmocka_unit_test(test_of_match_decodes_values_and_masks),
	    cmocka_unit_test(test_of_match_bad_type_and_lengths),
	    cmocka_unit_test(test_of_match_unknown_fields_are_bad_field),
	    cmocka_unit_test(test_of_match_ovs_tunnel_fields_round_trip),
	    cmocka_unit_test(test_of_match_ovs_tunnel_fields_decode),
	    cmocka_unit_test(test_of_match_ovs_tunnel_field_errors),
	    cmocka_unit_test(test_of_match_duplicates_masks_and_values),
	    cmocka_unit_test(test_of_match_prerequisites_are_enforced),
	    cmocka_unit_test(test_of_match_mutations_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
