"""Vectorised statistics behind keyness and collocations (private).

Every function takes arrays of counts, one entry per term (or n-gram), and returns arrays.
Notation: ``a`` = count of the term in the target, ``b`` in the reference, ``n_t`` /
``n_r`` = all counted tokens of the target / reference.
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from ._util import check_scalar


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


def log_odds(a, b, n_t, n_r, alpha, alpha0, alpha_r=None, alpha0_r=None):
    """Monroe, Colaresi & Quinn (2008) log-odds ratio with informative Dirichlet prior.

    delta = ln((a + alpha) / (n_t + alpha0 - a - alpha))
            - ln((b + alpha_r) / (n_r + alpha0_r - b - alpha_r))
    var   = 1 / (a + alpha) + 1 / (b + alpha_r)
    ``alpha_r`` / ``alpha0_r`` default to ``alpha`` / ``alpha0`` (one prior for both sides,
    as in the paper); keyness gives each side alpha_0 in proportion to its size, so that
    both estimated rates shrink alike (the sign of delta is that of a/n_t - b/n_r).
    Returns (z = delta / sqrt(var), two-sided normal p-value, delta).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    alpha_r = alpha if alpha_r is None else np.asarray(alpha_r, dtype=float)
    alpha0_r = alpha0 if alpha0_r is None else alpha0_r
    delta = (np.log(a + alpha) - np.log(n_t + alpha0 - a - alpha)
             - np.log(b + alpha_r) + np.log(n_r + alpha0_r - b - alpha_r))
    z = delta / np.sqrt(1 / (a + alpha) + 1 / (b + alpha_r))
    return z, 2 * stats.norm.sf(np.abs(z)), delta


def log_ratio(a, b, n_t, n_r, smooth: float = 1.0):
    """Hardie's Log Ratio, log2 of the ratio of relative frequencies, with ``smooth``
    pseudo-counts shared between the sides in proportion to their sizes (0.5 each when
    they are the same size, Hardie's choice), so that a zero count gives a finite value
    and the sign is always that of a/n_t - b/n_r (the same pseudo-rate is added to both).

    >>> float(log_ratio(0, 1, 100, 10_000)) < 0          # never used < used once
    True
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    pseudo = smooth / (n_t + n_r)
    return np.log2(a / n_t + pseudo) - np.log2(b / n_r + pseudo)


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


# ====================================================================== zero counts
#: How a figure observed as 0 gets its interval (recorded as ``attrs["zero_interval"]``).
ZERO_RULE = ("a zero count: [0, Clopper-Pearson upper bound for 0 of n], "
             "1 - ((1 - ci) / 2) ** (1 / n), not the resampling's [0, 0]")



def q_values(p) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (``scipy.stats.false_discovery_control``) of
    the finite p-values; NaN stays NaN. Shared by keyness, its document tests and
    ``trend_test``.

    >>> q_values([0.01, 0.04, 0.03, float("nan")]).round(3).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    from scipy.stats import false_discovery_control

    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        q[ok] = false_discovery_control(np.clip(p[ok], 0, 1), method="bh")
    return q


def zero_upper(n, ci: float = 0.95):
    """The upper end of the Clopper-Pearson interval of a proportion seen 0 times in ``n``
    trials, 1 - ((1 - ci) / 2) ** (1 / n) (the lower end is 0): about 3.69 / n at 95% for
    large n, the two-sided "rule of three". NaN where n is 0. A share of 0 observed in n
    units is not known to be exactly 0, however the resampling behaves: every bootstrap
    replicate of a zero count is 0, so the percentile interval would be [0, 0].

    >>> [round(float(x), 4) for x in zero_upper([1, 10, 52], 0.95)]
    [0.975, 0.3085, 0.0685]
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, 1 - ((1 - ci) / 2) ** (1 / np.where(n > 0, n, 1)), np.nan)


def zero_intervals(count, low, high, n, ci: float, scale: float = 1.0):
    """``(low, high, k)``: where ``count`` is 0 and an interval was computed (finite
    ``low`` and ``high``), ``[0, scale * zero_upper(n, ci)]`` instead of the resampling's
    [0, 0]; ``k`` rows changed. ``n`` is the number of trials the zero was observed in
    (documents, clauses, tokens: the caller says which); arrays broadcast.

    >>> lo, hi, k = zero_intervals([0, 2], [0.0, 0.1], [0.0, 0.3], [100, 100], 0.95)
    >>> [round(float(x), 4) for x in hi], k
    ([0.0362, 0.3], 1)
    """
    count = np.asarray(count, dtype=float)
    low, high = np.asarray(low, dtype=float).copy(), np.asarray(high, dtype=float).copy()
    hit = (count == 0) & np.isfinite(low) & np.isfinite(high) & (np.asarray(n) > 0)
    hit = np.broadcast_to(hit, high.shape)
    upper = np.broadcast_to(scale * zero_upper(n, ci), high.shape)
    low[hit], high[hit] = 0.0, upper[hit]
    return low, high, int(hit.sum())


