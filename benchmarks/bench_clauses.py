"""Clause boundaries against the hand-marked gold set, and the speed of reshape("clause").

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_clauses.py

Quality: a boundary is a clause start; a predicted start matches a gold start when both
point at the same character once whitespace is skipped (a start at a space counts at the
next non-space character). Gold: ``benchmarks/data/clause_gold/*.txt`` (a ``§`` before the
first character of every clause; see its README). Precision, recall and F1 are pooled over
all clause starts (micro), with each document's figures below. Target: F1 >= 0.95.

Speed: ``reshape("clause")`` of the built-in BRI corpus (27 documents), best of 5 runs.
Target: clauses + dictionary coding <= 2 s; the clause part should be well under 1 s.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import bri_text as bt
from bri_text._clauses import clause_spans
from bri_text._units import paragraph_bounds

GOLD = Path(__file__).resolve().parent / "data" / "clause_gold"
MARK = "§"
#: the second batch, marked after the splitter was written and not used to change it
HELD_OUT = {"bri24", "wr2024_part"}


def read_gold(path: Path) -> tuple[str, list[int]]:
    """(text, clause starts) of one gold file."""
    marked = path.read_text(encoding="utf-8")
    text, starts = [], []
    for ch in marked:
        if ch == MARK:
            starts.append(len(text))
        else:
            text.append(ch)
    return "".join(text), starts


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def paragraph_starts(text: str) -> list[tuple[int, int, dict]]:
    """The baseline: every paragraph (line) a clause, as reshape("paragraph") cuts."""
    return [(s, e, {}) for s, e in paragraph_bounds(text)]


def score(text: str, gold: list[int], splitter=clause_spans) -> tuple:
    """(true positives, predicted, gold, missed starts, extra starts) for one document."""
    pred = {_skip_space(text, s) for s, _, _ in splitter(text)}
    want = {_skip_space(text, s) for s in gold}
    return (len(pred & want), len(pred), len(want), sorted(want - pred), sorted(pred - want))


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def quality(verbose: bool) -> float:
    totals = {"first batch": [0, 0, 0], "held out": [0, 0, 0]}
    base = [0, 0, 0]
    print(f"{'document':<16}{'gold':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for path in sorted(GOLD.glob("*.txt")):
        text, gold = read_gold(path)
        tp, n_pred, n_gold, missed, extra = score(text, gold)
        t = totals["held out" if path.stem in HELD_OUT else "first batch"]
        t[0], t[1], t[2] = t[0] + tp, t[1] + n_pred, t[2] + n_gold
        base = [x + y for x, y in zip(base, score(text, gold, paragraph_starts)[:3])]
        p, r, f = _prf(tp, n_pred, n_gold)
        print(f"{path.stem + (' *' if path.stem in HELD_OUT else ''):<16}{n_gold:>6}{n_pred:>7}"
              f"{p:>8.3f}{r:>8.3f}{f:>8.3f}")
        if verbose:
            for kind, where in (("missed", missed), ("extra", extra)):
                for pos in where:
                    print(f"    {kind}: …{text[max(0, pos - 12):pos]}|{text[pos:pos + 16]}…")
    totals["all (micro)"] = [sum(x) for x in zip(*totals.values())]
    for name, (tp, n_pred, n_gold) in totals.items():
        p, r, f = _prf(tp, n_pred, n_gold)
        print(f"{name:<16}{n_gold:>6}{n_pred:>7}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    bp, br, bf = _prf(*base)
    print(f"{'baseline: lines':<16}{base[2]:>6}{base[1]:>7}{bp:>8.3f}{br:>8.3f}{bf:>8.3f}"
          "   (every paragraph a clause, as reshape('paragraph'))")
    print(f"(* held out)   target F1 >= 0.95: {'met' if f >= 0.95 else 'MISSED'} (all), "
          f"{'met' if _prf(*totals['held out'])[2] >= 0.95 else 'MISSED'} (held out)")
    return f


def speed(repeats: int = 5) -> float:
    corpus = bt.load_bri_policies()
    best, base = float("inf"), float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        clauses = corpus.reshape("clause")
        t1 = time.perf_counter()
        corpus.reshape("paragraph")
        best, base = min(best, t1 - t0), min(base, time.perf_counter() - t1)
    n_chars = int(corpus.docs["text"].str.len().sum())
    print(f"reshape('clause') of the built-in BRI corpus ({len(corpus)} documents, "
          f"{n_chars:,} characters, {len(clauses)} clauses): {best:.3f} s (best of {repeats})"
          f"   target: well under 1 s of the 2 s for clauses + coding; "
          f"reshape('paragraph') in the same run: {base:.3f} s")
    return best


if __name__ == "__main__":
    quality(verbose="-v" in sys.argv)
    speed()
