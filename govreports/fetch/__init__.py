"""``govreports fetch``: crawl report columns politely into a WARC archive with a manifest and a folder tree.

Light on import (``import govreports`` stays fast): the crawler and its HTTP libraries load on the first call.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govreports.fetch.crawl import FetchResult


def fetch(*args: Any, **kwargs: Any) -> "FetchResult":
    """Fetch listing or report URLs into an archive folder; see :func:`govreports.fetch.crawl.fetch`."""
    from govreports.fetch.crawl import fetch as run

    return run(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "FetchResult":
        from govreports.fetch.crawl import FetchResult

        return FetchResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["fetch", "FetchResult"]
