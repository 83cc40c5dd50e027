#!/usr/bin/python3
"""Generate a realistic, synthetic DICOM tree for NasPacs tests and benchmarks.

Headers come from real pydicom test files in four encodings (explicit VR little
endian, implicit VR little endian, explicit VR big endian, encapsulated JPEG-LS),
rotated per series. Every patient, study, series and instance gets fresh UIDs,
synthetic names and IDs (no real patient data), dates, series and instance numbers.
Files sit in nested PATIENT/STUDY/SERIES folders; a fraction has no extension.
``--pixel-set P`` adds P files carrying 512x512 16-bit pixel data (~512 KB each).

Speed: pydicom serialises each series once with sentinel values for the
per-instance elements; every instance is then the series bytes with those
elements patched (PS3.5 section 7.1: value length precedes the value), so a file
costs one small byte splice and one write.

Run with Debian's pydicom 2.3.1:
    /usr/bin/python3 benchmarks/corpus/make_corpus.py --out DIR --patients N \
        --studies-per-patient S --series-per-study K --instances-per-series M \
        [--seed X] [--no-extension-fraction F] [--pixel-set P]

Writes DIR/manifest.json with the counts, so tests can assert against it.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import struct
import sys
import time
from dataclasses import dataclass
from io import BytesIO
from multiprocessing import Pool
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian

TEST_FILES = Path(pydicom.__file__).parent / "data" / "test_files"

# Root used by pydicom's own generate_uid(); the rest of each UID is fixed-width
# random digits so every SOP Instance UID has the same length (the File Meta
# group length stays valid when one is patched in).
UID_ROOT = "1.2.826.0.1.3680043.8.498."
UID_DIGITS = 30
SOP_SENTINEL = UID_ROOT + "9" * UID_DIGITS
INSTANCE_SENTINEL = "7777777"


@dataclass(frozen=True)
class Encoding:
    """One template file and the encoding its bytes use."""

    key: str
    template: str
    implicit_vr: bool
    little_endian: bool


ENCODINGS = (
    Encoding("explicit_vr_little_endian", "CT_small.dcm", False, True),
    Encoding("implicit_vr_little_endian", "MR_small_implicit.dcm", True, True),
    Encoding("explicit_vr_big_endian", "MR_small_bigendian.dcm", False, False),
    Encoding("encapsulated_jpeg_ls", "MR_small_jpeg_ls_lossless.dcm", False, True),
)
PIXEL_SET_KEY = "explicit_vr_little_endian"

SYLLABLES = (
    "ka", "ro", "mi", "ten", "va", "lo", "bri", "sa", "del", "no", "ra", "vin",
    "to", "mar", "el", "quin", "da", "for", "li", "ste", "ber", "an", "gu", "ho",
)
STUDY_DESCRIPTIONS = {
    "CT": ("CT CHEST W/O CONTRAST", "CT HEAD", "CT ABDOMEN PELVIS W CONTRAST", "CT SPINE LUMBAR"),
    "MR": ("MR BRAIN W/WO CONTRAST", "MR KNEE LEFT", "MR LUMBAR SPINE", "MR SHOULDER RIGHT"),
}
SERIES_DESCRIPTIONS = {
    "CT": ("AXIAL 5MM", "AXIAL 1.25MM", "CORONAL MPR", "SAGITTAL MPR", "SCOUT"),
    "MR": ("T1 AX", "T2 SAG", "FLAIR AX", "DWI B1000", "T1 POST COR"),
}


def synthetic_name(rng: random.Random) -> tuple[str, str]:
    """A made-up family and given name built from syllables (never a real record)."""

    def word(parts: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(parts)).upper()

    return word(rng.randint(2, 3)), word(rng.randint(1, 2))


def synthetic_date(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randint(first_year, last_year):04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def fresh_uid(rng: random.Random) -> str:
    return UID_ROOT + str(rng.randrange(10 ** (UID_DIGITS - 1), 10**UID_DIGITS))


def folder_safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")


def load_templates() -> dict[str, Dataset]:
    templates = {}
    for enc in ENCODINGS:
        ds = pydicom.dcmread(str(TEST_FILES / enc.template))
        # Drop identifying leftovers of the sample files; we write fresh values.
        for keyword in ("OtherPatientIDsSequence", "OtherPatientIDs", "OtherPatientNames"):
            if keyword in ds:
                delattr(ds, keyword)
        templates[enc.key] = ds
    return templates


def pixel_set_template(base: Dataset) -> Dataset:
    """CT_small's header with a 512x512 16-bit image (explicit VR little endian)."""
    ds = copy.deepcopy(base)
    ds.Rows = 512
    ds.Columns = 512
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    for keyword in ("SmallestImagePixelValue", "LargestImagePixelValue"):
        if keyword in ds:
            delattr(ds, keyword)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.PixelData = bytes(512 * 512 * 2)  # replaced per series by a synthetic image
    return ds


