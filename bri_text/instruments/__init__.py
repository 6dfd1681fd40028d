"""Policy instruments: clauses coded with a codebook, coders' agreement, instrument tables.

The workflow of Chinese policy-document research in one place: documents cut into clauses
(``corpus.reshape("clause")``), a codebook (by default Rothwell & Zegveld's supply /
environment / demand instruments), pre-coding by the codebook's phrases or by a classifier
trained on hand codes, a coding sheet for two or more coders, their agreement, and the
instrument tables and PMC index papers report.
"""
from __future__ import annotations

from ._codebook import Codebook, read_codebook
from ._coding import ClauseClassifier, code_clauses
from ._pmc import pmc_sheet
from ._pmc_index import PMCResult, pmc_index
from ._reliability import confusion, disagreements, reliability
from ._sheet import read_coding_sheet, write_coding_sheet
from ._tables import instrument_dtm, instrument_matrix, instrument_shares

__all__ = ["Codebook", "ClauseClassifier", "code_clauses", "read_codebook",
           "write_coding_sheet", "read_coding_sheet", "reliability", "disagreements",
           "confusion", "instrument_shares", "instrument_matrix", "instrument_dtm",
           "PMCResult", "pmc_index", "pmc_sheet"]

#: What other stages take from here besides the public functions (internal contract).
CONTRACT: list[str] = []
