/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctl_loop.c - libevent loop of the control plane (see ctl_loop.h).
 *
 * Clients speak newline-delimited JSON-RPC (rpc.h) through bufferevents.
 * Upcalls are drained on a short timer rather than by a wake-up from the
 * PMDs, which keeps system calls off the fast path; the cost is that a
 * new MAC is flooded to for up to CTL_UPCALL_MS before it is learned
 * (CTL_UPCALL_IDLE_MS after a quiet spell, so that an idle switch wakes
 * its core 100 times a second rather than 500).
 */
#include "control/ctl_loop.h"

#include <errno.h>
#include <signal.h>
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

#include "control/bridge.h"
#include "control/ctl_rpc.h"
#include "control/tunnel.h"

#define CTL_UPCALL_MS       2  /* how often upcalls are drained while they come */
#define CTL_UPCALL_IDLE_MS  10 /* ... and once none came for CTL_UPCALL_QUIET_MS */
#define CTL_UPCALL_QUIET_MS 500
#define CTL_AGE_MS          1000                /* how often the MAC table is aged */
#define CTL_TNL_MS          100                 /* how often tunnel paths are resolved */
#define CTL_MAX_LINE        (256 * 1024 * 1024) /* longest request (add-flows of 1M flows) */

struct ctl_loop {
	struct ctl_switch *sw;                                  /* the switch, borrowed */
	struct event_base *base;                                /* the loop */
	struct evconnlistener *listener;                        /* control socket */
	struct event *sigterm, *sigint;                         /* stop requests */
	struct event *upcall_timer;                             /* drains upcalls */
	int upcall_ms;                                          /* its period now */
	int upcall_quiet_ms;                                    /* how long no upcall came */
	struct event *age_timer;                                /* ages the MAC table */
	struct event *tnl_timer;                                /* resolves tunnel paths */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* socket file */
};

static void
ctl_send_reply(struct bufferevent *bev, json_t *reply)
{
	char *text = json_dumps(reply, JSON_COMPACT);

	if (text != NULL) {
		evbuffer_add(bufferevent_get_output(bev), text, strlen(text));
		evbuffer_add(bufferevent_get_output(bev), "\n", 1);
		free(text);
	}
	json_decref(reply);
}

static void
ctl_read_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_loop *loop = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t size;
	char *line;

	while ((line = evbuffer_readln(in, &size, EVBUFFER_EOL_LF)) != NULL) {
		ctl_send_reply(bev, ctl_rpc_handle_line(loop->sw, line, size));
		free(line);
	}
	if (evbuffer_get_length(in) > CTL_MAX_LINE) {
		ctl_send_reply(bev,
			       json_pack("{s:s, s:n, s:{s:i, s:s}}", "jsonrpc", "2.0", "id",
					 "error", "code", -32600, "message", "request too long"));
		evbuffer_drain(in, evbuffer_get_length(in));
	}
}

static void
ctl_event_cb(struct bufferevent *bev, short events, void *arg)
{
	(void)arg;
	if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		bufferevent_free(bev);
	}
}

