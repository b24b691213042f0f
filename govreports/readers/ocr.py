"""Read scanned, image-only PDFs: find ruled tables on the page images and OCR each cell on its own.

Pages are rendered with pypdfium2, table grids come from the ruling lines (``grid.find_grids``), and
every cell is recognised by rapidocr-onnxruntime in recognition-only mode (``cellocr``; the PP-OCR
models ship in the wheel, nothing is downloaded). The running text (title, narrative) is read with
text detection + recognition on each page with its tables blanked out, at a lower resolution.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from .base import NoTablesError, RawDocument, RawTable, ReaderError
from .cellocr import METHOD, read_grid, recognise
from .grid import Grid, deskew, find_grids, rules_mask
from .orientation import upright
from .pdfguard import check_render
from .tablelines import TableImage
from .util import MIN_TEXT_CHARS, sha256_of, text_chars

__all__ = ["METHOD", "image_only_pages", "page_has_text", "read_ocr_pdf"]

SCALE = 2.5                 # render pixels per PDF point (180 dpi): small digits stay legible
TEXT_SCALE = 1.5            # running text reads well at 108 dpi ...
TEXT_DET_SIDE = 640         # ... and its lines are found with the page's short side at 640 px (80 dpi on A4),
                            # whatever the image's resolution (RapidOCR's default 736 costs 1.3× more)
TEXT_SQUEEZE = 0.7          # running-text lines are recognised 0.7 × as wide (see cellocr.recognise)


def page_has_text(page: pdfium.PdfPage, min_chars: int = MIN_TEXT_CHARS) -> bool:
    """True when the page has a usable text layer (at least ``min_chars`` non-blank characters)."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    return text_chars(text) >= min_chars


def image_only_pages(path: str | Path) -> list[int]:
    """1-based numbers of the pages without a text layer (scanned / 图片版 pages)."""
    pdf = _open(Path(path))
    try:
        return [i + 1 for i in range(len(pdf)) if not page_has_text(pdf[i])]
    finally:
        pdf.close()


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as err:
        raise ReaderError(f"{path}: cannot open as PDF ({err})") from err


@lru_cache(maxsize=4)
def engine(threads: int | None = None):
    """The shared RapidOCR instance for a thread cap (None: $GOVREPORTS_OCR_THREADS, else all cores)."""
    from rapidocr_onnxruntime import RapidOCR

    if threads is None and os.environ.get("GOVREPORTS_OCR_THREADS"):
        threads = int(os.environ["GOVREPORTS_OCR_THREADS"])
    n = -1 if threads is None else threads
    return RapidOCR(intra_op_num_threads=n, inter_op_num_threads=n, det_limit_side_len=TEXT_DET_SIDE)


def page_text(gray: np.ndarray, grids: list[Grid], ocr) -> str:
    """Running text of a page outside its tables, one detected line per text line, top to bottom."""
    img = gray.copy()
    for g in grids:
        x0, y0, x1, y1 = g.bbox
        img[max(0, y0 - 3):y1 + 4, max(0, x0 - 3):x1 + 4] = 255
    small = cv2.resize(img, None, fx=TEXT_SCALE / SCALE, fy=TEXT_SCALE / SCALE, interpolation=cv2.INTER_AREA)
    h, w = img.shape
    r = TEXT_DET_SIDE / min(h, w)
    size = (max(32, round(w * r / 32) * 32), max(32, round(h * r / 32) * 32))  # the detector's multiples of 32
    det = cv2.resize(img, size, interpolation=cv2.INTER_AREA if r < 1 else cv2.INTER_LINEAR)
    boxes, _ = ocr.text_det(cv2.cvtColor(det, cv2.COLOR_GRAY2BGR))
    if boxes is None or len(boxes) == 0:
        return ""
    # Boxes come in the detection image's pixels; the lines are cut from the sharper TEXT_SCALE image.
    to_small = np.float32([small.shape[1] / det.shape[1], small.shape[0] / det.shape[0]])
    boxes = [(b * to_small).astype(np.float32) for b in ocr.sorted_boxes(boxes)]
    crops = ocr.get_crop_img_list(small, boxes)
    reads = recognise(ocr, crops, pad=0.0, squeeze=TEXT_SQUEEZE, batch_width=0)
    return "\n".join(t for t, s in reads if t and s >= 0.5)


