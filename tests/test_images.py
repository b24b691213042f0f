"""Image inputs: image files, multi-page TIFFs, photographed pages, pictures of tables in saved pages.

Every fixture in tests/data/images was made from a gold report by make_images.py, so the expected
values come from that report's truth file. OCR is slow on shared cores: each test reads one or two
small table images (the full accuracy sweep is benchmarks/ocr_images.py).
"""
from __future__ import annotations

import email
import email.policy
import re
import shutil
import struct
import time
import zlib

import pytest
from PIL import Image

from conftest import DATA, truth
from govreports import read_report
from govreports.corpus.sources import discover
from govreports.readers import NoTablesError, ReaderError, read_raw, sniff
from govreports.readers.image import NO_TABLES

IMAGES = DATA / "images"
SAVED = IMAGES / "saved"
T4 = [f"t4.b{b}#c{c}" for b in (1, 2, 3) for c in range(1, 6)]


def _t4_of(rep, name: str) -> None:
    gold = truth(name)["cells"]
    got = {c["cell"]: c for c in rep.cell_list}
    assert [got[k]["value"] for k in T4] == [gold[k] for k in T4]
    for k in T4:
        assert got[k]["method"] == "ocr-rapidocr" and 0 < got[k]["confidence"] <= 1


@pytest.mark.parametrize("fmt, suffix", [("PNG", ".png"), ("JPEG", ".jpg"), ("TIFF", ".tif"), ("BMP", ".bmp"),
                                         ("WEBP", ".webp")])
def test_image_kinds_are_sniffed_from_their_bytes(tmp_path, fmt, suffix):
    path = tmp_path / f"page{suffix}.bin"  # the suffix does not decide
    Image.new("L", (60, 40), 255).save(path, format=fmt)
    assert sniff(path) == "image"


def test_a_screenshot_of_table_four_reads_its_gold_values_and_names_its_image():
    rep = read_report(SAVED / "pingtan_2024_files" / "table3.png")
    _t4_of(rep, "pingtan_2024")
    cell = next(c for c in rep.cell_list if c["cell"] == "t4.b3#c5")
    assert cell["page"] == 1 and cell["image"] == "table3.png"
    assert rep.source["kind"] == "image" and any("missing_table" in w for w in rep.warnings)


def test_multipage_tiff_pages_are_numbered_and_named(tmp_path):
    cover = Image.new("L", (620, 870), 255)   # an empty first page
    table = Image.open(SAVED / "pingtan_2024_files" / "table3.png").convert("L")
    path = tmp_path / "report.tif"
    cover.save(path, save_all=True, append_images=[table], compression="tiff_lzw")
    doc = read_raw(path)
    assert doc.kind == "image" and doc.pages == 2
    assert doc.meta["page_images"] == {1: "report.tif#1", 2: "report.tif#2"}
    assert {t.page for t in doc.tables} == {2}


def test_photographed_page_is_straightened_and_table_four_read():
    """A phone photo (perspective, 1.5° tilt, uneven light, blur, JPEG) of the page with table 四."""
    rep = read_report(IMAGES / "hongzequ_2024_photo" / "IMG_0004.jpg")
    _t4_of(rep, "hongzequ_2024")
    gold = truth("hongzequ_2024")["cells"]
    got = rep.values
    rows = ["t3.r3.4.2", "t3.r3.4.3", "t3.r3.5.1", "t3.r3.5.2", "t3.r3.5.3", "t3.r3.5.4", "t3.r3.5.5",
            "t3.r3.6", "t3.r3.7", "t3.r4"]
    assert [[got.get(f"{r}#c{c}") for c in range(1, 8)] for r in rows] == \
        [[gold[f"{r}#c{c}"] for c in range(1, 8)] for r in rows]


def test_image_without_a_table_is_one_line(tmp_path):
    with pytest.raises(NoTablesError, match=re.escape(f"page1.jpg: {NO_TABLES}") + "$"):
        read_raw(IMAGES / "hongzequ_2024_pages" / "page1.jpg")


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_pixel_bomb_is_refused_fast_in_one_line(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header(100_000, 100_000))
    big = tmp_path / "big.png"
    big.write_bytes(_png_header(12_000, 11_000))   # over our limit, under Pillow's own
    t0 = time.perf_counter()
    with pytest.raises(ReaderError, match=r"bomb\.png: too large to read safely \(image of 100,000×100,000 = 10,000 megapixels"):
        read_raw(bomb)
    with pytest.raises(ReaderError, match=r"big\.png: too large to read safely \(image of 12,000×11,000 = 132 megapixels"):
        read_raw(big)
    assert time.perf_counter() - t0 < 60   # refused from the header, never decoded


