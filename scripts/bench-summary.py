#!/usr/bin/env python3
"""Prints the results scripts/bench-targets.sh wrote (its JSON files) as Markdown tables, one per job.

    scripts/bench-summary.py docs/bench/*.json
"""
import json
import sys


def us(ns):
    return "-" if ns is None else f"{ns / 1000:.1f} us"


def percentile(mean, p):
    for point in mean.get("lat_percentiles_ns") or []:
        if point["percentile"] == p:
            return point["ns"]
    return None


def ratio(value, base):
    return "-" if not value or not base else f"{value / base:.2f}x"


def table(path):
    result = json.load(open(path))
    job = result["job"]
    rows = [c for c in result["contenders"] if c["mean"].get("iops")]
    by_id = {c["id"]: c["mean"] for c in rows}
    fio = by_id.get("fio-io_uring")
    jdk = by_id.get("jdk-async")
    print(f"#### {path.rsplit('/', 1)[-1][:-5]}")
    print()
    print(f"rw={job['rw']}, bs={job['bs'] // 1024} KiB, iodepth={job['iodepth']}, direct={int(job['direct'])}, "
          f"size={job['size'] >> 20} MiB, runtime={job['runtime_ns'] / 1e9:.0f} s, "
          f"{result['rounds']} round(s), {result['date']}, {result['host_cores']} cores"
          + (f", {job['vthreads']} virtual threads" if job.get("vthreads") else ""))
    print()
    print("| contender | IOPS | MiB/s | lat mean | p99 | p99.9 | CPU/IO | IOPS vs fio io_uring | CPU/IO vs fio "
          "| p99 vs fio | IOPS vs jdk-async | carriers |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c in rows:
        m = c["mean"]
        carriers = m.get("carriers_peak")
        print(f"| {c['name']} | {m['iops']:.0f} | {m['mib_per_s']:.1f} | {us(m['lat_mean_ns'])} | "
              f"{us(m['lat_p99_ns'])} | {us(percentile(m, 99.9))} | {us(m['cpu_ns_per_io'])} | "
              f"{ratio(m['iops'], fio and fio['iops'])} | "
              f"{ratio(m['cpu_ns_per_io'], fio and fio['cpu_ns_per_io'])} | "
              f"{ratio(m['lat_p99_ns'], fio and fio['lat_p99_ns'])} | {ratio(m['iops'], jdk and jdk['iops'])} | "
              f"{'' if carriers is None else carriers} |")
    for s in result.get("skipped") or []:
        print(f"| {s} | not run | | | | | | | | | | |")
    print()


for p in sys.argv[1:]:
    table(p)