def synthetic_image(seed: int) -> bytes:
    """A deterministic 512x512 uint16 image: a ring phantom with a little noise."""
    import numpy as np

    gen = np.random.default_rng(seed)
    y, x = np.mgrid[0:512, 0:512]
    r = np.hypot(x - 256, y - 256)
    img = np.where(r < 200, 1000 + 300 * np.cos(r / 9.0), 0) + gen.normal(0, 20, (512, 512))
    return np.clip(img, 0, 4095).astype("<u2").tobytes()


@dataclass
class SeriesPlan:
    """Everything needed to write one series; built in the parent so workers are deterministic."""

    encoding: str
    pixel_set: bool
    folder: str
    values: dict
    sop_uids: list
    file_names: list
    image_seed: int


class SeriesTemplate:
    """The bytes of one series with sentinel per-instance values, and where to patch them."""

    def __init__(self, ds: Dataset, enc: Encoding) -> None:
        buf = BytesIO()
        ds.save_as(buf, write_like_original=True)
        data = buf.getvalue()
        pixel_at = self._pixel_data_offset(data, enc.little_endian)
        sop = SOP_SENTINEL.encode("ascii")
        sop_at = self._find_all(data, sop, pixel_at)
        if len(sop_at) != 2:
            raise RuntimeError(f"expected the SOP Instance UID sentinel twice in {enc.template}, found {len(sop_at)}")
        number = INSTANCE_SENTINEL.encode("ascii") + b" "
        number_at = self._find_all(data, number, pixel_at)
        if len(number_at) != 1:
            raise RuntimeError(f"expected the Instance Number sentinel once in {enc.template}, found {len(number_at)}")
        self.sop_at = sop_at
        self.number_at = number_at[0]
        self.length_bytes = 4 if enc.implicit_vr else 2
        self.length_format = ("<" if enc.little_endian else ">") + ("I" if enc.implicit_vr else "H")
        self.data = data
        # The instance number is the only element whose length changes; split around it.
        head_end = self.number_at - self.length_bytes
        self.head = bytearray(data[:head_end])
        self.tail = data[self.number_at + len(number):]
        self.sop_in_head = [offset for offset in sop_at if offset < head_end]
        self.sop_in_tail = [offset - (self.number_at + len(number)) for offset in sop_at if offset >= head_end]
        self.tail_needs_patch = bool(self.sop_in_tail)

    @staticmethod
    def _find_all(data: bytes, needle: bytes, end: int) -> list:
        found, start = [], 0
        while True:
            at = data.find(needle, start, end)
            if at < 0:
                return found
            found.append(at)
            start = at + 1

    @staticmethod
    def _pixel_data_offset(data: bytes, little_endian: bool) -> int:
        tag = b"\xe0\x7f\x10\x00" if little_endian else b"\x7f\xe0\x00\x10"
        at = data.rfind(tag)
        return at if at >= 0 else len(data)

    def instance_bytes(self, sop_uid: str, instance_number: int) -> bytes:
        uid = sop_uid.encode("ascii")
        head = self.head
        for offset in self.sop_in_head:
            head[offset:offset + len(uid)] = uid
        value = str(instance_number).encode("ascii")
        if len(value) % 2:
            value += b" "  # PS3.5 section 6.2: IS is padded with a trailing space to even length
        element = struct.pack(self.length_format, len(value)) + value
        tail = self.tail
        if self.tail_needs_patch:
            tail = bytearray(tail)
            for offset in self.sop_in_tail:
                tail[offset:offset + len(uid)] = uid
        return b"".join((head, element, tail))


