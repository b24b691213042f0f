"""The build cache under ``OUT/.cache``: one JSON file per extracted file content, and a hash index.

Results are keyed by the file's sha256, so a renamed or copied file is not extracted again and a
changed file is. Every entry is written atomically (temp file + rename) the moment its file
finishes, so a killed build loses nothing that finished. Failures are cached too (so a file that
always times out is not retried on every run), except that a timeout is retried under a longer limit.
"""
from __future__ import annotations

import json
import os
import uuid
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..readers.util import sha256_of

CACHE_FORMAT = 3  # 2: a file holding several reports caches {"parts": [record, …]}; 3: records carry the narrative text


def library_version() -> str:
    """The installed govreports version; cached results of another version are extracted again."""
    try:
        return version("govreports")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")  # usual permissions, unlike mkstemp
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class HashIndex:
    """Remember (size, mtime_ns) → sha256 per path, so unchanged files are not hashed again."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._entries: dict[str, list] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._entries = {}
        self._dirty = False

    def sha256(self, file: Path) -> str:
        st = file.stat()
        key = str(file.resolve())
        hit = self._entries.get(key)
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return hit[2]
        sha = sha256_of(file)
        self._entries[key] = [st.st_size, st.st_mtime_ns, sha]
        self._dirty = True
        return sha

    def save(self) -> None:
        if self._dirty:
            write_atomic(self.path, json.dumps(self._entries, ensure_ascii=False))
            self._dirty = False


class ResultCache:
    """Extraction results (records or failures) by sha256, one JSON file each."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.version = library_version()

    def _file(self, sha: str) -> Path:
        return self.folder / f"{sha}.json"

    def get(self, sha: str, timeout: float, max_memory: int | None = None) -> dict[str, Any] | None:
        """The cached result for ``sha``, or None when missing, stale, or a timeout (memory cap) under a
        shorter limit (smaller cap)."""
        try:
            entry = json.loads(self._file(sha).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("format") != CACHE_FORMAT or entry.get("govreports") != self.version:
            return None
        if entry["status"] == "timeout" and entry.get("timeout", 0) < timeout:
            return None
        if entry["status"] == "too_large":  # the limits may have been raised since; rejecting again is quick
            return None
        if entry["status"] == "memory" and (max_memory is None or (entry.get("max_memory") or 0) < max_memory):
            return None
        return entry

    def put(self, sha: str, status: str, record_json: str | None, reason: str | None,
            timeout: float, seconds: float, max_memory: int | None = None) -> dict[str, Any]:
        """Store one result; ``record_json`` is the record already serialised by the worker."""
        head = {"format": CACHE_FORMAT, "govreports": self.version, "sha256": sha, "status": status,
                "reason": reason, "timeout": timeout, "seconds": round(seconds, 3), "max_memory": max_memory}
        text = json.dumps(head, ensure_ascii=False)[:-1] + f', "record": {record_json or "null"}}}'
        write_atomic(self._file(sha), text)
        return json.loads(text)
