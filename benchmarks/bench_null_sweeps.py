"""Can select_k's chance lines be fitted with fewer sweeps? (issue 31, speed)

    python benchmarks/bench_null_sweeps.py [--ks 10] [--sweeps 300 100]

On the 52 national work reports (paragraphs), the null jobs of ``select_k`` (three shuffled
corpora, each split as seed 1's split; halves fitted with seeds 1 and 2) at each number of
sweeps: mean and sd over the shuffles of the three chance lines (cross-seed agreement,
matched similarity of the halves, their top-10 overlap). Fewer sweeps are acceptable only
if every line stays within its sd of the line at select_k's sweeps.
"""
from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np

import bri_text as bt
from bri_text.topics import _select_k as sk
from bri_text.topics._common import _prepare_units, _PreparedTokens
from bri_text.topics._stats import half_split


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ks", type=int, nargs="+", default=[10])
    p.add_argument("--sweeps", type=int, nargs="+", default=[300, 100])
    args = p.parse_args(argv)
    warnings.simplefilter("ignore")
    units, raw = _prepare_units(bt.tokenize(bt.load_work_reports()), "paragraph")
    groups, _ = sk._split_groups(units)
    mask = half_split(groups, 1)
    for k in args.ks:
        for it in args.sweeps:
            params = {"iterations": it, "progress": False, "n_jobs": 1}
            res, t = [], time.process_time()
            for r in range(sk.N_NULL):
                sh = _PreparedTokens(units, sk._shuffled(raw, sk.NULL_SEED + r), f"x{r}", None)
                a, b = sk._subset(sh, mask, "a"), sk._subset(sh, ~mask, "b")
                ma, mb, ma2 = (sk._run(sk._fit(d, k, s, params), 10)
                               for d, s in ((a, 1), (b, 1), (a, 2)))
                res.append((sk._similarity(ma, ma2)[0], *sk._similarity(ma, mb)))
            res = np.array(res)
            print(json.dumps({"k": k, "sweeps": it, "cpu_seconds": round(time.process_time() - t),
                              "cross_seed/resample/overlap mean": res.mean(0).round(4).tolist(),
                              "sd": res.std(0, ddof=1).round(4).tolist()}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
