"""The static pages around the rendered analyses: ``index.html`` (every page, the dataset's files, the
codebook, the indicator definitions), the codebook and indicator definitions as pages, and the links
from every table cell naming a publisher to that publisher's page. Same fonts, print stylesheet and
click-to-sort tables as the analyses, all inline (no network)."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Iterable

import mistune

from govreports.corpus.dataset import TABLE_NAMES

TITLES = {
    "zh": {"title": "政府信息公开工作年度报告 · 分析", "analyses": "分析", "publishers": "发布机关", "data": "数据",
           "failed": "未能生成", "codebook": "数据说明（codebook）", "indicators": "指标定义",
           "left_out": "另有 {n} 个发布机关未生成页面；生成某一机关：", "dataset": "数据集"},
    "en": {"title": "Annual reports on government information disclosure · analyses", "analyses": "Analyses",
           "publishers": "Publishers", "data": "Data", "failed": "Failed", "codebook": "Codebook",
           "indicators": "Indicator definitions",
           "left_out": "{n} more publishers have no page here; render one with", "dataset": "Dataset"},
}


def page(title: str, body: str, css: str, script: str, lang: str = "zh") -> str:
    """A standalone page with the analyses' look: CJK font fallback, print stylesheet, sortable tables."""
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{css}\n"
            "body.page{max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6;color:#1a202c}"
            "table{border-collapse:collapse;font-size:13px;margin:.5em 0 1em}th,td{border-bottom:1px solid #e2e8f0;"
            "padding:3px 8px;text-align:left;vertical-align:top}thead th{background:#edf2f7}li{margin:.3em 0}"
            "pre{white-space:pre-wrap;font-size:.85em}code{background:#f7fafc;padding:0 .2em}</style></head>"
            f'<body class="page">{body}<script>{script}</script></body></html>\n')


def markdown_page(title: str, text: str, css: str, script: str, lang: str = "zh") -> str:
    """A Markdown document (the codebook, the indicator definitions) as a page; its tables sortable."""
    return page(title, mistune.html(text), css, script, lang)


def _rel(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


def index(folder: Path, dataset: Path, pages: list[tuple[str, str, str]], publisher_pages: list[tuple[str, str]],
          errors: list[tuple[str, str]], left_out: int, css: str, script: str, lang: str = "zh") -> str:
    """``index.html`` of a render folder: ``pages`` as (file, name, description), ``publisher_pages`` as
    (file, publisher), the dataset's files (linked relative to ``folder``), codebook and indicators."""
    t = TITLES[lang]
    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(n)}</a> — {html.escape(d)}</li>' for f, n, d in pages)
    pubs = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(p)}</a></li>' for f, p in publisher_pages)
    more = (f"<p>{html.escape(t['left_out'].format(n=left_out))} <code>govreports render publisher --dataset DIR "
            "-p agency NAME --out FILE.html</code></p>") if left_out else ""
    files = []
    for name in TABLE_NAMES:
        got = [ext for ext in ("csv", "parquet") if (dataset / f"{name}.{ext}").is_file()]
        if got:
            files.append(f"<li><code>{name}</code>: " + " · ".join(
                f'<a href="{_rel(dataset / f"{name}.{ext}", folder)}">{ext}</a>' for ext in got) + "</li>")
    if (dataset / "datapackage.json").is_file():
        files.append(f'<li><a href="{_rel(dataset / "datapackage.json", folder)}">datapackage.json</a> (Frictionless)</li>')
    codebook = '<li><a href="codebook.html">' + html.escape(t["codebook"]) + "</a>" + (
        f' (<a href="{_rel(dataset / "codebook.md", folder)}">codebook.md</a>)' if (dataset / "codebook.md").is_file() else "") + "</li>"
    failed = "\n".join(f"<li><b>{html.escape(n)}</b>: <pre>{html.escape(e)}</pre></li>" for n, e in errors)
    body = (f"<h1>{html.escape(t['title'])}</h1><p>{html.escape(t['dataset'])}: <code>{html.escape(str(dataset.resolve()))}"
            f"</code></p><h2>{t['analyses']}</h2><ul>{items}</ul>"
            + (f"<h2>{t['publishers']}</h2><ul>{pubs}</ul>{more}" if pubs or more else "")
            + f"<h2>{t['data']}</h2><ul>{''.join(files)}{codebook}"
            f'<li><a href="indicators.html">{html.escape(t["indicators"])}</a></li></ul>'
            + (f"<h2>{t['failed']}</h2><ul>{failed}</ul>" if errors else ""))
    return page(t["title"], body, css, script, lang)


_CELL = re.compile(r"(<td[^>]*>)([^<]+)(</td>)")


def link_publishers(text: str, pages: dict[str, str]) -> str:
    """Every table cell of an HTML page that names a publisher with a page (alone or followed by a year,
    '淮安市洪泽区人民政府 2024') becomes a link to that page."""
    if not pages:
        return text

    def link(m: re.Match) -> str:
        shown = m.group(2)
        name = html.unescape(shown).strip()
        base = re.sub(r"\s+\d{4}$", "", name)
        target = pages.get(base)
        return f'{m.group(1)}<a href="{html.escape(target)}">{shown}</a>{m.group(3)}' if target else m.group(0)

    return _CELL.sub(link, text)


def link_folder(folder: Path, files: Iterable[str], pages: dict[str, str]) -> None:
    """Link the publishers in the tables of each HTML file of ``folder`` named in ``files``."""
    for name in files:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        linked = link_publishers(text, pages)
        if linked != text:
            path.write_text(linked, encoding="utf-8")
