"""Shared passages between documents (:func:`text_reuse`): orienting pairs by date,
aligning them, and labelling each passage copy, template, citation, widespread or
formulaic."""
from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from ..corpus import Corpus
from .._util import check_scalar
from ..errors import EmptyDocumentError, MetadataError, ParameterError
from ._align import (_candidate_pairs, _chains, _date_bounds, _local_alignments, _Norm,
                     _orig_span, _pair_seeds)


#: the columns of :func:`text_reuse`, always in this order
REUSE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "passage_a",
                 "passage_b", "similarity", "chars", "formulaic", "kind", "documents",
                 "figures_changed", "inserted", "deleted"]
#: the least number of characters (normalised: punctuation aside, a run of digits one)
#: that doc_b inserts inside a passage for ``inserted`` to show them (or leaves out of
#: it, for ``deleted``)
MIN_INSERTED = 4
#: what separates two inserted runs in the ``inserted`` column
INSERTED_SEP = " | "



# ---------------------------------------------------------------------- public API
def _check_params(min_chars, ngram, max_df, max_gap, min_similarity, formulaic_share,
                  min_inserted=MIN_INSERTED):
    check_scalar(min_chars, "min_chars", min_val=2)
    check_scalar(min_inserted, "min_inserted", min_val=1)
    check_scalar(ngram, "ngram", min_val=2)
    check_scalar(max_gap, "max_gap", min_val=0)
    if ngram > min_chars:
        raise ParameterError(f"ngram ({ngram}) must not exceed min_chars ({min_chars})")
    check_scalar(max_df, "max_df", "real", min_val=0, include_min=False)
    if isinstance(max_df, (float, np.floating)):
        check_scalar(max_df, "max_df as a share", "real", min_val=0, max_val=1,
                     include_min=False)
    else:
        check_scalar(max_df, "max_df as a document count", min_val=2)
    check_scalar(min_similarity, "min_similarity", "real", min_val=0, max_val=1)
    check_scalar(formulaic_share, "formulaic_share", "real", min_val=0, max_val=1)


#: characters that make a figure: digits, decimal points, percent signs, Chinese numerals
#: and the units statistics paragraphs put after them
_FIGURE_CHARS = frozenset("0123456789０１２３４５６７８９.．%％‰零〇一二三四五六七八九十百千万亿两"
                          "元吨个条家项所人次公里米亩台套辆倍户座批年月日美欧港币")
#: a template pair differs mostly (this share of the differing characters) in figures ...
TEMPLATE_SHARE = 0.5
#: ... in at least this many figures
TEMPLATE_FIGURES = 2
_NUMBER = _NOT_TEXT = None


_TITLE = None


def _is_citation(a: str, b: str, min_chars: int) -> bool:
    """Whether two aligned passages share little but the titles they cite: both cite a title
    in 《》, and with the titles (and punctuation) left out both have fewer than
    ``min_chars`` characters. Naming a document (the
    national *Vision and Actions* cited by five provincial plans) is not copying text.

    >>> title = "《推动共建丝绸之路经济带和21世纪海上丝绸之路的愿景与行动》"
    >>> _is_citation("国家发改委、外交部、商务部联合发布了" + title,
    ...              "国家发展改革委、外交部、商务部发布" + title, 30)
    True
    >>> _is_citation("推动共建丝绸之路经济带和21世纪海上丝绸之路，建设国际物流通道和产业园区",
    ...              "推动共建丝绸之路经济带和21世纪海上丝绸之路，建设国际物流通道和产业园区", 30)
    False
    """
    import re

    global _TITLE
    if _TITLE is None:   # a title (cut open at either end of the passage), punctuation
        _TITLE = re.compile(r"《[^》]*(?:》|$)|^[^《]*》|[^\w]|_")
    cite = all("《" in x or "》" in x for x in (a, b))
    return cite and max(len(_TITLE.sub("", a)), len(_TITLE.sub("", b))) < min_chars


def _plain(x: str) -> str:
    """``x`` as titles are compared: without parentheses and what they hold (（试行）,
    （2017—2020年）, （示例）), punctuation, symbols and spaces."""
    import re

    return re.sub(r"[^\w]|_", "", re.sub(r"（[^（）]*）|\([^()]*\)", "", x))


def _names(cited: str, whole: str) -> bool:
    """Whether a cited title names a document titled ``whole`` (both :func:`_plain`): it is
    the title, or its end of at least 8 characters (a title cited without its issuer)."""
    return len(cited) >= 8 and whole.endswith(cited)


