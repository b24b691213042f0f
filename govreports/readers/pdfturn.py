"""Text pages printed sideways: a wide table drawn turned on a portrait page (or a page whose /Rotate
turns upright text sideways). The grid finders read pages as displayed, so such a page is given the
/Rotate that shows its text upright, in a copy read in memory; the file itself is never changed.
"""
from __future__ import annotations

import io
import math
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

SAMPLE = 3          # every third character is enough to see which way a page's text runs
MAJORITY = 0.6      # share of a page's sampled characters that must run one way


def text_turn(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> int:
    """Degrees (clockwise, a multiple of 90) by which the page's /Rotate must change so that most of its
    characters read upright as displayed; 0 for an upright page or one without a clear majority."""
    angles: Counter[int] = Counter()
    for k in range(0, textpage.count_chars(), SAMPLE):
        if chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, k)).isspace():
            continue
        user = round(math.degrees(pdfium_c.FPDFText_GetCharAngle(textpage.raw, k)) / 90) * 90
        angles[(user + page.get_rotation()) % 360] += 1
    if not angles:
        return 0
    shown, count = angles.most_common(1)[0]
    return (360 - shown) % 360 if shown and count >= MAJORITY * sum(angles.values()) else 0


def turned_copy(pdf: pdfium.PdfDocument, turns: dict[int, int], flags: int = 0) -> bytes:
    """The document with each page in ``turns`` (0-based index -> degrees clockwise) turned, as bytes
    (``flags``: pdfium's save flags, e.g. to drop an owner password)."""
    for index, degrees in turns.items():
        page = pdf[index]
        page.set_rotation((page.get_rotation() + degrees) % 360)
        page.close()
    buf = io.BytesIO()
    pdf.save(buf, flags=flags)
    return buf.getvalue()


def page_texts_of(copy: bytes, turns: dict[int, int], texts: list[str]) -> list[str]:
    """``texts`` with each turned page's text read again from the turned copy, in its reading order."""
    pdf = pdfium.PdfDocument(copy)
    try:
        out = list(texts)
        for index in turns:
            page = pdf[index]
            tp = page.get_textpage()
            out[index] = tp.get_text_range()
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()
