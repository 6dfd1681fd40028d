"""Document-term matrices, word frequencies, keywords in context and collocations.

A :class:`DocumentTermMatrix` is a scipy sparse matrix (units x terms) that carries its
vocabulary and the units' metadata, so grouping by ``region`` or ``year`` works on it
directly. scikit-learn's ``CountVectorizer`` / ``TfidfTransformer`` do the vectorising, over
the already segmented tokens (no second segmentation, no hand-written TF-IDF).

>>> import bri_text as bt
>>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃"])
>>> tokens = bt.tokenize(plans.reshape("paragraph"))
>>> m = bt.dtm(tokens, min_df=2)
>>> m.shape
(108, 449)
>>> m.group("region").top_terms(3, by="region")[["group", "term"]].values.tolist()
[['广西', '合作'], ['广西', '建设'], ['广西', '广西'], ['甘肃', '合作'], ['甘肃', '国际'], ['甘肃', '敦煌']]
>>> bt.kwic(tokens, "东盟", window=3)[["left", "keyword", "right"]].values[1].tolist()
['强调，铺就面向', '东盟', '的海上丝绸之路，打造带动']

Plain token lists work too, which is handy for small checks:

>>> m = dtm([["东盟", "合作", "东盟"], ["中亚", "合作"]])
>>> m.terms.tolist(), m.matrix.toarray().tolist()
(['东盟', '中亚', '合作'], [[2, 0, 1], [0, 1, 1]])
"""
from __future__ import annotations

import re
import warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from ._grouping import _check_df, _group_codes, _group_table, _indicator
from ._util import check_scalar, renamed_parameters, subset_mask
from .errors import MetadataError, ParameterError

__all__ = ["DocumentTermMatrix", "dtm", "frequencies", "kwic", "collocations"]

_WEIGHTINGS = ("count", "tf", "tfidf")
#: separator between the tokens of an n-gram term (tokens never contain whitespace)
NGRAM_SEP = " "


# --------------------------------------------------------------------------- analyzers
def _identity(tokens):
    """CountVectorizer analyzer for pre-tokenized units (module level, so picklable)."""
    return tokens


class _NgramAnalyzer:
    """Picklable analyzer producing the n-grams of a token list, joined by a space."""

    def __init__(self, ngram_range: tuple[int, int]):
        self.ngram_range = tuple(ngram_range)

    def __call__(self, tokens):
        lo, hi = self.ngram_range
        out = list(tokens) if lo == 1 else []
        n = len(tokens)
        for k in range(max(lo, 2), hi + 1):
            out.extend(NGRAM_SEP.join(tokens[i:i + k]) for i in range(n - k + 1))
        return out


# --------------------------------------------------------------------------- inputs
def _token_data(obj, need_spans: bool = False, param: str = "tokens"):
    """(token lists, docs DataFrame, spans or None) from Tokens, a Corpus or token lists.

    A Corpus is segmented with the default :class:`bri_text.Tokenizer`.
    """
    if hasattr(obj, "tokens") and hasattr(obj, "docs"):          # Tokens
        spans = getattr(obj, "spans", None)
        return obj.tokens, obj.docs, spans
    if hasattr(obj, "docs") and hasattr(obj, "texts"):           # Corpus
        from .segment import tokenize

        tok = tokenize(obj)
        return tok.tokens, tok.docs, tok.spans
    if isinstance(obj, (list, tuple)) and all(isinstance(t, (list, tuple)) for t in obj):
        if need_spans:
            raise ParameterError(f"{param}: this function needs the text and token offsets; "
                                 "pass a Tokens object (bri_text.tokenize(corpus)) or a "
                                 "Corpus, not plain token lists")
        docs = pd.DataFrame({"doc_id": [f"doc{i}" for i in range(len(obj))]})
        return [list(t) for t in obj], docs, None
    raise ParameterError(f"{param} must be a Tokens object (bri_text.tokenize), a Corpus or a "
                         f"list of token lists, got {type(obj).__name__}")


def _metadata(docs: pd.DataFrame) -> pd.DataFrame:
    return docs.drop(columns="text", errors="ignore").reset_index(drop=True)


