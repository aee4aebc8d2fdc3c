/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pmd.c - the poll loop of one datapath thread.
 *
 * Each iteration reads the published tables once, runs the packet-outs
 * control queued for it (a ring whose emptiness costs one check), polls
 * its rx queues in bursts, hands each burst to the pipeline, sends the
 * batched output, and reports a quiescent state to RCU.  No locks (but on devices with
 * fewer tx queues than PMDs), no allocation beyond the mempool, no
 * logging, no system calls beyond the read/write of kernel-backed
 * devices.
 *
 * Adaptive polling: after DP_IDLE_SPINS empty iterations the thread goes
 * RCU-offline and sleeps DP_IDLE_SLEEP_NS at a time, which bounds the
 * latency it adds to the first frame after a quiet spell to about that
 * long, and gives the core back while nothing happens.
 */
#include "datapath/dp_priv.h"

#include <sys/prctl.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#define DP_IDLE_SPINS    256   /* empty iterations before sleeping */
#define DP_IDLE_SLEEP_NS 20000 /* one idle sleep */

static inline uint16_t
pmd_txq(const struct pmd *pmd, const struct dp_port *p)
{
	return p->txq_map[pmd->idx];
}

void
pmd_flush_port(struct pmd *pmd, uint16_t port)
{
	struct dp_txbuf *b = &pmd->tx[port];
	const struct dp_port *p = &pmd->dp->ports[port];
	struct dp_pstats *s = &pmd->pstats[port];
	uint16_t q = pmd_txq(pmd, p), sent, i;
	uint64_t bytes = 0;

	if (unlikely(p->is_tunnel)) {
		tnl_flush_port(pmd, port);
		return;
	}
	for (i = 0; i < b->n; i++) {
		bytes += b->pkts[i]->pkt_len;
	}
	if (unlikely(p->txq_shared)) {
		rte_spinlock_lock((rte_spinlock_t *)&p->txq_lock[q]);
		sent = rte_eth_tx_burst(p->ethdev, q, b->pkts, b->n);
		rte_spinlock_unlock((rte_spinlock_t *)&p->txq_lock[q]);
	} else {
		sent = rte_eth_tx_burst(p->ethdev, q, b->pkts, b->n);
	}
	for (i = sent; i < b->n; i++) {
		bytes -= b->pkts[i]->pkt_len;
		rte_pktmbuf_free(b->pkts[i]);
	}
	s->tx_packets += sent;
	s->tx_bytes += bytes;
	s->tx_dropped += b->n - sent;
	pmd->drops[DP_DROP_TX_FULL] += b->n - sent;
	b->n = 0;
}

/* Sends every batch; frames encapsulated for tunnels then run through
 * their underlay bridges, whose output is sent in the next round. */
void
pmd_flush(struct pmd *pmd)
{
	unsigned round;
	uint16_t i;

	for (round = 0;; round++) {
		for (i = 0; i < pmd->n_dirty; i++) {
			pmd_flush_port(pmd, pmd->dirty[i]);
		}
		pmd->n_dirty = 0;
		if (likely(pmd->recirc.n == 0)) {
			return;
		}
		tnl_recirc_run(pmd, round);
	}
}

/* Closes the usage interval that began at 'pmd->use_epoch' ('now' is past
 * its end): each polled queue's ticks in it, for pmd-rxq-show. */
static void
pmd_use_roll(struct pmd *pmd, const struct dp_tables *t, uint64_t now)
{
	const struct dp_rxq *rxq = t->rxqs.rxq[pmd->idx];
	uint16_t n_rxq = t->rxqs.n_rxq[pmd->idx], i;

	for (i = 0; i < n_rxq; i++) {
		struct dp_rxq_use *u;

		if (rxq[i].queue >= DP_RXQ_USE_QUEUES) {
			continue;
		}
		u = &pmd->use[rxq[i].port][rxq[i].queue];
		__atomic_store_n(&u->last, u->cycles - u->mark, __ATOMIC_RELAXED);
		u->mark = u->cycles;
	}
	__atomic_store_n(&pmd->use_last, now - pmd->use_epoch, __ATOMIC_RELAXED);
	pmd->use_epoch = now;
}

