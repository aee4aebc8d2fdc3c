#!/usr/bin/env bash
# Bad input of every kind changes nothing: each bad vireoctl call prints
# one line on stderr and exits 2, the configuration file keeps its bytes,
# the daemon keeps forwarding; garbage on the control socket is answered
# with an error; a corrupt configuration stops vireod at start and is
# never overwritten.
. "$(dirname "$0")/lib.sh"

BR=vtbad
vireo_start || { not_ok "vireod starts"; done_testing; }
mkns vit-bad-c1
mkns vit-bad-c2
vctl add-br $BR
vctl add-port $BR c1 -- set interface c1 options:netns=vit-bad-c1 options:ip=10.204.0.1/24
vctl add-port $BR c2 -- set interface c2 options:netns=vit-bad-c2 options:ip=10.204.0.2/24
sum_before=$(sha256sum "$CONF" | cut -d' ' -f1)
show_before=$(vctl show)

# bad EXPECTED-TEXT ARGS...: vireoctl ARGS fails with status 2, prints
# exactly one line on stderr containing EXPECTED-TEXT and nothing on stdout.
bad() {
	local expect=$1 out err rc
	shift
	out=$("$VIREOCTL" --socket "$SOCK" "$@" 2>"$WORK/err") && rc=0 || rc=$?
	err=$(cat "$WORK/err")
	if [ $rc -eq 2 ] && [ -z "$out" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		[[ "$err" == "vireoctl: "*"$expect"* ]]; then
		ok "refused: vireoctl $*"
	else
		not_ok "refused: vireoctl $*"
		printf 'status %s, stdout [%s], stderr [%s], wanted [%s]\n' "$rc" "$out" "$err" \
			"$expect" | diag
	fi
}

bad "unknown command 'add-brr'" add-brr br9
bad "missing bridge name" add-br
bad "bad bridge name" add-br "bad/name"
bad "bad bridge name" add-br abcdefghijklmnopq
bad "already exists" add-br $BR
bad "already exists" add-br c1
bad "no bridge named nobr" add-port nobr c9
bad "already exists" add-port $BR c1
bad "unknown option 'colour'" add-port $BR c9 -- set interface c9 options:colour=red
bad "is not an IPv4 or IPv6 address" add-port $BR c9 -- set interface c9 options:ip=10.0.0.300/24
bad "no prefix length" add-port $BR c9 -- set interface c9 options:ip=10.0.0.3
bad "bad mtu" add-port $BR c9 -- set interface c9 options:mtu=99999
bad "bad mac" add-port $BR c9 -- set interface c9 options:mac=01:00:00:00:00:01
bad "does not exist" add-port $BR c9 -- set interface c9 options:netns=vit-no-such-ns
bad "unknown interface type 'vhost'" add-port $BR c9 -- set interface c9 type=vhost
bad "needs options:devargs" add-port $BR c9 -- set interface c9 type=dpdk
bad "cannot open device" add-port $BR c9 -- set interface c9 type=dpdk \
	options:devargs=net_nosuchdriver0
bad "already exists in network namespace" add-port $BR lo -- set interface lo \
	options:netns=vit-bad-c1
bad "does not match" add-port $BR c9 -- set interface c8 type=tap
bad "internal port" del-port $BR
bad "no port named c9" del-port c9
bad "has no port c9" del-port $BR c9
bad "no bridge named nobr" del-br nobr
bad "unknown bridge setting" set bridge $BR other_config:colour=red
bad "bad mac-aging-time" set bridge $BR other_config:mac-aging-time=0
bad "bad mac-aging-time" set bridge $BR other_config:mac-aging-time=abc
bad "no bridge named nobr" fdb/show nobr
bad "VLAN" fdb/add $BR c1 5000 02:00:00:00:00:01
bad "MAC" fdb/add $BR c1 0 02:00:00:00:00
bad "has no port" fdb/add $BR nosuch 0 02:00:00:00:00:01
bad "no entry" fdb/del $BR 0 02:00:00:00:99:99
bad "has no port c9" dump-ports $BR c9
bad "format" --format yaml show
bad "cannot connect to vireod" --socket "$WORK/nonexistent.sock" list-br

check_eq "the configuration file kept its bytes" "$sum_before" "$(sha256sum "$CONF" | cut -d' ' -f1)"
check_eq "show is unchanged" "$show_before" "$(vctl show)"
check "traffic still flows" in_ns vit-bad-c1 ping -c 2 -W 2 -i 0.2 10.204.0.2

# Garbage on the control socket itself.
reply=$("$PY" - "$SOCK" <<'PYEOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
out = []
for line in [b"this is not json\n", b"[1,2]\n", b'{"id":1}\n',
             b'{"id":2,"method":"add-br","params":[1]}\n',
             b'{"id":3,"method":"no-such-method","params":{}}\n',
             b'{"id":4,"method":"add-port","params":{"bridge":"vtbad","port":"c9","options":"x"}}\n',
             b'{"id":5,"method":"add-port","params":{"bridge":"vtbad","port":5}}\n',
             b'{"id":6,"method":"del-br","params":{"bridge":7}}\n']:
    f.write(line); f.flush()
    out.append(json.loads(f.readline())["error"]["code"])
print(" ".join(str(c) for c in out))
PYEOF
)
check_eq "malformed requests get JSON-RPC errors" \
	"-32700 -32700 -32600 -32600 -32601 -32602 -32602 -32602" "$reply"
check_eq "the configuration file still kept its bytes" "$sum_before" \
	"$(sha256sum "$CONF" | cut -d' ' -f1)"
check "vireod is still running" kill -0 "$VPID"

# A second vireod on the same socket is refused and the first keeps going.
out=$("$VIREOD" -l 0,1 --file-prefix "${PREFIX}2" -- --config "$CONF" --socket "$SOCK" 2>&1) && rc=0 || rc=$?
rm -f /dev/hugepages/"${PREFIX}2"*
check "a second vireod on the same socket is refused" \
	bash -c "[ $rc -ne 0 ] && grep -q 'another vireod is running' <<<'$out'"
check "the first one still answers" vctl list-br

# A corrupt configuration: vireod refuses to start and leaves the file be.
vireo_stop
printf '{"version": 1, "bridges": [{"name": "br0", ' >"$CONF"
sum_corrupt=$(sha256sum "$CONF" | cut -d' ' -f1)
out=$("$VIREOD" -l 0,1 --file-prefix "$PREFIX" -- --config "$CONF" --socket "$SOCK" 2>&1) && rc=0 || rc=$?
check "vireod refuses a corrupt configuration" \
	bash -c "[ $rc -ne 0 ] && grep -q 'is corrupt' <<<'$out'"
check_eq "and does not overwrite it" "$sum_corrupt" "$(sha256sum "$CONF" | cut -d' ' -f1)"
printf '{"version": 1, "bridges": [{"name": "b0", "mac": "zz", "ports": []}]}' >"$CONF"
out=$("$VIREOD" -l 0,1 --file-prefix "$PREFIX" -- --config "$CONF" --socket "$SOCK" 2>&1) && rc=0 || rc=$?
check "vireod refuses a configuration with a bad value" \
	bash -c "[ $rc -ne 0 ] && grep -q 'not a valid vireo configuration' <<<'$out'"
check_eq "no hugepage files left by the refusals" 0 "$(hugepage_files)"

done_testing
