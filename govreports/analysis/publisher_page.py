"""One page per publisher: its latest report card, its trends, its latest year-over-year comparison and
the quality of its data. This module names the pages (so rankings and the index can link to them) and
gathers what the page shows that the other analyses do not already compute."""
from __future__ import annotations

import re

import pandas as pd

from govreports.analysis.formatting import original_link
from govreports.analysis.selection import publisher_of, years_by_publisher
from govreports.corpus.dataset import Dataset

PAGE_PREFIX = "publisher-"
_UNSAFE = re.compile(r'[\\/:*?"<>|#%&{}$!\'@+`=\s]+')


def page_name(publisher: str) -> str:
    """File name of a publisher's page: 'publisher-淮安市洪泽区人民政府.html' (characters unsafe in a file
    name or a URL replaced by '_')."""
    return f"{PAGE_PREFIX}{_UNSAFE.sub('_', publisher).strip('_') or 'unnamed'}.html"


def publishers(ds: Dataset, most: int | None = None) -> list[str]:
    """The dataset's publishers, those with the most reports first (then by name); at most ``most``."""
    order = list(years_by_publisher(ds.reports).index)
    return order if most is None else order[:most]


def resolve(ds: Dataset, agency: str | None) -> str:
    """The one publisher ``agency`` names (exact name, else a unique substring of the publisher or of the
    agency as printed); None picks the publisher with the most reports. Raises ValueError naming the
    candidates when it matches none or several."""
    pub = publisher_of(ds.reports)
    if agency is None:
        return publishers(ds, 1)[0]
    if (pub == agency).any():
        return agency
    hit = pub.str.contains(agency, regex=False) | ds.reports["agency"].fillna("").str.contains(agency, regex=False)
    names = sorted(set(pub[hit]))
    if len(names) != 1:
        raise ValueError(f"agency: {agency!r} matches {len(names)} publishers"
                         f"{' (' + ', '.join(names) + ')' if names else ''}; available: {', '.join(sorted(set(pub)))}")
    return names[0]


def reports_of(ds: Dataset, publisher: str) -> pd.DataFrame:
    """The publisher's reports, by year."""
    return ds.reports[publisher_of(ds.reports).eq(publisher)].sort_values("year").reset_index(drop=True)


def sources(ds: Dataset, publisher: str) -> pd.DataFrame:
    """Each report of the publisher: year, agency as printed, file, its full sha256 and a link to the original
    (its URL, when the dataset knows it)."""
    r = reports_of(ds, publisher)
    url = r["url"] if "url" in r else pd.Series("", index=r.index)
    link = [original_link(u) for u in url]
    return pd.DataFrame({"年度 year": r["year"].astype("Int64").astype(str), "机关（印刷名称）agency as printed": r["agency"],
                         "文件 file": r["file"], "sha256": r["sha256"].fillna(""), "原文 original": link,
                         "勾稽关系未通过 failed identities": r["n_failed_identities"].astype("Int64"),
                         "提示未通过 failed warnings": r["n_warnings"].astype("Int64")})


def quality(ds: Dataset, publisher: str) -> pd.DataFrame:
    """Per report of the publisher: hard identities evaluated, passed and failed, warnings failed, status."""
    r = reports_of(ds, publisher)
    c = ds.checks[ds.checks["report_id"].isin(r["report_id"])]
    rows = []
    for rid, year, status in zip(r["report_id"], r["year"], r["status"]):
        mine = c[c["report_id"] == rid]
        hard, warn = mine[mine["severity"] == "error"], mine[mine["severity"] == "warning"]
        rows.append({"年度 year": int(year), "勾稽关系 evaluated": int(hard["status"].isin(["pass", "fail"]).sum()),
                     "通过 pass": int((hard["status"] == "pass").sum()), "未通过 fail": int((hard["status"] == "fail").sum()),
                     "提示未通过 warnings failed": int((warn["status"] == "fail").sum()), "状态 status": status})
    return pd.DataFrame(rows)
