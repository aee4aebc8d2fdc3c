/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_port_conf.c - names, MACs, addresses and each port type's options.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "control/port_conf.h"

static int
parse(const char *type, const char *options_json, struct ctl_port_conf *out, char *err)
{
	json_t *o = options_json != NULL ? json_loads(options_json, 0, NULL) : NULL;
	int ret = ctl_port_conf_parse(type, o, out, err, 256);

	/* 'out' borrows from 'o'; the tests below only read numbers after this. */
	json_decref(o);
	return ret;
}

static void
test_port_conf_names(void **state)
{
	(void)state;
	assert_true(ctl_name_valid("br0"));
	assert_true(ctl_name_valid("c-1_x.y"));
	assert_true(ctl_name_valid("abcdefghijklmno"));
	assert_false(ctl_name_valid("abcdefghijklmnop"));
	assert_false(ctl_name_valid(""));
	assert_false(ctl_name_valid("a b"));
	assert_false(ctl_name_valid("a/b"));
	assert_false(ctl_name_valid(".."));
}

static void
test_port_conf_macs(void **state)
{
	uint8_t mac[6];
	char buf[18];

	(void)state;
	assert_int_equal(ctl_parse_mac("02:aB:00:ff:10:01", mac), 0);
	ctl_format_mac(mac, buf);
	assert_string_equal(buf, "02:ab:00:ff:10:01");
	assert_int_equal(ctl_parse_mac("02:ab:00:ff:10", mac), -EINVAL);
	assert_int_equal(ctl_parse_mac("02:ab:00:ff:10:011", mac), -EINVAL);
	assert_int_equal(ctl_parse_mac("02-ab-00-ff-10-01", mac), -EINVAL);
	assert_int_equal(ctl_parse_mac("zz:ab:00:ff:10:01", mac), -EINVAL);
	assert_int_equal(ctl_parse_mac("2:ab:00:ff:10:01 ", mac), -EINVAL);
}

