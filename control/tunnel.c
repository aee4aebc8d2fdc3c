/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel.c - routes, neighbours and datapath paths of VXLAN tunnel ports
 * (see tunnel.h).
 *
 * Every tick each tunnel port is resolved from scratch: the route to its
 * remote (the longest prefix among the routes given by hand and the
 * kernel's; a tie goes to the hand-given one) names the underlay bridge and
 * the next hop; the neighbour cache gives the next hop's MAC or starts
 * resolving it; the header template is built from both.  What the
 * datapath would read is built whole and compared with what it reads now;
 * only a difference republishes.
 */
#include "control/tunnel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control/bridge.h"
#include "control/port_conf.h"
#include "datapath/dp.h"
#include "datapath/dp_flow.h"
#include "protocols/vxlan/vxlan_neigh.h"
#include "protocols/vxlan/vxlan_nl.h"

#define TNL_ROUTES_MAX   4096 /* routes held, each table */
#define TNL_KERNEL_MS    1000 /* how often the kernel's routes are read again */
#define TNL_STATIC_MAX   64   /* neighbours set by hand */
#define TNL_FLOW_REMOTES 32   /* remotes of remote_ip=flow tunnels resolved at once */
#define TNL_DEFAULT_MTU  1500 /* underlay MTU when the interface tells none */
#define TNL_ARP_BURST    32   /* ARP requests sent per tick at most */

/** A neighbour set by hand. */
struct tnl_static {
	uint32_t ip;     /* host order */
	uint8_t mac[6];  /* its MAC */
	uint16_t bridge; /* bridge index it was set on */
};

/** Where a remote is reached. */
struct tnl_route_res {
	uint16_t bridge;   /* underlay bridge index */
	uint32_t next_hop; /* address to resolve */
	uint32_t src;      /* source address the route prefers, 0: none */
	unsigned mtu;      /* the underlay's IP MTU */
};

/** Everything of tunnels the datapath reads, built whole to compare. */
struct tnl_snap {
	uint16_t n_tunnels;
	struct dp_ttunnel tunnels[DP_MAX_TUNNELS];
	uint16_t n_vteps;
	struct dp_tvtep vteps[DP_MAX_VTEPS];
	struct dp_tnl_nh nh[DP_TNL_NH_SIZE];
	uint8_t port_tunnel[DP_MAX_PORTS]; /* dp_tport.tunnel by datapath port */
	bool port_vtep[DP_MAX_PORTS];      /* dp_tport.vtep by datapath port */
	bool has_tunnels[DP_MAX_BRIDGES];  /* dp_tbridge.has_tunnels */
};

/** A remote asked for by remote_ip=flow tunnels, and its path. */
struct tnl_flow_remote {
	uint32_t ip;         /* 0: free */
	uint64_t asked_ms;   /* last TNL_MISS for it */
	struct dp_tnl_nh nh; /* resolved path, nh.remote_ip 0 while unresolved */
};

/** What the host says of a bridge's internal port, read with the routes. */
struct tnl_link {
	int ifindex;   /* 0: no such interface */
	unsigned mtu;  /* its MTU */
	uint32_t addr; /* its first IPv4 address, 0: none */
};

struct ctl_tnl {
	struct tnl_link links[DP_MAX_BRIDGES]; /* by bridge index, read with the routes */
	struct vxlan_routes *user;   /* routes given by hand; ifindex_or_port: bridge index */
	struct vxlan_routes *kernel; /* the kernel's main table; ifindex_or_port: ifindex */
	uint64_t kernel_ms;          /* when 'kernel' was read */
	char kernel_err[160];        /* why it could not be read, or "" */
	struct vxlan_neigh_cache *neigh;
	unsigned n_static;
	struct tnl_static statics[TNL_STATIC_MAX];
	struct tnl_flow_remote remotes[TNL_FLOW_REMOTES];
	bool published_valid;      /* 'published' is what the datapath reads */
	struct tnl_snap published; /* as last filled into tables */
	struct tnl_snap scratch;   /* built by each tick */
};

static uint64_t
tnl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
ctl_tnl_create(struct ctl_tnl **out)
{
	struct ctl_tnl *tnl = calloc(1, sizeof(*tnl));

	if (tnl == NULL || vxlan_routes_create(TNL_ROUTES_MAX, &tnl->user) < 0 ||
	    vxlan_routes_create(TNL_ROUTES_MAX, &tnl->kernel) < 0 ||
	    vxlan_neigh_create(NULL, &tnl->neigh) < 0) {
		ctl_tnl_destroy(tnl);
		return -ENOMEM;
	}
	*out = tnl;
	return 0;
}

void
ctl_tnl_destroy(struct ctl_tnl *tnl)
{
	if (tnl != NULL) {
		vxlan_routes_destroy(tnl->user);
		vxlan_routes_destroy(tnl->kernel);
		vxlan_neigh_destroy(tnl->neigh);
		free(tnl);
	}
}

void
ctl_tnl_port_reset(struct ctl_port *p)
{
	struct ctl_tnl_conf conf = p->tnl.conf;

	memset(&p->tnl, 0, sizeof(p->tnl));
	p->tnl.conf = conf;
	p->tnl.underlay = DP_BRIDGE_NONE;
}

/* Reads what the host says of each bridge's internal port (with the routes). */
static void
tnl_read_links(struct ctl_switch *sw)
{
	unsigned i;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		struct tnl_link *l = &sw->tnl->links[i];

		l->ifindex = sw->bridges[i] != NULL ? (int)if_nametoindex(sw->bridges[i]->name) : 0;
		l->mtu = TNL_DEFAULT_MTU;
		l->addr = 0;
		if (l->ifindex > 0 && vxlan_nl_link_info(l->ifindex, &l->mtu, &l->addr) < 0) {
			l->mtu = TNL_DEFAULT_MTU;
		}
	}
}

