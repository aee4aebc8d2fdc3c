/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_flow_parse.c - ovs-ofctl flow syntax for OpenFlow 1.3 flows: parse
 * text ("priority=10,tcp,tp_dst=80,actions=output:2") into a struct
 * of_flow, as ovs-ofctl's parse_ofp_str() does (lib/ofp-flow.c,
 * lib/ofp-actions.c). It also holds the field, shorthand, port-name and
 * flag tables that of_flow_format.c prints with (of_flow_syntax_priv.h).
 * The "actions=" part is parsed by of_flow_actions.c.
 *
 * Parsing works in passes over the "key=value" list: first the flow
 * keywords, shorthands and fields whose meaning is fixed, then nw_src,
 * nw_dst and nw_proto (arp_spa, arp_tpa, arp_op on an ARP match, as in
 * OVS), then tp_src, tp_dst, icmp_type and icmp_code, whose OXM field
 * depends on the IP protocol and Ethernet type given anywhere in the text.
 * A field whose prerequisite [OpenFlow 1.3.5, 7.2.3.6] is not in the match
 * is an error ("tp_dst: prerequisites not met"); OVS silently drops it.
 *
 * Deliberate differences from ovs-ofctl: match fields are kept in
 * ascending OXM order (OVS has its own fixed order); values out of a
 * field's range (dl_vlan=5000, ip_dscp=64) are errors where OVS truncates;
 * meter, group, set_field with a mask and the Nicira actions are refused;
 * mod_vlan_vid and mod_vlan_pcp push a 0x8100 tag first unless the match
 * guarantees one (vlan_vid with OFPVID_PRESENT matched), which is what OVS
 * encodes for OpenFlow 1.3; output(port=P,max_len=N) to a non-controller
 * port is kept as an OpenFlow 1.3 output with max_len N (OVS sends a
 * Nicira output_trunc).
 */
#include "protocols/openflow/of_flow_syntax.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "protocols/openflow/of_flow_syntax_priv.h"
#include "protocols/openflow/of_wire.h"

#define FS_KV_MAX 128

/* ---- Field table ---------------------------------------------------------- */

#define FSZ(m)     sizeof(((struct of_match_fields *)0)->m)
#define FX(f, ...) FX_AT(OFPXMT_OFB_##f, __VA_ARGS__)
#define FX_AT(i, n, m, k, max, mask, wr) \
	[i] = {n, offsetof(struct of_match_fields, m), FSZ(m), k, max, mask, wr}
const struct fs_oxm of_fs_oxms[OF_MATCH_N_FIELDS] = {
    FX(IN_PORT, "in_port", in_port, FK_PORT, 0, false, false),
    FX(METADATA, "metadata", metadata, FK_HEX, 0, true, false),
    FX(ETH_DST, "eth_dst", eth_dst, FK_MAC, 0, true, true),
    FX(ETH_SRC, "eth_src", eth_src, FK_MAC, 0, true, true),
    FX(ETH_TYPE, "eth_type", eth_type, FK_HEX, 0, false, false),
    FX(VLAN_VID, "vlan_vid", vlan_vid, FK_DEC, 0x1fff, true, true),
    FX(VLAN_PCP, "vlan_pcp", vlan_pcp, FK_DEC, 7, false, true),
    FX(IP_DSCP, "ip_dscp", ip_dscp, FK_DEC, 63, false, true),
    FX(IP_ECN, "nw_ecn", ip_ecn, FK_DEC, 3, false, true),
    FX(IP_PROTO, "nw_proto", ip_proto, FK_DEC, 0, false, false),
    FX(IPV4_SRC, "ip_src", ipv4_src, FK_IPV4, 0, true, true),
    FX(IPV4_DST, "ip_dst", ipv4_dst, FK_IPV4, 0, true, true),
    FX(TCP_SRC, "tcp_src", tcp_src, FK_DEC, 0, false, true),
    FX(TCP_DST, "tcp_dst", tcp_dst, FK_DEC, 0, false, true),
    FX(UDP_SRC, "udp_src", udp_src, FK_DEC, 0, false, true),
    FX(UDP_DST, "udp_dst", udp_dst, FK_DEC, 0, false, true),
    FX(SCTP_SRC, "sctp_src", sctp_src, FK_DEC, 0, false, true),
    FX(SCTP_DST, "sctp_dst", sctp_dst, FK_DEC, 0, false, true),
    FX(ICMPV4_TYPE, "icmp_type", icmpv4_type, FK_DEC, 0, false, true),
    FX(ICMPV4_CODE, "icmp_code", icmpv4_code, FK_DEC, 0, false, true),
    FX(ARP_OP, "arp_op", arp_op, FK_DEC, 0, false, true),
    FX(ARP_SPA, "arp_spa", arp_spa, FK_IPV4, 0, true, true),
    FX(ARP_TPA, "arp_tpa", arp_tpa, FK_IPV4, 0, true, true),
    FX(ARP_SHA, "arp_sha", arp_sha, FK_MAC, 0, true, true),
    FX(ARP_THA, "arp_tha", arp_tha, FK_MAC, 0, true, true),
    FX(IPV6_SRC, "ipv6_src", ipv6_src, FK_IPV6, 0, true, true),
    FX(IPV6_DST, "ipv6_dst", ipv6_dst, FK_IPV6, 0, true, true),
    FX(IPV6_FLABEL, "ipv6_label", ipv6_flabel, FK_HEX, 0xfffff, true, true),
    FX(ICMPV6_TYPE, "icmpv6_type", icmpv6_type, FK_DEC, 0, false, true),
    FX(ICMPV6_CODE, "icmpv6_code", icmpv6_code, FK_DEC, 0, false, true),
    FX(IPV6_ND_TARGET, "nd_target", ipv6_nd_target, FK_IPV6, 0, false, true),
    FX(IPV6_ND_SLL, "nd_sll", ipv6_nd_sll, FK_MAC, 0, false, true),
    FX(IPV6_ND_TLL, "nd_tll", ipv6_nd_tll, FK_MAC, 0, false, true),
    FX(TUNNEL_ID, "tun_id", tunnel_id, FK_HEX, 0, true, true),
    FX_AT(OF_FIELD_TUN_SRC, "tun_src", tun_src, FK_IPV4, 0, true, true),
    FX_AT(OF_FIELD_TUN_DST, "tun_dst", tun_dst, FK_IPV4, 0, true, true),
};
#undef FX_AT
#undef FX
#undef FSZ

