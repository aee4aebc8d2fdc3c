/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cli_render.c - vireoctl's output: sample results of control/rpc.h
 * rendered as tables (compared byte for byte with the OVS-style text) and
 * as JSON.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli/cli_render.h"

/* Render 'result_json' for 'method' and return the text (caller frees). */
static char *
render(const char *method, const char *result_json, enum cli_format format, int expect_ret)
{
	json_error_t jerr;
	json_t *result = json_loads(result_json, JSON_DECODE_ANY, &jerr);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!result) {
		fail_msg("bad sample JSON: %s", jerr.text);
	}
	assert_non_null(out);
	assert_int_equal(cli_render(out, method, result, format), expect_ret);
	fclose(out);
	json_decref(result);
	return text;
}

static void
assert_table(const char *method, const char *result_json, const char *expected)
{
	char *text = render(method, result_json, CLI_FORMAT_TABLE, 0);

	if (strcmp(text, expected)) {
		fail_msg("%s rendered as\n%s\nexpected\n%s", method, text, expected);
	}
	free(text);
}

static const char show_result[] =
    "{\"bridges\":[{\"name\":\"br0\",\"mac\":\"02:00:00:00:00:01\",\"mac_aging_time\":300,"
    "\"ports\":["
    "{\"name\":\"br0\",\"ofport\":65534,\"type\":\"internal\",\"mac\":\"02:00:00:00:00:01\","
    "\"link\":\"up\",\"options\":{}},"
    "{\"name\":\"c1\",\"ofport\":1,\"type\":\"tap\",\"mac\":\"02:00:00:00:00:02\","
    "\"link\":\"up\",\"options\":{\"netns\":\"ns1\",\"ip\":\"10.0.0.1/24\"}},"
    "{\"name\":\"c2\",\"ofport\":2,\"type\":\"tap\",\"mac\":\"02:00:00:00:00:03\","
    "\"link\":\"down\",\"options\":{\"netns\":\"ns2\"},"
    "\"error\":\"network namespace ns2 does not exist\"}]},"
    "{\"name\":\"br1\",\"mac\":\"02:00:00:00:00:04\",\"mac_aging_time\":60,\"ports\":[]}]}";

static void
test_cli_render_show_matches_ovs_layout(void **state)
{
	(void)state;
	assert_table("show", show_result,
		     "Bridge br0\n"
		     "    mac: \"02:00:00:00:00:01\"\n"
		     "    mac_aging_time: 300\n"
		     "    Port br0\n"
		     "        Interface br0\n"
		     "            type: internal\n"
		     "            ofport: 65534\n"
		     "            mac: \"02:00:00:00:00:01\"\n"
		     "            link_state: up\n"
		     "    Port c1\n"
		     "        Interface c1\n"
		     "            type: tap\n"
		     "            options: {ip=\"10.0.0.1/24\", netns=ns1}\n"
		     "            ofport: 1\n"
		     "            mac: \"02:00:00:00:00:02\"\n"
		     "            link_state: up\n"
		     "    Port c2\n"
		     "        Interface c2\n"
		     "            type: tap\n"
		     "            options: {netns=ns2}\n"
		     "            ofport: 2\n"
		     "            mac: \"02:00:00:00:00:03\"\n"
		     "            link_state: down\n"
		     "            error: \"network namespace ns2 does not exist\"\n"
		     "Bridge br1\n"
		     "    mac: \"02:00:00:00:00:04\"\n"
		     "    mac_aging_time: 60\n");
}

static void
test_cli_render_show_quotes_like_ovsdb(void **state)
{
	(void)state;
	assert_table("show",
		     "{\"bridges\":[{\"name\":\"1br\",\"ports\":[{\"name\":\"true\","
		     "\"options\":{\"a b\":\"x\\\"y\",\"k\":\"_v-1.2\"}}]}]}",
		     "Bridge \"1br\"\n"
		     "    Port \"true\"\n"
		     "        Interface \"true\"\n"
		     "            options: {\"a b\"=\"x\\\"y\", k=_v-1.2}\n");
	assert_table("show", "{\"bridges\":[]}", "");
}

