"""Borderless tables from the characters' positions (a browser's, Word's or WPS's table printed with no
ruling lines): each row is anchored by its line of values; a label wrapped over several lines is one
cell (its lines follow each other in the content stream, one under the other) and joins the row whose
values it stands beside; the value columns come from the values' x-extents, column by column. On a page
that draws its table's rulings (listed among pdfium's page objects, no layout needed), the ruled cells
decide instead: which column a value, header or label stands in, which text is a caption across the
table, which lines make one row, and where a header cut off by a page break ends."""
from __future__ import annotations

import bisect
import ctypes
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..numbers import DASHES, SLASHES, UNITS, looks_numeric
from .base import RawTable
from .layouts import RULE_WIDTH   # the widest drawn shape taken as a ruling line, as the ruled readings take it

# a label line that starts a new label: '1.', '（三）', '四、' (a wrapped line's continuation never does)
_ENUM = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)")
_MARKS = (DASHES | SLASHES) - {"一"}   # dashes and slashes printed as a value ('一' is also a character)
PARAGRAPH = 50   # a text beside no value line longer than this is running text around the table, not a cell
RULE_LENGTH = 5.0  # the shortest ruling line (pt): a shorter mark (an underline's end, a corner) bounds no cell
ROW_REACH = 2.0    # em: the farthest a value line stands from a label in its ruled row
WALL_TOL = 0.3     # em: text this close to (or over) a vertical ruling still stands inside the cell it bounds
# a page number printed as '- 1 -' / '— 12 —' (read as a line of dashes and a number)
_PAGE_NUMBER = re.compile(r"^[-－—–]\d{1,4}[-－—–]$")
ROW_SLIP = 1.0   # em: a value line with no label this near a labelled row may be a cell of it set off its baseline
UNIT_GAP = 1.0   # em: a unit printed at most this far after its number is the value's ('47302650 元')


@dataclass
class _Piece:
    """Glyphs printed side by side on one baseline."""

    text: str
    x0: float
    x1: float
    y: float
    numeric: bool = False


@dataclass
class _Block:
    """A cell's text: pieces one under the other (top first); a number is a block of its own."""

    lines: list[_Piece]
    numeric: bool
    anchor: int | None = None            # index of the value line it belongs to
    col: int = 0
    row: float | None = None             # a value's row when not its middle: its row's other values' baseline

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.lines)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.lines)

    @property
    def top(self) -> float:
        return self.lines[0].y

    @property
    def bottom(self) -> float:
        return self.lines[-1].y

    @property
    def mid(self) -> float:
        return self.row if self.row is not None else (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.lines)


class _Glyph(NamedTuple):
    ch: str
    x0: float
    x1: float
    y: float          # baseline
    h: float
    spaced: bool      # a space character is printed just before it (running text, not a cell gap)
    wide: bool        # a full-width character (CJK)
    size: float       # font size, in the producer's unit


