"""The PDF re-read policy: when a table's first grid maps doubtfully, read its pages again with other
extractors and keep, per table, the reading that maps most cleanly (beside ocrsettle.py, which settles
single OCR'd cells the same way)."""
from __future__ import annotations

from .checks.identities import evaluate_identities
from .mapping import Mapped, expected_cells, map_tables
from .readers import RawDocument

TABLES = ("t2", "t3", "t4")
MANY_FAILURES = 5  # failed identity instances in one table that make its grid doubtful


def best_reading(doc: RawDocument, first: Mapped) -> Mapped:
    """The reading of ``doc`` to keep: for a PDF, the cleanest of the first and the re-reads; else ``first``."""
    if doc.kind == "pdf":
        return _reread(doc, first)
    return first


def _score(m: Mapped, table: str, first: Mapped | None = None) -> tuple[int, int, int]:
    """Lower is better: (missing expected cells, unreadable cells or labels holding numbers, failed
    identities) of one table. Against the ``first`` reading, a cell it saw printed but could not read
    that reads blank here is lost text, and counts as unreadable."""
    exp = expected_cells(m).get(table)
    if table not in m.found or not exp:
        return (10_000, 0, 0)
    cells = m.table_cells(table)
    missing = sum(1 for c in exp if c not in cells)
    text = sum(1 for c in cells.values() if c.status == "text") + m.suspect.get(table, 0)
    if first is not None:
        text += sum(1 for k, c in first.table_cells(table).items()
                    if c.status == "text" and c.raw and k in cells and cells[k].status == "blank")
    checks = evaluate_identities({k: (c.value, c.status) for k, c in cells.items()}, m.layout.get("t3_r3_6"))
    failed = sum(1 for c in checks if c["status"] == "fail")
    return (missing, text, failed)


def _reread(doc: RawDocument, first: Mapped) -> Mapped:
    """Check each table's grid for plausibility; when one is doubtful, read the pages again with other
    extractors and keep, per table, the reading that maps most cleanly."""
    from .readers.pdf import alternative_readings

    scores = {t: _score(first, t) for t in TABLES}
    # A misprinted number breaks a few identities (its row total and one or two column relations); a
    # grid whose text landed in the wrong cells breaks many. Few failures are taken as the report's own.
    if all(sc[:2] == (0, 0) and sc[2] < MANY_FAILURES for sc in scores.values()):
        return first
    best = {t: (scores[t], first) for t in TABLES}
    # Only the doubtful tables' pages are read again. Missing or unreadable cells suggest a misplaced
    # grid: every other extractor is tried. For many failed identities alone, the split reading and
    # pdfplumber are enough to rule out the grid.
    structural = any(sc[0] or sc[1] for sc in scores.values())
    pages = _doubtful_pages(first, scores, doc.meta.get("table_pages") or [])
    # unreadable cells (text that crossed a ruling) are best re-read on the same rulings; missing cells
    # (a grid that does not fit) by a different table finder
    split_first = any(sc[1] for sc in scores.values())
    for tables in alternative_readings(doc, pages, thorough=structural, split_first=split_first):
        alt = map_tables(tables)
        for t in TABLES:
            sc = _score(alt, t, first)
            if sc < best[t][0]:
                best[t] = (sc, alt)
        if all(b[0][:2] == (0, 0) for b in best.values()):
            break  # every table complete and readable; identities still failing are the report's own
    if all(b[1] is first for b in best.values()):
        return first
    merged = Mapped()
    for t in TABLES:
        src = best[t][1]
        if t not in src.found:
            continue
        merged.cells.update(src.table_cells(t))
        merged.found.add(t)
        merged.methods[t] = src.methods.get(t, "")
        key = "t3_r3_6" if t == "t3" else t
        if key in src.layout:
            merged.layout[key] = src.layout[key]
        merged.warnings += [w for w in src.warnings if w.startswith((t, f"table {'二三四'[TABLES.index(t)]}"))]
        if src is not first:
            merged.warnings.append(f"{t}: first grid did not map cleanly {scores[t]}; used {merged.methods[t]} "
                                   f"reading {best[t][0]} (missing, unreadable, failed identities)")
    merged.extra_rows = first.extra_rows
    return merged


def _doubtful_pages(first: Mapped, scores: dict[str, tuple[int, int, int]], table_pages: list[int]) -> list[int] | None:
    """The pages worth reading again: those of the doubtful tables' cells (and, where cells are missing,
    the pages either side); None (every table page) when a doubtful table was not found at all."""
    pages: set[int] = set()
    for t, (missing, text, failed) in scores.items():
        if (missing, text) == (0, 0) and failed < MANY_FAILURES:
            continue
        if missing >= 10_000:
            return None
        own = {c.page for c in first.table_cells(t).values() if c.page}
        pages |= own | ({p + d for p in own for d in (-1, 1)} if missing else set())
    return sorted(pages & set(table_pages)) or None
