/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_switch.h - the OpenFlow 1.3 switch messages other than flow_mod,
 * flow stats and actions: switch configuration, PACKET_IN, PACKET_OUT,
 * ports (struct ofp_port, PORT_STATUS, PORT_MOD), roles, asynchronous
 * configuration, multipart framing with a reply writer that splits long
 * replies, the DESC/AGGREGATE/TABLE/PORT_STATS reply bodies, FLOW_REMOVED
 * and the ERROR message [OpenFlow 1.3.5, 7.2.1, 7.3.2, 7.3.4.3, 7.3.5,
 * 7.3.7, 7.3.9, 7.3.10, 7.4.1-7.4.4].
 *
 * Decoders take a complete message as framed by of_msg_frame() (header
 * included, its length field equal to the size given) and fill a host-order
 * struct; pointers in it borrow the message. Encoders write into a caller's
 * buffer and return the message size or -ENOSPC. Entry codecs (ofp_port and
 * the multipart reply entries) read and write one entry without a header.
 * Lengths that are wrong for the type, and padding the spec names but that
 * is not zero, are BAD_REQUEST_BAD_LEN. Pure C, control thread only, no
 * shared state.
 *
 * Limits: actions in PACKET_OUT are not decoded here (of_action.c does
 * that): they are returned as raw bytes. No packet is ever buffered, so
 * a PACKET_OUT naming a buffer is refused with BUFFER_UNKNOWN. Experimenter
 * errors are decoded as plain (type, code, data), the experimenter id left
 * in the data.
 */
#ifndef VIREO_OF_SWITCH_H
#define VIREO_OF_SWITCH_H

#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_err.h"
#include "protocols/openflow/of_match.h"
#include "protocols/openflow/of_wire.h"

/** Size of OFPT_GET_CONFIG_REPLY / OFPT_SET_CONFIG [7.3.2]. */
#define OF_SWITCH_CONFIG_SIZE 12
/** Size of OFPT_PACKET_IN before its match [7.4.1]. */
#define OF_PACKET_IN_FIXED_SIZE 24
/** Size of OFPT_PACKET_OUT before its actions [7.3.7]. */
#define OF_PACKET_OUT_FIXED_SIZE 24
/** Size of OFPT_PORT_STATUS [7.4.3]. */
#define OF_PORT_STATUS_SIZE 80
/** Size of OFPT_PORT_MOD [7.3.4.3]. */
#define OF_PORT_MOD_SIZE 40
/** Size of OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY [7.3.9]. */
#define OF_ROLE_SIZE 24
/** Size of OFPT_GET_ASYNC_REPLY / OFPT_SET_ASYNC [7.3.10]. */
#define OF_ASYNC_SIZE 32
/** Size of OFPT_FLOW_REMOVED before its match [7.4.2]. */
#define OF_FLOW_REMOVED_FIXED_SIZE 48
/** Size of a multipart request or reply before its body [7.3.5]. */
#define OF_MP_HEADER_SIZE 16
/** Largest multipart body in one message. */
#define OF_MP_BODY_MAX (OFP_MSG_MAX - OF_MP_HEADER_SIZE)
/** Size of struct ofp_desc, the OFPMP_DESC reply body [7.3.5.1]. */
#define OF_DESC_SIZE 1056
/** Size of struct ofp_aggregate_stats_reply [7.3.5.3]. */
#define OF_AGGREGATE_STATS_SIZE 24
/** Size of struct ofp_table_stats [7.3.5.4]. */
#define OF_TABLE_STATS_SIZE 24
/** Size of struct ofp_port_stats_request [7.3.5.6]. */
#define OF_PORT_STATS_REQUEST_SIZE 8
/** Size of struct ofp_port_stats [7.3.5.6]. */
#define OF_PORT_STATS_SIZE 112
/** Size of struct ofp_queue_stats_request [7.3.5.8]. */
#define OF_QUEUE_STATS_REQUEST_SIZE 8

/** Body of OFPT_GET_CONFIG_REPLY and OFPT_SET_CONFIG (ofp_switch_config). */
struct of_switch_config {
	uint16_t flags;         /* enum ofp_config_flags: OFPC_FRAG_* only. */
	uint16_t miss_send_len; /* Bytes of a table-miss packet sent to the controller. */
};

