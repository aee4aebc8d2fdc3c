/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_neigh.c - underlay route choice, IPv4 neighbour cache and ARP
 * frames for VXLAN tunnel ports (RFC 7348 section 4, RFC 826).
 *
 * Routes are kept in one array sorted by (prefix length descending, metric
 * ascending, insertion order), so the first match is the answer. The
 * neighbour cache is a fixed array searched linearly: a host has a handful
 * of underlay next hops, and only the control thread touches it. The
 * state machine and its simplifications are described in vxlan_neigh.h.
 */
#include "protocols/vxlan/vxlan_neigh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Routes                                                               */
/* ------------------------------------------------------------------ */

struct vxlan_routes {
	unsigned n_routes;           /* Entries in use in 'routes'. */
	unsigned capacity;           /* Entries allocated in 'routes'. */
	struct vxlan_route routes[]; /* Sorted: len desc, metric asc, then added first. */
};

unsigned
vxlan_routes_list(const struct vxlan_routes *rt, struct vxlan_route *out, unsigned max)
{
	unsigned n = rt->n_routes < max ? rt->n_routes : max;

	memcpy(out, rt->routes, n * sizeof(*out));
	return n;
}

static uint32_t
prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

int
vxlan_routes_create(unsigned capacity, struct vxlan_routes **out)
{
	struct vxlan_routes *rt;

	if (capacity == 0) {
		return -EINVAL;
	}
	rt = calloc(1, sizeof(*rt) + (size_t)capacity * sizeof(rt->routes[0]));
	if (rt == NULL) {
		return -ENOMEM;
	}
	rt->capacity = capacity;
	*out = rt;
	return 0;
}

void
vxlan_routes_destroy(struct vxlan_routes *rt)
{
	free(rt);
}

int
vxlan_routes_add(struct vxlan_routes *rt, const struct vxlan_route *r)
{
	unsigned pos;

	if (r->len > 32 || (r->prefix & ~prefix_mask(r->len)) != 0) {
		return -EINVAL;
	}
	if (rt->n_routes == rt->capacity) {
		return -ENOSPC;
	}
	/* Insert after every route that sorts before or ties with 'r', so
	 * that among equals the first added stays first. */
	for (pos = 0; pos < rt->n_routes; pos++) {
		const struct vxlan_route *e = &rt->routes[pos];

		if (e->len < r->len || (e->len == r->len && e->metric > r->metric)) {
			break;
		}
	}
	memmove(&rt->routes[pos + 1], &rt->routes[pos],
		(rt->n_routes - pos) * sizeof(rt->routes[0]));
	rt->routes[pos] = *r;
	rt->n_routes++;
	return 0;
}

int
vxlan_routes_del(struct vxlan_routes *rt, const struct vxlan_route *r)
{
	for (unsigned i = 0; i < rt->n_routes; i++) {
		const struct vxlan_route *e = &rt->routes[i];

		if (e->prefix == r->prefix && e->len == r->len && e->metric == r->metric &&
		    e->gateway == r->gateway) {
			memmove(&rt->routes[i], &rt->routes[i + 1],
				(rt->n_routes - i - 1) * sizeof(rt->routes[0]));
			rt->n_routes--;
			return 0;
		}
	}
	return -ENOENT;
}

const struct vxlan_route *
vxlan_route_lookup(const struct vxlan_routes *rt, uint32_t dst)
{
	for (unsigned i = 0; i < rt->n_routes; i++) {
		const struct vxlan_route *e = &rt->routes[i];

		if ((dst & prefix_mask(e->len)) == e->prefix) {
			return e;
		}
	}
	return NULL;
}

uint32_t
vxlan_next_hop(const struct vxlan_route *r, uint32_t dst)
{
	return r->gateway != 0 ? r->gateway : dst;
}

/* ------------------------------------------------------------------ */
/* Neighbour cache                                                      */
/* ------------------------------------------------------------------ */

