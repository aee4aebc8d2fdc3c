/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_oft.c - a bridge's OpenFlow flow tables (control/oft.c): FLOW_MOD
 * add/replace/modify/delete semantics of OpenFlow 1.3.5 [6.4], errors that
 * change nothing, selection order, idle and hard timeouts, and a timed bulk
 * add. Compilation, sync and counters are in test_oft_compile.c; the shared
 * fixtures are in oft_test.h. Needs a small EAL (no hugepages) for the
 * classifier's rte_hash, which some tests compile into.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "control/oft.h"
#include "datapath/cls_priv.h"
#include "protocols/openflow/of_wire.h"
#include "tests/control/oft_test.h"
#include "tests/datapath/eal_test.h"

/* ---- Helpers ------------------------------------------------------------- */

/* What a dump shows of one flow, to compare tables before and after. */
struct dump_row {
	uint8_t table;
	uint16_t priority;
	uint32_t id;
	uint64_t cookie;
	uint64_t present;
	uint32_t out; /* first output port, or 0 */
};

struct dump {
	unsigned n;
	struct dump_row rows[64];
};

static void
dump_one(const struct oft_flow *flow, void *arg)
{
	struct dump *d = arg;
	struct dump_row *r = &d->rows[d->n++];

	assert_true(d->n <= 64);
	memset(r, 0, sizeof(*r));
	r->table = flow->f.table_id;
	r->priority = flow->f.priority;
	r->id = flow->id;
	r->cookie = flow->f.cookie;
	r->present = flow->f.match.present;
	if (flow->f.ins.apply.n && flow->f.ins.apply.a[0].type == OFPAT_OUTPUT) {
		r->out = flow->f.ins.apply.a[0].output.port;
	}
}

static void
dump_all(const struct oft *oft, struct dump *d)
{
	struct of_flow all;

	flow_init(&all, OFPFC_DELETE, OFPTT_ALL, 0);
	d->n = 0;
	oft_select(oft, &all, false, dump_one, d);
}

/* ---- FLOW_MOD ADD ---------------------------------------------------------- */

static void
test_oft_add_replaces_identical_and_keeps_counters(void **state)
{
	struct oft *oft = *state;
	struct dp_flow_key key = {.in_port = 1};
	struct of_flow f;
	struct dp_cls *cls;
	const struct oft_flow *fl;
	uint32_t id;
	bool changed;

	id = add_flow(oft, 0, 100, 1, 2, 0x11);
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	dp_cls_count(cls, 0, (unsigned)dp_cls_lookup(cls, 0, &key), 64, 0);
	oft_harvest(oft, cls, 1);
	dp_cls_free(cls);

	/* Same table, priority and match: replaced, one flow, counters copied. */
	flow_init(&f, OFPFC_ADD, 0, 100);
	f.cookie = 0x22;
	MSET(&f.match, IN_PORT, in_port, 1, UINT32_MAX);
	ins_output(&f.ins, 3);
	assert_int_equal(oft_flow_mod(oft, &f, 5000, &changed), OF_ERR_NONE);
	assert_true(changed);
	assert_int_equal(oft_n_flows(oft, 0), 1);
	fl = oft_lookup(oft, 0, &key);
	assert_int_equal(fl->id, id);
	assert_int_equal(fl->packets, 1);
	assert_int_equal(fl->bytes, 64);
	assert_int_equal(fl->f.cookie, 0x22);
	assert_int_equal(fl->f.ins.apply.a[0].output.port, 3);
	assert_int_equal(fl->created_ms, 5000); /* duration cleared [6.4] */

	/* The very same flow again: nothing for the datapath to do. */
	assert_int_equal(oft_flow_mod(oft, &f, 6000, &changed), OF_ERR_NONE);
	assert_false(changed);

	/* RESET_COUNTS: counters cleared, and a new id so old rules' counts are dropped. */
	f.flags = OFPFF_RESET_COUNTS;
	assert_int_equal(oft_flow_mod(oft, &f, 7000, &changed), OF_ERR_NONE);
	assert_true(changed);
	fl = oft_lookup(oft, 0, &key);
	assert_int_equal(fl->packets, 0);
	assert_int_equal(fl->bytes, 0);
	assert_int_not_equal(fl->id, id);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 1);
	of_instructions_free(&f.ins);

	/* A different priority or table is another flow. */
	add_flow(oft, 0, 101, 1, 2, 0);
	add_flow(oft, 1, 100, 1, 2, 0);
	assert_int_equal(oft_n_flows(oft, 0), 2);
	assert_int_equal(oft_n_flows(oft, 1), 1);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 3);
}

