/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_conn.c - OpenFlow channels on libevent 2.1 [OpenFlow 1.3.5, 6.3.1
 * connection setup, 6.3.2 connection maintenance (echo), 7.5.1 HELLO].
 *
 * A manager owns up to OF_TARGET_MAX targets and every connection made
 * through them. Active targets ("tcp:", "unix:") hold at most one
 * connection and retry with back-off; passive ones ("ptcp:", "punix:")
 * hold an evconnlistener and any number of accepted connections. Every
 * connection is a socket bufferevent: it sends our HELLO at once, frames
 * its input with of_msg_frame(), negotiates on the peer's HELLO, answers
 * echoes and probes an idle peer.
 *
 * Lifetime: a connection is only ever freed from its own zero-delay
 * 'close_ev' event (or by of_conn_mgr_free), never inside a callback that
 * runs for it, so the owner may close or send from 'up', 'msg' and 'down'.
 * A removed target's connections are detached from it ('tgt' NULL) and
 * close the same way, so of_conn_mgr_set_targets() is safe from callbacks
 * too. of_conn_mgr_free() is not safe from 'up' or 'msg' (it frees the
 * connection whose input is being read).
 *
 * Deliberate choices, as Open vSwitch unless noted: ptcp binds 127.0.0.1
 * by default (OVS binds all addresses); a first message other than HELLO
 * is answered HELLO_FAILED/INCOMPATIBLE and closes (OVS vconn fails the
 * connection too); a message of another version once up is answered
 * BAD_REQUEST/BAD_VERSION and the connection stays; a HELLO once up is
 * ignored. Back-off resets to its minimum after any connection that got
 * up (OVS requires it to have stayed up for one back-off period).
 * Transitions are logged as one line each on stderr.
 */
#include "protocols/openflow/of_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "protocols/openflow/of_wire.h"

#define OF_CONN_OUT_MAX     (16u << 20) /* unsent output that drops a connection */
#define OF_PROBE_MS         5000        /* idle time before an ECHO_REQUEST */
#define OF_BACKOFF_MIN_MS   1000        /* first retry delay */
#define OF_BACKOFF_MAX_MS   8000        /* longest retry delay */
#define OF_FLUSH_TIMEOUT_MS 1000        /* how long a closing conn may flush */
#define OF_PEER_MAX         128         /* room for a peer's text */

/** Kinds of target. */
enum of_target_kind {
	OF_KIND_TCP,   /* active TCP */
	OF_KIND_UNIX,  /* active Unix stream socket */
	OF_KIND_PTCP,  /* passive TCP */
	OF_KIND_PUNIX, /* passive Unix stream socket */
};

/** A parsed target string. */
struct of_target_addr {
	enum of_target_kind kind;   /* see enum */
	struct sockaddr_storage ss; /* where to connect or bind */
	socklen_t ss_size;          /* bytes used in 'ss' */
};

struct of_target {
	struct of_conn_mgr *mgr;         /* owner */
	char name[OF_TARGET_NAME_MAX];   /* as given */
	struct of_target_addr addr;      /* parsed 'name' */
	enum of_target_state state;      /* as status reports it */
	struct evconnlistener *listener; /* passive: the listening socket */
	bool unlink_path;                /* punix: we bound the path, unlink on free */
	struct event *retry_ev;          /* active: back-off timer */
	struct of_conn *conn;            /* active: the connection, NULL in back-off */
	unsigned backoff_ms;             /* active: current back-off, 0 before any */
	char error[128];                 /* last error, "" if none */
};

struct of_conn {
	struct of_conn_mgr *mgr;              /* owner */
	struct of_target *tgt;                /* target, NULL once the target is removed */
	struct of_conn *next;                 /* in mgr->conns */
	struct bufferevent *bev;              /* the socket, closed on free */
	struct event *probe_ev;               /* idle probe timer */
	struct event *close_ev;               /* deferred close (zero timer or flush guard) */
	bool up;                              /* HELLO exchange done */
	bool closing;                         /* close requested; no reads, no sends */
	bool flush;                           /* closing: wait for output to drain first */
	bool flush_armed;                     /* closing: the flush guard timer is armed */
	bool probed;                          /* an ECHO_REQUEST is out, unanswered */
	uint32_t xid;                         /* last xid handed out */
	void *user;                           /* owner's pointer */
	char peer[OF_PEER_MAX];               /* peer as text */
	char target_name[OF_TARGET_NAME_MAX]; /* target as given (outlives 'tgt') */
};

