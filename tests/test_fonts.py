"""A PDF whose CJK font is not embedded reads the same on every machine, with or without system fonts.

Run the suite through ../shared/tools/without_system_fonts.sh to see it on a machine without fonts:
without the bundled font mapping, pdfium loses the lone 告 of seed 4's wrapped title there.
"""
from __future__ import annotations

import ctypes
import random
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from govreports import read_report
from govreports.readers.pdffonts import cjk_font_path, use_bundled_fonts
from govreports.synth.pdf import CID_FONT, PdfStyle, render_pdf
from govreports.synth.roundtrip import cell_diffs
from govreports.synth.values import draw_report


def _non_embedded_report(tmp_path: Path):
    """Seed 4: STSong-Light, not embedded; the title wraps with 告 alone on its second line."""
    truth = draw_report(4)
    assert PdfStyle.draw(random.Random(f"{truth.seed}:pdf")).font == CID_FONT
    path = render_pdf(truth, tmp_path / "stsong.pdf")
    return truth, path


def _substitute_font(path: Path) -> tuple[str, bool, bytes]:
    """Name, embedded flag and the font data pdfium draws the first text object of page 1 with."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        obj = next(pdf[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]))
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        name = ctypes.create_string_buffer(128)
        pdfium_c.FPDFFont_GetBaseFontName(font, name, 128)
        size = ctypes.c_size_t()
        pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))
        data = (ctypes.c_uint8 * size.value)()
        pdfium_c.FPDFFont_GetFontData(font, data, size.value, ctypes.byref(size))
        return name.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font)), bytes(data)
    finally:
        pdf.close()


def test_non_embedded_cjk_font_is_drawn_with_the_bundled_font_not_a_system_one(tmp_path):
    _, path = _non_embedded_report(tmp_path)
    assert use_bundled_fonts()
    name, embedded, data = _substitute_font(path)
    assert (name, embedded) == (CID_FONT, False)
    assert data == cjk_font_path().read_bytes()      # Noto Sans CJK SC from mplfonts, whatever is installed


def test_report_with_non_embedded_cjk_font_reads_agency_year_and_cells(tmp_path):
    truth, path = _non_embedded_report(tmp_path)
    rep = read_report(path)
    assert "年度报\n告" in rep.text.replace("\r", "")     # the wrapped title keeps its last character
    assert (rep.agency, rep.year) == (truth.agency, truth.year) == ("康嘉区人民政府", 2020)
    assert cell_diffs(truth, rep.cell_list) == []
    assert len(truth.cells) > 100


def test_bundled_fonts_are_found_in_one_place():
    """The plots' and readers' CJK font and the synthetic PDFs' TrueType font both come from mplfonts' folder."""
    from govreports import fonts
    from govreports.synth import pdf

    assert fonts.cjk_font_path() == fonts.mplfonts_font(fonts.FONT_FILE) and fonts.cjk_font_path().name == fonts.FONT_FILE
    assert pdf._ttf_path() == fonts.mplfonts_font("SimHei.ttf") and pdf._ttf_path().parent == fonts.cjk_font_path().parent
    assert fonts.mplfonts_font("NoSuchFont.ttf") is None
