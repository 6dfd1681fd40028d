"""Who shares what with whom (:func:`reuse_summary`), in the order of the documents' dates."""
from __future__ import annotations


import pandas as pd

from ..corpus import Corpus
from ..errors import MetadataError, ParameterError
from ._align import _date_bounds
from ._passages import REUSE_COLUMNS


#: the columns of :func:`reuse_summary`
SUMMARY_COLUMNS = ["source", "target", "date_source", "date_target", "direction", "passages",
                   "chars_source", "chars_target", "share_source", "share_target", "dated_by"]



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
    names a source dated after its target). Formulaic passages (``formulaic`` True: kinds
    ``"formulaic"``, set phrasing, and ``"widespread"``, text common to more than
    ``max_df`` of the documents) and shared citations (``kind`` ``"citation"``: two
    documents citing a third's title) are left out unless ``formulaic=True``: a
    passage many documents hold is no evidence that one of a pair took it from the other
    (it may come from a common source; read ``documents``). Pass the ``reference`` Corpus when the table was made with one.
    Sorted by ``share_target``, largest first. ``attrs`` carry on the table's
    ``corpus_fingerprint`` and ``reference_fingerprint`` (what text_reuse compared).

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> s = bt.reuse_summary(bt.text_reuse(corpus.subset(region="陕西"), min_chars=20), corpus)
    >>> s[["source", "target", "direction", "dated_by"]].values.tolist()
    [['bri27', 'bri21', 'earlier→later', 'date']]
    """
    # ``inserted`` and ``deleted`` (0.5.0) are not read here: a table saved by an earlier
    # version still works
    missing = [c for c in REUSE_COLUMNS if c not in getattr(table, "columns", [])
               and c not in ("inserted", "deleted")]
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
    if formulaic:
        t = table
    else:              # set wording and shared citations of a third text: no borrowing
        cited = table["kind"].eq("citation") if "kind" in table.columns else False
        t = table[~table["formulaic"].astype(bool) & ~cited]
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
    # what the passages were found in (text_reuse's attrs), carried on
    out.attrs.update({k: table.attrs[k] for k in ("corpus_fingerprint", "reference_fingerprint")
                      if k in table.attrs})
    out.attrs["formulaic_included"] = formulaic
    out.attrs["date"] = dated_by
    return out