struct of_conn_mgr {
	struct event_base *base;                  /* the control loop */
	struct of_conn_cbs cbs;                   /* owner's callbacks */
	void *arg;                                /* owner's argument to 'cbs' */
	struct of_target *targets[OF_TARGET_MAX]; /* in the order given */
	unsigned n_targets;                       /* used in 'targets' */
	struct of_conn *conns;                    /* every connection, any state */
	unsigned probe_ms;                        /* idle probe interval */
	unsigned backoff_min_ms;                  /* first retry delay */
	unsigned backoff_max_ms;                  /* longest retry delay */
};

static void conn_close(struct of_conn *c, bool flush);
static void target_connect(struct of_target *t);
static void target_backoff(struct of_target *t);

static struct timeval
ms_to_tv(unsigned ms)
{
	return (struct timeval){.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
}

/* ---- target strings ---- */

static int
bad_target(char *err, size_t err_size, const char *target, const char *why)
{
	if (err != NULL && err_size > 0) {
		snprintf(err, err_size, "bad controller target '%s': %s", target, why);
	}
	return -EINVAL;
}

/* A decimal port of up to 5 digits in [min, 65535]; -1 if not one. */
static int
parse_port(const char *s, size_t len, int min)
{
	int port = 0;

	if (len == 0 || len > 5) {
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		port = port * 10 + (s[i] - '0');
	}
	return port >= min && port <= 65535 ? port : -1;
}

/* 'ip' ("1.2.3.4" or "[::1]", 'len' chars) and 'port' into 'a'; false if bad. */
static bool
parse_ip(const char *ip, size_t len, int port, struct of_target_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 2];

	memset(&a->ss, 0, sizeof(a->ss));
	if (len >= sizeof(buf)) {
		return false;
	}
	if (len >= 2 && ip[0] == '[' && ip[len - 1] == ']') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->ss;

		memcpy(buf, ip + 1, len - 2);
		buf[len - 2] = '\0';
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		a->ss_size = sizeof(*sin6);
		return inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1;
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;

	memcpy(buf, ip, len);
	buf[len] = '\0';
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	a->ss_size = sizeof(*sin);
	return inet_pton(AF_INET, buf, &sin->sin_addr) == 1;
}

/* The address part of "[v6]:port" ends at the closing bracket. */
static const char *
ip_end(const char *s)
{
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		return close != NULL ? close + 1 : s + strlen(s);
	}
	return s + strcspn(s, ":");
}

/* "tcp:IP[:PORT]" after the prefix. */
static const char *
parse_tcp(const char *s, struct of_target_addr *a)
{
	const char *end = ip_end(s);
	int port = OF_DEFAULT_PORT;

	if (end == s) {
		return "missing IP address";
	}
	if (*end == ':') {
		port = parse_port(end + 1, strlen(end + 1), 1);
		if (port < 0) {
			return "port must be 1 to 65535";
		}
	} else if (*end != '\0') {
		return "bad IP address";
	}
	return parse_ip(s, (size_t)(end - s), port, a) ? NULL : "bad IP address";
}

/* "ptcp:[PORT][:IP]" after the prefix. */
static const char *
parse_ptcp(const char *s, struct of_target_addr *a)
{
	size_t port_len = strcspn(s, ":");
	int port = OF_DEFAULT_PORT;
	const char *ip = "127.0.0.1";

	if (port_len > 0) {
		port = parse_port(s, port_len, 0);
		if (port < 0) {
			return "port must be 0 to 65535";
		}
	}
	if (s[port_len] == ':') {
		ip = s + port_len + 1;
	}
	return parse_ip(ip, strlen(ip), port, a) ? NULL : "bad IP address";
}

/* "unix:PATH" or "punix:PATH" after the prefix. */
static const char *
parse_unix(const char *path, struct of_target_addr *a)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&a->ss;

	if (path[0] == '\0') {
		return "missing socket path";
	}
	if (strlen(path) >= sizeof(sun->sun_path)) {
		return "socket path too long";
	}
	memset(&a->ss, 0, sizeof(a->ss));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, path);
	a->ss_size = sizeof(*sun);
	return NULL;
}

