"""``govreports fetch``: crawl report columns politely into a WARC archive with a manifest and a folder tree."""
from __future__ import annotations

from govreports.fetch.crawl import FetchResult, fetch

__all__ = ["fetch", "FetchResult"]
