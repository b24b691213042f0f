"""English labels for the pages (`govreports render … --lang en`): every table a page shows gets English
column headers and row labels with the Chinese kept beside them ('Granted 予以公开'), and every figure is
drawn in English only ('Refusal rate (%)'), names of places and publishers kept as printed.

The words come from data: the schema's ``en`` of every row, column and block (natural_person -> 'natural
person'), each indicator's and long-run indicator's ``en`` name, the format breaks, and the short list of
headers and figure words the analyses print (``HEADERS``).
The language is the render's: `govreports render --lang en` sets $GOVREPORTS_LANG for the notebook's
kernel, ``formatting.table`` translates every table it styles and ``plotting`` every text it draws
(``plain``) when it is 'en'.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

import pandas as pd

from govreports import indicators as ind
from govreports import longrun as lr
from govreports.schema import load_schema

LANG_ENV = "GOVREPORTS_LANG"
LANGS = ("zh", "en")

# Headers and words the analysis tables print in Chinese only (bilingual headers are left as they are).
HEADERS: dict[str, str] = {
    "项目": "Item", "栏目": "Column", "变化": "Change", "变化率": "Change %", "年度": "Year", "指标": "Indicator",
    "本报告": "This report", "语料中位数": "Corpus median", "排名": "Rank", "可比报告数": "Comparable reports",
    "机关": "Publisher", "信息内容": "Item", "类别": "Category", "值": "Value", "报告": "Report", "报告数": "Reports",
    "章节": "Section", "区划": "Division", "说明": "Explanation", "分子 / 分母": "Numerator / denominator",
    "全国": "All China", "全部报告": "All reports", "（未列）": "(not printed)", "（空白）": "(blank)",
    "表二": "Table 2", "表三": "Table 3", "表四": "Table 4", "本年新收申请": "New applications",
    "上年结转": "Carried over", "办理结果总计": "Concluded", "结转下年度": "Carried forward",
    "行政复议": "Administrative review", "行政诉讼": "Litigation", "是 yes": "yes", "否 no": "no",
    "一、总体情况": "1 Overview", "二、主动公开政府信息情况": "2 Proactive disclosure",
    "三、收到和处理政府信息公开申请情况": "3 Applications received and handled",
    "四、政府信息公开行政复议、行政诉讼情况": "4 Administrative reviews and lawsuits",
    "五、存在的主要问题及改进情况": "5 Problems and improvements", "六、其他需要报告的事项": "6 Other matters",
    # the figures' words: units, legends, notes and titles; {name} stands for any text, itself translated
    "件": "count", "条": "items", "次": "times", "万元": "10,000 yuan", "件/万人": "per 10,000 residents",
    "95% 置信区间": "95% interval", "无数据": "no data", "n 太小": "n too small", "合计 {n}%": "total {n}%",
    "不可比": "not comparable", "未列": "not printed", "无此项": "no such item", "非数字": "not a number",
    "格式不明": "format unknown", "空心点：V2019 格式近似口径": "hollow: 2019-format near-equivalent",
    "阴影：95% 置信区间": "band: 95% interval", "†：所用数字未通过勾稽关系": "†: inputs fail an identity",
    "† 所用数字未通过勾稽关系": "† inputs fail an identity",
    "空心点：口径相近（与今不完全相同）": "hollow: counted nearly as today",
    "灰点：与今口径不可比": "grey: not comparable with today",
    "分母不足 {n}，不计算": "fewer than {n} cases: not computed",
    "分母不足 {n}：区间宽，不排名": "fewer than {n} cases: wide interval, not ranked",
    "分母不足 {n}": "fewer than {n} cases", "{value}，{note}": "{value}, {note}",
    "（n=…）分母不足 {n}，区间宽，不排名": "(n=…) fewer than {n} cases: wide interval, not ranked",
    "（n={n}）": " (n={n})", "†（n={n}）": "† (n={n})", "{a}；{b}": "{a}; {b}", "{a}、{b}": "{a}, {b}",
    "{name}（{unit}）": "{name} ({unit})", "{name}（{unit}）{note}": "{name} ({unit}) {note}",
    "{name}（{unit}；各区划所选最近年度：{years}）": "{name} ({unit}; each division's latest selected year: {years})",
    "（各机关最近年度：{years}）": "(each publisher's latest year: {years})",
    "每万人新收申请": "New applications per 10,000 residents",
    "办理结果构成（占办理结果总计 %）": "Outcomes (% of all concluded)",
    "不予公开理由构成（占不予公开总数 %）": "Grounds of refusal (% of all refusals)",
    "无法提供理由构成（占无法提供总数 %）": "Grounds of 'unable to provide' (% of all such answers)",
    "未通过的勾稽关系实例数（按规则）": "Failed identity instances, by rule",
    "至少一项勾稽关系未通过的报告占比": "Reports failing at least one identity",
    "{report}：办理结果与语料中位数": "{report}: outcomes against the corpus median",
}


def current() -> str:
    """The pages' language: $GOVREPORTS_LANG ('zh' or 'en'), 'zh' when unset."""
    lang = os.environ.get(LANG_ENV, "zh").strip().lower() or "zh"
    if lang not in LANGS:
        raise ValueError(f"${LANG_ENV}={lang!r}: the pages are made in {' or '.join(LANGS)}")
    return lang


