"""Policy diffusion (:func:`diffusion`): which jurisdictions adopted which source document,
when, and with what lag; built on the passages of :func:`~bri_text.text_reuse`.

A jurisdiction *adopts* a source document when one of its documents, dated after the
source, carries a share of the source's characters of at least ``threshold`` in
non-formulaic passages (set phrases and boilerplate common to many documents never make an
adoption). The same rule, on the characters of each clause, says which clauses travelled.
Dates decide direction only when they can: a year-only date overlapping the other, or the
same day, is ``"order unknown"`` (never a guessed direction); a document dated before the
source cannot have adopted it (``"earlier"``: perhaps the source borrowed from it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..corpus import Corpus
from .._util import check_column, check_n_jobs, check_scalar, condition_mask
from ..errors import MetadataError, ParameterError
from ._align import _date_bounds, _Norm
from ._passages import _reuse_frame, text_reuse

#: the columns of :attr:`Diffusion.adoptions`
ADOPTION_COLUMNS = ["source", "source_date", "jurisdiction", "status", "doc_id", "date",
                    "lag_days", "share", "clauses", "n_clauses", "candidates", "n_documents"]
#: the columns of :attr:`Diffusion.clauses`
CLAUSE_COLUMNS = ["source", "clause", "clause_start", "clause_end", "clause_text",
                  "jurisdiction", "status", "doc_id", "date", "lag_days", "share"]
#: the columns of :attr:`Diffusion.horizontal`
HORIZONTAL_COLUMNS = ["jurisdiction_from", "doc_from", "date_from", "jurisdiction_to",
                      "doc_to", "date_to", "direction", "lag_days", "start_from", "end_from",
                      "start_to", "end_to", "passage_from", "passage_to", "similarity",
                      "chars"]
#: what a jurisdiction's status can be, from the strongest evidence of adoption down
STATUSES = ["adopted", "order unknown", "undated", "earlier", "not adopted"]
_FREQS = {"year": "Y", "quarter": "Q", "month": "M"}
#: characters kept on either side of a source shingle in a document traced from it
_NEAR = 20
#: the least similarity of a passage that makes text "there before the source"
_PREEXISTING = 0.9


# ---------------------------------------------------------------------- the result
@dataclass(repr=False)
class Diffusion:
    """What :func:`diffusion` found: read the tables, or turn them into model inputs.

    ``sources`` - one row per source document (its date, clauses, and how many
    jurisdictions adopted it, did not, or cannot be ordered); ``adoptions`` - one row per
    source x jurisdiction (:data:`ADOPTION_COLUMNS`); ``clauses`` - one row per source clause
    x jurisdiction (:data:`CLAUSE_COLUMNS`); ``horizontal`` - passages a jurisdiction shares
    with another jurisdiction's document that are in no source (:data:`HORIZONTAL_COLUMNS`;
    found when first read, then kept: it compares the jurisdictions' documents pairwise);
    ``by`` - the jurisdiction column; ``end`` - the last date observed (censoring date of
    :meth:`panel` and :meth:`durations`).
    """

    sources: pd.DataFrame
    adoptions: pd.DataFrame
    clauses: pd.DataFrame
    by: str
    end: pd.Timestamp
    _meta: pd.DataFrame = field(default=None)
    _find_horizontal: object = field(default=None)
    _horizontal: pd.DataFrame | None = field(default=None)

    @property
    def horizontal(self) -> pd.DataFrame:
        if self._horizontal is None:
            self._horizontal = self._find_horizontal()
            self._horizontal.attrs.update(self.adoptions.attrs)
        return self._horizontal

    def __repr__(self) -> str:
        lines = [f"Diffusion of {len(self.sources)} source document(s) over "
                 f"{self.adoptions['jurisdiction'].nunique()} jurisdictions (by={self.by!r}), "
                 f"observed to {self.end.date()}; threshold "
                 f"{self.adoptions.attrs.get('threshold')} of the source's characters"]
        for r in self.sources.itertuples():
            lag = "" if pd.isna(r.median_lag_days) else \
                f", median lag {int(r.median_lag_days)} days"
            lines.append(f"  {r.source} ({r.date}): {r.adopted} adopted{lag}; "
                         f"{r.not_adopted} not; {r.order_unknown} order unknown; "
                         f"{r.undated} undated; {r.earlier} earlier")
        if self._horizontal is not None:
            lines.append(f"  {len(self._horizontal)} horizontal passage(s) between "
                         "jurisdictions")
        return "\n".join(lines)

    # ------------------------------------------------------------------ model inputs
    def durations(self, unit: str = "days") -> pd.DataFrame:
        """One row per source x jurisdiction at risk: ``duration`` from the source's date to
        the adoption (``event`` 1) or to :attr:`end` (``event`` 0, censored), in days (or
        ``unit="years"``: days / 365.25), for survival analysis (lifelines:
        ``CoxPHFitter().fit(d, "duration", "event")``). Jurisdictions with status
        ``"order unknown"``, ``"undated"`` or ``"earlier"`` are not at risk from a known
        date and are left out (counted in ``attrs["left_out"]``); so is a source without an
        exact date.

        >>> import bri_text as bt
        >>> r = bt.diffusion(bt.load_bri_policies(), source=["bri23"], threshold=0.02)
        >>> r.durations()[["jurisdiction", "duration", "event"]].head(2).values.tolist()
        [['福建', 358, 1], ['四川', 749, 0]]
        """
        if unit not in ("days", "years"):
            raise ParameterError(f"unit must be 'days' or 'years', got {unit!r}")
        a = self._at_risk()
        end_days = (self.end - pd.to_datetime(a["source_date"])).dt.days
        duration = a["lag_days"].where(a["status"] == "adopted", end_days)
        out = pd.DataFrame({"source": a["source"], "jurisdiction": a["jurisdiction"],
                            "duration": duration.astype("int64"),
                            "event": (a["status"] == "adopted").astype("int64"),
                            "doc_id": a["doc_id"]})
        if unit == "years":
            out["duration"] = out["duration"] / 365.25
        out = out.sort_values(["source", "event", "duration", "jurisdiction"],
                              ascending=[True, False, True, True], kind="stable")
        out = out.reset_index(drop=True)
        out.attrs["left_out"] = self._left_out()
        out.attrs["end"] = str(self.end.date())
        return out

    def panel(self, freq: str = "year", covariates=None) -> pd.DataFrame:
        """Jurisdiction x period rows for discrete-time event history, one block per source.

        A jurisdiction enters the risk set in the period of the source's date (``time`` 1)
        and stays until it adopts (``adopted`` 1 in that period; later rows are dropped) or
        until :attr:`end` (censored: ``adopted`` 0 throughout). ``freq`` is ``"year"``,
        ``"quarter"`` or ``"month"``; ``period`` is a ``pandas.Period``. ``covariates``: a
        list of metadata columns constant within each jurisdiction, or a DataFrame with the
        ``by`` column (and optionally ``period``, for time-varying covariates) merged on
        them. Jurisdictions not at risk from a known date (see :meth:`durations`) are left
        out and counted in ``attrs["left_out"]``.

        The discrete-time hazard is a logit of ``adopted`` on the period (dummies, or a
        function of ``time``) and the covariates, fitted on the rows at risk (statsmodels).
        Here the 甘肃 plan of 2015-12-09 (it cites the Vision and Actions), traced into the
        other provinces' plans, with a covariate of our own:

        >>> import bri_text as bt
        >>> import pandas as pd
        >>> import statsmodels.formula.api as smf
        >>> r = bt.diffusion(bt.load_bri_policies(), source=["bri23"], threshold=0.005)
        >>> y = r.panel("year")
        >>> y[y["jurisdiction"] == "福建"][["period", "time", "adopted"]].astype(str).values.tolist()
        [['2015', '1', '0'], ['2016', '2', '1']]
        >>> coast = pd.DataFrame({"region": ["天津", "浙江", "福建", "广东", "广西", "河北"],
        ...                       "coastal": 1})
        >>> q = r.panel("quarter", covariates=coast).fillna({"coastal": 0})
        >>> fit = smf.logit("adopted ~ time + coastal", data=q).fit(disp=0)
        >>> int(fit.nobs), int(q["adopted"].sum()), sorted(fit.params.index)
        (87, 3, ['Intercept', 'coastal', 'time'])
        """
        if freq not in _FREQS:
            raise ParameterError(f"freq must be one of {list(_FREQS)}, got {freq!r}")
        code = _FREQS[freq]
        a = self._at_risk()
        end = self.end.to_period(code)
        rows = []
        for r in a.itertuples():
            start = pd.Timestamp(r.source_date).to_period(code)
            stop = pd.Timestamp(r.date).to_period(code) if r.status == "adopted" else end
            periods = pd.period_range(start, max(start, stop), freq=code)
            for t, p in enumerate(periods, 1):
                rows.append((r.source, r.jurisdiction, p, t, 1,
                             int(r.status == "adopted" and p == stop)))
        out = pd.DataFrame(rows, columns=["source", "jurisdiction", "period", "time",
                                          "at_risk", "adopted"])
        out = self._with_covariates(out, covariates)
        out.attrs.update({"freq": freq, "left_out": self._left_out(),
                          "end": str(self.end.date())})
        return out

    def _at_risk(self) -> pd.DataFrame:
        a = self.adoptions
        exact = a["source_date"].map(_is_day)
        return a[a["status"].isin(["adopted", "not adopted"]) & exact]

    def _left_out(self) -> dict:
        a = self.adoptions
        left = a[~a.index.isin(self._at_risk().index)]
        return {str(k): int(v) for k, v in left["status"].value_counts().items()}

    def _with_covariates(self, out: pd.DataFrame, covariates) -> pd.DataFrame:
        if covariates is None:
            return out
        if isinstance(covariates, pd.DataFrame):
            if self.by not in covariates.columns:
                raise MetadataError(f"covariates: the table needs the column {self.by!r} "
                                    f"(by=); columns present: {list(covariates.columns)}")
            cov = covariates.rename(columns={self.by: "jurisdiction"})
            keys = ["jurisdiction"] + (["period"] if "period" in cov.columns else [])
            return out.merge(cov, on=keys, how="left", validate="many_to_one")
        if isinstance(covariates, str):
            covariates = [covariates]
        meta = self._meta
        values = {}
        for col in covariates:
            check_column(meta, col, "covariates")
            per = meta.dropna(subset=[self.by]).groupby(self.by)[col].nunique(dropna=False)
            varying = per[per > 1].index.tolist()
            if varying:
                raise MetadataError(f"covariates: column {col!r} varies within "
                                    f"jurisdiction(s) {varying[:5]}; pass a DataFrame with "
                                    f"{self.by!r} (and 'period') columns instead")
            values[col] = meta.dropna(subset=[self.by]).groupby(self.by)[col].first()
        return out.join(pd.DataFrame(values), on="jurisdiction")


def _is_day(value) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == "-"


# ---------------------------------------------------------------------- helpers
def _clause_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of the source's clauses (:func:`bri_text._clauses.clause_spans`: numbered
    clauses, else paragraphs or sentences)."""
    from .._clauses import clause_spans

    return [(s, e) for s, e, *_ in clause_spans(text)]


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
    Passages come from :func:`~bri_text.text_reuse` traced from the sources
    (``reference=``; ``min_chars``, ``ngram``, ``min_similarity``, ``formulaic_share`` as
    there; ``max_df`` 1.0: frequent text is not dropped, since a widely adopted source is
    by definition in many documents, and formulaic passages are the lexicon's set phrasing).

    A document *carries* a source when its non-formulaic passages cover at least
    ``threshold`` of the source's characters (a clause: ``clause_threshold`` of the
    clause's). Text the source shares near-verbatim with a document dated before it was
    there before the source (set phrasing, or borrowed) and does not count; its share is
    ``sources["preexisting"]``. A jurisdiction's status for a source (:data:`STATUSES`): ``"adopted"`` -
    a carrying document dated after the source (the first of them is the adoption: its
    ``doc_id``, ``date`` and ``lag_days``, exact days only); ``"order unknown"`` - the
    carrying document's date overlaps the source's (same day, or a year-only date);
    ``"undated"``; ``"earlier"`` - it carries the text but is dated before the source (it
    cannot have adopted it; perhaps the source borrowed from it); ``"not adopted"``.
    Clauses are those of ``corpus.reshape("clause")`` (numbered clauses, else paragraphs).
    ``n_jobs`` processes align the sources (and the horizontal pairs) in parallel.
    ``Diffusion.horizontal`` lists the passages a jurisdiction shares with an earlier
    document of another jurisdiction that no source covers (found when first read).

    Returns a :class:`Diffusion` (tables ``sources``, ``adoptions``, ``clauses``,
    ``horizontal``; ``panel()`` and ``durations()`` for event-history models). Raises
    MetadataError when ``by`` or ``date`` is no column, no document has a date, or
    ``source`` matches nothing; ParameterError when fewer than two jurisdictions remain.

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> r = bt.diffusion(corpus, source=["bri23"], threshold=0.02)   # Gansu, 2015-12-09
    >>> a = r.adoptions
    >>> a[a["status"] == "adopted"][["jurisdiction", "doc_id", "date", "lag_days"]].values.tolist()
    [['福建', 'bri20', '2016-12-01', 358]]
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
    low, high = _date_bounds(docs[date])
    if pd.isna(low).all():
        raise MetadataError(f"date={date!r}: no document has a date (the column holds "
                            f"{docs[date].head(3).tolist()}...); diffusion needs dates")
    is_src = _select_sources(docs, source if source is not None else {"level": "national"})
    has_j = docs[by].notna().to_numpy() & (docs[by].astype(str).str.strip() != "").to_numpy()
    is_local = ~is_src & has_j
    jurisdictions = list(dict.fromkeys(docs.loc[is_local, by]))
    if len(jurisdictions) < 2:
        raise ParameterError(f"by={by!r}: diffusion compares jurisdictions, but the "
                             f"documents besides the sources are in {len(jurisdictions)} "
                             f"({jurisdictions}); choose another by= or source=")
    keep = is_src | is_local
    sub = corpus.subset(keep) if not keep.all() else corpus
    sub_docs = docs[keep].reset_index(drop=True)
    when = {d: (None if pd.isna(lo) else (pd.Timestamp(lo), pd.Timestamp(hi)))
            for d, lo, hi in zip(docs["doc_id"], low, high)}

    params = dict(min_chars=min_chars, ngram=ngram, max_df=max_df,
                  min_similarity=min_similarity, formulaic_share=formulaic_share)
    src_k = is_src[keep]
    index = _ShingleIndex(sub.texts, ngram, low[keep], high[keep])
    min_shared = max(3, (min_chars - ngram + 1) - ngram * math.ceil(0.1 * min_chars))
    traced = _traced(sub, src_k, index, min_shared, params, n_jobs)
    between = text_reuse(sub.subset(src_k), date=None, **params) \
        if src_k.sum() > 1 else traced.iloc[:0]
    between = between[~between["formulaic"]]
    adoptions, clauses, sources = _adoptions(sub_docs, src_k, by, traced, between,
                                             when, date, threshold, clause_threshold)

    def horizontal():
        return _horizontal(sub, sub_docs, src_k, by, traced, when, date, index, min_shared,
                           params, n_jobs)
    end = pd.Timestamp(np.nanmax(high[keep]))
    attrs = {"by": by, "date": date, "threshold": threshold,
             "clause_threshold": clause_threshold, **params,
             "n_sources": int(is_src.sum()), "n_documents": int(is_local.sum()),
             "undated_documents": int(pd.isna(low[is_local]).sum()),
             "documents_without_jurisdiction": int((~is_src & ~has_j).sum()),
             "end": str(end.date())}
    for t in (adoptions, clauses, sources):
        t.attrs.update(attrs)
    return Diffusion(sources, adoptions, clauses, by, end, docs.drop(columns="text"),
                     horizontal)


def _preexisting(src, text, when, traced, between) -> dict:
    """doc_id -> the stretches of the source it shares with that document, for each
    document dated before the source: text that was there before the source (set
    phrasing, or borrowed by the source) is not its own and cannot show that a later
    document adopted it. Only near-verbatim passages count (similarity at least
    :data:`_PREEXISTING`): set phrasing is repeated word for word, while passages merely
    alike by chance (common sentence frames) are not what the source found there."""
    traced = traced[traced["similarity"] >= _PREEXISTING]
    between = between[between["similarity"] >= _PREEXISTING]
    spans: dict = {}
    for d, s, e in zip(traced["doc_b"], traced["start_a"], traced["end_a"]):
        if _order(when[src], when[d]) == "earlier":
            spans.setdefault(d, []).append((s, e))
    for a, b, sa, ea, sb, eb in zip(between["doc_a"], between["doc_b"], between["start_a"],
                                    between["end_a"], between["start_b"], between["end_b"]):
        if a == src and _order(when[src], when[b]) == "earlier":
            spans.setdefault(b, []).append((sa, ea))
        elif b == src and _order(when[src], when[a]) == "earlier":
            spans.setdefault(a, []).append((sb, eb))
    return spans


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
        for t in texts:
            norm = _Norm(t, ngram)
            norm.table()
            self.unique.append(norm.unique)
            self.positions.append(norm.hashes)
            self.starts.append(norm.starts)
            self.ends.append(norm.ends)
        H = np.concatenate(self.unique) if self.unique else np.zeros(0, np.uint64)
        D = np.repeat(np.arange(len(texts)), [len(u) for u in self.unique])
        order = np.argsort(H, kind="stable")
        H, D = H[order], D[order]
        first = np.ones(len(H), dtype=bool)
        first[1:] = H[1:] != H[:-1]
        off = np.flatnonzero(first)
        self.hashes = H[off]
        self.df = np.diff(np.append(off, len(H)))
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


def _run(jobs, params, n_jobs) -> list:
    """text_reuse of each (documents, reference documents) pair of tables, in ``n_jobs``
    processes."""
    if n_jobs == 1 or len(jobs) < 2:
        return [_reuse_job(d, r, params) for d, r in jobs]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=min(n_jobs, len(jobs)))(delayed(_reuse_job)(d, r, params)
                                                   for d, r in jobs)


