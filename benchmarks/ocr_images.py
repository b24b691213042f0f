"""Accuracy of the image readers on the image fixtures: cells right, rows lost, silent misreads, seconds.

    python benchmarks/ocr_images.py [--set dev|heldout|all] [NAME ...]

Fixtures are listed in tests/data/images/fixtures.json (dev) and tests/data/images/heldout/fixtures.json
(held-out: other reports, scales, seeds and parameters, never tuned to); make them with
tests/data/images/make_images.py [--heldout]. For each fixture it prints the cells whose value equals
the gold value, the gold rows with no cell read (lost rows), the cells with status ``uncertain``, and the
silent misreads: cells whose value is wrong while their status is ``ok`` and no warning names them. That
last number must be 0. One thread (GOVREPORTS_OCR_THREADS=1); CPU seconds are reported beside wall seconds
because the machine may be shared.
"""
from __future__ import annotations

import os

os.environ.setdefault("GOVREPORTS_OCR_THREADS", "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from govreports import read_report  # noqa: E402
from govreports.readers.base import ReaderError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = {"dev": DATA / "images", "heldout": DATA / "images" / "heldout"}


def gold(name: str) -> dict:
    for folder in ("corpus", "corpus-html"):
        p = DATA / folder / f"{name}.truth.json"
        if p.exists():
            return json.loads(p.read_text(encoding="utf-8"))
    raise FileNotFoundError(name)


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def score(path: Path, truth: dict) -> dict:
    """Read one fixture and compare it with its gold file."""
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        rep = read_report(path)
    except ReaderError as err:
        return {"error": str(err), "cells": len(truth["cells"]), "right": 0}
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    cells = {c["cell"]: c for c in rep.cell_list}
    wrong = [k for k, v in truth["cells"].items() if k not in cells or not same(cells[k]["value"], v)]
    silent = [k for k in wrong if k in cells and cells[k]["status"] == "ok" and not any(k in w for w in rep.warnings)]
    rows = {k.split("#")[0] for k in truth["cells"]}
    lost = sorted(r for r in rows if not any(k.split("#")[0] == r for k in cells))
    return {"cells": len(truth["cells"]), "right": len(truth["cells"]) - len(wrong), "silent": silent,
            "lost_rows": lost, "uncertain": sum(c["status"] == "uncertain" for c in cells.values()),
            "recovered": sorted({k.split("#")[0] for k, c in cells.items() if c["status"] == "recovered"}),
            "wrong": {k: [cells.get(k, {}).get("raw"), truth["cells"][k]] for k in wrong},
            "pages": rep.source.get("pages") or len(rep.meta.get("page_images", {})) or 1, "wall": wall, "cpu": cpu}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=["dev", "heldout", "all"], default="all")
    ap.add_argument("only", nargs="*", help="fixture names containing one of these")
    args = ap.parse_args()
    totals: dict[str, list[int]] = {}
    for name in (["dev", "heldout"] if args.set == "all" else [args.set]):
        listing = SETS[name] / "fixtures.json"
        if not listing.exists():
            print(f"{name}: no fixtures (run tests/data/images/make_images.py{' --heldout' if name == 'heldout' else ''})")
            continue
        print(f"== {name} ==")
        print(f"{'fixture':34} {'kind':10} {'cells':>9} {'%':>7} {'lost':>4} {'unc':>4} {'silent':>6} "
              f"{'pages':>5} {'wall s':>7} {'cpu s/page':>10}")
        t = totals.setdefault(name, [0, 0, 0, 0, 0])
        for fixture, info in json.loads(listing.read_text(encoding="utf-8")).items():
            if args.only and not any(o in fixture for o in args.only):
                continue
            r = score(SETS[name] / fixture, gold(info["gold"]))
            if "error" in r:
                print(f"{fixture:34} {info['kind']:10} ERROR {r['error']}")
                t[0] += r["cells"]
                continue
            print(f"{fixture:34} {info['kind']:10} {r['right']:>4}/{r['cells']:<4} {100 * r['right'] / r['cells']:>6.2f}% "
                  f"{len(r['lost_rows']):>4} {r['uncertain']:>4} {len(r['silent']):>6} {r['pages']:>5} "
                  f"{r['wall']:>7.1f} {r['cpu'] / r['pages']:>10.2f}")
            for k, (got, want) in r["wrong"].items():
                print(f"    {k}: read {got!r}, gold {want!r}{'  SILENT' if k in r['silent'] else ''}")
            t[0] += r["cells"]
            t[1] += r["right"]
            t[2] += len(r["silent"])
            t[3] += len(r["lost_rows"])
            t[4] += r["uncertain"]
    for name, (cells, right, silent, lost, unc) in totals.items():
        print(f"{name}: {right}/{cells} cells ({100 * right / max(cells, 1):.2f}%), lost rows {lost}, "
              f"uncertain {unc}, silent misreads {silent}")
    sys.exit(1 if any(t[2] for t in totals.values()) else 0)


if __name__ == "__main__":
    main()
