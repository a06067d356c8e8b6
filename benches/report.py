#!/usr/bin/env python3
"""Prints the last `cargo bench` results (target/criterion) as markdown
tables, one per bench group: time per iteration, and where the bench set a
throughput, bytes/s and (payload size known from the id) messages/s.

    python3 benches/report.py [target/criterion] > /tmp/tables.md
"""

import json
import os
import re
import sys

SIZES = {"64B": 64, "1KiB": 1024, "64KiB": 65536}


def human_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def human_rate(v, unit):
    for prefix, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return f"{v / scale:.3g} {prefix}{unit}"
    return f"{v:.3g} {unit}"


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
    rows = {}
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        typical = (est.get("slope") or est["mean"])["point_estimate"]
        rows.setdefault(bench["group_id"], []).append((bench, typical))
    for group in sorted(rows):
        print(f"### {group}\n")
        print("| bench | time/iter | bytes/s | msg/s (op/s) |")
        print("|---|---:|---:|---:|")
        for bench, ns in sorted(rows[group], key=lambda r: r[0]["full_id"]):
            name = bench["full_id"][len(group) + 1:]
            tp = bench.get("throughput") or {}
            per_s = 1e9 / ns
            bps = msgs = ""
            if "Bytes" in tp:
                b = tp["Bytes"] * per_s
                bps = human_rate(b, "B/s")
                size = next((v for k, v in SIZES.items() if re.search(rf"(^|/){k}(x|$)", bench.get("value_str") or name.split("/")[-1])), None)
                if size:
                    msgs = human_rate(b / size, "msg/s")
            elif "Elements" in tp:
                msgs = human_rate(tp["Elements"] * per_s, "/s")
            else:
                msgs = human_rate(per_s, "/s")
            print(f"| {name} | {human_time(ns)} | {bps} | {msgs} |")
        print()


if __name__ == "__main__":
    main()
