"""Calibration of the report's document-level test for terms absent from one side
(session 42; figures in benchmarks/COMPARE.md, "Terms absent from one side").

Real documents, random labels: from a corpus (the 52 government work reports, the 27
built-in plans) k + k documents are drawn at random and split at random into two groups,
so nothing differs and every p < .05 is a false positive. Documents are tokenized as the
report does (paragraphs, ``Tokenizer(stopwords=("general", "policy"), min_length=2)``,
summed per document) and, as the report, only the terms in at least 3 of the 2k compared
documents are tested (``TEST_MIN_DOCS``). For every test and size:

- ``zero_p05`` / ``zero_p01``: share of the terms absent from every document of one side
  ("zero side") with p < .05 / p < .01;
- ``zero_share``: share of all tested terms that are zero-side terms with p < .05 (their
  contribution to the overall false-positive rate);
- ``all_p05`` / ``all_p001``: share of all tested terms with p < .05 / p < .001 (nominal
  0.05 / 0.001);
- ``q05_terms``: mean number of terms at q < .05 (Benjamini-Hochberg) per split, and
  ``q05_any``: share of splits with any (under this null every discovery is false, so
  this is the false discovery rate; nominal at most 0.05), with its zero-side part
  ``q05_zero``;
- ``sec``: CPU seconds per split; ``settled`` (sequential): share of splits in which the
  first 2,000 relabellings settled Benjamini-Hochberg and the test stopped there.

Tests: ``welch`` (t distribution, what ``--test auto`` used above 10,000 splits), ``mc2000``
(2,000 random relabellings for every term: the report's permutation test before),
``sequential`` (the report's test now: Besag-Clifford stopping after 100 hits, at most
max(2,000, 20 x the terms tested) relabellings; exact enumeration when the documents split
at most 10,000 ways, never the case at these sizes).

    python benchmarks/sim_zero_side.py [--relabel 100] [--sizes 8 12 20] [--tests ...]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402
from bri_text import _stats  # noqa: E402
from bri_text._grouping import _indicator  # noqa: E402
from bri_text.compare._doc_tests import permutation_test  # noqa: E402
from bri_text.compare._keyness import q_values  # noqa: E402

TESTS = ("welch", "mc2000", "sequential")


def doc_counts(corpus):
    """(documents x terms counts, documents' counted tokens) as the report tokenizes."""
    tok = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
    m = bt.dtm(bt.tokenize(corpus.reshape("paragraph"), tokenizer=tok, progress=False))
    codes, ids = pd.factorize(_stats.document_ids(m.docs))
    ind = _indicator(codes, len(ids))
    c = (ind @ m.counts).tocsc()
    tot = np.asarray(c.sum(axis=1), dtype=float).ravel()
    return c, tot


def p_values(test, ft, fr, rng, info=None):
    if test == "welch":
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            p = np.asarray(stats.ttest_ind(ft, fr, axis=0, equal_var=False).pvalue)
        flat = (ft.var(0) == 0) & (fr.var(0) == 0) & (ft.mean(0) == fr.mean(0))
        return np.where(flat | np.isnan(p), 1.0, p)
    if test == "mc2000":
        return permutation_test(ft, fr, 2000, rng, stop_hits=None)[1]
    n_perm = max(2000, 20 * ft.shape[1])
    _, p, min_p, exact = permutation_test(ft, fr, n_perm, rng)
    if info is not None:            # stopped after the pilot's 2,000 (PILOT) relabellings
        info["settled"] = float(not exact and min_p > 1 / (n_perm + 1) * (1 + 1e-9))
    return p


def run(name, corpus, sizes, tests, n_relabel, seed):
    c, tot = doc_counts(corpus)
    n_docs = c.shape[0]
    rng = np.random.default_rng(seed)
    rows = []
    for k in sizes:
        if 2 * k > n_docs:
            continue
        acc = {t: [] for t in tests}
        n_terms, n_zero = [], []
        for _ in range(n_relabel):
            pick = rng.permutation(n_docs)[:2 * k]
            sub = c[pick]
            present = np.asarray((sub > 0).sum(axis=0)).ravel()
            keep = np.flatnonzero(present >= 3)
            f = sub[:, keep].toarray() / tot[pick][:, None]
            ft, fr = f[:k], f[k:]
            zero = ((ft > 0).sum(0) == 0) | ((fr > 0).sum(0) == 0)
            n_terms.append(len(keep))
            n_zero.append(int(zero.sum()))
            for t in tests:
                c0 = time.process_time()
                info = {}
                p = p_values(t, ft, fr, rng, info)
                sec = time.process_time() - c0
                q = q_values(p)
                acc[t].append({
                    "zero_p05": np.mean(p[zero] < 0.05) if zero.any() else np.nan,
                    "zero_p01": np.mean(p[zero] < 0.01) if zero.any() else np.nan,
                    "zero_share": np.mean(zero & (p < 0.05)),
                    "all_p05": np.mean(p < 0.05), "all_p001": np.mean(p < 0.001),
                    "q05_terms": int((q < 0.05).sum()), "q05_any": float((q < 0.05).any()),
                    "q05_zero": float((zero & (q < 0.05)).any()), "sec": sec, **info})
        for t in tests:
            d = pd.DataFrame(acc[t]).mean()
            rows.append({"corpus": name, "docs": f"{k} vs {k}", "terms": np.mean(n_terms),
                         "zero-side": np.mean(n_zero), "test": t, **d.to_dict()})
        print(pd.DataFrame(rows[-len(tests):]).round(4).to_string(index=False), flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relabel", type=int, default=100)
    ap.add_argument("--sizes", type=int, nargs="+", default=[8, 12, 20])
    ap.add_argument("--tests", nargs="+", default=list(TESTS))
    ap.add_argument("--corpora", nargs="+", default=["reports", "plans"])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    start = time.time()
    pd.set_option("display.width", 200)
    corpora = {"reports": ("52 work reports", bt.load_work_reports),
               "plans": ("27 built-in plans", bt.load_bri_policies)}
    rows = []
    for key in args.corpora:
        name, load = corpora[key]
        rows += run(name, load(), args.sizes, args.tests, args.relabel, args.seed)
    print("\n== all")
    print(pd.DataFrame(rows).round(4).to_string(index=False))
    print(f"\n{time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
