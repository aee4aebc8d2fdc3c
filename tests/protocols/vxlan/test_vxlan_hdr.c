/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vxlan_hdr.c - VXLAN over IPv4 template, encapsulation and receive
 * parse against byte vectors written from RFC 7348 section 5, RFC 791 3.1
 * and RFC 768, with IPv4 checksums from an independent one's complement
 * sum below: exact encapsulation bytes, checksums over many lengths and
 * header values, VNI and source port ranges, round trips, every
 * truncation, and each corrupted field answered with its own error.
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

#include "protocols/vxlan/vxlan_hdr.h"

#define LOCAL_IP   0xc0a80101u /* 192.168.1.1 */
#define REMOTE_IP  0xc0a80102u /* 192.168.1.2 */
#define INNER_SIZE 98          /* An inner ICMP echo: 14 + 20 + 8 + 56. */
#define SRC_PORT   54321       /* 0xd431 */
#define RX_IP      REMOTE_IP   /* The receiver of 'golden' is its remote VTEP. */

/*
 * VNI 5000 from 192.168.1.1 (02:00:00:00:00:01) to 192.168.1.2
 * (02:00:00:00:00:02), DF, TTL 64, TOS 0, inner frame of 98 bytes.
 * IPv4 checksum by hand: 4500 + 0086 + 0000 + 4000 + 4011 + 0000 + c0a8 +
 * 0101 + c0a8 + 0102 = 0x248ea, folded 0x48ec, complemented 0xb713.
 */
static const uint8_t golden[VXLAN_OVERHEAD_SIZE] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* outer dst MAC */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* outer src MAC */
    0x08, 0x00,                         /* IPv4 */
    0x45, 0x00, 0x00, 0x86,             /* v4, IHL 5, TOS 0, total 134 */
    0x00, 0x00, 0x40, 0x00,             /* id 0, DF */
    0x40, 0x11, 0xb7, 0x13,             /* TTL 64, UDP, checksum */
    0xc0, 0xa8, 0x01, 0x01,             /* src 192.168.1.1 */
    0xc0, 0xa8, 0x01, 0x02,             /* dst 192.168.1.2 */
    0xd4, 0x31, 0x12, 0xb5,             /* UDP 54321 -> 4789 */
    0x00, 0x72, 0x00, 0x00,             /* UDP length 114, checksum 0 */
    0x08, 0x00, 0x00, 0x00,             /* I flag, reserved */
    0x00, 0x13, 0x88, 0x00,             /* VNI 5000, reserved */
};

/* The tunnel behind 'golden'. */
static const struct vxlan_tmpl_params golden_params = {
    .src_mac = {0x02, 0, 0, 0, 0, 0x01},
    .dst_mac = {0x02, 0, 0, 0, 0, 0x02},
    .local_ip = LOCAL_IP,
    .remote_ip = REMOTE_IP,
    .vni = 5000,
    .dst_port = 0,
    .tos = 0,
    .ttl = 0,
    .df = true,
};

/* Folded one's complement sum of 'n' bytes (RFC 1071), odd byte padded. */
static uint16_t
ref_sum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i += 2) {
		sum += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
	}
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

/* The IPv4 header checksum the 'ihl_bytes' header at 'ip' should carry. */
static uint16_t
ref_ip_csum(const uint8_t *ip, size_t ihl_bytes)
{
	uint8_t copy[60];

	memcpy(copy, ip, ihl_bytes);
	copy[10] = 0;
	copy[11] = 0;
	return (uint16_t)~ref_sum(copy, ihl_bytes);
}

