"""Method choice for ``bt.ClauseClassifier`` at subtype level, on the development set only.

The first gold set (``bt.load_instrument_codes()``, 293 agreed paragraphs) is the
development set: the classifier's method and defaults were chosen here, by this script's
figures, before any held-out gold was scored. The script re-implements the classifier's
pipeline (character n-gram TF-IDF, multinomial logistic regression, balanced class weights
over the hand codes) so that alternatives the class does not offer can be compared on the
same protocol as ``bench_instruments.py`` (stratified 5-fold with the same fold seeds, each
training fold cut to at most ``--max-train`` random labels; macro-F1 over the codes present
in each test fold). With no option the pipeline is the class's previous default (hand
codes only) and reproduces its figure (0.536 over 3 fold seeds).

Options of a configuration (a Python dict literal on the command line):

- ``cbw``: weight of the codebook rows (0: none); ``cbmode``: which rows — ``ex`` the
  example clauses (``ex1``: only the first, the one the codebook had before), ``ph`` each
  code's phrases joined into one row, ``each`` one row per phrase (``ex+each`` is what the
  class uses); ``per_code``: True makes ``cbw`` the weight of all of a code's rows
  together, in hand-coded units (the class's ``codebook_weight``), instead of each row's;
- ``dic``: the phrase matches (log counts per code) as features, times this scale;
- ``hier``: hierarchical prediction (a type model times the subtype model renormalised
  within each type);
- ``word``: word unigrams of ``bt.Tokenizer`` beside the character n-grams;
- ``C``, ``ngram``, ``min_df``: the logistic regression's and the vectorizer's settings;
- ``none``: True adds the example clauses of ``none`` as codebook rows of ``none`` (what
  the class does since the second 2026-12-06 section of ``INSTRUMENTS.md``);
- ``lsa``: a semi-supervised representation, ``lsa`` components of a truncated SVD of the
  TF-IDF rows fitted on unlabelled text (every paragraph of the built-in BRI corpus and the
  training rows; random_state 0), each unit's components normalised to length
  ``lsa_scale`` (default 1) and put beside the n-grams;
- ``head``: the headings above each unit (``heading_path`` without the unit's own heading)
  as a second block of character n-grams times this weight (``context_weight``);
  ``title``: True puts the document's title before the headings;
- ``vec``: the unit's mean word vector from the shipped vectors (``vector_weight``), and
  its headings' too when ``head`` is set; ``pos``: the unit's relative position in its
  document, five one-hot bins times this weight; ``svm``: True fits a linear SVM instead
  of the logistic regression; ``self``: self-training, the first model's codes of the
  units of an unlabelled pool (3,000 clauses of the built-in BRI documents and work
  reports, with their headings; random_state 0) whose probability is at least ``self``
  join the training rows, each weighing ``self_w`` (default 0.3) of a hand code, and the
  model is fitted again.

    python benchmarks/bench_instruments_methods.py [--seeds 0] "{}" "{'cbw': 1.0}" ...
    python benchmarks/bench_instruments_methods.py --gold clause --level type --seeds 0,1,2 \
        "{'cbw': 5.0, 'per_code': True, 'none': True}" \
        "{'cbw': 5.0, 'per_code': True, 'none': True, 'head': 0.5, 'vec': 0.6}"

``--gold``: ``dev`` (the development paragraphs, default), ``clause`` (the shipped clause
set) or a gold CSV (``unit_id, text, coder_a, coder_b`` and optionally ``heading_path``,
``title``); ``--level``: ``subtype`` (default) or ``type`` (codes folded to their type).
With no configuration, the table of ``INSTRUMENTS.md`` (2026-12-06) is run.
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
from bri_text._util import check_random_state  # noqa: E402
from bri_text.instruments._coding import _matchers  # noqa: E402

TABLE = (
    {},
    {"dic": 1.0},
    {"hier": True},
    {"cbw": 1.0, "cbmode": "ex+ph"},
    {"cbw": 1.0, "cbmode": "ex1+each"},
    {"cbw": 1.0, "cbmode": "ex+each"},
    {"cbw": 0.5, "cbmode": "ex+each"},
    {"cbw": 2.0, "cbmode": "ex+each"},
    {"cbw": 1.0, "cbmode": "ex+each", "dic": 0.5},
    {"cbw": 1.0, "cbmode": "ex+each", "hier": True},
    {"cbw": 1.0, "cbmode": "ex+each", "word": True},
    {"cbw": 1.0, "cbmode": "ex+each", "C": 3.0},
    {"cbw": 1.0, "cbmode": "ex+each", "C": 30.0},
    {"cbw": 5.0, "cbmode": "ex+each", "per_code": True},
    {"cbw": 15.0, "cbmode": "ex+each", "per_code": True},
    {"cbw": 25.0, "cbmode": "ex+each", "per_code": True},
    {"cbw": 40.0, "cbmode": "ex+each", "per_code": True},
)


class Pipeline:
    def __init__(self):
        self.cb = bt.read_codebook()
        self.matcher = _matchers(self.cb)["instrument"]
        self.tokenizer = None
        self._words: dict = {}

    def words(self, text: str) -> list[str]:
        if self.tokenizer is None:
            self.tokenizer = bt.Tokenizer()
        if text not in self._words:
            self._words[text] = [w for w, *_ in self.tokenizer.segment(text)]
        return self._words[text]

    def pool(self) -> list[str]:
        """Unlabelled text for ``lsa``: every paragraph of the built-in BRI corpus."""
        if not hasattr(self, "_pool"):
            self._pool = bt.load_bri_policies().reshape("paragraph").docs["text"].tolist()
        return self._pool

    def unlabelled(self) -> tuple[list[str], list[str]]:
        """Texts and headings of 3,000 random clauses of the built-in corpora (``self``)."""
        if not hasattr(self, "_unlabelled"):
            from bri_text.instruments._coding import ClauseClassifier

            d = pd.concat([bt.load_bri_policies().reshape("clause").docs,
                           bt.load_work_reports().reshape("clause").docs])
            d = d.iloc[np.random.default_rng(0).choice(len(d), 3000, replace=False)]
            self._unlabelled = d["text"].tolist(), ClauseClassifier._contexts(d)
        return self._unlabelled

    def codebook_rows(self, mode: str) -> list[tuple[str, str]]:
        rows = []
        tb = self.cb.table[(self.cb.table["dimension"] == "instrument")
                           & (self.cb.table["parent"] != "")]
        parts = mode.split("+")
        if "none" in parts:
            cell = self.cb.table.set_index("code").loc["none", "examples"]
            rows += [(e, "none") for e in cell.split("|") if e]
        for code, phrases, examples in zip(tb["code"], tb["phrases"], tb["examples"]):
            ex = [e for e in examples.split("|") if e]
            if "ex1" in parts:
                rows += [(e, code) for e in ex[:1]]
            if "ex" in parts:
                rows += [(e, code) for e in ex]
            if "ph" in parts:
                rows.append(("，".join(phrases.split("|")), code))
            if "each" in parts:
                rows += [(p, code) for p in phrases.split("|") if p]
        return rows

    def _dictionary(self, texts):
        counts, _ = self.matcher.counts(texts)
        return np.log1p(counts)

    def fit_predict(self, train_texts, train_codes, test_texts, cfg: dict, train_units=None,
                    test_units=None, level: str = "subtype") -> np.ndarray:
        """Predicted codes of the test texts; ``*_units``: each unit's (headings, relative
        position), for ``head`` and ``pos``."""
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        n_test = len(test_texts)
        if cfg.get("self"):
            pool_texts, pool_heads = self.unlabelled()
            test_units = list(test_units or [("", 0.0)] * n_test) + [(h, 0.0)
                                                                  for h in pool_heads]
            test_texts = list(test_texts) + pool_texts
        cbw = cfg.get("cbw", 0.0)
        mode = cfg.get("cbmode", "ex+each") + ("+none" if cfg.get("none") else "")
        rows = self.codebook_rows(mode) if cbw > 0 else []
        if level == "type":
            rows = [(t, self.cb.type_of(c)) for t, c in rows]
            train_codes = np.array([self.cb.type_of(c) for c in train_codes], dtype=object)
        texts = list(train_texts) + [t for t, _ in rows]
        y = np.array(list(train_codes) + [c for _, c in rows], dtype=object)
        real = np.r_[np.ones(len(train_texts), bool), np.zeros(len(rows), bool)]
        vec = TfidfVectorizer(analyzer="char", ngram_range=cfg.get("ngram", (1, 3)),
                              min_df=cfg.get("min_df", 2), sublinear_tf=True)
        xs, ts = [vec.fit_transform(texts)], [vec.transform(test_texts)]
        if cfg.get("word"):
            wv = TfidfVectorizer(analyzer=self.words, sublinear_tf=True)
            xs.append(wv.fit_transform(texts))
            ts.append(wv.transform(test_texts))
        if cfg.get("dic"):
            xs.append(sparse.csr_matrix(self._dictionary(texts) * cfg["dic"]))
            ts.append(sparse.csr_matrix(self._dictionary(test_texts) * cfg["dic"]))
        if cfg.get("lsa"):
            from sklearn.decomposition import TruncatedSVD

            svd = TruncatedSVD(cfg["lsa"], random_state=0).fit(
                vec.transform(self.pool() + texts))
            for a, b in ((xs, xs[0]), (ts, ts[0])):
                z = svd.transform(b)
                z *= cfg.get("lsa_scale", 1.0) / np.maximum(
                    np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
                a.append(sparse.csr_matrix(z))
        train_units = train_units or [("", 0.0)] * len(train_texts)
        test_units = test_units or [("", 0.0)] * len(test_texts)
        heads = [h for h, _ in train_units] + [""] * len(rows)
        test_heads = [h for h, _ in test_units]
        parts = [(texts, test_texts)]
        if cfg.get("head") and any(heads):
            hv = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
            hv.fit(heads[:len(train_texts)])
            xs.append(hv.transform(heads) * cfg["head"])
            ts.append(hv.transform(test_heads) * cfg["head"])
            parts.append((heads, test_heads))
        if cfg.get("vec"):
            from bri_text._word_vectors import text_vectors

            for a_texts, b_texts in parts:
                for a, tx in ((xs, a_texts), (ts, b_texts)):
                    z = text_vectors(list(tx))
                    z *= cfg["vec"] / np.maximum(np.linalg.norm(z, axis=1, keepdims=True),
                                                 1e-12)
                    a.append(sparse.csr_matrix(z))
        if cfg.get("pos"):
            for a, pos, n in ((xs, [p for _, p in train_units], len(texts)),
                              (ts, [p for _, p in test_units], len(test_texts))):
                z = np.zeros((n, 5))
                z[np.arange(len(pos)), np.minimum((np.array(pos) * 5).astype(int), 4)] = \
                    cfg["pos"]
                a.append(sparse.csr_matrix(z))
        x, t = sparse.hstack(xs, format="csr"), sparse.hstack(ts, format="csr")

        def weights(labels):
            counts = pd.Series(labels[real]).value_counts()
            classes = sorted(set(labels))
            cw = {c: real.sum() / (len(classes) * counts.get(c, 1)) for c in classes}
            w = np.where(real, 1.0, cbw)
            if cfg.get("per_code") and len(rows):
                per = pd.Series(labels[~real]).value_counts()
                w[~real] /= per[labels[~real]].to_numpy(float)
            return np.array([cw[c] for c in labels]) * w

        if cfg.get("svm"):
            from sklearn.svm import LinearSVC

            return LinearSVC(C=cfg.get("C", 1.0)).fit(x, y, sample_weight=weights(y)).predict(t)
        model = LogisticRegression(C=cfg.get("C", 10.0), max_iter=5000)
        model.fit(x, y, sample_weight=weights(y))
        if cfg.get("self"):
            t, t_pool = t[:n_test], t[n_test:]
            q = model.predict_proba(t_pool)
            sure = q.max(axis=1) >= cfg["self"]
            pseudo = model.classes_[q[sure].argmax(axis=1)]
            w = np.r_[weights(y), cfg.get("self_w", 0.3) * np.ones(int(sure.sum()))]
            model = LogisticRegression(C=cfg.get("C", 10.0), max_iter=5000)
            model.fit(sparse.vstack([x, t_pool[sure]], format="csr"),
                      np.r_[y, pseudo].astype(object), sample_weight=w)
        p, classes = model.predict_proba(t), model.classes_
        if cfg.get("hier"):
            ty = np.array([self.cb.type_of(c) for c in y], dtype=object)
            tm = LogisticRegression(C=cfg.get("C", 10.0), max_iter=5000)
            tm.fit(x, ty, sample_weight=weights(ty))
            pt = tm.predict_proba(t)
            column = {c: i for i, c in enumerate(tm.classes_)}
            type_of = np.array([self.cb.type_of(c) for c in classes])
            q = np.zeros_like(p)
            for ty_ in np.unique(type_of):
                m = type_of == ty_
                q[:, m] = p[:, m] / p[:, m].sum(1, keepdims=True) * pt[:, [column[ty_]]]
            p = q
        return classes[p.argmax(1)]


def cross_validate(pipe: Pipeline, texts, codes, cfg: dict, seeds, max_train: int,
                   units=None, level: str = "subtype"):
    """Per-fold macro-F1 with the protocol of ClauseClassifier.cross_validate (at type
    level the folds are stratified by type, as the class does)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    truth = codes if level == "subtype" else np.array([pipe.cb.type_of(c) for c in codes])
    scores = []
    for seed in seeds:
        rng = check_random_state(seed)
        folds = StratifiedKFold(5, shuffle=True, random_state=int(rng.integers(2**31 - 1)))
        for train, test in folds.split(np.zeros(len(codes)), truth):
            if len(train) > max_train:
                train = np.sort(rng.choice(train, size=max_train, replace=False))
            pred = pipe.fit_predict([texts[i] for i in train], codes[train],
                                    [texts[i] for i in test], cfg,
                                    units and [units[i] for i in train],
                                    units and [units[i] for i in test], level)
            scores.append(f1_score(truth[test], pred, labels=sorted(set(truth[test])),
                                   average="macro", zero_division=0))
    return np.array(scores)


