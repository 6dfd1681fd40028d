"""The :class:`TopicModel`: parameters, fitting, topics, document shares, quality."""
from __future__ import annotations

import json
import os
import time
import warnings
from collections import Counter

import numpy as np
import pandas as pd

from .._util import (
    check_n_jobs,
    check_random_state,
    check_scalar,
    units_fingerprint,
    progress_bar,
    _renamed_message,
    renamed_parameters,
    seed_from,
    versions,
)
from ..errors import ParameterError
from ._common import (
    _FORMAT,
    _MISSING_LEVEL,
    _UNIT_COLS,
    _UNITS,
    DEFAULT_ALPHA,
    DEFAULT_ETA,
    DEFAULT_INIT,
    DEFAULT_MAX_DF,
    DEFAULT_ITERATIONS,
    DEFAULT_MIN_DF,
    _check_prevalence_columns,
    _covariate_labels,
    _prepare_units,
    _tokens_fingerprint,
)
from . import _cache
from ._effects import _EffectsMixin
from ._groups import SHARES, _GroupsMixin
from ._persistence import _jsonable, _PersistenceMixin
from ._priors import _INITS, _chain_priors, _check_seeds, _join_seed_phrases, _seed_topics
from ._terms import NOT_HELD, _stock_words, _TermsMixin

# provenance_["widespread_terms"]: kept terms in more than this share of the units
_WIDESPREAD = 0.3
_WIDESPREAD_LISTED = 50   # provenance_ lists at most this many (document units have hundreds)
# fit warns about the terms min_df / max_df left out when min_df is more than this share of
# the units (a small corpus: 10 of 224 paragraphs; the 27 plans' 1,498 paragraphs: 0.7%) or
# when those terms hold at least _LEFT_OUT_SHARE of the tokens (the 27 plans: 32%, the work
# reports: 17%, the 30 digital-economy policies: 33%)
_SMALL_MIN_DF_SHARE = 0.02
_LEFT_OUT_SHARE = 0.5
_LEFT_OUT_LISTED = 20     # provenance_["terms_left_out"] lists at most this many of each


