"""Text-layer PDFs: find the table pages from their text (pypdfium2, cheap), read the grids with camelot
(lattice/vector first, raster as a fallback; pages with no ruling lines by the text-position grid of
textgrid.py), and offer pdfplumber's and camelot stream's readings as alternatives the pipeline can
choose when the first grid does not map cleanly."""
from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from .. import limits
from ..schema.recognise import page_labels
from .base import NoTablesError, RawDocument, RawTable, ReaderError
from .layouts import draws_lines, note_drawn, nothing_to_render
from .pdfguard import check_pdf, check_render
from .textgrid import page_reading, read_textgrid
from .util import MIN_TEXT_CHARS, one_line, sha256_of, text_chars

_NUMBER = re.compile(r"\d+(?:\.\d+)?")

# Text anchors that mark a page holding part of the three tables (no whitespace): the schema's page labels.
STRONG_ANCHORS = page_labels()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence library noise (pdfminer FontBBox lines, camelot warnings) at the reader boundary."""
    loggers = [logging.getLogger(n) for n in ("pdfminer", "camelot", "pdfplumber", "playa")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, lv in zip(loggers, levels):
            lg.setLevel(lv)




class _Opened(NamedTuple):
    texts: list[str]
    meta: dict
    copy: bytes | None          # what the grid finders read instead of the file
    turned: dict[int, int]      # 1-based page -> degrees turned clockwise in the copy
    encrypted: bool
    drawn: dict[int, frozenset[str]]   # what each page after a page of table anchors draws besides text
    readings: dict[int, Any]    # the text grid's reading of each page of anchors and the page after one
    plain: set[int]             # pages of anchors that draw nothing but text (no ruling, picture or form)


def _page_texts(path: Path) -> _Opened:
    """Page texts, metadata, a copy in memory to read instead of the file (or None), and the pages
    turned in that copy. The copy exists for a PDF encrypted with an owner password only (opens without
    a password, but pdfminer chokes on some ciphers) and for pages showing their text turned (``pdfturn``).
    Also what each page after a page of table anchors (where a table may spill over) draws besides text."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from .pdffonts import use_bundled_fonts
    from .pdfturn import turn_upright

    use_bundled_fonts()   # the text must not depend on the fonts this machine has installed
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise ReaderError(f"{path}: encrypted PDF (needs a password); cannot read it") from None
        raise ReaderError(f"{path}: damaged or truncated PDF ({e})") from None
    try:
        texts: list[str] = []
        turns: dict[int, int] = {}
        drawn: dict[int, frozenset[str]] = {}
        readings: dict[int, Any] = {}
        plain: set[int] = set()
        after_anchors = False    # the previous page holds table anchors
        if len(pdf) > limits.GOVREPORTS_MAX_PDF_PAGES:
            raise limits.too_large(path, f"{len(pdf):,} pages; the limit is {limits.GOVREPORTS_MAX_PDF_PAGES:,}, "
                                         "GOVREPORTS_MAX_PDF_PAGES")
        for i in range(len(pdf)):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                raise ReaderError(f"{path}: damaged PDF: page {i + 1} cannot be loaded (its page tree or page "
                                  "object is broken)") from None
            if (objects := pdfium_c.FPDFPage_CountObjects(page.raw)) > limits.GOVREPORTS_MAX_PAGE_OBJECTS:
                raise limits.too_large(path, f"page {i + 1} draws {objects:,} objects; the limit is "
                                             f"{limits.GOVREPORTS_MAX_PAGE_OBJECTS:,}, GOVREPORTS_MAX_PAGE_OBJECTS")
            tp = page.get_textpage()
            if degrees := turn_upright(page, tp):   # read the text again in its upright reading order
                turns[i + 1] = degrees
                tp.close()
                tp = page.get_textpage()
            texts.append(tp.get_text_range())
            anchored = _anchored(texts[-1])
            if anchored or after_anchors:   # a table page: read its cells while it is loaded
                readings[i + 1] = page_reading(tp)
            if anchored and not _drawn(page):
                plain.add(i + 1)
            tp.close()
            if after_anchors and not anchored:
                drawn[i + 1] = _drawn(page)
            after_anchors = anchored
            page.close()
        meta = {k: v for k, v in pdf.get_metadata_dict().items() if v}
        copy = None
        encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1
        if encrypted or turns:
            buf = io.BytesIO()
            pdf.save(buf, flags=pdfium_c.FPDF_REMOVE_SECURITY if encrypted else 0)
            copy = buf.getvalue()
            readings = {}   # the grid finders read the copy
    finally:
        pdf.close()
    return _Opened(texts, meta, copy, turns, encrypted, drawn, readings, plain)


