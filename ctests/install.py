#!/usr/bin/env python3
"""`cmake --install` into a fresh prefix lays out the files of libnanomsg,
and programs build against them through pkg-config (shared and static) and
through CMake's find_package(nanomsg CONFIG)."""
import argparse
import os
import shutil
import subprocess
import sys

HEADERS = ["nn", "pair", "reqrep", "pubsub", "pipeline", "survey", "bus",
           "inproc", "ipc", "tcp", "ws"]
failures = []


def run(cmd, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        failures.append(" ".join(cmd))
        print("FAIL: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr), file=sys.stderr)
    return r


def check_layout(prefix):
    lib = os.path.join(prefix, "lib")
    expect_links = {"libnanomsg.so.5": "libnanomsg.so.5.1.0",
                    "libnanomsg.so.6": "libnanomsg.so.5.1.0",
                    "libnanomsg.so": "libnanomsg.so.5"}
    if not os.path.isfile(os.path.join(lib, "libnanomsg.so.5.1.0")):
        failures.append("lib/libnanomsg.so.5.1.0 missing")
    for link, target in expect_links.items():
        path = os.path.join(lib, link)
        if not os.path.islink(path) or os.readlink(path) != target:
            failures.append("lib/%s is not a link to %s" % (link, target))
    paths = ["lib/libnanomsg.a", "lib/pkgconfig/nanomsg.pc",
             "lib/cmake/nanomsg-1.1.5/nanomsg-config.cmake",
             "lib/cmake/nanomsg-1.1.5/nanomsg-config-version.cmake"]
    paths += ["include/nanomsg/%s.h" % h for h in HEADERS]
    for rel in paths:
        if not os.path.isfile(os.path.join(prefix, rel)):
            failures.append(rel + " missing")


def expect_runs(exe, env=None):
    r = run([exe], env=env)
    if r.returncode == 0 and "first symbol NN_NS_NAMESPACE" not in r.stdout:
        failures.append(exe + " printed " + r.stdout)
    return r


def main():
    p = argparse.ArgumentParser()
    for opt in ("build", "source", "cc", "work"):
        p.add_argument("--" + opt, required=True)
    args = p.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    prefix = os.path.join(args.work, "prefix")
    run(["cmake", "--install", args.build, "--prefix", prefix])
    check_layout(prefix)
    consumer = os.path.join(args.source, "ctests", "install", "consumer.c")
    lib = os.path.join(prefix, "lib")

    # pkg-config, shared library.
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(lib, "pkgconfig"))
    flags = run(["pkg-config", "--cflags", "--libs", "nanomsg"], env=env).stdout.split()
    version = run(["pkg-config", "--modversion", "nanomsg"], env=env).stdout.strip()
    if version != "1.1.5":
        failures.append("pkg-config version " + version)
    exe = os.path.join(args.work, "pc_shared")
    run([args.cc, consumer, "-o", exe] + flags + ["-Wl,-rpath," + lib])
    r = expect_runs(exe)
    ldd = run(["ldd", exe]).stdout
    if os.path.join(lib, "libnanomsg.so.5") not in ldd:
        failures.append("pc_shared does not load the installed libnanomsg.so.5:\n" + ldd)

    # pkg-config, static library: the .a and the private libraries.
    cflags = run(["pkg-config", "--cflags", "nanomsg"], env=env).stdout.split()
    private = run(["pkg-config", "--static", "--libs-only-l", "nanomsg"], env=env).stdout.split()
    private = [f for f in private if f != "-lnanomsg"]
    exe = os.path.join(args.work, "pc_static")
    run([args.cc, consumer, "-o", exe] + cflags + [os.path.join(lib, "libnanomsg.a")] + private)
    expect_runs(exe)
    if "libnanomsg" in run(["ldd", exe]).stdout:
        failures.append("pc_static still loads a shared libnanomsg")

    # CMake find_package(nanomsg CONFIG) and the imported target.
    cbuild = os.path.join(args.work, "cmake_build")
    run(["cmake", "-S", os.path.join(args.source, "ctests", "install", "cmake_consumer"),
         "-B", cbuild, "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_C_COMPILER=" + args.cc])
    run(["cmake", "--build", cbuild])
    expect_runs(os.path.join(cbuild, "app"))

    if failures:
        print("install: %d failure(s):\n  %s" % (len(failures), "\n  ".join(failures)))
        return 1
    print("install: ok (%s)" % prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
