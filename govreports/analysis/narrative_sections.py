"""Two years of one publisher's narrative aligned section by section (一、总体情况 … 六、其他需要报告的事项):
which sentences were carried over, changed, added or removed, and the reuse share per section and overall.

Only real sentences count: a section heading (（三）政府信息管理情况) or a table's residue in the text layer
(（本列数据的勾稽关系为…, a run of labels and numbers) is neither prose nor reuse. For the sections that hold
a table (二, 三, 四) the table's reuse is measured too: the share of its cells printed with the same value
as the year before (cells blank or 0 in both years left out, since a zero repeated says nothing).
"""
from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest

import pandas as pd

from govreports.analysis.english import bilingual, current
from govreports.corpus.dataset import Dataset
from govreports.corpus.narrative import sentence_pairs
from govreports.schema import load_schema

SECTION_NAMES = {"": "前言 preamble", "一": "一、总体情况", "二": "二、主动公开政府信息情况",
                 "三": "三、收到和处理政府信息公开申请情况", "四": "四、政府信息公开行政复议、行政诉讼情况",
                 "五": "五、存在的主要问题及改进情况", "六": "六、其他需要报告的事项"}
SECTION_TABLE = {"二": "t2", "三": "t3", "四": "t4"}  # the section each table is printed in
SIMILAR = 0.6        # two sentences this similar (difflib ratio) are one sentence changed, not one removed and one added
HEADING_MAX = 24     # a sub-heading is short: at most this many characters after its enumerator, no comma
RESIDUE_LABELS = 3   # a "sentence" naming this many table labels is a table's text layer, not prose
RESIDUE_NUMBERS = 4  # …as is one holding a run of this many numbers with only spaces between them (a table row)

_HEADING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．])"
                      rf"[^，,：:]{{1,{HEADING_MAX}}}$")
_NUMBER_RUN = re.compile(rf"(?<![\d,.])(?:\d[\d,.]*\s+){{{RESIDUE_NUMBERS - 1},}}\d")


@lru_cache(maxsize=1)
def _table_labels() -> re.Pattern:
    """The tables' own labels (rows, columns, blocks; at least 4 characters), longest first."""
    words = {unicodedata.normalize("NFKC", w) for w in load_schema().printed_labels() if len(w) >= 4}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def is_heading(printed: str) -> bool:
    """A section or sub-section heading standing as a sentence: （三）政府信息管理情况, 二、主动公开情况."""
    return bool(_HEADING.match(unicodedata.normalize("NFKC", printed).strip().rstrip("。")))


def is_table_residue(printed: str) -> bool:
    """Text a table left in the narrative: its identity note, or a run of its labels or numbers."""
    s = unicodedata.normalize("NFKC", printed)
    return ("勾稽关系" in s or len(_table_labels().findall(s)) >= RESIDUE_LABELS
            or bool(_NUMBER_RUN.search(s)))


def real_sentences(text: str) -> list[tuple[str, str]]:
    """(normalised, as printed) for each real sentence of a narrative: no headings, no table residue."""
    return [(n, p) for n, p in sentence_pairs(text) if not is_heading(p) and not is_table_residue(p)]


def section_key(heading: str) -> str:
    """'三、收到和处理…' -> '三'; the text before the first heading -> ''."""
    m = re.match(r"\s*([一二三四五六七八九十]{1,2})\s*[、.．]", heading or "")
    return m.group(1) if m else ""