/* Tunnel endpoints: tun_src is matched (the remote VTEP of the input),
 * tun_dst cannot be (the datapath's key has no room for it) and is
 * refused rather than matching everything. */
static void
test_oft_tunnel_endpoint_matches(void **state)
{
	struct oft *oft = *state;
	struct dp_flow_key key;
	struct of_flow f;

	flow_init(&f, OFPFC_ADD, 0, 100);
	f.match.present |= 1ull << OF_FIELD_TUN_DST;
	f.match.value.tun_dst = 0xc6120001u;
	f.match.mask.tun_dst = UINT32_MAX;
	f.match.order[f.match.n_fields++] = OF_FIELD_TUN_DST;
	ins_output(&f.ins, 1);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_BAD_MATCH_BAD_FIELD);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 0);
	of_instructions_free(&f.ins);

	flow_init(&f, OFPFC_ADD, 0, 100);
	f.match.present |= 1ull << OF_FIELD_TUN_SRC;
	f.match.value.tun_src = 0xc6120002u;
	f.match.mask.tun_src = UINT32_MAX;
	f.match.order[f.match.n_fields++] = OF_FIELD_TUN_SRC;
	ins_output(&f.ins, 1);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	memset(&key, 0, sizeof(key));
	key.tun_src = 0xc6120002u;
	assert_non_null(oft_lookup(oft, 0, &key));
	key.tun_src = 0xc6120003u;
	assert_null(oft_lookup(oft, 0, &key));
}

/* Tries an ADD with CHECK_OVERLAP of ipv4_dst 'dst'/'mask' at 'priority'. */
static enum of_err
add_ipv4_checked(struct oft *oft, uint8_t table, uint16_t priority, uint32_t dst, uint32_t mask)
{
	struct of_flow f;
	enum of_err err;

	flow_init(&f, OFPFC_ADD, table, priority);
	f.flags = OFPFF_CHECK_OVERLAP;
	MSET(&f.match, ETH_TYPE, eth_type, 0x0800, 0xffff);
	MSETM(&f.match, IPV4_DST, ipv4_dst, dst, mask);
	ins_output(&f.ins, 1);
	err = oft_flow_mod(oft, &f, 0, NULL);
	of_instructions_free(&f.ins);
	return err;
}

static void
test_oft_add_check_overlap(void **state)
{
	struct oft *oft = *state;
	struct of_flow f;

	assert_int_equal(add_ipv4_checked(oft, 0, 100, 0x0a000000, 0xff000000), OF_ERR_NONE);
	/* 10.1/16 lies inside 10/8: one packet can match both. */
	assert_int_equal(add_ipv4_checked(oft, 0, 100, 0x0a010000, 0xffff0000),
			 OF_ERR_FLOW_MOD_FAILED_OVERLAP);
	/* The identical flow overlaps as well (as Open vSwitch). */
	assert_int_equal(add_ipv4_checked(oft, 0, 100, 0x0a000000, 0xff000000),
			 OF_ERR_FLOW_MOD_FAILED_OVERLAP);
	/* 11/8 is disjoint; other priorities and tables do not count. */
	assert_int_equal(add_ipv4_checked(oft, 0, 100, 0x0b000000, 0xff000000), OF_ERR_NONE);
	assert_int_equal(add_ipv4_checked(oft, 0, 101, 0x0a010000, 0xffff0000), OF_ERR_NONE);
	assert_int_equal(add_ipv4_checked(oft, 1, 100, 0x0a010000, 0xffff0000), OF_ERR_NONE);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 4);

	/* A flow that does not constrain ipv4_dst overlaps whatever it is. */
	flow_init(&f, OFPFC_ADD, 0, 100);
	f.flags = OFPFF_CHECK_OVERLAP;
	MSET(&f.match, IN_PORT, in_port, 7, UINT32_MAX);
	ins_output(&f.ins, 1);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_FLOW_MOD_FAILED_OVERLAP);
	/* Without the flag the same add is accepted. */
	f.flags = 0;
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 5);
}

