"""The long-run panel: crosswalk data, eras from content, the ``longrun`` table built from real reports
(平潭综合实验区经济发展局 2011–2025, tests/data/longrun), and comparisons across a format break."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from govreports import longrun as L
from govreports.corpus.build import build
from govreports.corpus.dataset import load
from longrun_tasks import record_from_json

FIXTURE = Path(__file__).parent / "data" / "longrun" / "jjf_2011_2025.json"
AGENCY = "平潭综合实验区经济发展局"


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    """The fixture built into a dataset by ``govreports build`` (one record per file)."""
    src = tmp_path_factory.mktemp("src")
    for rec in json.loads(FIXTURE.read_text(encoding="utf-8")):
        (src / f"jjf_{rec['year']}.txt").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = build(src, out, workers=1, progress=False, task=record_from_json)
    assert result.failed == 0 and result.reports == 15
    return load(out)


def _value(ds, year: int, indicator: str) -> pd.Series:
    lr = ds.longrun
    return lr[(lr["year"] == year) & (lr["indicator"] == indicator)].iloc[0]


def test_crosswalk_grades_every_era_with_a_reason():
    cw = L.crosswalk()
    assert set(cw.indicators) == {"requests_received", "granted", "partly_granted", "refused", "not_held",
                                  "reconsiderations", "lawsuits", "fees", "proactive_items"}
    for ind in cw.indicators.values():
        assert set(ind.sources) == set(L.ERAS)
        for s in ind.sources.values():
            assert s.grade in L.GRADES and len(s.reason) > 10
            assert s.cells or s.grade == "not_comparable"
    assert [b.year for b in cw.breaks] == [2019, 2021]
    assert L.get("lawsuits").sources["v2021"].cells == ("t4.b2#c5", "t4.b3#c5")
    assert L.get("not_held").sources["pre2019"].cells == ("pre.not_held", "pre.not_exist")


def test_pair_grades_across_breaks():
    assert L.pair_grade("requests_received", "v2019", "v2021")[0] == "same"
    assert L.pair_grade("requests_received", "pre2019", "v2021")[0] == "close"
    grade, reason = L.pair_grade("refused", "pre2019", "v2019")
    assert grade == "not_comparable" and "2019" in reason
    assert L.pair_grade("refused", "pre2019", "pre2019")[0] == "same"           # one era: the same cells
    assert L.pair_grade("proactive_items", "v2019", "v2021")[0] == "not_comparable"  # no cell after 2019
    table = L.compare_eras("pre2019", "v2021").set_index("indicator")
    assert set(table.index[~table["compared"]]) == {"refused", "fees", "proactive_items"}


def test_era_comes_from_content_not_year():
    assert L.era_of(None, None, 2019, ["pre.requests_received"]) == "pre2019"   # a 2019-dated pre-2019 form
    assert L.era_of("v2021", "single", 2020, ["t3.r1#c7"]) == "v2021"           # table 二 decides
    assert L.era_of(None, "split", None, ["t3.r1#c7"]) == "v2021"
    assert L.era_of(None, "single", 2020, ["t3.r1#c7"]) == "v2019"              # only then the year
    assert L.era_of(None, None, 2015, []) is None                               # nothing printed: unknown


def test_values_flags_and_statuses():
    rep = [{"report_id": "r", "publisher": "p", "year": 2016, "t2_layout": None, "t3_r3_6": None}]
    cells = [{"report_id": "r", "cell": "pre.not_exist", "value": 2.0, "status": "ok", "raw": "申请信息不存在 件 2"},
             {"report_id": "r", "cell": "pre.granted", "value": None, "status": "dash", "raw": "-"},
             {"report_id": "r", "cell": "pre.litigation", "value": None, "status": "text", "raw": "见附件"}]
    rows = {r["indicator"]: r for r in L.longrun_rows(rep, cells)}
    assert rows["not_held"]["value"] == 2 and rows["not_held"]["flags"] == "partial"
    assert rows["not_held"]["sources"] == "pre.not_exist"
    assert rows["granted"]["value"] == 0 and rows["granted"]["flags"] == "assumed_zero"
    assert rows["lawsuits"]["value"] is None and rows["lawsuits"]["status"] == "unreadable"
    assert rows["reconsiderations"]["value"] is None and rows["reconsiderations"]["status"] == "missing"


def test_build_writes_longrun_from_real_reports(ds):
    lr = ds.longrun
    assert len(lr) == 15 * 9 and set(lr["publisher"]) == {AGENCY}
    assert (ds.path / "longrun.csv").is_file() and "Long-run panel" in (ds.path / "codebook.md").read_text("utf-8")
    eras = lr.drop_duplicates("year").set_index("year")["era"]
    assert eras[2018] == "pre2019" and eras[2019] == eras[2020] == "v2019" and eras[2021] == "v2021"
    # requests received: table rows before 2019, table 三 row 一 after
    series = lr[lr["indicator"] == "requests_received"].set_index("year")["value"]
    assert series[[2011, 2017, 2018, 2022, 2025]].tolist() == [7, 2, 0, 3, 4]
    # 2011: the table's 90, not the narrative's 97; 2015: the year's 99, not the running total 407
    assert _value(ds, 2011, "proactive_items")["value"] == 90
    assert _value(ds, 2015, "proactive_items")["value"] == 99
    assert _value(ds, 2015, "proactive_items")["comparability"] == "not_comparable"
    # an absence sentence is a 0 with its sentence; a year printing no fee row has no value
    fee = _value(ds, 2012, "fees")
    assert fee["value"] == 0 and fee["raw"] == "无收费及减免情况。"
    assert pd.isna(_value(ds, 2017, "fees")["value"]) and _value(ds, 2017, "fees")["status"] == "missing"
    assert _value(ds, 2021, "fees")["status"] == "not_in_era"
    # 2021 rows （一）（二） were not read: missing, never 0
    assert _value(ds, 2021, "granted")["status"] == "missing"
    assert _value(ds, 2025, "granted")["value"] == 3 and _value(ds, 2024, "not_held")["value"] == 3
    assert _value(ds, 2017, "partly_granted")["value"] == 1
    assert _value(ds, 2017, "partly_granted")["comparability"] == "close"


def test_compare_reports_across_the_2019_break(ds):
    lr = ds.longrun
    rid = dict(zip(ds.reports["year"], ds.reports["report_id"]))
    cmp = L.compare_reports(lr, rid[2017], rid[2022], (2017, 2022))
    assert cmp.eras == ("pre2019", "v2021")
    shown = cmp.table.set_index("indicator")
    assert shown.loc["requests_received", ["2017", "2022", "变化"]].tolist() == ["2", "3", "+1"]
    assert shown.loc["partly_granted", ["2017", "2022"]].tolist() == ["1", "3"]
    assert set(cmp.left_out["indicator"]) == {"refused", "fees", "proactive_items"}
    assert "left out" in cmp.note and "refused" in cmp.note
    same = L.compare_reports(lr, rid[2019], rid[2020], (2019, 2020))
    assert same.note == "" and "refused" in set(same.table["indicator"])


def test_longrun_trend_joins_only_comparable_years(ds):
    from govreports.analysis import trends as T

    f = T.longrun_trend(ds.longrun, "requests_received", [AGENCY]).set_index("year")
    assert f.loc[2011, "value"] == 7 and not f.loc[2011, "joined"]
    assert f.loc[2019, "joined"] and f.loc[2021, "joined"]          # close across 2019, same across 2021
    g = T.longrun_trend(ds.longrun, "granted").set_index("year")
    assert g.loc[2021, "note"] == "未列" and not g.loc[2022, "joined"]  # a year not read breaks the line
    assert not g.loc[2015, "joined"]                                 # 2014 prints no reply rows
    p = T.longrun_trend(ds.longrun, "proactive_items").set_index("year")
    assert p.loc[2018, "value"] == 94 and p.loc[2019, "note"] == "无此项" and not p.loc[2019, "joined"]
    assert T.breaks()[0][0] == 2019 and T.breaks()[1][0] == 2021
    with pytest.raises(KeyError, match="requests_received"):
        T.longrun_trend(ds.longrun, "requests")


def test_unknown_era_is_said_not_guessed(ds):
    lr = ds.longrun.copy()
    rid = dict(zip(ds.reports["year"], ds.reports["report_id"]))
    lr.loc[lr["report_id"] == rid[2016], "era"] = None   # as for a report printing no figure at all
    cmp = L.compare_reports(lr, rid[2016], rid[2022], (2016, 2022))
    assert cmp.table.empty and cmp.left_out.empty and "unknown" in cmp.note
    rows = L.longrun_rows([{"report_id": "x", "publisher": "p", "year": 2015}], [])
    assert {r["status"] for r in rows} == {"unknown_era"} and all(r["value"] is None for r in rows)


def test_grades_table_lists_every_indicator_and_era():
    g = L.grades_table().set_index("indicator")
    assert list(g.index) == list(L.crosswalk().indicators)
    pre = L.crosswalk().eras["pre2019"]["zh"]
    assert g.loc["refused", pre] == "不可比" and g.loc["requests_received", pre] == "口径相近"


def test_longrun_of_the_gold_reports_matches_their_printed_cells():
    from gold_dataset import gold_dataset

    gold = gold_dataset()
    lr = L.longrun_frame(gold)
    assert len(lr) == len(gold.reports) * len(L.crosswalk().indicators)
    w = gold.wide
    era = dict(zip(gold.reports["report_id"], gold.reports["t2_layout"]))
    for rid, sub in lr.groupby("report_id"):
        v = sub.set_index("indicator")["value"]
        assert set(sub["era"]) == {era[rid]}
        assert v["requests_received"] == w.at[rid, "t3.r1#c7"]
        assert v["lawsuits"] == w.at[rid, "t4.b2#c5"] + w.at[rid, "t4.b3#c5"]
        assert v["refused"] == sum(w.at[rid, f"t3.r3.3.{k}#c7"] for k in range(1, 9))
        assert pd.isna(v["proactive_items"])
    pingtan = lr[(lr["report_id"] == "平潭综合实验区_2020") & (lr["indicator"] == "requests_received")]
    assert pingtan["value"].iloc[0] == 21 and pingtan["era"].iloc[0] == "v2019"   # 本年新收 总计 printed 21


def test_compare_reports_within_the_pre2019_era_keeps_money_decimals():
    rep = [{"report_id": y, "publisher": "p", "year": y} for y in (2014, 2015)]
    cells = [{"report_id": 2014, "cell": "pre.fees", "value": 0.12, "status": "ok", "raw": "收取费用 1200 元"},
             {"report_id": 2015, "cell": "pre.fees", "value": 0.37, "status": "ok", "raw": "收取费用 3700 元"}]
    lr = pd.DataFrame(L.longrun_rows(rep, cells))
    cmp = L.compare_reports(lr, 2014, 2015, (2014, 2015))
    fees = cmp.table.set_index("indicator").loc["fees"]
    assert (fees["2014"], fees["2015"], fees["变化"]) == ("0.12", "0.37", "+0.25")
    assert cmp.note == "" and "refused" in set(cmp.table["indicator"])   # one era: its own cells compare
    with pytest.raises(ValueError, match="not in the dataset"):
        L.compare_reports(lr, 2014, 2099, (2014, 2099))
