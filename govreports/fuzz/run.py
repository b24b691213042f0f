"""Run ``govreports extract`` on each fuzz input in its own process, under a time limit and a memory cap,
and sort what came out: a record, a clean one-line error, an "internal error", a traceback, a hang, a run
over the memory cap, a crash (killed by a signal)."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# What one input may take: the promise of README "Robustness".
TIME_LIMIT_S = 60.0
MEMORY_CAP_MB = 2048
# Address space granted above the cap: the interpreter, its libraries and thread stacks map far more
# than they touch (a text PDF's run peaks near 400 MB resident in 1.5 GB of mappings).
ADDRESS_SLACK_MB = 2048
OUTCOMES = ("record", "error", "internal", "traceback", "hang", "over_cap", "crash")
CLEAN = ("record", "error")                                  # what an input may end in
BAD = tuple(o for o in OUTCOMES if o not in CLEAN)           # anything else fails the run


@dataclass
class Result:
    """How one input ended, with its first error line, its time and its peak resident memory."""

    name: str
    outcome: str
    line: str
    seconds: float
    peak_mb: float


def _limit(cap_mb: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (int((cap_mb + ADDRESS_SLACK_MB) * (1 << 20)),) * 2)


def classify(code: int, stdout: str, stderr: str, peak_mb: float, cap_mb: float) -> str:
    """The outcome of one run from its exit code, its output and its peak memory."""
    if "MemoryError" in stderr or peak_mb > cap_mb:
        return "over_cap"
    if code < 0:
        return "crash"
    if "Traceback" in stderr:
        return "traceback"
    errors = [line for line in stderr.splitlines() if line.startswith("govreports: ") and "warning:" not in line]
    if any("internal error" in line for line in errors):
        return "internal"
    if code == 0 and stdout.strip():
        return "record"
    if code == 1 and len(errors) == 1:
        return "error"
    return "traceback"   # anything else: output a user cannot act on


def run_one(path: Path, time_limit: float = TIME_LIMIT_S, cap_mb: float = MEMORY_CAP_MB) -> Result:
    """``govreports extract -f jsonl path`` in a child process with the time limit and memory cap."""
    cmd = [sys.executable, "-c", "from govreports.cli import main; main()", "extract", "-f", "jsonl", str(path)]
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, open(os.devnull, "rb") as null:
        proc = subprocess.Popen(cmd, stdin=null, stdout=out, stderr=err, preexec_fn=lambda: _limit(cap_mb),
                                start_new_session=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > time_limit:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                return Result(path.name, "hang", f"no answer in {time_limit:g} s", time.monotonic() - t0, 0.0)
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds, peak = time.monotonic() - t0, usage.ru_maxrss / 1024
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    outcome = classify(proc.returncode, stdout, stderr, peak, cap_mb)
    lines = [line for line in stderr.splitlines() if line.strip()]
    line = (lines[-1] if outcome in ("traceback", "over_cap") and lines else lines[0] if lines
            else f"exit {proc.returncode}" + (", a record" if stdout.strip() else ""))
    return Result(path.name, outcome, line[:300], seconds, peak)


def summary(results: list[Result]) -> str:
    """The one summary line: inputs, records, clean errors, internal errors, tracebacks, hangs, over the cap, crashes."""
    n = {k: sum(r.outcome == k for r in results) for k in OUTCOMES}
    return (f"{len(results)} inputs: {n['record']} records, {n['error']} clean errors, {n['internal']} internal "
            f"errors, {n['traceback']} tracebacks, {n['hang']} hangs, {n['over_cap']} over the memory cap, "
            f"{n['crash']} crashes")
