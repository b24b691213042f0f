"""The listing patterns of CMS families (``cms.yaml``): items kept outside the HTML, further pages a page's
script or page bar reveals, the records a listing says it has, and JSON data sources.

Everything family-specific is data in ``cms.yaml``; this module only applies it.
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from govreports.schema import graphics

CMS_FILE = Path(__file__).with_name("cms.yaml")
MAX_GENERATED_PAGES = 500     # a listing claiming more pages than this is read no further (a broken count)


@dataclass(frozen=True)
class LinkPattern:
    href: re.Pattern[str]
    first: int
    labelled: bool


@dataclass(frozen=True)
class Family:
    """One CMS family's listing patterns (see the header of cms.yaml)."""

    name: str
    cms: str
    fixture: str
    records: re.Pattern[str] | None = None
    total: re.Pattern[str] | None = None
    perpage: re.Pattern[str] | None = None
    pages: tuple[re.Pattern[str], str] | None = None
    links: LinkPattern | None = None
    json: dict[str, tuple[str, ...]] | None = None
    expect: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Patterns:
    families: tuple[Family, ...]
    next_labels: frozenset[str]
    last_labels: frozenset[str]
    cut_marks: tuple[str, ...]
    total_text: re.Pattern[str]
    article_body: tuple[str, ...]


def _re(value: str | None) -> re.Pattern[str] | None:
    return re.compile(value, re.I | re.S) if value else None


@lru_cache(maxsize=None)
def patterns(path: Path = CMS_FILE) -> Patterns:
    """The CMS patterns of ``path`` (default: the package's cms.yaml), compiled once."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    fams = []
    for e in data["families"]:
        try:
            pages = (_re(e["pages"]["match"]), e["pages"]["url"]) if "pages" in e else None
            links = LinkPattern(re.compile(e["links"]["href"], re.I), int(e["links"].get("first", 1)),
                                bool(e["links"].get("labelled", False))) if "links" in e else None
            js = {k: tuple(v) for k, v in e["json"].items()} if "json" in e else None
            fams.append(Family(e["name"], e["cms"], e["fixture"], _re(e.get("records")), _re(e.get("total")),
                               _re(e.get("perpage")), pages, links, js, e.get("expect", {})))
        except (KeyError, re.error, TypeError) as err:
            raise ValueError(f"{path}: CMS entry {e.get('name', '?')!r} is malformed: {err}") from None
    return Patterns(tuple(fams), frozenset(data["next_labels"]), frozenset(data["last_labels"]),
                    tuple(data["cut_marks"]), re.compile(data["total_text"]), tuple(data["article_body"]))


def _first_int(rx: re.Pattern[str] | None, text: str) -> int | None:
    m = rx.search(text) if rx else None
    if not m:
        return None
    return next((int(g) for g in m.groups() if g), None) if m.groups() else None


@dataclass
class Revealed:
    """What a listing's text reveals beyond its links."""

    fragments: list[str] = field(default_factory=list)   # HTML fragments holding more items
    pages: list[str] = field(default_factory=list)       # further page addresses (relative to the page)
    total: int | None = None                             # records the listing says it has
    perpage: int | None = None
    families: list[str] = field(default_factory=list)    # entries that matched


def _page_urls(template: str, fields: dict[str, str], count: int, perpage: int, total: int | None,
               max_pages: int | None, held: int = 0) -> Iterator[str]:
    """Addresses of pages 2 … count; ``held``: records the page itself holds (pages within them are skipped)."""
    last = min(count, MAX_GENERATED_PAGES, max_pages or count)
    for page in range(2, last + 1):
        start = (page - 1) * perpage + 1
        end = page * perpage if total is None else min(page * perpage, total)
        if "{start}" in template and end <= held:
            continue
        yield template.format(**fields, page=page, index=page - 1, start=start, end=end, perpage=perpage)


