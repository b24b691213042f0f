"""`govreports export`: the demo dataset (data/reports) as a panel in every format, read back with the
formats' own readers (pyreadstat, pyreadr, pandas): names, labels, value labels and values."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyreadr
import pyreadstat
import pytest
from typer.testing import CliRunner

from govreports.cli import app
from govreports.corpus.build import build
from govreports.export import FORMATS, MAX_NAME, safe_name

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
HZ = "淮安市洪泽区人民政府_2024"
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """format -> folder, each written through the command line from one build of data/reports."""
    root = tmp_path_factory.mktemp("export")
    build(REPORTS, root / "dataset", workers=1, progress=False)
    out = {}
    for to in FORMATS:
        result = CliRunner().invoke(app, ["export", str(root / "dataset"), "--to", to, "--out", str(root / to)])
        assert result.exit_code == 0, result.output
        out[to] = root / to
    return out


def _check_values(panel: pd.DataFrame, cells: pd.DataFrame) -> None:
    """Real values of 洪泽 2024 (50 / 95 granted, 59 / 95 granted or partly) and 贺兰 2020."""
    assert len(panel) == 10 and panel["report_id"].is_unique
    p = panel.set_index("report_id")
    assert p.at[HZ, "disclosure_rate"] == pytest.approx(100 * 50 / 95)
    assert (p.at[HZ, "substantive_disclosure_rate_lo"], p.at[HZ, "substantive_disclosure_rate_hi"]) == \
        (pytest.approx(52.06, abs=0.01), pytest.approx(71.21, abs=0.01))
    assert p.at["贺兰县_2020", "substantive_disclosure_rate_flag"] == "check_failed"  # its table 三 does not add up
    assert p.at["平潭综合实验区_2024", "url"].startswith("https://www.pingtan.gov.cn/")
    assert p.at[HZ, "year"] == 2024 and len(p.at[HZ, "sha256"]) == 64
    c = cells.set_index("report_id")
    assert (c.at[HZ, "t3_r3_1_c7"], c.at[HZ, "t3_r3_7_c7"]) == (50, 95)


def _check_names(columns) -> None:
    assert all(NAME.fullmatch(c) and len(c) <= MAX_NAME for c in columns)
    assert len({c.lower() for c in columns}) == len(columns)


@pytest.mark.parametrize("to, read", [("stata", pyreadstat.read_dta), ("spss", pyreadstat.read_sav)])
def test_stata_and_spss_keep_names_labels_and_value_labels(exported, to, read):
    suffix = {"stata": "dta", "spss": "sav"}[to]
    panel, meta = read(str(exported[to] / f"panel.{suffix}"), apply_value_formats=False)
    cells, cmeta = read(str(exported[to] / f"cells.{suffix}"))
    _check_names(panel.columns)
    _check_names(cells.columns)
    labels = meta.column_names_to_labels
    assert labels["refusal_rate"] == "不予公开率（%） | Refusal rate (不予公开, all eight reasons) (%)"
    assert labels["refusal_rate_lo"].startswith("不予公开率 95% 区间下限 | ")
    assert cmeta.column_names_to_labels["t3_r3_1_c7"] == "t3.r3.1#c7 予以公开 / 总计 | granted / total"
    assert meta.variable_value_labels["level"][3] == "县级 | county"
    assert meta.variable_value_labels["era"] == {1: "2019 年试行格式（2019–2020 年度报告） | 2019 trial format (reports for 2019–2020)",
                                                 2: "2021 年格式（2021 年度起） | 2021 format (reports from 2021)"}
    p = panel.set_index("report_id")
    assert (p.at[HZ, "level"], p.at[HZ, "era"], p.at["贺兰县_2020", "era"]) == (3, 2, 1)
    _check_values(panel, cells)
    if to == "stata":
        assert max(len(v) for v in labels.values()) <= 80  # Stata's limit on a variable label


def test_r_keeps_names_factors_and_values(exported):
    panel = pyreadr.read_r(str(exported["r"] / "panel.rds"))[None]
    cells = pyreadr.read_r(str(exported["r"] / "cells.rds"))[None]
    _check_names(panel.columns)
    assert isinstance(panel["level"].dtype, pd.CategoricalDtype)
    assert list(panel["level"].cat.categories) == ["province", "prefecture", "county"]
    assert set(panel["era"]) == {"v2019", "v2021"}
    _check_values(panel, cells)
    labels = pd.read_csv(exported["r"] / "variables.csv", encoding="utf-8-sig").set_index(["file", "name"])
    assert labels.at[("panel.rds", "refusal_rate"), "label_zh"] == "不予公开率（%）"


def test_csv_and_parquet(exported):
    _check_values(pd.read_csv(exported["csv"] / "panel.csv", encoding="utf-8-sig", dtype={"division_code": str}),
                  pd.read_csv(exported["csv"] / "cells.csv", encoding="utf-8-sig"))
    import pyarrow.parquet as pq

    panel = pq.read_table(exported["parquet"] / "panel.parquet")
    assert panel.schema.field("refusal_rate").metadata[b"label_en"].decode() == "Refusal rate (不予公开, all eight reasons) (%)"
    _check_values(panel.to_pandas(), pd.read_parquet(exported["parquet"] / "cells.parquet"))


def test_codebook_beside_every_export(exported):
    for to, folder in exported.items():
        text = (folder / "codebook.md").read_text(encoding="utf-8")
        assert "| `refusal_rate` | `refusal_rate` | 不予公开率（%） |" in text
        assert "| `t3_r3_1_c7` | `t3.r3.1#c7` |" in text and "| `level` | 3 | `county` | 县级 | county |" in text


def test_safe_names_are_short_unique_and_readable():
    taken: set[str] = set()
    assert safe_name("t3.r3.1#c7", taken) == "t3_r3_1_c7"
    long = safe_name("refusal_mix.three_security_one_stability", taken, 27)
    assert long == "ref_mix_three_secu_one_stab"  # the longest words shortened first
    assert safe_name("T3_R3_1_C7", taken) == "T3_R3_1_C7_2"  # Stata names are case-insensitive on some systems


def test_unknown_format_and_missing_dataset_are_refused(tmp_path):
    r = CliRunner().invoke(app, ["export", str(tmp_path), "--to", "xls", "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "unknown format 'xls'" in r.output
    r = CliRunner().invoke(app, ["export", str(tmp_path), "--to", "csv", "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "not a govreports dataset" in r.output
