"""Text pages printed sideways: a wide table drawn turned on a portrait page (or a page whose /Rotate
turns upright text sideways). The grid finders read pages as displayed, so such a page is given the
/Rotate that shows its text upright, in a copy read in memory; the file itself is never changed.
"""
from __future__ import annotations

import math
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

SAMPLE = 60         # characters sampled evenly over a page: enough to see which way its text runs
MAJORITY = 0.6      # share of a page's sampled characters that must run one way


def text_turn(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> int:
    """Degrees (clockwise, a multiple of 90) by which the page's /Rotate must change so that most of its
    characters read upright as displayed; 0 for an upright page or one without a clear majority."""
    angles: Counter[int] = Counter()
    n = textpage.count_chars()
    for k in range(0, n, max(1, n // SAMPLE)):
        if chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, k)).isspace():
            continue
        user = round(math.degrees(pdfium_c.FPDFText_GetCharAngle(textpage.raw, k)) / 90) * 90
        angles[(user + page.get_rotation()) % 360] += 1
    if not angles:
        return 0
    shown, count = angles.most_common(1)[0]
    return (360 - shown) % 360 if shown and count >= MAJORITY * sum(angles.values()) else 0


def turn_upright(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> int:
    """Give a page showing its text turned the /Rotate that shows it upright (in the open document only;
    the caller saves the copy); return the degrees turned clockwise, 0 for an upright page."""
    degrees = text_turn(page, textpage)
    if degrees:
        page.set_rotation((page.get_rotation() + degrees) % 360)
    return degrees
