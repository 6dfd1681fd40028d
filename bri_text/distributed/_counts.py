"""Units and tokens per partition, and group-level counts, profiles and orientation
reduced to small in-memory tables."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from .._util import renamed_parameters
from ..errors import ParameterError
from ._common import (DROPPED, _check_ddf, _dask, _need_text, _no_tokenizer, _quiet,
                      _unit_digests, _units_fingerprint,
                      _token_lists, _tree_reduce)
from ._read import _split_dropped


def _reshape_partition(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    from ..corpus import Corpus

    docs, _ = _split_dropped(df)
    keep = [c for c in df.columns if c != DROPPED]
    if len(docs):
        docs = docs.assign(text=docs["text"].astype(str))
        units = Corpus(docs).reshape(unit).docs
        units = units.astype({c: df[c].dtype for c in docs.columns
                              if c in units.columns and c != "doc_id"
                              and units[c].dtype != df[c].dtype})
    else:
        units = docs
    if DROPPED in df.columns:
        units = units.assign(**{DROPPED: None})
        bad_rows = df[df[DROPPED].notna()]
        units = pd.concat([units, bad_rows], ignore_index=True) if len(bad_rows) else units
    return units.reset_index(drop=True) if keep else units


def reshape(docs, unit: str = "paragraph"):
    """Split each document into paragraphs / sentences / sections per partition, exactly
    as :meth:`bri_text.Corpus.reshape` (a unit never spans two documents, so this is the
    in-memory result). Dropped rows are kept as they are.

    >>> paragraphs = btd.reshape(docs, "paragraph")                           # doctest: +SKIP
    >>> paragraphs[["doc_id", "parent_id", "unit"]].head(2).values.tolist()   # doctest: +SKIP
    [['bri13#p0', 'bri13', 'paragraph'], ['bri13#p1', 'bri13', 'paragraph']]
    """
    _dask()
    _check_ddf(docs)
    _need_text(docs, "distributed.reshape", "units are cut from the text")
    from ..corpus import Corpus

    sample = docs._meta.copy()
    probe = pd.DataFrame({c: [None] for c in sample.columns if c != DROPPED})
    probe["doc_id"], probe["text"] = "x", "一带一路。\n\n共建。"
    cols = list(Corpus(probe).reshape(unit).docs.columns)
    if DROPPED in docs.columns:
        cols.append(DROPPED)
    meta = pd.DataFrame({c: pd.Series([], dtype=sample[c].dtype if c in sample.columns
                                      else object) for c in cols})
    return docs.map_partitions(_reshape_partition, unit, meta=meta)


def _get_tokenizer(tokenizer, params):
    from ..segment import resolve_tokenizer

    return resolve_tokenizer(tokenizer, params)


def _segment(df: pd.DataFrame, tok):
    """:class:`bri_text.Tokens` of one partition's documents (no cache on workers)."""
    from ..segment import tokenize as _tokenize

    return _tokenize(df.assign(text=df["text"].astype(str)), tokenizer=tok, cache=False,
                     progress=False)


def _tokens_of(df: pd.DataFrame, tok):
    """Token lists of one partition's documents (a ``tokens`` column is used as it is)."""
    return _tokens_and_fragments(df, tok)[0]


def _tokens_and_fragments(df: pd.DataFrame, tok, fragments: bool = False):
    """(token lists, :class:`bri_text.segment.FragmentCounts` of them or None) of one
    partition's documents: with ``fragments``, the single characters of the units and
    the runs they are cut into, for ``DocumentTermMatrix.fragments`` as :func:`bri_text.dtm`
    finds them (units of one document: ``parent_id``); None for a ``tokens`` column
    (plain token lists have no offsets to tell, as in memory)."""
    from ..segment import FragmentCounts

    if "tokens" in df.columns:
        return _token_lists(df), None
    counts = FragmentCounts() if fragments else None
    if not len(df):
        return [], counts
    toks = _segment(df[[c for c in ("doc_id", "text", "parent_id") if c in df.columns]], tok)
    return toks.tokens, counts.add(toks) if fragments else None


def _tokenize_partition(df: pd.DataFrame, tok) -> pd.DataFrame:
    docs, _ = _split_dropped(df)
    out = df.copy()
    toks = [None] * len(df)
    good = np.flatnonzero(df[DROPPED].isna().to_numpy()) if DROPPED in df.columns \
        else np.arange(len(df))
    for i, t in zip(good, _tokens_of(docs, tok)):
        toks[i] = t
    out["tokens"] = pd.Series(toks, index=df.index, dtype=object)
    return out


