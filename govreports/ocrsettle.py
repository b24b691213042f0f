"""Settle doubtful OCR'd cells with a second look: the identities point at a cell, the image decides.

A cell is in doubt when the recogniser was unsure (low confidence, readings that disagree), when it
sits in a failed identity, or when no identity covers it (table 二). Such cells are read again from
the image in other ways (other margins, binarised, bolder strokes, another scale). A reading replaces
the first one only when a re-read actually produced it and it makes the failed identities it is in
hold without breaking another. A cell whose readings still disagree, or whose low confidence no
identity confirms, gets status ``uncertain`` and a warning naming it with every candidate reading.
No number is ever derived from the identities: they only choose among what the image shows.
"""
from __future__ import annotations

import re

from .checks.identities import evaluate_identities
from .checks.suspects import check_cells
from .mapping import Cell, Mapped
from .numbers import parse_number
from .readers.base import RawTable
from .schema import load_schema

LOW_CONFIDENCE = 0.8
UNCERTAIN = "uncertain"
MAX_ROUNDS = 5      # rounds of re-reading choices (one fix can make another cell's reading decisive)


Where = tuple[RawTable, int, int]


def _index(tables: list[RawTable]) -> dict[tuple, list[Where]]:
    """Grid positions of the OCR'd cells by (page, text, confidence)."""
    index: dict[tuple, list[Where]] = {}
    for t in tables:
        if t.confidence is None:
            continue
        for i, (row, conf) in enumerate(zip(t.rows, t.confidence)):
            for j, (text, c) in enumerate(zip(row, conf)):
                if text is not None and c is not None:
                    index.setdefault((t.page_of(i), text.strip(), c), []).append((t, i, j))
    return index


def locate(tables: list[RawTable], cells: dict[str, Cell]) -> dict[str, Where]:
    """The grid position each OCR'd cell was read from, matched by page, text and confidence."""
    index = _index(tables)
    out = {}
    for code, cell in cells.items():
        hits = index.get((cell.page, cell.raw, cell.confidence), [])
        if len(hits) == 1:
            out[code] = hits[0]
    return out


def locate_all(tables: list[RawTable], cells: dict[str, Cell]) -> dict[str, Where]:
    """``locate``, then the cells whose text and confidence recur (many a '0'), placed by the grid: a
    canonical row lies in one grid row, so cells between two located ones of their row take the
    positions between them (when the counts agree), those before or after them the positions next to
    them, and a row with none located takes the grid row next to a neighbour row's, each cell under
    its column's located cell. A position is kept only where the grid shows that very text and confidence."""
    out = locate(tables, cells)
    used = {(id(t), i, j) for t, i, j in out.values()}

    def take(code: str, t: RawTable, i: int, j: int) -> bool:
        cell = cells[code]
        ok = (0 <= i < len(t.rows) and 0 <= j < len(t.rows[i]) and (id(t), i, j) not in used
              and t.rows[i][j] is not None and t.rows[i][j].strip() == cell.raw and t.confidence is not None
              and t.confidence[i][j] == cell.confidence and t.page_of(i) == cell.page)
        if ok:
            out[code] = (t, i, j)
            used.add((id(t), i, j))
        return ok

    rows: dict[str, list[str]] = {}
    for code in cells:
        rows.setdefault(code.split("#")[0], []).append(code)
    for codes in rows.values():
        placed = [out[c] for c in codes if c in out]
        if not placed or len({(id(t), i) for t, i, _ in placed}) != 1:
            continue
        t, i, _ = placed[0]
        run: list[str] = []
        last: int | None = None
        for code in codes + [None]:  # type: ignore[list-item]
            if code is not None and code not in out:
                run.append(code)
                continue
            end = out[code][2] if code is not None else None
            if run and last is not None and end is not None:
                free = [j for j in range(last + 1, end) if t.rows[i][j] is not None]
                if len(free) == len(run):
                    for c, j in zip(run, free):
                        take(c, t, i, j)
            elif run and last is not None:      # after the row's last located cell: the next positions
                free = [j for j in range(last + 1, len(t.rows[i])) if t.rows[i][j] is not None]
                for c, j in zip(run, free):
                    take(c, t, i, j)
            elif run and end is not None:       # before its first: the positions just left of it
                free = [j for j in range(end) if t.rows[i][j] is not None][-len(run):]
                if len(free) == len(run):
                    for c, j in zip(run, free):
                        take(c, t, i, j)
            run, last = [], end
    names = list(rows)
    for k, row in enumerate(names):
        if any(c in out for c in rows[row]):
            continue
        # the grid row below the row before it, or above the row after it (a page break may lie between)
        for n, step in ((k - 1, 1), (k + 1, -1)):
            near = [c for c in rows[names[n]] if c in out] if 0 <= n < len(names) else []
            if not near or len({(id(out[c][0]), out[c][1]) for c in near}) != 1:
                continue
            t, i, _ = out[near[0]]
            columns = {c.split("#")[1]: out[c][2] for c in near}
            hits = [take(code, t, i + step, columns[code.split("#")[1]]) for code in rows[row]
                    if code.split("#")[1] in columns]
            if any(hits):
                break
    return out


