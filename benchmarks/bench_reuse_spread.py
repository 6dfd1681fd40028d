"""Widely shared passages and the speed of text_reuse on the built-in corpora (audit s36,
finding 4).

Spread: a distinctive 60-character sentence (a cold-chain train to Hamburg and Duisburg,
text not otherwise in the corpus) is appended to the national bri01 and planted verbatim
in the middle of n of the 12 provincial / municipal plans (the audit's construction);
``text_reuse(corpus, reference={"level": "national"}, date=None)`` at the default
``max_df`` must find it in all n (target: found in n of n for n = 1, 3, 5, 8; before 0.5:
0 of 5 and 0 of 8), with ``documents`` = n + 1.

Speed: ``text_reuse`` all pairs on the 27 plans and on the 52 work reports, and national
-> others on the plans: best wall time and best CPU time of ``--repeat`` runs (CPU time is
the steadier figure on a shared machine); before/after compare by running this script
with another tree on PYTHONPATH (target: no more than 10% slower).

    PYTHONPATH=$PWD python benchmarks/bench_reuse_spread.py [--repeat 3] [--synthetic-mb 10]

``--synthetic-mb``: also all pairs (``min_chars=50``) on bench_reuse.py's synthetic
word-salad corpus of that many MB, in this process.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings

import bri_text as bt

PLANTED = ("支持在阿拉山口口岸建设国际冷链物流分拨中心，开通至汉堡和杜伊斯堡的冷链班列，"
           "年内完成首批三十个冷链集装箱的试运行。")


def planted_corpus(n: int) -> bt.Corpus:
    """The plans with PLANTED at the end of bri01 and in the middle of n plans."""
    docs = bt.load_bri_policies().docs.copy()
    assert not any(PLANTED[:12] in t for t in docs.text)
    nat = docs.index[docs.doc_id == "bri01"][0]
    docs.loc[nat, "text"] = docs.loc[nat, "text"] + "\n" + PLANTED
    prov = docs.index[(docs.level != "national") & (docs.kind == "plan")].tolist()
    for i in prov[:n]:
        t = docs.loc[i, "text"]
        cut = len(t) // 2
        docs.loc[i, "text"] = t[:cut] + "\n" + PLANTED + "\n" + t[cut:]
    return bt.Corpus.from_dataframe(docs, text="text", doc_id="doc_id")


def spread() -> list[tuple]:
    rows = []
    for n in (1, 3, 5, 8):
        r = bt.text_reuse(planted_corpus(n), reference={"level": "national"}, date=None)
        hit = r[r.passage_b.str.contains("冷链班列")]
        kinds = hit["kind"].value_counts().to_dict()
        docs = sorted(hit["documents"].unique().tolist()) if "documents" in hit else []
        rows.append((n, hit["doc_b"].nunique(), kinds, docs))
    return rows


def _best(fn, repeat: int) -> tuple[float, float, object]:
    """Best wall time and best CPU time of this process (steadier on a shared machine)."""
    wall = cpu = float("inf")
    out = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, out


def speed(repeat: int, synthetic_mb: float = 0) -> list[tuple]:
    plans, reports = bt.load_bri_policies(), bt.load_work_reports()
    bt.text_reuse(plans)                                   # warm-up: imports, tables
    calls = {}
    if synthetic_mb:
        import pandas as pd
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_reuse import synthetic

        texts = synthetic(synthetic_mb)
        salad = bt.Corpus(pd.DataFrame({"doc_id": [f"s{i}" for i in range(len(texts))],
                                        "text": texts}))
        calls[f"synthetic {synthetic_mb:g} MB, all pairs, min_chars=50"] = \
            lambda: bt.text_reuse(salad, min_chars=50)
    calls |= {"plans, all pairs": lambda: bt.text_reuse(plans),
             "plans, national -> others": lambda: bt.text_reuse(
                 plans, reference={"level": "national"}),
             "work reports, all pairs": lambda: bt.text_reuse(reports)}
    rows = []
    for name, fn in calls.items():
        sec, cpu, t = _best(fn, repeat)
        rows.append((name, sec, cpu, len(t), t.attrs["candidate_pairs"],
                     t["kind"].value_counts().to_dict()))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--synthetic-mb", type=float, default=0)
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    print("Spread (target: found in n of n plans, documents = n + 1)")
    for n, found, kinds, docs in spread():
        ok = "met" if found == n else "MISSED"
        print(f"  planted in {n} plans: found in {found} ({ok}); kind {kinds}; documents {docs}")
    print(f"Speed (best of {args.repeat})")
    for name, sec, cpu, rows, pairs, kinds in speed(args.repeat, args.synthetic_mb):
        print(f"  {name}: {sec:.2f} s wall, {cpu:.2f} s CPU, {rows} passages, {pairs} "
              f"candidate pairs, {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
