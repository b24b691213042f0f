"""govreports fetch on CMS-built sites served on 127.0.0.1 (tests/fetchsite.py): a Hanweb JCMS column (datastore
records + dataproxy.jsp paging), a TRS 动静结合 column whose later pages only its script reaches (browser route),
and bad input (no browser, a script that never finishes, 403 to the browser)."""
from __future__ import annotations

import csv
import socket
import threading
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from fetchsite import (HANWEB_ITEMS, TRS_ITEMS, Site, hanweb_resources, refusing_browser, third_party_resources,
                       trs_dynamic_resources)
import govreports
from govreports.fetch import browser, fetch
from govreports.fetch.browser import unavailable
from govreports.fetch.discovery import parse_page
from govreports.fetch.politeness import user_agent

DELAY = 0.1
FAST = dict(delay=DELAY, progress=False, backoff=0.02, retries=1, render_timeout=20)   # every browser wait bounded
needs_browser = pytest.mark.skipif(unavailable() is not None,
                                   reason=f"browser route unavailable ({unavailable()}): .ci/run installs chromium")


@pytest.fixture
def serve():
    started: list[Site] = []

    def start(resources):
        s = Site(resources).start()
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()


def rows(archive: Path) -> list[dict[str, str]]:
    with open(archive / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def kinds(archive: Path, base: str, kind: str) -> set[str]:
    return {r["url"].removeprefix(base) for r in rows(archive) if r["kind"] == kind and r["file"]}


def reports_of(items) -> set[str]:
    return {h for h, t, page in items if page is not None}


def warc_records(archive: Path) -> list:
    out = []
    for warc in (archive / "warc").glob("*.warc.gz"):
        with open(warc, "rb") as fh:
            for rec in ArchiveIterator(fh):
                out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), rec.content_stream().read()))
    return out


def test_hanweb_column_natively_every_report_and_only_the_reports_pictures(serve, tmp_path):
    site = serve(hanweb_resources())
    out = tmp_path / "a"
    res = fetch([site.base + "/col/col7/index.html"], out, **FAST)
    assert kinds(out, site.base, "report") == reports_of(HANWEB_ITEMS)          # 4 reports, 3 of them past page 1
    paths = site.paths()
    assert "/art/2022/12/1/art_7_200.html" not in paths                        # the notice is never asked for
    assert sum(p == "/module/web/jpage/dataproxy.jsp" for p in paths) == 2     # records 3-4 and 5
    # the text report's pictures: the table screenshot is kept, the QR code in its body is too small,
    # the site's logo, banner, footer badges and the xls.gif icon are never requested
    assert kinds(out, site.base, "attachment") == {"/uploadfiles/W020220118_table.png"}
    qr = next(r for r in rows(out) if r["url"].endswith("W020220118_scan.png"))
    assert qr["status"] == "skipped" and qr["reason"].startswith("picture 150x150 px: too small") and not qr["file"]
    assert not [p for p in paths if p.startswith("/images/")]
    assert res.small_pictures == 1 and "1 pictures too small to hold a table" in res.summary()
    # cut titles (…) are read in full from the title attribute
    titles = {r["url"].removeprefix(site.base): r["title"] for r in rows(out) if r["kind"] == "report"}
    assert titles["/art/2022/1/18/art_7_190.html"] == "某市人民政府2021年政府信息公开工作年度报告"


