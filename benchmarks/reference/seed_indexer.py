#!/usr/bin/python3
"""The original NasPacs indexing design (shared/seed-design.md), kept as the benchmark baseline.

Faithful to the design on purpose, including its costs:
- File Enumerator: walks the tree (os.walk stands in for robocopy / Get-ChildItem, which
  do not exist here), filters by DICOM extensions (.dcm, .dicom, .ima, no extension) and
  writes the results to a temporary file "for memory efficiency", then reads them back.
- Concurrent DICOM Indexer: ThreadPoolExecutor(max_workers=8), pydicom
  dcmread(stop_before_pixels=True) per file, series grouping by SeriesInstanceUID with
  fallbacks, status written to index_status.json every 50 processed files with an atomic
  replace and an ETA, graceful degradation (a bad file is counted and skipped).
- Index: a JSON array of series objects as in the design's "Index Data Structure".

Do not optimise this file: it is the yardstick NasPacs is measured against.

    /usr/bin/python3 benchmarks/reference/seed_indexer.py ROOT [--output index.json]
        [--status index_status.json] [--workers 8]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

import pydicom

DICOM_EXTENSIONS = {".dcm", ".dicom", ".ima", ""}
STATUS_EVERY = 50  # "Write status to index_status.json every 50 processed files"


@dataclass
class IndexStatus:
    enumerated_files: int = 0
    files_processed: int = 0
    series_count: int = 0
    errors: int = 0
    running: bool = False
    last_updated: str = ""
    estimated_completion: Optional[str] = None


@dataclass
class SeriesEntry:
    SeriesKey: str
    PatientName: str
    PatientID: str
    PatientBirthDate: str
    StudyDate: str
    StudyDescription: str
    SeriesDescription: str
    SeriesNumber: str
    Modality: str
    files: List[str] = field(default_factory=list)
    file_count: int = 0


@dataclass
class IndexResult:
    files: int
    series: int
    errors: int
    seconds: float


class EnhancedFileEnumerator:
    """Enumerates candidate DICOM files and streams the list to a temporary file."""

    def __init__(self) -> None:
        self._found = 0
        self._cancel = False

    def enumerate_files(self, nas_path: str, method: str = "auto") -> List[str]:
        with tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".lst", delete=False) as listing:
            listing_path = listing.name
            for dirpath, _dirnames, filenames in os.walk(nas_path):
                if self._cancel:
                    break
                for name in filenames:
                    if os.path.splitext(name)[1].lower() in DICOM_EXTENSIONS:
                        listing.write(os.path.join(dirpath, name) + "\n")
                        self._found += 1
        try:
            with open(listing_path, encoding="utf-8") as listing:
                return [line.rstrip("\n") for line in listing]
        finally:
            os.unlink(listing_path)

    def get_enumeration_progress(self) -> Dict[str, Any]:
        return {"files_found": self._found, "cancelled": self._cancel}

    def cancel_enumeration(self) -> bool:
        self._cancel = True
        return True


class ConcurrentDicomIndexer:
    """Reads headers with a thread pool and groups them into series."""

    def __init__(self, max_workers: int = 8, status_file: str = "index_status.json") -> None:
        self.max_workers = max_workers
        self.status_file = status_file
        self._status = IndexStatus()
        self._series: Dict[str, SeriesEntry] = {}
        self._lock = threading.Lock()
        self._resume = threading.Event()
        self._resume.set()
        self._started = 0.0

    @staticmethod
    def _series_key(ds: pydicom.Dataset, path: str) -> str:
        # SeriesInstanceUID, else study UID + series number, else the folder.
        uid = str(ds.get("SeriesInstanceUID", "") or "")
        if uid:
            return uid
        study = str(ds.get("StudyInstanceUID", "") or "")
        number = str(ds.get("SeriesNumber", "") or "")
        if study:
            return f"{study}_{number}"
        return os.path.dirname(path)

    def _read(self, path: str) -> tuple:
        self._resume.wait()
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        return path, ds

    def _add(self, path: str, ds: pydicom.Dataset) -> None:
        key = self._series_key(ds, path)
        with self._lock:
            entry = self._series.get(key)
            if entry is None:
                entry = SeriesEntry(
                    SeriesKey=key,
                    PatientName=str(ds.get("PatientName", "") or ""),
                    PatientID=str(ds.get("PatientID", "") or ""),
                    PatientBirthDate=str(ds.get("PatientBirthDate", "") or ""),
                    StudyDate=str(ds.get("StudyDate", "") or ""),
                    StudyDescription=str(ds.get("StudyDescription", "") or ""),
                    SeriesDescription=str(ds.get("SeriesDescription", "") or ""),
                    SeriesNumber=str(ds.get("SeriesNumber", "") or ""),
                    Modality=str(ds.get("Modality", "") or ""),
                )
                self._series[key] = entry
            entry.files.append(path)
            entry.file_count += 1

    def _write_status(self) -> None:
        now = datetime.now(timezone.utc)
        status = self._status
        status.series_count = len(self._series)
        status.last_updated = now.isoformat()
        elapsed = time.perf_counter() - self._started
        if status.files_processed and status.running:
            rate = status.files_processed / max(elapsed, 1e-9)
            remaining = status.enumerated_files - status.files_processed
            status.estimated_completion = (now + timedelta(seconds=remaining / rate)).isoformat()
        directory = os.path.dirname(os.path.abspath(self.status_file))
        fd, tmp = tempfile.mkstemp(prefix=".status-", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(status), f, indent=2)
        os.replace(tmp, self.status_file)  # atomic: readers never see a half-written file

    def index_files(self, file_paths: List[str], output_file: str) -> IndexResult:
        self._started = time.perf_counter()
        self._status = IndexStatus(enumerated_files=len(file_paths), running=True)
        self._write_status()
        with ThreadPoolExecutor(max_workers=self.max_workers) as executor:
            # as_completed drops each future once yielded, so a finished header is not kept alive.
            for future in as_completed([executor.submit(self._read, path) for path in file_paths]):
                try:
                    path, ds = future.result()
                    self._add(path, ds)
                except Exception:  # graceful degradation: count and go on
                    self._status.errors += 1
                self._status.files_processed += 1
                if self._status.files_processed % STATUS_EVERY == 0:
                    self._write_status()
        self._status.running = False
        self._status.estimated_completion = None
        self._write_status()
        with open(output_file, "w", encoding="utf-8") as f:
            json.dump([asdict(entry) for entry in self._series.values()], f, indent=2)
        return IndexResult(len(file_paths), len(self._series), self._status.errors,
                           round(time.perf_counter() - self._started, 3))

    def get_indexing_status(self) -> IndexStatus:
        return self._status

    def pause_indexing(self) -> bool:
        self._resume.clear()
        return True

    def resume_indexing(self) -> bool:
        self._resume.set()
        return True


def main(argv: List[str]) -> int:
    p = argparse.ArgumentParser(description="The original design's indexer (baseline).")
    p.add_argument("root")
    p.add_argument("--output", default="index.json")
    p.add_argument("--status", default="index_status.json")
    p.add_argument("--workers", type=int, default=8)
    args = p.parse_args(argv)
    started = time.perf_counter()
    paths = EnhancedFileEnumerator().enumerate_files(args.root)
    result = ConcurrentDicomIndexer(args.workers, args.status).index_files(paths, args.output)
    summary = asdict(result)
    summary["seconds_total"] = round(time.perf_counter() - started, 3)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
