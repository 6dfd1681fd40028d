"""The Corpus: documents and their metadata, keyed by a unique, stable ``doc_id``.

>>> from bri_text import Corpus
>>> import pandas as pd
>>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["一、总体要求\\n推进合作。", "二"],
...                                          "region": ["广西", "甘肃"]}))
>>> len(c), c.doc_ids
(2, ['doc0', 'doc1'])
>>> c.subset(region="广西").doc_ids
['doc0']
>>> c.reshape("paragraph").docs[["doc_id", "parent_id", "text"]].values.tolist()[:2]
[['doc0#p0', 'doc0', '一、总体要求'], ['doc0#p1', 'doc0', '推进合作。']]
"""
from __future__ import annotations

import re
import warnings
from typing import Iterator, NamedTuple

import pandas as pd

from . import _clauses, _documents, _units
from .errors import EmptyDocumentError, MetadataError, ParameterError

__all__ = ["Corpus", "Document", "KNOWN_FIELDS", "NEAR_DUPLICATE"]

#: metadata fields the library understands when present
KNOWN_FIELDS = ("title", "date", "year", "source", "doc_number", "region", "level", "section")
#: the share of 5-character shingles (Jaccard, spacing and punctuation aside) from which
#: :meth:`Corpus.duplicates` calls a document a near copy of an earlier one (measured in
#: benchmarks/bench_duplicates.py: distinct documents of the built-in corpora share <= 0.43)
NEAR_DUPLICATE = 0.7
#: the length (characters, whitespace, punctuation and symbols aside) both texts need for
#: a near copy under 1.0: distinct paragraphs of different years' work reports reach 0.7
#: below it (36 pairs under 50 characters, 6 of 150-186: 这是以…为核心的党中央…的结果),
#: none of the 1,907 of 200 characters or more. Shorter texts are copies only when the
#: same once spacing, punctuation and widths are set aside (session 44)
NEAR_MIN_CHARS = 200
_UNITS = ("document", "paragraph", "sentence", "section", "clause")


def _removed_reader(old: str, new: str) -> ParameterError:
    """The error for ``Corpus.<old>``, deprecated in 0.4.0 and removed in 0.5.0: it names
    the reader of :mod:`bri_text.io` that replaces it."""
    return ParameterError(f"Corpus.{old} was deprecated in bri_text 0.4.0 and removed in "
                          f"0.5.0: use bt.{new}, which takes the same arguments (reading lives "
                          f"in bri_text.io)")


class Document(NamedTuple):
    """One document (or unit) of a corpus, as yielded by iterating over a Corpus."""

    doc_id: str
    text: str
    meta: dict


def _text_column_hint(df: pd.DataFrame) -> str:
    """How to name the column of texts, with the table's column of the longest strings
    as the example.

    >>> _text_column_hint(pd.DataFrame({"标题": ["规划"], "正文": ["加快数字经济发展。"]}))
    "name the column of texts with text='正文' (on the command line: --text-column 正文)"
    """
    lengths = {c: df[c].dropna().astype(str).str.len().mean() for c in df.columns
               if (df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype))
               and df[c].notna().any()}
    best = max(lengths, key=lengths.get) if lengths else "full_text"
    return (f"name the column of texts with text={best!r} (on the command line: "
            f"--text-column {best})")


