/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vireoctl.c - main of vireoctl, the command-line client of vireod.
 *
 * Parse the command line, read add-flows' file if there is one, send one
 * JSON-RPC request over the control socket, print the result.  Exit
 * status: 0 on success, 2 on any failure (usage error, unreadable file, no
 * daemon, timeout, or an error reply), after exactly one line
 * "vireoctl: <message>" on stderr, so scripts can both test and show.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli_parse.h"
#include "cli/cli_render.h"
#include "cli/cli_rpc.h"

#ifndef VIREO_VERSION
#define VIREO_VERSION "unknown"
#endif

#define EXIT_FAILED 2 /* like ovs-vsctl: any failure */

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print "vireoctl: MESSAGE" on stderr as exactly one line (control
 * characters from argv or from vireod become spaces); returns EXIT_FAILED.
 */
static int
die(const char *fmt, ...)
{
	char msg[1024];
	va_list args;
	char *p;

	va_start(args, fmt);
	vsnprintf(msg, sizeof msg, fmt, args);
	va_end(args);
	for (p = msg; *p; p++) {
		if ((unsigned char)*p < ' ' || *p == 0x7f) {
			*p = ' ';
		}
	}
	fflush(stdout);
	fprintf(stderr, "vireoctl: %s\n", msg);
	return EXIT_FAILED;
}

/* Send 'cmd' to vireod and print its result; returns the exit status. */
static int
run(const struct cli_cmd *cmd)
{
	struct cli_rpc rpc;
	json_t *result = NULL;
	int status = EXIT_SUCCESS;
	int ret;

	ret = cli_rpc_connect(&rpc, cmd->socket_path, cmd->timeout);
	if (!ret) {
		ret = cli_rpc_call(&rpc, cmd->method, cmd->params, &result);
	}
	if (ret) {
		status = die("%s", rpc.err);
		goto out_close;
	}
	ret = cli_render(stdout, cmd->method, result, cmd->format);
	if (ret == -EPROTO) {
		status = die("unexpected reply to '%s' from vireod", cmd->method);
	} else if (ret) {
		status = die("cannot write output: %s", strerror(-ret));
	}
	json_decref(result);
out_close:
	cli_rpc_close(&rpc);
	return status;
}

int
main(int argc, char **argv)
{
	struct cli_cmd cmd;
	char err[256];
	int status;

	if (cli_parse(argc - 1, argv + 1, &cmd, err, sizeof err)) {
		return die("%s", err);
	}
	if (cmd.help) {
		return cli_usage(stdout) || fflush(stdout) ? die("cannot write help") : 0;
	}
	if (cmd.version) {
		printf("vireoctl (vireo) %s\n", VIREO_VERSION);
		return fflush(stdout) ? die("cannot write version") : 0;
	}
	if (cli_cmd_read_flows(&cmd, stdin, err, sizeof err)) {
		cli_cmd_clear(&cmd);
		return die("%s", err);
	}
	status = run(&cmd);
	cli_cmd_clear(&cmd);
	return status;
}
