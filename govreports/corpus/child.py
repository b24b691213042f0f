"""A long-lived extraction process: ``python -m govreports.corpus.child TASK_REF``.

Used where a worker cannot keep multiprocessing children (Dask workers are daemonic): the caller
starts this process once, hands it one file at a time and kills it when a file passes its time
limit; a crash here costs only the file it held. The task is imported once, so a file pays no
start-up. The caller watches its resident memory from outside (:mod:`govreports.corpus.memory`) and
kills it past the cap, as it does at the time limit.

Protocol (one JSON line each way): the process says ``["ready"]``; then for every line ``[path]`` on
stdin it answers ``[status, reason, record_json]`` on the original stdout. Library output to fd 1
goes to /dev/null so it can never corrupt the protocol. After a ``crash`` status it exits.
"""
from __future__ import annotations

import json
import os
import sys

from govreports.corpus.task import call, resolve


def _warm() -> None:
    """Import what extraction needs before saying ready, so the first file pays no imports either."""
    import importlib

    for module in ("govreports.report", "govreports.checks.narrative", "camelot", "pdfplumber"):
        try:
            importlib.import_module(module)
        except ImportError:  # a task that needs it reports the broken installation itself
            continue


def serve(ref: str) -> int:
    """Answer jobs from stdin until it closes (or a job crashes the task)."""
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    fn = resolve(ref)
    _warm()
    proto.write('["ready"]\n')
    proto.flush()
    for line in sys.stdin:
        (path,) = json.loads(line)
        status, record_json, reason = call(fn, path)
        proto.write(json.dumps([status, reason, record_json], ensure_ascii=False) + "\n")
        proto.flush()
        if status == "crash":
            return 1
    return 0


def main(argv: list[str]) -> int:
    return serve(argv[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
