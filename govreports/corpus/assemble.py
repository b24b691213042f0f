"""Turn cached extraction results into the dataset tables: reports, cells, checks, failures.

Order of work: manifest values override extracted ones; each publisher is resolved to a division
code and population for the report's year; duplicates are dropped (first by file name wins, the
rest go to ``failures`` as kind ``duplicate``); cross-year checks are run on consecutive years of
one publisher; timeliness is computed where a publication date is known.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from govreports.corpus.narrative import reuse_counts, text_rows
from govreports.corpus.publisher import assign as assign_publishers
from govreports.corpus.sources import Source
from govreports.pre2019.record import LAYOUT as PRE2019
from govreports.pre2019.spec import load_pre_spec
from govreports.schema import load_schema
from govreports.text import normalize

TABLES = ("t2", "t3", "t4")


@dataclass
class Item:
    """One input file with its cached result."""

    source: Source
    sha256: str
    entry: dict[str, Any]


@dataclass
class _Report:
    row: dict[str, Any]
    record: dict[str, Any]
    notes: tuple[str, ...] = ()   # division-resolution warnings


@lru_cache(maxsize=4096)
def _labels(code: str) -> tuple[str, str]:
    if code.startswith("pre."):   # a pre-2019 cell: its labels are in pre2019.yaml
        return load_pre_spec().labels_of(code)
    try:
        return load_schema().labels_of(code)
    except (KeyError, StopIteration, ValueError):
        return "", ""


def _report_id(agency: str | None, year: int | None, sha: str, part: int | None = None) -> str:
    return f"{agency}_{year}" if agency and year else f"sha-{sha[:12]}" + (f"-p{part}" if part else "")


def report_id_of(item: Item) -> str:
    """The report_id a per-report item gets in the dataset (manifest agency and year win)."""
    rec, o = item.entry["record"], item.source.overrides
    return _report_id(o.get("agency", rec.get("agency")), o.get("year", rec.get("year")), item.sha256,
                      (rec.get("source") or {}).get("part"))


def per_report(items: list[Item]) -> list[Item]:
    """One item per report: a compilation's result (``{"parts": […]}``) becomes one item per part."""
    out = []
    for it in items:
        rec = it.entry.get("record") if it.entry["status"] == "ok" else None
        parts = rec.get("parts") if isinstance(rec, dict) else None
        out += [Item(it.source, it.sha256, {**it.entry, "record": p}) for p in parts] if parts else [it]
    return out


def _published(src: Source, meta: dict[str, Any]) -> tuple[date | None, str | None]:
    """Publication date and its source: the manifest, the page metadata, then the PDF creation date."""
    for value, how in ((src.overrides.get("published"), "manifest"), (src.provenance.get("published"), "page"),
                       (meta.get("published"), "page"),
                       (meta.get("pdf_creationdate"), "pdf_metadata")):
        if value:
            try:
                return date.fromisoformat(str(value)[:10]), how
            except ValueError:
                continue
    return None, None


@lru_cache(maxsize=65536)
def _division(agency: str | None, year: int | None, hint: str | None) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Division columns for a publisher in a year (a manifest code wins), and the resolver's warnings."""
    from govreports.corpus.regions import resolve

    res = resolve(agency, year, hint_code=hint)
    d = res.division
    out = {k: getattr(d, k, None) for k in ("level", "publisher_kind", "province", "prefecture", "county", "population")}
    out["division_code"] = hint or getattr(d, "code", None)
    out["_matched"] = getattr(d, "matched", None)  # the division name(s) found in the agency, for `publisher`
    return out, tuple(res.warnings)


def _base_row(item: Item) -> _Report:
    rec = dict(item.entry["record"])
    o = item.source.overrides
    rec["agency"] = o.get("agency", rec.get("agency"))
    rec["year"] = o.get("year", rec.get("year"))
    meta = rec.get("meta") or {}
    src = rec.get("source") or {}
    layout = rec.get("layout") or {}
    published, how = _published(item.source, meta)
    page_range = src.get("page_range") or [None, None]
    row = {"report_id": report_id_of(item), "file": item.source.file,
           "sha256": item.sha256, "kind": src.get("kind"), "pages": src.get("pages"), "part": src.get("part"),
           "first_page": page_range[0], "last_page": page_range[1],
           "title": meta.get("title") or meta.get("pdf_title"), "agency": rec["agency"], "year": rec["year"],
           "t2_layout": layout.get("t2"), "t3_r3_6": layout.get("t3_r3_6"),
           "published": published, "published_source": how,
           **{k: item.source.provenance.get(k) for k in ("url", "page_url", "fetched_at")}}
    row["url"] = row["url"] or o.get("url") or meta.get("url")  # a folder build: the manifest's, else the page's own
    division, notes = _division(rec["agency"], rec["year"], o.get("division_code"))
    row.update(division)
    row["publisher"] = o.get("publisher")
    return _Report(row, rec, notes)


