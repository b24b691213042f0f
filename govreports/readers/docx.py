"""Read a Word (.docx) report: its tables as raw grids (merged cells expanded), its paragraphs as text.

Merges are read from the XML, not from python-docx's cell objects: ``w:gridSpan`` spans columns and
``w:vMerge`` (without ``restart``) continues the cell above, so covered positions come out None.
"""
from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path

import lxml.etree
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from govreports import limits
from govreports.readers.base import NoTablesError, RawDocument, RawTable, ReaderError
from govreports.readers.htmlmeta import printed_dates
from govreports.readers.htmltext import squeeze
from govreports.readers.util import one_line


def _val(el, path: str) -> str | None:
    """The w:val of the first ``path`` child of ``el`` ('' when the element has no w:val), else None."""
    found = el.find(path)
    return None if found is None else (found.get(qn("w:val")) or "")


def _para_text(p, br: str) -> str:
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        parts.append(el.text or "" if el.tag == qn("w:t") else (" " if el.tag == qn("w:tab") else br))
    return "".join(parts)


def _cell_text(tc) -> str:
    """Paragraphs of one cell joined with nothing (like <br> in HTML); nested tables are left out."""
    return squeeze("".join(_para_text(p, "") for p in tc.iterchildren(qn("w:p"))))


_MAX_COUNT_DIGITS = 18   # a span printed longer than this is a bomb whatever its digits: counted as 10^18


def _count(text: str | None) -> int:
    """A span or skip count as printed (digits only; anything else counts as 0)."""
    if not text or not text.isdigit():
        return 0
    return int(text) if len(text) <= _MAX_COUNT_DIGITS else 10**_MAX_COUNT_DIGITS


def _grid(tbl, path: Path) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    trs = list(tbl.iterchildren(qn("w:tr")))
    for tr in trs:
        before = _count(_val(tr, f"{qn('w:trPr')}/{qn('w:gridBefore')}"))
        spans = [max(1, _count(_val(tc, f"{qn('w:tcPr')}/{qn('w:gridSpan')}"))) for tc in tr.iterchildren(qn("w:tc"))]
        limits.check_table(len(trs), before + sum(spans), path)
        row: list[str | None] = [None] * before
        for tc, span in zip(tr.iterchildren(qn("w:tc")), spans):
            vmerge = _val(tc, f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            covered = vmerge is not None and vmerge != "restart"
            row += [None if covered else _cell_text(tc)] + [None] * (span - 1)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def _check_parts(p: Path) -> None:
    """Unpack every part once through a bounded stream: reject a zip bomb by its declared sizes, then by
    what actually comes out (python-docx would unpack it all into memory)."""
    xml_limit = limits.GOVREPORTS_MAX_DOCX_XML_MB * limits.MB
    total_limit = limits.GOVREPORTS_MAX_DOCX_MB * limits.MB
    with zipfile.ZipFile(p) as z:
        infos = z.infolist()
        if len(infos) > limits.GOVREPORTS_MAX_DOCX_PARTS:
            raise limits.too_large(p, f"{len(infos):,} parts in the .docx; the limit is "
                                      f"{limits.GOVREPORTS_MAX_DOCX_PARTS:,}, GOVREPORTS_MAX_DOCX_PARTS")
        declared = sum(i.file_size for i in infos)
        if declared > total_limit:
            raise limits.too_large(p, f"its parts declare {limits.mb(declared)} unpacked; the limit is "
                                      f"{limits.GOVREPORTS_MAX_DOCX_MB:g} MB, GOVREPORTS_MAX_DOCX_MB")
        left = total_limit
        for info in infos:
            xml = not info.filename.lower().endswith(_BINARY_PARTS)
            limit, name = (xml_limit, "GOVREPORTS_MAX_DOCX_XML_MB") if xml else (left, "GOVREPORTS_MAX_DOCX_MB")
            if info.file_size > limit:
                raise limits.too_large(p, f"{info.filename} declares {limits.mb(info.file_size)} unpacked; the "
                                          f"limit is {limits.mb(limit)}, {name}")
            with z.open(info) as f:
                left -= limits.bounded_size(f, min(limit, left), p, info.filename, name)


# Parts that are pictures or other binaries (limited by the total only); every other part is parsed as XML.
_BINARY_PARTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin", ".ttf",
                 ".odttf", ".wdp", ".svg", ".xlsx", ".docx", ".pdf")


def read_docx(path: str | Path) -> RawDocument:
    """Read one .docx report; raise ReaderError (one line, naming the file) when it cannot be read."""
    p = Path(path)
    try:
        limits.check_file_size(p, limits.GOVREPORTS_MAX_DOCX_MB, "GOVREPORTS_MAX_DOCX_MB", "a .docx file")
        data = p.read_bytes()
        _check_parts(p)
        doc = Document(str(p))
    except OSError as e:
        raise ReaderError(f"{p}: cannot read the file ({e.strerror or e})") from e
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, EOFError) as e:
        raise ReaderError(f"{p}: not a readable .docx file ({one_line(e)})") from None
    except zlib.error as e:
        raise ReaderError(f"{p}: a part of the .docx is damaged (its compressed data does not inflate: {e})") from None
    except NotImplementedError as e:
        raise ReaderError(f"{p}: a part of the .docx uses a compression method this reader lacks ({e})") from None
    except RuntimeError as e:   # zipfile: "File ... is encrypted, password required for extraction"
        raise ReaderError(f"{p}: encrypted .docx (needs a password); cannot read it" if "encrypted" in str(e)
                          else f"{p}: not a readable .docx file ({one_line(e)})") from None
    except lxml.etree.LxmlError as e:   # entity expansion, nesting or text past libxml2's safety limits
        raise ReaderError(f"{p}: the document's XML cannot be parsed safely ({one_line(e)})") from None
    lines: list[str] = []
    tables: list[RawTable] = []
    warnings: list[str] = []
    for el in doc.element.body.iter(qn("w:p"), qn("w:tbl")):
        if el.tag == qn("w:tbl"):
            if any(a.tag == qn("w:tbl") for a in el.iterancestors()):
                warnings.append(f"a table nested in table {len(tables)} was read as a separate table")
            tables.append(RawTable(rows=_grid(el, p), page=None, method="docx", line=len(lines)))
        elif not any(a.tag == qn("w:tc") for a in el.iterancestors()):
            lines += [s for s in (squeeze(x) for x in _para_text(el, "\n").split("\n")) if s]
    tables = [t for t in tables if t.rows]
    if not tables:
        raise NoTablesError(f"{p}: no tables in the document: an OGI report prints tables 二, 三 and 四")
    text = "\n".join(lines)
    published, written = printed_dates(text)
    title = (doc.core_properties.title or "").strip() or next((s for s in lines[:5] if "报告" in s), None)
    meta = {"title": title, "published": published or written}
    if written:
        meta["written"] = written
    return RawDocument(path=str(p), kind="docx", sha256=hashlib.sha256(data).hexdigest(), pages=None,
                       tables=tables, text=text, meta=meta, warnings=warnings,
                       names=[("docx title", doc.core_properties.title or "")])
