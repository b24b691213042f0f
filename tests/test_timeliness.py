"""Days late against the statutory deadline (条例 第四十九条), from real publication dates."""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from conftest import CORPUS_HTML, truth
from govreports.checks.timeliness import days_late, deadline, timeliness_check
from govreports.corpus.regions import resolve_agency


def pub_date(year: int) -> str:
    """The PubDate the 平潭 page declares in its <meta> tags."""
    root = lxml.html.parse(str(CORPUS_HTML / f"pingtan_{year}.html")).getroot()
    (value,) = root.xpath('//meta[@name="PubDate"]/@content')
    return value


def test_pingtan_2020_government_report_26_days_early():
    t = truth("pingtan_2020")
    kind = resolve_agency(t["agency"], t["year"]).publisher_kind
    assert (pub_date(2020), kind) == ("2021-03-05 08:58", "government")
    assert days_late(date(2021, 3, 5), 2020, kind) == -26
    check = timeliness_check(pub_date(2020), t["year"], kind, source="html")
    assert (check["rule"], check["severity"], check["status"], check["days_late"]) == ("TIMELINESS", "warning", "pass", -26)
    assert (check["lhs"], check["rhs"]) == ("2021-03-05", "2021-03-31")
    assert "提前26天" in check["message"] and "网页元数据" in check["message"]


@pytest.mark.parametrize("year, late", [(2019, -71), (2021, -51), (2022, -39), (2023, -23), (2024, -21), (2025, -21)])
def test_pingtan_series_on_time(year, late):
    assert days_late(date.fromisoformat(pub_date(year)[:10]), year, "government") == late


def test_departments_are_due_31_january():
    assert deadline(2020, "department") == date(2021, 1, 31) == deadline(2020, "lower_government")
    assert deadline(2024, "government") == date(2025, 3, 31)
    # The same 2021-03-05 date is 33 days late for a department (2021 is not a leap year: 28 + 5).
    check = timeliness_check("2021-03-05", 2020, "department", source="pdf")
    assert (check["status"], check["days_late"]) == ("fail", 33) and "逾期33天" in check["message"]
    assert days_late(date(2021, 1, 31), 2020, "department") == 0


def test_unknown_inputs():
    assert timeliness_check(None, 2020, "government") is None
    assert timeliness_check("2021-03-05", None, "government") is None
    with pytest.raises(ValueError, match="publisher kind"):
        deadline(2020, "ministry")
    with pytest.raises(ValueError, match="ISO date"):
        timeliness_check("5 March 2021", 2020, "government")
