"""The PDF reader: page selection, and tables printed as images inside a text PDF."""
from __future__ import annotations

import pytest

from conftest import CORPUS, DATA, truth
from govreports import read_report
from govreports.readers.pdf import _page_texts, _table_pages


def test_table_pages_are_found_from_text_plus_the_page_after():
    texts = _page_texts(CORPUS / "hongzequ_2024.pdf").texts
    # tables 二 and 三 start on pages 2-3, table 三 ends and 四 sits on page 4; page 5 is read in case
    # a last row spilled over (it holds only prose, so it adds no table)
    assert _table_pages(texts) == [2, 3, 4, 5]


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory):
    """洪泽 2024 with its table pages 3-4 replaced by their scanned images (a text PDF with image tables)."""
    from pypdf import PdfReader, PdfWriter

    text, scan = PdfReader(CORPUS / "hongzequ_2024.pdf"), PdfReader(DATA / "scanned/hongzequ_2024_scan.pdf")
    w = PdfWriter()
    for i in range(5):
        w.add_page((scan if i in (2, 3) else text).pages[i])
    out = tmp_path_factory.mktemp("mixed") / "hongzequ_2024_mixed.pdf"
    w.write(out)
    return out


def test_image_pages_inside_a_text_pdf_are_ocrd(mixed_pdf):
    rep = read_report(mixed_pdf)
    tr = truth("hongzequ_2024")
    assert [k for k, v in tr["cells"].items() if rep.values.get(k) != v] == []
    cells = rep.cells.set_index("cell")
    assert cells.loc["t2.a20_1.r2#in_force", "method"] == "camelot-lattice-vector"   # page 2, text
    assert cells.loc["t3.r1#c7", "method"] == "ocr-rapidocr"                       # page 3, image
    assert 0 < cells.loc["t3.r1#c7", "confidence"] <= 1
    assert rep.meta["ocr_pages"] == [3, 4]


def test_a_spill_over_page_that_draws_no_path_is_not_laid_out(tmp_path):
    """The page after the last page of table anchors is read in case a row spilled over; when it draws
    no path (prose alone) the vector lattice could find no grid there, so it is not laid out."""
    from govreports.readers.layouts import cached_layout
    from govreports.readers.pdf import alternative_readings, read_pdf

    path = tmp_path / "copy.pdf"   # a file of its own: no layout kept from another test
    path.write_bytes((DATA / "producers/lo_v2021_split.pdf").read_bytes())
    assert _page_texts(path).drawn == {3: frozenset()}   # after the anchors of pages 1-2: prose alone
    doc = read_pdf(path)
    assert doc.meta["table_pages"] == [1, 2, 3] and doc.meta["first_reading"] == "textgrid"
    assert [cached_layout(path, p) is not None for p in (1, 2, 3)] == [False, False, False]   # text grid only
    next(alternative_readings(doc))   # its tables do not map cleanly: the ruled reading comes first
    assert [cached_layout(path, p) is not None for p in (1, 2, 3)] == [True, True, False]
    assert _page_texts(CORPUS / "hongzequ_2024.pdf").drawn == {5: {"path"}}   # its page 5 draws a rule: laid out


def _turned(tmp_path, how: str, degrees: int):
    """洪泽 2024 with its table pages 3-5 turned: ``rotate`` sets /Rotate on upright content (shown
    sideways); ``drawn`` draws the content turned on a page whose /Rotate is 0 (a wide table printed
    turned on a portrait page)."""
    from pypdf import PdfWriter

    w = PdfWriter(clone_from=CORPUS / "hongzequ_2024.pdf")
    for page in w.pages[2:]:
        page.rotate(degrees)
        if how == "drawn":
            page.transfer_rotation_to_content()
    out = tmp_path / f"hongzequ_2024_{how}{degrees}.pdf"
    w.write(out)
    return out


@pytest.mark.parametrize("how,degrees", [("rotate", 90), ("drawn", 90), ("drawn", 270), ("rotate", 180)])
def test_pages_showing_their_text_turned_are_read_upright(tmp_path, how, degrees):
    """Every gold cell and check of a report whose table pages show their text turned (the grid finders
    read pages as shown, so they are read from a copy turned back); the warning names each page."""
    gold = truth("hongzequ_2024")
    rep = read_report(_turned(tmp_path, how, degrees))
    assert {k: v for k, v in rep.values.items() if k in gold["cells"]} == gold["cells"]
    back = (360 - degrees) % 360
    assert [w for w in rep.warnings if "turned" in w] == [
        f"page {p} shows its text turned: read it turned {back}° clockwise" for p in (3, 4, 5)]


def test_the_text_grid_reads_first_and_camelot_only_where_it_does_not_map_cleanly(tmp_path):
    """A borderless print whose pages of anchors draw nothing but text is read from the characters alone
    (no page laid out for rulings); LibreOffice's 平潭 2019 table 二 misses cells in the text grid, so camelot
    reads it (and only it): the record says which engine read each table."""
    import json

    from govreports.readers.layouts import cached_layout
    from govreports.readers.pdf import read_pdf

    flat = tmp_path / "flat.pdf"   # a file of its own: no layout kept from another test
    flat.write_bytes((DATA / "producers-browser/chrome_helan_flat.pdf").read_bytes())
    doc = read_pdf(flat)
    assert doc.meta["first_reading"] == "textgrid" and {t.method for t in doc.tables} == {"textgrid"}
    assert not any(cached_layout(flat, p) for p in range(1, 13))
    rep = read_report(flat)
    tr = json.loads((DATA / "producers-browser/chrome_helan_flat.truth.json").read_text(encoding="utf-8"))
    assert [k for k, v in tr["cells"].items() if rep.values.get(k) != v] == [] and len(tr["cells"]) > 150
    assert not any(cached_layout(flat, p) for p in range(1, 13))
    hz = read_report(CORPUS / "hongzequ_2024.pdf")
    assert hz.methods == {"t2": "textgrid", "t3": "textgrid", "t4": "textgrid"}
    lo = read_report(DATA / "producers-office/lo_pingtan_2019.pdf")
    assert lo.methods == {"t2": "camelot-lattice-vector", "t3": "textgrid", "t4": "textgrid"}
    assert lo.to_record()["methods"] == lo.methods