def _mask_cited_title(text: str, title: str, keep=()) -> str:
    """``text`` with every title in 《》 that names ``title`` blanked out (spaces: offsets
    stay those of the original): a document citing another by its title cites it, and the
    other's title line is no text it took over. A cited title names ``title`` when, without
    punctuation and parentheses, it is the title or its end of at least 8 characters (a
    title is often cited without its issuer or a parenthesis such as （试行）); a title
    inside it (河北's 推进共建“一带一路”教育行动计划 holds the ministry's
    《推进共建“一带一路”教育行动》) names another document. Titles in ``keep`` (as
    :func:`_cited_titles` gives them: those the other document cites itself, as a notice
    cites the plan it issues, 现将《…》印发给你们) are kept: text both hold.

    >>> _mask_cited_title("为贯彻落实《国务院关于深化数字政府建设的意见》精神，",
    ...                   "国务院关于深化数字政府建设的意见（试行）").split()
    ['为贯彻落实', '精神，']
    >>> _mask_cited_title("依据《数据安全法》", "国务院关于深化数字政府建设的意见")
    '依据《数据安全法》'
    >>> _mask_cited_title("落实教育部《推进共建“一带一路”教育行动》", "河北省推进共建“一带一路”教育行动计划")
    '落实教育部《推进共建“一带一路”教育行动》'
    """
    import re

    whole = _plain(title)
    if len(whole) < 8:
        return text

    def blank(m):
        cited = _plain(m.group(0))
        return " " * len(m.group(0)) if _names(cited, whole) and cited not in keep \
            else m.group(0)
    return re.sub(r"《[^《》\n]*》", blank, text)


def _cited_titles(text: str) -> list:
    """The titles ``text`` cites in 《》 (:func:`_plain`), those of 8 characters or more:
    the ones :func:`_mask_cited_title` can blank."""
    import re

    return [c for c in (_plain(m) for m in re.findall(r"《[^《》\n]*》", text)) if len(c) >= 8]


def _own_title(title, text: str) -> str:
    """A document's own title: its ``title`` metadata, else its first line when that reads
    as a title (at most 60 characters, no sentence end), else ""."""
    if isinstance(title, str) and title.strip():
        return title.strip()
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= 60 and not line.endswith(("。", "；", "！", "？", ";")) else ""


def _citing_masked(i: int, j: int, texts, cites, titles) -> str | None:
    """Document i's text with its citations of document j's own title blanked out, or None
    when it cites no title of j (:func:`_mask_cited_title`; those j cites itself are
    kept)."""
    whole = _plain(titles[j])
    if len(whole) < 8 or not any(_names(c, whole) and c not in cites[j] for c in cites[i]):
        return None
    return _mask_cited_title(texts[i], titles[j], keep=set(cites[j]))


def _figure_patterns():
    import re

    global _NUMBER, _NOT_TEXT
    if _NUMBER is None:
        # punctuation, symbols and spaces (not percent signs): not part of the wording
        _NOT_TEXT = re.compile(r"[^\w%％‰]|_")
        from ._figures import DIGITS

        _NUMBER = re.compile(DIGITS + r"|[零〇一二三四五六七八九十百千两]{2,}")
    return _NUMBER, _NOT_TEXT


def _figures_changed(a: str, b: str) -> int:
    """How many figures (numbers in digits, or of two Chinese numerals or more) one passage
    has that the other has not (the larger of the two sides' counts): 0 when both state
    the same figures.

    >>> _figures_changed("进出口总额达到1000亿美元，年均增长15%", "进出口总额达到300亿美元，年均增长15%")
    1
    >>> _figures_changed("到2020年开通国际货运航线30条", "到２０２０年，开通国际货运航线30条")
    0
    """
    import unicodedata

    number, _ = _figure_patterns()
    na, nb = (Counter(unicodedata.normalize("NFKC", x) for x in number.findall(t))
              for t in (a, b))
    return max(sum((na - nb).values()), sum((nb - na).values()))


