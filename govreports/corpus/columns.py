"""The columns of every dataset file: name, Arrow type, meaning. One source for the writer and the codebook."""
from __future__ import annotations

import pyarrow as pa

COLUMNS: dict[str, list[tuple[str, pa.DataType, str]]] = {
    "reports": [
        ("report_id", pa.string(), "stable id: `AGENCY_YEAR` when both are known, else `sha-` + the first 12 hex digits of sha256"),
        ("file", pa.string(), "the file, relative to SOURCE (folder) or as written in the manifest"),
        ("sha256", pa.string(), "sha256 of the file's bytes"),
        ("kind", pa.string(), "input kind the reader used: pdf, html, text, docx, ocr-pdf"),
        ("pages", pa.int64(), "number of pages (PDF), else empty"),
        ("part", pa.int64(), "which report of the file this is (1, 2, …) when the file holds several (a compilation), else empty"),
        ("first_page", pa.int64(), "first page of this report in the file, for a compilation (PDF), else empty"),
        ("last_page", pa.int64(), "last page of this report in the file, for a compilation (PDF), else empty"),
        ("title", pa.string(), "title found in the page or PDF metadata"),
        ("agency", pa.string(), "publishing agency (manifest value if given, else as extracted)"),
        ("publisher", pa.string(), "one name per publisher across years, used by the analyses to group, count and label: for a government the official name of its division's government in the report's year (洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024 are both 淮安市洪泽区人民政府); for a department (or a body below the division) the most complete spelling seen for that (division, department) over the years; a department renamed between years keeps one publisher when the manifest's `publisher` column or `data/publisher_aliases.csv` says so; `agency` stays as printed"),
        ("level", pa.string(), "level of the publisher's division: province, prefecture or county"),
        ("publisher_kind", pa.string(), "government (the 人民政府 itself), department (one of its 部门, including the 人民政府办公室) or lower_government (a 乡镇, 街道 or 开发区 body below the division)"),
        ("division_code", pa.string(), "GB/T 2260 code of the publisher's division, valid in the report's year (manifest value wins)"),
        ("province", pa.string(), "province name"),
        ("prefecture", pa.string(), "prefecture name (empty for a province)"),
        ("county", pa.string(), "county-level name (empty above county level)"),
        ("year", pa.int64(), "report year (the year the statistics cover; manifest value wins)"),
        ("t2_layout", pa.string(), "table 二 format version detected: v2019 or v2021"),
        ("t3_r3_6", pa.string(), "table 三 （六）其他处理 layout: single (one row) or split (3 sub-rows)"),
        ("published", pa.date32(), "publication date when known"),
        ("published_source", pa.string(), "where `published` comes from: manifest, page (HTML metadata) or pdf_metadata (creation date, a weaker proxy)"),
        ("days_late", pa.int64(), "days after the statutory deadline (条例 第四十九条): positive late, 0 on the day, negative early; empty when the date or publisher kind is unknown"),
        ("population", pa.int64(), "2020 census resident population of the division"),
        ("n_cells", pa.int64(), "number of printed cells extracted"),
        ("n_failed_identities", pa.int64(), "hard identities (severity error) that fail"),
        ("n_warnings", pa.int64(), "failed warning-level checks: narrative, cross-year, timeliness, extraction warnings"),
        ("status", pa.string(), "ok; failed_identities (some hard identity fails); incomplete (table 二, 三 or 四 not found); "
                                    "no_figures (a pre-2019 report printing no figure, e.g. only in a missing attachment)"),
        ("url", pa.string(), "where the report was published: for a fetch archive the report page or the attachment holding the report; else the manifest's `url`, else the address a saved web page records about itself (canonical link, og:url …); empty when unknown"),
        ("page_url", pa.string(), "fetch archive: the report page"),
        ("fetched_at", pa.string(), "fetch archive: when this version of the file was first fetched (ISO 8601, UTC)"),
        ("narrative_reuse", pa.float64(), "share (0–1) of the report's narrative sentences (split at 。；！？, normalised, at least 8 characters, headings and table residue left out; see `texts`) found verbatim in the same publisher's report of the previous year; empty when the dataset has no such report or the report has no narrative"),
        ("template_share", pa.float64(), "share (0–1) of the report's narrative sentences found verbatim in another publisher's report of the same year; empty when the report has no narrative"),
        ("n_sentences", pa.int64(), "narrative sentences counted (the denominator of narrative_reuse and template_share): no headings, no table labels or rows"),
        ("n_reused_sentences", pa.int64(), "of those, found verbatim in the same publisher's report of the previous year (numerator of narrative_reuse); empty when there is no such report"),
        ("n_template_sentences", pa.int64(), "of those, found verbatim in another publisher's report of the same year (numerator of template_share)"),
    ],
    "cells": [
        ("report_id", pa.string(), "the report (reports.report_id)"),
        ("cell", pa.string(), "canonical cell code `row#col` (see the cell codes below)"),
        ("table", pa.string(), "t2, t3 or t4"),
        ("row", pa.string(), "row code"),
        ("col", pa.string(), "column code"),
        ("label_zh", pa.string(), "Chinese label: row / column"),
        ("label_en", pa.string(), "English label: row / column"),
        ("value", pa.float64(), "parsed number; empty for blank, dash, slash or text cells (see status)"),
        ("raw", pa.string(), "the text as printed"),
        ("status", pa.string(), "cell status (see below)"),
        ("page", pa.int64(), "page the cell was read from (PDF), else empty"),
        ("method", pa.string(), "reader method that produced the table (e.g. camelot-lattice-vector, html, text, ocr)"),
        ("confidence", pa.float64(), "OCR confidence 0–1, empty when not OCR"),
        ("source", pa.string(), "where the figure was printed: table, or narrative (a pre-2019 report's sentence)"),
        ("extracted_value", pa.float64(), "the value as extracted; differs from `value` only for a cell of status "
                                          "`corrected` (see the `corrections` table)"),
        ("bbox", pa.string(), "OCR only: the cell's box `x0 y0 x1 y1` in pixels of the page image the recogniser read "
                              "(the page straightened at 180 dpi); `govreports review` crops around it"),
    ],
    "checks": [
        ("report_id", pa.string(), "the report the check belongs to (for cross-year checks: the later year)"),
        ("rule", pa.string(), "check id (identities, narrative, cross-year, TIMELINESS, EXTRACTION; see below)"),
        ("scope", pa.string(), "the instance: column, row code, block, or cell row"),
        ("severity", pa.string(), "error (hard identity) or warning"),
        ("status", pa.string(), "pass, fail or skipped (inputs missing)"),
        ("lhs", pa.float64(), "left-hand side value (TIMELINESS: days late)"),
        ("rhs", pa.float64(), "right-hand side value (TIMELINESS: 0)"),
        ("message", pa.string(), "readable explanation; narrative checks quote the sentence"),
        ("cells", pa.string(), "cell codes involved, space-separated"),
    ],
    "failures": [
        ("file", pa.string(), "the file, as in reports.file"),
        ("sha256", pa.string(), "sha256 of the file's bytes"),
        ("kind", pa.string(), "error (unreadable / no tables), too_large (past a reader limit, see the README's "
                              "Bad input), timeout, memory (past --max-memory), crash (worker died), duplicate (same "
                              "report as another file)"),
        ("reason", pa.string(), "what went wrong, or which file it duplicates"),
    ],
    "revisions": [
        ("report_id", pa.string(), "the report (reports.report_id of its latest version)"),
        ("page_url", pa.string(), "the report page whose versions are compared"),
        ("cell", pa.string(), "cell code whose value changed; empty for a change of the narrative text"),
        ("old_value", pa.string(), "the value in the older version (the number, else the printed text, else (status); empty: not printed)"),
        ("new_value", pa.string(), "the value in the newer version (same convention)"),
        ("old_fetched_at", pa.string(), "when the older version was first fetched"),
        ("new_fetched_at", pa.string(), "when the newer version was first fetched"),
        ("old_sha256", pa.string(), "sha256 of the older version's file"),
        ("new_sha256", pa.string(), "sha256 of the newer version's file"),
        ("summary", pa.string(), "for a narrative change: lines removed and added, with the first of each"),
    ],
    "texts": [
        ("report_id", pa.string(), "the report (reports.report_id)"),
        ("section", pa.string(), "the narrative section's heading as printed (一、总体情况 …); empty for text before the first heading"),
        ("text", pa.string(), "the section's running text without table rows, lines joined"),
    ],
    "longrun": [
        ("report_id", pa.string(), "the report (reports.report_id)"),
        ("publisher", pa.string(), "the report's publisher (reports.publisher; the agency, else the report_id, when empty)"),
        ("year", pa.int64(), "report year"),
        ("era", pa.string(), "format era told from the report's content: pre2019 (2008–2018, no national table), v2019 or v2021; empty when unknown"),
        ("indicator", pa.string(), "long-run indicator (see the long-run crosswalk below)"),
        ("unit", pa.string(), "unit of the value (件, 条, 万元)"),
        ("value", pa.float64(), "sum of the era's source cells as printed; empty when none is printed (missing), the era has no such cell (not_in_era) or a cell is not a number"),
        ("comparability", pa.string(), "grade of this era's source against today's definition: same, close or not_comparable"),
        ("status", pa.string(), "ok, missing, not_in_era, unreadable or unknown_era"),
        ("flags", pa.string(), "assumed_zero (a source cell printed blank, - or /), partial (some of several source cells not printed); ;-separated"),
        ("sources", pa.string(), "the cell codes summed, space-separated"),
        ("raw", pa.string(), "the source cells' printed text (a table row, or the sentence for a narrative figure), | between cells"),
    ],
    "corrections": [
        ("report_id", pa.string(), "the report corrected (reports.report_id)"),
        ("cell", pa.string(), "the cell corrected"),
        ("value", pa.float64(), "the value a reviewer read on the page (now in cells.value, status `corrected`)"),
        ("extracted_value", pa.float64(), "the value it replaced, as extracted (empty: none was read)"),
        ("extracted_raw", pa.string(), "the text the extractor read"),
        ("extracted_status", pa.string(), "the cell's status before the correction (ok, uncertain, blank, text …)"),
        ("reason", pa.string(), "why, as the reviewer wrote it"),
        ("reviewer", pa.string(), "who read the page"),
        ("date", pa.string(), "when, as written in the corrections file"),
        ("file", pa.string(), "the report's file, as in reports.file"),
        ("sha256", pa.string(), "sha256 of the report's file (the bytes the reviewer looked at)"),
        ("corrections_sha256", pa.string(), "sha256 of the corrections file applied"),
    ],
}


def schema_of(name: str) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t, _ in COLUMNS[name]])


def names_of(name: str) -> list[str]:
    return [n for n, _, _ in COLUMNS[name]]
