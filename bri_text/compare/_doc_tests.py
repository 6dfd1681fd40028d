"""The document-level tests of keyness that resample (Lijffijt et al. 2016's bootstrap
test and a permutation test over document labels): per-term p-values from the per-document
relative frequencies of two groups."""
from __future__ import annotations

import numpy as np

from .. import _stats


def bootstrap_test(ft, fr, n_boot: int, rng):
    """Lijffijt et al. (2016, section 3.3) bootstrap test of every column of the
    per-document relative frequencies ``ft`` (target documents x terms) and ``fr``.

    Each of ``n_boot`` rounds draws N = min(#target, #reference) documents with replacement
    from each side and compares the mean relative frequencies; with H(x) = 1 for x > 0,
    0.5 for x = 0 and 0 otherwise, p1 = mean of H(mean_target - mean_reference) and the
    two-sided p = (1 + 2 n_boot min(p1, 1 - p1)) / (n_boot + 1). Returns (score, p): the
    observed difference of mean relative frequencies over its bootstrap standard deviation
    (0 when both are 0), and p.

    Kept as published, and anti-conservative: on independent documents (gamma-Poisson)
    it rejects at p < .05 33% of the time with 2 documents a side, 12% with 5 and 7% with
    20, and 7-9% under relabelling of the built-in corpus (benchmarks/sim_tests.py): the
    bootstrap distribution of a difference of means is too narrow with few documents.
    :func:`permutation_test` (``measure="permutation"``) keeps the level.

    >>> ft = np.array([[0.75], [0.25]]); fr = np.array([[0.5], [0.0], [0.0]])
    >>> s, p = bootstrap_test(ft, fr, 20000, np.random.default_rng(0))
    >>> round(float(p[0]), 2)                            # 2/9 by hand (docs/STATISTICS.md)
    0.22
    """
    ft, fr = np.asarray(ft, dtype=float), np.asarray(fr, dtype=float)
    n = min(len(ft), len(fr))
    K = ft.shape[1]
    obs = ft.mean(0) - fr.mean(0)
    h = np.zeros(K)
    s1 = np.zeros(K)
    s2 = np.zeros(K)
    step = max(1, 2_000_000 // max(K, 1))
    for s in range(0, n_boot, step):
        k = min(step, n_boot - s)
        wt = _stats._draw_counts(rng, np.full(k, n), len(ft))
        wr = _stats._draw_counts(rng, np.full(k, n), len(fr))
        d = (wt @ ft - wr @ fr) / n
        h += (d > 0).sum(0) + 0.5 * (d == 0).sum(0)
        s1 += d.sum(0)
        s2 += (d * d).sum(0)
    p1 = h / n_boot
    p = np.minimum(1.0, (1 + 2 * n_boot * np.minimum(p1, 1 - p1)) / (n_boot + 1))
    sd = np.sqrt(np.maximum(s2 / n_boot - (s1 / n_boot) ** 2, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(sd > 0, obs / sd, np.where(obs == 0, 0.0, np.sign(obs) * np.inf))
    return score, p


def _welch_t(S1, Q1, n1, S, Q, n):
    """Welch's t of group 1 (sums S1, sums of squares Q1 of its n1 rows) against the
    others (totals S, Q over n rows), vectorised; 0 when both groups are constant and
    equal, +-inf when they are constant and differ."""
    n2 = n - n1
    S2, Q2 = S - S1, Q - Q1
    m1, m2 = S1 / n1, S2 / n2
    v1 = np.maximum(Q1 - S1 * m1, 0) / (n1 - 1)
    v2 = np.maximum(Q2 - S2 * m2, 0) / (n2 - 1)
    se = np.sqrt(v1 / n1 + v2 / n2)
    d = m1 - m2
    scale = np.maximum(np.abs(m1), np.abs(m2))
    flat = se <= 1e-9 * np.maximum(scale, 1e-300)
    tiny = np.abs(d) <= 1e-9 * np.maximum(scale, 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flat, np.where(tiny, 0.0, np.sign(d) * np.inf), d / se)


def _exceedance_form(F, n1, thresh):
    """Coefficients (A, D, E) and the column-centred rates Fc with which |Welch's t| of a
    split >= ``thresh`` (finite, > 0) reads A a^2 + D b >= E, a = the split's group-1 sum
    of Fc and b its sum of Fc^2: t is unchanged by shifting a column, and centred the
    difference of means is a (1/n1 + 1/n2) and the variances quadratics in a and b, so
    a draw costs a few operations per term instead of Welch's square root and divisions.
    D is 0 for groups of the same size (then b is not needed)."""
    n = len(F)
    n2 = n - n1
    Fc = F - F.mean(axis=0)
    Q = (Fc * Fc).sum(axis=0)
    c1, c2 = 1.0 / (n1 * (n1 - 1)), 1.0 / (n2 * (n2 - 1))
    alpha = 1.0 / n1 + 1.0 / n2
    th2 = thresh * thresh
    A = alpha * alpha + th2 * (c1 / n1 + c2 / n2)
    D = -th2 * (c1 - c2)
    E = th2 * c2 * Q
    return Fc, A, D, E


def n_relabellings(n_target: int, n_reference: int) -> int:
    """How many ways the documents can be split into groups of these sizes."""
    from math import comb

    return comb(n_target + n_reference, n_target)


#: The splits of the documents are all enumerated (exact p) when they number at most
#: max(n_perm, EXACT_SPLITS): 6 vs 10 documents (8,008 splits, the 1950s against the 2010s
#: work reports) take about a second with 4,500 terms; 3 vs 49 (22,100) are drawn at random.
EXACT_SPLITS = 10_000
#: Besag-Clifford stopping: a term stops being relabelled once this many relabellings have
#: reached its |t| (its p is then STOP_HITS / the relabellings drawn; docs/STATISTICS.md).
STOP_HITS = 100
#: With more relabellings than this, the test first draws this many; when the terms that
#: none of them reached already have q <= SETTLED_Q among all the terms (so their p,
#: 1 / (PILOT + 1), settles Benjamini-Hochberg), it stops there: many terms beyond every
#: relabelling is the one case where drawing on costs much, and the one where it is not
#: needed (benchmarks/COMPARE.md, "Terms absent from one side").
PILOT = 2000
SETTLED_Q = 0.01


def _random_labels(rng, k: int, n: int, n1: int) -> np.ndarray:
    """``k`` random splits of ``n`` documents, ``n1`` of them labelled 1 (rows of 0/1)."""
    L = np.zeros((k, n))
    L[np.arange(k)[:, None], np.argsort(rng.random((k, n)), axis=1)[:, :n1]] = 1.0
    return L


def _form(F, n1, thresh):
    """What :func:`_hits` needs to decide |t| >= ``thresh`` for every column of ``F``
    (documents x terms) on a split with ``n1`` documents labelled 1: the exceedance form
    (:func:`_exceedance_form`) where ``thresh`` is finite and > 0, Welch's t itself for
    the other columns (constant columns, infinite t)."""
    n = len(F)
    special = ~(np.isfinite(thresh) & (thresh > 0))
    Fc, A, D, E = _exceedance_form(F, n1, np.where(special, 1.0, thresh))
    Fc2 = None if n1 == n - n1 else Fc * Fc
    return {"F": F, "n1": n1, "S": F.sum(0), "Q": (F * F).sum(0), "thresh": thresh,
            "special": special, "Fc": Fc, "Fc2": Fc2, "A": A, "D": D, "E": E}


def _hits(form, L, cols):
    """Whether each split (rows of 0/1 labels ``L``) reaches the observed |t| of each
    column ``cols`` (indices): a boolean array splits x columns."""
    a = L @ form["Fc"][:, cols]
    a *= a
    a *= form["A"][cols]
    if form["Fc2"] is not None:
        a += form["D"][cols] * (L @ form["Fc2"][:, cols])
    hit = a >= form["E"][cols]
    special = form["special"][cols]
    if special.any():                  # a constant column or an infinite t: as is
        sp = np.flatnonzero(special)
        c = cols[sp]
        F = form["F"][:, c]
        t = _welch_t(L @ F, L @ (F * F), form["n1"], form["S"][c], form["Q"][c], len(L[0]))
        hit[:, sp] = np.abs(t) >= form["thresh"][c]
    return hit


def _sequential(form, n_perm, stop_hits, rng):
    """Besag & Clifford's (1991) sequential Monte Carlo p of every column: relabel the
    documents at random until ``stop_hits`` relabellings reach the column's |t| (p =
    stop_hits / the relabellings drawn) or ``n_perm`` were drawn (p = (1 + hits) /
    (n_perm + 1)). Both are valid p-values; columns far from significant stop early, so
    ``n_perm`` can be large enough for Benjamini-Hochberg over thousands of terms. When
    ``n_perm`` > PILOT and, after PILOT relabellings, the columns none reached have
    Benjamini-Hochberg q <= SETTLED_Q at p = 1 / (PILOT + 1), every column stops there.
    Returns (p, relabellings drawn per column, the most drawn)."""
    n, T = form["F"].shape
    n1 = form["n1"]
    hits = np.zeros(T, dtype=np.int64)
    drawn = np.full(T, int(n_perm), dtype=np.int64)
    stopped = np.zeros(T, dtype=bool)
    active = np.arange(T)
    s = 0
    pilot = PILOT if n_perm > PILOT else None
    while s < n_perm and len(active):
        if pilot is not None and s == pilot:
            pilot = None
            p_now = np.where(stopped, stop_hits / np.maximum(drawn, 1), (1 + hits) / (s + 1))
            beyond = ~stopped & (hits == 0)
            if beyond.any() and _stats.q_values(p_now)[beyond].max() <= SETTLED_Q:
                drawn[~stopped] = s
                return p_now, drawn, s
        k = int(min(n_perm - s, max(64, 2_000_000 // len(active))))
        if pilot is not None:
            k = min(k, pilot - s)
        hit = _hits(form, _random_labels(rng, k, n, n1), active)
        total = hits[active] + hit.sum(axis=0)
        done = total >= stop_hits
        if done.any():
            cum = hits[active[done]] + np.cumsum(hit[:, done], axis=0, dtype=np.int64)
            stop = active[done]
            drawn[stop] = s + np.argmax(cum >= stop_hits, axis=0) + 1
            hits[stop] = stop_hits
            stopped[stop] = True
        hits[active[~done]] = total[~done]
        active = active[~done]
        s += k
    p = np.where(stopped, stop_hits / np.maximum(drawn, 1), (1 + hits) / (n_perm + 1))
    return p, drawn, int(n_perm)


def _enumerated(form):
    """How many of all the splits of the documents into groups of these sizes (the
    observed one included) reach each column's observed |t|, enumerated in chunks."""
    from itertools import combinations, islice

    n, T = form["F"].shape
    cols = np.arange(T)
    hits = np.zeros(T, dtype=np.int64)
    splits = combinations(range(n), form["n1"])
    step = max(64, 2_000_000 // max(T, 1))
    while True:
        idx = np.array(list(islice(splits, step)), dtype=np.int64)
        if not len(idx):
            return hits
        L = np.zeros((len(idx), n))
        np.put_along_axis(L, idx, 1.0, axis=1)
        hits += _hits(form, L, cols).sum(axis=0)


def permutation_test(ft, fr, n_perm: int, rng, stop_hits: int | None = STOP_HITS,
                     exact_max: int | None = None):
    """Permutation test of every column of the per-document relative frequencies ``ft``
    (target documents x terms) against ``fr``, over document labels, with Welch's t as
    the statistic (studentised, so that unequal spreads do not spoil the level); two-sided
    (|t|), every term at once.

    When the documents can be split into groups of these sizes in at most ``exact_max``
    ways (None, the default: max(``n_perm``, EXACT_SPLITS = 10,000); 6 vs 10 documents
    have 8,008 splits, 2 vs 50 have 1,326; 0: never), every split is enumerated and p is
    exact:
    the share of splits (the observed one included) whose |t| is at least the observed
    one, the same whatever ``rng``; the smallest attainable p is 1 / the splits, 2 / the
    splits for groups of the same size (the observed split's mirror has the same |t|).
    Otherwise random splits, at most ``n_perm``: a column stops once ``stop_hits`` of them
    reach its |t| and gets p = stop_hits / the splits drawn (Besag & Clifford 1991), else
    p = (1 + their count) / (n_perm + 1), or / (PILOT + 1) when the first PILOT splits
    already settle Benjamini-Hochberg for the terms none of them reached
    (:func:`_sequential`); ``stop_hits=None`` draws ``n_perm`` for every column. The two
    estimate the same p (the Monte Carlo one counts the observed split once more).
    Returns (t, p, smallest attainable p, exact).

    2 vs 2 documents have 6 splits and two of them (the observed one and its mirror) give
    the largest |t|, so the smallest p is 2/6:

    >>> ft = np.array([[0.30], [0.31]]); fr = np.array([[0.0], [0.01]])
    >>> t, p, min_p, exact = permutation_test(ft, fr, 1000, None)
    >>> float(p[0]), round(min_p, 3), exact
    (0.3333333333333333, 0.333, True)
    """
    ft, fr = np.asarray(ft, dtype=float), np.asarray(fr, dtype=float)
    F = np.vstack([ft, fr])
    n1, n = len(ft), len(ft) + len(fr)
    S, Q = F.sum(0), (F * F).sum(0)
    obs = _welch_t(ft.sum(0), (ft * ft).sum(0), n1, S, Q, n)
    total = n_relabellings(n1, n - n1)
    bound = max(int(n_perm), EXACT_SPLITS) if exact_max is None else int(exact_max)
    exact = total <= bound
    form = _form(F, n1, np.abs(obs) * (1 - 1e-9))
    if exact:
        p = _enumerated(form) / total
        min_p = (2.0 if n1 == n - n1 else 1.0) / total
    elif stop_hits:
        p, _, most = _sequential(form, int(n_perm), int(stop_hits), rng)
        min_p = 1.0 / (most + 1)
    else:
        hits = np.zeros(F.shape[1], dtype=np.int64)
        cols = np.arange(F.shape[1])
        step = max(64, 2_000_000 // max(F.shape[1], 1))
        for s in range(0, int(n_perm), step):
            L = _random_labels(rng, min(step, int(n_perm) - s), n, n1)
            hits += _hits(form, L, cols).sum(axis=0)
        p = (1 + hits) / (n_perm + 1)
        min_p = 1.0 / (n_perm + 1)
    return obs, np.minimum(p, 1.0), float(min_p), bool(exact)
