/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_neigh.h - underlay groundwork for VXLAN tunnel ports (RFC 7348):
 * the route choice towards a remote VTEP, the IPv4 neighbour (ARP) cache
 * that turns the next hop into a MAC address, and the ARP frames the
 * control plane sends and snoops (RFC 826).
 *
 * Everything here is pure control-plane C: no DPDK, no sockets, no libnl,
 * and time is injected as milliseconds ('now_ms'), never read from a clock.
 * All IPv4 addresses are in host byte order (10.0.0.1 is 0x0a000001).
 * Nothing is thread-safe: call from the control thread only.
 *
 * Neighbour states, a simplified form of Linux's neighbour machine
 * (net/core/neighbour.c) used as RFC 826 / RFC 1122 2.3.2.1 describe:
 *
 *   (none) --resolve--> INCOMPLETE --learn--> REACHABLE --reachable_ms--> STALE
 *   INCOMPLETE --max_probes requests, no reply--> FAILED --failed_ms--> (none)
 *   STALE --used--> refresh requests, still STALE and still used;
 *         --learn--> REACHABLE;  --max_probes unanswered--> FAILED
 *   STALE --unused for gc_stale_ms--> (none)
 *   any state --learn--> REACHABLE (a different MAC counts as a move)
 *
 * Simplifications against Linux: DELAY and PROBE are folded into STALE (a
 * used STALE entry is refreshed at once and probed up to max_probes times
 * before it fails); there is no per-entry queue of held packets: until a
 * neighbour is FOUND the datapath drops the packet and counts it; no
 * random factor on reachable_ms; no NOARP/PERMANENT entries; one cache per
 * underlay interface (entries are keyed by IPv4 address alone).
 */
#ifndef VIREO_VXLAN_NEIGH_H
#define VIREO_VXLAN_NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Routes                                                               */
/* ------------------------------------------------------------------ */

/** One underlay IPv4 route, host byte order. */
struct vxlan_route {
	uint32_t prefix;     /* Destination network; host bits must be zero. */
	uint8_t len;         /* Prefix length, 0 (default route) to 32. */
	uint32_t gateway;    /* Next-hop router; 0 when the prefix is on-link. */
	uint32_t src;        /* Preferred source address; 0 when none. */
	uint32_t metric;     /* Lower is preferred among equal prefix lengths. */
	int ifindex_or_port; /* Underlay interface (ifindex or vireo port id). */
};

struct vxlan_routes;

/**
 * Create an empty route table that holds at most 'capacity' routes (> 0).
 * Returns 0 and a new table in '*out' (free with vxlan_routes_destroy()),
 * -EINVAL for a zero capacity, or -ENOMEM. Control thread only.
 */
int vxlan_routes_create(unsigned capacity, struct vxlan_routes **out);

/** Free 'rt' (which may be NULL). Control thread only. */
void vxlan_routes_destroy(struct vxlan_routes *rt);

/**
 * Add a copy of 'r' to 'rt'. Several routes may share a prefix, length and
 * metric; lookups then prefer the one added first. Returns 0, -EINVAL when
 * 'r->len' > 32 or 'r->prefix' has bits set beyond 'r->len' (as Linux
 * refuses them), or -ENOSPC when the table is full. Control thread only.
 */
int vxlan_routes_add(struct vxlan_routes *rt, const struct vxlan_route *r);

/**
 * Remove the first-added route equal to 'r' in prefix, length, metric and
 * gateway. Returns 0 or -ENOENT. Control thread only.
 */
int vxlan_routes_del(struct vxlan_routes *rt, const struct vxlan_route *r);

/**
 * The route for 'dst': the longest matching prefix, then the lowest
 * metric, then the first added. Returns a pointer borrowed from 'rt'
 * (valid until the next add or del), or NULL when no route matches.
 */
const struct vxlan_route *vxlan_route_lookup(const struct vxlan_routes *rt, uint32_t dst);

/**
 * Copy up to 'max' routes of 'rt' into 'out', in lookup preference order
 * (longest prefix, then lowest metric, then first added), and return how
 * many were written. Control thread only.
 */
unsigned vxlan_routes_list(const struct vxlan_routes *rt, struct vxlan_route *out, unsigned max);

/** The address to resolve for 'dst' over 'r': its gateway, or 'dst' itself when on-link. */
uint32_t vxlan_next_hop(const struct vxlan_route *r, uint32_t dst);

