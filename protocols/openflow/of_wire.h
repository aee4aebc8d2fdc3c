/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_wire.h - OpenFlow 1.3 wire names: the message header, message types,
 * error types and codes, and the OXM classes and fields of the match.
 *
 * Spec: OpenFlow Switch Specification 1.3.5 (ONF TS-023), sections 7.1
 * (header), 7.2.3 (flow match), 7.4.4 (error), 7.5.1 (hello). Every
 * multi-byte field on the wire is big-endian. The codec never overlays
 * structs on a receive buffer (it may be unaligned); it reads and writes
 * bytes through the of_get_be*()/of_put_be*() helpers below, and the
 * struct layouts here document the spec and pin the sizes.
 *
 * Pure C: no DPDK, no libevent, so the codec and its tests run anywhere.
 */
#ifndef VIREO_OF_WIRE_H
#define VIREO_OF_WIRE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/** The only wire version this agent speaks: OpenFlow 1.3. */
#define OFP_VERSION 0x04

/** Size of struct ofp_header: every message starts with it. */
#define OFP_HEADER_SIZE 8

/** Read a big-endian 16-bit field at 'p' (any alignment). */
/** 'n' rounded up to a multiple of 8, as OpenFlow pads its structures. */
static inline size_t
of_pad8(size_t n)
{
	return (n + 7) / 8 * 8;
}

/** Whether the 'n' bytes at 'p' (padding the spec wants zero) are all zero. */
static inline bool
of_is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

static inline uint16_t
of_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/** Read a big-endian 32-bit field at 'p' (any alignment). */
static inline uint32_t
of_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/** Read a big-endian 64-bit field at 'p' (any alignment). */
static inline uint64_t
of_get_be64(const uint8_t *p)
{
	return (uint64_t)of_get_be32(p) << 32 | of_get_be32(p + 4);
}

/** Write 'v' big-endian at 'p' (any alignment). */
static inline void
of_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/** Write 'v' big-endian at 'p' (any alignment). */
static inline void
of_put_be32(uint8_t *p, uint32_t v)
{
	of_put_be16(p, (uint16_t)(v >> 16));
	of_put_be16(p + 2, (uint16_t)v);
}

/** Write 'v' big-endian at 'p' (any alignment). */
static inline void
of_put_be64(uint8_t *p, uint64_t v)
{
	of_put_be32(p, (uint32_t)(v >> 32));
	of_put_be32(p + 4, (uint32_t)v);
}

/** Header on all OpenFlow packets [7.1]; fields big-endian on the wire. */
struct ofp_header {
	uint8_t version; /* OFP_VERSION. */
	uint8_t type;    /* One of enum ofp_type. */
	uint16_t length; /* Length including this header, big-endian. */
	uint32_t xid;    /* Transaction id, echoed in replies, big-endian. */
};
_Static_assert(sizeof(struct ofp_header) == OFP_HEADER_SIZE, "ofp_header is 8 bytes");

/** Message types [7.1]. */
enum ofp_type {
	/* Immutable messages. */
	OFPT_HELLO = 0,
	OFPT_ERROR = 1,
	OFPT_ECHO_REQUEST = 2,
	OFPT_ECHO_REPLY = 3,
	OFPT_EXPERIMENTER = 4,
	/* Switch configuration messages. */
	OFPT_FEATURES_REQUEST = 5,
	OFPT_FEATURES_REPLY = 6,
	OFPT_GET_CONFIG_REQUEST = 7,
	OFPT_GET_CONFIG_REPLY = 8,
	OFPT_SET_CONFIG = 9,
	/* Asynchronous messages. */
	OFPT_PACKET_IN = 10,
	OFPT_FLOW_REMOVED = 11,
	OFPT_PORT_STATUS = 12,
	/* Controller command messages. */
	OFPT_PACKET_OUT = 13,
	OFPT_FLOW_MOD = 14,
	OFPT_GROUP_MOD = 15,
	OFPT_PORT_MOD = 16,
	OFPT_TABLE_MOD = 17,
	/* Multipart messages. */
	OFPT_MULTIPART_REQUEST = 18,
	OFPT_MULTIPART_REPLY = 19,
	/* Barrier messages. */
	OFPT_BARRIER_REQUEST = 20,
	OFPT_BARRIER_REPLY = 21,
	/* Queue configuration messages. */
	OFPT_QUEUE_GET_CONFIG_REQUEST = 22,
	OFPT_QUEUE_GET_CONFIG_REPLY = 23,
	/* Controller role change request messages. */
	OFPT_ROLE_REQUEST = 24,
	OFPT_ROLE_REPLY = 25,
	/* Asynchronous message configuration. */
	OFPT_GET_ASYNC_REQUEST = 26,
	OFPT_GET_ASYNC_REPLY = 27,
	OFPT_SET_ASYNC = 28,
	/* Meters and rate limiters configuration messages. */
	OFPT_METER_MOD = 29,
};

