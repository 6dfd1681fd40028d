"""Single characters that are pieces of a longer string the tokenizer cuts:
:func:`fragments`, counted by :class:`FragmentCounts` (which adds up over the pieces of a
corpus: the partitions of the Dask path).

jieba cuts a word it does not know into single characters when each is a word of its own
(the port 磨憨 → 磨/憨, 浐灞 → 浐/灞, 雾霾 → 雾/霾). Counted one by one, such characters
look like words: they can lead a keyness table (磨 and 憨 as "distinctive terms" of the
provinces on the border with Laos), while the term itself is counted nowhere.

The rule (``benchmarks/SEGMENT.md``, "Single-character fragments"): a **run** is two or more
tokens of one Chinese character each that touch in the text (one ends where the next
begins: nothing was dropped between them), none of them a general stopword or a function
character (的 了 和 与 在 是 对 ...: 对俄 is "towards Russia", not a word). A
single-character token is a **fragment of** the string ``S`` when

- ``S`` is the run holding most of its occurrences (ties: the longer, then the first in
  order), and ``S`` occurs as such a run at least ``min_count`` (2) times; and
- at least ``min_share`` (half) of the character's occurrences as a token are in ``S``.

A character that stands alone as a word (俄 in 对俄, 省 in 省商务厅, 新 in 新模式) is
not in a run and is never flagged; neither is a suffix glued to a longer token (常态/化).
"""
from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from .. import _lexicons
from ._discover import _FUNCTION_CHARS

#: a run must recur this many times
MIN_COUNT = 2
#: share of the character's occurrences that must be in the run
MIN_SHARE = 0.5

FRAGMENT_COLUMNS = ["term", "fragment_of", "n_in", "count", "run_count", "n_docs", "split"]


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or \
        "\U00020000" <= ch <= "\U0003134f"


class FragmentCounts:
    """What :func:`fragments` counts, in a form that adds up: for each single character,
    its occurrences as a token (``total``) and in each run (``inside``); for each run, its
    occurrences (``runs``), its documents (``docs``, the ``parent_id`` of its units) and
    its cut form (``split``). ``add(tokens)`` counts more units; ``counts_a + counts_b``
    is the count of both (the Dask path sums one per partition, a document split across
    partitions counts once); ``table()`` is :func:`fragments`'s table, the same whatever
    the order the pieces were added in.

    >>> from bri_text import tokenize
    >>> a = FragmentCounts().add(tokenize(["推进磨憨铁路口岸建设。"]))
    >>> b = FragmentCounts().add(tokenize(["发挥瑞丽、磨憨、河口等口岸作用。"]))
    >>> (a + b).table()[["term", "fragment_of", "n_in", "count"]].values.tolist()
    [['憨', '磨憨', 2, 2], ['磨', '磨憨', 2, 2]]
    """

    __slots__ = ("docs", "inside", "runs", "split", "total")

    def __init__(self):
        self.total: Counter = Counter()                  # char -> occurrences as a token
        self.inside: dict = defaultdict(Counter)         # char -> {run: occurrences in it}
        self.runs: Counter = Counter()                   # run -> occurrences
        self.docs: dict = defaultdict(set)               # run -> documents (parent ids)
        self.split: dict = {}                            # run -> "磨/憨"

    def add(self, tokens) -> "FragmentCounts":
        """Count the units of ``tokens`` (:class:`Tokens` with offsets); returns self."""
        skip = _lexicons.load_stopwords("general") | _FUNCTION_CHARS
        docs = tokens.docs
        parents = (docs["parent_id"] if "parent_id" in docs.columns
                   else docs["doc_id"]).tolist()
        total, inside, runs, run_docs, split = (self.total, self.inside, self.runs,
                                                self.docs, self.split)
        for toks, sp, parent in zip(tokens.tokens, tokens.spans, parents):
            singles = [i for i, w in enumerate(toks) if len(w) == 1]
            if not singles:
                continue
            total.update([toks[i] for i in singles])
            # a run: touching tokens next to each other, all single Chinese characters
            # that are neither stopwords nor function characters
            ok = [i for i in singles if toks[i] not in skip and _is_han(toks[i])]
            k, m = 0, len(ok)
            while k < m - 1:
                j = k
                while j + 1 < m and ok[j + 1] == ok[j] + 1 and sp[ok[j]][1] == sp[ok[j + 1]][0]:
                    j += 1
                if j > k:
                    piece = toks[ok[k]:ok[j] + 1]
                    run = "".join(piece)
                    runs[run] += 1
                    run_docs[run].add(parent)
                    split[run] = "/".join(piece)
                    for ch in piece:
                        inside[ch][run] += 1
                k = j + 1
        return self

    def __add__(self, other: "FragmentCounts") -> "FragmentCounts":
        return FragmentCounts.sum([self, other])

    @staticmethod
    def sum(parts) -> "FragmentCounts":
        """The counts of all ``parts`` added up (a new object; the parts are not changed)."""
        out = FragmentCounts()
        for part in parts:
            out.total.update(part.total)
            out.runs.update(part.runs)
            for ch, found in part.inside.items():
                out.inside[ch].update(found)
            for run, docs in part.docs.items():
                out.docs[run] |= docs
            out.split.update(part.split)
        return out

    def table(self, *, min_count: int = MIN_COUNT,
              min_share: float = MIN_SHARE) -> pd.DataFrame:
        """:func:`fragments`'s table of what was counted."""
        rows = []
        for ch, found in self.inside.items():
            run, n_in = min(found.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
            if self.runs[run] >= min_count and n_in >= min_share * self.total[ch]:
                rows.append((ch, run, n_in, self.total[ch], self.runs[run],
                             len(self.docs[run]), self.split[run]))
        rows.sort(key=lambda r: (-r[3], r[0]))
        return pd.DataFrame(rows, columns=FRAGMENT_COLUMNS).astype(
            {"n_in": "int64", "count": "int64", "run_count": "int64", "n_docs": "int64"})


def fragments(tokens, *, min_count: int = MIN_COUNT,
              min_share: float = MIN_SHARE) -> pd.DataFrame:
    """The single-character tokens of ``tokens`` (:class:`Tokens`, with offsets) that are
    mostly pieces of one recurring run of single characters (see the module notes).

    Returns a DataFrame with one row per flagged character: ``term``, ``fragment_of``
    (the string, e.g. 磨憨), ``n_in`` (the character's occurrences in it), ``count`` (its
    occurrences as a token), ``run_count`` (how often the string is cut so), ``n_docs`` (documents, ``parent_id`` of the units, where the
    string is cut so) and ``split`` (磨/憨), sorted by ``count`` (descending), then term.

    >>> from bri_text import tokenize
    >>> t = tokenize(["推进磨憨铁路口岸建设。", "发挥瑞丽、磨憨、河口等口岸作用。"])
    >>> fragments(t)[["term", "fragment_of", "n_in", "count"]].values.tolist()
    [['憨', '磨憨', 2, 2], ['磨', '磨憨', 2, 2]]
    """
    if getattr(tokens, "spans", None) is None or not hasattr(tokens, "tokens"):
        return pd.DataFrame(columns=FRAGMENT_COLUMNS)
    return FragmentCounts().add(tokens).table(min_count=min_count, min_share=min_share)
