"""Scans and phone photos of synthetic reports with known truth: cells right, rows lost, silent misreads.

    python benchmarks/ocr_synth_scans.py [--seeds 1 2 3] [--kinds scan150 photo55]

Each seed draws a report (govreports.synth, dense three-digit counts included), prints it to PDF, and
makes the inputs a reader meets but the fixtures were never tuned to: ``scan150`` (every page rendered
at 150 dpi into one greyscale TIFF) and ``photo55`` (each page photographed: tilt, perspective, uneven
light, blur, JPEG quality 55); and, asked for, ``faint150`` (the 150-dpi scan with one ruling between two
table 三 rows printed faint, so the grid sees the two rows as one). It prints, per input, the cells read right, the rows lost, the uncertain
cells and the silent misreads (a wrong value with status ``ok`` that no warning names): that last
number must be 0. One OCR thread; keep the seeds few on a shared machine.
"""
from __future__ import annotations

import os

os.environ.setdefault("GOVREPORTS_OCR_THREADS", "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "data" / "images")]

from make_images import photo, raster  # noqa: E402
from make_lostrow import faint_table_ruling  # noqa: E402
from ocr_images import score  # noqa: E402

from govreports.readers.pdffonts import use_bundled_fonts  # noqa: E402
from govreports.synth.pdf import render_pdf  # noqa: E402
from govreports.synth.values import draw_report  # noqa: E402


def inputs(seed: int, kinds: list[str], folder: Path) -> dict[str, tuple[Path, dict]]:
    """The inputs of one seed: {name: (path, truth)}."""
    use_bundled_fonts()   # the synthetic PDF embeds no CJK font: draw it as a reader's PDF viewer would
    report = draw_report(seed)
    pdf = render_pdf(report, folder / f"synth_{seed}.pdf")
    truth = report.truth(pdf.name)
    out = {}
    if "scan150" in kinds:
        pages = [Image.fromarray(p) for p in raster(pdf, 150)]
        tif = folder / f"synth_{seed}_scan150.tif"
        pages[0].save(tif, save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(150, 150))
        out[tif.name] = (tif, truth)
    if "photo55" in kinds:
        shots = folder / f"synth_{seed}_photo55"
        shots.mkdir()
        for i, p in enumerate(raster(pdf, 160), start=1):
            (shots / f"IMG_{i:04d}.jpg").write_bytes(photo(p, seed=seed * 10 + i, tilt=2.5 if i % 2 else -2.0,
                                                           warp=0.03, light=0.5, blur=1.1, quality=55))
        out[shots.name] = (shots, truth)
    if "faint150" in kinds:
        pages = faint_table_ruling(raster(pdf, 150), 150, seed)
        tif = folder / f"synth_{seed}_faint150.tif"
        pages[0].save(tif, save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(150, 150))
        out[tif.name] = (tif, truth)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[11, 12])
    ap.add_argument("--kinds", nargs="+", default=["scan150", "photo55"], choices=["scan150", "photo55", "faint150"])
    args = ap.parse_args()
    total = [0, 0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            for name, (path, truth) in inputs(seed, args.kinds, Path(tmp)).items():
                r = score(path, truth)
                if "error" in r:
                    print(f"{name:28} ERROR {r['error']}")
                    total[0] += r["cells"]
                    continue
                print(f"{name:28} {r['right']:>4}/{r['cells']:<4} {100 * r['right'] / r['cells']:6.2f}%  lost rows "
                      f"{r['lost_rows']}  recovered {r['recovered']}  uncertain {r['uncertain']}  silent {len(r['silent'])}  "
                      f"{r['wall']:.0f} s")
                for k, (got, want) in r["wrong"].items():
                    print(f"    {k}: read {got!r}, truth {want!r}{'  SILENT' if k in r['silent'] else ''}")
                total = [a + b for a, b in zip(total, [r["cells"], r["right"], len(r["silent"]), len(r["lost_rows"]),
                                                       r["uncertain"]])]
    cells, right, silent, lost, unc = total
    print(f"all: {right}/{cells} cells ({100 * right / max(cells, 1):.2f}%), lost rows {lost}, uncertain {unc}, "
          f"silent misreads {silent}")
    sys.exit(1 if silent else 0)


if __name__ == "__main__":
    main()
