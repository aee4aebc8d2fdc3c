/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp.h - the datapath as the control plane sees it.
 *
 * The datapath owns the DPDK side of vireod: the mbuf pool, the ethdevs
 * behind every port, and one poll-mode thread (PMD) per EAL worker lcore.
 * The control plane never touches a packet; it talks to the datapath
 * only through this API:
 *
 *   - ports:    dp_port_open() / dp_port_close(), dp_port_stats();
 *   - tables:   dp_tables_alloc(), fill it, dp_publish() (RCU swap);
 *   - learning: dp_fdb() (control is its only writer);
 *   - upcalls:  dp_upcall_drain() (per-PMD rte_rings, PMD -> control).
 *
 * Everything here is for the control thread (the EAL main lcore) only.
 */
#ifndef VIREO_DATAPATH_DP_H
#define VIREO_DATAPATH_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath/vlan.h"
#include "protocols/vxlan/vxlan_hdr.h"

#define DP_MAX_PORTS      256    /* datapath port indices 0..DP_MAX_PORTS-1 */
#define DP_MAX_BRIDGES    64     /* datapath bridge indices */
#define DP_MAX_PMDS       16     /* PMD threads */
#define DP_PORT_NONE      0xffff /* no port */
#define DP_BRIDGE_NONE    0xffff /* port not attached to a bridge */
#define DP_PORT_NAME_SIZE 64     /* room for a port's name with its NUL */
#define DP_MAX_TUNNELS    64     /* VXLAN tunnel ports */
#define DP_MAX_VTEPS      16     /* local VTEP addresses (local_ip, dst_port) */
#define DP_TNL_NH_SIZE    64     /* resolved remotes for remote_ip=flow tunnels (power of 2) */
#define DP_TNL_NONE       0      /* dp_tport.tunnel of a port that is not a tunnel */

struct dp;
struct fdb;

/** Settings for dp_create(). */
struct dp_params {
	unsigned n_mbufs;      /* mbufs in the packet pool (0: default) */
	unsigned fdb_capacity; /* MAC table entries (0: default) */
	bool adaptive_poll;    /* idle PMDs back off to short sleeps */
};

/** How a published port behaves. */
struct dp_tport {
	uint32_t ofport;   /* OpenFlow port number (OFPP_LOCAL: the internal port), as
			      flows match it in in_port and packet-ins carry it */
	uint16_t bridge;   /* datapath bridge index, DP_BRIDGE_NONE: not forwarding */
	bool enabled;      /* forwards traffic (admin up) */
	bool no_recv;      /* OpenFlow OFPPC_NO_RECV: drop what comes in */
	bool no_fwd;       /* OpenFlow OFPPC_NO_FWD: send nothing out */
	bool no_packet_in; /* OpenFlow OFPPC_NO_PACKET_IN: no packet-ins from it */
	bool vtep;         /* in an underlay bridge: decapsulate VXLAN to a local VTEP,
			      snoop ARP for the tunnel neighbour cache */
	uint8_t tunnel;    /* 1 + its index in dp_tables.tunnels; DP_TNL_NONE (0): not a tunnel */
	struct vlan_port vlan; /* 802.1Q mode, tag and trunks */
};

/*
 * How a tunnel port's frames reach the underlay: encapsulated, then run
 * through the underlay bridge as if its internal port had sent them (so
 * the underlay's own forwarding picks the physical port), as Open
 * vSwitch's native tunnelling does with br-phy.
 */
struct dp_tnl_path {
	bool ready; /* neighbour resolved: 'tmpl' and 'underlay_in' hold */
	uint16_t
	    underlay_in; /* datapath port to inject from: the underlay bridge's internal port */
	uint16_t mtu;    /* underlay IP MTU */
	struct vxlan_tmpl tmpl; /* outer headers (per-packet fields patched on encapsulation) */
};

/** A VXLAN tunnel port as the datapath reads it; addresses in host order. */
struct dp_ttunnel {
	uint16_t port;           /* its datapath port index */
	bool key_flow;           /* VNI per packet, from tunnel_id metadata */
	bool remote_flow;        /* remote per packet, from tun_dst metadata */
	uint32_t vni;            /* fixed VNI (not key_flow) */
	uint32_t remote_ip;      /* fixed remote VTEP (not remote_flow) */
	uint32_t local_ip;       /* local VTEP address */
	uint16_t dst_port;       /* UDP destination port */
	uint8_t tos;             /* outer TOS */
	uint8_t ttl;             /* outer TTL */
	bool df;                 /* outer Don't Fragment */
	struct dp_tnl_path path; /* fixed remote: how to reach it */
};

