"""Objects the package's docstring examples share (pytest --doctest-modules): ``tokens``,
the Guangxi, Gansu and Henan plans segmented, and ``model``, a small topic model of them.
Built once per session; ``bt`` is the package."""
from __future__ import annotations

import warnings

import pytest


@pytest.fixture(scope="session")
def _doctest_objects():
    import bri_text as bt

    plans = bt.load_bri_policies().subset(region=["广西", "甘肃", "河南"])
    tokens = bt.tokenize(plans)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # heading-only paragraphs leave the vocabulary
        model = bt.TopicModel(4, random_state=1, min_df=3).fit(tokens)
    return {"bt": bt, "tokens": tokens, "model": model}


@pytest.fixture(autouse=True)
def _add_doctest_objects(request, doctest_namespace):
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace.update(request.getfixturevalue("_doctest_objects"))
