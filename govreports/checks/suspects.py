"""Name the cells most likely misread (OCR) or misprinted, from where failed identities cross.

Table 三 is redundant (format.md §6.1): every cell sits in one row identity (T3_ROW_TOTAL) and in
one or two column identities (T3_BALANCE, T3_RESULTS_SUM). A single wrong cell breaks its row and
its column, so a cell where a failed row identity crosses a failed column identity is the likely
culprit ("likely misread"; "likely misprint or misread" when it was read with high confidence).
Table 四's block totals have no crossing; there the block's least confident cell is named when it
was read with low confidence. Values are never changed here: the output is warnings only.
"""
from __future__ import annotations

ROW_RULES = ("T3_ROW_TOTAL",)
COLUMN_RULES = ("T3_BALANCE", "T3_RESULTS_SUM")
BLOCK_RULES = ("T4_BLOCK_TOTAL",)
LOW_CONFIDENCE = 0.8


def check_cells(check: dict, values: dict[str, float | None]) -> list[str]:
    """The cell codes an identity instance adds up: its ``cells`` list, or derived from rule and scope."""
    if check.get("cells"):
        return list(check["cells"])
    rule, scope = check["rule"], check["scope"]
    if rule == "T3_ROW_TOTAL":
        return [f"{scope}#c{i}" for i in range(1, 8)]
    if rule == "T4_BLOCK_TOTAL":
        return [f"t4.{scope}#c{i}" for i in range(1, 6)]
    if rule == "T3_BALANCE":
        return [f"t3.{r}#{scope}" for r in ("r1", "r2", "r3.7", "r4")]
    if rule == "T3_RESULTS_SUM":
        return [k for k in values if k.startswith("t3.r3.") and k.endswith(f"#{scope}")]
    return []


def _describe(code: str, values: dict[str, float | None], confidences: dict[str, float],
              details: dict[str, tuple[int | None, str]] | None) -> str:
    parts = []
    if details and code in details:
        page, raw = details[code]
        if page is not None:
            parts.append(f"page {page}")
        parts.append(f"read {raw!r}")
    else:
        v = values.get(code)
        parts.append(f"value {v:g}" if isinstance(v, (int, float)) else f"value {v}")
    if code in confidences:
        parts.append(f"conf {confidences[code]:.2f}")
    return f"{code} ({', '.join(parts)})"


def likely_misreads(values: dict[str, float | None], failed_checks: list[dict], confidences: dict[str, float],
                    details: dict[str, tuple[int | None, str]] | None = None) -> list[str]:
    """One warning per cell that likely holds a misread (or misprinted) number.

    ``values`` maps cell codes to numbers, ``failed_checks`` are §9 check dicts with status 'fail'
    (others are ignored), ``confidences`` the OCR confidence per code (may be empty for text
    sources), ``details`` optionally code -> (page, raw text) for the message.
    """
    failed = [c for c in failed_checks if c.get("status", "fail") == "fail"]
    rows: dict[str, list[str]] = {}
    cols: dict[str, list[str]] = {}
    for check in failed:
        name = f"{check['rule']}[{check['scope']}]"
        target = rows if check["rule"] in ROW_RULES else cols if check["rule"] in COLUMN_RULES else None
        if target is None:
            continue
        for code in check_cells(check, values):
            target.setdefault(code, []).append(name)
    out = []
    for code in sorted(set(rows) & set(cols), key=_order):
        sure = confidences.get(code, 1.0) >= LOW_CONFIDENCE
        out.append(f"{_describe(code, values, confidences, details)} breaks {' and '.join(rows[code] + cols[code])}: "
                   + ("likely misprint or misread" if sure else "likely misread"))
    for check in failed:
        if check["rule"] not in BLOCK_RULES:
            continue
        cells = [c for c in check_cells(check, values) if c in confidences]
        if not cells:
            continue
        worst = min(cells, key=lambda c: (confidences[c], _order(c)))
        if confidences[worst] < LOW_CONFIDENCE:  # all read confidently: a misprint, the check says enough
            out.append(f"{_describe(worst, values, confidences, details)} has the lowest OCR confidence in "
                       f"{check['rule']}[{check['scope']}], which fails: likely misread")
    return out


def low_confidence(values: dict[str, float | None], confidences: dict[str, float],
                   details: dict[str, tuple[int | None, str]] | None = None,
                   threshold: float = LOW_CONFIDENCE) -> list[str]:
    """One warning per cell whose OCR confidence is below ``threshold``, by cell code."""
    return [f"{_describe(code, values, confidences, details)}: low OCR confidence"
            for code in sorted(confidences, key=_order) if confidences[code] < threshold]


def _order(code: str) -> tuple:
    """Sort cell codes in print order: table, row numbers, column."""
    row, _, col = code.partition("#")
    nums = tuple(int(p) if p.isdigit() else 0 for p in row.replace("t", "").replace("r", "").replace("b", "").split("."))
    return (row[:2], nums, int(col[1:]) if col[1:].isdigit() else 0, col)
