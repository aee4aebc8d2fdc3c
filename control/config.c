/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the configuration store (see config.h).
 */
#include "control/config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control/port_conf.h"
#include "control/vlan_conf.h"
#include "protocols/openflow/of_conn.h"

json_t *
ctl_config_empty(void)
{
	return json_pack("{s:i, s:[]}", "version", CTL_CONFIG_VERSION, "bridges");
}

/* Checks a "name" member and that it is not taken; records it in 'names'. */
static int
ctl_check_name(const json_t *obj, const char *where, json_t *names, char *err, size_t err_size)
{
	const char *name = json_string_value(json_object_get(obj, "name"));

	if (name == NULL || !ctl_name_valid(name)) {
		snprintf(err, err_size, "%s: missing or bad \"name\"", where);
		return -EINVAL;
	}
	if (json_object_get(names, name) != NULL) {
		snprintf(err, err_size, "%s: name '%s' used twice", where, name);
		return -EINVAL;
	}
	json_object_set_new(names, name, json_true());
	return 0;
}

static int
ctl_check_port(const json_t *port, const char *where, json_t *names, json_t *ofports, char *err,
	       size_t err_size)
{
	struct ctl_port_conf conf;
	const json_t *mac = json_object_get(port, "mac");
	json_int_t ofport;
	char key[16], e[200];
	uint8_t m[6];

	if (!json_is_object(port)) {
		snprintf(err, err_size, "%s: expected an object", where);
		return -EINVAL;
	}
	if (ctl_check_name(port, where, names, err, err_size) < 0) {
		return -EINVAL;
	}
	ofport = json_integer_value(json_object_get(port, "ofport"));
	if (!json_is_integer(json_object_get(port, "ofport")) || ofport < 1 ||
	    ofport > CTL_OFPORT_MAX) {
		snprintf(err, err_size, "%s: missing or bad \"ofport\"", where);
		return -EINVAL;
	}
	snprintf(key, sizeof(key), "%lld", (long long)ofport);
	if (json_object_get(ofports, key) != NULL) {
		snprintf(err, err_size, "%s: ofport %s used twice", where, key);
		return -EINVAL;
	}
	json_object_set_new(ofports, key, json_true());
	if (mac != NULL && (!json_is_string(mac) || ctl_parse_mac(json_string_value(mac), m) < 0)) {
		snprintf(err, err_size, "%s: bad \"mac\"", where);
		return -EINVAL;
	}
	struct vlan_port vp;

	if (ctl_vlan_parse(json_object_get(port, "vlan"), &vp, e, sizeof(e)) < 0) {
		snprintf(err, err_size, "%s.vlan: %s", where, e);
		return -EINVAL;
	}
	if (ctl_port_conf_parse(json_string_value(json_object_get(port, "type")),
				json_object_get(port, "options"), &conf, e, sizeof(e)) < 0 ||
	    conf.type == CTL_PORT_INTERNAL) {
		snprintf(err, err_size, "%s: %s", where,
			 conf.type == CTL_PORT_INTERNAL ? "internal ports are implicit" : e);
		return -EINVAL;
	}
	return 0;
}

/* Checks a bridge's OpenFlow settings: controllers, fail_mode, datapath_id. */
static int
ctl_check_openflow(const json_t *br, const char *where, char *err, size_t err_size)
{
	const json_t *ctrls = json_object_get(br, "controllers");
	const json_t *mode = json_object_get(br, "fail_mode");
	const json_t *dpid = json_object_get(br, "datapath_id");
	uint64_t id;
	const json_t *t;
	char e[200];
	size_t i;

	if (ctrls != NULL && (!json_is_array(ctrls) || json_array_size(ctrls) > OF_TARGET_MAX)) {
		snprintf(err, err_size, "%s: bad \"controllers\" (an array of at most %d targets)",
			 where, OF_TARGET_MAX);
		return -EINVAL;
	}
	json_array_foreach (ctrls, i, t) {
		if (!json_is_string(t) || of_target_check(json_string_value(t), e, sizeof(e)) < 0) {
			snprintf(err, err_size, "%s.controllers[%zu]: %s", where, i,
				 json_is_string(t) ? e : "expected a string");
			return -EINVAL;
		}
	}
	if (mode != NULL &&
	    (!json_is_string(mode) || !ctl_fail_mode_valid(json_string_value(mode)))) {
		snprintf(err, err_size, "%s: bad \"fail_mode\" (standalone or secure)", where);
		return -EINVAL;
	}
	/* An all-zero id passes: it means "not set", as vireod never saves it. */
	if (dpid != NULL &&
	    (!json_is_string(dpid) || ctl_parse_dpid(json_string_value(dpid), &id) == -EINVAL)) {
		snprintf(err, err_size, "%s: bad \"datapath_id\" (16 hex digits)", where);
		return -EINVAL;
	}
	return 0;
}

