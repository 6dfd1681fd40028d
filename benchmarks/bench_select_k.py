"""Benchmark: seconds of ``select_k`` on a corpus of the issue's size (issue 31).

    python benchmarks/bench_select_k.py [--ref main] [--ks 5 10 15 20 25 30] [--seeds 1 2]
    python benchmarks/bench_select_k.py --skip-ref     # this tree only

Corpus: the 52 national work reports (``bri_text.load_work_reports()``, 2.7 MB, split into
paragraphs by ``select_k``), the grid of the issue (K = 5, 10, ..., 30; seeds 1, 2), every
other argument at its default. The reference (``--ref``, default ``main``: the code before
this change, exported with ``git archive``) and this tree run one after the other in the
same invocation, each in its own process, so the ratio holds on a busy machine.

Target (issue 31): this tree's ``select_k`` <= 120 s for the grid on 2 cores (the reference
took 500 s on a 221-document, 2.4 MB corpus). The reference computes coherence, diversity,
cross-seed stability and one shuffled-corpus chance line; this tree adds resampling
stability over document half-splits, top-term overlap, held-out likelihood and three
shuffles, so it does more for its seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 120.0

_CHILD = r"""
import json, sys, time, warnings
import bri_text as bt
ks, seeds = json.loads(sys.argv[1]), json.loads(sys.argv[2])
toks = bt.tokenize(bt.load_work_reports())
warnings.simplefilter("ignore")
t0 = time.perf_counter()
grid = bt.select_k(toks, ks=ks, seeds=seeds, progress=False, n_jobs=-1)  # as measured
secs = time.perf_counter() - t0
import resource
from joblib.externals.loky import get_reusable_executor
get_reusable_executor().shutdown(wait=True)   # reap the workers: their CPU time counts
cpu = sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF,
          resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
cols = [c for c in ("k", "c_npmi_mean", "stability_mean", "stability_chance",
                    "resample_stability_mean", "resample_stability_sd", "term_overlap_mean",
                    "heldout_loglik_mean", "resample_chance", "resample_chance_sd")
        if c in grid.columns]
from bri_text.topics import choose_k
try:
    chosen = choose_k(grid)
except Exception as e:   # the reference may have no choose_k, or no K above chance
    chosen = repr(e)
print(json.dumps({"seconds": secs, "cpu": cpu, "table": grid[cols].round(4).to_dict("list"),
                  "full": grid.select_dtypes("number").round(5).to_dict("list"),
                  "choose_k": chosen,
                  "n_docs": len(toks.docs), "n_chars": int(toks.docs["n_chars"].sum())
                  if "n_chars" in toks.docs.columns else None}))
"""


def _export(ref: str, dest: Path) -> Path:
    """The package as it is at git revision ``ref``, unpacked into ``dest``."""
    archive = dest / "ref.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "bri_text"],
                   check=True)
    with tarfile.open(archive) as t:
        t.extractall(dest, filter="data")
    return dest


def _run(src: Path, ks, seeds) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(ks), json.dumps(seeds)],
                         env=env, check=True, capture_output=True, text=True, cwd=src)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    # CPU seconds of the process and of its worker processes (reaped before counting;
    # loading and tokenizing included): what the grid costs whatever the other users do
    res["cpu_seconds"] = res.pop("cpu")
    return res


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ref", default="main", help="git revision to compare with")
    p.add_argument("--skip-ref", action="store_true", help="time this tree only")
    p.add_argument("--ks", type=int, nargs="+", default=[5, 10, 15, 20, 25, 30])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    p.add_argument("--save", help="write the runs (seconds, every column) to this JSON file")
    args = p.parse_args(argv)
    print(f"grid: ks={args.ks}, seeds={args.seeds}; corpus: national work reports; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_ref:
            src = _export(args.ref, Path(tmp))
            res["ref"] = _run(src, args.ks, args.seeds)
            print(f"{args.ref}: {res['ref']['seconds']:.1f} s "
                  f"({res['ref']['cpu_seconds']:.0f} CPU s)", flush=True)
            print(json.dumps(res["ref"]["table"], ensure_ascii=False), flush=True)
        res["this"] = _run(ROOT, args.ks, args.seeds)
        print(f"this tree: {res['this']['seconds']:.1f} s, {res['this']['cpu_seconds']:.0f} "
              f"CPU s (target <= {TARGET_SECONDS:.0f} s: "
              f"{'MET' if res['this']['seconds'] <= TARGET_SECONDS else 'NOT MET'})", flush=True)
        print(json.dumps(res["this"]["table"], ensure_ascii=False), flush=True)
    print(f"choose_k: {res['this']['choose_k']}")
    if args.save:
        Path(args.save).write_text(json.dumps(res, indent=1))
    if "ref" in res:
        for what in ("seconds", "cpu_seconds"):
            r = res["this"][what] / res["ref"][what]
            print(f"ratio this / {args.ref} ({what}): {r:.2f} ({1 / r:.1f}x faster)")
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
