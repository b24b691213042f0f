"""Test-only per-file tasks for the build pool: a worker that segfaults, one that runs out of memory.

Importable by worker processes (tests/ is on their sys.path); never used by the library.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

from govreports.corpus.task import extract_record


def crash_or_extract(path: str) -> dict:
    """Kill the worker with SIGSEGV for files named *segfault*, raise MemoryError for *oom*, else extract."""
    name = Path(path).name
    if "segfault" in name:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "oom" in name:
        raise MemoryError
    return extract_record(path)


def hog_or_extract(path: str) -> dict:
    """Allocate memory without end (100 MB a step, each page touched) for files named *hog*, else extract."""
    if "hog" in Path(path).name:
        held = []
        while True:
            held.append(bytearray(100 << 20))
    return extract_record(path)


def hang_crash_or_extract(path: str) -> dict:
    """Sleep far past any test's time limit for files named *hang*, segfault for *segfault*, else extract."""
    name = Path(path).name
    if "hang" in name:
        import time

        time.sleep(600)
    return crash_or_extract(path)


def misread_or_extract(path: str) -> dict:
    """For files named *misread*: the recogniser's first reading of the one cell printed '4529' says
    '4528', as a misread would (the image is untouched, so re-reads still see 4529); else extract."""
    if "misread" not in Path(path).name:
        return extract_record(path)
    from govreports.readers import read_raw
    from govreports.report import build_report

    doc = read_raw(path)
    (t, i, j), = [(t, i, j) for t in doc.tables for i, row in enumerate(t.rows) for j, c in enumerate(row) if c == "4529"]
    t.rows[i][j] = "4528"
    return build_report(doc).to_record()


def lost_row_or_extract(path: str) -> dict:
    """For files named *lostrow*: the grid loses table 三's （七）总计 row before mapping, as a grid that
    misses a ruling would (the page is untouched); else extract."""
    if "lostrow" not in Path(path).name:
        return extract_record(path)
    from govreports.readers import read_raw
    from govreports.report import build_report

    doc = read_raw(path)
    for t in doc.tables:
        t.rows = [r for r in t.rows if not any(c and "总计" in c and "七" in c for c in r)]
    return build_report(doc).to_record()
