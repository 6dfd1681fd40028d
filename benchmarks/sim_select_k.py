"""select_k's stability measures and their chance lines (issues 19 and 31; figures in
docs/STATISTICS.md).

For the built-in corpus (paragraphs, default tokenizer) and K in ``--ks``, ``select_k`` with
seeds 1-3: cross-seed stability (``stability_mean``) beside its chance line
(``stability_chance``: two seeds on half of the units with their tokens shuffled across the
corpus; mean and sd over 3 shuffles), and resampling over one document half-split per seed
(``resample_stability``, ``term_overlap``, each beside the shuffled halves' value), and
held-out per-token log-likelihood.

    python benchmarks/sim_select_k.py [--ks 6 10 14] [--iterations 1000] [--init random]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402
from bri_text.errors import ParameterError  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ks", type=int, nargs="+", default=[6, 10, 14])
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--init", default="nmf", choices=["nmf", "random"])
    args = ap.parse_args()
    t0 = time.time()
    toks = bt.tokenize(bt.load_bri_policies().reshape("paragraph"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        grid = bt.select_k(toks, ks=args.ks, seeds=(1, 2, 3), progress=False, n_jobs=-1,
                           iterations=args.iterations, measures=("u_mass",), init=args.init,
                           cross_seed_chance=True)
    print(f"init={args.init!r}, {args.iterations} iterations")
    print("| K | cross-seed stability | chance (sd) | resampling stability (sd) | chance (sd) "
          "| top-10 overlap (sd) | chance (sd) | held-out log-lik. per token (sd) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for _, r in grid.iterrows():
        print(f"| {int(r['k'])} | {r['stability_mean']:.3f} | {r['stability_chance']:.3f} "
              f"({r['stability_chance_sd']:.3f}) | {r['resample_stability_mean']:.3f} "
              f"({r['resample_stability_sd']:.3f}) | {r['resample_chance']:.3f} "
              f"({r['resample_chance_sd']:.3f}) | {r['term_overlap_mean']:.3f} "
              f"({r['term_overlap_sd']:.3f}) | {r['term_overlap_chance']:.3f} "
              f"({r['term_overlap_chance_sd']:.3f}) | {r['heldout_loglik_mean']:.3f} "
              f"({r['heldout_loglik_sd']:.3f}) |")
    try:
        print(f"choose_k: K = {bt.choose_k(grid)}")
    except ParameterError as e:
        print(f"choose_k: {e}")
    print(f"{time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
