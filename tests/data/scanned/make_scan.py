"""Build an image-only ("scanned") PDF from a text PDF, as a test fixture for the OCR reader.

Each page is rendered with pypdfium2, turned grayscale, JPEG-compressed and placed alone on a
PDF page of the same physical size, so the result has no text layer at all.

    python tests/data/scanned/make_scan.py SRC.pdf OUT.pdf [--dpi 150] [--quality 35]

The committed fixture was made with:
    python tests/data/scanned/make_scan.py /work/shared/corpus/hongzequ_2024.pdf \
        tests/data/scanned/hongzequ_2024_scan.pdf
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image


def make_scan(src: Path, out: Path, dpi: int = 150, quality: int = 35, skew: float = 0.0,
              pages: list[int] | None = None) -> None:
    """Write ``out`` as an image-only copy of ``src`` (grayscale JPEG pages at ``dpi``).

    ``skew`` rotates each page by that many degrees (counter-clockwise), as a crooked scan would;
    ``pages`` (1-based) keeps only those pages.
    """
    pdf = pdfium.PdfDocument(str(src))
    numbers = pages or list(range(1, len(pdf) + 1))
    images = [pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for n in numbers]
    pdf.close()
    if skew:
        images = [im.rotate(skew, resample=Image.BICUBIC, fillcolor=255) for im in images]
    # Pillow stores mode-L pages as DCTDecode (JPEG) streams, encoded with these options.
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi,
                  quality=quality, optimize=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--quality", type=int, default=35)
    ap.add_argument("--skew", type=float, default=0.0, help="rotate pages by this many degrees")
    ap.add_argument("--pages", type=int, nargs="*", help="1-based pages to keep (default: all)")
    args = ap.parse_args()
    make_scan(args.src, args.out, args.dpi, args.quality, args.skew, args.pages)
    print(f"{args.out}: {args.out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
