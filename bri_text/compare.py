"""Comparing groups of documents: keyness, dictionary profiles, geographic orientation.

>>> import bri_text as bt
>>> tokens = bt.tokenize(bt.load_bri_policies().reshape("paragraph"))   # doctest: +SKIP
>>> m = bt.dtm(tokens)                                                  # doctest: +SKIP
>>> bt.keyness(m, target={"region": "广西"}, reference={"region": "甘肃"}).head(20)  # doctest: +SKIP
>>> bt.keyness(m, by="region", top_n=10)            # every province against the rest  # doctest: +SKIP
>>> bt.profile(tokens, "five_connectivities", by="region", n_boot=500, random_state=0)  # doctest: +SKIP
>>> bt.orientation(tokens, by="region", n_boot=500, random_state=0)      # doctest: +SKIP

Keyness table (always these columns, in this order; ``group`` first with ``by=``,
``stability`` last with ``bootstrap=``):

========================  ==================================================================
``term``                  the term
``score``                 the chosen measure, signed: > 0 the target over-uses the term,
                          < 0 it under-uses it (relative to the reference)
``p_value``               chi2 / g2: chi-square distribution, 1 df; log_odds: two-sided
                          normal p of the z-score; log_ratio: the G2 p-value (Log Ratio is an
                          effect size and has no test of its own)
``count_target``          raw count in the target units
``count_reference``       raw count in the reference units
``rate_target``           per 10,000 counted tokens of the target
``rate_reference``        per 10,000 counted tokens of the reference
``log_ratio``             effect size: log2 of the ratio of the two rates, 0.5 added to both
                          counts (Hardie's Log Ratio); 1 = twice as frequent in the target
``stability``             (``bootstrap > 0``) share of bootstrap replicates, resampling units
                          with replacement within target and reference, in which the term is
                          among the ``top_n`` (default 20) terms of its own direction
========================  ==================================================================

"Counted tokens" are the tokens in the matrix's vocabulary (after ``min_df`` / ``max_df``
filtering), so the 2x2 tables are internally consistent, as in quanteda's
``textstat_keyness``. Sorted by ``score`` (descending, ties by term): the target's key terms
come first, the terms it avoids last.
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from . import _stats
from ._util import check_random_state, condition_mask
from .errors import MetadataError, ParameterError
from .features import DocumentTermMatrix, _as_dtm, _group_codes, _indicator, _token_data
from .segment._nested import _DASH, NestedTerms

__all__ = ["keyness", "profile", "orientation", "KEYNESS_COLUMNS"]

#: The fixed columns of :func:`keyness`.
KEYNESS_COLUMNS = ["term", "score", "p_value", "count_target", "count_reference",
                   "rate_target", "rate_reference", "log_ratio"]
_MEASURES = ("log_odds", "chi2", "g2", "log_ratio")
_NORMALIZE = ("per_10k", "share", None)
_LEVELS = ("world_region", "continent", "corridor")
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


def _prior_alpha(m: DocumentTermMatrix, prior, prior_scale, total: np.ndarray):
    """Dirichlet prior pseudo-counts alpha_w over ``m.terms`` and alpha_0, and a label;
    ``total`` is each term's count in ``m``."""
    if prior is None:
        counts, label = total.astype(float), "whole corpus"
    elif isinstance(prior, (int, float, np.integer, np.floating)) and not isinstance(prior, bool):
        if prior <= 0:
            raise ParameterError(f"prior={prior!r}: a uniform prior must be > 0 pseudo-counts "
                                 "per term")
        counts, label = np.full(len(m.terms), float(prior)), f"uniform {prior}"
    elif isinstance(prior, DocumentTermMatrix):
        pos = pd.Index(prior.terms).get_indexer(m.terms)
        ptot = _column_sums(prior.counts)
        counts = np.where(pos >= 0, ptot[np.maximum(pos, 0)], 0) + 1.0
        if (pos < 0).all():
            raise ParameterError("the prior DocumentTermMatrix shares no term with the "
                                 "compared matrix; build both with the same tokenizer")
        label = f"another matrix ({len(prior)} units), add-one smoothed"
    else:
        mask = condition_mask(m.docs, prior, "prior")
        if not mask.any():
            raise MetadataError(f"prior {_describe(prior)} matches no units"
                                + _values_hint(m.docs, prior))
        counts = _column_sums(m.counts, mask) + 1.0
        label = f"subset {_describe(prior)} ({int(mask.sum())} units), add-one smoothed"
    alpha0 = counts.sum()
    if prior_scale is not None:
        if isinstance(prior_scale, bool) or not isinstance(
                prior_scale, (int, float, np.integer, np.floating)) or prior_scale <= 0:
            raise ParameterError(f"prior_scale must be a positive number (alpha_0, the prior's "
                                 f"total pseudo-count), got {prior_scale!r}")
        counts = counts * (float(prior_scale) / alpha0)
        alpha0 = float(prior_scale)
    return counts, float(alpha0), label


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


