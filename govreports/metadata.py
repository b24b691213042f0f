"""Publishing agency and report year: every place that may name them is a candidate, the best wins.

Candidates are (source, text) pairs a reader found (a page's ArticleTitle meta, its ``<title>`` without
the site suffix, the first heading that reads as a report title, a PDF's /Title, ContentSource /
Author / SiteName metas, a printed 发布机构) plus the first lines of the text. A report title (a year
and 政府信息公开…报告) gives the year and usually the agency; candidates agree or outvote each other
by trust. A name-only source (ContentSource, SiteName …) gives the agency only when no title names one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema.recognise import SECTION_ONE, WRAP_AT_YEAR, fold_digits, is_bare_year, titles_in, wrapped_title

# The statistics period, read without whitespace and with full-width digits as ASCII (2024 年 01 月 01 日).
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计区间|统计时间|数据统计)[^0-9]{0,12}((?:19|20)\d{2})年0?1月0?1日")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# Breadcrumbs and labels before a name (当前位置：首页>…>年报>平潭…): everything up to the last of them goes.
_JUNK_PREFIX = re.compile(r"^(?:.*(?:首页|当前位置|位置|年报|栏目|标题|名称|来源|发布机构))")
# A section heading (六、其他需要报告的事项, （二）…, 3. …) is never a report title.
_ENUMERATED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[、.．])")
HEAD_CHARS = 3000
# What an agency's name ends with: a government, a department, an office, a body below them.
_AGENCY = re.compile(r"^[\u4e00-\u9fff（）()·]{3,40}$")
_AGENCY_END = re.compile(r"(?:政府|委员会|管委会|委|局|办|办公室|厅|部|院|署|中心|会|所|站|处|室|队|馆|社|区|县|市|州|盟|旗|"
                         r"镇|乡|街道|公司|集团|银行)$")

# How far each source is trusted to print the report title (the text's first lines are what the report
# itself prints; a PDF's /Title is often a template's or a file name) ...
TITLE_TRUST = {"ArticleTitle": 5, "heading": 4, "<title>": 4, "og:title": 4, "dc.title": 4, "text": 3,
               "docx title": 3, "PDF title": 2, "Description": 1, "Keywords": 1}
# ... and to name the publisher when no title does (a CMS's SiteName is the site's owner, not always the author).
NAME_TRUST = {"发布机构": 4, "ContentSource": 3, "来源": 3, "Author": 2, "ColumnName": 1, "<title> suffix": 1, "SiteName": 1}


@dataclass(frozen=True)
class Identity:
    """Who published a report and for which year, and where each was found."""

    agency: str | None
    year: int | None
    year_from: str            # title | statistics period | file name | unknown
    agency_from: str | None   # the source the agency came from (ArticleTitle, text, ContentSource, …)


def _clean_agency(a: str | None) -> str | None:
    if not a:
        return None
    a = _JUNK_PREFIX.sub("", a).strip("（）()·").removesuffix("关于")  # 某局关于2017年…报告: a cover letter's 关于
    return a if len(a) >= 2 else None


def parse_title(text: str) -> tuple[str | None, int] | None:
    """(agency or None, year) of a report title such as 平潭综合实验区2023年度政府信息公开工作年度报告;
    None for anything else (a section heading, a site name)."""
    if not text or _ENUMERATED.match(text):
        return None
    flat = fold_digits(text)   # the schema's reading of a report title, not one quoted inside another's
    m = next((m for m in titles_in(flat) if not _quoted_within(flat, m.start(), m.end())), None)
    if not m:
        return None
    return _clean_agency(m.group("a1")) or _clean_agency(m.group("a2")), int(m.group("year"))


def _quoted_within(s: str, start: int, end: int) -> bool:
    """True for a match inside a longer quoted document title (《…2015年政府信息公开年度报告有关事项的通知》);
    a quoted title that is the report itself (关于报送《…年度报告》的函) ends right after the match."""
    return s.rfind("《", 0, start) > s.rfind("》", 0, start) and not s.startswith("》", end)


def looks_like_agency(name: str | None) -> bool:
    """True for a name such as 平潭综合实验区交通与建设局 (not a column name, a person, or a URL)."""
    name = "".join((name or "").split())
    return bool(_AGENCY.match(name) and _AGENCY_END.search(name)) and name != "办公室"


def _best_agency(found: list[tuple[str, int]]) -> str | None:
    """The agency most candidates support: a spelling gets the weight of every candidate it equals or
    contains (淮安市洪泽区人民政府 is supported by 洪泽区人民政府); ties go to the more complete one."""
    if not found:
        return None
    names = {a for a, _ in found}
    return max(names, key=lambda a: (sum(w for b, w in found if b in a), len(a)))


def _wrapped_title(lines: list[str]) -> tuple[str, int] | None:
    """(title, lines it takes) of a title wrapped over three or four of ``lines`` with its agency first and
    broken between its year and 年 (淮安市洪泽区人民政府 / 2024 / 年政府信息公开工作年度报告)."""
    for w in range(3, len(lines) + 1):
        window = ["".join(x.split()) for x in lines[:w]]
        title = wrapped_title(window) if any(is_bare_year(x) for x in window) else None
        if title and (found := parse_title(title)) and found[0]:
            return title, w
    return None


def text_title(text: str, head: int = HEAD_CHARS) -> str:
    """The report's own title line in the text head: the last title printed before the first section
    heading (一、…), so a printed page's sidebar of earlier reports' links does not name the year;
    without a section heading, the first title within the first 600 characters."""
    lines = [ln.strip() for ln in text[:head].splitlines() if ln.strip()]
    titles: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if SECTION_ONE.match(line):
            if titles:
                return titles[-1]
            break
        prev, nxt = lines[i - 1] if i else "", lines[i + 1] if i + 1 < len(lines) else ""
        if found := parse_title(line):
            # the agency may stand on the line above (淮安市洪泽区人民政府 / 2024 年政府信息公开工作年度报告)
            above = parse_title(prev + line) if not found[0] and not parse_title(prev) else None
            titles.append(prev + line if above and above[0] else line)
        elif not parse_title(nxt) and parse_title(line + nxt):   # a title wrapped over two lines
            titles.append(line + nxt)
        elif wrapped := _wrapped_title(lines[i:i + WRAP_AT_YEAR]):   # agency / 2024 / 年政府信息公开工作 / 年度报告
            titles.append(wrapped[0])
            i += wrapped[1] - 1
        i += 1
    return "".join(text[:600].split())


def identify(candidates: list[tuple[str, str]], text: str, path: str | Path) -> Identity:
    """Agency and year from the candidates and the text head; the year falls back to the statistics
    period, then the file name, only when no report title exists."""
    cands = [(s, t) for s, t in candidates if t] + [("text", text_title(text))]
    titles = sorted(((s, p) for s, t in cands if s in TITLE_TRUST and (p := parse_title(t))),
                    key=lambda sp: -TITLE_TRUST[sp[0]])
    year, year_from = None, "unknown"
    if titles:
        votes: dict[int, int] = {}
        for s, (_, y) in titles:
            votes[y] = votes.get(y, 0) + TITLE_TRUST[s]
        year, year_from = max(votes, key=votes.__getitem__), "title"   # ties: the most trusted title's year
        named = [(s, a) for s, (a, y) in titles if a and y == year]
        if agency := _best_agency([(a, TITLE_TRUST[s]) for s, a in named]):
            return Identity(agency, year, year_from, next(s for s, a in named if a == agency))
    elif m := _PERIOD.search(fold_digits(text[:3000])):
        year, year_from = int(m.group(1)), "statistics period"
    elif m := _FILE_YEAR.search(Path(path).stem):
        year, year_from = int(m.group(1)), "file name"
    names = sorted(((s, "".join(t.split())) for s, t in cands if s in NAME_TRUST), key=lambda st: -NAME_TRUST[st[0]])
    source, agency = next(((s, t) for s, t in names if looks_like_agency(t)), (None, None))
    return Identity(agency, year, year_from, source)


def warnings(ident: Identity) -> list[str]:
    """What a reader of the record should know about where the agency and year came from."""
    out = []
    if ident.year is None:
        out.append("report year not found in a title, the statistics period or the file name")
    elif ident.year_from != "title":
        out.append(f"report year {ident.year} taken from the {ident.year_from}")
    if ident.agency is None:
        out.append("publishing agency not found: no report title, meta tag or printed 发布机构 names it")
    elif ident.agency_from in NAME_TRUST:
        out.append(f"publishing agency {ident.agency} taken from the page's {ident.agency_from} "
                   "(no report title names it)")
    return out
