"""Prepare a page image of unknown origin for the grid finder: even light, known text size, flat page.

Screenshots, scans and phone photos come at any resolution; the grid finder and the cell reader
work at ``ocr.SCALE`` pixels per point. The image is resized so its characters are as tall as
10.5-point print at that scale, its lighting is evened out (a photo is darker at one side), and a
photographed page seen at an angle is warped back to a rectangle from its largest ruled table.
"""
from __future__ import annotations

import cv2
import numpy as np

from .grid import components, deskew, ink_mask, local_dark, page_masks, ruling_masks

TARGET_CHAR_PT = 10.5       # characters are resized to this height in points (the usual 五号/小四 print)
MAX_FACTOR = 3.0            # small print is enlarged at most this much
WORK_PIXELS = 12_000_000    # larger images are shrunk to this (an A4 page at about 340 dpi)
MIN_SKEW_CORNER = 0.004     # corner offsets below this share of the table's size are left alone
FAINT_RULE_GRAY = 140       # rulings lighter than this (thin lines blurred by a camera) are darkened ...
RULE_GRAY = 100             # ... to about this grey, with a gamma curve (paper stays white, print black)


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide out the paper's brightness (uneven light, yellowed paper): paper becomes white, print stays dark.

    The background is estimated by a grey closing (removes print) on a quarter-size copy.
    """
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    k = max(7, (min(small.shape) // 40) | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = gray.astype(np.float32) * (255.0 / np.maximum(bg, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8)


def char_height(gray: np.ndarray) -> float | None:
    """Typical character height in pixels inside the ruled tables (90th percentile of glyph-sized ink
    blobs), or on the whole image when it shows no ruled box; None without text.

    Narrative print is often larger than table print, so the tables' own characters set the scale.
    """
    ink = ink_mask(gray)
    hmask, vmask = ruling_masks(ink, 1.0, max(25, min(gray.shape) // 30))
    rules = cv2.bitwise_or(hmask, vmask)
    n, _, boxes = components(cv2.dilate(rules, np.ones((5, 5), np.uint8)))
    inside = np.zeros(gray.shape, bool)
    for x, y, w, h, _area in boxes[1:n].tolist():
        if w >= 0.15 * gray.shape[1] and h >= 3 * max(25, min(gray.shape) // 30):
            inside[y:y + h, x:x + w] = True
    glyphs = (ink > 0) & (rules == 0)
    for region in ([inside] if inside.any() else []) + [np.ones(gray.shape, bool)]:
        n, _, stats = components((glyphs & region).astype(np.uint8))
        h, w = stats[1:n, cv2.CC_STAT_HEIGHT], stats[1:n, cv2.CC_STAT_WIDTH]
        limit = max(gray.shape) / 20
        keep = (h >= 5) & (w >= 3) & (h <= limit) & (w <= limit) & (w <= 2.5 * h) & (h <= 2.5 * w)
        if keep.sum() >= 20:
            return float(np.percentile(h[keep], 90))
    return None


def resize_to_scale(gray: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    """The image resized for the OCR scale ``scale`` px/pt; and the factor.

    Small print (a screenshot's 12–16 px characters) is enlarged until its characters are as tall as
    TARGET_CHAR_PT points at ``scale``; large images are only shrunk to WORK_PIXELS (print size
    varies within a page, so it is not used to shrink).
    """
    height = char_height(gray)
    factor = 1.0
    if height is not None:
        factor = float(np.clip(TARGET_CHAR_PT * scale * 0.92 / height, 1.0, MAX_FACTOR))
    factor = min(factor, (WORK_PIXELS / gray.size) ** 0.5)
    if abs(factor - 1) < 0.08:
        return gray, 1.0
    interp = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interp), factor


def _lines(mask: np.ndarray, horizontal: bool, box: tuple[int, int, int, int]) -> list[tuple[float, float, float]]:
    """Rulings of ``mask`` inside ``box`` running at least half its length, as (position, slope, intercept)."""
    x, y, w, h = box
    n, labels, stats = components(mask[y:y + h, x:x + w])
    out = []
    for i in range(1, n):
        length = stats[i, cv2.CC_STAT_WIDTH] if horizontal else stats[i, cv2.CC_STAT_HEIGHT]
        if length < 0.5 * (w if horizontal else h):
            continue
        bx, by, bw, bh = stats[i, :4]
        ys, xs = np.nonzero(labels[by:by + bh, bx:bx + bw] == i)
        along, across = (xs + bx + x, ys + by + y) if horizontal else (ys + by + y, xs + bx + x)
        slope, intercept = np.polyfit(along.astype(float), across.astype(float), 1)
        out.append((float(across.mean()), float(slope), float(intercept)))
    return sorted(out)


def _cross(hline: tuple[float, float, float], vline: tuple[float, float, float]) -> list[float]:
    """Where y = a·x + b meets x = c·y + d."""
    _, a, b = hline
    _, c, d = vline
    yy = (a * d + b) / (1 - a * c)
    return [c * yy + d, yy]


def _quad(hmask: np.ndarray, vmask: np.ndarray) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) where the outermost long rulings of the largest ruled table cross, or None."""
    both = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((5, 5), np.uint8))
    n, _, stats = components(both)
    if n < 2:
        return None
    big = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    box = tuple(int(v) for v in stats[big, :4])
    if box[2] < 0.2 * hmask.shape[1] or box[3] < 0.05 * hmask.shape[0]:
        return None
    hs, vs = _lines(hmask, True, box), _lines(vmask, False, box)
    if len(hs) < 2 or len(vs) < 2:
        return None
    return np.float32([_cross(hs[0], vs[0]), _cross(hs[0], vs[-1]), _cross(hs[-1], vs[-1]), _cross(hs[-1], vs[0])])