/** One resolved remote of remote_ip=flow tunnels: the path to 'remote_ip'. */
struct dp_tnl_nh {
	uint32_t remote_ip;   /* 0: empty slot */
	uint32_t local_ip;    /* source address towards it */
	uint16_t underlay_in; /* as dp_tnl_path */
	uint16_t mtu;         /* as dp_tnl_path */
	uint8_t src_mac[6];   /* underlay internal port's MAC */
	uint8_t dst_mac[6];   /* next hop's MAC */
};

/** A local VTEP: VXLAN frames to it are decapsulated on 'vtep' ports. */
struct dp_tvtep {
	uint32_t local_ip; /* host order */
	uint16_t dst_port; /* UDP port */
};

/** A published bridge: its member ports, the flood set. */
struct dp_tbridge {
	bool has_tunnels;             /* some port is a tunnel: frames carry tunnel metadata */
	uint16_t n_ports;             /* entries in 'ports' */
	uint16_t ports[DP_MAX_PORTS]; /* datapath port indices */
};

#define DP_MAX_RXQ_PER_PMD 256 /* rx queues one PMD may poll */

/** One rx queue a PMD polls. */
struct dp_rxq {
	uint16_t port;  /* datapath port index */
	uint16_t queue; /* rx queue of its device */
};

/** Which PMD polls which rx queues; computed by dp_publish(). */
struct dp_rxq_map {
	uint16_t n_rxq[DP_MAX_PMDS];                        /* queues per PMD */
	struct dp_rxq rxq[DP_MAX_PMDS][DP_MAX_RXQ_PER_PMD]; /* the queues */
};

/** A snapshot of everything the PMDs read; build it whole, then publish. */
struct dp_tables {
	struct dp_tport ports[DP_MAX_PORTS];       /* by datapath port index */
	struct dp_tbridge bridges[DP_MAX_BRIDGES]; /* by datapath bridge index */
	uint16_t n_tunnels;                        /* entries in 'tunnels' */
	struct dp_ttunnel tunnels[DP_MAX_TUNNELS]; /* tunnel ports */
	uint16_t n_vteps;                          /* entries in 'vteps' */
	struct dp_tvtep vteps[DP_MAX_VTEPS];       /* local VTEPs */
	struct dp_tnl_nh tnl_nh[DP_TNL_NH_SIZE]; /* remotes of remote_ip=flow, by hash of the IP */
	struct dp_rxq_map rxqs;                  /* filled in by dp_publish() */
};

/** The slot of dp_tables.tnl_nh where 'remote_ip' belongs (open addressing from here). */
static inline unsigned
dp_tnl_nh_slot(uint32_t remote_ip)
{
	return (remote_ip * 2654435761u) >> 26; /* top 6 bits: DP_TNL_NH_SIZE 64 */
}

/** Per-port counters, as dump-ports shows them. */
struct dp_port_stats {
	uint64_t rx_packets; /* frames taken from the port */
	uint64_t rx_bytes;   /* their bytes */
	uint64_t rx_dropped; /* refused by the datapath, or missed by the device */
	uint64_t rx_errors;  /* device receive errors */
	uint64_t tx_packets; /* frames the device accepted */
	uint64_t tx_bytes;   /* their bytes */
	uint64_t tx_dropped; /* frames the device had no room for */
	uint64_t tx_errors;  /* device transmit errors */
};

/** Kinds of message a PMD sends to control. */
enum dp_upcall_type {
	DP_UPCALL_LEARN = 1,     /* a source MAC is unknown or has moved */
	DP_UPCALL_PACKET_IN = 2, /* a CONTROLLER op: a packet for the controller */
	DP_UPCALL_ARP = 3,       /* an ARP frame seen on a 'vtep' port (tunnel neighbours) */
	DP_UPCALL_TNL_MISS = 4,  /* a remote_ip=flow tunnel needs a path to remote_ip */
};

struct rte_mbuf;

