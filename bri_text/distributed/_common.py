"""Shared pieces of the Dask path: the optional import, checks, constants, tree reduction."""
from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager

from ..errors import OptionalDependencyError, ParameterError

#: the column that marks a row as a dropped input (a reason), NA for documents
DROPPED = "dropped_reason"
_DROPPED_COLUMNS = ["doc_id", "file", "reason"]
_INSTALL = 'pip install "bri_text[dask]"'


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


def _need_text(docs, where: str, why: str, param: str = "docs") -> None:
    """ParameterError when a frame has no ``text`` column (only ``tokens``, segmented
    elsewhere) and ``where`` needs the raw text (``why``)."""
    if "text" not in docs.columns:
        raise ParameterError(
            f"{where} needs the raw text ({why}), but {param} has no 'text' column, only "
            f"'tokens' (columns: {list(docs.columns)}); read the texts with a "
            "bri_text.distributed reader (or keep a 'text' column next to 'tokens')")


def _no_tokenizer(docs, where: str, tokenizer, params: dict) -> None:
    """ParameterError when a tokenizer (or its parameters) is given for a frame whose
    ``tokens`` column is counted as it is (the tokenizer would silently do nothing)."""
    if "tokens" in docs.columns and (tokenizer is not None or params):
        given = "tokenizer=" if tokenizer is not None else \
            ", ".join(f"{k}=" for k in params)
        raise ParameterError(
            f"{where}: {given} is not used: docs has a 'tokens' column, which is counted as "
            "it is (no segmentation); drop the 'tokens' column to segment 'text' with it, "
            "or leave the tokenizer out")


def _token_lists(df, where: str = "docs") -> list:
    """The ``tokens`` column of one partition as lists of str, checked: a cell holding a
    string (text segmented elsewhere and joined with spaces) or nothing is a ParameterError
    naming the unit, never read character by character or skipped."""
    import numpy as np

    out = []
    ids = df["doc_id"].tolist() if "doc_id" in df.columns else list(range(len(df)))
    for i, t in zip(ids, df["tokens"].tolist()):
        if isinstance(t, str):
            if t.startswith("["):       # a list printed: dd.from_pandas, convert-string
                raise ParameterError(
                    f"{where}: the 'tokens' column holds the printed text of lists (unit "
                    f"{i!r}: {t[:20]!r}...), not token lists: dd.from_pandas turns lists "
                    "into strings under Dask's dataframe.convert-string; make the frame "
                    "with bri_text.distributed.from_corpus(frame), which keeps them")
            raise ParameterError(
                f"{where}: the 'tokens' column holds text, not token lists (unit {i!r}: "
                f"{t[:20]!r}); split it first, e.g. docs.assign(tokens=docs['tokens']"
                ".str.split())")
        if t is None or (isinstance(t, float) and t != t):
            raise ParameterError(f"{where}: unit {i!r} has no tokens (the 'tokens' cell is "
                                 "empty); give it an empty list or leave the unit out")
        if not isinstance(t, (list, tuple, np.ndarray)):
            raise ParameterError(f"{where}: the 'tokens' column must hold lists of str; unit "
                                 f"{i!r} holds a {type(t).__name__}")
        out.append([str(w) for w in t])
    return out


def _unit_digests(docs) -> bytes:
    """The SHA-256 of each unit's counted input, concatenated in order: its text, or its
    tokens joined by a space (a ``tokens`` column, as ``features.tokens_fingerprint``
    hashes plain token lists). See :func:`_units_fingerprint`."""
    from .._util import unit_digest

    if "tokens" in docs.columns:
        items = [" ".join(t) for t in _token_lists(docs)]
    else:
        items = docs["text"].astype(str).tolist() if len(docs) else []
    return b"".join(unit_digest(t) for t in items)


def _units_fingerprint(digests: dict, config: dict | None) -> str:
    """16 hex digits identifying the units counted (their texts in order, or their token
    lists) and the tokenizer configuration (None for a ``tokens`` column): the in-memory
    print, :func:`bri_text._util.units_fingerprint` over the configuration and the
    per-unit digests of :func:`_unit_digests` (``digests``: {partition: bytes}, read in
    partition order). The same units in the same order give the same fingerprint however
    they are partitioned, and it is ``Tokens.fingerprint`` of ``bt.tokenize(units)`` (a
    ``tokens`` column: ``bt.dtm(token_lists).tokens_fingerprint``).

    >>> a = _units_fingerprint({0: b"x" * 32, 1: b"y" * 32}, {"engine": "rjieba"})
    >>> a == _units_fingerprint({0: b"x" * 32 + b"y" * 32}, {"engine": "rjieba"})
    True
    """
    from .._util import config_json, units_fingerprint

    return units_fingerprint(extra="" if config is None else config_json(config),
                             digests=[digests[part] for part in sorted(digests)])


def _partitions(docs) -> list:
    """``docs.to_delayed()``, one Delayed per partition, with the graph mended where a
    task sits under a key other than its own. ``dd.from_delayed(..., verify_meta=False)``
    (Dask 2026.8, ``FromDelayed._filtered_task``) puts the alias of partition ``i`` under
    the frame's key ``("fromdelayed-…", i)`` but gives it the delayed object's key as its
    own, so a Dask array built on the partitions (:func:`count_matrix`'s ``counts``) lost
    the frame's key when the array optimizer fused the graph by the tasks' own keys
    ("Missing dependency", or "pop from an empty set"). Each such entry becomes an alias
    (in the graph's plain-dict form: a key as the value) to the task's own key, which is
    what it computes. Graphs without such an entry are returned as they are.

    >>> import dask, dask.dataframe as dd, pandas as pd              # doctest: +SKIP
    >>> f = dd.from_delayed([dask.delayed(pd.DataFrame({"a": [1]}))], verify_meta=False)  # doctest: +SKIP
    >>> _partitions(f)[0].compute()["a"].tolist()                     # doctest: +SKIP
    [1]
    """
    from dask.delayed import Delayed
    from dask.utils import ensure_dict

    parts = docs.to_delayed()
    if not parts:
        return parts
    graph = {}
    for g in {id(p.dask): p.dask for p in parts}.values():   # one graph, shared, in 2026.8
        graph.update(ensure_dict(g))
    wrong = {k: v.key for k, v in graph.items()
             if getattr(v, "key", k) != k and hasattr(v, "dependencies")}
    if not wrong:
        return parts
    mended = dict(graph)
    for k, own in wrong.items():
        if own not in mended:
            mended[own] = graph[k]
        mended[k] = own
    return [Delayed(p.key, mended) for p in parts]


def _tree_reduce(dask, items: list, merge, fan_in: int = 8):
    """Reduce delayed partial results with ``merge(list)`` in a tree of width fan_in."""
    merge_d = dask.delayed(merge, pure=True)
    while len(items) > 1:
        items = [merge_d(items[i:i + fan_in]) for i in range(0, len(items), fan_in)]
    return items[0]


_WARNINGS_LOCK = threading.RLock()


@contextmanager
def _quiet():
    """Warnings off inside a task (what they say travels as ``dropped_reason`` or comes
    from :func:`check`). ``warnings.catch_warnings`` swaps the process's filter list and
    is not thread-safe: two tasks of the threaded scheduler entering and leaving it
    interleaved left ``ignore`` at the front of the filters for good, so every later
    warning of the session was lost. The lock makes the blocks nest."""
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