static int
target_parse(const char *target, struct of_target_addr *a, char *err, size_t err_size)
{
	const char *why;

	if (target == NULL) {
		return bad_target(err, err_size, "(null)", "missing");
	}
	if (strlen(target) >= OF_TARGET_NAME_MAX) {
		return bad_target(err, err_size, target, "too long");
	}
	if (strncmp(target, "tcp:", 4) == 0) {
		a->kind = OF_KIND_TCP;
		why = parse_tcp(target + 4, a);
	} else if (strncmp(target, "ptcp:", 5) == 0) {
		a->kind = OF_KIND_PTCP;
		why = parse_ptcp(target + 5, a);
	} else if (strncmp(target, "unix:", 5) == 0) {
		a->kind = OF_KIND_UNIX;
		why = parse_unix(target + 5, a);
	} else if (strncmp(target, "punix:", 6) == 0) {
		a->kind = OF_KIND_PUNIX;
		why = parse_unix(target + 6, a);
	} else {
		why = "expected tcp:, unix:, ptcp: or punix:";
	}
	return why != NULL ? bad_target(err, err_size, target, why) : 0;
}

int
of_target_check(const char *target, char *err, size_t err_size)
{
	struct of_target_addr a;

	return target_parse(target, &a, err, err_size);
}

static bool
target_is_passive(const struct of_target *t)
{
	return t->addr.kind == OF_KIND_PTCP || t->addr.kind == OF_KIND_PUNIX;
}

/* ---- connections: sending and closing ---- */

static void
addr_to_text(const struct sockaddr *sa, const char *unix_path, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(buf, size, "tcp:%s:%u", ip, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, size, "tcp:[%s]:%u", ip, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, size, "unix:%s", unix_path);
	}
}

/* One log line about 'c': "openflow: TARGET (PEER): what"; the peer only when it differs. */
static void __attribute__((format(printf, 2, 3)))
conn_log(const struct of_conn *c, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (strcmp(c->target_name, c->peer) == 0) {
		fprintf(stderr, "openflow: %s: %s\n", c->target_name, what);
	} else {
		fprintf(stderr, "openflow: %s (%s): %s\n", c->target_name, c->peer, what);
	}
}

static int
conn_send_raw(struct of_conn *c, const void *msg, size_t size)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	if (c->closing) {
		return -EPIPE;
	}
	if (evbuffer_get_length(out) + size > OF_CONN_OUT_MAX) {
		conn_log(c, "over %u bytes unsent, dropping", OF_CONN_OUT_MAX);
		conn_close(c, false);
		return -EPIPE;
	}
	return bufferevent_write(c->bev, msg, size) == 0 ? 0 : -ENOMEM;
}

/* Errors answering a request carry (part of) it; HELLO_FAILED carries text. */
static void
conn_send_err(struct of_conn *c, enum of_err err, const uint8_t *req, size_t req_size)
{
	uint8_t buf[OFP_ERROR_MSG_SIZE + OF_ERR_DATA_MAX];
	int n = of_err_encode(err, req, req_size, buf, sizeof(buf));

	if (n > 0) {
		conn_send_raw(c, buf, (size_t)n);
	}
}

static void
conn_send_err_text(struct of_conn *c, enum of_err err, uint32_t xid, const char *text)
{
	uint8_t buf[OFP_ERROR_MSG_SIZE + 256];
	int n = of_err_encode_text(err, xid, text, buf, sizeof(buf));

	if (n > 0) {
		conn_send_raw(c, buf, (size_t)n);
	}
}

