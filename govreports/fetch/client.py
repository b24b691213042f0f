"""HTTP client (httpx): User-Agent, timeouts, a size cap, retries with backoff honouring Retry-After, and
redirects followed hop by hop so that every hop is throttled, allowed by robots.txt and archived."""
from __future__ import annotations

import ssl
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urljoin

import httpx

from govreports.fetch.politeness import Throttle

MAX_BYTES = 100 * 1024 * 1024   # a larger response is not stored (no report is this big; a runaway download is)
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 300.0          # a server asking to wait longer than this is given up on for this run
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL that could not be fetched; ``status`` is a short word for the manifest (error, tls, too_large, robots)."""

    def __init__(self, status: str, reason: str, hops: list["Response"] | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.hops = status, reason, hops or []


@dataclass
class Response:
    """One HTTP response exactly as received (``raw``: body bytes before content decoding) and its body."""

    url: str
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    raw: bytes
    body: bytes
    fetched_at: str
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"
    request_body: bytes = b""

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def now() -> str:
    """The current UTC time as an ISO 8601 string (what the manifest and the WARC record)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _decode_body(raw: bytes, encoding: str | None) -> bytes:
    """Undo Content-Encoding (we only offer gzip and deflate); a body that does not decode is kept as is."""
    enc = (encoding or "").strip().lower()
    try:
        if enc in ("gzip", "x-gzip"):
            return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
        if enc == "deflate":
            try:
                return zlib.decompress(raw)
            except zlib.error:
                return zlib.decompress(raw, -zlib.MAX_WBITS)
    except zlib.error:
        return raw
    return raw


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Client:
    """A polite HTTP client: every request (retries and redirect hops included) waits for the throttle."""

    def __init__(self, throttle: Throttle, user_agent: str, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 2.0, max_bytes: int = MAX_BYTES, verify: bool | ssl.SSLContext = True) -> None:
        self.throttle, self.retries, self.backoff, self.max_bytes = throttle, retries, backoff, max_bytes
        self._http = httpx.Client(headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
                                  timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
                                  follow_redirects=False, verify=verify)

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, headers: dict[str, str] | None = None,
            allowed: Callable[[str], bool] = lambda u: True, method: str = "GET",
            content: bytes | None = None) -> tuple[Response, list[Response]]:
        """GET (or ``method``, e.g. a browser's POST) ``url`` following redirects; return the final response and
        the earlier ones (redirects, retried answers)."""
        hops: list[Response] = []
        for _ in range(MAX_REDIRECTS + 1):
            if not allowed(url):
                raise FetchError("robots", f"disallowed by robots.txt: {url}", hops)
            resp = self._with_retries(url, headers or {}, hops, method, content)
            location = resp.header("location")
            if resp.status in (301, 302, 303, 307, 308) and location:
                hops.append(resp)
                url = urljoin(url, location.strip())
                if resp.status in (301, 302, 303):
                    method, content = "GET", None
                continue
            return resp, hops
        raise FetchError("error", f"more than {MAX_REDIRECTS} redirects", hops)

    def _with_retries(self, url: str, headers: dict[str, str], hops: list[Response], method: str = "GET",
                      content: bytes | None = None) -> Response:
        wait = 0.0
        for attempt in range(self.retries + 1):
            self.throttle.wait(url, at_least=wait)
            last = attempt == self.retries
            try:
                resp = self._once(url, headers, method, content)
            except FetchError as e:
                e.hops = hops
                if e.status != "error" or last:
                    raise
                wait = self.backoff * 2 ** attempt
                continue
            if resp.status not in RETRY_STATUSES or last:
                return resp
            asked = retry_after(resp.header("retry-after"))
            if asked is not None and asked > MAX_RETRY_AFTER:
                return resp
            hops.append(resp)   # archived too: every response as received
            wait = asked if asked is not None else self.backoff * 2 ** attempt
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str], method: str = "GET", content: bytes | None = None) -> Response:
        try:
            request = self._http.build_request(method, url, headers=headers, content=content)
            r = self._http.send(request, stream=True)
            try:
                chunks, size = [], 0
                for chunk in r.iter_raw():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError("too_large", f"response larger than {self.max_bytes // 2**20} MiB, not stored: {url}")
                    chunks.append(chunk)
                raw = b"".join(chunks)
                hdrs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in r.headers.raw]
                return Response(url=url, status=r.status_code, reason=r.reason_phrase, http_version=r.http_version,
                                headers=hdrs, raw=raw, body=_decode_body(raw, r.headers.get("content-encoding")),
                                fetched_at=now(),
                                request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
                                method=method, request_body=content or b"")
            finally:
                r.close()
        except httpx.ConnectError as e:
            if isinstance(e.__context__, ssl.SSLError) or "SSL" in str(e) or "TLS" in str(e):
                raise FetchError("tls", f"TLS error: {e}: {url}") from None
            raise FetchError("error", f"cannot connect: {e}: {url}") from None
        except httpx.TimeoutException as e:
            raise FetchError("error", f"timed out ({type(e).__name__}): {url}") from None
        except (httpx.TransportError, httpx.InvalidURL) as e:
            raise FetchError("error", f"{type(e).__name__}: {e}: {url}") from None
