"""Policy diffusion (:func:`diffusion`): which jurisdictions adopted which source document,
when, and with what lag; built on the passages of :func:`~bri_text.text_reuse`.

A jurisdiction *adopts* a source document when one of its documents, dated after the
source, carries a share of the source's own characters (those not already in an earlier
document) of at least ``threshold`` in non-formulaic passages (set phrases and boilerplate common to many documents never make an
adoption). The same rule, on the characters of each clause, says which clauses travelled.
Dates decide direction only when they can: a year-only date overlapping the other, or the
same day, is ``"order unknown"`` (never a guessed direction); a document dated before the
source cannot have adopted it (``"earlier"``: perhaps the source borrowed from it).
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from ..corpus import Corpus
from .._dates import _year_gaps, _years_as_dates as _year_dates
from .._grouping import _warn_same_places, condition_mask
from .._util import check_column, check_n_jobs, check_scalar
from ..errors import MetadataError, ParameterError
from ._align import _date_bounds, _Norm
from ._diffusion_horizontal import (_NEAR, HORIZONTAL_COLUMNS, _covered, _horizontal,  # noqa: F401
                                    _order, _run)
from ._diffusion_before import _PREEXISTING, _found_before
from ._diffusion_result import Diffusion, _is_day
from ._passages import (INSERTED_SEP, _figures_changed, _insertions, _reuse_frame,
                        text_reuse)

#: the columns of :attr:`Diffusion.adoptions`
ADOPTION_COLUMNS = ["source", "source_date", "jurisdiction", "status", "doc_id", "date",
                    "lag_days", "share", "clauses", "n_clauses", "candidates", "n_documents",
                    "reason"]
#: the columns of :attr:`Diffusion.clauses`
CLAUSE_COLUMNS = ["source", "clause", "clause_start", "clause_end", "clause_text",
                  "jurisdiction", "status", "doc_id", "date", "lag_days", "share", "substance",
                  "inserted", "deleted"]
#: what a jurisdiction's status can be, from the strongest evidence of adoption down
STATUSES = ["adopted", "order unknown", "undated", "earlier", "not adopted"]


# ---------------------------------------------------------------------- helpers
def _clause_bounds(text: str, title=None) -> tuple[list[tuple[int, int]], list[bool]]:
    """(start, end) of the source's clauses (:func:`bri_text._clauses.clause_spans`: numbered
    clauses, else paragraphs or sentences), and whether each is of substance: not a heading
    (``二、重点任务``, marked by the clause splitter) and not the document's title line (its
    ``title`` metadata). Only clauses of substance can make a document carry the source and
    are counted (``clauses``, ``n_clauses``): every plan has a ``一、总体要求``.

    >>> _clause_bounds("关于甲的意见\\n一、总体要求\\n（一）推进甲。做好乙。\\n（二）加强丙。", "关于甲的意见")[1]
    [False, False, True, True]
    """
    from .._clauses import clause_spans

    spans = clause_spans(text)
    title = "" if title is None or (not isinstance(title, str)) else title.strip()
    bounds = [(s, e) for s, e, _ in spans]
    substance = [not info["is_heading"] and not (title and text[s:e].strip() == title)
                 for s, e, info in spans]
    return bounds, substance


def _status(cands: list) -> tuple:
    """(status, doc index) of one jurisdiction from its candidate documents, each
    (order, low date, position): the first later document adopts; failing that the
    strongest remaining evidence (:data:`STATUSES`) is reported."""
    if not cands:
        return "not adopted", None
    rank = {"later": 0, "order unknown": 1, "undated": 2, "earlier": 3}
    best = min(cands, key=lambda c: (rank[c[0]], pd.Timestamp.max if c[1] is None else c[1],
                                     c[2]))
    return ("adopted" if best[0] == "later" else best[0]), best[2]


def _select_sources(docs: pd.DataFrame, source) -> np.ndarray:
    if isinstance(source, (list, tuple)) and source and all(isinstance(s, str)
                                                            for s in source):
        unknown = [s for s in source if s not in set(docs["doc_id"])]
        if unknown:
            raise MetadataError(f"source: doc_id(s) {unknown[:5]} not in the corpus")
        mask = docs["doc_id"].isin(source).to_numpy()
    else:
        mask = condition_mask(docs, source, "source")
    if not mask.any():
        raise MetadataError(f"source={source!r} matches no document of the corpus")
    return mask


def _source_record(source):
    """``source`` as ``attrs["source"]`` records it: a list of doc_ids, or the condition (a
    dict, the default ``{"level": "national"}``, a string; other conditions by their repr).

    >>> _source_record(("bri14",)), _source_record(None)
    (['bri14'], {'level': 'national'})
    """
    if source is None:
        return {"level": "national"}
    if isinstance(source, dict):
        return dict(source)
    if isinstance(source, (list, tuple)) and all(isinstance(s, str) for s in source):
        return list(source)
    return source if isinstance(source, str) else repr(source)


# ---------------------------------------------------------------------- public API
def diffusion(corpus: Corpus, source=None, *, by: str = "region", threshold: float = 0.05,
              clause_threshold: float = 0.5, date: str = "date",
              min_chars: int = 30, ngram: int = 5, max_df=1.0, min_similarity: float = 0.8,
              formulaic_share: float = 0.5, n_jobs: int = 1) -> Diffusion:
    """Which jurisdictions adopted each source document, when, and which of its clauses.

    ``source`` selects the source documents: a metadata condition (``{"level":
    "national"}``, the default; any column) or a list of doc_ids. The other documents with
    a value in the ``by`` column are the jurisdictions' documents (documents with none are
    left out, counted in ``attrs``); a source's own jurisdiction is not counted for it.
    Jurisdictions are the ``by`` labels as written: two naming one place (浙江, 浙江省) are
    two jurisdictions, named in a warning (README, "One place written two ways").
    Passages come from :func:`~bri_text.text_reuse` traced from the sources
    (``reference=``; ``min_chars``, ``ngram``, ``min_similarity``, ``formulaic_share`` as
    there; ``max_df`` 1.0: frequent text is not dropped, since a widely adopted source is
    by definition in many documents, and formulaic passages are the lexicon's set phrasing);
    a document is aligned only near the source's text, and a passage found over text left
    out there is aligned again on the whole texts: each holds only text that aligns.

    A document *carries* a source when its passages of evidence cover at least
    ``threshold`` of the source's own characters and at least one whole clause of it (a clause
    is carried when they cover ``clause_threshold`` of the clause's characters): a few
    sentences scattered through a plan are not an adopted plan. Passages of evidence are
    those :func:`~bri_text.text_reuse` labels neither ``formulaic`` (set phrasing) nor
    ``citation`` (text shared because both documents cite a third one by its title in
    《》: two provincial plans naming the national 《愿景与行动》 have not adopted each
    other); a document citing the source itself by its title in 《》 cites it (the title is
    blanked out before alignment, so the source's title line and preamble around it are
    not carried). Text the source shares near-verbatim with a document dated before it was
    there before the source (set phrasing, or borrowed) and does not count, however many
    later documents copy it, and however many earlier ones hold it; its share is
    ``sources["preexisting"]`` (near-verbatim: a passage at least 0.9 alike, or its
    stretches of ``min_chars`` or more that are, when the earlier document has words of
    its own inside it). A sentence of it
    whose figures the source changed (80% made 90%) stays text that was there before (its
    words are the earlier document's, out of ``share``), but its figures tell which version
    a later document took: one stating the source's figures took the sentence from the
    source, and it counts towards the clauses that document carries (a sentence with the
    earlier figures does not). ``adoptions["share"]`` is a share of the source's *own*
    characters, the others: a document carrying all the source wrote itself carries 1.0
    however much of it was earlier text (of all the source's characters it carries
    ``share * (1 - preexisting)``). A jurisdiction's status for a source (:data:`STATUSES`): ``"adopted"`` -
    a carrying document dated after the source (the first of them is the adoption: its
    ``doc_id``, ``date`` and ``lag_days``, exact days only); ``"order unknown"`` - the
    carrying document's date overlaps the source's (same day, or a year-only date);
    ``"undated"``; ``"earlier"`` - it carries the text but is dated before the source (it
    cannot have adopted it; perhaps the source borrowed from it); ``"not adopted"``.
    Clauses are those of ``corpus.reshape("clause")`` (numbered clauses, else paragraphs);
    ``clauses["inserted"]`` shows the words the row's document inserted inside the clause
    it took (推动…合作 made 推动广西面向东盟的…合作: runs of at least 4 characters the
    source has not, joined by " | "; text_reuse's ``inserted``, and the words between two
    passages of it the insertion split), "" when none; ``clauses["deleted"]`` the converse,
    the clause's words that document left out of the text it took (推动面向东盟的…合作 made
    推动…合作 shows 面向东盟的; text_reuse's ``deleted``, by the same rules).
    ``n_jobs`` processes align the sources (and the horizontal pairs) in parallel.
    ``Diffusion.horizontal`` lists the passages a jurisdiction shares with an earlier
    document of another jurisdiction that no source covers (found when first read); its
    ``inserted``: the words the later document (``doc_to``) inserted inside the passage,
    ``deleted``: the earlier document's words it left out there.

    ``adoptions["reason"]`` says in words why each jurisdiction has its status (the share
    and clauses its document carrying the most of the source carries, against the
    thresholds).

    The tables' ``attrs`` record the parameters (``source``, ``by``, ``date``, the
    thresholds and the alignment's), the counts of documents, ``end`` and
    ``corpus_fingerprint`` (``corpus.fingerprint`` of the corpus passed, as a manifest and
    :func:`~bri_text.text_reuse` record it); :meth:`Diffusion.durations` and
    :meth:`Diffusion.panel` carry them on. The fingerprint covers ids and texts: the dates
    and the ``by`` column that decide the statuses are metadata, outside it.

    Returns a :class:`Diffusion` (tables ``sources``, ``adoptions``, ``clauses``,
    ``horizontal``; ``panel()`` and ``durations()`` for event-history models). Raises
    MetadataError when ``by`` or ``date`` is no column, no document has a date, or
    ``source`` matches nothing; ParameterError when fewer than two jurisdictions remain.
    Warns when a source repeats another source (:meth:`Corpus.duplicates`: a reissue or a
    reprint would be counted as two sources, each adopter twice).

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> r = bt.diffusion(corpus, source=["bri14"], threshold=0.005)   # Jiangxi, 2015
    >>> int((r.adoptions["status"] == "adopted").sum())
    0
    >>> row = r.adoptions.set_index("jurisdiction").loc["河南"]   # Henan's plan, 2016
    >>> row.status, bool(row.share >= 0.005), int(row.clauses)
    ('not adopted', True, 0)
    >>> row.reason.split(": ")[1][:17]                  # phrases, no clause carried whole
    'no clause carried'
    """
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"corpus must be a bri_text Corpus, got {type(corpus).__name__}")
    n_jobs = check_n_jobs(n_jobs)
    check_scalar(threshold, "threshold", "real", min_val=0, max_val=1, include_min=False)
    check_scalar(clause_threshold, "clause_threshold", "real", min_val=0, max_val=1,
                 include_min=False)
    docs = corpus.docs.reset_index(drop=True)
    check_column(docs, by, "by")
    check_column(docs, date, "date")
    docs = _years_as_dates(docs, date)
    low, high = _date_bounds(docs[date])
    given = docs[date].notna().to_numpy() & (docs[date].astype(str).str.strip() != "").to_numpy()
    unread = given & pd.isna(low)
    if unread.any():
        named = [f"{d}: {v!r}" for d, v in zip(docs.loc[unread, "doc_id"],
                                               docs.loc[unread, date])]
        warnings.warn(f"date={date!r}: {len(named)} document(s) have a value that is no date "
                      f"({'; '.join(named[:5])}{' ...' if len(named) > 5 else ''}); they "
                      "are treated as undated. Write dates as 2022-09-15, 2022-09, 2022 "
                      "or 2022年9月15日", stacklevel=2)
    if pd.isna(low).all():
        raise MetadataError(f"date={date!r}: no document has a date (the column holds "
                            f"{docs[date].head(3).tolist()}...); diffusion needs dates")
    is_src = _select_sources(docs, source if source is not None else {"level": "national"})
    has_j = docs[by].notna().to_numpy() & (docs[by].astype(str).str.strip() != "").to_numpy()
    is_local = ~is_src & has_j
    jurisdictions = list(dict.fromkeys(docs.loc[is_local, by]))
    named = docs.loc[has_j, by].value_counts(sort=False)    # sources' jurisdictions too
    _warn_same_places(named.index.tolist(), named.tolist(), by, "diffusion")
    if len(jurisdictions) < 2:
        raise ParameterError(f"by={by!r}: diffusion compares jurisdictions, but the "
                             f"documents besides the sources are in {len(jurisdictions)} "
                             f"({jurisdictions}); choose another by= or source=")
    keep = is_src | is_local
    sub = corpus.subset(keep) if not keep.all() else corpus
    _warn_repeated_sources(corpus, is_src)
    sub_docs = docs[keep].reset_index(drop=True)
    when = {d: (None if pd.isna(lo) else (pd.Timestamp(lo), pd.Timestamp(hi)))
            for d, lo, hi in zip(docs["doc_id"], low, high)}

    params = dict(min_chars=min_chars, ngram=ngram, max_df=max_df,
                  min_similarity=min_similarity, formulaic_share=formulaic_share)
    src_k = is_src[keep]
    index = _ShingleIndex(sub.texts, ngram, low[keep], high[keep])
    min_shared = max(3, (min_chars - ngram + 1) - ngram * math.ceil(0.1 * min_chars))
    traced = _traced(sub, src_k, index, min_shared, params, n_jobs)
    found_before = _found_before(sub, src_k, index, traced, params)
    between = text_reuse(sub.subset(src_k), date=None, **params) \
        if src_k.sum() > 1 else traced.iloc[:0]
    between = between[_evidence(between)]
    adoptions, clauses, sources = _adoptions(sub_docs, src_k, by, traced, between,
                                             when, date, threshold, clause_threshold,
                                             min_chars, found_before)

    def horizontal():
        return _horizontal(sub, sub_docs, src_k, by, traced, when, date, index, min_shared,
                           params, n_jobs)
    end = pd.Timestamp(np.nanmax(high[keep]))
    attrs = {"source": _source_record(source), "by": by, "date": date,
             "threshold": threshold, "clause_threshold": clause_threshold, **params,
             "n_sources": int(is_src.sum()), "n_documents": int(is_local.sum()),
             "undated_documents": int(pd.isna(low[is_local]).sum()),
             "documents_without_jurisdiction": int((~is_src & ~has_j).sum()),
             "end": str(end.date()),
             # what the tables were made from, as text_reuse and a manifest record it
             "corpus_fingerprint": corpus.fingerprint}
    for t in (adoptions, clauses, sources):
        t.attrs.update(attrs)
    return Diffusion(sources, adoptions, clauses, by, end, docs.drop(columns="text"),
                     horizontal)._with_km_median()


def _warn_repeated_sources(corpus: Corpus, is_src) -> None:
    """Warn when a source repeats another source, word for word or nearly
    (:meth:`Corpus.duplicates`): a reissue or a reprint of the same document would be
    traced as a source of its own and its adopters counted twice."""
    if is_src.sum() < 2:
        return
    rep = corpus.subset(is_src).duplicates()
    if len(rep):
        named = [f"{a} = {b}" for a, b in zip(rep["doc_id"], rep["duplicate_of"])]
        warnings.warn(f"diffusion: {len(rep)} source document(s) repeat another source "
                      f"({'; '.join(named[:5])}{' ...' if len(named) > 5 else ''}): each "
                      "is traced as a source of its own, and a jurisdiction that took the "
                      "text is counted once for each (sources, panel(), durations()); a "
                      "reissue or a reprint? Drop the copies with corpus.drop_duplicates() "
                      "first", stacklevel=3)


def _preexisting(src, text, when, traced, between, min_chars: int = 30) -> dict:
    """doc_id -> the stretches of the source it shares with that document, for each
    document dated before the source: text that was there before the source (set
    phrasing, or borrowed by the source) is not its own and cannot show that a later
    document adopted it. Only near-verbatim text counts (similarity at least
    :data:`_PREEXISTING`): set phrasing is repeated word for word, while passages merely
    alike by chance (common sentence frames) are not what the source found there. A
    passage less alike than that counts by its near-verbatim stretches of ``min_chars``
    or more (:func:`_verbatim`): two sentences word for word with other words between."""
    spans: dict = {}
    for d, s, e, pa, pb, sim in zip(traced["doc_b"], traced["start_a"], traced["end_a"],
                                    traced["passage_a"], traced["passage_b"],
                                    traced["similarity"]):
        if _order(when[src], when[d]) == "earlier":
            spans.setdefault(d, []).extend(_verbatim(s, e, pa, pb, sim, min_chars))
    for a, b, sa, ea, sb, eb, pa, pb, sim in zip(
            between["doc_a"], between["doc_b"], between["start_a"], between["end_a"],
            between["start_b"], between["end_b"], between["passage_a"], between["passage_b"],
            between["similarity"]):
        if a == src and _order(when[src], when[b]) == "earlier":
            spans.setdefault(b, []).extend(_verbatim(sa, ea, pa, pb, sim, min_chars))
        elif b == src and _order(when[src], when[a]) == "earlier":
            spans.setdefault(a, []).extend(_verbatim(sb, eb, pb, pa, sim, min_chars))
    return {d: v for d, v in spans.items() if v}


def _verbatim(s: int, e: int, mine: str, other: str, similarity: float,
              min_chars: int) -> list:
    """(start, end) of the near-verbatim stretches (similarity at least
    :data:`_PREEXISTING`) of a passage ``mine`` (``text[s:e]``) against ``other``: the
    passage itself when it is that alike, else the stretches of at least ``min_chars``
    characters its alignment splits into at its largest edits until each is
    (:func:`~bri_text.reuse._align._local_alignments`).

    >>> a = "各级人民政府加快推进跨境物流通道，提升互联互通水平。海关着力完善口岸通关便利化，扩大对外开放。"
    >>> b = "各级人民政府加快推进跨境物流通道，提升互联互通水平。本省结合实际组织开展专项行动。海关着力完善口岸通关便利化，扩大对外开放。"
    >>> [a[x:y] for x, y in _verbatim(0, len(a), a, b, 0.85, 20)]
    ['各级人民政府加快推进跨境物流通道，提升互联互通水平。', '海关着力完善口岸通关便利化，扩大对外开放。']
    """
    if similarity >= _PREEXISTING:
        return [(s, e)]
    from ._align import _local_alignments, _orig_span

    na, nb = _Norm(mine, 1), _Norm(other, 1)
    out = []
    for a0, a1, b0, b1 in _local_alignments(na.text(0, len(na.codes)),
                                            nb.text(0, len(nb.codes)), _PREEXISTING,
                                            min_len=5):
        x, y = _orig_span(mine, na, a0, a1)
        if max(y - x, nb.ends[b1 - 1] - nb.starts[b0]) >= min_chars:
            out.append((s + x, s + y))
    return out


def _sentences(text: str):
    """(start, end) of the sentences of ``text`` (ended by 。；！？ or a line break)."""
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"[^。；！？\n]+[。；！？]?", text)]


def _aligned(part: str, passage: str) -> str:
    """The stretch of ``passage`` that best matches ``part`` (rapidfuzz partial alignment)."""
    from rapidfuzz import fuzz

    al = fuzz.partial_ratio_alignment(part, passage)
    return passage[al.dest_start:al.dest_end]


def _revisions(src, text, when, traced) -> dict:
    """doc_id -> {(start, end): None} of the sentences the source took from that document,
    dated before it (a near-verbatim passage, :data:`_PREEXISTING`), but with figures of
    its own: its revision of the earlier text (central （十四）: 江苏's sentence, 80% made 90%).

    >>> t = pd.DataFrame({"doc_b": ["js"], "start_a": [0], "end_a": [12], "similarity": [1.0],
    ...                   "figures_changed": [True], "passage_b": ["覆盖率达到80%以上。另有一句。"]})
    >>> _revisions("c", "覆盖率达到90%以上。另有一句。", {"c": (2, 2), "js": (1, 1)}, t)
    {'js': {(0, 11): None}}
    """
    out: dict = {}
    keep = (traced["similarity"] >= _PREEXISTING) & traced["figures_changed"]
    for d, sa, ea, b in zip(*(traced.loc[keep, c] for c in ("doc_b", "start_a", "end_a",
                                                          "passage_b"))):
        if _order(when[src], when[d]) != "earlier":
            continue
        for s, e in _sentences(text[sa:ea]):
            sentence = text[sa + s:sa + e]
            if _figures_changed(sentence, _aligned(sentence, b)):
                out.setdefault(d, {})[(sa + s, sa + e)] = None
    return out


def _earlier_text(text, earlier, revised) -> tuple:
    """(doc_id -> mask of the source's characters that were in that earlier document,
    mask of all of them: the text that was there before the source, and the sentences of
    it the source revised (:func:`_revisions`) that no earlier document has with the
    source's figures). A revised sentence stays text that was there before (all but its
    figures are the earlier document's); its figures tell which version a later document
    took."""
    n = len(text)
    plain = {d: _covered(v, n) for d, v in earlier.items()}
    before = np.zeros(n, dtype=bool)
    for m in plain.values():
        before |= m
    same = np.zeros(n, dtype=bool)     # held by an earlier document with the source's figures
    for d, v in earlier.items():
        same |= _covered(v, n) & ~_covered(revised.get(d, ()), n)
    own = {k: None for v in revised.values() for k in v if not same[k[0]:k[1]].all()}
    return plain, before, list(own)


class _ShingleIndex:
    """The distinct shingles of every document (as :func:`text_reuse` hashes them) with,
    per shingle, the number of documents holding it and the latest day of the earliest
    dated one: enough to pick, before any alignment, the pairs worth aligning."""

    def __init__(self, texts, ngram, low, high):
        never = np.iinfo(np.int64).max
        self.low = np.where(pd.isna(low), never, low.astype("datetime64[D]").astype(np.int64))
        self.high = np.where(pd.isna(high), never,
                             high.astype("datetime64[D]").astype(np.int64))
        self.ngram = ngram
        self.unique, self.positions, self.starts, self.ends = [], [], [], []
        self.codes = []
        for t in texts:
            norm = _Norm(t, ngram)
            norm.table()
            self.unique.append(norm.unique)
            self.positions.append(norm.hashes)
            self.starts.append(norm.starts)
            self.ends.append(norm.ends)
            self.codes.append(norm.codes)
        H = np.concatenate(self.unique) if self.unique else np.zeros(0, np.uint64)
        D = np.repeat(np.arange(len(texts)), [len(u) for u in self.unique])
        order = np.argsort(H, kind="stable")
        H, D = H[order], D[order]
        first = np.ones(len(H), dtype=bool)
        first[1:] = H[1:] != H[:-1]
        off = np.flatnonzero(first)
        self.hashes = H[off]
        self.df = np.diff(np.append(off, len(H)))
        self._holders, self._off = D, off          # the documents holding each shingle
        self.first_high = np.minimum.reduceat(self.high[D], off) if len(off) else \
            np.zeros(0, np.int64)

    def _lookup(self, h):
        return np.searchsorted(self.hashes, h)

    def own(self, i) -> np.ndarray:
        """Shingles of document i that no document dated before it holds (all of them when
        it is undated: no document is known to be earlier)."""
        h = self.unique[i]
        return h[self.first_high[self._lookup(h)] >= self.low[i]] if self.low[i] != \
            np.iinfo(np.int64).max else h

    def rare(self, i, max_count) -> np.ndarray:
        h = self.unique[i]
        return h[self.df[self._lookup(h)] <= max_count]

    def rare_before(self, i, max_count) -> np.ndarray:
        """Shingles of document i that some document dated before it holds, but at most
        ``max_count`` of them: counted among the earlier documents only, so that however
        many later documents copy a passage, it stays rare where it came from."""
        h = self.unique[i]
        if self.low[i] == np.iinfo(np.int64).max or not len(h):
            return h[:0]
        before = np.concatenate([[0], np.cumsum(self.high[self._holders] < self.low[i])])
        k = self._lookup(h)
        ends = np.append(self._off, len(self._holders))
        count = before[ends[k + 1]] - before[ends[k]]
        return h[(count > 0) & (count <= max_count)]

    def shared(self, i, keys) -> int:
        return int(np.isin(self.unique[i], keys, assume_unique=True).sum())

    def near(self, i, keys, text: str, margin: int) -> str:
        """``text`` (document i) with every character farther than ``margin`` normalised
        characters from a shingle in ``keys`` blanked out (spaces: passage finding ignores
        them, and offsets stay those of the original text)."""
        pos = np.flatnonzero(np.isin(self.positions[i], keys))
        if not len(pos):
            return " " * len(text)
        n = len(self.starts[i])
        lo = self.starts[i][np.maximum(pos - margin, 0)]
        hi = self.ends[i][np.minimum(pos + self.ngram + margin, n) - 1]
        depth = np.zeros(len(text) + 1, dtype=np.int64)
        np.add.at(depth, lo, 1)
        np.add.at(depth, hi, -1)
        keep = np.cumsum(depth[:-1]) > 0
        chars = np.array(list(text), dtype=object)
        chars[~keep & (chars != "\n")] = " "
        return "".join(chars)


def _traced(sub, is_src, index, min_shared, params, n_jobs) -> pd.DataFrame:
    """text_reuse from each source into the documents that share enough of its shingles,
    aligned only near them (so that text common to every document does not make every
    pair worth aligning): for a later (or unordered) document the shingles no earlier
    document holds; for a document dated before the source the shingles in at most a fifth
    of the documents dated before it (at least 3), counted among those only: set phrasing
    is in many of them, while text the source took from one stays rare however many later
    documents copy it. (An undated source: its shingles in at most a fifth of all the
    documents, for every dated document.) text_reuse blanks a document's citations of the
    source's title in 《》 (:func:`~bri_text.reuse._passages._mask_cited_title`). A passage
    over blanked text is aligned again on the original texts, cut at a cited title
    (:func:`~bri_text.reuse._diffusion_horizontal._split_at_blanked`): it holds no text
    the local document inserted far from the source, and its similarity is that of the
    text reported."""
    n = len(is_src)
    texts = sub.texts
    parts = []
    for i in np.flatnonzero(is_src):
        own = index.own(i)
        if index.low[i] != np.iinfo(np.int64).max:
            rare = index.rare_before(i, max(3, int(0.2 * (index.high < index.low[i]).sum())))
        else:
            rare = index.rare(i, max(3, int(0.2 * n)))
        picked = np.zeros(n, dtype=bool)
        near = {}
        for j in np.flatnonzero(~is_src):
            keys = rare if index.high[j] < index.low[i] else own
            if index.shared(j, keys) >= min_shared:
                # only the stretches near the source's shingles are aligned
                near[j] = index.near(j, keys, texts[j], _NEAR)
                picked[j] = bool(near[j].strip())
        if not picked.any():
            continue
        docs = sub.docs[picked].assign(text=[near[j] for j in np.flatnonzero(picked)])
        parts.append((docs, sub.docs.iloc[[i]], {sub.doc_ids[j]: texts[j] for j in
                                                 [i, *np.flatnonzero(picked)]}, {}))
    parts = _run(parts, params, n_jobs)
    traced = pd.concat(parts, ignore_index=True) if parts else _reuse_frame([])
    return traced[_evidence(traced)]


def _evidence(table: pd.DataFrame) -> np.ndarray:
    """The passages of a text_reuse table that can show an adoption: not set phrasing
    (``formulaic``) and not a shared citation of another document's title (``citation``)."""
    return (~table["formulaic"] & (table["kind"] != "citation")).to_numpy(bool)


def _years_as_dates(docs: pd.DataFrame, date: str) -> pd.DataFrame:
    """``docs`` with a document's ``year`` as its ``date`` where it has a year but no date
    (``bri_text._dates._years_as_dates``, the report's rule too), with one warning
    (audit44b: 46 of the 52 work reports have a year and no date, and as sources every
    provincial document carrying them was "undated", the reason blaming the provincial
    document).

    >>> d = pd.DataFrame({"doc_id": ["wr2019", "gx"], "date": [None, "2026-01-23"],
    ...                   "year": [2019, 2026]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     _years_as_dates(d, "date")["date"].tolist()
    ['2019', '2026-01-23']
    """
    missing = _year_gaps(docs, date)
    if not missing.any():
        return docs
    year = pd.to_numeric(docs.loc[missing, "year"])
    named = [f"{d} ({int(y)})" for d, y in zip(docs.loc[missing, "doc_id"], year)]
    warnings.warn(f"diffusion: {len(named)} document(s) have no {date} but a year "
                  f"({', '.join(named[:5])}{' ...' if len(named) > 5 else ''}): each is "
                  f"dated by its year (later than the documents of the years before it, "
                  f"'order unknown' beside those of its own year, no lag in days); give "
                  f"them a {date} for exact order and lags", stacklevel=3)
    return _year_dates(docs, date)


class _Dates:
    """The documents' dates, and which of a jurisdiction's documents came first."""

    def __init__(self, docs, when, date):
        self.docs, self.when, self.date = docs, when, date
        self.pos = {d: i for i, d in enumerate(docs["doc_id"])}

    def date_of(self, d):
        """The ``date`` metadata of document d as a string (None when missing)."""
        value = self.docs.loc[self.pos[d], self.date]
        return None if pd.isna(value) else str(value)

    def first(self, src, ds, orders, ok) -> tuple:
        """(status, doc_id, date, lag_days) of the first of documents ``ds`` passing ``ok``."""
        when = self.when
        cands = [(orders[d], None if when[d] is None else when[d][0], self.pos[d])
                 for d in ds if ok(d)]
        status, p = _status(cands)
        if p is None:
            return status, None, None, pd.NA
        d, d_date = self.docs.loc[p, "doc_id"], self.docs.loc[p, self.date]
        lag = (when[d][0] - when[src][0]).days if status == "adopted" and \
            _is_day(self.date_of(src)) and _is_day(d_date) else pd.NA
        return status, d, d_date, lag


def _shares(src, text, local, spans, earlier, bounds) -> tuple:
    """doc_id -> share of the source's own characters it carries, and of each clause's
    characters. Text that was there before the source is not its own: it is left out of
    what a document carries and of the share's denominator (a document carrying all of a
    source that is 40% earlier text carries 100% of it, not 60%); a clause's share stays
    one of all its characters (a clause that is earlier text is carried by nobody). A
    sentence the source took from an earlier document but revised (its figures, ``revised``
    from :func:`_earlier_text`) is earlier text too, out of the share; but a later document
    stating the source's figures there took it from the source, not from the earlier
    document: it counts towards that document's clause shares."""
    plain, before, revised = earlier
    share, clause_share = {}, {}
    for d in local:
        mask = _covered([(s, e) for s, e, _ in spans.get((src, d), ())], len(text))
        evidence = np.zeros(len(text), dtype=bool)
        if d in plain:          # an earlier document: what the others had before
            gone = np.zeros(len(text), dtype=bool)
            for k, m in plain.items():
                if k != d:
                    gone |= m
        else:
            gone = before
            for s, e in revised:   # the source's version of a sentence it revised
                if mask[s:e].any() and any(
                        not _figures_changed(text[s:e], _aligned(text[s:e], b))
                        for u, t, b in spans[(src, d)] if u < e and t > s):
                    evidence[s:e] = mask[s:e]
        mask &= ~gone
        share[d] = mask.sum() / max(1, len(text) - int(gone.sum()))
        mask |= evidence
        clause_share[d] = [mask[s:e].mean() if e > s else 0.0 for s, e in bounds]
    return share, clause_share


def _jurisdiction_rows(src, text, bounds, j, ds, dates, shares, thresholds,
                       inserts=None, deletes=None) -> tuple:
    """The adoption row and the clause rows of one source x jurisdiction (documents ds).
    A document carries the source when it covers ``threshold`` of its characters and at
    least one of its clauses (``clause_threshold`` of the clause's characters). A clause
    row's ``inserted``: the words its document (``doc_id``) inserted inside the clause
    (``inserts``: doc_id -> [(source offset, words)], :func:`_inserted_words`); its
    ``deleted``: the clause's words that document left out (``deletes``, alike)."""
    (share, clause_share), (threshold, clause_threshold) = shares, thresholds
    bounds, substance = bounds
    n_counted = sum(substance)
    orders = {d: _order(dates.when[src], dates.when[d]) for d in ds}
    whole = {d: sum(x >= clause_threshold and ok for x, ok in zip(clause_share[d], substance))
             for d in ds}
    status, d, d_date, lag = dates.first(src, ds, orders,
                                         lambda d: share[d] >= threshold and whole[d] > 0)
    # the clauses carried by the documents of the jurisdiction's status (adopted, or not
    # adopted: later documents; order unknown, undated, earlier: those documents)
    order = {"adopted": "later", "not adopted": "later"}.get(status, status)
    carried = [ok and any(clause_share[x][i] >= clause_threshold and orders[x] == order
                          for x in ds) for i, ok in enumerate(substance)]
    best = d or max(ds, key=lambda x: (share[x], whole[x]))
    a_row = (src, dates.date_of(src), j, status, d, d_date, lag,
             round(float(share[best]), 4), int(sum(carried)), n_counted,
             sum(share[x] >= threshold and whole[x] > 0 for x in ds), len(ds),
             _reason(status, best, share[best], whole[best], n_counted, thresholds, lag,
                     orders[best], source_undated=dates.when[src] is None))
    c_rows = []
    for i, (s, e) in enumerate(bounds):
        cs, cd, cdate, clag = dates.first(src, ds, orders, lambda x, i=i: clause_share[x][i] >=
                                          clause_threshold)
        best = clause_share[cd][i] if cd else max(clause_share[x][i] for x in ds)
        words = INSERTED_SEP.join(w for at, w in (inserts or {}).get(cd, ()) if s < at < e) \
            if cd else ""
        dropped = INSERTED_SEP.join(w for at, w in (deletes or {}).get(cd, ())
                                    if s <= at < e) if cd else ""
        c_rows.append((src, i + 1, s, e, text[s:e], j, cs, cd, cdate, clag,
                       round(float(best), 4), substance[i], words, dropped))
    return a_row, c_rows


def _inserted_words(traced, texts, gap: int = 40, deleted: bool = False) -> dict:
    """(source, doc_id) -> [(offset in the source, words)] of the words each document
    inserted inside the text it took from the source: inside a passage (text_reuse's
    ``inserted``, placed by :func:`~bri_text.reuse._passages._insertions`), and between
    two passages that follow each other in both texts where the document has at least
    :data:`~bri_text.reuse._passages.MIN_INSERTED` and at most ``gap`` characters
    (punctuation aside) more than the source (the insertion split the passage: it was
    less than ``min_similarity`` alike over it). ``deleted``: the converse, the source's
    words the document left out (text_reuse's ``deleted``; between two passages, where the
    source has that many more), at their own offset in the source.

    >>> t = pd.DataFrame({"doc_a": ["s", "s"], "doc_b": ["d", "d"], "start_a": [0, 30],
    ...                   "end_a": [30, 60], "start_b": [0, 38], "end_b": [30, 68],
    ...                   "passage_a": ["", ""], "passage_b": ["", ""], "inserted": ["", ""],
    ...                   "deleted": ["", ""]})
    >>> _inserted_words(t, {"s": "甲" * 60, "d": "甲" * 30 + "广西面向东盟的，" + "甲" * 30})
    {('s', 'd'): [(30, '广西面向东盟的')]}
    >>> _inserted_words(t.assign(start_a=[0, 38], end_a=[30, 68], start_b=[0, 30],
    ...                          end_b=[30, 60]),
    ...                 {"d": "甲" * 60, "s": "甲" * 30 + "广西面向东盟的，" + "甲" * 30},
    ...                 deleted=True)
    {('s', 'd'): [(30, '广西面向东盟的')]}
    """
    from ._passages import MIN_INSERTED

    def size(x: str) -> int:
        return len(_Norm(x, 1).codes)
    out: dict = {}
    column = "deleted" if deleted else "inserted"
    has = traced[traced[column] != ""]
    for a, b, sa, pa, pb in zip(has["doc_a"], has["doc_b"], has["start_a"], has["passage_a"],
                                has["passage_b"]):
        runs = [(sa + x, pa[x:y]) for _, x, y in _insertions(pb, pa)] if deleted else \
            [(sa + at, pb[x:y]) for at, x, y in _insertions(pa, pb)]
        out.setdefault((a, b), []).extend(runs)
    rows = sorted(zip(traced["doc_a"], traced["doc_b"], traced["start_a"].tolist(),
                      traced["end_a"].tolist(), traced["start_b"].tolist(),
                      traced["end_b"].tolist()))
    for p, q in zip(rows, rows[1:]):      # passages that follow each other in the source
        a, b = p[0], p[1]
        src, doc = (p[3], q[2]), (p[5], q[4])     # the gaps between them
        (w0, w1), (o0, o1) = (src, doc) if deleted else (doc, src)
        if (q[0], q[1]) != (a, b) or o1 < o0 or w1 <= w0 or w1 - w0 > 2 * gap:
            continue
        words, other = (texts[a][w0:w1], texts[b][o0:o1]) if deleted else \
            (texts[b][w0:w1], texts[a][o0:o1])
        n = size(words)
        if n <= gap and n - size(other) >= MIN_INSERTED:
            norm = _Norm(words, 1)
            at = (p[3] + int(norm.starts[0])) if deleted else p[3]
            out.setdefault((a, b), []).append(
                (at, words[int(norm.starts[0]):int(norm.ends[-1])]))
    return {k: sorted(v) for k, v in out.items()}


def _reason(status, d, share, whole, n_clauses, thresholds, lag, order="later",
            source_undated=False) -> str:
    """Why a jurisdiction has its status, in words (``adoptions["reason"]``), from its
    document ``d`` carrying the most of the source (``order``: its date against the
    source's). A document dated before the source holds text that was there before it:
    the source shares that text with it (perhaps took it from it).

    >>> _reason("not adopted", "anhui", 0.0489, 1, 21, (0.05, 0.5), None)
    "anhui carries 1 of its 21 clauses whole but 4.9% of the source's own text, below the threshold 5.0%; see threshold= (at threshold=0.04 it carries the source)"
    >>> _reason("not adopted", "jiangsu", 61 / 1821, 1, 21, (0.05, 0.5), None, "earlier")
    "jiangsu is dated before the source, which shares 1 of its 21 clauses whole and 3.3% of its text with it (perhaps took them from it), below the threshold 5.0% (at a lower threshold= it is 'earlier', no adopter)"
    """
    threshold, clause_threshold = thresholds
    carries = (f"{d} carries {share:.1%} of the source's own text (threshold "
               f"{threshold:.1%}) and {whole} of its {n_clauses} clauses")
    before = (f"{d} is dated before the source, which shares {whole} of its {n_clauses} "
              f"clauses whole and {share:.1%} of its text with it (perhaps took them from "
              "it)")
    if status == "adopted":
        return carries + ("" if pd.isna(lag) else f", {lag} days after it")
    if status == "earlier":
        return f"{before}; threshold {threshold:.1%}: it cannot have adopted the source"
    if status != "not adopted":
        if status == "undated" and source_undated:
            return f"{carries}, but the source is undated"
        return f"{carries}, but is {'undated' if status == 'undated' else status}"
    if share >= threshold:
        return (f"{carries}: no clause carried (half or more of a clause's characters, "
                f"clause_threshold {clause_threshold}), only phrases scattered through it")
    if share == 0:
        return "no passage of the source outside set phrasing and cited titles"
    if whole:      # whole clauses, too little of the source: say what would count it
        if order == "earlier":
            return (f"{before}, below the threshold {threshold:.1%} (at a lower threshold= "
                    "it is 'earlier', no adopter)")
        step = 100 if share >= 0.01 else 1000
        lower = f"{math.floor(share * step) / step:g}"
        return (f"{d} carries {whole} of its {n_clauses} clauses whole but {share:.1%} of "
                f"the source's own text, below the threshold {threshold:.1%}; "
                f"see threshold= (at threshold={lower} it carries the source)")
    return (f"{carries}: below the threshold (set phrasing and citations of other "
            "documents' titles do not count)")


def _source_row(src, src_date, text, before, bounds, n_jurisdictions, a_rows) -> tuple:
    """The row of one source: its size, preexisting share, the statuses counted and the
    median lag among the adopters (``at_risk`` and the Kaplan-Meier median are filled from
    :meth:`Diffusion.durations`)."""
    counts = dict.fromkeys(STATUSES, 0)
    lags = []
    for r in a_rows:
        counts[r[3]] += 1
        if r[3] == "adopted" and not pd.isna(r[6]):
            lags.append(r[6])
    return (src, src_date, len(text), round(float(before.mean()), 4), sum(bounds[1]),
            n_jurisdictions, counts["adopted"], counts["not adopted"],
            counts["order unknown"], counts["undated"], counts["earlier"],
            float(np.median(lags)) if lags else np.nan, 0, np.nan)


def _adoption_frames(a_rows, c_rows, s_rows) -> tuple:
    """The adoption, clause and source tables from their rows."""
    adoptions = pd.DataFrame(a_rows, columns=ADOPTION_COLUMNS)
    adoptions["lag_days"] = adoptions["lag_days"].astype("Int64")
    clauses = pd.DataFrame(c_rows, columns=CLAUSE_COLUMNS)
    clauses["lag_days"] = clauses["lag_days"].astype("Int64")
    sources = pd.DataFrame(s_rows, columns=["source", "date", "chars", "preexisting",
                                            "n_clauses", "jurisdictions",
                                            "adopted", "not_adopted", "order_unknown",
                                            "undated", "earlier", "median_lag_adopters_days",
                                            "at_risk", "km_median_days"])
    order = {s: i for i, s in enumerate(STATUSES)}
    adoptions = adoptions.sort_values(
        ["source", "status", "lag_days", "jurisdiction"], kind="stable",
        key=lambda c: c.map(order) if c.name == "status" else c).reset_index(drop=True)
    return adoptions, clauses, sources


def _adoptions(docs, is_src, by, traced, between, when, date, threshold, clause_threshold,
               min_chars=30, found_before=None):
    """The adoption, clause and source tables."""
    texts = dict(zip(docs["doc_id"], docs["text"]))
    titles = dict(zip(docs["doc_id"], docs["title"])) if "title" in docs.columns else {}
    juris = dict(zip(docs["doc_id"], docs[by]))
    local = docs.loc[~is_src, "doc_id"].tolist()
    by_j: dict = {}
    for d in local:
        by_j.setdefault(juris[d], []).append(d)
    dates = _Dates(docs, when, date)
    spans = {k: list(zip(g["start_a"], g["end_a"], g["passage_b"]))
             for k, g in traced.groupby(["doc_a", "doc_b"], sort=False)}
    inserted = _inserted_words(traced, texts)
    deleted = _inserted_words(traced, texts, deleted=True)
    a_rows, c_rows, s_rows = [], [], []
    for src in docs.loc[is_src, "doc_id"]:
        text, own = texts[src], juris.get(src)
        bounds = _clause_bounds(text, titles.get(src))
        mine = traced[traced["doc_a"] == src]
        if found_before is not None and len(found_before):
            mine = pd.concat([mine, found_before[found_before["doc_a"] == src]],
                             ignore_index=True)
        earlier = _earlier_text(text, _preexisting(src, text, when, mine, between, min_chars),
                                _revisions(src, text, when, mine))
        before = earlier[1]
        shares = _shares(src, text, local, spans, earlier, bounds[0])
        inserts = {d: inserted.get((src, d), ()) for d in local}
        deletes = {d: deleted.get((src, d), ()) for d in local}
        rows = [_jurisdiction_rows(src, text, bounds, j, ds, dates, shares,
                                   (threshold, clause_threshold), inserts, deletes)
                for j, ds in by_j.items() if j != own]
        a_rows += [a for a, _ in rows]
        c_rows += [c for _, cs in rows for c in cs]
        s_rows.append(_source_row(src, dates.date_of(src), text, before, bounds,
                                  len(by_j) - (own in by_j), [a for a, _ in rows]))
    return _adoption_frames(a_rows, c_rows, s_rows)
