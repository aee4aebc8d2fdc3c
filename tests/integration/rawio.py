#!/usr/bin/env python3
"""Send or count raw Ethernet frames on an interface (AF_PACKET).

  rawio.py send IFACE DST SRC ETHERTYPE COUNT [TAG [VLANS]]
  rawio.py count IFACE ETHERTYPE SECONDS READY_FILE [TAG]
  rawio.py tags IFACE ETHERTYPE SECONDS READY_FILE TAG

VLANS is a comma-separated list of outer-to-inner tags TPID/VID/PCP
(hex TPID), e.g. 88a8/100/0,8100/7/2.  'tags' prints, for the frames of
that EtherType carrying TAG that the interface received, how many came
with each tag stack, e.g. "8100/10/0=5 -=2" ("-" is untagged).

'count' prints how many frames of that EtherType (and carrying TAG in the
payload, if given) the interface *received* in SECONDS; frames the
interface itself sent are not counted.  It creates READY_FILE once it is
listening, so a test can start sending only then.
"""
import socket
import sys
import time

PACKET_OUTGOING = 4


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def vlan_bytes(vlans):
    out = b""
    for v in filter(None, vlans.split(",")):
        tpid, vid, pcp = v.split("/")
        out += int(tpid, 16).to_bytes(2, "big") + ((int(pcp) << 13) | int(vid)).to_bytes(2, "big")
    return out


def send(iface, dst, src, ethertype, count, tag=b"vireo", vlans=""):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    payload = tag.ljust(46, b"\0")
    frame = (mac(dst) + mac(src) + vlan_bytes(vlans) + int(ethertype, 16).to_bytes(2, "big")
             + payload)
    for _ in range(count):
        s.send(frame)
        time.sleep(0.01)


def count(iface, ethertype, seconds, ready, tag=b""):
    proto = int(ethertype, 16)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
    s.bind((iface, proto))
    s.settimeout(0.1)
    open(ready, "w").close()
    n = 0
    end = time.time() + seconds
    while time.time() < end:
        try:
            data, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING:
            continue
        if tag and tag not in data:
            continue
        n += 1
    print(n)


SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
VLAN_TPIDS = (0x8100, 0x88a8, 0x9100)


def tags(iface, ethertype, seconds, ready, tag):
    """Counts frames by the tag stack they arrived with."""
    want = int(ethertype, 16)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((iface, 0))
    s.settimeout(0.1)
    open(ready, "w").close()
    seen = {}
    end = time.time() + seconds
    while time.time() < end:
        try:
            data, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(32))
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING or tag.encode() not in data:
            continue
        stack = []
        for level, kind, cdata in anc:
            if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= 20:
                status = int.from_bytes(cdata[0:4], "little")
                tci = int.from_bytes(cdata[16:18], "little")
                tpid = int.from_bytes(cdata[18:20], "little")
                if status & TP_STATUS_VLAN_VALID:
                    if not status & TP_STATUS_VLAN_TPID_VALID:
                        tpid = 0x8100
                    stack.append("%x/%d/%d" % (tpid, tci & 0xfff, tci >> 13))
        off = 12
        while int.from_bytes(data[off:off + 2], "big") in VLAN_TPIDS:
            tpid = int.from_bytes(data[off:off + 2], "big")
            tci = int.from_bytes(data[off + 2:off + 4], "big")
            stack.append("%x/%d/%d" % (tpid, tci & 0xfff, tci >> 13))
            off += 4
        if int.from_bytes(data[off:off + 2], "big") != want:
            continue
        key = ",".join(stack) or "-"
        seen[key] = seen.get(key, 0) + 1
    print(" ".join("%s=%d" % kv for kv in sorted(seen.items())) or "none")


def main():
    if sys.argv[1] == "send":
        tag = sys.argv[7].encode() if len(sys.argv) > 7 else b"vireo"
        vlans = sys.argv[8] if len(sys.argv) > 8 else ""
        send(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), tag, vlans)
    elif sys.argv[1] == "tags":
        tags(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif sys.argv[1] == "count":
        tag = sys.argv[6].encode() if len(sys.argv) > 6 else b""
        count(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], tag)
    else:
        sys.exit("usage: rawio.py send|count ...")


if __name__ == "__main__":
    main()
