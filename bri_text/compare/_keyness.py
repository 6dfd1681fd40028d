"""Keyness: which terms one group of documents uses more than another."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _stats
from .._util import (
    check_random_state,
    check_scalar,
    renamed_parameters,
    seed_record,
)
from ..errors import MetadataError, ParameterError
from .._grouping import (_condition_frame, _group_codes, _indicator, _warn_split_documents,
                         condition_mask)
from ..features import DocumentTermMatrix, as_dtm
from ._doc_tests import (EXACT_SPLITS, STOP_HITS, bootstrap_test,  # noqa: F401
                         n_relabellings, permutation_test)

#: The fixed columns of :func:`keyness`.
KEYNESS_COLUMNS = ["term", "score", "p_value", "q_value", "count_target", "count_reference",
                   "docs_target", "docs_reference", "rate_target", "rate_reference",
                   "log_ratio", "fragment_of"]
#: Extra columns of the document-level measures (mean per-document rate per 10,000).
DOC_RATE_COLUMNS = ["doc_rate_target", "doc_rate_reference"]
_MEASURES = ("log_odds", "chi2", "g2", "log_ratio", "welch", "wilcoxon", "bootstrap_test",
             "permutation")
#: Measures that test per-document relative frequencies (Lijffijt et al. 2016).
_DOC_MEASURES = ("welch", "wilcoxon", "bootstrap_test", "permutation")
#: Measures whose p-values come from resampling (``n_boot`` replicates or relabellings).
_RESAMPLED = ("bootstrap_test", "permutation")
#: A document-level test with fewer documents than this on a side warns (the smallest
#: attainable p is then large, and a finding is about those documents, not their group).
MIN_DOCS_INFERENCE = 3
#: Pseudo-count added to every term of a subset or external prior (before scaling).
_PRIOR_SMOOTH = 0.01
_STABILITY_TOP = 20
#: a term flagged in ``fragment_of`` is named in a warning when it ranks this high
_FRAGMENT_TOP = 20
_TEST_BOOT = 1000
#: What ``attrs["test"]`` says about each measure.
TOKEN_LEVEL = "token-level (every token an independent draw: a statement about these texts)"
DOCUMENT_LEVEL = ("document-level (documents are the observations: a statement about the "
                  "groups the documents come from)")
PRIOR_WEIGHTING = ("alpha_0 split between the sides in proportion to their counted tokens "
                   "(alpha_target = alpha_0 * n_target / (n_target + n_reference)), so both "
                   "rates shrink towards the prior alike and a score never has the opposite "
                   "sign of rate_target - rate_reference")
LOG_ODDS_Z = ("z treats every token as an independent draw. Real documents bunch their "
              "words, so with several documents a side p and q overstate significance: when "
              "the documents are relabelled at random (nothing differs) 11% of frequent "
              "terms have p < .05 with 26 vs 26 work reports and 26% with 11 vs 16 "
              "built-in plans, not 5% (benchmarks/sim_tests.py, docs/STATISTICS.md). Only "
              "under exactly independent tokens is it conservative (the default prior, "
              "alpha_0 = the tokens compared, shrinks z by about sqrt(2): p < .05 about 1% "
              "of the time). Read z as a ranking of these texts' differences; for a test of "
              "the groups use measure='permutation'")
#: Share of frequent terms at p < .05 under random relabelling of documents, by token-level
#: measure (benchmarks/sim_tests.py: 52 work reports 26 vs 26, built-in plans 11 vs 16;
#: log_ratio's p is G2's).
TOKEN_NULL_RATES = {"log_odds": "11-26%", "chi2": "20-39%", "g2": "24-45%",
                    "log_ratio": "24-45%"}

# =========================================================================== options
@dataclass(frozen=True)
class _Options:
    """Everything one target-vs-reference comparison needs besides the data."""
    measure: str
    prior_counts: np.ndarray | None      # log_odds: prior pseudo-counts over m.terms
    prior_scale: object                  # None | "prior" | number (alpha_0)
    uniform: bool
    yates: bool
    n_stability: int                     # replicates of the stability bootstrap (0 = none)
    n_test: int                          # replicates of the bootstrap test
    min_docs: int                        # document-level: terms in fewer compared docs untested
    top_n: int | None
    resample: str
    rng: object = None


@dataclass
class _Result:
    """One comparison: its table, sizes and what the caller must warn about."""
    table: pd.DataFrame
    info: dict
    few_docs: tuple | None = None        # (n_docs_target, n_docs_reference) when < 2
    thin_docs: tuple | None = None       # (n_docs_target, n_docs_reference, smallest
                                         # attainable p) when a side has 2 (< 3)
    single: bool = False                 # stability NaN: a side with one document
    skipped: int = 0                     # stability replicates with an empty side
    floor: tuple | None = None           # (terms at min_p, their q, n_boot needed or None)
    fragments: tuple = ()                # flagged terms among the top of either direction
    token_docs: tuple | None = None      # token-level p with >= 2 documents a side: sizes
    below_floor: tuple | None = None     # welch: (terms below the relabelling floor, floor,
                                         # first such term, its p, sizes)


# =========================================================================== helpers
def _describe(condition) -> str:
    return repr(condition) if isinstance(condition, dict) else "the mask"


def _side_label(condition) -> str | None:
    """The name of a side for figures: the values of a metadata condition, None for a mask.

    >>> _side_label({"片区": "西南沿边"}), _side_label({"province": ["广西", "云南"]})
    ('西南沿边', '广西、云南')
    """
    if not isinstance(condition, dict) or not condition:
        return None
    parts = []
    for value in condition.values():
        values = value if isinstance(value, (list, tuple, set)) else [value]
        parts.append("、".join(str(v) for v in values))
    return " / ".join(parts)


def _values_hint(docs: pd.DataFrame, condition) -> str:
    """The column's values, and the ones that begin with a value asked for (浙江 → 浙江省:
    the report's --compare takes such a short name, a condition wants the value).

    >>> _values_hint(pd.DataFrame({"region": ["浙江省", "江苏省"]}), {"region": "浙江"})
    "; values of 'region': ['浙江省', '江苏省']; did you mean {'region': '浙江省'}?"
    """
    if isinstance(condition, dict) and len(condition) == 1:
        docs = _condition_frame(docs, condition, "target")     # {"decade": ...}: of year
        col, want = next(iter(condition.items()))
        if col in docs.columns:
            vals = pd.unique(docs[col].dropna())
            hint = f"; values of {col!r}: {list(vals[:30])}"
            if isinstance(want, str) and want:
                near = [v for v in vals if isinstance(v, str) and v.startswith(want)]
                if len(near) == 1:
                    hint += f"; did you mean {{{col!r}: {near[0]!r}}}?"
            return hint
    return ""


def _column_sums(counts, rows=None) -> np.ndarray:
    """Each term's count over all units, or over the units of a boolean mask ``rows``."""
    summed = counts.sum(axis=0) if rows is None else rows.astype(np.int64) @ counts
    return np.asarray(summed, dtype=np.int64).ravel()


