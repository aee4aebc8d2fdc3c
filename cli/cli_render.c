/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_render.c - text and JSON output of vireoctl.
 *
 * The text forms copy the Open vSwitch tools closely enough that eyes (and
 * scripts) trained on them still work:
 *   show        ovs-vsctl show: nested Bridge/Port/Interface, "key: value"
 *               lines, strings quoted only when ovsdb would quote them.
 *               vireo adds ofport, mac and link_state under each interface.
 *   fdb/show    ovs-appctl fdb/show: " port  VLAN  MAC                Age".
 *   dump-ports  ovs-ofctl dump-ports, without the OFPST_PORT header line and
 *               without the counters vireo does not keep (frame, over, crc,
 *               coll).
 *   dump-flows  ovs-ofctl dump-flows: each flow's "text", which vireod
 *               formats as ovs-ofctl does, one per line, without a header.
 *   trace       vireod's text as is.
 *   get-controller  one target per line, as ovs-vsctl get-controller, plus
 *               the connection state in parentheses:
 *               "tcp:127.0.0.1:6653 (connected)",
 *               "ptcp:6653 (listening, 2 connections)",
 *               "tcp:10.0.0.9:6653 (backoff: Connection refused)".
 *   get-fail-mode   the mode, or nothing when none is set.
 * "show" prints each bridge's controllers and fail_mode as ovs-vsctl show
 * does (Controller "TARGET" / is_connected: true / fail_mode: MODE), and
 * its datapath_id.
 * Port 65534 (OFPP_LOCAL, the bridge's own port) prints as LOCAL, as OVS does.
 */
#include "cli/cli_render.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OFPP_LOCAL     65534 /* the bridge's own port, as OVS and OpenFlow 1.0 number it */
#define COUNT_STR_SIZE 24    /* a 64-bit decimal, or "?" */

/* One method's text renderer. */
struct renderer {
	const char *method;                             /* JSON-RPC method */
	int (*render)(FILE *out, const json_t *result); /* prints its table */
};

/*
 * Whether ovsdb would quote string 's' (ovsdb-data.c string_needs_quotes()):
 * anything but an identifier, or one that reads as a boolean.
 */
static bool
needs_quotes(const char *s)
{
	const char *p;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_') {
		return true;
	}
	for (p = s + 1; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_-.", *p)) {
			return true;
		}
	}
	return !strcmp(s, "true") || !strcmp(s, "false");
}

/* Print a string value as ovs-vsctl does: bare, or as a quoted JSON string. */
static void
put_atom(FILE *out, const json_t *value)
{
	const char *s = json_string_value(value);

	if (s && !needs_quotes(s)) {
		fputs(s, out);
	} else {
		json_dumpf(value, out, JSON_ENCODE_ANY);
	}
}