def _drawn(page) -> frozenset[str]:
    """What a pypdfium2 page draws besides text: "path", "image", "form" (an XObject, which may hold
    either)."""
    import pypdfium2.raw as pdfium_c

    names = {pdfium_c.FPDF_PAGEOBJ_PATH: "path", pdfium_c.FPDF_PAGEOBJ_IMAGE: "image",
             pdfium_c.FPDF_PAGEOBJ_FORM: "form"}
    types = {pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i))
             for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))}
    return frozenset(names[t] for t in types if t in names)


def _anchored(text: str) -> bool:
    """A page text holding two or more distinct table anchors."""
    flat = "".join(text.split())
    return sum(1 for a in STRONG_ANCHORS if a in flat) >= 2


def _anchor_pages(texts: list[str]) -> list[int]:
    """1-based pages whose text holds table anchors (two or more distinct anchors), and the one or two
    pages between two such pages (a table's middle, whose labels wrapped on narrow paper hide them)."""
    found = [i + 1 for i, t in enumerate(texts) if _anchored(t)]
    return sorted({*found, *(p for a, b in zip(found, found[1:]) if b - a <= 3 for p in range(a + 1, b))})


def _table_pages(texts: list[str]) -> list[int]:
    """The anchor pages plus the page after the last of them: a table's last rows (table 四's data
    row) can spill onto a page with no label."""
    out = _anchor_pages(texts)
    return out + [out[-1] + 1] if out and out[-1] < len(texts) else out


def _camelot_grid(table, method: str) -> RawTable:
    """A camelot Table as a RawTable: positions covered by a merged cell (no ruling line on their
    left/top) are None unless camelot placed text there."""
    rows: list[list[str | None]] = []
    for r, crow in enumerate(table.cells):
        out: list[str | None] = []
        for c, cell in enumerate(crow):
            text = (cell.text or "").strip()
            covered = (c > 0 and not cell.left) or (r > 0 and not cell.top)
            out.append(text if text or not covered else None)
        rows.append(out)
    return RawTable(rows=rows, page=int(table.page), method=method)


def _read_camelot(path: Path | bytes, pages: list[int], **kw) -> list[RawTable]:
    from .layouts import read_tables

    flavor = kw.get("flavor", "lattice")
    method = f"camelot-{flavor}" + (f"-{kw['engine']}" if "engine" in kw else "") + ("-split" if kw.get("split_text") else "")
    if flavor == "lattice" and kw.get("engine") != "vector":  # camelot renders the pages at 300 dpi
        check_render(path, pages, 300 / 72, path if isinstance(path, Path) else "its in-memory copy")
    with quiet():
        tables = read_tables(path, pages, **kw)
    return [_camelot_grid(t, method) for t in tables]


def _read_pdfplumber(path: Path | bytes, pages: list[int]) -> list[RawTable]:
    from .plumbing import find_tables

    with quiet():
        return [RawTable(rows=[[(c or "").strip() if c is not None else None for c in row] for row in rows],
                         page=p, method="pdfplumber") for p, rows in find_tables(path, pages)]


def stitch(tables: list[RawTable]) -> list[RawTable]:
    """Join a table that a page break split: the last table on page p and the first on page p+1
    with the same number of columns become one grid (rows keep their own pages)."""
    out: list[RawTable] = []
    for t in tables:
        prev = out[-1] if out else None
        if (prev is not None and t.page is not None and prev.rows and t.rows
                and (prev.row_pages or [prev.page])[-1] == t.page - 1
                and len(prev.rows[0]) == len(t.rows[0]) and t.method == prev.method
                and t is _first_on_page(tables, t.page)):
            prev.row_pages = (prev.row_pages or [prev.page] * len(prev.rows)) + [t.page] * len(t.rows)
            if prev.confidence is not None or t.confidence is not None:
                prev.confidence = ((prev.confidence or [[None] * len(r) for r in prev.rows])
                                   + (t.confidence or [[None] * len(r) for r in t.rows]))
            prev.rows = prev.rows + t.rows
            continue
        out.append(RawTable(rows=[list(r) for r in t.rows], page=t.page, method=t.method,
                            confidence=t.confidence, row_pages=t.row_pages))
    return out


def _first_on_page(tables: list[RawTable], page: int) -> RawTable | None:
    return next((t for t in tables if t.page == page), None)


def _text_first(src: Path | bytes, pages: list[int], anchored: list[int], known: dict[int, Any],
                plain: set[int]) -> list[RawTable]:
    """The text grid's tables of ``pages`` when it found one on every page of table anchors that draws
    anything besides text (else []): read from the characters' positions alone it costs a fraction of
    laying the page out for its rulings, and the ruled reading stays the first alternative offered when
    its tables do not map cleanly. On a page of text alone the ruled reading could find no grid either."""
    tables = read_textgrid(src, pages, known)
    found = {t.page for t in tables}
    return tables if found and set(anchored) - plain <= found else []


