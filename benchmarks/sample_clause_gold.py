"""Draw the clause-level gold sample for policy-instrument coding (issue 32).

    python benchmarks/sample_clause_gold.py OUT.csv                  # draw the sample
    python benchmarks/sample_clause_gold.py --third OUT.csv          # the third set (below)
    python benchmarks/sample_clause_gold.py --fourth OUT.csv         # the fourth set (below)
    python benchmarks/sample_clause_gold.py --fifth OUT.csv          # the fifth set (below)
    python benchmarks/sample_clause_gold.py --sixth OUT.csv          # the sixth set (below)
    python benchmarks/sample_clause_gold.py --seventh OUT.csv        # the seventh set (below)
    python benchmarks/sample_clause_gold.py --eighth OUT.csv         # the eighth set (below)
    python benchmarks/sample_clause_gold.py --ninth OUT.csv          # the ninth set (below)
    python benchmarks/sample_clause_gold.py --tenth OUT.csv          # the tenth set (below)
    python benchmarks/sample_clause_gold.py --eleventh OUT.csv       # the eleventh set (below)
    python benchmarks/sample_clause_gold.py --twelfth OUT.csv        # the twelfth set (below)
    python benchmarks/sample_clause_gold.py --thirteenth OUT.csv     # the thirteenth set (below)
    python benchmarks/sample_clause_gold.py --rare OUT.csv           # rare-code units (below)
    python benchmarks/sample_clause_gold.py --merge SAMPLE.csv A.csv B.csv
        # the two coders' files (unit_id, code) -> bri_text/data/instrument_codes_clauses.csv

Units: ``reshape("clause")`` of the built-in BRI documents and of the government work
reports since 1978 (``load_work_reports()``), 20 to 400 characters, headings included.
Units whose text overlaps a paragraph of the first gold set (``load_instrument_codes()``,
the set the classifier's defaults were chosen on) are left out, so the clause set is
held out from every choice made before it.

The sample (``random_state=0``) has two parts, marked in the ``part`` column:
``random``: 160 BRI clauses and 100 work-report clauses drawn at random; ``rare``: for each
of the codebook's 16 subtypes, up to 14 more units the shipped dictionary suggests for it
(``bt.code_clauses``), so that codes a random sample almost never meets (tax, procurement,
demonstration, ...) have enough examples to be learned and scored. The dictionary's
suggestion is not shown to the coders. Rows are shuffled.

``--third`` draws a third set (session 32), to score a method chosen with the first two
sets: the same pool without the units of the clause set either, ``random_state=1``,
120 BRI and 140 work-report clauses at random and up to 6 more per subtype. ``--fourth``
(session 32, to score the method chosen with the first three): the same without the
third set's units either, ``random_state=2``, the same sizes. ``--fifth`` (session 33):
without the fourth set's units either, ``random_state=3``, the same sizes. ``--sixth``
(session 34): without the fifth set's units either, ``random_state=4``, the same sizes.
``--seventh`` (session 34, coded to join the classifier's reference, not to score it):
without the sixth set's units either, ``random_state=5``, 400 work-report clauses (the BRI
documents have hardly a clause left uncoded) at random and up to 20 more per subtype.
``--eighth`` (session 34, to score the method once more after its solver changed): without
the seventh set's units either, ``random_state=6``, 260 work-report clauses at random and up
to 6 more per subtype. ``--ninth`` (session 37, to score a method chosen on the eight earlier
sets): without the eighth set's units either, ``random_state=7``, the eighth's sizes.
``--tenth`` (session 42, to score a method chosen on the nine earlier sets): without the
ninth set's units either, ``random_state=8``, the eighth's sizes. ``--eleventh`` (session
43, to score a method chosen on the ten earlier sets): without the tenth set's units either,
``random_state=9``, the eighth's sizes. ``--twelfth`` (session 44, to score a method
chosen on the eleven earlier sets): without the eleventh set's units either,
``random_state=10``, the eighth's sizes.

``--rare`` (session 44, coded to join the classifier's reference, not to score it; drawn
after the twelfth set and without its units): units of the codes the reference holds
fewest of (fewer than 50 agreed units each: S_funding, S_services, S_information, E_tax,
D_procurement, D_demonstration, D_outsourcing, and D_overseas, whose units are almost all
BRI clauses). For each, up to ``RARE_PER_CODE`` units in which the shipped dictionary finds
one of the code's phrases (``all_codes`` of ``bt.code_clauses``, not only its winning
code), or, for the codes whose phrases occur rarely in work reports, one of the words of
``RARE_WORDS``; ``random_state=11``. The coders see neither the phrase nor the code it
points to. Coded by two independent coders: ``benchmarks/data/instrument_rare.csv`` (not
shipped: tried as part of the reference in session 44 and not adopted). A later set (round
14 on) leaves its units out too.

``--thirteenth`` (session 45, to score a method chosen on the twelve earlier sets): round 14,
without the twelfth set's units or the rare set's, ``random_state=12``, the eighth's sizes.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import bri_text as bt

RANDOM_BRI, RANDOM_REPORTS, PER_CODE = 160, 100, 14


GOLD3 = Path(__file__).resolve().parent / "data" / "instrument_gold3.csv"
GOLD4 = GOLD3.with_name("instrument_gold4.csv")
GOLD5 = GOLD3.with_name("instrument_gold5.csv")
GOLD6 = GOLD3.with_name("instrument_gold6.csv")
GOLD7 = GOLD3.with_name("instrument_gold7.csv")
GOLD8 = GOLD3.with_name("instrument_gold8.csv")
GOLD9 = GOLD3.with_name("instrument_gold9.csv")
GOLD10 = GOLD3.with_name("instrument_gold10.csv")
GOLD11 = GOLD3.with_name("instrument_gold11.csv")
GOLD12 = GOLD3.with_name("instrument_gold12.csv")
RARE = GOLD3.with_name("instrument_rare.csv")    # the --rare units, coded twice (session 44)

RARE_PER_CODE = 60
# broader words for the codes whose own phrases find fewer than 20 units of the pool
RARE_WORDS = {"S_information": "信息服务|信息平台|信息系统|数据库|信息公开|公开发布|统计|咨询",
              "D_procurement": "采购|订购|订货|收购|购买",
              "D_outsourcing": "外包|购买服务|委托|社会力量"}


def pool(round_: int = 2) -> pd.DataFrame:
    """Clause units of 20-400 characters not overlapping any earlier gold set's unit."""
    old = bt.load_instrument_codes()["text"].str.strip().tolist()
    if round_ >= 3:
        old += bt.load_instrument_codes(units="clause")["text"].str.strip().tolist()
    if round_ >= 4:
        old += pd.read_csv(GOLD3, dtype=str, keep_default_na=False)["text"].str.strip().tolist()
    for later, path in ((5, GOLD4), (6, GOLD5), (7, GOLD6), (8, GOLD7), (9, GOLD8),
                         (10, GOLD9), (11, GOLD10), (12, GOLD11), (13, GOLD12), (14, RARE)):
        if round_ >= later:
            old += pd.read_csv(path, dtype=str, keep_default_na=False)["text"].str.strip().tolist()
    bri = bt.load_bri_policies().reshape("clause")
    wr = bt.load_work_reports()
    wr = wr.subset(wr.docs["year"].astype(int).to_numpy() >= 1978)
    frames = []
    for name, units in (("bri", bri), ("reports", wr.reshape("clause"))):
        coded = bt.code_clauses(units)
        d = units.docs.copy()
        d["corpus"] = name
        d["suggested"] = coded["code"].to_numpy()
        frames.append(d)
    d = pd.concat(frames, ignore_index=True)
    n = d["text"].str.strip().str.len()
    d = d[(n >= 20) & (n <= 400)]
    t = d["text"].str.strip()
    overlap = t.map(lambda s: any(s in o or o in s for o in old))
    return d[~overlap].reset_index(drop=True)


