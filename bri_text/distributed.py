"""Past one machine: the same comparison on Dask collections (optional extra).

``pip install "bri_text[dask]"`` adds Dask and distributed. Every function here takes and
returns Dask collections (or, for the reductions, the small in-memory objects the rest of
the library reads), and runs the library's own reading, cleaning, ``Tokenizer`` and
counting code on each worker, so results are those of the in-memory path:

>>> from distributed import Client, LocalCluster                      # doctest: +SKIP
>>> import bri_text as bt, bri_text.distributed as btd                # doctest: +SKIP
>>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))  # doctest: +SKIP
>>> docs = btd.read_folder("plans/", pattern="*.txt", errors="skip")  # doctest: +SKIP
>>> paragraphs = btd.reshape(docs, "paragraph")                        # doctest: +SKIP
>>> by_region = btd.group_counts(paragraphs, by="region")  # doctest: +SKIP
>>> bt.keyness(by_region, target={"region": "广西"})         # doctest: +SKIP

The data flow (``docs/DISTRIBUTED.md`` has the design and the measured figures):

- read: :func:`read_files` / :func:`read_folder` (one document per file), :func:`read_jsonl`
  / :func:`read_csv` (one partition per shard), :func:`read_parquet`, or
  :func:`from_corpus`. The result is a Dask DataFrame with ``doc_id``, ``text`` and the
  metadata columns, plus ``dropped_reason``: a file that cannot be read under
  ``errors="skip"`` (or a document empty after cleaning) stays in the frame as a row with
  no text and the reason, so it travels with the data and is reported by every reduction
  (``result.dropped``) instead of being lost on a worker. :func:`dropped` lists them.
- :func:`reshape` (paragraphs, sentences, sections) and :func:`tokenize` per partition.
- :func:`group_counts`: one pass, group-level counts reduced to an in-memory
  :class:`~bri_text.features.DocumentTermMatrix` equal to
  ``bt.dtm(bt.tokenize(units)).group(by)``; ``keyness``, ``frequencies`` read it unchanged.
- :func:`group_profile` / :func:`group_orientation`: dictionary profiles and geographic
  orientation by group, equal to ``bt.profile`` / ``bt.orientation`` with ``by=``.
- :func:`vocabulary` then :func:`count_matrix`: the unit-level matrix as a Dask array of
  scipy sparse blocks (fixed vocabulary in two passes, or hashed features in one).
- :func:`fit_topics` / :func:`topic_shares`: a topic model fitted on a sample of units,
  then inferred on every partition.

Workers must have the same ``bri_text`` version (and the extra) installed as the client.
"""
from __future__ import annotations

import glob as _glob
import io as _io
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .errors import BriTextError, InputError, OptionalDependencyError, ParameterError

__all__ = [
    "count_matrix",
    "dropped",
    "fit_topics",
    "from_corpus",
    "group_counts",
    "group_orientation",
    "group_profile",
    "read_csv",
    "read_files",
    "read_folder",
    "read_jsonl",
    "read_parquet",
    "reshape",
    "tokenize",
    "topic_shares",
    "vocabulary",
]

#: the column that marks a row as a dropped input (a reason), NA for documents
DROPPED = "dropped_reason"
_DROPPED_COLUMNS = ["doc_id", "file", "reason"]
_INSTALL = 'pip install "bri_text[dask]"'
_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def _dask():
    """Import dask.dataframe (and dask), or raise OptionalDependencyError."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:
        raise OptionalDependencyError(
            f"bri_text.distributed needs Dask ({exc.name} is not installed): {_INSTALL}"
        ) from None
    return dask, dd


def _check_errors(errors):
    if errors not in {"raise", "skip"}:
        raise ParameterError(f"errors must be 'raise' or 'skip', got {errors!r}")


def _check_ddf(docs, param="docs"):
    _, dd = _dask()
    if not isinstance(docs, dd.DataFrame):
        raise ParameterError(f"{param} must be a Dask DataFrame (from bri_text.distributed."
                             f"read_* or from_corpus), got {type(docs).__name__}")
    if "text" not in docs.columns and "tokens" not in docs.columns:
        raise ParameterError(f"{param} needs a 'text' (or 'tokens') column; columns: "
                             f"{list(docs.columns)}")


def _tree_reduce(dask, items: list, merge, fan_in: int = 8):
    """Reduce delayed partial results with ``merge(list)`` in a tree of width fan_in."""
    merge_d = dask.delayed(merge, pure=True)
    while len(items) > 1:
        items = [merge_d(items[i:i + fan_in]) for i in range(0, len(items), fan_in)]
    return items[0]


# =========================================================================== reading
def from_corpus(corpus, npartitions: int | None = None, *, partition_mb: float = 16):
    """A Dask DataFrame of a Corpus's (or a DataFrame's) units, in order.

    ``npartitions`` default: about ``partition_mb`` MB of text per partition (at least 1;
    benchmarks/DISTRIBUTED.md explains the choice of 16 MB).
    """
    _, dd = _dask()
    df = corpus.docs if hasattr(corpus, "docs") else corpus
    if not isinstance(df, pd.DataFrame) or "text" not in df.columns:
        raise ParameterError("corpus must be a Corpus or a DataFrame with a 'text' column, "
                             f"got {type(corpus).__name__}")
    if npartitions is None:
        mb = df["text"].str.len().sum() * 3 / 1e6
        npartitions = max(1, int(np.ceil(mb / partition_mb)))
    return dd.from_pandas(df.reset_index(drop=True), npartitions=int(npartitions), sort=False)


def _dropped_frame(rows, columns) -> pd.DataFrame:
    """Rows of dropped inputs in the documents' column layout (text NA, reason set)."""
    out = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object)
                        for c in columns})
    return out


