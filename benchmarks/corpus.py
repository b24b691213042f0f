"""Scale benchmark: generate 1,000 distinct synthetic report PDFs, time `govreports build` on them
with 1 and 2 workers, and compare read_report with camelot's defaults on a sample.

    python benchmarks/corpus.py [--n 1000] [--out DIR] [--workers 1 2] [--sample 10]

Prints generation time, build wall time and reports/second per worker count, the share of reports
the dataset holds, and (on --sample files, one process) read_report vs camelot.read_pdf(path,
pages="all"). Target: 1,000 reports built in under 2 minutes on a 2-core machine.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path


def _render(args: tuple[int, str]) -> tuple[str, str]:
    from govreports.synth.pdf import render_pdf
    from govreports.synth.values import draw_report

    seed, folder = args
    path = render_pdf(draw_report(seed), Path(folder) / f"synth_{seed:05d}.pdf")
    return path.name, hashlib.sha256(path.read_bytes()).hexdigest()


def distinct_seeds(n: int) -> list[int]:
    """The first ``n`` seeds whose (agency, year) differ: the dataset keeps one report per agency-year."""
    from govreports.synth.values import draw_report

    seen, seeds, seed = set(), [], 0
    while len(seeds) < n:
        r = draw_report(seed)
        if (r.agency, r.year) not in seen:
            seen.add((r.agency, r.year))
            seeds.append(seed)
        seed += 1
    return seeds


def generate(n: int, folder: Path, procs: int) -> float:
    """Render ``n`` reports of distinct agency-years into ``folder`` in parallel; return the wall time
    (drawing the values included). Fails if any two files are equal."""
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with Pool(procs) as pool:
        done = pool.map(_render, [(s, str(folder)) for s in distinct_seeds(n)], chunksize=8)
    dt = time.perf_counter() - t0
    if len({h for _, h in done}) != n:
        raise SystemExit(f"benchmark: generated reports are not all distinct ({len({h for _, h in done})}/{n})")
    return dt


def build(source: Path, out: Path, workers: int) -> tuple[float, int]:
    """Run `govreports build` into a fresh ``out``; return (wall seconds, records in the dataset)."""
    shutil.rmtree(out, ignore_errors=True)
    exe = Path(sys.executable).with_name("govreports")
    cmd = [str(exe) if exe.exists() else "govreports", "build", str(source), "--out", str(out),
           "--workers", str(workers), "--no-progress"]
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if run.returncode:
        print(f"  build exited {run.returncode}: {(run.stderr or run.stdout).strip()[-600:]}", file=sys.stderr)
    return dt, _records(out)


def _records(out: Path) -> int:
    """How many reports the written dataset holds (rows of its reports table; -1 if none written)."""
    import pyarrow.parquet as pq

    p = out / "reports.parquet"
    return pq.read_metadata(p).num_rows if p.exists() else -1


def compare_camelot(pdfs: list[Path]) -> list[tuple[str, float, float]]:
    """(file, read_report s, camelot.read_pdf s) per file, in this one process."""
    import camelot

    from govreports import read_report
    from govreports.readers.pdf import quiet

    read_report(pdfs[0])  # warm imports
    rows = []
    for p in pdfs:
        t0 = time.perf_counter()
        read_report(p)
        a = time.perf_counter() - t0
        t0 = time.perf_counter()
        with quiet():
            camelot.read_pdf(str(p), pages="all")
        rows.append((p.name, a, time.perf_counter() - t0))
    return rows


def _camelot_figures(reports: Path, n: int) -> dict[str, float]:
    """Time read_report and camelot.read_pdf on ``n`` files spread over the corpus; print and return medians."""
    pdfs = sorted(reports.glob("*.pdf"))
    rows = compare_camelot(pdfs[:: max(1, len(pdfs) // n)][:n])
    for name, a, b in rows:
        print(f"  {name}: read_report {a:.3f} s, camelot.read_pdf {b:.3f} s, {b / a:.1f}x")
    out = {"sample_read_report_median_s": round(statistics.median(a for _, a, _ in rows), 3),
           "sample_camelot_median_s": round(statistics.median(b for _, _, b in rows), 3),
           "sample_ratio_median": round(statistics.median(b / a for _, a, b in rows), 1)}
    print(f"sample of {len(rows)}: median read_report {out['sample_read_report_median_s']} s, "
          f"camelot {out['sample_camelot_median_s']} s, median ratio {out['sample_ratio_median']}x")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="reports to generate")
    ap.add_argument("--out", type=Path, help="working folder (default: a temporary one, removed after)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--sample", type=int, default=10, help="files to time against camelot's defaults (0: skip)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    tmp = None if args.out else tempfile.TemporaryDirectory()
    work = args.out or Path(tmp.name)
    reports = work / "reports"
    results: dict = {"n": args.n, "cores": os.cpu_count()}
    try:
        gen = generate(args.n, reports, os.cpu_count() or 1)
        results["generate_s"] = round(gen, 1)
        print(f"generated {args.n} distinct PDFs in {gen:.1f} s ({args.n / gen:.0f}/s, {os.cpu_count()} procs)")
        for w in args.workers:
            dt, recs = build(reports, work / f"dataset_w{w}", w)
            results[f"build_w{w}_s"] = round(dt, 1)
            results[f"build_w{w}_records"] = recs
            print(f"govreports build --workers {w}: {dt:.1f} s, {args.n / dt:.1f} reports/s, "
                  f"{recs} of {args.n} reports in the dataset")
        if args.sample > 0:
            results.update(_camelot_figures(reports, args.sample))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    finally:
        if tmp:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
