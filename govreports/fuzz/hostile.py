"""Hand-built hostile files, one builder per trick (each writes ``path`` and returns it).

Every finding of issue 22 has its builder here: PDF streams that hide a Flate bomb from a naive guard,
forms that draw themselves, CMaps with huge ranges, page trees that loop or hold 100,000 pages, a page
of a million text runs, TIFF frames that add up, .docx parts that break the XML or zip layer, web
pages with broken encodings, huge spans and numbers, nested MHTML. They are cheap to make (milliseconds
to a second) and small on disk; what they ask of a naive reader is gigabytes or hours.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from .bombs import (CATALOG, DOCX_PARTS, ONE_PAGE_TREE, deflated, pdf_flate_bomb, pdf_stream, write_pdf, write_zip,
                    zlib_bomb)

GB = 10**9
# Table anchors a page must show to be read as a table page (several of readers.pdf.STRONG_ANCHORS).
KEYWORDS = "本年新收政府信息公开申请 申请人情况 不予公开 无法提供 不予处理 结转下年度继续办理"
# A CJK font every PDF reader knows without embedding it (Adobe-GB1, Unicode code points as CIDs' keys).
_CJK_FONT = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts "
             b"[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
             b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light "
             b"/Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
             b"/StemV 93 >> /DW 1000 >>] >>")


def _show(text: str, x: float = 40, y: float = 800, size: float = 10) -> bytes:
    """Content operators showing ``text`` in the CJK font /F1."""
    return b"BT /F1 %g Tf %g %g Td <%s> Tj ET\n" % (size, x, y, text.encode("utf-16-be").hex().encode())


def _page(content_ref: int, extra: bytes = b"", font_ref: int | None = None) -> bytes:
    fonts = b"/Font << /F1 %d 0 R >> " % font_ref if font_ref else b""
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << " + fonts + extra
            + b">> /Contents %d 0 R >>" % content_ref)


def _one_page(path: Path, content: bytes, resources: bytes = b"", extra: list[bytes] = ()) -> Path:
    """A one-page PDF: objects 1 catalog, 2 pages, 3 page, 4 content, 5 CJK font, then ``extra`` (6 on)."""
    return write_pdf(path, [CATALOG, ONE_PAGE_TREE, _page(4, resources, 5),
                            pdf_stream(b"", content), _CJK_FONT, *extra])


# --- PDF streams that hide a Flate bomb --------------------------------------------------------------

def flate_indirect(path: Path) -> Path:
    """The bomb's /Filter is an indirect reference to the name /FlateDecode."""
    return pdf_flate_bomb(path, 1_500 * 10**6, filters=b"5 0 R", extra=[b"/FlateDecode"])


def flate_escaped(path: Path) -> Path:
    """The filter's name written with a #-escape: /Fl#61teDecode is /FlateDecode."""
    return pdf_flate_bomb(path, 1_500 * 10**6, filters=b"/Fl#61teDecode")


def flate_behind_hex(path: Path) -> Path:
    """The bomb behind an ASCIIHex layer: [/ASCIIHexDecode /FlateDecode]."""
    return pdf_flate_bomb(path, 1_500 * 10**6, filters=b"[/ASCIIHexDecode /FlateDecode]")


def flate_far_dictionary(path: Path) -> Path:
    """The stream dictionary starts 16 KB before the ``stream`` keyword (a long string in it)."""
    return pdf_flate_bomb(path, 1_500 * 10**6, pad=16_000)


def tounicode_bomb(path: Path) -> Path:
    """A font whose ToUnicode CMap stream inflates to 1.5 GB, used by a page of table keywords."""
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>")
    cmap = zlib_bomb(b"% padding of a CMap comment line\n", 1_500 * 10**6)
    return write_pdf(path, [CATALOG, ONE_PAGE_TREE, _page(4, b"", 5),
                            pdf_stream(b"", b"BT /F1 12 Tf 40 800 Td (abc) Tj ET"), font,
                            pdf_stream(b"/Filter /FlateDecode", cmap)])


# --- PDF structure --------------------------------------------------------------------------------------

def self_drawing_form(path: Path) -> Path:
    """A page of table keywords whose form XObject draws itself (a cycle through its own resources)."""
    form = pdf_stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X0 6 0 R >> "
                      b"/Font << /F1 5 0 R >> >>", _show(KEYWORDS, y=700) + b"0 0 m 100 100 l S q 0.9 0 0 0.9 5 5 cm /X0 Do Q")
    return _one_page(path, _show(KEYWORDS) + b"/X0 Do", b"/XObject << /X0 6 0 R >> ", [form])


