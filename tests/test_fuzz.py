"""Every hostile file of issue 22 ends in one line naming the file and the problem (or a record with a
warning), in seconds, under the memory cap; and the fuzz harness itself: deterministic inputs, a runner
that sorts outcomes, the small fixed set ending cleanly."""
from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from conftest import CORPUS
from govreports import limits, read_report
from govreports.fuzz import hostile
from govreports.fuzz.cases import all_cases, small_cases
from govreports.fuzz.run import classify, run_one, summary
from govreports.limits import TooLargeError
from govreports.numbers import parse_number
from govreports.readers.base import ReaderError
from govreports.readers.pdffilters import decoded
from govreports.readers.pdfguard import check_pdf

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
PAGE = DATA / "corpus-html" / "pingtan_2024.html"
TEXT = CORPUS / "helanxian_2020.txt"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def _build(made: Path, name: str, suffix: str = ".pdf") -> Path:
    return hostile.BUILDERS[name](made / (name + suffix))


@pytest.mark.parametrize("name, what", [
    ("flate_indirect", "a stream at byte 259 decodes to more than 128 MB"),
    ("flate_escaped", "a stream at byte 268 decodes to more than 128 MB"),
    ("flate_behind_hex", "a stream at byte 284 decodes to more than 128 MB"),
    ("flate_far_dictionary", "a stream at byte 16,276 decodes to more than 128 MB"),
    ("tounicode_bomb", "a stream at byte 477 decodes to more than 128 MB"),
    ("cmap_huge_range", "a CMap at byte 869 maps 4,294,967,296 codes; the limit is 1,048,576"),
    ("huge_name", "a name of more than 65,536 bytes at byte 218"),
])
def test_the_guard_reads_stream_dictionaries_like_a_pdf_parser(made, name, what):
    """Indirect and escaped filter names, a filter chain, a dictionary far before ``stream``, a ToUnicode
    bomb, a CMap range over every 4-byte code, a name of megabytes: refused before any library opens them."""
    path = _build(made, name)
    with pytest.raises(TooLargeError) as e:
        check_pdf(path)
    assert str(e.value).startswith(f"{path}: too large to read safely (") and what in str(e.value)


def test_real_reports_pass_the_guard_and_every_layer_of_a_chain_is_decoded(tmp_path, monkeypatch):
    for pdf in [*CORPUS.glob("*.pdf"), *(DATA / "producers-browser").glob("*.pdf")]:
        check_pdf(pdf)
    # a real report's first Flate stream put behind an ASCIIHex layer decodes to the same bytes
    data = (CORPUS / "hongzequ_2024.pdf").read_bytes()
    m = re.search(rb"/Filter\s*/FlateDecode([^>]*>>\s*)stream\r?\n", data)
    end = data.index(b"endstream", m.end())
    raw = data[m.end():end]
    size = len(zlib.decompressobj().decompress(raw))
    assert sum(map(len, decoded([raw.hex().encode()[i:i + 999] + b"" for i in range(0, 2 * len(raw), 999)] + [b">"],
                                ["AHx", "Fl"]))) == size > 1000
    hexed = tmp_path / "hexed.pdf"
    hexed.write_bytes(data[:m.start()] + b"/Filter [/ASCIIHexDecode /FlateDecode]" + m.group(1) + b"stream\n"
                      + raw.hex().encode() + b">\n" + data[end:])
    check_pdf(hexed)
    monkeypatch.setattr(limits, "GOVREPORTS_MAX_PDF_STREAM_MB", (size - 1) / limits.MB)
    at = m.start() + len(b"/Filter [/ASCIIHexDecode /FlateDecode]") + len(m.group(1)) + len(b"stream\n")
    with pytest.raises(TooLargeError, match=f"a stream at byte {at:,} decodes to more than"):
        check_pdf(hexed)


def test_a_form_that_draws_itself_is_refused_in_seconds(made):
    path = _build(made, "self_drawing_form")
    r = run_one(path, time_limit=60)
    assert r.outcome == "error" and r.seconds < 30, r
    assert r.line == f"govreports: {path}: page 1 has a form that draws itself (a cycle of form XObjects); it " \
                     "cannot be laid out"


@pytest.mark.parametrize("name, error, what", [
    ("page_tree_loop", ReaderError, "damaged PDF: page 2 cannot be loaded"),
    ("many_pages", TooLargeError, "100,000 pages; the limit is 2,000, GOVREPORTS_MAX_PDF_PAGES"),
    ("many_pages_with_keywords", TooLargeError, "100,000 pages; the limit is 2,000, GOVREPORTS_MAX_PDF_PAGES"),
    ("million_text_runs", TooLargeError, "page 1 draws 1,000,001 objects; the limit is 50,000"),
    ("deep_arrays", ReaderError, "arrays or dictionaries nested 256 deep at byte 224"),
])
def test_pdf_structures_that_hang_or_crash_the_libraries(made, name, error, what):
    path = _build(made, name)
    with pytest.raises(error) as e:
        read_report(path)
    assert str(e.value).startswith(f"{path}: ") and what in str(e.value) and "\n" not in str(e.value)


