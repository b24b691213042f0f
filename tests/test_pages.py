"""The rendered site: index.html reaches every page, the dataset's files, the codebook and the indicator
definitions; one page per publisher that the rankings link to; tables that sort without network; pages
in English; compare_years printing to A4. Uses the session's `render all` of the bundled real reports
(test_render's fixture); the browser checks run headless Chromium when it is installed."""
from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from govreports.fonts import fontconfig_env
from govreports import pages, render as R
from govreports.analysis import english as E
from test_render import rendered  # noqa: F401  (the session's rendered site)

HREF = re.compile(r'href="([^"#]+)"')
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _links(page: Path) -> list[Path]:
    return [(page.parent / unquote(h)).resolve() for h in HREF.findall(page.read_text(encoding="utf-8"))
            if not h.startswith(("http:", "https:", "data:"))]


def test_index_reaches_every_page_and_every_link_exists(rendered):
    folder = rendered[1]
    seen, todo = set(), [(folder / "index.html").resolve()]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for target in _links(page):
            assert target.exists(), f"{page.name} links to missing {target}"
            if target.suffix == ".html" and target.parent == folder.resolve():
                todo.append(target)
    html_files = {p.resolve() for p in folder.glob("*.html")}
    assert html_files <= seen, f"not reachable from index.html: {sorted(p.name for p in html_files - seen)}"
    assert {"publisher-淮安市洪泽区人民政府.html", "publisher-平潭综合实验区.html",
            "publisher-银川市贺兰县人民政府.html", "codebook.html", "indicators.html"} <= {p.name for p in html_files}


def test_index_links_the_dataset_files_codebook_and_indicator_definitions(rendered):
    dataset, folder = rendered
    targets = set(_links(folder / "index.html"))
    for name in ("reports", "cells", "checks", "texts"):
        assert (dataset / f"{name}.csv").resolve() in targets and (dataset / f"{name}.parquet").resolve() in targets
    assert (dataset / "codebook.md").resolve() in targets
    indicators = (folder / "indicators.html").read_text(encoding="utf-8")
    assert "substantive_disclosure_rate" in indicators and "<table>" in indicators
    assert "narrative_reuse" in (folder / "codebook.html").read_text(encoding="utf-8")


def test_rankings_link_to_the_publisher_pages(rendered):
    regions = (rendered[1] / "compare_regions.html").read_text(encoding="utf-8")
    assert '<a href="publisher-淮安市洪泽区人民政府.html">淮安市洪泽区人民政府 2024</a>' in regions
    assert '<a href="publisher-平潭综合实验区.html">平潭综合实验区 2025</a>' in regions


def test_publisher_page_has_report_card_trends_latest_diff_and_quality(rendered):
    page = (rendered[1] / "publisher-淮安市洪泽区人民政府.html").read_text(encoding="utf-8")
    for heading in ("报告卡 Report card: 2024", "趋势 Trends", "最近两年对比 2023 → 2024", "数据质量 Data quality"):
        assert heading in page
    assert "hongzequ_2023.pdf" in page and "hongzequ_2024.pdf" in page  # where each report came from
    sha = pd.read_parquet(rendered[0] / "reports.parquet").set_index("file").at["hongzequ_2024.pdf", "sha256"]
    assert len(sha) == 64 and sha in page  # the file's full hash, to cite and check it by
    assert '<td class="chg down">10</td><td class="chg down">1</td>' in page  # 行政复议 结果维持 10 → 1
    assert "表三 本年新收申请 总计" in page  # the 2024 text's 17 against table 三's 95
    one = (rendered[1] / "publisher-银川市贺兰县人民政府.html").read_text(encoding="utf-8")
    assert "No year-over-year comparison:</strong> 银川市贺兰县人民政府 has one report (2020)" in one
    assert "最近两年对比" not in one


def test_compare_years_with_one_report_is_one_line(rendered, tmp_path):
    out = R.render("compare_years", rendered[0], {"agency": "贺兰"}, tmp_path / "one.html", progress=False)
    page = out.read_text(encoding="utf-8")
    assert "Nothing to compare:</strong> 银川市贺兰县人民政府 has one report (2020)" in page
    for heading in ("两年表格全貌", "变化明细", "正文与表格不符", "指标 Indicators", "叙述文字", "图 Figures"):
        assert heading not in page


