"""The unit-level document-term matrix as a Dask array of sparse blocks."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ParameterError
from ._common import (DROPPED, _check_ddf, _dask, _no_tokenizer, _partitions,
                      _tree_reduce, _unit_digests, _units_fingerprint)
from ._counts import (_compute, _count_units, _get_tokenizer, _identity, _sum_fragments,
                      _tokens_and_fragments, _tokens_of, _vocab_mask)
from ._read import _split_dropped


def _vocab_partial(df: pd.DataFrame, tok):
    docs, _ = _split_dropped(df)
    token_lists, frags = _tokens_and_fragments(docs, tok, fragments=True)
    terms, x = _count_units(token_lists)
    return (terms, np.asarray((x > 0).sum(axis=0)).ravel().astype(np.int64),
            np.asarray(x.sum(axis=0)).ravel().astype(np.int64), len(docs), frags)


def _merge_vocab(parts: list):
    if len(parts) == 1:
        return parts[0]
    all_terms = np.concatenate([p[0] for p in parts])
    terms, inv = (np.unique(all_terms, return_inverse=True) if len(all_terms)
                  else (all_terms, np.empty(0, dtype=np.intp)))
    inv = inv.reshape(-1)
    df = np.zeros(len(terms), dtype=np.int64)
    cnt = np.zeros(len(terms), dtype=np.int64)
    pos = 0
    for t, d, c, _, _ in parts:
        np.add.at(df, inv[pos:pos + len(t)], d)
        np.add.at(cnt, inv[pos:pos + len(t)], c)
        pos += len(t)
    return (terms, df, cnt, sum(p[3] for p in parts),
            _sum_fragments([p[4] for p in parts]))


def vocabulary(docs, *, tokenizer=None, min_df=1, max_df=1.0, max_features=None,
               **params) -> pd.DataFrame:
    """First pass: the vocabulary with its document frequencies, as a pandas DataFrame
    (``term, doc_freq, count, fragment_of``, terms sorted as :func:`bri_text.dtm` sorts
    them), filtered with ``min_df`` / ``max_df`` / ``max_features`` as :func:`bri_text.dtm`
    does. Pass it to :func:`count_matrix`: its rows are the matrix's columns.

    It records what ``bt.dtm(bt.tokenize(units), min_df=...)`` records: ``fragment_of``
    (as in :func:`bri_text.keyness`) names the longer string a single character is mostly
    a piece of (磨 → 磨憨: the tokenizer cuts the port 磨憨 into 磨/憨), "" for the other
    terms, and ``attrs["fragments"]`` is the matrix's ``fragments`` (``{"磨":
    {"fragment_of": "磨憨", "n_in": 3, "count": 3, "split": "磨/憨"}}``, counted per
    partition and summed; None for a ``tokens`` column: plain token lists have no offsets
    to tell); ``attrs["params"]`` the matrix's ``params``; ``attrs["n_units"]`` the units
    counted (dropped inputs are not units).

    >>> vocab = btd.vocabulary(paragraphs, min_df=2)                 # doctest: +SKIP
    >>> vocab.query("fragment_of != ''")                             # doctest: +SKIP
    """
    dask, _ = _dask()
    _check_ddf(docs)
    _no_tokenizer(docs, "distributed.vocabulary", tokenizer, params)
    from .._grouping import _check_df
    from ..features import fragment_terms

    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    tok = _get_tokenizer(tokenizer, params)
    part = dask.delayed(_vocab_partial, pure=True)
    parts = [part(d, tok) for d in docs.to_delayed()]
    terms, df, cnt, n, frags = _compute(dask, _tree_reduce(dask, parts, _merge_vocab))
    mask = _vocab_mask(df, cnt, n, min_df, max_df, max_features)
    kept = terms[mask]
    fragments = None if frags is None else fragment_terms(frags.table(), kept)
    out = pd.DataFrame({"term": kept, "doc_freq": df[mask], "count": cnt[mask],
                        "fragment_of": np.array([(fragments or {}).get(t, {}).get(
                            "fragment_of", "") for t in kept], dtype=object)})
    out.attrs.update(n_units=int(n), fragments=fragments, params={
        "weighting": "count", "min_df": min_df, "max_df": max_df,
        "max_features": max_features, "ngram_range": (1, 1)})
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


def _vocab_terms(vocabulary) -> tuple[np.ndarray, dict]:
    """(terms, attrs) of the table from :func:`vocabulary` (attrs: its ``fragments``,
    ``params``) or of a list of terms (no attrs)."""
    if isinstance(vocabulary, pd.DataFrame):
        if "term" not in vocabulary.columns:
            raise ParameterError("vocabulary: a table needs a 'term' column (the table from "
                                 f"distributed.vocabulary); columns: {list(vocabulary.columns)}")
        return np.asarray(vocabulary["term"].tolist(), dtype=object), vocabulary.attrs
    if isinstance(vocabulary, (str, bytes)) or not hasattr(vocabulary, "__iter__"):
        raise ParameterError("vocabulary must be the table from distributed.vocabulary or a "
                             f"list of terms, got {type(vocabulary).__name__}")
    terms = list(vocabulary)
    if not all(isinstance(t, str) for t in terms):
        raise ParameterError("vocabulary: a list of terms must hold str only")
    return np.asarray(terms, dtype=object), {}


_OLD_RETURN = ("count_matrix returns a labelled CountMatrix since bri_text 0.5.0, no longer a "
               "bare Dask array: its Dask array is .counts (units x terms), .docs the units "
               "(doc_id, metadata) and .terms the columns; .to_dtm() gathers the labelled "
               "in-memory DocumentTermMatrix. CountMatrix.{name} reads .counts.{name} through "
               "0.5.x and goes in 0.6.0{then}")


class CountMatrix:
    """The unit-level count matrix on the cluster, with its labels: what
    :func:`count_matrix` returns (a bare Dask array before 0.5.0).

    Attributes
    ----------
    counts : dask.array.Array
        Units x terms counts, one block of scipy CSR rows per partition, in order (row
        counts unknown until computed: ``counts.compute_chunk_sizes()``).
    docs : dask.dataframe.DataFrame
        One row per row of ``counts``, partition by partition: ``doc_id`` and the
        metadata (no text, no tokens; dropped inputs are not rows), as
        :attr:`bri_text.DocumentTermMatrix.docs`.
    terms : numpy.ndarray of str, or None
        The columns (the vocabulary's terms, in its order); None for hashed features.
    vocabulary : pandas.DataFrame or None
        The table from :func:`vocabulary` when one was given (``doc_freq``, ``count``,
        ``fragment_of``).
    params : dict
        ``bt.dtm``'s ``params`` (from the vocabulary) with ``counted_by``.
    fragments : dict or None
        The vocabulary's ``attrs["fragments"]`` (磨 → 磨憨).

    One pass over the input: :meth:`to_dtm` gathers counts, units and labels into memory
    reading each partition once (what :func:`dtm` returns); :meth:`gather` gives the
    scipy matrix and the pandas rows (hashed features too); :meth:`term_totals` the
    column totals. ``counts`` and ``docs`` are two Dask collections, each reading the
    input: ``dask.compute(cm.counts, cm.docs)`` reads every partition twice (``docs``
    segments nothing, but a reader such as :func:`read_folder` reads and cleans the files
    again). Compute ``docs`` alone for the labels, ``counts`` alone to stay on the
    cluster, ``to_dtm()`` or ``gather()`` for both. Dask's reductions do not take scipy's
    sparse blocks (``cm.counts.sum(axis=0)`` raises a TypeError about ``keepdims``): use
    :meth:`term_totals` for the column totals.

    >>> cm = btd.count_matrix(paragraphs, btd.vocabulary(paragraphs))  # doctest: +SKIP
    >>> x = cm.counts.compute()     # scipy CSR                          # doctest: +SKIP
    >>> cm.term_totals()["一带一路"]  # = x[:, j].sum() for that term     # doctest: +SKIP
    >>> m = cm.to_dtm()             # the labelled DocumentTermMatrix    # doctest: +SKIP
    """

    def __init__(self, counts, docs, terms, vocabulary, params, fragments, pieces):
        self.counts = counts
        self.docs = docs
        self.terms = terms
        self.vocabulary = vocabulary
        self.params = params
        self.fragments = fragments
        self._pieces = pieces

    def __repr__(self) -> str:
        cols = ("hashed" if self.terms is None else f"{len(self.terms):,} terms")
        meta = [c for c in self.docs.columns if c != "doc_id"]
        return (f"<CountMatrix (Dask): units x {self.counts.shape[1]:,} columns ({cols}), "
                f"{self.counts.numblocks[0]} partitions; metadata: "
                f"{', '.join(meta) or 'none'}>")

    def to_dtm(self):
        """The matrix gathered into memory as a
        :class:`~bri_text.features.DocumentTermMatrix` (counts, one row per unit with its
        ``doc_id`` and metadata, the terms, ``params``, ``fragments`` and the
        ``tokens_fingerprint`` of ``bt.tokenize(units)``), in one pass: equal to
        ``bt.dtm(bt.tokenize(units), min_df=...)`` for the table from
        :func:`vocabulary`. Hashed features have no terms: read ``counts`` and ``docs``."""
        from ..features import DocumentTermMatrix

        if self.terms is None:
            raise ParameterError(
                "CountMatrix.to_dtm: hashed features (n_features=) have no terms to label the "
                "columns; .gather() gives the counts and their rows (row i of one is row i "
                "of the other) in one pass, or count with a vocabulary (btd.vocabulary) for "
                "a DocumentTermMatrix")
        counts, units, pieces = self._gathered()
        fp = _units_fingerprint({i: p[2] for i, p in enumerate(pieces)},
                                next((p[3] for p in pieces if p[3] is not None), None))
        return DocumentTermMatrix(counts, self.terms, units, params=self.params,
                                  fragments=self.fragments, tokens_fingerprint=fp)

    def _gathered(self):
        dask, _ = _dask()
        pieces = _compute(dask, self._pieces)
        counts = sparse.vstack([b for b, *_ in pieces], format="csr").astype(np.int64)
        units = pd.concat([r for _, r, *_ in pieces], ignore_index=True)
        return counts, units, pieces

    def gather(self) -> tuple:
        """``(counts, docs)`` in memory, in one pass over the input: the scipy CSR matrix
        (units x columns, int64) and a pandas DataFrame of its rows (``doc_id`` and the
        metadata, row i of one is row i of the other). ``dask.compute(cm.counts,
        cm.docs)`` gives the same but reads (and, from files, cleans) every partition
        twice: Dask's optimizers fuse the read into each collection's tasks apart. For
        hashed features too (:meth:`to_dtm` needs terms).

        >>> counts, rows = btd.count_matrix(paragraphs, n_features=2**20).gather()  # doctest: +SKIP
        >>> counts.shape[0] == len(rows)                                          # doctest: +SKIP
        True
        """
        counts, units, _ = self._gathered()
        return counts, units

    def term_totals(self) -> pd.Series:
        """Each column's total count over all units, computed on the cluster in one pass
        (one row of sums per partition, added up in a tree): a pandas Series of int64
        indexed by the terms (hashed features: by column number), named ``count``; equal
        to the in-memory matrix's column sums, ``bt.dtm(...).counts.sum(axis=0)``.

        ``cm.counts.sum(axis=0)`` does not work: Dask's reductions call
        ``np.sum(block, keepdims=True)``, which scipy's sparse matrices do not take
        (``TypeError: ... unexpected keyword argument 'keepdims'``). For the frame the
        vocabulary was made from, ``vocabulary["count"]`` already holds these totals
        (pass 1).

        >>> cm = btd.count_matrix(paragraphs, btd.vocabulary(paragraphs))  # doctest: +SKIP
        >>> cm.term_totals()["一带一路"]                                    # doctest: +SKIP
        """
        dask, _ = _dask()
        width = self.counts.shape[1]
        sums = dask.delayed(_column_sums, pure=True)
        total = _compute(dask, _tree_reduce(dask, [sums(p[0]) for p in self._pieces],
                                            _add_sums))
        index = (pd.Index(self.terms, name="term") if self.terms is not None
                 else pd.RangeIndex(width, name="column"))
        return pd.Series(np.asarray(total, dtype=np.int64).reshape(width), index=index,
                         name="count")

    # --- what the bare Dask array of 0.4.x gave, through 0.5.x, with a FutureWarning
    def compute(self, **kwargs):
        """Deprecated: the bare scipy matrix, as the Dask array of bri_text < 0.5.0 gave.
        Use ``.counts.compute()`` for it, or :meth:`to_dtm` for the labelled matrix."""
        warnings.warn(_OLD_RETURN.format(name="compute()", then=" (then compute() gives "
                                         "to_dtm()'s labelled matrix)"),
                      FutureWarning, stacklevel=2)
        return self.counts.compute(**kwargs)

    def __getattr__(self, name):
        if name.startswith("_") or name == "counts":
            raise AttributeError(name)
        counts = self.__dict__.get("counts")
        if counts is None or not hasattr(counts, name):
            raise AttributeError(f"'CountMatrix' object has no attribute {name!r} (the Dask "
                                 "array is .counts, the units .docs, the columns .terms)")
        warnings.warn(_OLD_RETURN.format(name=name, then=""), FutureWarning, stacklevel=2)
        return getattr(counts, name)

    def __getitem__(self, key):
        warnings.warn(_OLD_RETURN.format(name="[...]", then=""), FutureWarning,
                      stacklevel=2)
        return self.counts[key]


def count_matrix(docs, vocabulary=None, *, n_features: int | None = None, tokenizer=None,
                 **params) -> CountMatrix:
    """Second pass: the units x terms count matrix on the cluster, labelled: a
    :class:`CountMatrix` whose ``counts`` is a Dask array of scipy CSR blocks (one block of
    rows per partition, in order), ``docs`` the units of its rows (``doc_id`` and metadata,
    a Dask DataFrame; dropped inputs are not rows) and ``terms`` its columns.

    ``vocabulary``: the table from :func:`vocabulary` (or a list of terms); columns follow
    its order, and ``params`` / ``fragments`` are its ``attrs``. Or ``n_features=2**20``:
    hashed features in one pass (no vocabulary, ``terms`` None, column = hash of the term,
    collisions possible; scikit-learn's ``HashingVectorizer`` with
    ``alternate_sign=False``).

    ``count_matrix(docs, vocab).to_dtm()`` is :func:`dtm`: the in-memory
    ``DocumentTermMatrix``, equal to ``bt.dtm``'s. Before 0.5.0 this returned the bare
    Dask array (now ``.counts``): the array's attributes and ``.compute()`` still work on
    the CountMatrix through 0.5.x, with a FutureWarning.

    >>> cm = btd.count_matrix(paragraphs, btd.vocabulary(paragraphs, min_df=2))  # doctest: +SKIP
    >>> cm.terms[:3], cm.docs["doc_id"].head(3)                                 # doctest: +SKIP
    """
    dask, _ = _dask()
    import dask.array as da

    _check_ddf(docs)
    _no_tokenizer(docs, "distributed.count_matrix", tokenizer, params)
    if (vocabulary is None) == (n_features is None):
        raise ParameterError("give vocabulary= (from distributed.vocabulary) or "
                             "n_features= (hashed features), exactly one")
    if n_features is not None and (not isinstance(n_features, (int, np.integer))
                                   or isinstance(n_features, bool) or n_features < 1):
        raise ParameterError(f"n_features must be a positive int, got {n_features!r}")
    return _labelled(dask, da, docs, vocabulary, n_features,
                     _get_tokenizer(tokenizer, params), "distributed.count_matrix")


def _labelled(dask, da, docs, vocabulary, n_features, tok, counted_by) -> CountMatrix:
    from ._read import _meta

    if vocabulary is not None:
        terms, attrs = _vocab_terms(vocabulary)
        width = len(terms)
        terms_d = dask.delayed(terms, pure=True, traverse=False)
        params = {**attrs.get("params", {"weighting": "count", "ngram_range": (1, 1)}),
                  "counted_by": counted_by}   # keyness's advice names it
        fragments = attrs.get("fragments")
    else:
        terms, width, terms_d, fragments = None, int(n_features), None, None
        params = {"weighting": "count", "ngram_range": (1, 1), "n_features": width,
                  "hashed": "sklearn HashingVectorizer(alternate_sign=False)",
                  "counted_by": counted_by}
    part = dask.delayed(_block_and_rows, pure=True, nout=4)
    pieces = [part(d, tok, terms_d, n_features) for d in _partitions(docs)]
    meta = sparse.csr_matrix((0, width), dtype=np.int64)
    counts = da.concatenate([da.from_delayed(p[0], shape=(np.nan, width), dtype=np.int64,
                                             meta=meta) for p in pieces], axis=0)
    cols = [c for c in docs.columns if c not in ("text", "tokens", DROPPED)]
    rows = docs.map_partitions(_unit_rows, meta=_meta(cols, dict(docs.dtypes)),
                               enforce_metadata=False)
    return CountMatrix(counts, rows, terms, vocabulary if isinstance(vocabulary, pd.DataFrame)
                       else None, params, fragments, pieces)


def _column_sums(block) -> np.ndarray:
    """One block's column sums, int64, 1-d."""
    return np.asarray(block.sum(axis=0), dtype=np.int64).ravel()


def _add_sums(parts: list) -> np.ndarray:
    return np.sum(parts, axis=0, dtype=np.int64)


def _unit_rows(df: pd.DataFrame) -> pd.DataFrame:
    """One partition's units as rows of the matrix: ``doc_id`` and metadata, no text, no
    tokens, dropped inputs left out (no segmentation: cheap)."""
    docs, _ = _split_dropped(df)
    return docs.drop(columns=["text", "tokens", DROPPED], errors="ignore").reset_index(
        drop=True)


def _block_and_rows(df: pd.DataFrame, tok, terms, n_features=None):
    """One partition's block of counts, its units' metadata (the block's rows), their
    digests and the tokenizer's config (None for a ``tokens`` column), for the matrix's
    ``tokens_fingerprint``."""
    docs, _ = _split_dropped(df)
    return (_count_block(df, tok, terms, n_features), _unit_rows(df),
            _unit_digests(docs), None if "tokens" in docs.columns else tok.config)


def dtm(docs, vocabulary, *, tokenizer=None, **params):
    """The unit-level matrix gathered into memory as a
    :class:`~bri_text.features.DocumentTermMatrix`: :func:`count_matrix`'s counts, one row
    per unit with its ``doc_id`` and metadata (dropped inputs are not rows), the columns
    and ``params`` of ``vocabulary`` and its ``fragments`` (``attrs["fragments"]``: 磨 →
    磨憨), in one pass over the data. For the table from :func:`vocabulary` it equals
    ``bt.dtm(bt.tokenize(units), min_df=...)`` (``fragments`` and ``params`` included), so
    the in-memory functions (:func:`bri_text.keyness`, :func:`bri_text.similarity`, ...)
    read it; its ``params`` add ``counted_by="distributed.dtm"`` and its
    ``tokens_fingerprint`` is :func:`group_counts`'s for the same frame (the same for any
    partitioning, and ``bt.tokenize(units).fingerprint``, as ``bt.dtm``'s). The
    matrix must fit in memory (it is sparse: a few bytes per distinct term of
    each unit); keep :func:`count_matrix` to stay on the cluster (``btd.dtm(docs,
    vocab)`` is ``btd.count_matrix(docs, vocab).to_dtm()``, with ``counted_by`` naming
    the call made).

    >>> vocab = btd.vocabulary(paragraphs, min_df=2)                 # doctest: +SKIP
    >>> m = btd.dtm(paragraphs, vocab)                               # doctest: +SKIP
    >>> m.fragments["磨"]["fragment_of"]                              # doctest: +SKIP
    '磨憨'
    """
    dask, _ = _dask()
    import dask.array as da

    _check_ddf(docs)
    _no_tokenizer(docs, "distributed.dtm", tokenizer, params)
    return _labelled(dask, da, docs, vocabulary, None, _get_tokenizer(tokenizer, params),
                     "distributed.dtm").to_dtm()
