/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_tunnel.c - VXLAN tunnel ports in the poll loop, frame by frame:
 * what NORMAL sends to tunnels comes out of the underlay port as VXLAN
 * (bytes checked), one copy per tunnel (head-end replication); VXLAN to
 * the local VTEP enters the overlay on the tunnel port its VNI and remote
 * name, with tunnel metadata; wrong VNIs, unknown remotes, garbled frames,
 * frames too big and unresolved neighbours are dropped and counted; ARP on
 * underlay ports goes to control.  Real mbufs, no devices: the test reads
 * the per-port output batches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "datapath/dp_priv.h"
#include "eal_test.h"

static struct rte_mempool *pool;

/*
 * Bridge 0, the underlay: port 0 its internal port (LOCAL), port 1 the
 * wire.  Bridge 1, the overlay: port 2 a container, ports 3 and 4 tunnels
 * to 198.18.0.2 and 198.18.0.3, VNI 5000, from 198.18.0.1.
 */
#define P_LOCAL 0
#define P_WIRE  1
#define P_C1    2
#define P_VX1   3
#define P_VX2   4

#define LOCAL_IP  0xc6120001u /* 198.18.0.1 */
#define REMOTE1   0xc6120002u /* 198.18.0.2 */
#define REMOTE2   0xc6120003u /* 198.18.0.3 */
#define VNI       5000
#define VXLAN_LEN 50

struct fixture {
	struct dp *dp;
	struct pmd *pmd;
	struct dp_tables *t;
};

