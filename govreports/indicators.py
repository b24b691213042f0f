"""The indicator codebook: every indicator as data (formula in cell codes, explicit denominator,
unit, small-N rule), one function that computes them for a dataset, and the generator of
``docs/indicators.md``.

Terms in a formula are summed. A term is
- a cell code of docs/format.md (``t3.r3.1#c7``, ``t4.b1#c2``, ``t2.a20_1.r2#issued``);
- ``population``: the report's resident population (2020 census, from the dataset's ``reports``);
- ``checks.<severity>.<status>``: how many of the report's checks have that severity and status;
- ``reports.<column>``: the report's value in that column of ``reports`` (a share 0–1 such as
  ``narrative_reuse``; an indicator in % without denominator shows it × 100).

Blank, dash and slash cells count as 0 and flag the value ``assumed_zero``. A value whose
denominator is below the indicator's minimum is NaN with the flag ``not_meaningful``: never 0 %
or 100 %. Run ``python -m govreports.indicators`` to rewrite ``docs/indicators.md``.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govreports.checks.identities import ZERO_STATUSES
from govreports.longrun import crosswalk_markdown
from govreports.schema import load_schema

# Flags a value can carry (joined with ";" in the ``<name>.flag`` columns).
FLAGS: dict[str, str] = {
    "not_meaningful": "denominator below the indicator's minimum; the value is NaN, not 0 % or 100 %",
    "assumed_zero": "at least one input cell was printed blank, '-' or '/' and counted as 0",
    "approx": "computed from a near-equivalent V2019 column (format.md §2.3), not the V2021 one",
    "not_in_version": "the report's table format has no comparable cell (format.md §2.3); NaN",
    "missing": "an input cell or the population is absent from the dataset; NaN",
    "unreadable": "an input cell holds text that is not a number; NaN",
    "check_failed": "an input cell is part of a hard identity the report fails: the value is computed from the "
                    "printed numbers, which disagree with each other (shown with †)",
    "small_n": "a share whose denominator is at least MIN_SHOWN but below the indicator's minimum: shown with its "
               "95% interval, never ranked",
}
MIN_SHOWN = 5  # below 5 cases a share's 95% interval spans more than 40 points whatever the count
Z95 = 1.959963984540054

ABSENT_STATUSES = {"not_in_version", "not_reported"}

# Rows that are not printed in every layout but can be derived from printed ones (any column).
DERIVED_ROWS: dict[str, tuple[str, ...]] = {
    "t3.r3.6": ("t3.r3.6.1", "t3.r3.6.2", "t3.r3.6.3"),  # V2021 split （六）其他处理
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: value = scale × Σnumerator / Σdenominator, or Σnumerator (a count) without denominator."""

    name: str
    zh: str
    en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    unit: str = "%"
    min_denominator: float = 0
    note: str = ""
    group: str = ""
    scale: float = 100.0
    v2019_numerator: tuple[str, ...] | None = None  # proxy for a V2019 table 二 (flag approx)
    v2021_only: bool = False  # table-二 concept with no V2019 equivalent

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)

    @property
    def is_share(self) -> bool:
        """A share of cases (unit %): its numerator counts a subset of its denominator, so it has a
        binomial 95% interval and is shown from MIN_SHOWN cases on."""
        return self.is_ratio and self.unit == "%"

    @property
    def min_shown(self) -> float:
        """Smallest denominator at which a value is shown at all (``n<…`` below it)."""
        return min(MIN_SHOWN, self.min_denominator) if self.is_share else self.min_denominator

    def formula(self) -> str:
        """The formula as text, in cell codes."""
        num = " + ".join(self.numerator)
        if not self.is_ratio:
            return num
        den = " + ".join(self.denominator)
        scale = "" if self.scale == 1 else f"{self.scale:g} × "
        return f"{scale}({num}) / ({den})"


def _c7(*rows: str) -> tuple[str, ...]:
    return tuple(f"{r}#c7" for r in rows)


