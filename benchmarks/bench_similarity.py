"""Benchmark: bri_text.nearest_neighbors against scikit-learn brute-force cosine kNN.

    python benchmarks/bench_similarity.py [--n 100000] [--k 10] [--n-jobs 1]

Builds ``n`` synthetic tf-idf paragraphs from the built-in corpus (each a resampled
paragraph with ~20% of its tokens dropped and a few tokens of another paragraph added, so the
vocabulary and its frequencies are the corpus's own), saves them, then runs each method in
its own subprocess (one after the other, in the same run) and reports wall time, peak RSS
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of that subprocess) and the recall of
scikit-learn's neighbours. Targets: time <= 0.5x scikit-learn, peak memory < 2 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def build(n: int, path: Path, seed: int = 0) -> dict:
    from scipy import sparse

    import bri_text as bt

    tok = bt.tokenize(bt.load_bri_policies().reshape("paragraph"))
    paras = [t for t in tok.tokens if len(t) >= 3]
    rng = np.random.default_rng(seed)
    src = rng.integers(len(paras), size=n)
    other = rng.integers(len(paras), size=n)
    docs = []
    for s, o in zip(src, other):
        p = paras[s]
        keep = rng.random(len(p)) > 0.2
        extra = paras[o]
        add = rng.integers(len(extra), size=min(len(extra), int(rng.integers(1, 6))))
        docs.append([w for w, kp in zip(p, keep) if kp] + [extra[i] for i in add])
    m = bt.dtm(docs, "tfidf")
    sparse.save_npz(path, m.matrix.astype(np.float64).tocsr())
    return {"units": n, "terms": int(m.shape[1]), "nnz": int(m.matrix.nnz),
            "source_paragraphs": len(paras)}


def run_child(method: str, path: Path, k: int, n_jobs: int, out: Path) -> None:
    from scipy import sparse

    X = sparse.load_npz(path).tocsr()
    t0 = time.perf_counter()
    c0 = time.process_time()
    if method == "sklearn":
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=k + 1, metric="cosine", algorithm="brute",
                              n_jobs=n_jobs).fit(X)
        _, idx = nn.kneighbors(X)
        # drop self (or the last neighbour when a duplicate came first)
        rows = np.arange(X.shape[0])[:, None]
        is_self = idx == rows
        drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), k)
        mask = np.ones_like(idx, dtype=bool)
        mask[np.arange(len(idx)), drop] = False
        idx = idx[mask].reshape(len(idx), k)
    else:
        import pandas as pd

        import bri_text as bt

        m = bt.DocumentTermMatrix(X, [f"t{i}" for i in range(X.shape[1])],
                                  pd.DataFrame({"doc_id": np.arange(X.shape[0]).astype(str)}),
                                  weighting="tfidf", counts=X)
        nn = bt.nearest_neighbors(m, top_n=k, n_jobs=n_jobs)
        idx = nn["neighbor"].astype(int).to_numpy().reshape(X.shape[0], k)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    np.save(out, idx)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu}))


def measure(method: str, path: Path, k: int, n_jobs: int, tmp: Path) -> dict:
    out = tmp / f"{method}.npy"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", method, "--data", str(path),
                           "--k", str(k), "--n-jobs", str(n_jobs), "--out", str(out)],
                          capture_output=True, text=True, check=False, env={**os.environ,
                                                               "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(proc.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: run the smaller one first
    return {"method": method, "seconds": info["seconds"], "cpu": info["cpu_seconds"],
            "process_seconds": wall,
            "peak_rss_mb": peak / 1024, "peak_grew": peak > before, "idx": np.load(out)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--n-jobs", type=int, default=1)
    ap.add_argument("--child")
    ap.add_argument("--data")
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.child:
        run_child(a.child, Path(a.data), a.k, a.n_jobs, Path(a.out))
        return
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = tmp / "tfidf.npz"
        t0 = time.perf_counter()
        info = build(a.n, path)
        print(f"data: {info} built in {time.perf_counter() - t0:.1f} s")
        # bri_text first: RUSAGE_CHILDREN keeps the maximum over children, so the second
        # figure is only exact if it is the larger one (flagged otherwise)
        ours = measure("bri_text", path, a.k, a.n_jobs, tmp)
        ref = measure("sklearn", path, a.k, a.n_jobs, tmp)
    recall = np.mean([len(set(x) & set(y)) / a.k for x, y in zip(ours["idx"], ref["idx"])])
    ratio = ours["seconds"] / ref["seconds"]
    cpu_ratio = ours["cpu"] / ref["cpu"]
    print()
    print(f"nearest_neighbors(top_n={a.k}) on {a.n:,} tf-idf paragraphs ({info['terms']:,} terms,"
          f" {info['nnz']:,} non-zeros), n_jobs={a.n_jobs}")
    print("| method | wall time (s) | CPU time (s) | peak RSS (MB) | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| bri_text.nearest_neighbors | {ours['seconds']:.1f} | {ours['cpu']:.1f} | "
          f"{ours['peak_rss_mb']:.0f} | <= 0.5x sklearn time, < 2048 MB |")
    rss = f"{ref['peak_rss_mb']:.0f}" if ref["peak_grew"] else \
        f"<= {ref['peak_rss_mb']:.0f}"
    print(f"| sklearn NearestNeighbors(brute, cosine) | {ref['seconds']:.1f} | "
          f"{ref['cpu']:.1f} | {rss} | baseline |")
    print(f"\ntime ratio bri_text / sklearn: wall {ratio:.2f}, CPU {cpu_ratio:.2f} (target <= 0.50: "
          f"{'met' if ratio <= 0.5 else 'MISSED'}); peak memory bri_text "
          f"{ours['peak_rss_mb']:.0f} MB (target < 2048: "
          f"{'met' if ours['peak_rss_mb'] < 2048 else 'MISSED'}); recall of sklearn's "
          f"neighbours: {recall:.4f}")


if __name__ == "__main__":
    main()
