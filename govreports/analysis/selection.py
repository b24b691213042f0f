"""Loading a dataset and choosing reports: selections by publisher, code, level, province and year;
display labels; each notebook's default selection, which adapts to the dataset it is given."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from govreports import indicators as ind
from govreports.corpus.dataset import Dataset, load

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATASET = REPO / "out" / "demo" / "dataset"
DATASET_ENV = "GOVREPORTS_DATASET"


def open_dataset(path: str | Path | None = None) -> Dataset:
    """Load a dataset folder: ``path``, else $GOVREPORTS_DATASET, else the demo dataset (out/demo/dataset)."""
    path = Path(path or os.environ.get(DATASET_ENV) or DEFAULT_DATASET)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no dataset here; build one with `govreports build REPORTS --out {path}` "
                                f"or pass the folder as the `dataset` parameter")
    return load(path)


def as_list(value: Any) -> list[str] | None:
    """None / 'a,b' / ['a', 'b'] / 320813 -> list of strings (None means: no filter)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in re.split(r"[,，;；]", str(value)) if v.strip()]


def as_years(value: Any) -> list[int] | None:
    """None / 2024 / '2019-2025' / '2023,2024' / [2023, 2024] -> sorted list of years."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return [int(value)]
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*[-–~]\s*\d{4}\s*", value):
        a, b = (int(x) for x in re.findall(r"\d{4}", value))
        return list(range(min(a, b), max(a, b) + 1))
    return sorted({int(v) for v in as_list(value) or []})


def indicator_names(value: Any) -> list[str]:
    """An ``indicators`` parameter as indicator names: a list, or text 'refusal_rate,unable_rate' (never
    read one character at a time); a KeyError names an unknown one and lists the valid names."""
    names = as_list(value) or []
    for name in names:
        ind.get(name)
    return names


def _code_prefix(code: str) -> str:
    """A division code selects itself and everything under it: 320800 -> '3208', 320000 -> '32'."""
    code = code.strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def publisher_of(reports: pd.DataFrame) -> pd.Series:
    """The canonical publisher of each report (the ``publisher`` column; the agency, else the id, when empty)."""
    pub = reports["publisher"] if "publisher" in reports else pd.Series(None, index=reports.index, dtype=object)
    return pub.fillna(reports["agency"]).fillna(reports["report_id"]).astype(str)


def select(ds: Dataset, agencies: Any = None, division_codes: Any = None, level: Any = None,
           province: Any = None, years: Any = None, *, agencies_param: str = "agencies") -> pd.DataFrame:
    """The reports matching every given filter. ``agencies`` match by substring of the publisher or of
    the agency as printed; ``division_codes`` by code, where a prefecture or province code (…00) selects
    all divisions under it. A filter value that matches nothing raises ValueError naming the values available
    (and the filter by the parameter the user gave: ``agencies_param``, e.g. a notebook's ``agency``)."""
    r = ds.reports
    mask = pd.Series(True, index=r.index)
    names = publisher_of(r) + "\n" + r["agency"].fillna("").astype(str)
    for name, values, col in (("agencies", as_list(agencies), names), ("level", as_list(level), r["level"]),
                              ("province", as_list(province), r["province"])):
        if values is None:
            continue
        col = col.fillna("").astype(str)
        hit = pd.Series(False, index=r.index)
        for v in values:
            exact = publisher_of(r).eq(v) if name == "agencies" else col.eq(v)
            this = exact if exact.any() else col.str.contains(v, regex=False)
            if not this.any():
                shown = publisher_of(r) if name == "agencies" else col
                given = agencies_param if name == "agencies" else name
                raise ValueError(f"{given}: {v!r} matches no report; available: {', '.join(sorted(set(shown) - {''}))}")
            hit |= this
        mask &= hit
    codes = as_list(division_codes)
    if codes is not None:
        col = r["division_code"].fillna("").astype(str)
        hit = pd.Series(False, index=r.index)
        for c in codes:
            this = col.str.startswith(_code_prefix(c))
            if not this.any():
                raise ValueError(f"division_codes: {c!r} matches no report; available: {', '.join(sorted(set(col) - {''}))}")
            hit |= this
        mask &= hit
    yrs = as_years(years)
    out = r[mask & r["year"].isin(yrs)] if yrs is not None else r[mask]
    if out.empty:
        given = {k: v for k, v in (("agencies", agencies), ("division_codes", division_codes), ("level", level),
                                   ("province", province), ("years", years)) if v is not None}
        have = sorted(int(y) for y in r.loc[mask, "year"].dropna().unique())
        raise ValueError(f"no report matches all the filters together ({given}); "
                         f"years available without the year filter: {have}")
    out = out.assign(_pub=publisher_of(out)).sort_values(["_pub", "year"]).drop(columns="_pub")
    return out.reset_index(drop=True)


def pick_report(ds: Dataset, report_id: str | None = None, agency: str | None = None, year: Any = None) -> str:
    """The report_id to show: ``report_id`` itself, else the single report of ``agency`` (substring of the
    publisher or agency) in ``year`` (the latest year when None); with neither agency nor year, the
    report of the latest year with the most cells. Raises ValueError listing what is available."""
    ids = set(ds.reports["report_id"])
    if report_id:
        if report_id not in ids:
            raise ValueError(f"report_id {report_id!r} is not in the dataset; available: {', '.join(sorted(ids))}")
        return report_id
    hits = select(ds, agencies=agency, years=year, agencies_param="agency")
    if year is None:
        hits = hits[hits["year"] == hits["year"].max()]
    if agency is None and year is None:
        hits = hits.sort_values(["n_cells", "report_id"], ascending=[False, True]).head(1)
    if len(hits) != 1:
        raise ValueError(f"agency={agency!r}, year={year!r} matches {len(hits)} reports "
                         f"({', '.join(hits['report_id'])}); pass report_id")
    return str(hits["report_id"].iloc[0])


def years_by_publisher(reports: pd.DataFrame) -> pd.Series:
    """Sorted report years of each publisher, most years first (then by name)."""
    pub = publisher_of(reports)
    years = reports.groupby(pub)["year"].apply(lambda y: sorted(int(v) for v in y.dropna().unique()))
    order = sorted(years.index, key=lambda p: (-len(years[p]), p))
    return years.reindex(order)


def default_publishers(ds: Dataset, most: int = 5) -> list[str]:
    """The trends default: the publishers with the most years in the dataset (at most ``most``)."""
    years = years_by_publisher(ds.reports)
    top = years[years.map(len) == years.map(len).max()]
    return list(top.index[:most])


def labels(reports: pd.DataFrame, with_year: bool = True) -> pd.Series:
    """Short display names, indexed by report_id: '淮安市洪泽区人民政府 2024' (the publisher's name)."""
    name = publisher_of(reports)
    if with_year:
        name = name + " " + reports["year"].astype("Int64").astype(str)
    return pd.Series(name.values, index=reports["report_id"].values)


def indicators_for(ds: Dataset, reports: pd.DataFrame | None = None, names: list[str] | None = None) -> pd.DataFrame:
    """Indicator values (and flags) for the selected reports, indexed by report_id."""
    vals = ind.compute(ds, names).set_index("report_id")
    return vals if reports is None else vals.loc[list(reports["report_id"])]
