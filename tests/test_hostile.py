"""Hostile and huge inputs: every reader bounds what it decodes, and a build caps each file's memory.

The bombs are made in milliseconds (``bombs.py``); each would take gigabytes if read naively (the
.docx and PDF ones are the sizes of the issue's: ~2 GB and 1.5 GB from ~3 MB).
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import bombs
from conftest import CORPUS
from govreports import limits, read_report
from govreports.corpus.build import build
from govreports.corpus.dataset import load
from govreports.corpus.memory import parse_size
from govreports.limits import TooLargeError
from govreports.readers.pdfguard import check_pdf

GOVREPORTS = str(Path(sys.executable).with_name("govreports"))
DATA = Path(__file__).parent / "data"
GOOD = CORPUS / "hongzequ_2024.pdf"
PAGE = DATA / "corpus-html" / "pingtan_2024.html"
GB = 1 << 30


def _owner_encrypted(src: Path, dst: Path) -> Path:
    """``src`` encrypted with an owner password only: it opens without one, its streams are ciphertext."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(src))
    w.encrypt(user_password="", owner_password="owner", permissions_flag=0)
    w.write(dst)
    return dst


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    out = {
        "docx": bombs.docx_bomb(d / "bomb.docx", 2 * 10**9),
        "pdf": bombs.pdf_flate_bomb(d / "bomb.pdf", 1_500_000_000),
        "pdf2": bombs.pdf_flate_bomb(d / "double.pdf", 4 * 10**9, layers=2),
        "scan_image": bombs.pdf_scanned(d / "huge_image.pdf", 60_000, 60_000),
        "scan_page": bombs.pdf_scanned(d / "huge_page.pdf", 100, 100, page=(14_400, 14_400)),
        "png": bombs.png_bomb(d / "huge.png", 100_000, 100_000),
        "html": bombs.big_html(d / "huge.html", PAGE.read_bytes(), 200 * 10**6),
    }
    out["pdf_encrypted"] = _owner_encrypted(out["pdf"], d / "encrypted_bomb.pdf")
    return out


