"""Build the image fixtures of the OCR reader from the real gold reports.

Needs chromium (screenshots); PDFs are rasterised with pypdfium2.

    python tests/data/images/make_images.py [--heldout]

Every fixture is made from a gold report, so its expected values are that report's truth file
(listed in ``fixtures.json``: fixture -> gold name, kind, set). Kinds:

- ``screen``: the report's tables (with their headings and the page title) rendered by headless
  Chromium at device scale 1 or 1.5, cell text 12–16 px, saved as greyscale PNG (one report per file);
- ``saved``: a saved web page (``NAME.html`` + ``NAME_files/tableN.png``) where each ``<table>`` of
  the real page is replaced by an ``<img>`` of that table's screenshot, and one ``.mht`` of such a page;
- ``scan``: a text PDF rasterised at 100–150 dpi greyscale: a multi-page TIFF, or a folder of page JPEGs;
- ``photo``: a rasterised page warped like a phone photo (perspective, tilt, uneven light, blur, JPEG).

``dev`` fixtures are the ones the reader was developed on; ``--heldout`` writes the held-out set (other
reports, scales, seeds and parameters) into ``heldout/``, which is scored but never tuned to.
"""
from __future__ import annotations

import argparse
import email.mime.image
import email.mime.multipart
import email.mime.text
import email.policy
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import lxml.html
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
sys.path.insert(0, str(DATA.parent.parent))
from govreports.readers.html import _find_body  # noqa: E402
from govreports.readers.htmltext import drop_non_content  # noqa: E402

PAGE_CSS = ("body{{margin:12px;background:#fff;color:#000;font-family:'Noto Sans CJK SC','Noto Serif CJK SC';"
            "font-size:{px}px}} table{{border-collapse:collapse;margin:14px 0}} td,th{{padding:2px 5px}}")


def chromium_png(html: str, width: int, scale: float, folder: Path) -> np.ndarray:
    """Screenshot an HTML document with headless Chromium; the greyscale image cropped to its ink."""
    src, out = folder / "page.html", folder / "shot.png"
    src.write_text(html, encoding="utf-8")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--hide-scrollbars", "--disable-gpu",
                    f"--force-device-scale-factor={scale}", f"--window-size={width},6000",
                    f"--screenshot={out}", src.as_uri()], check=True, capture_output=True, timeout=120)
    gray = np.asarray(Image.open(out).convert("L"))
    ys, xs = np.nonzero(gray < 200)
    m = int(10 * scale)
    return gray[max(0, ys.min() - m):ys.max() + m, max(0, xs.min() - m):xs.max() + m]


def report_body(path: Path) -> tuple[lxml.html.HtmlElement, str]:
    """The report body element of a saved page (as the HTML reader finds it) and the page title."""
    root = lxml.html.document_fromstring(path.read_bytes().decode("utf-8"))
    title = (root.findtext(".//title") or "").strip()
    drop_non_content(root)
    return _find_body(root), title


