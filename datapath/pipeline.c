/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipeline.c - what happens to a burst of frames from one port.
 *
 * A bridge whose classifier is NULL or holds only the default flow
 * (table 0, priority 0, actions=NORMAL) runs NORMAL directly, as before
 * OpenFlow: parse, learn the source, look the destination up in the MAC
 * table, and forward, flood or drop.  Any other classifier hands the
 * burst to of_exec.c, which calls pipeline_normal() back for frames whose
 * rules say NORMAL.  The classifier pointer is read once per burst.
 *
 * NORMAL, as in Open vSwitch: a frame to a learned unicast MAC goes to
 * that port alone (and is dropped when that is the port it came in on);
 * broadcast, multicast and unknown unicast go to every other enabled
 * port of the bridge exactly once.  Flooded frames share one mbuf whose
 * reference count covers every output; no output modifies frame data.
 * Ports with OFPPC_NO_FWD get nothing; ports with OFPPC_NO_RECV take
 * nothing in.  Tunnel ports follow split horizon: what one floods is
 * not flooded to another (the remotes of a full mesh flood their own
 * ports; flooding it on would loop).
 */
#include "datapath/dp_priv.h"
#include "datapath/parse.h"
#include "datapath/vlan.h"

#include <rte_hash_crc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

static inline void
pipeline_drop(struct pmd *pmd, uint16_t in_port, struct rte_mbuf *m, enum dp_drop why)
{
	pmd->drops[why]++;
	pmd->pstats[in_port].rx_dropped++;
	rte_pktmbuf_free(m);
}

/* Sends 'm', shared by 'n' outputs 'out', to each; 'm' is not shared yet. */
static void
pipeline_output_all(struct pmd *pmd, const uint16_t *out, uint16_t n, struct rte_mbuf *m)
{
	uint16_t i;

	if (n > 1) {
		rte_mbuf_refcnt_update(m, (int16_t)(n - 1));
	}
	for (i = 0; i < n; i++) {
		pmd_tx(pmd, out[i], m);
	}
}

/* Gives 'm' the header of the ports in 'out' (all want the same one). */
static bool
pipeline_retag(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port, struct rte_mbuf *m,
	       uint16_t out, const struct vlan_meta *meta)
{
	if (likely(!vlan_egress_changes(&t->ports[out].vlan, meta))) {
		return true;
	}
	if (unlikely(vlan_egress(m, &t->ports[out].vlan, meta) < 0)) {
		pipeline_drop(pmd, in_port, m, DP_DROP_NO_HEADROOM);
		return false;
	}
	return true;
}

/*
 * Floods 'm' to every other enabled port of the bridge that carries its
 * VLAN.  Outputs fall in at most two groups, those that send the frame
 * tagged and those that send it untagged; the group that needs the frame
 * as it came shares the original, the other gets one copy, re-tagged.
 */
static void
pipeline_flood(struct pmd *pmd, const struct dp_tables *t, uint16_t bridge, uint16_t in_port,
	       struct rte_mbuf *m, const struct vlan_meta *meta)
{
	const struct dp_tbridge *br = &t->bridges[bridge];
	uint16_t grp[2][DP_MAX_PORTS], n[2] = {0, 0}, i, keep;
	struct rte_mbuf *copy;

	for (i = 0; i < br->n_ports; i++) {
		uint16_t p = br->ports[i];
		const struct vlan_port *vp = &t->ports[p].vlan;

		if (p != in_port && t->ports[p].enabled && !t->ports[p].no_fwd &&
		    vlan_port_carries(vp, meta->vlan) &&
		    (t->ports[p].tunnel == DP_TNL_NONE ||
		     t->ports[in_port].tunnel == DP_TNL_NONE)) {
			bool tags = vlan_port_tags(vp, meta->vlan);

			grp[tags][n[tags]++] = p;
		}
	}
	if (n[0] + n[1] == 0) {
		pipeline_drop(pmd, in_port, m, DP_DROP_NO_OUTPUT);
		return;
	}
	/* The original goes to the group that needs it unchanged, if any. */
	keep = n[1] == 0 || (n[0] != 0 && !meta->tagged) ? 0 : 1;
	if (n[!keep] != 0) {
		copy = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
		if (unlikely(copy == NULL)) {
			pmd->drops[DP_DROP_NO_MBUF]++;
		} else if (pipeline_retag(pmd, t, in_port, copy, grp[!keep][0], meta)) {
			pipeline_output_all(pmd, grp[!keep], n[!keep], copy);
		}
	}
	if (n[keep] == 0) {
		rte_pktmbuf_free(m);
	} else if (pipeline_retag(pmd, t, in_port, m, grp[keep][0], meta)) {
		pipeline_output_all(pmd, grp[keep], n[keep], m);
	}
}

