"""Indicator values on the gold reports (printed numbers known), and the small-N, blank and version rules."""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from gold_dataset import DATA, gold_dataset
from govreports import indicators as I
from govreports.corpus.columns import names_of
from govreports.schema import load_schema

HZ24, HZ23 = "洪泽区人民政府_2024", "洪泽区人民政府_2023"
PT19, PT20, PT21, PT24, PT25 = (f"平潭综合实验区_{y}" for y in (2019, 2020, 2021, 2024, 2025))
HL20 = "贺兰县_2020"


@pytest.fixture(scope="module")
def ds():
    return gold_dataset()


@pytest.fixture(scope="module")
def vals(ds):
    return I.compute(ds).set_index("report_id")


def test_gold_identities_match_truth_failed_checks(ds):
    """The helper's checks are the real identity evaluator run on the printed numbers."""
    fails = ds.checks[ds.checks["status"] == "fail"]
    got = (fails["rule"] + "[" + fails["scope"] + "]").groupby(fails["report_id"]).apply(sorted)
    for r in ds.reports.itertuples():
        assert got.get(r.report_id, []) == r.truth_failed_checks, r.report_id


def test_hongze_2024_disclosure_rates(vals, ds):
    assert vals.at[HZ24, "disclosure_rate"] == pytest.approx(100 * 50 / 95)
    assert vals.at[HZ24, "substantive_disclosure_rate"] == pytest.approx(100 * 59 / 95)
    assert I.format_value(vals.at[HZ24, "disclosure_rate"], "disclosure_rate") == "52.6%"
    assert I.format_value(vals.at[HZ24, "substantive_disclosure_rate"], "substantive_disclosure_rate") == "62.1%"
    long = I.compute_long(ds, ["disclosure_rate"]).set_index("report_id")
    assert (long.at[HZ24, "numerator"], long.at[HZ24, "denominator"]) == (50, 95)
    assert vals.at[HZ24, "disclosure_rate.flag"] == ""


def test_small_denominator_gives_nan_not_zero_or_hundred(vals):
    # Hongze 2024 review: 维持 1, 纠正 1, 其他 0 -> 2 concluded cases; 1/2 would print as 50 %.
    assert math.isnan(vals.at[HZ24, "review_correction_rate"])
    assert vals.at[HZ24, "review_correction_rate.flag"] == "not_meaningful"
    # Helan 2020 review: 1 concluded case, corrected -> 100 % if unguarded.
    assert math.isnan(vals.at[HL20, "review_correction_rate"])
    # Pingtan 2019: no review at all -> 0/0, NaN, never 0 %.
    assert math.isnan(vals.at[PT19, "review_correction_rate"])
    assert I.format_value(vals.at[PT19, "review_correction_rate"], "review_correction_rate",
                          vals.at[PT19, "review_correction_rate.flag"]) == "n<5"
    # Hongze 2024 refused 3 applications: the reason mix is not computed (minimum 10).
    assert vals.loc[HZ24, I.REFUSAL_MIX].isna().all()
    assert (vals.loc[HZ24, [f"{n}.flag" for n in I.REFUSAL_MIX]] == "not_meaningful").all()


def test_shares_carry_wilson_intervals_and_few_cases_are_shown_not_ranked(vals, ds):
    # Hongze 2024: 50 of 95 granted -> 52.6 % with the Wilson interval 42.7–62.4.
    assert (vals.at[HZ24, "disclosure_rate.lo"], vals.at[HZ24, "disclosure_rate.hi"]) == pytest.approx(
        (42.69, 62.37), abs=0.01)
    assert I.wilson(50, 95) == pytest.approx((0.4269, 0.6237), abs=1e-4)
    # Pingtan 2023 refused 5 applications, 2 as 行政查询事项: shown with its wide interval, flagged small_n.
    pt23 = "平潭综合实验区_2023"
    assert vals.at[pt23, "refusal_mix.admin_query"] == pytest.approx(40.0)
    assert vals.at[pt23, "refusal_mix.admin_query.flag"] == "small_n"
    assert I.format_value(40.0, "refusal_mix.admin_query", "small_n", vals.at[pt23, "refusal_mix.admin_query.lo"],
                          vals.at[pt23, "refusal_mix.admin_query.hi"]) == "40.0% (11.8–76.9)"
    assert vals.at[pt23, "refusal_mix.state_secret.lo"] == 0  # 0 of 5: the interval starts at 0 exactly
    # counts and per-capita ratios have no interval
    assert math.isnan(vals.at[HZ24, "applications_per_10k.lo"])


