"""Topic models: reproducible LDA, choosing K, topic prevalence by province and over time.

Example (about 2 seconds for the built-in corpus)::

    import bri_text as bt
    tokens = bt.tokenize(bt.load_bri_policies())
    model = bt.TopicModel(12, random_state=1).fit(tokens)
    model.topics(top_n=8)                    # topic, rank, term, weight, frex, lift
    model.label_topics()                     # short labels from FREX terms
    model.doc_topics(level="document")       # token-weighted shares per document
    model.prevalence(by="level")             # shares per group, bootstrap intervals
    model.difference(by="region", a="广西", b="甘肃")
    model.trends(by="year")
    model.effects("~ region").coefficients  # covariate effects with intervals (stm-like)
    model.coherence("c_npmi"), model.diversity()
    bt.select_k(tokens, ks=range(5, 31, 5), seeds=(1, 2, 3))   # why K topics?

What the model does, in order:

1. **Units.** With ``unit="paragraph"`` (default) documents are split into paragraphs
   (``tokens.reshape("paragraph")``); policy plans mix many themes, and a paragraph is
   usually about one. Results are aggregated back to documents or groups as
   token-weighted means (the share of a document's tokens in each topic).
2. **Vocabulary.** Terms in fewer than ``min_df`` units (default 10) or in more than
   ``max_df`` of them (default: 30% of the paragraphs), and optional ``stopwords`` (e.g.
   ``"policy"``, the boilerplate of Chinese plans such as 加强, 推进, 积极), are left out
   of the model. Units left with no token are dropped, counted in ``dropped_units_`` and
   reported with a warning. ``provenance_["terms_left_out"]`` counts the terms ``min_df``
   and ``max_df`` left out; on a small corpus (``min_df`` above 2% of the units) ``fit``
   warns, naming the most frequent of them: lower ``min_df`` there. A term the tokenizer
   splits (数据交易 -> 数据 交易) enters as its pieces, without a warning from ``fit``:
   check your field's terms with ``bt.frequencies(tokens, terms=[...])`` (its ``split``
   column) or ``bt.discover_terms`` and tokenize with ``bt.Tokenizer(user_dict=...)``.
3. **Fitting.** tomotopy's collapsed Gibbs sampler (default; deterministic for a given
   ``random_state`` with ``n_jobs=1``; the chain starts from a non-negative matrix
   factorisation, the same for every seed, so topics agree across seeds and keep their
   numbers; topics averaged over the states of the last 60% of the sweeps), its
   Dirichlet-multinomial regression when ``prevalence=`` names metadata columns, or
   gensim's variational ``LdaModel``. ``seed_words=`` seeds topics with keywords
   (``"five_connectivities"``: the five connectivities), free topics beside them.
4. **Effects.** ``model.effects("~ speaker + bs(year, df=5)")`` regresses document topic
   shares on covariates with intervals that combine the shares' own uncertainty and the
   documents' (R's ``stm::estimateEffect``); ``bt.plot.effects`` draws them.

Reproducibility: a fixed ``random_state`` gives bit-identical topics and proportions in any
process on the same library versions (``provenance_`` records them). ``random_state=None``
draws a seed, which is recorded in ``random_state_`` so the run can be repeated. The
methods that resample (``prevalence``, ``trends``, ``difference``, ``effects``) use the
model's seed unless given their own ``random_state`` (docs/STATISTICS.md, "Seeds").
``n_jobs > 1`` (tomotopy) is faster but **not** bit-reproducible: threads update counts in
an order that depends on scheduling.

Saved models (``save``/``load``) are a folder of JSON, numpy ``.npz`` (loaded with
``allow_pickle=False``) and tomotopy's own binary file, listed with SHA-256 checksums in
``manifest.json``; nothing is unpickled, and a folder whose files do not match the
manifest is refused.

The cache: ``fit`` and ``select_k`` read a fit that repeats (a fixed ``random_state``;
``n_jobs=1`` for a model) from an on-disk cache when the same units, parameters and library
versions were fitted before, and store one that took 2 s or more (``cache="auto"``;
``cache=True`` stores every one, ``cache=False`` none). Its entries are saved models, keyed
by a SHA-256 of every token and metadata value of the units, every resolved parameter and
the versions; ``model.from_cache_`` and ``grid.attrs["from_cache"]`` say where a result
came from, ``bt.clear_cache("topics")`` empties it (:mod:`bri_text.topics._cache`).
"""
from __future__ import annotations

from ._effects import TopicEffects
from ._model import TopicModel
from ._select_k import choose_k, select_k

# pickles and reprs name the public path, whatever file defines the class
TopicModel.__module__ = __name__

TopicEffects.__module__ = __name__

__all__ = ["TopicEffects", "TopicModel", "choose_k", "select_k"]
