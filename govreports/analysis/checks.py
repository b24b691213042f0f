"""Failed checks in words: what each rule means and what a failure usually points to."""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from govreports.corpus.dataset import Dataset

# What each check means, in words, and what a failure usually points to.
RULE_MEANING: dict[str, str] = {
    "T3_BALANCE": "Table 三's official note: new applications plus those carried over from last year must equal "
                  "the applications concluded plus those carried into next year. A gap means applications were "
                  "lost or double-counted, or one of the four numbers is misprinted.",
    "T3_ROW_TOTAL": "The 总计 column must equal the sum of the six applicant columns (自然人 and the five kinds "
                    "of 法人或其他组织). A gap usually means a misprinted total or a value typed in the wrong column.",
    "T3_RESULTS_SUM": "（七）总计 must equal the sum of the outcome rows （一）–（六）; each concluded application "
                      "counts in exactly one outcome. A gap means an outcome was double-counted or left out.",
    "T4_BLOCK_TOTAL": "In table 四 each block's 总计 must equal 结果维持 + 结果纠正 + 其他结果 + 尚未审结. A gap "
                      "usually means the total was misprinted or a case was not classified.",
    "X_CARRY": "This year's 上年结转 should equal last year's 结转下年度继续办理; a gap means applications "
               "disappeared or appeared between the two reports (scope change or correction).",
    "X_T2_IN_FORCE": "现行有效件数 should equal last year's stock plus documents issued minus documents repealed "
                     "this year; a gap means the stock was recounted or a column was misreported.",
    "X_T2_ITEMS": "上一年项目数量 should equal last year's count plus last year's 本年增/减.",
    "N_*": "A figure stated in the report's text differs from its table. The text often covers another scope "
           "(e.g. only the government office) or counts carried-over applications too.",
    "TIMELINESS": "条例 第四十九条 sets the deadline: 31 January for departments, 31 March for a government's own report.",
}


def explain(check: pd.Series | dict) -> str:
    """One failed check in words: what the report prints, by how much it is off, what that means."""
    lhs, rhs = check.get("lhs"), check.get("rhs")
    gap = f" The two sides differ by {abs(lhs - rhs):,.0f}." if pd.notna(lhs) and pd.notna(rhs) else ""
    rule = str(check.get("rule"))
    meaning = RULE_MEANING.get(rule, RULE_MEANING["N_*"] if rule.startswith("N_") else "")
    return f"{check.get('message') or ''}.{gap} {meaning}".replace("..", ".").strip()


def failed_checks(ds: Dataset, report_ids: Iterable[str]) -> pd.DataFrame:
    """Failed checks of the given reports, each explained in words; hard identities first."""
    ids = list(report_ids)
    c = ds.checks[ds.checks["report_id"].isin(ids) & (ds.checks["status"] == "fail")].copy()
    c = c.sort_values(["severity", "report_id", "rule", "scope"])  # 'error' sorts before 'warning'
    c["说明 explanation"] = [explain(row) for _, row in c.iterrows()]
    return c[["report_id", "rule", "scope", "severity", "说明 explanation"]].reset_index(drop=True)
