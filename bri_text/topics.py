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
    model.coherence("c_npmi"), model.diversity()
    bt.select_k(tokens, ks=range(5, 31, 5), seeds=(1, 2, 3))   # why K topics?

What the model does, in order:

1. **Units.** With ``unit="paragraph"`` (default) documents are split into paragraphs
   (``tokens.reshape("paragraph")``); policy plans mix many themes, and a paragraph is
   usually about one. Results are aggregated back to documents or groups as
   token-weighted means (the share of a document's tokens in each topic).
2. **Vocabulary.** Terms in fewer than ``min_df`` units (default 10) or in more than
   ``max_df_share`` of them, and optional ``stopwords`` (e.g. ``"policy"``, the
   boilerplate of Chinese plans such as 加强, 推进, 积极), are left out of the model. Units
   left with no token are dropped, counted in ``dropped_units_`` and reported with a
   warning.
3. **Fitting.** tomotopy's collapsed Gibbs sampler (default; deterministic for a given
   ``random_state`` with ``workers=1``), its Dirichlet-multinomial regression when
   ``prevalence=`` names metadata columns, or gensim's variational ``LdaModel``.

Reproducibility: a fixed ``random_state`` gives bit-identical topics and proportions in any
process on the same library versions (``provenance_`` records them). ``random_state=None``
draws a seed, which is recorded in ``random_state_`` so the run can be repeated.
``workers > 1`` (tomotopy) is faster but **not** bit-reproducible: threads update counts in
an order that depends on scheduling.

Saved models (``save``/``load``) are a folder of JSON, numpy ``.npz`` (loaded with
``allow_pickle=False``) and tomotopy's own binary file, listed with SHA-256 checksums in
``manifest.json``; nothing is unpickled, and a folder whose files do not match the
manifest is refused.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from . import _topics_stats as _st
from ._util import check_random_state, fingerprint, progress_bar, seed_from, versions
from .errors import InputError, MetadataError, ParameterError

__all__ = ["TopicModel", "select_k"]

_FORMAT = "bri_text.TopicModel"
_FORMAT_VERSION = 1
_UNITS = ("paragraph", "document")
_MEASURES = ("c_npmi", "c_v", "u_mass")
# columns that describe a unit rather than its document
_UNIT_COLS = ("doc_id", "text", "parent_id", "unit", "unit_index", "start", "end", "heading",
              "heading_level", "heading_path")
_MISSING_LEVEL = "(missing)"

# Defaults, chosen on the built-in corpus by benchmarks/bench_topics.py (see
# benchmarks/TOPICS.md for the measurements behind them).
DEFAULT_ITERATIONS = {"tomotopy": 1000, "gensim": 20}
DEFAULT_ALPHA = 0.5
DEFAULT_ETA = 0.01
DEFAULT_MIN_DF = 10


