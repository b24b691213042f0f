"""The HTML reader: raw grids of real 平潭 pages and of generated county pages (truth from the gold values),
encodings, metadata, and the pages no report can be read from."""
from __future__ import annotations

import json
import math
import quopri
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from pathlib import Path

import lxml.html
import pytest

from conftest import CORPUS_HTML, DATA
from govreports import NoTablesError, ReaderError, read_report
from govreports.numbers import parse_number
from govreports.pre2019.textread import text_document
from govreports.readers.html import read_html
from govreports.readers.htmltext import NON_CONTENT, drop_non_content
from govreports.schema import load_schema

HTML = DATA / "html"
BAD = HTML / "bad"
FIXTURES = sorted(p for p in HTML.glob("*.truth.json"))


def _truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _t3_grid(doc) -> list[list[str | None]]:
    """The grid holding table 三 (its first row starts with the corner note)."""
    return next(t.rows for t in doc.tables if (t.rows[0][0] or "").startswith("（本列数据的勾稽关系"))


def _assert_t3_values(rows: list[list[str | None]], truth: dict) -> None:
    """Table 三's 23 data rows (V2019) carry the truth's values, in printed order, in the last 7 columns."""
    s = load_schema()
    data = [r for r in rows[3:] if any(c for c in r)]
    codes = s.t3_row_codes(truth["t3_r3_6"])
    assert len(data) == len(codes)
    for code, row in zip(codes, data):
        for col, raw in zip(s.t3_columns, row[-7:]):
            want = truth["cells"][f"{code}#{col}"]
            assert parse_number(raw).value == want, (code, col, raw, want)


# ---- real pages: span expansion and grid shapes --------------------------------------------------

def test_pingtan_2020_grids_keep_spans_and_blank_rows():
    doc = read_html(CORPUS_HTML / "pingtan_2020.html")
    assert doc.kind == "html" and [(len(t.rows), len(t.rows[0])) for t in doc.tables] == [(18, 4), (26, 10), (5, 15)]
    t2, t3, t4 = (t.rows for t in doc.tables)
    # block captions span the table; (八) and (九) headers span their last column
    assert t2[0] == ["第二十条第（一）项", None, None, None]
    assert t2[14] == ["行政事业性收费", "35", "-15", None]
    assert t2[17][:3] == ["政府集中采购", "395", "73802895.90元"]
    # the corner note spans 3 columns x 3 rows; 三、本年度办理结果 is printed as two merged cells
    assert all(t3[i][j] is None for i in range(3) for j in range(3) if (i, j) != (0, 0))
    assert [i for i, r in enumerate(t3) if r[0] == "三、本年度办理结果"] == [5, 15]
    assert t3[6][0] is None and t3[7][:3] == [None, "（三）不予公开", "1.属于国家秘密"]
    assert t3[1][3] == "自然人" and t3[2][3] is None and t3[1][9] == "总计" and t3[2][9] is None
    _assert_t3_values(t3, _truth(CORPUS_HTML / "pingtan_2020.truth.json"))
    # table 四: 15 leaves under two header levels, then the printed row of 15 empty cells
    assert t4[1][:6] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]
    assert t4[2][:5] == [None] * 5 and t4[4] == [""] * 15


def test_pingtan_2021_skewed_header_colspans_come_through_as_printed():
    doc = read_html(CORPUS_HTML / "pingtan_2021.html")
    t3 = _t3_grid(doc)
    assert len(t3[0]) == 11                       # 自然人 spans two columns, so the grid is one wider
    assert t3[1][3:6] == ["自然人", None, "法人或其他组织"]
    assert t3[2][3:6] == ["", "商业企业", None]   # an empty printed cell under 自然人, 商业企业 spans two
    truth = _truth(CORPUS_HTML / "pingtan_2021.truth.json")
    assert t3[3][3:6] == [str(truth["cells"]["t3.r1#c1"]), "0", None]
    assert t3[3][-1] == str(truth["cells"]["t3.r1#c7"])