/* ---- MODIFY ------------------------------------------------------------------ */

static uint32_t
out_of(const struct oft *oft, uint8_t table, uint32_t in_port, uint16_t eth_type)
{
	struct dp_flow_key key = {.in_port = in_port, .eth_type = eth_type};
	const struct oft_flow *fl = oft_lookup(oft, table, &key);

	assert_non_null(fl);
	return fl->f.ins.apply.a[0].output.port;
}

static void
test_oft_modify_strict_and_non_strict(void **state)
{
	struct oft *oft = *state;
	struct of_flow f, m;
	bool changed;

	add_flow(oft, 0, 100, 1, 9, 0x110);
	flow_init(&f, OFPFC_ADD, 0, 200);
	f.cookie = 0x220;
	f.hard_timeout = 30;
	MSET(&f.match, IN_PORT, in_port, 1, UINT32_MAX);
	MSET(&f.match, ETH_TYPE, eth_type, 0x0800, 0xffff);
	ins_output(&f.ins, 9);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	add_flow(oft, 0, 100, 2, 9, 0x110);

	/* Strict: only priority 100, in_port=1. */
	flow_init(&m, OFPFC_MODIFY_STRICT, 0, 100);
	MSET(&m.match, IN_PORT, in_port, 1, UINT32_MAX);
	ins_output(&m.ins, 5);
	assert_int_equal(oft_flow_mod(oft, &m, 1000, &changed), OF_ERR_NONE);
	assert_true(changed);
	assert_int_equal(out_of(oft, 0, 1, 0), 5);
	assert_int_equal(out_of(oft, 0, 1, 0x0800), 9);
	assert_int_equal(out_of(oft, 0, 2, 0), 9);

	/* Non-strict: in_port=1 and everything more specific, any priority. */
	m.command = OFPFC_MODIFY;
	m.ins.apply.a[0].output.port = 6;
	assert_int_equal(oft_flow_mod(oft, &m, 2000, &changed), OF_ERR_NONE);
	assert_int_equal(out_of(oft, 0, 1, 0), 6);
	assert_int_equal(out_of(oft, 0, 1, 0x0800), 6);
	assert_int_equal(out_of(oft, 0, 2, 0), 9);

	/* Modify keeps cookie, timeouts and duration [6.4]. */
	{
		struct dp_flow_key key = {.in_port = 1, .eth_type = 0x0800};
		const struct oft_flow *fl = oft_lookup(oft, 0, &key);

		assert_int_equal(fl->f.cookie, 0x220);
		assert_int_equal(fl->f.hard_timeout, 30);
		assert_int_equal(fl->created_ms, 0);
		assert_int_equal(fl->used_ms, 2000);
	}

	/* cookie/cookie_mask: only cookies whose low byte is 0x20. */
	m.command = OFPFC_MODIFY;
	memset(&m.match, 0, sizeof(m.match));
	m.cookie = 0x20;
	m.cookie_mask = 0xff;
	m.ins.apply.a[0].output.port = 7;
	assert_int_equal(oft_flow_mod(oft, &m, 3000, &changed), OF_ERR_NONE);
	assert_int_equal(out_of(oft, 0, 1, 0), 6);
	assert_int_equal(out_of(oft, 0, 1, 0x0800), 7);
	assert_int_equal(out_of(oft, 0, 2, 0), 9);

	/* Selecting nothing adds nothing (1.3) and changes nothing. */
	m.cookie = 0x33;
	assert_int_equal(oft_flow_mod(oft, &m, 4000, &changed), OF_ERR_NONE);
	assert_false(changed);
	assert_int_equal(oft_n_flows(oft, 0), 3);

	/* Same instructions again: selected, but nothing changed. */
	m.cookie = 0x20;
	assert_int_equal(oft_flow_mod(oft, &m, 5000, &changed), OF_ERR_NONE);
	assert_false(changed);
	of_instructions_free(&m.ins);
}