/** A decoded OFPT_PACKET_IN; 'data' borrows the message. */
struct of_packet_in {
	uint32_t buffer_id;    /* OFP_NO_BUFFER: the whole frame is in 'data'. */
	uint16_t total_len;    /* Full length of the frame. */
	uint8_t reason;        /* enum ofp_packet_in_reason. */
	uint8_t table_id;      /* Table that was looked up. */
	uint64_t cookie;       /* Cookie of the flow entry; all-ones on a miss. */
	struct of_match match; /* Packet metadata: in_port, metadata, tunnel_id. */
	const uint8_t *data;   /* Ethernet frame (possibly truncated). */
	size_t data_size;      /* Bytes at 'data'. */
};

/** A decoded OFPT_PACKET_OUT; both pointers borrow the message. */
struct of_packet_out {
	uint32_t buffer_id;     /* OFP_NO_BUFFER: the frame is in 'data'. */
	uint32_t in_port;       /* Input port for the actions, or OFPP_CONTROLLER. */
	const uint8_t *actions; /* Raw action list (of_action.c decodes it). */
	size_t actions_size;    /* Bytes at 'actions', a multiple of 8. */
	const uint8_t *data;    /* Ethernet frame to send. */
	size_t data_size;       /* Bytes at 'data'. */
};

/** struct ofp_port in host order [7.2.1]. */
struct of_port {
	uint32_t port_no;                 /* OpenFlow port number. */
	uint8_t hw_addr[6];               /* MAC address. */
	char name[OFP_MAX_PORT_NAME_LEN]; /* NUL-terminated, at most 15 chars. */
	uint32_t config;                  /* enum ofp_port_config bits. */
	uint32_t state;                   /* enum ofp_port_state bits. */
	uint32_t curr;                    /* Current features (enum ofp_port_features). */
	uint32_t advertised;              /* Features advertised by the port. */
	uint32_t supported;               /* Features supported by the port. */
	uint32_t peer;                    /* Features advertised by the peer. */
	uint32_t curr_speed;              /* Current bit rate in kbps. */
	uint32_t max_speed;               /* Maximum bit rate in kbps. */
};

/** A decoded OFPT_PORT_STATUS. */
struct of_port_status {
	uint8_t reason;      /* enum ofp_port_reason. */
	struct of_port desc; /* The port after the change. */
};

/** A decoded OFPT_PORT_MOD. */
struct of_port_mod {
	uint32_t port_no;   /* Port to change. */
	uint8_t hw_addr[6]; /* Must be the port's MAC (checked by the agent). */
	uint32_t config;    /* New values of the OFPPC_* bits set in 'mask'. */
	uint32_t mask;      /* OFPPC_* bits to change. */
	uint32_t advertise; /* Features to advertise; 0: leave unchanged. */
};

/** Body of OFPT_ROLE_REQUEST and OFPT_ROLE_REPLY. */
struct of_role {
	uint32_t role;          /* enum ofp_controller_role. */
	uint64_t generation_id; /* Master election generation id. */
};

/** Body of OFPT_GET_ASYNC_REPLY and OFPT_SET_ASYNC; [0] master/equal, [1] slave. */
struct of_async_config {
	uint32_t packet_in_mask[2];    /* Bit n: send packet-ins with reason n. */
	uint32_t port_status_mask[2];  /* Bit n: send port-status with reason n. */
	uint32_t flow_removed_mask[2]; /* Bit n: send flow-removed with reason n. */
};

/** A decoded multipart request's framing; 'body' borrows the message. */
struct of_mp_request {
	uint16_t type;       /* enum ofp_multipart_type. */
	uint16_t flags;      /* OFPMPF_REQ_MORE. */
	const uint8_t *body; /* Type-specific body. */
	size_t body_size;    /* Bytes at 'body'. */
};

/** A decoded multipart reply's framing; 'body' borrows the message. */
struct of_mp_reply {
	uint16_t type;       /* enum ofp_multipart_type. */
	uint16_t flags;      /* OFPMPF_REPLY_MORE on all but the last part. */
	const uint8_t *body; /* Type-specific entries. */
	size_t body_size;    /* Bytes at 'body'. */
};

