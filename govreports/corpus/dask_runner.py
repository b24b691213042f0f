"""Run the per-file task on an existing dask.distributed cluster (``--scheduler tcp://host:port``).

The client reads each file and ships its bytes, so workers need no shared file system. On the
worker the task runs in a fresh child process (:mod:`govreports.corpus.child`) that is killed at the
time limit; a worker that dies is replaced by Dask's nanny and the file is recorded as a crash.
In this mode the time limit includes the child's start-up (about a second of imports).
At most two files per worker thread are in flight, so memory stays flat on large corpora.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

from govreports.corpus.memory import POLL, MemoryWatch, over_cap_reason
from govreports.corpus.pool import Outcome


def run_isolated(ref: str, name: str, data: bytes, timeout: float,
                 max_memory: int | None = None) -> tuple[str, str | None, str | None, float]:
    """On a worker: write the file to a temp folder and run the task on it in a child process (killed past
    ``timeout`` seconds or ``max_memory`` bytes)."""
    safe = re.sub(r"[^\w.\-]", "_", name)[-120:] or "report"
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="govreports-") as tmp:
        src, result = Path(tmp) / safe, Path(tmp) / "result.out"
        src.write_bytes(data)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        with subprocess.Popen([sys.executable, "-m", "govreports.corpus.child", ref, str(src), str(result)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
            killed, why, stderr = watch_child(proc, timeout, max_memory)
        seconds = time.perf_counter() - t0
        if killed:
            return killed, None, why, seconds
        if not result.exists():
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            return "crash", None, f"task process died (exit code {proc.returncode}) {tail[0]}".strip(), seconds
        head, _, record_json = result.read_text(encoding="utf-8").partition("\n")
        status, reason = json.loads(head)
        return status, record_json or None, reason, seconds


def watch_child(proc: subprocess.Popen, timeout: float, max_memory: int | None) -> tuple[str | None, str | None, bytes]:
    """Wait for ``proc``, killing it past ``timeout`` seconds or ``max_memory`` bytes: (status, reason, stderr),
    status None when it ended by itself."""
    memory, deadline = MemoryWatch(proc.pid), time.monotonic() + timeout
    while True:
        try:
            return None, None, proc.communicate(timeout=POLL)[1]
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() >= deadline:
            status, reason = "timeout", f"extraction took longer than the {timeout:g} s limit"
        elif max_memory and (used := memory.rss()) > max_memory:
            status, reason = "memory", over_cap_reason(used, max_memory)
        else:
            continue
        proc.kill()
        return status, reason, proc.communicate()[1]


def run_dask(jobs: Iterable[tuple[str, str]], address: str, ref: str, timeout: float,
             max_memory: int | None = None) -> Iterator[Outcome]:
    """Submit ``(key, path)`` jobs to the cluster at ``address``; yield outcomes as they finish."""
    from distributed import Client, as_completed

    pending = iter(jobs)
    with Client(address) as client:
        window = max(2, 2 * sum(client.nthreads().values()))
        keys: dict[str, str] = {}
        running = as_completed()

        def submit_next() -> None:
            job = next(pending, None)
            if job is None:
                return
            key, path = job
            fut = client.submit(run_isolated, ref, Path(path).name, Path(path).read_bytes(), timeout, max_memory,
                                pure=False)
            keys[fut.key] = key
            running.add(fut)

        for _ in range(window):
            submit_next()
        for fut in running:
            key = keys.pop(fut.key)
            try:
                status, record_json, reason, seconds = fut.result()
            except Exception as e:  # noqa: BLE001 - KilledWorker and the like: the file is the crash
                status, record_json, reason, seconds = "crash", None, f"{type(e).__name__}: {e}", 0.0
            fut.release()
            yield Outcome(key, status, record_json, reason, seconds)
            submit_next()
