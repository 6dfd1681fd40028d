"""Document similarity: similarity matrices, nearest neighbours and clustering.

Every function takes one of three inputs (or Tokens, compared on ``bt.dtm(tokens, "tfidf")``):

- a :class:`~bri_text.features.DocumentTermMatrix` (counts, tf or tf-idf);
- a fitted :class:`~bri_text.topics.TopicModel` (its document-topic table);
- a DataFrame of vectors, one row per unit, index = ``doc_id`` (dense embeddings plug in).
  If some column names are not strings (the topic numbers of ``TopicModel.doc_topics()``),
  those columns are the vectors and the string-named columns are metadata (a ``doc_id``
  column becomes the index); otherwise every column is a vector column and must be numeric.

Metrics (``metric=``), all similarities with 1 = identical:

- ``"cosine"``: cosine of the weighted vectors (in [0, 1] for non-negative input);
- ``"jaccard"``: shared terms / terms in either unit, on presence (weight > 0);
- ``"hellinger"``: 1 − Hellinger distance of the rows rescaled to sum 1;
- ``"jensen_shannon"``: 1 − Jensen–Shannon distance (square root of the divergence, base 2,
  as ``scipy.spatial.distance.jensenshannon(base=2)``), rows rescaled to sum 1; in [0, 1].

Units are the rows of the input (``level="unit"``, e.g. paragraphs), whole documents
(``level="document"``: the units of each ``parent_id`` combined, documents keep their
metadata) or groups (``by="region"``). Combining sums the raw counts of a DTM and re-applies
its weighting (tf-idf: idf recomputed over the combined units); topic shares are averaged
weighted by the units' tokens; DataFrame rows are averaged (weighted by an ``n_tokens``
column if there is one). Units with no ``by`` value are left out with one warning. Empty
units (all-zero rows) have NaN similarity to everything, themselves included (warned).

>>> import bri_text as bt
>>> m = bt.dtm(bt.tokenize(bt.load_bri_policies().reshape("paragraph")), "tfidf")
>>> sim = bt.similarity_matrix(m, level="document")
>>> sim.shape, float(sim.loc["bri13", "bri13"])
((27, 27), 1.0)
"""
from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ._grouping import (
    _document_codes,
    _document_meta,
    _group_codes,
    _group_table,
    _indicator,
    _warn_split_documents,
)
from ._util import check_n_jobs, check_scalar, renamed_parameters
from .errors import MetadataError, ParameterError
from .features import DocumentTermMatrix, tokens_fingerprint, weight

__all__ = [
    "METRICS",
    "DocumentClusters",
    "cluster_documents",
    "most_similar",
    "nearest_neighbors",
    "similarity_matrix",
]

METRICS = ("cosine", "jaccard", "hellinger", "jensen_shannon")
_LEVELS = ("unit", "document")
#: metadata shown beside neighbours, when present
_SHOW_COLS = ("parent_id", "title", "region", "city", "level", "date", "year")
#: nearest_neighbors: terms in more than this share of units go through a dense product
_DENSE_DF = 0.05


# =========================================================================== inputs
@dataclass
class _Units:
    X: sparse.csr_matrix          # float64, one row per unit
    meta: pd.DataFrame            # doc_id + metadata, one row per unit
    source: str                   # "dtm" | "topics" | "frame"
    weighting: str | None
    tokens_fingerprint: str | None = None     # of the tokens the vectors come from


def _check_metric(metric):
    if metric not in METRICS:
        raise ParameterError(f"metric must be one of {METRICS}, got {metric!r}")


def _check_level(level):
    if level not in _LEVELS:
        raise ParameterError(f"level must be 'unit' or 'document', got {level!r}")


def _group(meta: pd.DataFrame, by, level: str, where: str):
    """(codes, group meta) for ``by`` or ``level="document"``; None if units stay as they
    are. Units with no ``by`` value get code -1 and one warning."""
    if by is not None:
        codes, labels, name = _group_codes(meta, by, where, param="by")  # warns if missing
        _warn_split_documents(meta, codes, labels, name, where)
        return codes, _group_table(meta, codes, labels, name, n_docs=True)
    if level == "document" and "parent_id" in meta.columns:
        codes, labels = _document_codes(meta, where)
        return codes, _document_meta(meta, codes, labels)
    return None, None


