/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_of_action.c - actions, instructions, FLOW_MOD and flow stats codec
 * against byte vectors written from the OpenFlow 1.3.5 struct layouts
 * (7.2.4, 7.2.5, 7.3.4.1, 7.3.5.2) and captured from ovs-ofctl 3.1 (Open
 * vSwitch's tun_src/tun_dst in class 0x0001): round trips to the same bytes, each
 * broken length, pad, type or set_field OXM answered with the spec's code,
 * the consistency checks against the match, and every truncation of a
 * FLOW_MOD refused without a crash (decoded from exact-size heap copies so
 * that ASan sees any over-read).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocols/openflow/of_action.h"
#include "protocols/openflow/of_wire.h"

/* One of every supported action, as the spec lays them out [7.2.5]. */
static const uint8_t all_actions[] = {
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, /* OUTPUT port 2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... max_len 0, pad 6 */
    0x00, 0x00, 0x00, 0x10, 0xff, 0xff, 0xff, 0xfd, /* OUTPUT CONTROLLER */
    0xff, 0xe5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... max_len OFPCML_MAX */
    0x00, 0x15, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07, /* SET_QUEUE 7 */
    0x00, 0x17, 0x00, 0x08, 0x40, 0x00, 0x00, 0x00, /* SET_NW_TTL 64 */
    0x00, 0x18, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, /* DEC_NW_TTL */
    0x00, 0x11, 0x00, 0x08, 0x81, 0x00, 0x00, 0x00, /* PUSH_VLAN 0x8100 */
    0x00, 0x11, 0x00, 0x08, 0x88, 0xa8, 0x00, 0x00, /* PUSH_VLAN 0x88a8 */
    0x00, 0x12, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, /* POP_VLAN */
    0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x06, 0x06, /* SET_FIELD eth_dst */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x00, /* ... value, pad 2 */
    0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x0c, 0x02, /* SET_FIELD vlan_vid */
    0x10, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... 0x100a, pad 6 */
    0x00, 0x19, 0x00, 0x18, 0x80, 0x00, 0x34, 0x10, /* SET_FIELD ipv6_src */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* ... 2001:db8::1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* ... no pad */
    0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x4c, 0x08, /* SET_FIELD tunnel_id */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x13, 0x88, /* ... 5000 */
    0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x10, 0x01, /* SET_FIELD ip_dscp */
    0x2e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... 46, pad 7 */
    0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x38, 0x04, /* SET_FIELD ipv6_flabel */
    0x00, 0x0f, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* ... 0xfffff, pad 4 */
};

/*
 * What ovs-ofctl -O OpenFlow13 sends for add-flow "table=0,priority=100,ip,
 * nw_dst=10.0.0.0/24,actions=push_vlan:0x8100,set_field:4106->vlan_vid,
 * output:2" [7.3.4.1].
 */
static const uint8_t flow_mod[] = {
    0x04, 0x0e, 0x00, 0x78, 0x00, 0x00, 0x00, 0x2a, /* version 4, FLOW_MOD, 120, xid 42 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie_mask */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, /* table 0, ADD, idle, hard, prio 100 */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* buffer_id, out_port */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* out_group, flags, pad */
    0x00, 0x01, 0x00, 0x16, 0x80, 0x00, 0x0a, 0x02, /* match OXM 22; eth_type */
    0x08, 0x00, 0x80, 0x00, 0x19, 0x08, 0x0a, 0x00, /* 0x0800; ipv4_dst masked */
    0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, /* 10.0.0.0/255.255.255.0, pad 2 */
    0x00, 0x04, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, /* APPLY_ACTIONS, 48 */
    0x00, 0x11, 0x00, 0x08, 0x81, 0x00, 0x00, 0x00, /* push_vlan 0x8100 */
    0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x0c, 0x02, /* set_field vlan_vid */
    0x10, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... 4106 */
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, /* output 2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... max_len 0 */
};

/*
 * What ovs-ofctl 3.1 -O OpenFlow13 add-flow sent to a listener for
 * "tun_dst=198.51.100.7,actions=set_field:198.51.100.1->tun_src,
 * set_field:203.0.113.5->tun_dst,output:3": Open vSwitch's tunnel fields
 * as OXM TLVs of class 0x0001 (NXM_NX_TUN_IPV4_SRC 31, _DST 32), in the
 * match and in OFPAT_SET_FIELD.
 */
static const uint8_t flow_mod_ovs_tun[] = {
    0x04, 0x0e, 0x00, 0x78, 0x00, 0x00, 0x00, 0x06, /* version 4, FLOW_MOD, 120, xid 6 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie_mask */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, /* table 0, ADD, idle, hard, 0x8000 */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* buffer_id, out_port */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* out_group, flags, pad */
    0x00, 0x01, 0x00, 0x0c, 0x00, 0x01, 0x40, 0x04, /* match OXM 12; tun_dst */
    0xc6, 0x33, 0x64, 0x07, 0x00, 0x00, 0x00, 0x00, /* 198.51.100.7, pad 4 */
    0x00, 0x04, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, /* APPLY_ACTIONS, 56 */
    0x00, 0x19, 0x00, 0x10, 0x00, 0x01, 0x3e, 0x04, /* set_field tun_src */
    0xc6, 0x33, 0x64, 0x01, 0x00, 0x00, 0x00, 0x00, /* ... 198.51.100.1, pad 4 */
    0x00, 0x19, 0x00, 0x10, 0x00, 0x01, 0x40, 0x04, /* set_field tun_dst */
    0xcb, 0x00, 0x71, 0x05, 0x00, 0x00, 0x00, 0x00, /* ... 203.0.113.5, pad 4 */
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, /* output 3 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... max_len 0 */
};

/* The same for "tun_src=192.0.2.0/24,tun_dst=198.51.100.7,actions=set_field:192.0.2.9->tun_src". */
static const uint8_t flow_mod_ovs_tun_masked[] = {
    0x04, 0x0e, 0x00, 0x60, 0x00, 0x00, 0x00, 0x06, /* version 4, FLOW_MOD, 96, xid 6 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie_mask */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, /* table 0, ADD, idle, hard, 0x8000 */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* buffer_id, out_port */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* out_group, flags, pad */
    0x00, 0x01, 0x00, 0x18, 0x00, 0x01, 0x3f, 0x08, /* match OXM 24; tun_src masked */
    0xc0, 0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0x00, /* 192.0.2.0/255.255.255.0 */
    0x00, 0x01, 0x40, 0x04, 0xc6, 0x33, 0x64, 0x07, /* tun_dst=198.51.100.7, no pad */
    0x00, 0x04, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, /* APPLY_ACTIONS, 24 */
    0x00, 0x19, 0x00, 0x10, 0x00, 0x01, 0x3e, 0x04, /* set_field tun_src */
    0xc0, 0x00, 0x02, 0x09, 0x00, 0x00, 0x00, 0x00, /* ... 192.0.2.9, pad 4 */
};

/* Where the instructions of 'flow_mod' start (after its padded match). */
#define FLOW_MOD_INS_OFF 72

/* All five instruction types, in an order that is not the execution order [7.2.4]. */
static const uint8_t instructions[] = {
    0x00, 0x03, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, /* WRITE_ACTIONS, 24 */
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, /* output 3 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... */
    0x00, 0x01, 0x00, 0x08, 0x05, 0x00, 0x00, 0x00, /* GOTO_TABLE 5 */
    0x00, 0x02, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, /* WRITE_METADATA */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, /* ... metadata 42 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* ... mask 0xff */
    0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, /* CLEAR_ACTIONS */
    0x00, 0x04, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, /* APPLY_ACTIONS, 16 */
    0x00, 0x18, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, /* dec_nw_ttl */
};

/* One struct ofp_flow_stats entry [7.3.5.2]: in_port=1 -> goto_table:2. */
static const uint8_t flow_stats[] = {
    0x00, 0x48, 0x01, 0x00, 0x00, 0x00, 0x00, 0x0a, /* length 72, table 1, pad, 10 s */
    0x00, 0x00, 0x01, 0xf4, 0x00, 0x64, 0x00, 0x1e, /* 500 ns, priority 100, idle 30 */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* hard 0, SEND_FLOW_REM, pad 4 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34, /* cookie */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, /* packet_count */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xa4, /* byte_count 420 */
    0x00, 0x01, 0x00, 0x0c, 0x80, 0x00, 0x00, 0x04, /* match OXM 12; in_port */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* ... 1, pad 4 */
    0x00, 0x01, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, /* GOTO_TABLE 2 */
};

/* A struct ofp_flow_stats_request body [7.3.5.2]: table 3, out_port 2, eth_type=ARP. */
static const uint8_t flow_stats_req[] = {
    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* table 3, pad 3, out_port 2 */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* out_group ANY, pad 4 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, /* cookie 0x10 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, /* cookie_mask 0xf0 */
    0x00, 0x01, 0x00, 0x0a, 0x80, 0x00, 0x0a, 0x02, /* match OXM 10; eth_type */
    0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0x0806, pad 6 */
};

/* A heap copy of exactly 'n' bytes, so that ASan sees any read past them. */
static uint8_t *
dup_bytes(const uint8_t *p, size_t n)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);

	assert_non_null(copy);
	if (n > 0) {
		memcpy(copy, p, n);
	}
	return copy;
}

