"""Which table is which, and which text is an annual OGI report, as the schema data (``ogi.yaml``) says.

Page finding (readers/pdf.py), compilation splitting (segments.py), crawl classification (fetch/discovery.py),
mapping and metadata ask here, so a new table form or a new way of titling reports is a change to the data.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import Schema, load_schema


@dataclass(frozen=True)
class TableMarks:
    """How one table (t2, t3, t4 …) is told from the others; see ``recognise`` in ``ogi.yaml``."""

    kind: str
    page: tuple[str, ...]                                  # labels that mark a page holding the tables
    only: tuple[str, ...]                                  # labels no other table prints
    first: tuple[str, ...]                                 # its first row: the table starts here
    web: tuple[str, ...]                                   # a web page's table printing one is the report's
    header: tuple[tuple[str, ...], ...]                    # label sets, each marking its header row
    header_without_values: tuple[tuple[str, ...], ...]     # the same, for a header row printing no number

    def is_header(self, joined: str, has_values: bool) -> bool:
        """A grid row (its normalised text ``joined``) that is this table's header row."""
        sets = self.header + (() if has_values else self.header_without_values)
        return any(all(a in joined for a in labels) for labels in sets)


def marks_of(schema: Schema) -> dict[str, TableMarks]:
    """Every table's recognition labels in ``schema``, in printed order (table 二, 三, 四)."""
    out = {}
    for kind, table in schema.tables.items():
        r = table.get("recognise")
        if r:
            out[kind] = TableMarks(kind, *(tuple(r.get(k) or ()) for k in ("page", "only", "first", "web")),
                                   *(tuple(tuple(s) for s in r.get(k) or ()) for k in ("header", "header_without_values")))
    return out


@lru_cache(maxsize=1)
def table_marks() -> dict[str, TableMarks]:
    """Every table's recognition labels in the package's schema (``ogi.yaml``)."""
    return marks_of(load_schema())


@lru_cache(maxsize=1)
def page_labels() -> tuple[str, ...]:
    """All tables' page labels, each once: a page holding two of them holds part of the tables."""
    return tuple(dict.fromkeys(a for m in table_marks().values() for a in m.page))


@lru_cache(maxsize=1)
def web_labels() -> tuple[str, ...]:
    """All tables' labels that mark a web page's <table> as the report's own."""
    return tuple(dict.fromkeys(a for m in table_marks().values() for a in m.web))


def table_order() -> dict[str, int]:
    """Each table's place in a report (t2 → 0, t3 → 1, t4 → 2)."""
    return {kind: i for i, kind in enumerate(table_marks())}


def kinds_in(flat: str) -> set[str]:
    """Which tables a normalised text prints labels of that only that table prints."""
    return {kind for kind, m in table_marks().items() if any(a in flat for a in m.only)}


def opens(flat: str, kind: str) -> bool:
    """A normalised text holding the first row of table ``kind`` (a table that starts there)."""
    return any(a in flat for a in table_marks()[kind].first)


# ---- report titles and bodies -----------------------------------------------------------------------