/* The bridge whose internal port is interface 'ifindex' of the host. */
static struct ctl_bridge *
tnl_bridge_of_ifindex(const struct ctl_switch *sw, int ifindex)
{
	unsigned i;

	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		if (sw->bridges[i] != NULL && ifindex > 0 && sw->tnl->links[i].ifindex == ifindex) {
			return sw->bridges[i];
		}
	}
	return NULL;
}

/* The IP MTU and first address of bridge 'br''s internal port. */
static void
tnl_bridge_link(const struct ctl_switch *sw, const struct ctl_bridge *br, unsigned *mtu,
		uint32_t *addr)
{
	const struct tnl_link *l = &sw->tnl->links[br->idx];

	*mtu = l->ifindex > 0 ? l->mtu : TNL_DEFAULT_MTU;
	*addr = l->ifindex > 0 ? l->addr : 0;
}

/* Finds the way to 'dst': 0 and 'res', or -ENETUNREACH. */
static int
tnl_route(const struct ctl_switch *sw, uint32_t dst, struct tnl_route_res *res)
{
	const struct ctl_tnl *tnl = sw->tnl;
	const struct vxlan_route *u = vxlan_route_lookup(tnl->user, dst);
	const struct vxlan_route *k = vxlan_route_lookup(tnl->kernel, dst);
	const struct ctl_bridge *br = NULL;
	uint32_t addr;

	if (k != NULL && (u == NULL || k->len > u->len)) {
		br = tnl_bridge_of_ifindex(sw, k->ifindex_or_port);
		if (br != NULL) {
			u = k;
		}
	}
	if (br == NULL && u != NULL && u->ifindex_or_port >= 0 &&
	    u->ifindex_or_port < DP_MAX_BRIDGES) {
		br = sw->bridges[u->ifindex_or_port];
	}
	if (br == NULL) {
		return -ENETUNREACH;
	}
	res->bridge = br->idx;
	res->next_hop = vxlan_next_hop(u, dst);
	tnl_bridge_link(sw, br, &res->mtu, &addr);
	res->src = u->src != 0 ? u->src : addr;
	return 0;
}