def _finish_partition(df: pd.DataFrame, dropped_rows: list, columns: list, clean: bool,
                      text_steps=None) -> pd.DataFrame:
    """Clean the documents of one partition (as ``Corpus.clean``), mark documents empty
    after cleaning as dropped, and lay the frame out in ``columns``."""
    from .corpus import Corpus

    if len(df):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reported through dropped_reason instead
            corpus = Corpus(df.reset_index(drop=True))
            if clean:
                corpus = corpus.clean()
        df = corpus.docs
        for rec in corpus.dropped.to_dict("records"):
            dropped_rows.append({"doc_id": rec["doc_id"], "file": None,
                                 "reason": f"{rec['reason']} after cleaning"})
    df = df.copy()
    df[DROPPED] = pd.Series([None] * len(df), index=df.index, dtype=object)
    bad = _dropped_frame([{"doc_id": r["doc_id"], "file": r.get("file"),
                           DROPPED: r["reason"]} for r in dropped_rows], columns)
    out = pd.concat([df.reindex(columns=columns), bad], ignore_index=True) if len(bad) \
        else df.reindex(columns=columns).reset_index(drop=True)
    return _as_meta_types(out, columns)


def _as_meta_types(df: pd.DataFrame, columns: list) -> pd.DataFrame:
    """doc_id and text as str (text NA for dropped rows), every other column object."""
    out = df.reindex(columns=columns)
    for c in columns:
        out[c] = out[c].astype(object)
    return out


def _meta(columns: list) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _read_file_partition(paths: list, columns: list, clean: bool, errors: str,
                         doc_id: str, metadata) -> pd.DataFrame:
    """Read files with :func:`bri_text.io.read_files` one at a time, so one bad file is a
    dropped row of its own (``errors="skip"``) or the error naming it (``"raise"``)."""
    from .io import read_files

    rows, bad = [], []
    for p in paths:
        try:
            c = read_files([p], clean=False, errors="raise", doc_id=doc_id)
        except BriTextError as exc:
            if errors == "raise":
                raise
            path = Path(p)
            bad.append({"doc_id": path.stem if doc_id == "stem" else path.name,
                        "file": path.name, "reason": str(exc)})
            continue
        rows.append(c.docs)
    df = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["doc_id", "text"])
    if metadata is not None and len(df):
        key = "doc_id" if "doc_id" in metadata.columns else "file"
        extra = [c for c in metadata.columns if c != key]
        df = df.drop(columns=[c for c in extra if c in df.columns and c not in
                              ("doc_id", "text")]).merge(metadata, on=key, how="left")
    return _finish_partition(df, bad, columns, clean)


def _scan_fields(paths: list) -> list:
    """Metadata keys of the files (front matter keys, ``title`` of HTML), from the first
    64 KB of each file, so every partition has the same columns."""
    from .io import decode_bytes, split_front_matter

    keys: dict = {}
    for p in paths:
        path = Path(p)
        if path.suffix.lower() in {".html", ".htm"}:
            keys["title"] = None
        if path.suffix.lower() in {".docx", ".pdf"}:
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read(65536)
            if len(head) == 65536:
                head = head[:head.rfind(b"\n") + 1] or head
            text, _ = decode_bytes(head, str(path))
        except (BriTextError, OSError):
            continue  # the real read reports it
        for k in split_front_matter(text)[0]:
            keys[k] = None
    return list(keys)


def _partition_paths(paths: list, partition_mb: float) -> list:
    """Consecutive runs of files of about ``partition_mb`` MB each."""
    groups, cur, size = [], [], 0
    limit = partition_mb * 1e6
    for p in paths:
        try:
            s = os.path.getsize(p)
        except OSError:
            s = 0
        if cur and size + s > limit:
            groups.append(cur)
            cur, size = [], 0
        cur.append(p)
        size += s
    if cur:
        groups.append(cur)
    return groups


def read_files(paths, *, metadata=None, clean: bool = True, errors: str = "raise",
               doc_id: str = "stem", partition_mb: float = 16):
    """Read text files into a Dask DataFrame, one document per file, about
    ``partition_mb`` MB of files per partition.

    Each file is read by :func:`bri_text.io.read_files` on a worker (same encoding
    detection, front matter, ``.docx`` / ``.pdf`` extras) and cleaned as
    :meth:`bri_text.Corpus.clean`. ``errors="raise"``: an unreadable file stops the job
    with the error naming it. ``errors="skip"``: it becomes a row with no text and its
    reason in ``dropped_reason`` (see :func:`dropped`); the reductions skip and report
    it. ``metadata``: a DataFrame (or CSV path) joined on ``doc_id`` or ``file``.

    Columns: ``doc_id``, ``text``, ``file``, ``encoding``, the front-matter keys found in
    the files' first 64 KB, the metadata columns, ``dropped_reason`` (all ``object``).
    """
    dask, dd = _dask()
    _check_errors(errors)
    if doc_id not in {"stem", "name"}:
        raise ParameterError(f"doc_id must be 'stem' or 'name', got {doc_id!r}")
    paths = [str(p) for p in paths]
    if not paths:
        raise InputError("no files given")
    if metadata is not None and not isinstance(metadata, pd.DataFrame):
        mpath = Path(metadata)
        if not mpath.is_file():
            raise InputError(f"metadata file {mpath} not found")
        from .io import decode_bytes

        metadata = pd.read_csv(_io.StringIO(decode_bytes(mpath.read_bytes(), str(mpath))[0]))
    if metadata is not None:
        key = "doc_id" if "doc_id" in metadata.columns else "file"
        if key not in metadata.columns:
            raise InputError("metadata needs a 'doc_id' or 'file' column to join on; columns "
                             f"present: {list(metadata.columns)}")
        metadata = metadata.assign(**{key: metadata[key].astype(str)}).drop(
            columns=[c for c in ("text",) if c in metadata.columns])
    fields = _scan_fields(paths)
    meta_cols = [c for c in (metadata.columns if metadata is not None else [])
                 if c not in ("doc_id", "file", "text")]
    columns = ["doc_id", "text", "file", "encoding"]
    columns += [c for c in fields + meta_cols if c not in columns] + [DROPPED]
    read = dask.delayed(_read_file_partition, pure=True)
    parts = [read(group, columns, clean, errors, doc_id, metadata)
             for group in _partition_paths(paths, partition_mb)]
    return dd.from_delayed(parts, meta=_meta(columns), verify_meta=False)


