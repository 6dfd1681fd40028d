"""Benchmark: the PMC scoring sheet of ``bri_text.pmc_sheet``, its speed and the precision
of its pre-filled cells.

1. Speed: ``pmc_sheet`` + ``pmc_index`` on the 27 documents of the built-in corpus, beside
   the baseline of cutting the same corpus into its units (``reshape``), which the sheet
   needs anyway, timed in the same run (best of ``--repeat``).
2. Precision of the cells pre-filled 1 from a phrase: one reader's judgement of every such
   cell in two plans not used to choose the phrases (bri20 福建, bri26 广东), kept in
   ``benchmarks/data/pmc_prefill_judged.csv``. A judged cell whose phrase has changed since
   is counted apart (re-judge it). There is no target in issue 32 for these figures.

    python benchmarks/bench_pmc.py [--repeat 3]
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

JUDGED = ROOT / "benchmarks" / "data" / "pmc_prefill_judged.csv"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = bt.load_bri_policies()
    warnings.simplefilter("ignore")          # no instrument codes: phrases only

    def sheet_and_index():
        bt.pmc_index(bt.pmc_sheet(corpus))

    def units():
        try:
            corpus.reshape("clause")
        except bt.BriTextError:
            corpus.reshape("paragraph")

    t_pmc, t_units = _best(sheet_and_index, args.repeat), _best(units, args.repeat)
    print(f"{'measure':48} {'value':>9} {'baseline':>9}")
    print(f"{'pmc_sheet + pmc_index, 27 documents (s)':48} {t_pmc:9.3f} {t_units:9.3f}"
          "   baseline: cutting the corpus into units")

    judged = pd.read_csv(JUDGED, comment="#")
    sheet = bt.pmc_sheet(corpus.subset(doc_id=sorted(set(judged["doc_id"]))))
    now = sheet[(sheet["score"] == 1) & sheet["unit_id"].str.contains("#", na=False)]
    merged = now.merge(judged, on=["doc_id", "sub"], how="outer", suffixes=("", "_judged"),
                       indicator=True)
    same = merged[(merged["_merge"] == "both") & (merged["matched"] == merged["matched_judged"])]
    changed = len(merged) - len(same)
    precision = same["correct"].mean()
    print(f"{'precision of phrase-filled 1s (bri20, bri26)':48} {precision:9.3f} "
          f"{'':>9}   {int(same['correct'].sum())}/{len(same)} judged correct; "
          f"{changed} cell(s) changed since judged")


if __name__ == "__main__":
    main()
