/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - the configuration store: one JSON document that holds every
 * bridge, port and option that must survive a restart.
 *
 *   {"version": 1,
 *    "bridges": [{"name": "br0", "mac": "02:..", "mac_aging_time": 300,
 *                 "ports": [{"name": "c1", "type": "tap", "ofport": 1,
 *                            "mac": "02:..", "options": {"netns": "c1"}}]}]}
 *
 * Loading checks the whole document (structure, names, options, no
 * duplicates) and refuses a bad one without touching it.  Saving writes a
 * temporary file beside it, fsyncs it, renames it over the old one and
 * fsyncs the directory: a reader sees the old document or the new one,
 * never a mix, even across a crash.
 */
#ifndef VIREO_CONTROL_CONFIG_H
#define VIREO_CONTROL_CONFIG_H

#include <stddef.h>

#include <jansson.h>

#define CTL_CONFIG_VERSION 1
#define CTL_DEFAULT_AGING  300     /* seconds, as Open vSwitch */
#define CTL_MAX_AGING      1000000 /* seconds */

/**
 * Reads and checks the document at 'path'.  A missing file is a fresh
 * start: '*out' is then an empty document.  Returns 0 and a new reference
 * in '*out', or -errno with one line in 'err'.
 */
int ctl_config_load(const char *path, json_t **out, char *err, size_t err_size);

/** Checks a document's structure and values.  Returns 0 or -EINVAL with 'err'. */
int ctl_config_check(const json_t *doc, char *err, size_t err_size);

/**
 * Replaces the file at 'path' with 'doc' atomically, creating its
 * directory if needed.  Returns 0 or -errno with one line in 'err'; on
 * failure the old file is left as it was.
 */
int ctl_config_save(const char *path, const json_t *doc, char *err, size_t err_size);

/** A new empty document. */
json_t *ctl_config_empty(void);

#endif
