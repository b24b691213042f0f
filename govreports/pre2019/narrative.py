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
            m = pat.search(s)
            if m:
                out.cells[code] = PreCell(code=code, value=int(m.group("n")), raw=s, status="ok",
                                          source="narrative", method="narrative")
    for s in sents:
        for codes, pat in spec.absent:
            if pat.search(s):
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
