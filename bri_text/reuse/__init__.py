"""Text reuse: which passages travel from one document to another.

Passages are found on characters (no word segmentation), on a normalised text in which
whitespace, punctuation and symbols are ignored (so dropped or changed punctuation and a
different dash — – - —— make no difference), every run of digits counts as one digit
(changed numbers make no difference) and Latin letters are folded to lower-case half-width.
An offset map leads back to the original text, so every passage is an exact slice of
``corpus.docs.text``.

How (never a quadratic alignment of whole documents):

1. character ``ngram``-shingles of the normalised text, hashed;
2. an inverted index over the shingles that occur in at most ``max_df`` documents picks the
   candidate pairs (common shingles - set phrases, slogans, standard closing lines - do not
   make pairs look related one by one; a run of them, a stretch of text two documents
   share, does, so a passage copied into many documents is still found);
3. inside a candidate pair all shared shingles are seeds; seeds on one diagonal form
   segments, segments are chained allowing gaps of up to ``max_gap`` characters (an
   inserted clause);
4. each chain is aligned locally with :mod:`rapidfuzz` (Levenshtein opcodes on the chain's
   region only) and trimmed to its best-scoring part; a part below ``min_similarity`` (two
   passages bridged by a dissimilar gap) is split at its largest edit and tried again.

Passages made mostly (``formulaic_share``) of shingles that are formulaic (found in more
than ``max_df`` documents, or inside a match of the curated set phrases of
``bri_text/lexicons/formulaic.tsv``: political formulas, closing lines, signature blocks)
are kept and flagged ``formulaic=True``: ``kind`` ``"formulaic"`` when the set phrases take
part, ``"widespread"`` when frequency alone makes them formulaic (``documents`` says in how
many documents the passage is). ``figures_changed`` marks passages whose figures differ.

>>> import bri_text as bt
>>> corpus = bt.load_bri_policies()
>>> table = bt.text_reuse(corpus.subset(region="河南"))
>>> table[["doc_a", "doc_b"]].drop_duplicates().values.tolist()
[['bri13', 'bri24']]
"""
from __future__ import annotations

from ._align import _date_bounds  # noqa: F401  (tests read the date rule directly)
from ._align import _Norm as NormalizedText  # noqa: F401
from ._passages import REUSE_COLUMNS, text_reuse
from ._passages import _passage_document_counts as passage_document_counts  # noqa: F401
from ._diffusion import Diffusion, diffusion
from ._summary import SUMMARY_COLUMNS, reuse_summary
from ._reinvention import reinvention
from ._versions import REINVENTION_COLUMNS, VERSIONS_COLUMNS, compare_versions
from ._versions_html import versions_html

__all__ = ["Diffusion", "REINVENTION_COLUMNS", "REUSE_COLUMNS", "SUMMARY_COLUMNS",
           "VERSIONS_COLUMNS", "compare_versions", "diffusion", "reinvention", "reuse_summary",
           "text_reuse", "versions_html"]

#: What other stages take from here besides the public functions (internal contract): the
#: report counts the documents of the whole corpus holding each passage, as text_reuse's
#: ``documents`` column does on the documents it compares.
CONTRACT = ["NormalizedText", "passage_document_counts"]
