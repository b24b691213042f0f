"""Reports before the 2019 revision: no mandated tables, figures in a statistics table and the narrative.

``read_pre2019(doc)`` turns a raw document whose content is of the era into a Report of pre.* cells;
``text_document(path)`` reads the running text of a file the table readers found no grid in.
"""
from ..report import OTHER_ERAS, EraReader
from .record import PreReport, read_pre2019
from .textread import text_document

OTHER_ERAS.append(EraReader(read=read_pre2019, text=text_document))

__all__ = ["PreReport", "read_pre2019", "text_document"]
