# shellcheck shell=bash
# guest.sh - source it: start, drive and stop the tiny QEMU guests of the
# integration tests (built by build-guest.sh).  Each guest is QEMU under
# TCG with one virtio-net NIC on a vhost-user backend, and a busybox shell
# on its serial console that guest_exec drives.
#
#   guest_build                          build the guest into $GUEST_CACHE (once)
#   guest_start NAME SOCKET MODE IP MAC  start a guest; MODE server|client
#   guest_wait_ready NAME [TIMEOUT]      wait until it has booted
#   guest_exec NAME 'COMMAND' [TIMEOUT]  run COMMAND in it: its output, its status
#   guest_wait_link NAME [TIMEOUT]       wait until its eth0 has a carrier
#   guest_reboot NAME [TIMEOUT]          reboot it from inside; wait until booted
#   guest_stop NAME                      kill it, remove its files
#   guest_stop_all                       guest_stop every guest started
#   guest_log NAME                       its console log so far
#   guest_monitor NAME 'HMP COMMAND'     talk to its QEMU monitor (set_link ...)
#   guest_pid NAME                       QEMU's pid
#
# Settings (environment, read when a function runs):
#   GUEST_CACHE      where the kernel and initramfs are (/var/cache/vireo-guest)
#   GUEST_DIR        where per-guest state goes (default $WORK, then /tmp):
#                    GUEST_DIR/guest-NAME/{qemu.pid,console.log,qemu.log,...}
#   GUEST_MEM        memory in MiB (256)
#   GUEST_MEM_PATH   a hugetlbfs mount (e.g. /dev/hugepages) to back guest
#                    memory with; default memfd.  Either way share=on.
#   GUEST_APPEND     more kernel command line (vireo.mtu=, vireo.gw=, ...)
#   GUEST_BOOT_TIMEOUT  seconds guest_wait_ready waits (90)
#   GUEST_EXEC_TIMEOUT  seconds guest_exec waits (60)
#
# The guest: eth0 has IP (ADDR/LEN) and MAC, IPv6 is off, a TCP sink on
# port 5001 writes the byte count of each connection to /tmp/sink.bytes
# (and appends it to /tmp/sink.log).  Busybox has ping, nc, ip, arping, dd.
# The caller stops its guests (guest_stop_all in its EXIT trap).
#
# MODE server: QEMU is the vhost-user server: it creates SOCKET and the
# switch connects to it (the switch's vhost client mode).  guest_start
# returns once SOCKET exists.  MODE client: QEMU connects to the switch's
# SOCKET, retrying every second (reconnect=1), also after the switch
# restarts.  Either way QEMU does not start the guest before the vhost-user
# connection is up, so call guest_wait_ready after the switch side is set
# (QEMU does not answer its monitor until then either).
#
# QEMU's console (ttyS0) is a unix socket on which a socat listens (QEMU
# connects to it as a client), so that the whole console, from the first
# boot message, goes to console.log, and guest_exec writes commands into a
# FIFO socat reads.  guest_exec runs COMMAND in a subshell with stdin
# /dev/null and stderr on stdout; output that a background job prints later
# ends up in whatever guest_exec comes next, so redirect it.

GUEST_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST_CACHE=${GUEST_CACHE:-/var/cache/vireo-guest}

_guest_dir() {
	echo "${GUEST_DIR:-${WORK:-/tmp}}/guest-$1"
}

_guest_diag() {
	sed 's/^/# /' >&2
}

guest_build() {
	bash "$GUEST_LIB_DIR/build-guest.sh" "$GUEST_CACHE"
}

guest_pid() {
	cat "$(_guest_dir "$1")/qemu.pid" 2>/dev/null
}

