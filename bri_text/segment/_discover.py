"""Terms of the user's own corpus that the tokenizer splits: :func:`discover_terms`.

The standard new-word discovery for Chinese, run on the corpus itself:

1. **Candidates** are the character n-grams of 2 to ``max_length`` Chinese characters that
   occur at least ``min_count`` times in at least ``min_docs`` documents. An n-gram never
   crosses a non-Chinese character: punctuation (clause boundaries ，。；、：), digits, Latin
   letters, spaces and line breaks all cut the text into runs of Chinese characters.
2. **Cohesion**: the smallest pointwise mutual information over the binary splits of the
   n-gram, ``min_k log(c(w) * N / (c(w[:k]) * c(w[k:])))`` (natural log; ``c`` counts,
   ``N`` Chinese characters in the corpus). A fragment glued to a frequent neighbour by
   chance (推进大) has a split whose parts occur independently: low cohesion.
3. **Freedom**: the entropy (natural log) of the characters just before (``left_entropy``)
   and just after (``right_entropy``) the occurrences. Punctuation, a line break or the
   edge of the document is a neighbour like a character (each its own kind), so a term
   that ends clauses in varied ways is free, while a piece of a longer word has one side
   that is nearly always the same character (网联汽车 is preceded by 智能) and a formula
   one that is always the same mark (各位代表：, 请予审议。): entropy near 0. (Counting
   every mark as a new neighbour instead ranked such formulas first; punctuation as a
   neighbour found more gold terms on both halves of the work reports.)
4. **Kept**: candidates with cohesion >= ``min_cohesion`` and both entropies >=
   ``min_entropy`` that the ``tokenizer`` does **not** keep whole (segmented on their own
   they give several pieces, shown in ``split``), unless their first or last piece is a
   general stopword (``bri_text/lexicons/stopwords_zh.txt``) or a function character
   standing alone (的 了 和 与 在 是 对 等 及 并 为 将 把 被 ...: 的发展, 我们必须 and 各级政府要
   are dropped; 和谐社会 = 和谐/社会 is not), or all their pieces are stopwords, general or
   policy boilerplate (积极推进, 不断提高). A candidate inside a longer kept candidate that
   covers at least ``_NESTED_SHARE`` (90%) of its occurrences is dropped too: 智能网联汽 and
   网联汽车 give way to 智能网联汽车 when they are never seen apart.
5. **Score**: ``log(count) * min(left_entropy, right_entropy) * cohesion``: frequent, free
   on both sides and holding together; rows are sorted by score (ties: count, then the
   term), best first. (The product was chosen among five combinations on the first half
   of the work reports, 1954-1998; ``benchmarks/DISCOVER.md``.)

Cost: one pass of sorting per length, in one process (no ``n_jobs``: the work reports,
3.2 MB, take under a second), about 80 bytes of memory per character, so about 3 GB for
100 MB of Chinese text (``benchmarks/DISCOVER.md``); the tokenizer then cuts only the
candidates left (a few thousand).

The table tells which words to add to the tokenizer: see :func:`discover_terms`.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import _lexicons, _util
from ..errors import ParameterError
from ._api import _as_docs
from ._text import _HAN
from ._tokenizer import Tokenizer
from ._tokens import texts_fingerprint

#: characters that are function words when they stand alone at a candidate's edge
_FUNCTION_CHARS = frozenset("的了和与在是对等及并为将把被也而或其就都又让使给从向于之着过地得所")

#: a candidate inside a longer kept candidate that covers this share of its occurrences
#: is not shown on its own
_NESTED_SHARE = 0.9

_SURROGATE = re.compile("[\ud800-\udfff]")

_COLUMNS = ["term", "count", "n_docs", "cohesion", "left_entropy", "right_entropy", "score",
            "split", "example"]


def _han_ranges() -> list[tuple[int, int]]:
    """(first, last) code points of the Chinese character blocks in ``_text._HAN``."""
    out, i = [], 0
    while i < len(_HAN):
        out.append((ord(_HAN[i]), ord(_HAN[i + 2])))
        i += 3
    return out


def _texts_of(corpus_or_texts) -> list[str]:
    data = corpus_or_texts
    if not (isinstance(data, (str, pd.DataFrame)) or hasattr(data, "docs")):
        if isinstance(data, pd.Series):
            data = data.tolist()
        try:
            data = list(data)
        except TypeError:
            raise ParameterError(
                f"corpus_or_texts must be a Corpus, a DataFrame with a 'text' column or an "
                f"iterable of str, got {type(corpus_or_texts).__name__}") from None
        for i, t in enumerate(data):
            if not isinstance(t, str):
                raise ParameterError(f"corpus_or_texts[{i}] is {type(t).__name__}, not str")
    docs = _as_docs(data)
    texts = docs["text"].tolist()
    if not texts or not any(t.strip() for t in texts):
        raise ParameterError("corpus_or_texts is empty: give at least one document with text")
    return texts


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of ``keys`` and their counts (``np.unique(return_counts=True)`` by a
    plain sort: 3x faster here than numpy's hash-based unique)."""
    s = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1]))) if len(s) else \
        np.zeros(0, dtype=np.int64)
    return s[starts], np.diff(np.append(starts, len(s)))


