/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cli_parse.c - vireoctl's command line: each command's method and
 * params (compared with the JSON of control/rpc.h), global options, and the
 * exact error line for each kind of mistake.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli/cli_parse.h"
#include "control/rpc.h"

/* A NULL-terminated word list, as a compound literal. */
#define WORDS(...) ((char *[]){__VA_ARGS__, NULL})

static int
count_words(char **words)
{
	int n = 0;

	while (words[n]) {
		n++;
	}
	return n;
}

/* Parse 'words', which must succeed, into '*cmd'. */
static void
parse_ok(char **words, struct cli_cmd *cmd)
{
	char err[256] = "";
	int ret = cli_parse(count_words(words), words, cmd, err, sizeof err);

	if (ret) {
		fail_msg("parse failed: %s", err);
	}
}

/* Parse 'words' and check the method and the params against 'params_json'. */
static void
assert_request(char **words, const char *method, const char *params_json)
{
	struct cli_cmd cmd;
	json_error_t jerr;
	json_t *expected = json_loads(params_json, 0, &jerr);

	assert_non_null(expected);
	parse_ok(words, &cmd);
	assert_non_null(cmd.method);
	assert_string_equal(cmd.method, method);
	if (!json_equal(cmd.params, expected)) {
		char *got = json_dumps(cmd.params, JSON_COMPACT);

		fail_msg("params: got %s, expected %s", got, params_json);
	}
	json_decref(expected);
	cli_cmd_clear(&cmd);
}

/* Parse 'words', which must fail with exactly the error line 'expected'. */
static void
assert_parse_error(char **words, const char *expected)
{
	struct cli_cmd cmd;
	char err[256] = "";

	assert_int_equal(cli_parse(count_words(words), words, &cmd, err, sizeof err), -EINVAL);
	assert_string_equal(err, expected);
	assert_null(cmd.params);
}

static void
test_cli_bridge_commands_build_params(void **state)
{
	(void)state;
	assert_request(WORDS("add-br", "br0"), "add-br", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("del-br", "br0"), "del-br", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("list-br"), "list-br", "{}");
	assert_request(WORDS("list-ports", "br0"), "list-ports", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("show"), "show", "{}");
	assert_request(WORDS("pmd-stats"), "pmd-stats", "{}");
}

static void
test_cli_vlan_commands_build_params(void **state)
{
	(void)state;
	assert_request(WORDS("set", "port", "p1", "tag=10", "vlan_mode=access"), "set",
		       "{\"table\":\"port\",\"record\":\"p1\",\"values\":{\"tag\":\"10\","
		       "\"vlan_mode\":\"access\"}}");
	assert_request(WORDS("clear", "port", "p1", "trunks", "tag"), "clear",
		       "{\"table\":\"port\",\"record\":\"p1\",\"columns\":[\"trunks\",\"tag\"]}");
	assert_request(WORDS("remove", "port", "p1", "tag"), "remove",
		       "{\"table\":\"port\",\"record\":\"p1\",\"column\":\"tag\",\"values\":[]}");
	assert_request(WORDS("remove", "port", "p1", "trunks", "20", "30"), "remove",
		       "{\"table\":\"port\",\"record\":\"p1\",\"column\":\"trunks\","
		       "\"values\":[\"20\",\"30\"]}");
	assert_parse_error(WORDS("clear", "port", "p1"), "clear: missing column");
	assert_parse_error(WORDS("clear", "vlan", "p1", "tag"),
			   "clear: unknown table 'vlan' (expected bridge, port or interface)");
}

static void
test_cli_may_exist_before_or_after_command(void **state)
{
	(void)state;
	assert_request(WORDS("--may-exist", "add-br", "br0"), "add-br",
		       "{\"bridge\":\"br0\",\"may_exist\":true}");
	assert_request(WORDS("add-br", "--may-exist", "br0"), "add-br",
		       "{\"bridge\":\"br0\",\"may_exist\":true}");
	assert_request(WORDS("add-port", "--may-exist", "br0", "c1"), "add-port",
		       "{\"bridge\":\"br0\",\"port\":\"c1\",\"may_exist\":true}");
}

static void
test_cli_if_exists_for_deletions(void **state)
{
	(void)state;
	assert_request(WORDS("--if-exists", "del-br", "br0"), "del-br",
		       "{\"bridge\":\"br0\",\"if_exists\":true}");
	assert_request(WORDS("del-port", "--if-exists", "c1"), "del-port",
		       "{\"port\":\"c1\",\"if_exists\":true}");
}

static void
test_cli_existence_flags_refused_where_meaningless(void **state)
{
	(void)state;
	assert_parse_error(WORDS("--may-exist", "show"),
			   "show: command has no '--may-exist' option");
	assert_parse_error(WORDS("add-br", "--if-exists", "br0"),
			   "add-br: command has no '--if-exists' option");
	assert_parse_error(WORDS("del-br", "--may-exist", "br0"),
			   "del-br: command has no '--may-exist' option");
}

static void
test_cli_add_port_without_clause(void **state)
{
	(void)state;
	assert_request(WORDS("add-port", "br0", "c1"), "add-port",
		       "{\"bridge\":\"br0\",\"port\":\"c1\"}");
}

