"""What the analysis notebooks compute: selections, printed-layout tables, rankings, trends and
data-quality summaries. The notebooks only call these functions and plot what they return, so every
number a notebook shows can be reached by a test.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from govreports import indicators as ind
from govreports.corpus.dataset import Dataset, load
from govreports.schema import load_schema

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO / "out" / "demo" / "dataset"
DATASET_ENV = "GOVREPORTS_DATASET"

STATUS_MARK = {"blank": "（空白）", "dash": "-", "slash": "/", "not_in_version": "", "not_reported": "（未列）"}
OUTCOME_LABELS = {"disclosure_rate": "予以公开", "partial_rate": "部分公开", "refusal_rate": "不予公开",
                  "unable_rate": "无法提供", "not_processed_rate": "不予处理", "other_handling_rate": "其他处理"}

# What each check means, in words, and what a failure usually points to.
RULE_MEANING: dict[str, str] = {
    "T3_BALANCE": "Table 三's official note: new applications plus those carried over from last year must equal "
                  "the applications concluded plus those carried into next year. A gap means applications were "
                  "lost or double-counted, or one of the four numbers is misprinted.",
    "T3_ROW_TOTAL": "The 总计 column must equal the sum of the six applicant columns (自然人 and the five kinds "
                    "of 法人或其他组织). A gap usually means a misprinted total or a value typed in the wrong column.",
    "T3_RESULTS_SUM": "（七）总计 must equal the sum of the outcome rows （一）–（六）; each concluded application "
                      "counts in exactly one outcome. A gap means an outcome was double-counted or left out.",
    "T4_BLOCK_TOTAL": "In table 四 each block's 总计 must equal 结果维持 + 结果纠正 + 其他结果 + 尚未审结. A gap "
                      "usually means the total was misprinted or a case was not classified.",
    "X_CARRY": "This year's 上年结转 should equal last year's 结转下年度继续办理; a gap means applications "
               "disappeared or appeared between the two reports (scope change or correction).",
    "X_T2_IN_FORCE": "现行有效件数 should equal last year's stock plus documents issued minus documents repealed "
                     "this year; a gap means the stock was recounted or a column was misreported.",
    "X_T2_ITEMS": "上一年项目数量 should equal last year's count plus last year's 本年增/减.",
    "N_*": "A figure stated in the report's text differs from its table. The text often covers another scope "
           "(e.g. only the government office) or counts carried-over applications too.",
    "TIMELINESS": "条例 第四十九条 sets the deadline: 31 January for departments, 31 March for a government's own report.",
}


# ------------------------------------------------------------------------------------------
# loading and selecting
# ------------------------------------------------------------------------------------------

def open_dataset(path: str | Path | None = None) -> Dataset:
    """Load a dataset folder: ``path``, else $GOVREPORTS_DATASET, else the demo dataset (out/demo/dataset)."""
    path = Path(path or os.environ.get(DATASET_ENV) or DEFAULT_DATASET)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no dataset here; build one with `govreports build REPORTS --out {path}` "
                                f"or pass the folder as the `dataset` parameter")
    return load(path)


def as_list(value: Any) -> list[str] | None:
    """None / 'a,b' / ['a', 'b'] / 320813 -> list of strings (None means: no filter)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in re.split(r"[,，;；]", str(value)) if v.strip()]


