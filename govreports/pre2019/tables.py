"""Statistics tables of pre-2019 reports (附表 / 政府信息公开情况统计表) read into pre.* cells.

A table is a statistics table when its header names its columns (指标名称 / 计量单位 / 统计数 …) or
enough of its rows carry known labels. Each row's label is matched against the labels of the codes in
``pre2019.yaml``; the year's figure goes to the code and a running-total column (历年累计) to
``CODE#cumulative``. Rows with unknown labels are reported, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..numbers import parse_number
from ..readers import RawTable
from ..text import best_match, normalize, strip_enumerator
from .cells import PreCell
from .spec import PreSpec

LABEL_CUTOFF = 88.0   # rapidfuzz ratio a row label must reach to be taken for a code's label
_YEAR_HEAD = re.compile(r"((?:19|20)\d{2})\s*年")
_MONEY_UNITS = ("万元", "元")


@dataclass
class TableReading:
    """What the statistics tables of one report gave: cells, the shape, the year a column names, warnings."""

    cells: dict[str, PreCell] = field(default_factory=dict)
    shape: str | None = None
    column_year: int | None = None
    unknown_rows: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _role(text: str, spec: PreSpec) -> str | None:
    """The column a header cell names: label, unit, cumulative, year; None for anything else."""
    t = normalize(text)
    if not t:
        return None
    for role in ("cumulative", "unit", "label", "year"):
        if any(normalize(x) in t for x in spec.columns[role]):
            return role
    return "year" if _YEAR_HEAD.search(t) else None


def _header(rows: list[list[str]], spec: PreSpec) -> tuple[int, dict[int, str]] | None:
    """(row index, {column: role}) of the header row, if one of the first rows is a header."""
    markers = [normalize(m) for m in spec.era["header_markers"]]
    for i, row in enumerate(rows[:4]):
        if any(any(m in normalize(c) for m in markers) for c in row):
            return i, {j: r for j, c in enumerate(row) if (r := _role(c, spec))}
    return None


def _label(text: str, spec: PreSpec) -> str:
    """A row label as matched: normalised, without 其中： and its enumerator."""
    t = normalize(text)
    for prefix in spec.era["label_prefixes"]:
        t = t.removeprefix(normalize(prefix))
    return strip_enumerator(t)


def _match(cells: list[str], spec: PreSpec, parent: str | None = None) -> tuple[str | None, int]:
    """(code, index of the label cell) of a data row: its text cells, last first (a group label may precede).
    Below a total that has child rows (行政复议数量), a child label gives the total's child code."""
    texts = [(j, c) for j, c in enumerate(cells) if c and parse_number(c).status == "text"]
    for j, c in reversed(texts):
        label = _label(c, spec)
        if parent:
            child, _ = best_match(label, spec.child_labels(), cutoff=LABEL_CUTOFF)
            if child:
                return f"{parent}.{child}", j
        code, _ = best_match(label, spec.row_labels(), cutoff=LABEL_CUTOFF)
        if code:
            return code, j
    return None, -1


def _shape(reading: TableReading, has_cumulative: bool, labels: list[str], spec: PreSpec) -> str | None:
    """The table shape (pre2019.yaml ``shapes``): the first whose markers the tables show."""
    joined = normalize("".join(labels))
    for name, shape in spec.shapes.items():
        if (shape.get("default") or (shape.get("cumulative") and has_cumulative)
                or any(normalize(lab) in joined for lab in shape.get("labels", []))
                or any(code.startswith(tuple(shape.get("codes", []))) for code in reading.cells if shape.get("codes"))):
            return name
    return None


