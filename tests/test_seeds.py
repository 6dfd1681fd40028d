"""One rule for seeds (docs/STATISTICS.md, "Seeds"; audit s38, finding 1): a function that
resamples or permutes and is given no ``random_state`` draws with seed 0, a topic model's
methods with the model's own seed; the result's ``attrs`` record the seed used. Before,
they drew fresh randomness, so the README's
``TopicModel(10, random_state=1).fit(tokens).prevalence(by="region")`` gave other intervals
in every process."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bri_text as bt
from bri_text._util import FRESH

ROOT = Path(__file__).resolve().parents[1]

# every call below without random_state; prints the intervals and p-values and the attrs
_SCRIPT = textwrap.dedent("""
    import json, warnings
    import bri_text as bt
    warnings.simplefilter("ignore")
    plans = bt.load_bri_policies()
    tokens = bt.tokenize(plans.reshape("paragraph"))
    national = {"level": "national"}
    tables = {
        "permutation": bt.keyness(tokens, target=national, measure="permutation",
                                  n_boot=200, top_n=20),
        "stability": bt.keyness(tokens, target=national, n_boot=50, top_n=20),
        "profile": bt.profile(tokens, by="level", n_boot=100),
        "orientation": bt.orientation(tokens, by="level", n_boot=100),
        "term_trends": bt.term_trends(tokens, ["一带一路", "东盟"], by="year", n_boot=100),
        "instrument_shares": bt.instrument_shares(
            bt.code_clauses(plans.reshape("clause")), by="level", level="type", n_boot=100),
    }
    model = bt.TopicModel(4, random_state=1, iterations=100, min_df=3).fit(
        tokens.subset(level=["national", "provincial"]))
    tables["prevalence"] = model.prevalence(by="level", n_boot=100)
    tables["effects"] = model.effects("~ level", n_boot=30).coefficients
    cols = ["ci_low", "ci_high", "p_value", "stability"]
    print(json.dumps({name: {"values": [t[c].round(12).tolist() for c in cols if c in t],
                             "random_state": t.attrs.get("random_state"),
                             "n_boot": t.attrs.get("n_boot")}
                      for name, t in tables.items()}, ensure_ascii=False))
""")


def _run() -> dict:
    out = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                         cwd=ROOT, timeout=600, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_defaults_give_the_same_intervals_in_two_processes():
    first, second = _run(), _run()
    assert list(first) == ["permutation", "stability", "profile", "orientation",
                           "term_trends", "instrument_shares", "prevalence", "effects"]
    for name in first:
        assert first[name] == second[name], name
        values = first[name]["values"]
        assert values and any(np.isfinite(v).any() for v in map(np.asarray, values)), name
    # the seed used is recorded: 0 for the functions, the model's own for its methods
    assert {n: r["random_state"] for n, r in first.items()} == {
        "permutation": 0, "stability": 0, "profile": 0, "orientation": 0, "term_trends": 0,
        "instrument_shares": 0, "prevalence": 1, "effects": 1}
    assert first["permutation"]["n_boot"] == 200 and first["prevalence"]["n_boot"] == 100


# ------------------------------------------------------------------ in one process
@pytest.fixture(scope="module")
def gx_gs():
    """Guangxi's and Gansu's plans, Henan's two: quick tables."""
    plans = bt.load_bri_policies().subset(region=["广西", "甘肃", "河南"])
    return bt.tokenize(plans.reshape("paragraph"))


def _fit(tokens, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return bt.TopicModel(4, iterations=100, min_df=3, **kw).fit(tokens)


def test_functions_default_to_seed_zero_and_record_it(gx_gs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = bt.profile(gx_gs, by="region", n_boot=100, resample="unit")
        b = bt.profile(gx_gs, by="region", n_boot=100, resample="unit")
        zero = bt.profile(gx_gs, by="region", n_boot=100, resample="unit", random_state=0)
        other = bt.profile(gx_gs, by="region", n_boot=100, resample="unit", random_state=5)
        fresh = bt.profile(gx_gs, by="region", n_boot=100, resample="unit",
                           random_state=None)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, zero)
    assert not a["ci_high"].equals(other["ci_high"])
    assert (a.attrs["random_state"], other.attrs["random_state"]) == (0, 5)
    assert fresh.attrs["random_state"] == FRESH and a.attrs["n_boot"] == 100
    # without resampling there is no seed to record
    assert bt.profile(gx_gs, by="region").attrs["random_state"] is None
    codes = bt.load_instrument_codes()[["coder_a", "coder_b"]]
    assert bt.reliability(codes, n_boot=50).attrs["random_state"] == 0


def test_model_methods_use_the_models_seed(gx_gs):
    model = _fit(gx_gs, random_state=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        p = model.prevalence(by="region", n_boot=100, resample="unit")
        again = model.prevalence(by="region", n_boot=100, resample="unit")
        seven = model.prevalence(by="region", n_boot=100, resample="unit", random_state=7)
        other = model.prevalence(by="region", n_boot=100, resample="unit", random_state=8)
        tr = model.trends(by="year", n_boot=100, resample="unit")
        diff = model.difference("region", "广西", "甘肃", n_boot=100, resample="unit")
        eff = model.effects("~ region", n_boot=30)
    pd.testing.assert_frame_equal(p, again)
    pd.testing.assert_frame_equal(p, seven)
    assert not p["ci_high"].equals(other["ci_high"])
    assert [t.attrs["random_state"] for t in (p, other, tr, diff, eff.coefficients)] == [
        7, 8, 7, 7, 7]
    assert eff.predict(region=["广西"]).attrs["random_state"] == 7


def test_a_model_without_a_seed_draws_fresh_randomness_and_says_so(gx_gs):
    model = _fit(gx_gs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        p = model.prevalence(by="region", n_boot=50, resample="unit")
    assert p.attrs["random_state"] == FRESH
    assert "not reproducible" in p.attrs["random_state"]
