"""Quality and speed of bri_text.discover_terms on the national government work reports.

    PYTHONPATH=. python benchmarks/bench_discover.py [--repeat 3]

Corpus: ``bt.load_work_reports()`` (52 reports 1954-2025, about 1.08 million characters,
3.2 MB of UTF-8), a policy corpus outside the Belt and Road lexicon's field.

Gold: ``benchmarks/data/discover_gold_work_reports.txt``, domain terms written before the
discovery code existed (see its header). A gold term is *eligible* when it occurs >= 20
times in the corpus (non-overlapping occurrences, ``str.count``) and the default tokenizer
``bt.Tokenizer()`` splits it (segmented on its own it gives more than one piece).

Figures, each beside its target and beside a frequency-only baseline computed in the same
run (the same split candidates with no cohesion or entropy threshold, ranked by count):

- recall: share of the eligible gold terms among the top 500 rows (target >= 80%);
- precision proxy: share of the top 200 rows that begin or end with a function character
  (的 了 和 与 在 是 对 等 及 并 为 将 把 被) or contain a non-Chinese character, i.e. cross a
  clause boundary (target <= 5%);
- speed: MB of UTF-8 text per second on one core (the whole corpus, median of
  ``--repeat`` runs after one warm-up run that builds the tokenizer; target >= 1 MB/s),
  with millions of characters per second and a ``bt.tokenize`` pass (no cache) of the
  same corpus for scale; and the peak memory the call allocates (tracemalloc).

General segmentation (``--eval-dir``, default ``../shared/eval``, skipped when absent):
F1 on the SIGHAN 2005 PKU test set of the default tokenizer (must be unchanged: 0.8178,
``benchmarks/SEGMENT.md``) and of ``bt.Tokenizer(user_dict=set(top 500 terms))``, scored
with ``../shared/eval/score.py`` through ``benchmarks/eval_sighan.py``'s helpers.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import bri_text as bt

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "discover_gold_work_reports.txt"
FUNCTION = set("的了和与在是对等及并为将把被")
HAN = re.compile("^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def read_gold() -> list[str]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


def recall(terms: list[str], eligible: list[str], top: int) -> tuple[float, list[str]]:
    top_terms = set(terms[:top])
    missed = [w for w in eligible if w not in top_terms]
    return 1 - len(missed) / len(eligible), missed


def bad_share(terms: list[str], top: int) -> tuple[float, list[str]]:
    bad = [t for t in terms[:top] if t[0] in FUNCTION or t[-1] in FUNCTION or not HAN.match(t)]
    return len(bad) / max(1, min(top, len(terms))), bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--eval-dir", default=str(HERE.parents[1] / "shared" / "eval"))
    args = ap.parse_args()

    corpus = bt.load_work_reports()
    texts = corpus.texts
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    chars = sum(map(len, texts)) / 1e6
    tok = bt.Tokenizer()
    gold = read_gold()
    counts = {w: sum(t.count(w) for t in texts) for w in gold}
    split = {w: len(tok.segment(w)) > 1 for w in gold}
    eligible = [w for w in gold if counts[w] >= 20 and split[w]]
    print(f"corpus: {len(texts)} documents, {mb:.2f} MB UTF-8, {chars:.2f} M characters")
    print(f"gold: {len(gold)} terms; {sum(c >= 20 for c in counts.values())} occur >= 20 times;"
          f" {len(eligible)} of those the default tokenizer splits (eligible)")

    t0 = time.perf_counter()
    found = bt.discover_terms(corpus, top_n=None)  # warm-up: builds the tokenizer
    cold = time.perf_counter() - t0
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        found = bt.discover_terms(corpus, top_n=None)
        times.append(time.perf_counter() - t0)
    warm = statistics.median(times)
    tracemalloc.start()
    bt.discover_terms(corpus, top_n=None)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    base = bt.discover_terms(corpus, top_n=None, min_cohesion=-1e9, min_entropy=0.0)
    base_terms = base.sort_values(["count", "term"], ascending=[False, True])["term"].tolist()
    terms = found["term"].tolist()
    t0 = time.perf_counter()
    bt.tokenize(corpus, cache=False, progress=False)
    tok_time = time.perf_counter() - t0

    r, missed = recall(terms, eligible, 500)
    rb, _ = recall(base_terms, eligible, 500)
    p, bad = bad_share(terms, 200)
    pb, _ = bad_share(base_terms, 200)
    print()
    print("| figure | discover_terms | frequency-only baseline | target |")
    print("| --- | --- | --- | --- |")
    print(f"| recall of eligible gold terms in top 500 | **{r:.1%}** "
          f"({len(eligible) - len(missed)}/{len(eligible)}) | {rb:.1%} | >= 80% |")
    print(f"| top 200 with a function character at an edge or crossing a clause | **{p:.1%}** "
          f"({len(bad)}) | {pb:.1%} | <= 5% |")
    print(f"| speed, MB UTF-8 per second (median of {args.repeat}) | **{mb / warm:.2f}** "
          f"({warm:.2f} s; first run {cold:.2f} s) | | >= 1 |")
    print(f"| speed, M characters per second | {chars / warm:.2f} | | |")
    print(f"| peak memory allocated (tracemalloc), MB | {peak:.0f} | | |")
    print(f"| bt.tokenize of the same corpus, no cache, MB/s (for scale) | {mb / tok_time:.2f} "
          f"| | |")
    print(f"\nrows: {len(found)}; candidates at each step: {found.attrs['candidates']}")
    rank = {t: i + 1 for i, t in enumerate(terms)}
    print("\neligible gold terms missed in the top 500 (rank in the full table, or why absent):")
    for w in missed:
        print(f"  {w}: {rank.get(w, 'absent')} (count {counts[w]}, "
              f"split {'/'.join(p for p, _, _ in tok.segment(w))})")
    # the gold set was defined on the tokenizer with the Belt and Road lexicon only (before
    # lexicons/policy_terms.tsv): the method's recall on those 43 terms, and how many of
    # them the default now keeps whole or discovers
    bri_only = bt.Tokenizer(lexicon=False, user_dict=[Path(bt.__file__).parent / "lexicons"
                                                      / "bri_lexicon.tsv"])
    old_eligible = [w for w in gold if counts[w] >= 20 and len(bri_only.segment(w)) > 1]
    old_found = bt.discover_terms(corpus, tokenizer=bri_only, top_n=500)["term"].tolist()
    ro, _ = recall(old_found, old_eligible, 500)
    whole = [w for w in old_eligible if w not in eligible]
    covered = len(whole) + len(eligible) - len(missed)
    print(f"\nwith the Belt and Road lexicon only (the tokenizer the gold set was defined on): "
          f"{len(old_eligible)} eligible, recall in the top 500 **{ro:.1%}** (target >= 80%)")
    print(f"default tokenizer: {len(whole)} of those {len(old_eligible)} are kept whole by "
          f"policy_terms.tsv, and {len(eligible) - len(missed)} of the other {len(eligible)} "
          f"discovered: **{covered / len(old_eligible):.1%}** whole or found")
    print("\nfunction-character rows in the top 200:", " ".join(bad) or "none")
    print("\ntop 40:", " ".join(terms[:40]))
    pku(Path(args.eval_dir), set(terms[:500]))


def pku(ev: Path, words: set) -> None:
    """F1 on SIGHAN 2005 PKU: the default tokenizer, and with the discovered words added."""
    test, gold = ev / "sighan2005" / "pku_test.utf8", ev / "sighan2005" / "pku_test_gold.utf8"
    train, score_py = ev / "sighan2005" / "pku_training_words.utf8", ev / "score.py"
    if not all(p.exists() for p in (test, gold, train, score_py)):
        print(f"\nPKU: {ev} not found; skipped")
        return
    sys.path.insert(0, str(HERE))
    from eval_sighan import read_lines, score, segment_lines

    lines = read_lines(test)
    print("\nSIGHAN 2005 PKU test set (F1; default must stay 0.8178):")
    with tempfile.TemporaryDirectory() as tmp:
        for name, tok in (("default bt.Tokenizer()", bt.Tokenizer()),
                          (f"bt.Tokenizer(user_dict=<top {len(words)} discovered>)",
                           bt.Tokenizer(user_dict=words))):
            r = score(score_py, gold, train, segment_lines(tok, lines), Path(tmp), "pred")
            print(f"  {name:50s} P {r['P']:.4f}  R {r['R']:.4f}  F1 {r['F1']:.4f}")


if __name__ == "__main__":
    main()
