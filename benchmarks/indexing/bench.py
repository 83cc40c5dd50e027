#!/usr/bin/python3
"""The indexing benchmark of issue #3. Start it through run.sh, which builds the .NET tools first.

1. Generates a corpus with benchmarks/corpus/make_corpus.py (untimed).
2. Reads every file once (untimed) so the page cache is warm.
3. For each tool: one untimed warm-up run, then --runs timed runs measured by measure.py.
4. Prints a table of medians (wall time, files/s, peak RSS, bytes read per file) and the
   ratios against the issue's targets, and writes all raw runs to WORK/results-<files>.json.

--rss-sizes 100000,300000 instead measures, at those corpus sizes, one first index (peak RSS; extrapolated
linearly to 1,000,000 files), then --runs rounds of a re-index of the unchanged tree and of the bare walk
(medians; the re-index ratio in wall and CPU seconds, and the re-index against the walk).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

PYTHON = "/usr/bin/python3"
MAKE_CORPUS = REPO / "benchmarks" / "corpus" / "make_corpus.py"
SEED_INDEXER = REPO / "benchmarks" / "reference" / "seed_indexer.py"
INSTANCES_PER_SERIES = 16
STUDIES_PER_PATIENT = 2
SERIES_PER_STUDY = 3

# The tags NasPacs indexes (src/NasPacs.Abstractions/Indexing/QueryModels.cs), asked of gdcmscanner too.
INDEX_TAGS = (
    "0002,0010", "0008,0005", "0008,0018", "0008,0020", "0008,0021", "0008,0030", "0008,0050",
    "0008,0060", "0008,0080", "0008,0090", "0008,1030", "0008,103e", "0010,0010", "0010,0020",
    "0010,0030", "0010,0040", "0018,0015", "0020,000d", "0020,000e", "0020,0010", "0020,0011",
    "0020,0013",
)


@dataclass
class Tool:
    """One row of the benchmark: how to run it and what to do before each run."""

    key: str
    label: str
    argv: Callable[[], list]
    before_each: Callable[[], None] = lambda: None
    warmups: int = 1
    runs: list = field(default_factory=list)


def corpus_shape(files: int, pixel_set: int) -> dict:
    per_patient = STUDIES_PER_PATIENT * SERIES_PER_STUDY * INSTANCES_PER_SERIES
    patients = max(1, round((files - pixel_set) / per_patient))
    return {"patients": patients, "studies_per_patient": STUDIES_PER_PATIENT,
            "series_per_study": SERIES_PER_STUDY, "instances_per_series": INSTANCES_PER_SERIES,
            "pixel_set": pixel_set}


def make_corpus(root: Path, shape: dict, seed: int) -> dict:
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        wanted = dict(shape, seed=seed)
        if all(manifest["parameters"].get(k) == v for k, v in wanted.items()):
            print(f"corpus: reusing {root} ({manifest['files']} files)", flush=True)
            return manifest
    if root.exists():
        # A corpus whose parameters differ, or one a failed or interrupted generation left without its manifest.
        remove_tree(root)
    argv = [PYTHON, str(MAKE_CORPUS), "--out", str(root), "--seed", str(seed)]
    for key, value in shape.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    manifest = json.loads(manifest_path.read_text())
    print(f"corpus: {manifest['files']} files, {manifest['series']} series in "
          f"{time.perf_counter() - started:.1f} s (untimed) at {root}", flush=True)
    return manifest


def remove_tree(root: Path) -> None:
    """rm -rf: several times faster than shutil.rmtree on a tree of 300,000 small files."""
    subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=True)


# The corpus read last, and when. This machine's kernel runs DAMON's proactive reclaim (kdamond; pages not accessed for
# 12 aggregation intervals of 5 s are paged out), so a corpus left alone for a minute, during the design's 40-70 s run
# for one, is partly read from disk again by the next tool: 27-56 MB per first index in session 7, 2-3x its wall time.
_warm = {"root": None, "at": 0.0}
REWARM_AFTER_SECONDS = 20


def warm_page_cache(root: Path) -> None:
    """Reads every byte of the tree once, so no timed run pays for the disk."""
    started, total = time.perf_counter(), 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
    _warm.update(root=root, at=time.monotonic())
    print(f"page cache: read {total / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s (untimed)", flush=True)


def keep_page_cache_warm() -> None:
    """Reads the corpus again (untimed) when the last read is older than REWARM_AFTER_SECONDS: the targets are for a warm cache."""
    if _warm["root"] is not None and time.monotonic() - _warm["at"] > REWARM_AFTER_SECONDS:
        warm_page_cache(_warm["root"])


def remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def build_tools(args: argparse.Namespace, root: Path, work: Path) -> dict:
    db = work / "naspacs-bench.db"
    gdcm_argv = ["gdcmscanner", "-d", str(root), "-r", "-p"]
    for tag in INDEX_TAGS:
        gdcm_argv += ["-t", tag]
    # The product is the SQLite index; --naspacs-json also writes the design's JSON index, as the seed does.
    naspacs_argv = [args.naspacs, "index", str(root), "--db", str(db)]
    if args.naspacs_json:
        naspacs_argv += ["--json", str(work / "naspacs-index.json")]
    if args.naspacs_workers:
        naspacs_argv += ["--workers", str(args.naspacs_workers)]
    tools = [
        Tool("naspacs-first", "`naspacs index`, fresh database", lambda: naspacs_argv, lambda: remove_db(db)),
        Tool("naspacs-reindex", "`naspacs index` again, nothing changed", lambda: naspacs_argv),
        Tool("floor-8", "I/O floor: open + read 8 KB + close, 8 threads (.NET 10)",
             lambda: [args.floor, str(root), "--threads", "8"]),
        Tool("floor-1", "I/O floor, 1 thread", lambda: [args.floor, str(root), "--threads", "1"]),
        Tool("walk", "re-index floor: the walk with size and mtime of every file, nothing opened (.NET 10)",
             lambda: [args.floor, str(root), "--walk-only"]),
        Tool("startup", "process start + exit: the I/O floor on an empty folder (context, not a target)",
             lambda: [args.floor, str(empty_dir(work)), "--threads", "8"]),
        Tool("gdcmscanner", f"`gdcmscanner -r -p`, {len(INDEX_TAGS)} tags", lambda: gdcm_argv),
        Tool("seed", "original design: pydicom, ThreadPoolExecutor(8)",
             lambda: [PYTHON, str(SEED_INDEXER), str(root), "--output", str(work / "seed-index.json"),
                      "--status", str(work / "seed-status.json"), "--workers", "8"],
             warmups=args.seed_warmups),
    ]
    return {t.key: t for t in tools}


def empty_dir(work: Path) -> Path:
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    return empty


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def cpu_pressure() -> float | None:
    """PSI 'some' avg10: % of the last 10 s in which a runnable task waited for a CPU (noise indicator)."""
    try:
        return float(Path("/proc/pressure/cpu").read_text().split()[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        return None


def measure_in_fresh_process(argv: list, stdout: str, stderr: str) -> dict:
    """measure.py in its own small process: Linux carries the forking process's peak RSS into the
    child's ru_maxrss across execve, so forking the tools from this (growing) process would floor
    every peak RSS at this process's size. A fresh measure.py is ~10 MB, below every tool measured."""
    done = subprocess.run([PYTHON, str(HERE / "measure.py"), "--stdout", stdout, "--stderr", stderr, "--", *argv],
                          capture_output=True, text=True, check=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_once(tool: Tool, work: Path, warmup: bool) -> dict:
    stdout = str(work / f"{tool.key}.out")
    stderr = str(work / f"{tool.key}.err")
    tool.before_each()
    keep_page_cache_warm()
    load, pressure = loadavg(), cpu_pressure()
    result = measure_in_fresh_process(tool.argv(), stdout, stderr)
    result.update(warmup=warmup, loadavg_before=load, cpu_pressure_before=pressure)
    result["reported"] = summarize_output(tool.key, stdout)
    kind = "warm-up" if warmup else f"run {len(tool.runs) + 1}"
    print(f"  {tool.key:16} {kind:8} {result['wall_seconds']:8.2f} s  rss {result['max_rss_kb'] / 1024:7.1f} MB"
          f"  cpu {result['user_seconds'] + result['system_seconds']:6.2f} s  disk {result['read_bytes'] / 1e6:5.1f} MB"
          f"  exit {result['exit_code']}"
          f"  load {load:.2f}  cpu-pressure {pressure}", flush=True)
    if result["exit_code"] != 0:
        print(f"  {tool.key} failed; stderr tail:\n" + tail(stderr), flush=True)
    if not warmup:
        tool.runs.append(result)
    return result


def run_tool(tool: Tool, runs: int, work: Path) -> None:
    for i in range(tool.warmups + runs):
        run_once(tool, work, warmup=i < tool.warmups)


def run_rounds(tools: list, runs: int, work: Path) -> None:
    """Warm-ups first, then `runs` rounds of every tool in turn, so that each round of the comparison
    sees about the same load on a shared machine (the order also leaves naspacs-reindex the database
    the naspacs-first run of the same round just built)."""
    for tool in tools:
        for _ in range(tool.warmups):
            run_once(tool, work, warmup=True)
    for _ in range(runs):
        for tool in tools:
            run_once(tool, work, warmup=False)


def tail(path: str, lines: int = 15) -> str:
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def summarize_output(key: str, stdout: str) -> dict:
    """What the tool itself says it did, to cross-check the file count."""
    text = Path(stdout).read_text(errors="replace") if os.path.exists(stdout) else ""
    if key == "gdcmscanner":
        return {"files_read": text.count("(could be read)")}
    if key.startswith("naspacs"):
        # The CLI's closing lines, e.g. "Completed in 2.1 s: 19,976 files (9,683 files/s), 1,249 series ..."
        # and "  new 19,976, changed 0, unchanged 0, removed 0, not DICOM 0, DICOMDIR 0".
        found = {}
        for line in text.splitlines():
            if line.startswith("Completed in "):
                found["completed"] = line.strip()
                inner = re.match(r"Completed in ([\d.,]+) s: ([\d,]+) files", line)
                if inner:
                    found["internal_seconds"] = float(inner.group(1).replace(",", ""))
                    found["files"] = int(inner.group(2).replace(",", ""))
            elif line.strip().startswith("new "):
                for name, value in re.findall(r"([a-zA-Z ]+?) ([\d,]+)", line):
                    found[name.strip().replace(" ", "_").lower()] = int(value.replace(",", ""))
        return found
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def medians(tool: Tool, files: int) -> dict | None:
    ok = [r for r in tool.runs if r["exit_code"] == 0]
    if not ok:
        return None
    wall = statistics.median(r["wall_seconds"] for r in ok)
    return {
        "runs": len(ok),
        "wall_seconds": wall,
        "files_per_second": files / wall,
        "max_rss_mb": statistics.median(r["max_rss_kb"] for r in ok) / 1024,
        "cpu_seconds": statistics.median(r["user_seconds"] + r["system_seconds"] for r in ok),
        "rchar_per_file": statistics.median(r["rchar"] for r in ok) / files,
        "syscr_per_file": statistics.median(r["syscr"] for r in ok) / files,
        "tool_reported_files": ok[-1]["reported"].get("files", ok[-1]["reported"].get("files_read")),
        "tool_reported_seconds": statistics.median(r["reported"].get("internal_seconds", r["reported"].get("seconds", 0))
                                                   for r in ok) or None,
        "wall_min": min(r["wall_seconds"] for r in ok),
        "wall_max": max(r["wall_seconds"] for r in ok),
    }


def fmt_bytes(n: float) -> str:
    return f"{n / 1024:,.1f} KiB" if n >= 1024 else f"{n:,.0f} B"


def optional(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def report(tools: dict, files: int) -> tuple[str, dict]:
    stats = {key: medians(tool, files) for key, tool in tools.items() if tool.runs}
    lines = ["| tool | wall s (median; min–max) | files/s | CPU s (user+sys) | peak RSS | bytes read per file (rchar) "
             "| read calls per file | files the tool reports | seconds the tool reports |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, tool in tools.items():
        s = stats.get(key)
        if s is None:
            lines.append(f"| {tool.label} | pending / failed | | | | | | | |")
            continue
        if key == "startup":
            lines.append(f"| {tool.label} | {s['wall_seconds']:.3f} ({s['wall_min']:.3f}–{s['wall_max']:.3f}) | — | "
                         f"{s['cpu_seconds']:.2f} | {s['max_rss_mb']:.0f} MB | — | — | — | — |")
            continue
        lines.append(f"| {tool.label} | {s['wall_seconds']:.3f} ({s['wall_min']:.3f}–{s['wall_max']:.3f}) | "
                     f"{s['files_per_second']:,.0f} | {s['cpu_seconds']:.2f} | {s['max_rss_mb']:.0f} MB | {fmt_bytes(s['rchar_per_file'])} | "
                     f"{s['syscr_per_file']:.2f} | {optional(s['tool_reported_files'], ',')} | "
                     f"{optional(s['tool_reported_seconds'], '.2f')} |")
    first, again = stats.get("naspacs-first"), stats.get("naspacs-reindex")
    targets = [("first index ÷ original design (files/s)", first, stats.get("seed"), 100, "×"),
               ("first index ÷ gdcmscanner (files/s)", first, stats.get("gdcmscanner"), 5, "×"),
               ("first index ÷ I/O floor, 8 threads (files/s)", first, stats.get("floor-8"), 0.5, "×")]
    lines += ["", "| target | needed | measured (wall) | met? | same ratio in CPU seconds (context) |",
              "|---|---|---|---|---|"]
    ratios = {}
    for name, a, b, need, unit in targets:
        if a and b:
            ratio = a["files_per_second"] / b["files_per_second"]
            cpu_ratio = b["cpu_seconds"] / a["cpu_seconds"]
            ratios[name] = ratio
            ratios[name + ", CPU seconds"] = cpu_ratio
            lines.append(f"| {name} | ≥ {need:g}{unit} | {ratio:,.2f}{unit} | {'yes' if ratio >= need else 'no'} | "
                         f"{cpu_ratio:,.2f}{unit} |")
        else:
            lines.append(f"| {name} | ≥ {need:g}{unit} | pending | | |")
    name = "re-index of an unchanged tree: first wall ÷ re-index wall"
    if first and again:
        ratio = first["wall_seconds"] / again["wall_seconds"]
        cpu_ratio = first["cpu_seconds"] / again["cpu_seconds"]
        ratios["re-index speed-up"] = ratio
        ratios["re-index speed-up, CPU seconds"] = cpu_ratio
        lines.append(f"| {name} | ≥ 10× | {ratio:,.2f}× | {'yes' if ratio >= 10 else 'no'} | {cpu_ratio:,.2f}× |")
        if first.get("tool_reported_seconds") and again.get("tool_reported_seconds"):
            # Context, not the target: the tools' own run times leave out process start-up and shutdown.
            own = first["tool_reported_seconds"] / again["tool_reported_seconds"]
            ratios["re-index speed-up, the tool's own seconds"] = own
            lines.append(f"| (context) the same in naspacs' own run time, start-up left out | ≥ 10× | {own:,.2f}× | "
                         f"{'yes' if own >= 10 else 'no'} | — |")
    else:
        lines.append(f"| {name} | ≥ 10× | pending | | |")
    floor8, floor1 = stats.get("floor-8"), stats.get("floor-1")
    if floor8 and floor1:
        ratios["floor 8 threads ÷ 1 thread"] = floor8["files_per_second"] / floor1["files_per_second"]
    return "\n".join(lines), {"medians": stats, "ratios": ratios}


def machine_facts() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in subprocess.run(
        ["lscpu"], capture_output=True, text=True).stdout.splitlines() if line.startswith("Model name")), "?")
    return {"date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu_model": model,
            "cores": os.cpu_count(), "kernel": platform.release(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def run_main(args: argparse.Namespace) -> int:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    root = work / f"corpus-{args.files}"
    manifest = make_corpus(root, corpus_shape(args.files, args.pixel_set), args.seed)
    files = manifest["files"]
    tools = build_tools(args, root, work)
    selected = [k for k in tools if k in args.tools]
    if not Path(args.naspacs).exists():
        print(f"naspacs CLI not found at {args.naspacs}: its rows are pending", flush=True)
        selected = [k for k in selected if not k.startswith("naspacs")]
    warm_page_cache(root)
    facts = machine_facts()
    facts["loadavg_start"] = loadavg()
    if args.sequential:
        for key in selected:
            run_tool(tools[key], args.runs, work)
    else:
        run_rounds([tools[key] for key in selected], args.runs, work)
    facts["loadavg_end"] = loadavg()
    table, summary = report({k: tools[k] for k in tools if k in args.tools}, files)
    print(f"\n{files:,} files ({manifest['series']:,} series, {manifest['pixel_set_files']} with 512×512 pixels), "
          f"{facts['cpu_model']}, {facts['cores']} cores, {facts['date_utc']}, median of {args.runs} runs\n")
    print(table)
    cold = [(k, r["read_bytes"]) for k in selected for r in tools[k].runs if r["read_bytes"] > 1_000_000]
    if cold:
        print(f"\nnote: {len(cold)} timed runs read more than 1 MB from disk (the page cache was not warm for them): "
              + ", ".join(f"{k} {b / 1e6:.0f} MB" for k, b in cold))
    results = {"machine": facts, "manifest": manifest, "summary": summary,
               "runs": {k: tools[k].runs for k in selected}, "command": sys.argv}
    out = work / f"results-{args.files}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nraw runs: {out}")
    if not args.keep_corpus:
        remove_tree(root)
    return 0


def rss_main(args: argparse.Namespace) -> int:
    """naspacs at larger sizes: one first index (peak RSS), then --runs rounds of a re-index of the unchanged tree and
    of the bare walk (the re-index floor), medians. One re-index run on a loaded machine varied by 1.7x in CPU seconds,
    so a single run could not carry the re-index ratio."""
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    points = []
    for size in args.rss_sizes:
        root = work / f"corpus-{size}"
        manifest = make_corpus(root, corpus_shape(size, 0), args.seed)
        warm_page_cache(root)
        tools = build_tools(args, root, work)
        first, again, walk = tools["naspacs-first"], tools["naspacs-reindex"], tools["walk"]
        first.warmups = again.warmups = walk.warmups = 0  # the page cache is already warm
        run_tool(first, 1, work)
        for _ in range(args.runs):
            run_once(again, work, warmup=False)
            run_once(walk, work, warmup=False)
        a = first.runs[-1]

        def med(runs: list, key) -> float:
            return statistics.median(key(r) for r in runs)

        def cpu(r: dict) -> float:
            return r["user_seconds"] + r["system_seconds"]

        points.append({"files": manifest["files"], "max_rss_mb": a["max_rss_kb"] / 1024,
                       "cpu_seconds": cpu(a),
                       "wall_seconds": a["wall_seconds"], "exit_code": a["exit_code"], "reported": a["reported"],
                       "reindex_runs": len(again.runs),
                       "reindex_cpu_seconds": med(again.runs, cpu),
                       "reindex_wall_seconds": med(again.runs, lambda r: r["wall_seconds"]),
                       "reindex_max_rss_mb": max(r["max_rss_kb"] for r in again.runs) / 1024,
                       "reindex_exit_codes": sorted({r["exit_code"] for r in again.runs}),
                       "reindex_reported": again.runs[-1]["reported"],
                       "walk_cpu_seconds": med(walk.runs, cpu),
                       "walk_wall_seconds": med(walk.runs, lambda r: r["wall_seconds"]),
                       "raw": {"first": a, "reindex": again.runs, "walk": walk.runs}})
        if not args.keep_corpus:
            remove_tree(root)
    print(f"\n| files | first index: peak RSS | wall s | CPU s | files/s | re-index (median of {args.runs}): wall s | CPU s "
          "| peak RSS | bare walk: CPU s | first ÷ re-index: wall | CPU | re-index ÷ bare walk (CPU) |"
          "\n|---|---|---|---|---|---|---|---|---|---|---|---|")
    for p in points:
        print(f"| {p['files']:,} | {p['max_rss_mb']:.0f} MB | {p['wall_seconds']:.2f} | {p['cpu_seconds']:.2f} | "
              f"{p['files'] / p['wall_seconds']:,.0f} | {p['reindex_wall_seconds']:.2f} | {p['reindex_cpu_seconds']:.2f} | "
              f"{p['reindex_max_rss_mb']:.0f} MB | {p['walk_cpu_seconds']:.2f} | "
              f"{p['wall_seconds'] / p['reindex_wall_seconds']:.1f}× | {p['cpu_seconds'] / p['reindex_cpu_seconds']:.1f}× | "
              f"{p['reindex_cpu_seconds'] / p['walk_cpu_seconds']:.2f}× |")
    result = {"machine": machine_facts(), "points": points, "command": sys.argv}
    if len(points) >= 2:
        (a, b) = points[0], points[-1]
        slope = (b["max_rss_mb"] - a["max_rss_mb"]) / (b["files"] - a["files"])
        at_million = b["max_rss_mb"] + slope * (1_000_000 - b["files"])
        result.update(slope_mb_per_100k_files=slope * 100_000, extrapolated_rss_mb_at_1m=at_million)
        print(f"\nslope {slope * 100_000:.1f} MB per 100,000 files; linear extrapolation to 1,000,000 files: "
              f"{at_million:.0f} MB (target ≤ 250 MB: {'met' if at_million <= 250 else 'not met'})")
    out = work / f"results-rss-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"\nraw runs: {out}")
    return 0


def parse_args(argv: list) -> argparse.Namespace:
    all_tools = "naspacs-first,naspacs-reindex,floor-8,floor-1,walk,startup,gdcmscanner,seed"
    p = argparse.ArgumentParser(description="NasPacs indexing benchmark (issue #3).")
    p.add_argument("--files", type=int, default=20000, help="approximate corpus size (default 20000)")
    p.add_argument("--pixel-set", type=int, default=200, help="files with 512x512 16-bit pixels (default 200)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--runs", type=int, default=3,
                   help="timed runs per tool; the median is reported (default 3; with --rss-sizes: re-index and walk runs)")
    p.add_argument("--sequential", action="store_true",
                   help="all runs of one tool before the next (default: warm-ups, then rounds of every tool)")
    p.add_argument("--seed-warmups", type=int, default=1,
                   help="untimed runs of the slow Python baseline before timing (default 1)")
    p.add_argument("--tools", default=all_tools, help=f"comma-separated subset of {all_tools}")
    p.add_argument("--work", default="/tmp/naspacs-bench", help="work folder for corpus, databases, results")
    p.add_argument("--naspacs", default="/tmp/naspacs-bench-cli/naspacs", help="the naspacs CLI (Release build)")
    p.add_argument("--naspacs-workers", type=int, default=0, help="pass --workers N to naspacs (default: its own)")
    p.add_argument("--naspacs-json", action="store_true",
                   help="also pass --json to naspacs (writes the design's JSON index, like the seed does)")
    p.add_argument("--floor", default="/tmp/naspacs-bench-floor/naspacs-iofloor", help="the I/O floor program")
    p.add_argument("--keep-corpus", action="store_true", help="keep the generated corpus (default: delete it)")
    p.add_argument("--rss-sizes", default="",
                   help="e.g. 100000,300000: measure naspacs peak RSS at these sizes and extrapolate to 1M")
    args = p.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - set(all_tools.split(","))
    if unknown:
        p.error(f"unknown tools: {', '.join(sorted(unknown))}")
    args.rss_sizes = [int(s) for s in args.rss_sizes.split(",") if s.strip()]
    return args


def main(argv: list) -> int:
    args = parse_args(argv)
    return rss_main(args) if args.rss_sizes else run_main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
