/* SPDX-License-Identifier: Apache-2.0 */
/*
 * of_err.h - every OpenFlow error the agent can send, as one enum, and the
 * single table that maps each to its wire (type, code) [OpenFlow 1.3.5,
 * 7.4.4]. Decoders return an enum of_err; OF_ERR_NONE means success.
 */
#ifndef VIREO_OF_ERR_H
#define VIREO_OF_ERR_H

#include <stddef.h>
#include <stdint.h>

/* X(name, ofp error type, ofp error code) */
#define OF_ERR_LIST(X)                                                                            \
	X(HELLO_FAILED_INCOMPATIBLE, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE)                     \
	X(HELLO_FAILED_EPERM, OFPET_HELLO_FAILED, OFPHFC_EPERM)                                   \
	X(BAD_REQUEST_BAD_VERSION, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION)                         \
	X(BAD_REQUEST_BAD_TYPE, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE)                               \
	X(BAD_REQUEST_BAD_MULTIPART, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART)                     \
	X(BAD_REQUEST_BAD_EXPERIMENTER, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER)               \
	X(BAD_REQUEST_EPERM, OFPET_BAD_REQUEST, OFPBRC_EPERM)                                     \
	X(BAD_REQUEST_BAD_LEN, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN)                                 \
	X(BAD_REQUEST_BAD_TABLE_ID, OFPET_BAD_REQUEST, OFPBRC_BAD_TABLE_ID)                       \
	X(BAD_REQUEST_IS_SLAVE, OFPET_BAD_REQUEST, OFPBRC_IS_SLAVE)                               \
	X(BAD_REQUEST_BAD_PORT, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT)                               \
	X(BAD_MATCH_BAD_TYPE, OFPET_BAD_MATCH, OFPBMC_BAD_TYPE)                                   \
	X(BAD_MATCH_BAD_LEN, OFPET_BAD_MATCH, OFPBMC_BAD_LEN)                                     \
	X(BAD_MATCH_BAD_WILDCARDS, OFPET_BAD_MATCH, OFPBMC_BAD_WILDCARDS)                         \
	X(BAD_MATCH_BAD_FIELD, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD)                                 \
	X(BAD_MATCH_BAD_VALUE, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE)                                 \
	X(BAD_MATCH_BAD_MASK, OFPET_BAD_MATCH, OFPBMC_BAD_MASK)                                   \
	X(BAD_MATCH_BAD_PREREQ, OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ)                               \
	X(BAD_MATCH_DUP_FIELD, OFPET_BAD_MATCH, OFPBMC_DUP_FIELD)                                 \
	X(BAD_REQUEST_BAD_EXP_TYPE, OFPET_BAD_REQUEST, OFPBRC_BAD_EXP_TYPE)                       \
	X(BAD_REQUEST_BUFFER_UNKNOWN, OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN)                   \
	X(BAD_REQUEST_BAD_PACKET, OFPET_BAD_REQUEST, OFPBRC_BAD_PACKET)                           \
	X(BAD_REQUEST_MULTIPART_BUFFER_OVERFLOW, OFPET_BAD_REQUEST,                               \
	  OFPBRC_MULTIPART_BUFFER_OVERFLOW)                                                       \
	X(BAD_MATCH_BAD_TAG, OFPET_BAD_MATCH, OFPBMC_BAD_TAG)                                     \
	X(BAD_ACTION_BAD_TYPE, OFPET_BAD_ACTION, OFPBAC_BAD_TYPE)                                 \
	X(BAD_ACTION_BAD_LEN, OFPET_BAD_ACTION, OFPBAC_BAD_LEN)                                   \
	X(BAD_ACTION_BAD_EXPERIMENTER, OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER)                 \
	X(BAD_ACTION_BAD_OUT_PORT, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT)                         \
	X(BAD_ACTION_BAD_ARGUMENT, OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT)                         \
	X(BAD_ACTION_TOO_MANY, OFPET_BAD_ACTION, OFPBAC_TOO_MANY)                                 \
	X(BAD_ACTION_BAD_QUEUE, OFPET_BAD_ACTION, OFPBAC_BAD_QUEUE)                               \
	X(BAD_ACTION_BAD_OUT_GROUP, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP)                       \
	X(BAD_ACTION_MATCH_INCONSISTENT, OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT)             \
	X(BAD_ACTION_UNSUPPORTED_ORDER, OFPET_BAD_ACTION, OFPBAC_UNSUPPORTED_ORDER)               \
	X(BAD_ACTION_BAD_TAG, OFPET_BAD_ACTION, OFPBAC_BAD_TAG)                                   \
	X(BAD_ACTION_BAD_SET_TYPE, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE)                         \
	X(BAD_ACTION_BAD_SET_LEN, OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN)                           \
	X(BAD_ACTION_BAD_SET_ARGUMENT, OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT)                 \
	X(BAD_INSTRUCTION_UNKNOWN_INST, OFPET_BAD_INSTRUCTION, OFPBIC_UNKNOWN_INST)               \
	X(BAD_INSTRUCTION_UNSUP_INST, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST)                   \
	X(BAD_INSTRUCTION_BAD_TABLE_ID, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID)               \
	X(BAD_INSTRUCTION_UNSUP_METADATA_MASK, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_METADATA_MASK) \
	X(BAD_INSTRUCTION_BAD_EXPERIMENTER, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_EXPERIMENTER)       \
	X(BAD_INSTRUCTION_BAD_LEN, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN)                         \
	X(FLOW_MOD_FAILED_UNKNOWN, OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN)                        \
	X(FLOW_MOD_FAILED_TABLE_FULL, OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL)                  \
	X(FLOW_MOD_FAILED_BAD_TABLE_ID, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TABLE_ID)              \
	X(FLOW_MOD_FAILED_OVERLAP, OFPET_FLOW_MOD_FAILED, OFPFMFC_OVERLAP)                        \
	X(FLOW_MOD_FAILED_BAD_TIMEOUT, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TIMEOUT)                \
	X(FLOW_MOD_FAILED_BAD_COMMAND, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND)                \
	X(FLOW_MOD_FAILED_BAD_FLAGS, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_FLAGS)                    \
	X(GROUP_MOD_FAILED_INVALID_GROUP, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP)          \
	X(PORT_MOD_FAILED_BAD_PORT, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT)                      \
	X(PORT_MOD_FAILED_BAD_HW_ADDR, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR)                \
	X(PORT_MOD_FAILED_BAD_CONFIG, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG)                  \
	X(TABLE_MOD_FAILED_BAD_TABLE, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_TABLE)                  \
	X(TABLE_MOD_FAILED_BAD_CONFIG, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG)                \
	X(SWITCH_CONFIG_FAILED_BAD_FLAGS, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_FLAGS)          \
	X(SWITCH_CONFIG_FAILED_BAD_LEN, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_LEN)              \
	X(ROLE_REQUEST_FAILED_BAD_ROLE, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE)              \
	X(ROLE_REQUEST_FAILED_STALE, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_STALE)                    \
	X(METER_MOD_FAILED_UNKNOWN_METER, OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER)          \
	X(QUEUE_OP_FAILED_BAD_PORT, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT)                      \
	X(TABLE_FEATURES_FAILED_EPERM, OFPET_TABLE_FEATURES_FAILED, OFPTFFC_EPERM)

