"""Entries of the built-in dictionaries inside longer tokens: which words hold them, how
many of those are mentions, and how three counting rules compare (audit s40 compare40,
finding 9).

    python benchmarks/bench_dictionary_words.py          # ~30 s; tables for DICTIONARY_WORDS.md
    python benchmarks/bench_dictionary_words.py --list   # every (entry, word) pair, to judge
    python benchmarks/bench_dictionary_words.py --sample # the session-41 sample to judge

For the five-connectivities dictionary, the sectors dictionary and the gazetteer (world
regions), on the 27 Belt and Road plans and the 52 government work reports (default
tokenizer, paragraphs, as the report and the notebooks count), it collects

- the matches of the rule of the current code (``attrs["in_words"]`` lists the rest);
- every token that holds an entry and is no match, with the entry's place in it: the
  token begins with it (保险业), ends with it (国际贸易) or holds it in the middle;
- the character matches that cross a word boundary and that the split rule of
  ``bri_text/segment/_mentions.py`` does not count (美国 in 完美/国家).

Judgements (``benchmarks/data/dictionary_words_judged.tsv``, by hand): for each (entry,
word) pair with 5 or more occurrences in the two corpora (five connectivities), 15 or more
(sectors), and every pair of the gazetteer, whether counting the word once under the
entry's category is right (T) or not (F), and for a sample of 30 boundary-crossing
character matches per dictionary (seed 0) the same. Rules compared on the judged
occurrences (precision and recall of what each rule adds to the current count; the current
matches are taken as correct):

- ``current``: whole tokens (and split mentions, and entries inside lexicon terms:
  :func:`before_session_40`) only;
- ``a``: the dictionary lists the frequent true compounds: the judged-true words with 5 or
  more occurrences in one corpus, tested on the other corpus (and in-sample);
- ``b``: a token that begins or ends with an entry counts for it (head or modifier),
  unless the token is on the exclusion list (the judged-false begin/end words; tested
  across corpora too) or is a negation joined to the entry (非金融);
- ``b0``: the same without an exclusion list;
- ``c``: character matching: every occurrence in the text;
- ``d``: anywhere in the word (start, end or middle), the exceptions read inside longer
  words, joined negations left out (``d0``: no exceptions; session 41);
- ``implemented``: ``compounds="ends"`` and ``compounds="inside"`` as counted by the library.

Session 41 judged, besides, every pair with the entry in the middle of the word and a
random sample of 40 begin and 40 end pairs per dictionary below the thresholds
(``--sample``); the weighted tables let each sampled pair stand for its stratum
(:func:`weights`).
"""
from __future__ import annotations

import collections
import csv
import random
import re
import sys
import warnings
from pathlib import Path

warnings.simplefilter("ignore")

import bri_text as bt  # noqa: E402
from bri_text._util import trie_regex  # noqa: E402
from bri_text.segment import fold_variants  # noqa: E402
from bri_text.segment._mentions import _Boundaries  # noqa: E402
from bri_text.segment._text import _NEGATIONS  # noqa: E402

LONG_NEGATIONS = tuple(n for n in _NEGATIONS if len(n) > 1)

HERE = Path(__file__).parent
JUDGED = HERE / "data" / "dictionary_words_judged.tsv"
DICTS = ("five_connectivities", "sectors", "gazetteer")
CORPORA = {"plans": bt.load_bri_policies, "reports": bt.load_work_reports}
MIN_JUDGED = {"five_connectivities": 5, "sectors": 15, "gazetteer": 1}
MIN_LISTED = 5          # rule a: a compound is listed from 5 occurrences in one corpus
N_SAMPLE = 40           # pairs below MIN_JUDGED judged per (dictionary, begin/end) stratum


def entries(name: str) -> list[str]:
    from bri_text._lexicons import load_dictionary, load_gazetteer

    if name == "gazetteer":
        return load_gazetteer()["term"].tolist()
    return [t for terms in load_dictionary(name).values() for t in terms]


def category_of(name: str) -> dict:
    """{entry: its category} (world region for the gazetteer)."""
    from bri_text._lexicons import load_dictionary, load_gazetteer

    if name == "gazetteer":
        gaz = load_gazetteer()
        return dict(zip(gaz["term"], gaz["world_region"].fillna("(none)")))
    return {t: c for c, terms in load_dictionary(name).items() for t in terms}