def _prior_counts(m: DocumentTermMatrix, prior, compared: np.ndarray):
    """The prior's pseudo-counts over ``m.terms`` (before scaling), a label and whether it
    is a uniform prior; ``compared`` masks the units compared (target and reference)."""
    if prior is None:
        return (_column_sums(m.counts, compared).astype(float),
                f"the units compared ({int(compared.sum())} units)", False)
    if isinstance(prior, (int, float, np.integer, np.floating)) and not isinstance(prior, bool):
        check_scalar(prior, "prior", "real", min_val=0, include_min=False)
        return np.full(len(m.terms), float(prior)), f"uniform {prior}", True
    if isinstance(prior, DocumentTermMatrix):
        pos = pd.Index(prior.terms).get_indexer(m.terms)
        if (pos < 0).all():
            raise ParameterError("the prior DocumentTermMatrix shares no term with the "
                                 "compared matrix; build both with the same tokenizer")
        ptot = _column_sums(prior.counts)
        counts = np.where(pos >= 0, ptot[np.maximum(pos, 0)], 0) + _PRIOR_SMOOTH
        return counts, (f"another matrix ({len(prior)} units), {_PRIOR_SMOOTH} added per "
                        "term"), False
    mask = condition_mask(m.docs, prior, "prior")
    if not mask.any():
        raise MetadataError(f"prior {_describe(prior)} matches no units"
                            + _values_hint(m.docs, prior))
    counts = _column_sums(m.counts, mask) + _PRIOR_SMOOTH
    return counts, (f"subset {_describe(prior)} ({int(mask.sum())} units), {_PRIOR_SMOOTH} "
                    "added per term"), False


def _check_prior_scale(prior_scale):
    if prior_scale is None or (isinstance(prior_scale, str) and prior_scale == "prior"):
        return
    if isinstance(prior_scale, str):
        raise ParameterError(f"prior_scale must be None (alpha_0 = the compared tokens), "
                             f"'prior' (the prior's own token count) or a positive number, "
                             f"got {prior_scale!r}")
    check_scalar(prior_scale, "prior_scale", "real", min_val=0, include_min=False)


def _alpha0(opts: _Options, n_compared: float) -> float:
    """alpha_0, the prior's total pseudo-count: the tokens compared (default for
    corpus-derived priors), the prior's own count (``"prior"``, and uniform priors by
    default) or ``prior_scale``."""
    own = float(opts.prior_counts.sum())
    if opts.prior_scale is None:
        return own if opts.uniform else float(n_compared)
    if isinstance(opts.prior_scale, str):
        return own
    return float(opts.prior_scale)


def _scores(opts: _Options, a, b, n_t, n_r, share, strength):
    """(score, p) of a token-level measure; ``share`` is the prior's share of each term and
    ``strength`` alpha_0 / (n_t + n_r): each side gets alpha_0 in proportion to its size."""
    measure = opts.measure
    if measure == "log_odds":
        score, p, _ = _stats.log_odds(a, b, n_t, n_r, strength * n_t * share,
                                      strength * n_t, strength * n_r * share,
                                      strength * n_r)
    elif measure == "chi2":
        score, p = _stats.chi2(a, b, n_t, n_r, opts.yates)
    elif measure == "g2":
        score, p = _stats.g2(a, b, n_t, n_r)
    else:
        score = _stats.log_ratio(a, b, n_t, n_r)
        p = _stats.g2(a, b, n_t, n_r)[1]
    return score, p


q_values = _stats.q_values   # imported here by tests and callers since 0.4


# =========================================================================== document level
def _document_counts(m, rows, keep):
    """Counts of the terms ``keep`` summed per document (``parent_id``) over the units
    ``rows`` (mask), and each document's counted tokens; documents with no counted token
    are left out."""
    idx = np.flatnonzero(rows)
    codes, _ = pd.factorize(_stats.document_ids(m.docs)[idx])
    ind = _indicator(codes, int(codes.max()) + 1)
    sub = m.counts[idx]
    tot = np.asarray(ind @ sub.sum(axis=1), dtype=float).ravel()
    dc = np.asarray((ind @ sub[:, keep]).toarray(), dtype=float)
    ok = tot > 0
    return dc[ok], tot[ok]


def _documents_with(m, rows, keep) -> np.ndarray:
    """How many documents (``parent_id``) of the units ``rows`` (mask) hold each term of
    ``keep``; sparse throughout, so a large matrix is never made dense."""
    from scipy import sparse

    idx = np.flatnonzero(rows)
    if not len(idx):
        return np.zeros(len(keep), dtype=np.int64)
    codes, _ = pd.factorize(_stats.document_ids(m.docs)[idx])
    per_doc = sparse.csr_matrix(_indicator(codes, int(codes.max()) + 1)
                                @ sparse.csr_matrix(m.counts)[idx][:, keep])
    per_doc.eliminate_zeros()
    return np.asarray(per_doc.getnnz(axis=0), dtype=np.int64)


def _document_test(opts: _Options, m, t, r, keep):
    """(score, p, mean rate target, mean rate reference, document counts, smallest
    attainable p or None, whether p is exact) of a per-document test of every term
    ``keep``; NaN when a side has fewer than two documents."""
    from scipy import stats

    ct, tt = _document_counts(m, t, keep)
    cr, tr = _document_counts(m, r, keep)
    n_docs = (len(tt), len(tr))
    ft, fr = ct / tt[:, None], cr / tr[:, None]
    mean_t = ft.mean(0) if len(ft) else np.full(len(keep), np.nan)
    mean_r = fr.mean(0) if len(fr) else np.full(len(keep), np.nan)
    if min(n_docs) < 2:
        nan = np.full(len(keep), np.nan)
        return nan, nan.copy(), mean_t, mean_r, n_docs, None, False
    min_p, exact = None, False
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if opts.measure == "welch":
            res = stats.ttest_ind(ft, fr, axis=0, equal_var=False)
            score, p = np.asarray(res.statistic), np.asarray(res.pvalue)
            # both sides constant (e.g. the term is in no document of either): no
            # difference, t = 0 and p = 1 rather than NaN
            flat = (ft.var(0) == 0) & (fr.var(0) == 0) & (mean_t == mean_r)
            score, p = np.where(flat, 0.0, score), np.where(flat, 1.0, p)
        elif opts.measure == "wilcoxon":
            res = stats.mannwhitneyu(ft, fr, axis=0, alternative="two-sided")
            score = 2 * np.asarray(res.statistic) / (len(tt) * len(tr)) - 1
            p = np.asarray(res.pvalue)
        elif opts.measure == "permutation":
            score, p, min_p, exact = permutation_test(ft, fr, opts.n_test, opts.rng)
        else:
            score, p = bootstrap_test(ft, fr, opts.n_test, opts.rng)
            min_p = 1.0 / (opts.n_test + 1)
    return score, p, mean_t, mean_r, n_docs, min_p, exact


def _relabelling_floor(n_t: int, n_r: int) -> float:
    """The smallest p that any test relabelling ``n_t`` and ``n_r`` documents can give:
    1 / the splits, 2 / the splits for groups of one size (a split's mirror ties it).

    >>> _relabelling_floor(2, 50), _relabelling_floor(2, 2)      # 1 / 1,326; 2 / 6
    (0.0007541478129713424, 0.3333333333333333)
    """
    return (2.0 if n_t == n_r else 1.0) / n_relabellings(n_t, n_r)


def _floor_binds(p, min_p, exact, n_terms):
    """(terms at the smallest attainable p, their q-value, n_boot that would let them
    reach q < .05 or None when every relabelling was enumerated) when Benjamini-Hochberg
    keeps the terms at that floor at q >= .05, else None."""
    if min_p is None:
        return None
    p = np.asarray(p, dtype=float)
    at = np.isfinite(p) & (p <= min_p * (1 + 1e-9))
    k = int(at.sum())
    if not k:
        return None
    q = float(q_values(p)[at].min())
    if q < 0.05:
        return None
    need = None if exact else int(np.ceil(n_terms / (0.05 * k)))
    return k, q, need