static void
test_cli_render_list_br_and_list_ports(void **state)
{
	(void)state;
	assert_table("list-br", "{\"bridges\":[\"br0\",\"br1\"]}", "br0\nbr1\n");
	assert_table("list-ports", "{\"ports\":[\"c1\",\"c2\",\"vm1\"]}", "c1\nc2\nvm1\n");
	assert_table("list-ports", "{\"ports\":[]}", "");
}

static void
test_cli_render_fdb_show_matches_ovs_appctl(void **state)
{
	(void)state;
	assert_table(
	    "fdb/show",
	    "{\"entries\":["
	    "{\"port\":1,\"port_name\":\"c1\",\"vlan\":0,\"mac\":\"50:54:00:00:00:05\","
	    "\"age\":3,\"static\":false},"
	    "{\"port\":12,\"port_name\":\"c12\",\"vlan\":100,\"mac\":\"50:54:00:00:00:06\","
	    "\"age\":1234,\"static\":false},"
	    "{\"port\":65534,\"port_name\":\"br0\",\"vlan\":4095,"
	    "\"mac\":\"02:00:00:00:00:01\",\"age\":0,\"static\":true}]}",
	    " port  VLAN  MAC                Age\n"
	    "    1     0  50:54:00:00:00:05    3\n"
	    "   12   100  50:54:00:00:00:06  1234\n"
	    "LOCAL  4095  02:00:00:00:00:01  static\n");
	assert_table("fdb/show", "{\"entries\":[]}", " port  VLAN  MAC                Age\n");
}

static void
test_cli_render_dump_ports_matches_ovs_ofctl(void **state)
{
	(void)state;
	assert_table("dump-ports",
		     "{\"ports\":["
		     "{\"ofport\":65534,\"name\":\"br0\",\"rx_packets\":0,\"rx_bytes\":0,"
		     "\"rx_dropped\":0,\"rx_errors\":0,\"tx_packets\":5,\"tx_bytes\":370,"
		     "\"tx_dropped\":0,\"tx_errors\":0},"
		     "{\"ofport\":1,\"name\":\"c1\",\"rx_packets\":1000,\"rx_bytes\":98000,"
		     "\"rx_dropped\":2,\"rx_errors\":1,\"tx_packets\":990,\"tx_bytes\":97020,"
		     "\"tx_dropped\":3,\"tx_errors\":0},"
		     "{\"ofport\":12,\"name\":\"c12\",\"rx_packets\":18446744073,"
		     "\"rx_bytes\":0,\"rx_dropped\":0,\"rx_errors\":0,\"tx_packets\":0,"
		     "\"tx_bytes\":0,\"tx_dropped\":0}]}",
		     "  port LOCAL: rx pkts=0, bytes=0, drop=0, errs=0\n"
		     "           tx pkts=5, bytes=370, drop=0, errs=0\n"
		     "  port  1: rx pkts=1000, bytes=98000, drop=2, errs=1\n"
		     "           tx pkts=990, bytes=97020, drop=3, errs=0\n"
		     "  port 12: rx pkts=18446744073, bytes=0, drop=0, errs=0\n"
		     "           tx pkts=0, bytes=0, drop=0, errs=?\n");
}

static void
test_cli_render_pmd_stats_table(void **state)
{
	(void)state;
	/* Switch-wide drop counters, as vireod sends them. */
	assert_table(
	    "pmd-stats",
	    "{\"pmds\":["
	    "{\"lcore\":1,\"rx_packets\":1234567,\"busy_cycles\":2469134000,"
	    "\"idle_cycles\":7407402000,\"upcall_dropped\":0,\"rx_queues\":3,"
	    "\"emc_hits\":900,\"emc_misses\":100},"
	    "{\"lcore\":2,\"rx_packets\":0,\"busy_cycles\":0,\"idle_cycles\":0,"
	    "\"upcall_dropped\":7,\"rx_queues\":1}],"
	    "\"drops\":{\"tx_full\":10,\"runt\":0,\"same_port\":2}}",
	    "lcore  rx queues    rx packets    busy  cyc/pkt  cache hits\n"
	    "    1          3       1234567   25.0%     2000       90.0%\n"
	    "    2          1             0    0.0%        -           ?  drops: upcall_dropped=7\n"
	    "drops: same_port=2, tx_full=10\n");
	assert_table("pmd-stats", "{\"pmds\":[],\"drops\":{\"runt\":0}}",
		     "lcore  rx queues    rx packets    busy  cyc/pkt  cache hits\n"
		     "drops: none\n");
	/* Per-PMD drop counters, as control/rpc.h describes them. */
	assert_table("pmd-stats",
		     "{\"pmds\":["
		     "{\"lcore\":1,\"rx_packets\":99,"
		     "\"drops\":{\"tx_full\":10,\"no_port\":0,\"fdb_miss\":2}},"
		     "{\"lcore\":2,\"rx_packets\":0,\"drops\":{}}]}",
		     "lcore  rx queues    rx packets    busy  cyc/pkt  cache hits\n"
		     "    1          ?            99       ?        ?           ?  drops: "
		     "fdb_miss=2, tx_full=10\n"
		     "    2          ?             0       ?        ?           ?\n");
}

