/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_of_pipeline.c - OpenFlow pipelines on a PMD (of_exec.c), frame by
 * frame: classifiers built with dp_cls_*, published to a datapath made by
 * hand, real mbufs through pipeline_process(), and the bytes read from
 * each port's output batch.  Frames and checksums are built from the
 * header layouts of RFC 791/793 and IEEE 802.1Q, and checked with DPDK's
 * own checksum code, not with the code under test.
 */
/* rte_ipv4_udptcp_cksum_verify() is still marked experimental in 22.11. */
#define ALLOW_EXPERIMENTAL_API

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "datapath/dp_flow.h"
#include "datapath/dp_priv.h"
#include "eal_test.h"

#define OFPP_CONTROLLER_ 0xfffffffdu
#define OFPVID_PRESENT_  0x1000
#define XMT_ETH_DST      3
#define XMT_VLAN_VID     6
#define XMT_IPV4_DST     12
#define XMT_IP_DSCP      8
#define XMT_TCP_DST      14
#define IP(a, b, c, d)   ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static struct rte_mempool *pool;

/* Bridge 0 holds ports 0..3 (OpenFlow ports 1..4). */
struct fixture {
	struct dp *dp;
	struct pmd *pmd;
	struct dp_tables *t;
	uint64_t now;
};

/* A rule's match under construction. */
struct match {
	struct dp_flow_key v; /* value */
	struct dp_flow_key m; /* mask */
};

static const uint8_t mac_h0[6] = {0x02, 0, 0, 0, 0, 0x10};
static const uint8_t mac_h1[6] = {0x02, 0, 0, 0, 0, 0x11};
static const uint8_t mac_x[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t qsv_size = rte_rcu_qsbr_get_memsize(1);
	uint16_t i;

	f->dp = rte_zmalloc(NULL, sizeof(*f->dp), 0);
	f->pmd = rte_zmalloc(NULL, sizeof(*f->pmd), RTE_CACHE_LINE_SIZE);
	f->t = dp_tables_alloc();
	if (f->dp == NULL || f->pmd == NULL || f->t == NULL ||
	    fdb_create(256, NULL, &f->dp->fdb) < 0) {
		return -1;
	}
	f->dp->qsv = rte_zmalloc(NULL, qsv_size, RTE_CACHE_LINE_SIZE);
	rte_rcu_qsbr_init(f->dp->qsv, 1);
	f->dp->pool = pool;
	f->dp->n_pmds = 1;
	f->dp->pmds[0] = f->pmd;
	f->pmd->dp = f->dp;
	f->pmd->learn_repeat = 1000;
	f->pmd->learn_refresh = 10;
	f->pmd->upcalls = rte_ring_create_elem("test_upcalls", sizeof(struct dp_upcall), 64,
					       SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	f->pmd->pktout = rte_ring_create_elem("test_pktout", sizeof(struct dp_pktout), 16,
					      SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (f->pmd->upcalls == NULL || f->pmd->pktout == NULL) {
		return -1;
	}
	for (i = 0; i < 4; i++) {
		f->t->ports[i].bridge = 0;
		f->t->ports[i].ofport = (uint16_t)(i + 1);
		f->t->ports[i].enabled = true;
		f->t->bridges[0].ports[f->t->bridges[0].n_ports++] = i;
	}
	f->now = 1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct dp_upcall u;
	struct dp_cls *old;
	uint16_t p, i;

	for (p = 0; p < DP_MAX_PORTS; p++) {
		for (i = 0; i < f->pmd->tx[p].n; i++) {
			rte_pktmbuf_free(f->pmd->tx[p].pkts[i]);
		}
	}
	while (rte_ring_sc_dequeue_elem(f->pmd->upcalls, &u, sizeof(u)) == 0) {
		dp_upcall_release(&u);
	}
	dp_publish_cls(f->dp, 0, NULL, &old);
	dp_cls_free(old);
	rte_ring_free(f->pmd->upcalls);
	rte_ring_free(f->pmd->pktout);
	fdb_destroy(f->dp->fdb);
	rte_free(f->dp->qsv);
	rte_free(f->t);
	rte_free(f->pmd);
	rte_free(f->dp);
	free(f);
	/* Every frame was either sent (and freed above) or freed: none leaks. */
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	return 0;
}

/* --- Frames. */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static struct rte_mbuf *
mbuf_of(const uint8_t *bytes, uint16_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, size), bytes, size);
	return m;
}

