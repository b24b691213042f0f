"""Figures follow the page's language: under --lang en every title, axis label, legend, tick label and note
the notebooks draw is English (names of places and publishers kept as printed); under zh they stay Chinese.

Each standard notebook's code runs here in-process, as papermill runs it, on the demo reports; every figure it
shows is collected with its texts."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from govreports.analysis import english as E  # noqa: E402
from govreports.corpus.build import build  # noqa: E402
from govreports.corpus.dataset import load  # noqa: E402
from govreports.render import NOTEBOOKS as NOTEBOOK_DIR  # noqa: E402

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
NOTEBOOKS = ["trends", "compare_regions", "data_quality", "report_card", "compare_years", "publisher"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[str]]:
    """The demo dataset and the names figures may keep in Chinese: publishers, agencies, places."""
    out = tmp_path_factory.mktemp("figures") / "dataset"
    build(REPORTS, out, workers=1, progress=False)
    r = load(out).reports
    names = {str(v) for col in ("publisher", "agency", "county", "prefecture", "province") for v in r[col].dropna() if v}
    return out, sorted(names, key=len, reverse=True)


def figure_texts(notebook: str, dataset: Path, lang: str, monkeypatch) -> list[list[str]]:
    """The texts of every figure the notebook shows, its code run with ``dataset`` under ``lang``."""
    monkeypatch.setenv(E.LANG_ENV, lang)
    shown: list[list[str]] = []

    def show(*_args, **_kwargs) -> None:
        for n in plt.get_fignums():
            shown.append([t.get_text() for t in plt.figure(n).findobj(Text) if t.get_text().strip()])
        plt.close("all")

    monkeypatch.setattr(plt, "show", show)
    cells = json.loads((NOTEBOOK_DIR / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    scope: dict = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        code = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            code += f"\ndataset = {str(dataset)!r}\n"
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"{notebook}.ipynb", "exec"), scope)
        show()
    return shown


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_figures_are_english_under_en_and_chinese_under_zh(notebook, demo, monkeypatch):
    dataset, names = demo
    en = figure_texts(notebook, dataset, "en", monkeypatch)
    assert en, f"{notebook} draws no figure on the demo data"
    for texts in en:
        for text in texts:
            rest = text
            for name in names:
                rest = rest.replace(name, "")
            assert not E.has_cjk(rest), f"{notebook} --lang en draws {text!r}"
    zh = figure_texts(notebook, dataset, "zh", monkeypatch)
    assert len(zh) == len(en)
    assert all(any(E.has_cjk(t) for t in texts) for texts in zh), f"{notebook} --lang zh draws a figure without Chinese"


def test_figure_words_in_english(demo, monkeypatch):
    dataset, _ = demo
    trends = [t for texts in figure_texts("trends", dataset, "en", monkeypatch) for t in texts]
    assert "current format from 2021" in trends  # the break, named as the long-run crosswalk names it
    assert "New applications (count)" in trends and "Refusal rate (all eight reasons) (%)" in trends
    zh = [t for texts in figure_texts("trends", dataset, "zh", monkeypatch) for t in texts]
    assert "2021年起新格式\n（国办公开办函〔2021〕30号）" in zh and "本年新收申请（件）" in zh


def test_english_reads_phrases_with_their_fields():
    assert E.english("分母不足 20：区间宽，不排名") == "fewer than 20 cases: wide interval, not ranked"
    assert E.english("淮安市洪泽区人民政府 2024：办理结果与语料中位数") == "淮安市洪泽区人民政府 2024: outcomes against the corpus median"
    assert E.english("实质公开率（予以公开 + 部分公开）（%）（各机关最近年度：2020、2024）") == \
        "Substantive disclosure rate (granted + partial) (%) (each publisher's latest year: 2020, 2024)"
    assert E.english("主要数量对比（件） Main volumes") == "Main volumes"
    assert E.english("平潭综合实验区 2025") == "平潭综合实验区 2025"