/* ---- DELETE ------------------------------------------------------------------ */

struct removed_log {
	unsigned n;
	uint32_t ids[16];
	enum oft_removed reasons[16];
};

static void
removed_cb(const struct oft_flow *flow, enum oft_removed reason, void *arg)
{
	struct removed_log *log = arg;

	assert_true(log->n < 16);
	log->ids[log->n] = flow->id;
	log->reasons[log->n++] = reason;
}

static void
test_oft_delete_filters(void **state)
{
	struct oft *oft = *state;
	struct removed_log log = {0};
	struct of_flow d;
	uint32_t a, b, c, e;
	bool changed;

	oft_set_removed_cb(oft, removed_cb, &log);
	a = add_flow(oft, 0, 100, 1, 5, 0x1001);
	b = add_flow(oft, 0, 100, 2, 6, 0x2001);
	c = add_flow(oft, 1, 100, 1, 5, 0x1002);
	e = add_flow(oft, 2, 50, 3, 5, 0x1003);

	/* out_group other than ANY: no flow uses a group, nothing goes. */
	flow_init(&d, OFPFC_DELETE, OFPTT_ALL, 0);
	d.out_group = 1;
	assert_int_equal(oft_flow_mod(oft, &d, 0, &changed), OF_ERR_NONE);
	assert_false(changed);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 4);

	/* out_port 5 and cookie 0x1000/0xf000 in table 0: only 'a'. */
	flow_init(&d, OFPFC_DELETE, 0, 0);
	d.out_port = 5;
	d.cookie = 0x1000;
	d.cookie_mask = 0xf000;
	assert_int_equal(oft_flow_mod(oft, &d, 0, &changed), OF_ERR_NONE);
	assert_true(changed);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ids[0], a);
	assert_int_equal(log.reasons[0], OFT_REMOVED_DELETE);

	/* Strict delete needs priority and match equal: priority 99 misses 'c'. */
	flow_init(&d, OFPFC_DELETE_STRICT, 1, 99);
	MSET(&d.match, IN_PORT, in_port, 1, UINT32_MAX);
	assert_int_equal(oft_flow_mod(oft, &d, 0, &changed), OF_ERR_NONE);
	assert_false(changed);
	d.priority = 100;
	assert_int_equal(oft_flow_mod(oft, &d, 0, &changed), OF_ERR_NONE);
	assert_int_equal(log.ids[1], c);

	/* OFPTT_ALL with out_port 5: 'e' in table 2, not 'b' (port 6). */
	flow_init(&d, OFPFC_DELETE, OFPTT_ALL, 0);
	d.out_port = 5;
	assert_int_equal(oft_flow_mod(oft, &d, 0, &changed), OF_ERR_NONE);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ids[2], e);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 1);

	/* Non-strict delete of everything more specific than in_port=2. */
	flow_init(&d, OFPFC_DELETE, OFPTT_ALL, 0);
	MSET(&d.match, IN_PORT, in_port, 2, UINT32_MAX);
	assert_int_equal(oft_flow_mod(oft, &d, 0, &changed), OF_ERR_NONE);
	assert_int_equal(log.ids[3], b);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 0);
}

/* Adds eth_type=0x0800 and, when 'mask' is not 0, ipv4_dst='dst'/'mask'; returns its id. */
static uint32_t
add_ipv4(struct oft *oft, uint32_t dst, uint32_t mask)
{
	struct of_flow f;
	uint32_t id = 0;

	flow_init(&f, OFPFC_ADD, 0, 100);
	MSET(&f.match, ETH_TYPE, eth_type, 0x0800, 0xffff);
	if (mask) {
		MSETM(&f.match, IPV4_DST, ipv4_dst, dst, mask);
	}
	ins_output(&f.ins, 1);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	oft_select(oft, &f, true, get_id, &id);
	of_instructions_free(&f.ins);
	return id;
}