#define TCP_FRAME_SIZE 60

/* Ethernet II h0 -> h1, IPv4 [RFC 791] 'src' -> 'dst' with 'ttl', TCP
 * [RFC 793] 1234 -> 80 and 6 bytes of data: 60 bytes, checksums right. */
static void
tcp_bytes(uint8_t *b, uint32_t src, uint32_t dst, uint8_t ttl)
{
	uint8_t *ip = b + 14, *tcp = ip + 20;
	struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;
	uint16_t c;

	memset(b, 0, TCP_FRAME_SIZE);
	memcpy(b, mac_h1, 6);
	memcpy(b + 6, mac_h0, 6);
	put16(b + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, 46);
	put16(ip + 4, 0x1c46);
	ip[8] = ttl;
	ip[9] = 6;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(tcp, 1234);
	put16(tcp + 2, 80);
	put32(tcp + 4, 1);
	tcp[12] = 0x50;
	tcp[13] = 0x18;
	put16(tcp + 14, 512);
	memcpy(tcp + 20, "hello!", 6);
	c = rte_ipv4_cksum(h);
	memcpy(ip + 10, &c, 2);
	c = rte_ipv4_udptcp_cksum(h, tcp);
	memcpy(tcp + 16, &c, 2);
}

static struct rte_mbuf *
tcp_frame(uint32_t src, uint32_t dst, uint8_t ttl)
{
	uint8_t b[TCP_FRAME_SIZE];

	tcp_bytes(b, src, dst, ttl);
	return mbuf_of(b, sizeof(b));
}

static void
send1(struct fixture *f, uint16_t in_port, struct rte_mbuf *m)
{
	pipeline_process(f->pmd, f->t, in_port, &m, 1, f->now++);
}

static const uint8_t *
out(struct fixture *f, uint16_t port, uint16_t i)
{
	assert_true(i < f->pmd->tx[port].n);
	return rte_pktmbuf_mtod(f->pmd->tx[port].pkts[i], const uint8_t *);
}

static uint16_t
n_out(struct fixture *f, uint16_t port)
{
	return f->pmd->tx[port].n;
}

/* The IPv4 header checksum, recomputed over the header at 'ip'. */
static void
assert_ipv4_ok(const uint8_t *ip)
{
	struct rte_ipv4_hdr h;
	uint16_t stored;

	memcpy(&h, ip, sizeof(h));
	stored = h.hdr_checksum;
	h.hdr_checksum = 0;
	assert_int_equal(rte_ipv4_cksum(&h), stored);
}

/* --- Rules. */

static struct dp_cls *
cls_new(void)
{
	struct dp_cls *cls = dp_cls_create(32, 1);

	assert_non_null(cls);
	return cls;
}

static bool
mask_is_zero(const struct dp_flow_key *m)
{
	static const struct dp_flow_key zero;

	return memcmp(m, &zero, sizeof(zero)) == 0;
}

/* Adds a rule whose ops are the 'n' of 'ops'; cookie = priority. */
static void
rule(struct dp_cls *cls, uint8_t table, uint16_t prio, const struct match *mt,
     const struct dp_action *ops, uint16_t n)
{
	static const struct match all;
	struct dp_rule_spec s;

	memset(&s, 0, sizeof(s));
	mt = mt != NULL ? mt : &all;
	s.table = table;
	s.priority = prio;
	s.table_miss = prio == 0 && mask_is_zero(&mt->m);
	s.cookie = 0xc0000000u + prio;
	s.value = mt->v;
	s.mask = mt->m;
	s.ops = ops;
	s.n_ops = n;
	assert_int_equal(dp_cls_add(cls, &s), 0);
}

static void
publish(struct fixture *f, struct dp_cls *cls)
{
	struct dp_cls *old;

	assert_int_equal(dp_cls_build(cls), 0);
	assert_int_equal(dp_publish_cls(f->dp, 0, cls, &old), 0);
	assert_ptr_equal(dp_bridge_cls(f->dp, 0), cls);
	dp_cls_free(old);
}

static struct match
m_in_port(uint32_t ofport)
{
	struct match mt;

	memset(&mt, 0, sizeof(mt));
	mt.v.in_port = ofport;
	mt.m.in_port = UINT32_MAX;
	return mt;
}

