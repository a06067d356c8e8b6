#!/usr/bin/env python3
"""Network faults against nnrs, between two network namespaces joined by a
veth pair (10.77.0.1/24 and 10.77.0.2/24), created and removed here.

  cut    the link goes down in the middle of a PAIR and a PUSH/PULL
         transfer (A dials, B binds) and stays down until both ends have
         dropped their connections (TCP_USER_TIMEOUT 20 s on the sender,
         keepalive on the idle receiver); then it comes back. The dialers
         reconnect; each receiver must have got its messages in order, one
         contiguous run lost at most (what was in flight at the cut), and
         every message whose nn_send began after the reconnect.
  kill   a peer process is killed with SIGKILL, then started again: the
         survivor sees NN_STAT_CURRENT_CONNECTIONS drop and serves the new
         peer (the killed one dials, then the killed one binds).
  emfile a process whose RLIMIT_NOFILE is low binds and is flooded with
         connections until accept fails with EMFILE: it must not spin
         (CPU time over 3 s of EMFILE < 0.5 s) and must serve again once the
         flood goes away.

Each process on either side is this script run with --node inside its
namespace: it loads the library with ctypes and takes one JSON command a
line on stdin.

    faults.py --lib build/lib/libnanomsg.so.5 [cut] [kill] [emfile]

Needs root and `ip netns`; prints SKIPPED and exits 77 otherwise.
"""
import argparse
import ctypes
import json
import os
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

AF_SP = 1
NN_PAIR = 16
NN_PUSH = 80
NN_PULL = 81
NN_SOL_SOCKET = 0
NN_SNDBUF, NN_RCVBUF, NN_SNDTIMEO, NN_RCVTIMEO = 2, 3, 4, 5
NN_RECONNECT_IVL, NN_RECONNECT_IVL_MAX = 6, 7
STAT_ESTABLISHED = 101
STAT_ACCEPTED = 102
STAT_BROKEN = 104
STAT_ACCEPT_ERRORS = 107
STAT_CURRENT = 201

ADDR_A, ADDR_B = "10.77.0.1", "10.77.0.2"
PORT = 5600
SKIP = 77


# ---------------------------------------------------------------- node side

