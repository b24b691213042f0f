"""Render a synthetic report as an HTML page the way government CMSs publish them: rowspan/colspan
tables, blank zero cells as '' or '&nbsp;', table 二 in one or several <table>s, cell text bare or
wrapped in Word-export <p><span> markup, and the page's title and running text around it."""
from __future__ import annotations

import html
import random
from pathlib import Path

from govreports.synth.grid import GCell, Grid, Style, draw_style, report_grids
from govreports.synth.values import SynthReport


def _cell(c: GCell, markup: str, nbsp: bool) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in (("rowspan", c.rowspan), ("colspan", c.colspan)) if v > 1)
    text = "<br>".join(html.escape(line) for line in c.text.split("\n"))
    if not text and nbsp:
        text = "&nbsp;"
    if markup == "word":
        text = f'<p class="MsoNormal" align="center"><span style="font-family:仿宋_GB2312">{text}</span></p>'
    elif markup == "p":
        text = f"<p>{text}</p>"
    return f"<td{attrs}>{text}</td>"


def _table(grid: Grid, markup: str, nbsp: bool) -> str:
    rows = []
    for r in range(grid.nrows):
        cells = "".join(_cell(c, markup, nbsp) for c in sorted(grid.cells, key=lambda c: c.col) if c.row == r)
        rows.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">\n' \
           + "\n".join(rows) + "\n</table>"


def render_html(report: SynthReport, path: str | Path, table_style: Style | None = None) -> Path:
    """Write ``report`` as an HTML page at ``path`` (UTF-8); variation is drawn from the report's seed."""
    path = Path(path)
    rng = random.Random(f"{report.seed}:html")
    markup = rng.choice(("bare", "bare", "p", "word"))
    nbsp = rng.random() < 0.5
    grids = report_grids(report, table_style or draw_style(report, "html"))
    parts = [f"<title>{html.escape(report.title)}</title>"]
    body = []
    for kind, text in report.body:
        if kind == "title":
            body.append(f'<h1 style="text-align:center">{html.escape(text)}</h1>')
        elif kind == "heading":
            body.append(f"<p><strong>{html.escape(text)}</strong></p>")
        elif kind == "para":
            body.append(f'<p style="text-indent:2em">{html.escape(text)}</p>')
        else:
            body += [_table(g, markup, nbsp) for g in grids[text]]
    page = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">' + "".join(parts) + "</head>\n"
            '<body><div class="article-content">\n' + "\n".join(body) + "\n</div></body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path