static struct match
m_nw_dst(uint32_t addr, uint32_t mask)
{
	struct match mt;

	memset(&mt, 0, sizeof(mt));
	mt.v.eth_type = 0x0800;
	mt.m.eth_type = 0xffff;
	mt.v.nw_dst = addr & mask;
	mt.m.nw_dst = mask;
	return mt;
}

#define OPS(...) ((const struct dp_action[]){__VA_ARGS__})
#define N_OPS(...) \
	(uint16_t)(sizeof((const struct dp_action[]){__VA_ARGS__}) / sizeof(struct dp_action))
#define RULE(cls, table, prio, mt, ...) \
	rule(cls, table, prio, mt, OPS(__VA_ARGS__), N_OPS(__VA_ARGS__))

#define A_OUT(p)                               \
	{                                      \
		.op = DP_OP_OUTPUT, .arg = (p) \
	}
#define W_OUT(p)                                            \
	{                                                   \
		.op = DP_OP_OUTPUT, .arg = (p), .in_set = 1 \
	}
#define A_GOTO(t)                                  \
	{                                          \
		.op = DP_OP_GOTO_TABLE, .arg = (t) \
	}
#define A_SET_ETH_DST(mac)                                                   \
	{                                                                    \
		.op = DP_OP_SET_FIELD, .field = XMT_ETH_DST, .data.bytes = { \
			mac[0],                                              \
			mac[1],                                              \
			mac[2],                                              \
			mac[3],                                              \
			mac[4],                                              \
			mac[5]                                               \
		}                                                            \
	}

/* --- Tests. */

static void
test_of_pipeline_in_port_to_output(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match mt = m_in_port(1);
	uint8_t b[TCP_FRAME_SIZE];

	RULE(cls, 0, 10, &mt, A_OUT(2));
	publish(f, cls);
	tcp_bytes(b, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 64);
	send1(f, 0, mbuf_of(b, sizeof(b)));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(n_out(f, 1) + n_out(f, 3) + n_out(f, 0), 0);
	assert_memory_equal(out(f, 2, 0), b, sizeof(b));
	/* OpenFlow port 2 (datapath port 1) has no rule: a table miss. */
	send1(f, 1, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(f->pmd->drops[DP_DROP_NO_MATCH], 1);
	assert_int_equal(f->pmd->pstats[1].rx_dropped, 1);
}

static void
test_of_pipeline_priority_and_masked_nw_dst(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match net = m_nw_dst(IP(10, 0, 0, 0), 0xffffff00);
	struct match host = m_nw_dst(IP(10, 0, 0, 5), 0xffffffff);

	RULE(cls, 0, 10, &net, A_OUT(1));
	RULE(cls, 0, 20, &host, A_OUT(2));
	RULE(cls, 0, 0, NULL, A_OUT(3));
	publish(f, cls);
	send1(f, 0, tcp_frame(IP(10, 0, 0, 1), IP(10, 0, 0, 5), 64));
	send1(f, 0, tcp_frame(IP(10, 0, 0, 1), IP(10, 0, 0, 9), 64));
	send1(f, 0, tcp_frame(IP(10, 0, 0, 1), IP(10, 0, 1, 5), 64));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(out(f, 2, 0)[14 + 19], 5);
	assert_int_equal(n_out(f, 1), 1);
	assert_int_equal(out(f, 1, 0)[14 + 19], 9);
	assert_int_equal(n_out(f, 3), 1);
	assert_int_equal(out(f, 3, 0)[14 + 18], 1);
}

static void
test_of_pipeline_goto_with_metadata(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1), p2 = m_in_port(2), md;

	memset(&md, 0, sizeof(md));
	md.v.metadata = 0xab;
	md.m.metadata = 0xff;
	RULE(cls, 0, 10, &p1, {.op = DP_OP_WRITE_METADATA, .data.u64 = {0x12ab, 0xff}}, A_GOTO(1));
	RULE(cls, 0, 10, &p2, {.op = DP_OP_WRITE_METADATA, .data.u64 = {0xcd, 0xff}}, A_GOTO(1));
	RULE(cls, 1, 10, &md, A_OUT(2));
	RULE(cls, 1, 1, NULL, A_OUT(3));
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(n_out(f, 3), 0);
	send1(f, 1, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(n_out(f, 3), 1);
}

static void
test_of_pipeline_apply_set_field_then_goto_matches_rewrite(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match rewritten = m_nw_dst(IP(10, 0, 0, 99), 0xffffffff);
	const uint8_t *o;

	RULE(cls, 0, 10, NULL,
	     {.op = DP_OP_SET_FIELD, .field = XMT_IPV4_DST, .data.u64 = {IP(10, 0, 0, 99)}},
	     A_GOTO(1));
	RULE(cls, 1, 10, &rewritten, A_OUT(2));
	publish(f, cls);
	send1(f, 0, tcp_frame(IP(10, 0, 0, 1), IP(10, 0, 0, 2), 64));
	assert_int_equal(n_out(f, 2), 1);
	o = out(f, 2, 0);
	assert_int_equal(o[14 + 19], 99);
	assert_ipv4_ok(o + 14);
	assert_int_equal(
	    rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)(o + 14), o + 34), 0);
}

