"""Lexicon, synonyms and stopwords resolved into one object; the engines behind the Tokenizer."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import threading
import warnings

import numpy as np
import pandas as pd

from .._util import trie_regex
from ..errors import InputError
from ._text import _ENGINE_WORD, _HAN, _STOP_KINDS, _SURROGATES, fold_variants

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
        from .. import _lexicons
        return _lexicons.load_lexicon()
    except (ImportError, FileNotFoundError, OSError) as exc:
        _warn_once("lexicon", f"bri_text: the Belt and Road lexicon could not be loaded "
                              f"({exc}); segmenting without it")
        return None


def _builtin_synonyms() -> dict:
    try:
        from .. import _lexicons
        return _lexicons.load_synonyms()
    except (ImportError, FileNotFoundError, OSError) as exc:
        _warn_once("synonyms", f"bri_text: synonyms.tsv could not be loaded ({exc})")
        return {}


def _load_stopword_kind(kind) -> frozenset:
    from .. import _lexicons
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


def _lexicon_words(lexicon) -> tuple[dict[str, tuple], int]:
    """folded term -> (freq or None, tag) of the lexicon (True: the built-in one, False or
    None: none, else a file), and the lexicon's number of entries."""
    from .. import _lexicons

    if lexicon is True:
        df = _builtin_lexicon()
    elif lexicon is False or lexicon is None:
        return {}, 0
    else:
        df = _lexicons.load_lexicon(lexicon)
    # general policy terms are asked for whole, as a user's set of words (_KEEP_BOOST)
    keep = _lexicons.general_policy_terms()
    words = {fold_variants(term): (int(freq) if pd.notna(freq) else
                                   _KEEP if term in keep else None, _category_tag(cat))
             for term, cat, freq in zip(df["term"], df["category"], df["freq"])}
    return words, len(df)


