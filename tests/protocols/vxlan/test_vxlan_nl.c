/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vxlan_nl.c - the kernel's IPv4 routes and link facts read through
 * libnl (vxlan_nl.c), against a real kernel.
 *
 * The program moves itself into a private network namespace with
 * unshare(CLONE_NEWNET) and builds its state there with ip(8), so the
 * host's routes never leak in and the expected table is exact. Without
 * the privilege to do so (not root), every case is skipped. Where the
 * kernel has no dummy driver, a veth pair stands in for it.
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocols/vxlan/vxlan_neigh.h"
#include "protocols/vxlan/vxlan_nl.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* The namespace's state; main-table unicast routes are marked with their count. */
static const char *const netns_cmds[] = {
    "ip link add d0 type dummy 2>/dev/null || "
    "{ ip link add d0 type veth peer name d0p && ip link set d0p up; }",
    "ip link set d0 up mtu 1400",
    "ip addr add 10.9.0.1/24 dev d0",                                        /* 1: connected */
    "ip addr add 10.9.7.1/24 dev d0",                                        /* 2: connected */
    "ip route add 198.51.100.0/24 via 10.9.0.2 metric 7",                    /* 3 */
    "ip route add 198.51.100.128/25 via 10.9.0.3",                           /* 4 */
    "ip route add 203.0.113.0/25 dev d0 src 10.9.0.1",                       /* 5 */
    "ip route add 192.0.2.0/24 via 10.9.0.2 metric 20",                      /* 6 */
    "ip route add 192.0.2.0/24 via 10.9.0.3 metric 10",                      /* 7 */
    "ip route add 100.100.0.0/16 nexthop via 10.9.0.2 nexthop via 10.9.0.3", /* 8 */
    "ip route add default via 10.9.0.254",                                   /* 9 */
    "ip route add local 10.66.0.0/16 dev d0 table main",
    "ip route add broadcast 10.67.0.255 dev d0 table main",
    "ip route add unreachable 10.68.0.0/16",
    "ip route add blackhole 10.69.0.0/16",
    "ip route add 10.70.0.0/16 dev d0 table 100",
    "ip link add d1 type dummy 2>/dev/null || ip link add d1 type veth peer name d1p",
};

#define N_MAIN_UNICAST 9

static bool netns_ok;
static int d0_ifindex;
static int d1_ifindex;

static int
netns_setup(void **state)
{
	(void)state;
	if (unshare(CLONE_NEWNET) != 0) {
		fprintf(stderr, "# unshare(CLONE_NEWNET): %s: skipping\n", strerror(errno));
		return 0;
	}
	for (size_t i = 0; i < sizeof(netns_cmds) / sizeof(netns_cmds[0]); i++) {
		if (system(netns_cmds[i]) != 0) {
			fprintf(stderr, "# failed: %s\n", netns_cmds[i]);
			return -1;
		}
	}
	d0_ifindex = (int)if_nametoindex("d0");
	d1_ifindex = (int)if_nametoindex("d1");
	if (d0_ifindex == 0 || d1_ifindex == 0) {
		return -1;
	}
	netns_ok = true;
	return 0;
}

static void
need_netns(void)
{
	if (!netns_ok) {
		skip();
	}
}

/* A new table of 'capacity' holding the kernel's routes; their count goes to '*n'. */
static struct vxlan_routes *
load(unsigned capacity, int *n)
{
	struct vxlan_routes *rt = NULL;
	char err[256] = "";

	assert_int_equal(vxlan_routes_create(capacity, &rt), 0);
	*n = vxlan_nl_load_routes(rt, err, sizeof(err));
	if (*n < 0) {
		fail_msg("vxlan_nl_load_routes: %d: %s", *n, err);
	}
	return rt;
}

static void
check_route(const struct vxlan_route *r, uint32_t prefix, uint8_t len, uint32_t gw, uint32_t src,
	    uint32_t metric)
{
	assert_non_null(r);
	assert_int_equal(r->prefix, prefix);
	assert_int_equal(r->len, len);
	assert_int_equal(r->gateway, gw);
	assert_int_equal(r->src, src);
	assert_int_equal(r->metric, metric);
	assert_int_equal(r->ifindex_or_port, d0_ifindex);
}

