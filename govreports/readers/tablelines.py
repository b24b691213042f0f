"""The page image around one OCR'd grid, kept beside the grid's cells so that a row the grid missed
(a ruling lost in a phone photo, a row whose first value read as a letter) can be found again from the
table's text lines and its values read in a band: the detector finds the lines once per table, only when
asked; ``rowrescue`` decides which rows to look for and whether a reading is sure enough to keep.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from .cellocr import (CROP_MARGIN, PAD, REREAD_VARIANTS, STROKE_CONFIDENCE, STROKE_READS, TEXT_INK, cell_crop,
                      digitise, recognise, stroke, tallest_run)
from .grid import Grid

PNG_LEVEL = 1               # fast PNG compression of the kept image (level 1: a table in ~20 ms)
MARGIN = 12                 # px of page kept around the grid (labels touching the border stay whole)
DET_SIDE = 640              # the table is searched for text lines with its short side at most this long
EDGE_INK = 2                # px: print this close to a value box's left or right edge runs over a column ruling
_HAS_DIGIT = re.compile(r"\d")


@dataclass
class TextLine:
    """One detected text line of a table: its text and its box in page pixels."""

    text: str
    box: tuple[int, int, int, int]

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass(eq=False)   # compared by identity: its arrays have no single truth value
class TableImage:
    """The straightened page image around one grid (at the OCR scale), its ruling mask, and the grid's
    rulings in page pixels; ``lines`` and ``read`` look at it again. The image is kept PNG-compressed and
    the mask bit-packed (about a ninth of their size: a long scan keeps one per table), unpacked when
    first looked at."""

    png: bytes = field(repr=False)
    bits: np.ndarray = field(repr=False)
    origin: tuple[int, int]     # page pixels of the kept part's top left corner
    xs: list[int]
    ys: list[int]
    engine: Any = field(repr=False)
    _open: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _lines: list[TextLine] | None = field(default=None, repr=False)

    @classmethod
    def around(cls, gray: np.ndarray, rules: np.ndarray, grid: Grid, engine: Any) -> "TableImage":
        """Keep the part of a page image (and of its ruling mask) that holds ``grid``."""
        x0, y0, x1, y1 = grid.bbox
        h, w = gray.shape
        a, b = max(0, x0 - MARGIN), max(0, y0 - MARGIN)
        c, d = min(w, x1 + MARGIN + 1), min(h, y1 + MARGIN + 1)
        png = cv2.imencode(".png", gray[b:d, a:c], [cv2.IMWRITE_PNG_COMPRESSION, PNG_LEVEL])[1].tobytes()
        return cls(png, np.packbits(rules[b:d, a:c] > 0, axis=1), (a, b), list(grid.xs), list(grid.ys), engine)

    @property
    def gray(self) -> np.ndarray:
        """The kept part of the page image."""
        return self._unpacked()[0]

    @property
    def rules(self) -> np.ndarray:
        """Its ruling mask (0/255)."""
        return self._unpacked()[1]

    def _unpacked(self) -> tuple[np.ndarray, np.ndarray]:
        if self._open is None:
            gray = cv2.imdecode(np.frombuffer(self.png, np.uint8), cv2.IMREAD_GRAYSCALE)
            rules = np.unpackbits(self.bits, axis=1, count=gray.shape[1]).astype(np.uint8) * 255
            self._open = (gray, rules)
        return self._open

    def lines(self) -> list[TextLine]:
        """The table's text lines (rulings erased), top to bottom, each recognised; found once."""
        if self._lines is not None:
            return self._lines
        img = self.gray.copy()
        img[self.rules > 0] = 255
        h, w = img.shape
        r = min(1.0, DET_SIDE / min(h, w))
        size = (max(32, round(w * r / 32) * 32), max(32, round(h * r / 32) * 32))
        det = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        boxes, _ = self.engine.text_det(cv2.cvtColor(det, cv2.COLOR_GRAY2BGR))
        self._lines = []
        if boxes is None or len(boxes) == 0:
            return self._lines
        back = np.float32([w / det.shape[1], h / det.shape[0]])
        boxes = [(b * back).astype(np.float32) for b in self.engine.sorted_boxes(boxes)]
        crops = self.engine.get_crop_img_list(img, boxes)
        ox, oy = self.origin
        for b, (text, _) in zip(boxes, recognise(self.engine, crops, pad=0.0)):
            if text:
                x0, y0 = b.min(axis=0)
                x1, y1 = b.max(axis=0)
                self._lines.append(TextLine(text, (int(x0) + ox, int(y0) + oy, int(x1) + ox, int(y1) + oy)))
        return self._lines

    def read(self, box: tuple[int, int, int, int], height: float, middle: float,
             reach: float) -> list[tuple[str, float]] | None:
        """Every reading of the line of print in ``box`` (page pixels) whose middle stands within ``reach``
        px of ``middle`` (a grid row holding two printed rows has two lines in each cell): [] when none
        does, None when it is not clear which line or where it ends (two lines there, a line cut by the
        box, a number running over a column ruling). ``height``: one text line's print, in px. A lone
        stroke is read by its shape, as in the grid's own cells."""
        ox, oy = self.origin
        x0, y0, x1, y1 = box
        top = max(0, y0 - oy)
        crop, ink = cell_crop(self.gray, self.rules, (x0 - ox, top, x1 - ox, min(self.gray.shape[0], y1 - oy)))
        spans = _spans(ink, height)
        shift = oy + top + CROP_MARGIN
        near = [n for n, (a, b) in enumerate(spans) if abs(shift + (a + b) / 2 - middle) <= reach]
        if not near:
            return []
        if len(near) > 1:
            return None
        n = near[0]
        a, b = spans[n]
        cols = np.flatnonzero(ink[a:b + 1].any(axis=0))
        if a == 0 or b == ink.shape[0] - 1 or cols[0] < EDGE_INK or cols[-1] >= ink.shape[1] - EDGE_INK:
            return None
        line = crop[a:b + 1, cols[0]:cols[-1] + 1]
        reads = recognise(self.engine, [line], PAD) + [r for vary, pad in REREAD_VARIANTS
                                                       for r in recognise(self.engine, [vary(line)], pad)]
        if reads[0][0].replace(" ", "") in STROKE_READS:
            lo = max(spans[n - 1][1] + 1 if n else 0, a - int(height / 2))
            hi = min(spans[n + 1][0] if n + 1 < len(spans) else ink.shape[0], b + int(height / 2) + 1)
            shape = stroke(crop[lo:hi], height)
            if shape:
                return [(shape, STROKE_CONFIDENCE)]
        return reads

    def print_height(self, box: tuple[int, int, int, int]) -> float:
        """How tall the print of one text line in ``box`` stands (its tallest run of inked rows), in px;
        0.0 when the box holds none."""
        ox, oy = self.origin
        x0, y0, x1, y1 = box
        part = np.s_[max(0, y0 - oy):max(0, y1 - oy), max(0, x0 - ox):max(0, x1 - ox)]
        return float(tallest_run((self.gray[part] < TEXT_INK) & (self.rules[part] == 0)))


def _spans(ink: np.ndarray, height: float) -> list[tuple[int, int]]:
    """Rows (first, last) of each line of print in a cell's ink mask, top to bottom: pieces between blank
    rows are one line while it stays within 1.6 lines' height (so 三's strokes stay together), as
    ``cellocr.split_lines`` cuts them."""
    out: list[list[int]] = []
    for r in np.flatnonzero(ink.any(axis=1)).tolist():
        if out and r - out[-1][1] <= 2:
            out[-1][1] = r
        elif out and r - out[-1][0] + 1 <= 1.6 * height:
            out[-1][1] = r
        else:
            out.append([r, r])
    return [(a, b) for a, b in out]


def kept_reading(reads: list[tuple[str, float]]) -> tuple[str, float, list[str]]:
    """The reading kept among several of one box (look-alikes mapped to digits; one with a digit beats
    one without, then the score decides) and the other texts read."""
    mapped = [digitise(t, s)[:2] for t, s in reads if t]
    if not mapped:
        return "", 0.0, []
    text, score = max(mapped, key=lambda m: (bool(_HAS_DIGIT.search(m[0])), m[1]))
    return text, score, sorted({t for t, _ in mapped} - {text})
