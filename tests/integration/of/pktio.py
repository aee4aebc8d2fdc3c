# SPDX-License-Identifier: Apache-2.0
"""Packet-in, packet-out, port status, port mod, roles and barriers seen
by a controller: a raw OpenFlow 1.3 connection (oflib) to a vireo
bridge whose ports 1..3 are taps c1..c3 in namespaces NS-c1..NS-c3.

  pktio.py HOST PORT BRIDGE NS DPID VIREOCTL SOCKET RAWIO

Prints one line per check, "PASS desc" or "FAIL desc" (then "# detail");
exits 1 if any check failed.
"""
import os
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oflib import (OFPCML_NO_BUFFER, OFPP_CONTROLLER, OFPP_FLOOD, OFPP_TABLE,  # noqa: E402
                   OFPT_ERROR, OFPT_FEATURES_REPLY, OFPT_FEATURES_REQUEST, OFPT_FLOW_MOD, OFPT_FLOW_REMOVED,
                   OFPT_GET_CONFIG_REPLY, OFPT_GET_CONFIG_REQUEST, OFPT_MULTIPART_REPLY,
                   OFPT_PACKET_IN, OFPT_PORT_MOD, OFPT_PORT_STATUS, OFPT_ROLE_REPLY,
                   OFPT_ROLE_REQUEST, OFPT_SET_CONFIG, OXM_ETH_TYPE, OXM_IN_PORT, Conn,
                   apply_actions, flow_mod, match, msg, multipart, output, oxm, packet_out,
                   parse_match)

HOST, PORT, BR, NS, DPID, VIREOCTL, SOCK, RAWIO = sys.argv[1:9]
ET = 0x88b5
N = 0
FAILED = 0


def check(desc, cond, detail=""):
    global N, FAILED
    N += 1
    if cond:
        print("PASS %s" % desc)
    else:
        FAILED += 1
        print("FAIL %s" % desc)
        if detail:
            print("# " + str(detail))
    sys.stdout.flush()


def mac_of(port):
    out = subprocess.check_output(["ip", "netns", "exec", "%s-%s" % (NS, port), "cat",
                                   "/sys/class/net/%s/address" % port])
    return bytes.fromhex(out.decode().strip().replace(":", ""))


def frame(src, size, tag):
    body = tag.encode().ljust(size - 14, b"\0")
    return b"\xff" * 6 + src + struct.pack("!H", ET) + body


def raw_send(port, data, count=1, interval=0.0):
    code = ("import socket,sys,time\n"
            "s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW); s.bind((sys.argv[1],0))\n"
            "d=bytes.fromhex(sys.argv[2])\n"
            "for _ in range(int(sys.argv[3])):\n"
            "    s.send(d); time.sleep(float(sys.argv[4]))\n")
    return subprocess.Popen(["ip", "netns", "exec", "%s-%s" % (NS, port), "/usr/bin/python3",
                             "-c", code, port, data.hex(), str(count), str(interval)])


def counter(port, seconds, tag):
    """Starts counting frames of 'tag' arriving on 'port'; returns a handle for count()."""
    d = tempfile.mkdtemp()
    ready = os.path.join(d, "ready")
    p = subprocess.Popen(["ip", "netns", "exec", "%s-%s" % (NS, port), "/usr/bin/python3",
                          RAWIO, "count", port, "%x" % ET, str(seconds), ready, tag],
                         stdout=subprocess.PIPE, text=True)
    for _ in range(100):
        if os.path.exists(ready):
            break
        time.sleep(0.05)
    return p


def count(p):
    out, _ = p.communicate(timeout=30)
    return int(out.strip() or -1)


def packet_in(m):
    """(buffer_id, total_len, reason, table_id, cookie, fields, data) of a PACKET_IN."""
    buffer_id, total_len, reason, table_id, cookie = struct.unpack("!IHBBQ", m[8:24])
    fields, used = parse_match(m[24:])
    data = m[24 + used + 2:]
    return buffer_id, total_len, reason, table_id, cookie, fields, data


