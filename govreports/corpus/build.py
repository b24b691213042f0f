"""``govreports build``: extract a folder or manifest of reports into one dataset, with cache and workers.

Each file is hashed (re-hashed only when its size or mtime changed), looked up in the cache by
sha256, and only new or changed files are extracted, in parallel worker processes (or on a Dask
cluster). Each result is cached the moment it finishes, so a killed build resumes where it stopped.
The dataset is then assembled from the cache and written to OUT.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from tqdm import tqdm

from govreports import limits
from govreports.corpus.assemble import Item, assemble
from govreports.corpus.cache import CACHE_FORMAT, HashIndex, ResultCache, library_version, write_atomic
from govreports.corpus.codebook import codebook_markdown
from govreports.corpus.corrections import apply_corrections, read_corrections
from govreports.corpus.dataset import OUTPUT_FILES, write
from govreports.corpus.memory import DEFAULT_MAX_MEMORY
from govreports.corpus.pool import Outcome, run_pool
from govreports.corpus.revisions import revision_rows
from govreports.corpus.sources import Source, discover
from govreports.corpus.task import Task, extract_record, task_ref
from govreports.longrun import longrun_rows


@dataclass
class BuildResult:
    """What a build did: counts of files, extractions, cache hits, reports and failures."""

    out: Path
    files: int                 # input files found
    extracted: int             # files extracted in this run (the rest came from the cache)
    cached: int                # files whose result came from the cache
    reports: int               # rows in reports.parquet
    failed: int                # files in failures.parquet that could not be read (error, timeout, crash)
    duplicates: int            # files dropped as duplicates (also in failures.parquet, kind 'duplicate')
    seconds: float
    failures: list[dict[str, Any]] = field(default_factory=list)   # rows of failures.parquet

    def summary(self, limit: int | None = None) -> str:
        """Counts, then each failure with its reason (the first ``limit``), then where the dataset is."""
        lines = [f"{self.reports} reports from {self.files} files ({self.extracted} extracted, {self.cached} cached) "
                 f"in {self.seconds:.1f} s", f"{self.failed} failed, {self.duplicates} duplicates"]
        shown = self.failures if limit is None else self.failures[:limit]
        lines += [f"  {f['kind']}: {f['file']}: {f['reason']}" for f in shown]
        if len(shown) < len(self.failures):
            lines.append(f"  … {len(self.failures) - len(shown)} more in failures.csv")
        lines.append(f"dataset: {self.out}")
        return "\n".join(lines)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(jobs: list[tuple[str, str]], ref: str, workers: int, timeout: float, scheduler: str | None,
         max_memory: int | None) -> Iterator[Outcome]:
    if scheduler and jobs:
        from govreports.corpus.dask_runner import run_dask

        return run_dask(jobs, scheduler, ref, timeout, max_memory=max_memory)
    return run_pool(jobs, ref, workers, timeout, max_memory=max_memory)


# The code and data the assembly step runs on (extraction results are cached by library version).
_ASSEMBLY_CODE = ("corpus", "checks", "schema", "text.py", "longrun.py")


def _code_stamp() -> list:
    """Size and mtime of the assembly's code and data: a dataset assembled by other code is assembled again."""
    root = Path(__file__).resolve().parent.parent
    files = [p for part in _ASSEMBLY_CODE for p in ([root / part] if part.endswith(".py") else (root / part).rglob("*"))
             if p.suffix in {".py", ".yaml", ".csv", ".gz"}]
    return sorted([str(p.relative_to(root)), st.st_size, st.st_mtime_ns] for p in files for st in [p.stat()])


def _fingerprint(sources: list[Source], shas: list[str], timeout: float, ref: str,
                 max_memory: int | None = None, corrections: str | None = None) -> str:
    """Everything the dataset depends on; equal fingerprints mean an identical dataset."""
    state = [library_version(), CACHE_FORMAT, ref, timeout, max_memory, limits.settings(), _code_stamp(),
             [[s.file, sha, sorted(s.overrides.items()), sorted(s.provenance.items())] for s, sha in zip(sources, shas)],
             corrections]
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, default=str).encode()).hexdigest()


def _hash_all(sources: list[Source], index: HashIndex) -> tuple[list[str], dict[str, str]]:
    shas, unreadable = [], {}
    for s in sources:
        try:
            shas.append(index.sha256(s.path))
        except OSError as e:
            shas.append("")
            unreadable[s.file] = f"cannot read the file: {e.strerror or e}"
    index.save()
    return shas, unreadable


