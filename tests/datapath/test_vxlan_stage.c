/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vxlan_stage.c - VXLAN encap/decap burst stages on real mbufs from a
 * real mempool: outer bytes checked field by field against RFC 791/768/
 * 7348 layouts written out here, MTU and headroom limits, source port
 * entropy, decap round trip and refusals, and that every mbuf comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "datapath/vxlan_stage.h"
#include "eal_test.h"

#define POOL_SIZE 255
#define BURST     32
#define LOCAL_IP  0xc0a80101u /* 192.168.1.1 */
#define REMOTE_IP 0xc0a80102u /* 192.168.1.2 */
#define VNI       0x123456u

static struct rte_mempool *pool;
static const uint8_t local_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t next_hop_mac[6] = {0x02, 0, 0, 0, 0, 0x02};

static void
tmpl(struct vxlan_tmpl *t)
{
	struct vxlan_tmpl_params p;

	memset(&p, 0, sizeof(p));
	memcpy(p.src_mac, local_mac, 6);
	memcpy(p.dst_mac, next_hop_mac, 6);
	p.local_ip = LOCAL_IP;
	p.remote_ip = REMOTE_IP;
	p.vni = VNI;
	p.tos = 0x10;
	p.df = true;
	assert_int_equal(vxlan_tmpl_build(t, &p), 0);
}

/* An inner Ethernet/IPv4/UDP frame of 'size' (>= 42) bytes, UDP source port 'flow'. */
static void
inner_frame(uint8_t *f, uint16_t size, uint16_t flow)
{
	static const uint8_t head[34] = {0x0a, 0,    0,    0, 0, 0xbb, 0x0a, 0, 0, 0, 0,  0xaa,
					 0x08, 0x00, 0x45, 0, 0, 0,    0,    0, 0, 0, 64, 17,
					 0,    0,    10,   0, 0, 1,    10,   0, 0, 2};

	memcpy(f, head, sizeof(head));
	f[16] = (uint8_t)((size - 14) >> 8);
	f[17] = (uint8_t)(size - 14);
	f[34] = (uint8_t)(flow >> 8);
	f[35] = (uint8_t)flow;
	f[36] = 0x07;
	f[37] = 0xd0;
	for (uint16_t i = 38; i < size; i++) {
		f[i] = (uint8_t)(i * 7 + flow);
	}
}

static struct rte_mbuf *
mk(const uint8_t *bytes, uint16_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, size), bytes, size);
	return m;
}

static struct rte_mbuf *
mk_inner(uint16_t size, uint16_t flow)
{
	uint8_t f[2048];

	inner_frame(f, size, flow);
	return mk(f, size);
}

static void
free_all(struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		rte_pktmbuf_free(pkts[i]);
	}
}

static void
assert_pool_full(void)
{
	assert_int_equal(rte_mempool_avail_count(pool), POOL_SIZE);
}

/* The 50 outer bytes RFC 7348 section 5 prescribes, written out by hand. */
static void
assert_outer(const uint8_t *p, uint16_t inner_size)
{
	uint16_t ip_total = (uint16_t)(inner_size + 36);
	uint16_t udp_len = (uint16_t)(inner_size + 16);
	const uint8_t ip_fixed[] = {0x40, 0x00, 64, 17};
	const uint8_t addrs[] = {192, 168, 1, 1, 192, 168, 1, 2};
	const uint8_t vx[] = {0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0};

	assert_memory_equal(p, next_hop_mac, 6);
	assert_memory_equal(p + 6, local_mac, 6);
	assert_int_equal(p[12] << 8 | p[13], 0x0800);
	assert_int_equal(p[14], 0x45);
	assert_int_equal(p[15], 0x10);
	assert_int_equal(p[16] << 8 | p[17], ip_total);
	assert_int_equal(p[18] << 8 | p[19], 0);
	assert_memory_equal(p + 20, ip_fixed, 4);
	assert_memory_equal(p + 26, addrs, 8);
	/* A valid header sums, checksum included, to 0xffff [RFC 1071]. */
	assert_int_equal(rte_raw_cksum(p + 14, 20), 0xffff);
	assert_int_not_equal(p[24] << 8 | p[25], 0);
	assert_in_range(p[34] << 8 | p[35], 49152, 65535);
	assert_int_equal(p[36] << 8 | p[37], 4789);
	assert_int_equal(p[38] << 8 | p[39], udp_len);
	assert_int_equal(p[40] << 8 | p[41], 0);
	assert_memory_equal(p + 42, vx, 8);
}

