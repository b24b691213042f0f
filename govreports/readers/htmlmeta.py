"""Metadata of a report page: title, publisher candidates, publication date (发布时间 / 发文日期 / 成文日期), URL, site."""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import lxml.html

from govreports.metadata import TITLE_TRUST, parse_title

# <meta name=...> keys that carry the publication date, in order of trust (CMS article pages use these).
_DATE_METAS = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "article:published_time",
               "dcterms.issued", "dc.date.issued", "dc.date")
# <meta name=...> keys that may print the report title, and those that may name the publisher
# (TRS, Hanweb and other government CMS templates; "Desctiption" is a real TRS misspelling).
_TITLE_METAS = {"articletitle": "ArticleTitle", "og:title": "og:title", "dc.title": "dc.title",
                "description": "Description", "desctiption": "Description", "keywords": "Keywords"}
_NAME_METAS = {"contentsource": "ContentSource", "author": "Author", "columnname": "ColumnName",
               "sitename": "SiteName", "og:site_name": "SiteName"}
_URL_METAS = ("url", "og:url")
_SITE_METAS = ("sitename", "og:site_name")
# Separators between a <title>'s parts (report title _ column _ site), not a hyphen inside a date.
_TITLE_SEP = r"[_|｜]|\s*(?:——|[-–—](?!\d))\s*"
# Printed publisher labels (政府信息公开 info tables, article info bars) and where their value stops.
_PRINTED_NAME = re.compile(r"(发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()·]{3,60})")
_NAME_STOP = re.compile(r"(?:发布|发文|成文|时间|日期|浏览|点击|字号|作者|访问|打印|分享|索引)")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b")
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


def _heading(root: lxml.html.HtmlElement) -> str | None:
    """The first heading (h1–h6, bold, or an element whose class/id says title) that reads as a report
    title; section headings (六、其他需要报告的事项) and links to other reports are not."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        marked = el.tag in _HEADINGS or re.search(r"title|tit\b|bt\b|biaoti", marks, re.I)
        if not marked or el.tag == "a" or any(a.tag == "a" for a in el.iterancestors()):
            continue
        text = " ".join(el.text_content().split())
        if len(text) <= 80 and parse_title(text):
            return text
    return None


def names(root: lxml.html.HtmlElement, metas: dict[str, str], text: str) -> list[tuple[str, str]]:
    """Every (source, text) on the page that may name the publisher and year: title and name metas,
    the first report-title heading, the <title> (report-title part and the other parts), printed 发布机构."""
    out = [(src, " ".join(metas[k].split())) for k, src in _TITLE_METAS.items() if metas.get(k)]
    if heading := _heading(root):
        out.append(("heading", heading))
    el = root.find(".//title")
    parts = [p.strip() for p in re.split(_TITLE_SEP, el.text_content() if el is not None else "") if p.strip()]
    main = next((p for p in parts if parse_title(p)), None)
    out += [("<title>", p) if p == main else ("<title> suffix", p) for p in parts]
    out += [(src, " ".join(metas[k].split())) for k, src in _NAME_METAS.items() if metas.get(k)]
    spaced = html.unescape(re.sub(r"<[^>]+>", " ", text))
    for m in _PRINTED_NAME.finditer(spaced):
        out.append(("发布机构" if m.group(1) in ("发布机构", "发文机关", "发布单位") else "来源",
                    _NAME_STOP.split(m.group(2))[0]))
    return out


def _title(candidates: list[tuple[str, str]]) -> str | None:
    """The page's report title: the most trusted candidate that reads as one, else the title meta."""
    titles = [(s, t) for s, t in candidates if s in TITLE_TRUST and parse_title(t)]
    if titles:
        return max(titles, key=lambda st: TITLE_TRUST[st[0]])[1]
    return next((t for s, t in candidates if s in ("ArticleTitle", "og:title", "dc.title")), None)


def page_meta(root: lxml.html.HtmlElement, text: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """title, published (ISO date or None), written (成文日期, when printed), url, site of a page, and
    the (source, text) candidates that may name its publisher and year.

    Read before the page furniture is dropped: the dates often sit in an info bar outside the article.
    """
    metas = _metas(root)
    # Labels and dates may be split over tags (发布时间：<span>2021-…); scripts and styles are no page text.
    source = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.I | re.S)
    published, written = printed_dates(html.unescape(re.sub(r"<[^>]+>", "", source)))
    published = next((d for k in _DATE_METAS if (d := _date_in(metas.get(k)))), None) or published
    found = names(root, metas, source)
    meta: dict[str, Any] = {"title": _title(found), "published": published or written}
    if written:
        meta["written"] = written
    if url := next((metas[k] for k in _URL_METAS if metas.get(k)), None):
        meta["url"] = url
    elif (link := root.find(".//link[@rel='canonical']")) is not None and link.get("href"):
        meta["url"] = link.get("href")
    if site := next((metas[k] for k in _SITE_METAS if metas.get(k)), None):
        meta["site"] = site
    return meta, found
