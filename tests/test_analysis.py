"""Selections, printed-layout tables, rankings and data-quality summaries used by the notebooks."""
from __future__ import annotations

import pytest

from gold_dataset import gold_dataset
from govreports import analysis as A


@pytest.fixture(scope="module")
def ds():
    return gold_dataset()


def test_select_by_agency_code_level_and_years(ds):
    assert list(A.select(ds, agencies="洪泽,贺兰")["report_id"]) == ["洪泽区人民政府_2023", "洪泽区人民政府_2024", "贺兰县_2020"]
    # a prefecture code selects the counties under it: 320800 (淮安市) -> 洪泽区 320813
    assert set(A.select(ds, division_codes=320800)["division_code"]) == {"320813"}
    assert len(A.select(ds, province="福建", years="2021-2023")) == 3
    assert list(A.select(ds, agencies=["平潭"], years=[2019, 2025])["year"]) == [2019, 2025]
    with pytest.raises(ValueError, match="matches no report; available: .*平潭综合实验区"):
        A.select(ds, agencies="不存在")
    with pytest.raises(ValueError, match="no report matches all the filters"):
        A.select(ds, agencies="洪泽", years=2019)


def test_as_years_and_lists():
    assert A.as_years("2019-2021") == [2019, 2020, 2021]
    assert A.as_years("2024,2023") == [2023, 2024] and A.as_years(2024) == [2024] and A.as_years(None) is None
    assert A.as_list("洪泽，平潭") == ["洪泽", "平潭"] and A.as_list(320813) == ["320813"]


def test_pick_report(ds):
    assert A.pick_report(ds, agency="洪泽") == "洪泽区人民政府_2024"  # latest year by default
    assert A.pick_report(ds, agency="平潭", year=2021) == "平潭综合实验区_2021"
    with pytest.raises(ValueError, match="matches 7 reports"):
        A.pick_report(ds, agency="平潭", year="2019-2025")
    with pytest.raises(ValueError, match="not in the dataset"):
        A.pick_report(ds, report_id="x")


def test_printed_tables_keep_blanks_and_layout(ds):
    t4 = A.printed_table(ds, "贺兰县_2020", "t4").set_index("类别")
    assert t4.at["行政诉讼（未经复议直接起诉）", "尚未审结"] == "（空白）"  # printed blank, never 0
    t3 = A.printed_table(ds, "平潭综合实验区_2021", "t3")
    rows = list(t3["项目"])
    assert "其他处理：逾期不补正不再处理" in rows and "其他处理-其他" in rows and "其他处理" not in rows
    t3 = A.printed_table(ds, "洪泽区人民政府_2024", "t3").set_index("项目")
    assert t3.at["予以公开", "总计"] == "50" and t3.at["无法提供：本机关不掌握相关政府信息", "自然人"] == "31"
    t2 = A.printed_table(ds, "贺兰县_2020", "t2").set_index("信息内容")
    assert t2.at["行政许可", "本年增/减"] == "-4" and t2.at["政府集中采购", "采购总金额（万元）"] == "16,280.59"


def test_ranking_puts_small_samples_last_without_rank(ds):
    r = A.ranking(ds, A.select(ds), "review_correction_rate", pool_years=True)
    assert list(r["排名"][:3]) == ["1", "2", "3"]
    assert r.iloc[0]["报告"] == "平潭综合实验区 2024" and r.iloc[0]["分子 / 分母"] == "1 / 6"
    assert (r["排名"][3:] == "—").all() and (r["行政复议纠错率"][3:] == "n<5").all()


def test_failed_checks_are_explained(ds):
    f = A.failed_checks(ds, ["洪泽区人民政府_2023"])
    assert list(f["scope"]) == ["b1", "b3"]
    assert "differ by 11" in f.iloc[0]["说明 explanation"] and "结果维持" in f.iloc[0]["说明 explanation"]