/** Hello element types [7.5.1]. */
enum ofp_hello_elem_type {
	OFPHET_VERSIONBITMAP = 1, /* Bitmap of version supported. */
};

/** Size of struct ofp_hello_elem_header: type and length. */
#define OFP_HELLO_ELEM_HEADER_SIZE 4

/** Size of struct ofp_switch_features (OFPT_FEATURES_REPLY) [7.3.1]. */
#define OFP_SWITCH_FEATURES_SIZE 32

/** Capabilities supported by the datapath [7.3.1]. */
enum ofp_capabilities {
	OFPC_FLOW_STATS = 1 << 0,   /* Flow statistics. */
	OFPC_TABLE_STATS = 1 << 1,  /* Table statistics. */
	OFPC_PORT_STATS = 1 << 2,   /* Port statistics. */
	OFPC_GROUP_STATS = 1 << 3,  /* Group statistics. */
	OFPC_IP_REASM = 1 << 5,     /* Can reassemble IP fragments. */
	OFPC_QUEUE_STATS = 1 << 6,  /* Queue statistics. */
	OFPC_PORT_BLOCKED = 1 << 8, /* Switch will block looping ports. */
};

/** Size of struct ofp_error_msg before its data [7.4.4]. */
#define OFP_ERROR_MSG_SIZE 12

/** Error types [7.4.4]. */
enum ofp_error_type {
	OFPET_HELLO_FAILED = 0,
	OFPET_BAD_REQUEST = 1,
	OFPET_BAD_ACTION = 2,
	OFPET_BAD_INSTRUCTION = 3,
	OFPET_BAD_MATCH = 4,
	OFPET_FLOW_MOD_FAILED = 5,
	OFPET_GROUP_MOD_FAILED = 6,
	OFPET_PORT_MOD_FAILED = 7,
	OFPET_TABLE_MOD_FAILED = 8,
	OFPET_QUEUE_OP_FAILED = 9,
	OFPET_SWITCH_CONFIG_FAILED = 10,
	OFPET_ROLE_REQUEST_FAILED = 11,
	OFPET_METER_MOD_FAILED = 12,
	OFPET_TABLE_FEATURES_FAILED = 13,
	OFPET_EXPERIMENTER = 0xffff,
};

/** OFPET_HELLO_FAILED codes. */
enum ofp_hello_failed_code {
	OFPHFC_INCOMPATIBLE = 0, /* No compatible version. */
	OFPHFC_EPERM = 1,        /* Permissions error. */
};

/** OFPET_BAD_REQUEST codes. */
enum ofp_bad_request_code {
	OFPBRC_BAD_VERSION = 0,                /* ofp_header.version not supported. */
	OFPBRC_BAD_TYPE = 1,                   /* ofp_header.type not supported. */
	OFPBRC_BAD_MULTIPART = 2,              /* ofp_multipart_request.type not supported. */
	OFPBRC_BAD_EXPERIMENTER = 3,           /* Experimenter id not supported. */
	OFPBRC_BAD_EXP_TYPE = 4,               /* Experimenter type not supported. */
	OFPBRC_EPERM = 5,                      /* Permissions error. */
	OFPBRC_BAD_LEN = 6,                    /* Wrong request length for type. */
	OFPBRC_BUFFER_EMPTY = 7,               /* Specified buffer has already been used. */
	OFPBRC_BUFFER_UNKNOWN = 8,             /* Specified buffer does not exist. */
	OFPBRC_BAD_TABLE_ID = 9,               /* Specified table-id invalid or does not exist. */
	OFPBRC_IS_SLAVE = 10,                  /* Denied because controller is slave. */
	OFPBRC_BAD_PORT = 11,                  /* Invalid port. */
	OFPBRC_BAD_PACKET = 12,                /* Invalid packet in packet-out. */
	OFPBRC_MULTIPART_BUFFER_OVERFLOW = 13, /* Multipart request overflowed the buffer. */
};

