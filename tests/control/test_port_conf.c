/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_port_conf.c - names, MACs, addresses and each port type's options.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
