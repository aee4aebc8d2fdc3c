/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_of_msg.c - OpenFlow 1.3 framing, HELLO and version negotiation,
 * ECHO, FEATURES_REPLY, BARRIER_REPLY and OFPT_ERROR, from byte vectors
 * written from the 1.3.5 spec: each decoded and re-encoded to the same
 * bytes, and each broken length answered with the spec's error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocols/openflow/of_err.h"
#include "protocols/openflow/of_msg.h"
#include "protocols/openflow/of_wire.h"

/* HELLO, xid 0x11223344, version bitmap element {1.3}. */
static const uint8_t hello_13[] = {
    0x04, 0x00, 0x00, 0x10, 0x11, 0x22, 0x33, 0x44, /* header */
    0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10, /* VERSIONBITMAP, 1 << 4 */
};

static void
test_of_msg_frame_reports_whole_message_or_need_more(void **state)
{
	uint8_t two[32];
	struct of_header hdr;
	size_t msg_size = 99;

	(void)state;
	assert_int_equal(of_msg_frame(hello_13, 7, &hdr, &msg_size), OF_ERR_NONE);
	assert_int_equal(msg_size, 0);
	assert_int_equal(of_msg_frame(hello_13, 15, &hdr, &msg_size), OF_ERR_NONE);
	assert_int_equal(msg_size, 0);
	assert_int_equal(hdr.length, 16);
	memcpy(two, hello_13, 16);
	memcpy(two + 16, hello_13, 16);
	assert_int_equal(of_msg_frame(two, sizeof(two), &hdr, &msg_size), OF_ERR_NONE);
	assert_int_equal(msg_size, 16);
	assert_int_equal(hdr.version, OFP_VERSION);
	assert_int_equal(hdr.type, OFPT_HELLO);
	assert_int_equal(hdr.xid, 0x11223344);
}

static void
test_of_msg_frame_rejects_short_length_and_bad_version(void **state)
{
	uint8_t msg[8] = {0x04, OFPT_ECHO_REQUEST, 0x00, 0x07, 0, 0, 0, 1};
	struct of_header hdr;
	size_t msg_size;

	(void)state;
	assert_int_equal(of_msg_frame(msg, sizeof(msg), &hdr, &msg_size),
			 OF_ERR_BAD_REQUEST_BAD_LEN);
	msg[3] = 0;
	assert_int_equal(of_msg_frame(msg, sizeof(msg), &hdr, &msg_size),
			 OF_ERR_BAD_REQUEST_BAD_LEN);
	msg[3] = 8;
	msg[0] = 0x05;
	assert_int_equal(of_msg_frame(msg, sizeof(msg), &hdr, &msg_size),
			 OF_ERR_BAD_REQUEST_BAD_VERSION);
	/* HELLO is framed in any version: it is how versions are found. */
	msg[1] = OFPT_HELLO;
	assert_int_equal(of_msg_frame(msg, sizeof(msg), &hdr, &msg_size), OF_ERR_NONE);
	assert_int_equal(msg_size, 8);
}

static void
test_of_msg_hello_round_trips(void **state)
{
	static const uint8_t bare_10[] = {0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07};
	/* Bitmap {1.0, 1.3} in two words: length 12, four bytes of padding. */
	static const uint8_t two_words[] = {
	    0x05, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x0c,
	    0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	};
	struct of_hello hello;
	uint8_t buf[64];

	(void)state;
	assert_int_equal(of_hello_decode(hello_13, sizeof(hello_13), &hello), OF_ERR_NONE);
	assert_true(hello.has_bitmap);
	assert_int_equal(hello.n_bitmaps, 1);
	assert_int_equal(hello.bitmaps[0], 0x10);
	assert_int_equal(of_hello_encode(&hello, buf, sizeof(buf)), sizeof(hello_13));
	assert_memory_equal(buf, hello_13, sizeof(hello_13));

	assert_int_equal(of_hello_decode(bare_10, sizeof(bare_10), &hello), OF_ERR_NONE);
	assert_false(hello.has_bitmap);
	assert_int_equal(hello.version, 1);
	assert_int_equal(of_hello_encode(&hello, buf, sizeof(buf)), sizeof(bare_10));
	assert_memory_equal(buf, bare_10, sizeof(bare_10));

	assert_int_equal(of_hello_decode(two_words, sizeof(two_words), &hello), OF_ERR_NONE);
	assert_int_equal(hello.n_bitmaps, 2);
	assert_int_equal(hello.bitmaps[1], 1);
	assert_int_equal(of_hello_encode(&hello, buf, sizeof(buf)), sizeof(two_words));
	assert_memory_equal(buf, two_words, sizeof(two_words));
	assert_int_equal(of_hello_encode(&hello, buf, sizeof(two_words) - 1), -ENOSPC);

	of_hello_ours(0x11223344, &hello);
	assert_int_equal(of_hello_encode(&hello, buf, sizeof(buf)), sizeof(hello_13));
	assert_memory_equal(buf, hello_13, sizeof(hello_13));
}

