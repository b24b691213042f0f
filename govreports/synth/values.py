"""Draw a synthetic report's printed values from a seed: consistent with the identities, then
optionally broken on purpose, with the exact set of identities the printed numbers violate.

Magnitudes go from 0 to six digits (prefecture-scale reports); zero cells may print as blank,
dash or slash (value None), counts may carry thousands separators, table 二's 本年增/减 is
signed text ('增加 68', '减少 4', '+8') and money cells carry decimals or a 元/万元 unit.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from govreports.schema import load_schema
from govreports.synth.expected import failed_identities
from govreports.synth.narrative import draw_agency, draw_body

Number = int | float
T3_COLS = ("c1", "c2", "c3", "c4", "c5", "c6")
ZERO_STYLES = ("0", "blank", "dash", "slash", "mixed")
# What a non-number printed cell means (format.md §7.4); every other cell prints a number.
MARKER_STATUS = {"": "blank", "无": "blank", "-": "dash", "—": "dash", "/": "slash"}
_ZERO_WEIGHTS = (70, 10, 8, 5, 7)
_MIXED_ZERO = ("0", "0", "", "-", "—", "/", "无")


@dataclass
class SynthReport:
    """One generated report: what it prints (``raw``), what that means (``cells``) and its faults.

    ``cells`` has every printed cell under format.md codes, None for a blank/dash/slash cell.
    ``violations`` is every hard identity the printed numbers break, as ``RULE[scope]``.
    ``injected`` lists the deliberate misprints: (code, consistent raw, printed raw).
    ``body`` is the running document: ('title'|'heading'|'para', text) or ('table', 't2'|'t3'|'t4').
    """

    seed: int
    agency: str
    year: int
    t2_version: str
    t3_layout: str
    cells: dict[str, Number | None]
    raw: dict[str, str]
    violations: set[str]
    injected: list[tuple[str, str, str]] = field(default_factory=list)
    body: list[tuple[str, str]] = field(default_factory=list)

    def status(self, code: str) -> str:
        """The §7.4 status the printed text of ``code`` has: ok, blank, dash or slash."""
        return MARKER_STATUS.get(self.raw[code], "ok")

    @property
    def title(self) -> str:
        return " ".join(text for kind, text in self.body if kind == "title")

    def truth(self, source: str) -> dict[str, Any]:
        """The gold-file dict (format.md §10) for this report rendered as ``source``."""
        return {"source": source, "agency": self.agency, "year": self.year,
                "t2_layout": self.t2_version, "t3_r3_6": self.t3_layout,
                "cells": dict(self.cells), "failed_checks": sorted(self.violations)}


class _Fmt:
    """Report-level printing habits: how zeros, big counts, signed and money cells look."""

    def __init__(self, rng: random.Random, zero_style: str | None):
        self.rng = rng
        self.zero = zero_style or rng.choices(ZERO_STYLES, _ZERO_WEIGHTS)[0]
        self.sep = rng.random() < 0.15
        self.delta = rng.choice(("words", "words_tight", "sign", "plain"))

    def zero_raw(self) -> str:
        return {"0": "0", "blank": "", "dash": "-", "slash": "/"}.get(self.zero) or self.rng.choice(_MIXED_ZERO)

    def count(self, v: int) -> tuple[str, int | None]:
        if v == 0:
            raw = self.zero_raw()
            return raw, (0 if raw == "0" else None)
        return (f"{v:,}" if self.sep and v >= 1000 else str(v)), v

    def signed(self, v: int) -> tuple[str, int]:
        if v == 0:
            return "0", 0
        if self.delta.startswith("words"):
            gap = "" if self.delta == "words_tight" else " "
            return f"{'增加' if v > 0 else '减少'}{gap}{abs(v)}", v
        return (f"+{v}" if v > 0 and self.delta == "sign" else str(v)), v

    def fee(self, v: float) -> tuple[str, float]:
        """本年收费金额 in 万元 with two decimals ('0' or '0.00' when nothing was collected)."""
        if v == 0:
            return self.rng.choice(("0", "0.00")), 0
        raw = f"{v:,.2f}" if self.sep and v >= 1000 else f"{v:.2f}"
        return raw, round(v, 2)

    def procurement(self) -> tuple[str, float]:
        """采购总金额: no fixed unit ('251000元', '16280.5867 万元', '16280.5867'); value in 万元."""
        unit = self.rng.choice(("元", "万元", " 万元", ""))
        if unit == "元":
            yuan = self.rng.randrange(0, 10**self.rng.randint(4, 9))
            return f"{yuan}元", round(yuan / 10000, 6)
        v = round(10 ** self.rng.uniform(-1, 5), 4)
        return f"{v:.4f}{unit}", v


def _loguniform(rng: random.Random, hi_exp: float, p_zero: float = 0.0) -> int:
    """An integer 0 … 10**hi_exp, spread evenly over orders of magnitude; zero with ``p_zero``."""
    if rng.random() < p_zero:
        return 0
    return int(10 ** rng.uniform(0, hi_exp)) - rng.randint(0, 1)


def _split(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    """Split the count ``n`` into parts proportional to ``weights`` (integers summing to ``n``)."""
    total = sum(weights)
    if n == 0 or total == 0:
        return [0] * len(weights)
    parts = [int(n * w / total) for w in weights]
    live = [i for i, w in enumerate(weights) if w > 0]
    for _ in range(n - sum(parts)):
        parts[rng.choices(live, [weights[i] for i in live])[0]] += 1
    return parts


def _sparse_weights(rng: random.Random, base: list[tuple[float, float]]) -> list[float]:
    """Random weights: entry i is live with probability base[i][0] and then ~ base[i][1] × Exp(1)."""
    w = [b * rng.expovariate(1.0) if rng.random() < p else 0.0 for p, b in base]
    if not any(w):
        w[0] = 1.0
    return w


# (probability the outcome row is used, typical share) per result row code.
_RESULT_BASE = {"t3.r3.1": (0.95, 4.0), "t3.r3.2": (0.6, 1.0), "t3.r3.4.1": (0.7, 1.5)}
_COL_BASE = [(1.0, 6.0), (0.7, 1.5), (0.2, 0.2), (0.2, 0.2), (0.35, 0.4), (0.4, 0.5)]


def _draw_t3(rng: random.Random, layout: str) -> dict[str, int]:
    """Table 三 values that satisfy T3_BALANCE, T3_ROW_TOTAL and T3_RESULTS_SUM exactly."""
    schema = load_schema()
    results = [r.code for r in schema.t3_rows if r.role == "result" and r.layout in (None, layout)]
    scale = _loguniform(rng, 5.3, p_zero=0.06)
    col_new = _split(rng, scale, _sparse_weights(rng, _COL_BASE))
    v: dict[str, int] = {}
    for col, new in zip(T3_COLS, col_new):
        carried = _split(rng, new, [rng.choice((0, 0, 0.03, 0.1)), 1.0])[0] if new else rng.choice((0, 0, 0, 1))
        forward = _split(rng, new + carried, [rng.choice((0, 0, 0.02, 0.08)), 1.0])[0]
        done = new + carried - forward
        weights = _sparse_weights(rng, [_RESULT_BASE.get(r, (0.25, 0.3)) for r in results])
        for code, n in zip(results, _split(rng, done, weights)):
            v[f"{code}#{col}"] = n
        v[f"t3.r1#{col}"], v[f"t3.r2#{col}"] = new, carried
        v[f"t3.r3.7#{col}"], v[f"t3.r4#{col}"] = done, forward
    for row in schema.t3_row_codes(layout):
        v[f"{row}#c7"] = sum(v[f"{row}#{c}"] for c in T3_COLS)
    return v


def _draw_t4(rng: random.Random) -> dict[str, int]:
    """Table 四 values that satisfy T4_BLOCK_TOTAL in every block."""
    v: dict[str, int] = {}
    for block, hi in (("b1", 3.5), ("b2", 3.0), ("b3", 2.5)):
        total = _loguniform(rng, hi, p_zero=0.4)
        parts = _split(rng, total, _sparse_weights(rng, [(0.9, 3.0), (0.4, 0.5), (0.4, 0.5), (0.3, 0.5)]))
        for i, n in enumerate(parts, 1):
            v[f"t4.{block}#c{i}"] = n
        v[f"t4.{block}#c5"] = total
    return v


def _draw_t2(rng: random.Random, version: str, fmt: _Fmt) -> tuple[dict[str, Number | None], dict[str, str]]:
    """Table 二 values and their printed text for one format version."""
    cells: dict[str, Number | None] = {}
    raw: dict[str, str] = {}

    def put(code: str, pair: tuple[str, Number | None]) -> None:
        raw[code], cells[code] = pair

    for row, hi in (("a20_1.r1", 1.2), ("a20_1.r2", 2.5)):
        made = _loguniform(rng, hi, p_zero=0.3)
        stock = made + _loguniform(rng, hi + 1.0, p_zero=0.1)
        if version == "v2021":
            put(f"t2.{row}#issued", fmt.count(made))
            put(f"t2.{row}#repealed", fmt.count(_loguniform(rng, hi, p_zero=0.5)))
            put(f"t2.{row}#in_force", fmt.count(stock))
        else:
            put(f"t2.{row}#new_made", fmt.count(made))
            put(f"t2.{row}#new_published", fmt.count(made if rng.random() < 0.8 else _loguniform(rng, hi)))
            put(f"t2.{row}#published_total", fmt.count(stock))
    decision_rows = [("a20_5.r1", 6.0), ("a20_6.r1", 5.0), ("a20_6.r2", 4.0)]
    if version == "v2019":
        decision_rows.insert(1, ("a20_5.r2", 5.0))
    for row, hi in decision_rows:
        if version == "v2019":
            prev = _loguniform(rng, 3.3, p_zero=0.1)
            put(f"t2.{row}#prev_items", fmt.count(prev))
            put(f"t2.{row}#delta_items", fmt.signed(rng.randint(-min(prev, 50), 80) if rng.random() < 0.7 else 0))
        put(f"t2.{row}#decisions", fmt.count(_loguniform(rng, hi, p_zero=0.15)))
    if version == "v2021":
        fee = 0.0 if rng.random() < 0.3 else round(10 ** rng.uniform(-2, 5), 2)
        put("t2.a20_8.r1#fee_amount", fmt.fee(fee))
    else:
        prev = _loguniform(rng, 2.0, p_zero=0.3)
        put("t2.a20_8.r1#prev_items", fmt.count(prev))
        put("t2.a20_8.r1#delta_items", fmt.signed(rng.randint(-prev, 10) if rng.random() < 0.5 else 0))
        put("t2.a20_9.r1#proc_items", fmt.count(_loguniform(rng, 3.0, p_zero=0.2)))
        put("t2.a20_9.r1#proc_amount", fmt.procurement())
    return cells, raw


def _misprint(rng: random.Random, v: int) -> int:
    """A plausible wrong number for ``v``: a small slip, a lost digit, a doubled digit."""
    while True:
        kind = rng.choice(("slip", "drop", "extra", "swap"))
        s = str(v)
        if kind == "slip":
            w = v + rng.choice((-1, 1)) * rng.randint(1, max(1, v // 10))
        elif kind == "drop" and len(s) > 1:
            i = rng.randrange(len(s))
            w = int(s[:i] + s[i + 1:])
        elif kind == "extra":
            i = rng.randrange(len(s))
            w = int(s[:i] + s[i] + s[i:])
        elif kind == "swap" and len(s) > 1 and len(set(s)) > 1:
            i = rng.randrange(len(s) - 1)
            w = int(s[:i] + s[i + 1] + s[i] + s[i + 2:])
        else:
            continue
        if w >= 0 and w != v:
            return w


def draw_report(seed: int, *, year: int | None = None, t2_version: str | None = None,
                t3_layout: str | None = None, n_violations: int | None = None,
                zero_style: str | None = None) -> SynthReport:
    """Draw one report from ``seed``; every keyword left None is drawn too.

    ``n_violations`` misprints that many table 三/四 numbers (each turning a consistent number into a
    wrong one); ``violations`` is then recomputed from the printed cells, so it is exact even when
    two misprints meet. ``zero_style`` is one of ZERO_STYLES: how zero cells print.
    """
    rng = random.Random(seed)
    year = year if year is not None else rng.randint(2019, 2024)
    t2_version = t2_version or ("v2019" if year <= 2020 else "v2021")
    t3_layout = t3_layout or ("single" if year <= 2020 or rng.random() < 0.25 else "split")
    if n_violations is None:
        n_violations = rng.choices((0, 1, 2), (6, 3, 1))[0]
    fmt = _Fmt(rng, zero_style)
    cells, raw = _draw_t2(rng, t2_version, fmt)
    truth = {**_draw_t3(rng, t3_layout), **_draw_t4(rng)}
    for code, v in truth.items():
        raw[code], cells[code] = fmt.count(v)
    injected = []
    for code in rng.sample(sorted(truth), n_violations):
        was = raw[code]
        raw[code], cells[code] = fmt.count(_misprint(rng, truth[code]))
        injected.append((code, was, raw[code]))
    violations = failed_identities({k: v for k, v in cells.items() if not k.startswith("t2.")}, t3_layout)
    agency = draw_agency(rng)
    body = draw_body(rng, agency, year, cells)
    return SynthReport(seed=seed, agency=agency, year=year, t2_version=t2_version, t3_layout=t3_layout,
                       cells=cells, raw=raw, violations=violations, injected=injected, body=body)