static void
test_cli_add_port_clause_gives_type_and_options(void **state)
{
	(void)state;
	assert_request(WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "type=tap",
			     "options:netns=ns1", "options:ip=\"10.0.0.1/24\""),
		       "add-port",
		       "{\"bridge\":\"br0\",\"port\":\"c1\",\"type\":\"tap\","
		       "\"options\":{\"netns\":\"ns1\",\"ip\":\"10.0.0.1/24\"}}");
	/* OVS spells the table "Interface" too; quotes may hold '\"' and spaces. */
	assert_request(WORDS("add-port", "br0", "v1", "--", "set", "Interface", "v1",
			     "type=\"dpdk\"", "options:devargs=\"net_null0,a=\\\"b c\\\"\""),
		       "add-port",
		       "{\"bridge\":\"br0\",\"port\":\"v1\",\"type\":\"dpdk\","
		       "\"options\":{\"devargs\":\"net_null0,a=\\\"b c\\\"\"}}");
}

static void
test_cli_add_port_several_clauses_merge(void **state)
{
	(void)state;
	assert_request(WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "type=tap",
			     "--", "set", "interface", "c1", "options:netns=ns1", "--", "set",
			     "interface", "c1", "options:mtu=1400"),
		       "add-port",
		       "{\"bridge\":\"br0\",\"port\":\"c1\",\"type\":\"tap\","
		       "\"options\":{\"netns\":\"ns1\",\"mtu\":\"1400\"}}");
}

static void
test_cli_add_port_clause_mistakes_refused(void **state)
{
	(void)state;
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "set", "interface", "c2", "type=tap"),
	    "add-port: interface name 'c2' after '--' does not match port 'c1'");
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "options:"),
	    "bad option 'options:' (expected options:KEY=VALUE)");
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "options:=x"),
	    "bad option 'options:=x' (expected options:KEY=VALUE)");
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "options:netns"),
	    "bad option 'options:netns' (expected options:KEY=VALUE)");
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "mtu=1500"),
	    "add-port: unknown interface setting 'mtu' (expected type=TYPE or "
	    "options:KEY=VALUE)");
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "type"),
			   "add-port: bad setting 'type' (expected KEY=VALUE)");
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "type="),
			   "add-port: empty interface type in 'type='");
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1"),
			   "add-port: missing KEY=VALUE after '-- set interface c1'");
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "set", "interface"),
			   "add-port: missing interface name after '-- set interface'");
}

static void
test_cli_add_port_clause_must_be_set_interface(void **state)
{
	static const char *expected =
	    "add-port: only 'set interface c1 KEY=VALUE...' may follow '--'";

	(void)state;
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "set", "port", "c1", "tag=10"),
			   expected);
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "add-br", "br1"), expected);
	assert_parse_error(WORDS("add-port", "br0", "c1", "--"), expected);
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "--", "set", "interface", "c1", "type=tap"),
	    expected);
}

static void
test_cli_unterminated_quote_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1",
				 "options:ip=\"10.0.0.1/24"),
			   "bad quoted value '\"10.0.0.1/24' (expected \"...\")");
	assert_parse_error(WORDS("set", "bridge", "br0", "other_config:x=\"a\"b"),
			   "bad quoted value '\"a\"b' (expected \"...\")");
}

static void
test_cli_del_port_with_and_without_bridge(void **state)
{
	(void)state;
	assert_request(WORDS("del-port", "c1"), "del-port", "{\"port\":\"c1\"}");
	assert_request(WORDS("del-port", "br0", "c1"), "del-port",
		       "{\"bridge\":\"br0\",\"port\":\"c1\"}");
	assert_parse_error(WORDS("del-port"), "del-port: missing port name");
	assert_parse_error(WORDS("del-port", "br0", "c1", "c2"),
			   "del-port: unexpected argument 'c2' (usage: del-port [BRIDGE] PORT)");
}

static void
test_cli_set_passes_values_as_strings(void **state)
{
	(void)state;
	assert_request(WORDS("set", "bridge", "br0", "other_config:mac-aging-time=300"), "set",
		       "{\"table\":\"bridge\",\"record\":\"br0\","
		       "\"values\":{\"other_config:mac-aging-time\":\"300\"}}");
	assert_request(WORDS("set", "Interface", "c1", "options:ip=\"10.0.0.2/24\"", "type=tap"),
		       "set",
		       "{\"table\":\"interface\",\"record\":\"c1\","
		       "\"values\":{\"options:ip\":\"10.0.0.2/24\",\"type\":\"tap\"}}");
	assert_request(WORDS("set", "port", "c1", "tag="), "set",
		       "{\"table\":\"port\",\"record\":\"c1\",\"values\":{\"tag\":\"\"}}");
}

static void
test_cli_set_mistakes_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("set", "flow", "br0", "a=b"),
			   "set: unknown table 'flow' (expected bridge, port or interface)");
	assert_parse_error(WORDS("set", "bridge", "br0", "mac-aging-time"),
			   "set: bad setting 'mac-aging-time' (expected KEY=VALUE)");
	assert_parse_error(WORDS("set", "bridge", "br0", "=300"),
			   "set: bad setting '=300' (expected KEY=VALUE)");
	assert_parse_error(WORDS("set", "bridge", "br0"), "set: missing KEY=VALUE");
	assert_parse_error(WORDS("set"), "set: missing table (bridge, port or interface)");
	assert_parse_error(WORDS("set", "port", "bad/name", "tag=1"),
			   "set: bad port name 'bad/name' (1..15 letters, digits, '-', '_', '.')");
}

static void
test_cli_fdb_commands_build_params(void **state)
{
	(void)state;
	assert_request(WORDS("fdb/show", "br0"), "fdb/show", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("fdb/add", "br0", "c1", "10", "50:54:00:00:00:05"), "fdb/add",
		       "{\"bridge\":\"br0\",\"port\":\"c1\",\"vlan\":10,"
		       "\"mac\":\"50:54:00:00:00:05\"}");
	assert_request(WORDS("fdb/del", "br0", "0", "50:54:00:00:00:05"), "fdb/del",
		       "{\"bridge\":\"br0\",\"vlan\":0,\"mac\":\"50:54:00:00:00:05\"}");
	assert_request(WORDS("fdb/flush"), "fdb/flush", "{}");
	assert_request(WORDS("fdb/flush", "br0"), "fdb/flush", "{\"bridge\":\"br0\"}");
}