def _dedupe(reports: list[_Report]) -> tuple[list[_Report], list[dict[str, Any]]]:
    """Keep the first file (by dataset name) of each content and of each publisher and year.

    The publisher is the one cross-year checks follow (:func:`_series_key`): a government by its
    division code, so '洪泽区人民政府' and '淮安市洪泽区人民政府' of one year are one report.
    """
    kept, dups = [], []
    seen_sha: dict[tuple, str] = {}
    seen_key: dict[tuple, str] = {}
    for r in reports:
        row = r.row
        key = (*_series_key(row), int(row["year"])) if row["year"] and (row["agency"] or row["division_code"]) else None
        if (row["sha256"], row["part"]) in seen_sha:
            reason = f"identical content to {seen_sha[row['sha256'], row['part']]}"
        elif key in seen_key:
            reason = f"same report ({row['agency']}, {row['year']}) as {seen_key[key]}"
        else:
            seen_sha[row["sha256"], row["part"]] = _where(row)
            if key:
                seen_key[key] = _where(row)
            kept.append(r)
            continue
        dups.append({"file": row["file"], "sha256": row["sha256"], "kind": "duplicate",
                     "reason": reason if not row["part"] else f"report {row['part']} of the file: {reason}"})
    return kept, dups


def _where(row: dict[str, Any]) -> str:
    """The file, and which of its reports when it holds several."""
    return row["file"] + (f" (report {row['part']})" if row["part"] else "")


