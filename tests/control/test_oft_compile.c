/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_oft_compile.c - from flow tables to the datapath classifier
 * (control/oft_compile.c): the of_match to dp_flow_key mapping, compilation
 * checked op by op and against the real classifier over random flows and
 * keys (a reference model), packet-out actions, harvested and live
 * counters, and incremental sync (oft_sync) checked against the same
 * reference model after every kind of FLOW_MOD, with counters kept across
 * modifies, the -ENOSPC fallback to a compile, and a timed add+barrier
 * stream. FLOW_MOD semantics are in test_oft.c; the shared fixtures are in
 * oft_test.h. Needs a small EAL (no hugepages) for the classifier's rte_hash.
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

/* ---- Match to key ----------------------------------------------------------------- */

static void
test_oft_match_to_key_maps_fields(void **state)
{
	struct of_match m;
	struct dp_flow_key v, k;
	const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	const uint8_t mac_mask[6] = {0xff, 0xff, 0xff, 0, 0, 0};
	uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff}, v6_mask[16] = {0xff, 0xff, 0xff, 0xff};

	(void)state;
	memset(&m, 0, sizeof(m));
	MSET(&m, IN_PHY_PORT, in_phy_port, 7, UINT32_MAX);
	MSETM(&m, METADATA, metadata, 0x1234, 0xff00); /* value beyond the mask: pre-masked */
	MSETM(&m, VLAN_VID, vlan_vid, 0x1000, 0x1000);
	MSET(&m, ETH_TYPE, eth_type, 0x0800, 0xffff);
	MSET(&m, IP_PROTO, ip_proto, 1, 0xff);
	MSET(&m, ICMPV4_TYPE, icmpv4_type, 8, 0xff);
	MSET(&m, ICMPV4_CODE, icmpv4_code, 3, 0xff);
	MSETM(&m, IPV4_SRC, ipv4_src, 0x0a0102ff, 0xffffff00);
	MSET(&m, IP_DSCP, ip_dscp, 46, 0x3f);
	m.present |= FBIT(ETH_DST) | FBIT(IPV6_SRC) | FBIT(IPV6_ND_SLL);
	m.masked |= FBIT(ETH_DST) | FBIT(IPV6_SRC);
	memcpy(m.value.eth_dst, mac, 6);
	memcpy(m.mask.eth_dst, mac_mask, 6);
	memcpy(m.value.ipv6_src, v6, 16);
	memcpy(m.mask.ipv6_src, v6_mask, 16);
	memcpy(m.value.ipv6_nd_sll, mac, 6);
	memset(m.mask.ipv6_nd_sll, 0xff, 6);

	oft_match_to_key(&m, &v, &k);
	assert_int_equal(v.in_port, 7);
	assert_int_equal(k.in_port, UINT32_MAX);
	assert_int_equal(v.metadata, 0x1200);
	assert_int_equal(k.metadata, 0xff00);
	assert_int_equal(v.vlan_vid, 0x1000);
	assert_int_equal(k.vlan_vid, 0x1000);
	assert_int_equal(v.eth_type, 0x0800);
	assert_int_equal(v.ip_proto, 1);
	assert_int_equal(v.tp_src, 8);
	assert_int_equal(k.tp_src, 0x00ff);
	assert_int_equal(v.tp_dst, 3);
	assert_int_equal(v.nw_src, 0x0a010200);
	assert_int_equal(k.nw_src, 0xffffff00);
	assert_int_equal(k.nw_dst, 0);
	assert_int_equal(v.ip_dscp, 46);
	assert_memory_equal(v.eth_dst, ((const uint8_t[]){0x02, 0x11, 0x22, 0, 0, 0}), 6);
	assert_memory_equal(k.eth_dst, mac_mask, 6);
	assert_memory_equal(v.ipv6_src, ((const uint8_t[16]){0x20, 0x01, 0x0d, 0xb8}), 16);
	assert_memory_equal(k.ipv6_src, v6_mask, 16);
	assert_memory_equal(v.arp_sha, mac, 6);
	assert_memory_equal(k.arp_sha, ((const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), 6);
	/* Nothing else is matched. */
	assert_int_equal(k.ip_ecn | k.vlan_pcp | k.arp_op | k.ipv6_flabel | k.tunnel_id, 0);
	assert_int_equal(k.pad4 | k.tun_src | k.pad14 | k.pad15, 0);

	/* OFPVID_NONE exact: untagged only; ARP fields share nw_src/nw_dst. */
	memset(&m, 0, sizeof(m));
	MSET(&m, VLAN_VID, vlan_vid, 0, 0x1fff);
	MSET(&m, ARP_TPA, arp_tpa, 0xc0a80001, UINT32_MAX);
	MSET(&m, ARP_OP, arp_op, 2, 0xffff);
	MSET(&m, TUNNEL_ID, tunnel_id, 5000, UINT64_MAX);
	oft_match_to_key(&m, &v, &k);
	assert_int_equal(v.vlan_vid, 0);
	assert_int_equal(k.vlan_vid, 0x1fff);
	assert_int_equal(v.nw_dst, 0xc0a80001);
	assert_int_equal(v.arp_op, 2);
	assert_int_equal(v.tunnel_id, 5000);
}

