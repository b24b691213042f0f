"""Comparing reports: rankings with numerator and denominator, notes for small samples, outcome mixes."""
from __future__ import annotations

import pandas as pd

from govreports import indicators as ind
from govreports.analysis.formatting import _flag_words, _num
from govreports.analysis.selection import labels
from govreports.corpus.dataset import Dataset

OUTCOME_LABELS = {"disclosure_rate": "予以公开", "partial_rate": "部分公开", "refusal_rate": "不予公开",
                  "unable_rate": "无法提供", "not_processed_rate": "不予处理", "other_handling_rate": "其他处理"}


def ranking(ds: Dataset, reports: pd.DataFrame, name: str) -> pd.DataFrame:
    """Reports ranked by one indicator, highest first, with numerator, denominator and (shares) the 95%
    interval. Reports with few cases (``small_n``: shown with their interval), a value that is not
    meaningful (denominator below the minimum) or missing get no rank and come last."""
    i = ind.get(name)
    long = ind.compute_long(ds, [name]).set_index("report_id").loc[list(reports["report_id"])]
    long["报告"] = labels(reports).reindex(long.index).values
    rankable = long["value"].notna() & ~long["flags"].str.contains("small_n")
    ranked = long[rankable].sort_values("value", ascending=False)
    ranked.insert(0, "排名", [str(k) for k in range(1, len(ranked) + 1)])
    rest = long[~rankable].assign(_has=long["value"].notna()).sort_values(["_has", "value"], ascending=False)
    out = pd.concat([ranked, rest.drop(columns="_has").assign(排名="—")])
    out[i.zh] = [ind.format_value(v, i, f, a, b) for v, f, a, b in
                 zip(out["value"], out["flags"], out["ci_low"], out["ci_high"])]
    cols = ["排名", "报告", i.zh]
    if i.is_ratio:
        out["分子 / 分母"] = [f"{_num(a)} / {_num(b)}" for a, b in zip(out["numerator"], out["denominator"])]
        cols.append("分子 / 分母")
    out["说明"] = [_flag_words(f, i) for f in out["flags"]]
    return out[cols + ["说明"]].reset_index(drop=True)


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
    keep = ~vals[f"{name}.flag"].fillna("").str.contains("small_n")
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
