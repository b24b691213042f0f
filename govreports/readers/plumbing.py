"""pdfplumber's table finder on pages laid out by playa (the parser camelot uses): pdfplumber's own
pdfminer pass costs several times more, most of all on Type 3 fonts (browser prints)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterator

# the attributes pdfplumber copies from a pdfminer layout object (pdfplumber.page.ALL_ATTRS)
_ATTRS = ("adv", "height", "linewidth", "pts", "size", "width", "x0", "x1", "y0", "y1", "matrix", "upright",
          "fontname", "evenodd", "fill", "stroke", "non_stroking_color", "stroking_color")


def _color(c: Any) -> tuple | None:
    """A playa Color (or a bare value) as pdfplumber's tuple of components."""
    if c is None:
        return None
    values = getattr(c, "values", c)
    return tuple(values) if isinstance(values, (tuple, list)) else (values,)


def _miner_descent(font: Any) -> float:
    """The descent pdfminer gives a font, in text space units: the descriptor's /Descent (0 when
    absent, made negative), where playa falls back on -120 or the font's bounding box."""
    from playa.pdftypes import num_value, resolve1

    d = num_value(resolve1((getattr(font, "descriptor", None) or {}).get("Descent", 0)))
    return -abs(d) * 0.001


def _layout_items(objs: Any) -> Iterator[Any]:
    """playa's pdfminer-style layout items of a page's content objects, in content order; each
    character's box placed as pdfminer places it (pdfplumber's grid finder was tuned on those)."""
    from playa.miner import LTChar, process_object
    from playa.page import TextObject, XObjectObject

    for obj in objs:
        if isinstance(obj, TextObject):
            for glyph in obj:
                ch = LTChar(glyph)
                font = glyph.font
                if not font.vertical and type(font).__name__ != "Type3Font":
                    shift = _miner_descent(font) - font.descent * font.matrix[3]
                    if shift:
                        dx, dy = glyph.matrix[2] * shift, glyph.matrix[3] * shift
                        ch.set_bbox((ch.x0 + dx, ch.y0 + dy, ch.x1 + dx, ch.y1 + dy))
                yield ch
        elif isinstance(obj, XObjectObject):
            yield from _layout_items(obj)
        else:
            yield from process_object(obj)


def _objects(playa_page: Any, page: Any) -> dict[str, list[dict]]:
    """The chars, lines, rects and curves of a playa page as pdfplumber's object dicts of ``page``
    (the same fields, coordinates and order pdfplumber.Page.parse_objects gives)."""
    out: dict[str, list[dict]] = {}
    mb_x0, mb_top = page.mediabox[:2]
    for obj in _layout_items(playa_page):
        kind = type(obj).__name__[2:].lower()
        if kind not in ("char", "line", "rect", "curve"):
            continue
        attr = {k: getattr(obj, k) for k in _ATTRS if hasattr(obj, k)}
        attr["stroking_color"] = _color(attr.get("stroking_color"))
        attr["non_stroking_color"] = _color(attr.get("non_stroking_color"))
        attr["object_type"] = kind
        attr["page_number"] = page.page_number
        if kind == "char":
            attr["text"] = obj.get_text()
        else:
            attr["pts"] = [page.point2coord(p) for p in attr["pts"]]
            attr["path"] = [(cmd, *map(page.point2coord, pts)) for cmd, *pts in obj.original_path]
            attr["dash"] = obj.dashing_style
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
        if mb_x0 != 0:
            attr["x0"] += mb_x0
            attr["x1"] += mb_x0
        out.setdefault(kind, []).append(attr)
    return out


def find_tables(path: Path | bytes, pages: list[int]) -> Iterator[tuple[int, list[list[str | None]]]]:
    """(page, rows) of every table pdfplumber finds on ``pages`` (1-based), each page laid out once by
    playa."""
    import pdfplumber
    import playa

    src = io.BytesIO(path) if isinstance(path, bytes) else str(path)
    layout = playa.Document(path, space="page") if isinstance(path, bytes) else playa.open(str(path), space="page")
    with pdfplumber.open(src) as pdf, layout as doc:
        for p in pages:
            page = pdf.pages[p - 1]
            page._objects = _objects(doc.pages[p - 1], page)
            for t in page.find_tables():
                yield p, t.extract()