def read_folder(path, pattern: str = "*", *, recursive: bool = False, **kwargs):
    """Every matching text file of a folder; see :func:`read_files` for the options."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    files = sorted(p for p in (folder.rglob(pattern) if recursive else folder.glob(pattern))
                   if p.is_file() and p.suffix.lower() in _TEXT_SUFFIXES)
    if not files:
        raise InputError(f"{folder}: no files match {pattern!r} with a supported suffix "
                         f"({', '.join(sorted(_TEXT_SUFFIXES))})")
    return read_files(files, **kwargs)


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


def _read_table_partition(path: str, kind: str, text: str, doc_id, columns: list,
                          clean: bool, errors: str, read_kw: dict) -> pd.DataFrame:
    from . import io as bio

    try:
        if kind == "jsonl":
            corpus = bio.read_jsonl(path, text=text, doc_id=doc_id, clean=False)
        else:
            corpus = bio.read_csv(path, text=text, doc_id=doc_id, clean=False, **read_kw)
        df = corpus.docs
        if doc_id is None:  # doc0, doc1 ... per shard: prefix the shard name
            df = df.assign(doc_id=Path(path).stem + ":" + df["doc_id"].astype(str))
        df = df.assign(file=Path(path).name)
        bad = [{"doc_id": d, "file": Path(path).name, "reason": r}
               for d, r in zip(corpus.dropped["doc_id"], corpus.dropped["reason"])]
    except BriTextError as exc:
        if errors == "raise":
            raise
        df, bad = pd.DataFrame(columns=["doc_id", "text"]), [
            {"doc_id": Path(path).stem, "file": Path(path).name, "reason": str(exc)}]
    return _finish_partition(df, bad, columns, clean)


def _table_columns(path: str, kind: str, text: str, doc_id, read_kw) -> list:
    """Column names of a shard from its first megabyte."""
    import json

    from .io import decode_bytes

    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if len(head) == 1 << 20:
        head = head[:head.rfind(b"\n") + 1] or head
    raw, _ = decode_bytes(head, path)
    if kind == "jsonl":
        keys: dict = {}
        for line in raw.splitlines()[:1000]:
            if line.strip():
                try:
                    keys.update(dict.fromkeys(json.loads(line)))
                except json.JSONDecodeError:
                    break
        cols = list(keys)
    else:
        cols = list(pd.read_csv(_io.StringIO(raw), nrows=5, **read_kw).columns)
    if text not in cols:
        raise InputError(f"{path}: text column {text!r} not found; columns present: {cols}")
    rest = [c for c in cols if c not in (text, doc_id, "doc_id")]
    return ["doc_id", "text", "file"] + [c for c in rest if c != "file"] + [DROPPED]


def _read_tables(paths, kind, text, doc_id, clean, errors, read_kw):
    dask, dd = _dask()
    _check_errors(errors)
    files = _expand(paths)
    columns = None
    for f in files:  # columns from the first readable shard
        try:
            columns = _table_columns(f, kind, text, doc_id, read_kw)
            break
        except (BriTextError, OSError):
            if errors == "raise":
                raise
    if columns is None:
        raise InputError(f"none of the {len(files)} shards can be read")
    read = dask.delayed(_read_table_partition, pure=True)
    parts = [read(f, kind, text, doc_id, columns, clean, errors, read_kw) for f in files]
    return dd.from_delayed(parts, meta=_meta(columns), verify_meta=False)


def read_jsonl(paths, text: str = "text", doc_id: str | None = None, *, clean: bool = True,
               errors: str = "raise"):
    """JSON-lines shards (a glob such as ``"shards/*.jsonl"`` or a list of paths), one
    partition per shard, each read by :func:`bri_text.io.read_jsonl` on a worker (encoding
    detected per shard). Without ``doc_id`` the ids are ``"{shard stem}:doc{i}"``. A shard
    that cannot be read is one dropped row under ``errors="skip"``."""
    return _read_tables(paths, "jsonl", text, doc_id, clean, errors, {})


def read_csv(paths, text: str = "text", doc_id: str | None = None, *, clean: bool = True,
             errors: str = "raise", **read_csv_kwargs):
    """CSV shards, one partition per shard, read by :func:`bri_text.io.read_csv`; as
    :func:`read_jsonl`."""
    return _read_tables(paths, "csv", text, doc_id, clean, errors, read_csv_kwargs)


def _clean_partition(df: pd.DataFrame, columns: list, text: str, doc_id) -> pd.DataFrame:
    df = df.rename(columns={text: "text"})
    if doc_id not in (None, "doc_id"):
        df = df.rename(columns={doc_id: "doc_id"})
    df = df.assign(text=df["text"].fillna("").astype(str))
    return _finish_partition(df, [], columns, True)


def read_parquet(path, text: str = "text", doc_id: str = "doc_id", *, clean: bool = True,
                 **kwargs):
    """Parquet files (``dask.dataframe.read_parquet``), cleaned per partition when
    ``clean=True``. Parquet is binary, so there is no encoding to detect."""
    _, dd = _dask()
    ddf = dd.read_parquet(path, **kwargs)
    if text not in ddf.columns or doc_id not in ddf.columns:
        raise InputError(f"{path}: needs columns {text!r} and {doc_id!r}; columns present: "
                         f"{list(ddf.columns)}")
    if not clean:
        return ddf.rename(columns={text: "text", doc_id: "doc_id"})
    rest = [c for c in ddf.columns if c not in (text, doc_id)]
    columns = ["doc_id", "text"] + rest + [DROPPED]
    return ddf.map_partitions(_clean_partition, columns, text, doc_id, meta=_meta(columns))


def dropped(docs):
    """The dropped inputs of a documents frame (``doc_id``, ``file``, ``reason``), as a
    Dask DataFrame (``.compute()`` it: it re-reads the inputs; the reductions report the
    same rows as ``result.dropped`` without a second read)."""
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


# =========================================================================== units, tokens
def _reshape_partition(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    from .corpus import Corpus

    docs, _ = _split_dropped(df)
    keep = [c for c in df.columns if c != DROPPED]
    if len(docs):
        docs = docs.assign(text=docs["text"].astype(str))
        units = Corpus(docs).reshape(unit).docs
    else:
        units = docs
    if DROPPED in df.columns:
        units = units.assign(**{DROPPED: None})
        bad_rows = df[df[DROPPED].notna()]
        units = pd.concat([units, bad_rows], ignore_index=True) if len(bad_rows) else units
    return units.reset_index(drop=True) if keep else units


def reshape(docs, unit: str = "paragraph"):
    """Split each document into paragraphs / sentences / sections per partition, exactly
    as :meth:`bri_text.Corpus.reshape` (a unit never spans two documents, so this is the
    in-memory result). Dropped rows are kept as they are."""
    _dask()
    _check_ddf(docs)
    from .corpus import Corpus

    sample = docs._meta.copy()
    probe = pd.DataFrame({c: [None] for c in sample.columns if c != DROPPED})
    probe["doc_id"], probe["text"] = "x", "一带一路。\n\n共建。"
    cols = list(Corpus(probe).reshape(unit).docs.columns)
    if DROPPED in docs.columns:
        cols.append(DROPPED)
    meta = pd.DataFrame({c: pd.Series([], dtype=sample[c].dtype if c in sample.columns
                                      else object) for c in cols})
    return docs.map_partitions(_reshape_partition, unit, meta=meta)


def _get_tokenizer(tokenizer, params):
    from .segment import Tokenizer

    if tokenizer is None:
        return Tokenizer(**params)
    if params:
        raise ParameterError(f"give either tokenizer= or tokenizer options "
                             f"({', '.join(params)}), not both")
    if not isinstance(tokenizer, Tokenizer):
        raise ParameterError(f"tokenizer must be a bri_text Tokenizer, got "
                             f"{type(tokenizer).__name__}")
    return tokenizer


def _segment(df: pd.DataFrame, tok):
    """:class:`bri_text.Tokens` of one partition's documents (no cache on workers)."""
    from .segment import tokenize as _tokenize

    return _tokenize(df.assign(text=df["text"].astype(str)), tokenizer=tok, cache=False,
                     progress=False)