def _weighted_mean(values: np.ndarray, weights: np.ndarray, codes: np.ndarray, n: int):
    ok = codes >= 0
    ind = _indicator(codes, n).astype(np.float64)
    w = np.where(ok, weights, 0.0)
    sums = ind @ (values * w[:, None])
    tot = ind @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / tot[:, None]


def _frame_vectors(df: pd.DataFrame, param: str = "x"):
    """(vectors DataFrame, metadata DataFrame with doc_id) from a labelled DataFrame."""
    df = df.copy()
    if "doc_id" in df.columns:
        df = df.set_index("doc_id")
    vec_cols = [c for c in df.columns if not isinstance(c, str)]
    if not vec_cols:
        vec_cols = list(df.columns)
    meta_cols = [c for c in df.columns if c not in vec_cols]
    vec = df[vec_cols]
    bad = [c for c in vec_cols if not pd.api.types.is_numeric_dtype(vec[c])]
    if bad:
        raise ParameterError(f"{param}: the vector columns must be numeric; not numeric: "
                             f"{bad[:5]}. Put metadata in string-named columns beside "
                             "integer-named vector columns, or pass only the vectors")
    if vec.shape[1] == 0 or len(vec) == 0:
        raise ParameterError(f"{param}: the DataFrame has no vectors (shape {df.shape})")
    ids = pd.Index(df.index.astype(str))
    if ids.has_duplicates:
        raise MetadataError(f"{param}: duplicated doc_id(s) in the index: "
                            f"{ids[ids.duplicated()].unique()[:5].tolist()}")
    meta = df[meta_cols].reset_index(drop=True)
    meta.insert(0, "doc_id", ids.to_numpy())
    return vec.to_numpy(dtype=np.float64), meta


def _input_fingerprint(x) -> str | None:
    """The fingerprint of the tokens behind ``x``: Tokens' own, a matrix's (``dtm``), a
    topic model's (``provenance_["corpus_fingerprint"]``); None for a DataFrame of
    vectors."""
    if isinstance(x, pd.DataFrame):
        return None
    if hasattr(x, "doc_topics") and hasattr(x, "n_topics"):          # TopicModel
        return (getattr(x, "provenance_", None) or {}).get("corpus_fingerprint")
    return tokens_fingerprint(x)


def _prepare(x, by=None, level: str = "unit", where: str = "similarity_matrix",
             param: str = "x") -> _Units:
    """Vectors (CSR) and metadata of the units to compare, with the fingerprint of the
    tokens they come from."""
    units = _vectors(x, by, level, where, param)
    units.tokens_fingerprint = _input_fingerprint(x)
    return units


def _vectors(x, by, level: str, where: str, param: str) -> _Units:
    _check_level(level)
    if _is_tokens(x):                          # the README's chain: tokens -> tf-idf
        from .features import dtm

        x = dtm(x, "tfidf")
    if isinstance(x, DocumentTermMatrix):
        if x.shape[0] == 0:
            raise ParameterError(f"{param}: the matrix has no units")
        codes, gmeta = _group(x.docs, by, level, where)
        if codes is None:
            return _Units(x.matrix.astype(np.float64).tocsr(), x.docs.copy(), "dtm",
                          x.weighting)
        counts = (_indicator(codes, len(gmeta)) @ x.counts).tocsr().astype(np.float64)
        return _Units(weight(counts, x.weighting), gmeta, "dtm", x.weighting)
    if hasattr(x, "doc_topics") and hasattr(x, "n_topics"):          # TopicModel
        if not hasattr(x, "doc_topic_"):
            raise ParameterError(f"{param}: the TopicModel is not fitted; call fit(tokens)")
        if by is None and level == "document":
            table = x.doc_topics(level="document")
            meta = table.drop(columns=list(range(x.n_topics_)))
            return _Units(sparse.csr_matrix(table[list(range(x.n_topics_))].to_numpy(float)),
                          meta, "topics", None)
        table = x.doc_topics(level="unit")
        k = x.n_topics_
        theta = table[list(range(k))].to_numpy(float)
        meta = table.drop(columns=list(range(k)))
        if by is None:
            return _Units(sparse.csr_matrix(theta), meta, "topics", None)
        codes, gmeta = _group(meta, by, level, where)
        avg = _weighted_mean(theta, meta["n_tokens"].to_numpy(float), codes, len(gmeta))
        return _Units(sparse.csr_matrix(np.nan_to_num(avg)), gmeta, "topics", None)
    if isinstance(x, pd.DataFrame):
        values, meta = _frame_vectors(x, param)
        if not np.isfinite(values).all():
            raise ParameterError(f"{param}: the vectors contain NaN or infinite values "
                                 "(e.g. units without tokens); drop or fill those rows")
        codes, gmeta = _group(meta, by, level, where)
        if codes is None:
            return _Units(sparse.csr_matrix(values), meta, "frame", None)
        w = meta["n_tokens"].to_numpy(float) if "n_tokens" in meta.columns else \
            np.ones(len(meta))
        avg = _weighted_mean(values, w, codes, len(gmeta))
        return _Units(sparse.csr_matrix(np.nan_to_num(avg)), gmeta, "frame", None)
    raise ParameterError(f"{param} must be Tokens (bri_text.tokenize: compared on tf-idf), a "
                         f"DocumentTermMatrix (bri_text.dtm(tokens, 'tfidf')), a fitted "
                         f"TopicModel or a DataFrame of vectors indexed by doc_id, got "
                         f"{type(x).__name__}")


