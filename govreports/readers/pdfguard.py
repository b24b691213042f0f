"""Bound what a PDF decodes to before any PDF library opens it: streams, images, page renders.

pdfium and pdfminer inflate a content stream whole, so a 1.5 MB file can ask for gigabytes. We walk
the file's raw bytes (memory-mapped), find every stream, read its dictionary the way a PDF parser does
(indirect values, #-escaped names, however far before ``stream`` it starts) and decode its whole filter
chain in chunks (``pdffilters``), counting and keeping nothing; an image's declared pixels are checked
without decoding it, and a CMap's ranges are counted (a range over every 4-byte code would be expanded
entry by entry by the layout libraries).
A file encrypted with an owner password only is decrypted first (pdfium re-saves it without
security, leaving the streams compressed); one that needs a password is not read at all.
"""
from __future__ import annotations

import mmap
import re
from pathlib import Path
from typing import Any, Iterator

from govreports import limits
from govreports.readers.base import ReaderError

from .pdffilters import CHUNK, decoded

_CMAP_HEAD = 4 << 20   # decoded bytes of a stream searched for CMap ranges (a CJK CMap is ~100 KB)
_TOKEN = re.compile(rb"""(?P<ws>(?:\s|%[^\r\n]*)+)|(?P<open><<|\[)|(?P<close>>>|\])|(?P<name>/[^\s/\[\]<>(){}%]*)"""
                    rb"""|(?P<ref>\d+\s+\d+\s+R\b)|(?P<num>[+-]?[\d.]+)|(?P<str>\()|(?P<hex><[^<>]*>)|(?P<word>[A-Za-z]+)|(?P<other>.)""",
                    re.S)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_KEYS = {b"Filter", b"Subtype", b"Width", b"Height"}


def _name(token: bytes) -> bytes:
    """A name token without its slash, #-escapes decoded (/Fl#61teDecode is /FlateDecode)."""
    return _ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), token[1:])


def _skip_string(d: bytes, pos: int) -> int:
    """The position after the literal string opening at ``pos`` (balanced parentheses, backslash escapes)."""
    depth, i = 0, pos
    while i < len(d):
        c = d[i]
        if c == 0x5C:          # backslash
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if not depth:
                return i + 1
        i += 1
    return i


def _tokens(d: bytes) -> Iterator[tuple[str, bytes]]:
    """(kind, token) of ``d`` without whitespace and comments (a literal string's token is b"()")."""
    pos = 0
    while (m := _TOKEN.match(d, pos)) is not None:
        kind, pos = m.lastgroup, m.end()
        if kind == "str":
            pos = _skip_string(d, m.start())
            yield kind, b"()"
        elif kind != "ws":
            yield kind, m.group()


def _value(kind: str, tok: bytes) -> bytes | int | tuple[int, int] | None:
    if kind == "name":
        return _name(tok)
    if kind == "ref":
        num, gen = tok.split()[:2]
        return int(num), int(gen)
    return int(tok) if kind == "num" and tok.isdigit() else None


def _entries(d: bytes) -> dict[bytes, list]:
    """The values of /Filter, /Subtype, /Width and /Height in the outermost dictionary of ``d`` (the bytes
    between an object's ``obj`` and its ``stream``): each a list of names (bytes), numbers (int) and
    references ((num, gen)), one value or an array's."""
    out: dict[bytes, list] = {}
    depth, key, array = 0, None, None
    for kind, tok in _tokens(d):
        if kind == "open":
            depth += 1
            if depth == 2 and key is not None:
                array = out.setdefault(key, []) if key in _KEYS and tok == b"[" else None
                key = None
        elif kind == "close":
            depth -= 1
            if depth <= 1:
                array = None
            if depth <= 0:
                break
        elif depth == 1 and key is None:
            key = _name(tok) if kind == "name" else None
        elif depth == 1:
            if key in _KEYS and (v := _value(kind, tok)) is not None:
                out[key] = [v]
            key = None
        elif depth == 2 and array is not None and (v := _value(kind, tok)) is not None:
            array.append(v)
    return out


def _resolve(m: mmap.mmap | bytes, ref: tuple[int, int], cache: dict) -> list:
    """The names or number an indirect object ``ref`` holds (its last definition in the file; [] when the
    object is not found, e.g. kept in a compressed object stream)."""
    if ref not in cache:
        cache[ref] = []
        found = None
        for found in re.finditer(rb"(?<![0-9])%d\s+%d\s+obj\b" % ref, m):
            pass
        if found is not None:
            body = m[found.end():found.end() + 4096]
            cache[ref] = _entries(b"<< /Filter " + body.split(b"endobj")[0] + b" >>").get(b"Filter", [])
    return cache[ref]


