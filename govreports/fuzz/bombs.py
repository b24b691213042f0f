"""Hostile files made in milliseconds: decompression bombs, huge images, and the PDF and zip writers they use.

A deflate bomb is one independently compressed block (a full flush resets the window) repeated:
each copy inflates to the same run, so gigabytes cost a few megabytes and no compression time.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

UNIT = 1 << 24   # 16 MB of plain text per repeated block
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE_TREE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"   # the pages object of a one-page PDF (object 3 its page)


def deflate_bomb(pattern: bytes, size: int) -> tuple[bytes, int]:
    """Raw deflate data inflating to ``pattern`` repeated to at least ``size`` bytes; and that size."""
    unit = pattern * (UNIT // len(pattern))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    n = -(-size // len(unit))
    return block * n + b"\x03\x00", n * len(unit)


def write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """Write a zip of (name, raw deflate data, declared size, crc) members by hand (any declared size)."""
    body, central = b"", b""
    for name, data, size, crc in members:
        n = name.encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(n), 0, 0, 0, 0, 0, len(body)) + n
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(n), 0) + n + data
    path.write_bytes(body + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                                                  len(central), len(body), 0))


def deflated(data: bytes) -> tuple[bytes, int, int]:
    """A zip member of ``data``: (raw deflate data, size, crc)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), len(data), zlib.crc32(data)


DOCX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                           b'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="'
                           b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                           b'</Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}


def docx_bomb(path: Path, size: int, declared: int | None = None) -> Path:
    """A .docx whose word/document.xml inflates to ``size`` bytes of text in one paragraph; its headers
    declare ``declared`` bytes (default: the truth)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"><w:body><w:p><w:r><w:t>')
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    bomb, n = deflate_bomb("申请".encode(), size)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    data = start + bomb[:-2] + c.compress(tail) + c.flush()
    members = [(name, *deflated(xml)) for name, xml in DOCX_PARTS.items()]
    true_size = len(head) + n + len(tail)
    members.append(("word/document.xml", data, true_size if declared is None else declared, 0))
    write_zip(path, members)
    return path


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """Write a PDF of numbered objects (1: catalog) with a correct xref table."""
    out, offsets, size = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"], [], 15
    for n, body in enumerate(objects, start=1):
        offsets.append(size)
        out.append(b"%d 0 obj\n" % n + body + b"\nendobj\n")
        size += len(out[-1])
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % o for o in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, size))
    path.write_bytes(b"".join(out))
    return path


def pdf_stream(dictionary: bytes, data: bytes) -> bytes:
    """A stream object's body: ``dictionary`` entries with the right /Length, then the data."""
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def zlib_bomb(pattern: bytes, size: int) -> bytes:
    """zlib data (a Flate stream) inflating to ``pattern`` repeated to at least ``size`` bytes."""
    raw, _ = deflate_bomb(pattern, size)
    return b"\x78\xda" + raw + b"\0\0\0\0"   # the checksum is never reached


def pdf_flate_bomb(path: Path, size: int, layers: int = 1, filters: bytes | None = None, pad: int = 0,
                   extra: list[bytes] = ()) -> Path:
    """A one-page PDF whose content stream inflates to ``size`` bytes of drawing operators (``layers``
    nested Flate filters). ``filters`` is written as the /Filter value instead (an escaped name, an
    indirect reference to one of ``extra``, objects 5 on); ``pad`` bytes of a string stand in the
    stream dictionary before the filter."""
    data = zlib_bomb(b"0 0 m 1 1 l S\n", size)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    if filters is None:
        filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    if filters.startswith(b"[/ASCIIHexDecode"):
        data = data.hex().encode() + b">"
    padding = b"/Pad (" + b"x" * pad + b") " if pad else b""
    return write_pdf(path, [CATALOG, ONE_PAGE_TREE,
                            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                            pdf_stream(padding + b"/Filter " + filters, data), *extra])


def pdf_scanned(path: Path, width: int, height: int, page: tuple[float, float] = (595, 842)) -> Path:
    """A scanned-looking page: one grey JPEG-declared image of ``width``×``height`` pixels filling the page
    (the image data is a tiny placeholder; only its declared size matters to a guard)."""
    w, h = page
    content = b"q %g 0 0 %g 0 0 cm /Im0 Do Q" % (w, h)
    image = pdf_stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height), b"\xff\xd8\xff\xd9")
    return write_pdf(path, [CATALOG, ONE_PAGE_TREE,
                       b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << /XObject << /Im0 5 0 R "
                       b">> >> /Contents 4 0 R >>" % (w, h), pdf_stream(b"", content), image])


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A grey PNG declaring ``width``×``height`` pixels whose IDAT is a deflate bomb of white rows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    idat = zlib_bomb(b"\xff", min(width * height, 1 << 28))   # the header alone must stop a reader
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">2I5B", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def big_html(path: Path, page: bytes, size: int) -> Path:
    """A real report page padded with a comment to ``size`` bytes (written in 16 MB pieces)."""
    with open(path, "wb") as f:
        f.write(page[: page.rfind(b"</html>")] + b"<!--")
        pad = b" " * UNIT
        left = size - len(page) - 7
        while left > 0:
            f.write(pad[:left])
            left -= UNIT
        f.write(b"-->\n</html>\n")
    return path
