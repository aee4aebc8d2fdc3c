/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eal_test.h - brings up a small DPDK EAL for unit tests: no hugepages, no
 * PCI, no shared files, one lcore, so tests run anywhere in milliseconds.
 */
#ifndef VIREO_TESTS_EAL_TEST_H
#define VIREO_TESTS_EAL_TEST_H

#include <rte_eal.h>

/** Initialises the EAL once for this process.  Returns 0 or -1. */
static inline int
eal_test_init(const char *name)
{
	char prefix[64];
	char *argv[] = {
	    (char *)name,
	    (char *)"--no-huge",
	    (char *)"-m",
	    (char *)"256",
	    (char *)"--no-pci",
	    (char *)"--no-shconf",
	    (char *)"-l",
	    (char *)"0",
	    (char *)"--log-level=error",
	    (char *)"--no-telemetry",
	    prefix,
	    NULL,
	};

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", name);
	return rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0 ? -1 : 0;
}

#endif
