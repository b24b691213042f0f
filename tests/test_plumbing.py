"""Pages laid out once: camelot's readings from the shared layouts, and pdfplumber's tables on pages
laid out by playa, equal what each library gives on its own."""
from pathlib import Path

import camelot
import pdfplumber
import pytest

from govreports.readers.layouts import cached_layout, read_tables
from govreports.readers.pdf import _page_texts, _table_pages, quiet
from govreports.readers.plumbing import find_tables

DATA = Path(__file__).parent / "data"


def _cells(tables):
    return [(t.page, [[c.text for c in row] for row in t.cells]) for t in tables]


@pytest.mark.parametrize("name", ["producers/lo_v2021_split.pdf", "producers-browser/chrome_pingtan_2021.pdf"])
@pytest.mark.parametrize("after_camelot", [False, True])
def test_playa_layout_gives_pdfplumber_its_own_tables(name, after_camelot, tmp_path):
    path = tmp_path / "copy.pdf"   # a file of its own: no layout kept from another test
    path.write_bytes((DATA / name).read_bytes())
    pages = _table_pages(_page_texts(path).texts)[:2]
    with quiet(), pdfplumber.open(path) as pdf:
        own = [(p, t.extract()) for p in pages for t in pdf.pages[p - 1].find_tables()]
    with quiet():
        if after_camelot:   # pdfplumber then reads camelot's layouts of the pages
            read_tables(path, pages, flavor="lattice", engine="vector")
        assert (cached_layout(path, pages[0]) is not None) == after_camelot
        ours = list(find_tables(path, pages))
    assert sum(len(rows) for _, rows in own) > 10
    assert ours == own
    assert list(find_tables(path.read_bytes(), pages)) == own   # a decrypted copy in memory reads the same


def test_camelot_readings_from_shared_layouts_equal_camelots_own(tmp_path):
    path = tmp_path / "copy.pdf"   # fonts whose descents playa and pdfminer agree on (see the next test)
    path.write_bytes((DATA / "corpus/hongzequ_2023.pdf").read_bytes())
    pages = _table_pages(_page_texts(path).texts)
    with quiet():
        for kw in ({"flavor": "lattice", "engine": "vector"}, {"flavor": "lattice", "engine": "vector", "split_text": True},
                   {"flavor": "stream"}):
            own = camelot.read_pdf(str(path), pages=",".join(map(str, pages)), **kw)
            assert _cells(read_tables(path, pages, **kw)) == _cells(own) and own.n > 0
    assert all(cached_layout(path, p) is not None for p in pages)


def test_layout_characters_sit_where_pdfminer_puts_them(tmp_path):
    """LibreOffice writes its fonts with Ascent and Descent 0: playa alone then takes the descent from
    the font's bounding box and a CJK character's box reaches a whole line down, so camelot put header
    words into the row below. The shared layouts use pdfminer's descent: every character's box on the
    table pages is pdfminer's own (pdfplumber's), and each of table 四's headers is in its own row."""
    path = tmp_path / "copy.pdf"
    path.write_bytes((DATA / "producers-office/lo_pingtan_2022.pdf").read_bytes())
    pages = _table_pages(_page_texts(path).texts)
    with quiet():
        tables = read_tables(path, pages, flavor="lattice", engine="vector")
    with pdfplumber.open(path) as pdf:
        for p in pages:
            ours = sorted((round(c.x0, 3), round(c.y0, 3), round(c.x1, 3), round(c.y1, 3), c.get_text())
                          for c in cached_layout(path, p)[3])
            theirs = sorted((round(c["x0"], 3), round(c["y0"], 3), round(c["x1"], 3), round(c["y1"], 3), c["text"])
                            for c in pdf.pages[p - 1].chars)
            assert len(ours) > 300 and ours == theirs
    t4 = [[c.text.strip() for c in row] for row in tables[-1].cells]   # camelot alone: a header word a row down
    assert [t4[0][0], t4[0][5], t4[1][5], t4[1][10]] == ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"], t4


def test_bevelled_browser_borders_are_rulings(tmp_path):
    """Chromium prints a border=1 table's vertical borders as thin trapezoids (bevelled corners):
    camelot alone finds no grid on those pages; with them taken as rulings every gold cell reads, in
    camelot's ruled reading (offered first after the text grid) as in the text grid's, which takes the
    same trapezoids as its rulings."""
    import json

    from govreports import read_report
    from govreports.mapping import map_tables
    from govreports.readers.pdf import alternative_readings, read_pdf

    truth_file = DATA / "producers-browser/chrome_helan_county.truth.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    path = tmp_path / "copy.pdf"
    path.write_bytes((truth_file.parent / truth["source"]).read_bytes())
    with quiet():
        assert camelot.read_pdf(str(path), pages="3", flavor="lattice", engine="vector").n == 0
        assert [len(t.cells) for t in read_tables(path, [3], flavor="lattice", engine="vector")] == [11]
    ruled = next(alternative_readings(read_pdf(path)))
    mapped = map_tables(ruled)
    assert set(mapped.methods.values()) == {"camelot-lattice-vector"}
    assert {k: c.value for k, c in mapped.cells.items() if k in truth["cells"]} == truth["cells"]
    rep = read_report(path)
    assert set(rep.methods.values()) == {"textgrid"}
    assert {k: v for k, v in rep.values.items() if k in truth["cells"]} == truth["cells"]
    assert {f"{c['rule']}[{c['scope']}]" for c in rep.checks
            if c["status"] == "fail" and c["severity"] == "error"} == set(truth["failed_checks"])


def test_raster_lattice_is_skipped_only_on_pages_of_text_and_vector_rulings(tmp_path):
    from govreports.readers.layouts import nothing_to_render

    path = tmp_path / "copy.pdf"
    path.write_bytes((DATA / "producers-browser/chrome_helan_county.pdf").read_bytes())
    assert not nothing_to_render(path, 2)            # not laid out yet: nothing is skipped
    with quiet():
        read_tables(path, [1, 2, 3], flavor="lattice", engine="vector")
    assert [nothing_to_render(path, p) for p in (1, 2, 3)] == [False, True, False]   # a logo and borders; prose only
    # LibreOffice: prose and the one-row start of table 二 boxed by four stroked lines, where the vector
    # lattice finds no grid: a rendered page shows the raster lattice the same four lines
    path.write_bytes((DATA / "producers-office/lo_pingtan_2022.pdf").read_bytes())
    with quiet():
        assert read_tables(path, [3], flavor="lattice", engine="vector").n == 0
        assert read_tables(path, [3], flavor="lattice").n == 0
    assert nothing_to_render(path, 3)