def _reuse_job(docs, reference, params) -> pd.DataFrame:
    return text_reuse(Corpus(docs), reference=Corpus(reference), best_source=False,
                      date=None, **params)


def _traced(sub, is_src, index, min_shared, params, n_jobs) -> pd.DataFrame:
    """text_reuse from each source into the documents that share enough of its shingles:
    shingles no earlier document holds (for a document dated before the source: shingles
    in at most a fifth of the documents), so that text common to every document does not
    make every pair worth aligning."""
    n = len(is_src)
    rare_count = max(3, int(0.2 * n))
    texts = sub.texts
    parts = []
    for i in np.flatnonzero(is_src):
        own, rare = index.own(i), index.rare(i, rare_count)
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
        parts.append((docs, sub.docs.iloc[[i]]))
    parts = _run(parts, params, n_jobs)
    traced = pd.concat(parts, ignore_index=True) if parts else _reuse_frame([])
    by_id = dict(zip(sub.doc_ids, texts))          # passages as in the original texts
    traced["passage_b"] = [by_id[d][s:e] for d, s, e in zip(
        traced["doc_b"], traced["start_b"], traced["end_b"])]
    return traced[~traced["formulaic"]]


def _adoptions(docs, is_src, by, traced, between, when, date, threshold, clause_threshold):
    """The adoption, clause and source tables."""
    texts = dict(zip(docs["doc_id"], docs["text"]))
    juris = dict(zip(docs["doc_id"], docs[by]))
    local = docs.loc[~is_src, "doc_id"].tolist()
    by_j: dict = {}
    for d in local:
        by_j.setdefault(juris[d], []).append(d)
    pos = {d: i for i, d in enumerate(docs["doc_id"])}
    spans = {k: list(zip(g["start_a"], g["end_a"]))
             for k, g in traced.groupby(["doc_a", "doc_b"], sort=False)}
    a_rows, c_rows, s_rows = [], [], []
    for src in docs.loc[is_src, "doc_id"]:
        text = texts[src]
        n = max(1, len(text))
        bounds = _clause_bounds(text)
        src_when, src_date = when[src], docs.loc[pos[src], date]
        src_date = None if pd.isna(src_date) else str(src_date)
        own = juris.get(src)
        share, clause_share = {}, {}
        earlier = _preexisting(src, text, when, traced[traced["doc_a"] == src], between)
        before = _covered([x for v in earlier.values() for x in v], len(text))
        for d in local:
            mask = _covered(spans.get((src, d), ()), len(text))
            if d in earlier:        # an earlier document: what the others had before
                mask &= ~_covered([x for k, v in earlier.items() if k != d for x in v],
                                  len(text))
            else:
                mask &= ~before
            share[d] = mask.sum() / n
            clause_share[d] = [mask[s:e].mean() if e > s else 0.0 for s, e in bounds]
        counts = dict.fromkeys(STATUSES, 0)
        lags = []
        for j, ds in by_j.items():
            if j == own:
                continue
            orders = {d: _order(src_when, when[d]) for d in ds}

            def first(ok):
                cands = [(orders[d], None if when[d] is None else when[d][0], pos[d])
                         for d in ds if ok(d)]
                status, p = _status(cands)
                if p is None:
                    return status, None, None, pd.NA
                d = docs.loc[p, "doc_id"]
                lag = (when[d][0] - src_when[0]).days if status == "adopted" and \
                    _is_day(src_date) and _is_day(docs.loc[p, date]) else pd.NA
                return status, d, docs.loc[p, date], lag

            status, d, d_date, lag = first(lambda d: share[d] >= threshold)
            counts[status] += 1
            if status == "adopted" and not pd.isna(lag):
                lags.append(lag)
            carried = [any(clause_share[x][i] >= clause_threshold and orders[x] == "later"
                           for x in ds) for i in range(len(bounds))]
            a_rows.append((src, src_date, j, status, d, d_date, lag,
                           round(float(share[d] if d else max(share[x] for x in ds)), 4),
                           int(sum(carried)), len(bounds),
                           sum(share[x] >= threshold for x in ds), len(ds)))
            for i, (s, e) in enumerate(bounds):
                cs, cd, cdate, clag = first(lambda x, i=i: clause_share[x][i] >=
                                            clause_threshold)
                best = clause_share[cd][i] if cd else max(clause_share[x][i] for x in ds)
                c_rows.append((src, i + 1, s, e, text[s:e], j, cs, cd, cdate, clag,
                               round(float(best), 4)))
        s_rows.append((src, src_date, len(text), round(float(before.mean()), 4),
                       len(bounds), len(by_j) - (own in by_j),
                       counts["adopted"], counts["not adopted"], counts["order unknown"],
                       counts["undated"], counts["earlier"],
                       float(np.median(lags)) if lags else np.nan))
    adoptions = pd.DataFrame(a_rows, columns=ADOPTION_COLUMNS)
    adoptions["lag_days"] = adoptions["lag_days"].astype("Int64")
    clauses = pd.DataFrame(c_rows, columns=CLAUSE_COLUMNS)
    clauses["lag_days"] = clauses["lag_days"].astype("Int64")
    sources = pd.DataFrame(s_rows, columns=["source", "date", "chars", "preexisting",
                                            "n_clauses", "jurisdictions",
                                            "adopted", "not_adopted", "order_unknown",
                                            "undated", "earlier", "median_lag_days"])
    order = {s: i for i, s in enumerate(STATUSES)}
    adoptions = adoptions.sort_values(
        ["source", "status", "lag_days", "jurisdiction"], kind="stable",
        key=lambda c: c.map(order) if c.name == "status" else c).reset_index(drop=True)
    return adoptions, clauses, sources