static void
test_cli_render_pmd_rxq_show(void **state)
{
	(void)state;
	assert_table("pmd-rxq-show",
		     "{\"pmds\":["
		     "{\"pmd\":0,\"lcore\":1,\"rxqs\":["
		     "{\"port\":\"p0\",\"bridge\":\"br0\",\"queue\":0,\"packets\":1000,"
		     "\"usage\":45.4},"
		     "{\"port\":\"vm1\",\"bridge\":\"br0\",\"queue\":3,\"packets\":0,"
		     "\"usage\":null}]},"
		     "{\"pmd\":1,\"lcore\":2,\"rxqs\":[]}],\"interval_s\":10}",
		     "pmd thread lcore 1:\n"
		     "  port: p0               queue-id:   0  pmd usage:  45 %  packets: 1000\n"
		     "  port: vm1              queue-id:   3  pmd usage: NOT AVAIL  packets: 0\n"
		     "pmd thread lcore 2:\n"
		     "  (no rx queues)\n"
		     "(usage: share of the PMD's time over the last 10 s)\n");
}

static void
test_cli_render_memory_show(void **state)
{
	(void)state;
	assert_table("memory/show",
		     "{\"flows\":200001,\"mac_entries\":3,\"mac_capacity\":65536,"
		     "\"mac_table_bytes\":6360576,\"dpdk_heap_bytes\":211421632,"
		     "\"dpdk_heap_total\":224395264,\"mbufs\":65535,"
		     "\"mbuf_pool_bytes\":155186880,\"control_heap_bytes\":178088944,"
		     "\"rss_anon_bytes\":191422464,\"pid\":1}",
		     "flows:            200001 (OpenFlow, all bridges)\n"
		     "MAC table:        3 of 65536 entries, 6.1 MiB (97 bytes per entry)\n"
		     "packet buffers:   65535 mbufs, 148.0 MiB\n"
		     "DPDK heap:        201.6 MiB in use of 214.0 MiB\n"
		     "control heap:     169.8 MiB (resident anonymous memory 182.6 MiB)\n");
}

static void
test_cli_render_acknowledgements_print_nothing(void **state)
{
	(void)state;
	assert_table("add-br", "{}", "");
	assert_table("add-port", "{\"ofport\":3}", "");
	assert_table("set", "{}", "");
	assert_table("fdb/flush", "{}", "");
}

static void
test_cli_render_json_is_indented_in_reply_order(void **state)
{
	char *text;

	(void)state;
	text = render("fdb/show",
		      "{\"entries\":[{\"port\":1,\"vlan\":0,\"mac\":\"50:54:00:00:00:05\","
		      "\"age\":3,\"static\":false}]}",
		      CLI_FORMAT_JSON, 0);
	assert_string_equal(text, "{\n"
				  "  \"entries\": [\n"
				  "    {\n"
				  "      \"port\": 1,\n"
				  "      \"vlan\": 0,\n"
				  "      \"mac\": \"50:54:00:00:00:05\",\n"
				  "      \"age\": 3,\n"
				  "      \"static\": false\n"
				  "    }\n"
				  "  ]\n"
				  "}\n");
	free(text);
	text = render("add-port", "{\"ofport\":3}", CLI_FORMAT_JSON, 0);
	assert_string_equal(text, "{\n  \"ofport\": 3\n}\n");
	free(text);
	text = render("add-br", "{}", CLI_FORMAT_JSON, 0);
	assert_string_equal(text, "{}\n");
	free(text);
}

