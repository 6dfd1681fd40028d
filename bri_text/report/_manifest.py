"""Provenance of a result: versions, parameters, seeds, corpus fingerprint, command line."""
from __future__ import annotations

import datetime as _dt
import platform
import sys

from .._util import fingerprint, versions

#: Packages whose versions are recorded besides those of :func:`bri_text._util.versions`.
_EXTRA_PACKAGES = ("scipy", "matplotlib", "jinja2", "tqdm", "opencc", "rapidfuzz")


def _versions() -> dict:
    from importlib import metadata

    out = dict(versions())
    for pkg in _EXTRA_PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    out["python"] = platform.python_version()
    return out


def corpus_fingerprint(corpus) -> str:
    """Fingerprint of a Corpus (or Tokens): its documents' ids and texts, in order."""
    docs = corpus.docs
    ids = docs["doc_id"].astype(str).tolist()
    return fingerprint(docs["text"].astype(str).tolist(), extra="\x1f".join(ids))


def manifest(corpus=None, *, parameters: dict | None = None, seed=None,
             command: str | None = None, timestamp: bool = True) -> dict:
    """What produced a result, as a JSON-ready dict, for a methods appendix.

    Keys: ``bri_text`` (version), ``versions`` (Python and the main dependencies),
    ``parameters`` (as given), ``seed``, ``corpus`` (number of documents and a SHA-256
    fingerprint of the doc_ids and texts: two corpora with the same fingerprint hold the
    same documents), ``command`` (the command line, ``sys.argv`` when None), ``platform``
    and, unless ``timestamp=False``, ``created`` (UTC, ISO 8601). Leave the timestamp out
    of anything that must be byte-identical between runs.

    >>> import bri_text as bt
    >>> m = bt.manifest(bt.load_bri_policies(), parameters={"top_n": 15}, seed=1,
    ...                 timestamp=False)
    >>> m["corpus"]["n_documents"], m["seed"], len(m["corpus"]["fingerprint"])
    (27, 1, 16)
    """
    from .. import __version__

    out = {"bri_text": __version__, "versions": _versions(),
           "parameters": dict(parameters or {}), "seed": seed}
    if corpus is not None:
        docs = corpus.docs
        out["corpus"] = {"n_documents": int(len(docs)),
                         "fingerprint": corpus_fingerprint(corpus),
                         "name": getattr(corpus, "name", None),
                         "columns": [c for c in docs.columns if c != "text"]}
    out["command"] = command if command is not None else " ".join(sys.argv)
    out["platform"] = platform.platform()
    if timestamp:
        out["created"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    return out
