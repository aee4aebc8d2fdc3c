#!/usr/bin/env bash
# 802.1Q on a bridge, checked on the wire: access, trunk, native-tagged,
# native-untagged and dot1q-tunnel (QinQ) ports; the tag each frame leaves
# with (TPID, VID and PCP) is read on the receiving interface.  Then
# containers ping inside a VLAN and not across, settings change at once,
# bad values are refused, and a restart keeps everything.
. "$(dirname "$0")/lib.sh"

BR=vtvlan
ET=88b5
PORTS="a10 b10 c20 tr nu nt qq up"
NSP=vit-vl-
vireo_start || { not_ok "vireod starts"; done_testing; }
vctl add-br $BR
declare -A MAC
i=0
for p in $PORTS; do
	i=$((i + 1))
	mkns "vit-vl-$p" quiet
	vctl add-port $BR $p -- set interface $p options:netns=vit-vl-$p options:ip=10.207.0.$i/24
	MAC[$p]=$(mac_of "vit-vl-$p" $p)
done
check "set access ports" bash -c "$VIREOCTL --socket $SOCK set port a10 tag=10 &&
	$VIREOCTL --socket $SOCK set port b10 tag=10 && $VIREOCTL --socket $SOCK set port c20 tag=20"
check "set a trunk of 10 and 20" vctl set port tr trunks=10,20
check "set native-untagged 10 + 20" vctl set port nu tag=10 trunks=20 vlan_mode=native-untagged
check "set native-tagged 10 + 20" vctl set port nt tag=10 trunks=20 vlan_mode=native-tagged
check "set a dot1q-tunnel port for S-VLAN 100" vctl set port qq tag=100 vlan_mode=dot1q-tunnel
check "up stays a trunk of every VLAN" test -z "$(vctl -f json show | py_json "[p.get('tag','') for b in d['bridges'] for p in b['ports'] if p['name']=='up'][0]")"

B=ff:ff:ff:ff:ff:ff
send_case "untagged broadcast on access 10" a10 $B "" \
	"b10:-=3 tr:8100/10/0=3 nu:-=3 nt:8100/10/0=3 up:8100/10/0=3"
send_case "VLAN 20 from the trunk" tr $B "8100/20/0" \
	"c20:-=3 nu:8100/20/0=3 nt:8100/20/0=3 up:8100/20/0=3"
send_case "VLAN 30 is not in the trunk: dropped" tr $B "8100/30/0" ""
send_case "a tagged frame on an access port is dropped" a10 $B "8100/20/0" ""
send_case "priority-tagged on access keeps its PCP" a10 $B "8100/0/5" \
	"b10:-=3 tr:8100/10/5=3 nu:-=3 nt:8100/10/5=3 up:8100/10/5=3"
send_case "PCP crosses from a trunk" tr $B "8100/10/3" \
	"a10:-=3 b10:-=3 nu:-=3 nt:8100/10/3=3 up:8100/10/3=3"
send_case "untagged on native-untagged is in its native VLAN" nu $B "" \
	"a10:-=3 b10:-=3 tr:8100/10/0=3 nt:8100/10/0=3 up:8100/10/0=3"
send_case "untagged on a trunk is VLAN 0, outside 10 and 20" up $B "" ""
send_case "QinQ: the customer's tagged frame gets an S-tag" qq $B "8100/7/2" \
	"up:88a8/100/2,8100/7/2=3"
send_case "QinQ: the S-tag is popped towards the customer" up $B "88a8/100/0,8100/7/2" \
	"qq:8100/7/2=3"
drops=$(vctl -f json pmd-stats | py_json "d['drops']['vlan']")
check_eq "VLAN drops are counted" 6 "$drops"

# Containers: the same subnet, different VLANs.
check "a10 pings b10 (both VLAN 10)" in_ns vit-vl-a10 ping -c 2 -W 2 -i 0.2 10.207.0.2
check "a10 does not reach c20 (VLAN 20)" bash -c "! ip netns exec vit-vl-a10 ping -c 2 -W 1 -i 0.2 10.207.0.3"
vlan=$(vctl -f json fdb/show $BR | py_json "[e['vlan'] for e in d['entries'] if e['mac']=='${MAC[a10]}'][0]")
check_eq "fdb/show puts a10's MAC in VLAN 10" 10 "$vlan"
check "set port c20 tag=10: takes effect at once" vctl set port c20 tag=10
check "a10 now pings c20" in_ns vit-vl-a10 ping -c 2 -W 2 -i 0.2 10.207.0.3
check "remove port c20 tag" vctl remove port c20 tag
check "c20, a trunk again, is out of VLAN 10" bash -c "! ip netns exec vit-vl-c20 ping -c 2 -W 1 -i 0.2 10.207.0.1"
check "the internal port can be tagged" vctl set port $BR tag=10
ip addr add 10.207.0.254/24 dev $BR
ip link set $BR up
check "the host reaches a10 through the tagged internal port" ping -c 2 -W 2 -i 0.2 10.207.0.1

sum=$(sha256sum "$CONF")
for bad in "tag=4095" "tag=-1" "trunks=1,abc" "trunks=5000" "trunks=20-10" "vlan_mode=foo" \
	"cvlans=5" "other_config:qinq-ethtype=0x9100" "colour=red"; do
	out=$(vctl set port a10 "$bad" 2>&1) && rc=0 || rc=$?
	check "refused: set port a10 $bad" bash -c "[ $rc -eq 2 ] && grep -q '^vireoctl: ' <<<'$out'"
done
out=$(vctl set port tr tag=5 2>&1) && rc=0 || rc=$?
check "refused: a tag with trunks but no native mode" bash -c "[ $rc -eq 2 ] && grep -q 'takes no trunks' <<<'$out'"
check_eq "refusals left the configuration as it was" "$sum" "$(sha256sum "$CONF")"
# c20 has no tag any more: a trunk of every VLAN, it now sees VLAN 10 tagged.
send_case "and forwarding as it was" a10 $B "" \
	"b10:-=3 c20:8100/10/0=3 tr:8100/10/0=3 nu:-=3 nt:8100/10/0=3 up:8100/10/0=3"

before=$(vctl -f json show | py_json "[(p['name'], p.get('tag'), p.get('trunks'), p.get('vlan_mode')) for b in d['bridges'] for p in b['ports']]")
vireo_stop
vireo_start || not_ok "vireod restarts"
after=$(vctl -f json show | py_json "[(p['name'], p.get('tag'), p.get('trunks'), p.get('vlan_mode')) for b in d['bridges'] for p in b['ports']]")
check_eq "VLAN settings survive a restart" "$before" "$after"
send_case "and so does forwarding" tr $B "8100/20/0" \
	"c20:8100/20/0=3 nu:8100/20/0=3 nt:8100/20/0=3 up:8100/20/0=3"

done_testing
