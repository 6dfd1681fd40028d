"""Keyness: which terms one group of documents uses more than another."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _stats
from .._util import check_random_state, condition_mask
from ..errors import MetadataError, ParameterError
from ..features import DocumentTermMatrix, _as_dtm, _group_codes, _indicator

#: The fixed columns of :func:`keyness`.
KEYNESS_COLUMNS = ["term", "score", "p_value", "count_target", "count_reference",
                   "rate_target", "rate_reference", "log_ratio"]
_MEASURES = ("log_odds", "chi2", "g2", "log_ratio", "welch", "wilcoxon", "bootstrap_test")
#: Measures that test per-document relative frequencies (Lijffijt et al. 2016).
_DOC_MEASURES = ("welch", "wilcoxon", "bootstrap_test")
#: Pseudo-count added to every term of a subset or external prior (before scaling).
_PRIOR_SMOOTH = 0.01
_STABILITY_TOP = 20


# =========================================================================== keyness
def _describe(condition) -> str:
    return repr(condition) if isinstance(condition, dict) else "the mask"


def _values_hint(docs: pd.DataFrame, condition) -> str:
    if isinstance(condition, dict) and len(condition) == 1:
        col = next(iter(condition))
        if col in docs.columns:
            vals = pd.unique(docs[col].dropna())
            return f"; values of {col!r}: {list(vals[:30])}"
    return ""


def _column_sums(counts, rows=None) -> np.ndarray:
    """Each term's count over all units, or over the units of a boolean mask ``rows``."""
    summed = counts.sum(axis=0) if rows is None else rows.astype(np.int64) @ counts
    return np.asarray(summed, dtype=np.int64).ravel()


def _prior_alpha(m: DocumentTermMatrix, prior, total: np.ndarray):
    """The prior's pseudo-counts over ``m.terms`` (before scaling), a label and whether it
    is a uniform prior; ``total`` is each term's count in ``m``."""
    if prior is None:
        return total.astype(float), "whole matrix (term shares)", False
    if isinstance(prior, (int, float, np.integer, np.floating)) and not isinstance(prior, bool):
        if prior <= 0:
            raise ParameterError(f"prior={prior!r}: a uniform prior must be > 0 pseudo-counts "
                                 "per term")
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
    if prior_scale is None or prior_scale == "prior":
        return
    if isinstance(prior_scale, bool) or not isinstance(
            prior_scale, (int, float, np.integer, np.floating)) or prior_scale <= 0:
        raise ParameterError(f"prior_scale must be None (alpha_0 = the compared tokens), "
                             f"'prior' (the prior's own token count) or a positive number, "
                             f"got {prior_scale!r}")


def _scale_prior(counts, uniform, prior_scale, n_compared):
    """(alpha_w, alpha_0): the prior's shares times alpha_0, where alpha_0 is the compared
    tokens (default for corpus-derived priors), the prior's own count (``"prior"``, and
    uniform priors by default) or ``prior_scale``."""
    own = float(counts.sum())
    if prior_scale is None:
        alpha0 = own if uniform else float(n_compared)
    elif prior_scale == "prior":
        alpha0 = own
    else:
        alpha0 = float(prior_scale)
    return counts * (alpha0 / own), alpha0


def _scores(measure, a, b, n_t, n_r, alpha, alpha0, yates):
    if measure == "log_odds":
        score, p, _ = _stats.log_odds(a, b, n_t, n_r, alpha, alpha0)
    elif measure == "chi2":
        score, p = _stats.chi2(a, b, n_t, n_r, yates)
    elif measure == "g2":
        score, p = _stats.g2(a, b, n_t, n_r)
    else:
        score = _stats.log_ratio(a, b, n_t, n_r)
        p = _stats.g2(a, b, n_t, n_r)[1]
    return score, p


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


