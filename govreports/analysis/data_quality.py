"""Data quality: identity failures by rule, level and year; worst reports; OCR confidence; revised reports.

Each summary is a function of the dataset returning one frame, so a new one (e.g. revised reports)
is one more function here and one more cell in the notebook."""
from __future__ import annotations

import pandas as pd

from govreports.corpus.dataset import Dataset
from govreports.corpus.revisions import revised_reports  # noqa: F401 - reports edited after publication (fetch archives)


def identity_summary(ds: Dataset, severity: str = "error") -> pd.DataFrame:
    """Per rule of the given severity ('error': hard identities; 'warning': cross-year, narrative,
    timeliness checks): instances evaluated, failed, skipped, reports affected, share failing."""
    c = ds.checks[ds.checks["severity"] == severity]
    t = c.groupby(["rule", "status"]).size().unstack(fill_value=0)
    for s in ("pass", "fail", "skipped"):
        if s not in t:
            t[s] = 0
    out = pd.DataFrame({"evaluated": t["pass"] + t["fail"], "failed": t["fail"], "skipped": t["skipped"]})
    out["reports with a failure"] = c[c["status"] == "fail"].groupby("rule")["report_id"].nunique().reindex(out.index).fillna(0).astype(int)
    out["share failed"] = (100 * out["failed"] / out["evaluated"].where(out["evaluated"] > 0)).map(
        lambda v: "—" if pd.isna(v) else f"{v:.1f}%")
    return out.reset_index().sort_values("failed", ascending=False).reset_index(drop=True)


def failures_by(ds: Dataset, by: str) -> pd.DataFrame:
    """Reports with at least one failed hard identity, per rule × ``by`` (a reports column: level, year…),
    as 'failed / reports'."""
    r = ds.reports.set_index("report_id")
    c = ds.checks[(ds.checks["severity"] == "error") & (ds.checks["status"] == "fail")]
    c = c.assign(key=c["report_id"].map(r[by]).fillna("—").astype(str))
    failing = c.groupby(["rule", "key"])["report_id"].nunique().unstack(fill_value=0)
    totals = r[by].fillna("—").astype(str).value_counts()
    cols = sorted(totals.index)
    failing = failing.reindex(columns=cols, fill_value=0)
    out = failing.apply(lambda col: col.astype(str) + " / " + str(totals[col.name]))
    out.columns.name = by
    return out.reset_index()


def failing_share_by_year(ds: Dataset) -> pd.DataFrame:
    """Per year: share (%) of reports with at least one failed hard identity, as a trend frame
    (series, year, value, note)."""
    r = ds.reports.dropna(subset=["year"])
    failing = set(ds.checks.loc[(ds.checks["severity"] == "error") & (ds.checks["status"] == "fail"), "report_id"])
    g = r.assign(f=r["report_id"].isin(failing)).groupby("year")["f"]
    out = pd.DataFrame({"series": "全部报告", "year": g.size().index.astype(int), "value": (100 * g.mean()).values,
                        "n": g.size().values})
    out["note"] = ""
    return out


def worst_reports(ds: Dataset, n: int = 10) -> pd.DataFrame:
    """The reports with the most failed hard identities (then most warnings)."""
    c = ds.checks[ds.checks["status"] == "fail"]
    hard = c[c["severity"] == "error"].groupby("report_id").size()
    warn = c[c["severity"] == "warning"].groupby("report_id").size()
    rules = c[c["severity"] == "error"].groupby("report_id")["rule"].apply(lambda s: ", ".join(sorted(set(s))))
    r = ds.reports.set_index("report_id")
    out = pd.DataFrame({"agency": r["agency"], "year": r["year"], "failed identities": hard.reindex(r.index).fillna(0).astype(int),
                        "failed warnings": warn.reindex(r.index).fillna(0).astype(int),
                        "rules": rules.reindex(r.index).fillna("")})
    out = out[(out["failed identities"] > 0) | (out["failed warnings"] > 0)]
    return out.sort_values(["failed identities", "failed warnings"], ascending=False).head(n).reset_index()


def low_confidence_cells(ds: Dataset, threshold: float = 0.9) -> pd.DataFrame:
    """OCR-read cells whose recognition confidence is below ``threshold``, lowest first."""
    c = ds.cells[ds.cells["confidence"].notna() & (ds.cells["confidence"] < threshold)]
    return c.sort_values("confidence")[["report_id", "cell", "label_zh", "raw", "value", "confidence", "page"]] \
        .reset_index(drop=True)


def ocr_summary(ds: Dataset, threshold: float = 0.9) -> pd.DataFrame:
    """Per reader method: cells read, OCR cells below ``threshold``."""
    c = ds.cells
    g = c.groupby(c["method"].fillna("—"))
    return pd.DataFrame({"cells": g.size(), f"confidence < {threshold:g}": g["confidence"].apply(
        lambda s: int((s < threshold).sum()))}).reset_index()
