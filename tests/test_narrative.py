"""Narrative checks on the real reports' running text against their gold table values."""
from __future__ import annotations

from functools import lru_cache

import lxml.html
import pypdfium2
import pytest

from conftest import CORPUS, CORPUS_HTML, truth
from govreports.analysis import narrative_sections
from govreports.checks.narrative import narrative_checks
from govreports.corpus import narrative as corpus_narrative
from govreports.schema import load_schema


@lru_cache(maxsize=None)
def text_of(name: str) -> str:
    """Running text of a gold report: the .txt, the PDF's text layer, or the HTML page without tags."""
    if (CORPUS / f"{name}.txt").exists():
        return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    if (CORPUS / f"{name}.pdf").exists():
        pdf = pypdfium2.PdfDocument(CORPUS / f"{name}.pdf")
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    root = lxml.html.parse(str(CORPUS_HTML / f"{name}.html")).getroot()
    for node in root.xpath("//script|//style"):
        node.drop_tree()
    return root.text_content()


def checks_of(name: str, text: str | None = None) -> list[dict]:
    return narrative_checks(text if text is not None else text_of(name), truth(name)["cells"])


def summary(checks: list[dict]) -> list[tuple]:
    return [(c["rule"], c["scope"], c["status"], c["lhs"], c["rhs"]) for c in checks]


def test_helan_2020_received_56_against_55_new_plus_1_carried():
    checks = checks_of("helanxian_2020")
    new = [c for c in checks if c["rule"] == "N_NEW"]
    assert summary(new) == [("N_NEW", "t3.r1#c7", "fail", 56, 55)]
    assert new[0]["severity"] == "warning"
    assert "受理政府信息公开申请56件" in new[0]["message"]
    assert "55 + 1 = 56" in new[0]["message"]
    # 复议1件, 诉讼2件 agree with table 四; no other figure in the text disagrees with the tables.
    assert ("N_REVIEW", "t4.b1#c5", "pass", 1, 1) in summary(checks)
    assert ("N_LITIG", "t4.b2#c5+t4.b3#c5", "pass", 2, 2) in summary(checks)
    assert [c["rule"] for c in checks if c["status"] != "pass"] == ["N_NEW"]


def test_helan_2020_prose_copy_of_table_two_agrees():
    v19 = {c["scope"]: c["lhs"] for c in checks_of("helanxian_2020") if c["rule"] == "N_T2_V19"}
    assert v19 == {"t2.a20_5.r1#prev_items": 484, "t2.a20_5.r1#delta_items": -4, "t2.a20_5.r1#decisions": 57487,
                   "t2.a20_5.r2#prev_items": 220, "t2.a20_5.r2#delta_items": 68, "t2.a20_5.r2#decisions": 78370,
                   "t2.a20_6.r1#prev_items": 1195, "t2.a20_6.r1#delta_items": 37, "t2.a20_6.r1#decisions": 2823,
                   "t2.a20_6.r2#prev_items": 17, "t2.a20_6.r2#delta_items": 5, "t2.a20_6.r2#decisions": 409,
                   "t2.a20_8.r1#delta_items": 8, "t2.a20_9.r1#proc_items": 34,
                   "t2.a20_9.r1#proc_amount": 16280.5867}


def test_hotline_and_other_counts_are_not_taken_for_applications():
    text = text_of("helanxian_2020")
    assert "12345 热线受理诉求 28822 件，办复 25437 件" in text
    stated = {c["lhs"] for c in checks_of("helanxian_2020")}
    assert not stated & {28822, 25437, 229, 11, 25, 30317}


def test_hongze_2023_agrees():
    assert summary(checks_of("hongzequ_2023")) == [("N_NEW", "t3.r1#c7", "pass", 21, 21)]


def test_hongze_2024_office_scope_17_against_95():
    (check,) = checks_of("hongzequ_2024")
    assert (check["rule"], check["status"], check["lhs"], check["rhs"]) == ("N_NEW", "fail", 17, 95)
    assert "区政府办代表区政府受理政府信息公开申请17件" in check["message"]


def test_chinese_numerals():
    text = text_of("hongzequ_2023")
    assert "申请 21 件" in text
    checks = checks_of("hongzequ_2023", text.replace("申请 21 件", "申请二十一件"))
    assert summary(checks) == [("N_NEW", "t3.r1#c7", "pass", 21, 21)]
    assert checks_of("hongzequ_2023", "受理政府信息公开申请万件。") == []  # not a number cn2an can read


def test_including_carried_over_compares_with_new_plus_carried():
    text = text_of("helanxian_2020").replace("申请 56 件，其中", "申请 56 件（含上年结转 1 件），其中")
    checks = [c for c in checks_of("helanxian_2020", text) if c["rule"] in ("N_NEW", "N_CARRY_IN")]
    assert summary(checks) == [("N_NEW", "t3.r1#c7+t3.r2#c7", "pass", 56, 56),
                               ("N_CARRY_IN", "t3.r2#c7", "pass", 1, 1)]


def test_missing_table_is_skipped_not_passed():
    cells = {k: v for k, v in truth("helanxian_2020")["cells"].items() if not k.startswith("t4.")}
    review = [c for c in narrative_checks(text_of("helanxian_2020"), cells) if c["rule"] == "N_REVIEW"]
    assert [(c["status"], c["lhs"], c["rhs"]) for c in review] == [("skipped", 1, None)]


def test_value_status_pairs_are_accepted():
    cells = {k: (v, "ok" if v is not None else "blank") for k, v in truth("hongzequ_2024")["cells"].items()}
    assert summary(narrative_checks(text_of("hongzequ_2024"), cells)) == [("N_NEW", "t3.r1#c7", "fail", 17, 95)]