_S = load_schema()
_T3 = {r.code: r for r in _S.t3_rows}
_DENIED = tuple(f"t3.r3.3.{i}" for i in range(1, 9))
_UNABLE = tuple(f"t3.r3.4.{i}" for i in range(1, 4))
_NOT_PROCESSED = tuple(f"t3.r3.5.{i}" for i in range(1, 6))
_RESULTS = _c7("t3.r3.7")
N_APPS = 20  # applications: below 20, one application moves a rate by more than 5 points
N_MIX = 10   # reason mixes: shares of fewer than 10 cases are anecdotes
N_CASES = 5  # concluded review / litigation cases
N_SENTENCES = 10  # narrative shares: a share of a few sentences says little about a report


def _mix(prefix: str, rows: tuple[str, ...], zh: str, en: str, group: str) -> list[Indicator]:
    out = []
    for r in rows:
        spec = _T3[r]
        slug = spec.en.split(".")[-1]
        out.append(Indicator(
            name=f"{prefix}.{slug}", zh=f"{zh}：{spec.zh}", en=f"{en}: {slug.replace('_', ' ')}",
            numerator=_c7(r), denominator=_c7(*rows), min_denominator=N_MIX, group=group,
            note=f"{r}#c7 as a share of all {en.lower()} (Σ {rows[0]}..{rows[-1].rsplit('.', 1)[1]} #c7)."))
    return out


