"""Reviewed corrections as an audited layer over extracted cells (``govreports build --corrections``).

A corrections file (``report_id, cell, value, reason, reviewer, date``) names cells whose printed
value a person read off the page. Applied to the extracted records before the dataset is assembled,
each corrected cell gets the typed ``value``, keeps the extracted one in ``extracted_value`` and
takes status ``corrected``; identities and narrative checks are evaluated again on the corrected
values, so every later stage (cross-year checks, indicators) sees them. Each correction becomes a
row of the dataset's ``corrections`` table. A cell the report's layout prints but its reader lost (a
row the grid missed) may be corrected too: it is added. A correction that the file states badly, or
that names an unknown report or cell, or that changes nothing, stops the build with one line naming
its line.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govreports.checks.identities import evaluate_identities
from govreports.checks.narrative import narrative_checks
from govreports.corpus.assemble import Item, per_report, report_id_of
from govreports.mapping import Mapped, expected_cells
from govreports.numbers import parse_number
from govreports.schema import load_schema

HEADER = ["report_id", "cell", "value", "reason", "reviewer", "date"]
CORRECTED = "corrected"
MISSING = "missing"   # extracted_status of a cell the report's layout prints but its reader did not find
# A cell whose status says the reader was unsure: confirming its value (unchanged) is a correction.
DOUBTFUL_STATUSES = {"uncertain", "recovered", "text", "missing"}


class CorrectionsError(ValueError):
    """A corrections file that cannot be applied; the message names the file and the line."""


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file, its value parsed as the cell's kind of number."""

    line: int
    report_id: str
    cell: str
    value: float | int
    reason: str
    reviewer: str
    date: str


@dataclass
class Corrections:
    """A parsed corrections file and its sha256 (kept in every audit row)."""

    path: Path
    sha256: str
    rows: list[Correction]

    def where(self, c: Correction) -> str:
        return f"{self.path}: line {c.line}"


def _kind(cell: str) -> str | None:
    """The number kind of a schema cell code, or None when the code is no cell of the schema."""
    s = load_schema()
    try:
        s.labels_of(cell)
        return s.number_kind(cell)
    except (KeyError, StopIteration, ValueError):
        return None


def expected_codes(layout: dict[str, Any], present: set[str]) -> list[str]:
    """The cells a report's layout prints in the tables it has (``present``: its cell codes): a code
    among them that the report lacks is a cell its reader lost (a row the grid missed)."""
    tables = {c.split(".")[0] for c in present}
    printed = expected_cells(Mapped(layout=dict(layout), found=tables))
    return [code for t, codes in printed.items() if t in tables for code in codes]


def read_corrections(path: str | Path) -> Corrections:
    """Parse and check a corrections file on its own (header, cell codes, numbers, duplicates)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorrectionsError(f"{path}: cannot read the corrections file ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not a UTF-8 text file") from None
    lines = list(csv.reader(text.splitlines()))
    if not lines or [h.strip() for h in lines[0]] != HEADER:
        got = ",".join(lines[0]) if lines else "(empty file)"
        raise CorrectionsError(f"{path}: line 1: the header must be {','.join(HEADER)}, not {got}")
    rows, seen = [], {}
    for n, fields in enumerate(lines[1:], start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(HEADER):
            raise CorrectionsError(f"{path}: line {n}: {len(fields)} fields, expected {len(HEADER)} ({','.join(HEADER)})")
        rid, cell, raw, reason, reviewer, when = (f.strip() for f in fields)
        if not rid or not cell:
            raise CorrectionsError(f"{path}: line {n}: report_id and cell are required")
        kind = _kind(cell)
        if kind is None:
            raise CorrectionsError(f"{path}: line {n}: unknown cell {cell!r} (not a cell code of the schema)")
        parsed = parse_number(raw, kind)
        if parsed.status != "ok":
            raise CorrectionsError(f"{path}: line {n}: value {raw!r} of {cell} is not a number "
                                   f"(the cell holds a {kind} number)")
        if (rid, cell) in seen:
            raise CorrectionsError(f"{path}: line {n}: {rid} {cell} is corrected twice (also on line {seen[rid, cell]})")
        seen[rid, cell] = n
        rows.append(Correction(n, rid, cell, parsed.value, reason, reviewer, when))
    return Corrections(path, hashlib.sha256(data).hexdigest(), rows)


def apply_corrections(items: list[Item], corrections: Corrections) -> tuple[list[Item], list[dict[str, Any]]]:
    """The items (one per report) with the corrections applied to their records, and the audit rows.

    Raises CorrectionsError for a correction naming an unknown report or cell, or changing nothing.
    """
    reports = per_report(items)
    by_id: dict[str, int] = {}
    for i, it in enumerate(reports):
        if it.entry["status"] == "ok":
            by_id.setdefault(report_id_of(it), i)
    todo: dict[int, list[Correction]] = {}
    for c in corrections.rows:
        if c.report_id not in by_id:
            raise CorrectionsError(f"{corrections.where(c)}: unknown report {c.report_id!r} (no such report_id in this build)")
        todo.setdefault(by_id[c.report_id], []).append(c)
    audit: list[dict[str, Any]] = []
    out = list(reports)
    for i, mine in todo.items():
        it = reports[i]
        record, rows = _corrected(it, mine, corrections)
        out[i] = Item(it.source, it.sha256, {**it.entry, "record": record})
        audit += rows
    return out, audit


def _corrected(item: Item, mine: list[Correction], corrections: Corrections) -> tuple[dict, list[dict[str, Any]]]:
    """One record with its corrections applied and its identities and narrative checks run again."""
    record = dict(item.entry["record"])
    cells = [dict(c) for c in record.get("cells") or []]
    index = {c["cell"]: c for c in cells}
    rows = []
    expected = set(expected_codes(record.get("layout") or {}, set(index)))
    for c in mine:
        cell = index.get(c.cell)
        if cell is None and c.cell in expected:    # a cell its reader lost: the reviewer read it on the page
            cell = {"cell": c.cell, "value": None, "raw": "", "status": MISSING, "page": None, "method": "review"}
            cells.append(cell)
            index[c.cell] = cell
        if cell is None:
            raise CorrectionsError(f"{corrections.where(c)}: report {c.report_id} has no cell {c.cell}")
        if cell.get("value") == c.value and cell.get("status") not in DOUBTFUL_STATUSES:
            raise CorrectionsError(f"{corrections.where(c)}: {c.report_id} {c.cell} already reads {cell.get('raw')!r} "
                                   f"({cell.get('status')}); the correction changes nothing")
        rows.append({"report_id": c.report_id, "cell": c.cell, "value": float(c.value),
                     "extracted_value": _float(cell.get("value")), "extracted_raw": cell.get("raw"),
                     "extracted_status": cell.get("status"), "reason": c.reason, "reviewer": c.reviewer,
                     "date": c.date, "file": item.source.file, "sha256": item.sha256,
                     "corrections_sha256": corrections.sha256})
        cell.update(extracted_value=cell.get("value"), value=c.value, status=CORRECTED)
    record["cells"] = cells
    values = {c["cell"]: (c.get("value"), c.get("status")) for c in cells}
    checks = evaluate_identities(values, (record.get("layout") or {}).get("t3_r3_6"))
    rerun = {c["rule"] for c in checks}
    narrative = narrative_checks(record.get("text") or "", {k: v for k, (v, _) in values.items()})
    rerun |= {c["rule"] for c in narrative}
    kept = [c for c in record.get("checks") or [] if c.get("rule") not in rerun and not str(c.get("rule")).startswith("N_")]
    record["checks"] = checks + narrative + kept
    return record, rows


def _float(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
