"""The one CJK font the package uses everywhere (plots, pdfium's substitute for non-embedded fonts, the browser).

It lives here, below both the readers and the plotting helpers, so neither reaches into the other.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

FONT_FILE = "NotoSansCJKsc-Regular.otf"


@lru_cache(maxsize=None)
def mplfonts_font(file: str) -> Path | None:
    """The font ``file`` shipped by mplfonts (a dependency), or None when mplfonts or the file is missing."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / file
    return path if path.is_file() else None


def cjk_font_path() -> Path | None:
    """The CJK font shipped by mplfonts, or None when it is missing."""
    return mplfonts_font(FONT_FILE)


FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def fontconfig_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with FONTCONFIG_FILE naming a fonts.conf that adds the
    bundled CJK font to the system's: headless Chromium aborts on a machine with no fonts, and shows Chinese
    as boxes on one with no CJK font."""
    env = dict(os.environ if base is None else base)
    font = cjk_font_path()
    if font is None:
        return env
    folder = Path(tempfile.gettempdir()) / f"govreports-fontconfig-{os.getuid()}"
    conf = folder / "fonts.conf"
    text = FONTCONFIG.format(fonts=escape(str(font.parent)), cache=escape(str(folder / "cache")))
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"fonts.conf.{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, conf)
    env["FONTCONFIG_FILE"] = str(conf)
    return env