/** Receives each complete OFPT_MULTIPART_REPLY ('msg' is borrowed for the call). */
typedef void of_mp_emit_fn(const uint8_t *msg, size_t size, void *arg);

/** Builds multipart replies from entries; see of_mp_writer_init(). */
struct of_mp_writer {
	uint16_t type;            /* Multipart type of every part. */
	uint32_t xid;             /* Transaction id of the request. */
	of_mp_emit_fn *emit;      /* Called with each finished message. */
	void *arg;                /* Passed to 'emit'. */
	size_t size;              /* Bytes in 'buf', header included. */
	uint32_t n_msgs;          /* Messages emitted so far. */
	uint8_t buf[OFP_MSG_MAX]; /* The message being filled. */
};

/** OFPMP_DESC reply body; each string NUL-terminated. */
struct of_desc {
	char mfr_desc[256];  /* Manufacturer description. */
	char hw_desc[256];   /* Hardware description. */
	char sw_desc[256];   /* Software description. */
	char serial_num[32]; /* Serial number. */
	char dp_desc[256];   /* Human-readable description of the datapath. */
};

/** OFPMP_AGGREGATE reply body. */
struct of_aggregate_stats {
	uint64_t packet_count; /* Packets in the matched flows. */
	uint64_t byte_count;   /* Bytes in the matched flows. */
	uint32_t flow_count;   /* Number of flows. */
};

/** One OFPMP_TABLE reply entry. */
struct of_table_stats {
	uint8_t table_id;       /* Table number. */
	uint32_t active_count;  /* Active entries. */
	uint64_t lookup_count;  /* Packets looked up in the table. */
	uint64_t matched_count; /* Packets that hit the table. */
};

/** One OFPMP_PORT_STATS reply entry; all-ones where a counter is unavailable. */
struct of_port_stats {
	uint32_t port_no;       /* Port number. */
	uint64_t rx_packets;    /* Received packets. */
	uint64_t tx_packets;    /* Transmitted packets. */
	uint64_t rx_bytes;      /* Received bytes. */
	uint64_t tx_bytes;      /* Transmitted bytes. */
	uint64_t rx_dropped;    /* Packets dropped by RX. */
	uint64_t tx_dropped;    /* Packets dropped by TX. */
	uint64_t rx_errors;     /* Receive errors. */
	uint64_t tx_errors;     /* Transmit errors. */
	uint64_t rx_frame_err;  /* Frame alignment errors. */
	uint64_t rx_over_err;   /* Packets with RX overrun. */
	uint64_t rx_crc_err;    /* CRC errors. */
	uint64_t collisions;    /* Collisions. */
	uint32_t duration_sec;  /* Time the port has been alive, seconds. */
	uint32_t duration_nsec; /* And nanoseconds beyond 'duration_sec'. */
};

/** An OFPT_FLOW_REMOVED. */
struct of_flow_removed {
	uint64_t cookie;        /* Cookie of the removed flow. */
	uint16_t priority;      /* Its priority. */
	uint8_t reason;         /* OFPRR_*: 0 idle, 1 hard, 2 delete, 3 group delete. */
	uint8_t table_id;       /* Its table. */
	uint32_t duration_sec;  /* Time the flow was alive, seconds. */
	uint32_t duration_nsec; /* And nanoseconds beyond 'duration_sec'. */
	uint16_t idle_timeout;  /* Its idle timeout. */
	uint16_t hard_timeout;  /* Its hard timeout. */
	uint64_t packet_count;  /* Packets it matched. */
	uint64_t byte_count;    /* Bytes it matched. */
	struct of_match match;  /* Its match. */
};

/** A decoded OFPT_ERROR; 'data' borrows the message. */
struct of_error {
	uint16_t type;       /* enum ofp_error_type. */
	uint16_t code;       /* Code within 'type'. */
	const uint8_t *data; /* Usually the start of the offending request. */
	size_t data_size;    /* Bytes at 'data'. */
};

/**
 * Check a framed message that must be a bare header (GET_CONFIG_REQUEST,
 * GET_ASYNC_REQUEST, BARRIER_REQUEST): BAD_REQUEST_BAD_LEN unless 8 bytes.
 */
