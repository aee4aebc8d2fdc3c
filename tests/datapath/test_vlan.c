/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vlan.c - tag push/pop/rewrite on mbufs (plain, already tagged and
 * runt frames) and the ingress/egress decisions of each port mode.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <rte_mbuf.h>

#include "datapath/vlan.h"
#include "eal_test.h"

static struct rte_mempool *pool;

static struct rte_mbuf *
mk(const uint8_t *bytes, uint16_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, size), bytes, size);
	return m;
}

static const uint8_t plain[18] = {1,  2,  3,  4,    5,    6,    7,    8,    9,
				  10, 11, 12, 0x08, 0x00, 0xaa, 0xbb, 0xcc, 0xdd};

static void
test_vlan_push_then_pop_restores_the_frame(void **state)
{
	struct rte_mbuf *m = mk(plain, sizeof(plain));
	const uint8_t *p;

	(void)state;
	assert_int_equal(vlan_push(m, 0x8100, 5 << 13 | 100), 0);
	assert_int_equal(m->pkt_len, 22);
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	assert_memory_equal(p, plain, 12);
	assert_int_equal(p[12] << 8 | p[13], 0x8100);
	assert_int_equal(p[14] << 8 | p[15], 5 << 13 | 100);
	assert_memory_equal(p + 16, plain + 12, 6);
	assert_int_equal(vlan_pop(m), 0);
	assert_int_equal(m->pkt_len, sizeof(plain));
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), plain, sizeof(plain));
	rte_pktmbuf_free(m);
}

static void
test_vlan_push_on_tagged_frame_makes_qinq(void **state)
{
	struct rte_mbuf *m = mk(plain, sizeof(plain));
	const uint8_t *p;

	(void)state;
	vlan_push(m, 0x8100, 10);
	assert_int_equal(vlan_push(m, 0x88a8, 100), 0);
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	assert_int_equal(p[12] << 8 | p[13], 0x88a8);
	assert_int_equal(p[14] << 8 | p[15], 100);
	assert_int_equal(p[16] << 8 | p[17], 0x8100);
	assert_int_equal(p[18] << 8 | p[19], 10);
	assert_int_equal(vlan_rewrite(m, 0x8100, 3 << 13 | 200), 0);
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	assert_int_equal(p[12] << 8 | p[13], 0x8100);
	assert_int_equal(p[14] << 8 | p[15], 3 << 13 | 200);
	assert_int_equal(m->pkt_len, 26);
	rte_pktmbuf_free(m);
}

static void
test_vlan_pop_and_rewrite_refuse_untagged_and_runts(void **state)
{
	struct rte_mbuf *m = mk(plain, sizeof(plain));
	struct rte_mbuf *runt = mk(plain, 11);
	uint8_t short_tag[16];
	struct rte_mbuf *cut;

	(void)state;
	assert_int_equal(vlan_pop(m), -EINVAL);
	assert_int_equal(vlan_rewrite(m, 0x8100, 1), -EINVAL);
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), plain, sizeof(plain));
	assert_int_equal(vlan_push(runt, 0x8100, 1), -EINVAL);
	assert_int_equal(runt->pkt_len, 11);
	/* A tag announced but the frame ends inside it. */
	memcpy(short_tag, plain, 12);
	short_tag[12] = 0x81;
	short_tag[13] = 0x00;
	short_tag[14] = 0;
	short_tag[15] = 10;
	cut = mk(short_tag, sizeof(short_tag));
	assert_int_equal(vlan_pop(cut), -EINVAL);
	assert_int_equal(cut->pkt_len, 16);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(runt);
	rte_pktmbuf_free(cut);
}

static void
test_vlan_push_without_headroom_fails_cleanly(void **state)
{
	struct rte_mbuf *m = mk(plain, sizeof(plain));

	(void)state;
	rte_pktmbuf_prepend(m, rte_pktmbuf_headroom(m));
	rte_pktmbuf_adj(m, rte_pktmbuf_data_len(m) - sizeof(plain));
	m->data_off = 2;
	assert_int_equal(vlan_push(m, 0x8100, 1), -ENOSPC);
	rte_pktmbuf_free(m);
}

static struct vlan_port
port(enum vlan_mode mode, uint16_t tag)
{
	struct vlan_port p;

	memset(&p, 0, sizeof(p));
	p.mode = mode;
	p.tag = tag;
	p.all_trunks = true;
	p.all_cvlans = true;
	p.qinq_tpid = 0x88a8;
	return p;
}