static void
test_cli_mac_is_lowercased(void **state)
{
	(void)state;
	assert_request(WORDS("fdb/del", "br0", "4095", "AA:bb:0C:dD:EE:ff"), "fdb/del",
		       "{\"bridge\":\"br0\",\"vlan\":4095,\"mac\":\"aa:bb:0c:dd:ee:ff\"}");
}

static void
test_cli_bad_vlan_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "5000", "50:54:00:00:00:05"),
			   "fdb/add: bad VLAN '5000' (0..4095)");
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "4096", "50:54:00:00:00:05"),
			   "fdb/add: bad VLAN '4096' (0..4095)");
	assert_parse_error(WORDS("fdb/del", "br0", "-1", "50:54:00:00:00:05"),
			   "fdb/del: bad VLAN '-1' (0..4095)");
	assert_parse_error(WORDS("fdb/del", "br0", "ten", "50:54:00:00:00:05"),
			   "fdb/del: bad VLAN 'ten' (0..4095)");
	assert_parse_error(WORDS("fdb/del", "br0", "", "50:54:00:00:00:05"),
			   "fdb/del: bad VLAN '' (0..4095)");
	assert_parse_error(WORDS("fdb/del", "br0", "99999999999999999999", "50:54:00:00:00:05"),
			   "fdb/del: bad VLAN '99999999999999999999' (0..4095)");
}

static void
test_cli_bad_mac_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "10", "zz"), "bad MAC address 'zz'");
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "10", "50:54:00:00:00"),
			   "bad MAC address '50:54:00:00:00'");
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "10", "50:54:00:00:00:0g"),
			   "bad MAC address '50:54:00:00:00:0g'");
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "10", "50-54-00-00-00-05"),
			   "bad MAC address '50-54-00-00-00-05'");
	assert_parse_error(WORDS("fdb/del", "br0", "10", "5:54:00:00:00:005"),
			   "bad MAC address '5:54:00:00:00:005'");
	assert_parse_error(WORDS("fdb/del", "br0", "10", "50:54:00:00:00:05:"),
			   "bad MAC address '50:54:00:00:00:05:'");
}

static void
test_cli_dump_ports_optional_port(void **state)
{
	(void)state;
	assert_request(WORDS("dump-ports", "br0"), "dump-ports", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("dump-ports", "br0", "c1"), "dump-ports",
		       "{\"bridge\":\"br0\",\"port\":\"c1\"}");
	assert_parse_error(WORDS("dump-ports"), "dump-ports: missing bridge name");
}

static void
test_cli_unknown_command_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("add-brr", "br0"),
			   "unknown command 'add-brr' (see vireoctl --help)");
	assert_parse_error(WORDS("--format", "json", "fdb/shw", "br0"),
			   "unknown command 'fdb/shw' (see vireoctl --help)");
	assert_parse_error(WORDS("ADD-BR", "br0"),
			   "unknown command 'ADD-BR' (see vireoctl --help)");
}

static void
test_cli_missing_command_refused(void **state)
{
	char *none[] = {NULL};

	(void)state;
	assert_parse_error(none, "missing command (see vireoctl --help)");
	assert_parse_error(WORDS("--format", "json"), "missing command (see vireoctl --help)");
}

static void
test_cli_wrong_argument_counts_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("add-br"), "add-br: missing bridge name");
	assert_parse_error(WORDS("add-br", "br0", "br1"),
			   "add-br: unexpected argument 'br1' (usage: add-br BRIDGE)");
	assert_parse_error(WORDS("del-br"), "del-br: missing bridge name");
	assert_parse_error(WORDS("list-br", "br0"),
			   "list-br: unexpected argument 'br0' (usage: list-br)");
	assert_parse_error(WORDS("add-port", "br0"), "add-port: missing port name");
	assert_parse_error(WORDS("add-port", "br0", "--", "set", "interface", "c1", "type=tap"),
			   "add-port: missing port name");
	assert_parse_error(WORDS("add-port", "br0", "c1", "type=tap"),
			   "add-port: unexpected argument 'type=tap' (usage: add-port BRIDGE PORT "
			   "[-- set interface PORT type=TYPE options:KEY=VALUE...])");
	assert_parse_error(WORDS("list-ports"), "list-ports: missing bridge name");
	assert_parse_error(WORDS("show", "br0"), "show: unexpected argument 'br0' (usage: show)");
	assert_parse_error(WORDS("fdb/show"), "fdb/show: missing bridge name");
	assert_parse_error(WORDS("fdb/add", "br0", "c1", "10"), "fdb/add: missing MAC address");
	assert_parse_error(WORDS("fdb/add", "br0", "c1"), "fdb/add: missing VLAN");
	assert_parse_error(WORDS("fdb/del", "br0"), "fdb/del: missing VLAN");
	assert_parse_error(WORDS("fdb/flush", "br0", "br1"),
			   "fdb/flush: unexpected argument 'br1' (usage: fdb/flush [BRIDGE])");
	assert_parse_error(
	    WORDS("dump-ports", "br0", "c1", "c2"),
	    "dump-ports: unexpected argument 'c2' (usage: dump-ports BRIDGE [PORT])");
	assert_parse_error(WORDS("pmd-stats", "-v"),
			   "pmd-stats: unexpected argument '-v' (usage: pmd-stats)");
}

