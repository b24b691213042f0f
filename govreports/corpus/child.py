"""Run one task in a fresh process: ``python -m govreports.corpus.child TASK_REF PATH RESULT``.

Used where a worker cannot keep its own child processes (Dask workers are daemonic): the caller
enforces the time limit by killing this process, and a crash here only ends this process.
RESULT receives one line ``[status, reason]`` followed by the record JSON (or nothing).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from govreports.corpus.task import call, resolve


def main(argv: list[str]) -> int:
    ref, path, result = argv
    status, record_json, reason = call(resolve(ref), path)
    Path(result).write_text(json.dumps([status, reason], ensure_ascii=False) + "\n" + (record_json or ""),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