/** OFPET_BAD_MATCH codes. */
enum ofp_bad_match_code {
	OFPBMC_BAD_TYPE = 0,         /* Unsupported match type. */
	OFPBMC_BAD_LEN = 1,          /* Length problem in match. */
	OFPBMC_BAD_TAG = 2,          /* Match uses an unsupported tag/encap. */
	OFPBMC_BAD_DL_ADDR_MASK = 3, /* Unsupported datalink addr mask. */
	OFPBMC_BAD_NW_ADDR_MASK = 4, /* Unsupported network addr mask. */
	OFPBMC_BAD_WILDCARDS = 5,    /* Unsupported combination of fields masked. */
	OFPBMC_BAD_FIELD = 6,        /* Unsupported field type in the match. */
	OFPBMC_BAD_VALUE = 7,        /* Unsupported value in a match field. */
	OFPBMC_BAD_MASK = 8,         /* Unsupported mask specified in the match. */
	OFPBMC_BAD_PREREQ = 9,       /* A prerequisite was not met. */
	OFPBMC_DUP_FIELD = 10,       /* A field type was duplicated. */
	OFPBMC_EPERM = 11,           /* Permissions error. */
};

/** OFPET_BAD_ACTION codes. */
enum ofp_bad_action_code {
	OFPBAC_BAD_TYPE = 0,
	OFPBAC_BAD_LEN = 1,
	OFPBAC_BAD_EXPERIMENTER = 2,
	OFPBAC_BAD_EXP_TYPE = 3,
	OFPBAC_BAD_OUT_PORT = 4,
	OFPBAC_BAD_ARGUMENT = 5,
	OFPBAC_EPERM = 6,
	OFPBAC_TOO_MANY = 7,
	OFPBAC_BAD_QUEUE = 8,
	OFPBAC_BAD_OUT_GROUP = 9,
	OFPBAC_MATCH_INCONSISTENT = 10,
	OFPBAC_UNSUPPORTED_ORDER = 11,
	OFPBAC_BAD_TAG = 12,
	OFPBAC_BAD_SET_TYPE = 13,
	OFPBAC_BAD_SET_LEN = 14,
	OFPBAC_BAD_SET_ARGUMENT = 15,
};

/** OFPET_BAD_INSTRUCTION codes. */
enum ofp_bad_instruction_code {
	OFPBIC_UNKNOWN_INST = 0,
	OFPBIC_UNSUP_INST = 1,
	OFPBIC_BAD_TABLE_ID = 2,
	OFPBIC_UNSUP_METADATA = 3,
	OFPBIC_UNSUP_METADATA_MASK = 4,
	OFPBIC_BAD_EXPERIMENTER = 5,
	OFPBIC_BAD_EXP_TYPE = 6,
	OFPBIC_BAD_LEN = 7,
	OFPBIC_EPERM = 8,
};

/** OFPET_FLOW_MOD_FAILED codes. */
enum ofp_flow_mod_failed_code {
	OFPFMFC_UNKNOWN = 0,
	OFPFMFC_TABLE_FULL = 1,
	OFPFMFC_BAD_TABLE_ID = 2,
	OFPFMFC_OVERLAP = 3,
	OFPFMFC_EPERM = 4,
	OFPFMFC_BAD_TIMEOUT = 5,
	OFPFMFC_BAD_COMMAND = 6,
	OFPFMFC_BAD_FLAGS = 7,
};

/** OFPET_GROUP_MOD_FAILED codes (only the one the agent sends). */
enum ofp_group_mod_failed_code {
	OFPGMFC_INVALID_GROUP = 8,
};

/** OFPET_PORT_MOD_FAILED codes. */
enum ofp_port_mod_failed_code {
	OFPPMFC_BAD_PORT = 0,
	OFPPMFC_BAD_HW_ADDR = 1,
	OFPPMFC_BAD_CONFIG = 2,
	OFPPMFC_BAD_ADVERTISE = 3,
	OFPPMFC_EPERM = 4,
};