#define KW(n, f, h)                       \
	{                                 \
		n, OFPXMT_OFB_##f, KW_##h \
	}
static const struct fs_keyword fs_keywords[] = {
    KW("in_port", IN_PORT, DIRECT),
    KW("dl_src", ETH_SRC, DIRECT),
    KW("eth_src", ETH_SRC, DIRECT),
    KW("dl_dst", ETH_DST, DIRECT),
    KW("eth_dst", ETH_DST, DIRECT),
    KW("dl_type", ETH_TYPE, DIRECT),
    KW("eth_type", ETH_TYPE, DIRECT),
    KW("dl_vlan", VLAN_VID, DL_VLAN),
    KW("vlan_tci", VLAN_VID, VLAN_TCI),
    KW("vlan_vid", VLAN_VID, DIRECT),
    KW("dl_vlan_pcp", VLAN_PCP, DIRECT),
    KW("vlan_pcp", VLAN_PCP, DIRECT),
    KW("nw_src", IPV4_SRC, NW),
    KW("ip_src", IPV4_SRC, DIRECT),
    KW("ipv4_src", IPV4_SRC, DIRECT),
    KW("nw_dst", IPV4_DST, NW),
    KW("ip_dst", IPV4_DST, DIRECT),
    KW("ipv4_dst", IPV4_DST, DIRECT),
    KW("nw_proto", IP_PROTO, NW),
    KW("ip_proto", IP_PROTO, DIRECT),
    KW("nw_tos", IP_DSCP, NW_TOS),
    KW("ip_dscp", IP_DSCP, DIRECT),
    KW("nw_ecn", IP_ECN, DIRECT),
    KW("ip_ecn", IP_ECN, DIRECT),
    KW("tp_src", TCP_SRC, TP),
    KW("tp_dst", TCP_DST, TP),
    KW("tcp_src", TCP_SRC, DIRECT),
    KW("tcp_dst", TCP_DST, DIRECT),
    KW("udp_src", UDP_SRC, DIRECT),
    KW("udp_dst", UDP_DST, DIRECT),
    KW("sctp_src", SCTP_SRC, DIRECT),
    KW("sctp_dst", SCTP_DST, DIRECT),
    KW("icmp_type", ICMPV4_TYPE, TP),
    KW("icmp_code", ICMPV4_CODE, TP),
    KW("icmpv4_type", ICMPV4_TYPE, DIRECT),
    KW("icmpv4_code", ICMPV4_CODE, DIRECT),
    KW("icmpv6_type", ICMPV6_TYPE, DIRECT),
    KW("icmpv6_code", ICMPV6_CODE, DIRECT),
    KW("arp_op", ARP_OP, DIRECT),
    KW("arp_spa", ARP_SPA, DIRECT),
    KW("arp_tpa", ARP_TPA, DIRECT),
    KW("arp_sha", ARP_SHA, DIRECT),
    KW("arp_tha", ARP_THA, DIRECT),
    KW("ipv6_src", IPV6_SRC, DIRECT),
    KW("ipv6_dst", IPV6_DST, DIRECT),
    KW("ipv6_label", IPV6_FLABEL, DIRECT),
    KW("ipv6_flabel", IPV6_FLABEL, DIRECT),
    KW("nd_target", IPV6_ND_TARGET, DIRECT),
    KW("ipv6_nd_target", IPV6_ND_TARGET, DIRECT),
    KW("nd_sll", IPV6_ND_SLL, DIRECT),
    KW("ipv6_nd_sll", IPV6_ND_SLL, DIRECT),
    KW("nd_tll", IPV6_ND_TLL, DIRECT),
    KW("ipv6_nd_tll", IPV6_ND_TLL, DIRECT),
    KW("metadata", METADATA, DIRECT),
    KW("tun_id", TUNNEL_ID, DIRECT),
    KW("tunnel_id", TUNNEL_ID, DIRECT),
    {"tun_src", OF_FIELD_TUN_SRC, KW_DIRECT},
    {"tun_dst", OF_FIELD_TUN_DST, KW_DIRECT},
};
#undef KW

