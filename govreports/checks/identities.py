"""The hard identities of format.md §6.1, evaluated from the schema's data on one report's cells."""
from __future__ import annotations

from typing import Mapping

from ..schema import Schema, load_schema

ZERO_STATUSES = frozenset({"blank", "dash", "slash"})   # printed empty: 0 in sums, flagged assumed_zero
ARITH_STATUSES = {"ok", "uncertain", "recovered", "corrected"} | ZERO_STATUSES   # the statuses whose value a sum takes


def _fmt(v: float | int) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _expand(template, env: dict[str, str]) -> list[str]:
    return [t.format(**env) for t in template]


def _instances(spec: dict, s: Schema, printed_t3_rows: list[str]) -> list[dict[str, str]]:
    (var, values), = spec["for_each"].items()
    if values == "printed_t3_rows":
        values = printed_t3_rows
    out = []
    for v in values:
        env = {var: v}
        if var == "col":
            env["col_zh"] = s.t3_columns[v].zh
        elif var == "row":
            env["row_zh"] = next(r.zh for r in s.t3_rows if r.code == v)
        elif var == "block":
            env["block_zh"] = s.t4_blocks[v]["zh"]
        out.append(env)
    return out


def _term_label(code: str, s: Schema) -> str:
    row, col = code.split("#")
    if row.startswith("t4."):
        return s.t4_columns[col]["zh"]
    if row.startswith("t3."):
        r = next(x for x in s.t3_rows if x.code == row)
        return r.zh
    return code


def evaluate_identities(cells: Mapping[str, tuple[float | int | None, str]], layout: str | None,
                        schema: Schema | None = None) -> list[dict]:
    """Evaluate every hard identity instance. ``cells`` maps code -> (value, status) of printed cells.

    Returns §9 check dicts: pass / fail / skipped (an input cell not printed or not numeric).
    """
    s = schema or load_schema()
    printed_rows = [r for r in s.t3_row_codes(layout or "single") if f"{r}#c7" in cells or f"{r}#c1" in cells]
    result_rows = [r.code for r in s.t3_rows if r.role == "result" and r.code in printed_rows]
    out: list[dict] = []
    for spec in s.identities:
        if spec["id"].startswith("T3") and not printed_rows:
            continue
        if spec["id"].startswith("T4") and not any(k.startswith("t4.") for k in cells):
            continue
        for env in _instances(spec, s, printed_rows):
            lhs_codes = _expand(spec["lhs"], env)
            rhs = spec["rhs"]
            if isinstance(rhs, dict):
                col = rhs["col"].format(**env)
                rhs_codes = [f"{r}#{col}" for r in result_rows]
            else:
                rhs_codes = _expand(rhs, env)
            scope = spec["scope"].format(**env)
            base = {"rule": spec["id"], "scope": scope, "severity": spec["severity"]}
            missing = [c for c in lhs_codes + rhs_codes if c not in cells or cells[c][1] not in ARITH_STATUSES]
            if missing:
                out.append({**base, "status": "skipped", "lhs": None, "rhs": None,
                            "message": f"{spec['id']}[{scope}] skipped: no number in {', '.join(missing[:4])}"})
                continue
            val = {c: (cells[c][0] or 0) for c in lhs_codes + rhs_codes}
            lhs = sum(val[c] for c in lhs_codes)
            rhs_v = sum(val[c] for c in rhs_codes)
            ok = abs(lhs - rhs_v) < 1e-9
            check = {**base, "status": "pass" if ok else "fail", "lhs": lhs, "rhs": rhs_v, "cells": lhs_codes + rhs_codes}
            if ok:
                check["message"] = f"{spec['id']}[{scope}] {_fmt(lhs)} = {_fmt(rhs_v)}"
            else:
                check["message"] = _fail_message(spec, env, lhs_codes, rhs_codes, val, s)
            out.append(check)
    return out


def _side(codes: list[str], val: dict[str, float], s: Schema, many: bool) -> str:
    if len(codes) == 1:
        return _fmt(val[codes[0]])
    if not many:
        return " + ".join(_fmt(val[c]) for c in codes)
    nonzero = [f"{_term_label(c, s)} {_fmt(val[c])}" for c in codes if val[c]]
    return f"{_fmt(sum(val[c] for c in codes))}（{' + '.join(nonzero) or '全部为 0'}）"


def _fail_message(spec: dict, env: dict, lhs: list[str], rhs: list[str], val: dict, s: Schema) -> str:
    """A sentence a researcher can read, e.g. '行政复议 总计 0 ≠ 10 + 1 + 0 + 0'."""
    many = len(rhs) > 6
    lhs_s, rhs_s = _side(lhs, val, s, False), _side(rhs, val, s, many)
    rid = spec["id"]
    if rid == "T4_BLOCK_TOTAL":
        return f"{env['block_zh']} 总计 {lhs_s} ≠ {rhs_s}（维持 + 纠正 + 其他 + 尚未审结）"
    if rid == "T3_ROW_TOTAL":
        return f"{env['row_zh']}：总计 {lhs_s} ≠ 各类申请人之和 {rhs_s}"
    if rid == "T3_BALANCE":
        return (f"{env['col_zh']}：本年新收 + 上年结转 = {lhs_s} = {_fmt(sum(val[c] for c in lhs))}"
                f" ≠ 办理结果总计 + 结转下年度 = {rhs_s} = {_fmt(sum(val[c] for c in rhs))}")
    if rid == "T3_RESULTS_SUM":
        return f"{env['col_zh']}：（七）总计 {lhs_s} ≠ 各项办理结果之和 {rhs_s}"
    return f"{rid}[{spec['scope'].format(**env)}]: {lhs_s} ≠ {rhs_s}"