static enum of_err
decode_actions(const uint8_t *bytes, size_t n)
{
	uint8_t *copy = dup_bytes(bytes, n);
	struct of_action_list list;
	enum of_err err = of_actions_decode(copy, n, &list);

	if (err != OF_ERR_NONE) {
		assert_int_equal(list.n, 0);
		assert_null(list.a);
	}
	of_actions_free(&list);
	free(copy);
	return err;
}

/* Decode the action list given as byte arguments. */
#define DECODE_ACTS(...) \
	decode_actions((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static enum of_err
decode_ins(const uint8_t *bytes, size_t n, uint8_t table_id)
{
	uint8_t *copy = dup_bytes(bytes, n);
	struct of_instructions ins;
	enum of_err err = of_instructions_decode(copy, n, table_id, &ins);

	if (err != OF_ERR_NONE) {
		assert_int_equal(ins.present, 0);
		assert_null(ins.apply.a);
		assert_null(ins.write.a);
	}
	of_instructions_free(&ins);
	free(copy);
	return err;
}

/* Decode the instructions given as byte arguments, for a flow in 'table'. */
#define DECODE_INS(table, ...) \
	decode_ins((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), table)

static enum of_err
decode_flow_mod(const uint8_t *bytes, size_t n)
{
	uint8_t *copy = dup_bytes(bytes, n);
	struct of_flow flow;
	enum of_err err = of_flow_mod_decode(copy, n, &flow);

	if (err == OF_ERR_NONE) {
		of_instructions_free(&flow.ins);
	}
	free(copy);
	return err;
}

static void
test_of_action_every_type_round_trips(void **state)
{
	struct of_action_list list;
	uint8_t out[sizeof(all_actions)];
	const struct of_action *a;

	(void)state;
	assert_int_equal(of_actions_decode(all_actions, sizeof(all_actions), &list), OF_ERR_NONE);
	assert_int_equal(list.n, 14);
	a = list.a;
	assert_int_equal(a[0].type, OFPAT_OUTPUT);
	assert_int_equal(a[0].output.port, 2);
	assert_int_equal(a[0].output.max_len, 0);
	assert_int_equal(a[1].output.port, OFPP_CONTROLLER);
	assert_int_equal(a[1].output.max_len, OFPCML_MAX);
	assert_int_equal(a[2].type, OFPAT_SET_QUEUE);
	assert_int_equal(a[2].queue_id, 7);
	assert_int_equal(a[3].nw_ttl, 64);
	assert_int_equal(a[4].type, OFPAT_DEC_NW_TTL);
	assert_int_equal(a[5].ethertype, 0x8100);
	assert_int_equal(a[6].ethertype, 0x88a8);
	assert_int_equal(a[7].type, OFPAT_POP_VLAN);
	assert_int_equal(a[8].set_field.field, OFPXMT_OFB_ETH_DST);
	assert_int_equal(a[8].set_field.len, 6);
	assert_memory_equal(a[8].set_field.value,
			    ((const uint8_t[]){0x52, 0x54, 0, 0x12, 0x34, 0x56}), 6);
	assert_int_equal(a[9].set_field.field, OFPXMT_OFB_VLAN_VID);
	assert_int_equal(a[9].set_field.value[0], 0x10);
	assert_int_equal(a[9].set_field.value[1], 0x0a);
	assert_int_equal(a[10].set_field.len, 16);
	assert_int_equal(a[10].set_field.value[15], 1);
	assert_int_equal(a[11].set_field.field, OFPXMT_OFB_TUNNEL_ID);
	assert_int_equal(a[12].set_field.value[0], 46);
	assert_int_equal(a[13].set_field.field, OFPXMT_OFB_IPV6_FLABEL);

	assert_int_equal(of_actions_encoded_size(&list), sizeof(all_actions));
	assert_int_equal(of_actions_encode(&list, out, sizeof(out)), (int)sizeof(all_actions));
	assert_memory_equal(out, all_actions, sizeof(all_actions));
	assert_int_equal(of_actions_encode(&list, out, sizeof(out) - 1), -ENOSPC);
	of_actions_free(&list);
	assert_int_equal(list.n, 0);
	assert_null(list.a);
	of_actions_free(NULL);

	/* The empty list is valid and allocates nothing. */
	assert_int_equal(of_actions_decode(all_actions, 0, &list), OF_ERR_NONE);
	assert_int_equal(list.n, 0);
	assert_null(list.a);
}

static void
test_of_action_bad_lengths(void **state)
{
	(void)state;
	/* len 0, 4, 12 (not a multiple of 8), and beyond the list. */
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 0, 0, 0, 0, 0), OF_ERR_BAD_ACTION_BAD_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 4, 0, 0, 0, 0), OF_ERR_BAD_ACTION_BAD_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 16, 0, 0, 0, 0), OF_ERR_BAD_ACTION_BAD_LEN);
	/* A list that stops inside an action header. */
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 8, 0, 0, 0, 0, 0, 0x18, 0, 8),
			 OF_ERR_BAD_ACTION_BAD_LEN);
	/* Sizes that disagree with the type's struct: output 8 and 24, set_queue 16. */
	assert_int_equal(DECODE_ACTS(0, 0, 0, 8, 0, 0, 0, 2), OF_ERR_BAD_ACTION_BAD_LEN);
	assert_int_equal(
	    DECODE_ACTS(0, 0, 0, 24, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x15, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x16, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_LEN);
	/* Every truncation of the full list: only whole actions decode. */
	for (size_t n = 1, next = 0; n < sizeof(all_actions); n++) {
		enum of_err err = decode_actions(all_actions, n);

		if (n > next) {
			next += of_get_be16(all_actions + next + 2);
		}
		assert_int_equal(err, n == next ? OF_ERR_NONE : OF_ERR_BAD_ACTION_BAD_LEN);
	}
}

