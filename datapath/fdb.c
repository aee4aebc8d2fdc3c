/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fdb.c - the MAC learning table (see fdb.h).
 *
 * rte_hash maps a key to a pointer into our own array of entries.  The
 * entry is filled before its key is published, and a deleted entry's
 * slot (and the hash's key slot) go back to the free lists only after
 * every PMD has passed a quiescent state, so readers never wait and
 * never see a slot reused under them.
 */
#include "datapath/fdb.h"

#include <errno.h>
#include <stdio.h>

#include <rte_atomic.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

struct fdb {
	uint64_t gen;              /* see fdb_generation() */
	struct rte_hash *hash;     /* key -> struct fdb_entry * */
	struct fdb_entry *entries; /* 'capacity' slots */
	uint32_t capacity;         /* slots in 'entries' */
	uint32_t n_entries;        /* live entries */
	uint32_t *free_slots;      /* stack of free indices into 'entries' */
	uint32_t n_free;           /* depth of 'free_slots' */
	struct rte_rcu_qsbr *qsv;  /* PMDs' RCU variable, or NULL */
	uint32_t *dead_slots;      /* entries deleted, awaiting a grace period */
	int32_t *dead_keys;        /* their hash key positions */
	uint32_t n_dead;           /* depth of 'dead_slots' and 'dead_keys' */
};

static unsigned fdb_instances;

/* Tells PMD caches that lookups may now answer differently.  Bumped after
 * the change is visible, so a cache filled from the old answer under the
 * old generation is refused once the PMD sees the new one. */
static inline void
fdb_changed(struct fdb *fdb)
{
	__atomic_fetch_add(&fdb->gen, 1, __ATOMIC_RELEASE);
}

int
fdb_create(uint32_t capacity, struct rte_rcu_qsbr *qsv, struct fdb **out)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
	    .name = name,
	    .entries = capacity < 8 ? 8 : capacity,
	    .key_len = sizeof(struct fdb_key),
	    .hash_func = rte_hash_crc,
	    .socket_id = SOCKET_ID_ANY,
	    .extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct fdb *fdb;
	uint32_t i;

	fdb = rte_zmalloc("fdb", sizeof(*fdb), 0);
	if (fdb == NULL) {
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "fdb%u",
		 __atomic_fetch_add(&fdb_instances, 1, __ATOMIC_RELAXED));
	fdb->capacity = hp.entries;
	fdb->qsv = qsv;
	fdb->hash = rte_hash_create(&hp);
	fdb->entries =
	    rte_zmalloc("fdb_entries", sizeof(*fdb->entries) * fdb->capacity, RTE_CACHE_LINE_SIZE);
	fdb->free_slots = rte_malloc("fdb_free", sizeof(uint32_t) * fdb->capacity, 0);
	fdb->dead_slots = rte_malloc("fdb_dead", sizeof(uint32_t) * fdb->capacity, 0);
	fdb->dead_keys = rte_malloc("fdb_deadk", sizeof(int32_t) * fdb->capacity, 0);
	if (fdb->hash == NULL || fdb->entries == NULL || fdb->free_slots == NULL ||
	    fdb->dead_slots == NULL || fdb->dead_keys == NULL) {
		fdb_destroy(fdb);
		return -ENOMEM;
	}
	for (i = 0; i < fdb->capacity; i++) {
		fdb->free_slots[i] = fdb->capacity - 1 - i;
	}
	fdb->n_free = fdb->capacity;
	*out = fdb;
	return 0;
}

void
fdb_destroy(struct fdb *fdb)
{
	if (fdb == NULL) {
		return;
	}
	rte_hash_free(fdb->hash);
	rte_free(fdb->entries);
	rte_free(fdb->free_slots);
	rte_free(fdb->dead_slots);
	rte_free(fdb->dead_keys);
	rte_free(fdb);
}

/* Hands deleted slots back once no PMD can still be reading them. */
static void
fdb_reclaim(struct fdb *fdb)
{
	uint32_t i;

	if (fdb->n_dead == 0) {
		return;
	}
	if (fdb->qsv != NULL) {
		rte_rcu_qsbr_synchronize(fdb->qsv, RTE_QSBR_THRID_INVALID);
	}
	for (i = 0; i < fdb->n_dead; i++) {
		rte_hash_free_key_with_position(fdb->hash, fdb->dead_keys[i]);
		fdb->free_slots[fdb->n_free++] = fdb->dead_slots[i];
	}
	fdb->n_dead = 0;
}

static struct fdb_entry *
fdb_lookup_one(const struct fdb *fdb, const struct fdb_key *key)
{
	void *data;

	if (rte_hash_lookup_data(fdb->hash, key, &data) < 0) {
		return NULL;
	}
	return data;
}

static int
fdb_insert(struct fdb *fdb, const struct fdb_key *key, uint16_t port, uint64_t now, bool is_static)
{
	struct fdb_entry *e;
	uint32_t slot;
	int ret;

	if (fdb->n_free == 0) {
		fdb_reclaim(fdb);
		if (fdb->n_free == 0) {
			return -ENOSPC;
		}
	}
	slot = fdb->free_slots[fdb->n_free - 1];
	e = &fdb->entries[slot];
	e->used = now;
	e->port = port;
	e->bridge = key->bridge;
	e->vlan = key->vlan;
	memcpy(e->mac, key->mac, 6);
	e->is_static = is_static;
	e->in_use = true;
	/* The entry is complete before its key becomes visible to PMDs. */
	ret = rte_hash_add_key_data(fdb->hash, key, e);
	if (ret < 0) {
		e->in_use = false;
		return ret == -ENOSPC ? -ENOSPC : ret;
	}
	fdb->n_free--;
	fdb->n_entries++;
	fdb_changed(fdb);
	return 0;
}

