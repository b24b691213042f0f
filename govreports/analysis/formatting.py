"""How values are shown: indicator strings with their flags, tables styled for the HTML page (each with
a link to its data as CSV), and the list of sources a page links to."""
from __future__ import annotations

import base64
import html
import re
from typing import Any, Iterable

import pandas as pd

from govreports import indicators as ind
from govreports.analysis.english import for_page
from govreports.analysis.selection import labels

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


def table(df: pd.DataFrame, caption: str | None = None, name: str | None = None) -> Any:
    """A DataFrame styled for the HTML report: no index, optional caption, English beside the Chinese when
    the page is rendered with --lang en, and a link that downloads the table's data as ``name``.csv
    (embedded in the page, so it works offline and travels with the page)."""
    df = for_page(df)
    sty = df.style.hide(axis="index")
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if text:
        sty = sty.set_properties(subset=text, **{"text-align": "left"})
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    if floats:
        sty = sty.format(_number, subset=floats)
    if "sha256" in df.columns:  # a full hash, readable and never pushing the table off the page
        sty = sty.set_properties(subset=["sha256"], **{"font-family": "monospace", "font-size": "11px",
                                                       "word-break": "break-all", "min-width": "24em"})
    head = f"{html.escape(caption)} " if caption else ""
    return sty.set_caption(head + csv_link(df, name or caption or "table"))


def csv_link(df: pd.DataFrame, name: str) -> str:
    """An <a download> link holding ``df`` as CSV (UTF-8 with BOM, so Excel shows Chinese) in a data: URI."""
    data = df.copy()
    for c in data.columns:  # links and markup shown in the page are plain text in the CSV
        if data[c].dtype == object or pd.api.types.is_string_dtype(data[c].dtype):
            data[c] = data[c].map(lambda v: re.sub(r"<[^>]+>", "", v) if isinstance(v, str) else v)
    payload = base64.b64encode(("\ufeff" + data.to_csv(index=False)).encode("utf-8")).decode("ascii")
    file = re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("_")[:60] or "table"
    return (f'<a class="csv" download="{html.escape(file)}.csv" href="data:text/csv;charset=utf-8;base64,{payload}" '
            f'style="font-size:12px;font-weight:normal">⬇ CSV</a>')


def original_link(url: Any) -> str:
    """A link to the report where it was published, or a note that its URL is unknown (a folder of files)."""
    if isinstance(url, str) and url:
        return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    return "（网址未知 URL unknown）"


def sources(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports a page shows, each with a link to the original (its URL, when known) and its file's
    full sha256, so every number can be traced to the document it was read from."""
    lab = labels(reports)
    link = [original_link(u) for u in reports["url"]]
    return pd.DataFrame({"报告 report": lab.reindex(reports["report_id"]).values, "原文 original": link,
                         "文件 file": reports["file"].values, "sha256": reports["sha256"].values})


def _count_share(k: Any, n: Any) -> str:
    """'5.3%（1 / 19 句）': a narrative share with the sentence counts it comes from; '—' when unknown."""
    if pd.isna(n) or not n:
        return "—（无叙述）"
    if pd.isna(k):
        return f"—（无上年报告；{int(n)} 句）"
    return f"{100 * k / n:.1f}%（{int(k)} / {int(n)} 句）"


def narrative_shares(reports: pd.DataFrame) -> pd.DataFrame:
    """Each report's narrative_reuse and template_share with the sentences they count ('5.3%（1 / 19 句）'):
    a share of 19 sentences is not one of 200."""
    return pd.DataFrame({
        "报告": labels(reports).reindex(reports["report_id"]).values,
        "叙述句数 sentences": reports["n_sentences"].values,
        "沿用上年 narrative_reuse": [_count_share(k, n) for k, n in zip(reports["n_reused_sentences"], reports["n_sentences"])],
        "与他机关相同 template_share": [_count_share(k, n) for k, n in
                                      zip(reports["n_template_sentences"], reports["n_sentences"])]})


def narrative_by_year(reports: pd.DataFrame) -> pd.DataFrame:
    """narrative_reuse with its sentence counts, one row per publisher, one column per year."""
    pub = reports.assign(_pub=labels(reports, with_year=False).reindex(reports["report_id"]).values)
    rows = []
    for name, g in pub.groupby("_pub", sort=True):
        row = {"机关": name}
        for _, r in g.sort_values("year").iterrows():
            row[str(int(r["year"]))] = _count_share(r["n_reused_sentences"], r["n_sentences"])
        rows.append(row)
    out = pd.DataFrame(rows)
    years = sorted(c for c in out.columns if c != "机关")
    return out[["机关", *years]].fillna("")