def cmap_huge_range(path: Path) -> Path:
    """A ToUnicode CMap with one bfrange over every 4-byte code: <00000000> <FFFFFFFF>."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Huge def\n"
            b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n"
            b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\nendcmap CMapName currentdict /CMap "
            b"defineresource pop end end")
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /ToUnicode 6 0 R "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>] >>")
    content = b"BT /F1 12 Tf 40 800 Td <0000000100000002> Tj ET\n" + _show(KEYWORDS).replace(b"/F1", b"/F2")
    return write_pdf(path, [CATALOG, ONE_PAGE_TREE,
                            _page(4, b"").replace(b"<< >>", b"<< /Font << /F1 5 0 R /F2 7 0 R >> >>"),
                            pdf_stream(b"", content), font, pdf_stream(b"", cmap), _CJK_FONT])


def page_tree_loop(path: Path) -> Path:
    """A page tree whose second kid is the tree itself."""
    return write_pdf(path, [CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", _page(4, b"", 5),
                            pdf_stream(b"", _show(KEYWORDS)), _CJK_FONT])


def many_pages(path: Path, pages: int = 100_000, keywords: bool = False) -> Path:
    """``pages`` pages sharing one content stream: empty, or showing the table keywords."""
    content = _show(KEYWORDS) + _show(KEYWORDS, y=760) if keywords else b""
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(pages))
    objects = [CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages, b"null",
               pdf_stream(b"", content), _CJK_FONT]
    objects += [_page(4, b"", 5)] * pages
    return write_pdf(path, objects)


def many_pages_with_keywords(path: Path) -> Path:
    """100,000 pages each showing the table keywords."""
    return many_pages(path, keywords=True)


def million_text_runs(path: Path) -> Path:
    """A page of table keywords and a million one-character text runs."""
    runs = b"BT /F1 1 Tf " + b"(a) Tj 0.001 0 Td " * 1_000_000 + b"ET\n"
    content = zlib.compress(_show(KEYWORDS) + runs.replace(b"/F1", b"/F2"), 9)
    return write_pdf(path, [CATALOG, ONE_PAGE_TREE,
                            _page(4, b"").replace(b"<< >>", b"<< /Font << /F1 5 0 R /F2 6 0 R >> >>"),
                            pdf_stream(b"/Filter /FlateDecode", content), _CJK_FONT,
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def deep_arrays(path: Path, depth: int = 200_000) -> Path:
    """A page dictionary holding an array nested ``depth`` deep."""
    return _one_page(path, _show(KEYWORDS), b"/Deep " + b"[" * depth + b"]" * depth + b" ")


def huge_name(path: Path, size: int = 8 << 20) -> Path:
    """A page dictionary with a name of ``size`` bytes."""
    return _one_page(path, _show(KEYWORDS), b"/" + b"N" * size + b" 1 ")


# --- images ---------------------------------------------------------------------------------------------

def tiff_frames(path: Path, frames: int = 200, side: int = 9_950) -> Path:
    """A TIFF of ``frames`` bilevel frames of ``side``² pixels (99 MP each, under the per-image cap), all
    sharing one Deflate strip of white: 200 KB on disk, 20 gigapixels in all."""
    strip = zlib.compress(b"\0" * (((side + 7) // 8) * side), 9)
    out = bytearray(b"II*\x00" + struct.pack("<I", 8 + len(strip)))
    out += strip
    tags = [(256, 4, side), (257, 4, side), (258, 3, 1), (259, 3, 8), (262, 3, 0), (273, 4, 8), (277, 3, 1),
            (278, 4, side), (279, 4, len(strip))]
    for n in range(frames):
        nxt = len(out) + 2 + 12 * len(tags) + 4
        out += struct.pack("<H", len(tags))
        for tag, kind, value in tags:
            out += struct.pack("<HHI", tag, kind, 1) + struct.pack("<I" if kind == 4 else "<HH", value, *(() if kind == 4 else (0,)))
        out += struct.pack("<I", nxt if n < frames - 1 else 0)
    path.write_bytes(bytes(out))
    return path


# --- .docx ----------------------------------------------------------------------------------------------

_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path: Path, document: bytes, method: int = 8, flags: int = 0, corrupt: bool = False) -> Path:
    """A .docx of ``document`` as word/document.xml (zip ``method``, general-purpose ``flags``)."""
    members = [(name, *deflated(xml)) for name, xml in DOCX_PARTS.items()]
    data, size, crc = deflated(document)
    if corrupt:
        data = data[:20] + bytes(b ^ 0x5A for b in data[20:60]) + data[60:]
    write_zip(path, members + [("word/document.xml", data, size, crc)])
    if method != 8 or flags:
        raw = bytearray(path.read_bytes())
        at = raw.rfind(b"PK\x03\x04")
        struct.pack_into("<HH", raw, at + 6, flags, method)
        cd = raw.rfind(b"PK\x01\x02")
        struct.pack_into("<HH", raw, cd + 8, flags, method)
        path.write_bytes(bytes(raw))
    return path


def _document(body: bytes) -> bytes:
    return b'<?xml version="1.0"?><w:document ' + _W + b"><w:body>" + body + b"</w:body></w:document>"


_TABLE = (b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>\xe7\x94\xb3\xe8\xaf\xb7</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1"
          b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")


def docx_entities(path: Path) -> Path:
    """A .docx whose XML defines nested entities (a billion laughs)."""
    ents = b'<!ENTITY a0 "lol">' + b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
    doc = (b'<?xml version="1.0"?><!DOCTYPE w:document [' + ents + b"]><w:document " + _W
           + b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p>" + _TABLE + b"</w:body></w:document>")
    return _docx(path, doc)


def docx_deep(path: Path, depth: int = 100_000) -> Path:
    """A .docx whose body nests ``depth`` elements."""
    return _docx(path, _document(b"<w:sdt>" * depth + b"</w:sdt>" * depth + _TABLE))


def docx_text_node(path: Path, size: int = 10_500_000) -> Path:
    """A .docx with one text node of more than 10 MB."""
    return _docx(path, _document(b"<w:p><w:r><w:t>" + b"9" * size + b"</w:t></w:r></w:p>" + _TABLE))


def docx_corrupt_deflate(path: Path) -> Path:
    """A .docx whose document part is a damaged Deflate stream (the CRC and sizes are right)."""
    return _docx(path, _document(_TABLE * 50), corrupt=True)


def docx_encrypted_flag(path: Path) -> Path:
    """A .docx whose document part carries the zip 'encrypted' flag."""
    return _docx(path, _document(_TABLE), flags=1)


def docx_method_99(path: Path) -> Path:
    """A .docx whose document part names compression method 99 (AES, unsupported)."""
    return _docx(path, _document(_TABLE), method=99)


def docx_long_span(path: Path) -> Path:
    """A .docx whose cell spans a number of 5,000 digits of columns."""
    return _docx(path, _document(_TABLE.replace(b"<w:tc>", b'<w:tc><w:tcPr><w:gridSpan w:val="' + b"9" * 5000
                                                 + b'"/></w:tcPr>', 1)))


# --- web pages and text ---------------------------------------------------------------------------------

def _html_table(cells: str) -> str:
    return (f"<html><head><meta charset='utf-8'><title>某县2023年政府信息公开工作年度报告</title></head><body>"
            f"<p>{KEYWORDS}</p><table>{cells}</table></body></html>")


def html_long_number(path: Path) -> Path:
    """A page whose table has a cell of 5,000 digits."""
    rows = "".join(f"<tr><td>本年新收政府信息公开申请数量</td><td>{'7' * 5000 if i == 0 else i}</td></tr>" for i in range(8))
    path.write_text(_html_table(rows), encoding="utf-8")
    return path


def html_long_colspan(path: Path) -> Path:
    """A page whose cell's colspan is a number of 5,000 digits."""
    path.write_text(_html_table(f"<tr><td colspan='{'9' * 5000}'>申请人情况</td></tr><tr><td>1</td><td>2</td></tr>"),
                    encoding="utf-8")
    return path


