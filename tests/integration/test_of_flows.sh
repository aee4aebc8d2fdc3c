#!/usr/bin/env bash
# OpenFlow tables driven from vireoctl in ovs-ofctl's flow syntax, checked
# on the wire: the default NORMAL flow of a new bridge, in_port/priority/
# mask matches, multi-table goto with metadata, VLAN push via set_field,
# drop rules, per-flow counters, deletion (strict and not), trace, and
# bad flows refused with nothing changed.
. "$(dirname "$0")/lib.sh"

BR=vtflow
ET=88b5
PORTS="c1 c2 c3"
NSP=vit-fl-
vireo_start || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
declare -A MAC
i=0
for p in $PORTS; do
	i=$((i + 1))
	mkns "vit-fl-$p" quiet
	vctl add-port $BR $p -- set interface $p options:netns=vit-fl-$p options:ip=10.210.0.$i/24
	MAC[$p]=$(mac_of "vit-fl-$p" $p)
done

flows() {
	vctl dump-flows $BR "$@" | sed -E 's/duration=[0-9.]+s, //; s/idle_age=[0-9]+, //'
}

B=ff:ff:ff:ff:ff:ff
check_eq "a new bridge holds one flow: priority=0,actions=NORMAL" \
	" cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=0 actions=NORMAL" \
	"$(flows | sed -E 's/n_packets=[0-9]+, n_bytes=[0-9]+/n_packets=0, n_bytes=0/')"
send_case "NORMAL floods a broadcast to both other ports" c1 $B "" "c2:-=3 c3:-=3"
check "c1 pings c2 through NORMAL" in_ns vit-fl-c1 ping -c 2 -W 2 -i 0.2 10.210.0.2

check "add-flow in_port=1 -> output:3" vctl add-flow $BR "priority=100,in_port=1,actions=output:3"
send_case "c1's broadcast now goes to c3 only" c1 $B "" "c3:-=3"
send_case "c2's broadcast still floods (NORMAL)" c2 $B "" "c1:-=3 c3:-=3"
n=$(vctl -f json dump-flows $BR "in_port=1" | py_json "d['flows'][0]['n_packets']")
check "the in_port=1 flow counted c1's frames ($n)" test "$n" -ge 3

check "port names work in matches and actions" vctl add-flow $BR \
	"priority=110,in_port=c1,dl_dst=02:00:00:00:00:02,actions=output:c2"
send_case "a more specific, higher priority flow wins" c1 02:00:00:00:00:02 "" "c2:-=3"
check "del-flows --strict removes exactly that flow" vctl del-flows --strict $BR \
	"priority=110,in_port=1,dl_dst=02:00:00:00:00:02"
send_case "after the strict delete the lower flow takes over" c1 02:00:00:00:00:02 "" "c3:-=3"

check "push a VLAN tag with set_field" vctl add-flow $BR \
	"priority=120,in_port=1,dl_dst=02:00:00:00:00:0a,actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:2"
send_case "the frame leaves tagged with VID 10" c1 02:00:00:00:00:0a "" "c2:8100/10/0=3"
check "mod_vlan_vid on a tagged match rewrites the VID" vctl add-flow $BR \
	"priority=120,in_port=1,dl_vlan=10,actions=mod_vlan_vid:20,output:2"
send_case "VID 10 in, VID 20 out" c1 $B "8100/10/0" "c2:8100/20/0=3"
check "strip_vlan" vctl add-flow $BR "priority=120,in_port=1,dl_vlan=30,actions=strip_vlan,output:3"
send_case "VID 30 in, untagged out" c1 $B "8100/30/0" "c3:-=3"

check "two tables: write metadata in 0, match it in 1" bash -c "
	$VIREOCTL --socket $SOCK add-flow $BR 'table=0,priority=100,in_port=2,actions=write_metadata:0x5/0xff,goto_table:1' &&
	$VIREOCTL --socket $SOCK add-flow $BR 'table=1,priority=10,metadata=0x5/0xff,actions=output:3' &&
	$VIREOCTL --socket $SOCK add-flow $BR 'table=1,priority=5,actions=output:1'"