_guest_alive() {
	local pid
	pid=$(guest_pid "$1") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# guest_start NAME VHOST_SOCKET MODE IP MAC
guest_start() {
	local name=$1 vsock=$2 mode=$3 ip=$4 mac=$5
	local d chardev mem i
	d=$(_guest_dir "$name")
	if [ ! -s "$GUEST_CACHE/vmlinuz" ] || [ ! -s "$GUEST_CACHE/initrd.gz" ]; then
		echo "guest_start: no guest in $GUEST_CACHE (guest_build)" >&2
		return 1
	fi
	case "$mode" in
	server) chardev="socket,id=c0,path=$vsock,server=on,wait=off" ;;
	client) chardev="socket,id=c0,path=$vsock,reconnect=1" ;;
	*)
		echo "guest_start: MODE is server or client, not '$mode'" >&2
		return 1
		;;
	esac
	local size=${GUEST_MEM:-256}
	if [ -n "${GUEST_MEM_PATH:-}" ]; then
		mem="memory-backend-file,id=mem,size=${size}M,mem-path=$GUEST_MEM_PATH,share=on"
	else
		mem="memory-backend-memfd,id=mem,size=${size}M,share=on"
	fi
	if [ -e "$d" ]; then
		guest_stop "$name"
	fi
	mkdir -p "$d"
	echo "$vsock" >"$d/vhost.path"
	echo "$mode" >"$d/vhost.mode"
	echo 0 >"$d/ready.offset"
	: >"$d/console.log"

	# The console: socat listens, QEMU connects.  socat's stdin is the FIFO
	# opened read-write, so it never reads EOF from it.
	mkfifo "$d/in.fifo"
	socat "UNIX-LISTEN:$d/serial.sock,unlink-early" STDIO \
		<>"$d/in.fifo" >>"$d/console.log" 2>"$d/socat.log" &
	echo $! >"$d/socat.pid"
	for i in $(seq 1 100); do
		[ -S "$d/serial.sock" ] && break
		sleep 0.05
	done
	if [ ! -S "$d/serial.sock" ]; then
		echo "guest_start: socat did not listen on $d/serial.sock" >&2
		_guest_diag <"$d/socat.log"
		return 1
	fi

	[ "$mode" = server ] && rm -f "$vsock"
	qemu-system-x86_64 \
		-name "$name" -nodefaults -no-user-config -display none -vga none \
		-machine pc,accel=tcg -cpu qemu64 -smp 1 -m "${size}M" \
		-object "$mem" -numa node,memdev=mem \
		-kernel "$GUEST_CACHE/vmlinuz" -initrd "$GUEST_CACHE/initrd.gz" \
		-append "console=ttyS0 loglevel=4 panic=-1 vireo.name=$name vireo.ip=$ip ${GUEST_APPEND:-}" \
		-chardev "socket,id=ser0,path=$d/serial.sock" -serial chardev:ser0 \
		-monitor "unix:$d/monitor.sock,server=on,wait=off" \
		-chardev "$chardev" \
		-netdev vhost-user,id=n0,chardev=c0,queues=1 \
		-device "virtio-net-pci,netdev=n0,mac=$mac,vectors=0,romfile=" \
		</dev/null >"$d/qemu.log" 2>&1 &
	echo $! >"$d/qemu.pid"

	# QEMU's own checks fail at once; a server's socket appears at once.
	for i in $(seq 1 100); do
		if ! _guest_alive "$name"; then
			echo "guest_start: QEMU exited:" >&2
			_guest_diag <"$d/qemu.log"
			return 1
		fi
		if [ "$mode" = server ]; then
			[ -S "$vsock" ] && return 0
		elif [ "$i" -ge 5 ]; then
			return 0
		fi
		sleep 0.1
	done
	if [ "$mode" = server ]; then
		echo "guest_start: QEMU did not create $vsock" >&2
		return 1
	fi
}

# guest_wait_ready NAME [TIMEOUT]: waits for the guest's ready line (after
# the latest start or reboot), then checks that its shell answers.
guest_wait_ready() {
	local name=$1 timeout=${2:-${GUEST_BOOT_TIMEOUT:-90}}
	local d off end
	d=$(_guest_dir "$name")
	off=$(cat "$d/ready.offset" 2>/dev/null || echo 0)
	end=$((SECONDS + timeout))
	while [ "$SECONDS" -lt "$end" ]; do
		if tail -c +$((off + 1)) "$d/console.log" 2>/dev/null | grep -qa 'VIREO-GUEST-READY'; then
			# The shell answers (a second try after an interrupt).
			guest_exec "$name" true 20 >/dev/null && return 0
			guest_exec "$name" true 20 >/dev/null && return 0
			break
		fi
		if ! _guest_alive "$name"; then
			echo "guest_wait_ready: QEMU of $name exited" >&2
			break
		fi
		sleep 0.2
	done
	echo "guest_wait_ready: $name not ready after ${timeout}s; qemu.log and console:" >&2
	tail -20 "$d/qemu.log" 2>/dev/null | _guest_diag
	tail -c +$((off + 1)) "$d/console.log" 2>/dev/null | tr -d '\r' | tail -30 | _guest_diag
	return 1
}

# _guest_interrupt NAME ID: ^C on the console, which ends the stuck command
# and the guest's shell with it (the guest starts another); then probe
# until the new shell answers, since what is sent while the old one dies
# is lost.
_guest_interrupt() {
	local d i
	d=$(_guest_dir "$1")
	printf '\003' >"$d/in.fifo"
	for i in $(seq 1 20); do
		_guest_alive "$1" || return 1
		sleep 0.5
		printf 'echo "VG""P-%s-%s"\n' "$2" "$i" >"$d/in.fifo"
		sleep 0.5
		if tr -d '\r' <"$d/console.log" | grep -qa "^VGP-$2-"; then
			return 0
		fi
	done
	echo "guest_exec: $1: the shell did not come back after ^C" >&2
	return 1
}