def _is_tokens(x) -> bool:
    """Tokens (bri_text.tokenize): token lists with their units' metadata and offsets."""
    return (hasattr(x, "tokens") and hasattr(x, "spans") and
            isinstance(getattr(x, "docs", None), pd.DataFrame))


# =========================================================================== metrics
def _row_norms(X, kind: str) -> np.ndarray:
    if kind == "l2":
        return np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return np.asarray(X.sum(axis=1)).ravel()


def _scale_rows(X: sparse.csr_matrix, norms: np.ndarray) -> sparse.csr_matrix:
    with np.errstate(divide="ignore"):
        inv = np.where(norms > 0, 1.0 / norms, 0.0)
    return sparse.csr_matrix(sparse.diags(inv) @ X)


def _check_nonneg(X, metric):
    if X.nnz and X.data.min() < 0:
        raise ParameterError(f"metric={metric!r} compares distributions and needs "
                             "non-negative weights; the vectors have negative values (use "
                             "metric='cosine')")


def _transform(X: sparse.csr_matrix, metric: str):
    """Rows ready for the metric's product and a mask of empty (all-zero) rows."""
    X = X.tocsr().astype(np.float64)
    X.eliminate_zeros()
    empty = np.diff(X.indptr) == 0
    if metric == "cosine":
        return _scale_rows(X, _row_norms(X, "l2")), empty
    if metric == "jaccard":
        B = X.copy()
        B.data = np.ones_like(B.data)
        return B, empty
    _check_nonneg(X, metric)
    P = _scale_rows(X, _row_norms(X, "l1"))
    if metric == "hellinger":
        P.data = np.sqrt(P.data)
    return P, empty


