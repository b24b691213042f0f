"""`govreports review`: every doubtful cell on one static page with its crop; its corrections.csv
goes through `govreports build --corrections`."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest
from PIL import Image

from conftest import CORPUS, CORPUS_HTML, DATA
from govreports.fonts import fontconfig_env
from govreports.corpus.build import build
from govreports.corpus.dataset import load
from govreports.review import write_review
from govreports.review.doubtful import doubtful_cells

TABLE1 = DATA / "images" / "saved" / "pingtan_2024_files" / "table1.png"   # table 二 of 平潭 2024
CELL = "t2.a20_5.r1#decisions"   # 行政许可 处理决定数量, printed 4529
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def misread(tmp_path_factory):
    """A dataset of table 二's picture whose 4529 the recogniser first reads 4528 (tests/build_tasks.py)."""
    from build_tasks import misread_or_extract

    src = tmp_path_factory.mktemp("src")
    shutil.copy2(TABLE1, src / "pingtan_2024_table1_misread.png")
    out = tmp_path_factory.mktemp("ds") / "dataset"
    build(src, out, workers=1, progress=False, task=misread_or_extract)
    return src, out


def test_a_misread_cell_is_on_the_page_with_its_crop_and_the_other_reading(misread, tmp_path):
    _, ds_path = misread
    (d,) = [d for d in doubtful_cells(load(ds_path)) if d.cell == CELL]
    assert (d.value, d.status, d.candidates, d.why) == (4528, "uncertain", ["4529"], ["uncertain"])
    result = write_review(ds_path, tmp_path / "review", progress=False)
    assert (result.cells, result.reports) == (1, 1) and result.crops == 1
    page = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    card = page[page.index(f"data-cell='{CELL}'"):]
    card = card[:card.index("</article>")]
    assert "data-read='4528'" in card and "data-doubtful='1'" in card and "data-v='4529'" in card
    assert "行政许可 / 处理决定数量" in card and "page 1, around the cell" in card
    img = Image.open(tmp_path / "review" / re.search(r"src='(crops/\d+\.jpg)'", card)[1]).convert("RGB")
    x0, y0, x1, y1 = d.bbox
    assert img.width > x1 and img.height < 5 * (y1 - y0)   # the page's width over the cell's row
    r, g, b = img.getpixel((x0, int(1.5 * (y1 - y0))))
    assert r > 180 and g < 90 and b < 90   # the cell boxed in red
    assert "<script" in page and "http://" not in page and "https://" not in page   # no network, script inline


@pytest.mark.skipif(CHROMIUM is None, reason="needs the chromium browser")
def test_typing_the_printed_value_downloads_a_corrections_file_that_build_applies(misread, tmp_path):
    src, ds_path = misread
    write_review(ds_path, tmp_path / "review", progress=False)
    page = tmp_path / "review" / "index.html"
    # what a reviewer does: name, the card is focused, Alt+1 takes the other reading (4529), Ctrl+S
    script = """<script>
    URL.createObjectURL = (blob) => { blob.text().then((t) => { document.body.setAttribute("data-csv", t); }); return "#"; };
    const r = document.getElementById("reviewer"); r.value = "lee";
    const key = (k, o) => document.dispatchEvent(new KeyboardEvent("keydown", Object.assign({key: k, bubbles: true}, o || {})));
    key("1", {altKey: true}); key("s", {ctrlKey: true});
    </script></body>"""
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run",
                          f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120, env=fontconfig_env()).stdout
    text = re.search(r'data-csv="([^"]*)"', dom)[1].replace("&#10;", "\n").replace("&quot;", '"')
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["report_id", "cell", "value", "reason", "reviewer", "date"]
    (row,) = rows[1:]
    rid = load(ds_path).reports.report_id[0]
    assert row[:3] == [rid, CELL, "4529"] and row[4] == "lee" and re.fullmatch(r"\d{4}-\d\d-\d\d", row[5])
    fixes = tmp_path / "corrections.csv"
    fixes.write_text(text, encoding="utf-8")
    from build_tasks import misread_or_extract

    build(src, tmp_path / "corrected", workers=1, progress=False, task=misread_or_extract, corrections=fixes)
    ds = load(tmp_path / "corrected")
    got = ds.cells.set_index("cell").loc[CELL]
    assert (got["value"], got["extracted_value"], got["status"]) == (4529, 4528, "corrected")
    assert ds.corrections.set_index("cell").loc[CELL, "extracted_status"] == "uncertain"
    assert not [d for d in doubtful_cells(ds) if d.cell == CELL]   # reviewed: off the next review page