enum of_err of_empty_msg_decode(const uint8_t *msg, size_t size);

/** Encode OFPT_GET_CONFIG_REQUEST for 'xid'. Returns 8 or -ENOSPC. */
int of_get_config_request_encode(uint32_t xid, uint8_t *buf, size_t buf_size);

/**
 * Encode 'cfg' as a 'type' message (OFPT_GET_CONFIG_REPLY or
 * OFPT_SET_CONFIG) for 'xid'. Returns 12, -ENOSPC, or -EINVAL for another type.
 */
int of_switch_config_encode(uint8_t type, uint32_t xid, const struct of_switch_config *cfg,
			    uint8_t *buf, size_t buf_size);

/**
 * Decode a framed GET_CONFIG_REPLY or SET_CONFIG into 'out'. Errors:
 * BAD_REQUEST_BAD_LEN unless 12 bytes (as Open vSwitch answers);
 * SWITCH_CONFIG_FAILED_BAD_FLAGS for flags beyond OFPC_FRAG_MASK.
 */
enum of_err of_switch_config_decode(const uint8_t *msg, size_t size, struct of_switch_config *out);

/**
 * Encode 'pin' as OFPT_PACKET_IN for 'xid': fixed part, 'pin->match', two
 * zero bytes, then 'pin->data'. Returns the size or -ENOSPC (also when the
 * message would exceed 65535 bytes).
 */
int of_packet_in_encode(const struct of_packet_in *pin, uint32_t xid, uint8_t *buf,
			size_t buf_size);

/**
 * Encode a PACKET_IN whose match carries, as Open vSwitch sends them,
 * OXM in_port, then metadata when not zero, then tunnel_id when not zero.
 * 'frame' ('frame_size' bytes, borrowed) is what is sent of the packet;
 * 'total_len' its full length. No buffer is used (OFP_NO_BUFFER).
 * Returns the size or -ENOSPC.
 */
int of_packet_in_encode_simple(uint32_t xid, uint8_t reason, uint8_t table_id, uint64_t cookie,
			       uint32_t in_port, uint64_t metadata, uint64_t tunnel_id,
			       const uint8_t *frame, size_t frame_size, uint16_t total_len,
			       uint8_t *buf, size_t buf_size);

/**
 * Decode a framed PACKET_IN into 'out' ('data' borrows 'msg'). Errors:
 * BAD_REQUEST_BAD_LEN for a short message or a nonzero pad after the
 * match; the match's own BAD_MATCH_* errors.
 */
enum of_err of_packet_in_decode(const uint8_t *msg, size_t size, struct of_packet_in *out);

/**
 * Encode 'po' as OFPT_PACKET_OUT for 'xid'; the actions are copied as
 * given. Returns the size, -ENOSPC, or -EINVAL when 'po->actions_size' is
 * not a multiple of 8 or over 65535.
 */
int of_packet_out_encode(const struct of_packet_out *po, uint32_t xid, uint8_t *buf,
			 size_t buf_size);

/**
 * Decode a framed PACKET_OUT into 'out' (pointers borrow 'msg'). Errors,
 * checked in this order: BAD_REQUEST_BAD_LEN (short message, actions_len
 * past the end or not a multiple of 8, nonzero pad); BAD_REQUEST_BAD_PORT
 * (in_port 0, or above OFPP_MAX and not OFPP_CONTROLLER, OFPP_LOCAL or
 * OFPP_ANY, which Open vSwitch also accepts); BAD_REQUEST_BUFFER_UNKNOWN
 * (any buffer_id but OFP_NO_BUFFER: nothing is buffered).
 */
enum of_err of_packet_out_decode(const uint8_t *msg, size_t size, struct of_packet_out *out);

/**
 * Write 'port' as a 64-byte struct ofp_port at 'buf'; the name is cut to 15
 * characters and NUL-padded. Returns 64 or -ENOSPC.
 */
int of_port_encode(const struct of_port *port, uint8_t *buf, size_t buf_size);

/**
 * Read the struct ofp_port at 'buf', which must be exactly 64 bytes
 * ('size'); the name is always NUL-terminated. Errors: BAD_REQUEST_BAD_LEN
 * for another size or nonzero padding.
 */