INDICATORS: list[Indicator] = [
    # --- volumes --------------------------------------------------------------------------
    Indicator("applications_new", "本年新收申请", "Applications received (new)", _c7("t3.r1"),
              unit="件", group="volume"),
    Indicator("applications_total", "新收 + 上年结转申请", "Applications to handle (new + carried over)",
              _c7("t3.r1", "t3.r2"), unit="件", group="volume"),
    Indicator("applications_per_10k", "每万人新收申请", "New applications per 10,000 residents",
              _c7("t3.r1"), ("population",), unit="per 10,000 residents", scale=10_000,
              min_denominator=1_000, group="volume",
              note="Population is the 2020 census count of the report's division. A department's report "
                   "is set against the population its government serves."),
    # --- outcomes (shares of t3.r3.7#c7) --------------------------------------------------
    Indicator("disclosure_rate", "予以公开率", "Disclosure rate (granted in full)", _c7("t3.r3.1"), _RESULTS,
              min_denominator=N_APPS, group="outcome",
              note="Denominator is （七）总计, all applications concluded this year (not those received)."),
    Indicator("partial_rate", "部分公开率", "Partial disclosure rate", _c7("t3.r3.2"), _RESULTS,
              min_denominator=N_APPS, group="outcome"),
    Indicator("substantive_disclosure_rate", "实质公开率（予以公开 + 部分公开）",
              "Substantive disclosure rate (granted + partial)", _c7("t3.r3.1", "t3.r3.2"), _RESULTS,
              min_denominator=N_APPS, group="outcome"),
    Indicator("refusal_rate", "不予公开率", "Refusal rate (不予公开, all eight reasons)", _c7(*_DENIED), _RESULTS,
              min_denominator=N_APPS, group="outcome"),
    Indicator("unable_rate", "无法提供率", "Unable-to-provide rate", _c7(*_UNABLE), _RESULTS,
              min_denominator=N_APPS, group="outcome"),
    Indicator("not_processed_rate", "不予处理率", "Not-processed rate", _c7(*_NOT_PROCESSED), _RESULTS,
              min_denominator=N_APPS, group="outcome"),
    Indicator("other_handling_rate", "其他处理率", "Other handling rate", _c7("t3.r3.6"), _RESULTS,
              min_denominator=N_APPS, group="outcome",
              note="t3.r3.6 is printed in the single layout and derived as Σ t3.r3.6.1..3 in the split layout; "
                   "the sub-rows are never compared across layouts."),
    # --- reason mixes ---------------------------------------------------------------------
    *_mix("refusal_mix", _DENIED, "不予公开理由", "Refusals", "refusal_mix"),
    *_mix("unable_mix", _UNABLE, "无法提供理由", "Unable to provide", "unable_mix"),
    # --- applicants and carry-over ---------------------------------------------------------
    Indicator("legal_person_share", "法人或其他组织申请占比", "Share of new applications from legal persons "
              "and other organisations", tuple(f"t3.r1#c{i}" for i in range(2, 7)), _c7("t3.r1"),
              min_denominator=N_APPS, group="applicants"),
    Indicator("carried_forward_share", "结转下年度占比", "Carried-forward share",
              _c7("t3.r4"), _c7("t3.r1", "t3.r2"), min_denominator=N_APPS, group="applicants",
              note="Applications still open at year end, as a share of those to handle (new + carried over)."),
    # --- reviews and litigation -------------------------------------------------------------
    Indicator("review_cases", "行政复议案件数", "Administrative review cases", ("t4.b1#c5",), unit="件",
              group="disputes"),
    Indicator("litigation_cases", "行政诉讼案件数", "Litigation cases", ("t4.b2#c5", "t4.b3#c5"), unit="件",
              group="disputes"),
    Indicator("reviews_per_100", "每百件申请行政复议数", "Administrative reviews per 100 new applications",
              ("t4.b1#c5",), _c7("t3.r1"), unit="per 100 applications", min_denominator=N_APPS,
              group="disputes", note="Reviews may concern applications of earlier years; a ratio, not a probability."),
    Indicator("litigation_per_100", "每百件申请行政诉讼数", "Lawsuits per 100 new applications",
              ("t4.b2#c5", "t4.b3#c5"), _c7("t3.r1"), unit="per 100 applications", min_denominator=N_APPS,
              group="disputes"),
    Indicator("review_correction_rate", "行政复议纠错率", "Administrative review correction rate",
              ("t4.b1#c2",), ("t4.b1#c1", "t4.b1#c2", "t4.b1#c3"), min_denominator=N_CASES, group="disputes",
              note="Concluded cases only: 尚未审结 (t4.b1#c4) is excluded from the denominator."),
    Indicator("litigation_correction_rate", "行政诉讼纠错率", "Litigation correction rate",
              ("t4.b2#c2", "t4.b3#c2"),
              ("t4.b2#c1", "t4.b2#c2", "t4.b2#c3", "t4.b3#c1", "t4.b3#c2", "t4.b3#c3"),
              min_denominator=N_CASES, group="disputes",
              note="Direct suits (b2) and suits after review (b3) together; pending cases (c4) excluded."),
    # --- proactive disclosure (table 二) ----------------------------------------------------
    Indicator("licensing_decisions", "行政许可处理决定数", "Administrative licensing decisions",
              ("t2.a20_5.r1#decisions",), unit="件", group="proactive",
              note="处理决定数量 means the same in V2019 and V2021 (format.md §2.3)."),
    Indicator("penalty_decisions", "行政处罚处理决定数", "Administrative penalty decisions",
              ("t2.a20_6.r1#decisions",), unit="件", group="proactive"),
    Indicator("coercion_decisions", "行政强制处理决定数", "Administrative coercion decisions",
              ("t2.a20_6.r2#decisions",), unit="件", group="proactive"),
    Indicator("normative_docs_issued", "本年制发行政规范性文件", "Normative documents issued this year",
              ("t2.a20_1.r2#issued",), unit="件", group="proactive",
              v2019_numerator=("t2.a20_1.r2#new_made",)),
    Indicator("regulations_issued", "本年制发规章", "Regulations (规章) issued this year",
              ("t2.a20_1.r1#issued",), unit="件", group="proactive",
              v2019_numerator=("t2.a20_1.r1#new_made",)),
    Indicator("normative_docs_in_force", "现行有效行政规范性文件", "Normative documents in force",
              ("t2.a20_1.r2#in_force",), unit="件", group="proactive", v2021_only=True,
              note="V2019's 对外公开总数量 (cumulative published) is a different concept and is "
                   "never used in its place."),
    # --- data quality ----------------------------------------------------------------------
    Indicator("dq_identity_pass_share", "勾稽关系通过率", "Share of hard identities passing",
              ("checks.error.pass",), ("checks.error.pass", "checks.error.fail"), min_denominator=1,
              group="quality", note="Hard identities of format.md §6.1 that were evaluated (skipped ones excluded)."),
    Indicator("dq_failed_identities", "未通过的勾稽关系", "Failed hard identities", ("checks.error.fail",),
              unit="checks", group="quality"),
    Indicator("dq_failed_warnings", "未通过的提示性检查", "Failed warning-level checks (cross-year, narrative, "
              "timeliness)", ("checks.warning.fail",), unit="checks", group="quality"),
    # --- narrative (transparency) ------------------------------------------------------------
    Indicator("narrative_reuse", "叙述沿用上年比例", "Narrative copied from last year's report",
              ("reports.n_reused_sentences",), ("reports.n_sentences",), min_denominator=N_SENTENCES, group="narrative",
              note="Share of the report's narrative sentences (split at 。；！？, normalised, at least 8 characters; "
                   "table sections, table labels and rows, and numbered headings left out) found verbatim in the "
                   "same publisher's report of the previous year, counted in sentences (numerator / denominator); "
                   "missing when the dataset has no such report. A report copied from last year's says little "
                   "about this year."),
    Indicator("template_share", "叙述模板化比例", "Narrative shared with other publishers",
              ("reports.n_template_sentences",), ("reports.n_sentences",), min_denominator=N_SENTENCES,
              group="narrative",
              note="Share of the report's narrative sentences found verbatim in another publisher's report of the "
                   "same year (boilerplate from a template or a common model report), counted in sentences."),
]

