/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_of_switch.c - OpenFlow 1.3 switch messages (config, packet-in/out,
 * ports, port-status, port-mod, roles, async config, multipart framing,
 * reply bodies and the reply writer, flow-removed, error) from byte vectors
 * written from the 1.3.5 spec's struct layouts: each decoded, checked field
 * by field, and re-encoded to the same bytes; every truncation and
 * off-by-one length, every pad byte set, and each bad value answered with
 * the spec's error.
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

#include "protocols/openflow/of_err.h"
#include "protocols/openflow/of_switch.h"
#include "protocols/openflow/of_wire.h"

/* A decoder reduced to its verdict, so one helper can check all lengths. */
typedef enum of_err decode_fn(const uint8_t *msg, size_t size);

/* Decode a copy of 'msg' in a heap block of exactly 'size' bytes (ASan sees overreads). */
static enum of_err
decode_exact(decode_fn *dec, const uint8_t *msg, size_t size, size_t header_len)
{
	uint8_t *copy = malloc(size > 0 ? size : 1);
	enum of_err err;

	assert_non_null(copy);
	if (size > 0) {
		memcpy(copy, msg, size);
	}
	if (size >= 4) {
		of_put_be16(copy + 2, (uint16_t)header_len);
	}
	err = dec(copy, size);
	free(copy);
	return err;
}

/*
 * Check every length around the valid 'msg' ('size' bytes): each truncation
 * fails (BAD_LEN, or the match's BAD_LEN) unless the header agrees and it
 * keeps at least 'min_ok' bytes; a header length that disagrees with the
 * size by one either way fails; one byte more succeeds only when
 * 'longer_ok'. With 'is_msg' false, 'msg' is an entry without a header.
 */
static void
check_lengths(decode_fn *dec, const uint8_t *msg, size_t size, size_t min_ok, bool longer_ok,
	      bool is_msg)
{
	uint8_t *longer = calloc(1, size + 1);
	enum of_err err;

	assert_non_null(longer);
	assert_int_equal(decode_exact(dec, msg, size, is_msg ? size : of_get_be16(msg + 2)),
			 OF_ERR_NONE);
	for (size_t n = 0; n < size; n++) {
		if (is_msg) {
			assert_int_equal(decode_exact(dec, msg, n, size),
					 OF_ERR_BAD_REQUEST_BAD_LEN);
		}
		err = decode_exact(dec, msg, n, is_msg ? n : of_get_be16(msg + 2));
		if (n < min_ok) {
			assert_true(err == OF_ERR_BAD_REQUEST_BAD_LEN ||
				    err == OF_ERR_BAD_MATCH_BAD_LEN);
		} else {
			assert_int_equal(err, OF_ERR_NONE);
		}
	}
	memcpy(longer, msg, size);
	err = decode_exact(dec, longer, size + 1, is_msg ? size + 1 : of_get_be16(msg + 2));
	assert_int_equal(err, longer_ok ? OF_ERR_NONE : OF_ERR_BAD_REQUEST_BAD_LEN);
	if (is_msg) {
		assert_int_equal(decode_exact(dec, msg, size, size - 1),
				 OF_ERR_BAD_REQUEST_BAD_LEN);
		assert_int_equal(decode_exact(dec, msg, size, size + 1),
				 OF_ERR_BAD_REQUEST_BAD_LEN);
	}
	free(longer);
}

/* Set each byte of 'msg' in [off, off + n) in turn: each must give 'want'. */
static void
check_pad(decode_fn *dec, const uint8_t *msg, size_t size, size_t off, size_t n, enum of_err want)
{
	uint8_t *copy = malloc(size);

	assert_non_null(copy);
	for (size_t i = off; i < off + n; i++) {
		memcpy(copy, msg, size);
		copy[i] = 0x01;
		assert_int_equal(dec(copy, size), want);
	}
	free(copy);
}

static enum of_err
dec_empty(const uint8_t *m, size_t n)
{
	return of_empty_msg_decode(m, n);
}

static enum of_err
dec_switch_config(const uint8_t *m, size_t n)
{
	struct of_switch_config c;

	return of_switch_config_decode(m, n, &c);
}

static enum of_err
dec_packet_in(const uint8_t *m, size_t n)
{
	struct of_packet_in p;

	return of_packet_in_decode(m, n, &p);
}

static enum of_err
dec_packet_out(const uint8_t *m, size_t n)
{
	struct of_packet_out p;

	return of_packet_out_decode(m, n, &p);
}

static enum of_err
dec_port(const uint8_t *m, size_t n)
{
	struct of_port p;

	return of_port_decode(m, n, &p);
}

static enum of_err
dec_port_status(const uint8_t *m, size_t n)
{
	struct of_port_status p;

	return of_port_status_decode(m, n, &p);
}

static enum of_err
dec_port_mod(const uint8_t *m, size_t n)
{
	struct of_port_mod p;

	return of_port_mod_decode(m, n, &p);
}

static enum of_err
dec_role(const uint8_t *m, size_t n)
{
	struct of_role r;

	return of_role_decode(m, n, &r);
}

static enum of_err
dec_async(const uint8_t *m, size_t n)
{
	struct of_async_config a;

	return of_async_decode(m, n, &a);
}

static enum of_err
dec_mp_request(const uint8_t *m, size_t n)
{
	struct of_mp_request r;

	return of_mp_request_decode(m, n, &r);
}

static enum of_err
dec_port_stats_request(const uint8_t *m, size_t n)
{
	struct of_mp_request r;
	uint32_t port_no;
	enum of_err err = of_mp_request_decode(m, n, &r);

	return err != OF_ERR_NONE ? err : of_port_stats_request_decode(&r, &port_no);
}

static enum of_err
dec_queue_request(const uint8_t *m, size_t n)
{
	struct of_mp_request r;
	uint32_t port_no, queue_id;
	enum of_err err = of_mp_request_decode(m, n, &r);

	return err != OF_ERR_NONE ? err : of_queue_stats_request_decode(&r, &port_no, &queue_id);
}

static enum of_err
dec_mp_reply(const uint8_t *m, size_t n)
{
	struct of_mp_reply r;

	return of_mp_reply_decode(m, n, &r);
}

static enum of_err
dec_aggregate(const uint8_t *m, size_t n)
{
	struct of_aggregate_stats a;

	return of_aggregate_stats_decode(m, n, &a);
}

static enum of_err
dec_table_stats(const uint8_t *m, size_t n)
{
	struct of_table_stats t;

	return of_table_stats_decode(m, n, &t);
}

static enum of_err
dec_port_stats(const uint8_t *m, size_t n)
{
	struct of_port_stats p;

	return of_port_stats_decode(m, n, &p);
}

static enum of_err
dec_desc(const uint8_t *m, size_t n)
{
	struct of_desc d;

	return of_desc_decode(m, n, &d);
}

static enum of_err
dec_flow_removed(const uint8_t *m, size_t n)
{
	struct of_flow_removed f;

	return of_flow_removed_decode(m, n, &f);
}

static enum of_err
dec_error(const uint8_t *m, size_t n)
{
	struct of_error e;

	return of_error_decode(m, n, &e);
}

/* ------------------------------------------------------------------ */
/* Switch configuration [7.3.2]. */

