"""Benchmark: the report's key-terms test (audit s36, finding 1), on the report's real
inputs: the time of the keyness step (``test="auto"``) of this tree or of another checkout
(``--code``; session 36: Welch's t on every term -> Welch's t for groups of about the same
size, else the permutation test; session 42: the permutation test at every size, up to 20
relabellings per term tested, on the terms in at least 3 compared documents), and how many
terms each comparison finds at q < .05.

Inputs: the 52 work reports as a CSV with a ``decade`` column (``--by decade``), compared
2010s vs 2020s (10 vs 5 documents) and six decades each against the other five (5-10 vs
42-47 documents); the built-in corpus by level, national vs provincial (11 vs 13).

    python benchmarks/bench_report_test.py                    # this tree
    python benchmarks/bench_report_test.py --code /work/main  # before (Welch's t always)

Target: at most 5 s (wall) per comparison, so that a two-group report stays near its
20 s cold budget (benchmarks/bench_report.py). Figures: benchmarks/COMPARE.md. The false-positive rates of both tests on
unbalanced splits are in benchmarks/sim_tests.py.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else str(ROOT)
sys.path.insert(0, CODE)

import bri_text as bt  # noqa: E402
from bri_text.report._page import _Writer  # noqa: E402
from bri_text.report._sections import _Run  # noqa: E402


TARGET = 5.0


def inputs():
    wr = bt.load_work_reports()
    wr.docs["decade"] = (wr.docs["year"].astype(int) // 10 * 10).astype(str) + "s"
    bri = bt.load_bri_policies()
    return [("work reports by decade: 2010s vs 2020s", wr, "decade", ["2010s", "2020s"]),
            ("work reports by decade: six decades, each vs the other five", wr, "decade",
             ["1950s", "1980s", "1990s", "2000s", "2010s", "2020s"]),
            ("built-in corpus by level: national vs provincial", bri, "level",
             ["national", "provincial"])]


def main():
    load = os.getloadavg()[0]
    print(f"code {CODE}; load average {load:.2f} ({os.cpu_count()} cores)")
    for name, corpus, by, compare in inputs():
        print(f"\n== {name}")
        prepared = None
        for test in ("auto",):
            with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run = _Run(corpus, "bench", compare, by, 0, 1, 15, 200, _Writer(Path(tmp)),
                           progress=False, test=test)
                if prepared is None:
                    run.prepare()
                    prepared = run
                else:                     # the same tokens: time the keyness step only
                    for attr in ("tokenizer", "units", "tokens", "in_compare", "sub",
                                 "n_docs", "n_tokens", "resample"):
                        setattr(run, attr, getattr(prepared, attr))
                t0, c0 = time.perf_counter(), time.process_time()
                run.keyness()
                dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            found = " ".join(f"{f.split(':')[0].split(' (')[0]}: "
                             + (f.split(': ', 1)[1].split(' terms')[0] + " at q<.05"
                                if " terms more frequent" in f else "0 at q<.05")
                             for f in run.findings)
            measures = sorted({v["measure"] for v in run.tests.values()})
            per = dt / len(run.tests)
            print(f"  test={test} -> {'/'.join(measures):19} keyness step {dt:5.1f} s "
                  f"(cpu {cpu:5.1f} s; {len(run.tests)} comparisons: {per:.1f} s each, "
                  f"target <= {TARGET:g} s: {'met' if per <= TARGET else 'MISSED'})\n"
                  f"    {found}")


if __name__ == "__main__":
    main()