def _pairwise(A: sparse.csr_matrix, B: sparse.csr_matrix, metric: str,
              empty_a: np.ndarray, empty_b: np.ndarray) -> np.ndarray:
    """Dense similarities of the transformed rows of A against those of B."""
    if metric == "jensen_shannon":
        S = _js_similarity(A, B)
    else:
        S = (A @ B.T).toarray() if sparse.issparse(A) else np.asarray(A @ B.T)
        if metric == "jaccard":
            na = np.diff(A.indptr).astype(float)
            nb = np.diff(B.indptr).astype(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                S = S / (na[:, None] + nb[None, :] - S)
        elif metric == "hellinger":
            S = 1.0 - np.sqrt(np.clip(1.0 - S, 0.0, 1.0))
    lo = -1.0 if metric == "cosine" else 0.0
    S = np.clip(S, lo, 1.0)
    S[empty_a, :] = np.nan
    S[:, empty_b] = np.nan
    return S


def _js_similarity(P: sparse.csr_matrix, Q: sparse.csr_matrix) -> np.ndarray:
    """1 − sqrt(JSD_2) between rows of P and Q (both l1-normalised), over shared terms only:
    JSD = ½[Σ_shared (p log2 2p/(p+q) + q log2 2q/(p+q)) + (1 − Σ_shared p) + (1 − Σ_shared q)].
    """
    Qc = Q.tocsc()
    out = np.empty((P.shape[0], Q.shape[0]))
    for i in range(P.shape[0]):
        cols = P.indices[P.indptr[i]:P.indptr[i + 1]]
        p = P.data[P.indptr[i]:P.indptr[i + 1]]
        q = Qc[:, cols].toarray()                      # (nQ, |support|)
        shared = q > 0
        m = (p[None, :] + q) / 2.0
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(shared, p * np.log2(p / m) + q * np.log2(np.where(shared, q, 1) / m),
                         0.0)
        sp_ = np.where(shared, p[None, :], 0.0).sum(axis=1)
        sq = np.where(shared, q, 0.0).sum(axis=1)
        jsd = 0.5 * (t.sum(axis=1) + (1.0 - sp_) + (1.0 - sq))
        out[i] = 1.0 - np.sqrt(np.clip(jsd, 0.0, 1.0))
    return out


def _warn_empty(empty: np.ndarray, meta: pd.DataFrame, where: str):
    if empty.any():
        ids = meta["doc_id"].to_numpy()[empty][:5].tolist()
        warnings.warn(f"{where}: {int(empty.sum())} unit(s) have no weight (empty, e.g. "
                      f"{ids}); their similarities are NaN", stacklevel=3)


def _attrs(metric, by, level, units: _Units) -> dict:
    return {"metric": metric, "by": by if isinstance(by, str) or by is None else "labels",
            "level": level, "source": units.source, "weighting": units.weighting,
            "tokens_fingerprint": units.tokens_fingerprint,
            "metadata": units.meta.to_dict("list")}


# =========================================================================== public
def similarity_matrix(x, metric: str = "cosine", by=None, level: str = "unit") -> pd.DataFrame:
    """Pairwise similarities of units, documents or groups, as a labelled square DataFrame.

    ``x``: a DocumentTermMatrix, a fitted TopicModel or a DataFrame of vectors (see the
    module doc), Tokens (compared on their tf-idf matrix, ``bt.dtm(tokens, "tfidf")``), or
    a list of them over the same documents (e.g. ``[dtm, model]``): their matrices are
    averaged; inputs with different doc_ids raise MetadataError. ``level="document"``
    combines the paragraphs (units) of each document (``parent_id``); ``by="region"``
    combines the units of each group (summed counts for a DTM, re-weighted as the DTM;
    token-weighted mean topic shares for a TopicModel). Units with no ``by`` value are left
    out with one warning; ``by="decade"``: decades of the ``year`` column (1950 for
    1950-1959), unless there is a ``decade`` column (README, "Decades"). Rows and columns
    are labelled by
    ``doc_id`` (the group label with ``by=``). Empty units get NaN (diagonal included).
    ``attrs`` holds ``metric``, ``by``, ``level``, ``source``, ``weighting``,
    ``tokens_fingerprint`` (of the tokens behind ``x``: ``Tokens.fingerprint``, as a
    matrix or topic model records it; None for a DataFrame; of a list, the inputs'
    joined by "+" when they differ) and the units' ``metadata`` (a dict of lists, used by
    the plots).

    >>> import bri_text as bt
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> sim = bt.similarity_matrix(m, by="level")
    >>> sim.round(2).values.tolist(), sim.attrs["by"]
    ([[1.0, 0.49, 0.43], [0.49, 1.0, 0.67], [0.43, 0.67, 1.0]], 'level')
    """
    _check_metric(metric)
    if isinstance(x, (list, tuple)):
        return _combined(x, metric, by, level)
    units = _prepare(x, by, level, "similarity_matrix")
    T, empty = _transform(units.X, metric)
    _warn_empty(empty, units.meta, "similarity_matrix")
    S = _pairwise(T, T, metric, empty, empty)
    S = (S + S.T) / 2.0                       # exact symmetry despite rounding
    idx = np.flatnonzero(~empty)
    S[idx, idx] = 1.0
    name = by if isinstance(by, str) else "doc_id"
    labels = pd.Index(units.meta["doc_id"].astype(str).to_numpy(), name=name)
    out = pd.DataFrame(S, index=labels, columns=labels.rename(None))
    out.attrs.update(_attrs(metric, by, level, units))
    return out


def _combined(xs, metric, by, level) -> pd.DataFrame:
    """Mean of the similarity matrices of several inputs over the same units."""
    if len(xs) == 0:
        raise ParameterError("x is an empty list; give a DocumentTermMatrix, a TopicModel or "
                             "a DataFrame (or a list of them over the same documents)")
    sims = [similarity_matrix(x, metric, by, level) for x in xs]
    first = sims[0]
    for i, other in enumerate(sims[1:], start=1):
        a, b = set(first.index), set(other.index)
        if a != b:
            raise MetadataError(
                f"x[0] and x[{i}] do not cover the same units (different corpora?): "
                f"{len(a - b)} doc_id(s) only in x[0] (e.g. {sorted(a - b)[:3]}), "
                f"{len(b - a)} only in x[{i}] (e.g. {sorted(b - a)[:3]}); subset them to "
                "the same documents first")
    out = sum(s.loc[first.index, first.columns].to_numpy() for s in sims) / len(sims)
    res = pd.DataFrame(out, index=first.index, columns=first.columns)
    res.attrs.update(first.attrs)
    res.attrs["source"] = "+".join(s.attrs["source"] for s in sims)
    prints = list(dict.fromkeys(str(s.attrs["tokens_fingerprint"]) for s in sims))
    res.attrs["tokens_fingerprint"] = (first.attrs["tokens_fingerprint"] if len(prints) == 1
                                       else "+".join(prints))
    return res


def most_similar(x, doc_id, top_n: int = 10, metric: str = "cosine",
                 level: str = "unit") -> pd.DataFrame:
    """The ``top_n`` units most similar to ``doc_id``: columns ``rank, doc_id, score`` and
    the neighbours' metadata (``parent_id, title, region, city, level, date, year`` where
    present). ``x``, ``metric`` and ``level`` as in :func:`similarity_matrix`; ties are
    broken by the units' order; empty units are not listed.

    >>> import bri_text as bt
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> most_similar(m, "bri13", top_n=3)[["doc_id", "region"]].values.tolist()
    [['bri24', '河南'], ['bri20', '福建'], ['bri14', '江西']]
    """
    _check_metric(metric)
    top_n = check_scalar(top_n, "top_n", min_val=1)
    units = _prepare(x, None, level, "most_similar")
    ids = units.meta["doc_id"].astype(str).to_numpy()
    hit = np.flatnonzero(ids == str(doc_id))
    if len(hit) == 0:
        hint = ""
        if "parent_id" in units.meta.columns and (units.meta["parent_id"] == doc_id).any():
            hint = f"; {doc_id!r} is a document of these units: pass level='document'"
        raise MetadataError(f"doc_id {doc_id!r} is not among the {len(ids)} units (e.g. "
                            f"{ids[:3].tolist()}){hint}")
    i = int(hit[0])
    T, empty = _transform(units.X, metric)
    if empty[i]:
        raise ParameterError(f"doc_id {doc_id!r} is empty (no weight); it has no similarity "
                             "to any unit")
    s = _pairwise(T[i], T, metric, empty[[i]], empty)[0]
    s[i] = np.nan
    cand = np.flatnonzero(~np.isnan(s))
    order = cand[np.lexsort((cand, -s[cand]))][:top_n]
    out = pd.DataFrame({"rank": np.arange(1, len(order) + 1), "doc_id": ids[order],
                        "score": s[order]})
    for c in _SHOW_COLS:
        if c in units.meta.columns:
            out[c] = units.meta[c].to_numpy()[order]
    out.attrs.update({"metric": metric, "query": str(doc_id), "level": level,
                      "tokens_fingerprint": units.tokens_fingerprint})
    return out


def _topk_blocks(S: np.ndarray, k: int, width: int, block: int):
    """Top-k per row of a score block ``S`` (rows x n_pad, -inf = excluded; the first
    ``width`` columns are real), ties to the smaller column.

    The maxima of ``block`` consecutive columns give a lower bound of each row's k-th
    largest score (the k-th largest block maximum); only the ~k blocks reaching it are then
    searched and sorted: one vectorised reduction pass instead of an ``argpartition``."""
    m, n_pad = S.shape
    nb = n_pad // block
    blocks = S.reshape(m, nb, block)
    bmax = blocks.max(axis=2)
    kk = min(k, nb)
    thr = np.partition(bmax, nb - kk, axis=1)[:, nb - kk]
    rb, cb = np.nonzero(bmax >= thr[:, None])
    vals = blocks[rb, cb]                                       # (candidate blocks, block)
    cols = cb[:, None] * block + np.arange(block)
    rows = np.broadcast_to(rb[:, None], vals.shape)
    ok = (vals >= thr[rb][:, None]) & np.isfinite(vals)
    rr, cc, vv = rows[ok], cols[ok], vals[ok]                   # row-major: columns ascend
    order = np.lexsort((-vv, rr))            # stable: equal scores keep column order
    rr, cc, vv = rr[order], cc[order], vv[order]
    pos = np.arange(len(rr)) - np.searchsorted(rr, np.arange(m))[rr]
    keep = pos < k
    idx = np.full((m, k), -1, dtype=np.int64)
    out = np.full((m, k), -np.inf, dtype=np.float64)
    idx[rr[keep], pos[keep]] = cc[keep]
    out[rr[keep], pos[keep]] = vv[keep]
    return idx, out


def _add_sparse(S: np.ndarray, P: sparse.csr_matrix) -> None:
    """S[:, :P.shape[1]] += P in place (S C-contiguous, at least as wide as P)."""
    P = P.tocsr()
    data = P.data if P.data.dtype == S.dtype else P.data.astype(S.dtype)
    try:
        from scipy.sparse._sparsetools import csr_todense  # adds into its output

        csr_todense(P.shape[0], S.shape[1], P.indptr, P.indices, data, S)
    except (ImportError, TypeError, ValueError):              # pragma: no cover
        P = P.tocoo()
        S[P.row, P.col] += P.data


def _chunk_neighbors(T, TT, metric, empty, start, stop, k, dense_cols, buf, block):
    """Top-k neighbours of rows start:stop (self and empty units excluded); ``buf`` is a
    reusable float32 block (chunk x n_pad, n_pad a multiple of ``block``): fresh blocks
    would cost page faults."""
    n = T.shape[0]
    Sfull = buf[:stop - start]
    S = Sfull[:, :n]
    Sfull[:, n:] = -np.inf
    A = T[start:stop]
    if metric == "jensen_shannon":
        S[:] = _js_similarity(A.astype(np.float64), T.astype(np.float64))
    else:
        if dense_cols is not None:                # cosine: dense BLAS for frequent terms
            Dhi, DhiT, Tlo, TTlo = dense_cols
            np.matmul(Dhi[start:stop], DhiT, out=S)
            _add_sparse(Sfull, Tlo[start:stop] @ TTlo)
        else:
            S[:] = 0.0
            _add_sparse(Sfull, A @ TT)
        if metric == "jaccard":
            na = np.diff(A.indptr).astype(np.float32)
            nb = np.diff(T.indptr).astype(np.float32)
            with np.errstate(invalid="ignore", divide="ignore"):
                S /= (na[:, None] + nb[None, :] - S)
            S[np.isnan(S)] = -np.inf
    rows = np.arange(stop - start)
    S[rows, rows + start] = -np.inf
    if empty.any():
        S[:, np.flatnonzero(empty)] = -np.inf
    return _topk_blocks(Sfull, k, n, block)


@renamed_parameters(k="top_n")
def nearest_neighbors(x, top_n: int = 10, metric: str = "cosine", n_jobs: int = 1, *,
                      level: str = "unit", memory_mb: float = 512) -> pd.DataFrame:
    """The ``top_n`` nearest neighbours of every unit, without building the N × N matrix.

    Returns a long table ``doc_id, neighbor, rank, score`` (``top_n`` rows per unit; self
    excluded; ties broken by the neighbour's position; empty units have no neighbours and
    are nobody's neighbour). ``top_n`` must be below the number of units (``k=``, its name
    before 0.2.0, is an error). ``x``, ``metric`` and ``level`` as in
    :func:`similarity_matrix`.

    How: rows are scored in chunks whose float32 score block stays under ``memory_mb``
    (one block per worker, reused). Cosine uses L2-normalised rows; terms found in over 5% of
    units go through a dense BLAS product, the rest through a sparse product. The top ``k``
    (= ``top_n``) per row come from block maxima of 64 columns: the k-th largest block
    maximum bounds the k-th score from below, so only ~k blocks per row are sorted.
    ``n_jobs`` chunks run in threads (joblib; the products release the GIL; BLAS is held to
    one thread per worker). Scores are float32 sums, equal to :func:`similarity_matrix`
    within ~1e-6.

    >>> import bri_text as bt
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> nn = nearest_neighbors(m, top_n=2)
    >>> nn[nn["doc_id"] == "bri13"][["neighbor", "rank"]].values.tolist()
    [['bri24', 1], ['bri20', 2]]
    """
    _check_metric(metric)
    k = check_scalar(top_n, "top_n", min_val=1)
    n_jobs = check_n_jobs(n_jobs)
    check_scalar(memory_mb, "memory_mb", "real", min_val=0, include_min=False)
    units = _prepare(x, None, level, "nearest_neighbors")
    n = units.X.shape[0]
    if k >= n:
        raise ParameterError(f"top_n must be smaller than the number of units ({n}), got "
                             f"top_n={k}; each unit has at most {n - 1} neighbours")
    T, empty = _transform(units.X, metric)
    _warn_empty(empty, units.meta, "nearest_neighbors")
    dense_cols = None
    if metric == "jensen_shannon":
        TT = None
    else:
        T = T.astype(np.float32)
        if metric == "cosine" and n > 2000:
            df = np.bincount(T.indices, minlength=T.shape[1])
            hi = np.flatnonzero(df > _DENSE_DF * n)
            if len(hi):
                keep_lo = np.ones(T.shape[1], dtype=np.float32)
                keep_lo[hi] = 0.0
                Tlo = (T @ sparse.diags(keep_lo)).tocsr()
                Tlo.eliminate_zeros()
                Dhi = np.ascontiguousarray(T[:, hi].toarray())
                dense_cols = (Dhi, np.ascontiguousarray(Dhi.T), Tlo, Tlo.T.tocsr())
        TT = T.T.tocsr() if dense_cols is None else None
    # bytes per cell of the score block: float32 scores, the candidate mask, the sparse part
    chunk = int(max(1, min(n, memory_mb * 2**20 // (n * 12))))
    starts = list(range(0, n, chunk))

    block = 64 if n >= 64 * 4 * k else 1
    n_pad = -(-n // block) * block
    local = threading.local()

    def run(s):
        if not hasattr(local, "buf"):
            local.buf = np.empty((chunk, n_pad), dtype=np.float32)
        return _chunk_neighbors(T, TT, metric, empty, s, min(n, s + chunk), k, dense_cols,
                                local.buf, block)

    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):        # n_jobs decides the cores
        if n_jobs == 1 or len(starts) == 1:
            parts = [run(s) for s in starts]
        else:
            from joblib import Parallel, delayed

            parts = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(run)(s) for s in starts)
    idx = np.concatenate([p[0] for p in parts])
    vals = np.concatenate([p[1] for p in parts]).astype(np.float64)
    ids = units.meta["doc_id"].astype(str).to_numpy()
    row = np.repeat(np.arange(n), idx.shape[1])
    out = pd.DataFrame({"doc_id": ids[row], "neighbor": ids[idx.ravel()],
                        "rank": np.tile(np.arange(1, idx.shape[1] + 1), n),
                        "score": vals.ravel()})
    keep = np.isfinite(out["score"].to_numpy()) & ~empty[row]
    out = out[keep].reset_index(drop=True)
    if metric == "hellinger":
        out["score"] = 1.0 - np.sqrt(np.clip(1.0 - out["score"], 0.0, 1.0))
    out["score"] = out["score"].clip(-1.0 if metric == "cosine" else 0.0, 1.0)
    out.attrs.update({"metric": metric, "top_n": k, "level": level,
                      "tokens_fingerprint": units.tokens_fingerprint})
    return out


# =========================================================================== clustering
@dataclass
class DocumentClusters:
    """Result of :func:`cluster_documents`.

    ``labels``: DataFrame ``doc_id, cluster, order`` (one row per unit, in the similarity
    matrix's order; ``order`` is the position in the optimal leaf ordering); ``linkage``: the
    scipy linkage matrix on distance 1 − similarity; ``similarity``: the input matrix.
    Unpacks as ``labels, linkage = cluster_documents(sim)``.
    """

    labels: pd.DataFrame
    linkage: np.ndarray
    similarity: pd.DataFrame
    method: str

    @property
    def order(self) -> list:
        """doc_ids in leaf order (similar units next to each other)."""
        return self.labels.sort_values("order")["doc_id"].tolist()

    def __iter__(self):
        return iter((self.labels, self.linkage))

    def __repr__(self) -> str:
        """One line, as Corpus and Tokens print, not the N x N matrix it holds.

        >>> import bri_text as bt
        >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
        >>> cluster_documents(bt.similarity_matrix(m), n_clusters=8)
        <DocumentClusters: 27 units in 8 clusters, average linkage; .labels, .linkage, .similarity>
        """
        n = self.labels["cluster"].nunique() if "cluster" in self.labels.columns else 0
        return (f"<DocumentClusters: {len(self.labels):,} units in {n} cluster"
                f"{'' if n == 1 else 's'}, {self.method} linkage; .labels, .linkage, "
                ".similarity>")


_LINKAGES = ("average", "complete", "single", "weighted")


def cluster_documents(sim: pd.DataFrame, method: str = "average", n_clusters=None,
                      threshold=None) -> DocumentClusters:
    """Hierarchical clustering of a :func:`similarity_matrix` on distance 1 − similarity.

    scipy ``linkage(method)`` (average, complete, single or weighted) with
    ``optimal_leaf_ordering``; clusters cut with ``n_clusters`` (at most that many) or
    ``threshold`` (merge distance, 1 − similarity); with neither, every unit is in cluster 1.
    Clusters are numbered 1, 2, ... in leaf order. Units with NaN similarity (empty) raise.

    >>> import bri_text as bt
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> res = cluster_documents(bt.similarity_matrix(m), n_clusters=8)
    >>> lab = res.labels.set_index("doc_id")["cluster"]
    >>> bool(lab["bri13"] == lab["bri24"])
    True
    """
    from scipy.cluster.hierarchy import fcluster, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    if not isinstance(sim, pd.DataFrame):
        raise ParameterError(f"sim must be the DataFrame of similarity_matrix, got "
                             f"{type(sim).__name__}")
    if method not in _LINKAGES:
        raise ParameterError(f"method must be one of {_LINKAGES} (ward/centroid need "
                             f"Euclidean distances), got {method!r}")
    if n_clusters is not None and threshold is not None:
        raise ParameterError("give n_clusters or threshold, not both")
    if sim.shape[0] != sim.shape[1] or list(map(str, sim.index)) != list(map(str, sim.columns)):
        raise MetadataError("sim must be square with the same doc_ids in rows and columns "
                            "(the output of similarity_matrix)")
    n = sim.shape[0]
    if n < 2:
        raise ParameterError(f"clustering needs at least 2 units, got {n}")
    S = sim.to_numpy(dtype=float)
    bad = np.isnan(S).any(axis=1)
    if bad.any():
        raise ParameterError(f"sim has NaN similarities for {int(bad.sum())} unit(s) (e.g. "
                             f"{list(sim.index[bad][:3])}, empty units); drop them first: "
                             "sim.loc[keep, keep]")
    if not np.allclose(S, S.T, atol=1e-9):
        raise ParameterError("sim must be symmetric")
    D = np.clip(1.0 - (S + S.T) / 2.0, 0.0, None)
    np.fill_diagonal(D, 0.0)
    y = squareform(D, checks=False)
    Z = optimal_leaf_ordering(linkage(y, method=method), y)
    if n_clusters is not None:
        check_scalar(n_clusters, "n_clusters", min_val=1)
        raw = fcluster(Z, t=n_clusters, criterion="maxclust")
    elif threshold is not None:
        check_scalar(threshold, "threshold (a distance, 1 - similarity)", "real", min_val=0)
        raw = fcluster(Z, t=threshold, criterion="distance")
    else:
        raw = np.ones(n, dtype=int)
    from scipy.cluster.hierarchy import leaves_list

    leaves = leaves_list(Z)
    order = np.empty(n, dtype=int)
    order[leaves] = np.arange(n)
    renum = {c: i + 1 for i, c in enumerate(dict.fromkeys(raw[leaves]))}
    labels = pd.DataFrame({"doc_id": [str(i) for i in sim.index],
                           "cluster": [renum[c] for c in raw], "order": order})
    return DocumentClusters(labels, Z, sim, method)
