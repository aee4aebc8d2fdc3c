/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_parse.h - vireoctl's command line, turned into one JSON-RPC request.
 *
 * The words are those of ovs-vsctl and ovs-appctl (add-br, add-port BR PORT
 * -- set interface PORT type=tap options:netns=ns1, fdb/show, ...), so that
 * people who run Open vSwitch keep their habits.  Parsing is pure: no I/O,
 * no daemon.  Everything that can be checked without vireod is checked here
 * (argument counts, names, VLANs, MAC syntax, controller targets); vireod
 * checks the rest, including flow syntax.  The methods and their params are
 * those of control/rpc.h.
 *
 * One exception to "no I/O": add-flows names a file of flows.  cli_parse()
 * only records its name (cli_cmd.flows_file); cli_cmd_read_flows(), called
 * by vireoctl before sending, reads it into params "flows".
 */
#ifndef VIREO_CLI_PARSE_H
#define VIREO_CLI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/** Environment variable naming the control socket when --socket is absent. */
#define CLI_SOCKET_ENV "VIREO_SOCKET"

/** Seconds to wait for vireod when --timeout is absent. */
#define CLI_DEFAULT_TIMEOUT 30

/** How results are printed. */
enum cli_format {
	CLI_FORMAT_TABLE, /* ovs-vsctl/ovs-appctl style text, the default */
	CLI_FORMAT_JSON,  /* the result object itself, pretty-printed */
};

/** One parsed command line. */
struct cli_cmd {
	const char *method;      /* JSON-RPC method (static string), NULL with help/version */
	json_t *params;          /* request params, owned; NULL when 'method' is NULL */
	const char *socket_path; /* borrowed from argv or the environment, or the default */
	enum cli_format format;  /* --format / -f */
	int timeout;             /* seconds to wait for vireod, 0 waits forever */
	bool help;               /* -h/--help was given: print cli_usage() */
	bool version;            /* -V/--version was given */
	const char *flows_file;  /* add-flows: file of flows ("-": stdin), borrowed; else NULL */
};

/**
 * Parse the words of a vireoctl command line.
 *
 * 'argv' holds 'argc' words after the program name: global options
 * (--socket PATH, --format table|json, -f FMT, --timeout SECS, --may-exist,
 * --if-exists, --strict, -h/--help, -V/--version), then a command and its
 * arguments.  --may-exist and --if-exists may also follow the command name;
 * --strict (mod-flows, del-flows) may appear anywhere after it.
 *
 * On success fills '*out' and returns 0; out->params is a new reference the
 * caller releases with cli_cmd_clear().  On failure returns -EINVAL, writes
 * one line (no trailing newline) into 'err' ('err_size' bytes) and leaves
 * '*out' with no params.  Strings in '*out' borrow from 'argv' or from the
 * environment.  The environment variable CLI_SOCKET_ENV is read when no
 * --socket is given.
 */
int cli_parse(int argc, char **argv, struct cli_cmd *out, char *err, size_t err_size);

/**
 * Release what cli_parse() stored in 'cmd' (its params).  Accepts a command
 * that failed to parse or was already cleared.
 */
void cli_cmd_clear(struct cli_cmd *cmd);

/**
 * Read the flows of add-flows: if 'cmd'->flows_file is set, read that file
 * ('std_in' when it is "-"), one flow per line, and store them in order as
 * the array params "flows".  Blank lines and lines whose first non-blank
 * character is '#' are skipped; leading and trailing blanks (including the
 * '\r' of CRLF files) are stripped.
 *
 * Returns 0 (also when there is no flows_file), or -errno with one line
 * (no trailing newline) in 'err' naming the file: -ENOENT etc. when it
 * cannot be opened or read, -EINVAL when a line is not valid UTF-8,
 * -ENOMEM.  On failure params is left without "flows".  Borrows 'std_in';
 * does not close it.  Control thread (vireoctl's main) only.
 */
int cli_cmd_read_flows(struct cli_cmd *cmd, FILE *std_in, char *err, size_t err_size);

/**
 * Write the --help text to 'out': the options and every command with a
 * one-line summary.  Returns 0, or -EIO if writing failed.
 */
int cli_usage(FILE *out);

/**
 * Return true if 'name' is a valid bridge, port or interface name: 1..15
 * characters (like Linux interface names), each a letter, digit, '-', '_'
 * or '.', and neither "." nor "..".
 */
bool cli_name_is_valid(const char *name);

#endif
