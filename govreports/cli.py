"""Command line: `govreports extract | build | render | notebooks | export`."""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract, validate and compare China's annual OGI (政府信息公开工作年度报告) reports.")


@app.callback()
def _root() -> None:
    """Extract, validate and compare China's annual OGI (政府信息公开工作年度报告) reports."""


class Fmt(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


CSV_COLUMNS = ["file", "agency", "year", "cell", "table", "row", "col", "label", "value", "raw", "status", "page", "part"]


def _part(rep) -> str:
    """' [report 2 of 3, pages 6–10]' for one report of a compilation, else ''."""
    src = rep.source
    if not src.get("part"):
        return ""
    pages = f", pages {src['page_range'][0]}–{src['page_range'][1]}" if src.get("page_range") else ""
    return f" [report {src['part']} of {src['parts']}{pages}]"


def _print_table(rep, out) -> None:
    import pandas as pd

    from .report import TABLES

    with pd.option_context("display.max_rows", 100, "display.max_columns", 20, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        layout = (rep.layout["format"] if rep.layout.get("format") == "pre2019"
                  else f"t2 {rep.layout.get('t2')}, （六） {rep.layout.get('t3_r3_6')}")
        out.write(f"== {rep.source['path']}: {rep.agency or '?'} {rep.year or '?'} ({layout}){_part(rep)}\n")
        names = {"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况", "t4": "四、行政复议、行政诉讼情况"}
        for t in TABLES:
            if not any(c["cell"].startswith(t + ".") for c in rep.cell_list):
                continue
            out.write(f"\n{names[t]}\n{rep.table(t).fillna('·').to_string()}\n")
        if rep.layout.get("format") == "pre2019":  # a report before the 2019 revision: one table of pre.* codes
            out.write(f"\npre2019 ({rep.layout.get('table') or 'narrative only'})\n{rep.table('pre2019').fillna('·').to_string()}\n")
        failed = rep.failed_checks
        hard = [c for c in failed if c["severity"] == "error"]
        soft = [c for c in failed if c["severity"] != "error"]
        n_pass = sum(1 for c in rep.checks if c["status"] == "pass" and c["severity"] == "error")
        out.write(f"\nidentities: {n_pass} pass, {len(hard)} fail\n")
        for c in hard:
            out.write(f"  FAIL {c['rule']}[{c['scope']}]: {c['message']}\n")
        for c in soft:
            out.write(f"  warn {c['rule']}[{c['scope']}]: {c['message']}\n")
        for w in rep.warnings:
            out.write(f"  note: {w}\n")
        out.write("\n")


@app.command()
def extract(files: List[Path] = typer.Argument(..., help="report files (PDF, HTML, text, docx)"),
            format: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table | jsonl (§9 record) | csv (tidy cells)")) -> None:
    """Extract tables 二, 三, 四 of each file (of each report in a compilation), check the identities, print them."""
    from .readers.base import ReaderError
    from .report import read_reports

    failed = 0
    writer = csv.writer(sys.stdout) if format == Fmt.csv else None
    if writer:
        writer.writerow(CSV_COLUMNS)
    for f in files:
        try:
            reps = read_reports(f)
        except ReaderError as e:
            failed += 1
            typer.echo(f"govreports: {e}", err=True)
            continue
        except Exception as e:  # an extractor bug must not stop the other files
            failed += 1
            typer.echo(f"govreports: {f}: internal error while extracting ({type(e).__name__}: {e})", err=True)
            continue
        if len(reps) > 1:
            typer.echo(f"govreports: {f}: holds {len(reps)} reports; one record each", err=True)
        for rep in reps:
            _print_report(rep, f, format, writer)
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def _print_report(rep, f: Path, format: Fmt, writer) -> None:
    """One report in the chosen format (a compilation's reports carry their part and page range)."""
    for w in rep.warnings:
        if w.startswith("missing_table"):
            typer.echo(f"govreports: warning: {w}", err=True)
    if format == Fmt.jsonl:
        sys.stdout.write(json.dumps(rep.to_record(), ensure_ascii=False) + "\n")
    elif format == Fmt.csv:
        for r in rep.cell_rows():
            writer.writerow([f, rep.agency, rep.year, r["cell"], r["table"], r["row"], r["col"], r["label_zh"],
                             "" if r["value"] is None else r["value"], r["raw"], r["status"],
                             "" if r["page"] is None else r["page"], rep.source.get("part") or ""])
    else:
        _print_table(rep, sys.stdout)


def _wire() -> None:
    """Attach the dataset and notebook commands (their modules import their heavy libraries lazily)."""
    from .corpus.cli import build_command
    from .render import RENDER_CONTEXT, notebooks_command, parameters_help, render_command

    app.command("build")(build_command)
    from .fetch.cli import fetch_command

    app.command("fetch")(fetch_command)
    app.command("render", context_settings=RENDER_CONTEXT, epilog=parameters_help())(render_command)
    app.command("notebooks")(notebooks_command)
    from .export import export_command

    app.command("export")(export_command)
    from .review.cli import review_command

    app.command("review")(review_command)


_wire()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
