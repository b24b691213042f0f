"""Find a table 三 row the grid missed from the table's text lines, or leave it named as missing.

A phone photo can lose a ruling (two printed rows read as one grid row) or a row's first value can read
as a letter (the mapper then takes the row for a wrapped label): the layout prints the row, the mapping
has none. The row's label is looked for among the text lines the detector finds on the OCR'd table,
between the rows found above and below it (rapidfuzz against the schema's labels). Its values are read
in the grid row around that line (one row's height centred on it where no grid row is), at the
x-positions of the nearest found row's cells: in each box, the line of print level with the label (a
grid row holding two printed rows has two lines per cell), read in several ways. A row is kept only
when every value box holds at most one such line, clear of the box's sides, that reads as a number or a
printed zero marker (none: a blank); its cells get status ``recovered`` and a warning says so. Otherwise the row stays missing and a
warning says why. No value is ever made up: identities then run on what the image shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from .mapping import Cell, Mapped
from .numbers import parse_number
from .ocrsettle import locate_all
from .readers.base import RawTable
from .readers.tablelines import TableImage, TextLine, kept_reading
from .schema import Schema, load_schema
from .text import best_match

RECOVERED = "recovered"     # status of a cell read from the text lines after the grid missed its row
LABEL_CUTOFF = 80           # rapidfuzz score a text line needs to name a row (the mapper's table 三 cutoff)
LINE_HEIGHT = 0.6           # one text line's print is about this share of a detected line box's height
_NOT_FOUND = "table 三: row(s) not found: "
_ITEM = re.compile(r"\d{1,2}\s*[.．、]")    # a numbered row label's enumerator (1. 2、)

Box = tuple[int, int, int, int]


@dataclass
class _Read:
    """A row read from the text lines: where its label stands and what each value box holds."""

    table: RawTable
    label: str
    box: Box                # the label line(s), page pixels
    cells: dict[str, tuple[float | int | None, str, str, float, Box]]   # cell -> (value, raw, status, conf, box)
    others: str             # other readings, for the warning

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2


def rescue_rows(tables: list[RawTable], mapped: Mapped, schema: Schema | None = None) -> tuple[list[str], dict[str, list[int]]]:
    """Read the table 三 rows ``mapped`` lacks from the text lines of the OCR'd tables (cells added to
    ``mapped`` in place, status ``recovered``); return the warnings and each recovered cell's box.

    A found row whose grid row also holds a recovered row's label took its values from a cell holding
    both rows' print: it is read again from its own label's band the same way (or its cells are named)."""
    s = schema or load_schema()
    layout = mapped.layout.get("t3_r3_6")
    if "t3" not in mapped.found or not layout or not any(t.image is not None for t in tables):
        return [], {}
    order = s.t3_row_codes(layout)
    rows_of = {code.split("#")[0] for code in mapped.cells if code.startswith("t3.")}
    missing = [r for r in order if r not in rows_of]
    if not missing:
        return [], {}
    ocr = {k: c for k, c in mapped.cells.items() if k.startswith("t3.") and c.confidence is not None}
    found: dict[str, list[tuple[RawTable, str, Box]]] = {}
    for code, (t, i, j) in locate_all(tables, ocr).items():
        if t.image is not None and t.boxes and (i, j) in t.boxes:
            row, col = code.split("#")
            found.setdefault(row, []).append((t, col, t.boxes[i, j]))
    labels = {r.code: r.labels for r in s.t3_rows}
    warnings: list[str] = []
    boxes: dict[str, list[int]] = {}
    still = []
    method = mapped.methods.get("t3", "")

    def keep(row: str, got: _Read, how: str) -> None:
        for code, (value, raw, _, conf, box) in got.cells.items():
            mapped.cells[code] = Cell(code, value, raw, RECOVERED, got.table.page, method, conf)
            boxes[code] = list(box)
        note = f"; other readings {got.others}" if got.others else ""
        warnings.append(f"{row} (page {got.table.page}): {how} from the text lines (label {got.label!r}; values "
                        f"{' | '.join(c[1] or '_' for c in got.cells.values())}){note}")

    for row in missing:
        k = order.index(row)
        above = next((order[n] for n in range(k - 1, -1, -1) if order[n] in found), None)
        below = next((order[n] for n in range(k + 1, len(order)) if order[n] in found), None)
        window = {c: labels[c] for c in order[order.index(above) if above else 0:
                                               order.index(below) + 1 if below else len(order)]}
        got = _rescue(row, window, found.get(above, []), found.get(below, []), s)
        if not isinstance(got, _Read):
            still.append(row)
            if got:
                warnings.append(got)
            continue
        keep(row, got, "row recovered")
        for near in (above, below):
            shared = [b for t, _, b in found.get(near, []) if t is got.table and b[1] < got.middle < b[3]]
            if near is None or not shared:
                continue
            # the neighbour's label lies between its own cells and the recovered row's, under the same columns
            mine = [(got.table, code.split("#")[1], c[4]) for code, c in got.cells.items()]
            again = _rescue(near, window, *((found[near], mine) if near == above else (mine, found[near])), s)
            if isinstance(again, _Read) and again.box != got.box:
                keep(near, again, f"its grid row also held {row}'s print; row read again")
            else:
                codes = sorted(c for c in mapped.cells if c.split("#")[0] == near)
                warnings.append(f"{near} (page {got.table.page}): its grid row also holds {row}'s print, so its values "
                                f"may mix both rows: {', '.join(codes)}")
    _rename_missing(mapped, still)
    if boxes:
        _in_order(mapped, s.t3_cells(layout))
    return warnings, boxes


def _in_order(mapped: Mapped, codes: list[str]) -> None:
    """Put table 三's cells (recovered ones were added last) in the layout's order, where the table's
    first cell stood among the others."""
    place = {c: n for n, c in enumerate(codes)}
    t3 = sorted((k for k in mapped.cells if k in place), key=place.__getitem__)
    out: dict[str, Cell] = {}
    for k, cell in mapped.cells.items():
        if k not in place:
            out[k] = cell
        elif not any(c in out for c in t3):
            out.update((c, mapped.cells[c]) for c in t3)
    mapped.cells.clear()
    mapped.cells.update(out)


def _rename_missing(mapped: Mapped, still: list[str]) -> None:
    """The mapper's 'row(s) not found' warning, naming only the rows still missing (none: dropped)."""
    for n, w in enumerate(mapped.warnings):
        if w.startswith(_NOT_FOUND):
            if still:
                mapped.warnings[n] = _NOT_FOUND + ", ".join(still)
            else:
                del mapped.warnings[n]
            return


