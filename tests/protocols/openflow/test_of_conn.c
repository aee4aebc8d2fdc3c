/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_of_conn.c - OpenFlow channels over real loopback sockets and a real
 * libevent loop. The peer (a controller or a switch-side listener) is a
 * plain socket driven by the test with byte vectors written from OpenFlow
 * 1.3.5 (7.1 header, 7.5.1 HELLO with OFPHET_VERSIONBITMAP, 7.5.2/7.5.3
 * ECHO, 7.4.4 ERROR with OFPET_HELLO_FAILED / OFPET_BAD_REQUEST codes).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "protocols/openflow/of_conn.h"

/* HELLO, OpenFlow 1.3, xid 0x11, bitmap element {1.3}. */
static const uint8_t hello13[] = {0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x11,
				  0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10};

/* HELLO, OpenFlow 1.0 only (header version 1, no elements), xid 0x12. */
static const uint8_t hello10[] = {0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12};

/* HELLO from a newer switch: header version 1.4, bitmap {1.0, 1.3, 1.4}, xid 0x13. */
static const uint8_t hello14_bitmap[] = {0x05, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x13,
					 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x32};

/* ECHO_REQUEST, xid 0x21, four bytes of data. */
static const uint8_t echo_req[] = {0x04, 0x02, 0x00, 0x0c, 0x00, 0x00,
				   0x00, 0x21, 0xde, 0xad, 0xbe, 0xef};

/* ... and the ECHO_REPLY it must get: same xid and data. */
static const uint8_t echo_reply[] = {0x04, 0x03, 0x00, 0x0c, 0x00, 0x00,
				     0x00, 0x21, 0xde, 0xad, 0xbe, 0xef};

/* FEATURES_REQUEST, xid 0x31. */
static const uint8_t features_req[] = {0x04, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x31};

/* A header claiming length 4 (under the header's own 8 bytes), xid 0x41. */
static const uint8_t short_len[] = {0x04, 0x05, 0x00, 0x04, 0x00, 0x00, 0x00, 0x41};

/* FEATURES_REQUEST in OpenFlow 1.0's version, xid 0x51. */
static const uint8_t v10_features_req[] = {0x01, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x51};

/* What the owner's callbacks saw. */
struct seen {
	unsigned n_up;         /* 'up' calls */
	unsigned n_down;       /* 'down' calls */
	unsigned n_msg;        /* 'msg' calls */
	struct of_conn *conn;  /* last connection up */
	struct of_header hdr;  /* last message's header */
	uint8_t msg[256];      /* last message */
	size_t msg_size;       /* its size */
	bool close_in_msg;     /* close, then send, from inside 'msg' */
	int send_rc;           /* of_conn_send's result after that close */
	char down_target[128]; /* of_conn_target() inside 'down' */
};

static struct event_base *base;
static struct of_conn_mgr *mgr;
static struct seen seen;

static void
cb_up(struct of_conn *c, void *arg)
{
	(void)arg;
	seen.n_up++;
	seen.conn = c;
}

static void
cb_msg(struct of_conn *c, const struct of_header *hdr, const uint8_t *msg, size_t size, void *arg)
{
	(void)arg;
	seen.n_msg++;
	seen.hdr = *hdr;
	seen.msg_size = size < sizeof(seen.msg) ? size : sizeof(seen.msg);
	memcpy(seen.msg, msg, seen.msg_size);
	if (seen.close_in_msg) {
		of_conn_close(c);
		seen.send_rc = of_conn_send(c, features_req, sizeof(features_req));
	}
}

static void
cb_down(struct of_conn *c, void *arg)
{
	(void)arg;
	seen.n_down++;
	snprintf(seen.down_target, sizeof(seen.down_target), "%s", of_conn_target(c));
	if (seen.conn == c) {
		seen.conn = NULL;
	}
}

static const struct of_conn_cbs cbs = {cb_up, cb_msg, cb_down};