# --------------------------------------------------------------------------- the matrix
class DocumentTermMatrix:
    """Units x terms sparse matrix with vocabulary and metadata.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        The weighted matrix (``weighting``): integer counts, ``"tf"`` relative frequencies
        per unit (rows sum to 1) or ``"tfidf"`` (scikit-learn ``TfidfTransformer`` defaults:
        smoothed idf, l2-normalised rows).
    counts : scipy.sparse.csr_matrix
        The raw integer counts (the same object as ``matrix`` when ``weighting="count"``).
        Grouping, frequencies and keyness always use counts.
    terms : numpy.ndarray of str
        Column labels; n-grams are tokens joined by a space (``"丝绸之路 经济带"``).
    docs : pandas.DataFrame
        One row per unit (``doc_id`` and metadata, without the text).
    weighting : str

    >>> m = DocumentTermMatrix(sparse.csr_matrix([[2, 1], [0, 3]]), ["东盟", "合作"],
    ...                        pd.DataFrame({"doc_id": ["a", "b"], "region": ["广西", "甘肃"]}))
    >>> m.group("region").to_dataframe().values.tolist()
    [[2, 1], [0, 3]]
    """

    def __init__(self, matrix, terms: Sequence[str], docs: pd.DataFrame | None = None, *,
                 weighting: str = "count", counts=None, params: dict | None = None):
        matrix = matrix if sparse.isspmatrix_csr(matrix) else sparse.csr_matrix(matrix)
        terms = np.asarray(list(terms), dtype=object)
        if matrix.shape[1] != len(terms):
            raise ParameterError(f"matrix has {matrix.shape[1]} columns but {len(terms)} terms")
        if docs is None:
            docs = pd.DataFrame({"doc_id": [f"doc{i}" for i in range(matrix.shape[0])]})
        if len(docs) != matrix.shape[0]:
            raise ParameterError(f"matrix has {matrix.shape[0]} rows but docs has {len(docs)}")
        if "doc_id" not in docs.columns:
            raise MetadataError(f"docs needs a 'doc_id' column; columns: {list(docs.columns)}")
        if weighting not in _WEIGHTINGS:
            raise ParameterError(f"weighting must be one of {_WEIGHTINGS}, got {weighting!r}")
        if weighting == "count":
            counts = matrix
        elif counts is None:
            raise ParameterError("a weighted matrix needs its raw counts (counts=)")
        self.matrix = matrix
        self.counts = counts if sparse.isspmatrix_csr(counts) else sparse.csr_matrix(counts)
        self.terms = terms
        self.docs = _metadata(docs)
        self.weighting = weighting
        self.params = dict(params or {})

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    @property
    def doc_ids(self) -> list[str]:
        return self.docs["doc_id"].tolist()

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def __repr__(self) -> str:
        n, v = self.matrix.shape
        meta = [c for c in self.docs.columns if c != "doc_id"]
        return (f"<DocumentTermMatrix: {n:,} units x {v:,} terms, {self.weighting}, "
                f"{int(self.counts.sum()):,} tokens; metadata: {', '.join(meta) or 'none'}>")

    def subset(self, mask=None, **conditions) -> "DocumentTermMatrix":
        """Units matching a boolean mask and/or metadata conditions
        (``m.subset(level="national")``, ``m.subset(region=["广西", "甘肃"])``)."""
        idx = np.flatnonzero(subset_mask(self.docs, mask, conditions))
        counts = self.counts[idx]
        matrix = counts if self.weighting == "count" else self.matrix[idx]
        return DocumentTermMatrix(matrix, self.terms, self.docs.iloc[idx], weighting=self.weighting,
                                  counts=counts, params=self.params)

    # ------------------------------------------------------------------ grouping
    def group(self, by) -> "DocumentTermMatrix":
        """Sum the raw counts of the units of each group: a count matrix with one row per
        group (``doc_id`` = the group label as a string; columns ``by`` and ``n_units``).

        ``by`` is a metadata column (``"region"``) or one label per unit. Units with no
        value are left out, with a warning.
        """
        if by is None:
            raise ParameterError("by must be a metadata column name or one label per unit, "
                                 "got None")
        codes, labels, name = _group_codes(self.docs, by, "DocumentTermMatrix.group")
        counts = (_indicator(codes, len(labels)) @ self.counts).tocsr()
        return DocumentTermMatrix(counts, self.terms, _group_table(self.docs, codes, labels, name),
                                  params=self.params)

    # ------------------------------------------------------------------ export
    def to_dataframe(self, sparse_frame: bool = False) -> pd.DataFrame:
        """The weighted matrix as a DataFrame (index ``doc_id``, one column per term).

        ``sparse_frame=True`` keeps it sparse (pandas SparseDtype); a dense frame over
        50 million cells raises ParameterError rather than exhausting memory.
        """
        index = pd.Index(self.docs["doc_id"], name="doc_id")
        columns = pd.Index(self.terms, name="term")
        if sparse_frame:
            return pd.DataFrame.sparse.from_spmatrix(self.matrix, index=index, columns=columns)
        n, v = self.matrix.shape
        if n * v > 50_000_000:
            raise ParameterError(f"a dense {n} x {v} DataFrame is too large; use "
                                 "to_dataframe(sparse_frame=True) or .matrix")
        return pd.DataFrame(self.matrix.toarray(), index=index, columns=columns)

    def to_gensim(self):
        """``(gensim.corpora.Dictionary, bag-of-words corpus)`` built from the raw counts
        (token ids are column positions; apply ``gensim.models.TfidfModel`` for weights)."""
        from gensim.corpora import Dictionary

        c = self.counts
        corpus = [list(zip(c.indices[c.indptr[i]:c.indptr[i + 1]].tolist(),
                           c.data[c.indptr[i]:c.indptr[i + 1]].tolist()))
                  for i in range(c.shape[0])]
        dictionary = Dictionary.from_corpus(corpus, id2word=dict(enumerate(self.terms.tolist())))
        return dictionary, corpus

    # ------------------------------------------------------------------ summaries
    def frequencies(self, by=None, nested: bool = True) -> pd.DataFrame:
        """Tidy term frequencies: see :func:`frequencies`."""
        return frequencies(self, by=by, nested=nested)

    @renamed_parameters(n="top_n")
    def top_terms(self, top_n: int = 20, by=None) -> pd.DataFrame:
        """The ``top_n`` terms with the largest summed weight (counts for
        ``weighting="count"``), overall or per group: columns ``group, rank, term, weight``;
        ties broken by term. (``n=`` is the deprecated name of ``top_n=``.)"""
        top_n = check_scalar(top_n, "top_n", min_val=1)
        codes, labels, _ = _group_codes(self.docs, by, "top_terms")
        sums = (_indicator(codes, len(labels)) @ self.matrix).toarray()
        rows = []
        for gi, label in enumerate(labels):
            w = sums[gi]
            nz = np.flatnonzero(w)
            order = nz[np.lexsort((self.terms[nz], -w[nz]))][:top_n]
            rows.append(pd.DataFrame({"group": label, "rank": np.arange(1, len(order) + 1),
                                      "term": self.terms[order], "weight": w[order]}))
        return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------------------- dtm()
