/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cli_rpc.c - vireoctl's JSON-RPC client against a scripted fake
 * vireod (a forked process on a unix socket in a temporary directory):
 * request framing, results, error replies, replies split or batched, the
 * timeout, hang-ups, malformed replies and the connect error messages.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli/cli_rpc.h"

/* A fake vireod: a directory, a socket in it, and the serving process. */
struct fake {
	char dir[64];   /* mkdtemp() directory */
	char path[128]; /* socket path inside it */
	pid_t pid;      /* serving child, 0 if none */
};

/* Read one request line from 'fd' into 'line'; false at EOF. */
static bool
read_line(int fd, char *line, size_t size)
{
	size_t n = 0;

	while (n + 1 < size && read(fd, &line[n], 1) == 1) {
		if (line[n++] == '\n') {
			line[n] = '\0';
			return true;
		}
	}
	return false;
}

static void
write_str(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0) {
		_exit(1);
	}
}

/*
 * Serve one connection: for each step read a request, then "echo" replies
 * with the request as the result, "hang" never replies, "close" hangs up,
 * "skip" sends nothing, "slow:TEXT" sends TEXT in two parts, and anything
 * else is sent as is.
 */
static void
serve(int listener, const char *const *script)
{
	int fd = accept(listener, NULL, NULL);
	char line[4096];

	for (; fd >= 0 && *script; script++) {
		const char *step = *script;

		if (!read_line(fd, line, sizeof line)) {
			break;
		}
		if (!strcmp(step, "echo")) {
			json_t *req = json_loads(line, 0, NULL);
			json_t *rep =
			    json_pack("{s:s, s:O, s:{s:O}}", "jsonrpc", "2.0", "id",
				      json_object_get(req, "id"), "result", "request", req);
			char *text = json_dumps(rep, JSON_COMPACT);

			write_str(fd, text);
			write_str(fd, "\n");
		} else if (!strcmp(step, "hang")) {
			pause();
		} else if (!strcmp(step, "close")) {
			_exit(0);
		} else if (!strncmp(step, "slow:", 5)) {
			size_t half = strlen(step + 5) / 2;

			if (write(fd, step + 5, half) < 0) {
				_exit(1);
			}
			usleep(50 * 1000);
			write_str(fd, step + 5 + half);
		} else if (strcmp(step, "skip")) {
			write_str(fd, step);
		}
	}
	while (fd >= 0 && read_line(fd, line, sizeof line)) {
	}
	_exit(0);
}

/* Start a fake vireod following 'script' (NULL: only create the directory). */
static void
fake_start(struct fake *f, const char *const *script)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int listener;

	memset(f, 0, sizeof *f);
	strcpy(f->dir, "/tmp/test_cli_rpc.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/vireod.sock", f->dir);
	if (!script) {
		return;
	}
	strcpy(addr.sun_path, f->path);
	listener = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(listener >= 0);
	assert_int_equal(bind(listener, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(listener, 4), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		serve(listener, script);
	}
	close(listener);
}

static void
fake_stop(struct fake *f)
{
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
	}
	unlink(f->path);
	rmdir(f->dir);
}

