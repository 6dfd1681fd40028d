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

``"genre": true`` (session 45, configuration G, tried and not adopted; see
:func:`with_genre`): the reference with the rare set of session 44, weighted by genre. The
corpora's vote shares p_g are printed beside each score.

    python benchmarks/bench_instruments_context.py '{"genre": true}'
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


def genre_weights(x_hand, x_ref, codes: np.ndarray, corpus: np.ndarray,
                  totals: dict) -> tuple[np.ndarray, dict]:
    """The reference units' sample weights by genre (session 45, configuration G) and the
    corpora's vote shares ``p_g``. Each hand-coded unit's nearest reference unit (cosine
    of their rows of ``x_*``, L2-normalised TF-IDF; ties: the first) votes for its corpus;
    a code's total weight (``totals``) is split between the corpora that have units of it
    in proportion to ``p_g`` (renormalised over them), then equally among its units of
    each corpus. A code with units of one corpus only (or whose corpora got no vote) keeps
    its whole weight, equally among its units."""
    corpora = sorted(set(corpus))
    votes = dict.fromkeys(corpora, 0)
    for row in (x_hand @ x_ref.T).toarray():
        if row.size and row.max() > 0:          # a unit with no shared n-gram has no nearest
            votes[corpus[int(np.argmax(row))]] += 1
    n_votes = sum(votes.values())
    p = {g: (votes[g] / n_votes if n_votes else 0.0) for g in corpora}
    weight = np.zeros(len(codes))
    for c in np.unique(codes):
        in_c = codes == c
        present = sorted(set(corpus[in_c]))
        mass = sum(p[g] for g in present)
        if len(present) == 1 or mass == 0:
            weight[in_c] = totals[c] / in_c.sum()
            continue
        for g in present:
            rows = in_c & (corpus == g)
            weight[rows] = totals[c] * p[g] / mass / rows.sum()
    return weight, p


def with_genre() -> None:
    """Patch ClauseClassifier into session 45's configuration G (tried, not adopted;
    benchmarks/INSTRUMENTS.md, "Session 45"): the built-in reference gains the agreed
    units of ``data/instrument_rare.csv`` and keeps each unit's corpus (a table passed as
    ``reference``, as cross_validate's folds get it, keeps its ``corpus`` column); in
    ``fit``, the reference rows' sample weights are those of :func:`genre_weights` (each
    code's total unchanged), read off the class's own first feature block (its character
    n-gram TF-IDF, as fit computed it). The class's ``fit`` runs unchanged otherwise: its
    logistic regression is swapped, for the fit, for one that rewrites the reference rows'
    weights before fitting. ``genre_shares_`` keeps p_g."""
    import functools

    import pandas as pd
    import sklearn.linear_model as lm

    @functools.lru_cache(maxsize=1)
    def builtin_reference() -> pd.DataFrame:
        units = bt.load_instrument_codes(units="all")
        rare = pd.read_csv(HERE / "data" / "instrument_rare.csv", dtype=str,
                           keep_default_na=False)
        cols = ["text", "heading_path", "coder_a", "coder_b", "corpus"]
        units = pd.concat([units[cols], rare[cols]], ignore_index=True)
        agreed = units[units["coder_a"] == units["coder_b"]]
        return pd.DataFrame({"text": agreed["text"].to_numpy(),
                             "heading_path": agreed["heading_path"].to_numpy(),
                             "code": agreed["coder_a"].to_numpy(),
                             "corpus": agreed["corpus"].to_numpy()})

    reference_table = _coding._reference_table

    def reference_table_with_corpus(table):
        out = reference_table(table)
        if "corpus" in table.columns:
            out["corpus"] = (table["corpus"].reset_index(drop=True).loc[out.index]
                             .fillna("").astype(str).str.strip())
        return out

    def reference_rows(self, cb, coded):
        ref = self._reference_units(cb, coded["text"].astype(str).str.strip().tolist())
        self._genre = None
        if ref is None:
            return pd.DataFrame({"text": [], "context": [], "code": []}, dtype=object)
        out = pd.DataFrame({"text": ref["text"].tolist(), "context": self._contexts(ref),
                            "code": self._fold(ref["code"], cb).tolist()})
        if "corpus" in ref.columns and len(out):
            self._genre = (len(coded), out["code"].to_numpy(object),
                           ref["corpus"].to_numpy(object))
        return out

    fit = _coding.ClauseClassifier.fit
    regression = lm.LogisticRegression

    def genre_fit(self, units, codes):
        model = self

        class Regression(regression):
            def fit(self, x, y, sample_weight=None):
                if model._genre is not None:
                    n, ref_codes, corpus = model._genre
                    first = x[:, :len(model.vectorizer_.vocabulary_)].tocsr()
                    rows = slice(n, n + len(ref_codes))
                    per_code = np.unique(ref_codes)      # the class's totals, as it computes them
                    totals = {c: model.reference_weight * n / len(per_code) for c in per_code}
                    sample_weight = sample_weight.copy()
                    sample_weight[rows], model.genre_shares_ = genre_weights(
                        first[:n], first[rows], ref_codes, corpus, totals)
                return super().fit(x, y, sample_weight=sample_weight)

        self.genre_shares_, self._genre = None, None
        lm.LogisticRegression = Regression
        try:
            return fit(self, units, codes)
        finally:
            lm.LogisticRegression = regression

    _coding._builtin_reference = builtin_reference
    _coding._reference_table = reference_table_with_corpus
    _coding.ClauseClassifier._reference_rows = reference_rows
    _coding.ClauseClassifier.fit = genre_fit


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
    if cfg.get("genre"):
        with_genre()
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
