#!/usr/bin/env python3
"""bindings/python, the ctypes package: pip installs it into a venv, runs its
pytest suite on nnrs, then checks that without NNRS_LIBRARY it finds nnrs's
libnanomsg.so.5 the way C programs do, through LD_LIBRARY_PATH."""
import argparse
import os
import shutil
import sys

import support


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--libdir", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    # pip builds in the directory it is given, and pytest caches beside the
    # tests: both work on a copy, so the source tree stays clean.
    package = os.path.join(args.work, "package")
    shutil.rmtree(package, ignore_errors=True)
    shutil.copytree(os.path.join(args.source, "bindings", "python"), package)

    python = support.venv(os.path.join(args.work, "venv"), ["pytest", "setuptools", "wheel"])
    # Offline once the venv exists: setuptools comes from the venv, not a download.
    support.pip(python, ["--no-deps", "--no-build-isolation", "--force-reinstall", package])

    env = dict(os.environ, NNRS_LIBRARY=os.path.join(args.libdir, "libnanomsg.so.5"))
    r = support.run([python, "-m", "pytest", "-q", os.path.join(package, "tests")],
                    env=env, cwd=args.work)
    print(r.stdout.strip().splitlines()[-1])

    env = dict(os.environ, LD_LIBRARY_PATH=args.libdir)
    env.pop("NNRS_LIBRARY", None)
    program = "import nanomsg_ctypes as nn\nprint(nn.LIBRARY, nn.NN_REQ)" + support.PRINT_MAPS
    output, maps = support.split_maps(support.run([python, "-c", program], env=env).stdout)
    if output.split() != ["libnanomsg.so.5", "48"]:
        support.fail("default load printed " + output)
    support.expect_loaded("nanomsg_ctypes without NNRS_LIBRARY", maps, args.libdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
