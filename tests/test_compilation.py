"""A file holding several reports (a compilation) gives one record per report and never mixes two.

The compilations are made in the test from real reports: the 洪泽 2023 and 2024 PDFs and the 平潭 2024 page
printed by Chromium (with its title as a running header on every page and a sentence quoting another
report's title), two 平潭 pages' article bodies in one page, and the 贺兰 .docx followed by a synthetic report.
"""
from __future__ import annotations

import json
import sys
from copy import deepcopy
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfWriter
from typer.testing import CliRunner

from conftest import CORPUS, CORPUS_HTML, DATA, truth
from govreports import ReaderError, SeveralReportsError, read_report, read_reports
from govreports.readers import read_raw
from govreports.segments import mapped_kinds, split_reports, table_kinds, title_lines

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from score_corpus import failed_checks, same  # noqa: E402

COMP = DATA / "compilation"
# The middle report prints its title on every page, also on the pages after its tables: the next report
# still starts at its own title.
PARTS = [(CORPUS / "hongzequ_2023.pdf", "hongzequ_2023", [1, 5]), (COMP / "pingtan_2024_print.pdf", "pingtan_2024", [6, 13]),
         (CORPUS / "hongzequ_2024.pdf", "hongzequ_2024", [14, 18])]


def assert_gold(rep, t: dict) -> None:
    """Every gold cell, no cell the report does not print, its own failed checks, agency, year, layout."""
    rec = rep.to_record()
    got = {c["cell"]: c["value"] for c in rec["cells"]}
    wrong = {k: (got.get(k, "missing"), v) for k, v in t["cells"].items() if k not in got or not same(got[k], v)}
    assert not wrong
    assert set(got) == set(t["cells"])          # no cell mixed in from another report
    assert len(rec["cells"]) == len(got)        # no cell read twice
    assert failed_checks(rec) == set(t["failed_checks"])
    assert rep.year == t["year"] and t["agency"] in (rep.agency or "")
    assert rep.layout == {"t2": t["t2_layout"], "t3_r3_6": t["t3_r3_6"]}
    assert not [w for w in rep.warnings if "twice" in w]


@pytest.fixture(scope="module")
def compilation_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compilation") / "hongze_2023_pingtan_2024_hongze_2024.pdf"
    writer = PdfWriter()
    for path, _, _ in PARTS:
        writer.append(str(path))
    writer.write(out)
    return out


@pytest.fixture(scope="module")
def pdf_reports(compilation_pdf):
    return read_reports(compilation_pdf)


def _article(page: Path, heading: bool = True) -> str:
    """The article body of a saved 平潭 page, after its title (from <title>, without the site suffix) as a heading."""
    root = lxml.html.parse(str(page)).getroot()
    title = root.findtext(".//title").split("_")[0]
    body = lxml.html.tostring(root.find_class("TRS_Editor")[0], encoding="unicode")
    return (f"<h2>{title}</h2>\n" if heading else "") + body


