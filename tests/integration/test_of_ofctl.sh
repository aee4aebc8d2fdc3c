#!/usr/bin/env bash
# Open vSwitch's own ovs-ofctl (Debian openvswitch-common) speaks
# OpenFlow 1.3 to vireo's passive listener: add-flow, add-flows,
# mod-flows, dump-flows, dump-ports, del-flows, with the results checked
# on both sides and on the wire; and malformed OpenFlow messages get the
# spec's errors while the daemon keeps its state.
. "$(dirname "$0")/lib.sh"

if ! command -v ovs-ofctl >/dev/null; then
	echo "1..0 # SKIP ovs-ofctl not installed (openvswitch-common)"
	exit 0
fi

BR=vtofc
ET=88b5
PORTS="c1 c2 c3"
PORT=$((20000 + RANDOM % 20000))
T=tcp:127.0.0.1:$PORT
OFCTL=(ovs-ofctl -O OpenFlow13 --timeout=10)
vireo_start || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
declare -A MAC
i=0
for p in $PORTS; do
	i=$((i + 1))
	mkns "vit-of-$p" quiet
	vctl add-port $BR $p -- set interface $p options:netns=vit-of-$p options:ip=10.211.0.$i/24
	MAC[$p]=$(mac_of "vit-of-$p" $p)
done

check "set-controller ptcp:$PORT" vctl set-controller $BR ptcp:$PORT
state=$(vctl -f json get-controller $BR | py_json "d['controllers'][0]['state']")
check_eq "the listener is listening" "listening" "$state"

# OpenFlow flow text without the volatile fields.
of_flows() {
	"${OFCTL[@]}" dump-flows $T "$@" | grep -v "reply" |
		sed -E 's/duration=[0-9.]+s, //; s/n_packets=[0-9]+, n_bytes=[0-9]+, //'
}

check_eq "ovs-ofctl dump-flows sees the default flow" " cookie=0x0, table=0, priority=0 actions=NORMAL" \
	"$(of_flows)"
check "ovs-ofctl add-flow" "${OFCTL[@]}" add-flow $T "priority=100,in_port=1,dl_type=0x88b5,actions=output:3"
check "vireoctl dump-flows shows the flow ovs-ofctl added" bash -c \
	"$VIREOCTL --socket $SOCK dump-flows $BR | grep -q 'priority=100,in_port=1,dl_type=0x88b5 actions=output:3'"

send_one() { # FROM DST -> prints per-port counts "c1=N c2=N c3=N"
	local from=$1 dst=$2 p f res=""
	declare -A f
	for p in $PORTS; do
		[ "$p" = "$from" ] && continue
		f[$p]=$(count_rx "vit-of-$p" $p $ET 2 "$3")
	done
	send_raw "vit-of-$from" $from "$dst" "${MAC[$from]}" $ET 3 "$3"
	for p in $PORTS; do
		[ "$p" = "$from" ] && continue
		res="$res $p=$(read_count "${f[$p]}")"
	done
	echo "${res# }"
}
check_eq "the flow steers c1's frames to c3" "c2=0 c3=3" "$(send_one c1 ff:ff:ff:ff:ff:ff t1)"

cat >"$WORK/flows" <<EOF
priority=200,in_port=2,dl_type=0x88b5,actions=output:1
priority=200,in_port=3,dl_type=0x88b5,actions=output:1,output:2
table=0,priority=50,ip,nw_dst=10.211.0.0/24,actions=NORMAL
EOF
check "ovs-ofctl add-flows FILE" "${OFCTL[@]}" add-flows $T "$WORK/flows"
n=$("${OFCTL[@]}" dump-flows $T | grep -c "priority=")
check_eq "five flows now" "5" "$n"
check_eq "c2 -> c1 only" "c1=3 c3=0" "$(send_one c2 ff:ff:ff:ff:ff:ff t2)"
check_eq "c3 -> c1 and c2" "c1=3 c2=3" "$(send_one c3 ff:ff:ff:ff:ff:ff t3)"
pk=$("${OFCTL[@]}" dump-flows $T "in_port=3,dl_type=0x88b5" | grep -o "n_packets=[0-9]*")
check_eq "ovs-ofctl reads the flow's counters" "n_packets=3" "$pk"

