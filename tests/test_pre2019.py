"""Reports before the 2019 revision: real pingtan department pages against hand-made gold, the oddities
the issue lists (disagreement, running totals, absences, percentages, a cut-off table, attachments),
2019+ reports without tables, and synthetic reports round-tripped through every input kind."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from govreports import NoTablesError, read_report
from govreports.pre2019.spec import load_pre_spec
from govreports.readers import read_raw
from govreports.synth.pre2019 import KINDS, SHAPES, draw_pre_report, pre_round_trip, render_pre

DATA = Path(__file__).parent / "data" / "pre2019"
GOLD = sorted(DATA.glob("*.truth.json"))


def _page(tmp_path: Path, name: str, title: str, paras: list[str], table: list[list[str]] | None = None,
          extra: str = "") -> Path:
    body = "".join(f"<p>{p}</p>" for p in paras)
    if table:
        body += "<table border='1'>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>"
                                             for r in table) + "</table>"
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                    f"<div class='article'><h1>{title}</h1>{body}{extra}</div></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_real_report_every_printed_figure_and_nothing_else(gold: Path) -> None:
    want = json.loads(gold.read_text(encoding="utf-8"))
    stem = gold.name.removesuffix(".truth.json")
    rep = read_report(next(p for p in gold.parent.glob(stem + ".*") if not p.name.endswith(".json")))
    assert rep.layout["format"] == "pre2019"
    assert rep.layout["table"] == want["table"]
    assert (rep.year, rep.agency) == (want["year"], want["agency"])
    assert {c["cell"]: c["value"] for c in rep.cell_list} == want["cells"]
    assert all(c["source"] in ("table", "narrative") and c["raw"] for c in rep.cell_list)


def test_table_figure_keeps_the_narrative_sentence_as_provenance() -> None:
    rep = read_report(DATA / "gwh_2015.html")
    cell = next(c for c in rep.cell_list if c["cell"] == "pre.proactive_items")
    assert (cell["source"], cell["value"], cell["raw"]) == ("table", 152, "主动公开文件数 | 条 | 152 | 219")
    assert cell["narrative_raw"] == "2015年主动公开政府信息152条"
    agree = next(c for c in rep.checks if c["rule"] == "PRE_NARRATIVE_TABLE" and c["scope"] == "pre.proactive_items")
    assert agree["status"] == "pass"
    assert rep.values["pre.proactive_items#cumulative"] == 219


def test_statement_of_absence_is_a_zero_with_the_sentence_as_raw() -> None:
    rep = read_report(DATA / "gwh_2011.html")   # no table at all: the page has no <table>
    cell = next(c for c in rep.cell_list if c["cell"] == "pre.requests_received")
    assert (cell["value"], cell["source"], cell["method"]) == (0, "narrative", "narrative-absence")
    assert cell["raw"] == "我局在2011年度未收到申请公开政府信息情况"


def test_percentage_is_never_a_count() -> None:
    rep = read_report(DATA / "gwh_2012.html")
    assert "pre.proactive_fulltext" not in rep.values
    assert any(w.startswith("percentage_only: pre.proactive_fulltext") and "全文电子化达100%" in w for w in rep.warnings)


def test_cut_off_table_gives_only_the_rows_printed() -> None:
    rep = read_report(DATA / "jjf_2013.html")
    assert "pre.replies_total" not in rep.values and "pre.reconsideration" not in rep.values
    assert rep.values["pre.requests.email"] == 0


def test_narrative_and_table_disagree(tmp_path: Path) -> None:
    page = _page(tmp_path, "a.html", "某县民政局2014年度政府信息公开工作年度报告",
                 ["本报告所列数据统计期限自2014年1月1日起至2014年12月31日止。", "2014年共收到依申请公开信息38件。"],
                 [["指标名称", "计量单位", "统计数"], ["主动公开信息数", "条", "120"], ["受理依申请公开信息总数", "条", "26"]])
    rep = read_report(page)
    assert rep.values["pre.requests_received"] == 26
    fail = next(c for c in rep.failed_checks if c["rule"] == "PRE_NARRATIVE_TABLE")
    assert "受理依申请公开信息总数 | 条 | 26" in fail["message"] and "2014年共收到依申请公开信息38件" in fail["message"]


def test_identity_among_channels_fails_when_they_do_not_add_up(tmp_path: Path) -> None:
    page = _page(tmp_path, "b.html", "某县商务局2013年度政府信息公开工作年度报告", ["统计期限自2013年1月1日起。"],
                 [["指标名称", "计量单位", "年末统计"], ["受理依申请公开信息总数", "条", "5"], ["其中：1．当面申请数", "条", "1"],
                  ["2．网上申请数", "条", "2"]])
    rep = read_report(page)
    fail = next(c for c in rep.checks if c["rule"] == "PRE_CHANNELS")
    assert (fail["status"], fail["lhs"], fail["rhs"]) == ("fail", 5, 3)


def test_rows_under_a_total_take_its_code(tmp_path: Path) -> None:
    page = _page(tmp_path, "h.html", "某市环保局2016年度政府信息公开工作年度报告", ["统计期限自2016年1月1日起。"],
                 [["统计指标", "单位", "统计数"], ["一、主动公开情况", "", ""], ["（一）主动公开政府信息数", "条", "12"],
                  ["五、行政复议数量", "件", "3"], ["（一）维持具体行政行为数", "件", "2"], ["（二）被依法纠错数", "件", "1"],
                  ["（三）其他情形数", "件", "0"], ["六、行政诉讼数量", "件", "1"], ["（一）维持具体行政行为或者驳回原告诉讼请求数", "件", "1"],
                  ["（二）被依法纠错数", "件", "0"], ["（三）其他情形数", "件", "0"], ["九、机构建设和保障经费情况", "", ""],
                  ["（三）从事政府信息公开工作人员数", "人", "3"], ["1. 专职人员数", "人", "1"], ["2. 兼职人员数", "人", "2"]])
    rep = read_report(page)
    assert rep.values == {"pre.proactive_items": 12, "pre.reconsideration": 3, "pre.reconsideration.upheld": 2,
                          "pre.reconsideration.corrected": 1, "pre.reconsideration.other": 0, "pre.litigation": 1,
                          "pre.litigation.upheld": 1, "pre.litigation.corrected": 0, "pre.litigation.other": 0,
                          "pre.staff": 3, "pre.staff_full_time": 1, "pre.staff_part_time": 2}
    assert rep.layout["table"] == "form_2015"
    assert {c["rule"] for c in rep.checks if c["status"] == "pass"} >= {"PRE_RECONSIDERATION_OUTCOMES",
                                                                        "PRE_LITIGATION_OUTCOMES", "PRE_STAFF"}


def test_fees_in_yuan_become_wan_yuan_raw_kept(tmp_path: Path) -> None:
    page = _page(tmp_path, "c.html", "某市国土资源局2016年度政府信息公开工作年度报告", ["统计期限自2016年1月1日起。"],
                 [["指标名称", "计量单位", "2016年度", "历年累计"], ["主动公开文件数", "条", "40", "300"],
                  ["政府信息公开收费减免金额", "元", "1500", "2300"]])
    rep = read_report(page)
    assert rep.values["pre.fees"] == 0.15 and rep.values["pre.fees#cumulative"] == 0.23
    assert next(c["raw"] for c in rep.cell_list if c["cell"] == "pre.fees") == "政府信息公开收费减免金额 | 元 | 1500 | 2300"


def test_column_headed_with_the_previous_year_is_flagged(tmp_path: Path) -> None:
    page = _page(tmp_path, "d.html", "某区卫生局2018年度政府信息公开工作年度报告",
                 ["本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。"],
                 [["指标名称", "计量单位", "2017年度", "历年累计"], ["主动公开文件数", "条", "5", "470"]])
    rep = read_report(page)
    assert rep.year == 2018 and rep.values["pre.proactive_items"] == 5
    assert any("headed 2017年度 in a 2018 report" in w for w in rep.warnings)


def test_cover_letter_title_is_read_as_the_report(tmp_path: Path) -> None:
    page = _page(tmp_path, "e.html", "某县教育局关于报送《某县教育局2015年度政府信息公开工作年度报告》的函",
                 ["2015年主动公开政府信息65条。", "无收费及减免情况。"])
    rep = read_report(page)
    assert rep.year == 2015 and rep.values == {"pre.proactive_items": 65, "pre.fees": 0}


def test_figures_only_in_an_attachment_not_at_hand(tmp_path: Path) -> None:
    icon = "<p><img src='/images/xls.gif' width='16' height='16'/><a href='/files/2014tjb.xls'>附件：2014年政府信息公开情况统计表.xls</a></p>"
    page = _page(tmp_path, "f.html", "某县林业局2014年度政府信息公开工作年度报告",
                 ["本报告所列数据的统计期限自2014年1月1日起至2014年12月31日止。", "具体数据详见附件。"], extra=icon)
    rep = read_report(page)
    assert rep.cell_list == [] and rep.layout["format"] == "pre2019"
    assert any(w.startswith("pre2019_no_figures") and "2014年政府信息公开情况统计表.xls" in w for w in rep.warnings)
    assert not any("xls.gif" in w for w in rep.warnings)   # the icon is never read as a picture of the report


def test_file_type_icon_without_a_size_is_not_a_missing_picture(tmp_path: Path) -> None:
    icon = "<p><img src='/images/xls.gif'/><a href='/files/tjb.xls'>统计表.xls</a></p>"
    page = _page(tmp_path, "i.html", "某县水利局2016年度政府信息公开工作年度报告",
                 ["本报告所列数据的统计期限自2016年1月1日起至2016年12月31日。", "2016年主动公开政府信息40条。"],
                 [["指标名称", "计量单位", "统计数"], ["主动公开信息数", "条", "40"]], extra=icon)
    rep = read_report(page)
    assert rep.values == {"pre.proactive_items": 40}
    assert not any("not on disk" in w for w in rep.warnings)
    later = _page(tmp_path, "j.html", "某县水利局2021年度政府信息公开工作年度报告", ["2021年主动公开政府信息40条。"], extra=icon)
    with pytest.raises(NoTablesError) as err:
        read_report(later)
    assert "xls.gif" not in str(err.value)


def test_2019_report_without_tables_keeps_todays_error(tmp_path: Path) -> None:
    page = _page(tmp_path, "2015_report.html", "某县林业局2020年度政府信息公开工作年度报告",
                 ["本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。", "2020年主动公开政府信息65条。"])
    with pytest.raises(NoTablesError) as got:
        read_report(page)
    with pytest.raises(NoTablesError) as reader:
        read_raw(page)
    assert str(got.value) == str(reader.value)
    text = tmp_path / "2016.txt"   # the file name's year never decides the era
    text.write_text("某县林业局2021年度政府信息公开工作年度报告\n2021年主动公开政府信息65条。\n", encoding="utf-8")
    with pytest.raises(NoTablesError, match="no OGI report tables found"):
        read_report(text)


def test_every_shape_is_drawn_and_codes_are_in_the_schema() -> None:
    spec = load_pre_spec()
    shapes = {draw_pre_report(seed).shape for seed in range(8)}
    assert shapes == set(SHAPES)
    for seed in range(8):
        assert {c.split("#")[0] for c in draw_pre_report(seed).truth} <= set(spec.codes)


@pytest.mark.parametrize("kind", KINDS)
def test_synthetic_round_trip(kind: str, tmp_path: Path) -> None:
    diffs = [d for seed in range(8) for d in pre_round_trip(seed, kind, tmp_path)]
    assert diffs == []


@pytest.mark.parametrize("seed, kind", [(0, "png"), (4, "pdf")], ids=["table-image", "narrative-scanned-pdf"])
def test_scans(seed: int, kind: str, tmp_path: Path) -> None:
    """A page image with a statistics table (OCR grid), and an image-only PDF told in sentences (OCR text)."""
    pdfium = pytest.importorskip("pypdfium2")
    rep = draw_pre_report(seed)
    pdf = pdfium.PdfDocument(render_pre(rep, "pdf", tmp_path / "r.pdf"))
    scan = tmp_path / f"scan.{kind}"
    pdf[0].render(scale=2).to_pil().convert("L").save(scan, resolution=144)
    got = read_report(scan)
    assert got.source["kind"] == {"png": "image", "pdf": "ocr-pdf"}[kind]
    assert got.layout["format"] == "pre2019" and got.year == rep.year
    assert got.values == rep.truth


def test_titles_of_cover_letters_and_quoted_notices() -> None:
    from govreports.metadata import parse_title

    assert parse_title("关于报送《平潭县教育局2015年度政府信息公开工作年度报告》的函") == ("平潭县教育局", 2015)
    assert parse_title("根据《福建省人民政府办公厅关于做好2015年政府信息公开年度报告有关事项的通知》") is None
    assert parse_title("平潭综合实验区行政审批局关于2017年政府信息公开工作年度报告") == ("平潭综合实验区行政审批局", 2017)


def test_identity_parts_come_from_the_table_when_the_total_does(tmp_path: Path) -> None:
    page = _page(tmp_path, "g.html", "某区管委会2014年度政府信息公开工作年度报告",
                 ["本报告所列数据的统计期限自2014年1月1日起至2014年12月31日。", "2014年全区收到有关政府信息公开的信函申请1条，已受理回复。"],
                 [["指标名称", "计量单位", "2014年度", "历年累计"], ["受理依申请公开信息总数", "条", "1", "1"],
                  ["其中：1、当面申请数", "条", "0", "0"], ["2、信函、传真申请数", "条", "1", "1"]])
    rep = read_report(page)
    assert rep.values["pre.requests.letter"] == 1          # the sentence's figure is kept, as narrative
    check = next(c for c in rep.checks if c["rule"] == "PRE_CHANNELS")
    assert (check["status"], check["rhs"]) == ("pass", 1)


def test_held_out_reports_invent_nothing() -> None:
    from govreports.pre2019.score import score_folder

    rows = score_folder(DATA / "heldout")
    assert len(rows) == 11 and sum(len(r["invented"]) for r in rows) == 0
    assert sum(r["right"] for r in rows) >= 291 and sum(r["printed"] for r in rows) == 292


def test_agrees_with_the_long_run_fixture_coded_by_hand() -> None:
    """经济发展局 2011/2015/2017/2018 coded by hand for the long-run panel, independently of this reader."""
    from govreports.pre2019.score import score_folder

    rows = score_folder(DATA / "crosscheck")
    assert [(r["file"], r["right"], r["printed"], r["year_ok"], r["agency_ok"]) for r in rows] == [
        ("jjf_2011_jfj.html", 6, 6, True, True), ("jjf_2015_jfj.html", 13, 13, True, True),
        ("jjf_2017_jfj.html", 11, 11, True, True), ("jjf_2018_jfj.html", 13, 13, True, True)]


def test_a_sentence_about_other_years_gives_no_figure_of_the_year() -> None:
    rep = read_report(DATA / "crosscheck" / "jjf_2018_jfj.html")   # 近3年共受理信息公开申请2件; the table prints 0 | 2
    assert rep.values["pre.requests_received"] == 0 and rep.values["pre.requests_received#cumulative"] == 2
    assert not [c for c in rep.failed_checks if c["rule"] == "PRE_NARRATIVE_TABLE"]


def test_extract_prints_the_pre2019_table_and_tidy_cells() -> None:
    import subprocess
    import sys

    exe = str(Path(sys.executable).with_name("govreports"))
    page = DATA / "hzs_2016.html"
    p = subprocess.run([exe, "extract", str(page)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    block = p.stdout.split("pre2019 (four_column)")[1]
    rows = {line.split()[0]: line.split()[1:] for line in block.strip().splitlines()[2:] if line.strip()}
    assert rows["主动公开政府信息数"] == ["793", "1499"]
    p = subprocess.run([exe, "extract", "-f", "csv", str(page)], capture_output=True, text=True, timeout=300)
    line = next(ln for ln in p.stdout.splitlines() if ",pre.proactive_items#cumulative," in ln)
    assert "主动公开政府信息数 / 历年累计" in line and ",1499," in line


def test_narrative_figures_of_a_pdf_name_their_page(tmp_path: Path) -> None:
    rep = draw_pre_report(4)   # narrative only
    got = read_report(render_pre(rep, "pdf", tmp_path / "n.pdf"))
    assert {(c["cell"], c["page"], c["source"]) for c in got.cell_list} == {(code, 1, "narrative") for code in rep.truth}


def test_sentences_give_exact_figures_only() -> None:
    from govreports.pre2019.narrative import read_narrative

    spec = load_pre_spec()
    got = read_narrative("全年共接受公众咨询356人次。解答纳税人咨询达3000多人次。共主动公开政府信息5300余条。"
                         "2013年有约4900人次通过各种方式咨询。", spec)
    assert {k: c.value for k, c in got.cells.items()} == {"pre.consultations": 356}


def test_a_notice_about_the_reports_is_not_a_report(tmp_path: Path) -> None:
    page = _page(tmp_path, "k.html", "关于2016年政府信息公开工作要点的通知",
                 ["各单位：现将2016年政府信息公开工作要点印发给你们，请认真贯彻落实。"])
    with pytest.raises(NoTablesError):
        read_report(page)


def test_build_puts_pre2019_and_2021_reports_in_one_panel(tmp_path: Path) -> None:
    """A folder of 2011–2016 department pages and a 2021 report: one dataset, every pre-2019 cell with its
    source (table / narrative), reports judged without the mandated tables, and the long-run rows."""
    import shutil

    import govreports
    from govreports.corpus.build import build

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("gwh_2011.html", "hzs_2016.html"):
        shutil.copy(DATA / name, folder / name)
    shutil.copy(Path(__file__).parents[1] / "data" / "reports" / "pingtan_2021.html", folder / "pingtan_2021.html")
    build(folder, tmp_path / "ds", workers=1, progress=False)
    ds = govreports.load(tmp_path / "ds")
    reports = ds.reports.set_index("report_id")
    assert reports.loc["平潭综合实验区行政审批局_2016", "status"] == "ok"       # not "incomplete": no table 二/三/四 then
    cells = ds.cells.set_index(["report_id", "cell"])
    gold = json.loads((DATA / "hzs_2016.truth.json").read_text(encoding="utf-8"))["cells"]
    mine = cells.loc["平潭综合实验区行政审批局_2016"]
    assert {c: mine.loc[c, "value"] for c in gold} == {c: float(v) for c, v in gold.items()}
    assert set(mine["source"]) == {"table"}
    assert set(cells.loc["平潭县信访局_2011", "source"]) == {"narrative"}
    assert set(cells.loc["平潭综合实验区_2021", "source"]) == {"table"}
    lr = ds.longrun.set_index(["report_id", "indicator"])
    assert lr.loc[("平潭综合实验区行政审批局_2016", "proactive_items"), "value"] == gold["pre.proactive_items"]
    assert lr.loc[("平潭综合实验区行政审批局_2016", "proactive_items"), "era"] == "pre2019"
    assert lr.loc[("平潭综合实验区_2021", "requests_received"), "value"] == 70
