"""Where select_k's seconds go: CPU seconds of each kind of work at one K (issue 31).

    python benchmarks/profile_select_k.py [--k 20]

On the 52 national work reports (paragraphs), one process, the fits of one K as select_k
makes them (``SELECT_K_ITERATIONS`` sweeps, NMF starts of ``SELECT_K_NMF_ITER``
iterations): a full fit (every seed: the NMF start computed for the first and reused), a
half (of the first seed's split)
with its held-out scoring, a shuffled half, and the coherence of two models' topics, each
measure. CPU seconds (``time.process_time``), so the figures hold on a busy machine; BLAS
single-threaded, as in select_k's worker processes (joblib gives each of 2 workers one
thread; with two threads the NMF's CPU seconds double, spent waiting). Per K select_k makes
2 full fits, 4 half fits with 4 held-out scorings and 6 shuffled-half fits (9 with
``cross_seed_chance=True``), and coherence once for the grid.
"""
from __future__ import annotations

import argparse
import time
import warnings

import bri_text as bt
from bri_text.topics import _priors
from bri_text.topics import _select_k as sk
from bri_text.topics._common import _coherences, _prepare_units, _PreparedTokens
from bri_text.topics._stats import half_split


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--k", type=int, default=20)
    args = p.parse_args(argv)
    warnings.simplefilter("ignore")
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    units, raw = _prepare_units(bt.tokenize(bt.load_work_reports()), "paragraph")
    shared = _PreparedTokens(units, raw, "all", None)
    groups, _ = sk._split_groups(units)
    mask = half_split(groups, 1)
    params = {"iterations": sk.SELECT_K_ITERATIONS["tomotopy"], "progress": False, "n_jobs": 1}
    nmf = [0.0]
    shares = _priors._nmf_shares

    def timed(*a):
        t = time.process_time()
        out = shares(*a)
        nmf[0] += time.process_time() - t
        return out

    _priors._nmf_shares = timed
    print(f"K = {args.k}; {len(raw)} paragraphs, {sum(map(len, raw))} tokens; CPU seconds")

    def fit(data, seed, what):
        nmf[0] = 0.0
        t = time.process_time()
        m = sk._fit(data, args.k, seed, params)
        total = time.process_time() - t
        print(f"{what:<32} {total:6.1f}  (NMF start {nmf[0]:4.1f}, sampler {total - nmf[0]:5.1f})")
        return m

    m1 = fit(shared, 1, "full fit, seed 1")
    m2 = fit(shared, 2, "full fit, seed 2 (NMF cached)")
    half_a, half_b = sk._subset(shared, mask, "a"), sk._subset(shared, ~mask, "b")
    ma = fit(half_a, 1, "half fit")
    t = time.process_time()
    sk._heldout_loglik(ma, half_b)
    print(f"{'held-out scoring of a half':<32} {time.process_time() - t:6.1f}")
    shuffled = _PreparedTokens(units, sk._shuffled(raw, 0), "null", None)
    fit(sk._subset(shuffled, mask, "a"), 1, "shuffled half fit")
    fit(sk._subset(shuffled, mask, "a"), 2, "shuffled half fit (NMF cached)")
    tops = m1._top_lists(10) + m2._top_lists(10)
    for meas in ("c_npmi", "c_v", "u_mass"):
        t = time.process_time()
        _coherences(tops, raw, [meas], 10)
        print(f"{'coherence ' + meas + ' (2 models)':<32} {time.process_time() - t:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
