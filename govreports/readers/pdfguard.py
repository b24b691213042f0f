"""Bound what a PDF decodes to before any PDF library opens it: streams, images, page renders.

pdfium and pdfminer inflate a content stream whole, so a 1.5 MB file can ask for gigabytes. We walk
the file's raw bytes (memory-mapped), find every stream, and inflate its leading Flate layers in
chunks, counting and keeping nothing; an image's declared pixels are checked without decoding it.
A file encrypted with an owner password only is decrypted first (pdfium re-saves it without
security, leaving the streams compressed); one that needs a password is not read at all.
"""
from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path
from typing import Iterator

from govreports import limits

CHUNK = 1 << 16
_DICT_WINDOW = 8192   # bytes before the ``stream`` keyword searched for the object's dictionary
_FLATE = {b"FlateDecode", b"Fl"}
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def _number(d: bytes, key: bytes) -> int | None:
    """A direct integer value of ``key`` in a dictionary's bytes (None when absent or indirect)."""
    m = re.search(rb"/" + key + rb"\s+(\d+)(?!\s+\d+\s+R)\b", d)
    return int(m.group(1)) if m else None


def _inflate(m: mmap.mmap | bytes, start: int, layers: int) -> Iterator[bytes]:
    """Decoded chunks of ``layers`` nested Flate layers starting at ``start``; stops at the first layer's end
    or at corrupt data (which the PDF library will report in its own way)."""
    def source() -> Iterator[bytes]:
        pos = start
        while pos < len(m):
            yield m[pos:pos + CHUNK]
            pos += CHUNK

    def layer(chunks: Iterator[bytes]) -> Iterator[bytes]:
        dec = zlib.decompressobj()
        for chunk in chunks:
            while chunk and not dec.eof:
                out = dec.decompress(chunk, CHUNK)
                chunk = dec.unconsumed_tail
                if out:
                    yield out
            if dec.eof:
                return

    stream: Iterator[bytes] = source()
    for _ in range(layers):
        stream = layer(stream)
    try:
        yield from stream
    except zlib.error:
        return


def _decoded_size(m: mmap.mmap | bytes, start: int, layers: int, limit: float) -> int:
    """Bytes the stream decodes to, counted up to just past ``limit``."""
    total = 0
    for chunk in _inflate(m, start, layers):
        total += len(chunk)
        if total > limit:
            break
    return total


def check_pdf(path: str | Path) -> None:
    """Raise TooLargeError when a stream of the PDF decodes past the limits or an image has too many pixels."""
    path = Path(path)
    with open(path, "rb") as f:
        if not f.seek(0, 2):
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            if m.find(b"/Encrypt") == -1:
                _check_streams(m, path)
                return
    decrypted = _decrypted(path)
    if decrypted is not None:
        _check_streams(decrypted, path)


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


def _check_streams(m: mmap.mmap | bytes, path: Path) -> None:
    stream_limit = limits.GOVREPORTS_MAX_PDF_STREAM_MB * limits.MB
    total_limit = limits.GOVREPORTS_MAX_PDF_DECODED_MB * limits.MB
    image_limit = limits.GOVREPORTS_MAX_MEGAPIXELS * 1e6 * 4   # 4 bytes a pixel (CMYK, 8 bits)
    total, pos = 0, 0
    while (i := m.find(b"stream", pos)) != -1:
        pos = i + 6
        if m[i - 3:i] == b"end":
            continue
        start = pos + (2 if m[pos:pos + 2] == b"\r\n" else 1 if m[pos:pos + 1] in (b"\n", b"\r") else 0)
        head = m[max(0, i - _DICT_WINDOW):i]
        k = head.rfind(b"obj")
        if start == pos or k == -1:
            continue
        d = head[k:]
        image = _IMAGE.search(d) is not None
        if image:
            w, h = _number(d, b"Width"), _number(d, b"Height")
            if w and h:
                limits.check_pixels(w, h, path, "an image in the PDF")
        f_m = _FILTER.search(d)
        names = re.findall(rb"/([^\s/\[\]<>()]+)", f_m.group(1)) if f_m else []
        layers = next((n for n, name in enumerate(names) if name not in _FLATE), len(names))
        if not layers:
            continue
        limit = image_limit if image else min(stream_limit, total_limit - total)
        size = _decoded_size(m, start, layers, limit)
        if size > limit:
            what = ("an image stream" if image else "a stream") + f" at byte {start:,}"
            name = ("GOVREPORTS_MAX_MEGAPIXELS" if image else "GOVREPORTS_MAX_PDF_STREAM_MB"
                    if limit == stream_limit else "GOVREPORTS_MAX_PDF_DECODED_MB")
            raise limits.too_large(path, f"{what} inflates to more than {limits.mb(limit)}; "
                                         f"the limit is set by {name}")
        if not image:
            total += size


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