#define NEIGH_DEF_REACHABLE_MS 30000
#define NEIGH_DEF_RETRANS_MS   1000
#define NEIGH_DEF_MAX_PROBES   3
#define NEIGH_DEF_GC_STALE_MS  60000
#define NEIGH_DEF_FAILED_MS    10000
#define NEIGH_DEF_CAPACITY     256
#define NEIGH_MAX_CAPACITY     65536

struct neigh_entry {
	bool in_use;                  /* The slot holds an entry. */
	bool has_mac;                 /* 'mac' was learned at least once. */
	bool refresh_due;             /* STALE and used: a refresh request is due. */
	enum vxlan_neigh_state state; /* Current state. */
	uint32_t ip;                  /* Key: neighbour IPv4 address. */
	uint8_t mac[6];               /* Last learned MAC. */
	uint32_t probes;              /* Requests sent in the current attempt. */
	uint64_t created_ms;          /* When the entry was created. */
	uint64_t confirmed_ms;        /* Last learn; 'created_ms' before any. */
	uint64_t used_ms;             /* Last resolve (or create/learn). */
	uint64_t next_probe_ms; /* When the next request is due (INCOMPLETE, probing STALE). */
	uint64_t failed_at_ms;  /* When it went FAILED. */
};

struct vxlan_neigh_cache {
	struct vxlan_neigh_params params; /* Tuning, defaults applied. */
	struct vxlan_neigh_stats stats;   /* Counters. */
	unsigned n_entries;               /* Slots in use. */
	struct neigh_entry entries[];     /* 'params.capacity' slots. */
};

static const char *const neigh_state_names[] = {
    [VXLAN_NEIGH_INCOMPLETE] = "INCOMPLETE",
    [VXLAN_NEIGH_REACHABLE] = "REACHABLE",
    [VXLAN_NEIGH_STALE] = "STALE",
    [VXLAN_NEIGH_FAILED] = "FAILED",
};

const char *
vxlan_neigh_state_name(enum vxlan_neigh_state state)
{
	if ((unsigned)state >= sizeof(neigh_state_names) / sizeof(neigh_state_names[0])) {
		return "?";
	}
	return neigh_state_names[state];
}

/* Milliseconds from 'then' to 'now', zero if the clock went backwards. */
static uint64_t
elapsed(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : 0;
}

static uint32_t
or_default(uint32_t v, uint32_t def)
{
	return v != 0 ? v : def;
}

int
vxlan_neigh_create(const struct vxlan_neigh_params *params, struct vxlan_neigh_cache **out)
{
	struct vxlan_neigh_params p = {0};
	struct vxlan_neigh_cache *nc;

	if (params != NULL) {
		p = *params;
	}
	if (p.capacity > NEIGH_MAX_CAPACITY) {
		return -EINVAL;
	}
	p.reachable_ms = or_default(p.reachable_ms, NEIGH_DEF_REACHABLE_MS);
	p.retrans_ms = or_default(p.retrans_ms, NEIGH_DEF_RETRANS_MS);
	p.max_probes = or_default(p.max_probes, NEIGH_DEF_MAX_PROBES);
	p.gc_stale_ms = or_default(p.gc_stale_ms, NEIGH_DEF_GC_STALE_MS);
	p.failed_ms = or_default(p.failed_ms, NEIGH_DEF_FAILED_MS);
	p.capacity = or_default(p.capacity, NEIGH_DEF_CAPACITY);
	nc = calloc(1, sizeof(*nc) + (size_t)p.capacity * sizeof(nc->entries[0]));
	if (nc == NULL) {
		return -ENOMEM;
	}
	nc->params = p;
	*out = nc;
	return 0;
}

void
vxlan_neigh_destroy(struct vxlan_neigh_cache *nc)
{
	free(nc);
}

