"""Find the report files of a build: a folder searched recursively, or a manifest CSV.

A manifest may state a report's agency, division code, year, publication date and publisher (one name
across years, e.g. for a renamed department); those values win over what extraction finds (the researcher
knows better than a regex).
"""
from __future__ import annotations

import csv
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPORT_SUFFIXES = {".pdf", ".txt", ".html", ".htm", ".docx"}
# Files with these suffixes are never reports (gold truth, notes, our own outputs): not sniffed.
NOT_REPORT_SUFFIXES = {
    ".json", ".md", ".csv", ".tsv", ".parquet", ".py", ".pyc", ".yaml", ".yml", ".toml", ".ipynb",
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".css", ".js", ".zip", ".gz", ".xz", ".log", ".lock", ".tmp",
}
MANIFEST_FIELDS = ("agency", "division_code", "year", "published", "publisher")
_SNIFF_BYTES = 4096


class ManifestError(ValueError):
    """A manifest CSV that cannot be used; the message names the file, line and problem."""


@dataclass(frozen=True)
class Source:
    """One input file: its absolute path, the name shown in the dataset, and manifest overrides."""

    path: Path
    file: str
    overrides: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # Where an archived file came from (url, page_url, fetched_at, published, version, latest); see corpus/archive.py.
    provenance: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def discover(source: Path, exclude: Path | None = None) -> list[Source]:
    """List the report files of ``source`` (folder or manifest CSV), sorted by their dataset name.

    ``exclude`` is a folder never searched (the build's own output folder when it sits inside SOURCE).
    """
    source = Path(source)
    from govreports.corpus.archive import is_archive, read_archive

    if source.is_dir() and is_archive(source):
        return read_archive(source)
    if source.is_dir():
        return _scan_folder(source, exclude)
    if source.is_file() and source.suffix.lower() == ".csv":
        return read_manifest(source)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such folder or manifest")
    raise ManifestError(f"{source}: SOURCE must be a folder or a manifest .csv file")


def _scan_folder(root: Path, exclude: Path | None) -> list[Source]:
    root = root.resolve()
    skip = exclude.resolve() if exclude is not None else None
    found: list[Source] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=True):
                    sub = Path(entry.path)
                    if skip is None or sub.resolve() != skip:
                        stack.append(sub)
                elif entry.is_file(follow_symlinks=True) and _is_candidate(entry.name, Path(entry.path)):
                    p = Path(entry.path)
                    found.append(Source(path=p, file=p.relative_to(root).as_posix()))
    return sorted(found, key=lambda s: s.file)


def _is_candidate(name: str, path: Path) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in REPORT_SUFFIXES:
        return True
    if suffix in NOT_REPORT_SUFFIXES:
        return False
    return sniff(path) is not None


def sniff(path: Path) -> str | None:
    """Guess the kind of a file with an unexpected suffix from its first bytes (None: not a report)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                return "docx" if "word/document.xml" in z.namelist() else None
        except (zipfile.BadZipFile, OSError):
            return None
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low:
        return "html"
    for enc in ("utf-8", "gb18030"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        return "text" if "政府信息公开" in text and "年度报告" in text else None
    return None


def read_manifest(csv_path: Path) -> list[Source]:
    """Read a manifest: a ``path`` column plus optional agency, division_code, year, published, publisher."""
    base = csv_path.resolve().parent
    out: list[Source] = []
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or "path" not in [f.strip() for f in reader.fieldnames]:
            raise ManifestError(f"{csv_path}: a manifest needs a 'path' column (found {reader.fieldnames})")
        for line, row in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            if not row.get("path"):
                raise ManifestError(f"{csv_path}, line {line}: empty path")
            p = Path(row["path"])
            p = p if p.is_absolute() else base / p
            if not p.is_file():
                raise ManifestError(f"{csv_path}, line {line}: {row['path']} is not a file")
            out.append(Source(path=p, file=row["path"], overrides=_overrides(row, csv_path, line)))
    return sorted(out, key=lambda s: s.file)


def _overrides(row: dict[str, str], csv_path: Path, line: int) -> dict[str, Any]:
    o: dict[str, Any] = {}
    for key in MANIFEST_FIELDS:
        value = row.get(key, "")
        if not value:
            continue
        if key == "year":
            if not value.isdigit():
                raise ManifestError(f"{csv_path}, line {line}: year {value!r} is not a year")
            o[key] = int(value)
        elif key == "division_code":
            if not (value.isdigit() and len(value) == 6):
                raise ManifestError(f"{csv_path}, line {line}: division_code {value!r} is not 6 digits")
            o[key] = value
        else:
            o[key] = value
    return o
