"""``datapackage.json`` for a dataset folder: a Frictionless Tabular Data Package descriptor listing
every CSV table with its fields, types and descriptions (from ``columns.py``), so the data can be cited,
validated (``frictionless validate datapackage.json``) and loaded by any Frictionless tool."""
from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from govreports.corpus.cache import library_version
from govreports.corpus.columns import COLUMNS

TABLE_DESCRIPTIONS = {
    "reports": "One row per report: publisher, division, year, format, publication, URL, sha256 and summary counts.",
    "cells": "One row per printed cell of tables 二, 三 and 四, under its canonical code (docs/format.md).",
    "checks": "One row per consistency check of a report: hard identities, narrative, cross-year, timeliness.",
    "failures": "Files that gave no report: unreadable, too large, timed out, or duplicates of another file.",
    "revisions": "Cells (and narratives) that changed between archived versions of one report.",
    "texts": "Each report's narrative by section, without table rows.",
    "longrun": "One row per report and long-run indicator (2008 to today): era, value and its comparability "
               "across the 2019 and 2021 format breaks (docs/indicators.md).",
    "corrections": "Cells a reviewer corrected (govreports build --corrections): the value read on the page, the "
                   "value it replaced, who, when, why, and the sha256 of the report and of the corrections file.",
}
PRIMARY_KEYS = {"reports": ["report_id"], "cells": ["report_id", "cell"]}


def field_type(t: pa.DataType) -> str:
    """The Table Schema type of an Arrow column type."""
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_boolean(t):
        return "boolean"
    return "string"


def descriptor() -> dict[str, Any]:
    """The datapackage.json content for a dataset written by ``govreports build``."""
    resources = []
    for name, cols in COLUMNS.items():
        schema: dict[str, Any] = {"fields": [{"name": n, "type": field_type(t), "description": d} for n, t, d in cols],
                                  "missingValues": [""]}
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        if name != "reports" and "report_id" in [n for n, _, _ in cols]:
            schema["foreignKeys"] = [{"fields": "report_id", "reference": {"resource": "reports", "fields": "report_id"}}]
        resources.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8-sig", "description": TABLE_DESCRIPTIONS[name],
                          "schema": schema})
    out: dict[str, Any] = {
        "profile": "tabular-data-package", "name": "govreports-dataset",
        "title": "政府信息公开工作年度报告 data: tables 二, 三, 四 as canonical cells, with checks",
        "description": "Built by govreports from China's annual government information disclosure (OGI) reports. "
                       "Every report keeps its file's sha256 and, where known, the URL it was published at. "
                       "Column meanings: codebook.md.",
        "version": library_version(),
        "sources": [{"title": "The reports listed in reports.csv (url, sha256)"}],
        "contributors": [{"title": "govreports " + library_version(), "role": "author",
                          "path": "https://github.com/govreports/govreports"}],
        "resources": resources,
    }
    return out


def datapackage_json() -> str:
    """The descriptor as JSON text (identical for every dataset built by one govreports version)."""
    return json.dumps(descriptor(), ensure_ascii=False, indent=1) + "\n"
