"""What the reviewer sees of a doubtful cell: a crop of its page image around the cell (OCR'd cells,
from their ``bbox``), the whole page (a text-layer PDF, whose cells keep no position), and always the
table row as printed in the dataset (web pages, .docx and text files have no page image)."""
from __future__ import annotations

import html
import io
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from govreports.corpus.dataset import Dataset
from govreports.readers.base import ReaderError
from govreports.readers.pageimage import ocr_page_image, pdf_page_image
from govreports.corpus.corrections import MISSING
from govreports.review.doubtful import Doubt

OCR_KINDS = ("image", "pdf", "ocr-pdf")
ROWS_AROUND = 1.5       # cell heights shown above and below the cell
PAGE_WIDTH = 900        # pixels a whole page is shrunk to when the cell's position is unknown
HIGHLIGHT = (220, 30, 30)
CROP_QUALITY = 85       # JPEG quality of the crops: digits stay sharp, hundreds of crops stay a few MB
HIT = ' class="hit"'


def source_files(ds: Dataset, source: Path | None = None) -> dict[str, Path]:
    """The file each report was read from, by report_id: ``source``/file when given, else the file the
    dataset's build hashed to the report's sha256 (its cache remembers the paths)."""
    known: dict[str, Path] = {}
    if source is None:
        try:
            entries = json.loads((ds.path / ".cache" / "files.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        known = {sha: Path(p) for p, (_, _, sha) in entries.items()}
    out = {}
    for r in ds.reports.itertuples(index=False):
        path = source / r.file if source is not None else known.get(r.sha256)
        if path is not None and path.exists():
            out[r.report_id] = path
    return out


@lru_cache(maxsize=8)
def _page(path: Path, kind: str, page: int, ocr: bool) -> np.ndarray:
    return ocr_page_image(path, kind, page) if ocr else pdf_page_image(path, page)


def crop(d: Doubt, path: Path | None, kind: str | None) -> tuple[bytes | None, str]:
    """JPEG bytes of what the page shows around the cell, and a caption; (None, why) when there is none."""
    if path is None:
        return None, "source file not found (give --source)"
    if d.page is None or kind not in OCR_KINDS:
        return None, "no page image (web page, .docx or text): the table row below is what the file prints"
    try:
        if d.bbox is not None:
            return _around(_page(path, kind, d.page, True), d.bbox), f"page {d.page}, around the cell"
        why = ("the cell was not read: its table's page" if d.status == MISSING else
               "a text-layer PDF keeps no cell position" if kind == "pdf" else "the cell's position was not kept")
        return _whole(_page(path, kind, d.page, kind != "pdf")), f"page {d.page} ({why})"
    except (OSError, ReaderError) as e:
        return None, f"page {d.page} could not be rendered: {e}"


def _around(gray: np.ndarray, box: tuple[int, int, int, int]) -> bytes:
    """The page's full width over the cell's row and the rows either side, the cell boxed in red."""
    x0, y0, x1, y1 = box
    h = max(y1 - y0, 1)
    top, bottom = max(0, int(y0 - ROWS_AROUND * h)), min(gray.shape[0], int(y1 + ROWS_AROUND * h))
    img = Image.fromarray(gray[top:bottom]).convert("RGB")
    ImageDraw.Draw(img).rectangle([x0 - 2, y0 - top - 2, x1 + 2, y1 - top + 2], outline=HIGHLIGHT, width=3)
    return _jpeg(img)


def _whole(gray: np.ndarray) -> bytes:
    img = Image.fromarray(gray)
    if img.width > PAGE_WIDTH:
        img = img.resize((PAGE_WIDTH, round(img.height * PAGE_WIDTH / img.width)), Image.LANCZOS)
    return _jpeg(img)


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=CROP_QUALITY)
    return buf.getvalue()


def row_html(ds_cells_of_report: dict[str, tuple[str, str]], d: Doubt) -> str:
    """The cell's table row as printed (label, then every column's text), the doubtful cell marked."""
    row = d.cell.split("#")[0]
    mine = [(code, raw, label) for code, (raw, label) in ds_cells_of_report.items() if code.split("#")[0] == row]
    heads = "".join(f"<th>{html.escape(label.split(' / ')[-1])}</th>" for _, _, label in mine)
    cells = "".join(f"<td{HIT if code == d.cell else ''}>{html.escape(raw or '')}</td>" for code, raw, _ in mine)
    name = html.escape(d.label.split(" / ")[0])
    return f"<table class='row'><tr><th></th>{heads}</tr><tr><th>{name}</th>{cells}</tr></table>"