def _tokens_of(df: pd.DataFrame, tok):
    """Token lists of one partition's documents (a ``tokens`` column is used as it is)."""
    if "tokens" in df.columns:
        return [list(t) for t in df["tokens"]]
    if not len(df):
        return []
    return _segment(df[["doc_id", "text"]], tok).tokens


def _tokenize_partition(df: pd.DataFrame, tok) -> pd.DataFrame:
    docs, _ = _split_dropped(df)
    out = df.copy()
    toks = [None] * len(df)
    good = np.flatnonzero(df[DROPPED].isna().to_numpy()) if DROPPED in df.columns \
        else np.arange(len(df))
    for i, t in zip(good, _tokens_of(docs, tok)):
        toks[i] = t
    out["tokens"] = pd.Series(toks, index=df.index, dtype=object)
    return out


def tokenize(docs, tokenizer=None, **params):
    """Add a ``tokens`` column (list of str, :func:`bri_text.tokenize`'s filtered tokens)
    per partition, with the same :class:`~bri_text.Tokenizer` on every worker.

    Only needed to look at or store tokens: the reductions segment inside their own tasks
    (one pass over the data, no token lists shipped between workers).
    """
    _check_ddf(docs)
    tok = _get_tokenizer(tokenizer, params)
    meta = docs._meta.assign(tokens=pd.Series([], dtype=object))
    return docs.map_partitions(_tokenize_partition, tok, meta=meta)


# =========================================================================== group counts
def _identity(tokens):
    """CountVectorizer analyzer for token lists (module level, so picklable)."""
    return tokens


class _Partial:
    """Group-level counts of some partitions, over their own (sorted) vocabulary.

    ``terms`` (object array, sorted), ``counts`` (groups x terms CSR, int64), ``missing``
    (1 x terms: units with no group value), ``df`` (document frequency per term),
    ``labels`` (one-row-per-group Series keeping the column's dtype), ``first`` (global
    position of each group's first unit: (partition, row)), ``n_units`` per group,
    ``n_missing``, ``missing_ids`` (a few), ``n_docs`` (all units), ``dropped`` table.
    """

    __slots__ = (
        "counts",
        "df",
        "dropped",
        "extra",
        "first",
        "labels",
        "missing",
        "missing_ids",
        "n_docs",
        "n_missing",
        "n_units",
        "terms",
    )


