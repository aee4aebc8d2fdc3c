#!/usr/bin/env bash
# VM NICs on vhost-user ports, with DPDK's virtio-user (dpdk-testpmd in
# macswap mode) as the guest: frames from a container reach the guest and
# come back reflected, in server mode (vireod owns the socket) and client
# mode (the guest owns it); the port follows the guest going away and
# coming back, and vireod restarting, with no command typed; bad socket
# settings are refused.
. "$(dirname "$0")/lib.sh"

BR=vtvhost
ET=88b5
GMAC=02:00:00:00:aa:01
declare -A TP

# tp_start NAME PATH [server] [QUEUES]: a virtio-user guest reflecting frames.
tp_start() {
	local name=$1 path=$2 server=${3:-0} q=${4:-1}
	# With --stats-period testpmd runs until signalled, without reading stdin.
	dpdk-testpmd -l 0,1 --no-pci --file-prefix "vit_tp_$name" --single-file-segments \
		--vdev "net_virtio_user0,path=$path,server=$server,queues=$q,mac=$GMAC" -- \
		--forward-mode=macswap --auto-start --rxq="$q" --txq="$q" --stats-period 3600 \
		--total-num-mbufs=8192 </dev/null >"$WORK/tp_$name.log" 2>&1 &
	TP[$name]=$!
}

tp_stop() {
	pkill -f "file-prefix vit_tp_$1 " 2>/dev/null
	for _ in $(seq 1 50); do
		pgrep -f "file-prefix vit_tp_$1 " >/dev/null || break
		sleep 0.1
	done
	rm -f /dev/hugepages/"vit_tp_$1"*
	rm -rf "/var/run/dpdk/vit_tp_$1"
}

# reflected TAG: frames c1 sends to the guest that come back to c1.
reflected() {
	local f
	f=$(count_rx vit-vh-c1 c1 $ET 3 "$1")
	send_raw vit-vh-c1 c1 $GMAC "$C1MAC" $ET 10 "$1"
	read_count "$f"
}

