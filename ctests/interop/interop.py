#!/usr/bin/env python3
"""Interoperability of nnrs with the reference libnanomsg (Debian's
libnanomsg5) on the wire.

1. The peer program runs twice at once, one process on nnrs and one on the
   reference library, for every protocol pair (PAIR, REQ/REP, PUB/SUB,
   PUSH/PULL, SURVEYOR/RESPONDENT, BUS), every transport (tcp, ipc, ws),
   both placements of the libraries and both choices of which side binds.
   Each protocol also runs once per transport with both sides on the
   reference library: if that fails, the test is at fault rather than nnrs.
2. Debian's nanocat, for every socket type, runs on nnrs against nanocat on
   the reference library, in both placements, each side binding, over tcp,
   ipc and ws; every nanocat that receives must print what the other sent.
3. With --device: the device program (nn_device between a raw REP and a raw
   REQ socket) runs on one library while a requester and a replier, both
   peer programs on the other library, talk through it, over each transport.

Over ws the reference library binds only `ws://host:port` (a path makes its
nn_bind fail with EINVAL), so an address has a path only when nnrs binds it,
and then only every other time (`/sp`), the connecting side asking for the
same path: both the bare address and one with a path are covered.

A process is put on the reference library through LD_LIBRARY_PATH pointing
at a directory holding only a libnanomsg.so.5 link to it; on nnrs through
LD_LIBRARY_PATH pointing at the build's lib directory.  Which library each
process really loads is checked with ldd before anything runs and again
from /proc/<pid>/maps (or the program's own report) while each one runs.

Cases run in parallel, each bounded in time.  Prints one PASS or FAIL line
per case, with the processes' output under a FAIL, and a summary.  Exits 0
when every case passed, 1 on any failure and 77 (SKIPPED) when the
reference library or nanocat is not installed.

Pointing --nnrs-libdir at a directory holding the reference library runs
everything reference against reference, which must pass: that checks the
test itself."""
import argparse
import concurrent.futures
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import testports  # noqa: E402  (ctests/testports.py)

SKIP = 77
PEER_TIMEOUT = 30         # seconds for the programs of one case to finish
STOP_TIMEOUT = 5          # seconds a process gets to end after SIGTERM
DEVICE_SECONDS = 60       # the device's own time limit, beyond PEER_TIMEOUT
NANOCAT_LINES = 3         # lines each receiving nanocat must print
NANOCAT_WAIT = 15         # seconds to wait for them
NANOCAT_RECV_TIMEOUT = 2  # --recv-timeout of the nanocats that only receive
NANOCAT_INTERVAL = "0.2"  # --interval of the nanocats that send
# Below Linux's default ephemeral range (32768-60999), so that no outgoing
# connection holds one of them; the pid spreads concurrent runs apart.
TRANSPORTS = ("tcp", "ipc", "ws")
WS_PATH = "/sp"           # the path of the ws addresses that have one

# Each protocol pair: its name and the peer program's two roles.
PROTOCOLS = [
    ("PAIR", "pair-first", "pair-second"),
    ("REQ/REP", "req", "rep"),
    ("PUSH/PULL", "push", "pull"),
    ("PUB/SUB", "pub", "sub"),
    ("SURVEYOR/RESPONDENT", "surveyor", "respondent"),
    ("BUS", "bus", "bus"),
]
# Roles that run until they are told to stop: they have nothing to wait for.
UNTIL_STOPPED = {"pub"}

log_lock = threading.Lock()


def log(msg=""):
    with log_lock:
        print(msg, flush=True)


def skip(reason):
    log("SKIPPED: " + reason)
    sys.exit(SKIP)


def fatal(reason):
    log("FAIL: " + reason)
    sys.exit(1)


def describe_rc(rc):
    if rc is None:
        return "still running"
    if rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit code %d" % rc


def indent(text, prefix="    | "):
    return "".join(prefix + line + "\n" for line in text.splitlines())


