"""Two reports of one publisher side by side: both years' tables in full and each cell's change, the figures
the text states against the tables, the checks each year fails and those between them as arithmetic, and the
indicators of both years with their difference. The narrative aligned by section is narrative_sections'."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govreports import indicators as ind
from govreports.analysis.checks import explain
from govreports.analysis.compare_regions import OUTCOME_LABELS
from govreports.analysis.english import for_page
from govreports.analysis.formatting import _number, original_link
from govreports.analysis.report_card import _show, _t3_label
from govreports.analysis.selection import as_years, publisher_of, select, years_by_publisher
from govreports.corpus.dataset import Dataset
from govreports.longrun import AcrossBreak, compare_reports, longrun_frame
from govreports.schema import load_schema

# Table 二 concepts that changed in 2021 (format.md §2.3): a V2019 column and its V2021 near-equivalent.
T2_NEAR = {"new_made": "issued"}
LARGE_FACTOR = 3   # a change larger than 3 × the publisher's typical year-on-year change is marked
LARGE_MIN = 10     # …and never a change smaller than this (a few applications more is not news)


class NothingToCompare(Exception):
    """The publisher has fewer than two reports; the message says so and lists those that have two."""


@dataclass
class Pair:
    publisher: str
    prev: str   # report_id of the earlier year
    curr: str   # report_id of the later year
    years: tuple[int, int]
    history: list[str]  # every report_id of the publisher, by year


def pick_pair(ds: Dataset, agency: str | None = None, years: object = None) -> Pair:
    """The two reports to compare: ``agency`` (substring of the publisher or agency; default the publisher
    with the most years) and ``years`` (two years; default its last two). Raises NothingToCompare for a
    publisher with one report, ValueError (listing the years available) for years it has no report of."""
    per = years_by_publisher(ds.reports)
    two = [p for p in per.index if len(per[p]) >= 2]
    if agency is None:
        if not two:
            raise NothingToCompare("no publisher in this dataset has two reports, so there is nothing to compare")
        name = two[0]
    else:
        names = sorted(set(publisher_of(select(ds, agencies=agency, agencies_param="agency"))))
        if len(names) > 1:
            raise ValueError(f"agency: {agency!r} matches {len(names)} publishers ({', '.join(names)}); name one")
        name = names[0]
    have = per[name]
    if len(have) < 2:
        listed = ", ".join(f"{p} ({len(per[p])})" for p in two) or "none"
        raise NothingToCompare(f"{name} has one report ({have[0]}); publishers with two or more: {listed}")
    wanted = as_years(years) or have[-2:]
    missing = [y for y in wanted if y not in have]
    if missing or len(wanted) != 2:
        what = f"years: {missing[0]} matches no report of {name}" if missing else f"years: give two years, not {wanted}"
        raise ValueError(f"{what}; available: {have}")
    reports = ds.reports[publisher_of(ds.reports).eq(name)].sort_values("year")
    rid = dict(zip(reports["year"].astype(int), reports["report_id"]))
    return Pair(name, rid[wanted[0]], rid[wanted[1]], (wanted[0], wanted[1]), list(reports["report_id"]))


def _values(ds: Dataset, rid: str) -> pd.DataFrame:
    return ds.cells[ds.cells["report_id"] == rid].set_index("cell")


def _label(code: str) -> tuple[str, str]:
    s = load_schema()
    row, col = code.split("#")
    if row.startswith("t2."):
        return s.t2_rows[row[3:]].zh, s.t2_columns[col].zh
    if row.startswith("t3."):
        spec = next(r for r in s.t3_rows if r.code == row)
        return _t3_label(spec, s), s.t3_columns[col].zh
    return s.t4_blocks[row[3:]]["zh"], s.t4_columns[col]["zh"]


def _typical_change(ds: Dataset, history: list[str], code: str, skip: tuple[str, str]) -> float | None:
    """Median absolute year-on-year change of one cell over the publisher's other consecutive reports."""
    c = ds.cells[ds.cells["report_id"].isin(history) & (ds.cells["cell"] == code)]
    year = ds.reports.set_index("report_id")["year"]
    by_year = dict(zip(c["report_id"].map(year).astype(int), c["value"].fillna(0)))
    skip_year = int(year[skip[1]])
    steps = [abs(by_year[y] - by_year[y - 1]) for y in sorted(by_year) if y - 1 in by_year and y != skip_year]
    return float(np.median(steps)) if len(steps) >= 2 else None