def _welch_below_floor(p, terms, n_docs, docs_t=None, docs_r=None):
    """(how many Welch p-values under .05 are below the smallest p a test relabelling these
    documents can give them, the term whose p is furthest below, its p, its bound, in how
    many documents it is, the sizes) or None.

    No relabelling gives any term less than 1 (2 with equal sizes) over the C(n, n_t)
    splits: 5 vs 5 documents split 252 ways, so not under 2/252. A term in k documents,
    all on one side of n_s documents, is reached by every split that puts those k on that
    side, C(n - k, n_s - k) of them (twice as many with equal sizes), all with the same
    ``|t|``; so no relabelling gives it p below C(n - k, n_s - k) / C(n, n_t). Welch's t then
    rests on one side's spread alone, and its t-distribution p is often below that: 8 vs 8
    documents, a term in 5 of one side and none of the other, bound 2 x C(11, 3) / 12,870
    = 0.026, Welch p 0.018.

    >>> _welch_below_floor(np.array([2e-5, 0.3]), np.array(["全省", "产业"]), (5, 5))[:3]
    (1, '全省', 2e-05)
    >>> r = _welch_below_floor(np.array([0.018]), np.array(["空间"]), (8, 8), [0], [5])
    >>> r[0], round(r[3], 4), r[4]
    (1, 0.0256, 5)
    """
    from math import comb

    n_t, n_r = n_docs
    n = n_t + n_r
    mult = 2 if n_t == n_r else 1
    total = comb(n, n_t)
    p = np.asarray(p, dtype=float)
    bound = np.full(len(p), mult / total)
    k = np.full(len(p), -1)
    if docs_t is not None and docs_r is not None:
        dt, dr = np.asarray(docs_t), np.asarray(docs_r)
        for j in np.flatnonzero((dt == 0) ^ (dr == 0)):
            kk, side = int(dt[j] + dr[j]), n_t if dr[j] == 0 else n_r
            if 0 < kk <= side:
                bound[j] = max(bound[j], mult * comb(n - kk, side - kk) / total)
                k[j] = kk
    # only where it matters: a p under .05 that relabelling could not give
    below = np.isfinite(p) & (p < bound * (1 - 1e-9)) & (p < 0.05)
    if not below.any():
        return None
    with np.errstate(divide="ignore"):
        ratio = np.where(below, bound / np.maximum(p, 1e-300), -np.inf)
    i = int(np.argmax(ratio))
    return (int(below.sum()), str(terms[i]), float(p[i]), float(bound[i]), int(k[i]),
            (n_t, n_r))


# =========================================================================== one comparison
def _one_keyness(m, t, r, a, b, opts: _Options, what: str) -> _Result:
    """The keyness table of target units ``t`` against reference units ``r`` (masks), whose
    per-term counts are ``a`` and ``b``."""
    n_t, n_r = int(a.sum()), int(b.sum())
    if n_t == 0:
        raise MetadataError(f"{what}: the target units have no tokens in the vocabulary")
    if n_r == 0:
        raise MetadataError(f"{what}: the reference units have no tokens in the vocabulary")
    keep = np.flatnonzero((a + b) > 0)
    if opts.min_docs > 1:
        # independent filtering: how many compared documents hold a term ignores which side
        # they are on, so the relabelling null (and Benjamini-Hochberg) is unchanged
        dc, _ = _document_counts(m, t | r, keep)
        keep = keep[(dc > 0).sum(axis=0) >= opts.min_docs]
    a, b = a[keep], b[keep]
    doc_of = _stats.document_ids(m.docs)
    info = {"n_units_target": int(t.sum()), "n_units_reference": int(r.sum()),
            "n_tokens_target": n_t, "n_tokens_reference": n_r,
            "n_docs_target": _stats.n_documents(doc_of[t]),
            "n_docs_reference": _stats.n_documents(doc_of[r]),
            "n_terms_tested": len(keep)}
    share = strength = None
    if opts.measure == "log_odds":
        alpha0 = _alpha0(opts, n_t + n_r)
        share = opts.prior_counts[keep] / opts.prior_counts.sum()
        strength = alpha0 / (n_t + n_r)
        info.update(alpha_0=alpha0, alpha_0_target=strength * n_t,
                    alpha_0_reference=strength * n_r)
    res = _Result(None, info)
    extra = {}
    if opts.measure in _DOC_MEASURES:
        score, p, mt, mr, n_docs, min_p, exact = _document_test(opts, m, t, r, keep)
        extra = {"doc_rate_target": mt * 1e4, "doc_rate_reference": mr * 1e4}
        if min(n_docs) < 2:
            res.few_docs = n_docs
        elif min(n_docs) < MIN_DOCS_INFERENCE:
            res.thin_docs = (*n_docs, min_p if min_p is not None else
                             _relabelling_floor(*n_docs))
        if opts.measure in _RESAMPLED:
            info.update(min_p=min_p, p_exact=exact,
                        stop_hits=STOP_HITS if opts.measure == "permutation" and not exact
                        else None)
            res.floor = _floor_binds(p, min_p, exact, len(keep))
        elif opts.measure == "welch" and min(n_docs) >= 2:
            res.below_floor = _welch_below_floor(p, m.terms[keep], n_docs,
                                                 _documents_with(m, t, keep),
                                                 _documents_with(m, r, keep))
    else:
        score, p = _scores(opts, a, b, n_t, n_r, share, strength)
        if min(info["n_docs_target"], info["n_docs_reference"]) >= 2:
            res.token_docs = (info["n_docs_target"], info["n_docs_reference"])
    out = pd.DataFrame({
        "term": m.terms[keep], "score": score, "p_value": p, "q_value": q_values(p),
        "count_target": a, "count_reference": b,
        "docs_target": _documents_with(m, t, keep), "docs_reference": _documents_with(m, r, keep),
        "rate_target": a / n_t * 1e4, "rate_reference": b / n_r * 1e4,
        "log_ratio": _stats.log_ratio(a, b, n_t, n_r),
        "fragment_of": _fragment_column(m, m.terms[keep]), **extra})
    if opts.n_stability:
        stab, res.skipped, res.single = _stability(m, t, r, keep, score, opts, share,
                                                   strength)
        out["stability"] = stab
        info["stability_skipped"] = res.skipped
    order = np.lexsort((out["term"].to_numpy(), -out["score"].to_numpy()))
    out = out.iloc[order].reset_index(drop=True)
    if opts.top_n is not None:
        out = _top_rows(out, opts.top_n)
    res.table = out
    res.fragments = _top_fragments(out)
    return res


