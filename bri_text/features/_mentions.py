"""Counting terms: :func:`frequencies`, and the one owner of "a mention of a term": a token
equal to it, the term inside a longer lexicon token (nested, ``segment._nested``) or an
occurrence the tokenizer split (``segment._mentions``). ``term_trends``, ``profile`` and
``kwic`` count through here."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from .._grouping import _group_codes, _indicator
from .._util import as_list, trie_regex
from ..errors import ParameterError
from ._counts import frequency_table
from ._matrix import DocumentTermMatrix, as_dtm, dtm, token_data


# --------------------------------------------------------------------------- frequencies
def as_tokens(obj):
    """``obj`` itself, or a Corpus segmented once with the default Tokenizer (so that
    functions needing both the matrix and the text do not segment twice)."""
    if hasattr(obj, "texts") and not hasattr(obj, "tokens"):
        from ..segment import tokenize

        return tokenize(obj)
    return obj


def term_mentions(tokens, terms: list[str], nested: bool = True) -> dict:
    """Every mention of each of ``terms`` per unit, as units x terms integer arrays under
    ``own``, ``nested``, ``split`` and ``in_text``, with the matrix ``dtm`` it counted on.

    ``own``: tokens equal to the term; ``nested``: the term inside a longer lexicon token
    (东盟 in 中国—东盟博览会; ``bri_text.segment._nested``); ``split``: occurrences in the
    text that the tokenizer cut (大/数据, 大/数据分析; the rule of
    ``bri_text.segment._mentions``); ``in_text``: every occurrence of the string in the
    text, counted or not. A mention is ``own + nested + split``. Plain token lists and a
    DocumentTermMatrix have no text: ``split`` is zero and ``in_text`` None.

    >>> import bri_text as bt
    >>> bare = bt.Tokenizer(lexicon=False)     # the default keeps 大数据 whole
    >>> t = bt.tokenize(["发展大数据分析与大数据产业"], tokenizer=bare)
    >>> t[0]
    ['发展', '大', '数据分析', '大', '数据', '产业']
    >>> r = term_mentions(t, ["大数据", "数据"])
    >>> [r[k].tolist() for k in ("own", "nested", "split", "in_text")]
    [[[0, 1]], [[0, 0]], [[2, 0]], [[2, 2]]]
    """
    from ..segment import fold_variants
    from ..segment import split_mentions
    from ..segment import NestedTerms, domain_terms

    if isinstance(tokens, DocumentTermMatrix):
        m, tokens = tokens, None
    else:
        tokens = as_tokens(tokens)
        m = dtm(tokens)
    counts = m.counts.tocsc()
    col = {t: k for k, t in enumerate(terms)}
    shape = (counts.shape[0], len(terms))
    own = np.zeros(shape, dtype=np.int64)
    for j, term in enumerate(m.terms):
        k = col.get(term)
        if k is not None:
            own[:, k] = counts[:, j].toarray().ravel()
    inside = np.zeros(shape, dtype=np.int64)
    if nested:                      # the named terms join the lexicon's for the nested rule
        finder = NestedTerms(domain_terms().terms | set(terms))
        # only a token holding one of the terms can hold a mention of it: one regex search
        # per token spares the nested rule for the (many) tokens that hold none
        holds = re.compile(trie_regex([t for t in terms if t])).search
        pairs = [(j, col[inner]) for j, term in enumerate(m.terms) if holds(term)
                 for _, _, inner in finder.mentions(term) if inner in col]
        if pairs:
            rows, cols = zip(*pairs)
            host = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                     shape=(counts.shape[1], len(terms)))
            inside = np.asarray((m.counts @ host).todense(), dtype=np.int64)
    out = {"dtm": m, "own": own, "nested": inside, "split": np.zeros(shape, dtype=np.int64),
           "in_text": None}
    out["in_words"], out["host_words"] = _in_words(m, terms, inside,
                                                   finder if nested else None)
    _, docs, spans = token_data(tokens) if tokens is not None else ([], None, None)
    if spans is None or "text" not in docs.columns:
        return out
    in_text = np.zeros(shape, dtype=np.int64)
    for row, (text, sp) in enumerate(zip(docs["text"].tolist(), spans)):
        folded = fold_variants(text)
        for k, term in enumerate(terms):
            in_text[row, k] = folded.count(term)
        if in_text[row].any():
            for _, _, term in split_mentions(text, sp, terms):
                out["split"][row, col[term]] += 1
    out["in_text"] = in_text
    return out


def check_concepts(terms) -> tuple[list[str], dict[str, list[str]] | None]:
    """(the row labels, the variants of each concept or None): ``terms`` as a term, a list
    of terms (each its own row) or a dict ``{concept: [variants]}`` (one row per concept;
    a variant may be a single string)."""
    if not isinstance(terms, dict):
        return check_terms(terms), None
    if not terms:
        raise ParameterError("terms is empty: give the concepts to follow, e.g. "
                             "{'四个现代化': ['四个现代化', '四化']}")
    variants: dict[str, list[str]] = {}
    for label, forms in terms.items():
        if not isinstance(label, str) or not label.strip():
            raise ParameterError(f"terms: a concept's name must be a non-empty string, got "
                                 f"{label!r}")
        try:
            variants[label] = check_terms(forms)
        except ParameterError as err:
            raise ParameterError(f"terms[{label!r}]: {err}") from None
    return list(variants), variants


def concept_mentions(tokens, variants: dict[str, list[str]], nested: bool = True) -> dict:
    """Mentions of concepts written in several ways (``{"四个现代化": ["四个现代化",
    "农业、工业、国防和科学技术的现代化"]}``), each counted once per position: the mentions
    of a concept's variants (own, nested, split, as :func:`term_mentions` finds them) that
    overlap in the text are one mention (改革开放 holds 改革; with variants 改革 and 改革开放
    a mention of 改革开放 counts once, not twice). Returns units x concepts arrays ``own``
    (mentions that include a whole token), ``nested``, ``split``, ``in_words`` (variants'
    occurrences inside longer words, not counted), ``host_words``, the matrix ``dtm`` and,
    under ``variant``, :func:`term_mentions` of the variants themselves (for warnings).

    >>> import bri_text as bt
    >>> t = bt.tokenize(["坚持改革开放，以改革促发展"], progress=False)
    >>> r = concept_mentions(t, {"改革": ["改革", "改革开放"]})
    >>> int((r["own"] + r["nested"] + r["split"]).sum())     # not 3: 改革开放 holds 改革
    2
    """
    from ..segment import NestedTerms, domain_terms, split_mentions

    labels = list(variants)
    flat = list(dict.fromkeys(v for forms in variants.values() for v in forms))
    named = set(flat)
    if not isinstance(tokens, DocumentTermMatrix):
        tokens = as_tokens(tokens)
    r = term_mentions(tokens, flat, nested)
    m = r["dtm"]
    finder = NestedTerms(domain_terms().terms | set(flat)) if nested else None
    V, C = len(m.terms), len(labels)
    own, inside, hidden = (sparse.lil_matrix((V, C), dtype=np.int64) for _ in range(3))
    spans_of: dict[tuple[int, int], list] = {}     # (token, concept) -> counted spans
    totals = np.asarray(m.counts.sum(axis=0)).ravel()
    words: list[dict] = [{} for _ in labels]
    for j, tok in enumerate(m.terms):
        for c, forms in enumerate(variants.values()):
            if not any(v in tok for v in forms):
                continue
            if tok in forms:
                counted = [(0, len(tok))]
                own[j, c] = 1
            else:
                found = finder.mentions(tok) if finder is not None else []
                counted = _merge([(a, b) for a, b, t in found if t in forms])
                inside[j, c] = len(counted)
            spans_of[j, c] = counted
            occ = _merge([(k, k + len(v)) for v in forms for k in _find_all(tok, v)
                          if len(v) < len(tok)])
            rest = [o for o in occ if not _overlaps(o, counted)]
            if rest:
                hidden[j, c] = len(rest)
                if tok not in named and totals[j]:
                    words[c][tok] = int(totals[j])
    counts = m.counts
    out = {"dtm": m, "variant": r, "variants": flat,
           "own": np.asarray((counts @ own.tocsr()).todense(), dtype=np.int64),
           "nested": np.asarray((counts @ inside.tocsr()).todense(), dtype=np.int64),
           "in_words": np.asarray((counts @ hidden.tocsr()).todense(), dtype=np.int64),
           "split": np.zeros((counts.shape[0], C), dtype=np.int64), "in_text": None,
           "host_words": [dict(sorted(w.items(), key=lambda kv: -kv[1])) for w in words]}
    if r["in_text"] is None or not r["split"].any():
        return out
    toks, docs, spans = token_data(tokens)
    index = {t: j for j, t in enumerate(m.terms)}
    for row in np.flatnonzero(r["split"].any(axis=1)):
        found = split_mentions(docs["text"].iloc[row], spans[row], flat)
        for c, forms in enumerate(variants.values()):
            pieces = _merge([(s, e) for s, e, t in found if t in forms])
            if not pieces:
                continue
            taken = []          # the concept's mentions on this unit's tokens, in the text
            for tok, (a, b) in zip(toks[row], spans[row]):
                if a < pieces[-1][1] and b > pieces[0][0]:
                    j = index.get(tok)
                    taken += [(a + x, a + y) for x, y in spans_of.get((j, c), ())]
            out["split"][row, c] = sum(not _overlaps(p, taken) for p in pieces)
    return out


def _find_all(text: str, term: str) -> list[int]:
    """Start of every occurrence of ``term`` in ``text`` (overlapping ones too)."""
    out, k = [], text.find(term)
    while k >= 0:
        out.append(k)
        k = text.find(term, k + 1)
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping (start, end) spans joined: one mention per position."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _overlaps(span, spans) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _in_words(m, terms: list[str], inside, finder=None) -> tuple[np.ndarray, list[dict]]:
    """Occurrences of each term inside longer tokens that are not mentions of it (units x
    terms): words of the general dictionary (帝国主义 in 美帝国主义, 计划 in 五年计划) and
    joined negations (现代化 in 没有现代化), i.e. the term's occurrences in longer tokens less
    its ``nested`` mentions; and per term the longer tokens that are not themselves named
    terms, with their counts (most frequent first), for the warning."""
    shape = (m.counts.shape[0], len(terms))
    pairs = [(j, k, tok.count(term)) for j, tok in enumerate(m.terms)
             for k, term in enumerate(terms) if len(tok) > len(term) and term in tok]
    if not pairs:
        return np.zeros(shape, dtype=np.int64), [{} for _ in terms]
    rows, cols, occ = zip(*pairs)
    host = sparse.csr_matrix((np.asarray(occ, dtype=np.int64), (rows, cols)),
                             shape=(m.counts.shape[1], len(terms)))
    within = np.asarray((m.counts @ host).todense(), dtype=np.int64)
    named, totals = set(terms), np.asarray(m.counts.sum(axis=0)).ravel()
    words: list[dict] = [{} for _ in terms]
    for j, k, _ in pairs:
        tok = m.terms[j]
        if tok in named or not totals[j] or (
                finder is not None and any(t == terms[k] for _, _, t in finder.mentions(tok))):
            continue
        words[k][tok] = int(totals[j])
    words = [dict(sorted(w.items(), key=lambda kv: -kv[1])) for w in words]
    return np.maximum(within - inside, 0), words


def warn_in_words(where: str, terms: list[str], r: dict, share: float = 0.05) -> None:
    """One warning naming the terms of which at least ``share`` of the occurrences in
    tokens are inside longer words that are not counted as their mentions (column
    ``in_words`` of :func:`bri_text.term_trends`), with those words."""
    counted = (r["own"] + r["nested"] + r["split"]).sum(axis=0)
    hidden = r["in_words"].sum(axis=0)
    hit = []
    for k, term in enumerate(terms):
        if hidden[k] and hidden[k] >= share * (counted[k] + hidden[k]):
            shown = [f"{w} {n}" for w, n in list(r["host_words"][k].items())[:4]]
            more = len(r["host_words"][k]) - len(shown)
            hit.append(f"{term} ({int(hidden[k])} of {int(counted[k] + hidden[k])}: "
                       + ", ".join(shown) + (f", {more} more" if more > 0 else "") + ")")
    if hit:
        warnings.warn(f"{where}: " + "; ".join(hit) + " occur inside longer words that are "
                      "not counted as mentions of the term (words of the general dictionary, "
                      "negations joined by the tokenizer: column in_words); to count them, "
                      "name those words as terms too (a word listed here is then counted in "
                      "its own row only, so the rows add up without double counting) or "
                      "read them with kwic", stacklevel=3)


def check_terms(terms) -> list[str]:
    terms = as_list(terms, "terms", "a term or a list of terms")
    if not terms:
        raise ParameterError("terms is empty: give the terms to follow, e.g. ['一带一路']")
    bad = [t for t in terms if not isinstance(t, str) or not t.strip()
           or any(ch.isspace() for ch in t)]
    if bad:
        raise ParameterError(f"terms must be non-empty strings without whitespace, got {bad}")
    if len(set(terms)) != len(terms):
        raise ParameterError(f"terms has duplicates: {terms}")
    return terms


def warn_missing_or_split(where: str, terms: list[str], r: dict) -> None:
    """One warning for terms never counted (absent from the text, or only inside longer
    words), one for terms the tokenizer split (counted from the text)."""
    total = (r["own"] + r["nested"] + r["split"]).sum(axis=0)
    in_text = r["in_text"].sum(axis=0) if r["in_text"] is not None else None
    absent = [t for k, t in enumerate(terms) if total[k] == 0
              and (in_text is None or in_text[k] == 0)]
    if absent:
        hint = ("check the spelling" if in_text is not None else "check the spelling (plain "
                "token lists have no text, so a term the tokenizer split is not seen)")
        warnings.warn(f"{where}: {absent} occur in no unit: {hint}", stacklevel=3)
    hidden = [t for k, t in enumerate(terms) if total[k] == 0 and in_text is not None
              and in_text[k] > 0]
    if hidden:
        warnings.warn(f"{where}: {hidden} occur in the text only inside longer words (数据 in "
                      "数据库) or as chance strings across two words (美国 in 完美/国家), "
                      "which are not mentions of them; name the longer words to count "
                      "those", stacklevel=3)
    note = split_note(terms, r["split"].sum(axis=0), total)
    if note:
        warnings.warn(f"{where}: {note}", stacklevel=3)


def split_note(terms: list[str], split, total) -> str:
    """One sentence naming the terms the tokenizer split (with how many of their mentions
    were split) and how to keep them whole; "" when none was."""
    hit = [f"{t} ({int(s)} of {int(n)})" for t, s, n in zip(terms, split, total) if s > 0]
    if not hit:
        return ""
    from ..segment import KEEP_WHOLE

    return (f"{', '.join(hit)} mentions were split by the tokenizer and are counted from "
            f"the text (column split); {KEEP_WHOLE}")


def frequencies(x, by=None, nested: bool = True, terms=None) -> pd.DataFrame:
    """Term frequencies as a tidy table: ``term, group, count, share, rank, nested``.

    ``count`` counts every mention of a term: as a token of its own and, with
    ``nested=True``, inside a longer lexicon token (东盟 in 中国—东盟博览会 or 东盟国家,
    一带一路 in 一带一路国际合作高峰论坛; see ``bri_text.segment._nested``); ``nested`` says
    how many of the mentions were inside such tokens. A negated term the tokenizer joined
    (非东盟国家, 不平衡) is a term of its own, never a mention of 东盟 or 平衡, here as in
    :func:`bri_text.profile` and :func:`bri_text.orientation` (docs/STATISTICS.md,
    "Negations"). ``share`` is the count over the
    group's tokens; ``rank`` is 1 for the most frequent term of the group (ties share the
    smaller rank). Terms a group never mentions are not listed. ``by=None`` gives one
    group, ``"all"``; ``by="decade"`` decades of ``year`` (README, "Decades"). ``x`` is a DocumentTermMatrix or anything :func:`dtm` accepts.

    ``terms=["大数据", ...]`` counts the terms you name at every occurrence, whatever the
    tokenizer made of them (:func:`bri_text.term_trends`' rule): one row per group and
    term, zeros included, ``rank`` among the named terms, and a column ``split`` with the
    mentions the tokenizer cut (大/数据), read from the text; a warning names such terms
    and says how to keep them whole. Give Tokens (or a Corpus) for this: a
    DocumentTermMatrix has no text, so split mentions cannot be seen (a warning says so).
    ``terms={"改革开放": ["改革开放", "改革和开放", "改革、开放"]}`` counts concepts written in
    several ways, one row each, overlapping mentions once (as in
    :func:`bri_text.term_trends`; ``attrs["variants"]``).

    >>> m = dtm([["东盟", "东盟", "合作"], ["中国—东盟博览会"]])
    >>> frequencies(m).values.tolist()
    [['东盟', 'all', 3, 0.75, 1, 1], ['中国—东盟博览会', 'all', 1, 0.25, 2, 0], \
['合作', 'all', 1, 0.25, 2, 0]]
    """
    if terms is not None:
        return _named_frequencies(x, by, nested, terms)
    return frequency_table(as_dtm(x), by, nested)


def _named_frequencies(x, by, nested: bool, terms) -> pd.DataFrame:
    terms, variants = check_concepts(terms)
    r = (term_mentions(x, terms, nested) if variants is None
         else concept_mentions(x, variants, nested))
    if (r if variants is None else r["variant"])["in_text"] is None:
        warnings.warn("frequencies: a DocumentTermMatrix (or plain token lists) has no text, "
                      "so mentions the tokenizer split are not counted; pass the Tokens "
                      "(bt.tokenize(corpus)) to count them", stacklevel=3)
    m = r["dtm"]
    codes, labels, _ = _group_codes(m.docs, by, "frequencies")
    ind = _indicator(codes, len(labels))
    own, inside, split = (np.asarray(ind @ r[k]) for k in ("own", "nested", "split"))
    n_tokens = np.asarray((ind @ m.counts).sum(axis=1)).ravel()
    count = own + inside + split
    G, T = count.shape
    df = pd.DataFrame({"term": np.tile(np.asarray(terms, dtype=object), G),
                       "group": np.repeat(np.asarray(labels, dtype=object), T),
                       "count": count.ravel(), "share": (count / n_tokens[:, None]).ravel(),
                       "nested": inside.ravel(), "split": split.ravel(),
                       "_g": np.repeat(np.arange(G), T)})
    df["rank"] = df.groupby("_g")["count"].rank(method="min", ascending=False).astype(int)
    df = df.sort_values(["_g", "rank"], kind="mergesort")
    if variants is None:
        warn_missing_or_split("frequencies", terms, r)
    else:
        warn_missing_or_split("frequencies", r["variants"], r["variant"])
    warn_in_words("frequencies", terms, r)
    out = df[["term", "group", "count", "share", "rank", "nested", "split"]] \
        .reset_index(drop=True)
    out.attrs["variants"] = variants
    return out