def as_years(value: Any) -> list[int] | None:
    """None / 2024 / '2019-2025' / '2023,2024' / [2023, 2024] -> sorted list of years."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return [int(value)]
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*[-–~]\s*\d{4}\s*", value):
        a, b = (int(x) for x in re.findall(r"\d{4}", value))
        return list(range(min(a, b), max(a, b) + 1))
    return sorted({int(v) for v in as_list(value) or []})


def _code_prefix(code: str) -> str:
    """A division code selects itself and everything under it: 320800 -> '3208', 320000 -> '32'."""
    code = code.strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def select(ds: Dataset, agencies: Any = None, division_codes: Any = None, level: Any = None,
           province: Any = None, years: Any = None) -> pd.DataFrame:
    """The reports matching every given filter. ``agencies`` match by substring of the agency name;
    ``division_codes`` by code, where a prefecture or province code (…00) selects all divisions under
    it. A filter value that matches nothing raises ValueError naming the values available."""
    r = ds.reports
    mask = pd.Series(True, index=r.index)
    for name, values, column in (("agencies", as_list(agencies), "agency"), ("level", as_list(level), "level"),
                                 ("province", as_list(province), "province")):
        if values is None:
            continue
        col = r[column].fillna("").astype(str)
        hit = pd.Series(False, index=r.index)
        for v in values:
            this = col.str.contains(v, regex=False)
            if not this.any():
                raise ValueError(f"{name}: {v!r} matches no report; available: {', '.join(sorted(set(col) - {''}))}")
            hit |= this
        mask &= hit
    codes = as_list(division_codes)
    if codes is not None:
        col = r["division_code"].fillna("").astype(str)
        hit = pd.Series(False, index=r.index)
        for c in codes:
            this = col.str.startswith(_code_prefix(c))
            if not this.any():
                raise ValueError(f"division_codes: {c!r} matches no report; available: {', '.join(sorted(set(col) - {''}))}")
            hit |= this
        mask &= hit
    yrs = as_years(years)
    out = r[mask & r["year"].isin(yrs)] if yrs is not None else r[mask]
    if out.empty:
        given = {k: v for k, v in (("agencies", agencies), ("division_codes", division_codes), ("level", level),
                                   ("province", province), ("years", years)) if v is not None}
        have = sorted(int(y) for y in r.loc[mask, "year"].dropna().unique())
        raise ValueError(f"no report matches all the filters together ({given}); "
                         f"years available without the year filter: {have}")
    return out.sort_values(["agency", "year"]).reset_index(drop=True)


def pick_report(ds: Dataset, report_id: str | None = None, agency: str | None = None, year: Any = None) -> str:
    """The report_id to show: ``report_id`` itself, else the single report of ``agency`` (substring) in
    ``year`` (the latest year when None). Raises ValueError listing what is available."""
    ids = set(ds.reports["report_id"])
    if report_id:
        if report_id not in ids:
            raise ValueError(f"report_id {report_id!r} is not in the dataset; available: {', '.join(sorted(ids))}")
        return report_id
    hits = select(ds, agencies=agency, years=year)
    if year is None:
        hits = hits[hits["year"] == hits["year"].max()]
    if len(hits) != 1:
        raise ValueError(f"agency={agency!r}, year={year!r} matches {len(hits)} reports "
                         f"({', '.join(hits['report_id'])}); pass report_id")
    return str(hits["report_id"].iloc[0])


def labels(reports: pd.DataFrame, with_year: bool = True) -> pd.Series:
    """Short display names, indexed by report_id: '洪泽区人民政府 2024'."""
    name = reports["agency"].fillna(reports["report_id"]).astype(str)
    if with_year:
        name = name + " " + reports["year"].astype("Int64").astype(str)
    return pd.Series(name.values, index=reports["report_id"].values)


def indicators_for(ds: Dataset, reports: pd.DataFrame | None = None, names: list[str] | None = None) -> pd.DataFrame:
    """Indicator values (and flags) for the selected reports, indexed by report_id."""
    vals = ind.compute(ds, names).set_index("report_id")
    return vals if reports is None else vals.loc[list(reports["report_id"])]


# ------------------------------------------------------------------------------------------
# tables shown to readers
# ------------------------------------------------------------------------------------------

def formatted(vals: pd.DataFrame, names: Iterable[str], row_labels: pd.Series | None = None) -> pd.DataFrame:
    """Indicator values as display strings ('52.6%', 'n<20', '8≈'), Chinese column names."""
    names = list(names)
    out = pd.DataFrame(index=vals.index)
    for n in names:
        i = ind.get(n)
        out[i.zh] = [ind.format_value(v, i, f) for v, f in zip(vals[n], vals[f"{n}.flag"])]
    if row_labels is not None:
        out.insert(0, "报告", row_labels.reindex(out.index).values)
    return out.reset_index(drop=row_labels is not None)


def ranking(ds: Dataset, reports: pd.DataFrame, name: str) -> pd.DataFrame:
    """Reports ranked by one indicator, highest first, with numerator and denominator. Reports whose
    value is not meaningful (denominator below the minimum) or missing get no rank and come last."""
    i = ind.get(name)
    long = ind.compute_long(ds, [name]).set_index("report_id").loc[list(reports["report_id"])]
    long["报告"] = labels(reports).reindex(long.index).values
    ranked = long[long["value"].notna()].sort_values("value", ascending=False)
    ranked.insert(0, "排名", [str(k) for k in range(1, len(ranked) + 1)])
    out = pd.concat([ranked, long[long["value"].isna()].assign(排名="—")])
    out[i.zh] = [ind.format_value(v, i, f) for v, f in zip(out["value"], out["flags"])]
    cols = ["排名", "报告", i.zh]
    if i.is_ratio:
        out["分子 / 分母"] = [f"{_num(a)} / {_num(b)}" for a, b in zip(out["numerator"], out["denominator"])]
        cols.append("分子 / 分母")
    out["说明"] = [_flag_words(f, i) for f in out["flags"]]
    return out[cols + ["说明"]].reset_index(drop=True)


def _num(v: float) -> str:
    return "—" if pd.isna(v) else f"{v:,.0f}"


def _flag_words(flags: str, i: ind.Indicator) -> str:
    words = {"not_meaningful": f"分母不足 {i.min_denominator:g}，不计算", "assumed_zero": "含空白格（按 0 计）",
             "approx": "V2019 近似口径", "not_in_version": "该格式版本无可比数据", "missing": "缺数据",
             "unreadable": "单元格非数字", "check_failed": "†所用数字未通过勾稽关系"}
    return "；".join(words.get(f, f) for f in (flags or "").split(";") if f)


def notes(vals: pd.DataFrame, name: str, row_labels: pd.Series) -> pd.Series:
    """Per-unit note for charts ('分母不足 20，不计算'), indexed by display label; '' when the value is shown."""
    i = ind.get(name)
    text = [(_flag_words(f, i).split("；")[0] if pd.isna(v) else "") for v, f in zip(vals[name], vals[f"{name}.flag"])]
    return pd.Series(text, index=row_labels.reindex(vals.index).values)


def shares(vals: pd.DataFrame, names: list[str], row_labels: pd.Series,
           label_of: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Shares (%) for a stacked bar: rows = units, columns = Chinese category names; plus the
    per-unit note for units whose denominator is too small."""
    cols = {n: (label_of or {}).get(n) or ind.get(n).zh.split("：")[-1] for n in names}
    frame = vals[names].rename(columns=cols)
    frame.index = row_labels.reindex(vals.index).values
    return frame, notes(vals, names[0], row_labels)


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
    if status == "ok":
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
    ]
    return pd.DataFrame(facts, columns=["项目", "值"])