def read_statistics_tables(tables: list[RawTable], spec: PreSpec) -> TableReading:
    """Read every statistics table of a report into one TableReading (the first figure of a code wins)."""
    out = TableReading()
    has_cumulative = False
    labels: list[str] = []
    carried: dict[int, str] = {}   # the column roles of the last header, for a table continued on the next page
    for t in tables:
        rows = [[(c or "").strip() for c in r] for r in t.rows]
        head = _header(rows, spec)
        # a table without a header needs min_label_rows known labels, or one when it continues the last table
        if head is None and sum(1 for r in rows if _match(r, spec)[0]) < (1 if carried else spec.era["min_label_rows"]):
            continue
        if head is not None:
            start, roles = head[0] + 1, head[1]
            carried = roles if len(roles) > 1 else {}
        else:   # no header: a continuation of the last table when its width fits the last header's columns
            start, roles = 0, (carried if rows and carried and max(carried) < len(rows[0]) else {})
        year_cols = [j for j, r in roles.items() if r == "year"]
        cum_cols = [j for j, r in roles.items() if r == "cumulative"]
        unit_cols = [j for j, r in roles.items() if r == "unit"]
        has_cumulative |= bool(cum_cols)
        if head and year_cols:
            m = _YEAR_HEAD.search(normalize(rows[head[0]][year_cols[0]]))
            out.column_year = out.column_year or (int(m.group(1)) if m else None)
        parent: str | None = None
        for i in range(start, len(rows)):
            row = rows[i]
            if not any(row):
                continue
            code, j = _match(row, spec, parent)
            if code in spec.child_parents:
                parent = code
            elif code is not None and not code.startswith(tuple(f"{p}." for p in spec.child_parents)):
                parent = None
            if code is None:
                if any(parse_number(c).status == "ok" for c in row):
                    out.unknown_rows.append(" | ".join(c for c in row if c))
                continue
            labels.append(row[j])
            unit = next((row[u] for u in unit_cols if u < len(row) and row[u]), "")
            raw_row = " | ".join(c for c in row if c)
            page = t.page_of(i)
            method = t.method or "table"
            values = [(k, row[k]) for k in range(j + 1, len(row)) if k not in unit_cols and row[k]]
            year_raw = next((v for k, v in values if k in year_cols), None) if year_cols else None
            cum_raw = next((v for k, v in values if k in cum_cols), None)
            if year_raw is None and not year_cols:
                nums = [v for k, v in values if k not in cum_cols]
                year_raw = nums[0] if nums else None
                if len(nums) > 1:
                    out.warnings.append(f"pre2019: row '{raw_row}' prints {len(nums)} figures under no column "
                                        "header; the first is taken as the year's")
            for suffix, raw in (("", year_raw), ("#cumulative", cum_raw)):
                if raw is None:
                    continue
                cell = _cell(code + suffix, raw, unit, spec, raw_row, page, method, out.warnings)
                if cell is None:
                    continue
                if cell.code in out.cells:
                    out.warnings.append(f"pre2019: {cell.code} printed twice; kept '{out.cells[cell.code].raw}', "
                                        f"left '{raw_row}'")
                    continue
                out.cells[cell.code] = cell
    if out.cells:
        out.shape = _shape(out, has_cumulative, labels, spec)
    return out


def _cell(code: str, raw: str, unit: str, spec: PreSpec, raw_row: str, page: int | None, method: str,
          warnings: list[str]) -> PreCell | None:
    """One printed figure as a cell; money is converted to 万元 from the unit printed beside it. A
    percentage is never a count: None, with a warning."""
    if "%" in raw or "％" in raw:
        warnings.append(f"pre2019: {code} '{raw_row}' is a percentage, not a count: left out")
        return None
    kind = spec.codes[code.split("#")[0]].number
    text = raw
    if kind == "money":
        printed = next((u for u in _MONEY_UNITS if u in normalize(unit)), None)
        if printed and not raw.endswith(_MONEY_UNITS):
            text = raw + printed
        elif not printed and not raw.endswith(_MONEY_UNITS):
            warnings.append(f"pre2019: {code} '{raw_row}' prints no money unit; the figure is taken as 万元")
    p = parse_number(text, kind)
    return PreCell(code=code, value=p.value, raw=raw_row, status=p.status, source="table", method=method, page=page)