static void
test_port_conf_addresses(void **state)
{
	struct tap_addr a[4];
	char err[256];
	uint8_t v4[4];

	(void)state;
	assert_int_equal(tap_parse_addrs("10.0.0.1/24", a, 4, err, sizeof(err)), 1);
	inet_pton(AF_INET, "10.0.0.1", v4);
	assert_int_equal(a[0].family, AF_INET);
	assert_memory_equal(a[0].bytes, v4, 4);
	assert_int_equal(a[0].prefix_len, 24);
	assert_int_equal(tap_parse_addrs("fd00::1/64,10.0.0.1/8", a, 4, err, sizeof(err)), 2);
	assert_int_equal(a[0].family, AF_INET6);
	assert_int_equal(a[1].prefix_len, 8);
	assert_int_equal(tap_parse_addrs("10.0.0.1", a, 4, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no prefix length"));
	assert_int_equal(tap_parse_addrs("10.0.0.1/33", a, 4, err, sizeof(err)), -EINVAL);
	assert_int_equal(tap_parse_addrs("10.0.0.300/24", a, 4, err, sizeof(err)), -EINVAL);
	assert_int_equal(tap_parse_addrs("10.0.0.1/2x", a, 4, err, sizeof(err)), -EINVAL);
	assert_int_equal(tap_parse_addrs(",", a, 4, err, sizeof(err)), -EINVAL);
	assert_int_equal(tap_parse_addrs("1.1.1.1/1,1.1.1.2/1", a, 1, err, sizeof(err)), -EINVAL);
}

static void
test_port_conf_tap_options(void **state)
{
	struct ctl_port_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse(NULL,
			       "{\"netns\": \"ns1\", \"ip\": \"10.0.0.1/24\", \"mac\": "
			       "\"02:00:00:00:00:09\", \"mtu\": \"1400\"}",
			       &c, err),
			 0);
	assert_int_equal(c.type, CTL_PORT_TAP);
	assert_int_equal(c.n_addrs, 1);
	assert_int_equal(c.mtu, 1400);
	assert_true(c.has_mac);
	assert_int_equal(c.mac[5], 9);
	assert_int_equal(parse("tap", NULL, &c, err), 0);
	assert_null(c.netns);
	assert_int_equal(parse("tap", "{\"mtu\": \"67\"}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "bad mtu '67'"));
	assert_int_equal(parse("tap", "{\"mac\": \"01:00:00:00:00:01\"}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "unicast"));
	assert_int_equal(parse("tap", "{\"netns\": \"a/b\"}", &c, err), -EINVAL);
	assert_int_equal(parse("tap", "{\"netns\": \"..\"}", &c, err), -EINVAL);
	assert_int_equal(parse("tap", "{\"netns\": \"/proc/1/ns/net\"}", &c, err), 0);
	assert_int_equal(parse("tap", "{\"colour\": \"red\"}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "unknown option 'colour'"));
	assert_int_equal(parse("tap", "{\"mtu\": 1500}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "must be a string"));
}

static void
test_port_conf_dpdk_and_types(void **state)
{
	struct ctl_port_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse("dpdk", "{\"devargs\": \"net_null0,no-rx=1\"}", &c, err), 0);
	assert_int_equal(c.type, CTL_PORT_DPDK);
	assert_int_equal(parse("dpdk", "{}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "needs options:devargs"));
	assert_int_equal(parse("dpdk", "{\"netns\": \"x\"}", &c, err), -EINVAL);
	assert_int_equal(parse("vhost", NULL, &c, err), -EINVAL);
	assert_non_null(strstr(err, "unknown interface type 'vhost'"));
	assert_int_equal(parse("internal", "{\"mtu\": \"1500\"}", &c, err), -EINVAL);
	assert_int_equal(parse("internal", NULL, &c, err), 0);
	assert_int_equal(parse("tap", "[1]", &c, err), -EINVAL);
}

static void
test_port_conf_vhost_options(void **state)
{
	struct ctl_port_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse("vhost-user", NULL, &c, err), 0);
	assert_int_equal(c.type, CTL_PORT_VHOST);
	assert_int_equal(c.queues, CTL_VHOST_DEFAULT_QUEUES);
	assert_int_equal(parse("dpdkvhostuser", "{\"queues\": \"2\"}", &c, err), 0);
	assert_int_equal(c.type, CTL_PORT_VHOST);
	assert_int_equal(c.queues, 2);
	assert_int_equal(parse("vhost-user", "{\"queues\": \"0\"}", &c, err), -EINVAL);
	assert_int_equal(parse("vhost-user", "{\"queues\": \"17\"}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "bad queues '17'"));
	assert_int_equal(parse("vhost-user", "{\"vhost-server-path\": \"/x\"}", &c, err), -EINVAL);
	assert_non_null(strstr(err, "unknown option 'vhost-server-path' for a vhost-user port"));
	assert_int_equal(
	    parse("vhost-user-client", "{\"vhost-server-path\": \"/run/q.sock\"}", &c, err), 0);
	assert_int_equal(c.type, CTL_PORT_VHOST_CLIENT);
	assert_int_equal(parse("dpdkvhostuserclient", NULL, &c, err), -EINVAL);
	assert_non_null(strstr(err, "needs options:vhost-server-path"));
	assert_int_equal(parse("vhost-user-client", "{\"vhost-server-path\": \"q.sock\"}", &c, err),
			 -EINVAL);
	assert_int_equal(parse("vhost-user-client", "{\"vhost-server-path\": \"/a,b\"}", &c, err),
			 -EINVAL);
	assert_string_equal(ctl_port_type_name(CTL_PORT_VHOST_CLIENT), "vhost-user-client");
}

/* A vxlan port to 192.0.2.1 with 'extra' options appended, e.g. ", \"key\": \"5\"". */
static int
parse_vxlan(const char *extra, struct ctl_port_conf *out, char *err)
{
	char json[256];

	snprintf(json, sizeof(json), "{\"remote_ip\": \"192.0.2.1\"%s}", extra);
	return parse("vxlan", json, out, err);
}

/* options:'key'='val' is refused with an error naming options:'key'. */
static void
assert_vxlan_refused(const char *key, const char *val, const char *why)
{
	struct ctl_port_conf c;
	char json[256], err[256], want[64];

	snprintf(json, sizeof(json), "{\"remote_ip\": \"192.0.2.1\", \"%s\": \"%s\"}", key, val);
	assert_int_equal(parse("vxlan", json, &c, err), -EINVAL);
	snprintf(want, sizeof(want), "options:%s", key);
	if (strstr(err, want) == NULL || (why != NULL && strstr(err, why) == NULL)) {
		fail_msg("%s=%s: unexpected error '%s'", key, val, err);
	}
	assert_null(strchr(err, '\n'));
}

static void
test_port_conf_ipv4(void **state)
{
	static const char *const bad[] = {
	    "192.0.2.300", "1.2.3",    "",          " 1.2.3.4", "1.2.3.4 ", "1.2.3.4x", "x1.2.3.4",
	    "1.2.3.4.5",   "01.2.3.4", "0x1.2.3.4", "1..2.3",   "-1.2.3.4", "::1",
	};
	uint32_t ip = 42;
	char buf[16];
	size_t i;

	(void)state;
	assert_int_equal(ctl_parse_ipv4("192.0.2.1", &ip), 0);
	assert_int_equal(ip, 0xc0000201);
	ctl_format_ipv4(ip, buf);
	assert_string_equal(buf, "192.0.2.1");
	assert_int_equal(ctl_parse_ipv4("0.0.0.0", &ip), 0);
	assert_int_equal(ip, 0);
	ctl_format_ipv4(0xffffffff, buf);
	assert_string_equal(buf, "255.255.255.255");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ip = 42;
		if (ctl_parse_ipv4(bad[i], &ip) != -EINVAL) {
			fail_msg("'%s' parsed as an IPv4 address", bad[i]);
		}
		assert_int_equal(ip, 42);
	}
}

static void
test_port_conf_vxlan_defaults(void **state)
{
	struct ctl_port_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse_vxlan("", &c, err), 0);
	assert_int_equal(c.type, CTL_PORT_VXLAN);
	assert_string_equal(ctl_port_type_name(c.type), "vxlan");
	assert_int_equal(c.tnl.remote_ip, 0xc0000201);
	assert_false(c.tnl.remote_flow);
	assert_int_equal(c.tnl.key, 0);
	assert_false(c.tnl.key_flow);
	assert_int_equal(c.tnl.local_ip, 0);
	assert_int_equal(c.tnl.dst_port, 4789);
	assert_int_equal(c.tnl.tos, 0);
	assert_int_equal(c.tnl.ttl, 64);
	assert_true(c.tnl.df);
}

static void
test_port_conf_vxlan_every_option(void **state)
{
	struct ctl_port_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse_vxlan(", \"key\": \"5000\", \"local_ip\": \"198.51.100.7\", "
				     "\"dst_port\": \"8472\", \"tos\": \"184\", \"ttl\": \"1\", "
				     "\"df_default\": \"false\"",
				     &c, err),
			 0);
	assert_int_equal(c.tnl.key, 5000);
	assert_int_equal(c.tnl.local_ip, 0xc6336407);
	assert_int_equal(c.tnl.dst_port, 8472);
	assert_int_equal(c.tnl.tos, 184);
	assert_int_equal(c.tnl.ttl, 1);
	assert_false(c.tnl.df);
	assert_int_equal(parse_vxlan(", \"df_default\": \"true\", \"dst_port\": \"65535\", "
				     "\"tos\": \"0\", \"ttl\": \"255\"",
				     &c, err),
			 0);
	assert_true(c.tnl.df);
	assert_int_equal(c.tnl.dst_port, 65535);
	assert_int_equal(c.tnl.ttl, 255);
}

static void
test_port_conf_vxlan_flow_and_keys(void **state)
{
	struct ctl_port_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse("vxlan", "{\"remote_ip\": \"flow\", \"key\": \"flow\"}", &c, err),
			 0);
	assert_true(c.tnl.remote_flow);
	assert_int_equal(c.tnl.remote_ip, 0);
	assert_true(c.tnl.key_flow);
	assert_int_equal(c.tnl.key, 0);
	assert_int_equal(parse_vxlan(", \"key\": \"16777215\"", &c, err), 0);
	assert_int_equal(c.tnl.key, 16777215);
	assert_int_equal(parse_vxlan(", \"key\": \"0\"", &c, err), 0);
	assert_int_equal(c.tnl.key, 0);
	assert_int_equal(parse_vxlan(", \"key\": \"0x1F\"", &c, err), 0);
	assert_int_equal(c.tnl.key, 31);
	assert_int_equal(parse_vxlan(", \"key\": \"0xffffff\"", &c, err), 0);
	assert_int_equal(c.tnl.key, 16777215);
	assert_int_equal(parse_vxlan(", \"key\": \"16777216\"", &c, err), -EINVAL);
	assert_string_equal(err, "vxlan port: options:key must be a number 0..16777215 or flow, "
				 "not 16777216");
	assert_vxlan_refused("key", "0x1000000", "0..16777215");
	assert_vxlan_refused("key", "0x", NULL);
	assert_vxlan_refused("key", "0x0x5", NULL);
	assert_vxlan_refused("key", "-1", NULL);
	assert_vxlan_refused("key", "+5", NULL);
	assert_vxlan_refused("key", " 5", NULL);
	assert_vxlan_refused("key", "5 ", NULL);
	assert_vxlan_refused("key", "", "not ''");
	assert_vxlan_refused("key", "99999999999999999999999", NULL);
	assert_vxlan_refused("key", "010", "octal");
	assert_vxlan_refused("key", "Flow", NULL);
	/* local_ip is a fixed address only. */
	assert_vxlan_refused("local_ip", "flow", NULL);
}

static void
test_port_conf_vxlan_bad_addresses(void **state)
{
	static const char *const malformed[] = {
	    "192.0.2.300", "1.2.3", "", " 192.0.2.1", "192.0.2.1 ", "192.0.2.1x", "fd00::1", "FLOW",
	};
	static const struct {
		const char *ip, *why;
	} unusable[] = {
	    {"0.0.0.0", "unspecified"},       {"224.0.0.1", "multicast"},
	    {"239.255.255.255", "multicast"}, {"255.255.255.255", "broadcast"},
	    {"127.0.0.1", "loopback"},        {"127.255.0.9", "loopback"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		assert_vxlan_refused("remote_ip", malformed[i], "must be an IPv4 address or flow");
		assert_vxlan_refused("local_ip", malformed[i], "must be an IPv4 address");
	}
	for (i = 0; i < sizeof(unusable) / sizeof(unusable[0]); i++) {
		assert_vxlan_refused("remote_ip", unusable[i].ip, unusable[i].why);
		assert_vxlan_refused("local_ip", unusable[i].ip, unusable[i].why);
	}
}

static void
test_port_conf_vxlan_bad_options(void **state)
{
	static const char *const others[] = {"mtu",     "netns",  "ip",    "mac",
					     "devargs", "queues", "in_key"};
	struct ctl_port_conf c;
	char err[256], json[128], want[64];
	size_t i;

	(void)state;
	assert_int_equal(parse("vxlan", NULL, &c, err), -EINVAL);
	assert_string_equal(err, "vxlan port needs options:remote_ip");
	assert_int_equal(parse("vxlan", "{\"key\": \"5\"}", &c, err), -EINVAL);
	assert_string_equal(err, "vxlan port needs options:remote_ip");
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		snprintf(json, sizeof(json), "{\"remote_ip\": \"192.0.2.1\", \"%s\": \"1\"}",
			 others[i]);
		assert_int_equal(parse("vxlan", json, &c, err), -EINVAL);
		snprintf(want, sizeof(want), "unknown option '%s' for a vxlan port (", others[i]);
		assert_non_null(strstr(err, want));
		assert_non_null(
		    strstr(err, "remote_ip, key, local_ip, dst_port, tos, ttl, df_default"));
	}
	assert_int_equal(parse_vxlan(", \"key\": 5", &c, err), -EINVAL);
	assert_non_null(strstr(err, "must be a string"));
	assert_vxlan_refused("dst_port", "0", "1..65535");
	assert_vxlan_refused("dst_port", "65536", "1..65535");
	assert_vxlan_refused("dst_port", "0x12b5", NULL);
	assert_vxlan_refused("tos", "256", "0..255");
	assert_vxlan_refused("tos", "-1", NULL);
	assert_vxlan_refused("ttl", "0", "1..255");
	assert_vxlan_refused("ttl", "256", "1..255");
	assert_vxlan_refused("df_default", "yes", "true or false");
	assert_vxlan_refused("df_default", "", "not ''");
	/* The options of other types are unchanged by the new one. */
	assert_int_equal(parse("tap", "{\"remote_ip\": \"192.0.2.1\"}", &c, err), -EINVAL);
	assert_int_equal(parse("vxlan1", NULL, &c, err), -EINVAL);
	assert_non_null(strstr(err, "vxlan)"));
}

static struct ctl_tnl_conf
tnl(uint32_t remote_ip, uint32_t key)
{
	struct ctl_tnl_conf t = {
	    .remote_ip = remote_ip,
	    .key = key,
	    .dst_port = 4789,
	    .ttl = 64,
	    .df = true,
	};

	return t;
}

static void
test_port_conf_vxlan_clash(void **state)
{
	struct ctl_tnl_conf a = tnl(0xc0000201, 5), b = tnl(0xc0000201, 5);
	char err[256];

	(void)state;
	/* Same remote and key: the second port could never receive anything. */
	err[0] = '\0';
	assert_true(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
	assert_non_null(strstr(err, "remote_ip=192.0.2.1"));
	assert_non_null(strstr(err, "key=5"));
	assert_null(strchr(err, '\n'));
	/* TOS, TTL and DF only shape what is sent. */
	b.tos = 8, b.ttl = 3, b.df = false;
	assert_true(ctl_tnl_conf_clash(&a, &b, NULL, 0));

	b = tnl(0xc0000201, 6);
	strcpy(err, "untouched");
	assert_false(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
	assert_string_equal(err, "untouched");
	b = tnl(0xc0000202, 5);
	assert_false(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));

	/* flow against a fixed remote or key: the fixed port wins its packets. */
	b = tnl(0, 5);
	b.remote_flow = true;
	assert_false(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
	assert_false(ctl_tnl_conf_clash(&b, &a, err, sizeof(err)));
	b = tnl(0xc0000201, 0);
	b.key_flow = true;
	assert_false(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));

	/* Both flow: clash, and the message says so. */
	a = tnl(0, 0), b = tnl(0, 0);
	a.remote_flow = b.remote_flow = a.key_flow = b.key_flow = true;
	assert_true(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
	assert_non_null(strstr(err, "remote_ip=flow key=flow"));

	a = tnl(0xc0000201, 5), b = tnl(0xc0000201, 5);
	b.dst_port = 8472;
	assert_false(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));

	/* local_ip 0 listens on every address, so it overlaps any set one. */
	b = tnl(0xc0000201, 5);
	b.local_ip = 0xc6336407;
	assert_true(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
	assert_true(ctl_tnl_conf_clash(&b, &a, err, sizeof(err)));
	a.local_ip = 0xc6336407;
	assert_true(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
	a.local_ip = 0xc6336408;
	assert_false(ctl_tnl_conf_clash(&a, &b, err, sizeof(err)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_port_conf_names),
	    cmocka_unit_test(test_port_conf_macs),
	    cmocka_unit_test(test_port_conf_addresses),
	    cmocka_unit_test(test_port_conf_tap_options),
	    cmocka_unit_test(test_port_conf_dpdk_and_types),
	    cmocka_unit_test(test_port_conf_vhost_options),
	    cmocka_unit_test(test_port_conf_ipv4),
	    cmocka_unit_test(test_port_conf_vxlan_defaults),
	    cmocka_unit_test(test_port_conf_vxlan_every_option),
	    cmocka_unit_test(test_port_conf_vxlan_flow_and_keys),
	    cmocka_unit_test(test_port_conf_vxlan_bad_addresses),
	    cmocka_unit_test(test_port_conf_vxlan_bad_options),
	    cmocka_unit_test(test_port_conf_vxlan_clash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
