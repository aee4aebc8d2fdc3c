/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_priv.h - internals shared by dp.c (control side), pmd.c (the poll
 * loop), pipeline.c (NORMAL) and of_exec.c (OpenFlow pipelines).
 */
#ifndef VIREO_DATAPATH_DP_PRIV_H
#define VIREO_DATAPATH_DP_PRIV_H

#include "datapath/dp.h"
#include "datapath/dp_flow.h"
#include "datapath/fdb.h"

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_spinlock.h>

#define DP_BURST_MAX        32     /* frames per rx burst, and per tx batch */
#define DP_UPCALL_RING_SIZE 4096   /* upcalls one PMD may have pending */
#define DP_LEARN_CACHE_SIZE 256    /* per-PMD memory of learn upcalls sent */
#define DP_MAX_TXQ          64     /* tx queues per port the datapath uses */
#define DP_EMC_SIZE         4096   /* per-PMD exact-match cache entries (power of 2) */
#define DP_EMC_FLOOD        0xfffe /* cached decision: flood */
#define DP_EMC_SAME_PORT    0xfffd /* cached decision: drop, destination is behind input */
#define DP_OFEMC_SIZE       8192   /* per-PMD OpenFlow exact-match cache entries (power of 2) */
#define DP_OFEMC_OUT        4      /* outputs a cache entry replays without the walk */
#define DP_RXQ_USE_QUEUES   16     /* rx queues per port whose PMD usage is measured */
#define DP_PKTOUT_RING_SIZE 256    /* packet-outs control may have pending per PMD */
#define DP_PKTOUT_MAX_SIZE  9216   /* largest packet-out frame */
#define DP_RECIRC_MAX       2048   /* encapsulated frames one PMD holds for the underlay */
#define DP_RECIRC_ROUNDS    3      /* underlay passes per poll before a loop is assumed */

/*
 * Why the datapath dropped a frame: X(ENUM, "name").  Each drop is
 * counted per PMD under one of these; pmd-stats shows them.
 */
#define DP_DROP_REASONS(X)                                                                      \
	X(RUNT, "runt")               /* shorter than its L2 headers */                         \
	X(NO_BRIDGE, "no_bridge")     /* input port disabled or in no bridge */                 \
	X(SAME_PORT, "same_port")     /* destination learned on input port */                   \
	X(NO_OUTPUT, "no_output")     /* flood with no other port to go to */                   \
	X(TX_FULL, "tx_full")         /* output device had no room */                           \
	X(VLAN, "vlan")               /* VLAN not allowed on the port */                        \
	X(NO_MBUF, "no_mbuf")         /* no buffer for a re-tagged flood copy */                \
	X(NO_HEADROOM, "no_headroom") /* no room to push a tag */                               \
	X(NO_MATCH, "no_match")       /* OpenFlow table miss, no miss rule */                   \
	X(TTL, "ttl_expired")         /* dec_nw_ttl on a TTL of 0 or 1 */                       \
	X(PORT_CFG, "port_config")    /* OFPPC_NO_RECV in, OFPPC_NO_FWD out */                  \
	X(UPCALL, "upcall_full")      /* packet-in lost to a full upcall ring */                \
	X(OF_ACTION, "of_drop")       /* OpenFlow actions sent it nowhere */                    \
	X(TNL_NO_PORT,                                                                          \
	  "tunnel_no_port") /* VXLAN to a local VTEP, no tunnel port takes its VNI/remote */    \
	X(TNL_BAD, "tunnel_malformed")     /* VXLAN to a local VTEP, refused by the parse */    \
	X(TNL_TOO_BIG, "tunnel_too_big")   /* encapsulated, it would exceed the underlay MTU */ \
	X(TNL_NO_NEIGH, "tunnel_no_neigh") /* the tunnel's next hop is not resolved (yet) */    \
	X(TNL_LOOP, "tunnel_loop") /* encapsulated again and again, or the backlog was full */

#define DP_DROP_ENUM(e, s) DP_DROP_##e,
enum dp_drop { DP_DROP_REASONS(DP_DROP_ENUM) DP_DROP_MAX };
#undef DP_DROP_ENUM

