"""Checks among pre-2019 cells: the identities of ``pre2019.yaml`` and narrative-versus-table agreement."""
from __future__ import annotations

from .cells import PreCell
from .spec import PreSpec

TOLERANCE = 1e-9  # identities among counts hold exactly


def _num(cells: dict[str, PreCell], code: str) -> float | int | None:
    c = cells.get(code)
    return c.value if c is not None and c.status == "ok" else None


def identity_checks(cells: dict[str, PreCell], spec: PreSpec) -> list[dict]:
    """Evaluate every identity: pass / fail / skipped (total or all parts unprinted), as §9 check dicts."""
    out: list[dict] = []
    for rule in spec.identities:
        base = {"rule": rule["id"], "severity": rule["severity"]}
        if rule.get("kind") == "cumulative":
            for code, c in cells.items():
                if code.endswith("#cumulative") and c.status == "ok":
                    scope = code.split("#")[0]
                    year = _num(cells, scope)
                    if year is None:
                        continue
                    ok = c.value >= year
                    out.append({**base, "scope": scope, "status": "pass" if ok else "fail",
                                "lhs": c.value, "rhs": year, "cells": [code, scope],
                                "message": f"{rule['id']}[{code}] {rule['title']}: {c.value} < {year}" if not ok
                                else f"{rule['id']}[{code}] ok"})
            continue
        lhs = _num(cells, rule["lhs"])
        # parts from the table when the total is (a sentence's 信函申请1条 beside the table's 信函、传真 row
        # is the same request, not another one)
        same = cells[rule["lhs"]].source if lhs is not None else None
        parts = {code: v for code in rule["rhs"]
                 if (v := _num(cells, code)) is not None and (same != "table" or cells[code].source == "table")}
        scope = rule["lhs"]
        if lhs is None or not parts:
            out.append({**base, "scope": scope, "status": "skipped", "lhs": lhs, "rhs": None,
                        "message": f"{rule['id']}[{scope}] skipped: total or parts not printed"})
            continue
        rhs = sum(parts.values())
        ok = lhs <= rhs + TOLERANCE if rule.get("kind") == "at_most" else abs(lhs - rhs) < TOLERANCE
        msg = (f"{rule['id']}[{scope}] {rule['title']}: {lhs} vs {rhs} ({' + '.join(parts)})" if not ok
               else f"{rule['id']}[{scope}] ok")
        out.append({**base, "scope": scope, "status": "pass" if ok else "fail", "lhs": lhs, "rhs": rhs,
                    "cells": [rule["lhs"], *parts], "message": msg})
    return out


def agreement_check(code: str, table: PreCell, narrative: PreCell) -> dict:
    """Narrative and table print the same figure (pass) or not (fail, naming both printed texts)."""
    ok = table.value == narrative.value
    msg = (f"PRE_NARRATIVE_TABLE[{code}] ok" if ok else
           f"PRE_NARRATIVE_TABLE[{code}] the table prints {table.value} ('{table.raw}') but the narrative "
           f"{narrative.value} ('{narrative.raw}'); the cell holds the table's figure")
    return {"rule": "PRE_NARRATIVE_TABLE", "severity": "error", "scope": code, "status": "pass" if ok else "fail",
            "lhs": table.value, "rhs": narrative.value, "cells": [code], "message": msg}