def _ruled_reading(doc: RawDocument, src: Path | bytes, pages: list[int], anchored: list[int],
                   known: dict[int, Any] | None = None) -> list[RawTable]:
    """camelot's vector lattice on the pages that draw lines, its raster lattice where rulings may be drawn
    otherwise, the text grid on the pages left; pdfplumber when camelot fails on damaged content."""
    tables: list[RawTable] = []
    try:
        # a spill-over page that draws no line holds no grid: it is not laid out for nothing
        tables = _read_camelot(src, [p for p in pages if draws_lines(src, p)], flavor="lattice", engine="vector")
        found = {t.page for t in tables}
        # the spill-over page after the tables often holds only prose: no fallbacks there
        missing = [p for p in pages if p not in found and p in anchored]
        # the raster lattice renders the page: on a page of text and vector rulings alone it can find no
        # ruling the vector lattice did not have
        drawn = [p for p in missing if not nothing_to_render(src, p)]
        if drawn:
            tables += _read_camelot(src, drawn, flavor="lattice")
            found = {t.page for t in tables}
            missing = [p for p in missing if p not in found]
        if missing:  # no ruling lines: borderless tables, read from the characters' positions (cheap: the
            # spill-over page too, where the last rows of a table may stand)
            tables += read_textgrid(src, [p for p in pages if p not in found], known)
    except ReaderError:
        raise
    except Exception as e:  # camelot/pdfminer failures on damaged content
        doc.warnings.append(f"camelot could not parse pages {pages}: {type(e).__name__}: {one_line(e)}; trying "
                            "pdfplumber")
        try:
            tables = _read_pdfplumber(src, pages)
        except ReaderError:
            raise
        except Exception as e2:   # the fallback's own parser fails on the same damage
            raise ReaderError(f"{doc.path}: damaged PDF content: neither camelot nor pdfplumber can read pages {pages} "
                              f"({type(e2).__name__}: {one_line(e2)})") from None
    return tables


def read_pdf(path: str | Path) -> RawDocument:
    """Read a text-layer PDF into raw grids. Image-only PDFs go to the OCR reader."""
    path = Path(path)
    check_pdf(path)
    texts, meta, copy, turned, encrypted, ink, readings, plain = _page_texts(path)
    if not texts:
        raise ReaderError(f"{path}: PDF has no pages")
    chars = [text_chars(t) for t in texts]
    if sum(chars) < MIN_TEXT_CHARS * len(texts):
        return _ocr(path)
    anchored = _anchor_pages(texts)
    pages = _table_pages(texts)
    image_pages = [i + 1 for i, n in enumerate(chars) if n < MIN_TEXT_CHARS]
    doc = RawDocument(path=str(path), kind="pdf", sha256=sha256_of(path), pages=len(texts), tables=[],
                      text="\n".join(texts), meta=_pdf_meta(meta), content=copy, page_texts=texts)
    if encrypted:
        doc.meta["encrypted"] = "owner password only; read a decrypted copy in memory"
    if turned:
        doc.meta["turned_pages"] = turned
        doc.warnings += [f"page {p} shows its text turned: read it turned {d}° clockwise" for p, d in turned.items()]
    src: Path | bytes = copy if copy is not None else path
    scanned = _ocr_pages(path, image_pages, doc) if image_pages else []
    if not pages and not scanned:
        raise NoTablesError(f"{path}: no OGI report tables found (no page mentions 第二十条 / 申请人情况 / 行政复议 tables)")
    doc.meta["table_pages"] = pages
    note_drawn(src, ink)
    # pages of pictures mixed in: their OCR grids join the ruled reading's, as before
    tables = _text_first(src, pages, anchored, readings, plain) if not scanned else []
    if tables:
        doc.meta["first_reading"] = "textgrid"
    else:
        tables = _ruled_reading(doc, src, pages, anchored, readings)
    tables.sort(key=lambda t: (t.page or 0))
    doc.tables = sorted(stitch(tables) + scanned, key=lambda t: t.page or 0)
    return doc


def _ocr_pages(path: Path, pages: list[int], doc: RawDocument) -> list[RawTable]:
    """Tables printed as images inside a text PDF: OCR the pages that have no text layer."""
    try:
        from .ocr import read_ocr_pdf
        scanned = read_ocr_pdf(path, pages=pages, text=False)
    except ReaderError:  # no table grid on those pages (a cover image, a seal): nothing to add
        return []
    doc.warnings += scanned.warnings
    doc.meta["ocr_pages"] = pages
    return scanned.tables


