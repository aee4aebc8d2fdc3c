/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_err.c - the single (type, code, name) table behind enum of_err and
 * the OFPT_ERROR encoder [OpenFlow 1.3.5, 7.4.4].
 */
#include "protocols/openflow/of_err.h"

#include <errno.h>
#include <string.h>

#include "protocols/openflow/of_wire.h"

struct of_err_info {
	uint16_t type;    /* enum ofp_error_type. */
	uint16_t code;    /* Code within that type. */
	const char *name; /* Spec's name for the code. */
};

static const struct of_err_info of_err_table[OF_ERR_MAX] = {[OF_ERR_NONE] = {0, 0, "none"},
#define OF_ERR_ROW(name, type, code) [OF_ERR_##name] = {type, code, #code},
							    OF_ERR_LIST(OF_ERR_ROW)
#undef OF_ERR_ROW
};

static const struct of_err_info *
of_err_info(enum of_err err)
{
	if ((unsigned)err >= OF_ERR_MAX) {
		err = OF_ERR_NONE;
	}
	return &of_err_table[err];
}

uint16_t
of_err_type(enum of_err err)
{
	return of_err_info(err)->type;
}

uint16_t
of_err_code(enum of_err err)
{
	return of_err_info(err)->code;
}

const char *
of_err_name(enum of_err err)
{
	return of_err_info(err)->name;
}

/* Header, type and code, then 'data_size' bytes of 'data'. */
static int
of_err_put(enum of_err err, uint32_t xid, const void *data, size_t data_size, uint8_t *buf,
	   size_t buf_size)
{
	size_t msg_size = OFP_ERROR_MSG_SIZE + data_size;

	if (err == OF_ERR_NONE || (unsigned)err >= OF_ERR_MAX) {
		return -EINVAL;
	}
	if (buf_size < msg_size) {
		return -ENOSPC;
	}
	buf[0] = OFP_VERSION;
	buf[1] = OFPT_ERROR;
	of_put_be16(buf + 2, (uint16_t)msg_size);
	of_put_be32(buf + 4, xid);
	of_put_be16(buf + 8, of_err_type(err));
	of_put_be16(buf + 10, of_err_code(err));
	if (data_size > 0) {
		memcpy(buf + OFP_ERROR_MSG_SIZE, data, data_size);
	}
	return (int)msg_size;
}

int
of_err_encode(enum of_err err, const uint8_t *req, size_t req_size, uint8_t *buf, size_t buf_size)
{
	size_t data_size = req != NULL ? req_size : 0;
	uint32_t xid = data_size >= OFP_HEADER_SIZE ? of_get_be32(req + 4) : 0;

	if (data_size > OF_ERR_DATA_MAX) {
		data_size = OF_ERR_DATA_MAX;
	}
	return of_err_put(err, xid, req, data_size, buf, buf_size);
}

int
of_err_encode_text(enum of_err err, uint32_t xid, const char *text, uint8_t *buf, size_t buf_size)
{
	size_t text_len = strlen(text);

	if (text_len > 1024) {
		return -EINVAL;
	}
	return of_err_put(err, xid, text, text_len, buf, buf_size);
}
