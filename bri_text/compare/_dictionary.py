"""Dictionary profiles and geographic orientation: how often categories of terms, or
world regions, are mentioned per group."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from .. import _stats
from .._util import check_random_state, check_scalar, renamed_parameters, seed_record
from ..errors import MetadataError, ParameterError
from .._grouping import _group_codes, _warn_split_documents
from .._lexicons import FIVE_CONNECTIVITIES_COVERAGE
from ..features import token_data
from ..segment import DASH, NEGATIONS, NestedTerms

_NORMALIZE = ("per_10k", "share", None)
_LEVELS = ("world_region", "continent", "corridor")


def _load_dictionary(dictionary, param: str = "dictionary") -> dict[str, list[str]]:
    """{category: [terms]} of a dict, a table with ``term`` and ``category`` columns, or a
    file (``term<TAB>category``, or a ``.csv``; UTF-8 or GBK, read as codebooks are)."""
    if isinstance(dictionary, pd.DataFrame):
        missing = [c for c in ("term", "category") if c not in dictionary.columns]
        if missing:
            raise MetadataError(f"{param}: the table lacks the column(s) {missing}; give "
                                "one row per term with columns term and category")
        rows = dictionary[["term", "category"]].astype("string").apply(
            lambda c: c.str.strip())
        empty = rows["term"].isna() | rows["category"].isna() | rows["term"].eq("") \
            | rows["category"].eq("")
        if empty.any():
            raise MetadataError(f"{param}: row(s) {rows.index[empty.to_numpy()].tolist()[:5]} "
                                "have an empty term or category")
        dictionary = {c: part["term"].tolist()
                      for c, part in rows.groupby("category", sort=False)}
    if isinstance(dictionary, dict):
        out = {}
        for cat, terms in dictionary.items():
            if isinstance(terms, str):
                terms = [terms]
            try:
                terms = [str(t) for t in terms]
            except TypeError:
                raise ParameterError(f"{param} category {cat!r} must map to a list of terms, "
                                     f"got {type(terms).__name__}") from None
            out[str(cat)] = terms
        if not out:
            raise ParameterError(f"{param} is empty")
        return out
    if isinstance(dictionary, (str, os.PathLike)):
        from .._lexicons import _gb18030, load_dictionary

        return load_dictionary(dictionary, param, decode=_gb18030,
                               what="places file" if param == "places" else "dictionary file")
    raise ParameterError(f"{param} must be 'five_connectivities', 'sectors', a path to a "
                         f"term<TAB>category file (or a .csv), a table with columns term "
                         f"and category or a dict {{category: [terms]}}, got "
                         f"{type(dictionary).__name__}")


def _term_index(dictionary: dict[str, list[str]], what: str) -> tuple[dict[str, int], list[str]]:
    """term -> category index; a term listed under two categories is an error."""
    cats = list(dictionary)
    index: dict[str, int] = {}
    for ci, cat in enumerate(cats):
        for term in dictionary[cat]:
            term = term.strip()
            if not term:
                raise MetadataError(f"{what}: category {cat!r} has an empty term")
            if any(ch.isspace() for ch in term):
                raise MetadataError(f"{what}: term {term!r} ({cat!r}) contains whitespace; "
                                    "write multi-word entries without spaces (they are "
                                    "matched across token boundaries)")
            prev = index.get(term)
            if prev is not None and prev != ci:
                raise MetadataError(f"{what}: term {term!r} is listed under both "
                                    f"{cats[prev]!r} and {cat!r}; an entry must belong to "
                                    "one category")
            index[term] = ci
    return index, cats


class _Matcher:
    """Finds dictionary entries in token sequences, leftmost-longest, each token used once.

    An entry matches a run of consecutive tokens whose canonical forms, or whose surface
    forms in the text, concatenate to it; tokens of a run must be adjacent in the text
    (nothing but whitespace between them), so a run never bridges a removed stopword.
    """

    def __init__(self, index: dict[str, int]):
        self.index = index
        self.prefixes = {t[:k] for t in index for k in range(1, len(t) + 1)}

    def find(self, toks, sp=None, text=None):
        """Yield (first token, last token + 1, category index) of each match."""
        n, i = len(toks), 0
        index, prefixes = self.index, self.prefixes
        while i < n:
            canon = surf = ""
            best = None
            j = i
            while j < n:
                canon += toks[j]
                if text is not None:
                    if j > i:
                        gap_s, gap_e = sp[j - 1][1], sp[j][0]
                        if gap_e < gap_s or (gap_e > gap_s and text[gap_s:gap_e].strip()):
                            break
                    surf += text[sp[j][0]:sp[j][1]]
                hit = index.get(canon)
                if hit is None and text is not None:
                    hit = index.get(surf)
                if hit is not None:
                    best = (j + 1, hit)
                if canon not in prefixes and (text is None or surf not in prefixes):
                    break
                j += 1
            if best is None:
                i += 1
            else:
                yield i, best[0], best[1]
                i = best[0]


def _split_hosts(toks, sp, finder, compounds=None, hosts: list | None = None):
    """Match inside longer lexicon tokens: the tokenizer keeps 中国—东盟博览会 or 郑州—卢森堡
    as one token, which is no dictionary entry, but it mentions one (东盟, 卢森堡). A token
    that is an entry itself (东盟国家, a corridor name) stays whole; others are cut into the
    entries they contain (``bri_text.segment._nested``) and the text between them, split at
    dashes. Spans of the pieces are exact: variant folding keeps every character's place.
    With ``compounds`` (a :class:`_Compounds`), an entry that sits in one of its exception
    words is no piece (保险 in the lexicon term 基本养老保险); with :data:`WHOLE_TOKENS`
    (``compounds=False``) no entry is cut out of a longer word: a dash compound is split at
    its dashes only (郑州—卢森堡 holds the word 卢森堡; 中国—东盟博览会 the words 中国 and
    东盟博览会, not 东盟). ``hosts`` (a list, filled in place): per token returned, the
    place in ``toks`` of the token it was cut from, -1 for a token kept whole.

    >>> from bri_text.segment._nested import NestedTerms
    >>> f = NestedTerms({"东盟", "卢森堡"})
    >>> _split_hosts(["中国—东盟博览会", "郑州—卢森堡"], None, f)[0]
    ['中国', '东盟', '博览会', '郑州', '卢森堡']
    >>> _split_hosts(["中国—东盟博览会", "郑州—卢森堡"], None, f, WHOLE_TOKENS)[0]
    ['中国', '东盟博览会', '郑州', '卢森堡']
    """
    whole = compounds is WHOLE_TOKENS
    out_t, out_s = [], [] if sp is not None else None
    for k, t in enumerate(toks):
        parts = [] if whole or t in finder.terms else finder.parts(t)
        if parts and compounds is not None:
            parts = [p for p in parts if compounds._ok(t, p[0], p[2])]
        if not parts and DASH not in t:
            out_t.append(t)
            if sp is not None:
                out_s.append(sp[k])
            if hosts is not None:
                hosts.append(-1)
            continue
        pieces, pos = [], 0
        for a, b, _ in parts + [(len(t), len(t), None)]:
            gap = pos
            for chunk in t[pos:a].split(DASH):
                if chunk:
                    pieces.append((gap, gap + len(chunk)))
                gap += len(chunk) + 1
            if b > a:
                pieces.append((a, b))
            pos = b
        for a, b in pieces:
            out_t.append(t[a:b])
            if sp is not None:
                out_s.append([sp[k][0] + a, sp[k][0] + b])
            if hosts is not None:
                hosts.append(k if (a, b) != (0, len(t)) else -1)
    return out_t, out_s


class _WholeTokens:
    """``compounds=False``: an entry counts as a whole token only (and across tokens the
    tokenizer split), never inside a longer word, a lexicon term either."""

    def __repr__(self) -> str:
        return "WHOLE_TOKENS"


#: the rule of an explicit ``compounds=False`` (see :func:`_split_hosts`)
WHOLE_TOKENS = _WholeTokens()

#: Negations of two or more characters: a token that begins with one (没有外交关系, 没有市场) is
#: a negation the tokenizer joined to what follows, and no mention of what it holds.
_LONG_NEGATIONS = tuple(sorted((n for n in NEGATIONS if len(n) > 1), key=len, reverse=True))
#: ``compounds=`` modes: where in a longer token an entry counts.
COMPOUND_MODES = ("ends", "inside")


class _Compounds:
    """Entries inside a longer token: 国际贸易 mentions 贸易 (the head), 保险业 mentions 保险
    (the modifier) and, with ``inside=True``, 中国（浙江）自由贸易试验区 mentions 贸易 (an entry
    in the middle). Per token, the longest entry it begins with and the longest it ends with
    (both, when they do not overlap; else the longer, the end on a tie) and, inside, the
    entries between them (leftmost-longest), unless the entry sits in an exception word
    (养老保险 is no mention of 保险, in 养老保险 itself and in 养老保险金 alike) or the token is a
    negation the tokenizer joined to the entry (非金融, 没有外交关系). Results are cached per
    token.

    >>> c = _Compounds({"贸易": 0, "保险": 1, "交通": 2, "运输": 2}, {("养老保险", "保险")})
    >>> c("国际贸易"), c("保险业"), c("交通运输"), c("养老保险"), c("非保险")
    ([(2, 4, '贸易')], [(0, 2, '保险')], [(0, 2, '交通'), (2, 4, '运输')], [], [])
    >>> c("自由贸易试验区"), c("交通运输业")                     # the ends only
    ([], [(0, 2, '交通')])
    >>> c = _Compounds({"贸易": 0, "保险": 1, "交通": 2, "运输": 2}, {("养老保险", "保险")},
    ...                inside=True)
    >>> c("自由贸易试验区"), c("交通运输业"), c("养老保险金"), c("没有贸易")
    ([(2, 4, '贸易')], [(0, 2, '交通'), (2, 4, '运输')], [], [])
    """

    def __init__(self, index: dict[str, int], exceptions=frozenset(), inside: bool = False):
        self.index, self.exceptions, self.inside = index, exceptions, inside
        self.longest = max(map(len, index), default=0)
        self._cache: dict[str, list] = {}
        self.guards: dict[str, list[tuple[str, int]]] = {}   # entry -> (word, entry's place)
        for word, entry in exceptions:
            at = word.find(entry)
            while at >= 0:
                self.guards.setdefault(entry, []).append((word, at))
                at = word.find(entry, at + 1)

    def __call__(self, tok: str) -> list[tuple[int, int, str]]:
        found = self._cache.get(tok)
        if found is None:
            found = self._cache[tok] = self._find(tok)
        return found

    def _ok(self, tok: str, a: int, entry: str) -> bool:
        """Whether ``entry`` at ``tok[a:]`` counts: not inside an exception word, not after
        a joined negation."""
        for word, at in self.guards.get(entry, ()):
            start = a - at
            if start >= 0 and tok.startswith(word, start):
                return False
        return a == 0 or tok[:a] not in NEGATIONS

    def _find(self, tok: str) -> list[tuple[int, int, str]]:
        n, index = len(tok), self.index
        if n < 2 or tok in index or tok.startswith(_LONG_NEGATIONS):
            return []
        head = next((k for k in range(min(n - 1, self.longest), 0, -1)
                     if tok[:k] in index), 0)
        tail = next((k for k in range(max(1, n - self.longest), n) if tok[k:] in index), n)
        if head and tail < n and head > tail:          # overlapping: the longer one
            if head > n - tail:
                tail = n
            else:
                head = 0
        if head and not self._ok(tok, 0, tok[:head]):
            head = 0
        if tail < n and not self._ok(tok, tail, tok[tail:]):
            tail = n
        out = [(0, head, tok[:head])] if head else []
        if self.inside:                                # between the ends, off the edges
            i, hi = max(1, head), min(n - 1, tail)
            while i < hi:
                j = next((j for j in range(min(hi, i + self.longest), i + 1, -1)
                          if tok[i:j] in index and self._ok(tok, i, tok[i:j])), 0)
                if j:
                    out.append((i, j, tok[i:j]))
                i = j or i + 1
        if tail < n:
            out.append((tail, n, tok[tail:]))
        return out


def _compounds_rule(compounds, builtin: str | None, index: dict, default: str = "inside"):
    """The :class:`_Compounds` of ``profile(compounds=)`` / ``orientation(compounds=)``,
    :data:`WHOLE_TOKENS` (False) or None (your own dictionary's default): None (the
    default) is True for the built-in lists (``builtin``: the list's name,
    ``"five_connectivities"``, ``"sectors"`` or ``"gazetteer"``, whose exceptions it reads;
    None: a dictionary of your own, the exceptions that hold for every dictionary); True is
    the judged rule of the function (``default``: "inside" for profile, "ends" for
    orientation); "ends" or "inside" choose one."""
    if compounds is None:
        if not builtin:
            return None      # your own dictionary: whole tokens and entries inside lexicon terms
        compounds = True
    if isinstance(compounds, (bool, np.bool_)):
        if not compounds:
            return WHOLE_TOKENS
        compounds = default
    if compounds not in COMPOUND_MODES:
        raise ParameterError(f"compounds must be True, False, None (True for the built-in "
                             f"dictionaries, False for your own), 'ends' or 'inside', got "
                             f"{compounds!r}")
    from .._lexicons import load_compound_exceptions

    return _Compounds(index, load_compound_exceptions(builtin), inside=compounds == "inside")


def _compounds_attr(compounds) -> bool | str:
    """``attrs["compounds"]``: False, or the mode counted ("ends" / "inside")."""
    if compounds is None or compounds is WHOLE_TOKENS:
        return False
    return "inside" if compounds.inside else "ends"


def _mid_word(counted: dict) -> dict:
    """``attrs["mid_word"]``: the part of ``in_compounds`` where the entry sat in the middle
    of the word (neither its first nor its last characters)."""
    out = {}
    for entry, words in counted.items():
        mid = {w: n for w, n in words.items()
               if not w.startswith(entry) and not w.endswith(entry)}
        if mid:
            out[entry] = mid
    return out


def _count_matrix(tokens, index: dict[str, int], n_cats: int, in_words: dict | None = None,
                  compounds=None):
    """(docs, units x categories count matrix, tokens per unit, {entry: its matches that
    the tokenizer split}).

    Matches are made on the tokens first (:class:`_Matcher`), then in the text for the
    entries the tokenizer cut so that no run of whole tokens spells them (大/数据分析 for
    大数据; ``bri_text.segment._mentions``), never overlapping a token match. ``in_words``
    (a dict, filled in place): per entry, the longer tokens that hold it but are no match
    (俄罗斯 in the general word 俄罗斯远东地区; ``{entry: {word: occurrences}}``), and
    ``in_words[""]`` the matches per entry, for :func:`_warn_in_words`. ``compounds`` (a
    :class:`_Compounds`, or None): a token that is no match counts for the entry it begins
    or ends with; ``in_words["\0"]`` then lists those words per entry, as ``in_words``,
    the lexicon terms cut into entries among them (中国—东盟博览会 for 东盟)."""
    import re

    from .._util import trie_regex
    from ..segment import SplitMatcher

    rule, compounds = compounds, None if compounds is WHOLE_TOKENS else compounds
    token_lists, docs, spans = token_data(tokens)
    texts = docs["text"].tolist() if spans is not None and "text" in docs.columns else None
    matcher = _Matcher(index)
    finder = NestedTerms(index)
    in_text = SplitMatcher(index) if texts is not None else None
    inside = re.compile(trie_regex(index)) if in_words is not None and index else None
    held: dict[str, list] = {}                 # token -> the entries inside it
    matched: dict[str, int] = {}
    counted: dict[str, dict] = {}              # entry -> {word: n} counted as compounds
    counts = np.zeros((len(token_lists), n_cats), dtype=np.int64)
    split: dict[str, int] = {}
    for row, toks in enumerate(token_lists):
        sp = np.asarray(spans[row]).tolist() if texts is not None else None
        text = texts[row] if texts is not None else None
        hosts: list[int] = []
        whole, (toks, sp) = toks, _split_hosts(toks, sp, finder, rule, hosts)
        taken, used, in_word = [], set(), set()
        for i, j, cat in matcher.find(toks, sp, text):
            counts[row, cat] += 1
            entry = "".join(toks[i:j])
            if entry not in index and text is not None:
                entry = text[sp[i][0]:sp[j - 1][1]]
            if (compounds is not None and inside is not None and hosts[i] >= 0
                    and hosts[i] == hosts[j - 1]):        # cut out of a lexicon term
                words = counted.setdefault(entry, {})
                words[whole[hosts[i]]] = words.get(whole[hosts[i]], 0) + 1
            if j - i > 1:                                 # a run of tokens: 区块/链
                split[entry] = split.get(entry, 0) + 1
            if inside is not None:
                matched[entry] = matched.get(entry, 0) + 1
                used.update(range(i, j))
            if sp is not None:
                taken.append((sp[i][0], sp[j - 1][1]))
        if compounds is not None:
            for k, tok in enumerate(toks):
                if k in used:
                    continue
                found = compounds(tok)
                if not found:
                    continue
                used.add(k)
                for a, b, term in found:
                    counts[row, index[term]] += 1
                    if inside is not None:
                        words = counted.setdefault(term, {})
                        words[tok] = words.get(tok, 0) + 1
                        matched[term] = matched.get(term, 0) + 1
                in_word.add(k)
                if sp is not None:
                    taken.append((sp[k][0], sp[k][1]))
        if in_text is not None:
            for _, _, term in in_text.find(text, spans[row], taken):
                counts[row, index[term]] += 1
                split[term] = split.get(term, 0) + 1
                if inside is not None:
                    matched[term] = matched.get(term, 0) + 1
        if inside is not None:
            for k, tok in enumerate(toks):
                if k in used and k not in in_word:
                    continue
                found = held.get(tok)
                if found is None:
                    ends = compounds(tok) if k in in_word else []
                    found = held[tok] = [
                        m.group() for m in inside.finditer(tok)
                        if len(m.group()) < len(tok) and not any(
                            a < m.end() and m.start() < b for a, b, _ in ends)]
                for term in found:
                    words = in_words.setdefault(term, {})
                    words[tok] = words.get(tok, 0) + 1
    if inside is not None:
        in_words[""] = matched
        if compounds is not None:
            in_words["\0"] = counted
    n_tok = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    return docs, counts, n_tok, split


def _warn_in_words(where: str, in_words: dict, share: float = 0.05, advice: str | None = None,
                   warn: bool = True, stacklevel: int = 3, known=frozenset()) -> dict:
    """One warning naming the entries of which at least ``share`` of the occurrences are
    inside longer words that are no match (as :func:`bri_text.term_trends` warns), and the
    ``{entry: {word: count}}`` of every entry, for ``attrs["in_words"]``. Words holding a
    ``known`` exception of the entry (``(word, entry)`` pairs of compound_exceptions.tsv:
    内蒙古 and 内蒙古自治区人民政府 for 蒙古) were judged no mention by hand: they stay in
    ``attrs["in_words"]`` but are not warned about."""
    matched = in_words.pop("", {})
    if not warn:
        return in_words
    judged: dict[str, list] = {}
    for word, entry in known:
        judged.setdefault(entry, []).append(word)
    hit = []
    for term, words in sorted(in_words.items(), key=lambda kv: -sum(kv[1].values())):
        words = {w: n for w, n in words.items()
                 if not any(x in w for x in judged.get(term, ()))}
        if not words:
            continue
        hidden = sum(words.values())
        total = hidden + matched.get(term, 0)
        if hidden >= share * total:
            shown = sorted(words.items(), key=lambda kv: -kv[1])
            hit.append(f"{term} ({hidden} of {total}: "
                       + ", ".join(f"{w} {n}" for w, n in shown[:4])
                       + (f", {len(shown) - 4} more" if len(shown) > 4 else "") + ")")
    if hit:
        warnings.warn(f"{where}: " + "; ".join(hit[:10]) + " occur inside longer words "
                      "that are not counted as mentions of the entry (words of the general "
                      "dictionary such as 俄罗斯远东地区, negations joined by the tokenizer; "
                      "attrs['in_words'] lists them); " + (advice or "to count them, add "
                      "those words to the dictionary under the entry's category, pass "
                      "compounds=True (a word that holds an entry counts for it, but for "
                      "the exceptions, as in the built-in dictionaries), or read them with "
                      "kwic"), stacklevel=stacklevel)
    return in_words


def _values(sums: np.ndarray, n_tok: np.ndarray, normalize):
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalize == "per_10k":
            return sums / n_tok[..., None] * 1e4
        if normalize == "share":
            return sums / sums.sum(axis=-1, keepdims=True)
    return sums.astype(float)


#: What n the zero rule takes in grouped tables (``attrs["zero_interval"]``), by figure.
ZERO_N = {
    "share": ("n = the group's documents with at least one counted match (a share of the "
              "group's matches is at most about the share of its documents that have the "
              "category at all; matches within a document are not independent draws)"),
    "share/unit": ("n = the group's units with at least one counted match (units as if "
                   "independent, the model of a within-document interval)"),
    "per_10k": "n = the group's tokens (about 3.7 matches), as term_trends",
    None: "n = the group's tokens (about 3.7 matches), as term_trends",
}


def _grouped(counts, n_tok, docs, by, normalize, n_boot, ci, resample, rng, where,
             compared: bool = True):
    """Per group: summed counts, token totals, normalised values, units, documents and,
    with ``n_boot``, bootstrap intervals (the shared resampling of :mod:`bri_text._stats`).
    Returns a dict of arrays and the Intervals (or None) for the warnings.

    A category with no match in a group gets [0, upper], the Clopper-Pearson bound for 0
    of n (``_stats.zero_upper``), not the bootstrap's [0, 0] (every resample of a zero is
    0), wherever the group has an interval (``attrs["zero_interval"]`` says what n is,
    ``attrs["n_zero_intervals"]`` how many rows got it). For a **share** n is the group's
    documents with at least one counted match (``"unit"``: its units with one), not its
    matches: the interval is between documents, and matches cluster in documents (a plan
    on Central Asia names 中亚 ten times, one on ASEAN none), so 0 of 131 mentions as 131
    independent draws would claim the share is below 2.8%, a statement about these
    texts' sentences. The group's share Σ X_d / Σ M_d (X_d matches of the category,
    M_d all matches, in document d) is at most Σ_{X_d > 0} M_d / Σ M_d, the
    (match-weighted) share of documents that have the category at all; seen in 0 of n
    documents, that share is below zero_upper(n) with confidence ``ci`` (0 of 3: 0.71;
    of 6: 0.46; of 15: 0.22). The bound assumes a document's number of matches does not
    depend on whether it has the category; coverage 0.88-1.00, every zero row covered, in
    benchmarks/TRENDS.md (``benchmarks/sim_zero_intervals.py``, part C). A **rate** (``per_10k``) or count has
    no such document bound (one document can hold any number of mentions); it takes n =
    the group's tokens, the rule of :func:`bri_text.term_trends` (about 3.7 matches).

    A **share** seen 1-20 times gets no narrower than the Clopper-Pearson interval of
    c / deff of N / deff (``_stats.small_share_intervals``; deff the larger of the group's
    and the category's design effect over the table; ``attrs["small_counts"]``,
    ``attrs["n_small_intervals"]``); ``res["boot_low"]`` / ``["boot_high"]`` keep the
    bootstrap's own ends, ``res["deff"]`` the design effects.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a#1", "a#2", "b#1", "c#1"],
    ...                      "parent_id": ["a", "a", "b", "c"], "g": ["x"] * 4})
    >>> counts = np.array([[3, 0], [2, 0], [4, 0], [1, 0]])
    >>> res, iv = _grouped(counts, np.ones(4, dtype=int) * 10, docs, "g", "share", 50, 0.95,
    ...                    "two-stage", np.random.default_rng(0), "profile")
    >>> round(float(res["high"][0, 1]), 4) == round(float(_stats.zero_upper(3)), 4)
    True
    >>> iv.n_zero_rows
    1
    """
    codes, labels, name = _group_codes(docs, by, where)
    if compared:    # not the per-unit table of orientation(by=None)
        _warn_split_documents(docs, codes, labels, name, where)
    doc_of = _stats.document_ids(docs)
    G, K = len(labels), counts.shape[1]
    out = {"labels": labels, "sums": np.zeros((G, K), dtype=np.int64),
           "ntot": np.zeros(G, dtype=np.int64), "n_units": np.zeros(G, dtype=np.int64),
           "n_docs": np.zeros(G, dtype=np.int64), "low": np.full((G, K), np.nan),
           "high": np.full((G, K), np.nan), "n_failed": np.zeros(G, dtype=np.int64),
           "interval": np.empty(G, dtype=object)}
    iv = _stats.Intervals(resample, n_boot, ci, rng,
                          upper=1.0 if normalize == "share" else None) if n_boot else None
    if iv is not None and normalize == "share":
        # a few matches: design effects over the units the bootstrap draws, the group's
        # own and the category's over the table (the only evidence with 1-2 matches)
        cluster = np.arange(len(codes)) if resample == "unit" else doc_of
        own, pooled = _stats.share_design_effects(counts, codes, cluster, G)
        out["deff"] = np.fmax(np.fmax(own, pooled[None, :]), 1.0)
        out["boot_low"], out["boot_high"] = out["low"].copy(), out["high"].copy()
    for g in range(G):
        idx = np.flatnonzero(codes == g)
        c, t = counts[idx], n_tok[idx]
        out["sums"][g], out["ntot"][g] = c.sum(axis=0), t.sum()
        out["n_units"][g], out["n_docs"][g] = len(idx), _stats.n_documents(doc_of[idx])
        if iv is None:
            continue
        est = _values(out["sums"][g][None, :], out["ntot"][g:g + 1], normalize)[0]

        def stat(w, c=c, t=t):
            return _values(w @ c, w @ t, normalize)

        (low, high, out["n_failed"][g],
         out["interval"][g]) = iv.run(labels[g], stat, doc_of[idx], est)
        # no match in the group: [0, Clopper-Pearson bound for 0 of n], not [0, 0]
        if normalize == "share":
            key = "share/unit" if resample == "unit" else "share"
            n, scale = iv.zero_trials(c.sum(axis=1), doc_of[idx]), 1.0
        else:
            key, n = normalize, int(out["ntot"][g])
            scale = 1e4 if normalize == "per_10k" else float(n)
        if normalize == "share":
            out["boot_low"][g], out["boot_high"][g] = low, high
            # a few matches: no narrower than Clopper-Pearson on the effective sample
            low, high = iv.small_shares(out["sums"][g], out["sums"][g].sum(),
                                        out["deff"][g], low, high, zero_n=n)
        out["low"][g], out["high"][g] = iv.zero_counts(out["sums"][g], low, high, n, scale,
                                                       ZERO_N[key])
    out["values"] = _values(out["sums"], out["ntot"], normalize)
    return out, iv


def _add_intervals(table, res, iv, K, lo="ci_low", hi="ci_high"):
    table[lo], table[hi] = res["low"].ravel(), res["high"].ravel()
    table["n_failed"] = np.repeat(res["n_failed"], K)
    table["interval"] = np.repeat(res["interval"], K)
    table.attrs.update(iv.attrs())


def _profile_table(res: dict, cats: list, normalize) -> pd.DataFrame:
    """The grouped profile table from per-group sums (``labels, sums, ntot, n_units,
    n_docs``; also what the Dask path reduces to)."""
    G, K = len(res["labels"]), len(cats)
    out = pd.DataFrame({"group": np.repeat(np.asarray(res["labels"], dtype=object), K),
                        "category": np.tile(np.asarray(cats, dtype=object), G),
                        "count": res["sums"].ravel(), "n_tokens": np.repeat(res["ntot"], K),
                        "n_units": np.repeat(res["n_units"], K),
                        "n_docs": np.repeat(res["n_docs"], K)})
    if normalize is not None:
        out[normalize] = _values(res["sums"], res["ntot"], normalize).ravel()
    return out


def _warn_low_coverage(matches: int, n_tokens: int, stacklevel: int = 3) -> None:
    """One warning when the default (Belt and Road) dictionary hardly covers the corpus."""
    rate = matches / max(n_tokens, 1) * 1e4
    if rate < FIVE_CONNECTIVITIES_COVERAGE:
        warnings.warn(f"profile: the default dictionary, the Belt and Road's five "
                      f"connectivities, matches {rate:.0f} per 10,000 tokens of these texts "
                      f"(under {FIVE_CONNECTIVITIES_COVERAGE:.0f}: no more than any economic "
                      "text; Belt and Road plans reach 830-1,640). For another field name "
                      "your own categories: dictionary='sectors', a term<TAB>category file "
                      "or {category: [terms]}", stacklevel=stacklevel)


def _profile_lexicon(dictionary) -> tuple[dict[str, int], list[str], str]:
    """(term -> category index, categories, the name ``attrs["dictionary"]`` gives) of
    :func:`profile`'s ``dictionary``: one reading for the in-memory and the Dask path."""
    what = dictionary if isinstance(dictionary, (str, os.PathLike)) else "dictionary"
    index, cats = _term_index(_load_dictionary(dictionary), f"dictionary {what}")
    return index, cats, str(what)


