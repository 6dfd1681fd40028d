"""Reading documents into Dask DataFrames (files, folders, JSONL/CSV shards, Parquet),
with dropped inputs kept as rows."""
from __future__ import annotations

import glob as _glob
import io as _io
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import BriTextError, InputError, MetadataError, ParameterError
from ._common import (
    _DROPPED_COLUMNS,
    DROPPED,
    _check_ddf,
    _check_errors,
    _need_text,
    _dask,
    _quiet,
    _tree_reduce,
)


def from_corpus(corpus, npartitions: int | None = None, *, partition_mb: float = 16):
    """A Dask DataFrame of a Corpus's (or a DataFrame's) units, in order.

    A DataFrame needs a ``text`` column, or a ``tokens`` column of token lists (text
    segmented elsewhere: :func:`group_counts`, :func:`vocabulary`, :func:`count_matrix`,
    :func:`group_profile` and :func:`group_orientation` count them as they are). The token
    lists stay lists (``dd.from_pandas`` under Dask's ``dataframe.convert-string`` would
    turn them into their printed text).

    ``npartitions`` default: about ``partition_mb`` MB of text per partition (at least 1;
    benchmarks/DISTRIBUTED.md explains the choice of 16 MB).

    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "region": ["广西", "甘肃"],
    ...                       "tokens": [["东盟", "合作"], ["中亚", "合作"]]})
    >>> from_corpus(frame).compute()["tokens"].tolist()      # doctest: +SKIP
    [['东盟', '合作'], ['中亚', '合作']]
    """
    dask, dd = _dask()
    df = corpus.docs if hasattr(corpus, "docs") else corpus
    if not isinstance(df, pd.DataFrame) or not ({"text", "tokens"} & set(df.columns)):
        raise ParameterError("corpus must be a Corpus or a DataFrame with a 'text' column "
                             "(or a 'tokens' column of token lists), got "
                             + (f"columns {list(df.columns)}" if isinstance(df, pd.DataFrame)
                                else type(corpus).__name__))
    if npartitions is None:
        col = df["text"] if "text" in df.columns else df["tokens"].map(
            lambda t: sum(map(len, t)) if isinstance(t, (list, tuple, np.ndarray)) else 0)
        mb = (col.str.len() if "text" in df.columns else col).sum() * 3 / 1e6
        npartitions = max(1, int(np.ceil(mb / partition_mb)))
    df = df.reset_index(drop=True)
    if "tokens" not in df.columns:
        return dd.from_pandas(df, npartitions=int(npartitions), sort=False)
    with dask.config.set({"dataframe.convert-string": False}):   # lists stay lists
        return dd.from_pandas(df, npartitions=int(npartitions), sort=False)


def _dropped_frame(rows, columns) -> pd.DataFrame:
    """Rows of dropped inputs in the documents' column layout (text NA, reason set)."""
    out = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object)
                        for c in columns})
    return out


def _finish_partition(df: pd.DataFrame, dropped_rows: list, meta: pd.DataFrame, clean: bool,
                      keep_apparatus: bool = False) -> pd.DataFrame:
    """Clean the documents of one partition (as ``Corpus.clean``), mark documents empty
    after cleaning as dropped, and lay the frame out as ``meta`` (columns and dtypes)."""
    from ..corpus import Corpus

    if len(df):
        with _quiet():  # reported through dropped_reason instead
            corpus = Corpus(df.reset_index(drop=True))
            if clean:
                # lines repeated across documents need the whole corpus, not one partition
                corpus = corpus.clean(boilerplate_min_df=None, keep_apparatus=keep_apparatus)
        df = corpus.docs
        dropped_rows = dropped_rows + [{"doc_id": r["doc_id"], "file": None,
                                        "reason": r["reason"]}
                                       for r in corpus.dropped.to_dict("records")]
    return _layout(df, dropped_rows, meta)


def _layout(df: pd.DataFrame, dropped_rows: list, meta: pd.DataFrame) -> pd.DataFrame:
    """The documents, then a row per dropped input (its reason in ``dropped_reason``), in
    ``meta``'s columns and dtypes."""
    columns = list(meta.columns)
    df = df.copy()
    df[DROPPED] = pd.Series([None] * len(df), index=df.index, dtype=object)
    bad = _dropped_frame([{"doc_id": r["doc_id"], "file": r.get("file"),
                           DROPPED: r["reason"]} for r in dropped_rows], columns)
    out = pd.concat([df.reindex(columns=columns).astype(object), bad], ignore_index=True) \
        if len(bad) else df.reindex(columns=columns).reset_index(drop=True)
    return _as_meta_types(out, meta)


