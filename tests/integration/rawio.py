#!/usr/bin/env python3
"""Send or count raw Ethernet frames on an interface (AF_PACKET).

  rawio.py send IFACE DST SRC ETHERTYPE COUNT [TAG]
  rawio.py count IFACE ETHERTYPE SECONDS READY_FILE [TAG]

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


def send(iface, dst, src, ethertype, count, tag=b"vireo"):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    payload = tag.ljust(46, b"\0")
    frame = mac(dst) + mac(src) + int(ethertype, 16).to_bytes(2, "big") + payload
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


def main():
    if sys.argv[1] == "send":
        tag = sys.argv[7].encode() if len(sys.argv) > 7 else b"vireo"
        send(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), tag)
    elif sys.argv[1] == "count":
        tag = sys.argv[6].encode() if len(sys.argv) > 6 else b""
        count(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], tag)
    else:
        sys.exit("usage: rawio.py send|count ...")


if __name__ == "__main__":
    main()