static int
setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	base = event_base_new();
	mgr = of_conn_mgr_create(base, &cbs, NULL);
	return base != NULL && mgr != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	of_conn_mgr_free(mgr);
	event_base_free(base);
	return 0;
}

/* ---- loop and peer helpers ---- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
pump_once(void)
{
	event_base_loop(base, EVLOOP_NONBLOCK);
	usleep(500);
}

static void
pump_ms(int ms)
{
	int64_t deadline = now_ms() + ms;

	while (now_ms() < deadline) {
		pump_once();
	}
}

/* Runs the loop until 'cond' holds or 'ms' pass; asserts 'cond'. */
#define WAIT_FOR(cond, ms)                                \
	do {                                              \
		int64_t deadline_ = now_ms() + (ms);      \
		while (!(cond) && now_ms() < deadline_) { \
			pump_once();                      \
		}                                         \
		assert_true(cond);                        \
	} while (0)

static void
peer_send(int fd, const void *buf, size_t size)
{
	assert_int_equal(send(fd, buf, size, MSG_NOSIGNAL), (ssize_t)size);
}

/* Reads exactly 'size' bytes while the loop runs; false on EOF or timeout. */
static bool
peer_recv_exact(int fd, uint8_t *buf, size_t size, int ms)
{
	int64_t deadline = now_ms() + ms;
	size_t got = 0;

	while (got < size && now_ms() < deadline) {
		ssize_t n = recv(fd, buf + got, size - got, MSG_DONTWAIT);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
			return false;
		}
		if (n > 0) {
			got += (size_t)n;
		} else {
			pump_once();
		}
	}
	return got == size;
}

/* One whole OpenFlow message into 'buf'; returns its size, 0 on EOF/timeout. */
static size_t
peer_recv_msg(int fd, uint8_t *buf, size_t buf_size)
{
	size_t len;

	if (!peer_recv_exact(fd, buf, 8, 2000)) {
		return 0;
	}
	len = (size_t)buf[2] << 8 | buf[3];
	assert_true(len >= 8 && len <= buf_size);
	if (!peer_recv_exact(fd, buf + 8, len - 8, 2000)) {
		return 0;
	}
	return len;
}

/* Whether the other side closes within 'ms' (data before EOF is skipped). */
static bool
peer_wait_eof(int fd, int ms)
{
	int64_t deadline = now_ms() + ms;
	uint8_t scratch[4096];

	while (now_ms() < deadline) {
		ssize_t n = recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT);

		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			return true;
		}
		if (n < 0) {
			pump_once();
		}
	}
	return false;
}

static int
tcp_connect(int port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

/* A listening loopback socket on an ephemeral port, returned in '*port'. */
static int
tcp_listen(int *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t size = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &size), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Accepts on 'lfd' while the loop runs; -1 on timeout. */
static int
peer_accept(int lfd, int ms)
{
	int64_t deadline = now_ms() + ms;

	fcntl(lfd, F_SETFL, O_NONBLOCK);
	while (now_ms() < deadline) {
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0) {
			fcntl(fd, F_SETFL, 0);
			return fd;
		}
		pump_once();
	}
	return -1;
}

static void
unix_path(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/test_of_conn.%d.sock", (int)getpid());
}

