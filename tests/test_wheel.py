"""Installed as a package: the wheel ships the notebooks, and `govreports render all` works from a fresh
virtual environment on a dataset with none of the demo's publishers (synthetic reports, govreports.synth).

To stay fast, the fresh environment gets its dependencies from this environment's site-packages through a
.pth file (which does not process that folder's own .pth files, so the editable install stays invisible)
and the wheel is installed with --no-deps; nothing is downloaded but the build backend, if not cached.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from govreports.corpus.build import build
from govreports.render import PUBLISHER_NOTEBOOK, STANDARD
from govreports.synth import draw_report
from govreports.synth.html import render_html
from test_render import rendered  # noqa: F401  (the demo dataset, built once per session)

ROOT = Path(__file__).resolve().parent.parent


def _synthetic_dataset(folder: Path) -> Path:
    """Four synthetic reports of fictional publishers; a manifest makes two of them one publisher's 2022 and 2023."""
    src = folder / "reports"
    src.mkdir(parents=True)
    for seed, year in ((11, 2022), (12, 2023), (13, 2023), (14, 2023)):
        render_html(draw_report(seed, year=year), src / f"synth_{seed}.html")
    agency = draw_report(14, year=2023).agency
    (src / "manifest.csv").write_text(f"path,agency,year\nsynth_11.html,{agency},2022\nsynth_12.html,,\n"
                                      "synth_13.html,,\nsynth_14.html,,\n", encoding="utf-8")
    build(src / "manifest.csv", folder / "dataset", workers=1, progress=False)
    return folder / "dataset"


def _wheel(folder: Path) -> Path:
    tree = folder / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "govreports", tree / "govreports", ignore=ignore)
    for name in ("pyproject.toml", "README.md", *[p.name for p in ROOT.glob("LICENSE*")]):
        shutil.copy(ROOT / name, tree / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder / "dist"), str(tree)],
                   check=True, capture_output=True, timeout=600)
    return next((folder / "dist").glob("govreports-*.whl"))


def _venv(folder: Path, wheel: Path) -> Path:
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "_govreports_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # the dependencies' data files: nbconvert's templates live under <prefix>/share/jupyter (not its kernels)
    (folder / "jupyter-path").mkdir()
    (folder / "jupyter-path" / "nbconvert").symlink_to(Path(sys.prefix, "share", "jupyter", "nbconvert"))
    return venv


def test_wheel_renders_every_notebook_from_a_fresh_venv(rendered, tmp_path):  # noqa: F811
    dataset = _synthetic_dataset(tmp_path / "synth")
    venv = _venv(tmp_path, _wheel(tmp_path))
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "jupyter"), "JUPYTER_PATH": str(tmp_path / "jupyter-path"),
           "PYTHONPATH": ""}
    run = lambda *args: subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=900)
    where = run("python", "-c", "import govreports, govreports.render as r; print(govreports.__file__); print(r.NOTEBOOKS)")
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(venv)) for line in where.stdout.split()), where.stdout

    copied = run("govreports", "notebooks", str(tmp_path / "mine"))
    assert copied.returncode == 0, copied.stderr
    assert sorted(p.stem for p in (tmp_path / "mine").glob("*.ipynb")) == sorted([*STANDARD, PUBLISHER_NOTEBOOK])
    again = run("govreports", "notebooks", str(tmp_path / "mine"))
    assert again.returncode == 1 and "exists; pass --force" in again.stderr

    result = run("govreports", "render", "all", "--dataset", str(dataset), "--out", str(tmp_path / "html"))
    assert result.returncode == 0, result.stderr + result.stdout
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in index for name in STANDARD)
    assert len(list((tmp_path / "html").glob("publisher-*.html"))) == 3  # one page per publisher, from the wheel
    publisher = draw_report(14, year=2023).agency
    years = (tmp_path / "html" / "compare_years.html").read_text(encoding="utf-8")
    assert f"{publisher}: 2022 → 2023" in years  # the only publisher with two reports
    trends = (tmp_path / "html" / "trends.html").read_text(encoding="utf-8")
    assert f"{publisher} 2022" in trends and "平潭" not in trends
    card = (tmp_path / "html" / "report_card.html").read_text(encoding="utf-8")
    assert "How this page was made" in card and str(venv) not in card

    demo = run("govreports", "render", "compare_years", "--dataset", str(rendered[0]), "-p", "agency", "洪泽",
               "--out", str(tmp_path / "hz.html"))
    assert demo.returncode == 0, demo.stderr
    assert "淮安市洪泽区人民政府: 2023 → 2024" in (tmp_path / "hz.html").read_text(encoding="utf-8")
    bad = run("govreports", "render", "trends", "--dataset", str(dataset), "-p", "agencies", "平潭",
              "--out", str(tmp_path / "x.html"))
    assert bad.returncode == 1 and "agencies: '平潭' matches no report; available:" in bad.stderr
