"""``fetch --sources sources.csv``: many sites at once — one polite queue per host, a bounded number of hosts
at a time, each source row's publisher and division code kept in the manifest rows reached from it."""
from __future__ import annotations

import csv
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from govreports.fetch.discovery import canonical
from govreports.fetch.politeness import host_of

if TYPE_CHECKING:
    from govreports.fetch.crawl import Crawler, FetchResult

HOSTS_AT_ONCE = 4     # hosts crawled at the same time (each at its own --delay)
URL_COLUMNS = ("url", "网址")
PUBLISHER_COLUMNS = ("publisher", "agency", "发布机关")
DIVISION_COLUMNS = ("division_code", "division", "code", "区划代码")


@dataclass
class SourceRow:
    url: str
    publisher: str = ""
    division_code: str = ""


def read_sources(path: Path) -> list[SourceRow]:
    """The rows of a sources CSV: a url column, optional publisher and division_code (errors name file and line)."""
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        head = {h.strip().lower(): h for h in reader.fieldnames or []}
        col = next((head[c] for c in URL_COLUMNS if c in head), None)
        if col is None:
            raise ValueError(f"{path}: no url column (columns: url, optional publisher, division_code)")
        pub = next((head[c] for c in PUBLISHER_COLUMNS if c in head), None)
        div = next((head[c] for c in DIVISION_COLUMNS if c in head), None)
        out = []
        for line, row in enumerate(reader, start=2):
            url = (row.get(col) or "").strip()
            if not url:
                continue
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"{path}, line {line}: {url!r} is not an http(s) URL")
            out.append(SourceRow(canonical(url), (row.get(pub) or "").strip() if pub else "",
                                 (row.get(div) or "").strip() if div else ""))
    return out


def crawl_sources(rows: list[SourceRow], shared: Any, make: Callable[..., "Crawler"],
                  hosts_at_once: int = HOSTS_AT_ONCE) -> list["FetchResult"]:
    """Crawl each host's rows in its own queue, ``hosts_at_once`` hosts at a time; ``make(**kw)`` builds a crawler."""
    by_host: dict[str, list[SourceRow]] = {}
    for r in rows:
        by_host.setdefault(host_of(r.url), []).append(r)
    slots = list(range(hosts_at_once))
    lock = threading.Lock()

    def one(host: str) -> "FetchResult":
        with lock:
            slot = slots.pop(0)
        try:
            mine = by_host[host]
            crawler = make(shared=shared, label=host.split("://", 1)[1], position=slot,
                           sources={r.url: {"publisher": r.publisher, "division_code": r.division_code} for r in mine})
            try:
                return crawler.run([r.url for r in mine])
            except Exception as e:   # one host's failure is reported, the other hosts go on
                crawler.result.errors += 1
                crawler.result.problems.append(f"error: {host}: crawl stopped: {type(e).__name__}: {e}")
                return crawler.result
        finally:
            with lock:
                slots.append(slot)

    with ThreadPoolExecutor(max_workers=max(1, hosts_at_once), thread_name_prefix="fetch-host") as pool:
        return list(pool.map(one, by_host))
