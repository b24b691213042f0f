"""The CMS listing patterns (govreports/fetch/cms.yaml): each family's fixture page gives its report links and its
further pages; cut titles are read from the title attribute; a JSON data source gives its items."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from govreports.fetch import cms
from govreports.fetch.discovery import parse_page

FIXTURES = Path(__file__).parent / "data" / "fetch" / "cms"
BASE = "http://www.x.gov.cn/zwgk/ndbg/index.html"


@pytest.mark.parametrize("family", cms.patterns().families, ids=lambda f: f.name)
def test_each_family_reveals_its_reports_and_pages(family):
    page = parse_page((FIXTURES / family.fixture).read_bytes(), BASE, "text/html; charset=utf-8")
    assert len(page.reports) == family.expect["reports"], [r.text for r in page.reports]
    assert sorted(p.url for p in page.pages) == sorted(urljoin(BASE, p) for p in family.expect["pages"])
    assert page.needs_js is family.expect.get("needs_js", False)
    assert not any("通知" in r.text for r in page.reports)


def test_every_family_has_a_fixture_and_an_expectation():
    names = [f.name for f in cms.patterns().families]
    assert len(names) == len(set(names)) >= 8
    for f in cms.patterns().families:
        assert (FIXTURES / f.fixture).is_file() and "reports" in f.expect, f.name


def test_hanweb_records_and_cut_titles():
    page = parse_page((FIXTURES / "hanweb_datastore.html").read_bytes(), BASE)
    assert [(r.url, r.text) for r in page.reports] == [
        ("http://www.x.gov.cn/art/2024/1/19/art_7_301.html", "某市人民政府2023年政府信息公开工作年度报告"),
        ("http://www.x.gov.cn/art/2023/1/20/art_7_250.html", "某市人民政府2022年政府信息公开工作年度报告")]
    assert page.declared == 5 and "hanweb-jpage" in page.families


def test_hanweb_dataproxy_answer_is_read_as_a_listing():
    xml = ('<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>5</totalrecord><recordset>'
           '<record><![CDATA[<li><a href="/art/2022/1/18/art_7_190.html" title="某市人民政府2021年政府信息公开工作年度报告">'
           '某市人民政府2021年政府信息公开工作年度报…</a></li>]]></record></recordset></datastore>').encode("utf-8")
    page = parse_page(xml, "http://www.x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2",
                      "text/xml; charset=utf-8")
    assert [r.url for r in page.reports] == ["http://www.x.gov.cn/art/2022/1/18/art_7_190.html"]


def test_json_data_source_items():
    body = ('{"total": 6, "data": [{"title": "县财政局2021年政府信息公开工作年度报告", "url": "./202201/t20220110_9.html"},'
            '{"DOCTITLE": "县财政局2020年政府信息公开工作年度报告", "DOCPUBURL": "/ndbg/202101/t20210111_8.html"}]}').encode()
    assert cms.json_items(body) == [("县财政局2021年政府信息公开工作年度报告", "./202201/t20220110_9.html"),
                                    ("县财政局2020年政府信息公开工作年度报告", "/ndbg/202101/t20210111_8.html")]
    assert cms.json_items(b"<html></html>") is None


def test_max_pages_caps_generated_pages():
    """The gaps below a 尾页 link are filled only up to max_pages (the linked pages stay: the crawl caps them)."""
    page = parse_page((FIXTURES / "index_n.html").read_bytes(), BASE, max_pages=3)
    assert sorted(p.url.rsplit("/", 1)[1] for p in page.pages) == ["index_1.html", "index_2.html", "index_5.html"]


def test_hanweb_records_the_page_holds_are_not_asked_again():
    """A datastore holding the first 3 pages' records (groups of 45 at 15 a page): paging starts at record 46."""
    rec = ('<record><![CDATA[<li><a href="/art/2024/1/1/art_7_{i}.html" title="某市{y}年政府信息公开工作年度报告">'
           '某市{y}年政府信息公开工作年度报告</a></li>]]></record>')
    store = "".join(rec.format(i=i, y=1980 + i) for i in range(45))
    html = (f'<html><body><div id="1"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/jpage/'
            f'dataproxy.jsp?columnid=7"></a>]]></nextgroup><recordset>{store}</recordset></datastore></script></div>'
            "<script>$('#1').jpage({perPage: 15, totalRecord: 70});</script></body></html>").encode("utf-8")
    page = parse_page(html, BASE)
    assert len(page.reports) == 45
    assert [p.url.split("?")[1] for p in page.pages] == ["startrecord=46&endrecord=60&perpage=15&columnid=7",
                                                         "startrecord=61&endrecord=70&perpage=15&columnid=7"]


def test_a_long_menu_does_not_hide_a_listing_drawn_by_script():
    """The static page shows 10 items under a 25-entry menu; it says 21 records at 10 a page: the rest need JS."""
    menu = "".join(f'<li><a href="/col{i}/index.html">栏目{i}</a></li>' for i in range(25))
    items = "".join(f'<li><a href="./t{i}.html">某局{2023 - i}年政府信息公开工作年度报告</a></li>' for i in range(10))
    html = (f'<html><body><ul class="menu">{menu}</ul><ul>{items}</ul><script>require(["list2.trsapi"]);'
            "listModel({maxStaticIndex:1,pagebar:{prepage:10,recordCount:'21'}})</script></body></html>").encode()
    page = parse_page(html, BASE)
    assert (page.declared, page.shown, page.needs_js) == (21, 10, True)