BY_NAME: dict[str, Indicator] = {i.name: i for i in INDICATORS}
GROUPS: dict[str, str] = {
    "volume": "Volumes 申请量", "outcome": "Outcomes 办理结果 (shares of （七）总计)",
    "refusal_mix": "Refusal reasons 不予公开理由 (shares of all refusals)",
    "unable_mix": "Unable-to-provide reasons 无法提供理由 (shares)",
    "applicants": "Applicants and carry-over 申请人与结转", "disputes": "Reviews and litigation 行政复议与行政诉讼",
    "proactive": "Proactive disclosure 主动公开 (table 二)", "quality": "Data quality 数据质量",
    "narrative": "Narrative 叙述文字 (columns of `reports`, computed by `govreports build`)",
}
OUTCOMES = ["disclosure_rate", "partial_rate", "refusal_rate", "unable_rate", "not_processed_rate",
            "other_handling_rate"]
REFUSAL_MIX = [i.name for i in INDICATORS if i.group == "refusal_mix"]
UNABLE_MIX = [i.name for i in INDICATORS if i.group == "unable_mix"]


def get(name: str) -> Indicator:
    """The indicator called ``name``; a KeyError lists the valid names."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown indicator {name!r}; known: {', '.join(BY_NAME)}") from None


# ------------------------------------------------------------------------------------------
# computation
# ------------------------------------------------------------------------------------------

@dataclass
class _Inputs:
    """Per-report matrices of cell values and statuses, plus report attributes and check counts."""

    index: pd.Index
    values: pd.DataFrame
    status: pd.DataFrame
    reports: pd.DataFrame
    checks: pd.DataFrame
    failed_cells: dict[str, set[str]]  # cell code -> reports where it is in a failed hard identity


def _inputs(ds: Any) -> _Inputs:
    reports = ds.reports.set_index("report_id", drop=False)
    idx = reports.index
    cells = ds.cells
    values = cells.pivot_table(index="report_id", columns="cell", values="value", aggfunc="first", dropna=False)
    status = cells.pivot(index="report_id", columns="cell", values="status")
    values = values.reindex(idx).astype(float)
    status = status.reindex(idx)
    checks = ds.checks if ds.checks is not None else pd.DataFrame(columns=["report_id", "severity", "status"])
    counts = checks.groupby(["report_id", "severity", "status"]).size().unstack(["severity", "status"])
    counts.columns = [f"checks.{s}.{t}" for s, t in counts.columns]
    counts = counts.reindex(idx).fillna(0)
    failed_cells: dict[str, set[str]] = {}
    if "cells" in checks.columns:
        bad = checks[(checks["severity"] == "error") & (checks["status"] == "fail")]
        for rid, codes in zip(bad["report_id"], bad["cells"]):
            for code in (codes.split() if isinstance(codes, str) else codes if isinstance(codes, list) else []):
                failed_cells.setdefault(code, set()).add(rid)
    return _Inputs(idx, values, status, reports, counts, failed_cells)


def _no_flags(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(False, index=index, columns=["assumed_zero", "missing", "unreadable", "check_failed"])


def _cell(inp: _Inputs, code: str) -> tuple[pd.Series, pd.DataFrame]:
    """Arithmetic value of one cell for every report, and a frame of boolean flags."""
    if code in inp.status.columns:
        st, val = inp.status[code], inp.values[code]
    else:
        st, val = pd.Series(None, index=inp.index, dtype=object), pd.Series(np.nan, index=inp.index)
    zero, text = st.isin(ZERO_STATUSES), st.eq("text")
    absent = st.isna() | st.isin(ABSENT_STATUSES)
    val = val.mask(zero, 0.0).mask(text | absent, np.nan)
    flags = pd.DataFrame({"assumed_zero": zero, "missing": absent, "unreadable": text,
                          "check_failed": inp.index.isin(list(inp.failed_cells.get(code, ())))}, index=inp.index)
    row, col = code.split("#")
    if absent.any() and row in DERIVED_ROWS:
        dval, dflags = _sum(inp, tuple(f"{r}#{col}" for r in DERIVED_ROWS[row]))
        val = val.mask(absent, dval)
        flags = flags.mask(absent, dflags)
    return val, flags


def _term(inp: _Inputs, term: str) -> tuple[pd.Series, pd.DataFrame]:
    if term == "population":
        pop = pd.to_numeric(inp.reports.get("population", pd.Series(np.nan, index=inp.index)), errors="coerce")
        flags = _no_flags(inp.index)
        flags["missing"] = pop.isna()
        return pop.astype(float), flags
    if term.startswith("reports."):
        col = term.split(".", 1)[1]
        val = pd.to_numeric(inp.reports.get(col, pd.Series(np.nan, index=inp.index)), errors="coerce").astype(float)
        flags = _no_flags(inp.index)
        flags["missing"] = val.isna()
        return val, flags
    if term.startswith("checks."):
        val = inp.checks[term] if term in inp.checks.columns else pd.Series(0.0, index=inp.index)
        return val.astype(float), _no_flags(inp.index)
    return _cell(inp, term)


def _sum(inp: _Inputs, terms: tuple[str, ...]) -> tuple[pd.Series, pd.DataFrame]:
    parts = [_term(inp, t) for t in terms]
    total = parts[0][0].copy()
    flags = parts[0][1].copy()
    for v, f in parts[1:]:
        total = total + v
        flags = flags | f
    return total, flags


def _compute_one(inp: _Inputs, ind: Indicator) -> pd.DataFrame:
    layout = inp.reports.get("t2_layout", pd.Series(None, index=inp.index)).reindex(inp.index)
    is_v19 = layout.eq("v2019") if any(t.startswith("t2.") for t in ind.numerator) else pd.Series(False, index=inp.index)
    num, nflags = _sum(inp, ind.numerator)
    approx = pd.Series(False, index=inp.index)
    not_in_version = pd.Series(False, index=inp.index)
    if is_v19.any() and ind.v2019_numerator:
        alt, aflags = _sum(inp, ind.v2019_numerator)
        num, nflags, approx = num.mask(is_v19, alt), nflags.mask(is_v19, aflags), is_v19
    elif is_v19.any() and ind.v2021_only:
        nflags = nflags.mask(is_v19, False)
        not_in_version = is_v19
    lo = hi = pd.Series(np.nan, index=inp.index)
    few = pd.Series(False, index=inp.index)
    if ind.is_ratio:
        den, dflags = _sum(inp, ind.denominator)
        flags = nflags | dflags
        small = den.notna() & (den < max(ind.min_shown, 1e-12))
        value = ind.scale * num / den.where(~small)
        if ind.is_share:
            few = den.notna() & ~small & (den < ind.min_denominator)
            lo, hi = (ind.scale * b for b in wilson(num, den.where(~small)))
    else:
        den = pd.Series(np.nan, index=inp.index)
        flags = nflags
        small = pd.Series(False, index=inp.index)
        value = num * ind.scale if ind.unit == "%" else num.copy()  # a share column (0–1) shown in %
    bad = flags["missing"] | flags["unreadable"] | not_in_version
    value, lo, hi = value.where(~bad), lo.where(~bad), hi.where(~bad)
    names = pd.DataFrame({"not_meaningful": small, "small_n": few, "assumed_zero": flags["assumed_zero"], "approx": approx,
                          "not_in_version": not_in_version, "missing": flags["missing"],
                          "unreadable": flags["unreadable"], "check_failed": flags["check_failed"]})
    flag_text = pd.Series("", index=inp.index, dtype=object)
    for k in names.columns:
        flag_text = flag_text + np.where(names[k].to_numpy(dtype=bool), k + ";", "")
    flag_text = flag_text.str.rstrip(";")
    return pd.DataFrame({"report_id": inp.index, "indicator": ind.name, "value": value.values,
                         "numerator": num.values, "denominator": den.values, "ci_low": lo.values,
                         "ci_high": hi.values, "flags": flag_text.values})


def wilson(successes: Any, n: Any, z: float = Z95) -> tuple[Any, Any]:
    """Wilson score interval (0–1) of a binomial proportion; NaN where ``n`` is 0 or missing.
    Works on scalars and on pandas Series alike."""
    k, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        ok = n > 0
        lo = np.where(ok, np.where(k <= 0, 0.0, np.clip(centre - half, 0, 1)), np.nan)
        hi = np.where(ok, np.where(k >= n, 1.0, np.clip(centre + half, 0, 1)), np.nan)
    if isinstance(successes, pd.Series):
        return pd.Series(lo, index=successes.index), pd.Series(hi, index=successes.index)
    return (float(lo), float(hi)) if lo.ndim == 0 else (lo, hi)


def _select(indicators: list[str] | None) -> list[Indicator]:
    return INDICATORS if indicators is None else [get(n) for n in indicators]


def compute_long(ds: Any, indicators: list[str] | None = None) -> pd.DataFrame:
    """One row per (report, indicator): value, numerator, denominator and flags (';'-joined)."""
    inp = _inputs(ds)
    frames = [_compute_one(inp, ind) for ind in _select(indicators)]
    if not frames:
        return pd.DataFrame(columns=["report_id", "indicator", "value", "numerator", "denominator", "ci_low",
                                     "ci_high", "flags"])
    return pd.concat(frames, ignore_index=True)


def compute(ds: Any, indicators: list[str] | None = None) -> pd.DataFrame:
    """One row per report: ``report_id``, ``agency``, ``year``, a value column per indicator, a
    ``<name>.flag`` column with its flags ('' when none) and, for shares, ``<name>.lo`` / ``<name>.hi``
    (the 95% Wilson interval, same unit). NaN values always carry a flag saying why."""
    long = compute_long(ds, indicators)
    names = [i.name for i in _select(indicators)]
    base = ds.reports[[c for c in ("report_id", "agency", "year") if c in ds.reports.columns]].set_index("report_id")
    out = base.join(long.pivot(index="report_id", columns="indicator", values="value").reindex(columns=names))
    for col, suffix in (("flags", "flag"), ("ci_low", "lo"), ("ci_high", "hi")):
        part = long.pivot(index="report_id", columns="indicator", values=col).reindex(columns=names)
        part.columns = [f"{c}.{suffix}" for c in part.columns]
        out = out.join(part)
    return out.reset_index()


def format_value(value: float, ind: Indicator | str, flags: str = "", lo: float | None = None,
                 hi: float | None = None) -> str:
    """A value as a reader should see it: '52.6%', '40.0% (16.8–68.7)' with its 95% interval when
    ``lo``/``hi`` are given, '1,234 件', or why it is missing ('n<5')."""
    ind = get(ind) if isinstance(ind, str) else ind
    fl = set(filter(None, (flags or "").split(";")))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if "not_meaningful" in fl:
            return f"n<{ind.min_shown:g}"
        if "not_in_version" in fl:
            return "不可比"
        return "—"
    interval = ""
    if lo is not None and hi is not None and not (math.isnan(lo) or math.isnan(hi)):
        interval = f" ({lo:.1f}–{hi:.1f})"
    if ind.unit == "%":
        text = f"{value:.1f}%"
    elif ind.is_ratio:
        text = f"{value:.2f}"
    else:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text + ("≈" if "approx" in fl else "") + ("†" if "check_failed" in fl else "") + interval


# ------------------------------------------------------------------------------------------
# codebook
# ------------------------------------------------------------------------------------------

def codebook_markdown() -> str:
    """docs/indicators.md, generated from INDICATORS so the codebook can never drift from the code."""
    out = [
        "# Indicator codebook",
        "",
        "Generated by `python -m govreports.indicators` from `govreports/indicators.py`; do not edit by hand.",
        "Cell codes are those of `docs/format.md` (§7). `#c7` is the 总计 column of table 三.",
        "",
        "**How values are computed.** Each formula sums its terms. A term is a cell code, `population`",
        "(2020 census residents of the report's division) or `checks.<severity>.<status>` (how many of the",
        "report's checks have that severity and status) or `reports.<column>` (the report's value in that",
        "column of `reports`, a share 0–1 shown in %). A blank, `-` or `/` cell counts as 0 and flags",
        "the value `assumed_zero`. Cells that are not printed in a layout are derived where the schema",
        "allows it:",
        "",
    ]
    for row, parts in DERIVED_ROWS.items():
        out.append(f"- `{row}#cN` = " + " + ".join(f"`{p}#cN`" for p in parts) + " when `" + row + "` is not printed.")
    out += [
        "",
        "Ratios are multiplied by their unit: % × 100, per 100 applications × 100, per 10,000 residents × 10,000.",
        "",
        "**Small numbers.** Every share (unit %) comes with its 95% Wilson score interval",
        "(`ci_low`, `ci_high`; shown as `40.0% (16.8–68.7)`), because most departments handle a handful",
        f"of applications a year. A share is shown from {MIN_SHOWN} cases on; below its indicator's minimum it",
        "is flagged `small_n`: shown with its interval, never ranked. Below that (and for other ratios below",
        "their minimum) the value is NaN with the flag `not_meaningful` and is shown as `n<MIN`: never as",
        "0 % or 100 %. Rankings list such units separately instead of placing them. A selection of reports",
        "(e.g. every department of one government in one year) can be pooled into one share: Σ numerators",
        "over Σ denominators, with the interval of the pooled counts.",
        "",
        "**Failed identities.** A value whose input cells take part in a hard identity the report fails",
        "(format.md §6.1) is still computed from the printed numbers, never corrected, and flagged",
        "`check_failed` (shown with †): those numbers disagree with each other.",
        "",
        "**Format versions.** Table 二 changed in 2021 (format.md §2.3). Indicators marked *V2019 proxy*",
        "use a near-equivalent V2019 column and flag the value `approx`; *V2021 only* indicators are NaN",
        "(`not_in_version`) for V2019 reports, because the V2019 column means something else.",
        "",
        "## Flags",
        "",
        "| flag | meaning |",
        "|---|---|",
        *[f"| `{k}` | {v} |" for k, v in FLAGS.items()],
        "",
    ]
    for group, title in GROUPS.items():
        out += [f"## {title}", "", "| name | 中文 | English | numerator | denominator | unit | min. denominator | notes |",
                "|---|---|---|---|---|---|---|---|"]
        for ind in (i for i in INDICATORS if i.group == group):
            num = " + ".join(f"`{t}`" for t in ind.numerator)
            den = " + ".join(f"`{t}`" for t in ind.denominator) if ind.is_ratio else "—"
            notes = ind.note
            if ind.v2019_numerator:
                notes += (" *V2019 proxy* (本年新制作数量, near-equivalent, flagged `approx`): "
                          + " + ".join(f"`{t}`" for t in ind.v2019_numerator) + ".")
            if ind.v2021_only:
                notes = "*V2021 only.* " + notes
            mind = f"{ind.min_denominator:,g}" if ind.is_ratio else "—"
            out.append(f"| `{ind.name}` | {ind.zh} | {ind.en} | {num} | {den} | {ind.unit} | {mind} | {notes.strip()} |")
        out.append("")
    out.append(crosswalk_markdown().rstrip("\n"))
    return "\n".join(out)


def write_codebook(path: Path | str = Path(__file__).resolve().parent.parent / "docs" / "indicators.md") -> Path:
    """Write the codebook to ``path`` (default: the repository's docs/indicators.md)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(codebook_markdown() + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_codebook(*sys.argv[1:2]))
