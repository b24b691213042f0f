"""A pre-2019 report as a Report: era recognised from the content, figures from tables and sentences."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .. import metadata
from ..readers import RawDocument
from ..report import Report
from .cells import PreCell
from .checks import agreement_check, identity_checks
from .narrative import read_narrative
from .spec import PreSpec, load_pre_spec
from .tables import read_statistics_tables
from .textread import statistics_grids

LAYOUT = "pre2019"
CELL_COLUMNS = ["cell", "table", "row", "col", "label_zh", "label_en", "value", "raw", "status", "page", "method",
                "confidence", "source"]


class PreReport(Report):
    """A Report of the pre-2019 era: cells are pre.* codes, each with its ``source`` (table / narrative)."""

    def cell_rows(self) -> list[dict[str, Any]]:
        spec = load_pre_spec()
        rows = []
        for c in self.cell_list:
            code, _, col = c["cell"].partition("#")
            zh, en = spec.labels_of(c["cell"])
            rows.append({"cell": c["cell"], "table": LAYOUT, "row": code, "col": col or "year", "label_zh": zh,
                         "label_en": en, "value": c["value"], "raw": c["raw"], "status": c["status"],
                         "page": c.get("page"), "method": c.get("method", ""), "confidence": None,
                         "source": c.get("source")})
        return rows

    @property
    def cells(self) -> pd.DataFrame:
        """Tidy cells, as for any report, plus ``source`` (table / narrative)."""
        return pd.DataFrame(self.cell_rows(), columns=CELL_COLUMNS)

    def table(self, name: str) -> pd.DataFrame:
        """The figures as one table (``name`` 'pre2019'): a row per code, the year's and the running total."""
        if name != LAYOUT:
            raise KeyError(f"a pre-2019 report has no table {name!r}; use 'pre2019'")
        spec = load_pre_spec()
        vals = self.values
        codes = [c for c in spec.codes if c in vals or f"{c}#cumulative" in vals]
        return pd.DataFrame([[vals.get(c), vals.get(f"{c}#cumulative")] for c in codes],
                            index=pd.Index([spec.codes[c].zh for c in codes], name=LAYOUT),
                            columns=["本年", "历年累计"], dtype=object)


def pre2019_year(doc: RawDocument, column_year: int | None, spec: PreSpec) -> tuple[int | None, str | None, bool]:
    """(year, agency) when the content says pre-2019 — a report title or statistics period before 2019, a
    statistics column headed with such a year, or a cover letter's title naming one (era.title_years) —
    else (None, agency); and whether a report's or a reporting letter's title named the year. The file
    name never decides."""
    ident = metadata.identify(doc.names + [("PDF title", doc.meta.get("pdf_title", ""))], doc.text, doc.path)
    if "政府信息公开" not in doc.text and not any("政府信息公开" in t for _, t in doc.names):
        return None, ident.agency, False
    year: int | None = None
    if ident.year is not None and ident.year_from in ("title", "statistics period"):
        year = ident.year
    elif column_year is not None:
        year = column_year
    agency = ident.agency
    titled = ident.year_from == "title"
    titles = [t for _, t in doc.names] + doc.text.splitlines()[:5]
    for pattern in spec.era.get("title_years", []):
        m = next((m for t in titles if (m := re.search(pattern, "".join(t.split())))), None)
        if m is None:
            continue
        titled = True
        year = year if year is not None else int(m.group("year"))
        if m.groupdict().get("agency") and ident.agency_from not in metadata.TITLE_TRUST:
            agency = m.group("agency")   # no report title named the agency; this title does
        break
    return (year if year is not None and year <= spec.last_year else None), agency, titled


def _page_of(sentence: str, page_texts: list[str]) -> int | None:
    """The page (1-based) printing a sentence, when the document has pages; None for a page-less input."""
    flat = "".join(sentence.split())
    return next((i for i, t in enumerate(page_texts, start=1) if flat and flat in "".join(t.split())), None)


def read_pre2019(doc: RawDocument) -> PreReport | None:
    """Read ``doc`` as a pre-2019 report, or None when its content is not of that era."""
    spec = load_pre_spec()
    tables = read_statistics_tables(statistics_grids(doc), spec)
    year, agency, titled = pre2019_year(doc, tables.column_year, spec)
    if year is None:
        return None
    story = read_narrative(doc.text, spec)
    cells: dict[str, PreCell] = dict(tables.cells)
    checks: list[dict] = []
    for code, n in story.cells.items():
        t = cells.get(code)
        if t is None:
            n.page = _page_of(n.raw, doc.page_texts)
            cells[code] = n
            continue
        t.narrative = n.raw
        checks.append(agreement_check(code, t, n))
    checks += identity_checks(cells, spec)
    warnings = list(doc.warnings) + tables.warnings + story.warnings
    if tables.column_year and tables.column_year != year:
        warnings.append(f"pre2019: the statistics column is headed {tables.column_year}年度 in a {year} report; "
                        f"its figures are kept as the {year} report's")
    if tables.unknown_rows:
        warnings.append(f"pre2019: {len(tables.unknown_rows)} table row(s) with figures match no pre.* label: "
                        + "; ".join(tables.unknown_rows[:5]))
    attachments = doc.meta.get("attachments") or []
    has_figures = any(c.status == "ok" for c in cells.values())
    if not has_figures and not (titled or attachments or tables.cells):
        return None   # no figure, no report title, no attachment: a notice about the reports, not one of them
    if not has_figures:
        where = (f"the figures may be in the attachment(s) not at hand: {', '.join(attachments)}" if attachments
                 else "no statistics table and no figure in the narrative")
        warnings.append(f"pre2019_no_figures: {doc.path}: a {year} report with no figures read; {where}")
    elif attachments and not tables.cells:
        warnings.append(f"pre2019: figures read from the narrative only; the statistics table may be in the "
                        f"attachment(s) not at hand: {', '.join(attachments)}")
    source = {"path": str(doc.path), "sha256": doc.sha256, "kind": doc.kind, "pages": doc.pages, **doc.segment}
    layout = {"format": LAYOUT, "table": tables.shape, "t2": None, "t3_r3_6": None}
    order = {code: i for i, code in enumerate(spec.codes)}
    ordered = sorted(cells.values(), key=lambda c: (order[c.code.split("#")[0]], c.code))
    return PreReport(source=source, agency=agency, year=year, layout=layout,
                     cell_list=[c.record() for c in ordered], checks=checks, warnings=warnings,
                     meta=dict(doc.meta), methods={LAYOUT: "pre2019"}, text=doc.text)
