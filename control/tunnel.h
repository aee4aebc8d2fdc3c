/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel.h - the control side of VXLAN tunnel ports: which underlay bridge
 * and next hop reach each remote VTEP, the next hop's MAC, and what the
 * datapath is told about it.
 *
 * The underlay is ordinary vireo, as Open vSwitch's br-phy: a bridge whose
 * internal port holds the host's underlay address.  A remote is reached
 * through the route to it: routes given with `vireoctl tnl/route-add`, and
 * the kernel's main table (read with libnl-3), whose output interface must
 * be a bridge's internal port.  The next hop is resolved by vireod itself:
 * ARP requests sent into the underlay bridge from its internal port,
 * replies (and requests) snooped on the underlay ports, a neighbour cache
 * with aging (protocols/vxlan/vxlan_neigh.h).  Until the neighbour is
 * known, the tunnel is not ready and the datapath drops what it would
 * send, counted as tunnel_no_neigh.
 *
 * Control thread only.
 */
#ifndef VIREO_CONTROL_TUNNEL_H
#define VIREO_CONTROL_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct ctl_switch;
struct ctl_port;
struct dp_tables;
struct dp_upcall;
struct ctl_tnl;

/** Makes the tunnel state of a switch.  Returns 0 and '*out' or -ENOMEM. */
int ctl_tnl_create(struct ctl_tnl **out);

/** Frees 'tnl' (NULL is fine). */
void ctl_tnl_destroy(struct ctl_tnl *tnl);

/**
 * Re-reads the kernel's routes (at most once a second unless 'force'),
 * resolves every tunnel's path, sends the ARP requests that are due, and
 * republishes the datapath tables when a path changed.
 */
void ctl_tnl_tick(struct ctl_switch *sw, bool force);

/**
 * Fills the tunnel part of 't' from the last resolution: the tunnel
 * ports, local VTEPs, remotes of remote_ip=flow tunnels, and the 'vtep'
 * and 'tunnel' marks of ports and bridges.
 */
void ctl_tnl_fill(struct ctl_switch *sw, struct dp_tables *t);

/** Takes in an ARP or TNL_MISS upcall. */
void ctl_tnl_upcall(struct ctl_switch *sw, const struct dp_upcall *u);

/** Forgets the runtime state of tunnel port 'p' (removed or restarted). */
void ctl_tnl_port_reset(struct ctl_port *p);

/** The "tunnel" object show gives for vxlan port 'p' (new reference). */
json_t *ctl_tnl_port_json(const struct ctl_switch *sw, const struct ctl_port *p);

/** tnl/neigh-show: {"neighbours": [...]} (new reference). */
json_t *ctl_tnl_neigh_json(const struct ctl_switch *sw);

/** tnl/route-show: {"routes": [...]} (new reference). */
json_t *ctl_tnl_route_json(struct ctl_switch *sw);

/**
 * tnl/route-add PREFIX/LEN BRIDGE [GW]: routes 'prefix' through the
 * underlay bridge named 'bridge'.  Returns 0 or -errno with 'err'.
 */
int ctl_tnl_route_add(struct ctl_switch *sw, const char *prefix, const char *bridge, const char *gw,
		      char *err, size_t err_size);

/** tnl/route-del PREFIX/LEN: removes a route added by hand.  0 or -errno with 'err'. */
int ctl_tnl_route_del(struct ctl_switch *sw, const char *prefix, char *err, size_t err_size);

/**
 * tnl/arp-set BRIDGE IP MAC: a static neighbour, as ovs-appctl
 * tnl/arp/set.  Returns 0 or -errno with 'err'.
 */
int ctl_tnl_arp_set(struct ctl_switch *sw, const char *bridge, const char *ip, const char *mac,
		    char *err, size_t err_size);

#endif