/** OFPET_TABLE_MOD_FAILED codes. */
enum ofp_table_mod_failed_code {
	OFPTMFC_BAD_TABLE = 0,
	OFPTMFC_BAD_CONFIG = 1,
	OFPTMFC_EPERM = 2,
};

/** OFPET_SWITCH_CONFIG_FAILED codes. */
enum ofp_switch_config_failed_code {
	OFPSCFC_BAD_FLAGS = 0,
	OFPSCFC_BAD_LEN = 1,
	OFPSCFC_EPERM = 2,
};

/** OFPET_ROLE_REQUEST_FAILED codes. */
enum ofp_role_request_failed_code {
	OFPRRFC_STALE = 0,
	OFPRRFC_UNSUP = 1,
	OFPRRFC_BAD_ROLE = 2,
};

/** OFPET_METER_MOD_FAILED codes (only the one the agent sends). */
enum ofp_meter_mod_failed_code {
	OFPMMFC_UNKNOWN_METER = 5,
};

/** OFPET_QUEUE_OP_FAILED codes. */
enum ofp_queue_op_failed_code {
	OFPQOFC_BAD_PORT = 0,
	OFPQOFC_BAD_QUEUE = 1,
	OFPQOFC_EPERM = 2,
};

/** OFPET_TABLE_FEATURES_FAILED codes. */
enum ofp_table_features_failed_code {
	OFPTFFC_BAD_TABLE = 0,
	OFPTFFC_BAD_METADATA = 1,
	OFPTFFC_BAD_TYPE = 2,
	OFPTFFC_BAD_LEN = 3,
	OFPTFFC_BAD_ARGUMENT = 4,
	OFPTFFC_EPERM = 5,
};

/** Match types [7.2.3.1]; 1.3 only defines OXM. */
enum ofp_match_type {
	OFPMT_STANDARD = 0, /* Deprecated (1.0/1.1 layout). */
	OFPMT_OXM = 1,      /* OpenFlow Extensible Match. */
};

/** Size of struct ofp_match before its OXM fields: type and length. */
#define OFP_MATCH_HEADER_SIZE 4

/** OXM class ids [7.2.3.3]. */
enum ofp_oxm_class {
	OFPXMC_NXM_0 = 0x0000,          /* Backward compatibility with NXM. */
	OFPXMC_NXM_1 = 0x0001,          /* Backward compatibility with NXM. */
	OFPXMC_OPENFLOW_BASIC = 0x8000, /* Basic class for OpenFlow. */
	OFPXMC_EXPERIMENTER = 0xffff,   /* Experimenter class. */
};

/** OXM TLV header: class (16) | field (7) | hasmask (1) | length (8) [7.2.3.2]. */
#define OXM_HEADER_SIZE  4
#define OXM_CLASS(hdr)   ((uint16_t)((hdr) >> 16))
#define OXM_FIELD(hdr)   ((uint8_t)(((hdr) >> 9) & 0x7f))
#define OXM_HASMASK(hdr) (((hdr) >> 8) & 1)
#define OXM_LENGTH(hdr)  ((uint8_t)((hdr)&0xff))
#define OXM_HEADER(c, f, hm, l) \
	((uint32_t)(c) << 16 | (uint32_t)(f) << 9 | (uint32_t)(hm) << 8 | (l))