static int
unix_connect(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static int
set_targets1(const char *target)
{
	char err[256] = "";
	int rc = of_conn_mgr_set_targets(mgr, &target, 1, err, sizeof(err));

	if (rc < 0) {
		print_message("# %s\n", err);
	}
	return rc;
}

/* "ptcp:0" as the only target; returns the port it got. */
static int
start_ptcp(void)
{
	int port;

	assert_int_equal(set_targets1("ptcp:0"), 0);
	port = of_conn_mgr_listen_port(mgr, 0);
	assert_true(port > 0);
	return port;
}

/* Our HELLO: version 1.3, type HELLO, length 16, a bitmap of {1.3}. */
static void
assert_our_hello(const uint8_t *msg, size_t size)
{
	static const uint8_t head[] = {0x04, 0x00, 0x00, 0x10};
	static const uint8_t elem[] = {0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10};

	assert_int_equal(size, 16);
	assert_memory_equal(msg, head, sizeof(head));
	assert_memory_equal(msg + 8, elem, sizeof(elem));
}

/* Peer side of the handshake on a fresh socket 'fd'; waits for 'up'. */
static void
peer_handshake(int fd)
{
	uint8_t buf[64];
	unsigned n_up = seen.n_up;

	peer_send(fd, hello13, sizeof(hello13));
	assert_our_hello(buf, peer_recv_msg(fd, buf, sizeof(buf)));
	WAIT_FOR(seen.n_up == n_up + 1, 2000);
}

/* An error message's header, type and code, and that it answers 'xid'. */
static void
assert_error(const uint8_t *msg, size_t size, uint32_t xid, uint16_t type, uint16_t code)
{
	assert_true(size >= 12);
	assert_int_equal(msg[0], 0x04);
	assert_int_equal(msg[1], 1); /* OFPT_ERROR */
	assert_int_equal((size_t)(msg[2] << 8 | msg[3]), size);
	assert_int_equal((uint32_t)msg[4] << 24 | msg[5] << 16 | msg[6] << 8 | msg[7], xid);
	assert_int_equal(msg[8] << 8 | msg[9], type);
	assert_int_equal(msg[10] << 8 | msg[11], code);
}

static struct of_target_status
status0(void)
{
	struct of_target_status st[OF_TARGET_MAX];

	assert_true(of_conn_mgr_status(mgr, st, OF_TARGET_MAX) >= 1);
	return st[0];
}

/* ---- passive TCP: handshake and framing ---- */

static void
test_of_conn_ptcp_hello_brings_up(void **state)
{
	int fd = tcp_connect(start_ptcp());
	struct of_target_status st;

	(void)state;
	peer_handshake(fd);
	assert_int_equal(of_conn_mgr_n_up(mgr), 1);
	assert_string_equal(of_conn_target(seen.conn), "ptcp:0");
	assert_memory_equal(of_conn_peer(seen.conn), "tcp:127.0.0.1:", 14);
	st = status0();
	assert_int_equal(st.state, OF_TARGET_LISTENING);
	assert_int_equal(st.n_conns, 1);
	assert_string_equal(st.target, "ptcp:0");
	close(fd);
	WAIT_FOR(seen.n_down == 1, 2000);
	assert_int_equal(of_conn_mgr_n_up(mgr), 0);
}

static void
test_of_conn_xid_is_per_connection(void **state)
{
	int port = start_ptcp();
	int a = tcp_connect(port), b = tcp_connect(port);
	uint8_t ha[64], hb[64];

	(void)state;
	assert_int_equal(peer_recv_msg(a, ha, sizeof(ha)), 16);
	assert_int_equal(peer_recv_msg(b, hb, sizeof(hb)), 16);
	/* Both connections start their own counter: the HELLOs carry the same xid. */
	assert_memory_equal(ha + 4, hb + 4, 4);
	peer_send(a, hello13, sizeof(hello13));
	WAIT_FOR(seen.n_up == 1, 2000);
	assert_int_equal(of_conn_next_xid(seen.conn),
			 ((uint32_t)ha[4] << 24 | ha[5] << 16 | ha[6] << 8 | ha[7]) + 1);
	close(a);
	close(b);
}

static void
test_of_conn_newer_peer_with_bitmap_agrees_on_13(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t buf[64];

	(void)state;
	peer_send(fd, hello14_bitmap, sizeof(hello14_bitmap));
	assert_our_hello(buf, peer_recv_msg(fd, buf, sizeof(buf)));
	WAIT_FOR(seen.n_up == 1, 2000);
	peer_send(fd, echo_req, sizeof(echo_req));
	assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), sizeof(echo_reply));
	assert_memory_equal(buf, echo_reply, sizeof(echo_reply));
	close(fd);
}