enum of_err of_port_decode(const uint8_t *buf, size_t size, struct of_port *out);

/** Encode 'ps' as OFPT_PORT_STATUS for 'xid'. Returns 80 or -ENOSPC. */
int of_port_status_encode(const struct of_port_status *ps, uint32_t xid, uint8_t *buf,
			  size_t buf_size);

/** Decode a framed PORT_STATUS. BAD_REQUEST_BAD_LEN unless 80 bytes, pads zero. */
enum of_err of_port_status_decode(const uint8_t *msg, size_t size, struct of_port_status *out);

/** Encode 'pm' as OFPT_PORT_MOD for 'xid'. Returns 40 or -ENOSPC. */
int of_port_mod_encode(const struct of_port_mod *pm, uint32_t xid, uint8_t *buf, size_t buf_size);

/**
 * Decode a framed PORT_MOD. Errors: BAD_REQUEST_BAD_LEN unless 40 bytes
 * with zero pads; PORT_MOD_FAILED_BAD_CONFIG for config or mask bits
 * outside OFPPC_*. Whether the port exists and the MAC is its own is for
 * the agent to check.
 */
enum of_err of_port_mod_decode(const uint8_t *msg, size_t size, struct of_port_mod *out);

/**
 * Encode 'role' as a 'type' message (OFPT_ROLE_REQUEST or OFPT_ROLE_REPLY)
 * for 'xid'. Returns 24, -ENOSPC, or -EINVAL for another type.
 */
int of_role_encode(uint8_t type, uint32_t xid, const struct of_role *role, uint8_t *buf,
		   size_t buf_size);

/**
 * Decode a framed ROLE_REQUEST or ROLE_REPLY. Errors: BAD_REQUEST_BAD_LEN
 * unless 24 bytes with a zero pad; ROLE_REQUEST_FAILED_BAD_ROLE for a role
 * above OFPCR_ROLE_SLAVE.
 */
enum of_err of_role_decode(const uint8_t *msg, size_t size, struct of_role *out);

/**
 * Encode 'cfg' as a 'type' message (OFPT_GET_ASYNC_REPLY or OFPT_SET_ASYNC)
 * for 'xid'. Returns 32, -ENOSPC, or -EINVAL for another type.
 */
int of_async_encode(uint8_t type, uint32_t xid, const struct of_async_config *cfg, uint8_t *buf,
		    size_t buf_size);

/** Decode a framed SET_ASYNC or GET_ASYNC_REPLY. BAD_REQUEST_BAD_LEN unless 32 bytes. */
enum of_err of_async_decode(const uint8_t *msg, size_t size, struct of_async_config *out);

/**
 * Encode 'req' as OFPT_MULTIPART_REQUEST for 'xid'. Returns the size,
 * or -ENOSPC (also beyond 65535 bytes).
 */
int of_mp_request_encode(const struct of_mp_request *req, uint32_t xid, uint8_t *buf,
			 size_t buf_size);

/**
 * Decode a framed MULTIPART_REQUEST's framing into 'out' ('body' borrows
 * 'msg'). Errors: BAD_REQUEST_BAD_LEN for a short message, a nonzero pad,
 * or a body on DESC, TABLE, PORT_DESC, GROUP_FEATURES or METER_FEATURES,
 * whose requests have none. Other bodies are checked by their own decoders.
 */
enum of_err of_mp_request_decode(const uint8_t *msg, size_t size, struct of_mp_request *out);

/**
 * Read an OFPMP_PORT_STATS request body from 'req'. Errors:
 * BAD_REQUEST_BAD_LEN unless 8 bytes with a zero pad.
 */
enum of_err of_port_stats_request_decode(const struct of_mp_request *req, uint32_t *port_no);

/** Read an OFPMP_QUEUE request body from 'req'; BAD_REQUEST_BAD_LEN unless 8 bytes. */
enum of_err of_queue_stats_request_decode(const struct of_mp_request *req, uint32_t *port_no,
					  uint32_t *queue_id);

/**
 * Encode 'rep' as one OFPT_MULTIPART_REPLY for 'xid' (no splitting; see
 * struct of_mp_writer for that). Returns the size or -ENOSPC (also beyond
 * 65535 bytes).
 */