/* ---- Compilation --------------------------------------------------------------------- */

static void
test_oft_compile_translates_instructions(void **state)
{
	struct oft *oft = *state;
	struct of_flow f;
	struct of_action a;
	struct dp_cls *cls;
	const struct dp_action *ops;
	uint16_t n_ops;
	struct dp_flow_key key = {.in_port = 4, .eth_type = 0x0800, .vlan_vid = 0x1000 | 10};
	int rule;
	uint32_t id;

	flow_init(&f, OFPFC_ADD, 2, 400);
	f.cookie = 0xc0ffee;
	MSET(&f.match, IN_PORT, in_port, 4, UINT32_MAX);
	MSET(&f.match, ETH_TYPE, eth_type, 0x0800, 0xffff);
	memset(&a, 0, sizeof(a));
	a.type = OFPAT_PUSH_VLAN;
	a.ethertype = 0x88a8;
	ins_append(&f.ins, false, &a);
	memset(&a, 0, sizeof(a));
	a.type = OFPAT_SET_FIELD;
	a.set_field.field = OFPXMT_OFB_VLAN_VID;
	a.set_field.len = 2;
	a.set_field.value[0] = 0x10; /* OFPVID_PRESENT | 5, network order */
	a.set_field.value[1] = 0x05;
	ins_append(&f.ins, false, &a);
	ins_output(&f.ins, 3);
	ins_output(&f.ins, 99); /* no such port: compiles to nothing */
	ins_output(&f.ins, OFPP_LOCAL);
	ins_output(&f.ins, OFPP_IN_PORT);
	ins_output(&f.ins, OFPP_CONTROLLER);
	f.ins.apply.a[f.ins.apply.n - 1].output.max_len = 128;
	memset(&a, 0, sizeof(a));
	a.type = OFPAT_DEC_NW_TTL;
	ins_append(&f.ins, false, &a);
	f.ins.present |= OF_INST_BIT(OFPIT_CLEAR_ACTIONS);
	memset(&a, 0, sizeof(a));
	a.type = OFPAT_SET_FIELD;
	a.set_field.field = OFPXMT_OFB_ETH_DST;
	a.set_field.len = 6;
	memcpy(a.set_field.value, "\x02\xaa\xbb\xcc\xdd\xee", 6);
	ins_append(&f.ins, true, &a);
	memset(&a, 0, sizeof(a));
	a.type = OFPAT_SET_FIELD;
	a.set_field.field = OFPXMT_OFB_IPV4_SRC;
	a.set_field.len = 4;
	memcpy(a.set_field.value, "\x0a\x00\x00\x01", 4);
	ins_append(&f.ins, true, &a);
	f.ins.present |= OF_INST_BIT(OFPIT_WRITE_METADATA) | OF_INST_BIT(OFPIT_GOTO_TABLE);
	f.ins.metadata = 0xabcd;
	f.ins.metadata_mask = 0xff00;
	f.ins.goto_table = 9;
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	id = oft_lookup(oft, 2, &key)->id;

	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	assert_int_equal(dp_cls_n_rules(cls), 1);
	rule = dp_cls_lookup(cls, 2, &key);
	assert_int_equal(rule, 0);
	assert_int_equal(dp_cls_rule_flow_id(cls, 0), id);
	assert_int_equal(dp_cls_rule(cls, 0)->priority, 400);
	assert_int_equal(dp_cls_rule(cls, 0)->table, 2);
	assert_int_equal(dp_cls_rule(cls, 0)->cookie, 0xc0ffee);
	assert_false(dp_cls_rule(cls, 0)->table_miss);
	key.in_port = 5;
	assert_int_equal(dp_cls_lookup(cls, 2, &key), -1);
	key.in_port = 4;
	key.eth_type = 0x86dd;
	assert_int_equal(dp_cls_lookup(cls, 2, &key), -1);

	ops = dp_cls_rule_ops(cls, 0, &n_ops);
	assert_int_equal(n_ops, 12);
	assert_int_equal(ops[0].op, DP_OP_PUSH_VLAN);
	assert_int_equal(ops[0].arg, 0x88a8);
	assert_int_equal(ops[1].op, DP_OP_SET_FIELD);
	assert_int_equal(ops[1].field, OFPXMT_OFB_VLAN_VID);
	assert_int_equal(ops[1].data.u64[0], 0x1005);
	assert_int_equal(ops[2].op, DP_OP_OUTPUT);
	assert_int_equal(ops[2].arg, 103);
	assert_int_equal(ops[3].op, DP_OP_OUTPUT); /* LOCAL through port_idx() */
	assert_int_equal(ops[3].arg, 0);
	assert_int_equal(ops[4].op, DP_OP_IN_PORT);
	assert_int_equal(ops[5].op, DP_OP_CONTROLLER);
	assert_int_equal(ops[5].arg, 128);
	assert_int_equal(ops[6].op, DP_OP_DEC_NW_TTL);
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(ops[i].in_set, 0);
	}
	assert_int_equal(ops[7].op, DP_OP_CLEAR_ACTIONS);
	assert_int_equal(ops[8].op, DP_OP_SET_FIELD);
	assert_int_equal(ops[8].in_set, 1);
	assert_int_equal(ops[8].field, OFPXMT_OFB_ETH_DST);
	assert_memory_equal(ops[8].data.bytes, "\x02\xaa\xbb\xcc\xdd\xee", 6);
	assert_int_equal(ops[9].op, DP_OP_SET_FIELD);
	assert_int_equal(ops[9].in_set, 1);
	assert_int_equal(ops[9].data.u64[0], 0x0a000001);
	assert_int_equal(ops[10].op, DP_OP_WRITE_METADATA);
	assert_int_equal(ops[10].data.u64[0], 0xab00);
	assert_int_equal(ops[10].data.u64[1], 0xff00);
	assert_int_equal(ops[11].op, DP_OP_GOTO_TABLE);
	assert_int_equal(ops[11].arg, 9);
	dp_cls_free(cls);

	/* A priority-0 match-all flow is a table-miss rule. */
	add_flow(oft, 0, 0, 0, 1, 0);
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	assert_int_equal(dp_cls_n_rules(cls), 2);
	assert_true(dp_cls_rule(cls, 0)->table_miss); /* table 0 compiles first */
	assert_false(dp_cls_rule(cls, 1)->table_miss);
	ops = dp_cls_rule_ops(cls, 0, &n_ops);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].op, DP_OP_OUTPUT);
	assert_int_equal(ops[0].arg, 101);
	dp_cls_free(cls);
}

