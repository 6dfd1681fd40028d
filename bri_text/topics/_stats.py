"""Numerical helpers of :mod:`bri_text.topics` (private; numpy only).

Term scores (FREX, lift), topic diversity, topic matching across models (stability) and
bootstrap intervals of token-weighted topic shares.

>>> import numpy as np
>>> beta = np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]])
>>> round(match_topics(beta, beta[::-1])[2], 6)
1.0
"""
from __future__ import annotations

import numpy as np


def _ecdf_rank(x: np.ndarray) -> np.ndarray:
    """Empirical CDF of each value within its row (ties share the highest rank), as in
    R's ``ecdf(x)(x)``."""
    out = np.empty_like(x, dtype=float)
    n = x.shape[1]
    for k in range(x.shape[0]):
        s = np.sort(x[k])
        out[k] = np.searchsorted(s, x[k], side="right") / n
    return out


def frex(beta: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (Roberts et al., stm's ``calcfrex``).

    The weighted harmonic mean of a term's rank by frequency within the topic and its rank
    by exclusivity (its share of the term's probability over all topics). ``weight`` is the
    weight on exclusivity (stm's ``frexw``, default 0.5).
    """
    excl = beta / beta.sum(axis=0, keepdims=True)
    fr = _ecdf_rank(beta)
    ex = _ecdf_rank(excl)
    return 1.0 / (weight / ex + (1.0 - weight) / fr)


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


def stability(mats: list[np.ndarray], metric: str = "jensen-shannon") -> tuple[float, float]:
    """Mean and minimum, over all pairs of models, of the mean best-match similarity of
    their topics. One model → (nan, nan)."""
    scores = []
    for i in range(len(mats)):
        for j in range(i + 1, len(mats)):
            scores.append(match_topics(mats[i], mats[j], metric)[2])
    if not scores:
        return float("nan"), float("nan")
    return float(np.mean(scores)), float(np.min(scores))


def _boot_means(weighted: np.ndarray, totals: np.ndarray, n_boot: int,
                rng: np.random.Generator) -> np.ndarray:
    """n_boot bootstrap replicates of sum(weighted) / sum(totals), resampling the n rows
    with replacement (as multinomial counts, so memory stays n_boot × n)."""
    n = len(totals)
    out = np.empty((n_boot, weighted.shape[1]))
    step = max(1, 2_000_000 // max(n, 1))
    for s in range(0, n_boot, step):
        m = min(step, n_boot - s)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=m).astype(float)
        out[s:s + m] = (counts @ weighted) / (counts @ totals)[:, None]
    return out


def bootstrap_shares(weighted: np.ndarray, totals: np.ndarray, n_boot: int, ci: float,
                     rng: np.random.Generator):
    """Token-weighted mean topic shares of one group with a percentile bootstrap interval.

    ``weighted`` (n × K) holds, per resampling unit (a paragraph or a whole document), the
    number of its tokens in each topic (θ × tokens); ``totals`` (n) its token count.
    Units are resampled with replacement. With fewer than two units the interval is
    undefined (NaN): there is no variation to resample.
    """
    k = weighted.shape[1]
    share = weighted.sum(axis=0) / totals.sum()
    if len(totals) < 2 or n_boot < 1:
        return share, np.full(k, np.nan), np.full(k, np.nan)
    boots = _boot_means(weighted, totals, n_boot, rng)
    lower, upper = np.quantile(boots, [(1 - ci) / 2, 1 - (1 - ci) / 2], axis=0)
    return share, lower, upper


def bootstrap_difference(wa, ta, wb, tb, n_boot: int, ci: float, rng: np.random.Generator):
    """Difference of token-weighted shares of two groups (a - b) with a percentile
    bootstrap interval (units resampled independently within each group; NaN when a
    group has fewer than two units)."""
    k = wa.shape[1]
    diff = wa.sum(0) / ta.sum() - wb.sum(0) / tb.sum()
    if len(ta) < 2 or len(tb) < 2 or n_boot < 1:
        return diff, np.full(k, np.nan), np.full(k, np.nan)
    boots = _boot_means(wa, ta, n_boot, rng) - _boot_means(wb, tb, n_boot, rng)
    lower, upper = np.quantile(boots, [(1 - ci) / 2, 1 - (1 - ci) / 2], axis=0)
    return diff, lower, upper