def _reuse_kind(a: str, b: str) -> str:
    """``"template"`` when two aligned passages differ mostly in figures (digits, numerals,
    units: at least :data:`TEMPLATE_SHARE` of the differing characters) in at least
    :data:`TEMPLATE_FIGURES` figures, else ``"copy"`` (a single changed figure included:
    :func:`_figures_changed` tells it).

    >>> _reuse_kind("地区生产总值32765亿元，增长7.5%。", "地区生产总值2.15万亿元，增长6.8%。")
    'template'
    >>> _reuse_kind("建设中国—东盟信息港，完善海底光缆。", "建设中国-东盟信息港完善海底光缆")
    'copy'
    >>> _reuse_kind("到2020年，开通国际货运航线30条。", "到2025年，开通国际货运航线30条。")  # one figure
    'copy'
    """
    from rapidfuzz.distance import Levenshtein

    _, not_text = _figure_patterns()
    a, b = not_text.sub("", a), not_text.sub("", b)
    diff = figures = 0
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        changed = a[op.src_start:op.src_end] + b[op.dest_start:op.dest_end]
        diff += len(changed)
        figures += sum(ch in _FIGURE_CHARS for ch in changed)
    if not diff or figures < TEMPLATE_SHARE * diff:
        return "copy"
    return "template" if _figures_changed(a, b) >= TEMPLATE_FIGURES else "copy"


@lru_cache(maxsize=1)
def _formulaic_patterns():
    import re

    from .._lexicons import load_formulaic

    return tuple(re.compile(p) for p in load_formulaic()["pattern"])


def _lexicon_flags(text: str, norm: _Norm, s: int, e: int, x0: int, x1: int) -> np.ndarray:
    """Per normalised position x0..x1-1 of a passage (original text[s:e]): inside a match of
    the formulaic lexicon (matched on the passage only: a few hundred characters, not the
    whole document)."""
    flags = np.zeros(max(0, x1 - x0), dtype=bool)
    part = text[s:e]
    for pat in _formulaic_patterns():
        for m in pat.finditer(part):
            a = int(np.searchsorted(norm.starts, s + m.start())) - x0
            b = int(np.searchsorted(norm.starts, s + m.end())) - x0
            flags[max(a, 0):max(b, 0)] = True
    return flags


def _documents(corpus, reference):
    """(ids, texts, is_ref) to compare; is_ref is None when every pair is compared."""
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"corpus must be a bri_text Corpus, got {type(corpus).__name__}")
    if isinstance(reference, Corpus):
        overlap = sorted(set(reference.doc_ids) & set(corpus.doc_ids))
        if overlap:
            raise MetadataError(f"reference and corpus share doc_id(s) {overlap[:5]}; give "
                                "the reference documents distinct ids")
        if len(reference) == 0:
            raise MetadataError("reference is an empty Corpus; nothing to trace")
        is_ref = np.r_[np.ones(len(reference), bool), np.zeros(len(corpus), bool)]
        return reference.doc_ids + corpus.doc_ids, reference.texts + corpus.texts, is_ref
    if reference is not None:
        from .._grouping import condition_mask

        is_ref = condition_mask(corpus.docs, reference, "reference")
        if not is_ref.any():
            raise MetadataError(f"reference={reference!r} matches no document of the corpus")
        if is_ref.all():
            raise MetadataError(f"reference={reference!r} matches every document; nothing is "
                                "left to trace passages into")
        return corpus.doc_ids, corpus.texts, is_ref
    if len(corpus.doc_ids) < 2:
        raise ParameterError(f"text_reuse needs at least 2 documents, the corpus has "
                             f"{len(corpus.doc_ids)}; pass reference= to compare with other texts")
    return corpus.doc_ids, corpus.texts, None


def _source_dates(corpus, reference, is_ref, date):
    """:func:`_date_bounds` of the ``date`` column when tracing from a reference, else None."""
    if is_ref is None or date is None:
        return None
    meta = pd.concat([reference.docs, corpus.docs], ignore_index=True) \
        if isinstance(reference, Corpus) else corpus.docs
    return _date_bounds(meta[date]) if date in meta.columns else None


def _check_texts(ids, texts, is_ref) -> None:
    if is_ref is not None and len(ids) - int(is_ref.sum()) == 0:
        raise ParameterError("corpus has no document to trace the reference passages into")
    empty = [i for i, t in zip(ids, texts) if not t.strip()]
    if empty:
        raise EmptyDocumentError(f"document(s) with no text: {empty[:5]}; drop them first, "
                                 "e.g. corpus.subset(corpus.docs['text'].str.strip() != '')")


def _orient_pairs(pairs, is_ref, when):
    """Pairs reference first, none with the source dated after its target; and how many went."""
    if is_ref is None:
        return pairs, 0
    pairs = sorted((a, b) if is_ref[a] else (b, a) for a, b in pairs)
    if when is None:
        return pairs, 0
    low, high = when  # later only when it cannot be the same day or earlier
    kept = [(a, b) for a, b in pairs
            if pd.isna(low[a]) or pd.isna(high[b]) or not low[a] > high[b]]
    return kept, len(pairs) - len(kept)


