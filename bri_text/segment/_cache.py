"""On-disk cache of tokenised texts (private; used by :func:`bri_text.segment.tokenize`).

Layout: ``<cache_dir>/segment-v1/<config key>/<ab>/<shard key>.npz``. Texts are grouped into
shards of consecutive texts whose boundaries depend on the texts' own hashes
(content-defined), so editing one document invalidates only its shard. A shard key is the
hash of the tokenizer configuration key (options, resources, engine and library versions)
and of the SHA-256 of every text in it.

Safety:

- the format is numpy ``.npz`` of plain numeric arrays, read with ``allow_pickle=False``
  (no code can run from a cache file);
- files are written to a temporary file in the same folder and moved into place with
  ``os.replace`` (atomic), so a reader never sees half a file and two processes writing the
  same shard both leave a complete one;
- a file that cannot be read, has the wrong format, belongs to another configuration or
  other texts, or is inconsistent is ignored (and rewritten), never an error;
- if the cache folder cannot be written, tokenising goes on without cache (one warning).

Where the cache lives: ``cache_dir=`` if given, else ``$BRI_TEXT_CACHE_DIR``, else the user
cache directory of ``platformdirs`` (``~/.cache/bri_text`` on Linux).
"""
from __future__ import annotations

import hashlib
import json
import os
import warnings

import numpy as np

from .._util import write_atomic
from ..errors import ParameterError

FORMAT = 1
_MAGIC = "bri_text-segment-cache"
# shard boundaries: after a text whose hash ends in 5 zero bits (about 32 texts), or when a
# shard reaches 2 million characters / 1024 texts
_BOUNDARY_MASK = 0x1F
_MAX_CHARS = 2_000_000
_MAX_TEXTS = 1024
# which engines cache by default (cache="auto"), from benchmarks/bench_segment.py (see
# benchmarks/SEGMENT.md): on the built-in corpus reading the cache is ~60x faster than jieba
# and ~7x faster than rjieba re-segmenting (filters and folding included), so both cache.
AUTO = {"jieba": True, "rjieba": True}


def default_dir() -> str:
    """``$BRI_TEXT_CACHE_DIR``, else the user cache directory (``~/.cache/bri_text``)."""
    env = os.environ.get("BRI_TEXT_CACHE_DIR")
    if env:
        return env
    try:
        import platformdirs

        return platformdirs.user_cache_dir("bri_text", appauthor=False)
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return os.path.join(os.path.expanduser("~"), ".cache", "bri_text")


#: what bri_text keeps under the cache folder: clear_cache's names -> the folders' prefix
#: (a format number follows: segment-v1, topics-v1, encoder-v1)
KINDS = {"segment": "segment-v", "topics": "topics-v", "encoder": "encoder-v"}


def clear_cache(what="all", cache_dir=None) -> dict:
    """Empty bri_text's on-disk caches; returns the bytes freed by each.

    ``what``: ``"all"`` (default), or one or more of ``"segment"`` (tokens,
    :func:`bri_text.tokenize`), ``"topics"`` (fitted topic models and :func:`select_k`
    grids) and ``"encoder"`` (sentence vectors). ``cache_dir``: the folder (default
    ``$BRI_TEXT_CACHE_DIR``, else the user cache directory, ``~/.cache/bri_text`` on
    Linux). Only bri_text's own folders in it (``segment-v1``, ``topics-v1``, ...) are
    removed, nothing else the folder holds. Nothing cached is needed: the next call
    computes it again.

    >>> import tempfile
    >>> import bri_text as bt
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = bt.tokenize(["中欧班列开行。"], cache_dir=folder)
    ...     freed = bt.clear_cache(cache_dir=folder)
    ...     print(freed["segment"] > 0, freed["topics"], os.listdir(folder))
    True 0 []
    """
    import shutil

    kinds = list(KINDS) if what == "all" else [what] if isinstance(what, str) else list(what)
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise ParameterError(f"clear_cache: what must be 'all' or among {list(KINDS)}, got "
                             f"{what!r}")
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise ParameterError(f"clear_cache: cache_dir must be a folder path, got {cache_dir!r}")
    root = os.fspath(cache_dir) if cache_dir is not None else default_dir()
    freed = {k: 0 for k in kinds}
    names = os.listdir(root) if os.path.isdir(root) else []
    for kind in kinds:
        prefix = KINDS[kind]
        for name in names:
            path = os.path.join(root, name)
            if not (name.startswith(prefix) and name[len(prefix):].isdigit()
                    and os.path.isdir(path)):
                continue
            for folder, _, files in os.walk(path):
                for f in files:
                    try:
                        freed[kind] += os.path.getsize(os.path.join(folder, f))
                    except OSError:
                        pass
            shutil.rmtree(path, ignore_errors=True)
    return freed


