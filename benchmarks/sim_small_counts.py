"""Coverage of term_trends' within-document interval when a year has a few mentions (audit
s41; table in benchmarks/TRENDS.md, "Few mentions").

Generating model: one national work report, the 2019 report's 113 paragraphs with their
real token counts T_p (T = sum). A term is expected m times in the report (the truth is
the rate m / T x 10^4). Mentions come in *events*: paragraph p has Poisson(m / b x T_p / T
x G_p) events, G_p ~ Gamma(k, mean 1) its emphasis (overdispersion across paragraphs; k =
inf: none), and each event is 1 + Poisson(b - 1) mentions (b = 1: single mentions; the
real terms of the work reports have 1.0-1.7 mentions per mentioning paragraph). The
interval is term_trends' with ``resample="unit"`` (paragraphs drawn with replacement, as
notebook 07 draws the work reports), level 95%, n_boot 1000:

- ``before``: the percentile interval of the bootstrap; a zero count [0, Clopper-Pearson
  upper for 0 of the report's tokens] (0.5.0-0.5.x);
- ``poisson``: the bootstrap interval widened to the exact Poisson (Garwood) interval of
  the count (mentions as independent), zero rule as before;
- ``now``: the bootstrap interval widened to the exact Poisson interval of the effective
  count c / deff scaled back by deff, deff = max(1, linearised variance of the count over
  the paragraphs / c) (Korn & Graubard 1998); a zero count [0, CP upper for 0 of the
  report's paragraphs x paragraphs x b^], b^ the term's mentions per mentioning paragraph
  over the table (here: this report and one other report of the same term with 10
  expected mentions, as term_trends pools the term's years).

Columns: coverage of the true rate (Monte Carlo SE about 0.007 at 0.95 with 1,000
reports), the share missed because the interval is below the truth, and the mean width
of ``now`` relative to ``before``. Part B gives, for each model, the expected count at
which a report has no mention with probability 0.025 (the honest 95% zero bound, in
mentions, exact from the model) beside the two rules' bounds.

    python benchmarks/sim_small_counts.py [--reps 1000] [--n-boot 1000] [--seed 0]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy import optimize

import bri_text as bt
from bri_text import _stats

MODELS = [("Poisson (k = inf, b = 1)", None, 1.0),
          ("paragraph emphasis k = 1", 1.0, 1.0),
          ("paragraph emphasis k = 0.3", 0.3, 1.0),
          ("bursts b = 1.5, k = 1", 1.0, 1.5),
          ("bursts b = 1.5, k = 0.3", 0.3, 1.5)]
EXPECTED = (1, 2, 4, 6, 8, 12, 20, 50, 200)


def paragraphs_2019():
    r = bt.load_work_reports().subset(year=[2019])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = bt.tokenize(r.reshape("paragraph"), progress=False)
    t = np.asarray(bt.dtm(tok).counts.sum(axis=1)).ravel().astype(float)
    return t[t > 0]


def report(rng, tokens, m, k, b):
    """Mentions per paragraph of one simulated report."""
    g = np.ones(len(tokens)) if k is None else rng.gamma(k, 1 / k, len(tokens))
    events = rng.poisson(m / b * tokens / tokens.sum() * g)
    extra = rng.poisson((b - 1) * events) if b > 1 else 0
    return (events + extra).astype(float)


def intervals(c, tokens, n_boot, rng, b_hat, ci=0.95):
    """{method: (low, high)} per 10k tokens for one report's paragraph counts ``c``."""
    T, n = tokens.sum(), len(tokens)
    total = c.sum()
    est = np.array([total / T * 1e4])
    iv = _stats.Intervals("unit", n_boot, ci, rng)
    lo, hi, _, _ = iv.group("r", c[:, None] * 1e4, tokens, np.zeros(n), est)
    out = {}
    z_lo, z_hi, _ = _stats.zero_intervals([total], lo, hi, T, ci, 1e4)
    out["before"] = (z_lo[0], z_hi[0])
    p_lo, p_hi, _ = _stats.small_count_intervals([total], np.nan, z_lo, z_hi, ci, 1e4 / T)
    out["poisson"] = (p_lo[0], p_hi[0])
    var = _stats.cluster_variance(c[:, None], tokens, np.arange(n))
    n_lo, n_hi, _ = _stats.zero_intervals([total], lo, hi, n, ci, n * b_hat / T * 1e4)
    n_lo, n_hi, _ = _stats.small_count_intervals([total], var, n_lo, n_hi, ci, 1e4 / T)
    out["now"] = (n_lo[0], n_hi[0])
    k_lo, k_hi = _stats.count_interval([total], var, ci)      # no bootstrap at all
    out["kg"] = ((k_lo[0] * 1e4 / T, k_hi[0] * 1e4 / T) if total > 0
                 else (n_lo[0], n_hi[0]))
    return out


