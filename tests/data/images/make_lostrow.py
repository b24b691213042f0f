"""Build the fixtures of rows a table grid misses (tests/test_rowrescue.py), from synthetic reports.

    python tests/data/images/make_lostrow.py

- ``synth12_photo55_page3.jpg``: page 3 of synthetic report 12 photographed as
  benchmarks/ocr_synth_scans.py photographs it (tilt, perspective, uneven light, blur, JPEG 55); the first
  value of 4.无正当理由大量反复申请 reads as a letter, so the grid's row is taken for a wrapped label;
- ``synthSEED_pageN_150dpi_faint.png``: a page scanned at 150 dpi whose ruling above one table 三 row
  printed faint (lighter than the ink the grid finder takes for a ruling), so two printed rows stand in
  one grid row: seed 12, 3.危及“三安全一稳定” over 4.保护第三方合法权益 (both rows lost); seed 13,
  3.其他 over （七）总计 (总计 lost, and 3.其他 read from the cells holding both rows' numbers); and the
  real report hongzequ_2024 (page 3), 2.其他法律行政法规禁止公开 over 3.危及“三安全一稳定” (both lost).

Beside them ``synthSEED.truth.json``: the synthetic report's truth (every cell of the report; the tests
compare the cells of the rows on the page).
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
sys.path.append(str(HERE.parent.parent.parent))   # this checkout's govreports, unless another is on the path
sys.path.insert(0, str(HERE))
from make_images import photo, raster  # noqa: E402

from govreports.readers.grid import Grid, find_grids, page_masks  # noqa: E402
from govreports.readers.pdffonts import use_bundled_fonts  # noqa: E402
from govreports.synth.pdf import render_pdf  # noqa: E402
from govreports.synth.values import draw_report  # noqa: E402

FAINT_GREY = 200    # a faint ruling: lighter than grid.INK_MAX_GRAY, so no longer taken for ink


def synth_pdf(seed: int, folder: Path) -> tuple[Path, dict]:
    """Synthetic report ``seed`` printed to PDF, and its truth."""
    use_bundled_fonts()
    report = draw_report(seed)
    pdf = render_pdf(report, folder / f"synth_{seed}.pdf")
    return pdf, report.truth(pdf.name)


def faint_ruling(gray: np.ndarray, dpi: int, row: int, table: int = -1) -> np.ndarray:
    """The page with the horizontal ruling above grid row ``row`` of grid ``table`` printed faint (its
    pixels grey where no vertical ruling crosses them), as a worn toner or a light print leaves it."""
    scale = dpi / 72
    grid: Grid = find_grids(gray, scale)[table]
    _, hmask, vmask, _ = page_masks(gray, scale)
    y = grid.ys[row]
    out = gray.copy()
    band = slice(max(0, y - 4), y + 5)
    only = (hmask[band] > 0) & (vmask[band] == 0) & (out[band] < FAINT_GREY)
    region = out[band]
    region[only] = FAINT_GREY
    cols = np.zeros_like(only)
    cols[:, grid.xs[0]:grid.xs[-1] + 1] = True
    out[band] = np.where(cols, region, gray[band])
    # the anti-aliased rim of the ruling goes faint too
    rim = (out[band] < FAINT_GREY) & cv2.dilate(only.astype(np.uint8), np.ones((3, 1), np.uint8)).astype(bool)
    out[band][rim & cols] = FAINT_GREY
    return out


def faint_table_ruling(pages: list[np.ndarray], dpi: int, seed: int) -> list[np.ndarray]:
    """Pages scanned at ``dpi`` with one ruling between two data rows of the tallest table printed faint
    (the ruling drawn by ``seed``; table 三 is the tallest table of an OGI report)."""
    scale = dpi / 72
    grids = [find_grids(p, scale) for p in pages]
    n = int(np.argmax([max((len(g.ys) for g in gs), default=0) for gs in grids]))
    k = max(range(len(grids[n])), key=lambda i: len(grids[n][i].ys))
    row = int(np.random.default_rng(seed).integers(4, len(grids[n][k].ys) - 1))   # below the header rows
    out = list(pages)
    out[n] = faint_ruling(pages[n], dpi, row, k)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        pdf, truth = synth_pdf(12, tmp)
        page = raster(pdf, 160, [3])[0]
        (HERE / "synth12_photo55_page3.jpg").write_bytes(
            photo(page, seed=12 * 10 + 3, tilt=2.5, warp=0.03, light=0.5, blur=1.1, quality=55))
        (HERE / "synth12.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
        for seed, pageno, row, table in FAINT:
            pdf, truth = synth_pdf(seed, tmp)
            gray = raster(pdf, 150, [pageno])[0]
            name = f"synth{seed}_page{pageno}_150dpi_faint"
            Image.fromarray(faint_ruling(gray, 150, row, table)).save(HERE / f"{name}.png", optimize=True)
            (HERE / f"synth{seed}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
    for report, pageno, row, table in REAL_FAINT:   # real reports: their gold files are in tests/data/corpus
        gray = raster(DATA / "corpus" / f"{report}.pdf", 150, [pageno])[0]
        Image.fromarray(faint_ruling(gray, 150, row, table)).save(HERE / f"{report}_page{pageno}_150dpi_faint.png",
                                                                  optimize=True)


# (seed or report, page, grid row whose top ruling prints faint, which grid of the page)
FAINT = [(12, 2, 10, -1), (13, 3, 17, 0)]
REAL_FAINT = [("hongzequ_2024", 3, 9, 1)]

if __name__ == "__main__":
    main()
