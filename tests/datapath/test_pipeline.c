/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pipeline.c - the NORMAL action frame by frame: where each frame is
 * queued for output (exactly once per port, never back to its input),
 * which frames are dropped and counted, and which upcalls are sent.
 * Runs the real pipeline on real mbufs; only the devices are absent, so
 * the test reads the per-port output batches instead of wires.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "datapath/dp_priv.h"
#include "eal_test.h"

static struct rte_mempool *pool;

/* Bridge 0 holds ports 0..3; bridge 1 holds port 4. */
struct fixture {
	struct dp *dp;
	struct pmd *pmd;
	struct dp_tables *t;
};

static const uint8_t mac_h0[6] = {0x02, 0, 0, 0, 0, 0x10};
static const uint8_t mac_h1[6] = {0x02, 0, 0, 0, 0, 0x11};
static const uint8_t mac_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint16_t i;

	f->dp = rte_zmalloc(NULL, sizeof(*f->dp), 0);
	f->pmd = rte_zmalloc(NULL, sizeof(*f->pmd), RTE_CACHE_LINE_SIZE);
	f->t = dp_tables_alloc(); /* every port a trunk of all VLANs */
	if (f->dp == NULL || f->pmd == NULL || f->t == NULL ||
	    fdb_create(256, NULL, &f->dp->fdb) < 0) {
		return -1;
	}
	f->pmd->dp = f->dp;
	f->pmd->learn_repeat = 1000;
	f->pmd->learn_refresh = 10;
	f->pmd->upcalls = rte_ring_create_elem("test_upcalls", sizeof(struct dp_upcall), 64,
					       SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (f->pmd->upcalls == NULL) {
		return -1;
	}
	for (i = 0; i < 4; i++) {
		f->t->ports[i].bridge = 0;
		f->t->ports[i].ofport = (uint16_t)(i + 1);
		f->t->ports[i].enabled = true;
		f->t->bridges[0].ports[f->t->bridges[0].n_ports++] = i;
	}
	f->t->ports[4].bridge = 1;
	f->t->ports[4].ofport = 1;
	f->t->ports[4].enabled = true;
	f->t->bridges[1].ports[f->t->bridges[1].n_ports++] = 4;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	uint16_t p, i;

	for (p = 0; p < DP_MAX_PORTS; p++) {
		for (i = 0; i < f->pmd->tx[p].n; i++) {
			rte_pktmbuf_free(f->pmd->tx[p].pkts[i]);
		}
	}
	rte_ring_free(f->pmd->upcalls);
	fdb_destroy(f->dp->fdb);
	rte_free(f->t);
	rte_free(f->pmd);
	rte_free(f->dp);
	free(f);
	return 0;
}

static struct rte_mbuf *
frame(const uint8_t *dst, const uint8_t *src, uint16_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, size);
	assert_non_null(p);
	memset(p, 0, size);
	if (size >= 12) {
		memcpy(p, dst, 6);
		memcpy(p + 6, src, 6);
	}
	if (size >= 14) {
		p[12] = 0x08;
	}
	return m;
}

static void
send1(struct fixture *f, uint16_t in_port, struct rte_mbuf *m, uint64_t now)
{
	pipeline_process(f->pmd, f->t, in_port, &m, 1, now);
}

static unsigned
upcalls(struct fixture *f, struct dp_upcall *out, unsigned max)
{
	return rte_ring_sc_dequeue_burst_elem(f->pmd->upcalls, out, sizeof(*out), max, NULL);
}

static void
test_pipeline_unknown_unicast_floods_each_other_port_once(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = frame(mac_h1, mac_h0, 64);

	send1(f, 0, m, 1);
	assert_int_equal(f->pmd->tx[0].n, 0);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->tx[3].n, 1);
	assert_int_equal(f->pmd->tx[4].n, 0);
	assert_ptr_equal(f->pmd->tx[1].pkts[0], m);
	/* One buffer shared by three outputs. */
	assert_int_equal(rte_mbuf_refcnt_read(m), 3);
	assert_int_equal(f->pmd->n_dirty, 3);
}

static void
test_pipeline_broadcast_floods_within_bridge_only(void **state)
{
	struct fixture *f = *state;

	fdb_learn(f->dp->fdb, 0, 0, mac_bcast, 2, 1); /* must never be used */
	send1(f, 4, frame(mac_bcast, mac_h0, 64), 1);
	assert_int_equal(f->pmd->tx[0].n + f->pmd->tx[1].n + f->pmd->tx[2].n + f->pmd->tx[3].n, 0);
	assert_int_equal(f->pmd->drops[DP_DROP_NO_OUTPUT], 1);
	send1(f, 3, frame(mac_bcast, mac_h0, 64), 1);
	assert_int_equal(f->pmd->tx[0].n, 1);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->tx[3].n, 0);
	assert_int_equal(f->pmd->tx[4].n, 0);
}

