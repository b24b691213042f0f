"""Which hard identities a set of printed cells violates, evaluated straight from ``ogi.yaml``.

This is the generator's own, independent evaluation (it shares only the schema with the
extractor's checker), so a synthetic report's expected ``failed_checks`` never comes from the
code under test. Blank, dash and slash cells (value None) count as 0, as format.md §9 says.
"""
from __future__ import annotations

from typing import Any, Mapping

from govreports.schema import Schema, load_schema

Number = int | float


def _expand(for_each: Mapping[str, Any], schema: Schema, layout: str) -> list[dict[str, str]]:
    """The instances of one identity: one dict of template variables per scope."""
    (var, values), = for_each.items()
    if values == "printed_t3_rows":
        values = schema.t3_row_codes(layout)
    return [{var: v} for v in values]


def _terms(spec: Any, env: dict[str, str], schema: Schema, layout: str) -> list[str]:
    """Cell codes of one side of an identity with its template variables filled in."""
    if isinstance(spec, dict):
        role = spec["rows_with_role"]
        col = spec["col"].format(**env)
        return [f"{r.code}#{col}" for r in schema.t3_rows if r.role == role and r.layout in (None, layout)]
    return [t.format(**env) for t in spec]


def evaluate(cells: Mapping[str, Number | None], layout: str) -> dict[str, tuple[Number, Number]]:
    """Map every hard-identity instance ``RULE[scope]`` to its (lhs, rhs) sums.

    ``layout`` is table 三's （六） layout ('single' or 'split'); it decides which rows are printed.
    Raises KeyError naming the code if a term's cell is not in ``cells`` (every term must be printed).
    """
    schema = load_schema()
    out: dict[str, tuple[Number, Number]] = {}
    for ident in schema.identities:
        for env in _expand(ident["for_each"], schema, layout):
            sides = []
            for side in ("lhs", "rhs"):
                codes = _terms(ident[side], env, schema, layout)
                sides.append(sum(cells[c] or 0 for c in codes))
            out[f"{ident['id']}[{ident['scope'].format(**env)}]"] = (sides[0], sides[1])
    return out


def failed_identities(cells: Mapping[str, Number | None], layout: str) -> set[str]:
    """The hard identities the printed cells violate, named ``RULE[scope]`` (format.md §9)."""
    return {name for name, (lhs, rhs) in evaluate(cells, layout).items() if abs(lhs - rhs) > 1e-9}
