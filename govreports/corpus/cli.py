"""``govreports build``: the command-line face of :func:`govreports.corpus.build.build`.

Wire it into the main app with ``app.command("build")(build_command)``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

MAX_LISTED_FAILURES = 20


def build_command(
    source: Path = typer.Argument(..., help="folder of reports (searched recursively) or a manifest CSV "
                                            "(columns: path, optional agency, division_code, year, published)"),
    out: Path = typer.Option(..., "--out", "-o", help="dataset folder to write (the cache lives in OUT/.cache)"),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="worker processes (default: all cores)"),
    timeout: float = typer.Option(120.0, "--timeout", min=0.001, help="seconds allowed per file"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="dask.distributed scheduler address "
                                                                      "(tcp://host:port) to run on instead"),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
    max_memory: Optional[str] = typer.Option(None, "--max-memory", help="memory one file's extraction may use, "
                                             "e.g. 2G or 1500M; 'none' for no cap (default: $GOVREPORTS_MAX_MEMORY_MB "
                                             "or 2G)"),
    corrections: Optional[Path] = typer.Option(None, "--corrections", help="reviewed corrections CSV (report_id, "
                                               "cell, value, reason, reviewer, date), e.g. from `govreports review`"),
) -> None:
    """Extract every report in SOURCE into one dataset (Parquet, CSV, codebook); re-runs only redo new or changed files."""
    from govreports.corpus.build import build
    from govreports.corpus.memory import DEFAULT_MAX_MEMORY, parse_size
    from govreports.corpus.sources import ManifestError

    try:
        cap = DEFAULT_MAX_MEMORY if max_memory is None else parse_size(max_memory)
        result = build(source, out, workers=workers, timeout=timeout, scheduler=scheduler, progress=not no_progress,
                       max_memory=cap, corrections=corrections)
    except (OSError, ManifestError, RuntimeError, ValueError) as e:
        typer.echo(f"govreports build: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(result.summary(limit=MAX_LISTED_FAILURES))


if __name__ == "__main__":
    typer.run(build_command)
