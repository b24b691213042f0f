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


def _own_items(objs: Any) -> Iterator[Any]:
    """playa's pdfminer-style layout items of a page's content objects, in content order."""
    from playa.miner import LTChar, process_object
    from playa.page import TextObject, XObjectObject

    for obj in objs:
        if isinstance(obj, TextObject):
            for glyph in obj:
                yield LTChar(glyph)
        elif isinstance(obj, XObjectObject):
            yield from _own_items(obj)
        else:
            yield from process_object(obj)


def _cached_items(ltpage: Any, skip: set[int]) -> Iterator[Any]:
    """The leaves of an analysed layout (camelot's), without the objects in ``skip`` (rulings added
    for camelot)."""
    for obj in ltpage:
        if hasattr(obj, "_objs"):
            yield from _cached_items(obj, skip)
        elif id(obj) not in skip:
            yield obj


def _objects(playa_page: Any, page: Any, cached: Any = None, skip: set[int] = frozenset()) -> dict[str, list[dict]]:
    """The chars, lines, rects and curves of a playa page as pdfplumber's object dicts of ``page``
    (the same fields, coordinates and order pdfplumber.Page.parse_objects gives)."""
    out: dict[str, list[dict]] = {}
    mb_x0, mb_top = page.mediabox[:2]
    # camelot's layout of the page, else a fresh pass over its content (a page camelot de-rotated has
    # other coordinates)
    items = _cached_items(cached[0], skip) if cached is not None and not cached[6] else _own_items(playa_page)
    for obj in items:
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

    from .layouts import added_rules, cached_layout, miner_descents
    from .pdfguard import check_forms

    src = io.BytesIO(path) if isinstance(path, bytes) else str(path)
    layout = playa.Document(path, space="page") if isinstance(path, bytes) else playa.open(str(path), space="page")
    with pdfplumber.open(src) as pdf, layout as doc:
        miner_descents(doc)
        for p in pages:
            page = pdf.pages[p - 1]
            check_forms(doc.pages[p - 1], path if isinstance(path, Path) else "its in-memory copy")
            page._objects = _objects(doc.pages[p - 1], page, cached_layout(path, p), added_rules(path, p))
            for t in page.find_tables():
                yield p, t.extract()