/* Unlinks 'c' from the manager, tells the target and the owner, frees it. */
static void
conn_destroy(struct of_conn *c)
{
	struct of_conn_mgr *mgr = c->mgr;
	struct of_target *t = c->tgt;
	bool was_up = c->up;

	for (struct of_conn **pp = &mgr->conns; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	c->up = false;
	c->closing = true;
	if (t != NULL && !target_is_passive(t)) {
		t->conn = NULL;
		if (was_up) {
			t->backoff_ms = 0;
		}
		target_backoff(t);
	}
	if (was_up) {
		conn_log(c, "disconnected");
		if (mgr->cbs.down != NULL) {
			mgr->cbs.down(c, mgr->arg);
		}
	}
	bufferevent_free(c->bev);
	event_free(c->probe_ev);
	event_free(c->close_ev);
	free(c);
}

/* Runs from the loop only: finishes a close once output is flushed. */
static void
conn_close_cb(evutil_socket_t fd, short what, void *arg)
{
	struct of_conn *c = arg;

	(void)fd;
	(void)what;
	if (c->flush && !c->flush_armed &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) > 0) {
		struct timeval tv = ms_to_tv(OF_FLUSH_TIMEOUT_MS);

		c->flush_armed = true;
		evtimer_add(c->close_ev, &tv);
		return;
	}
	conn_destroy(c);
}

/* Starts closing 'c'; the free happens from the loop, after a flush if asked. */
static void
conn_close(struct of_conn *c, bool flush)
{
	if (c->closing) {
		if (!flush && c->flush) {
			c->flush = false;
			event_active(c->close_ev, EV_TIMEOUT, 1);
		}
		return;
	}
	c->closing = true;
	c->flush = flush;
	bufferevent_disable(c->bev, EV_READ);
	evtimer_del(c->probe_ev);
	event_active(c->close_ev, EV_TIMEOUT, 1);
}

/* ---- connections: receiving ---- */

static void
conn_hello(struct of_conn *c, const struct of_header *hdr, const uint8_t *msg)
{
	struct of_conn_mgr *mgr = c->mgr;
	struct of_hello hello;
	uint8_t version;
	enum of_err err;

	if (hdr->type != OFPT_HELLO) {
		conn_send_err_text(c, OF_ERR_HELLO_FAILED_INCOMPATIBLE, hdr->xid,
				   "expected OFPT_HELLO as the first message");
		conn_close(c, true);
		return;
	}
	err = of_hello_decode(msg, hdr->length, &hello);
	if (err != OF_ERR_NONE) {
		conn_send_err(c, err, msg, hdr->length);
		conn_close(c, true);
		return;
	}
	if (of_hello_negotiate(&hello, &version) != OF_ERR_NONE) {
		conn_log(c, "no common version (peer's 0x%02x)", hello.version);
		conn_send_err_text(c, OF_ERR_HELLO_FAILED_INCOMPATIBLE, hdr->xid,
				   "vireo supports OpenFlow 1.3 (0x04) only");
		conn_close(c, true);
		return;
	}
	c->up = true;
	if (c->tgt != NULL && !target_is_passive(c->tgt)) {
		c->tgt->state = OF_TARGET_CONNECTED;
		c->tgt->error[0] = '\0';
	}
	conn_log(c, "connected, OpenFlow 1.3");
	if (mgr->cbs.up != NULL) {
		mgr->cbs.up(c, mgr->arg);
	}
}

/* One complete message; 'err' is what of_msg_frame() said of it. */
static void
conn_dispatch(struct of_conn *c, enum of_err err, const struct of_header *hdr, const uint8_t *msg)
{
	struct of_conn_mgr *mgr = c->mgr;
	uint8_t reply[OFP_HEADER_SIZE + 1024];
	int n;

	if (!c->up) {
		conn_hello(c, hdr, msg);
		return;
	}
	if (err != OF_ERR_NONE) {
		conn_send_err(c, err, msg, hdr->length);
		return;
	}
	switch (hdr->type) {
	case OFPT_HELLO:
	case OFPT_ECHO_REPLY:
		break;
	case OFPT_ECHO_REQUEST:
		n = of_echo_reply_encode(msg, hdr->length, reply, sizeof(reply));
		if (n > 0) {
			conn_send_raw(c, reply, (size_t)n);
		} else {
			/* Too much data to echo back from the stack: answer from the heap. */
			uint8_t *big = malloc(hdr->length);

			if (big != NULL &&
			    of_echo_reply_encode(msg, hdr->length, big, hdr->length) > 0) {
				conn_send_raw(c, big, hdr->length);
			}
			free(big);
		}
		break;
	default:
		if (mgr->cbs.msg != NULL) {
			mgr->cbs.msg(c, hdr, msg, hdr->length, mgr->arg);
		}
		break;
	}
}