/* Protocol shorthands ("tcp" is eth_type=0x0800,ip_proto=6). */
const struct fs_shorthand of_fs_shorthands[] = {
    {"eth", 0, -1},
    {"ip", ETH_TYPE_IP, -1},
    {"ipv6", ETH_TYPE_IPV6, -1},
    {"icmp", ETH_TYPE_IP, 1},
    {"icmp6", ETH_TYPE_IPV6, 58},
    {"tcp", ETH_TYPE_IP, 6},
    {"tcp6", ETH_TYPE_IPV6, 6},
    {"udp", ETH_TYPE_IP, 17},
    {"udp6", ETH_TYPE_IPV6, 17},
    {"sctp", ETH_TYPE_IP, 132},
    {"sctp6", ETH_TYPE_IPV6, 132},
    {"arp", ETH_TYPE_ARP, -1},
};

const size_t of_fs_n_shorthands = sizeof(of_fs_shorthands) / sizeof(of_fs_shorthands[0]);

/* Reserved port names [7.2.1], as ovs-ofctl prints them. */
const struct fs_port_name of_fs_port_names[] = {
    {"IN_PORT", OFPP_IN_PORT}, {"TABLE", OFPP_TABLE}, {"NORMAL", OFPP_NORMAL},
    {"FLOOD", OFPP_FLOOD},     {"ALL", OFPP_ALL},     {"CONTROLLER", OFPP_CONTROLLER},
    {"LOCAL", OFPP_LOCAL},     {"ANY", OFPP_ANY},
};

const size_t of_fs_n_port_names = sizeof(of_fs_port_names) / sizeof(of_fs_port_names[0]);

/* ---- Small helpers -------------------------------------------------------- */

int
fs_err(struct fs_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err_size > 0) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->err_size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Parses all of 's' as an unsigned number: 0x-prefixed hex or decimal. */
bool
fs_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s < '0' || (base == 10 && *s > '9') ||
	    (base == 16 && !strchr("0123456789abcdefABCDEF", *s))) {
		return false;
	}
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno == 0 && *end == '\0';
}

/* Parses 's' as a number no greater than 'max'. */
bool
fs_parse_uint(const char *s, uint64_t max, uint64_t *v)
{
	return fs_parse_u64(s, v) && *v <= max;
}

static bool
fs_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned x[6];
	int n = 0;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &x[0], &x[1], &x[2], &x[3], &x[4], &x[5], &n) !=
		6 ||
	    s[n] != '\0' || strlen(s) != 17) {
		return false;
	}
	for (int i = 0; i < 6; i++) {
		mac[i] = (uint8_t)x[i];
	}
	return true;
}

static uint64_t
fs_width(uint8_t size)
{
	return size >= 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
}

/* ---- Tokenizer ------------------------------------------------------------ */

/*
 * Splits the next "key[=value|:value|(value)]" off '*pos', as OVS's
 * ofputil_parse_key_value() does: keys end at ":=(, \t\r\n", values at a
 * comma or blank outside parentheses. Writes NULs into the buffer.
 */
bool
fs_next_kv(char **pos, struct fs_kv *kv)
{
	char *p = *pos + strspn(*pos, ", \t\r\n");
	size_t key_len;
	int depth = 0;
	char *v;

	if (*p == '\0') {
		return false;
	}
	key_len = strcspn(p, ":=(, \t\r\n");
	kv->key = p;
	kv->delim = p[key_len];
	v = p + key_len;
	kv->value = v;
	if (kv->delim == ':' || kv->delim == '=' || kv->delim == '(') {
		kv->value = ++v;
		for (; *v != '\0'; v++) {
			if (*v == '(') {
				depth++;
			} else if (*v == ')' && depth > 0) {
				depth--;
			} else if (*v == ')' && kv->delim == '(') {
				break;
			} else if (depth == 0 && kv->delim != '(' && strchr(", \t\r\n", *v)) {
				break;
			}
		}
	} else {
		kv->delim = 0;
	}
	*pos = *v != '\0' ? v + 1 : v;
	p[key_len] = '\0';
	*v = '\0';
	return true;
}

/* ---- Values --------------------------------------------------------------- */

/* Port number, reserved name, or a name 'opts' resolves. */
bool
fs_parse_port(const struct fs_ctx *c, const char *s, uint32_t *port)
{
	uint64_t v;

	if (fs_parse_u64(s, &v)) {
		*port = (uint32_t)v;
		return v < OFPP_MAX;
	}
	for (size_t i = 0; i < sizeof(of_fs_port_names) / sizeof(of_fs_port_names[0]); i++) {
		if (strcasecmp(s, of_fs_port_names[i].name) == 0) {
			*port = of_fs_port_names[i].port;
			return true;
		}
	}
	return c->opts->port_by_name != NULL &&
	       c->opts->port_by_name(s, port, c->opts->port_arg) == 0;
}

static int
fs_parse_ipv4(struct fs_ctx *c, char *s, struct fs_val *v, struct fs_val *mask, bool *masked)
{
	char *slash = strchr(s, '/');
	struct in_addr a;
	uint64_t len;

	if (slash != NULL) {
		*slash = '\0';
	}
	if (inet_pton(AF_INET, s, &a) != 1) {
		return fs_err(c, "%s: invalid IP address", s);
	}
	v->u = ntohl(a.s_addr);
	*masked = slash != NULL;
	if (slash == NULL) {
		return 0;
	}
	*slash = '/';
	if (strchr(slash + 1, '.') != NULL) {
		if (inet_pton(AF_INET, slash + 1, &a) != 1) {
			return fs_err(c, "%s: invalid IP address", slash + 1);
		}
		mask->u = ntohl(a.s_addr);
	} else if (fs_parse_u64(slash + 1, &len) && len <= 32) {
		mask->u = len == 0 ? 0 : (0xffffffffu << (32 - len)) & 0xffffffffu;
	} else {
		return fs_err(c, "%s: IPv4 network prefix bits not between 0 and 32, inclusive", s);
	}
	return 0;
}

