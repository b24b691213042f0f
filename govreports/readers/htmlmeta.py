"""Metadata of a report page: title, publication date (发布时间 / 发文日期 / 成文日期), source URL, site."""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import lxml.html

# <meta name=...> keys that carry the publication date, in order of trust (CMS article pages use these).
_DATE_METAS = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "article:published_time",
               "dcterms.issued", "dc.date.issued", "dc.date")
_TITLE_METAS = ("articletitle", "og:title", "dc.title")
_URL_METAS = ("url", "og:url")
_SITE_METAS = ("sitename", "og:site_name")
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
# Labels printed on the page; 发布 is the publication, 成文 the signing (kept as 'written', a fallback).
_PUBLISHED_LABELS = r"(?:发布时间|发布日期|发文日期|公开日期|发表时间)"
_WRITTEN_LABELS = r"(?:成文日期|成文时间|印发日期)"


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        day = dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
    return day.isoformat() if 2000 <= day.year <= 2100 else None


def _date_in(s: str | None) -> str | None:
    m = re.search(_DATE, s or "")
    return _iso(*m.groups()) if m else None


def _labelled_date(labels: str, text: str) -> str | None:
    for m in re.finditer(labels + r"\s*[:：]?\s*" + _DATE, text):
        if iso := _iso(*m.groups()):
            return iso
    return None


def printed_dates(text: str) -> tuple[str | None, str | None]:
    """(published, written) ISO dates printed in ``text`` after 发布时间/发文日期… and 成文日期 labels."""
    return _labelled_date(_PUBLISHED_LABELS, text), _labelled_date(_WRITTEN_LABELS, text)


def _metas(root: lxml.html.HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").strip().lower()
        if key and (m.get("content") or "").strip() and key not in out:
            out[key] = m.get("content").strip()
    return out


def _title(root: lxml.html.HtmlElement, metas: dict[str, str]) -> str | None:
    """ArticleTitle-like meta, else the first <h1> that reads like a title, else <title> without the site name."""
    for key in _TITLE_METAS:
        if metas.get(key):
            return " ".join(metas[key].split())
    for h in root.iter("h1", "h2"):
        t = " ".join(h.text_content().split())
        if len(t) >= 6 and "报告" in t:
            return t
    el = root.find(".//title")
    if el is None or not (el.text or "").strip():
        return None
    parts = [p.strip() for p in re.split(r"[_|｜]|\s*[-–—](?!\d)\s*", el.text) if p.strip()]
    return next((p for p in parts if "报告" in p), parts[0] if parts else None)


def page_meta(root: lxml.html.HtmlElement, text: str) -> dict[str, Any]:
    """title, published (ISO date or None), written (成文日期, when printed), url, site of a page.

    Read before the page furniture is dropped: the dates often sit in an info bar outside the article.
    """
    metas = _metas(root)
    # Labels and dates may be split over tags (发布时间：<span>2021-…); scripts and styles are no page text.
    plain = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.I | re.S)
    plain = html.unescape(re.sub(r"<[^>]+>", "", plain))
    published, written = printed_dates(plain)
    published = next((d for k in _DATE_METAS if (d := _date_in(metas.get(k)))), None) or published
    meta: dict[str, Any] = {"title": _title(root, metas), "published": published or written}
    if written:
        meta["written"] = written
    if url := next((metas[k] for k in _URL_METAS if metas.get(k)), None):
        meta["url"] = url
    elif (link := root.find(".//link[@rel='canonical']")) is not None and link.get("href"):
        meta["url"] = link.get("href")
    if site := next((metas[k] for k in _SITE_METAS if metas.get(k)), None):
        meta["site"] = site
    return meta