/* Anything received restarts the idle probe [6.3.2]. */
static void
conn_rx_activity(struct of_conn *c)
{
	struct timeval tv = ms_to_tv(c->mgr->probe_ms);

	c->probed = false;
	evtimer_add(c->probe_ev, &tv);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct of_conn *c = arg;

	if (c->closing) {
		return;
	}
	conn_rx_activity(c);
	while (!c->closing && evbuffer_get_length(in) >= OFP_HEADER_SIZE) {
		uint8_t *p = evbuffer_pullup(in, OFP_HEADER_SIZE);
		struct of_header hdr;
		size_t msg_size;
		enum of_err err = of_msg_frame(p, OFP_HEADER_SIZE, &hdr, &msg_size);

		if (err == OF_ERR_BAD_REQUEST_BAD_LEN) {
			conn_log(c, "message length %u, closing", hdr.length);
			conn_send_err(c, err, p, OFP_HEADER_SIZE);
			conn_close(c, true);
			break;
		}
		if (evbuffer_get_length(in) < hdr.length) {
			break;
		}
		p = evbuffer_pullup(in, hdr.length);
		conn_dispatch(c, err, &hdr, p);
		evbuffer_drain(in, hdr.length);
	}
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct of_conn *c = arg;

	(void)bev;
	if (c->closing && c->flush) {
		c->flush = false;
		event_active(c->close_ev, EV_TIMEOUT, 1);
	}
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct of_conn *c = arg;
	int err = EVUTIL_SOCKET_ERROR();

	(void)bev;
	if ((what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) == 0) {
		return;
	}
	if (c->tgt != NULL && !c->up) {
		snprintf(c->tgt->error, sizeof(c->tgt->error), "%s",
			 (what & BEV_EVENT_EOF) ? "connection closed by peer" : strerror(err));
	}
	if (!c->up && !c->closing) {
		conn_log(c, "%s", (what & BEV_EVENT_EOF) ? "closed before HELLO" : strerror(err));
	}
	conn_close(c, false);
}

static void
conn_probe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct of_conn *c = arg;
	struct timeval tv = ms_to_tv(c->mgr->probe_ms);
	uint8_t echo[OFP_HEADER_SIZE];

	(void)fd;
	(void)what;
	if (c->probed) {
		conn_log(c, "no response to inactivity probe, closing");
		conn_close(c, false);
		return;
	}
	of_header_put(echo, &(struct of_header){OFP_VERSION, OFPT_ECHO_REQUEST, OFP_HEADER_SIZE,
						of_conn_next_xid(c)});
	c->probed = true;
	evtimer_add(c->probe_ev, &tv);
	conn_send_raw(c, echo, sizeof(echo));
}