# guest_exec NAME 'COMMAND' [TIMEOUT]: prints COMMAND's output (stdout and
# stderr) and returns its exit status; 124 on a timeout (COMMAND is then
# interrupted with ^C).
guest_exec() {
	local name=$1 cmd=$2 timeout=${3:-${GUEST_EXEC_TIMEOUT:-60}}
	local d id off out st end
	d=$(_guest_dir "$name")
	if [ ! -p "$d/in.fifo" ]; then
		echo "guest_exec: no guest $name" >&2
		return 1
	fi
	(
		flock 8
		id="$$-$BASHPID-$RANDOM$RANDOM"
		off=$(stat -c %s "$d/console.log")
		# The markers are split in what is sent ("VG""B-id") so that an echo
		# of the command line by the tty would not match them.
		printf 'echo "VG""B-%s"; (\n%s\n) </dev/null 2>&1; echo "VG""E-%s=$?"\n' \
			"$id" "$cmd" "$id" >"$d/in.fifo"
		end=$((SECONDS + timeout))
		while :; do
			out=$(tail -c +$((off + 1)) "$d/console.log" | tr -d '\r' | awk -v b="VGB-$id" -v e="VGE-$id=" '
				!on { if (index($0, b)) on = 1; next }
				{
					i = index($0, e)
					if (i) {
						if (i > 1) print substr($0, 1, i - 1)
						st = substr($0, i + length(e))
						sub(/[^0-9].*/, "", st)
						print "\001" st
						exit
					}
					print
				}')
			if [ "${out##*$'\001'}" != "$out" ] && [ -n "${out##*$'\001'}" ]; then
				st=${out##*$'\001'}
				out=${out%$'\001'*}
				printf '%s' "$out"
				exit "$st"
			fi
			if [ "$SECONDS" -ge "$end" ] || ! _guest_alive "$name"; then
				printf '%s\n' "$out"
				echo "guest_exec: $name: no end of '$cmd' after ${timeout}s" >&2
				_guest_interrupt "$name" "$id"
				exit 124
			fi
			sleep 0.05
		done
	) 8>"$d/exec.lock"
}

# guest_wait_link NAME [TIMEOUT]: waits (in the guest) until eth0 has a
# carrier, i.e. the vhost-user backend reports the link up.
guest_wait_link() {
	local t=${2:-10}
	guest_exec "$1" "i=0; while [ \"\$(cat /sys/class/net/eth0/carrier)\" != 1 ]; do
		i=\$((i + 1)); [ \$i -gt $((t * 10)) ] && exit 1; sleep 0.1; done" $((t + 30)) >/dev/null
}

# guest_reboot NAME [TIMEOUT]: reboot -f inside the guest, then waits for
# it to be ready again.
guest_reboot() {
	local name=$1 d
	d=$(_guest_dir "$name")
	stat -c %s "$d/console.log" >"$d/ready.offset"
	printf 'sync; reboot -f\n' >"$d/in.fifo"
	guest_wait_ready "$name" "${2:-${GUEST_BOOT_TIMEOUT:-90}}"
}

guest_log() {
	tr -d '\r' <"$(_guest_dir "$1")/console.log"
}

# guest_monitor NAME 'HMP COMMAND': e.g. 'set_link n0 off', 'info status'.
guest_monitor() {
	local d
	d=$(_guest_dir "$1")
	printf '%s\n' "$2" | socat -t 1 - "UNIX-CONNECT:$d/monitor.sock" | tr -d '\r' |
		grep -av '^QEMU .* monitor' | grep -av '^(qemu)'
	return 0
}

_guest_kill() { # PIDFILE
	local pid i
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# guest_stop NAME: kills QEMU and the console's socat, removes the guest's
# files (and its vhost-user socket in server mode).
guest_stop() {
	local d
	d=$(_guest_dir "$1")
	[ -d "$d" ] || return 0
	_guest_kill "$d/qemu.pid"
	_guest_kill "$d/socat.pid"
	if [ "$(cat "$d/vhost.mode" 2>/dev/null)" = server ]; then
		rm -f "$(cat "$d/vhost.path")"
	fi
	rm -rf "$d"
}

guest_stop_all() {
	local d
	for d in "${GUEST_DIR:-${WORK:-/tmp}}"/guest-*; do
		[ -d "$d" ] && guest_stop "${d##*/guest-}"
	done
	return 0
}