def test_data_quality_summaries(ds):
    s = A.identity_summary(ds).set_index("rule")
    assert s.at["T3_BALANCE", "failed"] == 3 and s.at["T3_BALANCE", "evaluated"] == 70
    w = A.worst_reports(ds)
    assert list(w["report_id"][:1]) == ["贺兰县_2020"] and w.iloc[0]["failed identities"] == 4
    by_year = A.failing_share_by_year(ds).set_index("year")
    assert by_year.at[2020, "value"] == 100 and by_year.at[2023, "value"] == 50
    assert A.low_confidence_cells(ds).empty


def test_a_government_is_one_series_across_name_changes(ds):
    reports = ds.reports.copy()
    assert set(reports["publisher"]) == {"淮安市洪泽区人民政府", "平潭综合实验区", "银川市贺兰县人民政府"}
    series = A.series_of(reports)
    assert series["洪泽区人民政府_2023"] == series["洪泽区人民政府_2024"] == "淮安市洪泽区人民政府"
    vals = A.indicators_for(ds, reports[reports["division_code"] == "320813"])
    t = A.trend(vals, "disclosure_rate", reports)
    assert list(t["series"].unique()) == ["淮安市洪泽区人民政府"] and list(t["year"]) == [2023, 2024]


def test_compare_years_picks_publisher_and_years(ds):
    from govreports.analysis import compare_years as C

    p = C.pick_pair(ds)  # the publisher with the most years, its last two
    assert (p.publisher, p.years) == ("平潭综合实验区", (2024, 2025))
    p = C.pick_pair(ds, "洪泽")  # both spellings are one publisher
    assert (p.prev, p.curr) == ("洪泽区人民政府_2023", "洪泽区人民政府_2024")
    with pytest.raises(C.NothingToCompare, match=r"^银川市贺兰县人民政府 has one report \(2020\); publishers with two "
                                                 r"or more: 平潭综合实验区 \(7\), 淮安市洪泽区人民政府 \(2\)$"):
        C.pick_pair(ds, "贺兰")
    with pytest.raises(ValueError, match=r"years: 2018 matches no report of 平潭综合实验区; available: \[2019, 2020"):
        C.pick_pair(ds, "平潭", [2018, 2020])


def test_compare_years_tables_side_by_side(ds):
    from govreports.analysis import compare_years as C

    t4 = C.side_by_side(ds, C.pick_pair(ds, "洪泽"), "t4").set_index(["项目", "栏目"])
    # 行政复议 结果维持 10 -> 1; 总计 printed 0 in 2023 (a failed identity), kept as printed
    assert list(t4.loc[("行政复议", "结果维持")]) == ["10", "1", "-9", "-90%", ""]
    assert list(t4.loc[("行政复议", "总计")][["2023", "2024", "变化率"]]) == ["0", "2", "—"]
    p = C.pick_pair(ds, "平潭", "2020,2021")
    t2 = C.side_by_side(ds, p, "t2").set_index("项目")
    # across the 2021 format change only comparable concepts are joined: decisions, and 制发 as a near-equivalent
    assert t2.at["行政许可", "2021"] == "2,293" and t2.at["行政规范性文件（≈ 近似口径）", "2020"] == "77"
    assert "现行有效件数" not in set(t2["栏目"]) and "对外公开总数量" not in set(t2["栏目"])
    assert "v2019 → v2021" in C.t2_note(ds, p)
    t3 = C.side_by_side(ds, p, "t3").set_index(["项目", "栏目"])
    assert list(t3.loc[("本年新收申请", "总计")]) == ["21", "70", "+49", "+233%", "▲"]


def test_pooled_rates_and_default_selections(ds):
    pooled = A.pooled(ds, A.select(ds), ["substantive_disclosure_rate"], by=["province"]).set_index("province")
    # 江苏: 洪泽 2023 (4 / 21) and 2024 (59 / 95) pooled -> 63 / 116 with the interval of the pooled counts
    assert pooled.at["江苏省", "实质公开率（予以公开 + 部分公开）"] == "54.3% (45.3–63.1)  [63 / 116]"
    assert pooled.at["江苏省", "报告数"] == 2
    assert A.default_publishers(ds) == ["平潭综合实验区"]
    assert A.pick_report(ds) == "平潭综合实验区_2025"  # latest year, most cells
