"""Small shared helpers (private)."""
from __future__ import annotations

import hashlib
import os
import sys
from typing import Iterable

import numpy as np

from .errors import ParameterError


def check_random_state(random_state) -> np.random.Generator:
    """Turn ``None | int | np.random.Generator`` into a Generator.

    >>> check_random_state(1).integers(10) == check_random_state(1).integers(10)
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ParameterError(f"random_state must be >= 0, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise ParameterError(
        f"random_state must be None, an int or a numpy Generator, got {type(random_state).__name__}"
    )


def seed_from(random_state, default: int = 0) -> int:
    """An int seed for backends that want one (tomotopy, gensim)."""
    if random_state is None:
        return default
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).integers(0, 2**31 - 1))


def fingerprint(texts: Iterable[str], extra: str = "") -> str:
    """SHA-256 over texts (order matters), first 16 hex digits.

    >>> fingerprint(["一带一路"]) == fingerprint(["一带一路"])
    True
    """
    h = hashlib.sha256(extra.encode("utf-8"))
    for t in texts:
        b = t.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:16]


def show_progress(progress) -> bool:
    """Resolve ``progress=None`` to 'on a terminal and not in CI'."""
    if progress is not None:
        return bool(progress)
    if os.environ.get("CI"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress_bar(iterable, *, total=None, desc=None, progress=None):
    """Wrap ``iterable`` in tqdm when progress is wanted (see :func:`show_progress`)."""
    if not show_progress(progress):
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc)


def versions() -> dict:
    """Versions of bri_text and its main dependencies, for result provenance."""
    from importlib import metadata

    out = {}
    for pkg in ("bri_text", "jieba", "rjieba", "scikit-learn", "gensim", "tomotopy", "numpy",
                "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out