static void
test_vxlan_stage_encap_burst_writes_outer_headers(void **state)
{
	struct rte_mbuf *pkts[BURST], *dropped[BURST];
	uint8_t why[BURST], f[2048];
	struct vxlan_stage_out out = {pkts, dropped, why, 0, 0};
	struct vxlan_tmpl t;

	(void)state;
	tmpl(&t);
	for (uint16_t i = 0; i < BURST; i++) {
		pkts[i] = mk_inner((uint16_t)(42 + i * 45), i);
		pkts[i]->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4;
	}
	assert_int_equal(vxlan_stage_encap(&t, 1500, pkts, BURST, &out), BURST);
	assert_int_equal(out.n_ok, BURST);
	assert_int_equal(out.n_dropped, 0);
	for (uint16_t i = 0; i < BURST; i++) {
		uint16_t size = (uint16_t)(42 + i * 45);
		struct rte_mbuf *m = pkts[i];

		inner_frame(f, size, i);
		assert_int_equal(m->pkt_len, size + 50);
		assert_int_equal(m->data_len, size + 50);
		assert_outer(rte_pktmbuf_mtod(m, const uint8_t *), size);
		assert_memory_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 50), f, size);
		assert_int_equal(m->l2_len, 14);
		assert_int_equal(m->l3_len, 20);
		assert_int_equal(m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK, 0);
	}
	free_all(pkts, BURST);
	assert_pool_full();
}

static void
test_vxlan_stage_encap_multi_segment_counts_pkt_len(void **state)
{
	struct rte_mbuf *pkts[1], *ok[1], *dropped[1];
	struct vxlan_stage_out out = {ok, dropped, (uint8_t[1]){0}, 0, 0};
	uint8_t tail[100];
	struct vxlan_tmpl t;

	(void)state;
	tmpl(&t);
	memset(tail, 0x5a, sizeof(tail));
	pkts[0] = mk_inner(60, 1);
	assert_int_equal(rte_pktmbuf_chain(pkts[0], mk(tail, sizeof(tail))), 0);
	assert_int_equal(vxlan_stage_encap(&t, 1500, pkts, 1, &out), 1);
	assert_ptr_equal(ok[0], pkts[0]);
	assert_int_equal(ok[0]->pkt_len, 210);
	assert_int_equal(ok[0]->nb_segs, 2);
	assert_outer(rte_pktmbuf_mtod(ok[0], const uint8_t *), 160);
	free_all(ok, 1);
	assert_pool_full();
}

static uint16_t
src_port_of(struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	return (uint16_t)(p[34] << 8 | p[35]);
}

static void
test_vxlan_stage_encap_src_port_follows_the_flow(void **state)
{
	struct rte_mbuf *pkts[BURST], *dropped[BURST];
	uint8_t why[BURST];
	struct vxlan_stage_out out = {pkts, dropped, why, 0, 0};
	uint32_t seen[BURST];
	unsigned n_distinct = 0;
	struct vxlan_tmpl t;

	(void)state;
	tmpl(&t);
	/* Even slots: one flow at many sizes; odd slots: 16 different flows. */
	for (uint16_t i = 0; i < BURST; i++) {
		pkts[i] = mk_inner((uint16_t)(64 + i * 3), i % 2 == 0 ? 777 : 1000 + i);
	}
	pkts[BURST - 1]->hash.rss = 0xdeadbeef;
	pkts[BURST - 1]->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	assert_int_equal(vxlan_stage_encap(&t, 1500, pkts, BURST, &out), BURST);
	for (uint16_t i = 0; i < BURST; i += 2) {
		assert_int_equal(src_port_of(pkts[i]), src_port_of(pkts[0]));
	}
	assert_int_equal(src_port_of(pkts[BURST - 1]), vxlan_src_port(0xdeadbeef));
	for (uint16_t i = 1; i < BURST; i += 2) {
		bool found = false;

		for (unsigned j = 0; j < n_distinct; j++) {
			found = found || seen[j] == src_port_of(pkts[i]);
		}
		if (!found) {
			seen[n_distinct++] = src_port_of(pkts[i]);
		}
	}
	assert_true(n_distinct >= 14); /* 16 flows over 16384 ports */
	free_all(pkts, BURST);
	assert_pool_full();
}

