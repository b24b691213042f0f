"""A small dataset built straight from the gold truth files (tests/data/corpus*/*.truth.json).

Its values are the printed numbers of ten real reports, so indicator and analysis tests assert
known truths independently of extraction. The hard identities are evaluated on those numbers by
govreports.checks.identities; a test checks that their failures equal each truth file's
``failed_checks``.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from govreports.checks.identities import evaluate_identities
from govreports.corpus.columns import names_of
from govreports.corpus.dataset import Dataset
from govreports.corpus.publisher import assign as assign_publishers
from govreports.schema import load_schema

DATA = Path(__file__).parent / "data"
TRUTH_FILES = sorted([*DATA.glob("corpus/*.truth.json"), *DATA.glob("corpus-html/*.truth.json")])

# From ../shared/reference (GB/T 2260 codes and the 2020 census), for the three divisions in the gold set.
DIVISIONS = {
    "洪泽区人民政府": ("320813", "江苏省", "淮安市", "洪泽区", 285_097),
    "平潭综合实验区": ("350128", "福建省", "福州市", "平潭县", 385_981),
    "贺兰县": ("640122", "宁夏回族自治区", "银川市", "贺兰县", 341_507),
}


def gold_dataset(files: list[Path] | None = None) -> Dataset:
    """The gold reports as a dataset: ``reports``, ``cells``, ``checks``, ``failures``, ``wide``."""
    s = load_schema()
    reports, cells, checks = [], [], []
    for path in files or TRUTH_FILES:
        t = json.loads(path.read_text(encoding="utf-8"))
        rid = f"{t['agency']}_{t['year']}"  # the id govreports build gives (AGENCY_YEAR)
        code, prov, pref, county, pop = DIVISIONS[t["agency"]]
        printed = {c: (v, "ok" if v is not None else "blank") for c, v in t["cells"].items()}
        found = evaluate_identities(printed, t["t3_r3_6"])
        for c in found:
            c["report_id"] = rid
            c["cells"] = " ".join(c.get("cells") or [])
        checks += found
        reports.append({
            "report_id": rid, "file": t["source"], "agency": t["agency"], "level": "county",
            "publisher_kind": "government", "division_code": code, "province": prov, "prefecture": pref,
            "county": county, "year": t["year"], "t2_layout": t["t2_layout"], "t3_r3_6": t["t3_r3_6"],
            "published": None, "days_late": None, "population": pop, "n_cells": len(t["cells"]),
            "n_failed_identities": sum(c["status"] == "fail" for c in found), "n_warnings": 0,
            "status": "failed_identities" if any(c["status"] == "fail" for c in found) else "ok",
            "truth_failed_checks": sorted(t["failed_checks"]),
        })
        for cell, value in t["cells"].items():
            zh, en = s.labels_of(cell)
            row, col = cell.split("#")
            cells.append({"report_id": rid, "cell": cell, "table": row.split(".")[0], "row": row, "col": col,
                          "label_zh": zh, "label_en": en, "value": value,
                          "raw": t.get("raw_text", {}).get(cell, "" if value is None else f"{value:g}"),
                          "status": "ok" if value is not None else "blank", "page": None,
                          "method": "truth", "confidence": np.nan})
    assign_publishers(reports, {r["report_id"]: r["agency"] for r in reports})
    cells_df = pd.DataFrame(cells)
    cells_df["value"] = cells_df["value"].astype(float)
    return Dataset(path=Path("gold"), reports=pd.DataFrame(reports), cells=cells_df, checks=pd.DataFrame(checks),
                   failures=pd.DataFrame(columns=names_of("failures")))