def _pair_passages(na, nb, ta: str, tb: str, ngram, max_gap, min_cover, min_chars,
                   min_similarity) -> list:
    """(chars, s_a, e_a, s_b, e_b, similarity, x0, x1) of the aligned passages of one
    pair: chains of shared shingles, aligned locally, long and similar enough."""
    from rapidfuzz.distance import Indel

    sa, sb = _pair_seeds(na, nb)
    if len(sa) + ngram < min_cover:  # too few shared shingles for any passage
        return []
    found = []
    for a0, a1, b0, b1, cover in _chains(sa, sb, ngram, max_gap, min_cover):
        if cover < min_cover:
            continue
        ra0, rb0 = max(0, a0 - ngram), max(0, b0 - ngram)
        ra1, rb1 = min(len(na.codes), a1 + ngram), min(len(nb.codes), b1 + ngram)
        for span in _local_alignments(na.text(ra0, ra1), nb.text(rb0, rb1),
                                      min_similarity, min_len=ngram):
            x0, x1, y0, y1 = ra0 + span[0], ra0 + span[1], rb0 + span[2], rb0 + span[3]
            s_a, e_a = _orig_span(ta, na, x0, x1)
            s_b, e_b = _orig_span(tb, nb, y0, y1)
            chars = max(e_a - s_a, e_b - s_b)
            if chars < min_chars:
                continue
            sim = Indel.normalized_similarity(na.text(x0, x1), nb.text(y0, y1))
            if sim < min_similarity:
                continue
            found.append((chars, s_a, e_a, s_b, e_b, sim, x0, x1))
    return found


def _one_passage_per_stretch(found: list) -> list:
    """Each stretch of doc_b explained once (by the longest, most similar, earliest
    passage of doc_a): a passage repeated in doc_a does not multiply rows."""
    kept = []
    for f in sorted(found, key=lambda f: (-f[0], -f[5], f[1], f[3])):
        if any(min(f[4], g[4]) - max(f[3], g[3]) > 0.5 * (f[4] - f[3]) for g in kept):
            continue
        kept.append(f)
    return kept


def _is_formulaic(na, ta: str, s_a, e_a, x0, x1, ngram, formulaic_hashes,
                  formulaic_share) -> tuple[bool, bool]:
    """(formulaic, set phrasing): at least ``formulaic_share`` of the passage's shingles
    are formulaic (common to more than ``max_df`` documents, or in the lexicon of set
    phrasing); set phrasing when the lexicon's share, or both together, reach it (not the
    common shingles alone: a passage many documents hold whole is ``"widespread"``)."""
    if na.formulaic is None:
        na.formulaic = np.isin(na.hashes, formulaic_hashes)
    end = max(x0, x1 - ngram + 1)
    common = na.formulaic[x0:end]
    if not len(common):
        return False, False
    need = formulaic_share * len(common)
    lexicon = _lexicon_flags(ta, na, s_a, e_a, x0, end)
    if (common | lexicon).sum() < need:
        return False, False
    return True, bool(lexicon.sum() >= need or common.sum() < need)


def _insertions(a: str, b: str, min_inserted: int = MIN_INSERTED) -> list:
    """The runs of passage ``b`` that passage ``a`` has not, inside an aligned passage: (at,
    start, end) with ``b[start:end]`` the run and ``at`` where in ``a`` it stands. A run is
    what lies between two stretches both passages share (Levenshtein alignment of the
    normalised texts, as ``similarity`` ignores punctuation and digit values) where ``b``
    has at least ``min_inserted`` characters more than ``a``: local words added (推动 …
    合作 made 推动广西面向东盟的 … 合作), or local words in place of fewer of the source's;
    a substituted character or two (an edit of the same length) is not one.

    >>> a = "推动中欧班列集结中心建设，提升互联互通水平。"
    >>> b = "推动广西面向东盟的中欧班列集结中心建设，提升互联互通水平。"
    >>> [(at, b[s:e]) for at, s, e in _insertions(a, b)]
    [(2, '广西面向东盟的')]
    >>> _insertions(a, "推动中欧班列集散中心建设，提升互通水平。")       # edits, a deletion
    []
    """
    from rapidfuzz.distance import Indel, Levenshtein

    na, nb = _Norm(a, 1), _Norm(b, 1)
    ta, tb = na.text(0, len(na.codes)), nb.text(0, len(nb.codes))
    # b's characters outside the longest common subsequence: fewer than min_inserted, no run
    if Indel.distance(ta, tb) + len(tb) - len(ta) < 2 * min_inserted:
        return []
    ops = Levenshtein.opcodes(ta, tb)
    out, run = [], None
    for op in list(ops) + [None]:
        if op is not None and op.tag != "equal":
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end] if run is None \
                else [run[0], op.src_end, run[2], op.dest_end]
            continue
        if run is not None and (run[3] - run[2]) - (run[1] - run[0]) >= min_inserted:
            at = int(na.starts[run[0]]) if run[0] < len(na.starts) else len(a)
            out.append((at, int(nb.starts[run[2]]), int(nb.ends[run[3] - 1])))
        run = None
    return out