def _meta_dtype(values: pd.Series):
    """The dtype a column keeps on Dask, whatever a partition holds: whole numbers
    (``year``, ``年份``) ``Int64``, other numbers ``float64``, ``boolean``, else ``object``
    (strings; Dask's ``dataframe.convert-string`` may store them as ``string``)."""
    kind = values.dtype.kind
    if isinstance(values.dtype, pd.BooleanDtype) or kind == "b":
        return "boolean"
    if kind in "iu":
        return "Int64"
    if kind == "f":
        present = values.dropna()
        if len(present) and (present % 1 == 0).all():
            return "Int64"
        return "float64" if len(present) else object
    return object


def _as_meta_types(df: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``df`` in ``meta``'s columns and dtypes; a value that does not fit (``year: 2017年``
    in a file's front matter) raises MetadataError naming the column and document."""
    out = df.reindex(columns=list(meta.columns))
    for c, dtype in meta.dtypes.items():
        if dtype == object:
            out[c] = out[c].astype(object)
            continue
        if out[c].dtype == dtype:
            continue
        try:
            values = pd.to_numeric(out[c]) if dtype.kind in "iuf" else out[c]
            out[c] = values.astype(dtype)
        except (TypeError, ValueError):
            bad = [(d, v) for d, v in zip(out["doc_id"], out[c])
                   if not pd.isna(v) and not isinstance(v, (int, float, bool))][:3]
            raise MetadataError(f"column {c!r} is {dtype} in the other documents, but not "
                                f"in {bad}; make its values consistent (the Dask readers "
                                "keep one dtype per column)") from None
    return out


def _meta(columns: list, dtypes: dict | None = None) -> pd.DataFrame:
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series([], dtype=dtypes.get(c, object)) for c in columns})


def _read_file_partition(paths: list, ids: dict, meta: pd.DataFrame, clean: bool,
                         errors: str, doc_id: str, metadata, keep_apparatus: bool = False,
                         date=None) -> pd.DataFrame:
    """Read a batch of files in one call of the in-memory reader's
    :func:`bri_text.io.read_documents` (encodings, front matter, metadata in the text, the
    metadata table's rows of these files, dates, cleaning once per file), with the ids the
    client gave every file of the list; an unreadable file is a dropped row
    (``errors="skip"``) or the error naming it (``"raise"``)."""
    from ..corpus import Corpus
    from ..io import read_documents

    with _quiet():  # reported through dropped_reason instead
        docs, dropped, cleaning, _ = read_documents(
            paths, metadata=metadata, errors=errors, doc_id=doc_id, clean=clean, date=date,
            keep_apparatus=keep_apparatus, ids=ids)
        if len(docs):
            corpus = (Corpus(docs, dropped=dropped)._finish_clean(
                docs["text"].tolist(), *cleaning, None, True) if clean else
                Corpus._drop_empty(docs, True, where="read_files", dropped=dropped))
            docs, dropped = corpus.docs, corpus.dropped
    file_of = {i: Path(p).name for p, i in ids.items()}
    bad = [{"doc_id": d, "file": file_of.get(d), "reason": r}
           for d, r in zip(dropped["doc_id"], dropped["reason"])]
    return _layout(docs, bad, meta)


def _scan_fields(paths: list) -> tuple[list, dict]:
    """(front-matter keys of the files, so every partition has the same columns; the
    values of the keys named like a date, ``{key: {path: value}}``, so the client can
    choose the date column for all): only a file that starts with ``---`` (after a BOM)
    is decoded, up to 64 KB; the others are opened for their first 4 KB (bri_text reads
    the rest on the workers)."""
    from .._dates import _DATE_NAMES, _column_key
    from ..io import decode_bytes, split_front_matter

    keys: dict = {}
    dates: dict = {}
    for p in paths:
        path = Path(p)
        if path.suffix.lower() not in {".txt", ".md"}:
            continue  # .html's <title> is in TEXT_FIELDS; .docx / .pdf have no front matter
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
                start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
                utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
                if not (start.startswith(b"---") or utf16):
                    continue
                head += fh.read(65536 - len(head))
            if len(head) == 65536:
                head = head[:head.rfind(b"\n") + 1] or head
            text, _ = decode_bytes(head, str(path))
        except (BriTextError, OSError):
            continue  # the real read reports it
        for k, v in split_front_matter(text, str(path))[0].items():
            keys[k] = None
            if k not in ("date", "year") and _column_key(k) in _DATE_NAMES:
                dates.setdefault(k, {})[p] = v
    return list(keys), dates