def tables_html(path: Path, px: int) -> str:
    """The page title, and every table of the report body with the heading paragraph just before it."""
    body, title = report_body(path)
    parts = [f"<h3>{title}</h3>"]
    for table in body.iter("table"):
        prev = table.getprevious()
        if prev is not None and prev.tag != "table":
            parts.append(lxml.html.tostring(prev, encoding="unicode"))
        parts.append(lxml.html.tostring(table, encoding="unicode"))
    return (f"<html><head><meta charset='utf-8'><style>{PAGE_CSS.format(px=px)}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def screen(name: str, out: Path, px: int, scale: float, tmp: Path, width: int = 900) -> None:
    """The tables of a gold web page as one screenshot (greyscale PNG)."""
    img = chromium_png(tables_html(DATA / "corpus-html" / f"{name}.html", px), width, scale, tmp)
    Image.fromarray(img).save(out, optimize=True)


def table_shots(path: Path, px: int, scale: float, tmp: Path) -> list[np.ndarray]:
    """One screenshot per table of a saved page's report body."""
    body, _ = report_body(path)
    shots = []
    for table in body.iter("table"):
        html = (f"<html><head><meta charset='utf-8'><style>{PAGE_CSS.format(px=px)}</style></head><body>"
                f"{lxml.html.tostring(table, encoding='unicode')}</body></html>")
        shots.append(chromium_png(html, 900, scale, tmp))
    return shots


def pictured_page(path: Path, folder: str) -> tuple[str, int]:
    """The page's HTML with each report table replaced by ``<img src="FOLDER/tableN.png">``."""
    text = path.read_bytes().decode("utf-8")
    n = 0

    def repl(_m: re.Match) -> str:
        nonlocal n
        n += 1
        return f'<img src="{folder}/table{n}.png" alt="表{n}" />'

    # the report's tables are not nested in these pages: each <table>…</table> is one report table
    return re.sub(r"<table\b.*?</table>", repl, text, flags=re.S | re.I), n


def saved(name: str, out_dir: Path, px: int, scale: float, tmp: Path, drop: int | None = None) -> None:
    """A saved page NAME.html + NAME_files/tableN.png; ``drop`` leaves one table's image off the disk."""
    src = DATA / "corpus-html" / f"{name}.html"
    page, n = pictured_page(src, f"{name}_files")
    files = out_dir / f"{name}_files"
    files.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(table_shots(src, px, scale, tmp), start=1):
        if i != drop:
            Image.fromarray(img).save(files / f"table{i}.png", optimize=True)
    assert i == n, (i, n)
    (out_dir / f"{name}.html").write_text(page, encoding="utf-8")


def mht(name: str, out: Path, px: int, scale: float, tmp: Path) -> None:
    """A page saved as MHTML: the HTML part and the table images as parts named by Content-Location."""
    src = DATA / "corpus-html" / f"{name}.html"
    base = f"https://www.pingtan.gov.cn/report/{name}/"
    page, _ = pictured_page(src, "images")
    msg = email.mime.multipart.MIMEMultipart("related", type="text/html")
    msg["Subject"] = name
    html = email.mime.text.MIMEText(page, "html", "utf-8")
    html["Content-Location"] = base + "index.html"
    msg.attach(html)
    for i, img in enumerate(table_shots(src, px, scale, tmp), start=1):
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, format="PNG", optimize=True)
        part = email.mime.image.MIMEImage(buf.getvalue(), "png")
        part["Content-Location"] = f"{base}images/table{i}.png"
        msg.attach(part)
    out.write_bytes(msg.as_bytes(policy=email.policy.SMTP))