static struct neigh_entry *
neigh_find(const struct vxlan_neigh_cache *nc, uint32_t ip)
{
	for (unsigned i = 0; i < nc->params.capacity; i++) {
		const struct neigh_entry *e = &nc->entries[i];

		if (e->in_use && e->ip == ip) {
			return (struct neigh_entry *)e;
		}
	}
	return NULL;
}

static void
neigh_remove(struct vxlan_neigh_cache *nc, struct neigh_entry *e)
{
	memset(e, 0, sizeof(*e));
	nc->n_entries--;
}

/* A free slot, or one freed by evicting the least recently used STALE or
 * FAILED entry; NULL when every entry is INCOMPLETE or REACHABLE, since
 * those are either in flight or known good. */
static struct neigh_entry *
neigh_slot(struct vxlan_neigh_cache *nc)
{
	struct neigh_entry *victim = NULL;

	for (unsigned i = 0; i < nc->params.capacity; i++) {
		struct neigh_entry *e = &nc->entries[i];

		if (!e->in_use) {
			return e;
		}
		if ((e->state == VXLAN_NEIGH_STALE || e->state == VXLAN_NEIGH_FAILED) &&
		    (victim == NULL || e->used_ms < victim->used_ms)) {
			victim = e;
		}
	}
	if (victim != NULL) {
		neigh_remove(nc, victim);
		nc->stats.n_evicted++;
	}
	return victim;
}

/* REACHABLE -> STALE once 'reachable_ms' has passed since the last reply. */
static void
neigh_age(const struct vxlan_neigh_cache *nc, struct neigh_entry *e, uint64_t now)
{
	if (e->state == VXLAN_NEIGH_REACHABLE &&
	    elapsed(now, e->confirmed_ms) >= nc->params.reachable_ms) {
		e->state = VXLAN_NEIGH_STALE;
		e->probes = 0;
		e->refresh_due = false;
	}
}

enum vxlan_neigh_result
vxlan_neigh_resolve(struct vxlan_neigh_cache *nc, uint32_t ip, uint64_t now_ms, uint8_t mac_out[6])
{
	struct neigh_entry *e = neigh_find(nc, ip);

	if (e == NULL) {
		e = neigh_slot(nc);
		if (e == NULL) {
			nc->stats.n_full++;
			return VXLAN_NEIGH_FAIL;
		}
		*e =
		    (struct neigh_entry){.in_use = true, .state = VXLAN_NEIGH_INCOMPLETE, .ip = ip};
		e->created_ms = e->confirmed_ms = e->used_ms = e->next_probe_ms = now_ms;
		nc->n_entries++;
		return VXLAN_NEIGH_PENDING;
	}
	neigh_age(nc, e, now_ms);
	switch (e->state) {
	case VXLAN_NEIGH_INCOMPLETE:
		e->used_ms = now_ms;
		return VXLAN_NEIGH_PENDING;
	case VXLAN_NEIGH_STALE:
		/* Used while stale: poll the neighbour [RFC 1122 2.3.2.1], unless
		 * a refresh is already under way. */
		if (e->probes == 0) {
			e->refresh_due = true;
		}
		/* fall through */
	case VXLAN_NEIGH_REACHABLE:
		e->used_ms = now_ms;
		memcpy(mac_out, e->mac, 6);
		return VXLAN_NEIGH_FOUND;
	case VXLAN_NEIGH_FAILED:
	default:
		return VXLAN_NEIGH_FAIL;
	}
}

static bool
mac_is_unicast(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return (mac[0] & 0x01) == 0 && memcmp(mac, zero, 6) != 0;
}

