"""Agreement coefficients of bt.reliability: equality with the reference implementations,
coverage of the bootstrap intervals, and time (issue 32, part 4).

1. Equality: on random codes with missing values (3 coders, 4 codes, 250 units, 5 seeds),
   the largest absolute difference from scikit-learn's ``cohen_kappa_score``, statsmodels'
   ``fleiss_kappa`` and the ``krippendorff`` package (nominal and ordinal), and of the
   weighted kappa (linear and quadratic, the codes in order) from ``cohen_kappa_score``.
   Target: <= 1e-9.
2. Coverage: two coders code n units drawn from a known joint distribution of three codes
   (Rothwell–Zegveld-like shares 0.50 / 0.33 / 0.17, 75% agreement; 5% of the second
   coder's codes missing at random). The population values: Cohen's kappa
   (p_o - p_e) / (1 - p_e) = 0.5939, Krippendorff's alpha 1 - D_o / D_e = 0.5938 (its
   large-sample value) and, the three codes read as an ordered scale, the quadratic
   weighted kappa 1 - sum(w p) / sum(w r c) = 0.6414. For each n: ``--reps`` samples,
   the percentile interval from ``--n-boot`` replicates over units, nominal 95%; coverage =
   share of intervals holding the population value. Target: 0.93-0.97 from n = 100 units.
4. Clustered units (audit s39): D documents x m clauses; in document d both coders give
   the same code (drawn from shares 0.50 / 0.33 / 0.17) with probability a_d ~ Beta(mean
   0.6, sd), else each draws a code independently, so the population kappa = alpha =
   E[a_d] = 0.6 (equal margins). Coverage of the 95% interval over units
   (``resample="unit"``) and over documents (the default when the units' documents are
   known: ``"two-stage"``, expanded percentile). Target 0.93-0.97.
3. Time of one call (300 units, 2 coders, 16 codes, n_boot=1000, per-code rows), beside
   the same replicates computed with scikit-learn and krippendorff in a loop (100
   replicates, scaled to 1000).

    python benchmarks/sim_reliability.py [--reps 400] [--n-boot 1000] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402

JOINT = np.array([[0.40, 0.07, 0.03],
                  [0.06, 0.24, 0.03],
                  [0.02, 0.04, 0.11]])
CODES = ["supply", "environment", "demand"]


def population():
    p_o = np.trace(JOINT)
    p_e = JOINT.sum(axis=1) @ JOINT.sum(axis=0)
    pooled = (JOINT.sum(axis=1) + JOINT.sum(axis=0)) / 2
    w = np.subtract.outer(np.arange(3), np.arange(3)) ** 2.0
    expected = np.outer(JOINT.sum(axis=1), JOINT.sum(axis=0))
    return {"cohen_kappa": (p_o - p_e) / (1 - p_e),
            "krippendorff_alpha": 1 - (1 - p_o) / (1 - pooled @ pooled),
            "weighted_kappa": 1 - (w * JOINT).sum() / (w * expected).sum()}


def sample(rng, n):
    cells = rng.choice(9, n, p=JOINT.ravel())
    codes = np.array(CODES, dtype=object)
    second = codes[cells % 3]
    second[rng.random(n) < 0.05] = None
    return pd.DataFrame({"wang": codes[cells // 3], "li": second})


def equality(seeds=range(5)):
    import krippendorff
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    worst = 0.0
    domain = ["S", "E", "D", "N"]
    for seed in seeds:
        rng = np.random.default_rng(seed)
        data = rng.choice(domain, (250, 3), p=[0.4, 0.3, 0.2, 0.1]).astype(object)
        for j in (1, 2):
            copy = rng.random(250) < 0.6
            data[copy, j] = data[copy, 0]
        data[rng.random((250, 3)) < 0.12] = None
        df = pd.DataFrame(data, columns=["a", "b", "c"])
        rd = np.array([[np.nan if pd.isna(v) else domain.index(v) for v in df[c]]
                       for c in df], dtype=float)
        est = bt.reliability(df, n_boot=0, order=domain, by_code=False)["estimate"]
        ordinal = bt.reliability(df, n_boot=0, order=domain, level="ordinal",
                                 by_code=False)["estimate"]
        both = df[["a", "b"]].dropna()
        pair = bt.reliability(df[["a", "b"]], n_boot=0, by_code=False)["estimate"]
        for weights in ("linear", "quadratic"):
            wk = bt.reliability(df[["a", "b"]], n_boot=0, by_code=False, order=domain,
                                weights=weights)["estimate"][("(all)", "weighted_kappa")]
            worst = max(worst, abs(wk - cohen_kappa_score(both.a, both.b, weights=weights,
                                                          labels=domain)))
        worst = max(worst, abs(est[("(all)", "krippendorff_alpha")]
                               - krippendorff.alpha(rd, level_of_measurement="nominal")),
                    abs(ordinal[("(all)", "krippendorff_alpha")]
                        - krippendorff.alpha(rd, level_of_measurement="ordinal",
                                             value_domain=range(4))),
                    abs(est[("(all)", "fleiss_kappa")]
                        - fleiss_kappa(aggregate_raters(df.dropna().to_numpy())[0])),
                    abs(pair[("(all)", "cohen_kappa")] - cohen_kappa_score(both.a, both.b)))
    return worst


def coverage(n, reps, n_boot, rng):
    truth = population()
    hits = {k: 0 for k in truth}
    width = {k: [] for k in truth}
    for r in range(reps):
        table = bt.reliability(sample(rng, n), n_boot=n_boot, by_code=False, order=CODES,
                               weights="quadratic", random_state=int(rng.integers(2**31)))
        for k, value in truth.items():
            low, high = table.loc[("(all)", k), ["ci_low", "ci_high"]]
            hits[k] += bool(low <= value <= high)
            width[k].append(high - low)
    return {k: (hits[k] / reps, float(np.mean(width[k]))) for k in truth}


def clustered_sample(rng, D, m, mean_a=0.6, sd_a=0.25):
    p = np.array([0.50, 0.33, 0.17])
    if sd_a:
        k = mean_a * (1 - mean_a) / sd_a ** 2 - 1
        a = rng.beta(mean_a * k, (1 - mean_a) * k, D)
    else:
        a = np.full(D, mean_a)
    doc = np.repeat(np.arange(D), m)
    same = rng.random(D * m) < a[doc]
    first = rng.choice(3, D * m, p=p)
    second = np.where(same, first, rng.choice(3, D * m, p=p))
    first = np.where(same, first, rng.choice(3, D * m, p=p))
    codes = np.array(CODES, dtype=object)
    ids = [f"d{d}#c{k}" for d in range(D) for k in range(m)]
    return pd.DataFrame({"wang": codes[first], "li": codes[second]}, index=ids)


def clustered(D, m, sd_a, reps, n_boot, rng):
    """Coverage and mean width of kappa's interval, resample="unit" and the default."""
    out = {}
    for scheme in ("unit", None):
        hits, width = 0, []
        r = np.random.default_rng(rng.integers(2**31))
        for _ in range(reps):
            df = clustered_sample(r, D, m, sd_a=sd_a)
            table = bt.reliability(df, n_boot=n_boot, by_code=False, order=CODES,
                                   resample=scheme, random_state=int(r.integers(2**31)))
            low, high = table.loc[("(all)", "cohen_kappa"), ["ci_low", "ci_high"]]
            hits += bool(low <= 0.6 <= high)
            width.append(high - low)
        out[scheme or "default"] = (hits / reps, float(np.nanmean(width)))
    return out