def _unchanged(out: Path, state_file: Path, fingerprint: str) -> dict[str, Any] | None:
    """The saved summary of the last build if it had this fingerprint and its files are all there."""
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") != fingerprint or not all((out / f).is_file() for f in OUTPUT_FILES):
        return None
    return state


def build(source: Path, out: Path, workers: int | None = None, timeout: float = 120, scheduler: str | None = None,
          progress: bool = True, *, task: Task = extract_record,
          max_memory: int | None = DEFAULT_MAX_MEMORY, corrections: Path | None = None) -> BuildResult:
    """Build the dataset of the reports in ``source`` (folder or manifest CSV) into ``out``.

    ``workers``: local worker processes (default: all cores). ``timeout``: seconds allowed per file.
    ``max_memory``: bytes of memory one file's extraction may use (None: no cap).
    ``scheduler``: address of a dask.distributed scheduler to run on instead. ``task``: the per-file
    function (a hook for tests; it must be importable by the workers). When nothing changed since
    the last build into ``out`` (same files, contents, manifest values, settings and code), the
    dataset there is kept as it is. ``corrections``: a reviewed corrections file applied as a layer
    (corpus/corrections.py); a bad one raises CorrectionsError before the dataset is written.
    """
    t0 = time.perf_counter()
    source, out = Path(source), Path(out)
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")
    ref = task_ref(task)
    fixes = read_corrections(corrections) if corrections is not None else None
    sources = discover(source, exclude=out)
    out.mkdir(parents=True, exist_ok=True)
    shas, unreadable = _hash_all(sources, HashIndex(out / ".cache" / "files.json"))
    state_file = out / ".cache" / "dataset.json"
    fingerprint = _fingerprint(sources, shas, timeout, ref, max_memory, fixes.sha256 if fixes else None)
    state = None if unreadable else _unchanged(out, state_file, fingerprint)
    if state is not None:
        return _result(out, sources, 0, len(sources), state["reports"], state["failures"], t0)

    cache = ResultCache(out / ".cache" / "results")
    entries: dict[str, dict[str, Any]] = {}
    todo: dict[str, str] = {}
    for s, sha in zip(sources, shas):
        if sha and sha not in entries and sha not in todo:
            hit = cache.get(sha, timeout, max_memory)
            if hit is None:
                todo[sha] = str(s.path)
            else:
                entries[sha] = hit
    cached = sum(1 for sha in shas if sha in entries)

    outcomes = _run(list(todo.items()), ref, workers or default_workers(), timeout, scheduler, max_memory)
    with closing(outcomes), tqdm(total=len(todo), disable=not progress or not todo, unit="file",
                                 desc=f"extracting ({cached} cached)") as bar:
        for o in outcomes:
            if o.status == "fatal":
                raise RuntimeError(f"the extraction task cannot run ({o.reason}) on {todo[o.key]}; "
                                   "fix the installation and build again (finished files are cached)")
            entries[o.key] = cache.put(o.key, o.status, o.record_json, o.reason, timeout, o.seconds, max_memory)
            bar.update(1)
            if o.status != "ok":
                bar.set_postfix_str(f"last failure: {Path(todo[o.key]).name} ({o.status})")

    items = []
    for s, sha in zip(sources, shas):
        entry = entries[sha] if sha else {"status": "error", "reason": unreadable[s.file], "record": None}
        items.append(Item(source=s, sha256=sha, entry=entry))
    latest = [it for it in items if it.source.provenance.get("latest", True)]
    audit: list[dict[str, Any]] = []
    if fixes is not None:
        latest, audit = apply_corrections(latest, fixes)
    tables = assemble(latest)
    tables["revisions"] = revision_rows(items, tables["reports"])
    tables["longrun"] = longrun_rows(tables["reports"], tables["cells"])
    tables["corrections"] = audit
    state_file.unlink(missing_ok=True)  # a build killed while writing must not look finished
    write(out, tables, codebook_markdown())
    write_atomic(state_file, json.dumps({"fingerprint": fingerprint, "reports": len(tables["reports"]),
                                         "failures": tables["failures"]}, ensure_ascii=False))
    return _result(out, sources, len(todo), cached, len(tables["reports"]), tables["failures"], t0)


def _result(out: Path, sources: list[Source], extracted: int, cached: int, reports: int,
            fails: list[dict[str, Any]], t0: float) -> BuildResult:
    return BuildResult(out=out, files=len(sources), extracted=extracted, cached=cached, reports=reports,
                       failed=sum(f["kind"] != "duplicate" for f in fails),
                       duplicates=sum(f["kind"] == "duplicate" for f in fails),
                       seconds=time.perf_counter() - t0, failures=fails)
