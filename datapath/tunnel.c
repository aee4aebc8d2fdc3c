/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel.c - VXLAN tunnel ports in the poll loop.
 *
 * Output: a tunnel port has no device.  Frames batched for it are
 * encapsulated from the tunnel's pre-built header template
 * (vxlan_stage_encap()) and queued in the PMD's recirculation queue; once
 * the poll iteration's other output is sent, pmd_flush() runs them through
 * the underlay bridge as if that bridge's internal port had sent them, so
 * the underlay's own forwarding (NORMAL or flows) picks the physical port,
 * as Open vSwitch's native tunnelling does with br-phy.  A frame that is
 * encapsulated again and again (a tunnel whose underlay leads back into a
 * tunnel) is dropped after DP_RECIRC_ROUNDS passes.
 *
 * Input: on ports of underlay bridges ('vtep' ports) every burst is
 * screened for IPv4/UDP frames to a local VTEP (address and port); those
 * are decapsulated (vxlan_stage_decap() checks them whole) and enter the
 * bridge of the tunnel port whose VNI and remote they match, with the
 * VNI and both outer addresses as tunnel metadata.  Frames that match no
 * tunnel port, or fail the parse, are dropped and counted.  ARP frames on
 * those ports are copied to control for the tunnel neighbour cache and
 * forwarded as usual.
 *
 * Tunnel metadata lives in an mbuf dynamic field (struct dp_tnl_md).
 */
#include "datapath/dp_priv.h"
#include "datapath/vxlan_stage.h"

#include <rte_byteorder.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#define TNL_MISS_REPEAT_MS 100 /* a TNL_MISS upcall for one remote repeats at most this often */

static inline void
tnl_tx_drop(struct pmd *pmd, uint16_t port, struct rte_mbuf *m, enum dp_drop why)
{
	pmd->drops[why]++;
	pmd->pstats[port].tx_dropped++;
	rte_pktmbuf_free(m);
}

/* 'm', or a private copy of it when other outputs share it (encapsulation
 * writes in front of the frame); NULL when no copy could be made. */
static inline struct rte_mbuf *
tnl_own(struct pmd *pmd, struct rte_mbuf *m)
{
	struct rte_mbuf *copy;

	if (likely(RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1)) {
		return m;
	}
	copy = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
	rte_pktmbuf_free(m);
	if (unlikely(copy == NULL)) {
		pmd->drops[DP_DROP_NO_MBUF]++;
	}
	return copy;
}

/* The path to 'remote' of remote_ip=flow tunnels, or NULL. */
static const struct dp_tnl_nh *
tnl_nh_find(const struct dp_tables *t, uint32_t remote)
{
	unsigned slot = dp_tnl_nh_slot(remote), i;

	for (i = 0; i < DP_TNL_NH_SIZE; i++) {
		const struct dp_tnl_nh *nh = &t->tnl_nh[(slot + i) & (DP_TNL_NH_SIZE - 1)];

		if (nh->remote_ip == remote) {
			return nh;
		}
		if (nh->remote_ip == 0) {
			break;
		}
	}
	return NULL;
}

/* Asks control to resolve 'remote', unless this PMD just did. */
static void
tnl_miss(struct pmd *pmd, uint16_t port, uint32_t remote)
{
	struct dp_upcall u;

	if (remote == pmd->tnl_miss_ip &&
	    pmd->now - pmd->tnl_miss_tick < dp_hz() / 1000 * TNL_MISS_REPEAT_MS) {
		return;
	}
	memset(&u, 0, sizeof(u));
	u.type = DP_UPCALL_TNL_MISS;
	u.pmd = (uint8_t)pmd->idx;
	u.port = port;
	u.bridge = DP_BRIDGE_NONE;
	u.remote_ip = remote;
	if (rte_ring_sp_enqueue_elem(pmd->upcalls, &u, sizeof(u)) != 0) {
		pmd->upcall_dropped++;
		return;
	}
	pmd->tnl_miss_ip = remote;
	pmd->tnl_miss_tick = pmd->now;
}

/* Queues encapsulated 'm' to enter the underlay at 'in'. */
static inline void
tnl_recirc_add(struct pmd *pmd, uint16_t port, uint16_t in, struct rte_mbuf *m)
{
	struct dp_recirc *r = &pmd->recirc;

	if (unlikely(r->n == DP_RECIRC_MAX)) {
		tnl_tx_drop(pmd, port, m, DP_DROP_TNL_LOOP);
		return;
	}
	r->in[r->n] = in;
	r->m[r->n++] = m;
}

