#!/usr/bin/env bash
# The quick-start demo: installs what vireo needs, builds it, starts
# vireod, puts three containers (network namespaces) on tap ports of one
# bridge, has them ping each other and the host across it, and prints
# `vireoctl show`, `fdb/show` and `dump-ports`.  Run as root on Debian 12.
#
#   scripts/demo.sh          run the demo, then stop and clean up
#   scripts/demo.sh --keep   leave vireod and the containers running
set -euo pipefail
cd "$(dirname "$0")/.."

keep=false
[ "${1:-}" = "--keep" ] && keep=true

bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build

work=/run/vireo-demo
sock=$work/vireod.sock
conf=$work/conf.json
br=vdemo0
vireoctl() { build/cli/vireoctl --socket "$sock" "$@"; }

cleanup() {
	if [ -n "${vpid:-}" ]; then
		kill -TERM "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null || true
	fi
	for i in 1 2 3; do ip netns del "vdemo-c$i" 2>/dev/null || true; done
	rm -rf "$work" /var/run/dpdk/vireo_demo
}
$keep || trap cleanup EXIT

mkdir -p "$work"
rm -f "$conf"
echo "== starting vireod (control on lcore 0, one PMD on lcore 1)"
build/control/vireod -l 0,1 --file-prefix vireo_demo -- --config "$conf" --socket "$sock" \
	>"$work/vireod.log" 2>&1 &
vpid=$!
for _ in $(seq 1 100); do vireoctl list-br >/dev/null 2>&1 && break; sleep 0.1; done

echo "== a bridge and three containers on tap ports"
vireoctl add-br $br
for i in 1 2 3; do
	ip netns del "vdemo-c$i" 2>/dev/null || true
	ip netns add "vdemo-c$i"
	vireoctl add-port $br "c$i" -- set interface "c$i" type=tap \
		options:netns="vdemo-c$i" options:ip="10.99.0.$i/24"
done
ip addr add 10.99.0.254/24 dev $br

echo "== traffic across the bridge"
for pair in "1 2" "2 3" "3 1"; do
	set -- $pair
	ip netns exec "vdemo-c$1" ping -c 3 -i 0.2 -W 2 "10.99.0.$2" | tail -2 | head -1 |
		sed "s/^/c$1 -> c$2: /"
done
ping -c 3 -i 0.2 -W 2 10.99.0.1 | tail -2 | head -1 | sed 's/^/host -> c1 (via internal port): /'

echo; echo "== vireoctl show"; vireoctl show
echo; echo "== vireoctl fdb/show $br"; vireoctl fdb/show $br
echo; echo "== vireoctl dump-ports $br"; vireoctl dump-ports $br
if $keep; then
	echo; echo "vireod keeps running (pid $vpid); try: build/cli/vireoctl --socket $sock show"
fi