def raster(pdf: Path, dpi: int, pages: list[int] | None = None) -> list[np.ndarray]:
    """Greyscale page images of a PDF at ``dpi``."""
    doc = pdfium.PdfDocument(str(pdf))
    numbers = pages or list(range(1, len(doc) + 1))
    out = [np.asarray(doc[n - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) for n in numbers]
    doc.close()
    return out


def photo(gray: np.ndarray, seed: int, tilt: float, warp: float, light: float, blur: float, quality: int) -> bytes:
    """A page as a phone would photograph it: perspective, tilt, uneven light, blur, noise, JPEG."""
    rng = np.random.default_rng(seed)
    h, w = gray.shape
    pad = int(0.04 * max(h, w))
    img = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=235).astype(np.float32)
    H, W = img.shape
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = src + rng.uniform(-warp, warp, (4, 2)).astype(np.float32) * np.float32([W, H])
    m = cv2.getPerspectiveTransform(src, dst)
    rot = cv2.getRotationMatrix2D((W / 2, H / 2), tilt, 1.0)
    m = np.vstack([rot, [0, 0, 1]]) @ m
    img = cv2.warpPerspective(img, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=90)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    cx, cy = rng.uniform(0, W), rng.uniform(0, H)
    shade = 1 - light * np.hypot((xx - cx) / W, (yy - cy) / H)          # light falls off from a point
    shade *= 1 - 0.5 * light * (xx / W)                                   # and across the page
    img = img * shade
    img = cv2.GaussianBlur(img, (0, 0), blur)
    img += rng.normal(0, 3, img.shape)
    ok, buf = cv2.imencode(".jpg", np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return buf.tobytes()


def jpeg(gray: np.ndarray, quality: int) -> bytes:
    return cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes()


def make(out: Path, heldout: bool) -> dict[str, dict]:
    """Write one set of fixtures into ``out``; return the fixture list (path -> gold, kind)."""
    out.mkdir(parents=True, exist_ok=True)
    corpus = DATA / "corpus"
    fixtures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if not heldout:
            screens = [("pingtan_2019", 14, 1.0), ("pingtan_2021", 13, 1.0), ("pingtan_2023", 16, 1.0),
                       ("pingtan_2025", 12, 1.5)]
        else:
            screens = [("pingtan_2020", 12, 1.0), ("pingtan_2022", 15, 1.0), ("pingtan_2024", 13, 1.5)]
        for name, px, scale in screens:
            screen(name, out / f"{name}_screen.png", px, scale, tmp)
            fixtures[f"{name}_screen.png"] = {"gold": name, "kind": "screen", "px": px, "scale": scale}
        page = "pingtan_2024" if not heldout else "pingtan_2021"
        saved(page, out / "saved", 14 if not heldout else 13, 1.0, tmp)
        fixtures[f"saved/{page}.html"] = {"gold": page, "kind": "saved"}
        page = "pingtan_2022" if not heldout else "pingtan_2025"
        mht(page, out / f"{page}.mht", 14, 1.0, tmp)
        fixtures[f"{page}.mht"] = {"gold": page, "kind": "saved-mht"}
    if not heldout:
        pages = raster(corpus / "hongzequ_2023.pdf", 150)
        Image.fromarray(pages[0]).save(out / "hongzequ_2023_scan.tif", save_all=True,
                                       append_images=[Image.fromarray(p) for p in pages[1:]], compression="jpeg",
                                       quality=60, dpi=(150, 150))
        fixtures["hongzequ_2023_scan.tif"] = {"gold": "hongzequ_2023", "kind": "scan", "dpi": 150}
        folder = out / "hongzequ_2024_pages"
        folder.mkdir(exist_ok=True)
        for i, p in enumerate(raster(corpus / "hongzequ_2024.pdf", 150), start=1):
            (folder / f"page{i}.jpg").write_bytes(jpeg(p, 60))
        fixtures["hongzequ_2024_pages"] = {"gold": "hongzequ_2024", "kind": "scan-folder", "dpi": 150}
        # a photographed copy of the pages holding tables 三 and 四
        photos = out / "hongzequ_2024_photo"
        photos.mkdir(exist_ok=True)
        for i, p in enumerate(raster(corpus / "hongzequ_2024.pdf", 200), start=1):
            (photos / f"IMG_{i:04d}.jpg").write_bytes(
                photo(p, seed=i, tilt=1.5, warp=0.02, light=0.45, blur=0.9, quality=70) if i > 1 else jpeg(p, 60))
        fixtures["hongzequ_2024_photo"] = {"gold": "hongzequ_2024", "kind": "photo", "dpi": 200}
    else:
        pages = raster(corpus / "hongzequ_2024.pdf", 120)
        Image.fromarray(pages[0]).save(out / "hongzequ_2024_scan.tif", save_all=True,
                                       append_images=[Image.fromarray(p) for p in pages[1:]], compression="jpeg",
                                       quality=50, dpi=(120, 120))
        fixtures["hongzequ_2024_scan.tif"] = {"gold": "hongzequ_2024", "kind": "scan", "dpi": 120}
        photos = out / "hongzequ_2023_photo"
        photos.mkdir(exist_ok=True)
        for i, p in enumerate(raster(corpus / "hongzequ_2023.pdf", 180), start=1):
            (photos / f"IMG_{i:04d}.jpg").write_bytes(
                photo(p, seed=100 + i, tilt=-2.0, warp=0.025, light=0.55, blur=1.1, quality=65) if i > 1 else jpeg(p, 60))
        fixtures["hongzequ_2023_photo"] = {"gold": "hongzequ_2023", "kind": "photo", "dpi": 180}
        # made after the reader was changed on the photo above (faint rulings), to stay unseen
        photos = out / "hongzequ_2024_photo_b"
        photos.mkdir(exist_ok=True)
        for i, p in enumerate(raster(corpus / "hongzequ_2024.pdf", 160), start=1):
            (photos / f"IMG_{i:04d}.jpg").write_bytes(
                photo(p, seed=200 + i, tilt=2.5, warp=0.03, light=0.5, blur=1.2, quality=60) if i > 1 else jpeg(p, 60))
        fixtures["hongzequ_2024_photo_b"] = {"gold": "hongzequ_2024", "kind": "photo", "dpi": 160}
        pages = raster(corpus / "hongzequ_2023.pdf", 100)
        Image.fromarray(pages[0]).save(out / "hongzequ_2023_scan100.tif", save_all=True,
                                       append_images=[Image.fromarray(p) for p in pages[1:]], compression="jpeg",
                                       quality=60, dpi=(100, 100))
        fixtures["hongzequ_2023_scan100.tif"] = {"gold": "hongzequ_2023", "kind": "scan", "dpi": 100}
    (out / "fixtures.json").write_text(json.dumps(fixtures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return fixtures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", action="store_true", help="write the held-out set into heldout/")
    args = ap.parse_args()
    if not shutil.which("chromium"):
        sys.exit("chromium is needed to make the fixtures")
    out = HERE / "heldout" if args.heldout else HERE
    make(out, args.heldout)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{out}: {total // 1024} KB")


if __name__ == "__main__":
    main()
