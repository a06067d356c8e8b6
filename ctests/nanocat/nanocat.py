#!/usr/bin/env python3
"""nnrs's nanocat against Debian's nanocat on the reference libnanomsg.

1. Talk: for every socket type pair (PUSH/PULL, PUB/SUB, REQ/REP,
   SURVEYOR/RESPONDENT, BUS/BUS, PAIR/PAIR), over tcp and ipc, ours on
   either side and either side binding, every nanocat that receives must
   print exactly the lines the other one sent.
2. Formats: a PUSH socket of the reference library sends the same messages
   (bytes 0..255, text, an empty one, 512 and 70000 bytes), in order over
   one connection, to our PULL and to Debian's; for --raw, --ascii,
   --quoted, --msgpack, --hex and no format the two must print the same
   bytes. (One connection, as messages from several peers have no order
   between them; and Debian's nanocat cannot send an empty file.)
3. Usage: for bad arguments and bad addresses both must exit with the same
   status; where the message does not come from nn_strerror, print the same
   message too.

Debian's nanocat runs with LD_LIBRARY_PATH at a directory holding only a
libnanomsg.so.5 link to the reference library; ours links the library in.
Every process is bounded in time. Prints PASS/FAIL per case and exits 0
when all pass, 1 otherwise, 77 (SKIPPED) when Debian's nanocat or the
reference library is missing."""
import argparse
import concurrent.futures
import ctypes
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testports import Ports  # noqa: E402  (ctests/testports.py)

SKIP = 77
AF_SP, NN_PUSH, NN_SOL_SOCKET, NN_SNDTIMEO = 1, 80, 0, 4
LINES = 3            # lines each receiving side must print
WAIT = 8             # seconds to wait for them
INTERVAL = "0.2"     # --interval of the sending sides
RECV_TIMEOUT = "1"   # whole seconds: Debian's nanocat drops fractions
PORTS = Ports()


class Tools:
    def __init__(self, ours, debian, real_env, tmp, real_lib):
        self.ours, self.debian, self.real_env, self.tmp = ours, debian, real_env, tmp
        self.real = ctypes.CDLL(real_lib)
        self.real.nn_send.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]

    def push_with_reference(self, addr, bodies):
        """Sends `bodies` in order from a PUSH socket of the reference
        library connected to `addr`; False if a call failed."""
        lib = self.real
        s = lib.nn_socket(AF_SP, NN_PUSH)
        if s < 0:
            return False
        try:
            timeout = ctypes.c_int(3000)
            lib.nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, ctypes.byref(timeout), ctypes.sizeof(timeout))
            if lib.nn_connect(s, addr.encode()) < 0:
                return False
            if any(lib.nn_send(s, body, len(body), 0) != len(body) for body in bodies):
                return False
            # The library drops what is still queued when its socket closes.
            time.sleep(0.5)
            return True
        finally:
            lib.nn_close(s)

    def cmd(self, who, args):
        return ([self.ours] if who == "ours" else [self.debian]) + args

    def env(self, who):
        return None if who == "ours" else self.real_env


def start(tools, who, args, stderr=subprocess.DEVNULL):
    # Each in its own process group, so that stopping it also stops
    # whatever it started and nothing is left holding its pipes.
    return subprocess.Popen(tools.cmd(who, args), env=tools.env(who), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=stderr, start_new_session=True)


def stop(procs):
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for p in procs:
        p.wait()


