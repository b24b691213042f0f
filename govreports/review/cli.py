"""``govreports review``: the command-line face of :func:`govreports.review.page.write_review`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def review_command(
    dataset: Path = typer.Argument(..., help="dataset folder written by `govreports build`"),
    out: Path = typer.Option(..., "--out", "-o", help="folder to write the review page into (index.html, crops/)"),
    source: Optional[Path] = typer.Option(None, "--source", help="the folder the dataset was built from (default: "
                                          "the files the build hashed, remembered in DATASET/.cache)"),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
) -> None:
    """Write a static HTML page of every doubtful cell (uncertain, low OCR confidence, in a failed identity)
    with a crop of its page; confirm or type the printed values and download corrections.csv."""
    from govreports.review.page import write_review

    try:
        result = write_review(dataset, out, source, progress=not no_progress)
    except (OSError, ValueError) as e:
        typer.echo(f"govreports review: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(result.summary())
