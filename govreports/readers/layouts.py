"""camelot's parsers on pages laid out once: the first reading, the split reading, camelot's raster
lattice and stream all start from the same pdfminer-style layout of a page, so it is kept for the
document being read instead of being rebuilt by every ``camelot.read_pdf`` call."""
from __future__ import annotations

from pathlib import Path
from typing import Any

_cache: dict[str, Any] = {"key": None, "layouts": {}}


def _source_key(src: Path | bytes) -> tuple:
    """What identifies the document: its bytes in memory, or the file with its size and mtime."""
    if isinstance(src, bytes):
        return ("bytes", len(src), hash(src))
    path = Path(src).resolve()
    st = path.stat()
    return ("file", str(path), st.st_size, st.st_mtime_ns)


def _layouts_of(src: Path | bytes) -> dict:
    """The layout cache of ``src`` (only the latest document's layouts are kept)."""
    key = _source_key(src)
    if _cache["key"] != key:
        _cache.update(key=key, layouts={})
    return _cache["layouts"]


# pdfminer's layout parameters for every reading: camelot's defaults without the hierarchical grouping
# of text boxes (boxes_flow), which only orders the boxes (camelot sorts text lines by position itself)
# and costs two thirds of laying out a page.
LAYOUT_KWARGS = {"boxes_flow": None}
RULE_WIDTH = 1.5   # camelot's widest filled rectangle taken as a ruling line (_LINE_AS_THIN_RECT_TOL)


def _add_bevelled_rules(ltpage: Any) -> set[int]:
    """A browser draws a table border as four filled quadrilaterals with bevelled corners: a thin
    trapezoid is not a rectangle, so camelot sees no vertical rulings. Each thin filled straight-sided
    shape is added to the layout as the filled rectangle around it; returns the added objects' ids."""
    from playa.miner import LTCurve, LTRect

    added = []
    for obj in list(ltpage):
        if type(obj) is not LTCurve or not obj.fill or obj.stroke or len(obj.pts) not in (4, 5):
            continue
        if any(seg[0] not in ("m", "l", "h") for seg in obj.original_path):
            continue
        w, h = obj.x1 - obj.x0, obj.y1 - obj.y0
        if min(w, h) <= RULE_WIDTH < max(w, h):
            rule = LTRect()
            rule.set_bbox(obj.bbox)
            rule.stroke, rule.fill, rule.linewidth = False, True, obj.linewidth
            rule.pts = [(obj.x0, obj.y0), (obj.x1, obj.y0), (obj.x1, obj.y1), (obj.x0, obj.y1)]
            rule.original_path = []
            ltpage.add(rule)
            added.append(rule)
    return {id(r) for r in added}


def miner_descents(doc: Any) -> None:
    """Give the fonts of playa document ``doc`` the descent pdfminer gives them: the descriptor's
    /Descent alone (0 when absent), where playa falls back on -120 or the font's bounding box (LibreOffice
    writes Ascent and Descent 0, and a CJK font's box reaches a whole line down). The characters' boxes
    then sit where pdfminer, for which camelot and pdfplumber were made, puts them."""
    from playa.pdftypes import num_value, resolve1

    if getattr(doc, "_miner_descents", False):
        return
    get_font = doc.get_font

    def miner_font(objid: int = 0, spec: Any = None) -> Any:
        font = get_font(objid, spec)
        if not font.vertical and type(font).__name__ != "Type3Font":
            descent = (getattr(font, "descriptor", None) or {}).get("Descent", 0)
            font.descent = -abs(num_value(resolve1(descent)))
        return font

    doc.get_font = miner_font
    doc._miner_descents = True


def added_rules(src: Path | bytes, page: int) -> set[int]:
    """The ids of the rulings :func:`_add_bevelled_rules` added to the cached layout of ``page``."""
    return _layouts_of(src).get(("rules", _key(page - 1, LAYOUT_KWARGS)), set())


def _key(page_idx: int, layout_kwargs: dict) -> tuple:
    return (page_idx, tuple(sorted(layout_kwargs.items())))


