"""Benchmark (audit s36, finding 3): do two seeded topics of few, rare seeds both hold?

    python benchmarks/bench_seeds_held.py                      # the library's seed prior
    python benchmarks/bench_seeds_held.py --seed-prior 1 10 50 --states 1 2 3

Fits ``TopicModel(8, random_state=s, seed_words=...)`` on the 27 plans' paragraphs for
railway alone ({"铁路": [铁路, 中欧班列]}), railway then space (+ {"航天": [卫星, 北斗]})
and space then railway, and prints per seeded topic ``seed_check_``: the share of its seed
words' tokens its own topic holds (``seed_share``), the topic holding most, and ``held``.
``--seed-prior``: the prior of a seed word in its own topic (the library's value:
``bri_text.topics._priors._SEED_PRIOR``), to see whether a stronger prior holds the
seeds. Results: benchmarks/TOPICS.md, "Seeded topics".
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bri_text as bt  # noqa: E402
import bri_text.topics._priors as tp  # noqa: E402

CASES = {"railway alone": {"铁路": ["铁路", "中欧班列"]},
         "railway, space": {"铁路": ["铁路", "中欧班列"], "航天": ["卫星", "北斗"]},
         "space, railway": {"航天": ["卫星", "北斗"], "铁路": ["铁路", "中欧班列"]}}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed-prior", type=float, nargs="+", default=[tp._SEED_PRIOR])
    p.add_argument("--states", type=int, nargs="+", default=[1])
    args = p.parse_args(argv)
    tok = bt.tokenize(bt.load_bri_policies().reshape("paragraph"))
    t0 = time.time()
    print("seed_prior  random_state  case              per seeded topic: own share -> "
          "densest topic (share), held")
    for prior in args.seed_prior:
        tp._SEED_PRIOR = prior
        for state in args.states:
            for case, seeds in CASES.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m = bt.TopicModel(n_topics=8, random_state=state, seed_words=seeds).fit(tok)
                c = m.seed_check_
                print(f"{prior:10g}  {state:12d}  {case:16s}  " + " | ".join(
                    f"{r.name}: {r.seed_share:.2f} -> {r.densest_topic} ({r.densest_share:.2f})"
                    f" {'held' if r.held else 'NOT HELD'}" for r in c.itertuples()), flush=True)
    print(f"{time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
