"""Raw grids -> canonical cells. Rows and columns are found by their labels; only table 四's 15 data
cells are positional. The layout is detected per table (format.md §8)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from .numbers import looks_numberish, looks_numeric, parse_number, stacked_numbers
from .readers.base import RawTable
from .schema import Schema, load_schema
from .schema.recognise import marks_of
from .text import best_match, normalize

_NUMBER_IN_LABEL = re.compile(r"[\u4e00-\u9fff）)”\"]\s*([+\-]?\d[\d,，.]*)\s*$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CAPTION = re.compile(r"第二十条第（([一二三四五六七八九十]{1,2})）项")


def _without_caption(row: _Row) -> _Row:
    """``row`` with table 二's block caption (第二十条第（一）项) taken out of its cells."""
    return replace(row, cells=[None if c is None else _CAPTION.sub("", normalize(c)) for c in row.cells])


@dataclass
class Cell:
    """One canonical cell as read: the §9 record entry plus where it came from."""

    code: str
    value: float | int | None
    raw: str
    status: str
    page: int | None
    method: str
    confidence: float | None = None

    def record(self) -> dict:
        out = {"cell": self.code, "value": self.value, "raw": self.raw, "status": self.status, "page": self.page,
               "method": self.method}
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
        return out


@dataclass
class Mapped:
    """The canonical reading of one document (or of one table of it)."""

    cells: dict[str, Cell] = field(default_factory=dict)
    layout: dict[str, str | None] = field(default_factory=lambda: {"t2": None, "t3_r3_6": None})
    methods: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extra_rows: list[dict] = field(default_factory=list)
    found: set[str] = field(default_factory=set)  # tables found: t2, t3, t4
    suspect: dict[str, int] = field(default_factory=dict)  # table -> rows whose label cell holds a number

    def table_cells(self, table: str) -> dict[str, Cell]:
        return {k: v for k, v in self.cells.items() if k.startswith(table + ".")}


@dataclass
class _Row:
    cells: list[str | None]
    conf: list[float | None] | None
    page: int | None
    method: str
    table_index: int

    def texts(self) -> list[str]:
        return [c for c in self.cells if c is not None]


def _label_cells(row: _Row) -> list[tuple[int, str]]:
    """(index, text) of the cells that are labels: non-empty and not value-like."""
    return [(i, c) for i, c in enumerate(row.cells) if c is not None and c.strip() and not looks_numeric(c)]


_ENUM_LINE = re.compile(r"\n(?=\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、))")


def _unstack(row: _Row) -> list[_Row]:
    """Split a grid row that holds several printed rows (a missing ruling line merges them: every value
    cell reads '1\n0'). Labels are split at their enumerators when the pieces fit; else the first
    sub-row keeps the label and the others are left to be placed by row order. A number wrapped
    inside a narrow cell (only a few cells of the row) is joined instead."""
    stacks = {i: stacked_numbers(c) for i, c in enumerate(row.cells) if c is not None}
    stacks = {i: v for i, v in stacks.items() if v}
    sizes = {len(v) for v in stacks.values()}
    singles = [c for i, c in enumerate(row.cells) if i not in stacks and _is_value(c)]
    labels_split = any(len(_ENUM_LINE.split(c)) == next(iter(sizes)) for _, c in _label_cells(row)) if sizes else False
    if len(stacks) < 3 or len(sizes) != 1 or (singles and not labels_split):
        if stacks:  # a few long numbers wrapped inside narrow cells ('13477\n7'): one number each
            row = _Row([("".join(c.split()) if i in stacks else c) for i, c in enumerate(row.cells)],
                       row.conf, row.page, row.method, row.table_index)
        return [row]
    k = sizes.pop()
    out = [_Row([None if c is None else "" for c in row.cells], None, row.page, row.method, row.table_index)
           for _ in range(k)]
    for i, c in enumerate(row.cells):
        if c is None:
            continue
        if i in stacks:
            for j in range(k):
                out[j].cells[i] = stacks[i][j]
            continue
        pieces = _ENUM_LINE.split(c) if c.strip() and not looks_numeric(c) else [c]
        if len(pieces) == k:
            for j in range(k):
                out[j].cells[i] = pieces[j]
        else:
            out[0].cells[i] = c
    return out