/** A port as the datapath keeps it while its device is open. */
struct dp_port {
	char name[DP_PORT_NAME_SIZE];        /* port name, for messages */
	struct rte_device *device;           /* the probed device, for removal */
	uint16_t ethdev;                     /* DPDK port id */
	uint16_t n_rxq;                      /* rx queues configured */
	uint16_t n_txq;                      /* tx queues configured */
	bool open;                           /* slot in use */
	bool txq_shared;                     /* PMDs may share a tx queue: lock them */
	bool is_vhost;                       /* vhost-user: queues come and go */
	bool is_tunnel;                      /* a VXLAN tunnel: no device, output encapsulated */
	bool event;                          /* a device event awaits dp_port_events() */
	bool link_up;                        /* link as of the last event */
	uint64_t rxq_on;                     /* vhost: rx queues enabled, bit per queue */
	uint64_t txq_on;                     /* vhost: tx queues enabled, bit per queue */
	uint16_t txq_map[DP_MAX_PMDS];       /* tx queue each PMD sends on */
	rte_spinlock_t txq_lock[DP_MAX_TXQ]; /* used only when 'txq_shared' */
	struct dp_port_stats base;           /* counters when opened, subtracted */
};

/** Per-PMD, per-port counters; written by one PMD only, no atomics. */
struct dp_pstats {
	uint64_t rx_packets; /* frames received */
	uint64_t rx_bytes;   /* their bytes */
	uint64_t rx_dropped; /* dropped on input */
	uint64_t tx_packets; /* frames sent */
	uint64_t tx_bytes;   /* their bytes */
	uint64_t tx_dropped; /* frames the device refused */
};

/** Frames waiting to be sent to one port. */
struct dp_txbuf {
	uint16_t n;                          /* frames in 'pkts' */
	struct rte_mbuf *pkts[DP_BURST_MAX]; /* owned until sent or freed */
};

/** What a PMD remembers of a learn upcall, to avoid repeating it. */
struct dp_learn_memo {
	uint64_t tick;      /* when it was sent */
	struct fdb_key key; /* for which station */
	uint16_t port;      /* seen on which port */
};

/*
 * One cached NORMAL decision: what to do with frames from 'in_port' in
 * 'vlan' from 'src' to 'dst'.  Valid only under the MAC table generation
 * and the tables it was filled under, so a learned, moved or forgotten MAC
 * or a republished table is never answered from a stale entry.  Filled
 * only when the source is already learned on 'in_port'.
 */
struct dp_emc_entry {
	uint64_t gen;              /* fdb_generation() when filled */
	const struct dp_tables *t; /* tables when filled */
	struct fdb_entry *src_e;   /* the source's entry, to refresh its age */
	uint64_t src;              /* source MAC, as a 48-bit integer */
	uint64_t dst;              /* destination MAC, as a 48-bit integer */
	uint16_t in_port;          /* input port */
	uint16_t vlan;             /* VLAN in the bridge */
	uint16_t out;              /* output port, DP_EMC_FLOOD or DP_EMC_SAME_PORT */
};

/*
 * One cached OpenFlow walk: the rules a frame with flow key 'key' hits,
 * table after table.  The walk is a function of the key and the classifier
 * alone (ops that rewrite the key are part of the rules), so replaying the
 * rules' ops gives the same result as looking them up again.  Valid only
 * for the classifier 'cls' published at sequence 'seq': a classifier
 * reallocated at the same address has another sequence.
 */
struct dp_ofemc_entry {
	struct dp_flow_key key;     /* the flow key as extracted on input */
	const struct dp_cls *cls;   /* classifier when filled; NULL: empty */
	uint64_t seq;               /* dp->cls_seq when filled */
	const struct dp_tables *t;  /* tables the outputs below were chosen under */
	uint32_t n_rules;           /* entries in 'rules' */
	uint8_t plain;              /* the walk only chose outputs: 'out' is its result */
	uint8_t n_out;              /* entries in 'out' (0: dropped, counted under 'why') */
	uint8_t why;                /* enum dp_drop when 'n_out' is 0 */
	uint8_t pad;                /* zero */
	uint16_t out[DP_OFEMC_OUT]; /* datapath output ports, in order */
	int32_t rules[DP_WALK_MAX]; /* rule per table visited; -1: a miss (the last) */
};