static void
ctl_accept_cb(struct evconnlistener *listener, evutil_socket_t fd, struct sockaddr *sa, int socklen,
	      void *arg)
{
	struct ctl_loop *loop = arg;
	struct bufferevent *bev;

	(void)listener;
	(void)sa;
	(void)socklen;
	bev = bufferevent_socket_new(loop->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, ctl_read_cb, NULL, ctl_event_cb, loop);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void
ctl_signal_cb(evutil_socket_t sig, short events, void *arg)
{
	struct ctl_loop *loop = arg;

	(void)sig;
	(void)events;
	event_base_loopbreak(loop->base);
}

static void
ctl_upcall_cb(evutil_socket_t fd, short events, void *arg)
{
	struct ctl_loop *loop = arg;

	int period;

	(void)fd;
	(void)events;
	if (ctl_switch_handle_upcalls(loop->sw) > 0) {
		loop->upcall_quiet_ms = 0;
	} else if (loop->upcall_quiet_ms < CTL_UPCALL_QUIET_MS) {
		loop->upcall_quiet_ms += loop->upcall_ms;
	}
	ctl_switch_port_events(loop->sw);
	period = loop->upcall_quiet_ms < CTL_UPCALL_QUIET_MS ? CTL_UPCALL_MS : CTL_UPCALL_IDLE_MS;
	if (period != loop->upcall_ms) {
		struct timeval tv = {.tv_sec = 0, .tv_usec = period * 1000};

		loop->upcall_ms = period;
		event_add(loop->upcall_timer, &tv);
	}
}

static void
ctl_age_cb(evutil_socket_t fd, short events, void *arg)
{
	struct ctl_loop *loop = arg;

	(void)fd;
	(void)events;
	ctl_switch_age(loop->sw);
}

static void
ctl_tnl_cb(evutil_socket_t fd, short events, void *arg)
{
	struct ctl_loop *loop = arg;

	(void)fd;
	(void)events;
	ctl_tnl_tick(loop->sw, false);
}

/* Removes a stale socket file, but refuses one a live daemon answers on. */
static int
ctl_claim_path(const struct sockaddr_un *sun, char *err, size_t err_size)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char dir[sizeof(sun->sun_path)];
	char *slash;

	if (fd >= 0 && connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0) {
		close(fd);
		snprintf(err, err_size, "another vireod is running on %s", sun->sun_path);
		return -EADDRINUSE;
	}
	if (fd >= 0) {
		close(fd);
	}
	unlink(sun->sun_path);
	snprintf(dir, sizeof(dir), "%s", sun->sun_path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			snprintf(err, err_size, "cannot create %s: %s", dir, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int
ctl_add_timer(struct ctl_loop *loop, struct event **ev, event_callback_fn cb, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};

	*ev = event_new(loop->base, -1, EV_PERSIST, cb, loop);
	return *ev != NULL && event_add(*ev, &tv) == 0 ? 0 : -ENOMEM;
}

int
ctl_loop_create(struct ctl_switch *sw, const char *path, struct ctl_loop **out, char *err,
		size_t err_size)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct ctl_loop *loop;
	int ret;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, err_size, "socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	ret = ctl_claim_path(&sun, err, err_size);
	if (ret < 0) {
		return ret;
	}
	loop = calloc(1, sizeof(*loop));
	if (loop == NULL || (loop->base = event_base_new()) == NULL) {
		free(loop);
		snprintf(err, err_size, "cannot create the event loop");
		return -ENOMEM;
	}
	loop->sw = sw;
	sw->base = loop->base;
	loop->upcall_ms = CTL_UPCALL_MS;
	signal(SIGPIPE, SIG_IGN);
	loop->listener = evconnlistener_new_bind(loop->base, ctl_accept_cb, loop,
						 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1,
						 (struct sockaddr *)&sun, sizeof(sun));
	if (loop->listener == NULL) {
		snprintf(err, err_size, "cannot listen on %s: %s", path, strerror(errno));
		ctl_loop_destroy(loop);
		return -EADDRINUSE;
	}
	strcpy(loop->path, path);
	loop->sigterm = evsignal_new(loop->base, SIGTERM, ctl_signal_cb, loop);
	loop->sigint = evsignal_new(loop->base, SIGINT, ctl_signal_cb, loop);
	if (loop->sigterm == NULL || loop->sigint == NULL || evsignal_add(loop->sigterm, NULL) ||
	    evsignal_add(loop->sigint, NULL) ||
	    ctl_add_timer(loop, &loop->upcall_timer, ctl_upcall_cb, CTL_UPCALL_MS) < 0 ||
	    ctl_add_timer(loop, &loop->age_timer, ctl_age_cb, CTL_AGE_MS) < 0 ||
	    ctl_add_timer(loop, &loop->tnl_timer, ctl_tnl_cb, CTL_TNL_MS) < 0) {
		snprintf(err, err_size, "cannot set up signals and timers");
		ctl_loop_destroy(loop);
		return -ENOMEM;
	}
	*out = loop;
	return 0;
}

int
ctl_loop_run(struct ctl_loop *loop)
{
	return event_base_dispatch(loop->base) < 0 ? -EIO : 0;
}

void
ctl_loop_destroy(struct ctl_loop *loop)
{
	if (loop == NULL) {
		return;
	}
	if (loop->listener != NULL) {
		evconnlistener_free(loop->listener);
		unlink(loop->path);
	}
	if (loop->sigterm != NULL) {
		event_free(loop->sigterm);
	}
	if (loop->sigint != NULL) {
		event_free(loop->sigint);
	}
	if (loop->upcall_timer != NULL) {
		event_free(loop->upcall_timer);
	}
	if (loop->tnl_timer != NULL) {
		event_free(loop->tnl_timer);
	}
	if (loop->age_timer != NULL) {
		event_free(loop->age_timer);
	}
	event_base_free(loop->base);
	free(loop);
}
