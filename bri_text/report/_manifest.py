"""Provenance of a result: versions, parameters, seeds, corpus fingerprint, command line."""
from __future__ import annotations

import datetime as _dt
import os
import platform
import sys

from .._util import documents_fingerprint, versions

#: Packages recorded besides those of :func:`bri_text._util.versions` (which lists every
#: library that can change a result): these only draw and write the report.
_EXTRA_PACKAGES = ("matplotlib", "jinja2", "tqdm")


def _versions() -> dict:
    from importlib import metadata

    out = dict(versions())
    for pkg in _EXTRA_PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def corpus_fingerprint(corpus) -> str:
    """Fingerprint of a Corpus (``Corpus.fingerprint``) or of the units of Tokens: their
    ids and texts, in order, hashed as results hash their units (two-level SHA-256,
    :func:`bri_text._util.documents_fingerprint`)."""
    docs = corpus.docs
    return documents_fingerprint(docs["doc_id"].astype(str), docs["text"].astype(str))


#: The reproducible-builds variable (https://reproducible-builds.org/specs/source-date-epoch/):
#: seconds since 1970-01-01 UTC that stand for "now" in ``created``.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def _created() -> dict:
    """``{"created": ...}``: now (UTC, ISO 8601), or the time in ``SOURCE_DATE_EPOCH`` when
    that is set, then with ``"created_from": "SOURCE_DATE_EPOCH"`` so that no reader takes
    it for the time of the run. A value that is not a whole number of seconds >= 0 is an
    error (the convention: stop rather than guess)."""
    raw = os.environ.get(SOURCE_DATE_EPOCH)
    if raw is None or raw == "":
        return {"created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    value = raw.strip()
    try:
        if not (value.isascii() and value.isdigit()):
            raise ValueError(value)
        when = _dt.datetime.fromtimestamp(int(value), _dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        from ..errors import ParameterError

        raise ParameterError(f"the environment variable {SOURCE_DATE_EPOCH}={raw!r} is not "
                             "a whole number of seconds since 1970-01-01 UTC (e.g. "
                             "1700000000, or $(git log -1 --format=%ct)); unset it to record "
                             "the time of the run") from None
    return {"created": when.isoformat(timespec="seconds"), "created_from": SOURCE_DATE_EPOCH}


def manifest(corpus=None, *, parameters: dict | None = None, seed=None,
             command: str | None = None, timestamp: bool = True) -> dict:
    """What produced a result, as a JSON-ready dict, for a methods appendix.

    Keys: ``bri_text`` (version), ``versions`` (Python, every library that can change a
    result, the instruction set tomotopy uses, and the report's drawing libraries),
    ``parameters`` (as given), ``seed``, ``corpus`` (number of documents and
    ``Corpus.fingerprint``, a SHA-256 over the doc_ids and each text's SHA-256, as results
    hash their units: two corpora with the same fingerprint hold the same documents),
    ``command`` (the command line, ``sys.argv`` when None), ``platform``
    and, unless ``timestamp=False``, ``created`` (UTC, ISO 8601). Leave the timestamp out
    (``timestamp=False``) of anything that must be byte-identical between runs, or set
    the environment variable ``SOURCE_DATE_EPOCH`` (seconds since 1970, the
    reproducible-builds convention): ``created`` is then that time, marked
    ``"created_from": "SOURCE_DATE_EPOCH"``. :func:`manifest_diff` lists what differs
    between two manifests.

    >>> import bri_text as bt
    >>> m = bt.manifest(bt.load_bri_policies(), parameters={"top_n": 15}, seed=1,
    ...                 timestamp=False)
    >>> m["corpus"]["n_documents"], m["seed"], len(m["corpus"]["fingerprint"])
    (27, 1, 16)
    """
    from .._version import __version__

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
        out.update(_created())
    return out


def _flatten(d, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _load_manifest(m, name: str) -> dict:
    import json
    import os

    from ..errors import InputError, ParameterError

    if isinstance(m, (str, os.PathLike)):
        try:
            with open(m, encoding="utf-8") as fh:
                m = json.load(fh)
        except (OSError, ValueError) as exc:
            raise InputError(f"manifest_diff: cannot read {name}={os.fspath(m)!r} as a JSON "
                             f"manifest ({exc})") from None
    m = getattr(m, "provenance_", m)
    if not isinstance(m, dict):
        raise ParameterError(f"manifest_diff: {name} must be a manifest dict (bt.manifest()), "
                             f"a path to manifest.json or an object with provenance_, got "
                             f"{type(m).__name__}")
    return m


#: Keys (their last dotted part) that say when or how long a run was, not what it did:
#: :func:`manifest_diff` leaves them out unless ``timing=True``; so does any key ending in
#: ``_seconds``.
RUN_TIME_KEYS = ("created", "created_from", "fit_seconds")


def _run_time(key: str) -> bool:
    last = key.rsplit(".", 1)[-1]
    return last in RUN_TIME_KEYS or last.endswith("_seconds")


def manifest_diff(a, b, *, ignore=(), timing: bool = False):
    """What differs between two manifests: a DataFrame ``key, a, b``, one row per entry
    whose value differs or is in only one of them (None there), nested keys dotted
    (``versions.numpy``). Empty when the two runs had the same versions, parameters, seed
    and corpus. ``a``/``b`` are :func:`manifest` dicts, paths to a ``manifest.json``, or
    fitted objects with a ``provenance_`` dict; keys in ``ignore`` (and below them) are
    left out. Run-time fields (the ``created`` timestamp, a model's ``fit_seconds``, any
    ``*_seconds``) differ between identical runs and are left out unless ``timing=True``.

    >>> import bri_text as bt
    >>> here = bt.manifest(parameters={"top_n": 15}, seed=1)
    >>> there = dict(here, seed=2, versions=dict(here["versions"], numpy="1.26.4"))
    >>> bt.manifest_diff(here, there)["key"].tolist()
    ['seed', 'versions.numpy']
    >>> len(bt.manifest_diff(here, here))
    0
    """
    import pandas as pd

    fa, fb = _flatten(_load_manifest(a, "a")), _flatten(_load_manifest(b, "b"))
    if isinstance(ignore, str):
        ignore = (ignore,)
    ignore = tuple(ignore or ())

    def ignored(k):
        return (any(k == i or k.startswith(i + ".") for i in ignore)
                or (not timing and _run_time(k)))

    rows = [(k, fa.get(k), fb.get(k)) for k in sorted(set(fa) | set(fb))
            if not ignored(k) and (k not in fa or k not in fb or fa[k] != fb[k])]
    return pd.DataFrame(rows, columns=["key", "a", "b"])