static int
fs_parse_ipv6(struct fs_ctx *c, char *s, struct fs_val *v, struct fs_val *mask, bool *masked)
{
	char *slash = strchr(s, '/');
	uint64_t len;

	if (slash != NULL) {
		*slash = '\0';
	}
	if (inet_pton(AF_INET6, s, v->b) != 1) {
		return fs_err(c, "%s: invalid IPv6 address", s);
	}
	*masked = slash != NULL;
	if (slash == NULL) {
		return 0;
	}
	*slash = '/';
	memset(mask->b, 0, sizeof(mask->b));
	if (strchr(slash + 1, ':') != NULL) {
		if (inet_pton(AF_INET6, slash + 1, mask->b) != 1) {
			return fs_err(c, "%s: invalid IPv6 address", slash + 1);
		}
	} else if (fs_parse_u64(slash + 1, &len) && len <= 128) {
		for (unsigned i = 0; i < len; i++) {
			mask->b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		}
	} else {
		return fs_err(c, "%s: IPv6 network prefix bits not between 0 and 128, inclusive",
			      s);
	}
	return 0;
}

static int
fs_parse_mac_masked(struct fs_ctx *c, char *s, struct fs_val *v, struct fs_val *mask, bool *masked)
{
	char *slash = strchr(s, '/');

	if (slash != NULL) {
		*slash = '\0';
	}
	*masked = slash != NULL;
	if (!fs_parse_mac(s, v->b) || (slash != NULL && !fs_parse_mac(slash + 1, mask->b))) {
		if (slash != NULL) {
			*slash = '/';
		}
		return fs_err(c, "%s: invalid Ethernet address", s);
	}
	if (slash != NULL) {
		*slash = '/';
	}
	return 0;
}

static int
fs_parse_int(struct fs_ctx *c, const struct fs_oxm *x, char *s, struct fs_val *v,
	     struct fs_val *mask, bool *masked)
{
	char *slash = strchr(s, '/');
	uint64_t max = x->max != 0 ? x->max : fs_width(x->size);
	int rc = 0;

	if (slash != NULL) {
		*slash = '\0';
	}
	*masked = slash != NULL;
	if (!fs_parse_u64(s, &v->u)) {
		rc = fs_err(c, "%s: bad syntax for %s value", s, x->name);
	} else if (v->u > fs_width(x->size)) {
		rc = fs_err(c, "%s: value too large for %u-byte field %s", s, x->size, x->name);
	} else if (v->u > max) {
		rc = fs_err(c, "%s: invalid value for field %s", s, x->name);
	} else if (slash != NULL && (!fs_parse_u64(slash + 1, &mask->u) || mask->u > max)) {
		*slash = '/';
		rc = fs_err(c, "%s: bad syntax for %s mask", s, x->name);
	}
	if (slash != NULL) {
		*slash = '/';
	}
	return rc;
}

/* Parses 's' as a value (and '/mask' where 'allow_mask') of field 'f'. */
int
fs_parse_field_value(struct fs_ctx *c, unsigned f, char *s, struct fs_val *v, struct fs_val *mask,
		     bool *masked)
{
	const struct fs_oxm *x = &of_fs_oxms[f];
	uint32_t port = 0;
	int rc;

	memset(v, 0, sizeof(*v));
	memset(mask, 0, sizeof(*mask));
	*masked = false;
	switch (x->kind) {
	case FK_PORT:
		if (!fs_parse_port(c, s, &port)) {
			return fs_err(c, "%s: invalid or unknown port for %s", s, x->name);
		}
		v->u = port;
		return 0;
	case FK_MAC:
		rc = fs_parse_mac_masked(c, s, v, mask, masked);
		break;
	case FK_IPV4:
		rc = fs_parse_ipv4(c, s, v, mask, masked);
		break;
	case FK_IPV6:
		rc = fs_parse_ipv6(c, s, v, mask, masked);
		break;
	default:
		rc = fs_parse_int(c, x, s, v, mask, masked);
		break;
	}
	if (rc == 0 && *masked && !x->maskable) {
		rc = fs_err(c, "%s: invalid mask for field %s", s, x->name);
	}
	return rc;
}

/* ---- Building the match --------------------------------------------------- */

static void
fs_match_clear(struct of_match *m, unsigned f)
{
	const struct fs_oxm *x = &of_fs_oxms[f];

	memset((uint8_t *)&m->value + x->offset, 0, x->size);
	memset((uint8_t *)&m->mask + x->offset, 0, x->size);
	m->present &= ~(1ull << f);
	m->masked &= ~(1ull << f);
}

/*
 * Sets field 'f' to 'v' under 'mask' (NULL: exact). An all-ones mask is
 * exact; an all-zero one removes the field, as OVS does. Value bits outside
 * the mask are cleared, since OpenFlow forbids them (7.2.3.5).
 */
