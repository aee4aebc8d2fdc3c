/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fdb.h - the MAC learning table behind the NORMAL action.
 *
 * One table serves every bridge of the datapath: entries are keyed on
 * (bridge, VLAN, MAC), so a MAC can live in several bridges and VLANs at
 * once.  The control thread is the only writer (learn, move, age, flush);
 * PMD threads only look up, lock-free, through DPDK's rte_hash in its
 * RW_CONCURRENCY_LF mode.  The one field a PMD writes is an entry's
 * 'used' tick, a plain store that keeps a live MAC from aging out.
 *
 * Deleted entries are handed back only after an RCU (QSBR) grace period,
 * so a PMD never reads an entry that has been reused under it.
 *
 * Learning itself happens on the control thread: a PMD that sees an
 * unknown or moved source MAC sends an upcall, and control calls
 * fdb_learn().  Until then the MAC's frames are flooded, as in Open
 * vSwitch, whose NORMAL learning also happens in the slow path.
 */
#ifndef VIREO_DATAPATH_FDB_H
#define VIREO_DATAPATH_FDB_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct fdb;
struct rte_rcu_qsbr;

/** Lookup key; build it with fdb_key_init() so the padding is zero. */
struct fdb_key {
	uint8_t mac[6];  /* the station's MAC */
	uint16_t vlan;   /* VLAN id, 0 for untagged bridges */
	uint16_t bridge; /* datapath bridge index */
	uint8_t pad[6];  /* always zero: the hash reads it; 16 bytes compare fastest */
};

/** One learned (or static) station. */
struct fdb_entry {
	uint64_t used;   /* tick the MAC was last seen as a source; PMDs write it */
	uint16_t port;   /* datapath port index the MAC lives behind */
	uint16_t bridge; /* datapath bridge index */
	uint16_t vlan;   /* VLAN id */
	uint8_t mac[6];  /* the station's MAC */
	bool is_static;  /* added by fdb_add_static(): never ages, never moves */
	bool in_use;     /* slot holds a live entry */
};

/** What fdb_learn() did. */
enum fdb_learn_result {
	FDB_LEARNED = 0,   /* new entry */
	FDB_MOVED = 1,     /* known MAC seen on another port: entry moved */
	FDB_REFRESHED = 2, /* known MAC on the same port: only 'used' changed */
	FDB_STATIC = 3,    /* a static entry exists: left as it is */
};

/** Fills 'key' for ('bridge', 'vlan', 'mac'). */
static inline void
fdb_key_init(struct fdb_key *key, uint16_t bridge, uint16_t vlan, const uint8_t mac[6])
{
	memcpy(key->mac, mac, 6);
	key->vlan = vlan;
	key->bridge = bridge;
	memset(key->pad, 0, sizeof(key->pad));
}

/**
 * Creates a table for up to 'capacity' entries.  'qsv' is the RCU
 * variable the PMDs report to; with NULL, deleted entries are reused at
 * once (single-threaded use, as in unit tests).  Needs the EAL.
 * Returns 0 and a new table in '*out', or -errno.  Control thread only.
 */
int fdb_create(uint32_t capacity, struct rte_rcu_qsbr *qsv, struct fdb **out);

/** Frees 'fdb' (NULL is fine).  No PMD may be using it. */
void fdb_destroy(struct fdb *fdb);

/**
 * Records that 'mac' in ('bridge', 'vlan') was seen on 'port' at 'now'.
 * Returns an enum fdb_learn_result, or -ENOSPC when the table is full.
 * Control thread only.
 */
int fdb_learn(struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6], uint16_t port,
	      uint64_t now);

/**
 * Adds or replaces a static entry (ovs-appctl fdb/add): it never ages and
 * learning never moves it.  Returns 0 or -ENOSPC.  Control thread only.
 */
int fdb_add_static(struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6],
		   uint16_t port);

/** Removes one entry.  Returns 0 or -ENOENT.  Control thread only. */
int fdb_del(struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6]);

/**
 * Removes every dynamic entry of bridge 'b' not seen for more than
 * 'max_idle[b]' ticks before 'now'.  'max_idle' has one slot per bridge
 * index below 'n_bridges'; entries of other bridges are left alone.
 * Returns how many were removed.  Control thread only.
 */
unsigned fdb_age(struct fdb *fdb, uint64_t now, const uint64_t *max_idle, uint16_t n_bridges);

/**
 * Removes entries of 'bridge' (or any bridge when negative) behind 'port'
 * (or any port when negative), static ones included.  Returns how many.
 * Control thread only.
 */
unsigned fdb_flush(struct fdb *fdb, int bridge, int port);

/** The entry for ('bridge', 'vlan', 'mac'), or NULL.  Control thread only. */
const struct fdb_entry *fdb_find(const struct fdb *fdb, uint16_t bridge, uint16_t vlan,
				 const uint8_t mac[6]);

/**
 * A counter that changes whenever a lookup could give a different answer:
 * an entry added, moved, or removed (not when only 'used' changes).  PMD
 * caches of forwarding decisions compare it.  Any thread.
 */
uint64_t fdb_generation(const struct fdb *fdb);

/** Number of live entries. */
uint32_t fdb_count(const struct fdb *fdb);

/** Number of entry slots, for walking the table with fdb_entry_at(). */
uint32_t fdb_capacity(const struct fdb *fdb);

/** Slot 'i' if it holds a live entry, else NULL.  Control thread only. */
const struct fdb_entry *fdb_entry_at(const struct fdb *fdb, uint32_t i);

/**
 * Looks up 'n' keys (at most 32) at once and stores each entry, or NULL,
 * in 'out'.  Any PMD, lock-free; the entries stay valid until the caller
 * next reports a quiescent state.
 */
void fdb_lookup_bulk(const struct fdb *fdb, const struct fdb_key **keys, unsigned n,
		     struct fdb_entry **out);

#endif
