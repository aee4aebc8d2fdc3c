/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_parse.c - vireoctl's grammar: global options, then one command.
 *
 * One table lists the commands; each has a small parse function that checks
 * its words and builds the params object of control/rpc.h.  Error lines are
 * short and name the command and the offending word, since they are all a
 * user sees ("vireoctl: fdb/add: bad VLAN '5000' (0..4095)").
 *
 * Limits: add-port accepts only "-- set interface PORT ..." clauses, with
 * the keys type and options:KEY (what rpc.h's add-port carries).  Interface
 * types, option keys and "set" keys are passed through for vireod to check.
 * OpenFlow flows and matches (ovs-ofctl syntax) are passed through as well:
 * vireod owns that grammar, so the CLI only refuses empty ones.  Controller
 * targets are checked here, IPv4 only, as rpc.h lists them.
 *
 * The file of add-flows is read by cli_cmd_read_flows() (at the end of this
 * file), not by cli_parse(), which stays free of I/O.
 */
#include "cli/cli_parse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include "control/rpc.h"

#define NAME_LEN_MAX 15      /* IFNAMSIZ - 1, as for Linux interface names */
#define VLAN_MAX     4095    /* 12-bit VID; 0 is the untagged/native VLAN */
#define MAC_STR_LEN  17      /* "xx:xx:xx:xx:xx:xx" */
#define TIMEOUT_MAX  1000000 /* seconds; keeps milliseconds within an int */
#define TCP_PORT_MAX 65535   /* highest TCP port number */
#define TARGET_SYNTAX \
	"tcp:IP[:PORT], unix:PATH, ptcp:[PORT][:IP] or punix:PATH" /* for error lines */

/* Options a command accepts besides its arguments. */
#define ACCEPTS_MAY_EXIST 0x1u
#define ACCEPTS_IF_EXISTS 0x2u
#define ACCEPTS_STRICT    0x4u

struct command;

/* State shared by the option and command parsers. */
struct parse_ctx {
	struct cli_cmd *out;           /* where the result goes */
	const struct command *command; /* the command being parsed, once known */
	int argc;                      /* words not consumed yet */
	char **argv;                   /* those words */
	json_t *params;                /* params being built */
	bool may_exist;                /* --may-exist was given */
	bool if_exists;                /* --if-exists was given */
	bool strict;                   /* --strict was given */
	char *err;                     /* where the error line goes */
	size_t err_size;               /* bytes at 'err' */
};

/* One vireoctl command; its name is also its JSON-RPC method. */
struct command {
	const char *name;                    /* command word and method */
	const char *args;                    /* argument synopsis for usage lines */
	const char *summary;                 /* one line for --help */
	unsigned int flags;                  /* ACCEPTS_* */
	int (*parse)(struct parse_ctx *ctx); /* checks ctx->argv, fills ctx->params */
};

/* One global option. */
struct option_def {
	const char *long_name;                                  /* "--socket" */
	const char *short_name;                                 /* "-f", or NULL */
	bool has_value;                                         /* takes an argument */
	int (*apply)(struct parse_ctx *ctx, const char *value); /* records it */
};

static int
verror(char *err, size_t err_size, const char *prefix, const char *fmt, va_list args)
{
	int n = 0;

	if (err_size == 0) {
		return -EINVAL;
	}
	if (prefix) {
		n = snprintf(err, err_size, "%s: ", prefix);
	}
	if (n >= 0 && (size_t)n < err_size) {
		vsnprintf(err + n, err_size - n, fmt, args);
	}
	return -EINVAL;
}

static int errorf(struct parse_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct parse_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write an error line without a command prefix; returns -EINVAL. */
static int
errorf(struct parse_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	verror(ctx->err, ctx->err_size, NULL, fmt, args);
	va_end(args);
	return -EINVAL;
}

/* Write an error line prefixed with the command name; returns -EINVAL. */
static int
fail(struct parse_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	verror(ctx->err, ctx->err_size, ctx->command->name, fmt, args);
	va_end(args);
	return -EINVAL;
}

static void
shift(struct parse_ctx *ctx, int n)
{
	ctx->argc -= n;
	ctx->argv += n;
}

/* Store the string 'value' under 'key' in 'obj'; argv need not be UTF-8. */
static int
set_string(struct parse_ctx *ctx, json_t *obj, const char *key, const char *value)
{
	json_t *str = json_string(value);

	if (!str) {
		return errorf(ctx, "value of '%s' is not valid UTF-8", key);
	}
	if (json_object_set_new(obj, key, str)) {
		return errorf(ctx, "'%s' is not valid UTF-8", key);
	}
	return 0;
}

/* Store a JSON value that cannot fail to encode; only memory can run out. */
static int
set_new(struct parse_ctx *ctx, json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, value)) {
		return errorf(ctx, "out of memory");
	}
	return 0;
}

/*
 * Strip the quotes ovs-vsctl accepts around a value ("10.0.0.1/24"), with
 * \" and \\ inside.  '*out' is a new string the caller frees.
 */
static int
unquote(struct parse_ctx *ctx, const char *in, char **out)
{
	const char *p = in + 1;
	char *q;

	if (in[0] != '"') {
		*out = strdup(in);
		return *out ? 0 : errorf(ctx, "out of memory");
	}
	*out = q = malloc(strlen(in));
	if (!q) {
		return errorf(ctx, "out of memory");
	}
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		}
		*q++ = *p;
	}
	*q = '\0';
	if (*p != '"' || p[1] != '\0') {
		free(*out);
		*out = NULL;
		return errorf(ctx, "bad quoted value '%s' (expected \"...\")", in);
	}
	return 0;
}