static void
fs_match_set(struct of_match *m, unsigned f, const struct fs_val *v, const struct fs_val *mask)
{
	const struct fs_oxm *x = &of_fs_oxms[f];
	uint8_t *value = (uint8_t *)&m->value + x->offset;
	uint8_t *mk = (uint8_t *)&m->mask + x->offset;
	bool exact = true, zero = true;

	fs_match_clear(m, f);
	if (fs_is_bytes(x)) {
		for (uint8_t i = 0; i < x->size; i++) {
			uint8_t b = mask != NULL ? mask->b[i] : 0xff;

			value[i] = v->b[i] & b;
			mk[i] = b;
			exact = exact && b == 0xff;
			zero = zero && b == 0;
		}
	} else {
		uint64_t bits = x->max != 0 ? x->max : fs_width(x->size);
		uint64_t mu = mask != NULL ? mask->u & bits : bits;

		exact = mu == bits;
		zero = mu == 0;
		of_match_num_put(value, x->size, v->u & mu);
		of_match_num_put(mk, x->size, exact ? fs_width(x->size) : mu);
	}
	if (zero) {
		fs_match_clear(m, f);
		return;
	}
	m->present |= 1ull << f;
	if (!exact) {
		m->masked |= 1ull << f;
	}
}

static void
fs_match_set_int(struct of_match *m, unsigned f, uint64_t value)
{
	struct fs_val v = {.u = value};

	fs_match_set(m, f, &v, NULL);
}

bool
fs_proto_is(const struct of_match *m, uint8_t proto)
{
	return fs_has(m, OFPXMT_OFB_IP_PROTO) && m->value.ip_proto == proto;
}

/* True when field 'f''s prerequisite [7.2.3.6, table 12] is in 'm'. */
static bool
fs_prereq_ok(const struct of_match *m, unsigned f)
{
	bool ip = fs_eth_is(m, ETH_TYPE_IP) || fs_eth_is(m, ETH_TYPE_IPV6);

	switch (f) {
	case OFPXMT_OFB_VLAN_PCP:
		return fs_has(m, OFPXMT_OFB_VLAN_VID) &&
		       (m->value.vlan_vid & m->mask.vlan_vid & OFPVID_PRESENT) != 0;
	case OFPXMT_OFB_IP_DSCP:
	case OFPXMT_OFB_IP_ECN:
	case OFPXMT_OFB_IP_PROTO:
		return ip;
	case OFPXMT_OFB_IPV4_SRC:
	case OFPXMT_OFB_IPV4_DST:
		return fs_eth_is(m, ETH_TYPE_IP);
	case OFPXMT_OFB_TCP_SRC:
	case OFPXMT_OFB_TCP_DST:
		return ip && fs_proto_is(m, 6);
	case OFPXMT_OFB_UDP_SRC:
	case OFPXMT_OFB_UDP_DST:
		return ip && fs_proto_is(m, 17);
	case OFPXMT_OFB_SCTP_SRC:
	case OFPXMT_OFB_SCTP_DST:
		return ip && fs_proto_is(m, 132);
	case OFPXMT_OFB_ICMPV4_TYPE:
	case OFPXMT_OFB_ICMPV4_CODE:
		return ip && fs_proto_is(m, 1);
	case OFPXMT_OFB_ICMPV6_TYPE:
	case OFPXMT_OFB_ICMPV6_CODE:
		return ip && fs_proto_is(m, 58);
	case OFPXMT_OFB_ARP_OP:
	case OFPXMT_OFB_ARP_SPA:
	case OFPXMT_OFB_ARP_TPA:
	case OFPXMT_OFB_ARP_SHA:
	case OFPXMT_OFB_ARP_THA:
		return fs_eth_is(m, ETH_TYPE_ARP);
	case OFPXMT_OFB_IPV6_SRC:
	case OFPXMT_OFB_IPV6_DST:
	case OFPXMT_OFB_IPV6_FLABEL:
		return fs_eth_is(m, ETH_TYPE_IPV6);
	case OFPXMT_OFB_IPV6_ND_TARGET:
		return fs_has(m, OFPXMT_OFB_ICMPV6_TYPE) &&
		       (m->value.icmpv6_type == 135 || m->value.icmpv6_type == 136);
	case OFPXMT_OFB_IPV6_ND_SLL:
		return fs_has(m, OFPXMT_OFB_ICMPV6_TYPE) && m->value.icmpv6_type == 135;
	case OFPXMT_OFB_IPV6_ND_TLL:
		return fs_has(m, OFPXMT_OFB_ICMPV6_TYPE) && m->value.icmpv6_type == 136;
	default:
		return true;
	}
}

/* The OXM field a KW_NW or KW_TP keyword means in match 'm', or -1. */
static int
fs_resolve(const struct of_match *m, const struct fs_keyword *kw)
{
	bool src = kw->field == OFPXMT_OFB_TCP_SRC || kw->field == OFPXMT_OFB_ICMPV4_TYPE;

	if (kw->how == KW_NW) {
		if (!fs_eth_is(m, ETH_TYPE_ARP)) {
			return kw->field;
		}
		return kw->field == OFPXMT_OFB_IPV4_SRC   ? OFPXMT_OFB_ARP_SPA
		       : kw->field == OFPXMT_OFB_IPV4_DST ? OFPXMT_OFB_ARP_TPA
							  : OFPXMT_OFB_ARP_OP;
	}
	if (kw->field == OFPXMT_OFB_ICMPV4_TYPE || kw->field == OFPXMT_OFB_ICMPV4_CODE) {
		if (fs_eth_is(m, ETH_TYPE_IPV6)) {
			return src ? OFPXMT_OFB_ICMPV6_TYPE : OFPXMT_OFB_ICMPV6_CODE;
		}
		return kw->field;
	}
	if (!fs_has(m, OFPXMT_OFB_IP_PROTO)) {
		return -1;
	}
	switch (m->value.ip_proto) {
	case 6:
		return src ? OFPXMT_OFB_TCP_SRC : OFPXMT_OFB_TCP_DST;
	case 17:
		return src ? OFPXMT_OFB_UDP_SRC : OFPXMT_OFB_UDP_DST;
	case 132:
		return src ? OFPXMT_OFB_SCTP_SRC : OFPXMT_OFB_SCTP_DST;
	case 1:
		return src ? OFPXMT_OFB_ICMPV4_TYPE : OFPXMT_OFB_ICMPV4_CODE;
	case 58:
		return src ? OFPXMT_OFB_ICMPV6_TYPE : OFPXMT_OFB_ICMPV6_CODE;
	default:
		return -1;
	}
}

