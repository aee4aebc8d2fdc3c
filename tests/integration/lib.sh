#!/usr/bin/env bash
# lib.sh - shared by the integration tests: TAP output, a private vireod
# per test, and network namespaces as containers.  Source it, then call
# vireo_start; the EXIT trap stops the daemon and removes what the test
# made (namespaces, hugepage files, temporary files).
set -u

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP integration tests need root (namespaces, taps, hugepages)"
	exit 0
fi

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$IT_DIR/../.." && pwd)
VIREOD=${VIREOD:-$ROOT/build/control/vireod}
VIREOCTL=${VIREOCTL:-$ROOT/build/cli/vireoctl}
PY=/usr/bin/python3
RAWIO="$IT_DIR/rawio.py"

T_NAME=$(basename "$0" .sh)
T_NUM=0
T_FAIL=0
WORK=$(mktemp -d "/tmp/vireo-$T_NAME.XXXXXX")
SOCK=$WORK/vireod.sock
CONF=$WORK/conf.json
PREFIX="vit_$T_NAME"
VPID=
NETNS=()

ok() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $*"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_NUM - $*"
}

diag() {
	sed 's/^/# /'
}

# check DESCRIPTION COMMAND...: one TAP line for whether COMMAND succeeds.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		printf '%s\n' "$out" | tail -20 | diag
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf 'expected: %s\n  actual: %s\n' "$2" "$3" | diag
	fi
}

done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAIL" -eq 0 ]
	exit $?
}

vctl() {
	"$VIREOCTL" --socket "$SOCK" "$@"
}

# JSON field extraction without jq: py_json 'expr over d' < json
py_json() {
	"$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

hugepage_files() {
	ls /dev/hugepages 2>/dev/null | grep -c "^${PREFIX}" || true
}

vireo_start() {
	"$VIREOD" -l 0,1 --file-prefix "$PREFIX" -- --config "$CONF" --socket "$SOCK" \
		"$@" >>"$WORK/vireod.log" 2>&1 &
	VPID=$!
	local i
	for i in $(seq 1 150); do
		if vctl list-br >/dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 "$VPID" 2>/dev/null; then
			echo "# vireod exited early:" && tail -20 "$WORK/vireod.log" | diag
			VPID=
			return 1
		fi
		sleep 0.1
	done
	echo "# vireod did not come up" && tail -20 "$WORK/vireod.log" | diag
	return 1
}

# vireo_stop: SIGTERM and wait; returns vireod's exit status.
vireo_stop() {
	local rc=0 i
	[ -n "$VPID" ] || return 0
	kill -TERM "$VPID" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$VPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$VPID" 2>/dev/null; then
		kill -KILL "$VPID"
		rc=137
	fi
	wait "$VPID" 2>/dev/null || rc=$?
	VPID=
	return $rc
}

# mkns NAME [quiet]: a fresh network namespace standing for a container.
# A quiet one has IPv6 off, so it sends nothing (no router solicitations,
# no MLD) that the test did not ask for.
mkns() {
	ip netns del "$1" 2>/dev/null || true
	ip netns add "$1"
	ip netns exec "$1" ip link set lo up
	if [ "${2:-}" = quiet ]; then
		ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	fi
	NETNS+=("$1")
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

mac_of() {
	in_ns "$1" cat "/sys/class/net/$2/address"
}

# count_rx NS IFACE ETHERTYPE SECONDS TAG: starts a background counter;
# prints the file its count will be written to, once it is listening.
count_rx() {
	local out="$WORK/count.$1.$2.$RANDOM" i
	in_ns "$1" "$PY" "$RAWIO" count "$2" "$3" "$4" "$out.ready" "$5" >"$out" 2>&1 &
	for i in $(seq 1 50); do
		[ -e "$out.ready" ] && break
		sleep 0.1
	done
	echo "$out"
}

# read_count FILE: waits for a counter started by count_rx and prints it.
read_count() {
	local i
	for i in $(seq 1 100); do
		if [ -s "$1" ]; then
			cat "$1"
			return 0
		fi
		sleep 0.1
	done
	echo "timeout"
}

send_raw() {
	local ns=$1
	shift
	in_ns "$ns" "$PY" "$RAWIO" send "$@"
}

# send_case NAME FROM DST VLANS EXPECT: port FROM sends 3 frames of
# EtherType $ET with tag stack VLANS (rawio.py syntax) to DST; EXPECT lists
# "port:stack=count" for each port that must see them (stack "-" is
# untagged); every other port of $PORTS must see none. Ports live in
# namespaces "$NSP<port>"; their MACs are in the array MAC.
send_case() {
	local name=$1 from=$2 dst=$3 vlans=$4 expect=" $5 " p got want all=""
	declare -A f
	for p in $PORTS; do
		[ "$p" = "$from" ] && continue
		f[$p]=$(in_ns "$NSP$p" "$PY" "$RAWIO" tags $p $ET 2 "$WORK/$name.$p.ready" "$name" \
			>"$WORK/$name.$p" 2>&1 &
			for _ in $(seq 1 50); do [ -e "$WORK/$name.$p.ready" ] && break; sleep 0.1; done
			echo "$WORK/$name.$p")
	done
	send_raw "$NSP$from" $from "$dst" "${MAC[$from]}" $ET 3 "$name" "$vlans"
	for p in $PORTS; do
		[ "$p" = "$from" ] && continue
		got=$(read_count "${f[$p]}")
		want=$(grep -o " $p:[^ ]*" <<<"$expect" | cut -d: -f2-)
		[ -n "$want" ] || want=none
		[ "$got" = "$want" ] || all="$all $p:$got(want $want)"
	done
	if [ -z "$all" ]; then
		ok "$name"
	else
		not_ok "$name"
		echo "$all" | diag
	fi
}

cleanup() {
	local ns
	vireo_stop || true
	for ns in "${NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -f /dev/hugepages/"${PREFIX}"* 2>/dev/null
	rm -rf "/var/run/dpdk/$PREFIX" "$WORK"
}
trap cleanup EXIT