def test_tiff_frames_are_capped_in_total(made):
    path = _build(made, "tiff_frames", ".tif")
    assert path.stat().st_size < 100_000
    with pytest.raises(TooLargeError, match=r"200 page images of 19,800 megapixels in all; the limit is 1000 "
                                            r"megapixels, GOVREPORTS_MAX_TOTAL_MEGAPIXELS"):
        read_report(path)


@pytest.mark.parametrize("name, what", [
    ("docx_entities", "the document's XML cannot be parsed safely (Maximum entity amplification"),
    ("docx_deep", "the document's XML cannot be parsed safely (Excessive depth in document: 256"),
    ("docx_text_node", "the document's XML cannot be parsed safely (Resource limit exceeded: Text node too long"),
    ("docx_corrupt_deflate", "a part of the .docx is damaged (its compressed data does not inflate"),
    ("docx_encrypted_flag", "encrypted .docx (needs a password); cannot read it"),
    ("docx_method_99", "a part of the .docx uses a compression method this reader lacks"),
    ("docx_long_span", "a table of 1 rows × about 10^18 columns once its spans are expanded"),
])
def test_docx_failures_get_their_own_reasons(made, name, what):
    path = _build(made, name, ".docx")
    with pytest.raises(ReaderError) as e:
        read_report(path)
    assert str(e.value).startswith(f"{path}: ") and what in str(e.value) and "\n" not in str(e.value)


def test_numbers_and_spans_too_long_for_int(tmp_path):
    assert parse_number("7" * 5000) == parse_number("x" * 5) and parse_number("7" * 5000).value is None
    assert parse_number("7" * 18).value == int("7" * 18)
    assert limits.count(10**4000) == "about 10^4,000" and limits.count(12_345) == "12,345"
    page = PAGE.read_text(encoding="utf-8")
    base = read_report(PAGE).values
    # a value cell of 5,000 digits is text (no count), the other cells are as printed
    m = re.search(r"<td[^>]*>(?:<[^>]+>)*\s*(\d+)\s*<", page)
    (tmp_path / "long.html").write_text(page[:m.start(1)] + "7" * 5000 + page[m.end(1):], encoding="utf-8")
    rep = read_report(tmp_path / "long.html").values
    assert {k for k in base if rep.get(k) != base[k]} == {"t2.a20_1.r1#issued"} and rep["t2.a20_1.r1#issued"] is None
    # a colspan of 5,000 digits is capped like any span past 1,000, before int() sees it
    (tmp_path / "span.html").write_text(page.replace('colspan="4"', f'colspan="{"4" * 5000}"', 1), encoding="utf-8")
    assert read_report(tmp_path / "span.html").values == base


def test_web_page_encodings_and_nesting(made, tmp_path):
    gbk = (DATA / "html" / "helan_2020_county_gbk.html").read_bytes()
    (tmp_path / "undefined.html").write_bytes(gbk.replace(b'charset="gbk"', b'charset="undefined"', 1))
    rep = read_report(tmp_path / "undefined.html")
    assert rep.values == read_report(DATA / "html" / "helan_2020_county_gbk.html").values
    assert any("declares charset undefined" in w for w in rep.warnings)
    path = _build(made, "mhtml_nested", ".mht")
    with pytest.raises(ReaderError, match=re.escape(f"{path}: the saved page (.mht) nests its MIME parts too deeply")):
        read_report(path)


@pytest.mark.parametrize("src", [PAGE, TEXT], ids=["html", "txt"])
def test_one_bad_utf8_byte_reads_with_a_warning_and_utf16_with_a_bom_reads(src, tmp_path):
    data = src.read_bytes()
    base = read_report(src)
    at = data.index("申请".encode()) + 1        # inside a character of running text
    bad = tmp_path / ("bad" + src.suffix)
    bad.write_bytes(data[:at] + b"\xff" + data[at + 1:])
    rep = read_report(bad)
    assert rep.values == base.values and rep.year == base.year
    # the damaged character: its lead byte, the bad byte, its last byte
    assert any("3 byte(s) of the " in w and "not valid UTF-8" in w for w in rep.warnings), rep.warnings
    wide = tmp_path / ("utf16" + src.suffix)
    wide.write_bytes(src.read_text(encoding="utf-8").encode("utf-16"))
    assert read_report(wide).values == base.values