bool
cli_name_is_valid(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (len == 0 || len > NAME_LEN_MAX || !strcmp(name, ".") || !strcmp(name, "..")) {
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i])) {
			return false;
		}
	}
	return true;
}

/* Check that 'n' words are between 'min' and 'max'; 'what' names each one. */
static int
check_count(struct parse_ctx *ctx, int n, int min, int max, const char *const *what)
{
	if (n < min) {
		return fail(ctx, "missing %s", what[n]);
	}
	if (n > max) {
		return fail(ctx, "unexpected argument '%s' (usage: %s%s%s)", ctx->argv[max],
			    ctx->command->name, ctx->command->args[0] ? " " : "",
			    ctx->command->args);
	}
	return 0;
}

/* Store 'word', a bridge/port/interface name ('what'), under 'key'. */
static int
put_name(struct parse_ctx *ctx, const char *key, const char *what, const char *word)
{
	if (!cli_name_is_valid(word)) {
		return fail(ctx, "bad %s name '%s' (1..%d letters, digits, '-', '_', '.')", what,
			    word, NAME_LEN_MAX);
	}
	return set_string(ctx, ctx->params, key, word);
}

static int
put_vlan(struct parse_ctx *ctx, const char *word)
{
	size_t len = strlen(word);
	long vlan;

	if (len == 0 || len > 4 || strspn(word, "0123456789") != len) {
		return fail(ctx, "bad VLAN '%s' (0..%d)", word, VLAN_MAX);
	}
	vlan = strtol(word, NULL, 10);
	if (vlan > VLAN_MAX) {
		return fail(ctx, "bad VLAN '%s' (0..%d)", word, VLAN_MAX);
	}
	return set_new(ctx, ctx->params, "vlan", json_integer(vlan));
}

/* Store a MAC written xx:xx:xx:xx:xx:xx, lower-cased. */
static int
put_mac(struct parse_ctx *ctx, const char *word)
{
	char mac[MAC_STR_LEN + 1];
	int i;

	if (strlen(word) != MAC_STR_LEN) {
		return errorf(ctx, "bad MAC address '%s'", word);
	}
	for (i = 0; i < MAC_STR_LEN; i++) {
		bool colon = i % 3 == 2;

		if (colon ? word[i] != ':' : !isxdigit((unsigned char)word[i])) {
			return errorf(ctx, "bad MAC address '%s'", word);
		}
		mac[i] = tolower((unsigned char)word[i]);
	}
	mac[MAC_STR_LEN] = '\0';
	return set_string(ctx, ctx->params, "mac", mac);
}

/* Commands without arguments: list-br, show, pmd-stats, pmd-rxq-show. */
static int
parse_no_args(struct parse_ctx *ctx)
{
	return check_count(ctx, ctx->argc, 0, 0, NULL);
}

/* add-br BR, del-br BR, list-ports BR, fdb/show BR. */
static int
parse_bridge(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name"};
	int ret = check_count(ctx, ctx->argc, 1, 1, what);

	return ret ? ret : put_name(ctx, "bridge", "bridge", ctx->argv[0]);
}

/* fdb/flush [BR]. */
static int
parse_opt_bridge(struct parse_ctx *ctx)
{
	int ret = check_count(ctx, ctx->argc, 0, 1, NULL);

	if (ret || ctx->argc == 0) {
		return ret;
	}
	return put_name(ctx, "bridge", "bridge", ctx->argv[0]);
}

/* del-port [BR] PORT. */
static int
parse_del_port(struct parse_ctx *ctx)
{
	static const char *const what[] = {"port name"};
	int ret = check_count(ctx, ctx->argc, 1, 2, what);

	if (!ret && ctx->argc == 2) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
		shift(ctx, 1);
	}
	return ret ? ret : put_name(ctx, "port", "port", ctx->argv[0]);
}

