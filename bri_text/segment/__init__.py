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

from ._api import _resolve_tokenizer as resolve_tokenizer  # noqa: F401
from ._api import tokenize, tokenize_stream
from ._discover import discover_terms
from ._fragments import FragmentCounts, fragments  # noqa: F401
from ._text import fold_variants
from ._tokenizer import Tokenizer
from ._tokens import Tokens
from ._mentions import KEEP_WHOLE, SplitMatcher, split_mentions  # noqa: F401
from ._nested import _DASH as DASH  # noqa: F401
from ._nested import NestedTerms, domain_terms  # noqa: F401
from ._text import _NEGATIONS as NEGATIONS  # noqa: F401
from ._resources import read_user_dict  # noqa: F401
from ._cache import default_dir as cache_dir  # noqa: F401
from ._cache import clear_cache

# pickles and reprs name the public path, whatever file defines the class
Tokenizer.__module__ = Tokens.__module__ = __name__

__all__ = ["Tokenizer", "Tokens", "clear_cache", "discover_terms", "fold_variants",
           "tokenize", "tokenize_stream"]

#: The names other stages use (internal contracts, not the public API): terms inside longer
#: tokens and split by the tokenizer (features, compare), the tokenizer from parameters
#: (distributed), single characters that are pieces of a longer string the tokenizer cuts
#: (features' dtm, the report) and their counts that add up over partitions (distributed),
#: the negations the tokenizer joins (compare: 非金融 is no mention of 金融), the words of a
#: user_dict file (the report's --user-dict). tests/test_layers.py checks that no module
#: imports a _name of another subpackage.
CONTRACT = ["DASH", "FragmentCounts", "KEEP_WHOLE", "NEGATIONS", "NestedTerms", "SplitMatcher",
            "domain_terms", "fragments", "read_user_dict", "resolve_tokenizer",
            "split_mentions", "cache_dir"]