const struct fs_keyword *
fs_keyword(const char *name)
{
	for (size_t i = 0; i < sizeof(fs_keywords) / sizeof(fs_keywords[0]); i++) {
		if (strcmp(name, fs_keywords[i].name) == 0) {
			return &fs_keywords[i];
		}
	}
	return NULL;
}

/*
 * vlan_tci=TCI[/MASK]: the CFI bit is OFPVID_PRESENT, the PCP must be
 * matched whole or not at all.
 */
static int
fs_vlan_tci(struct fs_ctx *c, char *value)
{
	struct of_match *m = &c->flow->match;
	char *slash = strchr(value, '/');
	struct fs_val vid = {0}, vid_mask = {0};
	uint64_t tci, mask = 0xffff;

	if (slash != NULL) {
		*slash = '\0';
	}
	if (!fs_parse_uint(value, 0xffff, &tci) ||
	    (slash != NULL && !fs_parse_uint(slash + 1, 0xffff, &mask)) ||
	    (mask >> 13 != 0 && mask >> 13 != 7)) {
		if (slash != NULL) {
			*slash = '/';
		}
		return fs_err(c, "%s: invalid vlan_tci", value);
	}
	vid.u = tci & 0x1fff;
	vid_mask.u = mask & 0x1fff;
	fs_match_set(m, OFPXMT_OFB_VLAN_VID, &vid, &vid_mask);
	c->typed[OFPXMT_OFB_VLAN_VID] = "vlan_tci";
	if (mask >> 13 != 0) {
		fs_match_set_int(m, OFPXMT_OFB_VLAN_PCP, (tci & mask) >> 13);
		c->typed[OFPXMT_OFB_VLAN_PCP] = "vlan_tci";
	} else {
		fs_match_clear(m, OFPXMT_OFB_VLAN_PCP);
	}
	return 0;
}

/* dl_vlan=VID (12 bits) or 0xffff for "no tag"; nw_tos=TOS as DSCP << 2. */
static int
fs_special(struct fs_ctx *c, const struct fs_keyword *kw, char *value)
{
	struct of_match *m = &c->flow->match;
	uint64_t v;

	if (kw->how == KW_VLAN_TCI) {
		return fs_vlan_tci(c, value);
	}

	if (kw->how == KW_DL_VLAN) {
		if (!fs_parse_u64(value, &v) || (v > 0xfff && v != 0xffff)) {
			return fs_err(c, "%s: invalid VLAN VID", value);
		}
		fs_match_set_int(m, OFPXMT_OFB_VLAN_VID,
				 v == 0xffff ? OFPVID_NONE : v | OFPVID_PRESENT);
		c->typed[OFPXMT_OFB_VLAN_VID] = kw->name;
		return 0;
	}
	if (!fs_parse_uint(value, 255, &v)) {
		return fs_err(c, "%s: bad syntax for nw_tos value", value);
	}
	fs_match_set_int(m, OFPXMT_OFB_IP_DSCP, v >> 2);
	c->typed[OFPXMT_OFB_IP_DSCP] = kw->name;
	return 0;
}

/* Applies match keyword 'kw' = 'value' in 'pass' (0, 1 or 2). */
static int
fs_field_kv(struct fs_ctx *c, const struct fs_keyword *kw, char *value)
{
	struct of_match *m = &c->flow->match;
	struct fs_val v, mask;
	bool masked;
	int f = kw->field, rc;

	if (kw->how == KW_DL_VLAN || kw->how == KW_NW_TOS || kw->how == KW_VLAN_TCI) {
		return fs_special(c, kw, value);
	}
	if (kw->how == KW_NW || kw->how == KW_TP) {
		f = fs_resolve(m, kw);
		if (f < 0) {
			return fs_err(c, "%s: prerequisites not met", kw->name);
		}
	}
	rc = fs_parse_field_value(c, (unsigned)f, value, &v, &mask, &masked);
	if (rc != 0) {
		return rc;
	}
	fs_match_set(m, (unsigned)f, &v, masked ? &mask : NULL);
	c->typed[f] = kw->name;
	return 0;
}

/* ---- Flow keywords -------------------------------------------------------- */

static bool
fs_mode_is_mod(const struct fs_ctx *c)
{
	return c->opts->mode == OF_PARSE_ADD || c->opts->mode == OF_PARSE_MODIFY;
}