@functools.lru_cache(maxsize=1)
def _province_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of China's province-level divisions as the tokenizer cuts them: ``(names,
    compounds)``. Every short, full and variant name of ``lexicons/provinces.tsv`` is one
    token (广西, 广西壮族自治区, 广西自治区; jieba's dictionary lacks 广西自治区 while it has
    新疆自治区 and 宁夏自治区): ``names`` are those jieba's dictionary lacks, to add. A
    name is never glued to the organ or word after it: ``compounds`` are the dictionary's
    words that begin with a full or variant name and go on (四川省人民政府, 内蒙古自治区人民政府,
    广东省政协, 浙江省委, 西藏自治区旅游局 …) or a short name and 政府 (广东政府), to take out,
    so that 四川省人民政府 is 四川省 / 人民政府 as 广东省人民政府 always was. A name of
    provinces.tsv itself (a city: 吉林市) stays.

    >>> names, compounds = _province_words()
    >>> "广西自治区" in names, "新疆自治区" in names
    (True, False)
    >>> {"四川省人民政府", "内蒙古自治区人民政府", "广东省政协", "广东政府"} <= set(compounds)
    True
    """
    from importlib.util import find_spec

    from .. import _lexicons

    p = _lexicons.load_provinces()
    every = set(p["name"])
    names = p.loc[p["kind"].isin(("short", "full", "variant")), ["name", "kind"]]
    long_names = set(names.loc[names["kind"] != "short", "name"])
    governments = {f"{n}政府" for n in names.loc[names["kind"] == "short", "name"]}
    # jieba's dictionary file, read without importing jieba (rjieba embeds the same words)
    path = os.path.join(find_spec("jieba").submodule_search_locations[0], "dict.txt")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    known = set(re.findall(f"^({trie_regex(set(names['name']))}) ", text, flags=re.M))
    compounds = sorted(set(re.findall(
        f"^((?:{trie_regex(long_names)})\\S+|{trie_regex(governments)}) ", text, flags=re.M))
        - every)
    return (tuple(sorted(n for n in names["name"] if n not in known)), tuple(compounds))


def _add_province_words(words: dict) -> None:
    """Province names whole and apart (:func:`_province_words`): the missing names added
    as lexicon words, the compounds taken out of the engine's dictionary (frequency 0),
    lexicon terms left as they are."""
    names, compounds = _province_words()
    for n in names:
        words.setdefault(fold_variants(n), (None, "ns"))
    for w in compounds:
        words.setdefault(fold_variants(w), (0, "ns"))


def _user_dict_entries(path) -> list[tuple[str, str, int | None]]:
    """(term, category, freq or None) of each line of a user_dict file."""
    from .. import _lexicons

    return _lexicons._parse_lexicon(*_lexicons._user_words_text(
        path, "user_dict", what="user_dict file"), builtin=False)


def read_user_dict(path) -> list[str]:
    """The words of a ``Tokenizer(user_dict=path)`` file, in file order, as the tokenizer
    reads it: one ``term [freq] [category]`` (jieba's user-dict style) or
    ``term<TAB>category<TAB>freq`` per line, ``#`` lines and blank lines skipped; UTF-8
    (a BOM dropped), else GBK / GB18030 (Big5 and others: re-save as UTF-8). A missing
    file, a folder, another encoding or a malformed line is an error naming the
    file (and line); an empty file gives ``[]``.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "words.txt")
    ...     with open(path, "w", encoding="gbk") as f:
    ...         _ = f.write("# ports\\n磨憨\\n瑞丽 20 ns\\n")
    ...     read_user_dict(path)
    ['磨憨', '瑞丽']
    """
    return [term for term, _, _ in _user_dict_entries(path)]


def _add_user_words(words: dict, user_dict) -> None:
    """The user_dict words into ``words``: a set's words to keep whole, a file's entries
    with their frequencies."""
    for path in user_dict:
        if isinstance(path, frozenset):  # the words themselves, to keep whole
            for term in sorted(path):
                words[fold_variants(term.strip())] = (_KEEP, "nz")
            continue
        for term, cat, freq in _user_dict_entries(path):
            words[fold_variants(term)] = (freq, _category_tag(cat) if cat != "user" else "nz")


def _synonym_map(lexicon, synonyms) -> dict[str, str]:
    """Folded variant -> folded canonical form: the built-in synonyms (unless
    lexicon=False), then the given dicts and files."""
    from .. import _lexicons

    syn = dict(_builtin_synonyms()) if lexicon is not False else {}
    for s in synonyms:  # each over the ones before: its canonical forms stay canonical
        name, user = ("synonyms", s) if isinstance(s, dict) else _lexicons._user_synonyms(s)
        syn = _lexicons._merge_synonyms(syn, user, name)
    return {fold_variants(k): fold_variants(v) for k, v in syn.items()}


def _overlaps(words: dict) -> tuple[dict, dict]:
    """The words that overlap another: ``(heads, tails)``. A head begins with a proper suffix
    of a tail (要素市场化配置 begins with the 要素 that ends 数据要素); ``heads`` maps each head
    to its ``(tail, overlap)`` pairs, the tail that begins first before it first (then the
    longest), and ``tails`` maps each tail to its tag. For the earlier-term-wins rule
    (:meth:`_State._overlap_fixes`).

    >>> _overlaps({"数据要素": "nz", "要素市场化配置": "nz", "数据": "n"})
    ({'要素市场化配置': (('数据要素', 2),)}, {'数据要素': 'nz'})
    """
    by_prefix: dict = {}
    for w in words:
        for k in range(1, len(w)):
            by_prefix.setdefault(w[:k], []).append(w)
    heads: dict = {}
    tails: dict = {}
    for a, tag in words.items():
        for k in range(1, len(a)):
            for b in by_prefix.get(a[k:], ()):
                if b != a:
                    heads.setdefault(b, []).append((a, len(a) - k))
                    tails[a] = tag
    heads = {b: tuple(sorted(set(pairs), key=lambda p: (p[1] - len(p[0]), -p[1], p[0])))
             for b, pairs in heads.items()}
    return heads, tails


def _pieces_regex(special: dict) -> re.Pattern:
    """The regex that cuts out the words the engine cannot hold, and surrogates."""
    pattern = _SURROGATES
    if special:
        # the lookahead on the possible first characters lets the regex skip ahead
        # (2x faster on the built-in corpus than the bare alternation)
        first = "".join(sorted({re.escape(t[0]) for t in special}))
        pattern = (f"(?=[{first}\ud800-\udfff])"
                   f"(?:(?P<term>{trie_regex(special)})|{_SURROGATES})")
    return re.compile(pattern)


def _stopword_set(stopwords) -> frozenset:
    """The folded stopwords of the given sets and kinds."""
    stop: set = set()
    for s in stopwords:
        if isinstance(s, (set, frozenset)):
            stop |= {fold_variants(w) for w in s}
        else:
            stop |= {fold_variants(w) for w in _load_stopword_kind(s)}
    return frozenset(stop)


class _Resources:
    """Everything a tokenizer configuration needs, built once per configuration."""

    def __init__(self, lexicon, user_dict, synonyms, fold_synonyms, stopwords):
        # folded term -> (freq or None, tag)
        words, self.lexicon_size = _lexicon_words(lexicon)
        if lexicon is not False and lexicon is not None:
            _add_province_words(words)
        _add_user_words(words, user_dict)
        # synonyms: variants and canonical forms are words too (so 亚洲基础设施投资银行
        # comes out whole whether or not it is folded)
        syn = _synonym_map(lexicon, synonyms)
        for t in list(syn) + list(syn.values()):
            words.setdefault(t, (None, "nz"))
        self.synonyms = syn if fold_synonyms else {}
        self.engine_words = sorted((w, f, t) for w, (f, t) in words.items()
                                   if _ENGINE_WORD.fullmatch(w))
        self.special = {w: t for w, (f, t) in words.items() if not _ENGINE_WORD.fullmatch(w)}
        # overlapping words whose frequency the tokenizer chose: the earlier one wins
        self.overlap_heads, self.overlap_tails = _overlaps(
            {w: t for w, f, t in self.engine_words if not isinstance(f, int)})
        # per head, what stands before it where a tail meets it (要素市场化配置 after 数据 in
        # 数据要素市场化配置): one str.endswith of the text before a head tests them all
        self.overlap_leads = {h: tuple(t[:len(t) - k] for t, k in pairs)
                              for h, pairs in self.overlap_heads.items()}
        self.pieces = _pieces_regex(self.special)
        self.words_key = hashlib.sha256(json.dumps(self.engine_words, ensure_ascii=False)
                                        .encode("utf-8")).hexdigest()[:16]
        self.stopwords = _stopword_set(stopwords)
        self.digest = hashlib.sha256(json.dumps(
            [self.engine_words, sorted(self.special.items()), sorted(self.synonyms.items()),
             sorted(self.stopwords)], ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


# A lexicon word without a frequency gets _BOOST times the smallest frequency that makes it
# one word on its own (jieba's suggest_freq), so it also stays whole in context (深化改革开放
# -> 深化 / 改革开放). 5 is the smallest factor that passes the lexicon-coverage test; it
# costs no F1 on the SIGHAN PKU set (benchmarks/SEGMENT.md).
_BOOST = 5
# Words given as a set (Tokenizer(user_dict={"大数据"}), e.g. from discover_terms), and the
# built-in general policy terms (lexicons/policy_terms.tsv), are asked
# for whole: 100 times that frequency, so that they also win over longer dictionary words in
# context (大数据分析 -> 大数据 / 分析, not 大 / 数据分析) while the neighbours still decide a
# string that is not the word (扩大数据 -> 扩大 / 数据; at 1000x 最大数据量 would become
# 最 / 大数据 / 量). Measured on tests/data/digital_economy_policies.csv (tests/test_mentions.py).
_KEEP_BOOST = 100
_KEEP = "keep whole"


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


def _engine_freq(engine_obj, word: str, freq) -> int:
    if isinstance(freq, int):
        return freq
    return (_KEEP_BOOST if freq == _KEEP else _BOOST) * engine_obj.suggest_freq(word)


#: jieba's own dictionary (prefix frequencies, total) as first read in this process:
#: reading it (jieba's cache file) takes about a second, a copy for the next engine (other
#: words, another user dictionary) 20 ms, for 15 MB kept.
_JIEBA_BASE: tuple | None = None


def _new_jieba():
    """A ``jieba.Tokenizer`` holding jieba's default dictionary, initialised (called with
    ``_LOCK`` held): the dictionary is read once per process and copied afterwards."""
    global _JIEBA_BASE
    import jieba

    obj = jieba.Tokenizer()
    if _JIEBA_BASE is None:
        obj.initialize()
        _JIEBA_BASE = (dict(obj.FREQ), obj.total)
    else:
        obj.FREQ, obj.total = dict(_JIEBA_BASE[0]), _JIEBA_BASE[1]
        obj.initialized = True
    return obj


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
                obj.add_word(w, _engine_freq(obj, w, f), t)
        else:
            obj = _new_jieba()
            for w, f, t in words:
                obj.add_word(w, _engine_freq(obj, w, f), t)
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


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """SHA-256 (16 hex digits) of the segment package's source files.

    Part of every configuration key, so tokens cached by other code (an edit of the
    segmentation, a different bri_text build) are never served: the version number alone did
    not change through several segmentation changes (issue 21)."""
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        for name in sorted(os.listdir(here)):
            if name.endswith(".py"):
                with open(os.path.join(here, name), "rb") as fh:
                    data = fh.read()
                h.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "little") + data)
    except OSError:  # pragma: no cover - sources not on disk (zip import): this process's
        return f"unreadable-{os.getpid()}"  # tokens only, never another build's
    return h.hexdigest()[:16]


def _versions(engine: str) -> dict:
    """What the tokens depend on besides the options and resources: the versions of
    bri_text and of both engines' packages (jieba's tagger serves ``pos=``), and the digest
    of the segmentation code itself."""
    from importlib import metadata

    from .._version import __version__

    out = {"bri_text": __version__, "code": _code_digest()}
    for pkg in sorted({engine, "jieba", "rjieba"}):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[pkg] = None
    return out