static void
test_oft_compile_fail_open(void **state)
{
	struct oft *oft = *state;
	struct oft_compile_ctx ctx = cctx;
	struct dp_cls *cls;
	struct dp_flow_key key = {.in_port = 1};
	const struct dp_action *ops;
	uint16_t n_ops;

	add_flow(oft, 0, 100, 1, 2, 0);
	add_flow(oft, 1, 100, 1, 2, 0);
	ctx.fail_open = true;
	assert_int_equal(oft_compile(oft, &ctx, &cls), 0);
	assert_int_equal(dp_cls_n_rules(cls), 1);
	assert_true(dp_cls_is_normal_only(cls));
	assert_int_equal(dp_cls_lookup(cls, 0, &key), 0);
	ops = dp_cls_rule_ops(cls, 0, &n_ops);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].op, DP_OP_NORMAL);
	assert_int_equal(oft_n_flows(oft, OFPTT_ALL), 2); /* kept aside */
	dp_cls_free(cls);
}

static void
test_oft_actions_to_ops_for_packet_out(void **state)
{
	struct of_instructions ins = {0};
	struct dp_action ops[4];
	struct of_action a = {.type = OFPAT_POP_VLAN};

	(void)state;
	ins_output(&ins, OFPP_TABLE);
	ins_output(&ins, 77); /* unknown port: nothing */
	ins_append(&ins, false, &a);
	ins_output(&ins, 2);
	ins_output(&ins, OFPP_FLOOD);
	assert_int_equal(oft_actions_to_ops(&ins.apply, &cctx, ops, 4), 4);
	assert_int_equal(ops[0].op, DP_OP_TABLE);
	assert_int_equal(ops[1].op, DP_OP_POP_VLAN);
	assert_int_equal(ops[2].op, DP_OP_OUTPUT);
	assert_int_equal(ops[2].arg, 102);
	assert_int_equal(ops[3].op, DP_OP_FLOOD);
	assert_int_equal(ops[3].in_set, 0);
	assert_int_equal(oft_actions_to_ops(&ins.apply, &cctx, ops, 3), -E2BIG);
	of_instructions_free(&ins);
}

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A random flow over small domains, so that flows overlap and keys hit them. */
static void
random_flow(struct of_flow *f, uint32_t *s)
{
	const uint32_t masks[] = {0xffffffff, 0xffffff00, 0xffff0000, 0xff000000};
	uint32_t r = rnd(s);

	flow_init(f, OFPFC_ADD, rnd(s) % 2, (uint16_t)(rnd(s) % 4 * 10));
	if (r & 1) {
		MSET(&f->match, IN_PORT, in_port, 1 + rnd(s) % 3, UINT32_MAX);
	}
	if (r & 2) {
		MSET(&f->match, VLAN_VID, vlan_vid, 0x1000 | (rnd(s) % 2), 0x1fff);
	} else if (r & 4) {
		MSETM(&f->match, VLAN_VID, vlan_vid, 0x1000, 0x1000);
	}
	if (r & 8) {
		uint32_t mask = masks[rnd(s) % 4];

		MSET(&f->match, ETH_TYPE, eth_type, 0x0800, 0xffff);
		MSETM(&f->match, IPV4_DST, ipv4_dst,
		      (0x0a000000 | (rnd(s) % 4) << 16 | rnd(s) % 4) & mask, mask);
		if (r & 16) {
			MSET(&f->match, IP_PROTO, ip_proto, 6, 0xff);
			MSET(&f->match, TCP_DST, tcp_dst, 80 + rnd(s) % 2, 0xffff);
		}
	}
	if (r & 32) {
		f->match.present |= FBIT(ETH_SRC);
		f->match.value.eth_src[5] = rnd(s) % 2;
		memset(f->match.mask.eth_src, 0xff, 6);
	}
	ins_output(&f->ins, 1 + rnd(s) % 20);
}

