#!/bin/sh
# /init of the integration tests' guest (busybox ash, PID 1).  It brings up
# eth0 (virtio-net) from the kernel command line, starts a TCP sink on port
# 5001, prints VIREO-GUEST-READY on the serial console and then serves a
# shell on that console, forever.
#
# Kernel command line, besides console=ttyS0:
#   vireo.ip=ADDR/LEN   eth0's address (none: eth0 is only brought up)
#   vireo.name=NAME     hostname (for the logs)
#   vireo.gw=ADDR       default route
#   vireo.mtu=N         eth0's MTU
#   vireo.ipv6=1        leave IPv6 on (default off, so that the guest sends
#                       nothing on its own: no router solicitations, no MLD)
#
# TCP sink: every connection to port 5001 is read to its end; the number of
# bytes received is then written to /tmp/sink.bytes and appended to
# /tmp/sink.log.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

IP='' NAME=guest GW='' MTU='' IPV6=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	vireo.ip=*) IP=${arg#vireo.ip=} ;;
	vireo.name=*) NAME=${arg#vireo.name=} ;;
	vireo.gw=*) GW=${arg#vireo.gw=} ;;
	vireo.mtu=*) MTU=${arg#vireo.mtu=} ;;
	vireo.ipv6=*) IPV6=${arg#vireo.ipv6=} ;;
	esac
done
hostname "$NAME"

if [ "$IPV6" != 1 ]; then
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
fi

KVER=$(uname -r)
while read -r m; do
	insmod "/lib/modules/$KVER/$m" || echo "VIREO-GUEST: insmod $m failed"
done </etc/modules

ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -e /sys/class/net/eth0 ]; then
	[ -n "$MTU" ] && ip link set eth0 mtu "$MTU"
	ip link set eth0 up
	[ -n "$IP" ] && ip addr add "$IP" dev eth0
	[ -n "$GW" ] && ip route add default via "$GW"
else
	echo "VIREO-GUEST: no eth0"
fi

# The sink's nc reads its stdin from a FIFO that never ends (fd 3 is open
# read-write): with a stdin at EOF, nc would half-close at once, and the
# sending nc would quit on that before it has sent everything.
mkfifo /run/sink.hold
(
	exec 3<>/run/sink.hold
	while true; do
		n=$(nc -l -p 5001 <&3 | wc -c)
		echo "$n" >/tmp/sink.bytes.new
		mv /tmp/sink.bytes.new /tmp/sink.bytes
		echo "$n" >>/tmp/sink.log
	done
) </dev/null >/dev/null 2>&1 &

# The carrier comes with the vhost-user backend's link status: give it a
# moment, but boot without it (the ready line says which).
i=0
while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

# From here on the console is the tests' channel: keep the kernel quiet.
echo 1 >/proc/sys/kernel/printk
echo "VIREO-GUEST-READY name=$NAME ip=$IP" \
	"mac=$(cat /sys/class/net/eth0/address 2>/dev/null)" \
	"carrier=$(cat /sys/class/net/eth0/carrier 2>/dev/null)" \
	"uptime=$(cut -d' ' -f1 /proc/uptime)"

# The shell reads its commands from a pipe, so that it is not interactive
# (no prompt, no line editing, no banner: busybox ash ignores +i on a tty);
# the tty does not echo them.  What feeds the pipe is a read loop, not cat:
# busybox cat copies with sendfile(), and from a tty into a pipe that holds
# lines back (kernel 6.1), so the shell would see only the first command.
# setsid + cttyhack make the console the controlling tty, so that a ^C from
# the host interrupts a stuck command (and this shell with it: background
# jobs are immune).  A shell that ends is replaced.
while true; do
	setsid cttyhack sh -c 'stty -echo 2>/dev/null
		while IFS= read -r line; do printf "%s\n" "$line"; done | sh'
	sleep 0.2
done