static void
test_oft_delete_selects_equal_or_more_specific(void **state)
{
	struct oft *oft = *state;
	struct removed_log log = {0};
	struct of_flow d;
	uint32_t b, c;

	oft_set_removed_cb(oft, removed_cb, &log);
	add_ipv4(oft, 0x0a000000, 0xff000000);     /* 10/8: less specific, stays */
	b = add_ipv4(oft, 0x0a010000, 0xffff0000); /* 10.1/16: equal, goes */
	c = add_ipv4(oft, 0x0a010203, 0xffffffff); /* 10.1.2.3: more specific, goes */
	add_ipv4(oft, 0x0b010000, 0xffff0000);     /* 11.1/16: other value, stays */
	add_ipv4(oft, 0, 0);                       /* no ipv4_dst: stays */
	add_ipv4(oft, 0x0a010000, 0xffff0f00);     /* 10.1/16 and more bits: goes */

	flow_init(&d, OFPFC_DELETE, 0, 0);
	MSETM(&d.match, IPV4_DST, ipv4_dst, 0x0a010000, 0xffff0000);
	assert_int_equal(oft_flow_mod(oft, &d, 0, NULL), OF_ERR_NONE);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ids[0], b);
	assert_int_equal(log.ids[1], c);
	assert_int_equal(oft_n_flows(oft, 0), 3);

	/* 10.0/16 agrees with 10/8 on the /8 bits, but 10/8 is not that specific. */
	c = add_ipv4(oft, 0x0a000500, 0xffffff00);
	d.match.value.ipv4_dst = 0x0a000000;
	assert_int_equal(oft_flow_mod(oft, &d, 0, NULL), OF_ERR_NONE);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.ids[3], c);
	assert_int_equal(oft_n_flows(oft, 0), 3);
}

/* ---- Errors -------------------------------------------------------------------- */

static void
expect_error(struct oft *oft, const struct of_flow *f, enum of_err want)
{
	struct dump before, after;
	bool changed = true;

	dump_all(oft, &before);
	assert_int_equal(oft_flow_mod(oft, f, 0, &changed), want);
	assert_false(changed);
	dump_all(oft, &after);
	assert_int_equal(before.n, after.n);
	assert_memory_equal(before.rows, after.rows, before.n * sizeof(before.rows[0]));
}

static void
test_oft_errors_change_nothing(void **state)
{
	struct oft *oft = *state;
	struct of_flow f;
	struct of_action a = {.type = OFPAT_SET_FIELD};

	add_flow(oft, 0, 100, 1, 5, 1);
	add_flow(oft, 0, 90, 2, 5, 2);
	add_flow(oft, 3, 100, 1, 5, 3);

	flow_init(&f, OFPFC_ADD, 0, 100);
	MSET(&f.match, IN_PORT, in_port, 1, UINT32_MAX);
	ins_output(&f.ins, 8);
	f.flags = 1 << 5;
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_BAD_FLAGS);
	f.command = OFPFC_DELETE;
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_BAD_FLAGS);
	f.flags = 0;
	f.command = 5;
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_BAD_COMMAND);
	f.command = OFPFC_ADD;
	f.table_id = OFPTT_ALL;
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID);
	f.command = OFPFC_MODIFY;
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID);
	f.command = OFPFC_MODIFY_STRICT;
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID);

	/* goto_table must go forward. */
	f.command = OFPFC_ADD;
	f.table_id = 3;
	f.ins.present |= OF_INST_BIT(OFPIT_GOTO_TABLE);
	f.ins.goto_table = 3;
	expect_error(oft, &f, OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID);
	f.ins.present &= ~OF_INST_BIT(OFPIT_GOTO_TABLE);

	/* set_field ipv4_dst without eth_type=0x0800 [7.2.5], on add and modify. */
	a.set_field.field = OFPXMT_OFB_IPV4_DST;
	a.set_field.len = 4;
	ins_append(&f.ins, false, &a);
	f.table_id = 0;
	expect_error(oft, &f, OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	f.command = OFPFC_MODIFY;
	expect_error(oft, &f, OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	of_instructions_free(&f.ins);

	/* Table full: a replace still works, a new flow does not. */
	oft_set_max_flows(oft, 3);
	flow_init(&f, OFPFC_ADD, 0, 80);
	ins_output(&f.ins, 8);
	expect_error(oft, &f, OF_ERR_FLOW_MOD_FAILED_TABLE_FULL);
	f.priority = 90;
	MSET(&f.match, IN_PORT, in_port, 2, UINT32_MAX);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 3);
}