def tokenize(docs, tokenizer=None, **params):
    """Add a ``tokens`` column (list of str, :func:`bri_text.tokenize`'s filtered tokens)
    per partition, with the same :class:`~bri_text.Tokenizer` on every worker.

    Only needed to look at or store tokens: the reductions segment inside their own tasks
    (one pass over the data, no token lists shipped between workers).
    >>> tokens = btd.tokenize(paragraphs, stopwords="general")                # doctest: +SKIP
    >>> tokens.columns[-1]                                                    # doctest: +SKIP
    'tokens'
    """
    _check_ddf(docs)
    _no_tokenizer(docs, "distributed.tokenize", tokenizer, params)
    tok = _get_tokenizer(tokenizer, params)
    meta = docs._meta.assign(tokens=pd.Series([], dtype=object))
    return docs.map_partitions(_tokenize_partition, tok, meta=meta)


# =========================================================================== group counts
def _identity(tokens):
    """CountVectorizer analyzer for token lists (module level, so picklable)."""
    return tokens


class _Partial:
    """Group-level counts of some partitions, over their own (sorted) vocabulary.

    ``terms`` (object array, sorted), ``counts`` (groups x terms CSR, int64), ``missing``
    (1 x terms: units with no group value), ``df`` (document frequency per term),
    ``labels`` (one-row-per-group Series keeping the column's dtype), ``first`` (global
    position of each group's first unit: (partition, row)), ``n_units`` per group,
    ``parents`` (per group, the sorted 8-byte hashes of its units' documents, so a
    document whose units fall in two partitions counts once), ``parent_units`` and
    ``parent_first`` (beside ``parents``: the document's units in the group, and the
    position of its first one, ``partition << 32 | row``: a document in two groups is
    named by the shared split-document warning), ``n_missing`` (units with
    no group value), ``missing_parents`` (their documents' hashes), ``missing_ids`` (the
    first three of those documents), ``units`` (rows are units of documents: a
    ``parent_id`` column), ``n_docs`` (all units), ``dropped`` table, ``fragments``
    (:class:`bri_text.segment.FragmentCounts` of all units, for group counts; None for
    a ``tokens`` column or with a dictionary), ``digests`` ({partition: the units'
    digests}, ``_common._unit_digests``; group counts only) and ``config`` (the
    tokenizer's, None for a ``tokens`` column), for the counts' ``tokens_fingerprint``;
    with a dictionary, ``extra`` (groups x sums) and ``notes`` (what the matcher says about
    all units: see :class:`_DictionaryExtra`).
    """

    __slots__ = (
        "config",
        "counts",
        "df",
        "digests",
        "dropped",
        "extra",
        "first",
        "fragments",
        "labels",
        "missing",
        "missing_ids",
        "missing_parents",
        "n_docs",
        "n_missing",
        "n_units",
        "notes",
        "parent_first",
        "parent_units",
        "parents",
        "terms",
        "units",
    )