static const uint8_t mac_phy[6] = {0x02, 0, 0, 0, 0xaa, 0x01};
static const uint8_t mac_r1[6] = {0x02, 0, 0, 0, 0xbb, 0x02};
static const uint8_t mac_r2[6] = {0x02, 0, 0, 0, 0xbb, 0x03};
static const uint8_t mac_h0[6] = {0x02, 0, 0, 0, 0, 0x10};
static const uint8_t mac_h1[6] = {0x02, 0, 0, 0, 0, 0x11};
static const uint8_t mac_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static void
tunnel_path(struct dp_ttunnel *tn, uint16_t port, uint32_t remote, const uint8_t *rmac)
{
	struct vxlan_tmpl_params tp = {.local_ip = LOCAL_IP,
				       .remote_ip = remote,
				       .vni = VNI,
				       .dst_port = 4789,
				       .ttl = 64,
				       .df = true};

	memcpy(tp.src_mac, mac_phy, 6);
	memcpy(tp.dst_mac, rmac, 6);
	tn->port = port;
	tn->vni = VNI;
	tn->remote_ip = remote;
	tn->local_ip = LOCAL_IP;
	tn->dst_port = 4789;
	tn->ttl = 64;
	tn->df = true;
	tn->path.ready = true;
	tn->path.underlay_in = P_LOCAL;
	tn->path.mtu = 1500;
	assert_int_equal(vxlan_tmpl_build(&tn->path.tmpl, &tp), 0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint16_t i;

	f->dp = rte_zmalloc(NULL, sizeof(*f->dp), 0);
	f->pmd = rte_zmalloc(NULL, sizeof(*f->pmd), RTE_CACHE_LINE_SIZE);
	f->t = dp_tables_alloc();
	if (f->dp == NULL || f->pmd == NULL || f->t == NULL ||
	    fdb_create(256, NULL, &f->dp->fdb) < 0) {
		return -1;
	}
	f->pmd->dp = f->dp;
	f->pmd->learn_repeat = 1000;
	f->pmd->learn_refresh = 10;
	f->pmd->t = f->t;
	f->pmd->now = 1;
	f->pmd->upcalls = rte_ring_create_elem("test_upcalls", sizeof(struct dp_upcall), 64,
					       SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (f->pmd->upcalls == NULL) {
		return -1;
	}
	for (i = 0; i <= P_VX2; i++) {
		uint16_t b = i <= P_WIRE ? 0 : 1;

		f->t->ports[i].bridge = b;
		f->t->ports[i].ofport = i <= P_WIRE ? (uint16_t)(i + 1) : (uint16_t)(i - 1);
		f->t->ports[i].enabled = true;
		f->t->bridges[b].ports[f->t->bridges[b].n_ports++] = i;
		f->dp->ports[i].open = true;
	}
	f->dp->ports[P_VX1].is_tunnel = true;
	f->dp->ports[P_VX2].is_tunnel = true;
	f->t->ports[P_WIRE].vtep = true;
	f->t->ports[P_VX1].tunnel = 1;
	f->t->ports[P_VX2].tunnel = 2;
	f->t->bridges[1].has_tunnels = true;
	f->t->n_tunnels = 2;
	tunnel_path(&f->t->tunnels[0], P_VX1, REMOTE1, mac_r1);
	tunnel_path(&f->t->tunnels[1], P_VX2, REMOTE2, mac_r2);
	f->t->n_vteps = 1;
	f->t->vteps[0].local_ip = LOCAL_IP;
	f->t->vteps[0].dst_port = 4789;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct dp_upcall u;
	uint16_t p, i;

	for (p = 0; p < DP_MAX_PORTS; p++) {
		for (i = 0; i < f->pmd->tx[p].n; i++) {
			rte_pktmbuf_free(f->pmd->tx[p].pkts[i]);
		}
	}
	for (i = 0; i < f->pmd->recirc.n; i++) {
		rte_pktmbuf_free(f->pmd->recirc.m[i]);
	}
	while (rte_ring_sc_dequeue_elem(f->pmd->upcalls, &u, sizeof(u)) == 0) {
		rte_pktmbuf_free(u.pkt);
	}
	rte_ring_free(f->pmd->upcalls);
	fdb_destroy(f->dp->fdb);
	rte_free(f->t);
	rte_free(f->pmd);
	rte_free(f->dp);
	free(f);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	return 0;
}

/* An Ethernet frame of 'size' bytes, IPv4 EtherType, payload bytes numbered. */
static struct rte_mbuf *
frame(const uint8_t *dst, const uint8_t *src, uint16_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t buf[2048];
	char *p;
	uint16_t i;

	assert_non_null(m);
	assert_true(size >= 14 && size <= sizeof(buf));
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = 0x08;
	buf[13] = 0x00;
	for (i = 14; i < size; i++) {
		buf[i] = (uint8_t)i;
	}
	p = rte_pktmbuf_append(m, size);
	assert_non_null(p);
	memcpy(p, buf, size);
	return m;
}

/* A VXLAN frame from 'remote' to the local VTEP around 'inner_size' bytes
 * of frame(dst, src). */
static struct rte_mbuf *
vxlan_frame(uint32_t remote, uint32_t vni, const uint8_t *dst, const uint8_t *src,
	    uint16_t inner_size)
{
	struct vxlan_tmpl_params tp = {
	    .local_ip = remote, .remote_ip = LOCAL_IP, .vni = vni, .dst_port = 4789, .ttl = 64};
	struct vxlan_tmpl tmpl;
	struct rte_mbuf *m = frame(dst, src, inner_size);
	uint8_t *hdr;

	memcpy(tp.src_mac, mac_r1, 6);
	memcpy(tp.dst_mac, mac_phy, 6);
	assert_int_equal(vxlan_tmpl_build(&tmpl, &tp), 0);
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, VXLAN_LEN);
	assert_non_null(hdr);
	vxlan_encap(&tmpl, hdr, inner_size, 50000);
	return m;
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RFC 1071 sum over an IPv4 header: 0xffff when its checksum is right. */
static uint16_t
ip_sum(const uint8_t *h)
{
	uint32_t s = 0;
	unsigned i;

	for (i = 0; i < 20; i += 2) {
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	}
	while (s >> 16) {
		s = (s & 0xffff) + (s >> 16);
	}
	return (uint16_t)s;
}

/* Checks that 'm' is 'inner' (of 'inner_size' bytes, as frame() made it)
 * in VXLAN VNI 'vni' to 'remote' at 'rmac'. */
static void
assert_vxlan(const struct rte_mbuf *m, const uint8_t *rmac, uint32_t remote, uint32_t vni,
	     const uint8_t *inner_dst, uint16_t inner_size)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t sport;

	assert_int_equal(m->pkt_len, inner_size + VXLAN_LEN);
	assert_memory_equal(p, rmac, 6);
	assert_memory_equal(p + 6, mac_phy, 6);
	assert_int_equal(p[12] << 8 | p[13], 0x0800);
	assert_int_equal(p[14], 0x45);
	assert_int_equal(p[16] << 8 | p[17], inner_size + 36); /* IPv4 total length */
	assert_int_equal(p[20] & 0x40, 0x40);                  /* DF */
	assert_int_equal(p[22], 64);                           /* TTL */
	assert_int_equal(p[23], 17);                           /* UDP */
	assert_int_equal(ip_sum(p + 14), 0xffff);
	assert_int_equal(rd32(p + 26), LOCAL_IP);
	assert_int_equal(rd32(p + 30), remote);
	sport = (uint16_t)(p[34] << 8 | p[35]);
	assert_true(sport >= 49152);
	assert_int_equal(p[36] << 8 | p[37], 4789);
	assert_int_equal(p[38] << 8 | p[39], inner_size + 16); /* UDP length */
	assert_int_equal(p[42], 0x08);                         /* I flag */
	assert_int_equal(rd32(p + 46) >> 8, vni);
	assert_memory_equal(p + 50, inner_dst, 6);
	assert_int_equal(p[50 + 20], 20); /* the numbered payload survived */
}

static unsigned
upcalls(struct fixture *f, struct dp_upcall *out, unsigned max)
{
	return rte_ring_sc_dequeue_burst_elem(f->pmd->upcalls, out, sizeof(*out), max, NULL);
}

/* Sends what the tunnels batched into the underlay, as pmd_flush() does. */
static void
flush_tunnels(struct fixture *f)
{
	tnl_flush_port(f->pmd, P_VX1);
	tnl_flush_port(f->pmd, P_VX2);
	tnl_recirc_run(f->pmd, 0);
}

static void
test_tunnel_flood_replicated_to_each_tunnel(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = frame(mac_bcast, mac_h0, 64);
	const uint8_t *a, *b;

	pipeline_process(f->pmd, f->t, P_C1, &m, 1, 1);
	assert_int_equal(f->pmd->tx[P_VX1].n, 1);
	assert_int_equal(f->pmd->tx[P_VX2].n, 1);
	flush_tunnels(f);
	/* Both copies left through the wire (the underlay floods: unknown MACs). */
	assert_int_equal(f->pmd->tx[P_WIRE].n, 2);
	a = rte_pktmbuf_mtod(f->pmd->tx[P_WIRE].pkts[0], const uint8_t *);
	b = rte_pktmbuf_mtod(f->pmd->tx[P_WIRE].pkts[1], const uint8_t *);
	assert_ptr_not_equal(a, b);
	assert_vxlan(f->pmd->tx[P_WIRE].pkts[0], mac_r1, REMOTE1, VNI, mac_bcast, 64);
	assert_vxlan(f->pmd->tx[P_WIRE].pkts[1], mac_r2, REMOTE2, VNI, mac_bcast, 64);
	assert_int_equal(f->pmd->pstats[P_VX1].tx_packets, 1);
	assert_int_equal(f->pmd->pstats[P_VX1].tx_bytes, 64);
	assert_int_equal(f->pmd->pstats[P_VX2].tx_packets, 1);
}

static void
test_tunnel_same_flow_same_source_port(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m[2] = {frame(mac_h1, mac_h0, 80), frame(mac_h1, mac_h0, 80)};
	const uint8_t *a, *b;

	/* Unicast to a MAC learned on vx1 goes there alone. */
	assert_int_equal(fdb_add_static(f->dp->fdb, 1, 0, mac_h1, P_VX1), 0);
	pipeline_process(f->pmd, f->t, P_C1, m, 2, 1);
	assert_int_equal(f->pmd->tx[P_VX1].n, 2);
	assert_int_equal(f->pmd->tx[P_VX2].n, 0);
	flush_tunnels(f);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 2);
	a = rte_pktmbuf_mtod(f->pmd->tx[P_WIRE].pkts[0], const uint8_t *);
	b = rte_pktmbuf_mtod(f->pmd->tx[P_WIRE].pkts[1], const uint8_t *);
	assert_memory_equal(a + 34, b + 34, 2);
	assert_vxlan(f->pmd->tx[P_WIRE].pkts[1], mac_r1, REMOTE1, VNI, mac_h1, 80);
}