/* dump-ports BR [PORT]. */
static int
parse_dump_ports(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name"};
	int ret = check_count(ctx, ctx->argc, 1, 2, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (!ret && ctx->argc == 2) {
		ret = put_name(ctx, "port", "port", ctx->argv[1]);
	}
	return ret;
}

/* fdb/add BR PORT VLAN MAC. */
static int
parse_fdb_add(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "port name", "VLAN", "MAC address"};
	int ret = check_count(ctx, ctx->argc, 4, 4, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (!ret) {
		ret = put_name(ctx, "port", "port", ctx->argv[1]);
	}
	if (!ret) {
		ret = put_vlan(ctx, ctx->argv[2]);
	}
	return ret ? ret : put_mac(ctx, ctx->argv[3]);
}

/* fdb/del BR VLAN MAC. */
static int
parse_fdb_del(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "VLAN", "MAC address"};
	int ret = check_count(ctx, ctx->argc, 3, 3, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (!ret) {
		ret = put_vlan(ctx, ctx->argv[1]);
	}
	return ret ? ret : put_mac(ctx, ctx->argv[2]);
}

/* Stores the KEY=VALUE whose key runs from 'key' to 'eq' in 'obj',
 * unquoting the value. */
static int
put_key_value(struct parse_ctx *ctx, json_t *obj, const char *key, const char *eq)
{
	char *name;
	char *value;
	int ret = unquote(ctx, eq + 1, &value);

	if (ret) {
		return ret;
	}
	name = strndup(key, eq - key);
	ret = name ? set_string(ctx, obj, name, value) : errorf(ctx, "out of memory");
	free(name);
	free(value);
	return ret;
}

/* Store "options:KEY=VALUE" ('word') in the params' "options" object. */
static int
put_option(struct parse_ctx *ctx, const char *word)
{
	const char *key = word + strlen("options:");
	const char *eq = strchr(key, '=');
	json_t *options = json_object_get(ctx->params, "options");
	int ret;

	if (!eq || eq == key) {
		return errorf(ctx, "bad option '%s' (expected options:KEY=VALUE)", word);
	}
	if (!options) {
		options = json_object();
		ret = set_new(ctx, ctx->params, "options", options);
		if (ret) {
			return ret;
		}
	}
	return put_key_value(ctx, options, key, eq);
}

/* One KEY=VALUE of "-- set interface PORT ...": type=T or options:K=V. */
static int
put_iface_setting(struct parse_ctx *ctx, const char *word)
{
	const char *eq = strchr(word, '=');
	char *value;
	int ret;

	if (!strncmp(word, "options:", strlen("options:"))) {
		return put_option(ctx, word);
	}
	if (!eq || eq == word) {
		return fail(ctx, "bad setting '%s' (expected KEY=VALUE)", word);
	}
	if (eq - word != 4 || strncmp(word, "type", 4)) {
		return fail(ctx,
			    "unknown interface setting '%.*s' (expected type=TYPE or "
			    "options:KEY=VALUE)",
			    (int)(eq - word), word);
	}
	ret = unquote(ctx, eq + 1, &value);
	if (!ret && value[0] == '\0') {
		ret = fail(ctx, "empty interface type in '%s'", word);
	}
	if (!ret) {
		ret = set_string(ctx, ctx->params, "type", value);
	}
	free(value);
	return ret;
}

/* One "-- set interface PORT KEY=VALUE..." clause; ctx->argv[0] is "--". */
static int
parse_iface_clause(struct parse_ctx *ctx, const char *port)
{
	int n = 1;
	int ret = 0;
	int i;

	while (n < ctx->argc && strcmp(ctx->argv[n], "--")) {
		n++;
	}
	if (n < 3 || strcmp(ctx->argv[1], "set") || strcasecmp(ctx->argv[2], "interface")) {
		return fail(ctx, "only 'set interface %s KEY=VALUE...' may follow '--'", port);
	}
	if (n < 4) {
		return fail(ctx, "missing interface name after '-- set interface'");
	}
	if (strcmp(ctx->argv[3], port)) {
		return fail(ctx, "interface name '%s' after '--' does not match port '%s'",
			    ctx->argv[3], port);
	}
	if (n < 5) {
		return fail(ctx, "missing KEY=VALUE after '-- set interface %s'", port);
	}
	for (i = 4; i < n && !ret; i++) {
		ret = put_iface_setting(ctx, ctx->argv[i]);
	}
	shift(ctx, n);
	return ret;
}

/* add-port BR PORT [-- set interface PORT KEY=VALUE...]... */
static int
parse_add_port(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "port name"};
	const char *port;
	int n_args = 0;
	int ret;

	while (n_args < ctx->argc && strcmp(ctx->argv[n_args], "--")) {
		n_args++;
	}
	ret = check_count(ctx, n_args, 2, 2, what);
	if (ret) {
		return ret;
	}
	port = ctx->argv[1];
	ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	if (!ret) {
		ret = put_name(ctx, "port", "port", port);
	}
	for (shift(ctx, 2); !ret && ctx->argc > 0;) {
		ret = parse_iface_clause(ctx, port);
	}
	return ret;
}

/* One KEY=VALUE of "set TABLE RECORD ...", into 'values'. */
static int
put_set_value(struct parse_ctx *ctx, json_t *values, const char *word)
{
	const char *eq = strchr(word, '=');

	if (!eq || eq == word) {
		return fail(ctx, "bad setting '%s' (expected KEY=VALUE)", word);
	}
	return put_key_value(ctx, values, word, eq);
}

/* set bridge|port|interface RECORD KEY=VALUE... */
static int
parse_set(struct parse_ctx *ctx)
{
	static const char *const tables[] = {"bridge", "port", "interface"};
	static const char *const what[] = {"table (bridge, port or interface)", "record name",
					   "KEY=VALUE"};
	const char *table = NULL;
	json_t *values;
	size_t i;
	int ret = check_count(ctx, ctx->argc, 3, INT_MAX, what);

	if (ret) {
		return ret;
	}
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (!strcasecmp(ctx->argv[0], tables[i])) {
			table = tables[i];
		}
	}
	if (!table) {
		return fail(ctx, "unknown table '%s' (expected bridge, port or interface)",
			    ctx->argv[0]);
	}
	ret = set_string(ctx, ctx->params, "table", table);
	if (!ret) {
		ret = put_name(ctx, "record", table, ctx->argv[1]);
	}
	if (ret) {
		return ret;
	}
	values = json_object();
	ret = set_new(ctx, ctx->params, "values", values);
	for (shift(ctx, 2); !ret && ctx->argc > 0; shift(ctx, 1)) {
		ret = put_set_value(ctx, values, ctx->argv[0]);
	}
	return ret;
}

/* Checks the table word of clear/remove; returns its name or NULL. */
static const char *
clear_table(struct parse_ctx *ctx)
{
	static const char *const tables[] = {"bridge", "port", "interface"};
	size_t i;

	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (!strcasecmp(ctx->argv[0], tables[i])) {
			return tables[i];
		}
	}
	fail(ctx, "unknown table '%s' (expected bridge, port or interface)", ctx->argv[0]);
	return NULL;
}

