"""Finding shared passages: texts normalised to characters, shingles, candidate pairs
of documents, and the local alignments between them."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd



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
    ``"2015-08"`` the month, a full date itself; unparseable or missing dates are NaT.
    Values are read as the readers read dates (``2022年9月`` a month, ``2022年9月15日``,
    ``20220915``); a string that is no date (``22/9/15``, ``2022-13-45``) is NaT, never a
    guessed day.

    >>> low, high = _date_bounds(["2022年9月", "2022-09-15", "22/9/15", "2015"])
    >>> [str(x)[:10] for x in low], [str(x)[:10] for x in high]
    (['2022-09-01', '2022-09-15', 'NaT', '2015-01-01'], ['2022-09-30', '2022-09-15', 'NaT', '2015-12-31'])
    """
    from .._dates import _iso_value

    raw = pd.Series([_iso_value(v) for v in values], dtype="string")
    year = raw.str.fullmatch(r"\d{4}").fillna(False).to_numpy()
    month = raw.str.fullmatch(r"\d{4}-\d{1,2}").fillna(False).to_numpy()
    low = pd.to_datetime(raw, errors="coerce", format="mixed")
    high = low.copy()
    high[year] = low[year] + pd.offsets.YearEnd(0)
    high[month] = low[month] + pd.offsets.MonthEnd(0)
    return low.to_numpy(), high.to_numpy()


# ---------------------------------------------------------------------- candidate pairs
def _candidate_pairs(norms, is_ref, max_df_count: int, min_shared: int, run: int):
    """(a, b) document pairs, a < b, sharing at least ``min_shared`` shingles that are rare
    (in 2 to ``max_df_count`` documents) or common but in a run (at least ``run``
    consecutive common shingles, in both documents: a stretch of common text, not a common
    word; text_reuse asks for ``min_shared`` in a row), and the sorted hashes of the common shingles (in more than ``max_df_count``
    documents), which flag formulaic passages. Common shingles alone never made a pair
    before 0.5: a passage copied into more than ``max_df_count`` documents was dropped.
    With ``is_ref`` only reference x other pairs. The shared counts are one sparse product
    of the documents x shingles incidence matrix."""
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
    rows, cols = [D[keep]], [column]
    common = uniq[df > max_df_count]
    del H, D, first, shingle, keep, column
    if len(common):                                # runs of common text in each document
        n_rare = int(rare.sum())
        for d, nm in enumerate(norms):
            ids = _common_runs(nm.hashes, common, run)
            rows.append(np.full(len(ids), d))
            cols.append(ids + n_rare)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    X = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                          shape=(n, int(rare.sum()) + len(common)))
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
    return pairs, common


def _common_runs(hashes: np.ndarray, common: np.ndarray, run: int) -> np.ndarray:
    """Distinct ids (positions in the sorted ``common``) of the common shingles of a
    document that lie in a run of at least ``run`` consecutive common shingles."""
    pos = np.minimum(np.searchsorted(common, hashes), len(common) - 1)
    is_common = common[pos] == hashes
    if is_common.sum() < run:
        return np.zeros(0, np.int64)
    edge = np.diff(np.r_[0, is_common.astype(np.int8), 0])
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    long = ends - starts >= run
    if not long.any():
        return np.zeros(0, np.int64)
    inside = np.concatenate([np.arange(s, e) for s, e in zip(starts[long], ends[long])])
    return np.unique(pos[inside]).astype(np.int64)


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