static void
test_tunnel_decap_enters_on_its_tunnel(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = vxlan_frame(REMOTE1, VNI, mac_bcast, mac_h1, 70);
	const struct dp_tnl_md *md;
	const uint8_t *p;

	pipeline_process(f->pmd, f->t, P_WIRE, &m, 1, 1);
	/* Inner frame flooded in the overlay: to the container, not to vx2
	 * (split horizon), and nothing in the underlay. */
	assert_int_equal(f->pmd->tx[P_C1].n, 1);
	assert_int_equal(f->pmd->tx[P_VX2].n, 0);
	assert_int_equal(f->pmd->tx[P_LOCAL].n, 0);
	assert_int_equal(f->pmd->tx[P_C1].pkts[0]->pkt_len, 70);
	p = rte_pktmbuf_mtod(f->pmd->tx[P_C1].pkts[0], const uint8_t *);
	assert_memory_equal(p, mac_bcast, 6);
	assert_memory_equal(p + 6, mac_h1, 6);
	assert_int_equal(p[20], 20);
	md = dp_tnl_md(f->pmd->tx[P_C1].pkts[0]);
	assert_int_equal(md->tun_id, VNI);
	assert_int_equal(md->tun_src, REMOTE1);
	assert_int_equal(md->tun_dst, LOCAL_IP);
	assert_int_equal(f->pmd->pstats[P_VX1].rx_packets, 1);
	assert_int_equal(f->pmd->pstats[P_VX1].rx_bytes, 70);
}