def _profile_notes(dictionary, in_words: dict, matches: int, n_tokens: int) -> dict:
    """What :func:`profile` says after counting, over every unit counted: entries inside
    longer words (a dictionary of your own; the built-in ones only fill ``attrs``) and the
    default dictionary's low coverage. Returns ``attrs["in_words"]``."""
    builtin = isinstance(dictionary, str) and dictionary in ("five_connectivities", "sectors")
    in_words = _warn_in_words("profile", in_words, warn=not builtin, stacklevel=4)
    if isinstance(dictionary, str) and dictionary == "five_connectivities":
        _warn_low_coverage(matches, n_tokens, stacklevel=4)
    return in_words


def _warn_absent(cats: list, totals: np.ndarray, n_units: int) -> None:
    """One warning naming the categories of a dictionary of your own that no unit matches:
    a 0 that is the texts' (新质生产力 in none of the ten provincial reports of
    tests/data) reads as a finding, but a misspelt entry gives it as well."""
    absent = [c for c, n in zip(cats, totals) if n == 0]
    if not absent or len(absent) == len(cats) and not n_units:
        return
    warnings.warn(f"profile: no entry of {len(absent)} of the {len(cats)} categories "
                  f"({'、'.join(map(str, absent[:10]))}{' …' if len(absent) > 10 else ''}) "
                  f"occurs in any of the {n_units:,} units (mentions the tokenizer split "
                  "counted too): their rates are 0. If you expected them, check the entries' "
                  "spelling and script (Simplified / Traditional) with bt.kwic", stacklevel=3)


