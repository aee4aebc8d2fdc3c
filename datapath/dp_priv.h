/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_priv.h - internals shared by dp.c (control side), pmd.c (the poll
 * loop) and pipeline.c (what happens to a burst).
 */
#ifndef VIREO_DATAPATH_DP_PRIV_H
#define VIREO_DATAPATH_DP_PRIV_H

#include "datapath/dp.h"
#include "datapath/fdb.h"

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>

#define DP_BURST_MAX        32     /* frames per rx burst, and per tx batch */
#define DP_UPCALL_RING_SIZE 4096   /* upcalls one PMD may have pending */
#define DP_LEARN_CACHE_SIZE 256    /* per-PMD memory of learn upcalls sent */
#define DP_MAX_TXQ          64     /* tx queues per port the datapath uses */
#define DP_EMC_SIZE         4096   /* per-PMD exact-match cache entries (power of 2) */
#define DP_EMC_FLOOD        0xfffe /* cached decision: flood */
#define DP_EMC_SAME_PORT    0xfffd /* cached decision: drop, destination is behind input */

/*
 * Why the datapath dropped a frame: X(ENUM, "name").  Each drop is
 * counted per PMD under one of these; pmd-stats shows them.
 */
#define DP_DROP_REASONS(X)                                                       \
	X(RUNT, "runt")               /* shorter than its L2 headers */          \
	X(NO_BRIDGE, "no_bridge")     /* input port disabled or in no bridge */  \
	X(SAME_PORT, "same_port")     /* destination learned on input port */    \
	X(NO_OUTPUT, "no_output")     /* flood with no other port to go to */    \
	X(TX_FULL, "tx_full")         /* output device had no room */            \
	X(VLAN, "vlan")               /* VLAN not allowed on the port */         \
	X(NO_MBUF, "no_mbuf")         /* no buffer for a re-tagged flood copy */ \
	X(NO_HEADROOM, "no_headroom") /* no room to push a tag */

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

/** One poll-mode thread; each lives on its own cache lines. */
struct pmd {
	struct dp *dp;                         /* owner */
	unsigned idx;                          /* PMD index, also its RCU thread id */
	unsigned lcore;                        /* EAL lcore it runs on */
	struct rte_ring *upcalls;              /* to control, single producer */
	uint64_t learn_refresh;                /* ticks between 'used' refreshes */
	uint64_t learn_repeat;                 /* ticks before a learn upcall repeats */
	uint64_t rx_packets;                   /* frames received */
	uint64_t busy_cycles;                  /* cycles in bursts with frames */
	uint64_t idle_cycles;                  /* cycles polling empty queues */
	uint64_t upcall_dropped;               /* upcalls lost to a full ring */
	uint64_t emc_hits;                     /* frames decided by the exact-match cache */
	uint64_t emc_misses;                   /* frames that needed the MAC table */
	uint64_t drops[DP_DROP_MAX];           /* frames dropped, by reason */
	unsigned n_rxq;                        /* rx queues polled, for pmd-stats */
	uint16_t n_dirty;                      /* ports with frames in 'tx' */
	uint16_t dirty[DP_MAX_PORTS];          /* those ports */
	struct dp_txbuf tx[DP_MAX_PORTS];      /* output batches, by port */
	struct dp_pstats pstats[DP_MAX_PORTS]; /* counters, by port */
	struct dp_learn_memo learn[DP_LEARN_CACHE_SIZE]; /* recent learn upcalls */
	struct dp_emc_entry emc[DP_EMC_SIZE];            /* NORMAL decisions */
} __rte_cache_aligned;

/** The datapath. */
struct dp {
	struct dp_params params;              /* as created */
	struct rte_mempool *pool;             /* packet buffers */
	struct rte_rcu_qsbr *qsv;             /* PMDs report quiescent states here */
	struct fdb *fdb;                      /* MAC learning table */
	struct dp_tables *tables;             /* what PMDs read; RCU-published */
	struct dp_port ports[DP_MAX_PORTS];   /* by datapath port index */
	unsigned n_pmds;                      /* PMD threads */
	struct pmd *pmds[DP_MAX_PMDS];        /* by PMD index */
	uint16_t by_ethdev[RTE_MAX_ETHPORTS]; /* datapath port of each ethdev, for events */
	bool stop;                            /* asks PMDs to return */
	bool running;                         /* PMDs launched */
};

/** The poll loop; EAL lcore entry point with a struct pmd *. */
int pmd_main(void *arg);

/** Runs 'n' frames that arrived on port 'in_port' through the pipeline. */
void pipeline_process(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		      struct rte_mbuf **pkts, uint16_t n, uint64_t now);

/** Sends the frames batched for 'port'; it stays in the dirty list. */
void pmd_flush_port(struct pmd *pmd, uint16_t port);

/** Sends every frame batched in 'pmd->tx'. */
void pmd_flush(struct pmd *pmd);

#endif
