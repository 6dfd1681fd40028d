"""Frequencies on a document-term matrix: the tidy table and the terms inside longer
lexicon tokens (nested mentions). Reads the matrix's ``docs``, ``counts`` and ``terms``
only, so the matrix class can call it without an import cycle."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .._grouping import _group_codes, _indicator


def nested_mentions(terms: list[str]) -> tuple[list[str], sparse.csr_matrix]:
    """The terms found inside longer lexicon tokens (东盟 in 中国—东盟博览会), as
    ``(all_terms, host_to_inner)``: ``all_terms`` is ``terms`` followed by the inner terms
    that are not among them, and ``counts @ host_to_inner`` (len(terms) x len(all_terms))
    gives each term's nested mentions. The one rule behind :func:`frequencies` and
    :func:`bri_text.term_trends`."""
    from ..segment import domain_terms

    finder, index = domain_terms(), {t: i for i, t in enumerate(terms)}
    rows, cols = [], []
    for j, term in enumerate(terms):
        for _, _, inner in finder.mentions(term):
            rows.append(j)
            cols.append(index.setdefault(inner, len(index)))
    host_to_inner = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                      shape=(len(terms), len(index)))
    return list(index), host_to_inner


def frequency_table(m, by=None, nested: bool = True) -> pd.DataFrame:
    """The table of :func:`bri_text.frequencies` for a DocumentTermMatrix ``m``."""
    codes, labels, _ = _group_codes(m.docs, by, "frequencies")
    sums = (_indicator(codes, len(labels)) @ m.counts).tocsr()
    n_tokens = np.asarray(sums.sum(axis=1)).ravel()
    terms = list(m.terms)
    inside = sparse.csr_matrix((len(labels), len(terms)), dtype=np.int64)
    if nested:
        terms, host_to_inner = nested_mentions(terms)
        inside = (sums @ host_to_inner).tocsr()
        sums = sparse.hstack([sums, sparse.csr_matrix((len(labels), len(terms) - sums.shape[1]),
                                                      dtype=sums.dtype)]).tocsr()
    total = (sums + inside).tocoo()
    df = pd.DataFrame({"term": np.asarray(terms, dtype=object)[total.col], "_g": total.row,
                       "count": total.data.astype(np.int64),
                       "nested": np.asarray(inside[total.row, total.col]).ravel()
                       .astype(np.int64)})
    df = df[df["count"] > 0]
    df["share"] = df["count"] / n_tokens[df["_g"].to_numpy()]
    df["rank"] = df.groupby("_g")["count"].rank(method="min", ascending=False).astype(int)
    df["group"] = np.asarray(labels, dtype=object)[df["_g"].to_numpy()]
    df = df.sort_values(["_g", "rank", "term"], kind="mergesort")
    return df[["term", "group", "count", "share", "rank", "nested"]].reset_index(drop=True)