def test_a_text_pdf_cell_in_a_failed_identity_shows_its_whole_page(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy2(CORPUS / "hongzequ_2023.pdf", src)
    build(src, tmp_path / "ds", workers=1, progress=False)
    result = write_review(tmp_path / "ds", tmp_path / "review", progress=False)
    # 行政复议 总计 0 ≠ 10 + 1 + 0 + 0 and 行政诉讼（复议后起诉） 总计 0 ≠ 5 + 0 + 0 + 0: ten cells, read right
    assert (result.cells, result.crops) == (10, 10)
    page = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert page.count("page 4 (a text-layer PDF keeps no cell position)") == 10
    assert "行政复议 总计 0 ≠ 10 + 1 + 0 + 0" in page and "data-doubtful='0'" in page


def test_a_dataset_without_doubtful_cells_says_so(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy2(CORPUS_HTML / "pingtan_2024.html", src)
    build(src, tmp_path / "ds", workers=1, progress=False)
    result = write_review(tmp_path / "ds", tmp_path / "review", progress=False)
    assert result.cells == 0 and "no doubtful cell" in result.summary()
    assert "No doubtful cell" in (tmp_path / "review" / "index.html").read_text(encoding="utf-8")


def test_a_row_the_reader_lost_is_on_the_page_and_a_correction_adds_it(tmp_path):
    """Table 三's （七）总计 row dropped before mapping (tests/build_tasks.py): its cells are named on the
    review page as not found, and corrections typed from the page add them; the identities then hold."""
    from build_tasks import lost_row_or_extract

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy2(CORPUS_HTML / "pingtan_2024.html", src / "pingtan_2024_lostrow.html")
    build(src, tmp_path / "ds", workers=1, progress=False, task=lost_row_or_extract)
    ds = load(tmp_path / "ds")
    rid = ds.reports.report_id[0]
    assert any("row(s) not found: t3.r3.7" in m for m in ds.checks.message.dropna())
    lost = [d for d in doubtful_cells(ds) if d.status == "missing"]
    assert [d.cell for d in lost] == [f"t3.r3.7#c{k}" for k in range(1, 8)]
    write_review(tmp_path / "ds", tmp_path / "review", progress=False)
    page = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert "data-cell='t3.r3.7#c1'" in page and "not found: a cell the reader lost" in page
    printed = [217, 1, 0, 0, 0, 0, 218]   # what the page prints in that row
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("report_id,cell,value,reason,reviewer,date\n" + "".join(
        f"{rid},t3.r3.7#c{k},{v},row lost by the reader,lee,2026-12-07\n" for k, v in enumerate(printed, start=1)),
        encoding="utf-8")
    build(src, tmp_path / "fixed", workers=1, progress=False, task=lost_row_or_extract, corrections=fixes)
    fixed = load(tmp_path / "fixed")
    cells = fixed.cells.set_index("cell")
    assert [cells.loc[f"t3.r3.7#c{k}", "value"] for k in range(1, 8)] == printed
    assert set(fixed.corrections.extracted_status) == {"missing"} and cells.loc["t3.r3.7#c1", "status"] == "corrected"
    checks = fixed.checks.set_index(["rule", "scope"])
    assert checks.loc[("T3_RESULTS_SUM", "c1"), "status"] == "pass"
    assert ds.checks.set_index(["rule", "scope"]).loc[("T3_RESULTS_SUM", "c1"), "status"] == "skipped"
    assert not [d for d in doubtful_cells(fixed) if d.status == "missing"]
