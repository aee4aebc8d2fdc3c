/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlan.h - 802.1Q VLAN behaviour of ports (IEEE 802.1Q-2018 cl. 6.9, with
 * Open vSwitch's port modes) and tag push/pop/rewrite on mbufs.
 *
 * Inside a bridge every frame belongs to one VLAN.  A port's mode says how
 * frames map to VLANs on the way in and how they look on the way out:
 *
 *   access           in: untagged or priority-tagged -> 'tag'; other tags dropped
 *                    out: untagged
 *   trunk            in: tagged VID v (if v is in 'trunks'); untagged -> VLAN 0
 *                    out: tagged, but VLAN 0 untagged
 *   native-tagged    like trunk, but untagged in -> 'tag'; out: always tagged
 *   native-untagged  like native-tagged, but frames of VLAN 'tag' leave untagged
 *   dot1q-tunnel     in: every frame, tagged or not (C-VID in 'cvlans' if
 *                    set), gets an outer S-tag 'tag' with the C-tag's PCP;
 *                    out: the S-tag is popped
 *
 * A tag carries a TPID (0x8100, or the port's QinQ TPID for S-tags) and the
 * PCP bits, which cross the bridge with the frame.  Tags are pushed, popped
 * and rewritten in place in the mbuf (its headroom, a 12-byte move), never
 * by copying the frame; a frame shared by several outputs is first copied
 * by the caller only when its outputs need different headers.
 *
 * Deliberate simplifications: no VLAN translation, no 802.1ad C-tag
 * filtering on trunks, at most two tags parsed.
 */
#ifndef VIREO_DATAPATH_VLAN_H
#define VIREO_DATAPATH_VLAN_H

#include <stdbool.h>
#include <stdint.h>

#define VLAN_N_IDS       4096
#define VLAN_MAX_VID     4094
#define VLAN_TPID_8021Q  0x8100
#define VLAN_TPID_8021AD 0x88a8

struct rte_mbuf;

/** Port VLAN modes, as Open vSwitch names them. */
enum vlan_mode {
	VLAN_MODE_TRUNK = 0,       /* default when no tag is set */
	VLAN_MODE_ACCESS,          /* default when a tag is set and no trunks */
	VLAN_MODE_NATIVE_TAGGED,   /* trunk whose untagged frames are in 'tag' */
	VLAN_MODE_NATIVE_UNTAGGED, /* ... and whose 'tag' frames leave untagged */
	VLAN_MODE_DOT1Q_TUNNEL,    /* QinQ customer port: S-tag 'tag' */
};

/** A port's VLAN settings, as the PMDs read them. */
struct vlan_port {
	uint8_t mode;                     /* enum vlan_mode */
	uint16_t tag;                     /* access/native/S-VLAN id */
	uint16_t qinq_tpid;               /* dot1q-tunnel: TPID of the S-tag pushed */
	bool all_trunks;                  /* 'trunks' is empty: every VLAN allowed */
	bool all_cvlans;                  /* 'cvlans' is empty: every C-VLAN allowed */
	uint64_t trunks[VLAN_N_IDS / 64]; /* allowed VLANs, one bit each */
	uint64_t cvlans[VLAN_N_IDS / 64]; /* dot1q-tunnel: allowed C-VLANs */
};

/** What a frame's VLAN is inside the bridge, and how it arrived. */
struct vlan_meta {
	uint16_t vlan;    /* VLAN inside the bridge */
	uint16_t tpid;    /* TPID to use when the frame leaves tagged */
	uint16_t tag_vid; /* VID in the frame's outer tag, if 'tagged' */
	uint8_t pcp;      /* priority bits, kept across the bridge */
	bool tagged;      /* the frame carries an outer tag (VLAN or priority) */
};

static inline bool
vlan_bit(const uint64_t *bits, uint16_t vid)
{
	return (bits[vid >> 6] >> (vid & 63)) & 1;
}

static inline void
vlan_set_bit(uint64_t *bits, uint16_t vid)
{
	bits[vid >> 6] |= 1ULL << (vid & 63);
}

/** Whether port 'p' carries frames of VLAN 'vlan'. */
static inline bool
vlan_port_carries(const struct vlan_port *p, uint16_t vlan)
{
	switch (p->mode) {
	case VLAN_MODE_ACCESS:
	case VLAN_MODE_DOT1Q_TUNNEL:
		return vlan == p->tag;
	case VLAN_MODE_NATIVE_TAGGED:
	case VLAN_MODE_NATIVE_UNTAGGED:
		if (vlan == p->tag) {
			return true;
		}
		/* fall through */
	default:
		return p->all_trunks || vlan_bit(p->trunks, vlan);
	}
}

/** Whether frames of 'vlan' leave port 'p' with a tag. */
static inline bool
vlan_port_tags(const struct vlan_port *p, uint16_t vlan)
{
	switch (p->mode) {
	case VLAN_MODE_ACCESS:
	case VLAN_MODE_DOT1Q_TUNNEL:
		return false;
	case VLAN_MODE_NATIVE_UNTAGGED:
		return vlan != p->tag;
	case VLAN_MODE_NATIVE_TAGGED:
		return true;
	default:
		return vlan != 0;
	}
}

/**
 * Decides the VLAN of a frame arriving on 'p'.  'n_tags' tags were
 * parsed; 'tpid'/'tci' are the outer one's and 'inner_tci' the next one's
 * (both ignored when absent).  Returns false if the port must drop the
 * frame.  Pure; any thread.
 */
bool vlan_ingress(const struct vlan_port *p, unsigned n_tags, uint16_t tpid, uint16_t tci,
		  uint16_t inner_tci, struct vlan_meta *out);

/** Pushes an outer tag (TPID 'tpid', TCI 'tci').  Returns 0 or -ENOSPC (no headroom). */
int vlan_push(struct rte_mbuf *m, uint16_t tpid, uint16_t tci);

/** Pops the outer tag.  Returns 0, or -EINVAL if the frame has none or is too short. */
int vlan_pop(struct rte_mbuf *m);

/** Rewrites the outer tag's TPID and TCI.  Returns 0 or -EINVAL. */
int vlan_rewrite(struct rte_mbuf *m, uint16_t tpid, uint16_t tci);

/**
 * Gives the frame of 'meta' the header port 'p' sends it with: tagged
 * with 'meta' (VLAN, PCP, TPID) or untagged.  The mbuf must not be
 * shared.  Returns 0 or -errno (the frame is then unchanged).
 */
int vlan_egress(struct rte_mbuf *m, const struct vlan_port *p, const struct vlan_meta *meta);

/** Whether vlan_egress() would change the frame of 'meta' for port 'p'. */
static inline bool
vlan_egress_changes(const struct vlan_port *p, const struct vlan_meta *meta)
{
	bool want = vlan_port_tags(p, meta->vlan);

	return want != meta->tagged || (want && meta->tag_vid != meta->vlan);
}

#endif
