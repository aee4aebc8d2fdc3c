/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vireod.c - the vireo switch daemon.
 *
 *   vireod [EAL options] [-- [--config PATH] [--socket PATH] [--mbufs N]
 *                             [--fdb-size N] [--no-adaptive-poll]]
 *
 * The EAL main lcore runs the control plane (one libevent loop); every
 * EAL worker lcore runs a PMD.  Unless given, the EAL options default to
 * "-l 0,1 --file-prefix=vireo --huge-unlink --no-pci": hugepage files are unlinked
 * as soon as they are mapped, so none is left behind however vireod ends.
 *
 * Start-up order keeps a bad configuration harmless: the file is read
 * and checked before DPDK starts, and a corrupt one stops vireod with a
 * message and is never written.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "control/bridge.h"
#include "control/config.h"
#include "control/ctl_loop.h"
#include "control/rpc.h"
#include "datapath/dp.h"

#define MAX_EAL_ARGS 128

/** vireod's own settings. */
struct vireod_opts {
	const char *config;    /* configuration file */
	const char *socket;    /* control socket */
	const char *vhost_dir; /* vhost-user server sockets */
	struct dp_params dp;   /* datapath sizing */
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: vireod [EAL options] [-- [--config PATH] [--socket PATH]\n"
		"              [--vhost-dir DIR] [--mbufs N] [--fdb-size N]\n"
		"              [--no-adaptive-poll]]\n"
		"defaults: --config %s --socket %s --vhost-dir %s\n"
		"          EAL: -l 0,1 --file-prefix=vireo --huge-unlink --no-pci\n",
		RPC_DEFAULT_CONFIG, RPC_DEFAULT_SOCKET, RPC_DEFAULT_VHOST_DIR);
}

static int
parse_count(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > (1UL << 24)) {
		return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct vireod_opts *o)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"socket", required_argument, NULL, 's'},
	    {"mbufs", required_argument, NULL, 'm'},
	    {"fdb-size", required_argument, NULL, 'f'},
	    {"no-adaptive-poll", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {"vhost-dir", required_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'v':
			o->vhost_dir = optarg;
			break;
		case 'm':
		case 'f':
			if (parse_count(optarg, c == 'm' ? &o->dp.n_mbufs : &o->dp.fdb_capacity) <
			    0) {
				fprintf(stderr, "vireod: bad number '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'n':
			o->dp.adaptive_poll = false;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vireod: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static bool
has_arg(int argc, char **argv, const char *const *names)
{
	int i, j;

	for (i = 1; i < argc; i++) {
		for (j = 0; names[j] != NULL; j++) {
			if (strncmp(argv[i], names[j], strlen(names[j])) == 0) {
				return true;
			}
		}
	}
	return false;
}

/* EAL arguments: the user's, with our defaults for what they left out. */
static int
build_eal_args(int argc, char **argv, char **out)
{
	static const char *const cores[] = {"-l", "-c", "--lcores", NULL};
	static const char *const prefix[] = {"--file-prefix", NULL};
	static const char *const unlink_[] = {"--huge-unlink", "--in-memory", "--no-huge", NULL};
	static const char *const pci[] = {"-a", "--allow", "-b", "--block", "--no-pci", NULL};
	int n = 0, i;

	if (argc + 5 > MAX_EAL_ARGS) {
		return -E2BIG;
	}
	out[n++] = argv[0];
	if (!has_arg(argc, argv, cores)) {
		out[n++] = (char *)"-l0,1";
	}
	if (!has_arg(argc, argv, prefix)) {
		out[n++] = (char *)"--file-prefix=vireo";
	}
	if (!has_arg(argc, argv, unlink_)) {
		out[n++] = (char *)"--huge-unlink";
	}
	/* PCI devices are taken only when named: never the host's own NICs. */
	if (!has_arg(argc, argv, pci)) {
		out[n++] = (char *)"--no-pci";
	}
	for (i = 1; i < argc; i++) {
		out[n++] = argv[i];
	}
	out[n] = NULL;
	return n;
}

/* Runs the switch once DPDK is up; returns the exit status. */
static int
run(const struct vireod_opts *o, json_t *doc)
{
	struct ctl_switch *sw = NULL;
	struct ctl_loop *loop = NULL;
	struct dp *dp = NULL;
	char err[256];
	int ret;

	ret = dp_create(&o->dp, &dp);
	if (ret < 0) {
		fprintf(stderr, "vireod: cannot create the datapath: %s%s\n", strerror(-ret),
			ret == -ENODEV ? " (give at least one worker lcore, e.g. -l 0,1)" : "");
		return 1;
	}
	ret = ctl_switch_create(dp, o->config, o->vhost_dir, &sw);
	if (ret == 0) {
		ret = ctl_loop_create(sw, o->socket, &loop, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "vireod: %s\n", err);
		}
	}
	if (ret == 0 && (ret = ctl_switch_restore(sw, doc, err, sizeof(err))) < 0) {
		fprintf(stderr, "vireod: cannot restore %s: %s\n", o->config, err);
	}
	if (ret == 0 && (ret = dp_start(dp)) < 0) {
		fprintf(stderr, "vireod: cannot start the PMDs: %s\n", strerror(-ret));
	}
	if (ret == 0) {
		fprintf(stderr, "vireod: ready on %s with %u PMD(s)\n", o->socket, dp_n_pmds(dp));
		ret = ctl_loop_run(loop);
	}
	/* The switch first: its OpenFlow channels live on the loop's event base. */
	ctl_switch_destroy(sw);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	return ret < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct vireod_opts o = {
	    .config = RPC_DEFAULT_CONFIG,
	    .socket = RPC_DEFAULT_SOCKET,
	    .vhost_dir = RPC_DEFAULT_VHOST_DIR,
	    .dp = {.adaptive_poll = true},
	};
	char *eal_argv[MAX_EAL_ARGS + 1];
	int eal_argc = argc, own_argc, ret;
	char err[512];
	json_t *doc;

	for (eal_argc = 1; eal_argc < argc && strcmp(argv[eal_argc], "--") != 0; eal_argc++) {
	}
	own_argc = argc - eal_argc;
	if (own_argc > 0) {
		/* getopt wants a program name where the "--" was. */
		argv[eal_argc] = argv[0];
		if (parse_opts(own_argc, argv + eal_argc, &o) < 0) {
			return 2;
		}
	}
	if (ctl_config_load(o.config, &doc, err, sizeof(err)) < 0) {
		fprintf(stderr, "vireod: %s\n", err);
		return 1;
	}
	ret = build_eal_args(eal_argc, argv, eal_argv);
	if (ret < 0 || rte_eal_init(ret, eal_argv) < 0) {
		fprintf(stderr, "vireod: cannot initialise DPDK: %s\n",
			ret < 0 ? strerror(-ret) : rte_strerror(rte_errno));
		json_decref(doc);
		return 1;
	}
	/* The vhost library logs every vhost-user message at INFO; keep its
	 * warnings and errors unless the user asked for more with --log-level. */
	if (!has_arg(eal_argc, argv, (const char *const[]){"--log-level", NULL})) {
		rte_log_set_level_pattern("lib.vhost.*", RTE_LOG_WARNING);
	}
	ret = run(&o, doc);
	json_decref(doc);
	rte_eal_cleanup();
	return ret;
}
