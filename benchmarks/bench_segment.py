"""Speed and memory of bri_text.segment against the targets of issue 5.

    python benchmarks/bench_segment.py [--mb 50] [--repeat 3]

Every figure is printed beside its target and beside the baseline measured in the same run
(a ratio survives a noisy machine; an absolute time does not). Small measurements (seed
corpus) are repeated ``--repeat`` times, interleaved with their baseline, and the best time
of each is kept.

Corpora:
- seed corpus: the built-in corpus ``bri_text.load_bri_policies()`` (the cleaned compendium,
  seed 001) cut into paragraphs;
- synthetic corpus: ``--mb`` megabytes (UTF-8) of documents of 20 paragraphs drawn at random
  (fixed seed) from the seed corpus.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def synthetic(paragraphs: list[str], mb: float, seed: int = 0):
    """Yield documents (20 random paragraphs each) until ``mb`` MB of UTF-8 are produced."""
    import numpy as np

    rng = np.random.default_rng(seed)
    target, size = int(mb * 1_000_000), 0
    while size < target:
        doc = "\n".join(paragraphs[i] for i in rng.integers(0, len(paragraphs), 20))
        size += len(doc.encode("utf-8"))
        yield doc


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB: VmHWM (Linux; unlike ru_maxrss it does
    not carry over the parent's peak across fork + exec), else ru_maxrss."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024
                                                                  if sys.platform == "darwin"
                                                                  else 1024)


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


_SPIN = 3_000_000


def _spin_processes(n_procs: int) -> None:
    """Two units of pure-Python work: in ``n_procs`` forked processes at once."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    if n_procs == 1:
        p = ctx.Process(target=lambda: (_spin(_SPIN), _spin(_SPIN)))
        p.start()
        p.join()
        return
    procs = [ctx.Process(target=_spin, args=(_SPIN,)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


def best(fns: dict, repeat: int) -> dict:
    out = {k: float("inf") for k in fns}
    for _ in range(repeat):
        for k, f in fns.items():
            t0 = time.perf_counter()
            f()
            out[k] = min(out[k], time.perf_counter() - t0)
    return out


STREAM_CODE = r"""
import sys, time
sys.path.insert(0, {repo!r}); sys.path.insert(0, {repo!r} + "/benchmarks")
from bench_segment import synthetic, peak_rss_mb
import bri_text
from bri_text.segment import Tokenizer, tokenize_stream
paras = bri_text.load_bri_policies().reshape("paragraph").texts
tok = Tokenizer(); tok("预热")
base = peak_rss_mb()
n = chars = 0
t0 = time.perf_counter()
for doc, toks in zip(synthetic(paras, {mb}), tokenize_stream(synthetic(paras, {mb}), tok)):
    n += len(toks); chars += len(doc)
peak = peak_rss_mb()
print(base, peak, n, chars, time.perf_counter() - t0)
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the synthetic corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=("all", "n_jobs"), default="all",
                    help="n_jobs: only the n_jobs rows (a quick re-run when the load drops)")
    a = ap.parse_args(argv)

    import jieba
    import jieba.posseg

    import bri_text
    from bri_text.segment import Tokenizer, tokenize
    from bri_text.segment._batch import _map_batches

    rows = []  # (what, target, figure, baseline note)

    def row(what, target, ok, figure, baseline):
        rows.append((what, target, figure, baseline,
                     "" if ok is None else "OK" if ok else "MISSED"))

    corpus = bri_text.load_bri_policies()
    paras = corpus.reshape("paragraph").texts
    seed_chars = sum(map(len, paras))
    ref = jieba.Tokenizer()  # a private jieba with its default dictionary = bare jieba.lcut
    ref.initialize()
    ref_pos = jieba.posseg.POSTokenizer(ref)
    tok = Tokenizer()
    tok_j = Tokenizer(engine="jieba")
    tok_pos = Tokenizer(pos={"n", "ns"})
    for t in (tok, tok_j, tok_pos):
        t("预热")  # build engines outside the timings
    print(f"seed corpus: {len(paras)} paragraphs, {seed_chars:,} characters", flush=True)

    if a.only == "all":
        # 1. cold throughput on the seed corpus (cold = cache=False: the real segmentation work,
        # neither reading nor writing the cache; cache costs are measured in 3.)
        tm = best({
            "lcut": lambda: [ref.lcut(p) for p in paras],
            "default": lambda: tokenize(paras, tok, cache=False),
            "call": lambda: [tok(p) for p in paras],
            "jieba": lambda: tokenize(paras, tok_j, cache=False),
            "posseg": lambda: [ref_pos.lcut(p) for p in paras],
            "pos": lambda: tokenize(paras, tok_pos, cache=False),
        }, a.repeat)
        mc = lambda sec: f"{seed_chars / sec / 1e6:.2f}M chars/s"  # noqa: E731
        r = tm["lcut"] / tm["default"]
        row("cold Tokenizer() vs jieba.lcut, seed corpus", ">= 8x", r >= 8,
            f"{r:.1f}x ({mc(tm['default'])})", f"jieba.lcut {mc(tm['lcut'])}")
        r = tm["lcut"] / tm["call"]
        row("per call [tok(p) for p in paras] vs jieba.lcut", ">= 6x", r >= 6,
            f"{r:.1f}x ({mc(tm['call'])})", f"jieba.lcut {mc(tm['lcut'])}")
        r = tm["lcut"] / tm["jieba"]
        row("cold Tokenizer(engine='jieba') vs jieba.lcut, seed", ">= 0.8x", r >= 0.8,
            f"{r:.2f}x ({mc(tm['jieba'])})", f"jieba.lcut {mc(tm['lcut'])}")
        r = tm["posseg"] / tm["pos"]
        row("POS-filtered {n, ns} vs jieba.posseg.lcut, seed", ">= 20x", r >= 20,
            f"{r:.1f}x ({mc(tm['pos'])})", f"posseg {mc(tm['posseg'])}")

        # 2. span agreement between the engines
        same = total_r = total_j = 0
        for p in paras:
            a_ = {(s, e) for _, s, e in tok.segment(p)}
            b_ = {(s, e) for _, s, e in tok_j.segment(p)}
            same += len(a_ & b_)
            total_r += len(a_)
            total_j += len(b_)
        agree = same / max(total_r, total_j)
        row("token-span agreement rjieba/jieba, seed corpus", ">= 99%", agree >= 0.99,
            f"{agree:.2%} of {max(total_r, total_j):,} spans", "-")

        # 3. warm (cached) vs cold on the built-in corpus
        docs = corpus
        for name, t in (("jieba", tok_j), ("rjieba", tok)):
            cold = warm = float("inf")
            for _ in range(a.repeat):
                with tempfile.TemporaryDirectory() as d:
                    t0 = time.perf_counter()
                    tokenize(docs, t, cache=True, cache_dir=d)
                    cold = min(cold, time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    tokenize(docs, t, cache=True, cache_dir=d)
                    warm = min(warm, time.perf_counter() - t0)
            nocache = best({"x": lambda: tokenize(docs, t, cache=False)}, a.repeat)["x"]
            if name == "jieba":
                r = cold / warm
                row("warm (cached) vs cold, built-in corpus, jieba", ">= 20x", r >= 20,
                    f"{r:.1f}x (warm {warm * 1000:.0f} ms)", f"cold {cold * 1000:.0f} ms")
            else:
                r = nocache / warm
                row("cache read vs re-tokenising, rjieba", "> 1x: on", r > 1,
                    f"{r:.1f}x (warm {warm * 1000:.0f} ms)", f"no cache {nocache * 1000:.0f} ms")
                row("  first run writing the cache vs cache=False, rjieba", "-", None,
                    f"{cold / nocache:.2f}x ({cold * 1000:.0f} ms)",
                    f"no cache {nocache * 1000:.0f} ms")

    # 4. the synthetic corpus (cold = cache=False: real segmentation work, no cache writes)
    big = list(synthetic(paras, a.mb))
    big_chars = sum(map(len, big))
    print(f"synthetic corpus: {len(big)} documents, {big_chars:,} characters, "
          f"{sum(len(d.encode('utf-8')) for d in big) / 1e6:.1f} MB", flush=True)
    tokenize(big[:200], tok, cache=False)  # the same warm-up for every run
    if a.only == "all":
        tm = best({
            "lcut": lambda: [ref.lcut(d) for d in big],
            "default": lambda: tokenize(big, tok, cache=False),
            "jieba": lambda: tokenize(big, tok_j, cache=False),
        }, a.repeat)
        mb = lambda sec: f"{big_chars / sec / 1e6:.2f}M chars/s"  # noqa: E731
        r = tm["lcut"] / tm["default"]
        row(f"cold Tokenizer() vs jieba.lcut, {a.mb:g} MB", ">= 8x", r >= 8,
            f"{r:.1f}x ({mb(tm['default'])})", f"jieba.lcut {mb(tm['lcut'])}")
        r = tm["lcut"] / tm["jieba"]
        row(f"cold Tokenizer(engine='jieba') vs jieba.lcut, {a.mb:g} MB", ">= 0.8x", r >= 0.8,
            f"{r:.2f}x ({mb(tm['jieba'])})", f"jieba.lcut {mb(tm['lcut'])}")

    # 5. n_jobs, interleaved with the ceiling of this machine in the same run: the speedup of
    # two processes doing independent pure-Python work over doing it one after the other
    # (other jobs sharing the cores lower both alike)
    load0 = os.getloadavg()[0]
    tm = best({
        "n2": lambda: tokenize(big, tok, cache=False, n_jobs=2),
        "n1": lambda: tokenize(big, tok, cache=False, n_jobs=1),
        "par": lambda: _spin_processes(2),
        "ser": lambda: _spin_processes(1),
    }, max(a.repeat, 5))  # cheap next to the baselines above; load comes and goes
    # (tokenize would not start workers for so little text: call the pool directly)
    startup = best({"x": lambda: list(_map_batches(tok, [["一带一路"], ["中欧班列"]], 2, False))},
                   a.repeat)["x"]
    load1 = os.getloadavg()[0]
    r = tm["n1"] / tm["n2"]
    ceiling = tm["ser"] / tm["par"]
    row(f"n_jobs=2 vs n_jobs=1, {a.mb:g} MB ({os.cpu_count()} cores)", ">= 1.6x",
        r >= 1.6, f"{r:.2f}x ({tm['n2']:.1f} s)", f"n_jobs=1 {tm['n1']:.1f} s")
    row("  ceiling: 2 processes of pure-Python work vs serial", "-", None,
        f"{ceiling:.2f}x", f"load average {load0:.1f}-{load1:.1f}")
    row("  2-worker pool start-up + shutdown (2 tiny jobs)", "-", None,
        f"{startup * 1000:.0f} ms", "-")
    big = None  # frees the corpus (the timed lambdas share this name) before step 6

    if a.only == "all":
        # 6. peak memory while streaming, in a fresh process
        out = subprocess.run([sys.executable, "-c", STREAM_CODE.format(repo=str(REPO), mb=a.mb)],
                             capture_output=True, text=True, check=True, cwd=REPO).stdout.split()
        base, peak = float(out[0]), float(out[1])
        row(f"peak memory streaming {a.mb:g} MB (max RSS)", "< 500 MB", peak < 500,
            f"{peak:.0f} MB", f"process before streaming {base:.0f} MB")

    print()
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':{w}s}  {'target':>10s}  {'figure':34s}  {'baseline (same run)':34s}")
    for what, target, figure, baseline, ok in rows:
        print(f"{what:{w}s}  {target:>10s}  {figure:34s}  {baseline:34s}  {ok}")


if __name__ == "__main__":
    main()