def _rescue(row: str, window: dict[str, tuple[str, ...]], above: list[tuple[RawTable, str, Box]],
            below: list[tuple[RawTable, str, Box]], s: Schema) -> _Read | str:
    """Read one row from the text lines, or a warning why not ('' when its label is not among them). It is
    looked for in the tables of the rows found above and below it, from the top of the row above to the
    bottom of the row below (a ruling lost between them leaves both in one grid row)."""
    tables = list({id(t): t for t, _, _ in above + below}.values())
    for t in tables:
        mine_above = [b for u, _, b in above if u is t]
        mine_below = [b for u, _, b in below if u is t]
        top = min(b[1] for b in mine_above) if mine_above else t.image.ys[0]
        bottom = max(b[3] for b in mine_below) if mine_below else t.image.ys[-1]
        hit = _label(t.image, row, window, top, bottom)
        if hit is not None:
            return _values(t, row, hit[0], hit[1], [c for c in above + below if c[0] is t], window, s)
    return ""


def _label(image: TableImage, row: str, window: dict[str, tuple[str, ...]], top: int, bottom: int) -> tuple[str, Box] | None:
    """The text line (or two lines of one wrapped label) between ``top`` and ``bottom`` that names ``row``
    best among the rows of ``window``; None when no line does."""
    lines = [ln for ln in image.lines() if top <= ln.middle <= bottom]
    best: tuple[float, str, Box] | None = None
    for n, ln in enumerate(lines):
        tries = [(ln.text, ln.box)]
        inner = _ITEM.search(ln.text, 1)   # a group label run into the row's: '(三）不予1．属于国家秘密'
        if inner:
            tries.append((ln.text[inner.start():], ln.box))
        for nxt in lines[n + 1:n + 3]:
            if _wraps(ln, nxt):
                tries.append((ln.text + nxt.text, _union(ln.box, nxt.box)))
        for text, box in tries:
            code, score = best_match(text, window, cutoff=LABEL_CUTOFF)
            if code == row and (best is None or score > best[0]):
                best = (score, text, box)
    return (best[1], best[2]) if best else None