def _date_column(date, columns: list, metadata, key, ids: dict, fm_dates: dict,
                 unreadable=None) -> str:
    """The column that dates the documents, chosen once for every partition by the
    in-memory reader's rule (:func:`bri_text._dates._date_source`: ``date=`` when given,
    else a ``date`` column of the metadata, else of the columns named like a date that
    are mostly dates the one dating the most files, else the dates the files' text
    gives), from the metadata table's rows of the files and their front matter.

    As in memory, only the files that are read count: when there are columns named like
    a date to choose from, ``unreadable(paths)`` (the files with a value in one of them)
    gives the files the readers will drop (:func:`bri_text.io.unreadable_files`, run on
    the workers), whose rows are left out of the choice."""
    from .._dates import _DATE_NAMES, _column_key, _date_source, _missing

    if date is not None:
        if date not in columns:
            raise MetadataError(f"read_files: date column {date!r} not found; columns "
                                f"present: {[c for c in columns if c != DROPPED]}")
        return date
    paths = list(ids)
    frame = pd.DataFrame(index=range(len(paths)))
    if metadata is not None:
        by_key = metadata.drop_duplicates(key).set_index(key)
        keys = pd.Series([ids[p] if key == "doc_id" else Path(p).name for p in paths])
        for c in by_key.columns:
            if c not in ("doc_id", "file", "text"):
                frame[c] = keys.map(by_key[c]).to_numpy()
    for k, values in fm_dates.items():
        said = pd.Series([values.get(p) for p in paths], dtype=object)
        frame[k] = frame[k].where(frame[k].notna(), said) if k in frame else said
    named = [c for c in frame.columns if _column_key(c) in _DATE_NAMES]
    if unreadable is not None and named and "date" not in frame.columns:
        said = [p for n, p in enumerate(paths)
                if any(not _missing(frame[c].iat[n]) for c in named)]
        dropped = unreadable(said) if said else {}
        if dropped:
            frame = frame.loc[[p not in dropped for p in paths]]
    with _quiet():
        return _date_source(frame, None, "read_files") or "date"


def _unreadable_on_workers(partition_mb: float):
    """``paths -> {path: reason}`` of the files the readers will drop, found by
    :func:`bri_text.io.unreadable_files` in one task per ``partition_mb`` of files (on the
    workers: each file is read, not cleaned)."""
    from .. import io as bio

    def unreadable(paths: list) -> dict:
        dask, _ = _dask()
        find = dask.delayed(bio.unreadable_files, pure=True)
        found: dict = {}
        for part in dask.compute(*[find(g) for g in _partition_paths(paths, partition_mb)]):
            found.update(part)
        return found

    return unreadable


def _partition_paths(paths: list, partition_mb: float) -> list:
    """Consecutive runs of files of about ``partition_mb`` MB each."""
    from .._util import pack_by_size

    def size(p):
        try:
            return os.path.getsize(p)
        except OSError:
            return 0

    return pack_by_size(paths, [size(p) for p in paths], partition_mb * 1e6)


#: what bri_text.io.read_files reads from a file's own text (its title line, byline,
#: dateline or adoption note, field table, signature and number line): columns of every
#: partition, None where a file says nothing (tests/test_distributed.py checks that the
#: in-memory reader gives no other column)
TEXT_FIELDS = ("title", "date", "date_source", "year", "date_posted", "source", "author",
               "author_title", "doc_number")