/** Every OpenFlow error the agent reports; OF_ERR_NONE is success. */
enum of_err {
	OF_ERR_NONE = 0,
#define OF_ERR_ENUM(name, type, code) OF_ERR_##name,
	OF_ERR_LIST(OF_ERR_ENUM)
#undef OF_ERR_ENUM
	    OF_ERR_MAX
};

/** Most bytes of the offending request an error message carries. */
#define OF_ERR_DATA_MAX 64

/**
 * The wire error type (enum ofp_error_type) of 'err'. 'err' must not be
 * OF_ERR_NONE. Any thread.
 */
uint16_t of_err_type(enum of_err err);

/** The wire error code of 'err' within its type. Any thread. */
uint16_t of_err_code(enum of_err err);

/** Static name of 'err' as the spec spells it, e.g. "OFPBMC_BAD_PREREQ". */
const char *of_err_name(enum of_err err);

/**
 * Encode an OFPT_ERROR message for 'err' into 'buf' ('buf_size' bytes).
 * 'req' ('req_size' bytes, borrowed, may be NULL) is the offending request:
 * its xid is echoed when it holds a full header, and its first
 * OF_ERR_DATA_MAX bytes become the error's data. Returns the message size,
 * or -ENOSPC when 'buf' is too small, or -EINVAL for OF_ERR_NONE.
 */
int of_err_encode(enum of_err err, const uint8_t *req, size_t req_size, uint8_t *buf,
		  size_t buf_size);

/**
 * Encode an OFPT_ERROR message for 'err' replying to 'xid', whose data is
 * the ASCII 'text' (borrowed, no NUL sent): the form the spec gives
 * HELLO_FAILED errors [7.4.4.1]. Returns the message size, or -ENOSPC when
 * 'buf' is too small, or -EINVAL for OF_ERR_NONE or a text over 1024 bytes.
 */
int of_err_encode_text(enum of_err err, uint32_t xid, const char *text, uint8_t *buf,
		       size_t buf_size);

#endif /* VIREO_OF_ERR_H */
