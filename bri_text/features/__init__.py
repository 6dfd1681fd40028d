"""Document-term matrices, word frequencies, keywords in context and collocations.

A :class:`DocumentTermMatrix` is a scipy sparse matrix (units x terms) that carries its
vocabulary and the units' metadata, so grouping by ``region`` or ``year`` works on it
directly. scikit-learn's ``CountVectorizer`` / ``TfidfTransformer`` do the vectorising, over
the already segmented tokens (no second segmentation, no hand-written TF-IDF).

>>> import bri_text as bt
>>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃"])
>>> tokens = bt.tokenize(plans.reshape("paragraph"))
>>> m = bt.dtm(tokens, min_df=2)
>>> m.shape
(108, 443)
>>> m.group("region").top_terms(3, by="region")[["group", "term"]].values.tolist()
[['广西', '合作'], ['广西', '建设'], ['广西', '东盟'], ['甘肃', '合作'], ['甘肃', '国际'], ['甘肃', '敦煌']]
>>> bt.kwic(tokens, "东盟", window=3)[["left", "keyword", "right"]].values[1].tolist()
['强调，铺就面向', '东盟', '的海上丝绸之路，打造带动']

Plain token lists work too, which is handy for small checks:

>>> m = dtm([["东盟", "合作", "东盟"], ["中亚", "合作"]])
>>> m.terms.tolist(), m.matrix.toarray().tolist()
(['东盟', '中亚', '合作'], [[2, 0, 1], [0, 1, 1]])
"""
from __future__ import annotations

from ._context import collocations, kwic, mention_positions  # noqa: F401
from ._matrix import (NGRAM_SEP, DocumentTermMatrix, as_dtm, dtm,  # noqa: F401
                      fragment_terms, token_data, tokens_fingerprint, unit_metadata, weight)
from ._counts import nested_mentions  # noqa: F401
from ._mentions import (as_tokens, check_concepts, check_terms, concept_mentions,  # noqa: F401
                        frequencies, split_note, term_mentions, warn_in_words, warn_missing_or_split)

# pickles and reprs name the public path, whatever file defines the class
DocumentTermMatrix.__module__ = __name__

__all__ = ["DocumentTermMatrix", "collocations", "dtm", "frequencies", "kwic"]

#: The names other stages use (internal contracts, not the public API): what a stage may
#: take from this one (``fragment_terms``: the Dask path's ``DocumentTermMatrix.fragments``).
#: ``tests/test_layers.py`` checks that no module imports a ``_name``
#: of another subpackage.
CONTRACT = ["NGRAM_SEP", "as_dtm", "as_tokens", "check_concepts", "check_terms",
            "concept_mentions", "fragment_terms", "mention_positions", "nested_mentions",
            "split_note", "term_mentions", "token_data", "tokens_fingerprint", "unit_metadata",
            "warn_in_words", "warn_missing_or_split", "weight"]