def _page(tmp: Path, name: str, heading: bool = True) -> Path:
    html = "".join(_article(CORPUS_HTML / f"pingtan_{y}.html", heading) for y in (2023, 2024))
    out = tmp / name
    out.write_text(f"<html><head><meta charset='utf-8'><title>平潭综合实验区政府信息公开工作年度报告汇编</title></head>"
                   f"<body>{html}</body></html>", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def compilation_html(tmp_path_factory) -> Path:
    return _page(tmp_path_factory.mktemp("compilation"), "pingtan_2023_2024.html")


def test_pdf_compilation_gives_one_correct_record_per_report(pdf_reports, compilation_pdf):
    assert len(pdf_reports) == 3
    for rep, (_, name, pages) in zip(pdf_reports, PARTS):
        assert_gold(rep, truth(name))
        assert rep.source["page_range"] == pages
        assert rep.source["path"] == str(compilation_pdf) and rep.source["pages"] == 18
        assert {c["page"] for c in rep.cell_list} <= set(range(pages[0], pages[1] + 1))
    assert [r.source["part"] for r in pdf_reports] == [1, 2, 3]
    assert [r.agency for r in pdf_reports] == ["洪泽区人民政府", "平潭综合实验区", "淮安市洪泽区人民政府"]
    # the split （六） rows stay in their own record
    assert [r.layout["t3_r3_6"] for r in pdf_reports] == ["single", "split", "single"]
    assert not any(c["cell"].startswith("t3.r3.6.") for r in pdf_reports[::2] for c in r.cell_list)


def test_read_report_on_a_compilation_names_the_reports_and_read_reports(compilation_html):
    with pytest.raises(SeveralReportsError) as err:
        read_report(compilation_html)
    msg = str(err.value)
    assert isinstance(err.value, ReaderError) and "\n" not in msg
    assert msg.startswith(f"{compilation_html}: holds 2 reports") and "read_reports" in msg
    assert "平潭综合实验区 2023" in msg and "平潭综合实验区 2024" in msg
    assert [r.year for r in err.value.reports] == [2023, 2024]


def test_html_page_with_two_years(compilation_html):
    reps = read_reports(compilation_html)
    assert [(r.source["part"], r.source["parts"]) for r in reps] == [(1, 2), (2, 2)]
    for rep, year in zip(reps, (2023, 2024)):
        assert_gold(rep, truth(f"pingtan_{year}"))
        assert rep.meta["title"] == f"平潭综合实验区{year}年度政府信息公开工作年度报告"
        other = f"平潭综合实验区{4047 - year}年度政府信息公开工作年度报告"
        assert rep.text.startswith(rep.meta["title"]) and other not in rep.text   # each keeps its own narrative
        assert rep.text.count("六、其他需要报告的事项") == 1


def test_reports_without_title_lines_are_still_split_by_their_tables(tmp_path):
    reps = read_reports(_page(tmp_path, "no_headings.html", heading=False))
    assert len(reps) == 2
    for rep, year in zip(reps, (2023, 2024)):
        t = truth(f"pingtan_{year}")
        got = rep.values
        assert not {k for k, v in t["cells"].items() if not same(got.get(k), v)} and set(got) == set(t["cells"])
    assert any("no title line found" in w for w in reps[1].warnings)
    # the second report's text opens with its own 本报告… / 一、总体情况, whose statistics period names its year
    assert reps[1].text.startswith("本报告根据") and [r.year for r in reps] == [2023, 2024]
    assert reps[0].text.count("一、总体情况") == reps[1].text.count("一、总体情况") == 1


def test_docx_with_two_reports(tmp_path):
    from govreports.synth import draw_report
    from govreports.synth.docx import render_docx

    synth = draw_report(7, year=2022, t3_layout="split")
    second = Document(str(render_docx(synth, tmp_path / "synth.docx")))
    doc = Document(str(DATA / "html" / "helan_2020.docx"))
    end = doc.element.body.find(qn("w:sectPr"))
    for el in second.element.body:
        if el.tag != qn("w:sectPr"):
            end.addprevious(deepcopy(el))
    doc.save(str(tmp_path / "two.docx"))
    reps = read_reports(tmp_path / "two.docx")
    assert len(reps) == 2
    assert_gold(reps[0], json.loads((DATA / "html" / "helan_2020.truth.json").read_text(encoding="utf-8")))
    assert_gold(reps[1], synth.truth("two.docx"))
    assert reps[1].agency == synth.agency


def test_title_in_every_page_header_and_quoted_in_the_narrative_does_not_split():
    doc = read_raw(COMP / "pingtan_2024_print.pdf")
    titles = title_lines(["".join(t.split()) for page in doc.page_texts for t in page.splitlines() if t.strip()])
    assert len([t for t in titles.values() if t == "平潭综合实验区2024年度政府信息公开工作年度报告"]) >= 4
    assert split_reports(doc) == [doc]


def test_repeated_title_lines_in_a_page_do_not_split(tmp_path):
    """Each table headed by the report's title again, and another year's report quoted: still one report."""
    html = (CORPUS_HTML / "pingtan_2024.html").read_text(encoding="utf-8")
    header = "<p>平潭综合实验区2024年度政府信息公开工作年度报告</p><p>2023年政府信息公开工作年度报告</p><table"
    page = tmp_path / "headers.html"
    page.write_text(html.replace("<table", header), encoding="utf-8")
    assert_gold(read_report(page), truth("pingtan_2024"))


def test_title_lines():
    lines = ["当前位置：首页", "政府信息公开", "政府信息公开年报", "平潭综合实验区2024年度政府信息公开工作年度报告",
             "本报告参照《平潭综合实验区2023年度政府信息公开工作年度报告》编写。", "无",
             "淮安市洪泽区人民政府", "2024年政府信息公开工作", "年度报告", "泗洪县卫生健康局2023年度政府信息公开年报"]
    assert title_lines(lines) == {3: "平潭综合实验区2024年度政府信息公开工作年度报告",
                                  6: "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
                                  9: "泗洪县卫生健康局2023年度政府信息公开年报"}


def test_extract_prints_one_record_per_report(compilation_html):
    from govreports.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["extract", str(compilation_html), "--format", "jsonl"])
    assert res.exit_code == 0
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [(r["year"], r["source"]["part"], r["source"]["parts"]) for r in recs] == [(2023, 1, 2), (2024, 2, 2)]
    res = runner.invoke(app, ["extract", str(compilation_html), "--format", "csv"])
    rows = [line.split(",") for line in res.stdout.splitlines()]
    assert rows[0][-1] == "part"
    assert {(r[2], r[-1]) for r in rows[1:]} == {("2023", "1"), ("2024", "2")}
    assert len(rows) == 1 + 2 * 200
    res = runner.invoke(app, ["extract", str(compilation_html)])
    assert "平潭综合实验区 2024 (t2 v2021, （六） split) [report 2 of 2]" in res.stdout


