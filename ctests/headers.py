#!/usr/bin/env python3
"""The public headers against the ABI dumped from libnanomsg.

1. Every header compiles, together, as strict C89, C99, C++98 and C++17.
2. Every name of abi/header_defines.tsv is defined with the same value
   (errno names: the platform's value where <errno.h> has one, and the
   NN_HAUSNUMERO fallback written exactly as in the table otherwise).
3. Every size and offset of abi/layout_x86_64.tsv matches.
"""
import argparse
import os
import re
import subprocess
import sys

HEADERS = ["nn", "pair", "reqrep", "pubsub", "pipeline", "survey", "bus",
           "inproc", "ipc", "tcp", "ws"]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        fail("%s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r


def includes():
    return "".join("#include <nanomsg/%s.h>\n" % h for h in HEADERS)


USES = r"""
/* Uses every macro that expands to code, so the strict modes see them. */
int nnrs_header_check (void);
int nnrs_header_check (void)
{
    struct nn_msghdr hdr;
    struct nn_cmsghdr *c;
    unsigned char *data;
    size_t n = NN_CMSG_SPACE (4) + NN_CMSG_LEN (4) + NN_CMSG_ALIGN_ (3);
    hdr.msg_iov = NULL;
    hdr.msg_iovlen = 0;
    hdr.msg_control = NULL;
    hdr.msg_controllen = 0;
    c = NN_CMSG_FIRSTHDR (&hdr);
    if (c) {
        data = NN_CMSG_DATA (c);
        c = NN_CMSG_NXTHDR (&hdr, c);
        n += (size_t) *data;
    }
    return (int) n + (NN_MSG == (size_t) -1);
}
"""


def compile_modes(args):
    src_c = os.path.join(args.work, "all_headers.c")
    src_cc = os.path.join(args.work, "all_headers.cpp")
    text = includes() + USES
    for path in (src_c, src_cc):
        with open(path, "w") as f:
            f.write(text)
    strict = ["-pedantic", "-Wall", "-Wextra", "-Werror", "-I", args.include, "-c", "-o", os.devnull]
    for compiler, std, src in ((args.cc, "c89", src_c), (args.cc, "c99", src_c),
                               (args.cxx, "c++98", src_cc), (args.cxx, "c++17", src_cc)):
        run([compiler, "-std=" + std] + strict + [src])


def expected_values(rows, platform):
    """Numeric value of each name, evaluating the table's expressions."""
    known = {}
    for header, name, expr in rows:
        if expr == "":
            continue
        if name in platform:
            known[name] = platform[name]
            continue
        py = expr.replace("((size_t) -1)", str(2**64 - 1))
        for other in sorted(known, key=len, reverse=True):
            py = re.sub(r"\b%s\b" % other, str(known[other]), py)
        known[name] = eval(py, {"__builtins__": {}})
    return known


def guarded_fallbacks(nn_h):
    """name -> expression of each `#ifndef NAME / #define NAME expr` pair."""
    found = {}
    for m in re.finditer(r"#ifndef (\w+)\s*\n#define \1 ([^\n]*)\n", nn_h):
        found[m.group(1)] = " ".join(m.group(2).split())
    return found


def compile_and_run(args, name, body):
    src = os.path.join(args.work, name + ".c")
    exe = os.path.join(args.work, name)
    with open(src, "w") as f:
        f.write("#include <stdio.h>\n#include <stddef.h>\n#include <errno.h>\n")
        f.write(includes())
        f.write("int main (void)\n{\n" + body + "    return 0;\n}\n")
    r = run([args.cc, "-I", args.include, "-o", exe, src])
    if r.returncode != 0:
        return {}
    out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    return dict(line.split("\t", 1) for line in out.splitlines())


def check_constants(args):
    with open(os.path.join(args.abi, "header_defines.tsv")) as f:
        rows = [l.rstrip("\n").split("\t") for l in f][1:]
    with open(os.path.join(args.include, "nanomsg", "nn.h")) as f:
        nn_h = f.read()
    fallbacks = guarded_fallbacks(nn_h)
    names = [r[1] for r in rows]

    # What the platform's <errno.h> defines, before any nanomsg header.
    probe = "".join('#ifdef %s\n    printf ("%s\\t%%lld\\n", (long long) (%s));\n#endif\n' % (n, n, n)
                    for n in names if n.startswith("E"))
    src = os.path.join(args.work, "errno_probe.c")
    with open(src, "w") as f:
        f.write("#include <stdio.h>\n#include <errno.h>\nint main (void)\n{\n" + probe + "    return 0;\n}\n")
    exe = os.path.join(args.work, "errno_probe")
    run([args.cc, "-o", exe, src])
    platform = {k: int(v) for k, v in (l.split("\t") for l in
                subprocess.run([exe], capture_output=True, text=True).stdout.splitlines())}

    expected = expected_values(rows, platform)
    body = ""
    for n in names:
        fmt = "%llu" if n == "NN_MSG" else "%lld"
        cast = "unsigned long long" if n == "NN_MSG" else "long long"
        body += ('#ifdef %s\n    printf ("%s\\t" "%s" "\\n", (%s) (%s + 0));\n#else\n'
                 '    printf ("%s\\tundefined\\n");\n#endif\n') % (n, n, fmt, cast, n, n)
    actual = compile_and_run(args, "constants", body)
    for header, name, expr in rows:
        if expr == "":
            # Defined only where the platform lacks the errno code.
            want = "undefined" if "EISCONN" in platform else "0"
            if actual.get(name) != want:
                fail("%s: %s, want %s" % (name, actual.get(name), want))
            if not re.search(r"#ifndef EISCONN\n(#define [^\n]*\n)*#define %s\n" % name, nn_h):
                fail("%s is not defined inside the #ifndef EISCONN block" % name)
            continue
        if actual.get(name) != str(expected[name]):
            fail("%s (%s.h): %s, want %s (%s)" % (name, header[:-2], actual.get(name), expected[name], expr))
        if name in platform and header == "nn.h":
            # The fallback must be written as nanomsg writes it.
            if fallbacks.get(name) != " ".join(expr.split()):
                fail("%s: fallback %r, want %r" % (name, fallbacks.get(name), expr))
    print("constants: %d names checked" % len(rows))


def check_layouts(args):
    with open(os.path.join(args.abi, "layout_x86_64.tsv")) as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    body = "".join('    printf ("%%s\\t%%llu\\n", "%s", (unsigned long long) (%s));\n'
                   % (expr, expr) for expr, _ in rows)
    actual = compile_and_run(args, "layouts", body)
    for expr, want in rows:
        if actual.get(expr) != want:
            fail("%s = %s, want %s" % (expr, actual.get(expr), want))
    print("layouts: %d rows checked" % len(rows))


def main():
    p = argparse.ArgumentParser()
    for opt in ("include", "cc", "cxx", "abi", "work"):
        p.add_argument("--" + opt, required=True)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    compile_modes(args)
    check_constants(args)
    check_layouts(args)
    if failures:
        print("headers: %d failure(s)" % len(failures))
        return 1
    print("headers: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