check "ovs-ofctl mod-flows" "${OFCTL[@]}" mod-flows $T "in_port=3,dl_type=0x88b5,actions=output:2"
check_eq "mod-flows changed the actions" "c1=0 c2=3" "$(send_one c3 ff:ff:ff:ff:ff:ff t4)"
check_eq "and kept the counters" "n_packets=6" \
	"$("${OFCTL[@]}" dump-flows $T "in_port=3,dl_type=0x88b5" | grep -o "n_packets=[0-9]*")"

check "c1 pings c2 (IPv4 via the NORMAL flow, ARP via the default)" in_ns vit-of-c1 ping -c 2 -W 2 -i 0.2 10.211.0.2
ports=$("${OFCTL[@]}" dump-ports $T)
check "ovs-ofctl dump-ports lists the ports with counters" bash -c \
	'grep -q "port  1: rx pkts=[1-9]" <<<"$1" && grep -q "port  3: rx pkts=[1-9]" <<<"$1" && grep -q "port LOCAL" <<<"$1"' _ "$ports"
printf '%s\n' "$ports" | head -4 | diag
desc=$("${OFCTL[@]}" dump-ports-desc $T)
check "ovs-ofctl dump-ports-desc names the ports" bash -c \
	'grep -q "1(c1): addr:" <<<"$1" && grep -q "LOCAL('"$BR"')" <<<"$1"' _ "$desc"
check "ovs-ofctl dump-tables" bash -c "${OFCTL[*]} dump-tables $T | grep -q 'table 0'"
check "ovs-ofctl show" bash -c "${OFCTL[*]} show $T | grep -q 'n_tables:254'"

check "ovs-ofctl del-flows --strict" "${OFCTL[@]}" --strict del-flows $T "priority=200,in_port=2,dl_type=0x88b5"
check_eq "four flows left" "4" "$("${OFCTL[@]}" dump-flows $T | grep -c "priority=")"
check "ovs-ofctl del-flows in_port=3" "${OFCTL[@]}" del-flows $T "in_port=3"
check_eq "three flows left" "3" "$("${OFCTL[@]}" dump-flows $T | grep -c "priority=")"
check "ovs-ofctl del-flows (all)" "${OFCTL[@]}" del-flows $T
check_eq "no flow left" "0" "$("${OFCTL[@]}" dump-flows $T | grep -c "priority=")"
check_eq "with no flow, nothing is forwarded" "c2=0 c3=0" "$(send_one c1 ff:ff:ff:ff:ff:ff t5)"
check "ovs-ofctl add-flow again" "${OFCTL[@]}" add-flow $T "priority=0,actions=NORMAL"

# Malformed messages on a raw connection: each answered with the spec's
# error, the connection and the daemon survive, the flows are unchanged.
before=$(of_flows)
out=$("$PY" "$IT_DIR/of/badmsg.py" 127.0.0.1 $PORT 2>&1)
rc=$?
printf '%s\n' "$out" | diag
check_eq "every malformed message got its error" "0" "$rc"
check_eq "the flows are unchanged" "$before" "$(of_flows)"
check "vireod is still running" kill -0 "$VPID"

# A controller's view: packet-in, packet-out, port status and mod, roles,
# and a flow deleted under traffic after the barrier (of/pktio.py).
check "set other_config:datapath-id" vctl set bridge $BR other_config:datapath-id=00000000cafe0001
"$PY" "$IT_DIR/of/pktio.py" 127.0.0.1 $PORT $BR vit-of 00000000cafe0001 "$VIREOCTL" "$SOCK" \
	"$RAWIO" >"$WORK/pktio.out" 2>&1
while IFS= read -r line; do
	case "$line" in
	PASS\ *) ok "${line#PASS }" ;;
	FAIL\ *) not_ok "${line#FAIL }" ;;
	*) printf '%s\n' "$line" | diag ;;
	esac
done <"$WORK/pktio.out"
check "vireod is still running after the controller session" kill -0 "$VPID"

check "del-controller" vctl del-controller $BR
check "the listener is closed" bash -c "! ${OFCTL[*]} dump-flows $T"

done_testing
