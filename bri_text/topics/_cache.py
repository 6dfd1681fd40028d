"""On-disk cache of fitted topic models and :func:`select_k` grids (private; used by
:meth:`TopicModel.fit` and :func:`select_k`).

Layout, under ``<cache_dir>/topics-v1/``:

- ``models/<ab>/<key>/``: ``entry.json`` (the key, the fit's warnings, the SHA-256 of the
  model's manifest) and ``model/``, the model as :meth:`TopicModel.save` writes it
  (checksummed JSON, ``.npz`` read with ``allow_pickle=False`` and tomotopy's own file:
  nothing is unpickled);
- ``grids/<ab>/<key>.json``: a header line (the key, the SHA-256 of the rest) and the
  grid's table and ``attrs`` as JSON.

The key is a SHA-256 over everything that determines the result: the fitted units (every
token of every unit, and every column of the units table: ids, text, metadata, so a
``prevalence`` column or an ``effects`` covariate that changes is a new key), the tokens'
fingerprint, every fitting parameter as the fit resolves it (the seed drawn from a
Generator, the words of a stopword file or list, the seed words of a bundled set, the
iterations and ``max_df`` a default stands for), the cache format and :func:`versions`
(Python, bri_text and its git commit, numpy, scipy, pandas, scikit-learn, tomotopy and its
instruction set, gensim, BLAS...). Uncommitted edits of bri_text itself are not seen (as
in ``provenance_``): clear the cache, or ``cache=False``, while changing the library.

Only reproducible fits are cached: a fixed ``random_state`` (an int, or a Generator, whose
drawn seed is the key) and, for a model, ``n_jobs=1`` (with more threads tomotopy's results
differ from ``n_jobs=1``'s and are not promised to repeat). ``select_k``'s fits are
single-threaded whatever its ``n_jobs`` (processes), so its ``n_jobs`` is not in the key.

Safety: entries are written to a temporary name in the same folder and renamed into place
(atomic; a crash leaves a ``.tmp-`` folder that is never read and is removed a day later);
an entry that cannot be read, fails its checksums or belongs to another key is ignored with
a warning naming it, removed and refitted; a folder that cannot be written means no cache
(one warning). The folder is kept under :data:`MAX_BYTES`: after a write, the entries used
least recently are removed.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .._util import versions, write_atomic
from ..errors import ParameterError

FORMAT = 1
_MAGIC = "bri_text-topics-cache"
#: the most the topics cache may hold; after a write, the least recently used entries go
#: (a model of the 52 work reports' 5,836 paragraphs takes about 20 MB)
MAX_BYTES = 1 << 30
#: cache="auto" stores a fit (or grid) that took at least this many seconds: loading a
#: stored model of the work reports takes about 0.4 s, and a model fitted in a second or
#: two is not worth its megabytes on disk
AUTO_MIN_SECONDS = 2.0
#: environment variable: "0", "off", "false" or "no" turn cache="auto" off (the test suite
#: does, so that its fits are fresh); an explicit cache=True, or a cache_dir given, still
#: caches (as the segmentation cache's "auto" with a cache_dir)
ENV_OFF = "BRI_TEXT_TOPIC_CACHE"
_STALE_TMP_SECONDS = 24 * 3600

logger = logging.getLogger("bri_text.topics")


# ---------------------------------------------------------------- resolving
def resolve(cache, cache_dir, where: str):
    """A :class:`Store` or None (cache off), and whether a result is stored whatever its
    time (``cache=True``) rather than only when slow (``"auto"``)."""
    if not (cache == "auto" or isinstance(cache, (bool, np.bool_))):
        raise ParameterError(f"{where}: cache must be 'auto', True or False, got {cache!r}")
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise ParameterError(f"{where}: cache_dir must be a folder path, got {cache_dir!r}")
    if cache == "auto":
        off = os.environ.get(ENV_OFF, "").strip().lower() in ("0", "off", "false", "no")
        if off and cache_dir is None:
            return None, False
    elif not cache:
        return None, False
    from ..segment import cache_dir as default_dir

    root = os.fspath(cache_dir) if cache_dir is not None else default_dir()
    return Store(root, where), cache != "auto"


def digest(obj) -> str:
    """SHA-256 (hex) of a JSON-able value (sorted keys, exact floats)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=True,
                      default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def data_digest(units: pd.DataFrame, raw: list, stock_raw=None) -> str:
    """SHA-256 (hex) of the fitted units: every column of the units table (name, dtype,
    values) and every token of every unit, in order (and the stock tokens, when given)."""
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(units[c].dtype)] for c in units.columns],
                        ensure_ascii=False).encode("utf-8"))
    for c in units.columns:
        vals = units[c].tolist()
        h.update(b"\x1d" + json.dumps(vals, ensure_ascii=False, allow_nan=True,
                                      default=repr).encode("utf-8", "surrogatepass"))
    for lists in (raw, stock_raw if stock_raw is not None else []):
        h.update(b"\x1c")
        for d in lists:
            h.update("\x1f".join(d).encode("utf-8", "surrogatepass"))
            h.update(b"\x1e")
    return h.hexdigest()