def read_file(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


class Library:
    """One libnanomsg.so.5 and the environment that makes a process load it."""

    def __init__(self, name, path, libdir):
        self.name = name
        self.other = None       # the other Library
        self.path = os.path.realpath(path)
        self.env = dict(os.environ, LD_LIBRARY_PATH=libdir)

    def same_file(self, path):
        try:
            return os.path.samefile(path, self.path)
        except OSError:
            return False

    def check(self, path):
        """None when `path` is this library's file, else what is wrong."""
        if path is None:
            return "could not see which libnanomsg it loaded"
        if self.same_file(path):
            return None
        which = self.other.name if self.other.same_file(path) else "an unexpected file"
        return "should run on %s (%s) but loaded %s, %s" % (self.name, self.path, path, which)


def ldd_libnanomsg(exe, env):
    """The file ldd says `exe` loads as libnanomsg.so.5 under env."""
    r = subprocess.run(["ldd", exe], env=env, capture_output=True, text=True, timeout=30)
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "libnanomsg.so.5" and parts[1] == "=>":
            return parts[2]
    return None


def mapped_libnanomsg(pid, deadline):
    """The libnanomsg file mapped by a running process, or None when the
    process ended (or the deadline passed) before one showed up."""
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/maps" % pid) as maps:
                for line in maps:
                    fields = line.split(None, 5)
                    if len(fields) == 6 and "libnanomsg" in os.path.basename(fields[5]):
                        return fields[5].strip()
        except OSError:
            return None
        time.sleep(0.01)
    return None


class Addresses:
    """Distinct tcp ports and ipc paths for cases running at the same time."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.lock = threading.Lock()
        self.tcp = testports.Ports()
        self.n = 0

    def new(self, transport, path=""):
        """An address; `path` only for ws, where it follows the port."""
        with self.lock:
            self.n += 1
            if transport == "tcp":
                return "tcp://127.0.0.1:%d" % self.tcp.new()
            if transport == "ws":
                return "ws://127.0.0.1:%d%s" % (self.tcp.new(), path)
            return "ipc://%s/s%d.ipc" % (self.tmp, self.n)

    def workdir(self):
        """A fresh directory for one case's output files."""
        with self.lock:
            self.n += 1
            return tempfile.mkdtemp(prefix="case%d-" % self.n, dir=self.tmp)


class Result:
    def __init__(self, label, problems, details=""):
        self.label = label
        self.problems = problems
        self.details = details

    def line(self):
        if not self.problems:
            return "PASS  " + self.label
        return "FAIL  %s: %s\n%s" % (self.label, "; ".join(self.problems), self.details)


def stop(proc):
    """SIGTERM, then SIGKILL if it does not end within STOP_TIMEOUT; True
    when SIGTERM was enough."""
    if proc.poll() is not None:
        return True
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


# ---- the peer program and the device --------------------------------------------

class Program:
    """One run of the peer or device program, its output in a file.  The
    program names itself `who` in its output: "<who>: library <path>" and,
    on success, "<who>: ok"."""

    def __init__(self, who, cmd, lib, until_stopped, out):
        self.who = who
        self.cmd = cmd
        self.lib = lib
        self.until_stopped = until_stopped
        self.out = out
        self.proc = None
        self.note = None

    def start(self):
        with open(self.out, "w") as f:
            self.proc = subprocess.Popen(self.cmd, env=self.lib.env, stdin=subprocess.DEVNULL,
                                         stdout=f, stderr=subprocess.STDOUT)

    def problems(self):
        text = read_file(self.out)
        found = []
        if self.note:
            found.append("%s %s" % (self.who, self.note))
        elif self.proc.returncode != 0:
            found.append("%s: %s" % (self.who, describe_rc(self.proc.returncode)))
        elif "%s: ok" % self.who not in text.splitlines():
            found.append("%s did not report ok" % self.who)
        prefix = "%s: library " % self.who
        loaded = [l[len(prefix):] for l in text.splitlines() if l.startswith(prefix)]
        wrong = self.lib.check(loaded[0] if loaded else None)
        if wrong:
            found.append("%s %s" % (self.who, wrong))
        return found

    def report(self):
        status = self.note or describe_rc(self.proc.returncode)
        return "  %s on %s: %s\n    $ %s\n%s" % (self.who, self.lib.name, status,
                                               " ".join(self.cmd), indent(read_file(self.out)))


def run_programs(label, programs):
    """Starts the programs, waits up to PEER_TIMEOUT for those that end by
    themselves, then stops those that run until stopped."""
    try:
        for p in programs:
            p.start()
        deadline = time.monotonic() + PEER_TIMEOUT
        for p in programs:
            if p.until_stopped:
                continue
            try:
                p.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.note = "still running after %d s, killed" % PEER_TIMEOUT
                p.proc.kill()
                p.proc.wait()
        for p in programs:
            if p.until_stopped:
                if p.proc.poll() is not None:
                    p.note = "ended before it was told to: %s" % describe_rc(p.proc.returncode)
                elif not stop(p.proc):
                    p.note = "ignored SIGTERM for %d s, killed" % STOP_TIMEOUT
    finally:
        for p in programs:
            if p.proc and p.proc.poll() is None:
                p.proc.kill()
                p.proc.wait()
    problems = [x for p in programs for x in p.problems()]
    details = "".join(p.report() for p in programs) if problems else ""
    return Result(label, problems, details)


def transport_label(transport, path):
    return "%-5s" % (transport + path)


def peer_case(ctx, protocol, role_a, role_b, transport, lib_a, lib_b, a_binds, path=""):
    url = ctx.addresses.new(transport, path)
    workdir = ctx.addresses.workdir()
    sides = ("bind", "connect") if a_binds else ("connect", "bind")
    label = "peer %-19s %s  %s on %s %ss, %s on %s %ss" % (
        protocol, transport_label(transport, path), role_a, lib_a.name, sides[0],
        role_b, lib_b.name, sides[1])
    # The output files are numbered: both ends of BUS have the same role.
    programs = [Program("peer " + role, [ctx.peer, role, url, side, str(ctx.count)], lib,
                        role in UNTIL_STOPPED, os.path.join(workdir, "%d-%s.out" % (n, role)))
                for n, (role, lib, side) in enumerate(((role_a, lib_a, sides[0]),
                                                       (role_b, lib_b, sides[1])))]
    return run_programs(label, programs)


def device_case(ctx, transport, device_lib, peer_lib, path=""):
    front = ctx.addresses.new(transport, path)
    back = ctx.addresses.new(transport, path)
    workdir = ctx.addresses.workdir()
    label = "device %s  nn_device on %s, REQ and REP peers on %s" % (
        transport_label(transport, path), device_lib.name, peer_lib.name)
    device = Program("device", [ctx.device, front, back, str(DEVICE_SECONDS)], device_lib,
                     True, os.path.join(workdir, "device.out"))
    requester = Program("peer req", [ctx.peer, "req", front, "connect", str(ctx.count)],
                        peer_lib, False, os.path.join(workdir, "req.out"))
    replier = Program("peer rep", [ctx.peer, "rep", back, "connect", str(ctx.count)],
                      peer_lib, False, os.path.join(workdir, "rep.out"))
    return run_programs(label, [device, requester, replier])


# ---- nanocat ----------------------------------------------------------------------

def line_reader(stream, lines):
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


class Nanocat:
    """One nanocat process.  `expect` is the line it must print for each
    message received (None: it only sends); `stops_itself` means it ends
    by its --recv-timeout once nothing more comes, rather than by SIGTERM."""

    def __init__(self, name, args, lib, expect, stops_itself, workdir, n):
        self.name = name
        self.args = args
        self.lib = lib
        self.expect = expect
        self.stops_itself = stops_itself
        self.err = os.path.join(workdir, "nanocat%d.err" % n)
        self.lines = queue.Queue()
        self.got = []
        self.proc = None
        self.reader = None

    def start(self, nanocat, side, url):
        self.cmd = [nanocat] + self.args + ["--" + side, url]
        with open(self.err, "w") as err:
            self.proc = subprocess.Popen(self.cmd, env=self.lib.env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=err, text=True,
                                         errors="replace")
        self.reader = threading.Thread(target=line_reader, args=(self.proc.stdout, self.lines),
                                       daemon=True)
        self.reader.start()

    def take_lines(self, until):
        """Moves printed lines into self.got until there are NANOCAT_LINES of
        them, the output ends or `until` passes."""
        while len(self.got) < NANOCAT_LINES:
            try:
                line = self.lines.get(timeout=max(0.01, until - time.monotonic()))
            except queue.Empty:
                return
            if line is None:
                self.lines.put(None)
                return
            self.got.append(line)

    def drain(self):
        self.reader.join(timeout=5)
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return
            if line is not None:
                self.got.append(line)

    def report(self):
        rc = self.proc.returncode if self.proc else None
        return "  nanocat %s on %s: %s\n    $ %s\n    stdout:\n%s    stderr:\n%s" % (
            self.name, self.lib.name, describe_rc(rc), " ".join(self.cmd),
            indent("\n".join(self.got[:10])), indent(read_file(self.err)))


def nanocat_specs(kind, data_a, data_b):
    """The two nanocats of one socket type pair, A first, each as (name,
    arguments, the line it must print, whether it stops by itself)."""
    interval = ["--interval", NANOCAT_INTERVAL]
    ascii_ = ["--ascii"]
    recv_only = ascii_ + ["--recv-timeout", str(NANOCAT_RECV_TIMEOUT)]
    if kind == "pair":
        a = ("pair(sending)", ["--pair", "--data", data_a] + interval, None, False)
        b = ("pair(receiving)", ["--pair"] + recv_only, data_a, True)
    elif kind == "push/pull":
        a = ("push", ["--push", "--data", data_a] + interval, None, False)
        b = ("pull", ["--pull"] + recv_only, data_a, True)
    elif kind == "pub/sub":
        a = ("pub", ["--pub", "--data", data_a] + interval, None, False)
        b = ("sub", ["--sub", "--subscribe", ""] + recv_only, data_a, True)
    elif kind == "req/rep":
        # nanocat --rep dies (exit 3) when its --recv-timeout runs out, so
        # neither end gets one: both are stopped by SIGTERM.
        a = ("req", ["--req", "--data", data_a] + interval + ascii_, data_b, False)
        b = ("rep", ["--rep", "--data", data_b] + ascii_, data_a, False)
    elif kind == "surveyor/respondent":
        a = ("surveyor", ["--surveyor", "--data", data_a] + interval + ascii_, data_b, False)
        b = ("respondent", ["--respondent", "--data", data_b] + ascii_, data_a, False)
    elif kind == "bus":
        a = ("bus", ["--bus", "--data", data_a] + interval + ascii_, data_b, False)
        b = ("bus", ["--bus", "--data", data_b] + interval + ascii_, data_a, False)
    else:
        raise ValueError(kind)
    return a, b


NANOCAT_KINDS = ["pair", "push/pull", "pub/sub", "req/rep", "surveyor/respondent", "bus"]


def nanocat_case(ctx, kind, transport, lib_a, lib_b, a_binds, serial, path=""):
    url = ctx.addresses.new(transport, path)
    workdir = ctx.addresses.workdir()
    tag = "%s-%d" % (transport, serial)
    spec_a, spec_b = nanocat_specs(kind, "A-%s-from-%s" % (tag, lib_a.name),
                                   "B-%s-from-%s" % (tag, lib_b.name))
    a, b = (Nanocat(name, args, lib, expect, stops_itself, workdir, n)
            for n, ((name, args, expect, stops_itself), lib)
            in enumerate(((spec_a, lib_a), (spec_b, lib_b))))
    binder, connector = (a, b) if a_binds else (b, a)
    label = "nanocat %-19s %s  %s on %s binds, %s on %s connects" % (
        kind, transport_label(transport, path), binder.name, binder.lib.name, connector.name, connector.lib.name)
    problems = []
    try:
        # The binding side first, so that a --recv-timeout does not run out
        # while the connecting side is still looking for a listener.
        binder.start(ctx.nanocat, "bind", url)
        time.sleep(0.2)
        connector.start(ctx.nanocat, "connect", url)

        deadline = time.monotonic() + 5
        for n in (a, b):
            wrong = n.lib.check(mapped_libnanomsg(n.proc.pid, deadline))
            if wrong:
                problems.append("nanocat %s %s" % (n.name, wrong))

        deadline = time.monotonic() + NANOCAT_WAIT
        for n in (a, b):
            if n.expect is not None:
                n.take_lines(deadline)
                if len(n.got) < NANOCAT_LINES:
                    problems.append("nanocat %s printed %d line(s) in %d s, want %d"
                                    % (n.name, len(n.got), NANOCAT_WAIT, NANOCAT_LINES))
        problems += stop_nanocats(a, b)
    finally:
        for n in (a, b):
            if n.proc:
                if n.proc.poll() is None:
                    n.proc.kill()
                    n.proc.wait()
                n.drain()
                n.proc.stdout.close()

    for n in (a, b):
        if n.expect is None and n.got:
            problems.append("nanocat %s printed %r but only sends" % (n.name, n.got[0]))
        wrong = [l for l in n.got if n.expect is not None and l != n.expect]
        if wrong:
            problems.append("nanocat %s printed %d line(s) other than %r, first %r"
                            % (n.name, len(wrong), n.expect, wrong[0]))
    if problems:
        return Result(label, problems, a.report() + b.report())
    counts = ", ".join("%s %d x %r" % (n.name, len(n.got), n.expect) for n in (a, b)
                       if n.expect is not None)
    return Result(label + ": " + counts, [])


def stop_nanocats(a, b):
    """Stops the nanocats that run until stopped, then waits for those that
    stop by themselves once nothing more comes; what went wrong."""
    problems = []
    for n in (a, b):
        if n.stops_itself:
            continue
        # It sends (or answers) until stopped, so it must still be running.
        if n.proc.poll() is not None:
            problems.append("nanocat %s ended early: %s" % (n.name, describe_rc(n.proc.returncode)))
        elif not stop(n.proc):
            problems.append("nanocat %s ignored SIGTERM" % n.name)
    for n in (a, b):
        if not n.stops_itself:
            continue
        limit = NANOCAT_RECV_TIMEOUT + 10
        try:
            n.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            problems.append("nanocat %s still running %d s after the other one stopped"
                            % (n.name, limit))
            continue
        if n.proc.returncode != 0:
            problems.append("nanocat %s: %s" % (n.name, describe_rc(n.proc.returncode)))
    return problems


# ---- the matrix -----------------------------------------------------------------------

class Context:
    def __init__(self, args, addresses):
        self.peer = args.peer
        self.device = args.device
        self.nanocat = args.nanocat
        self.count = args.count
        self.addresses = addresses
        self.ws_binds = 0
        # Off when "nnrs" is the reference library itself, which would
        # refuse the path.
        self.ws_paths = True

    def path(self, transport, binder):
        """The path of the next address `binder` (a Library) binds: none but
        over ws with nnrs binding, and then every other time."""
        if transport != "ws" or binder.name != "nnrs" or not self.ws_paths:
            return ""
        self.ws_binds += 1
        return WS_PATH if self.ws_binds % 2 else ""


def peer_cases(ctx, nnrs, real):
    """(label key, thunk) for every peer conversation: protocols x transports x
    placements x which side binds, then a reference-only run per protocol."""
    cases = []
    seen = set()
    for protocol, role_a, role_b in PROTOCOLS:
        for transport in TRANSPORTS:
            for lib_a in (nnrs, real):
                for a_binds in (True, False):
                    lib_b = lib_a.other
                    # BUS's two ends are alike: A on nnrs binding is B on
                    # the reference library connecting.
                    ends = (transport, frozenset([(role_a, lib_a.name, a_binds),
                                                  (role_b, lib_b.name, not a_binds)]))
                    if ends in seen:
                        continue
                    seen.add(ends)
                    path = ctx.path(transport, lib_a if a_binds else lib_b)
                    cases.append(lambda p=protocol, a=role_a, b=role_b, t=transport,
                                 la=lib_a, lb=lib_b, ab=a_binds, pa=path:
                                 peer_case(ctx, p, a, b, t, la, lb, ab, pa))
        for transport in TRANSPORTS:
            cases.append(lambda p=protocol, a=role_a, b=role_b, t=transport:
                         peer_case(ctx, p, a, b, t, real, real, True))
    return cases


def device_cases(ctx, nnrs, real):
    if not ctx.device:
        return []
    # nnrs's device binds both its ws addresses with a path.
    return [lambda t=transport, d=dev, p=peer,
            pa=WS_PATH if transport == "ws" and dev is nnrs and ctx.ws_paths else "":
            device_case(ctx, t, d, p, pa)
            for transport in TRANSPORTS
            for dev, peer in ((nnrs, real), (real, nnrs))]


def nanocat_cases(ctx, nnrs, real):
    cases = []
    serial = 0
    for kind in NANOCAT_KINDS:
        for transport in TRANSPORTS:
            for lib_a in (nnrs, real):
                for a_binds in (True, False):
                    serial += 1
                    path = ctx.path(transport, lib_a if a_binds else lib_a.other)
                    cases.append(lambda k=kind, t=transport, la=lib_a, ab=a_binds, s=serial,
                                 pa=path: nanocat_case(ctx, k, t, la, la.other, ab, s, pa))
    return cases


def run_all(cases, jobs):
    """Runs the cases on `jobs` threads and prints each result in the
    order of `cases`, as soon as it and those before it are done."""
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(case) for case in cases]
        for future in futures:
            try:
                result = future.result()
            except Exception as e:  # a bug in this script: report, go on
                result = Result("a case", ["raised %r" % e])
            log(result.line())
            results.append(result)
    return results