/* ------------------------------------------------------------------ */
/* Neighbour cache                                                      */
/* ------------------------------------------------------------------ */

/** Neighbour states; see the file comment. */
enum vxlan_neigh_state {
	VXLAN_NEIGH_INCOMPLETE, /* Request sent, no reply yet. */
	VXLAN_NEIGH_REACHABLE,  /* Reply seen within reachable_ms. */
	VXLAN_NEIGH_STALE,      /* Older than reachable_ms: used, refreshed when used. */
	VXLAN_NEIGH_FAILED,     /* No reply to max_probes requests: packets dropped. */
};

/** What vxlan_neigh_resolve() tells the caller to do with the packet. */
enum vxlan_neigh_result {
	VXLAN_NEIGH_FOUND,   /* Send to the MAC written out. */
	VXLAN_NEIGH_PENDING, /* Resolution in progress: drop (and count) or hold briefly. */
	VXLAN_NEIGH_FAIL,    /* Neighbour failed or no room to track it: drop and count. */
};

/** Cache tuning; a zero field takes the default given. */
struct vxlan_neigh_params {
	uint32_t reachable_ms; /* REACHABLE lasts this long after a reply (30000). */
	uint32_t retrans_ms;   /* Interval between requests (1000). */
	uint32_t max_probes;   /* Requests before FAILED (3). */
	uint32_t gc_stale_ms;  /* An unused STALE entry is removed after this (60000). */
	uint32_t failed_ms;    /* A FAILED entry is kept this long, then retried (10000). */
	unsigned capacity;     /* Most entries held (256). */
};

/** One ARP request the caller should send now (see vxlan_arp_request_build()). */
struct vxlan_arp_req {
	uint32_t target_ip; /* Address to resolve. */
	bool refresh;       /* True for a STALE entry's refresh; 'mac' then holds the cached MAC. */
	uint8_t mac[6]; /* Cached MAC for a refresh (a unicast poll may use it); zero otherwise. */
};

/** One entry as shown by `vireoctl tnl/neigh-show`. */
struct vxlan_neigh_info {
	uint32_t ip;                  /* Neighbour address. */
	uint8_t mac[6];               /* Its MAC; zero while never learned. */
	enum vxlan_neigh_state state; /* Current state (name: vxlan_neigh_state_name()). */
	uint64_t age_ms;              /* Since the last reply, or since creation if none. */
	uint32_t probes;              /* Requests sent in the current attempt. */
};

/** Cache counters; they only grow. */
struct vxlan_neigh_stats {
	uint64_t n_requests; /* ARP requests handed out by tick (incl. refreshes). */
	uint64_t n_learned;  /* Learns that updated an entry. */
	uint64_t n_failures; /* Entries that went to FAILED. */
	uint64_t n_moves;    /* Learns that changed a known MAC. */
	uint64_t n_ignored;  /* Learns for addresses not in the cache, or with a bad MAC. */
	uint64_t n_evicted;  /* STALE/FAILED entries dropped to make room. */
	uint64_t n_full;     /* Resolves refused because every entry was busy. */
	uint64_t n_gc;       /* Entries aged out by tick. */
};

struct vxlan_neigh_cache;

/**
 * Create a neighbour cache with 'params' (borrowed; NULL for all
 * defaults). Returns 0 and a new cache in '*out' (free with
 * vxlan_neigh_destroy()), -EINVAL when 'params->capacity' exceeds 65536,
 * or -ENOMEM. Control thread only.
 */
int vxlan_neigh_create(const struct vxlan_neigh_params *params, struct vxlan_neigh_cache **out);

/** Free 'nc' (which may be NULL). Control thread only. */
void vxlan_neigh_destroy(struct vxlan_neigh_cache *nc);

/**
 * Look up 'ip' for a packet about to be sent at 'now_ms'.
 * FOUND: 'mac_out' is filled (also for STALE, which schedules a refresh
 * request for the next tick). PENDING: an INCOMPLETE entry exists or was
 * just created (its first request comes out of the next tick). FAIL: the
 * entry is FAILED, or the cache is full of INCOMPLETE/REACHABLE entries and
 * none could be evicted. When full, the least recently used STALE or
 * FAILED entry is evicted to make room. Control thread only.
 */
enum vxlan_neigh_result vxlan_neigh_resolve(struct vxlan_neigh_cache *nc, uint32_t ip,
					    uint64_t now_ms, uint8_t mac_out[6]);

