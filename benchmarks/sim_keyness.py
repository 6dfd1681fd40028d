"""Keyness under the null and what the prior does (issue 19; figures in docs/STATISTICS.md).

1. False-positive rate under random relabelling. The 27 documents of the built-in corpus
   are split at random into two groups (documents keep their paragraphs, so words stay as
   bunched as they are in real texts); no split has a true difference, so every p < .05 is
   a false positive. For every measure: the share of tested terms with p < .05 (nominal
   0.05) and with q < .05 (Benjamini-Hochberg), averaged over the relabellings, for terms
   used at least 10 times in the corpus (the rare ones cannot reach .05 with any
   document-level test) and for all. Group sizes: 11 vs 16 (national vs local) and
   k vs k documents for the document-level tests.
2. The prior and rankings. A simulated comparison with a known truth: a small target
   (3,000 tokens) and a large reference (40,000) drawn from the same Zipf vocabulary of
   2,000 terms except 40 of ranks 20-400 with true rate ratio 4 (20 up, 20 down); the prior's shares
   come from a third corpus whose shares differ from both (log-normal noise, sd 1). For
   each prior weighting: reversed signs (score against the sign of the observed rate
   difference), terms never used by the target among its top 20, and precision of the top
   20 (true up-terms).

    python benchmarks/sim_keyness.py [--relabel 100] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402
from bri_text import _stats  # noqa: E402

MEASURES = ("log_odds", "chi2", "g2", "log_ratio", "welch", "wilcoxon", "bootstrap_test")
DOC = ("welch", "wilcoxon", "bootstrap_test")


def relabel_fpr(m, sizes, measures, n_relabel, seed, min_count=10, n_boot=1000):
    """Mean share of terms with p < .05 / q < .05 over random splits of the documents."""
    docs = _stats.document_ids(m.docs)
    ids = np.unique(docs)
    total = np.asarray(m.counts.sum(axis=0)).ravel()
    frequent = set(np.asarray(m.terms)[total >= min_count])
    rng = np.random.default_rng(seed)
    rows = []
    for n_t, n_r in sizes:
        acc = {ms: {"p": [], "p_freq": [], "q": [], "any_q": []} for ms in measures}
        for _ in range(n_relabel):
            perm = rng.permutation(ids)
            t = np.isin(docs, perm[:n_t])
            r = np.isin(docs, perm[n_t:n_t + n_r])
            for ms in measures:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    k = bt.keyness(m, t, r, ms, random_state=rng,
                                   n_boot=n_boot if ms == "bootstrap_test" else None)
                p, q = k["p_value"].to_numpy(), k["q_value"].to_numpy()
                freq = k["term"].isin(frequent).to_numpy()
                acc[ms]["p"].append(np.mean(p < 0.05))
                acc[ms]["p_freq"].append(np.mean(p[freq] < 0.05))
                acc[ms]["q"].append(np.mean(q < 0.05))
                acc[ms]["any_q"].append(float((q < 0.05).any()))
        for ms in measures:
            a = acc[ms]
            rows.append({"docs": f"{n_t} vs {n_r}", "measure": ms,
                         "fpr_p_all": np.mean(a["p"]), "fpr_p_frequent": np.mean(a["p_freq"]),
                         "fpr_q_all": np.mean(a["q"]), "any_q": np.mean(a["any_q"])})
    return pd.DataFrame(rows)


def prior_rankings(seed=0, reps=50, V=2000, n_t=3000, n_r=40000, n_key=40):
    """What three prior weightings do to a small-vs-large comparison (see module doc)."""
    rng = np.random.default_rng(seed)
    base = 1 / np.arange(1, V + 1) ** 1.05
    base /= base.sum()
    out = {}
    for _ in range(reps):
        key = rng.choice(np.arange(20, 400), n_key, replace=False)   # not the top function words
        up, down = key[: n_key // 2], key[n_key // 2:]
        pt = base.copy(); pt[up] *= 4; pt[down] /= 4; pt /= pt.sum()
        a = rng.multinomial(n_t, pt).astype(float)
        b = rng.multinomial(n_r, base).astype(float)
        prior = base * np.exp(rng.normal(0, 1, V)); prior /= prior.sum()
        keep = (a + b) > 0
        a_, b_, pr = a[keep], b[keep], prior[keep]
        idx = np.flatnonzero(keep)
        obs = np.sign(a_ / n_t - b_ / n_r)
        compared = (a_ + b_) / (n_t + n_r)
        variants = {
            "shared alpha_0 = tokens compared, third-corpus prior (0.1.x)":
                _stats.log_odds(a_, b_, n_t, n_r, pr * (n_t + n_r), n_t + n_r)[0],
            "split alpha_0 (0.2.0), third-corpus prior":
                _stats.log_odds(a_, b_, n_t, n_r, pr * n_t, n_t, pr * n_r, n_r)[0],
            "split alpha_0 (0.2.0), prior = units compared (default)":
                _stats.log_odds(a_, b_, n_t, n_r, compared * n_t, n_t, compared * n_r,
                                n_r)[0],
            "split, prior 10x stronger":
                _stats.log_odds(a_, b_, n_t, n_r, compared * 10 * n_t, 10 * n_t,
                                compared * 10 * n_r, 10 * n_r)[0],
            "split, prior 10x weaker":
                _stats.log_odds(a_, b_, n_t, n_r, compared * 0.1 * n_t, 0.1 * n_t,
                                compared * 0.1 * n_r, 0.1 * n_r)[0],
            "g2 (no prior)": _stats.g2(a_, b_, n_t, n_r)[0],
        }
        for name, z in variants.items():
            top = np.argsort(-z)[:20]
            d = out.setdefault(name, {"reversed": [], "unused_in_top20": [],
                                      "precision_top20": []})
            d["reversed"].append(np.sum((obs != 0) & (np.sign(z) == -obs)))
            d["unused_in_top20"].append(np.sum(a_[top] == 0))
            d["precision_top20"].append(np.isin(idx[top], up).mean())
    return pd.DataFrame({k: {m: np.mean(v) for m, v in d.items()} for k, d in out.items()}).T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relabel", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    start = time.time()
    m = bt.dtm(bt.tokenize(bt.load_bri_policies().reshape("paragraph")))
    pd.set_option("display.width", 160)
    print("== prior weighting and rankings (50 simulated comparisons)")
    print(prior_rankings(args.seed).round(2).to_string())
    print("\n== false positives under random relabelling, 11 vs 16 documents "
          f"({args.relabel} relabellings)")
    fpr = relabel_fpr(m, [(11, 16)], MEASURES, args.relabel, args.seed)
    print(fpr.round(3).to_string(index=False))
    print(f"\n== document-level tests by group size ({args.relabel} relabellings)")
    sizes = [(2, 2), (3, 3), (5, 5), (8, 8), (13, 14)]
    by_size = relabel_fpr(m, sizes, DOC + ("log_odds", "g2"), args.relabel, args.seed + 1)
    print(by_size.round(3).to_string(index=False))
    print(f"\n{time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