def sample(d: pd.DataFrame, seed: int = 0, sizes=(RANDOM_BRI, RANDOM_REPORTS, PER_CODE)
           ) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    take = []
    for name, n in zip(("bri", "reports"), sizes[:2]):
        idx = np.flatnonzero(d["corpus"].to_numpy() == name)
        take += [(i, "random") for i in rng.choice(idx, size=n, replace=False)]
    taken = {i for i, _ in take}
    cb = bt.read_codebook()
    for code in cb.codes():
        if code == "none":
            continue
        idx = [i for i in np.flatnonzero(d["suggested"].to_numpy() == code) if i not in taken]
        for i in rng.permutation(idx)[:sizes[2]]:
            take.append((int(i), "rare"))
            taken.add(int(i))
    rows = d.iloc[[i for i, _ in take]].copy()
    rows["part"] = [p for _, p in take]
    rows = rows.iloc[rng.permutation(len(rows))]
    return rows


def rare(d: pd.DataFrame, seed: int = 11, per_code: int = RARE_PER_CODE) -> pd.DataFrame:
    """Units of the reference's rarest codes (``--rare``, above), shuffled."""
    import re

    rng = np.random.default_rng(seed)
    found = bt.code_clauses(bt.Corpus(d[["doc_id", "text"]]), dimensions=["instrument"])
    all_codes = found["all_codes"].to_numpy()
    take: list[int] = []
    for code in ("S_funding", "S_services", "S_information", "E_tax", "D_procurement",
                 "D_demonstration", "D_outsourcing", "D_overseas"):
        has = np.array([code in a for a in all_codes])
        if code in RARE_WORDS:
            has |= d["text"].str.contains(re.compile(RARE_WORDS[code])).to_numpy()
        idx = [i for i in rng.permutation(np.flatnonzero(has)) if i not in take]
        take += [int(i) for i in idx[:per_code]]
    rows = d.iloc[take].copy()
    rows["part"] = "rare"
    return rows.iloc[rng.permutation(len(rows))]