def _one_keyness(m, t, r, a, b, measure, alpha, alpha0, yates, bootstrap, top_n, rng, what):
    """The keyness table of target units ``t`` against reference units ``r`` (masks), whose
    per-term counts are ``a`` and ``b``."""
    n_t, n_r = int(a.sum()), int(b.sum())
    if n_t == 0:
        raise MetadataError(f"{what}: the target units have no tokens in the vocabulary")
    if n_r == 0:
        raise MetadataError(f"{what}: the reference units have no tokens in the vocabulary")
    keep = np.flatnonzero((a + b) > 0)
    a, b = a[keep], b[keep]
    al = alpha[keep]
    score, p = _scores(measure, a, b, n_t, n_r, al, alpha0, yates)
    out = pd.DataFrame({
        "term": m.terms[keep], "score": score, "p_value": p,
        "count_target": a, "count_reference": b,
        "rate_target": a / n_t * 1e4, "rate_reference": b / n_r * 1e4,
        "log_ratio": _stats.log_ratio(a, b, n_t, n_r)})
    if bootstrap:
        out["stability"] = _stability(m, t, r, keep, score, measure, al, alpha0, yates,
                                      bootstrap, top_n or _STABILITY_TOP, rng, what)
    order = np.lexsort((out["term"].to_numpy(), -out["score"].to_numpy()))
    out = out.iloc[order].reset_index(drop=True)
    if top_n is not None and len(out) > 2 * top_n:
        out = pd.concat([out.iloc[:top_n], out.iloc[-top_n:]], ignore_index=True)
    info = {"n_units_target": int(t.sum()), "n_units_reference": int(r.sum()),
            "n_tokens_target": n_t, "n_tokens_reference": n_r}
    return out, info


def _stability(m, t, r, keep, observed, measure, alpha, alpha0, yates, n_boot, top, rng, what):
    """Share of bootstrap replicates in which each term stays in the top ``top`` of its
    direction (resampling units with replacement, separately in target and reference)."""
    sub = m.counts[:, keep].tocsr()
    row_tot = np.asarray(m.counts.sum(axis=1), dtype=float).ravel()
    ti, ri = np.flatnonzero(t), np.flatnonzero(r)
    if len(ti) < 2:
        warnings.warn(f"{what}: the target has {len(ti)} unit; bootstrap stability resamples "
                      "units, so reshape to paragraphs (corpus.reshape('paragraph')) for a "
                      "meaningful figure", stacklevel=4)
    xt, xr = sub[ti], sub[ri]
    pos, neg = observed > 0, observed < 0
    hits = np.zeros(len(keep))
    for _ in range(n_boot):
        wt = np.bincount(rng.integers(0, len(ti), len(ti)), minlength=len(ti)).astype(float)
        wr = np.bincount(rng.integers(0, len(ri), len(ri)), minlength=len(ri)).astype(float)
        a, b = wt @ xt, wr @ xr
        n_t, n_r = wt @ row_tot[ti], wr @ row_tot[ri]
        if n_t == 0 or n_r == 0:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            s, _ = _scores(measure, a, b, n_t, n_r, alpha, alpha0, yates)
        s = np.where((a + b) > 0, s, np.nan)
        for direction, sgn in ((pos, 1.0), (neg, -1.0)):
            v = np.where(np.isnan(s), -np.inf, sgn * s)
            k = min(top, len(v))
            thresh = np.partition(v, len(v) - k)[len(v) - k]
            hits += direction & (v >= thresh) & (v > 0)
    return hits / n_boot


