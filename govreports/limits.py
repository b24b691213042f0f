"""Resource limits on what a reader may decompress or decode, in one place (README, "Bad input").

Every limit is a named constant, overridable by an environment variable of the same name (sizes in
MB, pixels in megapixels). A file that exceeds one is rejected with :class:`TooLargeError`, whose
message reads ``FILE: too large to read safely (what, how big, the limit and its variable)``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from govreports.errors import ReaderError

MB = 1 << 20


def _env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


# A saved web page or plain-text report: real ones are well under 5 MB (an .mht with pictures, ~20 MB).
GOVREPORTS_MAX_PAGE_MB = _env("GOVREPORTS_MAX_PAGE_MB", 64)
# Tags ('<') in a page's HTML once decoded: a report page has a few thousand; parsing and walking
# 2 million took 61 s and 1.1 GB.
GOVREPORTS_MAX_PAGE_TAGS = int(_env("GOVREPORTS_MAX_PAGE_TAGS", 500_000))
# One XML part of a .docx unpacked (word/document.xml of a long report is a few MB; parsing takes ~25×).
GOVREPORTS_MAX_DOCX_XML_MB = _env("GOVREPORTS_MAX_DOCX_XML_MB", 16)
# All parts of a .docx unpacked together (pictures included).
GOVREPORTS_MAX_DOCX_MB = _env("GOVREPORTS_MAX_DOCX_MB", 512)
# Parts in one .docx (a long report has a few dozen).
GOVREPORTS_MAX_DOCX_PARTS = int(_env("GOVREPORTS_MAX_DOCX_PARTS", 5000))
# One PDF stream decoded (a page's content, a font); a page's content is a few MB at most.
GOVREPORTS_MAX_PDF_STREAM_MB = _env("GOVREPORTS_MAX_PDF_STREAM_MB", 128)
# All non-image PDF streams of one file decoded together.
GOVREPORTS_MAX_PDF_DECODED_MB = _env("GOVREPORTS_MAX_PDF_DECODED_MB", 1024)
# Codes the bfrange/cidrange entries of one CMap map (a full 2-byte range is 65,536; the layout libraries
# expand a range entry by entry, so <00000000> <FFFFFFFF> costs gigabytes).
GOVREPORTS_MAX_CMAP_CODES = int(_env("GOVREPORTS_MAX_CMAP_CODES", 1 << 20))
# Pages of one PDF (a long compilation of a city's departments has a few hundred); each page's text is
# read, so 100,000 empty pages took minutes.
GOVREPORTS_MAX_PDF_PAGES = int(_env("GOVREPORTS_MAX_PDF_PAGES", 2000))
# Objects (text runs, paths, images, forms) one PDF page draws: the densest real page seen has 2,112; the
# table finders lay every object out, and a page of a million text runs took them minutes.
GOVREPORTS_MAX_PAGE_OBJECTS = int(_env("GOVREPORTS_MAX_PAGE_OBJECTS", 50_000))
# Pixels of one image, in a file or embedded in a PDF (an A4 scan at 600 dpi is 35 megapixels).
GOVREPORTS_MAX_MEGAPIXELS = _env("GOVREPORTS_MAX_MEGAPIXELS", 100)
# Pixels of all the pages of one report given as images (every frame of a TIFF, every file of a folder):
# each page is held decoded, one byte a pixel, until it is read (300 scanned A4 pages at 300 dpi are 2,600).
GOVREPORTS_MAX_TOTAL_MEGAPIXELS = _env("GOVREPORTS_MAX_TOTAL_MEGAPIXELS", 1000)
# Pixels of one page rendered for OCR or line detection (A4 at 180 dpi is 3.1, A3 6.3): OCR of one page
# peaked at 0.70 GB for A4 and 1.53 GB at 19.6 megapixels (~50 bytes a pixel), 5.8 GB at 95.
GOVREPORTS_MAX_RENDER_MEGAPIXELS = _env("GOVREPORTS_MAX_RENDER_MEGAPIXELS", 20)
# Cells of one table grid once its spans are expanded (a report's tables have a few hundred).
GOVREPORTS_MAX_TABLE_CELLS = int(_env("GOVREPORTS_MAX_TABLE_CELLS", 1_000_000))
# Memory of one file's extraction in `govreports build` (``--max-memory`` overrides it).
GOVREPORTS_MAX_MEMORY_MB = _env("GOVREPORTS_MAX_MEMORY_MB", 2048)


def settings() -> dict[str, float]:
    """Every limit by its variable name (a dataset built under other limits is built again)."""
    return {k: v for k, v in globals().items() if k.startswith("GOVREPORTS_MAX_")}


class TooLargeError(ReaderError):
    """A file whose content would exceed a resource limit once decompressed or decoded."""


def too_large(path: str | Path, why: str) -> TooLargeError:
    """The one-line error for ``path``; ``why`` gives the sizes and the limit."""
    return TooLargeError(f"{path}: too large to read safely ({why})")


def mb(n: float) -> str:
    """Bytes as a short figure: '1,920 MB', '2.86 MB', '0.01 MB'."""
    return f"{n / MB:,.0f} MB" if n >= 100 * MB else f"{n / MB:.3g} MB"


def count(n: int) -> str:
    """A count for a message: '1,234', or '10^4,999' for a number too long to print whole."""
    if n < 10**15:
        return f"{n:,}"
    return f"about 10^{int(n.bit_length() * 0.30103):,}"


def check_file_size(path: str | Path, limit_mb: float, name: str, what: str) -> None:
    """Reject a file larger than ``limit_mb`` before reading it (``name``: the variable that sets the limit)."""
    size = Path(path).stat().st_size
    if size > limit_mb * MB:
        raise too_large(path, f"{what} of {mb(size)}; the limit is {limit_mb:g} MB, {name}")


def bounded_size(stream: BinaryIO, limit: float, path: str | Path, what: str, name: str) -> int:
    """Bytes a (decompressing) stream yields, read in chunks and never more than ``limit`` of them."""
    total = 0
    while chunk := stream.read(MB):
        total += len(chunk)
        if total > limit:
            raise too_large(path, f"{what} unpacks to more than {mb(limit)}; the limit is set by {name}")
    return total


def check_pixels(width: float, height: float, path: str | Path, what: str = "image", render: bool = False) -> None:
    """Reject an image (``render``: a page render) past GOVREPORTS_MAX_MEGAPIXELS (…_RENDER_…) before decoding it."""
    name = "GOVREPORTS_MAX_RENDER_MEGAPIXELS" if render else "GOVREPORTS_MAX_MEGAPIXELS"
    limit = GOVREPORTS_MAX_RENDER_MEGAPIXELS if render else GOVREPORTS_MAX_MEGAPIXELS
    pixels = float(width) * float(height)
    if pixels > limit * 1e6:
        raise too_large(path, f"{what} of {width:,.0f}×{height:,.0f} = {pixels / 1e6:,.{0 if pixels >= 1e7 else 1}f} megapixels; the limit is "
                              f"{limit:g} megapixels, {name}")


def check_total_pixels(pixels: float, path: str | Path, pages: int) -> None:
    """Reject a report whose ``pages`` images add up to more than GOVREPORTS_MAX_TOTAL_MEGAPIXELS."""
    if pixels > GOVREPORTS_MAX_TOTAL_MEGAPIXELS * 1e6:
        raise too_large(path, f"{pages:,} page images of {pixels / 1e6:,.0f} megapixels in all; the limit is "
                              f"{GOVREPORTS_MAX_TOTAL_MEGAPIXELS:g} megapixels, GOVREPORTS_MAX_TOTAL_MEGAPIXELS")


def check_tags(text: str, path: str | Path) -> None:
    """Reject a page whose HTML holds more than GOVREPORTS_MAX_PAGE_TAGS tags, before parsing it."""
    tags = text.count("<")
    if tags > GOVREPORTS_MAX_PAGE_TAGS:
        raise too_large(path, f"a page of {tags:,} tags; the limit is {GOVREPORTS_MAX_PAGE_TAGS:,}, "
                              "GOVREPORTS_MAX_PAGE_TAGS")


def check_table(rows: int, cols: int, path: str | Path) -> None:
    """Reject a table whose expanded grid would exceed GOVREPORTS_MAX_TABLE_CELLS cells."""
    if rows * cols > GOVREPORTS_MAX_TABLE_CELLS:
        raise too_large(path, f"a table of {count(rows)} rows × {count(cols)} columns once its spans are expanded; the limit "
                              f"is {GOVREPORTS_MAX_TABLE_CELLS:,} cells, GOVREPORTS_MAX_TABLE_CELLS")
