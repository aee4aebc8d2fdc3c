/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cls.c - flow key extraction from hand-built frames (byte layouts
 * from IEEE 802.1Q, RFC 791/793/768/792/826, RFC 8200, RFC 4443/4861) and
 * the tuple space classifier: priorities, masks, tables, pruning, counters,
 * and single and burst lookups against a linear reference model; rules
 * inserted and removed in a built classifier, checked against the model
 * after each commit, with a reader thread looking up meanwhile.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "datapath/cls_priv.h"
#include "datapath/dp_flow.h"
#include "datapath/dp_priv.h"
#include "eal_test.h"

#define MAC_DST 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define MAC_SRC 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee

static const uint8_t mac_dst[6] = {MAC_DST};
static const uint8_t mac_src[6] = {MAC_SRC};

/* TCP/IPv4 in an 802.1Q tag: PCP 5, VID 100 (TCI 0xa064), TOS 0xb9 (DSCP
 * 46, ECN 1), 10.0.0.1:1234 -> 10.0.0.2:80. 58 bytes, no payload. */
static const uint8_t tcp4_vlan[] = {
    MAC_DST, MAC_SRC, 0x81, 0x00, 0xa0, 0x64, 0x08, 0x00,
    /* IPv4: version/IHL, TOS, total length 40, id, flags/frag, TTL, proto 6 */
    0x45, 0xb9, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0,
    2,
    /* TCP: ports 1234, 80, seq, ack, offset 5, flags SYN, window, csum, urg */
    0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0};

/* The same without the tag: 54 bytes. */
static const uint8_t tcp4[] = {
    MAC_DST, MAC_SRC, 0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00,
    0x00,    10,      0,    0,    1,    10,   0,    0,    2,    0x04, 0xd2, 0x00, 0x50, 0,    0,
    0,       1,       0,    0,    0,    0,    0x50, 0x02, 0xff, 0xff, 0,    0,    0,    0};

static void
expect_l2(struct dp_flow_key *k, uint32_t in_port, uint16_t eth_type)
{
	memset(k, 0, sizeof(*k));
	k->in_port = in_port;
	k->eth_type = eth_type;
	memcpy(k->eth_dst, mac_dst, 6);
	memcpy(k->eth_src, mac_src, 6);
}

/* Extracts from a heap copy of exactly 'len' bytes, so a read past the
 * end is caught by sanitizers and valgrind. */
static void
extract(const uint8_t *frame, uint32_t len, uint32_t in_port, struct dp_flow_key *key)
{
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, frame, len);
	memset(key, 0xa5, sizeof(*key));
	dp_flow_extract(copy, len, in_port, key);
	free(copy);
}

static void
test_cls_extract_tcp_ipv4_with_vlan(void **state)
{
	struct dp_flow_key k, e;

	(void)state;
	extract(tcp4_vlan, sizeof(tcp4_vlan), 7, &k);
	expect_l2(&e, 7, 0x0800);
	e.vlan_vid = 0x1000 | 100;
	e.vlan_pcp = 5;
	e.ip_proto = 6;
	e.ip_dscp = 46;
	e.ip_ecn = 1;
	e.nw_src = 0x0a000001;
	e.nw_dst = 0x0a000002;
	e.tp_src = 1234;
	e.tp_dst = 80;
	assert_memory_equal(&k, &e, sizeof(k));
}

static void
test_cls_extract_qinq_udp(void **state)
{
	/* 802.1ad outer PCP 3 VID 10, 802.1Q inner PCP 0 VID 20, UDP 53 -> 5353. */
	static const uint8_t f[] = {MAC_DST, MAC_SRC, 0x88, 0xa8, 0x60, 0x0a, 0x81, 0x00,
				    0x00,    0x14,    0x08, 0x00, 0x45, 0x00, 0x00, 0x1c,
				    0,       0,       0,    0,    64,   17,   0,    0,
				    192,     168,     1,    1,    192,  168,  1,    2,
				    0x00,    0x35,    0x14, 0xe9, 0x00, 0x08, 0,    0};
	struct dp_flow_key k, e;

	(void)state;
	extract(f, sizeof(f), 1, &k);
	expect_l2(&e, 1, 0x0800);
	e.vlan_vid = 0x1000 | 10;
	e.vlan_pcp = 3;
	e.ip_proto = 17;
	e.nw_src = 0xc0a80101;
	e.nw_dst = 0xc0a80102;
	e.tp_src = 53;
	e.tp_dst = 5353;
	assert_memory_equal(&k, &e, sizeof(k));
}

static void
test_cls_extract_icmp_echo(void **state)
{
	/* Echo request (type 8, code 0), padded to 60 bytes with junk that
	 * must not be read as anything. */
	static const uint8_t f[60] = {MAC_DST, MAC_SRC, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0,
				      0,       0,       0,    64,   1,    0,    0,    1,    2,
				      3,       4,       5,    6,    7,    8,    8,    0,    0xf7,
				      0xff,    0,       0,    0,    0,    0xee, 0xee, 0xee, 0xee};
	struct dp_flow_key k, e;

	(void)state;
	extract(f, sizeof(f), 2, &k);
	expect_l2(&e, 2, 0x0800);
	e.ip_proto = 1;
	e.nw_src = 0x01020304;
	e.nw_dst = 0x05060708;
	e.tp_src = 8;
	e.tp_dst = 0;
	assert_memory_equal(&k, &e, sizeof(k));
}

static void
test_cls_extract_arp_request(void **state)
{
	/* RFC 826 over Ethernet: htype 1, ptype 0x0800, hlen 6, plen 4, op 1. */
	static const uint8_t f[] = {MAC_DST, MAC_SRC, 0x08, 0x06,    0x00, 0x01, 0x08, 0x00, 6,
				    4,       0x00,    0x01, MAC_SRC, 10,   1,    1,    1,    0,
				    0,       0,       0,    0,       0,    10,   1,    1,    2};
	static const uint8_t bad[] = {MAC_DST, MAC_SRC, 0x08, 0x06,    0x00, 0x06, 0x08, 0x00, 6,
				      4,       0x00,    0x01, MAC_SRC, 10,   1,    1,    1,    0,
				      0,       0,       0,    0,       0,    10,   1,    1,    2};
	struct dp_flow_key k, e;

	(void)state;
	extract(f, sizeof(f), 3, &k);
	expect_l2(&e, 3, 0x0806);
	e.arp_op = 1;
	e.nw_src = 0x0a010101;
	e.nw_dst = 0x0a010102;
	memcpy(e.arp_sha, mac_src, 6);
	assert_memory_equal(&k, &e, sizeof(k));

	/* Hardware type 6 (IEEE 802): not Ethernet/IPv4 ARP, no ARP fields. */
	extract(bad, sizeof(bad), 3, &k);
	expect_l2(&e, 3, 0x0806);
	assert_memory_equal(&k, &e, sizeof(k));
}

