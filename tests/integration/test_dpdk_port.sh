#!/usr/bin/env bash
# Any DPDK device as a port: net_af_packet on a veth whose far end is an
# "outside" host in a namespace, and net_null as a sink, on one bridge
# with a container on a tap port.
. "$(dirname "$0")/lib.sh"

BR=vtdpdk
vireo_start || { not_ok "vireod starts"; done_testing; }
mkns vit-dp-c1
mkns vit-dp-ext
ip link del vit-dp-h 2>/dev/null || true
ip link add vit-dp-h type veth peer name ext0
ip link set ext0 netns vit-dp-ext
in_ns vit-dp-ext ip addr add 10.205.0.9/24 dev ext0
in_ns vit-dp-ext ip link set ext0 up
ip link set vit-dp-h up
trap 'ip link del vit-dp-h 2>/dev/null; cleanup' EXIT

vctl add-br $BR
check "add a container on a tap port" vctl add-port $BR c1 -- set interface c1 \
	options:netns=vit-dp-c1 options:ip=10.205.0.1/24
check "add an af_packet port on the veth" vctl add-port $BR p0 -- set interface p0 type=dpdk \
	"options:devargs=net_af_packet_vit0,iface=vit-dp-h"
check "add a null sink" vctl add-port $BR n0 -- set interface n0 type=dpdk \
	"options:devargs=net_null_vit0,no-rx=1"
check "the container pings the outside host through af_packet" \
	in_ns vit-dp-c1 ping -c 3 -W 2 -i 0.2 10.205.0.9
check "the outside host pings the container" in_ns vit-dp-ext ping -c 2 -W 2 -i 0.2 10.205.0.1

stats=$(vctl -f json dump-ports $BR)
p0=$(printf '%s' "$stats" | py_json "[p for p in d['ports'] if p['name']=='p0'][0]")
check "p0 counted frames both ways" "$PY" -c "d=$p0; assert d['rx_packets']>=5 and d['tx_packets']>=5, d"
n0=$(printf '%s' "$stats" | py_json "[p for p in d['ports'] if p['name']=='n0'][0]['tx_packets']")
check "the null sink got the flooded frames" test "$n0" -ge 1
check_eq "show reports the dpdk port's type" dpdk \
	"$(vctl -f json show | py_json "[p['type'] for p in d['bridges'][0]['ports'] if p['name']=='p0'][0]")"
# pmd-rxq-show: every port's rx queue on a PMD, p0's frames counted; after
# one usage interval (10 s) each queue has a usage share.
rxqs() {
	vctl -f json pmd-rxq-show | py_json "sorted((q['port'], q['queue'], q['packets'], q['usage']) for p in d['pmds'] for q in p['rxqs'])"
}
check "pmd-rxq-show lists the rx queues of c1, p0, n0 and the internal port" "$PY" -c "
q = $(rxqs)
names = sorted(set(n for n, _, _, _ in q))
assert names == sorted(['c1', 'p0', 'n0', '$BR']), names
assert [p for n, _, p, _ in q if n == 'p0'][0] >= 5, q"
in_ns vit-dp-c1 ping -c 24 -i 0.5 -W 1 10.205.0.9 >/dev/null 2>&1 &
PING_PID=$!
sleep 11
check "after an interval every queue has a usage share between 0 and 100" "$PY" -c "
q = $(rxqs)
assert all(u is not None and 0 <= u <= 100 for _, _, _, u in q), q"
check "pmd-rxq-show prints each queue's usage" bash -c "$VIREOCTL --socket $SOCK pmd-rxq-show | grep -Eq '^  port: p0 +queue-id: +0  pmd usage: +[0-9]+ %  packets: [0-9]+'"
wait $PING_PID
out=$(vctl add-port $BR p1 -- set interface p1 type=dpdk options:devargs=net_null_vit0 2>&1) && rc=0 || rc=$?
check "the same device cannot be opened twice" bash -c "[ $rc -eq 2 ] && grep -q 'already in use' <<<'$out'"
check "del-port of a dpdk port" vctl del-port p0
check "the container still reaches nothing outside" bash -c "! ip netns exec vit-dp-c1 ping -c 1 -W 1 10.205.0.9"

done_testing
