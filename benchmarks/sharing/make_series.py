#!/usr/bin/python3
"""Writes one DICOM series of about SIZE_MB into FOLDER: COUNT files of equal size with random pixel data.

Usage: make_series.py FOLDER SIZE_MB [COUNT]
"""
import os
import sys

from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

folder, size_mb = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 400
per_file = size_mb * 1024 * 1024 // count
os.makedirs(folder, exist_ok=True)
study, series = generate_uid(), generate_uid()
for i in range(1, count + 1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName, ds.PatientID = "BENCH^SHARE", "NP-BENCH-001"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
    ds.StudyDate, ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "20261128", "CT", 1, i
    ds.SeriesDescription = "SHARE BENCH 2GB"
    ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit = 1024, per_file // 2048, 16, 16, 15
    ds.SamplesPerPixel, ds.PixelRepresentation, ds.PhotometricInterpretation = 1, 0, "MONOCHROME2"
    ds.PixelData = os.urandom(ds.Rows * ds.Columns * 2)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(os.path.join(folder, f"IM{i:05d}.dcm"), write_like_original=False)
print(f"{count} files in {folder}")
