"""Benchmark: policy-instrument coding (issue 32, parts 2-3).

1. Agreement of two independent coders on a gold file (default: the first gold set,
   ``bt.load_instrument_codes()``: 330 paragraphs of the built-in BRI corpus, the
   development set; ``--gold PATH``: any CSV with the columns ``unit_id, text, coder_a,
   coder_b`` and optionally ``part`` and ``corpus``), coded with the Rothwell-Zegveld scheme
   (``bri_text/lexicons/README.md``): Cohen's kappa (``sklearn.metrics.cohen_kappa_score``)
   at subtype and type level.
2. On the units both coders coded alike: ``bt.ClauseClassifier`` cross-validated macro-F1
   (stratified 5-fold, repeated over ``--repeats`` fold seeds) with at most 50 / 100 / 200
   training labels (a random subset of each training fold), against the dictionary alone
   (``bt.code_clauses`` with the shipped codebook) on the same test folds, at type and at
   subtype level. Target: macro-F1 >= 0.75. When the gold file has a ``part`` column, the
   same folds are also scored on the test units of the ``random`` part only (the part that
   is not enriched for rare codes); with a ``corpus`` column, per corpus too.
   ``variants`` compares the classifier's settings at 200 labels (the method choice, made
   on the development set only); ``percode`` gives per-code F1.
3. ``--train-on-dev`` (with ``--gold``): a transfer test without labels from the new set:
   train on at most 200 agreed units of the development set drawn at random (repeated over
   ``--repeats`` draws) and test on all agreed units of ``--gold``.
4. Speed: units + dictionary coding of the whole built-in corpus (``reshape("clause")``),
   best of ``--repeat``. Target <= 2 s.
5. ``unlabelled``: what a classifier trained on all agreed development units predicts for
   the clauses of the built-in work reports (a genre the development set lacks; no labels
   used), with and without the codebook's example clauses of ``none``: the share of each
   code overall, among the review clauses that report figures (``比上年增长`` / ``同比增长``
   and none of 要 将 力争 预期 目标) and among the target clauses with figures (预期目标 /
   主要目标 / 力争 and a percentage or 左右). A check of the method's intent, not a score.
6. ``dictionary``: the dictionary alone (``bt.code_clauses``, the shipped codebook, no
   training) on all agreed units of the gold file: per subtype its precision, recall, F1,
   agreed units and units it gives that code, and macro-F1 over the codes present (the
   figures a change of the codebook's phrases or masks is judged by; seconds to run).
   ``--gold all`` takes every coded unit the package ships
   (``load_instrument_codes(units="all")``, 1,637 agreed).
7. ``active``: the workflow the issue describes — the coder codes what ``next_to_code``
   puts first (20 random units, then batches of 10 by uncertainty) — against random
   labels on the same folds, macro-F1 at 50 / 100 / 200 labels.

    python benchmarks/bench_instruments.py [--gold PATH] [--train-on-dev] [--repeats 3]
        [--repeat 5] [--parts agreement,curve,active,variants,percode,dictionary,speed,
        unlabelled]
        [--params DICT] [--reference-corpus bri|reports] [--n-jobs 2]

The classifier learns, beside the labels of each training fold, from the package's own
coded units (``reference="builtin"``, the default since session 33), none of which overlaps
a unit of the gold file; ``--params "{'reference': None}"`` switches that off.
``--reference-corpus`` keeps only the reference units of one corpus and tests on the gold
units of the other, as a user with a corpus the package has not coded would see it.

``--parts`` runs some sections only (the learning curve and the variants take minutes on a
busy 2-core machine). ``--train-on-dev`` runs the agreement and the transfer test only,
unless ``--parts`` names more.
"""
from __future__ import annotations

import argparse
import ast
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text as bt  # noqa: E402
from bri_text.errors import InputError, MetadataError  # noqa: E402
from bri_text.instruments._coding import _per_code_scores  # noqa: E402

