/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge.h - the switch as the control plane models it: bridges, their
 * ports, and how both map onto the datapath.
 *
 * Every change follows one order so that a failed request changes
 * nothing: check everything first; for an addition, create the runtime
 * object, then save the configuration (undoing the creation if the save
 * fails); for a removal, save the configuration first, then remove.
 * After either, publish fresh tables to the datapath.
 *
 * Control thread only.
 */
#ifndef VIREO_CONTROL_BRIDGE_H
#define VIREO_CONTROL_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "control/port_conf.h"
#include "datapath/dp.h"

#define CTL_MAX_PORTS_PER_BRIDGE 256

struct ctl_bridge;
struct ctl_tnl;
struct event_base;
struct ofagent;

/** A tunnel port's path to its remote, as last resolved (tunnel.c). */
struct ctl_port_tnl {
	struct ctl_tnl_conf conf; /* its options, parsed when it started */
	const char
	    *state; /* "up", "no_route", "no_local_ip", "resolving", "failed"; NULL: not yet */
	uint16_t underlay;       /* underlay bridge index, DP_BRIDGE_NONE: none */
	uint32_t next_hop;       /* address resolved for it, host order */
	uint32_t local_ip;       /* source address used, host order */
	struct dp_tnl_path path; /* what the datapath is told */
};

/** One port of a bridge. */
struct ctl_port {
	char name[CTL_NAME_SIZE];  /* port and interface name */
	enum ctl_port_type type;   /* kind */
	json_t *options;           /* options as given (strings), owned */
	json_t *vlan;              /* VLAN settings (vlan_conf.h), owned, or NULL */
	uint16_t ofport;           /* OpenFlow port number */
	uint8_t mac[6];            /* MAC chosen for tap and internal ports */
	bool has_mac;              /* 'mac' is meaningful */
	uint16_t dp_idx;           /* datapath port, DP_PORT_NONE when not running */
	char error[200];           /* why the port is not running, or "" */
	uint32_t of_config;        /* OpenFlow OFPPC_* bits set by PORT_MOD (not saved) */
	struct ctl_port_tnl tnl;   /* vxlan ports: options and path */
	struct ctl_bridge *bridge; /* owner */
};

/** One bridge. */
struct ctl_bridge {
	char name[CTL_NAME_SIZE]; /* bridge name, also its internal port's */
	uint16_t idx;             /* datapath bridge index */
	uint8_t mac[6];           /* MAC of the internal port */
	uint32_t mac_aging_time;  /* seconds a silent MAC stays learned */
	json_t *controllers;      /* OpenFlow controller targets (array of strings), owned */
	char fail_mode[16];       /* "standalone", "secure" or "" (not set: standalone) */
	uint64_t dpid;            /* datapath id given by other_config:datapath-id, or 0 */
	struct ofagent *of;       /* its OpenFlow agent */
	unsigned n_ports;         /* entries in 'ports' */
	struct ctl_port *ports[CTL_MAX_PORTS_PER_BRIDGE]; /* [0] is the internal port */
};

/** The whole switch. */
struct ctl_switch {
	struct dp *dp;                              /* the datapath, borrowed */
	char *config_path;                          /* configuration file, owned */
	char *vhost_dir;                            /* where vhost-user sockets go, owned */
	struct ctl_bridge *bridges[DP_MAX_BRIDGES]; /* by datapath bridge index */
	struct ctl_port *by_dp[DP_MAX_PORTS];       /* running ports, by datapath index */
	unsigned vdev_seq;                          /* numbers net_tap device names */
	struct event_base *base;                    /* the control loop, for OpenFlow channels */
	struct ctl_tnl *tnl;                        /* tunnel routes and neighbours (tunnel.h) */
};

/**
 * Makes an empty switch over 'dp' that saves to 'config_path' and puts
 * the sockets of vhost-user (server) ports in 'vhost_dir'.
 * Returns 0 and '*out' or -ENOMEM.
 */
int ctl_switch_create(struct dp *dp, const char *config_path, const char *vhost_dir,
		      struct ctl_switch **out);

/**
 * The socket of vhost-user port 'p' (either mode) into 'buf'; "" for
 * other port types.
 */
void ctl_port_socket(const struct ctl_switch *sw, const struct ctl_port *p, char *buf, size_t size);

/** Takes in device events (link up/down, vhost queues); logs link changes. */
void ctl_switch_port_events(struct ctl_switch *sw);

/** Removes every bridge and port from the datapath and frees 'sw' (NULL is fine). */
void ctl_switch_destroy(struct ctl_switch *sw);

