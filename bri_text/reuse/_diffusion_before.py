"""Text of a source that was there before it (:func:`~bri_text.diffusion`'s
``preexisting``): the passages of each dated source found in the documents dated before
it over the text the traced passages left without one."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._align import _local_alignments, _orig_span

#: the least similarity of a passage that makes text "there before the source"
_PREEXISTING = 0.9
#: the columns of :func:`_found_before` (those of text_reuse that diffusion reads there)
BEFORE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "passage_a",
                  "passage_b", "similarity", "figures_changed"]
#: the longest gap (normalised characters) bridged inside a passage, text_reuse's max_gap
_MAX_GAP = 40


def _segments(sa, sb, j, k: int, max_gap: int = _MAX_GAP):
    """Shared shingles (``k`` characters at position ``sa`` of the source and ``sb`` of
    document ``j``) -> stretches worth aligning, six arrays (j, a0, a1, b0, b1, covered
    characters). First the shingles of a document on one diagonal at most ``max_gap``
    apart (a character substituted breaks a run of shingles but keeps the diagonal); then
    those runs covering at least ``k + 3`` characters (shorter ones: a word or two both
    texts use by chance) that follow each other in the source at most ``max_gap`` apart,
    with diagonals at most ``max_gap`` apart (characters inserted or deleted shift it).

    >>> s = _segments(np.array([0, 1, 2, 12, 13, 30]), np.array([5, 6, 7, 17, 18, 90]),
    ...               np.zeros(6, int), 5)
    >>> [[int(x) for x in v] for v in s]
    [[0], [0], [18], [5], [23], [13]]
    """
    diag = sb - sa
    span_a, low = int(sa.max()) + 1, int(diag.min())
    span_d = int(diag.max()) - low + 1
    if (int(j.max()) + 1) * span_d * span_a < 2 ** 62:      # one key sorts faster
        o = np.argsort((j * span_d + (diag - low)) * span_a + sa)
    else:
        o = np.lexsort((sa, diag, j))
    sa, diag, j = sa[o], diag[o], j[o]
    new = np.ones(len(sa), bool)
    new[1:] = (j[1:] != j[:-1]) | (diag[1:] != diag[:-1]) | (sa[1:] - sa[:-1] > max_gap)
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(sa)) - 1
    step = np.minimum(np.diff(sa, prepend=sa[:1] - k), k)    # characters each one adds
    step[first] = k
    cov = np.add.reduceat(step, first)
    a0, a1, d, jj = sa[first], sa[last] + k, diag[first], j[first]
    long = cov >= k + 3
    o = np.lexsort((a0[long], jj[long]))
    a0, a1, d, jj, cov = a0[long][o], a1[long][o], d[long][o], jj[long][o], cov[long][o]
    new = np.ones(len(a0), bool)
    shift = jj.astype(np.int64) * (int(a1.max(initial=0)) + max_gap + 1)   # per document
    reach = np.maximum.accumulate(a1 + shift) - shift
    new[1:] = (jj[1:] != jj[:-1]) | (a0[1:] - reach[:-1] > max_gap) \
        | (np.abs(d[1:] - d[:-1]) > max_gap)
    first = np.flatnonzero(new)
    if not len(first):
        return tuple(np.zeros(0, np.int64) for _ in range(6))
    return (jj[first], np.minimum.reduceat(a0, first), np.maximum.reduceat(a1, first),
            np.minimum.reduceat(a0 + d, first), np.maximum.reduceat(a1 + d, first),
            np.add.reduceat(cov, first))


class _View:
    """Document i of a ``_ShingleIndex`` as :func:`~bri_text.reuse._align._orig_span` reads
    a ``_Norm``: the original offsets of its normalised characters."""

    def __init__(self, index, i):
        self.starts, self.ends = index.starts[i], index.ends[i]


def _free(cut, lo: int, hi: int, ngram: int) -> list:
    """The stretches of normalised characters [lo, hi) that ``cut`` (a mask of them, or
    None) leaves free, those of at least ``ngram`` characters.

    >>> _free(np.array([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], bool), 0, 11, 3)
    [(0, 4), (6, 11)]
    >>> _free(None, 2, 9, 3)
    [(2, 9)]
    """
    if cut is None:
        return [(lo, hi)]
    edge = np.diff(np.r_[0, (~cut[lo:hi]).astype(np.int8), 0])
    return [(lo + int(a), lo + int(b)) for a, b in zip(np.flatnonzero(edge == 1),
                                                       np.flatnonzero(edge == -1))
            if b - a >= ngram]


def _cited_title_cuts(texts, titles, index):
    """cut(x, y): the normalised characters of document x in its citations of document
    y's own title in 《》, as text_reuse blanks them
    (:func:`~bri_text.reuse._passages._citing_masked`), or None when it cites no title of
    y; cached."""
    from ._passages import _cited_titles, _citing_masked

    cites, memo = [_cited_titles(t) for t in texts], {}

    def cut(x, y):
        if (x, y) not in memo:
            seen = _citing_masked(x, y, texts, cites, titles) if cites[x] else None
            memo[x, y] = None if seen is None else \
                (np.array(list(seen)) != np.array(list(texts[x])))[index.starts[x]]
        return memo[x, y]
    return cut


def _shingles_by_date(index, local) -> tuple:
    """(days, key, doc, position) of every shingle occurrence of the ``local`` documents,
    sorted by key = shingle rank * (len(days) + 1) + rank of the document's latest day:
    the occurrences of a shingle in the documents dated before a day come first."""
    days = np.unique(index.high[local])
    doc = np.repeat(local, [len(index.positions[j]) for j in local])
    key = np.searchsorted(index.hashes, np.concatenate([index.positions[j] for j in local])) \
        * (len(days) + 1) + np.searchsorted(days, index.high[doc])
    o = np.argsort(key)
    where = np.concatenate([np.arange(len(index.positions[j])) for j in local])
    return days, key[o], doc[o], where[o]


def _found_before(sub, is_src, index, traced, params) -> pd.DataFrame:
    """Passages at least :data:`_PREEXISTING` alike, of ``min_chars`` or more and not
    formulaic nor citations (as text_reuse tells them), from each dated source into the
    documents dated before it, over the source's text that no passage of ``traced`` into
    such a document holds at that similarity: only to tell the text that was there before
    the source (:attr:`BEFORE_COLUMNS`). ``traced`` aligns a document dated before a source
    near the shingles few of them hold, while set phrasing and stock wording is in many:
    here every shingle the source shares with one is a seed, runs of them on a diagonal
    are joined into stretches covering enough characters (text_reuse's ``min_cover``), and
    the stretches are aligned most covered first, each only while some of its text has no
    passage yet (where one is, a second document holding it would add nothing). As
    text_reuse does, a document's citations of the other's own title in 《》 are no text
    they share: alignment stops at them (a document dated before the source that cites its
    title, 为深入贯彻落实…《国务院关于…的意见》精神, does not make the source's title line
    text that was there before it)."""
    from rapidfuzz.distance import Indel

    from ._passages import _figures_changed, _is_citation, _lexicon_flags, _titles

    ngram, min_chars = params["ngram"], params["min_chars"]
    min_cover = max(ngram + 2, min_chars - math.ceil(0.1 * min_chars) * (ngram - 1))
    share = params["formulaic_share"]
    texts, ids = sub.texts, list(sub.doc_ids)
    at = {d: n for n, d in enumerate(ids)}
    never = np.iinfo(np.int64).max
    local = np.flatnonzero(~is_src)
    dated = [i for i in np.flatnonzero(is_src) if index.low[i] != never
             and (~is_src & (index.high < index.low[i])).any()]
    if not len(local) or not dated:
        return pd.DataFrame(columns=BEFORE_COLUMNS)
    days, key, doc, where = _shingles_by_date(index, local)
    cut = _cited_title_cuts(texts, _titles(sub, None, texts), index)
    traced = traced[traced["similarity"] >= _PREEXISTING]
    rows = []
    for i in dated:
        earlier = ~is_src & (index.high < index.low[i])
        text, src = texts[i], ids[i]
        pos, starts, ends = index.positions[i], index.starts[i], index.ends[i]
        marked = np.zeros(len(text) + 1, bool)
        mine = traced[traced["doc_a"] == src]
        for d, s, e in zip(mine["doc_b"], mine["start_a"], mine["end_a"]):
            if earlier[at[d]]:
                marked[s:e] = True
        todo = np.flatnonzero(~marked[starts[:len(pos)]])
        # the seeds: each shingle of the source's text left over, in every earlier document
        h = np.searchsorted(index.hashes, pos[todo]) * (len(days) + 1)
        lo = np.searchsorted(key, h)
        n = np.searchsorted(key, h + np.searchsorted(days, index.low[i])) - lo
        if not n.sum():
            continue
        rep = np.repeat(np.arange(len(todo)), n)
        idx = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n) + lo[rep]
        segs = np.array(_segments(todo[rep], where[idx], doc[idx], ngram)).T
        segs = segs[segs[:, 5] >= min_cover]
        codes_a, va = index.codes[i], _View(index, i)
        for j, a0, a1, b0, b1, _ in segs[np.argsort(-segs[:, 5], kind="stable")].tolist():
            if marked[int(starts[a0]):int(ends[a1 - 1])].all():
                continue
            codes_b, vb = index.codes[j], _View(index, j)
            stretches = [(xa, xb) for xa in _free(cut(i, j), max(0, a0 - ngram),
                                                   min(len(codes_a), a1 + ngram), ngram)
                         for xb in _free(cut(j, i), max(0, b0 - ngram),
                                         min(len(codes_b), b1 + ngram), ngram)]
            for (ra0, ra1), (rb0, rb1) in stretches:
                ta = codes_a[ra0:ra1].astype("<u4").tobytes().decode("utf-32-le")
                tb = codes_b[rb0:rb1].astype("<u4").tobytes().decode("utf-32-le")
                for u0, u1, v0, v1 in _local_alignments(ta, tb, _PREEXISTING,
                                                        min_len=ngram):
                    x0, x1 = ra0 + u0, ra0 + u1
                    s_a, e_a = _orig_span(text, va, x0, x1)
                    s_b, e_b = _orig_span(texts[j], vb, rb0 + v0, rb0 + v1)
                    if max(e_a - s_a, e_b - s_b) < min_chars or marked[s_a:e_a].all():
                        continue
                    sim = Indel.normalized_similarity(ta[u0:u1], tb[v0:v1])
                    pa, pb = text[s_a:e_a], texts[j][s_b:e_b]
                    lex = _lexicon_flags(text, va, s_a, e_a, x0, max(x0, x1 - ngram + 1))
                    if sim < _PREEXISTING or (len(lex) and lex.sum() >= share * len(lex)) \
                            or _is_citation(pa, pb, min_chars):
                        continue
                    marked[s_a:e_a] = True
                    rows.append((src, ids[j], s_a, e_a, s_b, e_b, pa, pb,
                                 round(float(sim), 4), _figures_changed(pa, pb) > 0))
    return pd.DataFrame(rows, columns=BEFORE_COLUMNS)