/* SET_CONFIG, xid 1: flags OFPC_FRAG_REASM, miss_send_len 128. */
static const uint8_t set_config[] = {
    0x04, 0x09, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, /* header */
    0x00, 0x02, 0x00, 0x80,                         /* flags, miss_send_len */
};

static void
test_of_switch_get_config_request_is_bare_header(void **state)
{
	static const uint8_t wire[] = {0x04, 0x07, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef};
	uint8_t buf[16];

	(void)state;
	assert_int_equal(of_get_config_request_encode(0xdeadbeef, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, wire, sizeof(wire));
	assert_int_equal(of_get_config_request_encode(1, buf, 7), -ENOSPC);
	check_lengths(dec_empty, wire, sizeof(wire), 8, false, true);
}

static void
test_of_switch_config_round_trips(void **state)
{
	struct of_switch_config cfg;
	uint8_t buf[16];

	(void)state;
	assert_int_equal(of_switch_config_decode(set_config, sizeof(set_config), &cfg),
			 OF_ERR_NONE);
	assert_int_equal(cfg.flags, OFPC_FRAG_REASM);
	assert_int_equal(cfg.miss_send_len, 128);
	assert_int_equal(of_switch_config_encode(OFPT_SET_CONFIG, 1, &cfg, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, set_config, sizeof(set_config));
	assert_int_equal(of_switch_config_encode(OFPT_GET_CONFIG_REPLY, 1, &cfg, buf, sizeof(buf)),
			 12);
	assert_int_equal(buf[1], OFPT_GET_CONFIG_REPLY);
	assert_memory_equal(buf + 2, set_config + 2, sizeof(set_config) - 2);
	assert_int_equal(of_switch_config_encode(OFPT_SET_CONFIG, 1, &cfg, buf, 11), -ENOSPC);
	assert_int_equal(of_switch_config_encode(OFPT_HELLO, 1, &cfg, buf, sizeof(buf)), -EINVAL);
}

static void
test_of_switch_config_rejects_bad_len_and_flags(void **state)
{
	uint8_t msg[sizeof(set_config)];
	struct of_switch_config cfg;

	(void)state;
	check_lengths(dec_switch_config, set_config, sizeof(set_config), 12, false, true);
	memcpy(msg, set_config, sizeof(msg));
	for (unsigned bit = 2; bit < 16; bit++) {
		of_put_be16(msg + 8, (uint16_t)(1u << bit | OFPC_FRAG_DROP));
		assert_int_equal(of_switch_config_decode(msg, sizeof(msg), &cfg),
				 OF_ERR_SWITCH_CONFIG_FAILED_BAD_FLAGS);
	}
	of_put_be16(msg + 8, OFPC_FRAG_MASK);
	assert_int_equal(of_switch_config_decode(msg, sizeof(msg), &cfg), OF_ERR_NONE);
}

/* ------------------------------------------------------------------ */
/* PACKET_IN [7.4.1]. */

/* An Ethernet frame head: broadcast dst, src 02:00:00:00:00:01, ARP, 2 bytes. */
static const uint8_t frame[16] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x01,
};

/* PACKET_IN xid 7, no buffer, total_len 60, NO_MATCH, table 3, cookie
 * 0x0102030405060708, match in_port 5, metadata 0xaa..., tunnel_id 100. */
static const uint8_t packet_in_full[] = {
    0x04, 0x0a, 0x00, 0x52, 0x00, 0x00, 0x00, 0x07, /* header, 82 bytes */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x3c, 0x00, 0x03, /* buffer_id, total_len, reason, table */
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* cookie */
    0x00, 0x01, 0x00, 0x24,                         /* OFPMT_OXM, length 36 */
    0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05, /* in_port 5 */
    0x80, 0x00, 0x04, 0x08, 0xaa, 0xbb, 0xcc, 0xdd, /* metadata */
    0x11, 0x22, 0x33, 0x44,                         /* ... */
    0x80, 0x00, 0x4c, 0x08, 0x00, 0x00, 0x00, 0x00, /* tunnel_id 100 */
    0x00, 0x00, 0x00, 0x64,                         /* ... */
    0x00, 0x00, 0x00, 0x00,                         /* match padding */
    0x00, 0x00,                                     /* pad[2] */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, /* data */
    0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x01,
};

/* PACKET_IN xid 8, ACTION, table 0, cookie 0, match in_port 0xfffffffe only. */
static const uint8_t packet_in_port_only[] = {
    0x04, 0x0a, 0x00, 0x3a, 0x00, 0x00, 0x00, 0x08, /* header, 58 bytes */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x10, 0x01, 0x00, /* buffer_id, total_len 16, reason, table */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* cookie */
    0x00, 0x01, 0x00, 0x0c,                         /* OFPMT_OXM, length 12 */
    0x80, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xfe, /* in_port LOCAL */
    0x00, 0x00, 0x00, 0x00,                         /* match padding */
    0x00, 0x00,                                     /* pad[2] */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, /* data */
    0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x01,
};

static void
test_of_switch_packet_in_round_trips(void **state)
{
	struct of_packet_in pin;
	uint8_t buf[128];

	(void)state;
	assert_int_equal(of_packet_in_decode(packet_in_full, sizeof(packet_in_full), &pin),
			 OF_ERR_NONE);
	assert_int_equal(pin.buffer_id, OFP_NO_BUFFER);
	assert_int_equal(pin.total_len, 60);
	assert_int_equal(pin.reason, OFPR_NO_MATCH);
	assert_int_equal(pin.table_id, 3);
	assert_true(pin.cookie == 0x0102030405060708ull);
	assert_int_equal(pin.match.n_fields, 3);
	assert_int_equal(pin.match.value.in_port, 5);
	assert_true(pin.match.value.metadata == 0xaabbccdd11223344ull);
	assert_true(pin.match.value.tunnel_id == 100);
	assert_ptr_equal(pin.data, packet_in_full + 66);
	assert_int_equal(pin.data_size, sizeof(frame));
	assert_int_equal(of_packet_in_encode(&pin, 7, buf, sizeof(buf)), sizeof(packet_in_full));
	assert_memory_equal(buf, packet_in_full, sizeof(packet_in_full));
	assert_int_equal(of_packet_in_encode(&pin, 7, buf, sizeof(packet_in_full) - 1), -ENOSPC);

	assert_int_equal(
	    of_packet_in_decode(packet_in_port_only, sizeof(packet_in_port_only), &pin),
	    OF_ERR_NONE);
	assert_int_equal(pin.match.n_fields, 1);
	assert_int_equal(pin.match.value.in_port, OFPP_LOCAL);
	assert_int_equal(of_packet_in_encode(&pin, 8, buf, sizeof(buf)),
			 sizeof(packet_in_port_only));
	assert_memory_equal(buf, packet_in_port_only, sizeof(packet_in_port_only));
}

static void
test_of_switch_packet_in_simple_builds_ovs_match(void **state)
{
	uint8_t buf[128];

	(void)state;
	assert_int_equal(of_packet_in_encode_simple(7, OFPR_NO_MATCH, 3, 0x0102030405060708ull, 5,
						    0xaabbccdd11223344ull, 100, frame,
						    sizeof(frame), 60, buf, sizeof(buf)),
			 sizeof(packet_in_full));
	assert_memory_equal(buf, packet_in_full, sizeof(packet_in_full));
	assert_int_equal(of_packet_in_encode_simple(8, OFPR_ACTION, 0, 0, OFPP_LOCAL, 0, 0, frame,
						    sizeof(frame), 16, buf, sizeof(buf)),
			 sizeof(packet_in_port_only));
	assert_memory_equal(buf, packet_in_port_only, sizeof(packet_in_port_only));
	assert_int_equal(of_packet_in_encode_simple(8, OFPR_ACTION, 0, 0, OFPP_LOCAL, 0, 0, frame,
						    sizeof(frame), 16, buf,
						    sizeof(packet_in_port_only) - 1),
			 -ENOSPC);
	/* A frame that would push the message over 65535 bytes is refused. */
	assert_int_equal(
	    of_packet_in_encode_simple(8, OFPR_ACTION, 0, 0, 1, 0, 0, frame, 65535, 16, buf, 70000),
	    -ENOSPC);
}

static void
test_of_switch_packet_in_rejects_bad_lengths(void **state)
{
	(void)state;
	/* Data may be cut anywhere; the fixed part, match and pad may not. */
	check_lengths(dec_packet_in, packet_in_full, sizeof(packet_in_full), 66, true, true);
	check_lengths(dec_packet_in, packet_in_port_only, sizeof(packet_in_port_only), 42, true,
		      true);
	check_pad(dec_packet_in, packet_in_full, sizeof(packet_in_full), 64, 2,
		  OF_ERR_BAD_REQUEST_BAD_LEN);
	check_pad(dec_packet_in, packet_in_full, sizeof(packet_in_full), 60, 4,
		  OF_ERR_BAD_MATCH_BAD_LEN);
}

/* ------------------------------------------------------------------ */
/* PACKET_OUT [7.3.7]. */

/* PACKET_OUT xid 9, no buffer, in_port CONTROLLER, output:1 max_len 0xffe5, data. */
static const uint8_t packet_out[] = {
    0x04, 0x0d, 0x00, 0x38, 0x00, 0x00, 0x00, 0x09, /* header, 56 bytes */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd, /* buffer_id, in_port */
    0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* actions_len 16, pad[6] */
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, /* OFPAT_OUTPUT, len 16, port 1 */
    0xff, 0xe5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* max_len, pad[6] */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, /* data */
    0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x01,
};

static void
test_of_switch_packet_out_round_trips(void **state)
{
	struct of_packet_out po;
	uint8_t buf[64];

	(void)state;
	assert_int_equal(of_packet_out_decode(packet_out, sizeof(packet_out), &po), OF_ERR_NONE);
	assert_int_equal(po.buffer_id, OFP_NO_BUFFER);
	assert_int_equal(po.in_port, OFPP_CONTROLLER);
	assert_ptr_equal(po.actions, packet_out + 24);
	assert_int_equal(po.actions_size, 16);
	assert_ptr_equal(po.data, packet_out + 40);
	assert_int_equal(po.data_size, 16);
	assert_int_equal(of_packet_out_encode(&po, 9, buf, sizeof(buf)), sizeof(packet_out));
	assert_memory_equal(buf, packet_out, sizeof(packet_out));
	assert_int_equal(of_packet_out_encode(&po, 9, buf, sizeof(packet_out) - 1), -ENOSPC);
	po.actions_size = 12;
	assert_int_equal(of_packet_out_encode(&po, 9, buf, sizeof(buf)), -EINVAL);
}

static void
test_of_switch_packet_out_rejects_bad_lengths(void **state)
{
	uint8_t msg[sizeof(packet_out)];

	(void)state;
	check_lengths(dec_packet_out, packet_out, sizeof(packet_out), 40, true, true);
	check_pad(dec_packet_out, packet_out, sizeof(packet_out), 18, 6,
		  OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(msg, packet_out, sizeof(msg));
	for (uint16_t len = 1; len < 64; len++) {
		of_put_be16(msg + 16, len);
		/* Only whole 8-byte units that stay inside the message are accepted. */
		assert_int_equal(dec_packet_out(msg, sizeof(msg)),
				 len % 8 == 0 && len <= 32 ? OF_ERR_NONE
							   : OF_ERR_BAD_REQUEST_BAD_LEN);
	}
	of_put_be16(msg + 16, 0xfff8);
	assert_int_equal(dec_packet_out(msg, sizeof(msg)), OF_ERR_BAD_REQUEST_BAD_LEN);
}

static void
test_of_switch_packet_out_checks_port_and_buffer(void **state)
{
	static const uint32_t good[] = {1, 2, OFPP_MAX, OFPP_CONTROLLER, OFPP_LOCAL, OFPP_ANY};
	static const uint32_t bad[] = {0,           OFPP_MAX + 1, OFPP_IN_PORT, OFPP_TABLE,
				       OFPP_NORMAL, OFPP_FLOOD,   OFPP_ALL};
	uint8_t msg[sizeof(packet_out)];
	struct of_packet_out po;

	(void)state;
	memcpy(msg, packet_out, sizeof(msg));
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		of_put_be32(msg + 12, good[i]);
		assert_int_equal(of_packet_out_decode(msg, sizeof(msg), &po), OF_ERR_NONE);
		assert_int_equal(po.in_port, good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		of_put_be32(msg + 12, bad[i]);
		assert_int_equal(of_packet_out_decode(msg, sizeof(msg), &po),
				 OF_ERR_BAD_REQUEST_BAD_PORT);
	}
	of_put_be32(msg + 12, 1);
	of_put_be32(msg + 8, 0);
	assert_int_equal(of_packet_out_decode(msg, sizeof(msg), &po),
			 OF_ERR_BAD_REQUEST_BUFFER_UNKNOWN);
	of_put_be32(msg + 8, 0x1234);
	assert_int_equal(of_packet_out_decode(msg, sizeof(msg), &po),
			 OF_ERR_BAD_REQUEST_BUFFER_UNKNOWN);
}

/* ------------------------------------------------------------------ */
/* Ports [7.2.1], PORT_STATUS [7.4.3], PORT_MOD [7.3.4.3]. */

/* Port 3 "vm-eth0", MAC 52:54:00:12:34:56, up, 10G copper, 10 Gb/s. */
static const uint8_t port_vm[64] = {
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, /* port_no, pad[4] */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x00, /* hw_addr, pad[2] */
    'v',  'm',  '-',  'e',  't',  'h',  '0',  0x00, /* name[16] */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x04, /* config NO_PACKET_IN, state LIVE */
    0x00, 0x00, 0x08, 0x40, 0x00, 0x00, 0x28, 0x40, /* curr, advertised */
    0x00, 0x00, 0x28, 0x60, 0x00, 0x00, 0x00, 0x00, /* supported, peer */
    0x00, 0x98, 0x96, 0x80, 0x02, 0x62, 0x5a, 0x00, /* curr_speed 10e6, max_speed 40e6 */
};

static void
test_of_switch_port_round_trips(void **state)
{
	struct of_port port;
	uint8_t buf[64];

	(void)state;
	assert_int_equal(of_port_decode(port_vm, sizeof(port_vm), &port), OF_ERR_NONE);
	assert_int_equal(port.port_no, 3);
	assert_memory_equal(port.hw_addr, port_vm + 8, 6);
	assert_string_equal(port.name, "vm-eth0");
	assert_int_equal(port.config, OFPPC_NO_PACKET_IN);
	assert_int_equal(port.state, OFPPS_LIVE);
	assert_int_equal(port.curr, OFPPF_10GB_FD | OFPPF_COPPER);
	assert_int_equal(port.advertised, OFPPF_10GB_FD | OFPPF_COPPER | OFPPF_AUTONEG);
	assert_int_equal(port.supported,
			 OFPPF_1GB_FD | OFPPF_10GB_FD | OFPPF_COPPER | OFPPF_AUTONEG);
	assert_int_equal(port.peer, 0);
	assert_int_equal(port.curr_speed, 10000000);
	assert_int_equal(port.max_speed, 40000000);
	assert_int_equal(of_port_encode(&port, buf, sizeof(buf)), 64);
	assert_memory_equal(buf, port_vm, sizeof(port_vm));
	assert_int_equal(of_port_encode(&port, buf, 63), -ENOSPC);
	check_lengths(dec_port, port_vm, sizeof(port_vm), 64, false, false);
	check_pad(dec_port, port_vm, sizeof(port_vm), 4, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
	check_pad(dec_port, port_vm, sizeof(port_vm), 14, 2, OF_ERR_BAD_REQUEST_BAD_LEN);
}

static void
test_of_switch_port_name_is_cut_to_15_chars(void **state)
{
	struct of_port port = {0};
	uint8_t buf[64], wire[64];

	(void)state;
	memcpy(port.name, "abcdefghijklmnop", 16); /* 16 chars, no NUL */
	assert_int_equal(of_port_encode(&port, buf, sizeof(buf)), 64);
	assert_memory_equal(buf + 16, "abcdefghijklmno\0", 16);
	/* A wire name with no NUL decodes to its first 15 chars. */
	memcpy(wire, port_vm, sizeof(wire));
	memcpy(wire + 16, "ABCDEFGHIJKLMNOP", 16);
	assert_int_equal(of_port_decode(wire, sizeof(wire), &port), OF_ERR_NONE);
	assert_string_equal(port.name, "ABCDEFGHIJKLMNO");
	/* Bytes after the NUL are not carried over. */
	memset(&port, 0, sizeof(port));
	strcpy(port.name, "ab");
	port.name[5] = 'x';
	assert_int_equal(of_port_encode(&port, buf, sizeof(buf)), 64);
	assert_true(of_is_zero(buf + 18, 14));
}

static void
test_of_switch_port_status_round_trips(void **state)
{
	uint8_t wire[80] = {
	    0x04, 0x0c, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, /* header, 80 bytes */
	    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* OFPPR_MODIFY, pad[7] */
	};
	struct of_port_status ps;
	uint8_t buf[80];

	(void)state;
	memcpy(wire + 16, port_vm, sizeof(port_vm));
	assert_int_equal(of_port_status_decode(wire, sizeof(wire), &ps), OF_ERR_NONE);
	assert_int_equal(ps.reason, OFPPR_MODIFY);
	assert_int_equal(ps.desc.port_no, 3);
	assert_string_equal(ps.desc.name, "vm-eth0");
	assert_int_equal(of_port_status_encode(&ps, 0, buf, sizeof(buf)), 80);
	assert_memory_equal(buf, wire, sizeof(wire));
	assert_int_equal(of_port_status_encode(&ps, 0, buf, 79), -ENOSPC);
	check_lengths(dec_port_status, wire, sizeof(wire), 80, false, true);
	check_pad(dec_port_status, wire, sizeof(wire), 9, 7, OF_ERR_BAD_REQUEST_BAD_LEN);
	check_pad(dec_port_status, wire, sizeof(wire), 20, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
	check_pad(dec_port_status, wire, sizeof(wire), 30, 2, OF_ERR_BAD_REQUEST_BAD_LEN);
}

/* PORT_MOD xid 0x10, port 3, MAC 52:54:00:12:34:56, set PORT_DOWN, advertise 0. */
static const uint8_t port_mod[] = {
    0x04, 0x10, 0x00, 0x28, 0x00, 0x00, 0x00, 0x10, /* header, 40 bytes */
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, /* port_no, pad[4] */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x00, /* hw_addr, pad[2] */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x65, /* config, mask (all 4 bits) */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* advertise, pad[4] */
};

static void
test_of_switch_port_mod_round_trips(void **state)
{
	struct of_port_mod pm;
	uint8_t buf[40];

	(void)state;
	assert_int_equal(of_port_mod_decode(port_mod, sizeof(port_mod), &pm), OF_ERR_NONE);
	assert_int_equal(pm.port_no, 3);
	assert_memory_equal(pm.hw_addr, port_mod + 16, 6);
	assert_int_equal(pm.config, OFPPC_PORT_DOWN);
	assert_int_equal(pm.mask,
			 OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD | OFPPC_NO_PACKET_IN);
	assert_int_equal(pm.advertise, 0);
	assert_int_equal(of_port_mod_encode(&pm, 0x10, buf, sizeof(buf)), 40);
	assert_memory_equal(buf, port_mod, sizeof(port_mod));
	assert_int_equal(of_port_mod_encode(&pm, 0x10, buf, 39), -ENOSPC);
}

static void
test_of_switch_port_mod_rejects_bad_len_and_config(void **state)
{
	uint8_t msg[sizeof(port_mod)];
	struct of_port_mod pm;

	(void)state;
	check_lengths(dec_port_mod, port_mod, sizeof(port_mod), 40, false, true);
	check_pad(dec_port_mod, port_mod, sizeof(port_mod), 12, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
	check_pad(dec_port_mod, port_mod, sizeof(port_mod), 22, 2, OF_ERR_BAD_REQUEST_BAD_LEN);
	check_pad(dec_port_mod, port_mod, sizeof(port_mod), 36, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
	for (unsigned bit = 0; bit < 32; bit++) {
		bool defined = bit == 0 || bit == 2 || bit == 5 || bit == 6;

		memcpy(msg, port_mod, sizeof(msg));
		of_put_be32(msg + 24, 1u << bit);
		assert_int_equal(of_port_mod_decode(msg, sizeof(msg), &pm),
				 defined ? OF_ERR_NONE : OF_ERR_PORT_MOD_FAILED_BAD_CONFIG);
		memcpy(msg, port_mod, sizeof(msg));
		of_put_be32(msg + 28, 1u << bit);
		assert_int_equal(of_port_mod_decode(msg, sizeof(msg), &pm),
				 defined ? OF_ERR_NONE : OF_ERR_PORT_MOD_FAILED_BAD_CONFIG);
	}
}

/* ------------------------------------------------------------------ */
/* Roles [7.3.9] and asynchronous configuration [7.3.10]. */

/* ROLE_REQUEST xid 0x20, MASTER, generation_id 0x0000000100000002. */
static const uint8_t role_request[] = {
    0x04, 0x18, 0x00, 0x18, 0x00, 0x00, 0x00, 0x20, /* header, 24 bytes */
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, /* role, pad[4] */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, /* generation_id */
};

static void
test_of_switch_role_round_trips(void **state)
{
	struct of_role role;
	uint8_t buf[24];

	(void)state;
	assert_int_equal(of_role_decode(role_request, sizeof(role_request), &role), OF_ERR_NONE);
	assert_int_equal(role.role, OFPCR_ROLE_MASTER);
	assert_true(role.generation_id == 0x0000000100000002ull);
	assert_int_equal(of_role_encode(OFPT_ROLE_REQUEST, 0x20, &role, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, role_request, sizeof(role_request));
	assert_int_equal(of_role_encode(OFPT_ROLE_REPLY, 0x20, &role, buf, sizeof(buf)), 24);
	assert_int_equal(buf[1], OFPT_ROLE_REPLY);
	assert_memory_equal(buf + 2, role_request + 2, sizeof(role_request) - 2);
	assert_int_equal(of_role_encode(OFPT_ROLE_REPLY, 0x20, &role, buf, 23), -ENOSPC);
	assert_int_equal(of_role_encode(OFPT_SET_ASYNC, 0x20, &role, buf, sizeof(buf)), -EINVAL);
}

static void
test_of_switch_role_rejects_bad_len_and_role(void **state)
{
	uint8_t msg[sizeof(role_request)];
	struct of_role role;

	(void)state;
	check_lengths(dec_role, role_request, sizeof(role_request), 24, false, true);
	check_pad(dec_role, role_request, sizeof(role_request), 12, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
	memcpy(msg, role_request, sizeof(msg));
	for (uint32_t r = 0; r <= 3; r++) {
		of_put_be32(msg + 8, r);
		assert_int_equal(of_role_decode(msg, sizeof(msg), &role), OF_ERR_NONE);
	}
	of_put_be32(msg + 8, 4);
	assert_int_equal(of_role_decode(msg, sizeof(msg), &role),
			 OF_ERR_ROLE_REQUEST_FAILED_BAD_ROLE);
	of_put_be32(msg + 8, 0xffffffff);
	assert_int_equal(of_role_decode(msg, sizeof(msg), &role),
			 OF_ERR_ROLE_REQUEST_FAILED_BAD_ROLE);
}

static void
test_of_switch_async_round_trips(void **state)
{
	/* SET_ASYNC xid 0x30; the spec's defaults: master gets all packet-ins
	 * and flow-removeds, everyone gets port-status. */
	static const uint8_t set_async[] = {
	    0x04, 0x1c, 0x00, 0x20, 0x00, 0x00, 0x00, 0x30, /* header, 32 bytes */
	    0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, /* packet_in_mask[2] */
	    0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x07, /* port_status_mask[2] */
	    0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, /* flow_removed_mask[2] */
	};
	struct of_async_config cfg;
	uint8_t buf[32];

	(void)state;
	assert_int_equal(of_async_decode(set_async, sizeof(set_async), &cfg), OF_ERR_NONE);
	assert_int_equal(cfg.packet_in_mask[0], 7);
	assert_int_equal(cfg.packet_in_mask[1], 0);
	assert_int_equal(cfg.port_status_mask[0], 7);
	assert_int_equal(cfg.port_status_mask[1], 7);
	assert_int_equal(cfg.flow_removed_mask[0], 15);
	assert_int_equal(cfg.flow_removed_mask[1], 0);
	assert_int_equal(of_async_encode(OFPT_SET_ASYNC, 0x30, &cfg, buf, sizeof(buf)), 32);
	assert_memory_equal(buf, set_async, sizeof(set_async));
	assert_int_equal(of_async_encode(OFPT_GET_ASYNC_REPLY, 0x30, &cfg, buf, sizeof(buf)), 32);
	assert_int_equal(buf[1], OFPT_GET_ASYNC_REPLY);
	assert_memory_equal(buf + 2, set_async + 2, sizeof(set_async) - 2);
	assert_int_equal(of_async_encode(OFPT_SET_ASYNC, 0x30, &cfg, buf, 31), -ENOSPC);
	assert_int_equal(of_async_encode(OFPT_ROLE_REPLY, 0x30, &cfg, buf, sizeof(buf)), -EINVAL);
	check_lengths(dec_async, set_async, sizeof(set_async), 32, false, true);
}

/* ------------------------------------------------------------------ */
/* Multipart framing and request bodies [7.3.5]. */

/* MULTIPART_REQUEST xid 0x40, OFPMP_DESC, no flags, no body. */
static const uint8_t desc_request[] = {
    0x04, 0x12, 0x00, 0x10, 0x00, 0x00, 0x00, 0x40, /* header, 16 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* type, flags, pad[4] */
};

/* MULTIPART_REQUEST xid 0x41, OFPMP_PORT_STATS for OFPP_ANY. */
static const uint8_t port_stats_request[] = {
    0x04, 0x12, 0x00, 0x18, 0x00, 0x00, 0x00, 0x41, /* header, 24 bytes */
    0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* type, flags, pad[4] */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* port_no, pad[4] */
};

/* MULTIPART_REQUEST xid 0x42, OFPMP_QUEUE, port 1, OFPQ_ALL. */
static const uint8_t queue_request[] = {
    0x04, 0x12, 0x00, 0x18, 0x00, 0x00, 0x00, 0x42, /* header, 24 bytes */
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* type, flags, pad[4] */
    0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, /* port_no, queue_id */
};

static void
test_of_switch_mp_request_round_trips(void **state)
{
	struct of_mp_request req;
	uint32_t port_no = 0, queue_id = 0;
	uint8_t buf[32];

	(void)state;
	assert_int_equal(of_mp_request_decode(desc_request, sizeof(desc_request), &req),
			 OF_ERR_NONE);
	assert_int_equal(req.type, OFPMP_DESC);
	assert_int_equal(req.flags, 0);
	assert_int_equal(req.body_size, 0);
	assert_int_equal(of_mp_request_encode(&req, 0x40, buf, sizeof(buf)), 16);
	assert_memory_equal(buf, desc_request, sizeof(desc_request));
	assert_int_equal(of_mp_request_encode(&req, 0x40, buf, 15), -ENOSPC);

	assert_int_equal(of_mp_request_decode(port_stats_request, sizeof(port_stats_request), &req),
			 OF_ERR_NONE);
	assert_int_equal(req.type, OFPMP_PORT_STATS);
	assert_ptr_equal(req.body, port_stats_request + 16);
	assert_int_equal(req.body_size, 8);
	assert_int_equal(of_port_stats_request_decode(&req, &port_no), OF_ERR_NONE);
	assert_int_equal(port_no, OFPP_ANY);
	assert_int_equal(of_mp_request_encode(&req, 0x41, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, port_stats_request, sizeof(port_stats_request));

	assert_int_equal(of_mp_request_decode(queue_request, sizeof(queue_request), &req),
			 OF_ERR_NONE);
	assert_int_equal(of_queue_stats_request_decode(&req, &port_no, &queue_id), OF_ERR_NONE);
	assert_int_equal(port_no, 1);
	assert_int_equal(queue_id, 0xffffffff);
	assert_int_equal(of_mp_request_encode(&req, 0x42, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, queue_request, sizeof(queue_request));
}

static void
test_of_switch_mp_request_rejects_bad_lengths(void **state)
{
	static const uint16_t empty_types[] = {OFPMP_DESC, OFPMP_TABLE, OFPMP_PORT_DESC,
					       OFPMP_GROUP_FEATURES, OFPMP_METER_FEATURES};
	uint8_t msg[24];
	struct of_mp_request req;

	(void)state;
	check_lengths(dec_mp_request, desc_request, sizeof(desc_request), 16, false, true);
	check_pad(dec_mp_request, desc_request, sizeof(desc_request), 12, 4,
		  OF_ERR_BAD_REQUEST_BAD_LEN);
	check_lengths(dec_port_stats_request, port_stats_request, sizeof(port_stats_request), 24,
		      false, true);
	check_pad(dec_port_stats_request, port_stats_request, sizeof(port_stats_request), 20, 4,
		  OF_ERR_BAD_REQUEST_BAD_LEN);
	check_lengths(dec_queue_request, queue_request, sizeof(queue_request), 24, false, true);
	/* Requests with no body refuse one; others leave the body to their decoders. */
	memcpy(msg, port_stats_request, sizeof(msg));
	for (size_t i = 0; i < sizeof(empty_types) / sizeof(empty_types[0]); i++) {
		of_put_be16(msg + 8, empty_types[i]);
		assert_int_equal(of_mp_request_decode(msg, sizeof(msg), &req),
				 OF_ERR_BAD_REQUEST_BAD_LEN);
	}
	of_put_be16(msg + 8, OFPMP_FLOW);
	assert_int_equal(of_mp_request_decode(msg, sizeof(msg), &req), OF_ERR_NONE);
	of_put_be16(msg + 8, OFPMP_EXPERIMENTER);
	of_put_be16(msg + 10, OFPMPF_REQ_MORE);
	assert_int_equal(of_mp_request_decode(msg, sizeof(msg), &req), OF_ERR_NONE);
	assert_int_equal(req.type, OFPMP_EXPERIMENTER);
	assert_int_equal(req.flags, OFPMPF_REQ_MORE);
}

/* ------------------------------------------------------------------ */
/* Multipart reply bodies [7.3.5.1-7.3.5.7]. */

static void
test_of_switch_desc_reply_round_trips(void **state)
{
	uint8_t *wire = calloc(1, 16 + OF_DESC_SIZE);
	uint8_t *buf = calloc(1, 16 + OF_DESC_SIZE);
	struct of_mp_reply rep;
	struct of_desc desc;

	(void)state;
	assert_non_null(wire);
	assert_non_null(buf);
	/* Header: MULTIPART_REPLY, 1072 bytes, xid 0x40, OFPMP_DESC; strings at
	 * the spec's offsets 0, 256, 512, 768 (serial_num[32]) and 800. */
	memcpy(wire, "\x04\x13\x04\x30\x00\x00\x00\x40", 8);
	memcpy(wire + 16, "Vireo Project", 13);
	memcpy(wire + 16 + 256, "None", 4);
	memcpy(wire + 16 + 512, "vireo 0.1", 9);
	memcpy(wire + 16 + 768, "0123456789abcdef0123456789abcde", 31);
	memcpy(wire + 16 + 800, "br0", 3);
	assert_int_equal(of_mp_reply_decode(wire, 16 + OF_DESC_SIZE, &rep), OF_ERR_NONE);
	assert_int_equal(rep.type, OFPMP_DESC);
	assert_int_equal(rep.flags, 0);
	assert_int_equal(of_desc_decode(rep.body, rep.body_size, &desc), OF_ERR_NONE);
	assert_string_equal(desc.mfr_desc, "Vireo Project");
	assert_string_equal(desc.hw_desc, "None");
	assert_string_equal(desc.sw_desc, "vireo 0.1");
	assert_string_equal(desc.serial_num, "0123456789abcdef0123456789abcde");
	assert_string_equal(desc.dp_desc, "br0");
	assert_int_equal(of_desc_encode(&desc, buf + 16, OF_DESC_SIZE), OF_DESC_SIZE);
	rep.body = buf + 16;
	assert_int_equal(of_mp_reply_encode(&rep, 0x40, buf, 16 + OF_DESC_SIZE), 16 + OF_DESC_SIZE);
	assert_memory_equal(buf, wire, 16 + OF_DESC_SIZE);
	assert_int_equal(of_desc_encode(&desc, buf, OF_DESC_SIZE - 1), -ENOSPC);
	check_lengths(dec_desc, wire + 16, OF_DESC_SIZE, OF_DESC_SIZE, false, false);
	check_lengths(dec_mp_reply, wire, 16 + OF_DESC_SIZE, 16, true, true);
	check_pad(dec_mp_reply, wire, 16 + OF_DESC_SIZE, 12, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
	free(wire);
	free(buf);
}

static void
test_of_switch_desc_cuts_and_terminates_strings(void **state)
{
	struct of_desc desc;
	uint8_t *buf = malloc(OF_DESC_SIZE);

	(void)state;
	assert_non_null(buf);
	memset(&desc, 'x', sizeof(desc)); /* no NUL anywhere */
	assert_int_equal(of_desc_encode(&desc, buf, OF_DESC_SIZE), OF_DESC_SIZE);
	assert_int_equal(buf[255], 0);
	assert_int_equal(buf[254], 'x');
	assert_int_equal(buf[767 + 32], 0);
	assert_int_equal(buf[1055], 0);
	memset(buf, 'y', OF_DESC_SIZE);
	assert_int_equal(of_desc_decode(buf, OF_DESC_SIZE, &desc), OF_ERR_NONE);
	assert_int_equal(strlen(desc.mfr_desc), 255);
	assert_int_equal(strlen(desc.serial_num), 31);
	assert_int_equal(strlen(desc.dp_desc), 255);
	free(buf);
}

static void
test_of_switch_aggregate_and_table_stats_round_trip(void **state)
{
	static const uint8_t agg_wire[] = {
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, /* packet_count 256 */
	    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* byte_count 2^32 */
	    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, /* flow_count, pad[4] */
	};
	static const uint8_t table_wire[] = {
	    0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* table 254, pad[3], active 2 */
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, /* lookup_count 100 */
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5a, /* matched_count 90 */
	};
	struct of_aggregate_stats agg;
	struct of_table_stats ts;
	uint8_t buf[24];

	(void)state;
	assert_int_equal(of_aggregate_stats_decode(agg_wire, sizeof(agg_wire), &agg), OF_ERR_NONE);
	assert_true(agg.packet_count == 256 && agg.byte_count == 1ull << 32);
	assert_int_equal(agg.flow_count, 3);
	assert_int_equal(of_aggregate_stats_encode(&agg, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, agg_wire, sizeof(agg_wire));
	assert_int_equal(of_aggregate_stats_encode(&agg, buf, 23), -ENOSPC);
	check_lengths(dec_aggregate, agg_wire, sizeof(agg_wire), 24, false, false);
	check_pad(dec_aggregate, agg_wire, sizeof(agg_wire), 20, 4, OF_ERR_BAD_REQUEST_BAD_LEN);

	assert_int_equal(of_table_stats_decode(table_wire, sizeof(table_wire), &ts), OF_ERR_NONE);
	assert_int_equal(ts.table_id, 254);
	assert_int_equal(ts.active_count, 2);
	assert_true(ts.lookup_count == 100 && ts.matched_count == 90);
	assert_int_equal(of_table_stats_encode(&ts, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, table_wire, sizeof(table_wire));
	assert_int_equal(of_table_stats_encode(&ts, buf, 23), -ENOSPC);
	check_lengths(dec_table_stats, table_wire, sizeof(table_wire), 24, false, false);
	check_pad(dec_table_stats, table_wire, sizeof(table_wire), 1, 3,
		  OF_ERR_BAD_REQUEST_BAD_LEN);
}

static void
test_of_switch_port_stats_round_trips(void **state)
{
	uint8_t wire[112] = {0};
	struct of_port_stats ps;
	uint8_t buf[112];

	(void)state;
	/* port_no 7 at 0, pad[4], twelve 64-bit counters from 8 holding
	 * 0x0101..01 * (i + 1), duration_sec 3600 at 104, duration_nsec 5 at 108. */
	wire[3] = 7;
	for (int i = 0; i < 12; i++) {
		memset(wire + 8 + 8 * i, i + 1, 8);
	}
	wire[106] = 0x0e;
	wire[107] = 0x10;
	wire[111] = 5;
	assert_int_equal(of_port_stats_decode(wire, sizeof(wire), &ps), OF_ERR_NONE);
	assert_int_equal(ps.port_no, 7);
	assert_true(ps.rx_packets == 0x0101010101010101ull);
	assert_true(ps.tx_packets == 0x0202020202020202ull);
	assert_true(ps.rx_bytes == 0x0303030303030303ull);
	assert_true(ps.tx_bytes == 0x0404040404040404ull);
	assert_true(ps.rx_dropped == 0x0505050505050505ull);
	assert_true(ps.tx_dropped == 0x0606060606060606ull);
	assert_true(ps.rx_errors == 0x0707070707070707ull);
	assert_true(ps.tx_errors == 0x0808080808080808ull);
	assert_true(ps.rx_frame_err == 0x0909090909090909ull);
	assert_true(ps.rx_over_err == 0x0a0a0a0a0a0a0a0aull);
	assert_true(ps.rx_crc_err == 0x0b0b0b0b0b0b0b0bull);
	assert_true(ps.collisions == 0x0c0c0c0c0c0c0c0cull);
	assert_int_equal(ps.duration_sec, 3600);
	assert_int_equal(ps.duration_nsec, 5);
	assert_int_equal(of_port_stats_encode(&ps, buf, sizeof(buf)), 112);
	assert_memory_equal(buf, wire, sizeof(wire));
	assert_int_equal(of_port_stats_encode(&ps, buf, 111), -ENOSPC);
	check_lengths(dec_port_stats, wire, sizeof(wire), 112, false, false);
	check_pad(dec_port_stats, wire, sizeof(wire), 4, 4, OF_ERR_BAD_REQUEST_BAD_LEN);
}

/* ------------------------------------------------------------------ */
/* The multipart reply writer. */

struct captured {
	size_t n_msgs;    /* Messages received. */
	uint8_t *msgs[8]; /* Copies of them. */
	size_t sizes[8];  /* Their sizes. */
};

static void
capture(const uint8_t *msg, size_t size, void *arg)
{
	struct captured *c = arg;

	assert_true(c->n_msgs < 8);
	c->msgs[c->n_msgs] = malloc(size);
	assert_non_null(c->msgs[c->n_msgs]);
	memcpy(c->msgs[c->n_msgs], msg, size);
	c->sizes[c->n_msgs++] = size;
}

static void
captured_free(struct captured *c)
{
	for (size_t i = 0; i < c->n_msgs; i++) {
		free(c->msgs[i]);
	}
}

/*
 * Add 'n' entries of 'entry_size' bytes (entry i filled with byte i + 1,
 * its first two bytes holding i) and check the parts: each a well-formed
 * reply of at most 65535 bytes holding whole entries in order, REPLY_MORE
 * on all but the last. Returns the number of parts.
 */
static size_t
write_and_check(struct of_mp_writer *w, size_t n, size_t entry_size)
{
	struct captured c = {0};
	uint8_t *entry = malloc(entry_size);
	size_t next = 0;

	assert_non_null(entry);
	of_mp_writer_init(w, OFPMP_PORT_STATS, 0x55, capture, &c);
	for (size_t i = 0; i < n; i++) {
		memset(entry, (int)(i + 1), entry_size);
		of_put_be16(entry, (uint16_t)i);
		assert_int_equal(of_mp_writer_add(w, entry, entry_size), 0);
	}
	assert_int_equal(of_mp_writer_finish(w), 0);
	for (size_t m = 0; m < c.n_msgs; m++) {
		struct of_mp_reply rep;

		assert_true(c.sizes[m] <= OFP_MSG_MAX);
		assert_int_equal(of_mp_reply_decode(c.msgs[m], c.sizes[m], &rep), OF_ERR_NONE);
		assert_int_equal(c.msgs[m][1], OFPT_MULTIPART_REPLY);
		assert_int_equal(of_get_be32(c.msgs[m] + 4), 0x55);
		assert_int_equal(rep.type, OFPMP_PORT_STATS);
		assert_int_equal(rep.flags, m + 1 < c.n_msgs ? OFPMPF_REPLY_MORE : 0);
		assert_int_equal(rep.body_size % entry_size, 0);
		/* A part is only cut when the next entry would not fit. */
		if (m + 1 < c.n_msgs) {
			assert_true(c.sizes[m] + entry_size > OFP_MSG_MAX);
		}
		for (size_t off = 0; off < rep.body_size; off += entry_size, next++) {
			assert_int_equal(of_get_be16(rep.body + off), (uint16_t)next);
			assert_int_equal(rep.body[off + entry_size - 1], (uint8_t)(next + 1));
		}
	}
	assert_int_equal(next, n);
	captured_free(&c);
	free(entry);
	return c.n_msgs;
}

static void
test_of_switch_mp_writer_splits_without_cutting_entries(void **state)
{
	struct of_mp_writer *w = malloc(sizeof(*w));

	(void)state;
	assert_non_null(w);
	/* 1000 port stats (112000 bytes): 584 fit in 65535 - 16, then 416. */
	assert_int_equal(write_and_check(w, 1000, OF_PORT_STATS_SIZE), 2);
	assert_int_equal(w->n_msgs, 2);
	/* Exactly one full part: 584 entries make 65424 bytes. */
	assert_int_equal(write_and_check(w, 584, OF_PORT_STATS_SIZE), 1);
	assert_int_equal(write_and_check(w, 585, OF_PORT_STATS_SIZE), 2);
	/* Entries that do not divide the space: 1000-byte ones, 65 per part. */
	assert_int_equal(write_and_check(w, 200, 1000), 4);
	/* An entry filling a whole body, then one more. */
	assert_int_equal(write_and_check(w, 2, OF_MP_BODY_MAX), 2);
	free(w);
}

static void
test_of_switch_mp_writer_empty_reply_and_oversized_entry(void **state)
{
	struct of_mp_writer *w = malloc(sizeof(*w));
	static const uint8_t empty_reply[] = {
	    0x04, 0x13, 0x00, 0x10, 0x00, 0x00, 0x00, 0x09, /* header, 16 bytes */
	    0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* OFPMP_PORT_DESC, no flags */
	};
	struct captured c = {0};
	uint8_t *big = calloc(1, OF_MP_BODY_MAX + 1);

	(void)state;
	assert_non_null(w);
	assert_non_null(big);
	of_mp_writer_init(w, OFPMP_PORT_DESC, 9, capture, &c);
	assert_int_equal(of_mp_writer_add(w, big, OF_MP_BODY_MAX + 1), -EMSGSIZE);
	assert_int_equal(c.n_msgs, 0);
	assert_int_equal(of_mp_writer_finish(w), 0);
	assert_int_equal(c.n_msgs, 1);
	assert_int_equal(c.sizes[0], sizeof(empty_reply));
	assert_memory_equal(c.msgs[0], empty_reply, sizeof(empty_reply));
	captured_free(&c);
	free(big);
	free(w);
}

/* ------------------------------------------------------------------ */
/* FLOW_REMOVED [7.4.2] and ERROR [7.4.4]. */

/* FLOW_REMOVED xid 0, cookie 0xc0ffee, priority 0x8000, IDLE_TIMEOUT, table 1,
 * 10 s 500 ns, idle 30, hard 0, 5 packets, 420 bytes, in_port=1,eth_type=0x0800. */
static const uint8_t flow_removed[] = {
    0x04, 0x0b, 0x00, 0x48, 0x00, 0x00, 0x00, 0x00, /* header, 72 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xff, 0xee, /* cookie */
    0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a, /* priority, reason, table, dur s */
    0x00, 0x00, 0x01, 0xf4, 0x00, 0x1e, 0x00, 0x00, /* duration_nsec, idle, hard */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, /* packet_count */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xa4, /* byte_count */
    0x00, 0x01, 0x00, 0x12,                         /* OFPMT_OXM, length 18 */
    0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, /* in_port 1 */
    0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,             /* eth_type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             /* match padding */
};

static void
test_of_switch_flow_removed_round_trips(void **state)
{
	struct of_flow_removed fr;
	uint8_t buf[80];

	(void)state;
	assert_int_equal(of_flow_removed_decode(flow_removed, sizeof(flow_removed), &fr),
			 OF_ERR_NONE);
	assert_true(fr.cookie == 0xc0ffee);
	assert_int_equal(fr.priority, 0x8000);
	assert_int_equal(fr.reason, 0);
	assert_int_equal(fr.table_id, 1);
	assert_int_equal(fr.duration_sec, 10);
	assert_int_equal(fr.duration_nsec, 500);
	assert_int_equal(fr.idle_timeout, 30);
	assert_int_equal(fr.hard_timeout, 0);
	assert_true(fr.packet_count == 5 && fr.byte_count == 420);
	assert_int_equal(fr.match.n_fields, 2);
	assert_int_equal(fr.match.value.in_port, 1);
	assert_int_equal(fr.match.value.eth_type, 0x0800);
	assert_int_equal(of_flow_removed_encode(&fr, 0, buf, sizeof(buf)), sizeof(flow_removed));
	assert_memory_equal(buf, flow_removed, sizeof(flow_removed));
	assert_int_equal(of_flow_removed_encode(&fr, 0, buf, sizeof(flow_removed) - 1), -ENOSPC);
	check_lengths(dec_flow_removed, flow_removed, sizeof(flow_removed), 72, false, true);
	check_pad(dec_flow_removed, flow_removed, sizeof(flow_removed), 66, 6,
		  OF_ERR_BAD_MATCH_BAD_LEN);
}

static void
test_of_switch_error_decodes_type_code_data(void **state)
{
	static const uint8_t wire[] = {
	    0x04, 0x01, 0x00, 0x14, 0x00, 0x00, 0x00, 0x09, /* header, 20 bytes, xid 9 */
	    0x00, 0x01, 0x00, 0x06,                         /* BAD_REQUEST, BAD_LEN */
	    0x04, 0x0d, 0x00, 0x38, 0x00, 0x00, 0x00, 0x09, /* data: the request's header */
	};
	uint8_t buf[128];
	struct of_error e;
	int n;

	(void)state;
	assert_int_equal(of_error_decode(wire, sizeof(wire), &e), OF_ERR_NONE);
	assert_int_equal(e.type, OFPET_BAD_REQUEST);
	assert_int_equal(e.code, OFPBRC_BAD_LEN);
	assert_ptr_equal(e.data, wire + 12);
	assert_int_equal(e.data_size, 8);
	check_lengths(dec_error, wire, sizeof(wire), 12, true, true);
	/* What of_err.c sends decodes back to its (type, code) and data. */
	n = of_err_encode(OF_ERR_BAD_REQUEST_BAD_PORT, packet_out, sizeof(packet_out), buf,
			  sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(of_error_decode(buf, (size_t)n, &e), OF_ERR_NONE);
	assert_int_equal(e.type, OFPET_BAD_REQUEST);
	assert_int_equal(e.code, OFPBRC_BAD_PORT);
	assert_int_equal(e.data_size, sizeof(packet_out));
	assert_memory_equal(e.data, packet_out, sizeof(packet_out));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_of_switch_get_config_request_is_bare_header),
	    cmocka_unit_test(test_of_switch_config_round_trips),
	    cmocka_unit_test(test_of_switch_config_rejects_bad_len_and_flags),
	    cmocka_unit_test(test_of_switch_packet_in_round_trips),
	    cmocka_unit_test(test_of_switch_packet_in_simple_builds_ovs_match),
	    cmocka_unit_test(test_of_switch_packet_in_rejects_bad_lengths),
	    cmocka_unit_test(test_of_switch_packet_out_round_trips),
	    cmocka_unit_test(test_of_switch_packet_out_rejects_bad_lengths),
	    cmocka_unit_test(test_of_switch_packet_out_checks_port_and_buffer),
	    cmocka_unit_test(test_of_switch_port_round_trips),
	    cmocka_unit_test(test_of_switch_port_name_is_cut_to_15_chars),
	    cmocka_unit_test(test_of_switch_port_status_round_trips),
	    cmocka_unit_test(test_of_switch_port_mod_round_trips),
	    cmocka_unit_test(test_of_switch_port_mod_rejects_bad_len_and_config),
	    cmocka_unit_test(test_of_switch_role_round_trips),
	    cmocka_unit_test(test_of_switch_role_rejects_bad_len_and_role),
	    cmocka_unit_test(test_of_switch_async_round_trips),
	    cmocka_unit_test(test_of_switch_mp_request_round_trips),
	    cmocka_unit_test(test_of_switch_mp_request_rejects_bad_lengths),
	    cmocka_unit_test(test_of_switch_desc_reply_round_trips),
	    cmocka_unit_test(test_of_switch_desc_cuts_and_terminates_strings),
	    cmocka_unit_test(test_of_switch_aggregate_and_table_stats_round_trip),
	    cmocka_unit_test(test_of_switch_port_stats_round_trips),
	    cmocka_unit_test(test_of_switch_mp_writer_splits_without_cutting_entries),
	    cmocka_unit_test(test_of_switch_mp_writer_empty_reply_and_oversized_entry),
	    cmocka_unit_test(test_of_switch_flow_removed_round_trips),
	    cmocka_unit_test(test_of_switch_error_decodes_type_code_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
