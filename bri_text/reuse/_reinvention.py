"""How each local version rewrote its source, over a corpus (:func:`reinvention`): every
document compared with each source by :func:`~bri_text.compare_versions`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import check_scalar
from ..corpus import Corpus
from ..errors import EmptyDocumentError, MetadataError, ParameterError
from ._versions import (CHANGED, KEPT, MIN_COMMON, REINVENTION_COLUMNS,  # noqa: F401
                        _UNITS, _align, _check_thresholds, _Clauses, _stock_shingles,
                        _versions_frame)


def _source_mask(corpus: Corpus, source) -> np.ndarray:
    if isinstance(source, str):
        source = [source]
    if isinstance(source, (list, tuple)) and all(isinstance(s, str) for s in source):
        absent = [s for s in source if s not in corpus.doc_ids]
        if absent:
            raise MetadataError(f"source: doc_id(s) {absent[:5]} not in the corpus")
        return np.isin(np.array(corpus.doc_ids, dtype=object), list(source))
    from .._grouping import condition_mask

    mask = condition_mask(corpus.docs, source, "source")
    if not mask.any():
        raise MetadataError(f"source={source!r} matches no document of the corpus")
    return mask


def reinvention(corpus: Corpus, source, *, by: str | None = None, min_share: float = 0.2,
                date: str | None = "date", unit: str = "clause", kept: float = KEPT,
                changed: float = CHANGED, max_df: float = 0.5) -> pd.DataFrame:
    """How each local version rewrote its source: kept, changed, dropped and added rates.

    ``source``: the source documents - a ``doc_id``, a list of them, or a condition such as
    ``{"level": "national"}``. Every other document is compared with each source by
    :func:`compare_versions` (same ``unit``, ``kept``, ``changed``, ``max_df``; stock
    phrasing counted on the whole corpus). A document is a version of a source when at
    least ``min_share`` of the source's clauses of substance (column ``substance`` of
    :func:`compare_versions`: at least :data:`MIN_COMMON` characters outside stock
    phrasing, not a heading such as ``（二）指导思想。``, not the title line (``title``
    metadata), not a date or 附件 line) are
    kept or changed in it, at least one, and - with the
    metadata column ``date`` - it is not dated before the source (a year-only date counts
    as its whole year); other pairs are left out and counted in ``df.attrs``.

    One row per (source, version), or with ``by`` (e.g. ``"region"``) per (source,
    jurisdiction): the jurisdiction's version is its document keeping the most of the
    source (named in ``local_doc``; ``versions`` counts its documents that are versions).
    Documents without a ``by`` value are left out with a warning. Columns
    :data:`REINVENTION_COLUMNS`: counts of clauses of substance only (``n_source``,
    ``n_local`` and the kept, changed, dropped and added counts leave headings, dates and
    stock lines out, matched or not), ``kept_rate`` / ``changed_rate`` /
    ``dropped_rate`` (shares of the source's clauses), ``added_rate`` (share of the local
    version's clauses that are new), ``changed_similarity`` (mean similarity of the changed
    clauses), ``moved_share`` (share of the matched source clauses that moved),
    ``figures_changed`` (the kept or changed source clauses of substance whose figures the
    version changed - 95%→98%, 2030年→2027年 -, which similarity ignores: column
    ``figures_changed`` of :func:`compare_versions`, where ``figures`` lists them).

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> t = bt.reinvention(corpus, source="bri27", by="region", min_share=0.05, unit="sentence")
    >>> t[["region", "local_doc", "kept", "changed"]].values.tolist()
    [['河南', 'bri24', 0, 2], ['陕西', 'bri21', 1, 2]]
    """
    _check_reinvention(corpus, min_share, unit, kept, changed, max_df)
    is_src = _source_mask(corpus, source)
    if is_src.all():
        raise MetadataError(f"source={source!r} selects every document; nothing is left to "
                            "compare with it")
    ids, texts, docs = corpus.doc_ids, corpus.texts, corpus.docs
    _check_by(docs, by)
    empty = [i for i, t in zip(ids, texts) if not t.strip()]
    if empty:
        raise EmptyDocumentError(f"document(s) with no text: {empty[:5]}; drop them first")
    shingles = _stock_shingles(texts, max_df)
    titles = docs["title"].tolist() if "title" in docs.columns else [""] * len(texts)
    clauses = [_Clauses(t, unit, shingles, title=x) for t, x in zip(texts, titles)]
    low = high = None
    if date is not None and date in docs.columns:
        from ._align import _date_bounds

        low, high = _date_bounds(docs[date])
    rows, earlier, too_little = [], 0, 0
    for s in np.flatnonzero(is_src):
        for d in np.flatnonzero(~is_src):
            if _dated_before(low, high, d, s):
                earlier += 1
                continue
            row = _version_row(clauses[s], clauses[d], kept, changed, min_share)
            if row is None:
                too_little += 1
                continue
            rows.append({"source": ids[s], "local_doc": ids[d], **row, "_row": d})
    out = pd.DataFrame(rows, columns=REINVENTION_COLUMNS + ["_row"])
    if by is not None:
        out = _per_jurisdiction(out, docs, by)
    out = out.drop(columns="_row").reset_index(drop=True)
    out.attrs.update({"source": repr(source), "by": by, "unit": unit,
                      "kept_threshold": kept, "changed_threshold": changed, "min_share": min_share, "max_df": max_df,
                      "date": date if low is not None else None,
                      "dated_before_source": earlier, "below_min_share": too_little})
    return out


def _check_reinvention(corpus, min_share, unit, kept, changed, max_df) -> None:
    """The checks of :func:`reinvention`'s arguments (the source aside)."""
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"corpus must be a bri_text Corpus, got {type(corpus).__name__}")
    _check_thresholds(kept, changed, max_df)
    check_scalar(min_share, "min_share", "real", min_val=0, max_val=1)
    if unit not in _UNITS:
        raise ParameterError(f"unit must be one of {_UNITS}, got {unit!r}")


