"""The narrative of a report as data: its sections (the ``texts`` table) and how much of it is copied.

The narrative is the report's running text without its tables' rows. ``narrative_reuse`` is the share
of a report's sentences that appear verbatim in the same publisher's report of the previous year;
``template_share`` the share that appear verbatim in another publisher's report of the same year.
Sentences are split at 。；！？, normalised (NFKC, no whitespace or quotes, leading enumerator dropped)
and kept when at least ``MIN_CHARS`` long. What is not a sentence never counts: the sections holding
tables 二, 三 and 四 (their titles are in the schema), lines made of table labels and numbers (also when
the text layer breaks a label with spaces or prints a vertical header a few characters a line), and
numbered headings run into the text (（三）政府信息管理情况。).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from govreports.schema import load_schema

MIN_CHARS = 8
FRAGMENT_CHARS = 4    # a line this short without punctuation is a broken (vertical) table label
HEADING_CHARS = 20    # an enumerated title without punctuation up to this long is a heading, not a sentence
_SPLIT = re.compile(r"[。；;！!？?]")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(\S.{0,40})$")
_QUOTES = str.maketrans({c: "" for c in "“”\"〝〞「」『』‘’'《》〈〉"})
_ENUM = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十\d]{1,2}[、.．])")
_PUNCT = re.compile(r"[。；;！!？?，,、：:]")
# The template's note under table 三's header, printed in V2021 tables (a table label, not prose).
_TABLE_NOTES = ("本列数据的勾稽关系为", "第一项加第二项之和", "等于第三项加第四项之和", "第三项加第四项之和")


@lru_cache(maxsize=1)
def _labels() -> re.Pattern:
    """Every printed label of tables 二, 三 and 四 in the schema (and a few header words), longest first."""
    words = {"信息内容", "申请人情况", "自然人", "法人或其他组织", "总计", "总 计", "第二十条", "未经复议直接起诉", "复议后起诉",
             *_TABLE_NOTES, *load_schema().printed_labels()}
    words = {unicodedata.normalize("NFKC", w) for w in words if len(w) >= 2}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _table_line(line: str) -> bool:
    """A table row or header as the text layer prints it: mostly the tables' own labels and numbers,
    with little else (at most a third of its characters; spaces inside a label do not hide it), or a
    few characters of a vertical header without punctuation (商业 / 结果 / 本)."""
    s = re.sub(r"\s", "", unicodedata.normalize("NFKC", line))
    if len(s) <= FRAGMENT_CHARS and not _PUNCT.search(s) and not _HEADING.match(s):
        return True
    rest = _labels().sub("", s)
    rest = re.sub(r"[\d.,%()（）〔〕\[\]、:：/\-—–第条项一二三四五六七八九十]", "", rest)
    return len(rest) * 3 <= len(s)


@lru_cache(maxsize=1)
def _table_titles() -> tuple[str, ...]:
    """The titles of tables 二, 三 and 四 (schema), normalised: a section so headed holds a table, not prose."""
    return tuple(re.sub(r"\s", "", unicodedata.normalize("NFKC", t["title"])) for t in load_schema().tables.values())


def _table_section(heading: str) -> bool:
    h = re.sub(r"\s", "", unicodedata.normalize("NFKC", heading))
    return any(t in h for t in _table_titles())


def _heading_sentence(s: str) -> bool:
    """A numbered title run into the text, e.g. '（三）政府信息管理情况' before its first sentence."""
    m = _ENUM.match(s)
    return bool(m) and len(s) - m.end() <= HEADING_CHARS and not _PUNCT.search(s[m.end():])


def sections(text: str) -> list[tuple[str, str]]:
    """(section heading, narrative text) in reading order; text before the first heading is section ''.
    Table rows are left out, so a section holds prose only; a table's own section (二、主动公开政府信息
    情况 …) is left out whole."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in (text or "").splitlines():
        if not line.strip() or _table_line(line):
            continue
        m = _HEADING.match(line)
        if m and not _SPLIT.search(m.group(2)[:-1]):
            out.append((f"{m.group(1)}、{m.group(2).strip()}", []))
            continue
        out[-1][1].append(line.strip())
    return [(h, "".join(lines)) for h, lines in out if (lines or h) and not _table_section(h)]


def sentences(text: str) -> list[str]:
    """The normalised sentences of a narrative text (at least MIN_CHARS characters), in order."""
    return [norm for norm, _ in sentence_pairs(text)]


def sentence_pairs(text: str) -> list[tuple[str, str]]:
    """(normalised, as printed) for each sentence of at least MIN_CHARS characters, in order."""
    out = []
    for part in _SPLIT.split(text or ""):
        s = unicodedata.normalize("NFKC", part)
        s = re.sub(r"\s+", "", s).translate(_QUOTES)
        if _heading_sentence(s):
            continue
        s = _ENUM.sub("", s)
        if len(s) >= MIN_CHARS:
            out.append((s, part.strip()))
    return out


def text_rows(report_id: str, text: str) -> list[dict[str, Any]]:
    """Rows of the ``texts`` table for one report."""
    return [{"report_id": report_id, "section": h, "text": t} for h, t in sections(text) if t]


def reuse(reports: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, tuple[float | None, float | None]]:
    """report_id -> (narrative_reuse, template_share), the shares of :func:`reuse_counts`."""
    out = {}
    for rid, (n, kept, shared) in reuse_counts(reports, texts).items():
        out[rid] = (None, None) if not n else (None if kept is None else kept / n, shared / n)
    return out


def reuse_counts(reports: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, tuple[int, int | None, int]]:
    """report_id -> (sentences, sentences found in last year's report, sentences found in another
    publisher's report of the same year): the counts behind narrative_reuse and template_share.

    ``reports`` rows need report_id, year and ``series`` (one key per publisher across years);
    ``texts`` maps report_id to its narrative. The middle count is None when the publisher has no
    report of the previous year."""
    sents = {rid: sentences(t) for rid, t in texts.items()}
    by_series = {(r["series"], r["year"]): r["report_id"] for r in reports if r.get("year")}
    publishers: dict[tuple[Any, str], set[Any]] = {}  # (year, sentence) -> publishers printing it
    for r in reports:
        for s in set(sents.get(r["report_id"], ())):
            publishers.setdefault((r.get("year"), s), set()).add(r["series"])
    out = {}
    for r in reports:
        rid, mine = r["report_id"], sents.get(r["report_id"], [])
        prev = by_series.get((r["series"], r["year"] - 1)) if r.get("year") else None
        last = set(sents.get(prev, ())) if prev else set()
        kept = None if prev is None else sum(s in last for s in mine)
        shared = sum(len(publishers[(r.get("year"), s)] - {r["series"]}) > 0 for s in mine)
        out[rid] = (len(mine), kept, shared)
    return out
