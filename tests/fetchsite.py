"""A small government report column served on 127.0.0.1 for the fetch tests (real report files as the reports).

Listing page 1 links two 平潭 reports (one answers 429 with Retry-After once), a notice, a report in a
folder robots.txt forbids, and page 2; page 2 links a 洪泽 page whose report is an attached PDF (plus a
.zip), a 贺兰 page with an attached Word file, a redirected report, one that answers 503 once, a GBK
page and a missing one. ETag / Last-Modified are sent and If-None-Match / If-Modified-Since answered
with 304. Every request is logged with its time, so tests can check what was asked and when.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

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
    answer: Callable[[str, dict[str, str]], tuple[int, str, bytes]] | None = None  # a dynamic answer (query, headers)


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
    method: str = "GET"
    query: str = ""


class Site(ThreadingHTTPServer):
    """The fixture site: ``resources`` by path (mutable between fetches), ``log`` of every request."""

    daemon_threads = True

    def __init__(self, resources: dict[str, Resource] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.resources = site_resources() if resources is None else resources
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

    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        site = self.server
        path, _, query = self.path.partition("?")
        if self.command == "POST":
            form = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
            query = "&".join(filter(None, [query, form]))
        with site.lock:
            res = site.resources.get(path)
            status, extra, body, ctype = 404, {}, b"<html><body>not found</body></html>", "text/html"
            if res is not None and res.answer is not None:
                status, ctype, body = res.answer(query, dict(self.headers.items()))
            elif res is not None:
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
            site.log.append(Hit(time.monotonic(), path, status, dict(self.headers.items()), self.command, query))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


# -- sites whose listings a CMS draws (tests/test_fetch_sites.py) ---------------------------------------------

def _png(size: tuple[int, int], color: str = "#c00") -> bytes:
    """A plain picture of ``size`` px (site graphics: logo, QR code, icons)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def _page(title: str, body: str, head: str = "") -> bytes:
    """A government site page: header with logo and nav, the body, a footer with QR code and badges."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>'
            f'<div class="top"><img src="/images/logo.png" alt="某市人民政府"><a href="/">首页</a></div>'
            f'<div class="banner"><img src="/images/banner_2024.jpg"></div>'
            f'{body}'
            f'<div class="bottom"><img src="/images/ewm.png" alt="微信"><img src="/images/dzjg.png" alt="党政机关">'
            f'<span>主办：某市人民政府办公室</span></div></body></html>').encode("utf-8")


def _report_page(title: str, inner: str) -> bytes:
    return _page(title, f'<h1>{title}</h1><div class="info">发布日期：2022-01-18</div>'
                        f'<div id="zoom">{inner}</div>'
                        f'<div class="fj"><img src="/images/xls.gif"><a href="/images/share.html">分享</a></div>')


def _chrome() -> dict[str, Resource]:
    return {"/images/logo.png": Resource(_png((420, 90)), "image/png"),
            "/images/banner_2024.jpg": Resource(_png((1200, 160)), "image/png"),
            "/images/ewm.png": Resource(_png((120, 120)), "image/png"),
            "/images/dzjg.png": Resource(_png((110, 55)), "image/png"),
            "/images/xls.gif": Resource(_png((16, 16)), "image/png"),
            "/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")}


def _text_report(title: str) -> bytes:
    """A report printed as text with its table as a picture (a real screenshot), a QR code in the body too."""
    return _report_page(title, "<p>根据《中华人民共和国政府信息公开条例》，现公布本年度报告。</p>"
                               '<p><img src="/uploadfiles/W020220118_table.png"></p>'
                               '<p><img src="/uploadfiles/W020220118_scan.png" alt="扫一扫"></p>'
                               "<p>一、总体情况</p><p>本年度共主动公开政府信息1234条。</p>")


HANWEB_ITEMS = [  # (href, full title, corpus page or None for a notice, text report)
    ("/art/2024/1/19/art_7_301.html", "某市人民政府2023年政府信息公开工作年度报告", "pingtan_2023.html"),
    ("/art/2023/1/20/art_7_250.html", "某市人民政府2022年政府信息公开工作年度报告", "pingtan_2022.html"),
    ("/art/2022/12/1/art_7_200.html", "关于做好2022年政府信息公开工作年度报告编制工作的通知", None),
    ("/art/2022/1/18/art_7_190.html", "某市人民政府2021年政府信息公开工作年度报告", "text"),
    ("/art/2020/1/15/art_7_90.html", "某市人民政府2019年政府信息公开工作年度报告", "pingtan_2019.html"),
]

JPAGE_JS = r"""
function jpage(cfg) {
  var xml = document.getElementById(cfg.box).querySelector('script[type="text/xml"]').textContent;
  var pages = Math.ceil(cfg.totalRecord / cfg.perPage);
  function records(text) {
    var out = [], re = /<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g, m;
    while ((m = re.exec(text))) out.push(m[1]);
    return out;
  }
  function show(items, n) {
    document.getElementById(cfg.list).innerHTML = items.join('');
    var bar = document.getElementById(cfg.bar); bar.innerHTML = '';
    for (var i = 1; i <= pages; i++) {
      var a = document.createElement('a'); a.href = 'javascript:;'; a.textContent = String(i);
      (function (k) { a.onclick = function () { go(k); }; })(i); bar.appendChild(a);
    }
    if (n < pages) {
      var nx = document.createElement('a'); nx.href = 'javascript:;'; nx.textContent = '下一页';
      nx.onclick = function () { go(n + 1); }; bar.appendChild(nx);
    }
  }
  function go(n) {
    if (n === 1) { show(records(xml), 1); return; }
    var s = (n - 1) * cfg.perPage + 1, e = Math.min(n * cfg.perPage, cfg.totalRecord);
    var x = new XMLHttpRequest();
    x.open('POST', cfg.proxyUrl + '?startrecord=' + s + '&endrecord=' + e + '&perpage=' + cfg.perPage);
    x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    x.onload = function () { show(records(x.responseText), n); };
    x.send(cfg.params);
  }
  document.getElementById(cfg.box).style.display = 'none';
  go(1);
}
"""


def _record(href: str, title: str) -> str:
    return (f'<record><![CDATA[<li><a href="{href}" target="_blank" title="{title}">{title[:20]}…</a>'
            f'<span>2024-01-19</span></li>]]></record>')


def hanweb_resources() -> dict[str, Resource]:
    """A Hanweb JCMS column: 2 records in the page's datastore, 3 more behind dataproxy.jsp (GET or POST)."""
    corpus = DATA / "corpus-html"
    store = "".join(_record(h, t) for h, t, _ in HANWEB_ITEMS[:2])
    listing = _page("政府信息公开年报", (
        '<div id="4521"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
        f'dataproxy.jsp?columnid=7&unitid=9"></a>]]></nextgroup><recordset>{store}</recordset></datastore></script></div>'
        '<ul id="list"></ul><div id="bar"></div><script src="/module/jslib/jpage.js"></script>'
        "<script>jpage({box: '4521', list: 'list', bar: 'bar', proxyUrl: '/module/web/jpage/dataproxy.jsp', "
        "perPage: 2, totalRecord: 5, params: 'columnid=7&unitid=9'});</script>"))

    def dataproxy(query: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        q = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        if q.get("columnid") != "7" or "startrecord" not in q:
            return 400, "text/plain", b"bad request"
        lo, hi = int(q["startrecord"]), int(q["endrecord"])
        recs = "".join(_record(h, t) for h, t, _ in HANWEB_ITEMS[lo - 1:hi])
        return 200, "text/xml; charset=utf-8", (f'<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>'
                                                f'{len(HANWEB_ITEMS)}</totalrecord><recordset>{recs}</recordset>'
                                                f'</datastore>').encode("utf-8")

    r = {**_chrome(),
         "/col/col7/index.html": Resource(listing),
         "/module/jslib/jpage.js": Resource(JPAGE_JS.encode("utf-8"), "application/javascript"),
         "/module/web/jpage/dataproxy.jsp": Resource(b"", answer=dataproxy),
         "/uploadfiles/W020220118_table.png": Resource((DATA / "images" / "pingtan_2021_screen.png").read_bytes(), "image/png"),
         "/uploadfiles/W020220118_scan.png": Resource(_png((150, 150), "#000"), "image/png")}
    for href, title, page in HANWEB_ITEMS:
        body = (_report_page(title, "<p>各单位：请按时报送。</p>") if page is None else
                _text_report(title) if page == "text" else (corpus / page).read_bytes())
        r[href] = Resource(body)
    return r


REQUIRE_JS = r"""
var __mods = {};
function define(name, f) { __mods[name] = f(); }
function require(names, cb) {
  var left = names.length;
  names.forEach(function (n) {
    var s = document.createElement('script'); s.src = '/js/' + n + '.js';
    s.onload = function () { if (--left === 0) cb.apply(null, names.map(function (m) { return __mods[m]; })); };
    document.head.appendChild(s);
  });
}
"""

LIST2_JS = r"""
define('list2.trsapi', function () {
  return { init: function (cfg) {
    var size = +cfg.pageSize, pages = Math.ceil(+cfg.recordCount / size);
    var list = document.querySelector(cfg.container), bar = document.querySelector(cfg.bar);
    function draw(n) {
      bar.innerHTML = '';
      for (var i = 1; i <= pages; i++) {
        var s = document.createElement('span'); s.className = i === n ? 'cur' : 'num'; s.textContent = String(i);
        (function (k) { s.onclick = function () { go(k); }; })(i); bar.appendChild(s);
      }
      if (n < pages) { var nx = document.createElement('span'); nx.textContent = '下一页'; nx.onclick = function () { go(n + 1); }; bar.appendChild(nx); }
    }
    function go(n) {
      if (n <= cfg.maxStaticIndex) { location.reload(); return; }
      var api = ['/irs', 'front', ['se', 'arch'].join('')].join('/');
      fetch(api + '?c=' + cfg.channel + '&p=' + n + '&n=' + size, {headers: {'X-Requested-With': 'XMLHttpRequest'}})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          list.innerHTML = d.data.map(function (x) {
            return '<li><a href="' + x.url + '" title="' + x.title + '">' + x.title + '</a></li>'; }).join('');
          draw(n);
        });
    }
    draw(1);
  } };
});
"""

TRS_ITEMS = [
    ("/col/bmnb/202401/t20240110_5.html", "县交通运输局2023年政府信息公开工作年度报告", "pingtan_2023.html"),
    ("/col/bmnb/202301/t20230109_4.html", "县交通运输局2022年政府信息公开工作年度报告", "pingtan_2022.html"),
    ("/col/bmnb/202201/t20220112_3.html", "县交通运输局2021年政府信息公开工作年度报告", "pingtan_2021.html"),
    ("/col/bmnb/202104/t20210401_2.html", "关于印发《县交通运输局2021年政务公开工作要点》的通知", None),
    ("/col/bmnb/202101/t20210115_1.html", "县交通运输局2020年政府信息公开工作年度报告", "pingtan_2020.html"),
]


def trs_dynamic_resources(third_party: str = "", script: str = "") -> dict[str, Resource]:
    """A TRS 动静结合 column: the static page holds the 2 newest items, pages 2-3 come from a search API the
    page does not name (only its script builds the address). ``third_party``: a host whose analytics, widget
    and pixel the page embeds; ``script``: extra inline script (one that never finishes)."""
    corpus = DATA / "corpus-html"
    items = "".join(f'<li><a href="{h}" title="{t}">{t}</a></li>' for h, t, _ in TRS_ITEMS[:2])
    embeds = (f'<script src="{third_party}/analytics.js"></script><iframe src="{third_party}/widget.html"></iframe>'
              f'<img src="{third_party}/pixel.gif">') if third_party else ""
    listing = _page("部门年报", (
        f'<ul id="list">{items}</ul><div id="pagebar"></div>{embeds}<script src="/js/require.js"></script>'
        f'<script>{script}</script>'
        "<script>require(['list2.trsapi'], function (list) { list.init({channel: 'bmnb', maxStaticIndex: 1, "
        f"recordCount: '{len(TRS_ITEMS)}', pageSize: 2, container: '#list', bar: '#pagebar'}}); }});</script>"))

    def search(query: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        q = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        n, size = int(q.get("p", 1)), int(q.get("n", 2))
        data = [{"title": t, "url": h} for h, t, _ in TRS_ITEMS[(n - 1) * size:n * size]]
        return 200, "application/json; charset=utf-8", json.dumps({"total": len(TRS_ITEMS), "data": data},
                                                                  ensure_ascii=False).encode("utf-8")

    r = {**_chrome(),
         "/col/bmnb/index.html": Resource(listing),
         "/js/require.js": Resource(REQUIRE_JS.encode(), "application/javascript"),
         "/js/list2.trsapi.js": Resource(LIST2_JS.encode("utf-8"), "application/javascript"),
         "/irs/front/search": Resource(b"", answer=search)}
    for href, title, page in TRS_ITEMS:
        r[href] = Resource(_report_page(title, "<p>请各单位认真贯彻落实。</p>") if page is None else (corpus / page).read_bytes())
    return r


def third_party_resources() -> dict[str, Resource]:
    """What a third-party host would serve (analytics, a widget, a pixel): the crawl must never ask."""
    return {"/analytics.js": Resource(b"var _hmt = 1;", "application/javascript"),
            "/widget.html": Resource(b"<html><body>widget</body></html>"),
            "/pixel.gif": Resource(_png((1, 1)), "image/png")}


def refusing_browser(resources: dict[str, Resource]) -> dict[str, Resource]:
    """The same site answering 403 to a browser (a firewall refusing requests with Chromium's client hints)."""
    def guard(res: Resource) -> Resource:
        def answer(query: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
            if any(k.lower() == "sec-ch-ua" for k in headers):
                return 403, "text/html", b"<html><body>403 Forbidden</body></html>"
            return (res.answer(query, headers) if res.answer else (res.status, res.content_type, res.body))
        return Resource(b"", answer=answer)
    return {p: guard(r) if p != "/robots.txt" else r for p, r in resources.items()}


def portal_resources() -> dict[str, Resource]:
    """A county portal: home → 政务公开 → 政府信息公开年报 (the government's) and 部门信息公开 → a department's
    年报 column; a news column and a 信息公开指南 page are not report columns."""
    corpus = DATA / "corpus-html"
    home = _page("某县人民政府", '<div class="nav"><a href="/zwgk/index.html">政务公开</a><a href="/news/index.html">'
                 '新闻动态</a><a href="/hdjl/index.html">互动交流</a></div>')
    zwgk = _page("政务公开", '<ul><li><a href="/zwgk/zn/index.html">政府信息公开指南</a></li>'
                 '<li><a href="/zwgk/ndbg/index.html">政府信息公开年报</a></li>'
                 '<li><a href="/zwgk/bm/index.html">部门信息公开</a></li></ul>')
    bm = _page("部门信息公开", '<ul><li><a href="/zwgk/bm/czj/index.html">县财政局</a></li>'
               '<li><a href="/zwgk/bm/jyj/index.html">县教育局</a></li></ul>')
    czj = _page("县财政局", '<ul><li><a href="/zwgk/bm/czj/zcwj/index.html">政策文件</a></li>'
                '<li><a href="/zwgk/bm/czj/ndbg/index.html">政府信息公开年度报告</a></li></ul>')
    jyj = _page("县教育局", '<ul><li><a href="/zwgk/bm/jyj/ndbg/index.html">年度报告</a></li></ul>')
    ndbg = _page("政府信息公开年报", '<ul><li><a href="/zwgk/ndbg/t20240118_1.html">某县2023年政府信息公开工作年度报告</a></li>'
                 '<li><a href="/zwgk/ndbg/t20230118_1.html">某县2022年政府信息公开工作年度报告</a></li></ul>')
    czj_nb = _page("年度报告", '<ul><li><a href="/zwgk/bm/czj/ndbg/t20240120_2.html">县财政局2023年政府信息公开工作年度报告</a></li></ul>')
    jyj_nb = _page("年度报告", '<ul><li><a href="/zwgk/bm/jyj/ndbg/t20240121_3.html">县教育局2023年政府信息公开工作年度报告</a></li></ul>')
    news = _page("新闻动态", '<ul><li><a href="/news/t1.html">我县召开政务公开工作推进会</a></li></ul>')
    return {**_chrome(), "/": Resource(home), "/zwgk/index.html": Resource(zwgk), "/zwgk/bm/index.html": Resource(bm),
            "/zwgk/bm/czj/index.html": Resource(czj), "/zwgk/bm/jyj/index.html": Resource(jyj),
            "/zwgk/ndbg/index.html": Resource(ndbg), "/zwgk/bm/czj/ndbg/index.html": Resource(czj_nb),
            "/zwgk/bm/jyj/ndbg/index.html": Resource(jyj_nb), "/news/index.html": Resource(news),
            "/zwgk/zn/index.html": Resource(_page("指南", "<p>政府信息公开指南</p>")),
            "/zwgk/ndbg/t20240118_1.html": Resource((corpus / "pingtan_2023.html").read_bytes()),
            "/zwgk/ndbg/t20230118_1.html": Resource((corpus / "pingtan_2022.html").read_bytes()),
            "/zwgk/bm/czj/ndbg/t20240120_2.html": Resource((corpus / "pingtan_2024.html").read_bytes()),
            "/zwgk/bm/jyj/ndbg/t20240121_3.html": Resource((corpus / "pingtan_2021.html").read_bytes())}
