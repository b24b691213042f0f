"""Comparing reports: rankings with numerator and denominator, notes for small samples, outcome mixes."""
from __future__ import annotations

import pandas as pd

from govreports import indicators as ind
from govreports.analysis.formatting import _flag_words, _num
from govreports.analysis.selection import labels, publisher_of
from govreports.corpus.dataset import Dataset

OUTCOME_LABELS = {"disclosure_rate": "予以公开", "partial_rate": "部分公开", "refusal_rate": "不予公开",
                  "unable_rate": "无法提供", "not_processed_rate": "不予处理", "other_handling_rate": "其他处理"}


def ranking(ds: Dataset, reports: pd.DataFrame, name: str, pool_years: bool = False) -> pd.DataFrame:
    """Reports ranked by one indicator, highest first, with numerator, denominator and (shares) the 95%
    interval; within each year (latest first) unless ``pool_years``, so that one publisher's years are
    never ranked against each other. Reports with few cases (``small_n``: shown with their interval), a
    value that is not meaningful (denominator below the minimum) or missing get no rank and come last."""
    i = ind.get(name)
    long = ind.compute_long(ds, [name]).set_index("report_id").loc[list(reports["report_id"])]
    long["报告"] = labels(reports).reindex(long.index).values
    long["年度"] = reports.set_index("report_id")["year"].reindex(long.index).astype("Int64").values
    groups = [long] if pool_years else [g for _, g in sorted(long.groupby("年度"), key=lambda kv: -kv[0])]
    out = pd.concat([_ranked(g) for g in groups])
    out[i.zh] = [ind.format_value(v, i, f, a, b) for v, f, a, b in
                 zip(out["value"], out["flags"], out["ci_low"], out["ci_high"])]
    cols = ["排名", "报告", i.zh] if pool_years else ["年度", "排名", "报告", i.zh]
    if i.is_ratio:
        out["分子 / 分母"] = [f"{_num(a)} / {_num(b)}" for a, b in zip(out["numerator"], out["denominator"])]
        cols.append("分子 / 分母")
    out["说明"] = [_flag_words(f, i) for f in out["flags"]]
    return out[cols + ["说明"]].reset_index(drop=True)


def _ranked(long: pd.DataFrame) -> pd.DataFrame:
    """One group's rows: the rankable ones by value with their rank, then the others ('—')."""
    rankable = long["value"].notna() & ~long["flags"].fillna("").str.contains("small_n").astype(bool)
    ranked = long[rankable].sort_values("value", ascending=False)
    ranked.insert(0, "排名", [str(k) for k in range(1, len(ranked) + 1)])
    rest = long[~rankable]
    rest = rest.assign(_has=rest["value"].notna()).sort_values(["_has", "value"], ascending=False)
    return pd.concat([ranked, rest.drop(columns="_has").assign(排名="—")])


def ranking_scope(reports: pd.DataFrame, pool_years: bool = False) -> str:
    """What a ranking compares, in words: the years ranked separately, or what pooling the years mixes
    (how many of the reports are one publisher's years)."""
    years = reports["year"].dropna().astype(int)
    per_year = years.value_counts().sort_index(ascending=False)
    if not pool_years:
        parts = "，".join(f"{y} 年 {n} 份" for y, n in per_year.items())
        return (f"Ranked within each year (排名为年内排名): {parts}. Set `pool_years = True` to rank all "
                "years together.")
    pubs = publisher_of(reports).value_counts()
    many = pubs[pubs > 1]
    text = (f"Pooled across {len(per_year)} years ({per_year.index.min()}–{per_year.index.max()}): "
            f"{len(reports)} reports from {len(pubs)} publishers ranked together")
    if len(many):
        text += "; " + "; ".join(f"{p} contributes {n} of them (its years are ranked against each other)"
                                for p, n in many.items())
    return text + "."


def latest_per_publisher(reports: pd.DataFrame) -> pd.DataFrame:
    """Each publisher's latest report in ``reports``: what a ranking chart draws unless years are pooled,
    so no publisher appears twice."""
    pub = publisher_of(reports)
    return reports[reports["year"] == reports.groupby(pub)["year"].transform("max")]


def peers(reports: pd.DataFrame, report_id: str, pool_years: bool = False) -> pd.DataFrame:
    """The reports one report is ranked against, itself included: those of its year (one per publisher),
    or with ``pool_years`` every report — for a rank or a median that never sets a publisher's years
    against each other."""
    if pool_years:
        return reports
    year = reports.loc[reports["report_id"] == report_id, "year"]
    if year.empty:
        raise ValueError(f"report_id {report_id!r} is not among the reports given")
    return reports[reports["year"] == year.iloc[0]]


def years_note(reports: pd.DataFrame) -> str:
    """'（各机关最近年度：2020、2024、2025）' for a chart of each publisher's latest report."""
    return "（各机关最近年度：" + "、".join(str(int(y)) for y in sorted(reports["year"].dropna().unique())) + "）"