class Corpus:
    """Documents with a metadata table.

    ``corpus.docs`` is a DataFrame with ``doc_id``, ``text`` and one column per metadata
    field. Build one with :meth:`from_dataframe`, :func:`bri_text.read_folder` or
    :func:`bri_text.load_bri_policies`.

    Attributes
    ----------
    docs : DataFrame
    dropped : DataFrame
        Documents removed when the corpus was built or cleaned (``doc_id``, ``reason``), so
        nothing disappears silently.
    cleaning_report : DataFrame or None
        After :meth:`clean`: per document and step, characters and lines removed.
    removed : DataFrame or None
        After :meth:`clean`: the text each step removed from each document (``doc_id``,
        ``step``, ``text``), including lines repeated across documents
        (step ``remove_repeated_lines``), so a researcher can read what went.
    derived : dict
        Metadata columns the library derived when the corpus was built (``{"date": "from
        column 'Release Time' (221 of 221 documents dated)", "year": "from date"}``).

    >>> import bri_text as bt, pandas as pd
    >>> corpus = bt.Corpus(pd.DataFrame({"doc_id": ["gx", "gs"], "region": ["广西", "甘肃"],
    ...                                  "text": ["面向东盟开放。", "建设丝绸之路经济带。"]}))
    >>> len(corpus), corpus.docs.columns.tolist()
    (2, ['doc_id', 'region', 'text'])
    """

    def __init__(self, docs: pd.DataFrame, *, dropped: pd.DataFrame | None = None,
                 cleaning_report: pd.DataFrame | None = None, name: str | None = None,
                 removed: pd.DataFrame | None = None, derived: dict | None = None):
        if not isinstance(docs, pd.DataFrame):
            raise ParameterError(f"docs must be a pandas DataFrame, got {type(docs).__name__}")
        for col in ("doc_id", "text"):
            if col not in docs.columns:
                raise MetadataError(
                    f"Corpus needs a {col!r} column; columns present: {list(docs.columns)}")
        ids = docs["doc_id"].astype(str)
        dup = ids[ids.duplicated()].unique().tolist()
        if dup:
            raise MetadataError(
                f"doc_id values must be unique; duplicated: {dup[:5]}"
                + (f" and {len(dup) - 5} more" if len(dup) > 5 else ""))
        bad = [i for i, t in zip(ids, docs["text"]) if not isinstance(t, str)]
        if bad:
            raise MetadataError(f"text must be a string for every document; not for {bad[:5]}")
        self.docs = docs.assign(doc_id=ids).reset_index(drop=True)
        self.dropped = dropped if dropped is not None else pd.DataFrame(
            columns=["doc_id", "reason"])
        self.cleaning_report = cleaning_report
        self.removed = removed
        self.name = name
        self.derived = dict(derived or {})

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dataframe(cls, df: pd.DataFrame, text: str = "text", doc_id: str | None = None,
                       *, drop_empty: bool = True, date: str | None = None,
                       table_name: str | None = None,
                       document: str | None = None) -> "Corpus":
        """Build a corpus from a DataFrame with a text column.

        ``doc_id`` names a column of unique ids; ``None`` uses a ``doc_id`` column when the
        table has one, else makes ``doc0, doc1, ...``.
        Empty or whitespace-only texts are dropped with a warning and recorded in
        :attr:`dropped` (``drop_empty=False`` raises :class:`EmptyDocumentError` instead).

        Dates: the column ``date`` names (else a ``date`` column, else one named like
        ``publish_date``, ``Release Time``, ``发布时间``, ``发文日期`` whose values are mostly
        dates, else the one datetime column) gives a ``date`` column of ISO strings
        (``2021-03-08``) and, when the table has none, ``year`` (the gaps of a ``year``
        column of the table's are filled from the date, with a warning counting the years
        taken from each column; a year given is never changed); the source column is kept,
        a value that is no date is warned about, and :attr:`derived` says what was derived.
        Dates are read from the rows with a text (an empty row is dropped, not counted as
        undated). ``table_name`` names the table in warnings (``read_csv`` and
        ``read_excel`` pass the file and sheet; default ``"from_dataframe"``).

        Rows that are parts of documents (one row per section of a report): ``document``
        names the column that says which document each row belongs to (a title, a year,
        a report number). It becomes ``parent_id``, so that document-level tests
        (``keyness(measure="permutation")``, the report's), bootstrap intervals and counts
        of documents count whole documents, not rows, as for a reshaped corpus; a row
        without a value is a document of its own. Without ``document``, rows that look like
        parts of fewer documents (rows sharing a title, its part's ending aside, and their
        other metadata; rows beginning with a later heading such as ``二、``) are warned
        about once (:mod:`bri_text._documents`).

        >>> rows = pd.DataFrame({"报告": ["2019", "2019", "2020"], "text": ["一、", "二、", "全文"]})
        >>> Corpus.from_dataframe(rows, document="报告").docs["parent_id"].tolist()
        ['2019', '2019', '2020']

        >>> df = pd.DataFrame({"Release Time": ["2021年3月8日"], "text": ["推进数字经济。"]})
        >>> c = Corpus.from_dataframe(df)
        >>> c.docs[["Release Time", "date", "year"]].values.tolist(), c.derived["year"]
        ([['2021年3月8日', '2021-03-08', 2021]], 'from date')
        """
        from ._dates import _derive_dates

        if not isinstance(df, pd.DataFrame):
            raise ParameterError(f"df must be a pandas DataFrame, got {type(df).__name__}")
        if text not in df.columns:
            raise MetadataError(
                f"text column {text!r} not found; columns present: {list(df.columns)}; "
                f"{_text_column_hint(df)}")
        if doc_id is None and "doc_id" in df.columns:
            doc_id = "doc_id"  # the table's own ids, not doc0, doc1, ...
        if doc_id is not None and doc_id not in df.columns:
            raise MetadataError(
                f"doc_id column {doc_id!r} not found; columns present: {list(df.columns)}")
        out = df.copy()
        ids = out[doc_id].astype(str) if doc_id else pd.Series(
            [f"doc{i}" for i in range(len(out))], index=out.index)
        out = out.drop(columns=[c for c in (doc_id, text) if c]).assign(
            doc_id=ids.values, text=out[text].values)
        if "doc_id" in df.columns and doc_id not in (None, "doc_id"):
            raise MetadataError("df has a 'doc_id' column; pass doc_id='doc_id' to use it")
        cols = ["doc_id", "text"] + [c for c in out.columns if c not in ("doc_id", "text")]
        out = out[cols]
        missing = out["text"].isna()
        out.loc[missing, "text"] = ""
        # dates of the rows with a text: an empty row (dropped below) is no undated document
        # (audit44: "1 of 65 documents have no year" of a workbook read as 63, all dated)
        empty = out["text"].astype(str).str.strip() == ""
        where = table_name or "from_dataframe"
        kept, derived = _derive_dates(out[~empty], date, where)
        if empty.any():
            out = pd.concat([kept, out[empty]]).loc[out.index]
        else:
            out = kept
        if document is not None:
            out = _documents.document_column(out, document, where)
        corpus = cls._drop_empty(out, drop_empty, where=where, derived=derived)
        if document is not None:     # the documents kept (an empty row is none)
            corpus.derived["parent_id"] = _documents.documents_note(corpus.docs, document)
        if document is None and "parent_id" not in corpus.docs.columns:
            _warn_parts(corpus.docs, where)
        return corpus

    @classmethod
    def from_files(cls, *args, **kwargs):
        """Removed in 0.5.0 (reading lives in :mod:`bri_text.io`): raises a
        :class:`~bri_text.errors.ParameterError` naming :func:`bri_text.read_files`, which
        takes the same arguments."""
        raise _removed_reader("from_files", "read_files")

    @classmethod
    def from_folder(cls, *args, **kwargs):
        """Removed in 0.5.0 (reading lives in :mod:`bri_text.io`): raises a
        :class:`~bri_text.errors.ParameterError` naming :func:`bri_text.read_folder`, which
        takes the same arguments."""
        raise _removed_reader("from_folder", "read_folder")

    @classmethod
    def _drop_empty(cls, docs: pd.DataFrame, drop: bool, where: str,
                    dropped: pd.DataFrame | None = None, reason: str = "empty text",
                    **kw) -> "Corpus":
        texts = docs["text"].astype(str)
        empty = texts.str.strip() == ""
        if empty.any():
            ids = docs.loc[empty, "doc_id"].astype(str).tolist()
            if not drop:
                raise EmptyDocumentError(
                    f"{len(ids)} document(s) have no text{' ' + reason if reason != 'empty text' else ''}: "
                    f"{ids[:5]}; remove them or pass drop_empty=True")
            warnings.warn(f"{where}: dropped {len(ids)} empty document(s) ({reason}): "
                          f"{ids[:5]}" + (" ..." if len(ids) > 5 else ""), stacklevel=3)
            new = pd.DataFrame({"doc_id": ids, "reason": reason})
            dropped = new if dropped is None or dropped.empty else pd.concat(
                [dropped, new], ignore_index=True)
        return cls(docs.loc[~empty], dropped=dropped, **kw)

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self) -> Iterator[Document]:
        meta_cols = [c for c in self.docs.columns if c not in ("doc_id", "text")]
        # records, not itertuples: a column named "No." or "Release Time" is no attribute
        for d in self.docs.to_dict("records"):
            yield Document(d["doc_id"], d["text"], {c: d[c] for c in meta_cols})

    def __getitem__(self, doc_id: str) -> Document:
        hit = self.docs.index[self.docs["doc_id"] == doc_id]
        if len(hit) == 0:
            raise MetadataError(f"no document with doc_id {doc_id!r}")
        row = self.docs.loc[hit[0]]
        return Document(row["doc_id"], row["text"],
                        {c: row[c] for c in self.docs.columns if c not in ("doc_id", "text")})

    @property
    def texts(self) -> list[str]:
        return self.docs["text"].tolist()

    @property
    def doc_ids(self) -> list[str]:
        return self.docs["doc_id"].tolist()

    @property
    def fingerprint(self) -> str:
        """16 hex digits of a SHA-256 over the documents' ids and texts, in order: the same
        fingerprint means the same texts under the same ids in the same order (metadata is
        not in it). Two levels, as ``Tokens.fingerprint``: the ids, then the SHA-256 of each
        text (:func:`bri_text._util.documents_fingerprint`); what a manifest records as
        ``corpus.fingerprint``.

        >>> import bri_text as bt
        >>> c = bt.load_bri_policies()
        >>> c.fingerprint == bt.manifest(c)["corpus"]["fingerprint"]
        True
        """
        from ._util import documents_fingerprint

        return documents_fingerprint(self.docs["doc_id"].astype(str),
                                     self.docs["text"].astype(str))

    @property
    def metadata(self) -> pd.DataFrame:
        """The metadata table (``docs`` without the text)."""
        return self.docs.drop(columns="text")

    def _with(self, docs: pd.DataFrame, **kw) -> "Corpus":
        args = dict(dropped=self.dropped, cleaning_report=self.cleaning_report, name=self.name,
                    removed=self.removed, derived=self.derived)
        args.update(kw)
        return Corpus(docs, **args)

    def subset(self, mask=None, **conditions) -> "Corpus":
        """Documents matching a boolean mask and/or metadata conditions.

        A condition value may be a scalar or a list of accepted values:
        ``corpus.subset(region=["广西", "甘肃"], level="provincial")``.
        """
        from ._grouping import subset_mask

        keep = subset_mask(self.docs, mask, conditions)
        return self._with(self.docs.loc[keep])

    # ------------------------------------------------------------------ duplicates
    def duplicates(self, threshold: float | None = NEAR_DUPLICATE) -> pd.DataFrame:
        """Documents that repeat another one: word for word (``kind`` "exact": the same
        text, whitespace aside) or nearly (``"near"``: at least ``threshold`` of their
        5-character shingles shared, Jaccard, once whitespace, punctuation and symbols are
        removed and character widths unified (NFKC): a copy re-spaced, with half-width
        punctuation, another byline or a few characters changed).

        One row per repeat, in corpus order: ``doc_id``, ``duplicate_of`` (the kept
        document it repeats), ``similarity`` (1.0 for exact copies, and for near ones
        differing only in spacing, punctuation or width) and ``kind``; exactly the
        documents :meth:`drop_duplicates` with the same ``threshold`` drops.
        ``threshold=None``: exact copies only. The default, :data:`NEAR_DUPLICATE` (0.7), is
        measured (``benchmarks/bench_duplicates.py``): distinct documents of the built-in
        corpora share at most 0.43 (two NPC resolutions), a local adaptation of a central
        document 0.52; copies of documents of 500 characters or more with a byline, an
        attachment line, half-width punctuation and 10 characters changed keep 0.73 or more.
        A text shorter than :data:`NEAR_MIN_CHARS` (200 characters once whitespace,
        punctuation and symbols are removed) is a near copy only at similarity 1.0: the
        same text re-spaced or with other punctuation. In a text that short a few words
        are a large share of its pieces, and distinct texts reach 0.7 (the opening lines of
        two years' work reports, 各位代表：现在，我代表国务院… with 全国政协各位委员 and
        全国政协委员, share 0.74); exact copies are found at any length.

        Which one of a group of copies is kept: the document with the most metadata
        (non-empty values in its metadata columns: a region from ``metadata.csv`` the copy
        lacks; a byline's ``source`` and ``author``, which a re-posting site adds, and the
        reader's own ``file``, ``encoding``, ``date_source`` do not count), then one whose name does not look like a copy
        (``报告(1)``, ``报告（2）``, ``报告 - 副本``, ``报告 副本 2``, ``report_copy``,
        ``report copy``, ``Copy of report``, ``复件 报告``: the ``doc_id`` or the ``file``),
        then the first in corpus order. So of ``报告.txt`` and ``报告(1).txt`` (which sorts
        first) the original is kept. Rows that are parts of documents (``parent_id``: read
        with ``document=``, or reshaped) are compared with the rows of their own document
        only.

        >>> c = Corpus.from_dataframe(pd.DataFrame({"text": [
        ...     "推进数字经济和实体经济深度融合，加快建设数字中国。", "发展数字政府。",
        ...     "推进数字经济和实体经济深度融合，加快建设数字中国。",
        ...     "推进数字经济和实体经济深度融合, 加快建设数字中国!",
        ...     "推进数字经济与实体经济深度融合，加快建设数字中国。"]}))
        >>> c.duplicates().values.tolist()       # doc4: one word of a sentence changed
        [['doc2', 'doc0', 1.0, 'exact'], ['doc3', 'doc0', 1.0, 'near']]
        >>> len(c.duplicates(threshold=0.5))     # doc4 shares 0.58 of 23 characters: kept
        2
        >>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["甲文。", "甲文。"],
        ...     "doc_id": ["报告(1)", "报告"]}), doc_id="doc_id")
        >>> c.duplicates().values.tolist()       # the original kept, though it comes second
        [['报告(1)', '报告', 1.0, 'exact']]
        """
        from ._util import check_scalar

        if threshold is not None:
            check_scalar(threshold, "threshold", "real", min_val=0.0, max_val=1.0,
                         include_min=False)
        rows = self._duplicate_rows(threshold)
        return pd.DataFrame(rows, columns=["doc_id", "duplicate_of", "similarity", "kind"])

    def _duplicate_rows(self, threshold) -> list:
        """:func:`_duplicate_rows` of the corpus; rows that are parts of documents
        (``parent_id``) repeat only rows of their own document: the same section in two
        reports (a greeting, a standard 保障措施) is a passage they share, not a copy of a
        document (:func:`bri_text.text_reuse` finds those)."""
        priority = self._keep_rank()
        if "parent_id" not in self.docs.columns:
            return _duplicate_rows(self.texts, self.doc_ids, threshold, priority=priority)
        texts, ids = self.texts, self.doc_ids
        found = []
        for members in self.docs.groupby("parent_id", sort=False).indices.values():
            if len(members) < 2:
                continue
            rows = _duplicate_rows([texts[i] for i in members], [ids[i] for i in members],
                                   threshold, priority=[priority[i] for i in members])
            position = {ids[i]: i for i in members}
            found += [(position[r[0]], r) for r in rows]
        return [r for _, r in sorted(found, key=lambda x: x[0])]

    def _keep_rank(self) -> list:
        """Per document, the key by which one of a group of copies is kept (smallest
        first): more metadata, then a name that does not look like a copy (the corpus
        order breaks ties, in :func:`_duplicate_rows`)."""
        docs = self.docs
        meta = docs.drop(columns=[c for c in docs.columns
                                  if c in ("doc_id", "text") or c in _NOT_KEEP_METADATA])
        n_meta = [0] * len(docs)      # per column, not DataFrame.apply: an empty frame's
        for _, col in meta.items():   # reductions differ across pandas versions
            n_meta = [n + _has_value(v) for n, v in zip(n_meta, col.tolist())]
        files = (docs["file"].tolist() if "file" in docs.columns else [None] * len(docs))
        return [(-n, _looks_like_copy(i) or _looks_like_copy(f))
                for n, i, f in zip(n_meta, docs["doc_id"], files)]

    def drop_duplicates(self, threshold: float | None = NEAR_DUPLICATE) -> "Corpus":
        """The corpus without repeated documents: exact and near copies (the default
        ``threshold``, :data:`NEAR_DUPLICATE`, 0.7, as :meth:`duplicates` and the report
        use) or exact copies only (``threshold=None``). Of each group of copies the one
        :meth:`duplicates` names is kept: the most metadata, then a name that does not
        look like a copy (``报告(1)``, ``报告 - 副本``), then the first in corpus order. The
        dropped documents are warned about and listed in :attr:`dropped` (reason
        ``"duplicate of doc3 (exact)"``). A dropped copy whose ``title`` or ``date`` (or
        ``year``, in a table with no ``date``) differs from the kept document's (both
        given) says so in its reason (``"duplicate
        of doc3 (exact); another date: 2019-03-01 (doc3: 2018-01-06)"``) and the warning
        counts them: the same text under another date or title may be a reissue (a notice
        issued again, a plan extended), not a copy.

        >>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["甲文。", "乙文。", "甲文。"]}))
        >>> d = c.drop_duplicates()
        >>> d.doc_ids, d.dropped.values.tolist()
        (['doc0', 'doc1'], [['doc2', 'duplicate of doc0 (exact)']])
        """
        table = self.duplicates(threshold=threshold)
        if table.empty:
            return self
        other = self._differs_from_kept(table)
        gone = pd.DataFrame({"doc_id": table["doc_id"],
                             "reason": [f"duplicate of {d} ({k})" + (f"; {o}" if o else "")
                                        for d, k, o in zip(table["duplicate_of"],
                                                           table["kind"], other)]})
        ids = table["doc_id"].tolist()
        differ = [(i, o) for i, o in zip(ids, other) if o]
        note = ""
        if differ:
            n = len(differ)
            note = (f"; {n} of them {'has' if n == 1 else 'have'} another title or date "
                    f"than the document kept ({differ[0][0]}: {differ[0][1]}"
                    + (" ..." if n > 1 else "") + "): the same text under another date or "
                    "title may be a reissue (a notice issued again, a plan extended), not a "
                    "copy; read their reasons in .dropped before relying on the dates")
        warnings.warn(f"drop_duplicates: dropped {len(ids)} repeated document(s): {ids[:5]}"
                      + (" ..." if len(ids) > 5 else "") + " (listed in .dropped)" + note,
                      stacklevel=2)
        dropped = gone if self.dropped.empty else pd.concat([self.dropped, gone],
                                                            ignore_index=True)
        return self._with(self.docs.loc[~self.docs["doc_id"].isin(ids)], dropped=dropped)

    def _differs_from_kept(self, table: pd.DataFrame) -> list[str]:
        """Per row of :meth:`duplicates`, how the copy's ``title`` and ``date`` (``year``
        in a table with no ``date``) differ from the kept document's, where both have one
        (``"another date: 2019-03-01 (doc3: 2018-01-06)"``), else ""."""
        when = "date" if "date" in self.docs.columns else "year"
        cols = [c for c in ("title", when) if c in self.docs.columns]
        if not cols:
            return [""] * len(table)
        meta = self.docs.drop_duplicates("doc_id").set_index("doc_id")[cols]
        out = []
        for d, k in zip(table["doc_id"], table["duplicate_of"]):
            parts = []
            for c in cols:
                a, b = meta.at[d, c], meta.at[k, c]
                if _has_value(a) and _has_value(b) and str(a).strip() != str(b).strip():
                    parts.append(f"another {c}: {str(a).strip()} ({k}: {str(b).strip()})")
            out.append("; ".join(parts))
        return out

    def _warn_exact_duplicates(self, where: str) -> None:
        """One warning when documents repeat another one word for word (read time)."""
        _warn_exact_rows(self._duplicate_rows(None), where, stacklevel=5)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        meta = [c for c in self.docs.columns if c not in ("doc_id", "text")]
        chars = int(self.docs["text"].str.len().sum()) if len(self) else 0
        size = (f"{len(self)} rows of {self.docs['parent_id'].nunique()} documents"
                if "parent_id" in self.docs.columns and "unit" not in self.docs.columns
                else f"{len(self)} documents")      # rows read with document=
        head = f"<Corpus{' ' + repr(self.name) if self.name else ''}: {size}, " \
               f"{chars:,} characters; metadata: {', '.join(meta) or 'none'}>"
        return head

    def _repr_html_(self) -> str:
        preview = self.docs.head(10).copy()
        preview["text"] = preview["text"].str.slice(0, 40) + "…"
        return f"<p>{self.__repr__()[1:-1]}</p>" + preview.to_html(index=False, escape=True)

    # ------------------------------------------------------------------ cleaning
    def clean(self, steps=None, *, drop_empty: bool = True, boilerplate_min_df=3,
              keep_apparatus: bool = False) -> "Corpus":
        """A new corpus with every text cleaned by :func:`bri_text.clean`, then lines
        repeated verbatim in at least ``boilerplate_min_df`` documents (a count, or a share
        of the documents when a float; rows that are parts of one document, ``parent_id``
        from ``document=``, count once) removed as templated site chrome where they sit in
        a page's chrome, above its first or below its last sentence (never a sentence, a
        heading, a table's cells among other cells, or a document's own title line such
        as ``政府工作报告`` and the speaker under it, ``国务院总理`` / ``李克强``:
        :func:`bri_text.cleaning.remove_repeated_lines`); ``None`` keeps them. An official
        document's apparatus (its number line, addressee line, signature block and the
        ``（此件公开发布）`` / 抄送 / 印发 lines: :func:`bri_text.cleaning.remove_document_apparatus`)
        is removed; ``keep_apparatus=True`` keeps it.

        Per document and step, ``.cleaning_report`` counts what was removed and
        ``.removed`` holds the removed text. Documents empty after cleaning are dropped
        with a warning and listed in ``.dropped`` with the reason.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"text": [f"第{n}份。\\n本站由某某中心维护" for n in "一二三"]})
        >>> c = Corpus.from_dataframe(df).clean()
        >>> c.texts, c.removed["text"].tolist()
        (['第一份。', '第二份。', '第三份。'], ['本站由某某中心维护', '本站由某某中心维护', '本站由某某中心维护'])
        """
        from .cleaning import run_steps, steps_keeping

        steps = steps_keeping(steps, keep_apparatus)
        texts, rows, removed = [], [], []
        for doc_id, text in zip(self.docs["doc_id"], self.docs["text"]):
            out, records, gone = run_steps(text, steps, True)
            texts.append(out)
            rows += [{"doc_id": doc_id, **r} for r in records]
            removed += [{"doc_id": doc_id, **g} for g in gone]
        return self._finish_clean(texts, rows, removed, boilerplate_min_df, drop_empty)

    def _finish_clean(self, texts: list, rows: list, removed: list, boilerplate_min_df,
                      drop_empty: bool) -> "Corpus":
        """The corpus-level step, the report, the removed text and dropping after the
        per-document cleaning (``texts`` are the cleaned texts of ``self.docs``)."""
        from .cleaning import count_lines, min_df_count, remove_repeated_lines

        if boilerplate_min_df is not None:  # checked even for a one-document corpus
            min_df_count(boilerplate_min_df, len(texts), "boilerplate_min_df")
        if boilerplate_min_df is not None and len(texts) > 1:
            step = "remove_repeated_lines"
            # rows that are parts of documents (parent_id: read with document=, or
            # units) count once per document: a line in three sections of one report is
            # in one document, and a share is of the documents
            parents = (self.docs["parent_id"].tolist() if "parent_id" in self.docs.columns
                       else None)
            new, gone = remove_repeated_lines(texts, boilerplate_min_df, documents=parents)
            for doc_id, before, after, lines in zip(self.docs["doc_id"], texts, new, gone):
                n_before, n_after = count_lines(before), count_lines(after)
                rows.append({"doc_id": doc_id, "step": step, "chars_before": len(before),
                             "chars_after": len(after), "chars_removed": len(before) - len(after),
                             "chars_converted": 0, "lines_before": n_before,
                             "lines_after": n_after, "lines_removed": n_before - n_after})
                removed += [{"doc_id": doc_id, "step": step, "text": g} for g in lines]
            texts = new
        report = pd.DataFrame(rows)
        if "chars_converted" in report.columns:
            report["chars_converted"] = report["chars_converted"].astype("Int64")
        removed_df = pd.DataFrame(removed, columns=["doc_id", "step", "text"])
        docs = self.docs.assign(text=texts)
        return Corpus._drop_empty(docs, drop_empty, where="Corpus.clean", dropped=self.dropped,
                                  reason="empty after cleaning: everything was removed (see "
                                  ".removed)", cleaning_report=report, name=self.name,
                                  removed=removed_df, derived=self.derived)

    # ------------------------------------------------------------------ units
    def reshape(self, unit: str = "paragraph") -> "Corpus":
        """Split documents into paragraphs, sentences, plan sections or numbered clauses.

        Each unit gets ``doc_id`` ``"{parent}#p{n}"`` (``#s`` sentences, ``#h`` sections,
        ``#c`` clauses), ``parent_id``, ``unit``, ``unit_index``, ``start``/``end`` offsets
        into the parent text and all the parent's metadata. Rows that are parts of
        documents (read with ``document=``, see :meth:`from_dataframe`) keep their
        document as ``parent_id`` (their units ``"{row}#p{n}"``, offsets into the row's
        text). Sections (``unit="section"``)
        follow the numbered headings of Chinese plans (``第一章``, ``第三条``, ``一、``,
        ``（一）``, ``1.``, ``（1）``, and headings such as ``前言`` or ``六大窗口``) and record
        ``heading``, ``heading_level`` and ``heading_path`` (e.g.
        ``"三、重点任务 > （二）设施联通"``); text before the first heading is a section
        with an empty heading.

        Clauses (``unit="clause"``) are the units of policy-instrument coding: one per
        numbered provision (第X条, 一、, （一）, 1., （1）, 第一， / 一是 ..., also when they run
        on inside one line), unnumbered paragraphs as paragraphs and, when longer than 300
        characters, as sentences; an article's further paragraphs stay with the article.
        Columns ``clause`` (the number as written), ``clause_kind``, ``clause_depth`` (1 =
        outermost level, 0 unnumbered), ``heading_path`` and ``is_heading`` (a title that
        only heads the clauses under it). The rules: :mod:`bri_text._clauses`.

        >>> c = Corpus.from_dataframe(pd.DataFrame({"text": [
        ...     "二、重点任务\\n（一）设施联通\\n加快建设通道。\\n（二）贸易畅通。扩大进出口。"]}))
        >>> c.reshape("clause").docs[["doc_id", "clause", "clause_depth", "is_heading",
        ...                           "heading_path"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
        [['doc0#c0', '二、', 1, True, '二、重点任务'],
         ['doc0#c1', '（一）', 2, True, '二、重点任务 > （一）设施联通'],
         ['doc0#c2', '', 0, False, '二、重点任务 > （一）设施联通'],
         ['doc0#c3', '（二）', 2, False, '二、重点任务 > （二）贸易畅通']]
        """
        if unit not in _UNITS:
            raise ParameterError(f"unit must be one of {_UNITS}, got {unit!r}")
        if unit == "document":
            return self
        # rows that are parts of documents (read with document=) keep their document as
        # the units' parent_id; units of a reshaped corpus are not split again
        parts = "parent_id" in self.docs.columns
        if parts and "unit" in self.docs.columns:
            raise ParameterError("this corpus is already reshaped; reshape the document corpus")
        rows = []
        meta_cols = [c for c in self.docs.columns if c not in ("doc_id", "text", "parent_id")]
        suffix = {"paragraph": "p", "sentence": "s", "section": "h", "clause": "c"}[unit]
        for d in self.docs.to_dict("records"):  # any column name ("No.", "Release Time")
            text = d["text"]
            if unit == "section":
                pieces = _clauses.section_spans(text)
            elif unit == "clause":
                pieces = _clauses.clause_spans(text)
            else:
                bounds = _units.paragraph_bounds(text) if unit == "paragraph" else \
                    _units.sentence_bounds(text)
                pieces = [(s, e, {}) for s, e in bounds]
            for k, (s, e, extra) in enumerate(pieces):
                rows.append({"doc_id": f"{d['doc_id']}#{suffix}{k}", "text": text[s:e],
                             "parent_id": d["parent_id"] if parts else d["doc_id"],
                             "unit": unit, "unit_index": k,
                             "start": s, "end": e, **extra, **{c: d[c] for c in meta_cols}})
        cols = ["doc_id", "text", "parent_id", "unit", "unit_index", "start", "end"]
        if unit == "section":
            cols += ["heading", "heading_level", "heading_path"]
        elif unit == "clause":
            cols += ["clause", "clause_kind", "clause_depth", "heading_path", "is_heading"]
        docs = pd.DataFrame(rows, columns=cols + meta_cols)
        # each unit keeps its document's dtypes (years Int64, not 2017.0 where one is missing)
        docs = docs.astype({c: self.docs[c].dtype for c in meta_cols
                            if docs[c].dtype != self.docs[c].dtype})
        return self._with(docs)