class TopicModel(_TermsMixin, _GroupsMixin, _EffectsMixin, _PersistenceMixin):
    """Latent Dirichlet allocation with reproducible fitting and tidy results.

    The model sees the tokens it is given: a term of your field that the tokenizer splits
    (数据交易 -> 数据 交易) enters it as its pieces, and ``fit`` does not say so (it has
    no text to check against). Before fitting, name the terms you expect to
    ``bt.frequencies(tokens, terms=[...])``, whose ``split`` column and warning count the
    split mentions, or run ``bt.discover_terms(corpus)`` for the ones you did not think
    of; then tokenize with ``bt.Tokenizer(user_dict={...})``. On 30 digital-economy
    policies (tests/data/digital_economy_topics) 数据交易 (32 of 32 mentions), 智能算力
    (14) and 标识解析 (18) were split: ``frequencies`` named all three, ``discover_terms``
    ranked 数据交易 third and missed the two others (templated text gives a term too few
    different neighbours). ``seed_words`` joins its own split seeds back.

    Parameters
    ----------
    n_topics : int
        Number of topics K (>= 2). :func:`select_k` helps choose it.
    random_state : None | int | numpy Generator
        Seed. A fixed int gives identical results in every process (with ``n_jobs=1``).
        It is also the seed of the model's bootstraps (``prevalence``, ``trends``,
        ``difference``, ``effects``) when they are given none.
    unit : "paragraph" | "document"
        Fit on paragraphs (default; results aggregate to documents by token-weighted
        means) or on whole documents.
    engine : "tomotopy" | "gensim"
        tomotopy's collapsed Gibbs sampler (default) or gensim's variational ``LdaModel``
        (streaming; for corpora that do not fit in memory, no ``prevalence``).
    iterations : int or None
        Gibbs sweeps (tomotopy, default 1000) or passes over the corpus (gensim, default 20).
        With tomotopy and at least 100 sweeps, the topics and proportions reported are
        means over the sampler's states every 10 sweeps in the last 60% of the sweeps
        (posterior means rather than one sample: more stable across seeds, see
        benchmarks/TOPICS.md); 20 of those states are kept in ``doc_topic_draws_``.
        ``transform`` infers with the sampler's last state.
    init : "nmf" | "random"
        The word prior the Gibbs chain starts from and keeps (tomotopy). ``"nmf"``
        (default since 0.3.0): a non-negative matrix factorisation of the units' TF-IDF
        (scikit-learn ``NMF``, ``init="nndsvd"``), computed the same way whatever the
        ``random_state``. tomotopy cannot set the first topic assignments, so the NMF is
        passed as word priors, which the sampler draws the first assignments from **and
        keeps for the whole chain**: it is a data-derived prior (an asymmetric ``eta``),
        not only a start. Each word keeps the total prior mass of a symmetric prior
        (``eta`` times K), half spread evenly over the topics and half following the NMF's
        topics for the word (0.25 pseudo-counts at K = 10, against a common word's
        hundreds of tokens; it steers rare words). Every seed shares it, so seeds agree and
        topics keep their numbers: that agreement is partly the prior's doing and says a
        rerun gives the same topics, not that other documents would. The default was
        decided on a third corpus (PKU news sentences; neither benchmark reports it) by a
        rule fixed before the run: random starts were not better across random halves of
        the documents by more than one sd of the splits (resampling stability 0.429
        against 0.397 at K = 10, 0.411 against 0.401 at K = 20, sd 0.02-0.035), and the
        prior gave the higher held-out likelihood and halves' top terms that overlap well
        above shuffled text's (0.168 against 0.101), at a cost in NPMI at K = 20 (0.011
        against 0.054). On the plans, random starts are ahead across halves by about one
        sd (0.420 against 0.378 at K = 10) and behind in NPMI (0.067 against 0.083)
        (benchmarks/TOPICS.md, "Resampling stability"; ``select_k``'s resampling columns
        measure it on your corpus).
        ``"random"``: tomotopy's uniform random start and a symmetric ``eta`` (the behaviour
        before 0.3.0). With ``seed_words`` the seeded topics start from their seeds and the
        free topics from an NMF with as many components; the gensim engine starts its own
        way (recorded as "random"). ``provenance_["init"]`` records the start used.
    alpha : float
        Document-topic prior. tomotopy re-estimates an asymmetric alpha every 10 sweeps
        starting from this value; gensim uses it as a fixed symmetric prior.
    eta : float
        Topic-term prior (smaller: topics concentrated on fewer terms). Default 0.05 since
        0.2.0 (0.01 before): with state averaging it gave the highest NPMI and stability
        in the benchmark.
    prevalence : None | str | list of str
        Metadata columns (e.g. ``"region"``, ``["region", "year"]``) on which topic
        prevalence depends, as in R's stm: tomotopy's Dirichlet-multinomial regression. Each
        column is categorical; a missing value is its own level ``"(missing)"`` (with a
        warning). Its priors: :meth:`prevalence_effects`; covariate effects with intervals,
        on any model: :meth:`effects`. (The value is read back
        with ``get_params()["prevalence"]``: the attribute name belongs to the method
        :meth:`prevalence`.)
    min_df : int
        Leave out terms found in fewer units than this (default 10: a term seen in a
        handful of paragraphs cannot be placed in a topic reliably, and such terms were the
        main source of incoherent topics in the benchmark). On a small corpus (a few
        hundred paragraphs) lower it, e.g. to 2-5; the terms left out are still in the
        coherence reference texts and in ``tokens``. ``provenance_["terms_left_out"]``
        counts the terms ``min_df`` and ``max_df`` left out, with their share of the
        tokens and the most frequent; ``fit`` warns, naming them, when ``min_df`` is more
        than 2% of the units or they hold half the tokens or more (30 digital-economy
        policies, 224 paragraphs: 200 terms, 26% of the tokens, among them 标识, 解析 and
        东数西算; the built-in corpora: no warning). The default does not scale with the
        corpus: on those 30 policies ``min_df=3`` kept the theme words but did not
        separate the four planted themes better at K = 4, and a scaled default would
        change every model of fewer than 1,000 units.
    max_df : float or None
        Leave out terms found in more than this share of units. Default (None): 0.3 when
        fitting on paragraphs (since 0.3.0; 1.0 before), 1.0 (keep all) on whole documents.
        A term in more than 30% of the paragraphs (the work reports: 发展 in 46%, 建设 in
        34%) sits in the top terms of most topics and says nothing about any; leaving such
        terms out raised NPMI on the work reports (K=20: 0.085 against 0.074-0.077) and
        changes nothing on the 27 plans, where no term is that common (benchmarks/TOPICS.md).
        Where even the terms in more than 10% are everywhere (the work reports: 44 terms),
        ``max_df=0.1, eta=0.1`` gave more coherent topics still; in the Belt and Road plans
        those terms (一带一路, 合作) are the subject, so that is not the default.
        ``provenance_["widespread_terms"]`` lists the terms found in more than 30% of the
        units, with their shares, whether or not ``max_df`` left them out (the work reports'
        paragraphs: 发展 0.464, 建设 0.34; the 27 plans': none; Guangxi's, Gansu's and
        Henan's plans alone: 建设, 合作 about 0.5); ``provenance_["max_df"]`` the share used.
        (Called ``max_df_share`` before 0.2.0; that name was removed in 0.3.0.)
    stopwords : None | "policy" | "general" | "all" | path | iterable of str
        Terms left out of the model, in addition to what the tokenizer removed (default
        None). ``"policy"`` removes the boilerplate of government plans (加强, 推进,
        积极...); in the benchmark that *lowered* coherence (boilerplate verbs co-occur
        with the content words of their topic), and labels pass over it, so it is an option
        rather than the default. Where the documents' preambles and closing safeguards
        gather in topics of their own (``stock_topics_``, labelled "<terms> (stock
        words)"), ``fit`` warns and ``stopwords="policy"`` keeps those words out of the
        other topics; a topic of the preambles remains (on the 30 digital-economy
        policies 数字经济·实际·高质量发展, what is left of 为贯彻落实…，结合本省实际，制定本
        方案) and stays flagged: the stock words its units hold are counted back
        (``stock_topics_``).
    min_length : int
        Leave out terms shorter than this many characters (default 1 keeps single
        characters such as 省, 港; 2 made K=20 models less coherent in the benchmark).
        (``min_chars`` before 0.2.0.)
    n_jobs : int
        tomotopy threads (-1: all cores). More than 1 is faster but not bit-reproducible
        (and such a fit is not cached: ``fit``'s ``cache``). (``workers`` before 0.2.0.)
    seed_words : None | dict | "five_connectivities"
        Seeded topics: ``{"设施联通": ["铁路", "港口", ...], "贸易畅通": [...]}`` makes
        topics 0, 1, ... start from these keywords (tomotopy word priors: a seed word's
        prior is raised in its topic and lowered elsewhere, and the other words' prior in
        the seeded topics is eta / 100, so a seeded topic holds its keywords and the words
        that keep their company rather than general vocabulary), in the given order and
        with the given names as labels in every table; the other ``n_topics -
        len(seed_words)`` topics are free. ``"five_connectivities"`` seeds the five
        connectivities (政策沟通, 设施联通, 贸易畅通, 资金融通, 民心相通) from the bundled
        dictionary. A seed the tokenizer splits (合作协议 -> 合作 协议) is joined back where
        consecutive tokens spell it (``provenance_["seed_phrases_joined"]``, also in
        ``transform``). Seed words found in the corpus stay in the vocabulary whatever
        ``min_df``; those not found are reported with a warning
        (``provenance_["seed_words_missing"]``). tomotopy only.
    progress : bool or None
        Progress bar (None: on in a terminal, off in CI).

    Attributes
    ----------
    topic_term_ : ndarray (K, V) — p(term | topic)
    doc_topic_ : ndarray (N, K) — the sampler's topic proportions of the fitted units'
        kept tokens, prior-smoothed; :meth:`doc_topics` reports shares of all the tokens
    doc_topic_draws_ : ndarray (S, N, K) or None — proportions at S states of the sampler
        (tomotopy; ``topic_term_`` and ``doc_topic_`` are means over the states of the last
        60% of the sweeps), the draws :meth:`effects` composes over
    vocabulary_ : list of str — the V terms (set by ``fit``, as every attribute here)
    term_frequency_ : ndarray (V,) — each term's count in the fitted units
    units_ : DataFrame — the fitted units (doc_id, parent_id, metadata, n_tokens)
    dropped_units_ : DataFrame — units left out (doc_id, parent_id, n_tokens_before, reason)
    alpha_ : ndarray (K,) — fitted document-topic prior
    random_state_ : int — the seed actually used
    provenance_ : dict — versions, parameters, corpus fingerprint, sizes, fit seconds
    from_cache_ : bool — whether ``fit`` took the model from the on-disk cache (the
        model a fresh fit gives; ``provenance_["fit_seconds"]`` is the stored fit's)
    cache_path_ : str or None — the cache entry read or written by ``fit`` (None: none)

    >>> import bri_text as bt
    >>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃", "河南"])
    >>> model = bt.TopicModel(4, random_state=1, min_df=3).fit(bt.tokenize(plans))
    >>> model
    TopicModel(4, random_state=1, min_df=3)  # fitted on 228 paragraphs of 4 documents
    >>> model.label_topics().tolist()
    ['郑州·枢纽·航线', '东盟·中国—东盟·文化', '企业·业务·引进', '空中丝绸之路·丝绸之路经济带·郑州—卢森堡']
    """

    @renamed_parameters(workers="n_jobs", min_chars="min_length", max_df_share="max_df")
    def __init__(self, n_topics: int = 10, *, random_state=None, unit: str = "paragraph",
                 engine: str = "tomotopy", iterations: int | None = None,
                 init: str = DEFAULT_INIT, alpha: float = DEFAULT_ALPHA,
                 eta: float = DEFAULT_ETA, prevalence=None,
                 min_df: int = DEFAULT_MIN_DF, max_df: float | None = None, stopwords=None,
                 min_length: int = 1, n_jobs: int = 1, seed_words=None,
                 progress: bool | None = None):
        self.n_topics = n_topics
        self.random_state = random_state
        self.unit = unit
        self.engine = engine
        self.iterations = iterations
        self.init = init
        self.alpha = alpha
        self.eta = eta
        # stored under another name: ``prevalence`` is also the method prevalence(by=...)
        self._prevalence_param = prevalence
        self.min_df = min_df
        self.max_df = max_df
        self.stopwords = stopwords
        self.min_length = min_length
        self.n_jobs = n_jobs
        self.seed_words = seed_words
        self.progress = progress

    # ================================================================ parameters
    _PARAMS = ("n_topics", "random_state", "unit", "engine", "iterations", "init", "alpha",
               "eta", "prevalence", "min_df", "max_df", "stopwords", "min_length", "n_jobs",
               "seed_words", "progress")
    # names before 0.2.0: saved models with them still load; as arguments they raise
    _OLD_PARAMS = {"workers": "n_jobs", "min_chars": "min_length", "max_df_share": "max_df"}
    # False (select_k's models, which only read topics): doc_topic_ is the sampler's last
    # state rather than the mean over states, and doc_topic_draws_ is None; topics unchanged
    _doc_topic_states = True
    # iterations of the NMF behind init="nmf" (None: _priors._NMF_ITER); select_k's fits
    # set fewer (_select_k.SELECT_K_NMF_ITER)
    _nmf_iter = None

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
            if k in self._OLD_PARAMS:
                raise ParameterError(_renamed_message("TopicModel.set_params", k,
                                                      self._OLD_PARAMS[k]))
            if k not in self._PARAMS:
                raise ParameterError(f"unknown parameter {k!r}; parameters: {self._PARAMS}")
            setattr(self, "_prevalence_param" if k == "prevalence" else k, v)
        return self

    def __repr__(self) -> str:
        defaults = TopicModel().get_params()
        args = [repr(self.n_topics)] + [f"{k}={v!r}" for k, v in self.get_params().items()
                                        if k != "n_topics" and v != defaults[k]]
        text = f"TopicModel({', '.join(args)})"
        fitted = getattr(self, "provenance_", {}).get("fitted_on")
        if fitted and getattr(self, "from_cache_", False):
            fitted += " (from the cache)"
        return f"{text}  # fitted on {fitted}" if fitted else text

    def _check_params(self) -> None:
        check_scalar(self.n_topics, "n_topics", min_val=2)
        check_random_state(self.random_state)  # ParameterError for a negative or odd seed
        if self.engine not in ("tomotopy", "gensim"):
            raise ParameterError(
                f"engine must be 'tomotopy' or 'gensim', got {self.engine!r}")
        if self.unit not in _UNITS:
            raise ParameterError(f"unit must be 'paragraph' or 'document', got {self.unit!r}")
        check_scalar(self.iterations, "iterations", min_val=1, allow_none=True)
        if self.init not in _INITS:
            raise ParameterError(f"init must be one of {_INITS}, got {self.init!r}")
        for name in ("alpha", "eta"):
            check_scalar(getattr(self, name), name, "real", min_val=0, include_min=False)
        check_scalar(self.min_df, "min_df", min_val=1)
        check_scalar(self.min_length, "min_length", min_val=1)
        check_scalar(self.max_df, "max_df", "real", min_val=0, max_val=1, include_min=False,
                     allow_none=True)
        check_n_jobs(self.n_jobs)
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
            from .._lexicons import load_stopwords

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
    def fit(self, tokens, y=None, *, stock_tokens=None, cache="auto",
            cache_dir=None) -> "TopicModel":
        """Fit the model on :class:`bri_text.Tokens` (documents or paragraphs).

        Returns ``self``. Raises :class:`~bri_text.errors.ParameterError` when ``n_topics``
        exceeds the number of units or filtering leaves no vocabulary.

        ``stock_tokens``: when the tokenizer already left the stock words of government
        documents out of ``tokens`` (``stopwords=("general", "policy")``, as the report's
        tokens), the same units tokenized keeping them (the same tokenizer with
        ``stopwords="general"``): :attr:`stock_topics_` counts the stock words back from
        these, as it does for the words the model's own ``stopwords`` left out, so that a
        topic of the preambles is still flagged. The fit itself reads ``tokens`` only.

        ``cache``: a fit with a fixed ``random_state`` and ``n_jobs=1`` is looked up in an
        on-disk cache first and, on a miss, stored there (``"auto"``, the default: stored
        when it took 2 s or more; ``True``: always; ``False``: no cache). The key holds
        everything that determines the result (every token and metadata value of the
        units, every parameter, the library versions), so a model from the cache is the
        model a fresh fit gives, with the same warnings; ``from_cache_`` says which it
        was (and one ``logging`` INFO line of ``"bri_text.topics"``). ``cache_dir``: the
        folder (default ``$BRI_TEXT_CACHE_DIR``, else ``~/.cache/bri_text``, as the
        segmentation cache); ``bt.clear_cache()`` empties it. ``BRI_TEXT_TOPIC_CACHE=0``
        in the environment turns ``"auto"`` off (unless ``cache_dir`` is given).

        >>> model = bt.TopicModel(4, random_state=1, min_df=3).fit(tokens)
        >>> model.provenance_["fitted_on"]
        '228 paragraphs of 4 documents'
        """
        self._check_params()
        cols = self._prevalence_cols()
        seed = self._resolve_seed()
        units, raw = self._units(tokens, cols)
        stock_raw = self._stock_units(stock_tokens, units)
        self.__dict__.pop("_lambda_cache", None)   # an earlier fit's DMR priors
        store, always = self._cache_store(cache, cache_dir)
        self.from_cache_, self.cache_path_ = False, None
        if store is None:
            return self._fit_units(tokens, stock_tokens, seed, cols, units, raw, stock_raw)
        key = _cache.key_of("model", self._cache_parts(seed, units, raw, stock_raw, tokens,
                                                       stock_tokens))
        hit = store.load_model(key, type(self))
        if hit is not None:
            return self._from_cache(hit, store, key)
        t0 = time.perf_counter()
        with _cache.Recorder() as rec:
            self._fit_units(tokens, stock_tokens, seed, cols, units, raw, stock_raw)
        records = _cache.as_records(rec.log)
        if always or time.perf_counter() - t0 >= _cache.AUTO_MIN_SECONDS:
            self.cache_path_ = store.save_model(key, self, records)
        _cache.replay(records, stacklevel=2)
        return self

    def _fit_units(self, tokens, stock_tokens, seed, cols, units, raw, stock_raw):
        """The fit proper, on the units :meth:`fit` prepared."""
        seeds = self._seed_topics()
        raw, phrases_joined = _join_seed_phrases(raw, {w for _, ws in seeds for w in ws})
        if stock_raw is not None:
            stock_raw, _ = _join_seed_phrases(stock_raw, {w for _, ws in seeds for w in ws})
        vocab, counts, filtered, widespread, left_out = self._build_vocabulary(
            raw, {w for _, ws in seeds for w in ws})
        seeds, seeds_missing = _check_seeds(seeds, counts)
        units, docs, dropped = self._drop_empty(units, raw, filtered, len(vocab))
        covariates = self._covariates(units, cols) if cols else None

        iterations = self.iterations or DEFAULT_ITERATIONS[self.engine]
        from ._engines import ENGINES

        engine = ENGINES[self.engine](self.n_topics, seed, iterations, float(self.alpha),
                                      float(self.eta), check_n_jobs(self.n_jobs),
                                      dmr=bool(cols), doc_topic_states=self._doc_topic_states)
        # a tqdm bar updated by hand, or None when progress is off
        bar = progress_bar(None, total=iterations, desc=f"LDA K={self.n_topics}",
                           progress=self.progress)
        t0 = time.perf_counter()
        init = self.init if self.engine == "tomotopy" else "random"
        priors = _chain_priors(init, seeds, docs, vocab, self.n_topics, float(self.eta),
                               self._nmf_iter)
        try:
            engine.fit(docs, vocab, covariates, progress_cb=bar.update if bar else None,
                       word_priors=priors)
        finally:
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - t0

        self._engine = engine
        self.random_state_ = seed
        self.vocabulary_ = vocab
        self.topic_term_ = engine.topic_term
        self.doc_topic_ = engine.doc_topic
        self.doc_topic_draws_ = getattr(engine, "doc_topic_draws", None)
        self.alpha_ = engine.alpha
        # filtering removes whole terms, so a kept term's count is the same after it
        self.term_frequency_ = np.array([counts[w] for w in vocab], dtype=np.float64)
        self.units_ = units.assign(n_tokens=[len(d) for d in docs])
        self.dropped_units_ = dropped
        self._texts = raw  # reference texts for coherence: all units, tokens as given
        self._stock_texts = stock_raw  # the units with the stock words (stock_topics_)
        self.provenance_ = {
            "format": _FORMAT,
            "versions": versions(),
            "parameters": _jsonable(self.get_params()),
            "random_state_": seed,
            "iterations": iterations,
            "init": init,
            "max_df": self._max_df(),
            "corpus_fingerprint": _tokens_fingerprint(tokens),
            "units_fingerprint": units_fingerprint(
                [" ".join(t) for t in raw], extra=json.dumps(units["doc_id"].tolist())),
            "tokenizer": _jsonable(getattr(tokens, "config", None)),
            "fitted_on": _describe_units(units),
            "n_units": int(len(units)),
            "n_units_dropped": int(len(dropped)),
            "n_tokens": int(sum(len(d) for d in docs)),
            "vocabulary_size": len(vocab),
            "fit_seconds": round(seconds, 3),
            "seed_words_used": {name: ws for name, ws in seeds},
            "seed_words_missing": seeds_missing,
            "seed_phrases_joined": phrases_joined,
            "widespread_terms": dict(list(widespread.items())[:_WIDESPREAD_LISTED]),
            "n_widespread_terms": len(widespread),
            "reproducible": check_n_jobs(self.n_jobs) == 1,
            "terms_left_out": left_out,
            "stock_tokens_fingerprint": (None if stock_tokens is None
                                         else _tokens_fingerprint(stock_tokens)),
        }
        self._warn_terms_left_out(left_out, len(raw))
        if seeds:
            self._warn_seeds_not_held()
        self._warn_stock_topics()
        return self

    def _cache_store(self, cache, cache_dir):
        """(the cache :meth:`fit` uses or None, whether it stores every fit): none for a
        fit that is not reproducible (no ``random_state``, or ``n_jobs`` > 1)."""
        store, always = _cache.resolve(cache, cache_dir, "TopicModel.fit")
        if store is None:
            return None, False
        why = ("random_state=None draws a new seed each time" if self.random_state is None
               else f"n_jobs={self.n_jobs} gives results that differ from n_jobs=1 and are "
               "not promised to repeat" if check_n_jobs(self.n_jobs) != 1 else None)
        if why is None:
            return store, always
        if cache is True or isinstance(cache, np.bool_):
            warnings.warn(f"TopicModel.fit: cache=True, but the fit is not cached: {why}",
                          stacklevel=3)
        else:
            _cache.logger.info("TopicModel.fit: not cached: %s", why)
        return None, False

    def _cache_parts(self, seed, units, raw, stock_raw, tokens, stock_tokens) -> dict:
        """What the fit's result depends on, as the cache key hashes it: the parameters
        as :meth:`fit` resolves them and the units' tokens and metadata."""
        params = {k: v for k, v in self.get_params().items()
                  if k not in ("progress", "random_state", "stopwords", "seed_words")}
        return {
            "params": _jsonable(params), "seed": seed,
            "n_jobs": check_n_jobs(self.n_jobs),
            "stopwords": sorted(self._stopword_set()),
            "seed_words": _jsonable(self._seed_topics()),
            "prevalence": self._prevalence_cols(),
            "iterations": self.iterations or DEFAULT_ITERATIONS[self.engine],
            "max_df": self._max_df(), "doc_topic_states": bool(self._doc_topic_states),
            "nmf_iter": self._nmf_iter,
            "tokens_fingerprint": _tokens_fingerprint(tokens),
            "tokenizer": _jsonable(getattr(tokens, "config", None)),
            "stock_tokens_fingerprint": (None if stock_tokens is None
                                         else _tokens_fingerprint(stock_tokens)),
            "data": _cache.data_digest(units, raw, stock_raw),
        }

    def _from_cache(self, hit, store, key) -> "TopicModel":
        """Take the fitted state of the model found in the cache; show its fit's warnings."""
        model, entry = hit
        own = set(self._PARAMS) | {"_prevalence_param"}
        for name, value in vars(model).items():
            if name not in own:
                setattr(self, name, value)
        self.from_cache_, self.cache_path_ = True, store.model_path(key)
        _cache.logger.info("TopicModel.fit: loaded from the cache %s (fitted %s in %s s); "
                           "fit(..., cache=False) fits again", self.cache_path_,
                           entry.get("created"), entry.get("fit_seconds"))
        _cache.replay(entry.get("warnings", []), stacklevel=3)
        return self

    def _stock_units(self, stock_tokens, units) -> list[list[str]] | None:
        """``stock_tokens``' token lists at the model's unit, checked against ``units``
        (the units of ``tokens``: the same ids in the same order); None when not given."""
        if stock_tokens is None:
            return None
        s_units, s_raw = _prepare_units(stock_tokens, self.unit)
        ids, s_ids = units["doc_id"].astype(str).tolist(), s_units["doc_id"].astype(str).tolist()
        if ids != s_ids:
            at = next((i for i, (a, b) in enumerate(zip(ids, s_ids)) if a != b),
                      min(len(ids), len(s_ids)))
            raise ParameterError(
                f"fit: stock_tokens must be the units of tokens tokenized keeping the stock "
                f"words; they have {len(s_ids)} units, tokens {len(ids)}, first different "
                f"at unit {at} ({s_ids[at] if at < len(s_ids) else 'none'!r} vs "
                f"{ids[at] if at < len(ids) else 'none'!r})")
        return s_raw

    def _warn_stock_topics(self) -> None:
        """Warn, naming them, when topics are mostly the stock words of government
        documents (audit s40: the preambles and closing safeguards of 30 digital-economy
        policies took two of four topics, labelled 数字经济·意见·制定 and 加强·政务服务·部门)."""
        stock = self.stock_topics_
        self.provenance_["stock_topics"] = list(stock)
        if not stock:
            return
        words = _stock_words()
        by_model = bool(words & self._stopword_set())
        left_out = by_model or self._stock_texts_given()
        tops = (self._stock_top().groupby("topic")["term"].agg(list) if left_out
                else self._top_lists(10))
        what = "; ".join(f"topic {k} ({'、'.join(w for w in tops[k] if w in words)[:40]})"
                         for k in stock)
        if left_out:      # the stock words were put back from the topic's units
            who = (f"stopwords={self.stopwords!r} left them out of the model" if by_model
                   else "the tokenizer left them out of the tokens fitted (counted back "
                   "from stock_tokens)")
            how = (f"; its units hold them, though {who} (its own terms are what remains "
                   "of a preamble or safeguards paragraph)")
            remedy = ("Leave such paragraphs out before fitting, or read the topic as the "
                      "documents' form")
        else:             # the words as before (notebook 07's output)
            how = ""
            remedy = ("Refit with TopicModel(..., stopwords=\"policy\") to leave these "
                      "words out of the model (lexicons/stopwords_policy.txt)")
        warnings.warn(
            f"TopicModel.fit: {len(stock)} of {self.n_topics} topics are mostly stock words "
            f"of government documents: {what}{how}. Such a topic gathers the documents' "
            "form (preambles, closing safeguards, the stock verbs of a period's style) more "
            "than a theme: read its documents (model.representative_docs(k)) before reading "
            "its share as a finding; its label reads '<terms> (stock words)' "
            f"(model.stock_topics_). {remedy}", stacklevel=4)

    def _warn_seeds_not_held(self) -> None:
        """Record :attr:`seed_check_` in ``provenance_["seed_check"]``; warn, naming the
        seed set, its share in its topic and where its seeds went, when seeds left their
        topic (audit s36: a second seeded topic of rare words could strip the first)."""
        check = self.seed_check_
        self.provenance_["seed_check"] = _jsonable(
            check.drop(columns="seed_words").to_dict("records"))
        lost = check[~check["held"]]
        if lost.empty:
            return
        labels = self.topics(top_n=3, sort="frex").groupby("topic")["term"].agg("·".join)
        what = "; ".join(
            f"'{r.name}' ({'/'.join(r.seed_words[:3])}): topic {r.topic} holds "
            f"{r.seed_share:.0%} of their tokens (seed mass {r.seed_mass:.3f}), topic "
            f"{r.densest_topic} ({labels[r.densest_topic]}) {r.densest_share:.0%}"
            for r in lost.itertuples())
        warnings.warn(f"TopicModel.fit: the seeds did not hold for {what}. Their labels "
                      f"read '<name>{NOT_HELD}' (model.seed_check_); try other seed words, "
                      "fewer seeded topics or another random_state", stacklevel=4)

    def _units(self, tokens, cols) -> tuple[pd.DataFrame, list[list[str]]]:
        """The units to fit and their tokens, after checking there are enough of them and
        that they have the ``prevalence`` columns ``cols``."""
        units, raw = _prepare_units(tokens, self.unit)
        _check_prevalence_columns(units, cols, "fit")
        n_nonempty = sum(1 for d in raw if d)
        if self.n_topics > n_nonempty:
            raise ParameterError(
                f"n_topics={self.n_topics} is larger than the number of units with tokens "
                f"({n_nonempty} of {len(raw)} {self.unit} units); choose fewer topics or fit "
                "on paragraphs (unit='paragraph')")
        return units, raw

    def _drop_empty(self, units, raw, filtered, n_vocab: int):
        """(units kept, their filtered tokens, the table of units left out) after
        vocabulary filtering: units with no token left are dropped, with a warning."""
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
                stacklevel=4)
        if self.n_topics > len(keep):
            raise ParameterError(
                f"n_topics={self.n_topics} is larger than the number of units left after "
                f"vocabulary filtering ({len(keep)}); choose fewer topics or lower min_df")
        if self.n_topics > n_vocab:
            raise ParameterError(
                f"n_topics={self.n_topics} is larger than the vocabulary ({n_vocab} terms "
                f"in at least min_df={self.min_df} units); choose fewer topics or lower "
                "min_df")
        return units.iloc[keep].reset_index(drop=True), [filtered[i] for i in keep], dropped

    def _seed_topics(self) -> list[tuple[str, list[str]]]:
        """``seed_words`` as [(name, [words])] in the given order, checked."""
        return _seed_topics(self.seed_words, self.n_topics, self.engine)

    def _method_seed(self, random_state):
        """The seed of a method that resamples (prevalence, trends, difference, effects):
        its own ``random_state``, else the model's (``random_state_``, when the model was
        given one), else None: fresh randomness, which the result's attrs say."""
        if random_state is None and self.random_state is not None:
            return self.random_state_
        return random_state

    def _resolve_seed(self) -> int:
        # None draws a fresh seed (recorded in random_state_), as a Generator would
        return seed_from(check_random_state(None) if self.random_state is None
                         else self.random_state)

    def _build_vocabulary(self, raw: list[list[str]], always=frozenset()):
        stop = self._stopword_set()
        df = Counter()
        for d in raw:
            df.update(set(d))
        n = len(raw)
        max_df = self._max_df() * n
        counts = Counter(w for d in raw for w in d)
        keep = {w for w, c in df.items()
                if (c >= self.min_df and c <= max_df and w not in stop
                    and len(w) >= self.min_length) or w in always}
        if not keep:
            raise ParameterError(
                f"no term is left after vocabulary filtering ({len(df)} distinct terms in "
                f"{n} units; min_df={self.min_df}, max_df={self._max_df()}, "
                f"min_length={self.min_length}, stopwords={self.stopwords!r}); lower min_df, "
                "raise max_df or pass fewer stopwords")
        # order: most frequent first, then by term (deterministic)
        vocab = sorted(keep, key=lambda w: (-counts[w], w))
        filtered = [[w for w in d if w in keep] for d in raw]
        # terms in more than _WIDESPREAD of the units (kept or not), most widespread first
        common = sorted((w for w, c in df.items() if c > _WIDESPREAD * n and w not in stop
                         and len(w) >= self.min_length), key=lambda w: (-df[w], w))
        widespread = {w: round(df[w] / n, 3) for w in common}
        return vocab, counts, filtered, widespread, _left_out(
            df, counts, keep, stop, self.min_length, self.min_df, max_df)

    def _warn_terms_left_out(self, left_out: dict, n_units: int) -> None:
        """Warn, naming the most frequent, when ``min_df`` / ``max_df`` left out terms
        that matter: on a small corpus (``min_df`` more than :data:`_SMALL_MIN_DF_SHARE` of
        the units) or when they hold at least :data:`_LEFT_OUT_SHARE` of the tokens (audit
        s40: min_df=10 on 224 paragraphs of 30 policies left out 200 of 357 terms, 26% of
        the tokens, among them a theme's own 一网通办 and 东数西算)."""
        low, high = left_out["min_df"], left_out["max_df"]
        share = low["token_share"] + high["token_share"]
        small = self.min_df > _SMALL_MIN_DF_SHARE * n_units
        if not low["n_terms"] or not (small or share >= _LEFT_OUT_SHARE):
            return
        top = "、".join(f"{w} ({c})" for w, c in list(low["most_frequent"].items())[:10])
        what = (f"min_df={self.min_df} (a term must be in {self.min_df} of the {n_units} "
                f"units, {self.min_df / n_units:.1%}) left out {low['n_terms']} terms, "
                f"{low['token_share']:.1%} of the tokens; the most frequent (tokens): {top}")
        if high["n_terms"]:
            what += (f". max_df={self._max_df()} left out {high['n_terms']} more "
                     f"({'、'.join(list(high['most_frequent'])[:5])}; "
                     f"{high['token_share']:.1%} of the tokens)")
        warnings.warn(
            f"TopicModel.fit: {what}. A theme's own words can be among them: on a corpus "
            "this small, lower min_df (e.g. TopicModel(..., min_df=3)), or name the words "
            "in seed_words, which keeps them whatever min_df "
            "(model.provenance_[\"terms_left_out\"])", stacklevel=4)

    def _max_df(self) -> float:
        """The share ``max_df`` stands for (None: the default for the unit)."""
        if self.max_df is not None:
            return float(self.max_df)
        return DEFAULT_MAX_DF if self.unit == "paragraph" else 1.0

    @staticmethod
    def _covariates(units: pd.DataFrame, cols: list[str]) -> list[list[str]]:
        """:func:`_covariate_labels`, with a warning for each column with missing values."""
        for c in cols:
            miss = units[c].isna()
            if miss.any():
                warnings.warn(
                    f"prevalence column {c!r} has {int(miss.sum())} units with missing values "
                    f"(documents {sorted(units.loc[miss, 'parent_id'].unique().tolist())[:5]}); "
                    f"they form their own level {_MISSING_LEVEL!r}", stacklevel=4)
        return _covariate_labels(units, cols)

    def _check_fitted(self):
        if not hasattr(self, "topic_term_"):
            raise ParameterError("this TopicModel is not fitted yet; call fit(tokens) first")

    # ================================================================ topics
    @property
    def n_topics_(self) -> int:
        self._check_fitted()
        return self.topic_term_.shape[0]

    # ================================================================ documents
    def doc_topics(self, level: str = "unit") -> pd.DataFrame:
        """Topic shares per unit (``level="unit"``) or per document
        (``level="document"``: its units' topic tokens summed, i.e. token-weighted means
        of their shares), with metadata.

        A share is the topic's share of **all** the row's tokens, ``n_tokens``: the
        sampler's token counts with the prior smoothing taken out, plus the tokens of
        terms ``max_df`` left out of the model, placed in the topics by an EM with the
        fitted topics fixed (``attrs["shares"]``). These are the shares :meth:`effects`
        regresses and :meth:`prevalence` / :meth:`trends` sum over groups. Before 0.5.0
        they were the smoothed proportions of the kept tokens (``doc_topic_``, still the
        model's attribute), which inflated small topics (issue 31).

        Columns: ``doc_id`` (and ``parent_id`` for units), metadata, ``n_tokens``, then one
        column per topic, named by its number (0 .. K-1). All topics are given, with no
        probability cut-off; the table is the same on every call.

        >>> shares = model.doc_topics(level="document").set_index("doc_id")
        >>> shares.loc["bri18", [0, 1, 2, 3]].astype(float).round(2).tolist()  # Guangxi's plan
        [0.11, 0.57, 0.17, 0.16]
        """
        self._check_fitted()
        if level not in ("unit", "document"):
            raise ParameterError(f"level must be 'unit' or 'document', got {level!r}")
        if level == "document":
            return self._aggregate_documents()
        counts, n_all = self._topic_tokens()
        meta = self.units_.drop(columns=["text"], errors="ignore").reset_index(drop=True)
        meta["n_tokens"] = np.rint(n_all).astype(int)
        out = pd.concat([meta, pd.DataFrame(counts / n_all[:, None],
                                            columns=range(self.n_topics_))], axis=1)
        out.attrs["shares"] = SHARES
        return out

    def _aggregate_documents(self) -> pd.DataFrame:
        u = self.units_
        order, codes, sums, tot = self._sum_by_document()
        meta_cols = [c for c in u.columns if c not in _UNIT_COLS and c != "n_tokens"]
        first = u.drop_duplicates("parent_id").set_index("parent_id").loc[order, meta_cols]
        meta = first.reset_index().rename(columns={"parent_id": "doc_id"})
        meta["n_units"] = np.bincount(codes, minlength=len(order))
        meta["n_tokens"] = np.rint(tot).astype(int)
        out = pd.concat([meta, pd.DataFrame(sums / tot[:, None], columns=range(
            self.n_topics_))], axis=1)
        out.attrs["shares"] = SHARES
        return out

    def transform(self, tokens, iterations: int = 100) -> pd.DataFrame:
        """Topic shares of new documents, as :meth:`doc_topics` (same unit as fit): the
        sampler infers their kept tokens' proportions (``iterations`` sweeps); the prior
        smoothing is taken out and their tokens of the terms ``max_df`` left out of the
        model are placed in the topics with the fitted topics fixed, so ``n_tokens``
        counts those too (``attrs["shares"]``).

        Terms outside the model's vocabulary are ignored; a unit with no known term gets
        NaN proportions (and a warning). Deterministic for a fitted model.

        >>> hunan = bt.tokenize(bt.load_bri_policies().subset(region="湖南"))
        >>> shares = model.transform(hunan)
        >>> len(shares), model.n_topics, bool(shares[list(range(4))].notna().any(axis=None))
        (80, 4, True)
        """
        units, raw, docs, theta = self._infer(tokens, iterations)
        empty = [units["doc_id"].iloc[i] for i, d in enumerate(docs) if not d]
        if empty:
            warnings.warn(f"transform: {len(empty)} units have no term of the model's "
                          f"vocabulary; their proportions are NaN: {empty[:5]}", stacklevel=2)
        counts, n_all = self._new_topic_tokens(raw, docs, theta)
        meta = units.drop(columns=["text"], errors="ignore").reset_index(drop=True)
        meta["n_tokens"] = np.rint(n_all).astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = counts / n_all[:, None]
        out = pd.concat([meta, pd.DataFrame(shares, columns=range(self.n_topics_))], axis=1)
        out.attrs["shares"] = SHARES
        return out

    def _infer(self, tokens, iterations: int = 100, join_seed_phrases: bool = True):
        """(units, all tokens, kept tokens, theta) of new texts: theta the sampler's
        inferred proportions of the kept tokens, with the prior's smoothing (the posterior
        mean, as held-out likelihood wants it; :meth:`transform` takes the smoothing out).
        ``join_seed_phrases=False``: the caller has joined the seed phrases already."""
        self._check_fitted()
        units, raw = _prepare_units(tokens, self.unit)
        if join_seed_phrases and "seed_phrases_joined" in self.provenance_:
            # (a model saved by 0.2.0 did not join)
            seed_words = self.provenance_.get("seed_words_used") or {}
            raw, _ = _join_seed_phrases(raw, {w for ws in seed_words.values() for w in ws})
        known = set(self.vocabulary_)
        docs = [[w for w in d if w in known] for d in raw]
        covariates = None
        cols = self._prevalence_cols()
        if cols:
            _check_prevalence_columns(units, cols, "transform")
            covariates = _covariate_labels(units, cols)
        return units, raw, docs, self._engine.transform(docs, covariates, iterations)


