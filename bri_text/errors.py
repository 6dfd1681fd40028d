"""Exceptions raised by bri_text.

Every error names the file, document, column or parameter concerned and says what to do.
All derive from :class:`BriTextError` (itself a ``ValueError``), so
``except bri_text.BriTextError`` catches any problem with the user's input.

>>> from bri_text.errors import ParameterError
>>> raise ParameterError("n_topics must be >= 2, got 1")
Traceback (most recent call last):
...
bri_text.errors.ParameterError: n_topics must be >= 2, got 1
"""
from __future__ import annotations


class BriTextError(ValueError):
    """Base class of all bri_text errors about the user's input.

    >>> import bri_text as bt, pandas as pd
    >>> try:
    ...     bt.Corpus(pd.DataFrame({"doc_id": ["gx"]}))
    ... except bt.BriTextError as exc:              # any error about the input
    ...     print(type(exc).__name__, exc)
    MetadataError Corpus needs a 'text' column; columns present: ['doc_id']
    """


class InputError(BriTextError):
    """A file or folder cannot be read (missing, empty, binary, no matching files)."""


class EncodingError(InputError):
    """A file's bytes cannot be decoded confidently as UTF-8, GB18030/GBK or Big5."""


class EmptyDocumentError(BriTextError):
    """A document has no text (empty or whitespace only, before or after cleaning)."""


class MetadataError(BriTextError):
    """A metadata column or value is missing, duplicated or does not match anything."""


class ParameterError(BriTextError):
    """A function argument has an invalid value."""


class OptionalDependencyError(BriTextError, ImportError):
    """An optional extra (e.g. ``bri_text[pdf]``) is needed for this operation."""


__all__ = [
    "BriTextError",
    "InputError",
    "EncodingError",
    "EmptyDocumentError",
    "MetadataError",
    "ParameterError",
    "OptionalDependencyError",
]
