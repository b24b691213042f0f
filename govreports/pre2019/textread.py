"""Running text of a report file that holds no table grid (a pre-2019 report told in sentences).

The readers raise NoTablesError for such files; a pre-2019 report may still print every figure in its
narrative. This reads the text (and the links to attachments) each input kind prints, so the era can be
recognised from the content. Files that are not pre-2019 reports get the reader's own error back.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import lxml.html

from ..readers import RawDocument, RawTable, ReaderError, sniff
from ..readers.html import _find_body  # the reader's own choice of the article element
from ..readers.htmlmeta import page_meta
from ..readers.htmltext import decode_html, drop_non_content, element_lines, unwrap_mhtml
from .spec import load_pre_spec

EVERY_PAGE = "every_page_grids"   # meta flag: the document's grids are every page's ruled tables


def text_document(path: str | Path) -> RawDocument:
    """Read ``path`` for its running text (and, in a PDF, the ruled tables no anchor led the PDF reader to)."""
    p = Path(path)
    kind = sniff(p)
    if kind == "html":
        return _html(p)
    if kind == "docx":
        return _docx(p)
    if kind == "pdf":
        return _pdf(p)
    if kind == "image":
        return _image(p)
    raise ReaderError(f"{p}: no text to read as a pre-2019 report")


def _html(p: Path) -> RawDocument:
    data = p.read_bytes()
    warnings: list[str] = []
    mhtml = unwrap_mhtml(data)
    page, hint = mhtml if mhtml else (data, None)
    text, _, _ = decode_html(page, p, warnings, hint)
    parser = lxml.html.HTMLParser(recover=True, remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(text, parser=parser)
    meta, names = page_meta(root, text)
    meta["attachments"] = attachment_links(root)
    drop_non_content(root)
    lines = element_lines(_find_body(root))
    title = meta.get("title")
    if title and not any(title in line for line in lines[:5]):
        lines.insert(0, title)
    return RawDocument(path=str(p), kind="html", sha256=hashlib.sha256(data).hexdigest(), pages=None, tables=[],
                       text="\n".join(lines), meta=meta, warnings=warnings, names=names)


def attachment_links(root: lxml.html.HtmlElement) -> list[str]:
    """Names of linked files (附件 .xls/.doc/.pdf …) the page points to; icons beside them are not reports."""
    suffixes = tuple(load_pre_spec().attachments["suffixes"])
    out: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").split("?")[0]
        if href.lower().endswith(suffixes):
            label = " ".join(a.text_content().split()) or href.rsplit("/", 1)[-1]
            name = href.rsplit("/", 1)[-1]
            out.append(label if label.lower().endswith(suffixes) else f"{label} ({name})")
    return list(dict.fromkeys(out))


def _docx(p: Path) -> RawDocument:
    from docx import Document

    doc = Document(str(p))
    lines = [" ".join(par.text.split()) for par in doc.paragraphs if par.text.strip()]
    return RawDocument(path=str(p), kind="docx", sha256=hashlib.sha256(p.read_bytes()).hexdigest(), pages=None,
                       tables=[], text="\n".join(lines), meta={"title": doc.core_properties.title or None},
                       names=[("docx title", doc.core_properties.title or "")])


def statistics_grids(doc: RawDocument) -> list[RawTable]:
    """The grids a pre-2019 statistics table may be in: a text PDF's ruled tables on every page (the PDF
    reader only reads the pages the mandated tables' anchors lead to), else the reader's own grids. A PDF
    this module read already holds every page's grids (``meta["every_page_grids"]``): it is not parsed again."""
    if doc.kind != "pdf" or doc.meta.get(EVERY_PAGE):
        return doc.tables
    grids = _pdf_grids(doc.content if doc.content is not None else Path(doc.path))[1]
    if doc.segment.get("page_range"):   # one report of a compilation: its own pages only
        lo, hi = doc.segment["page_range"]
        grids = [t for t in grids if t.page is not None and lo <= t.page <= hi]
    return grids


def _pdf_grids(src: Path | bytes) -> tuple[list[str], list[RawTable]]:
    """Page texts and ruled tables (pdfplumber) of every page of a text PDF."""
    import pdfplumber

    tables: list[RawTable] = []
    with pdfplumber.open(io.BytesIO(src) if isinstance(src, bytes) else str(src)) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        for n, page in enumerate(pdf.pages, start=1):
            tables += [RawTable(rows=[[c if c is None else " ".join(c.split()) for c in row] for row in grid],
                                page=n, method="pdfplumber") for grid in page.extract_tables() if grid]
    return texts, tables


def _pdf(p: Path) -> RawDocument:
    data = p.read_bytes()
    texts, tables = _pdf_grids(data)
    if sum(len(t.strip()) for t in texts) < 20:
        return _scanned_pdf(p, data)
    return RawDocument(path=str(p), kind="pdf", sha256=hashlib.sha256(data).hexdigest(),
                       pages=len(texts), tables=tables, text="\n".join(texts), page_texts=texts,
                       meta={EVERY_PAGE: True})


def _scanned_pdf(p: Path, data: bytes) -> RawDocument:
    """A PDF of page images (``data`` its bytes): each page rendered and read by OCR."""
    import numpy as np
    import pypdfium2 as pdfium

    from ..readers.image import scan_page
    from ..readers.ocr import SCALE, engine, page_text

    pdf = pdfium.PdfDocument(str(p))
    try:
        grays = [page.render(scale=SCALE, grayscale=True).to_pil() for page in pdf]
    finally:
        pdf.close()
    ocr = engine()
    texts = [page_text(scan_page(np.asarray(g.convert("L")))[0], [], ocr) for g in grays]
    return RawDocument(path=str(p), kind="ocr-pdf", sha256=hashlib.sha256(data).hexdigest(),
                       pages=len(texts), tables=[], text="\n".join(texts), page_texts=texts,
                       meta={"ocr_text": True})


def _image(p: Path) -> RawDocument:
    from ..readers.image import image_files, load_pages, scan_page
    from ..readers.ocr import engine, page_text

    files = image_files(p) if p.is_dir() else [p]
    ocr = engine()
    texts: list[str] = []
    digest = hashlib.sha256()
    for f in files:
        data = f.read_bytes()
        digest.update(data)
        texts += [page_text(scan_page(gray)[0], [], ocr) for gray in load_pages(data, str(f))]
    return RawDocument(path=str(p), kind="image", sha256=digest.hexdigest(), pages=len(texts), tables=[],
                       text="\n".join(texts), meta={"ocr_text": True})
