"""Text reuse: which passages travel from one document to another.

Passages are found on characters (no word segmentation), on a normalised text in which
whitespace, punctuation and symbols are ignored (so dropped or changed punctuation and a
different dash — – - —— make no difference), every run of digits counts as one digit
(changed numbers make no difference) and Latin letters are folded to lower-case half-width.
An offset map leads back to the original text, so every passage is an exact slice of
``corpus.docs.text``.

How (never a quadratic alignment of whole documents):

1. character ``ngram``-shingles of the normalised text, hashed;
2. an inverted index over the shingles that occur in at most ``max_df`` documents picks the
   candidate pairs (formulaic shingles - set phrases, slogans, standard closing lines - are
   common to many documents and do not make pairs look related);
3. inside a candidate pair all shared shingles are seeds; seeds on one diagonal form
   segments, segments are chained allowing gaps of up to ``max_gap`` characters (an
   inserted clause);
4. each chain is aligned locally with :mod:`rapidfuzz` (Levenshtein opcodes on the chain's
   region only) and trimmed to its best-scoring part; a part below ``min_similarity`` (two
   passages bridged by a dissimilar gap) is split at its largest edit and tried again.

Passages made mostly (``formulaic_share``) of shingles found in more than ``max_df``
documents are kept and flagged ``formulaic=True``.

>>> import bri_text as bt
>>> corpus = bt.load_bri_policies()
>>> table = bt.text_reuse(corpus.subset(region="河南"))
>>> table[["doc_a", "doc_b"]].drop_duplicates().values.tolist()
[['bri13', 'bri24']]
"""
from __future__ import annotations

import math
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from .corpus import Corpus
from ._util import check_scalar
from .errors import EmptyDocumentError, MetadataError, ParameterError

__all__ = ["text_reuse", "reuse_summary", "REUSE_COLUMNS", "SUMMARY_COLUMNS"]

#: the columns of :func:`text_reuse`, always in this order
REUSE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "passage_a",
                 "passage_b", "similarity", "chars", "formulaic", "kind"]

#: the columns of :func:`reuse_summary`
SUMMARY_COLUMNS = ["source", "target", "date_source", "date_target", "direction", "passages",
                   "chars_source", "chars_target", "share_source", "share_target", "dated_by"]

_KEEP, _DROP, _DIGIT = 0, 1, 2
_MAX_OCC = 16  # shingles repeated more often inside one document are not used as seeds


# ---------------------------------------------------------------------- normalisation
@lru_cache(maxsize=1)
def _char_tables():
    """Class (keep / drop / digit) and folded code point of every BMP character."""
    cls = np.zeros(0x10000, dtype=np.uint8)
    fold = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        cat = unicodedata.category(chr(cp))
        if cat == "Nd":
            cls[cp] = _DIGIT
        elif cat[0] in "PSZ" or cat in ("Cc", "Cf"):
            cls[cp] = _DROP
    fold[0xFF01:0xFF5F] -= 0xFEE0  # full-width ASCII -> ASCII
    upper = (fold >= ord("A")) & (fold <= ord("Z"))
    fold[upper] += 32
    return cls, fold


class _Norm:
    """A document's normalised code points, the original span of each, and shingle hashes."""

    __slots__ = ("codes", "starts", "ends", "hashes", "_table", "unique", "formulaic")

    def __init__(self, text: str, k: int):
        cls_t, fold_t = _char_tables()
        cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        bmp = cp < 0x10000
        cls = np.zeros(len(cp), dtype=np.uint8)
        cls[bmp] = cls_t[cp[bmp]]
        mapped = cp.copy()
        mapped[bmp] = fold_t[cp[bmp]]
        keep = np.flatnonzero(cls != _DROP)
        isd = cls[keep] == _DIGIT
        code = mapped[keep]
        code[isd] = ord("0")
        first = np.ones(len(keep), dtype=bool)
        first[1:] = ~(isd[1:] & isd[:-1])  # a digit run counts as one digit
        heads = np.flatnonzero(first)
        last = np.empty(len(heads), dtype=np.int64)
        last[:-1] = heads[1:] - 1
        if len(heads):
            last[-1] = len(keep) - 1
        self.codes = code[first]
        self.starts = keep[first].astype(np.int64)
        self.ends = keep[last].astype(np.int64) + 1
        self.hashes = _shingle_hashes(self.codes, k)
        self._table = None
        self.formulaic = None  # per shingle: in more documents than max_df (set later)

    def text(self, a: int, b: int) -> str:
        return self.codes[a:b].astype("<u4").tobytes().decode("utf-32-le")

    def table(self):
        """Shingles sorted by hash: (unique hashes, offsets, counts, positions) of those
        repeated at most _MAX_OCC times (seeds); :attr:`unique` holds every distinct one."""
        if self._table is None:
            order = np.argsort(self.hashes)
            h = self.hashes[order]
            first = np.ones(len(h), dtype=bool)
            first[1:] = h[1:] != h[:-1]
            off = np.flatnonzero(first)
            cnt = np.diff(np.append(off, len(h)))
            self.unique = h[off]
            ok = cnt <= _MAX_OCC
            self._table = (self.unique[ok], off[ok], cnt[ok], order.astype(np.int64))
        return self._table


