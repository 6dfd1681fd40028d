"""Precision of the fragment flag (``bri_text.segment.fragments``, keyness's ``fragment_of``).

    PYTHONPATH=. python benchmarks/bench_fragments.py

For each corpus (the provincial fixture ``tests/data/orientation_regions``, the built-in
plans, the work reports) and each tokenizer (``bt.Tokenizer()`` as ``bt.tokenize`` uses it;
the report's general and policy stopwords), the single-character tokens flagged as pieces
of a longer string, with one context each. Whether a flag is right was judged by reading
the contexts (listed in ``JUDGED``: right when the character, in most of its occurrences,
is a piece of the string named, a word or name the tokenizer cuts: 磨憨, 浐灞, 雾霾, 做大做强,
国发 of 国发〔2017〕; wrong when the string is a phrase of two words, 来闽 "come to Fujian",
or a chance neighbour, 产量/大大). A flag not yet judged is printed as such.
"""
from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import bri_text as bt
from bri_text.segment import fragments

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "orientation_regions"

#: (corpus, character) -> (right?, why); judged from the contexts printed below
JUDGED = {
    ("fixture", "磨"): (True, "磨憨, a port on the border with Laos"),
    ("fixture", "憨"): (True, "磨憨"),
    ("plans", "国"): (True, "国发〔2017〕: the State Council's document code"),
    ("plans", "发"): (True, "国发〔2017〕"),
    ("plans", "闽"): (False, "来闽 = come to Fujian, a phrase; 闽 is Fujian"),
    ("plans", "做"): (True, "做大做强, a set phrase"),
    ("plans", "打"): (True, "打好 (三张特色牌)"),
    ("plans", "长"): (True, "渝长厦客专, a railway's name"),
    ("plans", "渝"): (True, "渝长厦客专"),
    ("plans", "郴"): (True, "桂永郴赣铁路, a railway's name"),
    ("plans", "浐"): (True, "浐灞, a district of Xi'an"),
    ("plans", "灞"): (True, "浐灞"),
    ("work reports", "打"): (True, "打好 (攻坚战)"),
    ("work reports", "霾"): (True, "雾霾"),
    ("work reports", "雾"): (True, "雾霾"),
    ("work reports", "量"): (False, "量大: 产量/大大, 力量/大为: chance neighbours"),
    ("work reports", "置"): (True, "股权分置"),
    ("work reports", "调"): (True, "调高"),
    ("work reports", "道"): (True, "人道主义"),
    ("work reports", "畜"): (True, "人畜饮水"),
    ("work reports", "算"): (True, "算起"),
    ("work reports", "纾"): (True, "纾困"),
    ("work reports", "设"): (False, "新设: 新/设/备 in 新设备; 设 is a piece of 设备"),
    ("work reports", "困"): (True, "纾困"),
    ("work reports", "建"): (True, "建好"),
    ("work reports", "掉"): (True, "打掉 (官气)"),
    ("work reports", "拨"): (True, "拨出 (资金)"),
    ("work reports", "挖"): (True, "乱采滥挖"),
    ("work reports", "官"): (True, "新官不理旧账"),
    ("work reports", "愁"): (True, "急难愁盼"),
    ("work reports", "挂"): (True, "挂起钩来"),
    ("work reports", "烦"): (True, "烦苛"),
    ("work reports", "盼"): (True, "急难愁盼"),
    ("work reports", "苛"): (True, "烦苛"),
    ("work reports", "选"): (True, "选好"),
    ("work reports", "滥"): (True, "乱采滥挖"),
    ("work reports", "濉"): (True, "濉河, a river"),
    ("work reports", "犁"): (True, "犁铲"),
    ("work reports", "赴"): (False, "赴台 = go to Taiwan, a phrase"),
    ("work reports", "钩"): (True, "挂起钩来"),
    ("work reports", "铲"): (True, "犁铲"),
}


def _corpora():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield "fixture", bt.read_folder(FIXTURE, pattern="*.txt",
                                        metadata=FIXTURE / "metadata.csv")
    yield "plans", bt.load_bri_policies()
    yield "work reports", bt.load_work_reports()


def main():
    tokenizers = {"Tokenizer()": bt.Tokenizer(),
                  "report's stopwords": bt.Tokenizer(stopwords=("general", "policy"))}
    rows = []
    for name, corpus in _corpora():
        units = corpus.reshape("paragraph")
        text = "\n".join(corpus.docs["text"])
        for label, tok in tokenizers.items():
            tokens = bt.tokenize(units, tokenizer=tok, cache=False, progress=False)
            t0 = time.perf_counter()
            found = fragments(tokens)
            took = time.perf_counter() - t0
            singles = sum(len(w) == 1 for toks in tokens.tokens for w in toks)
            right = wrong = unjudged = 0
            print(f"\n{name}, {label}: {len(found)} of {len({w for toks in tokens.tokens for w in toks if len(w) == 1})} "
                  f"single characters flagged ({singles:,} single-character tokens), "
                  f"{took * 1000:.0f} ms")
            for r in found.itertuples():
                judged = JUDGED.get((name, r.term))
                if judged is None:
                    unjudged += 1
                elif judged[0]:
                    right += 1
                else:
                    wrong += 1
                m = re.search(re.escape(r.fragment_of), text)
                ctx = text[max(0, m.start() - 6):m.end() + 6].replace("\n", " ") if m else ""
                mark = "?" if judged is None else ("right" if judged[0] else "WRONG")
                print(f"  {r.term} -> {r.fragment_of} ({r.n_in}/{r.count}, {r.n_docs} docs) "
                      f"{mark}: {ctx}")
            rows.append((name, label, len(found), right, wrong, unjudged))
    print("\n| corpus | tokenizer | flagged | right | wrong | not judged | precision |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, label, n, right, wrong, unjudged in rows:
        prec = f"{right / (right + wrong):.0%}" if right + wrong else "-"
        print(f"| {name} | {label} | {n} | {right} | {wrong} | {unjudged} | {prec} |")


if __name__ == "__main__":
    main()
