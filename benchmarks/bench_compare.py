"""Benchmark: ``bri_text.dtm`` + ``bri_text.keyness`` on a 100,000-paragraph corpus.

The synthetic corpus is built from the seeds: the paragraphs of the built-in corpus (the
27 policy documents of seed 001) and of the four press articles (seeds 000, 002-004, read
and cleaned with ``bri_text.read_files``) are segmented once, then 100,000 paragraphs are
drawn from them with replacement (fixed seed), each keeping its province (``region``); the
target is Guangxi, the reference every other paragraph, the measure log-odds z with the
whole-corpus prior (the defaults).

The baseline is the same computation written by hand with scikit-learn's CountVectorizer
(identity analyzer over the same token lists) and scipy/NumPy: target and reference column
sums, the Monroe et al. z-score, a DataFrame sorted by z. Both are timed in the same run
(alternating, best of ``--repeat``), and their peak memory is measured with tracemalloc in
separate passes (tracemalloc slows the code, so timings are taken without it).

    python benchmarks/bench_compare.py [--n 100000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402
from bri_text.segment import Tokens  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
TARGET = 1.2


def build_corpus(n: int, seed: int = 0) -> Tokens:
    parts = [bt.tokenize(bt.load_bri_policies().reshape("paragraph"))]
    press = sorted(p for p in SEEDS.glob("00[0234]_*.txt"))
    if press:
        corpus = bt.read_files(press)
        parts.append(bt.tokenize(corpus.reshape("paragraph")))
    docs = pd.concat([p.docs.reindex(columns=["doc_id", "region"]) for p in parts],
                     ignore_index=True)
    tokens = [t for p in parts for t in p.tokens]
    spans = [s for p in parts for s in p.spans]
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(tokens), n)
    out_docs = pd.DataFrame({"doc_id": [f"p{i}" for i in range(n)],
                             "text": "", "region": docs["region"].to_numpy()[pick]})
    # each synthetic paragraph gets its own list (as a real corpus would)
    return Tokens(out_docs, [list(tokens[i]) for i in pick], [spans[i] for i in pick],
                  parts[0].config), len(tokens)


def ours(tokens: Tokens) -> pd.DataFrame:
    m = bt.dtm(tokens)
    return bt.keyness(m, target={"region": "广西"})


def _identity(doc):
    return doc


def baseline(tokens: Tokens) -> pd.DataFrame:
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=_identity)
    x = vec.fit_transform(tokens.tokens).tocsr()
    t = (tokens.docs["region"] == "广西").to_numpy()
    a = t.astype(np.int64) @ x
    b = (~t).astype(np.int64) @ x
    total = np.asarray(x.sum(axis=0), dtype=float).ravel()
    n_t, n_r = a.sum(), b.sum()
    keep = (a + b) > 0
    # prior: the compared units' shares, alpha_0 = the tokens compared, split between the
    # sides in proportion to their size (bri_text 0.2.0)
    share = total[keep] / total.sum()
    a, b = a[keep].astype(float), b[keep].astype(float)
    at, ar = share * n_t, share * n_r
    delta = np.log((a + at) / (n_t + n_t - a - at)) - np.log((b + ar) / (n_r + n_r - b - ar))
    z = delta / np.sqrt(1 / (a + at) + 1 / (b + ar))
    out = pd.DataFrame({"term": vec.get_feature_names_out()[keep], "score": z})
    return out.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)


def timed(fn, tokens):
    gc.collect()
    t0 = time.perf_counter()
    result = fn(tokens)
    return time.perf_counter() - t0, result


def peak(fn, tokens) -> float:
    gc.collect()
    tracemalloc.start()
    fn(tokens)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    tokens, n_source = build_corpus(args.n)
    n_tok = sum(map(len, tokens.tokens))
    print(f"corpus: {len(tokens):,} paragraphs drawn from {n_source:,} seed paragraphs, "
          f"{n_tok:,} tokens, {int((tokens.docs.region == '广西').sum()):,} Guangxi "
          f"(built in {time.perf_counter() - t0:.1f} s)")

    warm = Tokens(tokens.docs.iloc[:2000], tokens.tokens[:2000], tokens.spans[:2000],
                  tokens.config)
    ours(warm), baseline(warm)               # imports and first-call costs out of the timing
    ours_t, base_t = [], []
    for _ in range(args.repeat):            # alternate, so drift hits both alike
        dt, res_ours = timed(ours, tokens)
        ours_t.append(dt)
        dt, res_base = timed(baseline, tokens)
        base_t.append(dt)
    # same answer: the same terms, the same z to 1e-9
    assert sorted(res_ours["term"]) == sorted(res_base["term"])
    np.testing.assert_allclose(res_ours.set_index("term").loc[res_base.term, "score"],
                               res_base["score"], rtol=1e-9, atol=1e-9)
    mem_ours, mem_base = peak(ours, tokens), peak(baseline, tokens)

    t_o, t_b = min(ours_t), min(base_t)
    rows = [("time, s (best of %d)" % args.repeat, f"{t_o:.2f}", f"{t_b:.2f}",
             f"{t_o / t_b:.2f}x", f"<= {TARGET}x", "yes" if t_o / t_b <= TARGET else "NO"),
            ("peak memory, MiB (tracemalloc)", f"{mem_ours:.0f}", f"{mem_base:.0f}",
             f"{mem_ours / mem_base:.2f}x", f"<= {TARGET}x",
             "yes" if mem_ours / mem_base <= TARGET else "NO")]
    head = ("figure", "bri_text", "baseline", "ratio", "target", "met")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print(f"all timings, s: bri_text {[round(x, 2) for x in ours_t]}, "
          f"baseline {[round(x, 2) for x in base_t]}")


if __name__ == "__main__":
    main()