def _by_section(ds: Dataset, report_id: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """section key -> (heading as printed, its real sentences), in the report's order."""
    t = ds.texts[ds.texts["report_id"] == report_id]
    out: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for heading, text in zip(t["section"].fillna(""), t["text"].fillna("")):
        key = section_key(heading)
        head, sents = out.get(key, (heading, []))
        out[key] = (head, sents + real_sentences(text))
    return out


@dataclass
class SectionAlignment:
    """The aligned narrative: ``shares`` has one row per section plus 'overall'; ``html`` the two columns."""

    shares: pd.DataFrame
    html: str


def table_reuse(ds: Dataset, prev: str, curr: str, table: str) -> tuple[int, int]:
    """(cells printed with the same value in both years, cells compared): cells printed in both reports
    and not blank or 0 in both."""
    c = ds.cells[ds.cells["table"] == table]
    a = c[c["report_id"] == prev].set_index("cell")
    b = c[c["report_id"] == curr].set_index("cell")
    both = a.index.intersection(b.index)
    same = compared = 0
    for code in both:
        va, vb = a.at[code, "value"], b.at[code, "value"]
        if (pd.isna(va) or va == 0) and (pd.isna(vb) or vb == 0) and a.at[code, "status"] != "text" \
                and b.at[code, "status"] != "text":
            continue
        compared += 1
        same += bool(a.at[code, "status"] == b.at[code, "status"] and (va == vb or (pd.isna(va) and pd.isna(vb)))
                     and (a.at[code, "status"] != "text" or a.at[code, "raw"] == b.at[code, "raw"]))
    return same, compared


def align_sections(ds: Dataset, prev: str, curr: str, years: tuple[int, int]) -> SectionAlignment:
    """Align the narratives of reports ``prev`` and ``curr`` (years ``years``) section by section.

    A sentence of the later report counts as reused when it appears verbatim (normalised) anywhere in the
    earlier report's narrative, so the sections' reused sentences add up to the overall figure."""
    a, b = _by_section(ds, prev), _by_section(ds, curr)
    earlier = {n for _, sents in a.values() for n, _ in sents}
    tables = set(ds.cells.loc[ds.cells["report_id"].isin([prev, curr]), "table"])
    keys = [k for k in SECTION_NAMES if k in a or k in b or SECTION_TABLE.get(k) in tables]
    keys += [k for k in [*a, *b] if k not in SECTION_NAMES]
    rows, parts = [], []
    for key in dict.fromkeys(keys):
        head_a, sa = a.get(key, ("", []))
        head_b, sb = b.get(key, ("", []))
        reused = sum(n in earlier for n, _ in sb)
        same, compared = table_reuse(ds, prev, curr, SECTION_TABLE[key]) if key in SECTION_TABLE else (0, 0)
        rows.append(_share_row(key, SECTION_NAMES.get(key, head_b or head_a), years, len(sa), len(sb), reused,
                               same, compared))
        parts.append(_section_html(key, head_a, head_b, sa, sb, earlier, years))
    same = sum(r["表格相同格数 same cells"] or 0 for r in rows)
    compared = sum(r["表格比较格数 cells compared"] or 0 for r in rows)
    rows.append(_share_row("overall", "全文 overall", years, sum(len(s) for _, s in a.values()),
                           sum(len(s) for _, s in b.values()), sum(r["沿用句数 reused"] for r in rows), same, compared))
    return SectionAlignment(pd.DataFrame(rows), _STYLE + f'<div class="na">{"".join(parts)}</div>')


def _share_row(section: str, name: str, years: tuple[int, int], n_a: int, n_b: int, reused: int, same: int,
               compared: int) -> dict[str, object]:
    """One row of the shares: the sentences of both years, those reused, and the table cells compared."""
    return {"section": section, "章节": name, f"{years[0]} 句数": n_a, f"{years[1]} 句数": n_b,
            "沿用句数 reused": reused, "文字沿用率 text reuse": reused / n_b if n_b else None,
            "表格相同格数 same cells": same if compared else None,
            "表格比较格数 cells compared": compared if compared else None,
            "表格沿用率 table reuse": same / compared if compared else None}


def shares_shown(shares: pd.DataFrame) -> pd.DataFrame:
    """The per-section shares as display strings: '3 / 12 (25%)', '—' where there is nothing to count."""
    out = shares.drop(columns="section").copy()
    cols = list(out.columns)
    n_b = cols[2]
    out["文字沿用率 text reuse"] = [_share(r, n, v) for r, n, v in
                                 zip(out["沿用句数 reused"], out[n_b], out["文字沿用率 text reuse"])]
    out["表格沿用率 table reuse"] = [_share(r, n, v) for r, n, v in
                                  zip(out["表格相同格数 same cells"], out["表格比较格数 cells compared"],
                                      out["表格沿用率 table reuse"])]
    out = out.drop(columns=["沿用句数 reused", "表格相同格数 same cells", "表格比较格数 cells compared"])
    return out.astype({c: str for c in out.columns[1:3]})


def _share(part: object, whole: object, value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{int(part)} / {int(whole)} ({100 * float(value):.0f}%)"


_STYLE = ("<style>.na table{border-collapse:collapse;width:100%;table-layout:fixed;margin-bottom:1em}"
          ".na table td,.na table th{vertical-align:top;padding:.2em .5em;border-bottom:1px solid #e2e8f0;"
          "line-height:1.6;text-align:left!important}.na th{background:#edf2f7}.na ins{background:#c6f6d5;text-decoration:none}"
          ".na del{background:#fed7d7;color:#742a2a}.na .kept{color:#718096}.na .reused{color:#718096}"
          ".na td.none{background:#f7fafc}</style>")


def _section_html(key: str, head_a: str, head_b: str, sa: list[tuple[str, str]], sb: list[tuple[str, str]],
                  earlier: set[str], years: tuple[int, int]) -> str:
    """One section as a two-column table: earlier year left, later right, sentences aligned by a diff."""
    old, new = [n for n, _ in sa], [n for n, _ in sb]
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [(f'<span class="kept">{html.escape(sa[i][1])}。</span>',
                      f'<span class="kept">{html.escape(sb[j][1])}。</span>') for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        left, right = list(range(i1, i2)), list(range(j1, j2))
        while left and right and difflib.SequenceMatcher(a=old[left[0]], b=new[right[0]], autojunk=False).ratio() >= SIMILAR:
            i, j = left.pop(0), right.pop(0)
            rows.append(_changed(sa[i][1], sb[j][1]))
        gone = [f"<del>{html.escape(sa[i][1])}。</del>" for i in left]
        came = [f'<span class="reused">{html.escape(sb[j][1])}。</span>（移自他节 moved）' if new[j] in earlier
                else f"<ins>{html.escape(sb[j][1])}。</ins>" for j in right]
        rows += list(zip_longest(gone, came, fillvalue=""))  # removed and added side by side, in order
    title = SECTION_NAMES.get(key) or head_b or head_a
    title = html.escape(str(bilingual(title) if current() == "en" else title))
    if not rows:
        also = "; its table is compared above" if key in SECTION_TABLE else ""
        body = f'<tr><td class="none" colspan="2">（两年均无叙述句子 no sentences in either year{also}）</td></tr>'
    else:
        body = "".join(f'<tr><td{"" if l else " class=none"}>{l}</td><td{"" if r else " class=none"}>{r}</td></tr>'
                       for l, r in rows)
    return (f'<h4>{title}</h4><table class="nosort"><thead><tr><th>{years[0]}</th><th>{years[1]}</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _changed(a: str, b: str) -> tuple[str, str]:
    """One changed sentence in both columns: removed characters struck through left, added ones green right."""
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(html.escape(a[i1:i2]))
            right.append(html.escape(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{html.escape(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{html.escape(b[j1:j2])}</ins>")
    return "".join(left) + "。", "".join(right) + "。"