def _wraps(a: TextLine, b: TextLine) -> bool:
    """True when line ``b`` continues line ``a`` in the same cell: it starts at about the same x, just below."""
    h = a.box[3] - a.box[1]
    return abs(b.box[0] - a.box[0]) <= h and 0 <= b.box[1] - a.box[3] + h / 2 <= h


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _alone(image: TableImage, k: int | None, lbox: Box, row: str, window: dict[str, tuple[str, ...]]) -> bool:
    """True when grid row ``k`` holds the label at ``lbox``, no other row's label and no text right of the
    label: its rulings bound this printed row alone, so value boxes empty between them are printed blank
    (the mapper takes a row with no values and an inexact label for a wrapped label line)."""
    if k is None:
        return False
    top, bottom = image.ys[k], image.ys[k + 1]
    for ln in image.lines():
        if not top <= ln.middle < bottom or lbox[1] <= ln.middle <= lbox[3] and ln.box[0] < lbox[2]:
            continue
        if ln.box[0] >= lbox[2] or best_match(ln.text, window, cutoff=LABEL_CUTOFF)[0] not in (None, row):
            return False
    return True


def _values(t: RawTable, row: str, label: str, lbox: Box, near: list[tuple[RawTable, str, Box]],
            window: dict[str, tuple[str, ...]], s: Schema) -> _Read | str:
    """Read the values of ``row`` in the band of its label line ``lbox`` at the nearest found row's columns;
    a warning when one cannot be read."""
    image: TableImage = t.image
    middle = (lbox[1] + lbox[3]) / 2
    ys = image.ys
    pitch = median(b - a for a, b in zip(ys, ys[1:]))   # most grid rows hold one printed row
    k = next((n for n in range(len(ys) - 1) if ys[n] <= middle < ys[n + 1]), None)
    half = max(pitch, lbox[3] - lbox[1]) / 2
    y0, y1 = (ys[k], ys[k + 1]) if k is not None else (int(middle - half), int(middle + half))
    columns: dict[str, Box] = {}
    for _, col, b in sorted(near, key=lambda c: abs((c[2][1] + c[2][3]) / 2 - middle)):
        columns.setdefault(col, b)
    height = image.print_height(lbox) or LINE_HEIGHT * (lbox[3] - lbox[1])
    cells: dict[str, tuple] = {}
    others: list[str] = []
    for col in s.t3_columns:
        if col not in columns:
            return f"{row} (page {t.page}): its label {label!r} is on the page but column {col} has no found cell to read under; the row stays missing"
        box = (columns[col][0], y0, columns[col][2], y1)
        reads = image.read(box, height, middle, half)
        if reads is None:
            return (f"{row} (page {t.page}): its label {label!r} is on the page but its {col} value is not one clear "
                    "line of print level with it; the row stays missing")
        text, conf, alt = kept_reading(reads) if reads else ("", 1.0, [])
        p = parse_number(text, s.number_kind(f"{row}#{col}"))
        if p.status == "text" or (reads and not text):   # print that reads as nothing is no blank
            return (f"{row} (page {t.page}): its label {label!r} is on the page but its {col} value is unreadable "
                    f"(read {', '.join(repr(r) for r, _ in reads if r) or 'nothing'}); the row stays missing")
        shown = (box[0], max(y0, int(middle - half)), box[2], min(y1, int(middle + half)))   # the review's crop
        cells[f"{row}#{col}"] = (p.value, text, p.status, conf, shown)
        others += [f"{col} {a!r}" for a in alt]
    if all(c[2] == "blank" for c in cells.values()) and not _alone(image, k, lbox, row, window):
        return f"{row} (page {t.page}): its label {label!r} is on the page but no value is printed beside it; the row stays missing"
    return _Read(t, label, lbox, cells, ", ".join(others))
