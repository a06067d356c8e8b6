#!/usr/bin/env python3
"""Debian's NanoMsg::Raw (libnanomsg-raw-perl), an XS module linked against
Debian's libnanomsg.so.5, runs on nnrs when LD_LIBRARY_PATH points at nnrs's
build: REQ/REP between two perl processes over tcp and ipc, PUB/SUB over
ipc and tcp. Each perl prints its /proc/self/maps to show which library ran."""
import argparse
import os
import shutil
import subprocess
import sys

import support

COUNT = 5


def check_tap(who, output):
    """The script's TAP: every test ok, and a plan."""
    failed = [line for line in output.splitlines() if line.startswith("not ok")]
    if failed or "\n1.." not in "\n" + output:
        support.fail("%s:\n%s" % (who, output))


def perl_run(cmd, env, who, libdir):
    output, maps = support.split_maps(support.run(cmd, env=env, timeout=60).stdout)
    check_tap(who, output)
    support.expect_loaded(who, maps, libdir)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--libdir", required=True)
    p.add_argument("--scripts", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    if not shutil.which("perl"):
        support.skip("perl is not installed")
    if subprocess.run(["perl", "-MNanoMsg::Raw", "-e1"], capture_output=True).returncode != 0:
        support.skip("NanoMsg::Raw is not installed (Debian package libnanomsg-raw-perl)")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    env = dict(os.environ, LD_LIBRARY_PATH=args.libdir)
    reqrep = os.path.join(args.scripts, "reqrep.pl")

    for url in ("tcp://127.0.0.1:%d" % support.free_tcp_port(),
                "ipc://" + os.path.join(args.work, "reqrep.ipc")):
        rep = subprocess.Popen(["perl", reqrep, "rep", url, str(COUNT)], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
        try:
            perl_run(["perl", reqrep, "req", url, str(COUNT)], env, "perl REQ " + url, args.libdir)
            output, maps = support.split_maps(rep.communicate(timeout=30)[0])
        finally:
            rep.kill()
        check_tap("perl REP " + url, output)
        support.expect_loaded("perl REP " + url, maps, args.libdir)

    perl_run(["perl", os.path.join(args.scripts, "pubsub.pl"),
              "ipc://" + os.path.join(args.work, "pubsub.ipc"),
              "tcp://127.0.0.1:%d" % support.free_tcp_port()], env, "perl PUB/SUB", args.libdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
