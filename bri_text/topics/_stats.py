"""Numerical helpers of :mod:`bri_text.topics` (private; numpy only).

Term scores (FREX, lift), topic diversity and topic matching across models (stability).
Bootstrap intervals of topic shares use the library's shared resampling
(:mod:`bri_text._stats`).

>>> import numpy as np
>>> beta = np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]])
>>> round(match_topics(beta, beta[::-1])[2], 6)
1.0
"""
from __future__ import annotations

import numpy as np


def _ecdf_rank(x: np.ndarray) -> np.ndarray:
    """Rank of each value within its row divided by the row length, ties sharing their
    average rank (stm ranks with ``data.table::frank``, whose default is "average")."""
    from scipy.stats import rankdata

    return rankdata(x, method="average", axis=1) / x.shape[1]


def frex(beta: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (Roberts et al., stm's ``calcfrex``).

    The weighted harmonic mean of a term's rank by frequency within the topic and its rank
    by exclusivity (its share of the term's probability over all topics):
    ``1 / (weight / freq_rank + (1 - weight) / excl_rank)``. As in stm, ``weight`` is the
    weight on frequency (default 0.5, where both agree); ties share their average rank.
    """
    excl = beta / beta.sum(axis=0, keepdims=True)
    fr = _ecdf_rank(beta)
    ex = _ecdf_rank(excl)
    return 1.0 / (weight / fr + (1.0 - weight) / ex)


def lift(beta: np.ndarray, term_frequency: np.ndarray) -> np.ndarray:
    """Lift: p(term | topic) / p(term) in the corpus (Taddy 2012; stm's ``calclift``)."""
    p = term_frequency / term_frequency.sum()
    return beta / p[None, :]


def top_indices(scores: np.ndarray, top_n: int) -> np.ndarray:
    """Indices of the top_n highest scores per row; ties broken by column index, so the
    order is deterministic."""
    order = np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores),
                       axis=1)
    return order[:, :top_n]


def diversity(top_terms: list[list[str]]) -> float:
    """Share of unique terms among all topics' top terms (Dieng, Ruiz & Blei 2020):
    1 = no term repeated across topics, 1/K = all topics show the same terms."""
    flat = [t for terms in top_terms for t in terms]
    return len(set(flat)) / len(flat) if flat else float("nan")


def js_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 - Jensen-Shannon divergence (base 2) between every row of ``a`` and of ``b``.

    Rows are probability distributions over the same terms; the result is in [0, 1]
    (1 = identical distributions, 0 = disjoint supports).
    """
    a = a / a.sum(axis=1, keepdims=True)
    b = b / b.sum(axis=1, keepdims=True)

    def xlogx_over(p, m):
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(p > 0, p * np.log2(p / m), 0.0)
        return r.sum(axis=-1)

    out = np.empty((a.shape[0], b.shape[0]))
    for i in range(a.shape[0]):
        m = 0.5 * (a[i][None, :] + b)
        out[i] = 1.0 - 0.5 * (xlogx_over(a[i][None, :], m) + xlogx_over(b, m))
    return np.clip(out, 0.0, 1.0)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    return an @ bn.T


def match_topics(a: np.ndarray, b: np.ndarray, metric: str = "jensen-shannon"):
    """Best one-to-one matching of the topics of two models (Hungarian algorithm).

    ``a`` and ``b`` are topic-term matrices over the same terms (columns aligned).
    Returns (rows, cols, mean similarity of matched pairs, similarities of the pairs).
    """
    from scipy.optimize import linear_sum_assignment

    sim = js_similarity(a, b) if metric == "jensen-shannon" else cosine_similarity(a, b)
    rows, cols = linear_sum_assignment(-sim)
    pair = sim[rows, cols]
    return rows, cols, float(pair.mean()), pair


def align_vocabularies(mats: list[np.ndarray], vocabs: list[list[str]]):
    """Put topic-term matrices with different vocabularies on their union (zeros where a
    model lacks a term), so that they can be compared."""
    union = sorted(set().union(*map(set, vocabs)))
    index = {t: i for i, t in enumerate(union)}
    out = []
    for m, v in zip(mats, vocabs):
        full = np.zeros((m.shape[0], len(union)))
        full[:, [index[t] for t in v]] = m
        out.append(full)
    return out, union


def stability(mats: list[np.ndarray], metric: str = "jensen-shannon"):
    """Mean and minimum, over all pairs of models, of the mean best-match similarity of
    their topics, and a chance baseline: the mean similarity of the topic pairs the
    matching left unmatched (what "similar" means between unrelated topics of these
    models). One model → (nan, nan, nan)."""
    from scipy.optimize import linear_sum_assignment

    scores, chance = [], []
    for i in range(len(mats)):
        for j in range(i + 1, len(mats)):
            sim = (js_similarity(mats[i], mats[j]) if metric == "jensen-shannon"
                   else cosine_similarity(mats[i], mats[j]))
            rows, cols = linear_sum_assignment(-sim)
            scores.append(float(sim[rows, cols].mean()))
            off = np.ones(sim.shape, dtype=bool)
            off[rows, cols] = False
            if off.any():
                chance.append(float(sim[off].mean()))
    if not scores:
        return float("nan"), float("nan"), float("nan")
    return (float(np.mean(scores)), float(np.min(scores)),
            float(np.mean(chance)) if chance else float("nan"))


def term_overlap(a: np.ndarray, b: np.ndarray, rows, cols, top_n: int = 10) -> float:
    """Mean Jaccard overlap of the ``top_n`` most probable terms of matched topic pairs
    (``rows[i]`` of ``a`` with ``cols[i]`` of ``b``; columns aligned): 1 = the same top
    terms, 0 = none shared.

    >>> beta = np.array([[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.3, 0.5]])
    >>> term_overlap(beta, beta[::-1], [0, 1], [1, 0], top_n=2)
    1.0
    """
    ta, tb = top_indices(a, top_n), top_indices(b, top_n)
    scores = [len(set(ta[i]) & set(tb[j])) / len(set(ta[i]) | set(tb[j]))
              for i, j in zip(rows, cols)]
    return float(np.mean(scores)) if scores else float("nan")


def half_split(groups, seed: int) -> np.ndarray:
    """A random half of the distinct ``groups`` (documents), as a boolean mask over the
    units: the first half of a seeded permutation of the groups (sorted first, so the split
    does not depend on the units' order). Half-splits of documents are the resampling of
    Greene, O'Callaghan & Cunningham (2014).

    >>> half_split(["a", "a", "b", "c", "d"], 0).sum() in (2, 3)
    True
    """
    groups = np.asarray(groups, dtype=object)
    uniq = sorted(set(groups.tolist()), key=str)
    order = np.random.default_rng(seed).permutation(len(uniq))
    first = {uniq[i] for i in order[:len(uniq) // 2]}
    return np.array([g in first for g in groups.tolist()], dtype=bool)


def heldout_loglik(theta: np.ndarray, beta: np.ndarray, docs: list[np.ndarray]) -> float:
    """Per-token log-likelihood of held-out tokens: the mean over tokens of
    ``log(sum_k theta[d, k] * beta[k, w])``, where ``docs[d]`` holds the held-out tokens'
    term indices and ``theta[d]`` the document's topic shares inferred from its other
    tokens (document completion, as stm's ``eval.heldout``). Documents whose shares are
    NaN are skipped; NaN when no token is left.

    >>> beta = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
    >>> round(heldout_loglik(np.array([[1.0, 0.0]]), beta, [np.array([0, 1])]), 4)
    -0.6931
    """
    total, n = 0.0, 0
    for t, d in zip(theta, docs):
        if len(d) == 0 or not np.isfinite(t).all():
            continue
        p = t @ beta[:, d]
        total += float(np.log(np.maximum(p, 1e-300)).sum())
        n += len(d)
    return total / n if n else float("nan")
