/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vxlan_neigh.c - underlay route choice (longest prefix, metric,
 * first added; checked against a linear reference model), the neighbour
 * cache driven by a virtual clock, and ARP frames against byte vectors
 * written by hand from RFC 826's packet layout.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocols/vxlan/vxlan_neigh.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const uint8_t mac_a[6] = {0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc};
static const uint8_t mac_b[6] = {0x00, 0x1b, 0x21, 0xdd, 0xee, 0xff};
static const uint8_t our_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

/* RFC 826 request, Ethernet: who has 192.0.2.254? tell 192.0.2.1. */
static const uint8_t arp_request[] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* destination: broadcast */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* source */
    0x08, 0x06,                         /* ethertype ARP */
    0x00, 0x01,                         /* ar$hrd: Ethernet */
    0x08, 0x00,                         /* ar$pro: IPv4 */
    0x06,                               /* ar$hln */
    0x04,                               /* ar$pln */
    0x00, 0x01,                         /* ar$op: request */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* ar$sha */
    0xc0, 0x00, 0x02, 0x01,             /* ar$spa 192.0.2.1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ar$tha: unknown */
    0xc0, 0x00, 0x02, 0xfe,             /* ar$tpa 192.0.2.254 */
};

/* The reply, as a switch delivers it: padded to the 60-byte minimum. */
static const uint8_t arp_reply[60] = {
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* destination: us */
    0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, /* source */
    0x08, 0x06,                         /* ethertype ARP */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* ar$op: reply */
    0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, /* ar$sha */
    0xc0, 0x00, 0x02, 0xfe,             /* ar$spa 192.0.2.254 */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* ar$tha */
    0xc0, 0x00, 0x02, 0x01,             /* ar$tpa 192.0.2.1; zero padding follows */
};

/* The same reply with an 802.1Q tag: PCP 1, VID 100. */
static const uint8_t arp_reply_tagged[] = {
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x81, 0x00, 0x20,
    0x64, /* TPID, TCI */
    0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x00, 0x1b, 0x21, 0xaa, 0xbb,
    0xcc, 0xc0, 0x00, 0x02, 0xfe, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0xc0, 0x00, 0x02, 0x01,
};

/* ------------------------------------------------------------------ */
/* Routes                                                               */
/* ------------------------------------------------------------------ */

static struct vxlan_routes *
routes_new(void)
{
	struct vxlan_routes *rt = NULL;

	assert_int_equal(vxlan_routes_create(16, &rt), 0);
	return rt;
}

static void
add(struct vxlan_routes *rt, uint32_t prefix, uint8_t len, uint32_t gw, uint32_t metric, int port)
{
	struct vxlan_route r = {
	    .prefix = prefix, .len = len, .gateway = gw, .metric = metric, .ifindex_or_port = port};

	assert_int_equal(vxlan_routes_add(rt, &r), 0);
}

static int
port_for(const struct vxlan_routes *rt, uint32_t dst)
{
	const struct vxlan_route *r = vxlan_route_lookup(rt, dst);

	return r == NULL ? -1 : r->ifindex_or_port;
}