def test_english_pages_put_english_labels_beside_the_chinese(rendered, tmp_path):
    out = R.render("report_card", rendered[0], {"agency": "洪泽", "year": 2024}, tmp_path / "en.html",
                   progress=False, lang="en")
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "language en" in page
    assert "Granted 予以公开" in page and "Natural person 自然人" in page
    assert "Substantive disclosure rate (granted + partial) 实质公开率（予以公开 + 部分公开）" in page
    with pytest.raises(R.RenderError, match="--lang 'fr'"):
        R.render("report_card", rendered[0], {}, tmp_path / "fr.html", progress=False, lang="fr")
    zh = (rendered[1] / "report_card.html").read_text(encoding="utf-8")
    assert "Granted 予以公开" not in zh and "language zh" in zh


def test_english_labels_come_from_the_schema_and_indicators(monkeypatch):
    frame = pd.DataFrame({"项目": ["予以公开", "不予公开：属于国家秘密", "洪泽"], "总计": [1, 2, 3]})
    out = E.translate(frame)
    assert list(out.columns) == ["Item 项目", "Total 总计"]
    assert list(out["Item 项目"]) == ["Granted 予以公开", "Denied: state secret 不予公开：属于国家秘密", "洪泽"]
    monkeypatch.setenv(E.LANG_ENV, "zh")
    assert E.for_page(frame) is frame


def test_link_publishers_links_names_alone_or_with_a_year():
    text = "<td>平潭综合实验区 2024</td><td class='x'>平潭综合实验区</td><td>平潭综合实验区以外</td>"
    out = pages.link_publishers(text, {"平潭综合实验区": "publisher-平潭综合实验区.html"})
    assert out.count('<a href="publisher-平潭综合实验区.html">') == 2 and "<td>平潭综合实验区以外</td>" in out


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (Debian package chromium) not installed")
def test_tables_sort_in_a_browser_without_network(tmp_path):
    page = tmp_path / "sort.html"
    body = ("<table><thead><tr><th>机关</th><th>件数</th></tr></thead><tbody><tr><td>乙</td><td>1,200</td></tr>"
            "<tr><td>甲</td><td>95</td></tr><tr><td>丙</td><td>—</td></tr></tbody></table>"
            "<table class='nosort'><thead><tr><th>x</th></tr></thead><tbody><tr><td>2</td></tr><tr><td>1</td></tr></tbody></table>")
    click = "<script>document.querySelectorAll('th')[1].click();</script>"
    page.write_text(pages.page("t", body, R.PAGE_CSS, R.SORT_SCRIPT).replace("</body>", click + "</body>"), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120, env=fontconfig_env()).stdout
    first = re.findall(r"<td>([^<]*)</td>", dom)
    assert first[:6] == ["甲", "95", "乙", "1,200", "丙", "—"]  # numbers by value, text after
    assert first[6:] == ["2", "1"]  # a table marked nosort keeps its printed order
    assert 'aria-sort="ascending"' in dom


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (Debian package chromium) not installed")
def test_compare_years_prints_to_a4_with_its_chinese(rendered, tmp_path):
    import pypdfium2

    pdf = tmp_path / "compare_years.pdf"
    subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    "--virtual-time-budget=10000", f"--print-to-pdf={pdf}", (rendered[1] / "compare_years.html").as_uri()],
                   capture_output=True, timeout=180, env=fontconfig_env())
    doc = pypdfium2.PdfDocument(pdf)
    assert len(doc) >= 3
    width, height = doc[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "表三 收到和处理政府信息公开申请情况" in text and "两年表格全貌" in text
    # the title's Chinese is set in the bundled CJK font; without it Chromium falls back to a Latin font's empty boxes
    page = doc[0].get_textpage()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    assert page.get_text_range().startswith("年度对比")
    pypdfium2.raw.FPDFText_GetFontInfo(page.raw, 0, name, 256, ctypes.byref(flags))
    assert b"DejaVu" not in name.value