def _run(args: list[str], tmp: Path, env: dict | None = None) -> tuple[int, str, str, float, int]:
    """Run govreports; return (exit code, stdout, stderr, seconds, peak RSS of that process in bytes)."""
    out, err = tmp / "stdout", tmp / "stderr"
    t0 = time.monotonic()
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([GOVREPORTS, *args], stdout=o, stderr=e, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return (proc.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"),
            time.monotonic() - t0, usage.ru_maxrss * 1024)


def test_extract_rejects_each_bomb_in_one_line_and_reads_the_good_report(bomb_files, tmp_path):
    files = [*map(str, bomb_files.values()), str(GOOD)]
    code, out, err, seconds, peak = _run(["extract", "-f", "jsonl", *files], tmp_path)
    lines = err.splitlines()
    assert code == 1 and "Traceback" not in err
    assert len(lines) == len(bomb_files), err
    for kind, path in bomb_files.items():
        mine = [line for line in lines if line.startswith(f"govreports: {path}: too large to read safely (")]
        assert len(mine) == 1, (kind, err)
        assert re.search(r"\d", mine[0].split("(", 1)[1]) and "GOVREPORTS_MAX_" in mine[0], mine[0]
    assert "1,920 MB" in err and "60,000×60,000" in err and "36,000×36,000" in err and "191 MB" in err
    record = json.loads(out)
    assert record["source"]["path"] == str(GOOD) and record["year"] == 2024 and "洪泽" in record["agency"]
    assert seconds < 60 and peak < 2 * GB, (seconds, peak)


def test_a_zip_whose_headers_lie_stays_bounded(tmp_path):
    liar = bombs.docx_bomb(tmp_path / "liar.docx", 2 * 10**9, declared=1000)
    code, _, err, seconds, peak = _run(["extract", str(liar)], tmp_path)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err and str(liar) in err
    assert seconds < 60 and peak < 2 * GB
    # the unpacking stream itself is bounded too, whatever the headers say
    gz = io.BytesIO(gzip.compress(b"\0" * (64 << 20), 1))
    with pytest.raises(TooLargeError, match=r"member unpacks to more than 16 MB"):
        limits.bounded_size(gzip.GzipFile(fileobj=gz), 16 << 20, "x.docx", "member", "GOVREPORTS_MAX_DOCX_XML_MB")


def test_span_bombs_in_tables_are_refused(tmp_path):
    rows = "<tr><td colspan=1000>1</td><td colspan=1000>2</td></tr>" + "<tr><td>3</td></tr>" * 999
    page = tmp_path / "spans.html"
    page.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    with pytest.raises(TooLargeError, match=r"1,000 rows × 2,000 columns.*GOVREPORTS_MAX_TABLE_CELLS"):
        read_report(page)
    # a real .docx with one cell's gridSpan printed as two billion
    src = DATA / "html" / "helan_2020.docx"
    bomb = tmp_path / "gridspan.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = re.sub(rb'w:gridSpan w:val="\d+"', b'w:gridSpan w:val="2000000000"', data, count=1)
            zout.writestr(info, data)
    with pytest.raises(TooLargeError, match=r"columns once its spans are expanded"):
        read_report(bomb)
    assert read_report(src).year == 2020   # the file it was made from reads


def test_a_page_of_millions_of_tags_is_refused_before_parsing(tmp_path):
    page = PAGE.read_bytes()
    body = page.rfind(b"</body>")
    dense = tmp_path / "dense.html"
    dense.write_bytes(page[:body] + b"<p>x</p>" * 300_000 + page[body:])
    t0 = time.monotonic()
    with pytest.raises(TooLargeError, match=r"a page of 6[\d,]+ tags; the limit is 500,000, GOVREPORTS_MAX_PAGE_TAGS"):
        read_report(dense)
    assert time.monotonic() - t0 < 5


def test_page_size_limit_is_configurable(tmp_path, monkeypatch):
    page = bombs.big_html(tmp_path / "padded.html", PAGE.read_bytes(), 3 * 10**6)
    rep = read_report(page)   # under the default limit the padded page reads like the original
    assert rep.values == read_report(PAGE).values and rep.year == 2024
    monkeypatch.setattr(limits, "GOVREPORTS_MAX_PAGE_MB", 2)
    with pytest.raises(TooLargeError, match=r"a page of 2.86 MB; the limit is 2 MB, GOVREPORTS_MAX_PAGE_MB"):
        read_report(page)
    code, _, err, _, _ = _run(["extract", str(page)], tmp_path, env={"GOVREPORTS_MAX_PAGE_MB": "2"})
    assert code == 1 and err.startswith(f"govreports: {page}: too large to read safely (a page of 2.86 MB")


def test_pdf_guard_inflates_real_streams_and_passes_real_reports(monkeypatch):
    for pdf in [*CORPUS.glob("*.pdf"), *(DATA / "scanned").glob("*.pdf")]:
        check_pdf(pdf)   # no real report trips a limit
    monkeypatch.setattr(limits, "GOVREPORTS_MAX_PDF_STREAM_MB", 0.01)
    with pytest.raises(TooLargeError, match=r"a stream at byte [\d,]+ decodes to more than 0.01 MB"):
        check_pdf(GOOD)   # its streams are really inflated and counted
    monkeypatch.setattr(limits, "GOVREPORTS_MAX_PDF_STREAM_MB", 128)
    scan = DATA / "scanned" / "hongzequ_2024_scan.pdf"
    monkeypatch.setattr(limits, "GOVREPORTS_MAX_RENDER_MEGAPIXELS", 3)
    with pytest.raises(TooLargeError, match=r"page 1 rendered at 180 dpi of 1,488×2,106 = 3.1 megapixels; the "
                                            r"limit is 3 megapixels, GOVREPORTS_MAX_RENDER_MEGAPIXELS"):
        read_report(scan)   # an A4 page for OCR
    monkeypatch.setattr(limits, "GOVREPORTS_MAX_MEGAPIXELS", 1)
    with pytest.raises(TooLargeError, match=r"an image in the PDF of [\d,]+×[\d,]+ = [\d.]+ megapixels"):
        read_report(scan)   # its scanned page images, before any decoding


def test_build_lands_the_good_report_and_lists_the_bombs(bomb_files, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for kind in ("docx", "pdf", "scan_page", "html"):
        os.link(bomb_files[kind], src / bomb_files[kind].name)   # same file system: no 200 MB copy
    shutil.copy(GOOD, src / GOOD.name)
    r = build(src, tmp_path / "out", workers=1, progress=False)
    kinds = {f["file"]: f["kind"] for f in r.failures}
    assert kinds == {"bomb.docx": "too_large", "bomb.pdf": "too_large", "huge_page.pdf": "too_large",
                     "huge.html": "too_large"}
    assert all("too large to read safely" in f["reason"] for f in r.failures)
    reports = load(tmp_path / "out").reports
    assert reports.file.tolist() == [GOOD.name] and reports.year.tolist() == [2024]


def test_memory_cap_stops_a_bomb_let_past_the_reader_limits(bomb_files, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORTS_MAX_PDF_STREAM_MB", "100000")   # workers read their limits from here
    monkeypatch.setenv("GOVREPORTS_MAX_PDF_DECODED_MB", "100000")
    src = tmp_path / "src"
    src.mkdir()
    os.link(bomb_files["pdf"], src / "bomb.pdf")
    (src / "hog.txt").write_text("any", encoding="utf-8")   # the test task eats memory on it
    shutil.copy(CORPUS / "helanxian_2020.txt", src / "helan.txt")
    from build_tasks import hog_or_extract

    r = build(src, tmp_path / "out", workers=1, progress=False, task=hog_or_extract, max_memory=parse_size("700M"))
    assert sorted((f["file"], f["kind"]) for f in r.failures) == [("bomb.pdf", "memory"), ("hog.txt", "memory")]
    assert all(re.search(r"used [\d,]+ MB of memory, over the 700 MB limit", f["reason"]) for f in r.failures)
    assert load(tmp_path / "out").reports.file.tolist() == ["helan.txt"]


def test_memory_sizes_parse():
    assert parse_size("2G") == 2 * GB and parse_size("1500M") == 1500 << 20 and parse_size("512") == 512 << 20
    assert parse_size("1.5GB") == int(1.5 * GB) and parse_size("none") is None
    with pytest.raises(ValueError, match="not a memory size"):
        parse_size("lots")
