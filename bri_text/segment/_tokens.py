"""The :class:`Tokens` container: units, filtered tokens, spans and metadata."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _grouping, _util
from ..errors import MetadataError, ParameterError


def texts_fingerprint(texts, config: dict) -> str:
    """What :attr:`Tokens.fingerprint` is for these unit texts tokenized with a tokenizer of
    this ``config``: 16 hex digits of a SHA-256 over the configuration and the SHA-256 of
    each text, in order (:func:`bri_text._util.units_fingerprint`; so that a table made
    from the texts, such as :func:`bri_text.discover_terms`'s, can name the tokens without
    making them). Two levels since 0.5.0, so that ``bri_text.distributed`` computes the
    same print partition by partition, however the units are partitioned.

    >>> from bri_text import tokenize
    >>> t = tokenize(["中欧班列开行。"])
    >>> texts_fingerprint(["中欧班列开行。"], t.config) == t.fingerprint
    True
    """
    return _util.units_fingerprint(list(texts), extra=_util.config_json(config))


# -------------------------------------------------------------------- Tokens
def _no_drops() -> pd.DataFrame:
    """The empty ``Tokens.dropped`` table."""
    return pd.DataFrame({"word": pd.Series(dtype=object), "count": pd.Series(dtype="int64"),
                         "units": pd.Series(dtype="int64")})


class Tokens:
    """Token lists aligned with the units of a corpus, with offsets.

    Attributes
    ----------
    docs : DataFrame
        The units (``doc_id``, ``text`` and metadata); row i belongs to ``tokens[i]``.
    tokens : list of list of str
        Filtered, folded tokens.
    spans : list of int64 arrays (n_i, 2)
        Start/end offsets of each token in ``docs.text[i]`` (the text as written, before
        folding).
    config : dict
        The tokenizer configuration (engine, options, versions).
    tags : list of list of str or None
        Part-of-speech tags, when the tokenizer tags (``pos=``).
    dropped : DataFrame
        The tokens :meth:`drop_words` took out (``word``, ``count``, ``units``: how often
        and in how many units), so that nothing goes silently; empty for the tokens a
        tokenizer made. ``config["drop_words"]`` names the words asked for.

    >>> from bri_text import tokenize
    >>> t = tokenize(["中欧班列开行。", "西部陆海新通道"])
    >>> t.doc_ids, t.n_tokens.tolist()
    (['doc0', 'doc1'], [2, 1])
    """

    def __init__(self, docs: pd.DataFrame, tokens: list, spans: list, config: dict,
                 tags: list | None = None, *, dropped: pd.DataFrame | None = None):
        if not (len(docs) == len(tokens) == len(spans)):
            raise ParameterError(f"docs, tokens and spans must have the same length; got "
                                 f"{len(docs)}, {len(tokens)} and {len(spans)}")
        self.docs = docs.reset_index(drop=True)
        self.tokens = tokens
        self.spans = spans
        self.config = config
        self.tags = tags
        self.dropped = dropped if dropped is not None else _no_drops()

    def __setstate__(self, state):
        # Tokens pickled before 0.5.0 (no ``dropped``) unpickle with an empty table
        self.__dict__.update(state)
        if "dropped" not in state:
            self.dropped = _no_drops()

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self):
        return iter(self.tokens)

    def __getitem__(self, i):
        if isinstance(i, str):
            hit = np.flatnonzero(self.docs["doc_id"].to_numpy() == i)
            if not len(hit):
                raise MetadataError(f"no unit with doc_id {i!r}")
            i = int(hit[0])
        return self.tokens[i]

    @property
    def doc_ids(self) -> list[str]:
        """The ``doc_id`` of each unit, in order."""
        return self.docs["doc_id"].tolist()

    @property
    def n_tokens(self) -> pd.Series:
        """Number of tokens per unit, indexed by ``doc_id``."""
        return pd.Series([len(t) for t in self.tokens], index=pd.Index(self.doc_ids,
                                                                          name="doc_id"),
                         name="n_tokens")

    @property
    def fingerprint(self) -> str:
        """16 hex digits identifying the texts and the tokenizer configuration
        (:func:`texts_fingerprint`). Hashed once: later reads, by every table that records
        it, cost nothing until ``docs`` or ``config`` is replaced (editing ``docs`` in
        place is not seen; make new Tokens with :func:`bri_text.tokenize` instead)."""
        config = _util.config_json(self.config)
        cached = self.__dict__.get("_fingerprint")
        if cached is not None and cached[0] is self.docs and cached[1] == config:
            return cached[2]
        fp = _util.units_fingerprint(self.docs["text"].tolist(), extra=config)
        self._fingerprint = (self.docs, config, fp)
        return fp

    def __repr__(self) -> str:
        n = sum(len(t) for t in self.tokens)
        return (f"<Tokens: {len(self)} units, {n:,} tokens; engine "
                f"{self.config.get('engine')}>")

    def _take(self, idx) -> "Tokens":
        idx = list(idx)
        return Tokens(self.docs.iloc[idx], [self.tokens[i] for i in idx],
                      [self.spans[i] for i in idx], self.config,
                      None if self.tags is None else [self.tags[i] for i in idx],
                      dropped=self.dropped)

    def subset(self, mask=None, **conditions) -> "Tokens":
        """Units matching a boolean mask and/or metadata conditions (as ``Corpus.subset``).

        >>> from bri_text import tokenize
        >>> t = tokenize(pd.DataFrame({"text": ["广西", "甘肃"], "region": ["广西", "甘肃"]}))
        >>> t.subset(region="甘肃").tokens
        [['甘肃']]
        """
        return self._take(np.flatnonzero(_grouping.subset_mask(self.docs, mask, conditions)))

    def reshape(self, unit: str = "paragraph") -> "Tokens":
        """Split units into paragraphs or sentences, using the token spans (no re-tokenising).

        Boundaries are those of ``Corpus.reshape`` (``bri_text._units``); each new unit has
        ``doc_id`` ``"{parent}#p{n}"`` / ``"#s{n}"``, ``parent_id``, ``unit``,
        ``unit_index``, ``start``/``end`` into the parent text and the parent's metadata.
        A token belongs to the unit its first character is in.

        >>> from bri_text import tokenize
        >>> t = tokenize(["丝路基金。\\n中欧班列"]).reshape("paragraph")
        >>> t.doc_ids, t.tokens
        (['doc0#p0', 'doc0#p1'], [['丝路基金'], ['中欧班列']])
        """
        from .. import _units

        if unit not in ("paragraph", "sentence"):
            raise ParameterError(f"unit must be 'paragraph' or 'sentence', got {unit!r}")
        suffix = "p" if unit == "paragraph" else "s"
        bounds_of = _units.paragraph_bounds if unit == "paragraph" else _units.sentence_bounds
        nested = "parent_id" in self.docs.columns
        meta_cols = [c for c in self.docs.columns if c not in (
            "doc_id", "text", "parent_id", "unit", "unit_index", "start", "end",
            "heading", "heading_level", "heading_path")]
        rows, toks, spans, tags = [], [], [], []
        for i, d in enumerate(self.docs.to_dict("records")):
            text = d["text"]
            sp = self.spans[i]
            parent = d["parent_id"] if nested else d["doc_id"]
            offset = int(d["start"]) if nested and pd.notna(d.get("start")) else 0
            bounds = bounds_of(text)
            starts = sp[:, 0] if len(sp) else np.empty(0, dtype=np.int64)
            b_starts = np.array([b[0] for b in bounds], dtype=np.int64)
            # unit of each token: last boundary starting at or before the token
            which = np.searchsorted(b_starts, starts, side="right") - 1
            # tokens of unit k: order[first[k]:first[k + 1]] (in text order)
            order = np.argsort(which, kind="stable")
            first = np.searchsorted(which[order], np.arange(len(bounds) + 1))
            for k, (s, e) in enumerate(bounds):
                sel = order[first[k]:first[k + 1]]
                rows.append({"doc_id": f"{d['doc_id']}#{suffix}{k}", "text": text[s:e],
                             "parent_id": parent, "unit": unit, "unit_index": k,
                             "start": offset + s, "end": offset + e,
                             **{c: d[c] for c in meta_cols}})
                toks.append([self.tokens[i][j] for j in sel])
                spans.append(sp[sel] - s)
                if self.tags is not None:
                    tags.append([self.tags[i][j] for j in sel])
        cols = ["doc_id", "text", "parent_id", "unit", "unit_index", "start", "end"] + meta_cols
        return Tokens(pd.DataFrame(rows, columns=cols), toks, spans, self.config,
                      tags if self.tags is not None else None, dropped=self.dropped)

    def drop_words(self, words) -> "Tokens":
        """These tokens without ``words``: new Tokens (spans and tags follow), whose
        :attr:`fingerprint` differs and says which words went, without segmenting again.

        ``words`` takes what ``Tokenizer(stopwords=)`` takes: a set of words, ``"general"``,
        ``"policy"``, ``"all"``, the path of a file with one word per line, or a tuple of
        these; words are folded as stopwords are (``中国－东盟`` is ``中国—东盟``). The
        words are recorded in ``config["drop_words"]`` (a set as its sorted words, a file
        as its path and digest, one entry per call) with a digest of all the words dropped
        (``config["drop_words_digest"]``), so the fingerprint is the same for the same
        tokens and words in any process; :attr:`dropped` counts the tokens taken out.

        Dropping a word is removing it as a stopword, but for a negation the tokenizer
        joined to it: ``不X`` stays a token of its own (as it counts everywhere else),
        where ``Tokenizer(stopwords=...)`` with X drops both.

        >>> import bri_text as bt
        >>> units = bt.load_bri_policies().subset(region="广西").reshape("paragraph")
        >>> tokens = bt.tokenize(units, progress=False)
        >>> without = tokens.drop_words({"广西", "广西壮族自治区"})
        >>> without.dropped.to_dict("records")
        [{'word': '广西', 'count': 51, 'units': 31}, {'word': '广西壮族自治区', 'count': 1, 'units': 1}]
        >>> sum(tokens.n_tokens) - sum(without.n_tokens), without.config["drop_words"]
        (52, [['广西', '广西壮族自治区']])
        >>> without.fingerprint != tokens.fingerprint
        True
        """
        import hashlib
        import json

        from ._resources import _file_digest, _stopword_set
        from ._tokenizer import stop_sources

        sources = stop_sources(words, "words")
        stop = _stopword_set(sources)
        asked = [sorted(s) if isinstance(s, frozenset) else s if s in ("general", "policy", "all")
                 else [s, _file_digest(s, "words")] for s in sources]
        config = dict(self.config)
        config["drop_words"] = [*config.get("drop_words", []), *asked]
        config["drop_words_digest"] = hashlib.sha256(json.dumps(
            [config.get("drop_words_digest", ""), sorted(stop)], ensure_ascii=False)
            .encode("utf-8")).hexdigest()[:16]
        tokens, spans, tags = [], [], None if self.tags is None else []
        count: dict = {}
        units: dict = {}
        for i, toks in enumerate(self.tokens):
            gone = [j for j, t in enumerate(toks) if t in stop]
            if not gone:
                tokens.append(toks)
                spans.append(self.spans[i])
                if tags is not None:
                    tags.append(self.tags[i])
                continue
            keep = np.ones(len(toks), dtype=bool)
            keep[gone] = False
            tokens.append([t for t, k in zip(toks, keep) if k])
            spans.append(self.spans[i][keep])
            if tags is not None:
                tags.append([t for t, k in zip(self.tags[i], keep) if k])
            for w in {toks[j] for j in gone}:
                units[w] = units.get(w, 0) + 1
            for j in gone:
                count[toks[j]] = count.get(toks[j], 0) + 1
        new = pd.DataFrame({"word": pd.Series(list(count), dtype=object),
                            "count": pd.Series(list(count.values()), dtype="int64"),
                            "units": pd.Series([units[w] for w in count], dtype="int64")})
        new = new.sort_values(["count", "word"], ascending=[False, True], ignore_index=True)
        dropped = new if self.dropped.empty else pd.concat([self.dropped, new],
                                                            ignore_index=True)
        return Tokens(self.docs, tokens, spans, config, tags, dropped=dropped)

    def to_gensim(self):
        """``(gensim.corpora.Dictionary, bag-of-words list)`` for gensim models.

        >>> from bri_text import tokenize
        >>> d, bow = tokenize(["一带一路 一带一路 中欧班列"]).to_gensim()
        >>> sorted((d[i], n) for i, n in bow[0])
        [('一带一路', 2), ('中欧班列', 1)]
        """
        from gensim.corpora import Dictionary

        d = Dictionary(self.tokens)
        return d, [d.doc2bow(t) for t in self.tokens]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per token: doc_id, position, token, start, end (and pos when tagged)."""
        n = [len(t) for t in self.tokens]
        df = pd.DataFrame({
            "doc_id": np.repeat(np.array(self.doc_ids, dtype=object), n),
            "position": np.concatenate([np.arange(k) for k in n]) if n else [],
            "token": [w for t in self.tokens for w in t],
            "start": np.concatenate([s[:, 0] for s in self.spans]) if n else [],
            "end": np.concatenate([s[:, 1] for s in self.spans]) if n else [],
        })
        if self.tags is not None:
            df["pos"] = [t for ts in self.tags for t in ts]
        return df


# the class is re-exported under the package's name (its __module__): doctest finds its
# methods' examples here, where they are defined
__test__ = {"Tokens": Tokens}
