#!/usr/bin/env python3
"""Interoperability of nnrs with the reference libnanomsg (Debian's
libnanomsg5) on the wire.

1. The peer program runs twice at once, one process on nnrs and one on the
   reference library, for every combination of transport (tcp, ipc), which
   side binds and which side speaks first.
2. Debian's nanocat runs on nnrs against nanocat on the reference library:
   each direction, each side binding, over tcp and ipc.

A process is put on the reference library through LD_LIBRARY_PATH pointing
at a directory holding only a libnanomsg.so.5 link to it; on nnrs through
LD_LIBRARY_PATH pointing at the build's lib directory.  Which library each
process really loads is checked with ldd before anything runs and again
from /proc/<pid>/maps while each process runs.

Exits 0 when every run passed, 1 on any failure and 77 (SKIPPED) when the
reference library or nanocat is not installed."""
import argparse
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
PEER_TIMEOUT = 60        # seconds for one peer pair to finish
NANOCAT_LINES = 3        # lines the receiving nanocat must print
NANOCAT_WAIT = 15        # seconds to wait for them
NANOCAT_RECV_TIMEOUT = 2 # --recv-timeout of the receiving nanocat

failures = []


def log(msg=""):
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


def check_loaded(what, path, lib, other):
    """Records a failure unless `path` is lib's file."""
    if path is None:
        failures.append("%s: no libnanomsg found loaded" % what)
        log("FAIL: %s: could not see which libnanomsg it loaded" % what)
        return False
    if lib.same_file(path):
        return True
    which = other.name if other.same_file(path) else "an unexpected file"
    failures.append("%s loaded %s (%s)" % (what, path, which))
    log("FAIL: %s should run on %s (%s) but loaded %s, %s" % (what, lib.name, lib.path, path, which))
    return False


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Urls:
    def __init__(self, tmp):
        self.tmp = tmp
        self.n = 0

    def new(self, transport):
        self.n += 1
        if transport == "tcp":
            return "tcp://127.0.0.1:%d" % free_tcp_port()
        return "ipc://%s/s%d.ipc" % (self.tmp, self.n)


def kill(proc):
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def read_file(path):
    with open(path, errors="replace") as f:
        return f.read()


def indent(text):
    return "".join("    | " + line + "\n" for line in text.splitlines())


# ---- the peer program -------------------------------------------------------