def _document_test(measure, m, t, r, keep, n_boot, rng):
    """(score, p) of a per-document test of every term ``keep``; NaN when a side has fewer
    than two documents (returned as the third value: the document counts)."""
    from scipy import stats

    ct, tt = _document_counts(m, t, keep)
    cr, tr = _document_counts(m, r, keep)
    n_docs = (len(tt), len(tr))
    if min(n_docs) < 2:
        nan = np.full(len(keep), np.nan)
        return nan, nan.copy(), n_docs
    ft, fr = ct / tt[:, None], cr / tr[:, None]
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if measure == "welch":
            res = stats.ttest_ind(ft, fr, axis=0, equal_var=False)
            return np.asarray(res.statistic), np.asarray(res.pvalue), n_docs
        if measure == "wilcoxon":
            res = stats.mannwhitneyu(ft, fr, axis=0, alternative="two-sided")
            rbc = 2 * np.asarray(res.statistic) / (len(tt) * len(tr)) - 1
            return rbc, np.asarray(res.pvalue), n_docs
    # bootstrap test (Lijffijt et al. 2016): documents resampled within each side
    obs = ct.sum(0) / tt.sum() - cr.sum(0) / tr.sum()
    below = np.zeros(len(keep))
    above = np.zeros(len(keep))
    diffs_sum = np.zeros(len(keep))
    diffs_sq = np.zeros(len(keep))
    step = max(1, 2_000_000 // max(len(keep), 1))
    for s in range(0, n_boot, step):
        k = min(step, n_boot - s)
        wt = _stats.resample_weights(np.arange(len(tt)), k, "document", rng)
        wr = _stats.resample_weights(np.arange(len(tr)), k, "document", rng)
        d = (wt @ ct) / (wt @ tt)[:, None] - (wr @ cr) / (wr @ tr)[:, None]
        above += (d > 0).sum(0) + 0.5 * (d == 0).sum(0)
        below += (d < 0).sum(0) + 0.5 * (d == 0).sum(0)
        diffs_sum += d.sum(0)
        diffs_sq += (d * d).sum(0)
    p = np.minimum(1.0, 2 * (1 + np.minimum(above, below)) / (n_boot + 1))
    sd = np.sqrt(np.maximum(diffs_sq / n_boot - (diffs_sum / n_boot) ** 2, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(sd > 0, obs / sd, np.nan)
    return score, p, n_docs


def _one_keyness(m, t, r, a, b, measure, prior_counts, uniform, prior_scale, yates,
                 bootstrap, top_n, rng, what, resample, n_boot, notes):
    """The keyness table of target units ``t`` against reference units ``r`` (masks), whose
    per-term counts are ``a`` and ``b``."""
    n_t, n_r = int(a.sum()), int(b.sum())
    if n_t == 0:
        raise MetadataError(f"{what}: the target units have no tokens in the vocabulary")
    if n_r == 0:
        raise MetadataError(f"{what}: the reference units have no tokens in the vocabulary")
    alpha, alpha0 = _scale_prior(prior_counts, uniform, prior_scale, n_t + n_r)
    keep = np.flatnonzero((a + b) > 0)
    a, b = a[keep], b[keep]
    al = alpha[keep]
    info = {"n_units_target": int(t.sum()), "n_units_reference": int(r.sum()),
            "n_tokens_target": n_t, "n_tokens_reference": n_r}
    doc_of = _stats.document_ids(m.docs)
    info["n_docs_target"] = _stats.n_documents(doc_of[t])
    info["n_docs_reference"] = _stats.n_documents(doc_of[r])
    if measure in _DOC_MEASURES:
        score, p, n_docs = _document_test(measure, m, t, r, keep, n_boot, rng)
        if min(n_docs) < 2:
            notes["few_docs"].append((what, n_docs))
    else:
        score, p = _scores(measure, a, b, n_t, n_r, al, alpha0, yates)
    if measure == "log_odds":
        info["alpha_0"] = alpha0
    out = pd.DataFrame({
        "term": m.terms[keep], "score": score, "p_value": p,
        "count_target": a, "count_reference": b,
        "rate_target": a / n_t * 1e4, "rate_reference": b / n_r * 1e4,
        "log_ratio": _stats.log_ratio(a, b, n_t, n_r)})
    if bootstrap:
        stab, skipped = _stability(m, t, r, keep, score, measure, al, alpha0, yates,
                                   bootstrap, top_n or _STABILITY_TOP, rng, what, resample,
                                   notes)
        out["stability"] = stab
        info["stability_skipped"] = skipped
    order = np.lexsort((out["term"].to_numpy(), -out["score"].to_numpy()))
    out = out.iloc[order].reset_index(drop=True)
    if top_n is not None and len(out) > 2 * top_n:
        out = pd.concat([out.iloc[:top_n], out.iloc[-top_n:]], ignore_index=True)
    return out, info


def _stability(m, t, r, keep, observed, measure, alpha, alpha0, yates, n_boot, top, rng,
               what, resample, notes):
    """Share of valid bootstrap replicates in which each term stays in the top ``top`` of
    its direction, resampling target and reference separately by ``resample`` (shared
    helper of :mod:`bri_text._stats`). Returns (stability, replicates skipped because a
    side drew no counted token); NaN when a side has fewer than two documents under a
    document-based scheme."""
    sub = m.counts[:, keep].tocsr()
    row_tot = np.asarray(m.counts.sum(axis=1), dtype=float).ravel()
    ti, ri = np.flatnonzero(t), np.flatnonzero(r)
    doc_of = _stats.document_ids(m.docs)
    dt, dr = doc_of[ti], doc_of[ri]
    if resample != "unit" and min(_stats.n_documents(dt), _stats.n_documents(dr)) < 2:
        notes["single"].append(what)
        return np.full(len(keep), np.nan), 0
    if resample == "unit" and min(len(ti), len(ri)) < 2:
        notes["single"].append(what)
        return np.full(len(keep), np.nan), 0
    xt, xr = sub[ti], sub[ri]
    pos, neg = observed > 0, observed < 0
    hits = np.zeros(len(keep))
    valid = 0
    step = max(1, 200_000 // max(len(keep), 1))
    for s in range(0, n_boot, step):
        k = min(step, n_boot - s)
        wt = _stats.resample_weights(dt, k, resample, rng)
        wr = _stats.resample_weights(dr, k, resample, rng)
        A = np.asarray((xt.T @ wt.T).T)
        B = np.asarray((xr.T @ wr.T).T)
        NT, NR = wt @ row_tot[ti], wr @ row_tot[ri]
        for i in range(k):
            a, b, n_t, n_r = A[i], B[i], NT[i], NR[i]
            if n_t == 0 or n_r == 0:
                continue
            valid += 1
            with np.errstate(divide="ignore", invalid="ignore"):
                sc, _ = _scores(measure, a, b, n_t, n_r, alpha, alpha0, yates)
            sc = np.where((a + b) > 0, sc, np.nan)
            for direction, sgn in ((pos, 1.0), (neg, -1.0)):
                v = np.where(np.isnan(sc), -np.inf, sgn * sc)
                kk = min(top, len(v))
                thresh = np.partition(v, len(v) - kk)[len(v) - kk]
                hits += direction & (v >= thresh) & (v > 0)
    skipped = n_boot - valid
    if skipped:
        notes["skipped"].append((what, skipped))
    if not valid:
        return np.full(len(keep), np.nan), skipped
    return hits / valid, skipped


def _warn_keyness(notes, resample, n_boot):
    if notes["few_docs"]:
        desc = [f"{w} ({nt} vs {nr} documents)" for w, (nt, nr) in notes["few_docs"][:10]]
        warnings.warn(f"keyness: document-level tests need at least two documents on each "
                      f"side; score and p_value are NaN for {desc}", stacklevel=3)
    if notes["single"]:
        warnings.warn(f"keyness: bootstrap stability with resample={resample!r} needs at "
                      f"least two {'units' if resample == 'unit' else 'documents'} on each "
                      f"side; stability is NaN for {notes['single'][:10]} (resample='unit' "
                      "gives a within-document figure)", stacklevel=3)
    if notes["skipped"]:
        desc = [f"{w} ({k} of {n_boot})" for w, k in notes["skipped"][:10]]
        warnings.warn(f"keyness: bootstrap replicates in which a side drew no counted token "
                      f"were skipped (stability is the share of the valid ones): {desc}",
                      stacklevel=3)


def keyness(x, target=None, reference=None, measure: str = "log_odds", *, by=None,
            prior=None, prior_scale=None, yates=None, bootstrap: int = 0, top_n=None,
            random_state=None, resample: str = "two-stage", n_boot: int = 1000
            ) -> pd.DataFrame:
    """Terms that distinguish a target group of units from a reference group.

    Parameters
    ----------
    x : DocumentTermMatrix (or Tokens / token lists, vectorised with :func:`bri_text.dtm`)
    target, reference : dict or boolean mask
        ``{"region": "广西"}`` (a value or a list of values per column; all columns must
        match) or one bool per unit. ``reference=None`` means all other units.
    measure : {"log_odds", "chi2", "g2", "log_ratio", "welch", "wilcoxon", "bootstrap_test"}
        Token-level (every token an independent draw, so with one or two documents per
        side they answer "do these texts differ?", not "do these provinces differ?"):
        ``"log_odds"``: z-score of the log-odds ratio with informative Dirichlet prior
        (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eqs. 16-22);
        ``"chi2"``: Pearson chi-square of the term's 2x2 table; ``"g2"``: log-likelihood;
        ``"log_ratio"``: Hardie's Log Ratio (effect size).
        Document-level (Lijffijt et al. 2016, DSH 31(2); documents = ``parent_id`` of the
        units, paragraphs summed first; relative frequency = the term's count / the
        document's counted tokens): ``"welch"``: Welch's t-test of the per-document
        relative frequencies (score = t); ``"wilcoxon"``: Wilcoxon rank-sum /
        Mann-Whitney U test of them (score = rank-biserial correlation 2U/(n1 n2) - 1,
        in [-1, 1]); ``"bootstrap_test"``: documents resampled within each side ``n_boot``
        times, p = 2 * (1 + replicates on the other side of 0) / (n_boot + 1) (ties count
        half), score = observed difference of pooled rates / its bootstrap standard
        deviation. All three need two documents or more on each side: with fewer, score
        and p_value are NaN, with one warning naming the comparisons. See
        docs/STATISTICS.md for which to use when.
    by : str, optional
        Instead of target/reference: every group of this metadata column against all other
        units (one-vs-rest), as one long table with a ``group`` column. Units with no value
        in ``by`` form no group but stay in "the rest".
    prior : None, dict, mask, DocumentTermMatrix or float
        log_odds only. None: the whole matrix's term shares (the usual Fightin' Words
        choice). A condition/mask: a subset of the units, e.g. ``{"level": "national"}``;
        a DocumentTermMatrix: another corpus, aligned by term. Subset and external priors
        get 0.01 pseudo-counts added to every term (before scaling) so terms they lack
        stay finite without swamping the data. A float: uninformative prior of that many
        pseudo-counts per term.
    prior_scale : None, "prior" or float
        alpha_0, the prior's total pseudo-count (alpha_w = alpha_0 * prior share of w).
        Default (None): the number of tokens compared (target + reference), so the prior
        weighs as much as the data, as in Monroe et al. where the prior is the compared
        corpus itself; z-scores then do not change when unrelated documents are added to
        the matrix. ``"prior"``: the prior's own token count (before 0.2.0, the default).
        A number: that alpha_0. Uniform (float) priors keep their own count by default.
    yates : bool, optional
        chi2 only: Yates' continuity correction (default True, as scipy and quanteda).
    bootstrap : int
        Number of bootstrap replicates for the ``stability`` column (0 = none);
        token-level measures only.
    resample : {"two-stage", "document", "unit"}
        What the ``bootstrap`` replicates draw within target and reference (see
        :func:`profile`): by default documents, then paragraphs within them; a side with
        one document then gives NaN stability (one warning). Replicates in which a side
        draws no counted token are skipped; stability is the share of the valid ones, and
        ``attrs`` records how many were skipped.
    n_boot : int
        Replicates of ``measure="bootstrap_test"`` (default 1000).
    top_n : int, optional
        Keep the ``top_n`` highest and ``top_n`` lowest scores (both directions); also the
        cut-off for stability (20 when None).
    random_state : None, int or numpy Generator
        For the bootstrap.

    Returns
    -------
    DataFrame with :data:`KEYNESS_COLUMNS` (see the module docstring); ``attrs`` records the
    measure, prior, alpha_0, resampling scheme and group sizes (units, documents, tokens).

    >>> from bri_text import dtm
    >>> m = dtm([["东盟", "东盟", "合作"], ["东盟", "中亚", "合作"], ["中亚", "中亚", "合作"]])
    >>> k = keyness(m, target=[True, True, False])      # units 0-1 against unit 2
    >>> k[["term", "count_target", "count_reference"]].values.tolist()
    [['东盟', 3, 0], ['合作', 2, 1], ['中亚', 1, 2]]
    """
    m = _as_dtm(x)
    if measure not in _MEASURES:
        raise ParameterError(f"measure must be one of {_MEASURES}, got {measure!r}")
    if yates is not None and measure != "chi2":
        raise ParameterError(f"yates applies only to measure='chi2', not {measure!r}")
    yates = True if yates is None else bool(yates)
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise ParameterError(f"bootstrap must be a non-negative int, got {bootstrap!r}")
    if bootstrap and measure in _DOC_MEASURES:
        raise ParameterError(f"bootstrap stability applies to token-level measures, not "
                             f"{measure!r} (a document-level test already accounts for "
                             "variation between documents)")
    _stats.check_resample(resample)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot must be a positive int, got {n_boot!r}")
    if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, (int, np.integer))
                              or top_n < 1):
        raise ParameterError(f"top_n must be a positive int or None, got {top_n!r}")
    if measure != "log_odds" and (prior is not None or prior_scale is not None):
        raise ParameterError(f"prior and prior_scale apply only to measure='log_odds', "
                             f"not {measure!r}")
    _check_prior_scale(prior_scale)
    total = _column_sums(m.counts)
    prior_counts, prior_label, uniform = _prior_alpha(m, prior, total)
    random = bootstrap or measure == "bootstrap_test"
    rng = check_random_state(random_state) if random else None
    scale_rule = None
    if measure == "log_odds":
        scale_rule = ("prior's own count" if prior_scale == "prior"
                      or (prior_scale is None and uniform) else
                      "tokens compared" if prior_scale is None else "given")
    attrs = {"measure": measure, "prior": prior_label if measure == "log_odds" else None,
             "alpha_0": None, "alpha_0_rule": scale_rule,
             "yates": yates if measure == "chi2" else None, "bootstrap": int(bootstrap),
             "resample": resample if bootstrap else None,
             "n_boot": int(n_boot) if measure == "bootstrap_test" else None,
             "stability_top_n": (top_n or _STABILITY_TOP) if bootstrap else None}
    notes = {"few_docs": [], "single": [], "skipped": []}
    common = {"measure": measure, "prior_counts": prior_counts, "uniform": uniform,
              "prior_scale": prior_scale, "yates": yates, "bootstrap": bootstrap,
              "top_n": top_n, "rng": rng, "resample": resample, "n_boot": n_boot,
              "notes": notes}

    if by is not None:
        if target is not None or reference is not None:
            raise ParameterError("give either by= (each group against the rest) or "
                                 "target=/reference=, not both")
        codes, labels, name = _group_codes(m.docs, by, "keyness")
        rest = codes >= 0  # units with no by= value are in no group and no reference
        if len(labels) < 2:
            raise MetadataError(f"by={name!r} has a single group ({labels}); there is no "
                                "rest to compare it with")
        group_sums = np.asarray((_indicator(codes, len(labels)) @ m.counts).toarray(),
                                dtype=np.int64)
        grouped_total = group_sums.sum(axis=0)
        parts, sizes = [], {}
        for gi, label in enumerate(labels):
            t, a = codes == gi, group_sums[gi]
            out, info = _one_keyness(m, t, rest & ~t, a, grouped_total - a,
                                     what=f"group {label!r}", **common)
            out.insert(0, "group", label)
            parts.append(out)
            sizes[label] = info
        table = pd.concat(parts, ignore_index=True)
        alphas = {v.get("alpha_0") for v in sizes.values()}
        table.attrs.update(attrs, by=name, groups=sizes,
                           alpha_0=alphas.pop() if len(alphas) == 1 else None)
        _warn_keyness(notes, resample, bootstrap)
        return table

    if target is None:
        raise ParameterError("give target= (e.g. {'region': '广西'} or a boolean mask) or by=")
    t = condition_mask(m.docs, target, "target")
    if not t.any():
        raise MetadataError(f"target {_describe(target)} matches no units"
                            + _values_hint(m.docs, target))
    if reference is None:
        r = ~t
        if not r.any():
            raise MetadataError(f"target {_describe(target)} matches every unit "
                                f"({len(t)}); nothing is left as reference")
    else:
        r = condition_mask(m.docs, reference, "reference")
        if not r.any():
            raise MetadataError(f"reference {_describe(reference)} matches no units"
                                + _values_hint(m.docs, reference))
        overlap = int((t & r).sum())
        if overlap:
            raise ParameterError(f"target and reference share {overlap} unit(s); they must "
                                 "be disjoint")
    a = _column_sums(m.counts, t)
    b = total - a if reference is None else _column_sums(m.counts, r)
    table, info = _one_keyness(m, t, r, a, b, what="target vs reference", **common)
    table.attrs.update(attrs, **info)
    _warn_keyness(notes, resample, bootstrap)
    return table