def _values(d: dict[bytes, list], key: bytes, m: mmap.mmap | bytes, cache: dict) -> list:
    """The values of ``key`` with indirect references resolved (one level)."""
    out: list = []
    for v in d.get(key, []):
        out += _resolve(m, v, cache) if isinstance(v, tuple) else [v]
    return out


def _chunks(m: mmap.mmap | bytes, start: int) -> Iterator[bytes]:
    pos = start
    while pos < len(m):
        yield m[pos:pos + CHUNK]
        pos += CHUNK


def _measure(m: mmap.mmap | bytes, start: int, filters: list[str], limit: float) -> tuple[int, int]:
    """Bytes the stream decodes to (counted up to just past ``limit``), and the codes its CMap ranges
    cover when it is a CMap (0 otherwise)."""
    total, head = 0, bytearray()   # grown in place: bytes += copies the whole head for every chunk
    for chunk in decoded(_chunks(m, start), filters):
        if total < _CMAP_HEAD:
            head += chunk[:_CMAP_HEAD - total]
        total += len(chunk)
        if total > limit:
            break
    return total, cmap_codes(bytes(head))


def cmap_codes(text: bytes) -> int:
    """How many codes the bfrange and cidrange entries of a CMap's text map, in all."""
    if b"begincmap" not in text and b"beginbfrange" not in text and b"begincidrange" not in text:
        return 0
    total = 0
    for block in re.findall(rb"begin(?:bf|cid)range(.*?)end(?:bf|cid)range", text, re.S):
        for lo, hi in re.findall(rb"<\s*([0-9A-Fa-f]{1,16})\s*>\s*<\s*([0-9A-Fa-f]{1,16})\s*>", block):
            total += max(0, int(hi, 16) - int(lo, 16) + 1)
    return total


def check_pdf(path: str | Path) -> None:
    """Raise TooLargeError when a stream of the PDF decodes past the limits or an image has too many pixels."""
    path = Path(path)
    with open(path, "rb") as f:
        if not f.seek(0, 2):
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            _check_structure(m, path)
            if m.find(b"/Encrypt") == -1:
                _check_streams(m, path)
                return
    decrypted = _decrypted(path)
    if decrypted is not None:
        _check_streams(decrypted, path)


# A PDF name is at most 127 bytes (ISO 32000 annex C) and real objects nest a few levels: a parser that
# meets a name of megabytes or arrays nested thousands deep spends seconds and gigabytes on one object.
MAX_NAME_BYTES = 1 << 16
MAX_NESTING = 256
_LONG_NAME = re.compile(rb"/[^\s/\[\]<>(){}%%]{%d}" % MAX_NAME_BYTES)
_DEEP = re.compile(rb"(?:(?:\[|<<)\s*){%d}" % MAX_NESTING)


def _check_structure(m: mmap.mmap | bytes, path: Path) -> None:
    """Reject names longer than MAX_NAME_BYTES and arrays or dictionaries opened MAX_NESTING deep in a row."""
    if hit := _LONG_NAME.search(m):
        raise limits.too_large(path, f"a name of more than {MAX_NAME_BYTES:,} bytes at byte {hit.start():,}; a "
                                     "PDF name has at most 127")
    if hit := _DEEP.search(m):
        raise ReaderError(f"{path}: damaged or hostile PDF: arrays or dictionaries nested {MAX_NESTING} deep at "
                          f"byte {hit.start():,}")


