/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_conn.h - OpenFlow channels of one switch (bridge) [OpenFlow 1.3.5, 6.3]:
 * active connections to controllers ("tcp:IP[:PORT]", "unix:PATH") that
 * reconnect with back-off, passive listeners ("ptcp:[PORT][:IP]",
 * "punix:PATH") that accept any number of connections, and on every
 * connection the HELLO exchange with version negotiation, message framing,
 * echo replies and idle probing. Everything else goes to the owner's
 * callbacks.
 *
 * Defaults as Open vSwitch: controller port 6653; ptcp binds 127.0.0.1
 * unless an IP is given (port 6653 when omitted); back-off from 1 s
 * doubling to 8 s; an idle connection (nothing received) is probed with an
 * ECHO_REQUEST after 5 s and dropped after 5 more s without any message.
 * A peer whose HELLO offers no common version gets OFPT_ERROR
 * HELLO_FAILED/INCOMPATIBLE and is closed; a malformed length closes the
 * connection with BAD_REQUEST/BAD_LEN. Output is buffered by libevent; a
 * connection whose unsent output exceeds 16 MiB is dropped (a peer that
 * does not read).
 *
 * One libevent loop, one thread (vireod's control thread).
 */
#ifndef VIREO_OF_CONN_H
#define VIREO_OF_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_msg.h"

struct event_base;
struct of_conn;
struct of_conn_mgr;

#define OF_DEFAULT_PORT    6653
#define OF_TARGET_MAX      8   /* targets per bridge */
#define OF_TARGET_NAME_MAX 128 /* room for a target string with its NUL */

/** What the owner hears from its channels. 'arg' is the manager's arg. */
struct of_conn_cbs {
	/** HELLO done: 'c' speaks OpenFlow 1.3 now. */
	void (*up)(struct of_conn *c, void *arg);
	/**
	 * One framed message ('size' bytes, borrowed for the call) other than
	 * HELLO, ECHO_REQUEST and ECHO_REPLY, which the channel handles.
	 */
	void (*msg)(struct of_conn *c, const struct of_header *hdr, const uint8_t *msg, size_t size,
		    void *arg);
	/** 'c' is closing (only called for connections that were up); 'c' is freed after. */
	void (*down)(struct of_conn *c, void *arg);
};

/** States of a target, as show reports them. */
enum of_target_state {
	OF_TARGET_CONNECTING, /* active: connect() or HELLO in progress */
	OF_TARGET_CONNECTED,  /* active: up */
	OF_TARGET_BACKOFF,    /* active: waiting to retry */
	OF_TARGET_LISTENING,  /* passive: listening */
	OF_TARGET_FAILED,     /* passive: could not listen (see 'error') */
};

/** A target's status. */
struct of_target_status {
	char target[OF_TARGET_NAME_MAX]; /* as given */
	enum of_target_state state;      /* see enum */
	unsigned n_conns;                /* connections up through it */
	unsigned backoff_ms;             /* active: current back-off */
	char error[128];                 /* last error, "" if none */
};

/**
 * Checks a target string. Returns 0, or -EINVAL with one line in 'err'
 * ("bad controller target 'x': ...").
 */
int of_target_check(const char *target, char *err, size_t err_size);

/** A manager with no targets, on 'base'. NULL on allocation failure. */
struct of_conn_mgr *of_conn_mgr_create(struct event_base *base, const struct of_conn_cbs *cbs,
				       void *arg);

/** Closes every connection and listener (calling 'down' for those up) and frees 'mgr'. */
void of_conn_mgr_free(struct of_conn_mgr *mgr);

/**
 * Makes 'targets' the manager's targets: targets kept keep their
 * connections, new ones start (passive ones listen at once), removed
 * ones close. Returns 0, or -errno with one line in 'err' and nothing
 * changed (bad target string, a listener that cannot bind).
 */
int of_conn_mgr_set_targets(struct of_conn_mgr *mgr, const char *const *targets, unsigned n,
			    char *err, size_t err_size);

/** Status of up to 'max' targets into 'out'; returns how many targets there are. */
unsigned of_conn_mgr_status(const struct of_conn_mgr *mgr, struct of_target_status *out,
			    unsigned max);

/** Connections up (HELLO done) over all targets. */
unsigned of_conn_mgr_n_up(const struct of_conn_mgr *mgr);

/** Calls 'fn' for every connection that is up. 'fn' must not close connections. */
void of_conn_mgr_foreach(struct of_conn_mgr *mgr, void (*fn)(struct of_conn *c, void *arg),
			 void *arg);

/**
 * Queues a message of 'size' bytes on 'c'. Returns 0, or -EPIPE when
 * the connection is closing or overfull (it is closed soon after, from
 * the event loop, never inside this call).
 */
int of_conn_send(struct of_conn *c, const void *msg, size_t size);

/** The peer as text, e.g. "tcp:127.0.0.1:40112" or "unix:/run/x.sock". */
const char *of_conn_peer(const struct of_conn *c);

/** The target this connection belongs to, as given. */
const char *of_conn_target(const struct of_conn *c);

/** The owner's per-connection pointer (NULL until set). */
void *of_conn_get_user(const struct of_conn *c);
void of_conn_set_user(struct of_conn *c, void *user);

/** Closes 'c' from the event loop soon after (safe inside callbacks). */
void of_conn_close(struct of_conn *c);

/** A fresh transaction id for a message the switch starts. */
uint32_t of_conn_next_xid(struct of_conn *c);

/**
 * Sets the idle probe interval and the active targets' back-off range, in
 * milliseconds (defaults 5000, 1000 and 8000; 0 keeps a value). Applies
 * to timers armed afterwards. Meant for tests. Control thread only.
 */
void of_conn_mgr_set_timers(struct of_conn_mgr *mgr, unsigned probe_ms, unsigned backoff_min_ms,
			    unsigned backoff_max_ms);

/**
 * The port a ptcp target ('target_idx' in the order given to
 * of_conn_mgr_set_targets) is bound to: the kernel's choice for "ptcp:0".
 * Returns the port, or -ENOENT when there is no such target or it is not
 * a listening ptcp target.
 */
int of_conn_mgr_listen_port(const struct of_conn_mgr *mgr, unsigned target_idx);

#endif /* VIREO_OF_CONN_H */