/* Counts what the stage did with 'n' frames of 'port' and queues the good ones. */
static void
tnl_encap_done(struct pmd *pmd, uint16_t port, uint16_t in, const struct vxlan_stage_out *out,
	       uint64_t inner_bytes)
{
	struct dp_pstats *s = &pmd->pstats[port];
	uint16_t i;

	for (i = 0; i < out->n_dropped; i++) {
		inner_bytes -= out->dropped[i]->pkt_len;
		tnl_tx_drop(pmd, port, out->dropped[i],
			    out->why[i] == VXLAN_DROP_TOO_BIG ? DP_DROP_TNL_TOO_BIG
							      : DP_DROP_NO_HEADROOM);
	}
	s->tx_packets += out->n_ok;
	s->tx_bytes += inner_bytes;
	for (i = 0; i < out->n_ok; i++) {
		tnl_recirc_add(pmd, port, in, out->ok[i]);
	}
}

/* Encapsulates one frame over a template built for it alone: a per-packet
 * remote (remote_ip=flow) or VNI (key=flow). */
static void
tnl_encap_one(struct pmd *pmd, const struct dp_tables *t, const struct dp_ttunnel *tn,
	      uint16_t port, struct rte_mbuf *m)
{
	const struct dp_tnl_md *md = dp_tnl_md(m);
	struct rte_mbuf *ok[1], *dropped[1];
	uint8_t why[1];
	struct vxlan_stage_out out = {.ok = ok, .dropped = dropped, .why = why};
	uint32_t vni = tn->key_flow ? (uint32_t)(md->tun_id & VXLAN_VNI_MAX) : tn->vni;
	struct vxlan_tmpl tmpl;
	uint16_t in, mtu;
	uint64_t bytes = m->pkt_len;

	if (!tn->remote_flow) {
		tmpl = tn->path.tmpl;
		/* The VNI is outside the IPv4 checksum: patch it in place. */
		tmpl.hdr[VXLAN_OVERHEAD_SIZE - 4] = (uint8_t)(vni >> 16);
		tmpl.hdr[VXLAN_OVERHEAD_SIZE - 3] = (uint8_t)(vni >> 8);
		tmpl.hdr[VXLAN_OVERHEAD_SIZE - 2] = (uint8_t)vni;
		in = tn->path.underlay_in;
		mtu = tn->path.mtu;
	} else {
		const struct dp_tnl_nh *nh = md->tun_dst != 0 ? tnl_nh_find(t, md->tun_dst) : NULL;
		struct vxlan_tmpl_params tp;

		if (nh == NULL) {
			if (md->tun_dst != 0) {
				tnl_miss(pmd, port, md->tun_dst);
			}
			tnl_tx_drop(pmd, port, m, DP_DROP_TNL_NO_NEIGH);
			return;
		}
		memcpy(tp.src_mac, nh->src_mac, 6);
		memcpy(tp.dst_mac, nh->dst_mac, 6);
		tp.local_ip = tn->local_ip != 0 ? tn->local_ip : nh->local_ip;
		tp.remote_ip = nh->remote_ip;
		tp.vni = vni;
		tp.dst_port = tn->dst_port;
		tp.tos = tn->tos;
		tp.ttl = tn->ttl;
		tp.df = tn->df;
		vxlan_tmpl_build(&tmpl, &tp);
		in = nh->underlay_in;
		mtu = nh->mtu;
	}
	vxlan_stage_encap(&tmpl, mtu, &m, 1, &out);
	tnl_encap_done(pmd, port, in, &out, bytes);
}

