"""Normalise printed labels and match them against the schema's labels, tolerating misprints."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz, process

_QUOTES = str.maketrans({c: "" for c in "“”\"〝〞「」『』‘’'"})
_WS = re.compile(r"\s+")
# Enumerators: 1、 1． 1. → "1." ; (一) （一） → "（一）" (after NFKC both parens are ASCII).
_ENUM_NUM = re.compile(r"^(\d{1,2})[、.．,，]")
_ENUM_CN = re.compile(r"^[(（]([一二三四五六七八九十]{1,2})[)）][、.．]?")
_ENUM_CN_TOP = re.compile(r"^([一二三四五六七八九十]{1,2})[、.．]")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # opencc-python-reimplemented

    return OpenCC("t2s")


_HAS_TRAD = re.compile("[規範檔總計與處務區縣經濟權開關數據應號辦發書會機構訴訟複議結轉營業個業]")


@lru_cache(maxsize=65536)
def normalize(text: str | None) -> str:
    """Fold a label to a canonical comparison form (NFKC, no whitespace, no quotes, unified enumerators)."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = _WS.sub("", s).translate(_QUOTES)
    s = s.replace("(", "（").replace(")", "）").replace(":", "：")
    if _HAS_TRAD.search(s):
        s = _t2s().convert(s)
    s = _ENUM_NUM.sub(r"\1.", s)
    s = _ENUM_CN.sub(r"（\1）", s)
    s = _ENUM_CN_TOP.sub(r"\1、", s)
    return s.replace("，", "、").replace(",", "、")  # 逾期不补正，行政机关 = 逾期不补正、行政机关


_STRIP_ENUM = re.compile(r"^(?:\d{1,2}\.|（[一二三四五六七八九十]{1,2}）|[一二三四五六七八九十]{1,2}、)")


def strip_enumerator(label: str) -> str:
    """Drop a leading enumerator ('1.', '（三）', '四、') from a normalised label."""
    return _STRIP_ENUM.sub("", label)


def enumerator(label: str) -> str:
    """The leading enumerator of a normalised label, or ''."""
    m = _STRIP_ENUM.match(label)
    return m.group(0) if m else ""


def _kind(enum: str) -> str:
    return "" if not enum else ("num" if enum[0].isdigit() else "paren" if enum.startswith("（") else "top")


def _same_kind(enum: str, flat: dict[str, str], bare: str) -> bool:
    """A bare label match keeps the enumerator's kind: （六）其他 is not 3.其他."""
    if not enum:
        return True
    kinds = {_kind(enumerator(lab)) for lab in flat if strip_enumerator(lab) == bare and lab != bare}
    return not kinds or _kind(enum) in kinds


def best_match(text: str, choices: dict[str, Iterable[str]], cutoff: float = 80.0) -> tuple[str | None, float]:
    """Return (key, score) of the choice whose label best matches ``text``.

    Compares normalised text with and without enumerators; exact and prefix matches win; rapidfuzz's
    ratio tolerates small misprints (2.其他法律行政止公开). Scores are 0–100.
    """
    return _best_match(text, tuple((key, tuple(labels)) for key, labels in choices.items()), cutoff)


@lru_cache(maxsize=65536)
def _best_match(text: str, choices: tuple[tuple[str, tuple[str, ...]], ...], cutoff: float) -> tuple[str | None, float]:
    t = normalize(text)
    if not t:
        return None, 0.0
    t_bare = strip_enumerator(t)
    flat = _flat(choices)
    if t in flat:
        return flat[t], 100.0
    if t_bare in flat and t_bare and _same_kind(enumerator(t), flat, t_bare):
        return flat[t_bare], 99.0
    best: tuple[str | None, float] = (None, 0.0)
    # with an enumerator printed, compare it too: （六）其他 must not fuzzily become 3.其他
    for query in ([t] if enumerator(t) else [t, t_bare]):
        if not query:
            continue
        hit = process.extractOne(query, list(flat), scorer=fuzz.ratio)
        if hit and hit[1] > best[1]:
            best = (flat[hit[0]], float(hit[1]))
    if best[1] >= cutoff:
        return best
    # A label cut short (its wrapped end lost to a page break or a narrow cell) is the prefix of one label.
    if len(t_bare) >= 8:
        keys = {key for lab, key in flat.items() if strip_enumerator(lab).startswith(t_bare)}
        if len(keys) == 1:
            return keys.pop(), float(cutoff)
    return None, best[1]


@lru_cache(maxsize=256)
def _flat(choices: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Normalised label (also without its enumerator) -> key; shared, never modified."""
    flat: dict[str, str] = {}
    for key, labels in choices:
        for lab in labels:
            n = normalize(lab)
            flat[n] = key
            flat.setdefault(strip_enumerator(n), key)
    return flat


def contains_any(text: str, needles: Iterable[str]) -> bool:
    """True if the normalised ``text`` contains any normalised needle."""
    t = normalize(text)
    return any(normalize(n) in t for n in needles)
