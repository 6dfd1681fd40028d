"""Terms inside longer lexicon tokens, so that counting sees every mention.

The tokenizer keeps fixed names whole (中国—东盟博览会, 丝绸之路经济带核心区, 郑州—卢森堡), which
is right for segmentation, but a researcher counting 东盟 or 一带一路 also wants the mentions
inside those names. A *host* is a token that contains a dash (a compound of names), a
Belt and Road lexicon entry outside the ``place`` category, or a gazetteer grouping
(东盟国家, 中亚五国); place names are left whole, since 印度尼西亚 is not a mention of 印度,
nor 罗马尼亚 of 罗马. A word of the general dictionary made of a term and a generic
geographic head (中亚地区, 非洲大陆, 东盟各国) also holds that term.

A negation the tokenizer joined to a term (``Tokenizer(join_negation=True)``: 非东盟国家,
非海关) makes a token of its own that holds no mention: 非东盟国家 names the countries
outside ASEAN, so it counts neither as 东盟 here nor in the document-term matrix, in
profiles or in orientation (one rule, docs/STATISTICS.md "Negations"). With
``join_negation=False`` the 非 is dropped and 东盟国家 counts everywhere.

Inside a host, terms are found leftmost-longest, never the whole host itself:

>>> finder = NestedTerms({"东盟", "中国—东盟", "卢森堡"})
>>> finder.parts("中国—东盟博览会")
[(0, 5, '中国—东盟')]
>>> finder.mentions("中国—东盟博览会")
[(0, 5, '中国—东盟'), (3, 5, '东盟')]
>>> finder.parts("郑州—卢森堡"), finder.parts("东盟地区"), finder.parts("非东盟")
([(3, 6, '卢森堡')], [(0, 2, '东盟')], [])
"""
from __future__ import annotations

import functools
from typing import Iterable

_DASH = "\u2014"
_GENERIC_HEADS = ("地区", "大陆", "各国", "国家", "区域", "沿线")


@functools.lru_cache(maxsize=1)
def _lexicon_hosts() -> frozenset:
    from .._lexicons import load_gazetteer, load_lexicon
    from ._text import fold_variants

    lex, gaz = load_lexicon(), load_gazetteer()
    hosts = set(lex.loc[lex["category"] != "place", "term"])
    hosts |= set(gaz.loc[gaz["type"] == "grouping", "term"])
    return frozenset(fold_variants(t) for t in hosts)


def is_host(token: str) -> bool:
    """True when ``token`` may contain mentions of other terms (see the module docstring)."""
    return _DASH in token or token in _lexicon_hosts()


class NestedTerms:
    """Finds ``terms`` inside host tokens; results are cached per token."""

    def __init__(self, terms: Iterable[str]):
        self.terms = frozenset(terms)
        self.longest = max(map(len, self.terms), default=0)
        self._parts: dict[str, list] = {}
        self._mentions: dict[str, list] = {}

    def parts(self, token: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping (start, end, term) inside a host token."""
        found = self._parts.get(token)
        if found is None:
            if is_host(token):
                found = self._scan(token)
            else:
                head = next((h for h in _GENERIC_HEADS if token.endswith(h)), "")
                stem = token[:len(token) - len(head)]
                found = [(0, len(stem), stem)] if head and stem in self.terms else []
            self._parts[token] = found
        return found

    def _scan(self, token: str) -> list[tuple[int, int, str]]:
        out, i, n = [], 0, len(token)
        while i < n:
            for j in range(min(n, i + self.longest), i, -1):
                piece = token[i:j]
                if piece in self.terms and (i, j) != (0, n):
                    out.append((i, j, piece))
                    i = j
                    break
            else:
                i += 1
        return out

    def mentions(self, token: str) -> list[tuple[int, int, str]]:
        """Every mention inside ``token``: its parts, and the parts of those parts
        (中国—东盟自由贸易区 holds 中国—东盟, which holds 东盟), in order of position."""
        found = self._mentions.get(token)
        if found is None:
            found = []
            for a, b, term in self.parts(token):
                found.append((a, b, term))
                found.extend((a + c, a + d, t) for c, d, t in self.mentions(term))
            found.sort(key=lambda m: (m[0], -m[1]))
            self._mentions[token] = found
        return found


@functools.lru_cache(maxsize=1)
def domain_terms() -> NestedTerms:
    """A finder of the Belt and Road lexicon and gazetteer terms (variant-folded)."""
    from .._lexicons import load_gazetteer, load_lexicon
    from ._text import fold_variants

    terms = set(load_lexicon()["term"]) | set(load_gazetteer()["term"])
    return NestedTerms(fold_variants(t) for t in terms)