def test_pingtan_meta_title_date_and_running_text():
    doc = read_html(CORPUS_HTML / "pingtan_2020.html")
    assert doc.meta["published"] == "2021-03-05"
    assert doc.meta["title"] == "平潭综合实验区2020年度政府信息公开工作年度报告"
    assert doc.meta["url"].endswith("t20210305_80595.htm") and doc.meta["encoding"] == "utf-8"
    lines = doc.text.splitlines()
    assert lines[0].startswith("平潭综合实验区2020年") and "六、其他需要报告的事项" in lines
    assert "申请人情况" not in doc.text and "结果维持" not in doc.text      # tables are not running text
    for furniture in ("闽政通APP", "领导之窗", "闽ICP备09032658号", "主办单位：", "建议您使用以下浏览器"):
        assert furniture not in doc.text                                    # menus and footer are not the report
    assert read_html(CORPUS_HTML / "pingtan_2025.html").meta["published"] == "2026-03-10"


# ---- generated county pages: other templates, encodings, blanks ---------------------------------

def test_county_page_layout_tables_furniture_and_br_labels():
    doc = read_html(HTML / "helan_2020_county.html")
    truth = _truth(HTML / "helan_2020_county.truth.json")
    # five table-二 blocks, 三, 四; the menu, sidebar, info box and layout tables are not report tables
    assert [(len(t.rows), len(t.rows[0])) for t in doc.tables] == [(4, 4)] * 3 + [(3, 4)] * 2 + [(26, 10), (4, 15)]
    assert doc.tables[0].rows[1] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]  # 本年新<br>制作数量
    assert doc.tables[3].rows[1][3] == ""                      # (八) prints an empty fourth header cell
    t3 = _t3_grid(doc)
    assert t3[2][3:9] == [None, "商业企业", "科研机构", "社会组织", "法律服务机构", "其他"]
    assert t3[3][0] == "一、本年新收政府信息公开申请数量"
    _assert_t3_values(t3, truth)
    assert t3[4][4:9] == [""] * 5                             # zero cells printed blank (&nbsp;)
    assert doc.meta == {"title": "贺兰县2020年政府信息公开工作年度报告", "published": "2021-01-29",
                        "written": "2021-01-28", "encoding": "utf-8", "declared_charset": "utf-8"}
    assert doc.warnings == []
    assert doc.text.startswith("贺兰县2020年政府信息公开工作年度报告\n依据《中华人民共和国政府信息公开条例》")
    for furniture in ("当前位置", "索引号", "浏览次数", "宁ICP备", "贺兰县2019年", "走进贺兰", "相关链接"):
        assert furniture not in doc.text


def test_gbk_copy_reads_the_same_grids():
    utf8, gbk = read_html(HTML / "helan_2020_county.html"), read_html(HTML / "helan_2020_county_gbk.html")
    assert gbk.meta["encoding"] == "gb18030" and gbk.meta["declared_charset"] == "gbk"
    assert [t.rows for t in gbk.tables] == [t.rows for t in utf8.tables]
    assert gbk.text == utf8.text and gbk.meta["published"] == utf8.meta["published"]


def test_gb2312_page_with_gbk_characters_and_undeclared_page_decode_as_gb18030():
    declared, sniffed = read_html(HTML / "helan_2020_portal.html"), read_html(HTML / "helan_2020_portal_nometa.html")
    assert (declared.meta["declared_charset"], declared.meta["encoding"]) == ("gb2312", "gb18030")
    assert "declared_charset" not in sniffed.meta and sniffed.meta["encoding"] == "gb18030"
    assert [t.rows for t in declared.tables] == [t.rows for t in sniffed.tables]
    raw = (HTML / "helan_2020_portal.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")                                  # the page really is outside GB2312 (王堃)
    assert "王堃" in raw.decode("gb18030")
    truth = _truth(HTML / "helan_2020_portal.truth.json")
    assert len(declared.tables) == 3 and len(declared.tables[0].rows) == 18   # table 二 in one <table>
    t3 = _t3_grid(declared)
    assert t3[0][9] == "总计" and t3[1][9] is None and t3[2][9] is None      # 总计 spans the three header rows
    _assert_t3_values(t3, truth)
    assert declared.meta["published"] == "2021-01-29"                        # 发文日期 split over two <span>s
    assert declared.meta["url"] == "http://www.nxhl.gov.cn/zwgk/nb/2020/"