def dtm(tokens, weighting: str = "count", *, min_df=1, max_df=1.0, max_features=None,
        ngram_range: tuple[int, int] = (1, 1)) -> DocumentTermMatrix:
    """Build a document-term matrix from segmented units.

    Parameters
    ----------
    tokens : Tokens, Corpus or list of token lists
        A Corpus is segmented with the default Tokenizer first.
    weighting : {"count", "tf", "tfidf"}
        ``"tf"``: counts divided by the unit's total (rows sum to 1); ``"tfidf"``:
        scikit-learn ``TfidfTransformer()`` (smoothed idf, l2-normalised rows).
    min_df, max_df : int or float
        Keep terms found in at least ``min_df`` / at most ``max_df`` units (float = share of
        units), as in scikit-learn's ``CountVectorizer``.
    max_features : int, optional
        Keep only the most frequent terms.
    ngram_range : (int, int)
        Token n-grams to count; an n-gram term is its tokens joined by a space.

    Units with no tokens stay as zero rows, so rows always match ``tokens.docs``.

    >>> m = dtm([["东盟", "合作"], ["中亚", "合作", "合作"]], ngram_range=(1, 2))
    >>> m.terms.tolist()
    ['东盟', '东盟 合作', '中亚', '中亚 合作', '合作', '合作 合作']
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if weighting not in _WEIGHTINGS:
        raise ParameterError(f"weighting must be one of {_WEIGHTINGS}, got {weighting!r}")
    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    check_scalar(max_features, "max_features", min_val=1, allow_none=True)
    try:
        lo, hi = (int(x) for x in ngram_range)
    except (TypeError, ValueError):
        raise ParameterError(f"ngram_range must be a pair (min_n, max_n), got {ngram_range!r}")
    if not 1 <= lo <= hi:
        raise ParameterError(f"ngram_range must satisfy 1 <= min_n <= max_n, got {ngram_range!r}")

    token_lists, docs, _ = _token_data(tokens)
    if len(token_lists) == 0:
        raise ParameterError("tokens has no units; nothing to count")
    analyzer = _identity if (lo, hi) == (1, 1) else _NgramAnalyzer((lo, hi))
    vec = CountVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df,
                          max_features=max_features)
    try:
        counts = vec.fit_transform(token_lists)
    except ValueError as exc:
        msg = str(exc)
        if "no terms remain" in msg or "empty vocabulary" in msg:
            raise ParameterError(
                f"empty vocabulary: no term is left with min_df={min_df!r}, max_df={max_df!r}"
                f" over {len(token_lists)} units ({sum(map(len, token_lists))} tokens); "
                "lower min_df or raise max_df") from None
        if "max_df corresponds to < documents than min_df" in msg:
            raise ParameterError(f"max_df={max_df!r} keeps fewer units than min_df={min_df!r}; "
                                 "raise max_df or lower min_df") from None
        raise ParameterError(f"cannot build the matrix: {msg}") from None
    terms = vec.get_feature_names_out()
    params = {"weighting": weighting, "min_df": min_df, "max_df": max_df,
              "max_features": max_features, "ngram_range": (lo, hi)}
    if weighting == "count":
        return DocumentTermMatrix(counts, terms, docs, params=params)
    return DocumentTermMatrix(_weight(counts, weighting), terms, docs, weighting=weighting,
                              counts=counts, params=params)


def _weight(counts: sparse.csr_matrix, weighting: str) -> sparse.csr_matrix:
    """The ``weighting`` of a count matrix, as :func:`dtm` applies it (also used to re-weight
    summed counts after grouping): ``tf`` l1-normalised rows, ``tfidf`` scikit-learn's
    ``TfidfTransformer()`` (smoothed idf over these rows, l2-normalised rows)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    if weighting == "count":
        return counts
    if weighting == "tf":
        return TfidfTransformer(use_idf=False, norm="l1").fit_transform(counts).tocsr()
    return TfidfTransformer().fit_transform(counts).tocsr()