# wait_link PORT up|down.  A guest that has just attached may not have
# posted its receive buffers yet, so give it half a second after "up".
wait_link() {
	for _ in $(seq 1 100); do
		if [ "$(vctl -f json show | py_json "[p['link'] for b in d['bridges'] for p in b['ports'] if p['name']=='$1'][0]")" = "$2" ]; then
			[ "$2" = down ] || sleep 0.5
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# port_field "COMMAND ARGS" PORT EXPR: EXPR of PORT's object in COMMAND's JSON.
port_field() {
	# shellcheck disable=SC2086
	vctl -f json $1 | py_json "[p for b in d.get('bridges', [d]) for p in b['ports'] if p['name']=='$2'][0]$3"
}

trap 'tp_stop srv; tp_stop cli; tp_stop mq; cleanup' EXIT
vireo_start --vhost-dir "$WORK" || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
# The host's internal port must not chatter (IPv6 router solicitations) into
# the counts of frames sent to the guest.
sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1"
mkns vit-vh-c1 quiet
mkns vit-vh-c2 quiet
vctl add-port $BR c1 -- set interface c1 options:netns=vit-vh-c1 options:ip=10.206.0.1/24
vctl add-port $BR c2 -- set interface c2 options:netns=vit-vh-c2 options:ip=10.206.0.2/24
C1MAC=$(mac_of vit-vh-c1 c1)

# --- server mode ---
check "add a vhost-user port" vctl add-port $BR vm1 -- set interface vm1 type=vhost-user
check "vireod created the socket in its vhost directory" test -S "$WORK/vm1"
check_eq "without a guest the port is down" down "$(port_field show vm1 "['link']")"
tp_start srv "$WORK/vm1"
check "the guest connects: link up" wait_link vm1 up
check_eq "show reports the queues the guest enabled" "{'max': 8, 'rx': 1, 'tx': 1}" \
	"$(port_field show vm1 "['queues']")"
check_eq "10 frames to the guest come back reflected" 10 "$(reflected srv1)"
check "dump-ports counts the guest's frames both ways" "$PY" -c \
	"d=$(port_field "dump-ports $BR" vm1 ""); assert d['rx_packets']>=10 and d['tx_packets']>=10, d"

tp_stop srv
check "the guest goes away: link down" wait_link vm1 down
drops0=$(port_field "dump-ports $BR" vm1 "['tx_dropped']")
send_raw vit-vh-c1 c1 $GMAC "$C1MAC" $ET 5 gone
sleep 0.3
drops1=$(port_field "dump-ports $BR" vm1 "['tx_dropped']")
check_eq "frames for the absent guest are dropped and counted" 5 $((drops1 - drops0))
check "other ports keep forwarding meanwhile" in_ns vit-vh-c1 ping -c 2 -W 2 -i 0.2 10.206.0.2
tp_start srv "$WORK/vm1"
check "the guest comes back: link up" wait_link vm1 up
check_eq "traffic resumes with no command typed" 10 "$(reflected srv2)"
tp_stop srv

# --- client mode: the guest owns the socket ---
tp_start cli "$WORK/guest.sock" 1
for _ in $(seq 1 50); do [ -S "$WORK/guest.sock" ] && break; sleep 0.1; done
check "add a vhost-user-client port" vctl add-port $BR vm2 -- set interface vm2 \
	type=vhost-user-client "options:vhost-server-path=$WORK/guest.sock"
check "vireod connects to the guest: link up" wait_link vm2 up
vctl fdb/flush $BR
check_eq "frames reach the client-mode guest and come back" 10 "$(reflected cli1)"

before=$(vctl -f json show | py_json "[(p['name'], p['ofport'], p['type'], p['options']) for b in d['bridges'] for p in b['ports']]")
vireo_stop
check_eq "vireod stops cleanly with a guest attached" 0 $?
vireo_start --vhost-dir "$WORK" || not_ok "vireod restarts"
after=$(vctl -f json show | py_json "[(p['name'], p['ofport'], p['type'], p['options']) for b in d['bridges'] for p in b['ports']]")
check_eq "the restarted vireod has the same ports" "$before" "$after"
check "it reconnects to the guest left running" wait_link vm2 up
check_eq "traffic resumes after the switch restart" 10 "$(reflected cli2)"
tp_stop cli
check "the guest goes away: link down" wait_link vm2 down
tp_start cli "$WORK/guest.sock" 1
check "vireod reconnects by itself when the guest comes back" wait_link vm2 up
check_eq "traffic resumes after the guest restart" 10 "$(reflected cli3)"
tp_stop cli
vctl del-port vm2

# --- multiqueue ---
check "a vhost-user port with 4 queue pairs" vctl add-port $BR vm3 -- set interface vm3 \
	type=vhost-user options:queues=4
tp_start mq "$WORK/vm3" 0 2
check "the 2-queue guest connects" wait_link vm3 up
for _ in $(seq 1 30); do
	[ "$(port_field show vm3 "['queues']['rx']")" = 2 ] && break
	sleep 0.1
done
check_eq "show reports the 2 queue pairs the guest enabled" "{'max': 4, 'rx': 2, 'tx': 2}" \
	"$(port_field show vm3 "['queues']")"
vctl fdb/flush $BR
check_eq "frames cross the multiqueue port" 10 "$(reflected mq1)"
tp_stop mq

# --- bad settings ---
bad() {
	local expect=$1 err rc
	shift
	err=$(vctl "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	if [ $rc -eq 2 ] && [[ "$err" == *"$expect"* ]]; then
		ok "refused ($expect)"
	else
		not_ok "refused ($expect)"
		echo "status $rc: $err" | diag
	fi
}
sum=$(sha256sum "$CONF")
touch "$WORK/vmfile"
bad "exists and is not a socket" add-port $BR vmfile -- set interface vmfile type=vhost-user
"$PY" -c "import socket,time; s=socket.socket(socket.AF_UNIX); s.bind('$WORK/vmbusy'); s.listen(1); time.sleep(30)" &
busy=$!
for _ in $(seq 1 30); do [ -S "$WORK/vmbusy" ] && break; sleep 0.1; done
bad "in use by another process" add-port $BR vmbusy -- set interface vmbusy type=vhost-user
kill $busy
bad "already used by port vm1" add-port $BR vm4 -- set interface vm4 type=vhost-user-client \
	"options:vhost-server-path=$WORK/vm1"
bad "not a socket" add-port $BR vm5 -- set interface vm5 type=vhost-user-client \
	"options:vhost-server-path=$WORK/vmfile"
bad "bad vhost-server-path" add-port $BR vm6 -- set interface vm6 type=vhost-user-client \
	options:vhost-server-path=relative.sock
bad "needs options:vhost-server-path" add-port $BR vm7 -- set interface vm7 type=vhost-user-client
bad "bad queues" add-port $BR vm8 -- set interface vm8 type=vhost-user options:queues=99
bad "unknown option" add-port $BR vm9 -- set interface vm9 type=vhost-user options:mtu=9000
check_eq "refusals left the configuration as it was" "$sum" "$(sha256sum "$CONF")"
check "del-port removes the server socket" bash -c "$VIREOCTL --socket $SOCK del-port vm1 && test ! -e $WORK/vm1"

done_testing