static void
test_cli_bad_names_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("add-br", "br0123456789abcd"),
			   "add-br: bad bridge name 'br0123456789abcd' (1..15 letters, digits, "
			   "'-', '_', '.')");
	assert_parse_error(WORDS("add-br", ""),
			   "add-br: bad bridge name '' (1..15 letters, digits, '-', '_', '.')");
	assert_parse_error(WORDS("add-port", "br0", "c 1"),
			   "add-port: bad port name 'c 1' (1..15 letters, digits, '-', '_', '.')");
	assert_parse_error(WORDS("del-port", "br0", ".."),
			   "del-port: bad port name '..' (1..15 letters, digits, '-', '_', '.')");
	assert_parse_error(
	    WORDS("fdb/add", "br:0", "c1", "1", "50:54:00:00:00:05"),
	    "fdb/add: bad bridge name 'br:0' (1..15 letters, digits, '-', '_', '.')");
	assert_request(WORDS("add-br", "br0123456789abc"), "add-br",
		       "{\"bridge\":\"br0123456789abc\"}");
}

static void
test_cli_name_is_valid(void **state)
{
	(void)state;
	assert_true(cli_name_is_valid("br0"));
	assert_true(cli_name_is_valid("veth-a_b.10"));
	assert_true(cli_name_is_valid("a"));
	assert_true(cli_name_is_valid("..."));
	assert_true(cli_name_is_valid("123456789012345"));
	assert_false(cli_name_is_valid("1234567890123456"));
	assert_false(cli_name_is_valid(""));
	assert_false(cli_name_is_valid("."));
	assert_false(cli_name_is_valid(".."));
	assert_false(cli_name_is_valid("a/b"));
	assert_false(cli_name_is_valid("a:b"));
	assert_false(cli_name_is_valid("caf\xc3\xa9"));
}

static void
test_cli_format_json_recognised(void **state)
{
	struct cli_cmd cmd;

	(void)state;
	parse_ok(WORDS("show"), &cmd);
	assert_int_equal(cmd.format, CLI_FORMAT_TABLE);
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("--format", "json", "show"), &cmd);
	assert_int_equal(cmd.format, CLI_FORMAT_JSON);
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("-f", "json", "fdb/show", "br0"), &cmd);
	assert_int_equal(cmd.format, CLI_FORMAT_JSON);
	assert_string_equal(cmd.method, "fdb/show");
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("--format=json", "-f", "table", "show"), &cmd);
	assert_int_equal(cmd.format, CLI_FORMAT_TABLE);
	cli_cmd_clear(&cmd);
	assert_parse_error(WORDS("--format", "xml", "show"),
			   "bad format 'xml' (expected table or json)");
	assert_parse_error(WORDS("-f"), "option '-f' needs an argument");
}

static void
test_cli_socket_recognised(void **state)
{
	struct cli_cmd cmd;

	(void)state;
	unsetenv(CLI_SOCKET_ENV);
	parse_ok(WORDS("show"), &cmd);
	assert_string_equal(cmd.socket_path, RPC_DEFAULT_SOCKET);
	cli_cmd_clear(&cmd);
	setenv(CLI_SOCKET_ENV, "/tmp/env.sock", 1);
	parse_ok(WORDS("show"), &cmd);
	assert_string_equal(cmd.socket_path, "/tmp/env.sock");
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("--socket", "/tmp/opt.sock", "show"), &cmd);
	assert_string_equal(cmd.socket_path, "/tmp/opt.sock");
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("--socket=/tmp/eq.sock", "list-br"), &cmd);
	assert_string_equal(cmd.socket_path, "/tmp/eq.sock");
	cli_cmd_clear(&cmd);
	setenv(CLI_SOCKET_ENV, "", 1);
	parse_ok(WORDS("show"), &cmd);
	assert_string_equal(cmd.socket_path, RPC_DEFAULT_SOCKET);
	cli_cmd_clear(&cmd);
	unsetenv(CLI_SOCKET_ENV);
	assert_parse_error(WORDS("--socket"), "option '--socket' needs an argument");
	assert_parse_error(WORDS("--socket", "", "show"), "empty socket path");
}

static void
test_cli_timeout_recognised(void **state)
{
	struct cli_cmd cmd;

	(void)state;
	parse_ok(WORDS("show"), &cmd);
	assert_int_equal(cmd.timeout, CLI_DEFAULT_TIMEOUT);
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("--timeout", "5", "show"), &cmd);
	assert_int_equal(cmd.timeout, 5);
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("--timeout=0", "show"), &cmd);
	assert_int_equal(cmd.timeout, 0);
	cli_cmd_clear(&cmd);
	assert_parse_error(WORDS("--timeout", "5s", "show"),
			   "bad timeout '5s' (seconds up to 1000000, 0 waits forever)");
	assert_parse_error(WORDS("--timeout", "-1", "show"),
			   "bad timeout '-1' (seconds up to 1000000, 0 waits forever)");
	assert_parse_error(WORDS("--timeout", "1000001", "show"),
			   "bad timeout '1000001' (seconds up to 1000000, 0 waits forever)");
}

static void
test_cli_help_and_version(void **state)
{
	struct cli_cmd cmd;

	(void)state;
	parse_ok(WORDS("--help"), &cmd);
	assert_true(cmd.help);
	assert_null(cmd.method);
	assert_null(cmd.params);
	parse_ok(WORDS("-h", "no-such-command"), &cmd);
	assert_true(cmd.help);
	parse_ok(WORDS("--format", "json", "-V"), &cmd);
	assert_true(cmd.version);
	assert_false(cmd.help);
	parse_ok(WORDS("--version"), &cmd);
	assert_true(cmd.version);
	cli_cmd_clear(&cmd);
}

