"""Read image files (screenshots, scans, phone photos of the printed pages) by OCR.

One image file is one report (a multi-page TIFF: one page per frame); a folder of page images is one
report with its pages in natural name order (page2 before page10). Each page is decoded to grey
(refusing pixel bombs before decoding), prepared (``imageprep``: even light, resized to the OCR scale,
perspective undone), straightened, and its ruled tables are read cell by cell like a scanned PDF.
``meta['page_images']`` names the image each page number came from.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from ..limits import GOVREPORTS_MAX_MEGAPIXELS, check_pixels, check_total_pixels
from .base import IMAGE_SUFFIXES, NoTablesError, RawDocument, RawTable, ReaderError
from .grid import Grid, deskew, find_grids
from .imageprep import prepare
from .ocr import SCALE, ocr_pages

MAX_FRAMES = 300                 # pages of one multi-page TIFF
NO_TABLES = "no OGI tables found in the image(s)"


def is_image(head: bytes) -> bool:
    """True when the first bytes are those of a PNG, JPEG, TIFF, BMP, WebP or GIF image."""
    return (head[:8] == b"\x89PNG\r\n\x1a\n" or head[:3] == b"\xff\xd8\xff" or head[:4] in (b"II*\x00", b"MM\x00*")
            or head[:2] == b"BM" and len(head) > 14 or head[:4] == b"RIFF" and head[8:12] == b"WEBP"
            or head[:6] in (b"GIF87a", b"GIF89a"))


def load_pages(data: bytes, name: str) -> list[np.ndarray]:
    """Decode an image (every frame of a TIFF) to greyscale arrays; ReaderError for bombs and damage."""
    try:
        Image.MAX_IMAGE_PIXELS = None  # opening reads the header only; each frame's size is checked below
        try:
            im = Image.open(io.BytesIO(data))
        finally:
            Image.MAX_IMAGE_PIXELS = int(GOVREPORTS_MAX_MEGAPIXELS * 1e6)
        with im:
            pixels = 0.0
            for n, frame in enumerate(ImageSequence.Iterator(im), start=1):   # headers only: nothing decoded
                if n > MAX_FRAMES:
                    raise ReaderError(f"{name}: more than {MAX_FRAMES} pages in one image file")
                check_pixels(*frame.size, name, what=f"image (frame {n})" if n > 1 else "image")
                pixels += frame.size[0] * frame.size[1]
            check_total_pixels(pixels, name, n)
            return [np.asarray(_grey(frame)) for frame in ImageSequence.Iterator(im)]
    except ReaderError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ReaderError(f"{name}: damaged or unsupported image ({err})") from None


def _grey(frame: Image.Image) -> Image.Image:
    """A frame as 8-bit grey, transparent areas white (a PNG screenshot may have an alpha channel)."""
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    if frame.mode in ("I;16", "I;16B", "I", "F"):
        arr = np.asarray(frame, dtype=np.float64)
        span = max(arr.max() - arr.min(), 1)
        return Image.fromarray(((arr - arr.min()) * 255 / span).astype(np.uint8))
    return frame.convert("L")


def scan_page(gray: np.ndarray) -> tuple[np.ndarray, list[Grid], float]:
    """Prepare a page image, straighten it and find its ruled tables: (image at SCALE, grids, skew)."""
    gray, _ = prepare(gray, SCALE)
    gray, angle = deskew(gray, SCALE)
    return gray, find_grids(gray, SCALE), angle


def ocr_image_tables(data: bytes, name: str, page: int) -> tuple[list[RawTable], list[str]]:
    """The ruled tables of one image (e.g. a table pasted into a web page as a picture), OCR'd and
    numbered ``page``; and the reader's warnings. No tables: ([], [])."""
    tables: list[RawTable] = []
    warnings: list[str] = []
    for gray in load_pages(data, name):
        scans = {page: scan_page(gray)}
        if scans[page][1]:
            found, _, notes = ocr_pages(scans, text=False)
            tables += found
            warnings += [f"{name}: {n}" for n in notes]
    return tables, warnings


def natural_key(name: str) -> list:
    """Sort key putting page2 before page10."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def image_files(folder: Path) -> list[Path]:
    """The image files directly in ``folder``, in natural name order."""
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
                   and not p.name.startswith(".")), key=lambda p: natural_key(p.name))


def read_images(paths: list[Path], label: Path | None = None, text: bool = True) -> RawDocument:
    """OCR page images as one report: every frame of every file, in the order given (kind 'image')."""
    label = label or paths[0]
    digest = hashlib.sha256()
    pages: list[np.ndarray] = []
    names: dict[int, str] = {}
    pixels = 0
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ReaderError(f"{path}: cannot read the file ({err.strerror or err})") from None
        digest.update(data)
        frames = load_pages(data, str(path))
        pixels += sum(g.size for g in frames)
        check_total_pixels(pixels, label, len(pages) + len(frames))
        for k, gray in enumerate(frames, start=1):
            pages.append(gray)
            names[len(pages)] = path.name if len(frames) == 1 else f"{path.name}#{k}"
    scans = {n: scan_page(gray) for n, gray in enumerate(pages, start=1)}
    pages.clear()
    if not any(grids for _, grids, _ in scans.values()):
        raise NoTablesError(f"{label}: {NO_TABLES}")
    tables, texts, warnings = ocr_pages(scans, text=text)
    skew = {p: round(angle, 2) for p, (_, _, angle) in scans.items() if angle}
    return RawDocument(path=str(label), kind="image", sha256=digest.hexdigest(), pages=len(scans), tables=tables,
                       text="\n".join(texts), warnings=warnings,
                       meta={"page_images": names, "ocr_text": text, "ocr_deskewed": skew})


def read_image(path: str | Path) -> RawDocument:
    """One image file (or a folder of page images) as one report."""
    p = Path(path)
    if p.is_dir():
        files = image_files(p)
        if not files:
            raise ReaderError(f"{p}: a folder without page images ({', '.join(IMAGE_SUFFIXES)})")
        return read_images(files, p)
    return read_images([p])