def _shingle_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    c = codes.astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    mul = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * mul + c[j:j + n]
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return h


def _date_bounds(values) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest day each date can mean: ``"2015"`` is 2015-01-01..2015-12-31,
    ``"2015-08"`` the month, a full date itself; unparseable or missing dates are NaT."""
    raw = pd.Series(values, dtype="string").str.strip()
    year = raw.str.fullmatch(r"\d{4}").fillna(False).to_numpy()
    month = raw.str.fullmatch(r"\d{4}-\d{1,2}").fillna(False).to_numpy()
    low = pd.to_datetime(raw, errors="coerce", format="mixed")
    high = low.copy()
    high[year] = low[year] + pd.offsets.YearEnd(0)
    high[month] = low[month] + pd.offsets.MonthEnd(0)
    return low.to_numpy(), high.to_numpy()


# ---------------------------------------------------------------------- candidate pairs
def _candidate_pairs(norms, is_ref, max_df_count: int, min_shared: int):
    """(a, b) document pairs, a < b, sharing at least ``min_shared`` rare shingles (in 2 to
    ``max_df_count`` documents), and the sorted hashes of the formulaic shingles (in more
    than ``max_df_count`` documents), which flag formulaic passages. With ``is_ref`` only
    reference x other pairs. The shared counts are one sparse product of the documents x
    rare-shingles incidence matrix."""
    from scipy import sparse

    hs = [n.table() and n.unique for n in norms]
    H = np.concatenate(hs) if hs else np.zeros(0, np.uint64)
    D = np.repeat(np.arange(len(norms), dtype=np.int64), [len(h) for h in hs])
    del hs
    order = np.argsort(H)
    H, D = H[order], D[order]
    del order
    first = np.ones(len(H), dtype=bool)
    first[1:] = H[1:] != H[:-1]
    off = np.flatnonzero(first)
    uniq, df = H[off], np.diff(np.append(off, len(H)))
    rare = (df >= 2) & (df <= max_df_count)
    shingle = np.cumsum(first) - 1                 # shingle id of every occurrence
    keep = rare[shingle]
    column = (np.cumsum(rare) - 1)[shingle[keep]]  # ids among the rare shingles
    n = len(norms)
    X = sparse.csr_matrix((np.ones(int(keep.sum()), dtype=np.int32), (D[keep], column)),
                          shape=(n, int(rare.sum())))
    del H, D, first, shingle, keep, column
    if is_ref is None:
        shared = sparse.triu(X @ X.T, k=1).tocoo()
        rows, cols = shared.row, shared.col
    else:
        ref, other = np.flatnonzero(is_ref), np.flatnonzero(~is_ref)
        shared = (X[ref] @ X[other].T).tocoo()
        rows, cols = ref[shared.row], other[shared.col]
    hit = shared.data >= min_shared
    a, b = np.minimum(rows[hit], cols[hit]), np.maximum(rows[hit], cols[hit])
    order = np.lexsort((b, a))
    pairs = list(zip(a[order].tolist(), b[order].tolist()))
    return pairs, uniq[df > max_df_count]


def _pair_seeds(na: _Norm, nb: _Norm):
    ua, oa, ca, pa = na.table()
    ub, ob, cb, pb = nb.table()
    if not len(ua) or not len(ub):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ia = np.minimum(np.searchsorted(ua, ub), len(ua) - 1)  # both sorted and unique
    hit = ua[ia] == ub
    ia, ib = ia[hit], np.flatnonzero(hit)
    if not len(ib):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ca, cb, sa, sb = ca[ia], cb[ib], oa[ia], ob[ib]
    n = ca * cb
    if n.max() == 1:  # the common case: each shared shingle once on each side
        return pa[sa], pb[sb]
    rep = np.repeat(np.arange(len(ib)), n)
    within = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return pa[sa[rep] + within // cb[rep]], pb[sb[rep] + within % cb[rep]]


def _chains(sa, sb, k: int, max_gap: int, min_cover: int = 0):
    """Seeds -> diagonal segments -> chains [a0, a1, b0, b1, covered] (none when all the
    segments together cover fewer than ``min_cover`` characters). Plain Python loops: a
    pair has tens of seeds, too few for numpy's per-call cost to pay (numpy sorts the
    rare pairs with many)."""
    if len(sa) > 48:
        diag = sb - sa
        order = np.lexsort((sa, diag))
        seeds = zip(diag[order].tolist(), sa[order].tolist(), sb[order].tolist())
    else:
        seeds = sorted(zip((sb - sa).tolist(), sa.tolist(), sb.tolist()))
    runs: list = []  # [a0, a1, b0, b1, diagonal, last seed]
    last = None
    for d, a, b in seeds:
        if last is not None and last[4] == d and a - last[5] <= k:
            last[1], last[3], last[5] = a + k, b + k, a
        else:
            last = [a, a + k, b, b + k, d, a]
            runs.append(last)
    if sum(r[1] - r[0] for r in runs) < min_cover:
        return []
    chains, open_ = [], []
    for a0, a1, b0, b1 in sorted((r[0], r[1], r[2], r[3]) for r in runs):
        if open_:  # chains that ended more than max_gap before a0 cannot grow any more
            open_ = [c for c in open_ if a0 - c[1] <= max_gap]
        best, best_gap = None, 0
        for c in open_:
            ga, gb = a0 - c[1], b0 - c[3]
            if -2 * k <= ga and -2 * k <= gb <= max_gap and b0 >= c[2]:
                g = ga if ga > gb else gb
                if best is None or g < best_gap:
                    best, best_gap = c, g
        if best is None:
            c = [a0, a1, b0, b1, a1 - a0]
            chains.append(c)
            open_.append(c)
        else:
            best[4] += a1 - max(a0, best[1])
            best[1] = max(best[1], a1)
            best[3] = max(best[3], b1)
    return chains


def _local_alignments(sa: str, sb: str, min_similarity: float = 0.0, min_len: int = 1):
    """Best-scoring stretches of a global Levenshtein alignment (+1 per equal character,
    -1 per substituted, inserted or deleted one), then the best ones on either side of it:
    a list of (a0, a1, b0, b1). A stretch
    whose Indel similarity is below ``min_similarity`` (two passages bridged by a dissimilar
    gap) is split at its largest edit and each side tried again."""
    from rapidfuzz.distance import Indel, Levenshtein

    ops = list(Levenshtein.opcodes(sa, sb))

    def best(lo, hi):
        top, span, run, first = 0, None, 0, None
        for i in range(lo, hi):
            op = ops[i]
            if op.tag == "equal":
                score = op.src_end - op.src_start
            else:
                score = -max(op.src_end - op.src_start, op.dest_end - op.dest_start)
            if run <= 0:
                if op.tag != "equal":
                    continue
                run, first = 0, i
            run += score
            if op.tag == "equal" and run > top:
                top, span = run, (first, i)
        return span

    out, todo = [], [(0, len(ops), 0)]
    while todo:
        lo, hi, depth = todo.pop()
        span = best(lo, hi)
        if span is None:
            continue
        i0, i1 = span
        a0, a1 = ops[i0].src_start, ops[i1].src_end
        b0, b1 = ops[i0].dest_start, ops[i1].dest_end
        short = max(a1 - a0, b1 - b0) < min_len
        if short or Indel.normalized_similarity(sa[a0:a1], sb[b0:b1]) >= min_similarity:
            if not short:
                out.append((a0, a1, b0, b1))
            if depth < 24:                      # look for others on either side
                todo += [(i1 + 1, hi, depth + 1), (lo, i0, depth + 1)]
            continue
        edits = [i for i in range(i0, i1 + 1) if ops[i].tag != "equal"]
        if not edits or depth >= 24:
            continue
        k = max(edits, key=lambda i: max(ops[i].src_end - ops[i].src_start,
                                         ops[i].dest_end - ops[i].dest_start))
        todo += [(k + 1, hi, depth + 1), (lo, k, depth + 1)]
    return sorted(out)


_OPEN = {"Ps", "Pi"}
_CLOSE = {"Pe", "Pf", "Po"}


def _orig_span(text: str, norm: _Norm, a: int, b: int) -> tuple[int, int]:
    """Original offsets of normalised [a, b), widened over adjacent quotes, brackets and
    sentence punctuation (so a copied sentence keeps its 。 and its 《》)."""
    s, e = int(norm.starts[a]), int(norm.ends[b - 1])
    while s > 0 and unicodedata.category(text[s - 1]) in _OPEN:
        s -= 1
    while e < len(text) and unicodedata.category(text[e]) in _CLOSE:
        e += 1
    return s, e


# ---------------------------------------------------------------------- public API
def _check_params(min_chars, ngram, max_df, max_gap, min_similarity, formulaic_share):
    check_scalar(min_chars, "min_chars", min_val=2)
    check_scalar(ngram, "ngram", min_val=2)
    check_scalar(max_gap, "max_gap", min_val=0)
    if ngram > min_chars:
        raise ParameterError(f"ngram ({ngram}) must not exceed min_chars ({min_chars})")
    check_scalar(max_df, "max_df", "real", min_val=0, include_min=False)
    if isinstance(max_df, (float, np.floating)):
        check_scalar(max_df, "max_df as a share", "real", min_val=0, max_val=1,
                     include_min=False)
    else:
        check_scalar(max_df, "max_df as a document count", min_val=2)
    check_scalar(min_similarity, "min_similarity", "real", min_val=0, max_val=1)
    check_scalar(formulaic_share, "formulaic_share", "real", min_val=0, max_val=1)


#: characters that make a figure: digits, decimal points, percent signs, Chinese numerals
#: and the units statistics paragraphs put after them
_FIGURE_CHARS = frozenset("0123456789０１２３４５６７８９.．%％‰零〇一二三四五六七八九十百千万亿两"
                          "元吨个条家项所人次公里米亩台套辆倍户座批年月日美欧港币")
#: a template pair differs mostly (this share of the differing characters) in figures ...
TEMPLATE_SHARE = 0.5
#: ... in at least this many figures
TEMPLATE_FIGURES = 2
_NUMBER = _NOT_TEXT = None


def _reuse_kind(a: str, b: str) -> str:
    """``"template"`` when two aligned passages differ mostly in figures (digits, numerals,
    units: at least :data:`TEMPLATE_SHARE` of the differing characters) in at least
    :data:`TEMPLATE_FIGURES` figures, else ``"copy"``.

    >>> _reuse_kind("地区生产总值32765亿元，增长7.5%。", "地区生产总值2.15万亿元，增长6.8%。")
    'template'
    >>> _reuse_kind("建设中国—东盟信息港，完善海底光缆。", "建设中国-东盟信息港完善海底光缆")
    'copy'
    >>> _reuse_kind("到2020年，开通国际货运航线30条。", "到2025年，开通国际货运航线30条。")  # one figure
    'copy'
    """
    import re

    from rapidfuzz.distance import Levenshtein

    global _NUMBER, _NOT_TEXT
    if _NUMBER is None:
        # punctuation, symbols and spaces (not percent signs): not part of the wording
        _NOT_TEXT = re.compile(r"[^\w%％‰]|_")
        _NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
                             r"|[零〇一二三四五六七八九十百千两]{2,}")

    a, b = _NOT_TEXT.sub("", a), _NOT_TEXT.sub("", b)
    diff = figures = 0
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        changed = a[op.src_start:op.src_end] + b[op.dest_start:op.dest_end]
        diff += len(changed)
        figures += sum(ch in _FIGURE_CHARS for ch in changed)
    if not diff or figures < TEMPLATE_SHARE * diff:
        return "copy"
    na, nb = Counter(_NUMBER.findall(a)), Counter(_NUMBER.findall(b))
    changed = max(sum((na - nb).values()), sum((nb - na).values()))  # figures replaced
    return "template" if changed >= TEMPLATE_FIGURES else "copy"


@lru_cache(maxsize=1)
def _formulaic_patterns():
    import re

    from ._lexicons import load_formulaic

    return tuple(re.compile(p) for p in load_formulaic()["pattern"])


def _lexicon_flags(text: str, norm: _Norm, s: int, e: int, x0: int, x1: int) -> np.ndarray:
    """Per normalised position x0..x1-1 of a passage (original text[s:e]): inside a match of
    the formulaic lexicon (matched on the passage only: a few hundred characters, not the
    whole document)."""
    flags = np.zeros(max(0, x1 - x0), dtype=bool)
    part = text[s:e]
    for pat in _formulaic_patterns():
        for m in pat.finditer(part):
            a = int(np.searchsorted(norm.starts, s + m.start())) - x0
            b = int(np.searchsorted(norm.starts, s + m.end())) - x0
            flags[max(a, 0):max(b, 0)] = True
    return flags


def _documents(corpus, reference):
    """(ids, texts, is_ref) to compare; is_ref is None when every pair is compared."""
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"corpus must be a bri_text Corpus, got {type(corpus).__name__}")
    if isinstance(reference, Corpus):
        overlap = sorted(set(reference.doc_ids) & set(corpus.doc_ids))
        if overlap:
            raise MetadataError(f"reference and corpus share doc_id(s) {overlap[:5]}; give "
                                "the reference documents distinct ids")
        if len(reference) == 0:
            raise MetadataError("reference is an empty Corpus; nothing to trace")
        is_ref = np.r_[np.ones(len(reference), bool), np.zeros(len(corpus), bool)]
        return reference.doc_ids + corpus.doc_ids, reference.texts + corpus.texts, is_ref
    if reference is not None:
        from ._util import condition_mask

        is_ref = condition_mask(corpus.docs, reference, "reference")
        if not is_ref.any():
            raise MetadataError(f"reference={reference!r} matches no document of the corpus")
        if is_ref.all():
            raise MetadataError(f"reference={reference!r} matches every document; nothing is "
                                "left to trace passages into")
        return corpus.doc_ids, corpus.texts, is_ref
    if len(corpus.doc_ids) < 2:
        raise ParameterError(f"text_reuse needs at least 2 documents, the corpus has "
                             f"{len(corpus.doc_ids)}; pass reference= to compare with other texts")
    return corpus.doc_ids, corpus.texts, None


def _source_dates(corpus, reference, is_ref, date):
    """:func:`_date_bounds` of the ``date`` column when tracing from a reference, else None."""
    if is_ref is None or date is None:
        return None
    meta = pd.concat([reference.docs, corpus.docs], ignore_index=True) \
        if isinstance(reference, Corpus) else corpus.docs
    return _date_bounds(meta[date]) if date in meta.columns else None


def _check_texts(ids, texts, is_ref) -> None:
    if is_ref is not None and len(ids) - int(is_ref.sum()) == 0:
        raise ParameterError("corpus has no document to trace the reference passages into")
    empty = [i for i, t in zip(ids, texts) if not t.strip()]
    if empty:
        raise EmptyDocumentError(f"document(s) with no text: {empty[:5]}; drop them first, "
                                 "e.g. corpus.subset(corpus.docs['text'].str.strip() != '')")


def _orient_pairs(pairs, is_ref, when):
    """Pairs reference first, none with the source dated after its target; and how many went."""
    if is_ref is None:
        return pairs, 0
    pairs = sorted((a, b) if is_ref[a] else (b, a) for a, b in pairs)
    if when is None:
        return pairs, 0
    low, high = when  # later only when it cannot be the same day or earlier
    kept = [(a, b) for a, b in pairs
            if pd.isna(low[a]) or pd.isna(high[b]) or not low[a] > high[b]]
    return kept, len(pairs) - len(kept)


def _pair_passages(na, nb, ta: str, tb: str, ngram, max_gap, min_cover, min_chars,
                   min_similarity) -> list:
    """(chars, s_a, e_a, s_b, e_b, similarity, x0, x1) of the aligned passages of one
    pair: chains of shared shingles, aligned locally, long and similar enough."""
    from rapidfuzz.distance import Indel

    sa, sb = _pair_seeds(na, nb)
    if len(sa) + ngram < min_cover:  # too few shared shingles for any passage
        return []
    found = []
    for a0, a1, b0, b1, cover in _chains(sa, sb, ngram, max_gap, min_cover):
        if cover < min_cover:
            continue
        ra0, rb0 = max(0, a0 - ngram), max(0, b0 - ngram)
        ra1, rb1 = min(len(na.codes), a1 + ngram), min(len(nb.codes), b1 + ngram)
        for span in _local_alignments(na.text(ra0, ra1), nb.text(rb0, rb1),
                                      min_similarity, min_len=ngram):
            x0, x1, y0, y1 = ra0 + span[0], ra0 + span[1], rb0 + span[2], rb0 + span[3]
            s_a, e_a = _orig_span(ta, na, x0, x1)
            s_b, e_b = _orig_span(tb, nb, y0, y1)
            chars = max(e_a - s_a, e_b - s_b)
            if chars < min_chars:
                continue
            sim = Indel.normalized_similarity(na.text(x0, x1), nb.text(y0, y1))
            if sim < min_similarity:
                continue
            found.append((chars, s_a, e_a, s_b, e_b, sim, x0, x1))
    return found


def _one_passage_per_stretch(found: list) -> list:
    """Each stretch of doc_b explained once (by the longest, most similar, earliest
    passage of doc_a): a passage repeated in doc_a does not multiply rows."""
    kept = []
    for f in sorted(found, key=lambda f: (-f[0], -f[5], f[1], f[3])):
        if any(min(f[4], g[4]) - max(f[3], g[3]) > 0.5 * (f[4] - f[3]) for g in kept):
            continue
        kept.append(f)
    return kept


def _is_formulaic(na, ta: str, s_a, e_a, x0, x1, ngram, formulaic_hashes, formulaic_share):
    """At least ``formulaic_share`` of the passage's shingles are formulaic (common to many
    documents, or in the lexicon of set phrasing)."""
    if na.formulaic is None:
        na.formulaic = np.isin(na.hashes, formulaic_hashes)
    end = max(x0, x1 - ngram + 1)
    flags = na.formulaic[x0:end]
    if len(flags) and flags.sum() < formulaic_share * len(flags):
        flags = flags | _lexicon_flags(ta, na, s_a, e_a, x0, end)
    share = int(flags.sum()) / len(flags) if len(flags) else 0.0
    return share >= formulaic_share


def _reuse_frame(rows: list) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=REUSE_COLUMNS[:-1] + ["_a", "_b", "kind"])
    out = out.sort_values(["_a", "_b", "start_a", "start_b"], kind="stable")
    out = out[REUSE_COLUMNS].reset_index(drop=True)
    return out.astype({"start_a": "int64", "end_a": "int64", "start_b": "int64",
                       "end_b": "int64", "chars": "int64", "similarity": "float64",
                       "formulaic": "bool"})


def text_reuse(corpus: Corpus, reference=None, *, min_chars: int = 30, ngram: int = 5,
               max_df=0.2, max_gap: int = 40, min_similarity: float = 0.8,
               formulaic_share: float = 0.5, best_source: bool = True,
               date: str | None = "date", progress=None) -> pd.DataFrame:
    """Passages shared between documents, one row per aligned passage.

    ``reference=None`` compares every pair of documents of ``corpus`` (``doc_a`` comes
    first in the corpus). ``reference`` as a Corpus, or a condition selecting documents of
    ``corpus`` (``{"level": "national"}`` or a boolean mask), traces passages from the
    reference documents (``doc_a``) into each other document (``doc_b``).

    Parameters: ``min_chars`` - shortest passage reported (characters, the longer of the two
    sides); ``ngram`` - shingle length in normalised characters; ``max_df`` - shingles in
    more than this many documents (a float: this share of the documents, at least 3) are
    formulaic: not used to pick candidate pairs; ``max_gap`` - longest insertion bridged
    inside a passage (normalised characters); ``min_similarity`` - the least similarity
    kept; ``formulaic_share`` - passages at least this share of which is formulaic (shingles
    in more than ``max_df`` documents, or a match of the curated lexicon of set political
    phrasing, agency lists and closing lines, ``bri_text/lexicons/formulaic.tsv``: document
    frequency alone cannot tell boilerplate in a handful of documents) are flagged
    ``formulaic=True``; ``date`` - with ``reference``, the metadata column of the documents'
    dates: a reference document dated after the document it would be the source of is
    never reported as its source (None: dates ignored); ``best_source`` - with
    ``reference``, attribute each stretch
    of a document to one source only, the most similar (then longest, then earliest in the
    reference) of the reference passages that cover at least half of it; ``False`` lists
    every reference document that holds the passage.

    Columns: see :data:`REUSE_COLUMNS`. ``kind`` tells apart ``"copy"`` (the same wording),
    ``"template"`` (the same sentence frame with different figures: at least half of the
    difference is digits, numerals and units, in two figures or more; see
    :func:`_reuse_kind`) and ``"formulaic"`` (set phrasing, as ``formulaic``).
    ``text[start_a:end_a] == passage_a``;
    ``similarity`` is the normalised Indel similarity (0-1) of the two passages with
    punctuation, whitespace and digit values ignored; ``chars`` the longer passage's length.
    Rows are ordered by document pair (corpus order), then ``start_a``. Parameters, the
    number of candidate pairs and the formulaic threshold are in ``df.attrs``.

    Raises ParameterError for fewer than two documents to compare, MetadataError when
    ``reference`` selects nothing (or everything), EmptyDocumentError for empty texts.

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> t = bt.text_reuse(corpus.subset(region="陕西"), min_chars=20)   # Xi'an, Shaanxi 2016
    >>> row = t.sort_values(["chars", "start_a"]).iloc[-1]
    >>> row.doc_a, row.doc_b, row.passage_b
    ('bri21', 'bri27', '打造以“汉风古韵”为主题的丝绸之路历史文化旅游区。')
    >>> corpus.docs.text[20][row.start_a:row.end_a] == row.passage_a
    True
    """
    _check_params(min_chars, ngram, max_df, max_gap, min_similarity, formulaic_share)
    ids, texts, is_ref = _documents(corpus, reference)
    when = _source_dates(corpus, reference, is_ref, date)
    _check_texts(ids, texts, is_ref)

    n = len(ids)
    max_df_count = int(max_df) if isinstance(max_df, (int, np.integer)) else \
        max(3, int(math.floor(max_df * n)))
    max_df_count = max(2, min(max_df_count, n))
    norms = [_Norm(t, ngram) for t in texts]
    # a passage of min_chars characters with up to 10% of them edited (each edit breaks at
    # most ngram shingles) still shares this many shingles
    min_shared = max(3, (min_chars - ngram + 1) - ngram * math.ceil(0.1 * min_chars))
    pairs, formulaic_hashes = _candidate_pairs(norms, is_ref, max_df_count, min_shared)
    pairs, later = _orient_pairs(pairs, is_ref, when)
    # ... and its shared shingles cover at least this many of its characters
    min_cover = max(ngram + 2, min_chars - math.ceil(0.1 * min_chars) * (ngram - 1))

    from ._util import progress_bar

    rows = []
    for a, b in progress_bar(pairs, total=len(pairs), desc="text_reuse", progress=progress):
        found = _pair_passages(norms[a], norms[b], texts[a], texts[b], ngram, max_gap,
                               min_cover, min_chars, min_similarity)
        for chars, s_a, e_a, s_b, e_b, sim, x0, x1 in _one_passage_per_stretch(found):
            pa, pb = texts[a][s_a:e_a], texts[b][s_b:e_b]
            formulaic = _is_formulaic(norms[a], texts[a], s_a, e_a, x0, x1, ngram,
                                      formulaic_hashes, formulaic_share)
            rows.append((ids[a], ids[b], s_a, e_a, s_b, e_b, pa, pb, round(float(sim), 4),
                         int(chars), formulaic, a, b,
                         "formulaic" if formulaic else _reuse_kind(pa, pb)))
    if is_ref is not None and best_source:
        rows = _one_source_per_stretch(rows)
    out = _reuse_frame(rows)
    out.attrs.update({
        "min_chars": min_chars, "ngram": ngram, "max_df": max_df,
        "max_df_documents": max_df_count, "max_gap": max_gap,
        "min_similarity": min_similarity, "formulaic_share": formulaic_share,
        "best_source": bool(best_source) if is_ref is not None else None,
        "reference": None if reference is None else (
            "Corpus" if isinstance(reference, Corpus) else repr(reference)),
        "n_documents": n, "candidate_pairs": len(pairs),
        "date": date if when is not None else None, "later_sources_skipped": later,
    })
    return out


def _one_source_per_stretch(rows: list) -> list:
    """Rows whose ``doc_b`` stretch no better row (more similar, then longer, then earlier
    source) already covers by half or more: each traced passage names one source."""
    kept: dict = {}
    for r in sorted(rows, key=lambda r: (-r[8], -r[9], r[11], r[2])):
        same_b = kept.setdefault(r[12], [])
        s, e = r[4], r[5]
        if any(min(e, k[5]) - max(s, k[4]) >= 0.5 * (e - s) for k in same_b):
            continue
        same_b.append(r)
    return [r for rs in kept.values() for r in rs]


def _union_length(intervals) -> int:
    total, end = 0, -1
    for s, e in sorted(intervals):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def _dated(meta: pd.DataFrame, dated_by) -> dict:
    """doc_id -> (earliest day, latest day, date as written), None where undated."""
    if dated_by is None:
        return {}
    low, high = _date_bounds(meta[dated_by])
    return {d: (None if pd.isna(lo) else (lo, hi, str(raw)))
            for d, lo, hi, raw in zip(meta["doc_id"], low, high, meta[dated_by])}


def _direction(da, db, traced: bool) -> tuple[str, bool]:
    """The direction of a pair from its documents' dates, and whether b is the source."""
    if da is None or db is None:
        return "undated", False
    if da[0] == db[0] and da[1] == db[1] == da[0]:
        return "same date", False
    if not (da[1] < db[0] or db[1] < da[0]):  # a year-only date overlaps the other
        return "order unknown", False
    if traced:
        return ("earlier→later" if da[1] < db[0] else "later→earlier"), False
    return "earlier→later", db[1] < da[0]


