"""Every analysis notebook runs through papermill on a dataset built from the bundled gold reports
(data/reports, `govreports build`) and becomes one standalone HTML page that embeds its figures, hides
code by default and shows values computed from the gold reports (test_indicators checks that this
build gives the truth files' indicator values).

Notebook execution is slow (a kernel per notebook), so the standard set is rendered once per test
session into a shared folder; under pytest-xdist the first worker renders and the others wait for it.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from govreports import render as R
from govreports.corpus.build import build

NOTEBOOKS = list(R.STANDARD)
REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"  # the gold reports, bundled for the demo
IMG = re.compile(r'<img [^>]*src="data:image/png;base64,')


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """(dataset folder, HTML folder): data/reports built, and the four standard notebooks rendered."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, shared by its xdist workers
    with open(root / "render.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "rendered.json"
        if not done.exists():
            dataset = root / "dataset"
            build(REPORTS, dataset, workers=1, progress=False)
            R.render_all(dataset, root / "html", progress=False)
            done.write_text(json.dumps({"dataset": str(dataset), "html": str(root / "html")}))
        paths = json.loads(done.read_text())
    return Path(paths["dataset"]), Path(paths["html"])


def _html(rendered, name: str) -> str:
    return (rendered[1] / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_with_embedded_figures_and_no_code(rendered, name):
    html = _html(rendered, name)
    assert len(IMG.findall(html)) >= 1
    assert "<script src=" not in html  # standalone: nothing fetched from a CDN
    assert "open_dataset" not in html and "matplotlib" not in html  # code cells hidden
    assert "Traceback" not in html and "Error" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)


def test_report_card_shows_hongze_2024_values(rendered):
    html = _html(rendered, "report_card")
    assert "洪泽区人民政府 2024" in html
    assert "52.6%" in html and "62.1%" in html  # 50 / 95 and 59 / 95
    assert ">9,487<" in html  # 行政许可 处理决定数量 as printed in table 二
    assert "40 pass, 0 fail" in html  # every hard identity holds
    # the narrative warning: the text's 17 applications (the government office only) against the table's 95
    assert "N_NEW" in html and "受理政府信息公开申请17件" in html


def test_compare_regions_ranks_and_guards_small_samples(rendered):
    html = _html(rendered, "compare_regions")
    assert len(IMG.findall(html)) >= 7  # 4 rankings, 2 mixes, outcomes, per capita
    assert "59 / 95" in html and "62.1%" in html  # Hongze 2024 substantive disclosure, with its fraction
    assert "1 / 6" in html  # Pingtan 2024 review correction: pending case excluded
    assert "分母不足 5，不计算" in html and "n&lt;5" in html  # small-N guard, never 0 % or 100 %


def test_trends_show_pingtan_series_and_version_rules(rendered):
    html = _html(rendered, "trends")
    for year in range(2019, 2026):
        assert f">{year}<" in html
    assert "89≈" in html  # 2019 normative documents from the V2019 near-equivalent column
    assert "不可比" in html  # 现行有效件数 has no V2019 counterpart
    assert "61.9%†" in html  # 2020 substantive disclosure (7 + 6) / 21, its outcome rows fail T3_RESULTS_SUM
    # 现行有效 stops reconciling from 2023: 698 + 77 − 132 = 643 ≠ 470 (X_T2_IN_FORCE)
    assert "X_T2_IN_FORCE" in html and "643" in html and "2022→2023" in html


def test_data_quality_lists_gold_failures(rendered):
    html = _html(rendered, "data_quality")
    assert "行政复议 总计 0 ≠ 10 + 1 + 0 + 0" in html  # Hongze 2023
    assert "贺兰县_2020" in html and "T3_ROW_TOTAL" in html
    assert "1 / 2" in html  # 2020: one of two reports fails T3_BALANCE


def test_index_links_every_notebook(rendered):
    index = (rendered[1] / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f'href="{name}.html"' in index


def test_show_code_and_parameters(rendered, tmp_path):
    out = R.render("report_card", rendered[0], {"agency": "平潭", "year": 2021}, tmp_path / "rc.html",
                   show_code=True, progress=False)
    html = out.read_text(encoding="utf-8")
    assert "open_dataset" in html  # code shown (pygments splits "A.open_dataset" into spans)
    assert "平潭综合实验区 2021" in html and "43.5%" in html  # 30 / 69


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("render", context_settings=R.RENDER_CONTEXT)(R.render_command)
    app.command("other")(lambda: None)  # a second command keeps `render` as a subcommand
    return app


def test_failing_cell_exits_nonzero_with_its_error(rendered, tmp_path):
    result = CliRunner().invoke(_cli(), ["render", "report_card", "--dataset", str(rendered[0]),
                                         "-p", "report_id", "nowhere_2024", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "ValueError" in result.output and "report_id 'nowhere_2024' is not in the dataset" in result.output
    assert "cell" in result.output and not (tmp_path / "x.html").exists()
    assert (tmp_path / "x.html.failed.ipynb").exists()


def test_unknown_parameter_and_notebook_are_refused_before_running(rendered, tmp_path):
    with pytest.raises(R.RenderError, match="unknown parameter.*agencys.*takes"):
        R.render("compare_regions", rendered[0], {"agencys": "洪泽"}, tmp_path / "x.html")
    with pytest.raises(R.RenderError, match="unknown notebook"):
        R.render("nope", rendered[0], {}, tmp_path / "x.html")
    with pytest.raises(R.RenderError, match="not a dataset folder"):
        R.render("trends", tmp_path, {}, tmp_path / "x.html")


def test_parse_params_reads_values_as_yaml():
    assert R.parse_params(["-p", "years", "2024", "-p", "agencies", "洪泽,平潭", "-p", "indicators",
                           "[refusal_rate, unable_rate]"]) == {
        "years": 2024, "agencies": "洪泽,平潭", "indicators": ["refusal_rate", "unable_rate"]}
    assert R.parse_params(["-p", "years", "2021-2024"]) == {"years": "2021-2024"}
    with pytest.raises(R.RenderError, match="-p NAME VALUE"):
        R.parse_params(["-p", "years"])


def test_kernel_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    assert R.ensure_kernel() == "govreports"
    assert KernelSpecManager().get_kernel_spec("govreports").argv[0] == sys.executable
