"""Find the report files of a build: a folder searched recursively, or a manifest CSV.

A manifest may state a report's agency, division code, year, publication date, publisher (one name
across years, e.g. for a renamed department) and the URL it was published at; those values win over what extraction finds (the researcher
knows better than a regex).

Image files are reports too, with two exceptions. The pictures of a saved web page belong to the page:
files in its ``NAME_files/`` folder and every local image a page in the folder shows are never
reports of their own. And the numbered page images of one report are one report: when every image
of a folder is named alike but for a page number running 1, 2, 3, … (``page1.png``, ``IMG_0001.jpg``,
``报告-2.jpg``), the folder is one report, its pages in number order.
"""
from __future__ import annotations

import csv
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from govreports.readers.base import IMAGE_SUFFIXES

REPORT_SUFFIXES = {".pdf", ".txt", ".html", ".htm", ".mht", ".mhtml", ".docx"} | set(IMAGE_SUFFIXES)
# Files with these suffixes are never reports (gold truth, notes, our own outputs): not sniffed.
NOT_REPORT_SUFFIXES = {
    ".json", ".md", ".csv", ".tsv", ".parquet", ".py", ".pyc", ".yaml", ".yml", ".toml", ".ipynb",
    ".gif", ".svg", ".css", ".js", ".zip", ".gz", ".xz", ".log", ".lock", ".tmp",
}
MANIFEST_FIELDS = ("agency", "division_code", "year", "published", "publisher", "url")
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
    return sorted(_group_pages(_without_page_pictures(found), root), key=lambda s: s.file)


_IMG_SRC = re.compile(rb"""<img\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)""", re.I)
_PAGE_NUMBER = re.compile(r"^(.*?)[\s_\-.]*(?:p|page|第)?\s*[(（]?(\d{1,4})[)）]?页?$", re.I)


def _without_page_pictures(found: list[Source]) -> list[Source]:
    """Drop the files that belong to a saved web page: its NAME_files/ folder and the images it shows."""
    pages = [s.path for s in found if s.path.suffix.lower() in (".html", ".htm")]
    owned = {p.resolve() for page in pages for p in _page_pictures(page)}
    folders = {page.parent / f"{page.stem}{tail}" for page in pages for tail in ("_files", ".files")}
    return [s for s in found if s.path.resolve() not in owned
            and not any(f in s.path.parents for f in folders)]


def _page_pictures(page: Path) -> list[Path]:
    """The local files a saved page shows: its NAME_files/ folder and every relative <img> src on disk."""
    try:
        head = page.read_bytes()[:5_000_000]
    except OSError:
        return []
    refs = (src.decode("utf-8", "replace").split("?")[0].split("#")[0] for src in _IMG_SRC.findall(head))
    found = {page.parent / unquote(r).lstrip("/") for r in refs if r and "://" not in r and not r.startswith("data:")}
    for tail in ("_files", ".files"):
        folder = page.parent / f"{page.stem}{tail}"
        if folder.is_dir():
            found.update(folder.iterdir())
    return sorted(p for p in found if p.is_file())


def shipped_files(path: Path) -> tuple[str, dict[str, bytes]]:
    """Everything a source needs on another machine (a Dask worker): the source's name and its files by
    path relative to the source's folder — the file itself, a folder's page images, a saved page's pictures."""
    if path.is_dir():
        return path.name, {f"{path.name}/{p.name}": p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    files = {path.name: path.read_bytes()}
    if path.suffix.lower() in (".html", ".htm"):
        files.update({p.relative_to(path.parent).as_posix(): p.read_bytes() for p in _page_pictures(path)
                      if path.parent in p.parents})   # a picture outside the page's folder stays behind
    return path.name, files


def _group_pages(found: list[Source], root: Path) -> list[Source]:
    """Replace the page images of a folder by the folder, when they are numbered pages of one report."""
    by_folder: dict[Path, list[Source]] = {}
    for s in found:
        if s.path.suffix.lower() in IMAGE_SUFFIXES:
            by_folder.setdefault(s.path.parent, []).append(s)
    out = [s for s in found if s.path.suffix.lower() not in IMAGE_SUFFIXES]
    for folder, images in by_folder.items():
        if len(images) >= 2 and _numbered_pages([s.path.stem for s in images]):
            name = folder.relative_to(root).as_posix() if folder != root else folder.name
            out.append(Source(path=folder, file=name + "/"))
        else:
            out += images
    return out


def _numbered_pages(stems: list[str]) -> bool:
    """True when the names differ only by a page number and the numbers run 1..n (or 0..n-1)."""
    parts = [_PAGE_NUMBER.match(s) for s in stems]
    if not all(parts) or len({p.group(1).lower() for p in parts}) != 1:  # type: ignore[union-attr]
        return False
    numbers = sorted(int(p.group(2)) for p in parts)  # type: ignore[union-attr]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1)


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
    """Read a manifest: a ``path`` column plus optional agency, division_code, year, published, publisher, url."""
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
            if not p.is_file() and not (p.is_dir() and any(c.suffix.lower() in IMAGE_SUFFIXES for c in p.iterdir())):
                raise ManifestError(f"{csv_path}, line {line}: {row['path']} is not a file (nor a folder of page images)")
            out.append(Source(path=p, file=row["path"], overrides=overrides_of(row, csv_path, line)))
    return sorted(out, key=lambda s: s.file)


def overrides_of(row: dict[str, str], csv_path: Path, line: int) -> dict[str, Any]:
    """The manifest fields a row states (agency, division code, year, …), checked; ManifestError names the line."""
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