static void
test_vxlan_stage_encap_drops_too_big_at_one_byte_over(void **state)
{
	struct rte_mbuf *pkts[3], *ok[3], *dropped[3];
	uint8_t why[3], f[2048];
	struct vxlan_stage_out out = {ok, dropped, why, 0, 0};
	struct vxlan_tmpl t;

	(void)state;
	tmpl(&t);
	pkts[0] = mk_inner(1465, 1); /* 1465 + 36 = 1501 */
	pkts[1] = mk_inner(1464, 2); /* exactly 1500 */
	pkts[2] = mk_inner(1466, 3);
	assert_int_equal(vxlan_stage_encap(&t, 1500, pkts, 3, &out), 1);
	assert_ptr_equal(ok[0], pkts[1]);
	assert_int_equal(ok[0]->pkt_len, 1514);
	assert_outer(rte_pktmbuf_mtod(ok[0], const uint8_t *), 1464);
	assert_int_equal(out.n_dropped, 2);
	assert_ptr_equal(dropped[0], pkts[0]);
	assert_ptr_equal(dropped[1], pkts[2]);
	assert_int_equal(why[0], VXLAN_DROP_TOO_BIG);
	assert_int_equal(why[1], VXLAN_DROP_TOO_BIG);
	inner_frame(f, 1465, 1);
	assert_int_equal(dropped[0]->pkt_len, 1465);
	assert_memory_equal(rte_pktmbuf_mtod(dropped[0], const uint8_t *), f, 1465);
	free_all(ok, 1);
	free_all(dropped, 2);
	assert_pool_full();
}

static void
test_vxlan_stage_encap_drops_without_headroom_untouched(void **state)
{
	struct rte_mbuf *pkts[2], *ok[2], *dropped[2];
	uint8_t why[2], f[100];
	struct vxlan_stage_out out = {ok, dropped, why, 0, 0};
	struct vxlan_tmpl t;

	(void)state;
	tmpl(&t);
	inner_frame(f, sizeof(f), 9);
	pkts[0] = rte_pktmbuf_alloc(pool);
	pkts[1] = rte_pktmbuf_alloc(pool);
	assert_non_null(pkts[0]);
	assert_non_null(pkts[1]);
	pkts[0]->data_off = 49;
	pkts[1]->data_off = 50;
	memcpy(rte_pktmbuf_append(pkts[0], sizeof(f)), f, sizeof(f));
	memcpy(rte_pktmbuf_append(pkts[1], sizeof(f)), f, sizeof(f));
	assert_int_equal(vxlan_stage_encap(&t, 9000, pkts, 2, &out), 1);
	assert_ptr_equal(ok[0], pkts[1]);
	assert_int_equal(ok[0]->data_off, 0);
	assert_outer(rte_pktmbuf_mtod(ok[0], const uint8_t *), sizeof(f));
	assert_int_equal(out.n_dropped, 1);
	assert_ptr_equal(dropped[0], pkts[0]);
	assert_int_equal(why[0], VXLAN_DROP_NO_HEADROOM);
	assert_int_equal(dropped[0]->data_off, 49);
	assert_int_equal(dropped[0]->pkt_len, sizeof(f));
	assert_memory_equal(rte_pktmbuf_mtod(dropped[0], const uint8_t *), f, sizeof(f));
	free_all(ok, 1);
	free_all(dropped, 1);
	assert_pool_full();
}

