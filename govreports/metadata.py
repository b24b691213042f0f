"""Publishing agency and report year from the title lines (or the file name as a last resort)."""
from __future__ import annotations

import re
from pathlib import Path

_TITLE = re.compile(
    r"(?P<a1>[\u4e00-\u9fff（）()·]{2,40}?)?(?P<year>(?:19|20)\d{2})年度?"
    r"(?P<a2>[\u4e00-\u9fff（）()·]{0,40}?)政府信息公开(?:工作)?年度?报告")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计区间|统计时间|数据统计)[^0-9]{0,12}((?:19|20)\d{2})年1月1日")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_JUNK_PREFIX = re.compile(r"^(?:.*?(?:首页|当前位置|位置|年报|栏目))")


def _clean_agency(a: str | None) -> str | None:
    if not a:
        return None
    a = _JUNK_PREFIX.sub("", a).strip("（）()·")
    return a if len(a) >= 2 else None


def detect(title_candidates: list[str], text: str, path: str | Path) -> tuple[str | None, int | None, str]:
    """Return (agency, year, how) from title candidates (HTML title, PDF title), then the text head,
    then the file name; ``how`` says where the year came from."""
    heads = [t for t in title_candidates if t] + ["".join(text[:600].split())]
    agency, year = None, None
    for h in heads:  # the first title gives the year; the agency may only be on the lines above it
        m = _TITLE.search("".join(h.split()))
        if m:
            year = year or int(m.group("year"))
            agency = _clean_agency(m.group("a1")) or _clean_agency(m.group("a2"))
            if agency:
                return agency, year, "title"
    if year:
        return None, year, "title"
    flat = "".join(text[:3000].split())
    m = _PERIOD.search(flat)
    if m:
        return None, int(m.group(1)), "statistics period"
    m = _FILE_YEAR.search(Path(path).stem)
    if m:
        return None, int(m.group(1)), "file name"
    return None, None, "unknown"
