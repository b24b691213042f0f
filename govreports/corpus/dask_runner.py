"""Run the per-file task on an existing dask.distributed cluster (``--scheduler tcp://host:port``).

The client reads each file and ships its bytes, so workers need no shared file system. On each
worker a plugin (:class:`WarmProcesses`) keeps one long-lived extraction process
(:mod:`govreports.corpus.child`) per worker thread, started when the plugin is registered: a file
pays no imports. A file that passes the time limit has its process killed, a file that kills its
process is recorded as a crash, and in both cases a fresh process takes the next file. The clock
starts when the file is handed to a ready process, as in the local pool. At most two files per
worker thread are in flight, so memory stays flat on large corpora.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Iterable, Iterator

from govreports.corpus.memory import POLL, MemoryWatch, over_cap_reason
from govreports.corpus.pool import Outcome
from govreports.corpus.sources import shipped_files

STARTUP_LIMIT = 300.0  # seconds a fresh extraction process may take to import


class _Dead(Exception):
    """The extraction process ended (or never became ready)."""


class _OverMemory(Exception):
    """The extraction process passed the memory cap (its resident bytes are the argument)."""


class WarmProcess:
    """One long-lived ``govreports.corpus.child`` process and its reply pipe."""

    def __init__(self, ref: str):
        args = [sys.executable, "-m", "govreports.corpus.child", ref]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.stderr: IO[bytes] = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        self.memory = MemoryWatch(self.proc.pid)
        self.buffer = b""
        self.ready = False

    def _line(self, deadline: float, max_memory: int | None = None) -> bytes:
        """The next reply line; TimeoutError past ``deadline``, _OverMemory past ``max_memory`` resident bytes
        (sampled every POLL seconds from outside), _Dead when the process ends."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if max_memory and (used := self.memory.rss()) > max_memory:
                raise _OverMemory(used)
            if select.select([fd], [], [], min(left, POLL) if max_memory else left)[0]:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise _Dead
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def wait_ready(self) -> None:
        if not self.ready:
            try:
                if json.loads(self._line(time.monotonic() + STARTUP_LIMIT)) != ["ready"]:
                    raise _Dead
            except TimeoutError:
                raise _Dead from None
            self.ready = True

    def run(self, path: str, timeout: float, max_memory: int | None = None) -> tuple[str, str | None, str | None]:
        """(status, record_json, reason) of one file; raises TimeoutError, _OverMemory or _Dead."""
        try:
            self.proc.stdin.write((json.dumps([path], ensure_ascii=False) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _Dead from None
        status, reason, record_json = json.loads(self._line(time.monotonic() + timeout, max_memory))
        return status, record_json, reason

    def death(self) -> str:
        """Why the process ended: its exit code or signal and the last line it wrote to stderr."""
        code = self.proc.wait()
        self.stderr.seek(0)
        tail = self.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        if code < 0:
            import signal

            try:
                how = signal.Signals(-code).name + (" (killed: out of memory?)" if -code == signal.SIGKILL else "")
            except ValueError:
                pass
        return f"task process died ({how}) {tail[0]}".strip()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            f.close()


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # dask is optional; without it only the local pool runs
    WorkerPlugin = object  # type: ignore[assignment,misc]


class WarmProcesses(WorkerPlugin):
    """Worker plugin: a long-lived extraction process per worker thread, replaced after a timeout or crash."""

    def __init__(self, ref: str, max_memory: int | None = None):
        self.ref, self.max_memory = ref, max_memory
        self.name = plugin_name(ref)

    def setup(self, worker) -> None:  # noqa: ANN001 - distributed.Worker
        self.lock = threading.Lock()
        self.idle = [WarmProcess(self.ref) for _ in range(max(1, worker.state.nthreads))]

    def teardown(self, worker) -> None:  # noqa: ANN001
        with self.lock:
            for p in self.idle:
                p.stop()
            self.idle = []

    def run(self, name: str, files: dict[str, bytes], timeout: float) -> tuple[str, str | None, str | None, float]:
        """Write the source's files (:func:`~govreports.corpus.sources.shipped_files`) to a temp folder and
        run the task on the source ``name`` in a warm process."""
        with self.lock:
            proc = self.idle.pop() if self.idle else WarmProcess(self.ref)
        keep = False
        with tempfile.TemporaryDirectory(prefix="govreports-") as tmp:
            for rel, data in files.items():
                _write(Path(tmp), rel, data)
            src = Path(tmp).joinpath(*_safe_parts(name))
            t0 = time.perf_counter()
            try:
                proc.wait_ready()
            except _Dead:  # not the file's fault: the installation is broken
                return "fatal", None, f"extraction process does not start: {proc.death()}", 0.0
            try:
                t0 = time.perf_counter()
                status, record_json, reason = proc.run(str(src), timeout, self.max_memory)
                keep = status != "crash"
                return status, record_json, reason, time.perf_counter() - t0
            except TimeoutError:
                return "timeout", None, f"extraction took longer than the {timeout:g} s limit", time.perf_counter() - t0
            except _OverMemory as over:
                return "memory", None, over_cap_reason(over.args[0], self.max_memory), time.perf_counter() - t0
            except _Dead:
                return "crash", None, proc.death(), time.perf_counter() - t0
            finally:
                if keep:
                    with self.lock:
                        self.idle.append(proc)
                else:  # killed at the time limit, or dead: a fresh process takes the next file
                    proc.stop()
                    with self.lock:
                        self.idle.append(WarmProcess(self.ref))


def _safe_parts(rel: str) -> list[str]:
    """The parts of a shipped relative path, kept as named (a page finds its pictures by name) but never
    leaving the folder ('..' and empty parts dropped)."""
    return [part for part in rel.split("/") if part not in ("", ".", "..")]


def _write(folder: Path, rel: str, data: bytes) -> None:
    """Write one shipped file under ``folder`` at its relative path."""
    path = folder.joinpath(*_safe_parts(rel))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def plugin_name(ref: str) -> str:
    return f"govreports-warm-{ref}"


def run_warm(ref: str, name: str, files: dict[str, bytes], timeout: float) -> tuple[str, str | None, str | None, float]:
    """The Dask task: run one file in this worker's warm processes."""
    from distributed import get_worker

    return get_worker().plugins[plugin_name(ref)].run(name, files, timeout)


def run_dask(jobs: Iterable[tuple[str, str]], address: str, ref: str, timeout: float,
             max_memory: int | None = None) -> Iterator[Outcome]:
    """Submit ``(key, path)`` jobs to the cluster at ``address``; yield outcomes as they finish.

    ``max_memory`` caps each extraction process's resident memory (bytes; the process is killed past it).
    """
    from distributed import Client, as_completed

    pending = iter(jobs)
    with Client(address) as client:
        client.register_plugin(WarmProcesses(ref, max_memory), name=plugin_name(ref))
        window = max(2, 2 * sum(client.nthreads().values()))
        keys: dict[str, str] = {}
        running = as_completed()

        def submit_next() -> None:
            job = next(pending, None)
            if job is None:
                return
            key, path = job
            fut = client.submit(run_warm, ref, *shipped_files(Path(path)), timeout, pure=False)
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
