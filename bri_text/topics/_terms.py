"""Reading a fitted TopicModel's topics (a TopicModel mixin): top terms, labels, the topic
of some terms, representative units, coherence, diversity and alignment with another model."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._util import check_scalar, renamed_parameters
from ..errors import ParameterError
from ._common import _coherence, _snippet
from ._stats import align_vocabularies, diversity, frex, lift, match_topics, top_indices

if TYPE_CHECKING:
    from ._model import TopicModel


#: What :meth:`label_topics` appends to the name of a seeded topic whose seeds went elsewhere.
NOT_HELD = " (seeds not held)"
#: What :meth:`label_topics` appends to the label of a topic made mostly of stock words.
STOCK = " (stock words)"
#: A topic is a stock topic when stock words of government documents
#: (``lexicons/stopwords_policy.txt``) carry at least this share of the weight of its top 10
#: terms (topics of themes: at most 0.48 on the plans and 0.30 on the digital-economy
#: fixture; the preamble and safeguards topics of that fixture 0.69-0.94). With the stock
#: words of ``stopwords="policy"`` counted back (:func:`_stock_put_back`): themes at most
#: 0.27 on the fixture, 0.39 on the plans, 0.46 on the work reports; the fixture's
#: preamble topic 0.74-0.85 (session 41, benchmarks/bench_stock_topics.py).
STOCK_SHARE = 0.6


def _stock_words() -> frozenset:
    from .._lexicons import load_stopwords

    return frozenset(load_stopwords("policy"))


def _stock_topics(top: pd.DataFrame, stock: frozenset) -> list[int]:
    """The topics whose stock words carry at least :data:`STOCK_SHARE` of the weight of
    their top terms (``top``: :meth:`topics`' table).

    >>> top = pd.DataFrame({"topic": [0, 0, 0, 1, 1, 1], "term": ["加强", "保障", "数据",
    ...     "算力", "数据中心", "加强"], "weight": [0.3, 0.2, 0.1, 0.3, 0.2, 0.1]})
    >>> _stock_topics(top, frozenset({"加强", "保障"}))
    [0]
    """
    share = _stock_shares(top, stock)
    return [int(k) for k, v in share.items() if v >= STOCK_SHARE]


def _stock_shares(top: pd.DataFrame, stock: frozenset) -> pd.Series:
    """Per topic, the share of its top terms' weight (``top``: topic, term, weight) held
    by ``stock`` words."""
    return (top["weight"] * top["term"].isin(stock)).groupby(top["topic"]).sum() \
        / top.groupby("topic")["weight"].sum()


def _stock_put_back(topic_term, doc_topic, vocab, texts, stock: frozenset, min_df: int,
                    max_df: float, top_n: int = 10) -> pd.DataFrame | None:
    """The ``top_n`` terms of each topic (topic, term, weight) with the ``stock`` words
    that are not in the model's vocabulary (left out by its ``stopwords``) put back: each
    counted in topic k as its occurrences in the units weighted by their share of k
    (sum over units of doc_topic[u, k] x count), beside the topic's own terms (topic_term x
    the topic's tokens). Only words in ``min_df`` to ``max_df`` (a share) of the units are
    put back, as the model's vocabulary. ``texts``: every unit's tokens as given to fit
    (those with no vocabulary term were not fitted). None when the units do not match.

    >>> tt = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    >>> dt = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> texts = [["数据", "交易", "探索"], ["算力", "实际", "意见", "意见", "制定"]]
    >>> out = _stock_put_back(tt, dt, ["数据", "交易", "算力"], texts,
    ...                       frozenset({"意见", "制定", "探索"}), 1, 1.0, top_n=3)
    >>> out.query("topic == 1")[["term", "weight"]].values.tolist()
    [['意见', 2.0], ['算力', 1.0], ['制定', 1.0]]
    """
    vs = set(vocab)
    fitted = [t for t in texts if any(w in vs for w in t)]
    theta = np.asarray(doc_topic, dtype=float)
    if len(fitted) != theta.shape[0]:
        return None
    df = Counter(w for t in texts for w in set(t) if w in stock and w not in vs)
    extra = sorted(w for w, c in df.items() if min_df <= c <= max_df * len(texts))
    if not extra:
        return None
    at = {w: i for i, w in enumerate(extra)}
    counts = np.zeros((len(fitted), len(extra)))
    n_tokens = np.zeros(len(fitted))
    for u, t in enumerate(fitted):
        for w in t:
            if w in at:
                counts[u, at[w]] += 1
            elif w in vs:
                n_tokens[u] += 1
    weight = np.hstack([np.asarray(topic_term) * (theta.T @ n_tokens)[:, None],
                        theta.T @ counts])                       # (K, vocab + extra)
    terms = np.array(list(vocab) + extra, dtype=object)
    rows = []
    for k, row in enumerate(weight):
        for j in np.argsort(-row, kind="stable")[:top_n]:
            rows.append((k, terms[j], float(row[j])))
    return pd.DataFrame(rows, columns=["topic", "term", "weight"])


def _seed_check(topic_term, sizes, vocab, seeds: dict) -> pd.DataFrame:
    """Rows of :attr:`seed_check_`: per seeded topic k (0, 1, ... in ``seeds``' order) the
    probability of its seed words in topic k, the share of their tokens in each topic
    (topic_term x topic sizes), and whether k holds the most.

    >>> tt = np.array([[0.5, 0.5, 0.0], [0.0, 0.2, 0.8]])
    >>> _seed_check(tt, np.array([10, 100]), ["铁路", "港口", "文化"], {"铁路": ["铁路"]})[
    ...     ["seed_mass", "seed_share", "held"]].values.tolist()
    [[0.5, 1.0, True]]
    """
    index = {t: i for i, t in enumerate(vocab)}
    rows = []
    for k, (name, words) in enumerate(seeds.items()):
        cols = [index[w] for w in words if w in index]
        tokens = topic_term[:, cols].sum(axis=1) * np.asarray(sizes, float)
        share = tokens / tokens.sum() if tokens.sum() > 0 else np.zeros(len(tokens))
        best = int(np.argmax(share))
        rows.append({"topic": k, "name": name, "seed_words": list(words),
                     "seed_mass": float(topic_term[k, cols].sum()),
                     "seed_share": float(share[k]), "densest_topic": best,
                     "densest_share": float(share[best]), "held": bool(best == k)})
    return pd.DataFrame(rows, columns=["topic", "name", "seed_words", "seed_mass",
                                       "seed_share", "densest_topic", "densest_share",
                                       "held"])


class _TermsMixin:
    """topics, top_terms, label_topics, find_topic, representative_docs, coherence,
    diversity and align of a fitted TopicModel."""

    def topics(self, top_n: int = 10, sort: str = "weight", frex_weight: float = 0.5
               ) -> pd.DataFrame:
        """Top terms of every topic: DataFrame (topic, rank, term, weight, frex, lift).

        ``weight`` is p(term | topic); ``frex`` the FREX score (harmonic mean of frequency
        and exclusivity ranks, weight ``frex_weight`` on frequency, as stm's ``frexw``;
        ties share their average rank);
        ``lift`` p(term | topic) / p(term). ``sort`` chooses the ranking: "weight"
        (default), "frex" or "lift" (lift favours rare terms; see :meth:`label_topics`).

        >>> model.topics(top_n=3, sort="frex").query("topic == 2")["term"].tolist()
        ['企业', '支持', '业务']
        """
        self._check_fitted()
        check_scalar(top_n, "top_n", min_val=1)
        if sort not in ("weight", "frex", "lift"):
            raise ParameterError(f"sort must be 'weight', 'frex' or 'lift', got {sort!r}")
        fx = frex(self.topic_term_, frex_weight)
        lf = lift(self.topic_term_, self.term_frequency_)
        score = {"weight": self.topic_term_, "frex": fx, "lift": lf}[sort]
        idx = top_indices(score, min(top_n, len(self.vocabulary_)))
        rows = []
        vocab = self.vocabulary_
        for k in range(idx.shape[0]):
            for r, j in enumerate(idx[k]):
                rows.append((k, r + 1, vocab[j], self.topic_term_[k, j], fx[k, j], lf[k, j]))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "frex", "lift"])

    def top_terms(self, top_n: int = 10) -> pd.DataFrame:
        """The ``top_n`` most probable terms of each topic, long: DataFrame (topic, rank,
        term, weight), like :meth:`DocumentTermMatrix.top_terms` with ``topic`` for
        ``group``. (Before 0.2.0 this returned a list of term lists per topic:
        ``model.top_terms(n).groupby("topic")["term"].agg(list).tolist()`` gives it.)

        >>> model.top_terms(3).query("topic == 1")["term"].tolist()
        ['文化', '东盟', '广西']
        """
        self._check_fitted()
        check_scalar(top_n, "top_n", min_val=1)
        return self.topics(top_n=top_n, sort="weight")[["topic", "rank", "term", "weight"]]

    def _top_lists(self, top_n: int) -> list[list[str]]:
        """The ``top_n`` most probable terms of each topic, as lists (coherence, snippets)."""
        idx = top_indices(self.topic_term_, min(top_n, len(self.vocabulary_)))
        return [[self.vocabulary_[j] for j in row] for row in idx]

    @renamed_parameters("0.4.0", n_terms="top_n")
    def label_topics(self, top_n: int = 3, frex_weight: float = 0.5) -> pd.Series:
        """A short label per topic: its ``top_n`` highest-FREX terms joined by "·".

        The stock words of government documents (加强, 保障, 措施, 意见, 制定, 探索 …:
        ``lexicons/stopwords_policy.txt``) are passed over when the topic has other terms
        among its top FREX terms, so a theme is named by its own words (公共数据, not 探索).
        A topic whose top 10 terms are mostly such words (60% of their weight or more:
        :attr:`stock_topics_`; the preambles and closing safeguards of 公文 gather in
        one) keeps its stock words and reads "<terms> (stock words)"; ``fit`` warns.

        >>> model.label_topics()[1]
        '东盟·中国—东盟·文化'
        """
        self._check_fitted()
        n_terms = len(self.vocabulary_)
        t = self.topics(top_n=min(n_terms, max(30, 10 * top_n)), sort="frex",
                        frex_weight=frex_weight)
        stock, stock_topics = _stock_words(), set(self.stock_topics_)
        labels = {}
        for k, terms in t.groupby("topic", sort=True)["term"]:
            terms = terms.tolist()
            own = [w for w in terms if w not in stock]
            if k in stock_topics:
                labels[k] = "·".join(terms[:top_n]) + STOCK
            elif len(own) >= top_n:
                labels[k] = "·".join(own[:top_n])
            else:
                labels[k] = "·".join(terms[:top_n])
        labels = pd.Series(labels)
        if self.seed_names_:    # seeded topics keep their names, marked if seeds left them
            check = self.seed_check_
            for k, name in enumerate(self.seed_names_):
                labels[k] = name if check["held"].iloc[k] else f"{name}{NOT_HELD}"
        return labels.rename("label").rename_axis("topic")

    @property
    def seed_check_(self) -> pd.DataFrame:
        """Did the seeds hold? One row per seeded topic: topic, name, seed_words,
        ``seed_mass`` (the probability of its seed words in its own topic, as in
        ``topic_term_``), ``seed_share`` (share of the seed words' tokens the topic holds),
        ``densest_topic`` (the topic holding most of them) and ``held`` (that topic is the
        seeded one). A seeded topic whose seeds did not hold keeps its name with
        " (seeds not held)" in :meth:`label_topics`; ``fit`` warns. Empty without seeds.
        """
        self._check_fitted()
        seeds = self.provenance_.get("seed_words_used") or {}
        sizes = self.doc_topic_.T @ self.units_["n_tokens"].to_numpy(float)   # tokens (K,)
        return _seed_check(self.topic_term_, sizes, self.vocabulary_, seeds)

    @property
    def stock_topics_(self) -> list[int]:
        """The topics whose top 10 terms are mostly (60% of their weight) stock words of
        government documents (``lexicons/stopwords_policy.txt``: 加强, 保障, 措施, 意见,
        制定 …), e.g. a topic of the preambles (为贯彻落实…，结合本省实际，制定本方案) or of the
        closing safeguards (加强组织领导…), or of the stock verbs of a period's style (加快,
        推进, 实施 in the recent work reports, beside their themes). Such a topic is often the
        documents' form rather than a theme; its label reads "<terms> (stock words)".
        Seeded topics are never listed.

        When the model's ``stopwords`` left stock words out (``stopwords="policy"`` or
        ``"all"``), or the tokenizer did and ``fit`` was given the units with them
        (``fit(tokens, stock_tokens=...)``, as the report does), they are counted back
        from the units: word w counts in topic k as its
        occurrences in each unit times the unit's share of k, beside k's own term counts,
        and the top 10 of that table are read (in ``min_df`` to ``max_df`` of the units,
        as the vocabulary). Without it a preamble topic, whose own terms are what is left
        (数字经济·实际·高质量发展 on the 30 digital-economy policies), could never be
        flagged. Shares on the fixture, 4 topics, seeds 1-3: the preamble topic 0.74-0.85,
        the themes at most 0.27; the 27 plans (10 topics, seeds 1-5): at most 0.39, none
        listed; the work reports (10 topics, seeds 1-3): at most 0.46, none listed
        (benchmarks/TOPICS.md). Without ``stopwords`` or ``stock_tokens`` nothing is
        counted back.

        >>> model.stock_topics_
        []
        """
        self._check_fitted()
        seeded = len(self.seed_names_)
        return [k for k in _stock_topics(self._stock_top(), _stock_words()) if k >= seeded]

    def _stock_top(self) -> pd.DataFrame:
        """The top 10 terms :attr:`stock_topics_` reads: :meth:`topics`' own, or, when the
        model's ``stopwords`` left stock words out, with them put back
        (:func:`_stock_put_back`; audit s40: under ``stopwords="policy"`` the preamble topic
        kept 数字经济·实际·高质量发展, no stock word, and was not flagged)."""
        top = self.topics(top_n=10)
        stock = _stock_words()
        if self._stock_texts_given():     # the tokenizer left them out: fit(stock_tokens=)
            back, texts = stock, self._stock_texts
        else:
            back, texts = stock & self._stopword_set(), getattr(self, "_texts", None)
        back = frozenset(w for w in back if len(w) >= self.min_length)
        if not back or texts is None:
            return top
        key = (self.topic_term_, self.doc_topic_, texts, back)   # held: no id reuse
        cached = getattr(self, "_stock_top_cache", None)
        if cached is None or any(a is not b for a, b in zip(cached[0][:3], key[:3])) \
                or cached[0][3] != back:           # label_topics reads it each call
            put = _stock_put_back(self.topic_term_, self.doc_topic_, self.vocabulary_,
                                  texts, back, self.min_df, self._max_df())
            cached = self._stock_top_cache = (key, top if put is None else put)
        return cached[1]

    def _stock_texts_given(self) -> bool:
        """Was ``fit`` given ``stock_tokens`` (the units with the stock words the
        tokenizer left out of ``tokens``)?"""
        return getattr(self, "_stock_texts", None) is not None

    @property
    def seed_names_(self) -> list[str]:
        """Names of the seeded topics (topics 0, 1, ... in this order); [] if none."""
        self._check_fitted()
        return list((self.provenance_.get("seed_words_used") or {}).keys())

    def find_topic(self, terms, top_n: int = 30) -> int:
        """The topic whose top ``top_n`` terms (by weight) carry most probability of
        ``terms`` — to identify a topic by its content rather than by its index.

        >>> model.find_topic(["东盟", "北部湾", "港口"])
        1
        """
        self._check_fitted()
        terms = [terms] if isinstance(terms, str) else list(terms)
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        cols = [index[t] for t in terms if t in index]
        if not cols:
            raise ParameterError(f"none of the terms {terms} is in the model's vocabulary")
        top = top_indices(self.topic_term_, top_n)
        mask = np.zeros_like(self.topic_term_, dtype=bool)
        for k in range(top.shape[0]):
            mask[k, top[k]] = True
        score = (self.topic_term_ * mask)[:, cols].sum(axis=1)
        if not score.any():
            raise ParameterError(
                f"find_topic: none of the terms {terms} is among any topic's top {top_n} "
                f"terms; raise top_n (e.g. top_n=200) or give terms more typical of the topic")
        return int(np.argmax(score))

    @renamed_parameters("0.4.0", n="top_n")
    def representative_docs(self, topic: int, top_n: int = 5, min_tokens: int = 5,
                            snippet_chars: int = 80) -> pd.DataFrame:
        """The ``top_n`` units with the highest share of ``topic`` (among units with at least
        ``min_tokens`` tokens), with a text snippet around the topic's first top term.

        Columns: rank, doc_id, parent_id, title (when known), share (the sampler's
        proportion of the unit's kept tokens, ``doc_topic_``), n_tokens (kept), snippet.

        >>> model.representative_docs(model.find_topic("东盟"), top_n=2)["snippet"].str[:12].tolist()
        ['加强文化体育交流合作。合', '共建中国—东盟港口城市合']
        """
        self._check_fitted()
        topic = self._check_topic(topic)
        u = self.units_
        # ranked by the sampler's proportions of the kept tokens (doc_topic_), not by
        # doc_topics()' shares of all tokens: the terms max_df left out are the same
        # boilerplate in every paragraph and their placement follows the paragraph's own
        # proportions, so they say nothing about which paragraph is typical of a topic;
        # the prior smoothing keeps a 5-token paragraph from ranking first on one word
        share = self.doc_topic_[:, topic]
        ok = u["n_tokens"].to_numpy() >= min_tokens
        if not ok.any():
            ok[:] = True
        order = np.lexsort((np.arange(len(share)), -share))
        order = [i for i in order if ok[i]][:top_n]
        top = self._top_lists(10)[topic]
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
        check_scalar(topic, "topic", min_val=0, max_val=self.n_topics_ - 1)
        return int(topic)

    # ================================================================ quality
    def coherence(self, measure: str = "c_npmi", top_n: int = 10, per_topic: bool = False,
                  texts=None):
        """Topic coherence of the top ``top_n`` terms (gensim ``CoherenceModel``).

        ``measure``: "c_npmi" (normalised PMI in a 10-token sliding window, -1..1), "c_v"
        or "u_mass". The reference texts are the units' tokens as given to ``fit``: before
        the model's vocabulary filtering (stopwords, ``min_df``) and including the units
        that filtering emptied and ``fit`` left out (``dropped_units_``), so co-occurrence
        is counted in the running text; :func:`select_k` scores its models the same way.
        Pass ``texts`` (list of token lists) to score on other texts. Runs in
        one process (gensim's c_v can hang with several). Returns the mean, or a Series per
        topic with ``per_topic=True``.

        >>> model.coherence("c_npmi", per_topic=True).round(3).tolist()
        [0.065, -0.007, 0.033, 0.038]
        """
        self._check_fitted()
        scores = _coherence(self._top_lists(top_n), self._texts if texts is None else texts,
                            measure, top_n)
        if per_topic:
            return pd.Series(scores, index=pd.RangeIndex(self.n_topics_, name="topic"),
                             name=measure)
        return float(np.mean(scores))

    def diversity(self, top_n: int = 25) -> float:
        """Share of unique terms among all topics' top ``top_n`` terms (1 = no overlap).

        >>> round(model.diversity(), 2)
        0.85
        """
        self._check_fitted()
        return diversity(self._top_lists(top_n))

    def align(self, other: "TopicModel", metric: str = "js_divergence") -> pd.DataFrame:
        """Match this model's topics to ``other``'s one-to-one (Hungarian algorithm on the
        similarity of topic-term distributions: ``"js_divergence"``, 1 - Jensen-Shannon
        divergence, base 2, as ``select_k``'s stability; or ``"cosine"``). Not
        :func:`bri_text.similarity_matrix`'s ``"jensen_shannon"``, which is 1 - the
        Jensen-Shannon *distance* (the square root of the divergence); ``"jensen-shannon"``,
        this method's name before 0.4.0, is an error since 0.5.0. DataFrame
        (topic, other_topic, similarity, label, other_label).
        Answers "would another seed give the same topics?" topic by topic.

        >>> other = bt.TopicModel(4, random_state=2, min_df=3).fit(tokens)
        >>> model.align(other)["similarity"].round(2).tolist()   # since 0.3.0: one start
        [1.0, 0.99, 0.99, 1.0]
        """
        self._check_fitted()
        other._check_fitted()
        if metric == "jensen-shannon":
            raise ParameterError("TopicModel.align: metric='jensen-shannon' was renamed "
                                 "'js_divergence' in bri_text 0.4.0 and removed in 0.5.0 (1 - "
                                 "divergence, not similarity_matrix's 'jensen_shannon', 1 - "
                                 "distance); use metric='js_divergence' instead")
        if metric not in ("js_divergence", "cosine"):
            raise ParameterError(f"metric must be 'js_divergence' or 'cosine', got {metric!r}")
        metric = "jensen-shannon" if metric == "js_divergence" else metric
        (a, b), _ = align_vocabularies([self.topic_term_, other.topic_term_],
                                           [self.vocabulary_, other.vocabulary_])
        rows, cols, _, sims = match_topics(a, b, metric)
        la, lb = self.label_topics(), other.label_topics()
        return pd.DataFrame({"topic": rows, "other_topic": cols, "similarity": sims,
                             "label": la.to_numpy()[rows], "other_label": lb.to_numpy()[cols]})
