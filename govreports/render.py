"""Run an analysis notebook with papermill on the package's own kernel and export one standalone HTML.

``render`` executes a standard notebook (shipped inside the package, ``govreports/notebooks/``) or any
.ipynb with a ``parameters`` cell on the kernel named "govreports", which is registered for *this*
interpreter on first use, so a system Python without govreports is never picked up. The HTML has every
figure embedded as a data URI, hides code cells unless ``show_code``, and ends with a provenance block
(govreports version, dataset, parameters, time), kept in the executed notebook's metadata as well. A
failing cell raises RenderError carrying that cell's error.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import typer
import yaml

from govreports import indicators, pages
from govreports.analysis.english import LANG_ENV, LANGS
from govreports.analysis.publisher_page import page_name, publishers
from govreports.corpus.dataset import load
from govreports.fonts import FONT_FILE, cjk_font_path

NOTEBOOKS = Path(str(resources.files("govreports") / "notebooks"))  # package data, in a wheel too
KERNEL = "govreports"
STANDARD: dict[str, str] = {
    "report_card": "报告卡 Report card: one report's tables, failed checks explained, indicators against the corpus median",
    "compare_regions": "地区比较 Comparing agencies and regions: rankings, outcome and refusal-reason mixes, per-capita volumes",
    "trends": "年度趋势 Trends: indicators over the years, the 2021 format change marked, cross-year check failures",
    "compare_years": "年度对比 One publisher, two years: tables side by side, checks between them, the narrative's changes",
    "data_quality": "数据质量 Data quality: identity failures by rule, level and year; worst reports; OCR confidence",
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class RenderError(Exception):
    """A notebook that could not be rendered; ``str(err)`` names the notebook, the cell and the error."""


@dataclass
class Rendered:
    name: str
    html: Path


QUIET_KERNEL = "--IPKernelApp.log_level=ERROR"  # keeps ipykernel's start-up warnings off the terminal


def ensure_kernel() -> str:
    """Make sure the "govreports" kernelspec runs this interpreter; install it (--sys-prefix) if not."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def current() -> list[str]:
        try:
            return list(KernelSpecManager().get_kernel_spec(KERNEL).argv)
        except NoSuchKernel:
            return []

    argv = current()
    if argv[:1] == [sys.executable] and QUIET_KERNEL in argv:
        return KERNEL
    if argv[:1] != [sys.executable]:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL,
                        "--display-name", "govreports"], check=True, capture_output=True, text=True)
    spec_dir = KernelSpecManager().find_kernel_specs().get(KERNEL)
    found = current()
    if found[:1] != [sys.executable]:
        raise RenderError(f"kernel {KERNEL!r} at {spec_dir} runs {found[:1]}, not {sys.executable}; "
                          f"remove that kernelspec (jupyter kernelspec remove {KERNEL}) and retry")
    spec_file = Path(spec_dir) / "kernel.json"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    if QUIET_KERNEL not in spec["argv"]:
        spec["argv"].insert(spec["argv"].index("-f"), QUIET_KERNEL)
        # written aside and renamed: a render running beside this one (xdist, a second shell) reads the old
        # spec or the new one, never a half-written file
        tmp = spec_file.with_name(f"kernel.json.{os.getpid()}")
        tmp.write_text(json.dumps(spec, indent=1), encoding="utf-8")
        os.replace(tmp, spec_file)
    return KERNEL


