"""Read a fetch archive (``manifest.csv`` + ``warc/`` + ``files/``) as the sources of a build.

One report per report page: the page itself when it prints the report's tables, else its attachment
(a document, else its pictures). Listings and notices are not reports. Every stored version of a
report is a source (older ones feed ``revisions``); only the latest is marked ``latest``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from govreports.corpus.sources import Source, overrides_of
from govreports.fetch.manifest import MANIFEST, WARC_DIR, read_rows

READABLE = (".html", ".htm", ".pdf", ".docx", ".txt")     # what the readers read, best first
DOCUMENTS = (".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".txt", ".rtf", ".ofd", ".et")


def is_archive(folder: Path) -> bool:
    """A folder written by ``govreports fetch`` (it holds manifest.csv and a warc folder)."""
    return (Path(folder) / MANIFEST).is_file() and (Path(folder) / WARC_DIR).is_dir()


def _versions(rows: list[dict[str, str]]) -> tuple[dict[str, list[dict[str, str]]], dict[str, list[str]]]:
    """Stored versions of each URL (first fetch of each file, in version order) and each page's attachments."""
    versions: dict[str, dict[str, dict[str, str]]] = {}
    children: dict[str, list[str]] = {}
    for row in rows:
        if not row["file"]:
            continue
        versions.setdefault(row["url"], {}).setdefault(row["file"], row)
        if row["kind"] == "attachment" and row["parent_url"]:
            kids = children.setdefault(row["parent_url"], [])
            if row["url"] not in kids:
                kids.append(row["url"])
    ordered = {u: sorted(v.values(), key=lambda r: int(r["version"] or 1)) for u, v in versions.items()}
    return ordered, children


def _page_has_tables(path: Path, content_type: str) -> bool:
    from govreports.fetch.discovery import decode, has_report_tables
    from govreports.readers.base import ReaderError

    if path.suffix.lower() not in (".html", ".htm"):
        return True   # a report link that is itself a document: the document is the report
    try:
        return has_report_tables(decode(path.read_bytes(), content_type, str(path))[1])
    except (OSError, ReaderError):
        return False


def _attachment(kids: list[str], versions: dict[str, list[dict[str, str]]]) -> str | None:
    """The attachment that holds the report: a readable document first, then any document, then a picture."""
    stored = [k for k in kids if k in versions]
    suffix = {k: Path(versions[k][-1]["file"]).suffix.lower() for k in stored}
    for group in (READABLE, DOCUMENTS):
        for ext in group:
            hit = next((k for k in stored if suffix[k] == ext), None)
            if hit:
                return hit
    return stored[0] if stored else None


def read_archive(folder: Path) -> list[Source]:
    """The report sources of an archive, every stored version, sorted by their dataset name."""
    root = Path(folder).resolve()
    rows = list(read_rows(root / MANIFEST))
    versions, children = _versions(rows)
    line_of = {id(r): i + 2 for i, r in enumerate(rows)}   # manifest.csv lines, for errors
    out: list[Source] = []
    for url, page_versions in versions.items():
        page = page_versions[-1]
        if page["kind"] != "report":
            continue
        chosen = url if _page_has_tables(root / page["file"], page["content_type"]) else \
            _attachment(children.get(url, []), versions)
        if chosen is None:
            chosen = url   # nothing attached: the page is read and its failure says why
        latest_meta = next((r for r in reversed(rows) if r["url"] == url and r["file"]), page)
        # what the sources file said of the column the report was reached from (fetch --sources)
        stated = overrides_of({k: latest_meta.get(k) or "" for k in ("publisher", "division_code")},
                              root / MANIFEST, line_of[id(latest_meta)])
        for n, v in enumerate(versions[chosen], start=1):
            prov: dict[str, Any] = {"url": v["final_url"] or v["url"], "page_url": page["final_url"] or url, "fetched_at": v["fetched_at"],
                                    "published": latest_meta.get("published") or None, "version": n,
                                    "latest": n == len(versions[chosen])}
            out.append(Source(path=root / v["file"], file=v["file"], provenance=prov, overrides=dict(stated)))
    return sorted(out, key=lambda s: s.file)