class TopicModel:
    """Latent Dirichlet allocation with reproducible fitting and tidy results.

    Parameters
    ----------
    n_topics : int
        Number of topics K (>= 2). :func:`select_k` helps choose it.
    random_state : None | int | numpy Generator
        Seed. A fixed int gives identical results in every process (with ``workers=1``).
    unit : "paragraph" | "document"
        Fit on paragraphs (default; results aggregate to documents by token-weighted
        means) or on whole documents.
    engine : "tomotopy" | "gensim"
        tomotopy's collapsed Gibbs sampler (default) or gensim's variational ``LdaModel``
        (streaming; for corpora that do not fit in memory, no ``prevalence``).
    iterations : int or None
        Gibbs sweeps (tomotopy, default 1000) or passes over the corpus (gensim, default 20).
    alpha : float
        Document-topic prior. tomotopy re-estimates an asymmetric alpha every 10 sweeps
        starting from this value; gensim uses it as a fixed symmetric prior.
    eta : float
        Topic-term prior (smaller: topics concentrated on fewer terms).
    prevalence : None | str | list of str
        Metadata columns (e.g. ``"region"``, ``["region", "year"]``) on which topic
        prevalence depends, as in R's stm: tomotopy's Dirichlet-multinomial regression. Each
        column is categorical; a missing value is its own level ``"(missing)"`` (with a
        warning). Estimated effects: :meth:`prevalence_effects`. (The value is read back
        with ``get_params()["prevalence"]``: the attribute name belongs to the method
        :meth:`prevalence`.)
    min_df : int
        Leave out terms found in fewer units than this (default 10: a term seen in a
        handful of paragraphs cannot be placed in a topic reliably, and such terms were the
        main source of incoherent topics in the benchmark). On a small corpus (a few
        hundred paragraphs) lower it, e.g. to 2-5; the terms left out are still in the
        coherence reference texts and in ``tokens``.
    max_df_share : float
        Leave out terms found in more than this share of units (default 1.0 keeps all).
    stopwords : None | "policy" | "general" | "all" | path | iterable of str
        Terms left out of the model, in addition to what the tokenizer removed (default
        None). ``"policy"`` removes the boilerplate of government plans (加强, 推进,
        积极...); in the benchmark that *lowered* coherence (boilerplate verbs co-occur
        with the content words of their topic), and FREX labels already skip it, so it is
        an option rather than the default.
    min_chars : int
        Leave out terms shorter than this many characters (default 1 keeps single
        characters such as 省, 港; 2 made K=20 models less coherent in the benchmark).
    workers : int
        tomotopy threads. More than 1 is faster but not bit-reproducible.
    progress : bool or None
        Progress bar (None: on in a terminal, off in CI).

    Attributes (after ``fit``)
    --------------------------
    topic_term_ : ndarray (K, V) — p(term | topic)
    doc_topic_ : ndarray (N, K) — topic proportions of the fitted units
    vocabulary_ : list of str; term_frequency_ : ndarray (V,)
    units_ : DataFrame — the fitted units (doc_id, parent_id, metadata, n_tokens)
    dropped_units_ : DataFrame — units left out (doc_id, parent_id, n_tokens_before, reason)
    alpha_ : ndarray (K,) — fitted document-topic prior
    random_state_ : int — the seed actually used
    provenance_ : dict — versions, parameters, corpus fingerprint, sizes, fit seconds

    >>> import bri_text as bt
    >>> tokens = bt.tokenize(bt.load_bri_policies())                   # doctest: +SKIP
    >>> bt.TopicModel(10, random_state=1).fit(tokens).label_topics()   # doctest: +SKIP
    """

    def __init__(self, n_topics: int = 10, *, random_state=None, unit: str = "paragraph",
                 engine: str = "tomotopy", iterations: int | None = None,
                 alpha: float = DEFAULT_ALPHA, eta: float = DEFAULT_ETA, prevalence=None,
                 min_df: int = DEFAULT_MIN_DF, max_df_share: float = 1.0, stopwords=None,
                 min_chars: int = 1, workers: int = 1, progress: bool | None = None):
        self.n_topics = n_topics
        self.random_state = random_state
        self.unit = unit
        self.engine = engine
        self.iterations = iterations
        self.alpha = alpha
        self.eta = eta
        # stored under another name: ``prevalence`` is also the method prevalence(by=...)
        self._prevalence_param = prevalence
        self.min_df = min_df
        self.max_df_share = max_df_share
        self.stopwords = stopwords
        self.min_chars = min_chars
        self.workers = workers
        self.progress = progress

    # ================================================================ parameters
    _PARAMS = ("n_topics", "random_state", "unit", "engine", "iterations", "alpha", "eta",
               "prevalence", "min_df", "max_df_share", "stopwords", "min_chars", "workers",
               "progress")

    def get_params(self, deep: bool = True) -> dict:
        """Constructor parameters (scikit-learn convention).

        >>> TopicModel(12, random_state=1).get_params()["n_topics"]
        12
        """
        return {p: getattr(self, "_prevalence_param" if p == "prevalence" else p)
                for p in self._PARAMS}

    def set_params(self, **params) -> "TopicModel":
        """Set constructor parameters (scikit-learn convention); returns ``self``.

        >>> TopicModel(12).set_params(n_topics=8).n_topics
        8
        """
        for k, v in params.items():
            if k not in self._PARAMS:
                raise ParameterError(f"unknown parameter {k!r}; parameters: {self._PARAMS}")
            setattr(self, "_prevalence_param" if k == "prevalence" else k, v)
        return self

    def __repr__(self) -> str:
        defaults = TopicModel().get_params()
        args = [repr(self.n_topics)] + [f"{k}={v!r}" for k, v in self.get_params().items()
                                        if k != "n_topics" and v != defaults[k]]
        return f"TopicModel({', '.join(args)})"

    def _check_params(self) -> None:
        _check_int("n_topics", self.n_topics, 2)
        check_random_state(self.random_state)  # ParameterError for a negative or odd seed
        if self.engine not in ("tomotopy", "gensim"):
            raise ParameterError(
                f"engine must be 'tomotopy' or 'gensim', got {self.engine!r}")
        if self.unit not in _UNITS:
            raise ParameterError(f"unit must be 'paragraph' or 'document', got {self.unit!r}")
        _check_int("iterations", self.iterations, 1, none_ok=True)
        for name in ("alpha", "eta"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or \
                    not v > 0 or not math.isfinite(v):
                raise ParameterError(f"{name} must be a positive number, got {v!r}")
        _check_int("min_df", self.min_df, 1)
        _check_int("min_chars", self.min_chars, 1)
        if isinstance(self.max_df_share, bool) or not isinstance(
                self.max_df_share, (int, float, np.floating)) or not 0 < self.max_df_share <= 1:
            raise ParameterError(
                f"max_df_share must be a number in (0, 1], got {self.max_df_share!r}")
        _check_int("workers", self.workers, 1)
        if self._prevalence_cols() and self.engine != "tomotopy":
            raise ParameterError("prevalence= needs engine='tomotopy' (Dirichlet-multinomial "
                                 f"regression); got engine={self.engine!r}")

    def _prevalence_cols(self) -> list[str]:
        p = self._prevalence_param
        if p is None:
            return []
        cols = [p] if isinstance(p, str) else list(p) if isinstance(p, (list, tuple)) else None
        if not cols or not all(isinstance(c, str) and c for c in cols):
            raise ParameterError(f"prevalence must be None, a column name or a list of column "
                                 f"names, got {p!r}")
        return cols

    def _stopword_set(self) -> frozenset:
        sw = self.stopwords
        if sw is None or sw is False:
            return frozenset()
        if isinstance(sw, (str, os.PathLike)):
            from ._lexicons import load_stopwords

            try:
                return frozenset(load_stopwords(sw))
            except ParameterError as e:
                raise ParameterError(f"stopwords: {e}") from None
        try:
            words = frozenset(sw)
        except TypeError:
            raise ParameterError(f"stopwords must be None, 'policy', 'general', 'all', a file "
                                 f"path or an iterable of words, got {sw!r}") from None
        if not all(isinstance(w, str) for w in words):
            raise ParameterError("stopwords must contain strings only")
        return words

    # ================================================================ fitting
    def fit(self, tokens, y=None) -> "TopicModel":
        """Fit the model on :class:`bri_text.Tokens` (documents or paragraphs).

        Returns ``self``. Raises :class:`~bri_text.errors.ParameterError` when ``n_topics``
        exceeds the number of units or filtering leaves no vocabulary.

        >>> model = bt.TopicModel(12, random_state=1).fit(tokens)          # doctest: +SKIP
        """
        self._check_params()
        cols = self._prevalence_cols()
        seed = self._resolve_seed()
        units, raw = _prepare_units(tokens, self.unit)
        _check_prevalence_columns(units, cols, "fit")
        n_nonempty = sum(1 for d in raw if d)
        if self.n_topics > n_nonempty:
            raise ParameterError(
                f"n_topics={self.n_topics} is larger than the number of units with tokens "
                f"({n_nonempty} of {len(raw)} {self.unit} units); choose fewer topics or fit "
                "on paragraphs (unit='paragraph')")
        vocab, counts, filtered = self._build_vocabulary(raw)
        empty = np.array([not d for d in filtered])
        keep = np.flatnonzero(~empty)
        dropped = pd.DataFrame({
            "doc_id": units["doc_id"].to_numpy()[empty],
            "parent_id": units["parent_id"].to_numpy()[empty],
            "n_tokens_before": [len(raw[i]) for i in np.flatnonzero(empty)],
        })
        dropped["reason"] = np.where(dropped["n_tokens_before"] == 0, "no tokens",
                                     "no tokens left after vocabulary filtering")
        if len(dropped):
            warnings.warn(
                f"TopicModel.fit: {len(dropped)} of {len(units)} units have no tokens in the "
                f"model's vocabulary and were left out (see model.dropped_units_)",
                stacklevel=2)
        if self.n_topics > len(keep):
            raise ParameterError(
                f"n_topics={self.n_topics} is larger than the number of units left after "
                f"vocabulary filtering ({len(keep)}); choose fewer topics or lower min_df")
        units = units.iloc[keep].reset_index(drop=True)
        docs = [filtered[i] for i in keep]
        covariates = self._covariates(units, cols) if cols else None

        iterations = self.iterations or DEFAULT_ITERATIONS[self.engine]
        from ._topics_engines import ENGINES

        engine = ENGINES[self.engine](self.n_topics, seed, iterations, float(self.alpha),
                                      float(self.eta), int(self.workers), dmr=bool(cols))
        # a tqdm bar updated by hand, or None when progress is off
        bar = progress_bar(None, total=iterations, desc=f"LDA K={self.n_topics}",
                           progress=self.progress)
        t0 = time.perf_counter()
        try:
            engine.fit(docs, vocab, covariates, progress_cb=bar.update if bar else None)
        finally:
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - t0

        self._engine = engine
        self.random_state_ = seed
        self.vocabulary_ = vocab
        self.topic_term_ = engine.topic_term
        self.doc_topic_ = engine.doc_topic
        self.alpha_ = engine.alpha
        # filtering removes whole terms, so a kept term's count is the same after it
        self.term_frequency_ = np.array([counts[w] for w in vocab], dtype=np.float64)
        self.units_ = units.assign(n_tokens=[len(d) for d in docs])
        self.dropped_units_ = dropped
        self._texts = raw  # reference texts for coherence: all units, tokens as given
        self.provenance_ = {
            "format": _FORMAT,
            "versions": versions(),
            "parameters": _jsonable(self.get_params()),
            "random_state_": seed,
            "iterations": iterations,
            "corpus_fingerprint": _tokens_fingerprint(tokens),
            "units_fingerprint": fingerprint(
                [" ".join(t) for t in raw], extra=json.dumps(units["doc_id"].tolist())),
            "tokenizer": _jsonable(getattr(tokens, "config", None)),
            "n_units": int(len(units)),
            "n_units_dropped": int(len(dropped)),
            "n_tokens": int(sum(len(d) for d in docs)),
            "vocabulary_size": len(vocab),
            "fit_seconds": round(seconds, 3),
            "reproducible": int(self.workers) == 1,
        }
        return self

    def _resolve_seed(self) -> int:
        # None draws a fresh seed (recorded in random_state_), as a Generator would
        return seed_from(check_random_state(None) if self.random_state is None
                         else self.random_state)

    def _build_vocabulary(self, raw: list[list[str]]):
        stop = self._stopword_set()
        df = Counter()
        for d in raw:
            df.update(set(d))
        n = len(raw)
        max_df = self.max_df_share * n
        counts = Counter(w for d in raw for w in d)
        keep = {w for w, c in df.items()
                if c >= self.min_df and c <= max_df and w not in stop
                and len(w) >= self.min_chars}
        if not keep:
            raise ParameterError(
                f"no term is left after vocabulary filtering ({len(df)} distinct terms in "
                f"{n} units; min_df={self.min_df}, max_df_share={self.max_df_share}, "
                f"min_chars={self.min_chars}, stopwords={self.stopwords!r}); lower min_df, "
                "raise max_df_share or pass fewer stopwords")
        # order: most frequent first, then by term (deterministic)
        vocab = sorted(keep, key=lambda w: (-counts[w], w))
        filtered = [[w for w in d if w in keep] for d in raw]
        return vocab, counts, filtered

    @staticmethod
    def _covariates(units: pd.DataFrame, cols: list[str]) -> list[list[str]]:
        """:func:`_covariate_labels`, with a warning for each column with missing values."""
        for c in cols:
            miss = units[c].isna()
            if miss.any():
                warnings.warn(
                    f"prevalence column {c!r} has {int(miss.sum())} units with missing values "
                    f"(documents {sorted(units.loc[miss, 'parent_id'].unique().tolist())[:5]}); "
                    f"they form their own level {_MISSING_LEVEL!r}", stacklevel=3)
        return _covariate_labels(units, cols)

    def _check_fitted(self):
        if not hasattr(self, "topic_term_"):
            raise ParameterError("this TopicModel is not fitted yet; call fit(tokens) first")

    # ================================================================ topics
    @property
    def n_topics_(self) -> int:
        self._check_fitted()
        return self.topic_term_.shape[0]

    def topics(self, top_n: int = 10, sort: str = "weight", frex_weight: float = 0.5
               ) -> pd.DataFrame:
        """Top terms of every topic: DataFrame (topic, rank, term, weight, frex, lift).

        ``weight`` is p(term | topic); ``frex`` the FREX score (harmonic mean of frequency
        and exclusivity ranks, weight ``frex_weight`` on exclusivity, as in stm);
        ``lift`` p(term | topic) / p(term). ``sort`` chooses the ranking: "weight"
        (default), "frex" or "lift" (lift favours rare terms; see :meth:`label_topics`).

        >>> model.topics(top_n=5, sort="frex")                           # doctest: +SKIP
        """
        self._check_fitted()
        _check_int("top_n", top_n, 1)
        if sort not in ("weight", "frex", "lift"):
            raise ParameterError(f"sort must be 'weight', 'frex' or 'lift', got {sort!r}")
        fx = _st.frex(self.topic_term_, frex_weight)
        lf = _st.lift(self.topic_term_, self.term_frequency_)
        score = {"weight": self.topic_term_, "frex": fx, "lift": lf}[sort]
        idx = _st.top_indices(score, min(top_n, len(self.vocabulary_)))
        rows = []
        vocab = self.vocabulary_
        for k in range(idx.shape[0]):
            for r, j in enumerate(idx[k]):
                rows.append((k, r + 1, vocab[j], self.topic_term_[k, j], fx[k, j], lf[k, j]))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "frex", "lift"])

    def top_terms(self, top_n: int = 10) -> list[list[str]]:
        """The ``top_n`` most probable terms of each topic, as lists.

        >>> model.top_terms(3)[0]                                        # doctest: +SKIP
        """
        self._check_fitted()
        idx = _st.top_indices(self.topic_term_, min(top_n, len(self.vocabulary_)))
        return [[self.vocabulary_[j] for j in row] for row in idx]

    def label_topics(self, n_terms: int = 3, frex_weight: float = 0.5) -> pd.Series:
        """A short label per topic: its ``n_terms`` highest-FREX terms joined by "·".

        >>> model.label_topics()[0]                                    # doctest: +SKIP
        '东盟·北部湾·港口'
        """
        self._check_fitted()
        t = self.topics(top_n=n_terms, sort="frex", frex_weight=frex_weight)
        labels = t.groupby("topic")["term"].agg("·".join)
        return labels.rename("label").rename_axis("topic")

    def find_topic(self, terms, top_n: int = 30) -> int:
        """The topic whose top ``top_n`` terms (by weight) carry most probability of
        ``terms`` — to identify a topic by its content rather than by its index.

        >>> model.find_topic(["东盟", "北部湾", "港口"])                     # doctest: +SKIP
        """
        self._check_fitted()
        terms = [terms] if isinstance(terms, str) else list(terms)
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        cols = [index[t] for t in terms if t in index]
        if not cols:
            raise ParameterError(f"none of the terms {terms} is in the model's vocabulary")
        top = _st.top_indices(self.topic_term_, top_n)
        mask = np.zeros_like(self.topic_term_, dtype=bool)
        for k in range(top.shape[0]):
            mask[k, top[k]] = True
        score = (self.topic_term_ * mask)[:, cols].sum(axis=1)
        return int(np.argmax(score))

    # ================================================================ documents
    def doc_topics(self, level: str = "unit") -> pd.DataFrame:
        """Topic proportions per unit (``level="unit"``) or per document
        (``level="document"``, token-weighted means of its units), with metadata.

        Columns: ``doc_id`` (and ``parent_id`` for units), metadata, ``n_tokens``, then one
        column per topic, named by its number (0 .. K-1). All topics are given, with no
        probability cut-off; the table is the same on every call.

        >>> model.doc_topics(level="document").set_index("doc_id")        # doctest: +SKIP
        """
        self._check_fitted()
        if level not in ("unit", "document"):
            raise ParameterError(f"level must be 'unit' or 'document', got {level!r}")
        theta = self.doc_topic_
        if level == "unit":
            meta = self.units_.drop(columns=["text"], errors="ignore").reset_index(drop=True)
            out = pd.concat([meta, pd.DataFrame(theta, columns=range(self.n_topics_))], axis=1)
            return out
        return self._aggregate_documents()

    def _aggregate_documents(self) -> pd.DataFrame:
        u = self.units_
        order, codes, sums, tot = self._sum_by_document(np.arange(len(u)))
        meta_cols = [c for c in u.columns if c not in _UNIT_COLS and c != "n_tokens"]
        first = u.drop_duplicates("parent_id").set_index("parent_id").loc[order, meta_cols]
        meta = first.reset_index().rename(columns={"parent_id": "doc_id"})
        meta["n_units"] = np.bincount(codes, minlength=len(order))
        meta["n_tokens"] = tot.astype(int)
        return pd.concat([meta, pd.DataFrame(sums / tot[:, None], columns=range(
            self.n_topics_))], axis=1)

    def transform(self, tokens, iterations: int = 100) -> pd.DataFrame:
        """Topic proportions of new documents, as :meth:`doc_topics` (same unit as fit).

        Terms outside the model's vocabulary are ignored; a unit with no known term gets
        NaN proportions (and a warning). Deterministic for a fitted model.

        >>> model.transform(bt.tokenize(new_corpus))                      # doctest: +SKIP
        """
        self._check_fitted()
        units, raw = _prepare_units(tokens, self.unit)
        known = set(self.vocabulary_)
        docs = [[w for w in d if w in known] for d in raw]
        covariates = None
        cols = self._prevalence_cols()
        if cols:
            _check_prevalence_columns(units, cols, "transform")
            covariates = _covariate_labels(units, cols)
        theta = self._engine.transform(docs, covariates, iterations)
        empty = [units["doc_id"].iloc[i] for i, d in enumerate(docs) if not d]
        if empty:
            warnings.warn(f"transform: {len(empty)} units have no term of the model's "
                          f"vocabulary; their proportions are NaN: {empty[:5]}", stacklevel=2)
        meta = units.drop(columns=["text"], errors="ignore").reset_index(drop=True)
        meta["n_tokens"] = [len(d) for d in docs]
        return pd.concat([meta, pd.DataFrame(theta, columns=range(self.n_topics_))], axis=1)

    def representative_docs(self, topic: int, n: int = 5, min_tokens: int = 5,
                            snippet_chars: int = 80) -> pd.DataFrame:
        """The ``n`` units with the highest share of ``topic`` (among units with at least
        ``min_tokens`` tokens), with a text snippet around the topic's first top term.

        Columns: rank, doc_id, parent_id, title (when known), share, n_tokens, snippet.

        >>> model.representative_docs(model.find_topic("东盟"), n=3)       # doctest: +SKIP
        """
        self._check_fitted()
        topic = self._check_topic(topic)
        u = self.units_
        share = self.doc_topic_[:, topic]
        ok = u["n_tokens"].to_numpy() >= min_tokens
        if not ok.any():
            ok[:] = True
        order = np.lexsort((np.arange(len(share)), -share))
        order = [i for i in order if ok[i]][:n]
        top = self.top_terms(10)[topic]
        rows = []
        for r, i in enumerate(order):
            text = u["text"].iloc[i] if "text" in u.columns else ""
            rows.append({"rank": r + 1, "doc_id": u["doc_id"].iloc[i],
                         "parent_id": u["parent_id"].iloc[i],
                         "title": u["title"].iloc[i] if "title" in u.columns else None,
                         "share": share[i], "n_tokens": int(u["n_tokens"].iloc[i]),
                         "snippet": _snippet(text, top, snippet_chars)})
        return pd.DataFrame(rows)

    def _check_topic(self, topic) -> int:
        if isinstance(topic, bool) or not isinstance(topic, (int, np.integer)) or \
                not 0 <= topic < self.n_topics_:
            raise ParameterError(f"topic must be an int in 0..{self.n_topics_ - 1}, "
                                 f"got {topic!r}")
        return int(topic)

    # ================================================================ quality
    def coherence(self, measure: str = "c_npmi", top_n: int = 10, per_topic: bool = False,
                  texts=None):
        """Topic coherence of the top ``top_n`` terms (gensim ``CoherenceModel``).

        ``measure``: "c_npmi" (normalised PMI in a 10-token sliding window, -1..1), "c_v"
        or "u_mass". The reference texts are the units' tokens as given to ``fit`` (before
        the model's vocabulary filtering), or ``texts`` (list of token lists). Runs in
        one process (gensim's c_v can hang with several). Returns the mean, or a Series per
        topic with ``per_topic=True``.

        >>> model.coherence("c_npmi", per_topic=True)                     # doctest: +SKIP
        """
        self._check_fitted()
        scores = _coherence(self.top_terms(top_n), self._texts if texts is None else texts,
                            measure, top_n)
        if per_topic:
            return pd.Series(scores, index=pd.RangeIndex(self.n_topics_, name="topic"),
                             name=measure)
        return float(np.mean(scores))

    def diversity(self, top_n: int = 25) -> float:
        """Share of unique terms among all topics' top ``top_n`` terms (1 = no overlap).

        >>> model.diversity()                                            # doctest: +SKIP
        """
        self._check_fitted()
        return _st.diversity(self.top_terms(top_n))

    def align(self, other: "TopicModel", metric: str = "jensen-shannon") -> pd.DataFrame:
        """Match this model's topics to ``other``'s one-to-one (Hungarian algorithm on the
        similarity of topic-term distributions: 1 - Jensen-Shannon divergence, or
        "cosine"). DataFrame (topic, other_topic, similarity, label, other_label).
        Answers "would another seed give the same topics?" topic by topic.

        >>> model.align(bt.TopicModel(12, random_state=2).fit(tokens))    # doctest: +SKIP
        """
        self._check_fitted()
        other._check_fitted()
        if metric not in ("jensen-shannon", "cosine"):
            raise ParameterError(f"metric must be 'jensen-shannon' or 'cosine', got {metric!r}")
        (a, b), _ = _st.align_vocabularies([self.topic_term_, other.topic_term_],
                                           [self.vocabulary_, other.vocabulary_])
        rows, cols, _, sims = _st.match_topics(a, b, metric)
        la, lb = self.label_topics(), other.label_topics()
        return pd.DataFrame({"topic": rows, "other_topic": cols, "similarity": sims,
                             "label": la.to_numpy()[rows], "other_label": lb.to_numpy()[cols]})

    # ================================================================ prevalence
    def _check_by(self, by, where: str) -> pd.DataFrame:
        """The fitted units, after checking that ``by`` names one of their metadata
        columns."""
        self._check_fitted()
        if not isinstance(by, str):
            raise ParameterError(f"{where}: by must be a metadata column name, got {by!r}")
        u = self.units_
        if by not in u.columns or by == "text":
            raise MetadataError(f"{where}: by={by!r} is not a metadata column; columns: "
                                f"{[c for c in u.columns if c not in ('text', 'n_tokens')]}")
        return u

    def _group_frame(self, by: str, dropna: bool, where: str):
        u = self._check_by(by, where)
        miss = u[by].isna().to_numpy()
        if miss.any():
            docs = sorted(u.loc[miss, "parent_id"].unique().tolist())
            if not dropna:
                raise MetadataError(
                    f"{where}: column by={by!r} is missing for {int(miss.sum())} units "
                    f"({len(docs)} documents, e.g. {docs[:3]}); fill it (e.g. "
                    f"region='全国' for national documents) or pass dropna=True to leave "
                    "them out")
            warnings.warn(f"{where}: left out {int(miss.sum())} units ({len(docs)} documents)"
                          f" with no {by!r}", stacklevel=3)
        return u, ~miss

    def _sum_by_document(self, idx: np.ndarray):
        """The units ``idx`` summed per document, in order of first appearance:
        (document ids, document code of each unit, tokens per topic (D × K), tokens (D,))."""
        u = self.units_
        w = u["n_tokens"].to_numpy(float)[idx]
        codes, docs = pd.factorize(u["parent_id"].to_numpy()[idx])
        sums = np.zeros((len(docs), self.n_topics_))
        np.add.at(sums, codes, self.doc_topic_[idx] * w[:, None])
        return docs, codes, sums, np.bincount(codes, weights=w, minlength=len(docs))

    def _resampling_units(self, idx: np.ndarray, resample: str):
        """(tokens per topic, token totals, n documents) of the units ``idx``, per unit or
        summed per document."""
        if resample == "unit":
            u = self.units_
            w = u["n_tokens"].to_numpy(float)[idx]
            n_docs = len(pd.unique(u["parent_id"].to_numpy()[idx]))
            return self.doc_topic_[idx] * w[:, None], w, n_docs
        docs, _, sums, tot = self._sum_by_document(idx)
        return sums, tot, len(docs)

    def prevalence(self, by: str, ci: float = 0.95, n_boot: int = 1000, random_state=None,
                   resample: str = "unit", dropna: bool = False) -> pd.DataFrame:
        """Token-weighted topic shares per group of ``by`` with bootstrap intervals.

        DataFrame (group, topic, label, share, lower, upper, n_units, n_docs, n_tokens).
        ``share`` is the share of the group's tokens in the topic. Intervals are percentile
        bootstrap intervals (``n_boot`` replicates) resampling ``resample`` units:
        "unit" (paragraphs; default: uncertainty of a document's or province's emphasis
        given its text) or "document" (whole documents; use to generalise across documents,
        as :meth:`trends` does). A group with fewer than two resampling units has an
        undefined interval (NaN). Missing ``by`` values raise
        :class:`~bri_text.errors.MetadataError` unless ``dropna=True``.

        >>> model.prevalence(by="level", n_boot=500, random_state=0)      # doctest: +SKIP
        """
        _check_bootstrap(ci, n_boot, resample)
        u, ok = self._group_frame(by, dropna, "prevalence")
        rng = check_random_state(random_state)
        labels = self.label_topics()
        rows = []
        values = u[by].to_numpy()
        for g in _sorted_groups(u.loc[ok, by]):
            idx = np.flatnonzero(ok & (values == g))
            wt, tot, n_docs = self._resampling_units(idx, resample)
            share, lo, hi = _st.bootstrap_shares(wt, tot, n_boot, ci, rng)
            for k in range(self.n_topics_):
                rows.append((g, k, labels[k], share[k], lo[k], hi[k], len(idx), n_docs,
                             int(tot.sum())))
        return pd.DataFrame(rows, columns=["group", "topic", "label", "share", "lower",
                                           "upper", "n_units", "n_docs", "n_tokens"])

    def trends(self, by: str = "year", ci: float = 0.95, n_boot: int = 1000,
               random_state=None, resample: str = "document", dropna: bool = False
               ) -> pd.DataFrame:
        """Topic shares over time: :meth:`prevalence` by ``by`` (default "year"), with
        documents as resampling units, and every year between the first and the last.

        Years with no document appear with ``n_docs`` 0 and NaN share; years with a single
        document have NaN intervals (nothing to resample). Ready for a topic-trend plot.

        >>> model.trends(by="year", random_state=0)                       # doctest: +SKIP
        """
        out = self.prevalence(by, ci=ci, n_boot=n_boot, random_state=random_state,
                              resample=resample, dropna=dropna)
        groups = out["group"].unique()
        try:
            years = np.asarray(groups, dtype=float)
            integral = bool(len(years)) and np.all(years == np.round(years))
        except (TypeError, ValueError):
            integral = False
        if not integral:
            return out
        full = range(int(years.min()), int(years.max()) + 1)
        present = set(years.astype(int))
        missing = [y for y in full if y not in present]
        if missing:
            labels = self.label_topics()
            extra = pd.DataFrame([(y, k, labels[k], np.nan, np.nan, np.nan, 0, 0, 0)
                                  for y in missing for k in range(self.n_topics_)],
                                 columns=out.columns)
            out = out.assign(group=out["group"].astype(int))
            out = pd.concat([out, extra], ignore_index=True)
            out = out.sort_values(["group", "topic"], kind="stable").reset_index(drop=True)
        return out

    def difference(self, by: str, a, b, ci: float = 0.95, n_boot: int = 1000,
                   random_state=None, resample: str = "unit") -> pd.DataFrame:
        """Difference in topic prevalence between groups ``a`` and ``b`` of ``by``
        (a minus b) with a bootstrap interval (units resampled within each group).

        DataFrame (topic, label, a, b, share_a, share_b, difference, lower, upper).
        ``model.difference(by="region", a="广西", b="甘肃")``.
        """
        _check_bootstrap(ci, n_boot, resample)
        u = self._check_by(by, "difference")
        ok = u[by].notna().to_numpy()  # only groups a and b are used
        values = u[by].to_numpy()
        parts = []
        for name, g in (("a", a), ("b", b)):
            idx = np.flatnonzero(ok & (values == g))
            if not len(idx):
                raise MetadataError(f"difference: no unit has {by}={g!r} (parameter {name}); "
                                    f"values: {_sorted_groups(u.loc[ok, by])[:20]}")
            parts.append(self._resampling_units(idx, resample)[:2])
        rng = check_random_state(random_state)
        diff, lo, hi = _st.bootstrap_difference(*parts[0], *parts[1], n_boot, ci, rng)
        sa = parts[0][0].sum(0) / parts[0][1].sum()
        sb = parts[1][0].sum(0) / parts[1][1].sum()
        return pd.DataFrame({"topic": range(self.n_topics_), "label": self.label_topics().values,
                             "a": a, "b": b, "share_a": sa, "share_b": sb, "difference": diff,
                             "lower": lo, "upper": hi})

    def prevalence_effects(self) -> pd.DataFrame:
        """Estimated covariate effects of a ``prevalence=`` model (tidy).

        DataFrame (topic, label, covariate, level, coefficient, prior_share): the
        Dirichlet-multinomial regression coefficient λ (log scale; the intercept row has
        covariate "(intercept)"), and ``prior_share``, the expected topic share a priori for
        a unit with that level (intercept + this level's coefficient, normalised over
        topics). tomotopy estimates λ by MAP with a Gaussian prior (``sigma``), so no
        standard errors are available; use :meth:`prevalence` / :meth:`difference` for
        intervals.

        >>> dmr = bt.TopicModel(12, prevalence="region").fit(tokens)  # doctest: +SKIP
        >>> dmr.prevalence_effects()                                  # doctest: +SKIP
        """
        self._check_fitted()
        if not self._prevalence_cols():
            raise ParameterError("prevalence_effects() needs a model fitted with "
                                 "prevalence=<column(s)>")
        lam, names = self._lambdas
        labels = self.label_topics()
        rows = []
        for j, name in enumerate(names):
            cov, _, level = name.partition("=") if j else ("(intercept)", "", "")
            logits = lam[:, 0] + (lam[:, j] if j else 0.0)
            prior = np.exp(logits) / np.exp(logits).sum()
            for k in range(lam.shape[0]):
                rows.append((k, labels[k], cov, level, lam[k, j], prior[k]))
        return pd.DataFrame(rows, columns=["topic", "label", "covariate", "level",
                                           "coefficient", "prior_share"])

    @property
    def _lambdas(self):
        if getattr(self, "_lambda_cache", None) is None:
            self._lambda_cache = self._engine.lambdas()
        return self._lambda_cache

    # ================================================================ persistence
    def save(self, path, overwrite: bool = False) -> Path:
        """Save to a folder: ``manifest.json`` (format version, parameters, provenance,
        SHA-256 of every file), ``arrays.npz``, ``units.json``, ``texts.json`` and the
        engine's state (tomotopy's binary file, or gensim's arrays). No pickle.

        Written to a temporary folder first and renamed, so a crash never leaves a
        half-written model. Refuses to replace an existing folder unless ``overwrite``.

        >>> model.save("models/bri_k12")                                 # doctest: +SKIP
        """
        self._check_fitted()
        path = Path(path)
        if path.exists() and not overwrite:
            raise InputError(f"save: {str(path)!r} already exists; pass overwrite=True to "
                             "replace it")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".topicmodel-", dir=path.parent))
        try:
            files = self._engine.save(str(tmp))
            arrays = {"topic_term": self.topic_term_, "doc_topic": self.doc_topic_,
                      "term_frequency": self.term_frequency_, "alpha": self.alpha_}
            _write_json(tmp / "vocabulary.json", self.vocabulary_)
            _write_json(tmp / "units.json", _frame_to_json(self.units_))
            _write_json(tmp / "dropped_units.json", _frame_to_json(self.dropped_units_))
            _write_json(tmp / "texts.json", self._texts)
            extra = {}
            if self._prevalence_cols():
                arrays["lambdas"], extra["lambda_names"] = self._lambdas
            np.savez(tmp / "arrays.npz", **arrays)
            _write_json(tmp / "extra.json", extra)
            files = files + ["arrays.npz", "vocabulary.json", "units.json",
                             "dropped_units.json", "texts.json", "extra.json"]
            manifest = {
                "format": _FORMAT,
                "format_version": _FORMAT_VERSION,
                "created_with": versions(),
                "parameters": _jsonable(self.get_params()),
                "engine": self.engine,
                "random_state_": self.random_state_,
                "provenance": self.provenance_,
                "files": {f: _sha256(tmp / f) for f in sorted(files)},
            }
            _write_json(tmp / "manifest.json", manifest)
            if path.exists():
                shutil.rmtree(path)
            os.replace(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return path

    @classmethod
    def load(cls, path) -> "TopicModel":
        """Load a model saved with :meth:`save`, after checking every file's SHA-256
        against the manifest (a changed, missing or extra file is refused with
        :class:`~bri_text.errors.InputError`).

        >>> bt.TopicModel.load("models/bri_k12").topics()                 # doctest: +SKIP
        """
        path = Path(path)
        mpath = path / "manifest.json"
        if not mpath.is_file():
            raise InputError(f"load: {str(path)!r} is not a saved TopicModel (no manifest.json)")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InputError(f"load: {str(mpath)!r} is not valid JSON ({e})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
            raise InputError(f"load: {str(mpath)!r} does not describe a bri_text TopicModel")
        fv = manifest.get("format_version")
        if not isinstance(fv, int) or fv > _FORMAT_VERSION:
            raise InputError(f"load: format version {fv!r} is newer than this bri_text "
                             f"supports ({_FORMAT_VERSION}); upgrade bri_text")
        files = manifest.get("files") or {}
        present = {p.name for p in path.iterdir()} - {"manifest.json"}
        if set(files) != present:
            raise InputError(
                f"load: files in {str(path)!r} do not match the manifest (missing: "
                f"{sorted(set(files) - present)}, unexpected: {sorted(present - set(files))})")
        for name, digest in files.items():
            if _sha256(path / name) != digest:
                raise InputError(f"load: checksum mismatch for {name!r} in {str(path)!r}; the "
                                 "file was changed or corrupted after saving — refusing to load")
        params = manifest["parameters"]
        model = cls(**params)
        with np.load(path / "arrays.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        model.vocabulary_ = _read_json(path / "vocabulary.json")
        model.topic_term_ = arrays["topic_term"]
        model.doc_topic_ = arrays["doc_topic"]
        model.term_frequency_ = arrays["term_frequency"]
        model.alpha_ = arrays["alpha"]
        model.units_ = _frame_from_json(_read_json(path / "units.json"))
        model.dropped_units_ = _frame_from_json(_read_json(path / "dropped_units.json"))
        model._texts = _read_json(path / "texts.json")
        extra = _read_json(path / "extra.json")
        if "lambdas" in arrays:
            model._lambda_cache = (arrays["lambdas"], extra["lambda_names"])
        model.random_state_ = manifest["random_state_"]
        model.provenance_ = manifest["provenance"]
        from ._topics_engines import ENGINES

        eparams = {"n_topics": model.topic_term_.shape[0], "seed": model.random_state_,
                   "iterations": manifest["provenance"]["iterations"],
                   "alpha": float(params["alpha"]), "eta": float(params["eta"]),
                   "workers": int(params["workers"]), "dmr": "lambdas" in arrays}
        model._engine = ENGINES[manifest["engine"]].load(str(path), eparams,
                                                          model.vocabulary_)
        return model


# ==================================================================== choosing K
def select_k(tokens, ks=range(5, 31, 5), seeds=(1, 2, 3), n_jobs: int = 1,
             measures=("c_npmi", "c_v", "u_mass"), top_n: int = 10, progress=None,
             **params) -> pd.DataFrame:
    """Fit a model for every K in ``ks`` and seed in ``seeds`` and compare them.

    Returns one row per K: the mean and standard deviation across seeds of each coherence
    measure (``c_npmi_mean``, ``c_npmi_sd``, ...), of topic diversity (top 25 terms) and of
    fit seconds, plus ``stability_mean`` / ``stability_min``: for each pair of seeds, the
    mean similarity (1 - Jensen-Shannon divergence of topic-term distributions) of
    best-matched topics (Hungarian algorithm), averaged (or the worst pair). Stability near
    1 means another seed gives the same topics. Per-run figures are in
    ``result.attrs["runs"]``.

    ``params`` go to :class:`TopicModel` (``unit``, ``engine``, ``iterations``, ...).
    Fits run in ``n_jobs`` processes (each single-threaded, so results do not depend on
    ``n_jobs``) with a progress bar.

    >>> bt.select_k(tokens, ks=[5, 10, 15], seeds=(1, 2, 3), n_jobs=2)   # doctest: +SKIP
    """
    ks = list(ks)
    seeds = list(seeds)
    if not ks or not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool)
                         and k >= 2 for k in ks):
        raise ParameterError(f"ks must be a non-empty list of ints >= 2, got {ks!r}")
    if not seeds or len(set(seeds)) != len(seeds):
        raise ParameterError(f"seeds must be a non-empty list of distinct seeds, got {seeds!r}")
    bad = [m for m in measures if m not in _MEASURES]
    if bad:
        raise ParameterError(f"measures must be among {_MEASURES}, got {bad}")
    from ._util import check_n_jobs

    n_workers = check_n_jobs(n_jobs)
    for p in ("n_topics", "random_state", "workers"):
        if p in params:
            raise ParameterError(f"select_k sets {p} itself; do not pass it")
    params = {**params, "progress": False, "workers": 1}
    TopicModel(2, **params)._check_params()
    # prepare units once: every job then fits on the same unit token lists
    units, raw = _prepare_units(tokens, params.get("unit", "paragraph"))
    shared = _PreparedTokens(units, raw, _tokens_fingerprint(tokens),
                             getattr(tokens, "config", None))
    jobs = [(k, s) for k in ks for s in seeds]
    from joblib import Parallel, delayed

    if n_workers == 1:
        it = (_select_k_job(shared, k, s, params, measures, top_n) for k, s in jobs)
    else:
        it = Parallel(n_jobs=n_workers, return_as="generator")(
            delayed(_select_k_job)(shared, k, s, params, measures, top_n) for k, s in jobs)
    results = list(progress_bar(it, total=len(jobs), desc="select_k", progress=progress))
    runs = pd.DataFrame([{k: v for k, v in r.items() if k not in ("topic_term", "vocab")}
                         for r in results])
    rows = []
    for k in ks:
        rk = [r for r in results if r["k"] == k]
        row = {"k": k, "n_seeds": len(rk)}
        for m in list(measures) + ["diversity", "fit_seconds"]:
            vals = np.array([r[m] for r in rk], dtype=float)
            row[f"{m}_mean"] = vals.mean()
            row[f"{m}_sd"] = vals.std(ddof=1) if len(vals) > 1 else np.nan
        mats, _ = _st.align_vocabularies([r["topic_term"] for r in rk], [r["vocab"] for r in rk])
        row["stability_mean"], row["stability_min"] = _st.stability(mats)
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["runs"] = runs
    if len(results) and results[0]["n_dropped"]:
        warnings.warn(f"select_k: {results[0]['n_dropped']} units have no token in the "
                      "models' vocabulary and were left out", stacklevel=2)
    return out


class _PreparedTokens:
    """Units already prepared for fitting (what ``_prepare_units`` returns), so that
    select_k's jobs do not reshape again. Quacks like Tokens for ``_prepare_units``."""

    def __init__(self, units, raw, fp, config):
        self.units, self.raw, self.fp, self.config = units, raw, fp, config


def _select_k_job(shared, k, seed, params, measures, top_n):
    with warnings.catch_warnings():  # in a worker process too; select_k reports drops once
        warnings.simplefilter("ignore", UserWarning)
        m = TopicModel(k, random_state=seed, **params).fit(shared)
    out = {"k": k, "seed": seed}
    for meas in measures:
        out[meas] = m.coherence(meas, top_n=top_n)
    out["diversity"] = m.diversity()
    out["fit_seconds"] = m.provenance_["fit_seconds"]
    out["n_dropped"] = len(m.dropped_units_)
    out["topic_term"] = m.topic_term_
    out["vocab"] = m.vocabulary_
    return out


# ==================================================================== helpers
def _prepare_units(tokens, unit: str):
    """(units DataFrame with doc_id, parent_id, text and metadata; token lists) for
    fitting at ``unit``."""
    if isinstance(tokens, _PreparedTokens):
        return tokens.units, tokens.raw
    docs = getattr(tokens, "docs", None)
    toks = getattr(tokens, "tokens", None)
    if not isinstance(docs, pd.DataFrame) or toks is None:
        raise ParameterError(
            f"tokens must be a bri_text Tokens object (bri_text.tokenize(corpus)), got "
            f"{type(tokens).__name__}")
    if len(docs) == 0:
        raise ParameterError("tokens is empty: there is no unit to fit on")
    kinds = set(docs["unit"].dropna()) if "unit" in docs.columns else set()
    is_units = "parent_id" in docs.columns and bool(kinds) and kinds != {"document"}
    if unit == "paragraph" and not is_units:
        tokens = tokens.reshape("paragraph")
        docs, toks = tokens.docs, tokens.tokens
    elif unit == "document" and is_units:
        # merge units back into their documents, in order
        codes, parents = pd.factorize(docs["parent_id"])
        merged = [[] for _ in parents]
        texts = [[] for _ in parents]
        for i, c in enumerate(codes):
            merged[c].extend(toks[i])
            texts[c].append(str(docs["text"].iloc[i]))
        meta = docs.drop_duplicates("parent_id").drop(
            columns=[c for c in _UNIT_COLS if c in docs.columns and c != "parent_id"])
        meta = meta.rename(columns={"parent_id": "doc_id"}).reset_index(drop=True)
        meta.insert(1, "text", ["\n".join(t) for t in texts])
        docs, toks = meta, merged
    units = docs.reset_index(drop=True).copy()
    if "parent_id" not in units.columns:
        units.insert(1, "parent_id", units["doc_id"])
    return units, [list(t) for t in toks]


def _check_prevalence_columns(units: pd.DataFrame, cols: list[str], where: str) -> None:
    for c in cols:
        if c not in units.columns:
            raise MetadataError(f"{where}: prevalence column {c!r} not found; metadata "
                                f"columns: {[x for x in units.columns if x not in _UNIT_COLS]}")


def _covariate_labels(units: pd.DataFrame, cols: list[str]) -> list[list[str]]:
    """The DMR metadata of each unit: "column=value" per prevalence column (a missing value
    is its own level)."""
    return [[f"{c}={_MISSING_LEVEL if _isna(v) else v}" for c, v in zip(cols, row)]
            for row in units[cols].itertuples(index=False)]


def _tokens_fingerprint(tokens) -> str | None:
    if isinstance(tokens, _PreparedTokens):
        return tokens.fp
    try:
        return tokens.fingerprint
    except Exception:  # a Tokens-like object without a fingerprint
        return fingerprint([" ".join(t) for t in tokens.tokens])


def _coherence(top_terms, texts, measure, top_n) -> list[float]:
    if measure not in _MEASURES:
        raise ParameterError(f"measure must be one of {_MEASURES}, got {measure!r}")
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    texts = [list(t) for t in texts if len(t)]
    dictionary = Dictionary(texts)
    unknown = {w for ts in top_terms for w in ts if w not in dictionary.token2id}
    if unknown:
        raise ParameterError(f"texts do not contain the top terms {sorted(unknown)[:5]}; "
                             "pass the texts the model was fitted on")
    kw = {"texts": texts}
    if measure == "u_mass":
        kw = {"corpus": [dictionary.doc2bow(t) for t in texts]}
    cm = CoherenceModel(topics=top_terms, dictionary=dictionary, coherence=measure,
                        topn=top_n, processes=1, **kw)
    return [float(x) for x in cm.get_coherence_per_topic()]


def _snippet(text: str, terms: list[str], width: int) -> str:
    pos = [p for p in (text.find(t) for t in terms) if p >= 0]
    start = max(0, min(pos) - width // 4) if pos else 0
    s = text[start:start + width].replace("\n", " ")
    return ("…" if start > 0 else "") + s + ("…" if start + width < len(text) else "")


def _sorted_groups(values: pd.Series) -> list:
    uniq = pd.unique(values)
    try:
        return sorted(uniq)
    except TypeError:
        return sorted(uniq, key=str)


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _check_int(name: str, value, low: int, none_ok: bool = False) -> None:
    """ParameterError naming ``name`` unless ``value`` is an int >= ``low`` (or None when
    ``none_ok``)."""
    if value is None and none_ok:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(f"{name} must be {'None or ' if none_ok else ''}an int >= {low}, "
                             f"got {value!r}")


def _check_bootstrap(ci, n_boot, resample):
    if isinstance(ci, bool) or not isinstance(ci, (int, float, np.floating)) or not 0 < ci < 1:
        raise ParameterError(f"ci must be a number between 0 and 1 (e.g. 0.95), got {ci!r}")
    _check_int("n_boot", n_boot, 0)
    if resample not in ("unit", "document"):
        raise ParameterError(f"resample must be 'unit' or 'document', got {resample!r}")


def _jsonable(x):
    """Parameters and configs as JSON-safe values (sets sorted, paths as str)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (set, frozenset)):
        return sorted(_jsonable(v) for v in x)
    if isinstance(x, os.PathLike):
        return os.fspath(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    if isinstance(x, np.random.Generator):
        return "numpy.random.Generator"
    return repr(x)


def _write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, allow_nan=True), encoding="utf-8")


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _frame_to_json(df: pd.DataFrame) -> dict:
    cols = {}
    for c in df.columns:
        s = df[c]
        cols[str(c)] = {"dtype": str(s.dtype),
                        "values": [None if _isna(v) else _jsonable(v) for v in s.tolist()]}
    return {"columns": list(map(str, df.columns)), "data": cols}


def _frame_from_json(obj: dict) -> pd.DataFrame:
    out = {}
    for c in obj["columns"]:
        spec = obj["data"][c]
        s = pd.Series(spec["values"], dtype=object)
        dtype = spec["dtype"]
        if dtype != "object":
            try:
                s = s.astype(dtype)
            except (TypeError, ValueError):
                pass
        out[c] = s
    return pd.DataFrame(out, columns=obj["columns"])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
