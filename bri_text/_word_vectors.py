"""Word vectors trained on the package's own text, and a text's mean vector.

The vectors (``data/word_vectors.npz``, 8,494 words x 64 dimensions) are built by
``scripts/build_word_vectors.py`` from the clauses of the built-in BRI documents and
government work reports (skip-gram Word2Vec); nothing is downloaded or trained at run time.
A text's vector is the smooth-inverse-frequency weighted mean of its words' vectors
(Arora, Liang and Ma 2017: weight a / (a + p(w)), a = 1e-3), so that frequent words such as
的 or 发展 count little; words outside the vocabulary are skipped.

>>> v = text_vectors(["加大人才培养力度", "完善出口退税政策", ""])
>>> v.shape
(3, 64)
>>> bool((v[2] == 0).all())          # no known word: a zero vector
True
"""
from __future__ import annotations

import functools
from importlib import resources

import numpy as np

_FILE = "word_vectors.npz"
_SMOOTHING = 1e-3


@functools.lru_cache(maxsize=1)
def _vectors() -> tuple[dict, np.ndarray]:
    """(word -> row, the rows already multiplied by each word's SIF weight), once per
    process."""
    with (resources.files("bri_text") / "data" / _FILE).open("rb") as fh:
        with np.load(fh) as f:
            words, vectors, counts = f["words"], f["vectors"], f["counts"]
    p = counts / counts.sum()
    weighted = vectors.astype(np.float64) * (_SMOOTHING / (_SMOOTHING + p))[:, None]
    return {str(w): i for i, w in enumerate(words)}, weighted


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from .segment import Tokenizer

    return Tokenizer()


def text_vectors(texts: list[str]) -> np.ndarray:
    """One row per text: the SIF-weighted mean of its words' vectors (zeros when no word
    of the text is in the vocabulary)."""
    dim = _vectors()[1].shape[1]
    out = np.zeros((len(texts), dim))
    for i, text in enumerate(texts):
        if text:
            out[i] = _text_vector(text)
    return out


@functools.lru_cache(maxsize=20000)
def _text_vector(text: str) -> np.ndarray:
    """One text's summed SIF-weighted word vectors, cached: cross-validation and the
    reference units meet the same texts in every fold (read-only: callers copy it)."""
    index, weighted = _vectors()
    rows = [index[w] for w, *_ in _tokenizer().segment(text) if w in index]
    v = weighted[rows].sum(axis=0) if rows else np.zeros(weighted.shape[1])
    v.flags.writeable = False
    return v