int
fdb_learn(struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6], uint16_t port,
	  uint64_t now)
{
	struct fdb_key key;
	struct fdb_entry *e;
	int ret;

	fdb_key_init(&key, bridge, vlan, mac);
	e = fdb_lookup_one(fdb, &key);
	if (e == NULL) {
		ret = fdb_insert(fdb, &key, port, now, false);
		return ret < 0 ? ret : FDB_LEARNED;
	}
	if (e->is_static) {
		return FDB_STATIC;
	}
	__atomic_store_n(&e->used, now, __ATOMIC_RELAXED);
	if (e->port == port) {
		return FDB_REFRESHED;
	}
	__atomic_store_n(&e->port, port, __ATOMIC_RELEASE);
	fdb_changed(fdb);
	return FDB_MOVED;
}

int
fdb_add_static(struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6], uint16_t port)
{
	struct fdb_key key;
	struct fdb_entry *e;

	fdb_key_init(&key, bridge, vlan, mac);
	e = fdb_lookup_one(fdb, &key);
	if (e == NULL) {
		return fdb_insert(fdb, &key, port, 0, true);
	}
	e->is_static = true;
	__atomic_store_n(&e->port, port, __ATOMIC_RELEASE);
	fdb_changed(fdb);
	return 0;
}

/* Unpublishes 'e' and queues its slots for reclaim. */
static void
fdb_remove_entry(struct fdb *fdb, struct fdb_entry *e)
{
	struct fdb_key key;
	int32_t pos;

	fdb_key_init(&key, e->bridge, e->vlan, e->mac);
	pos = rte_hash_del_key(fdb->hash, &key);
	if (pos < 0) {
		return;
	}
	e->in_use = false;
	fdb_changed(fdb);
	fdb->dead_keys[fdb->n_dead] = pos;
	fdb->dead_slots[fdb->n_dead] = (uint32_t)(e - fdb->entries);
	fdb->n_dead++;
	fdb->n_entries--;
}

int
fdb_del(struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6])
{
	struct fdb_key key;
	struct fdb_entry *e;

	fdb_key_init(&key, bridge, vlan, mac);
	e = fdb_lookup_one(fdb, &key);
	if (e == NULL) {
		return -ENOENT;
	}
	fdb_remove_entry(fdb, e);
	fdb_reclaim(fdb);
	return 0;
}

unsigned
fdb_age(struct fdb *fdb, uint64_t now, const uint64_t *max_idle, uint16_t n_bridges)
{
	unsigned removed = 0;
	uint64_t used;
	uint32_t i;

	for (i = 0; i < fdb->capacity; i++) {
		struct fdb_entry *e = &fdb->entries[i];

		if (!e->in_use || e->is_static || e->bridge >= n_bridges) {
			continue;
		}
		used = __atomic_load_n(&e->used, __ATOMIC_RELAXED);
		if (now > used && now - used > max_idle[e->bridge]) {
			fdb_remove_entry(fdb, e);
			removed++;
		}
	}
	fdb_reclaim(fdb);
	return removed;
}

unsigned
fdb_flush(struct fdb *fdb, int bridge, int port)
{
	unsigned removed = 0;
	uint32_t i;

	for (i = 0; i < fdb->capacity; i++) {
		struct fdb_entry *e = &fdb->entries[i];

		if (!e->in_use || (bridge >= 0 && e->bridge != bridge) ||
		    (port >= 0 && e->port != port)) {
			continue;
		}
		fdb_remove_entry(fdb, e);
		removed++;
	}
	fdb_reclaim(fdb);
	return removed;
}

const struct fdb_entry *
fdb_find(const struct fdb *fdb, uint16_t bridge, uint16_t vlan, const uint8_t mac[6])
{
	struct fdb_key key;

	fdb_key_init(&key, bridge, vlan, mac);
	return fdb_lookup_one(fdb, &key);
}

uint64_t
fdb_generation(const struct fdb *fdb)
{
	return __atomic_load_n(&fdb->gen, __ATOMIC_ACQUIRE);
}

uint32_t
fdb_count(const struct fdb *fdb)
{
	return fdb->n_entries;
}

uint32_t
fdb_capacity(const struct fdb *fdb)
{
	return fdb->capacity;
}

const struct fdb_entry *
fdb_entry_at(const struct fdb *fdb, uint32_t i)
{
	if (i >= fdb->capacity || !fdb->entries[i].in_use) {
		return NULL;
	}
	return &fdb->entries[i];
}

void
fdb_lookup_bulk(const struct fdb *fdb, const struct fdb_key **keys, unsigned n,
		struct fdb_entry **out)
{
	uint64_t hits = 0;
	unsigned i;

	if (n == 0) {
		return;
	}
	rte_hash_lookup_bulk_data(fdb->hash, (const void **)keys, n, &hits, (void **)out);
	for (i = 0; i < n; i++) {
		if (!(hits & (1ULL << i))) {
			out[i] = NULL;
		}
	}
}