def _warn_parts(docs: pd.DataFrame, where: str) -> None:
    """The one warning of a table whose rows look like parts of fewer documents
    (:func:`bri_text._documents.sections_hint`), naming a column to pass as ``document=``."""
    hint = _documents.sections_hint(docs)
    if hint is None:
        return
    col = _documents.suggest_column(docs)
    name = f"document={col!r}" if col else "document='COLUMN'"
    warnings.warn(f"{where}: {hint}. Each row counts as a document in document-level tests "
                  "(keyness's permutation test, the report's), bootstrap intervals and "
                  "counts of documents. If the rows are parts of documents, name the column "
                  f"that says which document each row belongs to: {name} (read_excel, "
                  "read_csv, Corpus.from_dataframe; the report's --document-column"
                  + (f" {col}" if col else "") + ")"
                  + ("" if col else ", a column of your own if the table has none"),
                  stacklevel=4)


# ---------------------------------------------------------------------- duplicates
def _warn_exact_rows(rows: list, where: str, stacklevel: int = 4) -> None:
    """The read-time warning about documents repeating another one word for word (rows of
    :func:`_duplicate_rows`); ``bri_text.distributed.check`` gives it too."""
    if rows:
        pairs = [f"{r[0]} = {r[1]}" for r in rows[:5]]
        warnings.warn(f"{where}: {len(rows)} document(s) repeat another one word for "
                      f"word ({', '.join(pairs)}{' ...' if len(rows) > 5 else ''}); drop "
                      "them, and near copies, with corpus = corpus.drop_duplicates() "
                      "(corpus.duplicates() lists them all)", stacklevel=stacklevel)


