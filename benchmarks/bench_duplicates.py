"""Near-duplicate documents: where ``Corpus.duplicates`` draws its line, and how fast.

    PYTHONPATH=$PWD python benchmarks/bench_duplicates.py [--part all|threshold|speed]
                                                         [--docs 300] [--chars 10000]

**threshold** (issue s37): the similarity ``Corpus.duplicates`` measures (Jaccard of the
5-character shingles of the texts without whitespace, punctuation and symbols, NFKC) of

- every pair of *distinct* real documents: the 27 built-in Belt and Road documents
  (``bt.load_bri_policies()``), the 52 work reports 1954-2025 (``bt.load_work_reports()``),
  the 20 NPC resolutions approving them (``kind="resolution"``: a few formulaic lines a
  year, the most alike real documents we hold), the 10 provincial reports and the central
  / local pair of ``tests/data`` (a province's adaptation of a central document), and the
  planted diffusion corpora of ``planted_diffusion.py`` (seeds 0-4: local versions that
  keep 60-90% of a central document's clauses, edit some and add their own) -- none may
  reach the threshold;
- each of those 99 built-in documents and a *planted near copy* of it: re-spaced (blank
  lines, full-width indents, spaces after 。), half-width punctuation, a byline added, a
  byline changed (the original has one too), an attachment line (附件：...) added, 10
  Chinese characters changed, and all of these at once -- the copies a scraper brings
  back from two sites. Shown by length of the original, since a short text has fewer
  shingles to lose.

**speed** (issue 29 §3): ``--docs`` documents of ``--chars`` characters cut from the 52
work reports (cycled), every copy after the first 52 changed in 30 random characters (a
near duplicate of its original); plus 10 exact copies. Measured: ``corpus.duplicates()``
(one sparse product) and, as the baseline a reader might write, rapidfuzz's
``fuzz.ratio`` over every pair (timed on 300 pairs and scaled to all pairs: the full loop
takes minutes). The best of three runs is kept; the load average is printed beside the
figures (a shared machine moves absolute times).

Targets: no distinct pair at the threshold, every planted copy of a document of 500
characters or more found; the 300 x 10k corpus in under 5 s, no false pair.
Results: ``benchmarks/DUPLICATES.md``.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!",
                      "？": "?", "“": '"', "”": '"', "、": ","})
BYLINE_A = "来源：中国政府网　　发布时间：2018-06-12 09:30　　字号：大 中 小\n"
BYLINE_B = "来源：河南省人民政府网　　发布日期：2018年06月14日　　作者：省政府办公厅　　浏览次数：\n"
ATTACHMENT = "\n附件：1.重点任务分工表　2.重点项目清单"


def _respaced(t: str) -> str:
    return t.replace("\n", "\n\n　　").replace("。", "。 ")


def _chars_changed(t: str, n: int, rng) -> str:
    c = list(t)
    han = [i for i, ch in enumerate(c) if "\u4e00" <= ch <= "\u9fff"]
    for i in rng.choice(han, min(n, len(han)), replace=False):
        c[i] = "某" if c[i] != "某" else "甲"
    return "".join(c)


def planted(t: str, rng) -> dict[str, tuple[str, str]]:
    """(original, near copy) of ``t`` for each kind of edit."""
    return {
        "re-spaced": (t, _respaced(t)),
        "half-width punctuation": (t, t.translate(HALF)),
        "byline added": (t, BYLINE_B + t),
        "byline changed": (BYLINE_A + t, BYLINE_B + t),
        "attachment line added": (t, t + ATTACHMENT),
        "10 characters changed": (t, _chars_changed(t, 10, rng)),
        "all of these": (BYLINE_A + t, BYLINE_B + _chars_changed(_respaced(t).translate(HALF),
                                                                 10, rng) + ATTACHMENT)}


def _similarity(a: str, b: str) -> float:
    from bri_text.corpus import _jaccard_pairs, _near_codes

    sim = _jaccard_pairs([_near_codes(a), _near_codes(b)])[2]
    return float(sim[0]) if len(sim) else 0.0


def _found(a: str, b: str) -> bool:
    """Would ``Corpus.duplicates`` call b a near copy of a: similarity at least
    ``NEAR_DUPLICATE`` and, when either text is shorter than ``NEAR_MIN_CHARS`` (what is
    compared: no whitespace, punctuation or symbols), the same text (since session 44)."""
    from bri_text.corpus import NEAR_DUPLICATE, NEAR_MIN_CHARS, _near_codes

    ca, cb = _near_codes(a), _near_codes(b)
    if min(len(ca), len(cb)) < NEAR_MIN_CHARS:
        return bool(np.array_equal(ca, cb))
    return _similarity(a, b) >= NEAR_DUPLICATE


def _distinct(name: str, ids: list, texts: list) -> dict:
    """The most similar pair of distinct documents, as Corpus.duplicates measures."""
    from bri_text.corpus import _jaccard_pairs, _near_codes

    r, c, sim = _jaccard_pairs([_near_codes(t) for t in texts])
    k = int(np.argmax(sim))
    return {"documents": name, "n": len(texts), "pairs": len(texts) * (len(texts) - 1) // 2,
            "highest": float(sim[k]), "pair": f"{ids[c[k]]} / {ids[r[k]]}"}


def threshold_part() -> None:
    import bri_text as bt
    from bri_text.corpus import NEAR_DUPLICATE

    corpora = {"Belt and Road documents": bt.load_bri_policies(),
               "work reports 1954-2025": bt.load_work_reports(),
               "NPC resolutions 2007-2025": bt.load_work_reports("resolution")}
    rows = [_distinct(n, c.doc_ids, c.texts) for n, c in corpora.items()]
    prov = pd.read_csv(ROOT / "tests" / "data" / "provincial_reports_2026.csv")
    rows.append(_distinct("provincial reports (tests/data)", prov["doc_id"].tolist(),
                          prov["text"].tolist()))
    pair = [(ROOT / "tests" / "data" / f"versions_{v}.txt").read_text(encoding="utf-8")
            for v in ("central", "local")]
    rows.append(_distinct("central / local version (tests/data)", ["central", "local"], pair))
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from planted_diffusion import make_planted

    for seed in range(5):  # local versions of central documents: distinct, not copies
        d = make_planted(seed=seed).corpus.docs
        rows.append(_distinct(f"planted local versions, seed {seed}", d["doc_id"].tolist(),
                              d["text"].tolist()))
    distinct = pd.DataFrame(rows)
    distinct["highest"] = distinct["highest"].round(3)

    rng = np.random.default_rng(0)
    prows = []
    for c in corpora.values():
        for d, t in zip(c.doc_ids, c.texts):
            for edit, (a, b) in planted(t, rng).items():
                prows.append({"doc": d, "chars": len(t), "edit": edit,
                              "similarity": _similarity(a, b), "found": _found(a, b)})
    p = pd.DataFrame(prows)
    bands = {"all 99": p, ">= 300 chars": p[p["chars"] >= 300],
             ">= 500 chars": p[p["chars"] >= 500], ">= 1000 chars": p[p["chars"] >= 1000]}
    low = pd.DataFrame({f"{b} ({q['doc'].nunique()})": q.groupby("edit", sort=False)[
        "similarity"].min() for b, q in bands.items()}).round(3)
    found = {f"{b} ({q['doc'].nunique()})": f"{int(q['found'].sum())}"
             f" of {len(q)}" for b, q in bands.items()}

    pd.set_option("display.width", 200)
    print(f"threshold: NEAR_DUPLICATE = {NEAR_DUPLICATE}\n")
    print("Distinct documents: the highest similarity of any two")
    print(distinct.to_string(index=False))
    print(f"sets with a pair at or above the threshold: "
          f"{int((distinct['highest'] >= NEAR_DUPLICATE).sum())}\n")
    print("Planted near copies: the lowest similarity to the original, by original length")
    print(low.to_string())
    print("planted copies found:", "; ".join(f"{k}: {v}" for k, v in found.items()))
    missed = p[~p["found"]]
    if len(missed):
        print("missed:", ", ".join(f"{r.doc} ({r.chars} chars, {r.edit}: {r.similarity:.3f})"
                                   for r in missed.itertuples()))


def speed_part(n_docs: int, n_chars: int) -> None:
    import bri_text as bt
    from bri_text.corpus import NEAR_DUPLICATE

    base = [t[:n_chars] for t in bt.load_work_reports().texts]
    rng = np.random.default_rng(0)
    texts, origin = [], []
    for i in range(n_docs - 10):
        t = base[i % len(base)]
        if i >= len(base):
            chars = list(t)
            for k in rng.integers(0, len(chars), 30):
                chars[k] = "某"
            t = "".join(chars)
        texts.append(t)
        origin.append(i % len(base))
    for i in range(10):  # exact copies
        texts.append(texts[i * 7])
        origin.append(origin[i * 7])
    corpus = bt.Corpus.from_dataframe(pd.DataFrame({"text": texts}))

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        found = corpus.duplicates()
        best = min(best, time.perf_counter() - t0)
    idx = {d: i for i, d in enumerate(corpus.doc_ids)}
    n_planted = sum(1 for i in range(len(texts)) if origin.index(origin[i]) != i)
    wrong = sum(origin[idx[a]] != origin[idx[b]]
                for a, b in zip(found["doc_id"], found["duplicate_of"]))

    from rapidfuzz import fuzz

    pairs = [(i, j) for i in range(len(texts)) for j in range(i)]
    sample = [pairs[k] for k in rng.choice(len(pairs), 300, replace=False)]
    t0 = time.perf_counter()
    for i, j in sample:
        fuzz.ratio(texts[i], texts[j])
    per_pair = (time.perf_counter() - t0) / len(sample)

    print(f"\nload average: {os.getloadavg()[0]:.2f}")
    print(f"{'measure':<44}{'figure':>12}{'target':>14}")
    print(f"{f'corpus.duplicates() ({NEAR_DUPLICATE}), seconds':<44}{best:>12.2f}{'< 5':>14}")
    print(f"{'rapidfuzz ratio, all pairs (scaled), s':<44}{per_pair * len(pairs):>12.1f}"
          f"{'baseline':>14}")
    print(f"{'planted copies found':<44}{len(found):>8} of {n_planted:<3}{'all':>14}")
    print(f"{'pairs of different originals':<44}{wrong:>12}{'0':>14}")
    print(f"({len(texts)} documents x {n_chars:,} characters; "
          f"{(found['kind'] == 'exact').sum()} exact, {(found['kind'] == 'near').sum()} near)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["all", "threshold", "speed"], default="all")
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--chars", type=int, default=10_000)
    args = ap.parse_args()
    if args.part in ("all", "threshold"):
        threshold_part()
    if args.part in ("all", "speed"):
        speed_part(args.docs, args.chars)


if __name__ == "__main__":
    main()
