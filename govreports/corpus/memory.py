"""The per-file memory cap of ``govreports build``: a process's resident memory, watched from outside.

The parent of an extraction process samples the resident set (RSS) of the process and its children
every :data:`POLL` seconds and kills it past the cap. Watching from outside works whatever the
extraction is doing (a C library holding the GIL, a child process), unlike an in-process watchdog;
an address-space rlimit is no use here because pdfium and onnxruntime reserve gigabytes they
never touch.
"""
from __future__ import annotations

import re
import time

import psutil

from govreports.limits import GOVREPORTS_MAX_MEMORY_MB, MB

POLL = 0.1            # seconds between samples of a busy process
CHILDREN_EVERY = 1.0  # seconds between looks for new child processes (the costly part of a sample)
DEFAULT_MAX_MEMORY = int(GOVREPORTS_MAX_MEMORY_MB * MB)


def parse_size(text: str) -> int | None:
    """Bytes from '2G', '1500M', '512MB', '3.5GB' or a bare number of MB; None for 'none', 'off' or '0'."""
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    if t in ("NONE", "OFF", "0", ""):
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)", t)
    if not m:
        raise ValueError(f"not a memory size: {text!r} (use e.g. 2G or 1500M)")
    return int(float(m.group(1)) * {"K": 1 << 10, "": MB, "M": MB, "G": 1 << 30, "T": 1 << 40}[m.group(2)])


def describe(size: int) -> str:
    """'2 GB' or '1500 MB'."""
    return f"{size / (1 << 30):g} GB" if size % (1 << 30) == 0 else f"{size / MB:,.0f} MB"


class MemoryWatch:
    """Resident memory of one process plus its children (children re-listed at most once a second)."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.children: list[psutil.Process] = []
        self.listed = 0.0

    def rss(self) -> int:
        """Bytes resident now (0 when the process is gone)."""
        now = time.monotonic()
        try:
            if now - self.listed >= CHILDREN_EVERY:
                self.children, self.listed = self.proc.children(recursive=True), now
            total = self.proc.memory_info().rss
        except psutil.Error:
            return 0
        for c in self.children:
            try:
                total += c.memory_info().rss
            except psutil.Error:
                continue
        return total


def over_cap_reason(used: int, cap: int) -> str:
    """The ``failures`` reason of a file killed at the memory cap."""
    return f"extraction used {used / MB:,.0f} MB of memory, over the {describe(cap)} limit per file (--max-memory)"