def _duplicate_rows(texts: list[str], ids: list[str], threshold, shingle: int = 5,
                    priority: list | None = None) -> list:
    """(doc_id, duplicate_of, similarity, kind) of each document that repeats a kept one,
    in corpus order: exact (same text, whitespace aside) or, with ``threshold``, near
    (Jaccard similarity of the sets of ``shingle``-character pieces of :func:`_near_key`
    >= threshold, computed exactly with a sparse product: fast for thousands of long
    documents). Documents are considered in the order of ``priority`` (one sortable key
    per document, smallest first; ties and ``None``: corpus order): of a group of copies
    the first in that order is kept, and a document is dropped when it repeats one kept
    before it.

    >>> _duplicate_rows(["甲文。", "乙文。", "甲文。"], ["a", "b", "c"], None)
    [('c', 'a', 1.0, 'exact')]
    >>> _duplicate_rows(["甲文。", "乙文。", "甲文。"], ["a", "b", "c"], None,
    ...                 priority=[1, 0, 0])
    [('a', 'c', 1.0, 'exact')]
    """
    import numpy as np

    n = len(texts)
    order = (sorted(range(n), key=lambda i: (priority[i], i)) if priority is not None
             else list(range(n)))
    keys = [re.sub(r"\s+", "", texts[i]) for i in order]  # positions in order of priority
    first: dict[str, int] = {}
    exact = {}
    for i, k in enumerate(keys):
        if k in first:
            exact[i] = first[k]
        else:
            first[k] = i
    near: dict[int, tuple[int, float]] = {}
    if threshold is not None and len(keys) - len(exact) > 1:
        keep = [i for i in range(len(keys)) if i not in exact]
        codes = [_near_codes(texts[order[i]]) for i in keep]
        r, c, sim = _jaccard_pairs(codes, shingle)
        # short texts: the same text once spacing and punctuation are set aside only
        short = np.array([len(x) < NEAR_MIN_CHARS for x in codes], dtype=bool)
        hit = sim >= threshold
        for i in np.flatnonzero(hit & (short[r] | short[c])):
            hit[i] = np.array_equal(codes[r[i]], codes[c[i]])
        best: dict[int, list] = {}
        for a, b, x in zip(r[hit].tolist(), c[hit].tolist(), sim[hit].tolist()):
            best.setdefault(a, []).append((b, x))
        dropped_near: set[int] = set()
        for a in range(len(keep)):  # greedy, in order: a repeat of a dropped one is kept
            kept_matches = [(b, x) for b, x in best.get(a, []) if b not in dropped_near]
            if kept_matches:
                b, x = min(kept_matches)
                near[keep[a]] = (keep[b], round(float(x), 3))
                dropped_near.add(a)
    found = {}
    for i in range(len(keys)):
        if i in exact:
            j = exact[i]
            j = near[j][0] if j in near else j  # a copy of a near-duplicate: of the kept one
            found[order[i]] = (ids[order[i]], ids[order[j]],
                               1.0 if j == exact[i] else near[exact[i]][1],
                               "exact" if j == exact[i] else "near")
        elif i in near:
            found[order[i]] = (ids[order[i]], ids[order[near[i][0]]], near[i][1], "near")
    return [found[i] for i in sorted(found)]


