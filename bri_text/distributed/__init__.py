"""Past one machine: the same comparison on Dask collections (optional extra).

``pip install "bri_text[dask]"`` adds Dask and distributed. Every function here takes and
returns Dask collections (or, for the reductions, the small in-memory objects the rest of
the library reads), and runs the library's own reading, cleaning, ``Tokenizer`` and
counting code on each worker, so results are those of the in-memory path:

>>> from distributed import Client, LocalCluster                      # doctest: +SKIP
>>> import bri_text as bt, bri_text.distributed as btd                # doctest: +SKIP
>>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))  # doctest: +SKIP
>>> docs = btd.read_folder("plans/", pattern="*.txt", errors="skip")  # doctest: +SKIP
>>> paragraphs = btd.reshape(docs, "paragraph")                        # doctest: +SKIP
>>> by_region = btd.group_counts(paragraphs, by="region")  # doctest: +SKIP
>>> bt.keyness(by_region, target={"region": "广西"})         # doctest: +SKIP

The data flow (``docs/DISTRIBUTED.md`` has the design and the measured figures):

- read: :func:`read_files` / :func:`read_folder` (one document per file), :func:`read_jsonl`
  / :func:`read_csv` (one partition per shard), :func:`read_parquet`, or
  :func:`from_corpus`. The result is a Dask DataFrame with ``doc_id``, ``text`` and the
  metadata columns, plus ``dropped_reason``: a file that cannot be read under
  ``errors="skip"`` (or a document empty after cleaning) stays in the frame as a row with
  no text and the reason, so it travels with the data and is reported by every reduction
  (``result.dropped``) instead of being lost on a worker. :func:`dropped` lists them.
  Lines repeated across files are not removed as in memory (``boilerplate_min_df``):
  :func:`repeated_lines` lists them. The warnings the in-memory readers give after
  reading (exact copies, documents mostly not Chinese, with no year) come from
  :func:`check`, one pass.
- :func:`reshape` (paragraphs, sentences, sections) and :func:`tokenize` per partition.
- :func:`group_counts`: one pass, group-level counts reduced to an in-memory
  :class:`~bri_text.features.DocumentTermMatrix` equal to
  ``bt.dtm(bt.tokenize(units)).group(by)`` (its ``fragments`` included: 磨 → 磨憨);
  ``keyness``, ``frequencies`` read it unchanged.
- :func:`group_profile` / :func:`group_orientation`: dictionary profiles and geographic
  orientation by group (the gazetteer's or your own list, ``places=``), equal to
  ``bt.profile`` / ``bt.orientation`` with ``by=``, ``attrs`` included (the same matcher).
- :func:`vocabulary` then :func:`count_matrix`: the unit-level matrix on the cluster, a
  labelled :class:`CountMatrix` (``counts``: a Dask array of scipy sparse blocks;
  ``docs``: the units of its rows; ``terms``: its columns; fixed vocabulary in two passes,
  or hashed features in one); the vocabulary table carries what ``bt.dtm`` records
  (``fragment_of``, ``attrs``), and :func:`dtm` (``count_matrix(...).to_dtm()``) gathers
  matrix, vocabulary and units into ``bt.dtm``'s DocumentTermMatrix.
- Text segmented elsewhere: a frame with a ``tokens`` column of token lists and no
  ``text`` (``from_corpus(frame)``) is counted as it is by :func:`group_counts`,
  :func:`vocabulary`, :func:`count_matrix`, :func:`dtm`, :func:`group_profile` and
  :func:`group_orientation` (entries matched on the tokens alone, with a warning), and
  :func:`fit_topics` / :func:`topic_shares` (the token lists as they are, with a warning:
  no tokenizer recorded, no text to quote); what needs the raw text (:func:`reshape`,
  :func:`check`, :func:`repeated_lines`) raises a ParameterError naming the missing
  ``text`` column.
- :func:`fit_topics` / :func:`topic_shares`: a topic model fitted on a sample of units,
  then inferred on every partition.

Workers must have the same ``bri_text`` version (and the extra) installed as the client.
"""
from __future__ import annotations

from ._check import check
from ._common import DROPPED
from ._counts import group_counts, group_orientation, group_profile, reshape, tokenize
from ._matrix import CountMatrix, count_matrix, dtm, vocabulary
from ._read import (
    dropped,
    from_corpus,
    read_csv,
    read_files,
    read_folder,
    read_jsonl,
    read_parquet,
    repeated_lines,
)
from ._topics import fit_topics, topic_shares

__all__ = [
    "CountMatrix",
    "DROPPED",
    "check",
    "count_matrix",
    "dropped",
    "dtm",
    "fit_topics",
    "from_corpus",
    "group_counts",
    "group_orientation",
    "group_profile",
    "read_csv",
    "read_files",
    "read_folder",
    "read_jsonl",
    "read_parquet",
    "repeated_lines",
    "reshape",
    "tokenize",
    "topic_shares",
    "vocabulary",
]
