"""The fuzz set: malformed and hostile inputs of every kind the reader takes, made deterministically.

Mutations of real reports (truncations, byte flips, broken xref tables and stream lengths, broken zip
directories, wrong encodings, huge spans and nesting) and the hand-built files of ``hostile``. Every
case is a name and a builder writing the file; the same seeds give byte-identical files on every run.
"""
from __future__ import annotations

import random
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import hostile
from .bombs import docx_bomb, pdf_flate_bomb, pdf_scanned, png_bomb

# The real reports mutated, by kind: paths inside a checkout (tests/data).
SEEDS = {
    "pdf": "tests/data/corpus/hongzequ_2024.pdf",
    "pdf2": "tests/data/producers-browser/chrome_pingtan_2021.pdf",
    "docx": "tests/data/html/helan_2020.docx",
    "html": "tests/data/corpus-html/pingtan_2024.html",
    "gbk": "tests/data/html/helan_2020_county_gbk.html",
    "txt": "tests/data/corpus/helanxian_2020.txt",
    "mht": "tests/data/images/pingtan_2022.mht",
    "png": "tests/data/images/pingtan_2019_screen.png",
}
# The small fixed set the test suite runs (one of each family; the full set is behind `make fuzz`).
SMALL = ("pdf-truncate-50", "pdf-xref-garbage", "pdf-length-zero", "docx-cd-flip-0", "html-flip-10-0",
         "txt-bad-byte", "flate_indirect", "self_drawing_form", "docx_method_99", "html_long_number")


@dataclass(frozen=True)
class Case:
    """One fuzz input: its name, the file name it is written as, and the function writing it."""

    name: str
    filename: str
    build: Callable[[Path], Path]


def _writer(data: Callable[[], bytes]) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path.write_bytes(data())
        return path
    return write


def _flip(data: bytes, n: int, rng: random.Random) -> bytes:
    """``data`` with ``n`` bytes at random positions set to random values."""
    out = bytearray(data)
    for _ in range(n):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _sub(pattern: bytes, repl: Callable[[re.Match], bytes] | bytes, data: bytes, count: int = 0) -> bytes:
    return re.sub(pattern, repl, data, count=count, flags=re.S)


