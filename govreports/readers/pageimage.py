"""Page images for people to look at: the page as the OCR read it (the frame of a cell's ``bbox``), or a
PDF page rendered plainly. Used by the review page; nothing here recognises text."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .base import ReaderError
from .image import image_files, load_pages, scan_page
from .ocr import SCALE, _open, _scan_page
from .pdfguard import check_render


def ocr_page_image(path: str | Path, kind: str, page: int) -> np.ndarray:
    """Page ``page`` (1-based) of a report straightened at the OCR scale, exactly as the recogniser saw
    it: cell boxes (``bbox``) are pixels of this image. ``kind``: the reader's kind (image, pdf, ocr-pdf)."""
    path = Path(path)
    if kind == "image":
        files = image_files(path) if path.is_dir() else [path]
        frames = [f for p in files for f in load_pages(p.read_bytes(), str(p))]
        if not 1 <= page <= len(frames):
            raise ReaderError(f"{path}: no page {page} (it has {len(frames)})")
        return scan_page(frames[page - 1])[0]
    pdf = _open(path)
    try:
        if not 1 <= page <= len(pdf):
            raise ReaderError(f"{path}: no page {page} (it has {len(pdf)})")
        check_render(path, [page], SCALE, path)
        return _scan_page(pdf, page)[0]
    finally:
        pdf.close()


def pdf_page_image(path: str | Path, page: int, scale: float = 1.5) -> np.ndarray:
    """Page ``page`` (1-based) of a PDF rendered in grey at ``scale`` pixels per point (108 dpi)."""
    path = Path(path)
    pdf = _open(path)
    try:
        if not 1 <= page <= len(pdf):
            raise ReaderError(f"{path}: no page {page} (it has {len(pdf)})")
        check_render(path, [page], scale, path)
        return np.asarray(pdf[page - 1].render(scale=scale, grayscale=True).to_pil().convert("L"))
    finally:
        pdf.close()
