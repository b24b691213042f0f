"""Recognise the cells of one ruled grid, each on its own, with the PP-OCR recogniser only.

A cell's print is cut into single text lines (a stacked vertical label is laid out as one line),
the lines of all cells are recognised in width-sorted groups, and numeric look-alikes are mapped
to digits with a lowered confidence. Doubtful digit-like cells are read again with other margins;
when the reads disagree the warning says so. No value is ever changed to fit an identity.
"""
from __future__ import annotations

import re

import cv2
import numpy as np

from .base import RawTable
from .grid import Grid

METHOD = "ocr-rapidocr"
LOW_CONFIDENCE = 0.8        # cells below this are listed in warnings (and digit-like ones re-read)
LOOKALIKE_FACTOR = 0.6      # confidence multiplier when a look-alike glyph is read as a digit
DISAGREE_FACTOR = 0.6       # confidence multiplier when re-reads of a cell disagree
TEXT_INK = 160              # grey level below which a pixel is print, inside a cell
EDGE_BAND = 8               # px from a cell's edge where ruling pixels are erased
PAD = 0.12                  # white margin around a line handed to the recogniser, × the line's height
REREAD_PADS = (0.06, 0.25)  # other margins tried on doubtful digit-like cells (the model is margin-sensitive)
CROP_MARGIN = 2             # px of a cell's box left off each side of its crop (its rulings' inner edge)
REC_HEIGHT = 48             # the PP-OCR recogniser's input height
# A lone stroke the recogniser misnames at low resolution ('/' as '1', '-' as '?' or '一'): its shape decides.
# A flat dash's shape decides whatever was read (no digit is a lone stroke a third of the text's height:
# a photo's blurred 5-px dash reads '8', 'e' or 'Ie'); a slash's only against these reads (a 7 leans too).
STROKE_READS = {"1", "?", "/", "-", "—", "一", "=", "二", "#", "*", "+", "^", "|", "l", "I", "丨", "·", ".", "_",
                "~", "、", ",", "，", "m", "n", "", "!", "i", "[", "]", "(", ")", "j", "J", "f", "t", "r", "'"}
DASH_HEIGHT = 0.3           # a dash's ink is at most this tall for the table's text line, and wider than tall
STROKE_INK = 0.6            # stroke pixels: darker than this share of the way from paper to the darkest one
SLASH_SLOPE = 0.15          # a slash's ink moves left at least this many px per px down (a '1' stands upright)
SLASH_WIDTH = 0.25          # and is at least this wide for its height
STROKE_CONFIDENCE = 0.9     # confidence of a cell read from its stroke's shape
SPECK_SHARE = 0.2           # print smaller than this share of a cell's largest piece is a speck beside a stroke
TALL_SHARE = 90             # percentile of the cells' print heights taken as the table's text height
_NUMBER_LINE = re.compile(r"^[0-9][0-9,.，]*$")
# A number read with a bracket or parenthesis among its digits ('1)' for a 0 whose thin top was cut off,
# '60)' for a 60 touching its ruling): doubtful, and read again.
_BRACKETED = re.compile(r"^(?=.*\d)(?=.*[()\[\]{}])[0-9,.，()\[\]{}]+$")
_LEADING_ZERO = re.compile(r"^0\d")   # '04822': no report prints this; a decimal point was lost ('0.4822')
# A short read with no Chinese character, no digit and no marker ('N' for a 2 padded among wider crops,
# 'e' for a blurred 0): the print is read again, and a reading with digits is preferred.
_STRAY = re.compile(r"^[^\d\u3000-\u9fff\uff00-\uffef/\-—_]{1,3}$")
FAINT_INK = 215             # grey level below which a pixel of a faint stroke (a serif 0's hairline) is print
FAINT_REACH = 0.35          # a line's faint print is looked for this far above and below it, × its height
SHARPEN_AMOUNT = 1.0        # unsharp mask before cells are cut: the edge added back, × the blurred difference
SHARPEN_SIGMA = 1.5         # px at SCALE: about a stroke's width
REC_BATCH_WIDTH = 2400      # summed input width per inference batch