/* Format integer member 'key' of 'obj' into 'buf', or "?" if it is missing. */
static const char *
fmt_count(char buf[COUNT_STR_SIZE], const json_t *obj, const char *key)
{
	const json_t *value = json_object_get(obj, key);

	if (!json_is_integer(value)) {
		return "?";
	}
	snprintf(buf, COUNT_STR_SIZE, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
	return buf;
}

/* Format an OpenFlow port number: LOCAL for OFPP_LOCAL. */
static const char *
fmt_ofport(char buf[COUNT_STR_SIZE], const json_t *obj, const char *key)
{
	if (json_integer_value(json_object_get(obj, key)) == OFPP_LOCAL) {
		return "LOCAL";
	}
	return fmt_count(buf, obj, key);
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Return the keys of object 'obj' sorted, as a new array of borrowed strings
 * ('*n_keys' of them) that the caller frees, or NULL if memory ran out.
 */
static const char **
sorted_keys(const json_t *obj, size_t *n_keys)
{
	size_t n = json_object_size(obj);
	const char **keys = calloc(n ? n : 1, sizeof *keys);
	const char *key;
	json_t *value;
	size_t i = 0;

	if (!keys) {
		return NULL;
	}
	json_object_foreach ((json_t *)obj, key, value) {
		keys[i++] = key;
	}
	qsort(keys, n, sizeof *keys, compare_strings);
	*n_keys = n;
	return keys;
}

/* Print a {S:S} map as ovs-vsctl does: {key=value, ...}, sorted by key. */
static void
put_map(FILE *out, const json_t *map)
{
	size_t n;
	const char **keys = sorted_keys(map, &n);
	size_t i;

	if (!keys) {
		json_dumpf(map, out, JSON_COMPACT);
		return;
	}
	fputc('{', out);
	for (i = 0; i < n; i++) {
		json_t *key = json_string(keys[i]);

		fputs(i ? ", " : "", out);
		put_atom(out, key);
		fputc('=', out);
		put_atom(out, json_object_get(map, keys[i]));
		json_decref(key);
	}
	fputc('}', out);
	free(keys);
}

/* Print "<indent>label: value" if 'obj' has 'key' (and, for maps, entries). */
static void
put_column(FILE *out, int indent, const json_t *obj, const char *key, const char *label)
{
	const json_t *value = json_object_get(obj, key);

	if (!value || (json_is_object(value) && json_object_size(value) == 0)) {
		return;
	}
	fprintf(out, "%*s%s: ", indent, "", label);
	if (json_is_object(value)) {
		put_map(out, value);
	} else if (json_is_array(value)) {
		const json_t *item;
		size_t i;

		fputc('[', out);
		json_array_foreach ((json_t *)value, i, item) {
			fputs(i > 0 ? ", " : "", out);
			put_atom(out, item);
		}
		fputc(']', out);
	} else {
		put_atom(out, value);
	}
	fputc('\n', out);
}

/* Print "<indent>title name" for a Bridge, Port or Interface line. */
static void
put_record(FILE *out, int indent, const char *title, const json_t *obj)
{
	const json_t *name = json_object_get(obj, "name");

	fprintf(out, "%*s%s ", indent, "", title);
	if (json_is_string(name)) {
		put_atom(out, name);
	} else {
		fputc('?', out);
	}
	fputc('\n', out);
}

/* One port of "show"; in vireo a port has exactly one interface. */
static void
render_show_port(FILE *out, const json_t *port)
{
	static const char *const columns[][2] = {
	    {"type", "type"},     {"options", "options"}, {"ofport", "ofport"},
	    {"mac", "mac"},       {"link", "link_state"}, {"socket", "vhost_socket"},
	    {"queues", "queues"}, {"tunnel", "tunnel"},   {"error", "error"},
	};
	size_t i;

	static const char *const port_columns[] = {"tag", "trunks", "vlan_mode", "cvlans",
						   "qinq_ethtype"};

	put_record(out, 4, "Port", port);
	for (i = 0; i < sizeof port_columns / sizeof port_columns[0]; i++) {
		put_column(out, 8, port, port_columns[i], port_columns[i]);
	}
	put_record(out, 8, "Interface", port);
	for (i = 0; i < sizeof columns / sizeof columns[0]; i++) {
		put_column(out, 12, port, columns[i][0], columns[i][1]);
	}
}

/* Whether 'target' is a passive (listening) controller target. */
static bool
target_is_passive(const char *target)
{
	return !strncmp(target, "ptcp:", 5) || !strncmp(target, "punix:", 6);
}

/*
 * Whether controller 'c' counts as connected, as ovs-vsctl's is_connected:
 * an active target in state "connected", a passive one with a connection.
 */
static bool
controller_is_connected(const json_t *c)
{
	const char *target = json_string_value(json_object_get(c, "target"));
	const char *state = json_string_value(json_object_get(c, "state"));

	if (target && target_is_passive(target)) {
		return json_integer_value(json_object_get(c, "connections")) > 0;
	}
	return state && !strcmp(state, "connected");
}

/* The bridge's controllers, fail_mode and datapath_id, as in ovs-vsctl show. */
static void
render_show_openflow(FILE *out, const json_t *bridge)
{
	const json_t *controllers = json_object_get(bridge, "controllers");
	const char *fail_mode = json_string_value(json_object_get(bridge, "fail_mode"));
	const json_t *c;
	size_t i;

	json_array_foreach ((json_t *)controllers, i, c) {
		const json_t *target = json_object_get(c, "target");

		fputs("    Controller ", out);
		if (json_is_string(target)) {
			put_atom(out, target);
		} else {
			fputc('?', out);
		}
		fputc('\n', out);
		if (controller_is_connected(c)) {
			fputs("        is_connected: true\n", out);
		}
	}
	if (fail_mode && fail_mode[0]) {
		put_column(out, 4, bridge, "fail_mode", "fail_mode");
	}
	put_column(out, 4, bridge, "datapath_id", "datapath_id");
}

static int
render_show(FILE *out, const json_t *result)
{
	const json_t *bridges = json_object_get(result, "bridges");
	const json_t *bridge;
	size_t i;

	if (!json_is_array(bridges)) {
		return -EPROTO;
	}
	json_array_foreach ((json_t *)bridges, i, bridge) {
		const json_t *ports = json_object_get(bridge, "ports");
		const json_t *port;
		size_t j;

		put_record(out, 0, "Bridge", bridge);
		render_show_openflow(out, bridge);
		put_column(out, 4, bridge, "mac", "mac");
		put_column(out, 4, bridge, "mac_aging_time", "mac_aging_time");
		json_array_foreach ((json_t *)ports, j, port) {
			render_show_port(out, port);
		}
	}
	return 0;
}

/* Print the strings of array 'key' in 'result', one per line. */
static int
render_names(FILE *out, const json_t *result, const char *key)
{
	const json_t *names = json_object_get(result, key);
	const json_t *name;
	size_t i;

	if (!json_is_array(names)) {
		return -EPROTO;
	}
	json_array_foreach ((json_t *)names, i, name) {
		fprintf(out, "%s\n", json_is_string(name) ? json_string_value(name) : "?");
	}
	return 0;
}

static int
render_list_br(FILE *out, const json_t *result)
{
	return render_names(out, result, "bridges");
}

static int
render_list_ports(FILE *out, const json_t *result)
{
	return render_names(out, result, "ports");
}

static int
render_fdb_show(FILE *out, const json_t *result)
{
	const json_t *entries = json_object_get(result, "entries");
	const json_t *e;
	size_t i;

	if (!json_is_array(entries)) {
		return -EPROTO;
	}
	fputs(" port  VLAN  MAC                Age\n", out);
	json_array_foreach ((json_t *)entries, i, e) {
		char port[COUNT_STR_SIZE];
		char vlan[COUNT_STR_SIZE];
		char age[COUNT_STR_SIZE];
		const char *mac = json_string_value(json_object_get(e, "mac"));
		bool is_static = json_is_true(json_object_get(e, "static"));

		fprintf(out, "%5s  %4s  %-17s  %3s\n", fmt_ofport(port, e, "port"),
			fmt_count(vlan, e, "vlan"), mac ? mac : "?",
			is_static ? "static" : fmt_count(age, e, "age"));
	}
	return 0;
}

/* Print "pkts=N, bytes=N, drop=N, errs=N" for direction 'dir' of port 'p'. */
static void
put_port_counters(FILE *out, const json_t *p, const char *dir)
{
	static const char *const fields[] = {"packets", "bytes", "dropped", "errors"};
	static const char *const labels[] = {"pkts", "bytes", "drop", "errs"};
	char buf[COUNT_STR_SIZE];
	char key[32];
	size_t f;

	fputs(dir, out);
	for (f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		snprintf(key, sizeof key, "%s_%s", dir, fields[f]);
		fprintf(out, "%s %s=%s", f ? "," : "", labels[f], fmt_count(buf, p, key));
	}
	fputc('\n', out);
}

static int
render_dump_ports(FILE *out, const json_t *result)
{
	const json_t *ports = json_object_get(result, "ports");
	const json_t *p;
	size_t i;

	if (!json_is_array(ports)) {
		return -EPROTO;
	}
	json_array_foreach ((json_t *)ports, i, p) {
		char buf[COUNT_STR_SIZE];
		const char *ofport = fmt_ofport(buf, p, "ofport");

		fprintf(out, "  port %s%s: ", strlen(ofport) < 2 ? " " : "", ofport);
		put_port_counters(out, p, "rx");
		fputs("           ", out);
		put_port_counters(out, p, "tx");
	}
	return 0;
}

/*
 * Print the nonzero counters of 'drops' as "reason=N, ..." sorted by reason,
 * after 'lead'; print nothing if there are none.  Returns how many printed.
 */
static size_t
put_drop_reasons(FILE *out, const char *lead, const json_t *drops)
{
	size_t n = 0;
	const char **keys = sorted_keys(drops, &n);
	size_t n_printed = 0;
	size_t i;

	for (i = 0; keys && i < n; i++) {
		json_int_t count = json_integer_value(json_object_get(drops, keys[i]));

		if (count) {
			fprintf(out, "%s%s=%" JSON_INTEGER_FORMAT, n_printed ? ", " : lead, keys[i],
				count);
			n_printed++;
		}
	}
	free(keys);
	return n_printed;
}

/* Format the share of busy cycles of 'pmd' as "12.3%", or "?" if unknown. */
static const char *
fmt_busy(char buf[COUNT_STR_SIZE], const json_t *pmd)
{
	const json_t *busy = json_object_get(pmd, "busy_cycles");
	const json_t *idle = json_object_get(pmd, "idle_cycles");
	double total;

	if (!json_is_integer(busy) || !json_is_integer(idle)) {
		return "?";
	}
	total = (double)json_integer_value(busy) + (double)json_integer_value(idle);
	snprintf(buf, COUNT_STR_SIZE, "%.1f%%",
		 total > 0 ? 100.0 * (double)json_integer_value(busy) / total : 0.0);
	return buf;
}

/* The busy cycles per frame received of 'pmd' ("-": none yet), or "?". */
#define PMD_STATS_HEADER "lcore  rx queues    rx packets    busy  cyc/pkt  cache hits\n"

static const char *
fmt_cycles_per_packet(char buf[COUNT_STR_SIZE], const json_t *pmd)
{
	const json_t *busy = json_object_get(pmd, "busy_cycles");
	const json_t *rx = json_object_get(pmd, "rx_packets");

	if (!json_is_integer(busy) || !json_is_integer(rx)) {
		return "?";
	}
	if (json_integer_value(rx) <= 0) {
		return "-";
	}
	snprintf(buf, COUNT_STR_SIZE, "%.0f",
		 (double)json_integer_value(busy) / (double)json_integer_value(rx));
	return buf;
}

/* The exact-match cache's hit rate of 'pmd' as "99.9%" ("-": no lookup), or "?". */
static const char *
fmt_hit_rate(char buf[COUNT_STR_SIZE], const json_t *pmd)
{
	const json_t *hits = json_object_get(pmd, "emc_hits");
	const json_t *misses = json_object_get(pmd, "emc_misses");
	double total;

	if (!json_is_integer(hits) || !json_is_integer(misses)) {
		return "?";
	}
	total = (double)json_integer_value(hits) + (double)json_integer_value(misses);
	if (total <= 0) {
		return "-";
	}
	snprintf(buf, COUNT_STR_SIZE, "%.1f%%", 100.0 * (double)json_integer_value(hits) / total);
	return buf;
}

/*
 * One row of pmd-stats; the PMD's own drop reasons (its "drops" object and
 * "upcall_dropped") follow the row when any is nonzero.
 */
static void
render_pmd(FILE *out, const json_t *pmd)
{
	const json_t *drops = json_object_get(pmd, "drops");
	const json_t *upcall = json_object_get(pmd, "upcall_dropped");
	json_t *reasons = json_is_object(drops) ? json_copy((json_t *)drops) : json_object();
	char buf[6][COUNT_STR_SIZE];

	if (reasons && upcall) {
		json_object_set(reasons, "upcall_dropped", (json_t *)upcall);
	}
	fprintf(out, "%5s  %9s  %12s  %6s  %7s  %10s", fmt_count(buf[0], pmd, "lcore"),
		fmt_count(buf[1], pmd, "rx_queues"), fmt_count(buf[2], pmd, "rx_packets"),
		fmt_busy(buf[3], pmd), fmt_cycles_per_packet(buf[4], pmd),
		fmt_hit_rate(buf[5], pmd));
	put_drop_reasons(out, "  drops: ", reasons);
	fputc('\n', out);
	json_decref(reasons);
}

/* The PMDs, then the switch-wide drop counters when the result has them. */
static int
render_pmd_stats(FILE *out, const json_t *result)
{
	const json_t *pmds = json_object_get(result, "pmds");
	const json_t *drops = json_object_get(result, "drops");
	const json_t *pmd;
	size_t i;

	if (!json_is_array(pmds)) {
		return -EPROTO;
	}
	fputs(PMD_STATS_HEADER, out);
	json_array_foreach ((json_t *)pmds, i, pmd) {
		render_pmd(out, pmd);
	}
	if (json_is_object(drops)) {
		if (!put_drop_reasons(out, "drops: ", drops)) {
			fputs("drops: none", out);
		}
		fputc('\n', out);
	}
	return 0;
}

/*
 * pmd-rxq-show, as ovs-appctl dpif-netdev/pmd-rxq-show prints it: per
 * PMD, each rx queue with its share of the PMD's time over the last
 * interval ("NOT AVAIL" before one has passed) and the frames it gave.
 */
static int
render_pmd_rxq_show(FILE *out, const json_t *result)
{
	const json_t *pmds = json_object_get(result, "pmds");
	const json_t *pmd, *q;
	char buf[3][COUNT_STR_SIZE];
	size_t i, k;

	if (!json_is_array(pmds)) {
		return -EPROTO;
	}
	json_array_foreach ((json_t *)pmds, i, pmd) {
		const json_t *rxqs = json_object_get(pmd, "rxqs");

		fprintf(out, "pmd thread lcore %s:\n", fmt_count(buf[0], pmd, "lcore"));
		if (!json_is_array(rxqs) || json_array_size(rxqs) == 0) {
			fputs("  (no rx queues)\n", out);
			continue;
		}
		json_array_foreach ((json_t *)rxqs, k, q) {
			const char *port = json_string_value(json_object_get(q, "port"));
			const json_t *usage = json_object_get(q, "usage");

			fprintf(out, "  port: %-16s queue-id: %3s  pmd usage: ", port ? port : "?",
				fmt_count(buf[1], q, "queue"));
			if (json_is_number(usage)) {
				fprintf(out, "%3.0f %%", json_number_value(usage));
			} else {
				fputs("NOT AVAIL", out);
			}
			fprintf(out, "  packets: %s\n", fmt_count(buf[2], q, "packets"));
		}
	}
	if (json_is_integer(json_object_get(result, "interval_s"))) {
		fprintf(out,
			"(usage: share of the PMD's time over the last %" JSON_INTEGER_FORMAT
			" s)\n",
			json_integer_value(json_object_get(result, "interval_s")));
	}
	return 0;
}

/* 'key' of 'o' in MiB, "?" if absent. */
static const char *
fmt_mib(char buf[COUNT_STR_SIZE], const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v)) {
		return "?";
	}
	snprintf(buf, COUNT_STR_SIZE, "%.1f MiB",
		 (double)json_integer_value(v) / (1024.0 * 1024.0));
	return buf;
}

/* memory/show: flows, MAC table, packet buffers, DPDK heap, control heap. */
static int
render_memory_show(FILE *out, const json_t *r)
{
	const json_t *cap = json_object_get(r, "mac_capacity");
	const json_t *bytes = json_object_get(r, "mac_table_bytes");
	char b[8][COUNT_STR_SIZE];

	if (!json_is_object(r)) {
		return -EPROTO;
	}
	fprintf(out, "flows:            %s (OpenFlow, all bridges)\n", fmt_count(b[0], r, "flows"));
	fprintf(out, "MAC table:        %s of %s entries, %s", fmt_count(b[1], r, "mac_entries"),
		fmt_count(b[2], r, "mac_capacity"), fmt_mib(b[3], r, "mac_table_bytes"));
	if (json_is_integer(cap) && json_is_integer(bytes) && json_integer_value(cap) > 0) {
		fprintf(out, " (%.0f bytes per entry)",
			(double)json_integer_value(bytes) / (double)json_integer_value(cap));
	}
	fprintf(out, "\npacket buffers:   %s mbufs, %s\n", fmt_count(b[4], r, "mbufs"),
		fmt_mib(b[5], r, "mbuf_pool_bytes"));
	fprintf(out, "DPDK heap:        %s in use", fmt_mib(b[6], r, "dpdk_heap_bytes"));
	fprintf(out, " of %s\n", fmt_mib(b[7], r, "dpdk_heap_total"));
	fprintf(out, "control heap:     %s", fmt_mib(b[0], r, "control_heap_bytes"));
	fprintf(out, " (resident anonymous memory %s)\n", fmt_mib(b[1], r, "rss_anon_bytes"));
	return 0;
}

