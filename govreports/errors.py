"""The error every stage raises for a file that cannot be read: kept apart so that modules above the
readers (limits, report) need not import from readers/."""
from __future__ import annotations


class ReaderError(Exception):
    """A file that cannot be read as a report. ``str(err)`` is one line a researcher can act on."""