# Glyphs the recogniser returns for digits in small cells; applied only to cells that are digit-like.
# A serif (Times, 宋体) 1 at 120–150 dpi reads '[' or ']', its 5 'S', its 8 'B' and its 6 'b'.
LOOKALIKES = {"。": "0", "o": "0", "O": "0", "D": "0", "〇": "0", "口": "0", "Q": "0", "°": "0",
              "l": "1", "I": "1", "|": "1", "丨": "1", "i": "1", "!": "1", "[": "1", "]": "1",
              "S": "5", "s": "5", "B": "8", "b": "6"}
_DIGITLIKE = re.compile(r"^[0-9,.，" + re.escape("".join(LOOKALIKES)) + r"]+$")


def digitise(text: str, confidence: float) -> tuple[str, float, bool]:
    """Map numeric look-alikes in a digit-like cell to digits, lowering the confidence.

    Returns (text, confidence, changed). A cell is digit-like when every character is a digit, a
    separator or a known look-alike; label cells and dashes/slashes are returned unchanged.
    """
    compact = text.replace(" ", "")
    if not compact or not _DIGITLIKE.match(compact) or not any(c in LOOKALIKES for c in compact):
        return text, confidence, False
    return "".join(LOOKALIKES.get(c, c) for c in compact), confidence * LOOKALIKE_FACTOR, True


def stroke(cell: np.ndarray, height: float) -> str | None:
    """'-' or '/' when a cell's print is one lone stroke lying flat or leaning like a slash, else None.
    ``height``: the table's text height (``text_height``; a dash is thin for it). Faint, blurred strokes (a
    phone photo) count whole: the ink threshold is set between paper and the cell's darkest pixel, and
    specks far smaller than the stroke are left out."""
    ink = cell < 255 - STROKE_INK * (255 - int(cell.min()))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    parts = [i + 1 for i, a in enumerate(areas) if a >= max(4, SPECK_SHARE * areas.max())] if n > 1 else []
    if len(parts) != 1:
        return None
    ys, xs = np.nonzero(labels == parts[0])
    h, w = int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1
    if w > h and h <= DASH_HEIGHT * height:
        return "-"
    if w >= SLASH_WIDTH * h and h >= 4 and np.polyfit(ys, xs, 1)[0] <= -SLASH_SLOPE:
        return "/"
    return None


def recognise(engine, lines: list[np.ndarray], pad: float = PAD, squeeze: float = 1.0,
              batch_width: int = REC_BATCH_WIDTH) -> list[tuple[str, float]]:
    """Recognise single-line grey crops (white paper) with the recogniser only; (text, score) each.

    RapidOCR's own batching pads every crop to at least 320 px; here crops are grouped by similar
    width (``batch_width`` summed per group) and each is padded (grey, as in PaddleOCR's training) to
    its group's widest: a lone digit costs a few steps, and the reads are those of the group run as
    one batch. Each crop is inferred alone all the same (same output, ~20 % less CPU on one thread).
    ``batch_width`` 0: no padding. ``squeeze`` < 1 narrows the crops (the model is trained on long
    lines squeezed into a fixed width).
    """
    rec = engine.text_rec
    padded = [_pad(line, pad) for line in lines]
    widths = [max(16, int(np.ceil(squeeze * REC_HEIGHT * p.shape[1] / p.shape[0]))) for p in padded]
    order = sorted(range(len(padded)), key=lambda i: widths[i])
    out: list[tuple[str, float]] = [("", 0.0)] * len(padded)
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and widths[order[end]] * (end + 1 - start) <= batch_width:
            end += 1
        for i in order[start:end]:
            x = np.zeros((1, 3, REC_HEIGHT, widths[order[end - 1]]), np.float32)
            x[0, :, :, :widths[i]] = cv2.resize(padded[i], (widths[i], REC_HEIGHT)) / 127.5 - 1.0
            res = rec.postprocess_op(rec.session(x)[0])[0]
            out[i] = (str(res[0]).strip(), float(res[1]))
        start = end
    return out


def _pad(img: np.ndarray, ratio: float) -> np.ndarray:
    m = max(2, round(ratio * img.shape[0]))
    return cv2.copyMakeBorder(img, m, m, m, m, cv2.BORDER_CONSTANT, value=255)


