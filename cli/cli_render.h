/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_render.h - how vireoctl prints the result of a JSON-RPC method.
 *
 * Table form follows the Open vSwitch tools people already read: "show" like
 * ovs-vsctl show, "fdb/show" like ovs-appctl fdb/show, "dump-ports" and
 * "dump-flows" like ovs-ofctl, get-controller and get-fail-mode like
 * ovs-vsctl.  JSON form prints the result object itself, for
 * scripts.  Results are those of control/rpc.h.
 */
#ifndef VIREO_CLI_RENDER_H
#define VIREO_CLI_RENDER_H

#include <stdio.h>

#include <jansson.h>

#include "cli/cli_parse.h"

/**
 * Print 'result', the result of 'method', to 'out' in 'format'.
 *
 * JSON: the object pretty-printed (two-space indent, keys in the order the
 * daemon sent them) and a newline.  Table: list-br and list-ports print one
 * name per line; show, fdb/show, dump-ports and pmd-stats print tables;
 * get-controller one target per line with its state; dump-flows one flow
 * per line and trace its text, both as vireod wrote them; get-fail-mode the
 * mode (nothing if unset); methods whose result only acknowledges (add-br,
 * set, add-flows, ...) print nothing.
 * A field missing from a row prints as '?' or is left out.
 *
 * Borrows 'result'.  Returns 0, -EPROTO if 'result' is not an object or
 * lacks the list the table is made of, or -EIO if writing failed.
 */
int cli_render(FILE *out, const char *method, const json_t *result, enum cli_format format);

#endif
