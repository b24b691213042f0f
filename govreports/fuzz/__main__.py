"""``python -m govreports.fuzz``: write the fuzz set, extract each input in its own process, print a line per
input and the summary; exit 1 when any input ended otherwise than in a record or a clean one-line error."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .cases import all_cases, small_cases
from .run import BAD, MEMORY_CAP_MB, TIME_LIMIT_S, run_one, summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govreports.fuzz", description=__doc__)
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="a checkout holding tests/data (the seed reports)")
    ap.add_argument("--small", action="store_true", help="only the small fixed set the test suite runs")
    ap.add_argument("--only", nargs="*", default=None, help="run only these case names")
    ap.add_argument("--time-limit", type=float, default=TIME_LIMIT_S, help="seconds per input")
    ap.add_argument("--memory-cap", type=float, default=MEMORY_CAP_MB, help="MB per input")
    ap.add_argument("--keep", type=Path, default=None, help="write the inputs to this folder and keep them")
    args = ap.parse_args(argv)
    cases = small_cases(args.root) if args.small else all_cases(args.root)
    if args.only:
        cases = [c for c in cases if c.name in args.only]
    results = []
    with tempfile.TemporaryDirectory(prefix="govreports-fuzz-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n, case in enumerate(cases, start=1):
            path = case.build(folder / case.filename)
            r = run_one(path, args.time_limit, args.memory_cap)
            results.append(r)
            print(f"[{n}/{len(cases)}] {r.outcome:9} {r.seconds:5.1f} s {r.peak_mb:6.0f} MB  {case.name}: {r.line}",
                  flush=True)
            if not args.keep:
                path.unlink(missing_ok=True)
    print(summary(results))
    return 1 if any(r.outcome in BAD for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