def explain(check: pd.Series | dict) -> str:
    """One failed check in words: what the report prints, by how much it is off, what that means."""
    lhs, rhs = check.get("lhs"), check.get("rhs")
    gap = f" The two sides differ by {abs(lhs - rhs):,.0f}." if pd.notna(lhs) and pd.notna(rhs) else ""
    rule = str(check.get("rule"))
    meaning = RULE_MEANING.get(rule, RULE_MEANING["N_*"] if rule.startswith("N_") else "")
    return f"{check.get('message') or ''}.{gap} {meaning}".replace("..", ".").strip()


def failed_checks(ds: Dataset, report_ids: Iterable[str]) -> pd.DataFrame:
    """Failed checks of the given reports, each explained in words; hard identities first."""
    ids = list(report_ids)
    c = ds.checks[ds.checks["report_id"].isin(ids) & (ds.checks["status"] == "fail")].copy()
    c = c.sort_values(["severity", "report_id", "rule", "scope"])  # 'error' sorts before 'warning'
    c["说明 explanation"] = [explain(row) for _, row in c.iterrows()]
    return c[["report_id", "rule", "scope", "severity", "说明 explanation"]].reset_index(drop=True)


def versus_corpus(vals_all: pd.DataFrame, report_id: str, names: list[str]) -> pd.DataFrame:
    """One report's indicators next to the corpus median (over reports where the value is meaningful)."""
    rows = []
    for n in names:
        i = ind.get(n)
        col = vals_all[n]
        v, f = col.get(report_id), vals_all[f"{n}.flag"].get(report_id, "")
        rank = int((col > v).sum() + 1) if pd.notna(v) else None
        rows.append({"name": n, "指标": i.zh, "本报告": ind.format_value(v, i, f), "语料中位数":
                     ind.format_value(col.median(), i), "可比报告数": int(col.notna().sum()),
                     "排名": f"{rank} / {int(col.notna().sum())}" if rank else "—",
                     "value": v, "median": col.median(), "note": _flag_words(f, i).split("；")[0] if pd.isna(v) else ""})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# trends
