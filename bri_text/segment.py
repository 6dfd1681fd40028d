"""Chinese word segmentation: :class:`Tokenizer`, :class:`Tokens`, :func:`tokenize`.

Two engines sit behind one interface: ``rjieba`` (the Rust port of jieba, the default) and
``jieba`` (the reference implementation). Both get the Belt and Road lexicon
(``bri_text/lexicons/bri_lexicon.tsv``), the same variant folding, stopwords and filters, and
both return character offsets into the text, so every token can be traced back.

>>> from bri_text.segment import Tokenizer, tokenize
>>> tok = Tokenizer()
>>> tok("推进“一带一路”建设与中国-东盟自由贸易区升级")
['推进', '一带一路', '建设', '中国—东盟自由贸易区', '升级']
>>> tokens = tokenize(["西部陆海新通道连接丝绸之路经济带。"])
>>> tokens[0], tokens.spans[0].tolist()[:2]
(['西部陆海新通道', '连接', '丝绸之路经济带'], [[0, 7], [7, 9]])

What the options do (all are visible parameters, none is a hidden default):

- ``Tokenizer.segment(text)`` is lossless: it returns every piece of the text, whitespace
  and punctuation included, so ``"".join(t for t, s, e in tok.segment(text)) == text``
  for any Python string (emoji, combining marks, private-use characters and lone
  surrogates included; a lone surrogate is one token of its own).
- ``tok(text)`` / ``tokenize(...)`` return the *filtered* tokens that analyses use:
  whitespace is never a token; punctuation and symbols (``keep_punctuation``), numbers
  (``keep_numbers``), Latin words (``keep_latin``), stopwords, tokens shorter than
  ``min_length`` and tokens whose part of speech is not in ``pos`` are removed as asked.
- Variant folding (``fold_variants=True``): full-width letters and digits are read as
  half-width, and a dash of any kind between two Chinese characters (``中国-东盟``,
  ``中国－东盟``, ``中国–东盟``) is read as the em dash of the canonical spelling
  (``中国—东盟``). The token text is the folded form; its span points at the original
  characters. With ``fold_synonyms=True`` abbreviations and variants from
  ``bri_text/lexicons/synonyms.tsv`` (and ``synonyms=``) are replaced by their canonical
  form (亚洲基础设施投资银行 → 亚投行).

Engine differences (measured, see ``benchmarks/SEGMENT.md``): rjieba keeps ISO-like dates
and hyphenated numbers whole (``2018-1-10``) where jieba cuts them into ``2018 / - / 1 / -
/ 10``; with ``pos=`` jieba's tagger (``jieba.posseg``) splits on ``%`` and ``-`` as well.
Otherwise the two engines agree on more than 99% of token spans.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import unicodedata
import warnings
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from . import _util
from .errors import InputError, MetadataError, ParameterError

__all__ = ["Tokenizer", "Tokens", "tokenize", "tokenize_stream"]

_ENGINES = ("auto", "rjieba", "jieba")
_MODES = ("accurate", "search")
_STOP_KINDS = ("general", "policy", "all")
# engine-neutral split points for very long texts: both engines treat these as block
# separators, so cutting there does not change the segmentation
_MAX_PIECE = 200_000
_SEPARATORS = re.compile(r"[\n。！？；]")

# -------------------------------------------------------------------- variant folding
# full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) -> ASCII; same length, so offsets
# stay valid. Full-width punctuation (，：（）) is Chinese punctuation and stays as it is.
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) +
                    list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# one dash of any kind between two Chinese characters -> em dash (the canonical spelling of
# 中国—东盟, 中国—中亚—西亚经济走廊)
# (the lookbehind comes after the dash so the regex scans for dashes first: 4x faster)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_BETWEEN_HAN = re.compile(f"[{_DASHES}](?<=[{_HAN}][{_DASHES}])(?=[{_HAN}])")
# characters both engines may keep inside one word; a lexicon term with any other
# character (—, ·, space, brackets) cannot come out of the engines whole and is matched
# before segmentation instead
_ENGINE_WORD = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
_SURROGATES = "[\ud800-\udfff]+"


def fold_variants(text: str) -> str:
    """The text as the segmenter reads it: full-width digits and letters as half-width, a dash between
    two Chinese characters as ``—``. The result has the same length as ``text``.

    >>> fold_variants("中国－东盟ＲＣＥＰ２０２２")
    '中国—东盟RCEP2022'
    """
    if _FULLWIDTH.search(text):
        text = _FULLWIDTH.sub(lambda m: m.group().translate(_FULLWIDTH_TABLE), text)
    return _DASH_BETWEEN_HAN.sub("—", text)


# -------------------------------------------------------------------- token classes
_NUMBER_PUNCT = set(".,:/-%+~～·")


def _has_word_char(tok: str) -> bool:
    for ch in tok:
        if unicodedata.category(ch)[0] in "LN":
            return True
    return False


def _is_number(tok: str) -> bool:
    digit = False
    for ch in tok:
        if ch.isdigit():  # every Nd character is a digit
            digit = True
        elif ch not in _NUMBER_PUNCT:
            return False
    return digit


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HAN_RE = re.compile(f"[{_HAN}]")


def _is_latin(tok: str) -> bool:
    return bool(_LATIN.search(tok)) and not _HAN_RE.search(tok)


# -------------------------------------------------------------------- resources
_LOCK = threading.RLock()
_RESOURCES: dict = {}
_ENGINE_CACHE: dict = {}
_WARNED: set = set()


def _warn_once(key: str, message: str) -> None:
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, stacklevel=4)


def _is_pathlike(x) -> bool:
    return isinstance(x, (str, os.PathLike))


def _as_list(x) -> list:
    if x is None:
        return []
    if _is_pathlike(x):
        return [x]
    return list(x)


def _file_digest(path, param: str) -> str:
    p = os.fspath(path)
    try:
        with open(p, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError as exc:
        raise InputError(f"{param}: cannot read {p!r} ({exc.strerror}); check the path") \
            from None


def _builtin_lexicon():
    """The built-in lexicon DataFrame, or None while the data file is not there."""
    try:
        from . import _lexicons
        return _lexicons.load_lexicon()
    except (ImportError, FileNotFoundError, OSError) as exc:
        _warn_once("lexicon", f"bri_text: the Belt and Road lexicon could not be loaded "
                              f"({exc}); segmenting without it")
        return None


def _builtin_synonyms() -> dict:
    try:
        from . import _lexicons
        return _lexicons.load_synonyms()
    except (ImportError, FileNotFoundError, OSError) as exc:
        _warn_once("synonyms", f"bri_text: synonyms.tsv could not be loaded ({exc})")
        return {}


def _load_stopword_kind(kind) -> frozenset:
    from . import _lexicons
    try:
        return _lexicons.load_stopwords(kind)
    except (FileNotFoundError, OSError) as exc:
        if isinstance(kind, str) and kind in _STOP_KINDS:
            _warn_once(f"stop-{kind}", f"bri_text: the {kind!r} stopword list could not be "
                                       f"loaded ({exc}); no stopwords of that kind removed")
            return frozenset()
        raise


def _category_tag(category: str) -> str:
    """A jieba part-of-speech tag for a lexicon category (used by ``pos=`` filters)."""
    if category == "place":
        return "ns"
    if category == "institution":
        return "nt"
    return "nz"


def _trie_regex(terms: Iterable[str]) -> str:
    """A regular expression matching any of ``terms``, longest first (a character trie)."""
    trie: dict = {}
    for t in terms:
        node = trie
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items())
                    if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


class _Resources:
    """Everything a tokenizer configuration needs, built once per configuration."""

    def __init__(self, lexicon, user_dict, synonyms, fold_synonyms, stopwords):
        from . import _lexicons

        words: dict[str, tuple] = {}  # folded term -> (freq or None, tag)
        if lexicon is True:
            df = _builtin_lexicon()
        elif lexicon is False or lexicon is None:
            df = None
        else:
            df = _lexicons.load_lexicon(lexicon)
        self.lexicon_size = 0
        if df is not None:
            for term, cat, freq in zip(df["term"], df["category"], df["freq"]):
                words[fold_variants(term)] = (None if pd.isna(freq) else int(freq),
                                              _category_tag(cat))
            self.lexicon_size = len(df)
        for path in user_dict:
            for term, cat, freq in _lexicons._parse_lexicon(
                    *_lexicons._user_text(path, "user_dict"), builtin=False):
                words[fold_variants(term)] = (freq, _category_tag(cat) if cat != "user" else "nz")
        # synonyms: variants and canonical forms are words too (so 亚洲基础设施投资银行
        # comes out whole whether or not it is folded)
        syn = dict(_builtin_synonyms()) if lexicon is not False else {}
        for s in synonyms:
            if isinstance(s, dict):
                syn.update(s)
            else:
                syn.update(_lexicons.load_synonyms(s))
        syn = {fold_variants(k): fold_variants(v) for k, v in syn.items()}
        for t in list(syn) + list(syn.values()):
            words.setdefault(t, (None, "nz"))
        self.synonyms = syn if fold_synonyms else {}
        self.engine_words = sorted((w, f, t) for w, (f, t) in words.items()
                                   if _ENGINE_WORD.fullmatch(w))
        self.special = {w: t for w, (f, t) in words.items() if not _ENGINE_WORD.fullmatch(w)}
        pattern = _SURROGATES
        if self.special:
            # the lookahead on the possible first characters lets the regex skip ahead
            # (2x faster on the built-in corpus than the bare alternation)
            first = "".join(sorted({re.escape(t[0]) for t in self.special}))
            pattern = (f"(?=[{first}\ud800-\udfff])"
                       f"(?:(?P<term>{_trie_regex(self.special)})|{_SURROGATES})")
        self.pieces = re.compile(pattern)
        self.words_key = hashlib.sha256(json.dumps(self.engine_words, ensure_ascii=False)
                                        .encode("utf-8")).hexdigest()[:16]
        stop: set = set()
        for s in stopwords:
            if isinstance(s, (set, frozenset)):
                stop |= {fold_variants(w) for w in s}
            else:
                stop |= {fold_variants(w) for w in _load_stopword_kind(s)}
        self.stopwords = frozenset(stop)
        self.digest = hashlib.sha256(json.dumps(
            [self.engine_words, sorted(self.special.items()), sorted(self.synonyms.items()),
             sorted(self.stopwords)], ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


# A lexicon word without a frequency gets _BOOST times the smallest frequency that makes it
# one word on its own (jieba's suggest_freq), so it also stays whole in context (深化改革开放
# -> 深化 / 改革开放). 5 is the smallest factor that passes the lexicon-coverage test; it
# costs no F1 on the SIGHAN PKU set (benchmarks/SEGMENT.md).
_BOOST = 5


_SHORT_HAN = re.compile(f"[{_HAN}]{{1,5}}")


def _dash_runs(word: np.ndarray, ids: np.ndarray, dashes: np.ndarray) -> list:
    """Runs ``A — B`` (one em dash piece between two short Chinese words) to join into one
    piece ``A—B``: 中国—东盟, 郑州—卢森堡, 中国—中亚—西亚. A double dash (——, the Chinese
    破折号) is punctuation and never joins.

    ``word[ids]`` are the pieces and ``dashes`` the positions of the ``—`` pieces; returns
    ``[(first, last, joined text)]``: pieces ``first..last`` become one. Only the dashes
    are visited."""
    n = len(ids)
    runs: list = []
    for i in dashes.tolist():
        if i == 0 or i + 1 >= n:
            continue
        right = word[ids[i + 1]]
        extends = bool(runs) and runs[-1][1] == i - 1  # the left piece is a joined run
        left = runs[-1][2] if extends else word[ids[i - 1]]
        if (_SHORT_HAN.fullmatch(right) and _SHORT_HAN.fullmatch(left.rsplit("—", 1)[-1])
                and not (i >= 2 and word[ids[i - 2]] == "—" and "—" not in left)):
            if extends:
                runs[-1] = (runs[-1][0], i + 1, left + "—" + right)
            else:
                runs.append((i - 1, i + 1, left + "—" + right))
    return runs


def _make_engine(engine: str, words: list, words_key: str):
    key = (engine, words_key)
    with _LOCK:
        obj = _ENGINE_CACHE.get(key)
        if obj is not None:
            return obj
        if engine == "rjieba":
            import rjieba

            obj = rjieba.Jieba()
            for w, f, t in words:
                obj.add_word(w, f if f is not None else _BOOST * obj.suggest_freq(w), t)
        else:
            import jieba

            obj = jieba.Tokenizer()
            obj.initialize()
            for w, f, t in words:
                obj.add_word(w, f if f is not None else _BOOST * obj.suggest_freq(w), t)
        _ENGINE_CACHE[key] = obj
        return obj


def _posseg(engine_obj):
    """A private ``jieba.posseg.POSTokenizer`` bound to one ``jieba.Tokenizer``."""
    with _LOCK:
        pt = getattr(engine_obj, "_bri_posseg", None)
        if pt is None:
            import jieba.posseg

            pt = jieba.posseg.POSTokenizer(engine_obj)
            engine_obj._bri_posseg = pt
        return pt


def _resolve_engine(engine: str) -> str:
    if engine != "auto":
        return engine
    from importlib import import_module

    try:
        import_module("rjieba")
        return "rjieba"
    except ImportError:  # pragma: no cover - rjieba is a core dependency
        _warn_once("auto", "bri_text: rjieba is not installed; engine='auto' uses jieba")
        return "jieba"


def _versions(engine: str) -> dict:
    from importlib import metadata

    from . import __version__

    try:
        ev = metadata.version(engine)
    except metadata.PackageNotFoundError:  # pragma: no cover
        ev = None
    return {"bri_text": __version__, engine: ev}


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
        a file with one word per line; a tuple combines several.
    lexicon : bool or path
        Add the built-in Belt and Road lexicon (True, default), nothing (False), or the
        built-in lexicon plus a user file in the same format (path).
    user_dict : path or list of paths
        Extra words, one per line: ``term [freq] [category]`` or ``term<TAB>category<TAB>freq``.
    synonyms : path, dict or list of these
        Extra ``variant -> canonical`` pairs (TSV ``variant<TAB>canonical``).
    fold_synonyms : bool or None
        Replace variants by their canonical form; None (default) folds only when
        ``synonyms`` is given.
    fold_variants : bool
        Read full-width ASCII as half-width and any dash between Chinese characters as ``—``
        (default True).

    >>> tok = Tokenizer(pos={"ns"}, stopwords=None)
    >>> tok("广西与东盟国家合作")
    ['广西']
    """

    def __init__(self, *, engine: str = "auto", mode: str = "accurate", hmm: bool = True,
                 pos=None, min_length: int = 1, keep_numbers: bool = False,
                 keep_latin: bool = True, keep_punctuation: bool = False,
                 stopwords="general", lexicon=True, user_dict=None, synonyms=None,
                 fold_synonyms=None, fold_variants: bool = True):
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
        self._check()
        self._state = None

    # ---------------------------------------------------------------- parameters
    _PARAMS = ("engine", "mode", "hmm", "pos", "min_length", "keep_numbers", "keep_latin",
               "keep_punctuation", "stopwords", "lexicon", "user_dict", "synonyms",
               "fold_synonyms", "fold_variants")

    def get_params(self) -> dict:
        """The constructor arguments (``Tokenizer(**tok.get_params()) == tok``)."""
        return {p: getattr(self, p) for p in self._PARAMS}

    def _check(self) -> None:
        if self.engine not in _ENGINES:
            raise ParameterError(f"engine must be one of {_ENGINES}, got {self.engine!r}")
        if self.mode not in _MODES:
            raise ParameterError(f"mode must be one of {_MODES}, got {self.mode!r}")
        for name in ("hmm", "keep_numbers", "keep_latin", "keep_punctuation",
                     "fold_variants"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ParameterError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.fold_synonyms is not None and not isinstance(self.fold_synonyms, bool):
            raise ParameterError(
                f"fold_synonyms must be True, False or None, got {self.fold_synonyms!r}")
        if isinstance(self.min_length, bool) or not isinstance(self.min_length, (int, np.integer)) \
                or self.min_length < 1:
            raise ParameterError(f"min_length must be an int >= 1, got {self.min_length!r}")
        if self.pos is not None:
            if isinstance(self.pos, str) or not all(isinstance(p, str) and p
                                                    for p in self.pos):
                raise ParameterError(
                    f"pos must be None or a set of part-of-speech tags such as "
                    f"{{'n', 'ns', 'v'}}, got {self.pos!r}")
            if not self.pos:
                raise ParameterError("pos must not be empty; use None to keep every tag")
            if self.mode == "search":
                raise ParameterError("pos= cannot be combined with mode='search'; "
                                     "use mode='accurate' to tag parts of speech")
        if not (isinstance(self.lexicon, bool) or _is_pathlike(self.lexicon)):
            raise ParameterError(
                f"lexicon must be True, False or a file path, got {self.lexicon!r}")
        for p in _as_list(self.user_dict):
            if not _is_pathlike(p):
                raise ParameterError(f"user_dict must be a file path or a list of paths, "
                                     f"got an item {p!r}")
            if not os.path.isfile(os.fspath(p)):
                raise InputError(f"user_dict: file {os.fspath(p)!r} does not exist")
        for s in ([self.synonyms] if isinstance(self.synonyms, dict) else
                  _as_list(self.synonyms)):
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
        self._stop_sources()  # validates stopwords

    def _stop_sources(self) -> list:
        sw = self.stopwords
        if sw is None or sw is False:
            return []
        items = list(sw) if isinstance(sw, (list, tuple)) else [sw]
        out = []
        for s in items:
            if isinstance(s, (set, frozenset)):
                bad = [w for w in s if not isinstance(w, str)]
                if bad:
                    raise ParameterError(f"stopwords: a set must hold str words; got "
                                         f"{bad[0]!r}")
                out.append(frozenset(s))
            elif isinstance(s, str) and s in _STOP_KINDS:
                out.append(s)
            elif _is_pathlike(s) and os.path.isfile(os.fspath(s)):
                out.append(os.fspath(s))
            else:
                raise ParameterError(
                    f"stopwords must be None, 'general', 'policy', 'all', a file path, a set "
                    f"of words or a tuple of these; got {s!r} (to give the words themselves, "
                    f"pass a set: stopwords={{'的', '和'}})")
        return out

    # ---------------------------------------------------------------- state
    def _get_state(self):
        st = self._state
        if st is not None:
            return st
        engine = _resolve_engine(self.engine)
        user = [os.fspath(p) for p in _as_list(self.user_dict)]
        syn = [self.synonyms] if isinstance(self.synonyms, dict) else _as_list(self.synonyms)
        syn_key = [s if isinstance(s, dict) else (os.fspath(s), _file_digest(s, "synonyms"))
                   for s in syn]
        stop = self._stop_sources()
        stop_key = [sorted(s) if isinstance(s, frozenset) else s for s in stop]
        fold_syn = bool(syn) if self.fold_synonyms is None else self.fold_synonyms
        lexicon = self.lexicon if isinstance(self.lexicon, bool) else os.fspath(self.lexicon)
        lex_key = lexicon if isinstance(lexicon, bool) else (lexicon, _file_digest(lexicon, "lexicon"))
        rkey = json.dumps([lex_key, [(u, _file_digest(u, "user_dict")) for u in user], syn_key, fold_syn,
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
            "lexicon": lexicon, "lexicon_size": res.lexicon_size, "user_dict": user,
            "synonyms": ["<dict>" if isinstance(s, dict) else os.fspath(s) for s in syn],
            "fold_synonyms": fold_syn, "fold_variants": bool(self.fold_variants),
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
        return self._get_state().run(text, self)[0]

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
        return tokenize_stream(texts, self, n_jobs=n_jobs, with_spans=with_spans,
                               progress=progress)


def _check_text(text, where: str) -> None:
    if not isinstance(text, str):
        raise InputError(f"{where} must be a str, got {type(text).__name__}")


class _VocabTable:
    """Snapshot of a :class:`_Vocab`: ``index`` (piece -> id) and, per id, the ``word``,
    its ``tag`` (None for untagged pieces), ``length``, ``canon`` (canonical token, ""
    when the filters drop the piece), ``keep`` and ``dash`` (the piece is ``—``)."""

    __slots__ = ("index", "word", "tag", "length", "canon", "keep", "dash")

    def __init__(self, index, *arrays):
        self.index = index
        self.word, self.tag, self.length, self.canon, self.keep, self.dash = arrays

    def grown(self, index, new: list) -> "_VocabTable":
        """This table (emptied when ``index`` is a new dict) plus ``new`` (word, tag, canon)."""
        k = len(self.word) if index is self.index else 0
        word = _object_array([w for w, _, _ in new])
        canon = _object_array([c for _, _, c in new])
        add = (word, _object_array([t for _, t, _ in new]),
               np.fromiter(map(len, word), dtype=np.int64, count=len(new)), canon,
               canon.astype(bool), word == "—")
        old = (self.word, self.tag, self.length, self.canon, self.keep, self.dash)
        return _VocabTable(index, *(np.concatenate([o[:k], a]) for o, a in zip(old, add)))


class _Vocab:
    """The pieces a tokenizer has met (a word, or a (word, tag) pair when tagging), each
    described once: filters, synonyms, tag filter.

    Arrays are never changed in place: growing builds new arrays, then publishes them
    before adding the new ids to the index, so a reader holding ids always finds them in
    the table it reads afterwards; within one index, tables only grow, so older ids stay
    valid. Past ``limit`` pieces it starts a new index (bounded memory on endless
    streams)."""

    def __init__(self, limit: int = 2_000_000):
        self.limit = limit
        self._lock = threading.Lock()
        e = np.empty(0, dtype=object)
        self.table = _VocabTable({}, e, e, np.empty(0, np.int64), e, np.empty(0, bool),
                                 np.empty(0, bool))

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
            self.table = t.grown(index, [describe(x) for x in new])
            index.update(zip(new, range(base, base + len(new))))


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
        self.vocab = _Vocab()

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
        tagging) that cover it exactly, in order; dash compounds not joined yet."""
        eng = self.engine
        rj = self.engine_name == "rjieba"
        hmm = bool(tok.hmm)
        items: list = []
        for s, e, forced in self._spans_of(view):
            if forced is not None:
                items.append(forced if tagging else forced[0])
                continue
            piece = view[s:e]
            if tagging:
                if rj:
                    items.extend(eng.tag(piece, hmm))
                else:
                    items.extend((p.word, p.flag) for p in _posseg(eng).cut(piece, HMM=hmm))
            elif rj:
                items.extend(eng.cut(piece, hmm))
            else:
                items.extend(eng.cut(piece, HMM=hmm))
        return items

    def _describe(self, item, tok: "Tokenizer") -> tuple:
        """(word, tag, canonical token or "" to drop it) of a piece."""
        if isinstance(item, tuple):
            w, t = item
            c = self.decide(w, tok)
            return w, t, (c if c and self._tag_allowed(t) else "")
        return item, None, self.decide(item, tok)

    def piece_ids(self, view: str, tok: "Tokenizer", tagging: bool):
        """Accurate mode: (ids, table): the pieces of ``view`` as ids into the vocabulary
        table, empty pieces dropped, dash compounds (``中国—东盟``) joined."""
        items = self.pieces(view, tok, tagging)
        describe = lambda x: self._describe(x, tok)  # noqa: E731
        while True:
            ids, table = self.vocab.lookup(items, describe)
            if not table.length[ids].all():  # engines never return "", but be safe
                ids = ids[table.length[ids] > 0]
            runs = _dash_runs(table.word, ids, np.flatnonzero(table.dash[ids])) \
                if "—" in view else []
            if not runs:
                return ids, table
            joined, table2 = self.vocab.lookup(
                [(text, "nz") if tagging else text for _, _, text in runs], describe)
            if table2.index is table.index:  # else the vocabulary restarted: again
                break
        ids = ids.copy()
        ids[[first for first, _, _ in runs]] = joined
        drop = np.concatenate([np.arange(first + 1, last + 1) for first, last, _ in runs])
        return np.delete(ids, drop), table2

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
        ids, table = self.piece_ids(view, tok, False)
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

    def run(self, text: str, tok: "Tokenizer", tags: bool = False):
        """(tokens, spans array (n, 2), tags or None) for one text."""
        b = self.batch([text], tok, tags)
        return b.tokens, b.spans, b.tags


# -------------------------------------------------------------------- Tokens
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

    >>> t = tokenize(["中欧班列开行。", "西部陆海新通道"])
    >>> t.doc_ids, t.n_tokens.tolist()
    (['doc0', 'doc1'], [2, 1])
    """

    def __init__(self, docs: pd.DataFrame, tokens: list, spans: list, config: dict,
                 tags: list | None = None):
        if not (len(docs) == len(tokens) == len(spans)):
            raise ParameterError(f"docs, tokens and spans must have the same length; got "
                                 f"{len(docs)}, {len(tokens)} and {len(spans)}")
        self.docs = docs.reset_index(drop=True)
        self.tokens = tokens
        self.spans = spans
        self.config = config
        self.tags = tags

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
        """16 hex digits identifying the texts and the tokenizer configuration."""
        texts = self.docs["text"].tolist()
        return _util.fingerprint(texts, extra=json.dumps(self.config, sort_keys=True,
                                                         ensure_ascii=False, default=str))

    def __repr__(self) -> str:
        n = sum(len(t) for t in self.tokens)
        return (f"<Tokens: {len(self)} units, {n:,} tokens; engine "
                f"{self.config.get('engine')}>")

    def _take(self, idx) -> "Tokens":
        idx = list(idx)
        return Tokens(self.docs.iloc[idx], [self.tokens[i] for i in idx],
                      [self.spans[i] for i in idx], self.config,
                      None if self.tags is None else [self.tags[i] for i in idx])

    def subset(self, mask=None, **conditions) -> "Tokens":
        """Units matching a boolean mask and/or metadata conditions (as ``Corpus.subset``).

        >>> t = tokenize(pd.DataFrame({"text": ["广西", "甘肃"], "region": ["广西", "甘肃"]}))
        >>> t.subset(region="甘肃").tokens
        [['甘肃']]
        """
        return self._take(np.flatnonzero(_util.subset_mask(self.docs, mask, conditions)))

    def reshape(self, unit: str = "paragraph") -> "Tokens":
        """Split units into paragraphs or sentences, using the token spans (no re-tokenising).

        Boundaries are those of ``Corpus.reshape`` (``bri_text._units``); each new unit has
        ``doc_id`` ``"{parent}#p{n}"`` / ``"#s{n}"``, ``parent_id``, ``unit``,
        ``unit_index``, ``start``/``end`` into the parent text and the parent's metadata.
        A token belongs to the unit its first character is in.

        >>> t = tokenize(["丝路基金。\\n中欧班列"]).reshape("paragraph")
        >>> t.doc_ids, t.tokens
        (['doc0#p0', 'doc0#p1'], [['丝路基金'], ['中欧班列']])
        """
        from . import _units

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
                      tags if self.tags is not None else None)

    def to_gensim(self):
        """``(gensim.corpora.Dictionary, bag-of-words list)`` for gensim models.

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


# -------------------------------------------------------------------- input
def _as_docs(data) -> pd.DataFrame:
    docs = getattr(data, "docs", None)
    if isinstance(docs, pd.DataFrame):
        data = docs
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns:
            raise MetadataError(f"the DataFrame needs a 'text' column; columns present: "
                                f"{list(data.columns)}")
        df = data.reset_index(drop=True)
        if "doc_id" not in df.columns:
            df.insert(0, "doc_id", [f"doc{i}" for i in range(len(df))])
        for did, t in zip(df["doc_id"], df["text"]):
            if not isinstance(t, str):
                raise MetadataError(f"text of document {did!r} is {type(t).__name__}, not str; "
                                    "fill or drop missing texts first")
        return df
    if isinstance(data, str):
        data = [data]
    if isinstance(data, pd.Series):
        data = data.tolist()
    try:
        texts = list(data)
    except TypeError:
        raise ParameterError(f"tokenize needs a Corpus, a DataFrame with a 'text' column or an "
                             f"iterable of str, got {type(data).__name__}") from None
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"texts[{i}] is {type(t).__name__}, not str")
    return pd.DataFrame({"doc_id": [f"doc{i}" for i in range(len(texts))], "text": texts})


def _resolve_tokenizer(tokenizer, params) -> Tokenizer:
    if tokenizer is None:
        return Tokenizer(**params)
    if params:
        raise ParameterError(f"give either tokenizer= or tokenizer options "
                             f"({', '.join(params)}), not both")
    if not isinstance(tokenizer, Tokenizer):
        raise ParameterError(f"tokenizer must be a bri_text Tokenizer, got "
                             f"{type(tokenizer).__name__}")
    return tokenizer


def _check_n_jobs(n_jobs) -> int:
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ParameterError(f"n_jobs must be a positive int or -1 (all cores), got {n_jobs!r}")
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    return int(n_jobs)


# -------------------------------------------------------------------- batches
_BATCH_CHARS = 1_000_000


def _run_batch(tok: Tokenizer, texts: list, tags: bool) -> "_Batch":
    """Tokenise a list of texts (joined in groups of about _BATCH_CHARS characters)."""
    st = tok._get_state()
    return _Batch.concat([st.batch(group, tok, tags)
                          for group in _batches(texts, _BATCH_CHARS, 1 << 30)], tags)


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


class _Batch:
    """Tokens of several texts, flat: token ``ids`` into ``vocab`` (an object array of
    str), ``counts`` per text, ``spans`` (N, 2) and ``tags`` (list or None). ``tokens``
    (list of str) is built on first use."""

    __slots__ = ("vocab", "ids", "counts", "spans", "tags", "_tokens")

    def __init__(self, vocab, ids, counts, spans, tags):
        self.vocab, self.ids, self.counts, self.spans, self.tags = vocab, ids, counts, spans, tags
        self._tokens = None

    @classmethod
    def from_vocab(cls, vocab: list, ids, counts, spans, tags) -> "_Batch":
        """A batch from a list of distinct tokens and ids into it (worker result, cache)."""
        return cls(_object_array(vocab), ids, counts, spans, tags)

    @classmethod
    def concat(cls, parts: list, tags: bool) -> "_Batch":
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.from_vocab([], np.empty(0, np.intp), np.empty(0, np.int64),
                                  np.empty((0, 2), np.int64), [] if tags else None)
        starts = np.cumsum([0] + [len(p.vocab) for p in parts[:-1]])
        return cls(np.concatenate([p.vocab for p in parts]),
                   np.concatenate([p.ids + s for p, s in zip(parts, starts)]),
                   np.concatenate([p.counts for p in parts]),
                   np.concatenate([p.spans for p in parts]),
                   [t for p in parts for t in p.tags] if tags else None)

    @property
    def tokens(self) -> list:
        if self._tokens is None:
            self._tokens = self.vocab[self.ids].tolist()
        return self._tokens

    def compact(self):
        """(list of the distinct tokens, int32 ids into it): what is sent or stored."""
        if len(self.ids) * 4 < len(self.vocab):  # few tokens of a large vocabulary: sort
            used, ids = np.unique(self.ids, return_inverse=True)
            return self.vocab[used].tolist(), ids.astype(np.int32).reshape(-1)
        used = np.flatnonzero(np.bincount(self.ids, minlength=len(self.vocab)))
        remap = np.zeros(len(self.vocab), dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        return self.vocab[used].tolist(), remap[self.ids]

    def __getstate__(self):
        # compact for the trip back from a worker process: vocabulary + int32 ids and spans
        vocab, ids = self.compact()
        spans = self.spans
        if not len(spans) or spans.max() < 2 ** 31:
            spans = spans.astype(np.int32)
        return (vocab, ids, self.counts, spans, self.tags)

    def __setstate__(self, s):
        vocab, ids, counts, spans, tags = s
        self.__init__(_object_array(vocab), ids, counts, spans.astype(np.int64), tags)

    def split(self, sizes: list) -> list:
        """Split into batches of ``sizes`` texts each."""
        out, t, tok = [], 0, 0
        for n in sizes:
            c = self.counts[t:t + n]
            m = int(c.sum())
            out.append(_Batch(self.vocab, self.ids[tok:tok + m], c, self.spans[tok:tok + m],
                              self.tags[tok:tok + m] if self.tags is not None else None))
            t, tok = t + n, tok + m
        return out

    def unpack(self):
        """Yield (tokens, spans, tags) per text."""
        tokens = self.tokens
        pos = 0
        for n in self.counts.tolist():
            yield (tokens[pos:pos + n], self.spans[pos:pos + n],
                   self.tags[pos:pos + n] if self.tags is not None else None)
            pos += n


# Characters each worker process must get to be worth starting: a pool of 2 workers costs
# about 60 ms to start and stop on the benchmark machine (benchmarks/SEGMENT.md), rjieba
# segments about 4M characters/s and jieba about 0.4M per process.
_MIN_WORKER_CHARS = {"rjieba": 500_000, "jieba": 50_000}


def _useful_jobs(n_jobs: int, chars: int, engine: str) -> int:
    """``n_jobs``, or fewer when there is too little text for that many workers."""
    return max(1, min(n_jobs, chars // _MIN_WORKER_CHARS.get(engine, 50_000)))


def _job_chars(total: int, n_jobs: int) -> int:
    """Characters per job: _BATCH_CHARS, or less so that each worker gets at least 4 jobs
    (jobs are handed out in order, so smaller jobs balance the workers)."""
    if n_jobs == 1:
        return _BATCH_CHARS
    return max(10_000, min(_BATCH_CHARS, total // (4 * n_jobs) + 1))


def _ranges(cum: np.ndarray, size: int) -> list:
    """(lo, hi) ranges of consecutive texts of about ``size`` characters: the texts that
    start in the same stretch of ``size`` characters (``cum``: characters before each
    text, and the total last)."""
    n = len(cum) - 1
    if n <= 0:
        return []
    cuts = (np.flatnonzero(np.diff(cum[:-1] // size)) + 1).tolist()
    return list(zip([0] + cuts, cuts + [n]))


_WORKER_TOK = None


def _worker_init(tok):
    """Once per worker process: keep the tokenizer and build its engine (already built
    when the worker is forked from a parent that used it)."""
    global _WORKER_TOK
    _WORKER_TOK = tok
    tok._get_state().engine  # noqa: B018 - builds the engine


def _worker_run(texts, tags):
    return _run_batch(_WORKER_TOK, texts, tags)


def _batches(texts: Iterable[str], max_chars: int, max_texts: int):
    batch, size = [], 0
    for t in texts:
        batch.append(t)
        size += len(t)
        if size >= max_chars or len(batch) >= max_texts:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _map_batches(tok: Tokenizer, batches: Iterable[list], n_jobs: int, tags: bool):
    """Yield _Batch results in input order; at most 2*n_jobs batches in flight."""
    if n_jobs == 1:
        for b in batches:
            yield _run_batch(tok, b, tags)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if "fork" in
                                      multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_worker_init,
                             initargs=(tok,)) as ex:
        pending: deque = deque()
        for b in batches:
            pending.append(ex.submit(_worker_run, b, tags))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# -------------------------------------------------------------------- public functions
def tokenize(corpus_or_texts, tokenizer: Tokenizer | None = None, *, n_jobs: int = 1,
             progress=None, cache="auto", cache_dir=None, **params) -> Tokens:
    """Segment every unit of a corpus into tokens with offsets.

    Parameters
    ----------
    corpus_or_texts : Corpus, DataFrame with a ``text`` column, or iterable of str
    tokenizer : Tokenizer, optional
        Default ``Tokenizer(**params)``.
    n_jobs : int
        Worker processes (-1: all cores); order is preserved. rjieba holds the GIL, so
        workers are processes; each is started only if it gets at least 500,000
        characters (50,000 with ``engine="jieba"``), below that the work stays in this
        process. On 2 free cores ``n_jobs=2`` is about 1.5-1.6x faster on 50 MB; on cores
        shared with other jobs it can be slower (``benchmarks/SEGMENT.md``).
    progress : bool or None
        tqdm progress bar; None shows it on a terminal outside CI.
    cache : "auto" | bool
        Reuse tokens stored on disk by an earlier run with the same texts and configuration
        (see :mod:`bri_text._segment_cache`). ``"auto"`` turns it on where reading is faster
        than segmenting again; measured faster for both engines (about 60x for jieba, 7x
        for rjieba on the built-in corpus, ``benchmarks/SEGMENT.md``), so on for both.
    cache_dir : path, optional
        Default: ``$BRI_TEXT_CACHE_DIR`` or the user cache directory.

    >>> tokenize(["推进“一带一路”建设"]).tokens
    [['推进', '一带一路', '建设']]
    >>> tokenize(["推进“一带一路”建设"], stopwords=("general", "policy")).tokens
    [['一带一路']]
    """
    tok = _resolve_tokenizer(tokenizer, params)
    n_jobs = _check_n_jobs(n_jobs)
    docs = _as_docs(corpus_or_texts)
    texts = docs["text"].tolist()
    st = tok._get_state()
    tags = tok.pos is not None
    from . import _segment_cache as sc

    store = sc.resolve(cache, cache_dir, st.engine_name)
    cum = np.zeros(len(texts) + 1, dtype=np.int64)  # characters before each text
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=cum[1:])
    total = int(cum[-1])
    if store is not None:
        shards = sc.plan_shards(texts)
    else:  # without cache, shards only cut the work into jobs
        shards = [(lo, hi, None) for lo, hi in
                  _ranges(cum, _job_chars(total, _useful_jobs(n_jobs, total, st.engine_name)))]
    results: list = [None] * len(shards)
    missing = []
    for k, (lo, hi, digests) in enumerate(shards):
        hit = store.load(st.key, digests, tags) if store is not None else None
        if hit is not None:
            results[k] = list(hit.unpack())
        else:
            missing.append(k)
    todo = sum(int(cum[shards[k][1]] - cum[shards[k][0]]) for k in missing)
    n_jobs = _useful_jobs(n_jobs, todo, st.engine_name)
    job_chars = _job_chars(todo, n_jobs)
    # group missing shards into jobs of at most job_chars characters (or one shard)
    jobs, cur, size = [], [], 0
    for k in missing:
        chars = int(cum[shards[k][1]] - cum[shards[k][0]])
        if cur and size + chars > job_chars:
            jobs.append(cur)
            cur, size = [], 0
        cur.append(k)
        size += chars
    if cur:
        jobs.append(cur)
    job_texts = ([t for k in job for t in texts[shards[k][0]:shards[k][1]]] for job in jobs)
    done = _map_batches(tok, job_texts, n_jobs, tags)
    n_missing = sum(shards[k][1] - shards[k][0] for k in missing)
    bar = _util.progress_bar(None, total=n_missing, desc="tokenize", progress=progress) \
        if n_missing else None
    for job in jobs:
        batch = next(done)
        for k, part in zip(job, batch.split([shards[k][1] - shards[k][0] for k in job])):
            if store is not None:
                store.save(st.key, shards[k][2], part)
            results[k] = list(part.unpack())  # now, while the workers go on
        if bar is not None:
            bar.update(sum(shards[k][1] - shards[k][0] for k in job))
    if bar is not None:
        bar.close()
    out_t, out_s, out_g = [], [], []
    for unpacked in results:
        for toks, sp, tg in unpacked:
            out_t.append(toks)
            out_s.append(sp)
            out_g.append(tg)
    return Tokens(docs, out_t, out_s, dict(st.config), out_g if tags else None)


def tokenize_stream(texts: Iterable[str], tokenizer: Tokenizer | None = None, *,
                    n_jobs: int = 1, with_spans: bool = False, progress=None,
                    batch_chars: int = 1_000_000, **params) -> Iterator:
    """Token lists for an iterable of texts, in order, with bounded memory.

    Reads ``texts`` lazily in batches of about ``batch_chars`` characters (at most
    ``2 * n_jobs`` batches in memory), so a corpus larger than memory can be streamed, e.g.
    from a JSONL file. Yields ``tokens`` or ``(tokens, spans)`` with ``with_spans=True``.
    Nothing is cached.

    >>> list(tokenize_stream(iter(["丝路基金", "亚投行"])))
    [['丝路基金'], ['亚投行']]
    """
    tok = _resolve_tokenizer(tokenizer, params)
    n_jobs = _check_n_jobs(n_jobs)
    if isinstance(texts, str):
        raise ParameterError("texts must be an iterable of str, not one str; wrap it in a list")
    if isinstance(batch_chars, bool) or not isinstance(batch_chars, (int, np.integer)) \
            or batch_chars < 1:
        raise ParameterError(f"batch_chars must be an int >= 1, got {batch_chars!r}")

    def checked():
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputError(f"texts[{i}] is {type(t).__name__}, not str")
            yield t

    gen = (item for b in _map_batches(tok, _batches(checked(), batch_chars, 4096), n_jobs,
                                      tags=False)
           for item in b.unpack())
    for toks, sp, _ in _util.progress_bar(gen, desc="tokenize", progress=progress):
        yield (toks, sp) if with_spans else toks