static void
test_of_action_unsupported_and_unknown_types(void **state)
{
	static const uint16_t unsupported[] = {
	    OFPAT_COPY_TTL_OUT,
	    OFPAT_COPY_TTL_IN,
	    OFPAT_SET_MPLS_TTL,
	    OFPAT_DEC_MPLS_TTL,
	    OFPAT_PUSH_MPLS,
	    OFPAT_POP_MPLS,
	    OFPAT_PUSH_PBB,
	    OFPAT_POP_PBB,
	    1,
	    10,
	    13,
	    14,
	    28,
	    0x1234,
	};
	uint8_t buf[8] = {0, 0, 0, 8, 0x88, 0x47, 0, 0};

	(void)state;
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		of_put_be16(buf, unsupported[i]);
		assert_int_equal(decode_actions(buf, sizeof(buf)), OF_ERR_BAD_ACTION_BAD_TYPE);
	}
	/* Experimenter: type 0xffff, len 8, experimenter id. */
	assert_int_equal(DECODE_ACTS(0xff, 0xff, 0, 8, 0x00, 0x00, 0x23, 0x20),
			 OF_ERR_BAD_ACTION_BAD_EXPERIMENTER);
	/* GROUP 1: no group exists. */
	assert_int_equal(DECODE_ACTS(0, 0x16, 0, 8, 0, 0, 0, 1), OF_ERR_BAD_ACTION_BAD_OUT_GROUP);
	/* A bad action after a good one fails the whole list. */
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 8, 0, 0, 0, 0, 0, 0x0b, 0, 8, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_TYPE);
}

static enum of_err
decode_output(uint32_t port)
{
	uint8_t buf[16] = {0, 0, 0, 16};

	of_put_be32(buf + 4, port);
	return decode_actions(buf, sizeof(buf));
}

static void
test_of_action_ports_arguments_and_count(void **state)
{
	static const uint32_t good[] = {1,          OFPP_MAX,        OFPP_IN_PORT,
					OFPP_TABLE, OFPP_NORMAL,     OFPP_FLOOD,
					OFPP_ALL,   OFPP_CONTROLLER, OFPP_LOCAL};
	static const uint32_t bad[] = {0, OFPP_MAX + 1, 0xfffffff7, OFPP_ANY};
	uint8_t many[(OF_ACTIONS_MAX + 1) * 8];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(decode_output(good[i]), OF_ERR_NONE);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode_output(bad[i]), OF_ERR_BAD_ACTION_BAD_OUT_PORT);
	}
	/* push_vlan of a non-VLAN ethertype. */
	assert_int_equal(DECODE_ACTS(0, 0x11, 0, 8, 0x08, 0x00, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	assert_int_equal(DECODE_ACTS(0, 0x11, 0, 8, 0x81, 0x01, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	/* Non-zero pads: output, push_vlan, set_nw_ttl, dec_nw_ttl, pop_vlan. */
	assert_int_equal(DECODE_ACTS(0, 0, 0, 16, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1),
			 OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	assert_int_equal(DECODE_ACTS(0, 0x11, 0, 8, 0x81, 0x00, 1, 0),
			 OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	assert_int_equal(DECODE_ACTS(0, 0x17, 0, 8, 64, 0, 0, 1), OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	assert_int_equal(DECODE_ACTS(0, 0x18, 0, 8, 0, 0, 1, 0), OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	assert_int_equal(DECODE_ACTS(0, 0x12, 0, 8, 1, 0, 0, 0), OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	/* OF_ACTIONS_MAX dec_nw_ttl are fine, one more is too many. */
	for (size_t i = 0; i <= OF_ACTIONS_MAX; i++) {
		memcpy(many + 8 * i, (const uint8_t[]){0, 0x18, 0, 8, 0, 0, 0, 0}, 8);
	}
	assert_int_equal(decode_actions(many, OF_ACTIONS_MAX * 8), OF_ERR_NONE);
	assert_int_equal(decode_actions(many, sizeof(many)), OF_ERR_BAD_ACTION_TOO_MANY);
}

static void
test_of_action_set_field_bad_type_and_len(void **state)
{
	(void)state;
	/* Masked OXM, another class, unwritable and unknown fields. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x19, 0x08, 10, 0, 0, 0, 0xff, 0xff, 0xff, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x18, 0x04, 10, 0, 0, 1, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* in_port */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x02, 0x04, 0, 0, 0, 1, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* in_phy_port */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x04, 0x08, 0, 0, 0, 0, 0, 0, 0, 1),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* metadata */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x0a, 0x02, 0x08, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* eth_type */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x4e, 0x02, 0, 1, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* ipv6_exthdr */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x44, 0x04, 0, 0, 0, 1, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* mpls_label */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x50, 0x04, 0, 0, 0, 1, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE); /* field 40 */
	/* OXM length wrong for ipv4_dst (2, 5), action padded too far or not enough. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x18, 0x02, 10, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_LEN);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x18, 0x05, 10, 0, 0, 1, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x19, 0, 24, 0x80, 0x00, 0x18, 0x04, 10, 0, 0, 1, 0, 0, 0,
				     0, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_SET_LEN);
	assert_int_equal(DECODE_ACTS(0, 0x19, 0, 8, 0x80, 0x00, 0x18, 0x04),
			 OF_ERR_BAD_ACTION_BAD_SET_LEN);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x34, 0x10, 0, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_LEN); /* ipv6_src needs 24 */
}

static void
test_of_action_set_field_bad_values(void **state)
{
	(void)state;
	/* Values out of range, and in range at the limit. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x0c, 0x02, 0x20, 0x00, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT); /* vlan_vid 0x2000 */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x0c, 0x02, 0x1f, 0xff, 0, 0, 0, 0, 0, 0),
	    OF_ERR_NONE);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x0c, 0x02, 0x0f, 0xff, 0, 0, 0, 0, 0, 0),
	    OF_ERR_NONE); /* without OFPVID_PRESENT, as OVS accepts */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x0e, 0x01, 8, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT); /* vlan_pcp 8 */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x0e, 0x01, 7, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_NONE);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x10, 0x01, 64, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT); /* ip_dscp 64 */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x12, 0x01, 4, 0, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT); /* ip_ecn 4 */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x38, 0x04, 0, 0x10, 0, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT); /* flabel 0x100000 */
	/* Padding after the OXM not zero. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x80, 0x00, 0x18, 0x04, 10, 0, 0, 1, 0, 0, 0, 1),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT);
}

static void
test_of_instructions_round_trip_keeps_order(void **state)
{
	struct of_instructions ins, copy;
	uint8_t out[sizeof(instructions)];

	(void)state;
	assert_int_equal(of_instructions_decode(instructions, sizeof(instructions), 0, &ins),
			 OF_ERR_NONE);
	assert_int_equal(ins.present,
			 OF_INST_BIT(OFPIT_GOTO_TABLE) | OF_INST_BIT(OFPIT_WRITE_METADATA) |
			     OF_INST_BIT(OFPIT_WRITE_ACTIONS) | OF_INST_BIT(OFPIT_APPLY_ACTIONS) |
			     OF_INST_BIT(OFPIT_CLEAR_ACTIONS));
	assert_int_equal(ins.n_order, 5);
	assert_memory_equal(ins.order, ((const uint8_t[]){3, 1, 2, 5, 4}), 5);
	assert_int_equal(ins.goto_table, 5);
	assert_true(ins.metadata == 42 && ins.metadata_mask == 0xff);
	assert_int_equal(ins.write.n, 1);
	assert_int_equal(ins.write.a[0].output.port, 3);
	assert_int_equal(ins.apply.n, 1);
	assert_int_equal(ins.apply.a[0].type, OFPAT_DEC_NW_TTL);

	assert_int_equal(of_instructions_encoded_size(&ins), sizeof(instructions));
	assert_int_equal(of_instructions_encode(&ins, out, sizeof(out)), (int)sizeof(out));
	assert_memory_equal(out, instructions, sizeof(out));
	assert_int_equal(of_instructions_encode(&ins, out, sizeof(out) - 1), -ENOSPC);

	assert_int_equal(of_instructions_copy(&copy, &ins), 0);
	assert_ptr_not_equal(copy.apply.a, ins.apply.a);
	assert_true(of_instructions_equal(&copy, &ins));
	copy.write.a[0].output.port = 4;
	assert_false(of_instructions_equal(&copy, &ins));
	copy.write.a[0].output.port = 3;
	copy.order[0] = OFPIT_GOTO_TABLE;
	copy.order[1] = OFPIT_WRITE_ACTIONS;
	assert_false(of_instructions_equal(&copy, &ins));
	of_instructions_free(&copy);
	assert_int_equal(copy.present, 0);
	of_instructions_free(NULL);

	/* Without 'order' (as built by hand) they go in execution order [5.9]. */
	ins.n_order = 0;
	assert_int_equal(of_instructions_encode(&ins, out, sizeof(out)), (int)sizeof(out));
	assert_memory_equal(out, instructions + 64, 16);      /* apply */
	assert_memory_equal(out + 16, instructions + 56, 8);  /* clear */
	assert_memory_equal(out + 24, instructions, 24);      /* write */
	assert_memory_equal(out + 48, instructions + 32, 24); /* write_metadata */
	assert_memory_equal(out + 72, instructions + 24, 8);  /* goto */
	of_instructions_free(&ins);
}