class Listener:
    """A TCP port on 127.0.0.1 keeping the first line sent on each connection (the browser's proxy in a test)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.lines: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.lines.append(conn.recv(300).split(b"\r\n")[0].decode("latin-1"))
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@needs_browser
def test_trs_dynamic_column_through_the_browser_politely(serve, tmp_path, monkeypatch):
    third = serve(third_party_resources())
    site = serve(trs_dynamic_resources(third.base))
    proxy = Listener()                     # whatever the browser sends by itself arrives here (in use: nowhere)
    monkeypatch.setattr(browser, "NO_PROXY", f"http://127.0.0.1:{proxy.sock.getsockname()[1]}")
    out = tmp_path / "a"
    try:
        res = fetch([site.base + "/col/bmnb/index.html"], out, contact="me@example.org", **FAST)
    finally:
        proxy.close()
    # Chromium's own traffic (update checks, sign-in) goes to the proxy, which in use does not exist; none of the
    # page's requests does: each was answered by the crawler's client
    assert not [line for line in proxy.lines if "127.0.0.1" in line or "localhost" in line], proxy.lines
    # the listing says 5 records and shows 2: the browser route draws pages 2 and 3 by itself (no --render-js)
    assert kinds(out, site.base, "report") == reports_of(TRS_ITEMS)
    assert "/col/bmnb/202104/t20210401_2.html" not in site.paths()              # the notice on page 2
    assert res.rendered == 3 and "3 pages rendered in the browser (3 requests to other hosts blocked)" in res.summary()
    search = [h for h in site.log if h.path == "/irs/front/search"]
    assert [h.query for h in search] == ["c=bmnb&p=2&n=2", "c=bmnb&p=3&n=2"]
    # the crawler's rules hold for every request the browser made
    assert third.log == []                                                       # no third-party host asked
    assert {h.headers["User-Agent"] for h in site.log} == {user_agent(govreports.__version__, "me@example.org")}
    assert site.paths().count("/robots.txt") == 1 and site.paths()[0] == "/robots.txt"
    assert site.paths().count("/col/bmnb/index.html") == 1                       # the browser reuses the fetched page
    gaps = [b.at - a.at for a, b in zip(site.log, site.log[1:])]
    assert min(gaps) >= DELAY * 0.5 and sorted(gaps)[len(gaps) // 2] >= DELAY * 0.95, gaps   # browser included
    # every response and each rendered DOM is in the WARC
    recs = warc_records(out)
    responses = {u.removeprefix(site.base).split("?")[0] for t, u, _ in recs if t == "response"}
    assert {"/js/require.js", "/js/list2.trsapi.js", "/irs/front/search"} <= responses
    rendered = [body.decode("utf-8") for t, u, body in recs if t == "resource"]
    assert len(rendered) == 3 and all(TRS_ITEMS[4][1] not in d for d in rendered[:2]) and TRS_ITEMS[4][1] in rendered[2]
    # resumed: nothing asked again (the rendered pages are read from the archive)
    n = len(site.log)
    again = fetch([site.base + "/col/bmnb/index.html"], out, **FAST)
    assert site.paths()[n:] == ["/robots.txt"] and again.reports == 4


@needs_browser
def test_browser_route_and_native_route_archive_the_same_items(serve, tmp_path):
    site = serve(hanweb_resources())
    native, browser = tmp_path / "native", tmp_path / "browser"
    fetch([site.base + "/col/col7/index.html"], native, **FAST)
    res = fetch([site.base + "/col/col7/index.html"], browser, render_js=True, **FAST)
    assert res.rendered == 3
    posted = [h.query for h in site.log if h.method == "POST"]
    assert posted == ["startrecord=3&endrecord=4&perpage=2&columnid=7&unitid=9",
                      "startrecord=5&endrecord=5&perpage=2&columnid=7&unitid=9"]   # the page's own script paged
    drawn = set()
    for r in rows(browser):
        if r["kind"] == "rendered":
            page = parse_page((browser / r["file"]).read_bytes(), site.base + "/col/col7/index.html")
            drawn |= {link.url.removeprefix(site.base) for link in page.reports}
    assert drawn == kinds(native, site.base, "report") == kinds(browser, site.base, "report") == reports_of(HANWEB_ITEMS)
    assert kinds(native, site.base, "attachment") == kinds(browser, site.base, "attachment")


def test_listing_needing_javascript_without_a_browser(serve, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORTS_CHROMIUM", str(tmp_path / "no-chromium"))
    site = serve(trs_dynamic_resources())
    out = tmp_path / "a"
    res = fetch([site.base + "/col/bmnb/index.html"], out, **FAST)
    lines = [p for p in res.summary().splitlines() if "JavaScript" in p]
    assert len(lines) == 1 and "says it has 5 records but shows 2" in lines[0]
    assert "pip install 'govreports[browser]'" in lines[0] and "apt-get install chromium" in lines[0]
    assert kinds(out, site.base, "report") == {h for h, _, _ in TRS_ITEMS[:2]}    # the static items still collected


@needs_browser
def test_script_that_never_finishes_is_cut_at_the_time_limit(serve, tmp_path):
    site = serve(trs_dynamic_resources(script="while (true) {}"))
    out = tmp_path / "a"
    res = fetch([site.base + "/col/bmnb/index.html"], out, **{**FAST, "render_timeout": 3})
    lines = [p for p in res.summary().splitlines() if "browser:" in p]
    assert len(lines) == 1 and "did not finish within 3 s" in lines[0]
    assert kinds(out, site.base, "report") == {h for h, _, _ in TRS_ITEMS[:2]}


@needs_browser
def test_site_answering_403_to_the_browser(serve, tmp_path):
    site = serve(refusing_browser(trs_dynamic_resources()))
    out = tmp_path / "a"
    res = fetch([site.base + "/col/bmnb/index.html", site.base + "/col/bmnb/index.html?v=2"], out, render_js=True,
                **FAST)
    lines = [p for p in res.summary().splitlines() if "browser:" in p]
    assert len(lines) == 1 and "HTTP 403 to the browser" in lines[0]
    assert sum(h.status == 403 for h in site.log) == 1                           # no retry storm, host not asked again
    assert kinds(out, site.base, "report") == {h for h, _, _ in TRS_ITEMS[:2]}


def test_site_from_home_page_finds_the_report_columns(serve, tmp_path):
    from fetchsite import portal_resources

    site = serve(portal_resources())
    out = tmp_path / "a"
    res = fetch([], out, sites=[site.base + "/"], **FAST)
    assert [c.removeprefix(site.base) for c in res.columns] == [
        "/zwgk/ndbg/index.html", "/zwgk/bm/czj/ndbg/index.html", "/zwgk/bm/jyj/ndbg/index.html"]
    assert kinds(out, site.base, "report") == {"/zwgk/ndbg/t20240118_1.html", "/zwgk/ndbg/t20230118_1.html",
                                               "/zwgk/bm/czj/ndbg/t20240120_2.html", "/zwgk/bm/jyj/ndbg/t20240121_3.html"}
    assert kinds(out, site.base, "listing") == set(c.removeprefix(site.base) for c in res.columns)
    assert kinds(out, site.base, "site") == {"/", "/zwgk/index.html", "/zwgk/bm/index.html", "/zwgk/bm/czj/index.html",
                                             "/zwgk/bm/jyj/index.html"}
    asked = set(site.paths())
    assert not asked & {"/news/index.html", "/news/t1.html", "/zwgk/zn/index.html", "/hdjl/index.html",
                        "/zwgk/bm/czj/zcwj/index.html"}                     # news, guide, policy files: not columns
    assert "5 site pages read to find 3 report columns" in res.summary()


def test_many_sources_at_once_each_host_at_its_own_pace(serve, tmp_path, capsys):
    from fetchsite import portal_resources

    hosts = [serve(None), serve(hanweb_resources()), serve(portal_resources())]
    src = tmp_path / "sources.csv"
    src.write_text("url,publisher,division_code\n"
                   f"{hosts[0].base}/ogi/index.html,平潭综合实验区管委会,350128\n"
                   f"{hosts[1].base}/col/col7/index.html,某市人民政府,\n"
                   f"{hosts[2].base}/zwgk/ndbg/index.html,某县人民政府,110101\n"
                   f"{hosts[2].base}/zwgk/bm/czj/ndbg/index.html,某县财政局,110101\n", encoding="utf-8")
    out, delay = tmp_path / "a", 0.3
    res = fetch([], out, sources=src, delay=delay, backoff=0.02, retries=2, hosts_at_once=3)
    assert res.reports == 7 + 4 + 3
    spans = []
    for h in hosts:
        gaps = [b.at - a.at for a, b in zip(h.log, h.log[1:])]
        # one polite queue per host, on the server's clock: servers and crawlers share one process here, so a
        # log line can lag its request (seen: 0.17 s on a loaded machine), shortening the next gap by as much.
        # No burst (two requests back to back), the median gap and the whole span keep the delay.
        assert min(gaps) >= delay * 0.3, gaps
        assert sorted(gaps)[len(gaps) // 2] >= delay * 0.95, gaps
        assert h.log[-1].at - h.log[0].at >= len(gaps) * delay * 0.95, gaps
        assert h.paths().count("/robots.txt") == 1
        spans.append((h.log[0].at, h.log[-1].at))
    assert max(s for s, _ in spans) < min(e for _, e in spans)       # the three hosts were crawled at once
    # the source row is kept on every row reached from it
    m = rows(out)
    pt = [r for r in m if r["url"] == hosts[0].base + "/ogi/pt2023.html"][0]
    assert (pt["publisher"], pt["division_code"], pt["seed"]) == ("平潭综合实验区管委会", "350128",
                                                                  hosts[0].base + "/ogi/index.html")
    czj = [r for r in m if r["url"].endswith("/zwgk/bm/czj/ndbg/t20240120_2.html")][0]
    assert czj["publisher"] == "某县财政局"
    # progress per host
    err = capsys.readouterr().err
    assert all(h.base.removeprefix("http://") in err for h in hosts)
    # a build of the archive takes each report's publisher and division code from its source row
    from govreports.corpus.build import build
    build(out, tmp_path / "ds", workers=2, progress=False)
    # (the hosts serve copies of one another's reports, so which copy a build keeps may differ: every
    # report kept is checked against the row of the page it came from)
    stated = {u: row for row in rows(out) for u in (row["url"], row["final_url"]) if u}
    reports = govreports.load(tmp_path / "ds").reports
    assert len(reports) >= 5
    for _, rep in reports.iterrows():
        row = stated[rep["page_url"]]
        assert rep["publisher"] == row["publisher"], rep["page_url"]
        if row["division_code"]:
            assert rep["division_code"] == row["division_code"], rep["page_url"]
    assert len(set(reports["publisher"]) & {"平潭综合实验区管委会", "某市人民政府", "某县人民政府", "某县财政局"}) >= 2
    # resumed: only robots.txt and what failed is asked again
    before = [len(h.log) for h in hosts]
    again = fetch([], out, sources=src, delay=0.05, progress=False, hosts_at_once=3)
    assert again.archived >= 14 and again.reports == 14
    asked = sorted(p for h, n in zip(hosts, before) for p in h.paths()[n:])
    assert asked == ["/ogi/missing.html", "/robots.txt", "/robots.txt", "/robots.txt"]


def test_hosts_at_once_is_a_bound(serve, tmp_path):
    from fetchsite import portal_resources

    hosts = [serve(portal_resources()) for _ in range(3)]
    src = tmp_path / "sources.csv"
    src.write_text("url\n" + "".join(f"{h.base}/zwgk/ndbg/index.html\n" for h in hosts), encoding="utf-8")
    fetch([], tmp_path / "a", sources=src, delay=0.1, progress=False, hosts_at_once=2)
    spans = sorted((h.log[0].at, h.log[-1].at) for h in hosts)
    assert spans[1][0] < spans[0][1]            # two hosts overlapped …
    assert spans[2][0] >= min(spans[0][1], spans[1][1])   # … the third began only when one of them was done


def test_sources_csv_without_url_column(tmp_path):
    src = tmp_path / "sources.csv"
    src.write_text("address,publisher\nhttp://127.0.0.1:1/,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"sources\.csv: no url column"):
        fetch([], tmp_path / "a", sources=src, progress=False)


def test_start_url_reading_as_a_report_is_a_report(serve, tmp_path):
    from fetchsite import _chrome, _report_page
    from fetchsite import Resource

    title = "某县人民政府2014年政府信息公开工作年度报告"     # before 2019: text only, no tables, nothing attached
    site = serve({**_chrome(), "/art/2015/3/31/art_1.html": Resource(_report_page(title, "<p>一、概述</p><p>2014年，"
                                                                             "我县主动公开政府信息2345条。</p>"))})
    out = tmp_path / "a"
    res = fetch([site.base + "/art/2015/3/31/art_1.html"], out, **FAST)
    assert kinds(out, site.base, "report") == {"/art/2015/3/31/art_1.html"} and res.pages == 0
    assert not [p for p in site.paths() if p.startswith("/images/")]          # its logo, QR code, icons: not its pictures


def test_cli_site_and_sources(serve, tmp_path):
    from typer.testing import CliRunner

    from fetchsite import portal_resources
    from govreports.cli import app

    site = serve(portal_resources())
    r = CliRunner().invoke(app, ["fetch", "--site", site.base + "/", "--out", str(tmp_path / "a"), "--delay", "0.05",
                                 "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "3 listing pages, 4 reports" in r.output and "site pages read to find 3 report columns" in r.output
    src = tmp_path / "s.csv"
    src.write_text(f"url,publisher\n{site.base}/zwgk/ndbg/index.html,某县人民政府\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["fetch", "--sources", str(src), "--out", str(tmp_path / "b"), "--delay", "0.05",
                                 "--no-progress"])
    assert r.exit_code == 0 and "1 listing pages, 2 reports" in r.output, r.output
    r = CliRunner().invoke(app, ["fetch", "--out", str(tmp_path / "c")])
    assert r.exit_code == 2 and "give URLs, --site HOME_PAGE or --sources sources.csv" in r.output


def test_dynamic_listing_naming_its_json_data_source_is_read_natively(serve, tmp_path):
    import json

    from fetchsite import DATA, Resource, _chrome

    corpus = DATA / "corpus-html"
    listing = (Path(__file__).parent / "data" / "fetch" / "cms" / "trs_dynamic_source.html").read_bytes()
    later = {2: [("县财政局2021年政府信息公开工作年度报告", "./202201/t20220110_9.html"),
                 ("关于印发《县财政局2021年政务公开工作要点》的通知", "./202103/t20210301_7.html")],
             3: [("县财政局2020年政府信息公开工作年度报告", "/zwgk/ndbg/202101/t20210111_8.html")]}

    def api(query, headers):
        q = dict(p.split("=", 1) for p in query.split("&"))
        data = [{"title": t, "url": u} for t, u in later.get(int(q.get("page", 0)), [])]
        return 200, "application/json", json.dumps({"total": 6, "data": data}, ensure_ascii=False).encode("utf-8")

    pages = {"/zwgk/ndbg/202401/t20240115_11.html": "pingtan_2023.html", "/zwgk/ndbg/202301/t20230112_10.html":
             "pingtan_2022.html", "/zwgk/ndbg/202201/t20220110_9.html": "pingtan_2021.html",
             "/zwgk/ndbg/202101/t20210111_8.html": "pingtan_2020.html"}
    site = serve({**_chrome(), "/zwgk/ndbg/index.html": Resource(listing), "/zwgk/ndbg/api/list.json": Resource(b"", answer=api),
                  **{p: Resource((corpus / f).read_bytes()) for p, f in pages.items()}})
    out = tmp_path / "a"
    res = fetch([site.base + "/zwgk/ndbg/index.html"], out, **FAST)
    assert kinds(out, site.base, "report") == set(pages) and res.rendered == 0
    assert [h.query for h in site.log if h.path.endswith("list.json")] == ["channel=ndbg&page=2", "channel=ndbg&page=3"]
    assert "/zwgk/ndbg/202103/t20210301_7.html" not in site.paths()


def test_archive_written_before_the_source_columns_is_upgraded_and_resumed(serve, tmp_path):
    from fetchsite import portal_resources

    from govreports.fetch.manifest import ADDED, COLUMNS

    site = serve(portal_resources())
    out = tmp_path / "a"
    fetch([site.base + "/zwgk/ndbg/index.html"], out, **FAST)
    old = [{c: r[c] for c in COLUMNS if c not in ADDED} for r in rows(out)]      # as an earlier version wrote it
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, [c for c in COLUMNS if c not in ADDED])
        w.writeheader()
        w.writerows(old)
    n = len(site.log)
    again = fetch([site.base + "/zwgk/ndbg/index.html"], out, **FAST)
    assert site.paths()[n:] == ["/robots.txt"] and again.archived == 3
    now = rows(out)
    assert list(now[0]) == COLUMNS and len(now) == len(old) + 1                   # header upgraded, rows kept
    assert [{c: r[c] for c in old[0]} for r in now[:len(old)]] == old
    assert now[-1]["seed"] == site.base + "/zwgk/ndbg/index.html"


@needs_browser
def test_browser_obeys_robots_txt(serve, tmp_path):
    from fetchsite import Resource

    resources = trs_dynamic_resources()
    resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /irs/\n", "text/plain")
    site = serve(resources)
    out = tmp_path / "a"
    res = fetch([site.base + "/col/bmnb/index.html"], out, **FAST)
    assert not [p for p in site.paths() if p.startswith("/irs/")]              # the search API is never asked
    assert kinds(out, site.base, "report") == {h for h, _, _ in TRS_ITEMS[:2]} and res.rendered >= 1
