/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_msg.c - OpenFlow framing and handshake messages [OpenFlow 1.3.5, 7.1,
 * 7.3.1, 7.3.7, 7.5.1, 6.3.1]. See of_msg.h for the contracts and limits.
 */
#include "protocols/openflow/of_msg.h"

#include <errno.h>
#include <string.h>

#include "protocols/openflow/of_wire.h"

/* Hello elements and their padding end on an 8-byte boundary [7.5.1]. */
enum of_err
of_msg_frame(const uint8_t *buf, size_t size, struct of_header *hdr, size_t *msg_size)
{
	*msg_size = 0;
	if (size < OFP_HEADER_SIZE) {
		return OF_ERR_NONE;
	}
	hdr->version = buf[0];
	hdr->type = buf[1];
	hdr->length = of_get_be16(buf + 2);
	hdr->xid = of_get_be32(buf + 4);
	if (hdr->length < OFP_HEADER_SIZE) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	if (hdr->version != OFP_VERSION && hdr->type != OFPT_HELLO) {
		return OF_ERR_BAD_REQUEST_BAD_VERSION;
	}
	if (hdr->length <= size) {
		*msg_size = hdr->length;
	}
	return OF_ERR_NONE;
}

void
of_header_put(uint8_t *buf, const struct of_header *hdr)
{
	buf[0] = hdr->version;
	buf[1] = hdr->type;
	of_put_be16(buf + 2, hdr->length);
	of_put_be32(buf + 4, hdr->xid);
}

static enum of_err
of_hello_bitmap_decode(const uint8_t *elem, size_t elem_size, struct of_hello *out)
{
	size_t n_words = (elem_size - OFP_HELLO_ELEM_HEADER_SIZE) / 4;

	if (elem_size <= OFP_HELLO_ELEM_HEADER_SIZE || elem_size % 4 != 0) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	if (n_words > sizeof(out->bitmaps) / sizeof(out->bitmaps[0])) {
		n_words = sizeof(out->bitmaps) / sizeof(out->bitmaps[0]);
	}
	out->has_bitmap = true;
	out->n_bitmaps = (uint32_t)n_words;
	for (size_t i = 0; i < n_words; i++) {
		out->bitmaps[i] = of_get_be32(elem + OFP_HELLO_ELEM_HEADER_SIZE + 4 * i);
	}
	return OF_ERR_NONE;
}

enum of_err
of_hello_decode(const uint8_t *msg, size_t size, struct of_hello *out)
{
	size_t off = OFP_HEADER_SIZE;
	enum of_err err;

	memset(out, 0, sizeof(*out));
	if (size < OFP_HEADER_SIZE || of_get_be16(msg + 2) != size) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->version = msg[0];
	out->xid = of_get_be32(msg + 4);
	while (off < size) {
		size_t left = size - off;
		uint16_t type, elem_size;

		if (left < OFP_HELLO_ELEM_HEADER_SIZE) {
			return OF_ERR_BAD_REQUEST_BAD_LEN;
		}
		type = of_get_be16(msg + off);
		elem_size = of_get_be16(msg + off + 2);
		/* Each element is followed by zero padding to 8 bytes [7.5.1]. */
		if (elem_size < OFP_HELLO_ELEM_HEADER_SIZE || of_pad8(elem_size) > left ||
		    !of_is_zero(msg + off + elem_size, of_pad8(elem_size) - elem_size)) {
			return OF_ERR_BAD_REQUEST_BAD_LEN;
		}
		/* Unknown element types must be ignored [7.5.1]. */
		if (type == OFPHET_VERSIONBITMAP && !out->has_bitmap) {
			err = of_hello_bitmap_decode(msg + off, elem_size, out);
			if (err != OF_ERR_NONE) {
				return err;
			}
		}
		off += of_pad8(elem_size);
	}
	return OF_ERR_NONE;
}

