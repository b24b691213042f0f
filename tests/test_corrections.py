"""`govreports build --corrections`: reviewed values as an audited layer over the extracted cells."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from conftest import CORPUS_HTML
from govreports.corpus.build import build
from govreports.corpus.corrections import CorrectionsError
from govreports.corpus.dataset import load

HEADER = "report_id,cell,value,reason,reviewer,date\n"
R24, R25 = "平潭综合实验区_2024", "平潭综合实验区_2025"


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    folder = tmp_path_factory.mktemp("src")
    for year in (2024, 2025):
        shutil.copy2(CORPUS_HTML / f"pingtan_{year}.html", folder)
    return folder


def _write(tmp_path, text: str, name: str = "corrections.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def test_corrections_replace_values_keep_the_extracted_ones_and_rerun_the_checks(src, tmp_path):
    fixes = _write(tmp_path, f"{R24},t4.b1#c5,8,read on page 3,lee,2026-12-07\n"
                             f"{R25},t2.a20_1.r2#in_force,453,typed from the PDF,wang,2026-12-07\n")
    build(src, tmp_path / "plain", workers=1, progress=False)
    build(src, tmp_path / "out", workers=1, progress=False, corrections=fixes)
    plain, ds = load(tmp_path / "plain"), load(tmp_path / "out")
    cells = ds.cells.set_index(["report_id", "cell"])
    got = cells.loc[(R24, "t4.b1#c5")]
    assert (got["value"], got["extracted_value"], got["status"], got["raw"]) == (8, 7, "corrected", "7")
    untouched = cells.loc[(R24, "t4.b1#c1")]
    assert (untouched["value"], untouched["extracted_value"], untouched["status"]) == (2, 2, "ok")
    # identities run on the corrected value: 8 ≠ 2 + 1 + 3 + 1 now fails
    checks = ds.checks.set_index(["report_id", "rule", "scope"])
    assert checks.loc[(R24, "T4_BLOCK_TOTAL", "b1"), "status"] == "fail"
    assert plain.checks.set_index(["report_id", "rule", "scope"]).loc[(R24, "T4_BLOCK_TOTAL", "b1"), "status"] == "pass"
    assert ds.reports.set_index("report_id").loc[R24, "status"] == "failed_identities"
    # the cross-year check runs on the corrected 2025 value: 440 + 58 − 45 = 453 now holds
    x = "2024→2025 t2.a20_1.r2"
    assert plain.checks.set_index(["report_id", "rule", "scope"]).loc[(R25, "X_T2_IN_FORCE", x), "status"] == "fail"
    assert checks.loc[(R25, "X_T2_IN_FORCE", x), "status"] == "pass"
    audit = ds.corrections.set_index("cell")
    assert list(audit.report_id) == [R24, R25]
    row = audit.loc["t4.b1#c5"]
    assert (row["value"], row["extracted_value"], row["extracted_raw"], row["extracted_status"]) == (8, 7, "7", "ok")
    assert (row["reviewer"], row["reason"], row["file"]) == ("lee", "read on page 3", "pingtan_2024.html")
    assert row["sha256"] == hashlib.sha256((src / "pingtan_2024.html").read_bytes()).hexdigest()
    assert row["corrections_sha256"] == hashlib.sha256(fixes.read_bytes()).hexdigest()
    assert (tmp_path / "out" / "corrections.csv").is_file() and len(plain.corrections) == 0


@pytest.mark.parametrize("body, message", [
    (f"{R24},t4.b1#c5,8,,,\n{R24},t4.b1#c5,9,,,\n", r"line 3: 平潭综合实验区_2024 t4.b1#c5 is corrected twice \(also on line 2\)"),
    (f"{R24},t4.b1#c5,eight,,,\n", r"line 2: value 'eight' of t4.b1#c5 is not a number"),
    (f"{R24},t4.b1#c5,7.5,,,\n", r"line 2: value '7.5' of t4.b1#c5 is not a number"),
    (f"{R24},t4.b9#c5,8,,,\n", r"line 2: unknown cell 't4.b9#c5'"),
])
def test_a_badly_stated_correction_stops_the_build_naming_its_line(src, tmp_path, body, message):
    fixes = _write(tmp_path, body)
    with pytest.raises(CorrectionsError, match=f"^{fixes}: {message}"):
        build(src, tmp_path / "out", workers=1, progress=False, corrections=fixes)
    assert not (tmp_path / "out").exists()


def test_a_wrong_header_is_named(src, tmp_path):
    fixes = tmp_path / "c.csv"
    fixes.write_text("report,cell,value\nx,t4.b1#c5,8\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r"c\.csv: line 1: the header must be report_id,cell,value,reason,reviewer,date"):
        build(src, tmp_path / "out", workers=1, progress=False, corrections=fixes)


@pytest.mark.parametrize("body, message", [
    ("平潭_2023,t4.b1#c5,8,,,\n", r"line 2: unknown report '平潭_2023'"),
    (f"{R24},t4.b1#c5,7,,,\n", r"line 2: 平潭综合实验区_2024 t4.b1#c5 already reads '7' \(ok\); the correction changes nothing"),
    (f"{R24},t2.a20_1.r1#new_published,1,,,\n", r"line 2: report 平潭综合实验区_2024 has no cell t2.a20_1.r1#new_published"),
])
def test_a_correction_naming_no_cell_of_the_build_or_changing_nothing_writes_no_dataset(src, tmp_path, body, message):
    fixes = _write(tmp_path, body)
    with pytest.raises(CorrectionsError, match=f"^{fixes}: {message}"):
        build(src, tmp_path / "out", workers=1, progress=False, corrections=fixes)
    assert not list((tmp_path / "out").glob("*.parquet")) and not list((tmp_path / "out").glob("*.csv"))
