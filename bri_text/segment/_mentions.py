"""Mentions of a named term that the tokenizer split: counted from the text itself.

A researcher who names a term (大数据, 区块链, 智能网联汽车) wants every occurrence counted,
whatever the tokenizer made of it. The tokens see a term whole when it is a token (own
mentions) or inside a longer lexicon token (nested mentions, ``_nested``); this module
finds the rest in the unit's text: occurrences that no single token covers, because the
tokenizer cut them (大/数据, 大/数据分析, 智能网/联/汽车, or a piece dropped as a stopword).

The one rule, shared by ``term_trends``, ``frequencies(terms=)``, ``kwic``, ``profile`` and
``orientation``: a split occurrence counts when it begins and ends on token boundaries
(大/数据, 智能网/联/汽车, 政府/间 with 间 dropped as a stopword; the text's start and end,
punctuation, and either side of a function character dropped as a stopword are boundaries
too: 中俄 opening a paragraph whose 中 the tokenizer dropped, 对俄 in 在对俄 or 2022年对俄),
or when it has at least three characters, begins or ends on a boundary, and the word it runs into keeps at least two
characters of its own (大数据 in 大/数据分析 leaves 分析, 卫生合作 in 医疗卫生/合作 leaves
医疗) or only a function character the segmenter glued to it (物联网 in 和物/联网), or
when its other end lies in text the tokens leave out (西哈努克港 in 西哈努克/港/等 with 港
dropped by ``min_length=2``). Anything else is a chance string across words, not a mention: 美国 in 完美/国家 and
南非 in 以南/非洲 begin and end inside other words; 俄国 in 中/俄/国际 has two characters;
大数据 in 扩大/数据 ("expand data") and 境外投资 in 境外/投资者 leave one. The rule reads
characters, not meaning: check doubtful terms with :func:`bri_text.kwic`. An occurrence
inside one token is decided by the nested rule, never here.

>>> text = "发展大数据分析和大数据产业，完美国家，中俄国际，扩大数据"
>>> spans = [(0, 2), (2, 3), (3, 7), (8, 9), (9, 11), (11, 13), (14, 16), (16, 18),
...          (19, 20), (20, 21), (21, 23), (24, 26), (26, 28)]
>>> split_mentions(text, spans, ["大数据", "美国", "俄国"])
[(2, 5, '大数据'), (8, 11, '大数据')]
"""
from __future__ import annotations

import bisect
import re
from typing import Sequence

import numpy as np

from .._util import trie_regex
from ._text import fold_variants

__all__ = ["SplitMatcher", "split_mentions", "KEEP_WHOLE"]

#: How to keep a split term whole for analyses built on tokens (said wherever one is found).
KEEP_WHOLE = ("token-based analyses (dtm, keyness, topic models) see the pieces; to keep "
              "such terms whole, add them to the tokenizer: bt.tokenize(corpus, tokenizer="
              "bt.Tokenizer(user_dict={...the terms...})), and see bt.discover_terms for the "
              "other terms of your corpus that the tokenizer splits")


#: Function characters the segmenter sometimes glues to the next word (和物/联网): a cut
#: word whose rest outside the term is one of them still leaves the term a mention.
_FUNCTION_CHARS = frozenset("的了和与在是对等及并为将把被或向从由于以")


