"""The public functions :func:`tokenize` and :func:`tokenize_stream`."""
from __future__ import annotations

from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from .. import _util
from ..errors import InputError, MetadataError, ParameterError
from ._batch import _job_chars, _map_batches, _ranges, _stream, _useful_jobs
from ._tokenizer import Tokenizer
from ._tokens import Tokens


# -------------------------------------------------------------------- input
def _as_docs(data) -> pd.DataFrame:
    docs = getattr(data, "docs", None)
    if isinstance(docs, pd.DataFrame):
        data = docs
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns:
            raise MetadataError(f"the DataFrame needs a 'text' column; columns present: "
                                f"{list(data.columns)}")
        df = data.reset_index(drop=True)
        if "doc_id" not in df.columns:
            df.insert(0, "doc_id", [f"doc{i}" for i in range(len(df))])
        for did, t in zip(df["doc_id"], df["text"]):
            if not isinstance(t, str):
                raise MetadataError(f"text of document {did!r} is {type(t).__name__}, not str; "
                                    "fill or drop missing texts first")
        return df
    texts = _util.as_list(data, "tokenize's input",
                    "a Corpus, a DataFrame with a 'text' column or an iterable of str")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"texts[{i}] is {type(t).__name__}, not str")
    # object dtype: pandas' pyarrow-backed strings cannot hold lone surrogates
    return pd.DataFrame({"doc_id": [f"doc{i}" for i in range(len(texts))],
                         "text": pd.Series(texts, dtype=object)})


def _resolve_tokenizer(tokenizer, params) -> Tokenizer:
    if tokenizer is None:
        _check_options(params)
        return Tokenizer(**params)
    if params:
        raise ParameterError(f"give either tokenizer= or tokenizer options "
                             f"({', '.join(params)}), not both")
    if not isinstance(tokenizer, Tokenizer):
        raise ParameterError(f"tokenizer must be a bri_text Tokenizer, got "
                             f"{type(tokenizer).__name__}")
    return tokenizer


def _check_options(params) -> None:
    """ParameterError naming a tokenizer option that does not exist (``stopword=``), the
    nearest one and all of them (a misspelt keyword was a bare TypeError)."""
    import difflib

    valid = list(Tokenizer._PARAMS)
    unknown = [k for k in params if k not in valid]
    if unknown:
        near = difflib.get_close_matches(unknown[0], valid, n=1)
        raise ParameterError(f"unknown tokenizer option(s) {', '.join(map(repr, unknown))}"
                             + (f" (did you mean {near[0]!r}?)" if near else "")
                             + f"; the options are: {', '.join(valid)}")


def _shards(texts: list, cum, store, n_jobs: int, engine: str) -> list:
    """(first, end, digests) of each shard: the cache's shards, else the jobs' ranges."""
    from . import _cache as sc

    if store is not None:
        return sc.plan_shards(texts)
    total = int(cum[-1])  # without cache, shards only cut the work into jobs
    return [(lo, hi, None) for lo, hi in
            _ranges(cum, _job_chars(total, _useful_jobs(n_jobs, total, engine)))]


def _load_cached(store, st, shards: list, tags: bool) -> tuple[list, list]:
    """The unpacked tokens of each shard found in the cache (else None) and the missing shards."""
    results: list = [None] * len(shards)
    missing = []
    for k, (lo, hi, digests) in enumerate(shards):
        hit = store.load(st.key, digests, tags) if store is not None else None
        if hit is not None:
            results[k] = list(hit.unpack())
        else:
            missing.append(k)
    return results, missing


def _group_jobs(missing: list, shards: list, cum, job_chars: int) -> list[list]:
    """The missing shards grouped into jobs of at most ``job_chars`` characters (or one shard)."""
    chars = [int(cum[shards[k][1]] - cum[shards[k][0]]) for k in missing]
    return _util.pack_by_size(missing, chars, job_chars)


def _segment_missing(tok, st, texts: list, shards: list, missing: list, cum, n_jobs: int,
                     tags: bool, store, results: list, progress) -> None:
    """Segment the missing shards into ``results`` (in workers if worth it) and cache them."""
    todo = sum(int(cum[shards[k][1]] - cum[shards[k][0]]) for k in missing)
    n_jobs = _useful_jobs(n_jobs, todo, st.engine_name)
    jobs = _group_jobs(missing, shards, cum, _job_chars(todo, n_jobs))
    job_texts = ([t for k in job for t in texts[shards[k][0]:shards[k][1]]] for job in jobs)
    done = _map_batches(tok, job_texts, n_jobs, tags)
    n_missing = sum(shards[k][1] - shards[k][0] for k in missing)
    bar = _util.progress_bar(None, total=n_missing, desc="tokenize", progress=progress) \
        if n_missing else None
    for job in jobs:
        batch = next(done)
        for k, part in zip(job, batch.split([shards[k][1] - shards[k][0] for k in job])):
            if store is not None:
                store.save(st.key, shards[k][2], part)
            results[k] = list(part.unpack())  # now, while the workers go on
        if bar is not None:
            bar.update(sum(shards[k][1] - shards[k][0] for k in job))
    if bar is not None:
        bar.close()