static void
count_conn(struct of_conn *c, void *arg)
{
	(void)c;
	(*(unsigned *)arg)++;
}

static void
test_of_conn_foreach_visits_up_connections(void **state)
{
	int port = start_ptcp();
	int a = tcp_connect(port), b = tcp_connect(port), idle = tcp_connect(port);
	unsigned n = 0;

	(void)state;
	peer_handshake(a);
	peer_handshake(b);
	pump_ms(20); /* 'idle' never sends HELLO: it is not up */
	of_conn_mgr_foreach(mgr, count_conn, &n);
	assert_int_equal(n, 2);
	assert_int_equal(of_conn_mgr_n_up(mgr), 2);
	assert_int_equal(status0().n_conns, 2);
	close(a);
	close(b);
	close(idle);
}

static void
test_of_conn_mgr_free_downs_and_closes(void **state)
{
	int fd = tcp_connect(start_ptcp());

	(void)state;
	peer_handshake(fd);
	of_conn_mgr_free(mgr);
	mgr = NULL;
	assert_int_equal(seen.n_down, 1);
	assert_true(peer_wait_eof(fd, 2000));
	close(fd);
}

static void
test_of_conn_echo_request_answered(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t buf[64];

	(void)state;
	peer_handshake(fd);
	peer_send(fd, echo_req, sizeof(echo_req));
	assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), sizeof(echo_reply));
	assert_memory_equal(buf, echo_reply, sizeof(echo_reply));
	assert_int_equal(seen.n_msg, 0);
	close(fd);
}

static void
test_of_conn_features_request_to_msg(void **state)
{
	int fd = tcp_connect(start_ptcp());

	(void)state;
	peer_handshake(fd);
	peer_send(fd, features_req, sizeof(features_req));
	WAIT_FOR(seen.n_msg == 1, 2000);
	assert_int_equal(seen.hdr.type, 5);
	assert_int_equal(seen.hdr.xid, 0x31);
	assert_int_equal(seen.msg_size, sizeof(features_req));
	assert_memory_equal(seen.msg, features_req, sizeof(features_req));
	close(fd);
}

static void
test_of_conn_hello_10_only_fails(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t buf[512];
	size_t n;

	(void)state;
	peer_send(fd, hello10, sizeof(hello10));
	assert_our_hello(buf, peer_recv_msg(fd, buf, sizeof(buf)));
	n = peer_recv_msg(fd, buf, sizeof(buf));
	/* OFPET_HELLO_FAILED (0), OFPHFC_INCOMPATIBLE (0), replying to the HELLO's xid. */
	assert_error(buf, n, 0x12, 0, 0);
	assert_true(n > 12); /* an ASCII explanation follows */
	assert_true(peer_wait_eof(fd, 2000));
	pump_ms(20);
	assert_int_equal(seen.n_up, 0);
	assert_int_equal(seen.n_down, 0);
	close(fd);
}

static void
test_of_conn_first_message_not_hello_fails(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t buf[512];

	(void)state;
	peer_send(fd, features_req, sizeof(features_req));
	assert_our_hello(buf, peer_recv_msg(fd, buf, sizeof(buf)));
	assert_error(buf, peer_recv_msg(fd, buf, sizeof(buf)), 0x31, 0, 0);
	assert_true(peer_wait_eof(fd, 2000));
	assert_int_equal(seen.n_up, 0);
	assert_int_equal(seen.n_msg, 0);
	close(fd);
}