/* One controller of get-controller: "TARGET (STATE[, N connections][: ERROR])". */
static void
render_controller(FILE *out, const json_t *c)
{
	const char *target = json_string_value(json_object_get(c, "target"));
	const char *state = json_string_value(json_object_get(c, "state"));
	const char *error = json_string_value(json_object_get(c, "error"));
	const json_t *connections = json_object_get(c, "connections");

	fputs(target ? target : "?", out);
	if (state) {
		fprintf(out, " (%s", state);
		if (target && target_is_passive(target) && json_is_integer(connections)) {
			json_int_t n = json_integer_value(connections);

			fprintf(out, ", %" JSON_INTEGER_FORMAT " connection%s", n,
				n == 1 ? "" : "s");
		}
		if (error && error[0]) {
			fprintf(out, ": %s", error);
		}
		fputc(')', out);
	}
	fputc('\n', out);
}

static int
render_get_controller(FILE *out, const json_t *result)
{
	const json_t *controllers = json_object_get(result, "controllers");
	const json_t *c;
	size_t i;

	if (!json_is_array(controllers)) {
		return -EPROTO;
	}
	json_array_foreach ((json_t *)controllers, i, c) {
		render_controller(out, c);
	}
	return 0;
}

static int
render_get_fail_mode(FILE *out, const json_t *result)
{
	const char *mode = json_string_value(json_object_get(result, "mode"));

	if (!mode) {
		return -EPROTO;
	}
	if (mode[0]) {
		fprintf(out, "%s\n", mode);
	}
	return 0;
}

