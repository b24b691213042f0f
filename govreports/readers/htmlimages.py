"""Tables published as pictures inside a saved web page: find each ``<img>`` of the report body on
disk (relative ``src``, the browser's ``NAME_files/`` folder) or inside the .mht, and OCR its tables.
"""
from __future__ import annotations

import base64
import binascii
import email
import email.policy
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from ..schema import graphics
from .base import RawTable, ReaderError

MIN_SIDE = 40   # px: images smaller than this (icons, bullets) never hold a table


@dataclass
class PageImages:
    """Where a page's images live: the page's folder, or the parts of its .mht file."""

    page: Path
    parts: dict[str, bytes] = field(default_factory=dict)   # .mht: Content-Location / cid -> bytes
    base: str = ""                                          # .mht: the HTML part's own location
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)         # images that could not be decoded; OCR doubts
    names: dict[int, str] = field(default_factory=dict)     # OCR page number -> image src

    @classmethod
    def of(cls, page: Path, data: bytes) -> "PageImages":
        """The images of a saved page (``data``: its bytes, MHTML or HTML)."""
        if b"multipart/related" not in data[:4096].lower():
            return cls(page)
        parts: dict[str, bytes] = {}
        base = ""
        for part in email.message_from_bytes(data, policy=email.policy.compat32).walk():
            if part.is_multipart():
                continue
            where = (part.get("Content-Location") or "").strip()
            if part.get_content_type() == "text/html" and not base:
                base = where
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                if where:
                    parts[where] = payload
                cid = (part.get("Content-ID") or "").strip().strip("<>")
                if cid:
                    parts[f"cid:{cid}"] = payload
        return cls(page, parts, base)

    def load(self, src: str) -> bytes | None:
        """The bytes of the image ``src`` refers to, or None when the page does not have it."""
        if self.parts:
            for key in (src, urljoin(self.base, src)):
                if key in self.parts:
                    return self.parts[key]
            name = posixpath.basename(urlsplit(src).path)
            hits = [v for k, v in self.parts.items() if posixpath.basename(urlsplit(k).path) == name]
            return hits[0] if len(hits) == 1 else None
        url = urlsplit(src)
        if url.scheme not in ("", "file"):
            return None
        rel = unquote(url.path)
        folder = self.page.parent
        name = posixpath.basename(rel)
        candidates = [Path(rel)] if url.scheme == "file" else []
        candidates += [folder / rel.lstrip("/"), folder / f"{self.page.stem}_files" / name,
                       folder / f"{self.page.stem}.files" / name, folder / name]
        for c in candidates:
            try:
                if c.is_file():
                    return c.read_bytes()
            except OSError:
                continue
        return None


def image_tables(img: lxml.html.HtmlElement, images: PageImages, count_missing: bool = True) -> list[RawTable]:
    """The ruled tables shown by one ``<img>`` of the report body ([] for pictures without a table).

    A source the page does not have is added to ``images.missing`` (with ``count_missing``); one that cannot be decoded (damaged,
    a pixel bomb) and the OCR's doubts go to ``images.warnings``.
    """
    src = (img.get("src") or img.get("data-src") or "").strip()
    if not src or src.startswith("data:") and ";base64," not in src:
        return []
    if _small(img):
        return []
    if src.startswith("data:"):
        try:
            data = base64.b64decode(src.split(",", 1)[1])
        except (ValueError, binascii.Error):
            return []
        name = "inline image"
    else:
        data = images.load(src)
        name = src
        if data is None:
            if count_missing:
                images.missing.append(src)
            return []
    from .image import is_image, ocr_image_tables

    if not is_image(data[:16]):
        return []
    page = len(images.names) + 1
    try:
        tables, notes = ocr_image_tables(data, f"image {name}", page)
    except ReaderError as err:
        images.warnings.append(str(err))
        return []
    images.warnings += notes
    if tables:
        images.names[page] = posixpath.basename(urlsplit(name).path) or name
    return tables


def _small(img: lxml.html.HtmlElement) -> bool:
    """True when the tag's own width or height, or its file name (xls.gif, logo.png), says the picture is an icon."""
    if graphics.is_site_graphic(urlsplit((img.get("src") or "").strip()).path, "reader"):
        return True
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_SIDE:
            return True
    return False
