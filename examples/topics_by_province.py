"""Fit a reproducible topic model on the built-in corpus and report prevalence by province
and trends by year; saves the model with its provenance.

    python examples/topics_by_province.py [--k 10] [--seed 1] [--out results/]
"""
from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import bri_text as bt  # noqa: E402
from bri_text import plot  # noqa: E402


def main(k: int, seed: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    corpus = bt.load_bri_policies()
    tokens = bt.tokenize(corpus, tokenizer=bt.Tokenizer(stopwords=("general", "policy"),
                                                        min_length=2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # units without vocabulary are counted on the model
        model = bt.TopicModel(k, random_state=seed).fit(tokens)
    print(f"{k} topics (tomotopy LDA on {len(model.doc_topics())} paragraphs, seed {seed}); "
          f"{len(model.dropped_units_)} empty paragraphs left out")
    print(model.topics(top_n=8).pivot(index="topic", columns="rank", values="term")
          .to_string())
    print(f"NPMI coherence {model.coherence('c_npmi'):.3f}, diversity {model.diversity():.2f}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # national documents have no region: left out
        # most provinces have one plan: resample its paragraphs (within-document intervals)
        prev = model.prevalence(by="region", n_boot=500, random_state=seed, resample="unit")
    prev.to_csv(out / "topic_prevalence_by_region.csv", index=False, encoding="utf-8-sig")
    lead = prev.sort_values("share", ascending=False).groupby("group").head(1)
    print("\nEach province's leading topic (share of its tokens, 95% interval):")
    print(lead[["group", "topic", "label", "share", "ci_low", "ci_high"]].round(3)
          .to_string(index=False))
    plot.topic_prevalence(prev).figure.savefig(out / "topic_prevalence.png", dpi=150)

    trends = model.trends(by="year", n_boot=500, random_state=seed)
    trends.to_csv(out / "topic_trends.csv", index=False, encoding="utf-8-sig")
    plot.topic_trends(trends).figure.savefig(out / "topic_trends.png", dpi=150)

    folder = model.save(out / f"lda_k{k}_seed{seed}", overwrite=True)
    (out / "provenance.json").write_text(json.dumps(model.provenance_, ensure_ascii=False,
                                                    indent=1, default=str), encoding="utf-8")
    print(f"\nModel saved to {folder}; tables, figures and provenance in {out}/")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("results"))
    args = parser.parse_args()
    main(args.k, args.seed, args.out)