_TEMPLATES: dict[str, Dataset] = {}
_PIXEL_TEMPLATE: Dataset | None = None


def _init_worker() -> None:
    global _PIXEL_TEMPLATE
    _TEMPLATES.update(load_templates())
    _PIXEL_TEMPLATE = pixel_set_template(_TEMPLATES[PIXEL_SET_KEY])


def write_series(plan: SeriesPlan) -> int:
    enc = next(e for e in ENCODINGS if e.key == plan.encoding)
    # The worker's template is reused in place: every series overwrites the same elements.
    if plan.pixel_set:
        assert _PIXEL_TEMPLATE is not None
        ds = _PIXEL_TEMPLATE
        ds.PixelData = synthetic_image(plan.image_seed)
    else:
        ds = _TEMPLATES[plan.encoding]
    for keyword, value in plan.values.items():
        setattr(ds, keyword, value)
    ds.SOPInstanceUID = SOP_SENTINEL
    ds.file_meta.MediaStorageSOPInstanceUID = SOP_SENTINEL
    ds.InstanceNumber = INSTANCE_SENTINEL
    template = SeriesTemplate(ds, enc)
    os.makedirs(plan.folder, exist_ok=True)
    for number, (uid, name) in enumerate(zip(plan.sop_uids, plan.file_names), start=1):
        with open(os.path.join(plan.folder, name), "wb") as f:
            f.write(template.instance_bytes(uid, number))
    return len(plan.file_names)


def plan_corpus(args: argparse.Namespace) -> tuple[list, dict]:
    rng = random.Random(args.seed)
    plans: list[SeriesPlan] = []
    counts = {"patients": 0, "studies": 0, "series": 0, "files": 0,
              "files_without_extension": 0, "pixel_set_files": 0,
              "files_per_encoding": {e.key: 0 for e in ENCODINGS}}
    used_folders: set = set()
    series_index = 0

    def add_patient(n_studies: int, series_sizes_per_study: list, pixel_set: bool) -> None:
        nonlocal series_index
        family, given = synthetic_name(rng)
        patient_id = f"NP{rng.randrange(10**7, 10**8)}"
        birth = synthetic_date(rng, 1935, 2015)
        sex = rng.choice("MF")
        patient_folder = os.path.join(args.out, folder_safe(f"{family}_{given}_{patient_id}"))
        counts["patients"] += 1
        for study_number in range(1, n_studies + 1):
            study_uid = fresh_uid(rng)
            study_date = synthetic_date(rng, 2015, 2025)
            study_time = f"{rng.randint(7, 19):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
            accession = f"A{rng.randrange(10**8, 10**9)}"
            modality_hint = rng.choice(("CT", "MR"))
            study_description = rng.choice(STUDY_DESCRIPTIONS[modality_hint])
            study_folder = os.path.join(patient_folder, folder_safe(f"{study_date}_{study_description}"))
            while study_folder in used_folders:
                study_folder += "_2"
            used_folders.add(study_folder)
            counts["studies"] += 1
            referring = "^".join(synthetic_name(rng))
            for series_number, n_instances in enumerate(series_sizes_per_study, start=1):
                encoding = PIXEL_SET_KEY if pixel_set else ENCODINGS[series_index % len(ENCODINGS)].key
                series_index += 1
                modality = "CT" if pixel_set or encoding == "explicit_vr_little_endian" else "MR"
                series_description = rng.choice(SERIES_DESCRIPTIONS[modality])
                if pixel_set:
                    series_description = "AXIAL 512 " + series_description
                folder = os.path.join(study_folder, folder_safe(f"S{series_number:03d}_{series_description}"))
                values = {
                    "PatientName": f"{family}^{given}",
                    "PatientID": patient_id,
                    "PatientBirthDate": birth,
                    "PatientSex": sex,
                    "ReferringPhysicianName": referring,
                    "StudyInstanceUID": study_uid,
                    "StudyID": str(study_number),
                    "StudyDate": study_date,
                    "StudyTime": study_time,
                    "SeriesDate": study_date,
                    "ContentDate": study_date,
                    "AccessionNumber": accession,
                    "StudyDescription": study_description,
                    "SeriesInstanceUID": fresh_uid(rng),
                    "SeriesNumber": str(series_number),
                    "SeriesDescription": series_description,
                    "FrameOfReferenceUID": fresh_uid(rng),
                    "Modality": modality,
                }
                names, sop_uids = [], []
                for number in range(1, n_instances + 1):
                    sop_uids.append(fresh_uid(rng))
                    no_extension = rng.random() < args.no_extension_fraction
                    names.append(f"IM{number:06d}" + ("" if no_extension else ".dcm"))
                    counts["files_without_extension"] += no_extension
                plans.append(SeriesPlan(encoding, pixel_set, folder, values, sop_uids, names, rng.randrange(2**32)))
                counts["series"] += 1
                counts["files"] += n_instances
                counts["files_per_encoding"][encoding] += n_instances
                if pixel_set:
                    counts["pixel_set_files"] += n_instances

    series_sizes = [args.instances_per_series] * args.series_per_study
    for _ in range(args.patients):
        add_patient(args.studies_per_patient, series_sizes, pixel_set=False)
    # Pixel-set files: extra patients with one study of up to series-per-study series,
    # each of up to instances-per-series files.
    remaining = args.pixel_set
    while remaining > 0:
        sizes = []
        while remaining > 0 and len(sizes) < max(1, args.series_per_study):
            size = min(max(1, args.instances_per_series), remaining)
            sizes.append(size)
            remaining -= size
        add_patient(1, sizes, pixel_set=True)
    return plans, counts