TARGET_F1 = 0.75
TARGET_SECONDS = 2.0
GOLD_COLUMNS = ("unit_id", "text", "coder_a", "coder_b")
#: ``codebook=`` of a variant: the shipped codebook without the example clauses of ``none``
#: (the codebook before they were added)
NO_NONE_EXAMPLES = "no-none-examples"
#: (label, ClauseClassifier parameters) compared in ``variants``; the first is the default
VARIANTS = (
    ("default (codebook rows worth 25 / 5 units)", {}),
    ("default without none's example clauses", {"codebook": NO_NONE_EXAMPLES}),
    ("hand codes only (the previous default)", {"codebook_weight": 0.0}),
    ("hand codes + phrase-match features", {"codebook_weight": 0.0,
                                            "dictionary_features": True}),
    ("codebook rows worth 5 units", {"codebook_weight": 5.0}),
    ("codebook rows worth 15 units", {"codebook_weight": 15.0}),
    ("codebook rows worth 25 units", {"codebook_weight": 25.0}),
    ("default + phrase-match features", {"dictionary_features": True}),
    ("default, C=3", {"C": 3.0}),
)

# --------------------------------------------------------------------------- gold files

#: extra ClauseClassifier parameters of the learning curve, transfer, active and per-code
#: parts (``--params``), e.g. the previous default for a before/after comparison
CLASSIFIER: dict = {}
#: processes for the folds of each cross-validation (``--n-jobs``; the same figures)
N_JOBS = 1


def load_gold(path, cb) -> pd.DataFrame:
    """A gold file as a table with ``unit_id, text, coder_a, coder_b`` (and ``part``,
    ``corpus`` when the file has them); None: the development set; ``"clause"``: the
    held-out clause set shipped with the package (``load_instrument_codes(units="clause")``)."""
    if path is None:
        return bt.load_instrument_codes().rename_axis("unit_id").reset_index()
    if path == "clause":
        return bt.load_instrument_codes(units="clause").rename_axis("unit_id").reset_index()
    if path == "all":
        return bt.load_instrument_codes(units="all").rename_axis("unit_id").reset_index()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"--gold {path}: no such file")
    gold = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    gold.columns = [c.strip() for c in gold.columns]
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise MetadataError(f"{path}: the gold file lacks the column(s) {missing}; it needs "
                            f"{', '.join(GOLD_COLUMNS)} (and optionally part, corpus)")
    for c in gold.columns:
        gold[c] = gold[c].str.strip()
    dup = gold.loc[gold["unit_id"].duplicated(), "unit_id"]
    if len(dup):
        raise MetadataError(f"{path}: unit_id {dup.iloc[0]!r} occurs more than once")
    blank = (gold["coder_a"] == "") | (gold["coder_b"] == "")
    if blank.any():
        print(f"note: {int(blank.sum())} unit(s) of {path} lack a code of one coder; left out")
        gold = gold[~blank]
    known = set(cb.codes())
    for col in ("coder_a", "coder_b"):
        bad = sorted(set(gold[col]) - known)
        if bad:
            raise MetadataError(f"{path}: column {col} has codes {bad} that are not codes of "
                                f"{cb.source}; its codes are {cb.codes()}")
    return gold.reset_index(drop=True)


def agreed_units(gold: pd.DataFrame):
    """(units with doc_id and text, their agreed codes by unit id, the agreed rows)."""
    agreed = gold[gold["coder_a"] == gold["coder_b"]]
    cols = ["doc_id", "text"] + (["heading_path"] if "heading_path" in agreed else [])
    units = agreed.rename(columns={"unit_id": "doc_id"})[cols]
    codes = pd.Series(agreed["coder_a"].to_numpy(), index=agreed["unit_id"].to_numpy())
    return units, codes, agreed.set_index("unit_id")


