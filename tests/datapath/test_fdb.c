/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fdb.c - the MAC learning table: learn, move, age, static entries,
 * flush, a full table, and bulk lookups against a linear reference model.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "datapath/fdb.h"
#include "eal_test.h"

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0xa};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0xb};

static int
setup(void **state)
{
	struct fdb *fdb;

	if (fdb_create(1024, NULL, &fdb) < 0) {
		return -1;
	}
	*state = fdb;
	return 0;
}

static int
teardown(void **state)
{
	fdb_destroy(*state);
	return 0;
}

static void
test_fdb_learn_new_mac_is_found(void **state)
{
	struct fdb *fdb = *state;
	const struct fdb_entry *e;

	assert_int_equal(fdb_learn(fdb, 0, 0, mac_a, 3, 100), FDB_LEARNED);
	e = fdb_find(fdb, 0, 0, mac_a);
	assert_non_null(e);
	assert_int_equal(e->port, 3);
	assert_int_equal(e->used, 100);
	assert_int_equal(fdb_count(fdb), 1);
	assert_null(fdb_find(fdb, 0, 0, mac_b));
}

static void
test_fdb_learn_same_port_refreshes(void **state)
{
	struct fdb *fdb = *state;

	fdb_learn(fdb, 0, 0, mac_a, 3, 100);
	assert_int_equal(fdb_learn(fdb, 0, 0, mac_a, 3, 250), FDB_REFRESHED);
	assert_int_equal(fdb_find(fdb, 0, 0, mac_a)->used, 250);
	assert_int_equal(fdb_count(fdb), 1);
}

static void
test_fdb_learn_moves_mac_to_new_port(void **state)
{
	struct fdb *fdb = *state;

	fdb_learn(fdb, 0, 0, mac_a, 3, 100);
	assert_int_equal(fdb_learn(fdb, 0, 0, mac_a, 7, 200), FDB_MOVED);
	assert_int_equal(fdb_find(fdb, 0, 0, mac_a)->port, 7);
	assert_int_equal(fdb_count(fdb), 1);
}

static void
test_fdb_same_mac_in_two_vlans_and_bridges(void **state)
{
	struct fdb *fdb = *state;

	fdb_learn(fdb, 0, 10, mac_a, 1, 1);
	fdb_learn(fdb, 0, 20, mac_a, 2, 1);
	fdb_learn(fdb, 1, 10, mac_a, 3, 1);
	assert_int_equal(fdb_count(fdb), 3);
	assert_int_equal(fdb_find(fdb, 0, 10, mac_a)->port, 1);
	assert_int_equal(fdb_find(fdb, 0, 20, mac_a)->port, 2);
	assert_int_equal(fdb_find(fdb, 1, 10, mac_a)->port, 3);
	assert_null(fdb_find(fdb, 1, 20, mac_a));
}

static void
test_fdb_age_removes_only_idle_entries(void **state)
{
	struct fdb *fdb = *state;
	uint64_t max_idle[2] = {300, 50};

	fdb_learn(fdb, 0, 0, mac_a, 1, 1000); /* bridge 0, idle 400 at t=1400 */
	fdb_learn(fdb, 0, 0, mac_b, 2, 1200); /* bridge 0, idle 200 */
	fdb_learn(fdb, 1, 0, mac_b, 2, 1300); /* bridge 1, idle 100 > 50 */
	assert_int_equal(fdb_age(fdb, 1400, max_idle, 2), 2);
	assert_null(fdb_find(fdb, 0, 0, mac_a));
	assert_non_null(fdb_find(fdb, 0, 0, mac_b));
	assert_null(fdb_find(fdb, 1, 0, mac_b));
	/* Exactly at the limit is not past it. */
	assert_int_equal(fdb_age(fdb, 1500, max_idle, 2), 0);
	assert_int_equal(fdb_age(fdb, 1501, max_idle, 2), 1);
	assert_int_equal(fdb_count(fdb), 0);
}

static void
test_fdb_static_never_ages_or_moves(void **state)
{
	struct fdb *fdb = *state;
	uint64_t max_idle[1] = {10};

	assert_int_equal(fdb_add_static(fdb, 0, 0, mac_a, 4), 0);
	assert_int_equal(fdb_learn(fdb, 0, 0, mac_a, 9, 5), FDB_STATIC);
	assert_int_equal(fdb_find(fdb, 0, 0, mac_a)->port, 4);
	assert_int_equal(fdb_age(fdb, 1000000, max_idle, 1), 0);
	assert_true(fdb_find(fdb, 0, 0, mac_a)->is_static);
	assert_int_equal(fdb_del(fdb, 0, 0, mac_a), 0);
	assert_int_equal(fdb_del(fdb, 0, 0, mac_a), -ENOENT);
}

