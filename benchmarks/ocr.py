"""OCR speed on a scanned report: seconds per page and per report, on one core.

    python benchmarks/ocr.py [SCAN.pdf ...]      (default: tests/data/scanned/hongzequ_2024_scan.pdf)

Each page is timed in three parts: render + grid detection, table-cell recognition, running-text
OCR (detection + recognition). onnxruntime is capped at one thread; OMP/BLAS threads are set to 1
before numpy/OpenCV load. Target: <= 5 s per page.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GOVREPORTS_OCR_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from govreports.readers import ocr  # noqa: E402
from govreports.readers.cellocr import read_grid  # noqa: E402
from govreports.readers.grid import deskew, find_grids, rules_mask  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent / "tests/data/scanned/hongzequ_2024_scan.pdf"


def bench(path: Path) -> float:
    """Print one line per page and a total for one file; return the total seconds."""
    cv2.setNumThreads(1)
    engine = ocr.engine(1)
    pdf = pdfium.PdfDocument(str(path))
    total = 0.0
    print(f"{path.name}: {len(pdf)} pages")
    print(f"{'page':>4} {'grid s':>7} {'cells':>6} {'cells s':>8} {'text s':>7} {'page s':>7}")
    for i in range(len(pdf)):
        t0 = time.perf_counter()
        gray = np.asarray(pdf[i].render(scale=ocr.SCALE, grayscale=True).to_pil().convert("L"))
        gray, _ = deskew(gray, ocr.SCALE)
        grids = find_grids(gray, ocr.SCALE)
        rules = rules_mask(gray, ocr.SCALE)
        t1 = time.perf_counter()
        cells = 0
        for g in grids:
            read_grid(gray, rules, g, i + 1, engine)
            cells += len(g.cells)
        t2 = time.perf_counter()
        ocr.page_text(gray, grids, engine)
        t3 = time.perf_counter()
        total += t3 - t0
        print(f"{i + 1:>4} {t1 - t0:>7.2f} {cells:>6} {t2 - t1:>8.2f} {t3 - t2:>7.2f} {t3 - t0:>7.2f}")
    pdf.close()
    print(f"report: {total:.1f} s, {total / max(1, i + 1):.2f} s per page")
    return total


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:]] or [DEFAULT]
    for path in paths:
        bench(path)


if __name__ == "__main__":
    main()
