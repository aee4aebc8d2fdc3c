# SPDX-License-Identifier: Apache-2.0
"""Sends malformed OpenFlow 1.3 messages to a switch and checks that each
gets the OFPT_ERROR the OpenFlow 1.3.5 specification gives for it, with
the request's xid, and that the connection stays usable after each.

  badmsg.py HOST PORT

Prints one line per case; exits 0 when every case got its error.
Byte layouts are written here from the spec, not taken from any switch.
"""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oflib import (OFPT_ECHO_REPLY, OFPT_ECHO_REQUEST, OFPT_ERROR, OFPT_FLOW_MOD,
                   OFPT_GROUP_MOD, OFPT_HELLO, OFPT_MULTIPART_REQUEST, OFPT_PACKET_OUT,
                   OFPT_SET_CONFIG, apply_actions, flow_mod, hdr, match, msg, output, oxm)

BAD_REQUEST, BAD_ACTION, BAD_INSTRUCTION, BAD_MATCH, FLOW_MOD_FAILED = 1, 2, 3, 4, 5


def recv_msg(s):
    data = b""
    while len(data) < 8:
        chunk = s.recv(8 - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    version, typ, length, xid = struct.unpack("!BBHI", data)
    while len(data) < length:
        chunk = s.recv(length - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return typ, xid, data


def main():
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
    # HELLO with a version bitmap of {1.3}.
    s.sendall(msg(OFPT_HELLO, struct.pack("!HHI", 1, 8, 1 << 4), 1))
    typ, _, _ = recv_msg(s)
    assert typ == OFPT_HELLO, "no HELLO"

    cases = [
        ("FLOW_MOD shorter than its fixed part", BAD_REQUEST, 6,
         lambda x: msg(OFPT_FLOW_MOD, b"\0" * 32, x)),
        ("FLOW_MOD with an unknown OXM field", BAD_MATCH, 6,
         lambda x: flow_mod(x, match(oxm(100, b"\0\0\0\1")))),
        ("FLOW_MOD match length past the message", BAD_REQUEST, 6,
         lambda x: flow_mod(x, struct.pack("!HH", 1, 200) + b"\0" * 4)),
        ("FLOW_MOD tcp_dst without its prerequisites", BAD_MATCH, 9,
         lambda x: flow_mod(x, match(oxm(14, b"\0\x50")))),
        ("FLOW_MOD with a duplicate field", BAD_MATCH, 10,
         lambda x: flow_mod(x, match(oxm(0, b"\0\0\0\1"), oxm(0, b"\0\0\0\2")))),
        ("FLOW_MOD with an unknown action type", BAD_ACTION, 0,
         lambda x: flow_mod(x, match(), apply_actions(struct.pack("!HH4x", 99, 8)))),
        ("FLOW_MOD output action of length 12", BAD_ACTION, 1,
         lambda x: flow_mod(x, match(),
                            apply_actions(struct.pack("!HHI4x", 0, 12, 1) + b"\0" * 4))),
        ("FLOW_MOD output to port 0", BAD_ACTION, 4,
         lambda x: flow_mod(x, match(), apply_actions(output(0)))),
        ("FLOW_MOD goto_table backwards", BAD_INSTRUCTION, 2,
         lambda x: flow_mod(x, match(), struct.pack("!HHB3x", 1, 8, 0), table=3)),
        ("FLOW_MOD with an unknown instruction", BAD_INSTRUCTION, 0,
         lambda x: flow_mod(x, match(), struct.pack("!HH4x", 77, 8))),
        ("FLOW_MOD with command 9", FLOW_MOD_FAILED, 6,
         lambda x: flow_mod(x, match(), command=9)),
        ("FLOW_MOD add to table 255", FLOW_MOD_FAILED, 2,
         lambda x: flow_mod(x, match(), table=255)),
        ("PACKET_OUT actions_len past the end", BAD_REQUEST, 6,
         lambda x: msg(OFPT_PACKET_OUT, struct.pack("!IIH6x", 0xffffffff, 0xfffffffd, 64), x)),
        ("SET_CONFIG of the wrong length", BAD_REQUEST, 6,
         lambda x: msg(OFPT_SET_CONFIG, b"\0\0", x)),
        ("an unknown message type", BAD_REQUEST, 1,
         lambda x: msg(50, b"", x)),
        ("GROUP_MOD (groups are not supported)", BAD_REQUEST, 1,
         lambda x: msg(OFPT_GROUP_MOD, struct.pack("!HBxI", 0, 0, 1), x)),
        ("a multipart request of unknown type", BAD_REQUEST, 2,
         lambda x: msg(OFPT_MULTIPART_REQUEST, struct.pack("!HH4x", 99, 0), x)),
        ("a message of version 1.0 after HELLO", BAD_REQUEST, 0,
         lambda x: msg(OFPT_ECHO_REQUEST, b"", x, version=1)),
    ]
    failed = 0
    xid = 100
    for name, etype, ecode, build in cases:
        xid += 1
        s.sendall(build(xid))
        typ, rxid, data = recv_msg(s)
        got = struct.unpack("!HH", data[8:12]) if typ == OFPT_ERROR else None
        if typ == OFPT_ERROR and got == (etype, ecode) and rxid == xid:
            print("ok: %s -> error %d/%d" % (name, etype, ecode))
        else:
            failed += 1
            print("FAIL: %s -> type %d %s xid %d (want error %d/%d xid %d)"
                  % (name, typ, got, rxid, etype, ecode, xid))
        # The connection still answers an echo.
        s.sendall(msg(OFPT_ECHO_REQUEST, b"ping", xid + 1000))
        typ, rxid, data = recv_msg(s)
        if typ != OFPT_ECHO_REPLY or rxid != xid + 1000 or data[8:] != b"ping":
            failed += 1
            print("FAIL: no echo reply after %s" % name)
    # A length under 8 cannot be framed: error, then the switch closes.
    s.sendall(hdr(OFPT_ECHO_REQUEST, 4, 999))
    typ, rxid, data = recv_msg(s)
    if typ == OFPT_ERROR and struct.unpack("!HH", data[8:12]) == (BAD_REQUEST, 6):
        print("ok: length 4 -> error 1/6")
    else:
        failed += 1
        print("FAIL: length 4 -> type %d" % typ)
    try:
        more = s.recv(1)
    except socket.timeout:
        more = b"x"
    if more:
        failed += 1
        print("FAIL: the connection stayed open after an unframeable message")
    else:
        print("ok: the connection was closed after it")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