static void
test_cls_extract_ipv6_tcp(void **state)
{
	/* Version 6, traffic class 0xb9 (DSCP 46, ECN 1), flow label 0x12345,
	 * payload 20, next header 6, hop limit 64; 2001:db8::1 -> 2001:db8::2. */
	static const uint8_t f[] = {
	    MAC_DST, MAC_SRC, 0x86, 0xdd, 0x6b, 0x91, 0x23, 0x45, 0x00, 0x14, 6, 64, 0x20,
	    0x01,    0x0d,    0xb8, 0,    0,    0,    0,    0,    0,    0,    0, 0,  0,
	    0,       1,       0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,    0,    0, 0,  0,
	    0,       0,       0,    0,    2,    0x01, 0xbb, 0xc0, 0x01, 0,    0, 0,  0,
	    0,       0,       0,    0,    0x50, 0x10, 0x01, 0x00, 0,    0,    0, 0};
	struct dp_flow_key k, e;

	(void)state;
	extract(f, sizeof(f), 4, &k);
	expect_l2(&e, 4, 0x86dd);
	e.ip_dscp = 46;
	e.ip_ecn = 1;
	e.ipv6_flabel = 0x12345;
	e.ip_proto = 6;
	memcpy(e.ipv6_src, f + 22, 16);
	memcpy(e.ipv6_dst, f + 38, 16);
	e.ipv6_src[15] = 1;
	e.tp_src = 443;
	e.tp_dst = 0xc001;
	assert_memory_equal(&k, &e, sizeof(k));
	assert_int_equal(k.ipv6_dst[0], 0x20);
	assert_int_equal(k.ipv6_dst[15], 2);
}

/* ICMPv6 NS [RFC 4861 4.3] from fe80::1 for target fe80::2, with a source
 * link-layer address option (type 1, length 1 = 8 bytes). */
static const uint8_t ns6[] = {MAC_DST, MAC_SRC, 0x86, 0xdd, 0x60, 0, 0, 0, 0x00, 0x20, 58, 255,
			      /* src fe80::1 */
			      0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
			      /* dst ff02::1:ff00:2 */
			      0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2,
			      /* type 135, code 0, checksum, reserved */
			      135, 0, 0x12, 0x34, 0, 0, 0, 0,
			      /* target fe80::2 */
			      0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
			      /* SLL option */
			      1, 1, MAC_SRC};

static void
test_cls_extract_icmpv6_ns_with_sll(void **state)
{
	static const uint8_t target[16] = {0xfe, 0x80, [15] = 2};
	uint8_t dup[sizeof(ns6) + 8];
	struct dp_flow_key k;

	(void)state;
	extract(ns6, sizeof(ns6), 5, &k);
	assert_int_equal(k.eth_type, 0x86dd);
	assert_int_equal(k.ip_proto, 58);
	assert_int_equal(k.tp_src, 135);
	assert_int_equal(k.tp_dst, 0);
	assert_memory_equal(k.nd_target, target, 16);
	assert_memory_equal(k.arp_sha, mac_src, 6);
	assert_memory_equal(k.arp_tha, (uint8_t[6]){0}, 6);
	assert_int_equal(k.ipv6_src[15], 1);

	/* A second SLL option is malformed (as OVS): no ND fields at all. */
	memcpy(dup, ns6, sizeof(ns6));
	memcpy(dup + sizeof(ns6), ns6 + sizeof(ns6) - 8, 8);
	dup[19] = 0x28;
	extract(dup, sizeof(dup), 5, &k);
	assert_int_equal(k.tp_src, 135);
	assert_memory_equal(k.nd_target, (uint8_t[16]){0}, 16);
	assert_memory_equal(k.arp_sha, (uint8_t[6]){0}, 6);
}

static void
test_cls_extract_fragments_carry_l4_only_first(void **state)
{
	uint8_t f[sizeof(tcp4)];
	struct dp_flow_key k;

	(void)state;
	memcpy(f, tcp4, sizeof(f));
	f[20] = 0x20; /* MF set, offset 0: the first fragment has the TCP header */
	f[21] = 0x00;
	extract(f, sizeof(f), 1, &k);
	assert_int_equal(k.tp_src, 1234);
	assert_int_equal(k.tp_dst, 80);

	f[20] = 0x00; /* last fragment at offset 100*8 */
	f[21] = 100;
	extract(f, sizeof(f), 1, &k);
	assert_int_equal(k.ip_proto, 6);
	assert_int_equal(k.nw_src, 0x0a000001);
	assert_int_equal(k.nw_dst, 0x0a000002);
	assert_int_equal(k.tp_src, 0);
	assert_int_equal(k.tp_dst, 0);
}

static void
test_cls_extract_truncations_zero_what_is_cut(void **state)
{
	struct dp_flow_key k;
	uint32_t len;

	(void)state;
	for (len = 0; len <= sizeof(tcp4); len++) {
		extract(tcp4, len, 9, &k);
		assert_int_equal(k.in_port, 9);
		assert_int_equal(k.eth_type, len < 14 ? 0 : 0x0800);
		assert_int_equal(k.nw_src, len < 34 ? 0 : 0x0a000001);
		assert_int_equal(k.ip_proto, len < 34 ? 0 : 6);
		assert_int_equal(k.tp_src, len < sizeof(tcp4) ? 0 : 1234);
		assert_int_equal(k.tp_dst, len < sizeof(tcp4) ? 0 : 80);
		assert_int_equal(k.pad4 | k.tun_src | k.pad14 | k.pad15, 0);
	}
	for (len = 0; len < sizeof(tcp4_vlan); len++) {
		extract(tcp4_vlan, len, 9, &k);
		assert_int_equal(k.tp_src, 0);
		assert_int_equal(k.eth_type, len < 18 ? 0 : 0x0800);
	}
	for (len = 0; len < sizeof(ns6); len++) {
		extract(ns6, len, 9, &k);
		assert_memory_equal(k.arp_sha, (uint8_t[6]){0}, 6);
	}
}

static void
test_cls_extract_llc_and_unknown(void **state)
{
	/* 802.3 length 0x0026 with plain LLC (STP BPDU): no EtherType. */
	static const uint8_t stp[] = {MAC_DST, MAC_SRC, 0x00, 0x26, 0x42, 0x42,
				      0x03,    0,       0,    0,    0,    0};
	/* LLC/SNAP, OUI 0, type 0x0806: as an EtherType. */
	static const uint8_t snap[] = {MAC_DST, MAC_SRC, 0x00, 0x30, 0xaa, 0xaa,
				       0x03,    0,       0,    0,    0x08, 0x06};
	struct dp_flow_key k;

	(void)state;
	extract(stp, sizeof(stp), 1, &k);
	assert_int_equal(k.eth_type, 0x05ff);
	extract(snap, sizeof(snap), 1, &k);
	assert_int_equal(k.eth_type, 0x0806);
	assert_int_equal(k.arp_op, 0);
}

static void
test_cls_extract_mbuf_matches_bytes(void **state)
{
	struct rte_mempool *mp =
	    rte_pktmbuf_pool_create("test_cls", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	struct dp_flow_key a, b;
	struct rte_mbuf *m;

	(void)state;
	assert_non_null(mp);
	m = rte_pktmbuf_alloc(mp);
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, sizeof(tcp4_vlan)), tcp4_vlan, sizeof(tcp4_vlan));
	dp_flow_extract_mbuf(m, 3, &a);
	dp_flow_extract(tcp4_vlan, sizeof(tcp4_vlan), 3, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(a.tp_dst, 80);
	rte_pktmbuf_free(m);
	rte_mempool_free(mp);
}

/* ---- classifier ---- */

static struct dp_action out_op = {.op = DP_OP_OUTPUT, .arg = 1};

