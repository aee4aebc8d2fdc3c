#!/usr/bin/env bash
# NORMAL forwarding frame by frame: broadcast and unknown unicast reach
# every other port exactly once and never the sender; known unicast
# reaches its port only; a MAC that moves is followed; idle MACs age out.
# Frames are counted on the receiving interfaces themselves.
. "$(dirname "$0")/lib.sh"

BR=vtflood
ET=88b5   # IEEE local experimental EtherType: nothing else sends it
N=5
vireo_start || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
for i in 1 2 3 4; do
	mkns "vit-fl-c$i" quiet
	vctl add-port $BR c$i -- set interface c$i options:netns=vit-fl-c$i \
		options:ip=10.202.0.$i/24 || not_ok "add-port c$i"
done
ip link set $BR up
declare -A MAC
for i in 1 2 3 4; do
	MAC[$i]=$(mac_of vit-fl-c$i c$i)
done

# count_all TAG: starts counters on c1..c4 and the host's internal port.
count_all() {
	local i
	for i in 1 2 3 4; do
		F[$i]=$(count_rx vit-fl-c$i c$i $ET 3 "$1")
	done
	F[0]=$("$PY" "$RAWIO" count $BR $ET 3 "$WORK/host.$1.ready" "$1" >"$WORK/host.$1" 2>&1 &
	       for _ in $(seq 1 50); do [ -e "$WORK/host.$1.ready" ] && break; sleep 0.1; done
	       echo "$WORK/host.$1")
}

# expect_counts WHAT c0 c1 c2 c3 c4 (c0 is the host's internal port)
expect_counts() {
	local what=$1 i got=""
	shift
	for i in 0 1 2 3 4; do
		got="$got $(read_count "${F[$i]}")"
	done
	check_eq "$what" " $*" "$got"
}

declare -A F
count_all bcast
send_raw vit-fl-c1 c1 ff:ff:ff:ff:ff:ff "${MAC[1]}" $ET $N bcast
expect_counts "broadcast from c1: $N frames on host, c2, c3, c4; none back to c1" $N 0 $N $N $N

count_all unknown
send_raw vit-fl-c2 c2 02:00:de:ad:be:ef "${MAC[2]}" $ET $N unknown
expect_counts "unknown unicast from c2: flooded once to every other port" $N $N 0 $N $N

count_all mcast
send_raw vit-fl-c3 c3 01:00:5e:00:00:fb "${MAC[3]}" $ET $N mcast
expect_counts "multicast from c3: flooded once to every other port" $N $N $N 0 $N

# c4 has sent nothing yet; c1 has (the broadcast), so c1 is learned.
check "c1's MAC is learned on ofport 1" \
	bash -c "$VIREOCTL --socket $SOCK fdb/show $BR | grep -Eq '^ +1 +0 +${MAC[1]}'"
count_all known
send_raw vit-fl-c4 c4 "${MAC[1]}" "${MAC[4]}" $ET $N known
expect_counts "known unicast from c4 to c1 reaches c1 only" 0 $N 0 0 0

# c3 now claims c1's MAC (the host moved): frames for it follow to c3.
send_raw vit-fl-c3 c3 ff:ff:ff:ff:ff:ff "${MAC[1]}" $ET 2 move
sleep 0.3
port=$(vctl -f json fdb/show $BR | py_json "[e['port'] for e in d['entries'] if e['mac']=='${MAC[1]}'][0]")
check_eq "a MAC seen on another port moves there" 3 "$port"
count_all moved
send_raw vit-fl-c4 c4 "${MAC[1]}" "${MAC[4]}" $ET $N moved
expect_counts "frames for the moved MAC go to its new port only" 0 0 0 $N 0

# Frames for a MAC learned on the sending port itself are dropped.
count_all sameport
send_raw vit-fl-c4 c4 "${MAC[4]}" "${MAC[4]}" $ET $N sameport
expect_counts "frames to a MAC behind the input port go nowhere" 0 0 0 0 0
drops=$(vctl -f json pmd-stats | py_json "d['drops']['same_port']")
check "pmd-stats counts them as same_port drops" test "$drops" -ge $N

# Aging: a 2 s aging time removes a silent MAC within about 3 s.
check "set bridge mac-aging-time" vctl set bridge $BR other_config:mac-aging-time=2
send_raw vit-fl-c2 c2 ff:ff:ff:ff:ff:ff 02:00:00:aa:00:01 $ET 1 age
sleep 0.3
check "a new MAC is learned" bash -c "$VIREOCTL --socket $SOCK fdb/show $BR | grep -q 02:00:00:aa:00:01"
sleep 4
if vctl fdb/show $BR | grep -q 02:00:00:aa:00:01; then
	not_ok "the silent MAC aged out"
else
	ok "the silent MAC aged out"
fi
aging=$(vctl -f json show | py_json "d['bridges'][0]['mac_aging_time']")
check_eq "show reports the aging time" 2 "$aging"

done_testing
