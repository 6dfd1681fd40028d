"""Horizontal passages of :func:`~bri_text.diffusion` (``Diffusion.horizontal``): text a
jurisdiction shares with another jurisdiction's document that no source covers; and the
helpers the passages traced from the sources use too (date order, covered characters,
text_reuse in parallel)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ._align import _local_alignments, _Norm, _orig_span
from ._diffusion_result import _is_day
from ._passages import (_cited_titles, _citing_masked, _deleted, _figures_changed, _inserted,
                        _is_citation, _lexicon_flags, _one_passage_per_stretch, _reuse_frame, _reuse_kind,
                        _titles, text_reuse)


#: the columns of :attr:`Diffusion.horizontal`
HORIZONTAL_COLUMNS = ["jurisdiction_from", "doc_from", "date_from", "jurisdiction_to",
                      "doc_to", "date_to", "direction", "lag_days", "start_from", "end_from",
                      "start_to", "end_to", "passage_from", "passage_to", "similarity",
                      "chars", "inserted", "deleted"]
#: characters kept on either side of a source shingle in a document traced from it
_NEAR = 20


def _covered(intervals, n: int) -> np.ndarray:
    """Boolean mask of the n characters covered by any (start, end) interval."""
    mask = np.zeros(n, dtype=bool)
    for s, e in intervals:
        mask[s:e] = True
    return mask


def _order(src, doc) -> str:
    """How a document's date stands to the source's: ``later``, ``earlier``, ``order
    unknown`` (overlapping or same day), or ``undated``; each is (low, high) or None."""
    if src is None or doc is None:
        return "undated"
    if doc[0] > src[1]:
        return "later"
    if doc[1] < src[0]:
        return "earlier"
    return "order unknown"


def _run(jobs, params, n_jobs) -> list:
    """:func:`_reuse_job` of each (documents, reference documents, original texts, text
    left out) job, in ``n_jobs`` processes."""
    if n_jobs == 1 or len(jobs) < 2:
        return [_reuse_job(*job, params) for job in jobs]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=min(n_jobs, len(jobs)))(delayed(_reuse_job)(*job, params)
                                                   for job in jobs)


def _reuse_job(docs, reference, originals, left_out, params) -> pd.DataFrame:
    """text_reuse of ``docs`` against ``reference``, whose texts are blanked out in places
    (text far from the shingles that made a pair worth aligning; ``left_out``: doc_id ->
    mask of text no passage may hold, the sources' text for horizontal passages): passages
    are found on them, then each one over blanked text is aligned again on the
    ``originals`` (doc_id -> text), cut at the text left out (:func:`_split_at_blanked`)."""
    found = text_reuse(Corpus(docs), reference=Corpus(reference), best_source=False,
                       date=None, **params)
    masks = _blanked_masks(found, docs, reference, originals, left_out)
    return _split_at_blanked(found, originals, masks, params)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def _blanked_masks(found, docs, reference, originals, left_out) -> dict:
    """(doc_a, doc_b) -> ((blanked, cut) of doc_a, (blanked, cut) of doc_b) for the pairs
    of ``found``: the characters of each original text that were blanked out as the pair
    was aligned (by the caller, or by text_reuse), and those of them no passage may hold
    (``left_out``, and a citation of the other document's title in 《》 that text_reuse
    blanks, :func:`_citing_masked`); None where there are none."""
    ids = list(reference["doc_id"]) + list(docs["doc_id"])
    texts = list(reference["text"]) + list(docs["text"])
    at = {d: i for i, d in enumerate(ids)}
    titles = _titles(Corpus(docs), Corpus(reference), texts)
    cites = [_cited_titles(t) for t in texts]

    def masks(i, j):
        seen = _citing_masked(i, j, texts, cites, titles) if cites[i] else None
        cut = left_out.get(ids[i])
        if seen is not None:
            cited = _codes(seen) != _codes(texts[i])
            cut = cited if cut is None else cut | cited
        seen = texts[i] if seen is None else seen
        orig = originals[ids[i]]
        return (None if seen == orig else _codes(orig) != _codes(seen)), cut
    pairs = set(zip(found["doc_a"], found["doc_b"]))
    return {(a, b): (masks(at[a], at[b]), masks(at[b], at[a])) for a, b in pairs}


def _horizontal(sub, docs, is_src, by, traced, when, date, index, min_shared, params,
                n_jobs):
    """Passages between documents of different jurisdictions that no source passage
    covers (half or more of either side), the earlier document first. Only pairs sharing
    enough shingles that are in no source and in at most a fifth of the documents are
    aligned (source text blanked, and text far from the shingles the pair shares), and each
    passage found is aligned again on the original texts, cut where either side was
    blanked (:func:`_split_at_blanked`): what is reported holds no source text, and its
    similarity is that of the reported text."""
    local = np.flatnonzero(~is_src)
    if len(local) < 2:
        return pd.DataFrame(columns=HORIZONTAL_COLUMNS)
    rare_count = max(3, int(0.2 * len(is_src)))
    partners = _partners(index, is_src, local, docs[by].to_numpy(), rare_count, min_shared,
                         2 * params["min_chars"])
    params = dict(params, max_df=1.0)
    pairs = _align_partners(sub, traced, index, partners, params, n_jobs)
    if len(pairs):      # text in more than a fifth of the documents is formulaic here
        common = [_common_share(index, t, params["ngram"], rare_count)
                  >= params["formulaic_share"] for t in pairs["passage_a"]]
        pairs = pairs[~pairs["formulaic"] & ~np.array(common, dtype=bool)]
    return _horizontal_rows(pairs, docs, by, traced, when, date)


def _key_matrix(index, is_src, local, rare_count) -> tuple:
    """Documents x key shingles (in no source, in at most ``rare_count`` documents) as a
    sparse 0/1 matrix, and the sorted shingles (its columns)."""
    from scipy import sparse

    in_source = np.concatenate([index.unique[i] for i in np.flatnonzero(is_src)])
    keys = [np.setdiff1d(index.rare(i, rare_count), in_source, assume_unique=False)
            for i in local]
    vocab = np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.uint64)
    rows = np.repeat(np.arange(len(local)), [len(k) for k in keys])
    cols = np.searchsorted(vocab, np.concatenate(keys)) if len(vocab) else rows
    X = sparse.csr_matrix((np.ones(len(rows), np.int32), (rows, cols)),
                          shape=(len(local), len(vocab)))
    return X, vocab


def _first_positions(h, vocab) -> tuple:
    """The key shingles of a document (sorted ids into ``vocab``) and where each first is
    (``h``: the document's shingle hashes in text order)."""
    vid = np.searchsorted(vocab, h) if len(vocab) else np.zeros(len(h), np.int64)
    ok = (vid < len(vocab)) & (vocab[np.minimum(vid, len(vocab) - 1)] == h) \
        if len(vocab) else np.zeros(len(h), bool)
    ids_, at = np.unique(vid[ok], return_index=True)
    return ids_, np.flatnonzero(ok)[at]


def _partners(index, is_src, local, juris, rare_count, min_shared, window) -> dict:
    """document -> [(document of another jurisdiction, the key shingles they share)] for
    the pairs whose shared key shingles look like a passage (:func:`_passage_like`)."""
    from scipy import sparse

    X, vocab = _key_matrix(index, is_src, local, rare_count)
    shared = sparse.triu(X @ X.T, k=1).tocoo()
    first = [_first_positions(index.positions[i], vocab) for i in local]
    partners: dict = {}
    for a, b, c in zip(shared.row, shared.col, shared.data):
        if c < min_shared or juris[local[a]] == juris[local[b]]:
            continue
        common = np.intersect1d(X.indices[X.indptr[a]:X.indptr[a + 1]],
                                X.indices[X.indptr[b]:X.indptr[b + 1]], assume_unique=True)
        pa = first[a][1][np.searchsorted(first[a][0], common)]
        pb = first[b][1][np.searchsorted(first[b][0], common)]
        if _passage_like(pa, pb, window, min_shared):
            partners.setdefault(local[a], []).append((local[b], vocab[common]))
    return partners


def _align_partners(sub, traced, index, partners, params, n_jobs) -> pd.DataFrame:
    """text_reuse of each document with its partners, source text blanked out and each
    side only near the shingles the pair shares (the rest is not aligned)."""
    blanked = _without_source_text(sub, traced).docs
    found, originals = [], dict(zip(sub.doc_ids, sub.texts))
    source_text = _source_masks(traced, originals)
    for a, bs in partners.items():
        keys = np.unique(np.concatenate([k for _, k in bs]))
        reference = blanked.iloc[[a]].assign(text=[index.near(a, keys, blanked["text"].iat[a],
                                                              _NEAR)])
        others = blanked.iloc[[b for b, _ in bs]].assign(
            text=[index.near(b, k, blanked["text"].iat[b], _NEAR) for b, k in bs])
        ids = [sub.doc_ids[a]] + [sub.doc_ids[b] for b, _ in bs]
        found.append((others, reference, {d: originals[d] for d in ids},
                      {d: source_text[d] for d in ids if d in source_text}))
    found = _run(found, params, n_jobs)
    return pd.concat(found, ignore_index=True) if found else _reuse_frame([])


def _passage_like(pa, pb, window: int, min_shared: int) -> bool:
    """At least ``min_shared`` shared shingles (first positions ``pa`` in one document,
    ``pb`` in the other) within ``window`` characters of each other on one diagonal band
    of that width: a passage, not set phrases scattered through both documents."""
    if len(pa) < min_shared:
        return False
    diag = pb - pa
    span = int(pa.max()) + window + 1
    for shift in (0, window // 2):
        coord = np.sort((diag + shift) // window * span + pa)
        if (np.searchsorted(coord, coord + window) - np.arange(len(coord))).max() >= min_shared:
            return True
    return False


def _common_share(index, text, ngram, max_count) -> float:
    """Share of a passage's shingles found in more than ``max_count`` documents."""
    h = _Norm(text, ngram).hashes
    if not len(h):
        return 0.0
    pos = np.minimum(np.searchsorted(index.hashes, h), len(index.hashes) - 1)
    df = np.where(index.hashes[pos] == h, index.df[pos], 0)
    return float((df > max_count).mean())


def _source_masks(traced, texts) -> dict:
    """doc_id -> mask of its characters that passages traced from a source cover."""
    spans: dict = {}
    for d, s, e in zip(traced["doc_b"], traced["start_b"], traced["end_b"]):
        spans.setdefault(d, []).append((s, e))
    return {d: _covered(sp, len(texts[d])) for d, sp in spans.items()}


def _free_runs(norm, mask, s: int, e: int, ngram: int) -> list:
    """The stretches (normalised offsets) of original text[s:e] that ``mask`` (text no
    passage may hold) does not cover, those of at least ``ngram`` characters."""
    i0, i1 = int(np.searchsorted(norm.starts, s)), int(np.searchsorted(norm.starts, e))
    free = np.ones(i1 - i0, dtype=bool) if mask is None else ~mask[norm.starts[i0:i1]]
    edge = np.diff(np.r_[0, free.astype(np.int8), 0])
    return [(i0 + a, i0 + b) for a, b in zip(np.flatnonzero(edge == 1),
                                             np.flatnonzero(edge == -1)) if b - a >= ngram]


def _split_at_blanked(pairs, texts, masks, params) -> pd.DataFrame:
    """The passages of ``pairs`` (a text_reuse table found on texts blanked out in places,
    which alignment skips, so a passage could run over them: a source sentence, then a
    local document's insertion far from the source, then the next sentence; 浙江's 浙里办
    clause, two clauses of the source, and its 大综合一体化 clause, against 安徽's two
    clauses around one of the source) with the original ``texts`` (doc_id -> text).
    ``masks``: (doc_a, doc_b) -> ((blanked, cut) of doc_a, (blanked, cut) of doc_b)
    (:func:`_blanked_masks`). A passage over no blanked character is kept as found; the
    others are aligned again on the original texts (:func:`_local_alignments`, which splits
    a stretch less than ``min_similarity`` alike at its largest edit), stretch by stretch
    between the characters to cut at of either side (text no passage may hold): the pieces
    kept are at least ``min_chars`` long and ``min_similarity`` alike as reported,
    ``formulaic`` when the lexicon of set phrasing covers ``formulaic_share`` of them, of
    the ``kind`` text_reuse gives their text.

    >>> import pandas as pd
    >>> src = "推进数据共享。建设一体化政务服务平台，推动跨省通办。"
    >>> doc = "推进数据共享。本省将开展专项督查并通报结果。建设一体化政务服务平台，推动跨省通办。"
    >>> seen = doc[:7] + " " * 15 + doc[22:]          # the insertion was not aligned
    >>> row = dict(doc_a="s", doc_b="d", start_a=0, end_a=len(src), start_b=0, end_b=len(doc),
    ...            passage_a=src, passage_b=seen, similarity=1.0, chars=len(doc),
    ...            formulaic=False, kind="copy", documents=2, figures_changed=False,
    ...            inserted="", deleted="")
    >>> mask = pd.Series(list(doc)) != pd.Series(list(seen))
    >>> out = _split_at_blanked(pd.DataFrame([row]), {"s": src, "d": doc},
    ...                         {("s", "d"): ((None, None), (mask.to_numpy(), None))},
    ...                         dict(ngram=3, min_chars=10, min_similarity=0.8,
    ...                              formulaic_share=0.5))
    >>> out[["start_b", "end_b", "passage_b", "similarity"]].values.tolist()
    [[22, 41, '建设一体化政务服务平台，推动跨省通办。', 1.0]]
    """
    from rapidfuzz.distance import Indel

    ngram, min_chars = params["ngram"], params["min_chars"]
    min_similarity, share = params["min_similarity"], params["formulaic_share"]
    norms: dict = {}

    def norm(d):
        if d not in norms:
            norms[d] = _Norm(texts[d], ngram)
        return norms[d]

    def blanked(n, mask, s, e):
        if mask is None:
            return False
        i0, i1 = np.searchsorted(n.starts, [s, e])
        return bool(mask[n.starts[i0:i1]].any())

    rows = []
    for r in pairs.itertuples(index=False):
        na, nb = norm(r.doc_a), norm(r.doc_b)
        ta, tb = texts[r.doc_a], texts[r.doc_b]
        (seen_a, ma), (seen_b, mb) = masks.get((r.doc_a, r.doc_b), ((None, None),) * 2)
        if not (blanked(na, seen_a, r.start_a, r.end_a) or
                blanked(nb, seen_b, r.start_b, r.end_b)):
            pa, pb = ta[r.start_a:r.end_a], tb[r.start_b:r.end_b]
            same = (pa, pb) == (r.passage_a, r.passage_b)
            rows.append(r._replace(passage_a=pa, passage_b=pb,
                                   inserted=r.inserted if same else _inserted(pa, pb),
                                   deleted=r.deleted if same else _deleted(pa, pb)))
            continue
        found = []
        for x0, x1 in _free_runs(na, ma, r.start_a, r.end_a, ngram):
            for y0, y1 in _free_runs(nb, mb, r.start_b, r.end_b, ngram):
                for a0, a1, b0, b1 in _local_alignments(na.text(x0, x1), nb.text(y0, y1),
                                                        min_similarity, min_len=ngram):
                    s_a, e_a = _orig_span(ta, na, x0 + a0, x0 + a1)
                    s_b, e_b = _orig_span(tb, nb, y0 + b0, y0 + b1)
                    sim = Indel.normalized_similarity(na.text(x0 + a0, x0 + a1),
                                                      nb.text(y0 + b0, y0 + b1))
                    chars = max(e_a - s_a, e_b - s_b)
                    if chars >= min_chars and sim >= min_similarity:
                        found.append((chars, s_a, e_a, s_b, e_b, sim, x0 + a0, x0 + a1))
        for chars, s_a, e_a, s_b, e_b, sim, x0, x1 in _one_passage_per_stretch(found):
            end = max(x0, x1 - ngram + 1)
            phrasing = _lexicon_flags(ta, na, s_a, e_a, x0, end)
            formulaic = bool(end > x0 and phrasing.sum() >= share * (end - x0))
            pa, pb = ta[s_a:e_a], tb[s_b:e_b]
            kind = "formulaic" if formulaic else "citation" if _is_citation(
                pa, pb, min_chars) else _reuse_kind(pa, pb)
            rows.append(r._replace(start_a=s_a, end_a=e_a, start_b=s_b, end_b=e_b,
                                   passage_a=pa, passage_b=pb,
                                   similarity=round(float(sim), 4), chars=int(chars),
                                   formulaic=formulaic, kind=kind,
                                   figures_changed=_figures_changed(pa, pb) > 0,
                                   inserted=_inserted(pa, pb), deleted=_deleted(pa, pb)))
    return pd.DataFrame(rows, columns=pairs.columns).astype(pairs.dtypes.to_dict())


def _without_source_text(sub, traced):
    """The corpus with the characters that source passages cover blanked out (spaces,
    which passage finding ignores; offsets stay those of the original texts): documents
    that adopted the same source are not aligned on what they both took from it."""
    spans: dict = {}
    for d, s, e in zip(traced["doc_b"], traced["start_b"], traced["end_b"]):
        spans.setdefault(d, []).append((s, e))
    texts = []
    for d, t in zip(sub.doc_ids, sub.texts):
        if d in spans:
            chars = np.array(list(t), dtype=object)
            chars[_covered(spans[d], len(t)) & (chars != "\n")] = " "
            t = "".join(chars)
        texts.append(t)
    return Corpus(sub.docs.assign(text=texts))


def _horizontal_rows(pairs, docs, by, traced, when, date) -> pd.DataFrame:
    juris = dict(zip(docs["doc_id"], docs[by]))
    dates = dict(zip(docs["doc_id"], docs[date]))
    from_src: dict = {}
    for d, g in traced.groupby("doc_b"):
        from_src[d] = list(zip(g["start_b"], g["end_b"]))

    def in_source(d, s, e):
        covered = _covered([(max(u, s), min(t, e)) for u, t in from_src.get(d, ())
                            if t > s and u < e], e)[s:e]
        return covered.sum() >= 0.5 * (e - s)

    rows = []
    for r in pairs.itertuples():
        if juris[r.doc_a] == juris[r.doc_b] or in_source(r.doc_a, r.start_a, r.end_a) or \
                in_source(r.doc_b, r.start_b, r.end_b):
            continue
        order = _order(when[r.doc_a], when[r.doc_b])
        a = (r.doc_a, r.start_a, r.end_a, r.passage_a)
        b = (r.doc_b, r.start_b, r.end_b, r.passage_b)
        if order == "earlier":                       # doc_b is the earlier one
            a, b, order = b, a, "later"
        direction = {"later": "earlier→later", "order unknown": "order unknown",
                     "undated": "undated"}[order]
        lag = (when[b[0]][0] - when[a[0]][0]).days if direction == "earlier→later" and \
            _is_day(dates[a[0]]) and _is_day(dates[b[0]]) else pd.NA
        rows.append((juris[a[0]], a[0], dates[a[0]], juris[b[0]], b[0], dates[b[0]],
                     direction, lag, a[1], a[2], b[1], b[2], a[3], b[3], r.similarity,
                     r.chars, _inserted(a[3], b[3]), _deleted(a[3], b[3])))
    out = pd.DataFrame(rows, columns=HORIZONTAL_COLUMNS)
    out["lag_days"] = out["lag_days"].astype("Int64")
    return out.sort_values(["date_from", "doc_from", "doc_to", "start_from"],
                           kind="stable").reset_index(drop=True)