static void
test_cli_rpc_missing_socket_says_is_vireod_running(void **state)
{
	struct cli_rpc rpc;
	struct fake f;
	char expected[256];

	(void)state;
	fake_start(&f, NULL);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), -ENOENT);
	snprintf(expected, sizeof expected,
		 "cannot connect to vireod at %s: No such file or directory (is vireod running?)",
		 f.path);
	assert_string_equal(rpc.err, expected);
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_refused_socket_says_is_vireod_running(void **state)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct cli_rpc rpc;
	struct fake f;
	char expected[256];
	int fd;

	(void)state;
	fake_start(&f, NULL);
	strcpy(addr.sun_path, f.path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	close(fd);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), -ECONNREFUSED);
	snprintf(expected, sizeof expected,
		 "cannot connect to vireod at %s: Connection refused (is vireod running?)", f.path);
	assert_string_equal(rpc.err, expected);
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_too_long_path_refused(void **state)
{
	struct cli_rpc rpc;
	char path[200];

	(void)state;
	memset(path, 'a', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	assert_int_equal(cli_rpc_connect(&rpc, path, 5), -ENAMETOOLONG);
	assert_non_null(strstr(rpc.err, "File name too long"));
	cli_rpc_close(&rpc);
}

static void
test_cli_rpc_call_sends_one_jsonrpc_line(void **state)
{
	static const char *const script[] = {"echo", "echo", NULL};
	json_t *params = json_pack("{s:s, s:b}", "bridge", "br0", "may_exist", 1);
	json_t *expected;
	json_t *result;
	struct cli_rpc rpc;
	struct fake f;

	(void)state;
	fake_start(&f, script);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), 0);
	assert_int_equal(cli_rpc_call(&rpc, "add-br", params, &result), 0);
	expected = json_pack("{s:s, s:i, s:s, s:O}", "jsonrpc", "2.0", "id", 1, "method", "add-br",
			     "params", params);
	assert_true(json_equal(json_object_get(result, "request"), expected));
	json_decref(expected);
	json_decref(result);
	assert_int_equal(cli_rpc_call(&rpc, "list-br", NULL, &result), 0);
	expected = json_pack("{s:s, s:i, s:s, s:{}}", "jsonrpc", "2.0", "id", 2, "method",
			     "list-br", "params");
	assert_true(json_equal(json_object_get(result, "request"), expected));
	json_decref(expected);
	json_decref(result);
	json_decref(params);
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_error_reply_gives_its_message(void **state)
{
	static const char *const script[] = {
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,"
	    "\"message\":\"bridge br0 already exists\"}}\n",
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32000}}\n",
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32000,"
	    "\"message\":\"two\\nlines\"}}\n",
	    NULL,
	};
	struct cli_rpc rpc;
	struct fake f;
	json_t *result;

	(void)state;
	fake_start(&f, script);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), 0);
	assert_int_equal(cli_rpc_call(&rpc, "add-br", NULL, &result), -EREMOTEIO);
	assert_null(result);
	assert_string_equal(rpc.err, "bridge br0 already exists");
	assert_int_equal(cli_rpc_call(&rpc, "add-br", NULL, &result), -EREMOTEIO);
	assert_string_equal(rpc.err, "vireod failed with error -32000");
	assert_int_equal(cli_rpc_call(&rpc, "add-br", NULL, &result), -EREMOTEIO);
	assert_string_equal(rpc.err, "two\nlines");
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_replies_split_or_batched(void **state)
{
	static const char *const script[] = {
	    "slow:{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"bridges\":[\"br0\"]}}\n",
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"n\":3}}\n",
	    "skip",
	    NULL,
	};
	struct cli_rpc rpc;
	struct fake f;
	json_t *result;

	(void)state;
	fake_start(&f, script);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), 0);
	assert_int_equal(cli_rpc_call(&rpc, "list-br", NULL, &result), 0);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(result, "bridges"), 0)), "br0");
	json_decref(result);
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), 0);
	assert_int_equal(json_integer_value(json_object_get(result, "n")), 2);
	json_decref(result);
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), 0);
	assert_int_equal(json_integer_value(json_object_get(result, "n")), 3);
	json_decref(result);
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_silent_daemon_times_out(void **state)
{
	static const char *const script[] = {"hang", NULL};
	struct cli_rpc rpc;
	struct fake f;
	json_t *result;
	char expected[256];

	(void)state;
	fake_start(&f, script);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 1), 0);
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), -ETIMEDOUT);
	snprintf(expected, sizeof expected, "no reply from vireod at %s within 1 s (see --timeout)",
		 f.path);
	assert_string_equal(rpc.err, expected);
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_hang_up_reported(void **state)
{
	static const char *const script[] = {"close", NULL};
	struct cli_rpc rpc;
	struct fake f;
	json_t *result;
	char expected[256];

	(void)state;
	fake_start(&f, script);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), 0);
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), -ECONNRESET);
	snprintf(expected, sizeof expected, "vireod at %s closed the connection", f.path);
	assert_string_equal(rpc.err, expected);
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

static void
test_cli_rpc_malformed_replies_refused(void **state)
{
	static const char *const script[] = {
	    "not json\n",
	    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n",
	    "{\"jsonrpc\":\"2.0\",\"id\":3}\n",
	    "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":[]}\n",
	    NULL,
	};
	struct cli_rpc rpc;
	struct fake f;
	json_t *result;

	(void)state;
	fake_start(&f, script);
	assert_int_equal(cli_rpc_connect(&rpc, f.path, 5), 0);
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), -EPROTO);
	assert_non_null(strstr(rpc.err, "bad reply from vireod: "));
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), -EPROTO);
	assert_string_equal(rpc.err, "bad reply from vireod: id is not 2");
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), -EPROTO);
	assert_string_equal(rpc.err, "bad reply from vireod: no result object");
	assert_int_equal(cli_rpc_call(&rpc, "show", NULL, &result), -EPROTO);
	assert_string_equal(rpc.err, "bad reply from vireod: no result object");
	cli_rpc_close(&rpc);
	fake_stop(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cli_rpc_missing_socket_says_is_vireod_running),
	    cmocka_unit_test(test_cli_rpc_refused_socket_says_is_vireod_running),
	    cmocka_unit_test(test_cli_rpc_too_long_path_refused),
	    cmocka_unit_test(test_cli_rpc_call_sends_one_jsonrpc_line),
	    cmocka_unit_test(test_cli_rpc_error_reply_gives_its_message),
	    cmocka_unit_test(test_cli_rpc_replies_split_or_batched),
	    cmocka_unit_test(test_cli_rpc_silent_daemon_times_out),
	    cmocka_unit_test(test_cli_rpc_hang_up_reported),
	    cmocka_unit_test(test_cli_rpc_malformed_replies_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
