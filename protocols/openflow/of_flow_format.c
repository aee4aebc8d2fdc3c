/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_flow_format.c - print OpenFlow 1.3 flows, matches, actions and
 * instructions in ovs-ofctl flow syntax, the way Open vSwitch 3.x prints
 * them (lib/match.c match_format(), lib/ofp-flow.c
 * ofputil_flow_stats_format(), lib/ofp-actions.c), so that
 * of_flow_parse.c reads back what this file writes.
 *
 * Fields are printed in match_format()'s order, not in OXM order, with
 * OVS's names (dl_src, nw_dst, tp_dst) and its protocol shorthands
 * ("tcp6"); VLAN fields as OVS prints its 802.1Q TCI match. The field,
 * shorthand, port-name and flag tables are shared with the parser
 * through of_flow_syntax_priv.h.
 */
#include "protocols/openflow/of_flow_syntax.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "protocols/openflow/of_flow_syntax_priv.h"
#include "protocols/openflow/of_wire.h"

/* ---- Formatting ----------------------------------------------------------- */

/* Text being built; 'len' counts what did not fit too. */
struct fs_buf {
	char *p;     /* output */
	size_t size; /* bytes at 'p' */
	size_t len;  /* characters written (or wanted) */
};

static void fs_put(struct fs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fs_put(struct fs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->len < b->size ? b->p + b->len : NULL,
		      b->len < b->size ? b->size - b->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		b->len += (size_t)n;
	}
}

/* Drops a trailing 'ch', as OVS's ds_chomp(). */
static void
fs_chomp(struct fs_buf *b, char ch)
{
	if (b->len > 0 && b->len < b->size && b->p[b->len - 1] == ch) {
		b->p[--b->len] = '\0';
	}
}

static int
fs_done(const struct fs_buf *b)
{
	if (b->size > 0 && b->len >= b->size) {
		b->p[b->size - 1] = '\0';
	}
	return b->len < b->size ? (int)b->len : -ENOSPC;
}

static void
fs_put_port(struct fs_buf *b, uint32_t port)
{
	for (size_t i = 0; i < of_fs_n_port_names; i++) {
		if (of_fs_port_names[i].port == port) {
			fs_put(b, "%s", of_fs_port_names[i].name);
			return;
		}
	}
	fs_put(b, "%" PRIu32, port);
}