def read_files(paths, *, metadata=None, clean: bool = True, errors: str = "raise",
               doc_id: str = "stem", date: str | None = None, partition_mb: float = 16,
               keep_apparatus: bool = False, boilerplate_min_df=None):
    """Read text files into a Dask DataFrame, one document per file, about
    ``partition_mb`` MB of files per partition.

    Each partition's files are read in one call of the in-memory reader on a worker (same
    encoding detection, front matter, metadata in the text, ``.docx`` / ``.pdf`` extras,
    ``date=``) and cleaned as :meth:`bri_text.Corpus.clean` (``keep_apparatus=True`` keeps
    an official document's number line, addressees and signature, as in
    ``bt.read_folder``). Lines repeated across files are not removed:
    ``boilerplate_min_df`` must be None (any other value is a ParameterError saying so);
    :func:`repeated_lines` lists them (``docs/DISTRIBUTED.md``). ``errors="raise"``: an unreadable file stops the job with
    the error naming it. ``errors="skip"``: it becomes a row with no text and its reason
    in ``dropped_reason`` (see :func:`dropped`); the reductions skip and report it. A file
    of a format bri_text does not read (``.doc``) is such a row whatever ``errors``, with
    one warning.

    ``doc_id``: as ``bt.read_files`` (files whose stems clash, ``2019.txt`` and
    ``2019.html``, keep their suffix, with a warning; the ids are given on the client,
    before anything is read). ``metadata``: a DataFrame (or CSV path) with a ``doc_id``,
    ``file`` or ``filename`` column, joined as ``bt.read_files`` joins it (its values
    first, what a file's text says filling the gaps); rows that match no file are warned
    about.

    Columns: ``doc_id``, ``text``, ``file``, ``encoding``, the front-matter keys of the
    files that have some, what the in-memory reader reads from a file's text (``title``,
    ``date``, ``date_source``, ``year``, ``date_posted``, ``source``, ``author``,
    ``author_title``, ``doc_number``; NA where a file says nothing), the metadata
    columns, ``dropped_reason``. ``year`` and whole-number metadata columns are ``Int64``,
    other numbers ``float64``, the rest strings.
    >>> from pathlib import Path                                              # doctest: +SKIP
    >>> files = sorted(Path("plans").glob("*.txt"))                           # doctest: +SKIP
    >>> docs = btd.read_files(files, metadata="plans/metadata.csv")           # doctest: +SKIP
    >>> docs[["doc_id", "region"]].compute().values.tolist()                  # doctest: +SKIP
    [['bri13', '河南'], ['bri18', '广西'], ['bri23', '甘肃'], ['bri24', '河南']]
    """
    from .. import io as bio

    dask, dd = _dask()
    _check_errors(errors)
    _check_boilerplate(boilerplate_min_df, "read_files")
    if doc_id not in {"stem", "name"}:
        raise ParameterError(f"doc_id must be 'stem' or 'name', got {doc_id!r}")
    paths = [str(p) for p in paths]
    if not paths:
        raise InputError("no files given")
    if metadata is not None and not isinstance(metadata, pd.DataFrame):
        mpath = Path(metadata)
        if not mpath.is_file():
            raise InputError(f"metadata file {mpath} not found")
        own = mpath.resolve()
        paths = [p for p in paths if Path(p).resolve() != own]  # the table is no document
        metadata = pd.read_csv(_io.StringIO(bio.decode_bytes(mpath.read_bytes(),
                                                             str(mpath))[0]))
    other = bio.unsupported_files(paths)
    if other:
        warnings.warn(f"read_files: {len(other)} file(s) of a format bri_text does not read "
                      f"are not read (dropped() lists them): "
                      f"{'; '.join(list(other.values())[:5])}"
                      + (" ..." if len(other) > 5 else ""), stacklevel=3)
    readable = [p for p in paths if p not in other]
    ids = dict(zip(readable, bio.unique_ids([Path(p) for p in readable], doc_id)))
    ids.update({p: Path(p).stem if doc_id == "stem" else Path(p).name for p in other})
    key = None
    if metadata is not None:
        metadata, key = bio.metadata_key(metadata)
        metadata = metadata.drop(columns=[c for c in ("text",) if c in metadata.columns])
        known = set(ids.values()) if key == "doc_id" else {Path(p).name for p in readable}
        unmatched = sorted(set(metadata[key]) - known)
        if unmatched:
            warnings.warn(f"{len(unmatched)} metadata row(s) match no document: "
                          f"{unmatched[:5]}", stacklevel=3)
    keys, fm_dates = _scan_fields(readable)
    fields = keys + list(TEXT_FIELDS)
    meta_cols = [c for c in (metadata.columns if metadata is not None else [])
                 if c not in ("doc_id", "file", "text")]
    # each column once: a metadata column the reader also takes from the text (year,
    # title, date) is one column, the metadata's value first (as bt.read_files)
    columns = list(dict.fromkeys(["doc_id", "text", "file", "encoding", *fields, *meta_cols]))
    columns.append(DROPPED)
    dtypes = {"year": "Int64"}   # as bt.read_files: 2017, NA where a file says no year
    dtypes.update({c: _meta_dtype(metadata[c]) for c in meta_cols})
    meta = _meta(columns, dtypes)
    # chosen once for all: a partition choosing on its own rows may choose another
    date = _date_column(date, columns, metadata, key,
                        {p: ids[p] for p in readable}, fm_dates,
                        # under errors="raise" an unreadable file stops the job anyway
                        _unreadable_on_workers(partition_mb) if errors == "skip" else None)
    groups, own, rows = _partition_paths(paths, partition_mb), [], []
    for group in groups:
        own.append({p: ids[p] for p in group})
        if metadata is None:
            rows.append(None)
            continue
        mine = set(own[-1].values()) if key == "doc_id" else {Path(p).name for p in group}
        rows.append(metadata[metadata[key].isin(mine)])
    # from_map, not from_delayed: Dask arrays made from a from_delayed frame's partitions
    # (count_matrix's counts) fail to compute ("Missing dependency", dask 2026.8)
    return dd.from_map(_read_file_job, groups, own, rows,
                       args=[meta, clean, errors, doc_id, keep_apparatus, date],
                       meta=meta, enforce_metadata=False, label="read-files")


def _read_file_job(paths, ids, rows, meta, clean, errors, doc_id, keep_apparatus, date):
    """:func:`_read_file_partition` in the order ``dd.from_map`` gives its arguments."""
    return _read_file_partition(paths, ids, meta, clean, errors, doc_id, rows, keep_apparatus,
                                date)


