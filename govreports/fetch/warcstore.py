"""The WARC files of an archive (warcio): every request and response exactly as sent and received.

Each run appends to its own gzip-compressed WARC file under ``ARCHIVE/warc/``; each record is flushed
and synced to disk as soon as it is written, so an interrupted fetch loses nothing already received.
Bodies keep their content coding (gzip) as received; only the transfer chunking, which httpx removes, is
not kept (WARC readers such as warcio read such records as they are).
"""
from __future__ import annotations

import io
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govreports.fetch.client import Response


class WarcStore:
    """Append-only WARC writer for one fetch run (the file is created on the first record)."""

    def __init__(self, folder: Path, software: str) -> None:
        self.folder = Path(folder)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        self.name = f"govreports-{stamp}-{os.getpid()}.warc.gz"
        self._software = software
        self._fh = None
        self._writer: WARCWriter | None = None
        self._lock = threading.RLock()     # several hosts' crawlers write one WARC file (fetch --sources)

    @property
    def path(self) -> Path:
        return self.folder / self.name

    def _open(self) -> WARCWriter:
        with self._lock:
            return self._open_locked()

    def _open_locked(self) -> WARCWriter:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")
            self._writer = WARCWriter(self._fh, gzip=True)
            info = self._writer.create_warcinfo_record(self.name, {"software": self._software,
                                                                   "format": "WARC File Format 1.1"})
            self._write(info)
        return self._writer

    def _write(self, record) -> None:
        with self._lock:
            assert self._writer is not None and self._fh is not None
            self._writer.write_record(record)
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def add(self, resp: Response, sha256: str) -> str:
        """Store the request and the response exactly as received; return the response's WARC-Record-ID."""
        w = self._open()
        date = resp.fetched_at
        parts = urlsplit(resp.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req = w.create_warc_record(resp.url, "request", payload=io.BytesIO(resp.request_body),
                                   warc_headers_dict={"WARC-Date": date},
                                   http_headers=StatusAndHeaders(f"{resp.method} {target} HTTP/1.1", resp.request_headers,
                                                                 is_http_request=True))
        http = StatusAndHeaders(f"{resp.status} {resp.reason}".strip(), resp.headers,
                                protocol=resp.http_version if resp.http_version.startswith("HTTP/") else "HTTP/1.1")
        rec = w.create_warc_record(resp.url, "response", payload=io.BytesIO(resp.raw), http_headers=http,
                                   warc_headers_dict={"WARC-Date": date, "WARC-Govreports-Body-Sha256": sha256})
        req.rec_headers.add_header("WARC-Concurrent-To", rec.rec_headers.get_header("WARC-Record-ID"))
        with self._lock:
            self._write(rec)
            self._write(req)
        return rec.rec_headers.get_header("WARC-Record-ID")

    def add_rendered(self, url: str, dom: str, step: int) -> str:
        """Store the DOM a browser rendered for ``url`` (page ``step`` of its page bar) as a resource record."""
        w = self._open()
        rec = w.create_warc_record(url, "resource", payload=io.BytesIO(dom.encode("utf-8")),
                                   warc_content_type="text/html; charset=utf-8",
                                   warc_headers_dict={"WARC-Govreports-Rendered-Page": str(step)})
        self._write(rec)
        return rec.rec_headers.get_header("WARC-Record-ID")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh, self._writer = None, None