def error_of(m):
    return struct.unpack("!HH", m[2][8:12]) if m is not None and m[0] == OFPT_ERROR else None


def recv_pin(c, tag, timeout=5.0):
    """The next packet-in whose frame carries 'tag' (the host's own traffic on
    LOCAL reaches the controller too), decoded, or None."""
    end = time.time() + timeout
    while time.time() < end:
        m = c.recv(OFPT_PACKET_IN, timeout=max(0.0, end - time.time()))
        if m is None:
            return None
        pi = packet_in(m[2])
        if tag.encode() in pi[6]:
            return pi
    return None


def in_port_match(port):
    return match(oxm(OXM_IN_PORT, struct.pack("!I", port)), oxm(OXM_ETH_TYPE, struct.pack("!H", ET)))


def main():
    c = Conn(HOST, int(PORT))
    mac = {p: mac_of(p) for p in ("c1", "c2", "c3")}

    # FEATURES, DESC, PORT_DESC, config.
    x = c.next_xid()
    c.send(msg(OFPT_FEATURES_REQUEST, b"", x))
    m = c.recv(OFPT_FEATURES_REPLY, xid=x)
    dpid = struct.unpack("!Q", m[2][8:16])[0] if m else None
    check("FEATURES_REPLY carries the datapath-id that was set", dpid == int(DPID, 16),
          "%r" % dpid)
    x = c.next_xid()
    c.send(multipart(x, 0))
    m = c.recv(OFPT_MULTIPART_REPLY, xid=x)
    dp_desc = m[2][16 + 800:16 + 1056].rstrip(b"\0").decode() if m else None
    check("DESC names the bridge in dp_desc", dp_desc == BR, dp_desc)
    x = c.next_xid()
    c.send(multipart(x, 13))
    m = c.recv(OFPT_MULTIPART_REPLY, xid=x)
    ports = {}
    body = m[2][16:] if m else b""
    for off in range(0, len(body), 64):
        no = struct.unpack("!I", body[off:off + 4])[0]
        ports[no] = (body[off + 8:off + 14], body[off + 16:off + 32].rstrip(b"\0").decode())
    check("PORT_DESC lists c1..c3 with their MACs and LOCAL",
          all(ports.get(i, (None, None)) == (mac["c%d" % i], "c%d" % i) for i in (1, 2, 3))
          and ports.get(0xfffffffe, (None, ""))[1] == BR, ports)
    c.send(msg(OFPT_SET_CONFIG, struct.pack("!HH", 0, 200), c.next_xid()))
    x = c.next_xid()
    c.send(msg(OFPT_GET_CONFIG_REQUEST, b"", x))
    m = c.recv(OFPT_GET_CONFIG_REPLY, xid=x)
    check("GET_CONFIG returns what SET_CONFIG set", m and struct.unpack("!HH", m[2][8:12]) == (0, 200))

    # Packet-in with reason ACTION, cut to max_len 64.
    c.send(flow_mod(c.next_xid(), in_port_match(1),
                    apply_actions(output(OFPP_CONTROLLER, 64)), priority=10, cookie=0xabc))
    check("barrier after a flow_mod", c.barrier())
    f1 = frame(mac["c1"], 200, "pin1")
    raw_send("c1", f1).wait()
    pi = recv_pin(c, "pin1")
    check("packet-in from the flow: reason ACTION, table 0, the flow's cookie",
          pi and pi[2] == 1 and pi[3] == 0 and pi[4] == 0xabc, pi and pi[:5])
    check("packet-in: in_port 1 in the match, NO_BUFFER, total_len 200",
          pi and pi[5].get(OXM_IN_PORT) == struct.pack("!I", 1) and pi[0] == 0xffffffff
          and pi[1] == 200, pi and (pi[0], pi[1], pi[5]))
    check("packet-in data is the frame cut to max_len 64", pi and pi[6] == f1[:64],
          pi and len(pi[6]))

    # Table miss to the controller: reason NO_MATCH, whole frame.
    c.send(flow_mod(c.next_xid(), match(), apply_actions(output(OFPP_CONTROLLER, OFPCML_NO_BUFFER)),
                    priority=0))
    c.barrier()
    f2 = frame(mac["c2"], 200, "pin2")
    raw_send("c2", f2).wait()
    pi = recv_pin(c, "pin2")
    check("table-miss packet-in: reason NO_MATCH, in_port 2, the whole frame",
          pi and pi[2] == 0 and pi[5].get(OXM_IN_PORT) == struct.pack("!I", 2) and pi[6] == f2,
          pi and pi[:5])

    # Packet-out to a port, and through the tables.
    cnt = counter("c3", 1.5, "pout1")
    c.send(packet_out(c.next_xid(), OFPP_CONTROLLER, output(3), frame(mac["c1"], 80, "pout1")))
    check("packet-out output:3 reaches c3 once", count(cnt) == 1)
    c.send(packet_out(c.next_xid(), 1, output(OFPP_TABLE), frame(mac["c1"], 120, "pout2")))
    pi = recv_pin(c, "pout2")
    check("packet-out output:TABLE runs the tables as from port 1 (the cookie 0xabc flow)",
          pi and pi[4] == 0xabc and pi[5].get(OXM_IN_PORT) == struct.pack("!I", 1)
          and pi[6] == frame(mac["c1"], 120, "pout2")[:64], pi and pi[:5])

    # PORT_MOD no-forward on port 3, seen in PORT_STATUS and on the wire.
    hw3 = ports.get(3, (b"\0" * 6, ""))[0]
    pm = struct.pack("!I4x6s2xIII4x", 3, hw3, 1 << 5, 1 << 5, 0)
    c.send(msg(OFPT_PORT_MOD, pm, c.next_xid()))
    m = c.recv(OFPT_PORT_STATUS)
    ok = m and m[2][8] == 2 and struct.unpack("!I", m[2][16:20])[0] == 3 and \
        struct.unpack("!I", m[2][48:52])[0] & (1 << 5)
    check("PORT_MOD no_fwd on port 3 -> PORT_STATUS MODIFY with OFPPC_NO_FWD", ok)
    cnts = {p: counter(p, 1.5, "flood1") for p in ("c1", "c2", "c3")}
    c.send(packet_out(c.next_xid(), OFPP_CONTROLLER, output(OFPP_FLOOD), frame(mac["c1"], 64, "flood1")))
    got = {p: count(h) for p, h in cnts.items()}
    check("FLOOD skips the no_fwd port", got == {"c1": 1, "c2": 1, "c3": 0}, got)
    c.send(msg(OFPT_PORT_MOD, struct.pack("!I4x6s2xIII4x", 3, hw3, 0, 1 << 5, 0), c.next_xid()))
    m = c.recv(OFPT_PORT_STATUS)
    check("clearing no_fwd -> PORT_STATUS without it",
          m and not struct.unpack("!I", m[2][48:52])[0] & (1 << 5))
    x = c.next_xid()
    c.send(msg(OFPT_PORT_MOD, struct.pack("!I4x6s2xIII4x", 3, b"\x02" * 6, 0, 1, 0), x))
    check("PORT_MOD with a wrong hw_addr -> PORT_MOD_FAILED/BAD_HW_ADDR",
          error_of(c.recv(OFPT_ERROR, xid=x)) == (7, 1))
    x = c.next_xid()
    c.send(msg(OFPT_PORT_MOD, struct.pack("!I4x6s2xIII4x", 99, hw3, 0, 1, 0), x))
    check("PORT_MOD on a port that does not exist -> PORT_MOD_FAILED/BAD_PORT",
          error_of(c.recv(OFPT_ERROR, xid=x)) == (7, 0))

    # PORT_STATUS when a port comes and goes.
    subprocess.check_call([VIREOCTL, "--socket", SOCK, "add-port", BR, "c4", "--", "set",
                           "interface", "c4", "options:netns=%s-c1" % NS])
    m = c.recv(OFPT_PORT_STATUS)
    check("add-port -> PORT_STATUS ADD for port 4 named c4",
          m and m[2][8] == 0 and struct.unpack("!I", m[2][16:20])[0] == 4
          and m[2][32:48].rstrip(b"\0") == b"c4")
    subprocess.check_call([VIREOCTL, "--socket", SOCK, "del-port", BR, "c4"])
    # The new port's link coming up may be reported (MODIFY) before the delete.
    m = c.recv(OFPT_PORT_STATUS)
    while m and m[2][8] == 2:
        m = c.recv(OFPT_PORT_STATUS)
    check("del-port -> PORT_STATUS DELETE for port 4",
          m and m[2][8] == 1 and struct.unpack("!I", m[2][16:20])[0] == 4)

    # Roles: a slave may not change the switch.
    x = c.next_xid()
    c.send(msg(OFPT_ROLE_REQUEST, struct.pack("!I4xQ", 3, 7), x))
    m = c.recv(OFPT_ROLE_REPLY, xid=x)
    check("ROLE_REQUEST slave -> ROLE_REPLY slave", m and struct.unpack("!I", m[2][8:12])[0] == 3)
    x = c.next_xid()
    c.send(flow_mod(x, match(), apply_actions(output(2)), priority=5))
    check("a slave's FLOW_MOD -> BAD_REQUEST/IS_SLAVE", error_of(c.recv(OFPT_ERROR, xid=x)) == (1, 10))
    x = c.next_xid()
    c.send(msg(OFPT_ROLE_REQUEST, struct.pack("!I4xQ", 1, 8), x))
    m = c.recv(OFPT_ROLE_REPLY, xid=x)
    check("back to role equal", m and struct.unpack("!I", m[2][8:12])[0] == 1)

    # FLOW_REMOVED for flows that ask for it: hard timeout, then delete.
    t0 = time.time()
    c.send(flow_mod(c.next_xid(), match(oxm(OXM_IN_PORT, struct.pack("!I", 2))),
                    apply_actions(output(1)), priority=30, cookie=0x77, flags=1, hard=1))
    c.barrier()
    m = c.recv(OFPT_FLOW_REMOVED, timeout=5)
    took = time.time() - t0
    ok = m and struct.unpack("!QHBB", m[2][8:20]) == (0x77, 30, 1, 0) and \
        struct.unpack("!HH", m[2][28:32]) == (0, 1)
    check("hard_timeout=1 with send_flow_rem -> FLOW_REMOVED reason HARD_TIMEOUT after "
          "%.1f s" % took, ok and 0.9 <= took <= 3.5)
    c.send(flow_mod(c.next_xid(), match(oxm(OXM_IN_PORT, struct.pack("!I", 2))),
                    apply_actions(output(1)), priority=31, cookie=0x78, flags=1))
    c.send(flow_mod(c.next_xid(), match(oxm(OXM_IN_PORT, struct.pack("!I", 2))), command=3))
    m = c.recv(OFPT_FLOW_REMOVED, timeout=3)
    check("delete -> FLOW_REMOVED reason DELETE with the flow's cookie",
          m and struct.unpack("!QHBB", m[2][8:20]) == (0x78, 31, 2, 0))

    # A flow deleted under traffic stops matching once the barrier is answered.
    fm = in_port_match(1)
    c.send(flow_mod(c.next_xid(), fm, apply_actions(output(3)), priority=20))
    c.barrier()
    sender = raw_send("c1", frame(mac["c1"], 64, "burst"), count=1500, interval=0.002)
    time.sleep(0.3)
    check("under traffic, c1's frames reach c3 through the flow", count(counter("c3", 0.5, "burst")) > 50)
    c.send(flow_mod(c.next_xid(), fm, command=4, priority=20))
    barrier_ok = c.barrier()
    after = count(counter("c3", 0.7, "burst"))
    check("after the delete's BARRIER_REPLY, not one frame takes the old path (%d)" % after,
          barrier_ok and after == 0)
    sender.kill()
    sender.wait()
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