def run_peers(peer, urls, tmp, transport, binder, connector, binder_first, count):
    """One conversation between a peer bound on `binder`'s library and a
    peer connected on `connector`'s."""
    url = urls.new(transport)
    label = "peer %s: %s binds, %s connects, %s first" % (
        transport, binder.name, connector.name, "binder" if binder_first else "connector")
    procs = []
    stuck = []
    timed_out = False
    try:
        for lib, side in ((binder, "bind"), (connector, "connect")):
            role = "first" if (side == "bind") == binder_first else "second"
            out = os.path.join(tmp, "peer-%s.out" % side)
            with open(out, "w") as f:
                proc = subprocess.Popen([peer, side, url, role, str(count)], env=lib.env,
                                        stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
            procs.append((lib, side, role, out, proc))
        deadline = time.monotonic() + PEER_TIMEOUT
        for _, _, _, _, proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        stuck = [entry[4] for entry in procs if entry[4].poll() is None]
        for entry in procs:
            kill(entry[4])

    ok = not timed_out
    report = []
    for lib, side, role, out, proc in procs:
        text = read_file(out)
        if proc in stuck:
            status = "still running after %d s, killed" % PEER_TIMEOUT
        else:
            status = describe_rc(proc.returncode)
        head = "%s peer (%s, %s): %s" % (lib.name, side, role, status)
        report.append(head + "\n" + indent(text))
        if proc.returncode != 0 or "peer %s: ok" % role not in text:
            ok = False
        prefix = "peer %s: library " % role
        loaded = [l[len(prefix):] for l in text.splitlines() if l.startswith(prefix)]
        if not check_loaded("%s, %s peer" % (label, lib.name), loaded[0] if loaded else None,
                            lib, lib.other):
            ok = False
    if ok:
        log("ok    " + label)
    else:
        failures.append(label + (" (timed out)" if timed_out else ""))
        log("FAIL  %s%s, url %s\n%s" % (label, " (timed out)" if timed_out else "", url,
                                         "".join(report)))


# ---- nanocat ------------------------------------------------------------------

def line_reader(stream, lines):
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_nanocats(nanocat, urls, tmp, transport, sender, receiver, sender_binds, serial):
    url = urls.new(transport)
    data = "hello-%s-%d-from-%s" % (transport, serial, sender.name)
    label = "nanocat %s: %s sends (%s), %s receives (%s)" % (
        transport, sender.name, "binds" if sender_binds else "connects",
        receiver.name, "connects" if sender_binds else "binds")
    send_cmd = [nanocat, "--pair", "--bind" if sender_binds else "--connect", url,
                "--data", data, "--interval", "0.2"]
    recv_cmd = [nanocat, "--pair", "--connect" if sender_binds else "--bind", url,
                "--ascii", "--recv-timeout", str(NANOCAT_RECV_TIMEOUT)]
    send_out = os.path.join(tmp, "nanocat-send.out")
    recv_err = os.path.join(tmp, "nanocat-recv.err")
    problems = []
    got = []
    sproc = rproc = None
    try:
        with open(send_out, "w") as sf, open(recv_err, "w") as rf:
            def start_sender():
                return subprocess.Popen(send_cmd, env=sender.env, stdin=subprocess.DEVNULL,
                                        stdout=sf, stderr=subprocess.STDOUT)

            def start_receiver():
                return subprocess.Popen(recv_cmd, env=receiver.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=rf, text=True,
                                        errors="replace")
            # The binding side first, so the receiver's timeout does not run
            # out while the connecting side waits for a listener.
            if sender_binds:
                sproc = start_sender()
                time.sleep(0.2)
                rproc = start_receiver()
            else:
                rproc = start_receiver()
                time.sleep(0.2)
                sproc = start_sender()
        lines = queue.Queue()
        reader = threading.Thread(target=line_reader, args=(rproc.stdout, lines), daemon=True)
        reader.start()

        deadline = time.monotonic() + 5
        for proc, lib, role in ((sproc, sender, "sending"), (rproc, receiver, "receiving")):
            loaded = mapped_libnanomsg(proc.pid, deadline)
            if not check_loaded("%s, %s nanocat" % (label, role), loaded, lib, lib.other):
                problems.append("%s nanocat not on %s" % (role, lib.name))

        deadline = time.monotonic() + NANOCAT_WAIT
        eof = False
        while len(got) < NANOCAT_LINES and not eof:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                problems.append("received %d line(s) in %d s, want %d"
                                % (len(got), NANOCAT_WAIT, NANOCAT_LINES))
                break
            if line is None:
                eof = True
            else:
                got.append(line.rstrip("\n"))
        if eof and len(got) < NANOCAT_LINES:
            problems.append("receiver ended after %d line(s), want %d" % (len(got), NANOCAT_LINES))

        # The sender must still be running: it sends until it is stopped.
        if sproc.poll() is not None:
            problems.append("sender ended early: %s" % describe_rc(sproc.returncode))
        else:
            sproc.terminate()
            try:
                sproc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                problems.append("sender ignored SIGTERM")
        # With the sender gone the receiver stops after its receive timeout.
        try:
            rproc.wait(timeout=NANOCAT_RECV_TIMEOUT + 10)
        except subprocess.TimeoutExpired:
            problems.append("receiver still running %d s after the sender stopped"
                            % (NANOCAT_RECV_TIMEOUT + 10))
        reader.join(timeout=5)
        while True:
            try:
                line = lines.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                got.append(line.rstrip("\n"))
        if rproc.returncode is not None and rproc.returncode != 0:
            problems.append("receiver: %s" % describe_rc(rproc.returncode))
    finally:
        for proc in (sproc, rproc):
            if proc:
                kill(proc)
                if proc.stdout:
                    proc.stdout.close()

    wrong = [l for l in got if l != data]
    if wrong:
        problems.append("receiver printed %d line(s) other than %r, first %r"
                        % (len(wrong), data, wrong[0]))
    if problems:
        failures.append(label)
        log("FAIL  %s, url %s\n    %s\n"
            "  sender   %s\n%s"
            "  receiver %s\n    stdout:\n%s    stderr:\n%s" % (
                label, url, "\n    ".join(problems),
                " ".join(send_cmd), indent(read_file(send_out)),
                " ".join(recv_cmd), indent("\n".join(got)), indent(read_file(recv_err))))
    else:
        log("ok    %s: %d x %r" % (label, len(got), data))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--peer", required=True, help="the peer program")
    p.add_argument("--nnrs-libdir", required=True, help="directory with nnrs's libnanomsg.so.5")
    p.add_argument("--real-lib", default="/usr/lib/x86_64-linux-gnu/libnanomsg.so.5")
    p.add_argument("--nanocat", default="/usr/bin/nanocat")
    p.add_argument("--count", type=int, default=20)
    args = p.parse_args()

    nnrs_so = os.path.join(args.nnrs_libdir, "libnanomsg.so.5")
    if not os.path.isfile(nnrs_so):
        fatal("nnrs library %s not built" % nnrs_so)
    if not os.path.isfile(args.peer):
        fatal("peer program %s not built" % args.peer)
    if not os.path.isfile(args.real_lib):
        skip("reference libnanomsg %s is not installed (scripts/setup installs libnanomsg5)"
             % args.real_lib)
    if not (os.path.isfile(args.nanocat) and os.access(args.nanocat, os.X_OK)):
        skip("%s is not installed (scripts/setup installs nanomsg-utils)" % args.nanocat)
    if shutil.which("ldd") is None:
        skip("ldd is not available to check which library a program loads")

    # The reference library must be another file than nnrs, and not a Rust build.
    if os.path.samefile(nnrs_so, args.real_lib):
        fatal("%s and %s are the same file" % (nnrs_so, args.real_lib))
    with open(args.real_lib, "rb") as f:
        if b"/rustc/" in f.read():
            fatal("%s looks like a Rust build (nnrs installed over the reference?)" % args.real_lib)

    tmp = tempfile.mkdtemp(prefix="nnrs-interop-", dir="/tmp" if os.path.isdir("/tmp") else None)
    try:
        real_dir = os.path.join(tmp, "real")
        os.mkdir(real_dir)
        os.symlink(os.path.realpath(args.real_lib), os.path.join(real_dir, "libnanomsg.so.5"))
        nnrs = Library("nnrs", nnrs_so, os.path.abspath(args.nnrs_libdir))
        real = Library("real", args.real_lib, real_dir)
        nnrs.other, real.other = real, nnrs
        log("nnrs: %s\nreal: %s" % (nnrs.path, real.path))

        # Before anything: what each program loads under each environment.
        for exe in (args.peer, args.nanocat):
            for lib in (nnrs, real):
                loaded = ldd_libnanomsg(exe, lib.env)
                if not check_loaded("ldd %s with %s's environment" % (exe, lib.name),
                                    loaded, lib, lib.other):
                    fatal("cannot put %s on %s" % (exe, lib.name))
        log("ldd: the peer and nanocat load nnrs and the reference library as intended")

        urls = Urls(tmp)
        for transport in ("tcp", "ipc"):
            for binder in (nnrs, real):
                for binder_first in (True, False):
                    run_peers(args.peer, urls, tmp, transport, binder, binder.other,
                              binder_first, args.count)
        # The peer program against itself on the reference library: if this
        # fails, the test is at fault rather than nnrs.
        for transport in ("tcp", "ipc"):
            run_peers(args.peer, urls, tmp, transport, real, real, True, args.count)

        serial = 0
        for transport in ("tcp", "ipc"):
            for sender, receiver in ((nnrs, real), (real, nnrs)):
                for sender_binds in (True, False):
                    serial += 1
                    run_nanocats(args.nanocat, urls, tmp, transport, sender, receiver,
                                 sender_binds, serial)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if failures:
        log("\ninterop: %d failure(s):\n  %s" % (len(failures), "\n  ".join(failures)))
        return 1
    log("\ninterop: all runs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
