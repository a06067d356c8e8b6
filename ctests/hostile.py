#!/usr/bin/env python3
"""Hostile peers against a bound nnrs socket of every protocol, over tcp and
ipc. Raw python sockets send what no SP peer should: a wrong handshake, a
valid handshake of a protocol that is not the peer, random bytes, a length
over NN_RCVMAXSIZE, a frame cut short then EOF, a peer gone mid-frame (a
reset on tcp), 1,000 connections that never speak, a handshake one byte a
second and (ipc) a type byte other than 0x01. Each attacker must lose its
connection; after each attack (and, for the slow ones, while it goes on) a
second nnrs socket of the right peer type connects and messages go the
protocol's way. The process's RSS is printed around each family of attacks
and must stay bounded, and no descriptor may be left open after a family.
A table at the end counts tries, the tries the socket survived (attacker
handled as expected and the good peer served), the good peer's messages
lost and the tcp or unix descriptors left open.

    hostile.py --lib build/lib/libnanomsg.so.5 --bindings bindings/python/src [FAMILY ...]
"""
import argparse
import ctypes
import os
import random
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback

nn = None  # the nanomsg_ctypes package, once loaded
lib = None

NAMES = ["PAIR", "REQ", "REP", "PUB", "SUB", "PUSH", "PULL", "SURVEYOR", "RESPONDENT", "BUS"]
PEER = {"PAIR": "PAIR", "REQ": "REP", "REP": "REQ", "PUB": "SUB", "SUB": "PUB", "PUSH": "PULL",
        "PULL": "PUSH", "SURVEYOR": "RESPONDENT", "RESPONDENT": "SURVEYOR", "BUS": "BUS"}
RCVMAXSIZE = 1 << 20         # the default NN_RCVMAXSIZE
TIMEOUT_MS = 5000            # sends and receives of the nnrs sockets
HALF_OPEN = 1000             # silent connections per socket
HALF_OPEN_GROUP = 4          # sockets attacked by silent connections at once
RSS_LIMIT_KIB = 64 * 1024    # growth allowed over the whole run


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def connection_fds():
    """Open tcp and ipc descriptors of this process."""
    counts = socket_fds()
    return counts["tcp"] + counts["ipc"]


def socket_fds():
    """Open descriptors of this process by kind: tcp, ipc (unix) and other
    (not a socket)."""
    kinds = {}
    for table, kind, column in (("tcp", "tcp", 9), ("tcp6", "tcp", 9), ("unix", "ipc", 6)):
        try:
            with open("/proc/self/net/" + table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if len(fields) > column:
                        kinds[fields[column]] = kind
        except OSError:
            pass
    counts = {"tcp": 0, "ipc": 0, "other": 0}
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            # A tcp socket that was reset or shut down has left the table:
            # count it as tcp.
            counts[kinds.get(target[8:-1], "tcp")] += 1
        else:
            counts["other"] += 1
    return counts


def handshake(protocol_id):
    return b"\0SP\0" + struct.pack(">H", protocol_id) + b"\0\0"


def wait_for(cond, seconds=5.0):
    end = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.005)
    return True


def connections(sock):
    return lib.nn_get_statistic(sock.id, nn.NN_STAT_CURRENT_CONNECTIONS)


# ------------------------------------------------------------ the servers

class Server:
    """One bound nnrs socket under attack."""

    def __init__(self, name, transport, port, ipc_dir):
        self.name = name
        self.transport = transport
        self.ipc = transport == "ipc"
        self.id = getattr(nn, "NN_" + name)
        self.peer_id = getattr(nn, "NN_" + PEER[name])
        if self.ipc:
            self.path = os.path.join(ipc_dir, "%s.ipc" % name.lower())
            self.url = "ipc://" + self.path
        else:
            self.port = port
            self.url = "tcp://127.0.0.1:%d" % port
        self.sock = nn.Socket(self.id)
        configure(self.sock, name)
        self.sock.bind(self.url)
        self.lock = threading.Lock()   # one good peer at a time
        self.serial = 0

    def label(self):
        return "%s/%s" % (self.name, self.transport)

    def raw(self, timeout=3.0):
        """A raw connection to the socket."""
        if self.ipc:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(timeout)
            s.connect(self.path)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(timeout)
            s.connect(("127.0.0.1", self.port))
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def header(self, length, type_byte=1):
        """A frame header: the ipc type byte, then the u64 length."""
        return (bytes([type_byte]) if self.ipc else b"") + struct.pack(">Q", length)

    def valid_handshake(self):
        return handshake(self.peer_id)

    def idle(self, seconds=5.0):
        """Waits for the socket to have no attached connection."""
        expect(wait_for(lambda: connections(self.sock) == 0, seconds),
               "%d connection(s) still attached after %.0f s" % (connections(self.sock), seconds))


