/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_switch.c - OpenFlow 1.3 switch messages: configuration, packet-in and
 * packet-out, ports, roles, asynchronous configuration, multipart framing
 * and reply bodies, flow-removed and errors [OpenFlow 1.3.5, 7.2.1, 7.3,
 * 7.4]. Offsets in the comments are the spec's struct layouts, counted
 * from the start of the message (or of the entry, for entry codecs). See
 * of_switch.h for the contracts and limits.
 */
#include "protocols/openflow/of_switch.h"

#include <errno.h>
#include <string.h>

#include "protocols/openflow/of_msg.h"
#include "protocols/openflow/of_wire.h"

/* Every OFPPC_* bit the spec defines [7.2.1]. */
#define OF_PORT_CONFIG_ALL (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD | OFPPC_NO_PACKET_IN)

/* Whether 'msg' is at least 'min' bytes and its header length is 'size'. */
static bool
of_len_ok(const uint8_t *msg, size_t size, size_t min)
{
	return size >= min && size >= OFP_HEADER_SIZE && size <= OFP_MSG_MAX &&
	       of_get_be16(msg + 2) == size;
}

/* Write a header of 'type', 'size' and 'xid' at 'buf'. */
static void
of_put_header(uint8_t *buf, uint8_t type, size_t size, uint32_t xid)
{
	struct of_header hdr = {OFP_VERSION, type, (uint16_t)size, xid};

	of_header_put(buf, &hdr);
}

/* Copy the string 'src' into the 'size'-byte wire field 'dst', NUL-padded. */
static void
of_put_str(uint8_t *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	memset(dst + len, 0, size - len);
}

/* Copy the 'size'-byte wire field 'src' into 'dst', always NUL-terminated. */
static void
of_get_str(char *dst, const uint8_t *src, size_t size)
{
	memcpy(dst, src, size - 1);
	dst[size - 1] = '\0';
}

