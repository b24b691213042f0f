"""Two reports of one publisher side by side: each table's printed values with the change, the checks
each year fails and those between them, and what the narrative kept, changed, added and removed."""
from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govreports.analysis.checks import explain
from govreports.analysis.report_card import _show, _t3_label
from govreports.analysis.selection import as_years, publisher_of, select, years_by_publisher
from govreports.corpus.dataset import Dataset
from govreports.corpus.narrative import sentence_pairs
from govreports.longrun import AcrossBreak, compare_reports, longrun_frame
from govreports.schema import load_schema

# Table 二 concepts that changed in 2021 (format.md §2.3): a V2019 column and its V2021 near-equivalent.
T2_NEAR = {"new_made": "issued"}
LARGE_FACTOR = 3   # a change larger than 3 × the publisher's typical year-on-year change is marked
LARGE_MIN = 10     # …and never a change smaller than this (a few applications more is not news)
SIMILAR = 0.6      # two sentences this similar (difflib ratio) are one sentence changed, not one removed and one added


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


def cross_year(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """The cross-year checks between the two reports (X_CARRY per column, X_T2_IN_FORCE …), pass or fail;
    empty when the years are not consecutive (the checks link consecutive reports only)."""
    if pair.years[1] - pair.years[0] != 1:
        return pd.DataFrame(columns=["rule", "scope", "status", "lhs", "rhs", "说明 explanation"])
    c = ds.checks[(ds.checks["report_id"] == pair.curr) & ds.checks["rule"].astype(str).str.startswith("X_")]
    c = c.sort_values(["status", "rule", "scope"])
    out = c.assign(**{"说明 explanation": [explain(r) if r["status"] == "fail" else (r["message"] or "")
                                         for _, r in c.iterrows()]})
    return out[["rule", "scope", "status", "lhs", "rhs", "说明 explanation"]].reset_index(drop=True)


@dataclass
class NarrativeDiff:
    kept: int
    changed: int
    added: int
    removed: int
    copied_share: float | None  # share of this year's sentences found verbatim in last year's
    html: str


def narrative_diff(ds: Dataset, pair: Pair) -> NarrativeDiff:
    """Sentence-level diff of the two narratives (texts table): kept verbatim, changed, added, removed,
    as HTML with additions in green and removals struck through."""
    texts = ds.texts.groupby("report_id")["text"].apply(lambda t: "。".join(t))
    old_pairs, new_pairs = sentence_pairs(texts.get(pair.prev, "")), sentence_pairs(texts.get(pair.curr, ""))
    old, new = [n for n, _ in old_pairs], [n for n, _ in new_pairs]
    shown_old, shown_new = [p for _, p in old_pairs], [p for _, p in new_pairs]
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    kept = changed = added = removed = 0
    parts = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            kept += i2 - i1
            parts += [f'<p class="kept">{html.escape(s)}。</p>' for s in shown_new[j1:j2]]
            continue
        a, b = list(range(i1, i2)), list(range(j1, j2))
        while a and b and difflib.SequenceMatcher(a=old[a[0]], b=new[b[0]], autojunk=False).ratio() >= SIMILAR:
            changed += 1
            parts.append(f"<p>{_changed(shown_old[a.pop(0)], shown_new[b.pop(0)])}</p>")
        removed += len(a)
        added += len(b)
        parts += [f"<p><del>{html.escape(shown_old[k])}。</del></p>" for k in a]
        parts += [f"<p><ins>{html.escape(shown_new[k])}。</ins></p>" for k in b]
    last = set(old)
    share = sum(s in last for s in new) / len(new) if new else None
    style = ("<style>.nd ins{background:#c6f6d5;text-decoration:none}.nd del{background:#fed7d7;color:#742a2a}"
             ".nd .kept{color:#718096}.nd p{margin:.25em 0;line-height:1.7}</style>")
    body = f'{style}<div class="nd">{"".join(parts) or "<p>（两年均无叙述文字）</p>"}</div>'
    return NarrativeDiff(kept, changed, added, removed, share, body)


def _changed(a: str, b: str) -> str:
    """One changed sentence: characters removed struck through, characters added in green."""
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(html.escape(b[j1:j2]))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(a[i1:i2])}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(b[j1:j2])}</ins>")
    return "".join(out) + "。"


def outcome_mix(ds: Dataset, pair: Pair) -> pd.DataFrame:
    """Table 三's outcomes (（一）–（六）, 总计 column) of both years: counts, one row per year."""
    from govreports import indicators as ind
    from govreports.analysis.compare_regions import OUTCOME_LABELS

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
            "叙述模板化 template share": [_pct(v) for v in r["template_share"]], "文件 file": r["file"]}
    out = pd.DataFrame({k: list(v) for k, v in rows.items()}, index=[str(y) for y in pair.years]).T
    return out.rename_axis("项目").reset_index().astype(str)


def _pct(v: object) -> str:
    return "—" if v is None or pd.isna(v) else f"{100 * float(v):.0f}%"


# --- Across a format break (pre-2019 → 2019 → 2021): the long-run crosswalk, govreports/longrun.py ---

def across_break(ds: Dataset, pair: Pair) -> AcrossBreak:
    """The long-run indicators both reports share, with both values, and those left out as not comparable
    between their formats, with the reason; ``note`` is empty when both reports use the same format."""
    return compare_reports(longrun_frame(ds), pair.prev, pair.curr, pair.years)
