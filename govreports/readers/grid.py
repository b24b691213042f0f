"""Find ruled tables on a page image: ruling lines by morphology, merged cells by missing rulings.

Used by the OCR reader. Works on a grayscale page image (uint8, white paper); all lengths are given
in PDF points and converted with ``scale`` (image pixels per point), so the result does not depend
on the rendering resolution.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MIN_RULE_PT = 12.0      # shortest ruling segment kept; longer than a character stroke, shorter than a cell
RULE_OVER_TEXT = 1.25   # ... and at least this many character heights (large print has long strokes)
LONG_RULE = 3           # rulings this many times the shortest need not end on crossing rulings
MERGE_TOL_PT = 2.5      # rulings closer than this are one ruling
JOIN_GAP = 2            # px: collinear ruling pieces this close are one piece (text strokes are further apart)
MIN_COVER = 0.5         # fraction of a cell edge that must be ruled for the edge to separate cells
MIN_TABLE_PT = (40.0, 15.0)  # smallest table width, height
MIN_CELL_PT = 8.0       # a ruling running on this far past the last crossing one bounds a cell
INK_MAX_GRAY = 170      # paper, shading and JPEG ringing are lighter than this
MAX_16BIT_LABELS = 65_000  # 16-bit component labels are used while a mask's row runs stay below this


@dataclass
class Grid:
    """One ruled table: boundaries (pixels) and its cells as (row0, col0, row1, col1), end-exclusive.

    ``xs``/``ys`` are the column/row rulings left→right and top→bottom; a cell spans
    ``xs[col0]..xs[col1]`` × ``ys[row0]..ys[row1]``. Every grid position is covered by exactly one cell.
    """

    xs: list[int]
    ys: list[int]
    cells: list[tuple[int, int, int, int]]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys) - 1, len(self.xs) - 1

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


_last_local: list = []  # [(image, its local-darkness mask)] of the last image asked for


def local_dark(gray: np.ndarray) -> np.ndarray:
    """Binary (0/255, read-only) mask of pixels locally darker than their surroundings (camelot's lattice
    threshold). The last image's is kept: preparing a page asks for it up to three times unchanged."""
    if _last_local and _last_local[0][0] is gray:
        return _last_local[0][1]
    local = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 15, -2)
    local.flags.writeable = False
    _last_local[:] = [(gray, local)]
    return local


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary (0/255) mask of dark marks, robust to grey cell shading and JPEG ringing.

    Locally darker than the surroundings AND absolutely dark: JPEG ringing beside a ruling is
    locally darker too, but only a few grey levels below white.
    """
    dark = cv2.threshold(gray, INK_MAX_GRAY - 1, 255, cv2.THRESH_BINARY_INV)[1]
    return cv2.bitwise_and(local_dark(gray), dark)


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """8-connected components of a mask: (count with the background, labels, stats), as OpenCV gives them.

    Labels are 16-bit (about 2.5× faster on a page) when they cannot overflow: every component, and
    every provisional label OpenCV makes, starts a run of marked pixels in some row.
    """
    on = mask != 0
    starts = np.count_nonzero(on[:, 1:] & ~on[:, :-1]) + np.count_nonzero(on[:, 0]) if on.size else 0
    ltype = cv2.CV_16U if starts < MAX_16BIT_LABELS else cv2.CV_32S
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=ltype)
    return n, labels, stats


def text_height(ink: np.ndarray, scale: float) -> float:
    """About one character's height in px: the 90th percentile of the heights of small ink blobs.

    Most full-size CJK characters are one blob; digits, punctuation and split characters are
    smaller, so the upper percentile, not the median, tracks the font size.
    """
    n, _, stats = components(ink)
    h, w = stats[1:n, cv2.CC_STAT_HEIGHT], stats[1:n, cv2.CC_STAT_WIDTH]
    small = h[(h > 3) & (w > 3) & (h < 60 * scale) & (w < 60 * scale)]
    return float(np.percentile(small, 90)) if small.size >= 20 else 10.5 * scale


def rule_length(ink: np.ndarray, scale: float) -> int:
    """Shortest ink run taken as a ruling: MIN_RULE_PT, or longer than a character stroke of this font."""
    return max(5, int(MIN_RULE_PT * scale), int(RULE_OVER_TEXT * text_height(ink, scale)))


def ruling_masks(ink: np.ndarray, scale: float, length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling masks: ink runs at least ``length`` px long in that direction."""
    n = length or rule_length(ink, scale)
    # Bridge one- or two-pixel breaks (JPEG, thin lines) across the line before the opening.
    h = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    h = cv2.morphologyEx(h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    v = cv2.morphologyEx(v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    return h, v


_last_masks: list = []  # [(page image, scale, masks)] of the last page asked for


def page_masks(gray: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """A page's ink mask, its horizontal and vertical ruling masks (read-only) and the ruling length used;
    the last page's are kept, since straightening, skew finding and grid finding ask for the same
    unchanged image in turn."""
    last = _last_masks[0] if _last_masks else None
    if last is not None and last[0] is gray and last[1] == scale:
        return last[2]
    ink = ink_mask(gray)
    length = rule_length(ink, scale)
    masks = (ink, *ruling_masks(ink, scale, length), length)
    _last_masks[:] = [(gray, scale, masks)]
    return masks


def rules_mask(gray: np.ndarray, scale: float) -> np.ndarray:
    """Every ruling pixel of a page (slightly thickened), to erase the borders from cell crops."""
    _, hmask, vmask, _ = page_masks(gray, scale)
    return cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((3, 3), np.uint8))


def _cluster(positions: list[float], tol: float) -> list[int]:
    """Merge sorted 1-D positions closer than ``tol`` into their mean."""
    out: list[list[float]] = []
    for p in sorted(positions):
        if out and p - out[-1][-1] <= tol:
            out[-1].append(p)
        else:
            out.append([p])
    return [int(round(sum(g) / len(g))) for g in out]


def _segments(mask: np.ndarray, horizontal: bool, tol: int) -> list[tuple[float, int, int]]:
    """Ruling pieces as (position across, start, end along) in pixels, collinear pieces joined."""
    n, _, stats = components(mask)
    raw = sorted((y + h / 2, x, x + w) if horizontal else (x + w / 2, y, y + h)
                 for x, y, w, h, _area in stats[1:n].tolist())
    groups: list[list[tuple[float, int, int]]] = []
    for seg in raw:  # sorted by position across
        if groups and seg[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    segs: list[tuple[float, int, int]] = []
    for group in groups:
        run: list[tuple[float, int, int]] = []
        for seg in sorted(group, key=lambda g: g[1]):
            if run and seg[1] - max(r[2] for r in run) > JOIN_GAP:
                segs.append(_join(run))
                run = []
            run.append(seg)
        segs.append(_join(run))
    return segs


def _join(run: list[tuple[float, int, int]]) -> tuple[float, int, int]:
    """One segment from collinear pieces: length-weighted position, overall extent."""
    weight = sum(b - a for _, a, b in run) or 1
    return (sum(p * (b - a) for p, a, b in run) / weight, min(a for _, a, _ in run), max(b for _, _, b in run))


def _anchored(segs: list[tuple[float, int, int]], cross: list[tuple[float, int, int]], tol: int,
              long: int) -> list[tuple[float, int, int]]:
    """Segments that end on crossing rulings at both ends (a ruling bounds cells; a run of text
    strokes does not), or that are ``long`` and cross two rulings (a table cut by a page break has
    no closing ruling; some tables have no side borders)."""
    def meets(s: tuple[float, int, int], c: tuple[float, int, int], at: float | None = None) -> bool:
        along = s[1] - tol <= c[0] <= s[2] + tol if at is None else abs(c[0] - at) <= tol
        return along and c[1] - tol <= s[0] <= c[2] + tol

    return [s for s in segs
            if (any(meets(s, c, s[1]) for c in cross) and any(meets(s, c, s[2]) for c in cross))
            or (s[2] - s[1] >= long and sum(meets(s, c) for c in cross) >= 2)]


def _covered(mask: np.ndarray, horizontal: bool, at: int, lo: int, hi: int, tol: int) -> float:
    """Fraction of the edge ``lo..hi`` at ``at`` that carries a ruling in ``mask`` (± tol across)."""
    if hi - lo < 2:
        return 1.0
    if horizontal:
        band = mask[max(0, at - tol): at + tol + 1, lo:hi]
        return float(band.any(axis=0).mean())
    band = mask[lo:hi, max(0, at - tol): at + tol + 1]
    return float(band.any(axis=1).mean())


def _cells(xs: list[int], ys: list[int], hmask: np.ndarray, vmask: np.ndarray, tol: int) -> list[tuple[int, int, int, int]]:
    """Union the elementary cells whose shared edge is not ruled; return rectangular spans."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i in range(nr):
        for j in range(nc):
            # Shrink the probed edge a little so crossing rulings do not count as coverage.
            if j + 1 < nc and _covered(vmask, False, xs[j + 1], ys[i] + tol, ys[i + 1] - tol, tol) < MIN_COVER:
                union(i * nc + j, i * nc + j + 1)
            if i + 1 < nr and _covered(hmask, True, ys[i + 1], xs[j] + tol, xs[j + 1] - tol, tol) < MIN_COVER:
                union(i * nc + j, (i + 1) * nc + j)
    boxes: dict[int, list[int]] = {}
    for i in range(nr):
        for j in range(nc):
            b = boxes.setdefault(find(i * nc + j), [i, j, i + 1, j + 1])
            b[0], b[1] = min(b[0], i), min(b[1], j)
            b[2], b[3] = max(b[2], i + 1), max(b[3], j + 1)
    # A missing ruling can leave an L-shaped group; its bounding box may overlap another group.
    rects = [tuple(b) for b in boxes.values()]
    merged = True
    while merged:
        merged = False
        for a in range(len(rects)):
            for b in range(a + 1, len(rects)):
                ra, rb = rects[a], rects[b]
                if ra[0] < rb[2] and rb[0] < ra[2] and ra[1] < rb[3] and rb[1] < ra[3]:
                    rects[a] = (min(ra[0], rb[0]), min(ra[1], rb[1]), max(ra[2], rb[2]), max(ra[3], rb[3]))
                    del rects[b]
                    merged = True
                    break
            if merged:
                break
    return sorted(rects)  # type: ignore[arg-type]


def find_grids(gray: np.ndarray, scale: float) -> list[Grid]:
    """All ruled tables on a grayscale page image, top to bottom, with their merged cells."""
    _, hmask, vmask, length = page_masks(gray, scale)
    tol = max(2, int(MERGE_TOL_PT * scale))
    both = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((tol, tol), np.uint8))
    n, _, stats = components(both)
    hsegs, vsegs = _segments(hmask, True, tol), _segments(vmask, False, tol)
    for _ in range(2):  # each pass drops strokes anchored only to strokes dropped in the other direction
        hsegs = _anchored(hsegs, vsegs, tol, LONG_RULE * length)
        vsegs = _anchored(vsegs, hsegs, tol, LONG_RULE * length)
    grids = []
    for x, y, w, h, _area in stats[1:n]:
        if w < MIN_TABLE_PT[0] * scale or h < MIN_TABLE_PT[1] * scale:
            continue
        inside_h = [s for s in hsegs if y <= s[0] <= y + h and x <= s[1] and s[2] <= x + w]
        inside_v = [s for s in vsegs if x <= s[0] <= x + w and y <= s[1] and s[2] <= y + h]
        ys = _cluster([s[0] for s in inside_h], tol)
        xs = _cluster([s[0] for s in inside_v], tol)
        if len(xs) < 2 or len(ys) < 2:
            continue
        # Rulings that run on past the outermost crossing ones mark a missing border (a table cut by
        # a page break has no top or bottom ruling; some tables have no side borders).
        edge = int(MIN_CELL_PT * scale)
        top, bottom = min(s[1] for s in inside_v), max(s[2] for s in inside_v) - 1
        left, right = min(s[1] for s in inside_h), max(s[2] for s in inside_h) - 1
        ys = ([top] if ys[0] - top > edge else []) + ys + ([bottom] if bottom - ys[-1] > edge else [])
        xs = ([left] if xs[0] - left > edge else []) + xs + ([right] if right - xs[-1] > edge else [])
        grids.append(Grid(xs, ys, _cells(xs, ys, hmask, vmask, tol)))
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


MIN_SKEW_LINE_PT = 100.0   # rulings at least this long measure the page's skew
MAX_SKEW_DEG = 5.0


def skew_angle(gray: np.ndarray, scale: float) -> float:
    """The page's skew in degrees (positive: lines rise to the right), from its long horizontal rulings.

    0.0 when the page has no long rulings. A crooked scan shifts a ruling by several pixels across a
    table, enough to break the ruling-coverage test between cells, so pages are straightened first.
    """
    _, hmask, _, _ = page_masks(gray, scale)
    n, labels, stats = components(hmask)
    angles, weights = [], []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < MIN_SKEW_LINE_PT * scale:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append(-np.degrees(np.arctan(slope)))
        weights.append(w)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights, float)[order])
    angle = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])  # length-weighted median
    return angle if abs(angle) <= MAX_SKEW_DEG else 0.0


def deskew(gray: np.ndarray, scale: float, min_deg: float = 0.05) -> tuple[np.ndarray, float]:
    """The page image rotated so its rulings are level, and the angle corrected (0.0: unchanged)."""
    angle = skew_angle(gray, scale)
    if abs(angle) < min_deg:
        return gray, 0.0
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle
