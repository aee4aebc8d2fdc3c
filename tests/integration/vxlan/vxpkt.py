#!/usr/bin/env python3
"""Packets for the VXLAN integration test (test_vxlan.sh).

  vxpkt.py udpflows SRC DST DPORT FIRST_SPORT FLOWS REPEAT
      From SRC, FLOWS UDP flows to DST:DPORT with source ports FIRST_SPORT,
      FIRST_SPORT+1, ...; REPEAT datagrams each (plain sockets, no scapy).
  vxpkt.py garbled KIND COUNT SRC DST [TAG]
      Sends COUNT broken VXLAN packets SRC -> DST:4789 through a raw IP
      socket (the kernel routes them and resolves the next hop).  KIND:
        iflag       VXLAN header with the I flag clear (VNI 5000, whole inner frame)
        shortvx     UDP payload of 5 bytes: truncated inside the VXLAN header
        shortinner  VXLAN header + 10 bytes: truncated inner Ethernet header
        udplen      UDP length field 100 bytes longer than the datagram
      Where there is an inner frame it is a broadcast of EtherType 0x88b5
      carrying TAG, so the receiving side can count it if it leaks through.
  vxpkt.py fields FILE [VNI]
      Reads tshark output (-T fields -E occurrence=a -E separator='|' with
      -e vxlan.vni -e udp.srcport -e ip.src -e ip.dst -e ip.flags.df
      -e ip.ttl -e ip.dsfield) and prints a JSON summary of the outer
      headers: n, the sets of vni/src/dst/df/ttl/dsfield, the outer source
      ports, and per inner UDP source port the outer source ports seen.
      With VNI, only the frames of that VNI count.
"""
import json
import socket
import sys
import time

VXLAN_PORT = 4789


def udpflows(src, dst, dport, first, flows, repeat):
    for sport in range(first, first + flows):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, sport))
        for i in range(repeat):
            s.sendto(b"vireo-vxlan-flow %d %d" % (sport, i), (dst, dport))
            time.sleep(0.01)
        s.close()


def garbled(kind, count, src, dst, tag):
    from scapy.all import IP, UDP, Ether, Raw  # noqa: only this command needs scapy

    inner = bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:5e:01", type=0x88b5)
                  / Raw(tag.encode().ljust(46, b"\0")))
    vni = (5000).to_bytes(3, "big") + b"\0"
    good_hdr = b"\x08\0\0\0" + vni
    udp_len = None
    if kind == "iflag":
        payload = b"\0\0\0\0" + vni + inner
    elif kind == "shortvx":
        payload = good_hdr[:5]
    elif kind == "shortinner":
        payload = good_hdr + inner[:10]
    elif kind == "udplen":
        payload = good_hdr + inner
        udp_len = 8 + len(payload) + 100
    else:
        sys.exit("vxpkt.py: unknown kind " + kind)
    # UDP checksum 0 (none): legal over IPv4, and stays valid whatever the
    # length field says.
    pkt = IP(src=src, dst=dst, ttl=64) / UDP(sport=50123, dport=VXLAN_PORT, len=udp_len, chksum=0) \
        / Raw(payload)
    data = bytes(pkt)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for _ in range(count):
        s.sendto(data, (dst, 0))
        time.sleep(0.02)


def fields(path, vni=None):
    cols = ["vni", "sport", "src", "dst", "df", "ttl", "dsfield"]
    out = {c: set() for c in cols}
    n = 0
    flows = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            v = dict(zip(cols, line.split("|")))
            if vni is not None and v["vni"].split(",")[0] != vni:
                continue
            n += 1
            for c in cols:
                # occurrence=a: outer header first, the inner one(s) after
                out[c].add(v.get(c, "").split(",")[0])
            sports = v.get("sport", "").split(",")
            if len(sports) > 1:
                flows.setdefault(sports[1], set()).add(sports[0])
    res = {c: sorted(out[c]) for c in cols}
    res["n"] = n
    res["sports"] = sorted(int(p) for p in out["sport"] if p.isdigit())
    res["flows"] = {k: sorted(v) for k, v in flows.items()}
    print(json.dumps(res))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    a = sys.argv[2:]
    if cmd == "udpflows":
        udpflows(a[0], a[1], int(a[2]), int(a[3]), int(a[4]), int(a[5]))
    elif cmd == "garbled":
        garbled(a[0], int(a[1]), a[2], a[3], a[4] if len(a) > 4 else "vxgarbled")
    elif cmd == "fields":
        fields(a[0], a[1] if len(a) > 1 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