void
tnl_flush_port(struct pmd *pmd, uint16_t port)
{
	const struct dp_tables *t = pmd->t;
	struct dp_txbuf *b = &pmd->tx[port];
	struct rte_mbuf *fast[DP_BURST_MAX], *dropped[DP_BURST_MAX];
	uint8_t why[DP_BURST_MAX];
	struct vxlan_stage_out out = {.ok = fast, .dropped = dropped, .why = why};
	const struct dp_ttunnel *tn;
	uint64_t bytes = 0;
	uint16_t i, n_fast = 0, n = b->n;

	b->n = 0;
	if (unlikely(t->ports[port].tunnel == DP_TNL_NONE)) {
		for (i = 0; i < n; i++) {
			tnl_tx_drop(pmd, port, b->pkts[i], DP_DROP_NO_BRIDGE);
		}
		return;
	}
	tn = &t->tunnels[t->ports[port].tunnel - 1];
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = tnl_own(pmd, b->pkts[i]);

		if (unlikely(m == NULL)) {
			pmd->pstats[port].tx_dropped++;
		} else if (unlikely(tn->key_flow || tn->remote_flow)) {
			if (!tn->remote_flow && !tn->path.ready) {
				tnl_tx_drop(pmd, port, m, DP_DROP_TNL_NO_NEIGH);
			} else {
				tnl_encap_one(pmd, t, tn, port, m);
			}
		} else if (unlikely(!tn->path.ready)) {
			tnl_tx_drop(pmd, port, m, DP_DROP_TNL_NO_NEIGH);
		} else {
			bytes += m->pkt_len;
			fast[n_fast++] = m;
		}
	}
	if (n_fast != 0) {
		vxlan_stage_encap(&tn->path.tmpl, tn->path.mtu, fast, n_fast, &out);
		tnl_encap_done(pmd, port, tn->path.underlay_in, &out, bytes);
	}
}

void
tnl_recirc_run(struct pmd *pmd, unsigned round)
{
	struct dp_recirc *r = &pmd->recirc;
	struct rte_mbuf *m[DP_RECIRC_MAX];
	uint16_t in[DP_RECIRC_MAX], n = r->n, i, j;

	memcpy(m, r->m, n * sizeof(m[0]));
	memcpy(in, r->in, n * sizeof(in[0]));
	r->n = 0;
	if (unlikely(round >= DP_RECIRC_ROUNDS)) {
		for (i = 0; i < n; i++) {
			pmd->drops[DP_DROP_TNL_LOOP]++;
			rte_pktmbuf_free(m[i]);
		}
		return;
	}
	/* Runs of one input port, a burst at most at a time. */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && in[j] == in[i] && j - i < DP_BURST_MAX; j++) {
		}
		pipeline_process(pmd, pmd->t, in[i], &m[i], (uint16_t)(j - i), pmd->now);
	}
}

/* The local VTEP that IPv4/UDP frame 'm' is for, or -1 (a cheap screen;
 * vxlan_stage_decap() checks the whole frame). */
static inline int
tnl_vtep_of(const struct dp_tables *t, const struct rte_mbuf *m)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t dst;
	unsigned ihl, v;
	uint16_t port;

	if (m->data_len < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00 || f[14 + 9] != 17) {
		return -1;
	}
	ihl = (f[14] & 0x0fu) * 4;
	if (ihl < 20 || m->data_len < 14 + ihl + 8) {
		return -1;
	}
	dst = (uint32_t)f[30] << 24 | (uint32_t)f[31] << 16 | (uint32_t)f[32] << 8 | f[33];
	port = (uint16_t)(f[14 + ihl + 2] << 8 | f[14 + ihl + 3]);
	for (v = 0; v < t->n_vteps; v++) {
		if (t->vteps[v].local_ip == dst && t->vteps[v].dst_port == port) {
			return (int)v;
		}
	}
	return -1;
}

/* The tunnel port that takes VNI 'vni' from 'remote' at VTEP 'vt': one
 * with that remote and key first, then key=flow, then remote_ip=flow. */
static const struct dp_ttunnel *
tnl_port_for(const struct dp_tables *t, const struct dp_tvtep *vt, uint32_t vni, uint32_t remote)
{
	const struct dp_ttunnel *best = NULL;
	unsigned best_rank = 4, i;

	for (i = 0; i < t->n_tunnels; i++) {
		const struct dp_ttunnel *tn = &t->tunnels[i];
		unsigned rank;

		if (tn->dst_port != vt->dst_port ||
		    (tn->local_ip != 0 && tn->local_ip != vt->local_ip) ||
		    (!tn->remote_flow && tn->remote_ip != remote) ||
		    (!tn->key_flow && tn->vni != vni) || !t->ports[tn->port].enabled) {
			continue;
		}
		rank = (unsigned)tn->remote_flow * 2 + (unsigned)tn->key_flow;
		if (rank < best_rank) {
			best = tn;
			best_rank = rank;
		}
	}
	return best;
}

/* Hands a copy of ARP frame 'm' of 'in_port' to control. */
static void
tnl_arp_upcall(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port, struct rte_mbuf *m)
{
	struct dp_upcall u;

	memset(&u, 0, sizeof(u));
	u.type = DP_UPCALL_ARP;
	u.pmd = (uint8_t)pmd->idx;
	u.port = in_port;
	u.bridge = t->ports[in_port].bridge;
	u.total_len = m->pkt_len;
	u.pkt = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
	if (u.pkt == NULL) {
		pmd->drops[DP_DROP_NO_MBUF]++;
		return;
	}
	if (rte_ring_sp_enqueue_elem(pmd->upcalls, &u, sizeof(u)) != 0) {
		rte_pktmbuf_free(u.pkt);
		pmd->upcall_dropped++;
	}
}

