"""Politeness: robots.txt rules per site (protego) and at most one request per ``delay`` seconds per host."""
from __future__ import annotations

import threading
import time
from typing import Callable
from urllib.parse import urlsplit

from protego import Protego

PROJECT_URL = "https://github.com/govreports/govreports"   # where a site's webmaster learns who is crawling
USER_AGENT = "govreports/{version} (+" + PROJECT_URL + "; research crawler of OGI annual reports{contact})"


def user_agent(version: str, contact: str | None = None) -> str:
    """The User-Agent every request sends; ``contact`` (an e-mail or a URL) tells a webmaster whom to ask."""
    if contact and any(c in contact for c in "()\r\n"):
        raise ValueError(f"contact {contact!r} must not hold parentheses or line breaks")
    return USER_AGENT.format(version=version, contact=f"; contact: {contact}" if contact else "")
ROBOTS_TOKEN = "govreports"


def host_of(url: str) -> str:
    """scheme://host[:port] of a URL: the unit robots.txt and the delay apply to."""
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}".lower()


class Throttle:
    """Wait so that two requests to one host start at least ``delay`` seconds apart."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = max(0.0, delay)
        self._clock = clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str, at_least: float = 0.0) -> None:
        """Block until the next request to ``url``'s host may start (and ``at_least`` seconds from now)."""
        host = host_of(url)
        with self._lock:
            now = self._clock()
            start = max(self._last.get(host, -1e18) + self.delay, now + at_least)
            self._last[host] = start
        if start > now:
            time.sleep(start - now)


class Robots:
    """robots.txt of each host, fetched once with ``get_text`` (None: none available, so all is allowed).

    When ``get_text`` raises (the host cannot be reached), the error is kept and raised for every URL of the host.
    """

    def __init__(self, get_text: Callable[[str], str | None]) -> None:
        self._get_text = get_text
        self._rules: dict[str, Protego | None] = {}
        self._dead: dict[str, Exception] = {}

    def allowed(self, url: str) -> bool:
        """May ``url`` be requested? robots.txt is read first, the first time a host is seen."""
        host = host_of(url)
        if host in self._dead:
            raise self._dead[host]
        if host not in self._rules:
            try:
                text = self._get_text(host + "/robots.txt")
            except Exception as e:
                self._dead[host] = e
                raise
            self._rules[host] = Protego.parse(text) if text else None
        rules = self._rules[host]
        return rules is None or rules.can_fetch(url, ROBOTS_TOKEN)
