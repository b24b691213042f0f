"""Discovery on fetched pages: annual-report links and pagination on a listing, attachments on a report page,
the page's title and publication date, and whether a page holds the report's tables itself."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html

from govreports.fetch import cms
from govreports.readers.base import ReaderError
from govreports.readers.htmlmeta import page_meta
from govreports.readers.htmltext import decode_html
from govreports.schema import recognise
from govreports.schema.recognise import is_report_title  # a link text or title reads as a report (ogi.yaml)


PAGE_EXT = {"", ".html", ".htm", ".shtml", ".shtm", ".jsp", ".php", ".asp", ".aspx", ".do", ".jhtml", ".xhtml"}
DOCUMENT_EXT = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".txt", ".rtf"}
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
UNSUPPORTED_EXT = {".zip", ".rar", ".7z", ".tar", ".gz", ".exe", ".apk", ".msi", ".mp3", ".mp4", ".avi", ".flv",
                   ".wmv", ".swf", ".iso", ".ppt", ".pptx", ".dmg", ".ceb", ".caj"}


@dataclass
class Link:
    url: str
    text: str


@dataclass
class Page:
    """What a fetched HTML page offers: metadata and the links worth following."""

    title: str | None = None
    published: str | None = None
    reports: list[Link] = field(default_factory=list)        # annual-report links
    pages: list[Link] = field(default_factory=list)          # the listing's own further pages
    attachments: list[Link] = field(default_factory=list)    # documents linked from the page
    images: list[Link] = field(default_factory=list)         # pictures in the page
    unsupported: list[Link] = field(default_factory=list)    # links to files no reader handles
    is_report: bool = False                                  # its title or body reads as a report (schema)
    has_tables: bool = False                                 # the page prints the report's tables itself
    declared: int | None = None                              # records the listing says it has
    shown: int = 0                                           # items the listing shows
    families: list[str] = field(default_factory=list)        # CMS patterns (cms.yaml) the page matched

    @property
    def needs_js(self) -> bool:
        """The listing says it has more records than it shows, and no pattern reaches the others."""
        return self.declared is not None and self.declared > self.shown and not self.pages


def canonical(url: str) -> str:
    """The URL without its fragment (what is requested and archived)."""
    return urldefrag(url.strip())[0]


def extension(url: str) -> str:
    """The lower-case file extension of a URL's path ('' when none)."""
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def site_of(host: str) -> str:
    """The site a host belongs to: xx.gov.cn for www.xx.gov.cn and zwgk.xx.gov.cn."""
    host = host.split(":")[0].lower()
    labels = host.split(".")
    if host.replace(".", "").isdigit() or len(labels) <= 2:
        return host
    keep = 3 if labels[-1] == "cn" and labels[-2] in {"gov", "com", "org", "edu", "net", "ac"} else 2
    return ".".join(labels[-keep:])


def same_site(a: str, b: str) -> bool:
    return site_of(urlsplit(a).netloc) == site_of(urlsplit(b).netloc)


def is_report_page(title: str | None, root: lxml.html.HtmlElement) -> bool:
    """Does a fetched page read as an annual OGI report of one agency and year, by its title or its body?"""
    body = root.find(".//body")
    return recognise.reads_as_report(title, (body if body is not None else root).text_content())


def decode(body: bytes, content_type: str | None, where: str) -> tuple[str, lxml.html.HtmlElement]:
    """Decode a page by its declared (HTTP header or meta) or sniffed charset, and parse it."""
    m = re.search(r"charset\s*=\s*[\"']?([\w.:\-]+)", content_type or "", re.I)
    text, _, _ = decode_html(body, Path(where), [], m.group(1) if m else None)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise ReaderError(f"{where}: empty page")
    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(recover=True, remove_comments=True))
    except (lxml.etree.ParserError, ValueError) as e:
        raise ReaderError(f"{where}: not an HTML page ({e})") from e
    return text, root


def has_report_tables(root: lxml.html.HtmlElement) -> bool:
    """True when an innermost <table> of the page prints a row of the report's tables (the schema's ``web``
    labels) and numbers."""
    for table in root.iter("table"):
        if table.find(".//table") is None:
            text = re.sub(r"\s+", "", table.text_content())
            if any(a in text for a in recognise.web_labels()) and len(re.findall(r"\d+", text)) >= 5:
                return True
    return False


def _link_text(a: lxml.html.HtmlElement) -> str:
    return cms.link_text(a.text_content(), a.get("title") or "")


def _shown(root: lxml.html.HtmlElement) -> int:
    """Items a listing shows: the longest run of sibling list items (li, tr) each holding a link."""
    best = 0
    for parent in root.iter("ul", "ol", "table", "tbody", "div"):
        best = max(best, sum(1 for c in parent if c.tag in ("li", "tr", "div", "p") and c.find(".//a[@href]") is not None))
    return best


