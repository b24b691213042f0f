"""Synthetic report pages printed by headless Chromium (tests/data/producers-browser-synth): every cell of
the drawn truth and exactly its failed identities. Two numbers that a grid put in one cell (`1328 3877`)
must never be read as one number (13283877)."""
from __future__ import annotations

from pathlib import Path

import pytest

from govreports import read_report
from govreports.numbers import parse_number
from govreports.synth.roundtrip import cell_diffs, failed_hard
from govreports.synth.values import draw_report

PRINTS = Path(__file__).parent / "data" / "producers-browser-synth"


@pytest.mark.parametrize("seed,name", [(2, "chrome_synth_2"), (3, "chrome_synth_3"), (4, "chrome_synth_4_a5"),
                                       (5, "chrome_synth_5"), (10, "chrome_synth_10_a5")])
def test_chromium_prints_of_synthetic_pages_read_every_cell(seed, name):
    """On A5 the numbers fill their cells edge to edge and a grid glues neighbours (`295826838`): the
    split reading parts them, and is not refused for 'losing' the glued number. Seed 5 continues table 二
    on a page whose grid has table 三's columns: its row's three values go under the header in order."""
    truth = draw_report(seed)
    rep = read_report(PRINTS / f"{name}.pdf")
    assert cell_diffs(truth, rep.cell_list) == []
    assert failed_hard(rep.checks) == truth.violations
    assert (rep.agency, rep.year) == (truth.agency, truth.year)


def test_digits_split_by_a_space_are_never_one_number():
    assert parse_number("12,345").value == 12345 and parse_number("增加 48", "signed").value == 48
    for two in ("1328 3877", "327 307", "1 0", "0 0", "1234 5"):
        assert parse_number(two).status == "text", two