static void
fix_ip_csum(uint8_t *ip)
{
	uint16_t c = ref_ip_csum(ip, (size_t)(ip[0] & 0x0f) * 4);

	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* 'golden' followed by an inner frame of INNER_SIZE bytes, in a new buffer. */
static uint8_t *
golden_frame(size_t *size)
{
	uint8_t *f = malloc(VXLAN_OVERHEAD_SIZE + INNER_SIZE);

	assert_non_null(f);
	memcpy(f, golden, VXLAN_OVERHEAD_SIZE);
	for (size_t i = 0; i < INNER_SIZE; i++) {
		f[VXLAN_OVERHEAD_SIZE + i] = (uint8_t)(0xa0 + i);
	}
	*size = VXLAN_OVERHEAD_SIZE + INNER_SIZE;
	return f;
}

static void
test_vxlan_hdr_encap_matches_golden_bytes(void **state)
{
	struct vxlan_tmpl t;
	uint8_t out[VXLAN_OVERHEAD_SIZE];

	(void)state;
	assert_int_equal(ref_ip_csum(golden + 14, 20), 0xb713);
	assert_int_equal(vxlan_tmpl_build(&t, &golden_params), 0);
	memset(out, 0xee, sizeof(out));
	vxlan_encap(&t, out, INNER_SIZE, SRC_PORT);
	assert_memory_equal(out, golden, VXLAN_OVERHEAD_SIZE);
}

/* Encapsulate 'inner_size' bytes with 'p' and check every per-packet field. */
static void
check_encap(const struct vxlan_tmpl_params *p, uint16_t inner_size)
{
	struct vxlan_tmpl t;
	uint8_t out[VXLAN_OVERHEAD_SIZE];
	const uint8_t *ip = out + 14, *udp = out + 34;

	assert_int_equal(vxlan_tmpl_build(&t, p), 0);
	vxlan_encap(&t, out, inner_size, 50000);
	assert_int_equal(be16(ip + 2), 20 + 8 + 8 + inner_size);
	assert_int_equal(be16(ip + 10), ref_ip_csum(ip, 20));
	assert_int_equal(ref_sum(ip, 20), 0xffff);
	assert_int_equal(ip[1], p->tos);
	assert_int_equal(ip[8], p->ttl ? p->ttl : 64);
	assert_int_equal(be16(ip + 6), p->df ? 0x4000 : 0);
	assert_int_equal(be16(ip + 4), 0);
	assert_int_equal(be16(udp), 50000);
	assert_int_equal(be16(udp + 4), 8 + 8 + inner_size);
	assert_int_equal(be16(udp + 6), 0);
}

static void
test_vxlan_hdr_encap_checksum_every_length_and_header(void **state)
{
	static const uint8_t tos[] = {0x00, 0x10, 0xb8, 0xff};
	static const uint8_t ttl[] = {0, 1, 64, 255};
	struct vxlan_tmpl_params p = golden_params;

	(void)state;
	for (size_t i = 0; i < sizeof(tos); i++) {
		for (size_t j = 0; j < sizeof(ttl); j++) {
			for (int df = 0; df < 2; df++) {
				p.tos = tos[i];
				p.ttl = ttl[j];
				p.df = df;
				for (unsigned n = 0; n <= 9000; n += 7) {
					check_encap(&p, (uint16_t)n);
				}
				check_encap(&p, VXLAN_INNER_SIZE_MAX);
			}
		}
	}
	/* Addresses whose sums carry several times. */
	p.local_ip = 0xffffffffu;
	p.remote_ip = 0xfffefffdu;
	for (unsigned n = 0; n <= VXLAN_INNER_SIZE_MAX; n += 97) {
		check_encap(&p, (uint16_t)n);
	}
}

static void
test_vxlan_hdr_tmpl_vni_range(void **state)
{
	static const uint32_t good[] = {0, 1, 0xffffff};
	struct vxlan_tmpl_params p = golden_params;
	struct vxlan_tmpl t, before;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		p.vni = good[i];
		assert_int_equal(vxlan_tmpl_build(&t, &p), 0);
		assert_int_equal(t.hdr[42], 0x08);
		assert_int_equal(t.hdr[43] | t.hdr[44] | t.hdr[45] | t.hdr[49], 0);
		assert_int_equal((uint32_t)t.hdr[46] << 16 | t.hdr[47] << 8 | t.hdr[48], good[i]);
	}
	before = t;
	p.vni = 0x1000000;
	assert_int_equal(vxlan_tmpl_build(&t, &p), -EINVAL);
	assert_memory_equal(&t, &before, sizeof(t));
	p.vni = UINT32_MAX;
	assert_int_equal(vxlan_tmpl_build(&t, &p), -EINVAL);
}

