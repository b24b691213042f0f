"""The plain folder tree of an archive: one file per fetched version, ``files/HOST/PATH`` (versions side by side)."""
from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from govreports.fetch.discovery import PAGE_EXT

_UNSAFE = re.compile(r'[<>:"|?*\\\x00-\x1f]')
_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf", "text/plain": ".txt",
          "application/msword": ".doc",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
          "application/vnd.ms-excel": ".xls",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx"}


def _ext_for(content_type: str | None) -> str:
    mime = (content_type or "").split(";")[0].strip().lower()
    return _TYPES.get(mime) or mimetypes.guess_extension(mime) or ""


def relative_path(url: str, content_type: str | None, version: int, salt: str = "") -> str:
    """Where version ``version`` of ``url`` is stored, relative to the archive (e.g. files/host/a/b.v2.pdf).

    ``salt`` is added to the name when another URL (http and https of one page) already took the plain one.
    """
    p = urlsplit(url)
    host = _UNSAFE.sub("_", p.netloc.lower())
    parts = [_UNSAFE.sub("_", s) for s in unquote(p.path).split("/") if s not in ("", ".", "..")]
    if not parts or p.path.endswith("/"):
        parts.append("index")
    name = PurePosixPath(parts[-1])
    stem, ext = (name.stem, name.suffix.lower()) if name.suffix else (name.name, "")
    if p.query:
        stem += "_" + hashlib.sha1(p.query.encode()).hexdigest()[:10]
    typed = _ext_for(content_type)
    if typed == ".html" and ext in PAGE_EXT:
        ext = ".html"            # .shtml, .jsp, … pages are stored as .html so readers know them
    elif not ext:
        ext = typed or ".bin"
    if version > 1:
        stem += f".v{version}"
    if salt:
        stem += f"_{salt}"
    parts[-1] = stem + ext
    return "/".join(["files", host, *parts])


def write_file(root: Path, rel: str, body: bytes) -> None:
    """Write a fetched body under the archive (temporary name, then rename: never half a file)."""
    path = Path(root) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