def _as_dtm(obj) -> DocumentTermMatrix:
    return obj if isinstance(obj, DocumentTermMatrix) else dtm(obj)


# --------------------------------------------------------------------------- frequencies
def _nested_mentions(terms: list[str]) -> tuple[list[str], sparse.csr_matrix]:
    """The terms found inside longer lexicon tokens (东盟 in 中国—东盟博览会), as
    ``(all_terms, host_to_inner)``: ``all_terms`` is ``terms`` followed by the inner terms
    that are not among them, and ``counts @ host_to_inner`` (len(terms) x len(all_terms))
    gives each term's nested mentions. The one rule behind :func:`frequencies` and
    :func:`bri_text.term_trends`."""
    from .segment._nested import domain_terms

    finder, index = domain_terms(), {t: i for i, t in enumerate(terms)}
    rows, cols = [], []
    for j, term in enumerate(terms):
        for _, _, inner in finder.mentions(term):
            rows.append(j)
            cols.append(index.setdefault(inner, len(index)))
    host_to_inner = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                      shape=(len(terms), len(index)))
    return list(index), host_to_inner


def as_tokens(obj):
    """``obj`` itself, or a Corpus segmented once with the default Tokenizer (so that
    functions needing both the matrix and the text do not segment twice)."""
    if hasattr(obj, "texts") and not hasattr(obj, "tokens"):
        from .segment import tokenize

        return tokenize(obj)
    return obj