static void
test_pipeline_known_unicast_goes_to_learned_port_only(void **state)
{
	struct fixture *f = *state;

	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 2, 1);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 1);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->tx[1].n + f->pmd->tx[3].n + f->pmd->tx[0].n, 0);
	/* Same MAC learned in bridge 1 does not steer bridge 0's frames. */
	fdb_learn(f->dp->fdb, 1, 0, mac_h0, 4, 1);
	send1(f, 2, frame(mac_h0, mac_h1, 64), 1);
	assert_int_equal(f->pmd->tx[4].n, 0);
	assert_int_equal(f->pmd->tx[0].n, 1);
}

static void
test_pipeline_destination_on_input_port_is_dropped(void **state)
{
	struct fixture *f = *state;

	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 1, 1);
	send1(f, 1, frame(mac_h1, mac_h0, 64), 1);
	assert_int_equal(f->pmd->n_dirty, 0);
	assert_int_equal(f->pmd->drops[DP_DROP_SAME_PORT], 1);
	assert_int_equal(f->pmd->pstats[1].rx_dropped, 1);
}

static void
test_pipeline_stale_entry_floods(void **state)
{
	struct fixture *f = *state;

	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 3, 1);
	f->t->ports[3].enabled = false;
	send1(f, 0, frame(mac_h1, mac_h0, 64), 1);
	assert_int_equal(f->pmd->tx[3].n, 0);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(f->pmd->tx[2].n, 1);
}

static void
test_pipeline_unknown_source_sends_one_learn_upcall(void **state)
{
	struct fixture *f = *state;
	struct dp_upcall u[8];

	send1(f, 2, frame(mac_bcast, mac_h0, 64), 100);
	send1(f, 2, frame(mac_bcast, mac_h0, 64), 200);
	assert_int_equal(upcalls(f, u, 8), 1);
	assert_int_equal(u[0].type, DP_UPCALL_LEARN);
	assert_int_equal(u[0].port, 2);
	assert_int_equal(u[0].bridge, 0);
	assert_memory_equal(u[0].mac, mac_h0, 6);
	/* After the repeat interval the PMD asks again. */
	send1(f, 2, frame(mac_bcast, mac_h0, 64), 1200);
	assert_int_equal(upcalls(f, u, 8), 1);
	/* Once learned, no more upcalls. */
	fdb_learn(f->dp->fdb, 0, 0, mac_h0, 2, 1200);
	send1(f, 2, frame(mac_bcast, mac_h0, 64), 1300);
	assert_int_equal(upcalls(f, u, 8), 0);
	/* A move is reported at once. */
	send1(f, 1, frame(mac_bcast, mac_h0, 64), 1301);
	assert_int_equal(upcalls(f, u, 8), 1);
	assert_int_equal(u[0].port, 1);
}

static void
test_pipeline_group_source_is_never_learned(void **state)
{
	struct fixture *f = *state;
	struct dp_upcall u[8];

	send1(f, 0, frame(mac_h1, mac_bcast, 64), 1);
	assert_int_equal(upcalls(f, u, 8), 0);
}

static void
test_pipeline_runts_are_dropped_and_counted(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *pkts[3] = {frame(mac_h1, mac_h0, 10), frame(mac_h1, mac_h0, 64),
				    frame(mac_h1, mac_h0, 13)};

	pipeline_process(f->pmd, f->t, 0, pkts, 3, 1);
	assert_int_equal(f->pmd->drops[DP_DROP_RUNT], 2);
	assert_int_equal(f->pmd->pstats[0].rx_dropped, 2);
	assert_int_equal(f->pmd->tx[1].n, 1);
}

static void
test_pipeline_input_port_outside_bridges_is_dropped(void **state)
{
	struct fixture *f = *state;

	send1(f, 9, frame(mac_h1, mac_h0, 64), 1);
	assert_int_equal(f->pmd->drops[DP_DROP_NO_BRIDGE], 1);
	assert_int_equal(f->pmd->n_dirty, 0);
}

/* Ports 0: access 10, 1: access 20, 2: trunk 10,20, 3: native-untagged
 * 10 with trunk 20, 4 (other bridge) as before. */
static void
vlan_fixture(struct fixture *f)
{
	struct vlan_port *v;

	f->t->ports[0].vlan.mode = VLAN_MODE_ACCESS;
	f->t->ports[0].vlan.tag = 10;
	f->t->ports[1].vlan.mode = VLAN_MODE_ACCESS;
	f->t->ports[1].vlan.tag = 20;
	v = &f->t->ports[2].vlan;
	v->all_trunks = false;
	vlan_set_bit(v->trunks, 10);
	vlan_set_bit(v->trunks, 20);
	v = &f->t->ports[3].vlan;
	v->mode = VLAN_MODE_NATIVE_UNTAGGED;
	v->tag = 10;
	v->all_trunks = false;
	vlan_set_bit(v->trunks, 20);
}