int
vxlan_neigh_learn(struct vxlan_neigh_cache *nc, uint32_t ip, const uint8_t mac[6], uint64_t now_ms)
{
	struct neigh_entry *e = neigh_find(nc, ip);

	if (e == NULL || !mac_is_unicast(mac)) {
		nc->stats.n_ignored++;
		return e == NULL ? -ENOENT : -EINVAL;
	}
	if (e->has_mac && memcmp(e->mac, mac, 6) != 0) {
		nc->stats.n_moves++;
	}
	memcpy(e->mac, mac, 6);
	e->has_mac = true;
	e->state = VXLAN_NEIGH_REACHABLE;
	e->confirmed_ms = now_ms;
	e->probes = 0;
	e->refresh_due = false;
	nc->stats.n_learned++;
	return 0;
}

/* Emit one request for 'e' into '*out' if there is room. */
static bool
neigh_emit(struct vxlan_neigh_cache *nc, struct neigh_entry *e, uint64_t now,
	   struct vxlan_arp_req *out, unsigned *n, unsigned max)
{
	if (*n >= max) {
		return false;
	}
	out[*n] = (struct vxlan_arp_req){.target_ip = e->ip};
	if (e->state == VXLAN_NEIGH_STALE) {
		out[*n].refresh = true;
		memcpy(out[*n].mac, e->mac, 6);
	}
	(*n)++;
	e->probes++;
	e->next_probe_ms = now + nc->params.retrans_ms;
	nc->stats.n_requests++;
	return true;
}

/* INCOMPLETE, or STALE with a refresh under way: request every retrans_ms,
 * and after max_probes unanswered requests give up. */
static void
neigh_probe(struct vxlan_neigh_cache *nc, struct neigh_entry *e, uint64_t now,
	    struct vxlan_arp_req *out, unsigned *n, unsigned max)
{
	if (now < e->next_probe_ms) {
		return;
	}
	if (e->probes < nc->params.max_probes) {
		neigh_emit(nc, e, now, out, n, max);
		return;
	}
	e->state = VXLAN_NEIGH_FAILED;
	e->failed_at_ms = now;
	e->refresh_due = false;
	nc->stats.n_failures++;
}

/* One entry's step at 'now': age, probe, refresh or remove it. */
static void
neigh_step(struct vxlan_neigh_cache *nc, struct neigh_entry *e, uint64_t now,
	   struct vxlan_arp_req *out, unsigned *n, unsigned max)
{
	const struct vxlan_neigh_params *p = &nc->params;

	neigh_age(nc, e, now);
	switch (e->state) {
	case VXLAN_NEIGH_INCOMPLETE:
		neigh_probe(nc, e, now, out, n, max);
		break;
	case VXLAN_NEIGH_STALE:
		if (e->refresh_due) {
			if (neigh_emit(nc, e, now, out, n, max)) {
				e->refresh_due = false;
			}
		} else if (e->probes > 0) {
			neigh_probe(nc, e, now, out, n, max);
		} else if (elapsed(now, e->used_ms) >= p->gc_stale_ms &&
			   elapsed(now, e->confirmed_ms) >= p->gc_stale_ms) {
			neigh_remove(nc, e);
			nc->stats.n_gc++;
		}
		break;
	case VXLAN_NEIGH_FAILED:
		if (elapsed(now, e->failed_at_ms) >= p->failed_ms) {
			neigh_remove(nc, e);
			nc->stats.n_gc++;
		}
		break;
	case VXLAN_NEIGH_REACHABLE:
	default:
		break;
	}
}

unsigned
vxlan_neigh_tick(struct vxlan_neigh_cache *nc, uint64_t now_ms, struct vxlan_arp_req *out,
		 unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nc->params.capacity; i++) {
		if (nc->entries[i].in_use) {
			neigh_step(nc, &nc->entries[i], now_ms, out, &n, max);
		}
	}
	return n;
}

