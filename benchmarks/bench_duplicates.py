"""Speed and recall of ``Corpus.duplicates`` (issue 29 §3) beside rapidfuzz, in one run.

    PYTHONPATH=$PWD python benchmarks/bench_duplicates.py [--docs 300] [--chars 10000]

The corpus: ``--docs`` documents of ``--chars`` characters cut from the 52 national work
reports (cycled), every copy after the first 52 changed in 30 random characters (a near
duplicate of its original); plus 10 exact copies. Measured: ``corpus.duplicates(0.9)``
(exact Jaccard of 5-character shingles, one sparse product) and, as the baseline a reader
might write, rapidfuzz's ``fuzz.ratio`` over every pair (timed on 300 pairs and scaled to
all pairs: the full loop takes minutes). The best of three runs is kept; the load average
is printed beside the figures (a shared machine moves absolute times).

Target: the 300 x 10k corpus in under 5 s, every planted copy found, no false pair.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--chars", type=int, default=10_000)
    args = ap.parse_args()

    import bri_text as bt

    base = [t[:args.chars] for t in bt.load_work_reports().texts]
    rng = np.random.default_rng(0)
    texts, origin = [], []
    for i in range(args.docs - 10):
        t = base[i % len(base)]
        if i >= len(base):
            chars = list(t)
            for k in rng.integers(0, len(chars), 30):
                chars[k] = "某"
            t = "".join(chars)
        texts.append(t)
        origin.append(i % len(base))
    for i in range(10):  # exact copies
        texts.append(texts[i * 7])
        origin.append(origin[i * 7])
    corpus = bt.Corpus.from_dataframe(pd.DataFrame({"text": texts}))

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        found = corpus.duplicates(threshold=0.9)
        best = min(best, time.perf_counter() - t0)
    idx = {d: i for i, d in enumerate(corpus.doc_ids)}
    planted = sum(1 for i in range(len(texts)) if origin.index(origin[i]) != i)
    wrong = sum(origin[idx[a]] != origin[idx[b]]
                for a, b in zip(found["doc_id"], found["duplicate_of"]))

    from rapidfuzz import fuzz

    pairs = [(i, j) for i in range(len(texts)) for j in range(i)]
    sample = [pairs[k] for k in rng.choice(len(pairs), 300, replace=False)]
    t0 = time.perf_counter()
    for i, j in sample:
        fuzz.ratio(texts[i], texts[j])
    per_pair = (time.perf_counter() - t0) / len(sample)

    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"{'measure':<44}{'figure':>12}{'target':>14}")
    print(f"{'corpus.duplicates(0.9), seconds':<44}{best:>12.2f}{'< 5':>14}")
    print(f"{'rapidfuzz ratio, all pairs (scaled), s':<44}{per_pair * len(pairs):>12.1f}"
          f"{'baseline':>14}")
    print(f"{'planted copies found':<44}{len(found):>8} of {planted:<3}{'all':>14}")
    print(f"{'pairs of different originals':<44}{wrong:>12}{'0':>14}")
    print(f"({len(texts)} documents x {args.chars:,} characters; "
          f"{(found['kind'] == 'exact').sum()} exact, {(found['kind'] == 'near').sum()} near)")


if __name__ == "__main__":
    main()
