"""Runs `naspacs index` on a fresh database many times and reports any run that does not end.

    python3 benchmarks/indexing/hangcheck.py --corpus DIR [--runs 500] [--naspacs /tmp/naspacs-bench-cli/naspacs]
                                             [--db /dev/shm/naspacs-hangcheck.db] [--timeout 20] [--out DIR]

A run that is still alive after --timeout seconds is a hang: its threads' stacks (gdb, when installed), its open files
and its index files are kept in --out, then it is killed. Output goes to /dev/null, as in a benchmark: session 6 found
a hang this way that redirected output to a file had hidden (1 run in ~500, fixed in d531ccb). Start two at once (each
with its own --db) to add contention. Exit code: 0 when no run hung, 1 otherwise.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from bench import remove_db  # the index file and its -wal, -shm, -journal and .lock companions


def keep_evidence(pid: int, db: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if shutil.which("gdb"):
        with open(out / "threads.txt", "w") as stacks:
            subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 30"],
                           stdout=stacks, stderr=subprocess.STDOUT, check=False)
    fds = Path(f"/proc/{pid}/fd")
    (out / "open-files.txt").write_text(
        "\n".join(f"{fd.name} -> {os.readlink(fd)}" for fd in sorted(fds.iterdir(), key=lambda p: int(p.name))) + "\n")
    for part in Path(db).parent.glob(Path(db).name + "*"):
        shutil.copy(part, out)
    status = Path(db).with_suffix(".status.json")
    if status.exists():
        shutil.copy(status, out)


def main(argv: list) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True, help="the folder to index")
    p.add_argument("--runs", type=int, default=500)
    p.add_argument("--naspacs", default="/tmp/naspacs-bench-cli/naspacs")
    p.add_argument("--db", default="/dev/shm/naspacs-hangcheck.db")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds after which a run counts as hung")
    p.add_argument("--out", default="/tmp/naspacs-hangcheck", help="where the evidence of a hang goes")
    args = p.parse_args(argv)

    hangs = failures = 0
    for i in range(1, args.runs + 1):
        remove_db(Path(args.db))
        # SIGINT at its default, as in a terminal: a background job of a non-interactive shell would ignore it.
        run = subprocess.Popen([args.naspacs, "index", args.corpus, "--db", args.db],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            code = run.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            hangs += 1
            evidence = Path(args.out) / f"run-{i}-pid-{run.pid}"
            keep_evidence(run.pid, args.db, evidence)
            run.kill()
            run.wait()
            print(f"run {i}: still running after {args.timeout:g} s; evidence in {evidence}", flush=True)
            continue
        if code not in (0, 1):
            failures += 1
            print(f"run {i}: exit code {code}", flush=True)
    remove_db(Path(args.db))
    print(f"{args.runs} runs: {hangs} hung, {failures} failed", flush=True)
    return 1 if hangs or failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
