"""Small helpers shared by the readers."""
from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file's bytes (the cache key of a report); of a folder of page images, of its
    images' bytes in page order."""
    h = hashlib.sha256()
    if Path(path).is_dir():
        from .image import image_files
        files = image_files(Path(path))
    else:
        files = [Path(path)]
    for file in files:
        with open(file, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


MIN_TEXT_CHARS = 20  # a PDF page with fewer non-blank text-layer characters counts as image-only (scanned)


def text_chars(text: str) -> int:
    """Non-blank characters of a page's text layer."""
    return sum(not c.isspace() for c in text)


def one_line(e: BaseException, width: int = 160) -> str:
    """A library exception's message on one line of at most ``width`` characters (some print whole objects)."""
    text = " ".join(str(e).split())
    return text if len(text) <= width else text[:width - 3] + "..."