static void
test_of_instructions_errors(void **state)
{
	uint8_t dup[sizeof(instructions) + 16];

	(void)state;
	/* goto_table backwards, to itself, to 255; forward is fine. */
	assert_int_equal(DECODE_INS(3, 0, 1, 0, 8, 2, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID);
	assert_int_equal(DECODE_INS(3, 0, 1, 0, 8, 3, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID);
	assert_int_equal(DECODE_INS(3, 0, 1, 0, 8, 255, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID);
	assert_int_equal(DECODE_INS(3, 0, 1, 0, 8, 254, 0, 0, 0), OF_ERR_NONE);
	/* Lengths: under 8, not a multiple of 8, overrunning, wrong for the type. */
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 4, 0, 0, 0, 0), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 16, 0, 0, 0, 0), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 8, 0, 0, 0), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 1, 0, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 2, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
			 OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	/* Non-zero pads. */
	assert_int_equal(DECODE_INS(0, 0, 1, 0, 8, 1, 0, 0, 1), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 8, 0, 1, 0, 0), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	assert_int_equal(DECODE_INS(0, 0, 4, 0, 8, 0, 0, 0, 1), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	/* Meter, experimenter, unknown types. */
	assert_int_equal(DECODE_INS(0, 0, 6, 0, 8, 0, 0, 0, 1), OF_ERR_BAD_INSTRUCTION_UNSUP_INST);
	assert_int_equal(DECODE_INS(0, 0xff, 0xff, 0, 8, 0, 0, 0x23, 0x20),
			 OF_ERR_BAD_INSTRUCTION_BAD_EXPERIMENTER);
	assert_int_equal(DECODE_INS(0, 0, 7, 0, 8, 0, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_UNKNOWN_INST);
	assert_int_equal(DECODE_INS(0, 0, 0, 0, 8, 0, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_UNKNOWN_INST);
	/* The same instruction twice, after an allocated one (freed on the error). */
	memcpy(dup, instructions, sizeof(instructions));
	memcpy(dup + sizeof(instructions), instructions + 64, 16);
	assert_int_equal(decode_ins(dup, sizeof(dup), 0), OF_ERR_BAD_INSTRUCTION_UNSUP_INST);
	assert_int_equal(DECODE_INS(0, 0, 5, 0, 8, 0, 0, 0, 0, 0, 5, 0, 8, 0, 0, 0, 0),
			 OF_ERR_BAD_INSTRUCTION_UNSUP_INST);
	/* An action error inside apply_actions is the action's. */
	assert_int_equal(DECODE_INS(0, 0, 4, 0, 16, 0, 0, 0, 0, 0, 0x11, 0, 8, 0x08, 0x00, 0, 0),
			 OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	/* A duplicate action type in write_actions is kept, as OVS does. */
	assert_int_equal(DECODE_INS(0, 0, 3, 0, 24, 0, 0, 0, 0, 0, 0x18, 0, 8, 0, 0, 0, 0, 0, 0x18,
				    0, 8, 0, 0, 0, 0),
			 OF_ERR_NONE);
	/* Every truncation of the instruction list. */
	for (size_t n = 1; n < sizeof(instructions); n++) {
		enum of_err err = decode_ins(instructions, n, 0);

		bool boundary = n == 24 || n == 32 || n == 56 || n == 64;

		assert_int_equal(err, boundary ? OF_ERR_NONE : OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	}
}

static void
test_of_instructions_output_to(void **state)
{
	struct of_instructions ins;

	(void)state;
	assert_int_equal(of_instructions_decode(instructions, sizeof(instructions), 0, &ins),
			 OF_ERR_NONE);
	assert_true(of_instructions_output_to(&ins, 3)); /* in write_actions */
	assert_false(of_instructions_output_to(&ins, 2));
	assert_true(of_instructions_output_to(&ins, OFPP_ANY));
	of_instructions_free(&ins);
	assert_int_equal(of_instructions_decode(flow_mod + FLOW_MOD_INS_OFF, 48, 0, &ins),
			 OF_ERR_NONE);
	assert_true(of_instructions_output_to(&ins, 2)); /* in apply_actions */
	assert_false(of_instructions_output_to(&ins, 3));
	of_instructions_free(&ins);
}

/* A match from OXM TLV bytes (wrapped and decoded by of_match_decode()). */
static void
make_match(struct of_match *m, const uint8_t *tlvs, size_t n)
{
	uint8_t buf[128] = {0, 1, 0, 0};
	size_t used;

	buf[3] = (uint8_t)(4 + n);
	memcpy(buf + 4, tlvs, n);
	assert_int_equal(of_match_decode(buf, (4 + n + 7) / 8 * 8, m, &used), OF_ERR_NONE);
}

#define MATCH(m, ...) \
	make_match(m, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* of_instructions_check() of instruction bytes 'ins' against 'm'. */
static enum of_err
check(const struct of_match *m, const uint8_t *bytes, size_t n)
{
	struct of_instructions ins;
	enum of_err err;

	assert_int_equal(of_instructions_decode(bytes, n, 0, &ins), OF_ERR_NONE);
	err = of_instructions_check(&ins, m);
	of_instructions_free(&ins);
	return err;
}

#define CHECK(m, ...) \
	check(m, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* apply_actions(set_field ipv4_dst=10.0.0.1). */
#define SET_IPV4_DST \
	0, 4, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x80, 0, 0x18, 4, 10, 0, 0, 1, 0, 0, 0, 0
/* apply_actions(set_field tcp_src=80). */
#define SET_TCP_SRC \
	0, 4, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x80, 0, 0x1a, 2, 0, 80, 0, 0, 0, 0, 0, 0
/* set_field vlan_vid=0x100a as an action. */
#define ACT_SET_VID   0, 0x19, 0, 16, 0x80, 0, 0x0c, 2, 0x10, 0x0a, 0, 0, 0, 0, 0, 0
#define ACT_PUSH_VLAN 0, 0x11, 0, 8, 0x81, 0x00, 0, 0
#define ACT_POP_VLAN  0, 0x12, 0, 8, 0, 0, 0, 0

static void
test_of_instructions_check_match_consistency(void **state)
{
	struct of_match any, ip, ip6, tcp, udp, tagged, untagged, nd_ns;

	(void)state;
	memset(&any, 0, sizeof(any));
	MATCH(&ip, 0x80, 0, 0x0a, 2, 0x08, 0x00);
	MATCH(&ip6, 0x80, 0, 0x0a, 2, 0x86, 0xdd);
	MATCH(&tcp, 0x80, 0, 0x0a, 2, 0x86, 0xdd, 0x80, 0, 0x14, 1, 6);
	MATCH(&udp, 0x80, 0, 0x0a, 2, 0x08, 0x00, 0x80, 0, 0x14, 1, 17);
	MATCH(&tagged, 0x80, 0, 0x0c, 2, 0x10, 0x0a);
	MATCH(&untagged, 0x80, 0, 0x0c, 2, 0x00, 0x00);
	MATCH(&nd_ns, 0x80, 0, 0x0a, 2, 0x86, 0xdd, 0x80, 0, 0x14, 1, 58, 0x80, 0, 0x3a, 1, 135);

	assert_int_equal(CHECK(&ip, SET_IPV4_DST), OF_ERR_NONE);
	assert_int_equal(CHECK(&any, SET_IPV4_DST), OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&ip6, SET_IPV4_DST), OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&tcp, SET_TCP_SRC), OF_ERR_NONE);
	assert_int_equal(CHECK(&udp, SET_TCP_SRC), OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&ip, SET_TCP_SRC), OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	/* ipv6_nd_sll needs icmpv6_type 135. */
	assert_int_equal(CHECK(&nd_ns, 0, 4, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x80, 0, 0x40, 6, 1,
			       2, 3, 4, 5, 6, 0, 0),
			 OF_ERR_NONE);
	assert_int_equal(CHECK(&nd_ns, 0, 4, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x80, 0, 0x42, 6, 1,
			       2, 3, 4, 5, 6, 0, 0),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	/* dec_nw_ttl wants IP. */
	assert_int_equal(CHECK(&ip6, 0, 4, 0, 16, 0, 0, 0, 0, 0, 0x18, 0, 8, 0, 0, 0, 0),
			 OF_ERR_NONE);
	assert_int_equal(CHECK(&any, 0, 4, 0, 16, 0, 0, 0, 0, 0, 0x18, 0, 8, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	/* set vlan_vid: on a tagged match, after a push, not on an untagged one. */
	assert_int_equal(CHECK(&tagged, 0, 4, 0, 24, 0, 0, 0, 0, ACT_SET_VID), OF_ERR_NONE);
	assert_int_equal(CHECK(&untagged, 0, 4, 0, 24, 0, 0, 0, 0, ACT_SET_VID),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&any, 0, 4, 0, 24, 0, 0, 0, 0, ACT_SET_VID),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&any, 0, 4, 0, 32, 0, 0, 0, 0, ACT_PUSH_VLAN, ACT_SET_VID),
			 OF_ERR_NONE);
	/* A push after the set_field comes too late; a pop removes the tag. */
	assert_int_equal(CHECK(&any, 0, 4, 0, 32, 0, 0, 0, 0, ACT_SET_VID, ACT_PUSH_VLAN),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&tagged, 0, 4, 0, 32, 0, 0, 0, 0, ACT_POP_VLAN, ACT_SET_VID),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	/* pop_vlan: on a tagged match or after a push. */
	assert_int_equal(CHECK(&tagged, 0, 4, 0, 16, 0, 0, 0, 0, ACT_POP_VLAN), OF_ERR_NONE);
	assert_int_equal(CHECK(&untagged, 0, 4, 0, 16, 0, 0, 0, 0, ACT_POP_VLAN),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&any, 0, 4, 0, 16, 0, 0, 0, 0, ACT_POP_VLAN),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&any, 0, 4, 0, 24, 0, 0, 0, 0, ACT_PUSH_VLAN, ACT_POP_VLAN),
			 OF_ERR_NONE);
	/* The write set runs push before set_field whatever the list order [5.10]. */
	assert_int_equal(CHECK(&any, 0, 3, 0, 32, 0, 0, 0, 0, ACT_SET_VID, ACT_PUSH_VLAN),
			 OF_ERR_NONE);
	assert_int_equal(CHECK(&any, 0, 3, 0, 24, 0, 0, 0, 0, ACT_SET_VID),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&untagged, 0, 3, 0, 16, 0, 0, 0, 0, ACT_POP_VLAN),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	assert_int_equal(CHECK(&any, 0, 3, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x80, 0, 0x18, 4, 10,
			       0, 0, 1, 0, 0, 0, 0),
			 OF_ERR_BAD_ACTION_MATCH_INCONSISTENT);
	/* The FLOW_MOD vector itself: ip match, push_vlan then set vlan_vid. */
	assert_int_equal(check(&ip, flow_mod + FLOW_MOD_INS_OFF, 48), OF_ERR_NONE);
}

static void
test_of_flow_init_defaults(void **state)
{
	struct of_flow f;

	(void)state;
	memset(&f, 0xa5, sizeof(f));
	of_flow_init(&f);
	assert_int_equal(f.command, OFPFC_ADD);
	assert_int_equal(f.table_id, 0);
	assert_int_equal(f.buffer_id, OFP_NO_BUFFER);
	assert_int_equal(f.out_port, OFPP_ANY);
	assert_int_equal(f.out_group, OFPG_ANY);
	assert_true(f.cookie == 0 && f.cookie_mask == 0);
	assert_int_equal(f.match.present, 0);
	assert_int_equal(f.ins.present, 0);
	assert_null(f.ins.apply.a);
}

static void
test_of_flow_mod_round_trip(void **state)
{
	struct of_flow f;
	uint8_t out[sizeof(flow_mod)];

	(void)state;
	assert_int_equal(of_flow_mod_decode(flow_mod, sizeof(flow_mod), &f), OF_ERR_NONE);
	assert_int_equal(f.command, OFPFC_ADD);
	assert_int_equal(f.table_id, 0);
	assert_int_equal(f.priority, 100);
	assert_int_equal(f.buffer_id, OFP_NO_BUFFER);
	assert_int_equal(f.out_port, OFPP_ANY);
	assert_int_equal(f.match.value.eth_type, 0x0800);
	assert_int_equal(f.match.value.ipv4_dst, 0x0a000000);
	assert_int_equal(f.match.mask.ipv4_dst, 0xffffff00);
	assert_int_equal(f.ins.present, OF_INST_BIT(OFPIT_APPLY_ACTIONS));
	assert_int_equal(f.ins.apply.n, 3);
	assert_int_equal(f.ins.apply.a[0].type, OFPAT_PUSH_VLAN);
	assert_int_equal(f.ins.apply.a[1].set_field.field, OFPXMT_OFB_VLAN_VID);
	assert_int_equal(f.ins.apply.a[2].output.port, 2);
	assert_int_equal(of_instructions_check(&f.ins, &f.match), OF_ERR_NONE);

	assert_int_equal(of_flow_mod_encode(&f, 42, out, sizeof(out)), (int)sizeof(out));
	assert_memory_equal(out, flow_mod, sizeof(out));
	assert_int_equal(of_flow_mod_encode(&f, 42, out, sizeof(out) - 1), -ENOSPC);
	of_instructions_free(&f.ins);
}

/* Decodes 'wire', checks it against its own match and encodes it back to the same bytes. */
static void
flow_mod_round_trip(const uint8_t *wire, size_t size, struct of_flow *f)
{
	uint8_t out[256];

	assert_int_equal(of_flow_mod_decode(wire, size, f), OF_ERR_NONE);
	assert_int_equal(of_instructions_check(&f->ins, &f->match), OF_ERR_NONE);
	assert_int_equal(of_flow_mod_encode(f, of_get_be32(wire + 4), out, sizeof(out)), (int)size);
	assert_memory_equal(out, wire, size);
	assert_int_equal(of_flow_mod_encode(f, of_get_be32(wire + 4), out, size - 1), -ENOSPC);
}

static void
test_of_flow_mod_ovs_tunnel_fields_round_trip(void **state)
{
	const struct of_action *a;
	struct of_flow f;

	(void)state;
	flow_mod_round_trip(flow_mod_ovs_tun, sizeof(flow_mod_ovs_tun), &f);
	assert_int_equal(f.priority, 0x8000);
	assert_true(f.match.present == 1ull << OF_FIELD_TUN_DST);
	assert_int_equal(f.match.value.tun_dst, 0xc6336407);
	assert_int_equal(f.ins.apply.n, 3);
	a = f.ins.apply.a;
	assert_int_equal(a[0].type, OFPAT_SET_FIELD);
	assert_int_equal(a[0].set_field.field, OF_FIELD_TUN_SRC);
	assert_int_equal(a[0].set_field.len, 4);
	assert_memory_equal(a[0].set_field.value, ((const uint8_t[]){198, 51, 100, 1}), 4);
	assert_int_equal(a[1].set_field.field, OF_FIELD_TUN_DST);
	assert_memory_equal(a[1].set_field.value, ((const uint8_t[]){203, 0, 113, 5}), 4);
	assert_int_equal(a[2].output.port, 3);
	of_instructions_free(&f.ins);

	flow_mod_round_trip(flow_mod_ovs_tun_masked, sizeof(flow_mod_ovs_tun_masked), &f);
	assert_true(f.match.masked == 1ull << OF_FIELD_TUN_SRC);
	assert_int_equal(f.match.value.tun_src, 0xc0000200);
	assert_int_equal(f.match.mask.tun_src, 0xffffff00);
	assert_int_equal(f.ins.apply.a[0].set_field.field, OF_FIELD_TUN_SRC);
	of_instructions_free(&f.ins);
}

static void
test_of_action_set_field_tunnel_fields(void **state)
{
	struct of_match any;

	(void)state;
	memset(&any, 0, sizeof(any));
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x40, 0x04, 192, 0, 2, 9, 0, 0, 0, 0),
	    OF_ERR_NONE);
	/* Wrong OXM length (5, 3, 8) for a 4-byte field. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x3e, 0x05, 192, 0, 2, 9, 1, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_LEN);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x40, 0x03, 192, 0, 2, 0, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_LEN);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x40, 0x08, 192, 0, 2, 9, 0, 0, 0, 1),
	    OF_ERR_BAD_ACTION_BAD_SET_LEN);
	/* Masked, the other NXM class, a neighbouring NXM field. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x41, 0x08, 192, 0, 2, 0, 255, 255, 255, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x00, 0x3e, 0x04, 192, 0, 2, 9, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE);
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x42, 0x04, 192, 0, 2, 9, 0, 0, 0, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_TYPE);
	/* Padding after the OXM not zero. */
	assert_int_equal(
	    DECODE_ACTS(0, 0x19, 0, 16, 0x00, 0x01, 0x3e, 0x04, 192, 0, 2, 9, 0, 0, 1, 0),
	    OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT);
	/* No prerequisite: consistent with the match-everything match. */
	assert_int_equal(CHECK(&any, 0, 4, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x00, 0x01, 0x40, 4,
			       192, 0, 2, 9, 0, 0, 0, 0),
			 OF_ERR_NONE);
	assert_int_equal(CHECK(&any, 0, 3, 0, 24, 0, 0, 0, 0, 0, 0x19, 0, 16, 0x00, 0x01, 0x3e, 4,
			       192, 0, 2, 9, 0, 0, 0, 0),
			 OF_ERR_NONE);
}

/* Every byte of the OVS tunnel FLOW_MOD changed: never a crash, and whatever decodes re-encodes. */
static void
test_of_flow_mod_ovs_tunnel_mutations_never_crash(void **state)
{
	static const uint8_t values[] = {0x00, 0x01, 0x05, 0x08, 0x3e, 0x40, 0x80, 0xff};
	uint8_t buf[sizeof(flow_mod_ovs_tun)], out[sizeof(flow_mod_ovs_tun)];
	struct of_flow f;

	(void)state;
	for (size_t n = 0; n < sizeof(flow_mod_ovs_tun); n++) {
		assert_int_equal(decode_flow_mod(flow_mod_ovs_tun, n), OF_ERR_BAD_REQUEST_BAD_LEN);
	}
	for (size_t i = 0; i < sizeof(flow_mod_ovs_tun); i++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			uint8_t *copy;

			memcpy(buf, flow_mod_ovs_tun, sizeof(buf));
			buf[i] = values[v];
			copy = dup_bytes(buf, sizeof(buf));
			if (of_flow_mod_decode(copy, sizeof(buf), &f) == OF_ERR_NONE) {
				assert_int_equal(
				    of_flow_mod_encode(&f, of_get_be32(buf + 4), out, sizeof(out)),
				    (int)sizeof(out));
				assert_memory_equal(out + 2, buf + 2, sizeof(out) - 2);
				of_instructions_free(&f.ins);
			}
			free(copy);
		}
	}
}

static void
test_of_flow_mod_errors(void **state)
{
	uint8_t buf[sizeof(flow_mod)];

	(void)state;
	/* Length field disagreeing with the size. */
	memcpy(buf, flow_mod, sizeof(buf));
	buf[3] = 0x70;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Unknown command; table 255 on add and modify but not on delete. */
	memcpy(buf, flow_mod, sizeof(buf));
	buf[25] = 5;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_FLOW_MOD_FAILED_BAD_COMMAND);
	buf[24] = OFPTT_ALL;
	buf[25] = OFPFC_ADD;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID);
	buf[25] = OFPFC_MODIFY_STRICT;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID);
	buf[25] = OFPFC_DELETE;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_NONE);
	/* Pad after flags. */
	memcpy(buf, flow_mod, sizeof(buf));
	buf[47] = 1;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Match length running past the message. */
	memcpy(buf, flow_mod, sizeof(buf));
	buf[51] = 0x80;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Match errors are the match's: bad type, bad field. */
	memcpy(buf, flow_mod, sizeof(buf));
	buf[49] = 0;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_MATCH_BAD_TYPE);
	memcpy(buf, flow_mod, sizeof(buf));
	buf[52] = 0x00;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_MATCH_BAD_FIELD);
	/* Instruction overrunning the message; action errors. */
	memcpy(buf, flow_mod, sizeof(buf));
	buf[75] = 0x38;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_INSTRUCTION_BAD_LEN);
	memcpy(buf, flow_mod, sizeof(buf));
	buf[84] = 0x08;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_ACTION_BAD_ARGUMENT);
	memcpy(buf, flow_mod, sizeof(buf));
	buf[96] = 0x20; /* vlan_vid 0x200a */
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT);
	memcpy(buf, flow_mod, sizeof(buf));
	buf[95] = 0x03; /* vlan_vid OXM with 3 bytes */
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_ACTION_BAD_SET_LEN);
	memcpy(buf, flow_mod, sizeof(buf));
	buf[95] = 0x04; /* the vlan_vid OXM claims a mask */
	buf[94] = 0x0d;
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_ACTION_BAD_SET_TYPE);
	memcpy(buf, flow_mod, sizeof(buf));
	buf[111] = 0; /* output port 0 */
	assert_int_equal(decode_flow_mod(buf, sizeof(buf)), OF_ERR_BAD_ACTION_BAD_OUT_PORT);
}