def test_saved_page_with_a_missing_picture_names_it_and_reads_the_others(tmp_path):
    """pingtan_2024 saved with its tables as pictures; tables 二 and 三's pictures are not on disk."""
    shutil.copy(SAVED / "pingtan_2024.html", tmp_path)
    (tmp_path / "pingtan_2024_files").mkdir()
    shutil.copy(SAVED / "pingtan_2024_files" / "table3.png", tmp_path / "pingtan_2024_files")
    rep = read_report(tmp_path / "pingtan_2024.html")
    _t4_of(rep, "pingtan_2024")
    missing = [w for w in rep.warnings if "not on disk" in w]
    assert missing == ["2 image(s) of the report are not on disk: pingtan_2024_files/table1.png, "
                       "pingtan_2024_files/table2.png"]
    assert rep.source["kind"] == "html" and rep.year == 2024 and rep.agency == truth("pingtan_2024")["agency"]
    assert next(c for c in rep.cell_list if c["cell"] == "t4.b1#c1")["image"] == "table3.png"


def test_saved_page_without_its_pictures_is_one_line(tmp_path):
    shutil.copy(SAVED / "pingtan_2024.html", tmp_path)
    with pytest.raises(NoTablesError, match=r"pingtan_2024\.html: no tables in the page; 3 image\(s\) of the report are not on disk: "
                                            r"pingtan_2024_files/table1\.png, .*table3\.png$"):
        read_raw(tmp_path / "pingtan_2024.html")


def test_mht_pictures_are_read_from_its_parts(tmp_path):
    """The committed .mht with the parts of tables 二 and 三 removed: table 四 comes from its part."""
    msg = email.message_from_bytes((IMAGES / "pingtan_2022.mht").read_bytes(), policy=email.policy.SMTP)
    msg.set_payload([p for p in msg.get_payload() if not p.get("Content-Location", "").endswith(("table1.png", "table2.png"))])
    path = tmp_path / "page.mht"
    path.write_bytes(msg.as_bytes())
    rep = read_report(path)
    _t4_of(rep, "pingtan_2022")
    assert any("2 image(s) of the report are not on disk" in w for w in rep.warnings)


def test_build_sources_keep_page_pictures_with_their_page_and_group_numbered_pages():
    files = [s.file for s in discover(IMAGES)]
    assert "saved/pingtan_2024.html" in files
    assert not any("pingtan_2024_files" in f for f in files)
    assert "hongzequ_2024_pages/" in files and "hongzequ_2024_photo/" in files
    assert not any(f.startswith("hongzequ_2024_pages/page") for f in files)
    assert {"pingtan_2019_screen.png", "hongzequ_2023_scan.tif", "pingtan_2022.mht"} <= set(files)


def test_unrelated_images_in_one_folder_stay_separate_reports(tmp_path):
    for name in ("hongze_2023.png", "pingtan_2024.png", "scan_p1.png"):
        Image.new("L", (60, 40), 255).save(tmp_path / name)
    assert [s.file for s in discover(tmp_path)] == ["hongze_2023.png", "pingtan_2024.png", "scan_p1.png"]


def _tamper(doc, want: str, wrong: str) -> None:
    """Make the recogniser's first reading of the one cell printed ``want`` say ``wrong`` (as a misread
    would); the image itself is untouched, so a re-read still sees ``want``."""
    hits = [(t, i, j) for t in doc.tables for i, row in enumerate(t.rows) for j, c in enumerate(row) if c == want]
    assert len(hits) == 1
    t, i, j = hits[0]
    t.rows[i][j] = wrong


def test_a_misread_that_breaks_an_identity_is_re_read_and_the_image_decides():
    """Table 四 of pingtan_2024 with 行政复议 总计 '7' misread as '1': the block total fails, the
    re-reads of that cell show '7', which makes T4_BLOCK_TOTAL[b1] hold."""
    from govreports.report import build_report

    doc = read_raw(SAVED / "pingtan_2024_files" / "table3.png")
    _tamper(doc, "7", "1")
    rep = build_report(doc)
    _t4_of(rep, "pingtan_2024")
    assert [w for w in rep.warnings if w.startswith("ocr_reread")] == [
        "ocr_reread: t4.b1#c5 (page 1) first read '1', re-read as '7', which makes T4_BLOCK_TOTAL[b1] hold"]
    assert not rep.failed_checks


def test_a_misread_no_identity_covers_is_uncertain_with_every_reading():
    """Table 二 has no identity: 行政许可 4529 misread as 4528 is not corrected but marked uncertain."""
    from govreports.report import build_report

    doc = read_raw(SAVED / "pingtan_2024_files" / "table1.png")
    _tamper(doc, "4529", "4528")
    rep = build_report(doc)
    cell = next(c for c in rep.cell_list if c["cell"] == "t2.a20_5.r1#decisions")
    assert (cell["value"], cell["status"]) == (4528, "uncertain")
    named = [w for w in rep.warnings if w.startswith("uncertain_cell: t2.a20_5.r1#decisions")]
    assert len(named) == 1 and "'4529'" in named[0] and "no identity covers it" in named[0]
    others = {c["cell"]: c for c in rep.cell_list if c["cell"].startswith("t2.a20_6")}
    assert [others[k]["status"] for k in sorted(others)] == ["ok", "ok"]