/** One packet-out on its way from control to a PMD. */
struct dp_pktout {
	struct rte_mbuf *m;                  /* the frame; owned by the ring's reader */
	uint16_t bridge;                     /* datapath bridge */
	uint16_t in_port;                    /* datapath input port, DP_PORT_NONE: controller */
	uint16_t n_ops;                      /* entries in 'ops' */
	uint16_t pad;                        /* zero */
	struct dp_action ops[DP_PKTOUT_OPS]; /* the packet-out's actions */
};

/** Frames encapsulated by a PMD, waiting to run through their underlay bridge. */
struct dp_recirc {
	uint16_t n;                 /* entries */
	uint16_t in[DP_RECIRC_MAX]; /* datapath input port of each: the underlay's internal port */
	struct rte_mbuf *m[DP_RECIRC_MAX]; /* the frames */
};

/*
 * Tunnel metadata of a frame, in an mbuf dynamic field: set on
 * decapsulation, zeroed on input on other ports of bridges with tunnels,
 * written by set_field tunnel_id / tun_dst, read on encapsulation.
 */
struct dp_tnl_md {
	uint64_t tun_id;  /* tunnel_id: the VNI */
	uint32_t tun_src; /* outer source (remote VTEP on input), host order */
	uint32_t tun_dst; /* outer destination (the remote for remote_ip=flow), host order */
};

extern int dp_tnl_md_offset; /* of the dynamic field, set by dp_tnl_md_register() */

/** Registers the tunnel metadata field (dp_create() does); 0 or -errno. */
int dp_tnl_md_register(void);

static inline struct dp_tnl_md *
dp_tnl_md(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, dp_tnl_md_offset, struct dp_tnl_md *);
}

/** One poll-mode thread; each lives on its own cache lines. */
/** What one PMD spent on one rx queue (pmd-rxq-show). */
struct dp_rxq_use {
	uint64_t packets; /* frames taken from it by this PMD */
	uint64_t cycles;  /* TSC ticks spent on them: receive, pipeline and send */
	uint64_t mark;    /* 'cycles' when the current interval began */
	uint64_t last;    /* ticks spent in the last whole interval */
};

struct pmd {
	struct dp *dp;                         /* owner */
	unsigned idx;                          /* PMD index, also its RCU thread id */
	unsigned lcore;                        /* EAL lcore it runs on */
	struct rte_ring *upcalls;              /* to control, single producer */
	struct rte_ring *pktout;               /* packet-outs from control, single consumer */
	uint64_t learn_refresh;                /* ticks between 'used' refreshes */
	uint64_t learn_repeat;                 /* ticks before a learn upcall repeats */
	uint64_t rx_packets;                   /* frames received */
	uint64_t busy_cycles;                  /* cycles in bursts with frames */
	uint64_t idle_cycles;                  /* cycles polling empty queues */
	uint64_t upcall_dropped;               /* upcalls lost to a full ring */
	uint64_t emc_hits;                     /* frames decided by an exact-match cache */
	uint64_t emc_misses;                   /* frames that needed the MAC table or classifier */
	uint64_t drops[DP_DROP_MAX];           /* frames dropped, by reason */
	unsigned n_rxq;                        /* rx queues polled, for pmd-stats */
	const struct dp_tables *t;             /* tables of the current iteration */
	uint64_t now;                          /* time of the current iteration */
	uint32_t tnl_miss_ip;                  /* last remote asked for with a TNL_MISS upcall */
	uint64_t tnl_miss_tick;                /* when */
	uint16_t n_dirty;                      /* ports with frames in 'tx' */
	uint16_t dirty[DP_MAX_PORTS];          /* those ports */
	struct dp_txbuf tx[DP_MAX_PORTS];      /* output batches, by port */
	struct dp_pstats pstats[DP_MAX_PORTS]; /* counters, by port */
	struct dp_learn_memo learn[DP_LEARN_CACHE_SIZE]; /* recent learn upcalls */
	struct dp_emc_entry emc[DP_EMC_SIZE];            /* NORMAL decisions */
	struct dp_ofemc_entry ofemc[DP_OFEMC_SIZE];      /* OpenFlow walks */
	struct dp_recirc recirc;                         /* encapsulated, for the underlay */
	uint64_t use_epoch;                              /* TSC when the current interval began */
	uint64_t use_period;                             /* TSC ticks of an interval */
	uint64_t use_last;                               /* TSC ticks of the last whole interval */
	struct dp_rxq_use use[DP_MAX_PORTS][DP_RXQ_USE_QUEUES]; /* by port and queue */
} __rte_cache_aligned;