def cell_crop(gray: np.ndarray, rules: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Grey crop of a cell's interior with its border rulings whitened, and its print mask."""
    x0, y0, x1, y1 = box
    m = CROP_MARGIN
    crop = gray[y0 + m:y1 - m, x0 + m:x1 - m].copy()
    # Whiten ruling pixels only near the edges: a tall digit 1 is as long as a short ruling.
    edge = np.ones(crop.shape, bool)
    edge[EDGE_BAND:-EDGE_BAND, EDGE_BAND:-EDGE_BAND] = False
    crop[(rules[y0 + m:y1 - m, x0 + m:x1 - m] > 0) & edge] = 255
    ink = crop < TEXT_INK
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    specks = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] < 4]  # JPEG noise, ruling stubs
    if specks:
        ink[np.isin(labels, specks)] = False
    return crop, ink


def _runs(rows: np.ndarray, gap: int) -> list[list[int]]:
    """Runs [first, last] of sorted indices, split where consecutive ones differ by more than ``gap``."""
    runs: list[list[int]] = []
    for r in rows.tolist():
        if runs and r - runs[-1][1] <= gap:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return runs


def tallest_run(ink: np.ndarray) -> int:
    """Rows of the tallest run of inked rows of a print mask (gaps of up to two blank rows inside it); 0 when none."""
    rows = np.flatnonzero(ink.any(axis=1))
    return max(b - a + 1 for a, b in _runs(rows, 2)) if rows.size else 0


def line_height(inks: list[np.ndarray]) -> float:
    """Median height of the tallest print run per cell: about one text line of the table's font."""
    heights = [tallest_run(ink) for ink in inks if ink.any()]
    return float(np.median(heights)) if heights else 25.0