static void
test_of_pipeline_action_set_order_and_clear(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1), p2 = m_in_port(2);
	struct dp_action set_dst = A_SET_ETH_DST(mac_x);

	set_dst.in_set = 1;
	/* Output written before the set-field still sees it [5.10]. */
	RULE(cls, 0, 10, &p1, W_OUT(2), set_dst);
	/* Clear-actions in table 1 forgets table 0's write-actions. */
	RULE(cls, 0, 10, &p2, W_OUT(2), A_GOTO(1));
	RULE(cls, 1, 10, NULL, {.op = DP_OP_CLEAR_ACTIONS}, A_OUT(3));
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 2), 1);
	assert_memory_equal(out(f, 2, 0), mac_x, 6);
	send1(f, 1, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(n_out(f, 3), 1);
	assert_memory_equal(out(f, 3, 0), mac_h1, 6);
}

static void
test_of_pipeline_push_vlan_and_set_vid(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	uint8_t b[TCP_FRAME_SIZE];
	const uint8_t *o;

	RULE(cls, 0, 10, NULL, {.op = DP_OP_PUSH_VLAN, .arg = 0x8100},
	     {.op = DP_OP_SET_FIELD, .field = XMT_VLAN_VID, .data.u64 = {OFPVID_PRESENT_ | 100}},
	     A_OUT(2));
	publish(f, cls);
	tcp_bytes(b, 1, 2, 64);
	send1(f, 0, mbuf_of(b, sizeof(b)));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(f->pmd->tx[2].pkts[0]->pkt_len, TCP_FRAME_SIZE + 4);
	o = out(f, 2, 0);
	/* 802.1Q: TPID 0x8100, TCI PCP 0 DEI 0 VID 100, then the EtherType. */
	assert_memory_equal(o, b, 12);
	assert_memory_equal(o + 12, ((const uint8_t[]){0x81, 0x00, 0x00, 0x64, 0x08, 0x00}), 6);
	assert_memory_equal(o + 16, b + 12, sizeof(b) - 12);
}

static void
test_of_pipeline_pop_vlan(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	uint8_t b[TCP_FRAME_SIZE], t[TCP_FRAME_SIZE + 4];
	struct match tagged;

	memset(&tagged, 0, sizeof(tagged));
	tagged.v.vlan_vid = OFPVID_PRESENT_ | 5;
	tagged.m.vlan_vid = 0x1fff;
	RULE(cls, 0, 10, &tagged, {.op = DP_OP_POP_VLAN}, A_OUT(2));
	publish(f, cls);
	tcp_bytes(b, 1, 2, 64);
	memcpy(t, b, 12);
	memcpy(t + 12, ((const uint8_t[]){0x81, 0x00, 0x20, 0x05}), 4);
	memcpy(t + 16, b + 12, sizeof(b) - 12);
	send1(f, 0, mbuf_of(t, sizeof(t)));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(f->pmd->tx[2].pkts[0]->pkt_len, sizeof(b));
	assert_memory_equal(out(f, 2, 0), b, sizeof(b));
}