def alternative_readings(doc: RawDocument, pages: list[int] | None = None, thorough: bool = True,
                         split_first: bool = True) -> Iterator[list[RawTable]]:
    """Other extractors' grids of the table pages (or of ``pages``), for when the first reading does
    not map cleanly: the same ruling lines with text lines split at the rulings (a label line that runs
    into the value column) and pdfplumber, in that order with ``split_first`` (text that crossed a
    ruling) else the other; with ``thorough`` also camelot's raster lattice and stream. When the text grid
    read first, camelot's ruled reading comes before them all."""
    pages = pages or doc.meta.get("table_pages") or []
    if not pages or doc.kind != "pdf":
        return
    path: Path | bytes = doc.content if doc.content is not None else Path(doc.path)
    if doc.meta.get("first_reading") == "textgrid":
        # the text grid read first: the ruled reading comes next, and the other readings build on it
        try:
            anchored = _anchor_pages(doc.page_texts) if doc.page_texts else pages   # a compilation's part: its pages
            ruled = stitch(sorted(_ruled_reading(doc, path, pages, anchored),
                                  key=lambda t: t.page or 0))
        except ReaderError:
            ruled = []
        yield ruled
        doc = dataclasses.replace(doc, tables=ruled)
    # the ruling-based finders find no grid on a page that draws no line
    lined = [p for p in pages if draws_lines(path, p)]
    readers = [lambda: _split_reading(doc, path, pages, lined),
               lambda: _read_pdfplumber(path, lined) if lined else []]
    if not split_first:
        readers.reverse()
    if thorough:
        # the raster engine finds rulings drawn as images: only worth its cost where the vector rulings
        # gave no grid at all
        ruled = {t.page_of(i) for t in doc.tables for i in range(len(t.rows))}
        unruled = [p for p in pages if p not in ruled and not nothing_to_render(path, p)]
        readers += ([lambda: _read_camelot(path, unruled, flavor="lattice")] if unruled else []) \
            + [lambda: _read_camelot(path, pages, flavor="stream")]
    for reader in readers:
        try:
            yield stitch(sorted(reader(), key=lambda t: t.page or 0))
        except Exception:  # an alternative that fails is simply not offered
            continue


def _numbers(tables: list[RawTable], pages: list[int]) -> Counter:
    """The numbers printed in the grids' cells on ``pages`` (a multiset)."""
    return Counter(n for t in tables for i, row in enumerate(t.rows) if t.page_of(i) in pages
                   for c in row if c for n in _NUMBER.findall(c))


def _lost(first: Counter, split: Counter) -> Counter:
    """Numbers of ``first`` that ``split`` does not show, where a number that two of split's spare numbers
    make when set side by side (a grid glued ``2958`` and ``26838`` into ``295826838``) is not lost."""
    lost, spare = first - split, split - first
    for n in list(lost.elements()):
        pair = next(((a, b) for a in spare for b in spare if a + b == n and spare[b] > (a == b)), None)
        if pair:
            spare.subtract(pair)
            spare, lost[n] = +spare, lost[n] - 1
    return +lost


def _split_reading(doc: RawDocument, path: Path | bytes, pages: list[int], lined: list[int]) -> list[RawTable]:
    """The first reading's rulings with text lines split where they cross a ruling (read on the pages
    ``lined``: those of ``pages`` that draw lines); a page where it lost digits the first reading shows
    (camelot drops text it splits into a merged cell) is left out, and with every page lost the reading
    is not offered."""
    tables = _read_camelot(path, lined, flavor="lattice", engine="vector", split_text=True) if lined else []
    lost = {p for p in pages if _lost(_numbers(doc.tables, [p]), _numbers(tables, [p]))}
    if lost and lost >= set(lined):
        raise ReaderError(f"{doc.path}: the split reading lost printed numbers")
    return [t for t in tables if t.page not in lost]


def _pdf_meta(meta: dict) -> dict:
    out: dict = {}
    if meta.get("Title"):
        out["pdf_title"] = meta["Title"]
    if meta.get("Producer") or meta.get("Creator"):
        out["producer"] = " / ".join(x for x in (meta.get("Creator"), meta.get("Producer")) if x)
    for key in ("CreationDate", "ModDate"):
        d = meta.get(key, "")
        if d.startswith("D:") and len(d) >= 10:
            out["pdf_" + key.lower()] = f"{d[2:6]}-{d[6:8]}-{d[8:10]}"
    return out


def _ocr(path: Path) -> RawDocument:
    try:
        from .ocr import read_ocr_pdf
    except ImportError:
        raise ReaderError(f"{path}: PDF has no text layer (looks scanned) and OCR is not available") from None
    return read_ocr_pdf(path)
