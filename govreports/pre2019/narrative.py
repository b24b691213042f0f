"""Figures printed in the sentences of a pre-2019 report, by the patterns of ``pre2019.yaml``.

"2015年主动公开政府信息152条" gives pre.proactive_items = 152; "未收到有关政府信息公开的申请" gives
pre.requests_received = 0 with the sentence as its raw; "全文电子化率达100%" gives no count (a warning).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import PreCell
from .spec import PreSpec

_SENTENCE = re.compile(r"[。；;\n]")


@dataclass
class NarrativeReading:
    """Cells the narrative gives (source 'narrative') and warnings (percentages)."""

    cells: dict[str, PreCell] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _other_period(sentence: str, start: int, end: int, spec: PreSpec) -> bool:
    """True when the clause (between commas) holding a match speaks of another period (近3年, 历年累计)."""
    lo = max(sentence.rfind(c, 0, start) for c in "，,") + 1
    hi = min((i for i in (sentence.find(c, end) for c in "，,") if i >= 0), default=len(sentence))
    return bool(spec.other_periods and spec.other_periods.search(sentence[lo:hi]))


def sentences(text: str) -> list[str]:
    """The report's sentences, stripped, in order."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def read_narrative(text: str, spec: PreSpec) -> NarrativeReading:
    """Read figures, then statements of absence (only for codes no figure was printed for), then percentages."""
    out = NarrativeReading()
    sents = sentences(text)
    for s in sents:
        for code, pat, context in spec.patterns:
            if code in out.cells or (context and not any(w in s for w in context)):
                continue
            m = next((m for m in pat.finditer(s)
                      if code.endswith("#cumulative") or not _other_period(s, m.start(), m.end(), spec)), None)
            if m:
                out.cells[code] = PreCell(code=code, value=int(m.group("n")), raw=s, status="ok",
                                          source="narrative", method="narrative")
    for s in sents:
        for codes, pat in spec.absent:
            m = pat.search(s)
            if m and not _other_period(s, m.start(), m.end(), spec):
                for code in codes:
                    if code not in out.cells:
                        out.cells[code] = PreCell(code=code, value=0, raw=s, status="ok", source="narrative",
                                                  method="narrative-absence")
    for s in sents:
        for code, pat in spec.percentages:
            m = pat.search(s)
            if m and code not in out.cells:
                out.warnings.append(f"percentage_only: {code} is printed only as a percentage "
                                    f"({m.group(0)!r} in '{s}'); no count recorded")
    return out