def part_a(tokens, reps, n_boot, rng):
    T = tokens.sum()
    print(f"\nA. within one report ({len(tokens)} paragraphs, {T:.0f} tokens), "
          f"resample='unit', {reps} reports per row, n_boot {n_boot}")
    print("| model | expected mentions | P(count 0) | coverage before | poisson | now | "
          "missed below: before / now | width now / before | median move | exact alone "
          "(width) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, k, b in MODELS:
        for m in EXPECTED:
            truth = m / T * 1e4
            hit = {"before": 0, "poisson": 0, "now": 0, "kg": 0}
            below = {"before": 0, "now": 0}
            width = {"before": [], "now": [], "kg": []}
            move = []
            zeros = 0
            for _ in range(reps):
                c = report(rng, tokens, m, k, b)
                other = report(rng, tokens, 10, k, b)      # the term's other year
                both = np.concatenate([c, other])
                b_hat = both.sum() / max((both > 0).sum(), 1)
                zeros += c.sum() == 0
                for meth, (lo, hi) in intervals(c, tokens, n_boot, rng, b_hat).items():
                    hit[meth] += lo <= truth <= hi
                    if meth in below:
                        below[meth] += hi < truth
                    if meth in width:
                        width[meth].append(hi - lo)
                    if meth == "before":
                        old = (lo, hi)
                    if meth == "now" and c.sum() > 0:
                        half = max(old[1] - old[0], 1e-12)
                        move.append(max(old[0] - lo, hi - old[1]) / half)
            ratio = np.mean(width["now"]) / np.mean(width["before"])
            ratio_kg = np.mean(width["kg"]) / np.mean(width["before"])
            print(f"| {name} | {m} | {zeros / reps:.3f} | {hit['before'] / reps:.3f} | "
                  f"{hit['poisson'] / reps:.3f} | {hit['now'] / reps:.3f} | "
                  f"{below['before'] / reps:.3f} / {below['now'] / reps:.3f} | {ratio:.2f} | "
                  f"{np.median(move):.3f} | {hit['kg'] / reps:.3f} ({ratio_kg:.2f}) |",
                  flush=True)


def p_zero(m, tokens, k, b):
    """P(no mention in the report) under the model, exactly."""
    mu = m / b * tokens / tokens.sum()
    if k is None:
        return np.exp(-mu.sum())
    return np.exp(-(k * np.log1p(mu / k)).sum())


def part_b(tokens, reps, rng):
    T, n = tokens.sum(), len(tokens)
    print("\nB. The 95% zero bound in mentions: honest (P(count 0) = 0.025 under the model) "
          "and the two rules (b^: mean [5%, 95%] over reports of the term's other year, "
          "10 expected mentions)")
    print("| model | honest bound | before: n = tokens | now: n = paragraphs x b^ |")
    print("| --- | --- | --- | --- |")
    for name, k, b in MODELS:
        honest = optimize.brentq(lambda m: p_zero(m, tokens, k, b) - 0.025, 0.1, 200)
        bounds = []
        for _ in range(reps):
            other = report(rng, tokens, 10, k, b)
            b_hat = other.sum() / max((other > 0).sum(), 1)
            bounds.append(float(_stats.zero_upper(n)) * n * b_hat)
        lo, hi = np.quantile(bounds, [0.05, 0.95])
        print(f"| {name} | {honest:.2f} | {float(_stats.zero_upper(T)) * T:.2f} | "
              f"{np.mean(bounds):.2f} [{lo:.2f}, {hi:.2f}] |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.time()
    rng = np.random.default_rng(args.seed)
    tokens = paragraphs_2019()
    part_b(tokens, args.reps, rng)
    part_a(tokens, args.reps, args.n_boot, rng)
    print(f"\n{time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
