"""Benchmark: the comparative report (``python -m bri_text report --compare 广西 甘肃``),
cold: an empty segmentation cache (``BRI_TEXT_CACHE_DIR`` set to a fresh folder), in a new
process, on the built-in corpus. Target: under 60 s on 2 cores.

For scale, the same process also times the quick summary (``python -m bri_text``, the
main job) cold: the report does several times its work (keyness both ways with bootstrap,
KWIC, profile and orientation with intervals, a topic model, similarity, text reuse), so
the ratio report / summary is the figure to compare across machines.

    python benchmarks/bench_report.py [--repeat 1]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 60.0


def cold(args: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BRI_TEXT_CACHE_DIR=str(Path(tmp) / "cache"),
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        cmd = [sys.executable, "-m", "bri_text"] + [a.replace("{tmp}", tmp) for a in args]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    report = min(cold(["report", "--compare", "广西", "甘肃", "--out", "{tmp}/report",
                       "--quiet"]) for _ in range(args.repeat))
    summary = min(cold(["--out", "{tmp}/summary"]) for _ in range(args.repeat))
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"({os.cpu_count()} cores)")
    print(f"{'what':<44}{'seconds':>9}{'target':>9}")
    print(f"{'report, cold (new process, empty cache)':<44}{report:>9.1f}{TARGET:>9.0f}")
    print(f"{'quick summary python -m bri_text, cold':<44}{summary:>9.1f}{'':>9}")
    print(f"{'ratio report / summary':<44}{report / summary:>9.1f}")
    print("PASS" if report < TARGET else "SLOWER THAN TARGET")


if __name__ == "__main__":
    main()