def test_page_saved_as_mhtml_reads_like_the_page(tmp_path):
    """Browsers save pages as .mht: MIME multipart/related with a quoted-printable HTML part."""
    html_bytes = (HTML / "helan_2020_county_gbk.html").read_bytes()
    part = MIMENonMultipart("text", "html", charset="gbk")
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(quopri.encodestring(html_bytes).decode("ascii"))
    msg = MIMEMultipart("related")
    msg.attach(part)
    (tmp_path / "saved.mht").write_bytes(b"From: <Saved by Blink>\r\n" + msg.as_bytes())
    doc = read_html(tmp_path / "saved.mht")
    assert doc.meta["saved_as"] == "mhtml" and doc.meta["encoding"] == "gb18030"
    assert [t.rows for t in doc.tables] == [t.rows for t in read_html(HTML / "helan_2020_county.html").tables]
    assert read_report(tmp_path / "saved.mht").values == read_report(HTML / "helan_2020_county.html").values


def test_declared_charset_that_lies_is_overruled_with_a_warning(tmp_path):
    page = (HTML / "helan_2020_county.html").read_bytes().replace(b"charset=utf-8", b"charset=gb2312")
    (tmp_path / "lying.html").write_bytes(page)
    doc = read_html(tmp_path / "lying.html")
    assert doc.meta["encoding"] == "utf-8" and doc.meta["declared_charset"] == "gb2312"
    assert doc.warnings == ["page declares charset gb2312 but its bytes are UTF-8; decoded as UTF-8"]
    assert [t.rows for t in doc.tables] == [t.rows for t in read_html(HTML / "helan_2020_county.html").tables]


def test_span_expansion_nested_tables_captions_and_ragged_rows(tmp_path):
    page = """<html><body><p>说明文字。</p>
    <table><caption>表一</caption>
      <tr><td rowspan="0">甲</td><td colspan="2">乙<br>丙</td></tr>
      <tr><td>1</td><td><table><tr><td>内</td><td>7</td></tr></table>2</td></tr>
      <tr><td>3</td></tr>
      <tr><td>&nbsp;</td><td>4</td></tr>
    </table></body></html>"""
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    doc = read_html(tmp_path / "t.html")
    outer, inner = (t.rows for t in doc.tables)
    assert outer == [["表一", None, None],
                     ["甲", "乙丙", None],     # <br> joins with nothing; colspan covers with None
                     [None, "1", "2"],         # rowspan=0 runs to the end; the nested table's text is left out
                     [None, "3", None],        # a short row pads with None: nothing is printed there
                     [None, "", "4"]]          # &nbsp; is an empty printed cell
    assert inner == [["内", "7"]]
    assert "说明文字" in doc.text and "内" not in doc.text


def test_long_narrative_in_one_section_does_not_cut_off_the_tables_in_the_next(tmp_path):
    """Word-exported pages put a landscape table page in its own <div class=WordSection2>."""
    prose = "".join(f"<p>第{i}段正文，说明本年度政府信息公开工作的总体情况。</p>" for i in range(40))
    page = f"""<html><body><div class="WordSection1">{prose}</div>
      <div class="WordSection2"><table><tr><td>甲</td><td>1</td><td>2</td><td>3</td></tr></table></div></body></html>"""
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    doc = read_html(tmp_path / "t.html")
    assert [t.rows for t in doc.tables] == [[["甲", "1", "2", "3"]]]
    assert doc.text.count("\n") == 39


def test_layout_table_around_the_article_is_not_a_report_table(tmp_path):
    """A table wrapping other tables is read only through its inner tables unless it holds numbers itself."""
    page = """<html><body><table><tr><td><a href="/">首页</a></td><td>
      <p>正文。</p><table><tr><td>行</td><td>5</td></tr></table></td></tr></table></body></html>"""
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    assert [t.rows for t in read_html(tmp_path / "t.html").tables] == [[["行", "5"]]]


# ---- pages that are no report --------------------------------------------------------------------

def test_page_without_tables_names_file_and_reason():
    with pytest.raises(NoTablesError) as e:
        read_html(BAD / "no_tables.html")
    msg = str(e.value)
    assert msg.startswith(str(BAD / "no_tables.html")) and "no tables in the page" in msg
    assert msg.endswith("3 image(s) of the report are not on disk: /zwgk/nb/2020/W0202101二.png, "
                        "/zwgk/nb/2020/W0202101三.png, /zwgk/nb/2020/W0202101四.png")
    assert "\n" not in msg