/** OXM flow match field types for OpenFlow basic class [7.2.3.7]. */
enum oxm_ofb_match_fields {
	OFPXMT_OFB_IN_PORT = 0,         /* Switch input port. */
	OFPXMT_OFB_IN_PHY_PORT = 1,     /* Switch physical input port. */
	OFPXMT_OFB_METADATA = 2,        /* Metadata passed between tables. */
	OFPXMT_OFB_ETH_DST = 3,         /* Ethernet destination address. */
	OFPXMT_OFB_ETH_SRC = 4,         /* Ethernet source address. */
	OFPXMT_OFB_ETH_TYPE = 5,        /* Ethernet frame type. */
	OFPXMT_OFB_VLAN_VID = 6,        /* VLAN id. */
	OFPXMT_OFB_VLAN_PCP = 7,        /* VLAN priority. */
	OFPXMT_OFB_IP_DSCP = 8,         /* IP DSCP (6 bits in ToS field). */
	OFPXMT_OFB_IP_ECN = 9,          /* IP ECN (2 bits in ToS field). */
	OFPXMT_OFB_IP_PROTO = 10,       /* IP protocol. */
	OFPXMT_OFB_IPV4_SRC = 11,       /* IPv4 source address. */
	OFPXMT_OFB_IPV4_DST = 12,       /* IPv4 destination address. */
	OFPXMT_OFB_TCP_SRC = 13,        /* TCP source port. */
	OFPXMT_OFB_TCP_DST = 14,        /* TCP destination port. */
	OFPXMT_OFB_UDP_SRC = 15,        /* UDP source port. */
	OFPXMT_OFB_UDP_DST = 16,        /* UDP destination port. */
	OFPXMT_OFB_SCTP_SRC = 17,       /* SCTP source port. */
	OFPXMT_OFB_SCTP_DST = 18,       /* SCTP destination port. */
	OFPXMT_OFB_ICMPV4_TYPE = 19,    /* ICMP type. */
	OFPXMT_OFB_ICMPV4_CODE = 20,    /* ICMP code. */
	OFPXMT_OFB_ARP_OP = 21,         /* ARP opcode. */
	OFPXMT_OFB_ARP_SPA = 22,        /* ARP source IPv4 address. */
	OFPXMT_OFB_ARP_TPA = 23,        /* ARP target IPv4 address. */
	OFPXMT_OFB_ARP_SHA = 24,        /* ARP source hardware address. */
	OFPXMT_OFB_ARP_THA = 25,        /* ARP target hardware address. */
	OFPXMT_OFB_IPV6_SRC = 26,       /* IPv6 source address. */
	OFPXMT_OFB_IPV6_DST = 27,       /* IPv6 destination address. */
	OFPXMT_OFB_IPV6_FLABEL = 28,    /* IPv6 Flow Label. */
	OFPXMT_OFB_ICMPV6_TYPE = 29,    /* ICMPv6 type. */
	OFPXMT_OFB_ICMPV6_CODE = 30,    /* ICMPv6 code. */
	OFPXMT_OFB_IPV6_ND_TARGET = 31, /* Target address for ND. */
	OFPXMT_OFB_IPV6_ND_SLL = 32,    /* Source link-layer for ND. */
	OFPXMT_OFB_IPV6_ND_TLL = 33,    /* Target link-layer for ND. */
	OFPXMT_OFB_MPLS_LABEL = 34,     /* MPLS label. */
	OFPXMT_OFB_MPLS_TC = 35,        /* MPLS TC. */
	OFPXMT_OFP_MPLS_BOS = 36,       /* MPLS BoS bit. */
	OFPXMT_OFB_PBB_ISID = 37,       /* PBB I-SID. */
	OFPXMT_OFB_TUNNEL_ID = 38,      /* Logical Port Metadata. */
	OFPXMT_OFB_IPV6_EXTHDR = 39,    /* IPv6 Extension Header pseudo-field. */
};

/**
 * Open vSwitch's Nicira extension fields in class OFPXMC_NXM_1 that vireo
 * matches and sets (OVS include/openflow/nicira-ext.h, lib/meta-flow.h):
 * the outer IPv4 source and destination of a tunnelled packet, 4 bytes
 * each, maskable. ovs-ofctl -O OpenFlow13 writes them as ordinary OXM TLVs
 * with class 0x0001 both in a match and inside OFPAT_SET_FIELD.
 */
enum nxm_nx_match_fields {
	NXM_NX_TUN_IPV4_SRC = 31, /* tun_src: tunnel outer IPv4 source. */
	NXM_NX_TUN_IPV4_DST = 32, /* tun_dst: tunnel outer IPv4 destination. */
};

/** VLAN id values [7.2.3.8]: bit set when a VLAN tag is present. */
enum ofp_vlan_id {
	OFPVID_PRESENT = 0x1000, /* Bit that indicates that a VLAN id is set. */
	OFPVID_NONE = 0x0000,    /* No VLAN id was set. */
};

