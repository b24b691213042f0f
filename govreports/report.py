"""The Report object: one file read, mapped, checked; and its §9 record."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import metadata
from .checks.identities import evaluate_identities
from .mapping import Mapped, map_tables
from .ocrsettle import cell_boxes, settle
from .pdfreread import TABLES, best_reading
from .readers import NoTablesError, RawDocument, ReaderError, read_raw
from .rowrescue import rescue_rows
from .schema import load_schema


@dataclass
class Report:
    """A report as extracted: cells with provenance, checks, warnings and metadata."""

    source: dict[str, Any]
    agency: str | None
    year: int | None
    layout: dict[str, str | None]
    cell_list: list[dict]
    checks: list[dict]
    warnings: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    extra_rows: list[dict] = field(default_factory=list)
    text: str = ""

    def cell_rows(self) -> list[dict[str, Any]]:
        """Tidy cells as dicts (values keep their int/float type): the rows of ``cells``."""
        s = load_schema()
        rows = []
        for c in self.cell_list:
            row, col = c["cell"].split("#")
            zh, en = s.labels_of(c["cell"])
            rows.append({"cell": c["cell"], "table": row.split(".")[0], "row": row, "col": col, "label_zh": zh,
                         "label_en": en, "value": c["value"], "raw": c["raw"], "status": c["status"],
                         "page": c.get("page"), "method": c.get("method") or self.methods.get(row.split(".")[0], ""),
                         "confidence": c.get("confidence")})
        return rows

    @property
    def cells(self) -> pd.DataFrame:
        """Tidy cells: cell, table, row, col, label_zh, label_en, value, raw, status, page, method, confidence."""
        cols = ["cell", "table", "row", "col", "label_zh", "label_en", "value", "raw", "status", "page", "method", "confidence"]
        return pd.DataFrame(self.cell_rows(), columns=cols)

    @property
    def values(self) -> dict[str, float | int | None]:
        """{cell code: value} of the printed cells."""
        return {c["cell"]: c["value"] for c in self.cell_list}

    def table(self, name: str) -> pd.DataFrame:
        """One table as a wide DataFrame with Chinese row and column labels (values; blanks as None)."""
        s = load_schema()
        vals = self.values
        if name == "t3":
            order = s.t3_row_codes(self.layout.get("t3_r3_6") or "single")
            idx = [next(r.zh for r in s.t3_rows if r.code == code) for code in order]
            data = [[vals.get(f"{code}#{c}") for c in s.t3_columns] for code in order]
            return pd.DataFrame(data, index=pd.Index(idx, name="t3"), columns=[c.zh for c in s.t3_columns.values()],
                                dtype=object)
        if name == "t4":
            data = [[vals.get(f"t4.{b}#{c}") for c in s.t4_columns] for b in s.t4_blocks]
            return pd.DataFrame(data, index=pd.Index([b["zh"] for b in s.t4_blocks.values()], name="t4"),
                                columns=[c["zh"] for c in s.t4_columns.values()], dtype=object)
        if name == "t2":
            version = self.layout.get("t2") or "v2021"
            rows: dict[str, dict[str, Any]] = {}
            for code in s.t2_cells(version):
                row, col = code.split("#")
                rows.setdefault(s.t2_rows[row[3:]].zh, {})[s.t2_columns[col].zh] = vals.get(code)
            cols = list(dict.fromkeys(c for r in rows.values() for c in r))   # counts stay ints, not 550.0
            return pd.DataFrame([[r.get(c) for c in cols] for r in rows.values()],
                                index=pd.Index(list(rows), name="t2"), columns=cols, dtype=object)
        raise KeyError(f"no table {name!r}; use one of {TABLES}")

    @property
    def failed_checks(self) -> list[dict]:
        return [c for c in self.checks if c["status"] == "fail"]

    def to_record(self) -> dict[str, Any]:
        """The §9 record (plus meta, methods, extra_rows)."""
        return {"source": self.source, "agency": self.agency, "year": self.year, "layout": self.layout,
                "cells": self.cell_list, "checks": self.checks, "warnings": self.warnings, "meta": self.meta,
                "methods": self.methods, "extra_rows": self.extra_rows, "text": self.text}


def build_report(doc: RawDocument) -> Report:
    """Map, check and describe a raw document."""
    s = load_schema()
    mapped = best_reading(doc, map_tables(doc.tables))
    if not mapped.found:
        for era in OTHER_ERAS:
            if (rep := era.read(doc)) is not None:
                return rep
        raise NoTablesError(f"{doc.path}: no OGI report tables found (tables 二, 三, 四 are all missing)")
    boxes = cell_boxes(doc.tables, mapped.cells)   # before settling changes any cell's text
    rescued, more = rescue_rows(doc.tables, mapped)  # table 三 rows the grid missed, from the text lines
    boxes.update(more)
    warnings = list(doc.warnings) + list(mapped.warnings) + rescued
    if any(t.confidence is not None for t in doc.tables):
        warnings += settle(doc.tables, mapped)
    names = {"t2": "table 二 (主动公开)", "t3": "table 三 (依申请公开)", "t4": "table 四 (复议诉讼)"}
    for t in TABLES:
        if t not in mapped.found:
            warnings.append(f"missing_table: {names[t]} not found in {doc.path}; the other tables were extracted")
    ident = metadata.identify(doc.names + [("PDF title", doc.meta.get("pdf_title", ""))], doc.text, doc.path)
    agency, year = ident.agency, ident.year
    warnings += metadata.warnings(ident)
    expected = s.expected_version(year)
    if mapped.layout.get("t2") and expected and mapped.layout["t2"] != expected:
        warnings.append(f"format_year_mismatch: table 二 uses {mapped.layout['t2']} but a {year} report "
                        f"is expected to use {expected}")
    cells = [c.record() for c in mapped.cells.values()]
    _name_images(cells, doc.meta.get("page_images"))
    for c in cells:
        if c["cell"] in boxes:
            c["bbox"] = boxes[c["cell"]]
    by_code = {c.code: (c.value, c.status) for c in mapped.cells.values()}
    checks = evaluate_identities(by_code, mapped.layout.get("t3_r3_6"))
    checks += _narrative_checks(doc, mapped)
    warnings += _ocr_warnings(mapped, checks)
    source = {"path": str(doc.path), "sha256": doc.sha256, "kind": doc.kind, "pages": doc.pages, **doc.segment}
    return Report(source=source, agency=agency, year=year, layout=dict(mapped.layout), cell_list=cells,
                  checks=checks, warnings=warnings, meta=dict(doc.meta), methods=dict(mapped.methods),
                  extra_rows=mapped.extra_rows, text=doc.text)


def _name_images(cells: list[dict], images: dict[int, str] | None) -> None:
    """Add to each OCR'd cell the image file it was read from (image inputs, pictures in web pages)."""
    for c in cells:
        if images and c.get("confidence") is not None and c.get("page") in images:
            c["image"] = images[c["page"]]