static void
test_vxlan_hdr_tmpl_custom_dst_port(void **state)
{
	struct vxlan_tmpl_params p = golden_params;
	struct vxlan_tmpl t;

	(void)state;
	p.dst_port = 8472; /* Linux's pre-IANA default. */
	assert_int_equal(vxlan_tmpl_build(&t, &p), 0);
	assert_int_equal(be16(t.hdr + 36), 8472);
	check_encap(&p, 100);
}

static void
test_vxlan_hdr_src_port_in_range_and_spread(void **state)
{
	static uint8_t seen_seq[65536], seen_rand[65536];
	unsigned n_seq = 0, n_rand = 0;
	uint32_t x = 0x12345678;

	(void)state;
	for (uint32_t h = 0; h < 1000; h++) {
		uint16_t port = vxlan_src_port(h), port_rand;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		port_rand = vxlan_src_port(x);

		assert_in_range(port, 49152, 65535);
		assert_in_range(port_rand, 49152, 65535);
		assert_int_equal(vxlan_src_port(h), port);
		n_seq += !seen_seq[port];
		n_rand += !seen_rand[port_rand];
		seen_seq[port] = 1;
		seen_rand[port_rand] = 1;
	}
	assert_true(n_seq > 500);
	assert_true(n_rand > 500);
	assert_in_range(vxlan_src_port(0), 49152, 65535);
	assert_in_range(vxlan_src_port(UINT32_MAX), 49152, 65535);
}

static void
test_vxlan_hdr_decap_parses_golden(void **state)
{
	struct vxlan_outer o;
	size_t size;
	uint8_t *f = golden_frame(&size);

	(void)state;
	assert_int_equal(vxlan_decap_parse(f, size, RX_IP, 4789, &o), VXLAN_ERR_OK);
	assert_memory_equal(o.src_mac, golden_params.src_mac, 6);
	assert_memory_equal(o.dst_mac, golden_params.dst_mac, 6);
	assert_false(o.vlan_present);
	assert_int_equal(o.src_ip, LOCAL_IP);
	assert_int_equal(o.dst_ip, REMOTE_IP);
	assert_int_equal(o.tos, 0);
	assert_int_equal(o.ttl, 64);
	assert_int_equal(o.src_port, SRC_PORT);
	assert_int_equal(o.vni, 5000);
	assert_int_equal(o.flags, 0x08);
	assert_false(o.reserved_set);
	assert_int_equal(o.inner_offset, 50);
	assert_int_equal(o.inner_size, INNER_SIZE);
	free(f);
}

static void
test_vxlan_hdr_decap_round_trip(void **state)
{
	struct vxlan_tmpl_params p = golden_params;
	struct vxlan_tmpl t;
	struct vxlan_outer o;
	uint8_t f[VXLAN_OVERHEAD_SIZE + 1500];

	(void)state;
	p.local_ip = 0x0a000001;
	p.remote_ip = 0x0a000002;
	p.vni = 0xabcdef;
	p.tos = 0xb8;
	p.ttl = 17;
	p.df = false;
	assert_int_equal(vxlan_tmpl_build(&t, &p), 0);
	for (uint16_t n = 14; n <= 1500; n += 43) {
		memset(f + VXLAN_OVERHEAD_SIZE, 0x5a, n);
		vxlan_encap(&t, f, n, vxlan_src_port(n));
		/* The receiver is the remote end: its local IP is our remote. */
		assert_int_equal(
		    vxlan_decap_parse(f, VXLAN_OVERHEAD_SIZE + n, 0x0a000002, 4789, &o),
		    VXLAN_ERR_OK);
		assert_int_equal(o.vni, 0xabcdef);
		assert_int_equal(o.src_ip, 0x0a000001);
		assert_int_equal(o.tos, 0xb8);
		assert_int_equal(o.ttl, 17);
		assert_int_equal(o.src_port, vxlan_src_port(n));
		assert_int_equal(o.inner_offset, 50);
		assert_int_equal(o.inner_size, n);
	}
}