int of_mp_reply_encode(const struct of_mp_reply *rep, uint32_t xid, uint8_t *buf, size_t buf_size);

/** Decode a framed MULTIPART_REPLY's framing; BAD_REQUEST_BAD_LEN when short or pad set. */
enum of_err of_mp_reply_decode(const uint8_t *msg, size_t size, struct of_mp_reply *out);

/**
 * Start a reply of multipart 'type' to the request 'xid'. Each complete
 * OFPT_MULTIPART_REPLY (at most 65535 bytes) is handed to 'emit' with
 * 'arg'; every one but the last carries OFPMPF_REPLY_MORE. 'w' is large
 * (64 KiB): keep it off small stacks.
 */
void of_mp_writer_init(struct of_mp_writer *w, uint16_t type, uint32_t xid, of_mp_emit_fn *emit,
		       void *arg);

/**
 * Append one reply entry ('entry', 'size' bytes, copied). An entry is never
 * split: when it does not fit in the current message, that message is
 * emitted first with OFPMPF_REPLY_MORE. Returns 0, or -EMSGSIZE for an
 * entry larger than one message's body can hold.
 */
int of_mp_writer_add(struct of_mp_writer *w, const uint8_t *entry, size_t size);

/**
 * Emit the last message (without OFPMPF_REPLY_MORE; with an empty body when
 * no entry was added, as an empty reply is still a reply). Returns 0.
 */
int of_mp_writer_finish(struct of_mp_writer *w);

/** Write 'desc' as the 1056-byte OFPMP_DESC body; strings cut and NUL-padded. */
int of_desc_encode(const struct of_desc *desc, uint8_t *buf, size_t buf_size);

/** Read an OFPMP_DESC body; BAD_REQUEST_BAD_LEN unless 1056 bytes. Strings end in NUL. */
enum of_err of_desc_decode(const uint8_t *body, size_t size, struct of_desc *out);

/** Write 'agg' as the 24-byte OFPMP_AGGREGATE reply body. Returns 24 or -ENOSPC. */
int of_aggregate_stats_encode(const struct of_aggregate_stats *agg, uint8_t *buf, size_t buf_size);

/** Read an OFPMP_AGGREGATE reply body; BAD_REQUEST_BAD_LEN unless 24 bytes, pad zero. */
enum of_err of_aggregate_stats_decode(const uint8_t *body, size_t size,
				      struct of_aggregate_stats *out);

/** Write one 24-byte OFPMP_TABLE entry. Returns 24 or -ENOSPC. */
int of_table_stats_encode(const struct of_table_stats *ts, uint8_t *buf, size_t buf_size);

/** Read one OFPMP_TABLE entry; BAD_REQUEST_BAD_LEN unless 24 bytes, pad zero. */
enum of_err of_table_stats_decode(const uint8_t *entry, size_t size, struct of_table_stats *out);

/** Write one 112-byte OFPMP_PORT_STATS entry. Returns 112 or -ENOSPC. */
int of_port_stats_encode(const struct of_port_stats *ps, uint8_t *buf, size_t buf_size);

/** Read one OFPMP_PORT_STATS entry; BAD_REQUEST_BAD_LEN unless 112 bytes, pad zero. */
enum of_err of_port_stats_decode(const uint8_t *entry, size_t size, struct of_port_stats *out);

/**
 * Encode 'fr' as OFPT_FLOW_REMOVED for 'xid'. Returns the size or -ENOSPC.
 */
int of_flow_removed_encode(const struct of_flow_removed *fr, uint32_t xid, uint8_t *buf,
			   size_t buf_size);

/**
 * Decode a framed FLOW_REMOVED. Errors: BAD_REQUEST_BAD_LEN when short or
 * when bytes follow the match; the match's BAD_MATCH_* errors.
 */
enum of_err of_flow_removed_decode(const uint8_t *msg, size_t size, struct of_flow_removed *out);

/**
 * Decode a framed OFPT_ERROR ('data' borrows 'msg'). BAD_REQUEST_BAD_LEN
 * when shorter than 12 bytes.
 */
enum of_err of_error_decode(const uint8_t *msg, size_t size, struct of_error *out);

#endif /* VIREO_OF_SWITCH_H */
