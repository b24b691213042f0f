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
    pages = _table_pages(_page_texts(path)[0])[:2]
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
    path = tmp_path / "copy.pdf"
    path.write_bytes((DATA / "producers-office/lo_pingtan_2022.pdf").read_bytes())
    pages = _table_pages(_page_texts(path)[0])
    with quiet():
        for kw in ({"flavor": "lattice", "engine": "vector"}, {"flavor": "lattice", "engine": "vector", "split_text": True},
                   {"flavor": "stream"}):
            own = camelot.read_pdf(str(path), pages=",".join(map(str, pages)), **kw)
            assert _cells(read_tables(path, pages, **kw)) == _cells(own) and own.n > 0
    assert all(cached_layout(path, p) is not None for p in pages)