def configure(sock, name):
    sock.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVTIMEO, TIMEOUT_MS)
    sock.setsockopt(nn.NN_SOL_SOCKET, nn.NN_SNDTIMEO, TIMEOUT_MS)
    sock.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RECONNECT_IVL, 20)
    if name == "SUB":
        sock.setsockopt(nn.NN_SUB, nn.NN_SUB_SUBSCRIBE, b"")
    if name == "SURVEYOR":
        sock.setsockopt(nn.NN_SURVEYOR, nn.NN_SURVEYOR_DEADLINE, TIMEOUT_MS)


# ----------------------------------------------------------- the good peer

class Exchange:
    """Counts the good peer's messages: sent (accepted by nn_send) and
    received intact."""

    def __init__(self):
        self.sent = 0
        self.received = 0

    def one(self, frm, to, data):
        try:
            frm.send(data)
        except Exception as e:
            raise Failure("send refused: %s" % e)
        self.sent += 1
        stray = []
        while True:
            try:
                got = to.recv()
            except Exception as e:
                raise Failure("message not received: %s%s" % (e, strays(stray)))
            if got == data:
                break
            # Something an attacker got through, or an earlier message
            # that came late: read on, and fail after.
            stray.append(got)
        self.received += 1
        expect(not stray, "received %r before it%s" % (data, strays(stray)))


def strays(stray):
    return "; %d stray message(s) received, first %.60r" % (len(stray), stray[0]) if stray else ""


def served(srv, ex=None):
    """A second nnrs socket of the peer type connects and messages go the
    protocol's way. Counts into `ex`; raises Failure."""
    ex = ex if ex is not None else Exchange()
    with srv.lock:
        srv.idle()
        srv.serial += 1
        tag = b"%s-%s-%d-" % (srv.name.encode(), srv.transport.encode(), srv.serial)
        s = srv.sock
        with nn.Socket(srv.peer_id) as c:
            configure(c, PEER[srv.name])
            c.connect(srv.url)
            n = srv.name
            if n in ("PUB", "SURVEYOR", "BUS"):
                # Broadcasts go to the connections attached when sent.
                expect(wait_for(lambda: connections(s) == 1), "the good peer was never attached")
            if n in ("SUB", "RESPONDENT", "BUS"):
                expect(wait_for(lambda: connections(c) == 1), "the good peer never attached its side")
            if n in ("PAIR", "BUS"):
                ex.one(c, s, tag + b"to server")
                ex.one(s, c, tag + b"to peer")
            elif n in ("REQ", "SURVEYOR"):
                ex.one(s, c, tag + b"request")
                ex.one(c, s, tag + b"reply")
            elif n in ("REP", "RESPONDENT"):
                ex.one(c, s, tag + b"request")
                ex.one(s, c, tag + b"reply")
            elif n in ("PUB", "PUSH"):
                for i in range(3):
                    ex.one(s, c, tag + b"%d" % i)
            elif n in ("SUB", "PULL"):
                for i in range(3):
                    ex.one(c, s, tag + b"%d" % i)
        srv.idle()
    return ex


# -------------------------------------------------------------- attackers

def send_quietly(s, data):
    """Sends what the server takes: it may drop us half-way."""
    try:
        s.sendall(data)
        return True
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        return False


def hung_up(srv, s, timeout=3.0):
    """The server closes the connection within `timeout`, having sent at
    most its own handshake."""
    s.settimeout(timeout)
    got = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        raise Failure("connection still open after %.1f s" % timeout)
    expect(handshake(srv.id).startswith(got), "the server sent %.40r, not just its handshake" % got)


