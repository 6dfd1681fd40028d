"""Stock shares of topics: the weight share of stock words (lexicons/stopwords_policy.txt)
in each topic's top 10 terms, as ``TopicModel.stock_topics_`` reads it (flagged at 0.6),
with the stock words ``stopwords="policy"`` left out counted back from the units.

    python benchmarks/bench_stock_topics.py fixture   # seconds
    python benchmarks/bench_stock_topics.py plans     # ~30 s
    python benchmarks/bench_stock_topics.py reports   # ~2 minutes

fixture: the 30 digital-economy policies (tests/data/digital_economy_topics), K = 4,
200 sweeps, seeds 1-3, stopwords None and "policy"; plans: the 27 built-in plans, K = 10
(notebook 04's model, seeds 1-5) and K = 4, stopwords="policy"; reports: the work reports,
K = 10, 500 sweeps (notebook 07's), seeds 1-3 with stopwords="policy" and seed 1 without.
Results in benchmarks/TOPICS.md ("Stock topics under stopwords=\"policy\"").
"""
import sys
import time
import warnings

import bri_text as bt
from bri_text.topics._terms import _stock_shares, _stock_words

warnings.simplefilter("ignore")
STOCK = _stock_words()


def run(name, tokens, **kw):
    model = bt.TopicModel(**kw).fit(tokens)
    t0 = time.perf_counter()
    shares = _stock_shares(model._stock_top(), STOCK)
    seconds = time.perf_counter() - t0
    labels = model.label_topics()
    print(f"== {name} {kw}: stock_topics_ {model.stock_topics_} ({seconds:.2f} s)")
    for k, v in shares.items():
        print(f"   {k} {v:.3f} {labels[k]}")
    sys.stdout.flush()


def main(which: str) -> None:
    if which == "fixture":
        book = "tests/data/digital_economy_topics/policies.xlsx"
        tokens = bt.tokenize(bt.read_excel(book, text="正文"))
        for sw in (None, "policy"):
            for seed in (1, 2, 3):
                run("fixture", tokens, n_topics=4, random_state=seed, iterations=200,
                    stopwords=sw)
    elif which == "plans":
        tokens = bt.tokenize(bt.load_bri_policies())
        for seed in (1, 2, 3, 4, 5):
            run("plans", tokens, n_topics=10, random_state=seed, stopwords="policy")
        run("plans", tokens, n_topics=4, random_state=1, stopwords="policy")
    elif which == "reports":
        tokens = bt.tokenize(bt.load_work_reports())
        for seed in (1, 2, 3):
            run("reports", tokens, n_topics=10, random_state=seed, iterations=500,
                stopwords="policy")
        run("reports", tokens, n_topics=10, random_state=1, iterations=500)
    else:
        raise SystemExit("usage: bench_stock_topics.py fixture|plans|reports")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fixture")
