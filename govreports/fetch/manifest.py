"""``ARCHIVE/manifest.csv``: one row per fetched (or skipped) URL, appended and flushed row by row."""
from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path
from typing import Iterator

COLUMNS = ["url", "final_url", "status", "reason", "kind", "parent_url", "title", "published", "fetched_at",
           "sha256", "content_type", "etag", "last_modified", "version", "file", "warc_file", "warc_record_id",
           "seed", "publisher", "division_code"]
# Columns added after the first archives were written: an older manifest reads them as empty (and is rewritten
# with them when appended to). seed: the start URL, site or source row a row was reached from; publisher and
# division_code: that source row's (``fetch --sources``).
ADDED = ("seed", "publisher", "division_code")
MANIFEST = "manifest.csv"    # in the archive folder
WARC_DIR = "warc"            # the archive's WARC files


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a manifest (a last row cut short by an interruption is left out)."""
    if not Path(path).is_file():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if None in row or any(row.get(c) is None for c in COLUMNS if c not in ADDED):
                continue
            yield {**row, **{c: row.get(c) or "" for c in ADDED}}


class Manifest:
    """Appends rows to ``manifest.csv`` (header written once), each synced to disk at once; safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        new = not self.path.is_file() or self.path.stat().st_size == 0
        if not new:
            self._upgrade()
        self._fh = open(self.path, "a", encoding="utf-8", newline="")
        if new:
            self._line(COLUMNS)

    def _upgrade(self) -> None:
        """Rewrite a manifest written before the ADDED columns with them (temporary file, then rename)."""
        with open(self.path, encoding="utf-8-sig", newline="") as fh:
            head = next(csv.reader(fh), [])
        if head == COLUMNS:
            return
        rows = list(read_rows(self.path))
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            w.writerows([r.get(c, "") for c in COLUMNS] for r in rows)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def _line(self, values: list[str]) -> None:
        buf = io.StringIO()
        csv.writer(buf).writerow(values)
        self._fh.write(buf.getvalue())
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def add(self, **row: object) -> dict[str, str]:
        """Append one row (unknown keys are an error; missing ones are empty)."""
        unknown = set(row) - set(COLUMNS)
        if unknown:
            raise KeyError(f"not manifest columns: {sorted(unknown)}")
        values = {c: "" if row.get(c) is None else str(row[c]) for c in COLUMNS}
        with self._lock:
            self._line([values[c] for c in COLUMNS])
        return values

    def close(self) -> None:
        self._fh.close()
