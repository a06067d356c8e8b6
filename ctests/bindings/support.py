"""What the binding tests share: running commands, skipping, a Python venv
under the build tree, an install prefix, a free port, and telling which
libnanomsg a process has mapped."""
import os
import socket
import subprocess
import sys

SKIP = 77


def skip(reason):
    """Exit as ctest's SKIP_RETURN_CODE: something the test needs is missing."""
    print("SKIPPED: " + reason)
    sys.exit(SKIP)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run(cmd, env=None, cwd=None, timeout=300):
    """Runs cmd, failing the test with its output if it fails."""
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    if r.returncode != 0:
        fail("%s exited %d\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def free_tcp_port():
    """A loopback port free now; the test binds it right after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def install_prefix(build, prefix):
    """`cmake --install` of the build tree into prefix, as a user would."""
    run(["cmake", "--install", build, "--prefix", prefix])
    return prefix


def venv(path, packages, env=None):
    """A venv at path (kept between runs) holding packages; returns its python.

    Debian's python is externally managed, so nothing goes into the system's.
    A package that cannot be had (no network on first use) skips the test.
    """
    python = os.path.join(path, "bin", "python")
    if not os.path.exists(python):
        r = subprocess.run([sys.executable, "-m", "venv", path], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            skip("python3 -m venv failed (install python3-venv): " + r.stderr.strip())
    pip(python, packages, env=env, what="pip could not install %s" % " ".join(packages))
    return python


def pip(python, args, env=None, what=None):
    """pip install args into python's venv; skips with `what` if that fails."""
    env = dict(env or os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    r = subprocess.run([python, "-m", "pip", "install", "-q"] + list(args), env=env,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    if r.returncode != 0:
        message = "pip install %s\n%s%s" % (" ".join(args), r.stdout, r.stderr)
        if what:
            skip(what + "\n" + message)
        fail(message)


def mapped_libnanomsg(maps_text):
    """The files named libnanomsg* in a /proc/PID/maps text, resolved."""
    paths = set()
    for line in maps_text.splitlines():
        fields = line.split(None, 5)
        if len(fields) == 6 and "libnanomsg" in os.path.basename(fields[5]):
            paths.add(os.path.realpath(fields[5]))
    return paths


def expect_loaded(who, maps_text, libdir):
    """Fails unless the only libnanomsg mapped is nnrs's, in libdir."""
    want = os.path.realpath(os.path.join(libdir, "libnanomsg.so.5"))
    got = mapped_libnanomsg(maps_text)
    if got != {want}:
        fail("%s mapped %s, not %s" % (who, sorted(got) or "no libnanomsg", want))
    print("%s runs on %s" % (who, want))


# Appended to a Python program run in a child: prints that process's maps.
PRINT_MAPS = "\nprint('--- maps ---')\nprint(open('/proc/self/maps').read())\n"


def split_maps(stdout):
    """(program output, maps text) of a child that ran PRINT_MAPS."""
    output, _, maps = stdout.partition("--- maps ---\n")
    return output, maps
