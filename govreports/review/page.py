"""``govreports review DATASET --out DIR``: one static HTML page (no server, no network, script inline)
showing every doubtful cell next to its crop, where the reviewer confirms or types the printed value
and downloads ``corrections.csv`` for ``govreports build --corrections``."""
from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from tqdm import tqdm

from govreports.corpus.corrections import DOUBTFUL_STATUSES, HEADER
from govreports.corpus.dataset import Dataset, load
from govreports.fonts import cjk_font_path
from govreports.review.crops import crop, row_html, source_files
from govreports.review.doubtful import Doubt, doubtful_cells

ASSETS = Path(__file__).with_name("assets")


@dataclass
class ReviewResult:
    """Where the page is and what it holds."""

    page: Path
    cells: int
    reports: int
    crops: int

    def summary(self) -> str:
        if not self.cells:
            return f"no doubtful cell in the dataset; {self.page} says so"
        return (f"{self.cells} doubtful cells in {self.reports} reports ({self.crops} with a crop of the page): "
                f"{self.page}")


def write_review(dataset: str | Path, out: str | Path, source: str | Path | None = None,
                 progress: bool = True) -> ReviewResult:
    """Write DIR/index.html (and DIR/crops/*.jpg) for every doubtful cell of the dataset."""
    ds = load(dataset)
    out = Path(out)
    (out / "crops").mkdir(parents=True, exist_ok=True)
    doubts = doubtful_cells(ds)
    files = source_files(ds, Path(source) if source is not None else None)
    kinds = dict(zip(ds.reports["report_id"], ds.reports["kind"]))
    printed: dict[str, dict[str, tuple[str, str]]] = {}
    for r in ds.cells.itertuples(index=False):
        printed.setdefault(r.report_id, {})[r.cell] = (r.raw, r.label_zh)
    cards: dict[str, list[str]] = {}
    n_crops = 0
    for i, d in enumerate(tqdm(doubts, desc="cropping", unit="cell", disable=not progress or not doubts)):
        jpeg, caption = crop(d, files.get(d.report_id), kinds.get(d.report_id))
        name = None
        if jpeg is not None:
            name = f"crops/{i:05d}.jpg"
            (out / name).write_bytes(jpeg)
            n_crops += 1
        cards.setdefault(d.report_id, []).append(_card(d, name, caption, row_html(printed.get(d.report_id, {}), d)))
    page = out / "index.html"
    page.write_text(_page(ds, cards, len(doubts)), encoding="utf-8")
    return ReviewResult(page, len(doubts), len(cards), n_crops)


def _card(d: Doubt, image: str | None, caption: str, row: str) -> str:
    e = html.escape
    picture = (f"<figure><img loading='lazy' src='{image}' alt='{e(d.cell)}'><figcaption>{e(caption)}</figcaption></figure>"
               if image else f"<p class='nocrop'>{e(caption)}</p>")
    cands = "".join(f"<button type='button' class='cand' data-v='{e(c)}' title='Alt+{k}'>{e(c)}</button>"
                    for k, c in enumerate(d.candidates, start=1))
    idents = "".join(f"<li><b>{e(i.name)}</b> {e(i.message)}</li>" for i in d.identities)
    conf = "" if d.confidence is None else f", confidence {d.confidence:.2f}"
    must = "1" if d.status in DOUBTFUL_STATUSES else "0"
    return (f"<article class='cell' tabindex='-1' data-report='{e(d.report_id)}' data-cell='{e(d.cell)}' "
            f"data-read='{e(d.shown)}' data-doubtful='{must}'>"
            f"<header><code>{e(d.cell)}</code> {e(d.label)} <span class='why'>{e(', '.join(d.why))}</span></header>"
            f"{picture}{row}"
            f"<p>read <b class='read'>{e(d.raw or '(blank)')}</b> (status {e(d.status)}{conf})"
            f"{' · other readings ' + cands if cands else ''}</p>"
            f"{'<ul class=idents>' + idents + '</ul>' if idents else ''}"
            f"<p class='act'><label>printed value <input class='val' inputmode='decimal' autocomplete='off' "
            f"value='{e(d.shown)}'></label> <button type='button' class='ok'>confirm / use (Enter)</button> "
            f"<button type='button' class='undo'>undo (Esc)</button> <span class='state'></span></p></article>")


def _page(ds: Dataset, cards: dict[str, list[str]], n: int) -> str:
    e = html.escape
    digest = hashlib.sha256("".join(sorted(f"{r}{c}" for r in cards for c in cards[r])).encode()).hexdigest()[:16]
    if n:
        files = dict(zip(ds.reports["report_id"], ds.reports["file"]))
        body = "".join(f"<section><h2>{e(rid)} <small>{e(str(files.get(rid, '')))} · {len(cs)} cells</small></h2>"
                       f"{''.join(cs)}</section>" for rid, cs in cards.items())
    else:
        body = "<p class='none'>No doubtful cell: no cell is uncertain, read with low confidence or part of a failed identity.</p>"
    facts = (f"dataset {e(str(ds.path.resolve()))} · {len(ds.reports)} reports · {n} doubtful cells · "
             f"{len(ds.corrections)} corrections already applied")
    page = ((ASSETS / "review.html").read_text(encoding="utf-8")
            .replace("/*JS*/", (ASSETS / "review.js").read_text(encoding="utf-8"))
            .replace("{{FACTS}}", facts).replace("{{BODY}}", body).replace("{{N}}", str(n))
            .replace("{{HEADER}}", e(json.dumps(HEADER))).replace("{{KEY}}", digest))
    css = (ASSETS / "review.css").read_text(encoding="utf-8")
    return page.replace("/*CSS*/", _font_face(html.unescape(page)) + css)


def _font_face(text: str) -> str:
    """The bundled CJK font cut to the page's characters, inline (Chinese labels render on any machine)."""
    path = cjk_font_path()
    if path is None:
        return ""
    options = subset.Options()
    options.name_IDs = ["*"]
    font = subset.load_font(str(path), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text="".join(sorted(set(text))))
    cutter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'@font-face {{ font-family: "Noto Sans CJK SC bundled"; src: url(data:font/otf;base64,{data}); }}\n'

