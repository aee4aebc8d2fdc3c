#!/usr/bin/env bash
# Three containers (network namespaces) on tap ports of one bridge ping
# each other and the host through the bridge's internal port; the MAC
# table and the port counters show what happened.
. "$(dirname "$0")/lib.sh"

BR=vtping
vireo_start || { not_ok "vireod starts"; done_testing; }
ok "vireod starts"

check "add-br $BR" vctl add-br $BR
for i in 1 2 3; do
	mkns "vit-ping-c$i"
	check "add-port c$i in its namespace" vctl add-port $BR c$i -- set interface c$i type=tap \
		options:netns=vit-ping-c$i options:ip=10.201.0.$i/24
done
ip addr add 10.201.0.254/24 dev $BR

check "c$i exists inside its namespace with its address" \
	in_ns vit-ping-c3 ip -4 addr show dev c3 to 10.201.0.3/24
check "the internal port $BR is a host interface, up" ip link show $BR up

for pair in "1 2" "1 3" "2 3" "3 1"; do
	set -- $pair
	check "c$1 pings c$2" in_ns vit-ping-c$1 ping -c 2 -W 2 -i 0.2 10.201.0.$2
done
for i in 1 2 3; do
	check "host pings c$i through the internal port" ping -c 2 -W 2 -i 0.2 10.201.0.$i
done
check "c2 pings the host" in_ns vit-ping-c2 ping -c 2 -W 2 -i 0.2 10.201.0.254

fdb=$(vctl -f json fdb/show $BR)
for i in 1 2 3; do
	mac=$(mac_of vit-ping-c$i c$i)
	port=$(printf '%s' "$fdb" | py_json "[e['port'] for e in d['entries'] if e['mac']=='$mac'][0]")
	check_eq "fdb/show has c$i's MAC on ofport $i" "$i" "$port"
done
text=$(vctl fdb/show $BR)
check "fdb/show prints a table with the VLAN column" grep -q "port  VLAN  MAC" <<<"$text"

ports=$(vctl -f json dump-ports $BR)
for i in 1 2 3; do
	n=$(printf '%s' "$ports" | py_json "[p for p in d['ports'] if p['name']=='c$i'][0]['rx_packets'] > 4 and [p for p in d['ports'] if p['name']=='c$i'][0]['tx_packets'] > 4")
	check_eq "dump-ports counts c$i's frames both ways" "True" "$n"
done
show=$(vctl -f json show)
ups=$(printf '%s' "$show" | py_json "sum(1 for b in d['bridges'] for p in b['ports'] if p['link']=='up')")
check_eq "show lists the internal port and three taps, all up" "4" "$ups"

# A TCP transfer, not only ICMP: 2 MB from c1 to c3 through the bridge.
in_ns vit-ping-c3 "$PY" -c '
import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.201.0.3", 5001)); s.listen(1); c,_=s.accept(); n=0
while True:
    b=c.recv(65536)
    if not b: break
    n+=len(b)
print(n)' >"$WORK/tcp.out" &
sleep 0.5
in_ns vit-ping-c1 "$PY" -c '
import socket
s=socket.create_connection(("10.201.0.3", 5001), timeout=10); s.sendall(b"v"*2000000); s.close()'
for _ in $(seq 1 50); do [ -s "$WORK/tcp.out" ] && break; sleep 0.1; done
check_eq "a 2 MB TCP transfer c1 -> c3 arrives whole" "2000000" "$(cat "$WORK/tcp.out")"

done_testing