def profile(tokens, dictionary="five_connectivities", by=None, normalize="per_10k", n_boot: int = 0,
            ci: float = 0.95, random_state=0, resample: str = "two-stage",
            compounds: bool | None = None) -> pd.DataFrame:
    """Dictionary profile: how often each category's vocabulary occurs, per unit or group.

    Parameters
    ----------
    tokens : Tokens (or a Corpus, segmented with the default Tokenizer, or token lists)
    dictionary : "five_connectivities" (default: policy coordination, facilities, trade,
        finance and people-to-people bonds), "sectors", a path to a ``term<TAB>category``
        file or a dict ``{category: [terms]}``.
    by : str, optional
        Metadata column to group units by; None gives one row per unit and category.
        ``by="decade"``: decades of the ``year`` column (1950 for 1950-1959), unless
        there is a ``decade`` column (README, "Decades"). Labels are compared as written; two naming one place (浙江, 浙江省) are
        named in a warning (README, "One place written two ways").
    normalize : {"per_10k", "share", None}
        ``per_10k``: matches per 10,000 tokens of the unit/group; ``share``: share of the
        unit's/group's dictionary matches (categories sum to 1); None: counts only.
    n_boot, ci, random_state
        Bootstrap confidence intervals (level ``ci``; expanded percentile over documents,
        docs/STATISTICS.md) within each group; needs ``by``. ``random_state`` (default 0,
        recorded in ``attrs``): another int draws other resamples, None fresh randomness
        (docs/STATISTICS.md, "Seeds"). A category with no match in a group gets [0, upper],
        the Clopper-Pearson bound for 0 of n, not the bootstrap's [0, 0]: for a share n is
        the group's documents with a match (0 of 3 documents: [0, 0.71]; its units under
        ``"unit"``), for ``per_10k`` its tokens (about 3.7 matches), as in
        :func:`bri_text.term_trends` (``attrs["zero_interval"]``,
        ``attrs["n_zero_intervals"]``; why documents: docs/STATISTICS.md, "Zero counts").
    resample : {"two-stage", "document", "unit"}
        What the bootstrap draws (docs/STATISTICS.md): ``"two-stage"`` (default) documents
        of the group, then paragraphs within each drawn document, so the interval says how
        much the figure depends on which texts the group happens to have; a group with a
        single document gets no interval (NaN, one warning naming such groups).
        ``"document"``: whole documents. ``"unit"``: paragraphs as if independent, a
        within-document interval (how much the figure depends on which paragraphs one
        text has), labelled so in the ``interval`` column.

    Matching: an entry counts once wherever consecutive tokens spell it, in canonical or
    written form, so an entry the tokenizer splits in two (``跨境电商`` -> ``跨境`` +
    ``电商``) is still found; overlapping matches are resolved leftmost-longest and every
    token counts at most once. A dash compound kept as one token (``中国—东盟``) that is not
    an entry itself is matched part by part (``东盟``). A negation the tokenizer joined to
    an entry (``非东盟国家``, ``不平衡``; ``Tokenizer(join_negation=True)``, the default) is a
    token of its own and no match, as in :func:`bri_text.dtm`; with ``join_negation=False``
    the negation is dropped and the entry counts (docs/STATISTICS.md, "Negations"). An
    entry the tokenizer cut inside a
    word (大数据 in 大/数据分析) is found in the text, by the rule of :func:`bri_text.term_trends`
    (it begins or ends on a token boundary); ``attrs["split"]`` counts, per entry, the
    matches the tokenizer split (both kinds). An entry inside a longer word of the general
    dictionary is no match (俄罗斯 in 俄罗斯远东地区, as in :func:`bri_text.term_trends`):
    ``attrs["in_words"]`` lists such words per entry, and a dictionary of your own gets one
    warning naming the entries of which 5% or more of the occurrences are there (add the
    words to the entry's category to count them). A term listed under two categories raises
    MetadataError.

    compounds : bool or {"ends", "inside"}, optional
        Count an entry inside a longer token as one mention: at its start or end (国际贸易 for
        贸易, 保险业 for 保险; both when a token begins with one entry and ends with another)
        and, with ``"inside"``, in its middle too (中国（浙江）自由贸易试验区 for 贸易,
        交通运输业 for 交通 and 运输), except where the entry sits in a word of
        ``lexicons/compound_exceptions.tsv``, alone or inside a longer token (养老保险 and
        养老保险金 are no mention of 保险) and after a joined negation (非金融, 没有市场).
        ``attrs["in_compounds"]`` lists the words counted so (and the names the tokenizer
        keeps whole that are cut into the entries they hold, 中国—东盟博览会 for 东盟, under
        either rule), ``attrs["mid_word"]`` those of them that hold the entry in the middle, ``attrs["in_words"]`` the rest;
        ``attrs["compounds"]`` is False, "ends" or "inside". True means ``"inside"``
        (``"ends"`` is the rule of session 40). False: whole tokens only, also inside the
        names the tokenizer keeps whole (东盟 in 中国—东盟博览会 or 东盟信息港 is no match, and
        ``attrs["in_words"]`` lists the words; a dash still separates words: 卢森堡 in
        郑州—卢森堡 counts). None (default): True for ``"five_connectivities"`` and
        ``"sectors"`` (judged on the built-in corpora: 98-99% of the mentions inside words
        found; benchmarks/DICTIONARY_WORDS.md); for your own dictionary whole tokens and the
        entries inside those names (a lexicon term: 中国—东盟博览会 is a mention of 东盟), no
        other compounds (``attrs["compounds"]`` False).

    Returns a long table: ``group`` (or ``doc_id``), ``category``, ``count``, ``n_tokens``,
    with ``by`` ``n_units`` and ``n_docs`` (documents = ``parent_id`` of the units), then
    ``per_10k`` or ``share`` and, with ``n_boot``, ``ci_low``, ``ci_high``, ``n_failed``
    (replicates that could not be computed; more than 10% gives NaN) and ``interval``
    ("between-document"; with two documents "between-document (2 documents: covers less
    often than its nominal level ...)"; "within-document" or "none: ..."); ``attrs``
    records the scheme (``resample``) and the interval method. Pivot it with ``df.pivot(index="group", columns="category",
    values="per_10k")``.

    >>> p = profile([["铁路", "港口", "贸易"], ["贸易", "合作"]],
    ...             {"transport": ["铁路", "港口"], "trade": ["贸易"]})
    >>> p[["doc_id", "category", "count"]].values.tolist()
    [['doc0', 'transport', 2], ['doc0', 'trade', 1], ['doc1', 'transport', 0], ['doc1', 'trade', 1]]
    >>> p["per_10k"].round(1).tolist()              # 2 of doc0's 3 tokens are transport
    [6666.7, 3333.3, 0.0, 5000.0]
    """
    if normalize not in _NORMALIZE:
        raise ParameterError(f"normalize must be one of {_NORMALIZE}, got {normalize!r}")
    _stats.check_interval_args(n_boot, ci, resample)
    if n_boot and by is None:
        raise ParameterError("n_boot needs by=: intervals come from resampling the units of "
                             "each group")
    index, cats, what = _profile_lexicon(dictionary)
    builtin = isinstance(dictionary, str) and dictionary in ("five_connectivities", "sectors")
    compounds = _compounds_rule(compounds, dictionary if builtin else None, index)
    in_words: dict = {}
    docs, counts, n_tok, split = _count_matrix(tokens, index, len(cats), in_words, compounds)
    counted = in_words.pop("\0", {})
    in_words = _profile_notes(dictionary, in_words, int(counts.sum()), int(n_tok.sum()))
    if not builtin:
        _warn_absent(cats, counts.sum(axis=0), len(docs))
    K = len(cats)
    if by is None:
        G = len(docs)
        out = pd.DataFrame({"doc_id": np.repeat(docs["doc_id"].to_numpy(dtype=object), K),
                            "category": np.tile(np.asarray(cats, dtype=object), G),
                            "count": counts.ravel(), "n_tokens": np.repeat(n_tok, K)})
        if normalize is not None:
            out[normalize] = _values(counts, n_tok, normalize).ravel()
        out.attrs.update(dictionary=what, normalize=normalize, n_boot=0, ci=ci,
                         split=split, in_words=in_words,
                         compounds=_compounds_attr(compounds), in_compounds=counted,
                         mid_word=_mid_word(counted))
        return out
    rng = check_random_state(random_state) if n_boot else None
    res, iv = _grouped(counts, n_tok, docs, by, normalize, n_boot, ci, resample, rng,
                       "profile")
    out = _profile_table(res, cats, normalize)
    out.attrs.update(dictionary=what, normalize=normalize, n_boot=int(n_boot), ci=ci,
                     split=split, in_words=in_words,
                     compounds=_compounds_attr(compounds), in_compounds=counted,
                     mid_word=_mid_word(counted),
                     random_state=seed_record(random_state) if n_boot else None)
    if iv is not None:
        _add_intervals(out, res, iv, K)
        iv.warn("profile")
    return out


# =========================================================================== orientation
def _orientation_dictionary(level: str) -> tuple[dict, list]:
    """({area: gazetteer terms}, areas) for ``level``; the last key, "", holds the places
    with no value at this level (matched, so they are not read as parts of other names,
    but not counted)."""
    from .._lexicons import CORRIDORS, load_gazetteer

    gaz = load_gazetteer()
    values = gaz[level].fillna("").astype(str).str.strip()
    areas = sorted(v for v in values.unique() if v)
    dictionary = {a: gaz.loc[values == a, "term"].tolist() for a in areas}
    if level == "corridor":                   # a corridor named outright is a mention of it
        known = set(gaz["term"])
        for name in CORRIDORS:
            if name in dictionary and name not in known:
                dictionary[name].append(name)
    dictionary[""] = gaz.loc[values == "", "term"].tolist()
    return dictionary, areas


#: Fewer place mentions than this mark a group's shares as resting on few mentions.
MIN_MENTIONS = 20


def _orientation_table(res: dict, areas: list, level: str, iv=None,
                       min_mentions: int = MIN_MENTIONS) -> pd.DataFrame:
    """The orientation table from per-group sums over ``areas`` (``labels, sums, n_units,
    n_docs`` and, with ``iv``, the intervals); also what the Dask path reduces to."""
    labels, sums = res["labels"], res["sums"]
    G, K = sums.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = sums / sums.sum(axis=1, keepdims=True)
    out = pd.DataFrame({"group": np.repeat(np.asarray(labels, dtype=object), K),
                        level: np.tile(np.asarray(areas, dtype=object), G),
                        "count": sums.ravel(), "share": shares.ravel(),
                        "n_mentions": np.repeat(sums.sum(axis=1), K),
                        "few_mentions": np.repeat(sums.sum(axis=1) < min_mentions, K),
                        "n_units": np.repeat(res["n_units"], K),
                        "n_docs": np.repeat(res["n_docs"], K),
                        "_g": np.repeat(np.arange(G), K)})
    if iv is not None:
        _add_intervals(out, res, iv, K)
        iv.warn("orientation")
    empty = [labels[g] for g in range(G) if sums[g].sum() == 0]
    if empty:
        warnings.warn(f"orientation: no place names found for group(s) {empty[:5]}; their "
                      "shares are NaN", stacklevel=3)
    few = [f"{labels[g]} (n={int(sums[g].sum())})" for g in range(G)
           if 0 < sums[g].sum() < min_mentions]
    if few:
        warnings.warn(f"orientation: the shares of group(s) {few[:10]} rest on fewer than "
                      f"min_mentions={min_mentions} place mentions (few_mentions=True): one "
                      "more or fewer mention moves them by several points; read them as "
                      "counts, not as findings", stacklevel=3)
    out.attrs["min_mentions"] = int(min_mentions)
    attrs = dict(out.attrs)
    out = out.sort_values(["_g", "share", level], ascending=[True, False, True],
                          kind="mergesort", na_position="last")
    out = out.drop(columns="_g").reset_index(drop=True)
    out.attrs.update(attrs)
    return out


