/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_parse.c - Ethernet/VLAN parsing on ordinary, truncated and odd frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "datapath/parse.h"

static const uint8_t plain[] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x01,
};
static const uint8_t tagged[] = {
    0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x81, 0x00, 0xa0, 0x0a, 0x08, 0x00, 0x45,
};
static const uint8_t qinq[] = {
    0x02, 0,    0,    0,    0,    2,    0x02, 0,    0,    0,    0,
    1,    0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x86, 0xdd,
};
static const uint8_t three_tags[] = {
    0x02, 0,    0,    0,    0,    2,    0x02, 0,    0,    0,    0,    1,    0x88,
    0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x0b, 0x08, 0x00,
};

static void
test_parse_plain_frame(void **state)
{
	struct parse_eth e;

	(void)state;
	assert_int_equal(parse_eth(plain, sizeof(plain), &e), PARSE_OK);
	assert_memory_equal(e.dst, plain, 6);
	assert_memory_equal(e.src, plain + 6, 6);
	assert_int_equal(e.eth_type, 0x0806);
	assert_int_equal(e.n_vlans, 0);
	assert_int_equal(e.l2_size, 14);
	assert_true(parse_mac_is_group(e.dst));
	assert_false(parse_mac_is_group(e.src));
}

static void
test_parse_runts_are_refused(void **state)
{
	struct parse_eth e;
	uint32_t len;

	(void)state;
	for (len = 0; len < 14; len++) {
		assert_int_equal(parse_eth(plain, len, &e), PARSE_RUNT);
	}
	/* A bare header with nothing after it is a (tiny) frame, not a runt. */
	assert_int_equal(parse_eth(plain, 14, &e), PARSE_OK);
}

static void
test_parse_single_vlan_tag(void **state)
{
	struct parse_eth e;

	(void)state;
	assert_int_equal(parse_eth(tagged, sizeof(tagged), &e), PARSE_OK);
	assert_int_equal(e.n_vlans, 1);
	assert_int_equal(e.vlan_tpid[0], 0x8100);
	assert_int_equal(e.vlan_tci[0] & 0xfff, 10);
	assert_int_equal(e.vlan_tci[0] >> 13, 5);
	assert_int_equal(e.eth_type, 0x0800);
	assert_int_equal(e.l2_size, 18);
}

static void
test_parse_truncated_vlan_tag_is_refused(void **state)
{
	struct parse_eth e;

	(void)state;
	/* TPID present but the TCI or the inner EtherType cut off. */
	assert_int_equal(parse_eth(tagged, 14, &e), PARSE_TRUNCATED_VLAN);
	assert_int_equal(parse_eth(tagged, 16, &e), PARSE_TRUNCATED_VLAN);
	assert_int_equal(parse_eth(tagged, 17, &e), PARSE_TRUNCATED_VLAN);
	assert_int_equal(parse_eth(tagged, 18, &e), PARSE_OK);
}

static void
test_parse_qinq_reads_both_tags(void **state)
{
	struct parse_eth e;

	(void)state;
	assert_int_equal(parse_eth(qinq, sizeof(qinq), &e), PARSE_OK);
	assert_int_equal(e.n_vlans, 2);
	assert_int_equal(e.vlan_tpid[0], 0x88a8);
	assert_int_equal(e.vlan_tci[0], 100);
	assert_int_equal(e.vlan_tpid[1], 0x8100);
	assert_int_equal(e.vlan_tci[1], 10);
	assert_int_equal(e.eth_type, 0x86dd);
	assert_int_equal(e.l2_size, 22);
	assert_int_equal(parse_eth(qinq, 21, &e), PARSE_TRUNCATED_VLAN);
}

static void
test_parse_three_tags_are_refused(void **state)
{
	struct parse_eth e;

	(void)state;
	assert_int_equal(parse_eth(three_tags, sizeof(three_tags), &e), PARSE_TOO_MANY_VLANS);
}

static void
test_parse_length_field_frames_pass_through(void **state)
{
	/* 802.3 frames carry a length (< 0x600) where the EtherType goes. */
	uint8_t llc[20] = {0x01, 0x80, 0xc2, 0, 0, 0, 0x02, 0, 0, 0, 0, 1, 0x00, 0x26};
	struct parse_eth e;

	(void)state;
	assert_int_equal(parse_eth(llc, sizeof(llc), &e), PARSE_OK);
	assert_int_equal(e.eth_type, 0x26);
	assert_int_equal(e.n_vlans, 0);
	assert_true(parse_mac_is_group(e.dst));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_plain_frame),
	    cmocka_unit_test(test_parse_runts_are_refused),
	    cmocka_unit_test(test_parse_single_vlan_tag),
	    cmocka_unit_test(test_parse_truncated_vlan_tag_is_refused),
	    cmocka_unit_test(test_parse_qinq_reads_both_tags),
	    cmocka_unit_test(test_parse_three_tags_are_refused),
	    cmocka_unit_test(test_parse_length_field_frames_pass_through),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