/* Wraps 'bev' (owned from here) in a connection of 't' and sends our HELLO. */
static struct of_conn *
conn_new(struct of_target *t, struct bufferevent *bev, const char *peer)
{
	struct of_conn_mgr *mgr = t->mgr;
	struct of_conn *c = calloc(1, sizeof(*c));
	struct of_hello hello;
	uint8_t buf[64];
	int n;

	if (c != NULL) {
		c->probe_ev = evtimer_new(mgr->base, conn_probe_cb, c);
		c->close_ev = event_new(mgr->base, -1, 0, conn_close_cb, c);
	}
	if (c == NULL || c->probe_ev == NULL || c->close_ev == NULL) {
		if (c != NULL) {
			event_free(c->probe_ev);
			event_free(c->close_ev);
		}
		free(c);
		bufferevent_free(bev);
		return NULL;
	}
	c->mgr = mgr;
	c->tgt = t;
	c->bev = bev;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	snprintf(c->target_name, sizeof(c->target_name), "%s", t->name);
	c->next = mgr->conns;
	mgr->conns = c;
	bufferevent_setcb(bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	/* Both sides send HELLO at once on connection [6.3.1]. */
	of_hello_ours(of_conn_next_xid(c), &hello);
	n = of_hello_encode(&hello, buf, sizeof(buf));
	if (n > 0) {
		conn_send_raw(c, buf, (size_t)n);
	}
	conn_rx_activity(c);
	return c;
}

static void
set_nodelay(evutil_socket_t fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* ---- targets ---- */

/* Arms the retry: the minimum first (and after a connection got up), then doubling. */
static void
target_backoff(struct of_target *t)
{
	struct of_conn_mgr *mgr = t->mgr;
	unsigned max = mgr->backoff_max_ms;
	struct timeval tv;

	if (t->backoff_ms == 0) {
		t->backoff_ms = mgr->backoff_min_ms;
	} else {
		t->backoff_ms = t->backoff_ms * 2 < max ? t->backoff_ms * 2 : max;
	}
	t->state = OF_TARGET_BACKOFF;
	tv = ms_to_tv(t->backoff_ms);
	evtimer_add(t->retry_ev, &tv);
}

static void
target_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	target_connect(arg);
}

static void
target_connect_failed(struct of_target *t, int err)
{
	snprintf(t->error, sizeof(t->error), "%s", strerror(err));
	target_backoff(t);
}

/* Active targets: a non-blocking connect; failures come back as events. */
static void
target_connect(struct of_target *t)
{
	struct of_conn_mgr *mgr = t->mgr;
	struct bufferevent *bev;
	char peer[OF_PEER_MAX];
	int err;

	t->state = OF_TARGET_CONNECTING;
	bev = bufferevent_socket_new(mgr->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		target_connect_failed(t, ENOMEM);
		return;
	}
	/* Callbacks are set only on success, so a failure here is reported once. */
	if (bufferevent_socket_connect(bev, (struct sockaddr *)&t->addr.ss, (int)t->addr.ss_size) <
	    0) {
		err = errno != 0 ? errno : ECONNREFUSED;
		bufferevent_free(bev);
		target_connect_failed(t, err);
		return;
	}
	if (t->addr.kind == OF_KIND_TCP) {
		set_nodelay(bufferevent_getfd(bev));
	}
	addr_to_text((struct sockaddr *)&t->addr.ss, t->name + 5, peer, sizeof(peer));
	t->conn = conn_new(t, bev, peer);
	if (t->conn == NULL) {
		target_connect_failed(t, ENOMEM);
	}
}

static void
target_accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int sa_size,
		 void *arg)
{
	struct of_target *t = arg;
	struct bufferevent *bev;
	char peer[OF_PEER_MAX];

	(void)l;
	(void)sa_size;
	if (t->addr.kind == OF_KIND_PTCP) {
		set_nodelay(fd);
	}
	bev = bufferevent_socket_new(t->mgr->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		evutil_closesocket(fd);
		return;
	}
	addr_to_text(sa, t->name + 6, peer, sizeof(peer));
	conn_new(t, bev, peer);
}

static void
target_listen_error_cb(struct evconnlistener *l, void *arg)
{
	struct of_target *t = arg;

	(void)l;
	snprintf(t->error, sizeof(t->error), "accept: %s", strerror(EVUTIL_SOCKET_ERROR()));
	fprintf(stderr, "openflow: %s: %s\n", t->name, t->error);
}

/* A Unix path is ours to take when absent or a (stale) socket. */
static int
punix_prepare(const char *path, char *err, size_t err_size, const char *name)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		return 0;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, err_size, "cannot listen on '%s': %s exists and is not a socket",
			 name, path);
		return -EEXIST;
	}
	return unlink(path) == 0 ? 0 : -errno;
}

static int
target_listen(struct of_target *t, char *err, size_t err_size)
{
	unsigned flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC;
	int rc;

	if (t->addr.kind == OF_KIND_PUNIX) {
		rc = punix_prepare(t->name + 6, err, err_size, t->name);
		if (rc < 0) {
			return rc;
		}
	} else {
		flags |= LEV_OPT_REUSEABLE;
	}
	t->listener = evconnlistener_new_bind(t->mgr->base, target_accept_cb, t, flags, -1,
					      (struct sockaddr *)&t->addr.ss, (int)t->addr.ss_size);
	if (t->listener == NULL) {
		rc = errno != 0 ? -errno : -EADDRNOTAVAIL;
		snprintf(err, err_size, "cannot listen on '%s': %s", t->name, strerror(-rc));
		return rc;
	}
	evconnlistener_set_error_cb(t->listener, target_listen_error_cb);
	t->unlink_path = t->addr.kind == OF_KIND_PUNIX;
	t->state = OF_TARGET_LISTENING;
	return 0;
}

