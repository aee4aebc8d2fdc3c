/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_config.c - the configuration store: round trip, refusal of corrupt
 * or invalid documents (file left untouched), atomic replacement.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "control/config.h"

static const char good[] =
    "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": \"02:00:00:00:00:01\", "
    "\"mac_aging_time\": 60, \"ports\": [{\"name\": \"c1\", \"type\": \"tap\", \"ofport\": 1, "
    "\"mac\": \"02:00:00:00:00:02\", \"options\": {\"netns\": \"ns1\", \"ip\": "
    "\"10.0.0.1/24\"}}, {\"name\": \"n0\", \"type\": \"dpdk\", \"ofport\": 2, \"options\": "
    "{\"devargs\": \"net_null0\"}}]}]}";

struct fixture {
	char dir[64];
	char path[96];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/vireo_test_config.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/conf.json", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0) {
		return -1;
	}
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(fp);
	assert_true(fread(buf, 1, 65535, fp) > 0);
	fclose(fp);
	return buf;
}

static void
test_config_missing_file_is_empty_switch(void **state)
{
	struct fixture *f = *state;
	char err[256];
	json_t *doc;

	assert_int_equal(ctl_config_load(f->path, &doc, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "bridges")), 0);
	assert_int_equal(access(f->path, F_OK), -1);
	json_decref(doc);
}

static void
test_config_round_trip_keeps_everything(void **state)
{
	struct fixture *f = *state;
	json_t *in, *out;
	char err[256];

	in = json_loads(good, 0, NULL);
	assert_non_null(in);
	assert_int_equal(ctl_config_save(f->path, in, err, sizeof(err)), 0);
	assert_int_equal(ctl_config_load(f->path, &out, err, sizeof(err)), 0);
	assert_true(json_equal(in, out));
	json_decref(in);
	json_decref(out);
}

static void
test_config_save_creates_directory(void **state)
{
	struct fixture *f = *state;
	char path[160], err[256];
	json_t *doc = ctl_config_empty();

	snprintf(path, sizeof(path), "%s/a/b/conf.json", f->dir);
	assert_int_equal(ctl_config_save(path, doc, err, sizeof(err)), 0);
	assert_int_equal(access(path, R_OK), 0);
	json_decref(doc);
}

/* Loading 'text' fails with a message containing 'expect', and the file
 * keeps its bytes. */
static void
expect_refused(struct fixture *f, const char *text, const char *expect)
{
	char err[256];
	json_t *doc = NULL;
	char *after;

	write_file(f->path, text);
	assert_int_equal(ctl_config_load(f->path, &doc, err, sizeof(err)), -EINVAL);
	assert_null(doc);
	if (strstr(err, expect) == NULL) {
		fail_msg("error '%s' lacks '%s'", err, expect);
	}
	after = read_file(f->path);
	assert_string_equal(after, text);
	free(after);
}

static void
test_config_corrupt_json_is_refused(void **state)
{
	struct fixture *f = *state;

	expect_refused(f, "{\"version\": 1, \"bridges\": [", "is corrupt: line 1");
	expect_refused(f, "garbage", "is corrupt");
	expect_refused(f, "{\"version\": 1, \"version\": 1, \"bridges\": []}", "is corrupt");
}