static void
test_of_flow_mod_truncations_never_crash(void **state)
{
	uint8_t buf[sizeof(flow_mod)];

	(void)state;
	for (size_t n = 0; n < sizeof(flow_mod); n++) {
		/* Cut short under an intact length field. */
		assert_int_equal(decode_flow_mod(flow_mod, n), OF_ERR_BAD_REQUEST_BAD_LEN);
		/* Cut short with the length field telling the truth. */
		memcpy(buf, flow_mod, sizeof(buf));
		if (n >= 4) {
			of_put_be16(buf + 2, (uint16_t)n);
		}
		if (n == FLOW_MOD_INS_OFF) {
			/* Ends after the match: a valid flow with no instructions. */
			assert_int_equal(decode_flow_mod(buf, n), OF_ERR_NONE);
		} else {
			assert_int_not_equal(decode_flow_mod(buf, n), OF_ERR_NONE);
		}
	}
}

/* Every byte of a valid FLOW_MOD changed: never a crash, and whatever decodes re-encodes. */
static void
test_of_flow_mod_mutations_never_crash(void **state)
{
	static const uint8_t values[] = {0x00, 0x01, 0x07, 0x08, 0x10, 0x7f, 0x80, 0xff};
	uint8_t buf[sizeof(flow_mod)], out[sizeof(flow_mod)];
	struct of_flow f;

	(void)state;
	for (size_t i = 0; i < sizeof(flow_mod); i++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			uint8_t *copy;

			memcpy(buf, flow_mod, sizeof(buf));
			buf[i] = values[v];
			copy = dup_bytes(buf, sizeof(buf));
			if (of_flow_mod_decode(copy, sizeof(buf), &f) == OF_ERR_NONE) {
				assert_int_equal(
				    of_flow_mod_encode(&f, of_get_be32(buf + 4), out, sizeof(out)),
				    (int)sizeof(out));
				/* Byte 0 and 1 (version, type) are the caller's to check. */
				assert_memory_equal(out + 2, buf + 2, sizeof(out) - 2);
				of_instructions_free(&f.ins);
			}
			free(copy);
		}
	}
}