static void
test_of_pipeline_dec_ttl_updates_checksum_and_drops_at_one(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	const uint8_t *o;

	RULE(cls, 0, 10, NULL, {.op = DP_OP_DEC_NW_TTL}, A_OUT(2));
	publish(f, cls);
	send1(f, 0, tcp_frame(IP(192, 168, 1, 1), IP(192, 168, 2, 1), 64));
	assert_int_equal(n_out(f, 2), 1);
	o = out(f, 2, 0);
	assert_int_equal(o[14 + 8], 63);
	assert_ipv4_ok(o + 14);
	send1(f, 0, tcp_frame(IP(192, 168, 1, 1), IP(192, 168, 2, 1), 1));
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(f->pmd->drops[DP_DROP_TTL], 1);
}

static void
test_of_pipeline_ipv4_dst_rewrite_fixes_ip_and_tcp_checksums(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	uint8_t want[TCP_FRAME_SIZE];
	const uint8_t *o;

	RULE(cls, 0, 10, NULL,
	     {.op = DP_OP_SET_FIELD, .field = XMT_IPV4_DST, .data.u64 = {IP(172, 16, 254, 3)}},
	     A_OUT(2));
	publish(f, cls);
	send1(f, 0, tcp_frame(IP(10, 1, 2, 3), IP(10, 9, 8, 7), 64));
	assert_int_equal(n_out(f, 2), 1);
	o = out(f, 2, 0);
	assert_ipv4_ok(o + 14);
	assert_int_equal(
	    rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)(o + 14), o + 34), 0);
	/* Byte for byte the frame built with that address from the start. */
	tcp_bytes(want, IP(10, 1, 2, 3), IP(172, 16, 254, 3), 64);
	assert_memory_equal(o, want, sizeof(want));
}

static void
test_of_pipeline_tcp_port_and_dscp_rewrite(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	uint8_t want[TCP_FRAME_SIZE];
	const uint8_t *o;

	RULE(cls, 0, 10, NULL, {.op = DP_OP_SET_FIELD, .field = XMT_TCP_DST, .data.u64 = {8080}},
	     {.op = DP_OP_SET_FIELD, .field = XMT_IP_DSCP, .data.u64 = {46}}, A_OUT(2));
	publish(f, cls);
	send1(f, 0, tcp_frame(IP(10, 1, 2, 3), IP(10, 9, 8, 7), 64));
	assert_int_equal(n_out(f, 2), 1);
	o = out(f, 2, 0);
	/* EF (46) in the TOS byte's upper six bits; ECN bits untouched. */
	assert_int_equal(o[15], 46 << 2);
	assert_int_equal(o[34 + 2] << 8 | o[34 + 3], 8080);
	assert_ipv4_ok(o + 14);
	assert_int_equal(
	    rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)(o + 14), o + 34), 0);
	/* The checksums are those of the frame built so from the start. */
	tcp_bytes(want, IP(10, 1, 2, 3), IP(10, 9, 8, 7), 64);
	want[15] = 46 << 2;
	put16(want + 36, 8080);
	memset(want + 24, 0, 2);
	memset(want + 50, 0, 2);
	{
		uint16_t c = rte_ipv4_cksum((const struct rte_ipv4_hdr *)(want + 14));

		memcpy(want + 24, &c, 2);
		c = rte_ipv4_udptcp_cksum((const struct rte_ipv4_hdr *)(want + 14), want + 34);
		memcpy(want + 50, &c, 2);
	}
	assert_memory_equal(o, want, sizeof(want));
}

static void
test_of_pipeline_output_before_set_field_gets_original(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	uint8_t b[TCP_FRAME_SIZE];

	RULE(cls, 0, 10, NULL, A_OUT(1), A_SET_ETH_DST(mac_x), A_OUT(2));
	publish(f, cls);
	tcp_bytes(b, 1, 2, 64);
	send1(f, 0, mbuf_of(b, sizeof(b)));
	assert_int_equal(n_out(f, 1), 1);
	assert_int_equal(n_out(f, 2), 1);
	assert_ptr_not_equal(f->pmd->tx[1].pkts[0], f->pmd->tx[2].pkts[0]);
	assert_memory_equal(out(f, 1, 0), b, sizeof(b));
	assert_memory_equal(out(f, 2, 0), mac_x, 6);
	assert_memory_equal(out(f, 2, 0) + 6, b + 6, sizeof(b) - 6);
}

