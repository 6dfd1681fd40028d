"""``preexisting`` of bt.diffusion against a reference built without its shortcuts.

    PYTHONPATH=<tree> python benchmarks/preexisting_reference.py      # ~1 min

On the planted corpora (the 5,000-character corpus of bench_diffusion.py's speed run, and
the five quality seeds): per source, the share of its text ``diffusion`` marks as there
before it (the mask its ``_earlier_text`` step computes), and ``R``: its characters in
passages at least 0.9 alike with a document dated before it, found by ``text_reuse`` on
the whole original texts (not formulaic, not citations). Printed: how much of what is
marked is in ``R`` and how much of ``R`` is marked; and how many of the passages into
earlier documents that made text "there before" (similarity >= 0.9 as reported) are under
0.9 on the texts themselves. Run with the tree before session 40 (git 6450adf) on
PYTHONPATH to see session 40's figures (benchmarks/DIFFUSION.md, session 41).
"""
from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bri_text as bt  # noqa: E402
import bri_text.reuse._diffusion as D  # noqa: E402
from bri_text.reuse._align import _Norm  # noqa: E402
from planted_diffusion import make_planted  # noqa: E402

CORPORA = [("5,000 characters", dict(n_sources=9, n_jurisdictions=30, seed=0, doc_chars=5000))] \
    + [(f"seed {s}", dict(seed=s)) for s in range(5)]


def _reference(docs, src) -> np.ndarray:
    meta = docs.set_index("doc_id")
    text = meta.loc[src, "text"]
    earlier = docs[(docs["date"] < meta.loc[src, "date"]) & (docs["level"] != "national")]
    mask = np.zeros(len(text), bool)
    if len(earlier):
        sub = bt.Corpus(pd.concat([docs[docs["doc_id"] == src], earlier]))
        t = bt.text_reuse(sub, reference=sub.docs["doc_id"] == src, min_similarity=0.9,
                          date=None, best_source=False)
        for s, e in zip(*(t.loc[~t["formulaic"] & (t["kind"] != "citation"), c]
                          for c in ("start_a", "end_a"))):
            mask[s:e] = True
    return mask


def main() -> None:
    from rapidfuzz.distance import Indel

    warnings.simplefilter("ignore")
    masks, traced = {}, []
    orig_e, orig_t = D._earlier_text, D._traced

    def spy_e(text, earlier, revised):
        out = orig_e(text, earlier, revised)
        masks[text] = out[1].copy()
        return out

    def spy_t(*a, **k):
        t = orig_t(*a, **k)
        traced.append(t)
        return t
    D._earlier_text, D._traced = spy_e, spy_t
    rows = []
    for name, kw in CORPORA:
        p = make_planted(**kw)
        masks.clear()
        traced.clear()
        r = bt.diffusion(p.corpus)
        docs = p.corpus.docs
        texts = dict(zip(docs["doc_id"], docs["text"]))
        dates = dict(zip(docs["doc_id"], docs["date"]))
        t = traced[0]
        before = np.array([dates[b] < dates[a] for a, b in zip(t["doc_a"], t["doc_b"])], bool)
        t = t[(t["similarity"] >= 0.9).to_numpy() & before]

        def norm(x):
            return _Norm(x, 5).text(0, 10 ** 9)
        under = sum(Indel.normalized_similarity(norm(texts[a][sa:ea]), norm(texts[b][sb:eb]))
                    < 0.9 for a, b, sa, ea, sb, eb in
                    zip(t["doc_a"], t["doc_b"], t["start_a"], t["end_a"], t["start_b"],
                        t["end_b"]))
        for src in r.sources["source"]:
            m, ref = masks[texts[src]], _reference(docs, src)
            rows.append({"corpus": name, "source": src, "preexisting": m.mean(), "R": ref.mean(),
                         "marked_in_R": (m & ref).sum() / max(1, m.sum()),
                         "R_marked": (m & ref).sum() / max(1, ref.sum())})
        print(f"{name}: {len(t)} passages into earlier documents at >= 0.9, {under} of them "
              "under 0.9 on the original texts")
    df = pd.DataFrame(rows)
    big = df["corpus"] == CORPORA[0][0]
    for label, part in (("5,000 characters", df[big]), ("quality seeds 0-4", df[~big])):
        print(f"{label}: preexisting {part.preexisting.mean():.3f}, R {part.R.mean():.3f}, "
              f"of what is marked in R {part.marked_in_R.mean():.3f}, of R marked "
              f"{part.R_marked.mean():.3f} (means over {len(part)} sources)")


if __name__ == "__main__":
    main()