static void
random_key(struct dp_flow_key *k, uint32_t *s)
{
	memset(k, 0, sizeof(*k));
	k->in_port = 1 + rnd(s) % 3;
	k->vlan_vid = rnd(s) % 3 == 0 ? 0 : (uint16_t)(0x1000 | rnd(s) % 3);
	k->eth_src[5] = rnd(s) % 2;
	if (rnd(s) % 4) {
		k->eth_type = 0x0800;
		k->nw_dst = 0x0a000000 | (rnd(s) % 4) << 16 | rnd(s) % 4;
		k->ip_proto = rnd(s) % 2 ? 6 : 17;
		k->tp_dst = 80 + rnd(s) % 2;
	} else {
		k->eth_type = 0x0806;
	}
}

static void
test_oft_compile_agrees_with_lookup(void **state)
{
	struct oft *oft = *state;
	struct dp_cls *cls;
	uint32_t s = 12345;
	unsigned hits = 0;

	for (unsigned i = 0; i < 200; i++) {
		struct of_flow f;

		random_flow(&f, &s);
		assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
		of_instructions_free(&f.ins);
	}
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	assert_int_equal(dp_cls_n_rules(cls), oft_n_flows(oft, OFPTT_ALL));
	for (unsigned i = 0; i < 1000; i++) {
		struct dp_flow_key key;
		uint8_t table = i % 2;
		const struct oft_flow *want;
		int rule;

		random_key(&key, &s);
		want = oft_lookup(oft, table, &key);
		rule = dp_cls_lookup(cls, table, &key);
		if (!want) {
			assert_int_equal(rule, -1);
			continue;
		}
		hits++;
		assert_true(rule >= 0);
		assert_int_equal(dp_cls_rule_flow_id(cls, (unsigned)rule), want->id);
	}
	assert_true(hits > 500);
	dp_cls_free(cls);
}

/* ---- Counters ------------------------------------------------------------------ */

