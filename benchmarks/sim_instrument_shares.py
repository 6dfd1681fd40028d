"""Coverage of bt.instrument_shares intervals when clauses are clustered in documents
(audit s39; docs/STATISTICS.md, "Instrument shares").

A group of D documents; document d has its own share of supply clauses pi_d ~ Beta(a, b)
(mean 0.4), 10-40 instrument clauses, each supply with prob pi_d (else demand/environment).
The group's population share is the clause-weighted mean E[n pi]/E[n] = 0.4 (n independent
of pi). Intervals: resample='two-stage' (default) and 'unit' (clauses as independent).

    python benchmarks/sim_instrument_shares.py [reps]     # 1000: about 90 s
"""
import sys
import time
import warnings
import numpy as np
import pandas as pd
import bri_text as bt

def sample(rng, D, conc):
    pi = rng.beta(0.4 * conc, 0.6 * conc, D)
    rows = []
    for d in range(D):
        n = rng.integers(10, 41)
        sup = rng.random(n) < pi[d]
        other = np.where(rng.random(n) < 0.5, "D_trade", "E_tax")
        codes = np.where(sup, "S_talent", other)
        rows += [(f"d{d}#c{k}", f"d{d}", "g", c) for k, c in enumerate(codes)]
    return pd.DataFrame(rows, columns=["doc_id", "parent_id", "grp", "code"])

def run(D, conc, reps, n_boot, resample, seed=0):
    rng = np.random.default_rng(seed)
    hit = low = nan = 0; width = []
    for _ in range(reps):
        df = sample(rng, D, conc)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = bt.instrument_shares(df, by="grp", n_boot=n_boot, resample=resample,
                                     random_state=int(rng.integers(2**31)))
        r = t[t.code == "S_talent"].iloc[0]
        if np.isnan(r.ci_low):
            nan += 1; continue
        hit += r.ci_low <= 0.4 <= r.ci_high
        low += r.ci_high < 0.4
        width.append(r.ci_high - r.ci_low)
    k = reps - nan
    return hit / max(k, 1), low / max(k, 1), np.mean(width) if width else np.nan, nan / reps

if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    n_boot = 500
    print(f"reps={reps}, n_boot={n_boot}, true share 0.4, doc shares Beta(0.4c, 0.6c)")
    for conc in (5.0,):
        for D in (3, 4, 5, 10, 20):
            for resample in ("two-stage", "unit"):
                t0 = time.time()
                c, lo, w, nn = run(D, conc, reps, n_boot, resample)
                print(f"c={conc} D={D:>2} {resample:>9}: coverage {c:.3f} (interval below truth {lo:.3f}) "
                      f"width {w:.2f} NaN {nn:.2f} ({time.time()-t0:.0f}s)")