/* Frees 't'; its connections close from the loop, detached from it. */
static void
target_free(struct of_target *t)
{
	if (t == NULL) {
		return;
	}
	for (struct of_conn *c = t->mgr->conns; c != NULL; c = c->next) {
		if (c->tgt == t) {
			c->tgt = NULL;
			conn_close(c, false);
		}
	}
	if (t->listener != NULL) {
		evconnlistener_free(t->listener);
	}
	if (t->unlink_path) {
		unlink(t->name + 6);
	}
	if (t->retry_ev != NULL) {
		event_free(t->retry_ev);
	}
	free(t);
}

/* A new target, listening already when passive; not started when active. */
static int
target_new(struct of_conn_mgr *mgr, const char *name, struct of_target **out, char *err,
	   size_t err_size)
{
	struct of_target *t = calloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	if (t == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	t->mgr = mgr;
	snprintf(t->name, sizeof(t->name), "%s", name);
	rc = target_parse(name, &t->addr, err, err_size);
	if (rc == 0 && target_is_passive(t)) {
		rc = target_listen(t, err, err_size);
	} else if (rc == 0) {
		t->retry_ev = evtimer_new(mgr->base, target_retry_cb, t);
		rc = t->retry_ev != NULL ? 0 : -ENOMEM;
	}
	if (rc < 0) {
		target_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- manager ---- */

struct of_conn_mgr *
of_conn_mgr_create(struct event_base *base, const struct of_conn_cbs *cbs, void *arg)
{
	struct of_conn_mgr *mgr = calloc(1, sizeof(*mgr));

	if (mgr == NULL) {
		return NULL;
	}
	mgr->base = base;
	if (cbs != NULL) {
		mgr->cbs = *cbs;
	}
	mgr->arg = arg;
	mgr->probe_ms = OF_PROBE_MS;
	mgr->backoff_min_ms = OF_BACKOFF_MIN_MS;
	mgr->backoff_max_ms = OF_BACKOFF_MAX_MS;
	return mgr;
}

void
of_conn_mgr_free(struct of_conn_mgr *mgr)
{
	if (mgr == NULL) {
		return;
	}
	for (struct of_conn *c = mgr->conns; c != NULL; c = c->next) {
		c->tgt = NULL;
	}
	while (mgr->conns != NULL) {
		conn_destroy(mgr->conns);
	}
	for (unsigned i = 0; i < mgr->n_targets; i++) {
		target_free(mgr->targets[i]);
	}
	free(mgr);
}

void
of_conn_mgr_set_timers(struct of_conn_mgr *mgr, unsigned probe_ms, unsigned backoff_min_ms,
		       unsigned backoff_max_ms)
{
	if (probe_ms != 0) {
		mgr->probe_ms = probe_ms;
	}
	if (backoff_min_ms != 0) {
		mgr->backoff_min_ms = backoff_min_ms;
	}
	if (backoff_max_ms != 0) {
		mgr->backoff_max_ms = backoff_max_ms;
	}
}

static struct of_target *
mgr_find(struct of_conn_mgr *mgr, const char *name)
{
	for (unsigned i = 0; i < mgr->n_targets; i++) {
		if (strcmp(mgr->targets[i]->name, name) == 0) {
			return mgr->targets[i];
		}
	}
	return NULL;
}

static bool
target_in(struct of_target *const *list, unsigned n, const struct of_target *t)
{
	for (unsigned i = 0; i < n; i++) {
		if (list[i] == t) {
			return true;
		}
	}
	return false;
}

/* Checks the list as a whole: count, syntax, duplicates. */
static int
targets_check(const char *const *targets, unsigned n, char *err, size_t err_size)
{
	if (n > OF_TARGET_MAX) {
		snprintf(err, err_size, "too many controller targets (%u, at most %u)", n,
			 OF_TARGET_MAX);
		return -EINVAL;
	}
	for (unsigned i = 0; i < n; i++) {
		int rc = of_target_check(targets[i], err, err_size);

		if (rc < 0) {
			return rc;
		}
		for (unsigned j = 0; j < i; j++) {
			if (strcmp(targets[i], targets[j]) == 0) {
				return bad_target(err, err_size, targets[i], "given twice");
			}
		}
	}
	return 0;
}

int
of_conn_mgr_set_targets(struct of_conn_mgr *mgr, const char *const *targets, unsigned n, char *err,
			size_t err_size)
{
	struct of_target *next[OF_TARGET_MAX] = {NULL};
	bool fresh[OF_TARGET_MAX] = {false};
	int rc = targets_check(targets, n, err, err_size);

	/* New listeners bind before anything is closed, so a failure changes nothing. */
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		next[i] = mgr_find(mgr, targets[i]);
		if (next[i] == NULL) {
			fresh[i] = true;
			rc = target_new(mgr, targets[i], &next[i], err, err_size);
		}
	}
	if (rc < 0) {
		for (unsigned i = 0; i < n; i++) {
			if (fresh[i]) {
				target_free(next[i]);
			}
		}
		return rc;
	}
	for (unsigned i = 0; i < mgr->n_targets; i++) {
		if (!target_in(next, n, mgr->targets[i])) {
			target_free(mgr->targets[i]);
		}
	}
	memcpy(mgr->targets, next, sizeof(next));
	mgr->n_targets = n;
	for (unsigned i = 0; i < n; i++) {
		if (fresh[i] && !target_is_passive(next[i])) {
			target_connect(next[i]);
		}
	}
	return 0;
}

unsigned
of_conn_mgr_status(const struct of_conn_mgr *mgr, struct of_target_status *out, unsigned max)
{
	for (unsigned i = 0; i < mgr->n_targets && i < max; i++) {
		const struct of_target *t = mgr->targets[i];

		memset(&out[i], 0, sizeof(out[i]));
		snprintf(out[i].target, sizeof(out[i].target), "%s", t->name);
		out[i].state = t->state;
		out[i].backoff_ms = t->backoff_ms;
		snprintf(out[i].error, sizeof(out[i].error), "%s", t->error);
		for (const struct of_conn *c = mgr->conns; c != NULL; c = c->next) {
			out[i].n_conns += c->tgt == t && c->up;
		}
	}
	return mgr->n_targets;
}

int
of_conn_mgr_listen_port(const struct of_conn_mgr *mgr, unsigned target_idx)
{
	struct sockaddr_storage ss;
	socklen_t size = sizeof(ss);
	const struct of_target *t;

	if (target_idx >= mgr->n_targets) {
		return -ENOENT;
	}
	t = mgr->targets[target_idx];
	if (t->addr.kind != OF_KIND_PTCP || t->listener == NULL ||
	    getsockname(evconnlistener_get_fd(t->listener), (struct sockaddr *)&ss, &size) < 0) {
		return -ENOENT;
	}
	if (ss.ss_family == AF_INET6) {
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

unsigned
of_conn_mgr_n_up(const struct of_conn_mgr *mgr)
{
	unsigned n = 0;

	for (const struct of_conn *c = mgr->conns; c != NULL; c = c->next) {
		n += c->up;
	}
	return n;
}

void
of_conn_mgr_foreach(struct of_conn_mgr *mgr, void (*fn)(struct of_conn *c, void *arg), void *arg)
{
	for (struct of_conn *c = mgr->conns; c != NULL; c = c->next) {
		if (c->up && !c->closing) {
			fn(c, arg);
		}
	}
}

/* ---- connection accessors ---- */

int
of_conn_send(struct of_conn *c, const void *msg, size_t size)
{
	return conn_send_raw(c, msg, size);
}

const char *
of_conn_peer(const struct of_conn *c)
{
	return c->peer;
}

const char *
of_conn_target(const struct of_conn *c)
{
	return c->target_name;
}

void *
of_conn_get_user(const struct of_conn *c)
{
	return c->user;
}

void
of_conn_set_user(struct of_conn *c, void *user)
{
	c->user = user;
}

void
of_conn_close(struct of_conn *c)
{
	conn_close(c, true);
}

uint32_t
of_conn_next_xid(struct of_conn *c)
{
	return ++c->xid;
}
