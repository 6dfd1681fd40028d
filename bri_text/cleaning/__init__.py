"""Cleaning Chinese policy documents as users actually have them, without losing a
sentence of content.

``bt.clean(text)`` runs the default pipeline (:data:`DEFAULT_STEPS`); every step is a
pure function ``str -> str`` usable alone (``bri_text.cleaning.rejoin_lines(text)``).
``bt.preview_clean(text)`` lists what each step would remove; ``clean(text, report=True)``
returns the counts and the removed text. Lines repeated across many documents of one
corpus (templated site chrome) need the corpus: :meth:`bri_text.Corpus.clean` removes them
(:func:`remove_repeated_lines`).

>>> from bri_text.cleaning import clean, normalize_width
>>> normalize_width("２０１５ 年 3 月，ＡＳＥＡＮ")
'2015年3月，ASEAN'
>>> clean("<p>２０１５ 年，推进“一带一路”建设</p>")
'2015年，推进“一带一路”建设'

Default order: ``normalize_newlines`` → ``strip_html`` → ``remove_web_boilerplate`` →
``remove_pdf_artifacts`` → ``rejoin_lines`` → ``normalize_width`` →
``normalize_whitespace`` → ``remove_field_table`` → ``remove_bylines`` →
``remove_document_apparatus`` →
``to_simplified``. The result has one
paragraph per line.
"""
from __future__ import annotations

from ._apparatus import remove_document_apparatus
from ._chrome import remove_web_boilerplate
from ._pipeline import (
    DEFAULT_STEPS,
    STEPS,
    CleaningReport,
    clean,
    preview_clean,
    remove_repeated_lines,
    repeated_lines,
)
from ._steps import (
    HEADING_RE,
    byline_lines,
    looks_like_html,
    looks_traditional,
    normalize_newlines,
    normalize_whitespace,
    normalize_width,
    rejoin_lines,
    remove_bylines,
    remove_field_table,
    remove_pdf_artifacts,
    strip_html,
    to_simplified,
)

__all__ = [
    "clean",
    "preview_clean",
    "CleaningReport",
    "DEFAULT_STEPS",
    "STEPS",
    "strip_html",
    "to_simplified",
    "remove_web_boilerplate",
    "remove_pdf_artifacts",
    "rejoin_lines",
    "normalize_width",
    "normalize_whitespace",
    "normalize_newlines",
    "remove_field_table",
    "remove_bylines",
    "remove_document_apparatus",
    "byline_lines",
    "looks_like_html",
    "looks_traditional",
    "repeated_lines",
    "remove_repeated_lines",
    "HEADING_RE",
]

# The names other stages use (internal contracts, not the public API: reading in io and
# corpus uses them); tests/test_layers.py checks that no module imports a _name of another
# subpackage.
from ._apparatus import _DOC_NUMBER as DOC_NUMBER  # noqa: E402, F401
from ._apparatus import _HEAD_LINE as HEAD_LINE  # noqa: E402, F401
from ._apparatus import _doc_number as doc_number  # noqa: E402, F401
from ._apparatus import _signature as signature  # noqa: E402, F401
from ._chrome import _is_breadcrumb as is_breadcrumb  # noqa: E402, F401
from ._pipeline import _steps_keeping as steps_keeping  # noqa: E402, F401
from ._pipeline import _METADATA_STEPS as METADATA_STEPS  # noqa: E402, F401
from ._pipeline import _candidates as chrome_candidates  # noqa: E402, F401
from ._pipeline import _count_lines as count_lines  # noqa: E402, F401
from ._pipeline import _min_df_count as min_df_count  # noqa: E402, F401
from ._pipeline import _run as run_steps  # noqa: E402, F401
from ._steps import _REPORTER_LINE as REPORTER_LINE  # noqa: E402, F401
from ._steps import _event_line as event_line  # noqa: E402, F401
from ._steps import _text_head as text_head  # noqa: E402, F401
from ._pipeline import _title_like as title_like  # noqa: E402, F401
from ._steps import _title_block_speaker as title_block_speaker  # noqa: E402, F401

CONTRACT = ["DOC_NUMBER", "HEAD_LINE", "METADATA_STEPS", "REPORTER_LINE",
            "chrome_candidates", "count_lines", "event_line",
            "doc_number", "text_head", "is_breadcrumb", "min_df_count", "run_steps",
            "signature", "steps_keeping", "title_block_speaker", "title_like"]