static int
add(struct dp_cls *cls, uint8_t table, uint16_t prio, const struct dp_flow_key *value,
    const struct dp_flow_key *mask)
{
	struct dp_rule_spec s = {.table = table, .priority = prio, .n_ops = 1, .ops = &out_op};

	s.flow_id = 1000 + dp_cls_n_rules(cls);
	s.value = *value;
	s.mask = *mask;
	return dp_cls_add(cls, &s);
}

static struct dp_cls *
new_cls(unsigned max_rules)
{
	struct dp_cls *cls = dp_cls_create(max_rules, 2);

	assert_non_null(cls);
	return cls;
}

static void
test_cls_priority_across_subtables(void **state)
{
	struct dp_flow_key v = {0}, m = {0}, k = {0};
	struct dp_cls *cls = new_cls(8);

	(void)state;
	m.eth_type = 0xffff;
	v.eth_type = 0x0800;
	assert_int_equal(add(cls, 0, 10, &v, &m), 0); /* 0: any IPv4 */
	m.nw_dst = 0xffffffff;
	v.nw_dst = 0x0a000002;
	assert_int_equal(add(cls, 0, 20, &v, &m), 0); /* 1: IPv4 to 10.0.0.2 */
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	assert_int_equal(add(cls, 0, 5, &v, &m), 0); /* 2: everything */
	assert_int_equal(dp_cls_build(cls), 0);

	k.eth_type = 0x0800;
	k.nw_dst = 0x0a000002;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 1);
	k.nw_dst = 0x0a000003;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 0);
	k.eth_type = 0x86dd;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 2);
	assert_int_equal(dp_cls_rule_flow_id(cls, 1), 1001);
	dp_cls_free(cls);
}

static void
test_cls_same_mask_different_priorities(void **state)
{
	struct dp_flow_key v = {0}, m = {0}, k = {0};
	struct dp_cls *cls = new_cls(8);

	(void)state;
	m.tp_dst = 0xffff;
	v.tp_dst = 80;
	assert_int_equal(add(cls, 0, 10, &v, &m), 0);
	assert_int_equal(add(cls, 0, 30, &v, &m), 0);
	assert_int_equal(add(cls, 0, 20, &v, &m), 0);
	v.tp_dst = 443;
	assert_int_equal(add(cls, 0, 1, &v, &m), 0);
	assert_int_equal(dp_cls_build(cls), 0);
	k.tp_dst = 80;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 1);
	k.tp_dst = 443;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 3);
	k.tp_dst = 22;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	dp_cls_free(cls);
}

static void
test_cls_masks_prefix_mac_metadata(void **state)
{
	struct dp_flow_key v = {0}, m = {0}, k = {0};
	struct dp_cls *cls = new_cls(8);

	(void)state;
	m.eth_type = 0xffff; /* 0: IPv4 to 10.1.2.0/24 */
	m.nw_dst = 0xffffff00;
	v.eth_type = 0x0800;
	v.nw_dst = 0x0a010203; /* host bits set: dp_cls_add masks them */
	assert_int_equal(add(cls, 0, 10, &v, &m), 0);
	memset(&m, 0, sizeof(m)); /* 1: group destinations */
	memset(&v, 0, sizeof(v));
	m.eth_dst[0] = 0x01;
	v.eth_dst[0] = 0x01;
	assert_int_equal(add(cls, 0, 10, &v, &m), 0);
	memset(&m, 0, sizeof(m)); /* 2: metadata 0x??ab?? */
	memset(&v, 0, sizeof(v));
	m.metadata = 0xff00;
	v.metadata = 0xab00;
	assert_int_equal(add(cls, 0, 10, &v, &m), 0);
	assert_int_equal(dp_cls_build(cls), 0);

	k.eth_type = 0x0800;
	k.nw_dst = 0x0a01024d;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 0);
	k.nw_dst = 0x0a010301;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	memcpy(k.eth_dst, (uint8_t[6]){0x33, 0x33, 0, 0, 0, 1}, 6);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 1);
	k.eth_dst[0] = 0x02;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	k.metadata = 0x1234ab77;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 2);
	k.metadata = 0xac00;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	dp_cls_free(cls);
}

static void
test_cls_tables_are_isolated(void **state)
{
	struct dp_flow_key v = {0}, m = {0}, k = {0};
	struct dp_cls *cls = new_cls(8);
	const struct dp_flow_key *keys[1] = {&k};
	int32_t r;

	(void)state;
	m.in_port = 0xffffffff;
	v.in_port = 4;
	assert_int_equal(add(cls, 1, 10, &v, &m), 0);
	assert_int_equal(add(cls, 254, 10, &v, &m), 0);
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	assert_int_equal(add(cls, 3, 0, &v, &m), 0);
	assert_int_equal(dp_cls_build(cls), 0);
	k.in_port = 4;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	assert_int_equal(dp_cls_lookup(cls, 1, &k), 0);
	assert_int_equal(dp_cls_lookup(cls, 2, &k), -1);
	assert_int_equal(dp_cls_lookup(cls, 3, &k), 2);
	assert_int_equal(dp_cls_lookup(cls, 254, &k), 1);
	assert_int_equal(dp_cls_lookup(cls, 255, &k), -1);
	dp_cls_lookup_burst(cls, 2, keys, 1, &r);
	assert_int_equal(r, -1);
	dp_cls_lookup_burst(cls, 254, keys, 1, &r);
	assert_int_equal(r, 1);
	dp_cls_free(cls);
}

static void
test_cls_pruning_keeps_exact_answers(void **state)
{
	struct dp_flow_key v = {0}, m = {0}, k = {0};
	const struct dp_flow_key *keys[1] = {&k};
	struct dp_cls *cls = new_cls(8);
	int32_t r;

	(void)state;
	/* Subtable A (tp_dst): priorities 100 and 1. Subtable B (tp_src): 50. */
	m.tp_dst = 0xffff;
	v.tp_dst = 80;
	assert_int_equal(add(cls, 0, 100, &v, &m), 0); /* 0 */
	v.tp_dst = 81;
	assert_int_equal(add(cls, 0, 1, &v, &m), 0); /* 1 */
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	m.tp_src = 0xffff;
	v.tp_src = 7;
	assert_int_equal(add(cls, 0, 50, &v, &m), 0); /* 2 */
	/* Subtable C (ip_proto): 50, the same priority as 2 but added later. */
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	m.ip_proto = 0xff;
	v.ip_proto = 6;
	assert_int_equal(add(cls, 0, 50, &v, &m), 0); /* 3 */
	/* Subtable D (arp_op): 50 again, holds its 50 after a lower rule. */
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	m.arp_op = 0xffff;
	v.arp_op = 1;
	assert_int_equal(add(cls, 0, 50, &v, &m), 0); /* 4 */
	/* Table 1: a subtable whose best rule comes first holds a later one. */
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	m.tp_dst = 0xffff;
	v.tp_dst = 80;
	assert_int_equal(add(cls, 1, 50, &v, &m), 0); /* 5 */
	m.tp_dst = 0;
	m.tp_src = 0xffff;
	v.tp_dst = 0;
	v.tp_src = 7;
	assert_int_equal(add(cls, 1, 50, &v, &m), 0); /* 6 */
	m.tp_dst = 0xffff;
	m.tp_src = 0;
	v.tp_dst = 81;
	v.tp_src = 0;
	assert_int_equal(add(cls, 1, 50, &v, &m), 0); /* 7 */
	assert_int_equal(dp_cls_build(cls), 0);

	k.tp_dst = 81; /* A gives 1 first; B's 50 must still win */
	k.tp_src = 7;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 2);
	k.tp_dst = 80;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 0);
	k.tp_dst = 0; /* ties at 50: the rule added first */
	k.ip_proto = 6;
	k.arp_op = 1;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 2);
	k.tp_src = 0;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 3);
	k.ip_proto = 0;
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 4);
	memset(&k, 0, sizeof(k));
	k.tp_dst = 81; /* 7's subtable is probed first, but 6 was added first */
	k.tp_src = 7;
	assert_int_equal(dp_cls_lookup(cls, 1, &k), 6);
	dp_cls_lookup_burst(cls, 1, keys, 1, &r);
	assert_int_equal(r, 6);
	dp_cls_free(cls);
}

