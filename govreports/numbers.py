"""Parse one printed cell into (value, status): blank, dash and slash are null with a status, never 0."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

BLANK_TEXT = {"", "无"}
DASHES = {"-", "—", "–", "－", "——", "--", "−", "一"}
SLASHES = {"/", "／", "\\"}
_NUM = re.compile(r"^[+\-]?\d{1,18}(?:\.\d+)?$")   # longer digit runs are no count a report printed (and
# past 4,300 digits int() refuses them): they are text
_SIGN_WORDS = (("增加", 1), ("减少", -1), ("增", 1), ("减", -1))


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: the number (or None), its status (format.md §7.4) and the unit if printed."""

    value: float | int | None
    status: str
    unit: str | None = None


_STACKED = re.compile(r"\d\s*\n\s*\d")
_COUNT_UNITS = ("件", "项", "个", "条", "起")
UNITS = ("万元", "元", *_COUNT_UNITS)   # the units a value cell may print after its number


_GROUPED = re.compile(r"^[+\-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# Digits split by a space are two numbers that a grid put in one cell (1328 3877, 327 307, 1 0), never one:
# the reports group thousands with commas or not at all, and 327 307 read as 327307 would be a silent error.
_SPACED = re.compile(r"\d[ \t]+\d")


def _clean(raw: str) -> str:
    s = unicodedata.normalize("NFKC", raw or "")
    s = s.replace("\xa0", " ").strip()
    if _STACKED.search(s):  # two numbers on two lines (rows merged by a missing ruling line): not one number
        return s
    if _SPACED.search(s):
        return s
    s = re.sub(r"\s+", "", s).replace("，", ",")
    digits = re.sub(r"^[^\d+\-]*", "", s)
    if "," in digits and re.match(r"^[+\-]?\d", digits) and not _GROUPED.match(digits):
        return s  # '1,07': a thousands separator in the wrong place means digits were lost, not one number
    return s.replace(",", "")


def stacked_numbers(raw: str | None) -> list[str] | None:
    """The numbers of a cell that holds one per line ('1\n0'), or None for an ordinary cell."""
    s = unicodedata.normalize("NFKC", raw or "").strip()
    if not _STACKED.search(s):
        return None
    parts = [p.strip() for p in s.splitlines() if p.strip()]
    return parts if all(_NUM.match(p.replace(",", "")) for p in parts) else None


@lru_cache(maxsize=65536)   # a pure function of short strings, called for every cell of every reading
def parse_number(raw: str | None, kind: str = "count") -> Parsed:
    """Parse a printed cell. ``kind`` is 'count', 'signed' (本年增/减) or 'money' (万元, converts 元).

    A printed number is never corrected: '55' is 55 even where the identities say otherwise.
    """
    s = _clean(raw or "")
    if s in BLANK_TEXT:
        return Parsed(None, "blank")
    if s in DASHES:
        return Parsed(None, "dash")
    if s in SLASHES:
        return Parsed(None, "slash")
    unit = None
    if kind == "money":
        if s.endswith(("万元", "万")):   # 3.2万 is 3.2 万元
            unit, s = "万元", s.removesuffix("元")[:-1]
        elif s.endswith("元"):
            unit, s = "元", s[:-1]
    if kind == "count" and s.endswith(_COUNT_UNITS) and len(s) > 1:
        unit, s = s[-1], s[:-1]
    sign = 1
    if kind == "signed":
        for word, sgn in _SIGN_WORDS:
            if s.startswith(word):
                s, sign = s[len(word):], sgn
                break
        s = s.removesuffix("项").removesuffix("个")
    s = s.replace("−", "-")
    if not _NUM.match(s):
        return Parsed(None, "text", unit)
    if kind == "count" and s.startswith(("+", "-")):
        return Parsed(None, "text", unit)
    if "." in s:
        if kind not in ("money",):
            return Parsed(None, "text", unit)
        value: float | int = float(s)
        if unit == "元":
            value = round(value / 10000, 6)
    else:
        value = int(s) * sign
        if unit == "元":
            value = round(value / 10000, 6)
    if sign == -1 and isinstance(value, float):
        value = -value
    return Parsed(value, "ok", unit)


_NUMBERISH = re.compile(r"^[\d,，.\s+\-]*\d[\d,，.\s+\-]*$")


def looks_numberish(raw: str | None) -> bool:
    """True for a cell made only of digits and separators, even one that is not a valid number ('1,07')."""
    return bool(_NUMBERISH.match(unicodedata.normalize("NFKC", raw or "").strip()))


@lru_cache(maxsize=65536)
def looks_numeric(raw: str | None) -> bool:
    """True for a cell that is a value (number, blank marker, dash, slash, signed or money), not a label."""
    s = _clean(raw or "")
    if s in DASHES or s in SLASHES or s == "无":
        return True
    for kind in ("count", "signed", "money"):
        if parse_number(s, kind).status == "ok":
            return True
    return False