def resolve(cache, cache_dir, engine: str):
    """A :class:`Store` or None (cache off)."""
    if cache == "auto":
        cache = AUTO.get(engine, False) or cache_dir is not None
    if not isinstance(cache, (bool, np.bool_)):
        raise ParameterError(f"cache must be 'auto', True or False, got {cache!r}")
    if not cache:
        return None
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise ParameterError(f"cache_dir must be a folder path, got {cache_dir!r}")
    return Store(os.fspath(cache_dir) if cache_dir is not None else default_dir())


def text_digest(text: str) -> bytes:
    """SHA-256 of one text (lone surrogates allowed)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def plan_shards(texts: list) -> list:
    """[(lo, hi, digests)] covering texts in order, content-defined boundaries."""
    out, lo, size, digests = [], 0, 0, []
    for i, t in enumerate(texts):
        d = text_digest(t)
        digests.append(d)
        size += len(t)
        if (d[-1] & _BOUNDARY_MASK) == 0 or size >= _MAX_CHARS or len(digests) >= _MAX_TEXTS:
            out.append((lo, i + 1, digests))
            lo, size, digests = i + 1, 0, []
    if digests:
        out.append((lo, len(texts), digests))
    return out


class Store:
    """The shard files under ``<root>/segment-v<FORMAT>``: :meth:`load` (None on any miss)
    and :meth:`save` (atomic; after one failed write, saving stops)."""

    def __init__(self, root: str):
        self.root = os.path.join(root, f"segment-v{FORMAT}")
        self.broken = False

    def path(self, config_key: str, digests: list) -> str:
        h = hashlib.sha256(config_key.encode("ascii"))
        for d in digests:
            h.update(d)
        name = h.hexdigest()[:32]
        return os.path.join(self.root, config_key, name[:2], name + ".npz")

    def load(self, config_key: str, digests: list, tags: bool):
        from ._batch import _Batch

        path = self.path(config_key, digests)
        if not os.path.exists(path):
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(bytes(z["meta"]).decode("utf-8"))
                if meta.get("magic") != _MAGIC or meta.get("format") != FORMAT \
                        or meta.get("config") != config_key:
                    return None
                if bytes(z["digests"]) != b"".join(digests):
                    return None
                vocab_bytes = bytes(z["vocab"])
                vlen = z["vocab_len"]
                ids = z["ids"]
                counts = z["counts"]
                spans = z["spans"]
                tag_list = None
                if tags:
                    if "tags" not in z.files:
                        return None
                    tag_voc = bytes(z["tag_vocab"]).decode("utf-8").split("\n")
                    tag_list = [tag_voc[i] for i in z["tags"].tolist()]
            vocab, pos = [], 0
            for n in vlen.tolist():
                vocab.append(vocab_bytes[pos:pos + n].decode("utf-8", "surrogatepass"))
                pos += n
            n_tok = int(counts.sum())
            if (pos != len(vocab_bytes) or len(counts) != len(digests) or ids.shape != (n_tok,)
                    or spans.shape != (n_tok, 2) or (n_tok and (ids.min() < 0 or
                                                                ids.max() >= len(vocab)))
                    or (tag_list is not None and len(tag_list) != n_tok)):
                return None
            return _Batch.from_vocab(vocab, ids, counts.astype(np.int64),
                                     spans.astype(np.int64, copy=False), tag_list)
        except Exception:  # any unreadable / foreign file is a miss, rebuilt by the caller
            return None

    def save(self, config_key: str, digests: list, batch) -> None:
        if self.broken:
            return
        path = self.path(config_key, digests)
        vocab, ids = batch.compact()
        encoded = [v.encode("utf-8", "surrogatepass") for v in vocab]
        arrays = {
            "meta": np.frombuffer(json.dumps({"magic": _MAGIC, "format": FORMAT,
                                              "config": config_key}).encode("utf-8"),
                                  dtype=np.uint8),
            "digests": np.frombuffer(b"".join(digests), dtype=np.uint8),
            "vocab": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            "vocab_len": np.array([len(e) for e in encoded], dtype=np.int64),
            "ids": ids,
            "counts": np.asarray(batch.counts, dtype=np.int64),
            "spans": np.asarray(batch.spans, dtype=np.int64).reshape(-1, 2),
        }
        if batch.tags is not None:
            tv: dict = {}
            arrays["tags"] = np.array([tv.setdefault(t, len(tv)) for t in batch.tags],
                                      dtype=np.int32)
            arrays["tag_vocab"] = np.frombuffer("\n".join(tv).encode("utf-8"), dtype=np.uint8)
        try:
            write_atomic(path, lambda fh: np.savez(fh, **arrays), suffix=".npz")
        except OSError as exc:
            self.broken = True
            warnings.warn(f"bri_text: cannot write the segmentation cache in {self.root!r} "
                          f"({exc}); going on without cache. Set cache_dir= or "
                          f"BRI_TEXT_CACHE_DIR to a writable folder, or cache=False.",
                          stacklevel=3)
