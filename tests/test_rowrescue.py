"""A table 三 row the grid misses is found from the text lines, or named as missing: never dropped silently.

Fixtures (tests/data/images/make_lostrow.py; the synthetic reports' truth in synthSEED.truth.json):
- ``synth12_photo55_page3.jpg``: page 3 photographed (tilt, perspective, uneven light, blur, JPEG 55), as
  benchmarks/ocr_synth_scans.py photographs it; the first value of 4.无正当理由大量反复申请 (0) reads 'g', so
  the mapper took the row for a wrapped label and lost it;
- ``synth12_page2_150dpi_faint.png``: page 2 scanned at 150 dpi with the ruling between 3.危及“三安全一稳定”
  and 4.保护第三方合法权益 printed faint: both rows stand in one grid row, whose stacked zeros read 'nUnU';
- ``synth13_page3_150dpi_faint.png``: page 3 of report 13 with the ruling between 3.其他 and （七）总计
  faint: 总计 is lost and 3.其他 is read from cells holding both rows ('312\n2750' joined as 3122750, an
  'ok' number no warning named: a silent misread);
- ``hongzequ_2024_page3_150dpi_faint.png``: page 3 of the real report 洪泽区 2024 at 150 dpi with the ruling
  between 2.其他法律行政法规禁止公开 (0s) and 3.危及“三安全一稳定” (1 … 1) faint: both rows were lost.
"""
from __future__ import annotations

import json
import shutil

import numpy as np
from PIL import Image

from conftest import DATA
from govreports import read_report
from govreports.corpus.build import build
from govreports.corpus.corrections import DOUBTFUL_STATUSES
from govreports.corpus.dataset import load
from govreports.readers.grid import find_grids
from govreports.review.doubtful import doubtful_cells
from govreports.rowrescue import RECOVERED

IMAGES = DATA / "images"
TRUTH = json.loads((IMAGES / "synth12.truth.json").read_text(encoding="utf-8"))["cells"]
TRUTH13 = json.loads((IMAGES / "synth13.truth.json").read_text(encoding="utf-8"))["cells"]
GOLD = json.loads((DATA / "corpus" / "hongzequ_2024.truth.json").read_text(encoding="utf-8"))["cells"]
COLS = [f"c{k}" for k in range(1, 8)]


def _row(rep, row: str) -> dict[str, dict]:
    return {c["cell"]: c for c in rep.cell_list if c["cell"].split("#")[0] == row}


def _assert_recovered(rep, row: str, truth: dict = TRUTH) -> None:
    cells = _row(rep, row)
    assert sorted(cells) == sorted(f"{row}#{c}" for c in COLS)
    for code, cell in cells.items():
        assert (cell["value"], cell["status"]) == (truth[code], RECOVERED), code
        assert len(cell["bbox"]) == 4 and cell["bbox"][0] < cell["bbox"][2] and cell["bbox"][1] < cell["bbox"][3]
    assert any(w.startswith(f"{row} (page ") and "from the text lines" in w for w in rep.warnings)
    assert not any(w.startswith("table 三: row(s) not found") and row in w for w in rep.warnings)
    total = next(c for c in rep.checks if c["rule"] == "T3_ROW_TOTAL" and c["scope"] == row)
    assert total["status"] == "pass"     # identities run on the recovered values


def test_a_photographed_row_whose_first_value_read_as_a_letter_is_not_lost():
    """The first value (0) once read 'g' and the mapper lost the row; the cell reader now reads it again
    (short letter-only reads), and were it still a letter the row would be recovered from the text lines."""
    rep = read_report(IMAGES / "synth12_photo55_page3.jpg")
    cells = _row(rep, "t3.r3.5.4")
    assert {k: c["value"] for k, c in cells.items()} == {f"t3.r3.5.4#{c}": TRUTH[f"t3.r3.5.4#{c}"] for c in COLS}
    assert {c["status"] for c in cells.values()} <= {"ok", RECOVERED}
    assert not any(w.startswith("table 三: row(s) not found") and "t3.r3.5.4" in w for w in rep.warnings)


