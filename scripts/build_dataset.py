"""Build bri_text/data/bri_policies.jsonl from the compendium seed file.

    python scripts/build_dataset.py [path/to/001_1ad516d9e8aad59b.txt]

Only the compendium of public government documents goes into the package; the press
articles among the seeds stay test fixtures.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bri_text.io import decode_bytes, split_compendium

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = ROOT.parent / "shared" / "seeds" / "001_1ad516d9e8aad59b.txt"
OUT = ROOT / "bri_text" / "data" / "bri_policies.jsonl"


def main(argv: list[str]) -> int:
    seed = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEED
    text, _ = decode_bytes(seed.read_bytes(), str(seed))
    corpus = split_compendium(text, source_name=seed.name)
    fields = ["doc_id", "title", "date", "year", "source", "doc_number", "section", "region",
              "city", "level", "text"]
    tmp = OUT.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for row in corpus.docs[fields].to_dict("records"):
            row = {k: (None if v != v else v) for k, v in row.items()}  # NaN -> null
            row["year"] = int(row["year"]) if row["year"] is not None else None
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(OUT)
    filled = corpus.docs[fields].notna().sum()
    print(f"wrote {len(corpus)} documents to {OUT.relative_to(ROOT)}")
    print("documents with each field filled:")
    print(filled.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