/**
 * Learn that 'ip' is at 'mac' (borrowed) at 'now_ms', from a snooped ARP
 * reply or request whose sender is 'ip'. Only addresses already in the
 * cache are updated (Linux's arp_accept=0): snooping a busy LAN cannot fill
 * the cache. The entry becomes REACHABLE; a different MAC than the one
 * known counts as a move. Returns 0, -ENOENT when 'ip' is not in the cache,
 * or -EINVAL when 'mac' is zero or multicast. Control thread only.
 */
int vxlan_neigh_learn(struct vxlan_neigh_cache *nc, uint32_t ip, const uint8_t mac[6],
		      uint64_t now_ms);

/**
 * Advance the cache to 'now_ms': write up to 'max' ARP requests to send
 * now into 'out' and return how many. INCOMPLETE entries are requested
 * every retrans_ms until max_probes, then become FAILED; REACHABLE entries
 * older than reachable_ms become STALE; used STALE entries get refresh
 * requests. FAILED entries are removed after failed_ms, unused STALE ones
 * after gc_stale_ms. Requests that do not fit in 'max' stay due for the
 * next call. Control thread only; call at least every retrans_ms.
 */
unsigned vxlan_neigh_tick(struct vxlan_neigh_cache *nc, uint64_t now_ms, struct vxlan_arp_req *out,
			  unsigned max);

/**
 * Copy up to 'max' entries into 'out', with ages relative to 'now_ms',
 * and return how many were written (in no particular order). Control
 * thread only.
 */
unsigned vxlan_neigh_dump(const struct vxlan_neigh_cache *nc, uint64_t now_ms,
			  struct vxlan_neigh_info *out, unsigned max);

/** The number of entries in 'nc'. */
unsigned vxlan_neigh_count(const struct vxlan_neigh_cache *nc);

/** Copy the counters of 'nc' into 'out'. */
void vxlan_neigh_get_stats(const struct vxlan_neigh_cache *nc, struct vxlan_neigh_stats *out);

/** "INCOMPLETE", "REACHABLE", "STALE", "FAILED", or "?" for anything else. */
const char *vxlan_neigh_state_name(enum vxlan_neigh_state state);

/* ------------------------------------------------------------------ */
/* ARP frames (RFC 826 over Ethernet)                                   */
/* ------------------------------------------------------------------ */

/** Bytes in an untagged Ethernet ARP frame, without padding to 60. */
#define VXLAN_ARP_FRAME_SIZE 42

/** ARP opcodes (RFC 826 ar$op). */
#define VXLAN_ARP_OP_REQUEST 1
#define VXLAN_ARP_OP_REPLY   2

/** A parsed Ethernet/IPv4 ARP packet, addresses in host order. */
struct vxlan_arp {
	uint16_t op;       /* VXLAN_ARP_OP_REQUEST or VXLAN_ARP_OP_REPLY. */
	uint8_t sha[6];    /* Sender hardware address. */
	uint32_t spa;      /* Sender protocol address. */
	uint8_t tha[6];    /* Target hardware address. */
	uint32_t tpa;      /* Target protocol address. */
	bool tagged;       /* The frame carried one 802.1Q tag. */
	uint16_t vlan_tci; /* Its TCI (PCP, DEI, VID); 0 when untagged. */
};

/**
 * Write into 'buf' (at least VXLAN_ARP_FRAME_SIZE bytes) an untagged
 * Ethernet broadcast ARP request from 'src_mac'/'src_ip' asking for
 * 'target_ip' (target hardware address zero). Returns
 * VXLAN_ARP_FRAME_SIZE. The frame is not padded to the 60-byte Ethernet
 * minimum; ports that do not pad must do so.
 */
size_t vxlan_arp_request_build(uint8_t *buf, const uint8_t src_mac[6], uint32_t src_ip,
			       uint32_t target_ip);

/**
 * Parse the Ethernet frame 'frame' ('len' bytes, borrowed), untagged or
 * with one 802.1Q tag, into 'out'. Returns 0, or -EINVAL when it is
 * truncated, not ARP, not Ethernet/IPv4 ARP (htype 1, ptype 0x0800, hlen
 * 6, plen 4), or neither a request nor a reply. Trailing padding is
 * ignored.
 */
int vxlan_arp_parse(const uint8_t *frame, size_t len, struct vxlan_arp *out);

#endif /* VIREO_VXLAN_NEIGH_H */
