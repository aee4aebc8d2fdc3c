/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_rpc.c - blocking-with-deadline JSON-RPC client over a unix socket.
 *
 * The socket is non-blocking after connect and every send and receive waits
 * in poll() for what is left of the call's deadline.  Requests are written
 * compact, so a request is exactly one line; replies are read up to '\n'.
 * Bytes past the reply's newline stay buffered for the next call.
 *
 * Limits: a reply may not exceed REPLY_SIZE_MAX bytes.
 */
#include "cli/cli_rpc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define REPLY_SIZE_MAX (512u << 20) /* bytes: dump-flows of a million flows */
#define READ_CHUNK     4096         /* bytes read at once */

static int rpc_fail(struct cli_rpc *rpc, int ret, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rpc_fail(struct cli_rpc *rpc, int ret, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(rpc->err, sizeof rpc->err, fmt, args);
	va_end(args);
	return ret;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The deadline of a wait starting now, or -1 for none. */
static int64_t
deadline_ms(const struct cli_rpc *rpc)
{
	return rpc->timeout ? now_ms() + (int64_t)rpc->timeout * 1000 : -1;
}

/* Wait until 'rpc->fd' has 'events' or 'deadline' passes (-ETIMEDOUT). */
static int
wait_fd(struct cli_rpc *rpc, short events, int64_t deadline)
{
	struct pollfd pfd = {.fd = rpc->fd, .events = events};

	for (;;) {
		int64_t left = deadline < 0 ? -1 : deadline - now_ms();
		int n;

		if (deadline >= 0 && left <= 0) {
			return -ETIMEDOUT;
		}
		n = poll(&pfd, 1, (int)left);
		if (n > 0) {
			return 0;
		}
		if (n < 0 && errno != EINTR) {
			return -errno;
		}
	}
}

static int
connect_fail(struct cli_rpc *rpc, int err)
{
	bool absent = err == ENOENT || err == ECONNREFUSED;

	return rpc_fail(rpc, -err, "cannot connect to vireod at %s: %s%s", rpc->path, strerror(err),
			absent ? " (is vireod running?)" : "");
}

int
cli_rpc_connect(struct cli_rpc *rpc, const char *path, int timeout)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = timeout};

	*rpc = (struct cli_rpc){.fd = -1, .path = path, .timeout = timeout, .next_id = 1};
	if (strlen(path) >= sizeof addr.sun_path) {
		return connect_fail(rpc, ENAMETOOLONG);
	}
	strcpy(addr.sun_path, path);
	rpc->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (rpc->fd < 0) {
		return connect_fail(rpc, errno);
	}
	/* A unix connect blocks only while the listener's backlog is full. */
	setsockopt(rpc->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(rpc->fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		return connect_fail(rpc, errno == EAGAIN ? ETIMEDOUT : errno);
	}
	if (fcntl(rpc->fd, F_SETFL, fcntl(rpc->fd, F_GETFL) | O_NONBLOCK) < 0) {
		return connect_fail(rpc, errno);
	}
	return 0;
}

static int
lost(struct cli_rpc *rpc, int err)
{
	if (err == -ETIMEDOUT) {
		return rpc_fail(rpc, err, "no reply from vireod at %s within %d s (see --timeout)",
				rpc->path, rpc->timeout);
	}
	if (err == -ECONNRESET || err == -EPIPE) {
		return rpc_fail(rpc, -ECONNRESET, "vireod at %s closed the connection", rpc->path);
	}
	return rpc_fail(rpc, err, "lost connection to vireod at %s: %s", rpc->path, strerror(-err));
}

static int
send_all(struct cli_rpc *rpc, const char *data, size_t size, int64_t deadline)
{
	while (size > 0) {
		ssize_t n = send(rpc->fd, data, size, MSG_NOSIGNAL);
		int ret;

		if (n >= 0) {
			data += n;
			size -= n;
			continue;
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			return lost(rpc, -errno);
		}
		ret = wait_fd(rpc, POLLOUT, deadline);
		if (ret) {
			return lost(rpc, ret);
		}
	}
	return 0;
}

/* Read more bytes into rpc->buf, waiting at most until 'deadline'. */
static int
fill(struct cli_rpc *rpc, int64_t deadline)
{
	ssize_t n;
	int ret;

	if (rpc->buf_size - rpc->buf_len < READ_CHUNK) {
		size_t size = rpc->buf_size ? rpc->buf_size * 2 : 2 * READ_CHUNK;
		char *buf;

		if (size > REPLY_SIZE_MAX + READ_CHUNK) {
			return rpc_fail(rpc, -EMSGSIZE, "reply from vireod longer than %u bytes",
					REPLY_SIZE_MAX);
		}
		buf = realloc(rpc->buf, size);
		if (!buf) {
			return rpc_fail(rpc, -ENOMEM, "out of memory");
		}
		rpc->buf = buf;
		rpc->buf_size = size;
	}
	ret = wait_fd(rpc, POLLIN, deadline);
	if (ret) {
		return lost(rpc, ret);
	}
	n = recv(rpc->fd, rpc->buf + rpc->buf_len, rpc->buf_size - rpc->buf_len - 1, 0);
	if (n == 0) {
		return lost(rpc, -ECONNRESET);
	}
	if (n < 0) {
		return errno == EINTR || errno == EAGAIN ? 0 : lost(rpc, -errno);
	}
	rpc->buf_len += n;
	rpc->buf[rpc->buf_len] = '\0';
	return 0;
}

/*
 * Receive one line and parse it as a JSON object into '*reply' (new
 * reference); the line is removed from the buffer.
 */
static int
recv_reply(struct cli_rpc *rpc, int64_t deadline, json_t **reply)
{
	char *nl = rpc->buf ? memchr(rpc->buf, '\n', rpc->buf_len) : NULL;
	json_error_t jerr;
	size_t line_size;

	while (!nl) {
		size_t old_len = rpc->buf_len;
		int ret = fill(rpc, deadline);

		if (ret) {
			return ret;
		}
		nl = memchr(rpc->buf + old_len, '\n', rpc->buf_len - old_len);
	}
	line_size = nl - rpc->buf + 1;
	*reply = json_loadb(rpc->buf, line_size, 0, &jerr);
	rpc->buf_len -= line_size;
	memmove(rpc->buf, nl + 1, rpc->buf_len + 1);
	if (!*reply) {
		return rpc_fail(rpc, -EPROTO, "bad reply from vireod: %s", jerr.text);
	}
	return 0;
}

/* Take the result or the error out of 'reply' to request 'id'. */
static int
take_result(struct cli_rpc *rpc, const json_t *reply, json_int_t id, json_t **result)
{
	const json_t *res = json_object_get(reply, "result");
	const json_t *error = json_object_get(reply, "error");
	const json_t *message = json_object_get(error, "message");

	if (json_integer_value(json_object_get(reply, "id")) != id) {
		return rpc_fail(rpc, -EPROTO,
				"bad reply from vireod: id is not %" JSON_INTEGER_FORMAT, id);
	}
	if (json_is_string(message)) {
		return rpc_fail(rpc, -EREMOTEIO, "%s", json_string_value(message));
	}
	if (error) {
		return rpc_fail(rpc, -EREMOTEIO, "vireod failed with error %" JSON_INTEGER_FORMAT,
				json_integer_value(json_object_get(error, "code")));
	}
	if (!json_is_object(res)) {
		return rpc_fail(rpc, -EPROTO, "bad reply from vireod: no result object");
	}
	*result = json_incref((json_t *)res);
	return 0;
}

int
cli_rpc_call(struct cli_rpc *rpc, const char *method, const json_t *params, json_t **result)
{
	json_int_t id = rpc->next_id++;
	int64_t deadline = deadline_ms(rpc);
	json_t *request;
	json_t *reply = NULL;
	char *line;
	int ret;

	*result = NULL;
	request = json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", id, "method", method,
			    "params", params ? json_incref((json_t *)params) : json_object());
	line = request ? json_dumps(request, JSON_COMPACT) : NULL;
	json_decref(request);
	if (!line) {
		return rpc_fail(rpc, -ENOMEM, "cannot encode the '%s' request", method);
	}
	ret = send_all(rpc, line, strlen(line), deadline);
	if (!ret) {
		ret = send_all(rpc, "\n", 1, deadline);
	}
	free(line);
	if (!ret) {
		ret = recv_reply(rpc, deadline, &reply);
	}
	if (!ret) {
		ret = take_result(rpc, reply, id, result);
	}
	json_decref(reply);
	return ret;
}

void
cli_rpc_close(struct cli_rpc *rpc)
{
	if (!rpc) {
		return;
	}
	if (rpc->fd >= 0) {
		close(rpc->fd);
		rpc->fd = -1;
	}
	free(rpc->buf);
	rpc->buf = NULL;
	rpc->buf_len = 0;
	rpc->buf_size = 0;
}
