"""likely_misreads: the cell where a failed row identity crosses a failed column identity is named.

Inputs are built from a gold report's true values with one or two cells altered, as an OCR digit
slip would; the failed checks come from the real identity evaluator.
"""
from __future__ import annotations

import pytest

from conftest import truth
from govreports.checks.identities import evaluate_identities
from govreports.checks.suspects import check_cells, likely_misreads, low_confidence


def _values(changes: dict[str, int]) -> dict[str, float | None]:
    values = {k: v for k, v in truth("hongzequ_2024")["cells"].items() if not k.startswith("t2.")}
    assert all(k in values for k in changes)
    values.update(changes)
    return values


def _failed(values: dict[str, float | None]) -> list[dict]:
    cells = {k: (v, "ok" if v is not None else "blank") for k, v in values.items()}
    return [c for c in evaluate_identities(cells, "single") if c["status"] == "fail"]


def _named(warnings: list[str]) -> list[str]:
    return [w.split(" ", 1)[0] for w in warnings]


def test_clean_report_names_nothing():
    values = _values({})
    assert _failed(values) == []
    assert likely_misreads(values, [], {}) == []


@pytest.mark.parametrize("cell", ["t3.r3.1#c1", "t3.r1#c1", "t3.r3.7#c7", "t3.r4#c3", "t3.r3.3.6#c7", "t3.r3.5.1#c1"])
def test_one_wrong_t3_cell_is_named(cell):
    true = truth("hongzequ_2024")["cells"][cell]
    values = _values({cell: true + 5})
    failed = _failed(values)
    rules = {f"{c['rule']}[{c['scope']}]" for c in failed}
    assert any(r.startswith("T3_ROW_TOTAL") for r in rules)
    assert _named(likely_misreads(values, failed, {cell: 0.62})) == [cell]


def test_message_names_page_read_text_confidence_and_identities():
    values = _values({"t3.r3.1#c1": 5})
    failed = _failed(values)
    (msg,) = likely_misreads(values, failed, {"t3.r3.1#c1": 0.62}, details={"t3.r3.1#c1": (3, "5")})
    assert msg == ("t3.r3.1#c1 (page 3, read '5', conf 0.62) breaks T3_ROW_TOTAL[t3.r3.1] and "
                   "T3_RESULTS_SUM[c1]: likely misread")


def test_wrong_c7_cell_crosses_c7_column_rules():
    cell = "t3.r1#c7"
    values = _values({cell: truth("hongzequ_2024")["cells"][cell] - 10})
    (msg,) = likely_misreads(values, _failed(values), {})
    assert msg.startswith(f"{cell} (value 85)") and "T3_ROW_TOTAL[t3.r1]" in msg and "T3_BALANCE[c7]" in msg
    assert msg.endswith("likely misprint or misread")  # no OCR doubt about the cell


def test_two_wrong_cells_in_different_rows_and_columns():
    values = _values({"t3.r3.1#c1": 5, "t3.r3.3.3#c7": 7})
    named = _named(likely_misreads(values, _failed(values), {}))
    # Two failed rows × two failed column sets cross in four places; both real errors are among them.
    assert {"t3.r3.1#c1", "t3.r3.3.3#c7"} <= set(named)
    assert len(named) <= 4


def test_t4_block_names_its_least_confident_cell():
    values = _values({"t4.b3#c3": 7})
    failed = _failed(values)
    assert [f"{c['rule']}[{c['scope']}]" for c in failed] == ["T4_BLOCK_TOTAL[b3]"]
    conf = {f"t4.b3#c{i}": 0.99 for i in range(1, 6)} | {"t4.b3#c3": 0.55}
    (msg,) = likely_misreads(values, failed, conf)
    assert msg.startswith("t4.b3#c3 (value 7, conf 0.55) has the lowest OCR confidence in T4_BLOCK_TOTAL[b3]")


def test_t4_block_read_confidently_names_nothing():
    """洪泽 2023 prints 行政复议 总计 0 for 10 + 1: a misprint, read with high confidence, is not a misread."""
    values = _values({"t4.b1#c1": 10, "t4.b1#c5": 0})
    failed = _failed(values)
    assert [f"{c['rule']}[{c['scope']}]" for c in failed] == ["T4_BLOCK_TOTAL[b1]"]
    assert likely_misreads(values, failed, {f"t4.b1#c{i}": 0.95 for i in range(1, 6)}) == []


def test_cells_are_derived_when_a_check_has_no_cell_list():
    values = _values({"t3.r3.1#c1": 5})
    stripped = [{k: v for k, v in c.items() if k != "cells"} for c in _failed(values)]
    assert _named(likely_misreads(values, stripped, {})) == ["t3.r3.1#c1"]
    for check in _failed(values):
        assert sorted(check_cells({k: v for k, v in check.items() if k != "cells"}, values)) == sorted(check["cells"])


def test_values_are_never_changed():
    values = _values({"t3.r3.1#c1": 5})
    before = dict(values)
    likely_misreads(values, _failed(values), {"t3.r3.1#c1": 0.3})
    assert values == before


def test_low_confidence_lists_cells_below_threshold_in_print_order():
    conf = {"t4.b1#c2": 0.1, "t3.r3.5.1#c1": 0.5, "t3.r3.2#c1": 0.79, "t3.r1#c2": 0.95, "t3.r3.1#c7": 0.2}
    values = {k: 0 for k in conf}
    assert _named(low_confidence(values, conf)) == ["t3.r3.1#c7", "t3.r3.2#c1", "t3.r3.5.1#c1", "t4.b1#c2"]