static void
test_vlan_ingress_by_mode(void **state)
{
	struct vlan_port access = port(VLAN_MODE_ACCESS, 10);
	struct vlan_port trunk = port(VLAN_MODE_TRUNK, 0);
	struct vlan_port native = port(VLAN_MODE_NATIVE_TAGGED, 30);
	struct vlan_port tunnel = port(VLAN_MODE_DOT1Q_TUNNEL, 100);
	struct vlan_meta m;

	(void)state;
	assert_true(vlan_ingress(&access, 0, 0, 0, 0, &m));
	assert_int_equal(m.vlan, 10);
	assert_false(m.tagged);
	assert_false(vlan_ingress(&access, 1, 0x8100, 20, 0, &m));
	assert_true(vlan_ingress(&access, 1, 0x8100, 6 << 13, 0, &m));
	assert_int_equal(m.vlan, 10);
	assert_int_equal(m.pcp, 6);

	assert_true(vlan_ingress(&trunk, 0, 0, 0, 0, &m));
	assert_int_equal(m.vlan, 0);
	assert_true(vlan_ingress(&trunk, 1, 0x8100, 20, 0, &m));
	assert_int_equal(m.vlan, 20);
	trunk.all_trunks = false;
	vlan_set_bit(trunk.trunks, 20);
	assert_true(vlan_ingress(&trunk, 1, 0x8100, 20, 0, &m));
	assert_false(vlan_ingress(&trunk, 1, 0x8100, 21, 0, &m));
	assert_false(vlan_ingress(&trunk, 0, 0, 0, 0, &m)); /* VLAN 0 not in trunks */

	native.all_trunks = false;
	vlan_set_bit(native.trunks, 40);
	assert_true(vlan_ingress(&native, 0, 0, 0, 0, &m));
	assert_int_equal(m.vlan, 30);
	assert_true(vlan_ingress(&native, 1, 0x8100, 30, 0, &m));
	assert_true(vlan_ingress(&native, 1, 0x8100, 40, 0, &m));
	assert_false(vlan_ingress(&native, 1, 0x8100, 50, 0, &m));

	assert_true(vlan_ingress(&tunnel, 1, 0x8100, 7, 0, &m));
	assert_int_equal(m.vlan, 100);
	assert_false(m.tagged);
	assert_int_equal(m.tpid, 0x88a8);
	tunnel.all_cvlans = false;
	vlan_set_bit(tunnel.cvlans, 7);
	assert_true(vlan_ingress(&tunnel, 1, 0x8100, 7, 0, &m));
	assert_false(vlan_ingress(&tunnel, 1, 0x8100, 8, 0, &m));
	assert_false(vlan_ingress(&tunnel, 0, 0, 0, 0, &m));
}

static void
test_vlan_egress_tagging_by_mode(void **state)
{
	struct vlan_port access = port(VLAN_MODE_ACCESS, 10);
	struct vlan_port trunk = port(VLAN_MODE_TRUNK, 0);
	struct vlan_port ntag = port(VLAN_MODE_NATIVE_TAGGED, 30);
	struct vlan_port nuntag = port(VLAN_MODE_NATIVE_UNTAGGED, 30);

	(void)state;
	assert_false(vlan_port_tags(&access, 10));
	assert_true(vlan_port_carries(&access, 10));
	assert_false(vlan_port_carries(&access, 11));
	assert_true(vlan_port_tags(&trunk, 5));
	assert_false(vlan_port_tags(&trunk, 0));
	assert_true(vlan_port_tags(&ntag, 30));
	assert_false(vlan_port_tags(&nuntag, 30));
	assert_true(vlan_port_tags(&nuntag, 31));
	nuntag.all_trunks = false;
	assert_true(vlan_port_carries(&nuntag, 30));
	assert_false(vlan_port_carries(&nuntag, 31));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vlan_push_then_pop_restores_the_frame),
	    cmocka_unit_test(test_vlan_push_on_tagged_frame_makes_qinq),
	    cmocka_unit_test(test_vlan_pop_and_rewrite_refuse_untagged_and_runts),
	    cmocka_unit_test(test_vlan_push_without_headroom_fails_cleanly),
	    cmocka_unit_test(test_vlan_ingress_by_mode),
	    cmocka_unit_test(test_vlan_egress_tagging_by_mode),
	};

	if (eal_test_init("test_vlan") < 0) {
		fprintf(stderr, "cannot initialise the EAL\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_vlan", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool == NULL ? 1 : cmocka_run_group_tests(tests, NULL, NULL);
}
