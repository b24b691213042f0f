"""The synthetic-report generator: its values obey the identities, its injected violations are
exactly the identities the printed numbers break, and what it prints means what it says."""
from __future__ import annotations

import re

import pytest

from govreports.checks.identities import evaluate_identities
from govreports.numbers import parse_number
from govreports.schema import load_schema
from govreports.synth import draw_report, failed_identities

SEEDS = range(150)
COLS = [f"c{i}" for i in range(1, 8)]


def hand_failures(cells: dict, layout: str) -> set[str]:
    """The four hard identities written out by hand from format.md §6.1 (not from ogi.yaml)."""
    v = {k: (x or 0) for k, x in cells.items()}
    rows = load_schema().t3_row_codes(layout)
    results = ["t3.r3.1", "t3.r3.2", *[f"t3.r3.3.{i}" for i in range(1, 9)], *[f"t3.r3.4.{i}" for i in range(1, 4)],
               *[f"t3.r3.5.{i}" for i in range(1, 6)],
               *(["t3.r3.6"] if layout == "single" else [f"t3.r3.6.{i}" for i in range(1, 4)])]
    out = set()
    for c in COLS:
        if v[f"t3.r1#{c}"] + v[f"t3.r2#{c}"] != v[f"t3.r3.7#{c}"] + v[f"t3.r4#{c}"]:
            out.add(f"T3_BALANCE[{c}]")
        if v[f"t3.r3.7#{c}"] != sum(v[f"{r}#{c}"] for r in results):
            out.add(f"T3_RESULTS_SUM[{c}]")
    for r in rows:
        if v[f"{r}#c7"] != sum(v[f"{r}#{c}"] for c in COLS[:6]):
            out.add(f"T3_ROW_TOTAL[{r}]")
    for b in ("b1", "b2", "b3"):
        if v[f"t4.{b}#c5"] != sum(v[f"t4.{b}#c{i}"] for i in range(1, 5)):
            out.add(f"T4_BLOCK_TOTAL[{b}]")
    return out


@pytest.mark.parametrize("layout", ["single", "split"])
def test_consistent_reports_obey_every_identity(layout):
    for seed in SEEDS:
        rep = draw_report(seed, t3_layout=layout, n_violations=0)
        assert rep.violations == set() and rep.injected == []
        assert hand_failures(rep.cells, layout) == set(), seed


def test_printed_cells_are_exactly_the_schema_cells():
    s = load_schema()
    for seed in SEEDS:
        rep = draw_report(seed)
        want = s.t2_cells(rep.t2_version) + s.t3_cells(rep.t3_layout) + s.t4_cells()
        assert sorted(rep.cells) == sorted(want) == sorted(rep.raw)


def test_injected_violations_are_exact():
    injected = 0
    for seed in SEEDS:
        rep = draw_report(seed, n_violations=seed % 3)
        assert len(rep.injected) == seed % 3
        assert rep.violations == hand_failures(rep.cells, rep.t3_layout) == failed_identities(rep.cells, rep.t3_layout)
        for code, was, now in rep.injected:
            assert was != now and rep.raw[code] == now
        if len(rep.injected) == 1:
            injected += 1
            code = rep.injected[0][0]
            row, col = code.split("#")
            # One wrong number always breaks its own row (T3) or block (T4) total.
            own = f"T4_BLOCK_TOTAL[{row[3:]}]" if row.startswith("t4.") else f"T3_ROW_TOTAL[{row}]"
            assert own in rep.violations, (seed, code, rep.violations)
    assert injected > 20


def test_violations_agree_with_the_extractors_checker():
    for seed in SEEDS:
        rep = draw_report(seed)
        cells = {k: (v, rep.status(k)) for k, v in rep.cells.items()}
        failed = {f"{c['rule']}[{c['scope']}]" for c in evaluate_identities(cells, rep.t3_layout)
                  if c["status"] == "fail"}
        assert failed == rep.violations, seed


def test_printed_text_means_the_value():
    """Every raw text parses (by format.md §7.5) to the cell's value and status."""
    s = load_schema()
    kinds = set()
    for seed in SEEDS:
        rep = draw_report(seed)
        for code, raw in rep.raw.items():
            p = parse_number(raw, s.number_kind(code))
            assert p.status == rep.status(code), (seed, code, raw)
            want = rep.cells[code]
            assert (p.value is None and want is None) or abs(p.value - want) < 1e-6, (seed, code, raw, want)
            kinds.add(p.status)
            if re.fullmatch(r"\d[\d,]*", raw):
                assert int(raw.replace(",", "")) == want
    assert kinds == {"ok", "blank", "dash", "slash"}


def test_realistic_range_and_variety():
    reps = [draw_report(seed) for seed in range(300)]
    t3max = max(v or 0 for r in reps for k, v in r.cells.items() if k.startswith("t3."))
    assert 100_000 <= t3max <= 999_999                      # prefecture-scale six-digit counts occur
    assert any(all(not v for k, v in r.cells.items() if k.startswith("t3.")) for r in reps)  # all-zero table 三
    assert {(r.t2_version, r.t3_layout) for r in reps} == {("v2019", "single"), ("v2021", "single"), ("v2021", "split")}
    deltas = {r.raw[k] for r in reps for k in r.raw if k.endswith("#delta_items")}
    assert any(d.startswith("增加") for d in deltas) and any(d.startswith("减少") for d in deltas)
    assert any(d.startswith("+") for d in deltas) and any(d.startswith("-") for d in deltas)
    assert any(r.raw[k].endswith("元") for r in reps for k in r.raw if k.endswith("#proc_amount"))
    assert any("," in raw for r in reps for raw in r.raw.values())


def test_same_seed_same_report():
    a, b = draw_report(7), draw_report(7)
    assert (a.raw, a.violations, a.body) == (b.raw, b.violations, b.body)
    assert draw_report(8).raw != a.raw


def test_narrative_states_the_printed_figures():
    for seed in range(40):
        rep = draw_report(seed)
        assert rep.agency in rep.title and str(rep.year) in rep.title
        assert re.search(r"[县区市]", rep.agency)
        text = "".join(t for k, t in rep.body if k == "para")
        assert f"收到政府信息公开申请{rep.cells['t3.r1#c7'] or 0}件" in text
        assert f"上年结转{rep.cells['t3.r2#c7'] or 0}件" in text
        assert f"行政复议{rep.cells['t4.b1#c5'] or 0}件" in text
        assert [t for k, t in rep.body if k == "table"] == ["t2", "t3", "t4"]