def _inserted(a: str, b: str, min_inserted: int = MIN_INSERTED) -> str:
    """The ``inserted`` column: the runs of :func:`_insertions`, joined by
    :data:`INSERTED_SEP` ("" when there are none)."""
    return INSERTED_SEP.join(b[s:e] for _, s, e in _insertions(a, b, min_inserted))


def _deleted(a: str, b: str, min_inserted: int = MIN_INSERTED) -> str:
    """The ``deleted`` column: the runs of passage ``a`` that passage ``b`` has not, inside
    the passage (:func:`_insertions` the other way round), joined by :data:`INSERTED_SEP`.

    >>> _deleted("推动广西面向东盟的中欧班列集结中心建设，提升互联互通水平。",
    ...          "推动中欧班列集结中心建设，提升互联互通水平。")
    '广西面向东盟的'
    """
    return _inserted(b, a, min_inserted)


def _reuse_frame(rows: list) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=REUSE_COLUMNS[:-5] + ["_a", "_b", "kind", "documents",
                                                          "figures_changed", "inserted",
                                                          "deleted"])
    out = out.sort_values(["_a", "_b", "start_a", "start_b"], kind="stable")
    out = out[REUSE_COLUMNS].reset_index(drop=True)
    return out.astype({"start_a": "int64", "end_a": "int64", "start_b": "int64",
                       "end_b": "int64", "chars": "int64", "similarity": "float64",
                       "formulaic": "bool", "documents": "int64", "figures_changed": "bool"})


