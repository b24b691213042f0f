"""Pages scanned or photographed sideways or upside down: a table page that reads badly is read again
turned by 90°, 180° and 270°, and the turn whose cells read best is kept.

The rulings of a turned table are still horizontal and vertical, so its grid is found; only its text
reads as noise. Most cells of an upright page read with high confidence, so a page where many cells
read badly is the one worth turning; upright pages cost nothing extra.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .base import RawTable

LOW = 0.6          # a cell read below this confidence is doubtful ...
DOUBTFUL = 0.08    # ... and a page with at least this share of them is read again turned (upright
                   # pages of the image fixtures: 0–0.7 %; pages turned 90°: 18–69 %)
TURNS = (90, 270, 180)


def low_share(tables: list[RawTable]) -> float:
    """Share of a page's cells read with confidence below LOW (0 when nothing was read)."""
    scores = [c for t in tables for row in (t.confidence or []) for c in row if c is not None]
    return sum(c < LOW for c in scores) / len(scores) if scores else 0.0


def turn(gray: np.ndarray, degrees: int) -> np.ndarray:
    """The page image turned counter-clockwise by ``degrees`` (a multiple of 90)."""
    return np.ascontiguousarray(np.rot90(gray, degrees // 90))


Reading = tuple[list, list[RawTable], list[str]]   # (grids, tables, warnings) of one page image


def upright(gray: np.ndarray, read: Callable[[np.ndarray], Reading], first: Reading) -> tuple[np.ndarray, Reading, int]:
    """The page's best reading: ``first`` (the upright reading of ``gray``) unless many of its cells read
    badly and a turned reading halves that share. Returns (image, reading, degrees turned)."""
    share = low_share(first[1])
    if share < DOUBTFUL:
        return gray, first, 0
    best, best_share = (gray, first, 0), share
    for degrees in TURNS:
        turned = turn(gray, degrees)
        reading = read(turned)
        s = low_share(reading[1])
        if reading[1] and s <= share / 2 and s < best_share:
            best, best_share = (turned, reading, degrees), s
        if best_share < DOUBTFUL / 2:
            break
    return best