def _cells(rid: str, rec: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Tidy cell rows of one record, and a warning for each cell code the record holds twice (first kept)."""
    methods = rec.get("methods") or {}
    out: list[dict[str, Any]] = []
    seen: dict[str, Any] = {}
    repeats = []
    for c in rec.get("cells") or []:
        code = c["cell"]
        if code in seen:
            repeats.append(f"cell {code} appears twice in the record (raw {seen[code]!r} and {c.get('raw')!r}); "
                           "the first is kept")
            continue
        seen[code] = c.get("raw")
        row, _, col = code.partition("#")
        table = row.split(".")[0]
        zh, en = _labels(code)
        out.append({"report_id": rid, "cell": code, "table": table, "row": row, "col": col, "label_zh": zh,
                    "label_en": en, "value": c.get("value"), "raw": c.get("raw"), "status": c.get("status"),
                    "page": c.get("page"), "method": methods.get(table, ""), "confidence": c.get("confidence"),
                    "source": c.get("source") or "table",
                    "extracted_value": c.get("extracted_value", c.get("value")),
                    "bbox": " ".join(str(int(v)) for v in c["bbox"]) if c.get("bbox") else None})
    return out, repeats


def _check_row(rid: str, c: dict[str, Any]) -> dict[str, Any]:
    cells = c.get("cells")
    return {"report_id": rid, "rule": c.get("rule"), "scope": c.get("scope"), "severity": c.get("severity"),
            "status": c.get("status"), "lhs": _num(c.get("lhs")), "rhs": _num(c.get("rhs")),
            "message": c.get("message"), "cells": " ".join(cells) if isinstance(cells, list) else cells}


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _series_key(row: dict[str, Any]) -> tuple:
    """Reports of one publisher over the years: the government of a division by its code, else the agency."""
    if row.get("division_code") and row.get("publisher_kind") == "government":
        return ("government", row["division_code"])
    return ("agency", normalize(row.get("publisher") or row.get("agency")) or row["report_id"])


def _crossyear(reports: list[_Report]) -> list[dict[str, Any]]:
    from govreports.checks.crossyear import crossyear_checks

    series: dict[tuple, dict[int, _Report]] = {}
    for r in reports:
        if r.row["year"]:
            series.setdefault(_series_key(r.row), {})[int(r.row["year"])] = r
    out = []
    for by_year in series.values():
        for year, curr in sorted(by_year.items()):
            prev = by_year.get(year - 1)
            if prev is not None:
                out += [_check_row(curr.row["report_id"], c) for c in crossyear_checks(prev.record, curr.record)]
    return out


_DATE_SOURCE = {"manifest": "manifest", "page": "html", "pdf_metadata": "pdf"}


def _timeliness(r: _Report) -> dict[str, Any] | None:
    """The TIMELINESS check (and ``days_late``: positive late, negative early) when the date is known."""
    from govreports.checks.timeliness import timeliness_check

    row = r.row
    row["days_late"] = None
    try:
        c = timeliness_check(row["published"], row["year"], row.get("publisher_kind"),
                             _DATE_SOURCE.get(row["published_source"]))
    except ValueError as e:
        return {"report_id": row["report_id"], "rule": "TIMELINESS", "scope": "published", "severity": "warning",
                "status": "skipped", "lhs": None, "rhs": None, "message": str(e), "cells": None}
    if c is None:
        return None
    row["days_late"] = c["days_late"]
    # lhs/rhs are numeric columns: days late against 0 (the dates themselves are in the message).
    return _check_row(row["report_id"], {**c, "lhs": c["days_late"], "rhs": 0})


def _status(rec: dict[str, Any], n_failed: int) -> str:
    cells = rec.get("cells") or []
    if (rec.get("layout") or {}).get("format") == PRE2019:   # no mandated tables before 2019
        if not cells:
            return "no_figures"
    elif not set(TABLES) <= {c["cell"].split(".")[0] for c in cells}:
        return "incomplete"
    return "failed_identities" if n_failed else "ok"


def assemble(items: list[Item]) -> dict[str, list[dict[str, Any]]]:
    """Build the four tables (as rows) from results in dataset-name order (the order decides which duplicate stays)."""
    failures = [{"file": it.source.file, "sha256": it.sha256, "kind": it.entry["status"], "reason": it.entry["reason"]}
                for it in items if it.entry["status"] != "ok"]
    based = [_base_row(it) for it in per_report(items) if it.entry["status"] == "ok"]
    assign_publishers([b.row for b in based], {b.row["report_id"]: b.row.pop("_matched") for b in based})
    reports, dups = _dedupe(based)
    failures += dups
    cells: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    for r in reports:
        rid = r.row["report_id"]
        rows, repeats = _cells(rid, r.record)
        cells += rows
        r.row["n_cells"] = len(rows)
        checks += [_check_row(rid, c) for c in r.record.get("checks") or []]
        notes = [("EXTRACTION", w) for w in [*(r.record.get("warnings") or []), *repeats]]
        notes += [("DIVISION", w) for w in r.notes]
        checks += [{"report_id": rid, "rule": rule, "scope": "", "severity": "warning", "status": "fail",
                    "lhs": None, "rhs": None, "message": w, "cells": None} for rule, w in notes]
        t = _timeliness(r)
        if t:
            checks.append(t)
    checks += _crossyear(reports)
    texts = _narrative(reports)
    by_report: dict[str, list[dict[str, Any]]] = {}
    for c in checks:
        by_report.setdefault(c["report_id"], []).append(c)
    for r in reports:
        mine = by_report.get(r.row["report_id"], [])
        failed = [c for c in mine if c["status"] == "fail"]
        n_err = sum(c["severity"] == "error" for c in failed)
        r.row.update(n_failed_identities=n_err,
                     n_warnings=sum(c["severity"] == "warning" for c in failed), status=_status(r.record, n_err))
    return {"reports": [r.row for r in reports], "cells": cells, "checks": checks,
            "failures": sorted(failures, key=lambda f: f["file"]), "texts": texts}


def _narrative(reports: list[_Report]) -> list[dict[str, Any]]:
    """The ``texts`` rows, and each report's narrative_reuse and template_share (set on its row)."""
    texts, prose = [], {}
    for r in reports:
        rows = text_rows(r.row["report_id"], r.record.get("text") or "")
        texts += rows
        prose[r.row["report_id"]] = "。".join(t["text"] for t in rows)
    keyed = [{"report_id": r.row["report_id"], "year": r.row["year"], "series": _series_key(r.row)} for r in reports]
    counts = reuse_counts(keyed, prose)
    for r in reports:
        n, kept, shared = counts[r.row["report_id"]]
        r.row.update(n_sentences=n, n_reused_sentences=kept, n_template_sentences=shared,
                     narrative_reuse=kept / n if n and kept is not None else None,
                     template_share=shared / n if n else None)
    return texts
