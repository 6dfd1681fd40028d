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

__all__: list[str] = ["Codebook", "ClauseClassifier", "code_clauses", "read_codebook"]

#: What other stages take from here besides the public functions (internal contract).
CONTRACT: list[str] = []