/* The datapath port of 'br''s internal port, or DP_PORT_NONE. */
static uint16_t
tnl_internal_port(const struct ctl_bridge *br)
{
	return br->n_ports > 0 ? br->ports[0]->dp_idx : DP_PORT_NONE;
}

/* Resolves 'dst' for a tunnel: the path, or the reason in '*state'. */
static bool
tnl_resolve(struct ctl_switch *sw, uint32_t dst, uint32_t local_ip, uint64_t now_ms,
	    struct tnl_route_res *res, uint32_t *src, uint8_t mac[6], const char **state)
{
	const struct ctl_bridge *br;

	if (tnl_route(sw, dst, res) < 0) {
		*state = "no_route";
		return false;
	}
	br = sw->bridges[res->bridge];
	*src = local_ip != 0 ? local_ip : res->src;
	if (*src == 0) {
		*state = "no_local_ip";
		return false;
	}
	if (tnl_internal_port(br) == DP_PORT_NONE) {
		*state = "no_route";
		return false;
	}
	switch (vxlan_neigh_resolve(sw->tnl->neigh, res->next_hop, now_ms, mac)) {
	case VXLAN_NEIGH_FOUND:
		*state = "up";
		return true;
	case VXLAN_NEIGH_PENDING:
		*state = "resolving";
		return false;
	default:
		*state = "failed";
		return false;
	}
}

/* Resolves tunnel port 'p' into its 'tnl' state. */
static void
tnl_resolve_port(struct ctl_switch *sw, struct ctl_port *p, uint64_t now_ms)
{
	const struct ctl_tnl_conf *c = &p->tnl.conf;
	struct ctl_port_tnl *pt = &p->tnl;
	struct tnl_route_res res;
	struct vxlan_tmpl_params tp;
	uint8_t mac[6];
	uint32_t src = 0;
	bool ok;

	ctl_tnl_port_reset(p);
	if (c->remote_flow) {
		/* The underlay of the local address is where it listens. */
		if (c->local_ip != 0 && tnl_route(sw, c->local_ip, &res) == 0) {
			pt->underlay = res.bridge;
			pt->local_ip = c->local_ip;
			pt->state = "up";
		} else {
			pt->state = c->local_ip != 0 ? "no_route" : "up";
		}
		return;
	}
	ok = tnl_resolve(sw, c->remote_ip, c->local_ip, now_ms, &res, &src, mac, &pt->state);
	if (pt->state != NULL && strcmp(pt->state, "no_route") != 0) {
		pt->underlay = res.bridge;
		pt->next_hop = res.next_hop;
		pt->local_ip = src;
	}
	if (!ok) {
		return;
	}
	memcpy(tp.src_mac, sw->bridges[res.bridge]->mac, 6);
	memcpy(tp.dst_mac, mac, 6);
	tp.local_ip = src;
	tp.remote_ip = c->remote_ip;
	tp.vni = c->key_flow ? 0 : c->key;
	tp.dst_port = c->dst_port;
	tp.tos = c->tos;
	tp.ttl = c->ttl;
	tp.df = c->df;
	if (vxlan_tmpl_build(&pt->path.tmpl, &tp) < 0) {
		pt->state = "failed";
		return;
	}
	pt->path.ready = true;
	pt->path.underlay_in = tnl_internal_port(sw->bridges[res.bridge]);
	pt->path.mtu = (uint16_t)(res.mtu > UINT16_MAX ? UINT16_MAX : res.mtu);
}