def _left_out(df: Counter, counts: Counter, keep: set, stop, min_length: int,
              min_df: int, max_df: float) -> dict:
    """The terms ``min_df`` and ``max_df`` left out of the vocabulary (not those of the
    stopwords or ``min_length``): for each, how many, their share of the units' tokens and
    the most frequent (term: tokens, at most :data:`_LEFT_OUT_LISTED`)."""
    total = sum(counts.values()) or 1
    out = {}
    for name, test in (("min_df", lambda c: c < min_df),
                       ("max_df", lambda c: c >= min_df and c > max_df)):
        terms = sorted((w for w, c in df.items() if w not in keep and w not in stop
                        and len(w) >= min_length and test(c)),
                       key=lambda w: (-counts[w], w))
        out[name] = {"n_terms": len(terms),
                     "token_share": round(sum(counts[w] for w in terms) / total, 4),
                     "most_frequent": {w: int(counts[w]) for w in terms[:_LEFT_OUT_LISTED]}}
    return out


def _describe_units(units: pd.DataFrame) -> str:
    """'1,445 paragraphs of 27 documents': what a model was fitted on."""
    kinds = sorted(set(units["unit"].dropna())) if "unit" in units.columns else []
    kind = kinds[0] if len(kinds) == 1 and kinds[0] != "document" else None
    n_docs = units["parent_id"].nunique()
    if kind is None:
        return f"{n_docs:,} documents"
    return f"{len(units):,} {kind}s of {n_docs:,} documents"


# the class is re-exported under the package's name (its __module__): doctest finds its
# methods' examples here, where they are defined
__test__ = {"TopicModel": TopicModel}