/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap.h - container NIC plumbing: network namespaces, addresses, MTU.
 *
 * A container's NIC is a DPDK net_tap device created *inside* the
 * container's network namespace: the control thread enters the namespace
 * (tap_ns_enter), opens the device there through the datapath, configures
 * it with libnl-3 (tap_configure), and comes back (tap_ns_leave).  Every
 * file descriptor net_tap opens, including the sockets it later uses for
 * link and MTU control, then belongs to that namespace, which is why the
 * device is not created on the host and moved afterwards.
 *
 * Control thread only: entering a namespace changes the calling thread's.
 */
#ifndef VIREO_TAP_TAP_H
#define VIREO_TAP_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAP_NETNS_DIR "/run/netns"
#define TAP_MIN_MTU   68
#define TAP_MAX_MTU   9000

/** A network address with its prefix, as parsed from "10.0.0.1/24". */
struct tap_addr {
	int family;         /* AF_INET or AF_INET6 */
	uint8_t bytes[16];  /* the address, network order */
	uint8_t prefix_len; /* prefix length in bits */
};

/** How to set up an interface in the current namespace. */
struct tap_config {
	const char *ifname;           /* interface to configure */
	uint32_t mtu;                 /* 0: leave as it is */
	const struct tap_addr *addrs; /* addresses to add */
	unsigned n_addrs;             /* entries in 'addrs' */
};

/**
 * Parses a comma-separated list of addresses with prefixes ("10.0.0.1/24",
 * "fd00::1/64,10.0.0.1/24") into up to 'max' entries of 'out'.  Returns
 * the number parsed, or -EINVAL with one line in 'err'.  Pure.
 */
int tap_parse_addrs(const char *s, struct tap_addr *out, unsigned max, char *err, size_t err_size);

/**
 * Path of the namespace 'netns': itself when absolute (/proc/PID/ns/net),
 * else under TAP_NETNS_DIR as `ip netns` makes them.  Writes into 'buf'.
 */
void tap_netns_path(const char *netns, char *buf, size_t size);

/**
 * Moves the calling thread into namespace 'netns' (NULL or "" for none)
 * and stores a handle of the namespace it was in in '*saved' (-1 when
 * nothing changed).  Returns 0 or -errno with one line in 'err'.
 */
int tap_ns_enter(const char *netns, int *saved, char *err, size_t err_size);

/** Returns the thread to the namespace saved by tap_ns_enter(). */
void tap_ns_leave(int saved);

/** Whether an interface named 'ifname' exists in the current namespace. */
bool tap_if_exists(const char *ifname);

/**
 * Sets the MTU, adds the addresses and brings the interface up, through
 * libnl-3, in the current namespace.  Returns 0 or -errno with one line
 * in 'err'.
 */
int tap_configure(const struct tap_config *cfg, char *err, size_t err_size);

#endif
