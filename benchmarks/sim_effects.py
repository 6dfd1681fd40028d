"""Does TopicModel.effects recover a known covariate effect, with honest intervals?

Two scenarios (``--scenario``):

``paragraph`` (issue 31, the library's defaults): D documents of 4 + Poisson(4)
paragraphs of 30 + Poisson(20) tokens, K = 5 topics over 500 terms; a small topic 0 with
E[theta_d0 | x] = 0.03 + 0.10 x and a null topic 1 with E[theta_d1] = 0.20 whatever x;
theta_d ~ Dirichlet(5 E[theta_d | x]), each paragraph's proportions ~ Dirichlet(10 theta_d).
``bt.TopicModel(5, min_df=2, iterations=300)`` is fitted on the paragraphs (the default
unit, so the default max_df = 0.3 leaves the most widespread terms out) and
``effects("~ x")`` run at its default level="document". Reported: slope of topic 0 (an
average marginal effect on the share scale; truth 0.10), its predicted prevalence at
x = 0.5 (truth 0.08) and x = 0 (truth 0.03), coverage of the 95% intervals, the null
topic's false-rejection rate (its slope interval excludes 0), and for comparison the
0.3.0 point estimates (least squares on ``doc_topics(level="document")``).

With ``--absorb`` topic 2 alone gives up what topic 0 gains and topics 1, 3 and 4 stay
at 0.20, so a fitted "null" topic that mixes in some of topics 3-4 (the paragraph fits
separate the large topics less well once max_df drops their commonest terms) still has
no effect; without it topics 2-4 all shrink as x grows and such a mixture has one.

``document`` (0.1-0.3 validation):

Simulation (docs/STATISTICS.md, "Topic effects"): each replicate generates a corpus of
D documents from LDA's generative model with K topics over V terms, where the expected
share of topic 0 depends linearly on a covariate x ~ Uniform(0, 1):

    E[theta_d0 | x_d] = 0.10 + 0.20 x_d,  the other topics sharing the rest equally,
    theta_d ~ Dirichlet(c * E[theta_d | x_d]),  n_d ~ 60 + Poisson(140) tokens,

fits ``bt.TopicModel(K, unit="document")``, finds the fitted topic that matches the true
topic 0 (Hungarian matching of topic-term distributions), and runs
``effects("~ x")`` with each ``uncertainty`` setting. Reported per setting: mean
estimate, bias and RMSE of the slope (truth 0.20) and of the prevalence at x = 0.5
(truth 0.20), and the coverage of the 95% intervals (Monte Carlo SE about 0.015 for 200
replicates). It also times effects() and checks its point estimates against a
hand-written statsmodels OLS on the same document shares.

    python benchmarks/sim_effects.py --reps 200          # about 3 minutes on one core

``levels`` (audit s36, finding 2): is the interval of a categorical level seen in few
documents honest? One model of the 52 work reports (K = 8, paragraphs, random_state=1); a
fake covariate gives level "B" to m documents drawn at random (no effect by design), and
``effects("~ grp")`` is run. Reported per m: the share of (split, topic) with an interval,
how often the 95% interval of ``grp[T.B]`` excludes 0 (nominal 0.05) and covers it, its
mean width, and the same for the pre-0.5 rule (expanded percentile at the corpus-wide
leverage P / D, recomputed from the same replicates).

    python benchmarks/sim_effects.py --scenario levels --reps 40 --n-boot 200   # ~2 min
"""
from __future__ import annotations

import argparse
import json
import os
import time
import warnings

import numpy as np
import pandas as pd

TRUE_A, TRUE_B = 0.10, 0.20
SMALL_A, SMALL_B, NULL_SHARE = 0.03, 0.10, 0.20


