/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctl_rpc.h - the control socket's method handlers (the protocol is in
 * rpc.h).  Control thread only.
 */
#ifndef VIREO_CONTROL_CTL_RPC_H
#define VIREO_CONTROL_CTL_RPC_H

#include <stddef.h>

#include <jansson.h>

struct ctl_switch;

/**
 * Handles one request line of 'size' bytes (not NUL-terminated) and
 * returns the reply object (new reference, never NULL).  A line that is
 * not a request gets an error reply; nothing changes.
 */
json_t *ctl_rpc_handle_line(struct ctl_switch *sw, const char *line, size_t size);

#endif
