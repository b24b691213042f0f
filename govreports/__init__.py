"""govreports: China's annual government-information-disclosure (OGI) reports as validated, tidy data."""
from __future__ import annotations

from .corpus.dataset import Dataset, load
from .fetch import fetch  # the function (the package govreports.fetch stays importable with from-imports)
from .readers.base import NoTablesError, ReaderError
from .report import Report, SeveralReportsError, read_report, read_reports
from . import pre2019  # noqa: F401  registers the pre-2019 era with report.OTHER_ERAS

__all__ = ["read_report", "read_reports", "Report", "load", "Dataset", "ReaderError", "NoTablesError",
           "SeveralReportsError", "fetch"]
__version__ = "0.1.0"
