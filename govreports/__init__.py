"""govreports: China's annual government-information-disclosure (OGI) reports as validated, tidy data."""
from __future__ import annotations

from .corpus.dataset import Dataset, load
from .fetch import fetch  # the function (the package govreports.fetch stays importable with from-imports)
from .readers.base import NoTablesError, ReaderError
from .report import Report, read_report

__all__ = ["read_report", "Report", "load", "Dataset", "ReaderError", "NoTablesError", "fetch"]
__version__ = "0.1.0"
