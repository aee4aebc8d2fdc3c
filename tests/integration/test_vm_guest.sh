#!/usr/bin/env bash
# A real VM on vireo: a QEMU guest (Linux, virtio-net, software emulation)
# on a vhost-user port pings a container on a tap port and moves TCP data
# both ways, in client mode (QEMU owns the socket) and server mode (vireod
# owns it); it keeps working across a guest reboot and, in client mode,
# across a vireod restart with the guest left running; vireo's counters
# match the guest's own.
. "$(dirname "$0")/lib.sh"
. "$IT_DIR/guest/guest.sh"

BR=vtvm
GUEST_BOOT_TIMEOUT=150
trap 'guest_stop_all; cleanup' EXIT

if ! out=$(guest_build 2>&1); then
	not_ok "build the guest kernel and initramfs"
	printf '%s\n' "$out" | tail -20 | diag
	done_testing
fi
ok "build the guest kernel and initramfs"

vireo_start --vhost-dir "$WORK" || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
mkns vit-vm-c1 quiet
vctl add-port $BR c1 -- set interface c1 options:netns=vit-vm-c1 options:ip=10.208.0.1/24

# Container -> guest and guest -> container TCP, 2 MB each way.
tcp_both_ways() {
	local g=$1 gip=$2 got
	in_ns vit-vm-c1 "$PY" -c "
import socket
s = socket.create_connection(('$gip', 5001), timeout=60); s.sendall(b'v' * 2000000); s.close()"
	sleep 1
	got=$(guest_exec "$g" 'cat /tmp/sink.bytes')
	check_eq "$g: 2 MB TCP container -> guest arrive whole" 2000000 "$got"
	in_ns vit-vm-c1 "$PY" -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('10.208.0.1', 5002)); s.listen(1); s.settimeout(90); c, _ = s.accept(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    n += len(b)
print(n)" >"$WORK/tcp.$g" &
	sleep 0.5
	guest_exec "$g" 'dd if=/dev/zero bs=1000 count=2000 2>/dev/null | nc 10.208.0.1 5002' 90 >/dev/null
	for _ in $(seq 1 100); do [ -s "$WORK/tcp.$g" ] && break; sleep 0.1; done
	check_eq "$g: 2 MB TCP guest -> container arrive whole (guest checksums completed)" \
		2000000 "$(cat "$WORK/tcp.$g")"
}

guest_ping() {
	guest_exec "$1" "ping -c 3 -W 2 $2" 60 >/dev/null
}

# --- client mode: QEMU owns the socket, vireod connects ---
guest_start g1 "$WORK/g1.sock" server 10.208.0.11/24 52:54:00:08:00:11
check "add a vhost-user-client port for the VM" vctl add-port $BR vm1 -- set interface vm1 \
	type=vhost-user-client "options:vhost-server-path=$WORK/g1.sock"
check "the VM boots" guest_wait_ready g1
guest_wait_link g1 >/dev/null
check "the VM pings the container" guest_ping g1 10.208.0.1
check "the container pings the VM" in_ns vit-vm-c1 ping -c 3 -W 2 -i 0.3 10.208.0.11
tcp_both_ways g1 10.208.0.11

# Counters: what the guest sent and received, vireo received and sent.
gstat() { guest_exec g1 "cat /sys/class/net/eth0/statistics/$1"; }
vstat() { vctl -f json dump-ports $BR vm1 | py_json "d['ports'][0]['$1']"; }
# A TCG guest drains its ring late and the container may send a stray
# frame (ND, ARP) at any moment: take the four counters only when two
# readings in a row agree, so the snapshot is of a quiet link.
snapshot() {
	local a b
	for _ in $(seq 1 30); do
		a="$(gstat tx_packets) $(gstat rx_packets) $(vstat rx_packets) $(vstat tx_packets)"
		sleep 0.3
		b="$(gstat tx_packets) $(gstat rx_packets) $(vstat rx_packets) $(vstat tx_packets)"
		[ "$a" = "$b" ] && break
	done
	echo "$b"
}
read -r g_tx0 g_rx0 v_rx0 v_tx0 <<<"$(snapshot)"
guest_ping g1 10.208.0.1
read -r g_tx1 g_rx1 v_rx1 v_tx1 <<<"$(snapshot)"
check_eq "vireo received what the guest sent" $((g_tx1 - g_tx0)) $((v_rx1 - v_rx0))
check_eq "the guest received what vireo sent" $((g_rx1 - g_rx0)) $((v_tx1 - v_tx0))
check "the ping crossed the port" test $((v_rx1 - v_rx0)) -ge 3

check "the VM reboots" guest_reboot g1 150
check "pings resume after the reboot" guest_ping g1 10.208.0.1

vireo_stop
check_eq "vireod stops cleanly with the VM attached" 0 $?
vireo_start --vhost-dir "$WORK" || not_ok "vireod restarts"
for _ in $(seq 1 100); do
	[ "$(vctl -f json show | py_json "[p['link'] for b in d['bridges'] for p in b['ports'] if p['name']=='vm1'][0]")" = up ] && break
	sleep 0.1
done
check "pings resume after vireod restarts, the VM left running" guest_ping g1 10.208.0.1
guest_stop g1
vctl del-port vm1

# --- server mode: vireod owns the socket, QEMU connects ---
check "add a vhost-user port" vctl add-port $BR vm2 -- set interface vm2 type=vhost-user
guest_start g2 "$WORK/vm2" client 10.208.0.12/24 52:54:00:08:00:12
check "the VM boots on vireod's socket" guest_wait_ready g2
guest_wait_link g2 >/dev/null
check "the VM pings the container" guest_ping g2 10.208.0.1
tcp_both_ways g2 10.208.0.12
check "the VM reboots" guest_reboot g2 150
check "pings resume after the reboot" guest_ping g2 10.208.0.1
guest_stop g2
check "the VM gone, its port is down" bash -c "sleep 1; $VIREOCTL --socket $SOCK -f json show | grep -q '\"link\": \"down\"'"
ip addr add 10.208.0.254/24 dev $BR
ip link set $BR up
check "with the VM gone, the container still reaches the host" \
	in_ns vit-vm-c1 ping -c 2 -W 2 -i 0.2 10.208.0.254

done_testing