def _check_by(docs, by) -> None:
    """``by`` (when given) is a metadata column."""
    if by is not None:
        from .._util import check_column

        check_column(docs, by, "by")


def _dated_before(low, high, d, s) -> bool:
    """Whether document d is dated before document s (both dated; low/high None: no dates)."""
    return low is not None and not (pd.isna(low[s]) or pd.isna(high[d])) and high[d] < low[s]


def _version_row(src: _Clauses, loc: _Clauses, kept, changed, min_share) -> dict | None:
    """Counts and rates of how a local version rewrote its source, over the clauses of
    substance (``compare_versions``' ``substance``: headings, dates and lines of stock
    phrasing are not counted); None when it keeps or changes too few of the source's
    clauses of substance to be a version."""
    t = _versions_frame(src, loc, _align(src, loc, changed), kept)
    t = t[t.substance]
    n = t.status.value_counts()
    k, c, dr, a = (int(n.get(x, 0)) for x in ("kept", "changed", "dropped", "added"))
    n_src, n_loc = k + c + dr, int(sum(loc.substance))
    if not k + c or k + c < min_share * n_src:
        return None
    moved = t.loc[t.status.isin(["kept", "changed"]), "moved"]
    return {"n_source": n_src, "n_local": n_loc, "kept": k, "changed": c,
            "dropped": dr, "added": a, "kept_rate": k / n_src, "changed_rate": c / n_src,
            "dropped_rate": dr / n_src, "added_rate": a / n_loc if n_loc else np.nan,
            "changed_similarity": t.loc[t.status == "changed", "similarity"].mean(),
            "moved_share": float(moved.mean()) if len(moved) else np.nan,
            "figures_changed": int(t.figures_changed.sum())}


def _per_jurisdiction(out: pd.DataFrame, docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per (source, ``by`` value) the version keeping the most of the source (then
    changing the most, then first in the corpus)."""
    from .._util import warn_left_out

    value = docs[by].to_numpy()[out["_row"].to_numpy(dtype=int)] if len(out) else []
    out = out.assign(**{by: value})
    missing = pd.isna(out[by]).to_numpy() if len(out) else np.zeros(0, bool)
    if missing.any():
        warn_left_out(missing, out.rename(columns={"local_doc": "doc_id"}), by, "reinvention")
        out = out[~missing]
    out = out.assign(versions=out.groupby(["source", by])["local_doc"].transform("size"),
                     _matched=-(out.kept + out.changed), _kept=-out.kept)
    best = out.sort_values(["_matched", "_kept", "_row"], kind="stable") \
        .drop_duplicates(["source", by])
    best = best.sort_values(["source", by], kind="stable")
    cols = ["source", by, "local_doc", "versions"] + REINVENTION_COLUMNS[2:] + ["_row"]
    return best[cols]