def position(entry: str, word: str) -> str:
    return "begin" if word.startswith(entry) else "end" if word.endswith(entry) else "middle"


def negated(entry: str, word: str) -> bool:
    """A negation the tokenizer joined to the entry (非金融, 不平衡): no mention."""
    return any(word == n + entry for n in _NEGATIONS)


def before_session_40(tok, d):
    """The rule before session 40: whole tokens, mentions the tokenizer split and entries
    inside lexicon terms (东盟 in 中国—东盟博览会; a dictionary of one's own counts so by
    default). ``compounds=False`` counted so until session 42; since then it counts whole
    tokens only, so the baseline of this benchmark is counted here, with the library's own
    matcher (``_count_matrix`` without compounds)."""
    from bri_text.compare._dictionary import (_count_matrix, _orientation_lexicon,
                                              _profile_lexicon)

    if d == "gazetteer":
        _, index, cats, areas, _ = _orientation_lexicon("world_region", None)
        n = len(areas)                     # not the column of places without a region
    else:
        index, cats, _ = _profile_lexicon(d)
        n = len(cats)
    in_words: dict = {}
    _, counts, _, _ = _count_matrix(tok, index, len(cats), in_words, None)
    in_words.pop("", None)
    return int(counts[:, :n].sum()), in_words


def collect():
    """{(dictionary, corpus): {"current": n, "in_words": {(entry, word): n},
    "across": [(entry, context)], "n_tokens": n}}."""
    out = {}
    for cname, load in CORPORA.items():
        tok = bt.tokenize(load().reshape("paragraph"))
        texts = tok.docs["text"].tolist()
        for d in DICTS:
            count = bt.orientation if d == "gazetteer" else (
                lambda t, compounds, d=d: bt.profile(t, d, compounds=compounds))
            current, before = before_session_40(tok, d)    # the rule before session 40
            new = count(tok, compounds=True)               # the default
            added = {}
            for mode in ("ends", "inside"):                # session 40's rule, session 41's
                got = new if new.attrs["compounds"] == mode else count(tok, compounds=mode)
                added[mode] = collections.Counter()
                for e, words in got.attrs["in_compounds"].items():
                    for w, n in words.items():
                        added[mode][(e, w)] += n
                if mode == "inside":
                    inside = got
                else:
                    ends = got
            iw = collections.Counter()
            for e, words in before.items():
                for w, n in words.items():
                    iw[(e, w)] += n
            pattern = re.compile(trie_regex(entries(d)))
            across = []
            for text, spans in zip(texts, tok.spans):
                folded = fold_variants(text)
                bounds = None
                for m in pattern.finditer(folded):
                    s, e = m.span()
                    bounds = bounds or _Boundaries(spans, folded)
                    if bounds.covered(s, e):           # inside one token (or one token)
                        continue
                    if bounds.is_edge(s) and bounds.is_edge(e):
                        continue                       # whole tokens: counted already
                    if bounds.counts(s, e):
                        continue                       # a split mention: counted already
                    across.append((m.group(), folded[max(0, s - 6):e + 6]))
            out[(d, cname)] = {"current": current, "in_words": iw,
                               "across": across, "new": int(new["count"].sum()),
                               "added_ends": added["ends"], "added_inside": added["inside"],
                               "mid_word": inside.attrs["mid_word"],
                               "left": inside.attrs["in_words"],
                               "default": new.attrs["compounds"],
                               "by_cat_ends": ends.groupby(ends.columns[1])["count"].sum()
                               .to_dict()}
    return out


def load_judged() -> dict:
    """{(dictionary, entry, word or context): "T"/"F"}."""
    judged = {}
    with open(JUDGED, encoding="utf-8") as f:
        for row in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t",
                                  quoting=csv.QUOTE_NONE):
            judged[(row["dictionary"], row["entry"], row["word"])] = row["verdict"]
    return judged


def below_pairs(data, d) -> dict:
    """{(entry, word): occurrences in both corpora} of the pairs below ``MIN_JUDGED``."""
    pairs = collections.Counter()
    for c in CORPORA:
        pairs.update(data[(d, c)]["in_words"])
    return {k: n for k, n in pairs.items() if n < MIN_JUDGED[d]}


