"""The crawl: from listing or report URLs to an archive of report pages and attachments.

A listing's annual-report links and its own pagination are followed; a report page's attachments
(and its pictures, when it has neither tables nor documents) are fetched. Every response goes to the
WARC file, every URL to the manifest, every stored body to the folder tree. Re-running skips what is
archived (its stored copy is read again for links); ``refresh`` asks again with conditional requests
and stores a changed response as a new version beside the old one.
"""
from __future__ import annotations

import csv
import hashlib
from collections import deque
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable
from urllib.parse import urljoin

from tqdm import tqdm

from govreports.fetch import cms
from govreports.fetch.browser import INSTALL_HINT, Browser, BrowserError, unavailable
from govreports.fetch.client import MAX_BYTES, Client, FetchError, Response, now
from govreports.fetch.discovery import IMAGE_EXT, Link, Page, canonical, extension, is_report_title, parse_page
from govreports.fetch.manifest import MANIFEST, WARC_DIR, Manifest, read_rows
from govreports.fetch.pictures import picture_size, too_small
from govreports.fetch.politeness import Robots, Throttle, host_of, user_agent
from govreports.fetch.site import navigation
from govreports.fetch.site import rules as site_rules
from govreports.fetch.sources import HOSTS_AT_ONCE, crawl_sources, read_sources
from govreports.fetch.tree import relative_path, write_file
from govreports.fetch.warcstore import WarcStore
from govreports.readers.base import ReaderError

_HTML_TYPES = ("text/html", "application/xhtml")
_DATA_TYPES = ("xml", "json", "javascript", "text/plain")   # a listing's data source (Hanweb dataproxy, JSON lists)


@dataclass
class FetchResult:
    """What a fetch did: counts, and one line per URL that failed or was skipped."""

    archive: Path
    pages: int = 0            # listing pages
    reports: int = 0          # report pages (or report files linked from a listing)
    attachments: int = 0      # attachments and pictures
    new_versions: int = 0     # changed responses stored beside an older version (refresh)
    unchanged: int = 0        # answered 304 Not Modified or identical bytes (refresh)
    archived: int = 0         # skipped: already in the archive
    errors: int = 0
    robots: int = 0           # URLs robots.txt forbids: never requested
    unsupported: int = 0      # links to file types no reader handles: not requested
    rendered: int = 0         # listing pages drawn by the browser route
    blocked: int = 0          # requests of the browser to other hosts (analytics, widgets): blocked
    site_pages: int = 0       # pages read on the way from a home page to its report columns (--site)
    columns: list[str] = field(default_factory=list)   # report columns found from home pages (--site)
    small_pictures: int = 0   # pictures too small to hold a table (site graphics): not kept as the report's
    problems: list[str] = field(default_factory=list)

    @classmethod
    def merge(cls, results: list["FetchResult"], archive: Path) -> "FetchResult":
        """One result summing several crawlers' (one per host)."""
        total = cls(archive=archive)
        for r in results:
            for f in fields(cls):
                v = getattr(r, f.name)
                if isinstance(v, int):
                    setattr(total, f.name, getattr(total, f.name) + v)
                elif isinstance(v, list):
                    getattr(total, f.name).extend(v)
        return total

    def summary(self) -> str:
        lines = [f"{self.pages} listing pages, {self.reports} reports, {self.attachments} attachments; "
                 f"{self.errors} errors, {self.robots} skipped by robots.txt, {self.unsupported} unsupported links",
                 f"{self.archived} already archived, {self.unchanged} unchanged, {self.new_versions} new versions"
                 + (f", {self.rendered} pages rendered in the browser ({self.blocked} requests to other hosts "
                    "blocked)" if self.rendered else "")
                 + (f", {self.site_pages} site pages read to find {len(self.columns)} report columns"
                    if self.site_pages else "")
                 + (f", {self.small_pictures} pictures too small to hold a table" if self.small_pictures else "")]
        lines += [f"  {p}" for p in self.problems]
        lines.append(f"archive: {self.archive}")
        return "\n".join(lines)


