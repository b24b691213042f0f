"""Edit tracking: what changed between consecutive stored versions of one report (from a fetch archive).

``revision_rows`` gives one row per cell whose printed value changed and one row per version pair whose
narrative text changed (cell empty, a short diff summary); ``revised_reports`` lists the revised reports.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pandas as pd

from govreports.corpus.assemble import Item, per_report

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_MIN_CJK = 8          # a narrative line holds a sentence, not a table label
_SUMMARY_CHARS = 80


def _cells(record: dict[str, Any]) -> dict[str, tuple[Any, Any, Any]]:
    out: dict[str, tuple[Any, Any, Any]] = {}
    for c in record.get("cells") or []:
        out.setdefault(c["cell"], (c.get("value"), c.get("raw"), c.get("status")))
    return out


def _show(cell: tuple[Any, Any, Any] | None) -> str:
    """A cell as the revisions table shows it: the number, else the printed text, else its status."""
    if cell is None:
        return ""
    value, raw, status = cell
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is not None:
        return str(value)
    return str(raw) if raw not in (None, "") else f"({status})"


def narrative_lines(path: str | Path) -> list[str]:
    """The report's sentences outside its tables (those with at least a few Chinese characters)."""
    p = Path(path)
    suffix = p.suffix.lower()
    lines: list[str] = []
    if suffix in (".html", ".htm"):
        from govreports.fetch.discovery import decode

        root = decode(p.read_bytes(), None, str(p))[1]
        for el in list(root.iter("table", "script", "style")):
            if el.getparent() is not None:
                el.drop_tree()
        from govreports.readers.htmltext import element_lines

        lines = element_lines(root)
    elif suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(p))
        try:
            for page in pdf:
                lines += page.get_textpage().get_text_range().splitlines()
        finally:
            pdf.close()
    elif suffix == ".docx":
        import docx

        lines = [para.text for para in docx.Document(str(p)).paragraphs]
    else:
        data = p.read_bytes()
        for enc in ("utf-8", "gb18030"):
            try:
                lines = data.decode(enc).splitlines()
                break
            except UnicodeDecodeError:
                continue
    sentences = [" ".join(s.split()) for ln in lines for s in _SENTENCE_END.split(ln)]
    return [s for s in sentences if len(_CJK.findall(s)) >= _MIN_CJK]


def _text_summary(old: list[str], new: list[str]) -> str | None:
    """'N sentences removed, M added: −「first removed」 +「first added」', None when the texts are equal."""
    if old == new:
        return None
    diff = list(difflib.ndiff(old, new))
    removed = [d[2:] for d in diff if d.startswith("- ")]
    added = [d[2:] for d in diff if d.startswith("+ ")]
    if not removed and not added:
        return None
    parts = [f"{len(removed)} sentences removed, {len(added)} added:"]
    parts += [f"{sign}「{xs[0][:_SUMMARY_CHARS]}」" for sign, xs in (("−", removed), ("+", added)) if xs]
    return " ".join(parts)


def _text_changed(a: Item, b: Item) -> str | None:
    try:
        return _text_summary(narrative_lines(a.source.path), narrative_lines(b.source.path))
    except Exception as e:  # noqa: BLE001 - an unreadable old version must not stop the build
        return f"narrative not compared: {type(e).__name__}: {e}"


def revision_rows(items: list[Item], reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``revisions`` for every report with more than one stored version (consecutive pairs)."""
    series: dict[tuple[str, int], list[Item]] = {}
    for it in per_report(items):   # a page holding several reports: each report is its own series
        page = it.source.provenance.get("page_url")
        if page:
            part = ((it.entry.get("record") or {}).get("source") or {}).get("part") or 1
            series.setdefault((page, part), []).append(it)
    ids = {(r.get("page_url"), r.get("part") or 1): r["report_id"] for r in reports if r.get("page_url")}
    out: list[dict[str, Any]] = []
    for (page, part), its in sorted(series.items()):
        its.sort(key=lambda it: it.source.provenance.get("version", 0))
        for a, b in zip(its, its[1:]):
            if a.sha256 == b.sha256 or a.entry["status"] != "ok" or b.entry["status"] != "ok":
                continue
            rec_a, rec_b = a.entry["record"], b.entry["record"]
            rid = ids.get((page, part)) or f"{rec_b.get('agency')}_{rec_b.get('year')}"
            base = {"report_id": rid, "page_url": page,
                    "old_fetched_at": a.source.provenance.get("fetched_at"),
                    "new_fetched_at": b.source.provenance.get("fetched_at"),
                    "old_sha256": a.sha256, "new_sha256": b.sha256}
            old, new = _cells(rec_a), _cells(rec_b)
            for code in [*old, *(c for c in new if c not in old)]:
                if old.get(code) != new.get(code):
                    out.append({**base, "cell": code, "old_value": _show(old.get(code)),
                                "new_value": _show(new.get(code)), "summary": None})
            summary = _text_changed(a, b)
            if summary:
                out.append({**base, "cell": None, "old_value": None, "new_value": None, "summary": summary})
    return out


def revised_reports(revisions: pd.DataFrame | Any) -> pd.DataFrame:
    """One row per revised report: cells changed, whether its text changed, first and last version times.

    ``revisions``: the ``revisions`` table, or a loaded dataset (``govreports.load(...)``).
    """
    df = getattr(revisions, "revisions", revisions)
    cols = ["report_id", "n_cells_changed", "cells", "text_changed", "first_fetched_at", "last_fetched_at"]
    if df is None or df.empty:
        return pd.DataFrame(columns=cols)
    cells = df[df["cell"].notna() & (df["cell"] != "")]
    out = df.groupby("report_id").agg(first_fetched_at=("old_fetched_at", "min"), last_fetched_at=("new_fetched_at", "max"))
    out["n_cells_changed"] = cells.groupby("report_id")["cell"].nunique().reindex(out.index).fillna(0).astype(int)
    out["cells"] = cells.groupby("report_id")["cell"].agg(lambda s: " ".join(dict.fromkeys(s))).reindex(out.index).fillna("")
    out["text_changed"] = df[df["cell"].isna() | (df["cell"] == "")].groupby("report_id").size().reindex(out.index).fillna(0) > 0
    return out.reset_index()[cols].sort_values("report_id", ignore_index=True)