def notebook_path(notebook: str | Path) -> Path:
    """A standard notebook name ('trends') or a path to an .ipynb file."""
    p = Path(notebook)
    if p.suffix == ".ipynb":
        if not p.is_file():
            raise RenderError(f"{p}: no such notebook")
        return p
    candidate = NOTEBOOKS / f"{notebook}.ipynb"
    if not candidate.is_file():
        raise RenderError(f"unknown notebook {notebook!r}; choose one of {', '.join([*STANDARD, PUBLISHER_NOTEBOOK])}, "
                          "'all', or a .ipynb path")
    return candidate


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``['-p', 'years', '2024', '-p', 'agencies', '洪泽,平潭']`` -> {'years': 2024, 'agencies': '洪泽,平潭'}.
    Values are read as YAML, so 2024 is a number, [2023, 2024] a list and anything else text."""
    out: dict[str, Any] = {}
    i = 0
    while i < len(pairs):
        if pairs[i] not in ("-p", "--param") or len(pairs) - i < 3:
            raise RenderError(f"expected '-p NAME VALUE', got {' '.join(pairs[i:i + 3])!r}")
        name, raw = pairs[i + 1], pairs[i + 2]
        try:
            out[name] = yaml.safe_load(raw)
        except yaml.YAMLError:
            out[name] = raw
        if out[name] is not None and not isinstance(out[name], (str, int, float, bool, list)):
            out[name] = raw  # dates and mappings stay text
        i += 3
    return out


def notebook_parameters(notebook: str | Path) -> list[tuple[str, str, str]]:
    """(name, default as written, comment) of each parameter in a notebook's ``parameters`` cell, read
    from the file (no kernel), for ``render --help``."""
    book = json.loads(notebook_path(notebook).read_text(encoding="utf-8"))
    cell = next((c for c in book["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return []
    code = "".join(cell["source"])
    lines = code.splitlines()
    out = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = ast.get_source_segment(code, node.value) or ""
            rest = lines[node.end_lineno - 1][node.end_col_offset:]
            out.append((node.targets[0].id, value, rest.split("#", 1)[1].strip() if "#" in rest else ""))
    return [p for p in out if p[0] != "dataset"]


def parameters_help() -> str:
    """The parameters each standard notebook takes, with their defaults: the epilog of ``render --help``."""
    parts = ["Parameters (-p NAME VALUE; the dataset is given with --dataset):"]
    for name in STANDARD:
        params = "; ".join(f"{n} = {v}" + (f" ({c})" if c else "") for n, v, c in notebook_parameters(name))
        parts.append(f"{name}: {params or 'none'}.")
    return "\n\n".join(parts)


def _check_params(src: Path, params: dict[str, Any]) -> None:
    import papermill

    known = set(papermill.inspect_notebook(str(src)))
    unknown = sorted(set(params) - known)
    if unknown:
        raise RenderError(f"{src.name}: unknown parameter(s) {', '.join(unknown)}; this notebook takes "
                          f"{', '.join(sorted(known))}")


# The lab template without the CDN scripts (require.js, MathJax, Mermaid) the analyses never use, so
# the page is self-contained and opens offline; plus CJK-friendly fonts and readable tables.
FONT_DIR = "fonts"  # the bundled CJK font is copied next to the pages, so Chinese renders without system fonts
PAGE_CSS = """@font-face { font-family: "govreports CJK"; src: local("Noto Sans CJK SC"), local("NotoSansCJKsc-Regular"),
  url("FONT_DIR/FONT_FILE") format("opentype"); font-weight: 100 900; font-display: block;
  unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF; }
body.jp-Notebook, body.page { --jp-content-font-family: "govreports CJK", system-ui, -apple-system, "Segoe UI", Helvetica, Arial,
  sans-serif;
  --jp-ui-font-family: var(--jp-content-font-family);
  --jp-code-font-family: "govreports CJK", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-family: var(--jp-content-font-family); max-width: 1200px; margin: 0 auto; }