# ------------------------------------------------------------------------------------------

def series_of(reports: pd.DataFrame) -> pd.Series:
    """The publisher series each report belongs to, indexed by report_id, as a display name. A
    government is one series per division code, whatever name a year's report prints (洪泽区人民政府
    and 淮安市洪泽区人民政府 are one series, shown under the latest name); a department is its agency."""
    r = reports.set_index("report_id")
    gov = r["publisher_kind"].eq("government") & r["division_code"].notna()
    key = r["agency"].astype(str).where(~gov, "gov:" + r["division_code"].astype(str))
    latest = r.assign(key=key).sort_values("year").groupby("key")["agency"].last()
    return key.map(latest).fillna(r["agency"])


def trend(vals: pd.DataFrame, name: str, reports: pd.DataFrame) -> pd.DataFrame:
    """Long frame for a trend chart: series (publisher), year, value, note (why NaN), approx (V2019 proxy)."""
    i = ind.get(name)
    meta = reports.set_index("report_id").loc[vals.index]
    flags = vals[f"{name}.flag"].fillna("")
    return pd.DataFrame({
        "series": series_of(reports).loc[vals.index].values, "year": meta["year"].astype(int).values, "value": vals[name].values,
        "note": [(ind.format_value(v, i, f) if pd.isna(v) else "") for v, f in zip(vals[name], flags)],
        "approx": flags.str.contains("approx").values,
    }).sort_values(["series", "year"]).reset_index(drop=True)


def trend_table(vals: pd.DataFrame, names: list[str], reports: pd.DataFrame) -> pd.DataFrame:
    """Indicators (rows) by year (columns) for one publisher series or several (its name in the row)."""
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
                row[str(y)] = ind.format_value(sub.at[rid, n], i, sub.at[rid, f"{n}.flag"])
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


# ------------------------------------------------------------------------------------------
# data quality
# ------------------------------------------------------------------------------------------

def identity_summary(ds: Dataset, severity: str = "error") -> pd.DataFrame:
    """Per rule of the given severity ('error': hard identities; 'warning': cross-year, narrative,
    timeliness checks): instances evaluated, failed, skipped, reports affected, share failing."""
    c = ds.checks[ds.checks["severity"] == severity]
    t = c.groupby(["rule", "status"]).size().unstack(fill_value=0)
    for s in ("pass", "fail", "skipped"):
        if s not in t:
            t[s] = 0
    out = pd.DataFrame({"evaluated": t["pass"] + t["fail"], "failed": t["fail"], "skipped": t["skipped"]})
    out["reports with a failure"] = c[c["status"] == "fail"].groupby("rule")["report_id"].nunique().reindex(out.index).fillna(0).astype(int)
    out["share failed"] = (100 * out["failed"] / out["evaluated"].where(out["evaluated"] > 0)).map(
        lambda v: "—" if pd.isna(v) else f"{v:.1f}%")
    return out.reset_index().sort_values("failed", ascending=False).reset_index(drop=True)


