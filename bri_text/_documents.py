"""Rows of a table that are parts of documents (one row per section of a report).

A table may split each document into rows: one row per section, chapter or part. Every
document-level test, interval and count of documents must then count whole documents,
not rows (pseudo-replication otherwise). The reader's ``document=`` names the column that
says which document a row belongs to; :func:`document_column` turns it into
``parent_id``, the column by which the library already groups the units of a reshaped
corpus. :func:`sections_hint` says, when no column was named, that the rows look like
parts of fewer documents (rows sharing a title stem and their other metadata, or rows
beginning with a later numbered heading such as ``二、``).

>>> import pandas as pd
>>> rows = pd.DataFrame({"doc_id": ["doc0", "doc1", "doc2"], "text": ["甲", "乙", "丙"],
...                      "报告": ["2019年", "2019年", 2020]})
>>> document_column(rows, "报告", "t.csv")["parent_id"].tolist()
['2019年', '2019年', '2020']
"""
from __future__ import annotations

import re

import pandas as pd

from ._dates import _title_column
from .errors import MetadataError

#: a text beginning with a later top-level heading (二、 ... 十、, 第二章, 第三部分): the
#: rest of a document, not its beginning
_LATER_HEADING = re.compile(r"^\s*(?:[二三四五六七八九十][一二三四五六七八九十]{0,2}\s*[、．.]|"
                            r"第[二三四五六七八九十百][一二三四五六七八九十百]{0,3}[章部编篇]分?)")
#: a title's ending naming the part: （一、总体要求）, (上), 之二, - 第三部分, ：二、…
_PART_ENDING = re.compile(r"(?:\s*[（(][^（）()]*[）)]|\s*[-—:：·_]\s*\S{0,30}"
                          r"|之[一二三四五六七八九十]+|第[一二三四五六七八九十]+[章部节篇]分?)\s*$")