/* ---- reference model ---- */

#define REF_RULES 2000
#define REF_KEYS  20000

struct ref_rule {
	uint8_t table;
	uint16_t prio;
	struct dp_flow_key value, mask;
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11) % n;
}

/* Fills 'k' from a small universe so that random rules and keys meet. */
static void
rnd_key(struct dp_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->in_port = 1 + rnd(4);
	k->eth_type = rnd(2) ? 0x0800 : 0x86dd;
	k->eth_dst[5] = rnd(8);
	k->eth_dst[0] = rnd(2);
	k->ip_proto = rnd(2) ? 6 : 17;
	k->nw_dst = 0x0a000000 | rnd(4) << 8 | rnd(4);
	k->tp_dst = 80 + rnd(6);
	k->metadata = (uint64_t)rnd(4) << 32 | rnd(4);
	k->arp_tha[5] = rnd(3);
}

static void
rnd_mask(struct dp_flow_key *m)
{
	memset(m, 0, sizeof(*m));
	switch (rnd(8)) {
	case 0:
		m->eth_type = 0xffff;
		break;
	case 1:
		m->eth_type = 0xffff;
		m->nw_dst = 0xffffff00;
		break;
	case 2:
		m->eth_type = 0xffff;
		m->ip_proto = 0xff;
		m->nw_dst = 0xffffffff;
		m->tp_dst = 0xffff;
		break;
	case 3:
		m->in_port = 0xffffffff;
		m->eth_dst[5] = 0xff;
		break;
	case 4:
		m->eth_dst[0] = 0x01;
		m->metadata = 0xffffffff00000000ull;
		break;
	case 5:
		m->metadata = 0xff;
		m->arp_tha[5] = 0xff;
		break;
	case 6:
		m->in_port = 0xffffffff;
		m->ip_proto = 0xff;
		break;
	default:
		if (rnd(20) != 0) {
			m->tp_dst = 0xffff;
		}
		break;
	}
}

static bool
ref_matches(const struct ref_rule *r, const struct dp_flow_key *k)
{
	const uint8_t *kb = (const uint8_t *)k, *vb = (const uint8_t *)&r->value;
	const uint8_t *mb = (const uint8_t *)&r->mask;
	size_t i;

	for (i = 0; i < sizeof(*k); i++) {
		if ((kb[i] & mb[i]) != vb[i]) {
			return false;
		}
	}
	return true;
}

static int
ref_lookup(const struct ref_rule *rules, unsigned n, uint8_t table, const struct dp_flow_key *k)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (rules[i].table == table && ref_matches(&rules[i], k) &&
		    (best < 0 || rules[i].prio > rules[best].prio)) {
			best = (int)i;
		}
	}
	return best;
}

static bool
ref_duplicate(const struct ref_rule *rules, unsigned n, const struct ref_rule *r)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (rules[i].table == r->table && rules[i].prio == r->prio &&
		    memcmp(&rules[i].value, &r->value, sizeof(r->value)) == 0 &&
		    memcmp(&rules[i].mask, &r->mask, sizeof(r->mask)) == 0) {
			return true;
		}
	}
	return false;
}

static unsigned
ref_fill(struct dp_cls *cls, struct ref_rule *rules)
{
	unsigned n = 0, j;

	while (n < REF_RULES) {
		struct ref_rule *r = &rules[n];
		uint8_t *vb = (uint8_t *)&r->value, *mb = (uint8_t *)&r->mask;

		r->table = rnd(3);
		r->prio = rnd(16);
		rnd_mask(&r->mask);
		rnd_key(&r->value);
		for (j = 0; j < sizeof(r->value); j++) {
			vb[j] &= mb[j];
		}
		if (ref_duplicate(rules, n, r)) {
			continue;
		}
		assert_int_equal(add(cls, r->table, r->prio, &r->value, &r->mask), 0);
		n++;
	}
	return n;
}

static void
test_cls_lookup_matches_reference_model(void **state)
{
	struct ref_rule *rules = calloc(REF_RULES, sizeof(*rules));
	struct dp_flow_key keys[DP_CLS_BURST_MAX + 18];
	const struct dp_flow_key *kp[DP_CLS_BURST_MAX + 18];
	int32_t got[DP_CLS_BURST_MAX + 18];
	struct dp_cls *cls = new_cls(REF_RULES);
	unsigned n, i, done, hits = 0;

	(void)state;
	assert_non_null(rules);
	n = ref_fill(cls, rules);
	assert_int_equal(dp_cls_build(cls), 0);
	assert_int_equal(dp_cls_n_rules(cls), n);
	for (done = 0; done < REF_KEYS; done += 50) {
		uint8_t table = rnd(4); /* table 3 is empty */
		unsigned burst = done % 200 == 0 ? 50 : 1 + rnd(DP_CLS_BURST_MAX);

		for (i = 0; i < burst; i++) {
			rnd_key(&keys[i]);
			kp[i] = &keys[i];
		}
		dp_cls_lookup_burst(cls, table, kp, burst, got);
		for (i = 0; i < burst; i++) {
			int want = ref_lookup(rules, n, table, &keys[i]);

			assert_int_equal(dp_cls_lookup(cls, table, &keys[i]), want);
			assert_int_equal(got[i], want);
			hits += want >= 0;
		}
	}
	/* The model is only a test if most keys hit something. */
	assert_true(hits > REF_KEYS / 4);
	dp_cls_free(cls);
	free(rules);
}

static void
test_cls_counters_sum_over_pmds(void **state)
{
	struct dp_flow_key z = {0};
	struct dp_cls *cls = dp_cls_create(3, 3);
	uint64_t packets, bytes, used;

	(void)state;
	assert_non_null(cls);
	assert_int_equal(add(cls, 0, 1, &z, &z), 0);
	z.in_port = 1;
	assert_int_equal(add(cls, 0, 2, &z, &z), 0);
	assert_int_equal(dp_cls_build(cls), 0);
	dp_cls_count(cls, 0, 1, 100, 500);
	dp_cls_count(cls, 0, 1, 60, 700);
	dp_cls_count(cls, 2, 1, 1500, 600);
	dp_cls_rule_stats(cls, 1, &packets, &bytes, &used);
	assert_int_equal(packets, 3);
	assert_int_equal(bytes, 1660);
	assert_int_equal(used, 700);
	dp_cls_rule_stats(cls, 0, &packets, &bytes, &used);
	assert_int_equal(packets + bytes + used, 0);
	/* Each PMD's counters start on their own cache line. */
	assert_int_equal(cls->counter_stride * sizeof(struct dp_cls_counter) % RTE_CACHE_LINE_SIZE,
			 0);
	assert_int_equal((uintptr_t)cls->counters % RTE_CACHE_LINE_SIZE, 0);
	dp_cls_free(cls);
}