def notes(vals: pd.DataFrame, name: str, row_labels: pd.Series, rank_only: bool = False) -> pd.Series:
    """Per-unit note for charts ('分母不足 5，不计算'), indexed by display label; '' when the value is
    drawn. With ``rank_only`` a value with few cases (``small_n``) gets its value, interval and note too."""
    i = ind.get(name)
    flags = vals[f"{name}.flag"].fillna("")
    text = []
    for rid, v, f in zip(vals.index, vals[name], flags):
        if pd.isna(v):
            text.append(_flag_words(f, i).split("；")[0])
        elif "small_n" in f and rank_only:
            lo, hi = vals.at[rid, f"{name}.lo"], vals.at[rid, f"{name}.hi"]
            text.append(f"{ind.format_value(v, i, f, lo, hi)}，{_flag_words('small_n', i)}")
        else:
            text.append("")
    return pd.Series(text, index=row_labels.reindex(vals.index).values)


def ranked_values(vals: pd.DataFrame, name: str, row_labels: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """What a ranking chart draws, indexed by display label: values (NaN for units not ranked), the 95%
    interval's low and high ends (NaN where none), and the note of each unit not ranked."""
    keep = ~vals[f"{name}.flag"].fillna("").str.contains("small_n").astype(bool)
    index = row_labels.reindex(vals.index).values
    value = pd.Series(vals[name].where(keep).values, index=index)
    lo = pd.Series(vals.get(f"{name}.lo", pd.Series(float("nan"), index=vals.index)).where(keep).values, index=index)
    hi = pd.Series(vals.get(f"{name}.hi", pd.Series(float("nan"), index=vals.index)).where(keep).values, index=index)
    return value, lo, hi, notes(vals, name, row_labels, rank_only=True)


def shares(vals: pd.DataFrame, names: list[str], row_labels: pd.Series,
           label_of: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Shares (%) for a stacked bar: rows = units, columns = Chinese category names; plus the
    per-unit note for units whose denominator is too small."""
    cols = {n: (label_of or {}).get(n) or ind.get(n).zh.split("：")[-1] for n in names}
    frame = vals[names].rename(columns=cols)
    frame.index = row_labels.reindex(vals.index).values
    i, flags = ind.get(names[0]), vals[f"{names[0]}.flag"].fillna("")
    few = pd.Series([_flag_words("small_n", i).split("：")[0] if "small_n" in f else "" for f in flags],
                    index=frame.index)  # a mix of a handful of cases is an anecdote: not split
    base = notes(vals, names[0], row_labels)
    return frame, base.where(base != "", few)


def pooled(ds: Dataset, reports: pd.DataFrame, names: list[str], by: list[str] | None = None) -> pd.DataFrame:
    """Shares pooled over groups of reports (default: one division in one year, i.e. a government with
    all its departments): Σ numerators / Σ denominators with the 95% Wilson interval of the pooled counts.
    Reports whose inputs are missing or unreadable for an indicator stay out of its pool."""
    by = by or ["division_code", "year"]
    # a report without a division code is pooled with its own publisher's reports only
    fill = {k: publisher_of(reports) if k == "division_code" else "—" for k in by}
    reports = reports.assign(**{k: reports[k].astype(object).where(reports[k].notna(), fill[k]) for k in by})
    long = ind.compute_long(ds, names).merge(reports[["report_id", *by]], on="report_id")
    usable = long["numerator"].notna() & long["denominator"].notna() & \
        ~long["flags"].fillna("").str.contains("missing|unreadable").astype(bool)
    long = long[usable]
    keys = reports[by].drop_duplicates().sort_values(by)
    out = keys.copy()
    members = [reports[(reports[by] == tuple(k)).all(axis=1)] for k in keys.itertuples(index=False)]
    if "division_code" in by:
        out.insert(by.index("division_code") + 1, "区划", [_place(m.iloc[0]) for m in members])
    out["报告数"] = [len(m) for m in members]
    for name in names:
        i = ind.get(name)
        g = long[long["indicator"] == name].groupby(by)[["numerator", "denominator"]].sum()
        g = g.reindex(pd.MultiIndex.from_frame(keys) if len(by) > 1 else keys[by[0]])
        lo, hi = ind.wilson(g["numerator"], g["denominator"])
        shown = []
        for num, den, a, b in zip(g["numerator"], g["denominator"], lo, hi):
            if pd.isna(den) or den < i.min_shown:
                shown.append(f"n<{i.min_shown:g}" if pd.notna(den) else "—")
            else:
                flag = "small_n" if den < i.min_denominator else ""
                shown.append(ind.format_value(i.scale * num / den, i, flag, i.scale * a, i.scale * b)
                             + f"  [{_num(num)} / {_num(den)}]")
        out[i.zh] = shown
    return out.reset_index(drop=True)


def _place(row: pd.Series) -> str:
    """A division's display name: its county, else prefecture, else province ('—' when unknown)."""
    for col in ("county", "prefecture", "province"):
        if isinstance(row.get(col), str) and row.get(col):
            return row[col]
    return "—"
