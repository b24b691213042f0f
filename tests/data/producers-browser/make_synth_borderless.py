"""Print synthetic reports (govreports.synth) as headless Chromium does with every table border removed
and no running text (keeps the embedded font subsets small): borderless tables of cells with no padding,
set solid. CI has no Chromium: the PDFs are committed; rerun this only to regenerate them.

    python tests/data/producers-browser/make_synth_borderless.py
"""
from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

from govreports.synth.html import render_html
from govreports.synth.values import draw_report

HERE = Path(__file__).resolve().parent
PRINTS = [(0, "A5"), (1, "A4")]   # (seed, paper size)
NO_BORDERS = "table, tr, th, td { border: none !important; }"


def main() -> None:
    for seed, size in PRINTS:
        report = draw_report(seed)
        report = dataclasses.replace(report, body=[(k, t) for k, t in report.body if k != "para"])
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "page.html"
            render_html(report, page)
            style = f"<style>@page {{ size: {size}; }} {NO_BORDERS}</style>"
            raw = page.read_text(encoding="utf-8")
            page.write_text(raw.replace("</head>", style + "</head>", 1) if "</head>" in raw else style + raw,
                            encoding="utf-8")
            out = HERE / f"chrome_synth{seed}_borderless_{size.lower()}.pdf"
            subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--print-to-pdf={out}", page.as_uri()], capture_output=True, timeout=120, check=True)
            print(out.name, out.stat().st_size)


if __name__ == "__main__":
    main()
