"""Score the pre-2019 reader against hand-made gold: cells right / cells printed, figures invented.

    python -m govreports.pre2019.score tests/data/pre2019/heldout

Each ``NAME.truth.json`` beside ``NAME.html`` (or another input kind) holds ``year``, ``agency``,
``table`` and ``cells`` ({code: value}: every printed figure under its code); with ``partial`` true
the cells are a subset, and figures beyond them are not counted as invented.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..readers import ReaderError
from ..report import read_report

TOLERANCE = 1e-6


def score_file(truth: Path) -> dict[str, Any]:
    """One report against its gold: counts of printed, right, wrong, missed and invented cells."""
    gold = json.loads(truth.read_text(encoding="utf-8"))
    source = next(p for p in truth.parent.glob(truth.name.replace(".truth.json", ".*")) if not p.name.endswith(".json"))
    try:
        rep = read_report(source)
        got = {c["cell"]: c["value"] for c in rep.cell_list}
        year, agency = rep.year, rep.agency
    except ReaderError as err:
        got, year, agency = {}, None, f"error: {err}"
    want = gold["cells"]
    right = [c for c, v in want.items() if c in got and got[c] is not None and abs(got[c] - v) < TOLERANCE]
    wrong = [f"{c}: {got[c]} (printed {want[c]})" for c in want if c in got and c not in right]
    missed = [c for c in want if c not in got]
    # a partial gold (someone's coding of some of the printed figures) cannot tell an invented figure
    invented = [] if gold.get("partial") else [f"{c}: {v}" for c, v in got.items() if c not in want]
    return {"file": source.name, "printed": len(want), "right": len(right), "wrong": wrong, "missed": missed,
            "invented": invented, "year_ok": year == gold["year"], "agency_ok": agency == gold["agency"]}


def score_folder(folder: Path) -> list[dict[str, Any]]:
    """Every gold file of a folder, scored."""
    return [score_file(t) for t in sorted(folder.glob("*.truth.json"))]


def main(argv: list[str] | None = None) -> int:
    """Print one line per report and the totals."""
    folder = Path((argv or sys.argv[1:])[0])
    rows = score_folder(folder)
    for r in rows:
        print(f"{r['file']:<24} {r['right']:>3}/{r['printed']:<3} year {'ok' if r['year_ok'] else 'WRONG'} "
              f"agency {'ok' if r['agency_ok'] else 'WRONG'}"
              + "".join(f"\n    wrong {w}" for w in r["wrong"]) + "".join(f"\n    missed {m}" for m in r["missed"])
              + "".join(f"\n    invented {i}" for i in r["invented"]))
    printed = sum(r["printed"] for r in rows)
    right = sum(r["right"] for r in rows)
    invented = sum(len(r["invented"]) for r in rows)
    print(f"\n{len(rows)} reports: {right}/{printed} printed cells right ({right / max(printed, 1):.1%}), "
          f"{invented} figures invented; year right {sum(r['year_ok'] for r in rows)}/{len(rows)}, "
          f"agency right {sum(r['agency_ok'] for r in rows)}/{len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