def _glyphs(textpage: Any) -> list[_Glyph]:
    """The page's printed characters in content-stream order. A full-width character spans one
    advance from its origin (a Type 3 glyph's box is its ink only: '（' would seem to stand apart)."""
    import pypdfium2.raw as pdfium_c

    raw, out = textpage.raw, []
    x, y = ctypes.c_double(), ctypes.c_double()
    spaced = False
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1 or 0xD800 <= code <= 0xDFFF:
            spaced = False
            continue
        ch = chr(code)
        if ch.isspace() or not ch.isprintable() or abs(pdfium_c.FPDFText_GetCharAngle(raw, i)) > 0.01:
            spaced = ch == " "
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
        wide = unicodedata.east_asian_width(ch) in "WF"
        out.append(_Glyph(ch, x.value if wide else min(left, x.value), right, y.value, top - bottom, spaced, wide,
                          pdfium_c.FPDFText_GetFontSize(raw, i)))
        spaced = False
    # a full-width character's advance is its font size times the ratio of the step between two such
    # characters set solid on one line to their size (the size's unit varies by producer): the smallest
    # ratio that many steps share (justified text only widens them)
    ratios = sorted((b.x0 - a.x0) / a.size for a, b in zip(out, out[1:])
                    if a.wide and b.wide and a.y == b.y and a.size == b.size and 0 < b.x0 - a.x0 < 2 * a.size)
    if not ratios:
        return out
    need = max(3, len(ratios) // 5)
    k = next((r for i, r in enumerate(ratios) if bisect.bisect_right(ratios, r + 0.05) - i >= need),
             ratios[len(ratios) // 2])
    return [g._replace(x1=g.x0 + k * g.size) if g.wide else g for g in out]


Wall = tuple[float, float, float]   # a vertical ruling: x, bottom, top (page space, as the characters)


def _rulings(page: Any) -> tuple[list[Wall], list[Wall]]:
    """The rulings a page draws, vertical (x, bottom, top) and horizontal (y, left, right): thin drawn
    shapes (a line, a thin filled rectangle) and the sides of stroked rectangles (a cell's border drawn
    as a box). Paths inside form XObjects and any other shape are not looked at: a page whose rulings
    are not found reads as before."""
    import pypdfium2.raw as pdfium_c

    raw = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    walls: list[Wall] = []
    floors: list[Wall] = []
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH \
                or not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        if x1 - x0 <= RULE_WIDTH and y1 - y0 >= RULE_LENGTH:
            walls.append(((x0 + x1) / 2, y0, y1))
        elif y1 - y0 <= RULE_WIDTH and x1 - x0 >= RULE_LENGTH:
            floors.append(((y0 + y1) / 2, x0, x1))
        elif max(x1 - x0, y1 - y0) >= RULE_LENGTH and pdfium_c.FPDFPath_CountSegments(obj) <= 5 \
                and pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) and stroke.value:
            if x1 - x0 < RULE_LENGTH:     # a line stroked wide: its box is as wide as the pen
                walls.append(((x0 + x1) / 2, y0, y1))
            elif y1 - y0 < RULE_LENGTH:
                floors.append(((y0 + y1) / 2, x0, x1))
            else:                         # a stroked box: its four sides
                walls += [(x0, y0, y1), (x1, y0, y1)]
                floors += [(y0, x0, x1), (y1, x0, x1)]
    return _Walls(walls), floors


_DIGITS = re.compile(r"^[\d,.]+$")


def _wrapped_in_cells(blocks: list[_Block], walls: list[Wall], floors: list[Wall], em: float) -> list[_Block]:
    """On a ruled page, digits wrapped in a narrow cell whose producer draws the page line by line ('2,65'
    on one line, '5' on the next, other cells' text between them in the stream): the next line down in
    the same ruled cell, no ruling between, continues the number ('2,655')."""
    digits = [b for b in blocks if len(b.lines) == 1 and _DIGITS.match(b.text)]
    gone: set[int] = set()
    for b in digits:
        if id(b) in gone or _is_value(b.text):   # only a broken number ('2,65') is looked at
            continue
        cell = _cell(walls, b.x0, b.x1, b.mid, em)
        if cell[0] == b.x0 or cell[1] == b.x1:
            continue
        c = (b.x0 + b.x1) / 2
        below = [q for q in digits if q is not b and id(q) not in gone and 0.5 * em <= b.bottom - q.top <= 2.5 * em
                 and _cell(walls, q.x0, q.x1, q.mid, em) == cell
                 and not any(q.top < fy < b.bottom and x0 <= c <= x1 for fy, x0, x1 in floors)]
        if len(below) == 1 and _is_value(b.text + below[0].text):
            b.lines.append(below[0].lines[0])
            b.numeric = True
            gone.add(id(below[0]))
    return [b for b in blocks if id(b) not in gone]


def _same_row(lines: list[list[_Block]], floors: list[Wall], em: float) -> list[list[_Block]]:
    """On a ruled page, value lines one over the other with no ruling between them and no value over
    another are one row (a value set higher in its cell than its neighbours: LibreOffice)."""
    out: list[list[_Block]] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and prev[0].mid - line[0].mid <= 1.5 * em \
                and not any(a.x0 < b.x1 and b.x0 < a.x1 for a in prev for b in line) \
                and not any(line[0].mid < y < prev[0].mid and x0 < v.x1 and v.x0 < x1
                            for y, x0, x1 in floors for v in prev + line):
            out[-1] = sorted(prev + line, key=lambda v: v.x0)
        else:
            out.append(line)
    return out


class _Walls(list):
    """A page's vertical rulings, indexed by height: those crossing a height are looked up among the few
    in its band of the page, not all of the page's hundreds."""

    BAND = 8.0   # pt: the height of a band of the index; each ruling is also listed in the bands either side

    def __init__(self, walls: list[Wall] = ()) -> None:
        super().__init__(walls)
        self._bands: dict[int, list[Wall]] = {}
        for w in sorted(self):
            for k in range(int(w[1] // self.BAND) - 1, int(w[2] // self.BAND) + 2):
                self._bands.setdefault(k, []).append(w)
        self.bottom = min((lo for _, lo, _ in self), default=float("inf"))   # of the lowest ruling
        self.top = max((hi for _, _, hi in self), default=float("-inf"))     # of the highest

    def spans(self, y: float, tol: float) -> bool:
        """Height ``y`` stands between the lowest and the highest ruling (within ``tol``), not outside them all."""
        return self.bottom - tol <= y <= self.top + tol

    def crossing(self, y: float, tol: float) -> list[float]:
        """The x of each ruling crossing height ``y`` (within ``tol``), left to right."""
        if tol <= self.BAND:   # the rulings listed in y's band include all those within a band of it
            return [x for x, lo, hi in self._bands.get(int(y // self.BAND), ()) if lo - tol <= y <= hi + tol]
        return sorted(x for x, lo, hi in self if lo - tol <= y <= hi + tol)


def _cell(walls: _Walls, x0: float, x1: float, y: float, em: float) -> tuple[float, float]:
    """The x-extent of the ruled cell holding the text from ``x0`` to ``x1`` on height ``y``: the nearest
    vertical rulings crossing ``y`` either side; the text's own extent on a side with none."""
    if not walls:
        return (x0, x1)
    tol, c = WALL_TOL * em, (x0 + x1) / 2
    xs = walls.crossing(y, tol)
    i, j = bisect.bisect_right(xs, min(x0 + tol, c)), bisect.bisect_left(xs, max(x1 - tol, c))
    return (xs[i - 1] if i else x0, xs[j] if j < len(xs) else x1)


def _is_value(text: str) -> bool:
    return text in _MARKS or (any(c.isdigit() for c in text) and looks_numeric(text))


def _apart(a: str, b: str) -> bool:
    """Two glyphs set solid that are two cells: a dash, slash or '无' beside a digit or another such mark
    (not a sign before its digits, nor a dash doubled)."""
    marks = _MARKS | {"无"}
    if a in "+-－" and b.isdigit() or a == b and a in DASHES:   # '-15'; '——' is one dash
        return False
    return (a in marks or b in marks) and (a in marks or a.isdigit()) and (b in marks or b.isdigit())


def _pieces(glyphs: list[_Glyph], em: float) -> list[_Piece]:
    """Glyphs joined into pieces at small gaps or a printed space (running text: '共 30317 条'); then
    pieces of text (not numbers) joined across the wider gaps of justified text, which spaces every
    character: two runs of full-width characters set solid side by side are two cells."""
    runs: list[tuple[_Piece, int, int]] = []   # (piece, full-width glyphs at its start, at its end)
    for g in glyphs:
        last = runs[-1] if runs else None
        if last is not None and g.wide and last[2] and not g.spaced:   # a space set as a gap between CJK glyphs
            g = g._replace(spaced=0.18 <= (g.x0 - last[0].x1) / (g.x1 - g.x0) <= 0.26)
        if last is not None and abs(g.y - last[0].y) <= 0.25 * em and not _apart(last[0].text[-1], g.ch) and \
                -0.3 * em <= g.x0 - last[0].x1 <= (em if g.spaced else 0.15 * em):
            p, head, tail = last
            p.text, p.x1 = p.text + (" " if g.spaced else "") + g.ch, max(p.x1, g.x1)
            runs[-1] = (p, head + (head == len(p.text) - 1 and g.wide), tail + 1 if g.wide else 0)
        else:
            runs.append((_Piece(g.ch, g.x0, g.x1, g.y), int(g.wide), int(g.wide)))
    out: list[_Piece] = []
    tail = 0
    for p, head, end in runs:
        p.numeric = _is_value(p.text)
        last = out[-1] if out else None
        if (last is not None and not p.numeric and not last.numeric and abs(p.y - last.y) <= 0.25 * em
                and -0.3 * em <= p.x0 - last.x1 <= 1.2 * em and not (tail >= 2 and head >= 2)
                and not _apart(last.text[-1], p.text[0])):
            last.text, last.x1 = last.text + p.text, max(last.x1, p.x1)
        else:
            out.append(p)
        tail = end
    for p in out:   # '无' standing alone (not a character of a justified label) is a cell meaning none
        p.numeric = p.numeric or p.text == "无"
    return _split_values(_with_units(out, em), em)


def _with_units(pieces: list[_Piece], em: float) -> list[_Piece]:
    """A unit printed after a number on its baseline, a little apart ('73802895.90 元', '228.7266 万元'),
    is part of the value: left apart it would be text beside the value, and the line taken for prose."""
    out: list[_Piece] = []
    for p in pieces:
        last = out[-1] if out else None
        if (last is not None and last.numeric and p.text in UNITS and abs(p.y - last.y) <= 0.25 * em
                and 0 <= p.x0 - last.x1 <= UNIT_GAP * em and _is_value(last.text + p.text)):
            out[-1] = _Piece(last.text + p.text, last.x0, p.x1, last.y, True)
        else:
            out.append(p)
    return out


_TRAILING_NUMBER = re.compile(r"(?<=[\u3000-\u9fff）)”])\d+(?:\.\d+)?$")


def _split_values(pieces: list[_Piece], em: float) -> list[_Piece]:
    """A number set solid after a label ('…申请数量64': a cell with no padding), with more values after
    it on the line, is the row's first value: split it off the label."""
    out: list[_Piece] = []
    for p, q in zip(pieces, pieces[1:] + [None]):
        m = _TRAILING_NUMBER.search(p.text) if not p.numeric else None
        if m and q is not None and q.numeric and abs(q.y - p.y) <= 0.25 * em and q.x0 > p.x1:
            x0 = p.x1 - 0.55 * em * len(m.group(0))   # a digit is about half a full-width advance
            out += [_Piece(p.text[:m.start()], p.x0, x0, p.y), _Piece(m.group(0), x0, p.x1, p.y, True)]
        else:
            out.append(p)
    return out


def _wraps(b: _Block, p: _Piece, em: float) -> bool:
    """``p`` is the next line of the paragraph ``b`` ends with: the same left edge, centre or right
    edge as the line above, or a first line indented from the lines under it."""
    a = b.lines[-1]
    return (min(abs(a.x0 - p.x0), abs(a.x1 - p.x1), abs(a.x0 + a.x1 - p.x0 - p.x1) / 2) <= 0.6 * em
            or len(b.lines) == 1 and p.x0 < a.x0 <= p.x0 + 3 * em and a.x1 >= p.x1 - 0.6 * em)


def _blocks(pieces: list[_Piece], em: float) -> list[_Block]:
    """Cells: a piece continues the block drawn just before it when it is the next line down (the same
    line pitch) and is either text wrapped from the line above that neither starts a new enumerated
    label nor starts a row (the next piece drawn stands beside it: another cell of its row), or the
    rest of a number wrapped in a narrow column ('3' over '0' is 30); a short word that makes a value
    with the number after it ('增加' beside or over '48') is that value."""
    blocks: list[_Block] = []
    for i, p in enumerate(pieces):
        b = blocks[-1] if blocks else None
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if b is not None and not b.numeric and len(b.lines) == 1 and len(b.text) <= 2 and p.numeric \
                and _is_value(b.text + p.text):   # a signed value: '增加' beside or over its number
            if abs(p.y - b.top) <= 0.25 * em and -0.3 * em <= p.x0 - b.x1 <= 1.5 * em:
                b.lines[0] = _Piece(b.text + " " + p.text, b.x0, max(b.x1, p.x1), b.top, True)
                b.numeric = True
                continue
            if 0.5 * em <= b.top - p.y <= 2.5 * em and p.x0 < b.x1 + 0.5 * em and p.x1 > b.x0 - 0.5 * em:
                b.lines.append(p)
                b.numeric = True
                continue
        if b is not None and (not b.numeric and not p.numeric and not _ENUM.match(p.text) and _wraps(b, p, em)
                              and not (nxt is not None and abs(nxt.y - p.y) <= 0.25 * em and nxt.x0 > p.x1)
                              or b.numeric and p.numeric and _is_value(b.text + p.text)
                              and p.x0 <= b.x1 + em and p.x1 >= b.x0 - em):
            step = b.bottom - p.y
            pitch = b.lines[-2].y - b.bottom if len(b.lines) > 1 else step
            if 0.5 * em <= step <= 2.5 * em and abs(step - pitch) <= 0.3 * em:
                b.lines.append(p)
                continue
        blocks.append(_Block([p], p.numeric))
    return blocks


@dataclass
class _Segment:
    """Consecutive value lines whose values stand in the same columns, with the text around them."""

    anchors: list[int] = field(default_factory=list)
    bands: list[list[float]] = field(default_factory=list)   # [x0, x1] of each value column
    walls: list[Wall] = field(default_factory=list)          # the page's vertical rulings
    y: float = 0.0                                           # height of its first value line
    _cells: dict = field(default_factory=dict, repr=False)   # (column, x0, x1) -> its ruled cell

    def cell(self, k: int, em: float) -> tuple[float, float]:
        """The ruled cell of value column ``k`` (the column's own extent where no ruling bounds it)."""
        key = (k, *self.bands[k])
        if key not in self._cells:
            self._cells[key] = _cell(self.walls, self.bands[k][0], self.bands[k][1], self.y, em)
        return self._cells[key]

    def reaches_values(self, t: _Block, em: float) -> bool:
        """A text standing over the value columns: it reaches past their left edge, or its ruled cell
        does (a caption or header centred in a cell across the table)."""
        v0 = self.cell(0, em)[0]   # the column's own left edge where no ruling bounds it
        return max(t.x1, _cell(self.walls, t.x0, t.x1, t.mid, em)[1]) > v0 + 0.5 * em

    def fit(self, values: list[_Block], em: float) -> list[int | None] | None:
        """The band each value falls in (None: a new column), or None when the line does not fit. A line
        with a value in every column fits when each stands within its column's share of the width
        (a cell aligned differently from the rest of its column)."""
        bands = self.bands
        if self.walls and (where := self._fit_cells(values, em)) != "unruled":
            return where
        if len(values) == len(bands) and all(
                (k == 0 or v.x1 > (bands[k - 1][1] + bands[k][0]) / 2)
                and (k + 1 == len(bands) or v.x0 < (bands[k][1] + bands[k + 1][0]) / 2)
                for k, v in enumerate(values)):
            return list(range(len(values)))
        out: list[int | None] = []
        for v in values:
            hits = [k for k, (a, b) in enumerate(self.bands) if v.x0 < b + 0.1 * em and v.x1 > a - 0.1 * em]
            if len(hits) > 1 or (hits and hits[0] in out):
                return None
            out.append(hits[0] if hits else None)
        return out if any(k is not None for k in out) else None

    def _fit_cells(self, values: list[_Block], em: float) -> list[int | None] | None | str:
        """``fit`` on a ruled page: a value goes to the column whose ruled cell is its own, a value in a
        cell under no column starts one; "unruled" when a value stands in no ruled cell."""
        tol = WALL_TOL * em
        cells = [self.cell(k, em) for k in range(len(self.bands))]
        out: list[int | None] = []
        for v in values:
            a, z = _cell(self.walls, v.x0, v.x1, v.mid, em)
            if a == v.x0 or z == v.x1:
                return "unruled"
            same = [k for k, (b, c) in enumerate(cells) if abs(a - b) <= tol and abs(z - c) <= tol]
            if len(same) == 1 and same[0] not in out:
                out.append(same[0])
            elif not any(b < z - tol and c > a + tol for b, c in cells):
                out.append(None)
            else:
                return None
        return out if any(k is not None for k in out) else None

    def add(self, values: list[_Block], where: list[int | None]) -> None:
        for v, k in zip(values, where):
            if k is None:
                self.bands.append([v.x0, v.x1])
            else:
                self.bands[k] = [min(self.bands[k][0], v.x0), max(self.bands[k][1], v.x1)]
        self.bands.sort()


def _value_lines(blocks: list[_Block], em: float, walls: list[Wall] = ()) -> list[list[_Block]]:
    """Value blocks grouped by baseline, top line first; a line with text printed right of its first
    value is prose, not a table row (its numbers are text) -- unless, on a ruled page, that text stands in
    a value's ruled cell and reads as a value with it ('145.5856' '万元'): it then joins the value."""
    _wrapped_rows([b for b in blocks if b.numeric], em)
    values = sorted((b for b in blocks if b.numeric), key=lambda b: -b.mid)
    lines: list[list[_Block]] = []
    for v in values:
        if lines and abs(lines[-1][0].mid - v.mid) <= 0.35 * em:
            lines[-1].append(v)
        else:
            lines.append([v])
    out = []
    for line in lines:
        left, y = min(v.x0 for v in line), line[0].mid
        beside = [b for b in blocks if not b.numeric and b.x0 > left and any(abs(p.y - y) <= 0.35 * em for p in b.lines)]
        if walls and beside:
            for b in list(beside):
                v = _unit_of(line, b, walls, em)
                if v is not None:
                    v.lines = [_Piece(v.text + b.text, v.x0, max(v.x1, b.x1), v.lines[0].y, True)]
                    blocks.remove(b)
                    beside.remove(b)
        if beside:
            for v in line:
                v.numeric = False
            continue
        out.append(sorted(line, key=lambda v: v.x0))
    return _slipped_values(out, blocks, em)


def _slipped_values(lines: list[list[_Block]], blocks: list[_Block], em: float) -> list[list[_Block]]:
    """A value set off its row's baseline (a cell printed in another font size or line height: '77' at the
    top of its cell, the row's other values lower) makes a line of its own with no label beside it. Such
    a line within ROW_SLIP of the nearer of the lines either side, a labelled one, whose values all stand
    where that line prints none, is part of that line's row: read alone its values would be lost and the
    row's cells read blank."""
    def labelled(line: list[_Block]) -> bool:
        y = line[0].mid
        return any(not b.numeric and b.x1 <= line[0].x0 + 0.5 * em
                   and b.bottom - 0.6 * em <= y <= b.top + 0.6 * em for b in blocks)

    marks = [labelled(line) for line in lines]
    out: list[list[_Block]] = []
    for i, line in enumerate(lines):
        near = sorted((abs(lines[j][0].mid - line[0].mid), j) for j in (i - 1, i + 1) if 0 <= j < len(lines))
        gap, j = near[0] if near else (float("inf"), i)
        if (marks[i] or not marks[j] or gap > ROW_SLIP * em or (len(near) == 2 and near[1][0] <= gap)
                or any(v.x0 < w.x1 + 0.1 * em and v.x1 > w.x0 - 0.1 * em for v in line for w in lines[j])):
            out.append(line)
            continue
        row = lines[j][0].mid
        for v in line:
            v.row = row
        lines[j][:] = sorted(lines[j] + line, key=lambda v: v.x0)   # the same list as in ``out`` when j < i
    return out


def _unit_of(line: list[_Block], b: _Block, walls: list[Wall], em: float) -> _Block | None:
    """The value of ``line`` that text ``b`` printed after it in the same ruled cell completes ('万元')."""
    if len(b.lines) != 1:
        return None
    cell = _cell(walls, b.x0, b.x1, b.mid, em)
    if cell[0] == b.x0 or cell[1] == b.x1:
        return None
    return next((v for v in line if len(v.lines) == 1 and v.x1 <= b.x0 + WALL_TOL * em
                 and _cell(walls, v.x0, v.x1, v.mid, em) == cell and _is_value(v.text + b.text)), None)


def _wrapped_rows(values: list[_Block], em: float) -> None:
    """A number wrapped in a narrow cell ('159' over '2') stands in the row whose other values are set
    level with its first line, its middle or its last line (cells aligned to their top, centre or foot):
    whichever of the three the most other values share (their single line, or the same line of theirs
    when wrapped too), the middle when none does."""
    for v in values:
        if len(v.lines) == 1:
            continue
        ends = {"mid": v.mid, "top": v.top, "bottom": v.bottom}
        level = {k: sum(1 for w in values if w is not v
                        and abs(getattr(w, k if len(w.lines) > 1 else "mid") - y) <= 0.35 * em)
                 for k, y in ends.items()}
        best = max(("mid", "top", "bottom"), key=lambda k: level[k])   # ties: the middle, then the top
        if best != "mid" and level[best] > level["mid"]:
            v.row = ends[best]


def _split_joined(lines: list[list[_Block]], em: float, before: list[list[_Block]] = (),
                  after: list[list[_Block]] = (), walls: list[Wall] = ()) -> None:
    """Values of adjacent cells set solid ('38636482': no padding, or one space between them) are cut
    where a nearby value line (within 8 lines, on this page or the page before or after) has two or more
    values inside the joined one's extent (never inside a decimal or before a leading zero; a value holding
    one decimal point is one number: '24252.311082' centred in a wide cell is not cut; nor is a value
    alone in its ruled cell: ``_split_at_walls`` cut those a ruling crosses)."""
    ref = list(before[-8:]) + lines + list(after[:8])
    extents = [[(w.x0, w.x1) for w in line] for line in ref]   # kept up to date as lines are cut
    shift = len(ref) - len(lines) - len(after[:8])
    for i, line in enumerate(lines, start=shift):
        out: list[_Block] = []
        for v in line:
            parts = None
            x0, x1 = v.x0, v.x1
            near = sorted(range(max(0, i - 8), min(len(ref), i + 9)), key=lambda j: abs(j - i))[1:]
            ruled = walls and all(e not in (v.x0, v.x1) for e in _cell(walls, v.x0, v.x1, v.mid, em))
            for j in near if len(v.lines) == 1 and v.lines[0].text.count(".") != 1 and not ruled else ():
                hits = [[a, b] for a, b in extents[j] if a < x1 and b > x0]
                if len(hits) >= 2 and all(x0 - 0.3 * em <= a and b <= x1 + 0.3 * em for a, b in hits):
                    parts = _cut(v.lines[0], hits, em, least=1, tol=0.15)
                    # a unit ends the number it follows: '4072500元' is one value, never '407250' + '0元'
                    if parts and all(_is_value(q.text) and q.text[0] not in ".,，" and q.text[-1] not in ".,，"
                                     and not re.match(r"0\d", q.text)
                                     and (q.text.endswith(UNITS) or not v.text.endswith(UNITS)) for q in parts):
                        break
                    parts = None
            out += [_Block([q], True) for q in parts] if parts else [v]
        line[:] = out
        extents[i] = [(w.x0, w.x1) for w in out]


def _split_at_walls(lines: list[list[_Block]], walls: list[Wall], em: float) -> None:
    """Values of two ruled cells set solid ('3532' across the ruling between 35 and 32: numbers filling
    their cells edge to edge) are cut where the ruling crosses them (digits are set at one width)."""
    tol = WALL_TOL * em
    for line in lines:
        out: list[_Block] = []
        for v in line:
            p = v.lines[0]
            xs = [x for x in walls.crossing(p.y, tol) if p.x0 + tol < x < p.x1 - tol]
            if len(v.lines) != 1 or not xs or not p.text.isdigit():
                out.append(v)
                continue
            step = (p.x1 - p.x0) / len(p.text)
            cuts = [0] + [round((x - p.x0) / step) for x in xs] + [len(p.text)]
            parts = [_Piece(p.text[a:b], p.x0 + a * step, p.x0 + b * step, p.y, True) for a, b in zip(cuts, cuts[1:])]
            if any(not q.text or re.match(r"0\d", q.text) for q in parts):
                out.append(v)
                continue
            out += [_Block([q], True) for q in parts]
        line[:] = out


def _attach(blocks: list[_Block], lines: list[list[_Block]], em: float, floors: list[Wall] = ()) -> list[_Block]:
    """Give each text block the value line it stands beside (one whose baseline lies within the block's
    lines); a block beside several is split line by line to the nearest. On a ruled page, a block beside
    none takes the one line within ``ROW_REACH`` em that no horizontal ruling parts from it (a number
    wrapped in its cell stands lower than its row's label). Returns the text blocks."""
    ys = [line[0].mid for line in lines]
    out: list[_Block] = []
    for b in blocks:
        if b.numeric:
            continue
        near = [i for i, y in enumerate(ys) if b.bottom - 0.6 * em <= y <= b.top + 0.6 * em
                and b.x1 <= lines[i][0].x0 + 0.5 * em]
        if not near and floors:
            c = (b.x0 + b.x1) / 2
            near = [i for i, y in enumerate(ys) if abs(y - b.mid) <= ROW_REACH * em
                    and b.x1 <= lines[i][0].x0 + 0.5 * em
                    and not any(min(y, b.bottom) < fy < max(y, b.top) and x0 <= c <= x1 for fy, x0, x1 in floors)]
            near = near if len(near) == 1 else []
        if len(near) == 1:
            b.anchor = near[0]
        elif len(near) > 1:
            parts: dict[int, list[_Piece]] = {}
            for p in b.lines:
                parts.setdefault(min(near, key=lambda i: (abs(ys[i] - p.y), i)), []).append(p)
            for i, ps in parts.items():
                out.append(_Block(ps, False, i))
            continue
        out.append(b)
    return out


def _segments(lines: list[list[_Block]], texts: list[_Block], em: float, walls: list[Wall] = ()) -> list[_Segment]:
    """Split the value lines into tables: a line whose values do not fit the columns so far, or a text
    standing over the value columns between two lines (a caption, a new header), starts a new one."""
    segs: list[_Segment] = []
    for i, line in enumerate(lines):
        seg = segs[-1] if segs else None
        where = seg.fit(line, em) if seg else None
        if seg is not None and where is not None:
            y0, y1 = lines[seg.anchors[-1]][0].mid, line[0].mid
            if not any(t.anchor is None and t.top < y0 and t.bottom > y1 and seg.reaches_values(t, em)
                       for t in texts):
                seg.anchors.append(i)
                seg.add(line, where)
                continue
        seg = _Segment(walls=walls, y=line[0].mid)
        seg.add(line, [None] * len(line))
        seg.anchors.append(i)
        segs.append(seg)
    return segs


def _label_columns(texts: list[_Block], em: float, walls: list[Wall] = ()) -> list[list[float]]:
    """Cluster the label blocks into columns by x-overlap (narrowest first; a block across several
    columns is a merged cell and goes to the first), of the blocks' ruled cells on a ruled page; sets
    each block's ``col``, returns the columns' extents, left to right."""
    span = {id(t): _cell(walls, t.x0, t.x1, t.mid, em) if walls else (t.x0, t.x1) for t in texts}
    cols: list[list[float]] = []
    for t in sorted(texts, key=lambda t: span[id(t)][1] - span[id(t)][0]):
        x0, x1 = span[id(t)]
        hits = [k for k, (a, b) in enumerate(cols) if x0 < b - 0.1 * em and x1 > a + 0.1 * em]
        if not hits:
            cols.append([x0, x1])
        elif len(hits) == 1:
            cols[hits[0]] = [min(cols[hits[0]][0], x0), max(cols[hits[0]][1], x1)]
    order = sorted(range(len(cols)), key=lambda k: cols[k][0])
    for t in texts:
        x0, x1 = span[id(t)]
        hits = [k for k in order if x0 < cols[k][1] - 0.1 * em and x1 > cols[k][0] + 0.1 * em]
        t.col = order.index(hits[0]) if hits else 0
    return [cols[k] for k in order]


def _header_bands(seg: _Segment, heads: list[_Block], em: float) -> None:
    """A column printed blank on every value line still has its header: a narrow header block between
    (or just beyond) evenly spaced value columns, touching none, is a column of its own."""
    if len(seg.bands) < 4:
        return
    first = [(a + b) / 2 for a, b in seg.bands]
    step = statistics.median(b - a for a, b in zip(first, first[1:]))
    for h in heads:
        c = (h.x0 + h.x1) / 2
        if h.x1 - h.x0 > 2 * em or any(h.x0 < b and h.x1 > a for a, b in seg.bands):
            continue
        centers = sorted((a + b) / 2 for a, b in seg.bands)
        left = [x for x in centers if x < c]
        right = [x for x in centers if x > c]
        gap = (right[0] if right else c + step) - (left[-1] if left else c - step)
        if 1.6 * step <= gap <= 2.4 * step:
            seg.bands.append([h.x0, h.x1])
            seg.bands.sort()


def _ruled_header_bands(seg: _Segment, heads: list[_Block], em: float) -> None:
    """On a ruled page, a column printed blank on every value line still has its ruled cell: a cell of the
    value lines' row right of the labels, or a header cell there, that no value column's cell overlaps
    (nor a narrower cell: a header over several columns is not one) is a column of its own."""
    tol = WALL_TOL * em
    v0 = seg.cell(0, em)[0]
    taken = [seg.cell(k, em) for k in range(len(seg.bands))]
    xs = [x for x in seg.walls.crossing(seg.y, tol) if x >= v0 - tol]
    found = [(z - a, a, z) for a, z in zip(xs, xs[1:]) if z - a > em]   # not the gap of a doubled line
    for h in heads:
        a, z = _cell(seg.walls, h.x0, h.x1, h.mid, em)
        if a != h.x0 and z != h.x1 and a >= v0 - tol:
            found.append((z - a, a, z))
    for _, a, z in sorted(found):
        if not any(b < z - tol and c > a + tol for b, c in taken):
            taken.append((a, z))
            seg.bands.append([a + tol, z - tol])
    seg.bands.sort()


def _cut(p: _Piece, bands: list[list[float]], em: float, least: int = 2, tol: float = 0.3) -> list[_Piece] | None:
    """A header line set solid across several value columns ('本年制发数量本年废止数量', cells with no
    padding): its parts, one per column, when the cuts between characters align every part with its
    column's values (left edges, centres or right edges alike, the best of the three within ``tol`` em)
    and holds them (a cell holds its values); None when no cut fits."""
    hit = [b for b in bands if p.x0 < b[1] and p.x1 > b[0]]
    if len(hit) < 2 or len(p.text) < least * len(hit):
        return None
    weights = [1.0 if unicodedata.east_asian_width(c) in "WF" else 0.25 if c == " " else 0.5 for c in p.text]
    unit = (p.x1 - p.x0) / sum(weights)
    edges = [p.x0]
    for w in weights:
        edges.append(edges[-1] + w * unit)
    fits: list[tuple[float, list[_Piece]]] = []
    for align in ("left", "centre", "right"):
        cuts, start = [0], p.x0
        for k in range(len(hit) - 1):
            want = {"left": hit[k + 1][0], "right": hit[k][1], "centre": hit[k][0] + hit[k][1] - start}[align]
            cut = min(range(cuts[-1] + least, len(p.text) - least + 1), key=lambda i: abs(edges[i] - want),
                      default=None)
            if cut is None:
                break
            cuts.append(cut)
            start = edges[cut]
        if len(cuts) < len(hit):
            continue
        cuts.append(len(p.text))
        parts = [_Piece(p.text[a:b].strip(), edges[a], edges[b], p.y) for a, b in zip(cuts, cuts[1:])]
        err = {"left": lambda q, b: q.x0 - b[0], "right": lambda q, b: q.x1 - b[1],
               "centre": lambda q, b: (q.x0 + q.x1 - b[0] - b[1]) / 2}[align]
        if all(q.x0 - 0.3 * em <= b[0] and b[1] <= q.x1 + 0.3 * em for q, b in zip(parts, hit)):
            fits.append((max(abs(err(q, b)) for q, b in zip(parts, hit)), parts))
    best = min(fits, key=lambda f: f[0], default=None)
    return best[1] if best is not None and best[0] <= tol * em else None


def _split_heads(seg: _Segment, heads: list[_Block], em: float) -> list[_Block]:
    """Header blocks with their lines set solid across value columns cut into one block per column."""
    out: list[_Block] = []
    for t in heads:
        cuts = [_cut(p, seg.bands, em) for p in t.lines]
        if not any(cuts):
            out.append(t)
            continue
        cols: dict[int, list[_Piece]] = {}
        for p, parts in zip(t.lines, cuts):
            for q in parts or [p]:
                cols.setdefault(_band_of(seg, _Block([q], False)), []).append(q)
        out += [_Block(ps, False) for _, ps in sorted(cols.items())]
    return out


def _band_of(seg: _Segment, b: _Block, em: float | None = None) -> int:
    """The value column whose share of the width (split halfway between columns) holds the block's centre;
    given ``em`` on a ruled page, the column whose ruled cell holds it."""
    c = (b.x0 + b.x1) / 2
    if em is not None and seg.walls:
        cells = [seg.cell(k, em) for k in range(len(seg.bands))]
        inside = [k for k, (a, z) in enumerate(cells) if a <= c <= z]
        if len(inside) == 1:
            return inside[0]
    k = 0
    while k + 1 < len(seg.bands) and c > (seg.bands[k][1] + seg.bands[k + 1][0]) / 2:
        k += 1
    return k


def _one_cell(seg: _Segment, a: _Block, b: _Block, em: float) -> bool:
    """Two header texts one over the other over one value column, reaching no other column's values and
    aligned: one cell whose lines stand apart ('本年新' over a blank line over '公开数量')."""
    k = _band_of(seg, a)
    lo = seg.bands[k - 1][1] if k else float("-inf")
    hi = seg.bands[k + 1][0] if k + 1 < len(seg.bands) else float("inf")
    return (_band_of(seg, b) == k and all(lo < t.x0 and t.x1 < hi for t in (a, b))
            and min(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs(a.x0 + a.x1 - b.x0 - b.x1) / 2) <= 0.6 * em)


def _grid(seg: _Segment, lines: list[list[_Block]], texts: list[_Block], em: float) -> list[list[str | None]]:
    """The segment's rows: header rows (texts beside no value line, grouped where they overlap
    vertically) and one row per value line with its labels, in reading order."""
    v0 = seg.bands[0][0]
    tied = [t for t in texts if t.anchor is not None]
    edge = (max(t.x1 for t in tied) + v0) / 2 if tied else v0   # the rows' labels end left of it
    heads = [t for t in texts if t.anchor is None and ((t.x0 + t.x1) / 2 >= edge
                                                        or seg.walls and seg.reaches_values(t, em))]
    head_ids = {id(t) for t in heads}
    labels = tied + [t for t in texts if t.anchor is None and id(t) not in head_ids]
    ys = {i: lines[i][0].mid for i in seg.anchors}
    for t in labels:   # a wrapped label's lines that did not join it: to the nearest row, between rows only
        if t.anchor is None and not _ENUM.match(t.text) and min(ys.values()) < t.bottom and t.top < max(ys.values()):
            t.anchor = min(ys, key=lambda i: min(abs(ys[i] - t.top), abs(ys[i] - t.bottom)))
    if seg.walls:
        _ruled_header_bands(seg, heads, em)
    _header_bands(seg, heads, em)
    heads = _split_heads(seg, heads, em)
    lab_cols = _label_columns(labels, em, seg.walls)
    n_lab = len(lab_cols)
    width = n_lab + len(seg.bands)
    for t in heads:
        t.col = n_lab + _band_of(seg, t, em)
    kept: list[_Block] = []
    for t in sorted(heads, key=lambda t: -t.top):   # a header cell whose lines stand apart is one text
        prev = next((u for u in reversed(kept) if u.col == t.col), None)
        if prev is not None and prev.bottom - t.top <= 3.5 * em and _one_cell(seg, prev, t, em):
            prev.lines += t.lines
        else:
            kept.append(t)
    heads = kept
    rows: list[tuple[float, list[str | None]]] = []
    for i in seg.anchors:
        row: list[str | None] = [""] * width
        for v in lines[i]:
            row[n_lab + _band_of(seg, v)] = v.text
        for t in sorted((t for t in labels if t.anchor == i), key=lambda t: -t.top):
            row[t.col] = (row[t.col] or "") + t.text
            if seg.walls:   # the label columns its ruled cell spans are covered by it (a merged cell)
                a, z = _cell(seg.walls, t.x0, t.x1, t.mid, em)
                for k, (c0, c1) in enumerate(lab_cols):
                    if k > t.col and c0 >= a - WALL_TOL * em and c1 <= z + WALL_TOL * em and not row[k]:
                        row[k] = None
        rows.append((ys[i], row))
    loose = sorted((t for t in labels + heads if t.anchor is None), key=lambda t: -t.top)
    while loose:   # header rows: texts overlapping vertically, one row per layer of a column
        group = [loose.pop(0)]
        while loose and loose[0].top >= min(t.bottom for t in group) - 0.3 * em:
            group.append(loose.pop(0))
        layers: list[list[str | None]] = []
        held: dict[tuple[int, int], list[_Block]] = {}   # (layer, column) -> its texts
        for t in group:
            # on a ruled page, texts side by side on one line in one column's cell are that cell's text
            k = next((k for (k, c), ts in held.items() if c == t.col and seg.walls
                      and all(abs(u.top - t.top) <= 0.25 * em and len(u.lines) == 1 for u in ts + [t])), None)
            if k is None:
                k = next((k for k, r in enumerate(layers) if not r[t.col]), None)
            if k is None:
                layers.append([""] * width)
                k = len(layers) - 1
            held.setdefault((k, t.col), []).append(t)
            layers[k][t.col] = "".join(u.text for u in sorted(held[k, t.col], key=lambda u: u.x0))
        rows += [(group[0].top + 1e-6 * (len(layers) - k), r) for k, r in enumerate(layers)]
    return [r for _, r in sorted(rows, key=lambda yr: -yr[0])]


class _Page(NamedTuple):
    em: float
    blocks: list[_Block]
    lines: list[list[_Block]]   # value lines, top first
    walls: list[Wall] = []      # vertical rulings
    floors: list[Wall] = []     # horizontal rulings


def page_reading(textpage: Any) -> _Page:
    """A page's cells (text and value blocks), its value lines (not its page number) and its rulings, from
    a pdfium text page: a caller that has the page loaded already reads it here and hands it to
    ``read_textgrid`` (the reading is used once: grids are built in place)."""
    glyphs = _glyphs(textpage)
    if not glyphs:
        return _Page(10.0, [], [])
    em = statistics.median(g.h for g in glyphs if g.h > 0) if any(g.h > 0 for g in glyphs) else 10.0
    page = getattr(textpage, "page", None)
    walls, floors = _rulings(page) if page is not None else ([], [])
    blocks = _blocks(_pieces(glyphs, em), em)
    if walls:
        blocks = _wrapped_in_cells(blocks, walls, floors, em)
    lines = _value_lines(blocks, em, walls)
    if walls and floors:
        lines = _same_row(lines, floors, em)
    for k in {0, len(lines) - 1}:   # '- 3 -' under (or over) the text is no table row
        if lines and _page_number(lines[k], walls, em):
            for v in lines[k]:
                blocks.remove(v)
            del lines[k]
            break
    return _Page(em, blocks, lines, walls, floors)


def _page_number(line: list[_Block], walls: _Walls, em: float) -> bool:
    """A page number: '- 3 -', or on a ruled page a lone number of at most four digits standing above or
    below every ruling (outside the tables, where a page break's cut row never stands)."""
    text = "".join(v.text for v in line).replace(" ", "")
    if _PAGE_NUMBER.match(text):
        return True
    if not walls or len(line) != 1 or not text.isdigit() or len(text) > 4:
        return False
    return not walls.spans(line[0].mid, WALL_TOL * em)


def _ruled_tail(walls: list[Wall], texts: list[_Block], bottom: float, page: int, em: float,
                seg: _Segment | None = None) -> RawTable | None:
    """The header of a table a page break cut right under it (ruled cells holding text below the page's
    last value line, the first of them over the value columns of ``seg``, that line's segment; on a page
    of no value line, the texts standing in ruled cells): a grid of its own, one column per ruled cell
    edge, that the next page's rows are stitched to."""
    below = sorted((t for t in texts if t.anchor is None and t.top < bottom and len(t.text) <= PARAGRAPH),
                   key=lambda t: -t.top)
    cells = [_cell(walls, t.x0, t.x1, t.mid, em) for t in below]
    ruled = [a != t.x0 and z != t.x1 for t, (a, z) in zip(below, cells)]   # a wall found either side
    lead: list[_Block] = []   # a section title standing between this table and the next one's header
    if seg is None:
        below, cells = [t for t, r in zip(below, ruled) if r], [c for c, r in zip(cells, ruled) if r]
    elif below and not ruled[0] and any(ruled):
        k = ruled.index(True)
        if not all(ruled[k:]):
            return None
        lead, below, cells = below[:k], below[k:], cells[k:]
    elif not below or not seg.reaches_values(below[0], em) or not all(ruled):
        return None
    if not below:
        return None
    lefts: list[float] = []
    for a in sorted(a for a, _ in cells):
        if not lefts or a - lefts[-1] > WALL_TOL * em:
            lefts.append(a)
    rows: list[list[str | None]] = [[t.text] + [""] * (len(lefts) - 1) for t in lead]
    bottoms: list[float] = [t.bottom for t in lead]
    for t, (a, _) in zip(below, cells):
        col = max(k for k, x in enumerate(lefts) if x <= a + WALL_TOL * em)
        if not rows or t.top < bottoms[-1] - 0.3 * em or rows[-1][col]:
            rows.append([""] * len(lefts))
            bottoms.append(t.bottom)
        rows[-1][col] = t.text
        bottoms[-1] = min(bottoms[-1], t.bottom)
    for t in lead + below:
        texts.remove(t)
    return RawTable(rows=rows, page=page, method="textgrid")


def page_tables(pg: _Page, page: int, before: list[list[_Block]] = (),
                after: list[list[_Block]] = (), before_blocks: list[_Block] = ()) -> list[RawTable]:
    """The borderless tables of one page, one grid per run of aligned value lines (the value lines of the
    pages before and after only help cut values set solid; the page before's, and its cells
    ``before_blocks``, give a table cut by the break its columns)."""
    em, blocks, lines, walls, floors = pg
    if not lines:   # no row of values: at most a ruled table's header, cut off by the page break
        tail = _ruled_tail(walls, _attach(blocks, [], em), float("inf"), page, em) if walls else None
        return [tail] if tail else []
    if walls:
        _split_at_walls(lines, walls, em)
    _split_joined(lines, em, before, after, walls)
    blocks = [b for b in blocks if not b.numeric] + [v for line in lines for v in line]
    texts = _attach(blocks, lines, em, floors)
    if walls:   # on a ruled page, running text above or below every ruling is no table's
        texts = [t for t in texts if t.anchor is not None or walls.spans(t.mid, WALL_TOL * em)]
    segs = _segments(lines, texts, em, walls)
    if segs and before and not walls:   # a ruled page's cells give its columns (``_ruled_tail`` stitches)
        _continued_bands(segs[0], before, before_blocks, texts, lines, em)
    tail = _ruled_tail(walls, texts, lines[-1][0].mid, page, em, segs[-1]) if walls else None
    out = []
    for k, seg in enumerate(segs):
        lo = lines[segs[k - 1].anchors[-1]][0].mid if k else float("inf")
        hi = lines[seg.anchors[-1]][0].mid if k + 1 < len(segs) else float("-inf")
        mine = [t for t in texts if (t.anchor in seg.anchors)
                or (t.anchor is None and hi <= t.top < lo and len(t.text) <= PARAGRAPH)]
        out.append(RawTable(rows=_grid(seg, lines, mine, em), page=page, method="textgrid"))
    return out + [tail] if tail else out


def _continued_bands(seg: _Segment, before: list[list[_Block]], before_blocks: list[_Block],
                     texts: list[_Block], lines: list[list[_Block]], em: float) -> None:
    """A table a page break cut goes on at the head of the next page in the columns of the page before: a
    first run of value lines with no header over it, whose few columns each stand in one column of the
    fullest of the last value lines before the break, takes those columns (the rest of a cut row,
    '理 | 0 | 0', keeps its values' places). No text may follow those lines on the page before (a new
    table's caption and header there: its rows go on under the break, not the last table's)."""
    ref = [[v.x0, v.x1] for v in max(before[-3:], key=len)]
    last = before[-1][0].mid
    if len(seg.bands) >= len(ref) or any(not b.numeric and b.top < last - 0.6 * em for b in before_blocks):
        return
    y0 = lines[seg.anchors[0]][0].mid
    if any(t.anchor is None and t.bottom > y0 + 0.35 * em and t.x1 > seg.bands[0][0] for t in texts):
        return   # a header over the values: a new table
    hits = [[k for k, (a, b) in enumerate(ref) if x0 < b and x1 > a] for x0, x1 in seg.bands]
    if any(len(h) != 1 for h in hits) or len({h[0] for h in hits}) != len(hits):
        return
    for (x0, x1), (k,) in zip(seg.bands, hits):
        ref[k] = [min(ref[k][0], x0), max(ref[k][1], x1)]
    seg.bands = ref


def _continue_labels(tables: list[RawTable]) -> list[RawTable]:
    """A label a page break cut in two: the label-only rows heading a page (one text each, no
    enumerator, left of the values) finish the label of the last row of the page before, when that row
    has values and what follows them is a row of values, not a header (the rows are then its caption)."""
    firsts: dict[int | None, RawTable] = {}
    for t in tables:
        firsts.setdefault(t.page, t)
    for prev, t in zip(tables, tables[1:]):
        if firsts[t.page] is not t or t.page != (prev.page or 0) + 1 or not prev.rows:
            continue
        last = prev.rows[-1]
        labels = [j for j, c in enumerate(last) if c and not _is_value(c) and c != "无"]   # '无' is a value: none
        if not labels or not any(c and _is_value(c) for c in last):
            continue
        start = min(next((j for j, c in enumerate(r) if c and _is_value(c)), len(r)) for r in t.rows)
        k = 0
        while k < len(t.rows):
            texts = [(j, c) for j, c in enumerate(t.rows[k]) if c]
            if len(texts) != 1 or _is_value(texts[0][1]) or _ENUM.match(texts[0][1]) or texts[0][0] >= start:
                break
            k += 1
        if k and k < len(t.rows) and any(c and _is_value(c) for c in t.rows[k]):
            last[labels[-1]] = (last[labels[-1]] or "") + "".join(c or "" for r in t.rows[:k] for c in r)
            del t.rows[:k]
    return [t for t in tables if t.rows]


def read_textgrid(src: Path | bytes, pages: list[int], known: dict[int, _Page] | None = None) -> list[RawTable]:
    """Borderless tables on 1-based ``pages`` of a text PDF (a path or its bytes); pages in ``known`` (their
    ``page_reading``, taken out of it) are not loaded again."""
    import pypdfium2 as pdfium

    from .pdffonts import use_bundled_fonts

    known = known if known is not None else {}
    read: list[_Page] = []
    pdf = None
    try:
        for p in pages:
            if p in known:
                read.append(known.pop(p))
                continue
            if pdf is None:
                use_bundled_fonts()
                pdf = pdfium.PdfDocument(src if isinstance(src, bytes) else str(src))
            page = pdf[p - 1]
            tp = page.get_textpage()
            try:
                read.append(page_reading(tp))
            finally:
                tp.close()
                page.close()
    finally:
        if pdf is not None:
            pdf.close()
    tables: list[RawTable] = []
    for k, (p, pg) in enumerate(zip(pages, read)):
        before = [line[:] for line in read[k - 1].lines] if k and pages[k - 1] == p - 1 else []
        after = [line[:] for line in read[k + 1].lines] if k + 1 < len(read) and pages[k + 1] == p + 1 else []
        tables += page_tables(pg, p, before, after, read[k - 1].blocks if before else ())
    return _continue_labels(tables)
