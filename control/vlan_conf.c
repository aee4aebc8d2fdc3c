/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlan_conf.c - VLAN settings of ports (see vlan_conf.h).
 */
#include "control/vlan_conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const vlan_mode_names[] = {
    [VLAN_MODE_TRUNK] = "trunk",
    [VLAN_MODE_ACCESS] = "access",
    [VLAN_MODE_NATIVE_TAGGED] = "native-tagged",
    [VLAN_MODE_NATIVE_UNTAGGED] = "native-untagged",
    [VLAN_MODE_DOT1Q_TUNNEL] = "dot1q-tunnel",
};

const char *
ctl_vlan_mode_name(enum vlan_mode mode)
{
	return (unsigned)mode < sizeof(vlan_mode_names) / sizeof(vlan_mode_names[0])
		   ? vlan_mode_names[mode]
		   : "?";
}

static int
ctl_vlan_mode_parse(const char *s, enum vlan_mode *out)
{
	unsigned i;

	for (i = 0; i < sizeof(vlan_mode_names) / sizeof(vlan_mode_names[0]); i++) {
		if (strcmp(s, vlan_mode_names[i]) == 0) {
			*out = (enum vlan_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* One VLAN id 0..4094 from 's', which must end at 'stop' (or the end). */
static bool
ctl_vid_parse(const char *s, const char *stop, long *out)
{
	char *end;

	if (*s < '0' || *s > '9') {
		return false;
	}
	*out = strtol(s, &end, 10);
	return (stop != NULL ? end == stop : *end == '\0') && *out <= VLAN_MAX_VID;
}

/* Parses "10,20-22" into a sorted array of ids. */
static int
ctl_vid_list_parse(const char *s, json_t **out, char *err, size_t err_size)
{
	uint64_t bits[VLAN_N_IDS / 64] = {0};
	char *copy = strdup(s), *tok, *save = NULL;
	long lo = 0, hi = -1, v;
	int ret = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && ret == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');

		if (!ctl_vid_parse(tok, dash, &lo) ||
		    !(dash == NULL ? (hi = lo, true) : ctl_vid_parse(dash + 1, NULL, &hi)) ||
		    hi < lo) {
			snprintf(err, err_size, "bad VLAN list '%s' (VLANs 0..%d, like 10,20-22)",
				 s, VLAN_MAX_VID);
			ret = -EINVAL;
		}
		for (v = lo; ret == 0 && v <= hi; v++) {
			vlan_set_bit(bits, (uint16_t)v);
		}
	}
	free(copy);
	if (ret == 0 && s[0] == '\0') {
		snprintf(err, err_size, "empty VLAN list (use clear to remove it)");
		ret = -EINVAL;
	}
	if (ret < 0) {
		return ret;
	}
	*out = json_array();
	for (v = 0; v < VLAN_N_IDS; v++) {
		if (vlan_bit(bits, (uint16_t)v)) {
			json_array_append_new(*out, json_integer(v));
		}
	}
	return 0;
}

/* Fills 'bits' from a JSON array of ids; false if it is not one. */
static bool
ctl_vid_array(const json_t *arr, uint64_t *bits)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		return false;
	}
	json_array_foreach ((json_t *)arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > VLAN_MAX_VID) {
			return false;
		}
		vlan_set_bit(bits, (uint16_t)json_integer_value(v));
	}
	return true;
}

/* Checks the members one by one. */
static int
ctl_vlan_members(const json_t *vlan, struct vlan_port *out, bool *has_tag, char *err,
		 size_t err_size)
{
	const json_t *tag = json_object_get(vlan, "tag");
	const json_t *trunks = json_object_get(vlan, "trunks");
	const json_t *cvlans = json_object_get(vlan, "cvlans");
	const char *qinq = json_string_value(json_object_get(vlan, "qinq_ethtype"));

	*has_tag = tag != NULL;
	if (tag != NULL && (!json_is_integer(tag) || json_integer_value(tag) < 0 ||
			    json_integer_value(tag) > VLAN_MAX_VID)) {
		snprintf(err, err_size, "bad tag (0..%d)", VLAN_MAX_VID);
		return -EINVAL;
	}
	out->tag = tag != NULL ? (uint16_t)json_integer_value(tag) : 0;
	out->all_trunks = trunks == NULL;
	if (trunks != NULL && !ctl_vid_array(trunks, out->trunks)) {
		snprintf(err, err_size, "bad trunks (a list of VLANs 0..%d)", VLAN_MAX_VID);
		return -EINVAL;
	}
	out->all_cvlans = cvlans == NULL;
	if (cvlans != NULL && !ctl_vid_array(cvlans, out->cvlans)) {
		snprintf(err, err_size, "bad cvlans (a list of VLANs 0..%d)", VLAN_MAX_VID);
		return -EINVAL;
	}
	if (json_object_get(vlan, "qinq_ethtype") != NULL &&
	    (qinq == NULL || (strcmp(qinq, "802.1ad") != 0 && strcmp(qinq, "802.1q") != 0))) {
		snprintf(err, err_size, "bad qinq-ethtype (802.1ad or 802.1q)");
		return -EINVAL;
	}
	out->qinq_tpid =
	    qinq != NULL && strcmp(qinq, "802.1q") == 0 ? VLAN_TPID_8021Q : VLAN_TPID_8021AD;
	return 0;
}