def test_correction_rate_excludes_pending_cases(vals):
    # Pingtan 2024 review: 维持 2, 纠正 1, 其他 3, 尚未审结 1, 总计 7 -> 1 / 6, not 1 / 7.
    assert vals.at[PT24, "review_correction_rate"] == pytest.approx(100 / 6)
    # Pingtan 2024 litigation: b2 all 0, b3 = 13, 2, 4, 0 -> 2 / 19.
    assert vals.at[PT24, "litigation_correction_rate"] == pytest.approx(100 * 2 / 19)
    # Hongze 2023 prints 行政复议 总计 0 against 10 + 1: the rate uses the parts, 1 / 11.
    assert vals.at[HZ23, "review_correction_rate"] == pytest.approx(100 / 11)


def test_outcome_shares_add_up_exactly_where_results_sum_holds(vals, ds):
    failing = set(ds.checks.query("rule == 'T3_RESULTS_SUM' and scope == 'c7' and status == 'fail'")["report_id"])
    assert failing == {PT20}
    total = vals[I.OUTCOMES].sum(axis=1)
    for rid, t in total.items():
        if rid in failing:
            assert t == pytest.approx(100 * 27 / 21)  # printed outcomes 27 against （七）总计 21
        else:
            assert t == pytest.approx(100), rid


def test_other_handling_is_derived_from_split_subrows(vals):
    cells = json.loads((DATA / "corpus-html" / "pingtan_2021.truth.json").read_text())["cells"]
    sub = sum(cells[f"t3.r3.6.{k}#c7"] for k in (1, 2, 3))
    assert "t3.r3.6#c7" not in cells and sub > 0
    assert vals.at[PT21, "other_handling_rate"] == pytest.approx(100 * sub / cells["t3.r3.7#c7"])


def test_other_values_from_gold(vals):
    assert vals.at[HZ24, "applications_per_10k"] == pytest.approx(95 / 285_097 * 10_000)
    assert vals.at[HL20, "legal_person_share"] == pytest.approx(100 * 4 / 55)
    assert vals.at[PT25, "carried_forward_share"] == pytest.approx(100 * 6 / 154)
    assert vals.at[HL20, "applications_total"] == 56
    assert vals.at[HZ24, "reviews_per_100"] == pytest.approx(100 * 2 / 95)
    assert vals.at[HZ24, "litigation_per_100"] == pytest.approx(100 * (1 + 3) / 95)
    assert vals.at[HZ24, "licensing_decisions"] == 9487


def test_version_rules_for_table_two(vals):
    # V2021: 本年制发件数; V2019: 本年新制作数量, marked approx.
    assert vals.at[HZ24, "normative_docs_issued"] == 3 and vals.at[HZ24, "normative_docs_issued.flag"] == ""
    assert vals.at[PT19, "normative_docs_issued"] == 89 and vals.at[PT19, "normative_docs_issued.flag"] == "approx"
    # 现行有效件数 has no V2019 counterpart (对外公开总数量 is another concept): NaN, not 89.
    assert math.isnan(vals.at[PT19, "normative_docs_in_force"])
    assert vals.at[PT19, "normative_docs_in_force.flag"] == "not_in_version"
    assert vals.at[PT21, "normative_docs_in_force"] == 665
    # 处理决定数量 is the same concept in both versions: no flag.
    assert vals.at[HL20, "licensing_decisions"] == 57487 and vals.at[HL20, "licensing_decisions.flag"] == ""


def test_data_quality_indicators(vals, ds):
    hard = ds.checks[(ds.checks["report_id"] == HL20) & (ds.checks["severity"] == "error")]
    n = int((hard["status"] != "skipped").sum())
    assert vals.at[HL20, "dq_failed_identities"] == 4
    assert vals.at[HL20, "dq_identity_pass_share"] == pytest.approx(100 * (n - 4) / n)
    assert vals.at[HZ24, "dq_identity_pass_share"] == 100


def _with_cell(ds, rid: str, cell: str, status: str, value=np.nan, raw: str = ""):
    """A copy of ``ds`` where one printed cell has another status (or is dropped when status is None)."""
    cells = ds.cells.copy()
    hit = (cells["report_id"] == rid) & (cells["cell"] == cell)
    assert hit.sum() == 1
    if status is None:
        cells = cells[~hit]
    else:
        cells.loc[hit, ["status", "value", "raw"]] = [status, value, raw]
    return type(ds)(path=ds.path, reports=ds.reports, cells=cells, checks=ds.checks, failures=ds.failures)


@pytest.mark.parametrize("status,raw", [("blank", ""), ("dash", "-"), ("slash", "/")])
def test_blank_dash_slash_count_as_zero_and_are_flagged(ds, status, raw):
    v = I.compute(_with_cell(ds, HZ24, "t3.r3.2#c7", status, raw=raw)).set_index("report_id")
    assert v.at[HZ24, "substantive_disclosure_rate"] == pytest.approx(100 * 50 / 95)
    assert v.at[HZ24, "substantive_disclosure_rate.flag"] == "assumed_zero"
    assert v.at[HZ24, "disclosure_rate.flag"] == ""  # r3.2 is not an input there


