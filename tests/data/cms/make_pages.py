#!/usr/bin/env python3
"""Write report pages of several government CMS templates around one real report body, for the tests of
who published a page (agency and year from meta tags, <title>, headings, printed 发布机构).

Run from the repository root:  .venv/bin/python tests/data/cms/make_pages.py
The article body (narrative and tables 二/三/四, exact) is 平潭综合实验区's 2023 report
(tests/data/corpus-html/pingtan_2023.html, values in pingtan_2023.truth.json). The templates name a
department of 平潭 as the publisher, the way department pages on the same site do:

  trs_h2_sections.html       TRS: ArticleTitle / ContentSource / SiteName metas, <title> = title_column_site,
                             the body's section headings are <h2> (六、其他需要报告的事项 among them), a
                             sidebar links another department's report
  title_suffix_only.html     no title meta; only <title> "…报告-平潭综合实验区政府网站" names the report;
                             <h2> section headings
  contentsource_only.html    ArticleTitle and the heading print the year only (2023年度…报告); the agency
                             is only in ContentSource; the body's first bold line is 一、总体情况
  info_table_heading.html    政务公开 template: a 索引号/发布机构 info table and the title in a
                             <div class="xxgk_title"> broken by <br>; <title> is the site name only
  anonymous.html             names neither agency nor year anywhere but in the running text
"""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "corpus-html" / "pingtan_2023.html"
SITE = "平潭综合实验区党工委管委会"
TRAFFIC, MARKET, FINANCE, SOCIAL = (f"平潭综合实验区{d}" for d in ("交通与建设局", "市场监督管理局", "财政金融局",
                                                                 "社会事业局"))


def _body(h2_sections: bool) -> str:
    html = SOURCE.read_text(encoding="utf-8")
    start = html.index("<div class=TRS_Editor>")
    body = html[start: html.index("</div>", start) + len("</div>")]
    if h2_sections:
        body = re.sub(r"<p[^>]*><strong>(?:&nbsp;)?\s*([一二三四五六]、[^<]+)</strong>(?:&nbsp;)?</p>", r"<h2>\1</h2>", body)
    return body


def _page(head: str, before: str, body: str, after: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n<body>\n'
            f'<div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="#">部门年报</a></div>\n'
            f'<div class="main">\n{before}\n<div class="article_content">\n{body}\n</div>\n{after}\n</div>\n'
            f'<div class="footer">主办单位：{SITE} 闽ICP备09032658号</div>\n</body>\n</html>\n')


def _metas(**kv: str) -> str:
    return "\n".join(f'<meta name="{k}" content="{v}"/>' for k, v in kv.items())


def pages() -> dict[str, str]:
    title = f"{TRAFFIC}2023年度政府信息公开工作年度报告"
    sidebar = ('<div class="related"><h3>相关链接</h3><ul>'
               f'<li><a href="/bm/czj/t1.htm">{FINANCE}2023年度政府信息公开工作年度报告</a></li>'
               f'<li><a href="/bm/jtj/t0.htm">{TRAFFIC}2022年度政府信息公开工作年度报告</a></li></ul></div>')
    trs = _page(_metas(SiteName=SITE, ColumnName="部门年报", ArticleTitle=title, PubDate="2024-01-26 10:12",
                       ContentSource=TRAFFIC, Author="", Desctiption="")
                + f"\n<title>{title}_部门年报_{SITE}</title>",
                '<div class="article_extend"><span>来源：' + TRAFFIC + '</span> <span>时间：2024-01-26 10:12</span></div>',
                _body(h2_sections=True), sidebar)
    suffix = _page(_metas(Keywords="政府信息公开,年度报告", Description="")
                   + f"\n<title>{MARKET}2023年政府信息公开工作年度报告-平潭综合实验区政府网站</title>",
                   '<div class="info">发布时间：2024-01-22</div>', _body(h2_sections=True))
    year_only = "2023年度政府信息公开工作年度报告"
    source_only = _page(_metas(SiteName=SITE, ColumnName="部门年报", ArticleTitle=year_only,
                               PubDate="2024-01-30 09:00", ContentSource=FINANCE)
                        + f"\n<title>{year_only}_部门年报_{SITE}</title>",
                        f'<div class="article_title">{year_only}</div>', _body(h2_sections=False))
    info = ('<table class="xxgk_info"><tr><td>索引号：</td><td>FJ00201-0200-2024-00007</td>'
            f'<td>发布机构：</td><td>{SOCIAL}</td></tr>'
            '<tr><td>生成日期：</td><td>2024-01-29</td><td>公开方式：</td><td>主动公开</td></tr></table>'
            f'<div class="xxgk_title">{SOCIAL}<br/>2023年度政府信息公开工作年度报告</div>')
    heading = _page(f"<title>{SITE}</title>", info, _body(h2_sections=False))
    anonymous = _page("<title>政府信息公开工作年度报告</title>", "", _body(h2_sections=True))
    return {"trs_h2_sections.html": trs, "title_suffix_only.html": suffix, "contentsource_only.html": source_only,
            "info_table_heading.html": heading, "anonymous.html": anonymous}


if __name__ == "__main__":
    for name, text in pages().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(name, len(text.encode()))