static void
test_cls_rule_ops_are_copied(void **state)
{
	struct dp_action ops[2] = {{.op = DP_OP_SET_FIELD, .field = 3, .data.bytes = {1, 2}},
				   {.op = DP_OP_GOTO_TABLE, .arg = 4}};
	struct dp_rule_spec s = {.table = 2,
				 .priority = 0,
				 .table_miss = true,
				 .cookie = 0xc00c1e,
				 .flow_id = 77,
				 .n_ops = 2,
				 .ops = ops};
	struct dp_cls *cls = new_cls(4);
	const struct dp_action *got;
	uint16_t n_ops;

	(void)state;
	assert_int_equal(dp_cls_add(cls, &s), 0);
	s.n_ops = 0;
	s.ops = NULL;
	s.priority = 9;
	assert_int_equal(dp_cls_add(cls, &s), 0);
	ops[0].field = 99;
	assert_int_equal(dp_cls_build(cls), 0);
	got = dp_cls_rule_ops(cls, 0, &n_ops);
	assert_int_equal(n_ops, 2);
	assert_int_equal(got[0].op, DP_OP_SET_FIELD);
	assert_int_equal(got[0].field, 3);
	assert_int_equal(got[0].data.bytes[1], 2);
	assert_int_equal(got[1].op, DP_OP_GOTO_TABLE);
	assert_int_equal(got[1].arg, 4);
	assert_true(dp_cls_rule(cls, 0)->table_miss);
	assert_int_equal(dp_cls_rule(cls, 0)->cookie, 0xc00c1e);
	assert_int_equal(dp_cls_rule(cls, 0)->table, 2);
	dp_cls_rule_ops(cls, 1, &n_ops);
	assert_int_equal(n_ops, 0);
	assert_int_equal(dp_cls_rule(cls, 1)->priority, 9);
	assert_int_equal(dp_cls_rule_flow_id(cls, 0), 77);
	dp_cls_free(cls);
}

static bool
normal_only(uint8_t table, uint32_t in_port_mask, uint8_t op, uint16_t n_ops, bool second)
{
	struct dp_action ops[2] = {{.op = op}, {.op = DP_OP_NORMAL}};
	struct dp_rule_spec s = {.table = table, .n_ops = n_ops, .ops = ops};
	struct dp_cls *cls = new_cls(2);
	bool ret;

	s.mask.in_port = in_port_mask;
	assert_int_equal(dp_cls_add(cls, &s), 0);
	if (second) {
		s.priority = 1;
		assert_int_equal(dp_cls_add(cls, &s), 0);
	}
	assert_int_equal(dp_cls_build(cls), 0);
	ret = dp_cls_is_normal_only(cls);
	dp_cls_free(cls);
	return ret;
}

static void
test_cls_is_normal_only(void **state)
{
	(void)state;
	assert_true(normal_only(0, 0, DP_OP_NORMAL, 1, false));
	assert_false(normal_only(0, 0, DP_OP_NORMAL, 1, true));
	assert_false(normal_only(1, 0, DP_OP_NORMAL, 1, false));
	assert_false(normal_only(0, 0xffffffff, DP_OP_NORMAL, 1, false));
	assert_false(normal_only(0, 0, DP_OP_FLOOD, 1, false));
	assert_false(normal_only(0, 0, DP_OP_NORMAL, 2, false));
	assert_false(normal_only(0, 0, DP_OP_NORMAL, 0, false));
}

static void
test_cls_add_refuses_bad_rules(void **state)
{
	struct dp_action bad_port = {.op = DP_OP_OUTPUT, .arg = DP_MAX_PORTS};
	struct dp_action back = {.op = DP_OP_GOTO_TABLE, .arg = 1};
	struct dp_action unknown = {.op = 0};
	struct dp_rule_spec s = {.table = 255};
	struct dp_cls *cls = new_cls(2);

	(void)state;
	assert_int_equal(dp_cls_add(cls, &s), -EINVAL);
	s.table = 1;
	s.n_ops = 1;
	s.ops = &bad_port;
	assert_int_equal(dp_cls_add(cls, &s), -EINVAL);
	s.ops = &back;
	assert_int_equal(dp_cls_add(cls, &s), -EINVAL);
	s.ops = &unknown;
	assert_int_equal(dp_cls_add(cls, &s), -EINVAL);
	s.ops = &out_op;
	assert_int_equal(dp_cls_add(cls, &s), 0);
	s.priority = 1;
	assert_int_equal(dp_cls_add(cls, &s), 0);
	s.priority = 2;
	assert_int_equal(dp_cls_add(cls, &s), -ENOSPC);
	assert_int_equal(dp_cls_n_rules(cls), 2);
	assert_int_equal(dp_cls_build(cls), 0);
	s.priority = 3;
	assert_int_equal(dp_cls_add(cls, &s), -EINVAL);
	dp_cls_free(cls);
	dp_cls_free(NULL);
}

static void
test_cls_empty_classifier_matches_nothing(void **state)
{
	struct dp_flow_key k = {0};
	struct dp_cls *cls = new_cls(0);
	const struct dp_flow_key *kp[1] = {&k};
	int32_t r = 5;

	(void)state;
	assert_int_equal(dp_cls_build(cls), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	dp_cls_lookup_burst(cls, 0, kp, 1, &r);
	assert_int_equal(r, -1);
	assert_false(dp_cls_is_normal_only(cls));
	dp_cls_free(cls);
}

/* ---- incremental changes ---- */

/* Inserts a rule outputting to port 1 with 'flow_id'; returns its index. */
static int
insert(struct dp_cls *cls, uint8_t table, uint16_t prio, const struct dp_flow_key *value,
       const struct dp_flow_key *mask, uint32_t flow_id)
{
	struct dp_rule_spec s = {.table = table, .priority = prio, .n_ops = 1, .ops = &out_op};

	s.flow_id = flow_id;
	s.value = *value;
	s.mask = *mask;
	return dp_cls_insert(cls, &s);
}

static struct dp_cls *
new_built(unsigned max_rules)
{
	struct dp_cls *cls = new_cls(max_rules);

	assert_int_equal(dp_cls_build(cls), 0);
	return cls;
}

struct removed_log {
	unsigned n;           /* callbacks */
	unsigned rule[16];    /* their rules */
	uint64_t packets[16]; /* the rule's packets then */
};

static void
log_removed(const struct dp_cls *cls, unsigned rule, void *arg)
{
	struct removed_log *log = arg;
	uint64_t bytes, used;

	assert_true(log->n < 16);
	assert_false(dp_cls_rule_live(cls, rule));
	log->rule[log->n] = rule;
	dp_cls_rule_stats(cls, rule, &log->packets[log->n], &bytes, &used);
	log->n++;
}

static void
test_cls_insert_new_mask_then_remove(void **state)
{
	struct dp_flow_key z = {0}, k = {0}, m = {0}, v = {0};
	struct dp_cls *cls = new_cls(8);
	int a, b;

	(void)state;
	assert_int_equal(add(cls, 0, 0, &z, &z), 0); /* table-miss */
	assert_int_equal(dp_cls_build(cls), 0);
	k.in_port = 3;
	k.eth_type = 0x0800;
	m.in_port = 0xffffffff;
	v.in_port = 3;
	a = insert(cls, 0, 10, &v, &m, 50);
	assert_int_equal(a, 1);
	assert_true(dp_cls_rule_live(cls, 1));
	/* The writer sees its own change at once; PMDs at the latest at commit. */
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 1);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 1);
	assert_int_equal(dp_cls_rule_flow_id(cls, 1), 50);
	/* A second new mask, in another table. */
	m.in_port = 0;
	m.eth_type = 0xffff;
	v.in_port = 0;
	v.eth_type = 0x0800;
	b = insert(cls, 1, 1, &v, &m, 51);
	assert_int_equal(b, 2);
	assert_int_equal(dp_cls_lookup(cls, 1, &k), 2);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 1);
	assert_int_equal(dp_cls_remove(cls, 1), 0);
	assert_int_equal(dp_cls_remove(cls, 1), -ENOENT);
	assert_int_equal(dp_cls_remove(cls, 7), -ENOENT);
	assert_false(dp_cls_rule_live(cls, 1));
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), 0);
	assert_int_equal(dp_cls_remove(cls, 2), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 1, &k), -1);
	assert_int_equal(dp_cls_remove(cls, 0), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), -1);
	dp_cls_free(cls);
}

