"""``deleted`` (text_reuse, Diffusion.clauses) on the planted diffusion corpus with words
left out of the local versions' carried clauses.

    PYTHONPATH=. python benchmarks/planted_deletions.py        # ~30 s

``make_planted(seed)`` for seeds 0-4; in each adopting document, half of the source's
clauses it carries word for word lose a run of 4-12 characters (Chinese characters only,
at least 6 from either end of the clause; a random generator of its own). Then
``bt.diffusion``: of the planted deletions in a clause found adopted by its document, how
many its row's ``deleted`` shows, and of the runs shown there, how many are planted ones
(the rest: phrase-pool words aligned differently, or text between two passages).
Figures go in benchmarks/REUSE.md.
"""
from __future__ import annotations

import os
import random
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bri_text as bt  # noqa: E402
from planted_diffusion import make_planted  # noqa: E402


def planted(seed: int):
    p = make_planted(seed=seed)
    docs = p.corpus.docs.copy()
    rng = random.Random(seed + 4243)
    sources = docs[docs["level"] == "national"]
    clauses = {s: [c.split("、", 1)[1] for c in t.split("\n")[2:-1]]
               for s, t in zip(sources["doc_id"], sources["text"])}
    cut = []                                  # (doc_id, source, source clause, words)
    texts = []
    for d, t in zip(docs["doc_id"], docs["text"]):
        src = d.split("_")[0]
        if src in clauses and d != src:
            for c in clauses[src]:
                if c not in t or rng.random() >= 0.5:
                    continue
                n = rng.randint(4, 12)
                ok = [i for i in range(6, len(c) - 6 - n)
                      if all("\u4e00" <= ch <= "\u9fff" for ch in c[i:i + n])]
                if not ok:
                    continue
                i = rng.choice(ok)
                t = t.replace(c, c[:i] + c[i + n:], 1)
                cut.append((d, src, c, c[i:i + n]))
        texts.append(t)
    return bt.Corpus(docs.assign(text=texts)), cut


def main() -> None:
    warnings.simplefilter("ignore")
    n = shown = words = right = 0
    for seed in range(5):
        corpus, cut = planted(seed)
        r = bt.diffusion(corpus)
        c = r.clauses[r.clauses["status"] == "adopted"]
        rows = {(s, d, text): w for s, d, text, w in
                zip(c["source"], c["doc_id"], c["clause_text"], c["deleted"])}
        for d, src, clause, w in cut:
            hit = [v for (s, dd, text), v in rows.items() if s == src and dd == d
                   and clause in text]
            if hit:
                n += 1
                shown += any(w in v.split(" | ") for v in hit)
        planted_words = {(d, w) for d, _, _, w in cut}
        for (s, d, text), v in rows.items():
            for x in v.split(" | ") if v else ():
                words += 1
                right += (d, x) in planted_words
    print(f"planted deletions of 4-12 characters in a clause found adopted by their document: "
          f"{n}; shown in the row's deleted {shown} = {shown / max(1, n):.3f}; runs shown "
          f"{words}, planted {right} = {right / max(1, words):.3f}")


if __name__ == "__main__":
    main()
