/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vlan_conf.c - VLAN settings: Open vSwitch's defaults, lists and
 * ranges, refusal of values and combinations that mean nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "control/vlan_conf.h"

static int
parse(const char *text, struct vlan_port *out, char *err)
{
	json_t *v = text != NULL ? json_loads(text, 0, NULL) : NULL;
	int ret = ctl_vlan_parse(v, out, err, 256);

	json_decref(v);
	return ret;
}

static void
test_vlan_conf_defaults_follow_ovs(void **state)
{
	struct vlan_port p;
	char err[256];

	(void)state;
	assert_int_equal(parse(NULL, &p, err), 0);
	assert_int_equal(p.mode, VLAN_MODE_TRUNK);
	assert_true(p.all_trunks);
	assert_int_equal(parse("{\"tag\": 10}", &p, err), 0);
	assert_int_equal(p.mode, VLAN_MODE_ACCESS);
	assert_int_equal(p.tag, 10);
	assert_int_equal(parse("{\"trunks\": [10, 20]}", &p, err), 0);
	assert_int_equal(p.mode, VLAN_MODE_TRUNK);
	assert_false(p.all_trunks);
	assert_true(vlan_bit(p.trunks, 20));
	assert_false(vlan_bit(p.trunks, 30));
	assert_int_equal(parse("{\"tag\": 100, \"vlan_mode\": \"dot1q-tunnel\"}", &p, err), 0);
	assert_int_equal(p.qinq_tpid, 0x88a8);
	assert_int_equal(parse("{\"tag\": 100, \"vlan_mode\": \"dot1q-tunnel\", \"qinq_ethtype\": "
			       "\"802.1q\", \"cvlans\": [5]}",
			       &p, err),
			 0);
	assert_int_equal(p.qinq_tpid, 0x8100);
	assert_true(vlan_bit(p.cvlans, 5));
}

static void
test_vlan_conf_meaningless_combinations_are_refused(void **state)
{
	struct vlan_port p;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"tag\": 10, \"trunks\": [20]}", &p, err), -EINVAL);
	assert_non_null(strstr(err, "access port takes no trunks"));
	assert_int_equal(parse("{\"tag\": 10, \"vlan_mode\": \"trunk\"}", &p, err), -EINVAL);
	assert_non_null(strstr(err, "trunk port takes no tag"));
	assert_int_equal(parse("{\"vlan_mode\": \"native-untagged\"}", &p, err), -EINVAL);
	assert_non_null(strstr(err, "needs a tag"));
	assert_int_equal(parse("{\"tag\": 10, \"cvlans\": [1]}", &p, err), -EINVAL);
	assert_int_equal(parse("{\"tag\": 4095}", &p, err), -EINVAL);
	assert_int_equal(parse("{\"trunks\": []}", &p, err), -EINVAL);
	assert_int_equal(parse("{\"trunks\": [\"10\"]}", &p, err), -EINVAL);
	assert_int_equal(parse("{\"vlan_mode\": \"sideways\"}", &p, err), -EINVAL);
	assert_int_equal(parse("[]", &p, err), -EINVAL);
}

/* Asserts that member 'key' of 'v' dumps to 'expect'. */
static void
expect_json(const json_t *v, const char *key, const char *expect)
{
	char *text = json_dumps(json_object_get(v, key), JSON_COMPACT | JSON_ENCODE_ANY);

	assert_string_equal(text, expect);
	free(text);
}

static void
test_vlan_conf_set_parses_lists_and_ranges(void **state)
{
	json_t *v = json_object();
	char err[256];

	(void)state;
	assert_int_equal(ctl_vlan_set(v, "trunks", "30,10-12,11", err, sizeof(err)), 0);
	expect_json(v, "trunks", "[10,11,12,30]");
	assert_int_equal(ctl_vlan_set(v, "trunks", "12-10", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "trunks", "1,,x", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "trunks", "4095", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "trunks", "5-", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "trunks", "", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "tag", "10x", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "tag", "-1", err, sizeof(err)), -EINVAL);
	assert_int_equal(ctl_vlan_set(v, "tag", "4094", err, sizeof(err)), 0);
	assert_int_equal(ctl_vlan_set(v, "colour", "red", err, sizeof(err)), -ENOENT);
	assert_int_equal(ctl_vlan_set(v, "other_config:qinq-ethtype", "802.1q", err, sizeof(err)),
			 0);
	json_decref(v);
}

static void
test_vlan_conf_remove_and_clear(void **state)
{
	json_t *v = json_loads("{\"tag\": 10, \"trunks\": [1, 2, 3]}", 0, NULL);
	json_t *vals = json_pack("[s, s]", "2", "3"), *none = json_array(), *wrong;
	char err[256];

	(void)state;
	assert_int_equal(ctl_vlan_remove(v, "trunks", vals, err, sizeof(err)), 0);
	expect_json(v, "trunks", "[1]");
	wrong = json_pack("[s]", "11");
	assert_int_equal(ctl_vlan_remove(v, "tag", wrong, err, sizeof(err)), 0);
	assert_non_null(json_object_get(v, "tag"));
	assert_int_equal(ctl_vlan_remove(v, "tag", none, err, sizeof(err)), 0);
	assert_null(json_object_get(v, "tag"));
	assert_int_equal(ctl_vlan_remove(v, "trunks", none, err, sizeof(err)), 0);
	assert_int_equal(json_object_size(v), 0);
	assert_int_equal(ctl_vlan_remove(v, "mtu", none, err, sizeof(err)), -ENOENT);
	json_decref(v);
	json_decref(vals);
	json_decref(none);
	json_decref(wrong);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vlan_conf_defaults_follow_ovs),
	    cmocka_unit_test(test_vlan_conf_meaningless_combinations_are_refused),
	    cmocka_unit_test(test_vlan_conf_set_parses_lists_and_ranges),
	    cmocka_unit_test(test_vlan_conf_remove_and_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
