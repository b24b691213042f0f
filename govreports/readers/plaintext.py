"""Reports saved as plain text, with table rows as tab- or space-separated cells."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from .. import limits
from ..numbers import looks_numeric
from .base import RawDocument, RawTable, ReaderError
from .htmltext import nearly_utf8
from .util import sha256_of

_SPLIT_SPACES = re.compile(r"\s{2,}|\u3000+")


def decode_text(data: bytes, path: Path, warnings: list[str] | None = None) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM or a Chinese legacy encoding (GB18030 covers
    GBK/GB2312); UTF-8 with a few bad bytes reads with U+FFFD in their place and a warning."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for enc in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            if enc == "utf-8-sig" and (nearly := nearly_utf8(data.removeprefix(codecs.BOM_UTF8))):
                (warnings if warnings is not None else []).append(
                    f"{nearly[1]} byte(s) of the file are not valid UTF-8: read as U+FFFD (�)")
                return nearly[0]
            continue
    best = from_bytes(data).best()
    if best is None:
        raise ReaderError(f"{path}: cannot decode the text (not UTF-8 or GB18030)")
    return str(best)


def split_line(line: str) -> list[str]:
    """Cells of one line: tabs if present, else runs of 2+ spaces; a cell of several numbers is split."""
    cells = line.split("\t") if "\t" in line else _SPLIT_SPACES.split(line.strip())
    out: list[str] = []
    for c in cells:
        parts = c.split()
        if len(parts) > 1 and all(looks_numeric(p) for p in parts):
            out.extend(parts)
        else:
            out.append(c.strip())
    return out


def read_text(path: str | Path) -> RawDocument:
    """Read a plain-text report: multi-cell lines form the table grid, the rest is running text."""
    path = Path(path)
    limits.check_file_size(path, limits.GOVREPORTS_MAX_PAGE_MB, "GOVREPORTS_MAX_PAGE_MB", "a text file")
    warnings: list[str] = []
    text = decode_text(path.read_bytes(), path, warnings)
    rows: list[list[str | None]] = []
    prose: list[str] = []
    tables: list[RawTable] = []
    gap = start = 0
    for line in text.splitlines():
        cells = split_line(line) if line.strip() else []
        if len(cells) >= 2:
            start = start if rows else len(prose)  # where the table stands among the prose lines
            rows.append(list(cells))
            gap = 0
            continue
        if line.strip():
            prose.append(line.strip())
            gap += 1
            if gap >= 3 and rows:  # a run of prose ends a table
                tables.append(RawTable(rows=rows, page=None, method="text", line=start))
                rows = []
    if rows:
        tables.append(RawTable(rows=rows, page=None, method="text", line=start))
    return RawDocument(path=str(path), kind="text", sha256=sha256_of(path), pages=None, tables=tables,
                       text="\n".join(prose), warnings=warnings)