def side_by_side(ds: Dataset, pair: Pair, table: str) -> pd.DataFrame:
    """One table of both reports, one row per cell printed in either: both years' values as printed
    (blank, dash, slash shown as printed), the change and the percentage change, and a mark (▲/▼) where
    the change is large against the publisher's own history. Cells blank or 0 in both years are left out.
    Table 二 across the 2021 format change keeps only the concepts both formats share."""
    a, b = _values(ds, pair.prev), _values(ds, pair.curr)
    a, b = a[a["table"] == table], b[b["table"] == table]
    codes = list(dict.fromkeys([*a.index, *b.index]))
    pairs = [(c, c) for c in codes]
    if table == "t2":
        pairs = [(c, c) for c in codes if c in a.index and c in b.index]
        swap = {**T2_NEAR, **{v: k for k, v in T2_NEAR.items()}}
        for ca in a.index:
            row, col = ca.split("#")
            cb = f"{row}#{swap.get(col)}"
            if col in swap and cb in b.index and ca not in b.index:
                pairs.append((ca, cb))
    rows = []
    for ca, cb in pairs:
        va, sa, ra = _cell(a, ca)
        vb, sb, rb = _cell(b, cb)
        if (va or 0) == 0 and (vb or 0) == 0 and sa in ("ok", "blank", "dash", "slash", None) and \
                sb in ("ok", "blank", "dash", "slash", None):
            continue
        row_zh, col_zh = _label(cb)
        delta = (vb or 0) - (va or 0) if sa in ("ok", "blank", "dash", "slash") and sb in ("ok", "blank", "dash", "slash") else None
        pct = None if delta is None or not va else 100 * delta / va
        typical = _typical_change(ds, pair.history, cb, (pair.prev, pair.curr)) if delta else None
        large = delta is not None and abs(delta) >= LARGE_MIN and (
            abs(delta) > LARGE_FACTOR * typical if typical is not None else abs(delta) >= 0.5 * max(abs(va or 0), abs(vb or 0)))
        rows.append({"项目": row_zh + ("" if ca == cb else "（≈ 近似口径）"), "栏目": col_zh,
                     str(pair.years[0]): _show(va, sa, ra) if sa else "（未列）",
                     str(pair.years[1]): _show(vb, sb, rb) if sb else "（未列）",
                     "变化": "—" if delta is None else f"{delta:+,.0f}" if float(delta).is_integer() else f"{delta:+,.2f}",
                     "变化率": "—" if pct is None else f"{pct:+.0f}%", "": ("▲" if delta > 0 else "▼") if large else ""})
    return pd.DataFrame(rows, columns=["项目", "栏目", str(pair.years[0]), str(pair.years[1]), "变化", "变化率", ""])


def _cell(frame: pd.DataFrame, code: str) -> tuple[float | None, str | None, object]:
    if code not in frame.index:
        return None, None, None
    r = frame.loc[code]
    v = r["value"]
    return (None if pd.isna(v) else float(v)), r["status"], r["raw"]


def t2_note(ds: Dataset, pair: Pair) -> str:
    """What table 二's comparison can join, in one sentence, when the two reports use different formats."""
    lay = ds.reports.set_index("report_id")["t2_layout"]
    la, lb = lay.get(pair.prev), lay.get(pair.curr)
    if la == lb:
        return ""
    return (f"Table 二 changed format between the two reports ({la} → {lb}): only the decisions (处理决定数量), which "
            "mean the same in both, are compared as printed; 本年新制作数量 is set against 本年制发件数 as a near-equivalent "
            "(≈), and 对外公开总数量 / 现行有效件数, which count different things, are not joined.")