def term_mentions(tokens, terms: list[str], nested: bool = True) -> dict:
    """Every mention of each of ``terms`` per unit, as units x terms integer arrays under
    ``own``, ``nested``, ``split`` and ``in_text``, with the matrix ``dtm`` it counted on.

    ``own``: tokens equal to the term; ``nested``: the term inside a longer lexicon token
    (东盟 in 中国—东盟博览会; ``bri_text.segment._nested``); ``split``: occurrences in the
    text that the tokenizer cut (大/数据, 大/数据分析; the rule of
    ``bri_text.segment._mentions``); ``in_text``: every occurrence of the string in the
    text, counted or not. A mention is ``own + nested + split``. Plain token lists and a
    DocumentTermMatrix have no text: ``split`` is zero and ``in_text`` None.

    >>> import bri_text as bt
    >>> t = bt.tokenize(["发展大数据分析与大数据产业"])
    >>> t[0]
    ['发展', '大', '数据分析', '大', '数据', '产业']
    >>> r = term_mentions(t, ["大数据", "数据"])
    >>> [r[k].tolist() for k in ("own", "nested", "split", "in_text")]
    [[[0, 1]], [[0, 0]], [[2, 0]], [[2, 2]]]
    """
    from .segment import fold_variants
    from .segment._mentions import split_mentions
    from .segment._nested import NestedTerms, domain_terms

    if isinstance(tokens, DocumentTermMatrix):
        m, tokens = tokens, None
    else:
        tokens = as_tokens(tokens)
        m = dtm(tokens)
    counts = m.counts.tocsc()
    col = {t: k for k, t in enumerate(terms)}
    shape = (counts.shape[0], len(terms))
    own = np.zeros(shape, dtype=np.int64)
    for j, term in enumerate(m.terms):
        k = col.get(term)
        if k is not None:
            own[:, k] = counts[:, j].toarray().ravel()
    inside = np.zeros(shape, dtype=np.int64)
    if nested:                      # the named terms join the lexicon's for the nested rule
        finder = NestedTerms(domain_terms().terms | set(terms))
        pairs = [(j, col[inner]) for j, term in enumerate(m.terms)
                 for _, _, inner in finder.mentions(term) if inner in col]
        if pairs:
            rows, cols = zip(*pairs)
            host = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                     shape=(counts.shape[1], len(terms)))
            inside = np.asarray((m.counts @ host).todense(), dtype=np.int64)
    out = {"dtm": m, "own": own, "nested": inside, "split": np.zeros(shape, dtype=np.int64),
           "in_text": None}
    _, docs, spans = _token_data(tokens) if tokens is not None else ([], None, None)
    if spans is None or "text" not in docs.columns:
        return out
    in_text = np.zeros(shape, dtype=np.int64)
    for row, (text, sp) in enumerate(zip(docs["text"].tolist(), spans)):
        folded = fold_variants(text)
        for k, term in enumerate(terms):
            in_text[row, k] = folded.count(term)
        if in_text[row].any():
            for _, _, term in split_mentions(text, sp, terms):
                out["split"][row, col[term]] += 1
    out["in_text"] = in_text
    return out


def check_terms(terms) -> list[str]:
    if isinstance(terms, str):
        terms = [terms]
    try:
        terms = list(terms)
    except TypeError:
        raise ParameterError(f"terms must be a term or a list of terms, got "
                             f"{type(terms).__name__}") from None
    if not terms:
        raise ParameterError("terms is empty: give the terms to follow, e.g. ['一带一路']")
    bad = [t for t in terms if not isinstance(t, str) or not t.strip()
           or any(ch.isspace() for ch in t)]
    if bad:
        raise ParameterError(f"terms must be non-empty strings without whitespace, got {bad}")
    if len(set(terms)) != len(terms):
        raise ParameterError(f"terms has duplicates: {terms}")
    return terms


def warn_missing_or_split(where: str, terms: list[str], r: dict) -> None:
    """One warning for terms never counted (absent from the text, or only inside longer
    words), one for terms the tokenizer split (counted from the text)."""
    total = (r["own"] + r["nested"] + r["split"]).sum(axis=0)
    in_text = r["in_text"].sum(axis=0) if r["in_text"] is not None else None
    absent = [t for k, t in enumerate(terms) if total[k] == 0
              and (in_text is None or in_text[k] == 0)]
    if absent:
        hint = ("check the spelling" if in_text is not None else "check the spelling (plain "
                "token lists have no text, so a term the tokenizer split is not seen)")
        warnings.warn(f"{where}: {absent} occur in no unit: {hint}", stacklevel=3)
    hidden = [t for k, t in enumerate(terms) if total[k] == 0 and in_text is not None
              and in_text[k] > 0]
    if hidden:
        warnings.warn(f"{where}: {hidden} occur in the text only inside longer words (数据 in "
                      "数据库) or as chance strings across two words (美国 in 完美/国家), "
                      "which are not mentions of them; name the longer words to count "
                      "those", stacklevel=3)
    note = split_note(terms, r["split"].sum(axis=0), total)
    if note:
        warnings.warn(f"{where}: {note}", stacklevel=3)


def split_note(terms: list[str], split, total) -> str:
    """One sentence naming the terms the tokenizer split (with how many of their mentions
    were split) and how to keep them whole; "" when none was."""
    hit = [f"{t} ({int(s)} of {int(n)})" for t, s, n in zip(terms, split, total) if s > 0]
    if not hit:
        return ""
    from .segment._mentions import KEEP_WHOLE

    return (f"{', '.join(hit)} mentions were split by the tokenizer and are counted from "
            f"the text (column split); {KEEP_WHOLE}")