/* clear TABLE RECORD COLUMN...  and  remove TABLE RECORD COLUMN [VALUE...] */
static int
parse_clear(struct parse_ctx *ctx)
{
	static const char *const what[] = {"table (bridge, port or interface)", "record name",
					   "column"};
	bool remove = !strcmp(ctx->command->name, "remove");
	const char *table;
	json_t *list;
	int ret = check_count(ctx, ctx->argc, 3, INT_MAX, what);

	if (ret) {
		return ret;
	}
	table = clear_table(ctx);
	if (!table) {
		return -EINVAL;
	}
	ret = set_string(ctx, ctx->params, "table", table);
	if (!ret) {
		ret = put_name(ctx, "record", table, ctx->argv[1]);
	}
	if (!ret && remove) {
		ret = set_string(ctx, ctx->params, "column", ctx->argv[2]);
		shift(ctx, 1);
	}
	if (ret) {
		return ret;
	}
	list = json_array();
	ret = set_new(ctx, ctx->params, remove ? "values" : "columns", list);
	for (shift(ctx, 2); !ret && ctx->argc > 0; shift(ctx, 1)) {
		ret = json_array_append_new(list, json_string(ctx->argv[0]))
			  ? errorf(ctx, "out of memory")
			  : 0;
	}
	return ret;
}

/* Append the string 'value' ('what', for errors) to the array 'list'. */
static int
append_string(struct parse_ctx *ctx, json_t *list, const char *what, const char *value)
{
	json_t *str = json_string(value);

	if (!str) {
		return fail(ctx, "%s '%s' is not valid UTF-8", what, value);
	}
	if (json_array_append_new(list, str)) {
		return errorf(ctx, "out of memory");
	}
	return 0;
}

/* Whether the 'len' characters at 's' are an IPv4 dotted quad. */
static bool
ipv4_is_valid(const char *s, size_t len)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr addr;

	if (len == 0 || len >= sizeof buf) {
		return false;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, &addr) == 1;
}

/* The TCP port in the 'len' digits at 's', or -1 if they are not one. */
static long
port_value(const char *s, size_t len)
{
	long port;

	if (len == 0 || len > 5 || strspn(s, "0123456789") < len) {
		return -1;
	}
	port = strtol(s, NULL, 10);
	return port <= TCP_PORT_MAX ? port : -1;
}

/* tcp:IP[:PORT] ('rest' follows "tcp:"), port 1..65535. */
static int
check_tcp_target(struct parse_ctx *ctx, const char *target, const char *rest)
{
	const char *colon = strchr(rest, ':');
	size_t ip_len = colon ? (size_t)(colon - rest) : strlen(rest);

	if (!ipv4_is_valid(rest, ip_len)) {
		return fail(ctx, "bad IP address in target '%s' (expected a.b.c.d)", target);
	}
	if (colon && port_value(colon + 1, strlen(colon + 1)) < 1) {
		return fail(ctx, "bad port in target '%s' (1..%d)", target, TCP_PORT_MAX);
	}
	return 0;
}

/* ptcp:[PORT][:IP] ('rest' follows "ptcp:"), port 0..65535 (0: any). */
static int
check_ptcp_target(struct parse_ctx *ctx, const char *target, const char *rest)
{
	const char *colon = strchr(rest, ':');
	size_t port_len = colon ? (size_t)(colon - rest) : strlen(rest);

	if (port_len > 0 && port_value(rest, port_len) < 0) {
		return fail(ctx, "bad port in target '%s' (0..%d)", target, TCP_PORT_MAX);
	}
	if (colon && !ipv4_is_valid(colon + 1, strlen(colon + 1))) {
		return fail(ctx, "bad IP address in target '%s' (expected a.b.c.d)", target);
	}
	return 0;
}

/* Check the syntax of one controller target of set-controller. */
static int
check_target(struct parse_ctx *ctx, const char *target)
{
	const char *path = NULL;

	if (!strncmp(target, "tcp:", 4)) {
		return check_tcp_target(ctx, target, target + 4);
	}
	if (!strncmp(target, "ptcp:", 5)) {
		return check_ptcp_target(ctx, target, target + 5);
	}
	if (!strncmp(target, "unix:", 5)) {
		path = target + 5;
	} else if (!strncmp(target, "punix:", 6)) {
		path = target + 6;
	} else {
		return fail(ctx, "bad target '%s' (expected %s)", target, TARGET_SYNTAX);
	}
	if (path[0] == '\0') {
		return fail(ctx, "missing path in target '%s'", target);
	}
	return 0;
}

/* set-controller BR TARGET... */
static int
parse_set_controller(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "target (" TARGET_SYNTAX ")"};
	json_t *targets;
	int ret = check_count(ctx, ctx->argc, 2, INT_MAX, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (ret) {
		return ret;
	}
	targets = json_array();
	ret = set_new(ctx, ctx->params, "targets", targets);
	for (shift(ctx, 1); !ret && ctx->argc > 0; shift(ctx, 1)) {
		ret = check_target(ctx, ctx->argv[0]);
		if (!ret) {
			ret = append_string(ctx, targets, "target", ctx->argv[0]);
		}
	}
	return ret;
}

