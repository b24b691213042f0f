"""``fetch --site``: from a government's home page to its annual-report (年报) columns and its departments'.

Only links named as the way to the disclosure pages are followed (cms.yaml ``site``), a few hops deep, so a
site is never crawled whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import yaml

from govreports.fetch.cms import CMS_FILE
from govreports.fetch.discovery import DOCUMENT_EXT, IMAGE_EXT, Link, canonical, decode, extension, same_site

_YEAR = re.compile(r"(19|20)\d{2}")
MAX_ENTRY_LABEL = 10     # characters: a menu entry or an agency's name, not a news headline mentioning 政务公开


@dataclass(frozen=True)
class SiteRules:
    max_hops: int
    max_pages: int
    entry: tuple[str, ...]
    column: tuple[str, ...]
    not_labels: tuple[str, ...]
    agency: tuple[str, ...]


@lru_cache(maxsize=None)
def rules() -> SiteRules:
    """The ``site`` section of cms.yaml."""
    d = yaml.safe_load(CMS_FILE.read_text(encoding="utf-8"))["site"]
    return SiteRules(int(d["max_hops"]), int(d["max_pages"]), tuple(d["entry_labels"]), tuple(d["column_labels"]),
                     tuple(d["not_labels"]), tuple(d["agency_suffixes"]))


def is_column(label: str) -> bool:
    """A link text naming an annual-report column (政府信息公开年报, 年度报告), not one report (no year)."""
    t = re.sub(r"\s+", "", label)
    r = rules()
    return (any(c in t for c in r.column) and not _YEAR.search(t) and not any(n in t for n in r.not_labels)
            and len(t) <= 20)


def is_entry(label: str, on_disclosure_page: bool) -> bool:
    """A link text leading towards disclosure pages: 政府信息公开 / 政务公开 …, or on such a page an agency's name."""
    t = re.sub(r"\s+", "", label)
    r = rules()
    if not t or len(t) > MAX_ENTRY_LABEL or any(n in t for n in r.not_labels):
        return False
    return any(e in t for e in r.entry) or (on_disclosure_page and t.endswith(r.agency))


def navigation(body: bytes, url: str, content_type: str | None, on_disclosure_page: bool) -> tuple[list[Link], list[Link]]:
    """The (entry, column) links of a site page: pages on the way to the 年报 columns, and those columns."""
    _, root = decode(body, content_type, url)
    entries: list[Link] = []
    columns: list[Link] = []
    seen = {canonical(url)}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        target = canonical(urljoin(url, href))
        if (target in seen or urlsplit(target).scheme not in ("http", "https") or not same_site(target, url)
                or extension(target) in DOCUMENT_EXT | IMAGE_EXT):
            continue
        label = " ".join((a.text_content() or a.get("title") or "").split())
        if is_column(label):
            seen.add(target)
            columns.append(Link(target, label))
        elif is_entry(label, on_disclosure_page):
            seen.add(target)
            entries.append(Link(target, label))
    return entries, columns
