"""A small government report column served on 127.0.0.1 for the fetch tests (real report files as the reports).

Listing page 1 links two 平潭 reports (one answers 429 with Retry-After once), a notice, a report in a
folder robots.txt forbids, and page 2; page 2 links a 洪泽 page whose report is an attached PDF (plus a
.zip), a 贺兰 page with an attached Word file, a redirected report, one that answers 503 once, a GBK
page and a missing one. ETag / Last-Modified are sent and If-None-Match / If-Modified-Since answered
with 304. Every request is logged with its time, so tests can check what was asked and when.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data"
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


def _listing(title: str, links: list[tuple[str, str]], extra: str = "") -> bytes:
    items = "\n".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2025-01-20</span></li>' for href, text in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<nav><a href="/">首页</a><a href="http://www.gov.cn/">中国政府网</a></nav>'
            f'<div class="banner"><img src="/img/banner.jpg" alt="{title}"></div>'
            f'<h1>{title}</h1><ul>{items}</ul>{extra}</body></html>').encode("utf-8")


def _article(title: str, body: str, published: str = "2024-01-18") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="PubDate" content="{published} 10:00">'
            f'<title>{title}</title></head><body><h1>{title}</h1><div class="info">发布时间：{published}</div>'
            f'<div class="article">{body}</div></body></html>').encode("utf-8")


def gbk_page() -> bytes:
    """平潭 2022 re-encoded as GBK, declared in its meta tag (the server sends no charset)."""
    text = (DATA / "corpus-html" / "pingtan_2022.html").read_text(encoding="utf-8")
    return text.replace('<meta charset="utf-8"', '<meta charset="gbk"', 1).encode("gbk")


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fail_first: list[tuple[int, dict[str, str]]] = field(default_factory=list)   # answers before the real one


def site_resources() -> dict[str, Resource]:
    corpus, html = DATA / "corpus-html", DATA / "html"
    pdf = (DATA / "corpus" / "hongzequ_2023.pdf").read_bytes()
    docx = (html / "helan_2020.docx").read_bytes()
    page1 = _listing("政府信息公开年报", [
        ("pt2023.html", "平潭综合实验区2023年政府信息公开工作年度报告"),
        ("pt2024.html", "平潭综合实验区2024年政府信息公开工作年度报告"),
        ("notice.html", "关于做好2024年政府信息公开工作年度报告编制工作的通知"),
        ("/private/pt2019.html", "平潭综合实验区2019年政府信息公开工作年度报告"),
    ], '<div class="page"><a href="index_1.html">下一页</a></div>')
    page2 = _listing("政府信息公开年报", [
        ("hz2023.html", "淮安市洪泽区2023年政府信息公开工作年度报告"),
        ("helan2020.html", "贺兰县2020年政府信息公开工作年度报告"),
        ("/old/pt2021.html", "平潭综合实验区2021年政府信息公开工作年度报告"),
        ("pt2020.html", "平潭综合实验区2020年政府信息公开工作年度报告"),
        ("pt2022.html", "平潭综合实验区2022年政府信息公开工作年度报告"),
        ("missing.html", "平潭综合实验区2018年政府信息公开工作年度报告"),
    ], '<div class="page"><a href="index.html">上一页</a></div>')
    hz = _article("淮安市洪泽区2023年政府信息公开工作年度报告",
                  "<p>根据《中华人民共和国政府信息公开条例》规定，现公布本年度报告，详见附件。</p>"
                  '<p>附件：<a href="/files/hongzequ_2023.pdf">洪泽区2023年政府信息公开工作年度报告.pdf</a></p>'
                  '<p><a href="/files/all.zip">全部附件打包下载.zip</a></p>', "2024-01-30")
    helan = _article("贺兰县2020年政府信息公开工作年度报告",
                     "<p>根据《中华人民共和国政府信息公开条例》要求，现将本年度报告全文作为附件发布。</p>"
                     '<p>附件：<a href="/files/helan_2020.docx">贺兰县2020年政府信息公开工作年度报告.docx</a></p>',
                     "2021-01-25")
    r = {
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/ogi/index.html": Resource(page1),
        "/ogi/index_1.html": Resource(page2),
        "/ogi/pt2023.html": Resource((corpus / "pingtan_2023.html").read_bytes()),
        "/ogi/pt2024.html": Resource((corpus / "pingtan_2024.html").read_bytes(), fail_first=[(429, {"Retry-After": "1"})]),
        "/ogi/notice.html": Resource(_article("关于做好2024年年度报告编制工作的通知", "<p>各单位：请按时报送。</p>")),
        "/private/pt2019.html": Resource((corpus / "pingtan_2019.html").read_bytes()),
        "/ogi/hz2023.html": Resource(hz),
        "/files/hongzequ_2023.pdf": Resource(pdf, "application/pdf"),
        "/files/all.zip": Resource(b"PK\x03\x04 not served", "application/zip"),
        "/ogi/helan2020.html": Resource(helan),
        "/files/helan_2020.docx": Resource(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "/old/pt2021.html": Resource(b"", status=301, headers={"Location": "/ogi/pt2021.html"}),
        "/ogi/pt2021.html": Resource((corpus / "pingtan_2021.html").read_bytes()),
        "/ogi/pt2020.html": Resource((corpus / "pingtan_2020.html").read_bytes(), fail_first=[(503, {})]),
        "/ogi/pt2022.html": Resource(gbk_page(), "text/html"),
        "/empty/index.html": Resource(_listing("通知公告", [("/ogi/notice.html", "关于开展政务公开培训的通知")])),
    }
    return r


@dataclass
class Hit:
    at: float
    path: str
    status: int
    headers: dict[str, str]


class Site(ThreadingHTTPServer):
    """The fixture site: ``resources`` by path (mutable between fetches), ``log`` of every request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.resources = site_resources()
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "Site":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)

    def paths(self) -> list[str]:
        return [h.path for h in self.log]


class _Handler(BaseHTTPRequestHandler):
    server: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site = self.server
        path = self.path.split("?")[0]
        with site.lock:
            res = site.resources.get(path)
            status, extra, body, ctype = 404, {}, b"<html><body>not found</body></html>", "text/html"
            if res is not None:
                if res.fail_first:
                    status, extra = res.fail_first.pop(0)
                    body = b"<html><body>busy</body></html>"
                else:
                    status, extra, body, ctype = res.status, dict(res.headers), res.body, res.content_type
                    if status == 200:
                        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                        extra.update({"ETag": etag, "Last-Modified": LAST_MODIFIED})
                        if self.headers.get("If-None-Match") == etag:
                            status, body = 304, b""
            site.log.append(Hit(time.monotonic(), path, status, dict(self.headers.items())))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
