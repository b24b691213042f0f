"""govreports: China's annual government-information-disclosure (OGI) reports as validated, tidy data."""
from __future__ import annotations

from .corpus.dataset import Dataset, load
from .readers.base import NoTablesError, ReaderError
from .report import Report, read_report

__all__ = ["read_report", "Report", "load", "Dataset", "ReaderError", "NoTablesError"]
__version__ = "0.1.0"