def _pdf_mutations(kind: str, data: bytes) -> dict[str, Callable[[], bytes]]:
    rng = lambda k: random.Random(f"{kind}-{k}")   # noqa: E731
    last_xref = data.rfind(b"startxref")
    return {
        "xref-garbage": lambda: data[:last_xref] + b"startxref\n999999999\n%%EOF\n",
        "xref-zero": lambda: _sub(rb"\d{10} \d{5} n", b"0000000000 00000 n", data),
        "xref-shifted": lambda: _sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + 7,
                                                                                        m.group(2)), data),
        "no-xref": lambda: data[:data.rfind(b"xref")] if b"xref" in data else data[:last_xref],
        "length-zero": lambda: _sub(rb"/Length \d+", b"/Length 0", data),
        "length-huge": lambda: _sub(rb"/Length \d+", b"/Length 999999999", data),
        "length-off": lambda: _sub(rb"/Length (\d+)", lambda m: b"/Length %d" % (int(m.group(1)) // 2), data),
        "no-endstream": lambda: data.replace(b"endstream", b"endstrea_"),
        "no-endobj": lambda: data.replace(b"endobj", b"endob_"),
        "filter-swap": lambda: data.replace(b"/FlateDecode", b"/LZWDecode"),
        "root-missing": lambda: _sub(rb"/Root \d+ 0 R", b"/Root 99999 0 R", data),
        "pages-count-huge": lambda: _sub(rb"/Count \d+", b"/Count 2147483647", data),
        "kids-self": lambda: _sub(rb"/Kids\s*\[", lambda m: m.group() + b"1 0 R 2 0 R 3 0 R ", data),
        "font-flip": lambda: _flip(data, 200, rng("font")),
        "objstm-flip": lambda: _sub(rb"/Type\s*/ObjStm", b"/Type /XRef", data),
    }


def _zip_mutations(kind: str, data: bytes) -> dict[str, Callable[[], bytes]]:
    rng = lambda k: random.Random(f"{kind}-{k}")   # noqa: E731
    cd = data.rfind(b"PK\x01\x02") if b"PK\x01\x02" in data else len(data) // 2
    cd0 = data.find(b"PK\x01\x02")
    eocd = data.rfind(b"PK\x05\x06")

    def eocd_offset(delta: int) -> bytes:
        out = bytearray(data)
        if eocd >= 0:
            (off,) = struct.unpack_from("<I", out, eocd + 16)
            struct.pack_into("<I", out, eocd + 16, (off + delta) % (1 << 32))
        return bytes(out)

    return {
        **{f"cd-flip-{k}": (lambda k=k: data[:cd0] + _flip(data[cd0:], 8, rng(f"cd{k}"))) for k in range(3)},
        "cd-truncated": lambda: data[:cd + 10],
        "no-eocd": lambda: data[:eocd] if eocd > 0 else data,
        "eocd-offset": lambda: eocd_offset(13),
        "eocd-offset-huge": lambda: eocd_offset(1 << 31),
        "sizes-zero": lambda: _sub(rb"PK\x01\x02(.{16})(.{8})", lambda m: b"PK\x01\x02" + m.group(1) + b"\0" * 8, data),
        "names-long": lambda: _sub(rb"word/document\.xml", b"word/document.xmm", data, count=1),
        "local-method": lambda: _sub(rb"PK\x03\x04(.{4})\x08\x00", lambda m: b"PK\x03\x04" + m.group(1) + b"\x63\x00",
                                     data),
    }


def _html_mutations(kind: str, data: bytes) -> dict[str, Callable[[], bytes]]:
    text = data.decode("utf-8", "replace") if kind != "gbk" else data.decode("gb18030", "replace")
    body = text.find("<body")
    return {
        "as-gb18030": lambda: text.encode("gb18030"),
        "as-utf16-no-bom": lambda: text.encode("utf-16-le"),
        "as-utf16-bom": lambda: text.encode("utf-16"),
        "as-latin1-mojibake": lambda: text.encode("utf-8").decode("latin-1").encode("utf-8"),
        "charset-lie": lambda: re.sub(r"charset=[\"']?[\w-]+", "charset=big5", text, count=1).encode("utf-8"),
        "charset-undefined": lambda: re.sub(r"charset=[\"']?[\w-]+", "charset=undefined", text, count=1).encode("gb18030"),
        "spans-1000": lambda: re.sub(r"<td", '<td colspan="1000" rowspan="1000"', text, count=3).encode("utf-8"),
        "spans-negative": lambda: re.sub(r"<td", '<td colspan="-5" rowspan="0"', text).encode("utf-8"),
        "nested-divs": lambda: (text[:body] + "<body>" + "<div>" * 100_000 + text[body + 6:]).encode("utf-8"),
        "tables-unclosed": lambda: text.replace("</table>", "").replace("</td>", "").encode("utf-8"),
        "no-tables": lambda: re.sub(r"</?t(able|r|d|h|body)\b[^>]*>", "", text).encode("utf-8"),
        "nul-bytes": lambda: text.encode("utf-8").replace(b"<tr", b"\0<tr"),
    }


def _text_mutations(kind: str, data: bytes) -> dict[str, Callable[[], bytes]]:
    text = data.decode("utf-8")
    return {
        "as-gb18030": lambda: text.encode("gb18030"),
        "as-utf16-bom": lambda: text.encode("utf-16"),
        "as-big5-garbage": lambda: text.encode("big5", "replace"),
        "tabs-everywhere": lambda: text.replace(" ", "\t").encode("utf-8"),
        "one-line": lambda: text.replace("\n", " ").encode("utf-8"),
        "huge-numbers": lambda: re.sub(r"\d+", lambda m: m.group() * 800, text).encode("utf-8"),
        "nul-bytes": lambda: text.encode("utf-8").replace(b"\n", b"\n\0", 5),
    }


def _common(kind: str, data: bytes) -> dict[str, Callable[[], bytes]]:
    """Truncations and byte flips: every kind gets them."""
    out: dict[str, Callable[[], bytes]] = {}
    for pct in (1, 10, 30, 50, 70, 90, 99):
        out[f"truncate-{pct}"] = lambda pct=pct: data[: len(data) * pct // 100]
    for n in (1, 10, 100, 1000):
        for k in range(2):
            out[f"flip-{n}-{k}"] = lambda n=n, k=k: _flip(data, n, random.Random(f"{kind}-flip-{n}-{k}"))
    out["bad-byte"] = lambda: data[: len(data) // 2] + b"\xff" + data[len(data) // 2 + 1:]
    return out


_MUTATIONS = {"pdf": _pdf_mutations, "pdf2": _pdf_mutations, "docx": _zip_mutations, "html": _html_mutations,
              "gbk": _html_mutations, "mht": _html_mutations, "txt": _text_mutations}


def mutated(root: Path) -> list[Case]:
    """Mutations of the real reports found under ``root`` (a checkout: tests/data/...)."""
    cases: list[Case] = []
    for kind, rel in SEEDS.items():
        seed = root / rel
        if not seed.exists():
            continue
        data = seed.read_bytes()
        families = {**_common(kind, data), **_MUTATIONS.get(kind, lambda k, d: {})(kind, data)}
        if kind in ("png", "mht"):   # OCR inputs: the cheap failures only (a readable picture costs seconds)
            families = {k: v for k, v in families.items() if k.startswith(("truncate-1", "truncate-50", "flip-1-",
                                                                          "as-", "charset", "nested"))}
        cases += [Case(f"{kind}-{name}", f"{kind}-{name}{seed.suffix}", _writer(make))
                  for name, make in families.items()]
    return cases


def built() -> list[Case]:
    """The hand-built hostile files, and the bombs of the test suite."""
    suffix = {"docx": ".docx", "html": ".html", "mhtml": ".mht", "tiff": ".tif"}
    cases = [Case(name, name + suffix.get(name.split("_")[0], ".pdf"), make) for name, make in hostile.BUILDERS.items()]
    cases += [
        Case("pdf_flate_bomb", "pdf_flate_bomb.pdf", lambda p: pdf_flate_bomb(p, 1_500_000_000)),
        Case("pdf_flate_bomb_2_layers", "pdf_flate_bomb_2_layers.pdf", lambda p: pdf_flate_bomb(p, 4 * 10**9, 2)),
        Case("pdf_image_pixels", "pdf_image_pixels.pdf", lambda p: pdf_scanned(p, 60_000, 60_000)),
        Case("pdf_page_huge", "pdf_page_huge.pdf", lambda p: pdf_scanned(p, 100, 100, page=(14_400, 14_400))),
        Case("png_pixels", "png_pixels.png", lambda p: png_bomb(p, 100_000, 100_000)),
        Case("docx_bomb", "docx_bomb.docx", lambda p: docx_bomb(p, 2 * 10**9)),
        Case("docx_bomb_lying", "docx_bomb_lying.docx", lambda p: docx_bomb(p, 2 * 10**9, declared=1000)),
        Case("empty", "empty.pdf", lambda p: (p.write_bytes(b""), p)[1]),
        Case("only_header", "only_header.pdf", lambda p: (p.write_bytes(b"%PDF-1.7\n"), p)[1]),
        Case("zip_not_docx", "zip_not_docx.docx", lambda p: (p.write_bytes(b"PK\x03\x04" + b"\0" * 100), p)[1]),
    ]
    return cases


def all_cases(root: Path) -> list[Case]:
    """The full fuzz set: mutations of the real reports under ``root``, then the hand-built files."""
    return mutated(root) + built()


def small_cases(root: Path) -> list[Case]:
    """The fixed small set the test suite runs."""
    return [c for c in all_cases(root) if c.name in SMALL]
