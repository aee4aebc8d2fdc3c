/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_flow_syntax_priv.h - internals shared by of_flow_parse.c,
 * of_flow_actions.c and of_flow_format.c, the parts of of_flow_syntax.h:
 * what each match field (the OXM basic ones, and OVS's tun_src and
 * tun_dst) is called and how its value is written, the protocol
 * shorthands, the reserved port names and the flow_mod flag keywords
 * (tables defined in of_flow_parse.c), and the parser state and helpers
 * that match parsing (of_flow_parse.c) and action and instruction parsing
 * (of_flow_actions.c) share. Not for other modules.
 */
#ifndef VIREO_OF_FLOW_SYNTAX_PRIV_H
#define VIREO_OF_FLOW_SYNTAX_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_flow_syntax.h"
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

/* What this module needs to know about one match field. */
struct fs_oxm {
	const char *name; /* OVS's name: set_field targets and error text */
	uint16_t offset;  /* offset in struct of_match_fields */
	uint8_t size;     /* bytes on the wire and in the struct */
	uint8_t kind;     /* enum fs_kind */
	uint64_t max;     /* largest value, 0: the whole width */
	bool maskable;    /* OpenFlow 1.3 allows a mask (table 11) */
	bool writable;    /* set_field may write it */
};

/* Indexed by field number (of_match.h); entries without a name are not supported. */
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

/* ---- Parser state and helpers (of_flow_parse.c, of_flow_actions.c) ----- */

/* How a match keyword is applied. */
enum fs_how {
	KW_DIRECT,   /* the field itself */
	KW_NW,       /* IPv4 field, or the ARP one on an ARP match (pass 1) */
	KW_TP,       /* L4 field chosen by ip_proto / eth_type (pass 2) */
	KW_DL_VLAN,  /* 12-bit VID, 0xffff: untagged */
	KW_NW_TOS,   /* TOS byte, kept as DSCP */
	KW_VLAN_TCI, /* OVS's 802.1Q TCI[/mask], as match_format() prints it */
};

/* A match keyword: OVS names and OXM-style names. */
struct fs_keyword {
	const char *name; /* as written */
	uint8_t field;    /* field number, the default one for KW_NW / KW_TP */
	uint8_t how;      /* enum fs_how */
};

/* A value or mask of any field: integers in 'u', addresses in 'b'. */
struct fs_val {
	uint64_t u;    /* integer fields and IPv4 */
	uint8_t b[16]; /* MAC and IPv6 */
};

/* One "key=value" (or "key:value", "key(value)", bare "key") of the text. */
struct fs_kv {
	char *key;   /* NUL-terminated in the work buffer */
	char *value; /* "" when bare */
	char delim;  /* '=', ':', '(' or 0 */
};

/* Everything one parse needs. */
struct fs_ctx {
	const struct of_flow_parse_opts *opts; /* mode and port names */
	struct of_flow *flow;                  /* being filled */
	char *err;                             /* error text */
	size_t err_size;                       /* bytes at 'err' */
	const char *typed[OF_MATCH_N_FIELDS];  /* keyword that set each field */
};

/* Where the write_actions(...) / apply actions being parsed go. */
struct fs_acts {
	struct of_action a[OF_ACTIONS_MAX]; /* actions so far */
	uint16_t n;                         /* entries in 'a' */
};

/* The instructions being parsed. */
struct fs_ins {
	struct fs_acts apply;   /* apply actions */
	struct fs_acts write;   /* write_actions(...) */
	unsigned rank;          /* highest instruction rank seen, see fs_inst_rank */
	uint8_t present;        /* OF_INST_BIT(OFPIT_*) seen */
	bool drop;              /* "drop" seen */
	uint8_t goto_table;     /* goto_table:N */
	uint64_t metadata;      /* write_metadata value */
	uint64_t metadata_mask; /* write_metadata mask */
};

/* Formats an error into 'c' (when it has room); returns -EINVAL. */
int fs_err(struct fs_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses all of 's' as an unsigned number: 0x-prefixed hex or decimal. */
bool fs_parse_u64(const char *s, uint64_t *v);

/* Parses 's' as a number no greater than 'max'. */
bool fs_parse_uint(const char *s, uint64_t max, uint64_t *v);

/* Splits the next "key[=value|:value|(value)]" off '*pos'; false at the end. */
bool fs_next_kv(char **pos, struct fs_kv *kv);

/* Port number, reserved name, or a name 'c->opts' resolves. */
bool fs_parse_port(const struct fs_ctx *c, const char *s, uint32_t *port);

/* Parses 's' as a value (and '/mask', reported in '*masked') of field 'f'. */
int fs_parse_field_value(struct fs_ctx *c, unsigned f, char *s, struct fs_val *v,
			 struct fs_val *mask, bool *masked);

/* True when 'm' matches IP protocol 'proto'. */
bool fs_proto_is(const struct of_match *m, uint8_t proto);

/* The match keyword called 'name', NULL when there is none. */
const struct fs_keyword *fs_keyword(const char *name);

/*
 * Parses the action list 'text' into 'dst' (of_flow_actions.c). 'ins' is
 * the instruction set at top level, NULL inside write_actions(...).
 * Returns 0 or -errno with the error text in 'c'.
 */
int fs_parse_actions(struct fs_ctx *c, char *text, struct fs_ins *ins, struct fs_acts *dst);

/*
 * Moves the parsed instructions 'ins' into c->flow, in execution order,
 * checked against the match (of_flow_actions.c). Returns 0 or -errno.
 */
int fs_ins_finish(struct fs_ctx *c, const struct fs_ins *ins);

#endif /* VIREO_OF_FLOW_SYNTAX_PRIV_H */