def timing():
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(0)
    codes = np.array([f"c{i}" for i in range(16)], dtype=object)
    first = rng.integers(0, 16, 300)
    df = pd.DataFrame({"wang": codes[first],
                       "li": codes[np.where(rng.random(300) < 0.75, first,
                                            rng.integers(0, 16, 300))]})
    t0 = time.perf_counter()
    bt.reliability(df, n_boot=1000)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    x = np.array([[int(v[1:]) for v in df[c]] for c in df], dtype=float)
    for _ in range(100):
        i = rng.integers(0, 300, 300)
        cohen_kappa_score(df.wang.to_numpy()[i], df.li.to_numpy()[i])
        krippendorff.alpha(x[:, i], level_of_measurement="nominal")
    loop = (time.perf_counter() - t0) * 10
    return ours, loop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    print(f"1. largest difference from the reference implementations: {equality():.2e} "
          "(target <= 1e-9)")
    truth = population()
    print(f"\n2. coverage of the 95% percentile interval over units ({args.reps} samples, "
          f"{args.n_boot} replicates; population kappa {truth['cohen_kappa']:.4f}, "
          f"alpha {truth['krippendorff_alpha']:.4f}, quadratic weighted kappa "
          f"{truth['weighted_kappa']:.4f}; target 0.93-0.97 from n = 100)")
    print(f"{'units':>6} {'kappa coverage':>15} {'width':>7} {'alpha coverage':>15} {'width':>7}"
          f" {'weighted coverage':>18} {'width':>7}")
    for n in (30, 100, 300):
        res = coverage(n, args.reps, args.n_boot, rng)
        k, a, w = res["cohen_kappa"], res["krippendorff_alpha"], res["weighted_kappa"]
        print(f"{n:>6} {k[0]:>15.3f} {k[1]:>7.3f} {a[0]:>15.3f} {a[1]:>7.3f}"
              f" {w[0]:>18.3f} {w[1]:>7.3f}")
    print(f"\n4. clustered units: coverage of kappa's 95% interval (population 0.6; "
          f"{args.reps} samples, {args.n_boot} replicates; target 0.93-0.97)")
    print(f"{'D':>3} {'m':>3} {'sd a_d':>6} {'unit coverage':>14} {'width':>6} "
          f"{'documents (default)':>20} {'width':>6}")
    for D, m, sd in ((10, 30, 0.0), (10, 30, 0.15), (10, 30, 0.25), (20, 15, 0.25),
                     (5, 60, 0.25), (100, 3, 0.25)):
        res = clustered(D, m, sd, args.reps, args.n_boot, rng)
        u, d = res["unit"], res["default"]
        print(f"{D:>3} {m:>3} {sd:>6.2f} {u[0]:>14.3f} {u[1]:>6.3f} {d[0]:>20.3f} {d[1]:>6.3f}")
    ours, loop = timing()
    print(f"\n3. one call, 300 units, 16 codes, n_boot=1000 with per-code rows: {ours:.2f} s; "
          f"kappa and alpha alone by scikit-learn + krippendorff in a loop: {loop:.2f} s "
          f"(ratio {loop / ours:.0f}x)")


if __name__ == "__main__":
    main()
