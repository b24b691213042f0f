"""``govreports fetch``: the command-line face of :func:`govreports.fetch.fetch`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def fetch_command(
    urls: List[str] = typer.Argument(..., help="listing (column index) or report page URLs, or .txt/.csv files of URLs"),
    out: Path = typer.Option(..., "--out", "-o", help="archive folder (WARC files, manifest.csv, files/)"),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="seconds between two requests to one host"),
    refresh: bool = typer.Option(False, "--refresh", help="ask again for archived URLs (conditional requests); "
                                                          "a changed response is stored as a new version"),
    max_pages: Optional[int] = typer.Option(None, "--max-pages", min=1, help="listing pages to follow per start URL"),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
    contact: Optional[str] = typer.Option(None, "--contact", help="your e-mail or URL, added to the User-Agent so a "
                                                                  "site's webmaster can reach you"),
) -> None:
    """Crawl report columns politely into an archive that `govreports build ARCHIVE` reads."""
    from govreports.fetch import fetch

    try:
        result = fetch(urls, out, delay=delay, refresh=refresh, max_pages=max_pages, progress=not no_progress,
                       contact=contact)
    except (OSError, ValueError) as e:
        typer.echo(f"govreports fetch: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(result.summary())
    if result.errors:
        raise typer.Exit(1)
