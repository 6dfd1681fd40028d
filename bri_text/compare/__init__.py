"""Comparing groups of documents: keyness, dictionary profiles, geographic orientation.

>>> import bri_text as bt
>>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃"])
>>> tokens = bt.tokenize(plans.reshape("paragraph"))
>>> bt.keyness(bt.dtm(tokens), target={"region": "广西"},
...            reference={"region": "甘肃"})["term"].head(3).tolist()
['东盟', '广西', '中国—东盟']
>>> top = bt.orientation(tokens, by="region").groupby("group").head(1)
>>> top[["group", "world_region", "n_mentions"]].values.tolist()
[['广西', '东南亚', 188], ['甘肃', '西亚', 6]]
>>> bt.profile(tokens, by="region")[["category", "count", "n_docs"]].values[0].tolist()
['policy_coordination', 17, 1]

Keyness table (always these columns, in this order; ``group`` first with ``by=``,
``stability`` last with ``n_boot=``):

========================  ==================================================================
``term``                  the term
``score``                 the chosen measure, signed: > 0 the target over-uses the term,
                          < 0 it under-uses it (relative to the reference)
``p_value``               chi2 / g2: chi-square distribution, 1 df; log_odds: two-sided
                          normal p of the z-score; log_ratio: the G2 p-value (Log Ratio is an
                          effect size and has no test of its own); welch / wilcoxon /
                          bootstrap_test: the document-level test's two-sided p
``q_value``               Benjamini-Hochberg adjusted p-value over the terms of the
                          comparison (each group's own with ``by=``): mark findings by q
``count_target``          raw count in the target units
``count_reference``       raw count in the reference units
``docs_target``           documents (``parent_id``) of the target holding the term: a term
                          that ranks high from one passage of one or two documents shows it
``docs_reference``        documents of the reference holding the term
``rate_target``           per 10,000 counted tokens of the target
``rate_reference``        per 10,000 counted tokens of the reference
``log_ratio``             effect size: log2 of the ratio of the two rates, 1 pseudo-count
                          shared in proportion to the sides' sizes (0.5 each for equal sizes,
                          Hardie's Log Ratio); 1 = twice as frequent in the target
``fragment_of``           for a single character that is mostly a piece of one longer string
                          the tokenizer cuts into single characters, that string (磨 → 磨憨,
                          ``DocumentTermMatrix.fragments``); "" otherwise. keyness warns when
                          such a term is among the 20 highest or lowest scores, with the
                          call that keeps the string whole (``Tokenizer(user_dict=...)``)
``doc_rate_target``       (welch, wilcoxon, bootstrap_test) mean per-document relative
``doc_rate_reference``    frequency per 10,000: what the document-level tests compare
``stability``             (``n_boot`` with a token-level measure) share of valid bootstrap replicates
                          (``resample``: by default documents, then paragraphs within them,
                          separately in target and reference) in which the term is among
                          the ``top_n`` (default 20) terms of its own direction
========================  ==================================================================

"Counted tokens" are the tokens in the matrix's vocabulary (after ``min_df`` / ``max_df``
filtering), so the 2x2 tables are internally consistent, as in quanteda's
``textstat_keyness``. Sorted by ``score`` (descending, ties by term): the target's key terms
come first, the terms it avoids last. The sign of ``score`` is always 0 or that of
``rate_target - rate_reference`` (per-document rates for welch and bootstrap_test): a prior
shrinks a difference, never reverses it (docs/STATISTICS.md). ``attrs["test"]`` says whether
the p-values are token-level (about these texts) or document-level (about the groups).
"""
from __future__ import annotations

from ._dictionary import orientation, profile
from ._keyness import KEYNESS_COLUMNS, keyness

__all__ = ["keyness", "profile", "orientation", "KEYNESS_COLUMNS"]

# The dictionary readers, matcher and table builders that distributed/ shares with profile
# and orientation (one code path: the Dask tasks count with match_counts itself), and
# the grouped shares with intervals that instruments/ uses for instrument shares
# (internal contracts, not the public API); tests/test_layers.py checks that no module
# imports a _name of another subpackage.
from ._dictionary import _NORMALIZE as NORMALIZE  # noqa: E402, F401
from ._dictionary import MIN_MENTIONS  # noqa: E402, F401
from ._dictionary import _compounds_attr as compounds_attr  # noqa: E402, F401
from ._dictionary import _compounds_rule as compounds_rule  # noqa: E402, F401
from ._dictionary import _count_matrix as match_counts  # noqa: E402, F401
from ._dictionary import _grouped as grouped_counts  # noqa: E402, F401
from ._dictionary import _load_dictionary as load_dictionary  # noqa: E402, F401
from ._dictionary import _mid_word as mid_word  # noqa: E402, F401
from ._dictionary import _orientation_lexicon as orientation_lexicon  # noqa: E402, F401
from ._dictionary import _orientation_table as orientation_table  # noqa: E402, F401
from ._dictionary import _places_name as places_name  # noqa: E402, F401
from ._dictionary import _profile_lexicon as profile_lexicon  # noqa: E402, F401
from ._dictionary import _profile_notes as profile_notes  # noqa: E402, F401
from ._dictionary import _profile_table as profile_table  # noqa: E402, F401
from ._dictionary import _warn_in_words as warn_in_words  # noqa: E402, F401
from ._keyness import _DOC_MEASURES as DOC_MEASURES  # noqa: E402, F401
from ._keyness import _MEASURES as MEASURES  # noqa: E402, F401
# the report leaves the compared documents' own names out of its topics and similarity too
from ._keyness import own_names  # noqa: E402, F401
# and cuts a table of every term tested as keyness(top_n=) does
from ._keyness import _top_rows as top_rows  # noqa: E402, F401
# the report says how many relabellings its permutation test made and whether the smallest
# attainable p keeps terms from q < .05
from ._keyness import _floor_binds as floor_binds  # noqa: E402, F401
from ._doc_tests import n_relabellings  # noqa: E402, F401
# the report enumerates the splits below the same bound as permutation_test
from ._doc_tests import EXACT_SPLITS  # noqa: E402, F401

CONTRACT = ["DOC_MEASURES", "EXACT_SPLITS", "MEASURES", "MIN_MENTIONS", "NORMALIZE", "compounds_attr",
            "compounds_rule",
            "floor_binds", "grouped_counts", "load_dictionary", "match_counts", "mid_word",
            "n_relabellings",
            "orientation_lexicon", "orientation_table", "own_names", "places_name",
            "profile_lexicon",
            "profile_notes", "profile_table", "top_rows", "warn_in_words"]
