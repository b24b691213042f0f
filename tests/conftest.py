"""Shared fixtures: the bundled gold corpus (copied from ../shared so a fresh clone has it)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
CORPUS_HTML = DATA / "corpus-html"


def truth(name: str) -> dict:
    """The gold file of a bundled report, e.g. truth('hongzequ_2023')."""
    for folder in (CORPUS, CORPUS_HTML):
        p = folder / f"{name}.truth.json"
        if p.exists():
            return json.loads(p.read_text(encoding="utf-8"))
    raise FileNotFoundError(name)


@pytest.fixture(scope="session")
def gold_reports():
    """Every bundled gold report read once per test session: {name: (Report, truth)}."""
    from govreports import read_report

    out = {}
    for folder in (CORPUS, CORPUS_HTML):
        for t in sorted(folder.glob("*.truth.json")):
            tr = json.loads(t.read_text(encoding="utf-8"))
            out[t.name.removesuffix(".truth.json")] = (read_report(folder / tr["source"]), tr)
    return out