static int
ctl_check_bridge(const json_t *br, const char *where, json_t *names, char *err, size_t err_size)
{
	const json_t *aging = json_object_get(br, "mac_aging_time");
	const json_t *ports = json_object_get(br, "ports");
	const json_t *port;
	struct vlan_port vp;
	char e[200];
	json_t *ofports;
	char pwhere[96];
	uint8_t m[6];
	size_t i;
	int ret = 0;

	if (!json_is_object(br)) {
		snprintf(err, err_size, "%s: expected an object", where);
		return -EINVAL;
	}
	if (ctl_check_name(br, where, names, err, err_size) < 0) {
		return -EINVAL;
	}
	if (!json_is_string(json_object_get(br, "mac")) ||
	    ctl_parse_mac(json_string_value(json_object_get(br, "mac")), m) < 0) {
		snprintf(err, err_size, "%s: missing or bad \"mac\"", where);
		return -EINVAL;
	}
	if (aging != NULL && (!json_is_integer(aging) || json_integer_value(aging) < 1 ||
			      json_integer_value(aging) > CTL_MAX_AGING)) {
		snprintf(err, err_size, "%s: bad \"mac_aging_time\"", where);
		return -EINVAL;
	}
	if (ctl_vlan_parse(json_object_get(br, "internal_vlan"), &vp, e, sizeof(e)) < 0) {
		snprintf(err, err_size, "%s.internal_vlan: %s", where, e);
		return -EINVAL;
	}
	if (ctl_check_openflow(br, where, err, err_size) < 0) {
		return -EINVAL;
	}
	if (!json_is_array(ports)) {
		snprintf(err, err_size, "%s: missing \"ports\" array", where);
		return -EINVAL;
	}
	ofports = json_object();
	json_array_foreach (ports, i, port) {
		snprintf(pwhere, sizeof(pwhere), "%s.ports[%zu]", where, i);
		ret = ctl_check_port(port, pwhere, names, ofports, err, err_size);
		if (ret < 0) {
			break;
		}
	}
	json_decref(ofports);
	return ret;
}

/* Refuses two tunnel ports that would receive the same packets (the
 * ports themselves were checked already). */
static int
ctl_check_tunnels(const json_t *bridges, char *err, size_t err_size)
{
	struct {
		struct ctl_tnl_conf tnl;
		const char *name;
	} seen[256];
	const json_t *br, *port;
	struct ctl_port_conf conf;
	unsigned n = 0, k;
	size_t i, j;
	char e[200];

	json_array_foreach (bridges, i, br) {
		json_array_foreach (json_object_get(br, "ports"), j, port) {
			if (ctl_port_conf_parse(json_string_value(json_object_get(port, "type")),
						json_object_get(port, "options"), &conf, e,
						sizeof(e)) < 0 ||
			    conf.type != CTL_PORT_VXLAN) {
				continue;
			}
			for (k = 0; k < n; k++) {
				if (ctl_tnl_conf_clash(&seen[k].tnl, &conf.tnl, e, sizeof(e))) {
					snprintf(err, err_size,
						 "bridges[%zu].ports[%zu]: tunnel %s would clash "
						 "with %s: %s",
						 i, j,
						 json_string_value(json_object_get(port, "name")),
						 seen[k].name, e);
					return -EINVAL;
				}
			}
			if (n == sizeof(seen) / sizeof(seen[0])) {
				snprintf(err, err_size, "too many tunnel ports (at most %zu)",
					 sizeof(seen) / sizeof(seen[0]));
				return -EINVAL;
			}
			seen[n].tnl = conf.tnl;
			seen[n++].name = json_string_value(json_object_get(port, "name"));
		}
	}
	return 0;
}

