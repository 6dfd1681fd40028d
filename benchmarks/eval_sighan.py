"""Score bri_text's segmentation on the SIGHAN 2005 PKU gold set (both engines, with and
without the Belt and Road lexicon), plus bare ``jieba.lcut`` as the reference point; then
measure on held-out press articles how often domain terms come out whole.

    python benchmarks/eval_sighan.py [--eval-dir ../shared/eval] [--seeds ../shared/seeds]

Held-out whole-term rate: the seed articles 000, 002, 004 (and 003, on which the lexicon-
coverage test places terms, so shown apart) are cleaned with ``bri_text.clean`` (HTML, site
chrome, traditional -> simplified); every occurrence of a lexicon term (leftmost-longest,
after variant folding) counts as whole when one token spans exactly its characters.

The gold data are read in place (never copied into the repository); predictions are written
to a temporary folder and scored with ``../shared/eval/score.py``. The issue's target: the
domain lexicon must not lower F1 by more than 0.002 (jieba's default scores 0.818).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def read_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [line.rstrip("\r\n") for line in fh]


def score(score_py: Path, gold: Path, words: Path, pred_lines: list[str], tmp: Path,
          name: str) -> dict:
    pred = tmp / f"{name}.txt"
    pred.write_text("\n".join(pred_lines) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(score_py), str(gold), str(pred), "--words",
                          str(words)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"precision ([\d.]+)\s+recall ([\d.]+)\s+F1 ([\d.]+)", out)
    o = re.search(r"OOV recall ([\d.]+)\s+IV recall ([\d.]+)", out)
    return {"P": float(m[1]), "R": float(m[2]), "F1": float(m[3]), "OOV_R": float(o[1]),
            "IV_R": float(o[2])}


def segment_lines(tok, lines: list[str]) -> list[str]:
    return [" ".join(w for w, _, _ in tok.segment(line) if not w.isspace()) for line in lines]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=str(REPO.parent / "shared" / "eval"))
    ap.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"))
    a = ap.parse_args(argv)
    ev = Path(a.eval_dir)
    test, gold = ev / "sighan2005" / "pku_test.utf8", ev / "sighan2005" / "pku_test_gold.utf8"
    words, score_py = ev / "sighan2005" / "pku_training_words.utf8", ev / "score.py"
    for p in (test, gold, words, score_py):
        if not p.exists():
            sys.exit(f"missing {p}; pass --eval-dir pointing at shared/eval")
    lines = read_lines(test)

    import jieba

    from bri_text.segment import Tokenizer

    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        ref = jieba.Tokenizer()
        ref.initialize()
        t0 = time.perf_counter()
        pred = [" ".join(w for w in ref.lcut(line) if not w.isspace()) for line in lines]
        rows.append(("bare jieba.lcut (reference)", score(score_py, gold, words, pred, tmp,
                                                          "ref"), time.perf_counter() - t0))
        for engine in ("rjieba", "jieba"):
            for lexicon in (False, True):
                tok = Tokenizer(engine=engine, lexicon=lexicon)
                tok.segment("")  # build the engine outside the timing
                t0 = time.perf_counter()
                pred = segment_lines(tok, lines)
                name = f"{engine}, lexicon={'on' if lexicon else 'off'}"
                rows.append((name, score(score_py, gold, words, pred, tmp,
                                         name.replace(", ", "_").replace("=", "")),
                             time.perf_counter() - t0))
    print(f"SIGHAN 2005 PKU test set, {len(lines)} sentences (HMM on, variant folding on)\n")
    print(f"{'configuration':34s} {'P':>7s} {'R':>7s} {'F1':>7s} {'OOV-R':>7s} {'IV-R':>7s}"
          f" {'sec':>6s}")
    for name, s, sec in rows:
        print(f"{name:34s} {s['P']:7.4f} {s['R']:7.4f} {s['F1']:7.4f} {s['OOV_R']:7.4f} "
              f"{s['IV_R']:7.4f} {sec:6.2f}")
    f1 = {name: s["F1"] for name, s, _ in rows}
    print("\ntarget: lexicon lowers F1 by at most 0.002")
    for engine in ("rjieba", "jieba"):
        d = f1[f"{engine}, lexicon=on"] - f1[f"{engine}, lexicon=off"]
        print(f"  {engine:7s} F1 change with lexicon {d:+.4f}  "
              f"{'OK' if d >= -0.002 else 'MISSED'}")
    if Path(a.seeds).is_dir():
        heldout(Path(a.seeds))


def heldout(seeds: Path) -> None:
    import re

    from bri_text._lexicons import load_lexicon
    from bri_text.cleaning import clean
    from bri_text.segment import Tokenizer, fold_variants
    from bri_text._util import trie_regex

    terms = {fold_variants(t) for t in load_lexicon()["term"]}
    finder = re.compile(trie_regex(terms))
    print("\nheld-out articles: lexicon terms that come out as one token")
    print(f"{'article':28s} {'terms':>6s} " + " ".join(f"{e + ' ' + l:>16s}" for e in
                                                       ("rjieba", "jieba") for l in
                                                       ("without", "with")))
    total = {}
    for prefix in ("000", "002", "004", "003"):
        paths = sorted(seeds.glob(f"{prefix}_*.txt"))
        if not paths:
            continue
        text = clean(paths[0].read_text(encoding="utf-8"))
        view = fold_variants(text)
        occ = [m.span() for m in finder.finditer(view)]
        cells = []
        for engine in ("rjieba", "jieba"):
            for lexicon in (False, True):
                spans = {(s, e) for _, s, e in Tokenizer(engine=engine, lexicon=lexicon)
                         .segment(text)}
                whole = sum(o in spans for o in occ)
                key = (prefix == "003", engine, lexicon)
                n0, w0 = total.get(key, (0, 0))
                total[key] = (n0 + len(occ), w0 + whole)
                cells.append(f"{whole / max(len(occ), 1):16.1%}")
        label = paths[0].stem[:3] + (" (used in coverage test)" if prefix == "003" else "")
        print(f"{label:28s} {len(occ):6d} " + " ".join(cells))
    cells = []
    for engine in ("rjieba", "jieba"):
        for lexicon in (False, True):
            n, w = total[(False, engine, lexicon)]
            cells.append(f"{w / n:16.1%}")
    n = total[(False, "rjieba", False)][0]
    print(f"{'000+002+004 (held out)':28s} {n:6d} " + " ".join(cells))


if __name__ == "__main__":
    main()
