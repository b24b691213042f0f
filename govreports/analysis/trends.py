"""Trends: each publisher's series over the years, and the cross-year checks that fail."""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from govreports import indicators as ind
from govreports import longrun as lr
from govreports.analysis.checks import explain
from govreports.analysis.selection import publisher_of
from govreports.corpus.dataset import Dataset


def series_of(reports: pd.DataFrame) -> pd.Series:
    """The publisher series each report belongs to, indexed by report_id: its ``publisher`` (洪泽区人民政府
    2023 and 淮安市洪泽区人民政府 2024 are one series, 淮安市洪泽区人民政府)."""
    return pd.Series(publisher_of(reports).values, index=reports["report_id"].values)


def trend(vals: pd.DataFrame, name: str, reports: pd.DataFrame) -> pd.DataFrame:
    """Long frame for a trend chart: series (publisher), year, value, lo / hi (95% interval of a share),
    note (why NaN), approx (V2019 proxy), check_failed (inputs fail an identity: drawn with †)."""
    i = ind.get(name)
    meta = reports.set_index("report_id").loc[vals.index]
    flags = vals[f"{name}.flag"].fillna("")
    nan = pd.Series(float("nan"), index=vals.index)
    return pd.DataFrame({
        "series": series_of(reports).loc[vals.index].values, "year": meta["year"].astype(int).values, "value": vals[name].values,
        "lo": vals.get(f"{name}.lo", nan).values, "hi": vals.get(f"{name}.hi", nan).values,
        "note": [(ind.format_value(v, i, f) if pd.isna(v) else "") for v, f in zip(vals[name], flags)],
        "approx": flags.str.contains("approx").values,
        "check_failed": flags.str.contains("check_failed").values,
    }).sort_values(["series", "year"]).reset_index(drop=True)


def trend_table(vals: pd.DataFrame, names: list[str], reports: pd.DataFrame) -> pd.DataFrame:
    """Indicators (rows) by year (columns) for one publisher series or several (its name in the row);
    shares with their 95% interval."""
    meta = reports.set_index("report_id").loc[vals.index]
    meta["series"] = series_of(reports).loc[vals.index]
    out = []
    for agency, ids in meta.groupby("series").groups.items():
        sub = vals.loc[ids]
        years = meta.loc[ids, "year"].astype(int)
        for n in names:
            i = ind.get(n)
            row = {"机关": agency, "指标": i.zh}
            for rid, y in years.sort_values().items():
                row[str(y)] = ind.format_value(sub.at[rid, n], i, sub.at[rid, f"{n}.flag"], sub.get(f"{n}.lo", {}).get(rid),
                                               sub.get(f"{n}.hi", {}).get(rid))
            out.append(row)
    return pd.DataFrame(out)


def cross_year_failures(ds: Dataset, report_ids: Iterable[str]) -> pd.DataFrame:
    """Failed cross-year checks (X_CARRY, X_T2_IN_FORCE, X_T2_ITEMS) of the given reports, explained."""
    ids = list(report_ids)
    c = ds.checks[ds.checks["report_id"].isin(ids) & ds.checks["rule"].astype(str).str.startswith("X_")
                  & (ds.checks["status"] == "fail")]
    year = ds.reports.set_index("report_id")["year"]
    out = c.assign(year=c["report_id"].map(year)).sort_values(["report_id", "rule", "scope"])
    out["说明 explanation"] = [explain(row) for _, row in out.iterrows()]
    return out[["report_id", "year", "rule", "scope", "lhs", "rhs", "说明 explanation"]].reset_index(drop=True)


def longrun_trend(longrun: pd.DataFrame, indicator: str, publishers: Iterable[str] | None = None) -> pd.DataFrame:
    """Long frame for a long-run chart (2008 to today) of one indicator of the ``longrun`` table: series
    (publisher), year, value, era, comparability, note (why no value) and joined (the line runs from the
    series' previous year: both have values, and their eras are the same or comparable for the indicator)."""
    lr.get(indicator)  # KeyError naming the indicators when unknown
    sub = longrun[longrun["indicator"] == indicator]
    if publishers is not None:
        sub = sub[sub["publisher"].isin(list(publishers))]
    notes = {"missing": "未列", "not_in_era": "无此项", "unreadable": "非数字", "unknown_era": "格式不明"}
    out = sub.assign(series=sub["publisher"], year=sub["year"].astype(int),
                     note=[notes.get(s, "") if pd.isna(v) else "" for v, s in zip(sub["value"], sub["status"])])
    out = out[["series", "year", "value", "era", "comparability", "status", "note"]].sort_values(["series", "year"])
    joined = []
    for (series, year, value, era), prev in zip(out[["series", "year", "value", "era"]].itertuples(index=False),
                                                [None, *out[["series", "year", "value", "era"]].itertuples(index=False)]):
        joined.append(prev is not None and prev[0] == series and prev[1] == year - 1 and pd.notna(prev[2])
                      and pd.notna(value) and lr.pair_grade(indicator, prev[3], era)[0] != "not_comparable")
    return out.assign(joined=joined).reset_index(drop=True)


def breaks() -> list[tuple[int, str]]:
    """The format breaks a long-run chart marks: first report year of each new era and its label."""
    return [(b.year, b.zh) for b in lr.crosswalk().breaks]
