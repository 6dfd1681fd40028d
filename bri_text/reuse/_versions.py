"""How a local version rewrote a source text (:func:`compare_versions`, :func:`reinvention`,
:func:`versions_html`): clauses aligned regardless of their order, each kept, changed,
dropped or added.

How:

1. both texts are cut into clauses (the numbered provisions of the package's clause
   splitter, ``Corpus.reshape("clause")``; the number label - ``一、``, ``（二）``,
   ``第三条`` - is set aside, since local versions renumber);
2. each clause is normalised as for :func:`text_reuse` (punctuation, whitespace and digit
   values ignored) and its stock phrasing is marked: matches of the curated lexicon
   ``bri_text/lexicons/formulaic.tsv``, phrases given as ``stock=``, and - with a corpus of
   at least :data:`MIN_STOCK_DOCS` documents - every 10-character shingle found in more
   than ``max_df`` of the corpus' documents (longer than a word: the genre's vocabulary
   stays evidence, its set phrases do not). Two clauses match on what they share outside
   stock phrasing only, so shared set phrasing never makes them match;
3. every source clause is compared with every local clause (Indel similarity of the
   normalised texts, :mod:`rapidfuzz`, stock phrasing left out), and the pairs are chosen by an assignment that
   maximises the total similarity (Hungarian algorithm, ``scipy.optimize``), not by
   walking both texts in order: a clause moved to another place is found where it went;
4. the one-to-one pairs are extended to one-to-many: a local clause left over joins the
   source clause it continues (a clause split in two) and a source clause left over joins
   the local clause it was merged into, when that raises the pair's similarity by at least
   :data:`MIN_GAIN`;
5. a pair is ``kept`` when its normalised texts are identical or at least ``kept`` alike,
   else ``changed``; source clauses without a pair are ``dropped``, local clauses without
   one ``added``. A pair is ``moved`` when it is not on the longest run of pairs that keep
   the source order (the fewest clauses whose moving explains the new order);
6. the figures of each pair are compared apart from its similarity (numbers with their
   units and qualifiers, ``bri_text/reuse/_figures.py``): ``figures_changed`` and the
   changes, ``95%以上→98%以上``.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._clauses import _NOT_WORDING    # titles, dates, figures, punctuation (MIN_WORDING)
from .._util import check_scalar
from ..corpus import Corpus
from ..errors import EmptyDocumentError, MetadataError, ParameterError
from ._align import _Norm
from ._passages import _lexicon_flags

#: the columns of :func:`compare_versions`, always in this order
VERSIONS_COLUMNS = ["source_index", "source_clause", "source_text", "local_index",
                    "local_indices", "local_clause", "local_text", "status", "similarity",
                    "moved", "match", "char_diff", "substance", "figures_changed",
                    "n_figures_changed", "figures", "figures_direction"]

#: the columns of :func:`reinvention` (after the ``by`` column when one is given)
REINVENTION_COLUMNS = ["source", "local_doc", "n_source", "n_local", "kept", "changed",
                       "dropped", "added", "kept_rate", "changed_rate", "dropped_rate",
                       "added_rate", "changed_similarity", "moved_share", "figures_changed"]

#: default similarity at or above which a matched clause counts as ``kept``
KEPT = 0.95
#: default least similarity (stock phrasing left out) of a matched pair; below it a
#: source clause is ``dropped`` and a local clause ``added``
CHANGED = 0.5
#: least number of characters (stock phrasing left out) two clauses must have in common
#: to match, unless identical: short clauses of a genre share words by chance; a clause
#: with fewer characters than this outside stock phrasing is not of substance
MIN_COMMON = 8
#: least number of characters of wording (digits and figures, dates such as 2016年6月21日,
#: titles in 《》 and punctuation left out) for a clause to match another that is not
#: identical to it digit for digit: below it (a date line, a bare 附件 line, a figure) there
#: are not two words of text, and ignoring digit values would make any two dates "kept"
MIN_WORDING = 4
#: least rise in similarity for which a left-over clause joins a pair (one-to-many)
MIN_GAIN = 0.05
#: a clause in a pair of its own leaves it for a one-to-many pair only when the other side
#: contains at least this share of its characters (stock phrasing left out) ...
CONTAINED = 0.8
#: ... and that share exceeds its own pair's similarity by this much
STEAL_MARGIN = 0.25
#: stock shingles are counted in a corpus of at least this many documents
MIN_STOCK_DOCS = 5
#: shingle length (normalised characters) of the corpus-wide stock phrasing: longer than
#: a word, so the genre's common vocabulary stays evidence and set phrases do not
_K = 10
_UNITS = ("clause", "paragraph", "sentence")
_AFTER_LABEL = " \t\u3000，,、：:.．"
# punctuation and whitespace: what a clause identical "digit for digit" may differ in
_NOT_TEXT = re.compile(r"[^\w]|_")
# a run-in heading's words: one phrase, no punctuation inside (（一）重大意义。推进……)
_PHRASE = re.compile(r"[^\W_]+[。：:]?")

# a clause number at the start of a paragraph: 第三条 / 一、 / （二） / 3. / ①
_LABEL = re.compile(r"\s*(?:第[一二三四五六七八九十百零〇两\d]+[章节条款部分篇]"
                    r"|[一二三四五六七八九十百]+[、.．]"
                    r"|[（(][一二三四五六七八九十百\d]+[）)]"
                    r"|\d+(?:[、．)）]|\.(?!\d))"
                    r"|[①-⑳])\s*")


# ---------------------------------------------------------------------- clauses
def _clause_bounds(text: str, unit: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, number label, is heading) of each clause of ``text``: the only place
    that cuts. Clauses are the numbered provisions of :func:`bri_text._clauses.clause_spans`
    (headings and unnumbered paragraphs included, label ``""``); ``"paragraph"`` and
    ``"sentence"`` cut lines or sentences and take a leading number as the label. A heading
    is a clause the splitter marks ``is_heading`` (a numbered line with no sentence of its
    own over the clauses under it: ``一、总体要求``), or, by sentence, the first sentence of
    a numbered clause that is one phrase run in before its text (``（一）重大意义。推进……``).
    """
    from .. import _units
    from .._clauses import clause_spans

    spans = clause_spans(text)
    if unit == "clause":
        return [(s, e, info["clause"], bool(info["is_heading"])) for s, e, info in spans]
    starts = {s: (e, info) for s, e, info in spans}
    bounds = _units.sentence_bounds(text) if unit == "sentence" else \
        _units.paragraph_bounds(text)
    out = []
    for s, e in bounds:
        m = _LABEL.match(text, s, e)
        label = m.group(0).strip() if m and m.end() < e else ""
        heading = False
        if label and s in starts:
            end, info = starts[s]
            heading = bool(info["is_heading"]) or (
                end > e and _PHRASE.fullmatch(text[m.end():e].strip()) is not None)
        out.append((s, e, label, heading))
    return out


