"""Bytes and text of a web page: decoding (UTF-8 and the GB family), cell text, running text, link density."""
from __future__ import annotations

import codecs
import email
import re
from pathlib import Path

import lxml.html

from govreports.readers.base import ReaderError

# GB2312 and GBK pages routinely contain characters only their superset GB18030 has (e.g. 堃, 镕).
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_SNIFF = ["gb18030", "big5"]   # what is left once UTF-8 failed (UTF-16 pages carry a BOM)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td",
          "th", "table", "section", "article", "header", "footer", "blockquote", "pre", "center", "hr",
          "form", "main", "aside", "nav", "caption", "address", "figure", "figcaption"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")


def _canonical(name: str) -> str | None:
    """Python's codec name for a charset label; the GB family maps to GB18030. None if unknown."""
    label = name.strip().lower()
    label = label[2:] if label.startswith("x-") else label
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return "gb18030" if codec in _GB_FAMILY else codec


def _decode(data: bytes, encoding: str) -> str | None:
    """Strict decode; a multi-byte character cut at the very end (a truncated file) is dropped."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 4:
            try:
                return data[: e.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None
    except (LookupError, UnicodeError):   # an unknown label, or a codec that decodes nothing ('undefined')
        return None


# UTF-8 with a few bad bytes (a byte damaged in transfer) is still UTF-8: decoded with U+FFFD in their place
# and a warning, when they are at most this share of the non-ASCII characters (a GB page fails on most).
BAD_UTF8_SHARE = 0.001


def nearly_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, bad bytes) of UTF-8 data with a few invalid bytes replaced by U+FFFD, or None when the data
    is not UTF-8 with a few bad bytes (none, or too many)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= 0:
        return None
    wide = len(text) - sum(1 for _ in re.finditer(r"[\x00-\x7f]", text))
    return (text, bad) if bad <= BAD_UTF8_SHARE * wide else None


def unwrap_mhtml(data: bytes) -> tuple[bytes, str | None] | None:
    """The HTML part of a page saved as MHTML (.mht: MIME, often quoted-printable) and its charset, or None."""
    head = data[:4096].lower()
    if b"multipart/related" not in head or not re.match(rb"\s*(from:|mime-version:|content-type:|date:|subject:)", head):
        return None
    for part in email.message_from_bytes(data).walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset()
    return None


def decode_html(data: bytes, path: Path, warnings: list[str], hint: str | None = None) -> tuple[str, str, str | None]:
    """Decode a page: BOM, else UTF-8 if the bytes are UTF-8, else the declared charset, else sniff the bytes.

    ``hint`` is a charset declared outside the page (an MHTML part header); the page's own meta wins.
    Returns (text, encoding used, charset label the page declared or None).
    """
    head = data[:8192]
    if head.startswith(b"%PDF"):
        raise ReaderError(f"{path}: this is a PDF, not an HTML page")
    if head.startswith(b"PK\x03\x04"):
        raise ReaderError(f"{path}: this is a zip/Office file, not an HTML page")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom) and (text := _decode(data, enc)) is not None:
            return text, enc.removesuffix("-sig"), None
    if b"\x00" in head:
        raise ReaderError(f"{path}: binary content, not an HTML page")
    m = _CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = m.group(1).decode("ascii", "replace") if m else hint
    enc = _canonical(declared) if declared else None
    # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page declares (GB bytes almost never are);
    # the reverse does not hold: UTF-8 Chinese often decodes as GB18030 garbage.
    if (text := _decode(data, "utf-8")) is not None:
        if enc not in (None, "utf-8") and not data.isascii():
            warnings.append(f"page declares charset {declared} but its bytes are UTF-8; decoded as UTF-8")
        return text, "utf-8", declared
    if nearly := nearly_utf8(data):
        warnings.append(f"{nearly[1]} byte(s) of the page are not valid UTF-8: read as U+FFFD (�)")
        return nearly[0], "utf-8", declared
    if enc and (text := _decode(data, enc)) is not None:
        return text, enc, declared
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_SNIFF).best()
    used = _canonical(best.encoding) if best is not None else None
    text = _decode(data, used) if used else None
    if text is None:
        raise ReaderError(f"{path}: cannot decode the page: its bytes are neither UTF-8 nor GBK/GB18030 text"
                          + (f" (it declares charset {declared})" if declared else ""))
    if declared:
        warnings.append(f"page declares charset {declared} but its bytes are not {declared}; decoded as {used}")
    return text, used, declared


# Elements that never hold report content.
NON_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "select", "button",
               "textarea", "svg", "head")


def drop_non_content(root: lxml.html.HtmlElement) -> None:
    """Remove from ``root`` the elements that never hold report content (scripts, styles, forms, the head)."""
    for el in list(root.iter(*NON_CONTENT)):
        if el.getparent() is not None:
            el.drop_tree()


def squeeze(s: str) -> str:
    """Collapse whitespace (incl. &nbsp; and 　) to single spaces, drop spaces next to CJK characters."""
    return _SPACE_BY_CJK.sub("", " ".join(s.translate(_INVISIBLE).split()))


def _pieces(root: lxml.html.HtmlElement, sep: str, skip_table) -> list[str]:
    """Text pieces of ``root`` in reading order, ``sep`` at block boundaries and <br>.

    ``skip_table(el)`` says which tables below ``root`` to leave out (their tail text stays).
    """
    out: list[str] = []
    stack: list[tuple[lxml.html.HtmlElement, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if closing:
            out.append(sep if tag in _BLOCK else "")
            if el is not root and el.tail:
                out.append(el.tail)
            continue
        if el is not root and (not tag or tag == "br" or (tag == "table" and skip_table(el))):
            out.append(sep if tag else "")
            if el.tail:
                out.append(el.tail)
            continue
        if tag in _BLOCK:
            out.append(sep)
        if el.text:
            out.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return out


def cell_text(cell: lxml.html.HtmlElement) -> str:
    """A cell's printed text: text nodes joined, <br> and paragraph breaks removed, nested tables left out.

    '本年新<br>制作数量' -> '本年新制作数量'; a cell of only &nbsp; -> ''.
    """
    return squeeze("".join(_pieces(cell, "", lambda t: True)))


def element_lines(body: lxml.html.HtmlElement) -> list[str]:
    """The running text of the report body, one line per block, data tables left out."""
    joined = "".join(_pieces(body, "\n", lambda t: t.find(".//table") is None))
    return [line for line in (squeeze(x) for x in joined.split("\n")) if line]


def _count(s: str | None) -> int:
    return len("".join(s.split())) if s else 0


def text_len(node: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, int]:
    """Non-link, non-space characters under each element (link text counts zero): where the article is."""
    order = [el for el in node.iter() if isinstance(el.tag, str)]
    sizes: dict[lxml.html.HtmlElement, int] = {}
    for el in reversed(order):
        if el.tag == "a":
            sizes[el] = 0
            continue
        sizes[el] = _count(el.text) + sum(sizes.get(c, 0) + _count(c.tail) for c in el)
    return sizes


def is_link_dominated(table: lxml.html.HtmlElement) -> bool:
    """True for a table whose non-empty cells are mostly links (a menu or a list of articles)."""
    cells = [c for c in table.iter("td", "th") if _count(c.text_content())]
    if len(cells) < 2:
        return False
    linky = sum(1 for c in cells
                if 2 * sum(_count(a.text_content()) for a in c.iter("a")) >= _count(c.text_content()))
    return 2 * linky >= len(cells)
