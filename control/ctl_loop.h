/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctl_loop.h - the control plane's one libevent loop: the control socket,
 * signals, and the timers that drain upcalls and age the MAC table.
 * It never busy-polls.  Control thread only.
 */
#ifndef VIREO_CONTROL_CTL_LOOP_H
#define VIREO_CONTROL_CTL_LOOP_H

#include <stddef.h>

struct ctl_loop;
struct ctl_switch;

/**
 * Listens on the unix socket 'path' for 'sw'.  Refuses a path another
 * live vireod answers on.  Returns 0 and '*out', or -errno with 'err'.
 */
int ctl_loop_create(struct ctl_switch *sw, const char *path, struct ctl_loop **out, char *err,
		    size_t err_size);

/** Runs until SIGTERM or SIGINT.  Returns 0 or -errno. */
int ctl_loop_run(struct ctl_loop *loop);

/** Closes the socket (and removes its file) and frees 'loop' (NULL is fine). */
void ctl_loop_destroy(struct ctl_loop *loop);

#endif
