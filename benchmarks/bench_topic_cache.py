"""Benchmark: a topic model and a ``select_k`` grid fitted (cold) and read from the on-disk
cache (warm), as a notebook run again in a new kernel meets them (session 45).

    python benchmarks/bench_topic_cache.py                 # K = 10 fit, the issue-31 grid
    python benchmarks/bench_topic_cache.py --no-select-k   # the fit only
    python benchmarks/bench_topic_cache.py --overhead      # and a fit with cache=False

Corpus: the 52 national work reports (``bt.load_work_reports()``, fitted on their 5,836
paragraphs). Fit: ``TopicModel(10, random_state=1)``, every other parameter at its default
(1,000 sweeps). Grid: ``select_k(ks=5..30, seeds=(1, 2))`` as benchmarks/bench_select_k.py.
Each run is its own Python process (a new kernel: nothing is kept in memory between
runs) with one empty cache folder shared by the runs; the tokens are made before the clock
starts, and so is bri_text.topics imported. Do not commit while it runs: the key holds
bri_text's git commit, so the warm run would miss. Warm results are checked against cold ones: the topic-term and doc-topic arrays
(SHA-256 of their bytes), the top terms and the grid's table must be identical.
``--overhead``: a third fit with ``cache=False`` in its own process: what the key and the
stored entry add to a cold fit.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import hashlib, json, sys, time, warnings
import bri_text as bt
what, folder, cache = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
warnings.simplefilter("ignore")
toks = bt.tokenize(bt.load_work_reports())
TopicModel, select_k = bt.TopicModel, bt.select_k   # imported before the clock starts
t0 = time.perf_counter()
if what == "fit":
    m = TopicModel(10, random_state=1, progress=False).fit(toks, cache=cache,
                                                               cache_dir=folder)
    secs = time.perf_counter() - t0
    out = {"seconds": secs, "from_cache": m.from_cache_,
           "topic_term": hashlib.sha256(m.topic_term_.tobytes()).hexdigest(),
           "doc_topic": hashlib.sha256(m.doc_topic_.tobytes()).hexdigest(),
           "top": m.top_terms(10)["term"].tolist(), "fit_seconds": m.provenance_["fit_seconds"]}
else:
    g = select_k(toks, ks=[5, 10, 15, 20, 25, 30], seeds=(1, 2), progress=False,
                    cache=cache, cache_dir=folder)
    secs = time.perf_counter() - t0
    from joblib.externals.loky import get_reusable_executor
    get_reusable_executor().shutdown(wait=True)
    out = {"seconds": secs, "from_cache": g.attrs["from_cache"],
           "table": hashlib.sha256(g.drop(columns=[c for c in g if "seconds" in c])
                                   .to_json().encode()).hexdigest()}
print(json.dumps(out, ensure_ascii=False))
"""


def _run(what: str, folder: str, cache=True) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BRI_TEXT_TOPIC_CACHE", None)
    out = subprocess.run([sys.executable, "-c", _CHILD, what, folder, json.dumps(cache)],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _size(folder: str) -> float:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-select-k", action="store_true")
    ap.add_argument("--overhead", action="store_true")
    a = ap.parse_args()
    print(f"load before: {os.getloadavg()[0]:.1f}")
    folder = tempfile.mkdtemp(prefix="bri_text_topic_cache_bench_")
    try:
        cold, warm = _run("fit", folder), _run("fit", folder)
        assert not cold["from_cache"] and warm["from_cache"]
        same = all(cold[k] == warm[k] for k in ("topic_term", "doc_topic", "top"))
        print(f"fit K=10 (work reports): cold {cold['seconds']:.1f} s (sampler "
              f"{cold['fit_seconds']:.1f} s), warm {warm['seconds']:.2f} s "
              f"({cold['seconds'] / warm['seconds']:.0f}x); identical: {same}; entry "
              f"{_size(folder):.1f} MB")
        if a.overhead:
            off = _run("fit", folder, cache=False)
            print(f"fit K=10, cache=False: {off['seconds']:.1f} s (cold with cache: "
                  f"{cold['seconds'] - off['seconds']:+.1f} s); identical: "
                  f"{off['topic_term'] == cold['topic_term']}")
        if not a.no_select_k:
            before = _size(folder)
            cold, warm = _run("select_k", folder), _run("select_k", folder)
            assert not cold["from_cache"] and warm["from_cache"]
            print(f"select_k ks=5..30 seeds=(1, 2): cold {cold['seconds']:.1f} s, warm "
                  f"{warm['seconds']:.2f} s ({cold['seconds'] / warm['seconds']:.0f}x); "
                  f"identical: {cold['table'] == warm['table']}; entry "
                  f"{(_size(folder) - before) * 1000:.0f} kB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
