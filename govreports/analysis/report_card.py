"""The report card: one report's tables as printed, its facts, and its indicators against the corpus."""
from __future__ import annotations

from typing import Any

import pandas as pd

from govreports import indicators as ind
from govreports.analysis.formatting import STATUS_MARK, _flag_words, median_text, original_link
from govreports.corpus.dataset import Dataset
from govreports.schema import load_schema


def printed_table(ds: Dataset, report_id: str, table: str) -> pd.DataFrame:
    """Table 二, 三 or 四 of one report in its printed layout with Chinese labels. Each cell shows the
    printed value; blank / dash / slash cells show as printed (（空白）, -, /), never as 0."""
    s = load_schema()
    cells = ds.cells[(ds.cells["report_id"] == report_id) & (ds.cells["table"] == table)]
    if cells.empty:
        return pd.DataFrame({"": [f"表{'二三四'[int(table[1]) - 2]}未提取到"]})
    shown = {c: _show(v, st, raw) for c, v, st, raw in zip(cells["cell"], cells["value"], cells["status"], cells["raw"])}
    if table == "t3":
        rows = [r for r in s.t3_rows if any(f"{r.code}#c{k}" in shown for k in range(1, 8))]
        cols = list(s.t3_columns)
        out = pd.DataFrame([[shown.get(f"{r.code}#{c}", "") for c in cols] for r in rows],
                           columns=[s.t3_columns[c].zh for c in cols])
        out.insert(0, "项目", [_t3_label(r, s) for r in rows])
        return out
    if table == "t4":
        cols = list(s.t4_columns)
        out = pd.DataFrame([[shown.get(f"t4.{b}#{c}", "") for c in cols] for b in s.t4_blocks],
                           columns=[s.t4_columns[c]["zh"] for c in cols])
        out.insert(0, "类别", [s.t4_blocks[b]["zh"] for b in s.t4_blocks])
        return out
    rows = list(dict.fromkeys(c.split("#")[0] for c in cells["cell"]))
    colcodes = list(dict.fromkeys(c.split("#")[1] for c in cells["cell"]))
    out = pd.DataFrame([[shown.get(f"{r}#{c}", "") for c in colcodes] for r in rows],
                       columns=[s.t2_columns[c].zh for c in colcodes])
    out.insert(0, "信息内容", [s.t2_rows[r[3:]].zh for r in rows])
    return out


def _show(value: float, status: str, raw: Any) -> str:
    if status in ("ok", "corrected"):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if status == "text":
        return str(raw)
    return STATUS_MARK.get(status, str(status))


def _t3_label(r: Any, s: Any) -> str:
    group = s.t3_groups.get(r.parent, {}).get("zh") if r.parent and r.parent != "t3.r3" else None
    return f"{group}：{r.zh}" if group and not r.zh.startswith(group) else r.zh


def report_facts(ds: Dataset, report_id: str) -> pd.DataFrame:
    """Who published the report, when, in which format, and how its checks came out."""
    r = ds.reports.set_index("report_id").loc[report_id]
    checks = ds.checks[ds.checks["report_id"] == report_id]
    hard = checks[checks["severity"] == "error"]
    facts = [
        ("机关 agency", r.get("agency")),
        ("年度 year", r.get("year")),
        ("行政区划 division", " ".join(str(x) for x in (r.get("division_code"), r.get("province"), r.get("prefecture"),
                                                       r.get("county")) if pd.notna(x) and x)),
        ("层级 level", f"{r.get('level') or '—'} / {r.get('publisher_kind') or '—'}"),
        ("表二格式 table 二 format", r.get("t2_layout")),
        ("（六）其他处理 layout", r.get("t3_r3_6")),
        ("发布日期 published", "—" if pd.isna(r.get("published")) else str(r.get("published"))[:10]),
        ("逾期天数 days late", "—" if pd.isna(r.get("days_late")) else int(r.get("days_late"))),
        ("勾稽关系 hard identities", f"{(hard['status'] == 'pass').sum()} pass, {(hard['status'] == 'fail').sum()} fail, "
                                    f"{(hard['status'] == 'skipped').sum()} skipped"),
        ("文件 file", r.get("file")),
        ("原文 original", original_link(r.get("url"))),
        ("sha256", r.get("sha256")),
    ]
    return pd.DataFrame(facts, columns=["项目", "值"])


def versus_corpus(vals_all: pd.DataFrame, report_id: str, names: list[str]) -> pd.DataFrame:
    """One report's indicators next to the corpus median (over reports where the value is meaningful)."""
    rows = []
    for n in names:
        i = ind.get(n)
        col = vals_all[n]
        v, f = col.get(report_id), vals_all[f"{n}.flag"].get(report_id, "")
        rank = int((col > v).sum() + 1) if pd.notna(v) else None
        lo, hi = vals_all.get(f"{n}.lo", {}).get(report_id), vals_all.get(f"{n}.hi", {}).get(report_id)
        rows.append({"name": n, "指标": i.zh, "本报告": ind.format_value(v, i, f, lo, hi), "语料中位数":
                     median_text(col.median(), i), "可比报告数": int(col.notna().sum()),
                     "排名": f"{rank} / {int(col.notna().sum())}" if rank else "—",
                     "value": v, "median": col.median(), "note": _flag_words(f, i).split("；")[0] if pd.isna(v) else ""})
    return pd.DataFrame(rows)