/** One upcall; fixed size, copied through the ring, nothing allocated. */
struct dp_upcall {
	uint8_t type;    /* enum dp_upcall_type */
	uint8_t pmd;     /* sending PMD */
	uint16_t port;   /* datapath port index the frame came in on (DP_PORT_NONE: packet-out) */
	uint16_t bridge; /* its bridge */
	uint16_t vlan;   /* LEARN: its VLAN */
	uint8_t mac[6];  /* LEARN: the source MAC */
	uint16_t pad;    /* zero */
	/* DP_UPCALL_PACKET_IN only: */
	uint8_t reason;       /* OFPR_NO_MATCH (a table-miss rule) or OFPR_ACTION */
	uint8_t table_id;     /* table of the rule that sent it */
	uint16_t max_len;     /* the op's max_len (0xffff: whole frame) */
	uint32_t in_ofport;   /* OpenFlow input port (OFPP_CONTROLLER for packet-out) */
	uint64_t cookie;      /* cookie of the rule */
	uint64_t metadata;    /* metadata when it was sent */
	uint64_t tunnel_id;   /* tunnel id of the input, 0 if none */
	uint32_t total_len;   /* frame length when it was sent */
	uint32_t remote_ip;   /* DP_UPCALL_TNL_MISS: the remote to resolve, host order */
	struct rte_mbuf *pkt; /* a copy of the frame; see dp_upcall_data()/dp_upcall_release() */
};

/** Per-PMD figures for pmd-stats. */
struct dp_pmd_info {
	unsigned lcore;          /* EAL lcore id */
	uint64_t rx_packets;     /* frames received */
	uint64_t busy_cycles;    /* TSC cycles spent on bursts with frames */
	uint64_t idle_cycles;    /* TSC cycles spent polling empty queues */
	uint64_t upcall_dropped; /* upcalls lost to a full ring */
	uint64_t emc_hits;       /* frames decided by the exact-match cache */
	uint64_t emc_misses;     /* frames that needed the MAC table */
	unsigned n_rxq;          /* rx queues it polls */
};

/**
 * Creates the datapath after rte_eal_init(): pool, MAC table, RCU, one
 * PMD per worker lcore (not yet running).  Returns 0 and '*out' or -errno.
 */
int dp_create(const struct dp_params *params, struct dp **out);

/** Launches the PMDs on their lcores.  Returns 0 or -errno. */
int dp_start(struct dp *dp);

/** Stops the PMDs, closes every port and frees 'dp' (NULL is fine). */
void dp_destroy(struct dp *dp);

/** Number of PMD threads. */
unsigned dp_n_pmds(const struct dp *dp);

/** How to open a port. */
struct dp_port_params {
	const char *name;    /* port name, for messages */
	const char *devargs; /* as given to --vdev or -a, e.g. "net_tap3,iface=c1" */
	uint16_t mtu;        /* 0: keep the device's own */
};

/**
 * Opens the DPDK device of 'pp' and starts it.  Every rx queue the device
 * has is polled (vhost-user: as many as the guest may enable); each PMD
 * gets a tx queue of its own where the device has enough, else PMDs share
 * them under a lock.  A device that must live in another network
 * namespace is opened while the caller's thread is in it.  Returns 0 and
 * the datapath port index in '*idx', or -errno with one line in 'err'.
 * The port forwards nothing until published.
 */
int dp_port_open(struct dp *dp, const struct dp_port_params *pp, uint16_t *idx, char *err,
		 size_t err_size);

/**
 * Stops and removes port 'idx'.  The caller must first have published
 * tables in which the port is disabled.
 */
void dp_port_close(struct dp *dp, uint16_t idx);

/** Current counters of port 'idx'.  Returns 0 or -ENODEV. */
int dp_port_stats(struct dp *dp, uint16_t idx, struct dp_port_stats *out);

/** Whether port 'idx' reports link up. */
bool dp_port_link_up(struct dp *dp, uint16_t idx);

/** What show tells about a port's device. */
struct dp_port_info {
	bool link_up;      /* link (vhost-user: a guest is attached) */
	bool is_vhost;     /* a vhost-user device */
	uint16_t n_rxq;    /* rx queues configured */
	uint16_t n_txq;    /* tx queues configured */
	uint16_t n_rxq_on; /* vhost: rx queues the guest enabled */
	uint16_t n_txq_on; /* vhost: tx queues the guest enabled */
};