def keyness(x, target=None, reference=None, measure: str = "log_odds", *, by=None,
            prior=None, prior_scale=None, yates=None, bootstrap: int = 0, top_n=None,
            random_state=None) -> pd.DataFrame:
    """Terms that distinguish a target group of units from a reference group.

    Parameters
    ----------
    x : DocumentTermMatrix (or Tokens / token lists, vectorised with :func:`bri_text.dtm`)
    target, reference : dict or boolean mask
        ``{"region": "广西"}`` (a value or a list of values per column; all columns must
        match) or one bool per unit. ``reference=None`` means all other units.
    measure : {"log_odds", "chi2", "g2", "log_ratio"}
        ``"log_odds"``: z-score of the log-odds ratio with informative Dirichlet prior
        (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eqs. 16-22);
        ``"chi2"``: Pearson chi-square of the term's 2x2 table; ``"g2"``: log-likelihood;
        ``"log_ratio"``: Hardie's Log Ratio (effect size).
    by : str, optional
        Instead of target/reference: every group of this metadata column against all other
        units (one-vs-rest), as one long table with a ``group`` column. Units with no value
        in ``by`` form no group but stay in "the rest".
    prior : None, dict, mask, DocumentTermMatrix or float
        log_odds only. None: the whole matrix (alpha_w = the term's count in all units, the
        usual Fightin' Words choice). A condition/mask: a subset of the units, e.g.
        ``{"level": "national"}``; a DocumentTermMatrix: another corpus, aligned by term.
        Subset and external priors are add-one smoothed (alpha_w = count + 1) so terms they
        lack stay finite. A float: uninformative prior of that many pseudo-counts per term.
    prior_scale : float, optional
        alpha_0, the prior's total pseudo-count (alpha_w = alpha_0 * prior share of w);
        default: the prior's own token count. Smaller values shrink less.
    yates : bool, optional
        chi2 only: Yates' continuity correction (default True, as scipy and quanteda).
    bootstrap : int
        Number of bootstrap replicates for the ``stability`` column (0 = none).
    top_n : int, optional
        Keep the ``top_n`` highest and ``top_n`` lowest scores (both directions); also the
        cut-off for stability (20 when None).
    random_state : None, int or numpy Generator
        For the bootstrap.

    Returns
    -------
    DataFrame with :data:`KEYNESS_COLUMNS` (see the module docstring); ``attrs`` records the
    measure, prior and group sizes.

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
    if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, (int, np.integer))
                              or top_n < 1):
        raise ParameterError(f"top_n must be a positive int or None, got {top_n!r}")
    if measure != "log_odds" and (prior is not None or prior_scale is not None):
        raise ParameterError(f"prior and prior_scale apply only to measure='log_odds', "
                             f"not {measure!r}")
    total = _column_sums(m.counts)
    alpha, alpha0, prior_label = _prior_alpha(m, prior, prior_scale, total)
    rng = check_random_state(random_state) if bootstrap else None
    attrs = {"measure": measure, "prior": prior_label if measure == "log_odds" else None,
             "alpha_0": alpha0 if measure == "log_odds" else None,
             "yates": yates if measure == "chi2" else None, "bootstrap": int(bootstrap),
             "stability_top_n": (top_n or _STABILITY_TOP) if bootstrap else None}

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
            out, info = _one_keyness(m, t, rest & ~t, a, grouped_total - a, measure, alpha,
                                     alpha0, yates, bootstrap, top_n, rng,
                                     f"keyness by={name!r}, group {label!r}")
            out.insert(0, "group", label)
            parts.append(out)
            sizes[label] = info
        table = pd.concat(parts, ignore_index=True)
        table.attrs.update(attrs, by=name, groups=sizes)
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
    table, info = _one_keyness(m, t, r, a, b, measure, alpha, alpha0, yates, bootstrap, top_n,
                               rng, "keyness")
    table.attrs.update(attrs, **info)
    return table


# =========================================================================== dictionaries
def _load_dictionary(dictionary) -> dict[str, list[str]]:
    if isinstance(dictionary, dict):
        out = {}
        for cat, terms in dictionary.items():
            if isinstance(terms, str):
                terms = [terms]
            try:
                terms = [str(t) for t in terms]
            except TypeError:
                raise ParameterError(f"dictionary category {cat!r} must map to a list of terms, "
                                     f"got {type(terms).__name__}") from None
            out[str(cat)] = terms
        if not out:
            raise ParameterError("dictionary is empty")
        return out
    if isinstance(dictionary, (str, os.PathLike)):
        from ._lexicons import load_dictionary

        return load_dictionary(dictionary)
    raise ParameterError("dictionary must be 'five_connectivities', 'sectors', a path to a "
                         f"term<TAB>category file or a dict {{category: [terms]}}, got "
                         f"{type(dictionary).__name__}")


def _term_index(dictionary: dict[str, list[str]], what: str) -> tuple[dict[str, int], list[str]]:
    """term -> category index; a term listed under two categories is an error."""
    cats = list(dictionary)
    index: dict[str, int] = {}
    for ci, cat in enumerate(cats):
        for term in dictionary[cat]:
            term = term.strip()
            if not term:
                raise MetadataError(f"{what}: category {cat!r} has an empty term")
            if any(ch.isspace() for ch in term):
                raise MetadataError(f"{what}: term {term!r} ({cat!r}) contains whitespace; "
                                    "write multi-word entries without spaces (they are "
                                    "matched across token boundaries)")
            prev = index.get(term)
            if prev is not None and prev != ci:
                raise MetadataError(f"{what}: term {term!r} is listed under both "
                                    f"{cats[prev]!r} and {cat!r}; an entry must belong to "
                                    "one category")
            index[term] = ci
    return index, cats


class _Matcher:
    """Finds dictionary entries in token sequences, leftmost-longest, each token used once.

    An entry matches a run of consecutive tokens whose canonical forms, or whose surface
    forms in the text, concatenate to it; tokens of a run must be adjacent in the text
    (nothing but whitespace between them), so a run never bridges a removed stopword.
    """

    def __init__(self, index: dict[str, int]):
        self.index = index
        self.prefixes = {t[:k] for t in index for k in range(1, len(t) + 1)}

    def find(self, toks, sp=None, text=None):
        """Yield (first token, last token + 1, category index) of each match."""
        n, i = len(toks), 0
        index, prefixes = self.index, self.prefixes
        while i < n:
            canon = surf = ""
            best = None
            j = i
            while j < n:
                canon += toks[j]
                if text is not None:
                    if j > i:
                        gap_s, gap_e = sp[j - 1][1], sp[j][0]
                        if gap_e < gap_s or (gap_e > gap_s and text[gap_s:gap_e].strip()):
                            break
                    surf += text[sp[j][0]:sp[j][1]]
                hit = index.get(canon)
                if hit is None and text is not None:
                    hit = index.get(surf)
                if hit is not None:
                    best = (j + 1, hit)
                if canon not in prefixes and (text is None or surf not in prefixes):
                    break
                j += 1
            if best is None:
                i += 1
            else:
                yield i, best[0], best[1]
                i = best[0]


def _split_hosts(toks, sp, finder):
    """Match inside longer lexicon tokens: the tokenizer keeps 中国—东盟博览会 or 郑州—卢森堡
    as one token, which is no dictionary entry, but it mentions one (东盟, 卢森堡). A token
    that is an entry itself (东盟国家, a corridor name) stays whole; others are cut into the
    entries they contain (``bri_text.segment._nested``) and the text between them, split at
    dashes. Spans of the pieces are exact: variant folding keeps every character's place."""
    out_t, out_s = [], [] if sp is not None else None
    for k, t in enumerate(toks):
        parts = [] if t in finder.terms else finder.parts(t)
        if not parts and _DASH not in t:
            out_t.append(t)
            if sp is not None:
                out_s.append(sp[k])
            continue
        pieces, pos = [], 0
        for a, b, _ in parts + [(len(t), len(t), None)]:
            gap = pos
            for chunk in t[pos:a].split(_DASH):
                if chunk:
                    pieces.append((gap, gap + len(chunk)))
                gap += len(chunk) + 1
            if b > a:
                pieces.append((a, b))
            pos = b
        for a, b in pieces:
            out_t.append(t[a:b])
            if sp is not None:
                out_s.append([sp[k][0] + a, sp[k][0] + b])
    return out_t, out_s


