#!/usr/bin/env bash
# VXLAN tunnel ports against kernel VTEPs.  vireod (host namespace) has an
# underlay bridge br-phy (UL.1/24 on its internal port, af_packet
# ports ul1/ul2 on veths) and an overlay bridge br-int (container c1 and
# tunnel ports vx1/vx2).  Each far end of a veth is a "remote host"
# namespace with a kernel VXLAN device (VNI 5000) on a Linux bridge that
# holds a container:
#
#   vit-vx-c1 --c1-- [br-int: vx1 vx2]   [br-phy: ul1 ul2] UL.1
#                                            |        |
#      vit-vx-r1: vxu-r1 UL.2, vxlan0 5000, br0 -- vit-vx-c2 (10.30.0.2)
#      vit-vx-r2: vxu-r2 UL.3, vxlan0 5000, br0 -- vit-vx-c3 (10.30.0.3)
#
# UL is the first of the documentation networks 198.51.100.0/24,
# 203.0.113.0/24, 192.0.2.0/24 that the host does not already route (the
# underlay's address goes on br-phy in the host namespace; a network the
# host uses, e.g. for its own uplink, must not be taken over).
#
# tshark in the remote namespaces decodes what vireo puts on the wire;
# vxlan/vxpkt.py sends broken VXLAN packets and UDP flows.
# shellcheck disable=SC2317,SC2119  # helpers run through check(); vireo_start takes no arguments here
. "$(dirname "$0")/lib.sh"

VXPY="$IT_DIR/vxlan/vxpkt.py"
C1=vit-vx-c1
R1=vit-vx-r1
R2=vit-vx-r2
BCAST=ff:ff:ff:ff:ff:ff
TS_PIDS=()