static void
test_of_conn_short_length_closes(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t buf[64];
	size_t n;

	(void)state;
	peer_handshake(fd);
	peer_send(fd, short_len, sizeof(short_len));
	n = peer_recv_msg(fd, buf, sizeof(buf));
	/* OFPET_BAD_REQUEST (1), OFPBRC_BAD_LEN (6), data: the offending header. */
	assert_error(buf, n, 0x41, 1, 6);
	assert_int_equal(n, 20);
	assert_memory_equal(buf + 12, short_len, sizeof(short_len));
	assert_true(peer_wait_eof(fd, 2000));
	WAIT_FOR(seen.n_down == 1, 2000);
	assert_string_equal(seen.down_target, "ptcp:0");
	assert_int_equal(seen.n_msg, 0);
	close(fd);
}

static void
test_of_conn_other_version_answered_and_kept(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t buf[64];
	size_t n;

	(void)state;
	peer_handshake(fd);
	peer_send(fd, v10_features_req, sizeof(v10_features_req));
	n = peer_recv_msg(fd, buf, sizeof(buf));
	/* OFPET_BAD_REQUEST (1), OFPBRC_BAD_VERSION (0), data: the request. */
	assert_error(buf, n, 0x51, 1, 0);
	assert_int_equal(n, 20);
	assert_memory_equal(buf + 12, v10_features_req, sizeof(v10_features_req));
	peer_send(fd, echo_req, sizeof(echo_req));
	assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), sizeof(echo_reply));
	assert_memory_equal(buf, echo_reply, sizeof(echo_reply));
	assert_int_equal(seen.n_down, 0);
	assert_int_equal(seen.n_msg, 0);
	close(fd);
}

static void
test_of_conn_byte_by_byte_arrives_whole(void **state)
{
	int fd = tcp_connect(start_ptcp());
	int one = 1;

	(void)state;
	peer_handshake(fd);
	/* No Nagle on the peer either, so each byte leaves in its own segment. */
	assert_int_equal(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	for (size_t i = 0; i + 1 < sizeof(features_req); i++) {
		peer_send(fd, &features_req[i], 1);
		pump_ms(3);
		assert_int_equal(seen.n_msg, 0);
	}
	peer_send(fd, &features_req[sizeof(features_req) - 1], 1);
	WAIT_FOR(seen.n_msg == 1, 2000);
	assert_int_equal(seen.msg_size, sizeof(features_req));
	assert_memory_equal(seen.msg, features_req, sizeof(features_req));
	close(fd);
}

static void
test_of_conn_two_messages_one_write(void **state)
{
	int fd = tcp_connect(start_ptcp());
	uint8_t both[sizeof(echo_req) + sizeof(features_req)];
	uint8_t buf[64];

	(void)state;
	peer_handshake(fd);
	memcpy(both, echo_req, sizeof(echo_req));
	memcpy(both + sizeof(echo_req), features_req, sizeof(features_req));
	peer_send(fd, both, sizeof(both));
	assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), sizeof(echo_reply));
	assert_memory_equal(buf, echo_reply, sizeof(echo_reply));
	WAIT_FOR(seen.n_msg == 1, 2000);
	assert_int_equal(seen.hdr.xid, 0x31);
	close(fd);
}

/* ---- idle probing ---- */

static void
test_of_conn_idle_peer_probed_then_dropped(void **state)
{
	int fd;
	uint8_t buf[64];
	int64_t t0;

	(void)state;
	of_conn_mgr_set_timers(mgr, 100, 0, 0);
	fd = tcp_connect(start_ptcp());
	peer_handshake(fd);
	t0 = now_ms();
	assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), 8);
	assert_true(now_ms() - t0 >= 80);
	assert_int_equal(buf[0], 0x04);
	assert_int_equal(buf[1], 2); /* OFPT_ECHO_REQUEST */
	assert_true(peer_wait_eof(fd, 2000));
	assert_true(now_ms() - t0 >= 180);
	WAIT_FOR(seen.n_down == 1, 2000);
	close(fd);
}