/* ---- Selection order ----------------------------------------------------------- */

static void
test_oft_select_order(void **state)
{
	struct oft *oft = *state;
	struct dump d;
	uint32_t ids[7];
	struct of_flow filter;
	const uint8_t want_table[] = {0, 0, 0, 0, 0, 1, 7};
	const uint16_t want_prio[] = {65535, 300, 300, 300, 0, 5, 1};

	ids[0] = add_flow(oft, 7, 1, 1, 1, 0);
	ids[1] = add_flow(oft, 0, 300, 1, 1, 0);
	ids[2] = add_flow(oft, 0, 0, 0, 1, 0);
	ids[3] = add_flow(oft, 0, 300, 2, 1, 0);
	ids[4] = add_flow(oft, 0, 65535, 3, 1, 0);
	ids[5] = add_flow(oft, 1, 5, 1, 1, 0);
	ids[6] = add_flow(oft, 0, 300, 4, 1, 0);
	dump_all(oft, &d);
	assert_int_equal(d.n, 7);
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(d.rows[i].table, want_table[i]);
		assert_int_equal(d.rows[i].priority, want_prio[i]);
	}
	/* Equal priorities come in the order they were added. */
	assert_int_equal(d.rows[0].id, ids[4]);
	assert_int_equal(d.rows[1].id, ids[1]);
	assert_int_equal(d.rows[2].id, ids[3]);
	assert_int_equal(d.rows[3].id, ids[6]);
	assert_int_equal(d.rows[4].id, ids[2]);

	/* Strict select: one flow. One table: only its flows. */
	flow_init(&filter, OFPFC_DELETE, 0, 300);
	MSET(&filter.match, IN_PORT, in_port, 2, UINT32_MAX);
	d.n = 0;
	oft_select(oft, &filter, true, dump_one, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.rows[0].id, ids[3]);
	flow_init(&filter, OFPFC_DELETE, 1, 0);
	d.n = 0;
	oft_select(oft, &filter, false, dump_one, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.rows[0].id, ids[5]);
}

/* ---- Timeouts ------------------------------------------------------------------ */

