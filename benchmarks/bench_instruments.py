"""Benchmark: policy-instrument coding (issue 32, parts 2-3).

1. Agreement of two independent coders on 330 paragraphs of the built-in BRI corpus
   (``bt.load_instrument_codes()``: unit id, parent_id, text, coder_a, coder_b),
   coded with the Rothwell-Zegveld scheme (``bri_text/lexicons/README.md``): Cohen's kappa
   (``sklearn.metrics.cohen_kappa_score``) at subtype and type level.
2. On the units both coders coded alike: ``bt.ClauseClassifier`` cross-validated macro-F1
   (stratified 5-fold, repeated over ``--repeats`` fold seeds) with at most 50 / 100 / 200
   training labels (a random subset of each training fold), against the dictionary alone
   (``bt.code_clauses`` with the shipped codebook) on the same test folds, at type and at
   subtype level; then the classifier's variants at 200 labels (character 1-3 vs 2-4
   grams, with and without the dictionary matches as features). Target: macro-F1 >= 0.75.
3. Speed: units + dictionary coding of the whole built-in corpus (``reshape("clause")``
   when the clause splitter is there, else paragraphs), best of ``--repeat``.
   Target <= 2 s.

    python benchmarks/bench_instruments.py [--repeats 3] [--repeat 5]
        [--parts agreement,curve,variants,percode,speed]

``--parts`` runs some sections only (the learning curve and the variants take minutes on a
busy 2-core machine: 90 and 50 x repeats model fits). The variants use ``--variant-repeats``
fold seeds (default 1).
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402

TARGET_F1 = 0.75
TARGET_SECONDS = 2.0


def agreement(gold: pd.DataFrame, cb) -> pd.DataFrame:
    from sklearn.metrics import cohen_kappa_score

    rows = []
    for level in ("subtype", "type"):
        a, b = gold["coder_a"], gold["coder_b"]
        if level == "type":
            a, b = a.map(cb.type_of), b.map(cb.type_of)
        rows.append({"level": level, "units": len(gold),
                     "agreement": float((a == b).mean()),
                     "cohen_kappa": cohen_kappa_score(a, b)})
    return pd.DataFrame(rows)


def learning_curve(units: pd.DataFrame, codes: pd.Series, repeats: int) -> pd.DataFrame:
    rows = []
    for level in ("type", "subtype"):
        for n in (50, 100, 200):
            folds = []
            for seed in range(repeats):
                clf = bt.ClauseClassifier(level=level, random_state=seed)
                folds.append(clf.cross_validate(units, codes, n_splits=5, max_train=n))
            table = pd.concat(folds)
            rows.append({"level": level, "max_train": n,
                         "classifier_macro_f1": table["macro_f1"].mean(),
                         "sd_over_folds": table["macro_f1"].std(),
                         "dictionary_macro_f1": table["dictionary_macro_f1"].mean(),
                         "classifier_accuracy": table["accuracy"].mean(),
                         "dictionary_accuracy": table["dictionary_accuracy"].mean()})
    return pd.DataFrame(rows)


def variants(units: pd.DataFrame, codes: pd.Series, repeats: int) -> pd.DataFrame:
    rows = []
    for level in ("type", "subtype"):
        for ngram, dic, c in (((1, 3), False, 10.0), ((2, 4), False, 10.0),
                              ((1, 3), True, 10.0), ((1, 3), False, 1.0),
                              ((1, 3), False, 100.0)):
            f1 = [bt.ClauseClassifier(level=level, ngram_range=ngram, C=c,
                                      dictionary_features=dic, random_state=seed)
                  .cross_validate(units, codes, n_splits=5, max_train=200)["macro_f1"]
                  .mean() for seed in range(repeats)]
            rows.append({"level": level, "ngram_range": f"{ngram[0]}-{ngram[1]}",
                         "dictionary_features": dic, "C": c, "macro_f1": float(np.mean(f1))})
    return pd.DataFrame(rows)


def per_code(units: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """Per-code F1 of the out-of-fold predictions (at most 200 training labels per fold) and
    of the dictionary, at subtype level."""
    from sklearn.metrics import precision_recall_fscore_support

    pred = bt.ClauseClassifier(random_state=0).cross_validate(
        units, codes, max_train=200).attrs["predictions"]
    labels = codes.value_counts().index.tolist()
    out = {}
    for col in ("predicted", "dictionary"):
        _, _, f1, support = precision_recall_fscore_support(
            pred["code"], pred[col], labels=labels, zero_division=0)
        out[f"f1_{col}"] = f1
    return pd.DataFrame(out, index=pd.Index(labels, name="code")).assign(units=support)


def speed(repeat: int) -> dict:
    corpus = bt.load_bri_policies()
    try:
        corpus.reshape("clause")
        unit = "clause"
    except bt.BriTextError:
        unit = "paragraph"
    bt.code_clauses(corpus.reshape(unit))  # warm-up: reads the codebook, compiles
    times_units, times_total = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        units = corpus.reshape(unit)
        t1 = time.perf_counter()
        bt.code_clauses(units)
        t2 = time.perf_counter()
        times_units.append(t1 - t0)
        times_total.append(t2 - t0)
    return {"unit": unit, "n_units": len(units), "reshape_s": min(times_units),
            "total_s": min(times_total), "coding_s": min(times_total) - min(times_units)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3, help="fold seeds of the CV")
    ap.add_argument("--repeat", type=int, default=5, help="timing repeats")
    ap.add_argument("--variant-repeats", type=int, default=1, help="fold seeds of variants")
    ap.add_argument("--parts", default="agreement,curve,variants,percode,speed",
                    help="comma-separated sections to run")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    warnings.filterwarnings("ignore", message="The least populated class")
    pd.set_option("display.width", 120)

    cb = bt.read_codebook()
    gold = bt.load_instrument_codes().rename_axis("unit_id").reset_index()
    print(f"gold: {len(gold)} units, {gold['parent_id'].nunique()} documents\n")
    parts = set(args.parts.split(","))
    if "agreement" in parts:
        print("1. Agreement between the two coders (Cohen's kappa, sklearn)")
        print(agreement(gold, cb).round(3).to_string(index=False), "\n")

    agreed = gold[gold["coder_a"] == gold["coder_b"]]
    units = agreed.rename(columns={"unit_id": "doc_id"})[["doc_id", "parent_id", "text"]]
    codes = pd.Series(agreed["coder_a"].to_numpy(), index=agreed["unit_id"])
    print(f"2. Agreed units: {len(agreed)}; codes: "
          f"{codes.value_counts().to_dict()}\n")
    if "curve" in parts:
        curve = learning_curve(units, codes, args.repeats)
        print(f"Learning curve (stratified 5-fold x {args.repeats} fold seeds; macro-F1 over "
              "the codes present in each test fold)")
        print(curve.round(3).to_string(index=False))
        for level in ("type", "subtype"):
            r = curve[(curve["level"] == level) & (curve["max_train"] == 200)].iloc[0]
            met = "met" if r["classifier_macro_f1"] >= TARGET_F1 else "MISSED"
            print(f"  {level:7s} level, <= 200 labels: classifier "
                  f"{r['classifier_macro_f1']:.3f} vs dictionary "
                  f"{r['dictionary_macro_f1']:.3f}; target >= {TARGET_F1}: {met}")
    if "variants" in parts:
        print(f"\nClassifier variants at <= 200 labels (macro-F1, {args.variant_repeats} fold "
              "seed(s))")
        print(variants(units, codes, args.variant_repeats).round(3).to_string(index=False),
              "\n")
    if "percode" in parts:
        table = per_code(units, codes)
        print("Per-code F1 at subtype level (out-of-fold, 5-fold, <= 200 training labels)")
        print(table.round(3).to_string(), "\n")
        big = table[table["units"] >= 10]
        print(f"  macro-F1 over the {len(big)} codes with >= 10 agreed units: classifier "
              f"{big['f1_predicted'].mean():.3f}, dictionary "
              f"{big['f1_dictionary'].mean():.3f}\n")
    if "speed" not in parts:
        return
    s = speed(args.repeat)
    met = "met" if s["total_s"] <= TARGET_SECONDS else "MISSED"
    print(f"3. Speed (best of {args.repeat}): {s['n_units']} {s['unit']} units of the built-in "
          f"corpus: reshape {s['reshape_s']:.3f} s + dictionary coding {s['coding_s']:.3f} s "
          f"= {s['total_s']:.3f} s; target <= {TARGET_SECONDS} s: {met}")


if __name__ == "__main__":
    main()
