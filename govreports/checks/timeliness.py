"""Timeliness: was the report published by its statutory deadline (条例 第四十九条)?

Every administrative organ publishes its report on year N by 31 January of N+1; the report of a
县级以上地方人民政府 on itself, published by its OGI office, is due by 31 March of N+1. So the
deadline depends on the publisher kind resolved by ``govreports.corpus.regions``: 'government' ->
31 March; 'department' and 'lower_government' (乡镇, 街道, 开发区 bodies) -> 31 January.
"""
from __future__ import annotations

from datetime import date, datetime

_DEADLINE = {"government": (3, 31), "department": (1, 31), "lower_government": (1, 31)}
_SOURCES = {"html": "网页元数据", "pdf": "PDF 元数据，文件生成时间，仅作参考", "manifest": "清单"}


def deadline(year: int, publisher_kind: str) -> date:
    """Statutory deadline for the report on ``year`` by a publisher of ``publisher_kind``."""
    if publisher_kind not in _DEADLINE:
        raise ValueError(f"unknown publisher kind {publisher_kind!r}; expected one of {sorted(_DEADLINE)}")
    month, day = _DEADLINE[publisher_kind]
    return date(year + 1, month, day)


def days_late(published: date, year: int, publisher_kind: str) -> int:
    """Days between the deadline and publication: positive = late, 0 = on the day, negative = early."""
    return (_as_date(published) - deadline(year, publisher_kind)).days


def _as_date(x: date | datetime | str) -> date:
    if isinstance(x, datetime):
        return x.date()
    if isinstance(x, date):
        return x
    try:
        return date.fromisoformat(str(x).strip()[:10])
    except ValueError:
        raise ValueError(f"publication date {x!r} is not an ISO date (YYYY-MM-DD…)") from None


def timeliness_check(published: date | datetime | str | None, year: int | None,
                     publisher_kind: str | None, source: str | None = None) -> dict | None:
    """A §9-style check dict (rule TIMELINESS, severity warning) with ``days_late``, or None when the
    publication date, the report year or the publisher kind is unknown.

    ``source`` says where the date came from: 'html' (page metadata), 'pdf' (document metadata, a
    weaker proxy), 'manifest', or free text; it is named in the message.
    """
    if published is None or year is None or publisher_kind is None:
        return None
    pub = _as_date(published)
    due = deadline(year, publisher_kind)
    late = (pub - due).days
    whose = "本级政府年度报告，3月31日前" if publisher_kind == "government" else "行政机关年度报告，1月31日前"
    origin = f"（来源：{_SOURCES.get(source, source)}）" if source else ""
    verdict = f"逾期{late}天" if late > 0 else ("当日发布" if late == 0 else f"提前{-late}天")
    return {"rule": "TIMELINESS", "scope": "published", "severity": "warning",
            "status": "pass" if late <= 0 else "fail", "lhs": pub.isoformat(), "rhs": due.isoformat(),
            "days_late": late,
            "message": f"{year}年度报告发布日期 {pub.isoformat()}{origin}，法定期限 {due.isoformat()}"
                       f"（条例第四十九条：{whose}），{verdict}"}
