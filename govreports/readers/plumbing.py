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


def _shift(ch: Any, font: Any) -> tuple[float, float]:
    """How far pdfminer's box of character ``ch`` lies from playa's: pdfminer takes a font's descent
    from its descriptor alone (0 when absent), playa falls back on -120 or the bounding box."""
    if font is None or font.vertical or type(font).__name__ == "Type3Font":
        return (0.0, 0.0)
    shift = _miner_descent(font) - font.descent * font.matrix[3]
    gs = ch.graphicstate   # ch.matrix is divided by the font size (and scaling) as pdfminer has it
    return (ch.matrix[2] * gs.fontsize * gs.scaling * 0.01 * shift, ch.matrix[3] * gs.fontsize * shift)


def _own_items(objs: Any) -> Iterator[tuple[Any, Any]]:
    """(item, font) of playa's pdfminer-style layout items of a page's content objects, in content
    order (font: a character's, else None)."""
    from playa.miner import LTChar, process_object
    from playa.page import TextObject, XObjectObject

    for obj in objs:
        if isinstance(obj, TextObject):
            for glyph in obj:
                yield LTChar(glyph), glyph.font
        elif isinstance(obj, XObjectObject):
            yield from _own_items(obj)
        else:
            for item in process_object(obj):
                yield item, None


def _cached_items(ltpage: Any, fonts: dict[str, Any], skip: set[int]) -> Iterator[tuple[Any, Any]]:
    """(item, font) of the leaves of an analysed layout (camelot's), characters with their font;
    without the objects in ``skip`` (rulings added for camelot)."""
    for obj in ltpage:
        if hasattr(obj, "_objs"):
            yield from _cached_items(obj, fonts, skip)
        elif id(obj) not in skip:
            yield obj, fonts.get(getattr(obj, "fontname", None))


def _layout_items(playa_page: Any, cached: Any, skip: set[int]) -> Iterator[tuple[Any, Any]]:
    """The page's layout items with fonts: from camelot's layout of the page when it has one that
    names every font unambiguously, else from a fresh pass over the page's content."""
    if cached is not None and not cached[6]:   # a page camelot de-rotated has other coordinates
        fonts: dict[str, Any] = {}
        clash = False
        for font in playa_page.fonts.values():
            old = fonts.setdefault(font.fontname, font)
            clash |= old is not font and (old.descent, old.matrix, _miner_descent(old)) != \
                (font.descent, font.matrix, _miner_descent(font))
        items = list(_cached_items(cached[0], fonts, skip))
        if not clash and all(f is not None for o, f in items if type(o).__name__ == "LTChar"):
            return iter(items)
    return _own_items(playa_page)


def _objects(playa_page: Any, page: Any, cached: Any = None, skip: set[int] = frozenset()) -> dict[str, list[dict]]:
    """The chars, lines, rects and curves of a playa page as pdfplumber's object dicts of ``page``
    (the same fields, coordinates and order pdfplumber.Page.parse_objects gives)."""
    out: dict[str, list[dict]] = {}
    mb_x0, mb_top = page.mediabox[:2]
    for obj, font in _layout_items(playa_page, cached, skip):
        kind = type(obj).__name__[2:].lower()
        if kind not in ("char", "line", "rect", "curve"):
            continue
        attr = {k: getattr(obj, k) for k in _ATTRS if hasattr(obj, k)}
        if kind == "char":
            dx, dy = _shift(obj, font)
            attr.update(x0=obj.x0 + dx, x1=obj.x1 + dx, y0=obj.y0 + dy, y1=obj.y1 + dy)
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

    from .layouts import added_rules, cached_layout

    src = io.BytesIO(path) if isinstance(path, bytes) else str(path)
    layout = playa.Document(path, space="page") if isinstance(path, bytes) else playa.open(str(path), space="page")
    with pdfplumber.open(src) as pdf, layout as doc:
        for p in pages:
            page = pdf.pages[p - 1]
            page._objects = _objects(doc.pages[p - 1], page, cached_layout(path, p), added_rules(path, p))
            for t in page.find_tables():
                yield p, t.extract()
