"""The per-file task every executor runs, and the guard that turns its exceptions into outcomes.

A task is any importable function ``fn(path: str) -> dict`` returning a §9 record; the default is
:func:`extract_record`. Executors refer to it as ``"module:qualname"`` so it can be re-imported in
a fresh process or on a remote Dask worker.
"""
from __future__ import annotations

import importlib
import json
import math
from datetime import date, datetime
from typing import Any, Callable

from govreports.limits import TooLargeError
from govreports.readers.base import ReaderError

Task = Callable[[str], dict]


def extract_record(path: str) -> dict:
    """Read one file and return its §9 record, or ``{"parts": [record, …]}`` for a file holding several
    reports (a compilation); raises ReaderError for a file that is no report."""
    from govreports.report import read_reports

    records = [rep.to_record() for rep in read_reports(path)]
    return records[0] if len(records) == 1 else {"parts": records}


def task_ref(fn: Task) -> str:
    """``"module:qualname"`` of a task function (it must be importable, not a lambda or closure)."""
    ref = f"{fn.__module__}:{fn.__qualname__}"
    if "<" in ref or fn.__module__ == "__main__":
        raise ValueError(f"task {ref} must be a module-level function importable by worker processes")
    return ref


def resolve(ref: str) -> Task:
    module, _, name = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    if isinstance(o, (set, tuple)):
        return list(o)
    raise TypeError(f"{type(o).__name__} is not JSON serialisable")


def _finite(o: Any) -> Any:
    """NaN/inf are not JSON; a record never needs them, so they become null."""
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_finite(v) for v in o]
    return o


def call(fn: Task, path: str) -> tuple[str, str | None, str | None]:
    """Run ``fn(path)``; return (status, record as JSON or None, reason or None).

    status is ``ok``, ``error`` (ReaderError or any exception: the file's problem, named),
    ``too_large`` (TooLargeError: past a documented resource limit), ``memory`` (MemoryError: the
    worker that raised it should not be trusted further) or ``fatal`` (ImportError: the installation
    is broken, not the file; the build stops and caches nothing).
    """
    try:
        record = fn(path)
        return "ok", json.dumps(_finite(record), ensure_ascii=False, default=_default, allow_nan=False), None
    except ImportError as e:
        return "fatal", None, f"{type(e).__name__}: {e}"
    except TooLargeError as e:
        return "too_large", None, str(e)
    except ReaderError as e:
        return "error", None, str(e) or type(e).__name__
    except MemoryError:
        return "memory", None, "MemoryError: the file needed more memory than the worker had"
    except Exception as e:  # noqa: BLE001 - one bad file must never stop the batch
        return "error", None, f"{type(e).__name__}: {e}"
