"""One name per publisher across years, and the narrative's sentences and reuse shares."""
from __future__ import annotations

from pathlib import Path

import pytest

from govreports.corpus import publisher
from govreports.corpus.assemble import _division
from govreports.corpus.narrative import reuse, sections, sentences

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


def _row(rid: str, agency: str, year: int, code: str | None = None) -> dict:
    division, _ = _division(agency, year, code)
    return {"report_id": rid, "agency": agency, "year": year, **division}


def _assign(rows: list[dict]) -> dict[str, str]:
    publisher.assign(rows, {r["report_id"]: r.pop("_matched") for r in rows})
    return {r["report_id"]: r["publisher"] for r in rows}


def test_a_government_is_named_after_its_division_in_that_year():
    got = _assign([_row("a", "洪泽区人民政府", 2023), _row("b", "淮安市洪泽区人民政府", 2024),
                   _row("c", "贺兰县", 2020), _row("d", "江苏省人民政府", 2022), _row("e", "北京市朝阳区人民政府", 2022),
                   _row("f", "平潭综合实验区", 2021)])
    assert got == {"a": "淮安市洪泽区人民政府", "b": "淮安市洪泽区人民政府", "c": "银川市贺兰县人民政府",
                   "d": "江苏省人民政府", "e": "北京市朝阳区人民政府",
                   "f": "平潭综合实验区"}  # an alias keeps its own name: 平潭县人民政府 would be another body


def test_a_department_keeps_its_most_complete_spelling_across_years():
    got = _assign([_row("a", "洪泽区财政局", 2022), _row("b", "淮安市洪泽区财政局", 2023),
                   _row("c", "洪泽区财政局", 2024), _row("d", "洪泽区教育局", 2024)])
    assert got == {"a": "淮安市洪泽区财政局", "b": "淮安市洪泽区财政局", "c": "淮安市洪泽区财政局", "d": "洪泽区教育局"}


def test_a_renamed_department_follows_the_alias_table_or_the_manifest(monkeypatch):
    monkeypatch.setattr(publisher, "_aliases", lambda: {("320813", "洪泽区农业农村局"): "洪泽区农业农村和水利局"})
    rows = [_row("a", "洪泽区农业农村局", 2022), _row("b", "洪泽区农业农村和水利局", 2023),
            {**_row("c", "洪泽区统计局", 2023), "publisher": "淮安市洪泽区统计局（manifest）"}]
    assert _assign(rows) == {"a": "洪泽区农业农村和水利局", "b": "洪泽区农业农村和水利局", "c": "淮安市洪泽区统计局（manifest）"}


def test_sentences_are_split_normalised_and_short_ones_dropped():
    text = "2024年，区政府严格落实《管理办法》。全年收取信息处理费 0 元；无。（一）主动公开情况！"
    assert sentences(text) == ["2024年,区政府严格落实管理办法", "全年收取信息处理费0元"]


def test_sections_leave_table_rows_out():
    text = (REPORTS / "helanxian_2020.txt").read_text(encoding="utf-8")
    heads = [h for h, _ in sections(text)]
    assert heads[:2] == ["", "一、总体情况"] and "五、存在的主要问题及改进情况" in heads
    body = "".join(t for _, t in sections(text))
    assert "贺兰县各级行政机关主动公开政府信息共30317条" in body.replace(" ", "")
    assert "结果维持" not in body and "予以公开" not in body  # table 三/四 labels are not narrative


def test_reuse_and_template_share():
    rows = [{"report_id": "a23", "year": 2023, "series": "A"}, {"report_id": "a24", "year": 2024, "series": "A"},
            {"report_id": "b24", "year": 2024, "series": "B"}]
    texts = {"a23": "今年我们加强了平台建设工作。全年共受理申请十件整。",
             "a24": "今年我们加强了平台建设工作。全年共受理申请二十件。我们将继续深化政务公开。",
             "b24": "我们将继续深化政务公开。另一个机关的独有句子在这里。"}
    got = reuse(rows, texts)
    assert got["a23"] == (None, 0.0)  # no 2022 report: reuse unknown
    assert got["a24"] == pytest.approx((1 / 3, 1 / 3))
    assert got["b24"] == (None, 0.5)