class _Clauses:
    """A text cut into clauses: labels, bodies (label removed), normalised bodies, per
    normalised character whether it belongs to stock phrasing; and per clause whether it
    is a heading, too short in wording to match unless identical digit for digit
    (:data:`MIN_WORDING`; ``exact`` is its text without punctuation, digits kept) and of
    substance (none of these, not the document's ``title`` line, and :data:`MIN_COMMON`
    characters outside stock phrasing)."""

    def __init__(self, text: str, unit: str, stock: tuple, lexicon: bool = True,
                 title: str = ""):
        hashes, phrases = stock
        self.labels, self.bodies, self.norm, self.stock = [], [], [], []
        self.heading, self.short, self.exact = [], [], []
        for s, e, label, heading in _clause_bounds(text, unit):
            body = text[s:e]
            if label and label in body[:len(label) + 4]:
                body = body[body.index(label) + len(label):].lstrip(_AFTER_LABEL)
            n = _Norm(body, _K)
            full = n.text(0, len(n.codes))
            mask = np.zeros(len(n.codes), dtype=bool)
            if len(hashes) and len(n.hashes):
                hit = np.flatnonzero(np.isin(n.hashes, hashes, assume_unique=False))
                for j in range(_K):
                    mask[hit + j] = True
            for p in phrases:
                start = full.find(p)
                while start >= 0:
                    mask[start:start + len(p)] = True
                    start = full.find(p, start + 1)
            if lexicon and len(n.codes):
                mask |= _lexicon_flags(body, n, 0, len(body), 0, len(n.codes))
            self.labels.append(label)
            self.bodies.append(body)
            self.norm.append(full)
            self.stock.append(mask)
            self.heading.append(heading)
            self.short.append(len(_NOT_WORDING.sub("", body)) < MIN_WORDING)
            self.exact.append(_NOT_TEXT.sub("", body))
        title = title.strip() if isinstance(title, str) else ""
        self.substance = [not (h or sh) and int((~m).sum()) >= MIN_COMMON
                          and not (title and b.strip() == title)
                          for h, sh, m, b in zip(self.heading, self.short, self.stock,
                                                 self.bodies)]

    def __len__(self) -> int:
        return len(self.bodies)


