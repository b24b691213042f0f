"""A process pool that survives its workers: per-task time limit, dead workers replaced.

``concurrent.futures.ProcessPoolExecutor`` breaks for good when one worker dies, and it cannot stop
a task that hangs. Here every worker is a persistent process with its own pipe; the parent watches
the pipes and the process sentinels, kills a worker whose task passes its deadline or whose memory
passes the per-file cap, records a worker that dies (segfault, out-of-memory kill) as a crash of
the file it held, and starts a fresh worker in its place. The clock starts when a task is handed to
a ready worker, so start-up imports never count against a file.
"""
from __future__ import annotations

import multiprocessing as mp
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator

from govreports.corpus.memory import POLL, MemoryWatch, over_cap_reason
from govreports.corpus.task import call, resolve

MAX_STARTUP_FAILURES = 3


@dataclass
class Outcome:
    """What became of one job: status ok / error / too_large / timeout / memory / crash, record JSON or reason."""

    key: str
    status: str
    record_json: str | None
    reason: str | None
    seconds: float


def _worker_main(conn: Connection, ref: str) -> None:
    """Worker loop: import the task, say ready, then run (key, path) jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    fn = resolve(ref)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        key, path = job
        t0 = time.perf_counter()
        status, record_json, reason = call(fn, path)
        try:
            conn.send(("done", key, status, record_json, reason, time.perf_counter() - t0))
        except (BrokenPipeError, OSError):
            return
        if status in ("crash", "memory"):
            return


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, ref: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, ref), daemon=True, name="govreports-worker")
        self.proc.start()
        child.close()
        self.memory = MemoryWatch(self.proc.pid)
        self.ready = False
        self.job: tuple[str, str] | None = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            self.proc.join(2)
            if self.proc.is_alive():
                self.proc.kill()
        self.proc.join()
        self.conn.close()


def _death(proc: mp.process.BaseProcess) -> str:
    proc.join(1)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (killed: out of memory?)" if -code == signal.SIGKILL else ""
        return f"worker process died with {name}{hint}"
    return f"worker process died (exit code {code})"


def run_pool(jobs: Iterable[tuple[str, str]], ref: str, workers: int, timeout: float,
             start_method: str = "spawn", max_memory: int | None = None) -> Iterator[Outcome]:
    """Run ``(key, path)`` jobs with the task ``ref`` on ``workers`` processes; yield outcomes as they finish.

    ``max_memory``: bytes of resident memory a worker (with its children) may use on one file; past it
    the worker is killed and the file's outcome is ``memory``. Closing the generator early stops every worker.
    """
    queue = deque(jobs)
    if not queue:
        return
    ctx = mp.get_context(start_method)
    pool = [_Worker(ctx, ref) for _ in range(max(1, min(workers, len(queue))))]
    startup_failures = 0
    try:
        while queue or any(w.job for w in pool):
            for w in pool:
                if w.ready and w.job is None and queue:
                    job = queue.popleft()
                    try:
                        w.conn.send(job)
                    except (BrokenPipeError, OSError):  # died while idle: the sentinel replaces it
                        queue.appendleft(job)
                        w.ready = False
                        continue
                    w.job, w.started = job, time.monotonic()
            busy = [w.started + timeout for w in pool if w.job]
            wait_for = max(0.0, min(busy) - time.monotonic()) if busy else None
            if busy and max_memory:
                wait_for = min(wait_for, POLL)
            ready = wait([w.conn for w in pool] + [w.proc.sentinel for w in pool], timeout=wait_for)
            now = time.monotonic()
            for i, w in enumerate(pool):
                outcome, replace = None, False
                if w.conn in ready or (w.proc.sentinel in ready and w.conn.poll()):
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                    if msg is None:
                        replace = True
                    elif msg[0] == "ready":
                        w.ready, startup_failures = True, 0
                    else:
                        _, key, status, record_json, reason, seconds = msg
                        outcome = Outcome(key, status, record_json, reason, seconds)
                        w.job = None
                        replace = status in ("crash", "memory")
                elif w.proc.sentinel in ready:
                    replace = True
                elif w.job and now >= w.started + timeout:
                    outcome = Outcome(w.job[0], "timeout", None,
                                      f"extraction took longer than the {timeout:g} s limit", now - w.started)
                    w.job = None
                    w.stop(kill=True)
                    pool[i] = _Worker(ctx, ref)
                elif w.job and max_memory and (used := w.memory.rss()) > max_memory:
                    outcome = Outcome(w.job[0], "memory", None, over_cap_reason(used, max_memory), now - w.started)
                    w.job = None
                    w.stop(kill=True)
                    pool[i] = _Worker(ctx, ref)
                if replace:
                    if w.job:  # died holding a file: that file is the crash
                        outcome = Outcome(w.job[0], "crash", None, _death(w.proc), now - w.started)
                        w.job = None
                    elif not w.ready:
                        startup_failures += 1
                        if startup_failures >= MAX_STARTUP_FAILURES:
                            raise RuntimeError(f"worker processes fail to start ({_death(w.proc)}); "
                                               f"check that task {ref} imports")
                    w.stop(kill=True)
                    pool[i] = _Worker(ctx, ref)
                if outcome is not None:
                    yield outcome
    finally:
        for w in pool:
            w.stop(kill=w.job is not None)
