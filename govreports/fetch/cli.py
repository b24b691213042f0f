"""``govreports fetch``: the command-line face of :func:`govreports.fetch.fetch`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def fetch_command(
    urls: Optional[List[str]] = typer.Argument(None, help="listing (column index) or report page URLs, or .txt/.csv "
                                                          "files of URLs"),
    out: Path = typer.Option(..., "--out", "-o", help="archive folder (WARC files, manifest.csv, files/)"),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="seconds between two requests to one host"),
    refresh: bool = typer.Option(False, "--refresh", help="ask again for archived URLs (conditional requests); "
                                                          "a changed response is stored as a new version"),
    max_pages: Optional[int] = typer.Option(None, "--max-pages", min=1, help="listing pages to follow per start URL"),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
    contact: Optional[str] = typer.Option(None, "--contact", help="your e-mail or URL, added to the User-Agent so a "
                                                                  "site's webmaster can reach you"),
    site: Optional[List[str]] = typer.Option(None, "--site", help="a home page: its 政府信息公开年报 columns (the "
                                                                  "government's and its departments') are found and crawled"),
    sources: Optional[Path] = typer.Option(None, "--sources", help="a CSV of URLs (url, optional publisher, "
                                                                   "division_code): many hosts crawled at once"),
    hosts_at_once: int = typer.Option(4, "--hosts-at-once", min=1, help="hosts crawled at the same time (--sources)"),
    render_js: bool = typer.Option(False, "--render-js", help="draw every start listing in headless Chromium (needs "
                                                              "pip install govreports\\[browser] and apt-get install chromium)"),
    render_timeout: float = typer.Option(60.0, "--render-timeout", min=1.0, help="seconds a page's scripts may take"),
) -> None:
    """Crawl report columns politely into an archive that `govreports build ARCHIVE` reads."""
    from govreports.fetch import fetch

    if not (urls or site or sources):
        typer.echo("govreports fetch: give URLs, --site HOME_PAGE or --sources sources.csv", err=True)
        raise typer.Exit(2)
    try:
        result = fetch(urls or [], out, delay=delay, refresh=refresh, max_pages=max_pages, progress=not no_progress,
                       contact=contact, render_js=render_js, render_timeout=render_timeout, sites=site or [],
                       sources=sources, hosts_at_once=hosts_at_once)
    except (OSError, ValueError) as e:
        typer.echo(f"govreports fetch: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(result.summary())
    if result.errors:
        raise typer.Exit(1)