static void
test_cli_render_malformed_result_refused(void **state)
{
	(void)state;
	free(render("show", "{}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("show", "{\"bridges\":{}}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("list-br", "{\"ports\":[]}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("fdb/show", "[]", CLI_FORMAT_TABLE, -EPROTO));
	free(render("add-br", "null", CLI_FORMAT_JSON, -EPROTO));
}

static void
test_cli_render_show_controllers_and_fail_mode(void **state)
{
	(void)state;
	assert_table(
	    "show",
	    "{\"bridges\":[{\"name\":\"br0\",\"datapath_id\":\"0000aabbccddeeff\","
	    "\"mac\":\"02:00:00:00:00:01\",\"mac_aging_time\":300,\"fail_mode\":\"secure\","
	    "\"controllers\":["
	    "{\"target\":\"tcp:127.0.0.1:6653\",\"state\":\"connected\",\"connections\":1},"
	    "{\"target\":\"tcp:10.0.0.9:6653\",\"state\":\"backoff\",\"connections\":0,"
	    "\"error\":\"Connection refused\"},"
	    "{\"target\":\"ptcp:6653\",\"state\":\"listening\",\"connections\":2},"
	    "{\"target\":\"punix:/run/vireo/br0.mgmt\",\"state\":\"listening\","
	    "\"connections\":0}],"
	    "\"ports\":[{\"name\":\"c1\",\"ofport\":1,\"type\":\"tap\"}]},"
	    "{\"name\":\"br1\",\"fail_mode\":\"\",\"controllers\":[],\"ports\":[]}]}",
	    "Bridge br0\n"
	    "    Controller \"tcp:127.0.0.1:6653\"\n"
	    "        is_connected: true\n"
	    "    Controller \"tcp:10.0.0.9:6653\"\n"
	    "    Controller \"ptcp:6653\"\n"
	    "        is_connected: true\n"
	    "    Controller \"punix:/run/vireo/br0.mgmt\"\n"
	    "    fail_mode: secure\n"
	    "    datapath_id: \"0000aabbccddeeff\"\n"
	    "    mac: \"02:00:00:00:00:01\"\n"
	    "    mac_aging_time: 300\n"
	    "    Port c1\n"
	    "        Interface c1\n"
	    "            type: tap\n"
	    "            ofport: 1\n"
	    "Bridge br1\n");
}

static void
test_cli_render_get_controller_with_state(void **state)
{
	(void)state;
	assert_table("get-controller",
		     "{\"controllers\":["
		     "{\"target\":\"tcp:127.0.0.1:6653\",\"state\":\"connected\","
		     "\"connections\":1},"
		     "{\"target\":\"tcp:10.0.0.9:6653\",\"state\":\"backoff\",\"connections\":0,"
		     "\"error\":\"Connection refused\"},"
		     "{\"target\":\"ptcp:6653\",\"state\":\"listening\",\"connections\":2},"
		     "{\"target\":\"punix:/run/c.sock\",\"state\":\"listening\","
		     "\"connections\":1},"
		     "{\"target\":\"ptcp:6654\",\"state\":\"failed\",\"connections\":0,"
		     "\"error\":\"Address already in use\"},"
		     "{\"target\":\"unix:/run/ctl.sock\"}]}",
		     "tcp:127.0.0.1:6653 (connected)\n"
		     "tcp:10.0.0.9:6653 (backoff: Connection refused)\n"
		     "ptcp:6653 (listening, 2 connections)\n"
		     "punix:/run/c.sock (listening, 1 connection)\n"
		     "ptcp:6654 (failed, 0 connections: Address already in use)\n"
		     "unix:/run/ctl.sock\n");
	assert_table("get-controller", "{\"controllers\":[]}", "");
}

static void
test_cli_render_get_fail_mode(void **state)
{
	(void)state;
	assert_table("get-fail-mode", "{\"mode\":\"secure\"}", "secure\n");
	assert_table("get-fail-mode", "{\"mode\":\"standalone\"}", "standalone\n");
	assert_table("get-fail-mode", "{\"mode\":\"\"}", "");
}

static void
test_cli_render_dump_flows_prints_text_lines(void **state)
{
	(void)state;
	assert_table("dump-flows",
		     "{\"flows\":["
		     "{\"text\":\" cookie=0x0, duration=12.345s, table=0, n_packets=3, "
		     "n_bytes=294, priority=10,in_port=1 actions=output:2\",\"table\":0,"
		     "\"priority\":10,\"cookie\":0,\"n_packets\":3,\"n_bytes\":294,"
		     "\"duration\":12.345,\"idle_age\":2},"
		     "{\"text\":\" cookie=0x1, duration=1.000s, table=1, n_packets=0, "
		     "n_bytes=0, priority=0 actions=drop\\n\"},"
		     "{\"table\":2}]}",
		     " cookie=0x0, duration=12.345s, table=0, n_packets=3, n_bytes=294, "
		     "priority=10,in_port=1 actions=output:2\n"
		     " cookie=0x1, duration=1.000s, table=1, n_packets=0, n_bytes=0, "
		     "priority=0 actions=drop\n"
		     "?\n");
	assert_table("dump-flows", "{\"flows\":[]}", "");
}

static void
test_cli_render_trace_prints_text_as_is(void **state)
{
	static const char trace[] = "Flow: in_port=1,dl_dst=50:54:00:00:00:05\n"
				    "\n"
				    "bridge(\"br0\")\n"
				    "-------------\n"
				    " 0. priority 10, in_port=1\n"
				    "    output:2\n";

	(void)state;
	assert_table("trace",
		     "{\"text\":\"Flow: in_port=1,dl_dst=50:54:00:00:00:05\\n\\n"
		     "bridge(\\\"br0\\\")\\n-------------\\n 0. priority 10, in_port=1\\n"
		     "    output:2\\n\"}",
		     trace);
	assert_table("trace", "{\"text\":\"Final flow: unchanged\"}", "Final flow: unchanged\n");
	assert_table("trace", "{\"text\":\"\"}", "");
}

static void
test_cli_render_openflow_acknowledgements_print_nothing(void **state)
{
	(void)state;
	assert_table("set-controller", "{}", "");
	assert_table("del-controller", "{}", "");
	assert_table("set-fail-mode", "{}", "");
	assert_table("add-flow", "{}", "");
	assert_table("add-flows", "{\"added\":3}", "");
	assert_table("mod-flows", "{}", "");
	assert_table("del-flows", "{}", "");
}

static void
test_cli_render_openflow_malformed_refused(void **state)
{
	char *text;

	(void)state;
	free(render("dump-flows", "{}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("dump-flows", "{\"flows\":{}}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("trace", "{\"text\":1}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("get-controller", "{\"targets\":[]}", CLI_FORMAT_TABLE, -EPROTO));
	free(render("get-fail-mode", "{}", CLI_FORMAT_TABLE, -EPROTO));
	/* JSON output does not look into the result. */
	text = render("trace", "{\"text\":1}", CLI_FORMAT_JSON, 0);
	assert_string_equal(text, "{\n  \"text\": 1\n}\n");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cli_render_show_matches_ovs_layout),
	    cmocka_unit_test(test_cli_render_show_quotes_like_ovsdb),
	    cmocka_unit_test(test_cli_render_list_br_and_list_ports),
	    cmocka_unit_test(test_cli_render_fdb_show_matches_ovs_appctl),
	    cmocka_unit_test(test_cli_render_dump_ports_matches_ovs_ofctl),
	    cmocka_unit_test(test_cli_render_pmd_stats_table),
	    cmocka_unit_test(test_cli_render_pmd_rxq_show),
	    cmocka_unit_test(test_cli_render_memory_show),
	    cmocka_unit_test(test_cli_render_acknowledgements_print_nothing),
	    cmocka_unit_test(test_cli_render_json_is_indented_in_reply_order),
	    cmocka_unit_test(test_cli_render_malformed_result_refused),
	    cmocka_unit_test(test_cli_render_show_controllers_and_fail_mode),
	    cmocka_unit_test(test_cli_render_get_controller_with_state),
	    cmocka_unit_test(test_cli_render_get_fail_mode),
	    cmocka_unit_test(test_cli_render_dump_flows_prints_text_lines),
	    cmocka_unit_test(test_cli_render_trace_prints_text_as_is),
	    cmocka_unit_test(test_cli_render_openflow_acknowledgements_print_nothing),
	    cmocka_unit_test(test_cli_render_openflow_malformed_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
