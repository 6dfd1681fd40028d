"""Per-configuration engine state: the token vocabulary and the segmentation of texts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ._batch import _Batch, _object_array
from ._resources import _dash_runs, _make_engine, _posseg, _Resources
from ._text import (
    _MAX_PIECE,
    _NEGATIONS,
    _SEPARATORS,
    _has_word_char,
    _is_latin,
    _is_number,
    _opens_must,
    _starts_han,
    fold_variants,
)

if TYPE_CHECKING:
    from ._tokenizer import Tokenizer

import threading

import numpy as np


class _LazyWords:
    """The words of ``ids`` in a vocabulary table, read one at a time (no copy)."""

    __slots__ = ("word", "ids")

    def __init__(self, word, ids):
        self.word, self.ids = word, ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return self.word[self.ids[i]]


class _VocabTable:
    """Snapshot of a :class:`_Vocab`: ``index`` (piece -> id) and, per id, the ``word``,
    its ``tag`` (None for untagged pieces), ``length``, ``canon`` (canonical token, ""
    when the filters drop the piece), ``keep``, ``dash`` (the piece is ``—``), ``neg``
    (the piece is a negation such as 不 or 尚未) and ``head`` (a lexicon word that another
    one may overlap, :meth:`_State._overlap_fixes`)."""

    __slots__ = ("index", "word", "tag", "length", "canon", "keep", "dash", "neg", "head")

    def __init__(self, index, *arrays):
        self.index = index
        (self.word, self.tag, self.length, self.canon, self.keep, self.dash, self.neg,
         self.head) = arrays

    def grown(self, index, new: list, heads=frozenset()) -> "_VocabTable":
        """This table (emptied when ``index`` is a new dict) plus ``new`` (word, tag, canon);
        ``heads``: the words to flag ``head`` (a set or dict)."""
        k = len(self.word) if index is self.index else 0
        word = _object_array([w for w, _, _ in new])
        canon = _object_array([c for _, _, c in new])
        add = (word, _object_array([t for _, t, _ in new]),
               np.fromiter(map(len, word), dtype=np.int64, count=len(new)), canon,
               canon.astype(bool), word == "—",
               np.fromiter((w in _NEGATIONS for w in word), dtype=bool, count=len(new)),
               np.fromiter(map(heads.__contains__, word), dtype=bool, count=len(new)))
        old = (self.word, self.tag, self.length, self.canon, self.keep, self.dash, self.neg,
               self.head)
        return _VocabTable(index, *(np.concatenate([o[:k], a]) for o, a in zip(old, add)))


class _Vocab:
    """The pieces a tokenizer has met (a word, or a (word, tag) pair when tagging), each
    described once: filters, synonyms, tag filter.

    Arrays are never changed in place: growing builds new arrays, then publishes them
    before adding the new ids to the index, so a reader holding ids always finds them in
    the table it reads afterwards; within one index, tables only grow, so older ids stay
    valid. Past ``limit`` pieces it starts a new index (bounded memory on endless
    streams)."""

    def __init__(self, limit: int = 2_000_000, heads=frozenset()):
        self.limit = limit
        self.heads = heads
        self._lock = threading.Lock()
        e = np.empty(0, dtype=object)
        self.table = _VocabTable({}, e, e, np.empty(0, np.int64), e, np.empty(0, bool),
                                 np.empty(0, bool), np.empty(0, bool), np.empty(0, bool))

    def lookup(self, items: list, describe):
        """(ids as an int array, the table they index) for a list of pieces;
        ``describe(item)`` gives (word, tag, canonical token or "") for new pieces."""
        while True:
            index = self.table.index
            try:
                ids = np.fromiter(map(index.__getitem__, items), dtype=np.intp,
                                  count=len(items))
            except KeyError:
                self._add(items, describe)
                continue
            table = self.table
            if table.index is index:
                return ids, table

    def _add(self, items: list, describe) -> None:
        with self._lock:
            t = self.table
            index = t.index
            new = set(items).difference(index)
            if not new:
                return
            if len(index) + len(new) > self.limit:
                index = {}
                new = set(items)
            new = list(new)
            base = len(index) if index is t.index else 0
            self.table = t.grown(index, [describe(x) for x in new], self.heads)
            index.update(zip(new, range(base, base + len(new))))


def _starts_of(text: str, sub: str):
    """Where ``sub`` occurs in ``text`` (overlapping occurrences too)."""
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


def _join_dashes(pieces: list) -> list:
    """``pieces`` with dash compounds joined (中国 / — / 东盟 -> 中国—东盟), as
    :meth:`_State.piece_ids` joins them (:func:`_resources._dash_runs`)."""
    dashes = [i for i, w in enumerate(pieces) if w == "—"]
    runs = _dash_runs(pieces, range(len(pieces)), np.asarray(dashes, dtype=np.intp))
    if not runs:
        return pieces
    out, prev = [], 0
    for first, last, joined in runs:
        out += pieces[prev:first]
        out.append(joined)
        prev = last + 1
    return out + pieces[prev:]


class _State:
    """Resolved, unpicklable state of a Tokenizer (engines, filters, memo)."""

    def __init__(self, res: _Resources, engine: str, config: dict, key: str, pos):
        self.res = res
        self.engine_name = engine
        self.config = config
        self.key = key
        self.pos = pos
        self.pos_exact = None if pos is None else {p for p in pos if not p.endswith("*")}
        self.pos_prefix = () if pos is None else tuple(p[:-1] for p in pos if p.endswith("*"))
        self._engine = None
        self.vocab = _Vocab(heads=res.overlap_heads)
        self._canon: dict = {}  # piece -> canonical token or "" (for call)

    @property
    def engine(self):
        if self._engine is None:
            self._engine = _make_engine(self.engine_name, self.res.engine_words,
                                        self.res.words_key)
        return self._engine

    # -- segmentation of a (folded) string into contiguous pieces --------------------
    def _spans_of(self, view: str):
        """Yield (start, end, forced piece or None): engine stretches and forced pieces."""
        pos = 0
        for m in self.res.pieces.finditer(view):
            s, e = m.span()
            if s > pos:
                yield from self._long(view, pos, s)
            if m.lastgroup == "term":
                yield s, e, (m.group(), self.res.special.get(m.group(), "nz"))
            else:  # lone surrogates: one piece each
                for i in range(s, e):
                    yield i, i + 1, (view[i], "x")
            pos = e
        if pos < len(view):
            yield from self._long(view, pos, len(view))

    @staticmethod
    def _long(view, start, end):
        """Cut stretches longer than _MAX_PIECE at engine-neutral separators."""
        while end - start > _MAX_PIECE:
            cut = -1
            for m in _SEPARATORS.finditer(view, start + _MAX_PIECE // 2, start + _MAX_PIECE):
                cut = m.end()
            stop = cut if cut > start else start + _MAX_PIECE
            yield start, stop, None
            start = stop
        if end > start:
            yield start, end, None

    def pieces(self, view: str, tok: "Tokenizer", tagging: bool) -> list:
        """Accurate mode: the pieces of ``view``, words (or (word, tag) pairs when
        tagging) that cover it exactly, in order; dash compounds not joined yet, nor
        overlapping lexicon words settled (:meth:`_overlap_fixes`)."""
        hmm = bool(tok.hmm)
        items: list = []
        for s, e, forced in self._spans_of(view):
            if forced is not None:
                items.append(forced if tagging else forced[0])
            else:
                items.extend(self._cut(view[s:e], tagging, hmm))
        return items

    def _cut(self, piece: str, tagging: bool, hmm: bool) -> list:
        """The engine's words (or (word, tag) pairs) of one stretch, as a list."""
        eng = self.engine
        if self.engine_name == "rjieba":
            return eng.tag(piece, hmm) if tagging else eng.cut(piece, hmm)
        if tagging:
            return [(p.word, p.flag) for p in _posseg(eng).cut(piece, HMM=hmm)]
        return eng.lcut(piece, HMM=hmm)

    def _overlap_fixes(self, text: str, lengths, at, tagging: bool, hmm: bool) -> list:
        """Of two overlapping lexicon words, the one that begins first is kept whole.

        The engine decides between 数据 / 要素市场化配置 and 数据要素 / 市场化配置 by the
        frequencies the tokenizer chose for both terms, nearly a tie; so a term could lose
        its mentions to any term that overlaps it. When a piece is a lexicon word (a
        *head*, one of ``at``) and a lexicon word that ends inside it begins earlier on a
        piece boundary (a *tail*), the tail becomes one piece and the rest of the head is
        cut anew: 数据 / 要素市场化配置 -> 数据要素 / 市场化 / 配置 (leftmost, then longest,
        as a reader reads). Words given with a frequency of their own are neither heads
        nor tails (:func:`_resources._overlaps`).

        ``lengths``: the lengths of the pieces that cover ``text``; returns ``[(k, i,
        items)]``, ascending: pieces ``k..i`` are to be replaced by ``items``."""
        heads, tails, leads = self.res.overlap_heads, self.res.overlap_tails, \
            self.res.overlap_leads
        ends = np.cumsum(lengths)
        starts = ends - lengths
        fixes: list = []
        done = fixed = 0        # pieces before ``done`` and text before ``fixed`` settled
        for i, p, q in zip(at.tolist(), starts[at].tolist(), ends[at].tolist()):
            head = text[p:q]
            if not text.endswith(leads[head], 0, p):  # no tail's lead before this head
                continue
            for term, overlap in heads[head]:   # the earliest start first
                e = p + overlap
                s = e - len(term)
                if s < fixed or text[s:e] != term:
                    continue
                k = int(np.searchsorted(starts, s))
                if k < done or starts[k] != s:       # not on a piece boundary
                    continue
                fixes.append((k, i, [(term, tails[term]) if tagging else term]
                              + self._cut(text[e:q], tagging, hmm)))
                done, fixed = i + 1, q
                break
        return fixes

    def _settle_overlaps(self, text: str, pieces: list, hmm: bool) -> list:
        """:meth:`_overlap_fixes` applied to a list of untagged pieces (the per-text path)."""
        heads = self.res.overlap_heads
        if not heads or heads.keys().isdisjoint(pieces):
            return pieces
        leads = self.res.overlap_leads   # no tail meets a head here: nothing to settle
        if not any(text.endswith(leads[h], 0, i) for h in heads.keys() & pieces
                   for i in _starts_of(text, h)):
            return pieces
        n = len(pieces)
        at = np.flatnonzero(np.fromiter(map(heads.__contains__, pieces), dtype=bool, count=n))
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=n)
        out, prev = [], 0
        for k, i, items in self._overlap_fixes(text, lengths, at, False, hmm):
            out += pieces[prev:k]
            out += items
            prev = i + 1
        return out + pieces[prev:] if prev else pieces

    def _describe(self, item, tok: "Tokenizer") -> tuple:
        """(word, tag, canonical token or "" to drop it) of a piece."""
        if isinstance(item, tuple):
            w, t = item
            c = self.decide(w, tok)
            return w, t, (c if c and self._tag_allowed(t) else "")
        return item, None, self.decide(item, tok)

    def piece_ids(self, view: str, tok: "Tokenizer", tagging: bool, negations: bool = True):
        """Accurate mode: (ids, table): the pieces of ``view`` as ids into the vocabulary
        table, empty pieces dropped, dash compounds (``中国—东盟``) joined and, with
        ``negations`` and ``join_negation``, a dropped negation joined to the kept word
        after it (不平衡; a filter's doing, so not in the unfiltered :meth:`raw`). Of two
        overlapping lexicon words, the earlier is one piece (:meth:`_overlap_fixes`)."""
        items = self.pieces(view, tok, tagging)
        describe = lambda x: self._describe(x, tok)  # noqa: E731
        while True:  # again whenever the vocabulary restarted (ids of one index only)
            ids, table = self.vocab.lookup(items, describe)
            if not table.length[ids].all():  # engines never return "", but be safe
                ids = ids[table.length[ids] > 0]
            at = np.flatnonzero(table.head[ids])
            fixes = self._overlap_fixes(view, table.length[ids], at, tagging,
                                        bool(tok.hmm)) if len(at) else []
            if fixes:
                new, table2 = self.vocab.lookup([x for _, _, its in fixes for x in its],
                                                describe)
                if table2.index is not table.index:
                    continue
                parts, prev, j = [], 0, 0
                for k, i, its in fixes:
                    parts += [ids[prev:k], new[j:j + len(its)]]
                    prev, j = i + 1, j + len(its)
                parts.append(ids[prev:])
                ids, table = np.concatenate(parts), table2
            runs = _dash_runs(table.word, ids, np.flatnonzero(table.dash[ids])) \
                if "—" in view else []
            if runs:
                joined, table2 = self.vocab.lookup(
                    [(text, "nz") if tagging else text for _, _, text in runs], describe)
                if table2.index is not table.index:
                    continue
                ids = ids.copy()
                ids[[first for first, _, _ in runs]] = joined
                drop = np.concatenate([np.arange(first + 1, last + 1)
                                       for first, last, _ in runs])
                ids, table = np.delete(ids, drop), table2
            if negations and tok.join_negation and len(ids) > 1:
                joined_ids = self._join_negations(ids, table, tagging, describe)
                if joined_ids is None:
                    continue
                ids, table = joined_ids
            return ids, table

    def _join_negations(self, ids, table, tagging: bool, describe):
        """(ids, table) with each dropped negation joined to the kept Chinese word after it
        (不 + 平衡 -> 不平衡, tagged as that word); None if the vocabulary restarted."""
        at = np.flatnonzero(table.neg[ids[:-1]] & ~table.keep[ids[:-1]] & table.keep[ids[1:]])
        at = [i for i in at.tolist() if _starts_han(table.canon[ids[i + 1]])]
        if at and any(table.word[ids[i]] == "非" for i in at):      # 非…不可: no negation
            words = _LazyWords(table.word, ids)
            at = [i for i in at if not _opens_must(words, i)]
        if not at:
            return ids, table
        words = [table.word[ids[i]] + table.word[ids[i + 1]] for i in at]
        joined, table2 = self.vocab.lookup(
            [(w, table.tag[ids[i + 1]]) for w, i in zip(words, at)] if tagging else words,
            describe)
        if table2.index is not table.index:
            return None
        ids = ids.copy()
        at = np.asarray(at)
        ids[at + 1] = joined
        return np.delete(ids, at), table2

    def search_pieces(self, view: str, tok: "Tokenizer"):
        """Search mode: (words, starts, ends), sub-words overlapping their word."""
        eng = self.engine
        rj = self.engine_name == "rjieba"
        words, starts, ends = [], [], []
        for s, e, forced in self._spans_of(view):
            if forced is not None:
                words.append(forced[0])
                starts.append(s)
                ends.append(e)
                continue
            piece = view[s:e]
            trip = eng.tokenize(piece, "search", bool(tok.hmm)) if rj else \
                eng.tokenize(piece, mode="search", HMM=bool(tok.hmm))
            for w, a, b in trip:
                words.append(w)
                starts.append(a + s)
                ends.append(b + s)
        return words, starts, ends

    # -- filtering -----------------------------------------------------------------------
    def decide(self, w: str, tok: "Tokenizer") -> str:
        """Canonical token for a folded piece, or "" to drop it."""
        c = self.res.synonyms.get(w, w)
        if not _has_word_char(c):
            keep = tok.keep_punctuation and not c.isspace()
        elif _is_number(c):
            keep = tok.keep_numbers
        elif _is_latin(c):
            keep = tok.keep_latin
        else:
            keep = True
        if keep and len(c) < tok.min_length:
            keep = False
        if keep and c in self.res.stopwords:
            keep = False
        return c if keep else ""

    def _tag_allowed(self, tag) -> bool:
        return tag in self.pos_exact or any(tag.startswith(p) for p in self.pos_prefix)

    def raw(self, text: str, tok: "Tokenizer"):
        """(folded pieces, starts, ends) of one text, nothing filtered."""
        view = fold_variants(text) if tok.fold_variants else text
        if tok.mode == "search":
            return self.search_pieces(view, tok)
        ids, table = self.piece_ids(view, tok, False, negations=False)
        lens = table.length[ids]
        ends = np.cumsum(lens)
        return table.word[ids].tolist(), (ends - lens).tolist(), ends.tolist()

    def batch(self, texts: list, tok: "Tokenizer", want_tags: bool) -> "_Batch":
        """Tokenise several texts at once (joined by NUL, which both engines always cut
        around, so the result is the same as one text at a time).

        Per-token work is done on arrays: every piece gets the id of its type in
        :attr:`vocab` (one dict look-up per piece), and lengths, offsets, the filters and
        the canonical form come from per-type arrays indexed by those ids."""
        n = len(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        offsets = np.zeros(n, dtype=np.int64)
        if n > 1:
            offsets[1:] = np.cumsum(lengths[:-1] + 1)
        joined = "\x00".join(texts)
        view = fold_variants(joined) if tok.fold_variants else joined
        tagging = self.pos is not None
        if tok.mode == "search":
            words, starts, ends = self.search_pieces(view, tok)
            ids, table = self.vocab.lookup(words, lambda x: self._describe(x, tok))
            starts = np.asarray(starts, dtype=np.int64)
            ends = np.asarray(ends, dtype=np.int64)
        else:
            ids, table = self.piece_ids(view, tok, tagging)
            ends = np.cumsum(table.length[ids])
            starts = ends - table.length[ids]
        mask = table.keep[ids]
        if n > 1 and tok.keep_punctuation:  # the separators themselves
            mask[np.isin(starts, offsets[1:] - 1) & (ends - starts == 1)] = False
        keep = np.flatnonzero(mask)
        starts, ends = starts[keep], ends[keep]
        doc = np.searchsorted(offsets, starts, side="right") - 1
        spans = np.empty((len(keep), 2), dtype=np.int64)
        spans[:, 0] = starts - offsets[doc]
        spans[:, 1] = ends - offsets[doc]
        counts = np.bincount(doc, minlength=n).astype(np.int64)
        ids = ids[keep]
        out_tags = table.tag[ids].tolist() if want_tags and tagging else None
        return _Batch(table.canon, ids, counts, spans, out_tags)

    def call(self, text: str, tok: "Tokenizer") -> list:
        """Filtered tokens of one text: what :meth:`run` gives, without its per-call array
        work (the path scikit-learn takes, once per document)."""
        view = fold_variants(text) if tok.fold_variants else text
        if tok.mode != "accurate" or self.pos is not None:
            return self.run(text, tok)[0]
        memo = self._canon
        if len(memo) > self.vocab.limit:  # bounded memory on endless streams
            memo.clear()
        pieces = self._settle_overlaps(view, self.pieces(view, tok, False), bool(tok.hmm))
        if "—" in view:
            pieces = _join_dashes(pieces)
        canon = list(map(memo.get, pieces))     # each piece decided once per state
        if None in canon:
            for i, c in enumerate(canon):
                if c is None:
                    w = pieces[i]
                    c = memo.get(w)
                    canon[i] = memo[w] = self.decide(w, tok) if c is None else c
        if not tok.join_negation or _NEGATIONS.isdisjoint(pieces):  # nothing to join
            return list(filter(None, canon))
        out, negation = [], None
        for i, (w, c) in enumerate(zip(pieces, canon)):
            if negation is not None:  # as _join_negations
                if c and _starts_han(c):
                    w = negation + w
                    c = memo.get(w)
                    if c is None:
                        c = memo[w] = self.decide(w, tok)
                    negation = None
                    if c:
                        out.append(c)
                    continue
                negation = None
            if not c and w in _NEGATIONS and not _opens_must(pieces, i):
                negation = w
                continue
            if c:
                out.append(c)
        return out

    def run(self, text: str, tok: "Tokenizer", tags: bool = False):
        """(tokens, spans array (n, 2), tags or None) for one text."""
        b = self.batch([text], tok, tags)
        return b.tokens, b.spans, b.tags