static void
add_timed(struct oft *oft, uint32_t in_port, uint16_t idle, uint16_t hard, uint64_t now_ms)
{
	struct of_flow f;

	flow_init(&f, OFPFC_ADD, 0, 100);
	MSET(&f.match, IN_PORT, in_port, in_port, UINT32_MAX);
	f.idle_timeout = idle;
	f.hard_timeout = hard;
	ins_output(&f.ins, 1);
	assert_int_equal(oft_flow_mod(oft, &f, now_ms, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
}

static void
test_oft_expire_idle_and_hard(void **state)
{
	struct oft *oft = *state;
	struct removed_log log = {0};
	struct dp_cls *cls;
	struct dp_flow_key k1 = {.in_port = 1};
	uint32_t idle_id, hard_id;

	oft_set_removed_cb(oft, removed_cb, &log);
	add_timed(oft, 1, 10, 0, 0); /* idle 10 s */
	add_timed(oft, 2, 0, 5, 0);  /* hard 5 s */
	add_timed(oft, 3, 0, 0, 0);  /* permanent */
	add_timed(oft, 4, 2, 60, 0); /* idle 2 s, hard 60 s */
	idle_id = flow_by_port(oft, 1)->id;
	hard_id = flow_by_port(oft, 2)->id;
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);

	assert_int_equal(oft_expire(oft, cls, 1000, 1999), 0);
	assert_int_equal(oft_expire(oft, cls, 1000, 2000), 1); /* in_port 4, idle */
	assert_int_equal(log.reasons[0], OFT_REMOVED_IDLE);
	assert_int_equal(oft_expire(oft, cls, 1000, 4999), 0);
	assert_int_equal(oft_expire(oft, cls, 1000, 5000), 1);
	assert_int_equal(log.ids[1], hard_id);
	assert_int_equal(log.reasons[1], OFT_REMOVED_HARD);

	/* A packet at 8 s (datapath ticks, 1000 per ms) keeps the idle flow until 18 s. */
	dp_cls_count(cls, 0, (unsigned)dp_cls_lookup(cls, 0, &k1), 64, 8000 * 1000);
	assert_int_equal(oft_expire(oft, cls, 1000, 17999), 0);
	assert_int_equal(oft_expire(oft, cls, 1000, 18000), 1);
	assert_int_equal(log.ids[2], idle_id);
	assert_int_equal(log.reasons[2], OFT_REMOVED_IDLE);
	assert_int_equal(oft_n_flows(oft, 0), 1);
	assert_int_equal(oft_expire(oft, cls, 1000, UINT32_MAX), 0);
	dp_cls_free(cls);
}

/* ---- Scale --------------------------------------------------------------------------- */

static void
test_oft_add_100k_flows(void **state)
{
	struct oft *oft = *state;
	struct of_flow f, d;
	struct dp_flow_key key = {.in_port = 77, .eth_type = 0x0800, .nw_dst = 0x0a000000 + 77};
	const unsigned n = 100000;
	double t0, t1;
	struct dp_cls *cls;

	flow_init(&f, OFPFC_ADD, 0, 0);
	MSET(&f.match, IN_PORT, in_port, 0, UINT32_MAX);
	MSET(&f.match, ETH_TYPE, eth_type, 0x0800, 0xffff);
	MSET(&f.match, IPV4_DST, ipv4_dst, 0, UINT32_MAX);
	ins_output(&f.ins, 2);
	t0 = seconds();
	for (unsigned i = 0; i < n; i++) {
		f.priority = (uint16_t)(i % 1000);
		f.match.value.in_port = i;
		f.match.value.ipv4_dst = 0x0a000000 + i;
		assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	}
	t1 = seconds();
	printf("# oft: %u adds in %.3f s (%.0f flows/s)\n", n, t1 - t0, n / (t1 - t0));
	assert_int_equal(oft_n_flows(oft, 0), n);
	assert_non_null(oft_lookup(oft, 0, &key));

	t0 = seconds();
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	t1 = seconds();
	printf("# oft: compiled %u flows in %.3f s\n", n, t1 - t0);
	assert_int_equal(dp_cls_rule_flow_id(cls, (unsigned)dp_cls_lookup(cls, 0, &key)),
			 oft_lookup(oft, 0, &key)->id);
	dp_cls_free(cls);

	/* A strict delete is a hash lookup. */
	flow_init(&d, OFPFC_DELETE_STRICT, 0, 77);
	d.match = f.match;
	d.match.value.in_port = 77;
	d.match.value.ipv4_dst = 0x0a000000 + 77;
	assert_int_equal(oft_flow_mod(oft, &d, 0, NULL), OF_ERR_NONE);
	assert_int_equal(oft_n_flows(oft, 0), n - 1);
	assert_null(oft_lookup(oft, 0, &key));
	of_instructions_free(&f.ins);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_oft_add_replaces_identical_and_keeps_counters,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_add_check_overlap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_tunnel_endpoint_matches, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_modify_strict_and_non_strict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_delete_filters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_delete_selects_equal_or_more_specific, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_oft_errors_change_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_select_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_expire_idle_and_hard, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_add_100k_flows, setup, teardown),
	};

	if (eal_test_init("test_oft") < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