class NodeState:
    def __init__(self, lib):
        self.nn = ctypes.CDLL(lib, use_errno=True)
        nn = self.nn
        nn.nn_socket.argtypes = [ctypes.c_int, ctypes.c_int]
        nn.nn_setsockopt.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_void_p, ctypes.c_size_t]
        nn.nn_bind.argtypes = [ctypes.c_int, ctypes.c_char_p]
        nn.nn_connect.argtypes = [ctypes.c_int, ctypes.c_char_p]
        nn.nn_send.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        nn.nn_recv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        nn.nn_get_statistic.argtypes = [ctypes.c_int, ctypes.c_int]
        nn.nn_get_statistic.restype = ctypes.c_uint64
        nn.nn_strerror.restype = ctypes.c_char_p
        self.streams = {}
        self.flood = []

    def err(self):
        e = self.nn.nn_errno()
        return {"errno": e, "error": self.nn.nn_strerror(e).decode()}

    def setopt(self, s, opt, value):
        v = ctypes.c_int(value)
        return self.nn.nn_setsockopt(s, NN_SOL_SOCKET, opt, ctypes.byref(v), 4)

    def stat(self, s, which):
        return int(self.nn.nn_get_statistic(s, which))

    # A thread that sends seq-numbered messages about once a millisecond.
    # For each message it notes whether the nn_send that took it began
    # after the socket had seen a second connection (the reconnect), and
    # whether it began after the socket had none left (the drop).
    def sender(self, st):
        nn, s = self.nn, st["s"]
        buf = ctypes.create_string_buffer(st["size"])
        seq = 0
        while not st["stop"]:
            if st["drop_seq"] is None and seq > 0 and self.stat(s, STAT_CURRENT) == 0:
                st["drop_seq"] = seq
            after = self.stat(s, STAT_ESTABLISHED) >= 2
            struct.pack_into(">Q", buf, 0, seq)
            rc = nn.nn_send(s, buf, st["size"], 0)
            if rc < 0:
                e = nn.nn_errno()
                if e in (110, 11):   # ETIMEDOUT, EAGAIN: the same message again
                    continue
                st["error"] = self.err()
                break
            if after and st["reconnect_seq"] is None:
                st["reconnect_seq"] = seq
            seq += 1
            st["sent"] = seq
            time.sleep(0.001)

    def receiver(self, st):
        nn, s = self.nn, st["s"]
        buf = ctypes.create_string_buffer(65536)
        while not st["stop"]:
            rc = nn.nn_recv(s, buf, 65536, 0)
            if rc < 0:
                if nn.nn_errno() in (110, 11):
                    continue
                st["error"] = self.err()
                break
            st["seqs"].append(struct.unpack_from(">Q", buf, 0)[0])

    def run(self, cmd):
        op = cmd["op"]
        nn = self.nn
        if op == "socket":
            s = nn.nn_socket(AF_SP, cmd["proto"])
            if s < 0:
                return self.err()
            for opt, value in ((NN_SNDTIMEO, cmd.get("sndtimeo", 100)),
                               (NN_RCVTIMEO, cmd.get("rcvtimeo", 200)),
                               (NN_RECONNECT_IVL, 100), (NN_RECONNECT_IVL_MAX, 1000)):
                if self.setopt(s, opt, value) != 0:
                    return self.err()
            return {"s": s}
        if op in ("bind", "connect"):
            f = nn.nn_bind if op == "bind" else nn.nn_connect
            rc = f(cmd["s"], cmd["url"].encode())
            return {"rc": rc} if rc >= 0 else self.err()
        if op == "stat":
            return {"value": self.stat(cmd["s"], cmd["which"])}
        if op == "stats":
            return {str(w): self.stat(cmd["s"], w) for w in
                    (STAT_ESTABLISHED, STAT_ACCEPTED, STAT_BROKEN, STAT_ACCEPT_ERRORS, STAT_CURRENT)}
        if op == "send":
            data = cmd["data"].encode()
            rc = nn.nn_send(cmd["s"], data, len(data), 0)
            return {"rc": rc} if rc >= 0 else self.err()
        if op == "recv":
            buf = ctypes.create_string_buffer(65536)
            rc = nn.nn_recv(cmd["s"], buf, 65536, 0)
            return {"data": buf.raw[:rc].decode(errors="replace")} if rc >= 0 else self.err()
        if op == "close":
            return {"rc": nn.nn_close(cmd["s"])}
        if op in ("sender", "receiver"):
            st = {"s": cmd["s"], "stop": False, "size": cmd.get("size", 64), "sent": 0,
                  "reconnect_seq": None, "drop_seq": None, "seqs": [], "error": None}
            st["thread"] = threading.Thread(target=getattr(self, op), args=(st,), daemon=True)
            self.streams[cmd["s"]] = st
            st["thread"].start()
            return {}
        if op == "count":
            st = self.streams[cmd["s"]]
            return {"sent": st["sent"], "received": len(st["seqs"])}
        if op == "stop":
            st = self.streams.pop(cmd["s"])
            st["stop"] = True
            st["thread"].join(5)
            if st["thread"].is_alive():
                return {"errno": -1, "error": "stream thread did not stop"}
            return {k: st[k] for k in ("sent", "reconnect_seq", "drop_seq", "seqs", "error")}
        if op == "limit_fds":
            n = len(os.listdir("/proc/self/fd"))
            limit = n + cmd["extra"]
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
            return {"limit": limit, "open": n}
        if op == "flood":
            ok = 0
            hs = bytes.fromhex(cmd["handshake"])
            for _ in range(cmd["n"]):
                c = socket.socket()
                c.settimeout(2)
                try:
                    c.connect((cmd["host"], cmd["port"]))
                    c.sendall(hs)
                    ok += 1
                except OSError:
                    c.close()
                    continue
                self.flood.append(c)
            return {"connected": ok}
        if op == "unflood":
            for c in self.flood:
                c.close()
            n = len(self.flood)
            self.flood = []
            return {"closed": n}
        return {"errno": -1, "error": "unknown op " + op}


