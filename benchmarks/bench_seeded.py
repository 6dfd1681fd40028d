"""Benchmark: do seeded topics hold their seeds? (the five connectivities on the 27 plans)

    python benchmarks/bench_seeded.py                        # the 0.2.1 priors
    python benchmarks/bench_seeded.py --other 1 --no-join    # the 0.2.0 priors
    python benchmarks/bench_seeded.py --other 0.1 --seeds 1 2 3 4

Fits ``TopicModel(8, iterations=300, seed_words="five_connectivities")`` on the built-in
corpus for each seed and prints, per seeded topic: the share of its frequent seed words
(>= 5 occurrences) whose most probable topic it is, how many of its seeds are among its 20
highest-FREX terms and its 10 most probable terms, and its share of the tokens.
``--other`` is the factor on ``eta`` for the words that are not seeds in seeded topics
(the library's value: ``bri_text.topics._priors._OTHER_WORDS_IN_SEEDED``); ``--no-join``
leaves seed phrases the tokenizer splits split. Results: benchmarks/TOPICS.md, "Seeded topics".
"""
from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bri_text as bt  # noqa: E402
import bri_text.topics._model as tmodel  # noqa: E402
import bri_text.topics._priors as tm  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--other", type=float, default=tm._OTHER_WORDS_IN_SEEDED)
    p.add_argument("--no-join", action="store_true")
    p.add_argument("--k", type=int, default=8)
    p.add_argument("--iterations", type=int, default=300)
    args = p.parse_args(argv)
    tm._OTHER_WORDS_IN_SEEDED = args.other
    if args.no_join:
        tmodel._join_seed_phrases = lambda texts, words: (texts, {})   # what fit calls
    tokens = bt.tokenize(bt.load_bri_policies())
    print(f"other words in seeded topics: eta x {args.other}; split seeds joined: "
          f"{not args.no_join}; K={args.k}, {args.iterations} sweeps")
    for seed in args.seeds:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            m = bt.TopicModel(args.k, random_state=seed, iterations=args.iterations,
                              seed_words="five_connectivities").fit(tokens)
        count = Counter(w for d in m._texts for w in d)
        index = {w: i for i, w in enumerate(m.vocabulary_)}
        frex, prob = m.topics(20, sort="frex"), m.topics(10)
        share = m.doc_topic_.T @ m.units_["n_tokens"].to_numpy() / m.units_["n_tokens"].sum()
        print(f"seed {seed}")
        for k, (name, words) in enumerate(m.provenance_["seed_words_used"].items()):
            frequent = [w for w in words if count[w] >= 5]
            own = np.mean([np.argmax(m.topic_term_[:, index[w]]) == k for w in frequent])
            n_frex = len(set(frex.loc[frex["topic"] == k, "term"]) & set(words))
            n_prob = len(set(prob.loc[prob["topic"] == k, "term"]) & set(words))
            n_tok = sum(count[w] for w in words)
            print(f"  {name}  seed tokens {n_tok:5d}  own {own:.2f}  in top-20 FREX {n_frex:2d}"
                  f"  in top-10 {n_prob:2d}  share of tokens {share[k]:.3f}")
        if seed == args.seeds[0]:
            print("  top-20 FREX of", m.seed_names_[0], ":",
                  " ".join(frex.loc[frex["topic"] == 0, "term"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
