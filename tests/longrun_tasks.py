"""Test-only build task: a file holding one hand-copied report record (JSON) is that record.

Lets ``govreports build`` assemble the long-run fixture (tests/data/longrun) through its real path;
importable by worker processes (tests/ is on their sys.path); never used by the library.
"""
from __future__ import annotations

import json
from pathlib import Path


def record_from_json(path: str) -> dict:
    """The record stored in ``path`` (UTF-8 JSON)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
