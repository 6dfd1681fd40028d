"""Build the word vectors shipped in bri_text/data/word_vectors.npz (used by ClauseClassifier).

    python scripts/build_word_vectors.py

Trained on the package's own text only: every clause (``reshape("clause")``) of the
built-in BRI documents and of the 52 government work reports 1954-2025, segmented with
``bt.Tokenizer()`` (about 0.7 million words). gensim's skip-gram Word2Vec, 64 dimensions,
window 5, words seen at least 5 times, 20 epochs; one worker thread, ``seed=0`` and
``PYTHONHASHSEED=0`` (gensim seeds each word's start vector with Python's string hash), so
that the same gensim version rebuilds the same file. Stored as float16 with each word's
count; the file records the parameters and the versions that built it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bri_text" / "data" / "word_vectors.npz"
PARAMS = {"vector_size": 64, "window": 5, "min_count": 5, "epochs": 20, "sg": 1,
          "workers": 1, "seed": 0}


def main() -> None:
    import numpy as np
    from gensim.models import Word2Vec

    sys.path.insert(0, str(ROOT))
    import bri_text as bt
    from bri_text._util import versions

    units = (bt.load_bri_policies().reshape("clause").docs["text"].tolist()
             + bt.load_work_reports().reshape("clause").docs["text"].tolist())
    tok = bt.Tokenizer()
    sentences = [[w for w, *_ in tok.segment(u)] for u in units]
    model = Word2Vec(sentences, **PARAMS)
    wv = model.wv
    words = np.array(wv.index_to_key)
    counts = np.array([wv.get_vecattr(w, "count") for w in words], dtype=np.int64)
    meta = {"params": PARAMS, "units": len(units), "words": int(sum(map(len, sentences))),
            "versions": {k: v for k, v in versions().items()
                         if k in ("bri_text", "gensim", "jieba", "rjieba", "numpy", "python")}}
    np.savez_compressed(OUT, words=words, vectors=wv.vectors.astype(np.float16),
                        counts=counts, meta=np.array(json.dumps(meta, ensure_ascii=False)))
    print(f"{len(words)} words x {wv.vector_size} -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        raise SystemExit(subprocess.call([sys.executable, *sys.argv], env=env))
    main()