static void
test_of_flow_stats_round_trip(void **state)
{
	struct of_flow_stats s;
	uint8_t out[sizeof(flow_stats) + 8];
	size_t used = 0;

	(void)state;
	assert_int_equal(of_flow_stats_decode(flow_stats, sizeof(flow_stats), &s, &used),
			 OF_ERR_NONE);
	assert_int_equal(used, sizeof(flow_stats));
	assert_int_equal(s.flow.table_id, 1);
	assert_int_equal(s.duration_sec, 10);
	assert_int_equal(s.duration_nsec, 500);
	assert_int_equal(s.flow.priority, 100);
	assert_int_equal(s.flow.idle_timeout, 30);
	assert_int_equal(s.flow.hard_timeout, 0);
	assert_int_equal(s.flow.flags, OFPFF_SEND_FLOW_REM);
	assert_true(s.flow.cookie == 0x1234);
	assert_true(s.packet_count == 5 && s.byte_count == 420);
	assert_int_equal(s.flow.match.value.in_port, 1);
	assert_int_equal(s.flow.ins.goto_table, 2);

	assert_int_equal(of_flow_stats_encoded_size(&s), sizeof(flow_stats));
	assert_int_equal(of_flow_stats_encode(&s, out, sizeof(out)), (int)sizeof(flow_stats));
	assert_memory_equal(out, flow_stats, sizeof(flow_stats));
	assert_int_equal(of_flow_stats_encode(&s, out, sizeof(flow_stats) - 1), -ENOSPC);
	of_instructions_free(&s.flow.ins);

	/* Two entries back to back: 'used' steps to the second. */
	memcpy(out, flow_stats, sizeof(flow_stats));
	assert_int_equal(of_flow_stats_decode(out, sizeof(flow_stats) + 8, &s, &used), OF_ERR_NONE);
	assert_int_equal(used, sizeof(flow_stats));
	of_instructions_free(&s.flow.ins);
}

