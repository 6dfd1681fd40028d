"""Shared fixtures: the seed documents in ../shared/seeds and the built-in corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
COMPENDIUM = SEEDS / "001_1ad516d9e8aad59b.txt"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (skip the test when absent)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.fixture(scope="session")
def seed_text():
    def read(prefix: str) -> str:
        return seed_path(prefix).read_text(encoding="utf-8")
    return read


@pytest.fixture(scope="session")
def bri_corpus():
    from bri_text import load_bri_policies

    return load_bri_policies()


@pytest.fixture(scope="session")
def tokens(bri_corpus):
    """The built-in corpus in paragraphs, segmented once with the default Tokenizer."""
    from bri_text import tokenize

    return tokenize(bri_corpus.reshape("paragraph"))


@pytest.fixture(scope="session")
def matrix(tokens):
    """Count document-term matrix of :func:`tokens`."""
    from bri_text import dtm

    return dtm(tokens)