PINGTAN = {
    2019: [],
    2020: [("N_NEW", "t3.r1#c7", "pass", 21, 21)],
    2021: [("N_NEW", "t3.r1#c7", "pass", 70, 70), ("N_DONE", "t3.r3.7#c7", "pass", 69, 69),
           ("N_CARRY_OUT", "t3.r4#c7", "pass", 1, 1)],
    # "收到政府信息公开申请75件": 74 new + 1 carried over, as in Helan; the only disagreement.
    2022: [("N_T2", "t2.a20_1.r2#issued", "pass", 88, 88), ("N_NEW", "t3.r1#c7", "fail", 75, 74),
           ("N_REVIEW", "t4.b1#c5", "pass", 2, 2), ("N_LITIG", "t4.b2#c5+t4.b3#c5", "pass", 1, 1)],
    2023: [("N_T2", "t2.a20_1.r2#issued", "pass", 77, 77), ("N_NEW", "t3.r1#c7", "pass", 81, 81),
           ("N_DONE", "t3.r3.7#c7", "pass", 81, 81),
           ("N_SHARES", "t3.r3.1#c7+t3.r3.2#c7", "pass", 42, 42),
           ("N_SHARES", "(t3.r3.1#c7+t3.r3.2#c7)/t3.r3.7#c7", "pass", 51.85, 51.8519),
           ("N_SHARES", "t3.r3.3#c7", "pass", 5, 5), ("N_SHARES", "t3.r3.3#c7/t3.r3.7#c7", "pass", 6.17, 6.1728),
           ("N_SHARES", "t3.r3.4#c7", "pass", 31, 31), ("N_SHARES", "t3.r3.4#c7/t3.r3.7#c7", "pass", 38.27, 38.2716),
           ("N_SHARES", "t3.r3.5#c7", "pass", 1, 1), ("N_SHARES", "t3.r3.5#c7/t3.r3.7#c7", "pass", 1.23, 1.2346),
           ("N_SHARES", "t3.r3.6#c7", "pass", 2, 2), ("N_SHARES", "t3.r3.6#c7/t3.r3.7#c7", "pass", 2.47, 2.4691),
           ("N_REVIEW", "t4.b1#c5", "pass", 2, 2), ("N_LITIG", "t4.b2#c5+t4.b3#c5", "pass", 7, 7)],
    2024: [("N_T2", "t2.a20_1.r2#issued", "pass", 62, 62)],
    2025: [("N_NEW", "t3.r1#c7", "pass", 154, 154), ("N_DONE", "t3.r3.7#c7", "pass", 148, 148),
           ("N_CARRY_OUT", "t3.r4#c7", "pass", 6, 6), ("N_REVIEW", "t4.b1#c5", "pass", 36, 36),
           ("N_LITIG", "t4.b2#c5+t4.b3#c5", "pass", 9, 9)],
}


@pytest.mark.parametrize("year", sorted(PINGTAN))
def test_pingtan_pages(year):
    assert summary(checks_of(f"pingtan_{year}")) == PINGTAN[year]


def test_pingtan_2022_message_points_at_carried_over():
    (new,) = [c for c in checks_of("pingtan_2022") if c["rule"] == "N_NEW"]
    assert "收到政府信息公开申请75件" in new["message"] and "74 + 1 = 75" in new["message"]


# Real sentences quoted in format.md §6.4 with the table values given there.
DOC_EXAMPLES = [
    ("受理政府信息公开申请859件；答复…805件（含上年度结转申请18件，另有72件…顺延到下年度答复）。"
     "因政府信息公开被申请行政复议7件，诉讼9件。",  # 上海2019 (the second sentence's lead-in is ours)
     {"t3.r1#c7": 859, "t3.r2#c7": 18, "t3.r3.7#c7": 805, "t3.r4#c7": 72, "t4.b1#c5": 7, "t4.b2#c5": 9,
      "t4.b3#c5": 0},
     [("N_NEW", "t3.r1#c7", "pass", 859, 859), ("N_CARRY_IN", "t3.r2#c7", "pass", 18, 18),
      ("N_DONE", "t3.r3.7#c7", "pass", 805, 805), ("N_REVIEW", "t4.b1#c5", "pass", 7, 7),
      ("N_LITIG", "t4.b2#c5+t4.b3#c5", "pass", 9, 9)]),
    ("共收到依申请件927件，上年结转34件，办结930件，31件结转到2025年度继续办理。",  # 桐乡2024
     {"t3.r1#c7": 927, "t3.r2#c7": 34, "t3.r3.7#c7": 930, "t3.r4#c7": 31},
     [("N_NEW", "t3.r1#c7", "pass", 927, 927), ("N_CARRY_IN", "t3.r2#c7", "pass", 34, 34),
      ("N_DONE", "t3.r3.7#c7", "pass", 930, 930), ("N_CARRY_OUT", "t3.r4#c7", "pass", 31, 31)]),
]


@pytest.mark.parametrize("text, values, expected", DOC_EXAMPLES)
def test_format_doc_examples(text, values, expected):
    assert summary(narrative_checks(text, values)) == expected


def test_table_labels_left_in_the_text_come_from_one_place():
    """The labels tables 二, 三 and 四 print, in both versions, asked of the schema by the narrative splitter (corpus)
    and by the section alignment (analysis) alike."""
    printed = load_schema().printed_labels()
    assert {"本年新收政府信息公开申请数量", "对外公开总数量", "现行有效件数", "商业企业", "结果维持", "属于国家秘密"} <= printed
    for label in ("对外公开总数量", "现行有效件数", "属于国家秘密"):
        assert corpus_narrative._labels().fullmatch(label) and narrative_sections._table_labels().fullmatch(label)
    assert corpus_narrative._labels().fullmatch("自然人") and not narrative_sections._table_labels().fullmatch("自然人")