def cell_boxes(tables: list[RawTable], cells: dict[str, Cell]) -> dict[str, list[int]]:
    """Each OCR'd cell's box on the page image it was read from (``RawTable.boxes``), by cell code."""
    ocr = {k: c for k, c in cells.items() if c.confidence is not None}
    return {code: list(t.boxes[i, j]) for code, (t, i, j) in locate_all(tables, ocr).items()
            if t.boxes and (i, j) in t.boxes}


def _alternatives(where: dict[str, Where], code: str) -> list[str]:
    """The other readings the reader kept for a located cell when it first read it."""
    if code not in where:
        return []
    t, i, j = where[code]
    return (t.alternatives or {}).get((i, j), [])


def _reread(codes: list[str], where: dict[str, Where]) -> dict[str, list[str]]:
    """Texts of the cells read again in the reader's other ways, batched per table."""
    by_table: dict[int, list[str]] = {}
    for code in codes:
        if code in where and where[code][0].reread is not None:
            by_table.setdefault(id(where[code][0]), []).append(code)
    out: dict[str, list[str]] = {}
    for group in by_table.values():
        table = where[group[0]][0]
        reads = table.reread([(where[c][1], where[c][2]) for c in group])  # type: ignore[misc]
        for code, got in zip(group, reads):
            out[code] = [t for t, _ in got if t]
    return out


def _value(code: str, text: str) -> float | int | None:
    p = parse_number(text, load_schema().number_kind(code))
    return p.value if p.status == "ok" else None


def _failures(mapped: Mapped, override: dict[str, float | int] | None = None) -> tuple[set[str], list[dict]]:
    cells = {k: (c.value, "ok" if c.status == UNCERTAIN else c.status) for k, c in mapped.cells.items()}
    for k, v in (override or {}).items():
        cells[k] = (v, "ok")
    checks = evaluate_identities(cells, mapped.layout.get("t3_r3_6"))
    values = {k: v for k, (v, _) in cells.items()}
    return {f"{c['rule']}[{c['scope']}]" for c in checks if c["status"] == "fail"}, \
        [dict(c, cells=check_cells(c, values)) for c in checks if c["status"] in ("pass", "fail")]


_POINT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _comma(code: str, raw: str) -> str | None:
    """'3,908' for a count read '3.908' (OCR takes a thousands comma for a point; no count has decimals)."""
    if load_schema().number_kind(code) != "count" or not _POINT_GROUPED.match(raw.strip()):
        return None
    return raw.strip().replace(".", ",")


def _mend_text(tables: list[RawTable], mapped: Mapped) -> list[str]:
    """OCR'd cells that read as no number ('e' for a blurred 0, '1 509', '3.908' for a count): read again; a
    reading is kept when it is the only one that makes every identity the cell is in hold (changed in
    place). A table 二 count read with a point between groups of three digits keeps those digits as
    ``uncertain`` (no identity covers it). The others stay ``text``, which no identity uses. Returns the
    warnings."""
    text = {k: c for k, c in mapped.cells.items() if c.confidence is not None and c.status == "text"}
    warnings = []
    for k, cell in list(text.items()):
        grouped = _comma(k, cell.raw)
        if k.startswith("t2.") and grouped is not None:   # no identity can confirm it: kept, uncertain
            mapped.cells[k] = Cell(k, _value(k, grouped), cell.raw, UNCERTAIN, cell.page, cell.method, cell.confidence)
            warnings.append(f"uncertain_cell: {k} (page {cell.page}) read {cell.raw!r}, a count: taken as {grouped!r} "
                            "(a thousands comma read as a point?); no identity covers it")
        if k.startswith("t2."):
            del text[k]
    if not text:
        return warnings
    where = locate(tables, text)
    again = _reread(list(text), where)
    # Counts read with points for commas come in numbers: each is tried with the others' comma readings in.
    joint = {c: _value(c, g) for c, x in text.items() if (g := _comma(c, x.raw)) is not None}
    for k, cell in text.items():
        options: dict[float | int, str] = {}
        first = _alternatives(where, k)
        grouped = _comma(k, cell.raw)
        base = {c: (x.value, "ok" if x.status == UNCERTAIN else x.status) for c, x in mapped.cells.items()}
        base.update({c: (x, "ok") for c, x in joint.items()})
        for reading in first + again.get(k, []) + ([grouped] if grouped else []):
            v = _value(k, reading.strip())
            if v is None or v in options:
                continue
            cells = {**base, k: (v, "ok")}
            values = {c: x for c, (x, _) in cells.items()}
            mine = [c for c in evaluate_identities(cells, mapped.layout.get("t3_r3_6")) if k in check_cells(c, values)]
            if mine and all(c["status"] == "pass" for c in mine):
                options[v] = reading.strip()
        if len(options) == 1:
            (v, reading), = options.items()
            mapped.cells[k] = Cell(k, v, reading, "ok", cell.page, cell.method, cell.confidence)
            warnings.append(f"ocr_reread: {k} (page {cell.page}) first read {cell.raw!r}, re-read as {reading!r}, "
                            "which makes every identity it is in hold")
    return warnings