static void
test_vxlan_neigh_route_longest_prefix_wins(void **state)
{
	struct vxlan_routes *rt = routes_new();

	(void)state;
	/* Added shortest last and longest first, so order cannot explain the answers. */
	add(rt, IP(10, 1, 2, 0), 24, 0, 100, 3);
	add(rt, IP(10, 0, 0, 0), 8, IP(192, 0, 2, 254), 0, 1);
	add(rt, IP(10, 1, 0, 0), 16, 0, 50, 2);
	add(rt, IP(10, 1, 2, 3), 32, 0, 500, 4);
	assert_int_equal(port_for(rt, IP(10, 9, 9, 9)), 1);
	assert_int_equal(port_for(rt, IP(10, 1, 9, 9)), 2);
	assert_int_equal(port_for(rt, IP(10, 1, 2, 9)), 3);
	assert_int_equal(port_for(rt, IP(10, 1, 2, 3)), 4);
	assert_int_equal(port_for(rt, IP(10, 1, 3, 0)), 2);
	assert_int_equal(port_for(rt, IP(11, 0, 0, 0)), -1);
	assert_int_equal(port_for(rt, IP(9, 255, 255, 255)), -1);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_neigh_route_default_route_catches_the_rest(void **state)
{
	struct vxlan_routes *rt = routes_new();
	const struct vxlan_route *r;

	(void)state;
	assert_null(vxlan_route_lookup(rt, IP(8, 8, 8, 8)));
	add(rt, 0, 0, IP(192, 0, 2, 1), 0, 7);
	add(rt, IP(192, 0, 2, 0), 24, 0, 0, 8);
	r = vxlan_route_lookup(rt, IP(8, 8, 8, 8));
	assert_non_null(r);
	assert_int_equal(r->ifindex_or_port, 7);
	assert_int_equal(vxlan_next_hop(r, IP(8, 8, 8, 8)), IP(192, 0, 2, 1));
	assert_int_equal(port_for(rt, IP(255, 255, 255, 255)), 7);
	assert_int_equal(port_for(rt, 0), 7);
	/* On-link: the destination itself is the next hop. */
	r = vxlan_route_lookup(rt, IP(192, 0, 2, 77));
	assert_int_equal(r->ifindex_or_port, 8);
	assert_int_equal(vxlan_next_hop(r, IP(192, 0, 2, 77)), IP(192, 0, 2, 77));
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_neigh_route_metric_then_first_added(void **state)
{
	struct vxlan_routes *rt = routes_new();
	struct vxlan_route del = {
	    .prefix = IP(10, 0, 0, 0), .len = 8, .metric = 10, .gateway = IP(1, 1, 1, 2)};

	(void)state;
	add(rt, IP(10, 0, 0, 0), 8, IP(1, 1, 1, 1), 20, 1);
	add(rt, IP(10, 0, 0, 0), 8, IP(1, 1, 1, 2), 10, 2);
	add(rt, IP(10, 0, 0, 0), 8, IP(1, 1, 1, 3), 10, 3); /* tie with 2: added later */
	add(rt, IP(10, 0, 0, 0), 8, IP(1, 1, 1, 4), 5000, 4);
	assert_int_equal(port_for(rt, IP(10, 0, 0, 1)), 2);
	/* A lower metric never beats a longer prefix. */
	add(rt, IP(10, 0, 0, 0), 9, 0, 9999, 5);
	assert_int_equal(port_for(rt, IP(10, 0, 0, 1)), 5);
	assert_int_equal(port_for(rt, IP(10, 128, 0, 1)), 2);
	/* Deleting the winner promotes the tie that came second. */
	assert_int_equal(vxlan_routes_del(rt, &del), 0);
	assert_int_equal(vxlan_routes_del(rt, &del), -ENOENT);
	assert_int_equal(port_for(rt, IP(10, 128, 0, 1)), 3);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_neigh_route_add_rejects_bad_and_full(void **state)
{
	struct vxlan_routes *rt = NULL;
	struct vxlan_route r = {.prefix = IP(10, 0, 0, 1), .len = 24};

	(void)state;
	assert_int_equal(vxlan_routes_create(0, &rt), -EINVAL);
	assert_int_equal(vxlan_routes_create(2, &rt), 0);
	assert_int_equal(vxlan_routes_add(rt, &r), -EINVAL); /* host bits set */
	r.len = 33;
	r.prefix = 0;
	assert_int_equal(vxlan_routes_add(rt, &r), -EINVAL);
	r.len = 32;
	r.prefix = IP(10, 0, 0, 1);
	assert_int_equal(vxlan_routes_add(rt, &r), 0);
	r.len = 0;
	r.prefix = 0;
	assert_int_equal(vxlan_routes_add(rt, &r), 0);
	assert_int_equal(vxlan_routes_add(rt, &r), -ENOSPC);
	vxlan_routes_destroy(rt);
	vxlan_routes_destroy(NULL);
}

/* 300 random tables of overlapping routes against a linear reference model. */
static void
test_vxlan_neigh_route_matches_reference_model(void **state)
{
	uint32_t seed = 12345;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct vxlan_route model[16];
		struct vxlan_routes *rt = routes_new();

		for (int i = 0; i < 16; i++) {
			uint8_t len = (uint8_t)((seed = seed * 1103515245 + 12345) >> 16) % 5 * 4;
			uint32_t mask = len == 0 ? 0 : UINT32_MAX << (32 - len);

			seed = seed * 1103515245 + 12345;
			model[i] = (struct vxlan_route){.prefix = (seed & 0xff000000) & mask,
							.len = len,
							.metric = (seed >> 8) % 3,
							.ifindex_or_port = i};
			assert_int_equal(vxlan_routes_add(rt, &model[i]), 0);
		}
		for (int q = 0; q < 64; q++) {
			uint32_t dst = (seed = seed * 1103515245 + 12345) & 0xff0f0000;
			int best = -1;

			for (int i = 0; i < 16; i++) {
				uint32_t mask =
				    model[i].len ? UINT32_MAX << (32 - model[i].len) : 0;

				if ((dst & mask) != model[i].prefix) {
					continue;
				}
				if (best < 0 || model[i].len > model[best].len ||
				    (model[i].len == model[best].len &&
				     model[i].metric < model[best].metric)) {
					best = i;
				}
			}
			assert_int_equal(port_for(rt, dst), best);
		}
		vxlan_routes_destroy(rt);
	}
}

/* ------------------------------------------------------------------ */
/* Neighbour cache                                                      */
/* ------------------------------------------------------------------ */

#define GW IP(192, 0, 2, 254)

static struct vxlan_neigh_cache *
cache_new(unsigned capacity)
{
	struct vxlan_neigh_params p = {.reachable_ms = 30000,
				       .retrans_ms = 1000,
				       .max_probes = 3,
				       .gc_stale_ms = 60000,
				       .failed_ms = 5000,
				       .capacity = capacity};
	struct vxlan_neigh_cache *nc = NULL;

	assert_int_equal(vxlan_neigh_create(&p, &nc), 0);
	return nc;
}

static enum vxlan_neigh_state
state_of(const struct vxlan_neigh_cache *nc, uint32_t ip, uint64_t now)
{
	struct vxlan_neigh_info info[8];
	unsigned n = vxlan_neigh_dump(nc, now, info, 8);

	for (unsigned i = 0; i < n; i++) {
		if (info[i].ip == ip) {
			return info[i].state;
		}
	}
	fail_msg("no entry for %08x", ip);
	return VXLAN_NEIGH_FAILED;
}

static void
test_vxlan_neigh_unknown_is_pending_and_requested(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	struct vxlan_neigh_stats st;
	uint8_t mac[6] = {0};

	(void)state;
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 1000, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 1001, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_count(nc), 1);
	assert_int_equal(state_of(nc, GW, 1001), VXLAN_NEIGH_INCOMPLETE);
	assert_int_equal(vxlan_neigh_tick(nc, 1001, req, 4), 1);
	assert_int_equal(req[0].target_ip, GW);
	assert_false(req[0].refresh);
	/* Nothing more until retrans_ms has passed. */
	assert_int_equal(vxlan_neigh_tick(nc, 1500, req, 4), 0);
	vxlan_neigh_get_stats(nc, &st);
	assert_int_equal(st.n_requests, 1);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_retransmits_then_fails(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	struct vxlan_neigh_stats st;
	uint8_t mac[6];

	(void)state;
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 0, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_tick(nc, 0, req, 4), 1);
	assert_int_equal(vxlan_neigh_tick(nc, 999, req, 4), 0);
	assert_int_equal(vxlan_neigh_tick(nc, 1000, req, 4), 1);
	assert_int_equal(vxlan_neigh_tick(nc, 1999, req, 4), 0);
	assert_int_equal(vxlan_neigh_tick(nc, 2000, req, 4), 1);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 2500, mac), VXLAN_NEIGH_PENDING);
	/* The third request went unanswered for retrans_ms: FAILED, no fourth. */
	assert_int_equal(vxlan_neigh_tick(nc, 3000, req, 4), 0);
	assert_int_equal(state_of(nc, GW, 3000), VXLAN_NEIGH_FAILED);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 3001, mac), VXLAN_NEIGH_FAIL);
	assert_int_equal(vxlan_neigh_tick(nc, 7999, req, 4), 0);
	vxlan_neigh_get_stats(nc, &st);
	assert_int_equal(st.n_requests, 3);
	assert_int_equal(st.n_failures, 1);
	/* After failed_ms the entry goes, and a later packet tries again. */
	assert_int_equal(vxlan_neigh_tick(nc, 8000, req, 4), 0);
	assert_int_equal(vxlan_neigh_count(nc), 0);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 8001, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_tick(nc, 8001, req, 4), 1);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_learn_gives_found_with_mac(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	struct vxlan_neigh_stats st;
	uint8_t mac[6] = {0};

	(void)state;
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 0, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_tick(nc, 0, req, 4), 1);
	assert_int_equal(vxlan_neigh_learn(nc, GW, mac_a, 20), 0);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 30, mac), VXLAN_NEIGH_FOUND);
	assert_memory_equal(mac, mac_a, 6);
	assert_int_equal(state_of(nc, GW, 30), VXLAN_NEIGH_REACHABLE);
	/* No more requests once answered. */
	assert_int_equal(vxlan_neigh_tick(nc, 5000, req, 4), 0);
	vxlan_neigh_get_stats(nc, &st);
	assert_int_equal(st.n_learned, 1);
	assert_int_equal(st.n_moves, 0);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_learn_ignores_unknown_and_bad_macs(void **state)
{
	static const uint8_t zero[6], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_neigh_stats st;
	uint8_t mac[6];

	(void)state;
	assert_int_equal(vxlan_neigh_learn(nc, IP(192, 0, 2, 9), mac_a, 0), -ENOENT);
	assert_int_equal(vxlan_neigh_count(nc), 0);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 0, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_learn(nc, GW, zero, 1), -EINVAL);
	assert_int_equal(vxlan_neigh_learn(nc, GW, bcast, 1), -EINVAL);
	assert_int_equal(vxlan_neigh_learn(nc, GW, mcast, 1), -EINVAL);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 2, mac), VXLAN_NEIGH_PENDING);
	vxlan_neigh_get_stats(nc, &st);
	assert_int_equal(st.n_ignored, 4);
	assert_int_equal(st.n_learned, 0);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_stale_still_found_and_refreshed_once(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	uint8_t mac[6] = {0};

	(void)state;
	vxlan_neigh_resolve(nc, GW, 0, mac);
	vxlan_neigh_learn(nc, GW, mac_a, 100);
	assert_int_equal(vxlan_neigh_tick(nc, 30099, req, 4), 0);
	assert_int_equal(state_of(nc, GW, 30099), VXLAN_NEIGH_REACHABLE);
	assert_int_equal(vxlan_neigh_tick(nc, 30100, req, 4), 0); /* unused: no refresh */
	assert_int_equal(state_of(nc, GW, 30100), VXLAN_NEIGH_STALE);
	memset(mac, 0, 6);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 31000, mac), VXLAN_NEIGH_FOUND);
	assert_memory_equal(mac, mac_a, 6);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 31001, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_tick(nc, 31002, req, 4), 1);
	assert_int_equal(req[0].target_ip, GW);
	assert_true(req[0].refresh);
	assert_memory_equal(req[0].mac, mac_a, 6);
	/* Only one refresh, however often the entry is used in between. */
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 31003, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_tick(nc, 31004, req, 4), 0);
	/* The answer makes it REACHABLE again and stops the probing. */
	assert_int_equal(vxlan_neigh_learn(nc, GW, mac_a, 31500), 0);
	assert_int_equal(state_of(nc, GW, 31500), VXLAN_NEIGH_REACHABLE);
	assert_int_equal(vxlan_neigh_tick(nc, 40000, req, 4), 0);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_stale_unanswered_fails(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	uint8_t mac[6];

	(void)state;
	vxlan_neigh_resolve(nc, GW, 0, mac);
	vxlan_neigh_learn(nc, GW, mac_a, 0);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 30000, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_tick(nc, 30000, req, 4), 1);
	assert_int_equal(vxlan_neigh_tick(nc, 31000, req, 4), 1);
	assert_int_equal(vxlan_neigh_tick(nc, 32000, req, 4), 1);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 32500, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_tick(nc, 33000, req, 4), 0);
	assert_int_equal(state_of(nc, GW, 33000), VXLAN_NEIGH_FAILED);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 33001, mac), VXLAN_NEIGH_FAIL);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_mac_change_counts_a_move(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_neigh_stats st;
	uint8_t mac[6];

	(void)state;
	vxlan_neigh_resolve(nc, GW, 0, mac);
	assert_int_equal(vxlan_neigh_learn(nc, GW, mac_a, 10), 0);
	assert_int_equal(vxlan_neigh_learn(nc, GW, mac_a, 20), 0); /* same MAC: no move */
	assert_int_equal(vxlan_neigh_learn(nc, GW, mac_b, 30), 0);
	assert_int_equal(vxlan_neigh_resolve(nc, GW, 40, mac), VXLAN_NEIGH_FOUND);
	assert_memory_equal(mac, mac_b, 6);
	vxlan_neigh_get_stats(nc, &st);
	assert_int_equal(st.n_moves, 1);
	assert_int_equal(st.n_learned, 3);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_gc_removes_unused_stale(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	uint32_t other = IP(192, 0, 2, 7);
	uint8_t mac[6];

	(void)state;
	vxlan_neigh_resolve(nc, GW, 0, mac);
	vxlan_neigh_learn(nc, GW, mac_a, 0);
	vxlan_neigh_resolve(nc, other, 0, mac);
	vxlan_neigh_learn(nc, other, mac_b, 0);
	/* 'other' is used (and answers its refresh), GW is not. */
	assert_int_equal(vxlan_neigh_resolve(nc, other, 40000, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_tick(nc, 40000, req, 4), 1);
	vxlan_neigh_learn(nc, other, mac_b, 40001);
	assert_int_equal(vxlan_neigh_tick(nc, 59999, req, 4), 0);
	assert_int_equal(vxlan_neigh_count(nc), 2);
	assert_int_equal(vxlan_neigh_tick(nc, 60000, req, 4), 0);
	assert_int_equal(vxlan_neigh_count(nc), 1);
	assert_int_equal(state_of(nc, other, 60000), VXLAN_NEIGH_REACHABLE);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_full_cache_evicts_lru_stale_else_fails(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(2);
	struct vxlan_arp_req req[4];
	struct vxlan_neigh_stats st;
	uint8_t mac[6];

	(void)state;
	vxlan_neigh_resolve(nc, IP(10, 0, 0, 1), 0, mac);
	vxlan_neigh_resolve(nc, IP(10, 0, 0, 2), 0, mac);
	/* Both INCOMPLETE: nothing may be evicted. */
	assert_int_equal(vxlan_neigh_resolve(nc, IP(10, 0, 0, 3), 1, mac), VXLAN_NEIGH_FAIL);
	vxlan_neigh_learn(nc, IP(10, 0, 0, 1), mac_a, 2);
	vxlan_neigh_learn(nc, IP(10, 0, 0, 2), mac_b, 2);
	/* Both REACHABLE: still nothing to evict. */
	assert_int_equal(vxlan_neigh_resolve(nc, IP(10, 0, 0, 3), 3, mac), VXLAN_NEIGH_FAIL);
	/* Both go STALE; .2 is used later than .1, so .1 is the one evicted. */
	vxlan_neigh_tick(nc, 30002, req, 4);
	assert_int_equal(vxlan_neigh_resolve(nc, IP(10, 0, 0, 1), 30010, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_resolve(nc, IP(10, 0, 0, 2), 30020, mac), VXLAN_NEIGH_FOUND);
	assert_int_equal(vxlan_neigh_resolve(nc, IP(10, 0, 0, 3), 30030, mac), VXLAN_NEIGH_PENDING);
	assert_int_equal(vxlan_neigh_count(nc), 2);
	assert_int_equal(state_of(nc, IP(10, 0, 0, 2), 30030), VXLAN_NEIGH_STALE);
	assert_int_equal(state_of(nc, IP(10, 0, 0, 3), 30030), VXLAN_NEIGH_INCOMPLETE);
	assert_int_equal(vxlan_neigh_learn(nc, IP(10, 0, 0, 1), mac_a, 30040), -ENOENT);
	vxlan_neigh_get_stats(nc, &st);
	assert_int_equal(st.n_full, 2);
	assert_int_equal(st.n_evicted, 1);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_tick_keeps_requests_that_do_not_fit(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_arp_req req[4];
	uint32_t seen = 0;
	uint8_t mac[6];

	(void)state;
	for (uint32_t i = 1; i <= 3; i++) {
		vxlan_neigh_resolve(nc, IP(10, 0, 0, i), 0, mac);
	}
	assert_int_equal(vxlan_neigh_tick(nc, 0, req, 2), 2);
	seen |= 1u << (req[0].target_ip & 0xff) | 1u << (req[1].target_ip & 0xff);
	assert_int_equal(vxlan_neigh_tick(nc, 1, req, 0), 0);
	assert_int_equal(vxlan_neigh_tick(nc, 2, req, 4), 1);
	seen |= 1u << (req[0].target_ip & 0xff);
	assert_int_equal(seen, 0xe);
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_dump_and_names(void **state)
{
	struct vxlan_neigh_cache *nc = cache_new(8);
	struct vxlan_neigh_info info[4];
	uint8_t mac[6];

	(void)state;
	assert_int_equal(vxlan_neigh_dump(nc, 0, info, 4), 0);
	vxlan_neigh_resolve(nc, GW, 1000, mac);
	vxlan_neigh_learn(nc, GW, mac_a, 1500);
	assert_int_equal(vxlan_neigh_dump(nc, 4000, info, 0), 0);
	assert_int_equal(vxlan_neigh_dump(nc, 4000, info, 4), 1);
	assert_int_equal(info[0].ip, GW);
	assert_memory_equal(info[0].mac, mac_a, 6);
	assert_int_equal(info[0].age_ms, 2500);
	assert_string_equal(vxlan_neigh_state_name(info[0].state), "REACHABLE");
	assert_string_equal(vxlan_neigh_state_name(VXLAN_NEIGH_INCOMPLETE), "INCOMPLETE");
	assert_string_equal(vxlan_neigh_state_name(VXLAN_NEIGH_STALE), "STALE");
	assert_string_equal(vxlan_neigh_state_name(VXLAN_NEIGH_FAILED), "FAILED");
	assert_string_equal(vxlan_neigh_state_name((enum vxlan_neigh_state)42), "?");
	vxlan_neigh_destroy(nc);
}

static void
test_vxlan_neigh_create_defaults_and_limits(void **state)
{
	struct vxlan_neigh_params p = {.capacity = 65537};
	struct vxlan_neigh_cache *nc = NULL;
	struct vxlan_arp_req req[4];
	uint8_t mac[6];

	(void)state;
	assert_int_equal(vxlan_neigh_create(&p, &nc), -EINVAL);
	assert_int_equal(vxlan_neigh_create(NULL, &nc), 0);
	/* Defaults: retrans 1000, 3 probes, reachable 30000. */
	vxlan_neigh_resolve(nc, GW, 0, mac);
	assert_int_equal(vxlan_neigh_tick(nc, 0, req, 4), 1);
	assert_int_equal(vxlan_neigh_tick(nc, 999, req, 4), 0);
	assert_int_equal(vxlan_neigh_tick(nc, 1000, req, 4), 1);
	vxlan_neigh_learn(nc, GW, mac_a, 1000);
	assert_int_equal(state_of(nc, GW, 30999), VXLAN_NEIGH_REACHABLE);
	assert_int_equal(state_of(nc, GW, 31000), VXLAN_NEIGH_STALE);
	vxlan_neigh_destroy(nc);
	vxlan_neigh_destroy(NULL);
}

/* ------------------------------------------------------------------ */
/* ARP frames                                                           */
/* ------------------------------------------------------------------ */

static void
test_vxlan_neigh_arp_request_matches_rfc826_vector(void **state)
{
	uint8_t buf[64];

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(vxlan_arp_request_build(buf, our_mac, IP(192, 0, 2, 1), GW),
			 sizeof(arp_request));
	assert_memory_equal(buf, arp_request, sizeof(arp_request));
	assert_int_equal(buf[sizeof(arp_request)], 0xa5); /* nothing written past the end */
}

static void
test_vxlan_neigh_arp_parses_reply(void **state)
{
	struct vxlan_arp a;

	(void)state;
	assert_int_equal(vxlan_arp_parse(arp_reply, sizeof(arp_reply), &a), 0);
	assert_int_equal(a.op, VXLAN_ARP_OP_REPLY);
	assert_memory_equal(a.sha, mac_a, 6);
	assert_int_equal(a.spa, GW);
	assert_memory_equal(a.tha, our_mac, 6);
	assert_int_equal(a.tpa, IP(192, 0, 2, 1));
	assert_false(a.tagged);
	assert_int_equal(a.vlan_tci, 0);
	/* Our own request parses back too (without padding). */
	assert_int_equal(vxlan_arp_parse(arp_request, sizeof(arp_request), &a), 0);
	assert_int_equal(a.op, VXLAN_ARP_OP_REQUEST);
	assert_int_equal(a.spa, IP(192, 0, 2, 1));
	assert_int_equal(a.tpa, GW);
}

static void
test_vxlan_neigh_arp_parses_tagged_frame(void **state)
{
	struct vxlan_arp a;

	(void)state;
	assert_int_equal(vxlan_arp_parse(arp_reply_tagged, sizeof(arp_reply_tagged), &a), 0);
	assert_true(a.tagged);
	assert_int_equal(a.vlan_tci, 0x2064);
	assert_int_equal(a.op, VXLAN_ARP_OP_REPLY);
	assert_memory_equal(a.sha, mac_a, 6);
	assert_int_equal(a.spa, GW);
	assert_int_equal(a.tpa, IP(192, 0, 2, 1));
}

/* Parse the first 'n' bytes of 'frame' from a heap copy of exactly that size,
 * so that ASan reports any read past the end. */
static int
parse_exact(const uint8_t *frame, size_t n, struct vxlan_arp *a)
{
	uint8_t *p = malloc(n > 0 ? n : 1);
	int rc;

	assert_non_null(p);
	memcpy(p, frame, n);
	rc = vxlan_arp_parse(p, n, a);
	free(p);
	return rc;
}

static void
test_vxlan_neigh_arp_rejects_truncated_and_foreign(void **state)
{
	/* Byte offset in the untagged frame, and a value that makes it not Ethernet/IPv4 ARP. */
	static const struct {
		size_t off;
		uint8_t val;
	} bad[] = {
	    {12, 0x86}, /* ethertype 0x8606 */
	    {15, 0x06}, /* htype 6 (IEEE 802) */
	    {16, 0x86}, /* ptype 0x8600 */
	    {18, 0x08}, /* hlen 8 */
	    {19, 0x10}, /* plen 16 */
	    {21, 0x03}, /* op 3 (RARP request) */
	    {21, 0x00}, /* op 0 */
	};
	uint8_t buf[sizeof(arp_reply_tagged)], dtag[sizeof(arp_reply_tagged) + 4];
	struct vxlan_arp a;

	(void)state;
	for (size_t n = 0; n < sizeof(arp_request); n++) {
		assert_int_equal(parse_exact(arp_request, n, &a), -EINVAL);
	}
	for (size_t n = 0; n < sizeof(arp_reply_tagged); n++) {
		assert_int_equal(parse_exact(arp_reply_tagged, n, &a), -EINVAL);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, arp_request, sizeof(arp_request));
		buf[bad[i].off] = bad[i].val;
		assert_int_equal(vxlan_arp_parse(buf, sizeof(arp_request), &a), -EINVAL);
	}
	/* Two tags (QinQ with 0x8100 inside) are not accepted. */
	memcpy(dtag, arp_reply_tagged, 16);
	memcpy(dtag + 16, arp_reply_tagged + 12, sizeof(arp_reply_tagged) - 12);
	assert_int_equal(vxlan_arp_parse(dtag, sizeof(dtag), &a), -EINVAL);
}

/* Every single-bit flip of the tagged reply parses or fails cleanly. */
static void
test_vxlan_neigh_arp_bit_flips_never_crash(void **state)
{
	uint8_t buf[sizeof(arp_reply_tagged)];
	struct vxlan_arp a;
	unsigned n_ok = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(buf) * 8; i++) {
		int rc;

		memcpy(buf, arp_reply_tagged, sizeof(buf));
		buf[i / 8] ^= (uint8_t)(1u << (i % 8));
		rc = vxlan_arp_parse(buf, sizeof(buf), &a);
		assert_true(rc == 0 || rc == -EINVAL);
		n_ok += rc == 0;
	}
	/* Flips in the MACs, TCI and addresses (37 bytes) parse; header flips do not. */
	assert_true(n_ok > 0 && n_ok < sizeof(buf) * 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vxlan_neigh_route_longest_prefix_wins),
	    cmocka_unit_test(test_vxlan_neigh_route_default_route_catches_the_rest),
	    cmocka_unit_test(test_vxlan_neigh_route_metric_then_first_added),
	    cmocka_unit_test(test_vxlan_neigh_route_add_rejects_bad_and_full),
	    cmocka_unit_test(test_vxlan_neigh_route_matches_reference_model),
	    cmocka_unit_test(test_vxlan_neigh_unknown_is_pending_and_requested),
	    cmocka_unit_test(test_vxlan_neigh_retransmits_then_fails),
	    cmocka_unit_test(test_vxlan_neigh_learn_gives_found_with_mac),
	    cmocka_unit_test(test_vxlan_neigh_learn_ignores_unknown_and_bad_macs),
	    cmocka_unit_test(test_vxlan_neigh_stale_still_found_and_refreshed_once),
	    cmocka_unit_test(test_vxlan_neigh_stale_unanswered_fails),
	    cmocka_unit_test(test_vxlan_neigh_mac_change_counts_a_move),
	    cmocka_unit_test(test_vxlan_neigh_gc_removes_unused_stale),
	    cmocka_unit_test(test_vxlan_neigh_full_cache_evicts_lru_stale_else_fails),
	    cmocka_unit_test(test_vxlan_neigh_tick_keeps_requests_that_do_not_fit),
	    cmocka_unit_test(test_vxlan_neigh_dump_and_names),
	    cmocka_unit_test(test_vxlan_neigh_create_defaults_and_limits),
	    cmocka_unit_test(test_vxlan_neigh_arp_request_matches_rfc826_vector),
	    cmocka_unit_test(test_vxlan_neigh_arp_parses_reply),
	    cmocka_unit_test(test_vxlan_neigh_arp_parses_tagged_frame),
	    cmocka_unit_test(test_vxlan_neigh_arp_rejects_truncated_and_foreign),
	    cmocka_unit_test(test_vxlan_neigh_arp_bit_flips_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