def _stock_shingles(texts, max_df: float, phrases=()) -> tuple[np.ndarray, tuple]:
    """Stock phrasing: the hashes of the shingles in more than ``max_df`` of ``texts`` (when
    there are at least :data:`MIN_STOCK_DOCS` of them), and the ``phrases`` normalised."""
    found = np.zeros(0, dtype=np.uint64)
    if len(texts) >= MIN_STOCK_DOCS:
        from .._util import fingerprint

        found = _corpus_stock(fingerprint(texts), tuple(texts), max_df)
    norm = (_Norm(str(p), _K) for p in phrases)
    return found, tuple(t for t in (n.text(0, len(n.codes)) for n in norm) if t)


_STOCK_CACHE: dict = {}


def _corpus_stock(key: str, texts: tuple, max_df: float) -> np.ndarray:
    """Shingles in more than ``max_df`` of ``texts``; the last few corpora are remembered
    (by a fingerprint of their texts), so comparing many pairs of one corpus counts once."""
    if (key, max_df) not in _STOCK_CACHE:
        sets = [np.unique(_Norm(t, _K).hashes) for t in texts]
        h, df = np.unique(np.concatenate(sets), return_counts=True)
        if len(_STOCK_CACHE) >= 4:
            _STOCK_CACHE.pop(next(iter(_STOCK_CACHE)))
        _STOCK_CACHE[(key, max_df)] = h[df > max_df * len(texts)]
    return _STOCK_CACHE[(key, max_df)]


