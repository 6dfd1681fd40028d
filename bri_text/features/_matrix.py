"""The document-term matrix: :class:`DocumentTermMatrix` and :func:`dtm`, and the inputs
every function of this stage accepts (:func:`token_data`)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from .._grouping import _check_df, _group_codes, _group_table, _indicator, subset_mask
from .._util import check_scalar, lists_fingerprint, renamed_parameters, units_fingerprint
from ..errors import MetadataError, ParameterError

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
def token_data(obj, need_spans: bool = False, param: str = "tokens"):
    """(token lists, docs DataFrame, spans or None) from Tokens, a Corpus or token lists.

    A Corpus is segmented with the default :class:`bri_text.Tokenizer`.
    """
    if hasattr(obj, "tokens") and hasattr(obj, "docs"):          # Tokens
        spans = getattr(obj, "spans", None)
        return obj.tokens, obj.docs, spans
    if hasattr(obj, "docs") and hasattr(obj, "texts"):           # Corpus
        from ..segment import tokenize

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


def tokens_fingerprint(obj) -> str | None:
    """The fingerprint of the tokens a table is made from, as a topic model records it
    (``provenance_["corpus_fingerprint"]``): ``Tokens.fingerprint`` (hashed once per Tokens
    object), a matrix's :attr:`DocumentTermMatrix.tokens_fingerprint`, a hash of plain
    token lists; None when there is none (a matrix made by hand).

    >>> tokens_fingerprint([["东盟", "合作"]]) == tokens_fingerprint([["东盟", "合作"]])
    True
    >>> tokens_fingerprint([["东盟", "合作"]]) == tokens_fingerprint([["东盟"]])
    False
    """
    if isinstance(obj, DocumentTermMatrix):
        return obj.tokens_fingerprint
    fp = getattr(obj, "fingerprint", None)
    if isinstance(fp, str):
        return fp
    lists = getattr(obj, "tokens", obj)
    if isinstance(lists, (list, tuple)) and all(isinstance(t, (list, tuple)) for t in lists):
        return lists_fingerprint(lists)   # as TopicModel's and the Dask path's, no Tokens
    return None


def unit_metadata(docs: pd.DataFrame) -> pd.DataFrame:
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
    tokens_fingerprint : str or None
        The fingerprint of the tokens counted (``Tokens.fingerprint``, set by :func:`dtm`;
        a hash of plain token lists; None for a matrix made by hand). ``subset`` keeps
        other units, so it has another fingerprint, derived from this one and the doc_ids
        kept; ``group`` sums the same tokens and keeps it. keyness and similarity tables
        record it in ``attrs["tokens_fingerprint"]``.
    fragments : dict or None
        The single-character terms that are mostly pieces of one longer string the
        tokenizer cuts into single characters (``{"磨": {"fragment_of": "磨憨", "n_in": 3,
        "count": 3, "split": "磨/憨"}}``, :func:`bri_text.segment.fragments`), found by
        :func:`dtm` from the tokens' offsets over all units (kept by ``subset`` and
        ``group``; ``distributed.group_counts`` finds the same, summed over partitions);
        None when the tokens had no offsets (plain token lists, a matrix made by hand).
        :func:`bri_text.keyness` shows them in its ``fragment_of`` column.

    >>> import pandas as pd
    >>> from scipy import sparse
    >>> m = DocumentTermMatrix(sparse.csr_matrix([[2, 1], [0, 3]]), ["东盟", "合作"],
    ...                        pd.DataFrame({"doc_id": ["a", "b"], "region": ["广西", "甘肃"]}))
    >>> m.group("region").to_dataframe().values.tolist()
    [[2, 1], [0, 3]]
    """

    tokens_fingerprint: str | None = None      # matrices pickled before it was recorded
    fragments: dict | None = None               # idem

    def __init__(self, matrix, terms: Sequence[str], docs: pd.DataFrame | None = None, *,
                 weighting: str = "count", counts=None, params: dict | None = None,
                 tokens_fingerprint: str | None = None, fragments: dict | None = None):
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
        self.docs = unit_metadata(docs)
        self.weighting = weighting
        self.params = dict(params or {})
        self.tokens_fingerprint = tokens_fingerprint
        self.fragments = fragments

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
        fp = self.tokens_fingerprint
        if fp is not None and len(idx) != self.shape[0]:      # other units: another print
            fp = units_fingerprint(self.docs["doc_id"].iloc[idx].astype(str).tolist(),
                                   extra=f"subset of {fp}")
        return DocumentTermMatrix(matrix, self.terms, self.docs.iloc[idx], weighting=self.weighting,
                                  counts=counts, params=self.params, tokens_fingerprint=fp,
                                  fragments=self.fragments)

    # ------------------------------------------------------------------ grouping
    def group(self, by) -> "DocumentTermMatrix":
        """Sum the raw counts of the units of each group: a count matrix with one row per
        group (``doc_id`` = the group label as a string; columns ``by`` and ``n_units``).

        ``by`` is a metadata column (``"region"``) or one label per unit; ``"decade"``:
        decades of ``year`` (README, "Decades"). Units with no value are left out, with a
        warning.
        """
        if by is None:
            raise ParameterError("by must be a metadata column name or one label per unit, "
                                 "got None")
        codes, labels, name = _group_codes(self.docs, by, "DocumentTermMatrix.group")
        counts = (_indicator(codes, len(labels)) @ self.counts).tocsr()
        return DocumentTermMatrix(counts, self.terms, _group_table(self.docs, codes, labels, name),
                                  params=self.params, tokens_fingerprint=self.tokens_fingerprint,
                                  fragments=self.fragments)

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
        from ._counts import frequency_table

        return frequency_table(self, by=by, nested=nested)

    @renamed_parameters(n="top_n")
    def top_terms(self, top_n: int = 20, by=None) -> pd.DataFrame:
        """The ``top_n`` terms with the largest summed weight (counts for
        ``weighting="count"``), overall or per group: columns ``group, rank, term, weight``;
        ties broken by term; ``by`` as in :meth:`group`. (``n=``, its name before 0.2.0,
        is an error.)"""
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

    if hasattr(tokens, "docs") and hasattr(tokens, "texts") and not hasattr(tokens, "tokens"):
        from ..segment import tokenize          # a Corpus: its Tokens, for their fingerprint

        tokens = tokenize(tokens)
    token_lists, docs, _ = token_data(tokens)
    fp = tokens_fingerprint(tokens)
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
    frags = _fragments_of(tokens, terms) if lo == 1 else None
    if weighting == "count":
        return DocumentTermMatrix(counts, terms, docs, params=params, tokens_fingerprint=fp,
                                  fragments=frags)
    return DocumentTermMatrix(weight(counts, weighting), terms, docs, weighting=weighting,
                              counts=counts, params=params, tokens_fingerprint=fp,
                              fragments=frags)