def test_build_lands_each_report(compilation_pdf, compilation_html, tmp_path):
    import pandas as pd

    from govreports.corpus.build import build

    src = tmp_path / "src"
    src.mkdir()
    for f in (compilation_pdf, compilation_html, CORPUS / "hongzequ_2024.pdf"):
        (src / f.name).write_bytes(f.read_bytes())
    result = build(src, tmp_path / "out", workers=2, progress=False)
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet").set_index("report_id")
    assert result.reports == 4 and len(reports) == 4 and reports.index.is_unique
    pdf = reports[reports.file == compilation_pdf.name].sort_values("part")
    assert pdf["part"].tolist() == [1, 2, 3]
    assert pdf[["first_page", "last_page"]].values.tolist() == [p for _, _, p in PARTS]
    assert pdf["agency"].tolist() == ["洪泽区人民政府", "平潭综合实验区", "淮安市洪泽区人民政府"]
    assert pdf["n_cells"].tolist() == [186, 200, 186]
    html = reports[reports.file == compilation_html.name]
    assert sorted(html["year"]) == [2023]            # its 2024 report is the one in the PDF: a duplicate
    dup = {f["file"]: f["reason"] for f in result.failures if f["kind"] == "duplicate"}
    assert dup[compilation_html.name].startswith("report 2 of the file: same report (平潭综合实验区, 2024) as "
                                                 f"{compilation_pdf.name} (report 2)")
    # the single-report file is the compilation's third report again
    assert dup["hongzequ_2024.pdf"].endswith(f"as {compilation_pdf.name} (report 3)")
    cells = pd.read_parquet(tmp_path / "out" / "cells.parquet")
    mine = cells[cells.report_id == "洪泽区人民政府_2023"].set_index("cell")["value"]
    want = truth("hongzequ_2023")["cells"]
    assert set(mine.index) == set(want) and all(same(None if v != v else v, want[k]) for k, v in mine.items())


def test_one_report_printed_twice_stays_one_report(tmp_path):
    text = (CORPUS / "helanxian_2020.txt").read_text(encoding="utf-8")
    twice = tmp_path / "helan_twice.txt"
    twice.write_text(text + "\n\n" + text, encoding="utf-8")
    rep = read_report(twice)
    t = truth("helanxian_2020")
    assert not {k for k, v in t["cells"].items() if not same(rep.values.get(k), v)}
    assert any("printed twice" in w and "second printing was left out" in w for w in rep.warnings)


def test_prose_read_as_a_grid_does_not_start_a_report(tmp_path):
    """Synthetic seed 64: page 1's narrative, read as a stream grid, names table 二 and 三 labels before the
    real tables on page 2; the mapper sees no table there, so the report is not split."""
    from govreports.synth import draw_report
    from govreports.synth.pdf import render_pdf

    doc = read_raw(render_pdf(draw_report(64), tmp_path / "s64.pdf"))
    prose = [t for t in doc.tables if table_kinds(t) and not mapped_kinds(t)]
    assert prose and prose[0].page == 1
    assert split_reports(doc) == [doc]


