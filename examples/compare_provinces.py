"""Compare two provinces' Belt and Road plans: distinctive terms, the five connectivities,
geographic orientation. Writes the tables as CSV and the plots as PNG.

    python examples/compare_provinces.py [--a 广西] [--b 甘肃] [--out results/]
"""
from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import bri_text as bt  # noqa: E402
from bri_text import plot  # noqa: E402


def main(a: str, b: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    corpus = bt.load_bri_policies()
    tokenizer = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
    tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=tokenizer)
    matrix = bt.dtm(tokens)

    # intervals resample documents, then paragraphs (two-stage), when both provinces have
    # two plans or more; with one plan a side, only paragraphs within the plans can be
    # resampled, and the tables label the intervals "within-document"
    n_docs = corpus.docs[corpus.docs["region"].isin([a, b])].groupby("region").size()
    resample = "two-stage" if len(n_docs) == 2 and (n_docs >= 2).all() else "unit"
    print(f"documents: {n_docs.to_dict()}; intervals with resample={resample!r}\n")
    # the provinces' own names (广西, 全区 …) tell who wrote a plan, not what it says
    table = bt.keyness(matrix, target={"region": a}, reference={"region": b},
                       n_boot=200, random_state=1, resample=resample, exclude="own_names")
    table.to_csv(out / f"keyness_{a}_vs_{b}.csv", index=False, encoding="utf-8-sig")
    print(f"{a} vs {b}: 20 most distinctive terms of {a} (log-odds z, stability)")
    print(table.head(20)[["term", "score", "count_target", "count_reference", "stability"]]
          .to_string(index=False))
    print(f"\n... and of {b}")
    print(table.tail(20).iloc[::-1][["term", "score", "count_target", "count_reference",
                                     "stability"]].to_string(index=False))
    plot.keyness(table, labels=(a, b)).figure.savefig(out / f"keyness_{a}_vs_{b}.png", dpi=150)

    pair = tokens.subset(region=[a, b])
    five = bt.profile(pair, "five_connectivities", by="region", n_boot=500, random_state=1,
                      resample=resample)
    five.to_csv(out / "five_connectivities.csv", index=False, encoding="utf-8-sig")
    print("\nFive connectivities, mentions per 10,000 tokens (95% bootstrap interval):")
    print(five[["group", "category", "per_10k", "ci_low", "ci_high"]].round(1)
          .to_string(index=False))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        orient = bt.orientation(pair, by="region", n_boot=500, random_state=1,
                                resample=resample)
    orient.to_csv(out / "orientation.csv", index=False, encoding="utf-8-sig")
    print("\nGeographic orientation (leading world regions):")
    print(orient.groupby("group").head(3)[["group", "world_region", "count", "share", "ci_low",
                                           "ci_high"]].round(3).to_string(index=False))
    plot.orientation(orient).figure.savefig(out / "orientation.png", dpi=150)
    print(f"\nTables and figures written to {out}/")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", default="广西")
    parser.add_argument("--b", default="甘肃")
    parser.add_argument("--out", type=Path, default=Path("results"))
    args = parser.parse_args()
    main(args.a, args.b, args.out)
