"""The browser route: a listing whose items are drawn by JavaScript is rendered in headless Chromium (Playwright,
the optional extra ``govreports[browser]``, driving the Debian ``chromium`` package) and its page bar followed.

The browser never talks to a site itself: every request it makes is intercepted and answered by the crawler's
own polite client (robots.txt, the per-host delay, the govreports User-Agent, the WARC), requests to other
hosts are blocked, and the browser's own traffic goes to a proxy that does not exist.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from govreports.fetch import cms
from govreports.fonts import fontconfig_env
from govreports.fetch.client import FetchError, Response
from govreports.fetch.politeness import host_of

INSTALL_HINT = "pip install 'govreports[browser]' and apt-get install chromium (or set GOVREPORTS_CHROMIUM)"
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
NO_PROXY = "http://127.0.0.1:9"       # the discard port: whatever the browser would send by itself goes nowhere
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                  "--disable-extensions", "--disable-domain-reliability", "--metrics-recording-only",
                  "--dns-prefetch-disable"]
REFUSED = {401, 403}                          # a site refusing the browser: the route stops on this host
SKIPPED_TYPES = {"image", "media", "font"}   # not needed to draw a list: not requested
_OUTER = "() => document.documentElement.outerHTML"
SETTLE_MS = 5000                              # wait for the network to go quiet after a load or a click


class BrowserError(Exception):
    """The browser route could not render (all of) a listing (one line, in the crawl's problems); ``rendered``:
    the pages drawn before it stopped."""

    def __init__(self, reason: str, rendered: list["Rendered"] | None = None, refused: bool = False) -> None:
        super().__init__(reason)
        self.rendered, self.refused = rendered or [], refused


def chromium_path() -> str | None:
    """The Chromium executable: $GOVREPORTS_CHROMIUM, else chromium on PATH or in /usr/bin."""
    env = os.environ.get("GOVREPORTS_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or next((p for p in CHROMIUM_PATHS if Path(p).is_file()), None)


def unavailable() -> str | None:
    """None when the browser route can run, else what is missing."""
    if importlib.util.find_spec("playwright") is None:   # the optional extra govreports[browser]
        return "Playwright is not installed"
    if chromium_path() is None:
        return "Chromium is not installed"
    return None


@dataclass
class Rendered:
    step: int      # 1: the page as loaded; 2, 3, …: after following its page bar
    dom: str


Fetcher = Callable[[str, str, dict[str, str], bytes | None], Response]


class Browser:
    """One headless Chromium for a crawl, started on first use; ``fetch(method, url, headers, body)`` answers
    every request (it raises FetchError for one it must not or cannot make)."""

    def __init__(self, fetch: Fetcher, user_agent: str, timeout: float = 60.0) -> None:
        self._fetch, self.user_agent, self.timeout = fetch, user_agent, timeout
        self._pw = self._browser = None
        self.blocked: list[str] = []

    def _start(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS,
                                                     proxy={"server": NO_PROXY}, timeout=self.timeout * 1000,
                                                     env=fontconfig_env())
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._pw.stop()
            self._browser = self._pw = None

    def render(self, url: str, max_pages: int | None = None) -> list[Rendered]:
        """The listing's DOM as loaded, then after each step through its page bar (下一页 / page numbers)."""
        from playwright.sync_api import Error as PlaywrightError

        context = self._start().new_context(user_agent=self.user_agent, service_workers="block",
                                            java_script_enabled=True)
        own_host, state = host_of(url), {}
        context.route("**/*", lambda route: self._answer(route, own_host, url, state))
        page = context.new_page()
        page.set_default_timeout(self.timeout * 1000)
        out: list[Rendered] = []
        try:
            try:
                page.goto(url, wait_until="load", timeout=self.timeout * 1000)
            except PlaywrightError as e:
                if state.get("error"):
                    raise BrowserError(state["error"]) from None
                raise BrowserError(f"the page's scripts did not finish within {self.timeout:g} s "
                                   f"({str(e).splitlines()[0]})") from None
            self._settle(page)
            if state.get("refused"):
                raise BrowserError(state["refused"], refused=True)
            out.append(Rendered(1, page.content()))
            limit = max_pages or cms.MAX_GENERATED_PAGES
            while len(out) < limit:
                before = page.evaluate(_OUTER)
                if not self._next(page, len(out) + 1):
                    break
                self._settle(page, before)
                if state.get("refused"):
                    raise BrowserError(state["refused"], out, refused=True)
                dom = page.content()
                if dom == out[-1].dom:
                    break
                out.append(Rendered(len(out) + 1, dom))
        except PlaywrightError as e:
            raise BrowserError(f"browser: {str(e).splitlines()[0]}", out) from None
        finally:
            context.close()
        return out

    def _settle(self, page, before: str | None = None) -> None:
        """Wait until the DOM differs from ``before`` (after a click) and the network is quiet, at most SETTLE_MS."""
        from playwright.sync_api import Error as PlaywrightError

        wait = min(SETTLE_MS, self.timeout * 1000)
        try:
            if before is not None:
                page.wait_for_function(f"prev => ({_OUTER})() !== prev", arg=before, timeout=wait)
            page.wait_for_load_state("networkidle", timeout=wait)
        except PlaywrightError:
            pass   # a page that keeps polling or a click that changed nothing: its DOM as it stands

    def _next(self, page, number: int) -> bool:
        """Click the page bar's link to page ``number`` (else 下一页); False when there is none."""
        labels = [str(number)] + sorted(cms.patterns().next_labels - cms.patterns().last_labels, key=len, reverse=True)
        for label in labels:
            loc = page.get_by_text(label, exact=True)
            for i in range(min(loc.count(), 20)):
                el = loc.nth(i)
                if el.is_visible() and "disabled" not in (el.get_attribute("class") or ""):
                    el.click(timeout=self.timeout * 1000)
                    return True
        return False

    def _answer(self, route, own_host: str, main_url: str, state: dict) -> None:
        """Answer one request of the browser with the crawler's client, or block it."""
        req = route.request
        if state.get("refused"):
            route.abort("blockedbyclient")   # the site refused the browser: nothing more is asked
            return
        if host_of(req.url) != own_host:
            self.blocked.append(req.url)
            route.abort("blockedbyclient")
            return
        if req.resource_type in SKIPPED_TYPES:
            route.abort("blockedbyclient")
            return
        headers = {k: v for k, v in req.headers.items()
                   if k.lower() not in ("user-agent", "accept-encoding", "host", "connection", "content-length")}
        is_main = req.is_navigation_request() and req.url.split("#")[0] == main_url
        try:
            resp = self._fetch(req.method, req.url, headers, req.post_data_buffer)
        except FetchError as e:
            if is_main:
                state["error"] = f"{e.status}: {e.reason}"
            route.abort("blockedbyclient" if e.status == "robots" else "failed")
            return
        if resp.status in REFUSED:
            state["refused"] = f"HTTP {resp.status} to the browser ({req.url}); not retried, host left to the static crawl"
        keep = [(k, v) for k, v in resp.headers
                if k.lower() not in ("content-encoding", "content-length", "transfer-encoding", "connection")]
        route.fulfill(status=resp.status, headers=dict(keep), body=resp.body)