static void
test_vxlan_nl_load_counts_main_unicast_routes(void **state)
{
	struct vxlan_routes *rt;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	assert_int_equal(n, N_MAIN_UNICAST);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_load_finds_connected_routes(void **state)
{
	struct vxlan_routes *rt;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	check_route(vxlan_route_lookup(rt, IP(10, 9, 0, 77)), IP(10, 9, 0, 0), 24, 0,
		    IP(10, 9, 0, 1), 0);
	check_route(vxlan_route_lookup(rt, IP(10, 9, 7, 5)), IP(10, 9, 7, 0), 24, 0,
		    IP(10, 9, 7, 1), 0);
	assert_int_equal(vxlan_next_hop(vxlan_route_lookup(rt, IP(10, 9, 0, 77)), IP(10, 9, 0, 77)),
			 IP(10, 9, 0, 77));
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_load_finds_gateway_and_metric(void **state)
{
	struct vxlan_routes *rt;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	check_route(vxlan_route_lookup(rt, IP(198, 51, 100, 5)), IP(198, 51, 100, 0), 24,
		    IP(10, 9, 0, 2), 0, 7);
	assert_int_equal(
	    vxlan_next_hop(vxlan_route_lookup(rt, IP(198, 51, 100, 5)), IP(198, 51, 100, 5)),
	    IP(10, 9, 0, 2));
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_load_finds_preferred_source(void **state)
{
	struct vxlan_routes *rt;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	check_route(vxlan_route_lookup(rt, IP(203, 0, 113, 9)), IP(203, 0, 113, 0), 25, 0,
		    IP(10, 9, 0, 1), 0);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_lookup_prefers_longest_prefix_then_metric(void **state)
{
	struct vxlan_routes *rt;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	/* The /25 inside the /24 wins for its half only. */
	check_route(vxlan_route_lookup(rt, IP(198, 51, 100, 200)), IP(198, 51, 100, 128), 25,
		    IP(10, 9, 0, 3), 0, 0);
	check_route(vxlan_route_lookup(rt, IP(198, 51, 100, 127)), IP(198, 51, 100, 0), 24,
		    IP(10, 9, 0, 2), 0, 7);
	/* Outside the on-link /25, the default route. */
	check_route(vxlan_route_lookup(rt, IP(203, 0, 113, 200)), 0, 0, IP(10, 9, 0, 254), 0, 0);
	check_route(vxlan_route_lookup(rt, IP(8, 8, 8, 8)), 0, 0, IP(10, 9, 0, 254), 0, 0);
	/* Two routes for 192.0.2.0/24: metric 10 beats metric 20. */
	check_route(vxlan_route_lookup(rt, IP(192, 0, 2, 1)), IP(192, 0, 2, 0), 24, IP(10, 9, 0, 3),
		    0, 10);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_multipath_keeps_first_nexthop(void **state)
{
	struct vxlan_routes *rt;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	check_route(vxlan_route_lookup(rt, IP(100, 100, 1, 1)), IP(100, 100, 0, 0), 16,
		    IP(10, 9, 0, 2), 0, 0);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_load_skips_local_broadcast_unreachable_and_other_tables(void **state)
{
	/* Each lies inside a skipped route; only a loaded route may answer for it. */
	static const struct {
		uint32_t dst;
		uint8_t len;
	} cases[] = {
	    {IP(10, 9, 0, 1), 24},   /* local table: our own address */
	    {IP(10, 9, 0, 255), 24}, /* local table: the subnet broadcast */
	    {IP(10, 66, 0, 1), 0},   /* local route in main */
	    {IP(10, 67, 0, 255), 0}, /* broadcast route in main */
	    {IP(10, 68, 0, 1), 0},   /* unreachable */
	    {IP(10, 69, 0, 1), 0},   /* blackhole */
	    {IP(10, 70, 0, 1), 0},   /* unicast, but table 100 */
	};
	struct vxlan_routes *rt;
	const struct vxlan_route *r;
	int n;

	(void)state;
	need_netns();
	rt = load(64, &n);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = vxlan_route_lookup(rt, cases[i].dst);
		assert_non_null(r);
		assert_int_equal(r->len, cases[i].len);
	}
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_load_keeps_existing_routes(void **state)
{
	struct vxlan_route mine = {.prefix = IP(100, 64, 0, 0), .len = 10, .ifindex_or_port = 99};
	struct vxlan_routes *rt = NULL;
	const struct vxlan_route *r;
	char err[256];

	(void)state;
	need_netns();
	assert_int_equal(vxlan_routes_create(N_MAIN_UNICAST + 1, &rt), 0);
	assert_int_equal(vxlan_routes_add(rt, &mine), 0);
	assert_int_equal(vxlan_nl_load_routes(rt, err, sizeof(err)), N_MAIN_UNICAST);
	r = vxlan_route_lookup(rt, IP(100, 64, 1, 1));
	assert_non_null(r);
	assert_int_equal(r->ifindex_or_port, 99);
	check_route(vxlan_route_lookup(rt, IP(10, 9, 0, 77)), IP(10, 9, 0, 0), 24, 0,
		    IP(10, 9, 0, 1), 0);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_load_into_full_table_skips_the_rest(void **state)
{
	struct vxlan_routes *rt;
	char err[256];
	int n;

	(void)state;
	need_netns();
	rt = load(3, &n);
	assert_int_equal(n, 3);
	assert_int_equal(vxlan_nl_load_routes(rt, err, sizeof(err)), 0);
	vxlan_routes_destroy(rt);
}

static void
test_vxlan_nl_link_info_gives_mtu_and_first_address(void **state)
{
	uint32_t ip = 0;
	unsigned mtu = 0;

	(void)state;
	need_netns();
	assert_int_equal(vxlan_nl_link_info(d0_ifindex, &mtu, &ip), 0);
	assert_int_equal(mtu, 1400);
	assert_int_equal(ip, IP(10, 9, 0, 1));
}

static void
test_vxlan_nl_link_info_without_address_gives_zero(void **state)
{
	uint32_t ip = 1;
	unsigned mtu = 0;

	(void)state;
	need_netns();
	assert_int_equal(vxlan_nl_link_info(d1_ifindex, &mtu, &ip), 0);
	assert_int_equal(mtu, 1500);
	assert_int_equal(ip, 0);
}

static void
test_vxlan_nl_link_info_absent_ifindex_is_enodev(void **state)
{
	static const int absent[] = {9999, 0, -1};
	uint32_t ip = 7;
	unsigned mtu = 7;

	(void)state;
	need_netns();
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_int_equal(vxlan_nl_link_info(absent[i], &mtu, &ip), -ENODEV);
	}
	assert_int_equal(mtu, 7);
	assert_int_equal(ip, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vxlan_nl_load_counts_main_unicast_routes),
	    cmocka_unit_test(test_vxlan_nl_load_finds_connected_routes),
	    cmocka_unit_test(test_vxlan_nl_load_finds_gateway_and_metric),
	    cmocka_unit_test(test_vxlan_nl_load_finds_preferred_source),
	    cmocka_unit_test(test_vxlan_nl_lookup_prefers_longest_prefix_then_metric),
	    cmocka_unit_test(test_vxlan_nl_multipath_keeps_first_nexthop),
	    cmocka_unit_test(test_vxlan_nl_load_skips_local_broadcast_unreachable_and_other_tables),
	    cmocka_unit_test(test_vxlan_nl_load_keeps_existing_routes),
	    cmocka_unit_test(test_vxlan_nl_load_into_full_table_skips_the_rest),
	    cmocka_unit_test(test_vxlan_nl_link_info_gives_mtu_and_first_address),
	    cmocka_unit_test(test_vxlan_nl_link_info_without_address_gives_zero),
	    cmocka_unit_test(test_vxlan_nl_link_info_absent_ifindex_is_enodev),
	};

	return cmocka_run_group_tests(tests, netns_setup, NULL);
}
