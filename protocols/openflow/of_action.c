/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_action.c - OpenFlow 1.3 actions, instructions, FLOW_MOD and flow stats
 * codec [OpenFlow 1.3.5, 7.2.4, 7.2.5, 7.3.4.1, 7.3.5.2]. See of_action.h
 * for the contracts.
 *
 * Choices where the spec leaves one, as Open vSwitch makes them:
 *   - A write_actions list may name the same action type (or set_field on
 *     the same field) twice; OVS accepts it and the last one wins when the
 *     set is written [5.10]. The list is kept as given, so that it encodes
 *     back to the same bytes; the datapath replaces the set's entry of each
 *     kind in list order.
 *   - set_field on eth_type and ip_proto is refused (BAD_SET_TYPE) like
 *     in_port, in_phy_port, metadata and ipv6_exthdr: OVS does not write
 *     them either. A vlan_vid value is accepted with or without
 *     OFPVID_PRESENT and kept as given. Besides the basic fields,
 *     set_field writes Open vSwitch's tun_src and tun_dst (class
 *     OFPXMC_NXM_1, as ovs-ofctl -O OpenFlow13 sends them); they need
 *     nothing from the match.
 *   - Non-zero pad bytes are BAD_ACTION_BAD_ARGUMENT in actions,
 *     BAD_SET_ARGUMENT in set_field, BAD_INSTRUCTION_BAD_LEN in
 *     instructions (the spec has no better code) and BAD_REQUEST_BAD_LEN in
 *     FLOW_MOD and flow stats.
 *   - of_instructions_check() also wants an IP match for set_nw_ttl and
 *     dec_nw_ttl (OVS's check_set_ip). It follows VLAN tags pushed and
 *     popped by the apply actions; a set_field does not change what later
 *     actions may rely on (OVS would track a written icmpv6_type).
 */
#include "protocols/openflow/of_action.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/openflow/of_wire.h"

/* Fixed sizes from the spec's structs [7.2.4, 7.2.5, 7.3.5.2]. */
#define OFP_ACTION_HEADER_SIZE              8  /* smallest action: type, len, pad */
#define OFP_ACTION_OUTPUT_SIZE              16 /* struct ofp_action_output */
#define OFP_ACTION_SET_FIELD_HEADER_SIZE    4  /* type, len before the OXM */
#define OFP_INSTRUCTION_SIZE                8  /* goto_table, clear, the actions header */
#define OFP_INSTRUCTION_WRITE_METADATA_SIZE 24 /* struct ofp_instruction_write_metadata */
#define OFP_FLOW_STATS_SIZE                 48 /* struct ofp_flow_stats up to the match */
#define OFP_FLOW_STATS_REQUEST_SIZE         32 /* struct ofp_flow_stats_request up to match */
#define OFP_MATCH_MIN_SIZE                  8  /* an empty match with its padding */

/* Prerequisites a set_field needs from the match [7.2.3.6, table 12]. */
enum of_set_prereq {
	OF_PRE_NONE,      /* none */
	OF_PRE_VLAN,      /* a VLAN tag */
	OF_PRE_IP,        /* eth_type 0x0800 or 0x86dd */
	OF_PRE_IPV4,      /* eth_type 0x0800 */
	OF_PRE_IPV6,      /* eth_type 0x86dd */
	OF_PRE_ARP,       /* eth_type 0x0806 */
	OF_PRE_TCP,       /* ip_proto 6 */
	OF_PRE_UDP,       /* ip_proto 17 */
	OF_PRE_SCTP,      /* ip_proto 132 */
	OF_PRE_ICMPV4,    /* ip_proto 1 */
	OF_PRE_ICMPV6,    /* ip_proto 58 */
	OF_PRE_ND_SLL,    /* icmpv6_type 135 */
	OF_PRE_ND_TLL,    /* icmpv6_type 136 */
	OF_PRE_ND_TARGET, /* icmpv6_type 135 or 136 */
};

/* A field set_field may write. */
struct of_set_field_info {
	uint8_t size;   /* value bytes on the wire; 0: not writable */
	uint32_t max;   /* largest value of an integer field; 0: its whole width */
	uint8_t prereq; /* enum of_set_prereq */
};

/* Indexed by field number (of_match.h): basic fields, then the Nicira tunnel ones. */
#define SF(f, size, max, pre)    SF_AT(OFPXMT_OFB_##f, size, max, pre)
#define SF_AT(i, size, max, pre) [i] = {size, max, OF_PRE_##pre}
static const struct of_set_field_info of_set_fields[OF_MATCH_N_FIELDS] = {
    SF(ETH_DST, 6, 0, NONE),
    SF(ETH_SRC, 6, 0, NONE),
    SF(VLAN_VID, 2, 0x1fff, VLAN),
    SF(VLAN_PCP, 1, 7, VLAN),
    SF(IP_DSCP, 1, 63, IP),
    SF(IP_ECN, 1, 3, IP),
    SF(IPV4_SRC, 4, 0, IPV4),
    SF(IPV4_DST, 4, 0, IPV4),
    SF(TCP_SRC, 2, 0, TCP),
    SF(TCP_DST, 2, 0, TCP),
    SF(UDP_SRC, 2, 0, UDP),
    SF(UDP_DST, 2, 0, UDP),
    SF(SCTP_SRC, 2, 0, SCTP),
    SF(SCTP_DST, 2, 0, SCTP),
    SF(ICMPV4_TYPE, 1, 0, ICMPV4),
    SF(ICMPV4_CODE, 1, 0, ICMPV4),
    SF(ARP_OP, 2, 0, ARP),
    SF(ARP_SPA, 4, 0, ARP),
    SF(ARP_TPA, 4, 0, ARP),
    SF(ARP_SHA, 6, 0, ARP),
    SF(ARP_THA, 6, 0, ARP),
    SF(IPV6_SRC, 16, 0, IPV6),
    SF(IPV6_DST, 16, 0, IPV6),
    SF(IPV6_FLABEL, 4, 0xfffff, IPV6),
    SF(ICMPV6_TYPE, 1, 0, ICMPV6),
    SF(ICMPV6_CODE, 1, 0, ICMPV6),
    SF(IPV6_ND_TARGET, 16, 0, ND_TARGET),
    SF(IPV6_ND_SLL, 6, 0, ND_SLL),
    SF(IPV6_ND_TLL, 6, 0, ND_TLL),
    SF(TUNNEL_ID, 8, 0, NONE),
    SF_AT(OF_FIELD_TUN_SRC, 4, 0, NONE),
    SF_AT(OF_FIELD_TUN_DST, 4, 0, NONE),
};
#undef SF_AT
#undef SF

/* The writable field named by OXM header 'hdr', or NULL; '*field' gets its number. */
static const struct of_set_field_info *
of_set_field_info(uint32_t hdr, unsigned *field)
{
	int found = of_match_field_from_oxm(OXM_CLASS(hdr), OXM_FIELD(hdr));

	if (found < 0 || OXM_HASMASK(hdr) || of_set_fields[found].size == 0) {
		return NULL;
	}
	*field = (unsigned)found;
	return &of_set_fields[found];
}

/* ---- Actions ------------------------------------------------------------ */

/* Output ports an action may name [7.2.1]: a real port or a reserved one. */
static bool
of_out_port_valid(uint32_t port)
{
	if (port != 0 && port <= OFPP_MAX) {
		return true;
	}
	switch (port) {
	case OFPP_IN_PORT:
	case OFPP_TABLE:
	case OFPP_NORMAL:
	case OFPP_FLOOD:
	case OFPP_ALL:
	case OFPP_CONTROLLER:
	case OFPP_LOCAL:
		return true;
	default:
		return false;
	}
}

/* Wire size of a fixed-size action the codec knows, 0 for the others. */
static size_t
of_action_fixed_size(uint16_t type)
{
	switch (type) {
	case OFPAT_OUTPUT:
		return OFP_ACTION_OUTPUT_SIZE;
	case OFPAT_GROUP:
	case OFPAT_SET_QUEUE:
	case OFPAT_SET_NW_TTL:
	case OFPAT_DEC_NW_TTL:
	case OFPAT_PUSH_VLAN:
	case OFPAT_POP_VLAN:
		return OFP_ACTION_HEADER_SIZE;
	default:
		return 0;
	}
}

/* Decodes the body of a fixed-size action whose length was checked. */
static enum of_err
of_action_decode_fixed(const uint8_t *p, struct of_action *a)
{
	switch (a->type) {
	case OFPAT_OUTPUT:
		a->output.port = of_get_be32(p + 4);
		a->output.max_len = of_get_be16(p + 8);
		if (!of_is_zero(p + 10, 6)) {
			return OF_ERR_BAD_ACTION_BAD_ARGUMENT;
		}
		return of_out_port_valid(a->output.port) ? OF_ERR_NONE
							 : OF_ERR_BAD_ACTION_BAD_OUT_PORT;
	case OFPAT_GROUP:
		/* vireo has no group table, so every group is unknown. */
		return OF_ERR_BAD_ACTION_BAD_OUT_GROUP;
	case OFPAT_SET_QUEUE:
		a->queue_id = of_get_be32(p + 4);
		return OF_ERR_NONE;
	case OFPAT_SET_NW_TTL:
		a->nw_ttl = p[4];
		return of_is_zero(p + 5, 3) ? OF_ERR_NONE : OF_ERR_BAD_ACTION_BAD_ARGUMENT;
	case OFPAT_PUSH_VLAN:
		a->ethertype = of_get_be16(p + 4);
		if (!of_is_zero(p + 6, 2) || (a->ethertype != 0x8100 && a->ethertype != 0x88a8)) {
			return OF_ERR_BAD_ACTION_BAD_ARGUMENT;
		}
		return OF_ERR_NONE;
	default: /* DEC_NW_TTL, POP_VLAN: only padding. */
		return of_is_zero(p + 4, 4) ? OF_ERR_NONE : OF_ERR_BAD_ACTION_BAD_ARGUMENT;
	}
}

/* Decodes a set_field action of 'len' bytes (at least 8) [7.2.5]. */
static enum of_err
of_set_field_decode(const uint8_t *p, size_t len, struct of_action *a)
{
	uint32_t hdr = of_get_be32(p + OFP_ACTION_SET_FIELD_HEADER_SIZE);
	unsigned field = 0;
	const struct of_set_field_info *info = of_set_field_info(hdr, &field);
	const uint8_t *value = p + OFP_ACTION_SET_FIELD_HEADER_SIZE + OXM_HEADER_SIZE;
	size_t oxm_end = OFP_ACTION_SET_FIELD_HEADER_SIZE + OXM_HEADER_SIZE + OXM_LENGTH(hdr);
	uint32_t v = 0;

	if (info == NULL) {
		return OF_ERR_BAD_ACTION_BAD_SET_TYPE;
	}
	if (OXM_LENGTH(hdr) != info->size || len != of_pad8(oxm_end)) {
		return OF_ERR_BAD_ACTION_BAD_SET_LEN;
	}
	if (!of_is_zero(p + oxm_end, len - oxm_end)) {
		return OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT;
	}
	for (uint8_t i = 0; info->max != 0 && i < info->size; i++) {
		v = v << 8 | value[i];
	}
	if (v > info->max) {
		return OF_ERR_BAD_ACTION_BAD_SET_ARGUMENT;
	}
	a->set_field.field = (uint8_t)field;
	a->set_field.len = info->size;
	memcpy(a->set_field.value, value, info->size);
	return OF_ERR_NONE;
}

/* Decodes the action at 'p' ('left' bytes to the list's end); '*len' gets its size. */
static enum of_err
of_action_decode_one(const uint8_t *p, size_t left, struct of_action *a, size_t *len)
{
	size_t fixed;

	if (left < OFP_ACTION_HEADER_SIZE) {
		return OF_ERR_BAD_ACTION_BAD_LEN;
	}
	memset(a, 0, sizeof(*a));
	a->type = of_get_be16(p);
	*len = of_get_be16(p + 2);
	if (*len < OFP_ACTION_HEADER_SIZE || *len % 8 != 0 || *len > left) {
		return OF_ERR_BAD_ACTION_BAD_LEN;
	}
	if (a->type == OFPAT_SET_FIELD) {
		return of_set_field_decode(p, *len, a);
	}
	if (a->type == OFPAT_EXPERIMENTER) {
		return OF_ERR_BAD_ACTION_BAD_EXPERIMENTER;
	}
	/* MPLS, PBB and TTL copies are spec actions the datapath cannot run. */
	fixed = of_action_fixed_size(a->type);
	if (fixed == 0) {
		return OF_ERR_BAD_ACTION_BAD_TYPE;
	}
	if (*len != fixed) {
		return OF_ERR_BAD_ACTION_BAD_LEN;
	}
	return of_action_decode_fixed(p, a);
}

enum of_err
of_actions_decode(const uint8_t *buf, size_t size, struct of_action_list *out)
{
	struct of_action tmp[OF_ACTIONS_MAX];
	size_t off = 0, len = 0;
	uint16_t n = 0;
	enum of_err err;

	memset(out, 0, sizeof(*out));
	while (off < size) {
		if (n == OF_ACTIONS_MAX) {
			return OF_ERR_BAD_ACTION_TOO_MANY;
		}
		err = of_action_decode_one(buf + off, size - off, &tmp[n], &len);
		if (err != OF_ERR_NONE) {
			return err;
		}
		off += len;
		n++;
	}
	if (n == 0) {
		return OF_ERR_NONE;
	}
	out->a = malloc(n * sizeof(tmp[0]));
	if (out->a == NULL) {
		/* No error code fits; OVS answers a failed allocation alike. */
		return OF_ERR_BAD_ACTION_TOO_MANY;
	}
	memcpy(out->a, tmp, n * sizeof(tmp[0]));
	out->n = n;
	return OF_ERR_NONE;
}

/* Wire size of 'a'. */
static size_t
of_action_size(const struct of_action *a)
{
	switch (a->type) {
	case OFPAT_OUTPUT:
		return OFP_ACTION_OUTPUT_SIZE;
	case OFPAT_SET_FIELD:
		return of_pad8(OFP_ACTION_SET_FIELD_HEADER_SIZE + OXM_HEADER_SIZE +
			       a->set_field.len);
	default:
		return OFP_ACTION_HEADER_SIZE;
	}
}

/* Writes 'a' at 'p', which has room for of_action_size(a) bytes. */
static void
of_action_put(const struct of_action *a, uint8_t *p)
{
	size_t size = of_action_size(a);

	memset(p, 0, size);
	of_put_be16(p, a->type);
	of_put_be16(p + 2, (uint16_t)size);
	switch (a->type) {
	case OFPAT_OUTPUT:
		of_put_be32(p + 4, a->output.port);
		of_put_be16(p + 8, a->output.max_len);
		break;
	case OFPAT_SET_QUEUE:
		of_put_be32(p + 4, a->queue_id);
		break;
	case OFPAT_SET_NW_TTL:
		p[4] = a->nw_ttl;
		break;
	case OFPAT_PUSH_VLAN:
		of_put_be16(p + 4, a->ethertype);
		break;
	case OFPAT_SET_FIELD:
		of_put_be32(p + 4,
			    of_match_field_oxm_header(a->set_field.field, false, a->set_field.len));
		memcpy(p + 8, a->set_field.value, a->set_field.len);
		break;
	default:
		break;
	}
}

size_t
of_actions_encoded_size(const struct of_action_list *list)
{
	size_t size = 0;

	for (uint16_t i = 0; i < list->n; i++) {
		size += of_action_size(&list->a[i]);
	}
	return size;
}

int
of_actions_encode(const struct of_action_list *list, uint8_t *buf, size_t buf_size)
{
	size_t size = of_actions_encoded_size(list);
	size_t off = 0;

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	for (uint16_t i = 0; i < list->n; i++) {
		of_action_put(&list->a[i], buf + off);
		off += of_action_size(&list->a[i]);
	}
	return (int)size;
}

void
of_actions_free(struct of_action_list *list)
{
	if (list == NULL) {
		return;
	}
	free(list->a);
	memset(list, 0, sizeof(*list));
}

/* Whether two actions do the same thing. */
static bool
of_action_equal(const struct of_action *a, const struct of_action *b)
{
	if (a->type != b->type) {
		return false;
	}
	switch (a->type) {
	case OFPAT_OUTPUT:
		return a->output.port == b->output.port && a->output.max_len == b->output.max_len;
	case OFPAT_PUSH_VLAN:
		return a->ethertype == b->ethertype;
	case OFPAT_SET_QUEUE:
		return a->queue_id == b->queue_id;
	case OFPAT_SET_NW_TTL:
		return a->nw_ttl == b->nw_ttl;
	case OFPAT_SET_FIELD:
		return a->set_field.field == b->set_field.field &&
		       a->set_field.len == b->set_field.len &&
		       memcmp(a->set_field.value, b->set_field.value, a->set_field.len) == 0;
	default:
		return true;
	}
}

static bool
of_actions_equal(const struct of_action_list *a, const struct of_action_list *b)
{
	if (a->n != b->n) {
		return false;
	}
	for (uint16_t i = 0; i < a->n; i++) {
		if (!of_action_equal(&a->a[i], &b->a[i])) {
			return false;
		}
	}
	return true;
}

static bool
of_actions_output_to(const struct of_action_list *list, uint32_t port)
{
	for (uint16_t i = 0; i < list->n; i++) {
		if (list->a[i].type == OFPAT_OUTPUT && list->a[i].output.port == port) {
			return true;
		}
	}
	return false;
}

/* ---- Instructions ----------------------------------------------------- */

/* Decodes a goto_table, write_metadata or clear_actions body ('len' checked >= 8). */
static enum of_err
of_instruction_decode_fixed(const uint8_t *p, size_t len, uint8_t table_id,
			    struct of_instructions *out)
{
	uint16_t type = of_get_be16(p);

	if (len != (type == OFPIT_WRITE_METADATA ? OFP_INSTRUCTION_WRITE_METADATA_SIZE
						 : OFP_INSTRUCTION_SIZE)) {
		return OF_ERR_BAD_INSTRUCTION_BAD_LEN;
	}
	if (type == OFPIT_GOTO_TABLE) {
		if (!of_is_zero(p + 5, 3)) {
			return OF_ERR_BAD_INSTRUCTION_BAD_LEN;
		}
		/* Only forward, so that a packet cannot loop [5.1]. */
		if (p[4] <= table_id || p[4] > OFPTT_MAX) {
			return OF_ERR_BAD_INSTRUCTION_BAD_TABLE_ID;
		}
		out->goto_table = p[4];
		return OF_ERR_NONE;
	}
	if (!of_is_zero(p + 4, 4)) {
		return OF_ERR_BAD_INSTRUCTION_BAD_LEN;
	}
	if (type == OFPIT_WRITE_METADATA) {
		out->metadata = of_get_be64(p + 8);
		out->metadata_mask = of_get_be64(p + 16);
	}
	return OF_ERR_NONE;
}

/* Decodes the instruction at 'p' ('left' bytes to the end); '*len' gets its size. */
static enum of_err
of_instruction_decode_one(const uint8_t *p, size_t left, uint8_t table_id,
			  struct of_instructions *out, size_t *len)
{
	uint16_t type;
	enum of_err err;

	if (left < OFP_INSTRUCTION_SIZE) {
		return OF_ERR_BAD_INSTRUCTION_BAD_LEN;
	}
	type = of_get_be16(p);
	*len = of_get_be16(p + 2);
	if (*len < OFP_INSTRUCTION_SIZE || *len % 8 != 0 || *len > left) {
		return OF_ERR_BAD_INSTRUCTION_BAD_LEN;
	}
	if (type == OFPIT_METER) {
		return OF_ERR_BAD_INSTRUCTION_UNSUP_INST;
	}
	if (type == OFPIT_EXPERIMENTER) {
		return OF_ERR_BAD_INSTRUCTION_BAD_EXPERIMENTER;
	}
	if (type < OFPIT_GOTO_TABLE || type > OFPIT_CLEAR_ACTIONS) {
		return OF_ERR_BAD_INSTRUCTION_UNKNOWN_INST;
	}
	/* Each instruction at most once [7.2.4]; OVS says UNSUP_INST in 1.3. */
	if ((out->present & OF_INST_BIT(type)) != 0) {
		return OF_ERR_BAD_INSTRUCTION_UNSUP_INST;
	}
	if (type == OFPIT_WRITE_ACTIONS || type == OFPIT_APPLY_ACTIONS) {
		if (!of_is_zero(p + 4, 4)) {
			return OF_ERR_BAD_INSTRUCTION_BAD_LEN;
		}
		err = of_actions_decode(p + OFP_INSTRUCTION_SIZE, *len - OFP_INSTRUCTION_SIZE,
					type == OFPIT_WRITE_ACTIONS ? &out->write : &out->apply);
	} else {
		err = of_instruction_decode_fixed(p, *len, table_id, out);
	}
	if (err == OF_ERR_NONE) {
		out->present |= OF_INST_BIT(type);
		out->order[out->n_order++] = (uint8_t)type;
	}
	return err;
}

enum of_err
of_instructions_decode(const uint8_t *buf, size_t size, uint8_t table_id,
		       struct of_instructions *out)
{
	size_t off = 0, len = 0;
	enum of_err err = OF_ERR_NONE;

	memset(out, 0, sizeof(*out));
	while (off < size && err == OF_ERR_NONE) {
		err = of_instruction_decode_one(buf + off, size - off, table_id, out, &len);
		off += len;
	}
	if (err != OF_ERR_NONE) {
		of_instructions_free(out);
	}
	return err;
}

/*
 * The instructions of 'ins' in the order to encode them: 'order' first,
 * then any present one 'order' misses in the spec's execution order [5.9].
 * Returns how many were written to 'seq'.
 */
static unsigned
of_instructions_sequence(const struct of_instructions *ins, uint8_t seq[OFPIT_CLEAR_ACTIONS])
{
	static const uint8_t exec_order[] = {OFPIT_APPLY_ACTIONS, OFPIT_CLEAR_ACTIONS,
					     OFPIT_WRITE_ACTIONS, OFPIT_WRITE_METADATA,
					     OFPIT_GOTO_TABLE};
	unsigned done = 0, n = 0;

	for (uint8_t i = 0; i < ins->n_order && i < sizeof(ins->order); i++) {
		unsigned bit =
		    ins->order[i] <= OFPIT_CLEAR_ACTIONS ? OF_INST_BIT(ins->order[i]) : 0;

		if ((ins->present & bit & ~done) != 0) {
			seq[n++] = ins->order[i];
			done |= bit;
		}
	}
	for (unsigned i = 0; i < sizeof(exec_order); i++) {
		unsigned bit = OF_INST_BIT(exec_order[i]);

		if ((ins->present & bit & ~done) != 0) {
			seq[n++] = exec_order[i];
			done |= bit;
		}
	}
	return n;
}

static size_t
of_instruction_size(const struct of_instructions *ins, uint8_t type)
{
	switch (type) {
	case OFPIT_WRITE_METADATA:
		return OFP_INSTRUCTION_WRITE_METADATA_SIZE;
	case OFPIT_WRITE_ACTIONS:
		return OFP_INSTRUCTION_SIZE + of_actions_encoded_size(&ins->write);
	case OFPIT_APPLY_ACTIONS:
		return OFP_INSTRUCTION_SIZE + of_actions_encoded_size(&ins->apply);
	default:
		return OFP_INSTRUCTION_SIZE;
	}
}

size_t
of_instructions_encoded_size(const struct of_instructions *ins)
{
	uint8_t seq[OFPIT_CLEAR_ACTIONS];
	unsigned n = of_instructions_sequence(ins, seq);
	size_t size = 0;

	for (unsigned i = 0; i < n; i++) {
		size += of_instruction_size(ins, seq[i]);
	}
	return size;
}

/* Writes instruction 'type' of 'ins' at 'p', which has room for it. */
static void
of_instruction_put(const struct of_instructions *ins, uint8_t type, uint8_t *p)
{
	size_t size = of_instruction_size(ins, type);

	memset(p, 0, OFP_INSTRUCTION_SIZE);
	of_put_be16(p, type);
	of_put_be16(p + 2, (uint16_t)size);
	switch (type) {
	case OFPIT_GOTO_TABLE:
		p[4] = ins->goto_table;
		break;
	case OFPIT_WRITE_METADATA:
		of_put_be64(p + 8, ins->metadata);
		of_put_be64(p + 16, ins->metadata_mask);
		break;
	case OFPIT_WRITE_ACTIONS:
		of_actions_encode(&ins->write, p + OFP_INSTRUCTION_SIZE,
				  size - OFP_INSTRUCTION_SIZE);
		break;
	case OFPIT_APPLY_ACTIONS:
		of_actions_encode(&ins->apply, p + OFP_INSTRUCTION_SIZE,
				  size - OFP_INSTRUCTION_SIZE);
		break;
	default:
		break;
	}
}

int
of_instructions_encode(const struct of_instructions *ins, uint8_t *buf, size_t buf_size)
{
	uint8_t seq[OFPIT_CLEAR_ACTIONS];
	unsigned n = of_instructions_sequence(ins, seq);
	size_t size = of_instructions_encoded_size(ins);
	size_t off = 0;

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	for (unsigned i = 0; i < n; i++) {
		of_instruction_put(ins, seq[i], buf + off);
		off += of_instruction_size(ins, seq[i]);
	}
	return (int)size;
}

static int
of_actions_copy(struct of_action_list *dst, const struct of_action_list *src)
{
	dst->n = 0;
	dst->a = NULL;
	if (src->n == 0) {
		return 0;
	}
	dst->a = malloc(src->n * sizeof(src->a[0]));
	if (dst->a == NULL) {
		return -ENOMEM;
	}
	memcpy(dst->a, src->a, src->n * sizeof(src->a[0]));
	dst->n = src->n;
	return 0;
}

int
of_instructions_copy(struct of_instructions *dst, const struct of_instructions *src)
{
	*dst = *src;
	if (of_actions_copy(&dst->apply, &src->apply) != 0 ||
	    of_actions_copy(&dst->write, &src->write) != 0) {
		/* 'dst->write' may still alias 'src->write': forget it before freeing. */
		if (dst->write.a == src->write.a) {
			dst->write.a = NULL;
		}
		of_instructions_free(dst);
		return -ENOMEM;
	}
	return 0;
}

bool
of_instructions_equal(const struct of_instructions *a, const struct of_instructions *b)
{
	uint8_t seq_a[OFPIT_CLEAR_ACTIONS], seq_b[OFPIT_CLEAR_ACTIONS];
	unsigned n_a = of_instructions_sequence(a, seq_a);
	unsigned n_b = of_instructions_sequence(b, seq_b);

	if (a->present != b->present || n_a != n_b || memcmp(seq_a, seq_b, n_a) != 0) {
		return false;
	}
	if ((a->present & OF_INST_BIT(OFPIT_GOTO_TABLE)) != 0 && a->goto_table != b->goto_table) {
		return false;
	}
	if ((a->present & OF_INST_BIT(OFPIT_WRITE_METADATA)) != 0 &&
	    (a->metadata != b->metadata || a->metadata_mask != b->metadata_mask)) {
		return false;
	}
	return of_actions_equal(&a->apply, &b->apply) && of_actions_equal(&a->write, &b->write);
}

void
of_instructions_free(struct of_instructions *ins)
{
	if (ins == NULL) {
		return;
	}
	free(ins->apply.a);
	free(ins->write.a);
	memset(ins, 0, sizeof(*ins));
}

bool
of_instructions_output_to(const struct of_instructions *ins, uint32_t port)
{
	return port == OFPP_ANY || of_actions_output_to(&ins->apply, port) ||
	       of_actions_output_to(&ins->write, port);
}

/* ---- Consistency with the match [7.2.5] ------------------------------- */

/* What the checks know of a packet at one point of the actions. */
struct of_check_ctx {
	const struct of_match *match; /* the flow's match */
	unsigned n_vlans;             /* VLAN tags the packet surely carries */
};

static bool
of_match_has(const struct of_match *m, unsigned field)
{
	return (m->present >> field & 1) != 0;
}

static bool
of_match_eth_is(const struct of_match *m, uint16_t eth_type)
{
	return of_match_has(m, OFPXMT_OFB_ETH_TYPE) && m->value.eth_type == eth_type;
}

static bool
of_match_is_ip(const struct of_match *m)
{
	return of_match_eth_is(m, 0x0800) || of_match_eth_is(m, 0x86dd);
}

static bool
of_match_proto_is(const struct of_match *m, uint8_t proto)
{
	return of_match_is_ip(m) && of_match_has(m, OFPXMT_OFB_IP_PROTO) &&
	       m->value.ip_proto == proto;
}

static bool
of_match_icmpv6_is(const struct of_match *m, uint8_t type)
{
	return of_match_proto_is(m, 58) && of_match_has(m, OFPXMT_OFB_ICMPV6_TYPE) &&
	       m->value.icmpv6_type == type;
}

/* Whether prerequisite 'pre' holds at the point 'ctx' describes [table 12]. */
static bool
of_prereq_holds(const struct of_check_ctx *ctx, enum of_set_prereq pre)
{
	const struct of_match *m = ctx->match;

	switch (pre) {
	case OF_PRE_NONE:
		return true;
	case OF_PRE_VLAN:
		return ctx->n_vlans > 0;
	case OF_PRE_IP:
		return of_match_is_ip(m);
	case OF_PRE_IPV4:
		return of_match_eth_is(m, 0x0800);
	case OF_PRE_IPV6:
		return of_match_eth_is(m, 0x86dd);
	case OF_PRE_ARP:
		return of_match_eth_is(m, 0x0806);
	case OF_PRE_TCP:
		return of_match_proto_is(m, 6);
	case OF_PRE_UDP:
		return of_match_proto_is(m, 17);
	case OF_PRE_SCTP:
		return of_match_proto_is(m, 132);
	case OF_PRE_ICMPV4:
		return of_match_proto_is(m, 1);
	case OF_PRE_ICMPV6:
		return of_match_proto_is(m, 58);
	case OF_PRE_ND_SLL:
		return of_match_icmpv6_is(m, 135);
	case OF_PRE_ND_TLL:
		return of_match_icmpv6_is(m, 136);
	default: /* OF_PRE_ND_TARGET */
		return of_match_icmpv6_is(m, 135) || of_match_icmpv6_is(m, 136);
	}
}

/* Checks one action that needs nothing from the VLAN tags' history. */
static enum of_err
of_action_check(const struct of_check_ctx *ctx, const struct of_action *a)
{
	const struct of_set_field_info *info;

	switch (a->type) {
	case OFPAT_SET_FIELD:
		info = a->set_field.field < OF_MATCH_N_FIELDS ? &of_set_fields[a->set_field.field]
							      : NULL;
		if (info == NULL || info->size == 0) {
			return OF_ERR_BAD_ACTION_BAD_SET_TYPE;
		}
		return of_prereq_holds(ctx, info->prereq) ? OF_ERR_NONE
							  : OF_ERR_BAD_ACTION_MATCH_INCONSISTENT;
	case OFPAT_SET_NW_TTL:
	case OFPAT_DEC_NW_TTL:
		return of_match_is_ip(ctx->match) ? OF_ERR_NONE
						  : OF_ERR_BAD_ACTION_MATCH_INCONSISTENT;
	default:
		return OF_ERR_NONE;
	}
}

/* Checks the apply actions in their order; 'ctx' follows pushes and pops. */
static enum of_err
of_apply_check(struct of_check_ctx *ctx, const struct of_action_list *list)
{
	enum of_err err;

	for (uint16_t i = 0; i < list->n; i++) {
		const struct of_action *a = &list->a[i];

		if (a->type == OFPAT_PUSH_VLAN) {
			ctx->n_vlans++;
		} else if (a->type == OFPAT_POP_VLAN) {
			if (ctx->n_vlans == 0) {
				return OF_ERR_BAD_ACTION_MATCH_INCONSISTENT;
			}
			ctx->n_vlans--;
		}
		err = of_action_check(ctx, a);
		if (err != OF_ERR_NONE) {
			return err;
		}
	}
	return OF_ERR_NONE;
}

/* Checks the write actions as the set runs them: pop, push, then the rest [5.10]. */
static enum of_err
of_write_check(struct of_check_ctx *ctx, const struct of_action_list *list)
{
	bool pop = false, push = false;
	enum of_err err;

	for (uint16_t i = 0; i < list->n; i++) {
		pop = pop || list->a[i].type == OFPAT_POP_VLAN;
		push = push || list->a[i].type == OFPAT_PUSH_VLAN;
	}
	if (pop) {
		if (ctx->n_vlans == 0) {
			return OF_ERR_BAD_ACTION_MATCH_INCONSISTENT;
		}
		ctx->n_vlans--;
	}
	ctx->n_vlans += push;
	for (uint16_t i = 0; i < list->n; i++) {
		err = of_action_check(ctx, &list->a[i]);
		if (err != OF_ERR_NONE) {
			return err;
		}
	}
	return OF_ERR_NONE;
}

enum of_err
of_instructions_check(const struct of_instructions *ins, const struct of_match *match)
{
	struct of_check_ctx ctx = {.match = match, .n_vlans = 0};
	enum of_err err;

	/* VLAN_VID with OFPVID_PRESENT set in value and mask: a tag is there. */
	if (of_match_has(match, OFPXMT_OFB_VLAN_VID) &&
	    (match->value.vlan_vid & match->mask.vlan_vid & OFPVID_PRESENT) != 0) {
		ctx.n_vlans = 1;
	}
	err = of_apply_check(&ctx, &ins->apply);
	if (err != OF_ERR_NONE) {
		return err;
	}
	return of_write_check(&ctx, &ins->write);
}

/* ---- FLOW_MOD [7.3.4.1] -------------------------------------------------- */

void
of_flow_init(struct of_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	flow->command = OFPFC_ADD;
	flow->priority = 0x8000; /* OFP_DEFAULT_PRIORITY, as ovs-ofctl uses */
	flow->buffer_id = OFP_NO_BUFFER;
	flow->out_port = OFPP_ANY;
	flow->out_group = OFPG_ANY;
}

/* Decodes the match at 'p' ('size' bytes left); overrunning is BAD_REQUEST_BAD_LEN. */
static enum of_err
of_flow_match_decode(const uint8_t *p, size_t size, struct of_match *match, size_t *used)
{
	if (size < OFP_MATCH_MIN_SIZE || of_pad8(of_get_be16(p + 2)) > size) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	return of_match_decode(p, size, match, used);
}

/* Decodes the fixed part of a FLOW_MOD of at least OFP_FLOW_MOD_FIXED_SIZE bytes. */
static enum of_err
of_flow_mod_decode_fixed(const uint8_t *msg, struct of_flow *out)
{
	out->cookie = of_get_be64(msg + 8);
	out->cookie_mask = of_get_be64(msg + 16);
	out->table_id = msg[24];
	out->command = msg[25];
	out->idle_timeout = of_get_be16(msg + 26);
	out->hard_timeout = of_get_be16(msg + 28);
	out->priority = of_get_be16(msg + 30);
	out->buffer_id = of_get_be32(msg + 32);
	out->out_port = of_get_be32(msg + 36);
	out->out_group = of_get_be32(msg + 40);
	out->flags = of_get_be16(msg + 44);
	if (!of_is_zero(msg + 46, 2)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	if (out->command > OFPFC_DELETE_STRICT) {
		return OF_ERR_FLOW_MOD_FAILED_BAD_COMMAND;
	}
	if (out->table_id == OFPTT_ALL && out->command < OFPFC_DELETE) {
		return OF_ERR_FLOW_MOD_FAILED_BAD_TABLE_ID;
	}
	return OF_ERR_NONE;
}

enum of_err
of_flow_mod_decode(const uint8_t *msg, size_t size, struct of_flow *out)
{
	size_t match_size = 0, off = OFP_FLOW_MOD_FIXED_SIZE;
	enum of_err err;

	of_flow_init(out);
	if (size < OFP_FLOW_MOD_FIXED_SIZE + OFP_MATCH_MIN_SIZE || of_get_be16(msg + 2) != size) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	err = of_flow_mod_decode_fixed(msg, out);
	if (err == OF_ERR_NONE) {
		err = of_flow_match_decode(msg + off, size - off, &out->match, &match_size);
	}
	if (err != OF_ERR_NONE) {
		return err;
	}
	off += match_size;
	/* A delete's instructions are ignored; table OFPTT_ALL bounds no goto. */
	return of_instructions_decode(msg + off, size - off,
				      out->table_id == OFPTT_ALL ? 0 : out->table_id, &out->ins);
}

int
of_flow_mod_encode(const struct of_flow *flow, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	size_t match_size = of_match_encoded_size(&flow->match);
	size_t size =
	    OFP_FLOW_MOD_FIXED_SIZE + match_size + of_instructions_encoded_size(&flow->ins);

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	memset(buf, 0, OFP_FLOW_MOD_FIXED_SIZE);
	buf[0] = OFP_VERSION;
	buf[1] = OFPT_FLOW_MOD;
	of_put_be16(buf + 2, (uint16_t)size);
	of_put_be32(buf + 4, xid);
	of_put_be64(buf + 8, flow->cookie);
	of_put_be64(buf + 16, flow->cookie_mask);
	buf[24] = flow->table_id;
	buf[25] = flow->command;
	of_put_be16(buf + 26, flow->idle_timeout);
	of_put_be16(buf + 28, flow->hard_timeout);
	of_put_be16(buf + 30, flow->priority);
	of_put_be32(buf + 32, flow->buffer_id);
	of_put_be32(buf + 36, flow->out_port);
	of_put_be32(buf + 40, flow->out_group);
	of_put_be16(buf + 44, flow->flags);
	of_match_encode(&flow->match, buf + OFP_FLOW_MOD_FIXED_SIZE, match_size);
	of_instructions_encode(&flow->ins, buf + OFP_FLOW_MOD_FIXED_SIZE + match_size,
			       size - OFP_FLOW_MOD_FIXED_SIZE - match_size);
	return (int)size;
}

/* ---- Flow statistics [7.3.5.2] ---------------------------------------- */

size_t
of_flow_stats_encoded_size(const struct of_flow_stats *s)
{
	return OFP_FLOW_STATS_SIZE + of_match_encoded_size(&s->flow.match) +
	       of_instructions_encoded_size(&s->flow.ins);
}

int
of_flow_stats_encode(const struct of_flow_stats *s, uint8_t *buf, size_t buf_size)
{
	const struct of_flow *f = &s->flow;
	size_t match_size = of_match_encoded_size(&f->match);
	size_t size = of_flow_stats_encoded_size(s);

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	memset(buf, 0, OFP_FLOW_STATS_SIZE);
	of_put_be16(buf, (uint16_t)size);
	buf[2] = f->table_id;
	of_put_be32(buf + 4, s->duration_sec);
	of_put_be32(buf + 8, s->duration_nsec);
	of_put_be16(buf + 12, f->priority);
	of_put_be16(buf + 14, f->idle_timeout);
	of_put_be16(buf + 16, f->hard_timeout);
	of_put_be16(buf + 18, f->flags);
	of_put_be64(buf + 24, f->cookie);
	of_put_be64(buf + 32, s->packet_count);
	of_put_be64(buf + 40, s->byte_count);
	of_match_encode(&f->match, buf + OFP_FLOW_STATS_SIZE, match_size);
	of_instructions_encode(&f->ins, buf + OFP_FLOW_STATS_SIZE + match_size,
			       size - OFP_FLOW_STATS_SIZE - match_size);
	return (int)size;
}

enum of_err
of_flow_stats_decode(const uint8_t *buf, size_t size, struct of_flow_stats *out, size_t *used)
{
	struct of_flow *f = &out->flow;
	size_t length, match_size = 0;
	enum of_err err;

	memset(out, 0, sizeof(*out));
	of_flow_init(f);
	if (size < OFP_FLOW_STATS_SIZE + OFP_MATCH_MIN_SIZE) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	length = of_get_be16(buf);
	if (length < OFP_FLOW_STATS_SIZE + OFP_MATCH_MIN_SIZE || length % 8 != 0 || length > size ||
	    buf[3] != 0 || !of_is_zero(buf + 20, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	f->table_id = buf[2];
	out->duration_sec = of_get_be32(buf + 4);
	out->duration_nsec = of_get_be32(buf + 8);
	f->priority = of_get_be16(buf + 12);
	f->idle_timeout = of_get_be16(buf + 14);
	f->hard_timeout = of_get_be16(buf + 16);
	f->flags = of_get_be16(buf + 18);
	f->cookie = of_get_be64(buf + 24);
	out->packet_count = of_get_be64(buf + 32);
	out->byte_count = of_get_be64(buf + 40);
	err = of_flow_match_decode(buf + OFP_FLOW_STATS_SIZE, length - OFP_FLOW_STATS_SIZE,
				   &f->match, &match_size);
	if (err != OF_ERR_NONE) {
		return err;
	}
	err = of_instructions_decode(buf + OFP_FLOW_STATS_SIZE + match_size,
				     length - OFP_FLOW_STATS_SIZE - match_size,
				     f->table_id == OFPTT_ALL ? 0 : f->table_id, &f->ins);
	if (err == OF_ERR_NONE) {
		*used = length;
	}
	return err;
}

enum of_err
of_flow_stats_request_decode(const uint8_t *body, size_t size, struct of_flow *filter)
{
	size_t match_size = 0;
	enum of_err err;

	of_flow_init(filter);
	if (size < OFP_FLOW_STATS_REQUEST_SIZE + OFP_MATCH_MIN_SIZE || !of_is_zero(body + 1, 3) ||
	    !of_is_zero(body + 12, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	filter->table_id = body[0];
	filter->out_port = of_get_be32(body + 4);
	filter->out_group = of_get_be32(body + 8);
	filter->cookie = of_get_be64(body + 16);
	filter->cookie_mask = of_get_be64(body + 24);
	err = of_flow_match_decode(body + OFP_FLOW_STATS_REQUEST_SIZE,
				   size - OFP_FLOW_STATS_REQUEST_SIZE, &filter->match, &match_size);
	if (err == OF_ERR_NONE && OFP_FLOW_STATS_REQUEST_SIZE + match_size != size) {
		err = OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	return err;
}

int
of_flow_stats_request_encode(const struct of_flow *filter, uint8_t *buf, size_t buf_size)
{
	size_t match_size = of_match_encoded_size(&filter->match);
	size_t size = OFP_FLOW_STATS_REQUEST_SIZE + match_size;

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	memset(buf, 0, OFP_FLOW_STATS_REQUEST_SIZE);
	buf[0] = filter->table_id;
	of_put_be32(buf + 4, filter->out_port);
	of_put_be32(buf + 8, filter->out_group);
	of_put_be64(buf + 16, filter->cookie);
	of_put_be64(buf + 24, filter->cookie_mask);
	of_match_encode(&filter->match, buf + OFP_FLOW_STATS_REQUEST_SIZE, match_size);
	return (int)size;
}