def _decrypted(path: Path) -> bytes | None:
    """The PDF re-saved without its encryption (streams stay compressed), or None if it cannot be opened."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None   # a password is needed: the reader says so
    try:
        buf = io.BytesIO()
        pdf.save(buf, flags=pdfium_c.FPDF_REMOVE_SECURITY)
        return buf.getvalue()
    finally:
        pdf.close()


def _dictionary(m: mmap.mmap | bytes, i: int) -> bytes:
    """The bytes between the ``obj`` keyword of the object whose ``stream`` keyword stands at ``i`` and it
    (however long the dictionary), or b"" when no object header precedes it."""
    k = m.rfind(b"obj", 0, i)
    return m[k + 3:i] if k != -1 and m[k - 3:k] != b"end" else b""


def _check_streams(m: mmap.mmap | bytes, path: Path) -> None:
    stream_limit = limits.GOVREPORTS_MAX_PDF_STREAM_MB * limits.MB
    total_limit = limits.GOVREPORTS_MAX_PDF_DECODED_MB * limits.MB
    image_limit = limits.GOVREPORTS_MAX_MEGAPIXELS * 1e6 * 4   # 4 bytes a pixel (CMYK, 8 bits)
    total, pos, refs = 0, 0, {}
    while (i := m.find(b"stream", pos)) != -1:
        pos = i + 6
        if m[i - 3:i] == b"end":
            continue
        start = pos + (2 if m[pos:pos + 2] == b"\r\n" else 1 if m[pos:pos + 1] in (b"\n", b"\r") else 0)
        d = _dictionary(m, i) if start != pos else b""
        if not d:
            continue
        entries = _entries(d)
        image = b"Image" in _values(entries, b"Subtype", m, refs)
        if image:
            w, h = (next((v for v in _values(entries, k, m, refs) if isinstance(v, int)), None)
                    for k in (b"Width", b"Height"))
            if w and h:
                limits.check_pixels(w, h, path, "an image in the PDF")
        filters = [v.decode("latin-1") for v in _values(entries, b"Filter", m, refs) if isinstance(v, bytes)]
        if b"Filter" in entries and not filters:
            filters = ["FlateDecode"]     # a filter we could not resolve: measure it as Flate (it is, or fails fast)
        limit = image_limit if image else min(stream_limit, total_limit - total)
        if filters:
            size, codes = _measure(m, start, filters, limit)
        else:   # stored as is: its size is on disk; only a CMap's ranges matter
            head = m[start:start + _CMAP_HEAD]
            size, codes = 0, cmap_codes(head[:head.find(b"endstream")] if b"endstream" in head else head)
        if size > limit:
            what = ("an image stream" if image else "a stream") + f" at byte {start:,}"
            name = ("GOVREPORTS_MAX_MEGAPIXELS" if image else "GOVREPORTS_MAX_PDF_STREAM_MB"
                    if limit == stream_limit else "GOVREPORTS_MAX_PDF_DECODED_MB")
            raise limits.too_large(path, f"{what} decodes to more than {limits.mb(limit)}; "
                                         f"the limit is set by {name}")
        if codes > limits.GOVREPORTS_MAX_CMAP_CODES:
            raise limits.too_large(path, f"a CMap at byte {start:,} maps {limits.count(codes)} codes; the limit is "
                                         f"{limits.GOVREPORTS_MAX_CMAP_CODES:,}, GOVREPORTS_MAX_CMAP_CODES")
        if not image:
            total += size


# Forms (XObjects that hold drawing) nested in each other: real reports nest two or three; the layout
# libraries interpret them recursively, so a form that draws itself never ends and a deep or wide tree of
# forms multiplies the work.
MAX_FORM_DEPTH = 12
MAX_FORM_DRAWS = 10_000


def check_forms(page: Any, path: str | Path) -> None:
    """Raise ReaderError when the forms of a playa ``page`` draw themselves (a cycle), nest deeper than
    MAX_FORM_DEPTH or would be drawn more than MAX_FORM_DRAWS times, before any library interprets them."""
    from playa.pdftypes import ObjRef, resolve1

    done: dict[Any, int] = {}

    def draws(resources: Any, stack: tuple) -> int:
        xobjects = resolve1((resources or {}).get("XObject")) if isinstance(resources, dict) else None
        total = 0
        for ref in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
            key = ref.objid if isinstance(ref, ObjRef) else id(ref)
            form = resolve1(ref)
            attrs = getattr(form, "attrs", None)
            if not isinstance(attrs, dict) or getattr(resolve1(attrs.get("Subtype")), "name", None) != "Form":
                continue
            if key in stack:
                raise ReaderError(f"{path}: page {page.page_idx + 1} has a form that draws itself (a cycle of "
                                  "form XObjects); it cannot be laid out")
            if len(stack) >= MAX_FORM_DEPTH:
                raise ReaderError(f"{path}: page {page.page_idx + 1} nests forms more than {MAX_FORM_DEPTH} deep; "
                                  "it cannot be laid out safely")
            if key not in done:
                own = resolve1(attrs.get("Resources"))
                done[key] = 1 + draws(own if own is not None else resources, (*stack, key))
            total += done[key]
            if total > MAX_FORM_DRAWS:
                raise ReaderError(f"{path}: page {page.page_idx + 1} would draw forms more than "
                                  f"{MAX_FORM_DRAWS:,} times; it cannot be laid out safely")
        return total

    draws(page.resources, ())


def check_render(source: str | Path | bytes, pages: list[int], scale: float, path: str | Path) -> None:
    """Reject rendering 1-based ``pages`` at ``scale`` pixels per point when a page would pass the pixel limit."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError:
        return  # the reader reports a PDF it cannot open
    try:
        for p in pages:
            if 1 <= p <= len(pdf):
                w, h = pdf.get_page_size(p - 1)
                limits.check_pixels(w * scale, h * scale, path, f"page {p} rendered at {72 * scale:.0f} dpi",
                                    render=True)
    finally:
        pdf.close()