/* Resolves the remotes remote_ip=flow tunnels asked for. */
static void
tnl_resolve_remotes(struct ctl_switch *sw, uint64_t now_ms)
{
	unsigned i;

	for (i = 0; i < TNL_FLOW_REMOTES; i++) {
		struct tnl_flow_remote *r = &sw->tnl->remotes[i];
		struct tnl_route_res res;
		const char *state;
		uint32_t src;
		uint8_t mac[6];

		memset(&r->nh, 0, sizeof(r->nh));
		if (r->ip == 0) {
			continue;
		}
		/* Forget a remote nobody asked for in a minute (its misses
		 * stop once it is resolved, so only an unresolved one ages). */
		if (!tnl_resolve(sw, r->ip, 0, now_ms, &res, &src, mac, &state)) {
			if (now_ms - r->asked_ms > 60000) {
				r->ip = 0;
			}
			continue;
		}
		r->nh.remote_ip = r->ip;
		r->nh.local_ip = src;
		r->nh.underlay_in = tnl_internal_port(sw->bridges[res.bridge]);
		r->nh.mtu = (uint16_t)(res.mtu > UINT16_MAX ? UINT16_MAX : res.mtu);
		memcpy(r->nh.src_mac, sw->bridges[res.bridge]->mac, 6);
		memcpy(r->nh.dst_mac, mac, 6);
	}
}

/* Adds VTEP 'ip':'port' to 's' once. */
static void
tnl_snap_vtep(struct tnl_snap *s, uint32_t ip, uint16_t port)
{
	unsigned i;

	for (i = 0; i < s->n_vteps; i++) {
		if (s->vteps[i].local_ip == ip && s->vteps[i].dst_port == port) {
			return;
		}
	}
	if (s->n_vteps < DP_MAX_VTEPS) {
		s->vteps[s->n_vteps].local_ip = ip;
		s->vteps[s->n_vteps++].dst_port = port;
	}
}

/* Builds what the datapath should read from the ports' resolved state. */
static void
tnl_snap_build(const struct ctl_switch *sw, struct tnl_snap *s)
{
	bool underlay[DP_MAX_BRIDGES] = {false};
	unsigned b, i;

	memset(s, 0, sizeof(*s));
	for (b = 0; b < DP_MAX_BRIDGES; b++) {
		const struct ctl_bridge *br = sw->bridges[b];

		for (i = 0; br != NULL && i < br->n_ports; i++) {
			const struct ctl_port *p = br->ports[i];
			struct dp_ttunnel *tn;

			if (p->type != CTL_PORT_VXLAN || p->dp_idx == DP_PORT_NONE ||
			    s->n_tunnels == DP_MAX_TUNNELS) {
				continue;
			}
			tn = &s->tunnels[s->n_tunnels++];
			tn->port = p->dp_idx;
			tn->key_flow = p->tnl.conf.key_flow;
			tn->remote_flow = p->tnl.conf.remote_flow;
			tn->vni = p->tnl.conf.key;
			tn->remote_ip = p->tnl.conf.remote_ip;
			tn->local_ip =
			    p->tnl.local_ip != 0 ? p->tnl.local_ip : p->tnl.conf.local_ip;
			tn->dst_port = p->tnl.conf.dst_port;
			tn->tos = p->tnl.conf.tos;
			tn->ttl = p->tnl.conf.ttl;
			tn->df = p->tnl.conf.df;
			tn->path = p->tnl.path;
			s->port_tunnel[p->dp_idx] = (uint8_t)s->n_tunnels;
			s->has_tunnels[b] = true;
			if (p->tnl.underlay < DP_MAX_BRIDGES && tn->local_ip != 0) {
				underlay[p->tnl.underlay] = true;
				tnl_snap_vtep(s, tn->local_ip, tn->dst_port);
			}
		}
	}
	for (i = 0; i < TNL_FLOW_REMOTES; i++) {
		const struct dp_tnl_nh *nh = &sw->tnl->remotes[i].nh;
		unsigned slot, k;

		if (nh->remote_ip == 0) {
			continue;
		}
		slot = dp_tnl_nh_slot(nh->remote_ip);
		for (k = 0; k < DP_TNL_NH_SIZE; k++) {
			struct dp_tnl_nh *e = &s->nh[(slot + k) & (DP_TNL_NH_SIZE - 1)];

			if (e->remote_ip == 0) {
				*e = *nh;
				break;
			}
		}
	}
	/* Every port of an underlay bridge but its internal one decapsulates. */
	for (b = 0; b < DP_MAX_BRIDGES; b++) {
		const struct ctl_bridge *br = sw->bridges[b];

		for (i = 1; br != NULL && underlay[b] && i < br->n_ports; i++) {
			if (br->ports[i]->dp_idx != DP_PORT_NONE) {
				s->port_vtep[br->ports[i]->dp_idx] = true;
			}
		}
	}
}