def test_truncated_page_names_file_and_reason():
    with pytest.raises(ReaderError) as e:
        read_html(BAD / "truncated.html")
    assert not isinstance(e.value, NoTablesError)
    assert str(e.value) == (f"{BAD / 'truncated.html'}: page is truncated inside a table (it ends without "
                            "</table> or </html>); save the complete page")


def test_index_page_of_links_names_file_and_reason():
    with pytest.raises(NoTablesError) as e:
        read_html(BAD / "links_only.html")
    assert str(e.value).startswith(f"{BAD / 'links_only.html'}: no tables: the page lists 6 links to reports")
    assert "index page" in str(e.value)


def test_tables_built_by_javascript_are_named_as_such(tmp_path):
    page = """<html><head><title>某县2019年政府信息公开工作年度报告</title></head><body><div id="app"></div>
    <script>let content = "<p>一、总体情况</p><table><tr><td>规章</td><td>13</td></tr></table>";</script></body></html>"""
    (tmp_path / "spa.html").write_text(page, encoding="utf-8")
    with pytest.raises(NoTablesError, match=r"spa\.html: no tables in the page itself: its tables are inside a script"):
        read_html(tmp_path / "spa.html")


def test_undecodable_empty_and_wrong_kind_files(tmp_path):
    junk = tmp_path / "junk.html"
    junk.write_bytes(b"<html><body><table><tr><td>" + b"\x80\xff" * 200 + b"</td></tr></table></body></html>")
    with pytest.raises(ReaderError, match=r"junk\.html: cannot decode the page"):
        read_html(junk)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(ReaderError, match=r"empty\.html: the file is empty"):
        read_html(empty)
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(ReaderError, match=r"report\.html: this is a PDF"):
        read_html(pdf)


def test_bad_pages_do_not_stop_a_batch(tmp_path):
    """read_report raises ReaderError for each bad page; the good page in the same batch still reads."""
    for bad in ("no_tables.html", "truncated.html", "links_only.html"):
        with pytest.raises(ReaderError, match=bad.replace(".", r"\.")):
            read_report(BAD / bad)
    assert read_report(HTML / "helan_2020_county.html").year == 2020


# ---- end to end: every generated fixture, every cell ---------------------------------------------

def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), abs_tol=1e-9)


@pytest.mark.parametrize("truth_path", FIXTURES, ids=[p.name.removesuffix(".truth.json") for p in FIXTURES])
def test_generated_fixture_reads_every_cell_and_check(truth_path):
    truth = _truth(truth_path)
    rep = read_report(HTML / truth["source"])
    got = rep.values
    wrong = {k: (got.get(k, "missing"), v) for k, v in truth["cells"].items() if k not in got or not _same(got[k], v)}
    assert not wrong, f"{truth['source']}: {wrong}"
    failed = {f"{c['rule']}[{c['scope']}]" for c in rep.checks if c["status"] == "fail" and c["severity"] == "error"}
    assert failed == set(truth["failed_checks"])
    assert rep.layout == {"t2": truth["t2_layout"], "t3_r3_6": truth["t3_r3_6"]}
    assert rep.year == truth["year"] and truth["agency"] in (rep.agency or "")


def test_fixture_truth_files_are_the_gold_values():
    """Each fixture's truth is the Helan gold file, with some printed zeros left blank (null)."""
    gold = json.loads((DATA / "corpus" / "helanxian_2020.truth.json").read_text(encoding="utf-8"))
    for p in FIXTURES:
        t = _truth(p)
        assert t["failed_checks"] == gold["failed_checks"] and set(t["cells"]) == set(gold["cells"])
        for k, v in t["cells"].items():
            assert v == gold["cells"][k] or (v is None and gold["cells"][k] == 0), (p.name, k)


def test_scripts_buttons_and_head_are_dropped_before_reading_the_text():
    """One list of non-content elements for the report reader and the pre-2019 text reader: the saved 平潭
    2024 page's scripts, buttons and <head> leave no text behind; the report's own text stays."""
    page = CORPUS_HTML / "pingtan_2024.html"
    root = lxml.html.document_fromstring(page.read_bytes())
    assert len(list(root.iter("script"))) >= 5 and list(root.iter("button")) and list(root.iter("head"))
    drop_non_content(root)
    assert not list(root.iter(*NON_CONTENT))
    text = text_document(page).text
    assert "$close_window" not in text and "barrierFree" not in text
    assert "政府信息公开工作年度报告" in text
