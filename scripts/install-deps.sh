#!/usr/bin/env bash
# Installs the Debian 12 packages vireo needs to build and test (and, with
# the argument "bench", Open vSwitch with DPDK, the benchmark's peer), and
# reserves the hugepages its DPDK processes use. Safe to run again.
set -euo pipefail

[ "$(id -u)" -eq 0 ] || { echo "install-deps.sh: run as root" >&2; exit 2; }

pkgs=(
    build-essential meson ninja-build pkg-config gcc clang-format git
    dpdk dpdk-dev libdpdk-dev
    libevent-dev libnl-3-dev libnl-route-3-dev libpcap-dev libjansson-dev libcmocka-dev
    libbsd-dev libnuma-dev libelf-dev libibverbs-dev
    iproute2 iputils-ping tcpdump tshark python3-scapy procps psmisc
    openvswitch-common python3-os-ken
)
if [ "${1:-}" = bench ]; then
    pkgs+=(openvswitch-switch-dpdk)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# bench/run starts its own ovsdb-server and ovs-vswitchd; the system's
# Open vSwitch service, if the package started one, only competes for CPU.
if [ "${1:-}" = bench ] && command -v systemctl >/dev/null &&
    systemctl is-enabled openvswitch-switch >/dev/null 2>&1; then
    systemctl disable --now openvswitch-switch >/dev/null 2>&1 || true
fi

# Hugepages: 2 MiB pages, mounted where DPDK looks by default.
want=${VIREO_HUGEPAGES:-1024}
hp=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
if [ "$(cat "$hp")" -lt "$want" ]; then
    echo "$want" > "$hp"
fi
if ! mountpoint -q /dev/hugepages; then
    mkdir -p /dev/hugepages
    mount -t hugetlbfs nodev /dev/hugepages
fi
echo "install-deps: packages present, $(cat "$hp") hugepages reserved"