#: columns that do not count as metadata when one of a group of copies is kept: the
#: reader's bookkeeping, a byline's source and author (a re-posting site adds them), units'
_NOT_KEEP_METADATA = frozenset({"file", "encoding", "sheet", "date_source", "date_posted",
                                "source", "author", "author_title", "parent_id", "unit",
                                "unit_index", "start", "end"})
_COPY_NAME = re.compile(
    r"(?:\s*[(（]\s*\d{1,3}\s*[)）]"                           # 报告(1), 报告 (2), 报告（3）
    r"|\s*-?\s*副本(?:\s*[(（]?\s*\d{1,3}\s*[)）]?)?"             # 报告 - 副本, 报告副本 (2)
    r"|[\s_-]+(?:拷贝|复制|copy)(?:\s*[(（]?\s*\d{1,3}\s*[)）]?)?"  # 报告 拷贝, report_copy 2
    r")$|^(?:copy of\s|复件\s*)", re.IGNORECASE)


def _looks_like_copy(name) -> bool:
    """Whether a document's or file's name looks like that of a saved copy (suffix aside):
    ``报告(1)``, ``报告（2）``, ``报告 - 副本``, ``report_copy``, ``Copy of report``.

    >>> [_looks_like_copy(n) for n in ["报告(1).txt", "报告 - 副本", "report copy 2",
    ...                                "复件 报告.docx", "报告", "规划-1", "经验复制", None]]
    [True, True, True, True, False, False, False, False]
    """
    if not isinstance(name, str):
        return False
    stem = re.sub(r"\.(?:txt|html?|docx?|pdf|md|csv|xlsx?)$", "", name.strip(),
                  flags=re.IGNORECASE)
    return bool(_COPY_NAME.search(stem))


