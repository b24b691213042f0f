"""The OGI table formats, loaded from ``ogi.yaml``: codes, labels per version, identities."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class RowSpec:
    """One printable row: its canonical code and the labels it is printed under."""

    code: str
    labels: tuple[str, ...]
    zh: str
    en: str
    parent: str | None = None
    role: str | None = None
    layout: str | None = None
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColSpec:
    """One column: code, printed labels, Chinese/English names and number kind."""

    code: str
    labels: tuple[str, ...]
    zh: str
    en: str
    group: str | None = None
    number: str = "count"  # count | money | signed
    versions: tuple[str, ...] = ()


@dataclass
class Schema:
    """The whole format description; see ``ogi.yaml``."""

    raw: dict[str, Any]
    t2_blocks: dict[str, dict[str, Any]] = field(default_factory=dict)
    t2_rows: dict[str, RowSpec] = field(default_factory=dict)      # "a20_1.r1" -> spec
    t2_columns: dict[str, ColSpec] = field(default_factory=dict)
    t3_rows: list[RowSpec] = field(default_factory=list)
    t3_columns: dict[str, ColSpec] = field(default_factory=dict)
    t3_extra_columns: dict[str, ColSpec] = field(default_factory=dict)
    t3_groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    t4_blocks: dict[str, dict[str, str]] = field(default_factory=dict)
    t4_columns: dict[str, dict[str, str]] = field(default_factory=dict)
    identities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, Any]:
        return self.raw["tables"]

    def t2_cells(self, version: str) -> list[str]:
        """Cell codes table 二 prints in ``version``, in printed order."""
        out = []
        for row, cols in self.tables["t2"]["cells"][version].items():
            out += [f"t2.{row}#{c}" for c in cols]
        return out

    def t3_row_codes(self, layout: str) -> list[str]:
        """Printed table 三 rows for a （六） layout ('single' or 'split')."""
        return [r.code for r in self.t3_rows if r.layout in (None, layout)]

    def t3_cells(self, layout: str) -> list[str]:
        return [f"{r}#{c}" for r in self.t3_row_codes(layout) for c in self.t3_columns]

    def t4_cells(self) -> list[str]:
        return [f"t4.{b}#{c}" for b in self.t4_blocks for c in self.t4_columns]

    def expected_version(self, year: int | None) -> str | None:
        if year is None:
            return None
        for rule in self.raw["expected_version"]:
            if year <= rule["until"]:
                return rule["version"]
        return None

    def labels_of(self, cell: str) -> tuple[str, str]:
        """Chinese and English label of a cell code, e.g. ('本年新收申请 / 自然人', 'new_received / natural_person')."""
        row, col = cell.split("#")
        if row.startswith("t3."):
            r = next(x for x in self.t3_rows if x.code == row)
            c = self.t3_columns.get(col) or self.t3_extra_columns[col]
            return f"{r.zh} / {c.zh}", f"{r.en} / {c.en}"
        if row.startswith("t4."):
            b = self.t4_blocks[row[3:]]
            c = self.t4_columns[col]
            return f"{b['zh']} / {c['zh']}", f"{b['en']} / {c['en']}"
        r = self.t2_rows[row[3:]]
        c = self.t2_columns[col]
        return f"{r.zh} / {c.zh}", f"{r.en} / {c.en}"

    def printed_labels(self) -> set[str]:
        """Every label tables 二, 三 and 四 print (rows, columns, groups, blocks, in every version) and their
        Chinese names: what a table leaves behind in a report's text layer."""
        words: set[str] = set()
        for spec in [*self.t2_rows.values(), *self.t2_columns.values(), *self.t3_rows, *self.t3_columns.values()]:
            words.update((*spec.labels, spec.zh))
        for table in (self.t3_groups, self.t4_blocks, self.t4_columns):
            for spec in table.values():
                words.update((*spec.get("labels", ()), spec["zh"]))
        return words

    def number_kind(self, cell: str) -> str:
        row, col = cell.split("#")
        if row.startswith("t2."):
            return self.t2_columns[col].number
        return "count"


def _tuple(x: Any) -> tuple[str, ...]:
    return tuple(x or ())


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    """Load and index ``ogi.yaml`` once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster where built
    raw = yaml.load(resources.files(__package__).joinpath("ogi.yaml").read_text(encoding="utf-8"), Loader=loader)
    s = Schema(raw=raw)
    t2 = raw["tables"]["t2"]
    for bcode, block in t2["blocks"].items():
        s.t2_blocks[bcode] = block
        for rcode, r in block["rows"].items():
            key = f"{bcode}.{rcode}"
            s.t2_rows[key] = RowSpec(code=f"t2.{key}", labels=_tuple(r["labels"]), zh=r["labels"][0],
                                     en=r["en"], versions=_tuple(r.get("versions") or block.get("versions")))
    for ccode, c in t2["columns"].items():
        s.t2_columns[ccode] = ColSpec(code=ccode, labels=_tuple(c["labels"]), zh=c["zh"], en=c["en"],
                                      number=c.get("number", "count"), versions=_tuple(c.get("versions")))
    t3 = raw["tables"]["t3"]
    for r in t3["rows"]:
        s.t3_rows.append(RowSpec(code=r["code"], labels=_tuple(r["labels"]), zh=r["zh"], en=r["en"],
                                 parent=r.get("parent"), role=r.get("role"), layout=r.get("layout")))
    for ccode, c in t3["columns"].items():
        s.t3_columns[ccode] = ColSpec(code=ccode, labels=_tuple(c["labels"]), zh=c["zh"], en=c["en"], group=c.get("group"))
    for ccode, c in (t3.get("extra_columns") or {}).items():
        s.t3_extra_columns[ccode] = ColSpec(code=ccode, labels=_tuple(c["labels"]), zh=c["zh"], en=c["en"])
    s.t3_groups = t3["groups"]
    s.t4_blocks = raw["tables"]["t4"]["blocks"]
    s.t4_columns = raw["tables"]["t4"]["columns"]
    s.identities = raw["identities"]
    return s
