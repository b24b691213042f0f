"""Who published a report page, and for which year: every candidate is gathered and scored.

Pages of several CMS templates around the real 平潭 2023 report body (tests/data/cms/make_pages.py).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from govreports import read_report
from govreports.corpus.regions import resolve
from govreports.metadata import identify, parse_title
from govreports.synth.roundtrip import failed_hard

DATA = Path(__file__).parent / "data"
CMS = DATA / "cms"
TRUTH = json.loads((DATA / "corpus-html" / "pingtan_2023.truth.json").read_text(encoding="utf-8"))

PAGES = [  # file, agency, title the record keeps, warning about the agency (None: the title named it)
    ("trs_h2_sections.html", "平潭综合实验区交通与建设局", "平潭综合实验区交通与建设局2023年度政府信息公开工作年度报告", None),
    ("title_suffix_only.html", "平潭综合实验区市场监督管理局",
     "平潭综合实验区市场监督管理局2023年政府信息公开工作年度报告", None),
    ("contentsource_only.html", "平潭综合实验区财政金融局", "2023年度政府信息公开工作年度报告",
     "publishing agency 平潭综合实验区财政金融局 taken from the page's ContentSource (no report title names it)"),
    ("info_table_heading.html", "平潭综合实验区社会事业局", "平潭综合实验区社会事业局2023年度政府信息公开工作年度报告", None),
]


def _about_origin(warnings: list[str]) -> list[str]:
    return [w for w in warnings if w.startswith(("publishing agency", "report year"))]


@pytest.mark.parametrize("name,agency,title,warning", PAGES, ids=[p[0] for p in PAGES])
def test_cms_page_names_its_publisher_year_and_division(name, agency, title, warning):
    rep = read_report(CMS / name)
    assert (rep.agency, rep.year) == (agency, 2023)
    assert rep.meta["title"] == title                 # never 六、其他需要报告的事项
    assert _about_origin(rep.warnings) == ([warning] if warning else [])
    division = resolve(rep.agency, rep.year).division
    assert (division.code, division.publisher_kind) == ("350128", "department")
    got = rep.values
    assert {c: got.get(c) for c in TRUTH["cells"]} == TRUTH["cells"]
    assert failed_hard(rep.checks) == set(TRUTH["failed_checks"])


def test_page_naming_neither_lands_without_agency_and_says_so():
    rep = read_report(CMS / "anonymous.html")
    assert (rep.agency, rep.year, rep.meta["title"]) == (None, 2023, None)
    assert _about_origin(rep.warnings) == [
        "report year 2023 taken from the statistics period",
        "publishing agency not found: no report title, meta tag or printed 发布机构 names it"]
    assert rep.values["t3.r1#c1"] == TRUTH["cells"]["t3.r1#c1"]


def test_section_headings_and_site_names_are_no_report_titles():
    assert parse_title("六、其他需要报告的事项") is None
    assert parse_title("（五）2023年度政府信息公开工作年度报告编制说明") is None
    assert parse_title("平潭综合实验区党工委管委会") is None
    assert parse_title("平潭综合实验区 2023 年度政府信息公开工作年度报告") == ("平潭综合实验区", 2023)
    assert parse_title("2024年度政府信息公开工作年度报告") == (None, 2024)


def test_year_comes_from_the_title_not_the_statistics_period():
    text = "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"
    ident = identify([("ArticleTitle", "2023年度政府信息公开工作年度报告"), ("ContentSource", "洪泽区财政局")],
                     text, "page.html")
    assert (ident.agency, ident.year, ident.year_from, ident.agency_from) == ("洪泽区财政局", 2023, "title",
                                                                             "ContentSource")
    assert identify([], text, "report_2021.pdf").year_from == "statistics period"


def test_candidates_outvote_each_other_and_the_most_complete_spelling_wins():
    # a stale PDF /Title (last year's template) loses to the printed title; the fuller name wins
    ident = identify([("PDF title", "洪泽区人民政府2022年政府信息公开工作年度报告")],
                     "淮安市洪泽区人民政府\n2023年政府信息公开工作年度报告\n一、总体情况", "x.pdf")
    assert (ident.agency, ident.year, ident.agency_from) == ("淮安市洪泽区人民政府", 2023, "text")
    ident = identify([("ArticleTitle", "洪泽区人民政府2023年度政府信息公开工作年度报告"), ("<title>", "洪泽区人民政府2023年度政府信息公开工作年度报告")],
                     "淮安市洪泽区人民政府2023年度政府信息公开工作年度报告", "x.html")
    assert (ident.agency, ident.agency_from) == ("淮安市洪泽区人民政府", "text")
    # a name that is not an agency (a column, a person, an empty meta) is not taken
    ident = identify([("ColumnName", "政府信息公开年报"), ("Author", "张三"), ("ContentSource", "")], "", "x.html")
    assert ident.agency is None


def test_the_title_before_the_first_section_heading_is_the_reports_own():
    """A printed page's sidebar lists earlier reports' titles above the report's own (贺兰 2020 printed by
    Chromium: 2019, 2018, 2017, then 2020); an agency printed on the line above the year is kept (洪泽)."""
    import pypdfium2

    from govreports.metadata import text_title

    def first_page(path: Path) -> str:
        return pypdfium2.PdfDocument(path)[0].get_textpage().get_text_range()

    helan = first_page(DATA / "producers-browser" / "chrome_helan_county.pdf")
    assert parse_title(text_title(helan)) == ("贺兰县", 2020)
    assert parse_title("".join(helan[:600].split())) == ("贺兰县", 2019)   # the first title printed
    assert parse_title(text_title(first_page(DATA / "corpus" / "hongzequ_2024.pdf"))) == ("淮安市洪泽区人民政府", 2024)