static void
test_cli_unknown_option_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("--verbose", "show"),
			   "unknown option '--verbose' (see vireoctl --help)");
	assert_parse_error(WORDS("--may-exist=1", "add-br", "br0"),
			   "unknown option '--may-exist=1' (see vireoctl --help)");
	assert_parse_error(WORDS("-x", "show"), "unknown option '-x' (see vireoctl --help)");
}

static void
test_cli_non_utf8_value_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("set", "bridge", "br0", "other_config:x=\xff"),
			   "value of 'other_config:x' is not valid UTF-8");
	assert_parse_error(
	    WORDS("add-port", "br0", "c1", "--", "set", "interface", "c1", "options:\xff=1"),
	    "'\xff' is not valid UTF-8");
}

static void
test_cli_error_fits_small_buffer(void **state)
{
	char **words = WORDS("add-brr");
	struct cli_cmd cmd;
	char err[9];

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(cli_parse(1, words, &cmd, err, sizeof err), -EINVAL);
	assert_string_equal(err, "unknown ");
	assert_int_equal(cli_parse(1, words, &cmd, NULL, 0), -EINVAL);
}

static void
test_cli_set_controller_builds_targets(void **state)
{
	(void)state;
	assert_request(WORDS("set-controller", "br0", "tcp:127.0.0.1:6653"), "set-controller",
		       "{\"bridge\":\"br0\",\"targets\":[\"tcp:127.0.0.1:6653\"]}");
	assert_request(WORDS("set-controller", "br0", "tcp:10.0.0.1", "unix:/run/ctl.sock",
			     "ptcp:", "ptcp:6653", "ptcp:0", "ptcp:6653:127.0.0.1",
			     "ptcp::10.0.0.2", "punix:/run/vireo/br0.mgmt", "tcp:1.2.3.4:65535"),
		       "set-controller",
		       "{\"bridge\":\"br0\",\"targets\":[\"tcp:10.0.0.1\",\"unix:/run/ctl.sock\","
		       "\"ptcp:\",\"ptcp:6653\",\"ptcp:0\",\"ptcp:6653:127.0.0.1\","
		       "\"ptcp::10.0.0.2\",\"punix:/run/vireo/br0.mgmt\",\"tcp:1.2.3.4:65535\"]}");
	assert_request(WORDS("del-controller", "br0"), "del-controller", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("get-controller", "br0"), "get-controller", "{\"bridge\":\"br0\"}");
}

static void
test_cli_set_controller_bad_targets_refused(void **state)
{
	static const char *const bad_ip[] = {"tcp:",          "tcp:1.2.3:6653",     "tcp:256.1.1.1",
					     "tcp:localhost", "tcp:01.2.3.4",       "tcp::6653",
					     "ptcp:6653:",    "ptcp:6653:1.2.3.4.5"};
	static const char *const bad_port[] = {"tcp:1.2.3.4:0",   "tcp:1.2.3.4:65536",
					       "tcp:1.2.3.4:",    "tcp:1.2.3.4:66a",
					       "tcp:1.2.3.4:-1",  "tcp:1.2.3.4:000006653",
					       "ptcp:65536",      "ptcp:x",
					       "ptcp:-1:1.2.3.4", "ptcp:6653x"};
	char expected[256];
	size_t i;

	(void)state;
	assert_parse_error(WORDS("set-controller", "br0"),
			   "set-controller: missing target (tcp:IP[:PORT], unix:PATH, "
			   "ptcp:[PORT][:IP] or punix:PATH)");
	assert_parse_error(WORDS("set-controller"), "set-controller: missing bridge name");
	assert_parse_error(WORDS("set-controller", "br/0", "tcp:1.2.3.4"),
			   "set-controller: bad bridge name 'br/0' (1..15 letters, digits, '-', "
			   "'_', '.')");
	assert_parse_error(WORDS("set-controller", "br0", "tcp:1.2.3.4", "ssl:1.2.3.4:6653"),
			   "set-controller: bad target 'ssl:1.2.3.4:6653' (expected tcp:IP[:PORT], "
			   "unix:PATH, ptcp:[PORT][:IP] or punix:PATH)");
	assert_parse_error(WORDS("set-controller", "br0", "TCP:1.2.3.4"),
			   "set-controller: bad target 'TCP:1.2.3.4' (expected tcp:IP[:PORT], "
			   "unix:PATH, ptcp:[PORT][:IP] or punix:PATH)");
	assert_parse_error(WORDS("set-controller", "br0", "unix:"),
			   "set-controller: missing path in target 'unix:'");
	assert_parse_error(WORDS("set-controller", "br0", "punix:"),
			   "set-controller: missing path in target 'punix:'");
	for (i = 0; i < sizeof bad_ip / sizeof bad_ip[0]; i++) {
		snprintf(expected, sizeof expected,
			 "set-controller: bad IP address in target '%s' (expected a.b.c.d)",
			 bad_ip[i]);
		assert_parse_error(WORDS("set-controller", "br0", (char *)bad_ip[i]), expected);
	}
	for (i = 0; i < sizeof bad_port / sizeof bad_port[0]; i++) {
		snprintf(expected, sizeof expected, "set-controller: bad port in target '%s' (%s)",
			 bad_port[i], bad_port[i][0] == 'p' ? "0..65535" : "1..65535");
		assert_parse_error(WORDS("set-controller", "br0", (char *)bad_port[i]), expected);
	}
}

