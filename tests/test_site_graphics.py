"""Site graphics (logos, QR codes, banners, file-type icons) are one list of data, asked by the crawler and by
the reader of saved pages: the names below are the real ones of the test site and of saved report pages."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from govreports.fetch import cms
from govreports.readers import htmlimages
from govreports.schema import graphics

# the test site's chrome (tests/fetchsite.py), never requested by the crawler
SITE_CHROME = ["/images/logo.png", "/images/banner_2024.jpg", "/images/ewm.png", "/images/dzjg.png", "/images/xls.gif"]
# pictures of reports (a screenshot of a table, the tables of saved pages in tests/data), always read
REPORT_PICTURES = ["/uploadfiles/W020220118_table.png", "pingtan_2021_files/table3.png", "/zwgk/nb/2020/W0202101四.png"]
# the chrome of the saved 平潭 pages (tests/data/corpus-html): logos, QR code, banner, footer icons
SAVED_PAGE_CHROME = ["/images/site_logo.png", "/images/gh_logo.png", "/images/20xmszf_mzt_ewm.png",
                     "/images/20200907-wz-banner.png", "/images/foot-icon4.png", "/images/red.png"]


def test_crawler_skips_site_chrome_and_keeps_report_pictures() -> None:
    assert all(cms.is_chrome_picture(f"http://127.0.0.1:8000{p}?v=2") for p in SITE_CHROME)
    assert all(cms.is_chrome_picture(f"http://www.pingtan.gov.cn{p}") for p in SAVED_PAGE_CHROME)
    assert not any(cms.is_chrome_picture(f"http://127.0.0.1:8000{p}") for p in REPORT_PICTURES)


def test_reader_list_is_narrower_than_the_crawlers() -> None:
    # file-type icons and logos: never a report's picture, whatever their size
    icons = ["/images/xls.gif", "/images/icon_pdf.png", "/images/site_logo.png", "/images/gh_logo.png", "/images/fj.gif",
             "/images/doc_icon.gif"]
    assert all(graphics.is_site_graphic(p, "reader") for p in icons)
    # a banner or a picture named like a page part may be a report's table: the reader still reads it
    assert not any(graphics.is_site_graphic(p, "reader") for p in ["/images/banner_2024.jpg", "/images/top.jpg", *REPORT_PICTURES])
    assert all(graphics.is_site_graphic(p, "crawler") for p in ["/images/banner_2024.jpg", "/images/top.jpg"])


@pytest.mark.parametrize("ext", ["gif", "png", "jpg"])
def test_both_lists_take_the_file_types_from_one_place(ext: str) -> None:
    for file_type in graphics._data()["file_types"]:   # ofd.gif was missing from the reader's own copy
        assert graphics.is_site_graphic(f"/images/{file_type}.{ext}", "crawler"), file_type
        assert graphics.is_site_graphic(f"/images/{file_type}.{ext}", "reader"), file_type


def test_reader_treats_a_listed_icon_as_small(tmp_path: Path) -> None:
    page = lxml.html.fromstring("<p><img src='/images/ofd.gif'><img src='/uploadfiles/W020220118_table.png'></p>")
    icon, table = page.findall(".//img")
    assert htmlimages._small(icon) and not htmlimages._small(table)


def test_unknown_use_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="crawler, reader"):
        graphics.pattern("pages")