def fold(text: str | None) -> str:
    """Text as the report patterns read it: NFKC (full-width digits and brackets folded), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def fold_digits(text: str | None) -> str:
    """Text without whitespace and with full-width digits as ASCII (a WPS title prints ２０２４ 年), all else kept."""
    return "".join((text or "").split()).translate(_WIDE_DIGITS)


SECTION_ONE = re.compile(r"^一\s*[、.．]")   # a report's first section heading (一、总体情况): its title is above it
WRAP_AT_YEAR = 4   # a title broken between its year and 年 may take this many lines (agency / 2024 / 年政府信息公开工作 / 年度报告)


@dataclass(frozen=True)
class _Reports:
    title_line: re.Pattern      # a whole line that is a report's title
    title_in: re.Pattern        # a report title inside a text: (?P<a1>agency) (?P<year>) (?P<a2>agency) kind
    link: re.Pattern            # a link or page title naming a report (a looser reading)
    cover: re.Pattern           # a cover letter sending a report: its quoted title is group 1
    cover_kind: re.Pattern      # what a cover letter may call the report
    notice: re.Pattern          # a notice, an explanation or a plan about reports
    year: re.Pattern
    bare_year: re.Pattern       # a line that is a year's digits alone (2024)
    body_marks: re.Pattern
    body_not: re.Pattern
    before_chars: int           # the body read from this far before its first mark (its title) ...
    head_chars: int             # ... to this far after it


def _alt(patterns: list[str]) -> str:
    return "(?:" + "|".join(patterns) + ")"


@lru_cache(maxsize=1)
def _reports() -> _Reports:
    r = load_schema().raw["reports"]
    year, kind, remark = r["year"], _alt(r["kinds"]), r["remark"]
    chars, most = r["agency"]["chars"], r["agency"]["max"]
    name, agency = f"{chars}{{0,{most}}}?", f"{chars}{{2,{most}}}?"     # an agency's name or nothing; a name
    line = re.compile(rf"^{name}{year}年度?{name}{kind}(?:{remark})?$|^{name}{kind}[（(]{year}年?度?[)）]$")
    title_in = re.compile(rf"(?P<a1>{agency})?(?P<year>{year})年度?(?P<a2>{name}){kind}")
    cover_kind = _alt(r["kinds"] + r["cover_letter"]["kinds"])
    body = r["body"]
    return _Reports(title_line=line, title_in=title_in, link=re.compile(_alt(r["link"])),
                    cover=re.compile(r["cover_letter"]["pattern"]), cover_kind=re.compile(cover_kind),
                    notice=re.compile(_alt(r["not"])), year=re.compile(year),
                    bare_year=re.compile(rf"^{year}$"), body_marks=re.compile(_alt(body["marks"])),
                    body_not=re.compile(_alt(body["not"])),
                    before_chars=int(body["before_chars"]), head_chars=int(body["head_chars"]))


def is_title_line(line: str) -> bool:
    """A whole line (whitespace removed) that is a report title: agency, year, 政府信息公开工作年度报告 (or 年报,
    or a misspelling printed on real sites), an optional (…) remark. Full-width digits count."""
    return bool(_reports().title_line.match(fold(line)))


def title_in(text: str) -> re.Match | None:
    """The first report title inside ``text`` (whitespace removed, full-width digits folded by the caller):
    groups ``a1`` (an agency before the year), ``year`` and ``a2`` (an agency after it)."""
    return _reports().title_in.search(text)


def titles_in(text: str) -> Iterator[re.Match]:
    """Every report title inside ``text``, in order (as ``title_in``)."""
    return _reports().title_in.finditer(text)


def is_bare_year(line: str) -> bool:
    """A line that holds a year's digits alone (a title broken between 2024 and 年)."""
    return bool(_reports().bare_year.match(fold(line)))


def wrapped_title(lines: list[str]) -> str | None:
    """The title that consecutive lines (whitespace removed) make when joined, or None. A year printed on a
    line of its own after the line it belongs before (a recogniser's line order, 年政府… / 2024) is put back."""
    text = "".join(lines)
    if is_title_line(text):
        return text
    for k in range(1, len(lines)):
        if is_bare_year(lines[k]) and lines[k - 1].startswith("年"):
            swapped = "".join(lines[:k - 1] + [lines[k], lines[k - 1]] + lines[k + 1:])
            if is_title_line(swapped):
                return swapped
    return None


def _cover_letter(t: str) -> str | None:
    """The report a cover letter (关于报送《…年度报告》的函) sends, or None."""
    m = _reports().cover.search(t)
    return m.group(1) if m and _reports().cover_kind.search(m.group(1)) else None


def is_report_title(text: str | None) -> bool:
    """A link text or page title that reads as an annual OGI report of one agency and year, a cover letter
    sending one included; a notice, plan or explanation about reports (通知, 解读 …) is not."""
    t = fold(text)
    rep = _reports()
    if rep.notice.search(t):
        return False
    inner = _cover_letter(t)
    if inner is not None:
        return bool(rep.year.search(inner))
    return bool(rep.link.search(t))


def presents_report(text: str) -> bool:
    """A line of a report's opening that presents it (本报告…, 统计期限…: the schema's body marks)."""
    return bool(_reports().body_marks.search(fold(text)))


def reads_as_report(title: str | None, body: str | None = None) -> bool:
    """A page that is an annual OGI report: its title reads as one, or (a title that is no notice) its body
    presents itself as one (本报告…, 统计期限…) near a year and 政府信息公开, and is no notice (通知如下 …)."""
    if is_report_title(title):
        return True
    rep = _reports()
    text = fold(body)
    mark = rep.body_marks.search(text)
    if rep.notice.search(fold(title)) or not mark:
        return False
    head = text[max(0, mark.start() - rep.before_chars):mark.start() + rep.head_chars]
    return bool("政府信息公开" in head and rep.year.search(head) and not rep.body_not.search(head))
