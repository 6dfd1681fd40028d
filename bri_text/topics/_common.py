"""Constants, defaults and checks shared by the topic-model modules."""
from __future__ import annotations

import pandas as pd

from .._grouping import _UNIT_COLS, _merge_units
from .._util import check_scalar, lists_fingerprint
from ..errors import MetadataError, ParameterError

_FORMAT = "bri_text.TopicModel"
_FORMAT_VERSION = 1
_UNITS = ("paragraph", "document")
_MEASURES = ("c_npmi", "c_v", "u_mass")
_MISSING_LEVEL = "(missing)"

# Defaults, chosen on the built-in corpus by benchmarks/bench_topics.py (see
# benchmarks/TOPICS.md for the measurements behind them).
DEFAULT_ITERATIONS = {"tomotopy": 1000, "gensim": 20}
DEFAULT_ALPHA = 0.5
DEFAULT_ETA = 0.05
DEFAULT_MIN_DF = 10
DEFAULT_INIT = "nmf"  # since 0.3.0 ("random" before); a prior, kept after issue 31 on a
# third corpus (benchmarks/bench_topic_init.py, TOPICS.md "Resampling stability")
DEFAULT_MAX_DF = 0.3  # paragraphs, since 0.3.0 (1.0 before); documents keep all terms



class _PreparedTokens:
    """Units already prepared for fitting (what ``_prepare_units`` returns), so that
    select_k's jobs do not reshape again. Quacks like Tokens for ``_prepare_units``."""

    def __init__(self, units, raw, fp, config):
        self.units, self.raw, self.fp, self.config = units, raw, fp, config


def _prepare_units(tokens, unit: str):
    """(units DataFrame with doc_id, parent_id, text and metadata; token lists) for
    fitting at ``unit``."""
    if isinstance(tokens, _PreparedTokens):
        return tokens.units, tokens.raw
    docs = getattr(tokens, "docs", None)
    toks = getattr(tokens, "tokens", None)
    if not isinstance(docs, pd.DataFrame) or toks is None:
        raise ParameterError(
            f"tokens must be a bri_text Tokens object (bri_text.tokenize(corpus)), got "
            f"{type(tokens).__name__}")
    if len(docs) == 0:
        raise ParameterError("tokens is empty: there is no unit to fit on")
    kinds = set(docs["unit"].dropna()) if "unit" in docs.columns else set()
    is_units = "parent_id" in docs.columns and bool(kinds) and kinds != {"document"}
    if unit == "paragraph" and not is_units:
        tokens = tokens.reshape("paragraph")
        docs, toks = tokens.docs, tokens.tokens
    elif unit == "document" and is_units:
        docs, toks = _merge_units(docs, toks)   # units back into their documents, in order
    units = docs.reset_index(drop=True).copy()
    if "parent_id" not in units.columns:
        units.insert(1, "parent_id", units["doc_id"])
    return units, [list(t) for t in toks]


def _check_prevalence_columns(units: pd.DataFrame, cols: list[str], where: str) -> None:
    for c in cols:
        if c not in units.columns:
            raise MetadataError(f"{where}: prevalence column {c!r} not found; metadata "
                                f"columns: {[x for x in units.columns if x not in _UNIT_COLS]}")


def _covariate_labels(units: pd.DataFrame, cols: list[str]) -> list[list[str]]:
    """The DMR metadata of each unit: "column=value" per prevalence column (a missing value
    is its own level)."""
    return [[f"{c}={_MISSING_LEVEL if _isna(v) else v}" for c, v in zip(cols, row)]
            for row in units[cols].itertuples(index=False)]


def _tokens_fingerprint(tokens) -> str | None:
    if isinstance(tokens, _PreparedTokens):
        return tokens.fp
    try:
        return tokens.fingerprint
    except Exception:  # a Tokens-like object without a fingerprint
        return lists_fingerprint(tokens.tokens)


def _coherence(top_terms, texts, measure, top_n) -> list[float]:
    """Coherence of each topic's ``top_n`` terms (gensim ``CoherenceModel``) on ``texts``."""
    return _coherences(top_terms, texts, [measure], top_n)[measure]


def _coherences(top_terms, texts, measures, top_n) -> dict[str, list[float]]:
    """{measure: coherence of each topic}, the texts' gensim ``Dictionary`` built once for
    all measures (as :func:`_coherence` per measure)."""
    bad = [m for m in measures if m not in _MEASURES]
    if bad:
        raise ParameterError(f"measure must be one of {_MEASURES}, got {bad[0]!r}")
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    texts = [list(t) for t in texts if len(t)]
    dictionary = Dictionary(texts)
    unknown = {w for ts in top_terms for w in ts if w not in dictionary.token2id}
    if unknown:
        raise ParameterError(f"texts do not contain the top terms {sorted(unknown)[:5]}; "
                             "pass the texts the model was fitted on")
    out = {}
    for measure in measures:
        kw = {"texts": texts}
        if measure == "u_mass":
            kw = {"corpus": [dictionary.doc2bow(t) for t in texts]}
        cm = CoherenceModel(topics=top_terms, dictionary=dictionary, coherence=measure,
                            topn=top_n, processes=1, **kw)
        out[measure] = [float(x) for x in cm.get_coherence_per_topic()]
    return out


def _snippet(text: str, terms: list[str], width: int) -> str:
    pos = [p for p in (text.find(t) for t in terms) if p >= 0]
    start = max(0, min(pos) - width // 4) if pos else 0
    s = text[start:start + width].replace("\n", " ")
    return ("…" if start > 0 else "") + s + ("…" if start + width < len(text) else "")


def _sorted_groups(values: pd.Series) -> list:
    uniq = pd.unique(values)
    try:
        return sorted(uniq)
    except TypeError:
        return sorted(uniq, key=str)


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _check_int(name: str, value, low: int, none_ok: bool = False) -> None:
    """ParameterError naming ``name`` unless ``value`` is an int >= ``low`` (or None when
    ``none_ok``)."""
    if value is None and none_ok:
        return
    check_scalar(value, name, min_val=low)