def reveal(text: str, shown: int, max_pages: int | None = None) -> Revealed:
    """Apply every family to a listing's decoded text; ``shown``: items the page itself shows."""
    pats = patterns()
    out = Revealed()
    for fam in pats.families:
        frags = [html.unescape(m.group(1)) if "&lt;" in m.group(1) else m.group(1)
                 for m in fam.records.finditer(text)] if fam.records else []
        total = _first_int(fam.total, text)
        perpage = _first_int(fam.perpage, text)
        m = fam.pages[0].search(text) if fam.pages else None
        if frags or total is not None or m:
            out.families.append(fam.name)
        out.fragments += frags
        out.total = out.total if total is None else max(out.total or 0, total)
        out.perpage = out.perpage or perpage
        if m is None:
            continue
        fields = {k: html.unescape(v or "") for k, v in m.groupdict().items()}
        fields["sep"] = "&" if "?" in fields.get("source", "") else "?"
        per = perpage or max(shown + len(frags), 1)
        if "count" in fields:
            count = int(fields["count"])
        elif total is not None:
            count = math.ceil(total / per)
        else:
            continue
        out.pages += _page_urls(fam.pages[1], fields, count, per, total, max_pages, len(frags))
    if out.total is None:
        out.total = _first_int(pats.total_text, re.sub(r"<[^>]+>", "", text))
    return out


def link_page(href: str) -> tuple[LinkPattern, re.Match[str]] | None:
    """The pagination pattern an address matches (and its match), if any."""
    for fam in patterns().families:
        if fam.links:
            m = fam.links.href.search(href)
            if m:
                return fam.links, m
    return None


def fill_gaps(found: list[str], max_pages: int | None = None) -> list[str]:
    """Page addresses between the lowest page number and the highest one the page bar links (尾页 → all pages)."""
    groups: dict[tuple[str, str, int, LinkPattern], set[int]] = {}
    for url in found:
        hit = link_page(url)
        if hit is None:
            continue
        pat, m = hit
        n = int(m.group("n"))
        key = (url[:m.start("n")], url[m.end("n"):], len(m.group("n")) if m.group("n").startswith("0") else 0, pat)
        groups.setdefault(key, set()).add(n)
    more = []
    for (head, tail, width, pat), nums in groups.items():
        top = min(max(nums), pat.first + MAX_GENERATED_PAGES, pat.first + (max_pages or MAX_GENERATED_PAGES) - 2)
        more += [f"{head}{str(n).zfill(width)}{tail}" for n in range(min(pat.first, min(nums)), top + 1)]
    return more


def is_page_label(label: str) -> bool:
    """A page-bar label: 下一页 / 尾页 / a page number."""
    t = label.strip().lower()
    return t in patterns().next_labels or (t.isdigit() and len(t) <= 4)


def link_text(text: str, title: str) -> str:
    """A link's label: its text, or its title attribute when the text is cut short with … (or adds to it)."""
    text, title = " ".join(text.split()), " ".join(title.split())
    if title and text.rstrip().endswith(patterns().cut_marks):
        return title
    return text if not title or title in text else f"{text} {title}".strip()


def json_items(body: bytes) -> list[tuple[str, str]] | None:
    """(title, address) of the items a JSON data source lists; None when the body is not JSON."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    keys = [f.json for f in patterns().families if f.json]
    titles = tuple(k for j in keys for k in j["title"])
    urls = tuple(k for j in keys for k in j["url"])
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            t = next((node[k] for k in titles if isinstance(node.get(k), str)), None)
            u = next((node[k] for k in urls if isinstance(node.get(k), str)), None)
            if t and u:
                out.append((t, u))
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return out


def is_chrome_picture(url: str) -> bool:
    """A site graphic by its file name (logo, QR code, banner, icon, an attachment's file-type icon): the
    crawler's list of ``schema/site_graphics.yaml``."""
    return graphics.is_site_graphic(url.rsplit("?", 1)[0], "crawler")  # the pattern ignores case