void
ctl_tnl_fill(struct ctl_switch *sw, struct dp_tables *t)
{
	struct tnl_snap *s = &sw->tnl->published;
	unsigned i;

	tnl_snap_build(sw, s);
	sw->tnl->published_valid = true;
	t->n_tunnels = s->n_tunnels;
	memcpy(t->tunnels, s->tunnels, sizeof(t->tunnels));
	t->n_vteps = s->n_vteps;
	memcpy(t->vteps, s->vteps, sizeof(t->vteps));
	memcpy(t->tnl_nh, s->nh, sizeof(t->tnl_nh));
	for (i = 0; i < DP_MAX_PORTS; i++) {
		t->ports[i].tunnel = s->port_tunnel[i];
		t->ports[i].vtep = s->port_vtep[i];
	}
	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		t->bridges[i].has_tunnels = s->has_tunnels[i];
	}
}

/* Sends the ARP requests the neighbour cache has due, each into the
 * underlay bridge that routes to its target, from its internal port. */
static void
tnl_send_arps(struct ctl_switch *sw, uint64_t now_ms)
{
	struct vxlan_arp_req reqs[TNL_ARP_BURST];
	const struct dp_action normal = {.op = DP_OP_NORMAL};
	unsigned n = vxlan_neigh_tick(sw->tnl->neigh, now_ms, reqs, TNL_ARP_BURST), i;

	for (i = 0; i < n; i++) {
		struct tnl_route_res res;
		const struct ctl_bridge *br;
		uint8_t frame[60] = {0};
		uint32_t src = 0;
		unsigned b, j;

		if (tnl_route(sw, reqs[i].target_ip, &res) < 0) {
			continue;
		}
		br = sw->bridges[res.bridge];
		/* The source: a tunnel's local address on this underlay, else the route's. */
		for (b = 0; b < DP_MAX_BRIDGES && src == 0; b++) {
			for (j = 0; sw->bridges[b] != NULL && j < sw->bridges[b]->n_ports; j++) {
				const struct ctl_port *p = sw->bridges[b]->ports[j];

				if (p->type == CTL_PORT_VXLAN && p->tnl.underlay == res.bridge &&
				    p->tnl.local_ip != 0) {
					src = p->tnl.local_ip;
					break;
				}
			}
		}
		if (src == 0) {
			src = res.src;
		}
		vxlan_arp_request_build(frame, br->mac, src, reqs[i].target_ip);
		dp_packet_out(sw->dp, br->idx, tnl_internal_port(br), frame, sizeof(frame), &normal,
			      1);
	}
}

