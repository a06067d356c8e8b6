#!/usr/bin/env python3
"""examples/go, a cgo program, builds with Debian's Go against an nnrs install
prefix through `#cgo pkg-config: nanomsg`, and talks to a Python peer (the
ctypes bindings, on nnrs): Go REP answers Python REQ over tcp, Go PUSH feeds
Python PULL over ipc."""
import argparse
import os
import shutil
import subprocess
import sys

import support

COUNT = 5


def build(source, prefix, work):
    """`go build` with everything Go writes kept under work: no HOME, no network."""
    go = shutil.which("go") or "/usr/lib/go/bin/go"
    if not os.path.exists(go):
        support.skip("go is not installed (Debian package golang-go)")
    if not shutil.which("pkg-config"):
        support.skip("pkg-config is not installed")
    lib = os.path.join(prefix, "lib")
    env = dict(os.environ, GOCACHE=os.path.join(work, "gocache"),
               GOPATH=os.path.join(work, "gopath"), GOENV="off", GOPROXY="off",
               GOTOOLCHAIN="local", GOFLAGS="", PKG_CONFIG_PATH=os.path.join(lib, "pkgconfig"),
               CGO_ENABLED="1", CGO_LDFLAGS="-Wl,-rpath," + lib)
    exe = os.path.join(work, "nanomsg-go")
    support.run([go, "build", "-o", exe, "."], env=env, cwd=os.path.join(source, "examples", "go"))
    ldd = support.run(["ldd", exe]).stdout
    if "libnanomsg.so.5 => %s/libnanomsg.so.5" % lib not in ldd:
        support.fail("the Go program does not load the prefix's libnanomsg.so.5:\n" + ldd)
    return exe


def start(exe, *args):
    return subprocess.Popen([exe] + [str(a) for a in args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc, who):
    try:
        output = proc.communicate(timeout=30)[0]
    finally:
        proc.kill()
    if proc.returncode != 0 or not output.endswith("done\n"):
        support.fail("%s exited %s:\n%s" % (who, proc.returncode, output))


def go_rep_python_req(nn, exe, prefix):
    url = "tcp://127.0.0.1:%d" % support.free_tcp_port()
    rep = start(exe, "rep", url, COUNT)
    with nn.Socket(nn.NN_REQ) as req:
        req.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVTIMEO, 10000)
        req.connect(url)
        for i in range(COUNT):
            req.send(b"ping %d" % i)
            reply = req.recv()
            if reply != b"ping %d pong" % i:
                support.fail("Go REP answered %r" % reply)
            if i == 0:
                with open("/proc/%d/maps" % rep.pid) as maps:
                    support.expect_loaded("Go REP", maps.read(), os.path.join(prefix, "lib"))
    finish(rep, "Go REP")
    print("Go REP answered %d requests from Python REQ over %s" % (COUNT, url))


def go_push_python_pull(nn, exe, work):
    url = "ipc://" + os.path.join(work, "pipeline.ipc")
    with nn.Socket(nn.NN_PULL) as pull:
        pull.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVTIMEO, 10000)
        pull.bind(url)
        push = start(exe, "push", url, COUNT)
        got = [pull.recv() for _ in range(COUNT)]
        finish(push, "Go PUSH")
    if got != [b"job %d" % i for i in range(1, COUNT + 1)]:
        support.fail("Python PULL got %r" % got)
    print("Python PULL took %d jobs from Go PUSH over %s" % (COUNT, url))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    prefix = support.install_prefix(args.build, os.path.join(args.work, "prefix"))
    exe = build(args.source, prefix, args.work)

    # The Python peer runs on the same nnrs, from the build tree.
    os.environ["NNRS_LIBRARY"] = os.path.join(args.build, "lib", "libnanomsg.so.5")
    sys.path.insert(0, os.path.join(args.source, "bindings", "python", "src"))
    sys.dont_write_bytecode = True  # nothing written into the source tree
    import nanomsg_ctypes as nn

    go_rep_python_req(nn, exe, prefix)
    go_push_python_pull(nn, exe, args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
