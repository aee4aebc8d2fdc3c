#!/usr/bin/env bash
# Ports and daemon over time: a removed port is gone and gets no more
# traffic; a re-added one starts from zero; SIGTERM leaves nothing behind;
# a restarted vireod brings back the same bridges and ports from its
# configuration and traffic flows again.
. "$(dirname "$0")/lib.sh"

BR=vtlife
ET=88b5
vireo_start || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
for i in 1 2 3; do
	mkns "vit-lf-c$i"
	vctl add-port $BR c$i -- set interface c$i options:netns=vit-lf-c$i \
		options:ip=10.203.0.$i/24
done
check "c1 pings c2" in_ns vit-lf-c1 ping -c 2 -W 2 -i 0.2 10.203.0.2
mac2=$(mac_of vit-lf-c2 c2)

check "del-port c2" vctl del-port $BR c2
check "c2's tap is gone from its namespace" bash -c "! ip netns exec vit-lf-c2 ip link show c2"
check_eq "list-ports no longer has c2" "c1 c3" "$(vctl list-ports $BR | xargs)"
check "dump-ports no longer has c2" bash -c "! $VIREOCTL --socket $SOCK dump-ports $BR | grep -q 'port  2:'"
check "the MAC table forgot c2's MAC" bash -c "! $VIREOCTL --socket $SOCK fdb/show $BR | grep -q $mac2"
check "c1 no longer reaches c2's address" bash -c "! ip netns exec vit-lf-c1 ping -c 1 -W 1 10.203.0.2"
# Frames for c2's old MAC now flood to the ports that remain.
f3=$(count_rx vit-lf-c3 c3 $ET 2 gone)
send_raw vit-lf-c1 c1 "$mac2" "$(mac_of vit-lf-c1 c1)" $ET 3 gone
check_eq "frames for the removed port's MAC reach the remaining port" 3 "$(read_count "$f3")"
check "c1 still pings c3" in_ns vit-lf-c1 ping -c 2 -W 2 -i 0.2 10.203.0.3

check "add-port c2 again" vctl add-port $BR c2 -- set interface c2 options:netns=vit-lf-c2 \
	options:ip=10.203.0.2/24
rx=$(vctl -f json dump-ports $BR c2 | py_json "d['ports'][0]['rx_packets'] < 10")
check_eq "a re-added port's counters start from zero" True "$rx"
check "c1 pings the re-added c2" in_ns vit-lf-c1 ping -c 2 -W 2 -i 0.2 10.203.0.2

# Restart: remember what show says, stop, check that nothing is left.
before=$(vctl -f json show | py_json "[(b['name'], b['mac'], [(p['name'], p['ofport'], p['type'], p.get('mac'), p['options']) for p in b['ports']]) for b in d['bridges']]")
vireo_stop
check_eq "SIGTERM stops vireod with status 0" 0 $?
check_eq "no hugepage files left behind" 0 "$(hugepage_files)"
check "the taps went with it" bash -c "! ip netns exec vit-lf-c1 ip link show c1 && ! ip link show $BR"
check "the control socket is removed" test ! -e "$SOCK"
check "the configuration file stays" test -s "$CONF"

vireo_start || not_ok "vireod restarts"
after=$(vctl -f json show | py_json "[(b['name'], b['mac'], [(p['name'], p['ofport'], p['type'], p.get('mac'), p['options']) for p in b['ports']]) for b in d['bridges']]")
check_eq "the restarted vireod has the same bridges, ports, numbers and MACs" "$before" "$after"
check "c1 pings c3 after the restart" in_ns vit-lf-c1 ping -c 2 -W 2 -i 0.2 10.203.0.3
check "c3 pings c2 after the restart" in_ns vit-lf-c3 ping -c 2 -W 2 -i 0.2 10.203.0.2

check "del-br removes the bridge and its ports" vctl del-br $BR
check "its taps are gone" bash -c "! ip netns exec vit-lf-c1 ip link show c1 && ! ip link show $BR"
check_eq "list-br is empty" "" "$(vctl list-br)"
vireo_stop
vireo_start || not_ok "vireod restarts empty"
check_eq "an empty switch restarts empty" "" "$(vctl list-br)"

done_testing