def settle(tables: list[RawTable], mapped: Mapped) -> list[str]:
    """Re-read doubtful OCR'd cells of ``mapped`` (changed in place); return the warnings."""
    warnings = _mend_text(tables, mapped)
    ocr = {k: c for k, c in mapped.cells.items() if c.confidence is not None and c.status == "ok"}
    if not ocr:
        return warnings
    where = locate(tables, ocr)
    failed, checks = _failures(mapped)
    in_checks: dict[str, list[dict]] = {}
    for c in checks:
        for code in c["cells"]:
            in_checks.setdefault(code, []).append(c)
    failing = {code for c in checks if c["status"] == "fail" for code in c["cells"]}
    doubtful = [k for k, c in ocr.items()
                if c.confidence < LOW_CONFIDENCE or k in failing or k not in in_checks
                or (k in where and where[k][0].alternatives and (where[k][1], where[k][2]) in where[k][0].alternatives)]
    again = _reread(doubtful, where)
    readings: dict[str, list[str]] = {}
    for k in doubtful:
        texts = [ocr[k].raw] + _alternatives(where, k) + again.get(k, [])
        readings[k] = list(dict.fromkeys(x.strip() for x in texts if x.strip()))
    # A failed identity: keep another reading of one of its cells when it makes every identity hold
    # that the cell is in and breaks none that held, and no other cell's reading could do the same.
    for _ in range(MAX_ROUNDS):
        if not failed:
            break
        fixes: dict[str, tuple[float | int, str, set[str]]] = {}
        for k in sorted(failing & set(readings)):
            options = {}
            for text in readings[k][1:]:
                v = _value(k, text)
                if v is None or v == mapped.cells[k].value:
                    continue
                now, _ = _failures(mapped, {k: v})
                if now < failed and not any(f"{c['rule']}[{c['scope']}]" in now for c in in_checks.get(k, [])):
                    options[v] = (text, failed - now)
            if len(options) == 1:
                v, (text, mended) = next(iter(options.items()))
                fixes[k] = (v, text, mended)
        unique = [k for k, (_, _, mended) in fixes.items()
                  if not any(mended & other for o, (_, _, other) in fixes.items() if o != k)]
        if not unique:
            break
        for k in unique:
            v, text, mended = fixes[k]
            old = mapped.cells[k]
            mapped.cells[k] = Cell(k, v, text, "ok", old.page, old.method, old.confidence)
            warnings.append(f"ocr_reread: {k} (page {old.page}) first read {old.raw!r}, re-read as {text!r}, "
                            f"which makes {', '.join(sorted(mended))} hold")
        failed, checks = _failures(mapped)
        failing = {code for c in checks if c["status"] == "fail" for code in c["cells"]}
        in_checks = {}
        for c in checks:
            for code in c["cells"]:
                in_checks.setdefault(code, []).append(c)
    for k in sorted(readings):
        cell = mapped.cells[k]
        values = {_value(k, t) for t in readings[k]} - {None}
        confirmed = k in in_checks and all(c["status"] == "pass" for c in in_checks[k])
        if confirmed or (len(values) <= 1 and cell.confidence >= LOW_CONFIDENCE):
            continue
        mapped.cells[k] = Cell(k, cell.value, cell.raw, UNCERTAIN, cell.page, cell.method, cell.confidence)
        others = [repr(t) for t in readings[k] if t != cell.raw]
        why = f"other readings {', '.join(others)}" if others else f"confidence {cell.confidence:.2f}"
        why += "; its identities fail" if k in failing else "" if k in in_checks else "; no identity covers it"
        warnings.append(f"uncertain_cell: {k} (page {cell.page}) read {cell.raw!r}; {why}")
    for c in checks:
        if c["status"] == "fail":
            sure = [k for k in c["cells"] if k in ocr and mapped.cells[k].status == "ok"]
            if sure:
                warnings.append(f"ocr_unsettled: {c['rule']}[{c['scope']}] fails and re-reading its OCR'd cells "
                                f"gives no reading that holds: {', '.join(f'{k}={mapped.cells[k].raw}' for k in sure)} "
                                "(a misprint, or a misread no re-read shows)")
    return warnings
