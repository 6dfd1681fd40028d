"""Per-call tokenizing (``tok(p)``, the path scikit-learn takes) against ``jieba.lcut`` on the
built-in plans' paragraphs, interleaved in one process, best of N: a quieter reading of the
per-call row of bench_segment.py on a shared machine.

    python benchmarks/bench_segment_percall.py [--repeat 15] [--no-overlap]

``--no-overlap`` switches off the step that settles overlapping lexicon words, to show its
cost (benchmarks/SEGMENT.md, session 38).
"""
from __future__ import annotations

import argparse
import time


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--no-overlap", action="store_true")
    a = ap.parse_args(argv)

    import jieba

    import bri_text as bt
    from bri_text.segment import Tokenizer, _state

    if a.no_overlap:
        _state._State._settle_overlaps = lambda self, text, pieces, hmm: pieces
    paras = bt.load_bri_policies().reshape("paragraph").texts
    ref = jieba.Tokenizer()
    ref.initialize()
    tok = Tokenizer()
    [tok(p) for p in paras]
    [ref.lcut(p) for p in paras]
    best_ref = best_tok = float("inf")
    for _ in range(a.repeat):
        t = time.perf_counter()
        [ref.lcut(p) for p in paras]
        best_ref = min(best_ref, time.perf_counter() - t)
        t = time.perf_counter()
        [tok(p) for p in paras]
        best_tok = min(best_tok, time.perf_counter() - t)
    print(f"jieba.lcut {best_ref * 1000:.0f} ms, tok(p) {best_tok * 1000:.1f} ms: "
          f"{best_ref / best_tok:.2f}x (target >= 6x)")


if __name__ == "__main__":
    main()
