"""Topic models at scale: fitted on a sample, inferred on every partition."""
from __future__ import annotations

import io as _io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._common import DROPPED, _check_ddf, _dask, _no_tokenizer, _quiet, _token_lists
from ._counts import _compute, _get_tokenizer
from ._read import _meta, _split_dropped


class _TokenUnits:
    """Units segmented elsewhere as TopicModel reads them (``docs`` and ``tokens``, no
    text, no offsets, no tokenizer configuration): like ``bt.Tokens`` without text, the
    fingerprint that of the token lists (``bt.dtm(token_lists).tokens_fingerprint``)."""

    config = None

    def __init__(self, units: pd.DataFrame, where: str):
        self.tokens = _token_lists(units, where)
        self.docs = units.drop(columns=["tokens", "text"], errors="ignore").reset_index(
            drop=True)


def _is_units(units: pd.DataFrame) -> bool:
    """Units of documents (paragraphs, sentences), as TopicModel tells them apart."""
    kinds = set(units["unit"].dropna()) if "unit" in units.columns else set()
    return "parent_id" in units.columns and bool(kinds) and kinds != {"document"}


_NO_TEXT = ("{where}: docs has no 'text' column, so the model is fitted on the 'tokens' as "
            "they are (segmented elsewhere): it records no tokenizer (tokenizer_ is None; "
            "infer with topic_shares on tokens segmented the same way), its "
            "corpus_fingerprint is the token lists' (bt.dtm(token_lists)'s, not a "
            "Tokens.fingerprint), and representative_docs has no text to quote (empty "
            "snippets). With a 'text' column the sample is segmented with tokenizer=, as in "
            "memory")


def fit_topics(docs, n_topics: int, *, frac: float = 0.1, random_state=0,
               tokenizer=None, **model_params):
    """A :class:`bri_text.TopicModel` fitted on a random sample of the units.

    ``docs.sample(frac=frac, random_state=seed)`` is gathered to this process, segmented
    and fitted in memory with ``TopicModel(random_state=seed)`` (tomotopy, one worker).
    ``random_state=0`` (default, the library's rule for functions: docs/STATISTICS.md,
    "Seeds") gives the same sample and topics in any process for the same data and
    partitioning; another int draws another sample and chain; ``None`` draws a seed,
    which is recorded. The seed used is ``model.random_state_``, and
    ``model.provenance_["sample"]`` records the draw (``frac``, ``random_state``,
    ``seed_drawn``, ``npartitions``, ``n_units``; saved with the model). Infer every unit with
    :func:`topic_shares`. See ``docs/DISTRIBUTED.md`` for why sample-then-infer rather
    than online LDA.

    A frame of tokens segmented elsewhere (a ``tokens`` column, no ``text``) is fitted on
    its token lists as they are, as ``TopicModel.fit`` of Tokens without text, with a
    warning saying what that leaves out (no tokenizer recorded, no text for
    ``representative_docs``). The units must then be the model's: paragraphs (``parent_id``
    and ``unit`` columns, as ``bt.tokenize(corpus.reshape("paragraph"))`` has) for
    ``unit="paragraph"`` (the default), or pass ``unit="document"``; splitting documents
    into paragraphs needs their text.

    >>> model = btd.fit_topics(paragraphs, 20, frac=0.05)    # doctest: +SKIP
    >>> model.provenance_["sample"]["random_state"]          # doctest: +SKIP
    0
    """
    dask, _ = _dask()
    _check_ddf(docs)
    where = "distributed.fit_topics"
    has_text = "text" in docs.columns
    if not has_text:
        _no_tokenizer(docs, where, tokenizer, {})
        if model_params.get("unit", "paragraph") == "paragraph" and not {
                "parent_id", "unit"} <= set(docs.columns):
            raise ParameterError(_NOT_UNITS.format(where=where, columns=list(docs.columns)))
    if not 0 < frac <= 1:
        raise ParameterError(f"frac must be in (0, 1], got {frac!r}")
    if random_state is None:  # drawn here, so that the sample and the chain share it
        seed = int(np.random.default_rng().integers(0, 2**31 - 1))
    elif isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool) \
            and random_state >= 0:
        seed = int(random_state)
    else:
        raise ParameterError(f"fit_topics: random_state must be a non-negative int or None, "
                             f"got {random_state!r}")
    from ..segment import tokenize as _tokenize
    from ..topics import TopicModel

    sample = docs.sample(frac=frac, random_state=seed) if frac < 1 else docs
    units, _ = _split_dropped(_compute(dask, sample).reset_index(drop=True))
    if not len(units):
        raise ParameterError(f"the sample (frac={frac}) has no units; raise frac")
    if has_text:
        tok = _get_tokenizer(tokenizer, {})
        toks = _tokenize(units.assign(text=units["text"].astype(str)), tokenizer=tok,
                         cache=False, progress=False)
    else:
        tok, toks = None, _TokenUnits(units, where)
        if model_params.get("unit", "paragraph") == "paragraph" and not _is_units(toks.docs):
            raise ParameterError(_NOT_UNITS.format(where=where,
                                                   columns=list(docs.columns)))
        warnings.warn(_NO_TEXT.format(where=where), UserWarning, stacklevel=2)
    model = TopicModel(n_topics=n_topics, random_state=seed, **model_params)
    model.fit(toks)
    model.tokenizer_ = tok
    model.provenance_["sample"] = {
        "frac": float(frac), "random_state": seed, "seed_drawn": random_state is None,
        "npartitions": int(docs.npartitions), "n_units": int(len(units))}
    return model


