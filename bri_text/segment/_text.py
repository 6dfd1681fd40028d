"""Text-level pieces of segmentation: variant folding and token classes."""
from __future__ import annotations

import re
import unicodedata

_ENGINES = ("auto", "rjieba", "jieba")
_MODES = ("accurate", "search")
_STOP_KINDS = ("general", "policy", "all")
# engine-neutral split points for very long texts: both engines treat these as block
# separators, so cutting there does not change the segmentation
_MAX_PIECE = 200_000
_SEPARATORS = re.compile(r"[\n。！？；]")

# -------------------------------------------------------------------- variant folding
# full-width digits, Latin letters and the plus sign (０-９, Ａ-Ｚ, ａ-ｚ, ＋ of 互联网＋)
# -> ASCII; same length, so offsets stay valid. Other full-width punctuation (，：（）) is
# Chinese punctuation and stays as it is.
_FULLWIDTH = re.compile("[\uff0b\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in [0xFF0B] + list(range(0xFF10, 0xFF1A)) +
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
    """The text as the segmenter reads it: full-width digits, letters and ＋ as half-width, a dash between
    two Chinese characters as ``—``. The result has the same length as ``text``.

    >>> fold_variants("中国－东盟ＲＣＥＰ２０２２，互联网＋")
    '中国—东盟RCEP2022，互联网+'
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


# negations that the general stopword list removes; Tokenizer(join_negation=True) joins one
# to the word after it (不平衡, 非物质, 尚未形成) instead of dropping it, so that the word's
# count does not include its negation (不干涉内政 is not 干涉内政)
_NEGATIONS = frozenset({"不", "非", "无", "未", "没", "没有", "勿", "并未", "并非", "并不",
                        "尚未", "绝不", "决不", "不再", "毫无", "从未", "从不", "绝非"})


# 非 X 不可 ("must X": 非做好不可, 非改革不可) is no negation: its 非 is not joined to X. The
# clause must end at 不可 / 不行 / 不成 (or at 的 after it: 非解决不可的时候), so that
# 非公有制经济财产权同样不可侵犯 (non-public ... cannot be infringed) keeps its negation
_MUST_ENDS = frozenset({"不可", "不行", "不成"})
_MUST_REACH = 16        # pieces looked at after 非, within its clause


def _opens_must(words, i: int) -> bool:
    """True when the piece ``words[i]`` is the 非 of 非…不可 (非…不行, 非…不成): a piece
    of those ends the clause (punctuation, a line break or the end follows it, or 的), with
    at least one word between.

    >>> _opens_must(["非", "改革", "不可", "。"], 0), _opens_must(["非", "公有制", "不可", "侵犯"], 0)
    (True, False)
    """
    if words[i] != "非":
        return False
    n = len(words)
    for j in range(i + 1, min(n, i + 1 + _MUST_REACH)):
        w = words[j]
        if not _has_word_char(w):       # the clause ended first
            return False
        if j > i + 1 and w in _MUST_ENDS and (j + 1 == n or words[j + 1] == "的"
                                              or not _has_word_char(words[j + 1])):
            return True
    return False


def _starts_han(tok: str) -> bool:
    return _HAN_RE.match(tok) is not None


def _is_latin(tok: str) -> bool:
    return bool(_LATIN.search(tok)) and not _HAN_RE.search(tok)