def frequencies(x, by=None, nested: bool = True, terms=None) -> pd.DataFrame:
    """Term frequencies as a tidy table: ``term, group, count, share, rank, nested``.

    ``count`` counts every mention of a term: as a token of its own and, with
    ``nested=True``, inside a longer lexicon token (东盟 in 中国—东盟博览会 or 东盟国家,
    一带一路 in 一带一路国际合作高峰论坛; see ``bri_text.segment._nested``); ``nested`` says
    how many of the mentions were inside such tokens. ``share`` is the count over the
    group's tokens; ``rank`` is 1 for the most frequent term of the group (ties share the
    smaller rank). Terms a group never mentions are not listed. ``by=None`` gives one
    group, ``"all"``. ``x`` is a DocumentTermMatrix or anything :func:`dtm` accepts.

    ``terms=["大数据", ...]`` counts the terms you name at every occurrence, whatever the
    tokenizer made of them (:func:`bri_text.term_trends`' rule): one row per group and
    term, zeros included, ``rank`` among the named terms, and a column ``split`` with the
    mentions the tokenizer cut (大/数据), read from the text; a warning names such terms
    and says how to keep them whole. Give Tokens (or a Corpus) for this: a
    DocumentTermMatrix has no text, so split mentions cannot be seen (a warning says so).

    >>> m = dtm([["东盟", "东盟", "合作"], ["中国—东盟博览会"]])
    >>> frequencies(m).values.tolist()
    [['东盟', 'all', 3, 0.75, 1, 1], ['中国—东盟博览会', 'all', 1, 0.25, 2, 0], \
['合作', 'all', 1, 0.25, 2, 0]]
    """
    if terms is not None:
        return _named_frequencies(x, by, nested, terms)
    m = _as_dtm(x)
    codes, labels, _ = _group_codes(m.docs, by, "frequencies")
    sums = (_indicator(codes, len(labels)) @ m.counts).tocsr()
    n_tokens = np.asarray(sums.sum(axis=1)).ravel()
    terms = list(m.terms)
    inside = sparse.csr_matrix((len(labels), len(terms)), dtype=np.int64)
    if nested:
        terms, host_to_inner = _nested_mentions(terms)
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


def _named_frequencies(x, by, nested: bool, terms) -> pd.DataFrame:
    terms = check_terms(terms)
    r = term_mentions(x, terms, nested)
    if r["in_text"] is None:
        warnings.warn("frequencies: a DocumentTermMatrix (or plain token lists) has no text, "
                      "so mentions the tokenizer split are not counted; pass the Tokens "
                      "(bt.tokenize(corpus)) to count them", stacklevel=3)
    m = r["dtm"]
    codes, labels, _ = _group_codes(m.docs, by, "frequencies")
    ind = _indicator(codes, len(labels))
    own, inside, split = (np.asarray(ind @ r[k]) for k in ("own", "nested", "split"))
    n_tokens = np.asarray((ind @ m.counts).sum(axis=1)).ravel()
    count = own + inside + split
    G, T = count.shape
    df = pd.DataFrame({"term": np.tile(np.asarray(terms, dtype=object), G),
                       "group": np.repeat(np.asarray(labels, dtype=object), T),
                       "count": count.ravel(), "share": (count / n_tokens[:, None]).ravel(),
                       "nested": inside.ravel(), "split": split.ravel(),
                       "_g": np.repeat(np.arange(G), T)})
    df["rank"] = df.groupby("_g")["count"].rank(method="min", ascending=False).astype(int)
    df = df.sort_values(["_g", "rank"], kind="mergesort")
    warn_missing_or_split("frequencies", terms, r)
    return df[["term", "group", "count", "share", "rank", "nested", "split"]] \
        .reset_index(drop=True)


# --------------------------------------------------------------------------- KWIC
def _token_matcher(pattern, regex: bool):
    """List of per-position predicates for a (possibly multi-token) pattern."""
    if isinstance(pattern, str):
        parts = pattern.split()
    elif isinstance(pattern, (list, tuple)) and all(isinstance(p, str) for p in pattern):
        parts = list(pattern)
    else:
        raise ParameterError(f"pattern must be a string or a list of strings, got {pattern!r}")
    if not parts or any(p == "" for p in parts):
        raise ParameterError("pattern is empty; give a word, e.g. '东盟', or a regular expression")
    if regex:
        out = []
        for p in parts:
            try:
                out.append(re.compile(p).fullmatch)
            except re.error as exc:
                raise ParameterError(f"pattern {p!r} is not a valid regular expression: {exc}")
        return out
    return [p.__eq__ for p in parts]


