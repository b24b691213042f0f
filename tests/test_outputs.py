"""Issue 19's defects in the data behind the pages: narrative reuse counted on real sentences, the
source URL kept by a folder build, `make lab` as root. Real reports from data/reports."""
from __future__ import annotations

import csv
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