def _count_units(token_lists):
    """(sorted terms, units x terms CSR int64) of token lists, as CountVectorizer."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not any(token_lists):
        return (np.empty(0, dtype=object),
                sparse.csr_matrix((len(token_lists), 0), dtype=np.int64))
    vec = CountVectorizer(analyzer=_identity)
    x = vec.fit_transform(token_lists)
    return np.asarray(vec.get_feature_names_out(), dtype=object), x.astype(np.int64).tocsr()


def _codes(docs: pd.DataFrame, by: str):
    if by not in docs.columns:
        raise ParameterError(f"by={by!r} is not a column; columns: {list(docs.columns)}")
    codes, uniques = pd.factorize(docs[by], sort=False, use_na_sentinel=True)
    return np.asarray(codes), len(uniques)


def _group_partial(df: pd.DataFrame, part: int, tok, by: str, extra=None) -> _Partial:
    docs, bad = _split_dropped(df)
    toks = None
    if extra is not None and len(docs):   # dictionary matching needs texts and offsets
        toks = _segment(docs.drop(columns="tokens", errors="ignore"), tok)
        token_lists = toks.tokens
    else:
        token_lists = _tokens_of(docs, tok)
    terms, x = _count_units(token_lists)
    codes, n_groups = _codes(docs, by)
    keep = np.flatnonzero(codes >= 0)
    ind = sparse.csr_matrix((np.ones(len(keep), dtype=np.int64), (codes[keep], keep)),
                            shape=(n_groups, len(codes)))
    p = _Partial()
    p.terms = terms
    p.counts = (ind @ x).tocsr()
    miss = np.flatnonzero(codes < 0)
    p.missing = sparse.csr_matrix(np.asarray(x[miss].sum(axis=0)).reshape(1, -1)
                                  if len(terms) else np.zeros((1, 0), dtype=np.int64))
    p.df = np.asarray((x > 0).sum(axis=0)).ravel().astype(np.int64)
    first_rows = [int(np.flatnonzero(codes == g)[0]) for g in range(n_groups)]
    p.labels = docs[by].iloc[first_rows].reset_index(drop=True)
    p.first = [(part, r) for r in first_rows]
    p.n_units = np.bincount(codes[keep], minlength=n_groups).astype(np.int64)
    p.n_missing = len(miss)
    p.missing_ids = docs["doc_id"].iloc[miss[:5]].astype(str).tolist()
    p.n_docs = len(docs)
    p.dropped = bad
    p.extra = extra(toks, codes, n_groups) if extra is not None else None
    return p


def _label_key(v):
    """A hashable key of a group label, the same for numpy and Python scalars."""
    if hasattr(v, "item"):
        v = v.item()
    return (type(v).__name__, v)


def _merge_partials(parts: list) -> _Partial:
    """Sum group counts over the union of the partials' vocabularies and groups."""
    parts = [p for p in parts if p is not None]
    if len(parts) == 1:
        return parts[0]
    all_terms = np.concatenate([p.terms for p in parts])
    terms, inv = (np.unique(all_terms, return_inverse=True) if len(all_terms)
                  else (all_terms, np.empty(0, dtype=np.intp)))
    inv = inv.reshape(-1)
    offsets = np.cumsum([0] + [len(p.terms) for p in parts])
    # groups in order of first appearance
    order: dict = {}
    for p in parts:
        for i, first in enumerate(p.first):
            k = _label_key(p.labels.iloc[i])
            if k not in order or first < order[k][0]:
                order[k] = (first, p, i)
    keys = sorted(order, key=lambda k: order[k][0])
    row_of = {k: r for r, k in enumerate(keys)}
    V, G = len(terms), len(keys)
    rows, cols, vals = [], [], []
    missing = np.zeros(V, dtype=np.int64)
    df = np.zeros(V, dtype=np.int64)
    n_units = np.zeros(G, dtype=np.int64)
    extra = None
    for j, p in enumerate(parts):
        remap = inv[offsets[j]:offsets[j + 1]]
        c = p.counts.tocoo()
        grow = np.array([row_of[_label_key(v)] for v in p.labels], dtype=np.intp)
        rows.append(grow[c.row] if len(grow) else c.row)
        cols.append(remap[c.col])
        vals.append(c.data)
        m = p.missing.tocoo()
        np.add.at(missing, remap[m.col], m.data)
        np.add.at(df, remap, p.df)
        np.add.at(n_units, grow, p.n_units)
        if p.extra is not None:
            e = np.zeros((G,) + p.extra.shape[1:], dtype=p.extra.dtype)
            np.add.at(e, grow, p.extra)
            extra = e if extra is None else extra + e
    out = _Partial()
    out.terms = terms
    out.counts = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows),
                                                           np.concatenate(cols))),
                                   shape=(G, V), dtype=np.int64).tocsr()
    out.counts.sum_duplicates()
    out.missing = sparse.csr_matrix(missing.reshape(1, -1))
    out.df = df
    out.labels = pd.concat([order[k][1].labels.iloc[[order[k][2]]] for k in keys],
                           ignore_index=True) if keys else parts[0].labels.iloc[:0]
    out.first = [order[k][0] for k in keys]
    out.n_units = n_units
    out.n_missing = sum(p.n_missing for p in parts)
    out.missing_ids = [i for p in parts for i in p.missing_ids][:5]
    out.n_docs = sum(p.n_docs for p in parts)
    out.dropped = pd.concat([p.dropped for p in parts], ignore_index=True)
    out.extra = extra
    return out


def _report(total: _Partial, by: str, where: str) -> None:
    if len(total.dropped):
        warnings.warn(f"{where}: {len(total.dropped)} input(s) were dropped (unreadable or "
                      f"empty), e.g. {total.dropped['doc_id'].tolist()[:5]}; see "
                      "result.dropped for the reasons", stacklevel=3)
    if total.n_missing:
        warnings.warn(f"{where}: {total.n_missing} unit(s) with no value in {by!r} are left "
                      f"out (e.g. {total.missing_ids}); give them a value to include them",
                      stacklevel=3)


def _compute(dask, obj):
    (out,) = dask.compute(obj)
    return out


