"""Benchmark: the comparative report (``python -m bri_text report``), cold (a new process,
an empty segmentation cache via ``BRI_TEXT_CACHE_DIR``), with the default sections, on
corpora other than the built-in one, against the main branch's code (0.3.0) in the same
run. Target: at most 20 s cold for up to 300 documents / 3 MB on 2 cores.

Corpora (made from ``bt.load_work_reports()``, so a clean clone can run this):

- ``sections``: the 52 national work reports cut at their chapter headings (一、二、...):
  269 documents, 1.08 MB, a ``publish_date`` column, compared by ``period``
  (1954–1999: 167 documents vs 2000–2025: 102), like a 55-vs-166 spreadsheet corpus;
- ``reports31``: the 31 latest reports whole (0.78 MB), compared by ``report`` (2024年报告
  vs 2025年报告: one document each), like a year's 31 provincial reports compared two by two;
- ``builtin``: the built-in corpus, ``--compare 广西 甘肃`` (the README's command).

    python benchmarks/bench_report.py [--old /work/main] [--repeat 1] [--only sections]

``--old``: a checkout of the code to compare with (default: /work/main when it exists;
``--old none`` times this tree only). Prints seconds per corpus, the target and the ratio
old / new (wall), and the CPU seconds of each run (user + system: what the run itself
costs, less sensitive than wall time to other work on a shared machine).

Measured 2026-12-06 (2 cores shared with other sessions):

    load 2.6:  sections  new 19.4 s (cpu 19.3)  0.3.0 74.7 s (cpu 55.0)  PASS
               reports31 new 18.1 s (cpu 12.6)  0.3.0 19.5 s (cpu 19.4)  PASS
    load 6.4:  sections  new 38.7 s (cpu 19.3)  0.3.0 120.0 s (cpu 59.8)
               reports31 new 25.7 s (cpu 12.6)  0.3.0 41.3 s (cpu 20.7)
               builtin   new 20.8 s (cpu 10.4)  0.3.0 23.3 s (cpu 11.7)

CPU seconds are the steadier figure: 19.3 for 3.19 MB (0.3.0: 55-60), 12.6 for the 31
reports (0.3.0: 19-21).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 20.0


def make_corpora(folder: Path) -> dict:
    """Write the benchmark corpora as CSV; return name -> (report arguments, description)."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    import bri_text as bt

    w = bt.load_work_reports().docs
    rows = []
    for r in w.itertuples():
        date = r.date if isinstance(r.date, str) else f"{r.year}-03-05"
        for i, part in enumerate(re.split(r"\n(?=[一二三四五六七八九十]{1,3}、)", r.text)):
            if len(part) >= 200:
                rows.append({"doc_id": f"{r.doc_id}_{i}", "title": part.split("\n")[0][:40],
                             "publish_date": date,
                             "period": "1954–1999" if r.year < 2000 else "2000–2025",
                             "text": part})
    sections = pd.DataFrame(rows)
    sections.to_csv(folder / "sections.csv", index=False)
    last = w.sort_values("year").tail(31)[["doc_id", "year", "title", "text"]]
    last = last.assign(year=last["year"].astype(int),
                       report=[f"{int(y)}年报告" for y in last["year"]])
    last.to_csv(folder / "reports31.csv", index=False)
    mb = lambda df: df["text"].str.encode("utf-8").str.len().sum() / 1e6  # noqa: E731
    return {
        "sections": (["--corpus", str(folder / "sections.csv"), "--by", "period",
                      "--compare", "1954–1999", "2000–2025"],
                     f"{len(sections)} docs, {mb(sections):.2f} MB"),
        "reports31": (["--corpus", str(folder / "reports31.csv"), "--by", "report",
                       "--compare", "2024年报告", "2025年报告"], f"31 docs, {mb(last):.2f} MB"),
        "builtin": (["--compare", "广西", "甘肃"], "27 docs, 0.39 MB"),
    }


def cold(code: Path, args: list[str], out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process: user + system, less sensitive to other
    work on the machine)."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BRI_TEXT_CACHE_DIR=str(Path(tmp) / "cache"),
                   PYTHONPATH=str(code))
        cmd = [sys.executable, "-m", "bri_text", "report"] + args + ["--out", str(out),
                                                                     "--quiet"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=tmp, env=env, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", default="/work/main" if Path("/work/main").is_dir()
                        else "none")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    old = None if args.old == "none" else Path(args.old)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = make_corpora(tmp)
        load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
        print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"({os.cpu_count()} cores)")
        print(f"{'corpus':<11}{'size':<20}{'new s':>7}{'(cpu)':>7}{'old s':>7}{'(cpu)':>7}"
              f"{'target':>7}{'old/new':>8}  verdict (wall)")
        for name, (cargs, size) in corpora.items():
            if args.only and name not in args.only:
                continue
            new_t = old_t = (float("inf"), float("inf"))
            for _ in range(args.repeat):     # alternate, so both see the same load
                new_t = min(new_t, cold(ROOT, cargs, tmp / f"new_{name}"))
                if old is not None:
                    old_t = min(old_t, cold(old, cargs, tmp / f"old_{name}"))
            if old is None:
                old_t = (float("nan"), float("nan"))
            print(f"{name:<11}{size:<20}{new_t[0]:>7.1f}{new_t[1]:>7.1f}{old_t[0]:>7.1f}"
                  f"{old_t[1]:>7.1f}{TARGET:>7.0f}{old_t[0] / new_t[0]:>8.2f}  "
                  f"{'PASS' if new_t[0] <= TARGET else 'SLOWER THAN TARGET'}", flush=True)


if __name__ == "__main__":
    main()