int
of_hello_encode(const struct of_hello *hello, uint8_t *buf, size_t buf_size)
{
	size_t elem_size = OFP_HELLO_ELEM_HEADER_SIZE + 4 * (size_t)hello->n_bitmaps;
	size_t size = OFP_HEADER_SIZE;
	struct of_header hdr;

	if (hello->has_bitmap) {
		size += of_pad8(elem_size);
	}
	if (buf_size < size || hello->n_bitmaps > 8) {
		return -ENOSPC;
	}
	hdr = (struct of_header){hello->version, OFPT_HELLO, (uint16_t)size, hello->xid};
	of_header_put(buf, &hdr);
	if (!hello->has_bitmap) {
		return (int)size;
	}
	memset(buf + OFP_HEADER_SIZE, 0, size - OFP_HEADER_SIZE);
	of_put_be16(buf + OFP_HEADER_SIZE, OFPHET_VERSIONBITMAP);
	of_put_be16(buf + OFP_HEADER_SIZE + 2, (uint16_t)elem_size);
	for (uint32_t i = 0; i < hello->n_bitmaps; i++) {
		of_put_be32(buf + OFP_HEADER_SIZE + OFP_HELLO_ELEM_HEADER_SIZE + 4 * i,
			    hello->bitmaps[i]);
	}
	return (int)size;
}

void
of_hello_ours(uint32_t xid, struct of_hello *out)
{
	memset(out, 0, sizeof(*out));
	out->version = OFP_VERSION;
	out->xid = xid;
	out->has_bitmap = true;
	out->n_bitmaps = 1;
	out->bitmaps[0] = 1u << OFP_VERSION;
}

/* Highest version set in both our bitmap and the peer's. */
static int
of_hello_common_version(const struct of_hello *hello)
{
	struct of_hello ours;

	of_hello_ours(0, &ours);
	for (int v = 32 * (int)ours.n_bitmaps - 1; v >= 0; v--) {
		uint32_t bit = 1u << (v % 32);

		if ((uint32_t)v / 32 < hello->n_bitmaps && (ours.bitmaps[v / 32] & bit) != 0 &&
		    (hello->bitmaps[v / 32] & bit) != 0) {
			return v;
		}
	}
	return -1;
}

enum of_err
of_hello_negotiate(const struct of_hello *hello, uint8_t *version)
{
	int v;

	if (hello->has_bitmap) {
		v = of_hello_common_version(hello);
	} else {
		v = hello->version < OFP_VERSION ? hello->version : OFP_VERSION;
	}
	if (v != OFP_VERSION) {
		return OF_ERR_HELLO_FAILED_INCOMPATIBLE;
	}
	*version = (uint8_t)v;
	return OF_ERR_NONE;
}

int
of_echo_reply_encode(const uint8_t *req, size_t size, uint8_t *buf, size_t buf_size)
{
	if (size < OFP_HEADER_SIZE || size > UINT16_MAX) {
		return -EINVAL;
	}
	if (buf_size < size) {
		return -ENOSPC;
	}
	memmove(buf, req, size);
	buf[0] = OFP_VERSION;
	buf[1] = OFPT_ECHO_REPLY;
	of_put_be16(buf + 2, (uint16_t)size);
	return (int)size;
}

int
of_features_reply_encode(const struct of_features *f, uint32_t xid, uint8_t *buf, size_t buf_size)
{
	struct of_header hdr = {OFP_VERSION, OFPT_FEATURES_REPLY, OFP_SWITCH_FEATURES_SIZE, xid};

	if (buf_size < OFP_SWITCH_FEATURES_SIZE) {
		return -ENOSPC;
	}
	of_header_put(buf, &hdr);
	of_put_be64(buf + 8, f->datapath_id);
	of_put_be32(buf + 16, f->n_buffers);
	buf[20] = f->n_tables;
	buf[21] = f->auxiliary_id;
	buf[22] = 0; /* pad[2] */
	buf[23] = 0;
	of_put_be32(buf + 24, f->capabilities);
	of_put_be32(buf + 28, 0); /* reserved */
	return OFP_SWITCH_FEATURES_SIZE;
}

enum of_err
of_features_reply_decode(const uint8_t *msg, size_t size, struct of_features *out)
{
	if (size != OFP_SWITCH_FEATURES_SIZE || of_get_be16(msg + 2) != size) {
		return OF_ERR_BAD_REQUEST_BAD_LEN;
	}
	out->datapath_id = of_get_be64(msg + 8);
	out->n_buffers = of_get_be32(msg + 16);
	out->n_tables = msg[20];
	out->auxiliary_id = msg[21];
	out->capabilities = of_get_be32(msg + 24);
	return OF_ERR_NONE;
}

int
of_barrier_reply_encode(uint32_t xid, uint8_t *buf, size_t buf_size)
{
	struct of_header hdr = {OFP_VERSION, OFPT_BARRIER_REPLY, OFP_HEADER_SIZE, xid};

	if (buf_size < OFP_HEADER_SIZE) {
		return -ENOSPC;
	}
	of_header_put(buf, &hdr);
	return OFP_HEADER_SIZE;
}