# ---------------------------------------------------------------------- alignment
def _lis(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of ``values``."""
    import bisect

    tails, tail_pos, prev = [], [], [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_pos.append(i)
        else:
            tails[k], tail_pos[k] = v, i
        prev[i] = tail_pos[k - 1] if k else -1
    out, i = set(), tail_pos[-1] if tail_pos else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


def _similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))


def _informative(a: str, b: str, stock_a: np.ndarray, stock_b: np.ndarray) -> tuple:
    """(characters in common, similarity) of two normalised clauses with stock phrasing left
    out: the characters of their Indel alignment that are stock on neither side, and twice
    that over the characters left on both sides (a character aligned with stock phrasing
    on the other side is left out too, so an edit inside a stock phrase on one side does
    not count as new text)."""
    from rapidfuzz.distance import Indel

    out_a, out_b, common = stock_a.copy(), stock_b.copy(), 0
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            sa, sb = slice(op.src_start, op.src_end), slice(op.dest_start, op.dest_end)
            either = stock_a[sa] | stock_b[sb]
            out_a[sa] = either
            out_b[sb] = either
            common += int((~either).sum())
    size = int((~out_a).sum() + (~out_b).sum())
    return common, (2 * common / size if size else 0.0)


def _pair_weights(src: _Clauses, loc: _Clauses, changed: float):
    """(similarity, weight, common): Indel similarity of every source x local pair of normalised
    clauses, and where the pair may match - identical, or at least ``changed`` alike with
    stock phrasing left out and at least :data:`MIN_COMMON` characters in common outside
    it - that similarity (stock left out), else 0; and those characters in common (0 for
    pairs less than ``changed / 2`` alike). Stock phrasing never makes a match."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    sim = cdist(src.norm, loc.norm, scorer=Indel.normalized_similarity, dtype=np.float64)
    weight, common = np.zeros_like(sim), np.zeros(sim.shape, dtype=np.int64)
    for i, j in zip(*np.nonzero(sim >= changed / 2)):  # stock may pull a pair down
        a, b = src.norm[i], loc.norm[j]
        if src.short[i] or loc.short[j]:    # a date, a figure, a bare 附件: exact or nothing
            if src.exact[i] == loc.exact[j]:
                weight[i, j], common[i, j] = 1.0, len(a)
            continue
        if a == b:
            weight[i, j], common[i, j] = 1.0, len(a)
            continue
        common[i, j], free_sim = _informative(a, b, src.stock[i], loc.stock[j])
        if common[i, j] >= MIN_COMMON and free_sim >= changed:
            weight[i, j] = free_sim
    return sim, weight, common


def _align(src: _Clauses, loc: _Clauses, changed: float) -> list[tuple[list, list, float]]:
    """Groups (source indices, local indices, similarity with stock phrasing left out):
    one-to-one pairs by assignment, then left-over clauses joined one-to-many."""
    from scipy.optimize import linear_sum_assignment

    n, m = len(src), len(loc)
    if not n or not m:
        return []
    sim, weight, common = _pair_weights(src, loc, changed)
    # among equally good pairs (repeated clauses) prefer the one nearest in relative order
    pos = np.abs(np.arange(n)[:, None] / max(n, 1) - np.arange(m)[None, :] / max(m, 1))
    rows, cols = linear_sum_assignment(-(weight - 1e-6 * pos * (weight > 0)))
    groups = [([int(r)], [int(c)], float(weight[r, c]))
              for r, c in zip(rows, cols) if weight[r, c] > 0]
    return _Joiner(src, loc, sim, common, groups).run()


class _Joiner:
    """Left-over clauses joined to the pairs they continue (one-to-many groups).

    A local clause continues a source clause split in two (or more), and a source clause
    was merged into a local one: a left-over clause joins a pair when it has MIN_COMMON
    characters in common with the other side outside stock phrasing (or, next to a clause
    of the pair, lies inside the other side: CONTAINED of its characters, stock phrasing
    included) and the pair grows more alike; a clause already in a pair of its own leaves
    it only for a clause that contains it (CONTAINED of its characters) far better
    (STEAL_MARGIN) than its own pair is alike."""

    def __init__(self, src: _Clauses, loc: _Clauses, sim, common, groups: list):
        self.src, self.loc, self.sim, self.common, self.groups = src, loc, sim, common, groups
        self.free = (np.array([int((~k).sum()) for k in src.stock]),
                     np.array([int((~k).sum()) for k in loc.stock]))
        self.size = (np.array([len(t) for t in src.norm]), np.array([len(t) for t in loc.norm]))

    def group_sim(self, rs, cs) -> tuple:
        """:func:`_informative` of the source clauses rs joined and the local clauses cs."""
        src, loc = self.src, self.loc
        rs, cs = sorted(rs), sorted(cs)
        return _informative("".join(src.norm[r] for r in rs), "".join(loc.norm[c] for c in cs),
                            np.concatenate([src.stock[r] for r in rs]),
                            np.concatenate([loc.stock[c] for c in cs]))

    def contained(self, r, c, side) -> bool:
        """Whether the piece (local c on side 1, or source r) lies inside the other side."""
        size = self.size
        lcs = self.sim[r, c] * (size[0][r] + size[1][c]) / 2
        return lcs >= CONTAINED * (size[1][c] if side else size[0][r])

    def may_join(self, x, side, own, g) -> bool:
        """Whether clause x of ``side`` (in group ``own``, or None) may join group g."""
        r, c = (g[0][0], x) if side else (x, g[1][0])
        if self.src.short[r] or self.loc.short[c]:
            return False
        shared = self.common[r, c]
        beside = own is None and any(abs(y - x) == 1 for y in g[side])
        if shared < MIN_COMMON and not (beside and self.contained(r, c, side)):
            return False
        return own is None or not shared / max(1, self.free[side][x]) < max(
            CONTAINED, self.groups[own][2] + STEAL_MARGIN)

    def best(self, x, side, own):
        """(group index, grown group, similarity) that clause x joins best, or None."""
        best, gain = None, MIN_GAIN
        for k, g in enumerate(self.groups):
            if k == own or len(g[1 - side]) != 1 or not self.may_join(x, side, own, g):
                continue
            grown = (g[0], g[1] + [x]) if side else (g[0] + [x], g[1])
            s = self.group_sim(*grown)[1]
            if s - g[2] >= gain:
                best, gain = (k, grown, s), s - g[2]
        return best

    def run(self) -> list:
        """The groups, left-over local clauses joined first, then source clauses."""
        groups = self.groups
        for side in (1, 0):
            for x in range(len(self.loc) if side else len(self.src)):
                own = next((k for k, g in enumerate(groups) if x in g[side]), None)
                if own is not None and len(groups[own][0]) + len(groups[own][1]) > 2:
                    continue
                best = self.best(x, side, own)
                if best is not None:
                    k, (rs, cs), s = best
                    groups[k] = (sorted(rs), sorted(cs), s)
                    if own is not None:
                        groups.pop(own)
        return groups


def _inline_diff(a: str, b: str) -> str:
    """``a`` rewritten into ``b``: deletions as ``[-...-]``, insertions as ``{+...+}``.

    >>> _inline_diff("加强设施联通", "加快设施互联互通")
    '加[-强-]{+快+}设施{+互+}联{+互+}通'
    """
    out = []
    for tag, a0, a1, b0, b1 in _opcodes(a, b):
        if tag == "equal":
            out.append(a[a0:a1])
            continue
        if a1 > a0:
            out.append(f"[-{a[a0:a1]}-]")
        if b1 > b0:
            out.append(f"{{+{b[b0:b1]}+}}")
    return "".join(out)


def _opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    from rapidfuzz.distance import Levenshtein

    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(a, b)]


