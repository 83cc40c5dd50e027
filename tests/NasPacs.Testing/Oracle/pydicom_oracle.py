#!/usr/bin/python3
"""Expected header values from pydicom, for NasPacs's differential tests.

Usage: pydicom_oracle.py KEYWORD[,KEYWORD...] FILE...
Prints one JSON object per file, one per line:
  path, status ("ok" | "rejected"), forced (read only with force=True, i.e. no DICM),
  error, transfer_syntax, pixel_data_offset (offset of the (7FE0,0010) tag, not for deflate),
  tags: {keyword: [str, ...]} (empty list = present without value), tag_errors: {keyword: message}.
Values are str() of what pydicom decodes; nothing here is typed in by hand.
"""
import json
import sys
import warnings

import pydicom
from pydicom.errors import InvalidDicomError
from pydicom.multival import MultiValue

DEFLATED = "1.2.840.10008.1.2.1.99"


def as_strings(value):
    if value is None or value == "":
        return []
    if isinstance(value, (MultiValue, list, tuple)):
        return ["" if v is None else str(v) for v in value]
    if isinstance(value, bytes):
        return [value.decode("latin-1")]
    return [str(value)]


def tag_offset(path, value_tell):
    """Where the (7FE0,0010) tag starts: 12 bytes before the value in explicit VR, 8 in implicit VR. Decided from
    the bytes, because some files encode the dataset differently from their transfer syntax (pydicom follows the bytes)."""
    with open(path, "rb") as f:
        data = f.read(value_tell)
    for header_length in (12, 8):
        start = value_tell - header_length
        if start >= 0 and data[start:start + 4] in (b"\xe0\x7f\x10\x00", b"\x7f\xe0\x00\x10"):
            return start
    return None


def read(path):
    try:
        return pydicom.dcmread(path, force=False), False
    except InvalidDicomError:
        pass
    return pydicom.dcmread(path, force=True), True


def describe(path, keywords):
    result = {"path": path, "status": "ok", "forced": False, "error": None, "transfer_syntax": None,
              "pixel_data_offset": None, "tags": {}, "tag_errors": {}}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds, forced = read(path)
            result["forced"] = forced
            if len(ds) == 0 and len(getattr(ds, "file_meta", {}) or {}) == 0:
                raise InvalidDicomError("no elements")
            meta = getattr(ds, "file_meta", None)
            ts = meta.get("TransferSyntaxUID") if meta is not None else None
            if ts is None:
                # pydicom's detection for a dataset without a meta group.
                ts = {(True, True): "1.2.840.10008.1.2", (False, True): "1.2.840.10008.1.2.1",
                      (False, False): "1.2.840.10008.1.2.2"}.get((ds.is_implicit_VR, ds.is_little_endian))
            result["transfer_syntax"] = str(ts) if ts is not None else None
            for keyword in keywords:
                if keyword == "TransferSyntaxUID":
                    continue
                try:
                    if keyword in ds:
                        result["tags"][keyword] = as_strings(ds[keyword].value)
                    elif meta is not None and keyword in meta:
                        result["tags"][keyword] = as_strings(meta[keyword].value)
                except Exception as error:  # noqa: BLE001 - reported per tag
                    result["tag_errors"][keyword] = f"{type(error).__name__}: {error}"
            raw = ds.get_item(0x7FE00010)
            if raw is not None and ts != DEFLATED and getattr(raw, "value_tell", None) is not None:
                result["pixel_data_offset"] = tag_offset(path, raw.value_tell)
    except Exception as error:  # noqa: BLE001 - a rejected file is a result
        result["status"] = "rejected"
        result["error"] = f"{type(error).__name__}: {error}"
        result["tags"] = {}
    return result


def main():
    keywords = sys.argv[1].split(",")
    for path in sys.argv[2:]:
        print(json.dumps(describe(path, keywords), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