def failures_by(ds: Dataset, by: str) -> pd.DataFrame:
    """Reports with at least one failed hard identity, per rule × ``by`` (a reports column: level, year…),
    as 'failed / reports'."""
    r = ds.reports.set_index("report_id")
    c = ds.checks[(ds.checks["severity"] == "error") & (ds.checks["status"] == "fail")]
    c = c.assign(key=c["report_id"].map(r[by]).fillna("—").astype(str))
    failing = c.groupby(["rule", "key"])["report_id"].nunique().unstack(fill_value=0)
    totals = r[by].fillna("—").astype(str).value_counts()
    cols = sorted(totals.index)
    failing = failing.reindex(columns=cols, fill_value=0)
    out = failing.apply(lambda col: col.astype(str) + " / " + str(totals[col.name]))
    out.columns.name = by
    return out.reset_index()


def failing_share_by_year(ds: Dataset) -> pd.DataFrame:
    """Per year: share (%) of reports with at least one failed hard identity, as a trend frame
    (series, year, value, note)."""
    r = ds.reports.dropna(subset=["year"])
    failing = set(ds.checks.loc[(ds.checks["severity"] == "error") & (ds.checks["status"] == "fail"), "report_id"])
    g = r.assign(f=r["report_id"].isin(failing)).groupby("year")["f"]
    out = pd.DataFrame({"series": "全部报告", "year": g.size().index.astype(int), "value": (100 * g.mean()).values,
                        "n": g.size().values})
    out["note"] = ""
    return out


def worst_reports(ds: Dataset, n: int = 10) -> pd.DataFrame:
    """The reports with the most failed hard identities (then most warnings)."""
    c = ds.checks[ds.checks["status"] == "fail"]
    hard = c[c["severity"] == "error"].groupby("report_id").size()
    warn = c[c["severity"] == "warning"].groupby("report_id").size()
    rules = c[c["severity"] == "error"].groupby("report_id")["rule"].apply(lambda s: ", ".join(sorted(set(s))))
    r = ds.reports.set_index("report_id")
    out = pd.DataFrame({"agency": r["agency"], "year": r["year"], "failed identities": hard.reindex(r.index).fillna(0).astype(int),
                        "failed warnings": warn.reindex(r.index).fillna(0).astype(int),
                        "rules": rules.reindex(r.index).fillna("")})
    out = out[(out["failed identities"] > 0) | (out["failed warnings"] > 0)]
    return out.sort_values(["failed identities", "failed warnings"], ascending=False).head(n).reset_index()


def low_confidence_cells(ds: Dataset, threshold: float = 0.9) -> pd.DataFrame:
    """OCR-read cells whose recognition confidence is below ``threshold``, lowest first."""
    c = ds.cells[ds.cells["confidence"].notna() & (ds.cells["confidence"] < threshold)]
    return c.sort_values("confidence")[["report_id", "cell", "label_zh", "raw", "value", "confidence", "page"]] \
        .reset_index(drop=True)


def ocr_summary(ds: Dataset, threshold: float = 0.9) -> pd.DataFrame:
    """Per reader method: cells read, OCR cells below ``threshold``."""
    c = ds.cells
    g = c.groupby(c["method"].fillna("—"))
    return pd.DataFrame({"cells": g.size(), f"confidence < {threshold:g}": g["confidence"].apply(
        lambda s: int((s < threshold).sum()))}).reset_index()


def _number(v: float) -> str:
    if pd.isna(v):
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def table(df: pd.DataFrame, caption: str | None = None) -> Any:
    """A DataFrame styled for the HTML report: no index, optional caption."""
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