def _vocab_mask(df: np.ndarray, totals: np.ndarray, n_docs: int, min_df, max_df,
                max_features):
    """CountVectorizer's min_df / max_df / max_features selection (ties: by term order)."""
    max_doc = max_df if isinstance(max_df, (int, np.integer)) else max_df * n_docs
    min_doc = min_df if isinstance(min_df, (int, np.integer)) else min_df * n_docs
    if max_doc < min_doc:
        raise ParameterError(f"max_df={max_df!r} keeps fewer units than min_df={min_df!r}; "
                             "raise max_df or lower min_df")
    mask = (df <= max_doc) & (df >= min_doc)
    if max_features is not None and mask.sum() > max_features:
        idx = np.flatnonzero(mask)
        top = idx[np.argsort(-totals[idx], kind="stable")[:max_features]]
        mask = np.zeros_like(mask)
        mask[top] = True
    if not mask.any():
        raise ParameterError(f"empty vocabulary: no term is left with min_df={min_df!r}, "
                             f"max_df={max_df!r} over {n_docs} units; lower min_df or raise "
                             "max_df")
    return mask


def _group_reduce(docs, by, tokenizer, params, extra=None):
    dask, _ = _dask()
    _check_ddf(docs)
    if not isinstance(by, str):
        raise ParameterError(f"by must be a metadata column name, got {by!r}")
    if by not in docs.columns:
        raise ParameterError(f"by={by!r} is not a column; columns: {list(docs.columns)}")
    tok = _get_tokenizer(tokenizer, params)
    partial = dask.delayed(_group_partial, pure=True)
    parts = [partial(d, i, tok, by, extra) for i, d in enumerate(docs.to_delayed())]
    return _compute(dask, _tree_reduce(dask, parts, _merge_partials))


def group_counts(docs, by: str, *, tokenizer=None, min_df=1, max_df=1.0, max_features=None,
                 **params):
    """Term counts per group of units, as a small in-memory DocumentTermMatrix.

    One pass over the data: each partition is segmented with ``tokenizer`` (default
    ``Tokenizer(**params)``) and counted per group over its own vocabulary; partial results
    are summed in a tree over the union of vocabularies. The result equals
    ``bt.dtm(bt.tokenize(units), min_df=..., max_df=...).group(by)``: the same terms (all
    terms of all units, including units with no ``by`` value, sorted), the same groups in
    order of first appearance (``doc_id`` = label, ``by``, ``n_units``), the same counts;
    so :func:`bri_text.keyness` and :func:`bri_text.frequencies` read it unchanged.

    ``max_features`` ties are broken by term order (scikit-learn's are unspecified).
    Units with no ``by`` value are left out with one warning; dropped inputs are listed
    in ``result.dropped`` (``doc_id, file, reason``) with one warning.
    """
    from .features import DocumentTermMatrix, _check_df

    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    total = _group_reduce(docs, by, tokenizer, params)
    _report(total, by, "distributed.group_counts")
    totals = np.asarray(total.counts.sum(axis=0)).ravel() + total.missing.toarray().ravel()
    mask = _vocab_mask(total.df, totals, total.n_docs, min_df, max_df, max_features)
    cols = np.flatnonzero(mask)
    _, labels = pd.factorize(total.labels, sort=False)
    gdocs = pd.DataFrame({"doc_id": [str(x) for x in labels]})
    if by != "doc_id":
        gdocs[by] = list(labels)
    gdocs["n_units"] = total.n_units
    params_out = {"weighting": "count", "min_df": min_df, "max_df": max_df,
                  "max_features": max_features, "ngram_range": (1, 1)}
    m = DocumentTermMatrix(total.counts[:, cols], total.terms[cols], gdocs, params=params_out)
    m.dropped = total.dropped
    m.n_units_total = total.n_docs
    return m


# =========================================================================== profiles
class _DictionaryExtra:
    """Per partition: dictionary matches and tokens per group, counted by
    :func:`bri_text.profile` itself on the partition's Tokens (``by=None``, per unit)."""

    def __init__(self, index, n_cats):
        self.index, self.n_cats = index, n_cats

    def __call__(self, toks, codes, n_groups):
        from .compare import profile

        out = np.zeros((n_groups, self.n_cats + 1), dtype=np.int64)
        if toks is None or not len(toks):
            return out
        dictionary: dict = {}
        for term, ci in self.index.items():
            dictionary.setdefault(ci, []).append(term)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = profile(toks, {f"c{ci}": dictionary.get(ci, [])
                               for ci in range(self.n_cats)}, normalize=None)
        counts = p["count"].to_numpy().reshape(len(toks), self.n_cats)
        n_tok = p["n_tokens"].to_numpy().reshape(len(toks), self.n_cats)[:, 0]
        keep = codes >= 0
        np.add.at(out[:, :self.n_cats], codes[keep], counts[keep])
        np.add.at(out[:, self.n_cats], codes[keep], n_tok[keep])
        return out


def _match_by_group(docs, by, tokenizer, params, dictionary: dict):
    """(group labels, sums (G x K), tokens per group, total) for a {category: terms}."""
    cats = list(dictionary)
    index = {t: ci for ci, c in enumerate(cats) for t in dictionary[c]}
    extra = _DictionaryExtra(index, len(cats))
    total = _group_reduce(docs, by, tokenizer, params, extra=extra)
    _, labels = pd.factorize(total.labels, sort=False)
    e = total.extra if total.extra is not None else np.zeros((len(labels), len(cats) + 1),
                                                             dtype=np.int64)
    return list(labels), e[:, :len(cats)], e[:, len(cats)], total


