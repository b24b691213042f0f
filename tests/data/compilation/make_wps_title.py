"""Make the WPS-title fixture: page 1 of the real 洪泽 2024 report (tests/data/corpus/hongzequ_2024.pdf)
printed again with its title as WPS prints it when the digits are typed full-width: ``２０２４ 年政府信息公开
工作年度报告`` (full-width digits, a space before 年). Every other line is the page's own text, as pypdfium2
reads it, in the same order; the report's tables (pages 2-5) stay in the real PDF.

Run once by hand:  python tests/data/compilation/make_wps_title.py
Its output is committed; tests/test_compilation.py puts it before pages 2-5 of the real PDF.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "corpus" / "hongzequ_2024.pdf"
OUT = HERE / "hongzequ_2024_p1_wps_title.pdf"
TITLE = "２０２４ 年政府信息公开工作年度报告"
FONT = "SimHei"   # embedded (a subset), as WPS embeds its fonts: the page renders the same everywhere


def main() -> None:
    pdf = pdfium.PdfDocument(str(SOURCE))
    lines = [ln.strip() for ln in pdf[0].get_textpage().get_text_range().splitlines() if ln.strip()]
    pdf.close()
    assert lines[2] == "2024 年政府信息公开工作年度报告", lines[:3]
    import mplfonts   # a dependency: its fonts folder holds SimHei

    pdfmetrics.registerFont(TTFont(FONT, str(Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf")))
    c = canvas.Canvas(str(OUT), pagesize=A4)
    c.setTitle("")
    width, height = A4
    y = height - 50
    c.setFont(FONT, 9)
    c.drawCentredString(width / 2, y, lines[0])           # - 1 -
    y -= 50
    c.setFont(FONT, 22)
    for line in (lines[1], TITLE):                          # agency, title
        c.drawCentredString(width / 2, y, line)
        y -= 34
    y -= 10
    c.setFont(FONT, 15)
    for line in lines[3:]:
        c.drawString(72, y, line)
        y -= 26
    c.save()


if __name__ == "__main__":
    main()