def reuse_summary(table: pd.DataFrame, corpus: Corpus, reference: Corpus | None = None, *,
                  formulaic: bool = False, date: str | None = "date") -> pd.DataFrame:
    """Per document pair, the share of each document's characters found in the other.

    Shares are the union of the passages' intervals divided by the document's length
    (overlapping passages are not counted twice). Pairs are put in order of the metadata
    column ``date`` (named in the column ``dated_by``): ``source`` is the earlier document,
    ``target`` the later (``direction`` ``"earlier→later"``); with equal or missing dates
    ``source`` is ``doc_a`` (``direction`` ``"same date"`` / ``"undated"``, or ``"order
    unknown"`` when a year-only date such as ``"2015"`` overlaps the other). The order of
    dates is a hypothesis about direction, not evidence of copying; know what the dates are
    (a web page's date is when it was posted, not when the document was issued). A table
    made with ``reference=`` keeps the reference document as ``source`` (text_reuse never
    names a source dated after its target). Formulaic passages are left out unless
    ``formulaic=True``. Pass the ``reference`` Corpus when the table was made with one.
    Sorted by ``share_target``, largest first.

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> s = bt.reuse_summary(bt.text_reuse(corpus.subset(region="陕西"), min_chars=20), corpus)
    >>> s[["source", "target", "direction", "dated_by"]].values.tolist()
    [['bri27', 'bri21', 'earlier→later', 'date']]
    """
    missing = [c for c in REUSE_COLUMNS if c not in getattr(table, "columns", [])]
    if not isinstance(table, pd.DataFrame) or missing:
        raise MetadataError(f"table must be the DataFrame text_reuse returned; missing "
                            f"columns {missing}")
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"corpus must be a bri_text Corpus, got {type(corpus).__name__}")
    meta = corpus.docs
    if reference is not None:
        meta = pd.concat([reference.docs, meta], ignore_index=True)
    lengths = dict(zip(meta["doc_id"], meta["text"].str.len()))
    dated_by = date if date is not None and date in meta.columns else None
    dates = _dated(meta, dated_by)
    unknown = sorted((set(table["doc_a"]) | set(table["doc_b"])) - set(lengths))
    if unknown:
        raise MetadataError(f"table names document(s) not in corpus: {unknown[:5]}; pass the "
                            "corpus (and reference=) the table was made from")
    traced = table.attrs.get("reference") is not None
    t = table if formulaic else table[~table["formulaic"].astype(bool)]
    rows = []
    for (a, b), g in t.groupby(["doc_a", "doc_b"], sort=True):
        ca = _union_length(zip(g["start_a"], g["end_a"]))
        cb = _union_length(zip(g["start_b"], g["end_b"]))
        da, db = dates.get(a), dates.get(b)
        direction, swap = _direction(da, db, traced)
        da, db = (None if x is None else x[2] for x in (da, db))
        src, tgt, cs, ct, ds, dt = (b, a, cb, ca, db, da) if swap else (a, b, ca, cb, da, db)
        rows.append((src, tgt, ds, dt, direction, len(g), cs, ct,
                     cs / max(1, lengths[src]), ct / max(1, lengths[tgt]), dated_by or ""))
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out = out.sort_values(["share_target", "source", "target"], ascending=[False, True, True],
                          kind="stable").reset_index(drop=True)
    out.attrs["formulaic_included"] = formulaic
    out.attrs["date"] = dated_by
    return out