static void
test_cli_fail_mode_commands_build_params(void **state)
{
	(void)state;
	assert_request(WORDS("set-fail-mode", "br0", "secure"), "set-fail-mode",
		       "{\"bridge\":\"br0\",\"mode\":\"secure\"}");
	assert_request(WORDS("set-fail-mode", "br0", "standalone"), "set-fail-mode",
		       "{\"bridge\":\"br0\",\"mode\":\"standalone\"}");
	assert_request(WORDS("del-fail-mode", "br0"), "del-fail-mode", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("get-fail-mode", "br0"), "get-fail-mode", "{\"bridge\":\"br0\"}");
	assert_parse_error(WORDS("set-fail-mode", "br0", "Secure"),
			   "set-fail-mode: fail-mode must be standalone or secure");
	assert_parse_error(WORDS("set-fail-mode", "br0", ""),
			   "set-fail-mode: fail-mode must be standalone or secure");
	assert_parse_error(WORDS("set-fail-mode", "br0"),
			   "set-fail-mode: missing fail mode (standalone or secure)");
	assert_parse_error(WORDS("set-fail-mode", "br0", "secure", "x"),
			   "set-fail-mode: unexpected argument 'x' (usage: set-fail-mode BRIDGE "
			   "standalone|secure)");
	assert_parse_error(WORDS("get-fail-mode"), "get-fail-mode: missing bridge name");
}

static void
test_cli_flow_commands_build_params(void **state)
{
	(void)state;
	assert_request(WORDS("add-flow", "br0", "priority=10,in_port=1,actions=output:2"),
		       "add-flow",
		       "{\"bridge\":\"br0\",\"flow\":\"priority=10,in_port=1,actions=output:2\"}");
	assert_request(WORDS("mod-flows", "br0", "in_port=1 actions=drop"), "mod-flows",
		       "{\"bridge\":\"br0\",\"flow\":\"in_port=1 actions=drop\"}");
	assert_request(WORDS("del-flows", "br0"), "del-flows", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("del-flows", "br0", "table=1,in_port=2"), "del-flows",
		       "{\"bridge\":\"br0\",\"match\":\"table=1,in_port=2\"}");
	assert_request(WORDS("dump-flows", "br0"), "dump-flows", "{\"bridge\":\"br0\"}");
	assert_request(WORDS("dump-flows", "br0", "dl_type=0x0800"), "dump-flows",
		       "{\"bridge\":\"br0\",\"match\":\"dl_type=0x0800\"}");
	assert_request(WORDS("trace", "br0", "in_port=1,dl_dst=50:54:00:00:00:05"), "trace",
		       "{\"bridge\":\"br0\",\"flow\":\"in_port=1,dl_dst=50:54:00:00:00:05\"}");
}

static void
test_cli_flow_commands_mistakes_refused(void **state)
{
	(void)state;
	assert_parse_error(WORDS("add-flow", "br0"), "add-flow: missing flow");
	assert_parse_error(WORDS("add-flow"), "add-flow: missing bridge name");
	assert_parse_error(WORDS("add-flow", "br0", ""), "add-flow: empty flow");
	assert_parse_error(WORDS("add-flow", "br0", "in_port=1", "actions=drop"),
			   "add-flow: unexpected argument 'actions=drop' (usage: add-flow BRIDGE "
			   "FLOW)");
	assert_parse_error(WORDS("mod-flows", "br0"), "mod-flows: missing flow");
	assert_parse_error(WORDS("trace", "br0", ""), "trace: empty flow");
	assert_parse_error(WORDS("del-flows", "br0", ""), "del-flows: empty match");
	assert_parse_error(
	    WORDS("dump-flows", "br0", "a", "b"),
	    "dump-flows: unexpected argument 'b' (usage: dump-flows BRIDGE [MATCH])");
	assert_parse_error(WORDS("dump-flows"), "dump-flows: missing bridge name");
	assert_parse_error(WORDS("add-flow", "br0", "actions=\xff"),
			   "value of 'flow' is not valid UTF-8");
}

static void
test_cli_strict_anywhere_after_command(void **state)
{
	static const char *const strict_mod =
	    "{\"bridge\":\"br0\",\"flow\":\"in_port=1 actions=drop\",\"strict\":true}";
	static const char *const strict_del =
	    "{\"bridge\":\"br0\",\"match\":\"priority=5,in_port=1\",\"strict\":true}";
	char **words = WORDS("del-flows", "br0", "--strict", "priority=5,in_port=1");
	struct cli_cmd cmd;

	(void)state;
	assert_request(WORDS("mod-flows", "--strict", "br0", "in_port=1 actions=drop"), "mod-flows",
		       strict_mod);
	assert_request(WORDS("mod-flows", "br0", "--strict", "in_port=1 actions=drop"), "mod-flows",
		       strict_mod);
	assert_request(WORDS("mod-flows", "br0", "in_port=1 actions=drop", "--strict"), "mod-flows",
		       strict_mod);
	assert_request(WORDS("--strict", "mod-flows", "br0", "in_port=1 actions=drop"), "mod-flows",
		       strict_mod);
	assert_request(words, "del-flows", strict_del);
	assert_request(WORDS("del-flows", "br0", "priority=5,in_port=1", "--strict", "--strict"),
		       "del-flows", strict_del);
	assert_request(WORDS("del-flows", "br0", "--strict"), "del-flows",
		       "{\"bridge\":\"br0\",\"strict\":true}");
	/* The caller's words are not reordered. */
	assert_string_equal(words[2], "--strict");
	assert_string_equal(words[3], "priority=5,in_port=1");
	assert_parse_error(WORDS("del-flows", "--strict"), "del-flows: missing bridge name");
	assert_parse_error(WORDS("add-flow", "--strict", "br0", "actions=drop"),
			   "add-flow: command has no '--strict' option");
	assert_parse_error(WORDS("--strict", "dump-flows", "br0"),
			   "dump-flows: command has no '--strict' option");
	assert_parse_error(WORDS("dump-flows", "br0", "--strict"),
			   "dump-flows: command has no '--strict' option");
	assert_parse_error(WORDS("trace", "br0", "--strict"),
			   "trace: command has no '--strict' option");
	assert_parse_error(WORDS("mod-flows", "br0", "--may-exist"),
			   "mod-flows: unknown option '--may-exist' (see vireoctl --help)");
	assert_parse_error(WORDS("mod-flows", "br0", "--may-exist", "actions=drop"),
			   "mod-flows: unexpected argument 'actions=drop' (usage: mod-flows "
			   "BRIDGE FLOW)");
	parse_ok(WORDS("del-flows", "br0"), &cmd);
	assert_null(json_object_get(cmd.params, "strict"));
	cli_cmd_clear(&cmd);
}