static void
test_tunnel_decap_wrong_vni_or_remote_dropped(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m[2] = {vxlan_frame(REMOTE1, VNI + 1, mac_bcast, mac_h1, 70),
				 vxlan_frame(0xc6120009u, VNI, mac_bcast, mac_h1, 70)};

	pipeline_process(f->pmd, f->t, P_WIRE, m, 2, 1);
	assert_int_equal(f->pmd->tx[P_C1].n, 0);
	assert_int_equal(f->pmd->tx[P_LOCAL].n, 0);
	assert_int_equal(f->pmd->drops[DP_DROP_TNL_NO_PORT], 2);
	assert_int_equal(f->pmd->pstats[P_WIRE].rx_dropped, 2);
	assert_int_equal(f->pmd->pstats[P_VX1].rx_packets, 0);
}

static void
test_tunnel_decap_garbled_dropped(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m[3];
	uint8_t *p;

	/* I flag clear. */
	m[0] = vxlan_frame(REMOTE1, VNI, mac_bcast, mac_h1, 70);
	rte_pktmbuf_mtod(m[0], uint8_t *)[42] = 0;
	/* Cut inside the VXLAN header (UDP length then lies too). */
	m[1] = vxlan_frame(REMOTE1, VNI, mac_bcast, mac_h1, 70);
	rte_pktmbuf_trim(m[1], (uint16_t)(m[1]->pkt_len - 46));
	/* IPv4 checksum wrong. */
	m[2] = vxlan_frame(REMOTE1, VNI, mac_bcast, mac_h1, 70);
	p = rte_pktmbuf_mtod(m[2], uint8_t *);
	p[24] ^= 0x55;
	pipeline_process(f->pmd, f->t, P_WIRE, m, 3, 1);
	assert_int_equal(f->pmd->drops[DP_DROP_TNL_BAD], 3);
	assert_int_equal(f->pmd->tx[P_C1].n, 0);
	assert_int_equal(f->pmd->tx[P_LOCAL].n, 0);
}

static void
test_tunnel_other_traffic_and_arp_on_the_wire(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m[2] = {frame(mac_phy, mac_r1, 60), frame(mac_bcast, mac_r1, 60)};
	struct dp_upcall u[4];
	uint32_t len;

	rte_pktmbuf_mtod(m[1], uint8_t *)[13] = 0x06; /* ARP */
	pipeline_process(f->pmd, f->t, P_WIRE, m, 2, 1);
	/* Both go on through the underlay bridge (to its internal port). */
	assert_int_equal(f->pmd->tx[P_LOCAL].n, 2);
	assert_int_equal(upcalls(f, u, 4) >= 1, true);
	assert_int_equal(u[0].type == DP_UPCALL_ARP || u[1].type == DP_UPCALL_ARP, true);
	if (u[0].type != DP_UPCALL_ARP) {
		u[0] = u[1];
	}
	assert_int_equal(u[0].port, P_WIRE);
	assert_non_null(dp_upcall_data(&u[0], &len));
	assert_int_equal(len, 60);
	dp_upcall_release(&u[0]);
}

static void
test_tunnel_too_big_and_unresolved_dropped(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *big = frame(mac_h1, mac_h0, 1465), *fits = frame(mac_h1, mac_h0, 1464);
	struct rte_mbuf *m;

	assert_int_equal(fdb_add_static(f->dp->fdb, 1, 0, mac_h1, P_VX1), 0);
	pipeline_process(f->pmd, f->t, P_C1, &big, 1, 1);
	pipeline_process(f->pmd, f->t, P_C1, &fits, 1, 1);
	flush_tunnels(f);
	/* 1465 + 36 > 1500: dropped; 1464 + 36 = 1500 fits. */
	assert_int_equal(f->pmd->drops[DP_DROP_TNL_TOO_BIG], 1);
	assert_int_equal(f->pmd->pstats[P_VX1].tx_dropped, 1);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 1);
	assert_int_equal(f->pmd->tx[P_WIRE].pkts[0]->pkt_len, 1464 + VXLAN_LEN);
	/* Next hop not resolved: nothing leaves, counted. */
	f->t->tunnels[0].path.ready = false;
	m = frame(mac_h1, mac_h0, 64);
	pipeline_process(f->pmd, f->t, P_C1, &m, 1, 1);
	flush_tunnels(f);
	assert_int_equal(f->pmd->drops[DP_DROP_TNL_NO_NEIGH], 1);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 1);
}

