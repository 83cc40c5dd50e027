#!/usr/bin/env python3
"""Slowest searches of a random sweep over the shapes a person can ask for: finds the plans that go wrong.

usage: NASPACS_TOKEN=<api token> search_sweep.py <base-url> [count] [seed]

Draws `count` (default 600) searches from text of every breadth (one letter to a phrase, IDs, words absent from the
corpus) × modality (present, absent or none) × date range (open, one day, a month, none, after the last study) × sort ×
page, against an index made by `naspacs-serverbench corpus` (patients SYNTH^P…, IDs NP-…, CT and MR series). Each is
timed as the best of 3 by HTTP; prints the median, the 90th percentile and the 25 slowest with their totals. Compare
two servers on the same index with the same seed.
"""
import itertools
import json
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request

TEXTS = [None, "synth", "s", "sy", "syn", "synt", "p0", "p00", "p000", "p0001", "p00012", "np-0000", "np 000123",
         "contrast", "brain", "chest axial", "t1", "zzz", "mr", "ct", "axial 5mm", "sag t2"]
MODALITIES = [None, "CT", "MR", "US", "NM"]
DATES = [(None, None), ("2024-01-01", None), (None, "2024-01-31"), ("2033-12-01", "2033-12-31"), ("2040-01-01", None),
         ("2024-03-01", "2024-03-02")]
SORTS = [None, "relevance", "patient_name", "-patient_name", "file_count", "-last_seen", "modality", "-study_date"]
PAGES = [(1, 50), (3, 50), (20, 50), (2, 200)]


def timed(base: str, token: str, query: str) -> tuple[float, int | None]:
    request = urllib.request.Request(f"{base}/api/search?{query}", headers={"Authorization": f"Bearer {token}"})
    best, total = float("inf"), None
    for _ in range(3):
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            total = json.loads(response.read()).get("total")
        best = min(best, time.perf_counter() - started)
    return best * 1000, total


def main() -> int:
    if len(sys.argv) < 2 or not os.environ.get("NASPACS_TOKEN"):
        print(__doc__, file=sys.stderr)
        return 2
    base, token = sys.argv[1].rstrip("/"), os.environ["NASPACS_TOKEN"]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    shapes = list(itertools.product(TEXTS, MODALITIES, DATES, SORTS, PAGES))
    random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7).shuffle(shapes)
    results = []
    for text, modality, (start, end), sort, (page, size) in shapes[:count]:
        parts = [f"q={urllib.parse.quote(text)}" if text else None, f"modality={modality}" if modality else None,
                 f"from={start}" if start else None, f"to={end}" if end else None, f"sort={sort}" if sort else None,
                 f"page={page}&pageSize={size}"]
        query = "&".join(p for p in parts if p)
        milliseconds, total = timed(base, token, query)
        results.append((milliseconds, query, total))
    results.sort(reverse=True)
    times = sorted(r[0] for r in results)
    print(f"{len(results)} searches: median {statistics.median(times):.2f} ms, p90 {times[int(len(times) * 0.9)]:.2f} ms")
    for milliseconds, query, total in results[:25]:
        print(f"{milliseconds:8.1f} ms  total {total}  {query}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