/* Decapsulates the 'n' frames of 'pkts' for VTEP 'vt' that came in on
 * 'in_port' and runs them through their tunnel ports. */
static void
tnl_decap(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port, const struct dp_tvtep *vt,
	  struct rte_mbuf **pkts, uint16_t n, uint64_t now)
{
	struct rte_mbuf *ok[DP_BURST_MAX], *dropped[DP_BURST_MAX], *run[DP_BURST_MAX];
	struct vxlan_decap_conf conf = {.local_ip = vt->local_ip, .dst_port = vt->dst_port};
	struct vxlan_stage_out out = {.ok = ok, .dropped = dropped};
	struct vxlan_rx_meta meta[DP_BURST_MAX];
	const struct dp_ttunnel *tns[DP_BURST_MAX];
	uint8_t why[DP_BURST_MAX];
	uint16_t i, j, k;

	out.why = why;
	vxlan_stage_decap(&conf, pkts, n, &out, meta);
	for (i = 0; i < out.n_dropped; i++) {
		pmd->drops[DP_DROP_TNL_BAD]++;
		pmd->pstats[in_port].rx_dropped++;
		rte_pktmbuf_free(out.dropped[i]);
	}
	for (i = 0; i < out.n_ok; i++) {
		struct dp_tnl_md *md = dp_tnl_md(ok[i]);

		tns[i] = tnl_port_for(t, vt, meta[i].vni, meta[i].remote_ip);
		if (unlikely(tns[i] == NULL)) {
			pmd->drops[DP_DROP_TNL_NO_PORT]++;
			pmd->pstats[in_port].rx_dropped++;
			rte_pktmbuf_free(ok[i]);
			ok[i] = NULL;
			continue;
		}
		md->tun_id = meta[i].vni;
		md->tun_src = meta[i].remote_ip;
		md->tun_dst = vt->local_ip;
	}
	/* Each tunnel port's frames, in order, as one burst of that port. */
	for (i = 0; i < out.n_ok; i++) {
		const struct dp_ttunnel *tn = tns[i];
		struct dp_pstats *s;

		if (ok[i] == NULL) {
			continue;
		}
		s = &pmd->pstats[tn->port];
		for (j = i, k = 0; j < out.n_ok; j++) {
			if (ok[j] != NULL && tns[j] == tn) {
				s->rx_bytes += ok[j]->pkt_len;
				run[k++] = ok[j];
				ok[j] = NULL;
			}
		}
		s->rx_packets += k;
		pipeline_process(pmd, t, tn->port, run, k, now);
	}
}

uint16_t
tnl_rx(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port, struct rte_mbuf **pkts,
       uint16_t n, uint64_t now)
{
	struct rte_mbuf *vx[DP_BURST_MAX];
	uint8_t vidx[DP_BURST_MAX];
	uint16_t i, k = 0, n_vx = 0, n_left, j;
	int v;

	for (i = 0; i < n; i++) {
		const uint8_t *f = rte_pktmbuf_mtod(pkts[i], const uint8_t *);

		v = tnl_vtep_of(t, pkts[i]);
		if (v >= 0) {
			vidx[n_vx] = (uint8_t)v;
			vx[n_vx++] = pkts[i];
			continue;
		}
		if (pkts[i]->data_len >= 14 && f[12] == 0x08 && f[13] == 0x06) {
			tnl_arp_upcall(pmd, t, in_port, pkts[i]);
		}
		pkts[k++] = pkts[i];
	}
	/* Usually one VTEP: one decapsulation call per VTEP present. */
	for (n_left = n_vx; n_left != 0;) {
		struct rte_mbuf *grp[DP_BURST_MAX];
		uint8_t want = vidx[0];
		uint16_t g = 0, rest = 0;

		for (j = 0; j < n_left; j++) {
			if (vidx[j] == want) {
				grp[g++] = vx[j];
			} else {
				vidx[rest] = vidx[j];
				vx[rest++] = vx[j];
			}
		}
		tnl_decap(pmd, t, in_port, &t->vteps[want], grp, g, now);
		n_left = rest;
	}
	return k;
}
