"""pdfplumber's tables on pages laid out by playa equal pdfplumber's own (pdfminer) reading."""
from pathlib import Path

import pdfplumber
import pytest

from govreports.readers.pdf import _page_texts, _table_pages, quiet
from govreports.readers.plumbing import find_tables

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["producers/lo_v2021_split.pdf", "producers-browser/chrome_pingtan_2021.pdf"])
def test_playa_layout_gives_pdfplumber_its_own_tables(name):
    path = DATA / name
    pages = _table_pages(_page_texts(path)[0])[:2]
    with quiet(), pdfplumber.open(path) as pdf:
        own = [(p, t.extract()) for p in pages for t in pdf.pages[p - 1].find_tables()]
    with quiet():
        ours = list(find_tables(path, pages))
    assert sum(len(rows) for _, rows in own) > 10
    assert ours == own
    assert list(find_tables(path.read_bytes(), pages)) == own   # a decrypted copy in memory reads the same