def _count_matrix(tokens, index: dict[str, int], n_cats: int):
    """(docs, units x categories count matrix, tokens per unit)."""
    token_lists, docs, spans = _token_data(tokens)
    texts = docs["text"].tolist() if spans is not None and "text" in docs.columns else None
    matcher = _Matcher(index)
    finder = NestedTerms(index)
    counts = np.zeros((len(token_lists), n_cats), dtype=np.int64)
    for row, toks in enumerate(token_lists):
        sp = np.asarray(spans[row]).tolist() if texts is not None else None
        text = texts[row] if texts is not None else None
        toks, sp = _split_hosts(toks, sp, finder)
        for _, _, cat in matcher.find(toks, sp, text):
            counts[row, cat] += 1
    n_tok = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    return docs, counts, n_tok


def _check_ci(n_boot, ci):
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ParameterError(f"n_boot must be a non-negative int, got {n_boot!r}")
    if not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ParameterError(f"ci must be a confidence level in (0, 1), got {ci!r}")


def _values(sums: np.ndarray, n_tok: np.ndarray, normalize):
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalize == "per_10k":
            return sums / n_tok[..., None] * 1e4
        if normalize == "share":
            return sums / sums.sum(axis=-1, keepdims=True)
    return sums.astype(float)


def _grouped(counts, n_tok, docs, by, normalize, n_boot, ci, rng, where):
    """Per group: summed counts, token totals, normalised values and bootstrap CIs."""
    codes, labels, _ = _group_codes(docs, by, where)
    G, K = len(labels), counts.shape[1]
    sums = np.zeros((G, K), dtype=np.int64)
    ntot = np.zeros(G, dtype=np.int64)
    low = np.full((G, K), np.nan)
    high = np.full((G, K), np.nan)
    single = []
    for g in range(G):
        idx = np.flatnonzero(codes == g)
        sums[g] = counts[idx].sum(axis=0)
        ntot[g] = n_tok[idx].sum()
        if n_boot:
            if len(idx) < 2:
                single.append(labels[g])
            w = rng.multinomial(len(idx), np.full(len(idx), 1 / len(idx)), size=n_boot)
            vals = _values((w @ counts[idx]).astype(float), (w @ n_tok[idx]).astype(float),
                           normalize)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low[g], high[g] = np.nanquantile(vals, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    if single:
        warnings.warn(f"{where}: group(s) {single[:5]} have a single unit, so their bootstrap "
                      "intervals have zero width; reshape to paragraphs for intervals that "
                      "reflect variation within the document", stacklevel=3)
    return labels, sums, ntot, _values(sums, ntot, normalize), low, high


def profile(tokens, dictionary="five_connectivities", by=None, normalize="per_10k", n_boot: int = 0,
            ci: float = 0.95, random_state=None) -> pd.DataFrame:
    """Dictionary profile: how often each category's vocabulary occurs, per unit or group.

    Parameters
    ----------
    tokens : Tokens (or a Corpus, segmented with the default Tokenizer, or token lists)
    dictionary : "five_connectivities" (default: policy coordination, facilities, trade,
        finance and people-to-people bonds), "sectors", a path to a ``term<TAB>category``
        file or a dict ``{category: [terms]}``.
    by : str, optional
        Metadata column to group units by; None gives one row per unit and category.
    normalize : {"per_10k", "share", None}
        ``per_10k``: matches per 10,000 tokens of the unit/group; ``share``: share of the
        unit's/group's dictionary matches (categories sum to 1); None: counts only.
    n_boot, ci, random_state
        Bootstrap confidence intervals (percentile, level ``ci``), resampling units with
        replacement within each group; needs ``by``.

    Matching: an entry counts once wherever consecutive tokens spell it, in canonical or
    written form, so an entry the tokenizer splits in two (``跨境电商`` -> ``跨境`` +
    ``电商``) is still found; overlapping matches are resolved leftmost-longest and every
    token counts at most once. A dash compound kept as one token (``中国—东盟``) that is not
    an entry itself is matched part by part (``东盟``). A term listed under two categories raises MetadataError.

    Returns a long table: ``group`` (or ``doc_id``), ``category``, ``count``, ``n_tokens``,
    then ``per_10k`` or ``share`` and, with ``n_boot``, ``ci_low``, ``ci_high``. Pivot it
    with ``df.pivot(index="group", columns="category", values="per_10k")``.

    >>> p = profile([["铁路", "港口", "贸易"], ["贸易", "合作"]],
    ...             {"transport": ["铁路", "港口"], "trade": ["贸易"]})
    >>> p[["doc_id", "category", "count"]].values.tolist()
    [['doc0', 'transport', 2], ['doc0', 'trade', 1], ['doc1', 'transport', 0], ['doc1', 'trade', 1]]
    >>> p["per_10k"].round(1).tolist()              # 2 of doc0's 3 tokens are transport
    [6666.7, 3333.3, 0.0, 5000.0]
    """
    if normalize not in _NORMALIZE:
        raise ParameterError(f"normalize must be one of {_NORMALIZE}, got {normalize!r}")
    _check_ci(n_boot, ci)
    if n_boot and by is None:
        raise ParameterError("n_boot needs by=: intervals come from resampling the units of "
                             "each group")
    d = _load_dictionary(dictionary)
    what = dictionary if isinstance(dictionary, (str, os.PathLike)) else "dictionary"
    index, cats = _term_index(d, f"dictionary {what}")
    docs, counts, n_tok = _count_matrix(tokens, index, len(cats))
    if by is None:
        key, labels = "doc_id", docs["doc_id"].tolist()
        sums, ntot = counts, n_tok
        vals = _values(counts, n_tok, normalize)
        low = high = None
    else:
        rng = check_random_state(random_state) if n_boot else None
        key = "group"
        labels, sums, ntot, vals, low, high = _grouped(counts, n_tok, docs, by, normalize,
                                                       n_boot, ci, rng, "profile")
    G, K = sums.shape
    out = pd.DataFrame({key: np.repeat(np.asarray(labels, dtype=object), K),
                        "category": np.tile(np.asarray(cats, dtype=object), G),
                        "count": sums.ravel(), "n_tokens": np.repeat(ntot, K)})
    if normalize is not None:
        out[normalize] = vals.ravel()
    if n_boot:
        out["ci_low"], out["ci_high"] = low.ravel(), high.ravel()
    out.attrs.update(dictionary=str(what), normalize=normalize, n_boot=int(n_boot), ci=ci)
    return out


# =========================================================================== orientation
def orientation(tokens, by="region", level: str = "world_region", n_boot: int = 0,
                ci: float = 0.95, random_state=None) -> pd.DataFrame:
    """Geographic focus of each group: shares of place mentions per world region,
    continent or economic corridor, from the built-in gazetteer.

    Every gazetteer term (country, grouping such as 东盟 / 中亚, city, port) found in the
    tokens is one mention of its ``level`` value, matched like :func:`profile` (multi-token
    names too, leftmost-longest). Places without a value at this level (e.g. a country on no
    corridor, for ``level="corridor"``) are matched but not counted. At the corridor level
    the six corridors' own names (``中国—中亚—西亚经济走廊``) count as mentions too. A place
    name inside a longer token (``东盟`` in ``中国—东盟博览会``) is not counted: matching is
    on whole tokens.

    Returns a long table: ``group``, the level (``world_region`` / ``continent`` /
    ``corridor``), ``count``, ``share`` (of the group's counted mentions), ``n_mentions``,
    and with ``n_boot`` the percentile interval ``ci_low``, ``ci_high`` of the share
    (resampling units within the group). Rows are ordered by group (first appearance), then
    share (descending): the first row of a group is its leading region. ``by=None`` gives
    one group per unit (``doc_id``).

    >>> ori = orientation(tokens, by="region", n_boot=1000, random_state=0)  # doctest: +SKIP
    >>> ori.groupby("group").head(1)                                          # doctest: +SKIP
    """
    if level not in _LEVELS:
        raise ParameterError(f"level must be one of {_LEVELS}, got {level!r}")
    _check_ci(n_boot, ci)
    from ._lexicons import CORRIDORS, load_gazetteer

    gaz = load_gazetteer()
    values = gaz[level].fillna("").astype(str).str.strip()
    areas = sorted(v for v in values.unique() if v)
    dictionary = {a: gaz.loc[values == a, "term"].tolist() for a in areas}
    if level == "corridor":                   # a corridor named outright is a mention of it
        known = set(gaz["term"])
        for name in CORRIDORS:
            if name in dictionary and name not in known:
                dictionary[name].append(name)
    dictionary[""] = gaz.loc[values == "", "term"].tolist()
    index, cats = _term_index(dictionary, "gazetteer")
    docs, counts, n_tok = _count_matrix(tokens, index, len(cats))
    counts = counts[:, :len(areas)]           # drop the "no value at this level" column
    if by is None:
        by = docs["doc_id"]
    rng = check_random_state(random_state) if n_boot else None
    labels, sums, _, shares, low, high = _grouped(counts, n_tok, docs, by, "share", n_boot,
                                                  ci, rng, "orientation")
    G, K = sums.shape
    out = pd.DataFrame({"group": np.repeat(np.asarray(labels, dtype=object), K),
                        level: np.tile(np.asarray(areas, dtype=object), G),
                        "count": sums.ravel(), "share": shares.ravel(),
                        "n_mentions": np.repeat(sums.sum(axis=1), K),
                        "_g": np.repeat(np.arange(G), K)})
    if n_boot:
        out["ci_low"], out["ci_high"] = low.ravel(), high.ravel()
    empty = [labels[g] for g in range(G) if sums[g].sum() == 0]
    if empty:
        warnings.warn(f"orientation: no place names found for group(s) {empty[:5]}; their "
                      "shares are NaN", stacklevel=2)
    out = out.sort_values(["_g", "share", level], ascending=[True, False, True],
                          kind="mergesort", na_position="last")
    out = out.drop(columns="_g").reset_index(drop=True)
    out.attrs.update(level=level, n_boot=int(n_boot), ci=ci)
    return out