static enum of_err
decode_stats(const uint8_t *bytes, size_t n)
{
	uint8_t *copy = dup_bytes(bytes, n);
	struct of_flow_stats s;
	size_t used;
	enum of_err err = of_flow_stats_decode(copy, n, &s, &used);

	if (err == OF_ERR_NONE) {
		of_instructions_free(&s.flow.ins);
	}
	free(copy);
	return err;
}

static void
test_of_flow_stats_errors(void **state)
{
	uint8_t buf[sizeof(flow_stats)];

	(void)state;
	for (size_t n = 0; n < sizeof(flow_stats); n++) {
		assert_int_equal(decode_stats(flow_stats, n), OF_ERR_BAD_REQUEST_BAD_LEN);
	}
	memcpy(buf, flow_stats, sizeof(buf));
	buf[1] = 0x47; /* length not a multiple of 8 */
	assert_int_equal(decode_stats(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(buf, flow_stats, sizeof(buf));
	buf[3] = 1; /* pad */
	assert_int_equal(decode_stats(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(buf, flow_stats, sizeof(buf));
	buf[23] = 1; /* pad */
	assert_int_equal(decode_stats(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(buf, flow_stats, sizeof(buf));
	buf[68] = 1; /* goto_table 1 from table 1 */
	assert_int_equal(decode_stats(buf, sizeof(buf)), OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID);
	memcpy(buf, flow_stats, sizeof(buf));
	buf[1] = 0x40; /* entry ends inside the goto_table: the match fits, no instructions */
	assert_int_equal(decode_stats(buf, sizeof(buf)), OF_ERR_NONE);
	buf[1] = 0x38; /* entry ends inside the match */
	assert_int_equal(decode_stats(buf, sizeof(buf)), OF_ERR_BAD_REQUEST_BAD_LEN);
}

static void
test_of_flow_stats_request_round_trip(void **state)
{
	static const uint8_t all[] = {
	    0xff, 0,    0,    0,    0xff, 0xff, 0xff, 0xff, /* table ALL, out_port ANY */
	    0xff, 0xff, 0xff, 0xff, 0,    0,    0,    0,    /* out_group ANY */
	    0,    0,    0,    0,    0,    0,    0,    0,    /* cookie */
	    0,    0,    0,    0,    0,    0,    0,    0,    /* cookie_mask */
	    0,    1,    0,    4,    0,    0,    0,    0,    /* empty match */
	};
	uint8_t out[sizeof(flow_stats_req)], buf[sizeof(flow_stats_req) + 8];
	struct of_flow f;

	(void)state;
	assert_int_equal(of_flow_stats_request_decode(flow_stats_req, sizeof(flow_stats_req), &f),
			 OF_ERR_NONE);
	assert_int_equal(f.table_id, 3);
	assert_int_equal(f.out_port, 2);
	assert_int_equal(f.out_group, OFPG_ANY);
	assert_true(f.cookie == 0x10 && f.cookie_mask == 0xf0);
	assert_int_equal(f.match.value.eth_type, 0x0806);
	assert_int_equal(of_flow_stats_request_encode(&f, out, sizeof(out)), (int)sizeof(out));
	assert_memory_equal(out, flow_stats_req, sizeof(out));
	assert_int_equal(of_flow_stats_request_encode(&f, out, sizeof(out) - 1), -ENOSPC);

	assert_int_equal(of_flow_stats_request_decode(all, sizeof(all), &f), OF_ERR_NONE);
	assert_int_equal(f.table_id, OFPTT_ALL);
	assert_int_equal(f.out_port, OFPP_ANY);
	assert_int_equal(f.match.n_fields, 0);
	assert_int_equal(of_flow_stats_request_encode(&f, out, sizeof(out)), (int)sizeof(all));
	assert_memory_equal(out, all, sizeof(all));

	/* Truncations, pads, trailing bytes, a bad match. */
	for (size_t n = 0; n < sizeof(flow_stats_req); n++) {
		uint8_t *copy = dup_bytes(flow_stats_req, n);

		assert_int_equal(of_flow_stats_request_decode(copy, n, &f),
				 OF_ERR_BAD_REQUEST_BAD_LEN);
		free(copy);
	}
	memcpy(buf, flow_stats_req, sizeof(flow_stats_req));
	memset(buf + sizeof(flow_stats_req), 0, 8);
	assert_int_equal(of_flow_stats_request_decode(buf, sizeof(buf), &f),
			 OF_ERR_BAD_REQUEST_BAD_LEN);
	buf[2] = 1;
	assert_int_equal(of_flow_stats_request_decode(buf, sizeof(flow_stats_req), &f),
			 OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(buf, flow_stats_req, sizeof(flow_stats_req));
	buf[15] = 1;
	assert_int_equal(of_flow_stats_request_decode(buf, sizeof(flow_stats_req), &f),
			 OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(buf, flow_stats_req, sizeof(flow_stats_req));
	buf[39] = 0x03; /* eth_type OXM of 3 bytes */
	assert_int_equal(of_flow_stats_request_decode(buf, sizeof(flow_stats_req), &f),
			 OF_ERR_BAD_MATCH_BAD_LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_of_action_every_type_round_trips),
	    cmocka_unit_test(test_of_action_bad_lengths),
	    cmocka_unit_test(test_of_action_unsupported_and_unknown_types),
	    cmocka_unit_test(test_of_action_ports_arguments_and_count),
	    cmocka_unit_test(test_of_action_set_field_bad_type_and_len),
	    cmocka_unit_test(test_of_action_set_field_bad_values),
	    cmocka_unit_test(test_of_action_set_field_tunnel_fields),
	    cmocka_unit_test(test_of_instructions_round_trip_keeps_order),
	    cmocka_unit_test(test_of_instructions_errors),
	    cmocka_unit_test(test_of_instructions_output_to),
	    cmocka_unit_test(test_of_instructions_check_match_consistency),
	    cmocka_unit_test(test_of_flow_init_defaults),
	    cmocka_unit_test(test_of_flow_mod_round_trip),
	    cmocka_unit_test(test_of_flow_mod_errors),
	    cmocka_unit_test(test_of_flow_mod_truncations_never_crash),
	    cmocka_unit_test(test_of_flow_mod_mutations_never_crash),
	    cmocka_unit_test(test_of_flow_mod_ovs_tunnel_fields_round_trip),
	    cmocka_unit_test(test_of_flow_mod_ovs_tunnel_mutations_never_crash),
	    cmocka_unit_test(test_of_flow_stats_round_trip),
	    cmocka_unit_test(test_of_flow_stats_errors),
	    cmocka_unit_test(test_of_flow_stats_request_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
