#!/usr/bin/env python3
"""The shared library exports exactly the functions of abi/exports.txt and
carries the SONAME every nanomsg binary looks for."""
import argparse
import os
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lib", required=True)
    p.add_argument("--abi", required=True)
    args = p.parse_args()
    with open(os.path.join(args.abi, "exports.txt")) as f:
        want = sorted(l.strip() for l in f if l.strip())
    out = subprocess.run(["nm", "-D", "--defined-only", args.lib], capture_output=True, text=True, check=True).stdout
    functions = sorted(parts[2] for parts in (l.split() for l in out.splitlines())
                       if len(parts) == 3 and parts[1] in "TtWwi")
    ok = True
    if functions != want:
        print("extra:", sorted(set(functions) - set(want)), "missing:", sorted(set(want) - set(functions)))
        ok = False
    dyn = subprocess.run(["readelf", "-d", args.lib], capture_output=True, text=True, check=True).stdout
    if "Library soname: [libnanomsg.so.5]" not in dyn:
        print("SONAME is not libnanomsg.so.5:\n" + dyn)
        ok = False
    lib_dir = os.path.dirname(args.lib)
    for name in ("libnanomsg.so.5", "libnanomsg.so.6", "libnanomsg.so", "libnanomsg.a"):
        if not os.path.exists(os.path.join(lib_dir, name)):
            print("missing in the build tree:", name)
            ok = False
    print("exports: %d functions, %s" % (len(functions), "ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