static void
test_of_pipeline_flood_skips_input_and_no_fwd(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();

	f->t->ports[3].no_fwd = true;
	RULE(cls, 0, 10, NULL, {.op = DP_OP_FLOOD});
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 0), 0);
	assert_int_equal(n_out(f, 1), 1);
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(n_out(f, 3), 0);
	/* Nothing rewrites it afterwards: one buffer, shared. */
	assert_ptr_equal(f->pmd->tx[1].pkts[0], f->pmd->tx[2].pkts[0]);
	assert_int_equal(rte_mbuf_refcnt_read(f->pmd->tx[1].pkts[0]), 2);
}

static void
test_of_pipeline_output_to_input_needs_in_port(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1), p2 = m_in_port(2);

	RULE(cls, 0, 10, &p1, A_OUT(0));
	RULE(cls, 0, 10, &p2, {.op = DP_OP_IN_PORT});
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(f->pmd->n_dirty, 0);
	assert_int_equal(f->pmd->drops[DP_DROP_OF_ACTION], 1);
	send1(f, 1, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 1), 1);
}

static void
test_of_pipeline_controller_upcall(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p2 = m_in_port(2);
	uint8_t b[TCP_FRAME_SIZE];
	struct dp_upcall u[4];
	const uint8_t *data;
	uint32_t len;

	RULE(cls, 0, 0, NULL, {.op = DP_OP_CONTROLLER, .arg = 0xffff});
	RULE(cls, 0, 10, &p2, {.op = DP_OP_WRITE_METADATA, .data.u64 = {7, UINT64_MAX}}, A_GOTO(3));
	RULE(cls, 3, 5, NULL, {.op = DP_OP_CONTROLLER, .arg = 128});
	publish(f, cls);
	tcp_bytes(b, 1, 2, 64);
	send1(f, 0, mbuf_of(b, sizeof(b)));
	send1(f, 1, mbuf_of(b, sizeof(b)));
	assert_int_equal(rte_ring_sc_dequeue_burst_elem(f->pmd->upcalls, u, sizeof(u[0]), 4, NULL),
			 2);
	assert_int_equal(u[0].type, DP_UPCALL_PACKET_IN);
	assert_int_equal(u[0].reason, 0); /* OFPR_NO_MATCH: the table-miss rule */
	assert_int_equal(u[0].table_id, 0);
	assert_int_equal(u[0].cookie, 0xc0000000u);
	assert_int_equal(u[0].in_ofport, 1);
	assert_int_equal(u[0].port, 0);
	assert_int_equal(u[0].max_len, 0xffff);
	assert_int_equal(u[0].total_len, sizeof(b));
	data = dp_upcall_data(&u[0], &len);
	assert_int_equal(len, sizeof(b));
	assert_memory_equal(data, b, sizeof(b));
	assert_int_equal(u[1].reason, 1); /* OFPR_ACTION */
	assert_int_equal(u[1].table_id, 3);
	assert_int_equal(u[1].cookie, 0xc0000005u);
	assert_int_equal(u[1].in_ofport, 2);
	assert_int_equal(u[1].metadata, 7);
	assert_int_equal(u[1].max_len, 128);
	dp_upcall_release(&u[0]);
	dp_upcall_release(&u[1]);
	/* OFPPC_NO_PACKET_IN on the input: nothing goes up. */
	f->t->ports[0].no_packet_in = true;
	send1(f, 0, mbuf_of(b, sizeof(b)));
	assert_int_equal(rte_ring_count(f->pmd->upcalls), 0);
}

static void
test_of_pipeline_rule_counters(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1);
	uint64_t packets, bytes, used;
	unsigned i;

	RULE(cls, 0, 10, &p1, A_GOTO(1));
	RULE(cls, 0, 0, NULL, A_OUT(3));
	RULE(cls, 1, 0, NULL, A_OUT(2));
	publish(f, cls);
	for (i = 0; i < 5; i++) {
		send1(f, 0, tcp_frame(1, 2, 64));
	}
	send1(f, 1, tcp_frame(1, 2, 64));
	dp_cls_rule_stats(cls, 0, &packets, &bytes, &used);
	assert_int_equal(packets, 5);
	assert_int_equal(bytes, 5 * TCP_FRAME_SIZE);
	assert_int_equal(used, 5);
	dp_cls_rule_stats(cls, 2, &packets, &bytes, &used);
	assert_int_equal(packets, 5);
	dp_cls_rule_stats(cls, 1, &packets, &bytes, &used);
	assert_int_equal(packets, 1);
	/* Four of the five came from the cache, and were counted all the same. */
	assert_int_equal(f->pmd->emc_hits, 4);
	assert_int_equal(n_out(f, 2), 5);
}