/** The datapath. */
struct dp {
	struct dp_params params;              /* as created */
	struct rte_mempool *pool;             /* packet buffers */
	struct rte_rcu_qsbr *qsv;             /* PMDs report quiescent states here */
	struct fdb *fdb;                      /* MAC learning table */
	uint64_t fdb_bytes;                   /* DPDK heap it took when made */
	struct dp_tables *tables;             /* what PMDs read; RCU-published */
	struct dp_cls *cls[DP_MAX_BRIDGES];   /* classifier by bridge, NULL: NORMAL; RCU */
	uint64_t cls_seq;                     /* bumped before each classifier publish */
	struct dp_port ports[DP_MAX_PORTS];   /* by datapath port index */
	unsigned n_pmds;                      /* PMD threads */
	struct pmd *pmds[DP_MAX_PMDS];        /* by PMD index */
	uint16_t by_ethdev[RTE_MAX_ETHPORTS]; /* datapath port of each ethdev, for events */
	bool stop;                            /* asks PMDs to return */
	bool running;                         /* PMDs launched */
};

/** The poll loop; EAL lcore entry point with a struct pmd *. */
int pmd_main(void *arg);

/**
 * Runs 'n' frames that arrived on port 'in_port' through the pipeline:
 * the bridge's OpenFlow tables, or NORMAL when it has none.  Consumes them.
 */
void pipeline_process(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		      struct rte_mbuf **pkts, uint16_t n, uint64_t now);

/**
 * The NORMAL action on 'n' frames of input port 'in_port' (attached to a
 * bridge, enabled), each in the VLAN its current header gives it on that
 * port.  Consumes them; PMD only.
 */
void pipeline_normal(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		     struct rte_mbuf **pkts, uint16_t n, uint64_t now);

/**
 * Runs 'n' frames of 'in_port' through classifier 'cls' (built, not
 * NORMAL-only), with the per-PMD exact-match cache in front.  Consumes
 * them; PMD only (of_exec.c).
 */
void of_exec_burst(struct pmd *pmd, const struct dp_tables *t, const struct dp_cls *cls,
		   uint16_t in_port, struct rte_mbuf **pkts, uint16_t n, uint64_t now);

/** Executes the packet-outs waiting in 'pmd->pktout'; PMD only (of_exec.c). */
void of_exec_pktout_drain(struct pmd *pmd, const struct dp_tables *t, uint64_t now);

/**
 * Encapsulates the frames batched for tunnel port 'port' and queues them
 * in 'pmd->recirc' for their underlay bridge (tunnel.c).
 */
void tnl_flush_port(struct pmd *pmd, uint16_t port);

/**
 * Runs the frames queued in 'pmd->recirc' through their underlay bridges;
 * pass 'round' DP_RECIRC_ROUNDS or more drops them (tunnel.c).
 */
void tnl_recirc_run(struct pmd *pmd, unsigned round);

/**
 * Takes the VXLAN frames for a local VTEP out of the burst of 'vtep' port
 * 'in_port', decapsulates them and runs them through their tunnel ports'
 * bridges; sends ARP frames to control as upcalls (the frames stay).
 * Compacts 'pkts' to what is left and returns how many (tunnel.c).
 */
uint16_t tnl_rx(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		struct rte_mbuf **pkts, uint16_t n, uint64_t now);

/** Sends the frames batched for 'port'; it stays in the dirty list. */
void pmd_flush_port(struct pmd *pmd, uint16_t port);

/** Sends every frame batched in 'pmd->tx'. */
void pmd_flush(struct pmd *pmd);

/** Queues 'm' (consumed) for output to 'port'; sends the batch when full. */
static inline void
pmd_tx(struct pmd *pmd, uint16_t port, struct rte_mbuf *m)
{
	struct dp_txbuf *b = &pmd->tx[port];

	if (b->n == 0) {
		pmd->dirty[pmd->n_dirty++] = port;
	} else if (unlikely(b->n == DP_BURST_MAX)) {
		/* The port stays in the dirty list: the frame below refills it. */
		pmd_flush_port(pmd, port);
	}
	b->pkts[b->n++] = m;
}

#endif
