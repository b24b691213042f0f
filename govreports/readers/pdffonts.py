"""The fonts pdfium uses for a PDF's non-embedded fonts: the same on every machine, never the system's.

A CJK font a PDF does not embed (STSong-Light, 宋体 from Word without embedding) has no glyphs unless
pdfium finds a substitute; without one, its characters have empty boxes and pdfium's text extraction
drops some of them (the lone 告 on a title's second line). We hand pdfium one CJK font the package
already installs (Noto Sans CJK SC from mplfonts) for every CJK font, and no system font for the others
(pdfium's built-in Latin substitutes), so the text of a file never depends on what the machine has.
"""
from __future__ import annotations

import atexit
import ctypes
import re
from functools import lru_cache

from govreports.fonts import cjk_font_path

# Windows charsets pdfium asks for: ShiftJIS, Hangeul, Johab, GB2312, Big5.
_CJK_CHARSETS = {128, 129, 130, 134, 136}
# Face names of CJK fonts (a simple font may carry no CJK charset): GBK-encoded names such as 宋体,
# Windows/Mac/Founder families (SimSun, STSong, FZ…), and generic Song/Hei/Kai/Fang/Ming names.
_CJK_FACE = re.compile(rb"[\x80-\xff]|(?:^|\+)(?:Sim|FZ)|Song|Hei|Kai|Fang|Ming|YaHei|DengXian", re.I)
_FACE_NAME = b"Noto Sans CJK SC"
_HANDLE = 1
_KEEP: list = []   # the struct and its callbacks must outlive every pdfium call


def _is_cjk(charset: int, face: bytes | None) -> bool:
    return charset in _CJK_CHARSETS or bool(face and _CJK_FACE.search(face))


@lru_cache(maxsize=1)
def use_bundled_fonts() -> bool:
    """Install the font mapping in pdfium (once per process); False when the bundled font is missing."""
    import pypdfium2.raw as c

    if cjk_font_path() is None:
        return False
    info = c.FPDF_SYSFONTINFO()
    info.version = 2     # pdfium asks per font; no enumeration of installed fonts
    fields = dict(info._fields_)

    def map_font(_self, weight, italic, charset, pitch, face, exact):
        return _HANDLE if _is_cjk(charset, ctypes.cast(face, ctypes.c_char_p).value) else None

    def font_data(_self, handle, table, buf, size):
        if table != 0:        # the whole file only (an .otf is no TrueType collection)
            return 0
        path = cjk_font_path()
        need = path.stat().st_size
        if buf and size >= need:   # pdfium asks for the size, then the bytes, once per process
            ctypes.memmove(buf, path.read_bytes(), need)
        return need

    def face_name(_self, handle, buf, size):
        if buf and size > len(_FACE_NAME):
            ctypes.memmove(buf, _FACE_NAME + b"\0", len(_FACE_NAME) + 1)
        return len(_FACE_NAME) + 1

    callbacks = {"Release": lambda _self: None, "MapFont": map_font, "GetFont": lambda _self, face: None,
                 "GetFontData": font_data, "GetFaceName": face_name,
                 "GetFontCharset": lambda _self, handle: 134, "DeleteFont": lambda _self, handle: None}
    for name, fn in callbacks.items():
        setattr(info, name, fields[name](fn))
    _KEEP.append((info, callbacks))
    c.FPDF_SetSystemFontInfo(ctypes.byref(info))
    atexit.register(c.FPDF_SetSystemFontInfo, None)   # before pypdfium2 destroys the library
    return True