def agreement(gold: pd.DataFrame, cb) -> pd.DataFrame:
    """Agreement, Cohen's kappa and each coder's macro-F1 with the other as the truth (all
    units; how high a classifier scored like the coders could reach)."""
    from sklearn.metrics import cohen_kappa_score

    rows = []
    for level in ("subtype", "type"):
        a, b = gold["coder_a"], gold["coder_b"]
        if level == "type":
            a, b = a.map(cb.type_of), b.map(cb.type_of)
        rows.append({"level": level, "units": len(gold),
                     "agreement": float((a == b).mean()),
                     "cohen_kappa": cohen_kappa_score(a, b),
                     "macro_f1_b_vs_a": _macro_f1(a.to_numpy(), b.to_numpy()),
                     "macro_f1_a_vs_b": _macro_f1(b.to_numpy(), a.to_numpy())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- scores

def _macro_f1(truth, pred) -> float:
    from sklearn.metrics import f1_score

    labels = sorted(set(truth))
    return float(f1_score(truth, pred, labels=labels, average="macro", zero_division=0))


def _subset_scores(predictions: pd.DataFrame, mask: pd.Series) -> dict:
    """Per-fold macro-F1 of the classifier and the dictionary on the test units of
    ``mask`` (means over folds)."""
    clf, dic = [], []
    for _, fold in predictions[mask.reindex(predictions.index).to_numpy(bool)].groupby("fold"):
        clf.append(_macro_f1(fold["code"], fold["predicted"]))
        dic.append(_macro_f1(fold["code"], fold["dictionary"]))
    return {"classifier": float(np.mean(clf)) if clf else np.nan,
            "dictionary": float(np.mean(dic)) if dic else np.nan, "units": int(mask.sum())}


def learning_curve(units, codes, rows: pd.DataFrame, repeats: int,
                   sizes=(50, 100, 200)) -> pd.DataFrame:
    out = []
    for level in ("type", "subtype"):
        for n in sizes:
            folds, subsets = [], {}
            for seed in range(repeats):
                clf = bt.ClauseClassifier(level=level, random_state=seed, **CLASSIFIER)
                table = clf.cross_validate(units, codes, n_splits=5, max_train=n,
                                           n_jobs=N_JOBS)
                folds.append(table)
                pred = table.attrs["predictions"]
                for col, value in _subsets(rows):
                    subsets.setdefault((col, value), []).append(
                        _subset_scores(pred, rows[col] == value))
            table = pd.concat(folds)
            row = {"level": level, "max_train": n,
                   "classifier_macro_f1": table["macro_f1"].mean(),
                   "sd_over_folds": table["macro_f1"].std(),
                   "dictionary_macro_f1": table["dictionary_macro_f1"].mean(),
                   "classifier_accuracy": table["accuracy"].mean(),
                   "dictionary_accuracy": table["dictionary_accuracy"].mean(),
                   "codebook_rows": folds[0].attrs["codebook_rows"]}
            for (col, value), scores in subsets.items():
                row[f"{col}={value}: classifier"] = np.mean([s["classifier"] for s in scores])
                row[f"{col}={value}: dictionary"] = np.mean([s["dictionary"] for s in scores])
            out.append(row)
    return pd.DataFrame(out)


def active_curve(units, codes, repeats: int, start: int = 20, batch: int = 10,
                 sizes=(50, 100, 200)) -> pd.DataFrame:
    """The coding workflow the library proposes, against labels drawn at random: in each
    training fold (stratified 5-fold, fold seeds ``range(repeats)``) a coder first codes
    ``start`` random units, then, round after round, the ``batch`` units
    ``ClauseClassifier.next_to_code`` puts first (uncertainty sampling) among the rest of
    the fold; the random arm adds ``batch`` random units instead, from the same first
    ``start``. Macro-F1 on the test fold at each size of ``sizes``, per arm. The gold codes
    stand in for the coder. The protocol (start 20, batches of 10) was fixed before any
    run."""
    from sklearn.model_selection import StratifiedKFold

    cb = bt.read_codebook()
    table = units.set_index("doc_id")
    out = []
    for level in ("type", "subtype"):
        truth = codes if level == "subtype" else codes.map(cb.type_of)
        scores = {(arm, n): [] for arm in ("active", "random") for n in sizes}
        for seed in range(repeats):
            folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
            for k, (train, test) in enumerate(folds.split(codes.index, codes.to_numpy())):
                pool = list(codes.index[train])
                test_ids = codes.index[test]
                rng = np.random.default_rng([seed, k])
                first = list(rng.choice(pool, size=start, replace=False))
                order = list(rng.permutation([u for u in pool if u not in set(first)]))
                for arm in ("active", "random"):
                    coded = list(first)
                    while len(coded) <= max(sizes):
                        clf = bt.ClauseClassifier(level=level, random_state=seed, **CLASSIFIER)
                        clf.fit(table.loc[coded].reset_index(), codes.loc[coded])
                        if len(coded) in sizes:
                            pred = clf.predict(table.loc[test_ids].reset_index())["code"]
                            scores[(arm, len(coded))].append(
                                _macro_f1(truth.loc[test_ids], pred.to_numpy()))
                        if arm == "active":
                            rest = table.loc[[u for u in pool if u not in set(coded)]]
                            nxt = clf.next_to_code(rest.reset_index(), top_n=batch)
                            coded += list(nxt.index)
                        else:
                            coded += [u for u in order if u not in set(coded)][:batch]
        for n in sizes:
            out.append({"level": level, "labels": n,
                        "active_macro_f1": np.mean(scores[("active", n)]),
                        "active_sd": np.std(scores[("active", n)], ddof=1),
                        "random_macro_f1": np.mean(scores[("random", n)]),
                        "random_sd": np.std(scores[("random", n)], ddof=1),
                        "folds": len(scores[("active", n)])})
    return pd.DataFrame(out)


def _subsets(rows: pd.DataFrame):
    """(column, value) of the parts scored apart: the random part, each corpus."""
    if "part" in rows.columns and (rows["part"] == "random").any():
        yield "part", "random"
    if "corpus" in rows.columns and rows["corpus"].nunique() > 1:
        for value in sorted(rows["corpus"].unique()):
            yield "corpus", value


def _without_none_examples():
    """The shipped codebook with the ``none`` row's example clauses removed."""
    table = bt.read_codebook().table.copy()
    table.loc[table["code"] == "none", "examples"] = ""
    return bt.Codebook(table, source="shipped codebook without none's examples")


def variants(units, codes, repeats: int) -> pd.DataFrame:
    rows = []
    for level in ("type", "subtype"):
        for label, params in VARIANTS:
            if params.get("codebook") == NO_NONE_EXAMPLES:
                params = {**params, "codebook": _without_none_examples()}
            tables = [bt.ClauseClassifier(level=level, random_state=seed, **params)
                      .cross_validate(units, codes, n_splits=5, max_train=200, n_jobs=N_JOBS)
                      for seed in range(repeats)]
            f1 = pd.concat(tables)["macro_f1"]
            rows.append({"level": level, "variant": label, "macro_f1": f1.mean(),
                         "sd_over_folds": f1.std()})
            print(f"  {level:7s} {label:40s} {f1.mean():.3f}", flush=True)
    return pd.DataFrame(rows)


def per_code(units, codes) -> pd.DataFrame:
    """Per-code F1 of the out-of-fold predictions (at most 200 training labels per fold) and
    of the dictionary, at subtype level."""
    return _f1_columns(bt.ClauseClassifier(random_state=0, **CLASSIFIER).cross_validate(
        units, codes, max_train=200).attrs["per_code"])


def dictionary_scores(units, codes) -> pd.DataFrame:
    """The dictionary's per-code precision, recall and F1 on the agreed units (subtype
    level; rows: every code of the agreed units or of the dictionary's codes, the most
    frequent agreed code first), with ``units`` (agreed) and ``coded`` (given by the
    dictionary)."""
    from sklearn.metrics import precision_recall_fscore_support

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coded = bt.code_clauses(units, dimensions=["instrument"])["code"]
    truth = codes.reindex(coded.index)
    labels = list(dict.fromkeys(truth.value_counts().index.tolist()
                                + sorted(set(coded) - set(truth))))
    p, r, f1, n = precision_recall_fscore_support(truth, coded, labels=labels,
                                                  zero_division=0)
    given = coded.value_counts().reindex(labels, fill_value=0).to_numpy()
    return pd.DataFrame({"precision": p, "recall": r, "f1": f1, "units": n, "coded": given},
                        index=pd.Index(labels, name="code"))


def _per_code_table(truth, predicted, dictionary) -> pd.DataFrame:
    """F1 per code of the classifier's and the dictionary's codes, the most frequent first."""
    return _f1_columns(_per_code_scores(truth, predicted, dictionary))


def _f1_columns(scores: pd.DataFrame) -> pd.DataFrame:
    """``cross_validate``'s ``per_code`` table as this benchmark prints it."""
    return pd.DataFrame({"f1_classifier": scores["f1"],
                         "f1_dictionary": scores["dictionary_f1"], "units": scores["units"]})


def transfer(dev, gold, cb, repeats: int, max_train: int = 200):
    """Train on at most ``max_train`` agreed units of ``dev`` (a random draw per repeat),
    test on all agreed units of ``gold``: macro-F1 over the codes present in the gold set
    (and on its random part / per corpus), classifier vs dictionary."""
    dev_units, dev_codes, _ = agreed_units(dev)
    units, codes, rows = agreed_units(gold)
    rows_out, per_code_tables = [], {}
    for level in ("type", "subtype"):
        truth = codes if level == "subtype" else codes.map(cb.type_of)
        dictionary = bt.code_clauses(units, cb)["code"]
        if level == "type":
            dictionary = dictionary.map(cb.type_of)
        scores = {"all": [], **{f"{c}={v}": [] for c, v in _subsets(rows)}}
        for seed in range(repeats):
            rng = np.random.default_rng(seed)
            take = rng.choice(len(dev_codes), size=min(max_train, len(dev_codes)),
                              replace=False)
            clf = bt.ClauseClassifier(level=level, random_state=seed, **CLASSIFIER).fit(
                dev_units.iloc[np.sort(take)], dev_codes.iloc[np.sort(take)])
            pred = clf.predict(units)["code"].reindex(truth.index)
            if seed == 0:
                per_code_tables[level] = _per_code_table(truth, pred, dictionary)
            scores["all"].append((_macro_f1(truth, pred), _macro_f1(truth, dictionary),
                                  float((truth == pred).mean()),
                                  float((truth == dictionary).mean()), len(truth)))
            for col, value in _subsets(rows):
                m = (rows[col] == value).reindex(truth.index).to_numpy(bool)
                scores[f"{col}={value}"].append((
                    _macro_f1(truth[m], pred[m]), _macro_f1(truth[m], dictionary[m]),
                    float((truth[m] == pred[m]).mean()),
                    float((truth[m] == dictionary[m]).mean()), int(m.sum())))
        for subset, values in scores.items():
            v = np.array(values, dtype=float)
            rows_out.append({"level": level, "test units": subset, "n": int(v[0, 4]),
                             "classifier_macro_f1": v[:, 0].mean(),
                             "sd_over_draws": v[:, 0].std(ddof=1) if len(v) > 1 else np.nan,
                             "dictionary_macro_f1": v[0, 1],
                             "classifier_accuracy": v[:, 2].mean(),
                             "dictionary_accuracy": v[0, 3]})
    return pd.DataFrame(rows_out), per_code_tables


# --------------------------------------------------------------------------- unlabelled

def unlabelled(units, codes) -> pd.DataFrame:
    """Shares of the predicted codes on the work reports' clauses (20-400 characters):
    all, review clauses with figures, target clauses with figures; subtype level."""
    docs = bt.load_work_reports().reshape("clause").docs
    text = docs.loc[docs["text"].str.len().between(20, 400), "text"]
    groups = {
        "all clauses": text,
        "review with figures": text[text.str.contains("比上年增长|同比增长")
                                    & ~text.str.contains("要|将|力争|预期|目标")],
        "targets with figures": text[text.str.contains("预期目标|主要目标|力争")
                                     & text.str.contains(r"\d%|左右")],
    }
    rows = []
    for label, cb in (("default", None), ("without none's examples", _without_none_examples())):
        clf = bt.ClauseClassifier(cb).fit(units, codes)
        for name, t in groups.items():
            pred = clf.predict(pd.DataFrame({"doc_id": t.index.astype(str), "text": t}))
            share = pred["code"].value_counts(normalize=True)
            rows.append({"classifier": label, "clauses": name, "n": len(t),
                         "none": share.get("none", 0.0), "E_goals": share.get("E_goals", 0.0),
                         "type environment": float((pred["type"] == "environment").mean()),
                         "most frequent": f"{share.index[0]} {share.iloc[0]:.2f}"})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- speed

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


# --------------------------------------------------------------------------- main

def _verdict(name: str, clf: float, dic: float) -> str:
    met = "met" if clf >= TARGET_F1 else "MISSED"
    return (f"  {name}: classifier {clf:.3f} vs dictionary {dic:.3f}; "
            f"target >= {TARGET_F1}: {met}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=None,
                    help="'clause' (the shipped held-out clause set), 'all' (every "
                         "coded unit shipped) or a "
                         "gold CSV (unit_id, text, coder_a, coder_b[, part, corpus]); "
                         "default: the development set bt.load_instrument_codes()")
    ap.add_argument("--train-on-dev", action="store_true",
                    help="train on <= 200 agreed units of the development set, test on all "
                         "agreed units of --gold")
    ap.add_argument("--repeats", type=int, default=3, help="fold seeds / training draws")
    ap.add_argument("--repeat", type=int, default=5, help="timing repeats")
    ap.add_argument("--variant-repeats", type=int, default=1, help="fold seeds of variants")
    ap.add_argument("--parts", default=None,
                    help="comma-separated sections: agreement,curve,active,variants,percode,"
                         "dictionary,speed,unlabelled "
                         "(default: all; with --train-on-dev: agreement)")
    ap.add_argument("--params", default="{}",
                    help="ClauseClassifier parameters as a dict literal, e.g. "
                         "\"{'context_weight': 0, 'vector_weight': 0}\" (the default before "
                         "session 32)")
    ap.add_argument("--reference-corpus", choices=("bri", "reports"), default=None,
                    help="learn beside the labels only from the package's coded units of "
                         "this corpus, and test on the gold units of the other corpus (a "
                         "corpus the reference does not know)")
    ap.add_argument("--n-jobs", type=int, default=1,
                    help="processes for the folds of each cross-validation (same figures)")
    args = ap.parse_args(argv)
    global N_JOBS
    N_JOBS = args.n_jobs
    CLASSIFIER.update(ast.literal_eval(args.params))
    if args.reference_corpus:
        from bri_text.instruments._coding import _builtin_reference

        every = bt.load_instrument_codes(units="all")
        every = every[every["coder_a"] == every["coder_b"]]
        ref = _builtin_reference()
        CLASSIFIER["reference"] = ref[(every["corpus"] == args.reference_corpus).to_numpy()]
    sys.stdout.reconfigure(line_buffering=True)
    warnings.filterwarnings("ignore", message="The least populated class")
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 30)

    if args.train_on_dev and args.gold is None:
        ap.error("--train-on-dev needs --gold PATH (the set to test on)")
    cb = bt.read_codebook()
    gold = load_gold(args.gold, cb)
    name = args.gold or "development set (bt.load_instrument_codes())"
    if args.reference_corpus:
        if "corpus" not in gold.columns:
            ap.error("--reference-corpus needs a gold file with a corpus column")
        gold = gold[gold["corpus"] != args.reference_corpus].reset_index(drop=True)
        name += (f", its units outside {args.reference_corpus!r} only; reference: the "
                 f"package's coded units of {args.reference_corpus!r}")
    extra = [c for c in ("part", "corpus") if c in gold.columns]
    print(f"gold: {name}: {len(gold)} units"
          + "".join(f"; {c}: {gold[c].value_counts().to_dict()}" for c in extra) + "\n")
    default_parts = "agreement" if args.train_on_dev else "agreement,curve,variants,percode,speed"
    parts = set((args.parts or default_parts).split(","))
    if "agreement" in parts:
        print("1. Agreement between the two coders (Cohen's kappa, sklearn)")
        print(agreement(gold, cb).round(3).to_string(index=False), "\n")

    units, codes, rows = agreed_units(gold)
    print(f"2. Agreed units: {len(codes)}; codes: {codes.value_counts().to_dict()}\n")
    if args.train_on_dev:
        dev = load_gold(None, cb)
        table, per_code_tables = transfer(dev, gold, cb, args.repeats)
        print(f"3. Transfer: trained on <= 200 agreed units of the development set "
              f"({args.repeats} random draws), tested on all agreed units of {args.gold} "
              "(macro-F1 over the codes present in the test units)")
        print(table.round(3).to_string(index=False), "\n")
        for level in ("type", "subtype"):
            for subset in ("all", "part=random"):
                r = table[(table["level"] == level) & (table["test units"] == subset)]
                if len(r):
                    r = r.iloc[0]
                    print(_verdict(f"{level:7s} level, {subset} test units",
                                   r["classifier_macro_f1"], r["dictionary_macro_f1"]))
        for level, t in per_code_tables.items():
            print(f"\nPer-code F1 at {level} level (first draw)")
            print(t.round(3).to_string())
        print()
    if "curve" in parts:
        curve = learning_curve(units, codes, rows, args.repeats)
        print(f"Learning curve (stratified 5-fold x {args.repeats} fold seeds; macro-F1 over "
              "the codes present in each test fold)")
        print(curve.round(3).to_string(index=False))
        for level in ("type", "subtype"):
            r = curve[(curve["level"] == level) & (curve["max_train"] == 200)].iloc[0]
            print(_verdict(f"{level:7s} level, <= 200 labels", r["classifier_macro_f1"],
                           r["dictionary_macro_f1"]))
            if "part=random: classifier" in r:
                print(_verdict(f"{level:7s} level, <= 200 labels, random part's test units",
                               r["part=random: classifier"], r["part=random: dictionary"]))
    if "active" in parts:
        curve = active_curve(units, codes, args.repeats)
        print(f"Labels chosen by next_to_code (uncertainty sampling, 20 random then batches "
              f"of 10) against random labels, same folds (stratified 5-fold x "
              f"{args.repeats} fold seeds)")
        print(curve.round(3).to_string(index=False))
        for level in ("type", "subtype"):
            r = curve[(curve["level"] == level) & (curve["labels"] == 200)].iloc[0]
            met = "met" if r["active_macro_f1"] >= TARGET_F1 else "MISSED"
            print(f"  {level:7s} level, 200 labels chosen by next_to_code: "
                  f"{r['active_macro_f1']:.3f} (random {r['random_macro_f1']:.3f}); "
                  f"target >= {TARGET_F1}: {met}")
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
              f"{big['f1_classifier'].mean():.3f}, dictionary "
              f"{big['f1_dictionary'].mean():.3f}\n")
    if "dictionary" in parts:
        table = dictionary_scores(units, codes)
        present = table[table["units"] > 0]
        print("Dictionary alone (bt.code_clauses, shipped codebook) on all agreed units, "
              "subtype level")
        print(table.round(3).to_string(), "\n")
        print(f"  macro-F1 over the {len(present)} codes present: "
              f"{present['f1'].mean():.3f}; accuracy "
              f"{(table['recall'] * table['units']).sum() / table['units'].sum():.3f}\n")
    if "unlabelled" in parts:
        print("5. Predicted codes on the work reports' clauses (no labels; trained on all "
              "agreed units of the development set, subtype level)")
        dev_units, dev_codes, _ = agreed_units(load_gold(None, cb))
        print(unlabelled(dev_units, dev_codes).round(3).to_string(index=False), "\n")
    if "speed" not in parts:
        return
    s = speed(args.repeat)
    met = "met" if s["total_s"] <= TARGET_SECONDS else "MISSED"
    print(f"4. Speed (best of {args.repeat}): {s['n_units']} {s['unit']} units of the built-in "
          f"corpus: reshape {s['reshape_s']:.3f} s + dictionary coding {s['coding_s']:.3f} s "
          f"= {s['total_s']:.3f} s; target <= {TARGET_SECONDS} s: {met}")


if __name__ == "__main__":
    main()
