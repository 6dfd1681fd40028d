"""The :class:`Tokenizer`: options, validation, the callable that scikit-learn uses."""
from __future__ import annotations

import hashlib
import json
import os
from typing import Iterable, Iterator

import numpy as np

from .. import _util
from ..errors import InputError, ParameterError
from ._batch import _BATCH_CHARS, _stream
from ._resources import (
    _LOCK,
    _RESOURCES,
    _as_list,
    _file_digest,
    _is_pathlike,
    _resolve_engine,
    _Resources,
    _versions,
)
from ._state import _State
from ._text import _ENGINES, _MODES, _STOP_KINDS


# -------------------------------------------------------------------- Tokenizer
class Tokenizer:
    """A configured Chinese word segmenter; callable, picklable.

    Parameters
    ----------
    engine : "auto" | "rjieba" | "jieba"
        ``auto`` (default) uses rjieba, about 18x faster than jieba with the same results
        on more than 99% of token spans.
    mode : "accurate" | "search"
        ``search`` adds the dictionary sub-words of long words (丝绸之路经济带 also gives
        丝绸, 之路, 丝绸之路, 经济带), like ``jieba.cut_for_search``; spans then overlap.
    hmm : bool
        Guess unknown words with jieba's hidden Markov model (default True).
    pos : set of str or None
        Keep only tokens whose part-of-speech tag is in the set (jieba's tag set: ``n`` noun,
        ``ns`` place, ``nr`` person, ``nt`` organisation, ``nz`` other proper noun, ``v``
        verb, ``vn`` verbal noun, ...). A tag ending in ``*`` matches by prefix (``"n*"``).
        Lexicon terms are tagged ``ns`` (places), ``nt`` (institutions) or ``nz``.
    min_length : int
        Drop tokens shorter than this many characters (default 1: keep single characters).
    keep_numbers, keep_latin, keep_punctuation : bool
        Keep tokens made of digits (``2018``, ``3.5%``, ``2018-1-10``; default False),
        tokens in Latin letters (``RCEP``; default True), punctuation and symbols (default
        False). Chinese numerals (``十三五``) are words, not numbers.
    stopwords : None | "general" | "policy" | "all" | path | set | tuple of these
        ``"general"`` (default) removes Chinese function words, ``"policy"`` the
        boilerplate of plans (加强, 推进, 积极...), a set gives the words themselves, a path
        a file with one word per line; a tuple combines several. Files (here, in
        ``lexicon``, ``user_dict`` and ``synonyms``) are UTF-8, else GBK / GB18030.
    lexicon : bool or path
        Add the built-in Belt and Road lexicon (True, default), nothing (False), or the
        built-in lexicon plus a user file in the same format (path). Of two lexicon words
        that overlap, the earlier one stays whole and the rest of the other is cut again
        (数据要素市场化配置 gives 数据要素 / 市场化 / 配置, not 数据 / 要素市场化配置); a
        ``user_dict`` file word with a frequency of its own is left to its frequency
        (``lexicons/README.md``, "Overlapping terms").
    user_dict : path, set of words, or list of these
        Extra words: a file with one per line (``term [freq] [category]`` or
        ``term<TAB>category<TAB>freq``; UTF-8, else GBK / GB18030; :func:`read_user_dict`
        lists its words), or a set of the words themselves
        (``user_dict={"区块链", "数字经济"}``, e.g. ``set(bt.discover_terms(corpus)["term"])``).
    synonyms : path, dict or list of these
        Extra ``variant -> canonical`` pairs (TSV ``variant<TAB>canonical``).
    fold_synonyms : bool or None
        Replace variants by their canonical form; None (default) folds only when
        ``synonyms`` is given.
    fold_variants : bool
        Read full-width ASCII as half-width and any dash between Chinese characters as ``—``
        (default True).
    join_negation : bool
        A negation that the stopwords remove (不, 非, 无, 未, 没有, 尚未, 决不 ...) is joined
        to the Chinese word after it instead of dropped: 不平衡, 非物质, 不称霸, 尚未形成
        (default True). Without it the word would count as its own opposite: 不干涉内政
        as 干涉内政, 最不发达国家 as 发达国家, 不平衡不充分 as 平衡 充分. False gives the
        tokens of bri_text 0.2.1; accurate mode only (``mode="search"`` never joins).
        非 X 不可 / 不行 / 不成 ending a clause means "must X" and is not joined
        (非改革不可 gives 改革 不可). A joined negation is a token of its own for every
        count: 非东盟国家 is no mention of 东盟 in the matrix, profiles or orientation.

    >>> tok = Tokenizer(pos={"ns"}, stopwords=None)
    >>> tok("广西与东盟国家合作")
    ['广西']
    >>> Tokenizer()("坚持不干涉内政"), Tokenizer(join_negation=False)("坚持不干涉内政")
    (['坚持', '不干涉内政'], ['坚持', '干涉内政'])
    >>> Tokenizer()("推进数据要素市场化配置改革")
    ['推进', '数据要素', '市场化', '配置', '改革']
    """

    def __init__(self, *, engine: str = "auto", mode: str = "accurate", hmm: bool = True,
                 pos=None, min_length: int = 1, keep_numbers: bool = False,
                 keep_latin: bool = True, keep_punctuation: bool = False,
                 stopwords="general", lexicon=True, user_dict=None, synonyms=None,
                 fold_synonyms=None, fold_variants: bool = True, join_negation: bool = True):
        self.engine = engine
        self.mode = mode
        self.hmm = hmm
        self.pos = pos
        self.min_length = min_length
        self.keep_numbers = keep_numbers
        self.keep_latin = keep_latin
        self.keep_punctuation = keep_punctuation
        self.stopwords = stopwords
        self.lexicon = lexicon
        self.user_dict = user_dict
        self.synonyms = synonyms
        self.fold_synonyms = fold_synonyms
        self.fold_variants = fold_variants
        self.join_negation = join_negation
        self._check()
        self._state = None

    # ---------------------------------------------------------------- parameters
    _PARAMS = ("engine", "mode", "hmm", "pos", "min_length", "keep_numbers", "keep_latin",
               "keep_punctuation", "stopwords", "lexicon", "user_dict", "synonyms",
               "fold_synonyms", "fold_variants", "join_negation")

    def get_params(self, deep: bool = True) -> dict:
        """The constructor arguments (``Tokenizer(**tok.get_params()) == tok``)."""
        return {p: getattr(self, p) for p in self._PARAMS}

    def set_params(self, **params) -> "Tokenizer":
        """Change options; they take effect at once (the engine state is rebuilt on the next
        call and :attr:`config_key` follows). Invalid values raise and change nothing.
        Assigning one attribute (``tok.min_length = 3``) does the same; a set or dict
        changed in place (``tok.pos.add("v")``) is not seen: assign a new one.

        >>> tok = Tokenizer()
        >>> tok.set_params(min_length=3)("推进一带一路建设合作")
        ['一带一路']
        """
        unknown = sorted(set(params) - set(self._PARAMS))
        if unknown:
            raise ParameterError(f"Tokenizer has no parameter {unknown[0]!r}; parameters: "
                                 f"{', '.join(self._PARAMS)}")
        old = {k: self.__dict__[k] for k in params}
        for k, v in params.items():
            object.__setattr__(self, k, v)
        try:
            self._check()
        except Exception:
            for k, v in old.items():
                object.__setattr__(self, k, v)
            raise
        object.__setattr__(self, "_state", None)  # rebuilt, with a new key, when next used
        return self

    def __setattr__(self, name, value):
        # after __init__, an option assigned directly goes through set_params: no stale state
        if name in self._PARAMS and "_state" in self.__dict__:
            self.set_params(**{name: value})
        else:
            object.__setattr__(self, name, value)

    def _check(self) -> None:
        self._check_choices()
        self._check_pos()
        if not (isinstance(self.lexicon, bool) or _is_pathlike(self.lexicon)):
            raise ParameterError(
                f"lexicon must be True, False or a file path, got {self.lexicon!r}")
        _check_user_dict(self.user_dict)
        _check_synonyms(self.synonyms)
        self._stop_sources()  # validates stopwords

    def _check_choices(self) -> None:
        """engine and mode among their choices, the flags bools, min_length >= 1."""
        if self.engine not in _ENGINES:
            raise ParameterError(f"engine must be one of {_ENGINES}, got {self.engine!r}")
        if self.mode not in _MODES:
            raise ParameterError(f"mode must be one of {_MODES}, got {self.mode!r}")
        for name in ("hmm", "keep_numbers", "keep_latin", "keep_punctuation",
                     "fold_variants", "join_negation"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ParameterError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.fold_synonyms is not None and not isinstance(self.fold_synonyms, bool):
            raise ParameterError(
                f"fold_synonyms must be True, False or None, got {self.fold_synonyms!r}")
        _util.check_scalar(self.min_length, "min_length", min_val=1)

    def _check_pos(self) -> None:
        """pos: None or a non-empty set of tags, never with mode='search'."""
        if self.pos is None:
            return
        if isinstance(self.pos, str) or not all(isinstance(p, str) and p for p in self.pos):
            raise ParameterError(
                f"pos must be None or a set of part-of-speech tags such as "
                f"{{'n', 'ns', 'v'}}, got {self.pos!r}")
        if not self.pos:
            raise ParameterError("pos must not be empty; use None to keep every tag")
        if self.mode == "search":
            raise ParameterError("pos= cannot be combined with mode='search'; "
                                 "use mode='accurate' to tag parts of speech")

    def _stop_sources(self) -> list:
        return stop_sources(self.stopwords)

    # ---------------------------------------------------------------- state
    def _get_state(self):
        st = self._state
        if st is not None:
            return st
        engine = _resolve_engine(self.engine)
        user = [p if isinstance(p, frozenset) else os.fspath(p)
                for p in _user_sources(self.user_dict)]
        user_key = [sorted(u) if isinstance(u, frozenset) else (u, _file_digest(u, "user_dict"))
                    for u in user]
        syn = [self.synonyms] if isinstance(self.synonyms, dict) else _as_list(self.synonyms)
        syn_key = [s if isinstance(s, dict) else (os.fspath(s), _file_digest(s, "synonyms"))
                   for s in syn]
        stop = self._stop_sources()
        stop_key = [sorted(s) if isinstance(s, frozenset) else s if s in _STOP_KINDS
                    else (s, _file_digest(s, "stopwords")) for s in stop]  # a file: its content
        fold_syn = bool(syn) if self.fold_synonyms is None else self.fold_synonyms
        lexicon = self.lexicon if isinstance(self.lexicon, bool) else os.fspath(self.lexicon)
        lex_key = lexicon if isinstance(lexicon, bool) else (lexicon, _file_digest(lexicon, "lexicon"))
        rkey = json.dumps([lex_key, user_key, syn_key, fold_syn,
                           stop_key], ensure_ascii=False, sort_keys=True, default=str)
        with _LOCK:
            res = _RESOURCES.get(rkey)
            if res is None:
                res = _Resources(lexicon, user, syn, fold_syn, stop)
                _RESOURCES[rkey] = res
        pos = None if self.pos is None else frozenset(self.pos)
        config = {
            "engine": engine, "mode": self.mode, "hmm": bool(self.hmm),
            "pos": None if pos is None else sorted(pos), "min_length": int(self.min_length),
            "keep_numbers": bool(self.keep_numbers), "keep_latin": bool(self.keep_latin),
            "keep_punctuation": bool(self.keep_punctuation),
            "stopwords": [s if isinstance(s, str) else f"<{len(s)} words>" for s in stop],
            "lexicon": lexicon, "lexicon_size": res.lexicon_size,
            "user_dict": [f"<{len(u)} words>" if isinstance(u, frozenset) else u for u in user],
            "synonyms": ["<dict>" if isinstance(s, dict) else os.fspath(s) for s in syn],
            "fold_synonyms": fold_syn, "fold_variants": bool(self.fold_variants),
            "join_negation": bool(self.join_negation),
            "resources": res.digest, "versions": _versions(engine),
        }
        key = hashlib.sha256(json.dumps(config, sort_keys=True, ensure_ascii=False)
                             .encode("utf-8")).hexdigest()[:24]
        st = _State(res, engine, config, key, pos)
        self._state = st
        return st

    @property
    def config(self) -> dict:
        """The resolved configuration (engine, options, versions, resource digest)."""
        return dict(self._get_state().config)

    @property
    def config_key(self) -> str:
        """A hash of :attr:`config`: two tokenizers with the same key give the same tokens."""
        return self._get_state().key

    def __getstate__(self):
        return self.get_params()

    def __setstate__(self, params):
        self.__init__(**params)

    def __repr__(self) -> str:
        defaults = Tokenizer.__init__.__kwdefaults__
        args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self._PARAMS
                         if getattr(self, p) != defaults[p])
        return f"Tokenizer({args})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Tokenizer) and self.get_params() == other.get_params()

    def __hash__(self):
        return hash(self.config_key)

    # ---------------------------------------------------------------- segmentation
    def segment(self, text: str) -> list[tuple[str, int, int]]:
        """Every piece of ``text`` as ``(piece, start, end)``; lossless, nothing filtered.

        >>> Tokenizer().segment("共建“一带一路”")
        [('共建', 0, 2), ('“', 2, 3), ('一带一路', 3, 7), ('”', 7, 8)]
        """
        _check_text(text, "text")
        _, starts, ends = self._get_state().raw(text, self)
        return [(text[s:e], s, e) for s, e in zip(starts, ends)]

    def __call__(self, text: str) -> list[str]:
        """Filtered tokens of one text (what ``tokenize`` keeps), e.g. for scikit-learn."""
        _check_text(text, "text")
        return self._get_state().call(text, self)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Filtered ``(token, part-of-speech)`` pairs (tags from the engine's tagger)."""
        _check_text(text, "text")
        st = self._get_state()
        toks, _, tags = st.run(text, self, tags=True)
        return list(zip(toks, tags))

    def stream(self, texts: Iterable[str], *, n_jobs: int = 1, with_spans: bool = False,
               progress=None) -> Iterator:
        """Token lists for an iterable of texts, one at a time, in order, bounded memory.

        >>> [toks for toks in Tokenizer().stream(iter(["一带一路", "中欧班列"]))]
        [['一带一路'], ['中欧班列']]
        """
        if isinstance(texts, str):
            raise ParameterError("texts must be an iterable of str, not one str; wrap it in a list")
        return _stream(self, texts, _util.check_n_jobs(n_jobs), with_spans, progress, _BATCH_CHARS)


def stop_sources(sw, name: str = "stopwords") -> list:
    """``stopwords=`` (or :meth:`Tokens.drop_words`'s ``words``, named ``name`` in errors)
    as a list of kinds (``"general"``, ``"policy"``, ``"all"``), file paths and frozensets
    of words; raises :class:`ParameterError` for anything else."""
    if sw is None or sw is False:
        return []
    items = list(sw) if isinstance(sw, (list, tuple)) else [sw]
    out = []
    for s in items:
        if isinstance(s, (set, frozenset)):
            bad = [w for w in s if not isinstance(w, str)]
            if bad:
                raise ParameterError(f"{name}: a set must hold str words; got {bad[0]!r}")
            out.append(frozenset(s))
        elif isinstance(s, str) and s in _STOP_KINDS:
            out.append(s)
        elif _is_pathlike(s) and os.path.isfile(os.fspath(s)):
            out.append(os.fspath(s))
        else:
            raise ParameterError(
                f"{name} must be None, 'general', 'policy', 'all', a file path, a set "
                f"of words or a tuple of these; got {s!r} (to give the words themselves, "
                f"pass a set: {name}={{'的', '和'}})")
    return out


def _user_sources(user_dict) -> list:
    """``user_dict`` as a list of paths and frozensets of words."""
    if isinstance(user_dict, (set, frozenset)):
        return [frozenset(user_dict)]
    return [frozenset(u) if isinstance(u, (set, frozenset)) else u
            for u in _as_list(user_dict)]


def _check_user_dict(user_dict) -> None:
    """Each user_dict source is a set of non-empty words or an existing file."""
    for p in _user_sources(user_dict):
        if isinstance(p, frozenset):
            bad = [w for w in p if not (isinstance(w, str) and w.strip())]
            if bad:
                raise ParameterError(f"user_dict: a set must hold non-empty str words; "
                                     f"got {bad[0]!r}")
        elif not _is_pathlike(p):
            raise ParameterError(f"user_dict must be a file path, a set of words or a "
                                 f"list of these, got an item {p!r}")
        elif os.path.isdir(os.fspath(p)):
            raise InputError(f"user_dict: {os.fspath(p)!r} is a folder; give the path of "
                             "one file of words, one per line")
        elif not os.path.isfile(os.fspath(p)):
            raise InputError(f"user_dict: file {os.fspath(p)!r} does not exist (to give "
                             f"the words themselves, pass a set: user_dict={{'区块链'}})")


def _check_synonyms(synonyms) -> None:
    """Each synonyms source is a dict of str to str or an existing file."""
    for s in ([synonyms] if isinstance(synonyms, dict) else _as_list(synonyms)):
        if isinstance(s, dict):
            bad = [(k, v) for k, v in s.items()
                   if not (isinstance(k, str) and isinstance(v, str))]
            if bad:
                raise ParameterError(f"synonyms dict must map str variants to str "
                                     f"canonical forms; got the pair {bad[0]!r}")
        elif not _is_pathlike(s):
            raise ParameterError(f"synonyms must be a path, a dict or a list of these, "
                                 f"got an item {s!r}")
        elif not os.path.isfile(os.fspath(s)):
            raise InputError(f"synonyms: file {os.fspath(s)!r} does not exist")


def _check_text(text, where: str) -> None:
    if not isinstance(text, str):
        raise InputError(f"{where} must be a str, got {type(text).__name__}")


# the class is re-exported under the package's name (its __module__): doctest finds its
# methods' examples here, where they are defined
__test__ = {"Tokenizer": Tokenizer}
