"""The unit-level document-term matrix as a Dask array of sparse blocks."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ParameterError
from ._common import _check_ddf, _dask, _tree_reduce
from ._counts import _compute, _count_units, _get_tokenizer, _identity, _tokens_of, _vocab_mask
from ._read import _split_dropped


def _vocab_partial(df: pd.DataFrame, tok):
    docs, _ = _split_dropped(df)
    terms, x = _count_units(_tokens_of(docs, tok))
    return (terms, np.asarray((x > 0).sum(axis=0)).ravel().astype(np.int64),
            np.asarray(x.sum(axis=0)).ravel().astype(np.int64), len(docs))


def _merge_vocab(parts: list):
    if len(parts) == 1:
        return parts[0]
    all_terms = np.concatenate([p[0] for p in parts])
    terms, inv = np.unique(all_terms, return_inverse=True)
    inv = inv.reshape(-1)
    df = np.zeros(len(terms), dtype=np.int64)
    cnt = np.zeros(len(terms), dtype=np.int64)
    pos = 0
    for t, d, c, _ in parts:
        np.add.at(df, inv[pos:pos + len(t)], d)
        np.add.at(cnt, inv[pos:pos + len(t)], c)
        pos += len(t)
    return terms, df, cnt, sum(p[3] for p in parts)


def vocabulary(docs, *, tokenizer=None, min_df=1, max_df=1.0, max_features=None,
               **params) -> pd.DataFrame:
    """First pass: the vocabulary with its document frequencies, as a pandas DataFrame
    (``term, doc_freq, count``, terms sorted as :func:`bri_text.dtm` sorts them), filtered
    with ``min_df`` / ``max_df`` / ``max_features`` as :func:`bri_text.dtm` does. Pass it
    to :func:`count_matrix`."""
    dask, _ = _dask()
    _check_ddf(docs)
    from .._grouping import _check_df

    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    tok = _get_tokenizer(tokenizer, params)
    part = dask.delayed(_vocab_partial, pure=True)
    parts = [part(d, tok) for d in docs.to_delayed()]
    terms, df, cnt, n = _compute(dask, _tree_reduce(dask, parts, _merge_vocab))
    mask = _vocab_mask(df, cnt, n, min_df, max_df, max_features)
    out = pd.DataFrame({"term": terms[mask], "doc_freq": df[mask], "count": cnt[mask]})
    out.attrs.update(n_units=int(n))
    return out


def _count_block(df: pd.DataFrame, tok, terms, n_features):
    docs, _ = _split_dropped(df)
    token_lists = _tokens_of(docs, tok)
    if n_features is not None:
        from sklearn.feature_extraction.text import HashingVectorizer

        vec = HashingVectorizer(analyzer=_identity, n_features=n_features,
                                alternate_sign=False, norm=None, dtype=np.int64)
        return vec.transform(token_lists).tocsr()
    from sklearn.feature_extraction.text import CountVectorizer

    vocab = {t: i for i, t in enumerate(terms)}
    if not vocab:
        raise ParameterError("the vocabulary is empty")
    return CountVectorizer(analyzer=_identity, vocabulary=vocab).transform(
        token_lists).astype(np.int64).tocsr()


def count_matrix(docs, vocabulary=None, *, n_features: int | None = None, tokenizer=None,
                 **params):
    """Second pass: the units x terms count matrix as a Dask array of scipy CSR blocks
    (one block of rows per partition, in order; dropped rows are not rows).

    ``vocabulary``: the table from :func:`vocabulary` (or a list of terms); columns follow
    its order. Or ``n_features=2**20``: hashed features in one pass (no vocabulary, column
    = hash of the term, collisions possible; scikit-learn's ``HashingVectorizer`` with
    ``alternate_sign=False``). Row counts per block are unknown until computed
    (``array.compute_chunk_sizes()``).
    """
    dask, _ = _dask()
    import dask.array as da

    _check_ddf(docs)
    if (vocabulary is None) == (n_features is None):
        raise ParameterError("give vocabulary= (from distributed.vocabulary) or "
                             "n_features= (hashed features), exactly one")
    if n_features is not None and (not isinstance(n_features, (int, np.integer))
                                   or n_features < 1):
        raise ParameterError(f"n_features must be a positive int, got {n_features!r}")
    tok = _get_tokenizer(tokenizer, params)
    if vocabulary is not None:
        terms = vocabulary["term"] if isinstance(vocabulary, pd.DataFrame) else vocabulary
        terms = np.asarray(list(terms), dtype=object)
        width = len(terms)
        terms_d = dask.delayed(terms, pure=True, traverse=False)
    else:
        width, terms_d = int(n_features), None
    block = dask.delayed(_count_block, pure=True)
    meta = sparse.csr_matrix((0, width), dtype=np.int64)
    arrays = [da.from_delayed(block(d, tok, terms_d, n_features), shape=(np.nan, width),
                              dtype=np.int64, meta=meta) for d in docs.to_delayed()]
    return da.concatenate(arrays, axis=0)
