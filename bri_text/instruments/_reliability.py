"""Agreement between coders: Cohen's (also weighted) and Fleiss' kappa, Krippendorff's
alpha, percent agreement, with bootstrap intervals over units; per-code agreement;
disagreements and the confusion table of two coders.

The coefficients are computed here (numpy, a coincidence matrix for alpha) from one
"design" of the coded units, so that a point estimate and a bootstrap replicate are the
same computation under different unit weights; the tests compare them to scikit-learn,
statsmodels and the ``krippendorff`` package.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import MetadataError, ParameterError
from .._util import as_list, check_random_state, check_scalar, seed_record

#: the label of the rows that take every code at once (the per-code rows carry the code)
ALL = "(all)"
STATISTICS = ("agreement", "cohen_kappa", "weighted_kappa", "fleiss_kappa",
              "krippendorff_alpha")
LEVELS = ("nominal", "ordinal")
#: the disagreement weights of Cohen's weighted kappa, as in scikit-learn
WEIGHTS = ("linear", "quadratic")
#: share of bootstrap replicates that may be undefined (e.g. one code drawn only) before an
#: interval is given up (NaN)
MAX_UNDEFINED = 0.1
#: columns of a coding sheet read back that are not coders
_NOT_CODERS = ("text", "document", "clause", "before", "after", "suggested", "evidence",
               "doc_id", "parent_id")


# ---------------------------------------------------------------------- input
def _coder_columns(codes, coders, where: str) -> list:
    """The coder columns of ``codes``: ``coders`` when given, else the coders a coding
    sheet recorded (``codes.attrs["coders"]``), else every column but the sheet's text
    columns."""
    if not isinstance(codes, pd.DataFrame):
        raise ParameterError(f"{where}: codes must be a DataFrame with one column per coder "
                             f"(rows = units), got {type(codes).__name__}")
    if coders is None:
        recorded = codes.attrs.get("coders")
        if recorded and all(c in codes.columns for c in recorded):
            coders = list(recorded)
        else:
            coders = [c for c in codes.columns if c not in _NOT_CODERS]
    coders = as_list(coders, f"{where}: coders", "a column name or a list of column names")
    missing = [c for c in coders if c not in codes.columns]
    if missing:
        raise MetadataError(f"{where}: coders={missing} are not columns of codes; columns "
                            f"present: {list(codes.columns)}")
    if len(set(coders)) < len(coders):
        raise ParameterError(f"{where}: coders names a column twice: {coders}")
    if len(coders) < 2:
        raise ParameterError(f"{where}: agreement needs at least 2 coders, got {coders}; "
                             "pass coders=[...] naming two or more columns of codes")
    return coders


def _is_missing(values) -> np.ndarray:
    """Missing codes: NaN / None / NA and blank strings."""
    return np.array([v is None or (isinstance(v, str) and not v.strip())
                     or (not isinstance(v, str) and bool(pd.isna(v))) for v in values],
                    dtype=bool)


def _clean(values) -> list:
    """Codes with surrounding blanks removed and missing ones as None."""
    miss = _is_missing(values)
    return [None if m else (v.strip() if isinstance(v, str) else v)
            for v, m in zip(values, miss)]


def _codebook_order(order, observed: list, where: str) -> list:
    """The codes of the codebook ``order`` in its file order: the codes (subtypes, else
    types) of the dimension that holds every observed code."""
    for dimension in order.dimensions:
        for level in ("subtype", "type"):
            codes = order.codes(dimension, level=level)
            if all(c in codes for c in observed):
                return codes
    raise ParameterError(f"{where}: the codes {observed[:10]} are not the codes (subtypes or "
                         f"types) of one dimension of order={order!r}")


def _domain(observed: list, ordered, order, recorded, where: str) -> list:
    """The codes in their order: ``order`` (a list or a Codebook; every observed code must
    be in it); else, for nominal codes, the codebook order a coding sheet recorded, or the
    sorted codes. ``ordered`` names what needs ordered codes (e.g. ``"level='ordinal'"``;
    None: nothing): then codes without ``order`` must be numbers."""
    from ._codebook import Codebook

    if isinstance(order, Codebook):
        order = _codebook_order(order, observed, where)
    if order is not None:
        if isinstance(order, str) or not hasattr(order, "__iter__"):
            raise ParameterError(f"{where}: order must be a list of the codes from lowest to "
                                 f"highest, got {order!r}")
        order = list(order)
        dup = sorted({str(c) for c in order if order.count(c) > 1})
        if dup:
            raise ParameterError(f"{where}: order names codes more than once: {dup}")
        absent = [c for c in observed if c not in order]
        if absent:
            raise ParameterError(f"{where}: the codes {absent[:10]} are not in order={order}; "
                                 "order must list every code the coders used")
        return order
    if ordered:
        if all(isinstance(c, (int, float, np.integer, np.floating)) and not isinstance(c, bool)
               for c in observed):
            return sorted(observed)
        raise ParameterError(f"{where}: {ordered} needs ordered codes: pass order=[...] "
                             "listing the codes from lowest to highest, or order=codebook "
                             f"(its codes' order); codes seen: {observed[:10]}")
    if recorded and all(c in recorded for c in observed):
        return [c for c in recorded if c in set(observed)]
    try:
        return sorted(observed)
    except TypeError:                                # codes of mixed types
        return sorted(observed, key=lambda c: (type(c).__name__, str(c)))


def _encode(codes: pd.DataFrame, coders: list, level: str, order, where: str,
            ordered=None):
    """(X, domain, cleaned columns): X is units x coders, the index of each code in
    ``domain``, -1 where a coder gave none. ``ordered``: what else needs ordered codes
    (see :func:`_domain`)."""
    if level not in LEVELS:
        raise ParameterError(f"{where}: level must be one of {LEVELS}, got {level!r}")
    if level == "ordinal":
        ordered = "level='ordinal'"
    columns = {c: _clean(codes[c].tolist()) for c in coders}
    empty = [c for c, vals in columns.items() if all(v is None for v in vals)]
    if empty:
        raise MetadataError(f"{where}: coder column(s) {empty} hold no code at all (every "
                            "cell blank); leave them out with coders=[...] or fill them in")
    observed = list(dict.fromkeys(v for vals in columns.values() for v in vals
                                  if v is not None))
    domain = _domain(observed, ordered, order, codes.attrs.get("codes"), where)
    index = {c: i for i, c in enumerate(domain)}
    X = np.array([[-1 if v is None else index[v] for v in columns[c]] for c in coders],
                 dtype=np.int64).T.reshape(len(codes), len(coders))
    return X, domain, columns


# ---------------------------------------------------------------------- coefficients
class _Design:
    """What the coefficients need from units x coders codes ``X`` (-1 missing) over
    ``V`` codes, so that :meth:`__call__` gives them for any unit weights (rows of ``W``:
    one bootstrap replicate each; all ones: the estimate). ``weights`` (two coders, codes
    in order): also Cohen's weighted kappa."""

    def __init__(self, X: np.ndarray, V: int, level: str = "nominal", weights=None):
        from scipy import sparse

        n, m = X.shape
        self.V, self.m, self.level = V, m, level
        self.weights = weights if m == 2 else None
        if self.weights:
            # disagreement of codes i and j: their distance in the order, as scikit-learn
            step = np.abs(np.subtract.outer(np.arange(V), np.arange(V))).astype(float)
            self.disagreement = step if weights == "linear" else step ** 2
        coded = X >= 0
        n_coded = coded.sum(axis=1)
        counts = np.zeros((n, V))
        rows, cols = np.nonzero(coded)
        np.add.at(counts, (rows, X[rows, cols]), 1.0)
        # percent agreement: share of agreeing coder pairs in each unit with >= 2 codes
        self.pairable = (n_coded >= 2).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            agree = (counts * (counts - 1)).sum(axis=1) / (n_coded * (n_coded - 1))
        self.agree = np.where(n_coded >= 2, agree, 0.0)
        # Cohen: the two coders' joint codes (units coded by both)
        if m == 2:
            both = coded.all(axis=1)
            self.both = both.astype(float)
            self.joint = sparse.csr_matrix(
                (np.ones(int(both.sum())), (np.flatnonzero(both),
                                            X[both, 0] * V + X[both, 1])), shape=(n, V * V))
        # Fleiss: units coded by every coder
        complete = coded.all(axis=1)
        self.complete = complete.astype(float)
        self.counts_complete = counts * complete[:, None]
        self.p_unit = np.where(complete, ((counts ** 2).sum(axis=1) - m) / (m * (m - 1)), 0.0)
        # Krippendorff: each unit's contribution to the coincidence matrix, every ordered
        # pair of codes of different coders weighted 1 / (m_u - 1)
        r, c, d = [], [], []
        for j in range(m):
            for k in range(m):
                if j == k:
                    continue
                ok = coded[:, j] & coded[:, k]
                r.append(np.flatnonzero(ok))
                c.append(X[ok, j] * V + X[ok, k])
                d.append(1.0 / (n_coded[ok] - 1))
        self.coincidence = sparse.csr_matrix(
            (np.concatenate(d), (np.concatenate(r), np.concatenate(c))), shape=(n, V * V))
        self.n_units = {"agreement": int((n_coded >= 2).sum()),
                        "cohen_kappa": int(coded.all(axis=1).sum()) if m == 2 else 0,
                        "weighted_kappa": int(coded.all(axis=1).sum()) if m == 2 else 0,
                        "fleiss_kappa": int(complete.sum()),
                        "krippendorff_alpha": int((n_coded >= 2).sum())}

    def statistics(self) -> list[str]:
        return [s for s in STATISTICS if (s != "cohen_kappa" or self.m == 2)
                and (s != "weighted_kappa" or self.weights)]

    @staticmethod
    def _times(W, matrix):
        """W @ matrix for a sparse matrix (as a dense array)."""
        return np.asarray((matrix.T @ W.T).T)

    def __call__(self, W: np.ndarray) -> np.ndarray:
        """Replicates x statistics (in :meth:`statistics` order)."""
        V = self.V
        out = []
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append((W @ self.agree) / (W @ self.pairable))
            if self.m == 2:
                joint = self._times(W, self.joint).reshape(-1, V, V)
                total = joint.sum(axis=(1, 2))
                p_o = np.trace(joint, axis1=1, axis2=2) / total
                p_e = (joint.sum(axis=2) * joint.sum(axis=1)).sum(axis=1) / total ** 2
                out.append(np.where(p_e < 1, (p_o - p_e) / (1 - p_e), np.nan))
                if self.weights:
                    # 1 - sum(w * observed) / sum(w * expected), expected from the margins
                    w = self.disagreement
                    observed = (joint * w).sum(axis=(1, 2))
                    expected = np.einsum("ri,rj,ij->r", joint.sum(axis=2),
                                         joint.sum(axis=1), w) / total
                    out.append(np.where(expected > 0, 1 - observed / expected, np.nan))
            weight = W @ self.complete
            p_bar = (W @ self.p_unit) / weight
            p_code = (W @ self.counts_complete) / (weight * self.m)[:, None]
            p_exp = (p_code ** 2).sum(axis=1)
            out.append(np.where(p_exp < 1, (p_bar - p_exp) / (1 - p_exp), np.nan))
            out.append(self._alpha(self._times(W, self.coincidence).reshape(-1, V, V)))
        return np.column_stack(out)

    def _alpha(self, o: np.ndarray) -> np.ndarray:
        """Krippendorff's alpha from coincidence matrices o (replicates x V x V):
        1 - (n - 1) sum(o * d) / sum(n_c n_k d), d the level's squared distance."""
        n_c = o.sum(axis=2)
        n = n_c.sum(axis=1)
        V = self.V
        if self.level == "ordinal":
            # d(c, k) = (sum of n_g for g from c to k - (n_c + n_k) / 2) ** 2
            cum = np.concatenate([np.zeros((len(o), 1)), np.cumsum(n_c, axis=1)], axis=1)
            lo = np.minimum.outer(np.arange(V), np.arange(V))
            hi = np.maximum.outer(np.arange(V), np.arange(V))
            d = (cum[:, hi + 1] - cum[:, lo] - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
        else:
            d = np.broadcast_to(1.0 - np.eye(V), o.shape)
        expected = (n_c[:, :, None] * n_c[:, None, :] * d).sum(axis=(1, 2))
        observed = (o * d).sum(axis=(1, 2))
        return np.where(expected > 0, 1 - (n - 1) * observed / expected, np.nan)


def _binary(X: np.ndarray, code: int) -> np.ndarray:
    """``code`` against the rest: 0 where a coder gave it, 1 where another code, -1 none."""
    return np.where(X < 0, -1, np.where(X == code, 0, 1))


def _percentile(reps: np.ndarray, estimate: np.ndarray, levels):
    """Quantiles ``levels`` (low, high) of each column of ``reps``, NaN where more than
    :data:`MAX_UNDEFINED` of the replicates are undefined or the estimate is."""
    low = np.full(reps.shape[1], np.nan)
    high = low.copy()
    if not len(reps):
        return low, high
    ok = np.isfinite(reps)
    usable = (ok.mean(axis=0) >= 1 - MAX_UNDEFINED) & np.isfinite(estimate)
    for j in np.flatnonzero(usable):
        low[j], high[j] = np.quantile(reps[ok[:, j], j], list(levels))
    return low, high


def _t_three(values: np.ndarray, prob: np.ndarray, estimate: np.ndarray, ci: float):
    """Three documents: estimate +- t_{1-a, 2} sqrt(3 / 2) SD of the exact document
    bootstrap (``values``: every resample of the documents, ``prob`` their
    probabilities), per column; NaN where more than :data:`MAX_UNDEFINED` of the
    probability is on undefined resamples; the high end kept at 1 (no coefficient
    exceeds it), the low end at 0 when no resample is negative (percent agreement)."""
    from scipy import stats as st

    low = np.full(values.shape[1], np.nan)
    high = low.copy()
    t = st.t.ppf(1 - (1 - ci) / 2, 2) * np.sqrt(3 / 2)
    for j in range(values.shape[1]):
        ok = np.isfinite(values[:, j])
        if prob[~ok].sum() > MAX_UNDEFINED or not np.isfinite(estimate[j]):
            continue
        p = prob[ok] / prob[ok].sum()
        mean = p @ values[ok, j]
        sd = np.sqrt(max(p @ (values[ok, j] - mean) ** 2, 0.0))
        low[j], high[j] = estimate[j] - t * sd, min(estimate[j] + t * sd, 1.0)
        if (values[ok, j] >= 0).all() and estimate[j] >= 0:    # agreement: not below 0
            low[j] = max(low[j], 0.0)
    return low, high


def _unit_documents(codes: pd.DataFrame, documents, where: str):
    """(each unit's document as an array, where it came from) or (None, None): the column
    ``documents`` names, or one id per unit; else a ``parent_id`` column; else the unit
    ids (the index) before their last ``#`` when every one has it (``bri12#p16`` is a
    unit of ``bri12``, as ``corpus.reshape`` names units and a coding sheet keeps them)."""
    if documents is not None:
        if isinstance(documents, str):
            if documents not in codes.columns:
                raise MetadataError(f"{where}: documents={documents!r} is not a column of "
                                    f"codes; columns present: {list(codes.columns)}")
            values = codes[documents]
        else:
            values = pd.Series(list(documents))
            if len(values) != len(codes):
                raise ParameterError(f"{where}: documents has {len(values)} ids for "
                                     f"{len(codes)} units; give one document per unit")
        if values.isna().any():
            raise MetadataError(f"{where}: documents: {int(values.isna().sum())} unit(s) "
                                "have no document id")
        return values.astype(str).to_numpy(), (documents if isinstance(documents, str)
                                               else "documents=[...]")
    if "parent_id" in codes.columns and codes["parent_id"].notna().all():
        return codes["parent_id"].astype(str).to_numpy(), "parent_id"
    ids = codes.index.astype(str)
    if len(ids) and ids.str.contains("#", regex=False).all():
        return ids.str.rsplit("#", n=1).str[0].to_numpy(), "unit ids before '#'"
    return None, None


def reliability(codes, coders=None, level: str = "nominal", n_boot: int = 1000,
                random_state=0, by_code: bool = True, *, order=None,
                weights: str | None = None, ci: float = 0.95, resample: str | None = None,
                documents=None) -> pd.DataFrame:
    """Agreement between coders, overall and per code, with bootstrap intervals.

    ``codes``: a DataFrame with one column per coder and one row per unit (a clause),
    missing codes allowed (blank, NaN or None), e.g. :func:`read_coding_sheet`'s result.
    ``coders``: the coder columns (default: the coders the sheet recorded, else every
    column but ``text``). ``level``: ``"nominal"`` or ``"ordinal"`` (Krippendorff's alpha
    with ordinal distances). Ordered codes (``level="ordinal"``, ``weights``) need an
    order, unless the codes are numbers: ``order=[...]`` from lowest to highest, or
    ``order=codebook`` (a :class:`Codebook`: its codes in file order, of the dimension that
    holds the coders' codes; ``order=codes.attrs["codes"]`` takes a coding sheet's
    codebook order). ``order`` also fixes the order of the per-code rows (default: the
    codebook's order for a sheet read back, else sorted). ``weights``: ``"linear"`` or
    ``"quadratic"`` adds Cohen's weighted kappa of two coders (a near miss counts as part
    agreement; two codes' disagreement is their distance in the order, or its square, as
    in scikit-learn's ``cohen_kappa_score``: list every point of a scale in ``order`` so
    that an unused point still counts as a step).

    One row per ``(code, statistic)``; the rows of code ``"(all)"`` take every code, the
    others one code (each code some coder used) against all the rest (a binary split;
    ``by_code=False`` leaves them out). Statistics:

    - ``agreement``: percent agreement as a share, the mean over units coded at least twice
      of the share of coder pairs that gave the same code;
    - ``cohen_kappa`` (exactly two coders; units both coded);
    - ``weighted_kappa`` (with ``weights``; two coders, units both coded; on the
      ``(all)`` row only: for one code against the rest it is ``cohen_kappa``);
    - ``fleiss_kappa`` (units coded by every coder);
    - ``krippendorff_alpha`` (every unit coded at least twice; ``level`` sets the distance
      of the ``(all)`` row, the binary splits are nominal).

    Columns: ``estimate``, ``ci_low`` / ``ci_high`` (bootstrap interval at level ``ci``:
    ``n_boot`` resamples, every coefficient recomputed; NaN when more than 10% of the
    replicates are undefined, e.g. a resample where one code is all there is, and when
    every replicate gives the same value: a bootstrap that cannot vary is no evidence of
    certainty), ``n_units`` (units the statistic uses),
    ``n_coders``, and ``n_<coder>`` per coder (units the coder coded; on a code's rows,
    units the coder gave that code). ``cohen_kappa`` and ``fleiss_kappa`` are unweighted
    at any level. ``random_state`` (default 0, recorded in ``attrs``): another int draws
    other resamples, None fresh randomness (docs/STATISTICS.md, "Seeds"); ``n_boot=0``
    gives no intervals.

    What is resampled: clauses of one document are alike (a plan is easier to code than a
    speech), so when the units' documents are known, by default (``resample=None``) the
    documents are resampled, then units within them (``"two-stage"``, as every interval of
    the library; expanded percentile, 3 documents a t interval, 1-2 documents none, with a
    warning); otherwise the units, as if independent (``"unit"``). Treating the clauses of
    a few documents as independent units covers far less than 95% when agreement differs
    between documents (docs/STATISTICS.md, "Coders' agreement"). ``documents``: a column
    of ``codes`` (or one id per unit) naming each unit's document; default a
    ``parent_id`` column, else the unit ids before ``#`` (a coding sheet's ``bri12#p16``
    is a unit of ``bri12``). ``resample="unit"`` gives the within-document interval
    (units as if independent) whatever the documents; ``attrs["resample"]``,
    ``attrs["n_documents"]`` and ``attrs["interval"]`` record what was done.

    :func:`disagreements` lists the units where the coders differ, :func:`confusion` the
    table of two coders' codes against each other. Agreement on broader codes (the three
    types of subtypes): recode first with the codebook's types (``S_talent`` →
    ``supply``), e.g. ``reliability(codes[coders].replace(bt.read_codebook().types.to_dict()))``.

    >>> import pandas as pd
    >>> codes = pd.DataFrame({"wang": ["supply", "supply", "demand", "environment"],
    ...                       "li": ["supply", "environment", "demand", "environment"]},
    ...                      index=["c1", "c2", "c3", "c4"])
    >>> table = reliability(codes, n_boot=0)
    >>> table.loc["(all)", "estimate"].round(3)
    statistic
    agreement             0.750
    cohen_kappa           0.636
    fleiss_kappa          0.619
    krippendorff_alpha    0.667
    Name: estimate, dtype: float64
    >>> table.loc[("supply", "cohen_kappa"), ["estimate", "n_wang", "n_li"]].tolist()
    [0.5, 2.0, 1.0]

    Ratings on an ordered scale: a near miss counts less than a far one.

    >>> grades = pd.DataFrame({"wang": ["low", "mid", "high", "high", "mid"],
    ...                        "li": ["low", "high", "high", "mid", "low"]})
    >>> scale = ["low", "mid", "high"]
    >>> w = reliability(grades, n_boot=0, by_code=False, order=scale, weights="linear")
    >>> w.loc["(all)", "estimate"][["cohen_kappa", "weighted_kappa"]].round(3).tolist()
    [0.118, 0.348]
    """
    where = "reliability"
    coders = _coder_columns(codes, coders, where)
    check_scalar(n_boot, "n_boot", min_val=0)
    check_scalar(ci, "ci", "real", min_val=0, max_val=1, include_min=False, include_max=False)
    rng = check_random_state(random_state)
    if weights is not None:
        if weights not in WEIGHTS:
            raise ParameterError(f"{where}: weights must be None or one of {WEIGHTS}, got "
                                 f"{weights!r}")
        if len(coders) != 2:
            raise ParameterError(f"{where}: weights={weights!r} gives Cohen's weighted kappa, "
                                 f"which is between two coders; got {len(coders)}: "
                                 f"{coders}; pass coders=[first, second]")
    X, domain, _ = _encode(codes, coders, level, order, where,
                           ordered=f"weights={weights!r}" if weights else None)
    if not ((X >= 0).sum(axis=1) >= 2).any():
        raise MetadataError(f"{where}: no unit was coded by two or more of the coders "
                            f"{coders}: there is no agreement to measure")
    designs = [(ALL, _Design(X, len(domain), level, weights))]
    if by_code:
        used = sorted(set(X[X >= 0].tolist()))
        designs += [(domain[c], _Design(_binary(X, c), 2)) for c in used]

    def stat(W):
        return np.concatenate([d(W) for _, d in designs], axis=1)

    n = len(X)
    estimate = stat(np.ones((1, n)))[0]
    doc_of, doc_source = _unit_documents(codes, documents, where)
    scheme = resample if resample is not None else ("two-stage" if doc_of is not None
                                                    else "unit")
    from .. import _stats

    _stats.check_resample(scheme)
    if scheme != "unit" and doc_of is None:
        raise ParameterError(f"{where}: resample={scheme!r} resamples documents, but the "
                             "units' documents are unknown: pass documents=<column> (or one "
                             "id per unit), a parent_id column, or unit ids like "
                             "'bri12#p16'; resample='unit' treats units as independent")
    n_docs = _stats.n_documents(doc_of) if doc_of is not None else None
    interval = _stats.WITHIN if scheme == "unit" else _stats.Intervals(
        scheme, n_boot, ci, None).label(n_docs)
    low = np.full(len(estimate), np.nan)
    high = low.copy()
    if n_boot and interval not in (_stats.NO_SINGLE, _stats.FEW_DOCS):
        if scheme != "unit" and n_docs <= _stats.MAX_DOCS_T:
            w, prob = _stats.document_resamples(doc_of)
            low, high = _t_three(stat(w), prob, estimate, float(ci))
        else:
            units = np.arange(n) if scheme == "unit" else doc_of
            reps = _stats.replicates(stat, units, n_boot, scheme, rng)
            levels = _stats.Intervals(scheme, n_boot, ci, None).levels(
                n if scheme == "unit" else n_docs)
            low, high = _percentile(reps, estimate, levels)
        flat = (high - low <= 1e-12) & np.isfinite(low)
        low[flat], high[flat] = np.nan, np.nan
    elif n_boot:
        import warnings

        warnings.warn(f"{where}: the {n} units come from {n_docs} document(s), so "
                      f"resample={scheme!r} gives no interval (NaN, {interval!r}): "
                      "agreement on one or two texts says little about other texts. "
                      "resample='unit' gives an interval that treats the units as "
                      "independent (within these documents)", stacklevel=2)
    rows = []
    for label, design in designs:
        if label == ALL:
            given = (X >= 0).sum(axis=0)
        else:
            given = (X == domain.index(label)).sum(axis=0)
        for s in design.statistics():
            rows.append({"code": label, "statistic": s, "n_units": design.n_units[s],
                         "n_coders": len(coders),
                         **{f"n_{c}": int(g) for c, g in zip(coders, given)}})
    out = pd.DataFrame(rows)
    out.insert(2, "estimate", estimate)
    out.insert(3, "ci_low", low)
    out.insert(4, "ci_high", high)
    out = out.set_index(["code", "statistic"])
    n_differ = int(_differ(X).sum())
    out.attrs.update({
        "coders": coders, "level": level, "weights": weights, "order": list(domain),
        "n_boot": int(n_boot), "random_state": seed_record(random_state) if n_boot else None,
        "ci": float(ci), "n_units": n, "n_disagreements": n_differ,
        "resample": scheme, "documents": doc_source, "n_documents": n_docs,
        "interval": interval if n_boot else None,
        "interval_method": ("percentile bootstrap over units (units resampled with "
                            "replacement as if independent, every coefficient recomputed)"
                            if scheme == "unit" else
                            f"{scheme} bootstrap over documents (every coefficient "
                            "recomputed); expanded percentile (Hesterberg 2015), with 3 "
                            "documents a t interval from the exact document bootstrap"),
        "note": "bri_text.disagreements(codes) lists the units where coders differ; "
                "bri_text.confusion(codes) tabulates two coders' codes"})
    return out


# ---------------------------------------------------------------------- differences
def _differ(X: np.ndarray) -> np.ndarray:
    """Units where two coders gave different codes."""
    hi = np.where(X < 0, -1, X).max(axis=1)
    lo = np.where(X < 0, np.iinfo(np.int64).max, X).min(axis=1)
    return ((X >= 0).sum(axis=1) >= 2) & (hi != lo)


def disagreements(codes, coders=None) -> pd.DataFrame:
    """The units where coders gave different codes, with their text when ``codes`` has a
    ``text`` column, for the coders to discuss and settle.

    Rows keep the index of ``codes`` (the unit ids of a coding sheet); columns: ``text``
    (when present), one per coder, and ``n_codes`` (how many different codes the unit
    got). Units coded by one coder only are not disagreements.

    >>> import pandas as pd
    >>> codes = pd.DataFrame({"text": ["培养人才", "设立专项资金", "政府采购"],
    ...                       "wang": ["supply", "supply", "demand"],
    ...                       "li": ["supply", "environment", None]}, index=["c1", "c2", "c3"])
    >>> disagreements(codes)
          text    wang           li  n_codes
    c2  设立专项资金  supply  environment        2
    """
    where = "disagreements"
    coders = _coder_columns(codes, coders, where)
    X, _, _ = _encode(codes, coders, "nominal", None, where)
    mask = _differ(X)
    cols = (["text"] if "text" in codes.columns and "text" not in coders else []) + coders
    out = codes.loc[mask, cols].copy()
    out["n_codes"] = [len(set(row[row >= 0].tolist())) for row in X[mask]]
    return out


def confusion(codes, coders=None, *, order=None) -> pd.DataFrame:
    """Two coders' codes against each other: rows the first coder's codes, columns the
    second's, cells the number of units (units coded by both); every code of ``order`` (or
    every code used) appears, zeros included. The diagonal holds the agreements;
    ``.stack()`` gives the long (tidy) form, one row per pair of codes.

    >>> import pandas as pd
    >>> codes = pd.DataFrame({"wang": ["supply", "supply", "demand"],
    ...                       "li": ["supply", "demand", "demand"]})
    >>> confusion(codes)  # doctest: +NORMALIZE_WHITESPACE
    li      demand  supply
    wang
    demand       1       0
    supply       1       1
    """
    where = "confusion"
    coders = _coder_columns(codes, coders, where)
    if len(coders) != 2:
        raise ParameterError(f"{where}: a confusion table is between two coders, got "
                             f"{coders}; pass coders=[first, second]")
    X, domain, _ = _encode(codes, coders, "nominal", order, where)
    both = (X >= 0).all(axis=1)
    V = len(domain)
    cells = np.bincount(X[both, 0] * V + X[both, 1], minlength=V * V).reshape(V, V)
    return pd.DataFrame(cells, index=pd.Index(domain, name=coders[0]),
                        columns=pd.Index(domain, name=coders[1]))