/**
 * Rebuilds the bridges and ports of a checked configuration 'doc' and
 * publishes them.  A port that cannot start stays configured, down, with
 * the reason in its 'error'.  Returns 0 or -errno with 'err'.
 */
int ctl_switch_restore(struct ctl_switch *sw, const json_t *doc, char *err, size_t err_size);

/** The configuration document of the switch as it stands (new reference). */
json_t *ctl_switch_to_json(const struct ctl_switch *sw);

/** Publishes the datapath tables that match the model.  Returns 0 or -errno. */
int ctl_switch_publish(struct ctl_switch *sw);

/** The bridge named 'name', or NULL. */
struct ctl_bridge *ctl_bridge_find(const struct ctl_switch *sw, const char *name);

/** The port named 'name' in any bridge, or NULL. */
struct ctl_port *ctl_port_find(const struct ctl_switch *sw, const char *name);

/** The port of 'br' with OpenFlow number 'ofport', or NULL. */
struct ctl_port *ctl_port_by_ofport(const struct ctl_bridge *br, uint16_t ofport);

/** The port running as datapath port 'dp_idx', or NULL. */
struct ctl_port *ctl_port_by_dp(const struct ctl_switch *sw, uint16_t dp_idx);

/** Adds bridge 'name'.  Returns 0 or -errno with 'err'. */
int ctl_bridge_add(struct ctl_switch *sw, const char *name, char *err, size_t err_size);

/** Removes bridge 'name' and its ports.  Returns 0 or -errno with 'err'. */
int ctl_bridge_del(struct ctl_switch *sw, const char *name, char *err, size_t err_size);

/**
 * Sets 'key' (e.g. "other_config:mac-aging-time") of bridge 'br' to
 * 'value'.  Returns 0 or -errno with 'err'.
 */
int ctl_bridge_set(struct ctl_switch *sw, struct ctl_bridge *br, const char *key, const char *value,
		   char *err, size_t err_size);

/**
 * Makes 'targets' (array of strings, borrowed; empty: none) the OpenFlow
 * controllers of 'br'. Returns 0 or -errno with 'err'.
 */
int ctl_bridge_set_controllers(struct ctl_switch *sw, struct ctl_bridge *br, const json_t *targets,
			       char *err, size_t err_size);

/**
 * Sets the fail mode of 'br' to 'mode' ("standalone", "secure", or ""
 * to unset). Returns 0 or -errno with 'err'.
 */
int ctl_bridge_set_fail_mode(struct ctl_switch *sw, struct ctl_bridge *br, const char *mode,
			     char *err, size_t err_size);

/** The datapath id of 'br': the one set, else derived from its MAC as OVS does. */
uint64_t ctl_bridge_dpid(const struct ctl_bridge *br);

/**
 * Adds port 'name' of 'type' with 'options' (borrowed) to 'br'.  Returns
 * 0 and the port's OpenFlow number in '*ofport', or -errno with 'err'.
 */
int ctl_port_add(struct ctl_switch *sw, struct ctl_bridge *br, const char *name, const char *type,
		 const json_t *options, uint16_t *ofport, char *err, size_t err_size);

/**
 * Applies user settings 'values' (an object of strings: tag, trunks,
 * vlan_mode, cvlans, other_config:qinq-ethtype) to port 'p', or, with
 * 'remove', removes 'values' (an array of strings) from column 'column', or
 * with a NULL 'column' clears the columns 'values' names.
 * Takes effect at once: the port's learned MACs are forgotten and the
 * datapath republished.  Returns 0 or -errno with 'err'; on failure
 * nothing changed.
 */
int ctl_port_set_vlan(struct ctl_switch *sw, struct ctl_port *p, const json_t *values,
		      const char *column, bool remove, char *err, size_t err_size);

/** Removes port 'p' (not an internal one).  Returns 0 or -errno with 'err'. */
int ctl_port_del(struct ctl_switch *sw, struct ctl_port *p, char *err, size_t err_size);

/**
 * Applies an OpenFlow PORT_MOD to 'p': the OFPPC_* bits of 'config' under
 * 'mask'. Publishes the datapath tables. Returns 0 or -errno.
 */
int ctl_port_set_of_config(struct ctl_switch *sw, struct ctl_port *p, uint32_t config,
			   uint32_t mask);

/** Learns from the datapath's pending upcalls.  Returns how many were handled. */
unsigned ctl_switch_handle_upcalls(struct ctl_switch *sw);

/** Ages out MAC table entries past each bridge's aging time. */
void ctl_switch_age(struct ctl_switch *sw);

#endif