static void
test_cls_insert_same_key_promotes_next(void **state)
{
	struct dp_flow_key k = {0}, m = {0}, other = {0};
	struct dp_cls *cls = new_built(8);
	const struct dp_flow_key *kp[2] = {&k, &other};
	int32_t got[2];
	int p5, p9, p7;

	(void)state;
	m.tp_dst = 0xffff;
	k.tp_dst = 80;
	other.tp_dst = 81;
	p5 = insert(cls, 0, 5, &k, &m, 5);
	p9 = insert(cls, 0, 9, &k, &m, 9);
	p7 = insert(cls, 0, 7, &k, &m, 7);
	assert_true(p5 >= 0 && p9 >= 0 && p7 >= 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), p9);
	/* Removing a rule below the best changes nothing. */
	assert_int_equal(dp_cls_remove(cls, (unsigned)p7), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), p9);
	p7 = insert(cls, 0, 7, &k, &m, 7);
	assert_int_equal(dp_cls_remove(cls, (unsigned)p9), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_int_equal(dp_cls_lookup(cls, 0, &k), p7);
	assert_int_equal(dp_cls_remove(cls, (unsigned)p7), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	dp_cls_lookup_burst(cls, 0, kp, 2, got);
	assert_int_equal(got[0], p5);
	assert_int_equal(got[1], -1);
	assert_int_equal(dp_cls_rule_flow_id(cls, (unsigned)got[0]), 5);
	dp_cls_free(cls);
}

static void
test_cls_commit_reports_removed_and_reuses_slots(void **state)
{
	struct dp_flow_key v = {0}, m = {0};
	struct removed_log log = {0};
	struct dp_cls *cls = new_cls(3);
	uint64_t packets, bytes, used;
	int r;

	(void)state;
	m.in_port = 0xffffffff;
	for (v.in_port = 1; v.in_port <= 3; v.in_port++) {
		assert_int_equal(add(cls, 0, 1, &v, &m), 0);
	}
	assert_int_equal(dp_cls_build(cls), 0);
	v.in_port = 9;
	assert_int_equal(insert(cls, 0, 1, &v, &m, 9), -ENOSPC);
	dp_cls_count(cls, 1, 1, 100, 42);
	assert_int_equal(dp_cls_remove(cls, 1), 0);
	/* Not reusable before the commit, even though fewer rules are live. */
	assert_int_equal(insert(cls, 0, 1, &v, &m, 9), -ENOSPC);
	assert_int_equal(dp_cls_commit(NULL, cls, log_removed, &log), 0);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.rule[0], 1);
	assert_int_equal(log.packets[0], 1);
	assert_int_equal(dp_cls_commit(NULL, cls, log_removed, &log), 0);
	assert_int_equal(log.n, 1);
	r = insert(cls, 0, 1, &v, &m, 9);
	assert_int_equal(r, 1);
	/* The reused slot starts with zero counters. */
	dp_cls_rule_stats(cls, 1, &packets, &bytes, &used);
	assert_int_equal(packets + bytes + used, 0);
	assert_int_equal(dp_cls_n_rules(cls), 3);
	v.in_port = 9;
	assert_int_equal(dp_cls_lookup(cls, 0, &v), 1);
	v.in_port = 2;
	assert_int_equal(dp_cls_lookup(cls, 0, &v), -1);
	assert_int_equal(dp_cls_remove(cls, 0), 0);
	assert_int_equal(dp_cls_remove(cls, 2), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, log_removed, &log), 0);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.rule[1] + log.rule[2], 2);
	dp_cls_free(cls);
}

static void
test_cls_insert_refuses_bad_rules(void **state)
{
	struct dp_action back = {.op = DP_OP_GOTO_TABLE, .arg = 1};
	struct dp_rule_spec s = {.table = 255};
	struct dp_cls *cls = new_cls(2);

	(void)state;
	assert_int_equal(dp_cls_insert(cls, &s), -EINVAL); /* not built */
	assert_int_equal(dp_cls_build(cls), 0);
	assert_int_equal(dp_cls_insert(cls, &s), -EINVAL);
	s.table = 1;
	s.n_ops = 1;
	s.ops = &back;
	assert_int_equal(dp_cls_insert(cls, &s), -EINVAL);
	assert_int_equal(dp_cls_n_rules(cls), 0);
	assert_int_equal(dp_cls_commit(NULL, NULL, NULL, NULL), -EINVAL);
	dp_cls_free(cls);
}