@dataclass
class _Task:
    url: str
    kind: str                 # site, start, listing, report, attachment
    parent: str = ""
    seed: str = ""
    title: str = ""
    depth: int = 0            # site pages: hops from the home page


def read_url_list(path: Path) -> list[str]:
    """URLs from a .txt (one per line, # comments) or .csv file (a ``url`` column, else the first column)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    if Path(path).suffix.lower() == ".csv":
        rows = list(csv.reader(text.splitlines()))
        if not rows:
            return []
        head = [h.strip().lower() for h in rows[0]]
        col = head.index("url") if "url" in head else 0
        rows = rows[1:] if "url" in head or not head[col].startswith("http") else rows
        return [r[col].strip() for r in rows if len(r) > col and r[col].strip()]
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _is_listing(page: Page) -> bool:
    """A start page is a listing unless it prints the tables, attaches the report, or reads as a report
    (its title or its body) and links no other reports."""
    if page.has_tables or any(is_report_title(a.text) for a in page.attachments):
        return False
    return bool(page.reports) or not page.is_report


class _Rows:
    """The manifest as one crawler writes it: each row gains the seed it was reached from and that seed's
    source row (publisher, division code); several crawlers may share one manifest."""

    def __init__(self, manifest: Manifest, sources: dict[str, dict[str, str]]) -> None:
        self.manifest, self.sources, self.seed = manifest, sources, ""

    def add(self, **row: object) -> dict[str, str]:
        return self.manifest.add(**{"seed": self.seed, **self.sources.get(self.seed, {}), **row})


@dataclass
class Shared:
    """What the crawlers of one archive share when several hosts are crawled at once (fetch --sources)."""

    manifest: Manifest
    warc: WarcStore
    latest: dict[str, dict[str, str]]


def _judged_picture(row: dict[str, str]) -> bool:
    """A picture fetched and found too small to hold a table: not stored, not asked for again."""
    return row["status"] == "skipped" and bool(row["sha256"]) and row["reason"].startswith("picture ")


def open_archive(archive: Path, user_agent: str) -> Shared:
    """The archive's manifest and a new WARC file, and its latest stored version of each URL (for resuming)."""
    root = Path(archive)
    latest = {row["url"]: row for row in read_rows(root / MANIFEST) if row["file"] or _judged_picture(row)}
    return Shared(Manifest(root / MANIFEST), WarcStore(root / WARC_DIR, user_agent), latest)