def text_reuse(corpus: Corpus, reference=None, *, min_chars: int = 30, ngram: int = 5,
               max_df=None, max_gap: int = 40, min_similarity: float = 0.8,
               formulaic_share: float = 0.5, best_source: bool = True,
               date: str | None = "date", min_inserted: int = MIN_INSERTED,
               progress=None) -> pd.DataFrame:
    """Passages shared between documents, one row per aligned passage.

    ``reference=None`` compares every pair of documents of ``corpus`` (``doc_a`` comes
    first in the corpus). ``reference`` as a Corpus, or a condition selecting documents of
    ``corpus`` (``{"level": "national"}`` or a boolean mask), traces passages from the
    reference documents (``doc_a``) into each other document (``doc_b``).

    Parameters: ``min_chars`` - shortest passage reported (characters, the longer of the two
    sides); ``ngram`` - shingle length in normalised characters; ``max_df`` - shingles in
    more than this many documents (a float: this share of the documents, at least 3) are
    common: alone they do not make two documents a candidate pair, but a run of them (a
    stretch of text both hold) does, so a passage many documents share is still aligned
    and reported (before 0.5 it was dropped); by default (None) 0.2 when every pair is
    compared and 1.0 (nothing common by frequency) with ``reference``: traced from a
    reference, the passages most documents hold are the ones most taken from it, not the
    genre's stock wording (that is the lexicon's ``formulaic``), as in
    :func:`~bri_text.diffusion`; ``max_gap`` - longest insertion bridged
    inside a passage (normalised characters); ``min_similarity`` - the least similarity
    kept; ``formulaic_share`` - passages at least this share of which is formulaic (shingles
    in more than ``max_df`` documents, or a match of the curated lexicon of set political
    phrasing, agency lists and closing lines, ``bri_text/lexicons/formulaic.tsv``: document
    frequency alone cannot tell boilerplate in a handful of documents) are flagged
    ``formulaic=True``; ``date`` - with ``reference``, the metadata column of the documents'
    dates: a reference document dated after the document it would be the source of is
    never reported as its source (None: dates ignored); ``best_source`` - with
    ``reference``, attribute each stretch
    of a document to one source only, the most similar (then longest, then earliest in the
    reference) of the reference passages that cover at least half of it; ``False`` lists
    every reference document that holds the passage; ``min_inserted`` - the least number
    of characters doc_b adds inside a passage that ``inserted`` shows, or leaves out of it
    that ``deleted`` shows (default 4: two words).

    Columns: see :data:`REUSE_COLUMNS`. Every passage is at least ``min_similarity`` alike
    with punctuation and digit values ignored; ``kind`` tells apart ``"template"`` (the same
    sentence frame with different figures: at least half of the difference is digits,
    numerals and units, in two figures or more; see :func:`_reuse_kind`), ``"formulaic"``
    (set phrasing: the lexicon covers ``formulaic_share`` of the passage, or does so
    together with common shingles), ``"widespread"`` (``formulaic`` because most of its
    shingles are each in more than ``max_df`` documents, but not set phrasing the lexicon
    knows: the genre's stock wording, or a passage many documents took from one source;
    ``documents`` says how many hold it, and frequency cannot tell the two apart) and
    ``"copy"`` (anything else: the same wording up to small edits, or a single changed
    figure); ``"citation"`` when the two passages share
    little but the titles of documents they cite in 《》 (with the titles left out, both
    have fewer than ``min_chars`` characters: two plans citing the national 《愿景与行动》
    have not copied each other; :func:`_is_citation`). A document citing the other document
    of the pair by its own title in 《》 (为深入贯彻落实…《国务院关于…的意见》精神 against that
    意见, whose title line and preamble it echoes) cites it: the cited title is blanked out
    for that pair before alignment, as :func:`~bri_text.diffusion` does for its sources (the
    ``title`` metadata, else a first line that reads as a title; the cited title is the
    title or its end of 8 characters or more, punctuation and parentheses aside; titles the
    other document cites itself are kept; :func:`_mask_cited_title`).
    ``figures_changed``: True when the two passages do not state the same figures (a
    number in digits, or of two Chinese numerals or more, in one and not the other, as
    :func:`_figures_changed` counts them): a ``copy`` whose target 1000亿美元 became
    300亿美元 has similarity 1.0 (digit values are ignored) and ``figures_changed`` True;
    every ``template`` has it.
    ``inserted``: the words ``passage_b`` has inside the passage that ``passage_a`` has not,
    runs of at least ``min_inserted`` characters (punctuation aside) between two stretches
    both share, joined by " | " ("" when none; :func:`_insertions`): a local version
    copying a clause with words of its own in the middle (推动…合作 made
    推动广西面向东盟的…合作) is one passage, ``similarity`` under 1, and ``inserted`` shows
    广西面向东盟的. An edit that substitutes characters one for one is not an insertion; a
    shorter run than ``min_inserted`` (a changed 全国→全省, a clause renumbered 五→二十七)
    is not shown. ``deleted``, the converse: the words of ``passage_a`` that ``passage_b``
    left out inside the passage, by the same rules (a local version dropping 面向东盟的 of
    推动面向东盟的…合作 shows it there).
    ``documents``: in how many of the compared documents (the corpus, and the reference
    when given) the passage occurs - those holding at least ``formulaic_share`` of its
    ``ngram``-shingles (at least 2: the pair) - so phrasing common to the genre (an
    addressee list 各省、自治区、直辖市……, a principle of the *Vision and Actions*) shows
    as such where the lexicon does not cover it; a passage most of whose shingles are in
    more than ``max_df`` documents is ``formulaic`` (kind ``"widespread"`` unless it is set
    phrasing).
    ``text[start_a:end_a] == passage_a``;
    ``similarity`` is the normalised Indel similarity (0-1) of the two passages with
    punctuation, whitespace and digit values ignored; ``chars`` the longer passage's length.
    Rows are ordered by document pair (corpus order), then ``start_a``. Parameters, the
    number of candidate pairs and the formulaic threshold are in ``df.attrs``, with
    ``corpus_fingerprint`` (``corpus.fingerprint``, as a manifest records it) and
    ``reference_fingerprint`` (a reference Corpus's; None otherwise): the texts the table
    was made from (metadata such as the dates that order the pairs is not in them).

    Raises ParameterError for fewer than two documents to compare, MetadataError when
    ``reference`` selects nothing (or everything), EmptyDocumentError for empty texts.

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> t = bt.text_reuse(corpus.subset(region="陕西"), min_chars=20)   # Xi'an, Shaanxi 2016
    >>> row = t.sort_values(["chars", "start_a"]).iloc[-1]
    >>> row.doc_a, row.doc_b, row.passage_b
    ('bri21', 'bri27', '打造以“汉风古韵”为主题的丝绸之路历史文化旅游区。')
    >>> corpus.docs.text[20][row.start_a:row.end_a] == row.passage_a
    True
    """
    if max_df is None:       # frequency marks stock wording between peers, not in tracing
        max_df = 0.2 if reference is None else 1.0
    _check_params(min_chars, ngram, max_df, max_gap, min_similarity, formulaic_share,
                  min_inserted)
    ids, texts, is_ref = _documents(corpus, reference)
    when = _source_dates(corpus, reference, is_ref, date)
    _check_texts(ids, texts, is_ref)

    n = len(ids)
    max_df_count = int(max_df) if isinstance(max_df, (int, np.integer)) else \
        max(3, int(math.floor(max_df * n)))
    max_df_count = max(2, min(max_df_count, n))
    norms = [_Norm(t, ngram) for t in texts]
    # a passage of min_chars characters with up to 10% of them edited (each edit breaks at
    # most ngram shingles) still shares this many shingles
    min_shared = max(3, (min_chars - ngram + 1) - ngram * math.ceil(0.1 * min_chars))
    pairs, formulaic_hashes = _candidate_pairs(norms, is_ref, max_df_count, min_shared,
                                               run=min_shared)
    pairs, later = _orient_pairs(pairs, is_ref, when)
    # ... and its shared shingles cover at least this many of its characters
    min_cover = max(ngram + 2, min_chars - math.ceil(0.1 * min_chars) * (ngram - 1))

    from .._util import progress_bar

    titles, cites = _titles(corpus, reference, texts), [_cited_titles(t) for t in texts]
    rows = []
    for a, b in progress_bar(pairs, total=len(pairs), desc="text_reuse", progress=progress):
        (ta, na), (tb, nb) = (_pair_text(i, j, texts, norms, cites, titles, ngram)
                              for i, j in ((a, b), (b, a)))
        found = _pair_passages(na, nb, ta, tb, ngram, max_gap, min_cover, min_chars,
                               min_similarity)
        for chars, s_a, e_a, s_b, e_b, sim, x0, x1 in _one_passage_per_stretch(found):
            pa, pb = texts[a][s_a:e_a], texts[b][s_b:e_b]
            formulaic, phrasing = _is_formulaic(na, ta, s_a, e_a, x0, x1, ngram,
                                                formulaic_hashes, formulaic_share)
            kind = "formulaic" if phrasing else "citation" if _is_citation(
                pa, pb, min_chars) else "widespread" if formulaic else _reuse_kind(pa, pb)
            rows.append((ids[a], ids[b], s_a, e_a, s_b, e_b, pa, pb, round(float(sim), 4),
                         int(chars), formulaic, a, b, kind))
    if is_ref is not None and best_source:
        rows = _one_source_per_stretch(rows)
    counts, _ = _document_counts([r[6] for r in rows],
                                 [np.unique(x.hashes) for x in norms], ngram,
                                 formulaic_share, max_df_count)
    out = _reuse_frame([r + (c, _figures_changed(r[6], r[7]) > 0,
                             _inserted(r[6], r[7], min_inserted),
                             _deleted(r[6], r[7], min_inserted))
                        for r, c in zip(rows, counts)])
    out.attrs.update({
        "min_chars": min_chars, "ngram": ngram, "max_df": max_df,
        "max_df_documents": max_df_count, "max_gap": max_gap,
        "min_similarity": min_similarity, "formulaic_share": formulaic_share,
        "min_inserted": min_inserted, "best_source": bool(best_source) if is_ref is not None else None,
        "reference": None if reference is None else (
            "Corpus" if isinstance(reference, Corpus) else repr(reference)),
        "n_documents": n, "candidate_pairs": len(pairs),
        "date": date if when is not None else None, "later_sources_skipped": later,
        **_provenance(corpus, reference),
    })
    return out