static void
test_cls_is_normal_only_follows_changes(void **state)
{
	struct dp_action normal = {.op = DP_OP_NORMAL};
	struct dp_rule_spec s = {.n_ops = 1, .ops = &normal};
	struct dp_cls *cls = new_cls(4);
	int r;

	(void)state;
	assert_int_equal(dp_cls_add(cls, &s), 0);
	assert_int_equal(dp_cls_build(cls), 0);
	assert_true(dp_cls_is_normal_only(cls));
	s.priority = 5;
	s.mask.in_port = 0xffffffff;
	s.value.in_port = 1;
	s.ops = &out_op;
	r = insert(cls, 0, 5, &s.value, &s.mask, 1);
	assert_true(r > 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_false(dp_cls_is_normal_only(cls));
	assert_int_equal(dp_cls_remove(cls, (unsigned)r), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_true(dp_cls_is_normal_only(cls));
	assert_int_equal(dp_cls_remove(cls, 0), 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_false(dp_cls_is_normal_only(cls));
	s.mask.in_port = 0;
	s.value.in_port = 0;
	s.ops = &normal;
	s.priority = 0;
	assert_true(dp_cls_insert(cls, &s) >= 0);
	assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
	assert_true(dp_cls_is_normal_only(cls));
	dp_cls_free(cls);
}

#define INC_OPS  5000
#define INC_KEYS 2000
#define INC_CAP  400

/* The live rules of the reference model, by classifier index. */
struct inc_model {
	struct ref_rule rule[INC_CAP]; /* by index */
	bool live[INC_CAP];            /* rule[i] is live */
	unsigned n_live;               /* live entries */
};

static int
inc_ref_lookup(const struct inc_model *mo, uint8_t table, const struct dp_flow_key *k)
{
	int best = -1;
	unsigned i;

	/* Equal priorities: the lower index wins, as the rank says. */
	for (i = 0; i < INC_CAP; i++) {
		if (mo->live[i] && mo->rule[i].table == table && ref_matches(&mo->rule[i], k) &&
		    (best < 0 || mo->rule[i].prio > mo->rule[best].prio)) {
			best = (int)i;
		}
	}
	return best;
}

static bool
inc_duplicate(const struct inc_model *mo, const struct ref_rule *r)
{
	unsigned i;

	for (i = 0; i < INC_CAP; i++) {
		if (mo->live[i] && ref_duplicate(&mo->rule[i], 1, r)) {
			return true;
		}
	}
	return false;
}

static void
inc_random_change(struct dp_cls *cls, struct inc_model *mo)
{
	struct ref_rule r;
	unsigned j;
	int idx;

	if (mo->n_live > 0 && rnd(100) < (mo->n_live > INC_CAP / 2 ? 60 : 35)) {
		do {
			j = rnd(INC_CAP);
		} while (!mo->live[j]);
		assert_int_equal(dp_cls_remove(cls, j), 0);
		mo->live[j] = false;
		mo->n_live--;
		return;
	}
	r.table = rnd(3);
	r.prio = rnd(16);
	rnd_mask(&r.mask);
	rnd_key(&r.value);
	for (j = 0; j < sizeof(r.value); j++) {
		((uint8_t *)&r.value)[j] &= ((uint8_t *)&r.mask)[j];
	}
	if (inc_duplicate(mo, &r)) {
		return;
	}
	idx = insert(cls, r.table, r.prio, &r.value, &r.mask, 0);
	if (idx == -ENOSPC) {
		return; /* removed slots come back at the next commit */
	}
	assert_true(idx >= 0 && idx < INC_CAP);
	assert_false(mo->live[idx]);
	mo->rule[idx] = r;
	mo->live[idx] = true;
	mo->n_live++;
}

static void
inc_check(const struct dp_cls *cls, const struct inc_model *mo, unsigned n_keys)
{
	const struct dp_flow_key *kp[DP_CLS_BURST_MAX];
	struct dp_flow_key keys[DP_CLS_BURST_MAX];
	int32_t got[DP_CLS_BURST_MAX];
	unsigned i, done;

	for (done = 0; done < n_keys; done += DP_CLS_BURST_MAX) {
		uint8_t table = rnd(4);

		for (i = 0; i < DP_CLS_BURST_MAX; i++) {
			rnd_key(&keys[i]);
			kp[i] = &keys[i];
		}
		dp_cls_lookup_burst(cls, table, kp, DP_CLS_BURST_MAX, got);
		for (i = 0; i < DP_CLS_BURST_MAX; i++) {
			int want = inc_ref_lookup(mo, table, &keys[i]);

			assert_int_equal(dp_cls_lookup(cls, table, &keys[i]), want);
			assert_int_equal(got[i], want);
		}
	}
}

static void
test_cls_incremental_matches_reference_model(void **state)
{
	struct inc_model *mo = calloc(1, sizeof(*mo));
	struct dp_cls *cls = new_built(INC_CAP);
	unsigned op = 0, commits = 0, i;

	(void)state;
	assert_non_null(mo);
	while (op < INC_OPS) {
		unsigned batch = 1 + rnd(8);

		for (i = 0; i < batch && op < INC_OPS; i++, op++) {
			inc_random_change(cls, mo);
		}
		assert_int_equal(dp_cls_commit(NULL, cls, NULL, NULL), 0);
		commits++;
		inc_check(cls, mo, INC_KEYS);
	}
	print_message("# %u commits, %u live rules at the end\n", commits, mo->n_live);
	for (i = 0; i < INC_CAP; i++) {
		assert_int_equal(dp_cls_rule_live(cls, i), mo->live[i]);
	}
	dp_cls_free(cls);
	free(mo);
}

/* A datapath with a QSBR variable for one reader and nothing else: what
 * dp_cls_commit() uses. */
static struct dp *
fake_dp(void)
{
	struct dp *dp = calloc(1, sizeof(*dp));

	assert_non_null(dp);
	dp->qsv = rte_zmalloc("test_qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	assert_non_null(dp->qsv);
	assert_int_equal(rte_rcu_qsbr_init(dp->qsv, 1), 0);
	return dp;
}

static void
free_fake_dp(struct dp *dp)
{
	rte_free(dp->qsv);
	free(dp);
}

#define PERF_RULES 100000

static void
test_cls_insert_commit_rate(void **state)
{
	struct dp_cls *cls = new_built(PERF_RULES);
	struct dp_flow_key v = {0}, m = {0};
	struct dp *dp = fake_dp();
	uint64_t t0, t_ins = 0, seq = dp->cls_seq;
	double hz = (double)rte_get_tsc_hz();
	unsigned i;

	(void)state;
	m.eth_type = 0xffff;
	m.nw_dst = 0xffffffff;
	v.eth_type = 0x0800;
	t0 = rte_get_tsc_cycles();
	for (i = 0; i < PERF_RULES; i++) {
		uint64_t t = rte_get_tsc_cycles();

		v.nw_dst = i;
		assert_int_equal(insert(cls, 0, (uint16_t)(i % 7), &v, &m, i), (int)i);
		t_ins += rte_get_tsc_cycles() - t;
		assert_int_equal(dp_cls_commit(dp, cls, NULL, NULL), 0);
	}
	t0 = rte_get_tsc_cycles() - t0;
	print_message("# %u inserts, a commit after each: %.0f/s; inserts alone %.0f/s\n",
		      PERF_RULES, PERF_RULES * hz / (double)t0, PERF_RULES * hz / (double)t_ins);
	assert_int_equal(dp->cls_seq, seq + PERF_RULES);
	v.eth_type = 0x0800;
	for (i = 0; i < PERF_RULES; i += 997) {
		v.nw_dst = i;
		assert_int_equal(dp_cls_lookup(cls, 0, &v), (int)i);
	}
	v.nw_dst = PERF_RULES;
	assert_int_equal(dp_cls_lookup(cls, 0, &v), -1);
	assert_int_equal(insert(cls, 0, 1, &v, &m, 0), -ENOSPC);
	dp_cls_free(cls);
	free_fake_dp(dp);
}

#define CONC_STABLE 16
#define CONC_PORTS  200
#define CONC_ITERS  20000

struct conc {
	struct dp_cls *cls;       /* the classifier under change */
	struct rte_rcu_qsbr *qsv; /* the reader reports here, as thread 0 */
	bool started;             /* the reader is online */
	bool stop;                /* the writer is done */
	unsigned long lookups;    /* reader: lookups done */
	unsigned long errors;     /* reader: wrong answers */
	unsigned long churn_hits; /* reader: hits on changing rules */
};

/* Churn rules carry their tp_dst as flow_id and (tp_dst - 1000) as port. */
static bool
conc_churn_ok(const struct dp_cls *cls, int r, uint16_t tp_dst)
{
	const struct dp_action *ops;
	uint16_t n_ops;

	if (r < CONC_STABLE) {
		return false;
	}
	ops = dp_cls_rule_ops(cls, (unsigned)r, &n_ops);
	return dp_cls_rule(cls, (unsigned)r)->flow_id == tp_dst && n_ops == 1 &&
	       ops[0].op == DP_OP_OUTPUT && ops[0].arg == (uint32_t)(tp_dst - 1000);
}

static void *
conc_reader(void *arg)
{
	struct conc *c = arg;
	struct dp_flow_key k = {0};
	unsigned i = 0;
	cpu_set_t all;
	int r;

	/* The EAL pinned the main thread, and this one with it: run anywhere. */
	CPU_ZERO(&all);
	for (r = 0; r < CPU_SETSIZE && r < (int)sysconf(_SC_NPROCESSORS_ONLN); r++) {
		CPU_SET(r, &all);
	}
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
	rte_rcu_qsbr_thread_register(c->qsv, 0);
	rte_rcu_qsbr_thread_online(c->qsv, 0);
	__atomic_store_n(&c->started, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		k.eth_type = 0x0800;
		k.tp_dst = (uint16_t)(1000 + i % CONC_PORTS);
		k.in_port = 1 + i % CONC_STABLE;
		/* Stable rules outrank every churn rule: always the same answer. */
		if (dp_cls_lookup(c->cls, 0, &k) != (int)(k.in_port - 1)) {
			c->errors++;
		}
		k.in_port = 0;
		r = dp_cls_lookup(c->cls, 0, &k);
		if (r >= 0) {
			c->churn_hits++;
			c->errors += !conc_churn_ok(c->cls, r, k.tp_dst);
		}
		c->lookups += 2;
		i++;
		rte_rcu_qsbr_quiescent(c->qsv, 0);
	}
	rte_rcu_qsbr_thread_offline(c->qsv, 0);
	rte_rcu_qsbr_thread_unregister(c->qsv, 0);
	return NULL;
}

/* One random insert or remove of a churn rule; 'live' lists them. */
static void
conc_change(struct dp_cls *cls, int *live, unsigned *n_live)
{
	struct dp_action op = {.op = DP_OP_OUTPUT};
	struct dp_rule_spec s = {.n_ops = 1, .ops = &op};
	unsigned j;
	int r;

	if (*n_live > 0 && rnd(2) == 0) {
		j = rnd(*n_live);
		assert_int_equal(dp_cls_remove(cls, (unsigned)live[j]), 0);
		live[j] = live[--*n_live];
		return;
	}
	s.priority = (uint16_t)(1 + *n_live % 50); /* unique per live rule */
	s.mask.tp_dst = 0xffff;
	s.mask.eth_type = rnd(2) ? 0xffff : 0;
	s.mask.in_port = rnd(3) == 0 ? 0xffffffff : 0;
	s.value.tp_dst = (uint16_t)(1000 + rnd(CONC_PORTS));
	s.value.eth_type = s.mask.eth_type ? 0x0800 : 0;
	s.flow_id = s.value.tp_dst;
	op.arg = s.value.tp_dst - 1000u;
	s.priority = (uint16_t)(1 + (*n_live * 7 + rnd(1000)) % 5000);
	for (j = 0; j < *n_live; j++) {
		if (dp_cls_rule(cls, (unsigned)live[j])->priority == s.priority) {
			return; /* keep (table, priority, value, mask) unique */
		}
	}
	r = dp_cls_insert(cls, &s);
	assert_true(r >= CONC_STABLE);
	live[(*n_live)++] = r;
}

static void
test_cls_changes_under_concurrent_lookups(void **state)
{
	struct dp_cls *cls = new_cls(CONC_STABLE + 2048);
	struct dp_flow_key v = {0}, m = {0};
	static int live[2048];
	unsigned n_live = 0, i;
	struct dp *dp = fake_dp();
	struct conc c = {.cls = cls, .qsv = dp->qsv};
	pthread_t th;

	(void)state;
	m.in_port = 0xffffffff;
	for (v.in_port = 1; v.in_port <= CONC_STABLE; v.in_port++) {
		assert_int_equal(add(cls, 0, 10000, &v, &m), 0);
	}
	assert_int_equal(dp_cls_build(cls), 0);
	assert_int_equal(pthread_create(&th, NULL, conc_reader, &c), 0);
	while (!__atomic_load_n(&c.started, __ATOMIC_ACQUIRE)) {
		sched_yield();
	}
	for (i = 0; i < CONC_ITERS; i++) {
		if (n_live < 1500) {
			conc_change(cls, live, &n_live);
		}
		if (rnd(3) == 0) {
			assert_int_equal(dp_cls_commit(dp, cls, NULL, NULL), 0);
		}
	}
	assert_int_equal(dp_cls_commit(dp, cls, NULL, NULL), 0);
	__atomic_store_n(&c.stop, true, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(th, NULL), 0);
	print_message("# %lu concurrent lookups, %lu on changing rules, %lu wrong\n", c.lookups,
		      c.churn_hits, c.errors);
	assert_int_equal(c.errors, 0);
	assert_true(c.lookups > 0);
	dp_cls_free(cls);
	free_fake_dp(dp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cls_extract_tcp_ipv4_with_vlan),
	    cmocka_unit_test(test_cls_extract_qinq_udp),
	    cmocka_unit_test(test_cls_extract_icmp_echo),
	    cmocka_unit_test(test_cls_extract_arp_request),
	    cmocka_unit_test(test_cls_extract_ipv6_tcp),
	    cmocka_unit_test(test_cls_extract_icmpv6_ns_with_sll),
	    cmocka_unit_test(test_cls_extract_fragments_carry_l4_only_first),
	    cmocka_unit_test(test_cls_extract_truncations_zero_what_is_cut),
	    cmocka_unit_test(test_cls_extract_llc_and_unknown),
	    cmocka_unit_test(test_cls_extract_mbuf_matches_bytes),
	    cmocka_unit_test(test_cls_priority_across_subtables),
	    cmocka_unit_test(test_cls_same_mask_different_priorities),
	    cmocka_unit_test(test_cls_masks_prefix_mac_metadata),
	    cmocka_unit_test(test_cls_tables_are_isolated),
	    cmocka_unit_test(test_cls_pruning_keeps_exact_answers),
	    cmocka_unit_test(test_cls_lookup_matches_reference_model),
	    cmocka_unit_test(test_cls_counters_sum_over_pmds),
	    cmocka_unit_test(test_cls_rule_ops_are_copied),
	    cmocka_unit_test(test_cls_is_normal_only),
	    cmocka_unit_test(test_cls_add_refuses_bad_rules),
	    cmocka_unit_test(test_cls_empty_classifier_matches_nothing),
	    cmocka_unit_test(test_cls_insert_new_mask_then_remove),
	    cmocka_unit_test(test_cls_insert_same_key_promotes_next),
	    cmocka_unit_test(test_cls_commit_reports_removed_and_reuses_slots),
	    cmocka_unit_test(test_cls_insert_refuses_bad_rules),
	    cmocka_unit_test(test_cls_is_normal_only_follows_changes),
	    cmocka_unit_test(test_cls_incremental_matches_reference_model),
	    cmocka_unit_test(test_cls_insert_commit_rate),
	    cmocka_unit_test(test_cls_changes_under_concurrent_lookups),
	};

	if (eal_test_init("test_cls") < 0) {
		fprintf(stderr, "cannot initialise the EAL\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