static void
test_vxlan_hdr_decap_vlan_padding_and_options(void **state)
{
	struct vxlan_outer o;
	size_t size;
	uint8_t *g = golden_frame(&size);
	uint8_t f[256];

	(void)state;
	/* One 802.1Q tag, VID 100 PCP 5, and 6 bytes of Ethernet padding. */
	memcpy(f, g, 12);
	memcpy(f + 12, (const uint8_t[]){0x81, 0x00, 0xa0, 0x64}, 4);
	memcpy(f + 16, g + 12, size - 12);
	memset(f + size + 4, 0, 6);
	assert_int_equal(vxlan_decap_parse(f, size + 10, RX_IP, 4789, &o), VXLAN_ERR_OK);
	assert_true(o.vlan_present);
	assert_int_equal(o.vlan_tci, 0xa064);
	assert_int_equal(o.inner_offset, 54);
	assert_int_equal(o.inner_size, INNER_SIZE);
	assert_int_equal(o.vni, 5000);

	/* Two tags (QinQ) are not accepted. */
	memmove(f + 16, f + 12, size + 4 - 12);
	assert_int_equal(vxlan_decap_parse(f, size + 8, RX_IP, 4789, &o), VXLAN_ERR_NOT_IPV4);

	/* IHL 6: a 4-byte option (NOP NOP NOP EOL) before UDP. */
	memcpy(f, g, 34);
	memcpy(f + 34, (const uint8_t[]){0x01, 0x01, 0x01, 0x00}, 4);
	memcpy(f + 38, g + 34, size - 34);
	f[14] = 0x46;
	f[17] += 4;
	fix_ip_csum(f + 14);
	assert_int_equal(vxlan_decap_parse(f, size + 4, RX_IP, 4789, &o), VXLAN_ERR_OK);
	assert_int_equal(o.inner_offset, 54);
	assert_int_equal(o.inner_size, INNER_SIZE);
	assert_int_equal(o.src_port, SRC_PORT);
	free(g);
}

static void
test_vxlan_hdr_decap_every_truncation_fails(void **state)
{
	struct vxlan_outer o;
	size_t size;
	uint8_t *g = golden_frame(&size);

	(void)state;
	for (size_t n = 0; n < size; n++) {
		/* An exact-size copy, so ASan sees any read past 'n'. */
		uint8_t *f = malloc(n ? n : 1);

		assert_non_null(f);
		memcpy(f, g, n);
		assert_int_equal(vxlan_decap_parse(f, n, RX_IP, 4789, &o), VXLAN_ERR_TRUNCATED);
		free(f);
	}
	free(g);
}

/* One field of 'golden' overwritten, and the error that must follow. */
struct corruption {
	size_t off;          /* Byte offset in the frame. */
	size_t n;            /* Bytes to overwrite, 1 or 2. */
	unsigned value;      /* New value, big-endian if 2 bytes. */
	bool fix_csum;       /* Recompute the IPv4 checksum afterwards. */
	enum vxlan_err want; /* Expected result. */
};

