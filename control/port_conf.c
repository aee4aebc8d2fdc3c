/* SPDX-License-Identifier: Apache-2.0 */
/*
 * port_conf.c - names, MACs and port options (see port_conf.h).
 */
#include "control/port_conf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
ctl_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len >= CTL_NAME_SIZE || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) && strchr("_.-", name[i]) == NULL) {
			return false;
		}
	}
	return true;
}

int
ctl_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	int i;

	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
				      &v[4], &v[5], &tail) != 6) {
		return -EINVAL;
	}
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]) ||
		    (i < 5 && s[i * 3 + 2] != ':')) {
			return -EINVAL;
		}
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

void
ctl_format_mac(const uint8_t mac[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

int
ctl_parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;

	/* inet_pton(), unlike inet_aton(), takes only the full dotted quad:
	 * no "1.2.3", no hex or octal parts, no trailing junk. */
	if (inet_pton(AF_INET, s, &a) != 1) {
		return -EINVAL;
	}
	*out = ntohl(a.s_addr);
	return 0;
}

void
ctl_format_ipv4(uint32_t ip, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

const char *
ctl_port_type_name(enum ctl_port_type type)
{
	switch (type) {
	case CTL_PORT_INTERNAL:
		return "internal";
	case CTL_PORT_TAP:
		return "tap";
	case CTL_PORT_DPDK:
		return "dpdk";
	case CTL_PORT_VHOST:
		return "vhost-user";
	case CTL_PORT_VHOST_CLIENT:
		return "vhost-user-client";
	case CTL_PORT_VXLAN:
		return "vxlan";
	}
	return "?";
}

bool
ctl_parse_range(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *out >= min && *out <= max;
}

int
ctl_parse_dpid(const char *s, uint64_t *out)
{
	if (strlen(s) != 16 || strspn(s, "0123456789abcdefABCDEF") != 16) {
		return -EINVAL;
	}
	*out = strtoull(s, NULL, 16);
	return *out != 0 ? 0 : -ERANGE;
}

bool
ctl_fail_mode_valid(const char *mode)
{
	return strcmp(mode, "standalone") == 0 || strcmp(mode, "secure") == 0;
}

static int
ctl_parse_mtu(const char *s, uint32_t *mtu, char *err, size_t err_size)
{
	long v;

	if (!ctl_parse_range(s, TAP_MIN_MTU, TAP_MAX_MTU, &v)) {
		snprintf(err, err_size, "bad mtu '%s' (%d..%d)", s, TAP_MIN_MTU, TAP_MAX_MTU);
		return -EINVAL;
	}
	*mtu = (uint32_t)v;
	return 0;
}

/* One option of a tap port. */
static int
ctl_tap_option(struct ctl_port_conf *out, const char *key, const char *val, char *err,
	       size_t err_size)
{
	int n;

	if (strcmp(key, "netns") == 0) {
		size_t len = strlen(val);

		if (len == 0 || len > 200 ||
		    (val[0] != '/' && (strchr(val, '/') != NULL || strcmp(val, ".") == 0 ||
				       strcmp(val, "..") == 0))) {
			snprintf(err, err_size,
				 "bad netns '%s' (a name under /run/netns or an absolute path)",
				 val);
			return -EINVAL;
		}
		out->netns = val;
		return 0;
	}
	if (strcmp(key, "ip") == 0) {
		n = tap_parse_addrs(val, out->addrs, CTL_MAX_ADDRS, err, err_size);
		if (n < 0) {
			return n;
		}
		out->n_addrs = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "mac") == 0) {
		if (ctl_parse_mac(val, out->mac) < 0 || (out->mac[0] & 1) != 0) {
			snprintf(err, err_size, "bad mac '%s' (a unicast xx:xx:xx:xx:xx:xx)", val);
			return -EINVAL;
		}
		out->has_mac = true;
		return 0;
	}
	if (strcmp(key, "mtu") == 0) {
		return ctl_parse_mtu(val, &out->mtu, err, err_size);
	}
	snprintf(err, err_size, "unknown option '%s' for a tap port (netns, ip, mac, mtu)", key);
	return -EINVAL;
}

/* One option of a dpdk port. */
static int
ctl_dpdk_option(struct ctl_port_conf *out, const char *key, const char *val, char *err,
		size_t err_size)
{
	if (strcmp(key, "devargs") == 0) {
		if (val[0] == '\0' || val[0] == ',') {
			snprintf(err, err_size, "bad devargs '%s'", val);
			return -EINVAL;
		}
		out->devargs = val;
		return 0;
	}
	if (strcmp(key, "mtu") == 0) {
		return ctl_parse_mtu(val, &out->mtu, err, err_size);
	}
	snprintf(err, err_size, "unknown option '%s' for a dpdk port (devargs, mtu)", key);
	return -EINVAL;
}

/* One option of a vhost-user port, either mode. */
static int
ctl_vhost_option(struct ctl_port_conf *out, const char *key, const char *val, char *err,
		 size_t err_size)
{
	long v;

	if (strcmp(key, "queues") == 0) {
		if (!ctl_parse_range(val, 1, CTL_VHOST_MAX_QUEUES, &v)) {
			snprintf(err, err_size, "bad queues '%s' (1..%d)", val,
				 CTL_VHOST_MAX_QUEUES);
			return -EINVAL;
		}
		out->queues = (uint16_t)v;
		return 0;
	}
	if (strcmp(key, "vhost-server-path") == 0 && out->type == CTL_PORT_VHOST_CLIENT) {
		if (val[0] != '/' || strlen(val) >= CTL_SOCKET_PATH_SIZE ||
		    strchr(val, ',') != NULL) {
			snprintf(err, err_size,
				 "bad vhost-server-path '%s' (an absolute path, under %d bytes, "
				 "without commas)",
				 val, CTL_SOCKET_PATH_SIZE);
			return -EINVAL;
		}
		out->server_path = val;
		return 0;
	}
	snprintf(err, err_size, "unknown option '%s' for a %s port (%s)", key,
		 ctl_port_type_name(out->type),
		 out->type == CTL_PORT_VHOST ? "queues" : "vhost-server-path, queues");
	return -EINVAL;
}

/* An option's value as an error message shows it: the empty string as ''. */
static const char *
ctl_shown(const char *val)
{
	return val[0] != '\0' ? val : "''";
}

/*
 * Parses the whole of 's' as an unsigned decimal, or as hex after "0x"
 * when 'hex_ok', of at most 'max'.  A decimal with a leading zero is
 * refused rather than read: OVS reads key and tos with strtol(..., 0),
 * where "010" is octal 8, and silently reading it as 10 would differ.
 */
static bool
ctl_parse_number(const char *s, bool hex_ok, unsigned long max, unsigned long *out)
{
	const char *charset = "0123456789";
	int base = 10;
	char *end;

	if (hex_ok && (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0)) {
		s += 2;
		charset = "0123456789abcdefABCDEF";
		base = 16;
	} else if (s[0] == '0' && s[1] != '\0') {
		return false;
	}
	/* Checked first: strtoul() itself would take spaces, a sign, or a second "0x". */
	if (s[0] == '\0' || strspn(s, charset) != strlen(s)) {
		return false;
	}
	errno = 0;
	*out = strtoul(s, &end, base);
	return errno == 0 && *end == '\0' && *out <= max;
}

/* options:remote_ip or options:local_ip: a unicast IPv4 address a tunnel can use. */
static int
ctl_tnl_addr(const char *key, const char *val, uint32_t *ip, char *err, size_t err_size)
{
	const char *why = NULL;

	if (ctl_parse_ipv4(val, ip) < 0) {
		snprintf(err, err_size, "vxlan port: options:%s must be an IPv4 address%s, not %s",
			 key, strcmp(key, "remote_ip") == 0 ? " or flow" : "", ctl_shown(val));
		return -EINVAL;
	}
	if (*ip == 0) {
		why = "the unspecified address";
	} else if (*ip == 0xffffffff) {
		why = "the broadcast address";
	} else if ((*ip >> 28) == 0xe) {
		why = "multicast";
	} else if ((*ip >> 24) == 127) {
		why = "loopback";
	}
	if (why != NULL) {
		snprintf(err, err_size,
			 "vxlan port: options:%s %s is %s; a tunnel endpoint must be unicast", key,
			 val, why);
		return -EINVAL;
	}
	return 0;
}

/* A numeric vxlan option in 'min'..'max'. */
static int
ctl_tnl_number(const char *key, const char *val, unsigned long min, unsigned long max,
	       unsigned long *v, char *err, size_t err_size)
{
	*v = 0;
	if (!ctl_parse_number(val, false, max, v) || *v < min) {
		snprintf(err, err_size, "vxlan port: options:%s must be a number %lu..%lu, not %s",
			 key, min, max, ctl_shown(val));
		return -EINVAL;
	}
	return 0;
}

/* options:key: a VNI in decimal or 0x hex, or "flow". */
static int
ctl_tnl_key(const char *val, struct ctl_tnl_conf *tnl, char *err, size_t err_size)
{
	unsigned long v;

	if (strcmp(val, "flow") == 0) {
		tnl->key_flow = true;
		tnl->key = 0;
		return 0;
	}
	if (!ctl_parse_number(val, true, CTL_VXLAN_MAX_KEY, &v)) {
		snprintf(err, err_size,
			 "vxlan port: options:key must be a number 0..%d or flow, not %s%s",
			 CTL_VXLAN_MAX_KEY, ctl_shown(val),
			 val[0] == '0' && isdigit((unsigned char)val[1])
			     ? " (a leading 0 would be octal in OVS; use decimal or 0x)"
			     : "");
		return -EINVAL;
	}
	tnl->key_flow = false;
	tnl->key = (uint32_t)v;
	return 0;
}

/* One option of a vxlan port. */
static int
ctl_vxlan_option(struct ctl_tnl_conf *tnl, const char *key, const char *val, char *err,
		 size_t err_size)
{
	unsigned long v;
	int ret;

	if (strcmp(key, "remote_ip") == 0) {
		tnl->remote_flow = strcmp(val, "flow") == 0;
		tnl->remote_ip = 0;
		return tnl->remote_flow ? 0
					: ctl_tnl_addr(key, val, &tnl->remote_ip, err, err_size);
	}
	if (strcmp(key, "local_ip") == 0) {
		return ctl_tnl_addr(key, val, &tnl->local_ip, err, err_size);
	}
	if (strcmp(key, "key") == 0) {
		return ctl_tnl_key(val, tnl, err, err_size);
	}
	if (strcmp(key, "df_default") == 0) {
		if (strcmp(val, "true") != 0 && strcmp(val, "false") != 0) {
			snprintf(err, err_size,
				 "vxlan port: options:df_default must be true or false, not %s",
				 ctl_shown(val));
			return -EINVAL;
		}
		tnl->df = strcmp(val, "true") == 0;
		return 0;
	}
	/* On error the field holds garbage, which the caller ignores. */
	if (strcmp(key, "dst_port") == 0) {
		ret = ctl_tnl_number(key, val, 1, UINT16_MAX, &v, err, err_size);
		tnl->dst_port = (uint16_t)v;
		return ret;
	}
	if (strcmp(key, "tos") == 0) {
		ret = ctl_tnl_number(key, val, 0, UINT8_MAX, &v, err, err_size);
		tnl->tos = (uint8_t)v;
		return ret;
	}
	if (strcmp(key, "ttl") == 0) {
		ret = ctl_tnl_number(key, val, 1, UINT8_MAX, &v, err, err_size);
		tnl->ttl = (uint8_t)v;
		return ret;
	}
	snprintf(err, err_size,
		 "unknown option '%s' for a vxlan port (remote_ip, key, local_ip, dst_port, tos, "
		 "ttl, df_default)",
		 key);
	return -EINVAL;
}

bool
ctl_tnl_conf_clash(const struct ctl_tnl_conf *a, const struct ctl_tnl_conf *b, char *err,
		   size_t err_size)
{
	char remote[16], key[16];

	if (a->dst_port != b->dst_port ||
	    (a->local_ip != 0 && b->local_ip != 0 && a->local_ip != b->local_ip) ||
	    a->remote_flow != b->remote_flow || a->remote_ip != b->remote_ip ||
	    a->key_flow != b->key_flow || a->key != b->key) {
		return false;
	}
	if (a->remote_flow) {
		snprintf(remote, sizeof(remote), "flow");
	} else {
		ctl_format_ipv4(a->remote_ip, remote);
	}
	if (a->key_flow) {
		snprintf(key, sizeof(key), "flow");
	} else {
		snprintf(key, sizeof(key), "%u", (unsigned)a->key);
	}
	if (err_size > 0) {
		snprintf(err, err_size,
			 "another tunnel port already has remote_ip=%s key=%s on dst_port %u",
			 remote, key, (unsigned)a->dst_port);
	}
	return true;
}

static int
ctl_port_type_parse(const char *type, enum ctl_port_type *out, char *err, size_t err_size)
{
	if (type == NULL || type[0] == '\0' || strcmp(type, "tap") == 0) {
		*out = CTL_PORT_TAP;
	} else if (strcmp(type, "dpdk") == 0) {
		*out = CTL_PORT_DPDK;
	} else if (strcmp(type, "internal") == 0) {
		*out = CTL_PORT_INTERNAL;
	} else if (strcmp(type, "vhost-user") == 0 || strcmp(type, "dpdkvhostuser") == 0) {
		*out = CTL_PORT_VHOST;
	} else if (strcmp(type, "vhost-user-client") == 0 ||
		   strcmp(type, "dpdkvhostuserclient") == 0) {
		*out = CTL_PORT_VHOST_CLIENT;
	} else if (strcmp(type, "vxlan") == 0) {
		*out = CTL_PORT_VXLAN;
	} else {
		snprintf(err, err_size,
			 "unknown interface type '%s' (tap, dpdk, vhost-user, vhost-user-client, "
			 "vxlan)",
			 type);
		return -EINVAL;
	}
	return 0;
}

int
ctl_port_conf_parse(const char *type, const json_t *options, struct ctl_port_conf *out, char *err,
		    size_t err_size)
{
	const char *key;
	json_t *val;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = ctl_port_type_parse(type, &out->type, err, err_size);
	if (ret < 0) {
		return ret;
	}
	if (options != NULL && !json_is_object(options)) {
		snprintf(err, err_size, "options must be an object of strings");
		return -EINVAL;
	}
	if (out->type == CTL_PORT_VXLAN) {
		out->tnl.dst_port = CTL_VXLAN_DEFAULT_PORT;
		out->tnl.ttl = CTL_TNL_DEFAULT_TTL;
		out->tnl.df = true;
	}
	json_object_foreach ((json_t *)options, key, val) {
		if (!json_is_string(val)) {
			snprintf(err, err_size, "option '%s' must be a string", key);
			return -EINVAL;
		}
		if (out->type == CTL_PORT_TAP) {
			ret = ctl_tap_option(out, key, json_string_value(val), err, err_size);
		} else if (out->type == CTL_PORT_DPDK) {
			ret = ctl_dpdk_option(out, key, json_string_value(val), err, err_size);
		} else if (out->type == CTL_PORT_VHOST || out->type == CTL_PORT_VHOST_CLIENT) {
			ret = ctl_vhost_option(out, key, json_string_value(val), err, err_size);
		} else if (out->type == CTL_PORT_VXLAN) {
			ret =
			    ctl_vxlan_option(&out->tnl, key, json_string_value(val), err, err_size);
		} else {
			snprintf(err, err_size, "internal ports take no options");
			ret = -EINVAL;
		}
		if (ret < 0) {
			return ret;
		}
	}
	if (out->type == CTL_PORT_DPDK && out->devargs == NULL) {
		snprintf(err, err_size, "a dpdk port needs options:devargs");
		return -EINVAL;
	}
	if (out->type == CTL_PORT_VHOST_CLIENT && out->server_path == NULL) {
		snprintf(err, err_size, "a vhost-user-client port needs options:vhost-server-path");
		return -EINVAL;
	}
	if (out->type == CTL_PORT_VXLAN && !out->tnl.remote_flow && out->tnl.remote_ip == 0) {
		snprintf(err, err_size, "vxlan port needs options:remote_ip");
		return -EINVAL;
	}
	if (out->queues == 0) {
		out->queues = CTL_VHOST_DEFAULT_QUEUES;
	}
	return 0;
}