static void
test_oft_harvest_and_live_counters(void **state)
{
	struct oft *oft = *state;
	struct dp_cls *c1, *c2;
	struct dp_flow_key k1 = {.in_port = 1}, k2 = {.in_port = 2};
	uint64_t p, b, used;

	add_flow(oft, 0, 100, 1, 2, 0);
	add_flow(oft, 0, 100, 2, 2, 0);
	assert_int_equal(oft_compile(oft, &cctx, &c1), 0);
	dp_cls_count(c1, 0, (unsigned)dp_cls_lookup(c1, 0, &k1), 100, 3000 * 1000);
	dp_cls_count(c1, 0, (unsigned)dp_cls_lookup(c1, 0, &k1), 200, 4000 * 1000);
	dp_cls_count(c1, 0, (unsigned)dp_cls_lookup(c1, 0, &k2), 60, 4500 * 1000);

	oft_flow_counters(oft, flow_by_port(oft, 1), c1, 1000, &p, &b, &used);
	assert_int_equal(p, 2);
	assert_int_equal(b, 300);
	assert_int_equal(used, 4000);
	oft_flow_counters(oft, flow_by_port(oft, 1), NULL, 1000, &p, &b, &used);
	assert_int_equal(p, 0);

	/* A modify keeps counters; flow 2 has its counters reset. */
	{
		struct of_flow m;

		flow_init(&m, OFPFC_MODIFY_STRICT, 0, 100);
		MSET(&m.match, IN_PORT, in_port, 2, UINT32_MAX);
		m.flags = OFPFF_RESET_COUNTS;
		ins_output(&m.ins, 3);
		assert_int_equal(oft_flow_mod(oft, &m, 0, NULL), OF_ERR_NONE);
		of_instructions_free(&m.ins);
	}
	oft_flow_counters(oft, flow_by_port(oft, 2), c1, 1000, &p, &b, &used);
	assert_int_equal(p, 0);

	/* Publish c2, harvest c1: flow 1 keeps its 2, the reset flow gets nothing. */
	assert_int_equal(oft_compile(oft, &cctx, &c2), 0);
	oft_flow_counters(oft, flow_by_port(oft, 1), c1, 1000, &p, &b, &used);
	assert_int_equal(p, 2); /* the previous classifier is still known until harvested */
	oft_harvest(oft, c1, 1000);
	dp_cls_free(c1);
	assert_int_equal(flow_by_port(oft, 1)->packets, 2);
	assert_int_equal(flow_by_port(oft, 1)->used_ms, 4000);
	assert_int_equal(flow_by_port(oft, 2)->packets, 0);
	dp_cls_count(c2, 0, (unsigned)dp_cls_lookup(c2, 0, &k1), 50, 9000 * 1000);
	oft_flow_counters(oft, flow_by_port(oft, 1), c2, 1000, &p, &b, &used);
	assert_int_equal(p, 3);
	assert_int_equal(b, 350);
	assert_int_equal(used, 9000);
	dp_cls_free(c2);
}

/* ---- Incremental sync ---------------------------------------------------------------- */

/*
 * The unit tests have no struct dp: a classifier that was never published
 * is committed without one (no PMD can be reading it).
 */
static void
commit(struct oft *oft, struct dp_cls *cls)
{
	assert_int_equal(dp_cls_commit(NULL, cls, oft_removed_rule, oft), 0);
}

static void
sync_and_commit(struct oft *oft, struct dp_cls *cls)
{
	assert_int_equal(oft_sync(oft, &cctx, cls), 0);
	commit(oft, cls);
}

static unsigned
n_live_rules(const struct dp_cls *cls)
{
	unsigned n = 0;

	for (unsigned r = 0; r < dp_cls_n_rules(cls); r++) {
		n += dp_cls_rule_live(cls, r);
	}
	return n;
}

/*
 * The reference model: 'n_keys' random keys find in 'cls' the rule of the
 * flow oft_lookup() finds, with that flow's current output, and 'cls'
 * holds exactly one live rule per flow.
 */
static void
check_agrees(const struct oft *oft, const struct dp_cls *cls, uint32_t *s, unsigned n_keys)
{
	unsigned hits = 0;

	assert_int_equal(n_live_rules(cls), oft_n_flows(oft, OFPTT_ALL));
	for (unsigned i = 0; i < n_keys; i++) {
		struct dp_flow_key key;
		uint8_t table = i % 2;
		const struct oft_flow *want;
		const struct dp_action *ops;
		uint16_t n_ops;
		int rule;

		random_key(&key, s);
		want = oft_lookup(oft, table, &key);
		rule = dp_cls_lookup(cls, table, &key);
		if (!want) {
			assert_int_equal(rule, -1);
			continue;
		}
		hits++;
		assert_true(rule >= 0);
		assert_int_equal(dp_cls_rule_flow_id(cls, (unsigned)rule), want->id);
		ops = dp_cls_rule_ops(cls, (unsigned)rule, &n_ops);
		assert_int_equal(n_ops, 1);
		assert_int_equal(ops[0].op, DP_OP_OUTPUT);
		assert_int_equal(ops[0].arg, want->f.ins.apply.a[0].output.port + 100);
	}
	assert_true(n_keys < 10 || hits > 0);
}

