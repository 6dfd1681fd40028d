"""Is TopicModel.prevalence unbiased for a small topic at the default (paragraph) level?

Issue 31, section 2's leftover: effects() counts every token of a document (the α
smoothing of the sampler's proportions taken out, the tokens of terms max_df left out of
the model placed in the topics), while prevalence, trends and doc_topics reported the
smoothed proportions of the kept tokens. This script measures both on the planted corpora
of ``benchmarks/sim_effects.py`` (``--scenario paragraph``: 52 documents of 4 + Poisson(4)
paragraphs of 30 + Poisson(20) tokens, K = 5, a small topic with E[theta_0 | x] = 0.03 +
0.10 x and a null topic at 0.20), grouped by ``half`` (x < 0.5: "low", else "high").

Per corpus: ``TopicModel(5, min_df=2, iterations=300)`` on the paragraphs (the defaults:
max_df = 0.3, NMF start), the fitted topics matched to the true ones (Hungarian), then
``prevalence(by="half", n_boot=...)``. Reported for the small and the null topic: the
mean share against the truth (the group's realised share of tokens in the topic, which
the planted corpus knows), relative bias, RMSE, and the coverage of the 95% interval of
the realised share (two-stage bootstrap); beside them the shares before 0.5.0 (kept
tokens, smoothed: ``sim_effects.kept_token_shares``) and the two corrections one at a
time (smoothing only taken out; left-out tokens only placed), and the identity
prevalence == token-weighted mean of ``effects()``'s document shares.

    python benchmarks/sim_prevalence.py --reps 100        # ~4 minutes on one core
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sim_effects import (NULL_SHARE, SMALL_A, SMALL_B, kept_token_shares,  # noqa: E402
                         matched_topics, simulate_paragraphs)

GROUPS = ("low", "high")
# the groups' expected shares (x uniform within the half): E[theta_0 | x < 0.5] etc.
POPULATION = np.array([[SMALL_A + SMALL_B * 0.25, NULL_SHARE],
                       [SMALL_A + SMALL_B * 0.75, NULL_SHARE]])


def _by_group(counts, tokens, groups):
    """Shares (G, K) of ``counts`` (N, K) over ``tokens`` (N,) summed per group."""
    return np.array([counts[groups == g].sum(0) / tokens[groups == g].sum() for g in GROUPS])


def one(seed, n_boot, D=52):
    import bri_text as bt

    rng = np.random.default_rng(seed)
    tokens, beta, vocab, true_counts = simulate_paragraphs(rng, D=D, return_counts=True)
    tokens.docs["half"] = np.where(tokens.docs["x"] < 0.5, "low", "high")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bt.TopicModel(5, min_df=2, iterations=300, random_state=seed).fit(tokens)
    match, sim = matched_topics(model, beta, vocab)
    ks = [int(match[0]), int(match[1])]
    doc_half = tokens.docs.drop_duplicates("parent_id")["half"].to_numpy()
    truth = _by_group(true_counts, true_counts.sum(1), doc_half)[:, [0, 1]]   # (G, 2)

    # before 0.5.0: smoothed proportions of the kept tokens
    old = kept_token_shares(model, by="half").loc[list(GROUPS), ks].to_numpy(float)
    # the two corrections one at a time, from the pieces the library combines
    u_half = model.units_["half"].to_numpy()
    states, mean, placed, n_all = model._unit_counts()
    n_kept = model.units_["n_tokens"].to_numpy(float)
    desmoothed = _by_group(mean, n_kept, u_half)[:, ks]
    theta = model.doc_topic_
    placed_only = _by_group(theta * n_kept[:, None] + placed, n_all, u_half)[:, ks]
    # now: prevalence()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = model.prevalence(by="half", n_boot=n_boot, random_state=seed)
        eff = model.effects("~ 1", uncertainty="none")
    p = p.set_index(["group", "topic"])
    new = np.array([[p.loc[(g, k), "share"] for k in ks] for g in GROUPS])
    lo = np.array([[p.loc[(g, k), "ci_low"] for k in ks] for g in GROUPS])
    hi = np.array([[p.loc[(g, k), "ci_high"] for k in ks] for g in GROUPS])
    # identity: prevalence is the token-weighted mean of effects()' document shares
    d = eff.data.set_index("doc_id")
    d_half = tokens.docs.drop_duplicates("parent_id").set_index("parent_id").loc[d.index,
                                                                                  "half"]
    w = d["n_tokens"].to_numpy(float)
    ident = max(abs(np.average(d.loc[(d_half == g).to_numpy(), f"topic_{k}"],
                               weights=w[(d_half == g).to_numpy()]) - p.loc[(g, k), "share"])
                for g in GROUPS for k in range(model.n_topics_))
    return {"seed": seed, "sim_small": sim[0], "sim_null": sim[1], "truth": truth,
            "old": old, "desmoothed": desmoothed, "placed_only": placed_only, "new": new,
            "lo": lo, "hi": hi, "identity": ident,
            "widespread": float((n_all - n_kept).sum() / n_all.sum())}


def summarize(res):
    truth = np.array([r["truth"] for r in res])                       # (R, G, 2)
    rows = []
    for j, topic in enumerate(("small topic", "null topic")):
        for gi, g in enumerate(GROUPS):
            t = truth[:, gi, j]
            row = {"topic": topic, "group": g, "truth": t.mean()}
            for name in ("old", "desmoothed", "placed_only", "new"):
                est = np.array([r[name][gi, j] for r in res])
                row[f"{name}"] = est.mean()
                row[f"{name}_bias"] = (est - t).mean() / t.mean()
            est = np.array([r["new"][gi, j] for r in res])
            row["new_rmse"] = float(np.sqrt(((est - t) ** 2).mean()))
            lo = np.array([r["lo"][gi, j] for r in res])
            hi = np.array([r["hi"][gi, j] for r in res])
            row["coverage"] = float(((lo <= t) & (t <= hi)).mean())
            pop = POPULATION[gi, j]
            row["expected"] = pop
            row["coverage_expected"] = float(((lo <= pop) & (pop <= hi)).mean())
            rows.append(row)
    return pd.DataFrame(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--n-boot", type=int, default=500)
    ap.add_argument("--docs", type=int, default=52)
    args = ap.parse_args()
    t0 = time.time()
    res = [one(3000 + i, args.n_boot, D=args.docs) for i in range(args.reps)]
    table = summarize(res)
    pd.set_option("display.width", 200)
    print("mean share (relative bias against the realised share of the group's tokens):")
    show = table[["topic", "group", "truth"]].copy()
    for name, title in (("old", "before 0.5.0 (kept, smoothed)"),
                        ("desmoothed", "smoothing out only"),
                        ("placed_only", "left-out placed only"),
                        ("new", "prevalence() now")):
        show[title] = [f"{m:.4f} ({b:+.1%})" for m, b in zip(table[name],
                                                            table[f"{name}_bias"])]
    print(show.round(4).to_string(index=False))
    print("prevalence() now: RMSE; coverage of its 95% interval (two-stage bootstrap) of the "
          "realised share and of the expected share of such a group:")
    print(table[["topic", "group", "new_rmse", "coverage", "expected",
                 "coverage_expected"]].round(4).to_string(index=False))
    print("target: relative bias of the small topic within +-5% (before 0.5.0: inflated); "
          "coverage of the expected share near 0.95")
    print(f"max |prevalence - token-weighted mean of effects() document shares|: "
          f"{max(r['identity'] for r in res):.1e}")
    print(f"matched similarity: small topic median "
          f"{np.median([r['sim_small'] for r in res]):.3f}, null "
          f"{np.median([r['sim_null'] for r in res]):.3f}; widespread tokens (left out by "
          f"max_df) {np.mean([r['widespread'] for r in res]):.1%} of all tokens")
    print(f"{args.reps} corpora of {args.docs} documents, n_boot={args.n_boot}, "
          f"{time.time() - t0:.0f} s; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