static void
test_cli_set_bridge_datapath_id_passes_through(void **state)
{
	(void)state;
	assert_request(WORDS("set", "bridge", "br0", "other_config:datapath-id=0000aabbccddeeff"),
		       "set",
		       "{\"table\":\"bridge\",\"record\":\"br0\","
		       "\"values\":{\"other_config:datapath-id\":\"0000aabbccddeeff\"}}");
}

static void
test_cli_add_flows_records_file_only(void **state)
{
	struct cli_cmd cmd;
	json_t *expected = json_pack("{s:s}", "bridge", "br0");

	(void)state;
	parse_ok(WORDS("add-flows", "br0", "/nonexistent/flows.txt"), &cmd);
	assert_string_equal(cmd.method, "add-flows");
	assert_string_equal(cmd.flows_file, "/nonexistent/flows.txt");
	assert_true(json_equal(cmd.params, expected));
	cli_cmd_clear(&cmd);
	assert_null(cmd.flows_file);
	parse_ok(WORDS("add-flows", "br0", "-"), &cmd);
	assert_string_equal(cmd.flows_file, "-");
	cli_cmd_clear(&cmd);
	parse_ok(WORDS("add-flow", "br0", "actions=drop"), &cmd);
	assert_null(cmd.flows_file);
	cli_cmd_clear(&cmd);
	assert_parse_error(WORDS("add-flows", "br0"), "add-flows: missing file name (- for stdin)");
	assert_parse_error(WORDS("add-flows", "br0", ""), "add-flows: empty file name");
	assert_parse_error(WORDS("add-flows", "br 0", "f"),
			   "add-flows: bad bridge name 'br 0' (1..15 letters, digits, '-', '_', "
			   "'.')");
	json_decref(expected);
}

/* Parse "add-flows br0 'file'", read it ('std_in' for "-"), compare params. */
static void
assert_flows_read(const char *file, FILE *std_in, const char *params_json)
{
	char **words = WORDS("add-flows", "br0", (char *)file);
	json_t *expected = json_loads(params_json, 0, NULL);
	struct cli_cmd cmd;
	char err[256] = "";

	assert_non_null(expected);
	parse_ok(words, &cmd);
	if (cli_cmd_read_flows(&cmd, std_in, err, sizeof err)) {
		fail_msg("reading %s failed: %s", file, err);
	}
	if (!json_equal(cmd.params, expected)) {
		char *got = json_dumps(cmd.params, JSON_COMPACT);

		fail_msg("params: got %s, expected %s", got, params_json);
	}
	json_decref(expected);
	cli_cmd_clear(&cmd);
}