def test_text_and_absent_cells_give_nan_with_a_reason(ds):
    v = I.compute(_with_cell(ds, HZ24, "t3.r3.1#c7", "text", raw="见附件")).set_index("report_id")
    assert math.isnan(v.at[HZ24, "disclosure_rate"]) and v.at[HZ24, "disclosure_rate.flag"] == "unreadable"
    v = I.compute(_with_cell(ds, HZ24, "t3.r3.7#c7", None)).set_index("report_id")
    assert math.isnan(v.at[HZ24, "disclosure_rate"]) and "missing" in v.at[HZ24, "disclosure_rate.flag"]
    # every NaN carries a flag saying why
    vals = I.compute(ds).set_index("report_id")
    for ind in I.INDICATORS:
        nan = vals[ind.name].isna()
        assert (vals.loc[nan, f"{ind.name}.flag"] != "").all(), ind.name


def test_definitions_are_valid(ds):
    s = load_schema()
    code = re.compile(r"^t[234]\.")
    for ind in I.INDICATORS:
        for term in (*ind.numerator, *ind.denominator, *(ind.v2019_numerator or ())):
            if code.match(term):
                row = term.split("#")[0]
                if row not in I.DERIVED_ROWS:
                    s.labels_of(term)  # raises for an unknown code
            else:
                assert term == "population" or re.fullmatch(r"checks\.(error|warning)\.(pass|fail|skipped)", term) \
                    or term.split(".", 1)[1] in names_of("reports"), term
        if ind.is_ratio:
            assert ind.min_denominator > 0, ind.name
    assert len({i.name for i in I.INDICATORS}) == len(I.INDICATORS)
    with pytest.raises(KeyError, match="unknown indicator"):
        I.get("disclosure")


def test_codebook_file_is_current():
    from pathlib import Path

    path = Path(I.__file__).resolve().parent.parent / "docs" / "indicators.md"
    assert path.read_text(encoding="utf-8") == I.codebook_markdown() + "\n", "run python -m govreports.indicators"
    text = path.read_text(encoding="utf-8")
    assert "| `review_correction_rate` |" in text and "`t4.b1#c1` + `t4.b1#c2` + `t4.b1#c3`" in text


def test_compute_one_row_per_report(ds, vals):
    assert list(vals.index) == list(ds.reports["report_id"])
    assert isinstance(vals, pd.DataFrame) and {"agency", "year"} <= set(vals.columns)


def test_values_resting_on_a_failed_identity_are_flagged(vals):
    # Hongze 2023 prints 行政复议 总计 0 against 10 + 1 + 0 + 0: reviews per 100 uses that printed 0.
    assert vals.at[HZ23, "reviews_per_100"] == 0
    assert vals.at[HZ23, "reviews_per_100.flag"] == "check_failed"
    assert I.format_value(0.0, "reviews_per_100", "check_failed") == "0.00†"
    # Pingtan 2020's outcome rows add up to 27 against （七）总计 21: its rates are flagged, not changed.
    assert vals.at[PT20, "disclosure_rate"] == pytest.approx(100 * 7 / 21)
    assert "check_failed" in vals.at[PT20, "disclosure_rate.flag"]
    assert vals.at[HZ24, "reviews_per_100.flag"] == ""


def test_real_build_gives_the_gold_indicator_values(ds, vals, tmp_path):
    """End to end: the bundled reports, extracted by `govreports build`, give the same indicator values
    as their printed numbers (the truth files)."""
    from pathlib import Path

    from govreports.corpus.build import build
    from govreports.corpus.dataset import load

    data = Path(__file__).resolve().parent.parent / "data" / "reports"
    build(data, tmp_path / "ds", workers=1, progress=False)
    real = load(tmp_path / "ds")
    got = I.compute(real).set_index("report_id")
    key = real.reports.set_index("report_id")[["division_code", "year"]].apply(tuple, axis=1)
    gold_key = ds.reports.set_index("report_id")[["division_code", "year"]].apply(tuple, axis=1)
    assert sorted(key) == sorted(gold_key)
    # warnings differ (the build adds narrative checks); the gold files hold no narrative text
    names = [i.name for i in I.INDICATORS if i.group not in ("quality", "narrative")]
    by_key = {k: rid for rid, k in key.items()}
    for rid, k in gold_key.items():
        want, have = vals.loc[rid, names].astype(float), got.loc[by_key[k], names].astype(float)
        assert np.allclose(want, have, equal_nan=True), (rid, want[~np.isclose(want, have, equal_nan=True)].to_dict(),
                                                         have[~np.isclose(want, have, equal_nan=True)].to_dict())