send_case "c2 -> table 1 by metadata -> c3" c2 $B "" "c3:-=3"
text=$(vctl trace $BR "in_port=2,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x88b5")
check "trace shows both tables and the output" bash -c \
	'grep -q "^ 0\. in_port=2, priority 100" <<<"$1" && grep -q "^ 1\. metadata=0x5/0xff, priority 10" <<<"$1" && grep -q "Result: output to port 3 (c3)" <<<"$1"' _ "$text"
printf '%s\n' "$text" | diag

ip link set $BR up
check "add-flow in_port=LOCAL -> output:c2" vctl add-flow $BR "priority=300,in_port=LOCAL,actions=output:c2"
f2=$(count_rx vit-fl-c2 c2 $ET 2 from-local)
f3=$(count_rx vit-fl-c3 c3 $ET 2 from-local)
"$PY" "$RAWIO" send $BR $B "$(cat /sys/class/net/$BR/address)" $ET 3 from-local
check_eq "in_port=LOCAL matches the internal port's frames: c2 gets 3, c3 none" "3 0" \
	"$(read_count "$f2") $(read_count "$f3")"
check "del-flows in_port=LOCAL" vctl del-flows $BR "in_port=LOCAL"

check "an IPv4 /24 drop rule" vctl add-flow $BR "priority=200,ip,nw_dst=10.210.0.0/24,actions=drop"
check "c3 -> c1: IPv4 is dropped" bash -c "! ip netns exec vit-fl-c3 ping -c 1 -W 1 10.210.0.1"
n=$(vctl -f json dump-flows $BR "ip" | py_json "d['flows'][0]['n_packets']")
check "the drop rule counted the pings ($n)" test "$n" -ge 1
check "del-flows ip (non-strict) removes it" vctl del-flows $BR "ip"
check "c3 pings c1 again (NORMAL)" in_ns vit-fl-c3 ping -c 2 -W 2 -i 0.2 10.210.0.1

printf '%s\n' "# two flows" "priority=300,in_port=3,dl_type=0x88b5,actions=output:2" "" \
	"priority=300,in_port=2,dl_type=0x88b5,actions=output:1" >"$WORK/flows.txt"
check "add-flows FILE" vctl add-flows $BR "$WORK/flows.txt"
send_case "flows from the file are in force" c3 $B "" "c2:-=3"
mem=$(vctl -f json memory/show)
check_eq "memory/show counts the bridge's flows" "$(vctl dump-flows $BR | wc -l)" \
	"$(printf '%s' "$mem" | py_json "d['flows']")"
check "memory/show: the MAC table and packet pool are inside the DPDK heap in use" "$PY" -c "
d = $mem
assert d['mac_capacity'] > 0 and d['mac_entries'] >= 3 and d['mac_table_bytes'] > 0, d
assert d['dpdk_heap_bytes'] >= d['mac_table_bytes'] + d['mbuf_pool_bytes'], d
assert 0 < d['control_heap_bytes'] and 0 < d['rss_anon_bytes'], d"
check "mod-flows rewrites the actions of what it selects" vctl mod-flows $BR \
	"in_port=3,dl_type=0x88b5,actions=output:1"
send_case "after mod-flows c3 goes to c1" c3 $B "" "c1:-=3"

before=$(flows)
for bad in "priority=x,actions=drop" "in_port=1,actions=output:1,bogus" "tp_dst=80,actions=drop" \
	"nw_dst=10.0.0.300,actions=drop" "table=255,actions=drop" "in_port=1"; do
	out=$(vctl add-flow $BR "$bad" 2>&1)
	rc=$?
	check_eq "add-flow '$bad' exits 2 with one line" "2 1" "$rc $(printf '%s\n' "$out" | wc -l)"
	printf '%s\n' "$out" | diag
done
check_eq "bad flows changed nothing" "$before" "$(flows)"

check "del-flows without a match empties every table" vctl del-flows $BR
check_eq "dump-flows is empty" "" "$(vctl dump-flows $BR)"
send_case "with no flow at all, everything is dropped" c1 $B "" ""
check "vireod is still running" kill -0 "$VPID"

done_testing