def strata(data, d) -> dict:
    """{position: [(entry, word)]} of the pairs below ``MIN_JUDGED``, sorted."""
    out = collections.defaultdict(list)
    for k in sorted(below_pairs(data, d)):
        out[position(*k)].append(k)
    return out


def stratum_sample(data, d, pos, k=N_SAMPLE, seed=0) -> list:
    """The judged sample of a stratum below the thresholds (session 41): ``k`` begin or
    end pairs drawn at random (seed 0), every middle pair."""
    pool = strata(data, d)[pos]
    if pos == "middle" or len(pool) <= k:
        return pool
    return random.Random(seed).sample(pool, k)


def across_sample(data, d, k=30, seed=0):
    pool = [(c, e, ctx) for c in CORPORA for e, ctx in data[(d, c)]["across"]]
    return random.Random(seed).sample(pool, min(k, len(pool)))


def pr(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return p, r


def weights(data, d, judged) -> dict:
    """{(entry, word): weight} of the judged pairs: 1 for the pairs at or above the judging
    threshold (all judged) and the middle pairs (all judged), N / n for a pair of a
    begin/end stratum below it (N pairs, n of them sampled and judged), so that weighted
    occurrences estimate every occurrence in words (Horvitz-Thompson over pairs)."""
    below = below_pairs(data, d)
    out = {}
    for pos, pool in strata(data, d).items():
        sample = [k for k in stratum_sample(data, d, pos) if (d, *k) in judged]
        for k in sample:
            out[k] = len(pool) / len(sample)
    pairs = set()
    for c in CORPORA:
        pairs.update(data[(d, c)]["in_words"])
    for k in pairs:
        if k not in below and (d, *k) in judged:
            out[k] = 1.0
    return out


def exceptions_s40() -> set:
    """The (word, entry) pairs of ``compound_exceptions.tsv`` made in session 40 (before
    the sample below the thresholds and the middle pairs were judged): an out-of-sample
    list for those pairs."""
    path = HERE.parent / "bri_text" / "lexicons" / "compound_exceptions.tsv"
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("# session 41"):
            break
        if line and not line.startswith(("#", "word\t")):
            word, entry = line.split("\t")[:2]
            out.add((word, entry))
    return out


def guarded(k, words) -> bool:
    """Whether the entry of pair ``k`` sits in one of the exception ``words`` (word, entry)
    inside its word, as ``_Compounds`` reads the exception list (社会保险 in 社会保险费)."""
    entry, word = k
    return any(e == entry and w in word for w, e in words)


def evaluate(data, judged, weighted=False, below=False):
    """Rows: dictionary, corpus, rule, judged occurrences, TP, FP, FN, precision and recall
    of the added matches, overall precision and recall (current matches taken as right).
    ``weighted``: the sampled pairs below the thresholds stand for their strata
    (:func:`weights`); otherwise every judged pair counts once per occurrence. ``below``:
    only the pairs below the thresholds (what session 40 left unjudged)."""
    rows = []
    for d in DICTS:
        wt = weights(data, d, judged)
        for cname in CORPORA:
            other = [c for c in CORPORA if c != cname][0]
            cur = data[(d, cname)]
            iw = cur["in_words"]
            if below:
                low = below_pairs(data, d)
                iw = {k: n for k, n in iw.items() if k in low}
            verdict = {k: judged.get((d, *k)) if k in wt else None for k in iw}
            w = {k: (wt[k] if weighted else 1.0) for k in iw if verdict[k]}
            # rule a: listed compounds (learned on the other corpus, and in-sample)
            def listed(corpus):
                return {k for k, n in data[(d, corpus)]["in_words"].items()
                        if n >= MIN_LISTED and judged.get((d, *k)) == "T"}
            # rules b, d: exceptions = judged-false words (begin/end ones for b)
            def excluded(corpora, middle=False):
                return {k for c in corpora for k in data[(d, c)]["in_words"]
                        if judged.get((d, *k)) == "F" and (middle or position(*k) != "middle")}
            def ok(k):
                return not negated(*k) and not k[1].startswith(LONG_NEGATIONS)
            x_other, x_in = excluded([other], True), excluded([cname, other], True)
            s40 = exceptions_s40()
            rules = {
                "current": lambda k: False,
                "a (listed from the other corpus)": (lambda s: lambda k: k in s)(listed(other)),
                "a (listed in-sample)": (lambda s: lambda k: k in s)(listed(cname)),
                "b0 (begin/end, no exclusions)":
                    lambda k: position(*k) != "middle" and not negated(*k),
                "b (begin/end, exclusions from the other corpus)":
                    (lambda x: lambda k: position(*k) != "middle" and not negated(*k)
                     and k not in x)(excluded([other])),
                "b (begin/end, exclusions in-sample)":
                    (lambda x: lambda k: position(*k) != "middle" and not negated(*k)
                     and k not in x)(excluded([cname, other])),
                "b (begin/end, session 40's exception list)":
                    lambda k: position(*k) != "middle" and not negated(*k)
                    and (k[1], k[0]) not in s40,
                "d0 (anywhere in the word, no exclusions)": ok,
                "d (anywhere, session 40's exception list inside words)":
                    lambda k: ok(k) and not guarded(k, s40),
                "d (anywhere, exclusions from the other corpus)":
                    lambda k: ok(k) and not guarded(k, [(x[1], x[0]) for x in x_other]),
                "d (anywhere, exclusions in-sample)":
                    lambda k: ok(k) and not guarded(k, [(x[1], x[0]) for x in x_in]),
                "c (characters)": lambda k: True,
                "implemented: compounds='ends'": (lambda a: lambda k: k in a)(cur["added_ends"]),
                "implemented: compounds='inside'":
                    (lambda a: lambda k: k in a)(cur["added_inside"]),
            }
            n_judged = sum(n for k, n in iw.items() if verdict[k])
            n_all = sum(iw.values())
            true_in = sum(n * w[k] for k, n in iw.items() if verdict[k] == "T")
            js = [judged.get((d, e, ctx)) for _, e, ctx in across_sample(data, d)]
            n_j = sum(v in ("T", "F") for v in js)
            share = sum(v == "T" for v in js) / n_j if n_j else 0.0
            n_across = len(cur["across"])
            true_across = round(n_across * share)
            for rname, rule in rules.items():
                tp = sum(n * w[k] for k, n in iw.items() if verdict[k] == "T" and rule(k))
                fp = sum(n * w[k] for k, n in iw.items() if verdict[k] == "F" and rule(k))
                if rname.startswith("implemented"):   # per occurrence, as counted
                    added = cur["added_" + rname.split("'")[1]]
                    tp = sum(min(n, iw[k]) * w[k] for k, n in added.items()
                             if k in iw and verdict.get(k) == "T")
                    fp = sum(min(n, iw[k]) * w[k] for k, n in added.items()
                             if k in iw and verdict.get(k) == "F")
                fn = true_in - tp
                if rname.startswith("c ("):   # plus the boundary-crossing matches
                    tp, fp = tp + true_across, fp + n_across - true_across
                else:
                    fn += true_across
                p, r = pr(tp, fp, fn)
                rows.append({"dictionary": d, "corpus": cname, "rule": rname,
                             "current": cur["current"], "in_words": n_all,
                             "judged": n_judged, "true_in": true_in, "TP": tp, "FP": fp, "FN": fn,
                             "P_added": p, "R_added": r,
                             "P": (cur["current"] + tp) / (cur["current"] + tp + fp),
                             "R": (cur["current"] + tp) / (cur["current"] + true_in
                                                           + true_across)})
    return rows


def list_pairs(data):
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["dictionary", "entry", "word", "position", *CORPORA])
    for d in DICTS:
        pairs = collections.Counter()
        for c in CORPORA:
            pairs.update(data[(d, c)]["in_words"])
        for k, _ in pairs.most_common():
            w.writerow([d, *k, position(*k), *(data[(d, c)]["in_words"][k] for c in CORPORA)])
    for d in DICTS:
        for c, e, ctx in across_sample(data, d):
            w.writerow([d, e, ctx, "across", c, ""])


