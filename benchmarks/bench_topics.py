"""Benchmark: bri_text.TopicModel against the LDA implementations a researcher would use.

    python benchmarks/bench_topics.py [--ks 10 20] [--seeds 1 2 3] [--out results.csv]
    python benchmarks/bench_topics.py --corpus work_reports \\
        --models gensim tomotopy "TopicModel default"

Corpus: the built-in dataset (``bri_text.load_bri_policies()``; ``--corpus work_reports``:
the government work reports 1954-2025, ``bri_text.load_work_reports()``), tokenized with
bri_text's default tokenizer and split into paragraphs; paragraphs without tokens are left
out. Every model gets exactly these token lists; coherence is measured on them too (gensim
``CoherenceModel``, top 10 terms, one process), so models are compared on the same
reference texts whatever vocabulary filtering they apply.

``--set max_df=0.3 eta=0.1`` adds a bri_text row with those ``TopicModel`` parameters
(how the settings in benchmarks/TOPICS.md were compared).

Models (K = 10 and 20, seeds 1, 2, 3; one thread each, so times are comparable):

- gensim ``LdaModel`` with default settings (1 pass) and with 10 passes
- scikit-learn ``LatentDirichletAllocation`` (batch variational Bayes, 50 iterations)
- tomotopy ``LDAModel`` with its defaults, 1000 Gibbs iterations (the time baseline)
- qhchina ``LDAGibbsSampler`` (defaults, 500 iterations); needs ``pip install qhchina``
  (benchmark only; skipped with a note when not installed)
- bri_text ``TopicModel`` default configuration (the target row), and for information
  ``stopwords="policy"`` (plan boilerplate removed; easier to read, lower NPMI) and
  ``max_df=0.1, eta=0.1`` (terms in more than 10% of the paragraphs left out: the setting
  recommended for long reports such as the work reports)

Figures: fit seconds, NPMI (c_npmi) and c_v coherence, topic diversity (unique share of
the top 25 terms), cross-seed stability (mean over seed pairs of the mean similarity,
1 - Jensen-Shannon divergence, of Hungarian-matched topics) and, the same protocol for
every model (issue 31; Greene, O'Callaghan & Cunningham 2014), **resampling stability**:
for each seed, the documents are split into two random halves (``_stats.half_split``,
seeded by the seed), the model is fitted to each half with that seed, and its topics are
matched across the halves (same similarity); mean and sd over the seeds' splits, beside
the mean similarity of the halves' unmatched topic pairs (how alike any two of the model's
topics are: near-flat topics, e.g. gensim's after 1 pass, are alike whatever the documents,
so read the matched figure against it), and the Jaccard overlap of matched topics' top 10
terms. Cross-seed stability says a rerun gives the
same topics (bri_text's NMF start is a word prior every seed shares, so it is high by
construction); resampling stability says other documents give the same topics.

Targets: bri_text has the highest mean NPMI and the highest resampling stability at each K
(by more than the standard error of the difference over the splits); its fit time is at
most 1.5x tomotopy's 1000-iteration LDA (measured in the same run). Cross-seed stability is
printed beside its chance baseline (the mean similarity of unmatched topic pairs).
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bri_text as bt  # noqa: E402
from bri_text.topics import _stats as st  # noqa: E402
from bri_text.topics import TopicModel  # noqa: E402
from bri_text.topics._common import _coherence  # noqa: E402


CORPORA = {"bri_policies": bt.load_bri_policies, "work_reports": bt.load_work_reports}


def load_tokens(corpus="bri_policies"):
    tokens = bt.tokenize(CORPORA[corpus]()).reshape("paragraph")
    keep = np.array([len(t) > 0 for t in tokens.tokens])
    return tokens.subset(keep)


# ---------------------------------------------------------------------- models
# each returns (topic-term matrix K x V, vocabulary list)

def fit_gensim(texts, k, seed, passes):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    d = Dictionary(texts)
    bow = [d.doc2bow(t) for t in texts]
    m = LdaModel(bow, id2word=d, num_topics=k, passes=passes, random_state=seed)
    return m.get_topics(), [d[i] for i in range(len(d))]


def fit_sklearn(texts, k, seed):
    from gensim.corpora import Dictionary
    from scipy.sparse import csr_matrix
    from sklearn.decomposition import LatentDirichletAllocation

    d = Dictionary(texts)
    rows, cols, vals = [], [], []
    for i, t in enumerate(texts):
        for j, c in d.doc2bow(t):
            rows.append(i), cols.append(j), vals.append(c)
    x = csr_matrix((vals, (rows, cols)), shape=(len(texts), len(d)))
    m = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=50,
                                  random_state=seed, n_jobs=1).fit(x)
    comp = m.components_ / m.components_.sum(axis=1, keepdims=True)
    return comp, [d[i] for i in range(len(d))]


def fit_tomotopy(texts, k, seed):
    import tomotopy as tp

    m = tp.LDAModel(k=k, seed=seed)
    for t in texts:
        m.add_doc(t)
    m.train(1000, workers=1)
    vocab = list(m.used_vocabs)
    return np.array([m.get_topic_word_dist(i) for i in range(k)]), vocab


def fit_qhchina(texts, k, seed):
    import contextlib
    import io
    import logging

    from qhchina.analytics.topicmodels import LDAGibbsSampler

    logging.getLogger("qhchina").setLevel(logging.WARNING)

    m = LDAGibbsSampler(n_topics=k, iterations=500, random_state=seed)
    # qhchina prints its vocabulary size and a progress bar, and warns about short
    # documents: keep the benchmark output readable
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.fit(texts)
    vocab = [m.id_to_word[i] for i in range(m.vocabulary_size)]
    return np.asarray(m.phi), vocab


def fit_bri_text(tokens, k, seed, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        m = TopicModel(k, random_state=seed, **params).fit(tokens)
    return m.topic_term_, m.vocabulary_


def qhchina_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("qhchina") is not None


# ---------------------------------------------------------------------- run
def top_terms(mat, vocab, n):
    idx = st.top_indices(mat, n)
    return [[vocab[j] for j in row] for row in idx]


def run(ks, seeds, only=None, corpus="bri_policies", extra=None, resample=True):
    tokens = load_tokens(corpus)
    texts = [list(t) for t in tokens.tokens]
    n_tok = sum(map(len, texts))
    print(f"corpus: {len(texts)} paragraphs with tokens, {n_tok:,} tokens, "
          f"{len(set(w for t in texts for w in t)):,} distinct terms\n", flush=True)
    # every model is a function of (K, seed, Tokens, token lists): the resampling protocol
    # fits each on halves of the documents
    models = {
        "gensim LdaModel default (1 pass)": lambda k, s, tk, tx: fit_gensim(tx, k, s, 1),
        "gensim LdaModel 10 passes": lambda k, s, tk, tx: fit_gensim(tx, k, s, 10),
        "sklearn LDA batch 50 it": lambda k, s, tk, tx: fit_sklearn(tx, k, s),
        "tomotopy LDAModel default 1000 it": lambda k, s, tk, tx: fit_tomotopy(tx, k, s),
        "qhchina LDAGibbsSampler 500 it": lambda k, s, tk, tx: fit_qhchina(tx, k, s),
        "bri_text TopicModel default": lambda k, s, tk, tx: fit_bri_text(tk, k, s),
        # the 0.2 start: tomotopy's random start, symmetric eta (issue 31)
        "bri_text init='random' (info)": lambda k, s, tk, tx: fit_bri_text(
            tk, k, s, init="random"),
        # for reading rather than scoring: plan boilerplate removed (not a target row)
        "bri_text stopwords='policy' (info)": lambda k, s, tk, tx: fit_bri_text(
            tk, k, s, stopwords="policy"),
        # the setting benchmarks/TOPICS.md recommends for long reports (not a target row)
        "bri_text max_df=0.1 eta=0.1 (info)": lambda k, s, tk, tx: fit_bri_text(
            tk, k, s, max_df=0.1, eta=0.1),
    }
    if extra:   # --set: one more bri_text row with these parameters
        label = " ".join(f"{k}={v}" for k, v in extra.items())
        models[f"bri_text {label} (--set)"] = lambda k, s, tk, tx: fit_bri_text(tk, k, s,
                                                                               **extra)
    if only:
        models = {n: f for n, f in models.items()
                  if any(o.lower() in n.lower() for o in only)}
    if not qhchina_available():
        print("note: qhchina is not installed (pip install qhchina); its row is skipped\n")
        models.pop("qhchina LDAGibbsSampler 500 it", None)
    parents = tokens.docs["parent_id"].to_numpy()
    halves = {s: st.half_split(parents, s) for s in seeds} if resample else {}
    rows = []
    for k in ks:
        for name, fit in models.items():
            mats, vocabs = [], []
            for s in seeds:
                t0 = time.perf_counter()
                mat, vocab = fit(k, s, tokens, texts)
                secs = time.perf_counter() - t0
                tops = top_terms(mat, vocab, 10)
                rows.append({"k": k, "model": name, "seed": s, "fit_seconds": secs,
                             "npmi": float(np.mean(_coherence(tops, texts, "c_npmi", 10))),
                             "c_v": float(np.mean(_coherence(tops, texts, "c_v", 10))),
                             "diversity": st.diversity(top_terms(mat, vocab, 25))})
                if s in halves:   # issue 31: the same model on two halves of the documents
                    fits = [fit(k, s, tokens.subset(m), [texts[i] for i in np.flatnonzero(m)])
                            for m in (halves[s], ~halves[s])]
                    (a, b), _ = st.align_vocabularies([f[0] for f in fits],
                                                      [f[1] for f in fits])
                    r_, c_, sim, _ = st.match_topics(a, b)
                    rows[-1]["resample_stability"] = sim
                    # the halves' unmatched topic pairs: how alike any two of this model's
                    # topics are (flat topics are alike whatever the documents)
                    rows[-1]["resample_unmatched"] = st.stability([a, b])[2]
                    rows[-1]["term_overlap"] = st.term_overlap(a, b, r_, c_, 10)
                mats.append(mat)
                vocabs.append(vocab)
            aligned, _ = st.align_vocabularies(mats, vocabs)
            stab, _, chance = st.stability(aligned)
            for r in rows[-len(seeds):]:
                r["stability"] = stab
                r["stability_chance"] = chance
            last = pd.DataFrame(rows[-len(seeds):])
            res = (f"  resample {last.resample_stability.mean():.3f} "
                   f"(sd {last.resample_stability.std():.3f}; unmatched "
                   f"{last.resample_unmatched.mean():.3f}) overlap "
                   f"{last.term_overlap.mean():.2f}" if halves else "")
            print(f"K={k:<3} {name:<36} {last.fit_seconds.mean():6.2f} s  "
                  f"NPMI {last.npmi.mean():.3f}  c_v {last.c_v.mean():.3f}  "
                  f"div {last.diversity.mean():.2f}  stab {stab:.3f} (chance {chance:.3f})"
                  f"{res}", flush=True)
    return pd.DataFrame(rows)


def report(runs: pd.DataFrame) -> str:
    base = "tomotopy LDAModel default 1000 it"
    ours = "bri_text TopicModel default"
    if "resample_stability" not in runs.columns:
        runs = runs.assign(resample_stability=np.nan, term_overlap=np.nan,
                           resample_unmatched=np.nan)
    g = runs.groupby(["k", "model"], sort=False)
    table = g.agg(fit_seconds=("fit_seconds", "mean"), npmi=("npmi", "mean"),
                  npmi_sd=("npmi", "std"), c_v=("c_v", "mean"),
                  diversity=("diversity", "mean"), stability=("stability", "first"),
                  chance=("stability_chance", "first"),
                  res_mean=("resample_stability", "mean"),
                  resample_sd=("resample_stability", "std"),
                  unmatched=("resample_unmatched", "mean"),
                  overlap=("term_overlap", "mean"))
    lines = ["| K | model | fit s | time / tomotopy | NPMI (sd) | c_v | diversity | cross-seed "
             "stability (chance) | resampling stability (sd) [unmatched] | top-10 overlap |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for k in runs["k"].unique():
        tk = table.loc[k]
        # without the tomotopy row (--models without it) there is no time ratio
        t_base = tk.loc[base, "fit_seconds"] if base in tk.index else float("nan")
        for model, r in tk.iterrows():
            ratio = "n/a" if t_base != t_base else f"{r.fit_seconds / t_base:.2f}x"
            lines.append(f"| {k} | {model} | {r.fit_seconds:.2f} | {ratio}"
                         f" | {r.npmi:.3f} ({r.npmi_sd:.3f}) | {r.c_v:.3f} | "
                         f"{r.diversity:.2f} | {r.stability:.3f} ({r.chance:.3f}) | "
                         f"{r.res_mean:.3f} ({r.resample_sd:.3f}) [{r.unmatched:.3f}] | "
                         f"{r.overlap:.2f} |")
        if ours not in tk.index or base not in tk.index:
            continue
        others = tk.drop(index=[m for m in tk.index if m.startswith("bri_text")])
        best_other = others["npmi"].max()
        best_name = others["npmi"].idxmax()
        ratio = tk.loc[ours, "fit_seconds"] / t_base
        best_res, res_name = others["res_mean"].max(), others["res_mean"].idxmax()
        o = tk.loc[ours]
        # "higher" only when the difference exceeds the splits' standard error
        se = np.hypot(o.resample_sd, others.loc[res_name, "resample_sd"]) / np.sqrt(
            (runs["model"] == ours).sum() / runs["k"].nunique())
        verdict = ("MET" if o.res_mean - best_res > se else
                   "NOT MET (within one standard error)" if o.res_mean >= best_res - se
                   else "NOT MET")
        verdicts.append(
            f"K={k}: NPMI bri_text {o.npmi:.3f} vs best other "
            f"{best_other:.3f} ({best_name}) -> target highest: "
            f"{'MET' if o.npmi > best_other else 'NOT MET'}; "
            f"resampling stability {o.res_mean:.3f} vs best other {best_res:.3f} "
            f"({res_name}; standard error of the difference {se:.3f}) -> target highest: "
            f"{verdict}; margin over the halves' unmatched pairs {o.res_mean - o.unmatched:.3f}"
            f" vs best other {(others.res_mean - others.unmatched).max():.3f} "
            f"({(others.res_mean - others.unmatched).idxmax()}); "
            f"time {ratio:.2f}x tomotopy (target <= 1.5x): "
            f"{'MET' if ratio <= 1.5 else 'NOT MET'}")
    return "\n".join(lines) + "\n\n" + "\n".join(verdicts)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ks", type=int, nargs="+", default=[10, 20])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--models", nargs="+", default=None,
                   help="run only models whose name contains one of these words "
                        "(e.g. --models tomotopy qhchina bri_text); without tomotopy the table "
                        "has no time ratios and no verdicts")
    p.add_argument("--corpus", choices=sorted(CORPORA), default="bri_policies",
                   help="built-in dataset to fit on (default: the Belt and Road policies)")
    p.add_argument("--set", nargs="+", default=None, metavar="PARAM=VALUE",
                   help="add a bri_text row with these TopicModel parameters, e.g. "
                        "--set max_df=0.3 eta=0.1 (values read as JSON)")
    p.add_argument("--no-resample", action="store_true",
                   help="skip the half-split fits (resampling stability; doubles the time)")
    p.add_argument("--out", type=Path, default=None, help="write per-run figures as CSV")
    p.add_argument("--report", type=Path, default=None,
                   help="print the report of a CSV written by --out, without fitting")
    args = p.parse_args(argv)
    if args.report:
        print(report(pd.read_csv(args.report)))
        return 0
    extra = None
    if args.set:
        import json

        extra = {}
        for item in args.set:
            key, _, value = item.partition("=")
            try:
                extra[key] = json.loads(value)
            except json.JSONDecodeError:
                extra[key] = value
        if args.models:
            args.models.append("(--set)")
    runs = run(args.ks, args.seeds, args.models, args.corpus, extra,
               resample=not args.no_resample)
    if args.out:
        runs.to_csv(args.out, index=False)
    print()
    print(report(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