def read_tables(src: Path | bytes, pages: list[int], flavor: str = "lattice", **kw: Any) -> Any:
    """``camelot.read_pdf(src, pages=..., flavor=..., **kw)`` with each page's layout built at most
    once per document (camelot's TableList)."""
    from camelot.handlers import PDFHandler
    from camelot.utils import remove_extra, validate_input

    from .pdfguard import check_forms

    layouts = _layouts_of(src)

    class Handler(PDFHandler):
        def _get_layout(self, page: Any, **layout_kwargs: Any) -> Any:
            key = _key(page.page_idx, layout_kwargs)
            if key not in layouts:
                check_forms(page, src if isinstance(src, Path) else "its in-memory copy")
                miner_descents(page.doc)
                layouts[key] = super()._get_layout(page, **layout_kwargs)
                layouts[("rules", key)] = _add_bevelled_rules(layouts[key][0])
            return layouts[key]

    validate_input(kw, flavor=flavor)
    kw = remove_extra(kw, flavor=flavor)
    with Handler(src if isinstance(src, bytes) else str(src), pages=",".join(map(str, pages))) as handler:
        return handler.parse(flavor=flavor, layout_kwargs=dict(LAYOUT_KWARGS), **kw)


def cached_layout(src: Path | bytes, page: int) -> Any:
    """camelot's layout of 1-based ``page`` of ``src`` if a reading already built it, else None:
    (LTPage, dimensions, images, chars, horizontal text, vertical text, rotation)."""
    return _layouts_of(src).get(_key(page - 1, LAYOUT_KWARGS))


def _ruling(obj: Any) -> bool:
    """A drawn object camelot's vector lattice takes as ruling lines: a stroked line, a stroked
    rectangle, a thin filled rectangle."""
    kind = type(obj).__name__
    if kind == "LTLine":
        return bool(obj.stroke)
    if kind != "LTRect":
        return False
    thin = min(obj.width, obj.height) <= RULE_WIDTH < max(obj.width, obj.height)
    return bool(obj.stroke) or (bool(obj.fill) and thin)


def nothing_to_render(src: Path | bytes, page: int) -> bool:
    """True when camelot's layout of 1-based ``page`` holds nothing but text and the rulings its vector
    lattice already read (no image, no curve, no shaded box): a rendered page then shows the raster
    lattice no ruling the vector one did not have. Not laid out, True only when the page draws nothing
    but text (:func:`note_drawn`)."""
    cached = cached_layout(src, page)
    if cached is None:
        return _layouts_of(src).get(("drawn", page)) == frozenset()

    def plain(items: Any) -> bool:
        return all(type(o).__name__.startswith(("LTText", "LTChar", "LTAnno")) and (not hasattr(o, "_objs") or plain(o))
                   or _ruling(o) for o in items)

    return plain(cached[0])


def note_drawn(src: Path | bytes, drawn: dict[int, frozenset[str]]) -> None:
    """Keep what 1-based pages of ``src`` draw besides text ("path", "image", "form"), as pdfium
    lists their objects: a page not laid out is then judged by it."""
    _layouts_of(src).update({("drawn", p): kinds for p, kinds in drawn.items()})


def draws_lines(src: Path | bytes, page: int) -> bool:
    """False when camelot's layout of 1-based ``page`` holds no drawn line, rectangle or curve (or, not
    laid out, the page draws no path or form): no ruling-based finder (camelot's vector lattice,
    pdfplumber's line strategy) can find a grid there. True when it may, or nothing is known."""
    cached = cached_layout(src, page)
    if cached is None:
        kinds = _layouts_of(src).get(("drawn", page))
        return kinds is None or bool(kinds & {"path", "form"})

    def lines(items: Any) -> bool:
        return any(type(o).__name__ in ("LTLine", "LTRect", "LTCurve") or (hasattr(o, "_objs") and lines(o))
                   for o in items)

    return lines(cached[0])
