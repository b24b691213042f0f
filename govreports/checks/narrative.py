"""Narrative checks (format.md §6.4): figures the report's running text states, against its tables.

Conservative by design: a number is only taken from a clause that names what it counts in the terms
of the tables (政府信息公开申请, 上年结转 申请, 因政府信息公开 行政复议 …), never from a nearby
number about something else (12345 热线受理诉求 28822 件). Every result is a warning whose message
quotes the sentence; a stated figure whose table cells are missing is recorded as ``skipped``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import cn2an
from opencc import OpenCC


# Characters that only occur in traditional script (a mirror page): convert those pages to simplified.
_TRADITIONAL = re.compile("[規範檔總計與處務區縣經濟權開關數據應號辦發書會機構訴訟複議結轉營個這為單請]")
_CN = "零〇一二两三四五六七八九十百千万"
_NUM = rf"(?<![\d{_CN}])(?<!\d\.)(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|[{_CN}]+)"
_GAP = r"[^,;。:!?\d]"  # characters allowed between a keyword and its number: no clause break, no digit
_OGI = r"(?:政府信息公开申请|信息公开申请|依申请公开申请|依申请公开件|依申请件|公开申请)"
# Words that show a clause counts something other than OGI applications.
_FOREIGN = re.compile(r"诉求|热线|12345|议案|提案|建议|信访|投诉|举报|咨询|留言|来信|许可|复议|诉讼")
_OGI_CONTEXT = re.compile(r"政府信息公开|信息公开|依申请")
_APPLICATION_CONTEXT = re.compile(r"申请")

_T3_SUBROWS = {
    "t3.r3.3": [f"t3.r3.3.{i}" for i in range(1, 9)],
    "t3.r3.4": [f"t3.r3.4.{i}" for i in range(1, 4)],
    "t3.r3.5": [f"t3.r3.5.{i}" for i in range(1, 6)],
}
_OUTCOMES = {  # printed words -> table 三 rows (column c7)
    "予以公开": ["t3.r3.1"], "部分公开": ["t3.r3.2"], "不予公开": ["t3.r3.3"], "无法提供": ["t3.r3.4"],
    "不予处理": ["t3.r3.5"], "其他处理": ["t3.r3.6"],
}
_T2_V19_ITEMS = {"行政许可": "t2.a20_5.r1", "其他对外管理服务": "t2.a20_5.r2", "行政处罚": "t2.a20_6.r1",
                 "行政强制": "t2.a20_6.r2", "行政事业性收费": "t2.a20_8.r1"}


@dataclass(frozen=True)
class _Stated:
    """One figure found in the text: which rule, its value, the sentence, and the match span."""

    rule: str
    value: int | float
    sentence: str
    span: tuple[int, int]
    cells: tuple[str, ...]  # table cells whose sum the figure should equal
    what: str  # Chinese name of the figure for the message
    percent_of: str | None = None  # denominator cell when the figure is a share in %
    alt_cells: tuple[str, ...] | None = None  # a second reading worth naming when the first fails


def _number(tok: str) -> int | float:
    """'1,234' -> 1234, '16280.5867' -> 16280.5867, '二十一' -> 21 (cn2an)."""
    tok = tok.replace(",", "")
    x = float(tok) if re.fullmatch(r"\d+(?:\.\d+)?", tok) else float(cn2an.cn2an(tok, "smart"))
    return int(x) if x.is_integer() else x


def prepare_text(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), simplified script, whitespace removed except
    between two digits (so '申请 21 件' -> '申请21件' but a table row '21 0 0' stays apart)."""
    s = unicodedata.normalize("NFKC", text or "")
    if _TRADITIONAL.search(s):
        s = OpenCC("t2s").convert(s)
    s = re.sub(r"(?<=\d)\s+(?=\d)", "\x00", s)
    return re.sub(r"\s+", "", s).replace("\x00", " ")


def _sentences(text: str) -> list[str]:
    return [x for x in re.split(r"(?<=[。!?])", text) if x]


_FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def _quote(sentence: str, span: tuple[int, int], width: int = 40) -> str:
    """The matched part of a sentence with some context, punctuation shown full-width again."""
    a, b = max(0, span[0] - width), min(len(sentence), span[1] + width)
    text = re.sub(r"(?<!\d),|,(?!\d)|[;:()!?]", lambda m: _FULLWIDTH[m.group(0)], sentence[a:b])
    return ("…" if a else "") + text + ("…" if b < len(sentence) else "")


def _c7(rows: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"{r}#c7" for r in rows)


def _find(pattern: str, sentence: str) -> Iterable[re.Match]:
    """Matches whose number groups (n, m) are numbers cn2an can read ('一二' is not)."""
    for m in re.finditer(pattern, sentence):
        try:
            for g in ("n", "m"):
                if m.groupdict().get(g) is not None:
                    _number(m[g])
        except ValueError:
            continue
        yield m


