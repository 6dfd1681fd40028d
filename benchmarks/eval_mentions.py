"""How many mentions of core Belt and Road terms does counting see?

    python benchmarks/eval_mentions.py [--seeds ../shared/seeds]

A researcher who counts 一带一路 or 东盟 expects every time the text says it. Segmentation keeps
fixed names whole (中国—东盟博览会, 一带一路国际合作高峰论坛), and the 0.1.0 lexicon also held
compositional entries (一带一路建设, 一带一路沿线国家) that swallowed the core term. For each
core term this prints its occurrences in the text (a regular expression on the cleaned
text, the ground truth; 南亚 inside 东南亚 is not a mention of South Asia) and how many of them ``bri_text.frequencies`` counts:

- *0.1.0*: the lexicon of 0.1.0 (``git show 96e60ad:bri_text/lexicons/bri_lexicon.tsv``)
  and whole tokens only (``nested=False``), what 0.1.0 did;
- *now*: the current lexicon and ``nested=True`` (the default).

On the built-in corpus (27 documents) and on the held-out press seeds 000, 002, 004.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORE = ["一带一路", "丝绸之路", "丝绸之路经济带", "海上丝绸之路", "东盟", "中亚", "欧洲", "非洲",
        "中欧班列", "卢森堡", "东南亚", "南亚"]


def counted(texts, tokenizer, nested: bool) -> dict:
    import bri_text as bt

    f = bt.frequencies(bt.dtm(bt.tokenize(texts, tokenizer, cache=False)), nested=nested)
    return dict(zip(f["term"], f["count"]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"))
    a = ap.parse_args()
    import bri_text as bt
    from bri_text.cleaning import clean

    old = subprocess.run(["git", "show", "96e60ad:bri_text/lexicons/bri_lexicon.tsv"],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        old_path = Path(tmp) / "lexicon_0.1.0.tsv"
        old_path.write_text(old, encoding="utf-8")
        sets = {"built-in corpus (27 documents)": bt.load_bri_policies().texts}
        seeds = [p for prefix in ("000", "002", "004")
                 for p in sorted(Path(a.seeds).glob(f"{prefix}_*.txt"))[:1]]
        if seeds:
            sets["press seeds 000+002+004 (held out)"] = [
                clean(p.read_text(encoding="utf-8")) for p in seeds]
        for name, texts in sets.items():
            before = counted(texts, bt.Tokenizer(lexicon=old_path), nested=False)
            after = counted(texts, bt.Tokenizer(), nested=True)
            print(f"\n{name}\n{'term':14s} {'in text':>8s} {'0.1.0':>8s} {'now':>8s}")
            tot = [0, 0, 0]
            for term in CORE:
                pattern = re.compile("(?<!东)南亚" if term == "南亚" else re.escape(term))
                n = sum(len(pattern.findall(t)) for t in texts)
                row = (n, before.get(term, 0), after.get(term, 0))
                tot = [x + y for x, y in zip(tot, row)]
                print(f"{term:14s} {row[0]:8d} {row[1]:8d} {row[2]:8d}")
            print(f"{'all':14s} {tot[0]:8d} {tot[1]:8d} ({tot[1] / tot[0]:.1%}) "
                  f"{tot[2]:8d} ({tot[2] / tot[0]:.1%})")


if __name__ == "__main__":
    main()
