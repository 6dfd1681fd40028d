"""Local words inserted inside carried clauses: does ``text_reuse``'s ``inserted`` show them?

    PYTHONPATH=. python benchmarks/planted_insertions.py [4 3 5]    # min_inserted values, ~1 min

``make_planted(seed, insert_share=0.5)`` for seeds 0-4: half the carried clauses get local
words of 2-18 characters inside them (``Planted.inserted``: where). The passages are those
``bt.diffusion`` traces from each source (read from its ``_traced`` step). Per planted
insertion: inside one traced passage (``hidden`` before ``inserted`` existed), at a passage's
end (the passage was split there: ``gap``), or in no passage of its source (``untraced``);
of those inside a passage, how many a run of ``inserted`` overlaps. Per run shown in an
adopting document: whether it overlaps a planted insertion, or a planted insertion or an
added local clause (text the source has not). And in ``Diffusion.clauses``: of the planted
insertions in a clause found carried (``adopted``, by the planted document), how many the
clause row's ``inserted`` shows, and of the words shown, how many are planted ones. Figures
go in benchmarks/REUSE.md.
"""
from __future__ import annotations

import os
import sys
import warnings

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bri_text as bt  # noqa: E402
import bri_text.reuse._diffusion as D  # noqa: E402
from bri_text.reuse._passages import MIN_INSERTED, _insertions  # noqa: E402
from planted_diffusion import make_planted  # noqa: E402


def traced(corpus) -> tuple:
    got = []
    orig = D._traced

    def spy(*a, **k):
        t = orig(*a, **k)
        got.append(t)
        return t
    D._traced = spy
    try:
        r = bt.diffusion(corpus)
    finally:
        D._traced = orig
    return got[0], r


def spans(y, n) -> list:
    return [(y.start_b + s, y.start_b + e) for _, s, e in _insertions(y.passage_a, y.passage_b, n)]


def main(ns) -> None:
    warnings.simplefilter("ignore")
    planted, shown, in_clauses, clause_words = [], [], [], []
    for seed in range(5):
        p = make_planted(seed=seed, insert_share=0.5)
        t, r = traced(p.corpus)
        ins = p.inserted
        texts = dict(zip(p.corpus.docs.doc_id, p.corpus.docs.text))
        added = {}       # adopting document -> [(start, end)] of its added local clauses
        for c in p.clauses[p.clauses.status == "added"].itertuples():
            lines = texts[c.local_doc].split("\n")
            start = sum(len(x) + 1 for x in lines[:c.local_clause + 2])
            added.setdefault(c.local_doc, []).append((start, start + len(lines[c.local_clause + 2])))
        for x in ins.itertuples():
            g = t[(t.doc_a == x.source_id) & (t.doc_b == x.local_doc)]
            inside = g[(g.start_b < x.start) & (g.end_b > x.end)]
            near = g[((g.end_b >= x.start - 3) & (g.end_b <= x.start + 1)) |
                     ((g.start_b >= x.end - 1) & (g.start_b <= x.end + 3))]
            row = {"seed": seed, "chars": len(x.text), "hidden": len(inside) > 0,
                   "gap": len(inside) == 0 and len(near) > 0,
                   "untraced": len(inside) == 0 and len(near) == 0}
            for n in ns:
                row[f"shown_{n}"] = any(s < x.end and e > x.start
                                        for y in inside.itertuples() for s, e in spans(y, n))
            planted.append(row)
        # Diffusion.clauses: each planted insertion's source clause (planted clause k is the
        # source's line k + 2, its clause k + 3), and the row of that clause for the planted
        # document
        rows = r.clauses.set_index(["source", "doc_id", "clause"])
        truth = p.clauses.dropna(subset=["source_clause", "local_clause"])
        where = {(c.local_doc, int(c.local_clause)): int(c.source_clause)
                 for c in truth.itertuples()}
        for x in ins.itertuples():
            line = texts[x.local_doc][:x.start].count("\n") - 2
            k = where.get((x.local_doc, line))
            key = (x.source_id, x.local_doc, k + 3) if k is not None else None  # title, stock
            if len(x.text) < MIN_INSERTED or key is None or key not in rows.index:
                continue
            row = rows.loc[key]
            in_clauses.append({"adopted": row.status == "adopted",
                               "shown": row.status == "adopted" and any(
                                   w in x.text or x.text in w for w in row.inserted.split(" | ")
                                   if w)})
        for c in r.clauses[r.clauses.inserted != ""].itertuples():
            planted_words = ins[ins.local_doc == c.doc_id].text.tolist()
            for w in c.inserted.split(" | "):
                clause_words.append(any(w in x or x in w for x in planted_words))
        adopting = t[t.doc_b.isin(set(p.adoptions.doc_id.dropna()))]
        for n in ns:
            for y in adopting.itertuples():
                for s, e in spans(y, n):
                    hit = ((ins.local_doc == y.doc_b) & (ins.start < e) & (ins.end > s)).any()
                    local = hit or any(u < e and v > s for u, v in added.get(y.doc_b, ()))
                    shown.append({"seed": seed, "min_inserted": n, "planted": bool(hit),
                                  "local": bool(local),
                                  "text": y.passage_b[s - y.start_b:e - y.start_b]})
    pl, sh = pd.DataFrame(planted), pd.DataFrame(shown)
    pl["size"] = pd.cut(pl.chars, [0, 2, 3, 5, 8, 12, 20])
    cols = ["hidden", "gap", "untraced"] + [f"shown_{n}" for n in ns]
    pd.set_option("display.width", 200)
    print(pl.groupby("size", observed=True)[cols].mean().round(3)
          .assign(n=pl.groupby("size", observed=True).size()).to_string())
    for n in ns:
        big = pl[pl.chars >= n]
        rows = sh[sh.min_inserted == n]
        print(f"min_inserted={n}: {len(big)} planted insertions of >= {n} characters; inside one "
              f"passage {big.hidden.mean():.3f}, shown {big[f'shown_{n}'].sum()} = "
              f"{big[f'shown_{n}'].sum() / max(1, big.hidden.sum()):.3f} of those; runs shown in "
              f"adopting documents {len(rows)}: planted insertion {rows.planted.mean():.3f}, "
              f"insertion or added local clause {rows.local.mean():.3f}")
        print("   others:", rows[~rows.local].text.tolist()[:8])
    ic = pd.DataFrame(in_clauses)
    print(f"Diffusion.clauses (min_inserted={MIN_INSERTED}): {len(ic)} planted insertions of "
          f">= {MIN_INSERTED} "
          f"characters in a clause row of their document; its clause adopted {ic.adopted.sum()}, "
          f"of those shown in the row's inserted {ic.shown.sum()} = "
          f"{ic.shown.sum() / max(1, ic.adopted.sum()):.3f}; words shown {len(clause_words)}, "
          f"planted {sum(clause_words)} = {sum(clause_words) / max(1, len(clause_words)):.3f}")


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [4, 3, 5])