def key_of(kind: str, parts: dict) -> str:
    """The key of a model or grid: a digest of its parts, the format and the versions."""
    return digest({"magic": _MAGIC, "format": FORMAT, "kind": kind,
                   "versions": versions(), **parts})[:40]


# ---------------------------------------------------------------- warnings
class Recorder(warnings.catch_warnings):
    """Records every warning of a computation, to be stored with its result and shown
    (:func:`replay`) after it, on a miss as on a hit."""

    def __init__(self):
        super().__init__(record=True)

    def __enter__(self):
        self.log = super().__enter__()
        warnings.simplefilter("always")
        return self


def as_records(log) -> list[dict]:
    return [{"category": f"{w.category.__module__}:{w.category.__qualname__}",
             "message": str(w.message)} for w in log]


def replay(records: list[dict], stacklevel: int) -> None:
    """Emit the stored warnings again, from the caller's caller (as the fit did)."""
    for r in records:
        warnings.warn(r["message"], _category(r.get("category", "")),
                      stacklevel=stacklevel + 1)


def _category(name: str):
    module, _, qual = name.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in qual.split("."):
            obj = getattr(obj, part)
        if isinstance(obj, type) and issubclass(obj, Warning):
            return obj
    except Exception:
        pass
    return UserWarning


# ---------------------------------------------------------------- the store
class Store:
    """The entries under ``<root>/topics-v<FORMAT>``: ``load_*`` (None on a miss; a
    broken entry is warned about and removed) and ``save_*`` (atomic; after a failed write,
    saving stops, with one warning)."""

    def __init__(self, root: str, where: str):
        self.root = os.path.join(root, f"topics-v{FORMAT}")
        self.where = where
        self.broken = False

    def model_path(self, key: str) -> str:
        return os.path.join(self.root, "models", key[:2], key)

    def grid_path(self, key: str) -> str:
        return os.path.join(self.root, "grids", key[:2], key + ".json")

    # -------------------------------------------------------------- models
    def load_model(self, key: str, cls):
        """(model, entry) stored under ``key``, or None."""
        path = self.model_path(key)
        if not os.path.isdir(path):
            return None
        try:
            entry = json.loads(Path(path, "entry.json").read_text(encoding="utf-8"))
            if entry.get("magic") != _MAGIC or entry.get("format") != FORMAT \
                    or entry.get("key") != key:
                raise ValueError("it belongs to another key or format")
            manifest = Path(path, "model", "manifest.json").read_bytes()
            if hashlib.sha256(manifest).hexdigest() != entry.get("manifest_sha256"):
                raise ValueError("model/manifest.json does not match entry.json")
            model = cls.load(os.path.join(path, "model"))
        except Exception as exc:   # anything unreadable: a miss, removed, refitted
            self._broken_entry(path, exc)
            return None
        _touch(os.path.join(path, "entry.json"))
        return model, entry

    def save_model(self, key: str, model, records: list[dict]) -> str | None:
        if self.broken:
            return None
        final = self.model_path(key)
        tmp = None
        try:
            os.makedirs(os.path.dirname(final), exist_ok=True)
            tmp = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(final))
            model.save(os.path.join(tmp, "model"))
            manifest = Path(tmp, "model", "manifest.json").read_bytes()
            _write_text(os.path.join(tmp, "entry.json"), json.dumps(
                {"magic": _MAGIC, "format": FORMAT, "kind": "model", "key": key,
                 "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                 "fit_seconds": model.provenance_.get("fit_seconds"),
                 "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
                 "warnings": records}, ensure_ascii=False))
            try:
                os.replace(tmp, final)
                tmp = None
            except OSError:
                if not os.path.isdir(final):
                    raise
                return final   # another process stored the same fit meanwhile
        except OSError as exc:
            self._cannot_write(exc)
            return None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        self.prune(keep=final)
        return final

    # -------------------------------------------------------------- grids
    def load_grid(self, key: str):
        """(table, entry) stored under ``key``, or None."""
        path = self.grid_path(key)
        if not os.path.isfile(path):
            return None
        try:
            with open(path, "rb") as fh:
                header = json.loads(fh.readline().decode("utf-8"))
                body = fh.read()
            if header.get("magic") != _MAGIC or header.get("format") != FORMAT \
                    or header.get("key") != key:
                raise ValueError("it belongs to another key or format")
            if hashlib.sha256(body).hexdigest() != header.get("sha256"):
                raise ValueError("its checksum does not match (changed or cut short)")
            table = grid_from_json(json.loads(body.decode("utf-8")))
        except Exception as exc:
            self._broken_entry(path, exc)
            return None
        _touch(path)
        return table, header

    def save_grid(self, key: str, table: pd.DataFrame, records: list[dict]) -> str | None:
        if self.broken:
            return None
        path = self.grid_path(key)
        body = json.dumps(grid_to_json(table), ensure_ascii=False,
                          allow_nan=True).encode("utf-8")
        header = json.dumps({"magic": _MAGIC, "format": FORMAT, "kind": "grid", "key": key,
                             "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                             "sha256": hashlib.sha256(body).hexdigest(),
                             "warnings": records}, ensure_ascii=False).encode("utf-8")
        try:
            write_atomic(path, lambda fh: fh.write(header + b"\n" + body), suffix=".json")
        except OSError as exc:
            self._cannot_write(exc)
            return None
        self.prune(keep=path)
        return path

    # -------------------------------------------------------------- upkeep
    def prune(self, keep: str | None = None, max_bytes: int | None = None) -> None:
        """Remove the least recently used entries until the folder holds at most
        ``max_bytes`` (default :data:`MAX_BYTES`), and temporary names older than a day."""
        limit = MAX_BYTES if max_bytes is None else max_bytes
        entries, total, now = [], 0, time.time()
        for kind in ("models", "grids"):
            base = Path(self.root, kind)
            if not base.is_dir():
                continue
            for shard in base.iterdir():
                if not shard.is_dir():
                    continue
                for p in shard.iterdir():
                    try:
                        if p.name.startswith(".tmp-"):
                            if now - p.stat().st_mtime > _STALE_TMP_SECONDS:
                                _remove(p)
                            continue
                        size = _size(p)
                        used = (p / "entry.json").stat().st_mtime if p.is_dir() \
                            else p.stat().st_mtime
                    except OSError:
                        used, size = 0.0, _size(p)
                    entries.append((used, str(p), size))
                    total += size
        for used, p, size in sorted(entries):
            if total <= limit:
                break
            if keep is not None and os.path.abspath(p) == os.path.abspath(keep):
                continue
            _remove(Path(p))
            total -= size

    def _broken_entry(self, path: str, exc: Exception) -> None:
        warnings.warn(f"{self.where}: the cache entry {path!r} cannot be used ({exc}); it is "
                      "ignored, removed and computed again", stacklevel=4)
        _remove(Path(path))

    def _cannot_write(self, exc: Exception) -> None:
        self.broken = True
        warnings.warn(f"{self.where}: cannot write the topic-model cache in {self.root!r} "
                      f"({exc}); going on without cache. Set cache_dir= or "
                      "BRI_TEXT_CACHE_DIR to a writable folder, or cache=False.",
                      stacklevel=4)


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def _touch(path: str) -> None:
    """Mark an entry used now (pruning removes the least recently used first)."""
    try:
        os.utime(path)
    except OSError:   # a read-only cache: the entry is still good
        pass


def _size(p: Path) -> int:
    try:
        if p.is_file():
            return p.stat().st_size
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    except OSError:
        return 0


def _remove(p: Path) -> None:
    try:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink()
    except OSError:
        pass


# ---------------------------------------------------------------- grids as JSON
def grid_to_json(table: pd.DataFrame) -> dict:
    """A select_k table and its attrs (DataFrames among them) as JSON-able values."""
    from ._persistence import _frame_to_json, _jsonable

    attrs = {}
    for k, v in table.attrs.items():
        attrs[k] = ({"__frame__": _frame_to_json(v)} if isinstance(v, pd.DataFrame)
                    else _jsonable(v))
    return {"table": _frame_to_json(table), "attrs": attrs}


def grid_from_json(obj: dict) -> pd.DataFrame:
    from ._persistence import _frame_from_json

    table = _frame_from_json(obj["table"])
    for k, v in obj["attrs"].items():
        table.attrs[k] = (_frame_from_json(v["__frame__"])
                          if isinstance(v, dict) and "__frame__" in v else v)
    return table