/* set-fail-mode BR standalone|secure. */
static int
parse_set_fail_mode(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "fail mode (standalone or secure)"};
	int ret = check_count(ctx, ctx->argc, 2, 2, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (ret) {
		return ret;
	}
	if (strcmp(ctx->argv[1], "standalone") && strcmp(ctx->argv[1], "secure")) {
		return fail(ctx, "fail-mode must be standalone or secure");
	}
	return set_string(ctx, ctx->params, "mode", ctx->argv[1]);
}

/*
 * Store 'word', a flow or match in ovs-ofctl syntax, under 'key'.  No flow
 * starts with "--", so such a word is a misplaced option.
 */
static int
put_flow(struct parse_ctx *ctx, const char *key, const char *word)
{
	if (word[0] == '\0') {
		return fail(ctx, "empty %s", key);
	}
	if (!strcmp(word, "--strict")) {
		return fail(ctx, "command has no '--strict' option");
	}
	if (!strncmp(word, "--", 2)) {
		return fail(ctx, "unknown option '%s' (see vireoctl --help)", word);
	}
	return set_string(ctx, ctx->params, key, word);
}

/* add-flow BR FLOW, mod-flows BR FLOW, trace BR FLOW. */
static int
parse_bridge_flow(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "flow"};
	int ret = check_count(ctx, ctx->argc, 2, 2, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	return ret ? ret : put_flow(ctx, "flow", ctx->argv[1]);
}

/* del-flows BR [MATCH], dump-flows BR [MATCH]. */
static int
parse_bridge_match(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name"};
	int ret = check_count(ctx, ctx->argc, 1, 2, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (!ret && ctx->argc == 2) {
		ret = put_flow(ctx, "match", ctx->argv[1]);
	}
	return ret;
}

/* add-flows BR FILE: only the name here; cli_cmd_read_flows() reads it. */
static int
parse_add_flows(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "file name (- for stdin)"};
	int ret = check_count(ctx, ctx->argc, 2, 2, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (!ret && ctx->argv[1][0] == '\0') {
		ret = fail(ctx, "empty file name");
	}
	if (!ret) {
		ctx->out->flows_file = ctx->argv[1];
	}
	return ret;
}

/* tnl/route-add PREFIX BRIDGE [GATEWAY]. */
static int
parse_tnl_route_add(struct parse_ctx *ctx)
{
	static const char *const what[] = {"prefix A.B.C.D/LEN", "bridge name", "gateway"};
	int ret = check_count(ctx, ctx->argc, 2, 3, what);

	if (!ret) {
		ret = set_string(ctx, ctx->params, "prefix", ctx->argv[0]);
	}
	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[1]);
	}
	if (!ret && ctx->argc == 3) {
		ret = set_string(ctx, ctx->params, "gateway", ctx->argv[2]);
	}
	return ret;
}

/* tnl/route-del PREFIX. */
static int
parse_tnl_route_del(struct parse_ctx *ctx)
{
	static const char *const what[] = {"prefix A.B.C.D/LEN"};
	int ret = check_count(ctx, ctx->argc, 1, 1, what);

	return ret ? ret : set_string(ctx, ctx->params, "prefix", ctx->argv[0]);
}

/* tnl/arp-set BRIDGE IP MAC. */
static int
parse_tnl_arp_set(struct parse_ctx *ctx)
{
	static const char *const what[] = {"bridge name", "IPv4 address", "MAC address"};
	int ret = check_count(ctx, ctx->argc, 3, 3, what);

	if (!ret) {
		ret = put_name(ctx, "bridge", "bridge", ctx->argv[0]);
	}
	if (!ret) {
		ret = set_string(ctx, ctx->params, "ip", ctx->argv[1]);
	}
	return ret ? ret : put_mac(ctx, ctx->argv[2]);
}