int
ctl_config_check(const json_t *doc, char *err, size_t err_size)
{
	const json_t *bridges = json_object_get(doc, "bridges");
	const json_t *br;
	json_t *names;
	char where[32];
	size_t i;
	int ret = 0;

	if (!json_is_object(doc)) {
		snprintf(err, err_size, "the document is not a JSON object");
		return -EINVAL;
	}
	if (json_integer_value(json_object_get(doc, "version")) != CTL_CONFIG_VERSION) {
		snprintf(err, err_size, "missing or unsupported \"version\" (expected %d)",
			 CTL_CONFIG_VERSION);
		return -EINVAL;
	}
	if (!json_is_array(bridges)) {
		snprintf(err, err_size, "missing \"bridges\" array");
		return -EINVAL;
	}
	names = json_object();
	json_array_foreach (bridges, i, br) {
		snprintf(where, sizeof(where), "bridges[%zu]", i);
		ret = ctl_check_bridge(br, where, names, err, err_size);
		if (ret < 0) {
			break;
		}
	}
	json_decref(names);
	return ret < 0 ? ret : ctl_check_tunnels(bridges, err, err_size);
}

int
ctl_config_load(const char *path, json_t **out, char *err, size_t err_size)
{
	char e[256];
	json_error_t jerr;
	json_t *doc;

	if (access(path, F_OK) != 0 && errno == ENOENT) {
		*out = ctl_config_empty();
		return 0;
	}
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		if (access(path, R_OK) != 0) {
			snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
			return -EACCES;
		}
		snprintf(err, err_size, "%s is corrupt: line %d column %d: %s", path, jerr.line,
			 jerr.column, jerr.text);
		return -EINVAL;
	}
	if (ctl_config_check(doc, e, sizeof(e)) < 0) {
		snprintf(err, err_size, "%s is not a valid vireo configuration: %s", path, e);
		json_decref(doc);
		return -EINVAL;
	}
	*out = doc;
	return 0;
}

static int
ctl_mkdir_p(const char *dir)
{
	char buf[4096];
	char *p;

	if (strlen(dir) >= sizeof(buf)) {
		return -ENAMETOOLONG;
	}
	strcpy(buf, dir);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
				return -errno;
			}
			*p = '/';
		}
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
		return -errno;
	}
	return 0;
}

/* Writes all of 'text' to 'fd'. */
static int
ctl_write_all(int fd, const char *text)
{
	size_t left = strlen(text);
	ssize_t n;

	while (left > 0) {
		n = write(fd, text, left);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		text += n;
		left -= (size_t)n;
	}
	return 0;
}

int
ctl_config_save(const char *path, const json_t *doc, char *err, size_t err_size)
{
	char tmp[4096], dir[4096], copy[4096];
	char *text = NULL;
	int fd = -1, dfd, ret;

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(dir, sizeof(dir), "%s", dirname(copy));
	ret = ctl_mkdir_p(dir);
	if (ret < 0) {
		snprintf(err, err_size, "cannot create %s: %s", dir, strerror(-ret));
		return ret;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	text = json_dumps(doc, JSON_INDENT(2));
	if (fd < 0 || text == NULL) {
		ret = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	ret = ctl_write_all(fd, text);
	if (ret == 0) {
		ret = ctl_write_all(fd, "\n");
	}
	if (ret == 0 && (fchmod(fd, 0644) < 0 || fsync(fd) < 0)) {
		ret = -errno;
	}
	if (close(fd) < 0 && ret == 0) {
		ret = -errno;
	}
	fd = -1;
	if (ret == 0 && rename(tmp, path) < 0) {
		ret = -errno;
	}
	if (ret == 0 && (dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	if (ret < 0) {
		snprintf(err, err_size, "cannot write %s: %s", path, strerror(-ret));
		if (fd >= 0) {
			close(fd);
		}
		unlink(tmp);
	}
	free(text);
	return ret;
}
