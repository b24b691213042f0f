"""Split one file's reading into the reports it holds (a compilation of several reports, one after another).

A new report starts where tables 二/三/四 start again: a table of an earlier kind after a later one (table 二
after table 四) that prints its table's first row or follows a title line. The cut is placed at that
report's title line (a line reading like ``…2023年…政府信息公开工作年度报告``, or 年报) between the last table of
the report before and the first table of the new one. A title repeated in a page header or footer, or
quoted in the narrative, never splits a report by itself: without tables starting again there is one report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from .readers.base import RawDocument, RawTable
from .schema.recognise import (SECTION_ONE, WRAP_AT_YEAR, fold_digits, is_bare_year, kinds_in, opens, presents_report,
                               table_order, wrapped_title)
from .text import normalize

_YEAR_IN = re.compile(r"(?:19|20)\d{2}")
_NOT_AGENCY = re.compile("政府信息公开|年报|报告|首页|位置|栏目")  # a line above a wrapped title that is no agency
_WRAP = 3            # a title may be wrapped over this many lines (WRAP_AT_YEAR when broken at its year)
_TITLE_CHARS = 60    # a title is short; a narrative sentence quoting one is longer or punctuated


@dataclass
class _Line:
    text: str
    page: int | None


def table_kinds(table: RawTable) -> set[str]:
    """Which of tables 二/三/四 a grid holds, from labels only that table prints (the schema's ``only``)."""
    return kinds_in(normalize("".join(c for row in table.rows for c in row if c)))


def _lines(doc: RawDocument) -> list[_Line]:
    if doc.page_texts:
        return [_Line(s, p) for p, text in enumerate(doc.page_texts, start=1)
                for s in ("".join(x.split()) for x in text.splitlines()) if s]
    return [_Line(s, None) for s in ("".join(x.split()) for x in doc.text.splitlines()) if s]


def title_lines(lines: list[str]) -> dict[int, str]:
    """{index of the first line: title} of the lines (or up to three wrapped lines, four when broken at the year) that read as a report title
    (the schema says what a title reads like: ``reports`` in ogi.yaml)."""
    out: dict[int, str] = {}
    i = 0
    while i < len(lines):
        for w in range(1, WRAP_AT_YEAR + 1):
            text = "".join(lines[i:i + w])
            if len(text) > _TITLE_CHARS:
                break
            if w > _WRAP and not any(is_bare_year(x) for x in lines[i:i + w]):
                continue
            title = wrapped_title(lines[i:i + w])
            if title and (w == 1 or _agency_line(lines[i])):
                out[i] = title
                i += w - 1
                break
        i += 1
    return out


def _agency_line(line: str) -> bool:
    """The first of a title's wrapped lines: the agency (or the start of the title itself), not a stray word."""
    return bool(_YEAR_IN.search(fold_digits(line))) or (len(line) >= 3 and not _NOT_AGENCY.search(line))


def _span(doc: RawDocument, lines: list[_Line], t: RawTable) -> tuple[int, int]:
    """The first and last line index a table may stand at: its own line, or any line of its page(s)."""
    if t.line is not None:
        return t.line, t.line
    pages = [p for p in (t.row_pages or [t.page]) if p is not None]
    idx = [i for i, ln in enumerate(lines) if ln.page is not None and pages and pages[0] <= ln.page <= pages[-1]]
    return (idx[0], idx[-1]) if idx else (len(lines), len(lines))


def _cut(lines: list[_Line], titles: dict[int, str], prev: tuple[int, int], new: tuple[int, int],
         own: str | None) -> tuple[int, bool]:
    """Line index where the report that starts with the table at ``new`` begins (after the table at ``prev``),
    and whether a title line marks it. The title of the report before (``own``, in its header or footer)
    is passed over when another title is there."""
    others = {i: t for i, t in titles.items() if t != own}
    titles = others if any(prev[0] <= i <= new[1] for i in others) else titles
    strict = [i for i in titles if prev[1] < i <= new[1]]
    if strict:  # on a page after the report before: the new report starts with that page
        i = strict[0]
        while lines[i].page is not None and i > 0 and lines[i - 1].page == lines[i].page:
            i -= 1
        return i, True
    shared = [i for i in titles if prev[0] <= i <= new[1]]  # on the page the report before ends on
    if shared:
        return shared[-1], True
    if lines and new[0] > prev[1]:
        after = next((i for i in range(prev[1] + 1, new[0] + 1) if i < len(lines) and lines[i].page != lines[prev[1]].page),
                     new[0])
        opening = _opening(lines, prev[1] + 1, min(new[0], len(lines)))
        return min(after, opening if opening is not None else after), False
    return new[0], False


def _opening(lines: list[_Line], lo: int, hi: int) -> int | None:
    """Where a report without a title line opens between lines ``lo`` and ``hi``: its first section heading
    (一、总体情况; the report before ends with 五、/六、), with the lines just above that present the report
    (本报告…, 统计期限…), which name its year."""
    heads = [i for i in range(lo, hi) if SECTION_ONE.match(lines[i].text)]
    if not heads:
        return None
    i = heads[-1]
    while i > lo and presents_report(lines[i - 1].text):
        i -= 1
    return i


def mapped_kinds(table: RawTable) -> set[str]:
    """Which of tables 二/三/四 a grid holds as the mapper reads it (labels with their values, not prose)."""
    from .mapping import map_tables

    return set(map_tables([table]).found)


def _boundaries(doc: RawDocument, lines: list[_Line], titles: dict[int, str],
                kinds_of: Callable[[RawTable], set[str]]) -> list[tuple[int, int, bool]]:
    """(table index, line index, titled) where each report after the first starts: a table of an earlier kind
    after a later one that either opens its table (its first row) or follows another report's title line."""
    out: list[tuple[int, int, bool]] = []
    seen: set[str] = set()
    prev: tuple[int, int] | None = None
    start = 0  # the line the current report starts at
    order = table_order()
    for k, t in enumerate(doc.tables):
        kinds = kinds_of(t)
        span = _span(doc, lines, t)
        if kinds and prev is not None and seen:
            first = min(kinds, key=order.get)
            own = next((titles[i] for i in sorted(titles) if i >= start), None)
            titled = any(titles[i] != own for i in titles if prev[0] <= i <= span[1])
            if order[first] < max(order[x] for x in seen) and (titled or _opens(t, first)):
                cut, titled = _cut(lines, titles, prev, span, own)
                start = max(cut, start)
                out.append((k, start, titled))
                seen = set()
        seen |= kinds
        prev = span
    return out


def _opens(table: RawTable, kind: str) -> bool:
    """The grid holds the first row of its table (a table that starts here, not a fragment)."""
    return opens(normalize("".join(c for row in table.rows for c in row if c)), kind)


def _same_tables(a: list[RawTable], b: list[RawTable]) -> bool:
    return [t.rows for t in a] == [t.rows for t in b]


def split_reports(doc: RawDocument) -> list[RawDocument]:
    """The reports a document holds, each as its own RawDocument (the document itself when it holds one)."""
    lines = _lines(doc)
    titles = title_lines([ln.text for ln in lines])
    # Labels alone are cheap; a page of prose read as a grid holds them too, so boundaries found by labels
    # are confirmed with the tables as the mapper reads them.
    cuts = _boundaries(doc, lines, titles, table_kinds) and _boundaries(doc, lines, titles, mapped_kinds)
    if not cuts:
        return [doc]
    bounds = [(0, 0, True)] + cuts + [(len(doc.tables), len(lines), True)]
    parts: list[tuple[list[RawTable], list[_Line], bool, str | None]] = []
    for (t0, l0, titled), (t1, l1, _) in zip(bounds, bounds[1:]):
        title = next((titles[i] for i in sorted(titles) if l0 <= i < l1), None)
        parts.append((doc.tables[t0:t1], lines[l0:l1], titled, title))
    kept, warnings = [parts[0]], []
    for p in parts[1:]:
        if any(_same_tables(p[0], q[0]) for q in kept):
            warnings.append(f"the report's tables are printed twice in {doc.path}; the second printing was left out")
            continue
        kept.append(p)
    if len(kept) == 1:
        doc.warnings += warnings
        return [doc]
    return [_part(doc, i, len(kept), *p) for i, p in enumerate(kept, start=1)]


def _part(doc: RawDocument, i: int, n: int, tables: list[RawTable], lines: list[_Line], titled: bool,
          title: str | None) -> RawDocument:
    """One report of a compilation: its tables, text, pages and title."""
    pages = sorted({ln.page for ln in lines if ln.page} | {p for t in tables for p in (t.row_pages or [t.page]) if p})
    segment: dict = {"part": i, "parts": n}
    if pages:
        segment["page_range"] = [pages[0], pages[-1]]
    meta = {k: v for k, v in doc.meta.items() if k not in ("title", "pdf_title", "table_pages")}
    if title or i > 1:
        meta["title"] = title
    else:  # the first report keeps the file's title when it prints none of its own
        meta.update({k: doc.meta[k] for k in ("title", "pdf_title") if k in doc.meta})
    if "table_pages" in doc.meta:
        meta["table_pages"] = [p for p in doc.meta["table_pages"] if pages and pages[0] <= p <= pages[-1]]
    warnings = list(doc.warnings)
    if not titled:
        warnings.append(f"report {i} of {n} in this file: no title line found where it starts; its text was cut "
                        "at its first section heading (一、…) or at the page (or table) where its tables begin")
    # The page's or file's own names (meta tags, <title>) describe the whole file: a part that prints its own
    # title is identified by it, and only a first part without one keeps them.
    names = [("heading", title)] if title else ([] if i > 1 else list(doc.names))
    return replace(doc, tables=tables, text="\n".join(ln.text for ln in lines), meta=meta, warnings=warnings,
                   page_texts=[], segment=segment, names=names)