def group_profile(docs, dictionary, by: str, *, normalize="per_10k", tokenizer=None,
                  **params) -> pd.DataFrame:
    """:func:`bri_text.profile` by group on a Dask DataFrame: the same table (``group,
    category, count, n_tokens`` and ``per_10k`` / ``share``), computed by running
    ``profile`` on each partition's units and summing per group (no bootstrap intervals:
    they need every unit in one place)."""
    from .compare import _load_dictionary, _term_index

    d = _load_dictionary(dictionary)
    index, cats = _term_index(d, "dictionary")
    labels, sums, ntot, total = _match_by_group(
        docs, by, tokenizer, params, {c: [t for t, ci in index.items() if ci == k]
                                      for k, c in enumerate(cats)})
    _report(total, by, "distributed.group_profile")
    G, K = sums.shape
    out = pd.DataFrame({"group": np.repeat(np.asarray(labels, dtype=object), K),
                        "category": np.tile(np.asarray(cats, dtype=object), G),
                        "count": sums.ravel(), "n_tokens": np.repeat(ntot, K)})
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalize == "per_10k":
            out["per_10k"] = (sums / ntot[:, None] * 1e4).ravel()
        elif normalize == "share":
            out["share"] = (sums / sums.sum(axis=1, keepdims=True)).ravel()
        elif normalize is not None:
            raise ParameterError(f"normalize must be 'per_10k', 'share' or None, got "
                                 f"{normalize!r}")
    out.attrs.update(dictionary=str(dictionary) if isinstance(dictionary, str)
                     else "dictionary", normalize=normalize, n_boot=0, ci=0.95)
    return out


def group_orientation(docs, by: str = "region", level: str = "world_region", *,
                      tokenizer=None, **params) -> pd.DataFrame:
    """:func:`bri_text.orientation` on a Dask DataFrame (no bootstrap): shares of place
    mentions per group, the same table as the in-memory function."""
    from ._lexicons import CORRIDORS, load_gazetteer

    if level not in ("world_region", "continent", "corridor"):
        raise ParameterError(f"level must be one of ('world_region', 'continent', "
                             f"'corridor'), got {level!r}")
    gaz = load_gazetteer()
    values = gaz[level].fillna("").astype(str).str.strip()
    areas = sorted(v for v in values.unique() if v)
    dictionary = {a: gaz.loc[values == a, "term"].tolist() for a in areas}
    if level == "corridor":
        known = set(gaz["term"])
        for name in CORRIDORS:
            if name in dictionary and name not in known:
                dictionary[name].append(name)
    dictionary[""] = gaz.loc[values == "", "term"].tolist()
    from .compare import _term_index

    index, cats = _term_index(dictionary, "gazetteer")
    labels, sums, _, total = _match_by_group(
        docs, by, tokenizer, params, {c: [t for t, ci in index.items() if ci == k]
                                      for k, c in enumerate(cats)})
    _report(total, by, "distributed.group_orientation")
    sums = sums[:, :len(areas)]
    G, K = sums.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = sums / sums.sum(axis=1, keepdims=True)
    out = pd.DataFrame({"group": np.repeat(np.asarray(labels, dtype=object), K),
                        level: np.tile(np.asarray(areas, dtype=object), G),
                        "count": sums.ravel(), "share": shares.ravel(),
                        "n_mentions": np.repeat(sums.sum(axis=1), K),
                        "_g": np.repeat(np.arange(G), K)})
    empty = [labels[g] for g in range(G) if sums[g].sum() == 0]
    if empty:
        warnings.warn(f"orientation: no place names found for group(s) {empty[:5]}; their "
                      "shares are NaN", stacklevel=2)
    out = out.sort_values(["_g", "share", level], ascending=[True, False, True],
                          kind="mergesort", na_position="last")
    out = out.drop(columns="_g").reset_index(drop=True)
    out.attrs.update(level=level, n_boot=0, ci=0.95)
    return out


# =========================================================================== unit matrix
def _vocab_partial(df: pd.DataFrame, tok):
    docs, _ = _split_dropped(df)
    terms, x = _count_units(_tokens_of(docs, tok))
    return (terms, np.asarray((x > 0).sum(axis=0)).ravel().astype(np.int64),
            np.asarray(x.sum(axis=0)).ravel().astype(np.int64), len(docs))


def _merge_vocab(parts: list):
    if len(parts) == 1:
        return parts[0]
    all_terms = np.concatenate([p[0] for p in parts])
    terms, inv = np.unique(all_terms, return_inverse=True)
    inv = inv.reshape(-1)
    df = np.zeros(len(terms), dtype=np.int64)
    cnt = np.zeros(len(terms), dtype=np.int64)
    pos = 0
    for t, d, c, _ in parts:
        np.add.at(df, inv[pos:pos + len(t)], d)
        np.add.at(cnt, inv[pos:pos + len(t)], c)
        pos += len(t)
    return terms, df, cnt, sum(p[3] for p in parts)


def vocabulary(docs, *, tokenizer=None, min_df=1, max_df=1.0, max_features=None,
               **params) -> pd.DataFrame:
    """First pass: the vocabulary with its document frequencies, as a pandas DataFrame
    (``term, doc_freq, count``, terms sorted as :func:`bri_text.dtm` sorts them), filtered
    with ``min_df`` / ``max_df`` / ``max_features`` as :func:`bri_text.dtm` does. Pass it
    to :func:`count_matrix`."""
    dask, _ = _dask()
    _check_ddf(docs)
    from .features import _check_df

    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    tok = _get_tokenizer(tokenizer, params)
    part = dask.delayed(_vocab_partial, pure=True)
    parts = [part(d, tok) for d in docs.to_delayed()]
    terms, df, cnt, n = _compute(dask, _tree_reduce(dask, parts, _merge_vocab))
    mask = _vocab_mask(df, cnt, n, min_df, max_df, max_features)
    out = pd.DataFrame({"term": terms[mask], "doc_freq": df[mask], "count": cnt[mask]})
    out.attrs.update(n_units=int(n))
    return out


def _count_block(df: pd.DataFrame, tok, terms, n_features):
    docs, _ = _split_dropped(df)
    token_lists = _tokens_of(docs, tok)
    if n_features is not None:
        from sklearn.feature_extraction.text import HashingVectorizer

        vec = HashingVectorizer(analyzer=_identity, n_features=n_features,
                                alternate_sign=False, norm=None, dtype=np.int64)
        return vec.transform(token_lists).tocsr()
    from sklearn.feature_extraction.text import CountVectorizer

    vocab = {t: i for i, t in enumerate(terms)}
    if not vocab:
        raise ParameterError("the vocabulary is empty")
    return CountVectorizer(analyzer=_identity, vocabulary=vocab).transform(
        token_lists).astype(np.int64).tocsr()


