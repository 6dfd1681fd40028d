"""Text reuse benchmark: bri_text.text_reuse beside qhchina.find_shared_sequences.

Accuracy (default): 300 passages of 20-300 characters copied from the 27 built-in policy
documents, edited (at most 10 % of characters: an inserted clause, changed digits, dropped
punctuation, a different dash) and planted into the ~95 paragraphs (>= 40 characters) of
the press seeds 000, 002, 003, 004 (cleaned with bri_text.cleaning.clean). Precision: a
detection is right when at least half of it lies in a planted span of the same host and
it names that span's source document (the detection's own text is planted text). Recall:
a planted span is found when one detection naming its source covers at least half of it.
(Until 0.2.0 precision also required each detection to cover half of its planted span,
which counted every fragment of a passage found in two pieces as wrong: qhchina's 0.459;
that figure is kept as "precision, whole passages".) Host and source sides are checked
for qhchina (it returns each pair once, the lower index as doc_a; the sources come first,
so the source is doc_a). Both tools are run in the same process on the same texts.

Scale (``--scale-mb 50``): all-pairs reuse on a synthetic corpus of that many MB (UTF-8)
of word-salad text (random 1-4 character pieces of the real documents, so no long passage
repeats by chance) with planted, edited passages of the real documents (3 per document,
50-500 characters); time and peak RSS of each tool in its own child process.

    PYTHONPATH=. python benchmarks/bench_reuse.py                      # accuracy, ~10 s
    PYTHONPATH=. python benchmarks/bench_reuse.py --scale-mb 50 --qh-scale-mb 50
"""
from __future__ import annotations

import argparse
import glob
import multiprocessing as mp
import resource
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

import bri_text as bt
from bri_text import _units
from bri_text.cleaning import clean

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BINS = [(20, 49), (50, 79), (80, 119), (120, 199), (200, 300)]
CLAUSES = ["，并进一步加强区域合作", "，同时", "、积极稳妥地", "，切实", "（试行）", "，按照有关规定",
           "和沿线国家", "，不断完善"]


# ---------------------------------------------------------------------- planting
def host_paragraphs(min_len: int = 40) -> list[str]:
    out = []
    for prefix in ("000", "002", "003", "004"):
        path = sorted(glob.glob(str(SEEDS / f"{prefix}_*.txt")))[0]
        text = clean(Path(path).read_text(encoding="utf-8"))
        out += [text[s:e] for s, e in _units.paragraph_bounds(text) if e - s >= min_len]
    return out


def edit(passage: str, rng: np.random.Generator) -> str:
    """At most 10 % of the characters changed: one or two of inserted clause, changed
    digits, dropped punctuation, a different dash."""
    budget = max(1, int(0.10 * len(passage)))
    kinds = rng.permutation(["clause", "digits", "punct", "dash"])[:rng.integers(1, 3)]
    s = passage
    for kind in kinds:
        if budget <= 0:
            break
        if kind == "clause":
            c = CLAUSES[rng.integers(len(CLAUSES))][:budget]
            pos = int(rng.integers(1, len(s)))
            s = s[:pos] + c + s[pos:]
            budget -= len(c)
        elif kind == "digits":
            idx = [i for i, ch in enumerate(s) if ch.isdigit()][:budget]
            chars = list(s)
            for i in idx:
                chars[i] = str((int(unicodedata.digit(chars[i])) + 1 + rng.integers(8)) % 10)
            s = "".join(chars)
            budget -= len(idx)
        elif kind == "punct":
            idx = [i for i, ch in enumerate(s) if unicodedata.category(ch).startswith("P")]
            drop = set(idx[:budget])
            s = "".join(ch for i, ch in enumerate(s) if i not in drop)
            budget -= len(drop)
        else:
            for a, b in (("——", "-"), ("—", "–"), ("－", "—"), ("-", "——")):
                if a in s:
                    s = s.replace(a, b, 1)
                    budget -= max(len(a), len(b))
                    break
    return s


def plant(sources: bt.Corpus, hosts: list[str], n: int = 300, seed: int = 12):
    rng = np.random.default_rng(seed)
    texts, ids = sources.texts, sources.doc_ids
    weights = np.array([len(t) for t in texts], float)
    plan = {h: [] for h in range(len(hosts))}
    for k in range(n):
        lo, hi = BINS[k % len(BINS)]
        length = int(rng.integers(lo, hi + 1))
        while True:
            d = int(rng.choice(len(texts), p=weights / weights.sum()))
            if len(texts[d]) > length + 10:
                break
        s = int(rng.integers(0, len(texts[d]) - length))
        passage = texts[d][s:s + length]
        h = int(rng.integers(len(hosts)))
        host = hosts[h]
        cuts = [i + 1 for i, ch in enumerate(host) if ch in "。；！？"] or [len(host)]
        plan[h].append((int(rng.choice(cuts)), d, s, s + length, edit(passage, rng), length))
    planted_texts, truth = [], []
    for h, host in enumerate(hosts):
        out, last, pos = [], 0, 0
        for cut, d, s, e, text, length in sorted(plan[h], key=lambda x: x[0]):
            out.append(host[last:cut])
            pos += cut - last
            truth.append({"host": f"host{h:03d}", "start": pos, "end": pos + len(text),
                          "source": ids[d], "src_start": s, "src_end": e, "length": length})
            out.append(text)
            pos += len(text)
            last = cut
        out.append(host[last:])
        planted_texts.append("".join(out))
    corpus = bt.Corpus(pd.DataFrame({"doc_id": [f"host{h:03d}" for h in range(len(hosts))],
                                     "text": planted_texts}))
    return corpus, pd.DataFrame(truth)