enum of_err
of_empty_msg_decode(const uint8_t *msg, size_t size)
{
	if (size != OFP_HEADER_SIZE || !of_len_ok(msg, size, OFP_HEADER_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	return OF_ERR_NONE;
}

int
of_get_config_request_encode(uint32_t xid, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OFP_HEADER_SIZE) {
		return -ENOSPC;
	}
	of_put_header(buf, OFPT_GET_CONFIG_REQUEST, OFP_HEADER_SIZE, xid);
	return OFP_HEADER_SIZE;
}

int
of_switch_config_encode(uint8_t type, uint32_t xid, const struct of_switch_config *cfg,
			uint8_t *buf, size_t buf_size)
{
	if (type != OFPT_GET_CONFIG_REPLY && type != OFPT_SET_CONFIG) {
		return -EINVAL;
	}
	if (buf_size < OF_SWITCH_CONFIG_SIZE) {
		return -ENOSPC;
	}
	of_put_header(buf, type, OF_SWITCH_CONFIG_SIZE, xid);
	of_put_be16(buf + 8, cfg->flags);
	of_put_be16(buf + 10, cfg->miss_send_len);
	return OF_SWITCH_CONFIG_SIZE;
}

enum of_err
of_switch_config_decode(const uint8_t *msg, size_t size, struct of_switch_config *out)
{
	if (size != OF_SWITCH_CONFIG_SIZE || !of_len_ok(msg, size, OF_SWITCH_CONFIG_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->flags = of_get_be16(msg + 8);
	out->miss_send_len = of_get_be16(msg + 10);
	if ((out->flags & ~OFPC_FRAG_MASK) != 0) {
		return OF_ERR_SWITCH_CONFIG_FAILED_BAD_FLAGS;
	}
	return OF_ERR_NONE;
}

int
of_packet_in_encode(const struct of_packet_in *pin, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	size_t match_size = of_match_encoded_size(&pin->match);
	size_t size = OF_PACKET_IN_FIXED_SIZE + match_size + 2 + pin->data_size;

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	of_put_header(buf, OFPT_PACKET_IN, size, xid);
	of_put_be32(buf + 8, pin->buffer_id);
	of_put_be16(buf + 12, pin->total_len);
	buf[14] = pin->reason;
	buf[15] = pin->table_id;
	of_put_be64(buf + 16, pin->cookie);
	if (of_match_encode(&pin->match, buf + 24, match_size) != (int)match_size) {
		return -ENOSPC;
	}
	/* Two bytes of padding align the IP header after a plain Ethernet header. */
	buf[24 + match_size] = 0;
	buf[25 + match_size] = 0;
	if (pin->data_size > 0) {
		memcpy(buf + 26 + match_size, pin->data, pin->data_size);
	}
	return (int)size;
}

/* Add exact-match field 'field' to 'm' after the ones already there. */
static void
of_match_add_exact(struct of_match *m, unsigned field)
{
	m->present |= 1ull << field;
	m->order[m->n_fields++] = (uint8_t)field;
}

int
of_packet_in_encode_simple(uint32_t xid, uint8_t reason, uint8_t table_id, uint64_t cookie,
			   uint32_t in_port, uint64_t metadata, uint64_t tunnel_id,
			   const uint8_t *frame, size_t frame_size, uint16_t total_len,
			   uint8_t *buf, size_t buf_size)
{
	struct of_packet_in pin = {
	    .buffer_id = OFP_NO_BUFFER,
	    .total_len = total_len,
	    .reason = reason,
	    .table_id = table_id,
	    .cookie = cookie,
	    .data = frame,
	    .data_size = frame_size,
	};
	struct of_match *m = &pin.match;

	of_match_add_exact(m, OFPXMT_OFB_IN_PORT);
	m->value.in_port = in_port;
	m->mask.in_port = UINT32_MAX;
	if (metadata != 0) {
		of_match_add_exact(m, OFPXMT_OFB_METADATA);
		m->value.metadata = metadata;
		m->mask.metadata = UINT64_MAX;
	}
	if (tunnel_id != 0) {
		of_match_add_exact(m, OFPXMT_OFB_TUNNEL_ID);
		m->value.tunnel_id = tunnel_id;
		m->mask.tunnel_id = UINT64_MAX;
	}
	return of_packet_in_encode(&pin, xid, buf, buf_size);
}

enum of_err
of_packet_in_decode(const uint8_t *msg, size_t size, struct of_packet_in *out)
{
	size_t match_size, off;
	enum of_err err;

	if (!of_len_ok(msg, size, OF_PACKET_IN_FIXED_SIZE + OFP_MATCH_HEADER_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->buffer_id = of_get_be32(msg + 8);
	out->total_len = of_get_be16(msg + 12);
	out->reason = msg[14];
	out->table_id = msg[15];
	out->cookie = of_get_be64(msg + 16);
	err = of_match_decode(msg + 24, size - 24, &out->match, &match_size);
	if (err != OF_ERR_NONE) {
		return err;
	}
	off = OF_PACKET_IN_FIXED_SIZE + match_size;
	if (size - off < 2 || !of_is_zero(msg + off, 2)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->data = msg + off + 2;
	out->data_size = size - off - 2;
	return OF_ERR_NONE;
}

int
of_packet_out_encode(const struct of_packet_out *po, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	size_t size = OF_PACKET_OUT_FIXED_SIZE + po->actions_size + po->data_size;

	if (po->actions_size % 8 != 0 || po->actions_size > UINT16_MAX) {
		return -EINVAL;
	}
	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	of_put_header(buf, OFPT_PACKET_OUT, size, xid);
	of_put_be32(buf + 8, po->buffer_id);
	of_put_be32(buf + 12, po->in_port);
	of_put_be16(buf + 16, (uint16_t)po->actions_size);
	memset(buf + 18, 0, 6);
	if (po->actions_size > 0) {
		memcpy(buf + 24, po->actions, po->actions_size);
	}
	if (po->data_size > 0) {
		memcpy(buf + 24 + po->actions_size, po->data, po->data_size);
	}
	return (int)size;
}

/* Whether 'port' may be a PACKET_OUT's in_port [7.3.7] (OVS's rule). */
static bool
of_packet_out_port_ok(uint32_t port)
{
	return (port != 0 && port <= OFPP_MAX) || port == OFPP_CONTROLLER || port == OFPP_LOCAL ||
	       port == OFPP_ANY;
}

enum of_err
of_packet_out_decode(const uint8_t *msg, size_t size, struct of_packet_out *out)
{
	size_t actions_size;

	if (!of_len_ok(msg, size, OF_PACKET_OUT_FIXED_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	actions_size = of_get_be16(msg + 16);
	if (actions_size % 8 != 0 || actions_size > size - OF_PACKET_OUT_FIXED_SIZE ||
	    !of_is_zero(msg + 18, 6)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->buffer_id = of_get_be32(msg + 8);
	out->in_port = of_get_be32(msg + 12);
	out->actions = msg + OF_PACKET_OUT_FIXED_SIZE;
	out->actions_size = actions_size;
	out->data = msg + OF_PACKET_OUT_FIXED_SIZE + actions_size;
	out->data_size = size - OF_PACKET_OUT_FIXED_SIZE - actions_size;
	if (!of_packet_out_port_ok(out->in_port)) {
		return OF_ERR_BAD_REQUEST_BAD_PORT;
	}
	if (out->buffer_id != OFP_NO_BUFFER) {
		return OF_ERR_BAD_REQUEST_BUFFER_UNKNOWN;
	}
	return OF_ERR_NONE;
}

int
of_port_encode(const struct of_port *port, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OFP_PORT_SIZE) {
		return -ENOSPC;
	}
	of_put_be32(buf, port->port_no);
	memset(buf + 4, 0, 4);
	memcpy(buf + 8, port->hw_addr, 6);
	memset(buf + 14, 0, 2);
	of_put_str(buf + 16, port->name, OFP_MAX_PORT_NAME_LEN);
	of_put_be32(buf + 32, port->config);
	of_put_be32(buf + 36, port->state);
	of_put_be32(buf + 40, port->curr);
	of_put_be32(buf + 44, port->advertised);
	of_put_be32(buf + 48, port->supported);
	of_put_be32(buf + 52, port->peer);
	of_put_be32(buf + 56, port->curr_speed);
	of_put_be32(buf + 60, port->max_speed);
	return OFP_PORT_SIZE;
}

enum of_err
of_port_decode(const uint8_t *buf, size_t size, struct of_port *out)
{
	if (size != OFP_PORT_SIZE || !of_is_zero(buf + 4, 4) || !of_is_zero(buf + 14, 2)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->port_no = of_get_be32(buf);
	memcpy(out->hw_addr, buf + 8, 6);
	of_get_str(out->name, buf + 16, OFP_MAX_PORT_NAME_LEN);
	out->config = of_get_be32(buf + 32);
	out->state = of_get_be32(buf + 36);
	out->curr = of_get_be32(buf + 40);
	out->advertised = of_get_be32(buf + 44);
	out->supported = of_get_be32(buf + 48);
	out->peer = of_get_be32(buf + 52);
	out->curr_speed = of_get_be32(buf + 56);
	out->max_speed = of_get_be32(buf + 60);
	return OF_ERR_NONE;
}

int
of_port_status_encode(const struct of_port_status *ps, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OF_PORT_STATUS_SIZE) {
		return -ENOSPC;
	}
	of_put_header(buf, OFPT_PORT_STATUS, OF_PORT_STATUS_SIZE, xid);
	buf[8] = ps->reason;
	memset(buf + 9, 0, 7);
	of_port_encode(&ps->desc, buf + 16, OFP_PORT_SIZE);
	return OF_PORT_STATUS_SIZE;
}

enum of_err
of_port_status_decode(const uint8_t *msg, size_t size, struct of_port_status *out)
{
	if (size != OF_PORT_STATUS_SIZE || !of_len_ok(msg, size, OF_PORT_STATUS_SIZE) ||
	    !of_is_zero(msg + 9, 7)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->reason = msg[8];
	return of_port_decode(msg + 16, OFP_PORT_SIZE, &out->desc);
}

int
of_port_mod_encode(const struct of_port_mod *pm, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OF_PORT_MOD_SIZE) {
		return -ENOSPC;
	}
	of_put_header(buf, OFPT_PORT_MOD, OF_PORT_MOD_SIZE, xid);
	of_put_be32(buf + 8, pm->port_no);
	memset(buf + 12, 0, 4);
	memcpy(buf + 16, pm->hw_addr, 6);
	memset(buf + 22, 0, 2);
	of_put_be32(buf + 24, pm->config);
	of_put_be32(buf + 28, pm->mask);
	of_put_be32(buf + 32, pm->advertise);
	memset(buf + 36, 0, 4);
	return OF_PORT_MOD_SIZE;
}

enum of_err
of_port_mod_decode(const uint8_t *msg, size_t size, struct of_port_mod *out)
{
	if (size != OF_PORT_MOD_SIZE || !of_len_ok(msg, size, OF_PORT_MOD_SIZE) ||
	    !of_is_zero(msg + 12, 4) || !of_is_zero(msg + 22, 2) || !of_is_zero(msg + 36, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->port_no = of_get_be32(msg + 8);
	memcpy(out->hw_addr, msg + 16, 6);
	out->config = of_get_be32(msg + 24);
	out->mask = of_get_be32(msg + 28);
	out->advertise = of_get_be32(msg + 32);
	if (((out->config | out->mask) & ~(uint32_t)OF_PORT_CONFIG_ALL) != 0) {
		return OF_ERR_PORT_MOD_FAILED_BAD_CONFIG;
	}
	return OF_ERR_NONE;
}

int
of_role_encode(uint8_t type, uint32_t xid, const struct of_role *role, uint8_t *buf,
	       size_t buf_size)
{
	if (type != OFPT_ROLE_REQUEST && type != OFPT_ROLE_REPLY) {
		return -EINVAL;
	}
	if (buf_size < OF_ROLE_SIZE) {
		return -ENOSPC;
	}
	of_put_header(buf, type, OF_ROLE_SIZE, xid);
	of_put_be32(buf + 8, role->role);
	memset(buf + 12, 0, 4);
	of_put_be64(buf + 16, role->generation_id);
	return OF_ROLE_SIZE;
}

enum of_err
of_role_decode(const uint8_t *msg, size_t size, struct of_role *out)
{
	if (size != OF_ROLE_SIZE || !of_len_ok(msg, size, OF_ROLE_SIZE) ||
	    !of_is_zero(msg + 12, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->role = of_get_be32(msg + 8);
	out->generation_id = of_get_be64(msg + 16);
	if (out->role > OFPCR_ROLE_SLAVE) {
		return OF_ERR_ROLE_REQUEST_FAILED_BAD_ROLE;
	}
	return OF_ERR_NONE;
}

int
of_async_encode(uint8_t type, uint32_t xid, const struct of_async_config *cfg, uint8_t *buf,
		size_t buf_size)
{
	if (type != OFPT_GET_ASYNC_REPLY && type != OFPT_SET_ASYNC) {
		return -EINVAL;
	}
	if (buf_size < OF_ASYNC_SIZE) {
		return -ENOSPC;
	}
	of_put_header(buf, type, OF_ASYNC_SIZE, xid);
	for (int i = 0; i < 2; i++) {
		of_put_be32(buf + 8 + 4 * i, cfg->packet_in_mask[i]);
		of_put_be32(buf + 16 + 4 * i, cfg->port_status_mask[i]);
		of_put_be32(buf + 24 + 4 * i, cfg->flow_removed_mask[i]);
	}
	return OF_ASYNC_SIZE;
}

enum of_err
of_async_decode(const uint8_t *msg, size_t size, struct of_async_config *out)
{
	if (size != OF_ASYNC_SIZE || !of_len_ok(msg, size, OF_ASYNC_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	for (int i = 0; i < 2; i++) {
		out->packet_in_mask[i] = of_get_be32(msg + 8 + 4 * i);
		out->port_status_mask[i] = of_get_be32(msg + 16 + 4 * i);
		out->flow_removed_mask[i] = of_get_be32(msg + 24 + 4 * i);
	}
	return OF_ERR_NONE;
}

/* Encode 'mp' as a 'msg_type' message (requests and replies are framed alike). */
static int
of_mp_encode(uint8_t msg_type, const struct of_mp_reply *mp, uint32_t xid, uint8_t *buf,
	     size_t buf_size)
{
	size_t size = OF_MP_HEADER_SIZE + mp->body_size;

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	of_put_header(buf, msg_type, size, xid);
	of_put_be16(buf + 8, mp->type);
	of_put_be16(buf + 10, mp->flags);
	memset(buf + 12, 0, 4);
	if (mp->body_size > 0) {
		memmove(buf + OF_MP_HEADER_SIZE, mp->body, mp->body_size);
	}
	return (int)size;
}

/* Decode multipart framing: type at 8, flags at 10, pad[4] at 12, body at 16. */
static enum of_err
of_mp_decode(const uint8_t *msg, size_t size, uint16_t *type, uint16_t *flags, const uint8_t **body,
	     size_t *body_size)
{
	if (!of_len_ok(msg, size, OF_MP_HEADER_SIZE) || !of_is_zero(msg + 12, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	*type = of_get_be16(msg + 8);
	*flags = of_get_be16(msg + 10);
	*body = msg + OF_MP_HEADER_SIZE;
	*body_size = size - OF_MP_HEADER_SIZE;
	return OF_ERR_NONE;
}

int
of_mp_request_encode(const struct of_mp_request *req, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	struct of_mp_reply mp = {req->type, req->flags, req->body, req->body_size};

	return of_mp_encode(OFPT_MULTIPART_REQUEST, &mp, xid, buf, buf_size);
}

enum of_err
of_mp_request_decode(const uint8_t *msg, size_t size, struct of_mp_request *out)
{
	enum of_err err;

	err = of_mp_decode(msg, size, &out->type, &out->flags, &out->body, &out->body_size);
	if (err != OF_ERR_NONE) {
		return err;
	}
	switch (out->type) {
	case OFPMP_DESC:
	case OFPMP_TABLE:
	case OFPMP_PORT_DESC:
	case OFPMP_GROUP_FEATURES:
	case OFPMP_METER_FEATURES:
		/* These requests have no body [7.3.5.1, 7.3.5.4, 7.3.5.7, 7.3.5.11, 7.3.5.14]. */
		return out->body_size == 0 ? OF_ERR_NONE : OF_ERR_BAD_REQUEST_BAD_LEN;
	default:
		return OF_ERR_NONE;
	}
}

enum of_err
of_port_stats_request_decode(const struct of_mp_request *req, uint32_t *port_no)
{
	if (req->body_size != OF_PORT_STATS_REQUEST_SIZE || !of_is_zero(req->body + 4, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	*port_no = of_get_be32(req->body);
	return OF_ERR_NONE;
}

enum of_err
of_queue_stats_request_decode(const struct of_mp_request *req, uint32_t *port_no,
			      uint32_t *queue_id)
{
	if (req->body_size != OF_QUEUE_STATS_REQUEST_SIZE) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	*port_no = of_get_be32(req->body);
	*queue_id = of_get_be32(req->body + 4);
	return OF_ERR_NONE;
}

int
of_mp_reply_encode(const struct of_mp_reply *rep, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	return of_mp_encode(OFPT_MULTIPART_REPLY, rep, xid, buf, buf_size);
}

enum of_err
of_mp_reply_decode(const uint8_t *msg, size_t size, struct of_mp_reply *out)
{
	return of_mp_decode(msg, size, &out->type, &out->flags, &out->body, &out->body_size);
}

/* Start an empty message in 'w'. */
static void
of_mp_writer_reset(struct of_mp_writer *w)
{
	w->size = OF_MP_HEADER_SIZE;
}

/* Finish the message in 'w' with 'flags' and hand it to the emitter. */
static void
of_mp_writer_emit(struct of_mp_writer *w, uint16_t flags)
{
	of_put_header(w->buf, OFPT_MULTIPART_REPLY, w->size, w->xid);
	of_put_be16(w->buf + 8, w->type);
	of_put_be16(w->buf + 10, flags);
	memset(w->buf + 12, 0, 4);
	w->emit(w->buf, w->size, w->arg);
	w->n_msgs++;
	of_mp_writer_reset(w);
}

void
of_mp_writer_init(struct of_mp_writer *w, uint16_t type, uint32_t xid, of_mp_emit_fn *emit,
		  void *arg)
{
	w->type = type;
	w->xid = xid;
	w->emit = emit;
	w->arg = arg;
	w->n_msgs = 0;
	of_mp_writer_reset(w);
}

int
of_mp_writer_add(struct of_mp_writer *w, const uint8_t *entry, size_t size)
{
	if (size > OF_MP_BODY_MAX) {
		return -EMSGSIZE;
	}
	/* Only now is it known that the current message is not the last. */
	if (w->size + size > OFP_MSG_MAX) {
		of_mp_writer_emit(w, OFPMPF_REPLY_MORE);
	}
	memcpy(w->buf + w->size, entry, size);
	w->size += size;
	return 0;
}

int
of_mp_writer_finish(struct of_mp_writer *w)
{
	of_mp_writer_emit(w, 0);
	return 0;
}

int
of_desc_encode(const struct of_desc *desc, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OF_DESC_SIZE) {
		return -ENOSPC;
	}
	of_put_str(buf, desc->mfr_desc, sizeof(desc->mfr_desc));
	of_put_str(buf + 256, desc->hw_desc, sizeof(desc->hw_desc));
	of_put_str(buf + 512, desc->sw_desc, sizeof(desc->sw_desc));
	of_put_str(buf + 768, desc->serial_num, sizeof(desc->serial_num));
	of_put_str(buf + 800, desc->dp_desc, sizeof(desc->dp_desc));
	return OF_DESC_SIZE;
}

enum of_err
of_desc_decode(const uint8_t *body, size_t size, struct of_desc *out)
{
	if (size != OF_DESC_SIZE) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	of_get_str(out->mfr_desc, body, sizeof(out->mfr_desc));
	of_get_str(out->hw_desc, body + 256, sizeof(out->hw_desc));
	of_get_str(out->sw_desc, body + 512, sizeof(out->sw_desc));
	of_get_str(out->serial_num, body + 768, sizeof(out->serial_num));
	of_get_str(out->dp_desc, body + 800, sizeof(out->dp_desc));
	return OF_ERR_NONE;
}

int
of_aggregate_stats_encode(const struct of_aggregate_stats *agg, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OF_AGGREGATE_STATS_SIZE) {
		return -ENOSPC;
	}
	of_put_be64(buf, agg->packet_count);
	of_put_be64(buf + 8, agg->byte_count);
	of_put_be32(buf + 16, agg->flow_count);
	memset(buf + 20, 0, 4);
	return OF_AGGREGATE_STATS_SIZE;
}

enum of_err
of_aggregate_stats_decode(const uint8_t *body, size_t size, struct of_aggregate_stats *out)
{
	if (size != OF_AGGREGATE_STATS_SIZE || !of_is_zero(body + 20, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->packet_count = of_get_be64(body);
	out->byte_count = of_get_be64(body + 8);
	out->flow_count = of_get_be32(body + 16);
	return OF_ERR_NONE;
}

int
of_table_stats_encode(const struct of_table_stats *ts, uint8_t *buf, size_t buf_size)
{
	if (buf_size < OF_TABLE_STATS_SIZE) {
		return -ENOSPC;
	}
	buf[0] = ts->table_id;
	memset(buf + 1, 0, 3);
	of_put_be32(buf + 4, ts->active_count);
	of_put_be64(buf + 8, ts->lookup_count);
	of_put_be64(buf + 16, ts->matched_count);
	return OF_TABLE_STATS_SIZE;
}

enum of_err
of_table_stats_decode(const uint8_t *entry, size_t size, struct of_table_stats *out)
{
	if (size != OF_TABLE_STATS_SIZE || !of_is_zero(entry + 1, 3)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->table_id = entry[0];
	out->active_count = of_get_be32(entry + 4);
	out->lookup_count = of_get_be64(entry + 8);
	out->matched_count = of_get_be64(entry + 16);
	return OF_ERR_NONE;
}

/* The twelve 64-bit counters of ofp_port_stats, in wire order from offset 8. */
#define OF_PORT_STATS_COUNTERS(ps)                                                                 \
	{                                                                                          \
		&(ps)->rx_packets, &(ps)->tx_packets, &(ps)->rx_bytes, &(ps)->tx_bytes,            \
		    &(ps)->rx_dropped, &(ps)->tx_dropped, &(ps)->rx_errors, &(ps)->tx_errors,      \
		    &(ps)->rx_frame_err, &(ps)->rx_over_err, &(ps)->rx_crc_err, &(ps)->collisions, \
	}

int
of_port_stats_encode(const struct of_port_stats *ps, uint8_t *buf, size_t buf_size)
{
	const uint64_t *counters[] = OF_PORT_STATS_COUNTERS(ps);

	if (buf_size < OF_PORT_STATS_SIZE) {
		return -ENOSPC;
	}
	of_put_be32(buf, ps->port_no);
	memset(buf + 4, 0, 4);
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		of_put_be64(buf + 8 + 8 * i, *counters[i]);
	}
	of_put_be32(buf + 104, ps->duration_sec);
	of_put_be32(buf + 108, ps->duration_nsec);
	return OF_PORT_STATS_SIZE;
}

enum of_err
of_port_stats_decode(const uint8_t *entry, size_t size, struct of_port_stats *out)
{
	uint64_t *counters[] = OF_PORT_STATS_COUNTERS(out);

	if (size != OF_PORT_STATS_SIZE || !of_is_zero(entry + 4, 4)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->port_no = of_get_be32(entry);
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		*counters[i] = of_get_be64(entry + 8 + 8 * i);
	}
	out->duration_sec = of_get_be32(entry + 104);
	out->duration_nsec = of_get_be32(entry + 108);
	return OF_ERR_NONE;
}

int
of_flow_removed_encode(const struct of_flow_removed *fr, uint32_t xid, uint8_t *buf,
		       size_t buf_size)
{
	size_t match_size = of_match_encoded_size(&fr->match);
	size_t size = OF_FLOW_REMOVED_FIXED_SIZE + match_size;

	if (size > buf_size || size > OFP_MSG_MAX) {
		return -ENOSPC;
	}
	of_put_header(buf, OFPT_FLOW_REMOVED, size, xid);
	of_put_be64(buf + 8, fr->cookie);
	of_put_be16(buf + 16, fr->priority);
	buf[18] = fr->reason;
	buf[19] = fr->table_id;
	of_put_be32(buf + 20, fr->duration_sec);
	of_put_be32(buf + 24, fr->duration_nsec);
	of_put_be16(buf + 28, fr->idle_timeout);
	of_put_be16(buf + 30, fr->hard_timeout);
	of_put_be64(buf + 32, fr->packet_count);
	of_put_be64(buf + 40, fr->byte_count);
	if (of_match_encode(&fr->match, buf + 48, match_size) != (int)match_size) {
		return -ENOSPC;
	}
	return (int)size;
}

enum of_err
of_flow_removed_decode(const uint8_t *msg, size_t size, struct of_flow_removed *out)
{
	size_t match_size;
	enum of_err err;

	if (!of_len_ok(msg, size, OF_FLOW_REMOVED_FIXED_SIZE + OFP_MATCH_HEADER_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->cookie = of_get_be64(msg + 8);
	out->priority = of_get_be16(msg + 16);
	out->reason = msg[18];
	out->table_id = msg[19];
	out->duration_sec = of_get_be32(msg + 20);
	out->duration_nsec = of_get_be32(msg + 24);
	out->idle_timeout = of_get_be16(msg + 28);
	out->hard_timeout = of_get_be16(msg + 30);
	out->packet_count = of_get_be64(msg + 32);
	out->byte_count = of_get_be64(msg + 40);
	err = of_match_decode(msg + 48, size - 48, &out->match, &match_size);
	if (err != OF_ERR_NONE) {
		return err;
	}
	if (OF_FLOW_REMOVED_FIXED_SIZE + match_size != size) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	return OF_ERR_NONE;
}

enum of_err
of_error_decode(const uint8_t *msg, size_t size, struct of_error *out)
{
	if (!of_len_ok(msg, size, OFP_ERROR_MSG_SIZE)) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->type = of_get_be16(msg + 8);
	out->code = of_get_be16(msg + 10);
	out->data = msg + OFP_ERROR_MSG_SIZE;
	out->data_size = size - OFP_ERROR_MSG_SIZE;
	return OF_ERR_NONE;
}
