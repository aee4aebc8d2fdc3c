/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_nl.h - the Linux kernel's IPv4 routing state for the VXLAN
 * underlay (RFC 7348), read through libnl-route-3.
 *
 * This is the one place where the underlay's route choice meets the
 * kernel: it copies the main table's unicast routes into the pure table of
 * vxlan_neigh.h, and reads an interface's MTU and IPv4 address (the outer
 * header's source and the tunnel's payload limit). It is kept in its own
 * library so that vxlan_neigh.c stays free of sockets and libnl.
 *
 * Every call opens a NETLINK_ROUTE socket in the calling thread's network
 * namespace, dumps what it needs and closes it again: this is a snapshot,
 * not a subscription, so callers reload when they learn of a change.
 * All IPv4 addresses are in host byte order (10.0.0.1 is 0x0a000001).
 *
 * Limits: IPv4 only; routes whose next hop is an IPv6 address (RTA_VIA,
 * RFC 5549) or that have no output interface are skipped; of a multipath
 * route only the first next hop is kept; TOS and policy routing rules are
 * ignored.
 */
#ifndef VIREO_VXLAN_NL_H
#define VIREO_VXLAN_NL_H

#include <stddef.h>
#include <stdint.h>

struct vxlan_routes;

/**
 * Load every IPv4 unicast route of the kernel's main table (RT_TABLE_MAIN)
 * of the current network namespace into 'rt' (borrowed; the caller created
 * it, and the routes it already holds are kept). Each route gets its
 * prefix and length, its gateway (0 when on-link), its preferred source
 * RTA_PREFSRC as 'src' (0 when none), RTA_PRIORITY as 'metric', and the
 * output ifindex as 'ifindex_or_port'; a multipath route contributes its
 * first next hop. Routes of other tables or of other types (local,
 * broadcast, unreachable, blackhole, ...), routes this module cannot
 * represent (see the file comment) and routes vxlan_routes_add() refuses
 * are skipped; a table that fills up therefore silently misses the rest,
 * so size it for the kernel's table.
 *
 * Returns the number of routes added, or -errno with one line of
 * explanation written to 'err' ('err_size' bytes, borrowed), in which case
 * 'rt' is unchanged. Opens and closes its own netlink socket; control
 * thread only (it blocks on the kernel).
 */
int vxlan_nl_load_routes(struct vxlan_routes *rt, char *err, size_t err_size);

/**
 * Write the MTU of interface 'ifindex' to '*mtu' and its first IPv4
 * address, in the order the kernel lists them (the first primary), to
 * '*first_ipv4' (0 when it has none), in the current network namespace.
 * Returns 0, -ENODEV when there is no such interface (including any
 * 'ifindex' <= 0), or another -errno; the outputs are written only on
 * success. Opens and closes its own netlink socket; control thread only.
 */
int vxlan_nl_link_info(int ifindex, unsigned *mtu, uint32_t *first_ipv4);

#endif /* VIREO_VXLAN_NL_H */
