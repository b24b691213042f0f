"""Publisher -> GB/T 2260 division, level, publisher kind and 2020 population, by report year."""
from __future__ import annotations

import csv
import gzip
from importlib import resources

import pytest

from conftest import truth
from govreports.corpus.regions import population, resolve, resolve_agency


def _census_row(code: str) -> dict[str, str]:
    blob = resources.files("govreports.corpus").joinpath("data").joinpath(
        "census2020_county_population.csv.gz").read_bytes()
    rows = csv.DictReader(gzip.decompress(blob).decode("utf-8").splitlines())
    return next(r for r in rows if r["adcode"] == code)


@pytest.mark.parametrize("agency, year", [("洪泽区人民政府", 2023), ("淮安市洪泽区人民政府", 2024),
                                          (truth("hongzequ_2023")["agency"], 2023),
                                          (truth("hongzequ_2024")["agency"], 2024)])
def test_hongze_resolves_to_320813_with_census_population(agency, year):
    d = resolve_agency(agency, year)
    assert (d.code, d.level, d.publisher_kind) == ("320813", "county", "government")
    assert (d.province, d.prefecture, d.county) == ("江苏省", "淮安市", "洪泽区")
    assert d.population == 285097
    row = _census_row("320813")
    assert (row["county"], int(row["pop_total"])) == ("洪泽区", 285097)


def test_prefix_is_kept_as_matched_name():
    assert resolve_agency("淮安市洪泽区人民政府", 2024).matched == "淮安市洪泽区"


def test_helan_from_its_gold_agency():
    t = truth("helanxian_2020")
    d = resolve_agency(t["agency"], t["year"])
    assert (d.code, d.level, d.publisher_kind, d.prefecture, d.population) == (
        "640122", "county", "government", "银川市", 341507)


@pytest.mark.parametrize("year", range(2019, 2026))
def test_pingtan_alias_from_package_data(year):
    d = resolve_agency(truth(f"pingtan_{year}")["agency"], year)
    assert (d.code, d.name, d.matched, d.publisher_kind) == ("350128", "平潭县", "平潭综合实验区", "government")
    assert d.population == int(_census_row("350128")["pop_total"]) == 385981
    assert resolve_agency("平潭综合实验区管委会", year).code == "350128"


@pytest.mark.parametrize("agency, year, code", [("淮安市生态环境局", 2024, "320800"), ("武汉市生态环境局", 2020, "420100")])
def test_city_departments(agency, year, code):
    d = resolve_agency(agency, year)
    assert (d.code, d.level, d.publisher_kind, d.county) == (code, "prefecture", "department", None)


@pytest.mark.parametrize("agency, kind", [("洪泽区人民政府办公室", "department"), ("洪泽区政府", "government"),
                                          ("江苏省淮安市洪泽区高良涧街道办事处", "lower_government"),
                                          ("贺兰县", "government"), ("江苏省人民政府", "government")])
def test_publisher_kind(agency, kind):
    assert resolve_agency(agency, 2023).publisher_kind == kind


def test_duplicate_name_is_not_guessed():
    res = resolve("朝阳区人民政府", 2020)
    assert res.division is None
    assert {c.code for c in res.candidates} == {"110105", "220104"}
    assert "110105" in res.warnings[0] and "220104" in res.warnings[0]
    assert resolve_agency("北京市朝阳区人民政府", 2020).code == "110105"
    assert resolve_agency("长春市朝阳区人民政府", 2020).code == "220104"
    assert {c.code for c in resolve("城关区", 2021).candidates} == {"540102", "620102"}
    assert resolve_agency("兰州市城关区人民政府", 2021).code == "620102"


def test_resolution_follows_the_report_year():
    # 洪泽县 (320829) became 洪泽区 (320813) in 2016: the old name resolves in 2015, the new one not yet.
    old = resolve_agency("洪泽县人民政府", 2015)
    assert (old.code, old.population) == ("320829", 285097)  # pure rename: the successor's census figure
    assert resolve_agency("洪泽区人民政府", 2015) is None
    stale = resolve("淮安市洪泽区人民政府", 2015)
    assert stale.division is None and "320813" in stale.warnings[0]
    # 清河区 was merged with 清浦区 into 清江浦区 (2016): no single census population to give it.
    merged = resolve_agency("淮安市清河区人民政府", 2010)
    assert (merged.code, merged.population) == ("320802", None)
    assert population("320812") == 594524


def test_hint_code_wins():
    d = resolve_agency("朝阳区人民政府", 2020, hint_code="220104")
    assert (d.code, d.prefecture, d.publisher_kind) == ("220104", "长春市", "government")
    res = resolve("洪泽区人民政府", 2023, hint_code="320829")
    assert res.division.code == "320829" and "differs" in res.warnings[0]
    zone = resolve_agency("淮安经济技术开发区管委会", 2023, hint_code="320871")  # a census-only statistical code
    assert (zone.code, zone.population, zone.publisher_kind) == ("320871", 416180, "government")
    unknown = resolve("洪泽区人民政府", 2023, hint_code="999999")
    assert unknown.division is None and "999999" in unknown.warnings[0]


def test_unknown_agency_says_why():
    res = resolve("国家税务总局淮安市税务局", 2020)
    assert res.division is None and res.candidates == () and "no division name" in res.warnings[0]