def check_programs(programs, nnrs, real):
    """Before anything: what each program loads under each environment."""
    for exe in programs:
        for lib in (nnrs, real):
            wrong = lib.check(ldd_libnanomsg(exe, lib.env))
            if wrong:
                fatal("ldd %s with %s's environment: %s" % (exe, lib.name, wrong))
    log("ldd: %s load nnrs and the reference library as intended"
        % ", ".join(os.path.basename(p) for p in programs))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--peer", required=True, help="the peer program")
    p.add_argument("--device", help="the device program (no device cases without it)")
    p.add_argument("--nnrs-libdir", required=True, help="directory with nnrs's libnanomsg.so.5")
    p.add_argument("--real-lib", default="/usr/lib/x86_64-linux-gnu/libnanomsg.so.5")
    p.add_argument("--nanocat", default="/usr/bin/nanocat")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--jobs", type=int, default=12, help="cases run at the same time")
    p.add_argument("--only", help="run only the cases whose kind (peer, device, nanocat) "
                   "is in this comma-separated list")
    args = p.parse_args()

    nnrs_so = os.path.join(args.nnrs_libdir, "libnanomsg.so.5")
    if not os.path.isfile(nnrs_so):
        fatal("nnrs library %s not built" % nnrs_so)
    for exe in (args.peer, args.device):
        if exe and not os.path.isfile(exe):
            fatal("program %s not built" % exe)
    if not os.path.isfile(args.real_lib):
        skip("reference libnanomsg %s is not installed (scripts/setup installs libnanomsg5)"
             % args.real_lib)
    if not (os.path.isfile(args.nanocat) and os.access(args.nanocat, os.X_OK)):
        skip("%s is not installed (scripts/setup installs nanomsg-utils)" % args.nanocat)
    if shutil.which("ldd") is None:
        skip("ldd is not available to check which library a program loads")

    with open(args.real_lib, "rb") as f:
        if b"/rustc/" in f.read():
            fatal("%s looks like a Rust build (nnrs installed over the reference?)" % args.real_lib)
    self_check = os.path.samefile(nnrs_so, args.real_lib)
    if self_check:
        log("note: %s is the reference library itself: every case runs reference "
            "against reference, which checks this test rather than nnrs; no ws "
            "address has a path, since the reference library cannot bind one" % nnrs_so)

    tmp = tempfile.mkdtemp(prefix="nnrs-interop-", dir="/tmp" if os.path.isdir("/tmp") else None)
    started = time.monotonic()
    try:
        real_dir = os.path.join(tmp, "real")
        os.mkdir(real_dir)
        os.symlink(os.path.realpath(args.real_lib), os.path.join(real_dir, "libnanomsg.so.5"))
        nnrs = Library("nnrs", nnrs_so, os.path.abspath(args.nnrs_libdir))
        real = Library("real", args.real_lib, real_dir)
        nnrs.other, real.other = real, nnrs
        log("nnrs: %s\nreal: %s" % (nnrs.path, real.path))
        check_programs([x for x in (args.peer, args.device, args.nanocat) if x], nnrs, real)
        if not args.device:
            log("note: no --device, so no device cases")

        ctx = Context(args, Addresses(tmp))
        ctx.ws_paths = not self_check
        kinds = set(args.only.split(",")) if args.only else {"peer", "device", "nanocat"}
        cases = []
        if "peer" in kinds:
            cases += peer_cases(ctx, nnrs, real)
        if "device" in kinds:
            cases += device_cases(ctx, nnrs, real)
        if "nanocat" in kinds:
            cases += nanocat_cases(ctx, nnrs, real)
        results = run_all(cases, args.jobs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    failed = [r for r in results if r.problems]
    log("\ninterop: %d case(s), %d passed, %d failed, %.0f s"
        % (len(results), len(results) - len(failed), len(failed), time.monotonic() - started))
    if failed:
        log("failed:\n" + "".join("  %s\n" % r.label for r in failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
