/* SPDX-License-Identifier: Apache-2.0 */
/*
 * port_conf.h - names, MACs and the options of each port type, checked
 * before anything is created.  Pure (jansson only), so the same checks
 * serve the CLI server, the config loader and the unit tests.
 */
#ifndef VIREO_CONTROL_PORT_CONF_H
#define VIREO_CONTROL_PORT_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tap/tap.h"

#define CTL_NAME_SIZE    16     /* Linux interface names: 15 chars and NUL */
#define CTL_MAX_ADDRS    4      /* addresses per tap port */
#define CTL_OFPORT_LOCAL 0xfffe /* OFPP_LOCAL: the bridge's internal port */
#define CTL_OFPORT_MAX   0xff00 /* OFPP_MAX: highest ordinary port number */

/** The kinds of port. */
enum ctl_port_type {
	CTL_PORT_INTERNAL,     /* the bridge's own tap on the host */
	CTL_PORT_TAP,          /* a container NIC: tap in a network namespace */
	CTL_PORT_DPDK,         /* any DPDK device, by devargs */
	CTL_PORT_VHOST,        /* vhost-user, vireod owns the socket, QEMU connects */
	CTL_PORT_VHOST_CLIENT, /* vhost-user, QEMU owns the socket, vireod connects */
	CTL_PORT_VXLAN,        /* VXLAN tunnel (RFC 7348) over IPv4 UDP */
};

#define CTL_VHOST_MAX_QUEUES     16  /* queue pairs a guest may enable, at most */
#define CTL_VHOST_DEFAULT_QUEUES 8   /* ... unless options:queues says otherwise */
#define CTL_SOCKET_PATH_SIZE     108 /* sizeof(sun_path) */

#define CTL_VXLAN_DEFAULT_PORT 4789     /* IANA's VXLAN UDP port (RFC 7348 section 5) */
#define CTL_VXLAN_MAX_KEY      0xffffff /* a VNI is 24 bits */
#define CTL_TNL_DEFAULT_TTL    64       /* outer TTL when options:ttl is absent */

/**
 * A tunnel port's options, parsed and checked.  Addresses are in host
 * order here; the encap stage converts them once when it builds its table.
 */
struct ctl_tnl_conf {
	uint32_t remote_ip; /* host order; 0 when remote_flow */
	bool remote_flow;   /* options:remote_ip=flow: per packet, from tun_dst */
	uint32_t key;       /* VNI 0..16777215; 0 when key_flow */
	bool key_flow;      /* options:key=flow: per packet, from tunnel_id */
	uint32_t local_ip;  /* host order; 0: chosen from the route */
	uint16_t dst_port;  /* UDP destination port, default 4789 */
	uint8_t tos;        /* outer IPv4 TOS byte, default 0 */
	uint8_t ttl;        /* outer TTL, default 64 */
	bool df;            /* options:df_default, default true */
};

/** A port's options, parsed and checked. */
struct ctl_port_conf {
	enum ctl_port_type type;              /* kind of port */
	const char *netns;                    /* tap: namespace, borrowed; NULL: host */
	const char *devargs;                  /* dpdk: device arguments, borrowed */
	const char *server_path;              /* vhost-user-client: QEMU's socket, borrowed */
	uint16_t queues;                      /* vhost-user: queue pairs at most */
	struct tap_addr addrs[CTL_MAX_ADDRS]; /* tap: addresses to assign */
	unsigned n_addrs;                     /* entries in 'addrs' */
	uint32_t mtu;                         /* 0: the device's default */
	uint8_t mac[6];                       /* tap: requested MAC */
	bool has_mac;                         /* 'mac' is set */
	struct ctl_tnl_conf tnl;              /* vxlan: tunnel options */
};

/** Whether 'name' is a usable bridge or port name (1..15 of [A-Za-z0-9_.-]). */
bool ctl_name_valid(const char *name);

/** Parses the whole of 's' as a decimal in 'min'..'max' into '*out'; false if it is not one. */
bool ctl_parse_range(const char *s, long min, long max, long *out);

/**
 * Parses a datapath id as other_config:datapath-id takes it: exactly 16
 * hex digits, not all zero. Returns 0 and '*out', -EINVAL when it is not
 * 16 hex digits, or -ERANGE for zero.
 */
int ctl_parse_dpid(const char *s, uint64_t *out);

/** Whether 'mode' is a fail mode a bridge takes: "standalone" or "secure". */
bool ctl_fail_mode_valid(const char *mode);

/** Parses "xx:xx:xx:xx:xx:xx" into 'mac'.  Returns 0 or -EINVAL. */
int ctl_parse_mac(const char *s, uint8_t mac[6]);

/** Formats 'mac' into 'buf' (at least 18 bytes). */
void ctl_format_mac(const uint8_t mac[6], char *buf);

/**
 * Parses the whole of 's' as a dotted-quad IPv4 address, strictly (four
 * decimal parts of 0..255, no leading zeros, nothing before or after),
 * into '*out' in host order.  Any address is syntax-valid, 0.0.0.0
 * included; callers refuse the classes they cannot use.  Returns 0 or
 * -EINVAL, leaving '*out' alone on error.
 */
int ctl_parse_ipv4(const char *s, uint32_t *out);

/** Formats 'ip' (host order) as a dotted quad into 'buf' (at least 16 bytes). */
void ctl_format_ipv4(uint32_t ip, char *buf);

/** Name of a port type, as the CLI and config spell it. */
const char *ctl_port_type_name(enum ctl_port_type type);

/**
 * Checks 'options' (an object of strings, may be NULL) for a port of type
 * 'type' ("tap", "dpdk", "vhost-user", "vhost-user-client", "vxlan" or
 * "internal"; NULL or "" means "tap") and fills
 * 'out', which borrows strings from 'options'.  Returns 0 or -EINVAL
 * with one line in 'err'.
 */
int ctl_port_conf_parse(const char *type, const json_t *options, struct ctl_port_conf *out,
			char *err, size_t err_size);

/**
 * Whether tunnel ports 'a' and 'b' would receive the same packets: same
 * dst_port, same local_ip (0 counts as equal to anything), same remote
 * (both remote_flow, or the same remote_ip), and the same key (both
 * key_flow, or the same key).  Fills 'err' (may be NULL when 'err_size'
 * is 0) with one line naming the shared remote and key when they clash,
 * and leaves it alone otherwise.  Pure; any thread.
 */
bool ctl_tnl_conf_clash(const struct ctl_tnl_conf *a, const struct ctl_tnl_conf *b, char *err,
			size_t err_size);

#endif