static void
fs_put_mac(struct fs_buf *b, const uint8_t *mac)
{
	fs_put(b, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void
fs_put_ipv4(struct fs_buf *b, uint32_t ip)
{
	fs_put(b, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
}

static void
fs_put_ipv6(struct fs_buf *b, const uint8_t *ip)
{
	char text[INET6_ADDRSTRLEN];

	fs_put(b, "%s", inet_ntop(AF_INET6, ip, text, sizeof(text)) != NULL ? text : "?");
}

/* Prefix length of a CIDR mask of 'n' bytes, or -1. */
static int
fs_cidr(const uint8_t *mask, size_t n)
{
	int len = 0;
	size_t i = 0;

	for (; i < n && mask[i] == 0xff; i++) {
		len += 8;
	}
	if (i < n) {
		uint8_t b = mask[i];

		while (b & 0x80) {
			len++;
			b = (uint8_t)(b << 1);
		}
		if (b != 0) {
			return -1;
		}
		while (++i < n) {
			if (mask[i] != 0) {
				return -1;
			}
		}
	}
	return len;
}

/* One field's value (and mask) of 'f', without the name. */
static void
fs_put_value(struct fs_buf *b, unsigned f, const struct of_match *m, bool masked)
{
	const struct fs_oxm *x = &of_fs_oxms[f];
	const uint8_t *v = (const uint8_t *)&m->value + x->offset;
	const uint8_t *mk = (const uint8_t *)&m->mask + x->offset;
	uint8_t be[4];
	int cidr;

	switch (x->kind) {
	case FK_MAC:
		fs_put_mac(b, v);
		if (masked) {
			fs_put(b, "/");
			fs_put_mac(b, mk);
		}
		return;
	case FK_IPV6:
		fs_put_ipv6(b, v);
		cidr = masked ? fs_cidr(mk, 16) : 128;
		if (masked && cidr >= 0) {
			fs_put(b, "/%d", cidr);
		} else if (masked) {
			fs_put(b, "/");
			fs_put_ipv6(b, mk);
		}
		return;
	case FK_IPV4:
		fs_put_ipv4(b, (uint32_t)of_match_num_get(v, 4));
		for (int i = 0; i < 4; i++) {
			be[i] = (uint8_t)(of_match_num_get(mk, 4) >> (24 - 8 * i));
		}
		cidr = fs_cidr(be, 4);
		if (masked && cidr >= 0) {
			fs_put(b, "/%d", cidr);
		} else if (masked) {
			fs_put(b, "/");
			fs_put_ipv4(b, (uint32_t)of_match_num_get(mk, 4));
		}
		return;
	case FK_PORT:
		fs_put_port(b, (uint32_t)of_match_num_get(v, x->size));
		return;
	default:
		break;
	}
	if (masked) {
		fs_put(b, "0x%" PRIx64 "/0x%" PRIx64, of_match_num_get(v, x->size),
		       of_match_num_get(mk, x->size));
	} else if (x->kind == FK_HEX) {
		fs_put(b, "0x%" PRIx64, of_match_num_get(v, x->size));
	} else {
		fs_put(b, "%" PRIu64, of_match_num_get(v, x->size));
	}
}

/* "name=value," for field 'f' when present. */
static void
fs_put_field(struct fs_buf *b, const char *name, unsigned f, const struct of_match *m)
{
	if (fs_has(m, f)) {
		fs_put(b, "%s=", name);
		fs_put_value(b, f, m, (m->masked >> f & 1) != 0);
		fs_put(b, ",");
	}
}

/* The shorthand for 'm' ("tcp6") and whether it covers ip_proto; NULL when none. */
static const char *
fs_shorthand_of(const struct of_match *m, bool *covers_proto)
{
	uint16_t eth = m->value.eth_type;
	int proto = fs_has(m, OFPXMT_OFB_IP_PROTO) ? m->value.ip_proto : -1;

	*covers_proto = false;
	if (!fs_has(m, OFPXMT_OFB_ETH_TYPE)) {
		return NULL;
	}
	if (eth == ETH_TYPE_ARP) {
		return "arp";
	}
	if (eth != ETH_TYPE_IP && eth != ETH_TYPE_IPV6) {
		return NULL;
	}
	for (size_t i = 0; i < of_fs_n_shorthands; i++) {
		if (of_fs_shorthands[i].eth_type == eth && of_fs_shorthands[i].ip_proto == proto &&
		    proto >= 0) {
			*covers_proto = true;
			return of_fs_shorthands[i].name;
		}
	}
	return eth == ETH_TYPE_IP ? "ip" : "ipv6";
}

/* VLAN fields the way OVS prints its 802.1Q TCI match. */
static void
fs_put_vlan(struct fs_buf *b, const struct of_match *m)
{
	bool has_vid = fs_has(m, OFPXMT_OFB_VLAN_VID), has_pcp = fs_has(m, OFPXMT_OFB_VLAN_PCP);
	uint16_t vid = has_vid ? m->value.vlan_vid : 0, vid_mask = has_vid ? m->mask.vlan_vid : 0;
	uint16_t tci, tci_mask;

	if (!has_vid && !has_pcp) {
		return;
	}
	tci = (uint16_t)((vid & 0x0fff) | (vid & OFPVID_PRESENT ? 0x1000 : 0) |
			 (has_pcp ? m->value.vlan_pcp << 13 : 0));
	tci_mask = (uint16_t)((vid_mask & 0x1fff) | (has_pcp ? 0xe000 : 0));
	if ((tci_mask & tci & 0x1000) != 0 &&
	    ((tci_mask & 0x0fff) == 0 || (tci_mask & 0x0fff) == 0x0fff) &&
	    (tci_mask & 0xefff) != 0) {
		if ((tci_mask & 0x0fff) != 0) {
			fs_put(b, "dl_vlan=%u,", tci & 0x0fff);
		}
		if (has_pcp) {
			fs_put(b, "dl_vlan_pcp=%u,", m->value.vlan_pcp);
		}
	} else if (tci_mask == 0xffff) {
		fs_put(b, "vlan_tci=0x%04x,", tci);
	} else {
		fs_put(b, "vlan_tci=0x%04x/0x%04x,", tci, tci_mask);
	}
}

/* L3 and L4 fields, in match_format()'s order. */
static void
fs_put_l3_l4(struct fs_buf *b, const struct of_match *m, bool covers_proto)
{
	bool arp = fs_eth_is(m, ETH_TYPE_ARP);

	if (fs_eth_is(m, ETH_TYPE_IPV6)) {
		fs_put_field(b, "ipv6_src", OFPXMT_OFB_IPV6_SRC, m);
		fs_put_field(b, "ipv6_dst", OFPXMT_OFB_IPV6_DST, m);
		if (fs_has(m, OFPXMT_OFB_IPV6_FLABEL) &&
		    (m->masked >> OFPXMT_OFB_IPV6_FLABEL & 1)) {
			fs_put(b, "ipv6_label=0x%05" PRIx32 "/0x%05" PRIx32 ",",
			       m->value.ipv6_flabel, m->mask.ipv6_flabel);
		} else if (fs_has(m, OFPXMT_OFB_IPV6_FLABEL)) {
			fs_put(b, "ipv6_label=0x%05" PRIx32 ",", m->value.ipv6_flabel);
		}
	} else if (arp) {
		fs_put_field(b, "arp_spa", OFPXMT_OFB_ARP_SPA, m);
		fs_put_field(b, "arp_tpa", OFPXMT_OFB_ARP_TPA, m);
	} else {
		fs_put_field(b, "nw_src", OFPXMT_OFB_IPV4_SRC, m);
		fs_put_field(b, "nw_dst", OFPXMT_OFB_IPV4_DST, m);
	}
	if (!covers_proto) {
		fs_put_field(b, "nw_proto", OFPXMT_OFB_IP_PROTO, m);
	}
	fs_put_field(b, "arp_op", OFPXMT_OFB_ARP_OP, m);
	fs_put_field(b, "arp_sha", OFPXMT_OFB_ARP_SHA, m);
	fs_put_field(b, "arp_tha", OFPXMT_OFB_ARP_THA, m);
	if (fs_has(m, OFPXMT_OFB_IP_DSCP)) {
		fs_put(b, "nw_tos=%u,", m->value.ip_dscp << 2);
	}
	fs_put_field(b, "nw_ecn", OFPXMT_OFB_IP_ECN, m);
	fs_put_field(b, "icmp_type", OFPXMT_OFB_ICMPV4_TYPE, m);
	fs_put_field(b, "icmp_code", OFPXMT_OFB_ICMPV4_CODE, m);
	fs_put_field(b, "icmp_type", OFPXMT_OFB_ICMPV6_TYPE, m);
	fs_put_field(b, "icmp_code", OFPXMT_OFB_ICMPV6_CODE, m);
	fs_put_field(b, "nd_target", OFPXMT_OFB_IPV6_ND_TARGET, m);
	fs_put_field(b, "nd_sll", OFPXMT_OFB_IPV6_ND_SLL, m);
	fs_put_field(b, "nd_tll", OFPXMT_OFB_IPV6_ND_TLL, m);
	for (unsigned f = OFPXMT_OFB_TCP_SRC; f <= OFPXMT_OFB_SCTP_DST; f++) {
		fs_put_field(b, f % 2 != 0 ? "tp_src" : "tp_dst", f, m);
	}
}

static void
fs_match_body(struct fs_buf *b, const struct of_match *m)
{
	bool covers_proto;
	const char *shorthand = fs_shorthand_of(m, &covers_proto);

	if (shorthand != NULL) {
		fs_put(b, "%s,", shorthand);
	}
	fs_put_field(b, "tun_id", OFPXMT_OFB_TUNNEL_ID, m);
	fs_put_field(b, "tun_src", OF_FIELD_TUN_SRC, m);
	fs_put_field(b, "tun_dst", OF_FIELD_TUN_DST, m);
	fs_put_field(b, "metadata", OFPXMT_OFB_METADATA, m);
	fs_put_field(b, "in_port", OFPXMT_OFB_IN_PORT, m);
	fs_put_vlan(b, m);
	fs_put_field(b, "dl_src", OFPXMT_OFB_ETH_SRC, m);
	fs_put_field(b, "dl_dst", OFPXMT_OFB_ETH_DST, m);
	if (shorthand == NULL && fs_has(m, OFPXMT_OFB_ETH_TYPE)) {
		fs_put(b, "dl_type=0x%04x,", m->value.eth_type);
	}
	fs_put_l3_l4(b, m, covers_proto);
	fs_chomp(b, ',');
}

int
of_match_format(const struct of_match *m, char *buf, size_t size)
{
	struct fs_buf b = {.p = buf, .size = size};

	if (size > 0) {
		buf[0] = '\0';
	}
	fs_match_body(&b, m);
	return fs_done(&b);
}

/* A set_field action: "set_field:VALUE->NAME". */
static void
fs_put_set_field(struct fs_buf *b, const struct of_action *a)
{
	unsigned f = a->set_field.field;
	struct of_match m = {0};
	const struct fs_oxm *x = f < OF_MATCH_N_FIELDS ? &of_fs_oxms[f] : NULL;
	uint64_t v = 0;

	if (x == NULL || x->name == NULL || a->set_field.len != x->size) {
		fs_put(b, "set_field:?->%u", f);
		return;
	}
	if (fs_is_bytes(x)) {
		memcpy((uint8_t *)&m.value + x->offset, a->set_field.value, x->size);
	} else {
		for (uint8_t i = 0; i < x->size; i++) {
			v = v << 8 | a->set_field.value[i];
		}
		of_match_num_put((uint8_t *)&m.value + x->offset, x->size, v);
	}
	fs_put(b, "set_field:");
	fs_put_value(b, f, &m, false);
	fs_put(b, "->%s", x->name);
}

static void
fs_put_action(struct fs_buf *b, const struct of_action *a)
{
	switch (a->type) {
	case OFPAT_OUTPUT:
		if (a->output.port == OFPP_CONTROLLER) {
			fs_put(b, "CONTROLLER:%u", a->output.max_len);
		} else if (a->output.max_len != 0 && a->output.max_len != OFPCML_MAX) {
			/* OFPCML_MAX is what controllers (os-ken, Ryu) put in every output:
			 * it means nothing for a port, so it is not shown, as in OVS. */
			fs_put(b, "output(port=");
			fs_put_port(b, a->output.port);
			fs_put(b, ",max_len=%u)", a->output.max_len);
		} else if (a->output.port < OFPP_MAX) {
			fs_put(b, "output:%" PRIu32, a->output.port);
		} else {
			fs_put_port(b, a->output.port);
		}
		break;
	case OFPAT_PUSH_VLAN:
		fs_put(b, "push_vlan:0x%04x", a->ethertype);
		break;
	case OFPAT_POP_VLAN:
		fs_put(b, "pop_vlan");
		break;
	case OFPAT_SET_QUEUE:
		fs_put(b, "set_queue:%" PRIu32, a->queue_id);
		break;
	case OFPAT_SET_NW_TTL:
		fs_put(b, "mod_nw_ttl:%u", a->nw_ttl);
		break;
	case OFPAT_DEC_NW_TTL:
		fs_put(b, "dec_ttl");
		break;
	case OFPAT_SET_FIELD:
		fs_put_set_field(b, a);
		break;
	default:
		fs_put(b, "unknown_action:%u", a->type);
		break;
	}
}

static void
fs_put_actions(struct fs_buf *b, const struct of_action_list *list)
{
	for (uint16_t i = 0; i < list->n; i++) {
		if (i > 0) {
			fs_put(b, ",");
		}
		fs_put_action(b, &list->a[i]);
	}
}

int
of_actions_format(const struct of_action_list *list, char *buf, size_t size)
{
	struct fs_buf b = {.p = buf, .size = size};

	if (size > 0) {
		buf[0] = '\0';
	}
	if (list->n == 0) {
		fs_put(&b, "drop");
	}
	fs_put_actions(&b, list);
	return fs_done(&b);
}

static void
fs_put_instructions(struct fs_buf *b, const struct of_instructions *ins)
{
	size_t start = b->len;

	if ((ins->present & OF_INST_BIT(OFPIT_APPLY_ACTIONS)) != 0 && ins->apply.n > 0) {
		fs_put_actions(b, &ins->apply);
		fs_put(b, ",");
	}
	if ((ins->present & OF_INST_BIT(OFPIT_CLEAR_ACTIONS)) != 0) {
		fs_put(b, "clear_actions,");
	}
	if ((ins->present & OF_INST_BIT(OFPIT_WRITE_ACTIONS)) != 0) {
		fs_put(b, "write_actions(");
		fs_put_actions(b, &ins->write);
		fs_put(b, "),");
	}
	if ((ins->present & OF_INST_BIT(OFPIT_WRITE_METADATA)) != 0) {
		fs_put(b, "write_metadata:0x%" PRIx64, ins->metadata);
		if (ins->metadata_mask != UINT64_MAX) {
			fs_put(b, "/0x%" PRIx64, ins->metadata_mask);
		}
		fs_put(b, ",");
	}
	if ((ins->present & OF_INST_BIT(OFPIT_GOTO_TABLE)) != 0) {
		fs_put(b, "goto_table:%u,", ins->goto_table);
	}
	if (b->len == start) {
		fs_put(b, "drop");
	}
	fs_chomp(b, ',');
}

int
of_instructions_format(const struct of_instructions *ins, char *buf, size_t size)
{
	struct fs_buf b = {.p = buf, .size = size};

	if (size > 0) {
		buf[0] = '\0';
	}
	fs_put_instructions(&b, ins);
	return fs_done(&b);
}

/* duration=S[.fraction]s, trailing zeros of the nanoseconds dropped, as OVS prints it. */
static void
fs_put_duration(struct fs_buf *b, uint32_t sec, uint32_t nsec)
{
	char frac[16];
	int n;

	fs_put(b, "duration=%" PRIu32, sec);
	if (nsec > 0) {
		n = snprintf(frac, sizeof(frac), "%09" PRIu32, nsec % 1000000000u);
		while (n > 0 && frac[n - 1] == '0') {
			frac[--n] = '\0';
		}
		fs_put(b, ".%s", frac);
	}
	fs_put(b, "s, ");
}

static void
fs_put_flow_head(struct fs_buf *b, const struct of_flow *flow,
		 const struct of_flow_format_stats *st)
{
	if (st != NULL || flow->cookie != 0) {
		fs_put(b, "%scookie=0x%" PRIx64 ", ", st != NULL ? " " : "", flow->cookie);
	}
	if (st != NULL) {
		fs_put_duration(b, st->duration_sec, st->duration_nsec);
	}
	if (st != NULL || flow->table_id != 0) {
		fs_put(b, "table=%u, ", flow->table_id);
	}
	if (st != NULL) {
		fs_put(b, "n_packets=%" PRIu64 ", n_bytes=%" PRIu64 ", ", st->n_packets,
		       st->n_bytes);
	}
	if (flow->idle_timeout != 0) {
		fs_put(b, "idle_timeout=%u, ", flow->idle_timeout);
	}
	if (flow->hard_timeout != 0) {
		fs_put(b, "hard_timeout=%u, ", flow->hard_timeout);
	}
	for (size_t i = 0; i < of_fs_n_flags; i++) {
		if ((flow->flags & of_fs_flags[i].flag) != 0) {
			fs_put(b, "%s ", of_fs_flags[i].name);
		}
	}
	if (st != NULL && st->idle_age >= 0) {
		fs_put(b, "idle_age=%" PRId32 ", ", st->idle_age);
	}
	if (st != NULL && st->hard_age >= 0 && (uint32_t)st->hard_age != st->duration_sec) {
		fs_put(b, "hard_age=%" PRId32 ", ", st->hard_age);
	}
}

int
of_flow_format(const struct of_flow *flow, const struct of_flow_format_stats *stats, char *buf,
	       size_t size)
{
	struct fs_buf b = {.p = buf, .size = size};
	size_t start;

	if (size > 0) {
		buf[0] = '\0';
	}
	fs_put_flow_head(&b, flow, stats);
	start = b.len;
	if (flow->priority != OFP_DEFAULT_PRIORITY) {
		fs_put(&b, "priority=%u,", flow->priority);
	}
	fs_match_body(&b, &flow->match);
	fs_chomp(&b, ',');
	if (b.len != start) {
		fs_put(&b, " ");
	}
	fs_put(&b, "actions=");
	fs_put_instructions(&b, &flow->ins);
	return fs_done(&b);
}