class Crawler:
    """One fetch run into one archive folder (or, given ``shared``, one host's queue of a run over many hosts)."""

    def __init__(self, archive: Path, client: Client, user_agent: str, refresh: bool, max_pages: int | None,
                 progress: bool, render_js: bool = False, render_timeout: float = 60.0, *,
                 shared: Shared | None = None, sources: dict[str, dict[str, str]] | None = None,
                 label: str = "fetching", position: int | None = None) -> None:
        self.root = Path(archive)
        self.owns, self.label, self.position = shared is None, label, position
        shared = shared or open_archive(self.root, user_agent)
        self.refresh, self.max_pages, self.progress = refresh, max_pages, progress
        self.client = client
        self.render_js = render_js
        self.browser = Browser(self._browser_fetch, user_agent, render_timeout)
        self.refused: set[str] = set()        # hosts that answered the browser 403: not asked again
        self.cache: dict[str, Response] = {}  # the start page being read (the browser is answered from it)
        self.latest = shared.latest
        self.manifest = _Rows(shared.manifest, sources or {})
        self.warc = shared.warc
        self.robots = Robots(self._robots_txt)
        self.result = FetchResult(archive=self.root)
        self.queue: deque[_Task] = deque()
        self.seen: set[str] = set()
        self.listing_pages: dict[str, int] = {}

    # -- robots.txt -------------------------------------------------------------------------------
    def _robots_txt(self, url: str) -> str | None:
        try:
            resp, hops = self.client.get(url)
        except FetchError as e:
            self._store_hops(e.hops)
            if e.status in ("error", "tls"):
                raise   # the host cannot be reached: each of its URLs gets this error
            self._problem(url, "robots", e.status, f"robots.txt not fetched, host skipped: {e.reason}")
            return "User-agent: *\nDisallow: /\n"
        self._store_hops(hops)
        sha = _sha(resp.body)
        self.warc.add(resp, sha)
        broken = resp.status >= 500
        reason = "robots.txt answers a server error: host skipped" if broken else ""
        self.manifest.add(url=url, final_url=resp.url, status=resp.status, reason=reason, kind="robots",
                          fetched_at=resp.fetched_at, sha256=sha, content_type=resp.header("content-type"),
                          warc_file=self.warc.name)
        if broken:
            self.result.errors += 1
            self.result.problems.append(f"{resp.status}: {url}: {reason}")
            return "User-agent: *\nDisallow: /\n"
        return resp.body.decode("utf-8", "replace") if resp.status < 300 else None

    # -- bookkeeping ------------------------------------------------------------------------------
    def _problem(self, url: str, kind: str, status: object, reason: str, parent: str = "", title: str = "",
                 count: str = "errors") -> None:
        self.manifest.add(url=url, status=status, reason=reason, kind=kind, parent_url=parent, title=title)
        setattr(self.result, count, getattr(self.result, count) + 1)
        self.result.problems.append(f"{status}: {url}: {reason}")

    def _store_hops(self, hops: list[Response]) -> None:
        for h in hops:
            self.warc.add(h, _sha(h.body))

    def _enqueue(self, links: Iterable[Link], kind: str, parent: _Task) -> None:
        for link in links:
            if link.url not in self.seen:
                self.seen.add(link.url)
                self.queue.append(_Task(link.url, kind, parent.url, parent.seed or parent.url, link.text))

    # -- the crawl --------------------------------------------------------------------------------
    def run(self, urls: Iterable[str], sites: Iterable[str] = ()) -> FetchResult:
        """Crawl start URLs (listings or reports) and home pages (``sites``: their report columns are found first)."""
        for u, kind in [(u, "start") for u in urls] + [(u, "site") for u in sites]:
            u = canonical(u)
            if u not in self.seen:
                self.seen.add(u)
                self.queue.append(_Task(u, kind, seed=u))
        try:
            with tqdm(total=len(self.queue), unit="url", desc=self.label, disable=not self.progress,
                      position=self.position, leave=self.position is None) as bar:
                while self.queue:
                    task = self.queue.popleft()
                    bar.set_postfix_str(task.url[-60:])
                    self.manifest.seed = task.seed
                    self._one(task)
                    bar.total = bar.n + 1 + len(self.queue)
                    bar.update(1)
        finally:
            self.browser.close()
            self.client.close()
            if self.owns:
                self.manifest.manifest.close()
                self.warc.close()
        return self.result

    def _one(self, task: _Task) -> None:
        if extension(task.url) in IMAGE_EXT and task.kind == "start":
            task.kind = "attachment"
        try:
            allowed = self.robots.allowed(task.url)
        except FetchError as e:
            self._problem(task.url, self._kind(task), e.status, e.reason, task.parent, task.title)
            return
        if not allowed:
            self._problem(task.url, self._kind(task), "robots", "disallowed by robots.txt (not requested)",
                          task.parent, task.title, count="robots")
            return
        prior = self.latest.get(task.url)
        if prior and not prior["file"]:
            self.result.archived += 1   # a picture judged too small to hold a table on an earlier run
            return
        if prior and not self.refresh:
            self.result.archived += 1
            self._follow(task, prior, (self.root / prior["file"]).read_bytes(), prior["content_type"])
            return
        headers = {}
        if prior and self.refresh:
            if prior["etag"]:
                headers["If-None-Match"] = prior["etag"]
            if prior["last_modified"]:
                headers["If-Modified-Since"] = prior["last_modified"]
        try:
            resp, hops = self.client.get(task.url, headers, allowed=self.robots.allowed)
        except FetchError as e:
            self._store_hops(e.hops)
            self._problem(task.url, self._kind(task), e.status, e.reason, task.parent, task.title,
                          count="robots" if e.status == "robots" else "errors")
            return
        self._store_hops(hops)
        if resp.status == 304 and prior:
            self.warc.add(resp, "")
            self.result.unchanged += 1
            self._follow(task, self._row(task, resp, prior["sha256"], prior, "not modified"),
                         (self.root / prior["file"]).read_bytes(), prior["content_type"])
            return
        sha = _sha(resp.body)
        record_id = self.warc.add(resp, sha)
        if not 200 <= resp.status < 300:
            self._problem(task.url, self._kind(task), resp.status, f"HTTP {resp.status} {resp.reason}".strip(),
                          task.parent, task.title)
            return
        if task.kind == "attachment" and extension(task.url) in IMAGE_EXT:
            size = picture_size(resp.body)
            if too_small(size):
                self.result.small_pictures += 1
                self.manifest.add(url=task.url, final_url=resp.url, status="skipped", kind="attachment",
                                  reason=f"picture {size[0]}x{size[1]} px: too small to hold a table (site graphics)",
                                  parent_url=task.parent, title=task.title, fetched_at=resp.fetched_at, sha256=sha,
                                  content_type=resp.header("content-type"), warc_file=self.warc.name,
                                  warc_record_id=record_id)
                return
        if task.kind == "start" and any(t in (resp.header("content-type") or "").lower() for t in _HTML_TYPES):
            self.cache[task.url] = resp   # handed to the browser if the listing is drawn by script
        self._follow(task, self._row(task, resp, sha, prior, "", record_id), resp.body, resp.header("content-type"))

    def _row(self, task: _Task, resp: Response, sha: str, prior: dict[str, str] | None, reason: str,
             record_id: str = "") -> dict[str, str]:
        """Manifest fields of a response; a new body is written to the tree as the next version."""
        ctype = resp.header("content-type") or (prior or {}).get("content_type", "")
        if prior and prior["sha256"] == sha:
            version, rel = int(prior["version"] or 1), prior["file"]
            reason = reason or "unchanged"
            if resp.status != 304:
                self.result.unchanged += 1
        else:
            version = int(prior["version"] or 1) + 1 if prior else 1
            rel = relative_path(task.url, ctype, version)
            if (self.root / rel).exists():   # never over another file
                rel = relative_path(task.url, ctype, version, salt=sha[:12])
            write_file(self.root, rel, resp.body)
            if prior:
                self.result.new_versions += 1
                reason = f"changed: new version {version}"
        return {"url": task.url, "final_url": resp.url, "status": str(resp.status), "reason": reason,
                "parent_url": task.parent, "title": task.title, "fetched_at": resp.fetched_at, "sha256": sha,
                "content_type": ctype, "etag": resp.header("etag") or (prior or {}).get("etag", ""),
                "last_modified": resp.header("last-modified") or (prior or {}).get("last_modified", ""),
                "version": str(version), "file": rel, "warc_file": self.warc.name, "warc_record_id": record_id,
                "fresh": "" if prior and prior["sha256"] == sha else "1"}

    def _kind(self, task: _Task) -> str:
        return "report" if task.kind == "start" else task.kind

    def _site_page(self, task: _Task, page: Page, body: bytes, ctype: str | None) -> None:
        """A page on the way from a home page: follow its entries (a few hops) and crawl the columns it names."""
        entries, columns = navigation(body, task.url, ctype, on_disclosure_page=task.depth > 0)
        for link in columns:
            if link.url not in self.seen:
                self.seen.add(link.url)
                self.result.columns.append(link.url)
                self.queue.append(_Task(link.url, "start", task.url, link.url, link.text))
        self._enqueue(page.reports, "report", task)
        if task.depth < site_rules().max_hops and self.result.site_pages < site_rules().max_pages:
            for link in entries:
                if link.url not in self.seen:
                    self.seen.add(link.url)
                    self.queue.append(_Task(link.url, "site", task.url, task.seed, link.text, task.depth + 1))

    def _follow(self, task: _Task, row: dict[str, str], body: bytes, ctype: str | None) -> None:
        """Classify the page, follow its links, and write its manifest row (for a fresh fetch)."""
        fresh = row.pop("fresh", None) is not None   # a row to write (not a skipped archived URL)
        page = self._parse(task, body, ctype, row["file"])
        kind = self._kind(task)
        if task.kind == "start" and page is not None and _is_listing(page):
            kind = "listing"
        reason = row.get("reason", "") if fresh else ""
        if page is not None and kind == "listing":
            self.listing_pages[task.seed] = self.listing_pages.get(task.seed, 0) + 1
            if not page.reports:
                reason = "; ".join(filter(None, [reason, "no report links on this listing"]))
            self._enqueue(page.reports + [a for a in page.attachments if is_report_title(a.text)], "report", task)
            if self.max_pages is None or self.listing_pages[task.seed] < self.max_pages:
                self._enqueue(page.pages, "listing", task)
            self._unsupported(page, task)
            if task.url == task.seed and (self.render_js or page.needs_js):
                self._render(task, page)
        elif page is not None and kind == "site":
            self._site_page(task, page, body, ctype)
        elif page is not None and kind == "report":
            self._enqueue(page.attachments, "attachment", task)
            if not page.has_tables and not page.attachments:
                self._enqueue(page.images, "attachment", task)
            self._unsupported(page, task)
        if fresh:
            if reason.endswith("on this listing"):
                self.result.problems.append(f"{row['status']}: {task.url}: {reason.split('; ')[-1]}")
            self.manifest.add(**{**row, "kind": kind, "reason": reason,
                                 "title": (page.title if page and page.title else row.get("title")) or task.title,
                                 "published": page.published if page and page.published else ""})
            if row["file"]:
                self.latest[task.url] = {**row, "kind": kind}
        self.cache.pop(task.url, None)
        counter = {"listing": "pages", "report": "reports", "attachment": "attachments", "site": "site_pages"}[kind]
        setattr(self.result, counter, getattr(self.result, counter) + 1)

    def _parse(self, task: _Task, body: bytes, ctype: str | None, where: str) -> Page | None:
        if task.kind == "attachment":
            return None
        html = any(t in (ctype or "").lower() for t in _HTML_TYPES) or (not ctype and b"<html" in body[:4096].lower())
        if not html and task.kind == "listing" and any(t in (ctype or "").lower() for t in _DATA_TYPES):
            items = cms.json_items(body)
            if items is not None:   # a JSON data source: its items are links of the listing
                return Page(reports=[Link(canonical(urljoin(task.parent or task.url, u)), t)
                                     for t, u in items if is_report_title(t)])
            html = True             # XML records (Hanweb dataproxy) hold HTML fragments
        if not html:
            return None
        try:
            return parse_page(body, task.url, ctype, self.max_pages)
        except ReaderError as e:
            self.result.problems.append(f"unreadable page: {task.url}: {e}")
            return None

    # -- the browser route -------------------------------------------------------------------------
    def _browser_fetch(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
        """Answer a request of the browser: from this run's listing pages, else politely fetched and archived."""
        url = canonical(url)
        if method == "GET" and url in self.cache:
            return self.cache[url]
        if not self.robots.allowed(url):
            raise FetchError("robots", f"disallowed by robots.txt: {url}")
        try:
            resp, hops = self.client.get(url, headers, allowed=self.robots.allowed, method=method, content=body)
        except FetchError as e:
            self._store_hops(e.hops)
            raise
        self._store_hops(hops)
        self.warc.add(resp, _sha(resp.body))
        return resp

    def _render(self, task: _Task, page: Page) -> None:
        """Draw the listing in the browser and follow its page bar; its report links join the crawl."""
        why = (f"the listing says it has {page.declared} records but shows {page.shown}" if page.needs_js
               else "--render-js")
        missing = unavailable()
        if missing:
            self.result.problems.append(f"needs JavaScript: {task.url}: {why}; {missing}, so only the static items "
                                        f"were collected: {INSTALL_HINT}")
            return
        if host_of(task.url) in self.refused:
            return
        stored = sorted((r for u, r in self.latest.items() if u.startswith(task.url + "#rendered-")),
                        key=lambda r: int(r["url"].rsplit("-", 1)[1]))
        if stored and not self.refresh:
            doms = [(self.root / r["file"]).read_text(encoding="utf-8") for r in stored]
        else:
            try:
                drawn = self.browser.render(task.url, self.max_pages)
                self.result.blocked = len(self.browser.blocked)
            except BrowserError as e:
                if e.refused:
                    self.refused.add(host_of(task.url))
                self.result.problems.append(f"browser: {task.url}: {e}")
                drawn = e.rendered
            doms = [self._store_rendered(task, r.step, r.dom) for r in drawn]
        for dom in doms:
            p = parse_page(dom.encode("utf-8"), task.url, "text/html; charset=utf-8", self.max_pages)
            self._enqueue(p.reports + [a for a in p.attachments if is_report_title(a.text)], "report", task)
            self._enqueue(p.pages, "listing", task)

    def _store_rendered(self, task: _Task, step: int, dom: str) -> str:
        body = dom.encode("utf-8")
        record_id = self.warc.add_rendered(task.url, dom, step)
        rel = relative_path(task.url, "text/html", 1, salt=f"rendered-{step}")
        write_file(self.root, rel, body)
        url = f"{task.url}#rendered-{step}"
        row = self.manifest.add(url=url, final_url=task.url, status=200, kind="rendered", parent_url=task.url,
                                reason="listing drawn by the browser", fetched_at=now(), sha256=_sha(body),
                                content_type="text/html; charset=utf-8", version=1, file=rel,
                                warc_file=self.warc.name, warc_record_id=record_id)
        self.latest[url] = row
        self.result.rendered += 1
        return dom

    def _unsupported(self, page: Page, task: _Task) -> None:
        for link in page.unsupported:
            if link.url not in self.seen:
                self.seen.add(link.url)
                self._problem(link.url, "attachment", "skipped", f"unsupported file type {extension(link.url) or '?'}",
                              task.url, link.text, count="unsupported")


def fetch(urls: Iterable[str | Path], out: str | Path, delay: float = 1.0, refresh: bool = False,
          max_pages: int | None = None, progress: bool = True, *, max_bytes: int = MAX_BYTES, retries: int = 3,
          backoff: float = 2.0, timeout: float = 30.0, contact: str | None = None, render_js: bool = False,
          render_timeout: float = 60.0, sites: Iterable[str] = (), sources: str | Path | None = None,
          hosts_at_once: int = HOSTS_AT_ONCE) -> FetchResult:
    """Fetch listing or report URLs (or .txt/.csv files of URLs) politely into the archive folder ``out``.

    ``delay``: seconds between two requests to one host (robots.txt and retries included);
    ``refresh``: ask again for archived URLs with conditional requests; ``max_pages``: listing pages per start URL;
    ``contact``: an e-mail or URL added to the User-Agent so a site's webmaster can reach the researcher;
    ``render_js``: draw every start listing in the browser (else only those that say they hold more records
    than they show); ``render_timeout``: seconds a page's scripts may take; ``sites``: home pages whose report
    columns are found and crawled; ``sources``: a CSV of URLs (url, publisher, division_code) crawled
    ``hosts_at_once`` hosts at a time, one queue per host.
    """
    from govreports import __version__

    if delay < 0:
        raise ValueError(f"delay must not be negative, not {delay}")
    seeds: list[str] = []
    for u in urls:
        s = str(u)
        seeds += read_url_list(Path(s)) if not s.startswith(("http://", "https://")) and Path(s).is_file() else [s]
    ua = user_agent(__version__, contact)
    throttle = Throttle(delay)

    def make(**kw) -> Crawler:
        client = Client(throttle, ua, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes)
        return Crawler(Path(out), client, ua, refresh, max_pages, progress, render_js, render_timeout, **kw)

    if sources is None:
        return make().run(seeds, list(sites))
    rows = read_sources(Path(sources))
    shared = open_archive(Path(out), ua)
    try:
        results = [make(shared=shared).run(seeds, list(sites))] if seeds or sites else []
        results += crawl_sources(rows, shared, make, hosts_at_once)
    finally:
        shared.manifest.close()
        shared.warc.close()
    return FetchResult.merge(results, Path(out))
