"""The one CJK font the package uses everywhere (plots, pdfium's substitute for non-embedded fonts).

It lives here, below both the readers and the plotting helpers, so neither reaches into the other.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"


@lru_cache(maxsize=1)
def cjk_font_path() -> Path | None:
    """The CJK font shipped by mplfonts (a dependency), or None when it is missing."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    return path if path.is_file() else None
