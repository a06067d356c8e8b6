#!/usr/bin/env python3
"""An existing nanomsg binding from the Python package index, built from its
source distribution against nnrs's installed headers and library, runs the
example of its README on nnrs.

Both bindings compile C against <nanomsg/nn.h> and link -lnanomsg, so the
build proves the headers and the link as much as the run proves the library.
"""
import argparse
import glob
import os
import subprocess
import sys

import support

PACKAGES = {
    # package: (what building it needs in the venv, what its example prints)
    "nanomsg": (["setuptools", "wheel"], "b'hello nanomsg'\nb'hello nanomsg'\n"),
    "nnpy": (["setuptools", "wheel", "cffi"], "b'hello, world'\n"),
}


def fetch_sdist(python, package, dist, env):
    """The package's source distribution, downloaded into dist on first use."""
    pattern = os.path.join(dist, package + "-*.tar.gz")
    if not glob.glob(pattern):
        r = subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps",
                            "--no-binary", ":all:", "--no-build-isolation", "-d", dist, package],
                           env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        # pip prepares the metadata of what it downloads, which for nnpy means
        # parsing our headers: a failure there is ours, a failure to fetch is not.
        if r.returncode != 0 and "metadata-generation-failed" in r.stderr:
            support.fail("building %s's metadata against nnrs failed\n%s" % (package, r.stderr))
        if r.returncode != 0:
            support.skip("pip could not download %s\n%s" % (package, r.stderr))
    return glob.glob(pattern)[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--package", required=True, choices=sorted(PACKAGES))
    p.add_argument("--build", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    build_deps, expected = PACKAGES[args.package]

    prefix = support.install_prefix(args.build, os.path.join(args.work, "prefix"))
    lib = os.path.join(prefix, "lib")
    # The compiler takes headers from CPATH and libraries from LIBRARY_PATH.
    # nnpy parses the first of /usr/include/nanomsg, /usr/local/include/nanomsg
    # and $CPATH/nanomsg that exists: ours unless a nanomsg -dev package is in.
    env = dict(os.environ, CPATH=os.path.join(prefix, "include"), LIBRARY_PATH=lib)

    python = support.venv(os.path.join(args.work, "venv"), build_deps)
    # The source distribution is fetched once; every run builds it again,
    # without pip's wheel cache, so today's headers are the ones compiled.
    sdist = fetch_sdist(python, args.package, os.path.join(args.work, "dist"), env)
    support.pip(python, ["--no-index", "--no-deps", "--no-build-isolation", "--no-cache-dir",
                         "--force-reinstall", sdist], env=env)

    example = os.path.join(args.source, "ctests", "bindings", "pypi", args.package + "_readme.py")
    with open(example) as f:
        program = f.read() + support.PRINT_MAPS
    run_env = dict(os.environ, LD_LIBRARY_PATH=lib)
    output, maps = support.split_maps(
        support.run([python, "-c", program], env=run_env, cwd=args.work, timeout=60).stdout)
    print(output, end="")
    if output != expected:
        support.fail("%s's example printed %r, not %r" % (args.package, output, expected))
    support.expect_loaded(args.package, maps, lib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
