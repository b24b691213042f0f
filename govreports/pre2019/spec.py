"""The pre-2019 era as data: ``schema/pre2019.yaml`` loaded once and indexed for the reader."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class PreCode:
    """One canonical pre-2019 code: names, number kind and the row labels printed for it."""

    code: str
    zh: str
    en: str
    number: str
    labels: tuple[str, ...]


@dataclass
class PreSpec:
    """Everything the pre-2019 reader knows (see ``pre2019.yaml``)."""

    raw: dict[str, Any]
    codes: dict[str, PreCode] = field(default_factory=dict)
    patterns: list[tuple[str, re.Pattern, tuple[str, ...]]] = field(default_factory=list)  # code, regex, context
    absent: list[tuple[tuple[str, ...], re.Pattern]] = field(default_factory=list)
    percentages: list[tuple[str, re.Pattern]] = field(default_factory=list)
    other_periods: re.Pattern | None = None

    @property
    def last_year(self) -> int:
        return int(self.raw["era"]["last_year"])

    @property
    def era(self) -> dict[str, Any]:
        return self.raw["era"]

    @property
    def columns(self) -> dict[str, list[str]]:
        return self.raw["columns"]

    @property
    def identities(self) -> list[dict[str, Any]]:
        return self.raw["identities"]

    @property
    def attachments(self) -> dict[str, Any]:
        return self.raw["attachments"]

    @property
    def shapes(self) -> dict[str, dict[str, Any]]:
        return self.raw["shapes"]

    def row_labels(self) -> dict[str, tuple[str, ...]]:
        """{code: labels} for label matching (govreports.text.best_match); child rows are matched apart."""
        return {c.code: c.labels for c in self.codes.values() if c.labels}

    def child_labels(self) -> dict[str, tuple[str, ...]]:
        """{child name: labels} of the rows printed under a total (维持具体行政行为数 …)."""
        return {name: tuple(c["labels"]) for name, c in self.raw["children"]["rows"].items()}

    @property
    def child_parents(self) -> tuple[str, ...]:
        return tuple(self.raw["children"]["parents"])

    def labels_of(self, cell: str) -> tuple[str, str]:
        """Chinese and English label of a pre-2019 cell code (``pre.granted``, ``pre.granted#cumulative``)."""
        code, _, col = cell.partition("#")
        c = self.codes[code]
        if col == "cumulative":
            return f"{c.zh} / 历年累计", f"{c.en} / cumulative"
        return c.zh, c.en


@lru_cache(maxsize=1)
def load_pre_spec() -> PreSpec:
    """Load and index ``pre2019.yaml`` once per process."""
    text = resources.files("govreports.schema").joinpath("pre2019.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    spec = PreSpec(raw=raw)
    for code, c in raw["codes"].items():
        spec.codes[code] = PreCode(code=code, zh=c["zh"], en=c["en"], number=c.get("number", "count"),
                                   labels=tuple(c["labels"]))
    for parent in raw["children"]["parents"]:   # pre.reconsideration.upheld …: printed under their total only
        p = spec.codes[parent]
        for name, c in raw["children"]["rows"].items():
            code = f"{parent}.{name}"
            spec.codes[code] = PreCode(code=code, zh=f"{p.zh}：{c['zh']}", en=f"{p.en}_{c['en']}", number="count",
                                       labels=())
    spec.patterns = [(p["code"], re.compile(p["pattern"]), tuple(p.get("context", ()))) for p in raw["narrative"]]
    spec.absent = [(tuple(p["codes"]), re.compile(p["pattern"])) for p in raw["absent"]]
    spec.percentages = [(p["code"], re.compile(p["pattern"])) for p in raw["percentages"]]
    spec.other_periods = re.compile("|".join(raw["other_periods"]))
    return spec