/**
 * Opens a VXLAN tunnel port named 'name': a datapath port with no device,
 * whose output is encapsulated as dp_tables.tunnels says.  Returns 0 and
 * the index in '*idx', or -ENOSPC.
 */
int dp_port_open_tunnel(struct dp *dp, const char *name, uint16_t *idx, char *err, size_t err_size);

/** Fills 'out' for port 'idx'.  Returns 0 or -ENODEV. */
int dp_port_info(struct dp *dp, uint16_t idx, struct dp_port_info *out);

/**
 * Handles the device events (link changes, vhost-user queues enabled or
 * disabled) signalled since the last call: re-maps each PMD's tx queue to
 * one the guest enabled.  Stores up to 'max' indices of ports whose link
 * changed in 'changed' and returns how many.  Device events arrive on
 * DPDK's own threads; they only raise flags that this call consumes.
 */
unsigned dp_port_events(struct dp *dp, uint16_t *changed, unsigned max);

/** The MAC of port 'idx' into 'mac'.  Returns 0 or -errno. */
int dp_port_mac(struct dp *dp, uint16_t idx, uint8_t mac[6]);

/** A zeroed table snapshot with every port unattached, or NULL. */
struct dp_tables *dp_tables_alloc(void);

/**
 * Makes 't' the tables every PMD reads (consumes 't'), waits until no PMD
 * reads the previous ones, and frees them.  Returns 0 or -errno (then 't'
 * is freed and the old tables stay).
 */
int dp_publish(struct dp *dp, struct dp_tables *t);

/** The MAC learning table; control is its only writer. */
struct fdb *dp_fdb(struct dp *dp);

/** Copies up to 'max' pending upcalls from all PMDs into 'out'; returns how many. */
unsigned dp_upcall_drain(struct dp *dp, struct dp_upcall *out, unsigned max);

/** Figures of PMD 'i' (below dp_n_pmds()).  Returns 0 or -EINVAL. */
int dp_pmd_info(struct dp *dp, unsigned i, struct dp_pmd_info *out);

#define DP_RXQ_USE_SECONDS 10 /* the interval a queue's usage (dp_pmd_rxqs()) covers */

/** One rx queue a PMD polls, and what it costs that PMD. */
struct dp_rxq_info {
	uint16_t port;          /* datapath port index */
	uint16_t queue;         /* rx queue of its device */
	bool measured;          /* the cycles below are known (queue < DP_RXQ_USE_QUEUES) */
	uint64_t packets;       /* frames this PMD took from it */
	uint64_t last_cycles;   /* TSC ticks spent on it in the last whole interval */
	uint64_t last_interval; /* TSC ticks of that interval (0: none complete yet) */
};

/**
 * The rx queues PMD 'i' polls now, in its polling order: up to 'max' into
 * 'out'.  Returns how many it polls, or -EINVAL if there is no PMD 'i'.
 * Control thread (reads the tables it published).
 */
int dp_pmd_rxqs(struct dp *dp, unsigned i, struct dp_rxq_info *out, unsigned max);

/** Where the datapath's memory goes (memory/show). */
struct dp_mem_info {
	uint64_t heap_bytes;   /* DPDK heap in use (hugepages), all sockets */
	uint64_t heap_total;   /* DPDK heap reserved, all sockets */
	uint64_t fdb_bytes;    /* the MAC table's share, allocated whole at start */
	uint32_t fdb_capacity; /* MAC entries it holds */
	uint32_t fdb_count;    /* MAC entries in use */
	uint64_t pool_bytes;   /* the packet buffer pool's share */
	uint32_t n_mbufs;      /* buffers in it */
};

/** Fills 'out'.  Control thread. */
void dp_memory(struct dp *dp, struct dp_mem_info *out);

/** Datapath drop counters summed over PMDs, by reason; see dp_drop_name(). */
unsigned dp_drop_counts(struct dp *dp, uint64_t *out, unsigned n);

/** Name of drop reason 'i', or NULL past the last one. */
const char *dp_drop_name(unsigned i);

/** The datapath clock (TSC ticks) that stamps MAC table entries. */
uint64_t dp_now(void);

/** Ticks per second of dp_now(). */
uint64_t dp_hz(void);

#endif
