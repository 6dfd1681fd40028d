"""The in-memory readers' after-read warnings on a Dask frame: exact copies, documents
mostly not Chinese, documents with no year, from one pass over the partitions."""
from __future__ import annotations

import hashlib
import re
import warnings

import pandas as pd

from ._common import _check_ddf, _dask, _need_text, _quiet
from ._read import _meta, _split_dropped

#: per document: its text's hash, Corpus._keep_rank's key (minus the number of metadata
#: values, a name like a copy's), its share of letters not Chinese, whether it has a year
_SUMMARY = {"doc_id": object, "key": "uint64", "n_meta": "int64", "copy_name": bool,
            "not_chinese": "float64", "has_year": "boolean", "parent": object}


def _text_key(text) -> int:
    """An 8-byte hash of a text, whitespace aside (the in-memory rule for exact copies)."""
    data = re.sub(r"\s+", "", str(text)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _summary_partition(df: pd.DataFrame) -> pd.DataFrame:
    """Per document of a partition: its text's hash, the rank that decides which of a
    group of copies is kept (as ``Corpus.duplicates``), its share of letters that are not
    Chinese, whether it has a year."""
    from ..corpus import Corpus
    from ..io import not_chinese_share

    docs, _ = _split_dropped(df)
    if not len(docs):
        return _meta(list(_SUMMARY), _SUMMARY)
    with _quiet():
        rank = Corpus(docs.reset_index(drop=True))._keep_rank()
    return pd.DataFrame({
        "doc_id": docs["doc_id"].astype(object).to_numpy(),
        "key": pd.array([_text_key(t) for t in docs["text"]], dtype="uint64"),
        "n_meta": [n for n, _ in rank], "copy_name": [c for _, c in rank],
        "not_chinese": [not_chinese_share(t) if isinstance(t, str) else 0.0
                        for t in docs["text"]],
        "has_year": (pd.array(docs["year"].notna().to_numpy(), dtype="boolean")
                     if "year" in docs.columns else pd.array([pd.NA] * len(docs),
                                                              dtype="boolean")),
        # rows that are parts of documents (document=) repeat rows of their own only
        "parent": (docs["parent_id"].astype(object).to_numpy() if "parent_id" in docs.columns
                   else [None] * len(docs))})


def check(docs, *, threshold: float = 0.5) -> pd.DataFrame:
    """The warnings ``bt.read_folder`` / ``bt.read_jsonl`` give after reading, which the
    Dask readers cannot give (their workers' warnings stay on the workers): documents that
    repeat another one word for word (whitespace aside; which copy is named as kept as in
    :meth:`bri_text.Corpus.duplicates`), documents mostly not Chinese (over ``threshold``
    of their letters), documents with no year where others have one. One warning each,
    with the in-memory wording, and a table of the documents concerned: ``doc_id``,
    ``check`` (``exact_copy``, ``not_chinese``, ``no_year``), ``detail``.

    One pass over the data (it reads and cleans the inputs again, as every ``compute``;
    ``docs.persist()`` first on a cluster to avoid it); the client gathers an 8-byte hash
    and a few numbers per document. Dropped inputs are skipped (:func:`dropped` lists them).

    >>> btd.check(btd.read_folder("plans/"))          # doctest: +SKIP
    """
    from .._dates import _no_year_message
    from ..corpus import _duplicate_rows, _warn_exact_rows
    from ..io import warn_not_chinese

    dask, _ = _dask()
    _check_ddf(docs)
    _need_text(docs, "distributed.check", "copies, letters and years are read in it")
    table = docs.map_partitions(_summary_partition, meta=_meta(list(_SUMMARY), _SUMMARY),
                                enforce_metadata=False).compute()
    ids = table["doc_id"].astype(str).tolist()
    keys = [format(int(k), "x") for k in table["key"]]
    priority = list(zip(table["n_meta"], table["copy_name"]))
    if table["parent"].notna().any():   # as Corpus.duplicates: within a document only
        found = []
        for members in table.groupby("parent", sort=False).indices.values():
            part = _duplicate_rows([keys[i] for i in members], [ids[i] for i in members],
                                   None, priority=[priority[i] for i in members])
            at = {ids[i]: i for i in members}
            found += [(at[r[0]], r) for r in part]
        rows = [r for _, r in sorted(found, key=lambda x: x[0])]
    else:
        rows = _duplicate_rows(keys, ids, None, priority=priority)
    out = [(d, "exact_copy", f"repeats {of} word for word") for d, of, _, _ in rows]
    _warn_exact_rows(rows, "check", stacklevel=3)
    foreign = table[table["not_chinese"] > threshold]
    warn_not_chinese(None, "check", threshold, ids=foreign["doc_id"].astype(str).tolist())
    out += [(d, "not_chinese", f"{x:.0%} of its letters are not Chinese characters")
            for d, x in zip(foreign["doc_id"], foreign["not_chinese"])]
    has_year = table["has_year"]
    undated = table.loc[has_year.eq(False).fillna(False), "doc_id"].tolist()
    n_dated = int(has_year.eq(True).fillna(False).sum())
    if undated and n_dated:
        warnings.warn(_no_year_message("check", len(undated), len(table),
                                       f"{n_dated} have one"), stacklevel=2)
        out += [(d, "no_year", "") for d in undated]
    return pd.DataFrame(out, columns=["doc_id", "check", "detail"])
