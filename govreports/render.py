"""Run an analysis notebook with papermill on the package's own kernel and export one standalone HTML.

``render`` executes a standard notebook (shipped inside the package, ``govreports/notebooks/``) or any
.ipynb with a ``parameters`` cell on the kernel named "govreports", which is registered for *this*
interpreter on first use, so a system Python without govreports is never picked up. The HTML has every
figure embedded as a data URI, hides code cells unless ``show_code``, and ends with a provenance block
(govreports version, dataset, parameters, time), kept in the executed notebook's metadata as well. A
failing cell raises RenderError carrying that cell's error.
"""
from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import typer
import yaml

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
    import json

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
        spec_file.write_text(json.dumps(spec, indent=1), encoding="utf-8")
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
        raise RenderError(f"unknown notebook {notebook!r}; choose one of {', '.join(STANDARD)}, 'all', or a .ipynb path")
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


def _check_params(src: Path, params: dict[str, Any]) -> None:
    import papermill

    known = set(papermill.inspect_notebook(str(src)))
    unknown = sorted(set(params) - known)
    if unknown:
        raise RenderError(f"{src.name}: unknown parameter(s) {', '.join(unknown)}; this notebook takes "
                          f"{', '.join(sorted(known))}")


# The lab template without the CDN scripts (require.js, MathJax, Mermaid) the analyses never use, so
# the page is self-contained and opens offline; plus CJK-friendly fonts and readable tables.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style>
body.jp-Notebook { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  max-width: 1200px; margin: 0 auto; }
.jp-RenderedHTMLCommon table { font-size: 13px; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
</style>
{% endblock extra_css %}
"""


def to_html(executed: Path, show_code: bool = False, title: str | None = None) -> str:
    """One standalone HTML page: images embedded, prompts hidden, code hidden unless ``show_code``."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"govreports.html.j2": _TEMPLATE})],
                            template_file="govreports.html.j2", embed_images=True, exclude_input=not show_code,
                            exclude_input_prompt=True, exclude_output_prompt=True, language_code="zh")
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
            f"content sha256 `{d['sha256'][:16]}`; parameters: {params}; rendered {prov['rendered']}.")
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = ["provenance"]
    book.cells.append(cell)
    nbformat.write(book, executed)


def render(notebook: str | Path, dataset: str | Path, params: dict[str, Any] | None = None,
           out: Path | str = Path("out.html"), show_code: bool = False, progress: bool = True,
           keep_notebook: bool = False) -> Path:
    """Execute ``notebook`` on ``dataset`` with ``params`` and write the HTML to ``out`` (and, with
    ``keep_notebook``, the executed notebook with its provenance metadata as ``<out>.ipynb``).

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
    prov = provenance(src, dataset, params)
    params["dataset"] = str(dataset.resolve())
    kernel = ensure_kernel()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / src.name
        try:
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
        out.write_text(to_html(executed, show_code, title=src.stem), encoding="utf-8")
        if keep_notebook:
            shutil.copyfile(executed, out.with_suffix(".ipynb"))
    return out


def copy_notebooks(folder: str | Path, overwrite: bool = False) -> list[Path]:
    """Copy the standard notebooks into ``folder`` for editing (e.g. in JupyterLab); an existing file is
    kept unless ``overwrite``. Returns the notebooks written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in STANDARD:
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


def render_all(dataset: str | Path, out_folder: str | Path, show_code: bool = False,
               progress: bool = True) -> Path:
    """Render every standard notebook with its default parameters into ``out_folder`` plus an
    ``index.html`` linking them. Renders all it can; raises RenderError listing any that failed."""
    folder = Path(out_folder)
    folder.mkdir(parents=True, exist_ok=True)
    done, errors = [], []
    for name in STANDARD:
        try:
            done.append(Rendered(name, render(name, dataset, {}, folder / f"{name}.html", show_code, progress)))
        except RenderError as err:
            errors.append((name, str(err)))
    index = folder / "index.html"
    index.write_text(_index_html(Path(dataset), done, errors), encoding="utf-8")
    if errors:
        raise RenderError("\n\n".join(f"{n}: {e}" for n, e in errors) + f"\n(index written to {index})")
    return index


def _index_html(dataset: Path, done: list[Rendered], errors: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{r.html.name}">{html.escape(r.name)}</a> — {html.escape(STANDARD[r.name])}</li>'
                      for r in done)
    failed = "\n".join(f"<li><b>{html.escape(n)}</b> failed: <pre>{html.escape(e)}</pre></li>" for n, e in errors)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>govreports analyses</title>
<style>body{{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;max-width:52em;margin:2em auto;line-height:1.6}}
li{{margin:.4em 0}} pre{{white-space:pre-wrap;font-size:.85em}}</style></head>
<body><h1>政府信息公开工作年度报告 · analyses</h1>
<p>Dataset: <code>{html.escape(str(dataset.resolve()))}</code></p>
<ul>
{items}
</ul>
{f"<h2>Failed</h2><ul>{failed}</ul>" if errors else ""}
<p>Indicator definitions: <code>docs/indicators.md</code> in the govreports repository.
Each page ends with how it was made (govreports version, dataset, parameters).</p>
</body></html>
"""


RENDER_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}


def render_command(
    ctx: typer.Context,
    notebook: str = typer.Argument(..., help="report_card, compare_regions, trends, compare_years, data_quality, a .ipynb path, or 'all'"),
    dataset: Path = typer.Option(..., "--dataset", help="dataset folder written by `govreports build`"),
    out: Path = typer.Option(..., "--out", help="FILE.html (a folder for 'all')"),
    show_code: bool = typer.Option(False, "--show-code", help="keep code cells in the HTML"),
    ipynb: bool = typer.Option(False, "--ipynb", help="also keep the executed notebook (with provenance metadata) as FILE.ipynb"),
) -> None:
    """Run an analysis notebook with papermill and write one standalone HTML file.

    Parameters go as `-p NAME VALUE` (repeatable; values read as YAML: 2024, [2023, 2024], 洪泽,平潭).
    `govreports render all --dataset DIR --out FOLDER` renders every standard notebook plus index.html.
    """
    try:
        params = parse_params(list(ctx.args))
        if notebook == "all":
            if params:
                raise RenderError("'render all' uses each notebook's default parameters; -p is not accepted")
            path = render_all(dataset, out, show_code)
        else:
            path = render(notebook, dataset, params, out, show_code, keep_notebook=ipynb)
    except RenderError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)
    typer.echo(str(path))
