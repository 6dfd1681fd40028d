"""Build bri_text/data/bri_policies.jsonl from the raw compendium.

    python scripts/build_dataset.py [path/to/compendium.txt[.gz]]

By default it reads the raw compendium kept in the repository as test data,
``tests/data/compendium_001.txt.gz`` (a gzip of the seed ``001_1ad516d9e8aad59b.txt``), so
it runs from a clean clone; the test suite checks that the result is byte-identical to the
shipped file. Only the compendium of public government documents goes into the package;
the press articles among the seeds stay test fixtures.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from bri_text.io import decode_bytes, split_compendium

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = ROOT / "tests" / "data" / "compendium_001.txt.gz"
OUT = ROOT / "bri_text" / "data" / "bri_policies.jsonl"
FIELDS = ["doc_id", "title", "date", "year", "source", "doc_number", "section", "region",
          "city", "level", "text"]


def read_compendium(seed: Path) -> str:
    """The compendium's text (``.gz`` files are decompressed)."""
    data = seed.read_bytes()
    if seed.suffix == ".gz":
        data = gzip.decompress(data)
    text, _ = decode_bytes(data, str(seed))
    return text


def to_jsonl(corpus) -> str:
    """The dataset file's content: one JSON object per document, fields in FIELDS order."""
    lines = []
    for row in corpus.docs[FIELDS].to_dict("records"):
        row = {k: (None if v != v else v) for k, v in row.items()}  # NaN -> null
        row["year"] = int(row["year"]) if row["year"] is not None else None
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines)


def main(argv: list[str]) -> int:
    seed = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEED
    corpus = split_compendium(read_compendium(seed), source_name=seed.name)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(to_jsonl(corpus), encoding="utf-8", newline="\n")
    tmp.replace(OUT)
    filled = corpus.docs[FIELDS].notna().sum()
    print(f"wrote {len(corpus)} documents to {OUT.relative_to(ROOT)}")
    print("documents with each field filled:")
    print(filled.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