# ---------------------------------------------------------------------- public API
def _check_thresholds(kept, changed, max_df) -> None:
    check_scalar(kept, "kept", "real", min_val=0, max_val=1, include_min=False)
    check_scalar(changed, "changed", "real", min_val=0, max_val=1, include_min=False)
    if changed > kept:
        raise ParameterError(f"changed ({changed}) must not exceed kept ({kept})")
    check_scalar(max_df, "max_df", "real", min_val=0, max_val=1, include_min=False)


def _doc_text(corpus: Corpus, doc_id, param: str) -> str:
    if not isinstance(doc_id, str):
        raise ParameterError(f"{param} must be a doc_id (a string) when corpus is given, got "
                             f"{type(doc_id).__name__}")
    if doc_id not in corpus.doc_ids:
        import difflib

        close = difflib.get_close_matches(doc_id, corpus.doc_ids, n=3)
        raise MetadataError(f"{param}={doc_id!r} is not a doc_id of the corpus"
                            + (f"; did you mean {close}?" if close else ""))
    return corpus.texts[corpus.doc_ids.index(doc_id)]


def _matched(src: _Clauses, loc: _Clauses, groups, kept: float) -> dict:
    """source index -> (local indices, status, similarity, moved, match, char_diff, figures
    changed, how many, as text, directions) of the source clauses in a group."""
    from ._figures import changes_text, directions_text, figure_changes

    groups = sorted(groups, key=lambda g: g[0][0])
    on_order = _lis([g[1][0] for g in groups])
    of_source = {}
    for k, (rs, cs, _) in enumerate(groups):
        a = "".join(src.norm[r] for r in rs)
        b = "".join(loc.norm[c] for c in cs)
        sim = round(_similarity(a, b), 4)
        status = "kept" if a == b or sim >= kept else "changed"
        body_a = "".join(src.bodies[r] for r in rs)
        body_b = "".join(loc.bodies[c] for c in cs)
        match = "1:1" if len(rs) == len(cs) == 1 else ("1:n" if len(rs) == 1 else "n:1")
        changes, n_fig, _, _ = figure_changes(body_a, body_b) if body_a != body_b \
            else ([], 0, [], [])
        figs = (n_fig > 0, n_fig, changes_text(changes), directions_text(changes))
        for r in rs:
            of_source[r] = (cs, status, sim, k not in on_order, match,
                            _inline_diff(body_a, body_b) if body_a != body_b else "", *figs)
    return of_source


