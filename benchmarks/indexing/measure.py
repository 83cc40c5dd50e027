#!/usr/bin/python3
"""Run one command and report its wall time, peak RSS and read I/O, measured from outside.

- wall_seconds: time.perf_counter() from just before fork/exec to the child's exit.
- max_rss_kb: ru_maxrss of the child from wait4() (the same number `/usr/bin/time -v` prints as
  "Maximum resident set size"); the largest resident set the process ever had, in KiB. Linux
  carries the forking process's peak RSS into the child across execve, so the number is at least
  this launcher's own size (~10 MB): run measure.py as its own process, not from a big one.
- rchar / syscr / read_bytes: the child's /proc/<pid>/io, read after it exited but before it is
  reaped (waitid(WNOWAIT)), so the totals cover the whole process, all threads included.
  rchar counts every byte returned by read-like system calls (read, pread, readv, ...), whether
  served from the page cache or not, including the runtime's own start-up reads; mmap-ed files
  (e.g. .NET assemblies, shared libraries) are not counted. read_bytes counts bytes fetched from
  the block device (about 0 with a warm page cache). Children of the child are not included,
  so run tools directly, never through a shell.

    /usr/bin/python3 benchmarks/indexing/measure.py [--stdout FILE] -- command args...
prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def read_proc_io(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/io", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key.strip()] = int(value)
    return fields


def measure(argv: list, stdout_path: str | None = None, stderr_path: str | None = None) -> dict:
    """Runs argv to completion and returns its measurements (see module docstring)."""
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, not yet reaped
        wall = time.perf_counter() - started
        io = read_proc_io(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for stream in (stdout, stderr):
            if stream is not subprocess.DEVNULL:
                stream.close()
    return {
        "exit_code": child.returncode,
        "wall_seconds": round(wall, 4),
        "user_seconds": round(usage.ru_utime, 3),
        "system_seconds": round(usage.ru_stime, 3),
        "max_rss_kb": usage.ru_maxrss,
        "rchar": io.get("rchar", 0),
        "syscr": io.get("syscr", 0),
        "read_bytes": io.get("read_bytes", 0),
    }


def main(argv: list) -> int:
    p = argparse.ArgumentParser(description="Measure one command: wall time, peak RSS, bytes read.")
    p.add_argument("--stdout", help="file for the command's standard output (default: discarded)")
    p.add_argument("--stderr", help="file for the command's standard error (default: discarded)")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        p.error("give the command after --")
    result = measure(command, args.stdout, args.stderr)
    print(json.dumps(result))
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