def _places_name(places) -> str:
    """How the page and ``attrs["places"]`` name a list of places."""
    if places is None:
        return "gazetteer"
    if isinstance(places, (str, os.PathLike)):
        return os.fspath(places)
    return "own list (a table)" if isinstance(places, pd.DataFrame) else "own list (a dict)"


def _orientation_lexicon(geography, places):
    """(the table's region column, term -> category index, categories, regions, the
    in-words warning's advice) of :func:`orientation`'s ``geography`` / ``places``: one
    reading for the in-memory and the Dask path. The categories are the regions and, for
    the gazetteer, last, "": its places with no value at this level (matched, so they are
    not read as parts of other names, but not counted)."""
    if places is not None:
        if geography is not None:
            raise ParameterError(
                f"geography={geography!r} chooses a column of the built-in gazetteer; with "
                "places= the regions are the categories of your list (leave geography out)")
        dictionary = _load_dictionary(places, "places")
        index, areas = _term_index(dictionary, f"places {_places_name(places)}")
        return "region", index, areas, areas, None
    geography = "world_region" if geography is None else geography
    if geography not in _LEVELS:
        raise ParameterError(f"geography must be one of {_LEVELS}, got {geography!r}")
    dictionary, areas = _orientation_dictionary(geography)
    index, cats = _term_index(dictionary, "gazetteer")
    return geography, index, cats, areas, (
        "read them with kwic (内蒙古 is no mention of 蒙古, 俄罗斯远东地区 is one of 俄罗斯), and "
        "count the places you need with orientation(tokens, places={region: [words]})")