/*
 * Polls every rx queue assigned to this PMD once; returns frames seen.
 * Each queue's frames are sent before the next queue is polled, so the
 * ticks from the end of the last busy queue to the end of this one's
 * sending are this queue's (pmd-rxq-show): one TSC read per busy burst.
 */
static unsigned
pmd_poll(struct pmd *pmd, const struct dp_tables *t, uint64_t now)
{
	struct rte_mbuf *pkts[DP_BURST_MAX];
	const struct dp_rxq *rxq = t->rxqs.rxq[pmd->idx];
	uint16_t n_rxq = t->rxqs.n_rxq[pmd->idx], i, j, n;
	uint64_t mark = now, end;
	unsigned total = 0;

	pmd->t = t;
	pmd->now = now;
	if (unlikely(pmd->pktout != NULL && !rte_ring_empty(pmd->pktout))) {
		of_exec_pktout_drain(pmd, t, now);
	}
	for (i = 0; i < n_rxq; i++) {
		const struct dp_port *p = &pmd->dp->ports[rxq[i].port];
		struct dp_pstats *s = &pmd->pstats[rxq[i].port];

		n = rte_eth_rx_burst(p->ethdev, rxq[i].queue, pkts, DP_BURST_MAX);
		if (n == 0) {
			continue;
		}
		s->rx_packets += n;
		for (j = 0; j < n; j++) {
			s->rx_bytes += pkts[j]->pkt_len;
		}
		total += n;
		pipeline_process(pmd, t, rxq[i].port, pkts, n, now);
		pmd_flush(pmd);
		end = rte_rdtsc();
		if (likely(rxq[i].queue < DP_RXQ_USE_QUEUES)) {
			struct dp_rxq_use *u = &pmd->use[rxq[i].port][rxq[i].queue];

			u->packets += n;
			u->cycles += end - mark;
		}
		mark = end;
	}
	/* Packet-outs' frames, when no queue had any. */
	if (unlikely(pmd->n_dirty != 0 || pmd->recirc.n != 0)) {
		pmd_flush(pmd);
	}
	if (unlikely(now - pmd->use_epoch >= pmd->use_period)) {
		pmd_use_roll(pmd, t, now);
	}
	return total;
}

static void
pmd_idle_sleep(struct pmd *pmd)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = DP_IDLE_SLEEP_NS};

	rte_rcu_qsbr_thread_offline(pmd->dp->qsv, pmd->idx);
	nanosleep(&ts, NULL);
	rte_rcu_qsbr_thread_online(pmd->dp->qsv, pmd->idx);
}

int
pmd_main(void *arg)
{
	struct pmd *pmd = arg;
	struct dp *dp = pmd->dp;
	unsigned idle = 0, got;
	uint64_t start, end;

	/* Sleeps here are short; the default 50 us slack would dominate them. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	rte_rcu_qsbr_thread_register(dp->qsv, pmd->idx);
	rte_rcu_qsbr_thread_online(dp->qsv, pmd->idx);
	while (!__atomic_load_n(&dp->stop, __ATOMIC_ACQUIRE)) {
		const struct dp_tables *t = __atomic_load_n(&dp->tables, __ATOMIC_ACQUIRE);

		start = rte_rdtsc();
		got = pmd_poll(pmd, t, start);
		rte_rcu_qsbr_quiescent(dp->qsv, pmd->idx);
		end = rte_rdtsc();
		pmd->rx_packets += got;
		if (got != 0) {
			pmd->busy_cycles += end - start;
			idle = 0;
			continue;
		}
		pmd->idle_cycles += end - start;
		if (dp->params.adaptive_poll && ++idle > DP_IDLE_SPINS) {
			pmd_idle_sleep(pmd);
			pmd->idle_cycles += rte_rdtsc() - end;
		} else {
			rte_pause();
		}
	}
	rte_rcu_qsbr_thread_offline(dp->qsv, pmd->idx);
	rte_rcu_qsbr_thread_unregister(dp->qsv, pmd->idx);
	return 0;
}