def test_wps_title_with_full_width_digits_starts_its_report(tmp_path):
    """The third report's title printed as WPS prints typed full-width digits (``２０２４ 年政府信息公开工作
    年度报告``, page 1 of the real 洪泽 2024 report printed again): it starts its report, which gets its
    agency, year and page range, and its title page does not go to the report before."""
    out = tmp_path / "compilation.pdf"
    writer = PdfWriter()
    for path, _, _ in PARTS[:2]:
        writer.append(str(path))
    writer.append(str(COMP / "hongzequ_2024_p1_wps_title.pdf"))
    writer.append(str(CORPUS / "hongzequ_2024.pdf"), pages=(1, 5))
    writer.write(out)
    reps = read_reports(out)
    assert [r.source["page_range"] for r in reps] == [p for _, _, p in PARTS]
    assert [(r.agency, r.year) for r in reps] == [("洪泽区人民政府", 2023), ("平潭综合实验区", 2024),
                                                  ("淮安市洪泽区人民政府", 2024)]
    assert reps[2].meta["title"] == "淮安市洪泽区人民政府２０２４年政府信息公开工作年度报告"
    assert not any("no title line found" in w for w in reps[2].warnings)
    assert_gold(reps[2], truth("hongzequ_2024"))
    assert "２０２４" not in reps[1].text                    # the title page stays out of the report before


@pytest.mark.parametrize("lines", [
    ["淮安市洪泽区人民政府", "２０２４ 年政府信息公开工作年度报告"],               # full-width digits, WPS space
    ["淮安市洪泽区人民政府", "2024", "年政府信息公开工作年度报告"],                # a line break before 年
    ["淮安市洪泽区人民政府", "2024", "年政府信息公开工作", "年度报告"],            # … and the title wrapped
    ["淮安市洪泽区人民政府", "年政府信息公开工作年度报告", "2024"],                # a recogniser's line order
])
def test_titles_broken_between_the_digits_and_year_are_titles(lines):
    from govreports.metadata import identify

    flat = ["".join(x.split()) for x in lines]
    assert list(title_lines(["二、主动公开政府信息情况", *flat])) == [1]
    ident = identify([], "\n".join([*lines, "本报告由淮安市洪泽区人民政府办公室编制。", "一、总体情况"]), "x.pdf")
    assert (ident.agency, ident.year, ident.year_from) == ("淮安市洪泽区人民政府", 2024, "title")


@pytest.mark.parametrize("period", ["2024 年 1 月 1 日", "２０２４ 年 １ 月 １ 日", "2024年01月01日"])
def test_statistics_period_printed_with_spaces_or_wide_digits_gives_the_year(period):
    from govreports.metadata import identify

    ident = identify([], f"本报告中所列数据的统计期限自{period}起至2024年12月31日止。", "report.pdf")
    assert (ident.year, ident.year_from) == (2024, "statistics period")


def test_scanned_compilation_gives_each_report_its_agency_year_and_page_range(tmp_path):
    """A scan (image-only pages) of the end of the real 洪泽 2023 report (tables 三/四, its closing page), then the
    WPS-titled first page and the table 二 page of the 2024 report: the OCR'd running text of each page is
    kept, so the second report starts at its title page and gets its agency, year and page range."""
    sys.path.insert(0, str(DATA / "scanned"))
    from make_scan import make_scan

    text_pdf, scan = tmp_path / "text.pdf", tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.append(str(CORPUS / "hongzequ_2023.pdf"), pages=(3, 5))
    writer.append(str(COMP / "hongzequ_2024_p1_wps_title.pdf"))
    writer.append(str(CORPUS / "hongzequ_2024.pdf"), pages=(1, 2))
    writer.write(text_pdf)
    make_scan(text_pdf, scan)
    reps = read_reports(scan)
    assert [r.source["page_range"] for r in reps] == [[1, 2], [3, 4]]
    assert (reps[1].agency, reps[1].year) == ("淮安市洪泽区人民政府", 2024)
    assert not any("no title line found" in w for w in reps[1].warnings)
    kinds = [{c["cell"][:2] for c in r.cell_list} for r in reps]
    assert "t4" in kinds[0] and "t2" not in kinds[0] and kinds[1] == {"t2"}    # no table mixed into the other