/* Tells control about an unknown or moved source, unless this PMD told it
 * the same thing very recently. */
static void
pipeline_learn(struct pmd *pmd, const struct fdb_key *key, uint16_t in_port, uint64_t now)
{
	struct dp_learn_memo *memo;
	struct dp_upcall u;
	uint32_t h;

	h = (uint32_t)(key->mac[5] ^ (key->mac[4] << 3) ^ (key->mac[3] << 5) ^ key->vlan ^
		       (key->bridge << 2));
	memo = &pmd->learn[h % DP_LEARN_CACHE_SIZE];
	if (memo->port == in_port && memcmp(&memo->key, key, sizeof(*key)) == 0 &&
	    now - memo->tick < pmd->learn_repeat) {
		return;
	}
	u.type = DP_UPCALL_LEARN;
	u.pmd = (uint8_t)pmd->idx;
	u.port = in_port;
	u.bridge = key->bridge;
	u.vlan = key->vlan;
	memcpy(u.mac, key->mac, 6);
	u.pad = 0;
	u.pkt = NULL;
	if (rte_ring_sp_enqueue_elem(pmd->upcalls, &u, sizeof(u)) != 0) {
		pmd->upcall_dropped++;
		return;
	}
	memo->key = *key;
	memo->port = in_port;
	memo->tick = now;
}

/* The MACs of a frame as two 48-bit integers, read straight from the frame
 * (at least 14 bytes long) rather than from a copy just made, which would
 * stall the loads on store forwarding. */
static inline void
pipeline_macs(const uint8_t *frame, uint64_t *dst, uint64_t *src)
{
	uint64_t d, s;

	memcpy(&d, frame, 8);
	memcpy(&s, frame + 6, 8);
	*dst = d & 0xffffffffffffULL;
	*src = s & 0xffffffffffffULL;
}

static inline uint32_t
pipeline_emc_hash(uint16_t in_port, uint16_t vlan, uint64_t src, uint64_t dst)
{
	return rte_hash_crc_8byte(dst, rte_hash_crc_8byte(src, (uint32_t)in_port << 16 | vlan));
}

static inline bool
pipeline_emc_match(const struct dp_emc_entry *e, uint64_t gen, const struct dp_tables *t,
		   uint16_t in_port, uint16_t vlan, uint64_t src, uint64_t dst)
{
	return e->src == src && e->dst == dst && e->gen == gen && e->t == t &&
	       e->in_port == in_port && e->vlan == vlan;
}

/* Remembers the decision 'out' for this frame's key, if its source is
 * learned on the input port (else the slow path must keep seeing it). */
static inline void
pipeline_emc_fill(struct pmd *pmd, const struct dp_tables *t, uint64_t gen, uint16_t in_port,
		  uint16_t vlan, const uint8_t *frame, struct fdb_entry *src, uint16_t out)
{
	struct dp_emc_entry *e;
	uint64_t smac, dmac;

	if (src == NULL || src->port != in_port) {
		return;
	}
	pipeline_macs(frame, &dmac, &smac);
	e = &pmd->emc[pipeline_emc_hash(in_port, vlan, smac, dmac) & (DP_EMC_SIZE - 1)];
	e->gen = gen;
	e->t = t;
	e->src_e = src;
	e->src = smac;
	e->dst = dmac;
	e->in_port = in_port;
	e->vlan = vlan;
	e->out = out;
}

/* Carries out a decision 'out' (a port, DP_EMC_FLOOD or DP_EMC_SAME_PORT). */
static inline void
pipeline_act(struct pmd *pmd, const struct dp_tables *t, uint16_t bridge, uint16_t in_port,
	     struct rte_mbuf *m, const struct vlan_meta *meta, uint16_t out)
{
	if (out == DP_EMC_FLOOD) {
		pipeline_flood(pmd, t, bridge, in_port, m, meta);
	} else if (out == DP_EMC_SAME_PORT) {
		pipeline_drop(pmd, in_port, m, DP_DROP_SAME_PORT);
	} else if (pipeline_retag(pmd, t, in_port, m, out, meta)) {
		pmd_tx(pmd, out, m);
	}
}