def text_height(crops: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """How tall the table's numbers and labels stand: the tallest print run of most cells (a table of
    dashes alone, whose median run is two pixels, still gets the height of its printed text)."""
    heights = [tallest_run(ink) for _, ink in crops if ink.any()]
    return float(np.percentile(heights, TALL_SHARE)) if heights else 25.0


def split_lines(crop: np.ndarray, ink: np.ndarray, height: float) -> list[np.ndarray]:
    """Cut a cell's print into single text lines (tight crops); a stacked vertical label becomes one."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return []
    tall, wide = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if tall > 2.5 * wide and tall > 2.5 * height and wide < 2 * height:
        return [_unstack(crop[:, cols[0]:cols[-1] + 1], ink[:, cols[0]:cols[-1] + 1])]
    # Gaps inside a character (三, 二) look like gaps between lines, so a line is only closed when
    # the next piece would make it taller than 1.6 lines.
    lines: list[list[int]] = []
    for a, b in _runs(rows, 2):
        if lines and b - lines[-1][0] + 1 <= 1.6 * height:
            lines[-1][1] = b
        else:
            lines.append([a, b])
    out = []
    for a, b in lines:
        c = np.flatnonzero(ink[a:b + 1].any(axis=0))
        out.append(crop[a:b + 1, c[0]:c[-1] + 1])
    return out


def faint_line(crop: np.ndarray, ink: np.ndarray) -> np.ndarray | None:
    """A cell's single line cut with its faint strokes (lighter than TEXT_INK, darker than FAINT_INK) above
    and below it: the hairline top of a thin serif 0 at 120 dpi. None when nothing faint lies there."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    a, b, c0, c1 = rows[0], rows[-1], cols[0], cols[-1]
    reach = max(1, round(FAINT_REACH * (b - a + 1)))
    faint = (crop[:, c0:c1 + 1] < FAINT_INK).any(axis=1)
    top, bottom = a, b
    while top > 0 and a - top < reach and faint[top - 1]:
        top -= 1
    while bottom < len(faint) - 1 and bottom - b < reach and faint[bottom + 1]:
        bottom += 1
    return crop[top:bottom + 1, c0:c1 + 1] if (top, bottom) != (a, b) else None


def _unstack(crop: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Lay the characters of a vertical (one-character-wide) label side by side on one line.

    Characters are about as tall as the column is wide: pieces between blank rows are grouped until
    a group would exceed 1.15 × that width (so 三's strokes stay together), and a piece much taller
    than one character (touching characters) is cut at its emptiest row near one character's height.
    """
    width = crop.shape[1]
    profile = ink.sum(axis=1)
    chars: list[list[int]] = []
    for a, b in _runs(np.flatnonzero(profile), 1):
        while b - a + 1 > 1.3 * width:
            lo = a + int(0.8 * width)
            cut = lo + int(np.argmin(profile[lo:a + int(1.2 * width) + 1]))
            chars.append([a, cut])
            a = cut + 1
        if chars and b - chars[-1][0] + 1 <= 1.15 * width:
            chars[-1][1] = b
        else:
            chars.append([a, b])
    height = max(b - a + 1 for a, b in chars)
    parts = []
    for a, b in chars:
        piece = crop[a:b + 1]
        top = (height - piece.shape[0]) // 2
        parts.append(cv2.copyMakeBorder(piece, top, height - piece.shape[0] - top, 0, max(2, width // 8),
                                        cv2.BORDER_CONSTANT, value=255))
    return np.hstack(parts)


def sharpen(gray: np.ndarray) -> np.ndarray:
    """The page with its print's edges steepened (unsharp mask): a phone photo's or an enlarged scan's
    soft strokes (结果维持 read 结果雅排) read as printed."""
    soft = cv2.GaussianBlur(gray, (0, 0), SHARPEN_SIGMA)
    return cv2.addWeighted(gray, 1 + SHARPEN_AMOUNT, soft, -SHARPEN_AMOUNT, 0)


def read_grid(gray: np.ndarray, rules: np.ndarray, grid: Grid, page: int, engine) -> tuple[RawTable, list[str]]:
    """OCR every cell of one grid into a RawTable (text, None under spans, confidence) and warnings."""
    nr, nc = grid.shape
    gray = sharpen(gray)
    crops = [cell_crop(gray, rules, (grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1]))
             for r0, c0, r1, c1 in grid.cells]
    height = line_height([ink for _, ink in crops])
    lines = [split_lines(crop, ink, height) for crop, ink in crops]
    flat = recognise(engine, [line for cell in lines for line in cell])
    reads: list[tuple[str, float]] = []
    k = 0
    for cell in lines:
        got = flat[k:k + len(cell)]
        k += len(cell)
        # numbers one per line are the rows of a merged cell ('0\n95'); other lines are one wrapped text
        sep = "\n" if len(got) > 1 and all(_NUMBER_LINE.match(t.replace(" ", "")) for t, _ in got) else ""
        reads.append((sep.join(t for t, _ in got), min((s for _, s in got), default=1.0)))
    rows: list[list[str | None]] = [[None] * nc for _ in range(nr)]
    conf: list[list[float | None]] = [[None] * nc for _ in range(nr)]
    others: dict[tuple[int, int], list[str]] = {}
    warnings: list[str] = []
    for (r0, c0, _, _), (text, score, note, alt) in zip(grid.cells, _settle(engine, lines, reads, crops)):
        rows[r0][c0], conf[r0][c0] = text, round(score, 4)
        if alt:
            others[(r0, c0)] = alt
        if note:
            warnings.append(f"page {page} table cell (row {r0 + 1}, col {c0 + 1}) {text!r}: {note}")
    origin = {(r0, c0): k for k, (r0, c0, _, _) in enumerate(grid.cells)}

    def reread(cells: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        """Read single-line cells again in REREAD_VARIANTS; [] for a cell of several lines or none."""
        single = [lines[origin[rc]][0] if rc in origin and len(lines[origin[rc]]) == 1 else None for rc in cells]
        crops = [ln for ln in single if ln is not None]
        variants = [recognise(engine, [vary(ln) for ln in crops], pad) for vary, pad in REREAD_VARIANTS]
        out, k = [], 0
        for ln in single:
            out.append([] if ln is None else [v[k] for v in variants])
            k += ln is not None
        return out

    boxes = {(r0, c0): (grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1]) for r0, c0, r1, c1 in grid.cells}
    return RawTable(rows=rows, page=page, method=METHOD, confidence=conf, alternatives=others,
                    reread=reread, boxes=boxes), warnings


def _binarised(line: np.ndarray) -> np.ndarray:
    """Crisp black-on-white copy of a line (Otsu): blurred low-resolution digits read better so."""
    return cv2.threshold(line, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _thick(line: np.ndarray) -> np.ndarray:
    """Strokes one pixel bolder (a faint or thin print, a broken 4 or 7)."""
    return cv2.erode(line, np.ones((2, 2), np.uint8))


def _half(line: np.ndarray) -> np.ndarray:
    """The line at half its resolution, enlarged again: another scale of the same print."""
    h, w = line.shape
    small = cv2.resize(line, (max(4, w // 2), max(4, h // 2)), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


# Independent looks at one line: other margins, Otsu binarisation, bolder strokes, another scale.
REREAD_VARIANTS = ((lambda ln: ln, REREAD_PADS[0]), (lambda ln: ln, REREAD_PADS[1]), (_binarised, PAD),
                   (_thick, PAD), (_half, PAD))


def _doubtful(text: str, score: float) -> bool:
    """A single line's first reading is worth reading again: digits or look-alikes (or nothing) read with a
    low confidence or through look-alikes, a number with brackets, a leading 0 or a short stray read."""
    compact = text.replace(" ", "")
    return bool((not text or _DIGITLIKE.match(compact)) and (score < LOW_CONFIDENCE or digitise(text, score)[2])
                or _BRACKETED.match(compact) or _LEADING_ZERO.match(compact) or _STRAY.match(compact))


def _settle(engine, lines: list[list[np.ndarray]], reads: list[tuple[str, float]],
            crops: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[str, float, str, list[str]]]:
    """Final (text, confidence, warning note, other readings) per cell; doubtful digit-like cells are read again.

    A cell is doubtful when its single line reads as digits or look-alikes (or as nothing) with a
    low confidence, or needed a look-alike mapping. It is re-read with other margins and binarised;
    the most confident reading with a digit wins (else the most confident non-empty one), and
    disagreeing readings lower the confidence and are returned as the other readings.
    A cell with print that no reading can make out becomes '?' (not blank, which would count as 0).
    """
    height = text_height(crops)
    doubtful = [i for i, (t, s) in enumerate(reads) if len(lines[i]) == 1 and _doubtful(t, s)]
    singles = [lines[i][0] for i in doubtful]
    again = [recognise(engine, singles, pad) for pad in REREAD_PADS]
    again.append(recognise(engine, [_binarised(line) for line in singles]))
    alternatives = {i: [reads[i]] + [a[n] for a in again] for n, i in enumerate(doubtful)}
    faint = {i: ln for i in doubtful if (ln := faint_line(*crops[i])) is not None}
    for i, got in zip(faint, recognise(engine, list(faint.values()))):
        alternatives[i].append(got)
    out = []
    for i, (text, score) in enumerate(reads):
        if not lines[i]:
            out.append(("", 1.0, "", []))
            continue
        candidates = [(*digitise(t, s), t) for t, s in alternatives.get(i, [(text, score)]) if t]
        shape = stroke(crops[i][0], height) if len(lines[i]) == 1 else None
        shape = shape if shape == "-" or text.replace(" ", "") in STROKE_READS else None
        if shape:
            out.append((shape, STROKE_CONFIDENCE, f"OCR read {text!r}; a lone stroke shaped like {shape!r}", []))
            continue
        if not candidates:
            out.append(("?", 0.0, "print found but not recognised", []))
            continue
        # A reading with a digit beats punctuation alone ('.' for a faint 1), a reading that is a number
        # beats digits with brackets ('1)' for a faint 0), then confidence decides.
        value, conf, mapped, raw = max(candidates, key=lambda c: (bool(re.search(r"\d", c[0])),
                                                                  not _BRACKETED.match(c[0].replace(" ", "")), c[1]))
        notes = []
        if mapped:
            notes.append(f"OCR read {raw!r}, taken as {value!r}")
        if _LEADING_ZERO.match(value):
            conf *= DISAGREE_FACTOR
            notes.append("a number with a leading 0 (a decimal point lost?)")
        others = sorted({c[0] for c in candidates} - {value})
        if others:
            conf *= DISAGREE_FACTOR
            notes.append("other reads " + ", ".join(repr(o) for o in others))
        if conf < LOW_CONFIDENCE or notes:
            notes.append(f"confidence {conf:.2f}")
        out.append((value, conf, "; ".join(notes), others))
    return out