def test_a_gb_page_is_not_taken_for_utf8_with_bad_bytes():
    rep = read_report(DATA / "html" / "helan_2020_county_gbk.html")
    assert rep.year == 2020 and not any("not valid UTF-8" in w for w in rep.warnings)


def test_the_fallback_readers_errors_are_one_line(monkeypatch):
    from govreports.readers import pdf

    def fails(*args, **kw):
        raise KeyError({"Type": "/Font", "Widths": list(range(500))})   # pdfminer printing a font dictionary

    monkeypatch.setattr(pdf, "_text_first", lambda *a: [])   # the ruled reading first, as for a grid that fails
    monkeypatch.setattr(pdf, "_read_camelot", fails)
    monkeypatch.setattr(pdf, "_read_pdfplumber", fails)
    with pytest.raises(ReaderError) as e:
        read_report(CORPUS / "hongzequ_2024.pdf")
    msg = str(e.value)
    assert msg.startswith(f"{CORPUS / 'hongzequ_2024.pdf'}: damaged PDF content: neither camelot nor pdfplumber")
    assert len(msg) < 400 and msg.endswith("...)")


def test_fuzz_cases_are_deterministic_and_cover_every_kind(tmp_path):
    cases = all_cases(ROOT)
    assert len(cases) >= 180 and len({c.name for c in cases}) == len(cases)
    assert {Path(c.filename).suffix for c in cases} >= {".pdf", ".docx", ".html", ".mht", ".txt", ".png", ".tif"}
    for case in [c for c in cases if c.name in ("pdf-flip-10-0", "docx-cd-flip-1", "html-spans-1000", "tiff_frames")]:
        a = case.build(tmp_path / ("a" + case.filename)).read_bytes()
        b = case.build(tmp_path / ("b" + case.filename)).read_bytes()
        assert a == b, case.name


def test_outcomes_are_sorted_from_exit_code_output_and_memory():
    assert classify(0, '{"a": 1}\n', "", 300, 2048) == "record"
    assert classify(1, "", "govreports: x.pdf: damaged or truncated PDF\n", 300, 2048) == "error"
    assert classify(1, "", "govreports: x.pdf: internal error while extracting (KeyError: 1)\n", 300, 2048) == "internal"
    assert classify(1, "", "Traceback (most recent call last):\n  ...\nKeyError: 1\n", 300, 2048) == "traceback"
    assert classify(-6, "", "", 3800, 2048) == "over_cap" and classify(-11, "", "", 900, 2048) == "crash"
    assert classify(1, "", "Traceback ...\nMemoryError\n", 900, 2048) == "over_cap"


def test_the_small_fuzz_set_ends_cleanly(tmp_path):
    results = [run_one(c.build(tmp_path / c.filename), time_limit=60) for c in small_cases(ROOT)]
    assert len(results) == 10
    bad = [r for r in results if r.outcome not in ("record", "error")]
    assert not bad, bad
    assert all(r.peak_mb < limits.GOVREPORTS_MAX_MEMORY_MB for r in results)
    line = summary(results)
    assert re.fullmatch(r"10 inputs: \d+ records, \d+ clean errors, 0 internal errors, 0 tracebacks, 0 hangs, "
                        r"0 over the memory cap, 0 crashes", line), line


def test_a_batch_lands_the_good_reports_and_lists_every_hostile_file(tmp_path):
    """In ``govreports build`` the hostile files of issue 22 are each listed with their one-line reason and
    the real reports beside them all land in the dataset."""
    import shutil

    from govreports.corpus.build import build
    from govreports.corpus.dataset import load

    src = tmp_path / "src"
    src.mkdir()
    hostile_files = {"self_drawing_form": ".pdf", "page_tree_loop": ".pdf", "million_text_runs": ".pdf",
                     "docx_method_99": ".docx", "mhtml_nested": ".mht", "flate_indirect": ".pdf"}
    for name, suffix in hostile_files.items():
        hostile.BUILDERS[name](src / (name + suffix))
    shutil.copy(CORPUS / "hongzequ_2024.pdf", src / "hongzequ_2024.pdf")
    shutil.copy(TEXT, src / "helanxian_2020.txt")
    r = build(src, tmp_path / "out", workers=1, progress=False)
    reasons = {f["file"]: f["reason"] for f in r.failures}
    assert set(reasons) == {name + suffix for name, suffix in hostile_files.items()}
    assert all("\n" not in why and "Traceback" not in why and "internal error" not in why for why in reasons.values())
    assert "draws itself" in reasons["self_drawing_form.pdf"] and "GOVREPORTS_MAX_PAGE_OBJECTS" in reasons[
        "million_text_runs.pdf"]
    assert sorted(load(tmp_path / "out").reports.file) == ["helanxian_2020.txt", "hongzequ_2024.pdf"]