static void
test_config_invalid_documents_are_refused(void **state)
{
	struct fixture *f = *state;

	expect_refused(f, "[]", "not a JSON object");
	expect_refused(f, "{\"version\": 2, \"bridges\": []}", "version");
	expect_refused(f, "{\"version\": 1}", "bridges");
	expect_refused(f, "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"ports\": []}]}",
		       "bridges[0]: missing or bad \"mac\"");
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"this-name-is-too-long\", "
		       "\"mac\": \"02:00:00:00:00:01\", \"ports\": []}]}",
		       "bad \"name\"");
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": "
		       "\"02:00:00:00:00:01\", \"ports\": [{\"name\": \"br0\", \"type\": \"tap\", "
		       "\"ofport\": 1}]}]}",
		       "name 'br0' used twice");
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": "
		       "\"02:00:00:00:00:01\", \"ports\": [{\"name\": \"c1\", \"type\": \"tap\", "
		       "\"ofport\": 1}, {\"name\": \"c2\", \"type\": \"tap\", \"ofport\": 1}]}]}",
		       "ofport 1 used twice");
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": "
		       "\"02:00:00:00:00:01\", \"ports\": [{\"name\": \"c1\", \"type\": \"tap\", "
		       "\"ofport\": 1, \"options\": {\"mtu\": \"70000\"}}]}]}",
		       "bad mtu");
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": "
		       "\"02:00:00:00:00:01\", \"mac_aging_time\": 0, \"ports\": []}]}",
		       "mac_aging_time");
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": "
		       "\"02:00:00:00:00:01\", \"ports\": [{\"name\": \"vx1\", \"type\": "
		       "\"vxlan\", \"ofport\": 1, \"options\": {\"remote_ip\": \"198.18.0.2\", "
		       "\"key\": \"16777216\"}}]}]}",
		       "options:key");
	/* Two tunnels taking the same packets, even in two bridges. */
	expect_refused(f,
		       "{\"version\": 1, \"bridges\": [{\"name\": \"br0\", \"mac\": "
		       "\"02:00:00:00:00:01\", \"ports\": [{\"name\": \"vx1\", \"type\": "
		       "\"vxlan\", \"ofport\": 1, \"options\": {\"remote_ip\": \"198.18.0.2\", "
		       "\"key\": \"7\"}}]}, {\"name\": \"br1\", \"mac\": \"02:00:00:00:00:02\", "
		       "\"ports\": [{\"name\": \"vx2\", \"type\": \"vxlan\", \"ofport\": 1, "
		       "\"options\": {\"remote_ip\": \"198.18.0.2\", \"key\": \"7\"}}]}]}",
		       "tunnel vx2 would clash with vx1");
}

static unsigned
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		n += de->d_name[0] != '.';
	}
	closedir(d);
	return n;
}

static void
test_config_save_replaces_atomically(void **state)
{
	struct fixture *f = *state;
	json_t *a = json_loads(good, 0, NULL), *b = ctl_config_empty(), *out;
	struct stat before, after;
	char err[256];

	assert_int_equal(ctl_config_save(f->path, a, err, sizeof(err)), 0);
	assert_int_equal(stat(f->path, &before), 0);
	assert_int_equal(ctl_config_save(f->path, b, err, sizeof(err)), 0);
	assert_int_equal(stat(f->path, &after), 0);
	/* A new inode renamed into place, no temporary file left over. */
	assert_int_not_equal(before.st_ino, after.st_ino);
	assert_int_equal(count_files(f->dir), 1);
	assert_int_equal(ctl_config_load(f->path, &out, err, sizeof(err)), 0);
	assert_true(json_equal(out, b));
	json_decref(a);
	json_decref(b);
	json_decref(out);
}

static void
test_config_failed_save_leaves_old_file(void **state)
{
	struct fixture *f = *state;
	json_t *doc = ctl_config_empty();
	char path[160], err[256];
	char *text;

	/* The directory of 'path' is a regular file: nothing can be created. */
	write_file(f->path, good);
	snprintf(path, sizeof(path), "%s/conf.json/x.json", f->dir);
	assert_true(ctl_config_save(path, doc, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "cannot"));
	text = read_file(f->path);
	assert_string_equal(text, good);
	free(text);
	json_decref(doc);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_config_missing_file_is_empty_switch),
	    T(test_config_round_trip_keeps_everything),
	    T(test_config_save_creates_directory),
	    T(test_config_corrupt_json_is_refused),
	    T(test_config_invalid_documents_are_refused),
	    T(test_config_save_replaces_atomically),
	    T(test_config_failed_save_leaves_old_file),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