def read_ocr_pdf(path: str | Path, pages: list[int] | None = None, text: bool = True,
                 threads: int | None = None) -> RawDocument:
    """OCR an image-only PDF into raw grids (kind 'ocr-pdf'), one RawTable per ruled table per page.

    Crooked pages are straightened first (meta['ocr_deskewed']: page -> degrees).
    ``pages`` are 1-based page numbers (default: all). Cells hold recognised text, None where a
    merged cell covers the position, '' where printed empty; ``confidence`` holds the recogniser's
    score per cell (lowered for look-alike digits and disagreeing re-reads). ``text=False`` skips
    the running-text OCR. ``threads`` caps onnxruntime's threads.
    Raises NoTablesError when no page has a ruled table grid.
    """
    path = Path(path)
    pdf = _open(path)
    try:
        count = len(pdf)
        wanted = pages or list(range(1, count + 1))
        bad = [p for p in wanted if not 1 <= p <= count]
        if bad:
            raise ReaderError(f"{path}: no page(s) {bad} (the file has {count})")
        check_render(path, wanted, SCALE, path)
        # First pass, cheap (~0.2 s a page): straighten, find grids; stop before any OCR if none.
        scans = {p: _scan_page(pdf, p) for p in wanted}
    finally:
        pdf.close()
    if not any(grids for _, grids, _ in scans.values()):
        raise NoTablesError(f"{path}: scanned page(s) with no table grid found (pages {_ranges(wanted)})")
    tables, texts, warnings = ocr_pages(scans, threads, text)
    skew = {p: round(angle, 2) for p, (_, _, angle) in scans.items() if angle}
    return RawDocument(
        path=str(path), kind="ocr-pdf", sha256=sha256_of(path), pages=count,
        tables=tables, text="\n".join(texts), warnings=warnings,
        # each page's running text, so a compilation of scanned reports is split by page (segments.py)
        page_texts=texts if text and wanted == list(range(1, count + 1)) else [],
        meta={"ocr_pages": wanted, "ocr_text": text, "ocr_deskewed": skew},
    )


def ocr_pages(scans: dict[int, tuple[np.ndarray, list[Grid], float]], threads: int | None = None,
              text: bool = True) -> tuple[list[RawTable], list[str], list[str]]:
    """OCR the grids (and, with ``text``, the running text) of scanned pages at SCALE: (tables, texts, warnings).

    ``scans`` maps a page number to its straightened image, its grids and the skew corrected.
    """
    ocr = engine(threads)
    tables: list[RawTable] = []
    texts: list[str] = []
    warnings: list[str] = []
    for p, (gray, grids, _) in scans.items():
        if grids:
            gray, (grids, found, warn), degrees = upright(gray, lambda g: _read_grids(g, find_grids(g, SCALE), p, ocr),
                                                          _read_grids(gray, grids, p, ocr))
            if degrees:
                warn = [f"page {p} is turned: its tables read {degrees}° counter-clockwise"] + warn
            tables += found
            warnings += warn
        if text:
            texts.append(page_text(gray, grids, ocr))
    return tables, texts, warnings


def _read_grids(gray: np.ndarray, grids: list[Grid], page: int, ocr) -> tuple[list[Grid], list[RawTable], list[str]]:
    """OCR every grid of one page image: (grids, tables, warnings)."""
    rules = rules_mask(gray, SCALE)
    tables, warnings = [], []
    for g in grids:
        table, warn = read_grid(gray, rules, g, page, ocr)
        table.image = TableImage.around(gray, rules, g, ocr)
        tables.append(table)
        warnings.extend(warn)
    return grids, tables, warnings


def _scan_page(pdf: pdfium.PdfDocument, page: int) -> tuple[np.ndarray, list[Grid], float]:
    """Render one page, straighten it, and find its ruled tables: (image, grids, skew corrected)."""
    gray = np.asarray(pdf[page - 1].render(scale=SCALE, grayscale=True).to_pil().convert("L"))
    gray, angle = deskew(gray, SCALE)
    return gray, find_grids(gray, SCALE), angle


def _ranges(pages: list[int]) -> str:
    """'1-3, 5' for [1, 2, 3, 5]."""
    out: list[list[int]] = []
    for p in pages:
        if out and out[-1][1] == p - 1:
            out[-1][1] = p
        else:
            out.append([p, p])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)
