#!/usr/bin/env python3
"""Server CPU per request, per search shape: what a loaded, shared machine does not distort.

usage: cpu_per_request.py <server-pid> <base-url> [seconds] [clients] [paths-file]

For each path (one per line in paths-file; default: the shapes below; a path ending in .lua is a wrk script such as
search.lua, the mix, and "search.lua 3" only its third kind of search), runs `wrk -t1 -c<clients> -d<seconds>s` against
it and reads the server's user+system CPU time from /proc/<pid>/stat before and after. Prints requests, requests/s and
CPU milliseconds per request. The API token comes from NASPACS_TOKEN (sent as a bearer token, as search.lua does).
"""
import os
import re
import subprocess
import sys

SHAPES = [
    "/health/live",
    "/api/auth/session",
    "/api/search?q=NP-004217",
    "/api/search",
    "/api/search?q=synth",
    "/api/search?q=P0042",
    "/api/search?q=brain&modality=MR",
    "/api/search?q=chest+axial",
    "/api/search?modality=CT&sort=patient_name",
    "/api/search?from=2025-01-01&to=2025-03-31",
    "/api/search?q=flair&from=2026-01-01",
    "/api/search?sort=-file_count&page=3",
    "/api/search?q=P00&page=2&pageSize=50",
    "/api/search?modality=MR&sort=-study_date&page=10",
    "/api/search?q=synth&sort=relevance",
]


def cpu_seconds(pid: str) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    pid, base = sys.argv[1], sys.argv[2].rstrip("/")
    seconds = sys.argv[3] if len(sys.argv) > 3 else "3"
    clients = sys.argv[4] if len(sys.argv) > 4 else "2"
    paths = SHAPES
    if len(sys.argv) > 5:
        with open(sys.argv[5], encoding="utf-8") as f:
            paths = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    headers = []
    if os.environ.get("NASPACS_TOKEN"):
        headers = ["-H", "Authorization: Bearer " + os.environ["NASPACS_TOKEN"]]
    load = os.getloadavg()[0]
    print(f"# load {load:.1f}, {seconds} s per shape, {clients} clients")
    print(f"{'path':<52} {'requests':>9} {'req/s':>8} {'cpu ms/req':>11} {'non-2xx':>8}")
    for path in paths:
        before = cpu_seconds(pid)
        # A .lua path is a wrk script (search.lua: the mix) run against the base URL.
        # "search.lua 3": only its third kind of search (KIND=3).
        script, _, kind = path.partition(" ")
        target = ["-s", script, base] if script.endswith(".lua") else [base + path]
        out = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", *headers, *target],
            capture_output=True, text=True, check=True, env={**os.environ, "KIND": kind}).stdout
        used = cpu_seconds(pid) - before
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(f"{path:<52} {requests:>9} {rate:>8.0f} {1000 * used / max(requests, 1):>11.3f} {bad.group(1) if bad else 0:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