unsigned
vxlan_neigh_dump(const struct vxlan_neigh_cache *nc, uint64_t now_ms, struct vxlan_neigh_info *out,
		 unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nc->params.capacity && n < max; i++) {
		const struct neigh_entry *e = &nc->entries[i];
		enum vxlan_neigh_state state = e->state;

		if (!e->in_use) {
			continue;
		}
		/* Show what resolve would see now, without changing the entry. */
		if (state == VXLAN_NEIGH_REACHABLE &&
		    elapsed(now_ms, e->confirmed_ms) >= nc->params.reachable_ms) {
			state = VXLAN_NEIGH_STALE;
		}
		out[n] =
		    (struct vxlan_neigh_info){.ip = e->ip, .state = state, .probes = e->probes};
		memcpy(out[n].mac, e->mac, 6);
		out[n].age_ms = elapsed(now_ms, e->confirmed_ms);
		n++;
	}
	return n;
}

unsigned
vxlan_neigh_count(const struct vxlan_neigh_cache *nc)
{
	return nc->n_entries;
}

void
vxlan_neigh_get_stats(const struct vxlan_neigh_cache *nc, struct vxlan_neigh_stats *out)
{
	*out = nc->stats;
}

/* ------------------------------------------------------------------ */
/* ARP frames                                                           */
/* ------------------------------------------------------------------ */

#define ETH_HDR_SIZE    14
#define VLAN_TAG_SIZE   4
#define ARP_IPV4_SIZE   28
#define ETHERTYPE_ARP   0x0806
#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_8021Q 0x8100
#define ARP_HTYPE_ETHER 1

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

size_t
vxlan_arp_request_build(uint8_t *buf, const uint8_t src_mac[6], uint32_t src_ip, uint32_t target_ip)
{
	memset(buf, 0xff, 6); /* Ethernet broadcast destination. */
	memcpy(buf + 6, src_mac, 6);
	put_be16(buf + 12, ETHERTYPE_ARP);
	/* RFC 826: ar$hrd, ar$pro, ar$hln, ar$pln, ar$op, ar$sha, ar$spa, ar$tha, ar$tpa. */
	put_be16(buf + 14, ARP_HTYPE_ETHER);
	put_be16(buf + 16, ETHERTYPE_IPV4);
	buf[18] = 6;
	buf[19] = 4;
	put_be16(buf + 20, VXLAN_ARP_OP_REQUEST);
	memcpy(buf + 22, src_mac, 6);
	put_be32(buf + 28, src_ip);
	memset(buf + 32, 0, 6); /* Unknown target hardware address. */
	put_be32(buf + 38, target_ip);
	return VXLAN_ARP_FRAME_SIZE;
}

int
vxlan_arp_parse(const uint8_t *frame, size_t len, struct vxlan_arp *out)
{
	size_t off = ETH_HDR_SIZE;
	const uint8_t *a;
	uint16_t type;

	if (len < ETH_HDR_SIZE) {
		return -EINVAL;
	}
	*out = (struct vxlan_arp){0};
	type = get_be16(frame + 12);
	if (type == ETHERTYPE_8021Q) {
		if (len < ETH_HDR_SIZE + VLAN_TAG_SIZE) {
			return -EINVAL;
		}
		out->tagged = true;
		out->vlan_tci = get_be16(frame + 14);
		type = get_be16(frame + 16);
		off += VLAN_TAG_SIZE;
	}
	if (type != ETHERTYPE_ARP || len - off < ARP_IPV4_SIZE) {
		return -EINVAL;
	}
	a = frame + off;
	if (get_be16(a) != ARP_HTYPE_ETHER || get_be16(a + 2) != ETHERTYPE_IPV4 || a[4] != 6 ||
	    a[5] != 4) {
		return -EINVAL;
	}
	out->op = get_be16(a + 6);
	if (out->op != VXLAN_ARP_OP_REQUEST && out->op != VXLAN_ARP_OP_REPLY) {
		return -EINVAL;
	}
	memcpy(out->sha, a + 8, 6);
	out->spa = get_be32(a + 14);
	memcpy(out->tha, a + 18, 6);
	out->tpa = get_be32(a + 24);
	return 0;
}