static int
fs_cookie(struct fs_ctx *c, char *value)
{
	char *slash = strchr(value, '/');
	struct of_flow *fl = c->flow;

	if (slash != NULL) {
		if (c->opts->mode == OF_PARSE_ADD) {
			return fs_err(c, "flow additions cannot use a cookie mask");
		}
		*slash = '\0';
		if (!fs_parse_u64(value, &fl->cookie) ||
		    !fs_parse_u64(slash + 1, &fl->cookie_mask)) {
			*slash = '/';
			return fs_err(c, "%s: invalid cookie", value);
		}
		fl->cookie &= fl->cookie_mask;
		return 0;
	}
	if (!fs_mode_is_mod(c)) {
		return fs_err(c, "cannot set cookie");
	}
	if (!fs_parse_u64(value, &fl->cookie)) {
		return fs_err(c, "%s: invalid cookie", value);
	}
	return 0;
}

/* table, priority, idle/hard_timeout, out_port, out_group: 1 when 'kv' is one. */
static int
fs_flow_number(struct fs_ctx *c, const struct fs_kv *kv)
{
	struct of_flow *fl = c->flow;
	bool mod = fs_mode_is_mod(c);
	uint64_t v;

	if (strcmp(kv->key, "table") == 0) {
		if (!fs_parse_uint(kv->value, mod ? OFPTT_MAX : OFPTT_ALL, &v)) {
			return fs_err(c, "unknown table \"%s\"", kv->value);
		}
		fl->table_id = (uint8_t)v;
	} else if (strcmp(kv->key, "priority") == 0) {
		if (!fs_parse_uint(kv->value, UINT16_MAX, &v)) {
			return fs_err(c, "invalid priority \"%s\"", kv->value);
		}
		fl->priority = (uint16_t)v;
	} else if (mod &&
		   (strcmp(kv->key, "idle_timeout") == 0 || strcmp(kv->key, "hard_timeout") == 0)) {
		if (!fs_parse_uint(kv->value, UINT16_MAX, &v)) {
			return fs_err(c, "invalid %s \"%s\"", kv->key, kv->value);
		}
		*(kv->key[0] == 'i' ? &fl->idle_timeout : &fl->hard_timeout) = (uint16_t)v;
	} else if (!mod && strcmp(kv->key, "out_port") == 0) {
		if (!fs_parse_port(c, kv->value, &fl->out_port)) {
			return fs_err(c, "%s is not a valid OpenFlow port", kv->value);
		}
	} else if (!mod && strcmp(kv->key, "out_group") == 0) {
		if (strcasecmp(kv->value, "any") == 0) {
			fl->out_group = OFPG_ANY;
		} else if (strcasecmp(kv->value, "all") == 0) {
			fl->out_group = OFPG_ALL;
		} else if (fs_parse_uint(kv->value, OFPG_MAX, &v)) {
			fl->out_group = (uint32_t)v;
		} else {
			return fs_err(c, "invalid out_group \"%s\"", kv->value);
		}
	} else {
		return 1;
	}
	return 0;
}

const struct fs_flag of_fs_flags[] = {
    {"send_flow_rem", OFPFF_SEND_FLOW_REM},  {"check_overlap", OFPFF_CHECK_OVERLAP},
    {"reset_counts", OFPFF_RESET_COUNTS},    {"no_packet_counts", OFPFF_NO_PKT_COUNTS},
    {"no_byte_counts", OFPFF_NO_BYT_COUNTS},
};

const size_t of_fs_n_flags = sizeof(of_fs_flags) / sizeof(of_fs_flags[0]);

/* Shorthands and flags: 1 when 'kv' is neither. */
static int
fs_flow_word(struct fs_ctx *c, const struct fs_kv *kv)
{
	struct of_match *m = &c->flow->match;

	if (kv->delim != 0) {
		return 1;
	}
	for (size_t i = 0; i < sizeof(of_fs_shorthands) / sizeof(of_fs_shorthands[0]); i++) {
		if (strcmp(kv->key, of_fs_shorthands[i].name) == 0) {
			if (of_fs_shorthands[i].eth_type != 0) {
				fs_match_set_int(m, OFPXMT_OFB_ETH_TYPE,
						 of_fs_shorthands[i].eth_type);
			}
			if (of_fs_shorthands[i].ip_proto >= 0) {
				fs_match_set_int(m, OFPXMT_OFB_IP_PROTO,
						 (uint64_t)of_fs_shorthands[i].ip_proto);
			}
			return 0;
		}
	}
	for (size_t i = 0; fs_mode_is_mod(c) && i < sizeof(of_fs_flags) / sizeof(of_fs_flags[0]);
	     i++) {
		if (strcmp(kv->key, of_fs_flags[i].name) == 0) {
			c->flow->flags |= of_fs_flags[i].flag;
			return 0;
		}
	}
	return 1;
}

/* Applies the keywords of 'pass' (see the file comment) from 'kvs'. */
static int
fs_match_pass(struct fs_ctx *c, struct fs_kv *kvs, unsigned n, unsigned pass)
{
	for (unsigned i = 0; i < n; i++) {
		const struct fs_keyword *kw = fs_keyword(kvs[i].key);
		unsigned kw_pass = kw == NULL ? 0 : kw->how == KW_NW ? 1 : kw->how == KW_TP ? 2 : 0;
		int rc;

		if (kw_pass != pass) {
			continue;
		}
		if (kw != NULL && kvs[i].delim != 0) {
			rc = fs_field_kv(c, kw, kvs[i].value);
		} else if (strcmp(kvs[i].key, "cookie") == 0 && kvs[i].delim != 0) {
			rc = fs_cookie(c, kvs[i].value);
		} else if ((rc = fs_flow_word(c, &kvs[i])) > 0) {
			rc = kvs[i].delim != 0 ? fs_flow_number(c, &kvs[i]) : 1;
		}
		if (rc > 0) {
			return fs_err(c, "unknown keyword %s", kvs[i].key);
		}
		if (rc < 0) {
			return rc;
		}
	}
	return 0;
}