def simulate_paragraphs(rng, D=52, K=5, V=500, conc=5.0, par_conc=10.0, absorb=False,
                        return_counts=False):
    """Paragraph units (doc_id, parent_id, unit, x) with the small and null topics.
    ``absorb``: topic 2 alone gives up what topic 0 gains (topics 1, 3, 4 stay at 0.20);
    otherwise topics 2-4 share the change. ``return_counts``: also the true tokens per
    topic of every document (D, K)."""
    from bri_text.segment import Tokens

    beta = rng.dirichlet(np.full(V, 0.05), size=K)
    x = rng.uniform(0, 1, D)
    m0 = SMALL_A + SMALL_B * x
    if absorb:
        rest = [1 - m0 - NULL_SHARE * (K - 2)] + [np.full(D, NULL_SHARE)] * (K - 3)
    else:
        rest = [(1 - m0 - NULL_SHARE) / (K - 2)] * (K - 2)
    mean = np.column_stack([m0, np.full(D, NULL_SHARE)] + rest)
    vocab = np.array([f"w{i:04d}" for i in range(V)])
    rows, toks = [], []
    true_counts = np.zeros((D, K))
    for d in range(D):
        theta = rng.dirichlet(conc * mean[d])
        for p in range(4 + rng.poisson(4)):
            z = rng.multinomial(30 + rng.poisson(20), rng.dirichlet(par_conc * theta + 1e-3))
            true_counts[d] += z
            words = np.concatenate([rng.choice(V, c, p=beta[k]) for k, c in enumerate(z) if c])
            rng.shuffle(words)
            toks.append(list(vocab[words]))
            rows.append((f"d{d:03d}-{p}", f"d{d:03d}", "paragraph", x[d]))
    docs = pd.DataFrame(rows, columns=["doc_id", "parent_id", "unit", "x"])
    docs["text"] = [" ".join(t) for t in toks]
    out = Tokens(docs, toks, [[] for _ in toks], {}), beta, vocab
    return out + (true_counts,) if return_counts else out


def kept_token_shares(model, by="parent_id"):
    """Topic shares per group of ``by`` as ``doc_topics(level="document")`` and
    ``prevalence`` gave them before 0.5.0: the sampler's prior-smoothed proportions of the
    kept tokens (``doc_topic_``), averaged over the units by kept tokens. DataFrame indexed
    by group, with the metadata of its first unit, ``n_tokens`` and one column per topic."""
    u = model.units_
    w = u["n_tokens"].to_numpy(float)
    K = model.n_topics_
    sums = pd.DataFrame(model.doc_topic_ * w[:, None], columns=range(K)).groupby(
        u[by].to_numpy(), sort=False).sum()
    tot = pd.Series(w).groupby(u[by].to_numpy(), sort=False).sum()
    meta = u.drop_duplicates(by).set_index(by).drop(columns=["text"], errors="ignore")
    out = sums.div(tot, axis=0)
    return meta.loc[out.index, [c for c in meta.columns if c != "n_tokens"]].assign(
        n_tokens=tot).join(out)


def matched_topics(model, beta, vocab):
    """The fitted topic matched to each true topic (Hungarian), and the similarities."""
    from scipy.optimize import linear_sum_assignment

    from bri_text.topics._stats import align_vocabularies, js_similarity

    (a, b), _ = align_vocabularies([beta, model.topic_term_],
                                   [list(vocab), model.vocabulary_])
    sim = js_similarity(a, b)
    rows, cols = linear_sum_assignment(-sim)
    return cols[np.argsort(rows)], sim[rows, cols][np.argsort(rows)]