def run_bounded(tools, who, args, timeout):
    """(status, stdout, stderr) of a run killed after `timeout` seconds."""
    p = start(tools, who, args, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        return "killed after %ss" % timeout, b"", b""
    finally:
        stop([p])


def read_lines(proc, count, deadline):
    """Up to `count` lines of proc's stdout, until `deadline`."""
    lines, box = [], {}

    def reader():
        for line in proc.stdout:
            lines.append(line)
            if len(lines) >= count:
                break
        box["done"] = True
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(max(0, deadline - time.monotonic()))
    return list(lines[:count])


# Each pair: (first side's args, what it prints, second side's args, what
# it prints); None where a side only sends. DATA stands for the other's
# message. Both sides send repeatedly where they send.
PAIRS = {
    "push/pull": (["--push", "-D", "pushed", "-i", INTERVAL], None,
                  ["--pull", "-A"], b"pushed\n"),
    "pub/sub": (["--pub", "-D", "news: up", "-i", INTERVAL], None,
                ["--sub", "--subscribe", "news", "-A"], b"news: up\n"),
    "req/rep": (["--req", "-D", "ping", "-i", INTERVAL, "-A"], b"pong\n",
                ["--rep", "-D", "pong", "-A"], b"ping\n"),
    "surveyor/respondent": (["--surveyor", "-D", "who?", "-i", INTERVAL, "-A"], b"me\n",
                            ["--respondent", "-D", "me", "-A"], b"who?\n"),
    "bus/bus": (["--bus", "-D", "from first", "-i", INTERVAL, "-A"], b"from second\n",
                ["--bus", "-D", "from second", "-i", INTERVAL, "-A"], b"from first\n"),
    "pair/pair": (["--pair", "-D", "from first", "-i", INTERVAL, "-A"], b"from second\n",
                  ["--pair", "-D", "from second", "-i", INTERVAL, "-A"], b"from first\n"),
}


def talk_case_on_a_free_port(tools, pair, transport, ours_first, first_binds):
    """talk_case, tried again on a new port when the binding side found
    its port taken between the allocator's probe and its bind (another
    process took it meanwhile; seen about once in 25 runs). A failure of
    any other kind counts at once."""
    for _ in range(3):
        name, problems = talk_case(tools, pair, transport, ours_first, first_binds)
        if not any("Address already in use" in p for p in problems):
            break
    return name, problems


def talk_case(tools, pair, transport, ours_first, first_binds):
    first, first_wants, second, second_wants = PAIRS[pair]
    if transport == "tcp":
        addr = "tcp://127.0.0.1:%d" % PORTS.new()
    else:
        addr = "ipc://" + tempfile.mktemp(prefix="nc", suffix=".ipc", dir=tools.tmp)
    who = ("ours", "debian") if ours_first else ("debian", "ours")
    binder = "--bind" if first_binds else "--connect"
    other = "--connect" if first_binds else "--bind"
    name = "talk %s %s: %s %s first, %s second" % (pair, transport, who[0], binder[2:], who[1])
    procs = []
    try:
        # The binding side starts first so the connecting one finds it soon.
        a_args, b_args = first + [binder, addr], second + [other, addr]
        order = [(0, a_args), (1, b_args)] if first_binds else [(1, b_args), (0, a_args)]
        started = {}
        for side, args in order:
            started[side] = start(tools, who[side], args, stderr=subprocess.PIPE)
            procs.append(started[side])
            time.sleep(0.1)
        deadline = time.monotonic() + WAIT
        problems = []
        for side, wants in ((0, first_wants), (1, second_wants)):
            if wants is None:
                continue
            got = read_lines(started[side], LINES, deadline)
            if got != [wants] * LINES:
                problems.append("%s (%s side) printed %r, expected %d x %r" % (
                    who[side], "first" if side == 0 else "second", got, LINES, wants))
        if problems:
            # Whatever the sides said, and whether one had exited.
            exited = {side: started[side].poll() for side in started}
            stop(procs)
            for side in sorted(started):
                problems.append("%s (%s side): %s, stderr %r" % (
                    who[side], "first" if side == 0 else "second",
                    "exited with %s" % exited[side] if exited[side] is not None else "still running",
                    started[side].stderr.read()[-300:]))
        return name, problems
    finally:
        stop(procs)


FORMAT_MESSAGES = [bytes(range(256)), b"hello \"world\"\\\n\r\t", b"", bytes(range(256)) * 2, b"x" * 70000]


def receive_all(tools, who, fmt, bodies):
    """What `who`'s PULL prints in format `fmt` for `bodies`."""
    port = PORTS.new()
    pull = start(tools, who, ["--pull", "-L", str(port), "--recv-timeout", RECV_TIMEOUT] + fmt, stderr=subprocess.PIPE)
    try:
        time.sleep(0.2)
        if not tools.push_with_reference("tcp://127.0.0.1:%d" % port, bodies):
            return b"", b"", "the reference PUSH failed"
        out, err = pull.communicate(timeout=10)
        return out, err, pull.returncode
    except subprocess.TimeoutExpired:
        return b"", b"", "killed after 10s"
    finally:
        stop([pull])


def format_case(tools, fmt):
    name = "format %s" % (" ".join(fmt) or "(none)")
    ours = receive_all(tools, "ours", fmt, FORMAT_MESSAGES)
    theirs = receive_all(tools, "debian", fmt, FORMAT_MESSAGES)
    problems = []
    if theirs[2] != 0 or (fmt and not theirs[0]):
        problems.append("Debian's nanocat printed nothing or failed: rc %s %r" % (theirs[2], theirs[1]))
    if ours != theirs:
        at = next((i for i, (a, b) in enumerate(zip(ours[0], theirs[0])) if a != b), min(len(ours[0]), len(theirs[0])))
        problems.append("ours rc %s, %d bytes, stderr %r; Debian's rc %s, %d bytes, stderr %r; first difference at byte %d: %r vs %r" % (
            ours[2], len(ours[0]), ours[1][:200], theirs[2], len(theirs[0]), theirs[1][:200],
            at, ours[0][max(0, at - 40):at + 40], theirs[0][max(0, at - 40):at + 40]))
    return name, problems


# (arguments, whether the messages must match too); addresses' messages
# come from nn_strerror, whose texts are the library's own.
USAGE = [
    ([], True), (["--foo"], True), (["-Z"], True), (["--pu"], True), (["--push", "--pull"], True),
    (["--push", "--push", "-D", "x"], True), (["--push", "-L", "1"], True), (["--pull"], True),
    (["--bind", "tcp://127.0.0.1:1"], True), (["--push", "--bind"], True), (["-X"], True),
    (["--pull", "-L", "1", "--recv-timeout", "abc"], True), (["--pull", "-ix"], True),
    (["--pull", "--format", "foo"], True), (["--pull", "foo", "-L", "1"], True),
    (["--data", "a", "-F", "b"], True), (["--pub", "-L", "1", "-D", "x", "-Dy"], True),
    (["--pull", "-L", "1", "-F", "/nonexistent/file"], True), (["--pull", "-i", "1", "-L", "1"], True),
    (["--sub", "-L", "1", "--send-timeout", "1"], True), (["--push", "-L", "1", "-D", "x", "-A"], True),
    (["--pull", "--subscribe", "a", "-L", "1"], True), (["--req", "-L", "1"], True),
    (["--pull", "--bind", "foo"], False), (["--pull", "--bind", "xyz://a"], False),
    (["--pull", "--connect", "foo"], False), (["--pull", "-Lx"], False),
    (["--pull", "--bind", "tcp://no-such-interface:5555"], False),
    (["--pull", "--bind", "tcp://127.0.0.1:" + "1" * 200], False),
]


def usage_case(tools, args, same_message):
    name = "usage %s" % (" ".join(args) or "(no arguments)")
    results = []
    for who in ("ours", "debian"):
        status, _, err = run_bounded(tools, who, args, 5)
        prog = tools.cmd(who, [])[0].encode()
        results.append((status, err.replace(prog, b"nanocat")))
    (ours_rc, ours_err), (their_rc, their_err) = results
    problems = []
    if ours_rc != their_rc:
        problems.append("exit status %s, Debian's %s" % (ours_rc, their_rc))
    if same_message and ours_err != their_err:
        problems.append("stderr %r, Debian's %r" % (ours_err, their_err))
    if not same_message and ours_err.split(b":")[0] != their_err.split(b":")[0]:
        problems.append("stderr %r, Debian's %r" % (ours_err, their_err))
    return name, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ours", required=True, help="nnrs's nanocat binary")
    ap.add_argument("--nanocat", default="/usr/bin/nanocat", help="Debian's nanocat")
    ap.add_argument("--real-lib", default="/usr/lib/x86_64-linux-gnu/libnanomsg.so.5")
    ap.add_argument("--jobs", type=int, default=12)
    opts = ap.parse_args()
    for path, what in ((opts.nanocat, "Debian's nanocat"), (opts.real_lib, "the reference libnanomsg"),
                       (opts.ours, "nnrs's nanocat")):
        if not os.path.exists(path):
            if path == opts.ours:
                print("FAIL: %s not found at %s" % (what, path))
                return 1
            print("SKIPPED: %s is not installed (%s)" % (what, path))
            return SKIP
    with tempfile.TemporaryDirectory(prefix="nnrs-nanocat-") as tmp:
        libdir = os.path.join(tmp, "reallib")
        os.mkdir(libdir)
        os.symlink(os.path.realpath(opts.real_lib), os.path.join(libdir, "libnanomsg.so.5"))
        env = dict(os.environ, LD_LIBRARY_PATH=libdir)
        tools = Tools(os.path.abspath(opts.ours), opts.nanocat, env, tmp, opts.real_lib)
        jobs = []
        with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
            for pair, transport, ours_first, first_binds in itertools.product(
                    PAIRS, ("tcp", "ipc"), (True, False), (True, False)):
                jobs.append(pool.submit(talk_case_on_a_free_port, tools, pair, transport, ours_first, first_binds))
            for fmt in ([], ["--raw"], ["--ascii"], ["--quoted"], ["--msgpack"], ["--hex"],
                        ["-A"], ["-Q"], ["--format", "hex"], ["--hex", "-Q"]):
                jobs.append(pool.submit(format_case, tools, fmt))
            for args, same in USAGE:
                jobs.append(pool.submit(usage_case, tools, args, same))
            failed = 0
            for job in jobs:
                try:
                    name, problems = job.result(timeout=40)
                except Exception as e:  # a hung or crashed case is a failure
                    name, problems = "case", ["%s: %s" % (type(e).__name__, e)]
                print(("FAIL " if problems else "PASS ") + name, flush=True)
                for p in problems:
                    print("    " + p)
                failed += bool(problems)
    print("%d of %d cases failed" % (failed, len(jobs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