def test_two_rows_a_faint_ruling_leaves_in_one_grid_row_are_both_recovered():
    rep = read_report(IMAGES / "synth12_page2_150dpi_faint.png")
    _assert_recovered(rep, "t3.r3.3.3")
    _assert_recovered(rep, "t3.r3.3.4")
    # the rows the grid did find on the page are not disturbed
    for code in ("t3.r3.3.2#c4", "t3.r3.3.5#c2", "t3.r3.5.3#c1"):
        assert next(c for c in rep.cell_list if c["cell"] == code)["status"] == "ok"


def test_two_rows_of_a_real_report_a_faint_ruling_joins_are_recovered_with_their_gold_values():
    rep = read_report(IMAGES / "hongzequ_2024_page3_150dpi_faint.png")
    _assert_recovered(rep, "t3.r3.3.2", GOLD)
    _assert_recovered(rep, "t3.r3.3.3", GOLD)
    assert [_row(rep, "t3.r3.3.3")[f"t3.r3.3.3#{c}"]["value"] for c in COLS] == [1, 0, 0, 0, 0, 0, 1]


def test_a_row_read_from_cells_that_also_held_a_lost_row_is_read_again_from_its_own_band():
    rep = read_report(IMAGES / "synth13_page3_150dpi_faint.png")
    _assert_recovered(rep, "t3.r3.7", TRUTH13)
    _assert_recovered(rep, "t3.r3.6.3", TRUTH13)
    assert [_row(rep, "t3.r3.6.3")[f"t3.r3.6.3#{c}"]["raw"] for c in COLS] == ["312", "-", "-", "-", "-", "5", "317"]
    assert any(w.startswith("t3.r3.6.3 (page 1): its grid row also held t3.r3.7's print") for w in rep.warnings)


def test_a_row_whose_label_is_found_but_a_value_is_unreadable_stays_missing_with_a_warning(tmp_path):
    """An ink blot over the 1271 of 4.保护第三方合法权益: the label is on the page, the value is not; no
    cell of the row is made up (not even a blank), and the row is named as missing."""
    gray = np.asarray(Image.open(IMAGES / "synth12_page2_150dpi_faint.png").convert("L")).copy()
    grid = find_grids(gray, 150 / 72)[-1]
    heights = np.diff(grid.ys)
    k = min(range(len(heights)), key=lambda i: abs(heights[i] - 2 * np.median(heights)))  # the two rows in one
    x0, x1, y0, y1 = grid.xs[6], grid.xs[7], grid.ys[k], grid.ys[k + 1]   # column 社会公益组织 (c4)
    gray[(y0 + y1) // 2 + 6:y1 - 6, x0 + 10:x1 - 10] = 20
    blotted = tmp_path / "blotted.png"
    Image.fromarray(gray).save(blotted)
    rep = read_report(blotted)
    assert _row(rep, "t3.r3.3.4") == {}
    assert any(w.startswith("t3.r3.3.4 (page 1): its label") and "c4 value is unreadable" in w for w in rep.warnings)
    assert any(w.startswith("table 三: row(s) not found") and "t3.r3.3.4" in w for w in rep.warnings)
    _assert_recovered(rep, "t3.r3.3.3")   # the row above it, with all its values readable, is recovered


def test_recovered_cells_are_on_the_review_page_with_their_crop(tmp_path):
    """A dataset built from the faint-ruling scan lists the recovered rows' cells as doubtful, each with
    the box it was read from, so a reviewer confirms them; confirming one writes a correction line."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy2(IMAGES / "synth12_page2_150dpi_faint.png", src)
    build(src, tmp_path / "ds", workers=1, progress=False)
    doubts = {d.cell: d for d in doubtful_cells(load(tmp_path / "ds")) if d.status == RECOVERED}
    assert sorted(doubts) == sorted(f"{row}#{c}" for row in ("t3.r3.3.3", "t3.r3.3.4") for c in COLS)
    assert all(d.bbox is not None and any("recovered from the text lines" in w for w in d.why) for d in doubts.values())
    assert all(d.value == TRUTH[k] for k, d in doubts.items()) and RECOVERED in DOUBTFUL_STATUSES
