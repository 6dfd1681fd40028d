"""Vectorised statistics behind keyness and collocations (private).

Every function takes arrays of counts, one entry per term (or n-gram), and returns arrays.
Notation: ``a`` = count of the term in the target, ``b`` in the reference, ``n_t`` /
``n_r`` = all counted tokens of the target / reference.
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats


def _sign(a, b, n_t, n_r):
    """+1 where the target uses the term more often (relative to its size), else -1 / 0."""
    return np.sign(a * float(n_r) - b * float(n_t))


def _expected(a, b, n_t, n_r):
    n = float(n_t) + float(n_r)
    col = a + b
    return (n_t * col / n, n_r * col / n, n_t * (n - col) / n, n_r * (n - col) / n)


def chi2(a, b, n_t, n_r, yates: bool):
    """Pearson chi-square of the 2x2 table [[a, b], [n_t - a, n_r - b]] (signed: positive
    when the target over-uses the term) and its p-value (1 degree of freedom).

    ``yates`` moves every observed cell by min(0.5, |O - E|) towards its expected value,
    exactly as ``scipy.stats.chi2_contingency(correction=True)``.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    e = _expected(a, b, n_t, n_r)
    d = np.abs(a - e[0])                  # |O - E| is the same in all four cells
    if yates:
        d = d - np.minimum(0.5, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = d * d * (1 / e[0] + 1 / e[1] + 1 / e[2] + 1 / e[3])
    stat = np.where(np.isfinite(stat), stat, 0.0)
    return _sign(a, b, n_t, n_r) * stat, stats.chi2.sf(stat, 1)


def g2(a, b, n_t, n_r):
    """Log-likelihood G2 = 2 * sum(O * ln(O / E)) of the 2x2 table (signed) and p-value."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    e = _expected(a, b, n_t, n_r)
    obs = (a, b, n_t - a, n_r - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = 2 * sum(special.xlogy(o, o / x) for o, x in zip(obs, e))
    stat = np.where(np.isfinite(stat), np.maximum(stat, 0.0), 0.0)
    return _sign(a, b, n_t, n_r) * stat, stats.chi2.sf(stat, 1)


def log_odds(a, b, n_t, n_r, alpha, alpha0):
    """Monroe, Colaresi & Quinn (2008) log-odds ratio with informative Dirichlet prior.

    delta = ln((a + alpha) / (n_t + alpha0 - a - alpha))
            - ln((b + alpha) / (n_r + alpha0 - b - alpha))
    var   = 1 / (a + alpha) + 1 / (b + alpha)
    Returns (z = delta / sqrt(var), two-sided normal p-value, delta).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    delta = (np.log(a + alpha) - np.log(n_t + alpha0 - a - alpha)
             - np.log(b + alpha) + np.log(n_r + alpha0 - b - alpha))
    z = delta / np.sqrt(1 / (a + alpha) + 1 / (b + alpha))
    return z, 2 * stats.norm.sf(np.abs(z)), delta


def log_ratio(a, b, n_t, n_r, smooth: float = 0.5):
    """Hardie's Log Ratio: log2 of the ratio of relative frequencies, ``smooth`` added to
    both counts so that a zero count gives a finite value."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return np.log2((a + smooth) / n_t) - np.log2((b + smooth) / n_r)


# --------------------------------------------------------------------------- collocations
def _lookup(keys_sorted, counts_sorted, query):
    return counts_sorted[np.searchsorted(keys_sorted, query)]


def ngram_association(grams: np.ndarray, min_count: int):
    """Association measures of the n-grams (rows of ``grams``, word ids, n = 2 or 3).

    Returns ``(unique n-grams, count, pmi, g2, t_score)`` for n-grams seen at least
    ``min_count`` times, or None when there are none.
    """
    n_pos, size = grams.shape
    n = float(n_pos)
    uniq, count = np.unique(grams, axis=0, return_counts=True)
    keep = count >= min_count
    if not keep.any():
        return None
    uniq, count = uniq[keep], count[keep].astype(float)
    v = int(grams.max()) + 1
    marg = [np.bincount(grams[:, k], minlength=v).astype(float)[uniq[:, k]] for k in range(size)]
    p = [m / n for m in marg]
    if size == 2:
        c1, c2 = marg
        cells = [(count, (1, 1)), (c1 - count, (1, 0)), (c2 - count, (0, 1)),
                 (n - c1 - c2 + count, (0, 0))]
    else:
        pair = {}
        for j, k in ((0, 1), (0, 2), (1, 2)):
            keys = grams[:, j] * v + grams[:, k]
            ks, kc = np.unique(keys, return_counts=True)
            pair[j, k] = _lookup(ks, kc.astype(float), uniq[:, j] * v + uniq[:, k])
        c1, c2, c3 = marg
        c12, c13, c23 = pair[0, 1], pair[0, 2], pair[1, 2]
        o = count
        cells = [(o, (1, 1, 1)), (c12 - o, (1, 1, 0)), (c13 - o, (1, 0, 1)),
                 (c23 - o, (0, 1, 1)), (c1 - c12 - c13 + o, (1, 0, 0)),
                 (c2 - c12 - c23 + o, (0, 1, 0)), (c3 - c13 - c23 + o, (0, 0, 1)),
                 (n - c1 - c2 - c3 + c12 + c13 + c23 - o, (0, 0, 0))]
    g2 = np.zeros_like(count)
    for obs, inside in cells:
        exp = n * np.prod([p[k] if inside[k] else 1 - p[k] for k in range(size)], axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 += np.where(obs > 0, special.xlogy(obs, obs / exp), 0.0)
    g2 *= 2
    e111 = n * np.prod(p, axis=0)
    pmi = np.log2(count / e111)
    t = (count - e111) / np.sqrt(count)
    return uniq, count.astype(np.int64), pmi, g2, t
