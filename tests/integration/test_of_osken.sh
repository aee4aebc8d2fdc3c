#!/usr/bin/env bash
# A real SDN controller drives a vireo bridge: os-ken (Debian
# python3-os-ken) runs the simple_switch_13 learning-switch application;
# three containers ping each other through the flows it installs from
# packet-ins. Then the fail modes: secure keeps the controller's flows and
# drops what would go to it; standalone falls back to NORMAL forwarding
# while no controller is connected, and hands back when one returns.
. "$(dirname "$0")/lib.sh"

if ! command -v osken-manager >/dev/null; then
	echo "1..0 # SKIP osken-manager not installed (python3-os-ken)"
	exit 0
fi

BR=vtosk
PORT=$((20000 + RANDOM % 20000))
OSK_PID=
start_osken() {
	osken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port $PORT \
		"$IT_DIR/of/simple_switch_13.py" >>"$WORK/osken.log" 2>&1 &
	OSK_PID=$!
}
stop_osken() {
	[ -n "$OSK_PID" ] && kill "$OSK_PID" 2>/dev/null && wait "$OSK_PID" 2>/dev/null
	OSK_PID=
}
wait_state() { # STATE SECONDS
	local i
	for i in $(seq 1 $(($2 * 10))); do
		[ "$(vctl -f json get-controller $BR | py_json "d['controllers'][0]['state']")" = "$1" ] &&
			return 0
		sleep 0.1
	done
	return 1
}
trap 'stop_osken; cleanup' EXIT

vireo_start || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
for i in 1 2 3; do
	mkns "vit-osk-c$i" quiet
	vctl add-port $BR c$i -- set interface c$i options:netns=vit-osk-c$i options:ip=10.212.0.$i/24
done
start_osken
check "set-controller tcp:127.0.0.1:$PORT" vctl set-controller $BR tcp:127.0.0.1:$PORT
check "vireo connects to os-ken" wait_state connected 20
check "show says the controller is connected" bash -c \
	"$VIREOCTL --socket $SOCK show | grep -A1 'Controller \"tcp:127.0.0.1:$PORT\"' | grep -q 'is_connected: true'"
for _ in $(seq 1 50); do
	vctl dump-flows $BR | grep -q "actions=CONTROLLER:65535" && break
	sleep 0.1
done
check "os-ken's table-miss flow replaced the default one" bash -c \
	"$VIREOCTL --socket $SOCK dump-flows $BR | grep -q 'priority=0 actions=CONTROLLER:65535' &&
	! $VIREOCTL --socket $SOCK dump-flows $BR | grep -q 'actions=NORMAL'"

for pair in "1 2" "2 3" "3 1"; do
	set -- $pair
	check "c$1 pings c$2 through os-ken's flows" in_ns vit-osk-c$1 ping -c 3 -W 2 -i 0.3 10.212.0.$2
done
check "os-ken saw packet-ins from vireo" grep -q "packet in" "$WORK/osken.log"
learned=$(vctl dump-flows $BR | grep -c "priority=1,in_port=")
check "os-ken installed per-pair flows ($learned)" test "$learned" -ge 6
m1=$(mac_of vit-osk-c1 c1)
m2=$(mac_of vit-osk-c2 c2)
hits=$(vctl -f json dump-flows $BR "in_port=1,dl_src=$m1,dl_dst=$m2" | py_json "d['flows'][0]['n_packets']")
check "the c1->c2 flow counts the pings ($hits)" test "$hits" -ge 2
vctl dump-flows $BR | diag

# Secure: the controller goes away, its flows stay in force, misses drop.
check "set-fail-mode secure" vctl set-fail-mode $BR secure
stop_osken
check "vireo notices the controller is gone" wait_state backoff 15
check "secure keeps the controller's flows" bash -c \
	"$VIREOCTL --socket $SOCK dump-flows $BR | grep -q 'priority=1,in_port=1'"
check "c1 still pings c2 over the installed flows" in_ns vit-osk-c1 ping -c 2 -W 2 -i 0.3 10.212.0.2
in_ns vit-osk-c1 ip neigh flush all
check "secure: a miss (ARP for c3) goes nowhere" bash -c "! ip netns exec vit-osk-c1 ping -c 1 -W 1 10.212.0.3"

# Standalone: with no controller connected the bridge is a NORMAL switch.
check "set-fail-mode standalone" vctl set-fail-mode $BR standalone
in_ns vit-osk-c1 ip neigh flush all
check "standalone: c1 pings c3 while no controller is connected" \
	in_ns vit-osk-c1 ping -c 2 -W 2 -i 0.3 10.212.0.3
check "the controller's flows are still listed" bash -c \
	"$VIREOCTL --socket $SOCK dump-flows $BR | grep -q 'actions=CONTROLLER:65535'"

start_osken
check "vireo reconnects after back-off" wait_state connected 30
sleep 0.5
before=$(grep -c "packet in" "$WORK/osken.log")
in_ns vit-osk-c2 ip neigh flush all
check "c2 pings c3 with the controller back" in_ns vit-osk-c2 ping -c 2 -W 2 -i 0.3 10.212.0.3
after=$(grep -c "packet in" "$WORK/osken.log")
check "the controller decides again: new packet-ins ($before -> $after)" test "$after" -gt "$before"

check "get-fail-mode" test "$(vctl get-fail-mode $BR)" = standalone
vireo_stop
vireo_start
check "after a restart the controller and fail mode are still set" bash -c \
	"$VIREOCTL --socket $SOCK get-controller $BR | grep -q 'tcp:127.0.0.1:$PORT' &&
	test \"\$($VIREOCTL --socket $SOCK get-fail-mode $BR)\" = standalone"
check "and vireo connects to os-ken again" wait_state connected 20
stop_osken

done_testing
