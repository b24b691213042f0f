"""Lone strokes a low-resolution scan makes the recogniser misname: '/' read as '1', '-' read as '?'.

The fixture is page 2 of a synthetic report (govreports.synth, seed 11) printed to PDF and rendered at
150 dpi: table 三 with every marker a report prints for zero (blank, 无, -, —, /) mixed with numbers.
"""
from __future__ import annotations

from conftest import DATA
from govreports import read_report

PAGE = DATA / "images" / "synth11_page2_150dpi.png"
# table 三 as printed on the page, columns c1…c7
PRINTED = {
    "t3.r1": "15 1 _ 0 / 0 16", "t3.r2": "无 _ — 1 0 — 1", "t3.r3.1": "2 0 0 1 0 无 3", "t3.r3.2": "1 0 0 - — — 1",
    "t3.r3.3.1": "0 - / _ / _ -", "t3.r3.3.2": "0 / 无 — — _ 0", "t3.r3.3.3": "5 - 无 - 无 / 5",
    "t3.r3.3.4": "_ 0 无 无 / - —", "t3.r3.3.5": "无 - / _ / 无 0", "t3.r3.3.6": "_ - / - - 1 —",
    "t3.r3.3.7": "— 0 0 0 - — -", "t3.r3.3.8": "1 / 0 0 — 0 1", "t3.r3.4.1": "2 1 0 无 / _ 3",
    "t3.r3.4.2": "/ 0 - 无 0 无 —", "t3.r3.4.3": "— - 0 0 无 0 无", "t3.r3.5.1": "2 — _ - 0 — 2",
    "t3.r3.5.2": "— — — 无 - - —", "t3.r3.5.3": "— / 无 0 — _ 0", "t3.r3.5.4": "无 — _ 0 — — -",
    "t3.r3.5.5": "2 无 _ — _ - 2", "t3.r3.6.1": "0 无 / _ 无 0 0",
}
STATUS = {"_": "blank", "无": "blank", "-": "dash", "—": "dash", "/": "slash"}


def test_slashes_and_dashes_of_a_150_dpi_scan_read_as_printed():
    rep = read_report(PAGE)
    got = {c["cell"]: c for c in rep.cell_list}
    for row, printed in PRINTED.items():
        for k, mark in enumerate(printed.split(), start=1):
            cell = got[f"{row}#c{k}"]
            want = (None, STATUS[mark]) if mark in STATUS else (int(mark), "ok")
            assert (cell["value"], cell["status"]) == want, (row, k, cell["raw"])


def test_two_numbers_a_lost_ruling_stacks_in_one_cell_read_as_two_lines():
    """The 0 of （六）其他处理 and the 95 of （七）总计 from a phone photo (hongzequ 2024), put in one cell
    as a ruling lost between them would: the cell reads '0\\n95' (two rows for the mapper), not '095'."""
    import numpy as np

    from govreports.readers.cellocr import TEXT_INK, read_grid, split_lines
    from govreports.readers.grid import Grid, rules_mask
    from govreports.readers.image import load_pages, scan_page
    from govreports.readers.ocr import SCALE, engine

    photo = DATA / "images" / "hongzequ_2024_photo" / "IMG_0004.jpg"
    boxes = {c["cell"]: c["bbox"] for c in read_report(photo).cell_list}
    page, _, _ = scan_page(load_pages(photo.read_bytes(), str(photo))[0])
    inner = [page[y0 + 5:y1 - 5, x0 + 5:x1 - 5] for x0, y0, x1, y1 in (boxes["t3.r3.6#c1"], boxes["t3.r3.7#c1"])]
    inner = [p[rows[0]:rows[-1] + 1] for p in inner for rows in [np.flatnonzero((p < 160).any(axis=1))]]  # tight
    width = max(p.shape[1] for p in inner)
    gap = np.full((3, width), 255, np.uint8)                  # rows as close as a dense table sets them
    top, bottom = (np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=255) for p in inner)
    cell = np.vstack([top, gap, bottom])
    assert len(split_lines(cell, cell < TEXT_INK, float(top.shape[0]))) == 2
    sheet = np.full((cell.shape[0] + 40, width + 40), 255, np.uint8)
    sheet[20:20 + cell.shape[0], 20:20 + width] = cell
    sheet[[16, 17, 18, -19, -18, -17], :] = 0                 # the cell's rulings, none between the numbers
    sheet[:, [16, 17, 18, -19, -18, -17]] = 0
    grid = Grid(xs=[17, sheet.shape[1] - 18], ys=[17, sheet.shape[0] - 18], cells=[(0, 0, 1, 1)])
    table, _ = read_grid(sheet, rules_mask(sheet, SCALE), grid, 1, engine())
    assert table.rows[0][0] == "0\n95"


def test_a_table_of_dashes_reads_its_dashes():
    """Page 3 of synthetic report 13 at 150 dpi: table 三 printed with '-' for every zero, so most
    cells hold a two-pixel-high stroke; each reads '-', none is left unrecognised ('?')."""
    from govreports.readers import read_raw

    (table,) = [t for t in read_raw(DATA / "images" / "synth13_page3_150dpi.png").tables if len(t.rows) > 10]
    values = [row[3:] for row in table.rows]
    assert not [v for row in values for v in row if v == "?"]
    assert values[-2] == ["2750", "1", "-", "1", "-", "168", "2920"]   # （七）总计
    assert values[-1] == ["55", "-", "-", "-", "-", "-", "55"]         # 四、结转下年度继续办理


def test_a_blurred_dash_of_a_phone_photo_reads_as_a_dash():
    """Page 3 of synthetic report 13 photographed (tilt 2.5°, perspective, uneven light, blur, JPEG 55):
    a blurred '-' is darker in its middle than at its ends; it still reads '-', and every row of the
    table keeps its values (none taken for part of its label)."""
    from govreports.readers import read_raw

    (table,) = [t for t in read_raw(DATA / "images" / "synth13_photo55_page3.jpg").tables if len(t.rows) > 10]
    values = [row[3:] for row in table.rows]
    assert values[10] == ["-"] * 7                                       # 2、重复申请
    assert values[-2] == ["2750", "1", "-", "1", "-", "168", "2920"]    # （七）总计