static const struct corruption corruptions[] = {
    {12, 2, 0x86dd, false, VXLAN_ERR_NOT_IPV4},        /* EtherType IPv6 */
    {12, 2, 0x0806, false, VXLAN_ERR_NOT_IPV4},        /* EtherType ARP */
    {14, 1, 0x65, true, VXLAN_ERR_BAD_IP_HEADER},      /* version 6 */
    {14, 1, 0x44, true, VXLAN_ERR_BAD_IP_HEADER},      /* IHL 4 */
    {16, 2, 19, true, VXLAN_ERR_BAD_IP_HEADER},        /* total length < IHL */
    {16, 2, 134 + 1, true, VXLAN_ERR_TRUNCATED},       /* total length > frame */
    {24, 2, 0xb714, false, VXLAN_ERR_BAD_CHECKSUM},    /* checksum off by one */
    {26, 1, 0xc1, false, VXLAN_ERR_BAD_CHECKSUM},      /* source address bit */
    {20, 2, 0x2000, true, VXLAN_ERR_FRAGMENT},         /* MF */
    {20, 2, 0x4001, true, VXLAN_ERR_FRAGMENT},         /* offset 8 bytes */
    {23, 1, 6, true, VXLAN_ERR_NOT_UDP},               /* protocol TCP */
    {33, 1, 3, true, VXLAN_ERR_NOT_LOCAL},             /* dst 192.168.1.3 */
    {36, 2, 4790, false, VXLAN_ERR_WRONG_PORT},        /* UDP dst port */
    {36, 2, 8472, false, VXLAN_ERR_WRONG_PORT},        /* Linux legacy port */
    {38, 2, 114 + 1, false, VXLAN_ERR_BAD_UDP_LENGTH}, /* UDP length long */
    {38, 2, 114 - 1, false, VXLAN_ERR_BAD_UDP_LENGTH}, /* UDP length short */
    {38, 2, 7, false, VXLAN_ERR_BAD_UDP_LENGTH},       /* below UDP header */
    {42, 1, 0x00, false, VXLAN_ERR_NO_VNI_FLAG},       /* no flags */
    {42, 1, 0xf7, false, VXLAN_ERR_NO_VNI_FLAG},       /* all but I */
    {42, 1, 0xff, false, VXLAN_ERR_OK},                /* reserved flag bits */
    {43, 2, 0xffff, false, VXLAN_ERR_OK},              /* reserved bytes */
    {49, 1, 0x5a, false, VXLAN_ERR_OK},                /* last reserved byte */
    {20, 2, 0x0000, true, VXLAN_ERR_OK},               /* DF clear */
    {18, 2, 0x1234, true, VXLAN_ERR_OK},               /* nonzero IP id */
    {40, 2, 0x1234, false, VXLAN_ERR_OK},              /* UDP checksum not checked */
};

static void
test_vxlan_hdr_decap_each_corrupted_field(void **state)
{
	struct vxlan_outer o;
	size_t size;
	uint8_t *g = golden_frame(&size);

	(void)state;
	for (size_t i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		const struct corruption *c = &corruptions[i];
		uint8_t *f = malloc(size);
		enum vxlan_err got;

		assert_non_null(f);
		memcpy(f, g, size);
		if (c->n == 2) {
			f[c->off] = (uint8_t)(c->value >> 8);
		}
		f[c->off + c->n - 1] = (uint8_t)c->value;
		if (c->fix_csum) {
			fix_ip_csum(f + 14);
		}
		got = vxlan_decap_parse(f, size, RX_IP, 4789, &o);
		if (got != c->want) {
			fail_msg("corruption %zu (offset %zu): got %s, want %s", i, c->off,
				 vxlan_err_name(got), vxlan_err_name(c->want));
		}
		if (got == VXLAN_ERR_OK) {
			assert_int_equal(o.vni, 5000);
			assert_int_equal(o.reserved_set, c->off >= 42);
		}
		free(f);
	}
	free(g);
}

