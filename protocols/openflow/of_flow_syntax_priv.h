/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_flow_syntax_priv.h - internals shared by of_flow_parse.c and
 * of_flow_format.c, the two halves of of_flow_syntax.h: what each OXM
 * basic field is called and how its value is written, the protocol
 * shorthands, the reserved port names and the flow_mod flag keywords.
 * The tables are defined in of_flow_parse.c. Not for other modules.
 */
#ifndef VIREO_OF_FLOW_SYNTAX_PRIV_H
#define VIREO_OF_FLOW_SYNTAX_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_match.h"
#include "protocols/openflow/of_wire.h"

#define OFP_DEFAULT_PRIORITY 0x8000
#define ETH_TYPE_IP          0x0800
#define ETH_TYPE_ARP         0x0806
#define ETH_TYPE_IPV6        0x86dd

/* How a field's value is written. */
enum fs_kind {
	FK_DEC,  /* unsigned decimal (hex with 0x accepted) */
	FK_HEX,  /* unsigned, printed in hex */
	FK_MAC,  /* xx:xx:xx:xx:xx:xx */
	FK_IPV4, /* dotted quad */
	FK_IPV6, /* RFC 4291 text */
	FK_PORT, /* port number or name */
};

/* What this module needs to know about one OXM basic field. */
struct fs_oxm {
	const char *name; /* OVS's name: set_field targets and error text */
	uint16_t offset;  /* offset in struct of_match_fields */
	uint8_t size;     /* bytes on the wire and in the struct */
	uint8_t kind;     /* enum fs_kind */
	uint64_t max;     /* largest value, 0: the whole width */
	bool maskable;    /* OpenFlow 1.3 allows a mask (table 11) */
	bool writable;    /* set_field may write it */
};

/* Indexed by OXM basic field number; entries without a name are not supported. */
extern const struct fs_oxm of_fs_oxms[OF_MATCH_N_FIELDS];

/* Protocol shorthands ("tcp" is eth_type=0x0800,ip_proto=6). */
struct fs_shorthand {
	const char *name;  /* as written */
	uint16_t eth_type; /* 0: none (eth) */
	int16_t ip_proto;  /* -1: none */
};

extern const struct fs_shorthand of_fs_shorthands[];
extern const size_t of_fs_n_shorthands; /* entries in of_fs_shorthands */

/* Reserved port names [7.2.1], as ovs-ofctl prints them. */
struct fs_port_name {
	const char *name; /* upper case */
	uint32_t port;    /* OFPP_* */
};

extern const struct fs_port_name of_fs_port_names[];
extern const size_t of_fs_n_port_names; /* entries in of_fs_port_names */

/* A flow_mod flag keyword ("send_flow_rem"). */
struct fs_flag {
	const char *name; /* keyword */
	uint16_t flag;    /* OFPFF_* */
};

extern const struct fs_flag of_fs_flags[];
extern const size_t of_fs_n_flags; /* entries in of_fs_flags */

/* True when 'field' is in match 'm'. */
static inline bool
fs_has(const struct of_match *m, unsigned field)
{
	return (m->present >> field & 1) != 0;
}

/* True when 'm' matches Ethernet type 'eth_type'. */
static inline bool
fs_eth_is(const struct of_match *m, uint16_t eth_type)
{
	return fs_has(m, OFPXMT_OFB_ETH_TYPE) && m->value.eth_type == eth_type;
}

/* True when field 'x' is kept as bytes (MAC, IPv6), not as an integer. */
static inline bool
fs_is_bytes(const struct fs_oxm *x)
{
	return x->kind == FK_MAC || x->kind == FK_IPV6;
}

#endif /* VIREO_OF_FLOW_SYNTAX_PRIV_H */
