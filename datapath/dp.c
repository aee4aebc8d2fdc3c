/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp.c - the datapath's control-side half: creation, ports, publishing
 * tables and classifiers, counters, upcalls and packet-outs (see dp.h and
 * dp_flow.h).  The poll loop is in pmd.c.
 */
#include "datapath/dp.h"
#include "datapath/dp_flow.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eth_vhost.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "datapath/cls_priv.h"
#include "datapath/dp_priv.h"

#define DP_DEFAULT_MBUFS 65535
#define DP_DEFAULT_FDB   65536
#define DP_RX_DESC       512
#define DP_TX_DESC       512

#define DP_DROP_NAME(e, s) s,
int dp_tnl_md_offset = -1;

static const char *const dp_drop_names[] = {DP_DROP_REASONS(DP_DROP_NAME)};
#undef DP_DROP_NAME

/* rte_ring elements are whole 32-bit words. */
_Static_assert(sizeof(struct dp_upcall) % 4 == 0, "upcall ring element");
_Static_assert(sizeof(struct dp_pktout) % 4 == 0, "packet-out ring element");

static int
dp_create_pmds(struct dp *dp)
{
	char name[RTE_RING_NAMESIZE];
	unsigned lcore;

	RTE_LCORE_FOREACH_WORKER (lcore) {
		struct pmd *pmd;

		if (dp->n_pmds == DP_MAX_PMDS) {
			break;
		}
		pmd = rte_zmalloc_socket("pmd", sizeof(*pmd), RTE_CACHE_LINE_SIZE,
					 rte_lcore_to_socket_id(lcore));
		if (pmd == NULL) {
			return -ENOMEM;
		}
		/* Counted at once, so dp_destroy() frees it if a ring fails. */
		dp->pmds[dp->n_pmds++] = pmd;
		pmd->dp = dp;
		pmd->idx = dp->n_pmds - 1;
		pmd->lcore = lcore;
		pmd->learn_refresh = rte_get_tsc_hz() / 4;
		pmd->learn_repeat = rte_get_tsc_hz() / 10;
		pmd->use_period = rte_get_tsc_hz() * DP_RXQ_USE_SECONDS;
		pmd->use_epoch = rte_rdtsc();
		snprintf(name, sizeof(name), "upcall%u", pmd->idx);
		pmd->upcalls = rte_ring_create_elem(
		    name, sizeof(struct dp_upcall), DP_UPCALL_RING_SIZE,
		    rte_lcore_to_socket_id(lcore), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (pmd->upcalls == NULL) {
			return -rte_errno;
		}
		snprintf(name, sizeof(name), "pktout%u", pmd->idx);
		pmd->pktout = rte_ring_create_elem(
		    name, sizeof(struct dp_pktout), DP_PKTOUT_RING_SIZE,
		    rte_lcore_to_socket_id(lcore), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (pmd->pktout == NULL) {
			return -rte_errno;
		}
	}
	return dp->n_pmds == 0 ? -ENODEV : 0;
}

int
dp_tnl_md_register(void)
{
	static const struct rte_mbuf_dynfield md = {
	    .name = "vireo_tnl_md",
	    .size = sizeof(struct dp_tnl_md),
	    .align = __alignof__(struct dp_tnl_md),
	};

	if (dp_tnl_md_offset < 0) {
		dp_tnl_md_offset = rte_mbuf_dynfield_register(&md);
		if (dp_tnl_md_offset < 0) {
			return -rte_errno;
		}
	}
	return 0;
}

/* Bytes of DPDK heap in use over all sockets; the heap's size in '*total'. */
static uint64_t
dp_heap_bytes(uint64_t *total)
{
	struct rte_malloc_socket_stats st;
	uint64_t used = 0, size = 0;
	unsigned s;

	for (s = 0; s < rte_socket_count(); s++) {
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0) {
			used += st.heap_allocsz_bytes;
			size += st.heap_totalsz_bytes;
		}
	}
	if (total != NULL) {
		*total = size;
	}
	return used;
}

int
dp_create(const struct dp_params *params, struct dp **out)
{
	struct dp *dp;
	size_t qsv_size;
	uint64_t heap;
	int ret;

	dp = rte_zmalloc("dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (dp == NULL) {
		return -ENOMEM;
	}
	dp->params = *params;
	memset(dp->by_ethdev, 0xff, sizeof(dp->by_ethdev));
	if (dp->params.n_mbufs == 0) {
		dp->params.n_mbufs = DP_DEFAULT_MBUFS;
	}
	if (dp->params.fdb_capacity == 0) {
		dp->params.fdb_capacity = DP_DEFAULT_FDB;
	}
	ret = dp_tnl_md_register();
	if (ret < 0) {
		goto out_free;
	}
	ret = dp_create_pmds(dp);
	if (ret < 0) {
		goto out_free;
	}
	dp->pool = rte_pktmbuf_pool_create("vireo_mbufs", dp->params.n_mbufs, 256, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	qsv_size = rte_rcu_qsbr_get_memsize(dp->n_pmds);
	dp->qsv = rte_zmalloc("dp_qsv", qsv_size, RTE_CACHE_LINE_SIZE);
	dp->tables = dp_tables_alloc();
	if (dp->pool == NULL || dp->qsv == NULL || dp->tables == NULL) {
		ret = -ENOMEM;
		goto out_free;
	}
	rte_rcu_qsbr_init(dp->qsv, dp->n_pmds);
	heap = dp_heap_bytes(NULL);
	ret = fdb_create(dp->params.fdb_capacity, dp->qsv, &dp->fdb);
	if (ret < 0) {
		goto out_free;
	}
	dp->fdb_bytes = dp_heap_bytes(NULL) - heap;
	*out = dp;
	return 0;

out_free:
	dp_destroy(dp);
	return ret;
}

int
dp_start(struct dp *dp)
{
	unsigned i;
	int ret;

	for (i = 0; i < dp->n_pmds; i++) {
		ret = rte_eal_remote_launch(pmd_main, dp->pmds[i], dp->pmds[i]->lcore);
		if (ret < 0) {
			__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
			rte_eal_mp_wait_lcore();
			return ret;
		}
	}
	dp->running = true;
	return 0;
}

/* Frees a PMD with what its rings still hold. */
static void
dp_pmd_free(struct pmd *pmd)
{
	struct dp_upcall u;
	struct dp_pktout po;

	if (pmd->upcalls != NULL) {
		while (rte_ring_sc_dequeue_elem(pmd->upcalls, &u, sizeof(u)) == 0) {
			dp_upcall_release(&u);
		}
	}
	if (pmd->pktout != NULL) {
		while (rte_ring_sc_dequeue_elem(pmd->pktout, &po, sizeof(po)) == 0) {
			rte_pktmbuf_free(po.m);
		}
	}
	rte_ring_free(pmd->upcalls);
	rte_ring_free(pmd->pktout);
	rte_free(pmd);
}

void
dp_destroy(struct dp *dp)
{
	unsigned i;

	if (dp == NULL) {
		return;
	}
	if (dp->running) {
		__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
		rte_eal_mp_wait_lcore();
		dp->running = false;
	}
	for (i = 0; i < DP_MAX_PORTS; i++) {
		if (dp->ports[i].open) {
			dp_port_close(dp, (uint16_t)i);
		}
	}
	for (i = 0; i < dp->n_pmds; i++) {
		dp_pmd_free(dp->pmds[i]);
	}
	for (i = 0; i < DP_MAX_BRIDGES; i++) {
		dp_cls_free(dp->cls[i]);
	}
	fdb_destroy(dp->fdb);
	rte_free(dp->tables);
	rte_free(dp->qsv);
	rte_mempool_free(dp->pool);
	rte_free(dp);
}

unsigned
dp_n_pmds(const struct dp *dp)
{
	return dp->n_pmds;
}

/* Rebuilds which tx queue each PMD uses on port 'p'.  Ordinary devices:
 * PMD i sends on queue i, sharing (with a lock) only when the device has
 * fewer queues than PMDs.  vhost-user: the queues the guest enabled, spread
 * over the PMDs; always locked with several PMDs, since the guest may
 * enable fewer queues than there are PMDs at any moment. */
static void
dp_port_map_txqs(const struct dp *dp, struct dp_port *p)
{
	uint16_t on[DP_MAX_TXQ], n_on = 0, q, i;

	for (q = 0; q < p->n_txq; q++) {
		if (!p->is_vhost || (p->txq_on & (1ULL << q))) {
			on[n_on++] = q;
		}
	}
	for (i = 0; i < DP_MAX_PMDS; i++) {
		/* With no queue enabled, queue 0 refuses frames: counted drops. */
		p->txq_map[i] = n_on == 0 ? 0 : on[i % n_on];
	}
	p->txq_shared = p->is_vhost ? dp->n_pmds > 1 : p->n_txq < dp->n_pmds;
}

/* Configures 'p->ethdev' and starts it.  Tx queues: one per PMD where the
 * device has them.  Rx queues: all of a vhost-user device's (the guest
 * decides which it uses), as many as tx queues for net_tap (which pairs
 * them on one file descriptor), else one. */
static int
dp_port_configure(struct dp *dp, struct dp_port *p, uint16_t mtu)
{
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = DP_RX_DESC, nb_txd = DP_TX_DESC;
	uint16_t q;
	int ret;

	ret = rte_eth_dev_info_get(p->ethdev, &info);
	if (ret < 0) {
		return ret;
	}
	p->is_vhost = strcmp(info.driver_name, "net_vhost") == 0;
	if (p->is_vhost) {
		p->n_txq = RTE_MIN(info.max_tx_queues, DP_MAX_TXQ);
		p->n_rxq = RTE_MIN(info.max_rx_queues, DP_MAX_TXQ);
	} else {
		p->n_txq = RTE_MIN((uint16_t)(dp->n_pmds + 1), info.max_tx_queues);
		p->n_rxq = strcmp(info.driver_name, "net_tap") == 0 ? p->n_txq : 1;
	}
	if (p->n_txq == 0 || p->n_rxq == 0) {
		return -EINVAL;
	}
	if (mtu > RTE_ETHER_MTU && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	}
	ret = rte_eth_dev_configure(p->ethdev, p->n_rxq, p->n_txq, &conf);
	if (ret < 0) {
		return ret;
	}
	for (q = 0; q < DP_MAX_TXQ; q++) {
		rte_spinlock_init(&p->txq_lock[q]);
	}
	dp_port_map_txqs(dp, p);
	if (mtu != 0 && (ret = rte_eth_dev_set_mtu(p->ethdev, mtu)) < 0 && ret != -ENOTSUP) {
		return ret;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(p->ethdev, &nb_rxd, &nb_txd);
	for (q = 0; q < p->n_rxq; q++) {
		ret = rte_eth_rx_queue_setup(p->ethdev, q, nb_rxd, rte_eth_dev_socket_id(p->ethdev),
					     NULL, dp->pool);
		if (ret < 0) {
			return ret;
		}
	}
	for (q = 0; q < p->n_txq; q++) {
		ret = rte_eth_tx_queue_setup(p->ethdev, q, nb_txd, rte_eth_dev_socket_id(p->ethdev),
					     NULL);
		if (ret < 0) {
			return ret;
		}
	}
	rte_eth_promiscuous_enable(p->ethdev);
	return rte_eth_dev_start(p->ethdev);
}

/* Runs on DPDK's interrupt or vhost thread: only raises flags. */
static int
dp_event_cb(uint16_t ethdev, enum rte_eth_event_type type, void *arg, void *ret_param)
{
	struct dp *dp = arg;
	uint16_t idx = dp->by_ethdev[ethdev];

	(void)type;
	(void)ret_param;
	if (idx < DP_MAX_PORTS) {
		__atomic_store_n(&dp->ports[idx].event, true, __ATOMIC_RELEASE);
	}
	return 0;
}

static void
dp_port_callbacks(struct dp *dp, struct dp_port *p, bool on)
{
	static const enum rte_eth_event_type types[] = {RTE_ETH_EVENT_INTR_LSC,
							RTE_ETH_EVENT_QUEUE_STATE};
	unsigned i;

	for (i = 0; i < RTE_DIM(types); i++) {
		if (on) {
			rte_eth_dev_callback_register(p->ethdev, types[i], dp_event_cb, dp);
		} else {
			rte_eth_dev_callback_unregister(p->ethdev, types[i], dp_event_cb, dp);
		}
	}
}

static void
dp_port_remove_device(struct dp *dp, struct dp_port *p)
{
	if (p->is_tunnel) {
		return;
	}
	dp_port_callbacks(dp, p, false);
	dp->by_ethdev[p->ethdev] = DP_PORT_NONE;
	rte_eth_dev_stop(p->ethdev);
	rte_eth_dev_close(p->ethdev);
	if (p->device != NULL) {
		rte_dev_remove(p->device);
	}
}

static struct dp_port *
dp_free_port(struct dp *dp)
{
	unsigned i;

	for (i = 0; i < DP_MAX_PORTS; i++) {
		if (!dp->ports[i].open) {
			return &dp->ports[i];
		}
	}
	return NULL;
}

int
dp_port_open(struct dp *dp, const struct dp_port_params *pp, uint16_t *idx, char *err,
	     size_t err_size)
{
	struct rte_eth_dev_info info;
	char dev_name[RTE_DEV_NAME_MAX_LEN];
	struct dp_port_stats base;
	struct dp_port *p = dp_free_port(dp);
	unsigned i;
	int ret;

	if (p == NULL) {
		snprintf(err, err_size, "too many ports (at most %d)", DP_MAX_PORTS);
		return -ENOSPC;
	}
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", pp->name);
	snprintf(dev_name, sizeof(dev_name), "%.*s", (int)strcspn(pp->devargs, ","), pp->devargs);
	if (rte_eth_dev_get_port_by_name(dev_name, &p->ethdev) == 0) {
		snprintf(err, err_size, "device %s is already in use", dev_name);
		return -EEXIST;
	}
	ret = rte_dev_probe(pp->devargs);
	if (ret < 0) {
		snprintf(err, err_size, "cannot open device '%s': %s", pp->devargs, strerror(-ret));
		return ret;
	}
	if (rte_eth_dev_get_port_by_name(dev_name, &p->ethdev) != 0) {
		snprintf(err, err_size, "device '%s' is not an Ethernet device", dev_name);
		return -ENODEV;
	}
	if (rte_eth_dev_info_get(p->ethdev, &info) == 0) {
		p->device = info.device;
	}
	*idx = (uint16_t)(p - dp->ports);
	dp->by_ethdev[p->ethdev] = *idx;
	dp_port_callbacks(dp, p, true);
	ret = dp_port_configure(dp, p, pp->mtu);
	if (ret < 0) {
		snprintf(err, err_size, "cannot start device '%s': %s", dev_name, strerror(-ret));
		dp_port_remove_device(dp, p);
		return ret;
	}
	p->open = true;
	p->event = true;
	/* Counters of a reused slot start from zero for the new port: take
	 * the raw sums now (with a zero base) and subtract them from then on. */
	dp_port_stats(dp, *idx, &base);
	p->base = base;
	/* No PMD polls the slot yet: its queues' usage restarts too. */
	for (i = 0; i < dp->n_pmds; i++) {
		memset(dp->pmds[i]->use[*idx], 0, sizeof(dp->pmds[i]->use[*idx]));
	}
	return 0;
}

int
dp_port_open_tunnel(struct dp *dp, const char *name, uint16_t *idx, char *err, size_t err_size)
{
	struct dp_port *p = dp_free_port(dp);
	struct dp_port_stats base;

	if (p == NULL) {
		snprintf(err, err_size, "too many ports (at most %d)", DP_MAX_PORTS);
		return -ENOSPC;
	}
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->ethdev = UINT16_MAX;
	p->is_tunnel = true;
	p->link_up = true;
	/* Counters of a reused slot start from zero for the new port. */
	*idx = (uint16_t)(p - dp->ports);
	p->open = true;
	dp_port_stats(dp, *idx, &base);
	p->base = base;
	return 0;
}

void
dp_port_close(struct dp *dp, uint16_t idx)
{
	struct dp_port *p;

	if (idx >= DP_MAX_PORTS || !dp->ports[idx].open) {
		return;
	}
	p = &dp->ports[idx];
	fdb_flush(dp->fdb, -1, idx);
	dp_port_remove_device(dp, p);
	p->open = false;
}

int
dp_port_stats(struct dp *dp, uint16_t idx, struct dp_port_stats *out)
{
	const struct dp_port *p;
	struct rte_eth_stats es;
	unsigned i;

	if (idx >= DP_MAX_PORTS || !dp->ports[idx].open) {
		return -ENODEV;
	}
	p = &dp->ports[idx];
	memset(out, 0, sizeof(*out));
	for (i = 0; i < dp->n_pmds; i++) {
		const struct dp_pstats *s = &dp->pmds[i]->pstats[idx];

		out->rx_packets += s->rx_packets;
		out->rx_bytes += s->rx_bytes;
		out->rx_dropped += s->rx_dropped;
		out->tx_packets += s->tx_packets;
		out->tx_bytes += s->tx_bytes;
		out->tx_dropped += s->tx_dropped;
	}
	if (!p->is_tunnel && rte_eth_stats_get(p->ethdev, &es) == 0) {
		out->rx_dropped += es.imissed + es.rx_nombuf;
		out->rx_errors = es.ierrors;
		out->tx_errors = es.oerrors;
	}
	out->rx_packets -= p->base.rx_packets;
	out->rx_bytes -= p->base.rx_bytes;
	out->rx_dropped -= p->base.rx_dropped;
	out->rx_errors -= p->base.rx_errors;
	out->tx_packets -= p->base.tx_packets;
	out->tx_bytes -= p->base.tx_bytes;
	out->tx_dropped -= p->base.tx_dropped;
	out->tx_errors -= p->base.tx_errors;
	return 0;
}

bool
dp_port_link_up(struct dp *dp, uint16_t idx)
{
	struct rte_eth_link link;

	if (idx < DP_MAX_PORTS && dp->ports[idx].open && dp->ports[idx].is_tunnel) {
		return true;
	}
	if (idx >= DP_MAX_PORTS || !dp->ports[idx].open ||
	    rte_eth_link_get_nowait(dp->ports[idx].ethdev, &link) < 0) {
		return false;
	}
	return link.link_status == RTE_ETH_LINK_UP;
}

int
dp_port_mac(struct dp *dp, uint16_t idx, uint8_t mac[6])
{
	struct rte_ether_addr ea;
	int ret;

	if (idx >= DP_MAX_PORTS || !dp->ports[idx].open || dp->ports[idx].is_tunnel) {
		return -ENODEV;
	}
	ret = rte_eth_macaddr_get(dp->ports[idx].ethdev, &ea);
	if (ret == 0) {
		memcpy(mac, ea.addr_bytes, 6);
	}
	return ret;
}

int
dp_port_info(struct dp *dp, uint16_t idx, struct dp_port_info *out)
{
	const struct dp_port *p;

	if (idx >= DP_MAX_PORTS || !dp->ports[idx].open) {
		return -ENODEV;
	}
	p = &dp->ports[idx];
	out->link_up = dp_port_link_up(dp, idx);
	out->is_vhost = p->is_vhost;
	out->n_rxq = p->n_rxq;
	out->n_txq = p->n_txq;
	out->n_rxq_on = p->is_vhost ? (uint16_t)__builtin_popcountll(p->rxq_on) : p->n_rxq;
	out->n_txq_on = p->is_vhost ? (uint16_t)__builtin_popcountll(p->txq_on) : p->n_txq;
	return 0;
}

/* Takes in the queue events of a vhost-user port. */
static void
dp_port_vhost_queues(struct dp *dp, struct dp_port *p)
{
	struct rte_eth_vhost_queue_event ev;

	while (rte_eth_vhost_get_queue_event(p->ethdev, &ev) == 0) {
		uint64_t *mask = ev.rx ? &p->rxq_on : &p->txq_on;

		if (ev.queue_id >= DP_MAX_TXQ) {
			continue;
		}
		if (ev.enable) {
			*mask |= 1ULL << ev.queue_id;
		} else {
			*mask &= ~(1ULL << ev.queue_id);
		}
	}
	if (!dp_port_link_up(dp, (uint16_t)(p - dp->ports))) {
		p->rxq_on = 0;
		p->txq_on = 0;
	}
	dp_port_map_txqs(dp, p);
}

unsigned
dp_port_events(struct dp *dp, uint16_t *changed, unsigned max)
{
	unsigned n = 0, i;
	bool up;

	for (i = 0; i < DP_MAX_PORTS; i++) {
		struct dp_port *p = &dp->ports[i];

		if (!p->open || !__atomic_exchange_n(&p->event, false, __ATOMIC_ACQ_REL)) {
			continue;
		}
		if (p->is_vhost) {
			dp_port_vhost_queues(dp, p);
		}
		up = dp_port_link_up(dp, (uint16_t)i);
		if (up != p->link_up && n < max) {
			changed[n++] = (uint16_t)i;
		}
		p->link_up = up;
	}
	return n;
}

struct dp_tables *
dp_tables_alloc(void)
{
	struct dp_tables *t;
	unsigned i;

	t = rte_zmalloc("dp_tables", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (t == NULL) {
		return NULL;
	}
	for (i = 0; i < DP_MAX_PORTS; i++) {
		t->ports[i].bridge = DP_BRIDGE_NONE;
		t->ports[i].vlan.mode = VLAN_MODE_TRUNK;
		t->ports[i].vlan.all_trunks = true;
		t->ports[i].vlan.all_cvlans = true;
		t->ports[i].vlan.qinq_tpid = VLAN_TPID_8021AD;
	}
	return t;
}

/* Spreads the rx queues of every forwarding port round-robin over PMDs. */
static int
dp_assign_rxqs(struct dp *dp, struct dp_tables *t)
{
	unsigned next = 0, i;
	uint16_t q;

	memset(&t->rxqs, 0, sizeof(t->rxqs));
	for (i = 0; i < DP_MAX_PORTS; i++) {
		const struct dp_port *p = &dp->ports[i];

		if (!p->open || !t->ports[i].enabled || t->ports[i].bridge == DP_BRIDGE_NONE) {
			continue;
		}
		for (q = 0; q < p->n_rxq; q++) {
			unsigned pmd = next++ % dp->n_pmds;
			uint16_t n = t->rxqs.n_rxq[pmd];

			if (n == DP_MAX_RXQ_PER_PMD) {
				return -ENOSPC;
			}
			t->rxqs.rxq[pmd][n].port = (uint16_t)i;
			t->rxqs.rxq[pmd][n].queue = q;
			t->rxqs.n_rxq[pmd] = n + 1;
		}
	}
	return 0;
}

int
dp_publish(struct dp *dp, struct dp_tables *t)
{
	struct dp_tables *old;
	unsigned i;
	int ret;

	ret = dp_assign_rxqs(dp, t);
	if (ret < 0) {
		rte_free(t);
		return ret;
	}
	for (i = 0; i < dp->n_pmds; i++) {
		dp->pmds[i]->n_rxq = t->rxqs.n_rxq[i];
	}
	old = dp->tables;
	__atomic_store_n(&dp->tables, t, __ATOMIC_RELEASE);
	/* Cached OpenFlow results name the tables they were chosen under;
	 * the bump keeps an entry of freed tables from matching new tables
	 * that the allocator put at the same address. */
	__atomic_fetch_add(&dp->cls_seq, 1, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(dp->qsv, RTE_QSBR_THRID_INVALID);
	rte_free(old);
	return 0;
}

struct fdb *
dp_fdb(struct dp *dp)
{
	return dp->fdb;
}

unsigned
dp_upcall_drain(struct dp *dp, struct dp_upcall *out, unsigned max)
{
	unsigned n = 0, i;

	for (i = 0; i < dp->n_pmds && n < max; i++) {
		n += rte_ring_sc_dequeue_burst_elem(dp->pmds[i]->upcalls, out + n, sizeof(*out),
						    max - n, NULL);
	}
	return n;
}

int
dp_pmd_info(struct dp *dp, unsigned i, struct dp_pmd_info *out)
{
	const struct pmd *pmd;

	if (i >= dp->n_pmds) {
		return -EINVAL;
	}
	pmd = dp->pmds[i];
	out->lcore = pmd->lcore;
	out->rx_packets = pmd->rx_packets;
	out->busy_cycles = pmd->busy_cycles;
	out->idle_cycles = pmd->idle_cycles;
	out->upcall_dropped = pmd->upcall_dropped;
	out->emc_hits = pmd->emc_hits;
	out->emc_misses = pmd->emc_misses;
	out->n_rxq = pmd->n_rxq;
	return 0;
}

void
dp_memory(struct dp *dp, struct dp_mem_info *out)
{
	memset(out, 0, sizeof(*out));
	out->heap_bytes = dp_heap_bytes(&out->heap_total);
	out->fdb_bytes = dp->fdb_bytes;
	out->fdb_capacity = fdb_capacity(dp->fdb);
	out->fdb_count = fdb_count(dp->fdb);
	out->n_mbufs = dp->pool->size;
	out->pool_bytes = rte_mempool_calc_obj_size(dp->pool->elt_size, dp->pool->flags, NULL) *
			  (uint64_t)dp->pool->size;
}

int
dp_pmd_rxqs(struct dp *dp, unsigned i, struct dp_rxq_info *out, unsigned max)
{
	const struct dp_rxq_map *map = &dp->tables->rxqs;
	const struct pmd *pmd;
	unsigned k, n;

	if (i >= dp->n_pmds) {
		return -EINVAL;
	}
	pmd = dp->pmds[i];
	n = map->n_rxq[i];
	for (k = 0; k < n && k < max; k++) {
		const struct dp_rxq *q = &map->rxq[i][k];
		const struct dp_rxq_use *u =
		    q->queue < DP_RXQ_USE_QUEUES ? &pmd->use[q->port][q->queue] : NULL;

		memset(&out[k], 0, sizeof(out[k]));
		out[k].port = q->port;
		out[k].queue = q->queue;
		if (u != NULL) {
			out[k].measured = true;
			out[k].packets = __atomic_load_n(&u->packets, __ATOMIC_RELAXED);
			out[k].last_cycles = __atomic_load_n(&u->last, __ATOMIC_RELAXED);
			out[k].last_interval = __atomic_load_n(&pmd->use_last, __ATOMIC_RELAXED);
		}
	}
	return (int)n;
}

unsigned
dp_drop_counts(struct dp *dp, uint64_t *out, unsigned n)
{
	unsigned r, i;

	for (r = 0; r < DP_DROP_MAX && r < n; r++) {
		out[r] = 0;
		for (i = 0; i < dp->n_pmds; i++) {
			out[r] += dp->pmds[i]->drops[r];
		}
	}
	return r;
}

const char *
dp_drop_name(unsigned i)
{
	return i < DP_DROP_MAX ? dp_drop_names[i] : NULL;
}

uint64_t
dp_now(void)
{
	return rte_get_tsc_cycles();
}

uint64_t
dp_hz(void)
{
	return rte_get_tsc_hz();
}

/*
 * Invalidates every PMD's exact-match cache and waits until no PMD runs a
 * burst that began before: bumps the classifier sequence, then (when 'slot'
 * is given) publishes 'cls' there, then waits for a grace period. The
 * order matters: a burst that reads the new sequence sees every change
 * made before the bump, and once the wait returns no burst that read the
 * old one is still running.
 */
static void
dp_cls_invalidate(struct dp *dp, struct dp_cls **slot, struct dp_cls *cls)
{
	__atomic_fetch_add(&dp->cls_seq, 1, __ATOMIC_RELEASE);
	if (slot != NULL) {
		__atomic_store_n(slot, cls, __ATOMIC_RELEASE);
	}
	if (dp->qsv != NULL) {
		rte_rcu_qsbr_synchronize(dp->qsv, RTE_QSBR_THRID_INVALID);
	}
}

int
dp_publish_cls(struct dp *dp, uint16_t bridge, struct dp_cls *cls, struct dp_cls **old)
{
	struct dp_cls *prev;

	if (bridge >= DP_MAX_BRIDGES ||
	    (cls != NULL && (!cls->built || cls->n_pmds < RTE_MAX(dp->n_pmds, 1u)))) {
		return -EINVAL;
	}
	prev = dp->cls[bridge];
	/* The sequence moves before the pointer: a PMD that sees the new
	 * classifier also sees a sequence its cache entries do not carry. */
	dp_cls_invalidate(dp, &dp->cls[bridge], cls);
	if (old != NULL) {
		*old = prev;
	} else {
		dp_cls_free(prev);
	}
	return 0;
}

/*
 * The order is what makes the exact-match caches safe. Every change to
 * 'cls' happened before the sequence bump (a release): a PMD burst that
 * reads the new sequence (acquire) sees all of them, so an entry stamped
 * with it was filled from the new rule set. Entries stamped with an older
 * sequence may hold rules removed here; the grace period that follows the
 * bump ends only once every PMD has passed a quiescent state after it,
 * i.e. once no burst that read an older sequence is still running, and
 * every later burst reads the new one (the QSBR token's release/acquire
 * pair carries the bump along). Only then are removed rules, their ops
 * and hash slots freed and their indices made reusable. Bumping after
 * the grace period instead would let a burst that started in between use
 * an old entry's rule after its slot was reused.
 */
int
dp_cls_commit(struct dp *dp, struct dp_cls *cls, dp_cls_removed_fn *removed, void *arg)
{
	if (cls == NULL || !cls->built) {
		return -EINVAL;
	}
	dp_cls_commit_publish(cls);
	if (dp != NULL) {
		dp_cls_invalidate(dp, NULL, NULL);
	}
	dp_cls_commit_reclaim(cls, removed, arg);
	return 0;
}

const struct dp_cls *
dp_bridge_cls(const struct dp *dp, uint16_t bridge)
{
	return bridge < DP_MAX_BRIDGES ? dp->cls[bridge] : NULL;
}

/* An mbuf (chained past one segment's room) holding a copy of 'frame'. */
static struct rte_mbuf *
dp_mbuf_from(struct rte_mempool *pool, const uint8_t *frame, uint32_t len)
{
	struct rte_mbuf *head = rte_pktmbuf_alloc(pool), *seg = head;
	uint32_t done = 0, n;

	while (seg != NULL) {
		n = RTE_MIN(len - done, (uint32_t)rte_pktmbuf_tailroom(seg));
		memcpy(rte_pktmbuf_append(seg, (uint16_t)n), frame + done, n);
		if (seg != head && rte_pktmbuf_chain(head, seg) < 0) {
			rte_pktmbuf_free(seg);
			break;
		}
		done += n;
		if (done == len) {
			return head;
		}
		seg = rte_pktmbuf_alloc(pool);
	}
	rte_pktmbuf_free(head);
	return NULL;
}

int
dp_packet_out(struct dp *dp, uint16_t bridge, uint16_t in_port, const uint8_t *frame, uint32_t len,
	      const struct dp_action *ops, uint16_t n_ops)
{
	struct dp_pktout po;

	if (bridge >= DP_MAX_BRIDGES || (in_port >= DP_MAX_PORTS && in_port != DP_PORT_NONE) ||
	    dp->n_pmds == 0) {
		return -EINVAL;
	}
	if (n_ops > DP_PKTOUT_OPS || len > DP_PKTOUT_MAX_SIZE) {
		return -E2BIG;
	}
	po.m = dp_mbuf_from(dp->pool, frame, len);
	if (po.m == NULL) {
		return -ENOBUFS;
	}
	memset(dp_tnl_md(po.m), 0, sizeof(struct dp_tnl_md));
	po.bridge = bridge;
	po.in_port = in_port;
	po.n_ops = n_ops;
	po.pad = 0;
	memcpy(po.ops, ops, n_ops * sizeof(*ops));
	/* One PMD takes every packet-out, so they leave in the order given. */
	if (rte_ring_sp_enqueue_elem(dp->pmds[0]->pktout, &po, sizeof(po)) != 0) {
		rte_pktmbuf_free(po.m);
		return -ENOBUFS;
	}
	return 0;
}

const uint8_t *
dp_upcall_data(const struct dp_upcall *u, uint32_t *len)
{
	if ((u->type != DP_UPCALL_PACKET_IN && u->type != DP_UPCALL_ARP) || u->pkt == NULL) {
		*len = 0;
		return NULL;
	}
	*len = u->pkt->data_len;
	return rte_pktmbuf_mtod(u->pkt, const uint8_t *);
}

void
dp_upcall_release(struct dp_upcall *u)
{
	if (u->type == DP_UPCALL_PACKET_IN || u->type == DP_UPCALL_ARP) {
		rte_pktmbuf_free(u->pkt);
		u->pkt = NULL;
	}
}
