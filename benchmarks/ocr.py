"""OCR speed on a scanned report and on page images: seconds per page, on one core, in one run.

    python benchmarks/ocr.py [--before REV] [SCAN.pdf | IMAGE | FOLDER ...]
        (default: tests/data/scanned/hongzequ_2024_scan.pdf, then the 150-dpi page JPEGs and the
         200-dpi photographed pages of tests/data/images)

``--before REV`` times the package as of git revision REV and the working tree side by side: each
input is run by REV's code, then by the current code (a fresh process each), and both are tabled.

Each page is timed in three parts: render or decode + preparation + grid detection, table-cell
recognition, running-text OCR (detection + recognition). onnxruntime is capped at one thread;
OMP/BLAS threads are set to 1 before numpy/OpenCV load. Wall and CPU seconds are both printed (CPU
is what counts on a shared machine), and the image pages' time as a ratio of the scanned PDF's.
Target: <= 3 s per page image at 150–200 dpi.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GOVREPORTS_OCR_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Iterator  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from govreports.readers import ocr  # noqa: E402
from govreports.readers.cellocr import read_grid  # noqa: E402
from govreports.readers.grid import Grid, rules_mask  # noqa: E402
from govreports.readers.image import image_files, load_pages, scan_page  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "tests/data/scanned/hongzequ_2024_scan.pdf", ROOT / "tests/data/images/hongzequ_2024_pages",
           ROOT / "tests/data/images/hongzequ_2024_photo"]


def _pages(path: Path) -> Iterator[tuple[str, Callable[[], tuple[np.ndarray, list[Grid]]]]]:
    """(label, loader) per page; a loader renders (PDF) or prepares (image) the page and finds its grids,
    as the readers do: (image at ocr.SCALE, grids)."""
    if path.suffix.lower() == ".pdf":
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            yield str(i + 1), lambda i=i: ocr._scan_page(pdf, i + 1)[:2]
        pdf.close()
        return
    files = image_files(path) if path.is_dir() else [path]
    for f in files:
        for k, gray in enumerate(load_pages(f.read_bytes(), f.name), start=1):
            yield f.name if k == 1 else f"{f.name}#{k}", lambda gray=gray: scan_page(gray)[:2]


def bench(path: Path) -> tuple[float, float, int]:
    """Print one line per page and a total for one file or folder; return (wall s, CPU s, pages)."""
    cv2.setNumThreads(1)
    engine = ocr.engine(1)
    wall = cpu = 0.0
    n = 0
    print(f"{path.name}:")
    print(f"{'page':>14} {'grid s':>7} {'cells':>6} {'cells s':>8} {'text s':>7} {'page s':>7} {'cpu s':>6}")
    for label, load in _pages(path):
        t0, c0 = time.perf_counter(), time.process_time()
        gray, grids = load()
        rules = rules_mask(gray, ocr.SCALE)
        t1 = time.perf_counter()
        cells = 0
        for g in grids:
            read_grid(gray, rules, g, n + 1, engine)
            cells += len(g.cells)
        t2 = time.perf_counter()
        ocr.page_text(gray, grids, engine)
        t3, c3 = time.perf_counter(), time.process_time()
        wall, cpu, n = wall + t3 - t0, cpu + c3 - c0, n + 1
        print(f"{label[-14:]:>14} {t1 - t0:>7.2f} {cells:>6} {t2 - t1:>8.2f} {t3 - t2:>7.2f} {t3 - t0:>7.2f} {c3 - c0:>6.2f}")
    print(f"total: {wall:.1f} s wall, {cpu:.1f} s CPU; per page {wall / max(1, n):.2f} s wall, {cpu / max(1, n):.2f} s CPU")
    return wall, cpu, n


def _run(path: Path, package_root: Path) -> tuple[float, float, int]:
    """Bench one input in a fresh process importing govreports from ``package_root``; echo its table."""
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    done = subprocess.run([sys.executable, __file__, "--result", str(path.resolve())], env=env, cwd=package_root,
                          stdout=subprocess.PIPE, text=True, check=True)
    *table, last = done.stdout.strip().splitlines()
    print("\n".join(table))
    wall, cpu, n = json.loads(last)
    return wall, cpu, n


def side_by_side(paths: list[Path], rev: str) -> None:
    """Each input timed with the package at ``rev``, then with the working tree; CPU s per page both ways."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "govreports"],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        for p in paths:
            print(f"--- {rev}")
            before = _run(p, Path(tmp))
            print("--- working tree")
            after = _run(p, ROOT)
            rows.append((p.name, before, after))
    print(f"\nCPU s per page (wall s per page), {rev} → working tree:")
    for name, (bw, bc, bn), (aw, ac, an) in rows:
        print(f"  {name:32} {bc / max(1, bn):5.2f} ({bw / max(1, bn):5.2f}) → {ac / max(1, an):5.2f} "
              f"({aw / max(1, an):5.2f})  {ac / max(1, an) / max(1e-9, bc / max(1, bn)):5.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--before", metavar="REV", help="also time the package at this git revision")
    parser.add_argument("--result", action="store_true", help=argparse.SUPPRESS)  # one input; totals as JSON
    args = parser.parse_args()
    paths = args.paths or DEFAULT
    if args.result:
        print(json.dumps(bench(paths[0])))
        return
    if args.before:
        side_by_side(paths, args.before)
        return
    results = [(p, *bench(p)) for p in paths]
    base = results[0]
    print(f"\nper page, relative to {base[0].name} (CPU s per page):")
    for p, wall, cpu, n in results:
        print(f"  {p.name:32} {wall / max(1, n):6.2f} s wall {cpu / max(1, n):6.2f} s CPU "
              f"{(cpu / max(1, n)) / max(1e-9, base[2] / max(1, base[3])):5.2f}×")


if __name__ == "__main__":
    main()
