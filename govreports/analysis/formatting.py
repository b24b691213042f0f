"""How values are shown: indicator strings with their flags, tables styled for the HTML page."""
from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from govreports import indicators as ind
from govreports.analysis.english import for_page

STATUS_MARK = {"blank": "（空白）", "dash": "-", "slash": "/", "not_in_version": "", "not_reported": "（未列）"}


def formatted(vals: pd.DataFrame, names: Iterable[str], row_labels: pd.Series | None = None) -> pd.DataFrame:
    """Indicator values as display strings ('52.6% (42.6–62.4)', 'n<5', '8≈'), Chinese column names.
    Shares carry their 95% interval when ``vals`` has the ``<name>.lo`` / ``<name>.hi`` columns."""
    names = list(names)
    out = pd.DataFrame(index=vals.index)
    for n in names:
        out[ind.get(n).zh] = shown(vals, n)
    if row_labels is not None:
        out.insert(0, "报告", row_labels.reindex(out.index).values)
    return out.reset_index(drop=row_labels is not None)


def shown(vals: pd.DataFrame, name: str) -> list[str]:
    """One indicator of ``vals`` (a frame of indicators.compute) as display strings, with intervals."""
    i = ind.get(name)
    lo = vals[f"{name}.lo"] if f"{name}.lo" in vals else pd.Series(None, index=vals.index, dtype=float)
    hi = vals[f"{name}.hi"] if f"{name}.hi" in vals else pd.Series(None, index=vals.index, dtype=float)
    return [ind.format_value(v, i, f, a, b) for v, f, a, b in zip(vals[name], vals[f"{name}.flag"], lo, hi)]


def _num(v: float) -> str:
    return "—" if pd.isna(v) else f"{v:,.0f}"


def _flag_words(flags: str, i: ind.Indicator) -> str:
    words = {"not_meaningful": f"分母不足 {i.min_shown:g}，不计算", "small_n": f"分母不足 {i.min_denominator:g}：区间宽，不排名",
             "assumed_zero": "含空白格（按 0 计）",
             "approx": "V2019 近似口径", "not_in_version": "该格式版本无可比数据", "missing": "缺数据",
             "unreadable": "单元格非数字", "check_failed": "†所用数字未通过勾稽关系"}
    return "；".join(words.get(f, f) for f in (flags or "").split(";") if f)


def median_text(value: float, i: ind.Indicator) -> str:
    """A median as a reader should see it: shares as '52.6%', counts without spurious decimals (the
    median of 72 and 73 is '72.5', of 72 and 72 '72', never '72.50')."""
    if pd.isna(value) or i.is_ratio or i.unit == "%":
        return ind.format_value(value, i)
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _number(v: float) -> str:
    if pd.isna(v):
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def table(df: pd.DataFrame, caption: str | None = None) -> Any:
    """A DataFrame styled for the HTML report: no index, optional caption; English beside the Chinese
    when the page is rendered with --lang en."""
    df = for_page(df)
    sty = df.style.hide(axis="index")
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if text:
        sty = sty.set_properties(subset=text, **{"text-align": "left"})
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    if floats:
        sty = sty.format(_number, subset=floats)
    if caption:
        sty = sty.set_caption(caption)
    return sty