# ---- extractors: each yields _Stated from one sentence -------------------------------------------

def _new(s: str) -> Iterable[_Stated]:
    verbs = r"(?:受理|收到|新收|接收|收悉)"
    pats = [rf"{verbs}{_GAP}{{0,20}}?{_OGI}{_GAP}{{0,8}}?{_NUM}件",
            rf"{verbs}{_GAP}{{0,4}}?{_NUM}件(?:政府信息公开|依申请公开|信息公开)?申请"]
    for p in pats:
        for m in _find(p, s):
            if _FOREIGN.search(m.group(0)):
                continue
            with_carry = re.match(r"(?:申请)?\(?(?:含|包括|包含)上一?年度?结转", s[m.end():m.end() + 12])
            if with_carry:
                yield _Stated("N_NEW", _number(m["n"]), s, m.span(), ("t3.r1#c7", "t3.r2#c7"),
                              "本年新收与上年结转申请之和")
            else:
                yield _Stated("N_NEW", _number(m["n"]), s, m.span(), ("t3.r1#c7",), "本年新收申请",
                              alt_cells=("t3.r1#c7", "t3.r2#c7"))


def _carry_in(s: str) -> Iterable[_Stated]:
    if not _APPLICATION_CONTEXT.search(s):
        return
    p = rf"上一?年度?结转(?:的|下来的|过来的)?(?:政府信息公开|依申请公开)?(?:申请)?{_GAP}{{0,4}}?{_NUM}件"
    for m in _find(p, s):
        if not re.search(r"资金|建议|提案|议案|复议|诉讼", m.group(0)):
            yield _Stated("N_CARRY_IN", _number(m["n"]), s, m.span(), ("t3.r2#c7",), "上年结转申请")


def _done(s: str) -> Iterable[_Stated]:
    if not re.search(_OGI, s) and not re.search(r"依申请", s) and not re.search(r"收到\d+件申请", s):
        return
    for m in _find(rf"(?<!公开)(?:办结|答复){_GAP}{{0,10}}?{_NUM}件", s):
        if not _FOREIGN.search(m.group(0)) and "率" not in m.group(0):
            yield _Stated("N_DONE", _number(m["n"]), s, m.span(), ("t3.r3.7#c7",), "本年度办理结果总计")


def _carry_out(s: str) -> Iterable[_Stated]:
    if not _APPLICATION_CONTEXT.search(s):
        return
    year = r"(?:下一?年度?|下年度|\d{4}年度?)"
    pats = [rf"结转(?:至|到|入)?{year}(?:继续)?(?:办理|处理|答复)?{_GAP}{{0,4}}?{_NUM}件",
            rf"{_NUM}件(?:申请)?(?:结转|转入|顺延)(?:至|到)?{year}"]
    for p in pats:
        for m in _find(p, s):
            if not _FOREIGN.search(m.group(0)):
                yield _Stated("N_CARRY_OUT", _number(m["n"]), s, m.span(), ("t3.r4#c7",), "结转下年度继续办理")


def _shares(s: str) -> Iterable[_Stated]:
    if not re.search(r"办结|办理结果|答复|申请", s):
        return
    cat = r"(?P<cat>予以公开(?:或|及|和|与|、)部分公开|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)"
    p = rf"{cat}(?:的)?(?:申请)?(?:{_NUM}件)?(?:,?占(?:比)?(?:总数的|全部的)?(?:比例)?(?:为)?(?P<pct>\d+(?:\.\d+)?)%)?"
    for m in _find(p, s):
        rows = [r for word, rs in _OUTCOMES.items() if word in m["cat"] for r in rs]
        cells = _c7(rows)
        if m["n"] is not None:
            yield _Stated("N_SHARES", _number(m["n"]), s, m.span(), cells, m["cat"] + "件数")
        if m["pct"] is not None:
            yield _Stated("N_SHARES", float(m["pct"]), s, m.span(), cells, m["cat"] + "所占比例",
                          percent_of="t3.r3.7#c7")