def read_folder(path, pattern: str = "*", *, recursive: bool = False, **kwargs):
    """Every matching file of a folder (sorted, as ``bt.read_folder`` lists them); see
    :func:`read_files` for the options. Files of a format bri_text does not read
    (``.doc``, ``.xlsx`` ...) are rows of :func:`dropped` with what to do, and named in one
    warning; the ``metadata`` CSV itself is not one of them.

    >>> docs = btd.read_folder("plans/", "*.txt", metadata="plans/metadata.csv")  # doctest: +SKIP
    >>> "region" in docs.columns, "dropped_reason" in docs.columns            # doctest: +SKIP
    (True, True)
    """
    import inspect

    from ..io import list_folder

    valid = [n for n in inspect.signature(read_files).parameters if n != "paths"]
    unknown = [k for k in kwargs if k not in valid]
    if unknown:
        raise ParameterError(f"read_folder: unknown parameter(s) {unknown}; the parameters "
                             f"are path, pattern, recursive, {', '.join(valid)}")
    return read_files(list_folder(path, pattern, recursive, every_suffix=True), **kwargs)


def _expand(paths) -> list:
    if isinstance(paths, (str, os.PathLike)):
        p = str(paths)
        if os.path.isdir(p):
            raise ParameterError(f"{p} is a folder; give a glob such as '{p}/*.jsonl'")
        found = sorted(_glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
    else:
        found = [str(p) for p in paths]
    if not found:
        raise InputError(f"no files match {paths!r}")
    return found


def _read_table_partition(path: str, kind: str, text: str, doc_id, meta: pd.DataFrame,
                          clean: bool, errors: str, read_kw: dict,
                          keep_apparatus: bool = False, columns=None,
                          date=None, document=None) -> pd.DataFrame:
    """One shard read as the in-memory table readers read the shards put end to end:
    every column of all shards (``columns``, in order of first appearance; NA where this
    shard has none), the date column the client chose for all (``date``)."""
    from .. import io as bio

    try:
        df = bio.table_frame(path, kind, **read_kw)
        if columns is not None:
            df = df.reindex(columns=columns)
        df, bad = _table_docs(df, text, doc_id, path, date, document)
        if doc_id is None and (columns is None or "doc_id" not in columns):
            # doc0, doc1 ... per shard: prefix the shard name
            df = df.assign(doc_id=Path(path).stem + ":" + df["doc_id"].astype(str))
        df = df.assign(file=Path(path).name)
        bad = [{**b, "file": Path(path).name} for b in bad]
    except BriTextError as exc:
        if errors == "raise":
            raise
        df, bad = pd.DataFrame(columns=["doc_id", "text"]), [
            {"doc_id": Path(path).stem, "file": Path(path).name, "reason": str(exc)}]
    return _finish_partition(df, bad, meta, clean, keep_apparatus=keep_apparatus)


def _table_docs(df: pd.DataFrame, text: str, doc_id, source: str, date, document=None):
    """(documents, dropped rows) of one partition's rows of a table, as the in-memory
    table readers make them (:func:`bri_text.io.from_table`: ids checked, errors naming
    ``source``, dates derived from the column chosen for every partition, ``date``, the
    rows' document from the ``document`` column as ``parent_id``), not yet cleaned."""
    from .. import io as bio

    with _quiet():  # btd.check gives the after-read warnings for all partitions
        corpus = bio.from_table(df, text, doc_id, source, clean=False, date=date,
                                document=document)
    return corpus.docs, [{"doc_id": d, "reason": r} for d, r in
                         zip(corpus.dropped["doc_id"], corpus.dropped["reason"])]


def _date_counts(df: pd.DataFrame, text: str) -> dict:
    """Of each column named like a date (not the text), how many values are present and
    how many of those are dates: what :func:`_table_date` chooses the date column from,
    added up over the partitions."""
    from .._dates import _DATE_NAMES, _column_key, _iso_dates, _missing

    dates = {}
    for c in df.columns:
        if c != text and (c == "date" or _column_key(c) in _DATE_NAMES):
            present = [v for v in df[c] if not _missing(v)]
            dates[c] = (len(present), sum(d is not None for d in _iso_dates(present)))
    return dates


def _scan_table(path: str, kind: str, text: str, doc_id, read_kw: dict, errors: str,
                document=None):
    """What the client needs of a shard before reading it (one cheap pass, no cleaning):
    its columns in order, each column's dtype on Dask (None where it is all empty), how
    many values of each column named like a date are present and are dates, its datetime
    columns and a few rows; ``{"error": reason}`` when it cannot be read
    (``errors="skip"``)."""
    from .. import io as bio

    try:
        df = bio.table_frame(path, kind, **read_kw)
        cols = list(df.columns)
        if text not in cols:
            raise InputError(f"{path}: text column {text!r} not found; columns present: "
                             f"{cols}")
        if doc_id is not None and doc_id not in cols:
            raise InputError(f"{path}: doc_id column {doc_id!r} not found; columns "
                             f"present: {cols}")
        if document is not None and document not in cols:
            raise InputError(f"{path}: document column {document!r} not found; columns "
                             f"present: {cols}")
    except (BriTextError, OSError) as exc:
        if errors == "raise":
            raise
        return {"error": str(exc)}
    return {"columns": cols,
            "kinds": {c: _meta_dtype(df[c]) if df[c].notna().any() else None for c in cols},
            "dates": _date_counts(df, text),
            "datetime": [c for c in cols if pd.api.types.is_datetime64_any_dtype(df[c])],
            "head": df.head(20)}


def _merge_kinds(kinds: list):
    """One dtype of a column from its dtypes in the shards (None: all empty there)."""
    found = {str(k) for k in kinds if k is not None}
    if not found:
        return object
    if len(found) == 1:
        return kinds[[k is not None for k in kinds].index(True)]
    if found == {"Int64", "float64"}:
        return "float64"
    return object


def _table_date(scans: list, text: str, date):
    """The date column of the shards put end to end, by the in-memory rule
    (:func:`bri_text._dates._date_source`): ``date`` when given, else ``date``, else of
    the columns named like a date that are mostly dates the one dating the most rows,
    else the one datetime column; ``False`` when there is none."""
    columns = list(dict.fromkeys(c for s in scans for c in s["columns"]))
    if date is not None:
        if date not in columns:
            raise MetadataError(f"date column {date!r} not found in any shard; columns "
                                f"present: {columns}")
        return date
    if "date" in columns:
        return "date"
    best, most = None, 0
    for c in columns:
        if c == "date" or c == text:
            continue
        counts = [s["dates"][c] for s in scans if c in s["dates"]]
        if not counts:
            continue
        present, dated = sum(n for n, _ in counts), sum(d for _, d in counts)
        if present and dated >= 0.8 * present and dated > most:
            best, most = c, dated
    if best is not None:
        return best
    dated = [c for c in columns if all(c in s["datetime"] for s in scans if c in s["columns"])
             and any(c in s["datetime"] for s in scans)]
    return dated[0] if len(dated) == 1 else False


def _read_tables(paths, kind, text, doc_id, clean, errors, read_kw, keep_apparatus=False,
                 date=None, document=None):
    """Shards read as one table: a first cheap pass (:func:`_scan_table`, on the workers)
    finds every column of every shard, its dtype and the date column, chosen once for
    all; then each shard is read and cleaned in its partition."""
    from ..corpus import Corpus

    dask, dd = _dask()
    _check_errors(errors)
    files = _expand(paths)
    scan = dask.delayed(_scan_table, pure=True)
    scans = dask.compute(*[scan(f, kind, text, doc_id, read_kw, errors, document)
                           for f in files])
    good = [s for s in scans if "error" not in s]
    if not good:
        raise InputError(f"none of the {len(files)} shards can be read: "
                         f"{[s['error'] for s in scans][:3]}")
    columns = list(dict.fromkeys(c for s in good for c in s["columns"]))
    date = _table_date(good, text, date)
    kinds = {c: _merge_kinds([s["kinds"].get(c) for s in good]) for c in columns}
    sample = pd.concat([s["head"] for s in good[:1]]).reindex(columns=columns)
    with _quiet():
        docs = Corpus.from_dataframe(
            sample.assign(**{text: sample[text].fillna("").astype(str)}),
            text=text, doc_id=doc_id, date=date, document=document).docs
    rest = [c for c in docs.columns if c not in ("doc_id", "text", "file")]
    # the date column holds ISO strings; a derived year is Int64; the others as read
    meta = _meta(["doc_id", "text", "file"] + rest + [DROPPED],
                 {c: object if c == "date" and date is not False
                  else kinds[c] if c in kinds else _meta_dtype(docs[c]) for c in rest})
    return dd.from_map(_read_table_partition, files,     # from_map: see read_files
                       args=[kind, text, doc_id, meta, clean, errors, read_kw, keep_apparatus,
                             columns, date, document],
                       meta=meta, enforce_metadata=False, label=f"read-{kind}")


def read_jsonl(paths, text: str = "text", doc_id: str | None = None, *, clean: bool = True,
               errors: str = "raise", keep_apparatus: bool = False, boilerplate_min_df=None,
               date: str | None = None, document: str | None = None):
    """JSON-lines shards (a glob such as ``"shards/*.jsonl"`` or a list of paths), one
    partition per shard, each read by :func:`bri_text.io.read_jsonl` on a worker (encoding
    detected per shard) and cleaned as :meth:`bri_text.Corpus.clean` (``keep_apparatus=True``
    keeps an official document's number line, addressees and signature, as in
    ``bt.read_jsonl``). Without ``doc_id`` the ids are the table's ``doc_id`` column, else
    ``"{shard stem}:doc{i}"``. A shard that cannot be read is one dropped row under
    ``errors="skip"``.

    The shards are read as one table put end to end: a first cheap pass (parsing only,
    on the workers) finds every column of every shard (a column that only a later shard,
    or a later row, has is a column of all partitions, empty elsewhere), its dtype, and
    the date column (``date=``, else the in-memory rule over all rows: of the columns
    named like a date the one dating the most rows), chosen once for every partition.
    ``document=`` names the column saying which document each row is a part of (a table
    with one row per section of a report), as in ``bt.read_jsonl``: its values (as text)
    become ``parent_id`` in every shard, so a document's rows may sit in different shards;
    a shard without the column is an error naming it.

    >>> docs = btd.read_jsonl("shards/*.jsonl")                               # doctest: +SKIP
    >>> docs.npartitions, docs.columns.tolist()      # two shards             # doctest: +SKIP
    (2, ['doc_id', 'text', 'file', 'region', 'dropped_reason'])
    """
    _check_boilerplate(boilerplate_min_df, "read_jsonl")
    return _read_tables(paths, "jsonl", text, doc_id, clean, errors, {}, keep_apparatus,
                        date, document)


def read_csv(paths, text: str = "text", doc_id: str | None = None, *, clean: bool = True,
             errors: str = "raise", keep_apparatus: bool = False, boilerplate_min_df=None,
             date: str | None = None, document: str | None = None, **read_csv_kwargs):
    """CSV shards, one partition per shard, read by :func:`bri_text.io.read_csv`; as
    :func:`read_jsonl` (the shards' headers may differ: every column of all of them is a
    column of every partition; ``document=`` as there).

    >>> docs = btd.read_csv("shards/*.csv", text="text")                      # doctest: +SKIP
    >>> docs.npartitions                       # one partition per shard      # doctest: +SKIP
    2
    """
    _check_boilerplate(boilerplate_min_df, "read_csv")
    return _read_tables(paths, "csv", text, doc_id, clean, errors, read_csv_kwargs,
                        keep_apparatus, date, document)


def _parquet_partition(df: pd.DataFrame, meta: pd.DataFrame, text: str, doc_id: str,
                       clean: bool, keep_apparatus: bool, date, source: str,
                       document=None) -> pd.DataFrame:
    """One Parquet partition made documents as a table shard is (:func:`_table_docs`:
    ids checked, dates derived from the column chosen for all) and cleaned when
    ``clean``."""
    df = df.assign(**{text: df[text].fillna("").astype(str)})
    docs, bad = _table_docs(df, text, doc_id, source, date, document)
    return _finish_partition(docs, bad, meta, clean, keep_apparatus=keep_apparatus)


def _parquet_date(ddf, text: str, date):
    """The date column of a Parquet dataset by the table readers' rule
    (:func:`_table_date`); the columns named like a date (and only they) are read in a
    first pass when there is a choice to make."""
    from .._dates import _DATE_NAMES, _column_key

    dask, _ = _dask()
    columns = list(ddf.columns)
    named = [c for c in columns if c != text and _column_key(c) in _DATE_NAMES]
    if date is None and "date" not in columns and named:
        count = dask.delayed(_date_counts, pure=True)
        counts = dask.compute(*[count(part, text) for part in ddf[named].to_delayed()])
    else:
        counts = [{}]
    datetime = [c for c in columns if pd.api.types.is_datetime64_any_dtype(ddf.dtypes[c])]
    return _table_date([{"columns": columns, "dates": part, "datetime": datetime}
                        for part in counts], text, date)


def read_parquet(path, text: str = "text", doc_id: str = "doc_id", *, clean: bool = True,
                 keep_apparatus: bool = False, boilerplate_min_df=None,
                 date: str | None = None, document: str | None = None, **kwargs):
    """Parquet files (``dask.dataframe.read_parquet``), each partition made documents as
    a shard of :func:`read_jsonl` is (ids checked; the date column, ``date=`` or the
    in-memory rule over all rows, chosen once, gives ``date`` as ISO strings and
    ``year``) and cleaned when ``clean=True`` (``keep_apparatus`` as in
    :func:`read_jsonl`). Parquet is binary, so there is no encoding to detect; without a
    ``date`` column or ``date=``, the columns named like a date are read in a first pass
    (only they: Parquet is read by column). ``document=`` as in :func:`read_jsonl`.

    >>> btd.read_parquet("policies.parquet", date="发布时间")     # doctest: +SKIP
    """
    _, dd = _dask()
    _check_boilerplate(boilerplate_min_df, "read_parquet")
    ddf = dd.read_parquet(path, **kwargs)
    if text not in ddf.columns or doc_id not in ddf.columns:
        raise InputError(f"{path}: needs columns {text!r} and {doc_id!r}; columns present: "
                         f"{list(ddf.columns)}")
    if document is not None and document not in ddf.columns:
        raise InputError(f"{path}: document column {document!r} not found; columns "
                         f"present: {list(ddf.columns)}")
    date = _parquet_date(ddf, text, date)
    with _quiet():
        docs, _ = _table_docs(ddf._meta, text, doc_id, str(path), date, document)
    rest = [c for c in docs.columns if c not in ("doc_id", "text")]
    # the date column holds ISO strings; a derived year is Int64; the others as read
    meta = _meta(["doc_id", "text"] + rest + [DROPPED],
                 {c: object if c == "date" and date is not False
                  else ddf._meta[c].dtype if c in ddf.columns else docs[c].dtype
                  for c in rest})
    return ddf.map_partitions(_parquet_partition, meta, text, doc_id, clean, keep_apparatus,
                              date, str(path), document, meta=meta)


def dropped(docs):
    """The dropped inputs of a documents frame (``doc_id``, ``file``, ``reason``), as a
    Dask DataFrame (``.compute()`` it: it re-reads the inputs; the reductions report the
    same rows as ``result.dropped`` without a second read).

    >>> docs = btd.read_folder("plans/", metadata="plans/metadata.csv")       # doctest: +SKIP
    >>> btd.dropped(docs).compute()[["doc_id", "reason"]].values.tolist()     # doctest: +SKIP
    [['notes', 'plans/notes.doc: unsupported format .doc: save it as .docx']]
    """
    _check_ddf(docs)
    if DROPPED not in docs.columns:
        return docs.map_partitions(lambda d: pd.DataFrame(columns=_DROPPED_COLUMNS),
                                   meta=_meta(_DROPPED_COLUMNS))
    return docs.map_partitions(_dropped_of, meta=_meta(_DROPPED_COLUMNS))


def _dropped_of(df: pd.DataFrame) -> pd.DataFrame:
    if DROPPED not in df.columns:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in _DROPPED_COLUMNS})
    bad = df[df[DROPPED].notna()]
    return pd.DataFrame({"doc_id": bad["doc_id"].astype(object).to_numpy(),
                         "file": (bad["file"] if "file" in bad else pd.Series(
                             [None] * len(bad))).astype(object).to_numpy(),
                         "reason": bad[DROPPED].astype(object).to_numpy()})