def _positions(unit: str) -> dict:
    """Each unit's start over its document's length (built-in corpora)."""
    out = {}
    for corpus in (bt.load_bri_policies(), bt.load_work_reports()):
        n = corpus.docs.set_index("doc_id")["text"].str.len()
        u = corpus.reshape(unit).docs
        out.update(zip(u["doc_id"], u["start"] / u["parent_id"].map(n)))
    return out


def load(gold: str, title: bool = False):
    """(texts, agreed codes, (headings, position) per unit) of a gold set."""
    from bri_text.instruments._coding import ClauseClassifier

    if gold == "dev":
        g = bt.load_instrument_codes().rename_axis("unit_id").reset_index()
    elif gold == "clause":
        g = bt.load_instrument_codes(units="clause").rename_axis("unit_id").reset_index()
    else:
        g = pd.read_csv(gold, dtype=str, keep_default_na=False)
    g = g[g["coder_a"] == g["coder_b"]]
    heads = ClauseClassifier._contexts(g)
    if title:
        heads = [f"{t} {h}".strip() for t, h in zip(g["title"], heads)]
    pos = _positions("paragraph" if gold == "dev" else "clause")
    units = [(h, pos.get(i, 0.0)) for h, i in zip(heads, g["unit_id"])]
    return g["text"].tolist(), g["coder_a"].to_numpy(), units


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("configs", nargs="*", help="dict literals (default: the table)")
    ap.add_argument("--seeds", default="0", help="comma-separated fold seeds")
    ap.add_argument("--max-train", type=int, default=200)
    ap.add_argument("--gold", default="dev", help="dev, clause or a gold CSV")
    ap.add_argument("--level", default="subtype", choices=("subtype", "type"))
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    sys.stdout.reconfigure(line_buffering=True)
    seeds = [int(s) for s in args.seeds.split(",")]
    configs = [ast.literal_eval(c) for c in args.configs] or list(TABLE)
    pipe = Pipeline()
    print(f"{args.gold}, {args.level} level, <= {args.max_train} labels, stratified 5-fold x "
          f"seeds {seeds}; macro-F1 mean (sd over folds)")
    loaded = {}
    for cfg in configs:
        t0 = time.perf_counter()
        key = bool(cfg.get("title"))
        if key not in loaded:
            loaded[key] = load(args.gold, key)
        texts, codes, units = loaded[key]
        f1 = cross_validate(pipe, texts, codes, cfg, seeds, args.max_train, units, args.level)
        print(f"{f1.mean():.3f} ({f1.std(ddof=1):.3f})  {time.perf_counter() - t0:5.0f} s  "
              f"{cfg}")


if __name__ == "__main__":
    main()
