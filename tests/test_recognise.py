"""Which table is which and which page is a report: the schema's data (ogi.yaml ``recognise`` and ``reports``),
asked by page finding, compilation splitting, crawl classification and mapping."""
from __future__ import annotations

import pytest

from conftest import CORPUS, CORPUS_HTML
from govreports.fetch.discovery import decode, is_report_page, is_report_title
from govreports.schema import load_schema
from govreports.schema.recognise import page_labels, reads_as_report, table_marks, web_labels

REPORTS = [
    "平潭综合实验区2023年政府信息公开工作年度报告",
    "平潭综合实验区交通与建设局2016年度政府信息公开工作年度报告",
    "县教育局2022年政府信息公开年报.pdf",
    "淮安市洪泽区人民政府２０２４年政府信息公开工作年度报告",                       # full-width digits
    "平潭综合实验区社会事业局2016年政府信息工作公开年度报告",                       # misspelt, as printed
    "关于报送《平潭综合实验区经济发展局2016年政府信息公开工作情况》的函",            # a cover letter
    "关于报送2017年度政府信息公开工作年度报告的函",
    "2014年  政府信息公开  年度报告",
]
NOT_REPORTS = [
    "关于做好2023年政府信息公开工作年度报告编制工作的通知",
    "《2023年政府信息公开工作年度报告》解读",
    "图解：平潭综合实验区2022年政府信息公开工作年度报告",
    "关于印发《平潭综合实验区财政金融局2017年政务公开工作任务实施方案》的通知",
    "关于报送2018年“1+X”专项督查工作计划的报告",                                  # a cover letter, not a report's
    "关于报送《政府信息公开工作年度报告》的函",                                      # no year: of no one year
    "政府信息公开年报",                                                              # the column's name
    "2015年1-9月采购办（控办）工作简要情况",
]


@pytest.mark.parametrize("title", REPORTS)
def test_report_titles(title):
    assert is_report_title(title)


@pytest.mark.parametrize("title", NOT_REPORTS)
def test_titles_that_are_no_report(title):
    assert not is_report_title(title)


def _root(html: str):
    return decode(html.encode("utf-8"), "text/html; charset=utf-8", "page.html")[1]


@pytest.mark.parametrize("year", [2019, 2021, 2024])
def test_a_report_page_is_a_report_by_its_body(year):
    """The real 平潭 pages with a page title that names no report (a CMS that titles every page with the
    site's name): the body presents itself as the year's report."""
    html = (CORPUS_HTML / f"pingtan_{year}.html").read_text(encoding="utf-8")
    root = _root(html)
    assert is_report_page("平潭综合实验区管委会", root)
    text = (CORPUS / "helanxian_2020.txt").read_text(encoding="utf-8")
    assert reads_as_report("贺兰县人民政府", text)       # 依据《条例》…制定本报告


def test_notices_and_listings_are_no_report_by_their_body():
    notice = ("<html><head><title>平潭综合实验区管委会</title></head><body><div class='nav'>首页 政策解读</div>"
              "<h1>关于做好2023年度政府信息公开工作年度报告编制发布工作的通知</h1><p>各部门：为做好本年度报告编制"
              "发布工作，根据《中华人民共和国政府信息公开条例》，现将有关事项通知如下：一、统计期限自2023年1月1日"
              "起至2023年12月31日止。</p></body></html>")
    assert not is_report_page("平潭综合实验区管委会", _root(notice))
    assert not is_report_page("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", _root(notice))
    listing = ("<html><head><title>政府信息公开年报</title></head><body><h1>政府信息公开年报</h1><ul>"
               + "".join(f"<li><a href='/{y}.html'>平潭综合实验区{y}年政府信息公开工作年度报告</a></li>"
                         for y in range(2015, 2025)) + "</ul></body></html>")
    assert not is_report_page("政府信息公开年报", _root(listing))
    html = (CORPUS_HTML / "pingtan_2024.html").read_text(encoding="utf-8")
    assert not is_report_page("《平潭综合实验区2024年度政府信息公开工作年度报告》解读", _root(html))


def test_every_stage_asks_the_schema():
    """Page finding, compilation splitting, crawl classification and mapping read the labels of ogi.yaml."""
    from govreports import segments
    from govreports.readers import pdf

    raw = load_schema().tables
    assert pdf.STRONG_ANCHORS == page_labels() == tuple(dict.fromkeys(
        a for t in ("t2", "t3", "t4") for a in raw[t]["recognise"]["page"]))
    assert set(web_labels()) == {a for t in ("t2", "t3", "t4") for a in raw[t]["recognise"]["web"]}
    assert list(table_marks()) == ["t2", "t3", "t4"]
    from govreports.readers.base import RawTable
    grid = RawTable(rows=[["项目", "结果维持", "结果纠正", "尚未审结"], ["行政复议", "0", "0", "0"]], page=1, method="x")
    assert segments.table_kinds(grid) == {"t4"}
    t3, t4 = table_marks()["t3"], table_marks()["t4"]
    assert t4.is_header("行政复议行政诉讼", has_values=False)
    assert t3.is_header("自然人商业企业", has_values=False) and not t3.is_header("自然人商业企业12", has_values=True)


def test_a_start_page_whose_body_is_a_report_is_no_listing():
    """A report printed as narrative only (no tables, no attachment: the 2009–2018 kind), on a page the CMS
    titles with the site's name: fetch takes it for the report, not for a listing to crawl."""
    import lxml.html

    from govreports.fetch.crawl import _is_listing
    from govreports.fetch.discovery import parse_page

    article = lxml.html.parse(str(CORPUS_HTML / "pingtan_2023.html")).getroot().find_class("TRS_Editor")[0]
    for el in [*article.iter("table"), *article.iter("img")]:
        el.drop_tree()
    body = lxml.html.tostring(article, encoding="unicode")
    html = (f"<html><head><meta charset='utf-8'><title>平潭综合实验区管委会</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/zcjd/'>政策解读</a></div>{body}</body></html>")
    page = parse_page(html.encode("utf-8"), "http://www.pingtan.gov.cn/zwgk/ndbg/202202/t1.html", "text/html")
    assert not page.has_tables and not page.reports and not page.attachments and not page.images
    assert page.is_report and not _is_listing(page)


@pytest.mark.parametrize("name", ["dev_columns.tsv", "heldout_columns.tsv"])
def test_real_listing_titles(name):
    """Every item of real report columns and notice columns is classified as labelled (tests/data/titles)."""
    import csv

    from conftest import DATA

    with open(DATA / "titles" / name, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    wrong = [r["title"] for r in rows if is_report_title(r["title"]) != (r["report"] == "1")]
    assert len(rows) > 50 and not wrong