def _review_litigation(s: str) -> Iterable[_Stated]:
    if not _OGI_CONTEXT.search(s):
        return
    unit = r"(?:件|起|宗|个)"
    for m in _find(rf"(?<!复议后)行政复议(?:案件|申请)?{_GAP}{{0,6}}?{_NUM}{unit}", s):
        if not re.search(r"诉讼|纠", m.group(0)):
            yield _Stated("N_REVIEW", _number(m["n"]), s, m.span(), ("t4.b1#c5",), "行政复议总计")
    for m in _find(rf"(?:行政诉讼|(?<![行政])诉讼)(?:案件)?{_GAP}{{0,6}}?{_NUM}{unit}", s):
        if not re.search(r"复议|纠", m.group(0)):
            yield _Stated("N_LITIG", _number(m["n"]), s, m.span(), ("t4.b2#c5", "t4.b3#c5"), "行政诉讼总计")
    for m in _find(rf"(?:被纠错|被纠正|被依法纠错|纠错|结果纠正){_GAP}{{0,4}}?{_NUM}(?:件|起)", s):
        mentions_review, mentions_suit = "复议" in s, "诉讼" in s
        if mentions_review and not mentions_suit:
            cells = ("t4.b1#c2",)
        elif mentions_suit and not mentions_review:
            cells = ("t4.b2#c2", "t4.b3#c2")
        else:
            cells = ("t4.b1#c2", "t4.b2#c2", "t4.b3#c2")
        yield _Stated("N_CORRECTED", _number(m["n"]), s, m.span(), cells, "结果纠正")


def _t2(s: str, version: str | None) -> Iterable[_Stated]:
    col = "new_made" if version == "v2019" else "issued"
    verbs = r"(?:制发|制定|出台|印发)"
    when = r"(?:本年度|本年|今年|全年)?(?:的)?"
    kinds = {"规章": "t2.a20_1.r1", "规范性文件": "t2.a20_1.r2"}
    pats = [rf"{verbs}(?:了|的|及主动公开)?{when}(?:行政)?(?P<kind>规章|规范性文件)(?:共)?{_NUM}(?:件|个|条)",
            rf"{verbs}(?:了)?{_NUM}(?:件|个)(?:行政)?(?P<kind>规章|规范性文件)"]
    for p in pats:
        for m in _find(p, s):
            yield _Stated("N_T2", _number(m["n"]), s, m.span(), (f"{kinds[m['kind']]}#{col}",),
                          f"本年制发{m['kind']}")
    both = rf"{verbs}(?:了)?{when}规章{_NUM}件[、,和及](?:行政)?规范性文件(?P<m>\d+|[{_CN}]+)件"
    for m in _find(both, s):
        yield _Stated("N_T2", _number(m["m"]), s, m.span(), (f"t2.a20_1.r2#{col}",), "本年制发规范性文件")


def _t2_v19(s: str) -> Iterable[_Stated]:
    """贺兰2020-style prose that repeats table 二 (V2019): items, change on last year, decisions."""
    for seg in s.split(";"):
        named = [(k, row) for k, row in _T2_V19_ITEMS.items() if k in seg]
        for k, row in named:
            for m in _find(rf"{k}(?:事项|项目)?{_NUM}项", seg):
                yield _Stated("N_T2_V19", _number(m["n"]), s, _span_in(s, seg, m), (f"{row}#prev_items",),
                              f"{k}事项数")
        if len(named) != 1:
            continue
        k, row = named[0]
        for m in _find(rf"比上一?年度?(?P<dir>减少|增加|减|增){_NUM}项", seg):
            sign = -1 if m["dir"].startswith("减") else 1
            yield _Stated("N_T2_V19", sign * _number(m["n"]), s, _span_in(s, seg, m), (f"{row}#delta_items",),
                          f"{k}本年增/减")
        for m in _find(rf"处理决定(?:数量)?{_NUM}(?:项|件)", seg):
            yield _Stated("N_T2_V19", _number(m["n"]), s, _span_in(s, seg, m), (f"{row}#decisions",),
                          f"{k}处理决定数量")
    for m in _find(rf"政府集中采购(?:事项|项目)?(?:数量)?{_NUM}项", s):
        yield _Stated("N_T2_V19", _number(m["n"]), s, m.span(), ("t2.a20_9.r1#proc_items",), "政府集中采购项目数量")
    for m in _find(rf"采购总金额(?:为)?{_NUM}(?P<unit>万元|元)", s):
        amount = _number(m["n"]) / (1 if m["unit"] == "万元" else 10000)
        yield _Stated("N_T2_V19", amount, s, m.span(), ("t2.a20_9.r1#proc_amount",), "政府集中采购总金额（万元）")


def _span_in(sentence: str, seg: str, m: re.Match) -> tuple[int, int]:
    off = sentence.find(seg)
    return off + m.start(), off + m.end()


# ---- comparison ------------------------------------------------------------------------------------

def _numeric(values: Mapping[str, object]) -> dict[str, float | None]:
    """Accept {code: value} or the identities' {code: (value, status)}; drop non-numeric text cells."""
    out: dict[str, float | None] = {}
    for k, v in values.items():
        if isinstance(v, tuple):
            value, status = v
            if status == "text" or status in ("not_in_version", "not_reported"):
                continue
            v = value
        out[k] = v  # type: ignore[assignment]
    return out


