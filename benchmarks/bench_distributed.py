"""Benchmark: the province comparison on Dask (``bri_text.distributed``), 1 and 2 workers,
against the in-memory path, on a synthetic corpus of ``--size-mb`` MB of JSONL on disk.

Corpus (generated once into ``--dir``, default /tmp/bri_bench/size<N>; never in the repo):
the sentences of the built-in corpus and of the five seed texts in ``../shared/seeds/``
(read and cleaned with ``bri_text.read_files``) are recombined into documents of 3-12
paragraphs of 2-6 sentences; in each sentence province and city names are swapped for
random ones from the gazetteer, digits are replaced by random numbers, and with probability
0.3 a random rare "word" of 2-4 CJK characters is inserted (drawn from a Zipf law over
about 2 million possible strings), so the vocabulary keeps growing with size as in real
text. Each document has ``region`` (a random province or none, 30%) and ``year``. Shards
of about ``--partition-mb`` MB each, UTF-8 JSONL.

Pipeline timed (one pass, as a user runs it): ``read_jsonl`` (encoding detection, cleaning)
→ segmentation → ``group_counts(by="region")`` → ``keyness(by="region")`` on the result.

Figures printed: MB/s of text on disk with 1 and 2 workers (speed-up, target >= 1.8x),
peak RSS per worker (sampled every 0.2 s; target: bounded by the partition size, not the
corpus size), scheduler overhead per task (1000 no-op tasks), and the in-memory path
(``bt.read_jsonl`` per shard → ``tokenize`` → ``dtm`` → ``group`` → ``keyness``) on the
first ``--inmem-mb`` MB, with its peak RSS.

    python benchmarks/bench_distributed.py --size-mb 1024 --workers 1 2 --inmem-mb 256

``--files N`` times reading a folder instead (nothing else): N files laid out from the
built-in policies and work reports (each document, then overlapping 6-line slices of it;
every 5th file GBK, every 7th an ``.html`` page), read by ``bt.read_folder`` and by
``btd.read_folder(...).compute(scheduler="sync")`` in this one process, best of
``--repeat`` runs each:

    python benchmarks/bench_distributed.py --files 1000
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt
import bri_text.distributed as btd

SEEDS = ROOT.parent / "shared" / "seeds"


# --------------------------------------------------------------------------- corpus
def _sentences() -> list[str]:
    texts = list(bt.load_bri_policies().texts)
    if SEEDS.is_dir():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seeds = bt.read_files(sorted(SEEDS.glob("*.txt")), errors="skip")
        texts += seeds.texts
    out = []
    for t in texts:
        out += [s.strip() for s in re.split(r"(?<=[。！？；])", t) if len(s.strip()) >= 6]
    return out


def generate(folder: Path, size_mb: float, partition_mb: float, seed: int = 0) -> dict:
    manifest = folder / "manifest.json"
    if manifest.is_file():
        info = json.loads(manifest.read_text())
        if info.get("size_mb") == size_mb and info.get("partition_mb") == partition_mb:
            return info
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.glob("*.jsonl"):
        f.unlink()
    rng = np.random.default_rng(seed)
    sents = np.asarray(_sentences(), dtype=object)
    from bri_text._lexicons import load_provinces

    prov = load_provinces()
    provinces = sorted(set(prov["province"]))
    names = sorted(set(prov.loc[prov["kind"].isin(["short", "full", "city"]), "name"]),
                   key=len, reverse=True)
    name_re = re.compile("|".join(map(re.escape, names)))
    cjk = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 3000)])
    rare_pool = 2_000_000
    t0 = time.time()
    total, shard, doc_no = 0, 0, 0
    target = size_mb * 1e6
    while total < target:
        lines, size = [], 0
        while size < partition_mb * 1e6 and total + size < target:
            paras = []
            for _ in range(rng.integers(3, 13)):
                picked = sents[rng.integers(0, len(sents), rng.integers(2, 7))]
                out = []
                for s in picked:
                    s = name_re.sub(lambda m: names[rng.integers(len(names))], s)
                    s = re.sub(r"\d+", lambda m: str(rng.integers(1, 10000)), s)
                    if rng.random() < 0.3:   # a rare word: Zipf over rare_pool strings
                        k = int(min(rng.zipf(1.3), rare_pool))
                        r = np.random.default_rng(k)
                        word = "".join(r.choice(cjk, r.integers(2, 5)))
                        cut = int(rng.integers(0, len(s)))
                        s = s[:cut] + word + s[cut:]
                    out.append(s)
                paras.append("".join(out))
            region = provinces[rng.integers(len(provinces))] if rng.random() > 0.3 else None
            rec = {"doc_id": f"d{doc_no}", "text": "\n\n".join(paras), "region": region,
                   "year": int(rng.integers(2015, 2027))}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            lines.append(line)
            size += len(line.encode())
            doc_no += 1
        (folder / f"shard{shard:05d}.jsonl").write_text("".join(lines), encoding="utf-8")
        total += size
        shard += 1
    info = {"size_mb": size_mb, "partition_mb": partition_mb, "bytes": total,
            "shards": shard, "docs": doc_no, "generate_s": round(time.time() - t0, 1)}
    manifest.write_text(json.dumps(info))
    return info


# --------------------------------------------------------------------------- runs
def _rss():
    import psutil

    return psutil.Process().memory_info().rss


def run_dask(folder: Path, n_workers: int, nbytes: int) -> dict:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit=0, silence_logs=50) as cluster, \
            Client(cluster) as client:
        client.run(lambda: bt.Tokenizer()("一带一路"))      # warm the segmenter everywhere
        # scheduler overhead: 1000 no-op tasks
        t = time.perf_counter()
        client.gather(client.map(int, range(1000), pure=False))
        overhead = (time.perf_counter() - t) / 1000
        peaks: dict = {}
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    for w, r in client.run(_rss).items():
                        peaks[w] = max(peaks.get(w, 0), r)
                except Exception:  # noqa: BLE001 - a sample may fail during shutdown
                    pass
                stop.wait(0.2)

        base = client.run(_rss)
        th = threading.Thread(target=sample, daemon=True)
        th.start()
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            docs = btd.read_jsonl(str(folder / "*.jsonl"), doc_id="doc_id", errors="skip")
            m = btd.group_counts(docs, by="region")
            t_counts = time.perf_counter() - t
            table = bt.keyness(m, by="region")
        elapsed = time.perf_counter() - t
        stop.set()
        th.join()
        return {"workers": n_workers, "seconds": elapsed, "counts_s": t_counts,
                "keyness_s": elapsed - t_counts, "mb_s": nbytes / 1e6 / elapsed,
                "partitions": docs.npartitions, "terms": len(m.terms),
                "peak_rss_mb": max(peaks.values()) / 1e6 if peaks else float("nan"),
                "base_rss_mb": max(base.values()) / 1e6, "overhead_ms": overhead * 1e3,
                "top": table.groupby("group").head(1)["term"].tolist()[:3]}


def run_topics(folder: Path, n_workers: int, nbytes: int, frac: float, n_topics: int) -> dict:
    """fit_topics on a sample (in this process), then topic_shares on every partition."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit=0, silence_logs=50) as cluster, \
            Client(cluster):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            docs = btd.reshape(btd.read_jsonl(str(folder / "*.jsonl"), doc_id="doc_id"),
                               "paragraph")
            t = time.perf_counter()
            model = btd.fit_topics(docs, n_topics, frac=frac, random_state=1)
            t_fit = time.perf_counter() - t
            t = time.perf_counter()
            shares = btd.topic_shares(docs, model)
            cols = [str(k) for k in range(n_topics)]
            prevalence = shares[["region"] + cols].dropna().astype(
                {c: float for c in cols}).groupby("region").mean().compute()
            t_infer = time.perf_counter() - t
    return {"frac": frac, "n_topics": n_topics, "fit_s": t_fit, "infer_s": t_infer,
            "infer_mb_s": nbytes / 1e6 / t_infer, "groups": len(prevalence),
            "n_units_sample": len(model.units_)}