body.page code, body.page pre { font-family: var(--jp-code-font-family); }
.jp-RenderedHTMLCommon table { font-size: 13px; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
table.sortable thead th { cursor: pointer; }
table.sortable thead th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable thead th[aria-sort="descending"]::after { content: " ▼"; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  body.jp-Notebook, body.page { max-width: none; font-size: 10pt; }
  .jp-RenderedHTMLCommon table { font-size: 8pt; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 1px 3px; }
  thead { display: table-header-group; }
  tr, img, .jp-RenderedImage { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  table.sortable thead th::after { content: "" !important; }
}
""".replace("FONT_DIR", FONT_DIR).replace("FONT_FILE", FONT_FILE)
SORT_SCRIPT = """/* Sort any table with one header row by clicking a column header: numbers by value, text by collation.
   Inline and offline; tables marked "nosort" (printed layouts, aligned text) keep their order. */
(function () {
  function key(cell) {
    var t = (cell ? cell.textContent : "").trim(), m = t.replace(/[,，%+]/g, "").match(/^-?\\d+(\\.\\d+)?/);
    return m ? [0, parseFloat(m[0]), t] : [1, 0, t];
  }
  document.querySelectorAll("table").forEach(function (table) {
    if (table.classList.contains("nosort") || !table.tHead || table.tHead.rows.length !== 1 || !table.tBodies.length) return;
    table.classList.add("sortable");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = x[0] - y[0] || (x[0] === 0 ? x[1] - y[1] : x[2].localeCompare(y[2], "zh"));
          return up ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
"""
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style>
PAGE_CSS</style>
{% endblock extra_css %}
{% block footer_js %}
{{ super() }}
<script>
SORT_SCRIPT</script>
{% endblock footer_js %}
"""


def copy_font(folder: Path) -> Path | None:
    """Put the bundled CJK font (mplfonts' Noto Sans CJK SC) in ``folder/fonts`` once; the pages' CSS
    falls back to it when the reader's system has no CJK font. Returns its path (None without mplfonts)."""
    src = cjk_font_path()
    if src is None:
        return None
    target = folder / FONT_DIR / src.name
    if not target.is_file() or target.stat().st_size != src.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return target


def to_html(executed: Path, show_code: bool = False, title: str | None = None, lang: str = "zh") -> str:
    """One standalone HTML page: images embedded, prompts hidden, code hidden unless ``show_code``."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    template = _TEMPLATE.replace("PAGE_CSS", PAGE_CSS).replace("SORT_SCRIPT", SORT_SCRIPT)
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"govreports.html.j2": template})],
                            template_file="govreports.html.j2", embed_images=True, exclude_input=not show_code,
                            exclude_input_prompt=True, exclude_output_prompt=True, language_code=lang)
    book = nbformat.read(executed, as_version=4)
    body, _ = exporter.from_notebook_node(book, resources={"metadata": {"name": title or executed.stem}})
    return body


def dataset_facts(dataset: Path) -> dict[str, Any]:
    """What identifies a dataset: folder, when it was built, how many files went in, a content hash."""
    import pyarrow.parquet as pq

    from govreports.corpus.dataset import TABLE_NAMES

    digest = hashlib.sha256()
    for name in TABLE_NAMES:
        f = dataset / f"{name}.csv"
        if f.is_file():
            digest.update(name.encode() + b"\0" + f.read_bytes())
    rows = {n: pq.read_metadata(dataset / f"{n}.parquet").num_rows for n in ("reports", "failures", "corrections")
            if (dataset / f"{n}.parquet").is_file()}
    built = datetime.fromtimestamp((dataset / "reports.parquet").stat().st_mtime, timezone.utc)
    return {"path": str(dataset.resolve()), "built": built.isoformat(timespec="seconds"),
            "reports": rows.get("reports", 0), "files": rows.get("reports", 0) + rows.get("failures", 0),
            "corrections": rows.get("corrections", 0), "sha256": digest.hexdigest()}


def provenance(notebook: Path, dataset: Path, params: dict[str, Any]) -> dict[str, Any]:
    """How a page was made: govreports version, notebook, dataset facts, parameters, time (UTC)."""
    from govreports.corpus.cache import library_version

    return {"govreports": library_version(), "python": sys.version.split()[0], "notebook": notebook.name,
            "dataset": dataset_facts(dataset), "parameters": {k: v for k, v in params.items() if k != "dataset"},
            "rendered": datetime.now(timezone.utc).isoformat(timespec="seconds")}


@contextmanager
def _language(lang: str) -> Iterator[None]:
    """$GOVREPORTS_LANG set to ``lang`` for the notebook's kernel (started with this environment)."""
    before = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = before


def _stamp(executed: Path, prov: dict[str, Any]) -> None:
    """Keep the provenance in the executed notebook's metadata and end it with a short provenance block."""
    import nbformat

    book = nbformat.read(executed, as_version=4)
    book.metadata["govreports"] = {"provenance": prov}
    d = prov["dataset"]
    params = ", ".join(f"{k}={v!r}" for k, v in prov["parameters"].items()) or "the notebook's defaults"
    text = ("---\n\n**How this page was made.** "
            f"govreports {prov['govreports']} (Python {prov['python']}), notebook `{prov['notebook']}`; "
            f"dataset `{d['path']}`, built {d['built']} from {d['files']} files ({d['reports']} reports, "
            f"{d.get('corrections', 0)} reviewed corrections applied), "
            f"content sha256 `{d['sha256']}`; parameters: {params}; language {prov.get('lang', 'zh')}; "
            f"rendered {prov['rendered']}. Cite govreports {prov['govreports']} (CITATION.cff) and this sha256.")
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = ["provenance"]
    book.cells.append(cell)
    nbformat.write(book, executed)


def render(notebook: str | Path, dataset: str | Path, params: dict[str, Any] | None = None,
           out: Path | str = Path("out.html"), show_code: bool = False, progress: bool = True,
           keep_notebook: bool = False, lang: str = "zh") -> Path:
    """Execute ``notebook`` on ``dataset`` with ``params`` and write the HTML to ``out`` (and, with
    ``keep_notebook``, the executed notebook with its provenance metadata as ``<out>.ipynb``). ``lang``
    'en' puts English labels beside the Chinese ones in every table (see analysis/english.py).

    Raises RenderError when the dataset is missing, a parameter is unknown, or a cell fails (the
    message has the cell's number, source and error; the executed notebook is kept next to ``out``
    as ``<out>.failed.ipynb`` for inspection)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    src = notebook_path(notebook)
    dataset, out = Path(dataset), Path(out)
    if not (dataset / "reports.parquet").is_file():
        raise RenderError(f"{dataset}: not a dataset folder (no reports.parquet); build one with `govreports build`")
    params = dict(params or {})
    if "dataset" in params:
        raise RenderError("give the dataset with --dataset, not as a parameter")
    _check_params(src, params)
    if lang not in LANGS:
        raise RenderError(f"--lang {lang!r}: choose one of {', '.join(LANGS)}")
    prov = provenance(src, dataset, params)
    prov["lang"] = lang
    params["dataset"] = str(dataset.resolve())
    kernel = ensure_kernel()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / src.name
        try:
            with _language(lang):
                papermill.execute_notebook(str(src), str(executed), parameters=params, kernel_name=kernel,
                                           progress_bar=progress, cwd=str(src.parent))
        except PapermillExecutionError as err:
            failed = out.with_name(out.name + ".failed.ipynb")
            if executed.exists():
                failed.write_bytes(executed.read_bytes())
            trace = _ANSI.sub("", "\n".join(err.traceback or []))
            raise RenderError(f"{src.name}: cell {err.exec_count} failed with {err.ename}: {err.evalue}\n"
                              f"--- cell source ---\n{err.source}\n--- traceback ---\n{trace}\n"
                              f"(executed notebook kept at {failed})") from None
        _stamp(executed, prov)
        out.write_text(to_html(executed, show_code, title=src.stem, lang=lang), encoding="utf-8")
        copy_font(out.parent)
        if keep_notebook:
            shutil.copyfile(executed, out.with_suffix(".ipynb"))
    return out


def copy_notebooks(folder: str | Path, overwrite: bool = False) -> list[Path]:
    """Copy the standard notebooks into ``folder`` for editing (e.g. in JupyterLab); an existing file is
    kept unless ``overwrite``. Returns the notebooks written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in [*STANDARD, PUBLISHER_NOTEBOOK]:
        target = folder / f"{name}.ipynb"
        if target.exists() and not overwrite:
            raise RenderError(f"{target}: exists; pass --force to overwrite it")
        shutil.copyfile(NOTEBOOKS / f"{name}.ipynb", target)
        written.append(target)
    return written


def notebooks_command(
    folder: Path = typer.Argument(..., help="folder to copy the standard notebooks into"),
    force: bool = typer.Option(False, "--force", help="overwrite notebooks already there"),
) -> None:
    """Copy the standard analysis notebooks out of the package, to edit and run them in JupyterLab.

    Render an edited copy with `govreports render FOLDER/NAME.ipynb --dataset DIR --out FILE.html`."""
    try:
        for path in copy_notebooks(folder, force):
            typer.echo(str(path))
    except RenderError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)


PUBLISHER_NOTEBOOK = "publisher"  # one page per publisher, rendered by render_all with agency=<publisher>
MAX_PUBLISHER_PAGES = 50  # render_all makes pages for the publishers with most reports, at most this many


def render_all(dataset: str | Path, out_folder: str | Path, show_code: bool = False, progress: bool = True,
               lang: str = "zh", max_publishers: int | None = MAX_PUBLISHER_PAGES) -> Path:
    """Render every standard notebook with its default parameters into ``out_folder``, one page per
    publisher (those with most reports first, at most ``max_publishers``; None: all), the codebook and the
    indicator definitions as pages, and an ``index.html`` linking them all and the dataset's files. Every
    table cell naming a publisher links to its page. Renders all it can; raises RenderError listing any
    that failed."""
    folder, dataset = Path(out_folder), Path(dataset)
    folder.mkdir(parents=True, exist_ok=True)
    done, errors = [], []
    for name in STANDARD:
        try:
            done.append(Rendered(name, render(name, dataset, {}, folder / f"{name}.html", show_code, progress, lang=lang)))
        except RenderError as err:
            errors.append((name, str(err)))
    names = publishers(load(dataset)) if (dataset / "reports.parquet").is_file() else []
    chosen = names if max_publishers is None else names[:max_publishers]
    by_publisher: dict[str, str] = {}
    for i, publisher in enumerate(chosen, 1):
        if progress:
            typer.echo(f"publisher page {i}/{len(chosen)}: {publisher}", err=True)
        try:
            path = render(PUBLISHER_NOTEBOOK, dataset, {"agency": publisher}, folder / page_name(publisher), show_code,
                          progress, lang=lang)
            by_publisher[publisher] = path.name
        except RenderError as err:
            errors.append((f"{PUBLISHER_NOTEBOOK}: {publisher}", str(err)))
    pages.link_folder(folder, [r.html.name for r in done] + list(by_publisher.values()), by_publisher)
    copy_font(folder)
    (folder / "indicators.html").write_text(pages.markdown_page(
        "Indicators", indicators.codebook_markdown(), PAGE_CSS, SORT_SCRIPT, lang), encoding="utf-8")
    if (dataset / "codebook.md").is_file():
        (folder / "codebook.html").write_text(pages.markdown_page(
            "Codebook", (dataset / "codebook.md").read_text(encoding="utf-8"), PAGE_CSS, SORT_SCRIPT, lang), encoding="utf-8")
    index = folder / "index.html"
    listed = [(r.html.name, r.name, STANDARD[r.name]) for r in done]
    index.write_text(pages.index(folder, dataset, listed, [(f, p) for p, f in by_publisher.items()], errors,
                                 len(names) - len(chosen), PAGE_CSS, SORT_SCRIPT, lang), encoding="utf-8")
    if errors:
        raise RenderError("\n\n".join(f"{n}: {e}" for n, e in errors) + f"\n(index written to {index})")
    return index


RENDER_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}


def render_command(
    ctx: typer.Context,
    notebook: str = typer.Argument(..., help="report_card, compare_regions, trends, compare_years, data_quality, a .ipynb path, or 'all'"),
    dataset: Path = typer.Option(..., "--dataset", help="dataset folder written by `govreports build`"),
    out: Path = typer.Option(..., "--out", help="FILE.html (a folder for 'all')"),
    show_code: bool = typer.Option(False, "--show-code", help="keep code cells in the HTML"),
    ipynb: bool = typer.Option(False, "--ipynb", help="also keep the executed notebook (with provenance metadata) as FILE.ipynb"),
    lang: str = typer.Option("zh", "--lang", help="zh, or en: English labels beside the Chinese in every table"),
) -> None:
    """Run an analysis notebook with papermill and write one standalone HTML file.

    Parameters go as `-p NAME VALUE` (repeatable; values read as YAML: 2024, [2023, 2024], 洪泽,平潭;
    a list may also be given as text: -p indicators refusal_rate,unable_rate). Each notebook's
    parameters are listed below.
    `govreports render all --dataset DIR --out FOLDER` renders every standard notebook plus index.html.
    """
    try:
        params = parse_params(list(ctx.args))
        if notebook == "all":
            if params:
                raise RenderError("'render all' uses each notebook's default parameters; -p is not accepted")
            path = render_all(dataset, out, show_code, lang=lang)
        else:
            path = render(notebook, dataset, params, out, show_code, keep_notebook=ipynb, lang=lang)
    except RenderError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)
    typer.echo(str(path))
