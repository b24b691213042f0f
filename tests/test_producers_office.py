"""Reports converted by LibreOffice that once read a printed number blank, short or in the wrong cell
(issue 21 §3; tests/data/producers-office/make_office.py says how each was made and what it caught).
tests/test_gold.py checks every cell of these prints; this names the cells that were wrong, by cause."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from govreports import read_report

DATA = Path(__file__).parent / "data" / "producers-office"

# (fixture, {cell: the printed value}, what LibreOffice did to it)
CASES = [
    ("lo_bare1_t3", {"t3.r3.3.3#c1": 1, "t3.r3.3.3#c7": 1, "t3.r3.3.8#c2": 1, "t3.r3.3.8#c7": 1, "t3.r3.1#c1": 14},
     "issue 21 §3: a printed 1 in table 三 set at the top of its cell, off its row's baseline"),
    ("lo_nocjk_pingtan_2020", {"t2.a20_1.r2#new_made": 77, "t2.a20_5.r1#delta_items": 442,
                               "t2.a20_5.r2#delta_items": 7}, "cells set off their row's baseline"),
    ("lo_writer_pingtan_2020", {"t2.a20_9.r1#proc_amount": 7380.28959}, "'73802895.90 元': the unit apart"),
    ("lo_synth18_a4l", {"t2.a20_9.r1#proc_amount": 4730.265}, "'47302650 元': the unit apart"),
    ("lo_hsynth18_botright", {"t2.a20_9.r1#proc_amount": 4730.265}, "an amount wrapped at the foot of its cell"),
    ("lo_synth19_b5", {"t4.b2#c1": 415, "t4.b2#c3": 241, "t4.b2#c5": 656}, "numbers wrapped in narrow cells"),
    ("lo_synth26_a5", {"t3.r3.1#c7": 111}, "'11' | page break | '1'"),
    ("lo_synth31_a5", {"t3.r3.4.1#c1": 5140, "t3.r3.4.1#c7": 5140, "t2.a20_9.r1#proc_items": 955},
     "'5,14' | page break | '0'"),
    ("lo_synth56_a5", {"t3.r4#c1": 270, "t3.r4#c7": 270, "t4.b1#c1": 155}, "'27' | page break | '0'"),
    ("lo_synth43_a4l", {"t3.r3.6#c1": 0, "t3.r3.6#c5": 0}, "a row printed blank at both ends"),
    ("lo_synth48_a4l", {"t3.r3.7#c1": 17, "t3.r4#c1": 0}, "a paragraph naming 行政复议 before table 三"),
    ("lo_hsynth6_botright", {"t3.r3.3.5#c1": 0, "t3.r3.3.5#c7": 0}, "a label set at the foot of its cell"),
]


@pytest.mark.parametrize("name, printed, why", CASES, ids=[c[0] for c in CASES])
def test_cells_libreoffice_once_lost_are_read(name, printed, why):
    rep = read_report(DATA / f"{name}.pdf")
    cells = {c["cell"]: c for c in rep.cell_list}
    got = {code: (cells[code]["value"], cells[code]["status"]) if code in cells else "missing" for code in printed}
    assert got == {code: (v, "ok") for code, v in printed.items()}, why
    truth = json.loads((DATA / f"{name}.truth.json").read_text(encoding="utf-8"))
    assert all(truth["cells"][code] == v for code, v in printed.items())   # the values are the printed ones


def test_a_row_blank_at_both_ends_keeps_its_columns():
    """（六）其他处理 prints 0 | 无 | — | — | 0 | - | (blank): read one column to the left before."""
    rep = read_report(DATA / "lo_synth43_a4l.pdf")
    row = {c["cell"].split("#")[1]: c["raw"] for c in rep.cell_list if c["cell"].startswith("t3.r3.6#")}
    assert row == {"c1": "0", "c2": "无", "c3": "—", "c4": "—", "c5": "0", "c6": "-", "c7": ""}