def count_matrix(docs, vocabulary=None, *, n_features: int | None = None, tokenizer=None,
                 **params):
    """Second pass: the units x terms count matrix as a Dask array of scipy CSR blocks
    (one block of rows per partition, in order; dropped rows are not rows).

    ``vocabulary``: the table from :func:`vocabulary` (or a list of terms); columns follow
    its order. Or ``n_features=2**20``: hashed features in one pass (no vocabulary, column
    = hash of the term, collisions possible; scikit-learn's ``HashingVectorizer`` with
    ``alternate_sign=False``). Row counts per block are unknown until computed
    (``array.compute_chunk_sizes()``).
    """
    dask, _ = _dask()
    import dask.array as da

    _check_ddf(docs)
    if (vocabulary is None) == (n_features is None):
        raise ParameterError("give vocabulary= (from distributed.vocabulary) or "
                             "n_features= (hashed features), exactly one")
    if n_features is not None and (not isinstance(n_features, (int, np.integer))
                                   or n_features < 1):
        raise ParameterError(f"n_features must be a positive int, got {n_features!r}")
    tok = _get_tokenizer(tokenizer, params)
    if vocabulary is not None:
        terms = vocabulary["term"] if isinstance(vocabulary, pd.DataFrame) else vocabulary
        terms = np.asarray(list(terms), dtype=object)
        width = len(terms)
        terms_d = dask.delayed(terms, pure=True, traverse=False)
    else:
        width, terms_d = int(n_features), None
    block = dask.delayed(_count_block, pure=True)
    meta = sparse.csr_matrix((0, width), dtype=np.int64)
    arrays = [da.from_delayed(block(d, tok, terms_d, n_features), shape=(np.nan, width),
                              dtype=np.int64, meta=meta) for d in docs.to_delayed()]
    return da.concatenate(arrays, axis=0)


# =========================================================================== topics
def fit_topics(docs, n_topics: int, *, frac: float = 0.1, random_state=None,
               tokenizer=None, **model_params):
    """A :class:`bri_text.TopicModel` fitted on a random sample of the units.

    ``docs.sample(frac=frac, random_state=random_state)`` is gathered to this process,
    segmented and fitted in memory (tomotopy, one worker: reproducible for a fixed
    ``random_state`` and partitioning). Infer every unit with :func:`topic_shares`.
    See ``docs/DISTRIBUTED.md`` for why sample-then-infer rather than online LDA.
    """
    dask, _ = _dask()
    _check_ddf(docs)
    if not 0 < frac <= 1:
        raise ParameterError(f"frac must be in (0, 1], got {frac!r}")
    from .segment import tokenize as _tokenize
    from .topics import TopicModel

    seed = random_state if isinstance(random_state, (int, np.integer)) else None
    sample = docs.sample(frac=frac, random_state=seed) if frac < 1 else docs
    units, _ = _split_dropped(_compute(dask, sample).reset_index(drop=True))
    if not len(units):
        raise ParameterError(f"the sample (frac={frac}) has no units; raise frac")
    tok = _get_tokenizer(tokenizer, {})
    toks = _tokenize(units.assign(text=units["text"].astype(str)), tokenizer=tok,
                     cache=False, progress=False)
    model = TopicModel(n_topics=n_topics, random_state=random_state, **model_params)
    model.fit(toks)
    model.tokenizer_ = tok
    return model


def _model_blob(model) -> bytes:
    """The model's saved folder as a zip in memory (TopicModel is not picklable; its own
    save format is used, so workers need no shared disk)."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = model.save(Path(tmp) / "model")
        buf = _io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for f in sorted(Path(folder).rglob("*")):
                if f.is_file():
                    z.write(f, f.relative_to(folder))
    return buf.getvalue()


_MODELS: dict = {}


def _load_blob(blob: bytes):
    import hashlib
    import tempfile
    import zipfile

    from .topics import TopicModel

    key = hashlib.sha256(blob).hexdigest()
    if key not in _MODELS:
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(_io.BytesIO(blob)) as z:
                z.extractall(tmp)
            _MODELS.clear()
            _MODELS[key] = TopicModel.load(tmp)
    return _MODELS[key]


def _shares_partition(df: pd.DataFrame, blob: bytes, tok, columns) -> pd.DataFrame:
    from .segment import tokenize as _tokenize

    docs, _ = _split_dropped(df)
    if not len(docs):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    model = _load_blob(blob)
    toks = _tokenize(docs.assign(text=docs["text"].astype(str)), tokenizer=tok, cache=False,
                     progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = model.transform(toks)
    out.columns = [str(c) for c in out.columns]
    return out.reindex(columns=columns).astype(object)


def topic_shares(docs, model, *, tokenizer=None):
    """Topic proportions of every unit (:meth:`bri_text.TopicModel.transform` on each
    partition), a Dask DataFrame: ``doc_id``, metadata, ``n_tokens``, one column per topic
    (``"0"``, ``"1"``, ...; object dtype). Units with no known term have NaN shares.
    Group means: ``shares.groupby("region")[topic_columns].mean().compute()``."""
    dask, _ = _dask()
    _check_ddf(docs)
    tok = tokenizer or getattr(model, "tokenizer_", None) or _get_tokenizer(None, {})
    meta_cols = [c for c in docs.columns if c not in ("text", "tokens", DROPPED)]
    columns = meta_cols + ["n_tokens"] + [str(k) for k in range(model.n_topics_)]
    blob = dask.delayed(_model_blob(model), pure=True, traverse=False)
    return docs.map_partitions(_shares_partition, blob, tok, columns,
                               meta=_meta(columns), enforce_metadata=False)
