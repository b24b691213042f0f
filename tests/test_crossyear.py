"""Cross-year checks on the gold series: Hongze 2023→2024 and 平潭 2019→2025."""
from __future__ import annotations

import pytest

from conftest import truth
from govreports.checks.crossyear import YearValues, crossyear_checks, series_checks


def summary(checks: list[dict]) -> list[tuple]:
    return [(c["rule"], c["scope"], c["status"], c["lhs"], c["rhs"]) for c in checks]


def test_hongze_in_force_5_plus_3_minus_0_is_8():
    checks = crossyear_checks(truth("hongzequ_2023"), truth("hongzequ_2024"))
    (r2,) = [c for c in checks if c["scope"] == "2023→2024 t2.a20_1.r2"]
    assert (r2["rule"], r2["severity"], r2["status"], r2["lhs"], r2["rhs"]) == ("X_T2_IN_FORCE", "warning", "pass", 8, 8)
    assert "现行有效5 + 2024年制发3 − 废止0 = 8件" in r2["message"]
    assert r2["cells"] == ["2024:t2.a20_1.r2#in_force", "2023:t2.a20_1.r2#in_force", "2024:t2.a20_1.r2#issued",
                           "2024:t2.a20_1.r2#repealed"]
    carry = [c for c in checks if c["rule"] == "X_CARRY"]
    assert [c["scope"] for c in carry] == [f"2023→2024 c{i}" for i in range(1, 8)]
    assert {c["status"] for c in carry} == {"pass"}
    assert not [c for c in checks if c["rule"] == "X_T2_ITEMS"]


def test_pingtan_series():
    checks = series_checks(truth(f"pingtan_{y}") for y in range(2019, 2026))
    # Carry-forward reconciles every year, in every column, across the V2019→V2021 switch (2020→2021).
    carry = [c for c in checks if c["rule"] == "X_CARRY"]
    assert len(carry) == 6 * 7 and {c["status"] for c in carry} == {"pass"}
    assert ("X_CARRY", "2021→2022 c7", "pass", 1, 1) in summary(carry)
    # 现行有效 行政规范性文件 reconciles 2021→2022 and not from 2023 on; 规章 (all zero) always does.
    in_force = summary([c for c in checks if c["rule"] == "X_T2_IN_FORCE"])
    assert [x for x in in_force if x[1].endswith("r2")] == [
        ("X_T2_IN_FORCE", "2021→2022 t2.a20_1.r2", "pass", 698, 665 + 88 - 55),
        ("X_T2_IN_FORCE", "2022→2023 t2.a20_1.r2", "fail", 470, 698 + 77 - 132),
        ("X_T2_IN_FORCE", "2023→2024 t2.a20_1.r2", "fail", 440, 470 + 62 - 33),
        ("X_T2_IN_FORCE", "2024→2025 t2.a20_1.r2", "fail", 546, 440 + 58 - 45),
    ]
    assert {x[2] for x in in_force if x[1].endswith("r1")} == {"pass"}
    # Both V2019 years: item counts carry over (2019's 本年增/减 are all 0).
    items = [c for c in checks if c["rule"] == "X_T2_ITEMS"]
    assert [c["scope"] for c in items] == ["2019→2020 t2.a20_5.r1", "2019→2020 t2.a20_5.r2", "2019→2020 t2.a20_6.r1",
                                          "2019→2020 t2.a20_6.r2", "2019→2020 t2.a20_8.r1"]
    assert {c["status"] for c in items} == {"pass"}
    failed = [(c["rule"], c["scope"]) for c in checks if c["status"] == "fail"]
    assert failed == [("X_T2_IN_FORCE", f"{y - 1}→{y} t2.a20_1.r2") for y in (2023, 2024, 2025)]


def _as_record(t: dict) -> dict:
    """A gold file in the §9 record shape (cells as a list, blank cells with status 'blank')."""
    cells = [{"cell": k, "value": v, "raw": "" if v is None else str(v), "status": "ok" if v is not None else "blank"}
             for k, v in t["cells"].items()]
    return {"agency": t["agency"], "year": t["year"], "layout": {"t2": t["t2_layout"], "t3_r3_6": t["t3_r3_6"]},
            "cells": cells}


def test_section9_records_give_the_same_checks():
    a, b = truth("pingtan_2022"), truth("pingtan_2023")
    assert crossyear_checks(_as_record(a), _as_record(b)) == crossyear_checks(a, b)


def test_missing_cell_is_skipped():
    prev = YearValues.from_record(truth("hongzequ_2023"))
    cut = YearValues(prev.year, prev.t2_version, {k: v for k, v in prev.values.items() if k != "t3.r4#c3"})
    checks = crossyear_checks(cut, truth("hongzequ_2024"))
    (c3,) = [c for c in checks if c["scope"] == "2023→2024 c3"]
    assert (c3["status"], c3["lhs"], c3["rhs"]) == ("skipped", None, None) and "t3.r4#c3" in c3["message"]


def test_years_must_be_consecutive():
    with pytest.raises(ValueError, match="consecutive"):
        crossyear_checks(truth("pingtan_2019"), truth("pingtan_2021"))
    gap = series_checks([truth("pingtan_2019"), truth("pingtan_2021"), truth("pingtan_2022")])
    assert {c["scope"].split()[0] for c in gap} == {"2021→2022"}