@renamed_parameters("0.4.0", level="geography")
def orientation(tokens, by=None, geography: str | None = None, n_boot: int = 0,
                ci: float = 0.95, random_state=0, resample: str = "two-stage",
                min_mentions: int = MIN_MENTIONS, places=None,
                compounds: bool | None = None) -> pd.DataFrame:
    """Geographic focus of each group: shares of place mentions per world region,
    continent or economic corridor, from the built-in gazetteer, or per region of your own
    list of places (``places=``).

    ``places``: your own places and the regions they count for, in the format of a
    :func:`profile` dictionary: a ``term<TAB>region`` file (or a ``.csv`` of
    ``term,region``; UTF-8 or GBK), a table with columns ``term`` and ``category`` or a
    dict ``{region: [terms]}``. Its regions replace the gazetteer's (the column is then
    ``region`` and ``attrs["places"]`` names the list; ``geography=`` is for the
    gazetteer only), and every term counts, matched as the gazetteer's are. Shares are of
    the mentions of your list: ``profile(tokens, places, by=..., normalize="share")``
    gives the same shares, without ``few_mentions``. Default (None): the gazetteer
    (``bri_text/lexicons/gazetteer.tsv``).

    Every gazetteer term (country, grouping such as 东盟 / 中亚, city, port) found in the
    tokens is one mention of its ``geography`` value (``"world_region"``, the default,
    ``"continent"`` or ``"corridor"``; ``level=``, its name before 0.4.0, a name that
    meant unit or document elsewhere, is an error since 0.5.0), matched like
    :func:`profile` (multi-token names too, leftmost-longest). Places without a value at
    this level (e.g. a country on no corridor, for ``geography="corridor"``) are matched but
    not counted. At the corridor level
    the six corridors' own names (``中国—中亚—西亚经济走廊``) count as mentions too. A place
    name inside a longer lexicon token counts (``东盟`` in ``中国—东盟博览会``, ``卢森堡`` in
    ``郑州—卢森堡``; but for the dash, not with ``compounds=False``); a place name that is itself a gazetteer entry stays whole (东盟国家 is
    one mention of 东南亚, 印度尼西亚 is not one of 印度). A negated name (``非东盟国家``,
    the countries outside ASEAN, one token with the default ``join_negation=True``) is no
    mention, as in :func:`bri_text.dtm` and :func:`profile` (docs/STATISTICS.md, "Negations").
    Nor is a place name inside a longer word of the general dictionary (蒙古 in 内蒙古, but
    also 俄罗斯 in 俄罗斯远东地区 with ``compounds=False``): ``attrs["in_words"]`` lists them,
    with one warning when they are 5% or more of a name's occurrences. ``compounds``, as in
    :func:`profile`: a place name at either end of a longer word counts (美国政府, 俄罗斯远东地区),
    except the exceptions (内蒙古, 印度洋, 印度支那, also inside longer words: 印度洋地区);
    None (default) is True for the gazetteer; for ``places=`` whole tokens and the names
    inside lexicon terms (东盟 in 中国—东盟博览会). False: whole tokens only (a dash still
    separates words: 卢森堡 in 郑州—卢森堡 counts). True means ``"ends"``
    here: a place name in the middle of a word was no mention in the judged texts (内蒙古自治区,
    西南非洲); ``compounds="inside"`` counts it as :func:`profile` does.

    Returns a long table: ``group``, the level (``world_region`` / ``continent`` /
    ``corridor``; ``region`` with ``places=``), ``count``, ``share`` (of the group's counted mentions), ``n_mentions``,
    ``few_mentions`` (True when the shares rest on fewer than ``min_mentions`` mentions,
    default 20: with 6 mentions one more mention moves a share by up to 14 points; such
    groups get one warning and a hatched row in :func:`bri_text.plot.orientation`),
    ``n_units``, ``n_docs``, and with ``n_boot`` the bootstrap interval ``ci_low``,
    ``ci_high`` of the share (a region a group never names: [0, upper], the
    Clopper-Pearson bound for 0 of the group's documents with a place mention, 0 of 6:
    [0, 0.46], not the bootstrap's [0, 0]; ``attrs["zero_interval"]``,
    ``attrs["n_zero_intervals"]``), ``n_failed`` (failed replicates: bootstrap resamples that
    drew no place mention at all, so they have no share) and ``interval``. ``resample`` chooses what the
    bootstrap draws, as in :func:`profile`: by default (``"two-stage"``) documents, then
    paragraphs within them, so a group with one document gets no interval (NaN, one
    warning); ``resample="unit"`` gives it a within-document interval. A replicate that
    draws no place mention has no share: such replicates are counted in ``n_failed``, and
    more than 10% of them give NaN (with a warning) rather than an interval computed from
    the rest. ``random_state`` (default 0, recorded in ``attrs``): another int draws other
    resamples, None fresh randomness (docs/STATISTICS.md, "Seeds"). Rows are ordered by group (first appearance), then
    share (descending): the first row of a group is its leading region. ``by=None`` (the
    default since 0.3.0; ``"region"`` before) gives one group per unit (``doc_id``), as in
    :func:`profile` and every other function with ``by=``; ``by="decade"`` groups by the
    decades of ``year`` as there (README, "Decades").

    >>> import bri_text as bt
    >>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃"])
    >>> tokens = bt.tokenize(plans.reshape("paragraph"))
    >>> ori = orientation(tokens, by="region", n_boot=200, random_state=0, resample="unit")
    >>> lead = ori.groupby("group").head(1)[["group", "world_region", "share", "n_mentions"]]
    >>> lead.round(2).values.tolist()
    [['广西', '东南亚', 0.97, 188], ['甘肃', '西亚', 0.5, 6]]
    >>> own = orientation(tokens, by="region", places={"东盟": ["东盟", "东盟国家", "越南"],
    ...                                                "中亚": ["中亚", "哈萨克斯坦"]})
    >>> own[["group", "region", "count"]].values.tolist()[:2], own.attrs["places"]
    ([['广西', '东盟', 130], ['广西', '中亚', 1]], 'own list (a dict)')
    """
    level, index, cats, areas, advice = _orientation_lexicon(geography, places)
    _stats.check_interval_args(n_boot, ci, resample)
    compounds = _compounds_rule(compounds, "gazetteer" if places is None else None, index,
                                default="ends")
    in_words: dict = {}
    docs, counts, n_tok, split = _count_matrix(tokens, index, len(cats), in_words, compounds)
    counted = in_words.pop("\0", {})
    in_words = _warn_in_words("orientation", in_words, advice=advice,
                              known=getattr(compounds, "exceptions", ()))
    counts = counts[:, :len(areas)]           # drop the "no value at this level" column
    compared = by is not None
    if by is None:
        by = docs["doc_id"]
    rng = check_random_state(random_state) if n_boot else None
    res, iv = _grouped(counts, n_tok, docs, by, "share", n_boot, ci, resample, rng,
                       "orientation", compared=compared)
    min_mentions = check_scalar(min_mentions, "min_mentions", min_val=0)
    out = _orientation_table(res, areas, level, iv, min_mentions)
    out.attrs.update(geography=level, places=_places_name(places), n_boot=int(n_boot),
                     ci=ci, split=split, in_words=in_words,
                     compounds=_compounds_attr(compounds), in_compounds=counted,
                     mid_word=_mid_word(counted),
                     random_state=seed_record(random_state) if n_boot else None)
    return out
