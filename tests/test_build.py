"""`govreports build`: the gold corpus as a dataset; cache, failures, kill-and-resume, Dask."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import CORPUS, CORPUS_HTML
from govreports.corpus.build import build
from govreports.corpus.dataset import load
from govreports.schema import load_schema

N_GOLD = 10  # 2 PDFs + 1 text (corpus) + 7 HTML pages (corpus-html)


def copy_reports(folder: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if p.suffix in {".pdf", ".txt", ".html"}:
            shutil.copy2(p, dest / p.name)


@pytest.fixture(scope="module")
def gold_src(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    copy_reports(CORPUS, src / "corpus")
    copy_reports(CORPUS_HTML, src / "corpus-html")
    return src


@pytest.fixture(scope="module")
def gold(gold_src, tmp_path_factory):
    out = tmp_path_factory.mktemp("gold") / "dataset"
    result = build(gold_src, out, workers=2, progress=False)
    return result, load(out)


def report(ds, file: str) -> pd.Series:
    (row,) = ds.reports[ds.reports.file == file].to_dict("records")
    return row


def test_gold_dataset_reports(gold):
    result, ds = gold
    assert (result.files, result.extracted, result.cached, result.reports, result.failed) == (N_GOLD, N_GOLD, 0, N_GOLD, 0)
    assert len(ds.reports) == N_GOLD and ds.failures.empty
    for year in (2023, 2024):
        r = report(ds, f"corpus/hongzequ_{year}.pdf")
        assert (r["division_code"], r["population"], r["county"], r["level"]) == ("320813", 285_097, "洪泽区", "county")
        assert (r["year"], r["t2_layout"], r["t3_r3_6"], r["kind"]) == (year, "v2021", "single", "pdf")
    helan = report(ds, "corpus/helanxian_2020.txt")
    assert (helan["division_code"], helan["population"], helan["t2_layout"]) == ("640122", 341_507, "v2019")
    # Helan prints 55 + 4 ≠ 55 in row 一 and breaks the balance in 自然人, 商业企业 and 总计 (gold truth).
    assert helan["status"] == "failed_identities" and helan["n_failed_identities"] == 4
    pt = report(ds, "corpus-html/pingtan_2021.html")
    assert (pt["division_code"], pt["published"], pt["published_source"]) == ("350128", pd.Timestamp("2022-02-08"), "page")
    assert pt["days_late"] == -51  # government report due 2022-03-31


def test_gold_cells_and_wide_view(gold):
    _, ds = gold
    hz23 = report(ds, "corpus/hongzequ_2023.pdf")["report_id"]
    cell = ds.cells[(ds.cells.report_id == hz23) & (ds.cells.cell == "t2.a20_8.r1#fee_amount")].iloc[0]
    assert (cell["value"], cell["label_zh"], cell["table"], cell["status"]) == (7730.28, "行政事业性收费 / 本年收费金额（万元）", "t2", "ok")
    assert cell["page"] >= 2 and cell["method"]
    assert ds.wide.loc[hz23, "t3.r1#c7"] == 21
    assert list(ds.wide.index) == list(ds.reports.report_id)
    assert ds.cells.groupby("report_id", sort=False).size().tolist() == ds.reports.n_cells.tolist()
    # Helan's one blank cell (table 四, 未经复议直接起诉 尚未审结) stays empty, never 0.
    helan = report(ds, "corpus/helanxian_2020.txt")["report_id"]
    assert pd.isna(ds.wide.loc[helan, "t4.b2#c4"])
    assert ds.wide.notna().sum(axis=1).tolist() == ds.cells.value.notna().groupby(ds.cells.report_id, sort=False).sum().tolist()


def test_cross_year_in_force_hongze(gold):
    _, ds = gold
    hz24 = report(ds, "corpus/hongzequ_2024.pdf")["report_id"]
    c = ds.checks[(ds.checks.rule == "X_T2_IN_FORCE") & (ds.checks.report_id == hz24)]
    row = c[c.scope.str.endswith("t2.a20_1.r2")].iloc[0]
    assert (row["status"], row["severity"], row["lhs"], row["rhs"]) == ("pass", "warning", 8, 8)  # 5 + 3 − 0


def test_narrative_mismatches_are_warnings(gold):
    _, ds = gold
    n_new = ds.checks[ds.checks.rule == "N_NEW"].merge(ds.reports[["report_id", "file"]], on="report_id")
    helan = n_new[n_new.file == "corpus/helanxian_2020.txt"].iloc[0]
    assert (helan["status"], helan["severity"], helan["lhs"], helan["rhs"]) == ("fail", "warning", 56, 55)
    assert "受理政府信息公开申请56件" in helan["message"]
    hz24 = n_new[n_new.file == "corpus/hongzequ_2024.pdf"].iloc[0]
    assert (hz24["status"], hz24["severity"], hz24["lhs"], hz24["rhs"]) == ("fail", "warning", 17, 95)
    assert report(ds, "corpus/hongzequ_2024.pdf")["n_warnings"] >= 1


def test_files_csv_and_codebook(gold):
    result, ds = gold
    for name in ("reports", "cells", "checks", "failures"):
        raw = (result.out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # utf-8-sig: Excel opens the Chinese text
        assert len(pd.read_csv(result.out / f"{name}.csv", encoding="utf-8-sig")) == len(getattr(ds, name))
    book = (result.out / "codebook.md").read_text(encoding="utf-8")
    s = load_schema()
    for code in s.t2_cells("v2019") + s.t2_cells("v2021") + s.t3_cells("split") + s.t3_cells("single") + s.t4_cells():
        assert f"`{code}`" in book
    for word in ("`not_in_version`", "`T3_BALANCE`", "`X_T2_IN_FORCE`", "`days_late`", "`reason`"):
        assert word in book


def test_unchanged_rerun_extracts_nothing(gold, gold_src):
    result, ds = gold
    again = build(gold_src, result.out, workers=2, progress=False)
    assert (again.extracted, again.cached, again.reports) == (0, N_GOLD, N_GOLD)
    assert again.seconds < 1.0
    pd.testing.assert_frame_equal(load(result.out).cells, ds.cells)


def test_killed_build_resumes_to_the_same_dataset(gold, gold_src, tmp_path):
    out = tmp_path / "dataset"
    results = out / ".cache" / "results"
    cmd = [sys.executable, "-m", "govreports.corpus.cli", str(gold_src), "--out", str(out), "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (results.is_dir() and any(results.glob("*.json"))):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before caching a result"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(results.glob("*.json")))
    assert 1 <= done < N_GOLD and not (out / "reports.parquet").exists()
    resumed = build(gold_src, out, workers=2, progress=False)
    assert (resumed.cached, resumed.extracted) == (done, N_GOLD - done)
    ds = load(out)
    for name in ("reports", "cells", "checks", "failures"):
        pd.testing.assert_frame_equal(getattr(ds, name), getattr(gold[1], name))


def test_bad_files_and_duplicates_land_in_failures(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    helan = (CORPUS / "helanxian_2020.txt").read_bytes()
    (src / "a_helan.txt").write_bytes(helan)
    (src / "b_same_bytes.txt").write_bytes(helan)
    (src / "c_same_report.txt").write_bytes(helan + b"\n")
    (src / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    (src / "notes.txt").write_text("会议纪要：本周讨论了办公用品采购事宜。\n", encoding="utf-8")
    r = build(src, out, workers=2, progress=False)
    kinds = {f["file"]: (f["kind"], f["reason"]) for f in r.failures}
    assert r.reports == 1 and load(out).reports.file.tolist() == ["a_helan.txt"]
    assert kinds["b_same_bytes.txt"] == ("duplicate", "identical content to a_helan.txt")
    assert kinds["c_same_report.txt"][0] == "duplicate" and "a_helan.txt" in kinds["c_same_report.txt"][1]
    assert kinds["corrupt.pdf"][0] == "error" and "corrupt.pdf" in kinds["corrupt.pdf"][1]
    assert kinds["notes.txt"][0] == "error"
    assert (r.failed, r.duplicates) == (2, 2)
    # A failure is cached, not retried; once the file changes it is extracted again.
    assert build(src, out, workers=2, progress=False).extracted == 0
    shutil.copy(CORPUS / "hongzequ_2023.pdf", src / "corrupt.pdf")
    r = build(src, out, workers=2, progress=False)
    assert (r.extracted, r.reports, r.failed) == (1, 2, 1)


def test_time_limit(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(CORPUS / "hongzequ_2024.pdf", src / "slow.pdf")
    shutil.copy(CORPUS / "helanxian_2020.txt", src / "helan.txt")
    r = build(src, out, workers=1, timeout=0.001, progress=False)
    kinds = {f["file"]: f for f in r.failures}
    assert kinds["slow.pdf"]["kind"] == "timeout" and "0.001 s" in kinds["slow.pdf"]["reason"]
    timed_out = [f["file"] for f in r.failures if f["kind"] == "timeout"]
    # The timed-out files are not retried under the same limit, but are under a longer one.
    assert build(src, out, workers=1, timeout=0.001, progress=False).extracted == 0
    r = build(src, out, workers=1, timeout=120, progress=False)
    assert r.extracted == len(timed_out) and r.failures == []
    assert load(out).reports.file.tolist() == ["helan.txt", "slow.pdf"]


def test_dead_worker_is_replaced_and_recorded(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a_segfault.txt").write_text("政府信息公开工作年度报告", encoding="utf-8")
    (src / "b_oom.txt").write_text("政府信息公开工作年度报告 2", encoding="utf-8")
    shutil.copy(CORPUS / "helanxian_2020.txt", src / "c_helan.txt")
    from build_tasks import crash_or_extract

    r = build(src, out, workers=1, progress=False, task=crash_or_extract)
    kinds = {f["file"]: f for f in r.failures}
    assert kinds["a_segfault.txt"]["kind"] == "crash" and "SIGSEGV" in kinds["a_segfault.txt"]["reason"]
    assert kinds["b_oom.txt"]["kind"] == "memory" and "MemoryError" in kinds["b_oom.txt"]["reason"]
    assert r.reports == 1 and load(out).reports.file.tolist() == ["c_helan.txt"]


def test_manifest_values_win(tmp_path):
    (tmp_path / "files").mkdir()
    shutil.copy(CORPUS / "helanxian_2020.txt", tmp_path / "files" / "helan.txt")
    (tmp_path / "files" / "helan_mirror.txt").write_bytes((CORPUS / "helanxian_2020.txt").read_bytes() + b"\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,agency,division_code,year,published\n"
                        "files/helan.txt,贺兰县人民政府,640122,2020,2021-04-15\n"
                        "files/helan_mirror.txt,宁夏回族自治区银川市贺兰县人民政府,,,\n", encoding="utf-8")
    result = build(manifest, tmp_path / "out", workers=1, progress=False)
    # The mirror names the same government differently: one division, one year, so one report.
    assert [(f["file"], f["kind"]) for f in result.failures] == [("files/helan_mirror.txt", "duplicate")]
    r = load(tmp_path / "out").reports.iloc[0]
    assert (r["file"], r["agency"], r["report_id"], r["division_code"]) == ("files/helan.txt", "贺兰县人民政府", "贺兰县人民政府_2020", "640122")
    assert (r["published_source"], r["days_late"]) == ("manifest", 15)  # due 2021-03-31


def test_manifest_publisher_column_names_the_series(tmp_path):
    """A manifest `publisher` keeps a report's series name end to end; rows without one get the derived
    name (洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024 are one government)."""
    for name in ("hongzequ_2023.pdf", "hongzequ_2024.pdf", "helanxian_2020.txt"):
        shutil.copy(CORPUS / name, tmp_path / name)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,publisher\nhongzequ_2023.pdf,\nhongzequ_2024.pdf,\n"
                        "helanxian_2020.txt,贺兰县（按清单）\n", encoding="utf-8")
    result = build(manifest, tmp_path / "out", workers=1, progress=False)
    assert (result.reports, result.failed) == (3, 0)
    rows = load(tmp_path / "out").reports.set_index("file")
    assert rows.loc["helanxian_2020.txt", "publisher"] == "贺兰县（按清单）"
    assert rows.loc["helanxian_2020.txt", "agency"] == "贺兰县"   # as printed
    assert rows.loc[["hongzequ_2023.pdf", "hongzequ_2024.pdf"], "publisher"].tolist() == ["淮安市洪泽区人民政府"] * 2
    assert rows.loc[["hongzequ_2023.pdf", "hongzequ_2024.pdf"], "agency"].tolist() == ["洪泽区人民政府", "淮安市洪泽区人民政府"]


def test_dask_cluster_gives_the_same_dataset(gold, tmp_path):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "src"
    copy_reports(CORPUS_HTML, src / "corpus-html")
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        r = build(src, tmp_path / "out", scheduler=cluster.scheduler_address, progress=False)
    assert (r.extracted, r.reports, r.failed) == (7, 7, 0)
    ds, ref = load(tmp_path / "out"), gold[1]
    ids = ds.reports.report_id
    relative = ["narrative_reuse", "template_share", "n_reused_sentences", "n_template_sentences"]  # against the other reports
    for name in ("reports", "cells", "checks", "texts"):
        want = getattr(ref, name)
        want = want[want.report_id.isin(ids)].reset_index(drop=True).drop(columns=relative, errors="ignore")
        pd.testing.assert_frame_equal(getattr(ds, name).drop(columns=relative, errors="ignore"), want)


def test_cli_summary(tmp_path):
    import typer
    from typer.testing import CliRunner

    from govreports.corpus.cli import build_command

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS / "helanxian_2020.txt", src / "helan.txt")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    app = typer.Typer()
    app.command()(build_command)
    res = CliRunner().invoke(app, [str(src), "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("1 reports from 2 files (2 extracted, 0 cached)")
    assert lines[1] == "1 failed, 0 duplicates" and lines[2].startswith("  error: broken.pdf: ")
    assert lines[-1] == f"dataset: {tmp_path / 'out'}"
    res = CliRunner().invoke(app, [str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "no such folder or manifest" in res.output


def test_dask_warm_processes_survive_a_timeout_and_a_crash(tmp_path):
    distributed = pytest.importorskip("distributed")
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    helan = (CORPUS / "helanxian_2020.txt").read_bytes()
    (src / "a_hang.txt").write_text("政府信息公开工作年度报告", encoding="utf-8")
    (src / "b_segfault.txt").write_text("政府信息公开工作年度报告 2", encoding="utf-8")
    for i in range(3):  # after each failure a fresh warm process reads the next file
        (src / f"c_helan_{i}.txt").write_bytes(helan + b"\n" * i)
    from build_tasks import hang_crash_or_extract

    with distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        r = build(src, out, scheduler=cluster.scheduler_address, timeout=3, progress=False, task=hang_crash_or_extract)
    kinds = {f["file"]: f for f in r.failures}
    assert kinds["a_hang.txt"]["kind"] == "timeout" and "3 s" in kinds["a_hang.txt"]["reason"]
    assert kinds["b_segfault.txt"]["kind"] == "crash" and "SIGSEGV" in kinds["b_segfault.txt"]["reason"]
    assert r.extracted == 5 and r.failed == 2 and r.duplicates == 2
    assert load(out).reports.file.tolist() == ["c_helan_0.txt"]


def test_dask_ships_a_saved_pages_pictures_and_caps_memory(tmp_path):
    """On Dask a saved page travels with its NAME_files/ pictures (its tables are pictures), and a file past
    --max-memory lands as `memory` while the others are read."""
    distributed = pytest.importorskip("distributed")
    from build_tasks import hog_or_extract
    from conftest import DATA, truth
    from govreports.corpus.memory import parse_size

    src = tmp_path / "src"
    shutil.copytree(DATA / "images" / "saved", src)
    (src / "hog.txt").write_text("any", encoding="utf-8")   # the test task eats memory on it
    with distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        r = build(src, tmp_path / "out", scheduler=cluster.scheduler_address, progress=False, task=hog_or_extract,
                  max_memory=parse_size("700M"), timeout=900)   # OCR of three pictures on a loaded machine
    assert [(f["file"], f["kind"]) for f in r.failures] == [("hog.txt", "memory")]
    cells = load(tmp_path / "out").cells
    got = dict(zip(cells.cell, cells.value))
    gold = truth("pingtan_2024")["cells"]
    assert {k: got.get(k) for k in gold} == gold
    assert set(cells[cells.table != "t2"].method) == {"ocr-rapidocr"}   # tables 三 and 四 were pictures