def list_sample(data):
    """The pairs of the stratified sample below the thresholds, to judge."""
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["dictionary", "entry", "word", "position", *CORPORA])
    for d in DICTS:
        for pos in ("begin", "end", "middle"):
            for k in stratum_sample(data, d, pos):
                w.writerow([d, *k, pos, *(data[(d, c)]["in_words"][k] for c in CORPORA)])


def main():
    data = collect()
    if "--list" in sys.argv:
        list_pairs(data)
        return
    if "--sample" in sys.argv:
        list_sample(data)
        return
    judged = load_judged()
    print("Mid-word entries by category: occurrences of an entry in the middle of a longer "
          "word (neither its first nor its last characters; in_words under "
          "compounds='ends'), judged true / false (every middle pair is judged), and those "
          "compounds='inside' counts.")
    print()
    print("| dictionary | corpus | category | matches ('ends') | in the middle | true | "
          "false | false left by session 40's list | counted ('inside') | of them false |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    s40 = exceptions_s40()
    for d in DICTS:
        cat = category_of(d)
        for c in CORPORA:
            cur = data[(d, c)]
            per = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])
            for k, n in cur["in_words"].items():
                if position(*k) != "middle":
                    continue
                v = judged.get((d, *k))
                row = per[cat[k[0]]]
                row[0] += n
                row[1] += n * (v == "T")
                row[2] += n * (v == "F")
                row[5] += n * (v == "F" and not negated(*k) and not guarded(k, s40)
                               and not k[1].startswith(LONG_NEGATIONS))
            for e, words in cur["mid_word"].items():
                for w, n in words.items():
                    if (e, w) not in cur["in_words"]:   # a lexicon term cut into entries
                        continue                        # (中国—东盟博览会), counted before
                    per[cat[e]][3] += n
                    per[cat[e]][4] += n * (judged.get((d, e, w)) == "F")
            for name in sorted(per):
                r = per[name]
                print(f"| {d} | {c} | {name} | {cur['by_cat_ends'].get(name, 0)} | {r[0]} | "
                      f"{r[1]} | {r[2]} | {r[5]} | {r[3]} | {r[4]} |")
    print()
    print("| dictionary | corpus | matches before | in words (begin / end / middle) | "
          "across words, not counted | matches now (compounds=True) |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for d in DICTS:
        for c in CORPORA:
            iw = data[(d, c)]["in_words"]
            pos = collections.Counter()
            for k, n in iw.items():
                pos[position(*k)] += n
            print(f"| {d} | {c} | {data[(d, c)]['current']} | {sum(iw.values())} "
                  f"({pos['begin']} / {pos['end']} / {pos['middle']}) | "
                  f"{len(data[(d, c)]['across'])} | {data[(d, c)]['new']} |")
    print()
    print("| dictionary | corpus | rule | judged / in words | added TP | added FP | missed "
          "(FN) | P added | R added | P overall | R overall |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in evaluate(data, judged):
        print(f"| {r['dictionary']} | {r['corpus']} | {r['rule']} | {r['judged']} / "
              f"{r['in_words']} | {r['TP']:.0f} | {r['FP']:.0f} | {r['FN']:.0f} | "
              f"{r['P_added']:.2f} | {r['R_added']:.2f} | {r['P']:.3f} | {r['R']:.3f} |")
    print()
    print("Weighted: each sampled pair below the thresholds stands for its stratum "
          "(estimates over every occurrence in words).")
    print()
    print("| dictionary | corpus | rule | added TP | added FP | missed (FN) | P added | "
          "R added | P overall | R overall |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in evaluate(data, judged, weighted=True):
        if r["rule"].startswith(("current", "a (")):
            continue
        print(f"| {r['dictionary']} | {r['corpus']} | {r['rule']} | {r['TP']:.0f} | "
              f"{r['FP']:.0f} | {r['FN']:.0f} | {r['P_added']:.2f} | {r['R_added']:.2f} | "
              f"{r['P']:.3f} | {r['R']:.3f} |")
    print()
    print("Below the thresholds only (the pairs session 40 left unjudged; weighted as above; "
          "across-word matches left out):")
    print()
    print("| dictionary | corpus | rule | occurrences | est. true | added TP | added FP | "
          "missed (FN) | P added | R added |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in evaluate(data, judged, weighted=True, below=True):
        if r["dictionary"] == "gazetteer" or not r["rule"].startswith(
                ("b (begin/end, session", "d0", "d (anywhere, session", "implemented")):
            continue
        print(f"| {r['dictionary']} | {r['corpus']} | {r['rule']} | {r['in_words']} | "
              f"{r['true_in']:.0f} | {r['TP']:.0f} | {r['FP']:.0f} | {r['FN']:.0f} | "
              f"{r['P_added']:.2f} | {r['R_added']:.2f} |")


if __name__ == "__main__":
    main()