static void
test_fdb_flush_by_port_and_bridge(void **state)
{
	struct fdb *fdb = *state;

	fdb_learn(fdb, 0, 0, mac_a, 1, 1);
	fdb_learn(fdb, 0, 0, mac_b, 2, 1);
	fdb_learn(fdb, 1, 0, mac_a, 1, 1);
	assert_int_equal(fdb_flush(fdb, 0, 1), 1);
	assert_null(fdb_find(fdb, 0, 0, mac_a));
	assert_non_null(fdb_find(fdb, 1, 0, mac_a));
	assert_int_equal(fdb_flush(fdb, 1, -1), 1);
	assert_int_equal(fdb_flush(fdb, -1, -1), 1);
	assert_int_equal(fdb_count(fdb), 0);
}

static void
test_fdb_full_table_refuses_then_reuses_slots(void **state)
{
	struct fdb *fdb;
	uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0};
	uint32_t i, cap;

	(void)state;
	assert_int_equal(fdb_create(64, NULL, &fdb), 0);
	cap = fdb_capacity(fdb);
	for (i = 0; i < cap; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		assert_int_equal(fdb_learn(fdb, 0, 0, mac, 1, 1), FDB_LEARNED);
	}
	mac[3] = 0xff;
	assert_int_equal(fdb_learn(fdb, 0, 0, mac, 1, 1), -ENOSPC);
	assert_int_equal(fdb_count(fdb), cap);
	assert_int_equal(fdb_del(fdb, 0, 0, mac), -ENOENT);
	mac[3] = 0;
	mac[4] = 0;
	mac[5] = 0;
	assert_int_equal(fdb_del(fdb, 0, 0, mac), 0);
	mac[3] = 0xff;
	assert_int_equal(fdb_learn(fdb, 0, 0, mac, 2, 1), FDB_LEARNED);
	assert_int_equal(fdb_find(fdb, 0, 0, mac)->port, 2);
	fdb_destroy(fdb);
}

/* Reference model: a plain array searched linearly; a deleted key keeps
 * its slot and comes back to life when learned again. */
struct model_entry {
	uint8_t mac[6];
	uint16_t vlan, bridge, port;
	bool live;
};

static struct model_entry *
model_find(struct model_entry *m, unsigned n, uint16_t bridge, uint16_t vlan, const uint8_t *mac)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (m[i].bridge == bridge && m[i].vlan == vlan && memcmp(m[i].mac, mac, 6) == 0) {
			return &m[i];
		}
	}
	return NULL;
}

static void
test_fdb_bulk_lookup_matches_reference_model(void **state)
{
	struct fdb *fdb = *state;
	static struct model_entry model[4096];
	unsigned n_model = 0, step, i;

	srand(7);
	for (step = 0; step < 3000; step++) {
		uint8_t mac[6] = {0x02, 0, 0, 0, (uint8_t)(rand() % 4), (uint8_t)(rand() % 64)};
		uint16_t bridge = (uint16_t)(rand() % 2), vlan = (uint16_t)(rand() % 3);
		uint16_t port = (uint16_t)(rand() % 8);
		struct model_entry *me = model_find(model, n_model, bridge, vlan, mac);

		if (rand() % 4 == 0) {
			assert_int_equal(fdb_del(fdb, bridge, vlan, mac),
					 me != NULL && me->live ? 0 : -ENOENT);
			if (me != NULL) {
				me->live = false;
			}
			continue;
		}
		fdb_learn(fdb, bridge, vlan, mac, port, step);
		if (me == NULL) {
			me = &model[n_model++];
			memcpy(me->mac, mac, 6);
			me->bridge = bridge;
			me->vlan = vlan;
		}
		me->live = true;
		me->port = port;
	}
	/* Every model key, live or dead, 32 at a time through the bulk path. */
	for (i = 0; i < n_model; i += 32) {
		struct fdb_key keys[32];
		const struct fdb_key *kp[32];
		struct fdb_entry *out[32];
		unsigned j, n = n_model - i < 32 ? n_model - i : 32;

		for (j = 0; j < n; j++) {
			fdb_key_init(&keys[j], model[i + j].bridge, model[i + j].vlan,
				     model[i + j].mac);
			kp[j] = &keys[j];
		}
		fdb_lookup_bulk(fdb, kp, n, out);
		for (j = 0; j < n; j++) {
			if (model[i + j].live) {
				assert_non_null(out[j]);
				assert_int_equal(out[j]->port, model[i + j].port);
			} else {
				assert_null(out[j]);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fdb_learn_new_mac_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fdb_learn_same_port_refreshes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fdb_learn_moves_mac_to_new_port, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fdb_same_mac_in_two_vlans_and_bridges, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_fdb_age_removes_only_idle_entries, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_fdb_static_never_ages_or_moves, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fdb_flush_by_port_and_bridge, setup, teardown),
	    cmocka_unit_test(test_fdb_full_table_refuses_then_reuses_slots),
	    cmocka_unit_test_setup_teardown(test_fdb_bulk_lookup_matches_reference_model, setup,
					    teardown),
	};

	if (eal_test_init("test_fdb") < 0) {
		fprintf(stderr, "cannot initialise the EAL\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
