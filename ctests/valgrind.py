#!/usr/bin/env python3
"""Runs the C test programs (build/ctests/test_*) under valgrind's memcheck
and reports, for each, the memory errors and the leaks left at exit.
Only real errors (invalid reads and writes, uses of uninitialised values,
bad frees...) and "definitely lost" blocks count: Rust's standard library
and the library's I/O thread leave blocks that are still reachable at
exit, which are not leaks.

    valgrind.py --build build                 # every C test program
    valgrind.py --build build pair term       # these ones
    valgrind.py --build build --subset        # the short list ctest runs

The command line of each program (its arguments) comes from ctest. A
program killed by a signal or past the time limit fails; one whose own
checks fail under valgrind (they are timed for native speed) is reported
but does not fail the run. Exits 0 when all are clean, 1 otherwise, 77
(SKIPPED) without valgrind.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
ERROR_EXIT = 99
SUBSET = ["errors", "sockets", "messages", "pair", "pipeline", "device"]
# Left out of a full run: hundreds of rounds of threads and processes,
# far beyond their time limits under valgrind (name them to run them).
SLOW = {"concurrency", "fork"}


def ctest_commands(build):
    """name -> argv of every ctest test whose program is a test_* binary."""
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build,
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for test in json.loads(out).get("tests", []):
        cmd = test.get("command") or []
        if cmd and os.path.basename(cmd[0]).startswith("test_"):
            found[test["name"]] = cmd
    return found


def parse(log):
    """(errors, definitely lost bytes, blocks) from a memcheck log."""
    errors = lost = blocks = 0
    m = re.findall(r"ERROR SUMMARY: ([\d,]+) errors", log)
    if m:
        errors = int(m[-1].replace(",", ""))
    m = re.findall(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks", log)
    if m:
        lost = int(m[-1][0].replace(",", ""))
        blocks = int(m[-1][1].replace(",", ""))
    return errors, lost, blocks


def run_one(name, cmd, work, timeout):
    log_path = os.path.join(work, name + ".log")
    vg = ["valgrind", "--tool=memcheck", "--error-exitcode=%d" % ERROR_EXIT,
          "--leak-check=full", "--show-leak-kinds=definite",
          "--errors-for-leak-kinds=definite", "--num-callers=30",
          "--log-file=" + log_path]
    start = time.monotonic()
    try:
        r = subprocess.run(vg + cmd, cwd=os.path.dirname(cmd[0]), capture_output=True,
                           text=True, timeout=timeout)
        status = r.returncode
        output = r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        status = "timeout"
        output = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    took = time.monotonic() - start
    try:
        with open(log_path, errors="replace") as f:
            log = f.read()
    except OSError:
        log = ""
    errors, lost, blocks = parse(log)
    if not log:
        errors = -1   # valgrind did not get to report
    return {"name": name, "status": status, "errors": errors, "lost": lost, "blocks": blocks,
            "seconds": took, "log": log_path, "output": output, "text": log}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True, help="the cmake build directory")
    ap.add_argument("--subset", action="store_true", help="only " + ", ".join(SUBSET))
    ap.add_argument("--timeout", type=float, default=600, help="seconds per program")
    ap.add_argument("--work", help="where to keep the logs (default: a temporary directory)")
    ap.add_argument("tests", nargs="*")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("SKIPPED: valgrind is not installed")
        return SKIP
    build = os.path.abspath(args.build)
    commands = ctest_commands(build)
    if args.tests:
        names = args.tests
    elif args.subset:
        names = SUBSET
    else:
        names = sorted(n for n in commands if n not in SLOW)
    missing = [n for n in names if n not in commands]
    if missing:
        print("valgrind: no such C test program: %s" % " ".join(missing))
        return 1
    work = args.work or tempfile.mkdtemp(prefix="nnrs-valgrind-")
    os.makedirs(work, exist_ok=True)
    results = []
    for name in names:
        r = run_one(name, commands[name], work, args.timeout)
        # A negative status: killed by a signal.
        r["bad"] = bool(r["errors"] or r["lost"] or r["status"] == "timeout"
                        or (isinstance(r["status"], int) and r["status"] < 0))
        results.append(r)
        print("%-14s %-8s %6.1f s  %3d errors  %7d bytes definitely lost in %d blocks%s"
              % (name, "FAILED" if r["bad"] else "clean", r["seconds"], r["errors"],
                 r["lost"], r["blocks"],
                 "" if r["status"] in (0, ERROR_EXIT) else "  [program status %s]" % r["status"]),
              flush=True)
        if r["bad"] or r["status"] not in (0, ERROR_EXIT):
            if r["status"] not in (0, ERROR_EXIT):
                print("  the program itself failed (status %s)%s:" % (
                    r["status"], "" if r["bad"] else ", its own checks, slowed down"))
                for line in r["output"].strip().splitlines()[-10:]:
                    print("    " + line)
            if r["errors"] or r["lost"]:
                # The first error or leak record, whole.
                body = [l for l in r["text"].splitlines() if l.startswith("==")]
                shown = 0
                for line in body:
                    if "ERROR SUMMARY" in line or "HEAP SUMMARY" in line:
                        break
                    print("  " + line)
                    shown += 1
                    if shown > 40:
                        break
                print("  full log: %s" % r["log"])
    failed = [r["name"] for r in results if r["bad"]]
    print("valgrind: %d program(s), %d clean; logs in %s"
          % (len(results), len(results) - len(failed), work))
    if failed:
        print("valgrind: FAILED: %s" % " ".join(failed))
        return 1
    print("valgrind: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
