"""Render a synthetic report as a Word .docx (python-docx): merged cells, 'Table Grid' borders,
CJK fonts. Printed to PDF by another producer (LibreOffice), it gives PDFs whose text placement
differs from reportlab's — the case where camelot's lattice parser misplaces text."""
from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from govreports.synth.grid import Grid, Style, draw_style, report_grids
from govreports.synth.values import SynthReport

_FONTS = ("仿宋_GB2312", "宋体", "Noto Serif CJK SC", "Noto Sans CJK SC")


def _font(run, name: str, size: float) -> None:
    run.font.size = Pt(size)
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _table(doc, grid: Grid, font: str, size: float, text_cm: float) -> None:
    table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(grid.widths)
    for j, col in enumerate(table.columns):
        col.width = Cm(text_cm * grid.widths[j] / total)   # the grid LibreOffice lays out by
        for cell in col.cells:
            cell.width = col.width                          # the cell widths Word lays out by
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if c.role == "label" else WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(c.text.split("\n")):
            run = para.add_run()
            if i:
                run.add_break()
            run.add_text(line)
            _font(run, font, size)
    doc.add_paragraph()


def render_docx(report: SynthReport, path: str | Path, table_style: Style | None = None,
                page_cm: tuple[float, float] | None = None) -> Path:
    """Write ``report`` as a .docx at ``path``; fonts and sizes are drawn from the report's seed. ``page_cm``
    (width, height) sets the paper (landscape when wider than high); the tables fit its width."""
    path = Path(path)
    rng = random.Random(f"{report.seed}:docx")
    font, body_size, table_size = rng.choice(_FONTS), rng.choice((10.5, 12, 14)), rng.choice((8, 9, 10, 10.5))
    grids = report_grids(report, table_style or draw_style(report, "docx"))
    doc = Document()
    section = doc.sections[0]
    if page_cm:
        section.page_width, section.page_height = Cm(page_cm[0]), Cm(page_cm[1])
        if page_cm[0] > page_cm[1]:
            section.orientation = WD_ORIENT.LANDSCAPE
    section.left_margin = section.right_margin = Cm(rng.uniform(2.0, 3.0))
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    for kind, text in report.body:
        if kind == "table":
            for g in grids[text]:
                _table(doc, g, font, table_size, text_cm)
            continue
        para = doc.add_paragraph()
        if kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "para":
            para.paragraph_format.first_line_indent = Pt(2 * body_size)
        _font(para.add_run(text), font, {"title": 20, "heading": body_size + 1}.get(kind, body_size))
    doc.save(str(path))
    return path


def print_with_libreoffice(docx: str | Path, pdf: str | Path) -> Path:
    """Print ``docx`` to ``pdf`` with LibreOffice (``soffice --headless --convert-to pdf``).

    Raises RuntimeError when LibreOffice is missing or fails (its output in the message).
    """
    docx, pdf = Path(docx), Path(pdf)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:  # private profile and output folder: parallel runs don't clash
        run = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                              "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                             capture_output=True, text=True, timeout=300)
        out = Path(tmp) / (docx.stem + ".pdf")
        if run.returncode or not out.exists():
            raise RuntimeError(f"soffice failed on {docx}: {run.stdout}{run.stderr}")
        shutil.move(str(out), pdf)
    return pdf


def render_lo_pdf(report: SynthReport, path: str | Path) -> Path:
    """Write ``report`` as a PDF printed by LibreOffice from the .docx rendering (needs soffice)."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        return print_with_libreoffice(render_docx(report, Path(tmp) / (path.stem + ".docx")), path)
