#!/usr/bin/env python3
"""Medians of a run.sh log: per build, D and operation, the median seconds and files/s over the runs, with the
load averages seen and the RTTs measured.   python3 benchmarks/smb/summarize.py < run.log"""
import re
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
build = "this build"
for line in sys.stdin:
    if line.startswith("### older build") or line.startswith("### variant"):
        build = line[4:].strip()  # "older build (its folder)" or "variant (its settings)": several may be interleaved
    elif line.startswith("### this build"):
        build = "this build"
    elif line.startswith("## run"):
        build = "this build"
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 8 or not re.match(r"^[0-9.]+$", cells[0]):
        continue
    delay, rtt, operation, tool, files, seconds, _, load = cells
    # The adaptive limit and CPU vary per run: keep them apart from the key, list them.
    key_tool = re.sub(r" \(.*\)$", "", tool) if "µs/file" in tool else tool
    rows[(delay, operation, key_tool, build)].append((float(rtt), float(seconds), int(files), float(load), tool))

def median_of(pattern, values):
    found = [float(m.group(1)) for v in values if (m := re.search(pattern, v[4]))]
    return f"{statistics.median(found):g}" if found else ""


print("| D (ms) | build | operation | tool | runs | RTT (ms) median | seconds median | files/s median | client CPU µs/file median | "
      "proxy CPU µs/file median | smbd CPU µs/file median | pool work items/file median | load (1 min) | per run |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (delay, operation, tool, build), values in sorted(rows.items(), key=lambda kv: (float(kv[0][0]), kv[0][1], kv[0][3])):
    seconds = statistics.median(v[1] for v in values)
    files = values[0][2]
    extras = "; ".join(re.sub(r".*?\((.*)\)$", r"\1", v[4]) if "µs/file" in v[4] else f"{v[1]:.3f} s" for v in values)
    loads = ", ".join(f"{v[3]:.0f}" for v in values)
    client, proxy, server = (median_of(rf"{who} CPU (\d+)", values) for who in ("client", "proxy", "smbd"))
    work_items = median_of(r"([0-9.]+) pool work items", values)
    print(f"| {delay} | {build} | {operation} | {tool} | {len(values)} | {statistics.median(v[0] for v in values):.2f} | "
          f"{seconds:.3f} | {files / seconds:.0f} | {client} | {proxy} | {server} | {work_items} | {loads} | {extras} |")