def _count_units(token_lists):
    """(sorted terms, units x terms CSR int64) of token lists, as CountVectorizer."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not any(token_lists):
        return (np.empty(0, dtype=object),
                sparse.csr_matrix((len(token_lists), 0), dtype=np.int64))
    vec = CountVectorizer(analyzer=_identity)
    x = vec.fit_transform(token_lists)
    return np.asarray(vec.get_feature_names_out(), dtype=object), x.astype(np.int64).tocsr()


def _codes(docs: pd.DataFrame, by: str, where: str):
    """(``docs`` with the ``by`` column, integer group code per unit, number of groups):
    ``by="decade"`` with no such column is the decade of each unit's year, by the
    in-memory rule (``bri_text._grouping._decades``: row by row, so a partition's decades
    are the whole frame's)."""
    from .._grouping import _decades

    docs, _ = _decades(docs, by, where)
    if by not in docs.columns:
        raise ParameterError(f"by={by!r} is not a column; columns: {list(docs.columns)}")
    codes, uniques = pd.factorize(docs[by], sort=False, use_na_sentinel=True)
    return docs, np.asarray(codes), len(uniques)


def _by_source(docs, by: str, where: str) -> str | None:
    """The column ``by="decade"`` takes its decades from (``year`` or ``date``; None when
    ``by`` is a column of the frame): checked on the frame's empty ``_meta``, so a frame
    with neither is the in-memory MetadataError before anything is computed."""
    from .._grouping import _decades

    return _decades(docs._meta, by, where)[1]


def _parent_hashes(docs: pd.DataFrame) -> np.ndarray:
    """An 8-byte hash of each unit's document (``parent_id``, or ``doc_id`` for whole
    documents: ``_stats.document_ids``, the in-memory count of documents)."""
    from .._stats import document_ids

    ids = np.asarray(document_ids(docs)).astype(str).astype(object)
    return pd.util.hash_array(ids) if len(ids) else np.empty(0, dtype=np.uint64)


def _group_partial(df: pd.DataFrame, part: int, tok, by: str, extra=None,
                   where: str = "distributed.group_counts") -> _Partial:
    docs, bad = _split_dropped(df)
    toks, frags = None, None
    if extra is not None and len(docs) and "text" in docs.columns:
        # dictionary matching on texts and offsets (entries the tokenizer split)
        toks = _segment(docs.drop(columns="tokens", errors="ignore"), tok)
        token_lists = toks.tokens
    elif extra is not None:        # only tokens: matched on them, as bt.profile of lists
        token_lists = toks = _tokens_of(docs, tok)
    else:
        token_lists, frags = _tokens_and_fragments(docs, tok, fragments=extra is None)
    terms, x = _count_units(token_lists)
    docs, codes, n_groups = _codes(docs, by, where)
    keep = np.flatnonzero(codes >= 0)
    ind = sparse.csr_matrix((np.ones(len(keep), dtype=np.int64), (codes[keep], keep)),
                            shape=(n_groups, len(codes)))
    p = _Partial()
    p.terms = terms
    p.counts = (ind @ x).tocsr()
    miss = np.flatnonzero(codes < 0)
    p.missing = sparse.csr_matrix(np.asarray(x[miss].sum(axis=0)).reshape(1, -1)
                                  if len(terms) else np.zeros((1, 0), dtype=np.int64))
    p.df = np.asarray((x > 0).sum(axis=0)).ravel().astype(np.int64)
    first_rows = [int(np.flatnonzero(codes == g)[0]) for g in range(n_groups)]
    p.labels = docs[by].iloc[first_rows].reset_index(drop=True)
    p.first = [(part, r) for r in first_rows]
    p.n_units = np.bincount(codes[keep], minlength=n_groups).astype(np.int64)
    hashes = _parent_hashes(docs)
    p.parents, p.parent_units, p.parent_first = [], [], []
    for g in range(n_groups):
        rows = np.flatnonzero(codes == g)
        h, first, k = np.unique(hashes[rows], return_index=True, return_counts=True)
        p.parents.append(h)
        p.parent_units.append(k.astype(np.int64))
        p.parent_first.append((np.int64(part) << 32) + rows[first].astype(np.int64))
    p.n_missing = len(miss)
    p.missing_parents = np.unique(hashes[miss])
    p.units = "parent_id" in docs.columns
    col = "parent_id" if p.units else "doc_id"
    p.missing_ids = list(dict.fromkeys(docs[col].iloc[miss].tolist()))[:3]
    p.n_docs = len(docs)
    p.dropped = bad
    p.fragments = frags
    p.extra, p.notes = extra(toks, codes, n_groups) if extra is not None else (None, None)
    p.digests = {part: _unit_digests(docs)} if extra is None else None
    p.config = None if extra is not None or "tokens" in docs.columns else tok.config
    return p


def _label_key(v):
    """A hashable key of a group label, the same for numpy and Python scalars and for a
    whole number as int or float (1960 and 1960.0: a partition with a missing year holds
    its years as floats), as pandas groups them in memory.

    >>> _label_key(np.int64(1960)) == _label_key(1960.0), _label_key("1960") == _label_key(1960)
    (True, False)
    """
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ("number", v)
    return (type(v).__name__, v)


def _union_terms(parts: list):
    """(sorted union of the partials' terms, each partial term's index in it, offsets)."""
    all_terms = np.concatenate([p.terms for p in parts])
    terms, inv = (np.unique(all_terms, return_inverse=True) if len(all_terms)
                  else (all_terms, np.empty(0, dtype=np.intp)))
    return terms, inv.reshape(-1), np.cumsum([0] + [len(p.terms) for p in parts])


def _group_order(parts: list) -> tuple[dict, list]:
    """Each group's (first position, partial, row) and the groups in order of first appearance."""
    order: dict = {}
    for p in parts:
        for i, first in enumerate(p.first):
            k = _label_key(p.labels.iloc[i])
            if k not in order or first < order[k][0]:
                order[k] = (first, p, i)
    return order, sorted(order, key=lambda k: order[k][0])


def _sum_extra(extra, p: _Partial, grow: np.ndarray, n_groups: int):
    """``extra`` plus the partial's per-group extra rows moved to the merged groups."""
    if p.extra is None:
        return extra
    e = np.zeros((n_groups,) + p.extra.shape[1:], dtype=p.extra.dtype)
    np.add.at(e, grow, p.extra)
    return e if extra is None else extra + e


def _sum_notes(notes: list) -> dict | None:
    """The partials' notes added up: ``split`` ({entry: n}), ``in_words`` ({entry: {word:
    n}}, and "" {entry: matches}) and the totals, keys in order of first appearance."""
    notes = [n for n in notes if n is not None]
    if not notes:
        return None
    out = {"split": {}, "in_words": {}, "in_compounds": {}, "matches": 0, "tokens": 0}
    for n in notes:
        for term, c in n["split"].items():
            out["split"][term] = out["split"].get(term, 0) + c
        for key in ("in_words", "in_compounds"):
            for term, words in n[key].items():
                into = out[key].setdefault(term, {})
                for w, c in words.items():
                    into[w] = into.get(w, 0) + c
        out["matches"] += n["matches"]
        out["tokens"] += n["tokens"]
    return out


def _sum_fragments(counts: list):
    """The partials' FragmentCounts added up (exactly: counts add, the documents of each
    run are a union, so a document split across partitions counts once); None when a
    partial has none (a ``tokens`` column)."""
    from ..segment import FragmentCounts

    if any(c is None for c in counts):
        return None
    return FragmentCounts.sum(counts)


def _merge_partials(parts: list) -> _Partial:
    """Sum group counts over the union of the partials' vocabularies and groups."""
    parts = [p for p in parts if p is not None]
    if len(parts) == 1:
        return parts[0]
    terms, inv, offsets = _union_terms(parts)
    order, keys = _group_order(parts)
    row_of = {k: r for r, k in enumerate(keys)}
    V, G = len(terms), len(keys)
    rows, cols, vals = [], [], []
    missing = np.zeros(V, dtype=np.int64)
    df = np.zeros(V, dtype=np.int64)
    n_units = np.zeros(G, dtype=np.int64)
    extra = None
    for j, p in enumerate(parts):
        remap = inv[offsets[j]:offsets[j + 1]]
        c = p.counts.tocoo()
        grow = np.array([row_of[_label_key(v)] for v in p.labels], dtype=np.intp)
        rows.append(grow[c.row] if len(grow) else c.row)
        cols.append(remap[c.col])
        vals.append(c.data)
        m = p.missing.tocoo()
        np.add.at(missing, remap[m.col], m.data)
        np.add.at(df, remap, p.df)
        np.add.at(n_units, grow, p.n_units)
        extra = _sum_extra(extra, p, grow, G)
    out = _Partial()
    out.terms = terms
    out.counts = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows),
                                                           np.concatenate(cols))),
                                   shape=(G, V), dtype=np.int64).tocsr()
    out.counts.sum_duplicates()
    out.missing = sparse.csr_matrix(missing.reshape(1, -1))
    out.df = df
    out.labels = pd.concat([order[k][1].labels.iloc[[order[k][2]]] for k in keys],
                           ignore_index=True) if keys else parts[0].labels.iloc[:0]
    out.first = [order[k][0] for k in keys]
    out.n_units = n_units
    members: list[list] = [[] for _ in range(G)]
    for p in parts:
        for k, h in enumerate(p.parents):
            members[row_of[_label_key(p.labels.iloc[k])]].append(
                (h, p.parent_units[k], p.parent_first[k]))
    out.parents, out.parent_units, out.parent_first = [], [], []
    for m in members:
        h, inv = np.unique(np.concatenate([x[0] for x in m]), return_inverse=True)
        units = np.zeros(len(h), dtype=np.int64)
        np.add.at(units, inv.reshape(-1), np.concatenate([x[1] for x in m]))
        first = np.full(len(h), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, inv.reshape(-1), np.concatenate([x[2] for x in m]))
        out.parents.append(h)
        out.parent_units.append(units)
        out.parent_first.append(first)
    out.n_missing = sum(p.n_missing for p in parts)
    out.missing_parents = np.unique(np.concatenate([p.missing_parents for p in parts]))
    out.units = any(p.units for p in parts)
    out.missing_ids = list(dict.fromkeys(i for p in parts for i in p.missing_ids))[:3]
    out.n_docs = sum(p.n_docs for p in parts)
    out.dropped = pd.concat([p.dropped for p in parts], ignore_index=True)
    out.extra = extra
    out.notes = _sum_notes([p.notes for p in parts])
    out.fragments = _sum_fragments([p.fragments for p in parts])
    out.digests = None if any(p.digests is None for p in parts) else {
        k: v for p in parts for k, v in p.digests.items()}
    out.config = next((p.config for p in parts if p.config is not None), None)
    return out