/* A flow_mod 'command' on 'tmpl' (table, priority, match) with output:'out' and 'flags'. */
static void
mod_like(struct oft *oft, const struct of_flow *tmpl, uint8_t command, uint32_t out, uint16_t flags,
	 uint64_t now_ms)
{
	struct of_flow f;

	flow_init(&f, command, tmpl->table_id, tmpl->priority);
	f.match = tmpl->match;
	f.flags = flags;
	f.hard_timeout = tmpl->hard_timeout;
	if (command <= OFPFC_MODIFY_STRICT) {
		ins_output(&f.ins, out);
	}
	assert_int_equal(oft_flow_mod(oft, &f, now_ms, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
}

/* State of the random FLOW_MOD script. */
struct script {
	struct oft *oft;
	uint32_t s;               /* random state */
	uint16_t next_prio;       /* priorities are unique: no ties between overlapping flows */
	uint64_t now_ms;          /* virtual clock */
	unsigned n_tmpl;          /* flows added so far */
	struct of_flow tmpl[512]; /* their table, priority and match (no instructions) */
};

static void
script_add(struct script *sc, uint16_t hard_timeout)
{
	struct of_flow f;

	random_flow(&f, &sc->s);
	f.priority = sc->next_prio++;
	f.hard_timeout = hard_timeout;
	assert_int_equal(oft_flow_mod(sc->oft, &f, sc->now_ms, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	if (sc->n_tmpl < 512) {
		sc->tmpl[sc->n_tmpl++] = f;
	}
}

/* One random change: add, modify (strict or not), delete, replace, reset, expire. */
static void
script_step(struct script *sc, unsigned step, const struct dp_cls *cls)
{
	const struct of_flow *t = &sc->tmpl[rnd(&sc->s) % sc->n_tmpl];
	uint32_t out = 1 + rnd(&sc->s) % 20;
	struct of_flow filter;

	switch (step % 9) {
	case 0:
	case 1:
		script_add(sc, 0);
		break;
	case 2:
		mod_like(sc->oft, t, OFPFC_MODIFY_STRICT, out, 0, sc->now_ms);
		break;
	case 3:
		random_flow(&filter, &sc->s);
		of_instructions_free(&filter.ins);
		mod_like(sc->oft, &filter, OFPFC_MODIFY, out, 0, sc->now_ms);
		break;
	case 4:
		mod_like(sc->oft, t, OFPFC_DELETE_STRICT, 0, 0, sc->now_ms);
		break;
	case 5:
		random_flow(&filter, &sc->s);
		of_instructions_free(&filter.ins);
		filter.priority = 0;
		mod_like(sc->oft, &filter, step % 2 ? OFPFC_DELETE : OFPFC_MODIFY, out,
			 OFPFF_RESET_COUNTS, sc->now_ms);
		break;
	case 6:
		mod_like(sc->oft, t, OFPFC_ADD, out, step % 2 ? OFPFF_RESET_COUNTS : 0, sc->now_ms);
		break;
	case 7:
		mod_like(sc->oft, t, OFPFC_MODIFY_STRICT, out, OFPFF_RESET_COUNTS, sc->now_ms);
		break;
	default:
		script_add(sc, 1); /* expires a second later, two steps on */
		script_add(sc, 1);
		break;
	}
	sc->now_ms += 600;
	oft_expire(sc->oft, cls, 1000, sc->now_ms);
}

static void
test_oft_sync_agrees_with_lookup(void **state)
{
	static struct script sc;
	struct dp_cls *cls;

	memset(&sc, 0, sizeof(sc));
	sc.oft = *state;
	sc.s = 4242;
	sc.next_prio = 100;
	for (unsigned i = 0; i < 60; i++) {
		script_add(&sc, 0);
	}
	assert_int_equal(oft_compile(sc.oft, &cctx, &cls), 0);
	check_agrees(sc.oft, cls, &sc.s, 1000);
	for (unsigned step = 0; step < 90; step++) {
		script_step(&sc, step, cls);
		sync_and_commit(sc.oft, cls);
		check_agrees(sc.oft, cls, &sc.s, 1000);
		/* Nothing pending after a sync: a second one changes nothing. */
		sync_and_commit(sc.oft, cls);
		assert_int_equal(n_live_rules(cls), oft_n_flows(sc.oft, OFPTT_ALL));
	}
	assert_true(oft_n_flows(sc.oft, OFPTT_ALL) > 20);
	dp_cls_free(cls);
}

/* Counts 'n' packets of 'bytes' on the rule 'key' hits in table 0, at 'now' ticks. */
static void
hit(const struct dp_cls *cls, uint32_t in_port, unsigned n, uint32_t bytes, uint64_t now)
{
	struct dp_flow_key key = {.in_port = in_port};
	int rule = dp_cls_lookup(cls, 0, &key);

	assert_true(rule >= 0);
	for (unsigned i = 0; i < n; i++) {
		dp_cls_count(cls, 0, (unsigned)rule, bytes, now);
	}
}

static void
counters_of(const struct oft *oft, const struct dp_cls *cls, uint32_t in_port, uint64_t *p,
	    uint64_t *b, uint64_t *used)
{
	oft_flow_counters(oft, flow_by_port(oft, in_port), cls, 1000, p, b, used);
}

static void
test_oft_sync_keeps_counters_across_modify(void **state)
{
	struct oft *oft = *state;
	struct dp_cls *cls, *c2;
	struct of_flow t;
	uint64_t p, b, used;

	oft_set_ticks_per_ms(oft, 1000);
	add_flow(oft, 0, 100, 1, 2, 0);
	add_flow(oft, 0, 100, 2, 2, 0);
	add_flow(oft, 0, 100, 3, 2, 0);
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	hit(cls, 1, 2, 100, 7000 * 1000);
	hit(cls, 2, 3, 10, 1000);
	hit(cls, 3, 5, 10, 1000);

	/* MODIFY_STRICT of in_port=1: the new rule outputs to 5, the old counts stay. */
	flow_init(&t, OFPFC_ADD, 0, 100);
	MSET(&t.match, IN_PORT, in_port, 1, UINT32_MAX);
	mod_like(oft, &t, OFPFC_MODIFY_STRICT, 5, 0, 0);
	sync_and_commit(oft, cls);
	counters_of(oft, cls, 1, &p, &b, &used);
	assert_int_equal(p, 2);
	assert_int_equal(b, 200);
	assert_int_equal(used, 7000);
	assert_int_equal(flow_by_port(oft, 1)->packets, 2); /* credited by oft_removed_rule() */
	hit(cls, 1, 1, 50, 8000 * 1000);                    /* on the new rule */
	counters_of(oft, cls, 1, &p, &b, &used);
	assert_int_equal(p, 3);
	assert_int_equal(b, 250);
	assert_int_equal(used, 8000);

	/* A replacing ADD keeps them too; with RESET_COUNTS they are gone. */
	t.match.value.in_port = 2;
	mod_like(oft, &t, OFPFC_ADD, 6, 0, 0);
	t.match.value.in_port = 3;
	mod_like(oft, &t, OFPFC_ADD, 6, OFPFF_RESET_COUNTS, 0);
	sync_and_commit(oft, cls);
	counters_of(oft, cls, 2, &p, &b, &used);
	assert_int_equal(p, 3);
	assert_int_equal(b, 30);
	counters_of(oft, cls, 3, &p, &b, &used);
	assert_int_equal(p, 0);
	assert_int_equal(flow_by_port(oft, 3)->packets, 0);

	/* MODIFY with RESET_COUNTS; a delete credits nobody. */
	t.match.value.in_port = 1;
	mod_like(oft, &t, OFPFC_MODIFY_STRICT, 7, OFPFF_RESET_COUNTS, 0);
	t.match.value.in_port = 2;
	mod_like(oft, &t, OFPFC_DELETE_STRICT, 0, 0, 0);
	sync_and_commit(oft, cls);
	counters_of(oft, cls, 1, &p, &b, &used);
	assert_int_equal(p, 0);
	assert_null(flow_by_port(oft, 2));
	counters_of(oft, cls, 3, &p, &b, &used);
	assert_int_equal(p, 0);

	/* A compile after syncs harvests each live rule once: no double counts. */
	hit(cls, 1, 4, 1, 1000);
	hit(cls, 3, 2, 1, 1000);
	assert_int_equal(oft_compile(oft, &cctx, &c2), 0);
	oft_harvest(oft, cls, 1000);
	dp_cls_free(cls);
	assert_int_equal(flow_by_port(oft, 1)->packets, 4);
	assert_int_equal(flow_by_port(oft, 3)->packets, 2);
	counters_of(oft, c2, 1, &p, &b, &used);
	assert_int_equal(p, 4);
	dp_cls_free(c2);
}

static void
test_oft_sync_needs_the_compiled_cls(void **state)
{
	struct oft *oft = *state;
	struct oft_compile_ctx open = cctx;
	struct dp_cls *c1, *c2, *c3;
	struct dp_flow_key k = {.in_port = 1};

	open.fail_open = true;
	add_flow(oft, 0, 100, 1, 2, 0);
	assert_int_equal(oft_compile(oft, &cctx, &c1), 0);
	assert_int_equal(oft_compile(oft, &cctx, &c2), 0);
	add_flow(oft, 0, 100, 2, 2, 0);
	assert_int_equal(oft_sync(oft, &cctx, NULL), -EINVAL);
	assert_int_equal(oft_sync(oft, &cctx, c1), -EINVAL); /* not the last one */
	sync_and_commit(oft, c2);
	assert_int_equal(n_live_rules(c2), 2);
	assert_int_equal(n_live_rules(c1), 1);

	/* Fail-open: one NORMAL rule, never synced. */
	assert_int_equal(oft_compile(oft, &open, &c3), 0);
	add_flow(oft, 0, 100, 3, 2, 0);
	assert_int_equal(oft_sync(oft, &cctx, c3), -EINVAL);
	assert_int_equal(oft_sync(oft, &cctx, c2), -EINVAL);
	assert_int_equal(n_live_rules(c3), 1);
	assert_int_equal(dp_cls_rule_flow_id(c3, (unsigned)dp_cls_lookup(c3, 0, &k)), 0);
	dp_cls_free(c1);
	dp_cls_free(c2);
	dp_cls_free(c3);
}

static void
test_oft_sync_enospc_then_compile(void **state)
{
	struct oft *oft = *state;
	struct dp_cls *cls, *c2;
	struct of_flow t;
	uint32_t s = 99;
	uint64_t p, b, used;

	add_flow(oft, 0, 100, 1, 2, 0);
	assert_int_equal(oft_compile(oft, &cctx, &cls), 0); /* room for 2 * 1 + 1024 */
	hit(cls, 1, 2, 100, 1000);
	for (unsigned i = 0; i < 1100; i++) {
		add_flow(oft, 1, (uint16_t)(1000 + i), 1, 2, 0);
	}
	/* Modified last, synced first: its old rule is removed before the failure. */
	flow_init(&t, OFPFC_ADD, 0, 100);
	MSET(&t.match, IN_PORT, in_port, 1, UINT32_MAX);
	mod_like(oft, &t, OFPFC_MODIFY_STRICT, 9, 0, 0);
	assert_int_equal(oft_sync(oft, &cctx, cls), -ENOSPC);
	assert_int_equal(flow_by_port(oft, 1)->packets, 2);   /* credited at the failure */
	assert_int_equal(oft_sync(oft, &cctx, cls), -EINVAL); /* only a compile now */

	/* What the agent does: compile everything, publish, harvest the old one. */
	assert_int_equal(oft_compile(oft, &cctx, &c2), 0);
	oft_harvest(oft, cls, 1000);
	dp_cls_free(cls);
	check_agrees(oft, c2, &s, 1000);
	counters_of(oft, c2, 1, &p, &b, &used);
	assert_int_equal(p, 2); /* once, not twice */
	assert_int_equal(b, 200);

	/* And syncs work again on the new one. */
	mod_like(oft, &t, OFPFC_DELETE_STRICT, 0, 0, 0);
	sync_and_commit(oft, c2);
	assert_int_equal(n_live_rules(c2), 1100);
	assert_null(flow_by_port(oft, 1));
	dp_cls_free(c2);
}

/* ovs-ofctl add-flows: a FLOW_MOD and a BARRIER per flow, as the agent handles them. */
static void
test_oft_sync_100k_adds(void **state)
{
	struct oft *oft = *state;
	struct of_flow f;
	struct dp_cls *cls, *old;
	struct dp_flow_key key = {
	    .in_port = 77777, .eth_type = 0x0800, .nw_dst = 0x0a000000 + 77777};
	const unsigned n = 100000;
	unsigned compiles = 1;
	double t0, t1;

	assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
	flow_init(&f, OFPFC_ADD, 0, 0);
	MSET(&f.match, IN_PORT, in_port, 0, UINT32_MAX);
	MSET(&f.match, ETH_TYPE, eth_type, 0x0800, 0xffff);
	MSET(&f.match, IPV4_DST, ipv4_dst, 0, UINT32_MAX);
	ins_output(&f.ins, 2);
	t0 = seconds();
	for (unsigned i = 0; i < n; i++) {
		int ret;

		f.priority = (uint16_t)(i % 1000);
		f.match.value.in_port = i;
		f.match.value.ipv4_dst = 0x0a000000 + i;
		assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
		ret = oft_sync(oft, &cctx, cls);
		if (ret == 0) {
			commit(oft, cls);
			continue;
		}
		assert_int_equal(ret, -ENOSPC);
		old = cls;
		assert_int_equal(oft_compile(oft, &cctx, &cls), 0);
		oft_harvest(oft, old, 1000);
		dp_cls_free(old);
		compiles++;
	}
	t1 = seconds();
	printf("# oft: %u adds each synced in %.3f s (%.0f flows/s, %u compiles)\n", n, t1 - t0,
	       n / (t1 - t0), compiles);
	assert_true(compiles <= 10); /* the room doubles: O(log n) compiles */
	assert_int_equal(n_live_rules(cls), n);
	assert_int_equal(dp_cls_rule_flow_id(cls, (unsigned)dp_cls_lookup(cls, 0, &key)),
			 oft_lookup(oft, 0, &key)->id);
	of_instructions_free(&f.ins);
	dp_cls_free(cls);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_oft_match_to_key_maps_fields),
	    cmocka_unit_test_setup_teardown(test_oft_compile_translates_instructions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_oft_compile_fail_open, setup, teardown),
	    cmocka_unit_test(test_oft_actions_to_ops_for_packet_out),
	    cmocka_unit_test_setup_teardown(test_oft_compile_agrees_with_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_harvest_and_live_counters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_sync_agrees_with_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_sync_keeps_counters_across_modify, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_oft_sync_needs_the_compiled_cls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_sync_enospc_then_compile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oft_sync_100k_adds, setup, teardown),
	};

	if (eal_test_init("test_oft_compile") < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