/* Write 'text' to a new temporary file whose name goes to 'path'. */
static void
write_temp(char path[64], const char *text, size_t size)
{
	int fd;

	snprintf(path, 64, "/tmp/test_cli_flows.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, size), (ssize_t)size);
	close(fd);
}

static void
test_cli_add_flows_reads_file_skipping_comments(void **state)
{
	static const char text[] = "# flows for br0\n"
				   "\n"
				   "priority=10,in_port=1,actions=output:2\r\n"
				   "  \t\r\n"
				   "   # an indented comment\n"
				   "\ttable=1, actions=drop  \r\n"
				   "\r\n"
				   "in_port=3 actions=NORMAL";
	static const char expected[] =
	    "{\"bridge\":\"br0\",\"flows\":[\"priority=10,in_port=1,actions=output:2\","
	    "\"table=1, actions=drop\",\"in_port=3 actions=NORMAL\"]}";
	char path[64];
	FILE *in;

	(void)state;
	write_temp(path, text, strlen(text));
	assert_flows_read(path, NULL, expected);
	unlink(path);
	in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	assert_flows_read("-", in, expected);
	fclose(in);
	write_temp(path, "# nothing\n\n", 11);
	assert_flows_read(path, NULL, "{\"bridge\":\"br0\",\"flows\":[]}");
	unlink(path);
}

/* Parse "add-flows br0 'file'"; reading must fail with 'ret' and 'expected'. */
static void
assert_flows_error(const char *file, int ret, const char *expected)
{
	char **words = WORDS("add-flows", "br0", (char *)file);
	struct cli_cmd cmd;
	char err[256] = "";

	parse_ok(words, &cmd);
	assert_int_equal(cli_cmd_read_flows(&cmd, stdin, err, sizeof err), ret);
	assert_string_equal(err, expected);
	assert_null(json_object_get(cmd.params, "flows"));
	cli_cmd_clear(&cmd);
}

static void
test_cli_add_flows_unreadable_file_refused(void **state)
{
	static const char bad_utf8[] = "actions=drop\nactions=\xff\n";
	char expected[256];
	char path[64];

	(void)state;
	assert_flows_error("/nonexistent/flows.txt", -ENOENT,
			   "add-flows: cannot open '/nonexistent/flows.txt': No such file or "
			   "directory");
	assert_flows_error("/", -EISDIR, "add-flows: cannot read '/': Is a directory");
	write_temp(path, bad_utf8, strlen(bad_utf8));
	snprintf(expected, sizeof expected, "add-flows: '%s', line 2: not valid UTF-8", path);
	assert_flows_error(path, -EINVAL, expected);
	unlink(path);
}

static void
test_cli_read_flows_ignores_other_commands(void **state)
{
	struct cli_cmd cmd;
	char err[64] = "";

	(void)state;
	parse_ok(WORDS("add-flow", "br0", "actions=drop"), &cmd);
	assert_int_equal(cli_cmd_read_flows(&cmd, NULL, err, sizeof err), 0);
	assert_null(json_object_get(cmd.params, "flows"));
	assert_string_equal(err, "");
	cli_cmd_clear(&cmd);
}

static void
test_cli_usage_lists_every_command(void **state)
{
	static const char *const commands[] = {"add-br",
					       "del-br",
					       "list-br",
					       "add-port",
					       "del-port",
					       "list-ports",
					       "set",
					       "show",
					       "fdb/show",
					       "fdb/add",
					       "fdb/del",
					       "fdb/flush",
					       "dump-ports",
					       "pmd-stats",
					       "set-controller",
					       "del-controller",
					       "get-controller",
					       "set-fail-mode",
					       "del-fail-mode",
					       "get-fail-mode",
					       "add-flow",
					       "add-flows",
					       "mod-flows",
					       "del-flows",
					       "dump-flows",
					       "trace"};
	static const char *const options[] = {"--socket",    "--format", "--timeout", "--may-exist",
					      "--if-exists", "--strict", "--help",    "--version"};
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	char line[64];
	size_t i;

	(void)state;
	assert_non_null(out);
	assert_int_equal(cli_usage(out), 0);
	fclose(out);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		snprintf(line, sizeof line, "\n  %s ", commands[i]);
		if (!strstr(text, line)) {
			fail_msg("--help has no line for %s", commands[i]);
		}
	}
	for (i = 0; i < sizeof options / sizeof options[0]; i++) {
		if (!strstr(text, options[i])) {
			fail_msg("--help does not mention %s", options[i]);
		}
	}
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cli_bridge_commands_build_params),
	    cmocka_unit_test(test_cli_vlan_commands_build_params),
	    cmocka_unit_test(test_cli_may_exist_before_or_after_command),
	    cmocka_unit_test(test_cli_if_exists_for_deletions),
	    cmocka_unit_test(test_cli_existence_flags_refused_where_meaningless),
	    cmocka_unit_test(test_cli_add_port_without_clause),
	    cmocka_unit_test(test_cli_add_port_clause_gives_type_and_options),
	    cmocka_unit_test(test_cli_add_port_several_clauses_merge),
	    cmocka_unit_test(test_cli_add_port_clause_mistakes_refused),
	    cmocka_unit_test(test_cli_add_port_clause_must_be_set_interface),
	    cmocka_unit_test(test_cli_unterminated_quote_refused),
	    cmocka_unit_test(test_cli_del_port_with_and_without_bridge),
	    cmocka_unit_test(test_cli_set_passes_values_as_strings),
	    cmocka_unit_test(test_cli_set_mistakes_refused),
	    cmocka_unit_test(test_cli_fdb_commands_build_params),
	    cmocka_unit_test(test_cli_mac_is_lowercased),
	    cmocka_unit_test(test_cli_bad_vlan_refused),
	    cmocka_unit_test(test_cli_bad_mac_refused),
	    cmocka_unit_test(test_cli_dump_ports_optional_port),
	    cmocka_unit_test(test_cli_unknown_command_refused),
	    cmocka_unit_test(test_cli_missing_command_refused),
	    cmocka_unit_test(test_cli_wrong_argument_counts_refused),
	    cmocka_unit_test(test_cli_bad_names_refused),
	    cmocka_unit_test(test_cli_name_is_valid),
	    cmocka_unit_test(test_cli_format_json_recognised),
	    cmocka_unit_test(test_cli_socket_recognised),
	    cmocka_unit_test(test_cli_timeout_recognised),
	    cmocka_unit_test(test_cli_help_and_version),
	    cmocka_unit_test(test_cli_unknown_option_refused),
	    cmocka_unit_test(test_cli_non_utf8_value_refused),
	    cmocka_unit_test(test_cli_error_fits_small_buffer),
	    cmocka_unit_test(test_cli_set_controller_builds_targets),
	    cmocka_unit_test(test_cli_set_controller_bad_targets_refused),
	    cmocka_unit_test(test_cli_fail_mode_commands_build_params),
	    cmocka_unit_test(test_cli_flow_commands_build_params),
	    cmocka_unit_test(test_cli_flow_commands_mistakes_refused),
	    cmocka_unit_test(test_cli_strict_anywhere_after_command),
	    cmocka_unit_test(test_cli_set_bridge_datapath_id_passes_through),
	    cmocka_unit_test(test_cli_add_flows_records_file_only),
	    cmocka_unit_test(test_cli_add_flows_reads_file_skipping_comments),
	    cmocka_unit_test(test_cli_add_flows_unreadable_file_refused),
	    cmocka_unit_test(test_cli_read_flows_ignores_other_commands),
	    cmocka_unit_test(test_cli_usage_lists_every_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
