"""govreports fetch against a real HTTP server on 127.0.0.1 (tests/fetchsite.py), and build on its archive."""
from __future__ import annotations

import csv
import hashlib
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from fetchsite import Site, gbk_page
import govreports
from govreports.fetch import fetch
from govreports.fetch.politeness import user_agent

DELAY = 0.05
FAST = dict(delay=DELAY, progress=False, backoff=0.02, retries=2)
REPORT_PAGES = ["/ogi/pt2023.html", "/ogi/pt2024.html", "/ogi/hz2023.html", "/ogi/helan2020.html", "/old/pt2021.html",
                "/ogi/pt2020.html", "/ogi/pt2022.html"]
ATTACHMENTS = ["/files/hongzequ_2023.pdf", "/files/helan_2020.docx"]


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


def rows(archive: Path) -> list[dict[str, str]]:
    with open(archive / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def by_path(archive: Path, base: str) -> dict[str, dict[str, str]]:
    return {r["url"].removeprefix(base): r for r in rows(archive)}


def test_fetch_archives_every_report_and_attachment_politely(site, tmp_path):
    out = tmp_path / "archive"
    dead = "http://127.0.0.1:1/ogi/index.html"                     # nothing listens on port 1
    tls = site.base.replace("http://", "https://") + "/ogi/index.html"   # TLS spoken to a plain HTTP server
    res = govreports.fetch([site.base + "/ogi/index.html", site.base + "/empty/index.html", dead, tls], out,
                           contact="researcher@example.org", **FAST)
    m = by_path(out, site.base)

    # every report page and attachment is archived, byte for byte, with its provenance
    for path in REPORT_PAGES + ATTACHMENTS:
        row = m[path]
        served = site.resources["/ogi/pt2021.html" if path == "/old/pt2021.html" else path].body
        assert row["status"] == "200" and row["sha256"] == hashlib.sha256(served).hexdigest(), path
        assert (out / row["file"]).read_bytes() == served
        assert row["kind"] == ("attachment" if path in ATTACHMENTS else "report")
        assert row["fetched_at"].endswith("Z") and row["warc_file"].endswith(".warc.gz")
    assert m["/ogi/index.html"]["kind"] == m["/ogi/index_1.html"]["kind"] == "listing"
    assert m["/files/hongzequ_2023.pdf"]["parent_url"] == site.base + "/ogi/hz2023.html"
    assert m["/old/pt2021.html"]["final_url"] == site.base + "/ogi/pt2021.html"
    assert m["/ogi/pt2022.html"]["title"] == "平潭综合实验区2022年度政府信息公开工作年度报告"   # GBK, decoded
    assert m["/ogi/pt2023.html"]["published"] == "2024-03-08"
    assert (res.pages, res.reports, res.attachments) == (3, 7, 2)

    # bad input: one line each in the summary and in the manifest; the crawl went on
    assert (m["/ogi/missing.html"]["status"], m["/ogi/missing.html"]["reason"]) == ("404", "HTTP 404 Not Found")
    assert (m["/files/all.zip"]["status"], m["/files/all.zip"]["reason"]) == ("skipped", "unsupported file type .zip")
    assert m["/empty/index.html"]["reason"] == "no report links on this listing"
    assert m["/private/pt2019.html"]["status"] == "robots"
    assert rows(out)[[r["url"] for r in rows(out)].index(dead)]["status"] == "error"
    assert rows(out)[[r["url"] for r in rows(out)].index(tls)]["status"] == "tls"
    summary = res.summary()
    for needle in ("404: " + site.base + "/ogi/missing.html", "unsupported file type .zip", "no report links on this listing",
                   "robots: " + site.base + "/private/pt2019.html", "error: " + dead, "tls: " + tls):
        assert sum(needle in line for line in summary.splitlines()) == 1, needle
    assert (res.errors, res.robots, res.unsupported) == (3, 1, 1)

    # politeness: robots.txt first, forbidden folder and notices never requested, one UA naming govreports
    paths = site.paths()
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert "/private/pt2019.html" not in paths and "/ogi/notice.html" not in paths
    assert "/img/banner.jpg" not in paths                  # a listing's pictures are not the report's
    assert {h.headers["User-Agent"] for h in site.log} == {user_agent(govreports.__version__, "researcher@example.org")}
    assert "; contact: researcher@example.org)" in site.log[0].headers["User-Agent"]
    gaps = [b.at - a.at for a, b in zip(site.log, site.log[1:])]
    assert min(gaps) >= DELAY * 0.5, gaps      # never back to back (server-side times jitter under load)
    # retries: 429 waits its Retry-After (1 s), 503 is retried, both then archived
    hits = [(h.path, h.status, h.at) for h in site.log]
    i429 = next(i for i, h in enumerate(hits) if h[:2] == ("/ogi/pt2024.html", 429))
    after = next(h for h in hits[i429 + 1:] if h[0] == "/ogi/pt2024.html")
    assert after[1] == 200 and after[2] - hits[i429][2] >= 1.0
    assert [h[1] for h in hits if h[0] == "/ogi/pt2020.html"] == [503, 200]

    # the WARC files hold every response as received, readable by warcio
    responses = {}
    for warc in (out / "warc").glob("*.warc.gz"):
        with open(warc, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    url = rec.rec_headers.get_header("WARC-Target-URI")
                    responses.setdefault(url, []).append((rec.http_headers.get_statuscode(), rec.content_stream().read()))
    assert responses[site.base + "/ogi/pt2023.html"] == [("200", site.resources["/ogi/pt2023.html"].body)]
    assert [s for s, _ in responses[site.base + "/ogi/pt2024.html"]] == ["429", "200"]
    assert [s for s, _ in responses[site.base + "/old/pt2021.html"]] == ["301"]
    assert responses[site.base + "/ogi/pt2022.html"][0][1] == gbk_page()


def test_resume_skips_what_is_archived_and_refresh_is_conditional(site, tmp_path):
    out = tmp_path / "archive"
    fetch([site.base + "/ogi/index.html"], out, **FAST)
    n = len(site.log)
    again = fetch([site.base + "/ogi/index.html"], out, **FAST)
    asked = site.paths()[n:]
    assert sorted(asked) == ["/ogi/missing.html", "/robots.txt"]        # only the failure is asked again
    assert again.archived == 11 and again.reports == 7
    n = len(site.log)
    ref = fetch([site.base + "/ogi/index.html"], out, refresh=True, **FAST)
    conditional = [h for h in site.log[n:] if h.path != "/robots.txt" and h.path != "/ogi/missing.html"]
    assert conditional and all(h.headers.get("If-None-Match") and h.headers.get("If-Modified-Since") for h in conditional)
    assert {h.status for h in conditional if h.path != "/old/pt2021.html"} == {304}
    assert (ref.unchanged, ref.new_versions) == (len(conditional) - 1, 0)   # the 301 hop is not a version


def test_delay_is_honoured_per_host_server_side(site, tmp_path):
    delay = 0.3
    fetch([site.base + "/ogi/hz2023.html", site.base + "/ogi/helan2020.html"], tmp_path / "archive", delay=delay,
          progress=False)
    assert site.paths() == ["/robots.txt", "/ogi/hz2023.html", "/ogi/helan2020.html", "/files/hongzequ_2023.pdf",
                            "/files/helan_2020.docx"]
    gaps = [b.at - a.at for a, b in zip(site.log, site.log[1:])]
    assert min(gaps) >= delay - 0.05, gaps
    assert sum(gaps) / len(gaps) < delay * 2, gaps   # and not much slower than asked


def test_response_over_the_cap_is_not_stored(site, tmp_path):
    out = tmp_path / "archive"
    res = fetch([site.base + "/ogi/hz2023.html"], out, max_bytes=100_000, **FAST)
    row = by_path(out, site.base)["/files/hongzequ_2023.pdf"]
    assert row["status"] == "too_large" and not row["file"] and "larger than" in row["reason"]
    assert not list((out / "files").rglob("*.pdf"))
    assert sum("too_large" in line for line in res.summary().splitlines()) == 1


def test_interrupted_fetch_loses_nothing_and_resumes(site, tmp_path):
    out = tmp_path / "archive"
    code = (f"from govreports.fetch import fetch; fetch([{site.base + '/ogi/index.html'!r}], {str(out)!r}, "
            "delay=0.25, progress=False)")
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len([r for r in rows(out) if r["file"]] if (out / "manifest.csv").exists() else []) < 4:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    kept = [r for r in rows(out) if r["file"]]
    assert 4 <= len(kept) < 11
    for r in kept:   # every row written before the kill has its file, intact
        assert hashlib.sha256((out / r["file"]).read_bytes()).hexdigest() == r["sha256"]
    n = len(site.log)
    fetch([site.base + "/ogi/index.html"], out, **FAST)
    again = {h.path for h in site.log[n:]}
    assert not again & {r["url"].removeprefix(site.base) for r in kept}
    final = [r for r in rows(out) if r["file"]]
    assert len({r["url"] for r in final}) == len(final) == 11    # each archived once, none lost, none doubled


def _direct_folder(site: Site, folder: Path) -> Path:
    """The served report files as a plain folder (what a researcher would have saved by hand)."""
    folder.mkdir()
    for path in ("/ogi/pt2023.html", "/ogi/pt2024.html", "/ogi/pt2021.html", "/ogi/pt2020.html", "/ogi/pt2022.html",
                 "/files/hongzequ_2023.pdf", "/files/helan_2020.docx"):
        (folder / path.rsplit("/", 1)[1]).write_bytes(site.resources[path].body)
    return folder


def _cells(ds):
    return ds.cells.sort_values(["report_id", "cell"]).reset_index(drop=True)[["report_id", "cell", "value", "raw", "status"]]


def test_build_on_archive_equals_direct_build_and_refresh_records_revisions(site, tmp_path):
    import pandas as pd

    from govreports.corpus.build import build
    from govreports.corpus.revisions import revised_reports

    out, ds_dir = tmp_path / "archive", tmp_path / "ds"
    fetch([site.base + "/ogi/index.html"], out, **FAST)
    build(_direct_folder(site, tmp_path / "direct"), tmp_path / "ds_direct", workers=2, progress=False)
    # the extraction cache is keyed by content: the archive build reuses it (what differs is which file
    # stands for which report, and that listings, notices and side attachments are left out)
    shutil.copytree(tmp_path / "ds_direct" / ".cache" / "results", ds_dir / ".cache" / "results")
    build(out, ds_dir, workers=2, progress=False)
    ds, direct = govreports.load(ds_dir), govreports.load(tmp_path / "ds_direct")
    assert len(ds.reports) == 7 and ds.failures.empty
    pd.testing.assert_frame_equal(_cells(ds), _cells(direct))
    r = ds.reports.set_index("report_id")
    assert r.loc["洪泽区人民政府_2023", "url"] == site.base + "/files/hongzequ_2023.pdf"
    assert r.loc["洪泽区人民政府_2023", "page_url"] == site.base + "/ogi/hz2023.html"
    assert r.loc["贺兰县_2020", "url"] == site.base + "/files/helan_2020.docx"
    assert r.loc["平潭综合实验区_2021", "url"] == site.base + "/ogi/pt2021.html"
    assert str(r.loc["洪泽区人民政府_2023", "published"].date()) == "2024-01-30"
    assert set(r["published_source"]) == {"page"} and r["fetched_at"].str.endswith("Z").all()
    assert ds.revisions.empty

    # the agency edits its 2023 report: one number in table 三 and one sentence
    old = site.resources["/ogi/pt2023.html"].body.decode("utf-8")
    new = re.sub(r"(本年新收政府信息公开申请数量.*?>)80(</p>)", r"\g<1>85\g<2>", old, count=1, flags=re.S)
    i = new.index("<table")
    new = new[:i] + "<p>本报告于2025年5月更正了部分数据，特此说明。</p>" + new[i:]
    site.resources["/ogi/pt2023.html"].body = new.encode("utf-8")
    res = fetch([site.base + "/ogi/index.html"], out, refresh=True, **FAST)
    assert res.new_versions == 1
    versions = [row for row in rows(out) if row["url"] == site.base + "/ogi/pt2023.html" and row["file"]]
    assert [v["version"] for v in versions] == ["1", "2"] and versions[0]["file"] != versions[1]["file"]
    assert (out / versions[0]["file"]).read_bytes() == old.encode("utf-8")        # the old version is kept

    build(out, ds_dir, workers=2, progress=False)
    ds = govreports.load(ds_dir)
    rev = ds.revisions
    cells = rev[rev["cell"].notna()]
    assert cells[["report_id", "cell", "old_value", "new_value"]].values.tolist() == [
        ["平潭综合实验区_2023", "t3.r1#c1", "80", "85"]]
    assert (cells["old_sha256"].iloc[0], cells["new_sha256"].iloc[0]) == (versions[0]["sha256"], versions[1]["sha256"])
    assert (cells["old_fetched_at"].iloc[0], cells["new_fetched_at"].iloc[0]) == (versions[0]["fetched_at"], versions[1]["fetched_at"])
    text = rev[rev["cell"].isna()]
    assert len(text) == 1 and "本报告于2025年5月更正了部分数据" in text["summary"].iloc[0]
    latest = ds.cells.set_index(["report_id", "cell"]).loc[("平潭综合实验区_2023", "t3.r1#c1"), "value"]
    assert latest == 85 and len(ds.reports) == 7
    listed = revised_reports(ds)
    assert listed[["report_id", "n_cells_changed", "cells", "text_changed"]].values.tolist() == [
        ["平潭综合实验区_2023", 1, "t3.r1#c1", True]]
    assert (ds_dir / "revisions.csv").is_file() and "revisions" in (ds_dir / "codebook.md").read_text(encoding="utf-8")
    # the data-quality page lists the revised report with its changed cell
    from govreports.render import render

    page = render("data_quality", ds_dir, {}, tmp_path / "dq.html", progress=False).read_text(encoding="utf-8")
    section = page[page.index("Reports edited after publication"):]
    assert "平潭综合实验区_2023" in section and "t3.r1#c1" in section


def test_cli_fetch_then_build(site, tmp_path):
    from typer.testing import CliRunner

    from govreports.cli import app

    out = tmp_path / "archive"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# report column\n{site.base}/ogi/hz2023.html\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["fetch", str(urls), "--out", str(out), "--delay", "0.05", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "0 listing pages, 1 reports, 1 attachments; 0 errors, 0 skipped by robots.txt, 1 unsupported links" in r.output
    assert "skipped: " + site.base + "/files/all.zip: unsupported file type .zip" in r.output


def test_discovery_reads_trs_paging_script_and_ignores_notices():
    from govreports.fetch.discovery import is_report_title, parse_page

    html = ('<html><head><meta charset="gbk"></head><body><ul>'
            '<li><a href="./202403/t20240308_1.html">平潭综合实验区2023年政府信息公开工作年度报告</a></li>'
            '<li><a href="./202401/t20240102_9.html">关于做好2023年政府信息公开工作年度报告编制工作的通知</a></li>'
            '<li><a href="/files/nb2022.pdf">县教育局2022年政府信息公开年报.pdf</a></li></ul>'
            '<script>createPageHTML(5, 0, "index", "shtml");</script></body></html>').encode("gbk")
    page = parse_page(html, "http://www.x.gov.cn/zwgk/ndbg/index.shtml", "text/html", max_pages=3)
    assert [link.url for link in page.reports] == ["http://www.x.gov.cn/zwgk/ndbg/202403/t20240308_1.html"]
    assert [link.url for link in page.attachments] == ["http://www.x.gov.cn/files/nb2022.pdf"]
    assert [link.url for link in page.pages] == ["http://www.x.gov.cn/zwgk/ndbg/index_1.shtml",
                                                 "http://www.x.gov.cn/zwgk/ndbg/index_2.shtml"]
    assert not is_report_title("《2023年政府信息公开工作年度报告》解读")
