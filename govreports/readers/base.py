"""The raw-grid types every reader returns. Readers know nothing of codes; mapping knows no file formats."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from govreports.errors import ReaderError


class NoTablesError(ReaderError):
    """The file was read but holds no OGI report tables."""


# A grid cell is its text, or None where the position is covered by a merged cell that starts
# to the left or above (so a blank printed cell, "", differs from a span).
Cell = "str | None"


# Image files a report may be published as (screenshots, scans, photos): read by OCR.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")

@dataclass
class RawTable:
    """One table as a rectangular grid of cell texts, with where it came from.

    ``rows[i][j]`` is the text of a cell ('' when printed empty) or None when the position is covered
    by a merged cell. ``confidence`` (OCR only) has the same shape, 0–1 per cell, None where unknown.
    """

    rows: list[list[str | None]]
    page: int | None = None
    method: str = ""
    confidence: list[list[float | None]] | None = None
    row_pages: list[int | None] | None = None  # per-row page, when a grid was stitched across pages
    line: int | None = None  # text lines of the document before the table (HTML, docx): where it stands
    # OCR only: other texts the recogniser gave a cell, {(row, col): [text, ...]}; and a function
    # that reads cells again in other ways, [(row, col)] -> one [(text, score), ...] list per cell.
    alternatives: dict[tuple[int, int], list[str]] | None = None
    reread: Callable[[list[tuple[int, int]]], list[list[tuple[str, float]]]] | None = field(default=None, repr=False)
    # OCR only: each cell's box (x0, y0, x1, y1) in pixels of the page image the recogniser read (the
    # page straightened at the OCR scale), {(row, col): box}; the review page crops around it.
    boxes: dict[tuple[int, int], tuple[int, int, int, int]] | None = field(default=None, repr=False)
    # OCR only: the page image around the grid (readers.tablelines.TableImage), to find a row the grid
    # missed from the table's text lines (rowrescue).
    image: Any = field(default=None, repr=False)

    def page_of(self, i: int) -> int | None:
        if self.row_pages is not None and i < len(self.row_pages):
            return self.row_pages[i]
        return self.page


@dataclass
class RawDocument:
    """What a reader extracted from one file: tables in reading order, plain text, metadata."""

    path: str
    kind: str                      # pdf | text | html | docx | ocr-pdf
    sha256: str
    pages: int | None
    tables: list[RawTable]
    text: str = ""                 # the report's running text (title, narrative), for metadata and narrative checks
    meta: dict[str, Any] = field(default_factory=dict)   # title, published (ISO date), producer, …
    warnings: list[str] = field(default_factory=list)
    content: bytes | None = field(default=None, repr=False)  # decrypted bytes when the file itself is encrypted
    # (source, text) pairs that may name the publisher and year besides the text (meta tags, page title)
    names: list[tuple[str, str]] = field(default_factory=list)
    page_texts: list[str] = field(default_factory=list, repr=False)  # text of each page (PDF), to find report boundaries
    segment: dict[str, Any] = field(default_factory=dict)  # part, parts, page_range: one report of a compilation