#: How a count of a few mentions gets its interval (``attrs["small_counts"]`` of
#: term_trends; benchmarks/TRENDS.md, "Few mentions").
SMALL_COUNT_RULE = (
    "a count c > 0: the bootstrap interval, widened where it is narrower to the exact "
    "Poisson (Garwood) interval of the effective count c / deff, scaled back by deff "
    "(Korn & Graubard 1998); deff = max(1, linearised variance of c over the resampled "
    "units / c)")


def cluster_variance(counts, sizes, clusters):
    """Linearised (cluster-robust) variance of a group's total count at its rate, over
    ``clusters`` (the units the bootstrap draws): m / (m - 1) sum_k (c_k - r t_k)^2,
    c_k the cluster's counts (n x K summed to m x K), t_k its tokens, r = sum c / sum t.
    NaN with one cluster.

    >>> cluster_variance([[1], [0], [0], [3]], [10, 10, 10, 10], [0, 1, 2, 3]).round(2).tolist()
    [8.0]
    """
    counts = np.asarray(counts, dtype=float).reshape(len(sizes), -1)
    sizes = np.asarray(sizes, dtype=float)
    _, k = np.unique(np.asarray(clusters), return_inverse=True)
    m = int(k.max()) + 1 if len(k) else 0
    if m < 2:
        return np.full(counts.shape[1], np.nan)
    c = np.zeros((m, counts.shape[1]))
    np.add.at(c, k, counts)
    t = np.bincount(k, sizes, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = c.sum(axis=0) / t.sum()
    return m / (m - 1) * ((c - t[:, None] * r) ** 2).sum(axis=0)


def count_interval(count, var, ci: float):
    """``(low, high)``: the exact Poisson (Garwood) interval of an expected count seen as
    ``count``, on the effective count c / deff and scaled back by deff, deff = max(1,
    ``var`` / c) (Korn & Graubard 1998 for proportions: the design effect from the
    clustered variance; 1 where ``var`` is NaN). With deff = 1 it is the exact interval
    gamma quantiles (a, c) and (1 - a, c + 1): 1 mention gives [0.025, 5.57] at 95%;
    where mentions come in pairs (deff 2), 2 mentions give 2 x that of 1.

    >>> lo, hi = count_interval([1, 2, 50], [1.0, 4.0, 50.0], 0.95)
    >>> lo.round(2).tolist(), hi.round(2).tolist()
    ([0.03, 0.05, 37.11], [5.57, 11.14, 65.92])
    """
    from scipy import stats as st

    c = np.asarray(count, dtype=float)
    v = np.asarray(var, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = np.where((c > 0) & np.isfinite(v), np.maximum(1.0, v / c), 1.0)
    ce = c / deff
    a = (1 - ci) / 2
    low = np.where(ce > 0, st.gamma.ppf(a, np.where(ce > 0, ce, 1.0)), 0.0) * deff
    high = st.gamma.ppf(1 - a, ce + 1) * deff
    return low, high


def small_count_intervals(count, var, low, high, ci: float, scale):
    """``(low, high, k)``: where 0 < ``count`` <= :data:`SMALL_SHARE_MAX` and an interval
    was computed, the hull of
    ``[low, high]`` and ``scale`` x :func:`count_interval` (``k`` rows widened). A
    bootstrap of a few mentions cannot vary more than its handful of units do (1 mention:
    the replicates' 97.5% quantile is 3 mentions, the exact Poisson bound 5.57); for many
    mentions the two intervals nearly agree and the bootstrap's stands."""
    count = np.asarray(count, dtype=float)
    low, high = np.asarray(low, dtype=float).copy(), np.asarray(high, dtype=float).copy()
    lo_c, hi_c = count_interval(count, var, ci)
    lo_c, hi_c = lo_c * scale, hi_c * scale
    ok = (count > 0) & np.isfinite(low) & np.isfinite(high) & np.isfinite(lo_c * hi_c)
    wider = ok & ((lo_c < low) | (hi_c > high))
    low = np.where(ok, np.minimum(low, lo_c), low)
    high = np.where(ok, np.maximum(high, hi_c), high)
    return low, high, int(wider.sum())


#: How a share seen a few times gets its interval (``attrs["small_counts"]`` of the
#: grouped share tables: orientation, profile(normalize="share"), instrument_shares).
SMALL_SHARE_RULE = (
    "a share of c = 1-20 of N matches: the bootstrap interval, widened where it is narrower "
    "to the Clopper-Pearson interval of the effective count c / deff of the effective "
    "sample N / deff (Korn & Graubard 1998); deff = max(1, the group's design effect, the "
    "category's design effect over the whole table), a design effect = the linearised "
    "variance of the share over the resampled units / (p (1 - p) / N), and with an upper "
    "end no lower than the same group's bound for 0 matches (so a share seen once never "
    "looks better known than one never seen); over 20 matches the bootstrap interval as "
    "it is")


def share_design_effects(counts, groups, clusters, n_groups: int | None = None):
    """``(own, pooled)``: the design effects of the shares counts[:, k] / counts.sum(1)
    summed by group, own (G x K) and pooled over the groups (K); NaN where undefined.
    Per group, linearised variance of the ratio over ``clusters`` (the units the bootstrap
    draws), m / (m - 1) sum_j (X_jk - p_k M_j)^2 / N^2, over the binomial p (1 - p) / N;
    pooled: the groups' numerators summed over their denominators summed (the design
    effect of a small domain taken from the whole table, as surveys do). A share whose
    matches come one per document has deff about 1; one named ten times in one document
    and not elsewhere about 10 (below: 4 / 3 x (1.5^2 + 3 x 0.5^2) / (40 x 0.05 x 0.95)).

    >>> own, pooled = share_design_effects([[2, 8], [0, 10], [0, 10], [0, 10]],
    ...                                    [0, 0, 0, 0], [0, 1, 2, 3])
    >>> round(float(own[0, 0]), 2), round(float(pooled[0]), 2)
    (2.11, 2.11)
    """
    counts = np.asarray(counts, dtype=float)
    groups, clusters = np.asarray(groups), np.asarray(clusters)
    G = n_groups if n_groups is not None else (int(groups.max()) + 1 if len(groups) else 0)
    K = counts.shape[1]
    num, den = np.zeros((G, K)), np.zeros((G, K))
    for g in range(G):
        idx = np.flatnonzero(groups == g)
        _, j = np.unique(clusters[idx], return_inverse=True)
        m = int(j.max()) + 1 if len(j) else 0
        if m < 2:
            continue
        x = np.zeros((m, K))
        np.add.at(x, j, counts[idx])
        tot = x.sum(axis=1)
        n = tot.sum()
        if n <= 0:
            continue
        p = x.sum(axis=0) / n
        num[g] = m / (m - 1) * ((x - tot[:, None] * p) ** 2).sum(axis=0)
        den[g] = n * p * (1 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        sd = den.sum(axis=0)
        pooled = np.where(sd > 0, num.sum(axis=0) / np.where(sd > 0, sd, 1.0), np.nan)
    return own, pooled


def share_interval(count, n, deff, ci: float):
    """``(low, high)``: the Clopper-Pearson interval of ``count`` of ``n`` on the effective
    count c / deff of n / deff (Korn & Graubard 1998; beta quantiles, which take the
    non-integer effective counts). With deff = 1 the exact binomial interval: 1 of 95
    gives [0.0003, 0.057]; with deff 4 (mentions in fours) 4 of 380 gives the same.

    >>> lo, hi = share_interval([1, 4], [95, 380], [1.0, 4.0], 0.95)
    >>> lo.round(4).tolist(), hi.round(4).tolist()
    ([0.0003, 0.0003], [0.0573, 0.0573])
    """
    from scipy import stats as st

    c, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    d = np.asarray(deff, dtype=float)
    d = np.where(np.isfinite(d), np.maximum(d, 1.0), 1.0)
    x, m = c / d, n / d
    a = (1 - ci) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(x > 0, st.beta.ppf(a, np.where(x > 0, x, 1.0), m - x + 1), 0.0)
        high = np.where(x < m, st.beta.ppf(1 - a, x + 1, np.where(x < m, m - x, 1.0)), 1.0)
    return low, high


#: Shares seen more often than this keep the bootstrap interval as it is (with the floor
#: at every count, rows of 21+ matches widened 1-42% in benchmarks/sim_zero_intervals.py
#: part C, their coverage already 0.90-0.98 without it).
SMALL_SHARE_MAX = 20


def small_share_intervals(count, n, deff, low, high, ci: float, zero_n=None):
    """``(low, high, k)``: where 0 < ``count`` <= :data:`SMALL_SHARE_MAX` and an interval
    was computed, the hull of ``[low, high]`` and :func:`share_interval` (``k`` entries
    widened), its upper end raised to :func:`zero_upper` of ``zero_n`` (the trials a zero
    of the same group is bounded with: its documents with a match) where that is higher.
    A bootstrap of a share seen once cannot vary more than the one document holding it:
    1 of 95 mentions in 6 documents resamples to [0, 0.06], Clopper-Pearson on the
    effective sample gives [0.0003, 0.057], while the same group's zero gets [0, 0.46].
    Seeing a category once is no stronger evidence that its share is small than never
    seeing it, so the once-seen share's upper end is 0.46 too.

    >>> lo, hi, k = small_share_intervals([0, 1], 95, 1.0, [0.0, 0.0], [0.0, 0.06], 0.95,
    ...                                   zero_n=6)
    >>> hi.round(3).tolist(), k
    ([0.0, 0.459], 1)
    """
    count = np.asarray(count, dtype=float)
    low, high = np.asarray(low, dtype=float).copy(), np.asarray(high, dtype=float).copy()
    lo_c, hi_c = share_interval(count, n, deff, ci)
    if zero_n is not None:
        z = zero_upper(zero_n, ci)
        hi_c = np.where(np.isfinite(z), np.fmax(hi_c, z), hi_c)
    ok = ((count > 0) & (count <= SMALL_SHARE_MAX) & np.isfinite(low) & np.isfinite(high)
          & np.isfinite(lo_c * hi_c))
    wider = ok & ((lo_c < low) | (hi_c > high))
    low = np.where(ok, np.minimum(low, lo_c), low)
    high = np.where(ok, np.maximum(high, hi_c), high)
    return low, high, int(wider.sum())


# ====================================================================== resampling
# One implementation of the bootstrap behind every interval of the library (compare's
# profile / orientation / keyness stability, topics' prevalence / trends / difference).
# See docs/STATISTICS.md for the schemes and when to use which.

#: The resampling schemes: documents then units within each sampled document (default),
#: whole documents, or units as if independent.
RESAMPLE_SCHEMES = ("two-stage", "document", "unit")
#: An interval is given only when at most this share of replicates could be computed
#: (the rest had, e.g., no mention at all); otherwise NaN with a warning.
MAX_FAILED = 0.10
#: Interval labels recorded in the ``interval`` column of grouped tables.
BETWEEN, WITHIN = "between-document", "within-document"
#: Fewer documents than this: no bootstrap interval reaches its nominal coverage
#: (benchmarks/sim_intervals.py; docs/STATISTICS.md), and the label says so.
MIN_DOCS_NOMINAL = 3
#: Up to this many documents the expanded percentile interval would be the replicates'
#: min-max, which widens with n_boot. With 3 documents the interval is a small-sample t
#: interval over documents, estimate +- t_{1-a, 2} sqrt(3 / 2) SE, SE from the document
#: bootstrap computed exactly (all 10 resamples of the documents enumerated), the same
#: whatever n_boot; with 2 there is none (a t interval with 1 degree of freedom spans
#: several times the possible range of a share; the bootstrap's covers about 0.78).
MAX_DOCS_T = 3
FEW_DOCS = ("none: two documents (no interval reaches its nominal coverage with a useful "
            "width; read the two documents' own figures)")
THREE_DOCS = ("between-document (3 documents: t interval over documents, 2 degrees of "
              "freedom, SE from the exact document bootstrap)")
NO_SINGLE = "none: one document"
#: A failed replicate is a bootstrap resample from which the figure cannot be computed
#: (e.g. it drew no place mention, so there is no share); over MAX_FAILED of them, no
#: interval.
NO_FAILED = ("none: failed replicates (over 10% of the bootstrap resamples drew nothing "
             "to compute the figure from)")
NO_DATA = "none: no data"
_MAX_CELLS = 4_000_000


def check_resample(resample) -> str:
    if resample not in RESAMPLE_SCHEMES:
        from .errors import ParameterError

        raise ParameterError(f"resample must be one of {RESAMPLE_SCHEMES}, got {resample!r}")
    return resample


def check_interval_args(n_boot, ci, resample) -> None:
    """ParameterError naming the parameter unless ``n_boot`` is an int >= 0, ``ci`` a level
    in (0, 1) and ``resample`` one of :data:`RESAMPLE_SCHEMES`."""

    check_scalar(n_boot, "n_boot", min_val=0)
    check_scalar(ci, "ci", "real", min_val=0, max_val=1, include_min=False, include_max=False)
    check_resample(resample)


def document_ids(docs):
    """The document of every unit: ``parent_id`` when the units were reshaped, else
    ``doc_id`` (one unit = one document)."""
    col = "parent_id" if "parent_id" in docs.columns else "doc_id"
    return docs[col].to_numpy()


def resample_weights(doc_codes, n_boot: int, scheme: str, rng) -> np.ndarray:
    """Bootstrap multiplicities (``n_boot`` x n) of the n units of one group.

    ``doc_codes`` gives each unit's document. ``scheme``:

    - ``"two-stage"``: draw the group's D documents with replacement, then, for every
      drawn copy of a document, draw its units with replacement (Davison & Hinkley 1997,
      section 2.4; Field & Welsh 2007). A document drawn c times with n_d units gives its
      units multinomial(c * n_d, 1/n_d) weights, the sum of c independent draws.
    - ``"document"``: draw documents with replacement; every unit of a drawn document
      counts as many times as its document was drawn.
    - ``"unit"``: draw the n units with replacement, ignoring documents.

    >>> w = resample_weights([0, 0, 0, 1, 1], 4, "two-stage", np.random.default_rng(0))
    >>> w.shape, bool((w.sum(axis=1) > 0).all())
    ((4, 5), True)
    """
    codes = np.asarray(doc_codes)
    n = len(codes)
    if scheme == "unit":
        return _draw_counts(rng, np.full(n_boot, n), n).astype(float)
    _, codes = np.unique(codes, return_inverse=True)
    n_docs = int(codes.max()) + 1
    drawn = _draw_counts(rng, np.full(n_boot, n_docs), n_docs)
    if scheme == "document":
        return drawn[:, codes].astype(float)
    out = np.empty((n_boot, n))
    for d in range(n_docs):
        members = np.flatnonzero(codes == d)
        k = len(members)
        out[:, members] = _draw_counts(rng, drawn[:, d] * k, k)
    return out


def _draw_counts(rng, totals: np.ndarray, k: int) -> np.ndarray:
    """Row i: how often each of k items was drawn in totals[i] uniform draws with
    replacement (multinomial(totals[i], 1/k), as integer draws and one bincount)."""
    totals = np.asarray(totals, dtype=np.int64)
    m = len(totals)
    draws = rng.integers(0, k, int(totals.sum()))
    rows = np.repeat(np.arange(m, dtype=np.int64), totals)
    return np.bincount(rows * k + draws, minlength=m * k).reshape(m, k)


def replicates(stat, doc_codes, n_boot: int, scheme: str, rng) -> np.ndarray:
    """``stat(W)`` for bootstrap weights W (m x n, see :func:`resample_weights`), computed
    in chunks so that memory stays bounded, stacked to ``n_boot`` rows."""
    n = max(len(doc_codes), 1)
    step = max(1, _MAX_CELLS // n)
    parts = []
    for s in range(0, n_boot, step):
        parts.append(np.asarray(stat(resample_weights(doc_codes, min(step, n_boot - s),
                                                      scheme, rng)), dtype=float))
    return np.concatenate(parts, axis=0)


def _ratio_stat(num, den):
    """stat(W): sum(num) / sum(den) under weights W, NaN where the denominator is 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)

    def stat(w):
        top, bottom = w @ num, w @ den
        if bottom.ndim == 1:
            bottom = bottom[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bottom > 0, top / bottom, np.nan)

    return stat


def ratio_replicates(num, den, doc_codes, n_boot, scheme, rng) -> np.ndarray:
    """Replicates of sum(num) / sum(den) (num n x K, den n or n x K): NaN where a
    replicate's denominator is 0 (a failed replicate)."""
    return replicates(_ratio_stat(num, den), doc_codes, n_boot, scheme, rng)


def document_resamples(doc_codes):
    """Every resample of the D documents of ``doc_codes`` with replacement (the
    C(2D - 1, D) multisets) as unit weights (m x n), and their probabilities.

    >>> w, p = document_resamples([0, 0, 1])
    >>> w.tolist(), p.tolist()
    ([[2.0, 2.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 2.0]], [0.25, 0.5, 0.25])
    """
    from itertools import combinations_with_replacement
    from math import factorial

    _, codes = np.unique(np.asarray(doc_codes), return_inverse=True)
    D = int(codes.max()) + 1
    counts = np.array([np.bincount(c, minlength=D)
                       for c in combinations_with_replacement(range(D), D)], dtype=float)
    prob = np.array([factorial(D) / np.prod([factorial(int(x)) for x in c]) for c in counts])
    return counts[:, codes], prob / D ** D


def n_documents(doc_codes) -> int:
    return len(np.unique(np.asarray(doc_codes))) if len(doc_codes) else 0


class Intervals:
    """Bootstrap intervals for the groups of one call (expanded percentile over documents,
    see :meth:`levels`), with the library's rules:

    - under ``"two-stage"`` / ``"document"`` a group with fewer than two documents gets no
      interval (NaN, label :data:`NO_SINGLE`): one text says nothing about variation
      between texts; under ``"unit"`` every interval is labelled within-document;
    - replicates that cannot be computed (NaN: e.g. no mention drawn) are counted
      (``n_failed``); with more than :data:`MAX_FAILED` of them the interval is NaN
      (label :data:`NO_FAILED`) instead of a quantile of the lucky replicates;
    - with 3 documents (:data:`MAX_DOCS_T`) a t interval over documents, its SE from the
      document bootstrap computed exactly (every resample of the documents enumerated:
      the same interval whatever ``n_boot``; the expanded percentile interval would be
      the replicates' min-max, which widens with ``n_boot``), labelled
      :data:`THREE_DOCS`; with 2 documents no interval (NaN, :data:`FEW_DOCS`, one
      warning naming the groups);
    - an interval of zero width around a non-zero estimate (every valid replicate gave the
      same value) is NaN: a bootstrap that cannot vary is no evidence of certainty.

    Call :meth:`warn` once at the end: one warning per kind, naming the groups.
    """

    def __init__(self, scheme: str, n_boot: int, ci: float, rng, upper: float | None = None):
        self.scheme, self.n_boot, self.ci, self.rng = scheme, int(n_boot), float(ci), rng
        self.upper = upper           # the largest value the figure can take (1 for a share)
        self.single, self.two, self.failed, self.zero = [], [], [], []
        self.n_zero_rows = 0         # rows given [0, upper] for a zero (zero_counts)
        self.zero_rule: str | None = None
        self.n_small_rows = 0        # rows widened for few matches (small_shares)
        self.small_rule: str | None = None

    def label(self, n_docs: int) -> str:
        if self.scheme == "unit":
            return WITHIN
        if n_docs < 2:
            return NO_SINGLE
        return {2: FEW_DOCS, 3: THREE_DOCS}.get(n_docs, BETWEEN)

    def _small(self, n_docs: int) -> bool:
        return self.scheme != "unit" and 3 <= n_docs <= MAX_DOCS_T

    def _t_interval(self, group, values, prob, estimate, n_docs, clip=True):
        """(low, high, n_failed, label) from ``values`` (resamples x K) with probabilities
        ``prob``: estimate +- t_{1-a, D-1} sqrt(D / (D - 1)) SD; with ``clip`` the low end
        is kept at 0 for a figure that cannot be negative (every resample >= 0), and the
        high end at ``upper`` for one that cannot exceed it (a share: 1, never 123%)."""
        from scipy import stats as st

        values = np.asarray(values, dtype=float).reshape(len(values), -1)
        prob = np.asarray(prob, dtype=float)
        nan = np.full(estimate.shape, np.nan)
        bad = ~np.isfinite(values).all(axis=1)
        n_failed = int(bad.sum())
        if prob[bad].sum() > MAX_FAILED or bad.all():
            self.failed.append((group, n_failed))
            return nan, nan.copy(), n_failed, NO_FAILED
        v, pr = values[~bad], prob[~bad] / prob[~bad].sum()
        mean = pr @ v
        sd = np.sqrt(np.maximum(pr @ (v - mean) ** 2, 0)).reshape(estimate.shape)
        half = (st.t.ppf(1 - (1 - self.ci) / 2, n_docs - 1)
                * np.sqrt(n_docs / (n_docs - 1)) * sd)
        low, high = estimate - half, estimate + half
        if clip:
            low = np.where((v >= 0).all(axis=0).reshape(estimate.shape) & (estimate >= 0),
                           np.maximum(low, 0.0), low)
            if self.upper is not None:
                high = np.where((v <= self.upper).all(axis=0).reshape(estimate.shape)
                                & (estimate <= self.upper), np.minimum(high, self.upper), high)
        flat = (sd <= 1e-12 * np.maximum(1.0, np.abs(estimate))) & (estimate != 0) \
            & np.isfinite(estimate)
        if flat.any():
            low, high = np.where(flat, np.nan, low), np.where(flat, np.nan, high)
            self.zero.append((group, int(flat.sum())))
        return low, high, n_failed, self.label(n_docs)

    def _exact(self, group, stat, doc_codes, estimate, n_docs):
        w, prob = document_resamples(doc_codes)
        return self._t_interval(group, stat(w), prob, estimate, n_docs)

    def levels(self, n_docs: int) -> tuple[float, float]:
        """The quantile levels of the interval: the expanded percentile interval
        (Hesterberg 2015) over documents, Phi(-+sqrt(D / (D - 1)) t_{1-a, D-1}), which
        corrects the percentile method's two faults with few documents (the bootstrap
        variance is (D - 1) / D of the true one; normal instead of t quantiles). Plain
        percentiles under ``"unit"`` (many units).

        >>> [round(x, 4) for x in Intervals("two-stage", 10, 0.95, None).levels(5)]
        [0.001, 0.999]
        """
        from scipy import stats as st

        alpha = (1 - self.ci) / 2
        if self.scheme == "unit" or n_docs < 2:
            return alpha, 1 - alpha
        z = np.sqrt(n_docs / (n_docs - 1)) * st.t.ppf(1 - alpha, n_docs - 1)
        a = float(st.norm.cdf(-z))
        return a, 1 - a

    def summarize(self, group, reps: np.ndarray, estimate, n_docs: int):
        """(low, high, n_failed, label) of a group from its replicates (n_boot x K)."""
        estimate = np.asarray(estimate, dtype=float)
        nan = np.full(estimate.shape, np.nan)
        label = self.label(n_docs)
        if isinstance(group, np.generic):                 # 2015, not np.int64(2015)
            group = group.item()
        if not np.isfinite(estimate).any():      # nothing observed: reported by the caller
            return nan, nan.copy(), 0, NO_DATA
        if label in (NO_SINGLE, FEW_DOCS):
            (self.single if label == NO_SINGLE else self.two).append(group)
            return nan, nan.copy(), 0, label
        if self._small(n_docs):       # replicates of a difference: their SD, t interval
            return self._t_interval(group, reps, np.full(len(reps), 1.0 / len(reps)),
                                    estimate, n_docs, clip=False)
        reps = np.asarray(reps, dtype=float).reshape(len(reps), -1)
        bad = ~np.isfinite(reps).all(axis=1)
        n_failed = int(bad.sum())
        if n_failed > MAX_FAILED * len(reps) or n_failed == len(reps):
            self.failed.append((group, n_failed))
            return nan, nan.copy(), n_failed, NO_FAILED
        low, high = np.quantile(reps[~bad], list(self.levels(n_docs)), axis=0)
        low, high = low.reshape(estimate.shape), high.reshape(estimate.shape)
        flat = (high - low <= 1e-12 * np.maximum(1.0, np.abs(high))) & (estimate != 0) \
            & np.isfinite(estimate)
        if flat.any():
            low, high = np.where(flat, np.nan, low), np.where(flat, np.nan, high)
            self.zero.append((group, int(flat.sum())))
        return low, high, n_failed, label

    def run(self, group, stat, doc_codes, estimate):
        """Replicates of ``stat(W)`` (see :func:`replicates`) over the group's units,
        summarised; no resampling at all when the group gets no interval anyway."""
        estimate = np.asarray(estimate, dtype=float)
        n_docs = n_documents(doc_codes)
        if self.label(n_docs) in (NO_SINGLE, FEW_DOCS) or not np.isfinite(estimate).any():
            return self.summarize(group, None, estimate, n_docs)
        if self._small(n_docs):
            return self._exact(group, stat, doc_codes, estimate, n_docs)
        reps = replicates(stat, doc_codes, self.n_boot, self.scheme, self.rng)
        return self.summarize(group, reps, estimate, n_docs)

    def group(self, group, num, den, doc_codes, estimate):
        """Replicates of the ratio sum(num) / sum(den) over the group's units, summarised."""
        estimate = np.asarray(estimate, dtype=float)
        n_docs = n_documents(doc_codes)
        if self.label(n_docs) in (NO_SINGLE, FEW_DOCS) or not np.isfinite(estimate).any():
            return self.summarize(group, None, estimate, n_docs)
        if self._small(n_docs):
            return self._exact(group, _ratio_stat(num, den), doc_codes, estimate, n_docs)
        reps = ratio_replicates(num, den, doc_codes, self.n_boot, self.scheme, self.rng)
        return self.summarize(group, reps, estimate, n_docs)

    def zero_trials(self, den, doc_codes) -> int:
        """The n of :meth:`zero_counts` for a share of a group: its documents that have
        something in the share's denominator (``den`` > 0, one entry per unit), or its
        units that do under ``"unit"`` (the draws of a within-document interval).

        >>> iv = Intervals("two-stage", 10, 0.95, None)
        >>> iv.zero_trials([3, 0, 1, 0], ["a", "a", "b", "c"])     # c has no mention
        2
        """
        has = np.asarray(den) > 0
        if has.ndim > 1:
            has = has.any(axis=tuple(range(1, has.ndim)))
        if self.scheme == "unit":
            return int(has.sum())
        return n_documents(np.asarray(doc_codes)[has])

    def zero_counts(self, count, low, high, n, scale: float = 1.0, rule: str | None = None):
        """:func:`zero_intervals` (``[0, scale * zero_upper(n)]`` where ``count`` is 0 and
        an interval was computed, at most :attr:`upper`), counting the rows changed for
        ``attrs["n_zero_intervals"]``; ``rule`` (what n is) goes to
        ``attrs["zero_interval"]``. Returns (low, high)."""
        low, high, k = zero_intervals(count, low, high, n, self.ci, scale)
        if self.upper is not None:
            high = np.where(np.isfinite(high), np.minimum(high, self.upper), high)
        self.n_zero_rows += k
        if rule is not None:
            self.zero_rule = ZERO_RULE + ", " + rule
        return low, high

    def small_shares(self, count, n, deff, low, high, zero_n=None):
        """:func:`small_share_intervals` (the bootstrap interval of a share seen c > 0
        times, widened to the Korn-Graubard Clopper-Pearson interval where that is wider,
        its upper end at least the group's zero bound for ``zero_n`` trials), counting the
        rows widened for ``attrs["n_small_intervals"]``. Returns (low, high)."""
        low, high, k = small_share_intervals(count, n, deff, low, high, self.ci, zero_n)
        self.n_small_rows += k
        self.small_rule = SMALL_SHARE_RULE
        return low, high

    def attrs(self) -> dict:
        zero = ({"zero_interval": self.zero_rule, "n_zero_intervals": self.n_zero_rows}
                if self.zero_rule is not None else {})
        if self.small_rule is not None:
            zero.update(small_counts=self.small_rule, n_small_intervals=self.n_small_rows)
        return {"resample": self.scheme, "n_boot": self.n_boot, "ci": self.ci,
                "max_failed": MAX_FAILED,
                "interval_method": ("percentile (units as if independent)"
                                    if self.scheme == "unit" else
                                    "expanded percentile over documents (Hesterberg 2015); "
                                    f"with 2-{MAX_DOCS_T} documents a t interval over "
                                    "documents, SE from the exact document bootstrap"),
                "min_docs_nominal": MIN_DOCS_NOMINAL, **zero}

    def warn(self, where: str, stacklevel: int = 3) -> None:
        import warnings

        def few(items: list) -> str:
            """The first 10 of ``items``, saying how many there are when there are more."""
            return (str(items[:10]) if len(items) <= 10 else
                    f"{items[:10]} and {len(items) - 10} more ({len(items)} in all)")

        if self.single:
            warnings.warn(
                f"{where}: group(s) {few(self.single)} have a single document, so resample="
                f"{self.scheme!r} gives them no interval (NaN): one text says nothing about "
                "variation between texts. resample='unit' gives a within-document interval "
                "(paragraphs as if independent), labelled as such", stacklevel=stacklevel)
        if self.two:
            warnings.warn(
                f"{where}: group(s) {few(self.two)} have two documents, so resample="
                f"{self.scheme!r} gives them no interval (NaN): no interval from two texts "
                "reaches its nominal coverage with a useful width (docs/STATISTICS.md). "
                "resample='unit' gives a within-document interval", stacklevel=stacklevel)
        if self.failed:
            desc = few([f"{g} ({k} of {self.n_boot})" for g, k in self.failed])
            warnings.warn(
                f"{where}: in group(s) {desc} more than {MAX_FAILED:.0%} of the bootstrap "
                "replicates could not be computed (e.g. no mention drawn), so they get no "
                "interval (NaN); see the n_failed column", stacklevel=stacklevel)
        if self.zero:
            desc = few([f"{g} ({k})" for g, k in self.zero])
            warnings.warn(
                f"{where}: every bootstrap replicate gave the same value for some rows of "
                f"group(s) {desc}; such zero-width intervals are reported as NaN (the "
                "resampling cannot vary, which is no evidence of certainty)",
                stacklevel=stacklevel)