def _has_value(v) -> bool:
    """Whether a metadata value is there (not missing, not an empty string)."""
    if isinstance(v, str):
        return bool(v.strip())
    try:
        return not bool(pd.isna(v))
    except (TypeError, ValueError):  # a list or an array: there
        return True


_DROPPED = None


def _near_codes(text: str):
    """The code points (a numpy uint32 array) of ``text`` as near-duplicates are compared:
    NFKC (full-width letters, digits and punctuation as half-width), without whitespace,
    punctuation, symbols or control characters (the text without whitespace when nothing
    else is left). :func:`_near_key` gives them as a string."""
    import sys
    import unicodedata

    import numpy as np

    global _DROPPED
    if _DROPPED is None:  # once: a lookup of the dropped code points (planes 0-2 and tags;
        _DROPPED = np.zeros(sys.maxunicode + 1, dtype=bool)  # higher ones are letters)
        for i in [*range(0x30000), *range(0xE0000, 0xE0080)]:
            cat = unicodedata.category(chr(i))
            _DROPPED[i] = cat[0] in "PSZ" or cat in ("Cc", "Cf")
    a = np.frombuffer(unicodedata.normalize("NFKC", text).encode("utf-32-le"), dtype=np.uint32)
    a = a[~_DROPPED[a]]
    if len(a) == 0:
        a = np.frombuffer(re.sub(r"\s+", "", text).encode("utf-32-le"), dtype=np.uint32)
    return a


