"""Session 43: decision rules on ``bt.ClauseClassifier``'s probabilities, tried on the
choosing sets with session 34's protocol (``bench_instruments_context.py``: stratified
5-fold x 3 fold seeds, at most 200 labels, the shipped reference beside; the clause set and
the third to the tenth gold sets). Each fold's model is fitted once; from its probabilities
the script scores, besides the class's own argmax (``base``, equal to ``cross_validate``):

- ``prior0.5`` / ``prior1.0``: each code's probability divided by its share of the summed
  sample weights of the training rows (hand codes, reference, codebook rows) to the power
  alpha, renormalised;
- ``centroid0.25`` / ``centroid0.5``: a blend ``(1 - lam) p + lam q`` with an encoder
  nearest-centroid vote ``q = softmax(cos(x, centroid_c) / 0.05)``; the centroid of a code
  is the sample-weighted mean of the m3e-small vectors (centred on the training rows,
  unit length) of its training rows.

Tried in session 43, none adopted (benchmarks/INSTRUMENTS.md, "Session 43"):

    python benchmarks/bench_instruments_decision.py '{}' OUT.jsonl
    python benchmarks/bench_instruments_decision.py '{"encoder": "m3e-small"}' OUT.jsonl
    python benchmarks/bench_instruments_decision.py '{"encoder": "m3e-small", "encoder_weight": 2.0}' OUT.jsonl
    python benchmarks/bench_instruments_decision.py '{"encoder": "m3e-small", "encoder_weight": 0.5}' OUT.jsonl

The first argument is passed to the class; the third (optional) lists sets, e.g. ``clause,3``.
"""
from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_instruments as bi  # noqa: E402
import sklearn.linear_model  # noqa: E402
from bench_instruments_context import SETS  # noqa: E402

import bri_text as bt  # noqa: E402
from bri_text._sentence_encoder import sentence_vectors  # noqa: E402
from bri_text.instruments import _coding  # noqa: E402

TAU = 0.05
ALPHAS = (0.5, 1.0)
LAMBDAS = (0.25, 0.5)
RECORD: list[dict] = []


class _Recording(sklearn.linear_model.LogisticRegression):
    """LogisticRegression that keeps its training labels and sample weights."""

    def fit(self, X, y, sample_weight=None):
        super().fit(X, y, sample_weight=sample_weight)
        self.y_train_ = np.asarray(y)
        self.sw_train_ = np.asarray(sample_weight, float)
        return self


def _patch() -> None:
    sklearn.linear_model.LogisticRegression = _Recording     # imported inside fit
    original = _coding.ClauseClassifier._features

    def features(self, texts, contexts, fit):
        if fit:
            self._train_texts = list(texts)
        return original(self, texts, contexts, fit)

    _coding.ClauseClassifier._features = features

    def fold_predictions(params, train_docs, train_codes, test_docs):
        model = _coding.ClauseClassifier(**params).fit(train_docs, train_codes)
        proba = model.predict_proba(test_docs)
        classes = list(proba.columns)
        lr = model.model_
        share = np.array([lr.sw_train_[lr.y_train_ == c].sum() for c in classes])
        share = share / share.sum()
        v = sentence_vectors(model._train_texts)
        mean = v.mean(axis=0)

        def unit(a):
            a = a - mean
            return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)

        v = unit(v)
        cent = np.vstack([(v[lr.y_train_ == c] * lr.sw_train_[lr.y_train_ == c, None]).sum(0)
                          for c in classes])
        cent /= np.maximum(np.linalg.norm(cent, axis=1, keepdims=True), 1e-12)
        sims = unit(sentence_vectors(test_docs["text"].tolist())) @ cent.T / TAU
        q = np.exp(sims - sims.max(axis=1, keepdims=True))
        q /= q.sum(axis=1, keepdims=True)
        RECORD.append({"index": list(proba.index), "classes": classes,
                       "p": proba.to_numpy(), "share": share, "q": q})
        return proba.idxmax(axis=1).to_numpy(), model.n_codebook_rows_

    _coding._fold_predictions = fold_predictions


def variants(p, share, q):
    out = {"base": p}
    for a in ALPHAS:
        r = p / share ** a
        out[f"prior{a}"] = r / r.sum(axis=1, keepdims=True)
    for lam in LAMBDAS:
        out[f"centroid{lam}"] = (1 - lam) * p + lam * q
    return out


def main(argv=None) -> None:
    from sklearn.metrics import f1_score

    argv = sys.argv[1:] if argv is None else argv
    params = json.loads(argv[0]) if argv else {}
    out_path = Path(argv[1]) if len(argv) > 1 else None
    sets = argv[2].split(",") if len(argv) > 2 else list(SETS)
    warnings.filterwarnings("ignore")
    _patch()
    cb = bt.read_codebook()
    t0 = time.time()
    rows = []
    for name in sets:
        units, codes, _ = bi.agreed_units(bi.load_gold(SETS[name], cb))
        for level in ("subtype", "type"):
            per_seed: dict[str, list[float]] = {}
            check = []
            for seed in range(3):
                RECORD.clear()
                table = bt.ClauseClassifier(level=level, random_state=seed,
                                            **params).cross_validate(
                    units, codes, n_splits=5, max_train=200)
                check.append(table["macro_f1"].mean())
                truth_all = table.attrs["predictions"]["code"]
                fold_scores: dict[str, list[float]] = {}
                for rec in RECORD:
                    truth = truth_all.loc[rec["index"]].to_numpy()
                    labels = sorted(set(truth))
                    cls = np.array(rec["classes"], dtype=object)
                    for k, pr in variants(rec["p"], rec["share"], rec["q"]).items():
                        pred = cls[pr.argmax(axis=1)]
                        fold_scores.setdefault(k, []).append(f1_score(
                            truth, pred, labels=labels, average="macro", zero_division=0))
                for k, v in fold_scores.items():
                    per_seed.setdefault(k, []).append(float(np.mean(v)))
            assert abs(np.mean(check) - np.mean(per_seed["base"])) < 1e-9, (check, per_seed)
            for k, v in per_seed.items():
                rows.append({"params": params, "set": name, "level": level, "rule": k,
                             "macro_f1": float(np.mean(v))})
            print(f"{name:7s} {level:8s} " + "  ".join(
                f"{k} {np.mean(v):.4f}" for k, v in per_seed.items())
                + f"  ({time.time() - t0:.0f} s)", flush=True)
            if out_path is not None:
                with out_path.open("a") as f:
                    for r in rows[-len(per_seed):]:
                        f.write(json.dumps(r) + "\n")
    table = pd.DataFrame(rows).pivot_table(index=["level", "rule"], columns="set",
                                           values="macro_f1")
    table["mean"] = table.mean(axis=1)
    print(table.round(3).to_string())
    print("params:", params)


if __name__ == "__main__":
    main()
