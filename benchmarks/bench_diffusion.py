"""Adoption found by bt.diffusion on the planted diffusion corpus (issue 33), and its speed.

    PYTHONPATH=. python benchmarks/bench_diffusion.py [--seeds 5] [--skip-speed]

Quality, over several seeds of ``make_planted`` (2 sources, 20 jurisdictions each): the
adoption date is exact (the first adopting document's date is the planted one) for at least
95% of the adopting jurisdictions; at most 1 false adopter in 20 jurisdictions (per source);
also shown: missed adopters, and per clause how many of the planted clauses (kept / changed)
are found carried and how many dropped ones are wrongly reported carried.
Speed: diffusion over about 200 documents of about 5,000
characters (``make_planted(n_sources=9, n_jurisdictions=30, doc_chars=5000)``) in at most
30 s on 2 cores, timed without and with the horizontal pairs (found when first read).
Figures go in benchmarks/DIFFUSION.md.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bri_text as bt  # noqa: E402
from planted_diffusion import _numeral, make_planted  # noqa: E402


_NUMBERS = {_numeral(k + 1) + "、": k for k in range(99)}


def _planted_index(clause_text: str) -> int:
    """The planted clause number of a clause found in a source (-1: title, stock line)."""
    head = clause_text.split("、", 1)[0] + "、"
    return _NUMBERS.get(head, -1)


def quality(seed: int) -> dict:
    p = make_planted(seed=seed)
    r = bt.diffusion(p.corpus)
    truth = p.adoptions.rename(columns={"source_id": "source", "region": "jurisdiction",
                                        "doc_id": "true_doc", "date": "true_date"})
    a = r.adoptions.merge(truth[["source", "jurisdiction", "adopted", "true_doc",
                                 "true_date"]], on=["source", "jurisdiction"],
                          validate="one_to_one")
    found = a["status"] == "adopted"
    planted = a["adopted"].astype(bool)
    exact = (found & planted & (a["date"] == a["true_date"])).sum()
    false = (found & ~planted).groupby(a["source"]).sum()
    # clauses: planted statuses of each (source clause, adopting document)
    c = p.clauses.dropna(subset=["source_clause"])
    c = c.merge(p.adoptions[["source_id", "doc_id", "region"]].rename(
        columns={"doc_id": "local_doc"}), on=["source_id", "local_doc"])
    got = r.clauses.assign(source_clause=[_planted_index(t) for t in r.clauses["clause_text"]])
    got = got[got["source_clause"] >= 0]
    m = c.merge(got, left_on=["source_id", "source_clause", "region"],
                right_on=["source", "source_clause", "jurisdiction"], how="left")
    carried = m["status_y"] == "adopted"
    by_status = carried.groupby(m["status_x"]).mean()
    return {"seed": seed, "adopting": int(planted.sum()), "found": int(found.sum()),
            "exact_date": int(exact), "missed": int((planted & ~found).sum()),
            "false_adopters_max": int(false.max()), "false_adopters": int(false.sum()),
            "jurisdictions": int(a.groupby("source").size().max()),
            "kept_carried": round(float(by_status.get("kept", float("nan"))), 3),
            "changed_carried": round(float(by_status.get("changed", float("nan"))), 3),
            "dropped_carried": round(float(by_status.get("dropped", float("nan"))), 3)}


def speed() -> dict:
    p = make_planted(n_sources=9, n_jurisdictions=30, seed=0, doc_chars=5000)
    docs = p.corpus.docs
    t, c = time.perf_counter(), time.process_time()
    r = bt.diffusion(p.corpus)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    horizontal = len(r.horizontal)             # found when first read
    elapsed_h, cpu_h = time.perf_counter() - t, time.process_time() - c
    truth = p.adoptions.rename(columns={"source_id": "source", "region": "jurisdiction"})
    a = r.adoptions.merge(truth, on=["source", "jurisdiction"])
    return {"documents": len(docs), "mean_chars": int(docs["text"].str.len().mean()),
            "seconds": round(elapsed, 1), "cpu_seconds": round(cpu, 1),
            "horizontal_cpu_seconds": round(cpu_h, 1), "load_average": round(os.getloadavg()[0], 1),
            "adopters_found": int((a["status"] == "adopted").sum()),
            "adopters_planted": int(a["adopted"].sum()),
            "false_adopters": int(((a["status"] == "adopted") & ~a["adopted"]).sum()),
            "horizontal_passages": horizontal, "horizontal_seconds": round(elapsed_h, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--skip-speed", action="store_true")
    args = ap.parse_args()
    rows = pd.DataFrame([quality(s) for s in range(args.seeds)])
    print(rows.to_string(index=False))
    share = rows["exact_date"].sum() / rows["adopting"].sum()
    worst = int(rows["false_adopters_max"].max())
    print(f"\nadoption date exact: {share:.3f} of {rows['adopting'].sum()} adopting "
          f"jurisdictions (target >= 0.95) -> {'met' if share >= 0.95 else 'MISSED'}")
    print(f"false adopters: at most {worst} per source of 20 jurisdictions (target <= 1), "
          f"{rows['false_adopters'].sum()} in all -> {'met' if worst <= 1 else 'MISSED'}")
    print(f"clauses carried: kept {rows['kept_carried'].mean():.3f}, changed "
          f"{rows['changed_carried'].mean():.3f}, dropped (should be 0) "
          f"{rows['dropped_carried'].mean():.3f}")
    if not args.skip_speed:
        s = speed()
        print(f"\nspeed: {s['documents']} documents of ~{s['mean_chars']} characters: "
              f"{s['seconds']} s wall, {s['cpu_seconds']} s CPU, one process (target <= 30 s "
              f"on 2 cores; load average {s['load_average']}) -> "
              f"{'met' if s['seconds'] <= 30 else 'MISSED'}")
        print(f"  adopters found {s['adopters_found']} of {s['adopters_planted']} planted, "
              f"{s['false_adopters']} false")
        print(f"  horizontal pairs (read after, all local pairs compared): "
              f"{s['horizontal_seconds']} s more ({s['horizontal_cpu_seconds']} s CPU), "
              f"{s['horizontal_passages']} passages; with "
              f"them {s['seconds'] + s['horizontal_seconds']:.1f} s (target <= 30 s) -> "
              f"{'met' if s['seconds'] + s['horizontal_seconds'] <= 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