static struct rte_mbuf *
tagged_frame(const uint8_t *dst, const uint8_t *src, uint16_t tpid, uint16_t tci)
{
	struct rte_mbuf *m = frame(dst, src, 64);
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	p[12] = (uint8_t)(tpid >> 8);
	p[13] = (uint8_t)tpid;
	p[14] = (uint8_t)(tci >> 8);
	p[15] = (uint8_t)tci;
	p[16] = 0x08;
	p[17] = 0x00;
	return m;
}

/* The outer tag of the frame queued at 'port', as TPID << 16 | TCI, or 0
 * if it is untagged. */
static uint32_t
out_tag(struct fixture *f, uint16_t port, uint16_t i)
{
	const uint8_t *p = rte_pktmbuf_mtod(f->pmd->tx[port].pkts[i], const uint8_t *);
	uint16_t tpid = (uint16_t)(p[12] << 8 | p[13]);

	if (tpid != 0x8100 && tpid != 0x88a8) {
		return 0;
	}
	return (uint32_t)tpid << 16 | (uint32_t)(p[14] << 8 | p[15]);
}

static void
test_pipeline_access_broadcast_stays_in_its_vlan(void **state)
{
	struct fixture *f = *state;

	vlan_fixture(f);
	send1(f, 0, frame(mac_bcast, mac_h0, 64), 1);
	assert_int_equal(f->pmd->tx[1].n, 0);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->tx[3].n, 1);
	assert_int_equal(out_tag(f, 2, 0), 0x8100000a);
	assert_int_equal(out_tag(f, 3, 0), 0);
	assert_int_equal(f->pmd->tx[2].pkts[0]->pkt_len, 68);
	assert_int_equal(f->pmd->tx[3].pkts[0]->pkt_len, 64);
	/* The untagged group shares the original; the tagged one its copy. */
	assert_ptr_not_equal(f->pmd->tx[2].pkts[0], f->pmd->tx[3].pkts[0]);
}

static void
test_pipeline_trunk_frames_are_popped_or_kept(void **state)
{
	struct fixture *f = *state;

	vlan_fixture(f);
	send1(f, 2, tagged_frame(mac_bcast, mac_h0, 0x8100, 20), 1);
	assert_int_equal(f->pmd->tx[0].n, 0);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(out_tag(f, 1, 0), 0);
	assert_int_equal(f->pmd->tx[1].pkts[0]->pkt_len, 60);
	assert_int_equal(f->pmd->tx[3].n, 1);
	assert_int_equal(out_tag(f, 3, 0), 0x81000014);
}

static void
test_pipeline_disallowed_vlans_are_dropped(void **state)
{
	struct fixture *f = *state;

	vlan_fixture(f);
	send1(f, 2, tagged_frame(mac_bcast, mac_h0, 0x8100, 30), 1); /* not in trunks */
	send1(f, 0, tagged_frame(mac_bcast, mac_h0, 0x8100, 20), 1); /* tagged on access */
	send1(f, 3, tagged_frame(mac_bcast, mac_h0, 0x8100, 30), 1);
	assert_int_equal(f->pmd->drops[DP_DROP_VLAN], 3);
	assert_int_equal(f->pmd->n_dirty, 0);
}

static void
test_pipeline_priority_tag_keeps_pcp(void **state)
{
	struct fixture *f = *state;

	vlan_fixture(f);
	/* Priority-tagged (VID 0, PCP 5) on access port 10. */
	send1(f, 0, tagged_frame(mac_bcast, mac_h0, 0x8100, 5 << 13), 1);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(out_tag(f, 2, 0), 0x81000000 | 5 << 13 | 10);
	assert_int_equal(f->pmd->tx[3].n, 1);
	assert_int_equal(out_tag(f, 3, 0), 0);
}

static void
test_pipeline_learning_is_per_vlan(void **state)
{
	struct fixture *f = *state;

	vlan_fixture(f);
	/* mac_h1 is known in VLAN 20 on port 1 only: VLAN 10 still floods. */
	fdb_learn(f->dp->fdb, 0, 20, mac_h1, 1, 1);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 1);
	assert_int_equal(f->pmd->tx[1].n, 0);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->tx[3].n, 1);
	/* In VLAN 20, known unicast from the trunk goes to port 1, untagged. */
	send1(f, 2, tagged_frame(mac_h1, mac_h0, 0x8100, 20), 1);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(out_tag(f, 1, 0), 0);
}

