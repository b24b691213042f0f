"""Generate ``codebook.md`` for a dataset from the schema: files and columns, cell codes, statuses, checks."""
from __future__ import annotations

from govreports.corpus.columns import COLUMNS
from govreports.longrun import crosswalk_markdown
from govreports.schema import load_schema

STATUSES = {
    "ok": ("a number was read", "the number"),
    "blank": ("printed empty (or &nbsp;, 无)", "0, assumed"),
    "dash": ("printed - or —", "0, assumed"),
    "slash": ("printed /", "0, assumed"),
    "text": ("non-numeric text; `raw` keeps it", "not used"),
    "uncertain": ("OCR: the image gives several readings (or a low-confidence one) and no identity confirms "
                  "any; `value` is the most confident reading, `warnings` (uncertain_cell) name every candidate",
                  "the most confident reading"),
    "recovered": ("OCR: the grid missed the cell's row; its label was found among the table's text lines and the "
                  "value read in that row's band (`warnings` say so); worth a look on the review page",
                  "the value read (a blank, dash or slash recovered: 0, assumed)"),
    "corrected": ("a reviewer read the printed value on the page (`govreports build --corrections`); `value` is "
                  "theirs, `extracted_value` what was extracted, the `corrections` table says who, when and why",
                  "the corrected value"),
    "not_in_version": ("the cell does not exist in this format version", "never 0"),
    "not_reported": ("the cell exists but this report's layout omits it", "never 0"),
}

# Warning-level checks computed outside the hard identities (format.md §6.3, §6.4, 条例 第四十九条).
SOFT_RULES = {
    "X_CARRY": "cross-year: this year's 上年结转 (t3.r2#c) = last year's 结转下年度 (t3.r4#c), per column",
    "X_T2_IN_FORCE": "cross-year (V2021): 现行有效 this year = last year's + 本年制发 − 本年废止, per row of 第二十条第（一）项",
    "X_T2_ITEMS": "cross-year (V2019): 上一年项目数量 this year = last year's + last year's 本年增/减",
    "N_*": "narrative: a figure stated in the report's text (受理/办结/结转/行政复议/行政诉讼/纠正/制发 …) compared with "
           "the table; the message quotes the sentence",
    "TIMELINESS": "publication date against the statutory deadline (31 January for departments, 31 March for the "
                  "government's own report, of the year after the report year); lhs = days late",
    "EXTRACTION": "a warning the reader or mapper raised for this report (message = the warning)",
    "DIVISION": "the publisher could not be resolved to one division code (no match, ambiguous name, or a manifest "
                "code that disagrees with the name); give `division_code` in a manifest",
}


def _cell_rows() -> list[tuple[str, str, str, str, str]]:
    """(code, table, Chinese label, English label, versions) for every printable cell code."""
    s = load_schema()
    out = []
    v21, v19 = s.t2_cells("v2021"), s.t2_cells("v2019")
    for code in dict.fromkeys(v21 + v19):
        vers = ", ".join(v for v, cells in (("v2019", v19), ("v2021", v21)) if code in cells)
        out.append((code, "t2", *s.labels_of(code), vers))
    avail = {None: "v2019, v2021", "single": "v2019; v2021 when （六） is printed as one row",
             "split": "v2021 (（六） printed as 3 sub-rows)"}
    for r in s.t3_rows:
        for c in s.t3_columns:
            code = f"{r.code}#{c}"
            out.append((code, "t3", *s.labels_of(code), avail[r.layout]))
    for code in s.t4_cells():
        out.append((code, "t4", *s.labels_of(code), "v2019, v2021"))
    return out


def codebook_markdown() -> str:
    """The codebook text (identical for every dataset built with the same schema)."""
    s = load_schema()
    lines = ["# Codebook: govreports dataset", "",
             "Built by `govreports build`; load with `govreports.load(DATASET_DIR)` (pandas DataFrames "
             "`reports`, `cells`, `checks`, `failures` and `wide`: one row per report, one column per cell code).",
             "Each table is stored as `NAME.parquet` and `NAME.csv` (UTF-8 with BOM, so Excel shows Chinese); "
             "`datapackage.json` describes the CSV tables as a Frictionless Tabular Data Package (fields, types, "
             "descriptions, keys). Each report keeps its file's full `sha256` and, where known, its `url`: cite "
             "them with the govreports version (`CITATION.cff`). `govreports export DATASET --to "
             "stata|spss|r|csv|parquet --out DIR` writes the panel for statistics packages.", "",
             "Duplicates: two files holding the same report (identical bytes, or the same publisher and year, a "
             "government counted by its division code) give one report, from the first file by name; the other "
             "is listed in `failures` with kind `duplicate` and the file it duplicates. Values given in a "
             "manifest (agency, division_code, year, published) win over extracted ones.", "",
             "Fetch archives (`govreports build ARCHIVE`, an archive written by `govreports fetch`): one report per "
             "report page, read from the page's own tables or, when it has none, from its attachment; `url`, "
             "`page_url`, `fetched_at` say where and when, and `published` comes from the page (source `page`). "
             "Edit tracking: when the archive holds several versions of a report, `cells` holds the latest and "
             "`revisions` one row per cell whose value changed between consecutive versions, plus one row (cell "
             "empty, `summary` set) per version pair whose narrative text changed. "
             "`govreports.corpus.revisions.revised_reports(ds)` lists the revised reports.", "",
             "## Files and columns", ""]
    for name, cols in COLUMNS.items():
        lines += [f"### {name}", "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{n}` | {t} | {d} |" for n, t, d in cols]
        lines.append("")
    lines += ["## Cell statuses", "", "| status | meaning | value in arithmetic |", "|---|---|---|"]
    lines += [f"| `{k}` | {m} | {a} |" for k, (m, a) in STATUSES.items()]
    lines += ["", "## Checks", "", "Hard identities (severity `error`, format.md §6.1), one row per instance:", "",
              "| rule | for each | relation | meaning |", "|---|---|---|---|"]
    for ident in s.identities:
        (var, values), = ident["for_each"].items()
        each = f"{var} in {values if isinstance(values, str) else ', '.join(values)}"
        rhs = ident["rhs"] if isinstance(ident["rhs"], list) else [f"rows with role {ident['rhs']['rows_with_role']}"]
        lines.append(f"| `{ident['id']}` | {each} | {' + '.join(ident['lhs'])} = {' + '.join(rhs)} | {ident['title']} |")
    lines += ["", "Warning-level checks:", "", "| rule | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in SOFT_RULES.items()]
    lines += ["", "## Cell codes", "",
              "Code grammar `row#col` (format.md §7). Versions: the format versions (and table-三 layouts) that print the cell.", "",
              "| code | table | label (zh) | label (en) | versions |", "|---|---|---|---|---|"]
    lines += [f"| `{c}` | {t} | {zh} | {en} | {v} |" for c, t, zh, en, v in _cell_rows()]
    lines += ["", crosswalk_markdown().rstrip("\n")]
    return "\n".join(lines) + "\n"
