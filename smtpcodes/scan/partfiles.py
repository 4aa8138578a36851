"""--output-dir: every partition's records in a file of their own, DIR/part-00000.jsonl (or .csv).

Read in the order of their numbers, the files hold exactly what the scan prints without --output-dir
(each CSV file starts with the header, so that each also reads alone: Spark, Dask and pandas read the
folder as one table). The workers write them, so the folder is one they can all reach: a local path
for --jobs and a cluster on this machine, a shared file system or an fsspec URL (s3://bucket/replies)
for a cluster of several.
"""

from __future__ import annotations

import os
import re

from smtpcodes.errors import BadInput, SmtpcodesError
from smtpcodes.scan.inputs import os_reason

SUFFIXES = {"json": "jsonl", "detail": "jsonl", "csv": "csv"}
_PART = re.compile(r"part-\d{5,}\.(?:jsonl|csv)")


def part_path(folder: str, index: int, mode: str) -> str:
    return f"{folder.rstrip('/')}/part-{index:05d}.{SUFFIXES[mode]}"


def prepare(folder: str, overwrite: bool = False) -> str:
    """The folder, made when missing, named as the workers are to name it; refused when it holds anything,
    unless `overwrite`, which removes the part files of an earlier scan (and leaves anything else)."""
    remote = "://" in folder
    where = folder if remote else os.path.abspath(folder)
    try:
        if remote:
            import fsspec

            fs, path = fsspec.core.url_to_fs(folder)
            fs.makedirs(path, exist_ok=True)
            entries = [entry.rstrip("/").rsplit("/", 1)[-1] for entry in fs.ls(path, detail=False)]
        else:
            os.makedirs(where, exist_ok=True)
            entries = os.listdir(where)
        if entries and not overwrite:
            raise BadInput("output_dir_not_empty", path=folder)
        for entry in entries:
            if _PART.fullmatch(entry):
                if remote:
                    fs.rm(f"{path.rstrip('/')}/{entry}")
                else:
                    os.remove(os.path.join(where, entry))
    except (OSError, ValueError) as exc:
        raise BadInput("output_dir_failed", path=folder, reason=os_reason(exc)) from None
    return where


def write_part(folder: str, index: int, mode: str, text: str) -> None:
    """Partition `index`'s records (text in `mode`'s format) as its file in `folder`."""
    path = part_path(folder, index, mode)
    if mode == "csv":
        from smtpcodes.output.scanformats import csv_header

        text = csv_header() + text
    try:
        if "://" in folder:
            import fsspec

            with fsspec.open(path, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.write(text)
    except (OSError, ValueError) as exc:
        raise SmtpcodesError("output_dir_failed", path=path, reason=os_reason(exc)) from None
