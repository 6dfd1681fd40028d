"""Session set-up for every test and docstring example.

- The token cache: each test session gets its own empty cache folder
  (``BRI_TEXT_CACHE_DIR``, inherited by the notebooks and examples run in subprocesses), so a
  test never reads tokens it did not write itself, e.g. tokens cached in
  ``~/.cache/bri_text`` by older code (issue 21). Removed at the end of the session.
- The topics cache: ``BRI_TEXT_TOPIC_CACHE=0`` turns its default (``cache="auto"``) off, so
  that every ``TopicModel.fit`` and ``select_k`` of the tests (and of the notebooks they
  run) computes afresh and a reproducibility test compares two fits, not a fit and its
  copy; tests/test_topic_cache.py passes ``cache=True`` and a folder of its own.
- Objects the package's docstring examples share (pytest --doctest-modules): ``tokens``,
  the Guangxi, Gansu and Henan plans segmented, ``model``, a small topic model of them, and
  ``planted``, the built-in corpus with a paragraph of Gansu's plan (bri23) quoted in three
  other plans (bri18, bri20, bri22), for the diffusion figures (built as in
  ``bri_text.plot.adoption_curve``'s example). Built once per session; ``bt`` is the package.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import warnings

import pytest

_CACHE_ENV = "BRI_TEXT_CACHE_DIR"
_TOPIC_CACHE_ENV = "BRI_TEXT_TOPIC_CACHE"


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="bri_text-test-cache-")
    config._bri_cache = (folder, os.environ.get(_CACHE_ENV),
                         os.environ.get(_TOPIC_CACHE_ENV))
    os.environ[_CACHE_ENV] = folder
    os.environ[_TOPIC_CACHE_ENV] = "0"


def pytest_unconfigure(config):
    folder, before, topics_before = getattr(config, "_bri_cache", (None, None, None))
    if folder is None:
        return
    for name, value in ((_CACHE_ENV, before), (_TOPIC_CACHE_ENV, topics_before)):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def _doctest_objects():
    import bri_text as bt

    plans = bt.load_bri_policies().subset(region=["广西", "甘肃", "河南"])
    tokens = bt.tokenize(plans)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # heading-only paragraphs leave the vocabulary
        model = bt.TopicModel(4, random_state=1, min_df=3).fit(tokens)
    corpus = bt.load_bri_policies()
    docs = corpus.docs.copy()
    quote = corpus.docs.set_index("doc_id").loc["bri23", "text"].splitlines()[18]
    docs.loc[docs["doc_id"].isin(["bri18", "bri20", "bri22"]), "text"] += "。" + quote
    return {"bt": bt, "tokens": tokens, "model": model, "planted": bt.Corpus(docs)}


@pytest.fixture(autouse=True)
def _add_doctest_objects(request, doctest_namespace):
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace.update(request.getfixturevalue("_doctest_objects"))
