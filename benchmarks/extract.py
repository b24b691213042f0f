"""Time govreports.read_report against camelot's defaults on the same PDFs, side by side in one process.

    python benchmarks/extract.py [--repeat 3] [PDF ...]

Default files, in groups: the bundled real PDFs (tests/data/corpus), office-suite PDFs (LibreOffice:
tests/data/producers, tests/data/producers-office), browser-printed real pages (headless Chromium,
Type 3 fonts: tests/data/producers-browser) and 8 synthetic reports. Every timing reads a fresh
byte-different copy (a comment appended), so no cache can answer. Prints per-file seconds (best of
``--repeat``) for both, their ratio, the reading used, and per group the median seconds, the median
ratio and the lowest ratio. Pinned to one core (OMP/BLAS threads = 1): the figures are "per core".
Also times pdfium's own text extraction of the same file (every page's text and every character's box,
``pdfium_text``), the floor any reader built on it stands on, and prints how many times slower
read_report is. Targets (issue 22): median >= 12x faster than camelot's defaults, every file >= 5x, and
the median within 6x of pdfium's own text extraction.
"""
from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {"bundled": ["tests/data/corpus"], "office": ["tests/data/producers", "tests/data/producers-office"],
          "browser": ["tests/data/producers-browser"]}
_copies = itertools.count()


def fresh_copy(p: Path, workdir: Path) -> Path:
    """A byte-different copy of ``p`` (a PDF comment appended after %%EOF is ignored by readers)."""
    out = workdir / f"{next(_copies)}_{p.name}"
    out.write_bytes(p.read_bytes() + f"\n% copy {out.name}\n".encode())
    return out


def best_of(fn, p: Path, workdir: Path, n: int) -> float:
    times = []
    for _ in range(n):
        copy = fresh_copy(p, workdir)
        t0 = time.perf_counter()
        fn(copy)
        times.append(time.perf_counter() - t0)
        copy.unlink()
    return min(times)


def pdfium_text(p: Path) -> int:
    """pdfium's own text extraction of every page, with positions: each page's text and each character's box."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(p))
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            for k in range(tp.count_chars()):
                tp.get_charbox(k)
                n += 1
            tp.close()
            page.close()
    finally:
        pdf.close()
    return n


def sample_pdfs(workdir: Path) -> list[tuple[str, Path]]:
    """(group, path) of the bundled, office-suite, browser-printed and synthetic PDFs."""
    from govreports.synth.pdf import render_pdf
    from govreports.synth.values import draw_report

    out = [(g, p) for g, folders in GROUPS.items() for f in folders for p in sorted((ROOT / f).glob("*.pdf"))]
    out += [("synthetic", render_pdf(draw_report(seed), workdir / f"synth_{seed}.pdf")) for seed in range(8)]
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="govreports timings per file (best is kept)")
    ap.add_argument("pdfs", nargs="*", type=Path)
    args = ap.parse_args(argv)
    import camelot
    import pypdfium2 as pdfium

    from govreports import read_report
    from govreports.readers.pdf import quiet

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdfs = [("given", p) for p in args.pdfs] or sample_pdfs(work)
        read_report(pdfs[0][1])  # warm imports
        print(f"{'group':9} {'file':28} {'pages':>5} {'govreports s':>13} {'camelot s':>10} {'ratio':>7} "
              f"{'pdfium s':>9} {'slower':>7}  reading")
        rows = []
        for group, p in pdfs:
            pages = len(pdfium.PdfDocument(str(p)))
            a = best_of(read_report, p, work, args.repeat)
            with quiet():
                b = best_of(lambda c: camelot.read_pdf(str(c), pages="all"), p, work, 1)
            c = best_of(pdfium_text, p, work, args.repeat)
            methods = sorted(set(read_report(p).methods.values()))
            rows.append((group, a, b, c))
            print(f"{group:9} {p.name[:28]:28} {pages:>5} {a:>13.3f} {b:>10.3f} {b / a:>6.1f}x {c:>9.3f} "
                  f"{a / c:>6.1f}x  {'+'.join(methods)}", flush=True)
        for group in ["all"] + list(dict.fromkeys(g for g, _, _, _ in rows)):
            sel = [(a, b, c) for g, a, b, c in rows if group in ("all", g)]
            print(f"{group:9} n={len(sel):2}  median {statistics.median(a for a, _, _ in sel):.3f} s per report; "
                  f"ratio vs camelot.read_pdf(pages='all'): median {statistics.median(b / a for a, b, _ in sel):.1f}x, "
                  f"lowest {min(b / a for a, b, _ in sel):.1f}x; vs pdfium's own text extraction: median "
                  f"{statistics.median(a / c for a, _, c in sel):.1f}x slower, slowest "
                  f"{max(a / c for a, _, c in sel):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