/* Print 'text' as is, ending it with a newline if it has none. */
static void
put_text(FILE *out, const char *text)
{
	size_t len = strlen(text);

	fputs(text, out);
	if (len > 0 && text[len - 1] != '\n') {
		fputc('\n', out);
	}
}

static int
render_dump_flows(FILE *out, const json_t *result)
{
	const json_t *flows = json_object_get(result, "flows");
	const json_t *flow;
	size_t i;

	if (!json_is_array(flows)) {
		return -EPROTO;
	}
	json_array_foreach ((json_t *)flows, i, flow) {
		const char *text = json_string_value(json_object_get(flow, "text"));

		put_text(out, text && text[0] ? text : "?");
	}
	return 0;
}

static int
render_trace(FILE *out, const json_t *result)
{
	const char *text = json_string_value(json_object_get(result, "text"));

	if (!text) {
		return -EPROTO;
	}
	put_text(out, text);
	return 0;
}

/* tnl/neigh-show, as ovs-appctl tnl/neigh/show with the state added. */
static int
render_tnl_neigh_show(FILE *out, const json_t *result)
{
	const json_t *list = json_object_get(result, "neighbours");
	const json_t *e;
	size_t i;

	if (!json_is_array(list)) {
		return -EPROTO;
	}
	fprintf(out, "%-16s %-17s  %-10s %s\n", "IP", "MAC", "State", "Bridge");
	fputs("=====================================================\n", out);
	json_array_foreach ((json_t *)list, i, e) {
		const char *ip = json_string_value(json_object_get(e, "ip"));
		const char *mac = json_string_value(json_object_get(e, "mac"));
		const char *state = json_string_value(json_object_get(e, "state"));
		const char *br = json_string_value(json_object_get(e, "bridge"));

		fprintf(out, "%-16s %-17s  %-10s %s\n", ip ? ip : "?", mac ? mac : "?",
			json_is_true(json_object_get(e, "static")) ? "STATIC"
								   : (state ? state : "?"),
			br ? br : "-");
	}
	return 0;
}