def merge(sample_csv: str, coder_a: str, coder_b: str) -> None:
    """Write the shipped file: ids, where each unit comes from, its first characters (a
    check the loader makes) and the two coders' codes; every unit coded by both."""
    from bri_text.datasets import _CHECK_CHARS, _CLAUSE_CODES_FILE

    s = pd.read_csv(sample_csv, dtype=str, keep_default_na=False)
    valid = set(bt.read_codebook().codes())
    out = s[["doc_id", "corpus", "part"]].rename(columns={"doc_id": "unit_id"})
    out["starts"] = s["text"].str.strip().str[:_CHECK_CHARS]
    for col, path in (("coder_a", coder_a), ("coder_b", coder_b)):
        c = pd.read_csv(path, dtype=str).drop_duplicates("unit_id", keep="last")
        c = c.set_index("unit_id")["code"].str.strip()
        bad = c[~c.isin(valid)]
        missing = sorted(set(out["unit_id"]) - set(c.index))
        if len(bad) or missing:
            raise SystemExit(f"{path}: invalid codes {bad.to_dict()}, missing {missing[:5]}")
        out[col] = out["unit_id"].map(c)
    dest = Path(__file__).resolve().parents[1] / "bri_text" / "data" / _CLAUSE_CODES_FILE
    out.to_csv(dest, index=False, lineterminator="\n")
    agree = (out["coder_a"] == out["coder_b"]).mean()
    print(f"{len(out)} units -> {dest}; raw agreement {agree:.3f}")


ROUNDS = {"--third": 3, "--fourth": 4, "--fifth": 5, "--sixth": 6, "--seventh": 7,
          "--eighth": 8, "--ninth": 9, "--tenth": 10, "--eleventh": 11,
          "--twelfth": 12, "--thirteenth": 14}


def main(out: str, round_: int = 2) -> None:
    sizes = {7: (0, 400, 20), 8: (0, 260, 6), 9: (0, 260, 6), 10: (0, 260, 6),
             11: (0, 260, 6), 12: (0, 260, 6), 14: (0, 260, 6)}.get(round_, (120, 140, 6))
    rows = sample(pool(round_), round_ - 2, sizes) if round_ > 2 else sample(pool())
    cols = ["doc_id", "corpus", "part", "title", "heading_path", "text", "suggested"]
    rows[cols].to_csv(out, index=False)
    print(len(rows), rows["part"].value_counts().to_dict(), rows["corpus"].value_counts().to_dict())
    print(rows["suggested"].value_counts().to_string())


if __name__ == "__main__":
    if sys.argv[1] == "--merge":
        merge(*sys.argv[2:5])
    elif sys.argv[1] == "--rare":
        r = rare(pool(13))
        r[["doc_id", "corpus", "part", "title", "heading_path", "text", "suggested"]].to_csv(
            sys.argv[2], index=False)
        print(len(r), r["suggested"].value_counts().to_dict())
    elif sys.argv[1] in ROUNDS:
        main(sys.argv[2], ROUNDS[sys.argv[1]])
    else:
        main(sys.argv[1])
