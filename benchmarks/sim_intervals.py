"""Coverage and width of bootstrap intervals for groups of few documents (issue 19;
table in docs/STATISTICS.md).

The simulated province of tests/test_stats.py: true category share 0.3; each of D
documents has its own share ~ Beta(1.5, 3.5) (paragraphs of a document are correlated
through it), 10-40 paragraphs per document, 1 + Poisson(2) mentions per paragraph. The
estimate is the pooled share (category mentions / all mentions), as in bt.orientation /
bt.profile. For each D: ``--reps`` simulated provinces, ``--n-boot`` two-stage replicates,
nominal 95%. Methods:

- ``percentile``: quantiles 2.5% / 97.5% of the replicates (the library before 0.2.0);
- ``expanded``: Hesterberg's expanded percentile interval (2015, "What teachers should
  know about the bootstrap", The American Statistician 69(4)): the quantiles at
  Phi(+-sqrt(D / (D - 1)) t_{0.975, D-1}), which corrects the percentile method's two
  small-sample faults (bootstrap variance (D-1)/D of the true one; z instead of t);
- ``bca``: bias-corrected and accelerated (Efron 1987), acceleration from the jackknife
  over documents;
- ``logit-t``: no bootstrap; logit(estimate) +- t_{0.975, D-1} * SE, SE from the
  documents' linearised contributions to the ratio (cluster-robust, D / (D - 1) factor),
  back-transformed (stays in [0, 1]);
- ``beta-binomial``: per-document shares fitted by a beta-binomial model (method of
  moments, documents weighted by their mentions), interval for the mean share on the
  logit scale with t_{D-1};
- ``library``: what ``bri_text._stats.Intervals`` reports (0.3.1): ``expanded`` from 4
  documents on; with 3 documents estimate +- t_{2} sqrt(3 / 2) SE, SE from the document
  bootstrap computed exactly (all 10 resamples of the documents enumerated), the low end
  kept at 0; none with 2.

    python benchmarks/sim_intervals.py [--reps 400] [--n-boot 1000] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bri_text import _stats  # noqa: E402

SHARE = 0.3


def province(rng, n_docs, share=SHARE, concentration=5.0):
    sizes = rng.integers(10, 41, n_docs)
    p_doc = rng.beta(share * concentration, (1 - share) * concentration, n_docs)
    codes = np.repeat(np.arange(n_docs), sizes)
    n = 1 + rng.poisson(2.0, len(codes))
    return codes, rng.binomial(n, p_doc[codes]), n


def intervals(codes, x, n, n_boot, rng, level=0.95):
    D = codes.max() + 1
    est = x.sum() / n.sum()
    w = _stats.resample_weights(codes, n_boot, "two-stage", rng)
    den = w @ n
    reps = np.where(den > 0, (w @ x) / np.where(den > 0, den, 1), np.nan)
    reps = reps[np.isfinite(reps)]
    a = (1 - level) / 2
    out = {"percentile": tuple(np.quantile(reps, [a, 1 - a]))}
    tq = stats.t.ppf(1 - a, D - 1)
    a2 = stats.norm.cdf(-np.sqrt(D / (D - 1)) * tq)
    out["expanded"] = tuple(np.quantile(reps, [a2, 1 - a2]))
    # BCa: bias from the replicates, acceleration from the leave-one-document-out jackknife
    xd = np.bincount(codes, x, D)
    nd = np.bincount(codes, n, D)
    jack = (xd.sum() - xd) / (nd.sum() - nd)
    u = jack.mean() - jack
    acc = (u ** 3).sum() / (6 * ((u ** 2).sum()) ** 1.5) if (u ** 2).sum() > 0 else 0.0
    prop = np.clip(np.mean(reps < est) + 0.5 * np.mean(reps == est), 1e-6, 1 - 1e-6)
    z0 = stats.norm.ppf(prop)
    zs = stats.norm.ppf([a, 1 - a])
    adj = stats.norm.cdf(z0 + (z0 + zs) / (1 - acc * (z0 + zs)))
    out["bca"] = tuple(np.quantile(reps, adj))
    # logit-t: linearised ratio, cluster-robust
    infl = (xd - est * nd) / nd.sum()
    se = np.sqrt(D / (D - 1) * (infl ** 2).sum())
    if 0 < est < 1:
        sl = se / (est * (1 - est))
        lg = np.log(est / (1 - est))
        out["logit-t"] = tuple(1 / (1 + np.exp(-(lg + s * tq * sl))) for s in (-1, 1))
    else:
        out["logit-t"] = (est, est)
    # beta-binomial (method of moments, mention weights), mean share on the logit scale
    pd_ = xd / nd
    wts = nd / nd.sum()
    mu = (wts * pd_).sum()
    s2 = (wts * (pd_ - mu) ** 2).sum() * D / (D - 1)
    nbar = nd.mean()
    rho = (min(1.0, max(0.0, (s2 * nbar / (mu * (1 - mu)) - 1) / (nbar - 1)))
           if 0 < mu < 1 and nbar > 1 else 0.0)
    var = mu * (1 - mu) * (nd * (1 + (nd - 1) * rho)).sum() / nd.sum() ** 2
    if 0 < mu < 1:
        sl = np.sqrt(var) / (mu * (1 - mu))
        lg = np.log(mu / (1 - mu))
        out["beta-binomial"] = tuple(1 / (1 + np.exp(-(lg + s * tq * sl))) for s in (-1, 1))
    else:
        out["beta-binomial"] = (mu, mu)
    # what the library reports (bri_text._stats.Intervals): the expanded percentile
    # interval from 4 documents on, a t interval over documents (SE from the exact
    # document bootstrap) with 3, none with 2
    if D >= 3:
        iv = _stats.Intervals("two-stage", n_boot, level, rng)
        lo, hi, _, _ = iv.group(0, x[:, None].astype(float), n.astype(float), codes,
                                np.array([est]))
        out["library"] = (float(lo[0]), float(hi[0]))
    return out


def run(d_values, reps, n_boot, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for D in d_values:
        hits, widths, below = {}, {}, {}
        for _ in range(reps):
            codes, x, n = province(rng, D)
            for name, (lo, hi) in intervals(codes, x, n, n_boot, rng).items():
                hits.setdefault(name, []).append(lo <= SHARE <= hi)
                below.setdefault(name, []).append(hi < SHARE)
                widths.setdefault(name, []).append(hi - lo)
        for name in hits:
            rows.append((D, name, np.mean(hits[name]), np.mean(below[name]),
                         np.mean(widths[name])))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--docs", type=int, nargs="+", default=[2, 3, 5, 10, 20])
    args = ap.parse_args()
    t0 = time.time()
    print(f"{'docs':>4}  {'method':14s} {'coverage':>8} {'miss low':>8} {'mean width':>10}")
    for D, name, cov, low, width in run(args.docs, args.reps, args.n_boot, args.seed):
        print(f"{D:4d}  {name:14s} {cov:8.3f} {low:8.3f} {width:10.3f}")
    print(f"{time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