void
ctl_tnl_tick(struct ctl_switch *sw, bool force)
{
	struct ctl_tnl *tnl = sw->tnl;
	uint64_t now_ms = tnl_now_ms();
	bool any = false;
	unsigned b, i;
	int ret;

	for (b = 0; b < DP_MAX_BRIDGES && !any; b++) {
		for (i = 0; sw->bridges[b] != NULL && i < sw->bridges[b]->n_ports; i++) {
			any |= sw->bridges[b]->ports[i]->type == CTL_PORT_VXLAN;
		}
	}
	if (!any && !force) {
		return;
	}
	if (force || now_ms - tnl->kernel_ms >= TNL_KERNEL_MS) {
		struct vxlan_routes *fresh;

		tnl->kernel_ms = now_ms;
		tnl_read_links(sw);
		if (vxlan_routes_create(TNL_ROUTES_MAX, &fresh) == 0) {
			ret = vxlan_nl_load_routes(fresh, tnl->kernel_err, sizeof(tnl->kernel_err));
			if (ret >= 0) {
				vxlan_routes_destroy(tnl->kernel);
				tnl->kernel = fresh;
				tnl->kernel_err[0] = '\0';
			} else {
				vxlan_routes_destroy(fresh);
			}
		}
	}
	for (i = 0; i < tnl->n_static; i++) {
		uint8_t mac[6];

		vxlan_neigh_resolve(tnl->neigh, tnl->statics[i].ip, now_ms, mac);
		vxlan_neigh_learn(tnl->neigh, tnl->statics[i].ip, tnl->statics[i].mac, now_ms);
	}
	for (b = 0; b < DP_MAX_BRIDGES; b++) {
		for (i = 0; sw->bridges[b] != NULL && i < sw->bridges[b]->n_ports; i++) {
			struct ctl_port *p = sw->bridges[b]->ports[i];

			if (p->type == CTL_PORT_VXLAN && p->dp_idx != DP_PORT_NONE) {
				tnl_resolve_port(sw, p, now_ms);
			}
		}
	}
	tnl_resolve_remotes(sw, now_ms);
	tnl_send_arps(sw, now_ms);
	tnl_snap_build(sw, &tnl->scratch);
	if (!tnl->published_valid ||
	    memcmp(&tnl->scratch, &tnl->published, sizeof(tnl->scratch)) != 0) {
		ctl_switch_publish(sw);
	}
}

void
ctl_tnl_upcall(struct ctl_switch *sw, const struct dp_upcall *u)
{
	struct ctl_tnl *tnl = sw->tnl;
	uint64_t now_ms = tnl_now_ms();
	unsigned i, free_slot = TNL_FLOW_REMOTES, oldest = 0;

	if (u->type == DP_UPCALL_ARP) {
		struct vxlan_arp arp;
		const uint8_t *data;
		uint32_t len;

		data = dp_upcall_data(u, &len);
		if (data != NULL && vxlan_arp_parse(data, len, &arp) == 0 && arp.spa != 0 &&
		    vxlan_neigh_learn(tnl->neigh, arp.spa, arp.sha, now_ms) == 0) {
			ctl_tnl_tick(sw, false);
		}
		return;
	}
	if (u->type != DP_UPCALL_TNL_MISS || u->remote_ip == 0) {
		return;
	}
	for (i = 0; i < TNL_FLOW_REMOTES; i++) {
		if (tnl->remotes[i].ip == u->remote_ip) {
			tnl->remotes[i].asked_ms = now_ms;
			return;
		}
		if (tnl->remotes[i].ip == 0 && free_slot == TNL_FLOW_REMOTES) {
			free_slot = i;
		}
		if (tnl->remotes[i].asked_ms < tnl->remotes[oldest].asked_ms) {
			oldest = i;
		}
	}
	i = free_slot != TNL_FLOW_REMOTES ? free_slot : oldest;
	tnl->remotes[i].ip = u->remote_ip;
	tnl->remotes[i].asked_ms = now_ms;
	ctl_tnl_tick(sw, false);
}

json_t *
ctl_tnl_port_json(const struct ctl_switch *sw, const struct ctl_port *p)
{
	const struct ctl_port_tnl *pt = &p->tnl;
	char ip[16];
	json_t *o = json_object();

	json_object_set_new(o, "state", json_string(pt->state != NULL ? pt->state : "resolving"));
	if (pt->conf.remote_flow) {
		json_object_set_new(o, "remote_ip", json_string("flow"));
	} else {
		ctl_format_ipv4(pt->conf.remote_ip, ip);
		json_object_set_new(o, "remote_ip", json_string(ip));
	}
	json_object_set_new(o, "key",
			    pt->conf.key_flow ? json_string("flow") : json_integer(pt->conf.key));
	json_object_set_new(o, "dst_port", json_integer(pt->conf.dst_port));
	if (pt->local_ip != 0) {
		ctl_format_ipv4(pt->local_ip, ip);
		json_object_set_new(o, "local_ip", json_string(ip));
	}
	if (pt->underlay < DP_MAX_BRIDGES && sw->bridges[pt->underlay] != NULL) {
		json_object_set_new(o, "underlay", json_string(sw->bridges[pt->underlay]->name));
	}
	if (pt->next_hop != 0) {
		ctl_format_ipv4(pt->next_hop, ip);
		json_object_set_new(o, "next_hop", json_string(ip));
	}
	if (pt->path.ready) {
		json_object_set_new(o, "mtu", json_integer(pt->path.mtu));
	}
	return o;
}

