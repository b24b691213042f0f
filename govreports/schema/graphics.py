"""Site graphics (logos, QR codes, banners, file-type icons) told by file name, from ``site_graphics.yaml``.

The crawler asks so as never to request one (use ``crawler``, the broad list); the reader of saved pages asks so
as never to OCR one or report it missing (use ``reader``, the narrow list). Both lists are built from the same
words, so a new icon name is one change to the data.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load(resources.files(__package__).joinpath("site_graphics.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def pattern(use: str) -> re.Pattern[str]:
    """The compiled pattern of ``use`` ('crawler' or 'reader'), its {list} placeholders filled in."""
    data = _data()
    if use not in data["patterns"]:
        raise ValueError(f"site_graphics.yaml has no pattern {use!r}; uses: {', '.join(data['patterns'])}")

    def words(m: re.Match[str]) -> str:
        name = m.group(1)
        if not isinstance(data.get(name), list):
            return m.group(0)  # a regex quantifier such as {2}, not a list
        return "(?:" + "|".join(re.escape(w) for w in data[name]) + ")"

    return re.compile(_PLACEHOLDER.sub(words, data["patterns"][use]), re.I)


def is_site_graphic(path: str, use: str) -> bool:
    """True when the picture at ``path`` (a URL or its path) is a site graphic by the ``use`` list."""
    return bool(pattern(use).search(path))