/** Port numbering [7.2.1]: reserved ports. */
enum ofp_port_no {
	OFPP_MAX = 0xffffff00,        /* Maximum number of physical and logical ports. */
	OFPP_IN_PORT = 0xfffffff8,    /* Send the packet out the input port. */
	OFPP_TABLE = 0xfffffff9,      /* Submit the packet to the first flow table. */
	OFPP_NORMAL = 0xfffffffa,     /* Forward using non-OpenFlow pipeline. */
	OFPP_FLOOD = 0xfffffffb,      /* Flood using non-OpenFlow pipeline. */
	OFPP_ALL = 0xfffffffc,        /* All standard ports except input port. */
	OFPP_CONTROLLER = 0xfffffffd, /* Send to controller. */
	OFPP_LOCAL = 0xfffffffe,      /* Local openflow "port". */
	OFPP_ANY = 0xffffffff,        /* Special value used in some requests. */
};

/** Table numbering [7.3.4.1]. */
enum ofp_table {
	OFPTT_MAX = 0xfe, /* Last usable table number. */
	OFPTT_ALL = 0xff, /* Wildcard table used for table config, flow stats and deletes. */
};

/** Group numbering: wildcard and maximum [7.3.4.2]. */
#define OFPG_MAX 0xffffff00u
#define OFPG_ALL 0xfffffffcu
#define OFPG_ANY 0xffffffffu

/** Buffer id meaning "no buffered packet" [7.3.4.1]. */
#define OFP_NO_BUFFER 0xffffffffu

/** Controller max_len meaning "send the whole packet, do not buffer" [7.2.5]. */
#define OFPCML_MAX       0xffe5
#define OFPCML_NO_BUFFER 0xffff

/** Default miss_send_len [7.3.2]. */
#define OFP_DEFAULT_MISS_SEND_LEN 128

/** Port config bits [7.2.1]. */
enum ofp_port_config {
	OFPPC_PORT_DOWN = 1 << 0,    /* Port is administratively down. */
	OFPPC_NO_RECV = 1 << 2,      /* Drop all packets received by port. */
	OFPPC_NO_FWD = 1 << 5,       /* Drop packets forwarded to port. */
	OFPPC_NO_PACKET_IN = 1 << 6, /* Do not send packet-in msgs for port. */
};

/** Port state bits [7.2.1]. */
enum ofp_port_state {
	OFPPS_LINK_DOWN = 1 << 0, /* No physical link present. */
	OFPPS_BLOCKED = 1 << 1,   /* Port is blocked. */
	OFPPS_LIVE = 1 << 2,      /* Live for Fast Failover Group. */
};

/** Port feature bits [7.2.1]. */
enum ofp_port_features {
	OFPPF_10MB_HD = 1 << 0,
	OFPPF_10MB_FD = 1 << 1,
	OFPPF_100MB_HD = 1 << 2,
	OFPPF_100MB_FD = 1 << 3,
	OFPPF_1GB_HD = 1 << 4,
	OFPPF_1GB_FD = 1 << 5,
	OFPPF_10GB_FD = 1 << 6,
	OFPPF_40GB_FD = 1 << 7,
	OFPPF_100GB_FD = 1 << 8,
	OFPPF_1TB_FD = 1 << 9,
	OFPPF_OTHER = 1 << 10,
	OFPPF_COPPER = 1 << 11,
	OFPPF_FIBER = 1 << 12,
	OFPPF_AUTONEG = 1 << 13,
	OFPPF_PAUSE = 1 << 14,
	OFPPF_PAUSE_ASYM = 1 << 15,
};

/** Size of struct ofp_port [7.2.1]. */
#define OFP_PORT_SIZE 64
/** Room for a port name with its NUL [7.2.1]. */
#define OFP_MAX_PORT_NAME_LEN 16
/** Room for a table name with its NUL [7.3.5.5]. */
#define OFP_MAX_TABLE_NAME_LEN 32

/** Switch config flags [7.3.2]. */
enum ofp_config_flags {
	OFPC_FRAG_NORMAL = 0, /* No special handling for fragments. */
	OFPC_FRAG_DROP = 1,   /* Drop fragments. */
	OFPC_FRAG_REASM = 2,  /* Reassemble (only if OFPC_IP_REASM set). */
	OFPC_FRAG_MASK = 3,
};

