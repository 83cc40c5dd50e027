#!/usr/bin/env python3
"""Interleaved A/B of `naspacs index` builds or settings on one corpus: the way each indexing change is measured.

usage: ab.py ROUNDS CORPUS VARIANT [VARIANT ...]
  VARIANT is name[:ENV=V,ENV2=V2[:/path/to/naspacs]]  (default binary: /tmp/naspacs-bench-cli/naspacs, run.sh's build)
  MODE=first (default) removes the index before every run; MODE=reindex keeps it (run one round first to create it).

Each round reads the corpus (so the page cache is warm), then runs every variant once, in turn; odd rounds reverse the
order. Prints medians of wall time, child CPU time (user + system, from wait4) and minor page faults per variant. On a
shared machine the spread between batches of rounds is as large as many changes: compare variants within one call.
"""
import os
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    rounds, corpus = int(sys.argv[1]), sys.argv[2]
    variants = []
    for spec in sys.argv[3:]:
        name, settings, binary = (spec.split(":", 2) + ["", ""])[:3]
        env = dict(os.environ)
        for assignment in filter(None, settings.split(",")):
            key, value = assignment.split("=", 1)
            env[key] = value
        variants.append((name, env, binary or "/tmp/naspacs-bench-cli/naspacs"))

    fresh = os.environ.get("MODE", "first") == "first"
    database = os.environ.get("AB_DB", "/tmp/naspacs-ab.db")
    results = {name: [] for name, _, _ in variants}
    for round_number in range(rounds):
        subprocess.run(["sh", "-c", f"find '{corpus}' -type f -print0 | xargs -0 cat > /dev/null"], check=True)
        for name, env, binary in variants if round_number % 2 == 0 else variants[::-1]:
            if fresh:
                for suffix in ("", "-wal", "-shm", ".lock", ".status.json"):
                    try:
                        os.remove(database + suffix)
                    except FileNotFoundError:
                        pass
            started = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.dup2(null, 2)
                os.execve(binary, [binary, "index", corpus, "--db", database], env)
            _, status, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - started
            # 1 is a run completed with per-file errors: the benchmark corpus holds broken files on purpose.
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                print(f"{name}: exit {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
            results[name].append((wall, usage.ru_utime + usage.ru_stime, usage.ru_minflt))

    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        faults = statistics.median(r[2] for r in runs)
        print(f"{name:14s} wall {1000 * wall:7.1f} ms  cpu {1000 * cpu:7.1f} ms  minflt {faults:8.0f}  (n={len(runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