def _split_dropped(df: pd.DataFrame):
    """(documents, dropped table) of one partition."""
    if DROPPED not in df.columns:
        return df, _dropped_of(df)
    bad = df[DROPPED].notna()
    return df.loc[~bad].drop(columns=DROPPED).reset_index(drop=True), _dropped_of(df)


_NO_BOILERPLATE = ("the Dask readers do not remove lines repeated across files (the "
                   "in-memory boilerplate_min_df step needs every document at once); "
                   "btd.repeated_lines(docs) lists them, bt.read_folder removes them "
                   "(docs/DISTRIBUTED.md)")


def _check_boilerplate(boilerplate_min_df, where: str) -> None:
    if boilerplate_min_df is not None:
        raise ParameterError(f"{where}: boilerplate_min_df={boilerplate_min_df!r}: "
                             f"{_NO_BOILERPLATE}; pass boilerplate_min_df=None")


def _line_counts(df: pd.DataFrame):
    """(documents holding each stripped line, number of documents) of one partition."""
    from collections import Counter

    docs, _ = _split_dropped(df)
    counts: Counter = Counter()
    for text in docs["text"]:
        counts.update({line.strip() for line in str(text).split("\n")})
    counts.pop("", None)
    return counts, len(docs)


def _sum_line_counts(parts: list):
    from collections import Counter

    total: Counter = Counter()
    for counts, _ in parts:
        total.update(counts)
    return total, sum(n for _, n in parts)


