"""Benchmark `govreports build`: reports per second with 1 and 2 workers, and the unchanged re-run.

    python benchmarks/build.py [--n 200] [--workers 1 2] [--keep DIR]
    python benchmarks/build.py --n 60 --workers 2 --dask     # Dask against the local pool
    python benchmarks/build.py --n 1000 --workers 2 --pdf-only   # text PDFs alone (issue 22's batch)

Writes N distinct reports (synthetic reports from ``govreports.synth`` rendered as PDF and HTML, plus
the bundled real reports copied with a few bytes appended so every hash differs), then in one run
builds the dataset from scratch with each worker count, re-runs the last build unchanged, and prints
throughput, the scaling ratio against one worker, and the re-run time per 1,000 reports. All
figures come from the same run on the same files. Each build also reports the CPU time its worker
processes used and the average number of cores that amounts to: on a shared machine a second worker
may not get a second core, and this says whether it did. The workers' resident memory is sampled
during each build: its peak, and the largest in the first and the last fifth of the build.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from govreports.corpus.build import build
from govreports.synth import draw_report
from govreports.synth.html import render_html
from govreports.synth.pdf import render_pdf

REAL = Path(__file__).resolve().parent.parent / "data" / "reports"


class WorkerMemory:
    """Samples the resident memory of this process's children (the build's workers) every 0.2 s: the peak
    of each, and the largest in the first and the last fifth of the build (memory that grows with the
    number of reports shows as a last fifth above the first)."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, int, float]] = []   # (time, pid, MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.2):
            for child in me.children(recursive=True):
                try:
                    self.samples.append((time.monotonic(), child.pid, child.memory_info().rss / (1 << 20)))
                except psutil.Error:
                    continue

    def __enter__(self) -> "WorkerMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> str:
        if not self.samples:
            return "worker memory: no samples"
        t0, t1 = self.samples[0][0], self.samples[-1][0]
        span = max(t1 - t0, 1e-9)
        first = max(mb for t, _, mb in self.samples if t <= t0 + span / 5)
        last = max(mb for t, _, mb in self.samples if t >= t1 - span / 5)
        peaks: dict[int, float] = {}
        for _, pid, mb in self.samples:
            peaks[pid] = max(peaks.get(pid, 0.0), mb)
        return (f"worker memory: peak {max(peaks.values()):.0f} MB over {len(peaks)} processes; largest in the "
                f"first fifth of the build {first:.0f} MB, in the last fifth {last:.0f} MB")


def engines(out: Path) -> str:
    """Which engine read each table, over the built dataset's reports: how many tables the text grid read
    and how many needed another reading (camelot's ruled re-reading and the rest)."""
    from govreports.corpus.dataset import load

    cells = load(out).cells
    per = cells.drop_duplicates(["report_id", "table"]).groupby(["table", "method"]).size()
    parts = []
    for table in sorted({t for t, _ in per.index}):
        counts = per[table].sort_values(ascending=False)
        parts.append(f"{table}: " + ", ".join(f"{m or '?'} {n}" for m, n in counts.items()))
    return "engines per table: " + "; ".join(parts)


def make_corpus(folder: Path, n: int, pdf_only: bool = False) -> int:
    """Write ``n`` distinct report files into ``folder``: real copies (bytes appended) and synthetic ones
    (every third one a web page unless ``pdf_only``)."""
    folder.mkdir(parents=True, exist_ok=True)
    real = sorted(p for p in REAL.iterdir() if p.suffix in ({".pdf"} if pdf_only else {".pdf", ".html", ".txt"}))
    for i, p in enumerate(real[:n]):
        tail = f"\n<!-- copy {i} -->\n" if p.suffix == ".html" else f"\n% copy {i}\n"
        (folder / f"real_{i:03d}{p.suffix}").write_bytes(p.read_bytes() + tail.encode())
    for seed in range(n - min(n, len(real))):
        rep = draw_report(seed)
        if seed % 3 == 2 and not pdf_only:
            render_html(rep, folder / f"synth_{seed:04d}.html")
        else:
            render_pdf(rep, folder / f"synth_{seed:04d}.pdf")
    return n


def compare_dask(corpus: Path, root: Path, n: int, local_rate: float) -> None:
    """Build ``corpus`` on a local Dask cluster of ``n`` single-threaded workers; compare with the local pool."""
    from distributed import LocalCluster

    from govreports.corpus.dataset import load

    out = root / "out_dask"
    shutil.rmtree(out, ignore_errors=True)
    with LocalCluster(processes=True, n_workers=n, threads_per_worker=1, dashboard_address=None) as cluster:
        r = build(corpus, out, scheduler=cluster.scheduler_address, progress=False)
    rate = r.extracted / r.seconds
    print(f"dask ({n} single-threaded workers): {r.extracted} extracted in {r.seconds:.1f} s = {rate:.2f} reports/s; "
          f"{local_rate / rate:.2f}x the local pool's time with {n} workers (target <= 1.5x)")
    ds, ref = load(out), load(root / f"out_w{n}")
    differ = [name for name in ("reports", "cells", "checks", "failures")
              if not getattr(ds, name).drop(columns=["seconds"], errors="ignore").equals(
                  getattr(ref, name).drop(columns=["seconds"], errors="ignore"))]
    print("dask dataset == local pool dataset" if not differ else f"DATASETS DIFFER in {', '.join(differ)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="number of distinct report files (default 200)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    ap.add_argument("--keep", type=Path, help="keep the corpus and datasets in this folder")
    ap.add_argument("--dask", action="store_true", help="also build on a local Dask cluster and compare")
    ap.add_argument("--pdf-only", action="store_true", help="text PDFs only (no web pages or text files)")
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="govreports-bench-"))
    try:
        corpus = root / "corpus"
        t0 = time.perf_counter()
        if not corpus.exists():
            make_corpus(corpus, args.n, args.pdf_only)
        files = sum(1 for _ in corpus.iterdir())
        print(f"corpus: {files} files in {corpus} (written in {time.perf_counter() - t0:.1f} s)")
        rates = {}
        for w in args.workers:
            out = root / f"out_w{w}"
            shutil.rmtree(out, ignore_errors=True)
            before = os.times()
            with WorkerMemory() as memory:
                r = build(corpus, out, workers=w, progress=False)
            after = os.times()  # worker processes are reaped by the end of the build
            cpu = (after.children_user + after.children_system) - (before.children_user + before.children_system)
            rates[w] = r.extracted / r.seconds
            print(f"workers={w}: {r.extracted} extracted in {r.seconds:.1f} s = {rates[w]:.2f} reports/s; "
                  f"worker CPU {cpu / r.extracted:.2f} s/report, {cpu / r.seconds:.2f} cores busy on average "
                  f"({r.reports} reports, {r.failed} failed, {r.duplicates} duplicates)")
            print(f"  {memory.report()}")
            print(f"  {engines(out)}")
        base = args.workers[0]
        for w in args.workers[1:]:
            print(f"scaling {base}→{w} workers: {rates[w] / rates[base]:.2f}x (linear would be {w / base:.0f}x)")
        if args.dask:
            compare_dask(corpus, root, max(args.workers), rates[max(args.workers)])
        r = build(corpus, out, workers=args.workers[-1], progress=False)
        assert r.extracted == 0, r.summary()
        print(f"unchanged re-run: {r.files} files, {r.extracted} extracted, {r.cached} cached in {r.seconds:.3f} s "
              f"= {r.seconds / r.files * 1000:.2f} s per 1,000 reports (target < 1 s)")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