static void
test_pipeline_qinq_pushes_s_tag(void **state)
{
	struct fixture *f = *state;

	vlan_fixture(f);
	f->t->ports[1].vlan.mode = VLAN_MODE_DOT1Q_TUNNEL;
	f->t->ports[1].vlan.tag = 20;
	f->t->ports[1].vlan.qinq_tpid = 0x88a8;
	send1(f, 1, tagged_frame(mac_bcast, mac_h0, 0x8100, 3 << 13 | 7), 1);
	assert_int_equal(f->pmd->tx[2].n, 1);
	/* The S-tag carries the customer's PCP (802.1ad's default priority map). */
	assert_int_equal(out_tag(f, 2, 0), 0x88a80000 | 3 << 13 | 20);
	{
		const uint8_t *p = rte_pktmbuf_mtod(f->pmd->tx[2].pkts[0], const uint8_t *);

		/* The customer's tag follows, untouched. */
		assert_int_equal(p[16] << 8 | p[17], 0x8100);
		assert_int_equal(p[18] << 8 | p[19], 3 << 13 | 7);
	}
	/* And back: the S-tag is popped on the tunnel port. */
	send1(f, 2, tagged_frame(mac_bcast, mac_h1, 0x88a8, 20), 1);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(out_tag(f, 1, 0), 0);
}

static void
test_pipeline_cache_answers_repeated_frames(void **state)
{
	struct fixture *f = *state;

	fdb_learn(f->dp->fdb, 0, 0, mac_h0, 0, 1);
	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 2, 1);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 1);
	assert_int_equal(f->pmd->emc_misses, 1);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 2);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 3);
	assert_int_equal(f->pmd->emc_hits, 2);
	assert_int_equal(f->pmd->tx[2].n, 3);
	assert_int_equal(f->pmd->tx[1].n + f->pmd->tx[3].n, 0);
}

static void
test_pipeline_cache_never_answers_after_a_move(void **state)
{
	struct fixture *f = *state;

	fdb_learn(f->dp->fdb, 0, 0, mac_h0, 0, 1);
	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 2, 1);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 1);
	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 3, 2); /* mac_h1 moved to port 3 */
	send1(f, 0, frame(mac_h1, mac_h0, 64), 3);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->tx[3].n, 1);
	fdb_del(f->dp->fdb, 0, 0, mac_h1); /* forgotten: flood again */
	send1(f, 0, frame(mac_h1, mac_h0, 64), 4);
	assert_int_equal(f->pmd->tx[1].n, 1);
	assert_int_equal(f->pmd->tx[2].n, 2);
	assert_int_equal(f->pmd->tx[3].n, 2);
	assert_int_equal(f->pmd->emc_hits, 0);
}

static void
test_pipeline_cache_never_answers_after_new_tables(void **state)
{
	struct fixture *f = *state;
	struct dp_tables *t2 = dp_tables_alloc();

	fdb_learn(f->dp->fdb, 0, 0, mac_h0, 0, 1);
	fdb_learn(f->dp->fdb, 0, 0, mac_h1, 2, 1);
	send1(f, 0, frame(mac_h1, mac_h0, 64), 1);
	/* Same MAC table, new tables in which port 2 is in VLAN 20 only. */
	memcpy(t2, f->t, sizeof(*t2));
	t2->ports[2].vlan.mode = VLAN_MODE_ACCESS;
	t2->ports[2].vlan.tag = 20;
	pipeline_process(f->pmd, t2, 0, (struct rte_mbuf *[]){frame(mac_h1, mac_h0, 64)}, 1, 2);
	assert_int_equal(f->pmd->emc_hits, 0);
	assert_int_equal(f->pmd->tx[2].n, 1);
	assert_int_equal(f->pmd->drops[DP_DROP_VLAN], 1);
	rte_free(t2);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_pipeline_unknown_unicast_floods_each_other_port_once),
	    T(test_pipeline_broadcast_floods_within_bridge_only),
	    T(test_pipeline_known_unicast_goes_to_learned_port_only),
	    T(test_pipeline_destination_on_input_port_is_dropped),
	    T(test_pipeline_stale_entry_floods),
	    T(test_pipeline_unknown_source_sends_one_learn_upcall),
	    T(test_pipeline_group_source_is_never_learned),
	    T(test_pipeline_runts_are_dropped_and_counted),
	    T(test_pipeline_input_port_outside_bridges_is_dropped),
	    T(test_pipeline_access_broadcast_stays_in_its_vlan),
	    T(test_pipeline_trunk_frames_are_popped_or_kept),
	    T(test_pipeline_disallowed_vlans_are_dropped),
	    T(test_pipeline_priority_tag_keeps_pcp),
	    T(test_pipeline_learning_is_per_vlan),
	    T(test_pipeline_qinq_pushes_s_tag),
	    T(test_pipeline_cache_answers_repeated_frames),
	    T(test_pipeline_cache_never_answers_after_a_move),
	    T(test_pipeline_cache_never_answers_after_new_tables),
	};
#undef T

	if (eal_test_init("test_pipeline") < 0) {
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
