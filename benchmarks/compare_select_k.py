"""Compare two select_k grids saved by ``bench_select_k.py --save``: each figure before and
after, the change in units of its sd (issue 31: a speed change must keep the figures within
their spread), and choose_k's K.

    python benchmarks/bench_select_k.py --skip-ref --save after.json
    python benchmarks/compare_select_k.py before.json after.json

A figure with an sd column (``<name>_sd``: across seeds, splits or shuffles) is compared in
units of the larger of the two runs' sds; ``stability_mean`` (no sd) is shown as is.
"""
from __future__ import annotations

import argparse
import json
import sys

FIGURES = ["c_npmi", "c_v", "u_mass", "diversity", "stability", "resample_stability",
           "term_overlap", "heldout_loglik", "stability_chance", "resample_chance",
           "term_overlap_chance"]


def _table(path: str) -> tuple[dict, dict]:
    with open(path) as f:
        res = json.load(f)
    run = res["this"]
    return run["full"], run


def _column(t: dict, name: str):
    for c in (f"{name}_mean", name):
        if c in t:
            return t[c]
    return None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before")
    p.add_argument("after")
    args = p.parse_args(argv)
    (a, ra), (b, rb) = _table(args.before), _table(args.after)
    print(f"before: {ra['seconds']:.0f} s wall, {ra['cpu_seconds']:.0f} CPU s; choose_k "
          f"{ra.get('choose_k')}")
    print(f"after:  {rb['seconds']:.0f} s wall, {rb['cpu_seconds']:.0f} CPU s; choose_k "
          f"{rb.get('choose_k')}")
    ks = [int(k) for k in a["k"]]
    print("\n| figure | " + " | ".join(f"K = {k}" for k in ks) + " |")
    print("| --- |" + " ---: |" * len(ks))
    worst = []
    for name in FIGURES:
        va, vb = _column(a, name), _column(b, name)
        if va is None or vb is None:
            continue
        sa, sb = a.get(f"{name}_sd"), b.get(f"{name}_sd")
        cells = []
        for i in range(len(ks)):
            x, y = va[i], vb[i]
            if x is None or y is None or x != x or y != y:
                cells.append(f"{x} → {y}")
                continue
            cell = f"{x:.3f} → {y:.3f}"
            sds = [s[i] for s in (sa, sb) if s is not None and s[i] == s[i]]
            if sds and max(sds) > 0:
                z = (y - x) / max(sds)
                cell += f" ({z:+.1f} sd)"
                worst.append((abs(z), name, ks[i]))
            cells.append(cell)
        print(f"| {name} | " + " | ".join(cells) + " |")
    if worst:
        z, name, k = max(worst)
        print(f"\nlargest move: {name} at K = {k}, {z:.1f} sd; "
              f"{sum(w[0] <= 1 for w in worst)} of {len(worst)} figures within 1 sd")
    return 0


if __name__ == "__main__":
    sys.exit(main())
