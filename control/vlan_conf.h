/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlan_conf.h - a port's VLAN settings as users write them (Open vSwitch's
 * tag, trunks, vlan_mode, cvlans and other_config:qinq-ethtype) and as the
 * configuration keeps them: a JSON object
 *
 *   {"tag": 10, "trunks": [20, 30], "vlan_mode": "native-untagged",
 *    "cvlans": [100], "qinq_ethtype": "802.1ad"}
 *
 * with every member optional.  Pure (jansson only).
 *
 * Without vlan_mode, a port with a tag is an access port and one without is
 * a trunk, as in Open vSwitch.  Combinations that mean nothing (a trunk
 * with a tag, an access port with trunks, cvlans outside dot1q-tunnel) are
 * refused rather than silently ignored.
 */
#ifndef VIREO_CONTROL_VLAN_CONF_H
#define VIREO_CONTROL_VLAN_CONF_H

#include <stddef.h>

#include <jansson.h>

#include "datapath/vlan.h"

/**
 * Checks 'vlan' (an object as above, or NULL for none) and fills 'out'
 * with what the datapath needs.  Returns 0 or -EINVAL with one line in
 * 'err'.
 */
int ctl_vlan_parse(const json_t *vlan, struct vlan_port *out, char *err, size_t err_size);

/**
 * Applies one setting typed by a user ('key' is "tag", "trunks",
 * "vlan_mode", "cvlans" or "other_config:qinq-ethtype"; 'value' as typed,
 * e.g. "10,20-22") to 'vlan'.  Returns 0, -ENOENT if 'key' is not a VLAN
 * setting, or -EINVAL with 'err'.  Does not check the whole; call
 * ctl_vlan_parse() for that.
 */
int ctl_vlan_set(json_t *vlan, const char *key, const char *value, char *err, size_t err_size);

/**
 * Removes 'values' (strings; all when empty) from column 'column' of
 * 'vlan'.  Returns 0, -ENOENT for an unknown column, or -EINVAL with 'err'.
 */
int ctl_vlan_remove(json_t *vlan, const char *column, const json_t *values, char *err,
		    size_t err_size);

/** Name of VLAN mode 'mode' as users write it. */
const char *ctl_vlan_mode_name(enum vlan_mode mode);

#endif