/* Hits replay a walk that only chose ports: counted once per frame even in
 * runs of one flow within a burst, dropped like the walk when it chose
 * none, and never sent to a port that the tables in force have disabled. */
static void
test_of_pipeline_cached_outputs_follow_counters_and_tables(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1), p2 = m_in_port(2);
	struct rte_mbuf *burst[8];
	struct dp_tables *t2 = dp_tables_alloc();
	uint64_t packets, bytes, used, dropped;
	unsigned i;

	assert_non_null(t2);
	RULE(cls, 0, 10, &p1, A_OUT(1), A_OUT(2));
	RULE(cls, 0, 10, &p2, {.op = DP_OP_SET_QUEUE});
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	send1(f, 1, tcp_frame(1, 2, 64));
	/* Frames of two flows, alternating and in runs, in one burst. */
	for (i = 0; i < 8; i++) {
		burst[i] = tcp_frame(1, 2, 64);
	}
	pipeline_process(f->pmd, f->t, 0, burst, 5, f->now++);
	pipeline_process(f->pmd, f->t, 1, burst + 5, 3, f->now++);
	assert_int_equal(f->pmd->emc_hits, 8);
	dp_cls_rule_stats(cls, 0, &packets, &bytes, &used);
	assert_int_equal(packets, 6);
	assert_int_equal(bytes, 6 * TCP_FRAME_SIZE);
	dp_cls_rule_stats(cls, 1, &packets, &bytes, &used);
	assert_int_equal(packets, 4);
	assert_int_equal(n_out(f, 1), 6);
	assert_int_equal(n_out(f, 2), 6);
	assert_int_equal(f->pmd->drops[DP_DROP_OF_ACTION], 4);
	/* The same frames again under tables where port 2 (index 1) is down:
	 * no cached result sends there. */
	memcpy(t2, f->t, sizeof(*t2));
	t2->ports[1].enabled = false;
	dropped = f->pmd->pstats[0].rx_dropped;
	send1(f, 0, tcp_frame(1, 2, 64));
	pipeline_process(f->pmd, t2, 0, (struct rte_mbuf *[]){tcp_frame(1, 2, 64)}, 1, f->now++);
	assert_int_equal(n_out(f, 1), 7);
	assert_int_equal(n_out(f, 2), 8);
	assert_int_equal(f->pmd->pstats[0].rx_dropped, dropped);
	dp_cls_rule_stats(cls, 0, &packets, &bytes, &used);
	assert_int_equal(packets, 8);
	rte_free(t2);
}

static void
test_of_pipeline_new_cls_obeyed_by_next_burst(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new(), *old;

	RULE(cls, 0, 10, NULL, A_OUT(1));
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(f->pmd->emc_hits, 1);
	assert_int_equal(n_out(f, 1), 2);
	/* Free the old one first, so the new one may well take its address. */
	assert_int_equal(dp_publish_cls(f->dp, 0, NULL, &old), 0);
	dp_cls_free(old);
	cls = cls_new();
	RULE(cls, 0, 10, NULL, A_OUT(2));
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 1), 2);
	assert_int_equal(n_out(f, 2), 1);
	assert_int_equal(f->pmd->emc_hits, 1);
}

