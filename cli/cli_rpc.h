/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_rpc.h - vireoctl's JSON-RPC client for vireod's control socket.
 *
 * Framing and methods are those of control/rpc.h: one JSON object per line
 * each way over a unix stream socket, replies in request order.  Every wait
 * is bounded by the timeout given at connect time, so a stuck daemon cannot
 * hang a script.  Each failure leaves a message in 'err' for the user.
 */
#ifndef VIREO_CLI_RPC_H
#define VIREO_CLI_RPC_H

#include <stddef.h>

#include <jansson.h>

/* Size of the error line buffer, in bytes. */
#define CLI_RPC_ERR_SIZE 512

/** A client connection; initialise with cli_rpc_connect(). */
struct cli_rpc {
	int fd;                     /* connected socket, -1 when closed */
	const char *path;           /* socket path (borrowed), for messages */
	int timeout;                /* seconds each wait may take, 0 waits forever */
	json_int_t next_id;         /* id of the next request */
	char *buf;                  /* bytes received and not yet consumed */
	size_t buf_len;             /* bytes in 'buf' */
	size_t buf_size;            /* bytes allocated at 'buf' */
	char err[CLI_RPC_ERR_SIZE]; /* the last failure, for the user */
};

/**
 * Connect 'rpc' to the control socket at 'path' (borrowed for the
 * connection's life); 'timeout' (seconds, 0 for none) bounds the connect and
 * later each call.  Returns 0, or -errno with rpc->err set, e.g. "cannot
 * connect to vireod at PATH: No such file or directory (is vireod running?)".
 * 'rpc' needs cli_rpc_close() either way.
 */
int cli_rpc_connect(struct cli_rpc *rpc, const char *path, int timeout);

/**
 * Call 'method' with 'params' (borrowed; NULL sends {}) and wait for its
 * reply.  On success returns 0 and stores the result object, a new
 * reference, in '*result'.  On failure returns -errno with rpc->err set:
 * -EREMOTEIO when vireod answered with an error (rpc->err is its message),
 * -ETIMEDOUT, -ECONNRESET when vireod hung up, -EPROTO for a reply that is
 * not JSON-RPC.
 */
int cli_rpc_call(struct cli_rpc *rpc, const char *method, const json_t *params, json_t **result);

/** Close the connection and free its buffer.  Accepts NULL. */
void cli_rpc_close(struct cli_rpc *rpc);

#endif