def parse_args(argv: list) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="output folder (created; must be empty if it exists)")
    p.add_argument("--patients", type=int, required=True)
    p.add_argument("--studies-per-patient", type=int, required=True)
    p.add_argument("--series-per-study", type=int, required=True)
    p.add_argument("--instances-per-series", type=int, required=True)
    p.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same tree (default 1)")
    p.add_argument("--no-extension-fraction", type=float, default=0.5,
                   help="fraction of files written without an extension, 0..1 (default 0.5)")
    p.add_argument("--pixel-set", type=int, default=0,
                   help="number of extra files with 512x512 16-bit pixel data, ~512 KB each (default 0)")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="writer processes (default: min(2, cores)); output does not depend on it")
    args = p.parse_args(argv)
    for name in ("patients", "studies_per_patient", "series_per_study", "instances_per_series", "pixel_set"):
        if getattr(args, name) < 0:
            p.error(f"--{name.replace('_', '-')} must be >= 0")
    if not 0.0 <= args.no_extension_fraction <= 1.0:
        p.error("--no-extension-fraction must be between 0 and 1")
    if args.workers < 1:
        p.error("--workers must be >= 1")
    return args


def main(argv: list) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        print(f"make_corpus: {out} exists and is not empty; choose an empty or new folder", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    args.out = str(out)
    plans, counts = plan_corpus(args)
    if args.workers == 1:
        _init_worker()
        written = sum(write_series(plan) for plan in plans)
    else:
        with Pool(args.workers, initializer=_init_worker) as pool:
            written = sum(pool.imap_unordered(write_series, plans, chunksize=8))
    if written != counts["files"]:
        raise RuntimeError(f"wrote {written} files, planned {counts['files']}")
    manifest = {
        "generator": "benchmarks/corpus/make_corpus.py",
        "pydicom_version": pydicom.__version__,
        "parameters": {
            "patients": args.patients,
            "studies_per_patient": args.studies_per_patient,
            "series_per_study": args.series_per_study,
            "instances_per_series": args.instances_per_series,
            "seed": args.seed,
            "no_extension_fraction": args.no_extension_fraction,
            "pixel_set": args.pixel_set,
        },
        **counts,
        "files_with_extension": counts["files"] - counts["files_without_extension"],
        "templates": {e.key: e.template for e in ENCODINGS},
        "seconds": round(time.perf_counter() - started, 3),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps({k: manifest[k] for k in ("patients", "studies", "series", "files", "seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
