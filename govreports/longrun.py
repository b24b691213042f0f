"""The long-run panel: pre-2019, 2019 and 2021 cells mapped to a few indicators comparable since 2008.

The crosswalk is data (``schema/longrun.yaml``): for each long-run indicator and each era, the cell
codes whose values are summed and a grade against today's definition (same / close / not_comparable)
with the reason. This module reads it, tells each report's era from its cells and layout, builds the
dataset's ``longrun`` table (one row per report × indicator) and says which indicators two eras share.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import pandas as pd
import yaml

from govreports.checks.identities import ZERO_STATUSES
from govreports.corpus.columns import names_of
from govreports.schema import load_schema

GRADES = ("same", "close", "not_comparable")   # best to worst
ERAS = ("pre2019", "v2019", "v2021")
PRE_PREFIX = "pre."                            # cell codes of pre-2019 reports (format.md)
GRADE_ZH = {"same": "口径相同", "close": "口径相近", "not_comparable": "不可比"}


@dataclass(frozen=True)
class Source:
    """Where one era's reports hold a long-run indicator: cells summed, grade, reason."""

    era: str
    cells: tuple[str, ...]
    grade: str
    reason: str


@dataclass(frozen=True)
class LongrunIndicator:
    """One long-run indicator and its source in every era."""

    name: str
    zh: str
    en: str
    unit: str
    sources: dict[str, Source]


@dataclass(frozen=True)
class Break:
    """The first report year of a new format era, drawn as a line on long-run charts."""

    year: int
    era: str
    zh: str
    en: str


@dataclass(frozen=True)
class Crosswalk:
    """The whole crosswalk of ``schema/longrun.yaml``."""

    eras: dict[str, dict[str, str]]
    breaks: tuple[Break, ...]
    indicators: dict[str, LongrunIndicator]