int
ctl_vlan_parse(const json_t *vlan, struct vlan_port *out, char *err, size_t err_size)
{
	const char *mode = json_string_value(json_object_get(vlan, "vlan_mode"));
	enum vlan_mode m = VLAN_MODE_TRUNK;
	bool has_tag;

	memset(out, 0, sizeof(*out));
	out->all_trunks = out->all_cvlans = true;
	out->qinq_tpid = VLAN_TPID_8021AD;
	if (vlan == NULL) {
		return 0;
	}
	if (!json_is_object(vlan) || ctl_vlan_members(vlan, out, &has_tag, err, err_size) < 0) {
		if (!json_is_object(vlan)) {
			snprintf(err, err_size, "VLAN settings must be an object");
		}
		return -EINVAL;
	}
	if (json_object_get(vlan, "vlan_mode") != NULL &&
	    (mode == NULL || ctl_vlan_mode_parse(mode, &m) < 0)) {
		snprintf(err, err_size,
			 "bad vlan_mode (access, trunk, native-tagged, native-untagged, "
			 "dot1q-tunnel)");
		return -EINVAL;
	}
	if (mode == NULL) {
		m = has_tag ? VLAN_MODE_ACCESS : VLAN_MODE_TRUNK;
	}
	out->mode = (uint8_t)m;
	if (m != VLAN_MODE_TRUNK && !has_tag) {
		snprintf(err, err_size, "vlan_mode %s needs a tag", ctl_vlan_mode_name(m));
		return -EINVAL;
	}
	if (m == VLAN_MODE_TRUNK && has_tag) {
		snprintf(
		    err, err_size,
		    "a trunk port takes no tag (for a native VLAN, set vlan_mode=native-tagged "
		    "or native-untagged)");
		return -EINVAL;
	}
	if ((m == VLAN_MODE_ACCESS || m == VLAN_MODE_DOT1Q_TUNNEL) && !out->all_trunks) {
		snprintf(err, err_size, "an %s port takes no trunks",
			 m == VLAN_MODE_ACCESS ? "access" : "dot1q-tunnel");
		return -EINVAL;
	}
	if (m != VLAN_MODE_DOT1Q_TUNNEL && !out->all_cvlans) {
		snprintf(err, err_size, "cvlans are for vlan_mode=dot1q-tunnel only");
		return -EINVAL;
	}
	return 0;
}

int
ctl_vlan_set(json_t *vlan, const char *key, const char *value, char *err, size_t err_size)
{
	json_t *list;
	long v;
	enum vlan_mode m;

	if (strcmp(key, "tag") == 0) {
		if (!ctl_vid_parse(value, NULL, &v)) {
			snprintf(err, err_size, "bad tag '%s' (0..%d)", value, VLAN_MAX_VID);
			return -EINVAL;
		}
		return json_object_set_new(vlan, "tag", json_integer(v)) == 0 ? 0 : -ENOMEM;
	}
	if (strcmp(key, "trunks") == 0 || strcmp(key, "cvlans") == 0) {
		if (ctl_vid_list_parse(value, &list, err, err_size) < 0) {
			return -EINVAL;
		}
		return json_object_set_new(vlan, key, list) == 0 ? 0 : -ENOMEM;
	}
	if (strcmp(key, "vlan_mode") == 0) {
		if (ctl_vlan_mode_parse(value, &m) < 0) {
			snprintf(err, err_size,
				 "bad vlan_mode '%s' (access, trunk, native-tagged, "
				 "native-untagged, dot1q-tunnel)",
				 value);
			return -EINVAL;
		}
		return json_object_set_new(vlan, "vlan_mode", json_string(value)) == 0 ? 0
										       : -ENOMEM;
	}
	if (strcmp(key, "other_config:qinq-ethtype") == 0) {
		if (strcmp(value, "802.1ad") != 0 && strcmp(value, "802.1q") != 0) {
			snprintf(err, err_size, "bad qinq-ethtype '%s' (802.1ad or 802.1q)", value);
			return -EINVAL;
		}
		return json_object_set_new(vlan, "qinq_ethtype", json_string(value)) == 0 ? 0
											  : -ENOMEM;
	}
	return -ENOENT;
}

static const char *
ctl_vlan_member(const char *column)
{
	if (strcmp(column, "tag") == 0 || strcmp(column, "trunks") == 0 ||
	    strcmp(column, "vlan_mode") == 0 || strcmp(column, "cvlans") == 0) {
		return column;
	}
	if (strcmp(column, "other_config:qinq-ethtype") == 0) {
		return "qinq_ethtype";
	}
	return NULL;
}

int
ctl_vlan_remove(json_t *vlan, const char *column, const json_t *values, char *err, size_t err_size)
{
	const char *member = ctl_vlan_member(column);
	json_t *cur, *rm, *keep;
	const json_t *val;
	size_t i;

	if (member == NULL) {
		return -ENOENT;
	}
	cur = json_object_get(vlan, member);
	if (cur == NULL || json_array_size(values) == 0) {
		json_object_del(vlan, member);
		return 0;
	}
	if (!json_is_array(cur)) {
		/* remove port P tag 10: only if that is the tag. */
		json_array_foreach ((json_t *)values, i, val) {
			if (json_is_string(val) && json_is_integer(cur) &&
			    atol(json_string_value(val)) == json_integer_value(cur)) {
				json_object_del(vlan, member);
			}
		}
		return 0;
	}
	keep = json_array();
	json_array_foreach (cur, i, val) {
		size_t j;
		bool drop = false;

		json_array_foreach ((json_t *)values, j, rm) {
			drop |= json_is_string(rm) &&
				atol(json_string_value(rm)) == json_integer_value(val);
		}
		if (!drop) {
			json_array_append(keep, (json_t *)val);
		}
	}
	(void)err;
	(void)err_size;
	if (json_array_size(keep) == 0) {
		json_decref(keep);
		json_object_del(vlan, member);
		return 0;
	}
	return json_object_set_new(vlan, member, keep) == 0 ? 0 : -ENOMEM;
}
