"""compare_years beyond a change list: both years' tables in full, the text against the tables, cross-year
checks as arithmetic, indicators with the difference and its interval, and the narrative aligned by section.

Values come from the bundled real reports (data/reports: 洪泽 2023/2024 PDFs, 平潭 2019–2025 pages), built
once into a dataset as `govreports build` does; table values are the gold files' printed numbers.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from govreports import indicators as ind
from govreports.analysis import compare_years as C, narrative_sections as N
from govreports.corpus.build import build
from govreports.corpus.dataset import load

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare") / "dataset"
    build(REPORTS, out, workers=1, progress=False)
    return load(out)


def test_both_tables_in_full_with_changed_cells_marked(ds):
    pair = C.pick_pair(ds, "洪泽")
    pp = C.printed_pair(ds, pair, "t4")
    f = pp.frame.set_index(("类别", ""))
    changed = pp.changed.set_index(pp.frame[("类别", "")])
    # 行政复议 结果维持 printed 10 in 2023 and 1 in 2024; 总计 printed 0 (a failed identity) stays 0
    assert list(f.loc["行政复议", "结果维持"]) == ["10", "1"] and changed.loc["行政复议", ("结果维持", "2023")]
    assert list(f.loc["行政复议", "总计"]) == ["0", "2"]
    assert list(f.loc["行政复议", "结果纠正"]) == ["1", "1"] and not changed.loc["行政复议", ("结果纠正", "2024")]
    t3 = C.printed_pair(ds, pair, "t3").frame
    assert len(t3) == 23  # every printed row of table 三 (洪泽 prints （六） as one row), zeros included: in full
    assert list(t3.set_index(("项目", "")).loc["本年新收申请", "总计"]) == ["21", "95"]
    page = C.printed_pair_html(pp)
    assert '<td class="chg down">10</td><td class="chg down">1</td>' in page


def test_table_two_across_the_2021_format_is_shown_as_each_year_printed_it(ds):
    pp = C.printed_pair(ds, C.pick_pair(ds, "平潭", [2020, 2021]), "t2")
    old, new = pp.separate
    assert ("本年新制作数量", "2020") in old.columns and ("现行有效件数", "2021") in new.columns
    assert old.set_index(("信息内容", "")).at["行政规范性文件", ("本年新制作数量", "2020")] == "77"
    assert new.set_index(("信息内容", "")).at["行政规范性文件", ("现行有效件数", "2021")] == "665"
    # 处理决定数量, printed in both formats, is compared: 行政许可 278 → 2,293 marked in both tables
    page = C.printed_pair_html(pp)
    assert '<td class="chg up">278</td>' in page and '<td class="chg up">2,293</td>' in page
    assert '<td class="chg up">77</td>' not in page  # 本年新制作数量 has no 2021 counterpart to compare with


def test_text_against_tables_is_quoted_from_both_sides(ds):
    m = C.narrative_mismatches(ds, C.pick_pair(ds, "洪泽"))
    row = m.iloc[0]
    assert len(m) == 1 and row["年度"] == 2024
    assert "受理政府信息公开申请17件" in row["正文 text"] and row["正文数字 stated"] == "17"
    assert (row["表格 table"], row["表格数字 table value"]) == ("表三 本年新收申请 总计", "95")
    # 平潭 2022 says 75 applications where table 三 has 74 new: the other reading is named, cells and all
    note = C.narrative_mismatches(ds, C.pick_pair(ds, "平潭", [2021, 2022])).iloc[0]["说明 note"]
    assert note.startswith("表三 本年新收申请 总计 + 表三 上年结转申请 总计 = 74 + 1 = 75")


def test_cross_year_stock_check_is_shown_as_arithmetic(ds):
    s = C.stock_arithmetic(ds, C.pick_pair(ds, "平潭", [2023, 2024])).set_index(["rule", "项目 item"])
    row = s.loc[("X_T2_IN_FORCE", "行政规范性文件")]
    assert row["算式 arithmetic"] == "2023年 现行有效件数 470 + 2024年 本年制发件数 62 − 2024年 本年废止件数 33 = 499"
    assert row["印刷值 printed"] == "2024年 现行有效件数 440" and row["结果 result"].startswith("✗")
    carry = s.loc[("X_CARRY", "总计")]
    assert carry["算式 arithmetic"].startswith("2023年 结转下年度继续办理 总计 ") and carry["结果 result"] == "✓ 一致"
    assert C.stock_arithmetic(ds, C.pick_pair(ds, "平潭", [2021, 2023])).empty  # not consecutive: no check links them


def test_indicators_of_both_years_with_the_difference_and_its_interval(ds):
    c = C.indicator_change(ds, C.pick_pair(ds, "洪泽")).set_index("name")
    # 予以公开 0 of 21 (2023) and 50 of 95 (2024): Newcombe's interval from the two Wilson intervals
    lo1, hi1 = (100 * x for x in ind.wilson(0, 21))
    lo2, hi2 = (100 * x for x in ind.wilson(50, 95))
    p2 = 100 * 50 / 95
    row = c.loc["disclosure_rate"]
    assert row["diff"] == pytest.approx(p2)
    assert row["lo"] == pytest.approx(p2 - ((p2 - lo2) ** 2 + hi1 ** 2) ** 0.5)
    assert row["hi"] == pytest.approx(p2 + (hi2 - p2))
    assert (row["差的95%区间 interval"], row["显著 clear"]) == ("+34.2 … +62.4", "是 yes")
    assert c.at["partial_rate", "显著 clear"] == "否 no"  # 4/21 → 9/95: the interval spans 0
    assert c.at["applications_new", "差 difference"] == "+74" and c.at["applications_new", "差的95%区间 interval"] == "—"


def test_real_sentences_leave_out_headings_and_table_residue():
    assert N.is_heading("（三）政府信息管理情况") and N.is_heading("（四）政府信息公开平台建设情况。")
    assert not N.is_heading("（一）主动公开情况。2024 年，我区在政府网站平台主动发布各类政府信息 2428 条")
    assert N.is_table_residue("（本列数据的勾稽关系为：第一项加第二项之和， 等于第三项加第四项之和）商业科研机构")
    assert N.is_table_residue("行政复议 行政诉讼结果维持结果纠正结果尚未审结结果维持结果纠正结果尚未审结")
    assert N.is_table_residue("4.无正当理由大量反复 申请 0 0 0 0 0 0 0")
    assert not N.is_table_residue("2024 年，区政府办代表区政府受理政府信息公开申请 17 件，均已在法定期限内予以答复")
    assert not N.is_table_residue("报告中所列数据统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止")


def test_narrative_aligned_by_section_with_reuse_per_section_and_overall(ds):
    pair = C.pick_pair(ds, "洪泽")
    al = N.align_sections(ds, pair.prev, pair.curr, pair.years)
    s = al.shares.set_index("section")
    # 洪泽 2024 carries one real sentence over from 2023 (in 一、总体情况); headings and table rows do not count
    assert s.at["overall", "沿用句数 reused"] == 1 == s.at["一", "沿用句数 reused"]
    assert s.at["overall", "文字沿用率 text reuse"] < 0.1
    assert s["沿用句数 reused"].drop("overall").sum() == s.at["overall", "沿用句数 reused"]
    # the tables' sections are measured on cells: table 四 repeats 1 of its 8 non-zero cells (行政复议 结果纠正 1)
    assert (s.at["四", "表格相同格数 same cells"], s.at["四", "表格比较格数 cells compared"]) == (1, 8)
    assert list(s.index[:2]) == ["", "一"] and "三" in s.index
    assert "政府信息管理情况" not in al.html and "勾稽关系" not in al.html
    assert "受理政府信息公开申请" in al.html