# -------------------------------------------------------------------- public functions
def tokenize(corpus_or_texts, tokenizer: Tokenizer | None = None, *, n_jobs: int = 1,
             progress=None, cache="auto", cache_dir=None, **params) -> Tokens:
    """Segment every unit of a corpus into tokens with offsets.

    Parameters
    ----------
    corpus_or_texts : Corpus, DataFrame with a ``text`` column, or iterable of str
    tokenizer : Tokenizer, optional
        Default ``Tokenizer(**params)``.
    n_jobs : int
        Worker processes (-1: all cores); order is preserved. rjieba holds the GIL, so
        workers are processes; each is started only if it gets at least 500,000
        characters (50,000 with ``engine="jieba"``), below that the work stays in this
        process. On 2 free cores ``n_jobs=2`` is about 1.5-1.6x faster on 50 MB; on cores
        shared with other jobs it can be slower (``benchmarks/SEGMENT.md``).
    progress : bool or None
        tqdm progress bar; None shows it on a terminal outside CI.
    cache : "auto" | bool
        Reuse tokens stored on disk by an earlier run with the same texts and configuration
        (see :mod:`bri_text.segment._cache`). ``"auto"`` turns it on where reading is faster
        than segmenting again; measured faster for both engines (about 60x for jieba, 7x
        for rjieba on the built-in corpus, ``benchmarks/SEGMENT.md``), so on for both.
    cache_dir : path, optional
        Default: ``$BRI_TEXT_CACHE_DIR`` or the user cache directory.

    >>> tokenize(["推进“一带一路”建设"]).tokens
    [['推进', '一带一路', '建设']]
    >>> tokenize(["推进“一带一路”建设"], stopwords=("general", "policy")).tokens
    [['一带一路']]
    """
    tok = _resolve_tokenizer(tokenizer, params)
    n_jobs = _util.check_n_jobs(n_jobs)
    docs = _as_docs(corpus_or_texts)
    texts = docs["text"].tolist()
    st = tok._get_state()
    tags = tok.pos is not None
    from . import _cache as sc

    store = sc.resolve(cache, cache_dir, st.engine_name)
    cum = np.zeros(len(texts) + 1, dtype=np.int64)  # characters before each text
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=cum[1:])
    shards = _shards(texts, cum, store, n_jobs, st.engine_name)
    results, missing = _load_cached(store, st, shards, tags)
    _segment_missing(tok, st, texts, shards, missing, cum, n_jobs, tags, store, results,
                     progress)
    out_t, out_s, out_g = [], [], []
    for unpacked in results:
        for toks, sp, tg in unpacked:
            out_t.append(toks)
            out_s.append(sp)
            out_g.append(tg)
    return Tokens(docs, out_t, out_s, dict(st.config), out_g if tags else None)


def tokenize_stream(texts: Iterable[str], tokenizer: Tokenizer | None = None, *,
                    n_jobs: int = 1, with_spans: bool = False, progress=None,
                    batch_chars: int = 1_000_000, **params) -> Iterator:
    """Token lists for an iterable of texts, in order, with bounded memory.

    Reads ``texts`` lazily in batches of about ``batch_chars`` characters (at most
    ``2 * n_jobs`` batches in memory), so a corpus larger than memory can be streamed, e.g.
    from a JSONL file. Yields ``tokens`` or ``(tokens, spans)`` with ``with_spans=True``.
    Nothing is cached.

    >>> list(tokenize_stream(iter(["丝路基金", "亚投行"])))
    [['丝路基金'], ['亚投行']]
    """
    tok = _resolve_tokenizer(tokenizer, params)
    n_jobs = _util.check_n_jobs(n_jobs)
    if isinstance(texts, str):
        raise ParameterError("texts must be an iterable of str, not one str; wrap it in a list")
    batch_chars = _util.check_scalar(batch_chars, "batch_chars", min_val=1)

    yield from _stream(tok, texts, n_jobs, with_spans, progress, batch_chars)
