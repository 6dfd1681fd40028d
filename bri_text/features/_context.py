"""Words in their context: keywords in context (:func:`kwic`) and :func:`collocations`."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .._util import check_scalar, renamed_parameters
from ..errors import ParameterError
from ._matrix import NGRAM_SEP, token_data, unit_metadata
from ._mentions import split_note


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


def _hit(row: int, text: str, sp: np.ndarray, s: int, e: int, first: int, last: int,
         window: int) -> tuple:
    """(row, left, keyword, right, start, end, first, last) of the keyword ``text[s:e]``,
    in tokens ``first``..``last``, with ``window`` tokens on each side."""
    n = len(sp)
    ls = int(sp[max(0, first - window), 0]) if window else s
    re_ = int(sp[min(n - 1, last + window), 1]) if window else e
    return row, text[ls:s], text[s:e], text[e:re_], s, e, first, last


def _token_hits(row: int, toks, sp: np.ndarray, text: str, preds, window: int,
                inner) -> list:
    """Hits in one unit: runs of tokens matching ``preds``, and with ``inner`` the word
    inside a longer token (东盟 in 中国—东盟博览会)."""
    hits = []
    k = len(preds)
    for i in range(len(toks) - k + 1):
        if all(preds[j](toks[i + j]) for j in range(k)):
            hits.append(_hit(row, text, sp, int(sp[i, 0]), int(sp[i + k - 1, 1]), i,
                             i + k - 1, window))
        elif inner is not None and sp[i, 1] - sp[i, 0] == len(toks[i]):
            for a, b, _ in inner.parts(toks[i]):
                hits.append(_hit(row, text, sp, int(sp[i, 0]) + a, int(sp[i, 0]) + b, i, i,
                                 window))
    return hits


def _split_hits(row: int, text: str, sp: np.ndarray, inner, window: int) -> list:
    """Hits of the word where the tokenizer split it (大/数据), read from the text (the
    tokens ``first``..``last`` are those the occurrence touches)."""
    from ..segment import split_mentions

    n = len(sp)
    hits = []
    for s, e, _ in split_mentions(text, sp, list(inner.terms)):
        first_tok = int(np.searchsorted(sp[:, 1], s, side="right"))
        last_tok = int(np.searchsorted(sp[:, 0], e, side="left")) - 1
        ls = int(sp[max(0, first_tok - window), 0]) if window and n else s
        re_ = int(sp[min(n - 1, last_tok + window), 1]) if window and n else e
        hits.append((row, text[min(ls, s):s], text[s:e], text[e:max(re_, e)], s, e,
                     first_tok, max(first_tok, last_tok)))
    return hits


def _kwic_frame(hits: list, docs: pd.DataFrame) -> pd.DataFrame:
    """The units' metadata (clashing columns renamed ``unit_*``) and the hits' columns."""
    meta = unit_metadata(docs)
    out_cols = ["left", "keyword", "right", "start", "end"]
    meta = meta.rename(columns={c: f"unit_{c}" for c in meta.columns if c in out_cols})
    out = meta.iloc[[h[0] for h in hits]].reset_index(drop=True)
    for j, col in enumerate(out_cols, start=1):
        out[col] = [h[j] for h in hits]
    if not hits:
        out = out.astype({"start": "int64", "end": "int64"})
    return out


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
    hits, docs, _, inner, n_split = _find(corpus_or_tokens, pattern, window, regex, "kwic")
    out = _kwic_frame(hits, docs)
    if inner is not None:
        out.attrs["split"] = n_split
        note = split_note(list(inner.terms), [n_split], [len(hits)])
        if note:
            warnings.warn(f"kwic: {note.replace(' (column split)', '')}", stacklevel=2)
    return out


def _find(corpus_or_tokens, pattern, window: int, regex: bool, where: str):
    """(hits sorted by unit and offset, the units' metadata, token lists, the nested-word
    finder or None, how many hits were read from split tokens): :func:`kwic`'s search."""
    preds = _token_matcher(pattern, regex)
    token_lists, docs, spans = token_data(corpus_or_tokens, need_spans=True,
                                           param="corpus_or_tokens")
    if spans is None or "text" not in docs.columns:
        raise ParameterError(f"{where} needs token offsets and texts (a Tokens object from "
                             "bri_text.tokenize or a Corpus)")
    texts = docs["text"].tolist()
    # one plain word is also found inside longer lexicon tokens (东盟 in 中国—东盟博览会)
    inner = None
    if len(preds) == 1 and not regex:
        from ..segment import NestedTerms

        inner = NestedTerms([pattern if isinstance(pattern, str) else pattern[0]])
    hits, n_split = [], 0  # (row, left, keyword, right, start, end, first, last)
    for row, (toks, sp) in enumerate(zip(token_lists, spans)):
        if len(toks) < len(preds):
            continue
        sp = np.asarray(sp)
        hits += _token_hits(row, toks, sp, texts[row], preds, window, inner)
        if inner is not None:
            split = _split_hits(row, texts[row], sp, inner, window)
            hits += split
            n_split += len(split)
    hits.sort(key=lambda h: (h[0], h[4], -h[5]))
    return hits, docs, token_lists, inner, n_split


def mention_positions(corpus_or_tokens, term: str, where: str = "mention_positions"):
    """The mentions of one ``term`` that :func:`kwic` finds (and ``term_trends`` counts: a
    token equal to it, the word inside a longer lexicon token, an occurrence the tokenizer
    split), as token positions: (token lists, the units' metadata, an int array of rows
    ``(unit, first token, last token)``, how many of them were split).

    >>> import bri_text as bt
    >>> t = bt.tokenize(["推进一带一路建设，一带一路国际合作高峰论坛"])
    >>> tokens, docs, at, n_split = mention_positions(t, "一带一路")
    >>> t[0], at.tolist()
    (['推进', '一带一路', '建设', '一带一路国际合作高峰论坛'], [[0, 1, 1], [0, 3, 3]])
    """
    hits, docs, token_lists, _, n_split = _find(corpus_or_tokens, term, 0, False, where)
    at = np.array([(h[0], h[6], h[7]) for h in hits], dtype=np.int64).reshape(-1, 3)
    return token_lists, docs, at, n_split


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
    ``top_n`` keeps the first rows (None: all). (``size=``, ``ngram=``'s name before
    0.2.0, is an error.)

    >>> col = collocations([["一带", "一路", "建设"], ["推进", "一带", "一路"]], min_count=2)
    >>> col[["collocation", "count"]].values.tolist()
    [['一带 一路', 2]]
    """
    size = check_scalar(ngram, "ngram", min_val=2, max_val=3)
    if measure not in _COLLOC_MEASURES:
        raise ParameterError(f"measure must be one of {_COLLOC_MEASURES}, got {measure!r}")
    check_scalar(min_count, "min_count", min_val=1)
    top_n = check_scalar(top_n, "top_n", min_val=1, allow_none=True)
    from .. import _stats

    token_lists, docs, spans = token_data(tokens)
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