def _anchors(root: lxml.html.HtmlElement, fragments: list[str]) -> list[lxml.html.HtmlElement]:
    """The page's links, then those of the HTML fragments it keeps outside its markup (CMS records)."""
    out = list(root.iter("a"))
    for frag in fragments:
        try:
            out += [a for el in lxml.html.fragments_fromstring(frag) if not isinstance(el, str) for a in el.iter("a")]
        except (lxml.etree.ParserError, ValueError):
            continue
    return out


def _in_furniture(el: lxml.html.HtmlElement) -> bool:
    return any(p.tag in ("header", "nav", "footer") for p in el.iterancestors())


def parse_page(body: bytes, url: str, content_type: str | None = None, max_pages: int | None = None) -> Page:
    """Read a fetched HTML page: metadata, report links, pagination, attachments and pictures."""
    text, root = decode(body, content_type, url)
    meta, _ = page_meta(root, text)
    base = root.find(".//base[@href]")
    base_url = urljoin(url, base.get("href")) if base is not None else url
    page = Page(title=meta.get("title"), published=meta.get("published"), has_tables=has_report_tables(root),
                is_report=is_report_page(meta.get("title"), root))
    seen = {canonical(url)}
    host = urlsplit(url).netloc.lower()
    shown = _shown(root)
    revealed = cms.reveal(text, shown, max_pages)
    shown += len(revealed.fragments)   # a page bar shows at most its records per page (menus are lists too)
    page.declared, page.families = revealed.total, revealed.families
    page.shown = min(shown, revealed.perpage) if revealed.perpage else shown
    for a in _anchors(root, revealed.fragments):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        target = canonical(urljoin(base_url, href))
        if urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        label, ext = _link_text(a), extension(target)
        label_ext = PurePosixPath(label.split(" ")[0]).suffix.lower() if "." in label else ""
        kind_ext = ext if ext not in PAGE_EXT else (label_ext if label_ext in DOCUMENT_EXT | UNSUPPORTED_EXT else ext)
        if kind_ext in UNSUPPORTED_EXT:
            if is_report_title(label) or not _in_furniture(a):
                seen.add(target)
                page.unsupported.append(Link(target, label))
        elif is_report_title(label) and same_site(target, url) and kind_ext not in IMAGE_EXT:
            seen.add(target)
            (page.attachments if kind_ext in DOCUMENT_EXT else page.reports).append(Link(target, label))
        elif kind_ext in DOCUMENT_EXT and same_site(target, url) and not _in_furniture(a):
            seen.add(target)
            page.attachments.append(Link(target, label))
        elif urlsplit(target).netloc.lower() == host and _is_next_page(label, target, url):
            seen.add(target)
            page.pages.append(Link(target, label))
    for href in revealed.pages + cms.fill_gaps([p.url for p in page.pages], max_pages):
        target = canonical(urljoin(base_url, href))
        if target not in seen and urlsplit(target).netloc.lower() == host:
            seen.add(target)
            page.pages.append(Link(target, ""))
    body = article_body(root)
    for img in body.iter("img") if body is not None else ():
        src = (img.get("src") or "").strip()
        target = canonical(urljoin(base_url, src)) if src and not src.startswith("data:") else ""
        if (target and target not in seen and same_site(target, url) and not _in_furniture(img) and _big(img)
                and not cms.is_chrome_picture(target)):
            seen.add(target)
            page.images.append(Link(target, img.get("alt") or ""))
    return page


def article_body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element holding a page's article: one named so by the CMS (cms.yaml ``article_body``), else the
    element whose own paragraphs hold most text (None for a page without a body)."""
    for name in cms.patterns().article_body:
        key = name.lower()
        for el in root.iter("div", "td", "article", "section", "span"):
            names = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
            if key in names and not _in_furniture(el) and (el.text_content().strip() or el.find(".//img") is not None):
                return el
    best, score = None, 0
    for el in root.iter("div", "td", "article", "section"):
        own = sum(len(c.text_content().strip()) for c in el if c.tag in ("p", "span", "font", "strong", "br", "h3"))
        own += len((el.text or "").strip()) + 300 * sum(1 for c in el if c.tag == "p" and c.find("img") is not None)
        if own > score and not _in_furniture(el):
            best, score = el, own
    return best


def _big(img: lxml.html.HtmlElement) -> bool:
    """Icons and logos declare a small size; a picture of a table does not (or declares a large one)."""
    for attr in ("width", "height"):
        v = re.match(r"\s*(\d+)", img.get(attr) or "")
        if v and int(v.group(1)) < 100:
            return False
    return True


def _is_next_page(label: str, target: str, url: str) -> bool:
    """A pagination link of a listing: 下一页 / 尾页 / a page number, or an address of a paging pattern (cms.yaml)
    in the listing's own folder."""
    if cms.is_page_label(label):
        return True
    hit = cms.link_page(target)
    return (hit is not None and not hit[0].labelled
            and urlsplit(target).path.rsplit("/", 1)[0] == urlsplit(url).path.rsplit("/", 1)[0])