/* tnl/route-show, as ovs-appctl ovs/route/show. */
static int
render_tnl_route_show(FILE *out, const json_t *result)
{
	const json_t *list = json_object_get(result, "routes");
	const json_t *e;
	size_t i;

	if (!json_is_array(list)) {
		return -EPROTO;
	}
	fputs("Route Table:\n", out);
	json_array_foreach ((json_t *)list, i, e) {
		const char *pfx = json_string_value(json_object_get(e, "prefix"));
		const char *br = json_string_value(json_object_get(e, "bridge"));
		const char *gw = json_string_value(json_object_get(e, "gateway"));
		const char *src = json_string_value(json_object_get(e, "src"));
		const char *origin = json_string_value(json_object_get(e, "origin"));

		fprintf(out, "%s %s dev %s",
			origin && !strcmp(origin, "user") ? "User:" : "Cached:", pfx ? pfx : "?",
			br ? br : "?");
		if (gw) {
			fprintf(out, " GW %s", gw);
		}
		if (src) {
			fprintf(out, " SRC %s", src);
		}
		fputc('\n', out);
	}
	return 0;
}

static const struct renderer renderers[] = {
    {"list-br", render_list_br},
    {"list-ports", render_list_ports},
    {"show", render_show},
    {"fdb/show", render_fdb_show},
    {"dump-ports", render_dump_ports},
    {"pmd-stats", render_pmd_stats},
    {"pmd-rxq-show", render_pmd_rxq_show},
    {"memory/show", render_memory_show},
    {"get-controller", render_get_controller},
    {"get-fail-mode", render_get_fail_mode},
    {"dump-flows", render_dump_flows},
    {"trace", render_trace},
    {"tnl/neigh-show", render_tnl_neigh_show},
    {"tnl/route-show", render_tnl_route_show},
};

int
cli_render(FILE *out, const char *method, const json_t *result, enum cli_format format)
{
	size_t i;
	int ret = 0;

	if (!json_is_object(result)) {
		return -EPROTO;
	}
	if (format == CLI_FORMAT_JSON) {
		ret = json_dumpf(result, out, JSON_INDENT(2)) ? -EIO : 0;
		fputc('\n', out);
	} else {
		for (i = 0; i < sizeof renderers / sizeof renderers[0]; i++) {
			if (!strcmp(method, renderers[i].method)) {
				ret = renderers[i].render(out, result);
				break;
			}
		}
	}
	if (!ret && (fflush(out) || ferror(out))) {
		ret = -EIO;
	}
	return ret;
}
