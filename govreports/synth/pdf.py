"""Render a synthetic report to a PDF with ruled tables, drawn directly on a reportlab canvas.

A small layout engine rather than platypus, because real reports break tables anywhere — inside a
merged group cell too (platypus refuses to split a row span) — and because the way borders are
drawn is itself something producers vary: stroked cell rectangles, deduplicated line segments, or
thin filled rectangles (how Word's PDF export draws borders). What varies lives in ``PdfStyle``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from govreports.fonts import mplfonts_font
from govreports.synth.grid import GCell, Grid, Style, draw_style, report_grids
from govreports.synth.values import SynthReport

CID_FONT = "STSong-Light"
TTF_FILE = "SimHei.ttf"  # from mplfonts, embedded as a TrueType subset


@lru_cache(maxsize=None)
def _font(name: str) -> str:
    """Register ``name`` with reportlab once: the built-in CID font, or a TrueType CJK font."""
    if name == CID_FONT:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
        return CID_FONT
    pdfmetrics.registerFont(TTFont(name, str(_ttf_path())))
    return name


def _ttf_path() -> Path | None:
    """SimHei from the mplfonts package (embedded as a TrueType subset), when installed."""
    return mplfonts_font(TTF_FILE)


@dataclass
class PdfStyle:
    """Page geometry, fonts and drawing habits of one PDF producer."""

    font: str
    margins: tuple[float, float, float, float]   # left, right, top, bottom
    body_fs: float
    title_fs: float
    table_fs: float
    leading: float                                # line height / font size
    pad: float
    line_width: float
    borders: str                                  # rect | lines | fill
    repeat_header: bool
    shade: bool                                   # tinted caption / header rows
    value_align: str                              # center | right
    label_align: str                              # left | center
    valign: str                                   # middle | top
    width_jitter: float
    table_width: float                            # fraction of the text width
    footer: str | None
    rng: random.Random
    doc_title: str                                # PDF /Title: the report title, empty, or a file name
    wrap_numbers: bool                            # columns too narrow for long numbers ('5899' over '3')
    split_rows: bool                              # a row of several lines may break across pages
    number_font: str | None = None                # a PDF base-14 font for value cells (Times-Roman), else ``font``

    @classmethod
    def draw(cls, rng: random.Random) -> "PdfStyle":
        ttf = _ttf_path() is not None and rng.random() < 0.25
        return cls(font="SimHei" if ttf else CID_FONT,
                   margins=(rng.uniform(45, 90), rng.uniform(45, 90), rng.uniform(50, 90), rng.uniform(45, 80)),
                   body_fs=rng.choice((10.5, 12, 14, 15)), title_fs=rng.uniform(15, 22),
                   table_fs=rng.choice((7.5, 8, 9, 9, 10, 10.5)), leading=rng.uniform(1.15, 1.5),
                   pad=rng.uniform(1.5, 5), line_width=rng.choice((0.4, 0.5, 0.75, 1.0)),
                   borders=rng.choice(("rect", "rect", "lines", "fill")), repeat_header=rng.random() < 0.5,
                   shade=rng.random() < 0.3, value_align=rng.choice(("center", "center", "right")),
                   label_align=rng.choice(("left", "left", "center")), valign=rng.choice(("middle", "middle", "top")),
                   width_jitter=rng.choice((0.0, 0.1, 0.3)), table_width=rng.uniform(0.85, 1.0),
                   footer=rng.choice(("- {n} -", "第 {n} 页", "{n}", None)), rng=rng,
                   doc_title=rng.choice(("full", "full", "none", "file")), wrap_numbers=rng.random() < 0.15,
                   split_rows=rng.random() < 0.3)


class _Doc:
    """A canvas with a flowing cursor: paragraphs and tables go down the page, breaking as needed."""

    def __init__(self, path: Path, style: PdfStyle, title: str):
        self.s = style
        self.font = _font(style.font)
        self.w, self.h = A4
        self.c = Canvas(str(path), pagesize=A4, pageCompression=1)
        if style.doc_title == "full":
            self.c.setTitle(title)
        elif style.doc_title == "file":
            self.c.setTitle("Microsoft Word - 附件1.docx")
        self.c.setProducer("govreports.synth")
        self.left, self.right, self.top, self.bottom = style.margins
        self.text_w = self.w - self.left - self.right
        self.page = 1
        self.y = self.h - self.top
        self.breaks: list[str] = []   # page breaks inside tables, described for diagnosis

    # -- text ---------------------------------------------------------------------------------
    def width(self, text: str, fs: float) -> float:
        return pdfmetrics.stringWidth(text, self.font, fs)

    def wrap(self, text: str, width: float, fs: float, indent: float = 0.0) -> list[str]:
        """Break ``text`` into lines no wider than ``width`` (CJK text breaks between any chars)."""
        lines: list[str] = []
        for part in text.split("\n"):
            line, avail = "", width - indent
            for ch in part:
                if line and self.width(line + ch, fs) > avail:
                    lines.append(line)
                    line, avail = "", width
                line += ch
            lines.append(line)
        return lines

    def _footer(self) -> None:
        if self.s.footer:
            self.c.setFont(self.font, 9)
            self.c.drawCentredString(self.w / 2, self.bottom / 2, self.s.footer.format(n=self.page))

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = self.h - self.top

    def paragraph(self, text: str, fs: float, align: str = "left", indent: bool = True) -> None:
        lead = fs * self.s.leading * 1.15
        ind = 2 * fs if indent else 0.0
        for i, line in enumerate(self.wrap(text, self.text_w, fs, ind)):
            if self.y - lead < self.bottom:
                self.new_page()
            self.y -= lead
            self.c.setFont(self.font, fs)
            if align == "center":
                self.c.drawCentredString(self.w / 2, self.y + 0.25 * fs, line)
            else:
                self.c.drawString(self.left + (ind if i == 0 else 0), self.y + 0.25 * fs, line)
        self.y -= fs * 0.3

    # -- tables -------------------------------------------------------------------------------
    def _col_widths(self, grid: Grid, fs: float) -> list[float] | None:
        """Column widths at font size ``fs``; None when the values cannot fit the text width."""
        rng, pad = self.s.rng, self.s.pad
        base = [w * (1 + rng.uniform(-self.s.width_jitter, self.s.width_jitter)) for w in grid.widths]
        total = self.text_w * self.s.table_width
        need = [0.0] * grid.ncols
        for c in grid.cells:
            if c.role == "value" and c.colspan == 1:
                text = c.text[:2] if self.s.wrap_numbers else c.text  # wrapping keeps 2 digits a line
                need[c.col] = max(need[c.col], self.width(text, fs) + 2 * pad + 2)
        fixed: set[int] = set()
        while True:
            free = [j for j in range(grid.ncols) if j not in fixed]
            if not free or sum(need[j] for j in fixed) >= total:
                return None
            scale = (total - sum(need[j] for j in fixed)) / sum(base[j] for j in free)
            widths = [need[j] if j in fixed else base[j] * scale for j in range(grid.ncols)]
            short = {j for j in free if widths[j] < need[j]}
            if not short:
                return widths
            fixed |= short

    def table(self, grid: Grid) -> None:
        """Draw ``grid`` at the cursor, breaking to a new page before any row that does not fit."""
        fs = self.s.table_fs
        widths = self._col_widths(grid, fs)
        while widths is None:
            fs -= 0.5
            widths = self._col_widths(grid, fs)
        pad, lead = self.s.pad, fs * self.s.leading
        xs = [self.left + (self.text_w - sum(widths)) / 2]
        for w in widths:
            xs.append(xs[-1] + w)
        lines = {id(c): self.wrap(c.text, xs[c.col + c.colspan] - xs[c.col] - 2 * pad, fs) for c in grid.cells}
        heights = [lead + 2 * pad] * grid.nrows
        for c in sorted(grid.cells, key=lambda c: c.rowspan):
            need = len(lines[id(c)]) * lead + 2 * pad
            have = sum(heights[c.row:c.row + c.rowspan])
            if need > have:
                for r in range(c.row, c.row + c.rowspan):
                    heights[r] += (need - have) / c.rowspan
        tbl = _TableLayout(grid, xs, heights, lines, fs, {})
        self.y -= fs * 0.3
        segment: list[int] = []
        for r in range(grid.nrows):
            if segment and self.y - heights[r] < self.bottom:
                split = self._split_height(tbl, r)
                if split:  # the row breaks across the pages, as Word and LibreOffice let rows do
                    heights[r], rest = split
                    segment.append(r)
                    self.y -= heights[r]
                self._draw_rows(tbl, segment)
                self.new_page()
                first = min((c for c in grid.cells if c.row == r), key=lambda c: c.col)
                self.breaks.append(f"{grid.name} row {r}/{grid.nrows} ({first.role} {first.text[:10]!r}) "
                                   + ("split across pages, continues" if split else "starts") + f" p{self.page}")
                segment = []
                if self.s.repeat_header and 0 < grid.header_rows <= r:
                    self._draw_rows(tbl, list(range(grid.header_rows)), repeat=True)
                if split:
                    heights[r], tbl.cont = rest, r
            segment.append(r)
            self.y -= heights[r]
        self._draw_rows(tbl, segment)
        self.y -= fs

    def _split_height(self, t: "_TableLayout", r: int) -> tuple[float, float] | None:
        """(height here, height on the next page) when row ``r`` may break across the page: the style
        allows it, it has a cell of several lines, and at least one line fits here."""
        pad, lead = self.s.pad, t.fs * self.s.leading
        here = self.y - self.bottom
        most = max(len(t.lines[id(c)]) for c in t.grid.cells if c.row == r and c.rowspan == 1)
        fit = int((here - 2 * pad + 0.01) // lead)
        if not self.s.split_rows or most < 2 or fit < 1 or fit >= most:
            return None
        return here, (most - fit) * lead + 2 * pad

    def _draw_rows(self, t: "_TableLayout", rows: list[int], repeat: bool = False) -> None:
        """Draw the contiguous ``rows``: ending at the cursor, or (``repeat``: repeated header rows)
        starting at it. A merged cell cut by a page break is drawn as the part that falls here; its
        text flows on from the lines the earlier parts showed."""
        height = sum(t.heights[r] for r in rows)
        top = self.y if repeat else self.y + height
        if repeat:
            self.y -= height
        y_of, y = {}, top
        for r in rows:
            y_of[r] = y
            y -= t.heights[r]
        lo, hi = rows[0], rows[-1]
        boxes: list[tuple[float, float, float, float]] = []
        for c in t.grid.cells:
            first, last = max(c.row, lo), min(c.row + c.rowspan - 1, hi)
            if first > last:
                continue
            x0, x1 = t.xs[c.col], t.xs[c.col + c.colspan]
            y0, y1 = y_of[first], y_of[last] - t.heights[last]
            if self.s.shade and c.role in ("caption", "header"):
                self.c.setFillColorRGB(0.85, 0.9, 0.97)
                self.c.rect(x0, y1, x1 - x0, y0 - y1, stroke=0, fill=1)
                self.c.setFillColorRGB(0, 0, 0)
            boxes.append((x0, y1, x1, y0))
            continuing = first > c.row or (first == t.cont and not repeat)
            shown = t.shown.get(id(c), 0) if continuing else 0
            t.shown[id(c)] = shown + self._cell_text(c, t.lines[id(c)][shown:], x0, x1, y0, y1, t.fs)
        self._borders(boxes)

    def _cell_text(self, c: GCell, text_lines: list[str], x0: float, x1: float, y0: float, y1: float,
                   fs: float) -> int:
        """Draw as many of ``text_lines`` as fit in the box; return how many were drawn."""
        pad, lead = self.s.pad, fs * self.s.leading
        if not any(text_lines):
            return len(text_lines)
        room = max(1, int((y0 - y1 - 2 * pad + 0.01) // lead))
        part = text_lines[:room]
        block = len(part) * lead
        ytop = y0 - pad if self.s.valign == "top" else y0 - (y0 - y1 - block) / 2
        self.c.setFont(self.s.number_font if self.s.number_font and c.role == "value" else self.font, fs)
        align = {"value": self.s.value_align, "label": self.s.label_align}.get(c.role, "center")
        for i, line in enumerate(part):
            base = ytop - (i + 1) * lead + (lead - fs) / 2 + 0.15 * fs
            if align == "right":
                self.c.drawRightString(x1 - pad, base, line)
            elif align == "center":
                self.c.drawCentredString((x0 + x1) / 2, base, line)
            else:
                self.c.drawString(x0 + pad, base, line)
        return len(part)

    def _borders(self, boxes: list[tuple[float, float, float, float]]) -> None:
        """Rule the cells: each box stroked, shared edges drawn once as lines, or edges drawn as
        thin filled rectangles."""
        lw, c = self.s.line_width, self.c
        c.setLineWidth(lw)
        if self.s.borders == "rect":
            for x0, y0, x1, y1 in boxes:
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
            return
        edges = set()
        for x0, y0, x1, y1 in boxes:
            edges |= {(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)}
        for x0, y0, x1, y1 in sorted(edges):
            if self.s.borders == "fill":
                c.rect(x0 - lw / 2, y0 - lw / 2, x1 - x0 + lw, y1 - y0 + lw, stroke=0, fill=1)
            else:
                c.line(x0, y0, x1, y1)

    def finish(self) -> None:
        """Footer of the last page, then write the file."""
        self._footer()
        self.c.save()


@dataclass
class _TableLayout:
    grid: Grid
    xs: list[float]
    heights: list[float]
    lines: dict[int, list[str]]
    fs: float
    shown: dict[int, int]          # lines of a cell drawn so far (cells cut by a page break)
    cont: int | None = None        # the row broken across the last page break


def render_pdf(report: SynthReport, path: str | Path, style: PdfStyle | None = None,
               table_style: Style | None = None, breaks: list | None = None) -> Path:
    """Write ``report`` as a PDF at ``path``; styles default to ones drawn from the report's seed.

    ``breaks``, if given, receives a description of every page break inside a table (which grid
    row starts the new page).
    """
    path = Path(path)
    style = style or PdfStyle.draw(random.Random(f"{report.seed}:pdf"))
    grids = report_grids(report, table_style or draw_style(report, "pdf"))
    doc = _Doc(path, style, report.title)
    for kind, text in report.body:
        if kind == "title":
            doc.paragraph(text, style.title_fs, align="center", indent=False)
        elif kind == "heading":
            doc.paragraph(text, style.body_fs + 1, indent=False)
        elif kind == "para":
            doc.paragraph(text, style.body_fs)
        else:
            for grid in grids[text]:
                doc.table(grid)
    doc.finish()
    if breaks is not None:
        breaks.extend(doc.breaks)
    return path