def repeated_lines(docs, min_df=3) -> pd.DataFrame:
    """The lines the in-memory readers' ``boilerplate_min_df`` step would consider as site
    chrome, which the Dask readers keep: lines repeated verbatim in at least ``min_df``
    documents (a count, or a share when a float), never a sentence or a heading (the
    in-memory rule, :func:`bri_text.cleaning.repeated_lines`), with ``n_docs``, most
    repeated first; one warning says how many there are. In memory a line goes only where
    it sits in a page's chrome (above its first, below its last sentence): see
    ``docs/DISTRIBUTED.md``. One pass; the client holds every distinct line once.

    >>> btd.repeated_lines(btd.read_folder("plans/"))      # doctest: +SKIP
    """
    from ..cleaning import chrome_candidates, min_df_count

    dask, _ = _dask()
    _check_ddf(docs)
    _need_text(docs, "distributed.repeated_lines", "its lines")
    count = dask.delayed(_line_counts, pure=True)
    parts = [count(d) for d in docs.to_delayed()]
    merge = _tree_reduce(dask, parts, _sum_line_counts)
    (total, n_docs), = dask.compute(merge)
    threshold = min_df_count(min_df, n_docs, "min_df")
    shared = {line: n for line, n in total.items() if n >= threshold}
    keep = chrome_candidates(shared)
    out = pd.DataFrame(sorted(((line, shared[line]) for line in keep),
                              key=lambda r: (-r[1], r[0])), columns=["line", "n_docs"])
    if len(out):
        warnings.warn(f"repeated_lines: {len(out)} line(s) are repeated in at least "
                      f"{threshold} of {n_docs} documents (up to {int(out['n_docs'].max())} "
                      "documents); the Dask readers keep them, bt.read_folder removes those "
                      "in a page's chrome", stacklevel=2)
    return out