static void
test_of_conn_answered_probe_keeps_connection(void **state)
{
	int fd;
	uint8_t buf[64];

	(void)state;
	of_conn_mgr_set_timers(mgr, 100, 0, 0);
	fd = tcp_connect(start_ptcp());
	peer_handshake(fd);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), 8);
		assert_int_equal(buf[1], 2);
		buf[1] = 3; /* OFPT_ECHO_REPLY, same xid */
		peer_send(fd, buf, 8);
	}
	assert_int_equal(seen.n_down, 0);
	assert_int_equal(of_conn_mgr_n_up(mgr), 1);
	assert_int_equal(seen.n_msg, 0);
	close(fd);
}

/* ---- active targets ---- */

static void
test_of_conn_tcp_connects_and_reconnects(void **state)
{
	int port, lfd = tcp_listen(&port);
	char target[64];
	int fd;

	(void)state;
	of_conn_mgr_set_timers(mgr, 5000, 50, 400);
	snprintf(target, sizeof(target), "tcp:127.0.0.1:%d", port);
	assert_int_equal(set_targets1(target), 0);
	assert_int_equal(status0().state, OF_TARGET_CONNECTING);
	fd = peer_accept(lfd, 2000);
	assert_true(fd >= 0);
	peer_handshake(fd);
	assert_int_equal(status0().state, OF_TARGET_CONNECTED);
	assert_int_equal(status0().n_conns, 1);
	assert_string_equal(of_conn_peer(seen.conn), target);
	close(fd);
	WAIT_FOR(seen.n_down == 1, 2000);
	assert_int_equal(status0().state, OF_TARGET_BACKOFF);
	assert_int_equal(status0().backoff_ms, 50);
	fd = peer_accept(lfd, 2000);
	assert_true(fd >= 0);
	peer_handshake(fd);
	assert_int_equal(seen.n_up, 2);
	close(fd);
	close(lfd);
}

static void
test_of_conn_tcp_refused_backs_off(void **state)
{
	int port, lfd = tcp_listen(&port);
	char target[64];

	(void)state;
	close(lfd); /* nothing listens on 'port' now */
	of_conn_mgr_set_timers(mgr, 5000, 20, 80);
	snprintf(target, sizeof(target), "tcp:127.0.0.1:%d", port);
	assert_int_equal(set_targets1(target), 0);
	WAIT_FOR(status0().state == OF_TARGET_BACKOFF && status0().backoff_ms == 20, 2000);
	assert_true(status0().error[0] != '\0');
	WAIT_FOR(status0().backoff_ms == 40, 2000);
	WAIT_FOR(status0().backoff_ms == 80, 2000);
	pump_ms(300);
	assert_int_equal(status0().backoff_ms, 80);
	assert_int_equal(seen.n_up, 0);
	assert_int_equal(seen.n_down, 0);
}

static void
test_of_conn_unix_active_connects(void **state)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char target[128];
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0), fd;

	(void)state;
	unix_path(sun.sun_path, sizeof(sun.sun_path));
	unlink(sun.sun_path);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	snprintf(target, sizeof(target), "unix:%s", sun.sun_path);
	assert_int_equal(set_targets1(target), 0);
	fd = peer_accept(lfd, 2000);
	assert_true(fd >= 0);
	peer_handshake(fd);
	assert_string_equal(of_conn_peer(seen.conn), target);
	close(fd);
	close(lfd);
	unlink(sun.sun_path);
}

/* ---- passive Unix sockets ---- */

