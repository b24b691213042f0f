"""Time govreports.read_report against camelot's defaults on the same PDFs, side by side in one process.

    python benchmarks/extract.py [PDF ...]     (default: the bundled real PDFs + 8 synthetic reports)

Prints per-file seconds (best of N) for both, their ratio, and the medians. Pinned to one core
(OMP/BLAS threads = 1) so the figure is "per core". Target: >= 6x faster, median < 0.2 s per 5-page report.
"""
from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def sample_pdfs(workdir: Path) -> list[Path]:
    """The real bundled PDFs, the LibreOffice-printed fixtures if present, and a few synthetic reports."""
    pdfs = sorted((ROOT / "tests/data/corpus").glob("*.pdf")) + sorted((ROOT / "tests/data/producers").glob("*.pdf"))
    from govreports.synth.pdf import render_pdf
    from govreports.synth.values import draw_report

    for seed in range(8):
        pdfs.append(render_pdf(draw_report(seed), workdir / f"synth_{seed}.pdf"))
    return pdfs


def main(argv: list[str]) -> int:
    import camelot
    import pypdfium2 as pdfium

    from govreports import read_report
    from govreports.readers.pdf import quiet

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = [Path(a) for a in argv] or sample_pdfs(Path(tmp))
        read_report(pdfs[0])  # warm imports and caches
        print(f"{'file':34} {'pages':>5} {'govreports s':>13} {'camelot s':>10} {'ratio':>7}  reading")
        rows = []
        for p in pdfs:
            pages = len(pdfium.PdfDocument(str(p)))
            a = best_of(lambda: read_report(p), 3)
            with quiet():
                b = best_of(lambda: camelot.read_pdf(str(p), pages="all"), 1)
            methods = sorted(set(read_report(p).methods.values()))
            second = methods != ["camelot-lattice-vector"]
            rows.append((a, b, pages, second))
            print(f"{p.name[:34]:34} {pages:>5} {a:>13.3f} {b:>10.3f} {b / a:>6.1f}x  {'+'.join(methods)}")
        for label, sel in (("all", rows), ("first grid accepted", [r for r in rows if not r[3]]),
                           ("second extractor needed", [r for r in rows if r[3]])):
            if not sel:
                continue
            per5 = statistics.median(a / pages * 5 for a, _, pages, _ in sel)
            ratio = statistics.median(b / a for a, b, _, _ in sel)
            print(f"{label:24} n={len(sel):2}  median {statistics.median(a for a, *_ in sel):.3f} s per report, "
                  f"{per5:.3f} s per 5 pages; median ratio {ratio:.1f}x vs camelot.read_pdf(pages='all')")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