def checks_of(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """The hard identities each report fails, explained, with the year."""
    year = ds.reports.set_index("report_id")["year"]
    c = ds.checks[ds.checks["report_id"].isin([pair.prev, pair.curr]) & (ds.checks["severity"] == "error")
                  & (ds.checks["status"] == "fail")]
    out = c.assign(年度=c["report_id"].map(year).astype(int)).sort_values(["年度", "rule", "scope"])
    out["说明 explanation"] = [explain(r) for _, r in out.iterrows()]
    return out[["年度", "rule", "scope", "说明 explanation"]].reset_index(drop=True)


def outcome_mix(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """Table 三's outcomes (（一）–（六）, 总计 column) of both years: counts, one row per year."""
    vals = ind.compute(ds, ind.OUTCOMES).set_index("report_id").loc[[pair.prev, pair.curr]]
    frame = vals[ind.OUTCOMES].rename(columns=OUTCOME_LABELS)
    frame.index = [str(y) for y in pair.years]
    return frame


VOLUMES = {"本年新收申请": ("t3.r1#c7",), "上年结转": ("t3.r2#c7",), "办理结果总计": ("t3.r3.7#c7",),
           "结转下年度": ("t3.r4#c7",), "行政复议": ("t4.b1#c5",), "行政诉讼": ("t4.b2#c5", "t4.b3#c5")}


def volumes(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """The main volumes of both years (rows: 新收, 结转, 办结, 复议, 诉讼; columns: the two years); blank
    cells count as 0, cells not printed stay empty."""
    w = ds.wide.loc[[pair.prev, pair.curr]]
    out = {}
    for name, codes in VOLUMES.items():
        have = [c for c in codes if c in w.columns]
        out[name] = w[have].fillna(0).sum(axis=1).where(w[have].notna().any(axis=1)) if have else pd.Series(
            np.nan, index=w.index)
    frame = pd.DataFrame(out).T
    frame.columns = [str(y) for y in pair.years]
    return frame


def facts(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """Both reports' agency as printed, division, formats, hard identities and narrative shares."""
    r = ds.reports.set_index("report_id").loc[[pair.prev, pair.curr]]
    hard = ds.checks[ds.checks["severity"] == "error"]
    rows = {"机关（印刷名称）agency as printed": r["agency"], "行政区划 division": r["division_code"],
            "表二格式 table 二 format": r["t2_layout"], "（六）其他处理 layout": r["t3_r3_6"],
            "勾稽关系未通过 failed identities": [int(((hard["report_id"] == i) & (hard["status"] == "fail")).sum())
                                            for i in r.index],
            "叙述沿用上年 narrative reuse": [_pct(v) for v in r["narrative_reuse"]],
            "叙述模板化 template share": [_pct(v) for v in r["template_share"]], "文件 file": r["file"],
            "原文 original": [original_link(u) for u in r["url"]], "sha256": r["sha256"]}
    out = pd.DataFrame({k: list(v) for k, v in rows.items()}, index=[str(y) for y in pair.years]).T
    return out.rename_axis("项目").reset_index().astype(str)


def _pct(v: object) -> str:
    return "—" if v is None or pd.isna(v) else f"{100 * float(v):.0f}%"


# ---- both years' tables in full, in the printed layout -------------------------------------------------

TABLE_ZH = {"t2": "表二", "t3": "表三", "t4": "表四"}


@dataclass
class PrintedPair:
    """One table of both reports in the printed layout: ``frame`` has the row label then, per printed
    column, the two years' cells as printed; ``changed`` marks (same shape) the cells whose value differs;
    ``separate`` holds each year's own table instead when the two use different formats (table 二 across 2021),
    ``separate_changed`` marks there the cells both formats print whose value changed."""

    table: str
    years: tuple[int, int]
    frame: pd.DataFrame
    changed: pd.DataFrame
    separate: tuple[pd.DataFrame, pd.DataFrame] | None = None
    separate_changed: tuple[pd.DataFrame, pd.DataFrame] | None = None


def _layout(ds: Dataset, rid: str, table: str) -> tuple[list[str], list[str], dict[str, str], dict[str, tuple]]:
    """Rows and columns a report prints for a table (codes, schema order), their labels, and its cells."""
    s = load_schema()
    cells = ds.cells[(ds.cells["report_id"] == rid) & (ds.cells["table"] == table)]
    got = {c: (None if pd.isna(v) else float(v), st, raw) for c, v, st, raw in
           zip(cells["cell"], cells["value"], cells["status"], cells["raw"])}
    printed_rows = {c.split("#")[0] for c in got}
    printed_cols = {c.split("#")[1] for c in got}
    if table == "t3":
        rows = [r.code for r in s.t3_rows if r.code in printed_rows]
        labels = {r.code: _t3_label(r, s) for r in s.t3_rows}
        cols = [c for c in s.t3_columns if c in printed_cols]
        labels.update({c: s.t3_columns[c].zh for c in s.t3_columns})
    elif table == "t4":
        rows = [f"t4.{b}" for b in s.t4_blocks if f"t4.{b}" in printed_rows]
        labels = {f"t4.{b}": s.t4_blocks[b]["zh"] for b in s.t4_blocks}
        cols = [c for c in s.t4_columns if c in printed_cols]
        labels.update({c: s.t4_columns[c]["zh"] for c in s.t4_columns})
    else:
        rows = [f"t2.{r}" for r in s.t2_rows if f"t2.{r}" in printed_rows]
        labels = {f"t2.{r}": s.t2_rows[r].zh for r in s.t2_rows}
        cols = [c for c in s.t2_columns if c in printed_cols]
        labels.update({c: s.t2_columns[c].zh for c in s.t2_columns})
    return rows, cols, labels, got


def _shown_cell(got: dict[str, tuple], code: str) -> str:
    if code not in got:
        return ""
    v, st, raw = got[code]
    return _show(v, st, raw)


def printed_pair(ds: Dataset, pair: Pair, table: str) -> PrintedPair:
    """Table 二, 三 or 四 of both years in full, in the printed layout (rows and columns in the format's
    order, blank / dash / slash as printed, never 0), each column's two years side by side, with the
    cells whose value changed marked. A row or column printed in one year only is kept ('（未列）' in
    the other); two different table-二 formats are shown as each year's own table."""
    ra, ca, labels, ga = _layout(ds, pair.prev, table)
    rb, cb, _, gb = _layout(ds, pair.curr, table)
    y0, y1 = (str(y) for y in pair.years)
    head = {"t2": "信息内容", "t3": "项目", "t4": "类别"}[table]
    layout = ds.reports.set_index("report_id")["t2_layout"]
    if table == "t2" and layout.get(pair.prev) != layout.get(pair.curr):
        own, marks = [], []
        for rows, cols, got, y in ((ra, ca, ga, y0), (rb, cb, gb, y1)):
            f = pd.DataFrame([[_shown_cell(got, f"{r}#{c}") for c in cols] for r in rows],
                             columns=pd.MultiIndex.from_tuples([(labels[c], y) for c in cols]))
            f.insert(0, (head, ""), [labels[r] for r in rows])
            own.append(f)
            # a cell both formats print (处理决定数量) is compared: marked in both tables when it changed
            marks.append(pd.DataFrame([[False] + [f"{r}#{c}" in ga and f"{r}#{c}" in gb and _differs(
                ga[f"{r}#{c}"], gb[f"{r}#{c}"]) for c in cols] for r in rows], columns=f.columns))
        return PrintedPair(table, pair.years, pd.DataFrame(), pd.DataFrame(), (own[0], own[1]), (marks[0], marks[1]))
    rows, cols = _union_order(ra, rb), _union_order(ca, cb)
    data, changed = [], []
    for r in rows:
        line, marks = [labels[r]], [False]
        for c in cols:
            code = f"{r}#{c}"
            if code not in ga and code not in gb:
                line += ["", ""]
                marks += [False, False]
                continue
            a = _shown_cell(ga, code) if code in ga else "（未列）"
            b = _shown_cell(gb, code) if code in gb else "（未列）"
            line += [a, b]
            diff = _differs(ga.get(code), gb.get(code))
            marks += [diff, diff]
        data.append(line)
        changed.append(marks)
    columns = pd.MultiIndex.from_tuples([(head, "")] + [(labels[c], y) for c in cols for y in (y0, y1)])
    return PrintedPair(table, pair.years, pd.DataFrame(data, columns=columns), pd.DataFrame(changed, columns=columns))


def _union_order(a: list[str], b: list[str]) -> list[str]:
    """Codes of both lists, each list's order kept (both follow the schema's order)."""
    out = list(a)
    for i, code in enumerate(b):
        if code not in out:
            before = [x for x in b[:i] if x in out]
            out.insert(out.index(before[-1]) + 1 if before else 0, code)
    return out


def _differs(a: tuple | None, b: tuple | None) -> bool:
    """Two printed cells differ: another value, or another status (blank → 0, a number → text)."""
    if a is None or b is None:
        return a is not b
    (va, sa, raw_a), (vb, sb, raw_b) = a, b
    if sa == "text" or sb == "text":
        return (sa, str(raw_a)) != (sb, str(raw_b))
    return (va or 0) != (vb or 0) or (sa != sb and "ok" in (sa, sb) and (va or vb))


def printed_pair_html(pp: PrintedPair) -> str:
    """The printed pair as one HTML table: a header row per column with its two years below, changed
    cells highlighted (green when the later year is higher, red when lower, yellow otherwise)."""
    if pp.separate is not None:
        a, b = pp.separate
        ma, mb = pp.separate_changed
        values = [{(str(f.iat[i, 0]), f.columns[j][0]): f.iat[i, j] for i in range(len(f)) for j in range(1, f.shape[1])}
                  for f in (a, b)]
        inner = ""
        for f, m in ((a, ma), (b, mb)):  # a changed cell gets the direction from the earlier year to the later
            classes = pd.DataFrame([[("chg " + _direction(str(values[0].get(k, "")), str(values[1].get(k, ""))))
                                     if m.iat[i, j] else "" for j in range(f.shape[1])
                                     for k in [(str(f.iat[i, 0]), f.columns[j][0])]] for i in range(len(f))])
            inner += f'<div class="pp-one">{_plain_html(for_page(f), classes)}</div>'
        return f'{_PP_STYLE}<div class="pp-two">{inner}</div>'
    frame = for_page(pp.frame)
    cols = list(frame.columns)
    tops = list(dict.fromkeys(c[0] for c in cols[1:]))
    head1 = f'<th rowspan="2">{html.escape(cols[0][0])}</th>' + "".join(
        f'<th colspan="2">{html.escape(t)}</th>' for t in tops)
    head2 = "".join(f"<th>{html.escape(c[1])}</th>" for c in cols[1:])
    body = []
    for i in range(len(frame)):
        cells = [f'<th class="lab">{html.escape(str(frame.iat[i, 0]))}</th>']
        for j in range(1, len(cols), 2):
            a, b = pp.frame.iat[i, j], pp.frame.iat[i, j + 1]
            cls = ""
            if pp.changed.iat[i, j]:
                cls = ' class="chg ' + _direction(a, b) + '"'
            cells += [f"<td{cls}>{html.escape(str(a))}</td>", f"<td{cls}>{html.escape(str(b))}</td>"]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'{_PP_STYLE}<table class="pp nosort"><thead><tr>{head1}</tr><tr>{head2}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _direction(a: str, b: str) -> str:
    def num(x: str) -> float | None:
        try:
            return float(x.replace(",", ""))
        except ValueError:
            return None
    na, nb = num(a), num(b)
    if na is None or nb is None:
        return "other"
    return "up" if nb > na else "down"


def _plain_html(frame: pd.DataFrame, classes: pd.DataFrame) -> str:
    """One year's own table (its own format), each cell with its class from ``classes`` (same shape)."""
    cols = list(frame.columns)
    year = cols[1][1] if len(cols) > 1 else ""
    head = f"<tr><th>{html.escape(cols[0][0])}</th>" + "".join(f"<th>{html.escape(c[0])}</th>" for c in cols[1:]) + "</tr>"
    rows = []
    for i in range(len(frame)):
        cells = [f'<th class="lab">{html.escape(str(frame.iat[i, 0]))}</th>']
        for j in range(1, len(cols)):
            cls = f' class="{classes.iat[i, j]}"' if classes.iat[i, j] else ""
            cells.append(f"<td{cls}>{html.escape(str(frame.iat[i, j]))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="pp nosort"><caption>{html.escape(year)}</caption><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


_PP_STYLE = ("<style>table.pp{border-collapse:collapse;font-size:12px;margin:.5em 0 1em}"
             "table.pp th,table.pp td{border:1px solid #cbd5e0;padding:2px 5px;text-align:right}"
             "table.pp thead th{background:#edf2f7;text-align:center}table.pp th.lab{text-align:left;font-weight:normal;min-width:14em;"
             "max-width:22em}table.pp td.chg.up{background:#c6f6d5}table.pp td.chg.down{background:#fed7d7}"
             "table.pp td.chg.other{background:#fefcbf}table.pp caption{font-weight:bold;text-align:left}"
             ".pp-two{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
             "@media print{table.pp{font-size:7.5pt}table.pp th.lab{min-width:13em;max-width:16em}"
             "table.pp td,table.pp th{padding:1px 2px}table.pp td.chg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
             "</style>")


# ---- narrative against the tables, stock checks as arithmetic, indicators with their difference ----------

def _cell_label(code: str) -> str:
    """'t4.b1#c5' -> '表四 行政复议 总计'."""
    row, col = _label(code)
    return f"{TABLE_ZH[code[:2]]} {row} {col}"


def narrative_mismatches(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """Every figure the text of either report states that its own tables contradict, quoted from both
    sides: 正文 “…行政复议案件134件…” 134 ↔ 表四 行政复议 总计 170 (checks/narrative's failed N_* checks)."""
    year = ds.reports.set_index("report_id")["year"]
    c = ds.checks[ds.checks["report_id"].isin([pair.prev, pair.curr]) & ds.checks["rule"].astype(str).str.startswith("N_")
                  & (ds.checks["status"] == "fail")]
    rows = []
    for _, r in c.iterrows():
        quote = re.search(r"正文“(.*?)”称", str(r["message"]))
        codes = [x for x in str(r["cells"] or "").split() if "#" in x]
        percent = "/" in str(r["scope"])
        sides = " + ".join(_cell_label(x) for x in (codes[:-1] if percent else codes))
        if percent:
            sides = f"（{sides}）÷ {_cell_label(codes[-1])}"
        rows.append({"年度": int(year[r["report_id"]]), "正文 text": f"“{quote.group(1) if quote else r['message']}”",
                     "正文数字 stated": _number(r["lhs"]) + ("%" if percent else ""),
                     "↔": "↔", "表格 table": sides, "表格数字 table value": _number(r["rhs"]) + ("%" if percent else ""),
                     "rule": r["rule"], "说明 note": _alternative(str(r["message"]))})
    return pd.DataFrame(rows, columns=["年度", "正文 text", "正文数字 stated", "↔", "表格 table", "表格数字 table value",
                                       "rule", "说明 note"]).sort_values(["年度", "rule"]).reset_index(drop=True)


def _alternative(message: str) -> str:
    """The other reading the narrative check found for a stated figure ('正文数字等于 t3.r1#c7+t3.r2#c7 = 74 + 1
    = 75，可能包含上年结转申请'), with the cells named; '' when there is none."""
    m = re.search(r"；正文数字等于 (\S+) = (.*)$", message)
    if not m:
        return ""
    return " + ".join(_cell_label(c) for c in m.group(1).split("+")) + " = " + m.group(2)


# The terms of each cross-year rule, in the order of its ``cells`` (format '<year>:<code>'): the first is the
# printed value checked, the others are summed with these signs.
STOCK_TERMS = {"X_T2_IN_FORCE": ("+", "+", "−"), "X_T2_ITEMS": ("+", "+"), "X_CARRY": ("+",)}


def stock_arithmetic(ds: Dataset, pair: Pair, failed_only: bool = False) -> pd.DataFrame:
    """The cross-year checks between the two reports as arithmetic on printed cells, e.g.
    '2022年 现行有效件数 698 + 2023年 本年制发件数 77 − 2023年 本年废止件数 132 = 643' against the printed
    '2023年 现行有效件数 470'. Empty when the years are not consecutive (the checks link consecutive reports)."""
    checks = ds.checks[(ds.checks["report_id"] == pair.curr) & ds.checks["rule"].isin(list(STOCK_TERMS))]
    if pair.years[1] - pair.years[0] != 1:
        checks = checks.iloc[0:0]
    if failed_only:
        checks = checks[checks["status"] == "fail"]
    years = ds.reports.set_index("report_id").loc[pair.history, "year"]
    rid_of = {int(y): r for r, y in zip(pair.history, years)}
    values = ds.cells[ds.cells["report_id"].isin(pair.history)].set_index(["report_id", "cell"])["value"]
    rows = []
    for _, r in checks.iterrows():
        terms = str(r["cells"] or "").split()
        if len(terms) != len(STOCK_TERMS[r["rule"]]) + 1:
            continue
        parts = []
        for sign, term in zip(STOCK_TERMS[r["rule"]], terms[1:]):
            text = f"{_term_label(term)} {_term_value(values, rid_of, term)}"
            parts.append(text if not parts else f"{sign} {text}")
        printed = f"{_term_label(terms[0])} {_term_value(values, rid_of, terms[0])}"
        ok = r["status"] == "pass"
        what = _label(terms[0].split(":", 1)[1])[0 if r["rule"] != "X_CARRY" else 1]
        arithmetic = " ".join(parts) + (f" = {_number(r['rhs'])}" if len(parts) > 1 else "")
        rows.append({"rule": r["rule"], "项目 item": what, "算式 arithmetic": arithmetic,
                     "印刷值 printed": printed, "结果 result": "✓ 一致" if ok else
                     ("✗ 不一致 " + f"（差 {_number(float(r['lhs']) - float(r['rhs']))}）" if pd.notna(r["lhs"]) else "跳过 skipped")})
    return pd.DataFrame(rows, columns=["rule", "项目 item", "算式 arithmetic", "印刷值 printed", "结果 result"])


def _term_label(term: str) -> str:
    year, code = term.split(":", 1)
    row, col = _label(code)
    return f"{year}年 {col}" if code.startswith("t2.") else f"{year}年 {row} {col}"


def _term_value(values: pd.Series, rid_of: dict[int, str], term: str) -> str:
    year, code = term.split(":", 1)
    v = values.get((rid_of.get(int(year)), code))
    return "（未列）" if v is None and (rid_of.get(int(year)), code) not in values.index else _number(0 if pd.isna(v) else v)


def indicator_change(ds: Dataset, pair: Pair, names: list[str] | None = None) -> pd.DataFrame:
    """Each indicator of both years (with its 95% interval), the difference and, for shares, the 95%
    interval of the difference (Newcombe's hybrid score method, from the two Wilson intervals). Counts and
    rates per 100 or per 10,000 are not samples, so their difference has no interval."""
    names = names or [i.name for i in ind.INDICATORS if i.group not in ("refusal_mix", "unable_mix")]
    long = ind.compute_long(ds, names)
    long = long[long["report_id"].isin([pair.prev, pair.curr])].set_index(["indicator", "report_id"])
    rows = []
    for n in names:
        i = ind.get(n)
        a, b = (long.loc[(n, rid)] if (n, rid) in long.index else None for rid in (pair.prev, pair.curr))
        if a is None or b is None:
            continue
        shown = [ind.format_value(x["value"], i, x["flags"] or "", x["ci_low"], x["ci_high"]) for x in (a, b)]
        diff = b["value"] - a["value"] if pd.notna(a["value"]) and pd.notna(b["value"]) else None
        lo = hi = None
        if diff is not None and i.is_share and pd.notna(a["ci_low"]) and pd.notna(b["ci_low"]):
            lo, hi = newcombe(a["value"], a["ci_low"], a["ci_high"], b["value"], b["ci_low"], b["ci_high"])
        unit = " 点" if i.unit == "%" else ""
        rows.append({"name": n, "指标 indicator": i.zh, "indicator": i.en, str(pair.years[0]): shown[0],
                     str(pair.years[1]): shown[1],
                     "差 difference": "—" if diff is None else f"{diff:+,.1f}{unit}" if not float(diff).is_integer() or i.unit == "%"
                     else f"{diff:+,.0f}",
                     "差的95%区间 interval": "—" if lo is None else f"{lo:+.1f} … {hi:+.1f}",
                     "显著 clear": "" if lo is None else ("是 yes" if lo > 0 or hi < 0 else "否 no"),
                     "value_prev": a["value"], "value_curr": b["value"], "diff": diff, "lo": lo, "hi": hi})
    return pd.DataFrame(rows)


def newcombe(p1: float, l1: float, u1: float, p2: float, l2: float, u2: float) -> tuple[float, float]:
    """95% interval of p2 − p1 from each share's Wilson interval (Newcombe 1998, method 10), same unit."""
    d = p2 - p1
    return (d - ((p2 - l2) ** 2 + (u1 - p1) ** 2) ** 0.5, d + ((u2 - p2) ** 2 + (p1 - l1) ** 2) ** 0.5)


# --- Across a format break (pre-2019 → 2019 → 2021): the long-run crosswalk, govreports/longrun.py ---

def across_break(ds: Dataset, pair: Pair) -> AcrossBreak:
    """The long-run indicators both reports share, with both values, and those left out as not comparable
    between their formats, with the reason; ``note`` is empty when both reports use the same format."""
    return compare_reports(longrun_frame(ds), pair.prev, pair.curr, pair.years)