static void
test_of_conn_punix_round_trip(void **state)
{
	char path[108], target[128], peer[128];
	struct stat st;
	uint8_t buf[64];
	int fd;

	(void)state;
	unix_path(path, sizeof(path));
	/* A stale socket file from an earlier run is replaced. */
	{
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		int sfd = socket(AF_UNIX, SOCK_STREAM, 0);

		unlink(path);
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
		assert_int_equal(bind(sfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
		close(sfd);
	}
	snprintf(target, sizeof(target), "punix:%s", path);
	assert_int_equal(set_targets1(target), 0);
	assert_int_equal(status0().state, OF_TARGET_LISTENING);
	assert_int_equal(of_conn_mgr_listen_port(mgr, 0), -ENOENT);
	fd = unix_connect(path);
	peer_handshake(fd);
	snprintf(peer, sizeof(peer), "unix:%s", path);
	assert_string_equal(of_conn_peer(seen.conn), peer);
	peer_send(fd, echo_req, sizeof(echo_req));
	assert_int_equal(peer_recv_msg(fd, buf, sizeof(buf)), sizeof(echo_reply));
	assert_memory_equal(buf, echo_reply, sizeof(echo_reply));
	/* Removing the target closes its connection and its socket file. */
	assert_int_equal(of_conn_mgr_set_targets(mgr, NULL, 0, NULL, 0), 0);
	assert_int_equal(stat(path, &st), -1);
	assert_true(peer_wait_eof(fd, 2000));
	WAIT_FOR(seen.n_down == 1, 2000);
	assert_string_equal(seen.down_target, target);
	close(fd);
}

static void
test_of_conn_punix_refuses_non_socket(void **state)
{
	char path[108], target[128], err[256] = "";
	const char *t = target;
	struct stat st;
	FILE *f;

	(void)state;
	unix_path(path, sizeof(path));
	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(target, sizeof(target), "punix:%s", path);
	assert_int_equal(of_conn_mgr_set_targets(mgr, &t, 1, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "not a socket"));
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(of_conn_mgr_status(mgr, NULL, 0), 0);
	unlink(path);
}

/* ---- reconciling targets ---- */

static void
test_of_conn_set_targets_keeps_and_removes(void **state)
{
	int port = start_ptcp();
	int fd = tcp_connect(port);
	const char *again[] = {"ptcp:0"};

	(void)state;
	peer_handshake(fd);
	assert_int_equal(of_conn_mgr_set_targets(mgr, again, 1, NULL, 0), 0);
	pump_ms(50);
	assert_int_equal(seen.n_down, 0);
	assert_int_equal(of_conn_mgr_n_up(mgr), 1);
	assert_int_equal(of_conn_mgr_listen_port(mgr, 0), port);
	assert_int_equal(of_conn_mgr_set_targets(mgr, NULL, 0, NULL, 0), 0);
	assert_int_equal(of_conn_mgr_status(mgr, NULL, 0), 0);
	assert_true(peer_wait_eof(fd, 2000));
	WAIT_FOR(seen.n_down == 1, 2000);
	assert_int_equal(of_conn_mgr_n_up(mgr), 0);
	close(fd);
}

static void
test_of_conn_bad_targets_change_nothing(void **state)
{
	static const char *const bad[] = {"tcp:",  "tcp:1.2.3.4:99999", "ptcp:x",
					  "foo:1", "tcp:1.2.3",         "tcp:1.2.3.4:0",
					  "unix:", "ptcp:1:nohost"};
	static const char *const good[] = {
	    "tcp:1.2.3.4",         "tcp:10.0.0.1:6633", "tcp:[::1]:6653",    "ptcp:",
	    "ptcp:6653:127.0.0.1", "unix:/run/x",       "punix:/run/x.sock", "ptcp::[::1]"};
	int port = start_ptcp();
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *list[] = {"ptcp:0", bad[i]};
		char prefix[160];

		err[0] = '\0';
		assert_int_equal(of_conn_mgr_set_targets(mgr, list, 2, err, sizeof(err)), -EINVAL);
		snprintf(prefix, sizeof(prefix), "bad controller target '%s': ", bad[i]);
		assert_memory_equal(err, prefix, strlen(prefix));
		assert_null(strchr(err, '\n'));
		assert_int_equal(of_target_check(bad[i], err, sizeof(err)), -EINVAL);
	}
	assert_int_equal(of_conn_mgr_status(mgr, NULL, 0), 1);
	assert_int_equal(status0().state, OF_TARGET_LISTENING);
	assert_int_equal(of_conn_mgr_listen_port(mgr, 0), port);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(of_target_check(good[i], err, sizeof(err)), 0);
	}
}