def _fragments_of(tokens, terms) -> dict | None:
    """{single character: {"fragment_of", "n_in", "count", "split"}} for the terms of the
    matrix that are mostly pieces of a longer string the tokenizer cuts (磨 → 磨憨,
    :func:`bri_text.segment.fragments`); None when the tokens have no offsets to tell."""
    from ..segment import fragments

    if getattr(tokens, "spans", None) is None:
        return None
    return fragment_terms(fragments(tokens), terms)


def fragment_terms(table: pd.DataFrame, terms) -> dict:
    """``DocumentTermMatrix.fragments`` from a table of :func:`bri_text.segment.fragments`:
    the rows whose term is one of ``terms`` (the matrix's columns), as {term:
    {"fragment_of", "n_in", "count", "split"}} (also used by the Dask path's
    ``group_counts``).

    >>> t = pd.DataFrame({"term": ["磨", "憨"], "fragment_of": "磨憨", "n_in": 3,
    ...                   "count": 3, "run_count": 3, "n_docs": 3, "split": "磨/憨"})
    >>> fragment_terms(t, np.array(["磨", "口岸"]))
    {'磨': {'fragment_of': '磨憨', 'n_in': 3, 'count': 3, 'split': '磨/憨'}}
    """
    vocab = set(np.asarray(terms).tolist())
    return {r["term"]: {k: r[k] for k in ("fragment_of", "n_in", "count", "split")}
            for r in table.to_dict("records") if r["term"] in vocab}


def weight(counts: sparse.csr_matrix, weighting: str) -> sparse.csr_matrix:
    """The ``weighting`` of a count matrix, as :func:`dtm` applies it (also used to re-weight
    summed counts after grouping): ``tf`` l1-normalised rows, ``tfidf`` scikit-learn's
    ``TfidfTransformer()`` (smoothed idf over these rows, l2-normalised rows)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    if weighting == "count":
        return counts
    if weighting == "tf":
        return TfidfTransformer(use_idf=False, norm="l1").fit_transform(counts).tocsr()
    return TfidfTransformer().fit_transform(counts).tocsr()


def as_dtm(obj) -> DocumentTermMatrix:
    return obj if isinstance(obj, DocumentTermMatrix) else dtm(obj)
