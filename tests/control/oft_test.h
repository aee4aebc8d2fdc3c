/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oft_test.h - fixtures shared by the flow-table tests (test_oft.c for
 * FLOW_MOD, selection, lookup and timeouts; test_oft_compile.c for
 * compilation, sync and counters): of_match builders, flow builders that
 * go through oft_flow_mod(), a port map for the compiler, and the cmocka
 * setup/teardown that give each test a fresh struct oft. Everything is
 * static inline so each test executable takes only what it uses.
 */
#ifndef VIREO_TESTS_CONTROL_OFT_TEST_H
#define VIREO_TESTS_CONTROL_OFT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "control/oft.h"
#include "protocols/openflow/of_wire.h"

#define FBIT(f) (1ull << OFPXMT_OFB_##f)

/* Matches field 'f' (struct member 'mem') on 'v' under mask 'mk' (exact: all ones). */
#define MSET(m, f, mem, v, mk)                                \
	do {                                                  \
		(m)->present |= FBIT(f);                      \
		(m)->value.mem = (v);                         \
		(m)->mask.mem = (mk);                         \
		(m)->order[(m)->n_fields++] = OFPXMT_OFB_##f; \
	} while (0)
#define MSETM(m, f, mem, v, mk)         \
	do {                            \
		MSET(m, f, mem, v, mk); \
		(m)->masked |= FBIT(f); \
	} while (0)

/* Initialises 'f' as an empty flow_mod 'command' in 'table' at 'priority'. */
static inline void
flow_init(struct of_flow *f, uint8_t command, uint8_t table, uint16_t priority)
{
	of_flow_init(f);
	f->command = command;
	f->table_id = table;
	f->priority = priority;
}

/* Appends 'a' to the apply (or write) actions of 'ins'. */
static inline void
ins_append(struct of_instructions *ins, bool write, const struct of_action *a)
{
	struct of_action_list *l = write ? &ins->write : &ins->apply;
	uint8_t it = write ? OFPIT_WRITE_ACTIONS : OFPIT_APPLY_ACTIONS;

	l->a = realloc(l->a, (l->n + 1) * sizeof(*l->a));
	assert_non_null(l->a);
	l->a[l->n++] = *a;
	if (!(ins->present & OF_INST_BIT(it))) {
		ins->present |= OF_INST_BIT(it);
		ins->order[ins->n_order++] = it;
	}
}

/* Appends output:'port' (max_len NO_BUFFER) to the apply actions of 'ins'. */
static inline void
ins_output(struct of_instructions *ins, uint32_t port)
{
	struct of_action a = {.type = OFPAT_OUTPUT};

	a.output.port = port;
	a.output.max_len = 0xffff;
	ins_append(ins, false, &a);
}

/* oft_select() callback: stores the id of the one flow selected. */
static inline void
get_id(const struct oft_flow *flow, void *arg)
{
	assert_int_equal(*(uint32_t *)arg, 0);
	*(uint32_t *)arg = flow->id;
}

/* Adds a flow in 'table' at 'priority', in_port='in_port' (0: any), output:'out'. */
static inline uint32_t
add_flow(struct oft *oft, uint8_t table, uint16_t priority, uint32_t in_port, uint32_t out,
	 uint64_t cookie)
{
	struct of_flow f;
	uint32_t id = 0;

	flow_init(&f, OFPFC_ADD, table, priority);
	f.cookie = cookie;
	if (in_port) {
		MSET(&f.match, IN_PORT, in_port, in_port, UINT32_MAX);
	}
	ins_output(&f.ins, out);
	assert_int_equal(oft_flow_mod(oft, &f, 0, NULL), OF_ERR_NONE);
	of_instructions_free(&f.ins);
	oft_select(oft, &f, true, get_id, &id);
	assert_int_not_equal(id, 0);
	return id;
}

/* The compiler's port map: ports 1..20 are datapath ports 101..120, LOCAL is 0. */
static inline int
port_idx(uint32_t ofport, void *arg)
{
	(void)arg;
	if (ofport == OFPP_LOCAL) {
		return 0;
	}
	return ofport >= 1 && ofport <= 20 ? (int)ofport + 100 : -1;
}

/* A compile context with that map, not in fail-open mode. */
static const struct oft_compile_ctx cctx = {port_idx, NULL, 1, false};

/* Each test gets a fresh, empty struct oft in *state. */
static inline int
setup(void **state)
{
	*state = oft_create();
	return *state ? 0 : -1;
}

static inline int
teardown(void **state)
{
	oft_free(*state);
	return 0;
}

/* The flow a packet from 'in_port' hits in table 0, or NULL. */
static inline const struct oft_flow *
flow_by_port(const struct oft *oft, uint32_t in_port)
{
	struct dp_flow_key key = {.in_port = in_port};

	return oft_lookup(oft, 0, &key);
}

/* Monotonic wall time, for the timed bulk tests. */
static inline double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
