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
