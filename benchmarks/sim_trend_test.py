"""False-positive rate and power of bt.trend_test (Mann-Kendall over documents, permutation
p-value) beside a token-level test, on the government work reports' own years and lengths.

Each simulated series has the 52 reports' years (1954-2025, with the gaps) and their token
counts (bt.dtm of bt.tokenize(load_work_reports())). Report d mentions the term
Poisson(rate_d x tokens_d / 10,000) times, rate_d = base x G_d x trend(year), where G_d is
the report's own emphasis (Gamma with shape k, mean 1: k = inf none, k = 2 moderate, 0.5
strong, many zeros). Tests at 5%:

- ``trend_test``: bt.trend_test's statistic (bri_text.trends._one_trend, the function it
  calls per term), n_perm permutations, measure "rate" (mentions per 10k of each report);
- ``block 5``: the same with ``block=5`` (runs of 5 consecutive reports permuted);
- ``MK normal``: Kendall's tau of year and report rate with scipy's normal-approximation
  p-value (same units, no permutation);
- ``token GLM``: Poisson regression of the counts on year with offset log(tokens), Wald
  p-value (statsmodels): tokens as the units, what "a slope on pooled counts" does.

Null scenarios (no trend): Poisson only; report emphasis k = 2; a rare term (base 0.5 per
10k, k = 0.5); one long report: the 1955 report's length x 5 and its rate x 4 (one text
full of the term early, nothing else changes); AR(1): log G_d follows an AR(1) over the
reports in order (phi = 0.3, 0.6), no trend. Power: the rate doubles linearly from 1954 to
2025 (k = 2).

    python benchmarks/sim_trend_test.py [reps] [n_perm]     # 1000 999: about 15 min on a shared machine
"""
import sys
import time
import warnings

import numpy as np
import statsmodels.api as sm
from scipy import stats

import bri_text as bt
from bri_text.trends import _one_trend


def reports():
    tok = bt.tokenize(bt.load_work_reports(), progress=False)
    m = bt.dtm(tok)
    return (m.docs["year"].to_numpy(dtype=float),
            np.asarray(m.counts.sum(axis=1)).ravel().astype(float))


def emphasis(rng, n, k, phi=None):
    if phi is None:
        return np.ones(n) if k is None else rng.gamma(k, 1 / k, n)
    e = np.empty(n)                           # AR(1) log-emphasis, sd 0.8, mean-1 scale
    e[0] = rng.normal(0, 0.8)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + rng.normal(0, 0.8 * np.sqrt(1 - phi ** 2))
    return np.exp(e - 0.32)


def series(rng, years, tokens, scenario):
    n = len(years)
    base, k, phi, slope = scenario.get("base", 5.0), scenario.get("k"), scenario.get("phi"), \
        scenario.get("double", False)
    tok = tokens.copy()
    rate = base * emphasis(rng, n, k, phi)
    if slope:
        rate *= 1 + (years - years.min()) / (years.max() - years.min())
    if scenario.get("long"):
        i = int(np.flatnonzero(years == 1955)[0])
        tok[i] *= 5
        rate[i] *= 4
    return rng.poisson(rate * tok / 1e4).astype(float), tok


def token_glm(years, counts, tok):
    x = sm.add_constant((years - years.mean()) / 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(counts, x, family=sm.families.Poisson(), offset=np.log(tok)).fit()
    return fit.pvalues[1]


def run(scenario, reps, n_perm, years, tokens, seed=0):
    rng = np.random.default_rng(seed)
    hits = {"trend_test": 0, "block 5": 0, "MK normal": 0, "token GLM": 0}
    for _ in range(reps):
        counts, tok = series(rng, years, tokens, scenario)
        rate = counts / tok * 1e4
        r = _one_trend(years, rate, n_perm, 0.95, rng)
        hits["trend_test"] += r["p_value"] < 0.05
        hits["block 5"] += _one_trend(years, rate, n_perm, 0.95, rng, 5)["p_value"] < 0.05
        p = stats.kendalltau(years, rate).pvalue if np.ptp(rate) > 0 else 1.0
        hits["MK normal"] += p < 0.05
        hits["token GLM"] += token_glm(years, counts, tok) < 0.05
    return {k: v / reps for k, v in hits.items()}


SCENARIOS = [
    ("null: Poisson, no report emphasis", {}),
    ("null: report emphasis k=2", {"k": 2}),
    ("null: rare term (0.5/10k, k=0.5)", {"base": 0.5, "k": 0.5}),
    ("null: one long report (1955 x5 length, x4 rate), k=2", {"k": 2, "long": True}),
    ("null: AR(1) emphasis phi=0.3", {"phi": 0.3}),
    ("null: AR(1) emphasis phi=0.6", {"phi": 0.6}),
    ("power: rate doubles 1954-2025, k=2", {"k": 2, "double": True}),
]

if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_perm = int(sys.argv[2]) if len(sys.argv) > 2 else 999
    years, tokens = reports()
    print(f"{len(years)} reports, {reps} series per scenario, n_perm={n_perm}; share of "
          "series with p < 0.05 (MC SE about 0.007 at 0.05)")
    print("| scenario | trend_test | block 5 | MK normal | token GLM |")
    print("| --- | --- | --- | --- | --- |")
    for name, sc in SCENARIOS:
        t0 = time.time()
        r = run(sc, reps, n_perm, years, tokens)
        print(f"| {name} | {r['trend_test']:.3f} | {r['block 5']:.3f} | {r['MK normal']:.3f} | "
              f"{r['token GLM']:.3f} |  <!-- {time.time() - t0:.0f}s -->", flush=True)
