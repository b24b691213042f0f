"""Pick a reader from the file's content (magic bytes, then extension) and return its raw grids."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable

from .base import NoTablesError, RawDocument, RawTable, ReaderError

__all__ = ["read_raw", "sniff", "RawDocument", "RawTable", "ReaderError", "NoTablesError"]


def sniff(path: Path) -> str:
    """The input kind of a file from its first bytes: pdf, html, docx, image, text; or raise ReaderError.

    A folder holding page images is one report of kind image (its pages in natural name order).
    """
    if not path.exists():
        raise ReaderError(f"{path}: no such file")
    if path.is_dir():
        from .image import image_files
        if image_files(path):
            return "image"
        raise ReaderError(f"{path}: is a folder, not a report file (nor a folder of page images)")
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        raise ReaderError(f"{path}: empty file")
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            raise ReaderError(f"{path}: damaged ZIP/Office file") from None
        raise ReaderError(f"{path}: unsupported file type (a ZIP archive that is not a .docx)")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):   # UTF-16 with a byte-order mark: sniff the decoded text
        head = head.decode("utf-16", "ignore").encode("utf-8")
    low = head.lower()
    if b"multipart/related" in low:  # a page saved as .mht (MIME)
        return "html"
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low or b"<body" in low:
        return "html"
    if head[:8] in (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",):
        raise ReaderError(f"{path}: legacy .doc/.xls file is not supported; save it as .docx or PDF")
    from .image import is_image
    if is_image(head):
        return "image"
    if b"\x00" in head:
        raise ReaderError(f"{path}: unsupported binary file type")
    return "text"


def _reader(kind: str) -> Callable[[Path], RawDocument]:
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf
    if kind == "html":
        from .html import read_html
        return read_html
    if kind == "image":
        from .image import read_image
        return read_image
    if kind == "docx":
        from .docx import read_docx
        return read_docx
    from .plaintext import read_text
    return read_text


def read_raw(path: str | Path) -> RawDocument:
    """Read any supported report file into raw grids (raises ReaderError with a one-line reason)."""
    p = Path(path)
    return _reader(sniff(p))(p)