def _top_rows(out: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The first and last ``top_n`` rows of a keyness table sorted by score (descending,
    ties by term), as ``keyness(top_n=)`` cuts it; of terms tied at the lower cut, those
    first by term, as the other direction ranks them (its keyness lists them first).

    >>> t = pd.DataFrame({"term": ["甲", "乙", "丙", "丁", "戊"],
    ...                   "score": [2.0, 1.0, -1.0, -1.0, -1.0]})
    >>> _top_rows(t, 2)["term"].tolist()
    ['甲', '乙', '丙', '丁']
    """
    if len(out) <= 2 * top_n:
        return out
    tail = out.iloc[-top_n:]
    cut = tail["score"].iloc[0]
    if not pd.isna(cut):
        tied = np.flatnonzero(out["score"].to_numpy() == cut)   # one run, by term
        n_tied = int((tail["score"] == cut).sum())
        rest = np.arange(len(out) - top_n + n_tied, len(out))
        low = np.concatenate([tied[:n_tied], rest])
        if tied[0] >= top_n:                  # not among the first top_n rows
            tail = out.iloc[low]
    return pd.concat([out.iloc[:top_n], tail], ignore_index=True)


def _fragment_column(m, terms) -> np.ndarray:
    """The ``fragment_of`` column: the longer string a single-character term is mostly a
    piece of (``m.fragments``, found by :func:`bri_text.dtm`), "" for the other terms."""
    frags = getattr(m, "fragments", None) or {}
    return np.array([frags[t]["fragment_of"] if t in frags else "" for t in terms],
                    dtype=object)


def _top_fragments(table: pd.DataFrame) -> tuple:
    """(term, fragment_of) of the flagged terms among the _FRAGMENT_TOP highest and lowest
    scores of one comparison (what a reader looks at)."""
    ok = table.dropna(subset=["score"])
    top = pd.concat([ok[ok["score"] > 0].head(_FRAGMENT_TOP),
                     ok[ok["score"] < 0].tail(_FRAGMENT_TOP)])
    hit = top[top["fragment_of"] != ""]
    return tuple(zip(hit["term"], hit["fragment_of"]))


def fragment_advice(pairs, counted_by: str | None = None) -> str:
    """The sentence that names flagged terms and the call that keeps their strings whole:
    for the call that made the counts (``counted_by``, a matrix's
    ``params["counted_by"]``: ``"distributed.group_counts"``, ``"distributed.dtm"`` or
    ``"distributed.count_matrix"`` for the Dask layer's; None for :func:`bri_text.dtm`'s, from Tokens).

    >>> fragment_advice([("磨", "磨憨"), ("憨", "磨憨")])
    "磨, 憨 are mostly pieces of 磨憨, which the tokenizer cuts into single characters; to count it as one word: bt.tokenize(units, tokenizer=bt.Tokenizer(user_dict={'磨憨'}))"
    >>> fragment_advice([("磨", "磨憨")], "distributed.group_counts").split(": ")[-1]
    "btd.group_counts(..., user_dict={'磨憨'}) (btd = bri_text.distributed)"
    """
    by_run: dict = {}
    for term, run in pairs:
        by_run.setdefault(run, []).append(term)
    parts = [f"{', '.join(dict.fromkeys(ts))} {'are' if len(ts) > 1 else 'is'} mostly "
             f"{'pieces' if len(ts) > 1 else 'a piece'} of {run}" for run, ts in by_run.items()]
    words = "{" + ", ".join(repr(r) for r in sorted(by_run)) + "}"
    many = len(by_run) > 1
    if counted_by == "distributed.group_counts":
        call = f"btd.group_counts(..., user_dict={words}) (btd = bri_text.distributed)"
    elif counted_by in ("distributed.dtm", "distributed.count_matrix"):
        call = (f"btd.vocabulary(docs, ..., user_dict={words}), then "
                f"btd.{counted_by.split('.')[1]}(docs, vocab, user_dict={words}) "
                "(btd = bri_text.distributed)")
    else:
        call = f"bt.tokenize(units, tokenizer=bt.Tokenizer(user_dict={words}))"
    return (f"{'; '.join(parts)}, which the tokenizer cuts into single characters; to count "
            f"{'each' if many else 'it'} as one word: {call}")


def _stability(m, t, r, keep, observed, opts: _Options, share, strength):
    """Share of valid bootstrap replicates in which each term stays in the top ``top_n``
    of its direction, resampling target and reference separately by ``opts.resample``
    (shared helper of :mod:`bri_text._stats`). Returns (stability, replicates skipped
    because a side drew no counted token, whether a side had too few documents/units)."""
    sub = m.counts[:, keep].tocsr()
    row_tot = np.asarray(m.counts.sum(axis=1), dtype=float).ravel()
    ti, ri = np.flatnonzero(t), np.flatnonzero(r)
    doc_of = _stats.document_ids(m.docs)
    dt, dr = doc_of[ti], doc_of[ri]
    if opts.resample == "unit":
        too_few = min(len(ti), len(ri)) < 2
    else:
        too_few = min(_stats.n_documents(dt), _stats.n_documents(dr)) < 2
    if too_few:
        return np.full(len(keep), np.nan), 0, True
    n_boot, top = opts.n_stability, opts.top_n or _STABILITY_TOP
    xt, xr = sub[ti], sub[ri]
    pos, neg = observed > 0, observed < 0
    hits = np.zeros(len(keep))
    valid = 0
    step = max(1, 200_000 // max(len(keep), 1))
    for s in range(0, n_boot, step):
        k = min(step, n_boot - s)
        wt = _stats.resample_weights(dt, k, opts.resample, opts.rng)
        wr = _stats.resample_weights(dr, k, opts.resample, opts.rng)
        A = np.asarray((xt.T @ wt.T).T)
        B = np.asarray((xr.T @ wr.T).T)
        NT, NR = wt @ row_tot[ti], wr @ row_tot[ri]
        for i in range(k):
            a, b, n_t, n_r = A[i], B[i], NT[i], NR[i]
            if n_t == 0 or n_r == 0:
                continue
            valid += 1
            with np.errstate(divide="ignore", invalid="ignore"):
                sc, _ = _scores(opts, a, b, n_t, n_r, share, strength)
            sc = np.where((a + b) > 0, sc, np.nan)
            for direction, sgn in ((pos, 1.0), (neg, -1.0)):
                v = np.where(np.isnan(sc), -np.inf, sgn * sc)
                kk = min(top, len(v))
                thresh = np.partition(v, len(v) - kk)[len(v) - kk]
                hits += direction & (v >= thresh) & (v > 0)
    skipped = n_boot - valid
    if not valid:
        return np.full(len(keep), np.nan), skipped, False
    return hits / valid, skipped, False


def _counted_by(m) -> str | None:
    """The call that made a matrix's counts when it was not :func:`bri_text.dtm` (the Dask
    layer records ``params["counted_by"]``)."""
    return (getattr(m, "params", None) or {}).get("counted_by")


def _warn_keyness(results: dict, resample, n_boot, measure=None, counted_by=None):
    """One warning per kind, naming the comparisons (``results``: what -> _Result;
    ``counted_by``: the matrix's ``params["counted_by"]``, for the fragments' advice)."""
    few = [(w, r.few_docs) for w, r in results.items() if r.few_docs is not None]
    token = [(w, r.token_docs) for w, r in results.items() if r.token_docs is not None]
    if token:
        desc = [f"{w} ({nt} vs {nr} documents)" for w, (nt, nr) in token[:10]]
        warnings.warn(f"keyness: the p- and q-values of measure={measure!r} treat every token "
                      f"as an independent draw, and overstate significance when each side "
                      f"has several documents ({', '.join(desc)}): under random relabelling "
                      f"of documents {TOKEN_NULL_RATES[measure]} of frequent terms have "
                      "p < .05, not 5% (benchmarks/sim_tests.py; docs/STATISTICS.md). Read "
                      "them as differences between these texts; for a test of the groups use "
                      "measure='permutation' (document-level)", stacklevel=3)
    frags = [pair for r in results.values() for pair in r.fragments]
    if frags:
        advice = fragment_advice(list(dict.fromkeys(frags)), counted_by)
        warnings.warn(f"keyness: {advice} (column "
                      "fragment_of; bt.discover_terms(corpus) finds more such terms)",
                      stacklevel=3)
    single = [w for w, r in results.items() if r.single]
    skipped = [(w, r.skipped) for w, r in results.items() if r.skipped]
    floor = [(w, r.floor, r.info.get("min_p")) for w, r in results.items() if r.floor]
    if few:
        desc = [f"{w} ({nt} vs {nr} documents)" for w, (nt, nr) in few[:10]]
        warnings.warn(f"keyness: document-level tests need at least two documents on each "
                      f"side; score and p_value are NaN for {desc}", stacklevel=3)
    thin = [(w, r.thin_docs) for w, r in results.items() if r.thin_docs is not None]
    if thin:
        desc = [f"{w} ({nt} vs {nr} documents: smallest attainable p {mp:.2g} = "
                f"1/{round(1 / mp):,})" for w, (nt, nr, mp) in thin[:10]]
        warnings.warn(f"keyness: a compared group has fewer than {MIN_DOCS_INFERENCE} "
                      f"documents: {'; '.join(desc)}. A document-level test then asks how "
                      f"these few documents differ from the others: a finding is about those "
                      f"documents, not about their group, and document-level inference needs "
                      f"more documents on each side (attrs['n_docs_target'], "
                      f"attrs['groups'] with by=)", stacklevel=3)
    if single:
        warnings.warn(f"keyness: bootstrap stability with resample={resample!r} needs at "
                      f"least two {'units' if resample == 'unit' else 'documents'} on each "
                      f"side; stability is NaN for {single[:10]} (resample='unit' "
                      "gives a within-document figure)", stacklevel=3)
    if floor:
        desc = [f"{w}: {k} terms at p = {mp:.2g}, q = {q:.2f}"
                + (f" (n_boot >= {need} would let them reach q < .05)" if need else
                   " (every relabelling was enumerated: only more documents can help)")
                for w, (k, q, need), mp in floor[:10]]
        warnings.warn(f"keyness: the smallest p-value the test can give (attrs['min_p']) "
                      f"keeps the terms at that floor at q >= .05 among all the terms "
                      f"tested: {desc}", stacklevel=3)
    below = [(w, r.below_floor) for w, r in results.items() if r.below_floor]
    if below:
        desc = []
        for w, (k, term, pt, bound, kk, (nt, nr)) in below[:10]:
            where = (f"none gives under {bound:.2g}" if kk < 0 else
                     f"its {kk} documents are all on one side, so no split gives it under "
                     f"{bound:.2g}")
            desc.append(f"{w} ({nt} vs {nr} documents): {k} terms, e.g. {term} p = {pt:.2g} "
                        f"({where})")
        warnings.warn("keyness: measure='welch' gives p-values below the smallest p that any "
                      "relabelling of the documents can give (" + "; ".join(desc) + "): a "
                      "term absent from every document of one side leaves Welch's t the "
                      "other side's spread alone, and its t-distribution p is then not "
                      "supported by the documents (under random relabelling of 8 to 20 "
                      "work reports a side, 14-18% of such terms get p < .05; "
                      "benchmarks/COMPARE.md); Benjamini-Hochberg counts such terms as "
                      "discoveries. Use measure='permutation' (docs/STATISTICS.md)",
                      stacklevel=3)
    if skipped:
        desc = [f"{w} ({k} of {n_boot})" for w, k in skipped[:10]]
        warnings.warn(f"keyness: bootstrap replicates in which a side drew no counted token "
                      f"were skipped (stability is the share of the valid ones): {desc}",
                      stacklevel=3)


# =========================================================================== keyness
@renamed_parameters(bootstrap="n_boot")
def keyness(x, target=None, reference=None, measure: str = "log_odds", *, by=None,
            prior=None, prior_scale=None, yates=None, n_boot=None, top_n=None,
            random_state=0, resample: str = "two-stage", min_docs: int = 1,
            exclude=None) -> pd.DataFrame:
    """Terms that distinguish a target group of units from a reference group.

    Parameters
    ----------
    x : DocumentTermMatrix (or Tokens / token lists, vectorised with :func:`bri_text.dtm`)
    target, reference : dict or boolean mask
        ``{"region": "广西"}`` (a value or a list of values per column; all columns must
        match) or one bool per unit. ``reference=None`` means all other units.
    measure : {"log_odds", "chi2", "g2", "log_ratio", "welch", "wilcoxon", "bootstrap_test", \
"permutation"}
        Token-level (every token an independent draw, so they answer "do these texts
        differ?", not "do these provinces differ?"; under random relabelling of the
        built-in corpus's documents they reject far more than 5%, see
        docs/STATISTICS.md): ``"log_odds"``: z-score of the log-odds ratio with
        informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eqs. 16-22; with the
        default prior z is shrunk by about sqrt(2): p < .05 about 1% of the time under
        independent tokens, ``attrs["z_note"]``);
        ``"chi2"``: Pearson chi-square of the term's 2x2 table; ``"g2"``: log-likelihood;
        ``"log_ratio"``: Hardie's Log Ratio (effect size).
        Document-level (Lijffijt et al. 2016, DSH 31(2); documents = ``parent_id`` of the
        units, paragraphs summed first; relative frequency = the term's count / the
        document's counted tokens): ``"welch"``: Welch's t-test of the per-document
        relative frequencies (score = t); ``"wilcoxon"``: Mann-Whitney U test of them
        (score = rank-biserial correlation 2U/(n1 n2) - 1); ``"bootstrap_test"``: the
        published bootstrap test (:func:`bootstrap_test`: means of per-document relative
        frequencies, min(n1, n2) documents drawn from each side, two-sided p =
        (1 + 2 n_boot min(p1, 1 - p1)) / (n_boot + 1); kept as published, it rejects
        more often than its level: 7-33% at p < .05 with 20 to 2 documents a side);
        ``"permutation"`` (**recommended** for a test of groups): a permutation test of
        the per-document relative frequencies over document labels
        (:func:`permutation_test`, statistic Welch's t = score; exact when the splits of
        the documents number at most max(``n_boot``, 10,000): every split enumerated,
        ``attrs["p_exact"]`` True, ``attrs["min_p"]`` 1 / the splits (6 vs 10 documents:
        1 / 8,008), the same whatever ``random_state``; else at most ``n_boot`` random
        splits, a term stopping once 100 of them reach its ``|t|``,
        ``attrs["stop_hits"]``, with p = 100 / the splits drawn, Besag & Clifford 1991): it
        keeps its level at every size (docs/STATISTICS.md). ``"welch"``'s t-distribution p is too small for terms absent
        from every document of one side (p < .05 for 14-18% of them under random
        relabelling, benchmarks/COMPARE.md). All four need two documents or
        more on each side: with fewer, score and p_value are NaN (one warning); with two
        on a side one warning says the smallest attainable p (2 vs 50: 1 / 1,326) and
        that a finding is about those two documents. The
        resampled tests record the smallest p they can give in ``attrs["min_p"]`` (with
        ``by=``: per group in ``attrs["groups"]``, the largest at the top) and warn when
        it keeps terms at that floor at q >= .05. The token-level p- and q-values treat
        tokens as independent: when both sides have two documents or more, keyness warns
        that they overstate significance (11-45% of frequent terms at p < .05 under
        random relabelling of documents, by measure and corpus) and names ``"permutation"``.
    by : str, optional
        Instead of target/reference: every group of this metadata column against all other
        units (one-vs-rest), as one long table with a ``group`` column. Units with no value
        in ``by`` form no group and are not in "the rest". ``by="decade"``: decades of
        the ``year`` column (1950 for 1950-1959), unless there is a ``decade`` column
        (README, "Decades"). Labels are compared as written; two naming one place (浙江, 浙江省) are
        named in a warning (README, "One place written two ways").
    prior : None, dict, mask, DocumentTermMatrix or float
        log_odds only: where the prior's term shares come from. None: the units compared
        (target + reference, as Monroe et al.), so z does not change when unrelated
        documents are in the matrix. A condition/mask: a subset of the units, e.g.
        ``{"level": "national"}``; a DocumentTermMatrix: another corpus, aligned by term
        (pass the matrix itself for its whole-corpus shares). Subset and external priors
        get 0.01 pseudo-counts per term (before scaling). A float: a uniform prior of that
        many pseudo-counts per term.
    prior_scale : None, "prior" or float
        alpha_0, the prior's total pseudo-count. Default (None): the number of tokens
        compared, so the prior weighs as much as the data; ``"prior"``: the prior's own
        token count; a number: that alpha_0. Whatever alpha_0, it is split between target
        and reference in proportion to their counted tokens, so both rates shrink alike
        and a score never has the opposite sign of ``rate_target - rate_reference``.
    yates : bool, optional
        chi2 only: Yates' continuity correction (default True, as scipy and quanteda).
    n_boot : int, optional
        Bootstrap replicates (one name for every bootstrap, formerly ``bootstrap=``):
        for ``"bootstrap_test"`` the test's replicates, for ``"permutation"`` the most
        random relabellings (default 1000 for both; up to 10,000 splits are all
        enumerated whatever ``n_boot``); for the token-level
        measures the replicates of the ``stability`` column. ``n_boot=0`` means no
        resampling, as in every function with ``n_boot``; None (the default) means the
        measure's default: 1000 for the resampled tests, no stability column otherwise.
    resample : {"two-stage", "document", "unit"}
        What the stability replicates draw within target and reference (see
        :func:`profile`): by default documents, then paragraphs within them; a side with
        one document then gives NaN stability (one warning). Replicates in which a side
        draws no counted token are skipped and counted in ``attrs["stability_skipped"]``.
    top_n : int, optional
        Keep the ``top_n`` highest and ``top_n`` lowest scores (both directions; of terms
        tied at a cut, those first by term, so that the lowest are the terms the other
        direction's table lists first); also the cut-off for stability (20 when None).
        ``q_value`` is computed over every term tested, before this cut.
    random_state : int (default 0), None or numpy Generator
        Seed of the resampled test and of the stability replicates (recorded in
        ``attrs["random_state"]``): pass another int to draw other resamples, None for
        fresh randomness (docs/STATISTICS.md, "Seeds").
    min_docs : int
        Document-level measures: test only the terms found in at least this many of the
        compared documents (target and reference together); the others are left out of
        the table (``attrs["n_terms_tested"]``, per group with ``by=``, counts the rest). The filter ignores which
        side a document is on, so the tests keep their level, and Benjamini-Hochberg no
        longer counts terms too rare to reach a small p (independent filtering, Bourgon,
        Gentleman & Huber 2010). Default 1: every term.
    exclude : None, "own_names" or a collection of terms
        Terms to leave out before anything is counted or tested, as stopwords would be
        (nor are they in the sides' token totals or the q-values' number of tests).
        ``"own_names"``: the compared documents' own names and self-references, which
        tell which government wrote a document, not what it says (广西 in Guangxi's
        report, 全区 in every autonomous region's, 全省 in every province's): every name
        form of the province-level divisions (``lexicons/provinces.tsv``: 广西,
        广西壮族自治区, 广西自治区, 桂) that a metadata column of the compared units holds
        (a city's value: it with and without 市), and the words of
        ``lexicons/self_references.txt`` (全省, 全区, 我省, 本市, 自治区, 省委 …) when
        some compared unit is sub-national: its ``level`` is not ``national``, or (no
        level) a metadata column names a province or city for it. Of national documents
        only (or with no such column) the self-references are kept: 自治区 in a State
        Council report (各省、自治区、直辖市) is content. A word is left out of the whole
        comparison or of none, so comparing national with provincial documents leaves
        them out of both sides (see :func:`own_names`). The other provinces' names stay:
        Guangdong in Guangxi's report is content.
        ``attrs["excluded"]`` lists each left-out term found in the compared units with
        its count in target and reference (``{term: [n_target, n_reference]}``; with
        ``by=``, ``[n in the grouped units, 0]``), ``attrs["exclude"]`` the rule.
        Default None: nothing left out.

    Returns
    -------
    DataFrame with :data:`KEYNESS_COLUMNS` (see the module docstring), plus
    ``doc_rate_target`` / ``doc_rate_reference`` for the document-level measures and
    ``stability`` with ``n_boot``; ``q_value`` is the Benjamini-Hochberg adjusted p-value
    over the terms of one comparison (each group's own with ``by=``). ``attrs`` records
    the measure, ``test`` (token- or document-level), the prior and alpha_0, the
    resampling scheme of the stability replicates and group sizes, ``min_p`` (resampled
    tests), ``random_state`` (with ``n_boot``), ``z_note`` (log_odds) and
    ``tokens_fingerprint``, the fingerprint of the tokens counted (``Tokens.fingerprint``,
    as a topic model's ``provenance_["corpus_fingerprint"]`` and a report's manifest
    record it; see :class:`~bri_text.DocumentTermMatrix`).

    >>> from bri_text import dtm
    >>> m = dtm([["东盟", "东盟", "合作"], ["东盟", "中亚", "合作"], ["中亚", "中亚", "合作"]])
    >>> k = keyness(m, target=[True, True, False])      # units 0-1 against unit 2
    >>> k[["term", "count_target", "count_reference"]].values.tolist()
    [['东盟', 3, 0], ['合作', 2, 1], ['中亚', 1, 2]]
    """
    m = as_dtm(x)
    yates, n_test, n_stability = _check_keyness_args(measure, yates, n_boot, top_n, prior,
                                                    prior_scale, resample)
    check_scalar(min_docs, "min_docs", min_val=1)
    if min_docs > 1 and measure not in _DOC_MEASURES:
        raise ParameterError(f"min_docs applies to the document-level measures "
                             f"{_DOC_MEASURES}, not {measure!r}")
    rng = check_random_state(random_state) if (n_test or n_stability) else None
    sides = _sides(m, target, reference, by)
    m, excluded, exclude_rule = _without_terms(m, sides, exclude)
    prior_counts, prior_label, uniform = (None, None, False)
    if measure == "log_odds":
        prior_counts, prior_label, uniform = _prior_counts(m, prior, sides.compared)
    opts = _Options(measure=measure, prior_counts=prior_counts, prior_scale=prior_scale,
                    uniform=uniform, yates=yates, n_stability=n_stability, n_test=n_test,
                    min_docs=int(min_docs), top_n=top_n, resample=resample, rng=rng)
    attrs = _keyness_attrs(opts, prior_label)
    attrs["random_state"] = seed_record(random_state) if rng is not None else None
    attrs["exclude"], attrs["excluded"] = exclude_rule, excluded
    attrs["tokens_fingerprint"] = m.tokens_fingerprint     # what was counted (dtm's)
    # single characters that are pieces of a longer string (dtm's; None: not checked)
    frags = getattr(m, "fragments", None)
    attrs["fragments"] = None if frags is None else {t: v["fragment_of"]
                                                     for t, v in frags.items()}
    if by is not None:
        return _keyness_by(m, sides, opts, attrs)
    a = _column_sums(m.counts, sides.target)
    b = _column_sums(m.counts, sides.reference)
    res = _one_keyness(m, sides.target, sides.reference, a, b, opts, "target vs reference")
    res.table.attrs.update(attrs, **res.info)
    # the sides' names for plot.keyness: the values of a condition, "rest" without reference
    res.table.attrs["labels"] = (_side_label(target), "rest" if reference is None
                                 else _side_label(reference))
    _warn_keyness({"target vs reference": res}, resample, n_stability, measure,
                  _counted_by(m))
    return res.table


def _check_keyness_args(measure, yates, n_boot, top_n, prior, prior_scale, resample):
    """(yates, replicates of the resampled test, bootstrap stability replicates) after
    checking keyness's arguments."""
    if measure not in _MEASURES:
        raise ParameterError(f"measure must be one of {_MEASURES}, got {measure!r}")
    if yates is not None and measure != "chi2":
        raise ParameterError(f"yates applies only to measure='chi2', not {measure!r}")
    yates = True if yates is None else bool(yates)
    doc_level = measure in _DOC_MEASURES
    check_scalar(n_boot, "n_boot", min_val=1 if measure in _RESAMPLED else 0,
                 allow_none=True)
    if n_boot and doc_level and measure not in _RESAMPLED:
        raise ParameterError(f"n_boot (bootstrap stability) applies to token-level measures "
                             f"and to 'bootstrap_test' / 'permutation', not {measure!r} (a "
                             "document-level test already accounts for variation between "
                             "documents)")
    n_test = (n_boot or _TEST_BOOT) if measure in _RESAMPLED else 0
    n_stability = 0 if doc_level else int(n_boot or 0)
    _stats.check_resample(resample)
    check_scalar(top_n, "top_n", min_val=1, allow_none=True)
    if measure != "log_odds" and (prior is not None or prior_scale is not None):
        raise ParameterError(f"prior and prior_scale apply only to measure='log_odds', "
                             f"not {measure!r}")
    _check_prior_scale(prior_scale)
    return yates, n_test, n_stability


@dataclass
class _Sides:
    """Who is compared: with ``by``, each group (``codes``/``labels``) against the rest;
    else the ``target`` and ``reference`` masks. ``compared``: units in either."""

    compared: np.ndarray
    target: np.ndarray | None = None
    reference: np.ndarray | None = None
    codes: np.ndarray | None = None
    labels: list | None = None
    name: str | None = None


def _sides(m, target, reference, by) -> _Sides:
    if by is not None:
        if target is not None or reference is not None:
            raise ParameterError("give either by= (each group against the rest) or "
                                 "target=/reference=, not both")
        codes, labels, name = _group_codes(m.docs, by, "keyness")
        if len(labels) < 2:
            raise MetadataError(f"by={name!r} has a single group ({labels}); there is no "
                                "rest to compare it with")
        _warn_split_documents(m.docs, codes, labels, name, "keyness")
        # units with no by= value are in no group and no reference
        return _Sides(codes >= 0, codes=codes, labels=labels, name=name)
    if target is None:
        raise ParameterError("give target= (e.g. {'region': '广西'} or a boolean mask) "
                             "or by=")
    t = condition_mask(m.docs, target, "target")
    if not t.any():
        raise MetadataError(f"target {_describe(target)} matches no units"
                            + _values_hint(m.docs, target))
    if reference is None:
        if t.all():
            raise MetadataError(f"target {_describe(target)} matches every unit "
                                f"({len(t)}); nothing is left as reference")
        _warn_sides(m, t, ~t)
        return _Sides(np.ones(len(t), dtype=bool), target=t, reference=~t)
    r = condition_mask(m.docs, reference, "reference")
    if not r.any():
        raise MetadataError(f"reference {_describe(reference)} matches no units"
                            + _values_hint(m.docs, reference))
    overlap = int((t & r).sum())
    if overlap:
        raise ParameterError(f"target and reference share {overlap} unit(s); they "
                             "must be disjoint")
    _warn_sides(m, t, r)
    return _Sides(t | r, target=t, reference=r)


def _warn_sides(m, t, r) -> None:
    """The shared warning when a document (``parent_id``) has units in the target and in
    the reference."""
    codes = np.where(t, 0, np.where(r, 1, -1))
    _warn_split_documents(m.docs, codes, ["target", "reference"], None, "keyness")


def own_names(docs: pd.DataFrame) -> tuple[set, list]:
    """The own names of the documents of ``docs`` (their metadata rows): every name form
    of each province-level division that a column's value names (``provinces.tsv``: short,
    full, variant and one-character names; a city, prefecture or port: the value with and
    without 市), and the self-references of ``lexicons/self_references.txt`` when some of
    the documents are sub-national (see below); and the columns that
    named them.

    Self-references (全省, 我区, 自治区, 本省 …) are what a provincial, regional or city
    government calls itself; in a national document the same words are content (各省、
    自治区、直辖市 in a State Council notice), so they count as own names only when at
    least one of the documents is sub-national: its ``level`` is not ``national`` (e.g.
    ``provincial``, ``municipal``), or, with no ``level`` value, a metadata column names a
    province or city for it (``province``, ``region``, ``city`` …). A document whose
    ``level`` is ``national`` is national whatever its other columns say. With no such
    evidence (all national, or no level/province/city column at all) they are kept.

    >>> names, columns = own_names(pd.DataFrame({"doc_id": ["gx"],
    ...                                          "province": ["广西壮族自治区"]}))
    >>> sorted(names & {"广西", "广西自治区", "桂", "全区", "广东"}), columns
    (['全区', '广西', '广西自治区', '桂'], ['province'])
    >>> names, _ = own_names(pd.DataFrame({"doc_id": ["wr2019"], "level": ["national"]}))
    >>> "自治区" in names, "全省" in names
    (False, False)
    """
    from .._lexicons import load_provinces, load_self_references

    prov = load_provinces()
    by_name = prov.drop_duplicates("name").set_index("name")
    provincial = prov[prov["kind"].isin(("short", "full", "variant", "abbr"))]
    forms = provincial.groupby("province")["name"].apply(set).to_dict()
    names, columns = set(), []
    for col in _place_columns(docs, by_name.index):
        values = {str(v).strip() for v in docs[col].dropna().unique()}
        columns.append(str(col))
        for v in values & set(by_name.index):
            if by_name.loc[v, "kind"] in ("short", "full", "variant", "abbr"):
                names |= forms[by_name.loc[v, "province"]]
            else:
                names |= {v, v[:-1] if v.endswith("市") else v + "市"}
    if _self_reference_basis(docs) is not None:
        names |= set(load_self_references())
    return names, columns


# ``level`` values of a national (central) document; any other value is sub-national,
# as the rest of the library reads ``level`` (reuse, diffusion: level != national)
_NATIONAL_LEVELS = frozenset({"national", "central", "国家", "国家级", "中央", "全国"})


def _place_columns(docs: pd.DataFrame, place_names) -> list:
    """The metadata columns of ``docs`` (text, not doc_id) some of whose values name a
    province-level division or a city (``provinces.tsv``)."""
    place_names = set(place_names)
    out = []
    for col in docs.columns:
        if col in ("doc_id", "text") or docs[col].dtype.kind not in "OSU":
            continue
        if {str(v).strip() for v in docs[col].dropna().unique()} & place_names:
            out.append(col)
    return out


def _self_reference_basis(docs: pd.DataFrame, what: str = "document") -> str | None:
    """Why the self-references of ``lexicons/self_references.txt`` count as own names of
    the documents ``docs`` (their metadata rows), in words, or None when no document is
    sub-national (see :func:`own_names`): a ``level`` other than national, else (no level
    value) a column naming a province or city.

    >>> import pandas as pd
    >>> _self_reference_basis(pd.DataFrame({"doc_id": ["a", "b"],
    ...                                    "level": ["national", "provincial"]}))
    "1 of 2 documents is sub-national: level 'provincial'"
    >>> _self_reference_basis(pd.DataFrame({"doc_id": ["gx"], "province": ["广西壮族自治区"]}))
    "1 of 1 document is sub-national: a province or city in column 'province'"
    >>> _self_reference_basis(pd.DataFrame({"doc_id": ["wr2019"], "发文机关": ["国务院"]})) is None
    True
    """
    from .._lexicons import load_provinces

    n = len(docs)
    local = np.zeros(n, dtype=bool)
    unknown = np.ones(n, dtype=bool)
    reasons = []
    if "level" in docs.columns:
        level = docs["level"].astype("string").str.strip()
        known = level.notna().to_numpy(bool) & (level != "").fillna(False).to_numpy(bool)
        national = level.str.lower().isin(_NATIONAL_LEVELS).fillna(False).to_numpy(bool)
        local |= known & ~national
        unknown &= ~known
        if local.any():
            values = sorted(level[local].unique())
            reasons.append("level " + ", ".join(map(repr, values)))
    if unknown.any():
        names = set(load_provinces()["name"])
        place_cols = _place_columns(docs, names)
        named = np.zeros(n, dtype=bool)
        for col in place_cols:
            named |= docs[col].map(lambda v: pd.notna(v) and str(v).strip() in names
                                   ).to_numpy(bool)
        local |= unknown & named
        if (unknown & named).any():
            reasons.append("a province or city in column"
                           + ("s " if len(place_cols) > 1 else " ")
                           + ", ".join(repr(str(c)) for c in place_cols))
    if not local.any():
        return None
    return (f"{int(local.sum())} of {n} {what}{'s' if n != 1 else ''} "
            f"{'are' if local.sum() != 1 else 'is'} sub-national: {'; '.join(reasons)}")


def _without_terms(m, sides: _Sides, exclude):
    """The matrix without the ``exclude`` terms (``keyness``'s parameter), the left-out
    terms found in the compared units with their counts ``{term: [target, reference]}``,
    and the rule in words (None, None, None without ``exclude``)."""
    if exclude is None:
        return m, None, None
    if isinstance(exclude, str):
        if exclude != "own_names":
            raise ParameterError(f"exclude must be None, 'own_names' or a collection of "
                                 f"terms, got {exclude!r} (a single term: exclude={{"
                                 f"{exclude!r}}})")
        compared = m.docs[sides.compared]
        terms, columns = own_names(compared)
        basis = _self_reference_basis(compared, "unit")
        refs = ("self-references (lexicons/self_references.txt), as " + basis
                if basis is not None else
                "not the self-references of lexicons/self_references.txt (全省, 自治区 "
                "…), kept: no compared unit is sub-national (a level other than "
                "national, or a column naming a province or city)")
        rule = (f"own_names: the compared documents' own names (provinces.tsv, by the "
                f"metadata columns {columns}) and {refs}" if columns else
                f"own_names: {refs}; no metadata column of the compared units names a "
                "province or city")
    else:
        try:
            terms = {str(t) for t in exclude}
        except TypeError:
            raise ParameterError(f"exclude must be None, 'own_names' or a collection of "
                                 f"terms, got {exclude!r}") from None
        rule = f"{len(terms)} terms given"
    drop = np.isin(m.terms, list(terms))
    if sides.target is not None:
        t, r = sides.target, sides.reference
    else:
        t, r = sides.compared, np.zeros(len(sides.compared), dtype=bool)
    a = _column_sums(m.counts, t)[drop]
    b = _column_sums(m.counts, r)[drop]
    found = {str(term): [int(x), int(y)] for term, x, y in zip(m.terms[drop], a, b) if x + y}
    excluded = dict(sorted(found.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
    if drop.any():
        keep = np.flatnonzero(~drop)
        counts = m.counts[:, keep]
        m = DocumentTermMatrix(counts if m.weighting == "count" else m.matrix[:, keep],
                               m.terms[keep], m.docs, weighting=m.weighting, counts=counts,
                               params=m.params, tokens_fingerprint=m.tokens_fingerprint,
                               fragments=m.fragments)
    return m, excluded, rule


def _keyness_attrs(opts: _Options, prior_label) -> dict:
    """What a keyness table records about how it was computed."""
    measure, n_stability, resample = opts.measure, opts.n_stability, opts.resample
    log_odds = measure == "log_odds"
    scale_rule = None
    if log_odds:
        scale_rule = ("prior's own count" if opts.prior_scale == "prior"
                      or (opts.prior_scale is None and opts.uniform) else
                      "tokens compared" if opts.prior_scale is None else "given")
    test_resampling = {
        "bootstrap_test": "documents with replacement, min(n_target, n_reference) from "
                          "each side",
        "permutation": "document labels: every split of the documents into groups of these "
                       f"sizes when there are at most max(n_boot, {EXACT_SPLITS:,}) of them "
                       "(exact p, the same whatever random_state), else at most n_boot "
                       "random splits; statistic Welch's t"}.get(measure)
    return {"measure": measure,
            "test": DOCUMENT_LEVEL if measure in _DOC_MEASURES else TOKEN_LEVEL,
            "q_value": "Benjamini-Hochberg over the terms of each comparison "
                       "(scipy.stats.false_discovery_control)",
            "prior": prior_label, "alpha_0": None, "alpha_0_rule": scale_rule,
            "prior_weighting": PRIOR_WEIGHTING if log_odds else None,
            "yates": opts.yates if measure == "chi2" else None,
            "n_boot": opts.n_test or n_stability or None,
            "resample": resample if n_stability else None,
            "stability_resampling": (f"{resample}, separately in target and reference"
                                     if n_stability else None),
            "test_resampling": test_resampling,
            "min_p": None,
            "min_docs": opts.min_docs if measure in _DOC_MEASURES else None,
            "z_note": LOG_ODDS_Z if log_odds else None,
            "stability_top_n": (opts.top_n or _STABILITY_TOP) if n_stability else None}


def _keyness_by(m, sides: _Sides, opts: _Options, attrs: dict) -> pd.DataFrame:
    """Each group of ``by`` against the rest, as one long table with a ``group`` column."""
    codes, labels = sides.codes, sides.labels
    group_sums = np.asarray((_indicator(codes, len(labels)) @ m.counts).toarray(),
                            dtype=np.int64)
    grouped_total = group_sums.sum(axis=0)
    parts, sizes, results = [], {}, {}
    for gi, label in enumerate(labels):
        t, a = codes == gi, group_sums[gi]
        what = f"group {label!r}"
        res = _one_keyness(m, t, sides.compared & ~t, a, grouped_total - a, opts, what)
        res.table.insert(0, "group", label)
        parts.append(res.table)
        sizes[label] = res.info
        results[what] = res
    table = pd.concat(parts, ignore_index=True)
    alphas = {v.get("alpha_0") for v in sizes.values()}
    floors = [v["min_p"] for v in sizes.values() if v.get("min_p") is not None]
    table.attrs.update(attrs, by=sides.name, groups=sizes,
                       alpha_0=alphas.pop() if len(alphas) == 1 else None,
                       min_p=max(floors) if floors else None)
    _warn_keyness(results, opts.resample, opts.n_stability, opts.measure, _counted_by(m))
    return table
