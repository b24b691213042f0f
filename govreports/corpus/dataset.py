"""Write a dataset folder (Parquet + CSV + codebook) and load it back as pandas DataFrames.

Every file is written under a temporary name and renamed, so a killed build never leaves a
half-written table behind.
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govreports.corpus.cache import write_atomic
from govreports.corpus.columns import COLUMNS, names_of, schema_of
from govreports.corpus.datapackage import datapackage_json

TABLE_NAMES = tuple(COLUMNS)
OUTPUT_FILES = [f"{n}.{ext}" for n in TABLE_NAMES for ext in ("parquet", "csv")] + ["codebook.md", "datapackage.json"]


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = schema_of(name)
    return pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)


def write(out: Path, tables: dict[str, list[dict[str, Any]]], codebook: str) -> None:
    """Write each table as ``NAME.parquet`` and ``NAME.csv`` (utf-8-sig, so Excel shows Chinese) plus ``codebook.md``
    and ``datapackage.json`` (the Frictionless descriptor of the CSV tables)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLE_NAMES:
        table = _table(name, tables.get(name, []))
        tmp = out / f".{name}.parquet.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, out / f"{name}.parquet")
        tmp = out / f".{name}.csv.tmp"
        with open(tmp, "wb") as fh:
            fh.write(codecs.BOM_UTF8)
            pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed"))
        os.replace(tmp, out / f"{name}.csv")
    write_atomic(out / "codebook.md", codebook)
    write_atomic(out / "datapackage.json", datapackage_json())


@dataclass
class Dataset:
    """A built dataset: ``reports``, ``cells``, ``checks``, ``failures``, ``revisions``, ``texts``, ``longrun``,
    ``corrections`` and the ``wide`` view."""

    path: Path
    reports: pd.DataFrame
    cells: pd.DataFrame
    checks: pd.DataFrame
    failures: pd.DataFrame
    revisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=names_of("revisions")))
    texts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=names_of("texts")))
    longrun: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=names_of("longrun")))
    corrections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=names_of("corrections")))
    _order: list[str] = field(default_factory=list, repr=False)

    @cached_property
    def wide(self) -> pd.DataFrame:
        """One row per report_id, one column per cell code (schema order), the parsed values."""
        w = self.cells.pivot(index="report_id", columns="cell", values="value")
        known = [c for c in self._order if c in w.columns]
        w = w[known + sorted(set(w.columns) - set(known))]
        w = w.reindex(self.reports["report_id"])
        w.columns.name = "cell"
        return w


def _cell_order() -> list[str]:
    from govreports.schema import load_schema

    s = load_schema()
    t2 = list(dict.fromkeys(s.t2_cells("v2021") + s.t2_cells("v2019")))
    t3 = list(dict.fromkeys(s.t3_cells("split") + s.t3_cells("single")))
    return t2 + sorted(t3, key=lambda c: [r.code for r in s.t3_rows].index(c.split("#")[0])) + s.t4_cells()


def load(path: str | Path) -> Dataset:
    """Load a dataset folder written by ``govreports build``."""
    path = Path(path)
    missing = [n for n in TABLE_NAMES if not (path / f"{n}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(f"{path}: not a govreports dataset (missing {', '.join(m + '.parquet' for m in missing)})")
    frames = {}
    for name in TABLE_NAMES:
        df = pq.read_table(path / f"{name}.parquet").to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        frames[name] = df[names_of(name)]
    frames["reports"]["published"] = pd.to_datetime(frames["reports"]["published"])
    return Dataset(path=path, _order=_cell_order(), **frames)
