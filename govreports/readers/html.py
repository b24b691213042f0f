"""Read a saved report web page (.html/.htm/.mht) into raw grids: decode, find the report body, expand spans.

Government sites publish the annual report as an article page: the tables sit inside the article
among menus, footers and related links. We decode the bytes (UTF-8 or the GB family), parse with
lxml in recover mode (saved pages are often sloppy or cut short), pick the element holding most of
the page's non-link text as the report body, and turn every data ``<table>`` in it into a
rectangular grid. Mapping the grids to codes is not our business (see ``govreports.mapping``).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import lxml.etree
import lxml.html

from govreports import limits
from govreports.readers.base import NoTablesError, RawDocument, RawTable, ReaderError
from govreports.readers.htmlimages import PageImages, image_tables
from govreports.readers.htmlmeta import page_meta
from govreports.readers.htmltext import (cell_text, decode_html, drop_non_content, element_lines, is_link_dominated,
                                        text_len, unwrap_mhtml)
from govreports.numbers import looks_numeric

_BODY_SHARE = 0.75   # the body is the deepest element holding this share of the page's non-link text
_MAX_SPAN = 1000     # HTML caps colspan at 1000; bigger values are typos
_INDEX_PROSE = 600   # an index page has fewer non-link characters than this; a report has thousands
_MARK = "\u27e6govreports-table\u27e7"  # put after each data table while the text lines are read


def read_html(path: str | Path) -> RawDocument:
    """Read one saved report page; raise ReaderError (one line, naming the file) when it is no report."""
    p = Path(path)
    try:
        limits.check_file_size(p, limits.GOVREPORTS_MAX_PAGE_MB, "GOVREPORTS_MAX_PAGE_MB", "a page")
        data = p.read_bytes()
    except OSError as e:
        raise ReaderError(f"{p}: cannot read the file ({e.strerror or e})") from e
    warnings: list[str] = []
    try:
        mhtml = unwrap_mhtml(data)
    except RecursionError:   # the email parser descends one level per nested multipart
        raise ReaderError(f"{p}: the saved page (.mht) nests its MIME parts too deeply to read") from None
    page, hint = mhtml if mhtml else (data, None)
    text, encoding, declared = decode_html(page, p, warnings, hint)
    limits.check_tags(text, p)
    root = _parse(text, p)
    truncated = _truncation(text)
    if truncated == "inside-table":
        raise ReaderError(f"{p}: page is truncated inside a table (it ends without </table> or </html>); "
                          "save the complete page")
    if truncated:
        warnings.append("page ends without </html>: it may be truncated (all its tables are complete)")
    meta, names = page_meta(root, text)
    meta["encoding"] = encoding
    if mhtml:
        meta["saved_as"] = "mhtml"
    if declared:
        meta["declared_charset"] = declared
    drop_non_content(root)
    body = _find_body(root)
    images = PageImages.of(p, data)
    tables = _tables(body, warnings, p, images)
    if not tables and body is not root:
        # a report published wholly as pictures has little text, so its article may lie outside the body
        # found from the text: try the page's other pictures that are on disk (site furniture has no grid)
        found = [img for img in root.iter("img") if body not in img.iterancestors()]
        tables = [t for img in found for t in image_tables(img, images, count_missing=False)]
    missing = (f"{len(images.missing)} image(s) of the report are not on disk: {', '.join(images.missing)}"
               if images.missing else "")
    if not tables:
        raise NoTablesError(f"{p}: " + (f"no tables in the page; {missing}" if missing
                                        else _why_no_tables(root, truncated, text)))
    warnings += ([missing] if missing else []) + images.warnings
    if images.names:
        meta["page_images"] = images.names
    lines = _placed(element_lines(body), tables)
    title = meta.get("title")
    if title and not any(title in line or line in title for line in lines[:5] if len(line) > 4):
        lines.insert(0, title)
        for t in tables:
            t.line = None if t.line is None else t.line + 1
    return RawDocument(path=str(p), kind="html", sha256=hashlib.sha256(data).hexdigest(), pages=None,
                       tables=tables, text="\n".join(lines), meta=meta, warnings=warnings, names=names)


def _parse(text: str, p: Path) -> lxml.html.HtmlElement:
    """Parse with libxml2's recovering HTML parser; the text is already decoded, so meta charset is moot."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise ReaderError(f"{p}: the file is empty")
    parser = lxml.html.HTMLParser(recover=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ReaderError(f"{p}: not an HTML page ({e})") from e
    return root


def _truncation(text: str) -> str:
    """'' for a complete page, 'end' if it lacks </html>, 'inside-table' if it also stops inside a table."""
    if re.search(r"</html\s*>", text, re.I):
        return ""
    opened = len(re.findall(r"<table\b", text, re.I))
    closed = len(re.findall(r"</table\s*>", text, re.I))
    return "inside-table" if opened > closed else "end"


def _find_body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The deepest element holding most of the page's non-link text and every table of numbers.

    That is the article without the furniture. Layout tables (tables around tables) may be entered; a
    data table is never split, and a long narrative in one <div> does not cut off tables in the next.
    """
    body = root.find("body")
    node = body if body is not None else root
    sizes = text_len(node)
    total = sizes.get(node, 0)
    if total == 0:
        return node
    numbers = [t for t in node.iter("table") if t.find(".//table") is None and _numeric_cells(t) >= 3]
    while True:
        nxt = next((c for c in node if isinstance(c.tag, str) and sizes.get(c, 0) >= _BODY_SHARE * total), None)
        if nxt is None or (nxt.tag == "table" and nxt.find(".//table") is None):
            return node
        if any(t is not nxt and nxt not in t.iterancestors() for t in numbers):
            return node
        node = nxt


def _numeric_cells(table: lxml.html.HtmlElement) -> int:
    return sum(1 for td in table.iter("td", "th") if _is_number(cell_text(td)))


def _is_number(text: str | None) -> bool:
    return bool(text) and any(ch.isdigit() for ch in text) and looks_numeric(text)


def _tables(body: lxml.html.HtmlElement, warnings: list[str], p: Path, images: PageImages) -> list[RawTable]:
    """One RawTable per data table in document order (tables shown as pictures OCR'd in their place);
    wrapper and link-list tables are left out."""
    out = []
    n = 0
    for table in body.iter("table", "img"):
        if table.tag == "img":
            out += image_tables(table, images)
            continue
        n += 1
        nested = table.find(".//table") is not None
        rows = _grid(table, p)
        if not rows:
            continue
        if nested and not _looks_like_data(rows):
            continue  # a layout table around the article or around a data table
        if is_link_dominated(table):
            warnings.append(f"table {n} left out: its cells are links (navigation, not report data)")
            continue
        table.tail = f"\n{_MARK}{len(out)}\n{table.tail or ''}"  # where it stands among the text lines
        out.append(RawTable(rows=rows, page=None, method="html"))
    return out


def _placed(lines: list[str], tables: list[RawTable]) -> list[str]:
    """The text lines without the tables' position marks; each table's ``line`` is set to the lines before it."""
    out: list[str] = []
    for line in lines:
        if line.startswith(_MARK) and line[len(_MARK):].isdigit():
            tables[int(line[len(_MARK):])].line = len(out)
        else:
            out.append(line)
    return out


def _looks_like_data(rows: list[list[str | None]]) -> bool:
    """A table that wraps other tables is kept only if its own cells hold several numbers."""
    return sum(1 for r in rows for c in r if _is_number(c)) >= 3


def _span(cell: lxml.html.HtmlElement, attr: str) -> int:
    m = re.match(r"\s*(\d+)", cell.get(attr) or "")
    return (min(int(m.group(1)), _MAX_SPAN) if len(m.group(1)) <= 6 else _MAX_SPAN) if m else 1


def _grid(table: lxml.html.HtmlElement, p: Path) -> list[list[str | None]]:
    """Expand rowspan/colspan into a rectangle: origin cells hold their text, covered positions None.

    Positions no cell reaches (a row shorter than the table) are None too: nothing is printed there.
    A ``<caption>`` becomes a first row spanning the width.
    """
    trs = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    occ: dict[tuple[int, int], str | None] = {}
    for i, tr in enumerate(trs):
        j = 0
        for td in tr.xpath("./td | ./th"):
            while (i, j) in occ:
                j += 1
            rs = _span(td, "rowspan") or len(trs) - i   # rowspan=0: to the end of the table
            rs = min(rs, len(trs) - i)
            cs = _span(td, "colspan") or 1
            limits.check_table(len(trs), j + cs, p)   # the grid is never wider than this
            text = cell_text(td)
            for di in range(rs):
                for dj in range(cs):
                    occ[(i + di, j + dj)] = text if di == dj == 0 else None
            j += cs
    if not occ:
        return []
    width = 1 + max(c for _, c in occ)
    rows = [[occ.get((i, j)) for j in range(width)] for i in range(len(trs))]
    caption = table.find("caption")
    if caption is not None and cell_text(caption):
        rows.insert(0, [cell_text(caption)] + [None] * (width - 1))
    return rows


def _why_no_tables(root: lxml.html.HtmlElement, truncated: str, source: str) -> str:
    """Say why a page gave no tables: an index page, a cut page, tables in a script, as pictures, or none."""
    links = [a for a in root.iter("a") if a.get("href") and re.search(r"报告|年报", a.text_content() or "")]
    prose = text_len(root).get(root, 0)
    if len(links) >= 2 and prose < _INDEX_PROSE:
        return (f"no tables: the page lists {len(links)} links to reports and little else (an index page, "
                "not a report); open one of the linked reports instead")
    if truncated:
        return "no tables: the page is truncated (it ends without </html>)"
    if re.search(r"<table|&lt;table|\\u003ctable", source, re.I):
        return ("no tables in the page itself: its tables are inside a script (the site builds the page with "
                "JavaScript); save the page from a browser after it has rendered")
    images = sum(1 for _ in root.iter("img"))
    hint = f"; none of its {images} images shows a ruled table" if images else ""
    return f"no tables in the page (an OGI report page prints tables 二, 三 and 四){hint}"