def _near_key(text: str) -> str:
    """``text`` as near-duplicates are compared (:func:`_near_codes`).

    >>> _near_key("第一条　推进“一带一路”建设，加快（ＡＢ）发展！ ")
    '第一条推进一带一路建设加快AB发展'
    """
    return _near_codes(text).tobytes().decode("utf-32-le")


def _jaccard_pairs(keys: list, shingle: int = 5):
    """(later, earlier, similarity) of every pair of ``keys`` (strings or arrays of code
    points) sharing a ``shingle``-character piece: numpy arrays, the Jaccard similarity of
    the two sets of pieces."""
    import numpy as np
    from scipy import sparse

    hashes = [_shingle_hashes(k, shingle) for k in keys]
    _, cols = np.unique(np.concatenate(hashes), return_inverse=True)
    rows = np.repeat(np.arange(len(keys)), [len(h) for h in hashes])
    X = sparse.csr_matrix((np.ones(len(cols), dtype=np.int32), (rows, cols.ravel())),
                          shape=(len(keys), int(cols.max()) + 1 if len(cols) else 0))
    size = np.asarray(X.sum(axis=1)).ravel()
    inter = (X @ X.T).tocoo()
    later = inter.row > inter.col  # (later, earlier) pairs
    r, c, v = inter.row[later], inter.col[later], inter.data[later]
    return r, c, v / (size[r] + size[c] - v)


def _shingle_hashes(text, n: int):
    """The distinct hashes of the ``n``-character pieces of ``text`` (a string or an array
    of code points; a polynomial hash on the code points, in numpy: no Python loop over
    characters)."""
    import numpy as np

    a = (np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) if isinstance(text, str)
         else text).astype(np.uint64)
    if len(a) < n:  # a text shorter than a shingle is one shingle
        a = np.concatenate([a, np.zeros(n - len(a), dtype=np.uint64)])
    h = np.zeros(len(a) - n + 1, dtype=np.uint64)
    for k in range(n):  # wraps modulo 2**64, as a hash may
        h = h * np.uint64(1_000_003) + a[k:len(a) - n + 1 + k]
    return np.unique(h)
