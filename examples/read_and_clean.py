"""Read a folder of messy documents, clean them and audit what cleaning removed.

    python examples/read_and_clean.py [FOLDER]

FOLDER defaults to the project's seed documents (../shared/seeds) when present; otherwise
the built-in corpus is used. Prints, per document, the encoding detected, the metadata
found (YAML front matter, titles) and how many characters and lines each cleaning step
removed, then splits the policy compendium into its documents.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import bri_text as bt
from bri_text.io import split_compendium

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def main(folder: Path) -> None:
    corpus = bt.read_folder(folder, pattern="*.txt", errors="skip")
    print(corpus, "\n")
    cols = [c for c in ("doc_id", "encoding", "title", "date") if c in corpus.docs.columns]
    print(corpus.docs[cols].fillna("").to_string(index=False), "\n")

    report = corpus.cleaning_report
    removed = report.pivot_table(index="doc_id", columns="step", values="chars_removed",
                                 aggfunc="sum").fillna(0).astype(int)
    print("Characters removed by each cleaning step:")
    print(removed.to_string(), "\n")
    if len(corpus.dropped):
        print("Skipped:", corpus.dropped.to_string(index=False), "\n")

    compendium = sorted(folder.glob("001_*.txt"))
    if compendium:
        docs = split_compendium(compendium[0].read_text(encoding="utf-8")).docs
        print(f"The compendium splits into {len(docs)} documents:")
        print(docs[["doc_id", "date", "region", "level", "title"]].fillna("")
              .to_string(index=False, max_colwidth=40))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS
    if not target.is_dir():
        print(f"{target} not found; showing the built-in corpus instead")
        print(bt.load_bri_policies().metadata.to_string(index=False, max_colwidth=40))
    else:
        with pd.option_context("display.width", 200):
            main(target)
