"""Which start should ``TopicModel`` use? ``init="nmf"`` against ``init="random"`` on a third
corpus (issue 31: the default is decided on text neither topic benchmark reports).

    python benchmarks/bench_topic_init.py [--ks 10 20] [--seeds 1 2 3] [--iterations 1000]

Corpus: the SIGHAN 2005 PKU test sentences (People's Daily, 1998; 1,944 lines, in
``../shared/eval/sighan2005/pku_test.utf8``, not shipped), news rather than plans or work
reports, in pseudo-documents of 20 consecutive lines (the file has no article ids), one
paragraph a line, bri_text's default tokenizer. ``select_k`` with every model default but
``init`` (1,000 Gibbs sweeps unless ``--iterations``): NPMI, cross-seed stability, and over
one document half-split per seed, resampling stability (matched 1 - Jensen-Shannon),
top-10 term overlap and held-out per-token log-likelihood, with the shuffled-text chance
lines. The rule, fixed before running: keep ``"nmf"`` unless ``"random"`` is better on
resampling (stability or overlap) by more than one sd of the splits without being worse on
held-out likelihood and NPMI; otherwise document what the prior costs.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402

PKU = ROOT.parent / "shared" / "eval" / "sighan2005" / "pku_test.utf8"
LINES_PER_DOC = 20
COLS = ["k", "c_npmi_mean", "stability_mean", "stability_chance", "resample_stability_mean",
        "resample_stability_sd", "resample_chance", "term_overlap_mean", "term_overlap_sd",
        "term_overlap_chance", "heldout_loglik_mean", "heldout_loglik_sd"]


def load_tokens(path: Path = PKU):
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    docs = pd.DataFrame({
        "doc_id": [f"pku{i // LINES_PER_DOC:03d}" for i in range(0, len(lines),
                                                                   LINES_PER_DOC)],
        "text": ["\n".join(lines[i:i + LINES_PER_DOC])
                 for i in range(0, len(lines), LINES_PER_DOC)]})
    return bt.tokenize(bt.Corpus(docs, name="pku_test"))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ks", type=int, nargs="+", default=[10, 20])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--iterations", type=int, default=1000)
    args = p.parse_args(argv)
    if not PKU.exists():
        print(f"{PKU} not found (the evaluation data are not part of a clean clone)")
        return 1
    tokens = load_tokens()
    print(f"corpus: {len(tokens.docs)} pseudo-documents of {LINES_PER_DOC} lines, "
          f"{sum(map(len, tokens.tokens)):,} tokens", flush=True)
    out = []
    for init in ("nmf", "random"):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            g = bt.select_k(tokens, ks=args.ks, seeds=args.seeds, progress=False, init=init,
                            n_jobs=-1,
                            iterations=args.iterations, cross_seed_chance=True)
        print(f"init={init!r}: {time.perf_counter() - t0:.0f} s", flush=True)
        t = g[COLS].assign(init=init)
        t.attrs = {}   # (select_k's attrs hold DataFrames, which pd.concat cannot compare)
        print(t.round(3).to_string(index=False), flush=True)
        out.append(t)
    table = pd.concat(out).sort_values(["k", "init"])
    pd.set_option("display.width", 250)
    print(table.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
