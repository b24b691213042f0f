"""The .docx reader: merged cells from the XML (gridSpan, vMerge) come out as None, blanks as ''."""
from __future__ import annotations

import json

import pytest

from conftest import DATA
from govreports import ReaderError
from govreports.numbers import parse_number
from govreports.readers.docx import read_docx
from govreports.schema import load_schema

DOCX = DATA / "html" / "helan_2020.docx"


def test_docx_grids_expand_merges_and_keep_blank_cells():
    doc = read_docx(DOCX)
    truth = json.loads((DATA / "html" / "helan_2020.truth.json").read_text(encoding="utf-8"))
    assert doc.kind == "docx" and [(len(t.rows), len(t.rows[0])) for t in doc.tables] == [(18, 4), (26, 10), (4, 15)]
    t2, t3, t4 = (t.rows for t in doc.tables)
    assert t2[0] == ["第二十条第（一）项", None, None, None]                       # gridSpan 4
    assert t2[1][1] == "本年新制作数量"                                           # two paragraphs joined
    assert t3[0][1:4] == [None, None, "申请人情况"] and t3[1][0] is None          # corner: gridSpan 3 + vMerge
    assert t3[1][3] == "自然人" and t3[2][3] is None                              # vMerge continue -> None
    assert [i for i, r in enumerate(t3) if r[0] == "三、本年度办理结果"] == [5]     # one vertical merge over 20 rows
    assert all(t3[i][0] is None for i in range(6, 25))
    s = load_schema()
    data = t3[3:]
    for code, row in zip(s.t3_row_codes("single"), data):
        for col, raw in zip(s.t3_columns, row[-7:]):
            assert parse_number(raw).value == truth["cells"][f"{code}#{col}"], (code, col, raw)
    assert [r[7] for r in data] == [""] * 23                                     # 法律服务机构 zeros left blank
    assert t4[3][8] == "" and t4[3][4] == str(truth["cells"]["t4.b1#c5"])
    assert doc.meta == {"title": "贺兰县2020年政府信息公开工作年度报告", "published": None}
    assert doc.text.splitlines()[0] == "贺兰县2020年政府信息公开工作年度报告"
    assert "申请人情况" not in doc.text and "六、其他需要报告的事项" in doc.text


def test_not_a_docx_names_the_file(tmp_path):
    bad = tmp_path / "report.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReaderError, match=r"report\.docx: not a readable \.docx file"):
        read_docx(bad)