json_t *
ctl_tnl_neigh_json(const struct ctl_switch *sw)
{
	struct vxlan_neigh_info info[256];
	uint64_t now_ms = tnl_now_ms();
	unsigned n = vxlan_neigh_dump(sw->tnl->neigh, now_ms, info, 256), i, k;
	json_t *arr = json_array();

	for (i = 0; i < n; i++) {
		struct tnl_route_res res;
		char ip[16], mac[18];
		bool is_static = false;
		json_t *o;

		ctl_format_ipv4(info[i].ip, ip);
		ctl_format_mac(info[i].mac, mac);
		for (k = 0; k < sw->tnl->n_static; k++) {
			is_static |= sw->tnl->statics[k].ip == info[i].ip;
		}
		o = json_pack("{s:s, s:s, s:s, s:I, s:b}", "ip", ip, "mac", mac, "state",
			      vxlan_neigh_state_name(info[i].state), "age_ms",
			      (json_int_t)info[i].age_ms, "static", is_static);
		if (tnl_route(sw, info[i].ip, &res) == 0) {
			json_object_set_new(o, "bridge",
					    json_string(sw->bridges[res.bridge]->name));
		}
		json_array_append_new(arr, o);
	}
	return json_pack("{s:o}", "neighbours", arr);
}

/* Parses "A.B.C.D/LEN" (host bits zero) into a route's prefix and length. */
static int
tnl_parse_prefix(const char *s, struct vxlan_route *r, char *err, size_t err_size)
{
	char addr[32];
	const char *slash = strchr(s, '/');
	long len;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr) ||
	    !ctl_parse_range(slash + 1, 0, 32, &len)) {
		snprintf(err, err_size, "'%s' is not a prefix A.B.C.D/LEN", s);
		return -EINVAL;
	}
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (ctl_parse_ipv4(addr, &r->prefix) < 0) {
		snprintf(err, err_size, "'%s' is not a prefix A.B.C.D/LEN", s);
		return -EINVAL;
	}
	r->len = (uint8_t)len;
	if (len < 32 && (r->prefix & (len == 0 ? UINT32_MAX : UINT32_MAX >> len)) != 0) {
		snprintf(err, err_size, "%s has host bits set", s);
		return -EINVAL;
	}
	return 0;
}

int
ctl_tnl_route_add(struct ctl_switch *sw, const char *prefix, const char *bridge, const char *gw,
		  char *err, size_t err_size)
{
	const struct ctl_bridge *br = ctl_bridge_find(sw, bridge);
	struct vxlan_route r;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = tnl_parse_prefix(prefix, &r, err, err_size);
	if (ret < 0) {
		return ret;
	}
	if (br == NULL) {
		snprintf(err, err_size, "no bridge named %s", bridge);
		return -ENOENT;
	}
	if (gw != NULL && ctl_parse_ipv4(gw, &r.gateway) < 0) {
		snprintf(err, err_size, "gateway '%s' is not an IPv4 address", gw);
		return -EINVAL;
	}
	r.ifindex_or_port = br->idx;
	ret = vxlan_routes_add(sw->tnl->user, &r);
	if (ret < 0) {
		snprintf(err, err_size, "cannot add the route: %s", strerror(-ret));
		return ret;
	}
	ctl_tnl_tick(sw, false);
	return 0;
}