def _words(code: str) -> str:
    """'natural_person' -> 'Natural person'; 'denied.state_secret' -> 'State secret'."""
    text = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def labels() -> dict[str, str]:
    """Chinese label -> English, from the schema (tables' rows, columns, groups, blocks), the indicators'
    names and ``HEADERS``."""
    s = load_schema()
    out: dict[str, str] = {}
    for spec in [*s.t2_rows.values(), *s.t2_columns.values(), *s.t3_columns.values()]:
        out.setdefault(spec.zh, _words(spec.en))
    for group in s.t3_groups.values():
        out.setdefault(group["zh"], _words(group["en"]))
    for r in s.t3_rows:
        out.setdefault(r.zh, _words(r.en))
        group = s.t3_groups.get(r.parent, {}) if r.parent and r.parent != "t3.r3" else {}
        if group and not r.zh.startswith(group["zh"]):
            out.setdefault(f"{group['zh']}：{r.zh}", f"{_words(group['en'])}: {_words(r.en).lower()}")
    for table in (s.t4_blocks, s.t4_columns):
        for spec in table.values():
            out.setdefault(spec["zh"], _words(spec["en"]))
    for i in ind.INDICATORS:
        out.setdefault(i.zh, i.en)
    walk = lr.crosswalk()
    for spec in [*walk.indicators.values(), *walk.breaks]:
        out.setdefault(spec.zh, spec.en)
    out.update(HEADERS)
    return out


_CJK_CHARS = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"   # CJK punctuation, ideographs, full-width forms
_CJK = re.compile(f"[{_CJK_CHARS}]")
_FIELD = re.compile(r"\{(\w+)\}")
# a title in both languages: Chinese, then its English (letters, no Chinese) after a space
_BILINGUAL = re.compile(f"(?P<zh>.*[{_CJK_CHARS}])\\s+(?P<en>[^{_CJK_CHARS}]*[A-Za-z]{{2}}[^{_CJK_CHARS}]*)", re.S)


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese character or CJK punctuation (，（）：、)."""
    return bool(_CJK.search(text))


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[re.Pattern[str], str]]:
    """The labels holding {fields}, as patterns matching a whole text, the most specific (longest wording)
    first; each twice, its fields taking as little and as much as they can ('实质公开率（予以公开 + 部分公开）（%）'
    is '{name}（{unit}）' only with the longer name)."""
    out = []
    for zh, en in labels().items():
        if "{" not in zh:
            continue
        parts = _FIELD.split(zh)  # literal, field, literal, field, …
        for take in (".+?", ".+"):
            rx = "".join(re.escape(p) if k % 2 == 0 else f"(?P<{p}>{take})" for k, p in enumerate(parts))
            out.append((re.compile(rx, re.S), en, len("".join(parts[::2]))))
    return [(rx, en) for rx, en, _ in sorted(out, key=lambda t: -t[2])]


def _latin(en: str) -> str:
    """An English label without the Chinese terms some keep in brackets: 'Refusal rate (不予公开, all eight
    reasons)' -> 'Refusal rate (all eight reasons)', 'Regulations (规章) issued this year' -> 'Regulations issued
    this year'."""
    def keep(m: re.Match[str]) -> str:
        parts = [p for p in m.group(1).split(", ") if not has_cjk(p)]
        return f" ({', '.join(parts)})" if parts else ""
    return re.sub(r"\s*\(([^()]*)\)", keep, en) if has_cjk(en) else en


def english(text: str) -> str:
    """``text`` in English only: its label, each of its lines', a phrase with {fields} whose fields are
    translated in turn, or the English half of a bilingual text ('主要数量对比（件） Main volumes'); text with
    no English (a place's or publisher's name) is returned as it is."""
    stripped = text.strip()
    if not has_cjk(stripped):
        return text
    if "\n" in stripped:
        return "\n".join(english(line) for line in stripped.split("\n"))
    if (en := labels().get(stripped)) is not None and "{" not in stripped:
        return _latin(en)
    if m := _BILINGUAL.fullmatch(stripped):
        return m.group("en")
    found = []
    for rx, en in _phrases():
        if m := rx.fullmatch(stripped):
            found.append(en.format(**{k: english(v) for k, v in m.groupdict().items()}))
            if not has_cjk(found[-1]):
                return found[-1]
    return found[0] if found else text  # every reading keeps a name (a publisher's): the most specific


def plain(text: object) -> object:
    """What a figure draws for ``text`` in the current language: unchanged for 'zh', ``english`` for 'en'."""
    return english(text) if isinstance(text, str) and current() == "en" else text


def bilingual(text: object) -> object:
    """'予以公开' -> 'Granted 予以公开'; text with no English label (or not text) is returned unchanged."""
    if not isinstance(text, str):
        return text
    en = labels().get(text.strip())
    return f"{en} {text}" if en else text


def translate(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with English beside the Chinese in its column headers and label cells."""
    out = frame.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples([tuple(bilingual(x) for x in c) for c in out.columns])
    else:
        out.columns = [bilingual(c) for c in out.columns]
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(bilingual)
    return out


def for_page(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as the current language shows it: translated for 'en', unchanged for 'zh'."""
    return translate(frame) if current() == "en" else frame