/* The slow path of one frame: its MAC table entries were looked up. */
static uint16_t
pipeline_normal_one(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		    const struct fdb_key *skey, struct fdb_entry *src, struct fdb_entry *dst,
		    const struct vlan_meta *meta, uint64_t now, bool *cacheable)
{
	uint16_t bridge = skey->bridge, out;

	*cacheable = true;
	if (!parse_mac_is_group(skey->mac)) {
		if (src == NULL || (!src->is_static && src->port != in_port)) {
			pipeline_learn(pmd, skey, in_port, now);
		} else if (now - src->used > pmd->learn_refresh) {
			src->used = now;
		}
	}
	if (dst == NULL) {
		return DP_EMC_FLOOD;
	}
	out = __atomic_load_n(&dst->port, __ATOMIC_ACQUIRE);
	if (out == in_port) {
		return DP_EMC_SAME_PORT;
	}
	*cacheable = false;
	if (out >= DP_MAX_PORTS || t->ports[out].bridge != bridge || !t->ports[out].enabled) {
		/* Learned on a port that has since gone: the entry is stale. */
		return DP_EMC_FLOOD;
	}
	if (unlikely(!vlan_port_carries(&t->ports[out].vlan, meta->vlan))) {
		/* Learned before the port left this VLAN. */
		pmd->drops[DP_DROP_VLAN]++;
		return DP_PORT_NONE;
	}
	if (unlikely(t->ports[out].no_fwd)) {
		pmd->drops[DP_DROP_PORT_CFG]++;
		return DP_PORT_NONE;
	}
	*cacheable = true;
	return out;
}

/* Parses 'm' and puts it in its VLAN; false (and 'm' dropped) if it has
 * no place on this port. */
static bool
pipeline_classify(struct pmd *pmd, const struct dp_tport *tp, uint16_t in_port, struct rte_mbuf *m,
		  struct parse_eth *eth, struct vlan_meta *meta)
{
	if (unlikely(parse_eth(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, eth) !=
		     PARSE_OK)) {
		pipeline_drop(pmd, in_port, m, DP_DROP_RUNT);
		return false;
	}
	if (unlikely(!vlan_ingress(&tp->vlan, eth->n_vlans, eth->vlan_tpid[0], eth->vlan_tci[0],
				   eth->vlan_tci[1], meta))) {
		pipeline_drop(pmd, in_port, m, DP_DROP_VLAN);
		return false;
	}
	return true;
}

/* Frames of one burst that missed the cache, with their keys. */
struct pipeline_misses {
	uint16_t n;                          /* frames */
	uint16_t n_uni;                      /* of them, with a unicast destination */
	struct rte_mbuf *m[DP_BURST_MAX];    /* the frames */
	struct vlan_meta meta[DP_BURST_MAX]; /* their VLANs */
	uint32_t hash[DP_BURST_MAX];         /* their cache hashes */
	struct fdb_key skeys[DP_BURST_MAX];  /* source keys */
	struct fdb_key dkeys[DP_BURST_MAX];  /* destination keys, unicast only */
	uint16_t uni_idx[DP_BURST_MAX];      /* frame of each destination key */
};

/* Looks the missed frames up in the MAC table and decides each. */
static void
pipeline_slow_path(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		   struct pipeline_misses *ms, uint64_t gen, uint64_t now)
{
	const struct fdb_key *sk[DP_BURST_MAX], *dk[DP_BURST_MAX];
	struct fdb_entry *src[DP_BURST_MAX], *dst[DP_BURST_MAX], *found[DP_BURST_MAX];
	uint16_t i, out;
	bool cacheable;

	for (i = 0; i < ms->n; i++) {
		sk[i] = &ms->skeys[i];
		dst[i] = NULL;
	}
	for (i = 0; i < ms->n_uni; i++) {
		dk[i] = &ms->dkeys[i];
	}
	fdb_lookup_bulk(pmd->dp->fdb, sk, ms->n, src);
	fdb_lookup_bulk(pmd->dp->fdb, dk, ms->n_uni, found);
	for (i = 0; i < ms->n_uni; i++) {
		dst[ms->uni_idx[i]] = found[i];
	}
	for (i = 0; i < ms->n; i++) {
		const uint8_t *dmac = rte_pktmbuf_mtod(ms->m[i], const uint8_t *);

		out = pipeline_normal_one(pmd, t, in_port, &ms->skeys[i], src[i], dst[i],
					  &ms->meta[i], now, &cacheable);
		if (out == DP_PORT_NONE) {
			pmd->pstats[in_port].rx_dropped++;
			rte_pktmbuf_free(ms->m[i]);
			continue;
		}
		if (cacheable) {
			pipeline_emc_fill(pmd, t, gen, in_port, ms->skeys[i].vlan, dmac, src[i],
					  out);
		}
		pipeline_act(pmd, t, ms->skeys[i].bridge, in_port, ms->m[i], &ms->meta[i], out);
	}
}