def _versions_frame(src: _Clauses, loc: _Clauses, groups, kept: float) -> pd.DataFrame:
    """The :func:`compare_versions` table of the groups: source clauses in order, then the
    added local clauses."""
    of_source = _matched(src, loc, groups, kept)
    rows = []
    for r in range(len(src)):
        cs, status, sim, moved, match, diff, *figs = of_source.get(
            r, ([], "dropped", np.nan, False, "", "", False, 0, "", ""))
        rows.append((r, src.labels[r], src.bodies[r], cs[0] if cs else pd.NA, tuple(cs),
                     "、".join(loc.labels[c] for c in cs if loc.labels[c]),
                     "\n".join(loc.bodies[c] for c in cs), status, sim, moved, match, diff,
                     src.substance[r], *figs))
    matched = {c for cs, *_ in of_source.values() for c in cs}
    for c in range(len(loc)):
        if c not in matched:
            rows.append((pd.NA, "", "", c, (c,), loc.labels[c], loc.bodies[c], "added",
                         np.nan, False, "", "", loc.substance[c], False, 0, "", ""))
    out = pd.DataFrame(rows, columns=VERSIONS_COLUMNS)
    return out.astype({"source_index": "Int64", "local_index": "Int64",
                       "similarity": "float64", "moved": "bool", "substance": "bool",
                       "figures_changed": "bool", "n_figures_changed": "int64"})