static void
test_vxlan_stage_decap_round_trip(void **state)
{
	struct rte_mbuf *pkts[BURST], *dropped[BURST];
	struct vxlan_rx_meta meta[BURST];
	struct vxlan_decap_conf conf = {LOCAL_IP, 0};
	struct vxlan_stage_out out = {pkts, dropped, (uint8_t[BURST]){0}, 0, 0};
	struct vxlan_tmpl t;
	uint8_t f[2048];

	(void)state;
	tmpl(&t);
	for (uint16_t i = 0; i < BURST; i++) {
		pkts[i] = mk_inner((uint16_t)(42 + i * 45), i);
	}
	assert_int_equal(vxlan_stage_encap(&t, 1500, pkts, BURST, &out), BURST);
	/* The encapsulated frames arrive on the peer whose address is REMOTE_IP. */
	conf.local_ip = REMOTE_IP;
	assert_int_equal(vxlan_stage_decap(&conf, pkts, BURST, &out, meta), BURST);
	assert_int_equal(out.n_dropped, 0);
	for (uint16_t i = 0; i < BURST; i++) {
		uint16_t size = (uint16_t)(42 + i * 45);

		inner_frame(f, size, i);
		assert_int_equal(pkts[i]->pkt_len, size);
		assert_memory_equal(rte_pktmbuf_mtod(pkts[i], const uint8_t *), f, size);
		assert_int_equal(meta[i].vni, VNI);
		assert_int_equal(meta[i].remote_ip, LOCAL_IP);
	}
	free_all(pkts, BURST);
	assert_pool_full();
}

/*
 * A VXLAN packet from 10.1.1.2 to 10.1.1.1, port 4789, VNI 42, carrying a
 * 14-byte inner header, then 2 bytes of Ethernet padding: built from the
 * RFC layouts, not by vxlan_encap().
 */
static const uint8_t wire[66] = {
    2,    0,    0,    0,    0, 1,  2,    0, 0,  0,  0,    2,    0x08, 0x00,       /* Ethernet */
    0x45, 0,    0,    50,   0, 0,  0x40, 0, 64, 17, 0x24, 0xb7, 10,   1,    1, 2, /* IPv4 ... */
    10,   1,    1,    1,                                                          /* ... dst */
    0xc0, 0x00, 0x12, 0xb5, 0, 30, 0,    0,                                       /* UDP */
    0x08, 0,    0,    0,    0, 0,  42,   0,                                       /* VXLAN */
    1,    2,    3,    4,    5, 6,  7,    8, 9,  10, 11,   12,   0x88, 0xb5,       /* inner */
    0xee, 0xee,                                                                   /* padding */
};

static void
test_vxlan_stage_decap_hand_built_packet_drops_padding(void **state)
{
	struct rte_mbuf *pkts[1], *dropped[1];
	struct vxlan_rx_meta meta[1];
	struct vxlan_decap_conf conf = {0x0a010101, 4789};
	struct vxlan_stage_out out = {pkts, dropped, (uint8_t[1]){0}, 0, 0};

	(void)state;
	assert_int_equal(rte_raw_cksum(wire + 14, 20), 0xffff);
	pkts[0] = mk(wire, sizeof(wire));
	assert_int_equal(vxlan_stage_decap(&conf, pkts, 1, &out, meta), 1);
	assert_int_equal(pkts[0]->pkt_len, 14);
	assert_int_equal(pkts[0]->data_len, 14);
	assert_memory_equal(rte_pktmbuf_mtod(pkts[0], const uint8_t *), wire + 50, 14);
	assert_int_equal(meta[0].vni, 42);
	assert_int_equal(meta[0].remote_ip, 0x0a010102);
	free_all(pkts, 1);
	assert_pool_full();
}