def _horizontal(sub, docs, is_src, by, traced, when, date, index, min_shared, params,
                n_jobs):
    """Passages between documents of different jurisdictions that no source passage
    covers (half or more of either side), the earlier document first. Only pairs sharing
    enough shingles that are in no source and in at most a fifth of the documents are
    aligned."""
    local = np.flatnonzero(~is_src)
    if len(local) < 2:
        return pd.DataFrame(columns=HORIZONTAL_COLUMNS)
    from scipy import sparse

    in_source = np.concatenate([index.unique[i] for i in np.flatnonzero(is_src)])
    rare_count = max(3, int(0.2 * len(is_src)))
    keys = [np.setdiff1d(index.rare(i, rare_count), in_source, assume_unique=False)
            for i in local]
    vocab = np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.uint64)
    rows = np.repeat(np.arange(len(local)), [len(k) for k in keys])
    cols = np.searchsorted(vocab, np.concatenate(keys)) if len(vocab) else rows
    X = sparse.csr_matrix((np.ones(len(rows), np.int32), (rows, cols)),
                          shape=(len(local), len(vocab)))
    shared = sparse.triu(X @ X.T, k=1).tocoo()
    juris = docs[by].to_numpy()
    partners: dict = {}
    window = 2 * params["min_chars"]
    # where each document's key shingles sit (vocabulary id -> first position)
    first = []         # per document: its key shingles (sorted ids), first position of each
    for i in local:
        h = index.positions[i]
        vid = np.searchsorted(vocab, h) if len(vocab) else np.zeros(len(h), np.int64)
        ok = (vid < len(vocab)) & (vocab[np.minimum(vid, len(vocab) - 1)] == h) \
            if len(vocab) else np.zeros(len(h), bool)
        ids_, at = np.unique(vid[ok], return_index=True)
        first.append((ids_, np.flatnonzero(ok)[at]))
    for a, b, c in zip(shared.row, shared.col, shared.data):
        if c < min_shared or juris[local[a]] == juris[local[b]]:
            continue
        common = np.intersect1d(X.indices[X.indptr[a]:X.indptr[a + 1]],
                                X.indices[X.indptr[b]:X.indptr[b + 1]], assume_unique=True)
        pa = first[a][1][np.searchsorted(first[a][0], common)]
        pb = first[b][1][np.searchsorted(first[b][0], common)]
        if _passage_like(pa, pb, window, min_shared):
            partners.setdefault(local[a], []).append((local[b], vocab[common]))
    params = dict(params, max_df=1.0)
    blanked = _without_source_text(sub, traced).docs
    found = []
    for a, bs in partners.items():
        # each side only near the shingles the pair shares (the rest is not aligned)
        keys = np.unique(np.concatenate([k for _, k in bs]))
        reference = blanked.iloc[[a]].assign(text=[index.near(a, keys, blanked["text"].iat[a],
                                                              _NEAR)])
        others = blanked.iloc[[b for b, _ in bs]].assign(
            text=[index.near(b, k, blanked["text"].iat[b], _NEAR) for b, k in bs])
        found.append((others, reference))
    found = _run(found, params, n_jobs)
    pairs = pd.concat(found, ignore_index=True) if found else _reuse_frame([])
    texts = dict(zip(docs["doc_id"], docs["text"]))
    pairs["passage_a"] = [texts[d][s:e] for d, s, e in zip(pairs["doc_a"], pairs["start_a"],
                                                           pairs["end_a"])]
    pairs["passage_b"] = [texts[d][s:e] for d, s, e in zip(pairs["doc_b"], pairs["start_b"],
                                                           pairs["end_b"])]
    if len(pairs):      # text in more than a fifth of the documents is formulaic here
        common = [_common_share(index, t, params["ngram"], rare_count)
                  >= params["formulaic_share"] for t in pairs["passage_a"]]
        pairs = pairs[~pairs["formulaic"] & ~np.array(common, dtype=bool)]
    return _horizontal_rows(pairs, docs, by, traced, when, date)


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
                     r.chars))
    out = pd.DataFrame(rows, columns=HORIZONTAL_COLUMNS)
    out["lag_days"] = out["lag_days"].astype("Int64")
    return out.sort_values(["date_from", "doc_from", "doc_to", "start_from"],
                           kind="stable").reset_index(drop=True)