def compare_versions(source: str, local: str, corpus: Corpus | None = None, *,
                     unit: str = "clause", kept: float = KEPT, changed: float = CHANGED,
                     stock=None, max_df: float = 0.5) -> pd.DataFrame:
    """Align the clauses of a local version with those of its source, whatever their order.

    ``source`` and ``local`` are two texts, or - with ``corpus`` - two ``doc_id`` of it (the
    corpus then also tells which phrasing is stock: 10-character shingles found in more than
    ``max_df`` of its documents, when it has at least :data:`MIN_STOCK_DOCS`). ``unit``:
    ``"clause"`` (the numbered provisions of ``Corpus.reshape("clause")``, number labels
    set aside), ``"paragraph"`` or ``"sentence"`` (better for documents that rewrite within
    long paragraphs). ``stock``: more phrases (strings) that never count as evidence of a
    match, besides the curated lexicon ``bri_text/lexicons/formulaic.tsv``.

    One row per source clause (in source order), then one per added local clause (in local
    order); columns :data:`VERSIONS_COLUMNS`:

    - ``source_index`` / ``local_index``: 0-based clause positions (``local_index`` the
      first of ``local_indices`` when a source clause was split over several local ones);
      ``source_clause`` / ``local_clause`` the number labels; ``*_text`` the clause text
      without its label;
    - ``status``: ``kept`` (identical after normalisation, or ``similarity`` >= ``kept``,
      default 0.95), ``changed`` (matched, similarity below ``kept``), ``dropped`` (no
      local clause at least ``changed``, default 0.5, alike once stock phrasing is left
      out), ``added`` (a local clause matching no source clause);
    - ``similarity``: Indel similarity (0-1) of the normalised texts of the pair
      (punctuation and digit values ignored); ``match``: ``1:1``, ``1:n`` (split) or
      ``n:1`` (merged); ``moved``: the pair is off the longest run of pairs that keep the
      source order; ``char_diff``: the source text rewritten into the local one, deletions
      ``[-...-]``, insertions ``{+...+}`` (empty when the texts are equal).

    - ``figures_changed``: the pair states different figures (similarity ignores digit
      values, so a clause whose targets were rewritten can be ``kept``: a flag beside the
      status, not a status of its own); ``n_figures_changed`` how many (the larger of the
      two sides' counts of figures the other has not); ``figures`` the changes in order,
      ``"95%以上→98%以上; 50%→60%; 2030年→2027年"`` (``—`` for a figure on one side only;
      several of a kind that did not pair one to one are listed together,
      ``"5%、8%→10%"``); ``figures_direction`` how the figures that paired one to one
      changed: ``sign flipped`` when the verb before a figure turned (下降5%→增长3%,
      shown ``下降5%→增长3%``; 下降5%→增长5% is a change too), the change of limit when a
      floor or ceiling is involved (``floor→ceiling``: 增长5%以上→6%以内; ``floor→
      approximate``, ``exact→floor`` …), else which way the numbers moved, for
      percentages and points (``percent up``/``down``) and dates (``date earlier``/
      ``later``) only - the number's move, not a judgment of the target (压缩50%→60% and
      下降5%→下降8% are ``up``; 3%→4%左右 is ``up``: an approximate figure states a
      point). A figure is a number with its unit, range and qualifiers (``95%以上``,
      ``3%-5%``, ``2030年``, ``1000亿元``, ``140项``, ``不少于两次``; Chinese numerals only
      where they form a quantity), the sign of the verb just before it (增长/提高/增加 …
      a rise, 下降/降低/减少/压减 … a fall; a figure without a verb is the same as one
      with it) and its kind of limit (以上/不少于/不低于 a floor = ``95%以上`` is
      ``不低于95%``, 以内/以下/不超过 a ceiling, 左右/约 approximate); figures are compared
      as a multiset, so one moved within the clause is no change; ``""``/0/False for dropped
      and added rows; a split or merged pair's (``1:n``, ``n:1``) are the whole pair's,
      on each of its source rows. See ``bri_text/reuse/_figures.py``.
    - ``substance``: the clause (the source's; the local one for added rows) says
      something: it is no heading (``一、总体要求``, or a phrase run in before the text as
      in ``（一）重大意义。推进……``), not the document's title line (its ``title``
      metadata, with ``corpus``), no date, figure or bare 附件 line, and has at least
      :data:`MIN_COMMON` characters outside stock phrasing. Clauses without substance
      keep their status but are not counted: ``df.attrs`` counts ``kept``, ``changed``,
      ``dropped`` and ``added`` over clauses of substance (and ``without_substance``),
      as :func:`reinvention` does; ``t[t.substance].status.value_counts()`` gives them.

    A pair must also have at least :data:`MIN_COMMON` characters in common (identical
    clauses aside): two short clauses of the genre share words by chance. A clause with
    fewer than :data:`MIN_WORDING` (4) characters of wording once digits, dates
    (``2016年6月21日``), titles in 《》 and punctuation are left out matches only a clause
    identical to it digit for digit: ignoring digit values would make any two dates
    ``kept`` and a bare ``附件：《…》`` line a ``changed`` version of any title.
    ``df.attrs`` holds the thresholds, the unit and the counts (``figures_changed``: rows of
    substance whose figures changed). :func:`versions_html` shows the table side by side.

    >>> src = ("一、加强设施联通，建设国际物流通道。\\n二、扩大经贸合作。\\n三、推进产业园区建设。\\n"
    ...        "四、深化人文交流，举办文化年活动。")
    >>> loc = ("一、深化人文交流，举办文化年活动。\\n二、加快设施互联互通，建设国际物流通道。\\n"
    ...        "三、推进产业园区建设。\\n四、发展跨境电子商务。")
    >>> t = compare_versions(src, loc)
    >>> t[["source_index", "local_index", "status", "moved"]].values.tolist()
    [[0, 1, 'changed', False], [1, <NA>, 'dropped', False], [2, 2, 'kept', False], [3, 0, 'kept', True], [<NA>, 3, 'added', False]]
    >>> t.char_diff[0]
    '加[-强-]{+快+}设施{+互+}联{+互+}通，建设国际物流通道。'
    >>> t = compare_versions("一、到2030年，网上可办率达到95%以上。", "一、到2027年，网上可办率达到98%以上。")
    >>> t[["status", "figures", "figures_direction"]].values.tolist()
    [['kept', '2030年→2027年; 95%以上→98%以上', 'date earlier; percent up']]
    """
    _check_thresholds(kept, changed, max_df)
    if unit not in _UNITS:
        raise ParameterError(f"unit must be one of {_UNITS}, got {unit!r}")
    phrases = _stock_phrases(stock)
    if corpus is not None:
        if not isinstance(corpus, Corpus):
            raise ParameterError(f"corpus must be a bri_text Corpus, got "
                                 f"{type(corpus).__name__}")
        names = (source, local)
        texts = (_doc_text(corpus, source, "source"), _doc_text(corpus, local, "local"))
        titles = ("", "")
        if "title" in corpus.docs.columns:
            title = dict(zip(corpus.doc_ids, corpus.docs["title"]))
            titles = tuple("" if pd.isna(title[x]) else str(title[x]) for x in names)
        shingles = _stock_shingles(corpus.texts, max_df, phrases)
    else:
        for name, value in (("source", source), ("local", local)):
            if not isinstance(value, str):
                raise ParameterError(f"{name} must be a text (or, with corpus=, a doc_id), "
                                     f"got {type(value).__name__}")
        names, texts = ("source", "local"), (source, local)
        titles = ("", "")
        shingles = _stock_shingles((), max_df, phrases)
    for name, t in zip(names, texts):
        if not t.strip():
            raise EmptyDocumentError(f"{name!s} has no text to compare")
    src, loc = (_Clauses(t, unit, shingles, title=x) for t, x in zip(texts, titles))
    out = _versions_frame(src, loc, _align(src, loc, changed), kept)
    counts = out.loc[out.substance, "status"].value_counts()
    out.attrs.update({"source": names[0], "local": names[1], "source_title": titles[0],
                      "local_title": titles[1], "unit": unit, "kept_threshold": kept,
                      "changed_threshold": changed,
                      "max_df": max_df if corpus is not None else None,
                      "stock_shingles": len(shingles[0]), "n_source": len(src),
                      "n_local": len(loc), "min_common": MIN_COMMON,
                      "min_wording": MIN_WORDING,
                      "without_substance": int((~out.substance).sum()),
                      "figures_changed": int((out.substance & out.figures_changed).sum()),
                      **{s: int(counts.get(s, 0))
                         for s in ("kept", "changed", "dropped", "added")}})
    return out


def _stock_phrases(stock) -> tuple:
    if stock is None:
        return ()
    if isinstance(stock, str):
        stock = [stock]
    stock = tuple(stock)
    if not all(isinstance(p, str) for p in stock):
        raise ParameterError("stock must be a list of phrases (strings)")
    return stock
