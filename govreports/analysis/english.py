"""English labels for the pages (`govreports render … --lang en`): every table a page shows gets English
column headers and row labels with the Chinese kept beside them ('Granted 予以公开').

The words come from data: the schema's ``en`` of every row, column and block (natural_person -> 'natural
person'), each indicator's ``en`` name, and the short list of headers the analyses print (``HEADERS``).
The language is the render's: `govreports render --lang en` sets $GOVREPORTS_LANG for the notebook's
kernel, and ``formatting.table`` translates every table it styles when it is 'en'.
"""
from __future__ import annotations

import os
from functools import lru_cache

import pandas as pd

from govreports import indicators as ind
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
    out.update(HEADERS)
    return out


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