/** Action types [7.2.5]. */
enum ofp_action_type {
	OFPAT_OUTPUT = 0,
	OFPAT_COPY_TTL_OUT = 11,
	OFPAT_COPY_TTL_IN = 12,
	OFPAT_SET_MPLS_TTL = 15,
	OFPAT_DEC_MPLS_TTL = 16,
	OFPAT_PUSH_VLAN = 17,
	OFPAT_POP_VLAN = 18,
	OFPAT_PUSH_MPLS = 19,
	OFPAT_POP_MPLS = 20,
	OFPAT_SET_QUEUE = 21,
	OFPAT_GROUP = 22,
	OFPAT_SET_NW_TTL = 23,
	OFPAT_DEC_NW_TTL = 24,
	OFPAT_SET_FIELD = 25,
	OFPAT_PUSH_PBB = 26,
	OFPAT_POP_PBB = 27,
	OFPAT_EXPERIMENTER = 0xffff,
};

/** Instruction types [7.2.4]. */
enum ofp_instruction_type {
	OFPIT_GOTO_TABLE = 1,
	OFPIT_WRITE_METADATA = 2,
	OFPIT_WRITE_ACTIONS = 3,
	OFPIT_APPLY_ACTIONS = 4,
	OFPIT_CLEAR_ACTIONS = 5,
	OFPIT_METER = 6,
	OFPIT_EXPERIMENTER = 0xffff,
};

/** Flow mod commands [7.3.4.1]. */
enum ofp_flow_mod_command {
	OFPFC_ADD = 0,
	OFPFC_MODIFY = 1,
	OFPFC_MODIFY_STRICT = 2,
	OFPFC_DELETE = 3,
	OFPFC_DELETE_STRICT = 4,
};

/** Flow mod flags [7.3.4.1]. */
enum ofp_flow_mod_flags {
	OFPFF_SEND_FLOW_REM = 1 << 0,
	OFPFF_CHECK_OVERLAP = 1 << 1,
	OFPFF_RESET_COUNTS = 1 << 2,
	OFPFF_NO_PKT_COUNTS = 1 << 3,
	OFPFF_NO_BYT_COUNTS = 1 << 4,
};

/** Size of struct ofp_flow_mod up to its match [7.3.4.1]. */
#define OFP_FLOW_MOD_FIXED_SIZE 48

/** Packet-in reasons [7.4.1]. */
enum ofp_packet_in_reason {
	OFPR_NO_MATCH = 0,
	OFPR_ACTION = 1,
	OFPR_INVALID_TTL = 2,
};

/** Port status reasons [7.4.3]. */
enum ofp_port_reason {
	OFPPR_ADD = 0,
	OFPPR_DELETE = 1,
	OFPPR_MODIFY = 2,
};

/** Multipart types [7.3.5]. */
enum ofp_multipart_type {
	OFPMP_DESC = 0,
	OFPMP_FLOW = 1,
	OFPMP_AGGREGATE = 2,
	OFPMP_TABLE = 3,
	OFPMP_PORT_STATS = 4,
	OFPMP_QUEUE = 5,
	OFPMP_GROUP = 6,
	OFPMP_GROUP_DESC = 7,
	OFPMP_GROUP_FEATURES = 8,
	OFPMP_METER = 9,
	OFPMP_METER_CONFIG = 10,
	OFPMP_METER_FEATURES = 11,
	OFPMP_TABLE_FEATURES = 12,
	OFPMP_PORT_DESC = 13,
	OFPMP_EXPERIMENTER = 0xffff,
};

/** Multipart flags [7.3.5]. */
enum ofp_multipart_flags {
	OFPMPF_REQ_MORE = 1 << 0,
	OFPMPF_REPLY_MORE = 1 << 0,
};

/** Controller roles [7.3.9]. */
enum ofp_controller_role {
	OFPCR_ROLE_NOCHANGE = 0,
	OFPCR_ROLE_EQUAL = 1,
	OFPCR_ROLE_MASTER = 2,
	OFPCR_ROLE_SLAVE = 3,
};

/** Largest OpenFlow message (the length field is 16 bits). */
#define OFP_MSG_MAX 65535

#endif /* VIREO_OF_WIRE_H */
