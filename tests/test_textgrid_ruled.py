"""The text grid on ruled pages (readers/textgrid.py): the rulings pdfium lists among a page's objects give
the value columns, captions and label columns their cells, so ruled tables map from the characters alone
and camelot's ruled re-reading is not needed (the record's `methods` says `textgrid`)."""
import json
from pathlib import Path

import pytest

from govreports import read_report
from govreports.readers.pdf import read_pdf
from govreports.synth.pdf import render_pdf
from govreports.synth.roundtrip import cell_diffs, failed_hard
from govreports.synth.values import draw_report

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("seed", [7, 8, 13, 36])
def test_synthetic_ruled_prints_map_from_the_text_grid(seed, tmp_path):
    """Seed 7: table 二's one-value blocks (（五）（六）（八）, a number right-aligned in a cell as wide as
    the table) under captions across the whole table; seed 8: table 二's header cut from its rows by a
    page break, cells drawn as stroked boxes; seed 13: the same with a decimal amount; seed 36: table 四
    with doubled rulings. Before the rulings were read, the text grid ran these columns together and
    camelot read the tables again."""
    truth = draw_report(seed)
    rep = read_report(render_pdf(truth, tmp_path / f"synth_{seed}.pdf"))
    assert rep.methods == {"t2": "textgrid", "t3": "textgrid", "t4": "textgrid"}
    assert cell_diffs(truth, rep.cell_list) == []
    assert failed_hard(rep.checks) == truth.violations


def test_a_header_cut_off_by_a_page_break_is_stitched_to_its_rows(tmp_path):
    """Seed 7 prints block （五）'s caption and header at the foot of page 1 and its row on page 2: the ruled
    cells under the page's last values are a grid of their own (not rows of the table above, nor of the
    page number '- 1 -'), stitched to the next page's first rows."""
    doc = read_pdf(render_pdf(draw_report(7), tmp_path / "synth_7.pdf"))
    block5 = next(t for t in doc.tables if any("第二十条第（五）项" in (c or "") for c in t.rows[0]))
    assert block5.rows == [["第二十条第（五）项", ""], ["信息内容", "本年处理决定数量"], ["行 政许可", "5"]]
    assert block5.row_pages == [1, 1, 2]
    assert not any("- 1" in (c or "") for t in doc.tables for r in t.rows for c in r)


def test_values_set_higher_in_their_cells_join_their_row():
    """LibreOffice's 平潭 2020 sets some values higher in their cells than their neighbours (77, 442, 7):
    with no ruling between them they are one row, read by the text grid with every gold cell."""
    pdf = DATA / "producers-office" / "lo_pingtan_2020.pdf"
    rep = read_report(pdf)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert set(rep.methods.values()) == {"textgrid"}
    assert {k: v for k, v in rep.values.items() if k in truth["cells"]} == truth["cells"]
    assert rep.values["t2.a20_1.r2#new_made"] == 77 and rep.values["t2.a20_5.r1#delta_items"] == 442
