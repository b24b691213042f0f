"""One pre-2019 figure as read: value, the printed text it came from, and where."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PreCell:
    """A canonical pre-2019 cell (``pre.granted``, ``pre.granted#cumulative``) with its provenance."""

    code: str
    value: float | int | None
    raw: str
    status: str
    source: str                  # table | narrative
    method: str
    page: int | None = None
    narrative: str | None = None  # the narrative sentence printing the same figure (provenance)

    def record(self) -> dict:
        out = {"cell": self.code, "value": self.value, "raw": self.raw, "status": self.status, "page": self.page,
               "method": self.method, "source": self.source}
        if self.narrative:
            out["narrative_raw"] = self.narrative
        return out
