"""Round-trip property tests: read_report(render(values)) gives back every printed value with its
blank/dash/slash status, and exactly the injected identity violations as failed hard checks.

The default run covers a few dozen seeds; ``pytest -m slow`` covers hundreds. Every failure message
lists the cells that came back wrong (printed text and value vs what was read).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from govreports import read_report
from govreports.synth.roundtrip import failed_hard, round_trip

PRODUCERS = Path(__file__).parent / "data" / "producers"
# Extractor bugs these fixtures expose (strict: once fixed, the XPASS fails; then drop the entry).
KNOWN_BUGS: dict[str, str] = {}


def _producer_params() -> list:
    return [pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[p.stem])]
                         if p.stem in KNOWN_BUGS else []) for p in sorted(PRODUCERS.glob("*.pdf"))]


def _assert_round_trip(seed: int, kind: str, tmp_path: Path) -> None:
    o = round_trip(seed, kind, workdir=tmp_path)
    assert o.error is None, f"seed {seed} ({kind}): {o.error}"
    problems = o.cells + [f"injected but not reported: {c}" for c in o.missing_checks] \
        + [f"reported but not injected: {c}" for c in o.extra_checks] + o.layout + o.meta
    assert not problems, f"seed {seed} ({kind}):\n  " + "\n  ".join(problems[:20])


@pytest.mark.parametrize("seed", range(30))
def test_pdf_round_trip(seed, tmp_path):
    _assert_round_trip(seed, "pdf", tmp_path)


def test_a_lone_page_number_under_a_ruled_table_is_no_cut_row(tmp_path):
    """Seed 106 prints table 三's page 2 with its page number '2' under the last ruling; read as a row that
    a page break cut, it was joined to 3.其他 on the next page (c1 read 2, the rest blank)."""
    _assert_round_trip(106, "pdf", tmp_path)


@pytest.mark.parametrize("seed", range(30))
def test_html_round_trip(seed, tmp_path):
    _assert_round_trip(seed, "html", tmp_path)


@pytest.mark.parametrize("seed", range(10))
def test_docx_round_trip(seed, tmp_path):
    _assert_round_trip(seed, "docx", tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30, 500))
def test_pdf_round_trip_many(seed, tmp_path):
    _assert_round_trip(seed, "pdf", tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30, 500))
def test_html_round_trip_many(seed, tmp_path):
    _assert_round_trip(seed, "html", tmp_path)


@pytest.mark.parametrize("pdf", _producer_params())
def test_other_producer_pdfs(pdf):
    """Word documents printed by LibreOffice (tests/data/producers/make_producers.py made them)."""
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    rep = read_report(pdf)
    got = rep.values
    wrong = [f"{code}: want {want}, got {got.get(code, 'nothing')}" for code, want in truth["cells"].items()
             if code not in got or (want is None) != (got[code] is None)
             or (want is not None and abs(want - got[code]) > 1e-6)]
    assert not wrong, f"{pdf.name}:\n  " + "\n  ".join(wrong[:20])
    assert failed_hard(rep.checks) == set(truth["failed_checks"])
    assert (rep.layout["t2"], rep.layout["t3_r3_6"]) == (truth["t2_layout"], truth["t3_r3_6"])
    assert (rep.agency, rep.year) == (truth["agency"], truth["year"])