class _Boundaries:
    """Token spans of one unit, sorted, for 'does one token cover [s, e)?' and 'is k a token
    boundary?' in O(log n). Kept as numpy arrays: a unit is searched a few times, so building
    Python lists of its thousands of spans cost more than the searches."""

    def __init__(self, spans, text: str):
        self.text = text
        arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        arr = arr[np.lexsort((arr[:, 1], arr[:, 0]))]
        self.starts, self.ends = arr[:, 0], arr[:, 1]
        # furthest end among tokens starting at or before
        self.reach = np.maximum.accumulate(self.ends) if len(arr) else self.ends
        self.edges = np.unique(np.concatenate([arr.ravel(), [0, len(text)]]))

    def _is_gap(self, k: int) -> bool:
        """Position ``k`` of the text is in no token (a stopword the tokenizer dropped)."""
        return 0 <= k < len(self.text) and not self.covered(k, k + 1)

    def is_edge(self, k: int) -> bool:
        """``k`` is a word boundary: a token's edge, the text's start or end, beside
        punctuation or a space, or beside a function character the tokens leave out
        (在对俄贸易, 2022年对俄 with 在 / 年 and 对 dropped: 对俄 begins at a boundary)."""
        j = int(np.searchsorted(self.edges, k))
        if j < len(self.edges) and self.edges[j] == k:
            return True
        text = self.text
        if not text[k - 1].isalnum() or not text[k].isalnum():
            return True
        return any(text[i] in _FUNCTION_CHARS and self._is_gap(i) for i in (k - 1, k))

    def covered(self, s: int, e: int) -> bool:
        i = int(np.searchsorted(self.starts, s, side="right")) - 1
        return i >= 0 and bool(self.reach[i] >= e)

    def _cut(self, k: int):
        """(start, end) of the token that position ``k`` falls strictly inside, or None."""
        i = int(np.searchsorted(self.starts, k, side="left")) - 1
        if i >= 0 and self.reach[i] > k:
            return (int(self.starts[i]), int(self.ends[i])) if self.ends[i] > k else None
        return None

    def counts(self, s: int, e: int) -> bool:
        """A split occurrence that counts (module docstring)."""
        if self.covered(s, e):
            return False
        at_s, at_e = self.is_edge(s), self.is_edge(e)
        if at_s and at_e:
            return True
        if e - s < 3 or not (at_s or at_e):
            return False
        cut = self._cut(e) if at_s else self._cut(s)
        if cut is None:          # the other end lies in text the tokens leave out
            return True
        rest = self.text[e:cut[1]] if at_s else self.text[cut[0]:s]
        return len(rest) >= 2 or rest in _FUNCTION_CHARS


def split_mentions(text: str, spans, terms: Sequence[str]) -> list[tuple[int, int, str]]:
    """Occurrences of each of ``terms`` in ``text`` that the tokenizer split and that count
    (module docstring), as ``(start, end, term)`` sorted by position; terms are matched
    independently (a text holding 大数据 gives one mention of 大数据 and, if named, one of
    数据 when that one is split too). ``spans`` are the unit's token offsets."""
    folded = fold_variants(text)
    present = [t for t in terms if t and t in folded]
    if not present:
        return []
    bounds = _Boundaries(spans, folded)
    out = []
    for term in present:
        k = folded.find(term)
        while k >= 0:
            if bounds.counts(k, k + len(term)):
                out.append((k, k + len(term), term))
            k = folded.find(term, k + 1)
    out.sort()
    return out


class SplitMatcher:
    """Dictionary entries in the text that the tokenizer split, leftmost-longest and never
    overlapping a match already made on the tokens.

    >>> m = SplitMatcher(["大数据", "云计算"])
    >>> m.find("大数据分析与云计算", [(0, 1), (1, 5), (6, 7), (7, 9)], taken=[])
    [(0, 3, '大数据'), (6, 9, '云计算')]
    """

    def __init__(self, terms):
        terms = [t for t in terms if t]
        self._first = frozenset(t[0] for t in terms)
        self._pattern = re.compile("(?=(" + trie_regex(terms) + "))") if terms else None

    def find(self, text: str, spans, taken) -> list[tuple[int, int, str]]:
        """``taken``: (start, end) of the matches made on the tokens, left alone."""
        if self._pattern is None or not self._first.intersection(text):
            return []
        folded = fold_variants(text)
        bounds, out, last_end = None, [], 0
        busy = sorted(taken)                 # matches on the tokens never overlap each other
        busy_starts = [a for a, _ in busy]
        for m in self._pattern.finditer(folded):
            s, term = m.start(), m.group(1)
            e = s + len(term)
            if s < last_end:
                continue
            if bounds is None:
                bounds = _Boundaries(spans, folded)
            i = bisect.bisect_left(busy_starts, e) - 1      # the last match starting before e
            if (i >= 0 and busy[i][1] > s) or not bounds.counts(s, e):
                continue
            out.append((s, e, term))
            last_end = e
        return out