def run_in_memory(folder: Path, limit_mb: float) -> dict:
    import pandas as pd

    files, size = [], 0
    for f in sorted(folder.glob("*.jsonl")):
        if size >= limit_mb * 1e6:
            break
        files.append(f)
        size += f.stat().st_size
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = [bt.read_jsonl(f, doc_id="doc_id").docs for f in files]
        corpus = bt.Corpus.from_dataframe(pd.concat(parts, ignore_index=True), doc_id="doc_id")
        tokens = bt.tokenize(corpus, cache=False, progress=False)
        m = bt.dtm(tokens).group("region")
        bt.keyness(m, by="region")
    elapsed = time.perf_counter() - t
    return {"mb": size / 1e6, "seconds": elapsed, "mb_s": size / 1e6 / elapsed,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}


def generate_files(folder: Path, n_files: int) -> int:
    """``n_files`` policy files (see the module docstring); their total size in bytes."""
    if folder.is_dir() and len(list(folder.iterdir())) == n_files:
        return sum(f.stat().st_size for f in folder.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        f.unlink()
    docs = []
    for c in (bt.load_bri_policies(), bt.load_work_reports()):
        docs += [(d, (t or "") + "\n" + x) for d, t, x in
                 zip(c.docs["doc_id"], c.docs.get("title", c.docs["doc_id"]), c.texts)]
    texts = [(d, x) for d, x in docs]
    for d, x in docs:
        lines = [line for line in x.split("\n") if line.strip()]
        texts += [(f"{d}_s{k:03d}", lines[0] + f"（节选{k}）\n" + "\n".join(lines[i:i + 6]))
                  for k, i in enumerate(range(1, max(2, len(lines) - 5), 3))]
    size = 0
    for i, (d, x) in enumerate(texts[:n_files]):
        if i % 7 == 3:
            body = "".join(f"<p>{line}</p>" for line in x.split("\n"))
            path, data = folder / f"{d}.html", (f"<html><head><title>{x.split(chr(10))[0]}"
                                               f"_中国政府网</title></head><body>{body}"
                                               "</body></html>").encode()
        else:
            path = folder / f"{d}.txt"
            data = x.encode("gb18030" if i % 5 == 0 else "utf-8")
        path.write_bytes(data)
        size += len(data)
    return size


def run_files(n_files: int, repeat: int) -> None:
    folder = Path("/tmp/bri_bench") / f"files{n_files}"
    size = generate_files(folder, n_files)
    n = len(list(folder.iterdir()))
    print(f"{n} files, {size / 1e6:.1f} MB ({folder}); load average {os.getloadavg()[0]:.1f}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = {"in memory: bt.read_folder": lambda: len(bt.read_folder(folder)),
                "Dask, sync: btd.read_folder().compute()": lambda: len(
                    btd.read_folder(folder).compute(scheduler="sync"))}
        for name, run in runs.items():
            best = min(_timed(run) for _ in range(repeat))
            print(f"{name:42s} {best:7.2f} s  {best / n * 1e3:6.2f} ms/file  "
                  f"{size / 1e6 / best:5.2f} MB/s")


def _timed(run) -> float:
    t = time.perf_counter()
    run()
    return time.perf_counter() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, default=1024)
    ap.add_argument("--partition-mb", type=float, default=64)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--inmem-mb", type=float, default=256,
                    help="size of the in-memory run (0: skip)")
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--topics", type=float, default=0,
                    help="also time fit_topics on this sample fraction + topic_shares")
    ap.add_argument("--files", type=int, default=0,
                    help="only time reading a folder of this many files (see above)")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    if args.files:
        return run_files(args.files, args.repeat)
    folder = args.dir or Path("/tmp/bri_bench") / f"size{int(args.size_mb)}"
    info = generate(folder, args.size_mb, args.partition_mb)
    print(f"corpus: {info['bytes'] / 1e6:,.0f} MB in {info['shards']} shards, "
          f"{info['docs']:,} documents ({folder}; generated in {info['generate_s']} s)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          "(scaling figures need idle cores)")
    rows = [run_dask(folder, n, info["bytes"]) for n in args.workers]
    print("\nworkers  seconds  MB/s  speed-up  peak RSS/worker MB (idle)  partitions  terms"
          "  overhead/task ms")
    for r in rows:
        print(f"{r['workers']:>7}  {r['seconds']:7.1f}  {r['mb_s']:4.2f}  "
              f"{r['mb_s'] / rows[0]['mb_s']:8.2f}  {r['peak_rss_mb']:8.0f} "
              f"({r['base_rss_mb']:.0f})          {r['partitions']:>10}  {r['terms']:>7,}"
              f"  {r['overhead_ms']:.2f}")
    if len(rows) > 1:
        print(f"target: >= 1.8x from 1 to 2 workers; measured "
              f"{rows[-1]['mb_s'] / rows[0]['mb_s']:.2f}x")
    per_part = rows[0]["counts_s"] / max(1, rows[0]["partitions"])
    print(f"per partition (1 worker): {per_part:.2f} s of work vs "
          f"{rows[0]['overhead_ms']:.2f} ms scheduler overhead per task")
    if args.inmem_mb:
        im = run_in_memory(folder, min(args.inmem_mb, args.size_mb))
        print(f"\nin memory, first {im['mb']:.0f} MB: {im['seconds']:.1f} s, "
              f"{im['mb_s']:.2f} MB/s, peak RSS {im['peak_rss_mb']:.0f} MB "
              f"(baseline for the 1-worker Dask run: {rows[0]['mb_s']:.2f} MB/s)")
    if args.topics:
        tp = run_topics(folder, max(args.workers), info["bytes"], args.topics, 20)
        print(f"\ntopics (K=20, {max(args.workers)} workers): fit on {tp['frac']:.0%} sample "
              f"({tp['n_units_sample']:,} paragraphs) {tp['fit_s']:.1f} s; inference of every "
              f"paragraph {tp['infer_s']:.1f} s = {tp['infer_mb_s']:.2f} MB/s")
        rows.append({"topics": tp})
    print(json.dumps({"corpus": info, "dask": rows}, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
