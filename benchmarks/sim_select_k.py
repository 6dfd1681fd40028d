"""select_k's stability baseline (issue 19; figures in docs/STATISTICS.md).

For the built-in corpus (paragraphs, default tokenizer) and K in ``--ks``: the matched
stability of models fitted with seeds 1-3 (``stability_mean``), the former baseline (mean
similarity of the topic pairs the matching left unmatched) and the null-model baseline
now reported as ``stability_chance`` (the same matching on models fitted to the units
with their tokens shuffled across the corpus, seed 0).

    python benchmarks/sim_select_k.py [--ks 6 10 14] [--iterations 1000]
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
from bri_text.topics import _stats as st  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ks", type=int, nargs="+", default=[6, 10, 14])
    ap.add_argument("--iterations", type=int, default=1000)
    args = ap.parse_args()
    t0 = time.time()
    toks = bt.tokenize(bt.load_bri_policies().reshape("paragraph"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        grid = bt.select_k(toks, ks=args.ks, seeds=(1, 2, 3), progress=False,
                           iterations=args.iterations, measures=("u_mass",))
    runs = grid.attrs["runs"]
    print(f"{'K':>3} {'matched':>8} {'unmatched (old)':>16} {'null (new)':>10}")
    for _, row in grid.iterrows():
        # the former baseline, recomputed from fresh fits of the same seeds
        mats, vocabs = [], []
        for seed in (1, 2, 3):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                m = bt.TopicModel(int(row["k"]), random_state=seed,
                                  iterations=args.iterations, progress=False).fit(toks)
            mats.append(m.topic_term_)
            vocabs.append(m.vocabulary_)
        aligned, _ = st.align_vocabularies(mats, vocabs)
        old = st.stability(aligned)[2]
        print(f"{int(row['k']):3d} {row['stability_mean']:8.3f} {old:16.3f} "
              f"{row['stability_chance']:10.3f}")
    print(f"{len(runs)} real fits + null fits, {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
