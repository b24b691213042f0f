"""Round trip: render a synthetic report, read it back with ``govreports.read_report``, and list every
difference from the truth — cell for cell (value and blank/dash/slash status) and in the failed hard
identities. Used by the property tests and by long runs over many seeds:

    python -m govreports.synth.roundtrip --seeds 0:2000 --kind pdf --out runs.jsonl
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from govreports.synth.values import SynthReport, draw_report

PRINTED = {"ok", "blank", "dash", "slash", "text"}


def _renderer(kind: str) -> Callable[[SynthReport, Path], Path]:
    if kind == "pdf":
        from govreports.synth.pdf import render_pdf
        return render_pdf
    if kind == "html":
        from govreports.synth.html import render_html
        return render_html
    if kind == "docx":
        from govreports.synth.docx import render_docx
        return render_docx
    if kind == "lo.pdf":
        from govreports.synth.docx import render_lo_pdf
        return render_lo_pdf
    raise ValueError(f"unknown render kind {kind!r}; use pdf, html, docx or lo.pdf")


def _same(want: Any, got: Any) -> bool:
    if got is not None and isinstance(got, float) and math.isnan(got):
        got = None
    if want is None or got is None:
        return want is None and got is None
    return abs(want - got) < 1e-6


def cell_diffs(truth: SynthReport, cells: list[dict]) -> list[str]:
    """Every disagreement between the truth and extracted §9 cells, one readable line each."""
    got = {c["cell"]: c for c in cells}
    out = []
    for code, want in truth.cells.items():
        c = got.get(code)
        if c is None or c["status"] not in PRINTED:
            out.append(f"{code}: printed {truth.raw[code]!r}, not extracted"
                       + (f" (status {c['status']})" if c else ""))
        elif not _same(want, c["value"]) or c["status"] != truth.status(code):
            out.append(f"{code}: printed {truth.raw[code]!r} = {want} ({truth.status(code)}), "
                       f"got raw {c['raw']!r} = {c['value']} ({c['status']})")
    for code, c in got.items():
        if code not in truth.cells and c["status"] in PRINTED:
            out.append(f"{code}: not printed, got raw {c['raw']!r} ({c['status']})")
    return out


def failed_hard(checks: list[dict]) -> set[str]:
    """The failed error-severity checks of a record, named ``RULE[scope]``."""
    return {f"{c['rule']}[{c['scope']}]" for c in checks if c["status"] == "fail" and c["severity"] == "error"}


@dataclass
class Outcome:
    """What one seed's round trip found (empty lists and ``error`` None mean it passed)."""

    seed: int
    kind: str
    cells: list[str] = field(default_factory=list)
    missing_checks: list[str] = field(default_factory=list)   # injected, not reported as failed
    extra_checks: list[str] = field(default_factory=list)     # reported as failed, not injected
    layout: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)             # agency / year read from the title
    error: str | None = None
    seconds: float = 0.0
    breaks: list[str] = field(default_factory=list)          # PDF page breaks inside tables (diagnosis)

    @property
    def ok(self) -> bool:
        return not (self.cells or self.missing_checks or self.extra_checks or self.layout or self.meta
                    or self.error)


def round_trip(seed: int, kind: str = "pdf", workdir: str | Path | None = None, **options: Any) -> Outcome:
    """Draw report ``seed``, render it as ``kind`` into ``workdir``, read it back, compare."""
    from govreports import read_report

    truth = draw_report(seed, **options)
    out = Outcome(seed, kind)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(workdir or tmp) / f"synth_{seed}.{kind}"
        if kind == "pdf":
            _renderer(kind)(truth, path, breaks=out.breaks)
        else:
            _renderer(kind)(truth, path)
        t0 = time.perf_counter()
        try:
            rep = read_report(path)
        except Exception as exc:  # a crash is a finding, recorded with its type
            out.error = f"{type(exc).__name__}: {exc}"
            return out
        out.seconds = time.perf_counter() - t0
    out.cells = cell_diffs(truth, rep.cell_list)
    failed = failed_hard(rep.checks)
    out.missing_checks = sorted(truth.violations - failed)
    out.extra_checks = sorted(failed - truth.violations)
    for key, want in (("t2", truth.t2_version), ("t3_r3_6", truth.t3_layout)):
        if rep.layout.get(key) != want:
            out.layout.append(f"{key}: want {want}, got {rep.layout.get(key)}")
    for key, want, got in (("agency", truth.agency, rep.agency), ("year", truth.year, rep.year)):
        if got != want:
            out.meta.append(f"{key}: want {want}, got {got}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0:100", help="START:STOP")
    ap.add_argument("--kind", default="pdf", choices=("pdf", "html", "docx", "lo.pdf"),
                    help="lo.pdf: the .docx printed to PDF by LibreOffice (needs soffice)")
    ap.add_argument("--out", type=Path, help="append one JSON line per seed here")
    ap.add_argument("--keep", type=Path, help="keep the rendered files of failing seeds in this folder")
    args = ap.parse_args(argv)
    start, stop = map(int, args.seeds.split(":"))
    failed = 0
    for seed in range(start, stop):
        o = round_trip(seed, args.kind)
        if not o.ok:
            failed += 1
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                _renderer(args.kind)(draw_report(seed), args.keep / f"synth_{seed}.{args.kind}")
        line = json.dumps({**asdict(o), "ok": o.ok}, ensure_ascii=False)
        if args.out:
            with args.out.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
        print(("ok  " if o.ok else "FAIL") + f" {seed} {o.seconds:.2f}s"
              + ("" if o.ok else " " + line[:400]), flush=True)
    print(f"{stop - start - failed}/{stop - start} seeds passed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