void
pipeline_normal(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		struct rte_mbuf **pkts, uint16_t n, uint64_t now)
{
	const struct dp_tport *tp = &t->ports[in_port];
	uint64_t gen = fdb_generation(pmd->dp->fdb);
	struct pipeline_misses ms;
	struct parse_eth eth;
	struct vlan_meta meta;
	uint16_t i;

	ms.n = 0;
	ms.n_uni = 0;
	for (i = 0; i < n; i++) {
		struct dp_emc_entry *e;
		uint64_t smac, dmac;

		if (!pipeline_classify(pmd, tp, in_port, pkts[i], &eth, &meta)) {
			continue;
		}
		pipeline_macs(rte_pktmbuf_mtod(pkts[i], const uint8_t *), &dmac, &smac);
		e = &pmd->emc[pipeline_emc_hash(in_port, meta.vlan, smac, dmac) &
			      (DP_EMC_SIZE - 1)];
		if (likely(pipeline_emc_match(e, gen, t, in_port, meta.vlan, smac, dmac))) {
			pmd->emc_hits++;
			if (now - e->src_e->used > pmd->learn_refresh) {
				e->src_e->used = now;
			}
			pipeline_act(pmd, t, tp->bridge, in_port, pkts[i], &meta, e->out);
			continue;
		}
		pmd->emc_misses++;
		fdb_key_init(&ms.skeys[ms.n], tp->bridge, meta.vlan, eth.src);
		if (!parse_mac_is_group(eth.dst)) {
			fdb_key_init(&ms.dkeys[ms.n_uni], tp->bridge, meta.vlan, eth.dst);
			ms.uni_idx[ms.n_uni++] = ms.n;
		}
		ms.meta[ms.n] = meta;
		ms.m[ms.n++] = pkts[i];
	}
	if (ms.n != 0) {
		pipeline_slow_path(pmd, t, in_port, &ms, gen, now);
	}
}

/* Frames from a port that is no tunnel carry no tunnel metadata. */
static void
pipeline_tnl_md_clear(struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		memset(dp_tnl_md(pkts[i]), 0, sizeof(struct dp_tnl_md));
	}
}

/* Drops a whole burst of 'in_port' for reason 'why'. */
static void
pipeline_drop_all(struct pmd *pmd, uint16_t in_port, struct rte_mbuf **pkts, uint16_t n,
		  enum dp_drop why)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		pipeline_drop(pmd, in_port, pkts[i], why);
	}
}

void
pipeline_process(struct pmd *pmd, const struct dp_tables *t, uint16_t in_port,
		 struct rte_mbuf **pkts, uint16_t n, uint64_t now)
{
	const struct dp_tport *tp = &t->ports[in_port];
	const struct dp_cls *cls;

	if (unlikely(!tp->enabled || tp->bridge == DP_BRIDGE_NONE)) {
		pipeline_drop_all(pmd, in_port, pkts, n, DP_DROP_NO_BRIDGE);
		return;
	}
	if (unlikely(tp->no_recv)) {
		pipeline_drop_all(pmd, in_port, pkts, n, DP_DROP_PORT_CFG);
		return;
	}
	if (unlikely(t->bridges[tp->bridge].has_tunnels) && tp->tunnel == DP_TNL_NONE) {
		pipeline_tnl_md_clear(pkts, n);
	}
	if (unlikely(tp->vtep)) {
		n = tnl_rx(pmd, t, in_port, pkts, n, now);
		if (n == 0) {
			return;
		}
	}
	/* Read once per burst: the PMD reports a quiescent state only between
	 * bursts, so the classifier stays valid until this burst is done. */
	cls = __atomic_load_n(&pmd->dp->cls[tp->bridge], __ATOMIC_ACQUIRE);
	if (cls != NULL && !dp_cls_is_normal_only(cls)) {
		of_exec_burst(pmd, t, cls, in_port, pkts, n, now);
		return;
	}
	pipeline_normal(pmd, t, in_port, pkts, n, now);
}