def _report(total: _Partial, docs, by: str, where: str) -> None:
    if len(total.dropped):
        warnings.warn(f"{where}: {len(total.dropped)} input(s) were dropped (unreadable or "
                      f"empty), e.g. {total.dropped['doc_id'].tolist()[:5]}; see "
                      "result.dropped for the reasons", stacklevel=3)
    if total.n_missing:       # the in-memory words (_util.warn_left_out), counted in pieces
        from .._util import left_out_message

        warnings.warn(left_out_message(total.n_missing, len(total.missing_parents),
                                       total.missing_ids, total.units,
                                       _by_source(docs, by, where) or by, where),
                      stacklevel=3)
    _warn_split(total, docs, by, where)
    from .._grouping import _warn_same_places    # 浙江 and 浙江省: the in-memory words

    _warn_same_places(total.labels.tolist(), np.asarray(total.n_units).tolist(), by, where,
                      "unit" if total.units else "document")


def _warn_split(total: _Partial, docs, by: str, where: str) -> int:
    """The in-memory split-document warning (``_grouping._split_message``: keyness,
    profile, term_trends) when a document's units (``parent_id``) fall in more than one
    group, found from the groups' document hashes over all partitions; the (up to three)
    documents it names are the first in the frame's order, their ids read back from the
    partitions of their first units only. Returns how many documents are split."""
    from .._grouping import _SPLIT_EXAMPLES, _split_message, _user_stacklevel

    if not total.units or not total.parents:
        return 0
    sizes = [len(h) for h in total.parents]
    hashes = np.concatenate(total.parents)
    group = np.repeat(np.arange(len(sizes)), sizes)
    units = np.concatenate(total.parent_units)
    first = np.concatenate(total.parent_first)
    docs_of, inv, n_groups = np.unique(hashes, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    split = np.flatnonzero(n_groups > 1)
    if not len(split):
        return 0
    doc_first = np.full(len(docs_of), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(doc_first, inv, first)
    shown = split[np.argsort(doc_first[split], kind="stable")[:_SPLIT_EXAMPLES]]
    names = _names_at(docs, [int(doc_first[d]) for d in shown])
    labels = total.labels.tolist()
    examples = []
    for d, name in zip(shown, names):
        rows = np.flatnonzero(inv == d)
        rows = rows[np.argsort(group[rows], kind="stable")]
        examples.append((name, [(labels[group[r]], int(units[r])) for r in rows]))
    warnings.warn(_split_message(len(split), examples, by, where),
                  stacklevel=_user_stacklevel())
    return len(split)


def _parent_at(df: pd.DataFrame, rows: list) -> list:
    """The document of the units at ``rows`` of a partition (``parent_id``; rows counted after the
    dropped inputs are set aside, as :func:`_group_partial` counts them)."""
    from .._stats import document_ids

    docs, _ = _split_dropped(df)
    return document_ids(docs)[rows].tolist()


def _names_at(docs, positions: list) -> list:
    """The documents (``parent_id``) of the units at ``positions`` (``partition << 32 |
    row``), computing only the partitions they are in."""
    dask, _ = _dask()
    by_part: dict = {}
    for pos in positions:
        by_part.setdefault(pos >> 32, []).append(pos & 0xFFFFFFFF)
    parts = docs.to_delayed()
    got = _compute(dask, [dask.delayed(_parent_at, pure=True)(parts[k], rows)
                          for k, rows in by_part.items()])
    found = {(k << 32) + r: name for (k, rows), names in zip(by_part.items(), got)
             for r, name in zip(rows, names)}
    return [found[pos] for pos in positions]


def _compute(dask, obj):
    (out,) = dask.compute(obj)
    return out


def _vocab_mask(df: np.ndarray, totals: np.ndarray, n_docs: int, min_df, max_df,
                max_features):
    """CountVectorizer's min_df / max_df / max_features selection (ties: by term order)."""
    max_doc = max_df if isinstance(max_df, (int, np.integer)) else max_df * n_docs
    min_doc = min_df if isinstance(min_df, (int, np.integer)) else min_df * n_docs
    if max_doc < min_doc:
        raise ParameterError(f"max_df={max_df!r} keeps fewer units than min_df={min_df!r}; "
                             "raise max_df or lower min_df")
    mask = (df <= max_doc) & (df >= min_doc)
    if max_features is not None and mask.sum() > max_features:
        idx = np.flatnonzero(mask)
        top = idx[np.argsort(-totals[idx], kind="stable")[:max_features]]
        mask = np.zeros_like(mask)
        mask[top] = True
    if not mask.any():
        raise ParameterError(f"empty vocabulary: no term is left with min_df={min_df!r}, "
                             f"max_df={max_df!r} over {n_docs} units; lower min_df or raise "
                             "max_df")
    return mask


def _group_reduce(docs, by, tokenizer, params, extra=None, where="distributed.group_counts"):
    dask, _ = _dask()
    _check_ddf(docs)
    if extra is None or "text" not in docs.columns:     # the tokens column is counted
        _no_tokenizer(docs, where, tokenizer, params)
    if not isinstance(by, str):
        raise ParameterError(f"by must be a metadata column name, got {by!r}")
    if by not in docs.columns and _by_source(docs, by, where) is None:
        raise ParameterError(f"by={by!r} is not a column; columns: {list(docs.columns)}")
    tok = _get_tokenizer(tokenizer, params)
    partial = dask.delayed(_group_partial, pure=True)
    parts = [partial(d, i, tok, by, extra, where) for i, d in enumerate(docs.to_delayed())]
    return _in_order(_compute(dask, _tree_reduce(dask, parts, _merge_partials)))


def _in_order(total: _Partial) -> _Partial:
    """Groups of numbers or dates (years) in order of their values, as in memory
    (``bri_text._grouping._group_codes``); others stay in order of first appearance."""
    from .._grouping import _ordinal

    labels = total.labels
    if len(labels) < 2 or not _ordinal(labels):
        return total
    order = np.argsort(labels.to_numpy(), kind="stable")
    if (order == np.arange(len(order))).all():
        return total
    total.counts = total.counts[order]
    total.labels = labels.iloc[order].reset_index(drop=True)
    total.first = [total.first[i] for i in order]
    total.n_units = total.n_units[order]
    total.parents = [total.parents[i] for i in order]
    total.parent_units = [total.parent_units[i] for i in order]
    total.parent_first = [total.parent_first[i] for i in order]
    if total.extra is not None:
        total.extra = total.extra[order]
    return total


def group_counts(docs, by: str, *, tokenizer=None, min_df=1, max_df=1.0, max_features=None,
                 **params):
    """Term counts per group of units, as a small in-memory DocumentTermMatrix.

    One pass over the data: each partition is segmented with ``tokenizer`` (default
    ``Tokenizer(**params)``) and counted per group over its own vocabulary; partial results
    are summed in a tree over the union of vocabularies. The result equals
    ``bt.dtm(bt.tokenize(units), min_df=..., max_df=...).group(by)``: the same terms (all
    terms of all units, including units with no ``by`` value, sorted), the same groups in
    the same order (years in order, others in order of first appearance; ``doc_id`` =
    label, ``by``, ``n_units``), the same counts, the same ``fragments`` (single
    characters that are pieces of a string the tokenizer cuts, 磨 → 磨憨, counted per
    partition and summed: a document split across partitions counts once);
    so :func:`bri_text.keyness` and :func:`bri_text.frequencies` read it unchanged.
    ``params`` are bt.dtm's with ``counted_by="distributed.group_counts"`` (keyness's
    advice for the fragments then names this call: ``btd.group_counts(...,
    user_dict={'磨憨'})``). ``tokens_fingerprint`` identifies the units counted (their
    texts in order, or their token lists) and the tokenizer's configuration, the same
    however the frame is partitioned, and it is the in-memory ``Tokens.fingerprint`` of
    ``bt.tokenize(units)`` (for a ``tokens`` column: ``bt.dtm(token_lists)``'s), so a
    model fitted in memory on those units records it too. :func:`dtm` records the same
    one, and keyness tables ``attrs["tokens_fingerprint"]``.

    ``max_features`` ties are broken by term order (scikit-learn's are unspecified).
    ``by="decade"`` with no such column groups by the decade of the year, as in memory.
    Units with no ``by`` value are left out with one warning; dropped inputs are listed
    in ``result.dropped`` (``doc_id, file, reason``) with one warning; documents whose
    units (``parent_id``) fall in more than one group are named in one warning, as
    ``bt.keyness(..., by=)`` names them.

    >>> by_region = btd.group_counts(paragraphs, by="region")                 # doctest: +SKIP
    >>> by_region.docs["doc_id"].tolist()                                     # doctest: +SKIP
    ['河南', '广西', '甘肃']
    >>> table = bt.keyness(by_region, target={"region": "广西"})                # doctest: +SKIP
    """
    from .._grouping import _check_df
    from ..features import DocumentTermMatrix, fragment_terms

    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    total = _group_reduce(docs, by, tokenizer, params)
    _report(total, docs, by, "distributed.group_counts")
    totals = np.asarray(total.counts.sum(axis=0)).ravel() + total.missing.toarray().ravel()
    mask = _vocab_mask(total.df, totals, total.n_docs, min_df, max_df, max_features)
    cols = np.flatnonzero(mask)
    _, labels = pd.factorize(total.labels, sort=False)
    gdocs = pd.DataFrame({"doc_id": [str(x) for x in labels]})
    if by != "doc_id":
        gdocs[by] = list(labels)
    gdocs["n_units"] = total.n_units
    params_out = {"weighting": "count", "min_df": min_df, "max_df": max_df,
                  "max_features": max_features, "ngram_range": (1, 1),
                  "counted_by": "distributed.group_counts"}   # keyness's advice names it
    frags = None if total.fragments is None else fragment_terms(total.fragments.table(),
                                                                total.terms[cols])
    m = DocumentTermMatrix(total.counts[:, cols], total.terms[cols], gdocs, params=params_out,
                           fragments=frags,
                           tokens_fingerprint=_units_fingerprint(total.digests, total.config))
    m.dropped = total.dropped
    m.n_units_total = total.n_docs
    return m


# =========================================================================== profiles
class _DictionaryExtra:
    """Per partition and group: dictionary matches per category and tokens, counted by the matcher of :func:`bri_text.profile` / :func:`bri_text.orientation`
    itself (``compare.match_counts``: token runs, entries the tokenizer split, entries
    inside longer words) on the partition's Tokens (units and documents are the
    partial's own ``n_units`` / ``parents``). The notes
    cover every unit, grouped or not, as in memory: the matches the tokenizer split
    (``attrs["split"]``), the entries inside longer words (``attrs["in_words"]``) and the
    totals of matches and tokens (the default dictionary's coverage)."""

    def __init__(self, index, n_cats, compounds=None):
        self.index, self.n_cats, self.compounds = index, n_cats, compounds

    def __call__(self, toks, codes, n_groups):
        from ..compare import match_counts

        K = self.n_cats
        out = np.zeros((n_groups, K + 1), dtype=np.int64)
        notes = {"split": {}, "in_words": {}, "in_compounds": {}, "matches": 0, "tokens": 0}
        if toks is None or not len(toks):
            return out, notes
        in_words: dict = {}
        with _quiet():
            _, counts, n_tok, split = match_counts(toks, self.index, K, in_words,
                                                   self.compounds)
        counted = in_words.pop("\0", {})
        keep = codes >= 0
        np.add.at(out[:, :K], codes[keep], counts[keep])
        np.add.at(out[:, K], codes[keep], n_tok[keep])
        notes.update(split=split, in_words=in_words, in_compounds=counted,
                     matches=int(counts.sum()),
                     tokens=int(n_tok.sum()))
        return out, notes


def _match_by_group(docs, by, tokenizer, params, index: dict, n_cats: int, where: str,
                    compounds=None):
    """Per-group sums for a term -> category index, as ``compare.grouped_counts`` returns
    them (labels, sums, ntot, n_units, n_docs), and the notes of every unit (split,
    in_words, in_compounds, matches, tokens), after reporting left-out units;
    ``compounds``: the rule of ``profile(compounds=)`` (``compare.compounds_rule``)."""
    K = n_cats
    total = _group_reduce(docs, by, tokenizer, params,
                          extra=_DictionaryExtra(index, K, compounds), where=where)
    _report(total, docs, by, where)
    if "tokens" in docs.columns and "text" in docs.columns and tokenizer is None \
            and not params:
        warnings.warn(f"{where}: the 'tokens' column is not read: entries are matched in the "
                      "text, segmented again with the default Tokenizer (the matcher needs "
                      "the tokens' offsets); pass tokenizer= the one that made the column "
                      "(bt.Tokenizer() for the default) to say which", stacklevel=3)
    if "text" not in docs.columns:
        warnings.warn(f"{where}: docs has no 'text' column, so entries are matched on the "
                      "'tokens' alone (as bt.profile / bt.orientation of token lists): an "
                      "entry that was cut into pieces of which one was dropped or that "
                      "straddle other words (对俄 as 对/俄 with 对 dropped as a stopword) is not "
                      "counted. With a 'text' column the units are segmented with tokenizer= "
                      "and such entries are found in the text, as in memory",
                      stacklevel=3)
    _, labels = pd.factorize(total.labels, sort=False)
    e = total.extra if total.extra is not None else np.zeros((len(labels), K + 1),
                                                             dtype=np.int64)
    notes = total.notes or {"split": {}, "in_words": {}, "in_compounds": {}, "matches": 0,
                            "tokens": 0}
    n_docs = np.array([len(h) for h in total.parents], dtype=np.int64)
    return {"labels": list(labels), "sums": e[:, :K], "ntot": e[:, K],
            "n_units": total.n_units, "n_docs": n_docs, **notes}


def group_profile(docs, dictionary, by: str, *, normalize="per_10k", tokenizer=None,
                  compounds: bool | None = None, **params) -> pd.DataFrame:
    """:func:`bri_text.profile` by group on a Dask DataFrame: the same table (``group,
    category, count, n_tokens, n_units, n_docs`` and ``per_10k`` / ``share``), the same
    ``attrs`` (``split``, ``in_words``) and warnings, computed by running profile's matcher
    on each partition's units and summing per group (no bootstrap intervals: they need
    every unit in one place). ``dictionary`` is read as in memory (a ``term<TAB>category``
    file or ``.csv``, UTF-8 or GBK; a table; a dict; ``"five_connectivities"``,
    ``"sectors"``); ``compounds`` as in :func:`bri_text.profile` (None: True for the
    built-in dictionaries).

    A frame with ``text`` is segmented with ``tokenizer`` (a ``tokens`` column is not read:
    matching needs the tokens' offsets in the text, so pass the tokenizer that made it); a
    frame with only ``tokens`` (segmented elsewhere) is matched on them, as
    :func:`bri_text.profile` of Tokens without text, with a warning: an entry cut into
    pieces of which one was dropped (对俄 as 对/俄) is not found.

    >>> table = btd.group_profile(paragraphs, "five_connectivities", "region")  # doctest: +SKIP
    >>> table.columns.tolist()                                                # doctest: +SKIP
    ['group', 'category', 'count', 'n_tokens', 'n_units', 'n_docs', 'per_10k']
    """
    from ..compare import (NORMALIZE, compounds_attr, compounds_rule, mid_word,
                           profile_lexicon, profile_notes, profile_table)

    if normalize not in NORMALIZE:
        raise ParameterError(f"normalize must be one of {NORMALIZE}, got {normalize!r}")
    index, cats, what = profile_lexicon(dictionary)
    builtin = isinstance(dictionary, str) and dictionary in ("five_connectivities", "sectors")
    compounds = compounds_rule(compounds, dictionary if builtin else None, index)
    res = _match_by_group(docs, by, tokenizer, params, index, len(cats),
                          "distributed.group_profile", compounds)
    in_words = profile_notes(dictionary, res["in_words"], res["matches"], res["tokens"])
    out = profile_table(res, cats, normalize)
    out.attrs.update(dictionary=what, normalize=normalize, n_boot=0, ci=0.95,
                     split=res["split"], in_words=in_words,
                     compounds=compounds_attr(compounds), in_compounds=res["in_compounds"],
                     mid_word=mid_word(res["in_compounds"]), random_state=None)
    return out


@renamed_parameters("0.4.0", level="geography")
def group_orientation(docs, by=None, geography: str | None = None, *, places=None,
                      min_mentions: int | None = None, tokenizer=None,
                      compounds: bool | None = None, **params) -> pd.DataFrame:
    """:func:`bri_text.orientation` on a Dask DataFrame (no bootstrap): shares of place
    mentions per group, the same table, ``attrs`` and warnings as the in-memory function,
    by the gazetteer's ``geography`` (default ``"world_region"``) or by your own list of
    places (``places=``: a ``term<TAB>region`` file or ``.csv``, a table with columns
    ``term`` and ``category`` or a dict ``{region: [terms]}``; the column is then
    ``region``). ``min_mentions`` (default 20) marks groups whose shares rest on few
    mentions (``few_mentions``); ``compounds`` as in :func:`bri_text.orientation` (None:
    True for the gazetteer, False for ``places=``). ``by`` is required (its default
    ``"region"`` went in 0.5.0). A ``tokens`` column is read as in :func:`group_profile`.

    >>> orient = btd.group_orientation(paragraphs, by="region")               # doctest: +SKIP
    >>> orient.columns.tolist()[:5]                                           # doctest: +SKIP
    ['group', 'world_region', 'count', 'share', 'n_mentions']
    """
    from .._util import check_scalar
    from ..compare import (MIN_MENTIONS, compounds_attr, compounds_rule, mid_word,
                           orientation_lexicon, orientation_table, places_name,
                           warn_in_words)

    if by is None:       # 0.3.x's default "region", deprecated in 0.4.0
        raise ParameterError("distributed.group_orientation: by= has no default since bri_text "
                             "0.5.0 (it was 'region' until 0.4.0); pass by='region' (or the "
                             "column to group by)")
    level, index, cats, areas, advice = orientation_lexicon(geography, places)
    min_mentions = check_scalar(MIN_MENTIONS if min_mentions is None else min_mentions,
                                "min_mentions", min_val=0)
    compounds = compounds_rule(compounds, "gazetteer" if places is None else None, index,
                               default="ends")
    res = _match_by_group(docs, by, tokenizer, params, index, len(cats),
                          "distributed.group_orientation", compounds)
    in_words = warn_in_words("orientation", res["in_words"], advice=advice,
                             known=getattr(compounds, "exceptions", ()))
    res["sums"] = res["sums"][:, :len(areas)]   # drop the "no value at this level" column
    out = orientation_table(res, areas, level, None, min_mentions)
    out.attrs.update(geography=level, places=places_name(places), n_boot=0, ci=0.95,
                     split=res["split"], in_words=in_words,
                     compounds=compounds_attr(compounds), in_compounds=res["in_compounds"],
                     mid_word=mid_word(res["in_compounds"]), random_state=None)
    return out
