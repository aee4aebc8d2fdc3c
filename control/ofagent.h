/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofagent.h - the OpenFlow 1.3 agent of one bridge: its controller
 * channels (protocols/openflow/of_conn.h), its flow tables (oft.h), and
 * what ties them to the datapath: every change of flows or ports is
 * compiled into a classifier and published (datapath/dp_flow.h);
 * packet-ins come from datapath upcalls; packet-outs go through the
 * datapath's ring.
 *
 * Behaviour follows Open vSwitch where the spec leaves a choice:
 *   - A bridge whose fail mode is standalone (the default) and that has no
 *     controller starts with one flow, priority=0,actions=NORMAL.
 *   - Fail mode standalone with controllers configured and none connected:
 *     the bridge forwards as a NORMAL learning switch (fail open); the
 *     controllers' flows stay and take over again as soon as one connects.
 *     Secure: the flows stay in force; table misses to the controller are
 *     dropped.
 *   - Changes are coalesced: flow_mods are applied to the tables at once
 *     and published to the datapath within OFA_PUBLISH_MS (longer when
 *     compiling the tables takes longer), or before the
 *     reply to any BARRIER_REQUEST, PACKET_OUT or statistics request, so
 *     once BARRIER_REPLY is sent no packet takes the old path.
 *
 * Implemented in ofagent.c (the agent core), ofagent_mp.c (multipart
 * requests) and ofagent_cli.c (the CLI's flow commands), which share
 * ofagent_priv.h.
 *
 * Control thread only.
 */
#ifndef VIREO_CONTROL_OFAGENT_H
#define VIREO_CONTROL_OFAGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define OFA_PUBLISH_MS 20 /* most a flow change waits before it is published */

struct ctl_switch;
struct ctl_bridge;
struct ctl_port;
struct dp_upcall;
struct event_base;
struct ofagent;

/**
 * The agent of bridge 'br' (whose index and ports it reads from 'sw'),
 * with no controller and, unless 'secure', the default NORMAL flow; it
 * publishes nothing until ofagent_publish(). Returns 0 and '*out' or
 * -ENOMEM.
 */
int ofagent_create(struct ctl_switch *sw, struct ctl_bridge *br, bool secure, struct ofagent **out);

/** Closes the channels, unpublishes the classifier, frees 'a' (NULL is fine). */
void ofagent_destroy(struct ofagent *a);

/**
 * Makes 'targets' (array of strings, borrowed) the controllers. Returns 0
 * or -errno with 'err' and nothing changed.
 */
int ofagent_set_controllers(struct ofagent *a, const json_t *targets, char *err, size_t err_size);

/** Sets the fail mode (true: secure) and republishes if that changes forwarding. */
void ofagent_set_fail_mode(struct ofagent *a, bool secure);

/** The datapath id FEATURES_REPLY reports. */
void ofagent_set_dpid(struct ofagent *a, uint64_t dpid);

/**
 * Compiles the flows against the ports as they are now and publishes
 * them to the datapath. Called after every port change. Returns 0 or
 * -errno (then the old classifier stays).
 */
int ofagent_publish(struct ofagent *a);

/** Tells controllers that 'p' was added (OFPPR_ADD), deleted or modified. */
void ofagent_port_status(struct ofagent *a, const struct ctl_port *p, uint8_t reason);

/** Sends a packet-in for the datapath upcall 'u' to the controllers. */
void ofagent_packet_in(struct ofagent *a, const struct dp_upcall *u);

/** Expires flows past their timeouts; called about once a second. */
void ofagent_tick(struct ofagent *a);

/** Controllers and their states, as get-controller and show give them (new reference). */
json_t *ofagent_controllers_json(const struct ofagent *a);

/** Flows in all tables of the bridge ('a' NULL: 0). */
unsigned ofagent_n_flows(const struct ofagent *a);

/**
 * Applies flows in ovs-ofctl syntax from the CLI: 'command' is an
 * OFPFC_* value; for ADD, 'flows' holds 'n' flows applied in order (all
 * are parsed first: a syntax error applies none). Returns 0 or -errno
 * with one line in 'err' (flows before a failing one stay).
 */
int ofagent_cli_flow_mod(struct ofagent *a, uint8_t command, const char *const *flows, unsigned n,
			 char *err, size_t err_size);

/** The flows 'match' (NULL: all) selects, as dump-flows gives them, or NULL with 'err'. */
json_t *ofagent_dump_flows(struct ofagent *a, const char *match, char *err, size_t err_size);

/** The path of a packet described by 'flow' through the tables, or NULL with 'err'. */
json_t *ofagent_trace(struct ofagent *a, const char *flow, char *err, size_t err_size);

#endif /* VIREO_CONTROL_OFAGENT_H */
