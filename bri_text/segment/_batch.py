"""Batches of segmented texts and their parallel execution over processes."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import numpy as np

from .. import _util
from ..errors import InputError

if TYPE_CHECKING:
    from ._tokenizer import Tokenizer

# -------------------------------------------------------------------- batches
_BATCH_CHARS = 1_000_000


def _run_batch(tok: Tokenizer, texts: list, tags: bool) -> "_Batch":
    """Tokenise a list of texts (joined in groups of about _BATCH_CHARS characters)."""
    st = tok._get_state()
    return _Batch.concat([st.batch(group, tok, tags)
                          for group in _batches(texts, _BATCH_CHARS, 1 << 30)], tags)


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


class _Batch:
    """Tokens of several texts, flat: token ``ids`` into ``vocab`` (an object array of
    str), ``counts`` per text, ``spans`` (N, 2) and ``tags`` (list or None). ``tokens``
    (list of str) is built on first use."""

    __slots__ = ("vocab", "ids", "counts", "spans", "tags", "_tokens")

    def __init__(self, vocab, ids, counts, spans, tags):
        self.vocab, self.ids, self.counts, self.spans, self.tags = vocab, ids, counts, spans, tags
        self._tokens = None

    @classmethod
    def from_vocab(cls, vocab: list, ids, counts, spans, tags) -> "_Batch":
        """A batch from a list of distinct tokens and ids into it (worker result, cache)."""
        return cls(_object_array(vocab), ids, counts, spans, tags)

    @classmethod
    def concat(cls, parts: list, tags: bool) -> "_Batch":
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.from_vocab([], np.empty(0, np.intp), np.empty(0, np.int64),
                                  np.empty((0, 2), np.int64), [] if tags else None)
        starts = np.cumsum([0] + [len(p.vocab) for p in parts[:-1]])
        return cls(np.concatenate([p.vocab for p in parts]),
                   np.concatenate([p.ids + s for p, s in zip(parts, starts)]),
                   np.concatenate([p.counts for p in parts]),
                   np.concatenate([p.spans for p in parts]),
                   [t for p in parts for t in p.tags] if tags else None)

    @property
    def tokens(self) -> list:
        if self._tokens is None:
            self._tokens = self.vocab[self.ids].tolist()
        return self._tokens

    def compact(self):
        """(list of the distinct tokens, int32 ids into it): what is sent or stored."""
        if len(self.ids) * 4 < len(self.vocab):  # few tokens of a large vocabulary: sort
            used, ids = np.unique(self.ids, return_inverse=True)
            return self.vocab[used].tolist(), ids.astype(np.int32).reshape(-1)
        used = np.flatnonzero(np.bincount(self.ids, minlength=len(self.vocab)))
        remap = np.zeros(len(self.vocab), dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        return self.vocab[used].tolist(), remap[self.ids]

    def __getstate__(self):
        # compact for the trip back from a worker process: vocabulary + int32 ids and spans
        vocab, ids = self.compact()
        spans = self.spans
        if not len(spans) or spans.max() < 2 ** 31:
            spans = spans.astype(np.int32)
        return (vocab, ids, self.counts, spans, self.tags)

    def __setstate__(self, s):
        vocab, ids, counts, spans, tags = s
        self.__init__(_object_array(vocab), ids, counts, spans.astype(np.int64), tags)

    def split(self, sizes: list) -> list:
        """Split into batches of ``sizes`` texts each."""
        out, t, tok = [], 0, 0
        for n in sizes:
            c = self.counts[t:t + n]
            m = int(c.sum())
            out.append(_Batch(self.vocab, self.ids[tok:tok + m], c, self.spans[tok:tok + m],
                              self.tags[tok:tok + m] if self.tags is not None else None))
            t, tok = t + n, tok + m
        return out

    def unpack(self):
        """Yield (tokens, spans, tags) per text."""
        tokens = self.tokens
        pos = 0
        for n in self.counts.tolist():
            yield (tokens[pos:pos + n], self.spans[pos:pos + n],
                   self.tags[pos:pos + n] if self.tags is not None else None)
            pos += n


# Characters each worker process must get to be worth starting: a pool of 2 workers costs
# about 60 ms to start and stop on the benchmark machine (benchmarks/SEGMENT.md), rjieba
# segments about 4M characters/s and jieba about 0.4M per process.
_MIN_WORKER_CHARS = {"rjieba": 500_000, "jieba": 50_000}


def _useful_jobs(n_jobs: int, chars: int, engine: str) -> int:
    """``n_jobs``, or fewer when there is too little text for that many workers."""
    return max(1, min(n_jobs, chars // _MIN_WORKER_CHARS.get(engine, 50_000)))


def _job_chars(total: int, n_jobs: int) -> int:
    """Characters per job: _BATCH_CHARS, or less so that each worker gets at least 4 jobs
    (jobs are handed out in order, so smaller jobs balance the workers)."""
    if n_jobs == 1:
        return _BATCH_CHARS
    return max(10_000, min(_BATCH_CHARS, total // (4 * n_jobs) + 1))


def _ranges(cum: np.ndarray, size: int) -> list:
    """(lo, hi) ranges of consecutive texts of about ``size`` characters: the texts that
    start in the same stretch of ``size`` characters (``cum``: characters before each
    text, and the total last)."""
    n = len(cum) - 1
    if n <= 0:
        return []
    cuts = (np.flatnonzero(np.diff(cum[:-1] // size)) + 1).tolist()
    return list(zip([0] + cuts, cuts + [n]))


_WORKER_TOK = None


def _worker_init(tok):
    """Once per worker process: keep the tokenizer and build its engine (already built
    when the worker is forked from a parent that used it)."""
    global _WORKER_TOK
    _WORKER_TOK = tok
    tok._get_state().engine  # noqa: B018 - builds the engine


def _worker_run(texts, tags):
    return _run_batch(_WORKER_TOK, texts, tags)


def _batches(texts: Iterable[str], max_chars: int, max_texts: int):
    batch, size = [], 0
    for t in texts:
        batch.append(t)
        size += len(t)
        if size >= max_chars or len(batch) >= max_texts:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _map_batches(tok: Tokenizer, batches: Iterable[list], n_jobs: int, tags: bool):
    """Yield _Batch results in input order; at most 2*n_jobs batches in flight."""
    if n_jobs == 1:
        for b in batches:
            yield _run_batch(tok, b, tags)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if "fork" in
                                      multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_worker_init,
                             initargs=(tok,)) as ex:
        pending: deque = deque()
        for b in batches:
            pending.append(ex.submit(_worker_run, b, tags))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _stream(tok: Tokenizer, texts, n_jobs: int, with_spans: bool, progress, batch_chars: int):
    """Token lists (or ``(tokens, spans)``) of ``texts`` in order, batch by batch."""
    def checked():
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputError(f"texts[{i}] is {type(t).__name__}, not str")
            yield t

    gen = (item for b in _map_batches(tok, _batches(checked(), batch_chars, 4096), n_jobs,
                                      tags=False)
           for item in b.unpack())
    for toks, sp, _ in _util.progress_bar(gen, desc="tokenize", progress=progress):
        yield (toks, sp) if with_spans else toks