static void
test_vxlan_stage_decap_refuses_with_named_reasons(void **state)
{
	struct rte_mbuf *pkts[5], *ok[5], *dropped[5];
	struct vxlan_rx_meta meta[5];
	struct vxlan_decap_conf conf = {0x0a010101, 0};
	uint8_t why[5], bad_port[sizeof(wire)];
	struct vxlan_stage_out out = {ok, dropped, why, 0, 0};
	struct vxlan_decap_conf other = {0x0a010109, 0};

	(void)state;
	memcpy(bad_port, wire, sizeof(wire));
	bad_port[37] = 0xb6; /* UDP destination 4790 */
	pkts[0] = mk(bad_port, sizeof(bad_port));
	pkts[1] = mk(wire, 40); /* cut inside the UDP header */
	pkts[2] = mk(wire, sizeof(wire));
	assert_int_equal(rte_pktmbuf_chain(pkts[2], mk(wire, 10)), 0);
	pkts[3] = mk(wire, sizeof(wire));
	pkts[4] = mk(wire, 10);
	assert_int_equal(vxlan_stage_decap(&conf, pkts, 5, &out, meta), 1);
	assert_ptr_equal(ok[0], pkts[3]);
	assert_int_equal(out.n_dropped, 4);
	assert_int_equal(why[0], VXLAN_DROP_WRONG_PORT);
	assert_int_equal(why[1], VXLAN_DROP_TRUNCATED);
	assert_int_equal(why[2], VXLAN_DROP_NOT_CONTIGUOUS);
	assert_int_equal(why[3], VXLAN_DROP_TRUNCATED);
	assert_ptr_equal(dropped[1], pkts[1]);
	assert_int_equal(dropped[1]->pkt_len, 40);
	assert_memory_equal(rte_pktmbuf_mtod(dropped[0], const uint8_t *), bad_port,
			    sizeof(bad_port));
	free_all(ok, 1);
	free_all(dropped, 4);

	/* Not addressed to us: another VTEP's local address. */
	pkts[0] = mk(wire, sizeof(wire));
	assert_int_equal(vxlan_stage_decap(&other, pkts, 1, &out, meta), 0);
	assert_int_equal(why[0], VXLAN_DROP_NOT_LOCAL);
	assert_int_equal(dropped[0]->pkt_len, sizeof(wire));
	free_all(dropped, 1);
	assert_pool_full();
}

static void
test_vxlan_stage_drop_names_match_parse_errors(void **state)
{
	(void)state;
	assert_string_equal(vxlan_drop_name(VXLAN_DROP_TOO_BIG), "TOO_BIG");
	assert_string_equal(vxlan_drop_name(VXLAN_DROP_NO_HEADROOM), "NO_HEADROOM");
	assert_string_equal(vxlan_drop_name(VXLAN_DROP_NOT_CONTIGUOUS), "NOT_CONTIGUOUS");
	assert_string_equal(vxlan_drop_name(VXLAN_DROP_MAX), "?");
	assert_int_equal(vxlan_drop_from_err(VXLAN_ERR_OK), VXLAN_DROP_NONE);
	for (int e = VXLAN_ERR_OK + 1; e < VXLAN_ERR_MAX; e++) {
		enum vxlan_drop d = vxlan_drop_from_err((enum vxlan_err)e);

		/* "VXLAN_ERR_WRONG_PORT" names the drop "WRONG_PORT". */
		assert_string_equal(vxlan_drop_name(d), vxlan_err_name((enum vxlan_err)e) + 10);
		assert_string_equal(vxlan_drop_text(d), vxlan_err_text((enum vxlan_err)e));
	}
	assert_int_equal(vxlan_drop_from_err(VXLAN_ERR_WRONG_PORT), VXLAN_DROP_WRONG_PORT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vxlan_stage_encap_burst_writes_outer_headers),
	    cmocka_unit_test(test_vxlan_stage_encap_multi_segment_counts_pkt_len),
	    cmocka_unit_test(test_vxlan_stage_encap_src_port_follows_the_flow),
	    cmocka_unit_test(test_vxlan_stage_encap_drops_too_big_at_one_byte_over),
	    cmocka_unit_test(test_vxlan_stage_encap_drops_without_headroom_untouched),
	    cmocka_unit_test(test_vxlan_stage_decap_round_trip),
	    cmocka_unit_test(test_vxlan_stage_decap_hand_built_packet_drops_padding),
	    cmocka_unit_test(test_vxlan_stage_decap_refuses_with_named_reasons),
	    cmocka_unit_test(test_vxlan_stage_drop_names_match_parse_errors),
	};

	if (eal_test_init("test_vxlan_stage") < 0) {
		fprintf(stderr, "cannot initialise the EAL\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_vxlan_stage", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool == NULL ? 1 : cmocka_run_group_tests(tests, NULL, NULL);
}
