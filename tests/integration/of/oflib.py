# SPDX-License-Identifier: Apache-2.0
"""A small OpenFlow 1.3 client for tests: message builders written from the
OpenFlow 1.3.5 specification's struct layouts, and a connection that
does the HELLO exchange and reads framed messages. Not a controller
framework: tests say byte by byte what they send and check."""
import select
import socket
import struct
import time

OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 0, 1, 2, 3
OFPT_FEATURES_REQUEST, OFPT_FEATURES_REPLY = 5, 6
OFPT_GET_CONFIG_REQUEST, OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG = 7, 8, 9
OFPT_PACKET_IN, OFPT_FLOW_REMOVED, OFPT_PORT_STATUS = 10, 11, 12
OFPT_PACKET_OUT, OFPT_FLOW_MOD = 13, 14
OFPT_GROUP_MOD, OFPT_PORT_MOD = 15, 16
OFPT_MULTIPART_REQUEST, OFPT_MULTIPART_REPLY = 18, 19
OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY = 20, 21
OFPT_ROLE_REQUEST, OFPT_ROLE_REPLY = 24, 25

OFPP_TABLE, OFPP_FLOOD, OFPP_CONTROLLER, OFPP_LOCAL = 0xfffffff9, 0xfffffffb, 0xfffffffd, 0xfffffffe
OFPP_ANY = 0xffffffff
OFPCML_NO_BUFFER = 0xffff
NO_BUFFER = 0xffffffff

OXM_IN_PORT, OXM_METADATA, OXM_ETH_TYPE, OXM_TUNNEL_ID = 0, 2, 5, 38


def hdr(typ, length, xid, version=4):
    return struct.pack("!BBHI", version, typ, length, xid)


def msg(typ, body, xid, version=4):
    return hdr(typ, 8 + len(body), xid, version) + body


def oxm(field, value, mask=None):
    hm = 1 if mask else 0
    payload = value + (mask or b"")
    return struct.pack("!HBB", 0x8000, field << 1 | hm, len(payload)) + payload


def match(*tlvs):
    body = b"".join(tlvs)
    length = 4 + len(body)
    pad = (8 - length % 8) % 8
    return struct.pack("!HH", 1, length) + body + b"\0" * pad


def parse_match(buf):
    """(fields {field: value bytes}, bytes used) of the ofp_match at 'buf'."""
    mtype, length = struct.unpack("!HH", buf[:4])
    fields = {}
    off = 4
    while off < length:
        cls, fh, ln = struct.unpack("!HBB", buf[off:off + 4])
        fields[fh >> 1] = buf[off + 4:off + 4 + ln]
        off += 4 + ln
    return fields, (length + 7) // 8 * 8


def output(port, max_len=0xffe5):
    return struct.pack("!HHIH6x", 0, 16, port, max_len)


def apply_actions(actions):
    return struct.pack("!HH4x", 4, 8 + len(actions)) + actions


def flow_mod(xid, m, insts=b"", command=0, table=0, priority=100, cookie=0,
             out_port=OFPP_ANY, flags=0, idle=0, hard=0):
    fixed = struct.pack("!QQBBHHHIIIH2x", cookie, 0, table, command, idle, hard, priority,
                        NO_BUFFER, out_port, 0xffffffff, flags)
    return msg(OFPT_FLOW_MOD, fixed + m + insts, xid)


def packet_out(xid, in_port, actions, data):
    return msg(OFPT_PACKET_OUT, struct.pack("!IIH6x", NO_BUFFER, in_port, len(actions))
               + actions + data, xid)


def multipart(xid, mptype, body=b""):
    return msg(OFPT_MULTIPART_REQUEST, struct.pack("!HH4x", mptype, 0) + body, xid)


class Conn:
    """One OpenFlow 1.3 connection to a switch's listener."""

    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=5)
        self.buf = b""
        self.xid = 1000
        self.s.sendall(msg(OFPT_HELLO, struct.pack("!HHI", 1, 8, 1 << 4), 1))
        typ, _, _ = self.recv(OFPT_HELLO)
        assert typ == OFPT_HELLO

    def next_xid(self):
        self.xid += 1
        return self.xid

    def send(self, data):
        self.s.sendall(data)

    def recv_any(self, timeout=5.0):
        """The next message (type, xid, bytes), or None after 'timeout' seconds."""
        end = time.time() + timeout
        while True:
            if len(self.buf) >= 8:
                length = struct.unpack("!H", self.buf[2:4])[0]
                if len(self.buf) >= length:
                    m, self.buf = self.buf[:length], self.buf[length:]
                    return m[1], struct.unpack("!I", m[4:8])[0], m
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.s], [], [], left)
            if r:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise EOFError("switch closed the connection")
                self.buf += chunk

    def recv(self, typ, timeout=5.0, xid=None):
        """The next message of 'typ' (and 'xid'), skipping others; None on timeout."""
        end = time.time() + timeout
        while True:
            m = self.recv_any(max(0.0, end - time.time()))
            if m is None:
                return None
            if m[0] == typ and (xid is None or m[1] == xid):
                return m
            if m[0] == OFPT_ERROR and (xid is None or m[1] == xid) and typ != OFPT_ERROR:
                return m

    def barrier(self):
        x = self.next_xid()
        self.send(msg(OFPT_BARRIER_REQUEST, b"", x))
        m = self.recv(OFPT_BARRIER_REPLY, xid=x)
        return m is not None and m[0] == OFPT_BARRIER_REPLY