def reset(s):
    """Closes with a reset instead of a FIN (tcp)."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def dropped_after(payload):
    def attack(srv):
        s = srv.raw()
        try:
            send_quietly(s, payload(srv) if callable(payload) else payload)
            hung_up(srv, s)
        finally:
            s.close()
    return attack


def wrong_handshakes(srv):
    p = srv.peer_id
    return [dropped_after(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            dropped_after(b"\0SP\1" + struct.pack(">H", p) + b"\0\0"),   # SP version 1
            dropped_after(b"\0SQ\0" + struct.pack(">H", p) + b"\0\0"),
            dropped_after(b"\1SP\0" + struct.pack(">H", p) + b"\0\0"),
            dropped_after(b"\0" * 8),
            dropped_after(b"SP\0" + struct.pack(">H", p) + b"\0\0\0"),    # shifted by one
            dropped_after(struct.pack(">H", p) + b"\0\0\0SP\0")]          # halves swapped


def wrong_protocols(srv):
    ids = [getattr(nn, "NN_" + n) for n in NAMES]
    ids = [i for i in ids if i != srv.peer_id] + [0x0000, 0x0011, 0xFFFF, srv.peer_id + 0x100]
    return [dropped_after(handshake(i) + srv.header(5) + b"hello") for i in ids]


def random_payloads(srv):
    out = []
    for seed in range(1, 9):
        junk = bytearray(random.Random(seed).randbytes(4096))
        if seed <= 4:
            # From the first byte: not even "\0SP\0".
            junk[0] = junk[0] | 0x80
            out.append(dropped_after(bytes(junk)))
        else:
            # After a valid handshake: the first header is a bad ipc type
            # byte or a tcp length far over NN_RCVMAXSIZE.
            junk[0] = junk[0] | 0x80
            out.append(dropped_after(lambda srv, junk=bytes(junk): srv.valid_handshake() + junk))
    return out


def oversizes(srv):
    body = b"o" * 65536
    return [dropped_after(lambda srv, n=n, b=b: srv.valid_handshake() + srv.header(n) + b)
            for n, b in ((RCVMAXSIZE + 1, body), (RCVMAXSIZE + 1, b""), (1 << 32, body),
                         (1 << 63, b"x"), ((1 << 64) - 1, b""))]


def bad_type_bytes(srv):
    return [dropped_after(lambda srv, t=t: srv.valid_handshake() + srv.header(5, t) + b"hello")
            for t in (0x00, 0x02, 0x03, 0x7F, 0x80, 0xFF)]


def cut_points(srv):
    """Prefixes of a valid start: inside the handshake, inside the first
    header, inside bodies of 100 and 100,000 bytes, and one byte short of
    a whole header."""
    hs = srv.valid_handshake()
    return [hs[:3],
            hs + srv.header(100)[:4],
            hs + srv.header(100) + b"t" * 10,
            hs + srv.header(100000) + b"t" * 50000,
            hs + srv.header(100)[:-1]]


def random_frames(srv):
    """Well-framed messages with bodies no peer of that protocol sends:
    random bytes of every short length, backtraces with no bottom, with
    more hops than NN_MAXTTL, a lone hop. What a protocol takes as a
    message is drained before the good peer comes."""
    def attack(seed):
        def run(srv):
            rnd = random.Random(seed)
            hop, bottom = struct.pack(">I", 1), struct.pack(">I", 0x80000001)
            bodies = [rnd.randbytes(rnd.randrange(0, 41)) for _ in range(150)]
            bodies += [hop * k for k in range(1, 12)]
            bodies += [hop * k + bottom + b"x" for k in range(6, 12)]
            bodies += [bottom[:k] for k in range(4)] + [b""]
            rnd.shuffle(bodies)
            s = srv.raw()
            try:
                send_quietly(s, srv.valid_handshake() + b"".join(srv.header(len(b)) + b for b in bodies))
                s.shutdown(socket.SHUT_WR)
                hung_up(srv, s)
            finally:
                s.close()
            srv.idle(3.0)
            drain(srv)
        return run
    return [attack(seed) for seed in range(100, 105)]


def drain(srv):
    """Takes whatever an attacker got delivered off the socket."""
    if srv.name in ("PUB", "PUSH"):
        return
    while True:
        try:
            srv.sock.recv(nn.NN_DONTWAIT)
        except Exception:
            return


def truncated_then_eof(srv):
    def attack(prefix):
        def run(srv):
            s = srv.raw()
            try:
                send_quietly(s, prefix)
                s.shutdown(socket.SHUT_WR)
                # Its peer gone, the server closes too, with nothing more
                # said than its handshake.
                hung_up(srv, s)
            finally:
                s.close()
            srv.idle(3.0)
        return run
    return [attack(p) for p in cut_points(srv)]


def gone_mid_frame(srv):
    def attack(prefix):
        def run(srv):
            s = srv.raw()
            send_quietly(s, prefix)
            if len(prefix) >= 8:
                # Wait for the connection to be attached, so the reset hits
                # an open pipe in the middle of a frame.
                wait_for(lambda: connections(srv.sock) == 1, 1.0)
            if srv.ipc:
                s.close()
            else:
                reset(s)
            srv.idle(3.0)
        return run
    return [attack(p) for p in cut_points(srv)]


# A slow handshake: the peer's valid header, one byte per second.
SLOW_TRIES = 3


def slow_handshake(srv, results, i):
    s = srv.raw()
    started = time.monotonic()
    try:
        for k, b in enumerate(srv.valid_handshake()):
            if not send_quietly(s, bytes([b])):
                break
            s.settimeout(max(0.01, started + k + 1 - time.monotonic()))
            try:
                chunk = s.recv(64)
                while chunk:  # the server's own handshake
                    chunk = s.recv(64)
                break
            except socket.timeout:
                continue
            except ConnectionResetError:
                break
        else:
            raise Failure("a handshake sent over 8 s was let through")
        after = time.monotonic() - started
        expect(0.9 <= after <= 4.0, "dropped after %.2f s, want about 1 s" % after)
        results[i] = None
    except Exception as e:
        results[i] = e
    finally:
        s.close()


def half_open(srv):
    """HALF_OPEN connections that send nothing; the good peer is served
    while they sit there; each is closed by the server in about 1 s.
    Returns (closed in time, failure or None, exchange)."""
    conns, opened = [], []
    ex = Exchange()
    problem = None
    try:
        for _ in range(HALF_OPEN):
            conns.append(srv.raw(timeout=5.0))
            opened.append(time.monotonic())
        started = time.monotonic()
        try:
            served(srv, ex)
            took = time.monotonic() - started
            if took > 5.0:
                problem = Failure("the good peer took %.2f s beside %d silent connections" % (took, HALF_OPEN))
        except Exception as e:
            problem = Failure("good peer beside %d silent connections: %s" % (HALF_OPEN, e))
        ep = select.epoll()
        index = {}
        for i, s in enumerate(conns):
            s.setblocking(False)
            ep.register(s.fileno(), select.EPOLLIN | select.EPOLLRDHUP)
            index[s.fileno()] = i
        closed_at = {}
        deadline = time.monotonic() + 8.0
        while index and time.monotonic() < deadline:
            for fd, _ in ep.poll(0.5):
                i = index.get(fd)
                if i is None:
                    continue
                try:
                    data = conns[i].recv(4096)
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    data = b""
                if not data:
                    closed_at[i] = time.monotonic() - opened[i]
                    ep.unregister(fd)
                    del index[fd]
        ep.close()
        in_time = sum(1 for t in closed_at.values() if 0.9 <= t <= 6.0)
        if in_time != HALF_OPEN and problem is None:
            early = sum(1 for t in closed_at.values() if t < 0.9)
            problem = Failure("%d of %d silent connections closed 0.9-6 s after connecting "
                              "(%d earlier, %d later, %d never; %.2f-%.2f s)"
                              % (in_time, HALF_OPEN, early, len(closed_at) - in_time - early,
                                 HALF_OPEN - len(closed_at), min(closed_at.values(), default=0),
                                 max(closed_at.values(), default=0)))
        return in_time, problem, ex
    finally:
        for s in conns:
            s.close()


# ---------------------------------------------------------------- running

class Tally:
    def __init__(self):
        self.tries = self.survived = self.lost = 0
        self.failures = []
        self.lock = threading.Lock()

    def add(self, tries, survived, lost, failure=None):
        with self.lock:
            self.tries += tries
            self.survived += survived
            self.lost += lost
            if failure:
                self.failures.append(failure)


def parallel(fn, items):
    threads = [threading.Thread(target=fn, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def fast_family(make_attacks, servers, tallies):
    def run(srv):
        for i, attack in enumerate(make_attacks(srv)):
            ex = Exchange()
            what = None
            try:
                attack(srv)
            except Exception as e:
                what = "attack %d: %s: %s" % (i, type(e).__name__, e)
            try:
                served(srv, ex)
            except Exception as e:
                what = (what + "; " if what else "") + "attack %d, then the good peer: %s: %s" % (
                    i, type(e).__name__, e)
            tallies[srv.transport].add(1, what is None, ex.sent - ex.received,
                                       what and "%s %s" % (srv.label(), what))
    parallel(run, servers)


def slow_family(servers, tallies):
    def run(srv):
        results = [Exception("not run")] * SLOW_TRIES
        attackers = [threading.Thread(target=slow_handshake, args=(srv, results, i)) for i in range(SLOW_TRIES)]
        for t in attackers:
            t.start()
        time.sleep(0.3)
        ex = Exchange()
        problem = None
        try:
            served(srv, ex)   # while the slow handshakes go on
        except Exception as e:
            problem = "good peer beside slow handshakes: %s: %s" % (type(e).__name__, e)
        for t in attackers:
            t.join()
        try:
            served(srv, ex)
        except Exception as e:
            problem = (problem + "; " if problem else "") + "good peer after: %s: %s" % (type(e).__name__, e)
        lost = ex.sent - ex.received
        for i, r in enumerate(results):
            what = problem if r is None else "slow handshake %d: %s" % (i, r)
            tallies[srv.transport].add(1, what is None, lost if i == 0 else 0, what and "%s %s" % (srv.label(), what))
    parallel(run, servers)


def half_open_family(servers, tallies):
    def run(srv):
        try:
            in_time, problem, ex = half_open(srv)
        except Exception as e:
            in_time, problem, ex = 0, e, Exchange()
        try:
            served(srv, ex)
        except Exception as e:
            problem = "%s; good peer after: %s" % (problem, e) if problem else "good peer after: %s" % e
        tallies[srv.transport].add(HALF_OPEN, in_time if problem is None else 0, ex.sent - ex.received,
                                   problem and "%s %s" % (srv.label(), problem))
    for at in range(0, len(servers), HALF_OPEN_GROUP):
        parallel(run, servers[at:at + HALF_OPEN_GROUP])


FAMILIES = [
    ("wrong handshake bytes", "wrong_handshake", wrong_handshakes, False),
    ("wrong protocol id", "wrong_protocol", wrong_protocols, False),
    ("random bytes", "random", random_payloads, False),
    ("length over NN_RCVMAXSIZE", "oversize", oversizes, False),
    ("ipc type byte not 0x01", "type_byte", bad_type_bytes, True),
    ("random frames, valid framing", "random_frames", random_frames, False),
    ("truncated frame then EOF", "truncated", truncated_then_eof, False),
    ("gone mid-frame (RST)", "reset", gone_mid_frame, False),
    ("handshake 1 byte/s", "slow", None, False),
    ("%d half-open connections" % HALF_OPEN, "half_open", None, False),
]


def main():
    global nn, lib
    p = argparse.ArgumentParser()
    p.add_argument("--lib", required=True, help="the nnrs shared library")
    p.add_argument("--bindings", required=True, help="bindings/python/src")
    p.add_argument("families", nargs="*", help="run only these: " + " ".join(f[1] for f in FAMILIES))
    args = p.parse_args()
    os.environ["NNRS_LIBRARY"] = os.path.abspath(args.lib)
    sys.path.insert(0, os.path.abspath(args.bindings))
    import nanomsg_ctypes
    import nanomsg_ctypes._loaded
    nn = nanomsg_ctypes
    lib = nanomsg_ctypes._loaded.lib
    lib.nn_get_statistic.restype = ctypes.c_uint64
    lib.nn_get_statistic.argtypes = [ctypes.c_int, ctypes.c_int]

    def timed_out(*_):
        print("hostile: timed out; threads:", flush=True)
        for ident, frame in sys._current_frames().items():
            print("".join(traceback.format_stack(frame)[-3:]), flush=True)
        os._exit(2)
    signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(115)

    base = 20000 + (os.getpid() % 500) * 20
    ipc_dir = "/tmp/nnrs-hostile-%d" % os.getpid()
    os.makedirs(ipc_dir, exist_ok=True)
    servers = []
    for transport in ("tcp", "ipc"):
        for k, name in enumerate(NAMES):
            servers.append(Server(name, transport, base + k, ipc_dir))
    started = time.monotonic()
    rows, failed = [], []
    try:
        # Everyone is served before any attack.
        for srv in servers:
            served(srv)
        rss_start, fds_start = rss_kib(), connection_fds()
        print("RSS at the start: %d KiB; %d open descriptors" % (rss_start, fds_start), flush=True)
        for title, key, make, ipc_only in FAMILIES:
            if args.families and key not in args.families:
                continue
            tallies = {"tcp": Tally(), "ipc": Tally()}
            targets = [s for s in servers if s.ipc or not ipc_only]
            before, t0, fds_before = rss_kib(), time.monotonic(), socket_fds()
            if key == "slow":
                slow_family(targets, tallies)
            elif key == "half_open":
                half_open_family(targets, tallies)
            else:
                fast_family(make, targets, tallies)
            after = rss_kib()
            # The attackers' descriptors are closed; the library's must be
            # too, soon after.
            wait_for(lambda: all(socket_fds()[k] <= fds_before[k] for k in ("tcp", "ipc")), 2.0)
            fds_after = socket_fds()
            print("%-28s %5.1f s  RSS %7d KiB -> %7d KiB (%+d)" % (
                title, time.monotonic() - t0, before, after, after - before), flush=True)
            for transport in ("tcp", "ipc"):
                t = tallies[transport]
                if t.tries == 0:
                    continue
                left = max(0, fds_after[transport] - fds_before[transport])
                rows.append((title, transport, t.tries, t.survived, t.lost, left))
                if t.survived != t.tries or t.lost:
                    failed.append("%s over %s" % (title, transport))
                if left:
                    failed.append("%s over %s: %d descriptor(s) left open" % (title, transport, left))
                for f in t.failures[:10]:
                    print("  FAILED %s: %s" % (title, f), flush=True)
                if len(t.failures) > 10:
                    print("  ... and %d more" % (len(t.failures) - 10), flush=True)
        # And after them all.
        for srv in servers:
            try:
                served(srv)
            except Exception as e:
                failed.append("%s not served at the end: %s" % (srv.label(), e))
        rss_end = rss_kib()
        # Every attacker's connection is gone: no connection is left behind.
        # (Other descriptors, such as the eventfds a socket makes when first
        # needed, belong to the sockets still open.)
        wait_for(lambda: connection_fds() <= fds_start, 3.0)
        fds_end = connection_fds()
    finally:
        for srv in servers:
            srv.sock.close()
        for name in os.listdir(ipc_dir):
            os.unlink(os.path.join(ipc_dir, name))
        os.rmdir(ipc_dir)

    print()
    print("%-28s %-4s %7s %9s %14s %9s" % ("case", "over", "tries", "survived", "messages lost", "fds left"))
    for title, transport, tries, survived, lost, left in rows:
        print("%-28s %-4s %7d %9d %14d %9d" % (title, transport, tries, survived, lost, left))
    print()
    growth = rss_end - rss_start
    print("RSS: %d KiB at the start, %d KiB at the end (%+d KiB; limit +%d KiB); %.1f s in all"
          % (rss_start, rss_end, growth, RSS_LIMIT_KIB, time.monotonic() - started))
    print("open tcp and ipc descriptors: %d at the start, %d at the end" % (fds_start, fds_end))
    if fds_end > fds_start:
        failed.append("%d descriptors more than at the start" % (fds_end - fds_start))
    if growth > RSS_LIMIT_KIB:
        failed.append("RSS grew by %d KiB" % growth)
    if failed:
        print("hostile: FAILED: %s" % "; ".join(failed))
        return 1
    print("hostile: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
