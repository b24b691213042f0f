"""What the analysis notebooks compute, one module per analysis plus shared selection and formatting
helpers. The notebooks only call these functions and plot what they return, so every number a notebook
shows can be reached by a test. ``from govreports import analysis as A`` gives every function below.
"""
from govreports.analysis.checks import RULE_MEANING, explain, failed_checks
from govreports.analysis.compare_regions import (OUTCOME_LABELS, latest_per_publisher, notes, peers, pooled, ranked_values, ranking,
                                                 ranking_scope, shares, years_note)
from govreports.analysis.data_quality import (failing_share_by_year, failures_by, identity_summary,
                                              low_confidence_cells, ocr_summary, revised_reports, worst_reports)
from govreports.analysis.formatting import (STATUS_MARK, csv_link, formatted, median_text, narrative_by_year,
                                            narrative_shares, shown, sources, table)
from govreports.analysis.report_card import printed_table, report_facts, versus_corpus
from govreports.analysis.selection import (DATASET_ENV, DEFAULT_DATASET, as_list, as_years, default_publishers,
                                           indicator_names, indicators_for, labels, open_dataset, pick_report, publisher_of, select,
                                           years_by_publisher)
from govreports.analysis.trends import cross_year_failures, series_of, trend, trend_table

__all__ = ["RULE_MEANING", "explain", "failed_checks", "OUTCOME_LABELS", "latest_per_publisher", "notes", "peers", "pooled",
           "ranked_values", "ranking", "ranking_scope", "shares", "years_note", "median_text", "shown", "default_publishers", "publisher_of", "years_by_publisher",
           "failing_share_by_year", "failures_by", "identity_summary", "low_confidence_cells", "ocr_summary", "revised_reports",
           "worst_reports", "STATUS_MARK", "csv_link", "formatted", "narrative_by_year", "narrative_shares", "sources", "table", "printed_table", "report_facts", "versus_corpus",
           "DATASET_ENV", "DEFAULT_DATASET", "as_list", "as_years", "indicator_names", "indicators_for", "labels", "open_dataset",
           "pick_report", "select", "cross_year_failures", "series_of", "trend", "trend_table"]