def kwic(corpus_or_tokens, pattern, window: int = 10, regex: bool = False) -> pd.DataFrame:
    """Keywords in context, cut from the cleaned text through the token offsets.

    ``pattern`` is a token (``"东盟"``), a phrase of consecutive tokens (``"丝绸之路 经济带"``
    or a list), or with ``regex=True`` regular expressions each matching a whole token
    (``"东盟|中亚"``). A single word is also found inside longer lexicon tokens (东盟 in
    中国—东盟博览会; see :func:`frequencies`), with ``keyword`` the word itself and the rest of
    the token in ``left``/``right``; and where the tokenizer split it (大/数据), read from
    the text (``attrs["split"]`` counts these, and a warning says how to keep the word
    whole). Tokens are compared in their canonical (variant-folded) form; the
    ``keyword`` column shows the text as written. ``window`` counts tokens on each side;
    ``left`` and ``right`` are the exact text between those tokens and the keyword, stopwords
    and punctuation included, so ``left + keyword + right`` is a substring of the unit's text
    and ``start``/``end`` are the keyword's character offsets in it.

    Columns: ``doc_id``, the units' metadata (columns named like an output column, e.g. a
    paragraph's ``start``/``end``, are renamed ``unit_start``/``unit_end``), ``left,
    keyword, right, start, end``. A Corpus is segmented with the default Tokenizer.

    >>> import bri_text as bt
    >>> t = bt.tokenize(["广西加强与东盟国家合作，建设面向东盟的国际大通道。"])
    >>> kwic(t, "东盟", window=2)[["left", "keyword", "right"]].values.tolist()
    [['广西加强与', '东盟', '国家合作，建设'], ['建设面向', '东盟', '的国际大通道']]
    """
    window = check_scalar(window, "window", min_val=0)
    preds = _token_matcher(pattern, regex)
    k = len(preds)
    token_lists, docs, spans = _token_data(corpus_or_tokens, need_spans=True,
                                           param="corpus_or_tokens")
    if spans is None or "text" not in docs.columns:
        raise ParameterError("kwic needs token offsets and texts (a Tokens object from "
                             "bri_text.tokenize or a Corpus)")
    texts = docs["text"].tolist()
    first = preds[0]
    # one plain word is also found inside longer lexicon tokens (东盟 in 中国—东盟博览会)
    inner = None
    if k == 1 and not regex:
        from .segment._nested import NestedTerms

        from .segment._mentions import split_mentions

        inner = NestedTerms([pattern if isinstance(pattern, str) else pattern[0]])
    hits, n_split = [], 0  # (row, left, keyword, right, start, end)
    for row, (toks, sp) in enumerate(zip(token_lists, spans)):
        n = len(toks)
        if n < k:
            continue
        sp = np.asarray(sp)
        text = texts[row]
        for i in range(n - k + 1):
            if not first(toks[i]) or not all(preds[j](toks[i + j]) for j in range(1, k)):
                if inner is not None and sp[i, 1] - sp[i, 0] == len(toks[i]):
                    for a, b, _ in inner.parts(toks[i]):
                        s, e = int(sp[i, 0]) + a, int(sp[i, 0]) + b
                        ls = int(sp[max(0, i - window), 0]) if window else s
                        re_ = int(sp[min(n - 1, i + window), 1]) if window else e
                        hits.append((row, text[ls:s], text[s:e], text[e:re_], s, e))
                continue
            s, e = int(sp[i, 0]), int(sp[i + k - 1, 1])
            ls = int(sp[max(0, i - window), 0]) if window else s
            re_ = int(sp[min(n - 1, i + k - 1 + window), 1]) if window else e
            hits.append((row, text[ls:s], text[s:e], text[e:re_], s, e))
        if inner is not None:       # the word where the tokenizer split it (大/数据)
            for s, e, _ in split_mentions(text, sp, list(inner.terms)):
                first_tok = int(np.searchsorted(sp[:, 1], s, side="right"))
                last_tok = int(np.searchsorted(sp[:, 0], e, side="left")) - 1
                ls = int(sp[max(0, first_tok - window), 0]) if window and n else s
                re_ = int(sp[min(n - 1, last_tok + window), 1]) if window and n else e
                hits.append((row, text[min(ls, s):s], text[s:e], text[e:max(re_, e)], s, e))
                n_split += 1
    hits.sort(key=lambda h: (h[0], h[4], -h[5]))
    meta = _metadata(docs)
    out_cols = ["left", "keyword", "right", "start", "end"]
    meta = meta.rename(columns={c: f"unit_{c}" for c in meta.columns if c in out_cols})
    rows = [h[0] for h in hits]
    out = meta.iloc[rows].reset_index(drop=True)
    for j, col in enumerate(out_cols, start=1):
        out[col] = [h[j] for h in hits]
    if not hits:
        out = out.astype({"start": "int64", "end": "int64"})
    if inner is not None:
        out.attrs["split"] = n_split
        note = split_note(list(inner.terms), [n_split], [len(hits)])
        if note:
            warnings.warn(f"kwic: {note.replace(' (column split)', '')}", stacklevel=2)
    return out


