"""Which cells of a dataset a person should look at, and what the dataset knows about each.

A cell is doubtful when its status is ``uncertain`` or ``recovered``, its OCR confidence is low, or it
takes part in a failed hard identity. For each: the value and text read, the other readings the recogniser gave (from
the report's ``uncertain_cell`` / ``ocr_reread`` warnings) and the failed identities with their arithmetic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from govreports.checks.suspects import LOW_CONFIDENCE
from govreports.corpus.corrections import MISSING, expected_codes
from govreports.corpus.dataset import Dataset
from govreports.schema import load_schema

_UNCERTAIN = re.compile(r"^uncertain_cell: (\S+) \(page [^)]*\) read '([^']*)'; other readings (.*?)(?:;|$)")
_REREAD = re.compile(r"^ocr_reread: (\S+) \(page [^)]*\) first read '([^']*)'")
_QUOTED = re.compile(r"'([^']*)'")
_NUMBER = re.compile(r"^-?[0-9][0-9,]*(?:\.[0-9]+)?$")   # a reading the reviewer could take as the value


@dataclass
class Identity:
    """One failed identity a doubtful cell takes part in."""

    name: str          # RULE[scope]
    message: str       # the readable arithmetic, e.g. '行政复议 总计 0 ≠ 10 + 1 + 0 + 0（…）'
    lhs: float | None
    rhs: float | None


@dataclass
class Doubt:
    """One doubtful cell of one report."""

    report_id: str
    cell: str
    label: str
    value: float | None
    raw: str
    status: str
    confidence: float | None
    page: int | None
    bbox: tuple[int, int, int, int] | None
    why: list[str]
    candidates: list[str] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """The value as the page should prefill it: the number read, else the text read."""
        if self.value is None or pd.isna(self.value):
            return self.raw or ""
        return f"{self.value:g}"


def _candidates(messages: list[str]) -> dict[str, list[str]]:
    """Other readings per cell, from a report's extraction warnings."""
    out: dict[str, list[str]] = {}
    for m in messages:
        if (hit := _UNCERTAIN.match(m)):
            out.setdefault(hit[1], []).extend(_QUOTED.findall(hit[3]))
        elif (hit := _REREAD.match(m)):
            out.setdefault(hit[1], []).append(hit[2])
    return out


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


def doubtful_cells(ds: Dataset) -> list[Doubt]:
    """Every doubtful cell of ``ds``, in report order then the schema's cell order."""
    checks = ds.checks
    failed = checks[(checks["severity"] == "error") & (checks["status"] == "fail")]
    by_cell: dict[tuple[str, str], list[Identity]] = {}
    for c in failed.itertuples(index=False):
        ident = Identity(f"{c.rule}[{c.scope}]", c.message or "", _none(c.lhs), _none(c.rhs))
        for code in (c.cells or "").split():
            by_cell.setdefault((c.report_id, code), []).append(ident)
    notes = checks[checks["rule"] == "EXTRACTION"].groupby("report_id")["message"].apply(list).to_dict()
    others = {rid: _candidates(msgs) for rid, msgs in notes.items()}
    order = {rid: i for i, rid in enumerate(ds.reports["report_id"])}
    out = []
    for r in ds.cells.itertuples(index=False):
        conf = _none(r.confidence)
        why = []
        if r.status == "uncertain":
            why.append("uncertain")
        if r.status == "recovered":
            why.append("recovered from the text lines (the grid missed its row)")
        if conf is not None and conf < LOW_CONFIDENCE:
            why.append(f"confidence {conf:.2f}")
        idents = by_cell.get((r.report_id, r.cell), [])
        if idents:
            why.append("failed identity")
        if not why:
            continue
        bbox = tuple(int(v) for v in r.bbox.split()) if isinstance(_none(getattr(r, "bbox", None)), str) else None
        read = _none(r.raw) or ""
        cands = [t for t in dict.fromkeys(others.get(r.report_id, {}).get(r.cell, [])) if t != read and _NUMBER.match(t)]
        page = _none(r.page)
        out.append(Doubt(r.report_id, r.cell, r.label_zh, _none(r.value), read, r.status, conf,
                         int(page) if page is not None else None, bbox, why, cands, idents))
    out += _lost(ds)
    place = {code: i for i, code in enumerate(ds._order)}   # tables 二, 三, 四 in the schema's order
    out.sort(key=lambda d: (order.get(d.report_id, len(order)), place.get(d.cell, len(place))))
    return out


def _lost(ds: Dataset) -> list[Doubt]:
    """The cells each report's layout prints in the tables it has but its reader did not find."""
    s = load_schema()
    have = ds.cells.groupby("report_id")["cell"].apply(set).to_dict()
    pages = ds.cells.dropna(subset=["page"]).groupby(["report_id", "table"])["page"].agg(lambda p: int(p.mode()[0]))
    out = []
    for r in ds.reports.itertuples(index=False):
        mine = have.get(r.report_id, set())
        layout = {"t2": _none(r.t2_layout), "t3_r3_6": _none(r.t3_r3_6)}
        for code in expected_codes(layout, mine):
            if code not in mine:
                page = pages.get((r.report_id, code.split(".")[0]))
                out.append(Doubt(r.report_id, code, s.labels_of(code)[0], None, "", MISSING, None, page, None,
                                 ["not found: a cell the reader lost (its row, on the table's page)"]))
    return out