def node_main(lib):
    state = NodeState(lib)
    out = sys.stdout
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "exit":
            break
        try:
            reply = state.run(cmd)
        except Exception as e:   # reported to the driver, which fails the case
            reply = {"errno": -1, "error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(reply) + "\n")
        out.flush()
    os._exit(0)


# -------------------------------------------------------------- driver side

class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


NODES = []


class Node:
    """A process in namespace `ns` that runs commands on the library."""

    def __init__(self, ns, lib, name):
        self.name = name
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__),
             "--node", "--lib", lib],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        NODES.append(self)

    @property
    def pid(self):
        return self.proc.pid   # ip netns exec execs the interpreter

    def call(self, op, **kw):
        kw["op"] = op
        self.proc.stdin.write(json.dumps(kw) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        expect(line, "%s: no answer to %s (exit status %s)" % (self.name, op, self.proc.poll()))
        return json.loads(line)

    def must(self, op, **kw):
        r = self.call(op, **kw)
        expect("errno" not in r, "%s: %s %r: %s" % (self.name, op, kw, r.get("error")))
        return r

    def socket(self, proto, **kw):
        return self.must("socket", proto=proto, **kw)["s"]

    def stat(self, s, which):
        return self.must("stat", s=s, which=which)["value"]

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def exit(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write('{"op": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()


def wait_for(cond, timeout, step=0.05):
    """Polls cond() until it is true or timeout seconds pass; returns the
    seconds it took, or None."""
    start = time.monotonic()
    while True:
        if cond():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None
        time.sleep(step)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def nfds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


class Namespaces:
    def __init__(self):
        tag = "nnrs-faults-%d" % os.getpid()
        self.a, self.b = tag + "-a", tag + "-b"
        self.made = []

    @staticmethod
    def ip(*args, check=True):
        r = subprocess.run(["ip"] + list(args), capture_output=True, text=True)
        if check and r.returncode != 0:
            raise Failure("ip %s: %s" % (" ".join(args), r.stderr.strip()))
        return r.returncode == 0

    def create(self):
        for ns in (self.a, self.b):
            self.ip("netns", "add", ns)
            self.made.append(ns)
        self.ip("link", "add", "veth-a", "netns", self.a, "type", "veth",
                "peer", "name", "veth-b", "netns", self.b)
        for ns, dev, addr in ((self.a, "veth-a", ADDR_A), (self.b, "veth-b", ADDR_B)):
            self.ip("-n", ns, "addr", "add", addr + "/24", "dev", dev)
            self.ip("-n", ns, "link", "set", "lo", "up")
            self.ip("-n", ns, "link", "set", dev, "up")

    def link(self, up):
        self.ip("-n", self.a, "link", "set", "veth-a", "up" if up else "down")

    def remove(self):
        for ns in self.made:
            self.ip("netns", "del", ns, check=False)
        self.made = []


def remove_stale_namespaces():
    """Namespaces left by an earlier run that was killed."""
    r = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        parts = name.split("-")
        if name.startswith("nnrs-faults-") and len(parts) == 4 and parts[2].isdigit():
            if not os.path.exists("/proc/" + parts[2]):
                subprocess.run(["ip", "netns", "del", name], capture_output=True)


def url(host, port):
    return "tcp://%s:%d" % (host, port)


RESULTS = []   # (case, tries, survived, lost, note)


def analyse(kind, report, seqs):
    """Checks one stream and returns how many messages were lost."""
    sent = report["sent"]
    expect(report["error"] is None, "%s: sender failed: %s" % (kind, report["error"]))
    expect(sent > 0, "%s: nothing was sent" % kind)
    bad = [i for i in range(1, len(seqs)) if seqs[i] <= seqs[i - 1]]
    expect(not bad, "%s: out of order or duplicated at %d (%d after %d)"
           % (kind, bad[0], seqs[bad[0]], seqs[bad[0] - 1]) if bad else "")
    expect(all(q < sent for q in seqs), "%s: received a message never sent" % kind)
    got = set(seqs)
    missing = [q for q in range(sent) if q not in got]
    r = report["reconnect_seq"]
    expect(r is not None, "%s: no message was sent after the reconnect" % kind)
    late = [q for q in missing if q >= r]
    expect(not late, "%s: %d message(s) accepted after the reconnect (from #%d) were lost, "
           "first #%d" % (kind, len(late), r, late[0]) if late else "")
    if missing:
        expect(missing[-1] - missing[0] + 1 == len(missing),
               "%s: the lost messages are not one run: %s..." % (kind, missing[:10]))
    d = report["drop_seq"]
    print("  %s: %d sent, %d received, %d lost (#%s..#%s); drop seen before #%s, "
          "reconnect seen before #%d" % (kind, sent, len(seqs), len(missing),
                                         missing[0] if missing else "-",
                                         missing[-1] if missing else "-", d, r))
    return len(missing)


def case_cut(ns, lib):
    b = Node(ns.b, lib, "B")
    a = Node(ns.a, lib, "A")
    streams = {}
    for i, (kind, rproto, sproto) in enumerate((("pair", NN_PAIR, NN_PAIR),
                                               ("pushpull", NN_PULL, NN_PUSH))):
        rs = b.socket(rproto)
        b.must("bind", s=rs, url=url(ADDR_B, PORT + i))
        ss = a.socket(sproto)
        a.must("connect", s=ss, url=url(ADDR_B, PORT + i))
        streams[kind] = (ss, rs)
    for kind, (ss, rs) in streams.items():
        expect(wait_for(lambda: a.stat(ss, STAT_CURRENT) == 1 and b.stat(rs, STAT_CURRENT) == 1, 5)
               is not None, "%s: not connected" % kind)
        b.must("receiver", s=rs)
        a.must("sender", s=ss, size=64)
    time.sleep(2)
    for kind, (ss, rs) in streams.items():
        c = b.must("count", s=rs)
        expect(c["received"] > 500, "%s: only %d messages before the cut" % (kind, c["received"]))
    ns.link(False)
    cut = time.monotonic()
    print("  link down")
    dead = {}
    try:
        def all_dropped():
            for kind, (ss, rs) in streams.items():
                for side, node, s in (("dialer", a, ss), ("binder", b, rs)):
                    if (kind, side) not in dead and node.stat(s, STAT_CURRENT) == 0:
                        dead[(kind, side)] = time.monotonic() - cut
            return len(dead) == 4
        took = wait_for(all_dropped, 35, 0.2)
        for key in sorted(dead):
            print("  %s %s dropped its connection %.1f s after the cut" % (key + (dead[key],)))
        expect(took is not None, "connections not dropped 35 s after the cut: only %s"
               % sorted(dead))
        time.sleep(0.5)
    finally:
        ns.link(True)
    print("  link up after %.1f s" % (time.monotonic() - cut))
    up = time.monotonic()
    for kind, (ss, rs) in streams.items():
        took = wait_for(lambda: a.stat(ss, STAT_ESTABLISHED) >= 2 and a.stat(ss, STAT_CURRENT) == 1
                        and b.stat(rs, STAT_CURRENT) == 1, 10, 0.1)
        expect(took is not None, "%s: not reconnected 10 s after the link came back (%s / %s)"
               % (kind, a.must("stats", s=ss), b.must("stats", s=rs)))
        print("  %s reconnected %.1f s after the link came back" % (kind, time.monotonic() - up))
    time.sleep(3)
    lost = {}
    for kind, (ss, rs) in streams.items():
        report = a.must("stop", s=ss)
        sent = report["sent"]
        wait_for(lambda: b.must("count", s=rs)["received"] >= sent, 3, 0.1)
        time.sleep(0.3)
        seqs = b.must("stop", s=rs)["seqs"]
        lost[kind] = analyse(kind, report, seqs)
    a.exit()
    b.exit()
    for kind in streams:
        RESULTS.append(("cut link, %s" % kind, 1, 1, lost[kind], "in flight at the cut"))


def exchange(x, xs, y, ys, tag):
    """x sends to y and y answers; both must arrive."""
    x.must("send", s=xs, data="ping " + tag)
    r = y.must("recv", s=ys)
    expect(r["data"] == "ping " + tag, "%s: got %r" % (tag, r["data"]))
    y.must("send", s=ys, data="pong " + tag)
    r = x.must("recv", s=xs)
    expect(r["data"] == "pong " + tag, "%s: got %r" % (tag, r["data"]))


def case_kill(ns, lib, tries=3):
    port = PORT + 10
    for killed_side in ("dialer", "binder"):
        survived = 0
        survivor_ns, victim_ns = (ns.b, ns.a) if killed_side == "dialer" else (ns.a, ns.b)
        surv = Node(survivor_ns, lib, "survivor")
        ss = surv.socket(NN_PAIR, sndtimeo=3000, rcvtimeo=3000)
        if killed_side == "dialer":
            surv.must("bind", s=ss, url=url(ADDR_B, port))
        else:
            surv.must("connect", s=ss, url=url(ADDR_B, port))

        def start_victim():
            v = Node(victim_ns, lib, "peer")
            vs = v.socket(NN_PAIR, sndtimeo=3000, rcvtimeo=3000)
            if killed_side == "dialer":
                v.must("connect", s=vs, url=url(ADDR_B, port))
            else:
                v.must("bind", s=vs, url=url(ADDR_B, port))
            return v, vs
        victim, vs = start_victim()
        for t in range(tries):
            expect(wait_for(lambda: surv.stat(ss, STAT_CURRENT) == 1, 5) is not None,
                   "kill %s #%d: survivor not connected" % (killed_side, t))
            exchange(victim, vs, surv, ss, "kill-%s-%d" % (killed_side, t))
            victim.kill()
            took = wait_for(lambda: surv.stat(ss, STAT_CURRENT) == 0, 5)
            expect(took is not None, "kill %s #%d: the survivor still counts the connection "
                   "5 s after SIGKILL (%s)" % (killed_side, t, surv.must("stats", s=ss)))
            victim, vs = start_victim()
            took2 = wait_for(lambda: surv.stat(ss, STAT_CURRENT) == 1, 5)
            expect(took2 is not None, "kill %s #%d: the restarted peer is not connected after 5 s"
                   % (killed_side, t))
            exchange(victim, vs, surv, ss, "after-kill-%s-%d" % (killed_side, t))
            print("  kill %s #%d: dropped after %.2f s, restarted peer served after %.2f s"
                  % (killed_side, t, took, took2))
            survived += 1
        victim.exit()
        surv.exit()
        RESULTS.append(("SIGKILL %s, survivor %s" % (killed_side,
                        "binder" if killed_side == "dialer" else "dialer"), tries, survived, 0, ""))


def case_emfile(ns, lib):
    port = PORT + 20
    c = Node(ns.b, lib, "server")
    cs = c.socket(NN_PULL, rcvtimeo=5000)
    c.must("bind", s=cs, url=url(ADDR_B, port))
    lim = c.must("limit_fds", extra=8)
    flooder = Node(ns.a, lib, "flooder")
    n = 60
    # A PUSH handshake, so that the server keeps every connection it accepts.
    r = flooder.must("flood", host=ADDR_B, port=port, n=n, handshake="0053500000500000")
    expect(r["connected"] >= lim["limit"], "only %d flood connections" % r["connected"])
    # Wait for the server's descriptors to stop growing: it is at its limit.
    last = [-1]

    def settled():
        now = nfds(c.pid)
        same = now == last[0]
        last[0] = now
        return same
    wait_for(settled, 5, 0.5)
    held = nfds(c.pid)
    expect(held >= lim["limit"] - 1, "the server holds %d descriptors, limit %d: not at EMFILE"
           % (held, lim["limit"]))
    before = cpu_seconds(c.pid)
    time.sleep(3)
    used = cpu_seconds(c.pid) - before
    stats = c.must("stats", s=cs)
    print("  server: limit %d, %d descriptors open, %d connections, %d accept errors; "
          "%.2f s CPU over 3 s of EMFILE" % (lim["limit"], held, stats[str(STAT_CURRENT)],
                                             stats[str(STAT_ACCEPT_ERRORS)], used))
    expect(used < 0.5, "the server used %.2f s of CPU in 3 s at EMFILE (spinning)" % used)
    flooder.must("unflood")
    start = time.monotonic()
    p = flooder.socket(NN_PUSH, sndtimeo=5000)
    flooder.must("connect", s=p, url=url(ADDR_B, port))
    flooder.must("send", s=p, data="after the flood")
    r = c.call("recv", s=cs)
    expect(r.get("data") == "after the flood",
           "the server does not serve after the flood went away: %s (%s)"
           % (r, c.must("stats", s=cs)))
    print("  served %.2f s after the flood went away" % (time.monotonic() - start))
    flooder.exit()
    c.exit()
    RESULTS.append(("accept at EMFILE", 1, 1, 0, "%.2f s CPU in 3 s" % used))


CASES = {"cut": case_cut, "kill": case_kill, "emfile": case_emfile}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--node", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    lib = os.path.abspath(args.lib)
    if args.node:
        node_main(lib)
    if os.geteuid() != 0:
        print("SKIPPED: faults needs root for network namespaces")
        return SKIP
    remove_stale_namespaces()
    ns = Namespaces()
    try:
        ns.create()
    except (Failure, OSError) as e:
        ns.remove()
        print("SKIPPED: cannot create network namespaces: %s" % e)
        return SKIP

    def on_signal(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    failed = []
    try:
        for name in args.cases or list(CASES):
            print("%s:" % name, flush=True)
            start = time.monotonic()
            try:
                CASES[name](ns, lib)
                print("%s: ok (%.1f s)" % (name, time.monotonic() - start), flush=True)
            except Failure as e:
                print("%s: FAILED: %s" % (name, e), flush=True)
                failed.append(name)
            finally:
                for node in NODES:
                    node.kill()
                del NODES[:]
    finally:
        for node in NODES:
            node.kill()
        ns.remove()
    print("\n%-36s %5s %8s %6s  %s" % ("case", "tries", "survived", "lost", "note"))
    for row in RESULTS:
        print("%-36s %5d %8d %6d  %s" % row)
    if failed:
        print("faults: FAILED: %s" % " ".join(failed))
        return 1
    print("faults: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