# --------------------------------------------------------------------------- collocations
_COLLOC_MEASURES = ("pmi", "g2", "t_score")


def _contiguous(text: str, sp: np.ndarray) -> np.ndarray:
    """gap_ok[i]: nothing but whitespace between token i and token i+1 in the text."""
    if len(sp) < 2:
        return np.zeros(0, dtype=bool)
    ends, starts = sp[:-1, 1], sp[1:, 0]
    ok = ends == starts
    for i in np.flatnonzero(~ok):
        ok[i] = text[ends[i]:starts[i]].strip() == "" if starts[i] >= ends[i] else False
    return ok


@renamed_parameters(size="ngram")
def collocations(tokens, ngram: int = 2, min_count: int = 2, measure: str = "g2",
                 contiguous: bool = True, top_n: int | None = None) -> pd.DataFrame:
    """Bigram (``ngram=2``) or trigram (``ngram=3``) collocations ranked by an association
    measure.

    For each n-gram of consecutive tokens, the 2x2 (bigram) or 2x2x2 (trigram) contingency
    table of "word k at position k" against the n-gram positions of the corpus gives:

    - ``pmi``: log2(O / E), E the count expected if the words were independent
      (E = N * prod(c_k / N), c_k the count of word k at position k of an n-gram);
    - ``g2``: log-likelihood 2 * sum(O_cell * ln(O_cell / E_cell)) over all 2^n cells;
    - ``t_score``: (O - E) / sqrt(O).

    These follow NLTK's ``BigramAssocMeasures`` / ``TrigramAssocMeasures``. With
    ``contiguous=True`` (and Tokens with offsets) an n-gram counts only where nothing but
    whitespace separates its tokens in the text, so n-grams do not bridge a removed stopword
    or punctuation. Columns: ``collocation`` (tokens joined by a space), ``words``
    (tuple), ``count``, ``pmi``, ``g2``, ``t_score``, sorted by ``measure`` (descending),
    then count and collocation; n-grams seen fewer than ``min_count`` times are dropped;
    ``top_n`` keeps the first rows (None: all). (``size=`` is the deprecated name of
    ``ngram=``.)

    >>> col = collocations([["一带", "一路", "建设"], ["推进", "一带", "一路"]], min_count=2)
    >>> col[["collocation", "count"]].values.tolist()
    [['一带 一路', 2]]
    """
    size = check_scalar(ngram, "ngram", min_val=2, max_val=3)
    if measure not in _COLLOC_MEASURES:
        raise ParameterError(f"measure must be one of {_COLLOC_MEASURES}, got {measure!r}")
    check_scalar(min_count, "min_count", min_val=1)
    top_n = check_scalar(top_n, "top_n", min_val=1, allow_none=True)
    from . import _stats

    token_lists, docs, spans = _token_data(tokens)
    texts = docs["text"].tolist() if (spans is not None and "text" in docs.columns) else None
    vocab: dict[str, int] = {}
    grams = []
    for row, toks in enumerate(token_lists):
        n = len(toks)
        if n < size:
            continue
        ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks), dtype=np.int64,
                          count=n)
        starts = np.arange(n - size + 1)
        if contiguous and texts is not None:
            ok = _contiguous(texts[row], np.asarray(spans[row]))
            good = np.ones(len(starts), dtype=bool)
            for j in range(size - 1):
                good &= ok[starts + j]
            starts = starts[good]
        grams.append(np.stack([ids[starts + j] for j in range(size)], axis=1))
    if not grams or sum(len(g) for g in grams) == 0:
        raise ParameterError(f"no {size}-grams in the input (units too short or no adjacent "
                             "tokens)")
    table = _stats.ngram_association(np.concatenate(grams), min_count)
    if table is None:
        raise ParameterError(f"no {size}-gram occurs at least min_count={min_count} times; "
                             "lower min_count")
    words = np.asarray(list(vocab), dtype=object)
    grams_u, count, pmi, g2, t = table
    word_tuples = [tuple(words[r]) for r in grams_u]
    out = pd.DataFrame({"collocation": [NGRAM_SEP.join(w) for w in word_tuples],
                        "words": word_tuples, "count": count, "pmi": pmi, "g2": g2,
                        "t_score": t})
    out = out.sort_values([measure, "count", "collocation"], ascending=[False, False, True],
                          kind="mergesort")
    return out.reset_index(drop=True) if top_n is None else out.head(top_n).reset_index(drop=True)