_NOT_UNITS = ("{where}: a paragraph model (unit='paragraph', TopicModel's default) splits "
              "documents into paragraphs by their text, and docs has only 'tokens' (columns: "
              "{columns}); pass unit='document' to fit on the documents, or give paragraphs "
              "segmented elsewhere with their 'parent_id' and 'unit' columns (as "
              "bt.tokenize(corpus.reshape('paragraph')).docs has)")


def _model_blob(model) -> bytes:
    """The model's saved folder as a zip in memory (TopicModel is not picklable; its own
    save format is used, so workers need no shared disk)."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = model.save(Path(tmp) / "model")
        buf = _io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for f in sorted(Path(folder).rglob("*")):
                if f.is_file():
                    z.write(f, f.relative_to(folder))
    return buf.getvalue()


_MODELS: dict = {}


def _load_blob(blob: bytes):
    import hashlib
    import tempfile
    import zipfile

    from ..topics import TopicModel

    key = hashlib.sha256(blob).hexdigest()
    if key not in _MODELS:
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(_io.BytesIO(blob)) as z:
                z.extractall(tmp)
            _MODELS.clear()
            _MODELS[key] = TopicModel.load(tmp)
    return _MODELS[key]


def _shares_partition(df: pd.DataFrame, blob: bytes, tok, columns, dtypes) -> pd.DataFrame:
    from ..segment import tokenize as _tokenize

    docs, _ = _split_dropped(df)
    if not len(docs):
        return _meta(columns, dtypes)
    model = _load_blob(blob)
    if tok is None:       # tokens segmented elsewhere
        toks = _TokenUnits(docs, "distributed.topic_shares")
    else:
        toks = _tokenize(docs.assign(text=docs["text"].astype(str)), tokenizer=tok,
                         cache=False, progress=False)
    with _quiet():
        out = model.transform(toks)
    out.columns = [str(c) for c in out.columns]
    return out.reindex(columns=columns).astype(dtypes)


def topic_shares(docs, model, *, tokenizer=None):
    """Topic proportions of every unit (:meth:`bri_text.TopicModel.transform` on each
    partition), a Dask DataFrame: ``doc_id``, metadata, ``n_tokens``, one column per topic
    (``"0"``, ``"1"``, ...; float). Units with no known term have NaN shares. The metadata
    columns keep the dtypes they have in ``docs``.

    A frame of tokens segmented elsewhere (``tokens``, no ``text``) is inferred on its
    token lists as they are (the units must be the model's, as for :func:`fit_topics`).
    A model fitted on such tokens has no tokenizer: a frame with text is then segmented
    with ``tokenizer=`` (the default Tokenizer, with a warning, when none is given).

    >>> model = btd.fit_topics(paragraphs, 4, frac=0.5)                       # doctest: +SKIP
    >>> shares = btd.topic_shares(paragraphs, model)                          # doctest: +SKIP
    >>> topics = [str(k) for k in range(4)]                                   # doctest: +SKIP
    >>> shares.groupby("region")[topics].mean().compute().shape  # 3 regions  # doctest: +SKIP
    (3, 4)
    """
    dask, _ = _dask()
    _check_ddf(docs)
    where = "distributed.topic_shares"
    if "text" not in docs.columns:
        _no_tokenizer(docs, where, tokenizer, {})
        if getattr(model, "unit", "paragraph") == "paragraph" and not {
                "parent_id", "unit"} <= set(docs.columns):
            raise ParameterError(_NOT_UNITS.format(where=where, columns=list(docs.columns)))
        tok = None
    else:
        tok = tokenizer or getattr(model, "tokenizer_", None)
        if tok is None and (getattr(model, "provenance_", None) or {}).get(
                "tokenizer", True) is None:
            warnings.warn(f"{where}: the model was fitted on tokens segmented elsewhere (it "
                          "records no tokenizer) and docs has text: it is segmented with the "
                          "default Tokenizer; pass tokenizer= the one that made the model's "
                          "tokens", UserWarning, stacklevel=2)
        tok = tok or _get_tokenizer(None, {})
    meta_cols = [c for c in docs.columns if c not in ("text", "tokens", DROPPED)]
    columns = meta_cols + ["n_tokens"] + [str(k) for k in range(model.n_topics_)]
    dtypes = {c: docs.dtypes[c] for c in meta_cols}
    dtypes.update({"n_tokens": "int64", **{c: "float64" for c in columns[len(meta_cols) + 1:]}})
    blob = dask.delayed(_model_blob(model), pure=True, traverse=False)
    return docs.map_partitions(_shares_partition, blob, tok, columns, dtypes,
                               meta=_meta(columns, dtypes), enforce_metadata=False)