def _narrative_checks(doc: RawDocument, mapped: Mapped) -> list[dict]:
    """Narrative-versus-table checks (warnings), when the narrative module is present."""
    try:
        from .checks.narrative import narrative_checks
    except ImportError:
        return []
    return narrative_checks(doc.text, {k: c.value for k, c in mapped.cells.items()})


def _ocr_warnings(mapped: Mapped, checks: list[dict]) -> list[str]:
    """Name the cells most likely misread by OCR (those that break a row and a column identity)."""
    conf = {k: c.confidence for k, c in mapped.cells.items() if c.confidence is not None}
    if not conf:
        return []
    from .checks.suspects import likely_misreads, low_confidence

    values = {k: c.value for k, c in mapped.cells.items()}
    details = {k: (c.page, c.raw) for k, c in mapped.cells.items()}
    return (low_confidence(values, conf, details)
            + likely_misreads(values, [c for c in checks if c["status"] == "fail"], conf, details))


class SeveralReportsError(ReaderError):
    """A file that holds several reports (a compilation): ``read_reports`` returns them all (also in ``reports``)."""

    def __init__(self, path: str | Path, reports: list[Report]):
        self.reports = reports
        where = ", ".join(_where(r) for r in reports)
        super().__init__(f"{path}: holds {len(reports)} reports ({where}); read them with "
                         "govreports.read_reports(path), which returns one Report each")


def _where(rep: Report) -> str:
    pages = rep.source.get("page_range")
    span = f"pages {pages[0]}–{pages[1]}" if pages else f"part {rep.source.get('part')}"
    return f"{span}: {rep.agency or '?'} {rep.year or '?'}"


def read_reports(path: str | Path) -> list[Report]:
    """Read a file into one checked Report per report it holds (several for a compilation; see segments.py).

    Raises ReaderError (one line naming the file and the reason) for unreadable files.
    """
    from .segments import split_reports

    try:
        raw = read_raw(path)
    except NoTablesError as err:
        return _other_era(Path(path), err)
    return [build_report(doc) for doc in split_reports(raw)]


@dataclass(frozen=True)
class EraReader:
    """Reports of another era (no OGI tables): ``read`` a raw document into a Report of that era or None;
    ``text`` a file the table readers found no grid in into its running text."""

    read: Callable[[RawDocument], Report | None]
    text: Callable[[Path], RawDocument]


OTHER_ERAS: list[EraReader] = []  # govreports.pre2019 registers the pre-2019 era


def _other_era(path: Path, err: NoTablesError) -> list[Report]:
    """A file with no table grid may be a report of another era told in sentences; else the reader's error."""
    for era in OTHER_ERAS:
        try:
            doc = era.text(path)
        except Exception:  # noqa: BLE001 - the text could not be read: the reader's own error stands
            continue
        if (rep := era.read(doc)) is not None:
            return [rep]
    raise err


def read_report(path: str | Path) -> Report:
    """Read one report file (PDF, HTML, text, docx, scanned PDF) into a checked Report.

    Raises ReaderError (one line naming the file and the reason) for unreadable files, and
    SeveralReportsError (a ReaderError) for a file holding several reports: use ``read_reports``.
    """
    reports = read_reports(path)
    if len(reports) > 1:
        raise SeveralReportsError(path, reports)
    return reports[0]