static void
test_of_pipeline_packet_out_table_and_output(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1), ctl = m_in_port(OFPP_CONTROLLER_);
	const struct dp_action table = {.op = DP_OP_TABLE};
	const struct dp_action direct[] = {A_SET_ETH_DST(mac_x), A_OUT(3)};
	uint8_t b[TCP_FRAME_SIZE];

	RULE(cls, 0, 10, &p1, A_OUT(2));
	RULE(cls, 0, 10, &ctl, A_OUT(1));
	publish(f, cls);
	tcp_bytes(b, 1, 2, 64);
	assert_int_equal(dp_packet_out(f->dp, 0, 0, b, sizeof(b), &table, 1), 0);
	assert_int_equal(dp_packet_out(f->dp, 0, DP_PORT_NONE, b, sizeof(b), &table, 1), 0);
	assert_int_equal(dp_packet_out(f->dp, 0, DP_PORT_NONE, b, sizeof(b), direct, 2), 0);
	/* Nothing runs until the PMD drains its ring. */
	assert_int_equal(f->pmd->n_dirty, 0);
	of_exec_pktout_drain(f->pmd, f->t, 9);
	assert_int_equal(n_out(f, 2), 1);
	assert_memory_equal(out(f, 2, 0), b, sizeof(b));
	assert_int_equal(n_out(f, 1), 1);
	assert_int_equal(n_out(f, 3), 1);
	assert_memory_equal(out(f, 3, 0), mac_x, 6);
	assert_memory_equal(out(f, 3, 0) + 6, b + 6, sizeof(b) - 6);
	assert_int_equal(dp_packet_out(f->dp, 0, 0, b, sizeof(b), &table, DP_PKTOUT_OPS + 1),
			 -E2BIG);
	assert_int_equal(dp_packet_out(f->dp, DP_MAX_BRIDGES, 0, b, sizeof(b), &table, 1), -EINVAL);
}

static void
test_of_pipeline_no_recv_drops_on_input(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();

	RULE(cls, 0, 10, NULL, A_OUT(1));
	publish(f, cls);
	f->t->ports[0].no_recv = true;
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(f->pmd->n_dirty, 0);
	assert_int_equal(f->pmd->drops[DP_DROP_PORT_CFG], 1);
}

static void
test_of_pipeline_normal_action_and_normal_only_cls(void **state)
{
	struct fixture *f = *state;
	struct dp_cls *cls = cls_new();
	struct match p1 = m_in_port(1);
	struct dp_upcall u;

	/* The default table: NORMAL for everything, the fast path. */
	RULE(cls, 0, 0, NULL, {.op = DP_OP_NORMAL});
	publish(f, cls);
	assert_true(dp_cls_is_normal_only(cls));
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 1) + n_out(f, 2) + n_out(f, 3), 3);
	assert_int_equal(rte_ring_sc_dequeue_elem(f->pmd->upcalls, &u, sizeof(u)), 0);
	assert_int_equal(u.type, DP_UPCALL_LEARN);
	/* NORMAL after a rewrite, from a real pipeline: floods the rewritten frame. */
	cls = cls_new();
	RULE(cls, 0, 10, &p1, A_SET_ETH_DST(mac_x), {.op = DP_OP_NORMAL});
	RULE(cls, 0, 0, NULL, {.op = DP_OP_NORMAL});
	publish(f, cls);
	send1(f, 0, tcp_frame(1, 2, 64));
	assert_int_equal(n_out(f, 1) + n_out(f, 2) + n_out(f, 3), 6);
	assert_memory_equal(out(f, 2, 1), mac_x, 6);
	assert_int_equal(n_out(f, 0), 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_of_pipeline_in_port_to_output),
	    T(test_of_pipeline_priority_and_masked_nw_dst),
	    T(test_of_pipeline_goto_with_metadata),
	    T(test_of_pipeline_apply_set_field_then_goto_matches_rewrite),
	    T(test_of_pipeline_action_set_order_and_clear),
	    T(test_of_pipeline_push_vlan_and_set_vid),
	    T(test_of_pipeline_pop_vlan),
	    T(test_of_pipeline_dec_ttl_updates_checksum_and_drops_at_one),
	    T(test_of_pipeline_ipv4_dst_rewrite_fixes_ip_and_tcp_checksums),
	    T(test_of_pipeline_tcp_port_and_dscp_rewrite),
	    T(test_of_pipeline_output_before_set_field_gets_original),
	    T(test_of_pipeline_flood_skips_input_and_no_fwd),
	    T(test_of_pipeline_output_to_input_needs_in_port),
	    T(test_of_pipeline_controller_upcall),
	    T(test_of_pipeline_rule_counters),
	    T(test_of_pipeline_cached_outputs_follow_counters_and_tables),
	    T(test_of_pipeline_new_cls_obeyed_by_next_burst),
	    T(test_of_pipeline_packet_out_table_and_output),
	    T(test_of_pipeline_no_recv_drops_on_input),
	    T(test_of_pipeline_normal_action_and_normal_only_cls),
	};
#undef T

	if (eal_test_init("test_of_pipeline") < 0) {
		fprintf(stderr, "cannot initialise the EAL\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL || dp_tnl_md_register() < 0) {
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