/* Implied fields, prerequisites, the wire order, and a last check by the codec. */
static int
fs_match_finish(struct fs_ctx *c)
{
	struct of_match *m = &c->flow->match;
	uint8_t buf[1024];
	struct of_match check;
	size_t used;
	enum of_err e;
	int size;

	/* dl_vlan_pcp alone means "any tagged frame with this PCP", as in OVS. */
	if (fs_has(m, OFPXMT_OFB_VLAN_PCP) && !fs_has(m, OFPXMT_OFB_VLAN_VID)) {
		struct fs_val v = {.u = OFPVID_PRESENT}, mask = {.u = OFPVID_PRESENT};

		fs_match_set(m, OFPXMT_OFB_VLAN_VID, &v, &mask);
	}
	m->n_fields = 0;
	for (unsigned f = 0; f < OF_MATCH_N_FIELDS; f++) {
		if (!fs_has(m, f)) {
			continue;
		}
		if (!fs_prereq_ok(m, f)) {
			return fs_err(c, "%s: prerequisites not met",
				      c->typed[f] != NULL ? c->typed[f] : of_fs_oxms[f].name);
		}
		m->order[m->n_fields++] = (uint8_t)f;
	}
	size = of_match_encode(m, buf, sizeof(buf));
	e = size < 0 ? OF_ERR_BAD_MATCH_BAD_LEN : of_match_decode(buf, (size_t)size, &check, &used);
	if (e != OF_ERR_NONE) {
		return fs_err(c, "invalid match (%s)", of_err_name(e));
	}
	return 0;
}

/* ---- Parse entry points --------------------------------------------------- */

/* Finds "actions=" at a keyword boundary; cuts 'buf' there and returns the list. */
static char *
fs_extract_actions(char *buf)
{
	for (char *p = strstr(buf, "actions"); p != NULL; p = strstr(p + 1, "actions")) {
		char *q = p + strlen("actions");

		if (p != buf && !strchr(", \t\r\n", p[-1])) {
			continue;
		}
		q += strspn(q, " \t");
		if (*q == '=' || *q == ':') {
			*p = '\0';
			return q + 1;
		}
	}
	return NULL;
}

static void
fs_flow_defaults(struct of_flow *fl, enum of_flow_parse_mode mode)
{
	static const uint8_t commands[] = {
	    [OF_PARSE_ADD] = OFPFC_ADD,
	    [OF_PARSE_MODIFY] = OFPFC_MODIFY,
	    [OF_PARSE_DELETE] = OFPFC_DELETE,
	    [OF_PARSE_MATCH] = OFPFC_ADD,
	};

	of_flow_init(fl);
	fl->command = commands[mode];
	fl->priority = OFP_DEFAULT_PRIORITY;
	fl->table_id = mode == OF_PARSE_ADD || mode == OF_PARSE_MODIFY ? 0 : OFPTT_ALL;
}

/* The match part: three passes, then the checks. */
static int
fs_parse_match(struct fs_ctx *c, char *text)
{
	struct fs_kv kvs[FS_KV_MAX];
	unsigned n = 0;
	int rc = 0;

	while (n < FS_KV_MAX && fs_next_kv(&text, &kvs[n])) {
		n++;
	}
	if (n == FS_KV_MAX) {
		return fs_err(c, "too many fields");
	}
	for (unsigned pass = 0; pass < 3 && rc == 0; pass++) {
		rc = fs_match_pass(c, kvs, n, pass);
	}
	return rc != 0 ? rc : fs_match_finish(c);
}

int
of_flow_parse_opts(const char *text, const struct of_flow_parse_opts *opts, struct of_flow *out,
		   char *err, size_t err_size)
{
	struct fs_ctx c = {.opts = opts, .flow = out, .err = err, .err_size = err_size};
	bool mod = opts->mode == OF_PARSE_ADD || opts->mode == OF_PARSE_MODIFY;
	struct fs_ins *ins = NULL;
	char *buf, *acts;
	int rc;

	if (err_size > 0) {
		err[0] = '\0';
	}
	fs_flow_defaults(out, opts->mode);
	buf = strdup(text);
	ins = calloc(1, sizeof(*ins));
	if (buf == NULL || ins == NULL) {
		rc = fs_err(&c, "out of memory");
		goto out_free;
	}
	acts = mod ? fs_extract_actions(buf) : NULL;
	if (mod && acts == NULL) {
		rc = fs_err(&c, "must specify an action");
		goto out_free;
	}
	rc = fs_parse_match(&c, buf);
	if (rc == 0 && acts != NULL) {
		rc = fs_parse_actions(&c, acts, ins, &ins->apply);
		rc = rc != 0 ? rc : fs_ins_finish(&c, ins);
	}
out_free:
	if (rc != 0) {
		of_instructions_free(&out->ins);
	}
	free(ins);
	free(buf);
	return rc;
}

int
of_flow_parse(const char *text, enum of_flow_parse_mode mode, struct of_flow *out, char *err,
	      size_t err_size)
{
	struct of_flow_parse_opts opts = {.mode = mode};

	return of_flow_parse_opts(text, &opts, out, err, err_size);
}
