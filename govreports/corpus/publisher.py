"""One name per publisher across years: the canonical ``publisher`` column of ``reports``.

A government is named after its division as of the report's year (``淮安市洪泽区人民政府`` for both
洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024). A department (or a body below the division) keeps
one spelling per (division, department): the most complete one seen over the years. A department
renamed between years keeps its series when the manifest gives a ``publisher`` or when
``data/publisher_aliases.csv`` maps the old name to the new one. ``agency`` stays as printed.
"""
from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from govreports.text import normalize

# A division whose government is not a 人民政府 (地区行政公署, 盟行政公署).
_OFFICE_SUFFIX = {"地区": "行政公署", "盟": "行政公署"}


def government_name(row: dict[str, Any]) -> str | None:
    """Official name of the division's government: 淮安市洪泽区人民政府, 江苏省人民政府, 北京市朝阳区人民政府."""
    from govreports.corpus.regions import _record_at

    code = row.get("division_code")
    rec = _record_at(str(code), row.get("year")) if code else None
    if rec is None:
        return None
    suffix = next((s for end, s in _OFFICE_SUFFIX.items() if rec.name.endswith(end)), "人民政府")
    if rec.level == "county":
        parent = row.get("prefecture") or ""
        province = row.get("province") or ""
        if not parent and province.endswith("市"):  # a district of a municipality: 北京市朝阳区
            parent = province
        return f"{parent}{rec.name}{suffix}"
    return f"{rec.name}{suffix}"


@lru_cache(maxsize=1)
def _aliases() -> dict[tuple[str, str], str]:
    """(division code or '', normalised old name) -> new name, from data/publisher_aliases.csv."""
    blob = resources.files("govreports.corpus").joinpath("data", "publisher_aliases.csv").read_text("utf-8-sig")
    return {(r["division_code"].strip(), normalize(r["old"])): r["new"].strip()
            for r in csv.DictReader(io.StringIO(blob)) if r.get("old")}


def _department(agency: str, matched: str | None) -> str:
    """The department part of an agency name: '淮安市洪泽区财政局' (matched '淮安市洪泽区') -> '财政局'."""
    name = normalize(agency)
    for prefix in filter(None, (normalize(matched or ""),)):
        if name.startswith(prefix):
            return name[len(prefix):] or name
    return name


def assign(rows: Iterable[dict[str, Any]], matched: dict[str, str | None] | None = None) -> None:
    """Set ``publisher`` on every report row (dicts with agency, year, division_code, publisher_kind …).

    ``matched`` maps report_id to the division name(s) found in its agency; a row that already holds a
    ``publisher`` (from a manifest) keeps it."""
    rows = list(rows)
    matched = matched or {}
    keys: dict[str, tuple] = {}
    for r in rows:
        if r.get("publisher"):
            continue
        if r.get("publisher_kind") == "government" and r.get("division_code"):
            name = government_name(r)
            if name and not _is_alias(r, matched):
                r["publisher"] = name
                continue
        agency = r.get("agency")
        if not agency:
            continue
        code = str(r.get("division_code") or "")
        renamed = _aliases().get((code, normalize(agency))) or _aliases().get(("", normalize(agency)))
        dept = _department(renamed or agency, matched.get(r["report_id"]))
        keys[r["report_id"]] = (code, dept) if code else ("", normalize(renamed or agency))
        if renamed:
            r["_renamed"] = renamed
    spellings: dict[tuple, list[str]] = {}
    for r in rows:
        if r["report_id"] in keys:
            spellings.setdefault(keys[r["report_id"]], []).append(r.pop("_renamed", None) or r["agency"])
    best = {k: max(v, key=lambda s: (len(normalize(s)), v.count(s), s)) for k, v in spellings.items()}
    for r in rows:
        if r["report_id"] in keys:
            r["publisher"] = best[keys[r["report_id"]]]


def _is_alias(row: dict[str, Any], matched: dict[str, str | None]) -> bool:
    """A government printed under a name that is not its division's official one (平潭综合实验区 for 平潭县):
    its own name is kept, since the official one would name another body."""
    from govreports.corpus.regions import _tables

    m = normalize(matched.get(row["report_id"]) or "")
    return bool(m) and any(m.endswith(alias) for alias in _tables().aliases)
