"""Make the LibreOffice fixtures that once read wrong (issue 21 §3): reports converted by LibreOffice in
the ways an office user does it, each with its gold file (format.md §10).

Routes: a web page opened by Writer/Web (``soffice --convert-to pdf``, writer_web_pdf_Export) or by Writer
(``--infilter="HTML (StarWriter)" --convert-to pdf:writer_pdf_Export``); a synthetic report written as
.docx on A5, B5 or A4 landscape paper and printed by Writer; a synthetic web page whose cells are set
top-left or bottom-right. The CJK fonts the page names are mostly missing, so LibreOffice substitutes
one: ``hide`` lists the font folders hidden while it runs (a private mount namespace, nothing is
uninstalled): with no CJK font at all the glyphs are drawn as empty boxes (the text layer still
decodes), with WenQuanYi Zen Hei alone every wrap moves.

What each one caught (the reading before the fix):
- lo_bare1_t3: the issue's case, a printed 1 in table 三 read blank (the identities caught it): every
  cell set in a <p> of 30pt line height as the 平潭 CMS prints them, but the cells printing 1 bare;
  LibreOffice sets those at the top of their cells, off their rows' baseline;
- lo_nocjk_pingtan_2020: cells printed bare beside cells in a <p> of 30pt line height: LibreOffice sets
  '77', '442' and '7' at the top of their cells, off their rows' baseline: read blank or not at all;
- lo_writer_pingtan_2020: '73802895.90 元' (the unit apart from the number): the line was taken for prose
  and the amount cut into two cells, read 73802 万元;
- lo_synth18_a4l: '47302650 元' read as 47302650 万元 (the unit in a column of its own);
- lo_synth19_b5: three table 四 counts wrapped in their narrow cells ('41' over '5') read blank, no
  identity failing;
- lo_synth26_a5, lo_synth31_a5, lo_synth56_a5: a number wrapped in its cell and cut by a page break
  ('11' | '1', '5,14' | '0', '27' | '0') read short, the rest of the row's label heading the next page;
- lo_synth43_a4l: a table 三 row printed blank at both ends of its values read one column to the left;
- lo_synth48_a4l: a paragraph naming 行政复议 read as table 四's header swallowed all of table 三;
- lo_hsynth6_botright: a label set at the foot of its cell: its first line read as a row of blanks, the
  row beside its last line not placed;
- lo_hsynth18_botright: an amount wrapped at the foot of its cell ('4730' over '2650元') read 2650 元;
- lo_hsynth1_topleft: (a guard) '4072500元' in a merged cell, once cut into '407250' and '0元'.

CI has no LibreOffice: the PDFs and truth files are committed; rerun this only to regenerate them (needs
soffice, fonts-noto-cjk, fonts-wqy-zenhei, root for the mount namespace):

    python tests/data/producers-office/make_office.py [--out DIR] [NAME ...]
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from govreports.synth import draw_report
from govreports.synth.docx import render_docx
from govreports.synth.html import render_html

DATA = Path(__file__).resolve().parents[1]
NOTO = "/usr/share/fonts/opentype/noto"          # fonts-noto-cjk
WQY = "/usr/share/fonts/truetype/wqy"            # fonts-wqy-zenhei
PAPER = {"a5": (14.8, 21.0), "b5": (17.6, 25.0), "a4": (21.0, 29.7), "a4l": (29.7, 21.0)}
CELLS = {"topleft": '<td valign="top" align="left"', "botright": '<td valign="bottom" align="right"'}
WEB = ["--convert-to", "pdf"]
WRITER = ["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export"]

# (name, source, route, font folders hidden): source is a real page of corpus-html, ("docx", seed, paper),
# ("html", seed, cell alignment) or ("bare1", seed, None)
FIXTURES = [
    ("lo_bare1_t3", ("bare1", 8, None), WEB, []),
    ("lo_nocjk_pingtan_2020", "pingtan_2020", WEB, [NOTO, WQY]),
    ("lo_writer_pingtan_2020", "pingtan_2020", WRITER, [NOTO]),
    ("lo_synth18_a4l", ("docx", 18, "a4l"), [], [WQY]),
    ("lo_synth19_b5", ("docx", 19, "b5"), [], [WQY]),
    ("lo_synth26_a5", ("docx", 26, "a5"), [], [WQY]),
    ("lo_synth31_a5", ("docx", 31, "a5"), [], [WQY]),
    ("lo_synth43_a4l", ("docx", 43, "a4l"), [], [WQY]),
    ("lo_synth48_a4l", ("docx", 48, "a4l"), [], [WQY]),
    ("lo_synth56_a5", ("docx", 56, "a5"), [], [WQY]),
    ("lo_hsynth1_topleft", ("html", 1, "topleft"), WEB, [NOTO]),
    ("lo_hsynth6_botright", ("html", 6, "botright"), WEB, [NOTO]),
    ("lo_hsynth18_botright", ("html", 18, "botright"), WEB, [NOTO]),
]


def convert(src: Path, out: Path, route: list[str], hide: list[str]) -> None:
    """Convert ``src`` to ``out`` with LibreOffice by ``route`` (default: by its type), the font folders
    ``hide`` hidden while it runs."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
               *(route or ["--convert-to", "pdf"]), "--outdir", tmp, str(src)]
        if hide:
            empty = Path(tmp) / "empty"
            empty.mkdir()
            mounts = "; ".join(f"mount --bind {empty} {d}" for d in hide)
            cmd = ["unshare", "-m", "sh", "-c", f"{mounts}; exec {shlex.join(cmd)}"]
        subprocess.run(cmd, check=True, timeout=300, capture_output=True)
        shutil.move(str(Path(tmp) / (src.stem + ".pdf")), out)


def bare_ones(page: str) -> str:
    """The page's bare cells set in a <p> of 30pt line height and 16px type (the 平潭 CMS's cells), except
    those printing 1, left bare."""
    return re.sub(r"<td>([^<]*)</td>", lambda m: "<td>1</td>" if m.group(1) == "1" else
                  f'<td><p style="line-height:30pt"><span style="font-size:16px">{m.group(1)}</span></p></td>', page)


def make(name: str, source: str | tuple, route: list[str], hide: list[str], out: Path) -> Path:
    """Write fixture ``name`` and its truth file into ``out``."""
    pdf = out / f"{name}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        if isinstance(source, str):
            src = DATA / "corpus-html" / f"{source}.html"
            truth = json.loads(src.with_suffix(".truth.json").read_text(encoding="utf-8"))
        else:
            kind, seed, variant = source
            report = draw_report(seed, t3_layout="split", zero_style="0") if kind == "bare1" else draw_report(seed)
            if kind == "bare1":
                src = render_html(report, Path(tmp) / f"{name}.html")
                src.write_text(bare_ones(src.read_text(encoding="utf-8")), encoding="utf-8")
            elif kind == "docx":
                src = render_docx(report, Path(tmp) / f"{name}.docx", page_cm=PAPER[variant])
            else:
                src = render_html(report, Path(tmp) / f"{name}.html")
                src.write_text(src.read_text(encoding="utf-8").replace("<td", CELLS[variant]), encoding="utf-8")
            truth = report.truth(pdf.name)
        convert(src, pdf, route, hide)
    truth["source"] = pdf.name
    pdf.with_suffix(".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    ap.add_argument("names", nargs="*", help="fixtures to (re)make (default: all)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, source, route, hide in FIXTURES:
        if not args.names or name in args.names:
            print(make(name, source, route, hide, args.out))


if __name__ == "__main__":
    main()