def _entropy(groups: np.ndarray, neighbours: np.ndarray, totals: np.ndarray,
             n_groups: int, nb_base: int) -> np.ndarray:
    """Entropy (natural log) of the neighbours of each group (``neighbours`` < ``nb_base``)."""
    pairs, counts = _runs(groups.astype(np.int64) * nb_base + neighbours)
    s = np.bincount(pairs // nb_base, weights=counts * np.log(counts), minlength=n_groups)
    return np.log(totals) - s / totals


def discover_terms(corpus_or_texts, *, tokenizer=None, min_count: int = 10, min_docs: int = 2,
                   max_length: int = 10, min_cohesion: float = 1.0, min_entropy: float = 1.0,
                   top_n: int | None = 200, progress=None) -> pd.DataFrame:
    """Terms of the corpus that the tokenizer splits, best first (see the module notes).

    Parameters
    ----------
    corpus_or_texts : Corpus, DataFrame with a ``text`` column, or iterable of str
    tokenizer : Tokenizer, optional
        The tokenizer whose splits are looked for; default ``Tokenizer()``.
    min_count : int
        Occurrences a candidate needs (default 10).
    min_docs : int
        Documents it must occur in (default 2).
    max_length : int
        Longest candidate, in characters (default 10: 社会主义市场经济体制).
    min_cohesion : float
        Smallest pointwise mutual information over the binary splits (default 1.0 nat).
    min_entropy : float
        Smallest left and right branching entropy (default 1.0 nat).
    top_n : int or None
        Rows returned (default 200); None: all.
    progress : bool or None
        tqdm progress bar over the n-gram lengths; None shows it on a terminal outside CI.

    Returns
    -------
    DataFrame
        Columns ``term``, ``count``, ``n_docs``, ``cohesion``, ``left_entropy``,
        ``right_entropy``, ``score``, ``split`` (how the tokenizer cuts the term, e.g.
        ``大/数据``) and ``example`` (the first occurrence in a short context). ``attrs``
        hold the parameters, the number of Chinese characters read, the candidates at
        each step and ``tokens_fingerprint``: the fingerprint the texts' tokens have
        with this tokenizer (``bt.tokenize(corpus_or_texts, tokenizer=tokenizer)
        .fingerprint``, which a topic model and a report record), computed without
        tokenizing.

    The accepted terms go into the tokenizer as a set of words, after which they come out
    whole (one line: ``bt.tokenize(corpus, tokenizer=bt.Tokenizer(user_dict=set(found["term"])))``):

    >>> import bri_text as bt
    >>> texts = ["发展首发经济，推进具身智能应用。", "首发经济和具身智能技术融合，壮大首发经济！",
    ...          "加快具身智能、首发经济发展。", "具身智能赋能实体经济；首发经济规模扩大。",
    ...          "用好具身智能，做强首发经济。"]
    >>> found = bt.discover_terms(texts, min_count=5)
    >>> found[["term", "count", "n_docs", "split"]]
       term  count  n_docs  split
    0  首发经济      6       5  首发/经济
    1  具身智能      5       5  具身/智能
    >>> bt.tokenize(texts, tokenizer=bt.Tokenizer(user_dict=set(found["term"])))[0]
    ['发展', '首发经济', '推进', '具身智能', '应用']
    >>> bt.tokenize(texts)[0]
    ['发展', '首发', '经济', '推进', '具身', '智能', '应用']
    """
    min_count = _util.check_scalar(min_count, "min_count", min_val=1)
    min_docs = _util.check_scalar(min_docs, "min_docs", min_val=1)
    max_length = _util.check_scalar(max_length, "max_length", min_val=2)
    min_cohesion = _util.check_scalar(min_cohesion, "min_cohesion", "real")
    min_entropy = _util.check_scalar(min_entropy, "min_entropy", "real", min_val=0)
    top_n = _util.check_scalar(top_n, "top_n", min_val=1, allow_none=True)
    if tokenizer is None:
        tokenizer = Tokenizer()
    elif not isinstance(tokenizer, Tokenizer):
        raise ParameterError(f"tokenizer must be a bri_text Tokenizer, got "
                             f"{type(tokenizer).__name__}")
    texts = _texts_of(corpus_or_texts)

    # one array of code points; a NUL between documents is a boundary like punctuation
    full = "\x00".join(texts)
    codes = np.frombuffer(full.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    n = len(codes)
    han = np.zeros(n, dtype=bool)
    for lo, hi in _han_ranges():
        han |= (codes >= lo) & (codes <= hi)
    doc = np.repeat(np.arange(len(texts), dtype=np.int32),
                    np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts)))[:n]
    uniq, inv = np.unique(codes[han], return_inverse=True)
    ids = np.zeros(n + 1, dtype=np.int32)  # character id, 0 = not Chinese; ids[n] = 0 too
    ids[:n][han] = inv + 1
    base = len(uniq) + 1
    n_han = int(han.sum())
    # neighbours for the branching entropy: a Chinese character by its id, any other
    # character by its code point after them; the edge of a document is the NUL
    nb = np.empty(n + 1, dtype=np.int32)
    nb[:n] = np.where(han, ids[:n], base + codes.astype(np.int32))
    nb[n] = base
    nb_base = base + 0x110000

    # level 1: single characters
    counts = {1: np.bincount(inv, minlength=len(uniq))}
    # per length k, the id of the frequent k-gram starting at each position (-1: none);
    # int32 keeps memory at about 4 bytes per character and length
    dense = np.full(n + 1, -1, dtype=np.int32)
    dense[:n][han] = np.where(counts[1][inv] >= min_count, inv, -1)
    levels = {1: dense}
    del codes, han, inv
    rows = []
    steps = {"frequent": 0, "free_and_cohesive": 0, "split_by_tokenizer": 0}
    lengths = _util.progress_bar(range(2, max_length + 1), desc="discover_terms",
                                 progress=progress)
    for k in lengths:
        prev = levels[k - 1]
        # apriori: a k-gram can be frequent only where both its (k-1)-grams are
        m = n - k + 1
        if m <= 0:
            break
        pos = np.flatnonzero((prev[:m] >= 0) & (prev[1:m + 1] >= 0))
        if len(pos) == 0:
            break
        key = prev[pos].astype(np.int64) * base + ids[pos + k - 1]
        _, kinv, kcnt = np.unique(key, return_inverse=True, return_counts=True)
        keep = kcnt >= min_count
        new_id = np.cumsum(keep) - 1
        dense = np.full(n + 1, -1, dtype=np.int32)
        gid = np.where(keep[kinv], new_id[kinv], -1)
        dense[pos] = gid
        levels[k] = dense
        cnt = kcnt[keep]
        counts[k] = cnt
        n_groups = len(cnt)
        if n_groups == 0:
            break
        steps["frequent"] += n_groups
        at = pos[gid >= 0]
        g = gid[gid >= 0]
        # documents
        pairs, _ = _runs(g * len(texts) + doc[at])
        n_docs = np.bincount(pairs // len(texts), minlength=n_groups)
        # branching entropy; nb[-1] (index n) is the document edge, the left neighbour of
        # a term at the very start
        left = _entropy(g, nb[at - 1], cnt, n_groups, nb_base)
        right = _entropy(g, nb[at + k], cnt, n_groups, nb_base)
        # cohesion at one occurrence of each k-gram
        first = np.full(n_groups, n, dtype=np.int64)
        np.minimum.at(first, g, at)
        coh = np.full(n_groups, np.inf)
        for j in range(1, k):
            a = counts[j][levels[j][first]]
            b = counts[k - j][levels[k - j][first + j]]
            coh = np.minimum(coh, np.log(cnt * float(n_han) / (a.astype(float) * b)))
        ok = ((n_docs >= min_docs) & (coh >= min_cohesion) & (left >= min_entropy)
              & (right >= min_entropy))
        steps["free_and_cohesive"] += int(ok.sum())
        for i in np.flatnonzero(ok).tolist():
            rows.append((int(first[i]), k, int(cnt[i]), int(n_docs[i]), float(coh[i]),
                         float(left[i]), float(right[i])))

    # the tokenizer's cut of each candidate (few thousand at most: Python is fine here)
    general = _lexicons.load_stopwords("general") | _FUNCTION_CHARS
    boilerplate = general | _lexicons.load_stopwords("policy")
    terms = [full[start:start + k] for start, k, *_ in rows]
    kept = []
    for (start, k, c, nd, coh, le, ri), term, pieces in zip(rows, terms,
                                                           _pieces(tokenizer, terms)):
        if not _is_term(pieces, general, boilerplate):
            continue
        score = float(np.log(c)) * min(le, ri) * coh
        kept.append((term, c, nd, coh, le, ri, score, "/".join(pieces), start))
    steps["split_by_tokenizer"] = len(kept)
    kept = _drop_nested(kept)
    kept.sort(key=lambda r: (-r[6], -r[1], r[0]))
    if top_n is not None:
        kept = kept[:top_n]
    table = pd.DataFrame([r[:8] + (_example(full, r[8], len(r[0])),) for r in kept],
                         columns=_COLUMNS, dtype=object)
    table = table.astype({"term": str, "count": np.int64, "n_docs": np.int64,
                          "cohesion": float, "left_entropy": float,
                          "right_entropy": float, "score": float, "split": str,
                          "example": str})
    table.attrs.update({
        "min_count": min_count, "min_docs": min_docs, "max_length": max_length,
        "min_cohesion": min_cohesion, "min_entropy": min_entropy, "top_n": top_n,
        "n_chars": n_han, "n_docs": len(texts), "candidates": steps,
        "tokenizer": repr(tokenizer),
        "tokens_fingerprint": texts_fingerprint(texts, tokenizer.config)})
    return table


def _is_term(pieces: list, general: frozenset, boilerplate: frozenset) -> bool:
    """False for a candidate the tokenizer keeps whole, one with a general stopword as its
    first or last piece (我们必须, 各级政府要, 的发展), or one made of boilerplate only
    (积极推进, 不断提高)."""
    return (len(pieces) > 1 and pieces[0] not in general and pieces[-1] not in general
            and not all(p in boilerplate for p in pieces))


def _pieces(tokenizer, terms: list) -> list:
    """How the tokenizer cuts each term: one call on the terms joined by line breaks
    (a line break is a boundary for both engines, so each term is cut on its own)."""
    if not terms:
        return []
    joined = "\n".join(terms)
    ends = np.cumsum([len(t) + 1 for t in terms])  # offset just past each term's "\n"
    segs = [(p, s) for p, s, _ in tokenizer.segment(joined) if p != "\n"]
    owner = np.searchsorted(ends, np.array([s for _, s in segs], dtype=np.int64),
                            side="right").tolist()
    out: list = [[] for _ in terms]
    for (piece, _), i in zip(segs, owner):
        out[i].append(piece)
    return out


def _drop_nested(kept: list) -> list:
    """Drop a candidate that a longer kept candidate contains in >= _NESTED_SHARE of its
    occurrences (an upper bound: the longer one's count)."""
    container: dict = {}  # substring -> largest count of a kept candidate containing it
    out = []
    for r in sorted(kept, key=lambda r: -len(r[0])):
        term, c = r[0], r[1]
        if container.get(term, 0) >= _NESTED_SHARE * c:
            continue
        out.append(r)
        for i in range(len(term)):
            for j in range(i + 2, len(term) + 1 - (i == 0)):
                sub = term[i:j]
                if container.get(sub, 0) < c:
                    container[sub] = c
    return out


def _example(full: str, start: int, k: int, width: int = 12) -> str:
    """The line around one occurrence, at most ``width`` characters either side (a lone
    surrogate shown as U+FFFD, which pandas' string columns can hold)."""
    lo = max(full.rfind("\n", 0, start), full.rfind("\x00", 0, start), start - width - 1) + 1
    hi_line = [p for p in (full.find("\n", start + k), full.find("\x00", start + k)) if p >= 0]
    hi = min(hi_line + [start + k + width, len(full)])
    return _SURROGATE.sub("\ufffd", full[lo:hi])
