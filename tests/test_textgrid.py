"""The borderless-table reader (readers/textgrid.py) on real pages printed by headless Chromium with no
table borders (tests/data/producers-browser/make_prints.py): rows anchored by their values, wrapped
labels joined, columns kept where a cell is printed blank."""
from pathlib import Path

from govreports.readers.textgrid import read_textgrid

PRINTS = Path(__file__).parent / "data" / "producers-browser"


def _rows(name: str, pages: list[int]) -> list[list[str | None]]:
    return [r for t in read_textgrid(PRINTS / name, pages) for r in t.rows]


def test_wrapped_labels_join_the_row_beside_their_values_even_across_a_page_break():
    rows = _rows("chrome_helan_flat.pdf", [10, 11])
    zeros = ["0"] * 7
    assert ["", "1.本机关不掌握相关政府信息", *zeros] in rows          # three lines, values beside the middle one
    assert ["（四）无法提供", "2.没有现成信息需要另行制作", *zeros] in rows  # the group label beside its middle row
    # the last label's first two lines end page 10, its last two head page 11: one row
    assert ["", "5.要求行政机关确认或重新出具已获取信息", *zeros] in rows
    assert not any("出具已获取信息" in (c or "") for r in rows for c in r[:1])


def test_each_block_of_table_two_is_its_own_grid_with_its_header_over_its_values():
    tables = read_textgrid(PRINTS / "chrome_helan_flat.pdf", [8])
    block5 = next(t.rows for t in tables if any("第二十条第（五）项" in (c or "") for c in t.rows[0]))
    assert block5[1:] == [["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                          ["行政许可", "484", "减少4", "57487"],
                          ["其他对外管理服务事项", "220", "增加68", "78370"]]


def test_a_column_printed_blank_keeps_its_place_under_its_header():
    rows = _rows("chrome_helan_flat.pdf", [11])
    data = next(r for r in rows if len(r) == 15 and sum(1 for c in r if c) == 14)
    assert data == ["0", "1", "0", "0", "1", "0", "1", "0", "", "1", "0", "0", "0", "1", "1"]


def test_justified_labels_and_a_number_wrapped_in_a_narrow_column():
    rows = _rows("chrome_pingtan_2021_borderless_a5.pdf", [8, 9])
    assert ["三、本年度办", "（一）予以公开", "", "27", "0", "0", "2", "0", "1", "30"] in rows   # '3' over '0'
    assert any(r[0] == "2.其他法律行政法规禁止公开" for r in rows)   # one character per gap, set justified


def test_synthetic_reports_printed_borderless_with_cells_set_solid():
    """Chromium's prints of synthetic report pages with no borders and no cell padding (make_synth_borderless.py):
    header texts and values of adjacent cells touch ('本年制发数量本年废止数量', '212833960' is 21283 and
    3960), signed values ('增加 48') print beside or over their numbers; every cell reads back, no check fails."""
    from govreports import read_report
    from govreports.synth.roundtrip import cell_diffs, failed_hard
    from govreports.synth.values import draw_report

    for seed, name in ((0, "chrome_synth0_borderless_a5.pdf"), (1, "chrome_synth1_borderless_a4.pdf")):
        truth, report = draw_report(seed), read_report(PRINTS / name)
        assert set(report.methods.values()) == {"textgrid"}, name
        assert cell_diffs(truth, report.cell_list) == [], name
        assert failed_hard(report.checks) == truth.violations, name


def test_a_header_set_solid_across_value_columns_is_cut_one_cell_per_column():
    rows = _rows("chrome_synth0_borderless_a5.pdf", [1])
    assert ["信息内容", "本年制发数量", "本年废止数量", "现行有效数量"] in rows
    assert ["规章", "8", "2", "99"] in rows