def best_source(det: pd.DataFrame) -> pd.DataFrame:
    """One source per host stretch: the most similar (then longest) detection wins; others
    overlapping it by more than half are dropped (applied to both tools alike)."""
    keep = []
    for _, g in det.groupby("host", sort=False):
        g = g.assign(_len=g["end"] - g["start"]).sort_values(
            ["similarity", "_len", "start"], ascending=[False, False, True])
        kept = []
        for r in g.itertuples():
            if any(min(r.end, e) - max(r.start, s) > 0.5 * (r.end - r.start) for s, e in kept):
                continue
            kept.append((r.start, r.end))
            keep.append(r.Index)
    return det.loc[sorted(keep)]


def lenient_precision(det: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Share of detections covering >= 50 % of themselves with a planted span, whatever the
    source named (the other source then holds the same text: the alignment checked it)."""
    by_host = {h: g for h, g in truth.groupby("host")}
    ok = 0
    for r in det.itertuples():
        g = by_host.get(r.host)
        if g is not None:
            ov = np.minimum(g["end"], r.end) - np.maximum(g["start"], r.start)
            ok += bool((ov >= 0.5 * (r.end - r.start)).any())
    return ok / len(det) if len(det) else float("nan")


def score(det: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """det: host, start, end, source. Precision (a detection lies, by half or more, in a
    planted span of its source), recall per length bin, and the stricter precision of
    whole passages (each detection covers half of its planted span)."""
    by_host = {h: g for h, g in truth.groupby("host")}
    found = np.zeros(len(truth), bool)
    correct = whole = 0
    for r in det.itertuples():
        g = by_host.get(r.host)
        if g is None:
            continue
        ov = np.minimum(g["end"], r.end) - np.maximum(g["start"], r.start)
        same = (g["source"] == r.source).to_numpy()
        inside = (ov >= 0.5 * (r.end - r.start)).to_numpy() & same
        covers = (ov >= 0.5 * (g["end"] - g["start"])).to_numpy() & same
        correct += bool(inside.any())
        whole += bool(covers.any())
        found[g.index[covers]] = True
    n = len(det)
    out = {"detections": n, "precision": correct / n if n else float("nan"),
           "precision, whole passages": whole / n if n else float("nan")}
    for lo, hi in BINS:
        m = ((truth["length"] >= lo) & (truth["length"] <= hi)).to_numpy()
        out[f"recall {lo}-{hi}"] = found[m].mean()
    m50 = (truth["length"] >= 50).to_numpy()
    out["recall >=50"] = found[m50].mean()
    out["recall all"] = found.mean()
    out["precision, any source"] = lenient_precision(det, truth)
    return out


# ---------------------------------------------------------------------- the two tools
def run_bri(sources, hosts, min_chars=20):
    """bri_text traces the sources (reference) into the hosts: doc_a is the source."""
    t = bt.text_reuse(hosts, reference=sources, min_chars=min_chars)
    return t.rename(columns={"doc_b": "host", "start_b": "start", "end_b": "end",
                             "doc_a": "source"})


def run_qh(docs: list[str], ids: list[str], n: int, min_length: int, min_similarity=0.8,
           pair_filter=None):
    from qhchina.analytics.textreuse import find_shared_sequences

    t = find_shared_sequences([list(d) for d in docs], n=n, min_length=min_length,
                              min_similarity=min_similarity)
    rows = []
    for r in t.itertuples():
        a, b = int(r.doc_a), int(r.doc_b)
        if pair_filter is not None:
            if not pair_filter(a, b):
                continue
            if pair_filter(a, b) == "swap":
                a, b = b, a
                ps, ls = r.pos_b, len(r.passage_b)
                pb, lb = r.pos_a, len(r.passage_a)
            else:
                ps, ls, pb, lb = r.pos_a, len(r.passage_a), r.pos_b, len(r.passage_b)
        else:
            ps, ls, pb, lb = r.pos_a, len(r.passage_a), r.pos_b, len(r.passage_b)
        rows.append({"source": ids[a], "host": ids[b], "start": pb, "end": pb + lb,
                     "src_start": ps, "src_end": ps + ls, "similarity": r.similarity})
    return pd.DataFrame(rows, columns=["source", "host", "start", "end", "src_start",
                                       "src_end", "similarity"])


def accuracy(repeat: int = 3):
    sources = bt.load_bri_policies()
    hosts_raw = host_paragraphs()
    hosts, truth = plant(sources, hosts_raw)
    print(f"sources: {len(sources)} documents, {sum(map(len, sources.texts)):,} chars; hosts: "
          f"{len(hosts)} paragraphs, {sum(map(len, hosts.texts)):,} chars; planted: "
          f"{len(truth)} passages")
    docs = sources.texts + hosts.texts
    ids = sources.doc_ids + hosts.doc_ids
    ns = len(sources)

    def src_host(a, b):
        if a < ns <= b:
            return True
        if b < ns <= a:
            return "swap"
        return False

    tools = {
        "bri_text.text_reuse (default, min_chars=30)": lambda: run_bri(sources, hosts, 30),
        "bri_text.text_reuse (min_chars=20)": lambda: run_bri(sources, hosts),
        "qhchina n=7, min_length=20, sim 0.8": lambda: run_qh(docs, ids, 7, 20, 0.8, src_host),
        "qhchina n=5, min_length=15, sim 0.8": lambda: run_qh(docs, ids, 5, 15, 0.8, src_host),
    }
    rows = []
    for name, fn in tools.items():
        fn()  # warm-up (imports, tables)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            det = fn()
            times.append(time.perf_counter() - t0)
        sc = score(det, truth)
        best = best_source(det)
        sb = score(best, truth)
        rows.append({"tool": name, **sc, "precision, one source per stretch": sb["precision"],
                     "recall >=50, one source per stretch": sb["recall >=50"],
                     "recall 20-49, one source per stretch": sb["recall 20-49"],
                     "seconds": min(times)})
    table = pd.DataFrame(rows).set_index("tool")
    return table, (sources, hosts, truth)


# ---------------------------------------------------------------------- scale
def synthetic(mb: float, seed: int = 7, doc_chars: int = 20000):
    """``mb`` MB (UTF-8) of word-salad documents with planted, edited real passages."""
    rng = np.random.default_rng(seed)
    real = bt.load_bri_policies().texts + host_paragraphs()
    pool = "".join(real).replace("\n", "")
    cp = np.frombuffer(pool.encode("utf-32-le"), dtype=np.uint32)
    n_docs = max(2, int(mb * 1e6 / 3 / doc_chars))  # ~3 UTF-8 bytes per character
    texts = []
    for _ in range(n_docs):
        lens = rng.integers(1, 5, size=doc_chars // 2)
        lens = lens[np.cumsum(lens) <= doc_chars]
        starts = rng.integers(0, len(cp) - 5, size=len(lens))
        idx = np.concatenate([np.arange(s, s + ln) for s, ln in zip(starts, lens)])
        body = cp[idx].astype("<u4").tobytes().decode("utf-32-le")
        for _ in range(3):
            src = real[int(rng.integers(len(real)))]
            ln = int(rng.integers(50, 501))
            if len(src) <= ln:
                continue
            s = int(rng.integers(0, len(src) - ln))
            pos = int(rng.integers(0, len(body)))
            body = body[:pos] + "\n" + edit(src[s:s + ln], rng) + "\n" + body[pos:]
        texts.append(body)
    return texts


def _child(tool, mb, seed, q):
    texts = synthetic(mb, seed)
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if tool == "bri_text":
        c = bt.Corpus(pd.DataFrame({"doc_id": [f"s{i}" for i in range(len(texts))],
                                    "text": texts}))
        res = bt.text_reuse(c, min_chars=50)
    else:
        from qhchina.analytics.textreuse import find_shared_sequences
        res = find_shared_sequences([list(t) for t in texts], n=5, min_length=50,
                                    min_similarity=0.8)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    q.put({"tool": tool, "MB (UTF-8)": round(size, 1), "documents": len(texts),
           "chars (M)": round(sum(map(len, texts)) / 1e6, 2), "passages": len(res),
           "seconds": round(dt, 1), "peak RSS MB": round(peak / 1024),
           "RSS growth MB": round((peak - base) / 1024)})


def scale(mb: float, qh_mb: float, seed: int = 7):
    ctx = mp.get_context("fork")
    rows = []
    for tool, size in (("bri_text", mb), ("qhchina", qh_mb)):
        if size <= 0:
            continue
        q = ctx.Queue()
        p = ctx.Process(target=_child, args=(tool, size, seed, q))
        p.start()
        rows.append(q.get())
        p.join()
    return pd.DataFrame(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale-mb", type=float, default=0,
                    help="also run all-pairs on a synthetic corpus of this many MB")
    ap.add_argument("--qh-scale-mb", type=float, default=None,
                    help="size for qhchina in the scale run (default: same as --scale-mb)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    table, _ = accuracy(args.repeat)
    print("\nAccuracy (targets: precision >= 0.95 at the default min_chars, recall >= 0.95 "
          "for >= 50 chars, >= 0.85 for 20-49 at min_chars=20; time <= qhchina's faster "
          "configuration)")
    print(table.round(3).T.to_string())
    if args.scale_mb:
        qh = args.scale_mb if args.qh_scale_mb is None else args.qh_scale_mb
        print("\nScale: all pairs, min length 50 (bri_text min_chars=50; qhchina n=5, "
              "min_length=50)")
        print(scale(args.scale_mb, qh).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
