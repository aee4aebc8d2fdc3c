/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_msg.h - OpenFlow message framing and the handshake messages: HELLO
 * (with its version bitmap) and version negotiation, ECHO, FEATURES_REPLY
 * and BARRIER_REPLY [OpenFlow 1.3.5, 7.1, 7.3.1, 7.3.7, 7.5].
 *
 * Decoders take a complete message as framed by of_msg_frame() and fill a
 * host-order struct; encoders write into a caller's buffer and return the
 * message size or -ENOSPC. Pure C, control thread only (no shared state).
 *
 * Limits: only OpenFlow 1.3 (wire version 0x04) is negotiated. Hello
 * elements other than OFPHET_VERSIONBITMAP are skipped, as the spec asks,
 * so a HELLO carrying them re-encodes without them.
 */
#ifndef VIREO_OF_MSG_H
#define VIREO_OF_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_err.h"

/** struct ofp_header in host order. */
struct of_header {
	uint8_t version; /* Wire version, OFP_VERSION once negotiated. */
	uint8_t type;    /* enum ofp_type. */
	uint16_t length; /* Message size in bytes, header included. */
	uint32_t xid;    /* Transaction id. */
};

/** A decoded OFPT_HELLO. */
struct of_hello {
	uint8_t version;     /* Header version: the sender's highest. */
	uint32_t xid;        /* Transaction id. */
	bool has_bitmap;     /* An OFPHET_VERSIONBITMAP element was present. */
	uint32_t n_bitmaps;  /* 32-bit words in 'bitmaps' (0 to 8). */
	uint32_t bitmaps[8]; /* Bit n of word n/32 set: version n supported. */
};

/** The body of OFPT_FEATURES_REPLY (struct ofp_switch_features). */
struct of_features {
	uint64_t datapath_id;  /* Lower 48 bits: MAC; upper 16: implementer's. */
	uint32_t n_buffers;    /* Packets the switch can buffer; 0: none. */
	uint8_t n_tables;      /* Tables supported by the datapath. */
	uint8_t auxiliary_id;  /* 0 on the main connection. */
	uint32_t capabilities; /* enum ofp_capabilities bits. */
};

/**
 * Find one message at the start of 'buf' ('size' bytes, borrowed). On
 * OF_ERR_NONE, '*msg_size' is the message's size, or 0 when more bytes are
 * needed first; 'hdr' is filled once the 8-byte header is in. Errors:
 * BAD_REQUEST_BAD_LEN when the length is under 8 (the stream cannot be
 * resynchronised and must be closed); BAD_REQUEST_BAD_VERSION for a version
 * other than OFP_VERSION on anything but HELLO (HELLO is how versions are
 * found, so any version is framed for it).
 */
enum of_err of_msg_frame(const uint8_t *buf, size_t size, struct of_header *hdr, size_t *msg_size);

/** Write a bare header ('hdr', host order) into 'buf'. Needs 8 bytes. */
void of_header_put(uint8_t *buf, const struct of_header *hdr);

/**
 * Decode the framed HELLO 'msg' ('size' bytes) into 'out'. Errors:
 * BAD_REQUEST_BAD_LEN for a truncated or misaligned element, or a bitmap
 * element whose length is not 4 + 4n.
 */
enum of_err of_hello_decode(const uint8_t *msg, size_t size, struct of_hello *out);

/**
 * Encode 'hello' into 'buf'; a version bitmap element is written when
 * 'hello->has_bitmap'. Returns the size or -ENOSPC.
 */
int of_hello_encode(const struct of_hello *hello, uint8_t *buf, size_t buf_size);

/** Fill 'out' with our own HELLO: version 1.3 and a bitmap of {1.3}. */
void of_hello_ours(uint32_t xid, struct of_hello *out);

/**
 * Negotiate with the peer's 'hello' [7.5.1, 6.3.1]: with bitmaps on both
 * sides, the highest version set in both; otherwise the smaller of the two
 * header versions. On OF_ERR_NONE '*version' is OFP_VERSION; when that is not
 * the outcome, HELLO_FAILED_INCOMPATIBLE.
 */
enum of_err of_hello_negotiate(const struct of_hello *hello, uint8_t *version);

/**
 * Answer the framed ECHO_REQUEST 'req' ('size' bytes) with an ECHO_REPLY
 * carrying the same xid and data. Returns the size or -ENOSPC.
 */
int of_echo_reply_encode(const uint8_t *req, size_t size, uint8_t *buf, size_t buf_size);

/** Encode FEATURES_REPLY for 'xid'. Returns the size (32) or -ENOSPC. */
int of_features_reply_encode(const struct of_features *f, uint32_t xid, uint8_t *buf,
			     size_t buf_size);

/**
 * Decode a framed FEATURES_REPLY; BAD_REQUEST_BAD_LEN unless it is 32
 * bytes. (The switch only sends it; decoding serves tests and tools.)
 */
enum of_err of_features_reply_decode(const uint8_t *msg, size_t size, struct of_features *out);

/** Encode BARRIER_REPLY for 'xid'. Returns the size (8) or -ENOSPC. */
int of_barrier_reply_encode(uint32_t xid, uint8_t *buf, size_t buf_size);

#endif /* VIREO_OF_MSG_H */