def _expand(cells: Iterable[str], vals: Mapping[str, float | None]) -> tuple[str, ...]:
    """Replace an unprinted subtotal (t3.r3.3#c7, or V2021's t3.r3.6#c7) by its printed sub-rows."""
    out: list[str] = []
    for c in cells:
        row, col = c.split("#")
        if c in vals:
            out.append(c)
        elif row in _T3_SUBROWS:
            out += [f"{r}#{col}" for r in _T3_SUBROWS[row]]
        elif row == "t3.r3.6" and f"t3.r3.6.1#{col}" in vals:
            out += [f"t3.r3.6.{i}#{col}" for i in (1, 2, 3)]
        else:
            out.append(c)
    return tuple(out)


def _sum(cells: tuple[str, ...], vals: Mapping[str, float | None]) -> int | float | None:
    if any(c not in vals for c in cells):
        return None
    total = sum(vals[c] or 0 for c in cells)
    return int(total) if float(total).is_integer() else total


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:.10g}"


def _agrees(st: _Stated, lhs: float, rhs: float, denom: float | None) -> bool:
    if st.percent_of is None:
        return abs(lhs - rhs) < 1e-6 * max(1.0, abs(rhs))
    decimals = len(str(lhs).split(".")[1]) if not float(lhs).is_integer() else 0
    return denom is not None and denom > 0 and abs(lhs - 100 * rhs / denom) <= 0.5 * 10 ** -decimals + 1e-9


def _check(st: _Stated, vals: Mapping[str, float | None]) -> dict:
    cells = _expand(st.cells, vals)
    rhs = _sum(cells, vals)
    denom = _sum((st.percent_of,), vals) if st.percent_of else None
    scope = "+".join(st.cells)
    if st.percent_of:
        scope = (f"({scope})" if len(st.cells) > 1 else scope) + f"/{st.percent_of}"
    quote = _quote(st.sentence, st.span)
    stated = f"{_fmt(st.value)}%" if st.percent_of else _fmt(st.value)
    check = {"rule": st.rule, "scope": scope, "severity": "warning", "lhs": st.value, "rhs": rhs,
             "cells": list(cells) + ([st.percent_of] if st.percent_of else [])}
    if rhs is None or (st.percent_of and denom is None):
        check.update(status="skipped",
                     message=f"正文“{quote}”称{st.what}为{stated}，但表中缺少 {scope}，无法核对")
        return check
    table = f"{_fmt(rhs)}（{scope}）"
    if st.percent_of:
        table = (f"{_fmt(rhs)}/{_fmt(denom)} = {100 * rhs / denom:.2f}%（{scope}）" if denom
                 else f"{_fmt(rhs)}/0（{scope}）")
        check["rhs"] = round(100 * rhs / denom, 4) if denom else None
    ok = _agrees(st, st.value, rhs, denom)
    check["status"] = "pass" if ok else "fail"
    verb = "与表格一致" if ok else "与表格不符"
    msg = f"正文“{quote}”称{st.what}为{stated}，表格为{table}，{verb}"
    if not ok and st.alt_cells:
        alt = _sum(st.alt_cells, vals)
        if alt is not None and abs(alt - st.value) < 1e-6:
            parts = " + ".join(_fmt(vals[c] or 0) for c in st.alt_cells)
            msg += f"；正文数字等于 {'+'.join(st.alt_cells)} = {parts} = {_fmt(alt)}，可能包含上年结转申请"
    check["message"] = msg
    return check


def _t2_version(vals: Mapping[str, float | None]) -> str | None:
    if any(k.endswith(("#new_made", "#prev_items", "#published_total")) for k in vals):
        return "v2019"
    if any(k.endswith(("#issued", "#in_force", "#repealed")) for k in vals):
        return "v2021"
    return None


def narrative_checks(text: str, values: Mapping[str, object]) -> list[dict]:
    """Compare the figures stated in the report's running text with its table cells.

    ``values`` maps printed cell codes to numbers (None = blank, counted as 0; a code that is absent
    was not printed); the (value, status) pairs of the identities module are accepted as well.
    Returns §9 check dicts (severity 'warning'; status pass / fail / skipped), one per stated figure.
    """
    vals = _numeric(values)
    version = _t2_version(vals)
    extractors: list[Callable[[str], Iterable[_Stated]]] = [
        _new, _carry_in, _done, _carry_out, _shares, _review_litigation, lambda s: _t2(s, version)]
    if version == "v2019":
        extractors.append(_t2_v19)
    out, seen = [], set()
    for sentence in _sentences(prepare_text(text)):
        for extract in extractors:
            for st in extract(sentence):
                key = (st.rule, st.cells, st.percent_of, st.value)
                if key not in seen:
                    seen.add(key)
                    out.append(_check(st, vals))
    return out