def rectify(gray: np.ndarray, scale: float) -> tuple[np.ndarray, bool]:
    """Undo a photo's perspective: warp the page so its largest ruled table is a rectangle.

    The paper is a plane, so the one homography that squares that table's outer rulings squares every
    table on the page. Returns (image, whether it was warped).
    """
    _, hmask, vmask, _ = page_masks(gray, scale)
    quad = _quad(hmask, vmask)
    if quad is None:
        return gray, False
    tl, tr, br, bl = quad
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    # keep the table where it is (top-left corner and a level top edge): only the shape changes
    dst = np.float32([tl, tl + [w, 0], tl + [w, h], tl + [0, h]])
    if np.abs(dst - quad).max() < MIN_SKEW_CORNER * max(w, h):
        return gray, False
    m = cv2.getPerspectiveTransform(quad, dst)
    rows, cols = gray.shape
    return cv2.warpPerspective(gray, m, (cols, rows), flags=cv2.INTER_LINEAR, borderValue=255), True


def darken_faint(gray: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    """Darken a page whose rulings are faint grey (thin lines blurred in a photo), so that the grid
    finder's ink threshold sees them; returns the image and the gamma used (1.0: unchanged)."""
    hmask, vmask = ruling_masks(local_dark(gray), scale)
    on = (hmask > 0) | (vmask > 0)
    if on.sum() < 200:
        return gray, 1.0
    level = float(np.median(gray[on]))
    if level <= FAINT_RULE_GRAY:
        return gray, 1.0
    gamma = float(np.log(RULE_GRAY / 255) / np.log(min(level, 250) / 255))
    lut = (255 * (np.arange(256) / 255) ** gamma).round().astype(np.uint8)
    return cv2.LUT(gray, lut), gamma


def prepare(gray: np.ndarray, scale: float) -> tuple[np.ndarray, dict]:
    """Even the light, resize to ``scale``, darken faint rulings and undo perspective; return the
    image and what was done."""
    gray = flatten_light(gray)
    gray, factor = resize_to_scale(gray, scale)
    gray, gamma = darken_faint(gray, scale)
    gray, warped = rectify(gray, scale)
    if not warped:   # a page photographed 3–4° askew breaks its thin rulings into runs too short for a
        turned, angle = deskew(gray, scale)   # table's outline: straightened first, its perspective shows
        if angle:
            turned, warped = rectify(turned, scale)
            gray = turned if warped else gray
    return gray, {"resized": round(factor, 3), "gamma": round(gamma, 2), "rectified": warped}