static void
test_of_conn_bind_failure_changes_nothing(void **state)
{
	int busy_port, busy = tcp_listen(&busy_port);
	int port = start_ptcp();
	char taken[64], err[256] = "";
	const char *list[2] = {"tcp:127.0.0.1:1", taken};

	(void)state;
	snprintf(taken, sizeof(taken), "ptcp:%d", busy_port);
	assert_int_equal(of_conn_mgr_set_targets(mgr, list, 2, err, sizeof(err)), -EADDRINUSE);
	assert_non_null(strstr(err, taken));
	assert_int_equal(of_conn_mgr_status(mgr, NULL, 0), 1);
	assert_int_equal(of_conn_mgr_listen_port(mgr, 0), port);
	close(busy);
}

/* ---- closing and output limits ---- */

static void
test_of_conn_send_on_closing_is_epipe(void **state)
{
	int fd = tcp_connect(start_ptcp());

	(void)state;
	peer_handshake(fd);
	seen.close_in_msg = true;
	peer_send(fd, features_req, sizeof(features_req));
	WAIT_FOR(seen.n_msg == 1, 2000);
	assert_int_equal(seen.send_rc, -EPIPE);
	assert_true(peer_wait_eof(fd, 2000));
	WAIT_FOR(seen.n_down == 1, 2000);
	pump_ms(20);
	assert_int_equal(seen.n_down, 1);
	close(fd);
}

static void
test_of_conn_unread_output_over_16mib_drops(void **state)
{
	int fd = tcp_connect(start_ptcp());
	static uint8_t big[65536];
	int rc = 0;
	size_t sent = 0;

	(void)state;
	peer_handshake(fd);
	big[0] = 0x04;
	big[1] = 19; /* a multipart reply the peer never reads */
	big[2] = 0xff;
	big[3] = 0xf8;
	while (rc == 0 && sent < (32u << 20)) {
		rc = of_conn_send(seen.conn, big, 65528);
		sent += rc == 0 ? 65528 : 0;
	}
	assert_int_equal(rc, -EPIPE);
	assert_true(sent <= (16u << 20));
	assert_true(sent > (15u << 20));
	WAIT_FOR(seen.n_down == 1, 2000);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_of_conn_ptcp_hello_brings_up),
	    T(test_of_conn_xid_is_per_connection),
	    T(test_of_conn_newer_peer_with_bitmap_agrees_on_13),
	    T(test_of_conn_foreach_visits_up_connections),
	    T(test_of_conn_mgr_free_downs_and_closes),
	    T(test_of_conn_echo_request_answered),
	    T(test_of_conn_features_request_to_msg),
	    T(test_of_conn_hello_10_only_fails),
	    T(test_of_conn_first_message_not_hello_fails),
	    T(test_of_conn_short_length_closes),
	    T(test_of_conn_other_version_answered_and_kept),
	    T(test_of_conn_byte_by_byte_arrives_whole),
	    T(test_of_conn_two_messages_one_write),
	    T(test_of_conn_idle_peer_probed_then_dropped),
	    T(test_of_conn_answered_probe_keeps_connection),
	    T(test_of_conn_tcp_connects_and_reconnects),
	    T(test_of_conn_tcp_refused_backs_off),
	    T(test_of_conn_unix_active_connects),
	    T(test_of_conn_punix_round_trip),
	    T(test_of_conn_punix_refuses_non_socket),
	    T(test_of_conn_set_targets_keeps_and_removes),
	    T(test_of_conn_bad_targets_change_nothing),
	    T(test_of_conn_bind_failure_changes_nothing),
	    T(test_of_conn_send_on_closing_is_epipe),
	    T(test_of_conn_unread_output_over_16mib_drops),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
