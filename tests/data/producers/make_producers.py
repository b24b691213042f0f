"""Make the other-producer PDF fixtures: synthetic reports written as Word .docx (python-docx) and
printed to PDF by LibreOffice, each with its gold file (format.md §10).

LibreOffice lays out text differently from reportlab (the case where camelot's lattice parser was
seen to put whole rows' text in the first cell), so these PDFs test the extractor's fallback.
CI has no LibreOffice: the PDFs and truth files are committed; rerun this only to regenerate them.

    apt-get install -y libreoffice-writer-nogui fonts-noto-cjk
    python tests/data/producers/make_producers.py [--out DIR] [NAME ...]
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from govreports.synth import draw_report
from govreports.synth.docx import print_with_libreoffice, render_docx

# (name, seed, draw_report options): both table 二 versions, both （六） layouts, blank/dash/slash
# zeros and injected misprints.
FIXTURES = [
    ("lo_v2019_single", 101, {"year": 2020, "zero_style": "dash", "n_violations": 1}),
    ("lo_v2021_split", 102, {"year": 2023, "t3_layout": "split", "zero_style": "0", "n_violations": 0}),
    ("lo_v2021_single", 103, {"year": 2024, "t3_layout": "single", "zero_style": "blank", "n_violations": 2}),
    ("lo_v2021_mixed", 104, {"year": 2022, "t3_layout": "split", "zero_style": "mixed", "n_violations": 1}),
    # Found by the lo.pdf round trip: LibreOffice breaks a table row across pages (here a table 二 row
    # of the v2019 layout), and six-digit counts wrap inside narrow cells ('11276' over '7').
    ("lo_row_split", 59, {}),
    ("lo_wrapped_digits", 68, {}),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    ap.add_argument("names", nargs="*", help="fixtures to (re)make (default: all)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, seed, options in FIXTURES:
            if args.names and name not in args.names:
                continue
            report = draw_report(seed, **options)
            pdf = print_with_libreoffice(render_docx(report, Path(tmp) / f"{name}.docx"), args.out / f"{name}.pdf")
            truth = report.truth(pdf.name)
            (args.out / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                         encoding="utf-8")
            print(f"{pdf.name}: {report.t2_version}/{report.t3_layout}, failed {sorted(report.violations)}")


if __name__ == "__main__":
    main()