static void
test_of_msg_hello_skips_unknown_elements(void **state)
{
	static const uint8_t msg[] = {
	    0x04, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01, /* header */
	    0x00, 0x63, 0x00, 0x05, 0xaa, 0x00, 0x00, 0x00, /* unknown type 99, padded */
	    0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10, /* VERSIONBITMAP */
	};
	struct of_hello hello;

	(void)state;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_NONE);
	assert_true(hello.has_bitmap);
	assert_int_equal(hello.bitmaps[0], 0x10);
}

static void
test_of_msg_hello_bad_lengths_are_bad_len(void **state)
{
	uint8_t msg[sizeof(hello_13)];
	struct of_hello hello;

	(void)state;
	/* Header length disagreeing with the framed size. */
	memcpy(msg, hello_13, sizeof(msg));
	msg[3] = 0x11;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Element running past the message. */
	memcpy(msg, hello_13, sizeof(msg));
	msg[11] = 0x09;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Element shorter than its own header. */
	msg[11] = 0x03;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Bitmap not a whole number of words. */
	msg[11] = 0x07;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Bitmap with no words. */
	msg[11] = 0x04;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Padding that is not zero. */
	memcpy(msg, hello_13, sizeof(msg));
	msg[11] = 0x06;
	msg[14] = 0x00;
	msg[15] = 0x01;
	assert_int_equal(of_hello_decode(msg, sizeof(msg), &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Trailing bytes too few for an element header. */
	memcpy(msg, hello_13, sizeof(msg));
	msg[3] = 0x0b;
	assert_int_equal(of_hello_decode(msg, 11, &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
	/* Truncated below the header. */
	assert_int_equal(of_hello_decode(msg, 7, &hello), OF_ERR_BAD_REQUEST_BAD_LEN);
}

static void
test_of_msg_hello_negotiates_highest_common_version(void **state)
{
	struct of_hello hello = {0};
	uint8_t version = 0;

	(void)state;
	/* Bitmaps on both sides: highest common bit, whatever the header says. */
	hello.version = 0x06;
	hello.has_bitmap = true;
	hello.n_bitmaps = 1;
	hello.bitmaps[0] = 0x7e; /* 1.0 .. 1.5 */
	assert_int_equal(of_hello_negotiate(&hello, &version), OF_ERR_NONE);
	assert_int_equal(version, OFP_VERSION);
	hello.bitmaps[0] = 0x6e; /* everything but 1.3 */
	assert_int_equal(of_hello_negotiate(&hello, &version), OF_ERR_HELLO_FAILED_INCOMPATIBLE);
	hello.bitmaps[0] = 0;
	hello.n_bitmaps = 2;
	hello.bitmaps[1] = 1;
	assert_int_equal(of_hello_negotiate(&hello, &version), OF_ERR_HELLO_FAILED_INCOMPATIBLE);
	/* No bitmap: the smaller header version, which must be 1.3. */
	hello.has_bitmap = false;
	hello.version = 0x06;
	assert_int_equal(of_hello_negotiate(&hello, &version), OF_ERR_NONE);
	assert_int_equal(version, OFP_VERSION);
	hello.version = 0x04;
	assert_int_equal(of_hello_negotiate(&hello, &version), OF_ERR_NONE);
	hello.version = 0x01;
	assert_int_equal(of_hello_negotiate(&hello, &version), OF_ERR_HELLO_FAILED_INCOMPATIBLE);
}

static void
test_of_msg_echo_reply_keeps_xid_and_data(void **state)
{
	static const uint8_t req[] = {0x04, 0x02, 0x00, 0x0b, 0xde, 0xad,
				      0xbe, 0xef, 'a',  'b',  'c'};
	static const uint8_t reply[] = {0x04, 0x03, 0x00, 0x0b, 0xde, 0xad,
					0xbe, 0xef, 'a',  'b',  'c'};
	uint8_t buf[16];

	(void)state;
	assert_int_equal(of_echo_reply_encode(req, sizeof(req), buf, sizeof(buf)), sizeof(reply));
	assert_memory_equal(buf, reply, sizeof(reply));
	assert_int_equal(of_echo_reply_encode(req, sizeof(req), buf, 10), -ENOSPC);
	assert_int_equal(of_echo_reply_encode(req, 7, buf, sizeof(buf)), -EINVAL);
}

static void
test_of_msg_features_reply_round_trips(void **state)
{
	static const uint8_t wire[] = {
	    0x04, 0x06, 0x00, 0x20, 0x00, 0x00, 0x00, 0x2a, /* header, xid 42 */
	    0x00, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* datapath_id */
	    0x00, 0x00, 0x00, 0x00, 0xfe, 0x00, 0x00, 0x00, /* n_buffers, n_tables, aux, pad */
	    0x00, 0x00, 0x00, 0x47, 0x00, 0x00, 0x00, 0x00, /* capabilities, reserved */
	};
	struct of_features f = {
	    .datapath_id = 0x525400123456ull,
	    .n_buffers = 0,
	    .n_tables = 254,
	    .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS | OFPC_QUEUE_STATS,
	};
	struct of_features back;
	uint8_t buf[40];

	(void)state;
	assert_int_equal(of_features_reply_encode(&f, 42, buf, sizeof(buf)), sizeof(wire));
	assert_memory_equal(buf, wire, sizeof(wire));
	assert_int_equal(of_features_reply_decode(wire, sizeof(wire), &back), OF_ERR_NONE);
	assert_true(back.datapath_id == f.datapath_id);
	assert_int_equal(back.n_buffers, 0);
	assert_int_equal(back.n_tables, 254);
	assert_int_equal(back.auxiliary_id, 0);
	assert_int_equal(back.capabilities, f.capabilities);
	assert_int_equal(of_features_reply_decode(wire, sizeof(wire) - 1, &back),
			 OF_ERR_BAD_REQUEST_BAD_LEN);
	assert_int_equal(of_features_reply_encode(&f, 42, buf, 31), -ENOSPC);
}

static void
test_of_msg_barrier_reply_echoes_xid(void **state)
{
	static const uint8_t wire[] = {0x04, 0x15, 0x00, 0x08, 0x01, 0x02, 0x03, 0x04};
	uint8_t buf[8];

	(void)state;
	assert_int_equal(of_barrier_reply_encode(0x01020304, buf, sizeof(buf)), sizeof(wire));
	assert_memory_equal(buf, wire, sizeof(wire));
	assert_int_equal(of_barrier_reply_encode(1, buf, 7), -ENOSPC);
}

static void
test_of_err_encode_carries_request_head(void **state)
{
	uint8_t req[100];
	uint8_t buf[128];
	int n;

	(void)state;
	memset(req, 0x5a, sizeof(req));
	req[0] = 0x04;
	req[1] = 0x63;
	req[2] = 0x00;
	req[3] = 100;
	req[4] = 0x00;
	req[5] = 0x00;
	req[6] = 0x00;
	req[7] = 0x09;
	n = of_err_encode(OF_ERR_BAD_REQUEST_BAD_TYPE, req, sizeof(req), buf, sizeof(buf));
	assert_int_equal(n, OFP_ERROR_MSG_SIZE + OF_ERR_DATA_MAX);
	assert_int_equal(buf[0], OFP_VERSION);
	assert_int_equal(buf[1], OFPT_ERROR);
	assert_int_equal(of_get_be16(buf + 2), n);
	assert_int_equal(of_get_be32(buf + 4), 9);
	assert_int_equal(of_get_be16(buf + 8), OFPET_BAD_REQUEST);
	assert_int_equal(of_get_be16(buf + 10), OFPBRC_BAD_TYPE);
	assert_memory_equal(buf + 12, req, OF_ERR_DATA_MAX);

	n = of_err_encode(OF_ERR_BAD_MATCH_BAD_PREREQ, req, 10, buf, sizeof(buf));
	assert_int_equal(n, 22);
	assert_int_equal(of_get_be16(buf + 8), OFPET_BAD_MATCH);
	assert_int_equal(of_get_be16(buf + 10), OFPBMC_BAD_PREREQ);
	assert_int_equal(of_err_encode(OF_ERR_HELLO_FAILED_INCOMPATIBLE, NULL, 0, buf, 12), 12);
	assert_int_equal(of_get_be32(buf + 4), 0);
	assert_int_equal(of_err_encode(OF_ERR_BAD_MATCH_BAD_LEN, req, 10, buf, 21), -ENOSPC);
	assert_int_equal(of_err_encode(OF_ERR_NONE, req, 10, buf, sizeof(buf)), -EINVAL);
}

static void
test_of_err_hello_failed_carries_text(void **state)
{
	static const uint8_t wire[] = {
	    0x04, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x05, /* header, xid 5 */
	    0x00, 0x00, 0x00, 0x00, 'o',  'n',  'l',  'y',  /* HELLO_FAILED, INCOMPATIBLE */
	    '1',  '3',
	};
	uint8_t buf[32];

	(void)state;
	assert_int_equal(
	    of_err_encode_text(OF_ERR_HELLO_FAILED_INCOMPATIBLE, 5, "only13", buf, sizeof(buf)),
	    sizeof(wire));
	assert_memory_equal(buf, wire, sizeof(wire));
	assert_int_equal(of_err_encode_text(OF_ERR_HELLO_FAILED_INCOMPATIBLE, 5, "only13", buf, 17),
			 -ENOSPC);
}

static void
test_of_err_table_names_every_error(void **state)
{
	(void)state;
	assert_string_equal(of_err_name(OF_ERR_BAD_MATCH_DUP_FIELD), "OFPBMC_DUP_FIELD");
	assert_string_equal(of_err_name(OF_ERR_HELLO_FAILED_INCOMPATIBLE), "OFPHFC_INCOMPATIBLE");
	for (int e = OF_ERR_NONE + 1; e < OF_ERR_MAX; e++) {
		assert_non_null(of_err_name((enum of_err)e));
		assert_true(strncmp(of_err_name((enum of_err)e), "OFP", 3) == 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_of_msg_frame_reports_whole_message_or_need_more),
	    cmocka_unit_test(test_of_msg_frame_rejects_short_length_and_bad_version),
	    cmocka_unit_test(test_of_msg_hello_round_trips),
	    cmocka_unit_test(test_of_msg_hello_skips_unknown_elements),
	    cmocka_unit_test(test_of_msg_hello_bad_lengths_are_bad_len),
	    cmocka_unit_test(test_of_msg_hello_negotiates_highest_common_version),
	    cmocka_unit_test(test_of_msg_echo_reply_keeps_xid_and_data),
	    cmocka_unit_test(test_of_msg_features_reply_round_trips),
	    cmocka_unit_test(test_of_msg_barrier_reply_echoes_xid),
	    cmocka_unit_test(test_of_err_encode_carries_request_head),
	    cmocka_unit_test(test_of_err_hello_failed_carries_text),
	    cmocka_unit_test(test_of_err_table_names_every_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