def _provenance(corpus, reference) -> dict:
    """What a reuse table was made from, as the manifest records a corpus:
    ``corpus_fingerprint`` (``Corpus.fingerprint``: the ids and texts, not the metadata)
    and ``reference_fingerprint`` (a reference Corpus's, else None: a condition selects
    from the corpus, which the corpus fingerprint covers).

    >>> import bri_text as bt
    >>> c = bt.load_bri_policies()
    >>> _provenance(c, None) == {"corpus_fingerprint": c.fingerprint,
    ...                          "reference_fingerprint": None}
    True
    """
    return {"corpus_fingerprint": corpus.fingerprint,
            "reference_fingerprint": (reference.fingerprint if isinstance(reference, Corpus)
                                      else None)}


def _titles(corpus, reference, texts) -> list:
    """The own title of each compared document (:func:`_own_title`), in text_reuse's order
    (the reference Corpus first)."""
    meta = pd.concat([reference.docs, corpus.docs], ignore_index=True) \
        if isinstance(reference, Corpus) else corpus.docs
    given = meta["title"].tolist() if "title" in meta.columns else [None] * len(texts)
    return [_own_title(t, x) for t, x in zip(given, texts)]


def _pair_text(i: int, j: int, texts, norms, cites, titles, ngram) -> tuple:
    """(text, _Norm) of document i as aligned with document j: its citations of j's own
    title in 《》 blanked out (:func:`_citing_masked`), else as it is."""
    masked = _citing_masked(i, j, texts, cites, titles) if cites[i] else None
    return (texts[i], norms[i]) if masked is None else (masked, _Norm(masked, ngram))


