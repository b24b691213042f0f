"""Print the real report web pages to PDF as a reader would: headless Chromium ("打印 → 另存为 PDF") and
LibreOffice (``soffice --convert-to pdf``), each with a copy of the page's gold file.

Chromium prints the CJK glyphs of Noto CJK as Type 3 fonts; the paper sizes and scales vary where the
page breaks fall (rows cut in two). CI has neither tool: the PDFs and truth files are committed; rerun
this only to regenerate them (needs chromium, soffice and fonts-noto-cjk).

    python tests/data/producers-browser/make_prints.py [--office-out DIR] [--browser-out DIR] [NAME ...]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
# (fixture name, source page, CSS @page size, zoom): sizes and zooms move the page breaks.
BROWSER = [(f"chrome_pingtan_{y}", f"corpus-html/pingtan_{y}.html", size, zoom)
           for y, size, zoom in [(2019, "A4", 1.0), (2020, "letter", 1.0), (2021, "A4", 0.8), (2022, "A5", 1.0),
                                 (2023, "letter", 1.0), (2024, "A4", 1.0), (2025, "A4 landscape", 0.9)]]
BROWSER += [("chrome_helan_county", "html/helan_2020_county.html", "A4", 1.0),
            ("chrome_helan_flat", "html/helan_2020_flat.html", "A5", 1.0)]
# The same pages with every table border removed (a borderless table: no ruling line to read a grid from).
BROWSER += [(f"chrome_pingtan_{y}_borderless_{size.lower()}", f"corpus-html/pingtan_{y}.html", size, 1.0)
            for y, size in [(2020, "A4"), (2021, "A5"), (2022, "A4")]]
NO_BORDERS = "table, tr, th, td { border: none !important; }"
# LibreOffice clips the 贺兰 pages' tables away (the text runs off the page), so only 平潭 is printed.
OFFICE = [(f"lo_pingtan_{y}", f"corpus-html/pingtan_{y}.html") for y in range(2019, 2026)]
OFFICE += [("lo_pingtan_2021_borderless", "corpus-html/pingtan_2021.html")]   # every border declaration removed
_BORDER = re.compile(rb"border[a-z-]*\s*:[^;\"]*;?|\sborder=\"?\d+\"?", re.I)


def print_chromium(src: Path, out: Path, size: str, zoom: float, borderless: bool = False) -> None:
    """Print ``src`` with headless Chromium, the paper size and zoom (and no table borders) set by an
    injected style."""
    html = src.read_bytes()
    style = f"<style>@page {{ size: {size}; }} body {{ zoom: {zoom}; }} {NO_BORDERS if borderless else ''}</style>".encode()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / src.name
        page.write_bytes(html.replace(b"</head>", style + b"</head>", 1) if b"</head>" in html else style + html)
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        "--virtual-time-budget=3000", f"--print-to-pdf={out}", str(page)],
                       check=True, timeout=120, capture_output=True)


def print_office(src: Path, out: Path, borderless: bool = False) -> None:
    """Convert ``src`` with LibreOffice (Writer/Web), as an office user would (LibreOffice keeps inline
    borders over an injected style, so a borderless copy has its border declarations removed)."""
    with tempfile.TemporaryDirectory() as tmp:
        if borderless:
            src = Path(shutil.copy(src, tmp))
            src.write_bytes(_BORDER.sub(b"", src.read_bytes()))
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", tmp, str(src)], check=True, timeout=300, capture_output=True)
        shutil.move(str(Path(tmp) / (src.stem + ".pdf")), out)


def write_truth(src: Path, out: Path) -> None:
    truth = json.loads(src.with_name(src.name.split(".")[0] + ".truth.json").read_text(encoding="utf-8"))
    truth["source"] = out.name
    out.with_suffix(".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--browser-out", type=Path, default=DATA / "producers-browser")
    ap.add_argument("--office-out", type=Path, default=DATA / "producers-office")
    ap.add_argument("names", nargs="*", help="fixtures to (re)make (default: all)")
    args = ap.parse_args()
    for name, src, size, zoom in BROWSER:
        if not args.names or name in args.names:
            out = args.browser_out / f"{name}.pdf"
            print_chromium(DATA / src, out, size, zoom, borderless="borderless" in name)
            write_truth(DATA / src, out)
            print(out)
    args.office_out.mkdir(parents=True, exist_ok=True)
    for name, src in OFFICE:
        if not args.names or name in args.names:
            out = args.office_out / f"{name}.pdf"
            print_office(DATA / src, out, borderless="borderless" in name)
            write_truth(DATA / src, out)
            print(out)


if __name__ == "__main__":
    main()