@lru_cache(maxsize=1)
def crosswalk() -> Crosswalk:
    """Load and check ``schema/longrun.yaml`` once per process."""
    text = resources.files("govreports.schema").joinpath("longrun.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    eras = raw["eras"]
    if tuple(eras) != ERAS:
        raise ValueError(f"longrun.yaml: eras must be {ERAS}, not {tuple(eras)}")
    indicators = {}
    for name, spec in raw["indicators"].items():
        sources = {}
        for era in ERAS:
            src = spec["sources"].get(era)
            if src is None or src.get("grade") not in GRADES:
                raise ValueError(f"longrun.yaml: indicator {name}: era {era} needs a source with a grade in {GRADES}")
            if not src["cells"] and src["grade"] != "not_comparable":
                raise ValueError(f"longrun.yaml: indicator {name}: era {era} has no cells, so it must be not_comparable")
            sources[era] = Source(era, tuple(src["cells"]), src["grade"], " ".join(str(src["reason"]).split()))
        indicators[name] = LongrunIndicator(name, spec["zh"], spec["en"], spec["unit"], sources)
    breaks = tuple(Break(int(b["year"]), b["era"], b["zh"], b["en"]) for b in raw["breaks"])
    return Crosswalk(eras, breaks, indicators)


def get(name: str) -> LongrunIndicator:
    """One long-run indicator by name; KeyError lists the names."""
    cw = crosswalk()
    if name not in cw.indicators:
        raise KeyError(f"no long-run indicator {name!r}; known: {', '.join(cw.indicators)}")
    return cw.indicators[name]


def era_of(t2_layout: Any, t3_r3_6: Any, year: Any, codes: Iterable[str]) -> str | None:
    """The report's era from its content: pre-2019 cells (or a pre2019 layout), else table 二's detected
    format, else a split （六） (2021 only), else the format expected for the year when it printed tables."""
    codes = list(codes)
    if any(str(c).startswith(PRE_PREFIX) for c in codes) or "pre2019" in (t2_layout, t3_r3_6):
        return "pre2019"
    if t2_layout in ("v2019", "v2021"):
        return t2_layout
    if t3_r3_6 == "split":
        return "v2021"
    if codes and year is not None and not pd.isna(year):
        return load_schema().expected_version(int(year))
    return None


def _value(src: Source, printed: dict[str, tuple[Any, Any, Any]]) -> dict[str, Any]:
    """Sum of the source's printed cells, with status, flags and provenance (never a guessed 0)."""
    if not src.cells:
        return {"value": None, "status": "not_in_era", "flags": "", "sources": "", "raw": None}
    present = [c for c in src.cells if c in printed]
    base = {"sources": " ".join(present), "raw": " | ".join(str(printed[c][2]) for c in present
                                                             if printed[c][2] is not None) or None}
    if not present:
        return {**base, "value": None, "status": "missing", "flags": ""}
    flags = []
    total = 0.0
    for c in present:
        value, status, _ = printed[c]
        if value is None or pd.isna(value):
            if status not in ZERO_STATUSES:
                return {**base, "value": None, "status": "unreadable", "flags": ""}
            flags.append("assumed_zero")
            continue
        total += float(value)
    if len(present) < len(src.cells):
        flags.append("partial")
    return {**base, "value": total, "status": "ok", "flags": ";".join(dict.fromkeys(flags))}


def longrun_rows(reports: list[dict[str, Any]], cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``longrun`` table: one row per report × long-run indicator, from the dataset's reports and cells rows."""
    cw = crosswalk()
    by_report: dict[str, dict[str, tuple[Any, Any, Any]]] = {}
    for c in cells:
        by_report.setdefault(c["report_id"], {})[c["cell"]] = (c.get("value"), c.get("status"), c.get("raw"))
    out = []
    for r in reports:
        printed = by_report.get(r["report_id"], {})
        era = era_of(r.get("t2_layout"), r.get("t3_r3_6"), r.get("year"), printed)
        publisher = r.get("publisher") or r.get("agency") or r["report_id"]
        for ind in cw.indicators.values():
            if era is None:
                got = {"value": None, "status": "unknown_era", "flags": "", "sources": "", "raw": None}
                grade = None
            else:
                got = _value(ind.sources[era], printed)
                grade = ind.sources[era].grade
            out.append({"report_id": r["report_id"], "publisher": publisher,
                        "year": r.get("year"), "era": era, "indicator": ind.name, "unit": ind.unit,
                        "comparability": grade, **got})
    return out


def longrun_frame(ds: Any) -> pd.DataFrame:
    """The dataset's ``longrun`` table, computed from its reports and cells when the dataset has none."""
    have = getattr(ds, "longrun", None)
    if have is not None and len(have):
        return have
    reports = ds.reports.astype(object).where(ds.reports.notna(), None).to_dict("records")
    cells = ds.cells.astype(object).where(ds.cells.notna(), None).to_dict("records")
    return pd.DataFrame(longrun_rows(reports, cells), columns=names_of("longrun"))


def pair_grade(name: str, era_a: str, era_b: str) -> tuple[str, str]:
    """How comparable one indicator is between two eras, and why: within one era the same cells are
    compared (same); across eras the weaker grade, not_comparable when either era has no comparable cell."""
    ind = get(name)
    a, b = ind.sources[era_a], ind.sources[era_b]
    if era_a == era_b:
        return ("same", "same cells in both reports") if a.cells else ("not_comparable", a.reason)
    bad = [s for s in (a, b) if s.grade == "not_comparable"]
    if bad:
        return "not_comparable", " ".join(dict.fromkeys(s.reason for s in bad))
    worst = max(a.grade, b.grade, key=GRADES.index)
    reasons = [s.reason for s in (a, b) if s.grade != "same"]
    return worst, " ".join(reasons) or "same definition in both formats"


def compare_eras(era_a: str, era_b: str) -> pd.DataFrame:
    """Every long-run indicator between two eras: its grade, whether it can be compared, and why."""
    rows = []
    for ind in crosswalk().indicators.values():
        grade, reason = pair_grade(ind.name, era_a, era_b)
        rows.append({"indicator": ind.name, "指标": ind.zh, "comparability": grade, "可比性": GRADE_ZH[grade],
                     "compared": grade != "not_comparable", "reason": reason})
    return pd.DataFrame(rows)


def grades_table() -> pd.DataFrame:
    """The crosswalk at a glance: one row per long-run indicator, each era's grade against today's tables."""
    cw = crosswalk()
    rows = [{"指标": ind.zh, "indicator": ind.name, **{cw.eras[e]["zh"]: GRADE_ZH[ind.sources[e].grade] for e in ERAS}}
            for ind in cw.indicators.values()]
    return pd.DataFrame(rows)


@dataclass
class AcrossBreak:
    """Two reports compared on the long-run indicators: those comparable, and those left out with why."""

    eras: tuple[str, str]
    table: pd.DataFrame      # indicator, 指标, both years' values, change, comparability
    left_out: pd.DataFrame   # indicator, 指标, reason
    note: str


def compare_reports(longrun: pd.DataFrame, prev: str, curr: str, years: tuple[int, int]) -> AcrossBreak:
    """The long-run indicators two reports share across their eras (pre2019 / v2019 / v2021), with both
    values; indicators not comparable between the eras are listed apart with the reason, never shown."""
    a = longrun[longrun["report_id"] == prev].set_index("indicator")
    b = longrun[longrun["report_id"] == curr].set_index("indicator")
    if a.empty or b.empty:
        missing = prev if a.empty else curr
        raise ValueError(f"report {missing!r} has no long-run rows: it is not in the dataset")
    era_a, era_b = a["era"].iloc[0], b["era"].iloc[0]
    table = pd.DataFrame(columns=["indicator", "指标", str(years[0]), str(years[1]), "变化", "可比性", "reason"])
    left = pd.DataFrame(columns=["indicator", "指标", "reason"])
    if pd.isna(era_a) or pd.isna(era_b):
        unknown = prev if pd.isna(era_a) else curr
        return AcrossBreak((era_a, era_b), table, left, f"The format of {unknown} is unknown (it prints no figures "
                           "the crosswalk knows), so the long-run indicators are not compared.")
    grades = compare_eras(era_a, era_b).set_index("indicator")
    rows, out = [], []
    for name, g in grades.iterrows():
        if not g["compared"]:
            out.append({"indicator": name, "指标": g["指标"], "reason": g["reason"]})
            continue
        va, vb = _shown(a.loc[name]), _shown(b.loc[name])
        both = pd.notna(a.at[name, "value"]) and pd.notna(b.at[name, "value"])
        change = _signed(b.at[name, "value"] - a.at[name, "value"]) if both else "—"
        rows.append({"indicator": name, "指标": g["指标"], str(years[0]): va, str(years[1]): vb, "变化": change,
                     "可比性": g["可比性"] + ("（≈）" if g["comparability"] == "close" else ""),
                     "reason": g["reason"]})
    table = pd.DataFrame(rows, columns=table.columns)
    left = pd.DataFrame(out, columns=left.columns)
    note = "" if era_a == era_b else (
        f"The two reports use different formats ({era_a} → {era_b}): {len(table)} long-run indicators are compared "
        f"(≈ marks a close, not identical, definition); {len(left)} left out as not comparable: "
        + (", ".join(left["indicator"]) or "none") + ".")
    return AcrossBreak((era_a, era_b), table, left, note)


def _signed(delta: float) -> str:
    """A change with its sign: '+1', '-3', '+0.25' (money in 万元 keeps its decimals)."""
    return f"{delta:+,.0f}" if float(delta).is_integer() else f"{delta:+,.2f}"


def _shown(row: pd.Series) -> str:
    """A long-run value as printed for a reader: the number, or why there is none."""
    if pd.isna(row["value"]):
        return {"missing": "（未列）", "not_in_era": "不可比", "unreadable": "（非数字）"}.get(row["status"], "—")
    v = float(row["value"])
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"
    return text + ("（部分）" if "partial" in str(row.get("flags") or "") else "")


def crosswalk_markdown() -> str:
    """The crosswalk as Markdown, for docs/indicators.md and the dataset codebook."""
    cw = crosswalk()
    out = ["## Long-run panel 长期序列 (table `longrun`, `govreports/schema/longrun.yaml`)", "",
           "Reports since 2008 fall in three eras, told apart from their content (pre-2019 cells `pre.*`, else table "
           "二's format, else a split （六）, else the format expected for the year): "
           + "; ".join(f"`{k}` {v['en']}" for k, v in cw.eras.items()) + ". "
           "Each long-run indicator sums the listed cells of its era (a blank, `-` or `/` counts as 0 and flags "
           "`assumed_zero`; a source of several cells with some not printed flags `partial`; none printed is "
           "`missing`, never 0). Each era's source is graded against today's (2021) definition: **same**, "
           "**close** (same concept, counted slightly differently: join with care) or **not comparable** "
           "(a different concept, or no cell). Two eras are compared on an indicator only when neither is not "
           "comparable; the pair takes the weaker grade. Breaks: "
           + "; ".join(f"{b.year} ({b.en})" for b in cw.breaks) + ".", "",
           "| indicator | 中文 | unit | pre2019 | v2019 | v2021 |", "|---|---|---|---|---|---|"]
    for ind in cw.indicators.values():
        cols = []
        for era in ERAS:
            s = ind.sources[era]
            cells = " + ".join(f"`{c}`" for c in s.cells) or "—"
            cols.append(f"{cells} ({s.grade.replace('_', ' ')})")
        out.append(f"| `{ind.name}` | {ind.zh} | {ind.unit} | " + " | ".join(cols) + " |")
    out += ["", "| indicator | era | grade | reason |", "|---|---|---|---|"]
    for ind in cw.indicators.values():
        for era in ERAS:
            s = ind.sources[era]
            out.append(f"| `{ind.name}` | {era} | {s.grade.replace('_', ' ')} | {s.reason} |")
    return "\n".join(out) + "\n"