static void
test_vxlan_hdr_decap_short_udp_payload_and_inner(void **state)
{
	struct vxlan_tmpl t;
	struct vxlan_outer o;
	uint8_t f[VXLAN_OVERHEAD_SIZE + 14];
	size_t size;
	uint8_t *g = golden_frame(&size);

	(void)state;
	assert_int_equal(vxlan_tmpl_build(&t, &golden_params), 0);
	memset(f + 50, 0x11, 14);
	vxlan_encap(&t, f, 14, 1);
	assert_int_equal(vxlan_decap_parse(f, 64, REMOTE_IP, 4789, &o), VXLAN_ERR_OK);
	assert_int_equal(o.inner_size, 14);
	vxlan_encap(&t, f, 13, 1);
	assert_int_equal(vxlan_decap_parse(f, 63, REMOTE_IP, 4789, &o), VXLAN_ERR_INNER_TOO_SHORT);
	vxlan_encap(&t, f, 0, 1);
	assert_int_equal(vxlan_decap_parse(f, 50, REMOTE_IP, 4789, &o), VXLAN_ERR_INNER_TOO_SHORT);

	/* A UDP datagram with 4 bytes of payload, no room for VXLAN's 8. */
	g[17] = 20 + 8 + 4;
	g[39] = 8 + 4;
	fix_ip_csum(g + 14);
	assert_int_equal(vxlan_decap_parse(g, size, RX_IP, 4789, &o), VXLAN_ERR_TRUNCATED);
	/* An IPv4 payload shorter than a UDP header. */
	g[17] = 20 + 4;
	fix_ip_csum(g + 14);
	assert_int_equal(vxlan_decap_parse(g, size, RX_IP, 4789, &o), VXLAN_ERR_BAD_UDP_LENGTH);
	free(g);
}

static void
test_vxlan_hdr_err_names_are_distinct(void **state)
{
	(void)state;
	assert_string_equal(vxlan_err_name(VXLAN_ERR_OK), "VXLAN_ERR_OK");
	assert_string_equal(vxlan_err_name(VXLAN_ERR_TRUNCATED), "VXLAN_ERR_TRUNCATED");
	assert_string_equal(vxlan_err_name(VXLAN_ERR_INNER_TOO_SHORT), "VXLAN_ERR_INNER_TOO_SHORT");
	assert_string_equal(vxlan_err_name(VXLAN_ERR_MAX), "?");
	assert_string_equal(vxlan_err_text(VXLAN_ERR_MAX), "?");
	assert_int_equal(VXLAN_ERR_MAX, 12);
	for (int i = 0; i < VXLAN_ERR_MAX; i++) {
		assert_non_null(vxlan_err_name(i));
		assert_non_null(vxlan_err_text(i));
		assert_int_equal(strncmp(vxlan_err_name(i), "VXLAN_ERR_", 10), 0);
		for (int j = 0; j < i; j++) {
			assert_string_not_equal(vxlan_err_name(i), vxlan_err_name(j));
		}
	}
}

static void
test_vxlan_hdr_overhead_and_mtu(void **state)
{
	(void)state;
	assert_int_equal(vxlan_overhead(), 14 + 20 + 8 + 8);
	assert_int_equal(vxlan_inner_mtu(1500), 1450);
	assert_int_equal(vxlan_inner_mtu(9000), 8950);
	assert_int_equal(vxlan_inner_mtu(51), 1);
	assert_int_equal(vxlan_inner_mtu(50), 0);
	assert_int_equal(vxlan_inner_mtu(0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vxlan_hdr_encap_matches_golden_bytes),
	    cmocka_unit_test(test_vxlan_hdr_encap_checksum_every_length_and_header),
	    cmocka_unit_test(test_vxlan_hdr_tmpl_vni_range),
	    cmocka_unit_test(test_vxlan_hdr_tmpl_custom_dst_port),
	    cmocka_unit_test(test_vxlan_hdr_src_port_in_range_and_spread),
	    cmocka_unit_test(test_vxlan_hdr_decap_parses_golden),
	    cmocka_unit_test(test_vxlan_hdr_decap_round_trip),
	    cmocka_unit_test(test_vxlan_hdr_decap_vlan_padding_and_options),
	    cmocka_unit_test(test_vxlan_hdr_decap_every_truncation_fails),
	    cmocka_unit_test(test_vxlan_hdr_decap_each_corrupted_field),
	    cmocka_unit_test(test_vxlan_hdr_decap_short_udp_payload_and_inner),
	    cmocka_unit_test(test_vxlan_hdr_err_names_are_distinct),
	    cmocka_unit_test(test_vxlan_hdr_overhead_and_mtu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