def _document_counts(passages, doc_shingles, ngram: int, share: float,
                     limit: int) -> tuple[list, list]:
    """For each passage: (documents holding it, formulaic over them). ``doc_shingles``: the
    sorted distinct ``ngram``-shingle hashes of each document. A document holds a passage
    when it has at least ``share`` of the passage's shingles; a passage is formulaic when at
    least ``share`` of its shingles are in more than ``limit`` documents (text_reuse's rule
    for common text)."""
    from scipy import sparse

    if not len(passages):
        return [], []
    hashes = [np.unique(_Norm(p, ngram).hashes) for p in passages]
    wanted = np.unique(np.concatenate(hashes))
    rows, cols = [], []                      # documents x wanted shingles
    for d, h in enumerate(doc_shingles):
        hit = np.searchsorted(wanted, h[np.isin(h, wanted, assume_unique=True)])
        rows.append(np.full(len(hit), d))
        cols.append(hit)
    X = sparse.csr_matrix((np.ones(sum(map(len, cols)), dtype=np.int32),
                           (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(doc_shingles), len(wanted)))
    df = np.asarray(X.sum(axis=0)).ravel()  # documents holding each shingle
    P = sparse.csr_matrix((np.ones(sum(map(len, hashes)), dtype=np.int32),
                           (np.repeat(np.arange(len(hashes)), [len(h) for h in hashes]),
                            np.searchsorted(wanted, np.concatenate(hashes)))),
                          shape=(len(hashes), len(wanted)))
    held = (P @ X.T).toarray()               # passages x documents: shingles in common
    sizes = np.array([len(h) for h in hashes])
    # the pair itself holds the passage even where edits leave it under ``share``
    counts = [max(2, int(c)) for c in (held >= share * np.maximum(sizes, 1)[:, None])
              .sum(axis=1)]
    formulaic = [bool(len(h) and (df[np.searchsorted(wanted, h)] > limit).mean() >= share)
                 for h in hashes]
    return counts, formulaic


def _passage_document_counts(passages, corpus: Corpus, ngram: int, share: float,
                             max_df: float) -> tuple[list, list]:
    """For each passage: (documents of ``corpus`` holding it, formulaic over ``corpus``),
    as :func:`text_reuse`'s ``documents`` column (:func:`_document_counts`), with ``max_df``
    a share of the corpus' documents (at least 3)."""
    n = len(corpus)
    limit = max(2, min(max(3, int(math.floor(max_df * n))), n))
    shingles = [np.unique(_Norm(t, ngram).hashes) for t in corpus.texts]
    return _document_counts(list(passages), shingles, ngram, share, limit)


def _one_source_per_stretch(rows: list) -> list:
    """Rows whose ``doc_b`` stretch no better row (more similar, then longer, then earlier
    source) already covers by half or more: each traced passage names one source."""
    kept: dict = {}
    for r in sorted(rows, key=lambda r: (-r[8], -r[9], r[11], r[2])):
        same_b = kept.setdefault(r[12], [])
        s, e = r[4], r[5]
        if any(min(e, k[5]) - max(s, k[4]) >= 0.5 * (e - s) for k in same_b):
            continue
        same_b.append(r)
    return [r for rs in kept.values() for r in rs]