def one_paragraph(seed, n_boot, D=52, absorb=False):
    import bri_text as bt

    rng = np.random.default_rng(seed)
    tokens, beta, vocab = simulate_paragraphs(rng, D=D, absorb=absorb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bt.TopicModel(5, min_df=2, iterations=300, random_state=seed).fit(tokens)
    match, sim = matched_topics(model, beta, vocab)
    small, null = int(match[0]), int(match[1])
    t0 = time.perf_counter()
    eff = model.effects("~ x", n_boot=n_boot, random_state=seed)
    secs = time.perf_counter() - t0
    c = eff.coefficients.set_index(["topic", "term"])
    pred = eff.predict(x=[0.0, 0.5], topics=small).set_index("x")
    out = {"seed": seed, "similarity_small": sim[0], "similarity_null": sim[1],
           "seconds": secs, "widespread_tokens": eff.attrs["widespread_tokens"]}
    for name, k in (("small", small), ("null", null)):
        row = c.loc[(k, "x")]
        out[f"{name}_slope"], out[f"{name}_lo"], out[f"{name}_hi"] = (
            row["estimate"], row["ci_low"], row["ci_high"])
    for xv in (0.0, 0.5):
        out[f"pred{xv}"], out[f"pred{xv}_lo"], out[f"pred{xv}_hi"] = pred.loc[
            xv, ["prevalence", "ci_low", "ci_high"]]
    # the 0.3.0 point estimates: least squares on 0.3.0's doc_topics(level="document")
    shares = kept_token_shares(model)
    X = np.column_stack([np.ones(len(shares)), shares["x"].to_numpy(float)])
    old = np.linalg.lstsq(X, shares[[small, null]].to_numpy(float), rcond=None)[0]
    out["old_small_slope"], out["old_pred0.5"] = old[1, 0], old[0, 0] + 0.5 * old[1, 0]
    return out


def summarize_paragraph(res):
    r = pd.DataFrame(res)

    def cover(lo, hi, t):
        return float(((r[lo] <= t) & (t <= r[hi])).mean())

    p5 = SMALL_A + 0.5 * SMALL_B
    rows = [
        ("small topic slope (AME, truth 0.10)", r["small_slope"].mean(),
         r["small_slope"].mean() / SMALL_B - 1, cover("small_lo", "small_hi", SMALL_B),
         ">= 0.90"),
        ("small topic prevalence at x = 0.5 (truth 0.08)", r["pred0.5"].mean(),
         r["pred0.5"].mean() / p5 - 1, cover("pred0.5_lo", "pred0.5_hi", p5), ">= 0.85"),
        ("small topic prevalence at x = 0 (truth 0.03)", r["pred0.0"].mean(),
         r["pred0.0"].mean() / SMALL_A - 1, cover("pred0.0_lo", "pred0.0_hi", SMALL_A), ""),
        ("0.3.0 (OLS on doc_topics) slope", r["old_small_slope"].mean(),
         r["old_small_slope"].mean() / SMALL_B - 1, np.nan, ""),
        ("0.3.0 prevalence at x = 0.5", r["old_pred0.5"].mean(),
         r["old_pred0.5"].mean() / p5 - 1, np.nan, ""),
    ]
    table = pd.DataFrame(rows, columns=["quantity", "mean estimate", "relative bias",
                                        "coverage", "target"])
    null_rej = float(((r["null_lo"] > 0) | (r["null_hi"] < 0)).mean())
    bounds = float(((r[[c for c in r.columns if c.startswith("pred") and
                        c.endswith(("_lo", "_hi"))]] < 0) |
                    (r[[c for c in r.columns if c.startswith("pred") and
                        c.endswith(("_lo", "_hi"))]] > 1)).any(axis=1).mean())
    return table, null_rej, bounds, r


def simulate(rng, D=100, K=5, V=500, conc=5.0, beta_prior=0.05):
    from bri_text.segment import Tokens

    beta = rng.dirichlet(np.full(V, beta_prior), size=K)
    x = rng.uniform(0, 1, D)
    m0 = TRUE_A + TRUE_B * x
    mean = np.column_stack([m0] + [(1 - m0) / (K - 1)] * (K - 1))
    vocab = np.array([f"w{i:04d}" for i in range(V)])
    toks, thetas = [], []
    for d in range(D):
        theta = rng.dirichlet(conc * mean[d])
        n = 60 + rng.poisson(140)
        z = rng.choice(K, size=n, p=theta)
        words = [vocab[rng.choice(V, p=beta[k])] for k in z]
        toks.append(words)
        thetas.append(np.bincount(z, minlength=K) / n)
    docs = pd.DataFrame({"doc_id": [f"d{d:03d}" for d in range(D)],
                         "text": [" ".join(t) for t in toks], "x": x})
    tokens = Tokens(docs, toks, [[] for _ in toks], {})
    return tokens, beta, vocab, x, np.array(thetas)


def matched_topic(model, beta, vocab):
    from bri_text.topics._stats import align_vocabularies, js_similarity

    (a, b), _ = align_vocabularies([beta, model.topic_term_],
                                   [list(vocab), model.vocabulary_])
    from scipy.optimize import linear_sum_assignment

    sim = js_similarity(a, b)
    rows, cols = linear_sum_assignment(-sim)
    return int(cols[list(rows).index(0)]), float(sim[0, cols[list(rows).index(0)]])


def one(seed, settings, n_boot, K=5, D=100):
    import bri_text as bt

    rng = np.random.default_rng(seed)
    tokens, beta, vocab, _, _ = simulate(rng, D=D, K=K)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bt.TopicModel(K, unit="document", min_df=2, iterations=300,
                              random_state=seed).fit(tokens)
    k, sim = matched_topic(model, beta, vocab)
    out = {"seed": seed, "match_similarity": sim}
    for s in settings:
        t0 = time.perf_counter()
        eff = model.effects("~ x", n_boot=n_boot, uncertainty=s, random_state=seed)
        secs = time.perf_counter() - t0
        c = eff.coefficients
        row = c[(c["topic"] == k) & (c["term"] == "x")].iloc[0]
        p = eff.predict(x=[0.5], topics=k).iloc[0]
        out[s] = {"slope": row["estimate"], "slope_lo": row["ci_low"],
                  "slope_hi": row["ci_high"], "pred": p["prevalence"],
                  "pred_lo": p["ci_low"], "pred_hi": p["ci_high"], "seconds": secs}
    # agreement with a hand-written statsmodels GLM (fractional logit) on the same shares
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    fit = smf.glm(f"topic_{k} ~ x", data=eff.data, family=sm.families.Binomial()).fit()
    out["glm_slope"] = float(fit.params["x"])
    out["log_odds_slope"] = float(c[(c["topic"] == k) & (c["term"] == "x")]["log_odds"].iloc[0])
    # the 0.3.0 estimate: least squares on 0.3.0's doc_topics(level="document") (smoothed
    # proportions), classical interval
    shares = kept_token_shares(model, by="doc_id")
    ols = smf.ols(f"Q('{k}') ~ x", data=shares.rename(columns=str)).fit()
    out["ols_slope"] = float(ols.params["x"])
    out["ols_slope_se"] = float(ols.bse["x"])
    return out


def summarize(results, settings):
    rows = []
    for s in settings:
        r = pd.DataFrame([res[s] for res in results])
        pred_truth = TRUE_A + TRUE_B * 0.5
        rows.append({
            "uncertainty": s,
            "slope_mean": r["slope"].mean(),
            "slope_bias": r["slope"].mean() - TRUE_B,
            "slope_rmse": float(np.sqrt(((r["slope"] - TRUE_B) ** 2).mean())),
            "slope_coverage": ((r["slope_lo"] <= TRUE_B) & (TRUE_B <= r["slope_hi"])).mean(),
            "slope_ci_width": (r["slope_hi"] - r["slope_lo"]).mean(),
            "pred_bias": r["pred"].mean() - pred_truth,
            "pred_coverage": ((r["pred_lo"] <= pred_truth)
                              & (pred_truth <= r["pred_hi"])).mean(),
            "seconds_mean": r["seconds"].mean(),
        })
    return pd.DataFrame(rows)


def levels_scenario(reps, n_boot, sizes=(2, 3, 4, 5, 7, 10, 26)):
    """Rows per level size m: intervals given, excluding 0, coverage, width (now and
    before the small-level rule)."""
    import bri_text as bt
    from bri_text.topics._effects import _column_groups, _marginal_effects

    tok = bt.tokenize(bt.load_work_reports().reshape("paragraph"))
    m = bt.TopicModel(n_topics=8, random_state=1, n_jobs=1).fit(tok)
    docs = m.doc_topics(level="document")["doc_id"].to_numpy()
    rng = np.random.default_rng(1)
    rows = []
    for size in sizes:
        now, old = [], []
        for rep in range(reps):
            g = np.array(["A"] * len(docs), dtype=object)
            g[rng.choice(len(docs), size, replace=False)] = "B"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                eff = m.effects("~ grp", data=pd.DataFrame({"doc_id": docs, "grp": g}),
                                n_boot=n_boot, random_state=rep)
            c = eff.coefficients
            c = c[c["term"] == "grp[T.B]"]
            now.append(c[["ci_low", "ci_high"]].to_numpy())
            reps_ame = _marginal_effects(eff._X, eff._replicates, eff._weights,
                                         _column_groups(eff._spec, eff._X.shape[1]))
            q = eff.attrs["interval_levels"][0]
            old.append(np.column_stack([np.quantile(reps_ame[:, 1], q, axis=0),
                                        np.quantile(reps_ame[:, 1], 1 - q, axis=0)]))
        for name, arr in (("now", np.vstack(now)), ("before", np.vstack(old))):
            has = np.isfinite(arr).all(axis=1)
            a = arr[has]
            excl = ((a[:, 0] > 0) | (a[:, 1] < 0)).mean() if has.any() else np.nan
            rows.append({"docs_in_level": size, "rule": name, "with_interval": has.mean(),
                         "excludes_0": excl, "coverage": 1 - excl, "target": 0.95,
                         "mean_width": (a[:, 1] - a[:, 0]).mean() if has.any() else np.nan,
                         "n": len(arr)})
    return pd.DataFrame(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--n-boot", type=int, default=500)
    ap.add_argument("--docs", type=int, default=52, help="documents per corpus")
    ap.add_argument("--out", default=None, help="write the per-replicate results (JSON)")
    ap.add_argument("--scenario", choices=("paragraph", "document", "levels"),
                    default="paragraph")
    ap.add_argument("--absorb", action="store_true",
                    help="paragraph scenario: topic 2 alone gives up what topic 0 gains")
    args = ap.parse_args()
    if args.scenario == "levels":
        t0 = time.time()
        table = levels_scenario(args.reps, args.n_boot)
        pd.set_option("display.width", 160)
        print(table.round(3).to_string(index=False))
        print(f"{args.reps} random splits x 8 topics per size, n_boot={args.n_boot}, "
              f"{time.time() - t0:.0f} s; load {os.getloadavg()[0]:.2f}")
        if args.out:
            table.to_csv(args.out, index=False)
        return
    if args.scenario == "paragraph":
        t0 = time.time()
        res = [one_paragraph(2000 + i, args.n_boot, D=args.docs, absorb=args.absorb)
               for i in range(args.reps)]
        table, null_rej, bounds, r = summarize_paragraph(res)
        pd.set_option("display.width", 160)
        print(table.round(3).to_string(index=False))
        print(f"null topic (no effect): slope interval excludes 0 in {null_rej:.3f} of "
              f"corpora (target <= 0.06)")
        print(f"prediction bounds outside [0, 1]: {bounds:.3f} of corpora")
        print(f"matched similarity: small topic median {r['similarity_small'].median():.3f}, "
              f"null topic {r['similarity_null'].median():.3f}; widespread tokens placed by "
              f"the EM: median {r['widespread_tokens'].median():.0f} per corpus")
        print("null-topic rejection by matched similarity of the null topic: "
              + ", ".join(f"{k}: {v:.3f} (n={n})" for k, (v, n) in r.assign(
                  rej=(r["null_lo"] > 0) | (r["null_hi"] < 0)).groupby(
                  pd.cut(r["similarity_null"], [0, 0.6, 0.7, 0.8, 1.0]), observed=True)[
                  "rej"].agg(["mean", "size"]).iterrows()))
        print(f"{args.reps} corpora of {args.docs} documents (paragraphs), n_boot="
              f"{args.n_boot}, effects() {r['seconds'].mean():.2f} s each, "
              f"{time.time() - t0:.0f} s in all; load {os.getloadavg()[0]:.2f}")
        if args.out:
            r.to_json(args.out)
        return
    settings = ["both", "documents", "shares"]
    t0 = time.time()
    results = [one(1000 + i, settings, args.n_boot, D=args.docs) for i in range(args.reps)]
    table = summarize(results, settings)
    diff = max(abs(r["log_odds_slope"] - r["glm_slope"]) for r in results)
    pd.set_option("display.width", 160)
    print(table.round(4).to_string(index=False))
    ols = pd.DataFrame([{"lo": r["ols_slope"] - 1.96 * r["ols_slope_se"],
                         "hi": r["ols_slope"] + 1.96 * r["ols_slope_se"]} for r in results])
    print(f"0.3.0 least squares on doc_topics: slope mean "
          f"{np.mean([r['ols_slope'] for r in results]):.4f}; classical 95% interval "
          f"(shares taken as known): coverage "
          f"{((ols['lo'] <= TRUE_B) & (TRUE_B <= ols['hi'])).mean():.3f}")
    print(f"max |effects() log_odds - statsmodels GLM(Binomial) coefficient| over "
          f"{len(results)} corpora: {diff:.2e}")
    print(f"matched-topic similarity (1 - JS): median "
          f"{np.median([r['match_similarity'] for r in results]):.3f}")
    print(f"{args.reps} replicates of {args.docs} documents, n_boot={args.n_boot}, {time.time() - t0:.0f} s; "
          f"load {os.getloadavg()[0]:.2f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, default=float)


if __name__ == "__main__":
    main()
