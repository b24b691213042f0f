"""Cross-year checks (format.md §6.3) between consecutive reports of one agency; all are warnings.

X_CARRY       year N 上年结转 (t3.r2#c) == year N−1 结转下年度 (t3.r4#c), per column c1..c7; also
              across the V2019 -> V2021 switch, since table 三's rows r2 and r4 are the same in both.
X_T2_IN_FORCE both V2021: 现行有效(N) == 现行有效(N−1) + 本年制发(N) − 本年废止(N), rows 规章 / 规范性文件.
X_T2_ITEMS    both V2019: 上一年项目数量(N) == 上一年项目数量(N−1) + 本年增/减(N−1), (五)(六)(八) rows.

Scopes read '<N−1>→<N> <what>', e.g. '2023→2024 c7' or '2023→2024 t2.a20_1.r2'; ``cells`` lists the
inputs as '<year>:<cell code>'.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from .identities import ARITH_STATUSES

_T3_COLS = [f"c{i}" for i in range(1, 8)]
_COL_ZH = {"c1": "自然人", "c2": "商业企业", "c3": "科研机构", "c4": "社会公益组织", "c5": "法律服务机构",
           "c6": "其他", "c7": "总计"}
_T2_IN_FORCE_ROWS = {"t2.a20_1.r1": "规章", "t2.a20_1.r2": "行政规范性文件"}
_T2_ITEM_ROWS = {"t2.a20_5.r1": "行政许可", "t2.a20_5.r2": "其他对外管理服务事项", "t2.a20_6.r1": "行政处罚",
                 "t2.a20_6.r2": "行政强制", "t2.a20_8.r1": "行政事业性收费"}


@dataclass(frozen=True)
class YearValues:
    """One report's printed values: ``values`` maps cell code -> number (None = blank, counted as 0);
    a code that is absent was not printed (or is not numeric) and makes a check ``skipped``."""

    year: int
    t2_version: str | None
    values: Mapping[str, float | None]

    @classmethod
    def from_record(cls, record: Mapping) -> "YearValues":
        """From a §9 record (cells as a list of {cell, value, status}, layout {'t2': …}) or a gold
        ``*.truth.json`` (cells as {code: value}, ``t2_layout``)."""
        cells = record["cells"]
        if isinstance(cells, Mapping):
            values = dict(cells)
        else:
            values = {c["cell"]: c.get("value") for c in cells if c.get("status", "ok") in ARITH_STATUSES}
        version = (record.get("layout") or {}).get("t2") or record.get("t2_layout")
        if version is None:
            version = _infer_version(values)
        if record.get("year") is None:
            raise ValueError(f"record {record.get('source')!r} has no year; cross-year checks need one")
        return cls(year=int(record["year"]), t2_version=version, values=values)


def _infer_version(values: Mapping[str, object]) -> str | None:
    if any(k.endswith(("#new_made", "#prev_items", "#published_total")) for k in values):
        return "v2019"
    if any(k.endswith(("#issued", "#in_force", "#repealed")) for k in values):
        return "v2021"
    return None


def _as_year(x: "YearValues | Mapping") -> YearValues:
    return x if isinstance(x, YearValues) else YearValues.from_record(x)


def _get(yv: YearValues, code: str) -> float | None:
    """Value for arithmetic: blank counts as 0; raises KeyError when the cell was not printed."""
    v = yv.values[code]
    return 0 if v is None else v


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.10g}"


def _check(rule: str, scope: str, cells: list[str], compute, message) -> dict:
    """Run ``compute`` -> (lhs, rhs, parts); a missing cell makes the check skipped."""
    base = {"rule": rule, "scope": scope, "severity": "warning", "cells": cells}
    try:
        lhs, rhs, parts = compute()
    except KeyError as missing:
        return {**base, "status": "skipped", "lhs": None, "rhs": None,
                "message": f"缺少单元格 {missing.args[0]}，无法核对（{scope}）"}
    ok = abs(lhs - rhs) < 1e-6
    return {**base, "status": "pass" if ok else "fail", "lhs": lhs, "rhs": rhs,
            "message": message(lhs, rhs, parts) + ("，一致" if ok else "，不一致")}


def crossyear_checks(prev: "YearValues | Mapping", curr: "YearValues | Mapping") -> list[dict]:
    """Cross-year checks between the reports of years N−1 (``prev``) and N (``curr``) of one agency.

    Accepts :class:`YearValues` or records (see :meth:`YearValues.from_record`). The years must be
    consecutive; use :func:`series_checks` for a whole series with gaps.
    """
    p, c = _as_year(prev), _as_year(curr)
    if c.year != p.year + 1:
        raise ValueError(f"cross-year checks need consecutive years, got {p.year} and {c.year}")
    span = f"{p.year}→{c.year}"
    out = []
    for col in _T3_COLS:
        a, b = f"t3.r2#{col}", f"t3.r4#{col}"
        if a not in c.values and b not in p.values:
            continue  # neither report printed table 三's column
        out.append(_check(
            "X_CARRY", f"{span} {col}", [f"{c.year}:{a}", f"{p.year}:{b}"],
            lambda a=a, b=b: (_get(c, a), _get(p, b), None),
            lambda lhs, rhs, _, col=col: (f"{c.year}年上年结转申请（{_COL_ZH[col]}）{_fmt(lhs)}件，"
                                          f"{p.year}年结转下年度继续办理（{_COL_ZH[col]}）{_fmt(rhs)}件")))
    if p.t2_version == c.t2_version == "v2021":
        for row, zh in _T2_IN_FORCE_ROWS.items():
            codes = [f"{c.year}:{row}#in_force", f"{p.year}:{row}#in_force", f"{c.year}:{row}#issued",
                     f"{c.year}:{row}#repealed"]

            def compute(row=row):
                parts = (_get(p, f"{row}#in_force"), _get(c, f"{row}#issued"), _get(c, f"{row}#repealed"))
                return _get(c, f"{row}#in_force"), parts[0] + parts[1] - parts[2], parts

            out.append(_check(
                "X_T2_IN_FORCE", f"{span} {row}", codes, compute,
                lambda lhs, rhs, parts, zh=zh: (f"{zh}：{c.year}年现行有效{_fmt(lhs)}件；{p.year}年现行有效"
                                                f"{_fmt(parts[0])} + {c.year}年制发{_fmt(parts[1])} − 废止"
                                                f"{_fmt(parts[2])} = {_fmt(rhs)}件")))
    if p.t2_version == c.t2_version == "v2019":
        for row, zh in _T2_ITEM_ROWS.items():
            codes = [f"{c.year}:{row}#prev_items", f"{p.year}:{row}#prev_items", f"{p.year}:{row}#delta_items"]

            def compute(row=row):
                parts = (_get(p, f"{row}#prev_items"), _get(p, f"{row}#delta_items"))
                return _get(c, f"{row}#prev_items"), parts[0] + parts[1], parts

            out.append(_check(
                "X_T2_ITEMS", f"{span} {row}", codes, compute,
                lambda lhs, rhs, parts, zh=zh: (f"{zh}：{c.year}年上一年项目数量{_fmt(lhs)}；{p.year}年上一年"
                                                f"项目数量{_fmt(parts[0])} + 本年增/减{_fmt(parts[1])} = {_fmt(rhs)}")))
    return out


def series_checks(records: Iterable["YearValues | Mapping"]) -> list[dict]:
    """Cross-year checks over one agency's reports: every pair of consecutive years present.

    Two reports of the same year are an error (deduplicate first); gaps simply produce no checks.
    """
    by_year: dict[int, YearValues] = {}
    for r in map(_as_year, records):
        if r.year in by_year:
            raise ValueError(f"two reports for {r.year}; deduplicate before cross-year checks")
        by_year[r.year] = r
    out = []
    for y in sorted(by_year):
        if y - 1 in by_year:
            out += crossyear_checks(by_year[y - 1], by_year[y])
    return out
