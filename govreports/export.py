"""``govreports export``: the dataset as a panel for Stata, SPSS, R, CSV or Parquet, with its codebook.

Two tables: ``panel`` (one row per report: identifiers, publisher, division, level, year, format era,
URL and sha256, then every indicator with its 95% interval bounds and flags) and ``cells`` (the wide
table: one row per report, one column per cell code). Names are valid everywhere (letters, digits and
underscores, at most ``MAX_NAME`` characters, unique); every variable has a label in Chinese and English;
categories (level, publisher kind, era, status) carry value labels. The files are written by pyreadstat
(.dta, .sav) and pyreadr (.rds); ``codebook.md`` and ``variables.csv`` beside them list every variable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import typer

from govreports import indicators as ind
from govreports.corpus.dataset import Dataset, load
from govreports.schema import load_schema

FORMATS = ("stata", "spss", "r", "csv", "parquet")
SUFFIX = {"stata": ".dta", "spss": ".sav", "r": ".rds", "csv": ".csv", "parquet": ".parquet"}
MAX_NAME = 32          # Stata's limit on a variable name (SPSS allows 64, R any)
MAX_STATA_LABEL = 80   # Stata's limit on a variable label, in characters
STATA_VERSION = 15     # UTF-8 .dta, read by Stata 14 and later

# Categorical columns: code -> (value, 中文, English); the value is what Stata and SPSS store.
CATEGORIES: dict[str, list[tuple[str, int, str, str]]] = {
    "level": [("province", 1, "省级", "province"), ("prefecture", 2, "地市级", "prefecture"),
              ("county", 3, "县级", "county")],
    "publisher_kind": [("government", 1, "人民政府", "government"), ("department", 2, "政府部门", "department"),
                       ("lower_government", 3, "乡镇街道等", "body below the division")],
    "era": [("v2019", 1, "2019 年试行格式（2019–2020 年度报告）", "2019 trial format (reports for 2019–2020)"),
            ("v2021", 2, "2021 年格式（2021 年度起）", "2021 format (reports from 2021)")],
    "status": [("ok", 1, "通过全部勾稽关系", "all identities hold"),
               ("failed_identities", 2, "有勾稽关系不成立", "some hard identity fails"),
               ("incomplete", 3, "表格不全", "table 二, 三 or 四 not found")],
}

# The report columns of the panel, with their labels (中文, English).
REPORT_COLUMNS: dict[str, tuple[str, str]] = {
    "report_id": ("报告编号", "report id (AGENCY_YEAR)"),
    "publisher": ("发布机关（跨年统一名称）", "publisher (one name across years)"),
    "agency": ("发布机关（原文）", "agency as printed"),
    "publisher_kind": ("机关类别", "publisher kind"),
    "division_code": ("行政区划代码", "division code (GB/T 2260)"),
    "level": ("行政级别", "level of the division"),
    "province": ("省", "province"),
    "prefecture": ("地市", "prefecture"),
    "county": ("县区", "county"),
    "year": ("报告年度", "report year"),
    "era": ("表格格式版本", "table format era"),
    "published": ("发布日期", "publication date"),
    "population": ("常住人口（2020 普查）", "resident population (2020 census)"),
    "status": ("勾稽关系状态", "identity status"),
    "n_failed_identities": ("不成立的勾稽关系数", "hard identities failing"),
    "n_sentences": ("叙述句数", "narrative sentences"),
    "url": ("原文网址", "URL of the original report"),
    "sha256": ("文件 SHA-256", "sha256 of the report file"),
    "file": ("文件", "file in the dataset's source"),
}
SUFFIXES = {"": ("", ""), "lo": ("95% 区间下限", "95% interval low"), "hi": ("95% 区间上限", "95% interval high"),
            "flag": ("标记", "flags")}


class ExportError(Exception):
    """An export that cannot be written; the message names the dataset or the format."""


@dataclass
class Variable:
    """One exported variable: its safe name, where it comes from and its labels."""

    name: str
    source: str
    label_zh: str
    label_en: str
    table: str

    @property
    def label(self) -> str:
        return f"{self.label_zh} | {self.label_en}"


def safe_name(name: str, taken: set[str], limit: int = MAX_NAME) -> str:
    """A Stata/SPSS/R-safe name for ``name`` (``t3.r3.1#c7`` -> ``t3_r3_1_c7``), at most ``limit``
    characters (the longest words shortened first), unique among ``taken`` (which it joins)."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", name) if w]
    if not words or not words[0][0].isalpha():
        words.insert(0, "v")
    while len("_".join(words)) > limit:
        i = max(range(len(words)), key=lambda k: len(words[k]))
        if len(words[i]) <= 2:
            break
        words[i] = words[i][:max(2, len(words[i]) // 2)]
    base = "_".join(words)[:limit]
    out, k = base, 2
    while out.lower() in {t.lower() for t in taken}:
        out = f"{base[:limit - len(str(k)) - 1]}_{k}"
        k += 1
    taken.add(out)
    return out


def _era(reports: pd.DataFrame) -> pd.Series:
    """Table format era: the detected table 二 version, else the one the year should use."""
    s = load_schema()
    guess = reports["year"].map(lambda y: s.expected_version(int(y)) if pd.notna(y) else None)
    return reports["t2_layout"].where(reports["t2_layout"].notna(), guess)


def tables(ds: Dataset) -> tuple[dict[str, pd.DataFrame], list[Variable]]:
    """The panel and the wide cells, columns under their exported names, and every variable."""
    taken: set[str] = set()
    variables: list[Variable] = []
    rep = ds.reports.assign(era=_era(ds.reports))
    panel: dict[str, object] = {}
    for col, (zh, en) in REPORT_COLUMNS.items():
        v = Variable(safe_name(col, taken), col, zh, en, "panel")
        panel[v.name] = rep[col].values
        variables.append(v)
    vals = ind.compute(ds).set_index("report_id").reindex(rep["report_id"])
    room = MAX_NAME - max(len(s) + 1 for s in SUFFIXES if s)  # X, X_lo, X_hi and X_flag share one stem
    for i in ind.INDICATORS:
        stem = safe_name(i.name, taken, room)
        for suffix, (zh, en) in SUFFIXES.items():
            src = f"{i.name}.{suffix}" if suffix else i.name
            if src not in vals:
                continue
            name = f"{stem}_{suffix}" if suffix else stem
            taken.add(name)
            label_zh = f"{i.zh} {zh}" if suffix else f"{i.zh}（{i.unit}）"
            label_en = f"{i.en}, {en}" if suffix else f"{i.en} ({i.unit})"
            variables.append(Variable(name, src, label_zh, label_en, "panel"))
            panel[name] = vals[src].values
    schema = load_schema()
    wide = ds.wide
    cells: dict[str, object] = {"report_id": wide.index.values}
    ctaken = {"report_id"}
    variables.append(Variable("report_id", "report_id", *REPORT_COLUMNS["report_id"], "cells"))
    for code in wide.columns:
        zh, en = _cell_labels(schema, code)
        v = Variable(safe_name(code, ctaken), code, f"{code} {zh}", en, "cells")
        cells[v.name] = wide[code].astype(float).values
        variables.append(v)
    return {"panel": pd.DataFrame(panel), "cells": pd.DataFrame(cells)}, variables


def _cell_labels(schema, code: str) -> tuple[str, str]:
    try:
        return schema.labels_of(code)
    except (KeyError, StopIteration, ValueError):
        return "", ""


def _coded(frame: pd.DataFrame, variables: list[Variable]) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """Categorical columns as their numeric codes, with the value labels Stata and SPSS keep."""
    out, labels = frame.copy(), {}
    for v in variables:
        if v.source in CATEGORIES and v.name in out:
            cats = CATEGORIES[v.source]
            out[v.name] = out[v.name].map({c: n for c, n, _, _ in cats}).astype(float)
            labels[v.name] = {n: f"{zh} | {en}" for _, n, zh, en in cats}
    return out, labels


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable integers as floats and text as object, which every writer accepts (missing stays missing)."""
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_integer_dtype(out[c].dtype):  # nullable Int64 too
            out[c] = out[c].astype(float)
        elif pd.api.types.is_string_dtype(out[c].dtype):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def _as_text_dates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime("%Y-%m-%d").astype(object).where(out[c].notna(), None)
    return out


def _categorical(data: pd.DataFrame, variables: list[Variable]) -> pd.DataFrame:
    """``data`` with its categorical columns as pandas categories in CATEGORIES' order (R factors, Parquet
    dictionaries)."""
    for v in variables:
        if v.source in CATEGORIES:
            data[v.name] = pd.Categorical(data[v.name], categories=[c for c, *_ in CATEGORIES[v.source]])
    return data


def _write(name: str, frame: pd.DataFrame, variables: list[Variable], to: str, out: Path) -> Path:
    path = out / f"{name}{SUFFIX[to]}"
    mine = [v for v in variables if v.table == name]
    if to in ("stata", "spss"):
        import pyreadstat

        data, value_labels = _coded(_plain(frame), mine)
        labels = [v.label for v in mine]
        if to == "stata":
            labels = [lab if len(lab) <= MAX_STATA_LABEL else lab[:MAX_STATA_LABEL - 1] + "…" for lab in labels]
            pyreadstat.write_dta(data, str(path), column_labels=labels, variable_value_labels=value_labels,
                                 version=STATA_VERSION)
        else:
            pyreadstat.write_sav(data, str(path), column_labels=labels, variable_value_labels=value_labels)
    elif to == "r":
        import pyreadr

        pyreadr.write_rds(str(path), _categorical(_as_text_dates(_plain(frame)), mine))
    elif to == "csv":
        _as_text_dates(frame).to_csv(path, index=False, encoding="utf-8-sig")
    else:
        _parquet(frame, mine, path)
    return path


def _parquet(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """Parquet with each field's labels in its metadata and categories dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(_categorical(frame.copy(), variables), preserve_index=False)
    by_name = {v.name: v for v in variables}
    fields = [f.with_metadata({"label_zh": by_name[f.name].label_zh, "label_en": by_name[f.name].label_en,
                               "source": by_name[f.name].source}) for f in table.schema]
    pq.write_table(table.cast(pa.schema(fields, metadata=table.schema.metadata)), path)


def codebook(variables: list[Variable], to: str, dataset: Path) -> str:
    """The export's codebook: every variable of each file with its source, labels and value labels."""
    lines = [f"# Codebook: govreports panel export ({to})", "",
             f"Exported from the dataset `{dataset}` by `govreports export`. Indicator definitions: "
             "`docs/indicators.md`; cell codes: `docs/format.md` and the dataset's `codebook.md`.", "",
             f"- `panel{SUFFIX[to]}`: one row per report; each indicator `X` comes with `X_lo` / `X_hi` (95% "
             "Wilson interval of a share) and `X_flag` (flags joined with `;`: "
             + ", ".join(f"`{k}`" for k in ind.FLAGS) + ").",
             f"- `cells{SUFFIX[to]}`: one row per report (`report_id`), one column per cell code as printed "
             "(blank, dash and slash cells empty, see the dataset's `cells` table for their status).", "",
             "Names: letters, digits and `_`, at most 32 characters (Stata); `source` is the name in the dataset.",
             ""]
    if to == "r":
        lines += ["R: `panel <- readRDS('panel.rds')`; categories are factors; .rds keeps no variable labels, so "
                  "they are in `variables.csv`: `v <- subset(read.csv('variables.csv', fileEncoding = 'UTF-8-BOM'), "
                  "file == 'panel.rds'); labelled::var_label(panel) <- as.list(setNames(v$label, v$name))`.", ""]
    lines += ["## Value labels", "", "| variable | value | code | 中文 | English |", "|---|---|---|---|---|"]
    lines += [f"| `{k}` | {n} | `{c}` | {zh} | {en} |" for k, cats in CATEGORIES.items() for c, n, zh, en in cats]
    for table in ("panel", "cells"):
        lines += ["", f"## {table}{SUFFIX[to]}", "", "| name | source | 中文 | English |", "|---|---|---|---|"]
        lines += [f"| `{v.name}` | `{v.source}` | {v.label_zh} | {v.label_en} |" for v in variables if v.table == table]
    return "\n".join(lines) + "\n"


def export(dataset: str | Path, to: str, out: str | Path) -> list[Path]:
    """Write the panel and the wide cells of ``dataset`` in format ``to`` into folder ``out``, with
    ``codebook.md`` and ``variables.csv`` beside them; returns the files written."""
    if to not in FORMATS:
        raise ExportError(f"unknown format {to!r}; choose one of {', '.join(FORMATS)}")
    dataset, out = Path(dataset), Path(out)
    try:
        ds = load(dataset)
    except FileNotFoundError as err:
        raise ExportError(str(err)) from None
    frames, variables = tables(ds)
    out.mkdir(parents=True, exist_ok=True)
    written = [_write(name, frame, variables, to, out) for name, frame in frames.items()]
    (out / "codebook.md").write_text(codebook(variables, to, dataset.resolve()), encoding="utf-8")
    pd.DataFrame([{"file": f"{v.table}{SUFFIX[to]}", "name": v.name, "source": v.source, "label_zh": v.label_zh,
                   "label_en": v.label_en, "label": v.label} for v in variables]).to_csv(
        out / "variables.csv", index=False, encoding="utf-8-sig")
    return written + [out / "codebook.md", out / "variables.csv"]


def export_command(
    dataset: Path = typer.Argument(..., help="dataset folder written by `govreports build`"),
    to: str = typer.Option(..., "--to", help="stata (.dta) | spss (.sav) | r (.rds) | csv | parquet"),
    out: Path = typer.Option(..., "--out", help="folder for panel.*, cells.*, codebook.md and variables.csv"),
) -> None:
    """Export the dataset as a panel (one row per report, every indicator with its interval and flags)
    and the wide table of cells, for Stata, SPSS, R, CSV or Parquet, with the codebook beside them."""
    try:
        for path in export(dataset, to, out):
            typer.echo(str(path))
    except ExportError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)