def html_huge_table(path: Path, rows: int = 200_000) -> Path:
    """A page with a table of ``rows`` rows of short cells."""
    path.write_text(_html_table("<tr><td>1<td>2" * rows), encoding="utf-8")
    return path


def html_charset_undefined(path: Path) -> Path:
    """A page in GB18030 declaring ``charset=undefined``."""
    path.write_bytes(_html_table("<tr><td>申请人情况</td><td>1</td></tr>").replace("charset='utf-8'", "charset=undefined")
                     .encode("gb18030"))
    return path


def mhtml_nested(path: Path, depth: int = 10_000) -> Path:
    """An .mht whose multipart parts nest ``depth`` deep."""
    head = "".join(f'Content-Type: multipart/related; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    tail = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    path.write_text("MIME-Version: 1.0\n" + head + "Content-Type: text/html\n\n<html><body>x</body></html>" + tail,
                    encoding="utf-8")
    return path


# The builders needing no seed, by name (the fuzz set numbers them in this order).
BUILDERS = {f.__name__: f for f in (
    flate_indirect, flate_escaped, flate_behind_hex, flate_far_dictionary, tounicode_bomb, self_drawing_form,
    cmap_huge_range, page_tree_loop, many_pages, many_pages_with_keywords, million_text_runs, deep_arrays,
    huge_name, tiff_frames, docx_entities, docx_deep, docx_text_node, docx_corrupt_deflate, docx_encrypted_flag,
    docx_method_99, docx_long_span, html_long_number, html_long_colspan, html_huge_table, html_charset_undefined,
    mhtml_nested)}
