"""Two more blocks of features for ``bt.ClauseClassifier``, tried in session 37 and not
adopted (benchmarks/INSTRUMENTS.md, "Session 37"): the unit before it in its document
(``prev``: the previous unit that is not a heading, as character 1-3-grams of their own,
weighted against the unit's text) and the unit's first sentence (``lead``: up to the first
。；！？, at most 60 characters, its n-grams again as a block of their own; a work report's
clause names its subject first: 加快产业结构调整。…).

The protocol is session 34's: each of the clause sets already scored (the clause set and
the third to the twelfth since session 45; the third to the eighth before) in stratified
5-fold cross-validation x 3 fold seeds with at most 200 labels, the shipped reference beside them (it leaves out every unit that
overlaps the scored set), macro-F1 over the codes present in each test fold. The blocks are
added to the class's own features by wrapping its ``_features`` (nothing else changes, so
``{}`` reproduces the class).

    python benchmarks/bench_instruments_context.py '{}'               # the class as shipped
    python benchmarks/bench_instruments_context.py '{"lead": 0.5}'
    python benchmarks/bench_instruments_context.py '{"prev": 0.5}' clause,3 subtype,type

``"params"`` passes parameters to the class (session 42, the optional sentence encoder):

    python benchmarks/bench_instruments_context.py '{"params": {"encoder": "m3e-small"}}'
"""
from __future__ import annotations

import json
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_instruments as bi  # noqa: E402

import bri_text as bt  # noqa: E402
from bri_text.instruments import _coding  # noqa: E402

# the choosing sets: the clause set and the third to the twelfth (session 45; the ninth and
# tenth joined them in session 43, the eleventh in session 44, the twelfth in session 45,
# each after it was scored once)
SETS = {"clause": "clause", **{str(k): str(HERE / "data" / f"instrument_gold{k}.csv")
                               for k in range(3, 13)}}


def previous_units() -> dict[str, str]:
    """Each unit's text (stripped) -> the text of the unit before it in its document that
    is not a heading ("" for the first), over the built-in documents' clauses and the BRI
    paragraphs (the units every gold set and the reference are made of)."""
    prev: dict[str, str] = {}
    for units in (bt.load_bri_policies().reshape("clause"),
                  bt.load_work_reports().reshape("clause"),
                  bt.load_bri_policies().reshape("paragraph")):
        d = units.docs
        heading = (d["is_heading"].to_numpy(bool) if "is_heading" in d
                   else np.zeros(len(d), bool))
        for _, g in d.assign(_h=heading).groupby("parent_id", sort=False):
            last = ""
            for text, h in zip(g["text"].astype(str).str.strip(), g["_h"]):
                prev.setdefault(text, last)
                if not h:
                    last = text
    return prev


def with_blocks(cfg: dict, prev: dict[str, str]):
    """Wrap ClauseClassifier._features to add the ``prev`` / ``lead`` blocks of ``cfg``."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    original = _coding.ClauseClassifier._features

    def block(self, name, texts, fit, weight):
        if fit:
            setattr(self, f"_{name}_vectorizer", TfidfVectorizer(
                analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
            ).fit([t for t in texts if t] or ["-"]))
        return getattr(self, f"_{name}_vectorizer").transform(texts) * weight

    def features(self, texts, contexts, fit):
        x = original(self, texts, contexts, fit)
        keys = [str(t).strip() for t in texts]
        blocks = [x]
        if cfg.get("lead"):
            leads = [re.split(r"(?<=[。；！？])", k, maxsplit=1)[0][:60] for k in keys]
            blocks.append(block(self, "lead", leads, fit, cfg["lead"]))
        if cfg.get("prev"):
            blocks.append(block(self, "prev", [prev.get(k, "") for k in keys], fit,
                                cfg["prev"]))
        return x if len(blocks) == 1 else sparse.hstack(blocks, format="csr")

    _coding.ClauseClassifier._features = features


def record_genre_shares() -> list:
    """Wrap ClauseClassifier.fit to keep each fit's ``genre_shares_`` (the reference's
    corpora's vote shares p_g, session 45) when it has them; the list returned fills."""
    shares: list = []
    original = _coding.ClauseClassifier.fit

    def fit(self, units, codes):
        out = original(self, units, codes)
        if getattr(out, "genre_shares_", None):
            shares.append(out.genre_shares_)
        return out

    _coding.ClauseClassifier.fit = fit
    return shares


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    cfg = json.loads(argv[0]) if argv else {}
    sets = argv[1].split(",") if len(argv) > 1 else list(SETS)
    levels = argv[2].split(",") if len(argv) > 2 else ["subtype", "type"]
    warnings.filterwarnings("ignore")
    with_blocks(cfg, previous_units() if cfg.get("prev") else {})
    shares = record_genre_shares()
    cb = bt.read_codebook()
    scores, t0 = {}, time.time()
    for name in sets:
        units, codes, _ = bi.agreed_units(bi.load_gold(SETS[name], cb))
        for level in levels:
            shares.clear()
            f = [bt.ClauseClassifier(level=level, random_state=seed,
                                     **cfg.get("params", {})).cross_validate(
                units, codes, n_splits=5, max_train=200)["macro_f1"].mean()
                for seed in range(3)]
            scores[name, level] = float(np.mean(f))
            p_g = ""
            if shares:      # the corpora's vote shares, averaged over the folds' fits
                p_g = "  p_g " + ", ".join(
                    f"{g} {np.mean([s.get(g, 0.0) for s in shares]):.3f}"
                    for g in sorted({g for s in shares for g in s}))
            print(f"{name:7s} {level:8s} {scores[name, level]:.4f}  ({time.time() - t0:.0f} s)"
                  f"{p_g}", flush=True)
    for level in levels:
        print(f"{level} mean over {len(sets)} sets:",
              round(float(np.mean([v for (_, lv), v in scores.items() if lv == level])), 4))
    print("blocks:", cfg)


if __name__ == "__main__":
    main()
