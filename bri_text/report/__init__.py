"""A comparative report in one command: offline HTML, CSV tables, figures, manifest.

    python -m bri_text report --compare 广西 甘肃 --out report/

or from Python:

>>> from bri_text.report import report                                    # doctest: +SKIP
>>> result = report(compare=["广西", "甘肃"], out="report/", random_state=1)  # doctest: +SKIP
>>> result.tables["keyness_广西_vs_甘肃"].head()                            # doctest: +SKIP

The folder then holds ``index.html`` (one self-contained page: figures inline as SVG, no
network), ``tables/*.csv`` (UTF-8), ``figures/*.png`` and ``*.svg``, and ``manifest.json``
(versions, parameters, seed, corpus fingerprint, command line, timestamp, and the list of
files written). With the same corpus, parameters and seed, two runs write byte-identical
CSV and SVG files; with ``timestamp=False`` (``--no-timestamp``) or ``SOURCE_DATE_EPOCH``
set, into new folders of the same ``out`` path, every file is byte-identical, page and
manifest included. The output folder may not lie inside the corpus folder; a report's own page in a
corpus folder is never read as a document; a rerun into the same folder first removes the
files the earlier report's manifest lists (and nothing else).
"""
from __future__ import annotations

from ._manifest import manifest, manifest_diff
from ._report import Report, cli_command, report  # noqa: F401
from ._rules import skip_note  # noqa: F401

__all__ = ["Report", "manifest", "manifest_diff", "report"]

#: What the command line (``bri_text.__main__``) takes from this package besides ``report``.
CONTRACT = ["cli_command", "skip_note"]