int
ctl_tnl_route_del(struct ctl_switch *sw, const char *prefix, char *err, size_t err_size)
{
	struct vxlan_route r;
	const struct vxlan_route *found;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = tnl_parse_prefix(prefix, &r, err, err_size);
	if (ret < 0) {
		return ret;
	}
	found = vxlan_route_lookup(sw->tnl->user, r.prefix);
	if (found == NULL || found->prefix != r.prefix || found->len != r.len) {
		snprintf(err, err_size, "no route %s was added", prefix);
		return -ENOENT;
	}
	r = *found;
	vxlan_routes_del(sw->tnl->user, &r);
	ctl_tnl_tick(sw, false);
	return 0;
}

/* Appends the routes of 'rt' that match no better one... all of them: a
 * route table keeps no list, so the caller's prefixes are probed. */
json_t *
ctl_tnl_route_json(struct ctl_switch *sw)
{
	json_t *arr = json_array();
	char err[160];
	unsigned t;

	ctl_tnl_tick(sw, true);
	(void)err;
	for (t = 0; t < 2; t++) {
		const struct vxlan_routes *rt = t == 0 ? sw->tnl->user : sw->tnl->kernel;
		struct vxlan_route all[256];
		unsigned n = vxlan_routes_list(rt, all, 256), i;

		for (i = 0; i < n; i++) {
			const struct ctl_bridge *br =
			    t == 0 ? (all[i].ifindex_or_port < DP_MAX_BRIDGES
					  ? sw->bridges[all[i].ifindex_or_port]
					  : NULL)
				   : tnl_bridge_of_ifindex(sw, all[i].ifindex_or_port);
			char pfx[24], gw[16], src[16];
			json_t *o;

			if (br == NULL) {
				continue;
			}
			ctl_format_ipv4(all[i].prefix, pfx);
			snprintf(pfx + strlen(pfx), sizeof(pfx) - strlen(pfx), "/%u", all[i].len);
			o = json_pack("{s:s, s:s, s:s}", "prefix", pfx, "bridge", br->name,
				      "origin", t == 0 ? "user" : "kernel");
			if (all[i].gateway != 0) {
				ctl_format_ipv4(all[i].gateway, gw);
				json_object_set_new(o, "gateway", json_string(gw));
			}
			if (all[i].src != 0) {
				ctl_format_ipv4(all[i].src, src);
				json_object_set_new(o, "src", json_string(src));
			}
			json_array_append_new(arr, o);
		}
	}
	if (sw->tnl->kernel_err[0] != '\0') {
		return json_pack("{s:o, s:s}", "routes", arr, "kernel_error", sw->tnl->kernel_err);
	}
	return json_pack("{s:o}", "routes", arr);
}

int
ctl_tnl_arp_set(struct ctl_switch *sw, const char *bridge, const char *ip, const char *mac,
		char *err, size_t err_size)
{
	struct ctl_tnl *tnl = sw->tnl;
	const struct ctl_bridge *br = ctl_bridge_find(sw, bridge);
	struct tnl_static st;
	unsigned i;

	if (br == NULL) {
		snprintf(err, err_size, "no bridge named %s", bridge);
		return -ENOENT;
	}
	if (ctl_parse_ipv4(ip, &st.ip) < 0 || st.ip == 0) {
		snprintf(err, err_size, "'%s' is not an IPv4 address", ip);
		return -EINVAL;
	}
	if (ctl_parse_mac(mac, st.mac) < 0 || (st.mac[0] & 1) != 0) {
		snprintf(err, err_size, "'%s' is not a unicast MAC address", mac);
		return -EINVAL;
	}
	st.bridge = br->idx;
	for (i = 0; i < tnl->n_static && tnl->statics[i].ip != st.ip; i++) {
	}
	if (i == TNL_STATIC_MAX) {
		snprintf(err, err_size, "too many static neighbours (at most %d)", TNL_STATIC_MAX);
		return -ENOSPC;
	}
	tnl->statics[i] = st;
	if (i == tnl->n_static) {
		tnl->n_static++;
	}
	ctl_tnl_tick(sw, false);
	return 0;
}
