"""Is a fetched picture large enough to hold a report's table? Site graphics (logos, QR codes, icons) are not."""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

MIN_TABLE_PICTURE = (300, 150)   # px (width, height): a table of the report, even cropped, is at least this big


def picture_size(body: bytes) -> tuple[int, int] | None:
    """Width and height of a picture read from its header (None when it is not a picture PIL knows)."""
    try:
        with Image.open(io.BytesIO(body)) as im:
            return im.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def too_small(size: tuple[int, int] | None) -> bool:
    """A picture narrower or lower than MIN_TABLE_PICTURE (an unreadable one is kept: its reader will say why)."""
    return size is not None and (size[0] < MIN_TABLE_PICTURE[0] or size[1] < MIN_TABLE_PICTURE[1])