def _value(v) -> str | None:
    """A document column's value as text (``2019.0`` read by pandas as ``"2019"``); None
    when missing or blank."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def document_column(docs: pd.DataFrame, document: str, where: str) -> pd.DataFrame:
    """``docs`` (with ``doc_id``) with a ``parent_id`` column from the column ``document``:
    the document each row belongs to (its values as text); a row with no value is a
    document of its own (its ``doc_id``). MetadataError naming ``where`` when the column is
    missing or ``docs`` already has a ``parent_id`` column."""
    if not isinstance(document, str):
        raise MetadataError(f"{where}: document= names one column (a str), got "
                            f"{type(document).__name__}")
    if document not in docs.columns:
        raise MetadataError(f"{where}: document column {document!r} not found; columns "
                            f"present: {[c for c in docs.columns if c != 'text']}")
    if "parent_id" in docs.columns and document != "parent_id":
        raise MetadataError(f"{where}: the table has a 'parent_id' column already; pass "
                            "document='parent_id' to use it, or rename it")
    values = [_value(v) for v in docs[document].tolist()]
    parent = [v if v is not None else i for v, i in zip(values, docs["doc_id"].astype(str))]
    out = docs.drop(columns="parent_id") if document == "parent_id" else docs
    out = out.copy()
    out.insert(2 if list(out.columns[:2]) == ["doc_id", "text"] else len(out.columns),
               "parent_id", parent)
    return out


def documents_note(docs: pd.DataFrame, document: str) -> str:
    """What ``corpus.derived["parent_id"]`` says: the column and the counts."""
    n_docs = docs["parent_id"].nunique()
    alone = int(docs[document].map(_value).isna().sum()) if document in docs.columns else 0
    return (f"from column {document!r} ({len(docs)} rows of {n_docs} documents"
            + (f"; {alone} row(s) without a value, each a document of its own" if alone
               else "") + ")")


def _title_stem(title) -> str | None:
    """A title without the ending that names its part.

    >>> [_title_stem(t) for t in ["2015年政府工作报告（一、2014年工作回顾）", "规划 - 第二部分",
    ...                           "报告之三", "规划", None]]
    ['2015年政府工作报告', '规划', '报告', '规划', None]
    """
    t = _value(title)
    if t is None:
        return None
    for _ in range(3):                 # （一、回顾）(上) : nested or repeated endings
        stem = _PART_ENDING.sub("", t).strip()
        if not stem or stem == t:
            break
        t = stem
    return t


def sections_hint(docs: pd.DataFrame) -> str | None:
    """Why the rows of ``docs`` (``doc_id``, ``text``, metadata) look like parts of fewer
    documents, in words for a warning (which rows, by what sign, a column to name as
    ``document=``); None when they do not. Two signs, cheap (one pass over titles and
    text openings):

    - titles: rows whose title, its part's ending aside (``（一、工作回顾）``), and every
      other metadata value shared by some rows (years, issuers; columns unique to each
      row, such as numbers, aside) are the same, with different texts: at least one such
      document of 3 rows, and such rows at least a fifth of the table;
    - headings: at least 3 rows, and a fifth of the table, beginning with a later
      top-level heading (``二、``, ``第三章``), which begins no whole document.

    >>> rows = pd.DataFrame({"doc_id": [f"doc{i}" for i in range(6)],
    ...                      "text": ["开头", "一、回顾", "二、任务", "开头", "一、回顾", "二、任务"],
    ...                      "标题": ["报告（开头）", "报告（一）", "报告（二）"] * 2,
    ...                      "年份": ["2019年"] * 3 + ["2020年"] * 3})
    >>> print(sections_hint(rows))  # doctest: +NORMALIZE_WHITESPACE
    6 of 6 rows look like parts of 2 documents (rows sharing a title, its part's ending
    aside, and their 年份: 报告 · 2019年 (3 rows); 报告 · 2020年 (3 rows))
    >>> sections_hint(rows.assign(标题=[f"规划{i}" for i in range(6)])) is None
    True
    """
    n = len(docs)
    if n < 3:
        return None
    texts = docs["text"].astype(str)
    later = texts.str.match(_LATER_HEADING)
    n_later = int(later.sum())
    heading_sign = n_later >= 3 and n_later * 5 >= n
    named = _title_column(docs)            # 标题 (copied to title by the readers)
    title_col = "title" if "title" in docs.columns else named
    groups = None
    shared: list = []
    if title_col is not None:
        stems = docs[title_col].map(_title_stem)
        meta = [c for c in docs.columns if c not in ("doc_id", "text", title_col, "title", named)
                and not docs[c].map(lambda v: isinstance(v, (list, dict, set, tuple))).any()]
        values = {c: docs[c].map(_value).fillna("") for c in meta}
        # the columns some rows share (years, issuers); those unique to each row (serial
        # numbers, section names) say nothing of the document
        shared = [c for c in meta if values[c].duplicated().any()]
        ok = stems.notna().to_numpy()
        if ok.any():
            k = pd.Series(["\x1f".join(row) for row in zip(
                stems[ok], *(values[c][ok] for c in shared))], index=docs.index[ok])
            distinct = pd.DataFrame({"k": k, "t": texts[ok].to_numpy()}).drop_duplicates()
            sizes = distinct["k"].value_counts()
            multi = sizes[sizes >= 2]
            if len(multi) and multi.max() >= 3 and multi.sum() * 5 >= n:
                groups = (k, multi, stems[ok])
    if groups is None and not heading_sign:
        return None
    if groups is not None:
        k, multi, stem_of = groups
        n_rows = int(k.isin(multi.index).sum())
        label = values[shared[0]] if shared else None
        firsts = [f"{stem_of[k == key].iloc[0]}"
                  + (f" · {label[k[k == key].index[0]]}" if label is not None else "")
                  + f" ({int((k == key).sum())} rows)" for key in multi.index[:2]]
        what = ("rows sharing a title, its part's ending aside"
                + (f", and their {'、'.join(map(str, shared[:3]))}" if shared else "")
                + f": {'; '.join(firsts)}{' ...' if len(multi) > 2 else ''}")
        if heading_sign:
            what += (f"; {n_later} rows begin with a later heading such as "
                     f"{texts[later].iloc[0].lstrip()[:2]}")
        head = (f"{n_rows} of {n} rows look like parts of {len(multi)} document"
                + ("s" if len(multi) != 1 else ""))
    else:
        head = f"{n_later} of {n} rows begin with a later heading"
        what = (f"such as {texts[later].iloc[0].lstrip()[:6]}…, which begins the rest of a "
                "document, not a whole one")
    return f"{head} ({what})"


def suggest_column(docs: pd.DataFrame) -> str | None:
    """A metadata column whose values could name each row's document: the one with the
    fewest distinct values among those repeated by more than one row and not shared by
    rows of different title stems (None when no column fits)."""
    named = _title_column(docs)
    title_col = "title" if "title" in docs.columns else named
    if title_col is None:
        return None
    stems = docs[title_col].map(_title_stem).astype(str)
    best = None
    for c in docs.columns:
        if c in ("doc_id", "text", "title", title_col, named, "parent_id"):
            continue
        v = docs[c].map(_value)
        if v.isna().any() or v.nunique() == len(v) or v.nunique() < 2:
            continue
        # one title stem per value and one value per stem: the column names the documents
        pairs = pd.DataFrame({"v": v, "s": stems}).drop_duplicates()
        if pairs["v"].is_unique and pairs["s"].is_unique:
            if best is None or v.nunique() < best[1]:
                best = (c, v.nunique())
    return None if best is None else best[0]