static void
test_tunnel_key_flow_and_remote_flow(void **state)
{
	struct fixture *f = *state;
	struct dp_ttunnel *tn = &f->t->tunnels[0];
	struct dp_tnl_nh *nh;
	struct dp_upcall u;
	struct rte_mbuf *m;

	/* key=flow: the VNI comes from the frame's tunnel_id. */
	tn->key_flow = true;
	m = frame(mac_h1, mac_h0, 64);
	dp_tnl_md(m)->tun_id = 77;
	f->pmd->tx[P_VX1].pkts[f->pmd->tx[P_VX1].n++] = m;
	flush_tunnels(f);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 1);
	assert_vxlan(f->pmd->tx[P_WIRE].pkts[0], mac_r1, REMOTE1, 77, mac_h1, 64);
	/* remote_ip=flow, remote unknown: dropped, and control is asked. */
	tn->remote_flow = true;
	m = frame(mac_h1, mac_h0, 64);
	dp_tnl_md(m)->tun_id = 78;
	dp_tnl_md(m)->tun_dst = REMOTE2;
	f->pmd->tx[P_VX1].pkts[f->pmd->tx[P_VX1].n++] = m;
	flush_tunnels(f);
	assert_int_equal(f->pmd->drops[DP_DROP_TNL_NO_NEIGH], 1);
	/* (The underlay's NORMAL also asked to learn the first frame's source.) */
	do {
		assert_int_equal(upcalls(f, &u, 1), 1);
	} while (u.type == DP_UPCALL_LEARN);
	assert_int_equal(u.type, DP_UPCALL_TNL_MISS);
	assert_int_equal(u.remote_ip, REMOTE2);
	/* Once control published the path, it goes. */
	nh = &f->t->tnl_nh[dp_tnl_nh_slot(REMOTE2)];
	nh->remote_ip = REMOTE2;
	nh->local_ip = LOCAL_IP;
	nh->underlay_in = P_LOCAL;
	nh->mtu = 1500;
	memcpy(nh->src_mac, mac_phy, 6);
	memcpy(nh->dst_mac, mac_r2, 6);
	m = frame(mac_h1, mac_h0, 64);
	dp_tnl_md(m)->tun_id = 78;
	dp_tnl_md(m)->tun_dst = REMOTE2;
	f->pmd->tx[P_VX1].pkts[f->pmd->tx[P_VX1].n++] = m;
	flush_tunnels(f);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 2);
	assert_vxlan(f->pmd->tx[P_WIRE].pkts[1], mac_r2, REMOTE2, 78, mac_h1, 64);
}

static void
test_tunnel_metadata_cleared_on_other_ports(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = frame(mac_h1, mac_h0, 64);

	/* Stale bytes in the field (a reused mbuf) must not become a VNI. */
	dp_tnl_md(m)->tun_id = 999;
	dp_tnl_md(m)->tun_dst = REMOTE2;
	f->t->tunnels[0].key_flow = true;
	assert_int_equal(fdb_add_static(f->dp->fdb, 1, 0, mac_h1, P_VX1), 0);
	pipeline_process(f->pmd, f->t, P_C1, &m, 1, 1);
	flush_tunnels(f);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 1);
	assert_vxlan(f->pmd->tx[P_WIRE].pkts[0], mac_r1, REMOTE1, 0, mac_h1, 64);
}

static void
test_tunnel_endless_encapsulation_dropped(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = frame(mac_h1, mac_h0, 64);

	f->pmd->recirc.in[0] = P_LOCAL;
	f->pmd->recirc.m[0] = m;
	f->pmd->recirc.n = 1;
	tnl_recirc_run(f->pmd, DP_RECIRC_ROUNDS);
	assert_int_equal(f->pmd->drops[DP_DROP_TNL_LOOP], 1);
	assert_int_equal(f->pmd->recirc.n, 0);
	assert_int_equal(f->pmd->tx[P_WIRE].n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tunnel_flood_replicated_to_each_tunnel, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_same_flow_same_source_port, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_decap_enters_on_its_tunnel, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_decap_wrong_vni_or_remote_dropped, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_decap_garbled_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_other_traffic_and_arp_on_the_wire, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_too_big_and_unresolved_dropped, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_key_flow_and_remote_flow, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_metadata_cleared_on_other_ports, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tunnel_endless_encapsulation_dropped, setup,
					    teardown),
	};

	if (eal_test_init("test_tunnel") < 0) {
		fprintf(stderr, "cannot initialise the EAL\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL || dp_tnl_md_register() < 0) {
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