def _is_value(c: str | None) -> bool:
    return c is not None and bool(c.strip()) and looks_numeric(c)


def _join_page_breaks(rows: list[_Row], is_data_label: Callable[[str], bool],
                      goes_on: Callable[[str, str], str | None] = lambda before, text: None) -> list[_Row]:
    """Join a printed row that a page break cut in two (Word and LibreOffice print a row's first lines at
    the foot of one page and the rest at the head of the next): the first grid row of a page that has
    no label of its own continues the last row of the page before when that row is a labelled data row
    and either has no values yet or only some of its values go on (numbers wrapped inside their cells).
    A row whose every value goes on is a row of its own whose label was lost, and is not joined; a
    header row (table 四's) is never joined to the data row under it. Label cells at the head of the page
    that ``goes_on(label before, text)`` says finish the cut label are no label of their own (it returns
    the text that finishes the label, '' for a piece of a group label, None for a label of its own)."""
    out: list[_Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is None or row.page is None or prev.page is None or row.page != prev.page + 1:
            out.append(row)   # only the first row of a page goes on from the page before
            continue
        lead = _label_cells(row)
        label = [(i, t) for i, t in _label_cells(prev) if i <= _lead_end(prev)][-1:]
        rests = [goes_on(label[0][1], t) for _, t in lead] if lead and label else [None]
        if any(r is None for r in rests):
            lead = []
        bare = replace(row, cells=["" if any(i == j for j, _ in lead) else c for i, c in enumerate(row.cells)]) \
            if lead else row
        prev_is_data = (
            any(is_data_label(t) for _, t in _label_cells(prev))
            or bool(lead) and is_data_label(label[0][1] + "".join(r for r in rests if r))   # its label's cut rest
            or (not _label_cells(prev) and sum(map(_is_value, prev.cells)) >= 10))  # table 四's unlabelled row
        if not _label_cells(bare) and prev_is_data:
            # the next page's grid may have more or fewer label columns: align the value columns on the right
            extra = len(row.cells) - len(prev.cells)
            cells = bare.cells[extra:] if extra > 0 else [None] * -extra + bare.cells
            cont = [i for i, c in enumerate(cells) if _is_value(c)]
            # a number cut by the wrap and the page break ('5,\n14' over the page, '0' under it) is a value
            before = [i for i, c in enumerate(prev.cells) if _is_value(c) or looks_numberish(c)]
            if (not any((c or "").strip() for c in bare.cells[:max(extra, 0)])
                    and cont and (not before or set(cont) < set(before))):
                merged = ["".join((a + b).split()) if a and b and looks_numberish(a) and looks_numberish(b)
                          else (a or "") + (b or "") if (a or b) else (a if a is not None else b)
                          for a, b in zip(prev.cells, cells)]
                if lead:   # the label's cut-off rest finishes it
                    merged[label[0][0]] = (merged[label[0][0]] or "") + "".join(r.strip() for r in rests if r)
                out[-1] = _Row(merged, prev.conf, prev.page, prev.method, prev.table_index)
                continue
        out.append(row)
    return out


# two numbers in one cell ('0 0', '12 3'); '1 234' is one number with a thousands space
_TWO_NUMBERS = re.compile(r"^\s*(?:0\s+\d+|\d+\s+(?!\d{3}\s*$)\d+)\s*$")


def _spilled(raws: list[str]) -> dict[int, str]:
    """Value positions whose text spilled over a column ruling: a cell holding two numbers ('0 0') beside
    an empty cell on its right means the grid put both cells' text in one; {position: that text}."""
    out: dict[int, str] = {}
    for k in range(len(raws) - 1):
        if _TWO_NUMBERS.match(raws[k] or "") and not (raws[k + 1] or "").strip():
            out[k] = out[k + 1] = raws[k].strip()
    return out


def _iter_rows(tables: Iterable[RawTable]) -> Iterator[_Row]:
    for ti, t in enumerate(tables):
        for i, r in enumerate(t.rows):
            conf = t.confidence[i] if t.confidence is not None else None
            yield from _unstack(_Row(list(r), conf, t.page_of(i), t.method, ti))


def _lead_end(row: _Row) -> int:
    """Index of the last label cell before the row's first value: the row's label region ends there.
    A non-numeric cell after the first value is an unreadable value ('?'), not a label."""
    last = -1
    for i, c in enumerate(row.cells):
        if c is None or not c.strip():
            continue
        if looks_numeric(c) or looks_numberish(c):
            break
        last = i
    return last


def _values_after(row: _Row, start: int, want: int) -> list[tuple[str, float | None]] | None:
    """The ``want`` value cells after position ``start`` (text, confidence), or None if they don't fit.

    Positions covered by a merged cell (None) are skipped; surplus empty cells at either end are
    dropped (text layouts pad rows), so a blank printed cell inside the run is kept.
    """
    vals = [(c, row.conf[i] if row.conf else None) for i, c in enumerate(row.cells)
            if i > start and c is not None]
    while len(vals) > want and not vals[-1][0].strip():
        vals.pop()
    while len(vals) > want and not vals[0][0].strip():
        vals.pop(0)
    if len(vals) != want:
        return None
    return vals


def _first_value_columns(rows: list[_Row], want: int) -> dict[int, int]:
    """Per grid, the first column of its value run when its rows' values fill exactly ``want`` columns: a
    row printed blank at both ends of its values ('（六）其他处理 | | 0 | … | -| ') has them there, not
    one column to the left (which the surplus empty cells alone leave unsaid)."""
    cols: dict[int, set[int]] = {}
    for row in rows:
        cols.setdefault(row.table_index, set()).update(i for i, c in enumerate(row.cells) if _is_value(c))
    return {t: min(c) for t, c in cols.items() if c and max(c) - min(c) + 1 == want}


def _filled_after(row: _Row, start: int) -> list[tuple[str, float | None]]:
    """The printed (non-empty) cells after position ``start``, with their confidence."""
    return [(c, row.conf[i] if row.conf else None) for i, c in enumerate(row.cells)
            if i > start and c is not None and c.strip()]


class _Mapper:
    """A single pass over a document's rows with a small state machine (section, t2 block)."""

    def __init__(self, schema: Schema):
        self.s = schema
        self.m = Mapped()
        self.marks = marks_of(schema)   # which row is which table's header
        self.t3_labels = {r.code: r.labels for r in schema.t3_rows}
        self.t3_group_labels = {g: spec["labels"] for g, spec in schema.t3_groups.items()}
        self.t2_col_labels = {c.code: c.labels for c in schema.t2_columns.values()}
        self.t2_row_labels = {k: r.labels for k, r in schema.t2_rows.items()}
        self.row_labels = {**self.t3_labels, **self.t2_row_labels}   # table 三's and 二's data rows
        self.t2_version_hits = {v: 0 for v in schema.raw["versions"]}
        self.t3_header: dict[int, str] = {}  # grid column -> t3 column code, from the header rows
        self.t2_header_width: int | None = None  # grid columns of the table 二 header row
        self.column_labels = {normalize(lab) for c in [*schema.t3_columns.values(), *schema.t2_columns.values()]
                              for lab in c.labels} | {normalize(c[k]) for c in schema.t4_columns.values() for k in ("zh",)}

    # ---- helpers -------------------------------------------------------------------------
    def _check_label(self, table: str, row: _Row) -> None:
        """A number printed inside a row's label cell means the grid put text in the wrong cell."""
        for _, text in _label_cells(row):
            if _NUMBER_IN_LABEL.search(text):
                self.m.suspect[table] = self.m.suspect.get(table, 0) + 1
                self.m.warnings.append(f"{table} (page {row.page}): a label cell holds a number ({text.strip()[-24:]!r}); "
                                       "the grid may have put text in the wrong cell")
                return

    def _put_first(self, row: _Row, code: str, raw: str, conf: float | None) -> None:
        """Put the value cell beside the label: when it is empty but the label cell ends with a number,
        the grid put that value in the label cell; the cell is unreadable (never blank), with a warning."""
        moved = next((m.group(1) for _, t in _label_cells(row)[-1:] for m in [_NUMBER_IN_LABEL.search(t)] if m), None)
        if moved is None or (raw or "").strip() or code in self.m.cells:
            self._put(code, raw, conf, row.page, row.method)
            return
        self.m.cells[code] = Cell(code, None, moved, "text", row.page, row.method, conf)
        table = code.split(".")[0]
        if self.m.suspect.get(table):  # the row's doubt is now its unreadable cell: count it once
            self.m.suspect[table] -= 1
        self.m.warnings.append(f"{code} (page {row.page}): its cell is empty and the number {moved!r} stands at the end "
                               "of the row's label cell; the value is unreadable from this grid")

    def _put(self, code: str, raw: str, conf: float | None, page: int | None, method: str) -> None:
        if code in self.m.cells:
            self.m.warnings.append(f"{code} printed twice; kept the first reading")
            return
        p = parse_number(raw, self.s.number_kind(code))
        c = conf
        self.m.cells[code] = Cell(code, p.value, (raw or "").strip(), p.status, page, method, c)
        if p.status == "text":
            self.m.warnings.append(f"{code} (page {page}): could not read a number from {raw!r}")

    # ---- table 二 ---------------------------------------------------------------------------
    def _t2_caption(self, row: _Row) -> str | None:
        for c in row.texts():
            m = _CAPTION.search(normalize(c))
            if m:
                return f"a20_{_CN_DIGITS.get(m.group(1), 0) if len(m.group(1)) == 1 else 10}"
        return None

    def _t2_header(self, row: _Row) -> dict[int, tuple[str, int]] | None:
        """Map a 信息内容 header row: position -> (column code, span end)."""
        labels = _label_cells(row)
        if not labels or self.s.tables["t2"]["header_label"] not in normalize(labels[0][1]):
            return None
        cols: dict[int, tuple[str, int]] = {}
        n = len(row.cells)
        for idx, text in labels[1:]:
            code, _ = best_match(text, self.t2_col_labels, cutoff=75)
            if code is None:
                continue
            end = idx
            while end + 1 < n and row.cells[end + 1] is None:
                end += 1
            cols[idx] = (code, end)
            for v in self.s.t2_columns[code].versions:
                self.t2_version_hits[v] += 1
        return cols

    def _t2_row(self, row: _Row, block: str | None, header: dict[int, tuple[str, int]] | None) -> bool:
        labels = _label_cells(row)
        if not labels:
            return False
        idx, text = labels[0]
        key = self._t2_row_key(row, block)
        if key is None:
            extra = self.s.t2_blocks.get(block or "", {}).get("extra_rows", [])
            if block and best_match(text, {"x": extra}, cutoff=85)[0]:
                self.m.extra_rows.append({"table": "t2", "block": block, "label": text.strip(),
                                          "values": [c for c in row.texts()[1:]], "page": row.page})
                return True
            return False
        self._check_label("t2", row)
        for v in self.s.t2_rows[key].versions:
            self.t2_version_hits[v] += 1
        # a row of another grid (the table continued on a page whose rulings differ) is not placed by
        # the header's columns, unless its values do not fit one version's columns by count (or, where
        # both versions fit, the header's own columns, in order)
        if header and len(row.cells) != self.t2_header_width and (
                self._t2_row_by_version(row, key, idx) or self._t2_row_in_order(row, key, idx, header)):
            pass
        elif header:
            for k, (pos, (col, end)) in enumerate(sorted(header.items())):
                span = [(row.cells[j], row.conf[j] if row.conf else None) for j in range(pos, min(end, len(row.cells) - 1) + 1)]
                filled = [(c, cf) for c, cf in span if c is not None and c.strip()]
                raw, cf = filled[0] if filled else ("", None)
                if pos < len(row.cells):
                    if k == 0:
                        self._put_first(row, f"t2.{key}#{col}", raw, cf)
                    else:
                        self._put(f"t2.{key}#{col}", raw, cf, row.page, row.method)
        elif not self._t2_row_by_version(row, key, idx):
            self.m.warnings.append(f"t2.{key} (page {row.page}): no 信息内容 header found above it; row not read")
        self.m.found.add("t2")
        self.m.methods.setdefault("t2", row.method)
        return True

    def _t2_row_key(self, row: _Row, block: str | None) -> str | None:
        """The table 二 row ('a20_5.r1') a row's first label names, preferring the current block."""
        labels = _label_cells(row)
        if not labels:
            return None
        text = labels[0][1]
        choices = {k: r.labels for k, r in self.s.t2_rows.items() if block is None or k.startswith(block + ".")}
        key, _ = best_match(text, choices, cutoff=85)
        if key is None and block is not None:  # a block whose caption row was not printed or not read
            key, _ = best_match(text, self.t2_row_labels, cutoff=90)
        return key

    def _t2_row_in_order(self, row: _Row, key: str, label_idx: int, header: dict[int, tuple[str, int]]) -> bool:
        """A row of another grid whose values are as many as the header's columns: placed in order."""
        vals = _filled_after(row, label_idx)
        cols = [col for _, (col, _) in sorted(header.items())]
        return len(vals) == len(cols) and self._t2_place(
            row, key, cols, vals, "a row of another grid; its values placed in order under the header's columns")

    def _t2_row_by_version(self, row: _Row, key: str, label_idx: int) -> bool:
        """Without a header, place a row's values when their count fits exactly one version's columns."""
        vals = _filled_after(row, label_idx)
        fits = {v: cols[key] for v, cols in self.s.tables["t2"]["cells"].items() if len(cols.get(key, [])) == len(vals)}
        if not vals or len(fits) != 1:
            return False
        (version, cols), = fits.items()
        return self._t2_place(row, key, cols, vals, f"no header above it; values placed as the {version} columns")

    def _t2_place(self, row: _Row, key: str, cols: list[str], vals: list[tuple[str, float | None]], how: str) -> bool:
        """Put a table 二 row's values under ``cols`` in order, with a warning saying ``how``."""
        for col, (raw, cf) in zip(cols, vals):
            self._put(f"t2.{key}#{col}", raw, cf, row.page, row.method)
        self.m.warnings.append(f"t2.{key} (page {row.page}): {how}")
        return True

    # ---- table 三 ---------------------------------------------------------------------------
    def _t3_match(self, row: _Row) -> tuple[str | None, float]:
        """The table 三 row code a row's label cells name (most specific cell first), with the score."""
        labels = _label_cells(row)
        for _, text in reversed(labels):
            code, score = best_match(text, self.t3_labels, cutoff=80)
            if code:
                return code, score
            bare = self._strip_group_labels(text)
            if bare != normalize(text):
                code, score = best_match(bare, self.t3_labels, cutoff=80)
                if code:
                    return code, score
        if len(labels) > 1:
            return best_match("".join(t for _, t in labels), self.t3_labels, cutoff=80)
        return None, 0.0

    def _t3_header(self, row: _Row) -> None:
        """Remember which grid column prints which applicant column (to place a printed 小计 column)."""
        cols = {**{c.code: c.labels for c in self.s.t3_columns.values()},
                **{c.code: c.labels for c in self.s.t3_extra_columns.values()}}
        for j, c in enumerate(row.cells):
            if c and c.strip() and not looks_numeric(c):
                code, score = best_match(c, cols, cutoff=90)
                if code and code not in self.t3_header.values():
                    self.t3_header.setdefault(j, code)

    def _is_data_label(self, text: str) -> bool:
        """True for the label of a table 二 or 三 data row (a header's column label such as 总计 is not)."""
        t = normalize(text)
        if t in self.column_labels:
            return False
        return bool(best_match(text, self.t3_labels, cutoff=85)[0]
                    or best_match(text, self.t2_row_labels, cutoff=85)[0])

    def _label_goes_on(self, before: str, text: str) -> str | None:
        """A label cell at the head of a page that finishes a label a page break cut: a piece of a group
        label printed down its merged column ('、本年度办理结果' under '三'; returns ''), or the rest of
        the row label before it ('继续办' + '理' matches better than '继续办'; returns it); None for a data
        label of its own."""
        t = normalize(text)
        if not t or self._is_data_label(text):
            return None
        if any(t in normalize(lab) for labels in self.t3_group_labels.values() for lab in labels):
            return ""
        labels = self.row_labels
        better = best_match(before + text, labels, cutoff=0)[1] > best_match(before, labels, cutoff=0)[1]
        return text if better else None

    def _strip_group_labels(self, text: str) -> str:
        """A label with the group labels printed in the same cell removed ('（三）不予公开1.属于国家秘密')."""
        t = normalize(text)
        for labels in self.t3_group_labels.values():
            for lab in labels:
                t = t.replace(normalize(lab), "")
        return t

    # ---- table 四 ---------------------------------------------------------------------------
    def _t4_values(self, row: _Row) -> list[tuple[str, float | None]] | None:
        if sum(1 for c in row.cells if c is not None and c.strip() and looks_numeric(c)) < 5:
            return None
        start = _lead_end(row)
        vals = [(c, row.conf[i] if row.conf else None) for i, c in enumerate(row.cells) if i > start and c is not None]
        while len(vals) > 15 and not vals[-1][0].strip():
            vals.pop()
        while len(vals) > 15 and not vals[0][0].strip():
            vals.pop(0)
        return vals if len(vals) == 15 else None

    # ---- the pass ---------------------------------------------------------------------------
    def run(self, tables: list[RawTable]) -> Mapped:
        rows = _join_page_breaks(list(_iter_rows(tables)), self._is_data_label, self._label_goes_on)
        section: str | None = None
        block: str | None = None
        header: dict[int, tuple[str, int]] | None = None
        header_row: _Row | None = None
        t3_rows: list[tuple[_Row, str | None, float]] = []
        t4_seen_header = False
        t3_header_at: int | None = None   # how many table 三 rows came before its header
        for row in rows:
            joined = "".join(normalize(c) for c in row.texts())
            if not joined:
                continue
            has_values = any(_is_value(c) for c in row.cells)
            cap = self._t2_caption(row)
            if cap:
                section, block, header = "t2", cap, None
                if cap not in self.s.t2_blocks:
                    self.m.warnings.append(f"unknown table 二 block caption on page {row.page}: {row.texts()[0]!r}")
                for v, marks in self.s.tables["t2"]["markers"].items():
                    if any(normalize(mk) in joined for mk in marks):
                        self.t2_version_hits[v] += 1
                if not self.marks["t2"].is_header(joined, has_values):
                    continue
                # the caption set solid with the header row under it (a grid that drew no line between
                # them): the block is named, and the row is read as its header without the caption
                row = _without_caption(row)
                joined = "".join(normalize(c) for c in row.texts())
            if section in (None, "t2") and self.marks["t2"].is_header(joined, has_values):
                h = self._t2_header(row)
                if h is not None:
                    section, header, header_row = "t2", h, row
                    self.t2_header_width = len(row.cells)
                    continue
            if (section == "t2" and header_row is not None and len(row.cells) == len(header_row.cells)
                    and not has_values and not self._t2_row_key(row, block)):
                # a header whose labels wrap onto a second grid row (本年新 / 制作数量): join and read again
                header_row = _Row([(a or "") + (b or "") if (a or b) else a for a, b in zip(header_row.cells, row.cells)],
                                  None, header_row.page, header_row.method, header_row.table_index)
                header = self._t2_header(header_row) or header
                continue
            header_row = None
            is_t3_header = self.marks["t3"].is_header(joined, has_values)
            if is_t3_header or (section == "t3" and not t3_rows and not has_values):
                section = "t3"
                # table 三's header after a table 四 header with no data row under it: that was prose
                # naming 行政复议 (a paragraph read as a row), and table 三's rows are not table 四's
                t4_seen_header = t4_seen_header and "t4" in self.m.found
                self._t3_header(row)
                t3_header_at = len(t3_rows) if t3_header_at is None else t3_header_at
                continue
            if section != "t4" and self.marks["t4"].is_header(joined, has_values):
                section, t4_seen_header = "t4", True
                continue
            if section == "t2" or (section is None and header is None):
                if self._t2_row(row, block, header):
                    continue
            if section == "t4" or (t4_seen_header and "t4" not in self.m.found):
                vals = self._t4_values(row)
                if vals is not None and "t4" not in self.m.found:
                    for k, (raw, cf) in enumerate(vals):
                        b, c = divmod(k, 5)
                        self._put(f"t4.b{b + 1}#c{c + 1}", raw, cf, row.page, row.method)
                    self.m.found.add("t4")
                    self.m.methods["t4"] = row.method
                continue
            code, score = self._t3_match(row)
            if code or section == "t3":
                section = "t3"
                t3_rows.append((row, code, score))
        if t3_header_at:   # a row before table 三's header whose label a row under it prints is prose
            later = {code for _, code, _ in t3_rows[t3_header_at:] if code}
            t3_rows = [r for k, r in enumerate(t3_rows) if k >= t3_header_at or r[1] not in later]
        self._finish_t3(t3_rows)
        self._finish_t2()
        return self.m

    def _finish_t2(self) -> None:
        t2 = self.m.table_cells("t2")
        if not t2:
            return
        hits = self.t2_version_hits
        v = max(hits, key=lambda k: (hits[k], k))
        self.m.layout["t2"] = v
        if all(hits.values()):
            self.m.warnings.append(f"t2_mixed_labels: table 二 prints labels of both versions ({hits}); read as {v}")
        missing = [c for c in self.s.t2_cells(v) if c not in t2]
        if missing:
            self.m.warnings.append(f"table 二: {len(missing)} cell(s) of the {v} layout not found: {', '.join(missing[:6])}"
                                   + (" …" if len(missing) > 6 else ""))

    def _finish_t3(self, rows: list[tuple[_Row, str | None, float]]) -> None:
        """Assign table 三 rows: by label, then unlabelled rows by order between labelled ones."""
        # Merge a label-only continuation line into an unmatched value row (wrapped labels).
        items: list[tuple[_Row, str | None, list | None]] = []
        header = [self.t3_header[j] for j in sorted(self.t3_header)]
        extra = [c for c in header if c in self.s.t3_extra_columns]
        cols = header if extra and sorted(header) == sorted(list(self.s.t3_columns) + extra) else list(self.s.t3_columns)
        first = _first_value_columns([row for row, _, _ in rows], len(cols))
        for row, code, score in rows:
            vals = _values_after(row, max(_lead_end(row), first.get(row.table_index, 0) - 1), len(cols))
            if vals is not None and not any(v.strip() for v, _ in vals) and score < 95:
                vals = None  # a row with no values and no exact label is a wrapped label line
            items.append((row, code, vals))
        scores = [score for _, _, score in rows]
        for i, (row, code, vals) in enumerate(items):
            if vals is None or (code is not None and scores[i] >= 95):
                continue
            found: list[tuple[float, int, str]] = []
            for j in (i + 1, i - 1):
                # the label's first lines over a row set at the foot of its cell (bottom-aligned: '5、属于三类
                # 内部事务信' over '息 | 0 | 0 …') read as a row printing every value blank; the rest of the
                # label may even match a label by itself ('复申请' of '4.无正当理由大量反复申请')
                above = (j == i - 1 and j >= 0 and items[j][1] is not None and items[j][2] is not None
                         and not any(v.strip() for v, _ in items[j][2]))
                if not (0 <= j < len(items) and (items[j][2] is None and code is None or above)):
                    continue
                # the labels joined, or the row labels alone (a group label set beside the wrapped line:
                # '（四）无法提供 | 确' under '3、补正后申请内容仍不明')
                for cells in ((_label_cells(row), _label_cells(items[j][0])),
                              (_label_cells(row)[-1:], _label_cells(items[j][0])[-1:])):
                    here, other = (self._strip_group_labels("".join(t for _, t in c)) for c in cells)
                    c2, sc = best_match(here + other if j > i else other + here, self.t3_labels, cutoff=80)
                    if c2 and (not above or c2 == items[j][1]):
                        found.append((sc, j, c2))
            if found:   # the likelier of the label's lines below the row (top-aligned) or above it
                _, j, c2 = max(found)
                items[i] = (row, c2, vals)
                if j == i - 1 and items[j][2] is not None:
                    items[j] = (items[j][0], None, None)
        value_rows = [(row, code, vals) for row, code, vals in items if vals is not None]
        if not value_rows:
            return
        # layout of （六）: split if any split row or split marker is present
        split_marks = self.s.tables["t3"]["split_markers"]
        has_split = any(code and code.startswith("t3.r3.6.") for _, code, _ in value_rows) or any(
            any(normalize(mk) in normalize("".join(row.texts())) for mk in split_marks) for row, _, _ in items)
        layout = "split" if has_split else "single"
        order = self.s.t3_row_codes(layout)
        # Fix an ambiguous （六） reading: in the single layout r3.6 is the printed row.
        assigned: list[str | None] = []
        for _, code, _ in value_rows:
            if code is not None and code not in order:
                code = None
            assigned.append(code)
        # Fill unlabelled rows by order when the gap between labelled neighbours fits exactly.
        known = [(i, order.index(c)) for i, c in enumerate(assigned) if c is not None]
        anchors = [(-1, -1)] + known + [(len(assigned), len(order))]
        for (i0, o0), (i1, o1) in zip(anchors, anchors[1:]):
            gap_rows = list(range(i0 + 1, i1))
            if gap_rows and len(gap_rows) == o1 - o0 - 1:
                for k, i in enumerate(gap_rows):
                    assigned[i] = order[o0 + 1 + k]
                    self.m.warnings.append(f"{order[o0 + 1 + k]} (page {value_rows[i][0].page}): label not recognised "
                                           f"({''.join(value_rows[i][0].texts()[:2])[:30]!r}); assigned by row order")
        for (row, _, vals), code in zip(value_rows, assigned):
            if code is None:
                self.m.warnings.append(f"table 三 row on page {row.page} not recognised and not placed: "
                                       f"{' | '.join(c for c in row.texts())[:80]!r}")
                continue
            self._check_label("t3", row)
            spilled = _spilled([raw for raw, _ in vals])
            for k, (col, (raw, cf)) in enumerate(zip(cols, vals)):
                if k in spilled:
                    self.m.cells[f"{code}#{col}"] = Cell(f"{code}#{col}", None, raw.strip(), "text", row.page, row.method, cf)
                    self.m.warnings.append(f"{code}#{col} (page {row.page}): unreadable from this grid: two numbers "
                                           f"stand in one cell beside an empty one ({spilled[k]!r})")
                elif k == 0:
                    self._put_first(row, f"{code}#{col}", raw, cf)
                else:
                    self._put(f"{code}#{col}", raw, cf, row.page, row.method)
        self.m.layout["t3_r3_6"] = layout
        self.m.found.add("t3")
        self.m.methods["t3"] = value_rows[0][0].method
        missing = [r for r in order if f"{r}#c1" not in self.m.cells]
        if missing:
            self.m.warnings.append(f"table 三: row(s) not found: {', '.join(missing)}")


def map_tables(tables: list[RawTable], schema: Schema | None = None) -> Mapped:
    """Map a document's raw grids (in reading order) to canonical cells."""
    return _Mapper(schema or load_schema()).run(tables)


def expected_cells(m: Mapped, schema: Schema | None = None) -> dict[str, list[str]]:
    """Per table, the cell codes the detected layout prints."""
    s = schema or load_schema()
    out: dict[str, list[str]] = {}
    if m.layout.get("t2"):
        out["t2"] = s.t2_cells(m.layout["t2"])
    if m.layout.get("t3_r3_6"):
        out["t3"] = s.t3_cells(m.layout["t3_r3_6"])
    if "t4" in m.found:
        out["t4"] = s.t4_cells()
    return out