static const struct command commands[] = {
    {"add-br", "BRIDGE", "create a bridge", ACCEPTS_MAY_EXIST, parse_bridge},
    {"del-br", "BRIDGE", "delete a bridge and its ports", ACCEPTS_IF_EXISTS, parse_bridge},
    {"list-br", "", "print the bridges, one per line", 0, parse_no_args},
    {"add-port", "BRIDGE PORT [-- set interface PORT type=TYPE options:KEY=VALUE...]",
     "add a port; after '--', its type and options", ACCEPTS_MAY_EXIST, parse_add_port},
    {"del-port", "[BRIDGE] PORT", "delete a port", ACCEPTS_IF_EXISTS, parse_del_port},
    {"list-ports", "BRIDGE", "print a bridge's ports, one per line", 0, parse_bridge},
    {"set", "bridge|port|interface NAME KEY=VALUE...", "change columns of a record", 0, parse_set},
    {"clear", "bridge|port|interface NAME COLUMN...", "reset columns to their defaults", 0,
     parse_clear},
    {"remove", "bridge|port|interface NAME COLUMN [VALUE...]", "remove values from a column", 0,
     parse_clear},
    {"show", "", "print bridges, ports and interfaces", 0, parse_no_args},
    {"fdb/show", "BRIDGE", "print a bridge's MAC learning table", 0, parse_bridge},
    {"fdb/add", "BRIDGE PORT VLAN MAC", "add a static MAC entry", 0, parse_fdb_add},
    {"fdb/del", "BRIDGE VLAN MAC", "remove a MAC entry", 0, parse_fdb_del},
    {"fdb/flush", "[BRIDGE]", "flush learned MACs (all bridges by default)", 0, parse_opt_bridge},
    {"dump-ports", "BRIDGE [PORT]", "print port counters", 0, parse_dump_ports},
    {"pmd-stats", "", "print poll-mode thread counters", 0, parse_no_args},
    {"pmd-rxq-show", "", "print each poll-mode thread's rx queues and their usage", 0,
     parse_no_args},
    {"memory/show", "", "print where memory goes: flows, MAC table, packet buffers", 0,
     parse_no_args},
    {"set-controller", "BRIDGE TARGET...", "set the OpenFlow controllers (replaces all)", 0,
     parse_set_controller},
    {"del-controller", "BRIDGE", "remove the OpenFlow controllers", 0, parse_bridge},
    {"get-controller", "BRIDGE", "print the controllers and their state", 0, parse_bridge},
    {"set-fail-mode", "BRIDGE standalone|secure", "what to do without a controller", 0,
     parse_set_fail_mode},
    {"del-fail-mode", "BRIDGE", "unset the fail mode", 0, parse_bridge},
    {"get-fail-mode", "BRIDGE", "print the fail mode, if set", 0, parse_bridge},
    {"add-flow", "BRIDGE FLOW", "add an OpenFlow flow", 0, parse_bridge_flow},
    {"add-flows", "BRIDGE FILE", "add the flows of FILE (- for stdin), one per line", 0,
     parse_add_flows},
    {"mod-flows", "BRIDGE FLOW", "change the actions of matching flows", ACCEPTS_STRICT,
     parse_bridge_flow},
    {"del-flows", "BRIDGE [MATCH]", "delete matching flows (all by default)", ACCEPTS_STRICT,
     parse_bridge_match},
    {"dump-flows", "BRIDGE [MATCH]", "print matching flows (all by default)", 0,
     parse_bridge_match},
    {"trace", "BRIDGE FLOW", "show how a packet would go through the tables", 0, parse_bridge_flow},
    {"tnl/neigh-show", "", "print the tunnel underlay's neighbour (ARP) cache", 0, parse_no_args},
    {"tnl/route-show", "", "print the routes tunnels use (kernel and added)", 0, parse_no_args},
    {"tnl/route-add", "PREFIX BRIDGE [GATEWAY]", "route tunnel remotes through an underlay bridge",
     0, parse_tnl_route_add},
    {"tnl/route-del", "PREFIX", "remove a route added with tnl/route-add", 0, parse_tnl_route_del},
    {"tnl/arp-set", "BRIDGE IP MAC", "add a static tunnel neighbour", 0, parse_tnl_arp_set},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static int
apply_socket(struct parse_ctx *ctx, const char *value)
{
	if (value[0] == '\0') {
		return errorf(ctx, "empty socket path");
	}
	ctx->out->socket_path = value;
	return 0;
}

static int
apply_format(struct parse_ctx *ctx, const char *value)
{
	if (!strcmp(value, "table")) {
		ctx->out->format = CLI_FORMAT_TABLE;
	} else if (!strcmp(value, "json")) {
		ctx->out->format = CLI_FORMAT_JSON;
	} else {
		return errorf(ctx, "bad format '%s' (expected table or json)", value);
	}
	return 0;
}

static int
apply_timeout(struct parse_ctx *ctx, const char *value)
{
	size_t len = strlen(value);

	if (len == 0 || len > 7 || strspn(value, "0123456789") != len ||
	    strtol(value, NULL, 10) > TIMEOUT_MAX) {
		return errorf(ctx, "bad timeout '%s' (seconds up to %d, 0 waits forever)", value,
			      TIMEOUT_MAX);
	}
	ctx->out->timeout = (int)strtol(value, NULL, 10);
	return 0;
}

static int
apply_may_exist(struct parse_ctx *ctx, const char *value)
{
	(void)value;
	ctx->may_exist = true;
	return 0;
}

static int
apply_if_exists(struct parse_ctx *ctx, const char *value)
{
	(void)value;
	ctx->if_exists = true;
	return 0;
}

static int
apply_strict(struct parse_ctx *ctx, const char *value)
{
	(void)value;
	ctx->strict = true;
	return 0;
}

static int
apply_help(struct parse_ctx *ctx, const char *value)
{
	(void)value;
	ctx->out->help = true;
	return 0;
}

static int
apply_version(struct parse_ctx *ctx, const char *value)
{
	(void)value;
	ctx->out->version = true;
	return 0;
}

static const struct option_def options[] = {
    {"--socket", NULL, true, apply_socket},        {"--format", "-f", true, apply_format},
    {"--timeout", NULL, true, apply_timeout},      {"--may-exist", NULL, false, apply_may_exist},
    {"--if-exists", NULL, false, apply_if_exists}, {"--strict", NULL, false, apply_strict},
    {"--help", "-h", false, apply_help},           {"--version", "-V", false, apply_version},
};

/* Find the option 'word' names, alone or as "--long=VALUE" ('*inline_value'). */
static const struct option_def *
find_option(const char *word, const char **inline_value)
{
	size_t i;

	*inline_value = NULL;
	for (i = 0; i < sizeof options / sizeof options[0]; i++) {
		const struct option_def *def = &options[i];
		size_t len = strlen(def->long_name);

		if (!strcmp(word, def->long_name) ||
		    (def->short_name && !strcmp(word, def->short_name))) {
			return def;
		}
		if (def->has_value && !strncmp(word, def->long_name, len) && word[len] == '=') {
			*inline_value = word + len + 1;
			return def;
		}
	}
	return NULL;
}

/* Consume the global options; stop at the command name or at --help/--version. */
static int
parse_options(struct parse_ctx *ctx)
{
	while (ctx->argc > 0 && ctx->argv[0][0] == '-' && !ctx->out->help && !ctx->out->version) {
		const char *word = ctx->argv[0];
		const char *value;
		const struct option_def *def = find_option(word, &value);
		int ret;

		if (!def) {
			return errorf(ctx, "unknown option '%s' (see vireoctl --help)", word);
		}
		shift(ctx, 1);
		if (def->has_value && !value) {
			if (ctx->argc == 0) {
				return errorf(ctx, "option '%s' needs an argument", word);
			}
			value = ctx->argv[0];
			shift(ctx, 1);
		}
		ret = def->apply(ctx, value);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++) {
		if (!strcmp(name, commands[i].name)) {
			return &commands[i];
		}
	}
	return NULL;
}

/*
 * Take --may-exist/--if-exists/--strict right after the command name, check
 * they apply.
 */
static int
parse_command_flags(struct parse_ctx *ctx)
{
	unsigned int flags = ctx->command->flags;

	for (;;) {
		if (ctx->argc > 0 && !strcmp(ctx->argv[0], "--may-exist")) {
			ctx->may_exist = true;
		} else if (ctx->argc > 0 && !strcmp(ctx->argv[0], "--if-exists")) {
			ctx->if_exists = true;
		} else if (ctx->argc > 0 && !strcmp(ctx->argv[0], "--strict")) {
			ctx->strict = true;
		} else {
			break;
		}
		shift(ctx, 1);
	}
	if (ctx->may_exist && !(flags & ACCEPTS_MAY_EXIST)) {
		return fail(ctx, "command has no '--may-exist' option");
	}
	if (ctx->if_exists && !(flags & ACCEPTS_IF_EXISTS)) {
		return fail(ctx, "command has no '--if-exists' option");
	}
	if (ctx->strict && !(flags & ACCEPTS_STRICT)) {
		return fail(ctx, "command has no '--strict' option");
	}
	return 0;
}

/*
 * mod-flows, del-flows: take --strict wherever it stands among the
 * arguments (as ovs-ofctl allows), leaving the others in '*words', a new
 * array the caller frees, which ctx->argv then points to.  The caller's
 * argv is left untouched.
 */
static int
take_strict(struct parse_ctx *ctx, char ***words)
{
	int n = 0;
	int i;

	*words = calloc(ctx->argc + 1, sizeof **words);
	if (!*words) {
		return errorf(ctx, "out of memory");
	}
	for (i = 0; i < ctx->argc; i++) {
		if (!strcmp(ctx->argv[i], "--strict")) {
			ctx->strict = true;
		} else {
			(*words)[n++] = ctx->argv[i];
		}
	}
	ctx->argv = *words;
	ctx->argc = n;
	return 0;
}

/* Add the flags given (--may-exist, --if-exists, --strict) to the params. */
static int
put_flags(struct parse_ctx *ctx)
{
	int ret = 0;

	if (ctx->may_exist) {
		ret = set_new(ctx, ctx->params, "may_exist", json_true());
	}
	if (!ret && ctx->if_exists) {
		ret = set_new(ctx, ctx->params, "if_exists", json_true());
	}
	if (!ret && ctx->strict) {
		ret = set_new(ctx, ctx->params, "strict", json_true());
	}
	return ret;
}

static int
parse_command(struct parse_ctx *ctx)
{
	char **words = NULL;
	int ret;

	if (ctx->argc == 0) {
		return errorf(ctx, "missing command (see vireoctl --help)");
	}
	ctx->command = find_command(ctx->argv[0]);
	if (!ctx->command) {
		return errorf(ctx, "unknown command '%s' (see vireoctl --help)", ctx->argv[0]);
	}
	shift(ctx, 1);
	ret = parse_command_flags(ctx);
	if (ret) {
		return ret;
	}
	if (ctx->command->flags & ACCEPTS_STRICT) {
		ret = take_strict(ctx, &words);
		if (ret) {
			return ret;
		}
	}
	ctx->params = json_object();
	ret = ctx->params ? ctx->command->parse(ctx) : errorf(ctx, "out of memory");
	if (!ret) {
		ret = put_flags(ctx);
	}
	free(words);
	return ret;
}

int
cli_parse(int argc, char **argv, struct cli_cmd *out, char *err, size_t err_size)
{
	struct parse_ctx ctx = {
	    .out = out,
	    .argc = argc,
	    .argv = argv,
	    .err = err,
	    .err_size = err_size,
	};
	const char *env = getenv(CLI_SOCKET_ENV);
	int ret;

	*out = (struct cli_cmd){
	    .socket_path = env && env[0] ? env : RPC_DEFAULT_SOCKET,
	    .format = CLI_FORMAT_TABLE,
	    .timeout = CLI_DEFAULT_TIMEOUT,
	};
	ret = parse_options(&ctx);
	if (ret || out->help || out->version) {
		return ret;
	}
	ret = parse_command(&ctx);
	if (ret) {
		json_decref(ctx.params);
		out->flows_file = NULL;
		return ret;
	}
	out->method = ctx.command->name;
	out->params = ctx.params;
	return 0;
}

void
cli_cmd_clear(struct cli_cmd *cmd)
{
	if (cmd) {
		json_decref(cmd->params);
		cmd->params = NULL;
		cmd->method = NULL;
		cmd->flows_file = NULL;
	}
}

int
cli_usage(FILE *out)
{
	enum { SUMMARY_COLUMN = 36 };
	size_t i;

	fprintf(out, "vireoctl: control vireod, the vireo virtual switch\n"
		     "usage: vireoctl [OPTIONS] COMMAND [ARG...]\n"
		     "\n"
		     "Commands:\n");
	for (i = 0; i < N_COMMANDS; i++) {
		const struct command *c = &commands[i];
		int n = fprintf(out, "  %s%s%s", c->name, c->args[0] ? " " : "", c->args);

		if (n < 0 || n >= SUMMARY_COLUMN) {
			fputc('\n', out);
			n = 0;
		}
		fprintf(out, "%*s%s\n", SUMMARY_COLUMN - n, "", c->summary);
	}
	fprintf(out,
		"\n"
		"Options:\n"
		"  --socket PATH        vireod's control socket\n"
		"                       (default: $%s, else %s)\n"
		"  -f, --format FORMAT  print results as 'table' (default) or 'json'\n"
		"  --timeout SECS       wait at most SECS for vireod (default %d, 0: forever)\n"
		"  --may-exist          add-br, add-port: succeed if it already exists\n"
		"  --if-exists          del-br, del-port: succeed if it does not exist\n"
		"  --strict             mod-flows, del-flows: match priority and fields exactly\n"
		"  -h, --help           print this help\n"
		"  -V, --version        print the version\n"
		"\n"
		"Controller targets: tcp:IP[:PORT], unix:PATH,\n"
		"  ptcp:[PORT][:IP] (listen), punix:PATH (listen).\n"
		"Flows and matches use ovs-ofctl's syntax; add-flows skips blank lines\n"
		"and lines starting with '#'.\n"
		"\n"
		"Examples:\n"
		"  vireoctl add-br br0\n"
		"  vireoctl add-port br0 c1 -- set interface c1 type=tap \\\n"
		"      options:netns=ns1 options:ip=10.0.0.1/24\n"
		"  vireoctl set bridge br0 other_config:mac-aging-time=300\n"
		"  vireoctl set-controller br0 tcp:127.0.0.1:6653\n"
		"  vireoctl add-flow br0 'priority=10,in_port=1,actions=output:2'\n"
		"  vireoctl --format json show\n",
		CLI_SOCKET_ENV, RPC_DEFAULT_SOCKET, CLI_DEFAULT_TIMEOUT);
	return ferror(out) ? -EIO : 0;
}

/*
 * add-flows' file: the one piece of I/O in this module, kept out of
 * cli_parse() so that parsing stays pure and testable without files.
 */

static int flows_error(char *err, size_t err_size, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Write an "add-flows: ..." error line; returns 'ret'. */
static int
flows_error(char *err, size_t err_size, int ret, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	verror(err, err_size, "add-flows", fmt, args);
	va_end(args);
	return ret;
}

/* Strip the blanks (and CR/LF) around 'line' in place; returns its start. */
static char *
trim_line(char *line)
{
	char *end;

	line += strspn(line, " \t");
	end = line + strlen(line);
	while (end > line && strchr(" \t\r\n", end[-1])) {
		end--;
	}
	*end = '\0';
	return line;
}

/*
 * Append the flows of 'in' to the array 'flows'.  'name' is the file name,
 * or NULL for standard input, for errors.
 */
static int
read_flow_lines(FILE *in, const char *name, json_t *flows, char *err, size_t err_size)
{
	const char *q = name ? "'" : "";
	char *line = NULL;
	size_t size = 0;
	unsigned long n_lines = 0;
	int ret = 0;

	if (!name) {
		name = "standard input";
	}
	while (!ret) {
		json_t *str;
		char *flow;

		errno = 0;
		if (getline(&line, &size, in) < 0) {
			if (ferror(in)) {
				ret = errno ? -errno : -EIO;
				flows_error(err, err_size, ret, "cannot read %s%s%s: %s", q, name,
					    q, strerror(-ret));
			}
			break;
		}
		n_lines++;
		flow = trim_line(line);
		if (flow[0] == '\0' || flow[0] == '#') {
			continue;
		}
		str = json_string(flow);
		if (!str) {
			ret = flows_error(err, err_size, -EINVAL,
					  "%s%s%s, line %lu: not valid UTF-8", q, name, q, n_lines);
		} else if (json_array_append_new(flows, str)) {
			ret = flows_error(err, err_size, -ENOMEM, "out of memory");
		}
	}
	free(line);
	return ret;
}

int
cli_cmd_read_flows(struct cli_cmd *cmd, FILE *std_in, char *err, size_t err_size)
{
	bool use_stdin;
	json_t *flows;
	FILE *in;
	int ret;

	if (!cmd->flows_file) {
		return 0;
	}
	use_stdin = !strcmp(cmd->flows_file, "-");
	in = use_stdin ? std_in : fopen(cmd->flows_file, "r");
	if (!in) {
		ret = -errno;
		return flows_error(err, err_size, ret, "cannot open '%s': %s", cmd->flows_file,
				   strerror(-ret));
	}
	flows = json_array();
	ret = flows ? read_flow_lines(in, use_stdin ? NULL : cmd->flows_file, flows, err, err_size)
		    : flows_error(err, err_size, -ENOMEM, "out of memory");
	if (!ret && json_object_set_new(cmd->params, "flows", flows)) {
		ret = flows_error(err, err_size, -ENOMEM, "out of memory");
	} else if (ret) {
		json_decref(flows);
	}
	if (!use_stdin) {
		fclose(in);
	}
	return ret;
}