vx_teardown() {
	local p ns
	for p in "${TS_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	ip link del vxu-h1 2>/dev/null || true
	ip link del vxu-h2 2>/dev/null || true
	for ns in $C1 vit-vx-c2 vit-vx-c3 $R1 $R2; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
# What a previous failed run may have left behind.
vx_teardown
trap 'cleanup; vx_teardown' EXIT

if ! command -v tshark >/dev/null; then
	echo "1..0 # SKIP tshark is not installed (scripts/install-deps.sh)"
	exit 0
fi

UL=
for net in 198.51.100 203.0.113 192.0.2; do
	if [ -z "$(ip -4 route show table all to root "$net.0/24")" ] &&
		! ip -4 route show table all to match "$net.0/24" | grep -qv '^default'; then
		UL=$net
		break
	fi
done
if [ -z "$UL" ]; then
	echo "1..0 # SKIP the host routes all of 198.51.100/24, 203.0.113/24, 192.0.2/24"
	exit 0
fi

# remote I: namespace vit-vx-rI (UL.(I+1) on vxu-rI, the peer of
# vxu-hI) with a kernel VTEP for VNI 5000 towards UL.1, bridged with
# container vit-vx-c(I+1) (10.30.0.(I+1)/24 on interface c(I+1)).
remote() {
	local i=$1 r=vit-vx-r$1 c=vit-vx-c$(($1 + 1)) a=$UL.$(($1 + 1)) n=$(($1 + 1))
	mkns "$r" quiet
	mkns "$c" quiet
	ip link add "vxu-h$i" type veth peer name "vxu-r$i"
	ip link set "vxu-r$i" netns "$r"
	sysctl -qw "net.ipv6.conf.vxu-h$i.disable_ipv6=1"
	ip link set "vxu-h$i" up
	in_ns "$r" ip addr add "$a/24" dev "vxu-r$i"
	in_ns "$r" ip link set "vxu-r$i" up
	in_ns "$r" ip link add vxlan0 type vxlan id 5000 remote $UL.1 local "$a" \
		dstport 4789 dev "vxu-r$i"
	in_ns "$r" ip link set vxlan0 mtu 1450
	in_ns "$r" ip link add br0 type bridge
	in_ns "$r" ip link set vxlan0 master br0
	in_ns "$r" ip link add "vxu-b$i" type veth peer name "c$n" netns "$c"
	in_ns "$r" ip link set "vxu-b$i" mtu 1450 master br0 up
	in_ns "$r" ip link set vxlan0 up
	in_ns "$r" ip link set br0 up
	in_ns "$c" ip link set "c$n" mtu 1450
	in_ns "$c" ip addr add "10.30.0.$n/24" dev "c$n"
	in_ns "$c" ip link set "c$n" up
}

# tnl_field PORT FIELD: a field of the port's "tunnel" object in show.
tnl_field() {
	vctl -f json show 2>/dev/null | py_json \
		"[p.get('tunnel',{}).get('$2','') for b in d['bridges'] for p in b['ports'] if p['name']=='$1'][0]" \
		2>/dev/null
}

# wait_up PORT: polls for up to 10 s until the tunnel's state is "up".
wait_up() {
	local i
	for i in $(seq 1 100); do
		[ "$(tnl_field "$1" state)" = up ] && return 0
		sleep 0.1
	done
	echo "state of $1: $(tnl_field "$1" state)"
	vctl -f json show
	vctl tnl/route-show
	vctl -f json tnl/neigh-show
	return 1
}

# drops REASON: a pmd-stats drop counter (absent counts as 0).
drops() {
	vctl -f json pmd-stats | py_json "int(d.get('drops',{}).get('$1',0) or 0)"
}

# ts_start NAME NS IFACE SECONDS FILTER: captures VXLAN's outer headers in
# the background (see vxpkt.py fields); returns once tshark captures.
ts_start() {
	local out="$WORK/ts.$1" i
	in_ns "$2" tshark -n -i "$3" -f "$5" -a "duration:$4" -T fields \
		-E occurrence=a -E 'separator=|' -e vxlan.vni -e udp.srcport -e ip.src \
		-e ip.dst -e ip.flags.df -e ip.ttl -e ip.dsfield >"$out" 2>"$out.err" &
	TS_PIDS+=($!)
	echo $! >"$out.pid"
	for i in $(seq 1 100); do
		grep -q "Capturing on" "$out.err" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}

# ts_result NAME [VNI]: waits for the capture to end (it is not this
# subshell's child: poll), prints its summary.
ts_result() {
	local pid i
	pid=$(cat "$WORK/ts.$1.pid")
	for i in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	"$PY" "$VXPY" fields "$WORK/ts.$1" ${2:+"$2"}
}

# key_flows: the OpenFlow half of the key=flow tunnel vx4.
key_flows() {
	vctl del-flows br-int &&
		vctl add-flow br-int "in_port=c1,actions=set_field:5000->tunnel_id,output:vx4" &&
		vctl add-flow br-int "tunnel_id=5000,in_port=vx4,actions=output:c1" &&
		vctl add-flow br-int "tunnel_id=5001,in_port=vx4,actions=drop"
}

# link_up NS DEV: DEV is administratively up in NS.
link_up() {
	in_ns "$1" ip -o link show "$2" | grep -q '[<,]UP[,>]'
}

vireo_alive() {
	kill -0 "$VPID" && vctl show >/dev/null
}

# show_cfg: what the configuration says, without counters or states.
show_cfg() {
	vctl -f json show | py_json "[(b['name'], [(p['name'], p['ofport'], p['type'], p.get('options')) for p in b['ports']]) for b in d['bridges']]"
	sha256sum "$CONF" | cut -d' ' -f1
}

vireo_start || { not_ok "vireod starts"; done_testing; }
ok "vireod starts"

remote 1
remote 2
mkns $C1 quiet
check "kernel VTEP 1 is up in $R1" link_up $R1 vxlan0
check "kernel VTEP 2 is up in $R2" link_up $R2 vxlan0

# Underlay.
vctl add-br br-phy
check "af_packet underlay port ul1 on vxu-h1" vctl add-port br-phy ul1 -- set interface ul1 type=dpdk \
	"options:devargs=net_af_packet_vxu1,iface=vxu-h1"
check "af_packet underlay port ul2 on vxu-h2" vctl add-port br-phy ul2 -- set interface ul2 type=dpdk \
	"options:devargs=net_af_packet_vxu2,iface=vxu-h2"
sysctl -qw net.ipv6.conf.br-phy.disable_ipv6=1 2>/dev/null || true
ip addr add $UL.1/24 dev br-phy
ip link set br-phy up

# Overlay.
vctl add-br br-int
sysctl -qw net.ipv6.conf.br-int.disable_ipv6=1 2>/dev/null || true
check "container c1 on br-int" vctl add-port br-int c1 -- set interface c1 \
	options:netns=$C1 options:ip=10.30.0.1/24 options:mtu=1450
check "tunnel port vx1 (remote $UL.2, key 5000)" vctl add-port br-int vx1 -- set interface vx1 \
	type=vxlan options:remote_ip=$UL.2 options:key=5000 options:local_ip=$UL.1
check "tunnel port vx2 (remote $UL.3, key 5000)" vctl add-port br-int vx2 -- set interface vx2 \
	type=vxlan options:remote_ip=$UL.3 options:key=5000 options:local_ip=$UL.1

# 1. Route and neighbours, found by vireod itself.
check "vx1 reaches state up" wait_up vx1
check "vx2 reaches state up" wait_up vx2
check_eq "vx1's underlay is br-phy, next hop $UL.2" "br-phy $UL.2" \
	"$(tnl_field vx1 underlay) $(tnl_field vx1 next_hop)"
neigh=$(vctl -f json tnl/neigh-show)
for i in 1 2; do
	ip=$UL.$((i + 1))
	mac=$(in_ns vit-vx-r$i ip -j link show vxu-r$i | py_json "d[0]['address']")
	got=$(printf '%s' "$neigh" | py_json "[(n['mac'].lower(), n['bridge'], n['state'] in ('REACHABLE','STALE')) for n in d['neighbours'] if n['ip']=='$ip']")
	check_eq "tnl/neigh-show resolved $ip to vxu-r$i's MAC on br-phy" "[('$mac', 'br-phy', True)]" "$got"
done

# 2. Pings across both tunnels, both ways.
check "c1 pings c2 (behind kernel VTEP 1)" in_ns $C1 ping -c 3 -W 2 -i 0.2 10.30.0.2
check "c1 pings c3 (behind kernel VTEP 2)" in_ns $C1 ping -c 3 -W 2 -i 0.2 10.30.0.3
check "c2 pings c1" in_ns vit-vx-c2 ping -c 2 -W 2 -i 0.2 10.30.0.1
check "c3 pings c1" in_ns vit-vx-c3 ping -c 2 -W 2 -i 0.2 10.30.0.1

# 3. What vireo puts on the wire, as tshark decodes it.
ts_start flows $R1 vxu-r1 5 "udp dst port 4789 and dst host $UL.2"
in_ns $C1 "$PY" "$VXPY" udpflows 10.30.0.1 10.30.0.2 9999 40001 8 3
in_ns $C1 ping -c 2 -i 0.2 -W 1 10.30.0.2 >/dev/null
ts=$(ts_result flows)
printf '%s\n' "$ts" | diag
check "tshark decodes vireo's frames as VXLAN, VNI 5000" \
	"$PY" -c "d=$ts; assert d['n'] >= 24 and d['vni'] == ['5000'], d"
check_eq "outer ip.src $UL.1, ip.dst $UL.2" "['$UL.1'] ['$UL.2']" \
	"$(printf '%s' "$ts" | py_json "d['src'], d['dst']" | tr -d '(),')"
check_eq "outer DF set, TTL 64 (the defaults)" "['1'] ['64']" \
	"$(printf '%s' "$ts" | py_json "d['df'], d['ttl']" | tr -d '(),')"
check "8 UDP flows from c1 get at least 2 distinct outer source ports" \
	"$PY" -c "d=$ts; assert len(d['flows']) == 8 and len(set(sum(d['flows'].values(), []))) >= 2, d['flows']"
check "all outer source ports are within 49152..65535" \
	"$PY" -c "d=$ts; assert d['sports'] and all(49152 <= p <= 65535 for p in d['sports']), d['sports']"
check "each flow keeps one outer source port" \
	"$PY" -c "d=$ts; assert d['flows'] and all(len(v) == 1 for v in d['flows'].values()), d['flows']"

# 4. MAC learning across tunnels.
fdb=$(vctl -f json fdb/show br-int)
for i in 2 3; do
	mac=$(mac_of vit-vx-c$i c$i)
	check_eq "fdb/show br-int has c$i's MAC on vx$((i - 1))" "vx$((i - 1))" \
		"$(printf '%s' "$fdb" | py_json "','.join(e.get('port_name','?') for e in d['entries'] if e['mac'].lower()=='$mac')")"
done

# 5. Head-end replication: one broadcast from c1, one copy in each remote.
MAC1=$(mac_of $C1 c1)
f2=$(count_rx vit-vx-c2 c2 88b5 2 vxbcast)
f3=$(count_rx vit-vx-c3 c3 88b5 2 vxbcast)
f1=$(count_rx $C1 c1 88b5 2 vxbcast)
send_raw $C1 c1 $BCAST "$MAC1" 88b5 1 vxbcast
check_eq "a broadcast from c1 arrives once in c2 and once in c3, not back in c1" "1 1 0" \
	"$(read_count "$f2") $(read_count "$f3") $(read_count "$f1")"

# 6. A VNI vireo has no port for (5001 from $UL.2) is dropped.
in_ns $R1 ip link add vxlan1 type vxlan id 5001 remote $UL.1 local $UL.2 dstport 4789 dev vxu-r1
in_ns $R1 ip addr add 10.31.0.2/24 dev vxlan1
in_ns $R1 ip link set vxlan1 up
MACV1=$(mac_of $R1 vxlan1)
before=$(drops tunnel_no_port)
f1=$(count_rx $C1 c1 88b5 3 vniwrong)
send_raw $R1 vxlan1 $BCAST "$MACV1" 88b5 5 vniwrong
in_ns $R1 ping -c 2 -i 0.2 -W 1 10.31.0.1 >/dev/null 2>&1
check_eq "nothing sent on VNI 5001 reaches c1" 0 "$(read_count "$f1")"
after=$(drops tunnel_no_port)
check "pmd-stats tunnel_no_port grew by the 5 frames ($before -> $after)" test $((after - before)) -ge 5
check "c1 still pings c2" in_ns $C1 ping -c 2 -W 2 -i 0.2 10.30.0.2

# 7. Broken VXLAN packets: each kind counted as malformed, none forwarded.
f1=$(count_rx $C1 c1 88b5 10 vxgarbled)
for kind in iflag shortvx shortinner udplen; do
	before=$(drops tunnel_malformed)
	in_ns $R1 "$PY" "$VXPY" garbled $kind 3 $UL.2 $UL.1 vxgarbled
	sleep 0.3
	after=$(drops tunnel_malformed)
	check_eq "3 malformed VXLAN packets ($kind) counted as tunnel_malformed" 3 $((after - before))
done
check_eq "no inner frame of a malformed packet reaches c1" 0 "$(read_count "$f1")"
check "c1 still pings c2 after the garbage" in_ns $C1 ping -c 2 -W 2 -i 0.2 10.30.0.2

# 8. Too big: 1500-byte IP packets from c1 would need 1550 bytes outside.
in_ns $C1 ip link set c1 mtu 1500
before=$(drops tunnel_too_big)
check "a 1500-byte packet from c1 does not reach c2" \
	bash -c "! ip netns exec $C1 ping -c 3 -W 1 -i 0.2 -s 1472 -M do 10.30.0.2"
after=$(drops tunnel_too_big)
check "pmd-stats tunnel_too_big grew by the 3 pings ($before -> $after)" test $((after - before)) -ge 3
check "a 1450-byte packet (1500 outside) still passes" \
	in_ns $C1 ping -c 2 -W 2 -i 0.2 -s 1422 -M "do" 10.30.0.2
in_ns $C1 ip link set c1 mtu 1450

# 9. Options tos, ttl, df_default on a third tunnel (VNI 5003 to remote 1).
in_ns $R1 ip link add vxlan2 type vxlan id 5003 remote $UL.1 local $UL.2 dstport 4789 dev vxu-r1
in_ns $R1 ip link set vxlan2 up
check "vx3 with tos=32 ttl=10 df_default=false" vctl add-port br-int vx3 -- set interface vx3 \
	type=vxlan options:remote_ip=$UL.2 options:key=5003 options:tos=32 options:ttl=10 \
	options:df_default=false
check "vx3 reaches state up" wait_up vx3
ts_start opts $R1 vxu-r1 3 "udp dst port 4789 and dst host $UL.2"
send_raw $C1 c1 $BCAST "$MAC1" 88b5 3 vxopts
ts=$(ts_result opts 5003)
printf '%s\n' "$ts" | diag
check "tshark saw vx3's 3 broadcasts on VNI 5003" "$PY" -c "d=$ts; assert d['n'] >= 3, d"
check_eq "vx3's frames: dsfield 0x20, TTL 10, DF clear" "['0x20'] ['10'] ['0']" \
	"$(printf '%s' "$ts" | py_json "d['dsfield'], d['ttl'], d['df']" | tr -d '(),')"
check "del-port vx3" vctl del-port vx3
in_ns $R1 ip link del vxlan2

# 10. key=flow: OpenFlow sets and matches tunnel_id.
check "del-port vx1" vctl del-port vx1
check "vx4 with remote_ip=$UL.2 key=flow" vctl add-port br-int vx4 -- set interface vx4 \
	type=vxlan options:remote_ip=$UL.2 options:key=flow options:local_ip=$UL.1
check "vx4 reaches state up" wait_up vx4
check "flows: c1 -> tunnel_id 5000 on vx4, back only for 5000" key_flows
in_ns $C1 ip neigh flush dev c1
check "c1 pings c2 through the tunnel_id flows" in_ns $C1 ping -c 3 -W 2 -i 0.2 10.30.0.2
n=$(vctl -f json dump-flows br-int "tunnel_id=5000,in_port=vx4" | py_json "d['flows'][0]['n_packets']")
check "dump-flows: the tunnel_id=5000 flow counted c2's replies ($n)" test "${n:-0}" -gt 0
f1=$(count_rx $C1 c1 88b5 2 vniflow)
send_raw $R1 vxlan1 $BCAST "$MACV1" 88b5 5 vniflow
check_eq "frames on VNI 5001 hit the drop flow, none reach c1" 0 "$(read_count "$f1")"
n=$(vctl -f json dump-flows br-int "tunnel_id=5001,in_port=vx4" | py_json "d['flows'][0]['n_packets']")
check "dump-flows: the tunnel_id=5001 drop flow counted them ($n)" test "${n:-0}" -ge 5
vctl dump-flows br-int | diag
vctl del-port vx4

# 10b. remote_ip=flow: OpenFlow picks the remote with set_field on tun_dst;
# the path to it is resolved on demand; tun_src is matched on the way back.
# (vx2, remote $UL.3 key 5000, would take the replies: a port with the exact
# remote and key wins over a flow-based one, as in Open vSwitch.)
vctl del-port vx2
check "vx5 with remote_ip=flow key=flow" vctl add-port br-int vx5 -- set interface vx5 \
	type=vxlan options:remote_ip=flow options:key=flow options:local_ip=$UL.1
check "flows: c1 -> tun_dst $UL.3, tunnel_id 5000 on vx5; back only from $UL.3" bash -c "
	$VIREOCTL --socket $SOCK del-flows br-int &&
	$VIREOCTL --socket $SOCK add-flow br-int 'in_port=c1,actions=set_field:5000->tunnel_id,set_field:$UL.3->tun_dst,output:vx5' &&
	$VIREOCTL --socket $SOCK add-flow br-int 'tun_src=$UL.3,tunnel_id=5000,in_port=vx5,actions=output:c1'"
in_ns $C1 ip neigh flush dev c1
# The first frames ask for the path to $UL.3 and are dropped until it is known.
in_ns $C1 ping -c 2 -W 1 -i 0.3 10.30.0.3 >/dev/null 2>&1
check "c1 pings c3 through a remote chosen by the flow" in_ns $C1 ping -c 3 -W 2 -i 0.2 10.30.0.3
check "... but not c2 (its remote is not the flow's)" bash -c "! ip netns exec $C1 ping -c 2 -W 1 -i 0.2 10.30.0.2 >/dev/null"
check "a flow matching tun_dst is refused" bash -c "! $VIREOCTL --socket $SOCK add-flow br-int 'tun_dst=$UL.1,actions=drop' 2>/dev/null"
vctl del-flows br-int
vctl add-flow br-int "priority=0,actions=NORMAL"
vctl del-port vx5
vctl add-port br-int vx2 -- set interface vx2 type=vxlan options:remote_ip=$UL.3 \
	options:key=5000 options:local_ip=$UL.1
check "vx1 back with key 5000" vctl add-port br-int vx1 -- set interface vx1 \
	type=vxlan options:remote_ip=$UL.2 options:key=5000 options:local_ip=$UL.1
check "vx1 up again" wait_up vx1

# 11. Bad tunnel options: refused, nothing changes.
cfg_before=$(show_cfg)
bad_tnl() {
	local re=$1 rc
	shift
	"$VIREOCTL" --socket "$SOCK" add-port br-int vxbad -- set interface vxbad type=vxlan "$@" \
		>/dev/null 2>"$WORK/err" && rc=0 || rc=$?
	if [ $rc -ne 0 ] && grep -Eqi "$re" "$WORK/err" && [ "$(show_cfg)" = "$cfg_before" ]; then
		ok "refused: $*"
	else
		not_ok "refused: $*"
		printf 'status %s, stderr [%s], wanted /%s/, config unchanged: %s\n' "$rc" \
			"$(cat "$WORK/err")" "$re" "$([ "$(show_cfg)" = "$cfg_before" ] && echo yes || echo no)" | diag
	fi
}
bad_tnl remote_ip options:remote_ip=$UL.300 options:key=5010
bad_tnl remote_ip options:key=5010
bad_tnl key options:remote_ip=$UL.2 options:key=16777216
bad_tnl key options:remote_ip=$UL.2 options:key=abc
bad_tnl dst_port options:remote_ip=$UL.2 options:key=5010 options:dst_port=0
bad_tnl ttl options:remote_ip=$UL.2 options:key=5010 options:ttl=0
bad_tnl colour options:remote_ip=$UL.2 options:key=5010 options:colour=red
bad_tnl "clash|same" options:remote_ip=$UL.2 options:key=5000 options:local_ip=$UL.1
check "c1 still pings c2 after the refusals" in_ns $C1 ping -c 2 -W 2 -i 0.2 10.30.0.2

# 12. Restart: the tunnel comes back from the configuration.
vireo_stop
check_eq "SIGTERM stops vireod with status 0" 0 $?
vireo_start || not_ok "vireod restarts"
# The internal port is a new tap: give it its address again.
for _ in $(seq 1 50); do ip link show br-phy >/dev/null 2>&1 && break; sleep 0.1; done
sysctl -qw net.ipv6.conf.br-phy.disable_ipv6=1 2>/dev/null || true
ip addr replace $UL.1/24 dev br-phy
ip link set br-phy up
check_eq "vx1 is back after the restart, a vxlan port" vxlan \
	"$(vctl -f json show | py_json "[p['type'] for b in d['bridges'] for p in b['ports'] if p['name']=='vx1'][0]")"
check "vx1 reaches state up after the restart" wait_up vx1
check "c1 pings c2 after the restart" in_ns $C1 ping -c 3 -W 2 -i 0.2 10.30.0.2

# 13. Still alive.
check "vireod is still running and answers" vireo_alive

done_testing
