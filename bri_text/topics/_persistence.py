"""Saving a TopicModel to a checksummed folder and loading it back (a mixin)."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .._util import check_n_jobs, file_sha256, versions
from ..errors import InputError
from ._common import _FORMAT, _FORMAT_VERSION, _isna


class _PersistenceMixin:
    """save and load of a TopicModel."""

    def save(self, path, overwrite: bool = False) -> Path:
        """Save to a folder: ``manifest.json`` (format version, parameters, provenance,
        SHA-256 of every file), ``arrays.npz``, ``units.json``, ``texts.json`` (and
        ``stock_texts.json`` when ``fit`` had ``stock_tokens``) and the engine's state
        (tomotopy's binary file, or gensim's arrays). No pickle.

        Written to a temporary folder first and renamed, so a crash never leaves a
        half-written model. Refuses to replace an existing folder unless ``overwrite``.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     saved = model.save(folder + "/three_plans")
        ...     print(saved.name, sorted(p.name for p in saved.iterdir())[:3])
        three_plans ['arrays.npz', 'dropped_units.json', 'extra.json']
        """
        self._check_fitted()
        path = Path(path)
        if path.exists() and not overwrite:
            raise InputError(f"save: {str(path)!r} already exists; pass overwrite=True to "
                             "replace it")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".topicmodel-", dir=path.parent))
        try:
            files = self._engine.save(str(tmp))
            arrays = {"topic_term": self.topic_term_, "doc_topic": self.doc_topic_,
                      "term_frequency": self.term_frequency_, "alpha": self.alpha_}
            _write_json(tmp / "vocabulary.json", self.vocabulary_)
            _write_json(tmp / "units.json", _frame_to_json(self.units_))
            _write_json(tmp / "dropped_units.json", _frame_to_json(self.dropped_units_))
            _write_json(tmp / "texts.json", self._texts)
            extra = {}
            if self._prevalence_cols():
                arrays["lambdas"], extra["lambda_names"] = self._lambdas
            if getattr(self, "doc_topic_draws_", None) is not None:
                arrays["doc_topic_draws"] = self.doc_topic_draws_
            np.savez(tmp / "arrays.npz", **arrays)
            _write_json(tmp / "extra.json", extra)
            files = files + ["arrays.npz", "vocabulary.json", "units.json",
                             "dropped_units.json", "texts.json", "extra.json"]
            if getattr(self, "_stock_texts", None) is not None:   # fit(stock_tokens=)
                _write_json(tmp / "stock_texts.json", self._stock_texts)
                files.append("stock_texts.json")
            manifest = {
                "format": _FORMAT,
                "format_version": _FORMAT_VERSION,
                "created_with": versions(),
                "parameters": _jsonable(self.get_params()),
                "engine": self.engine,
                "random_state_": self.random_state_,
                "provenance": self.provenance_,
                "files": {f: file_sha256(tmp / f) for f in sorted(files)},
            }
            _write_json(tmp / "manifest.json", manifest)
            if path.exists():
                shutil.rmtree(path)
            os.replace(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return path

    @classmethod
    def load(cls, path):
        """Load a model saved with :meth:`save`, after checking every file's SHA-256
        against the manifest (a changed, missing or extra file is refused with
        :class:`~bri_text.errors.InputError`).

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     again = bt.TopicModel.load(model.save(folder + "/three_plans"))
        >>> again.label_topics().equals(model.label_topics())
        True
        """
        path = Path(path)
        mpath = path / "manifest.json"
        if not mpath.is_file():
            raise InputError(f"load: {str(path)!r} is not a saved TopicModel (no manifest.json)")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InputError(f"load: {str(mpath)!r} is not valid JSON ({e})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
            raise InputError(f"load: {str(mpath)!r} does not describe a bri_text TopicModel")
        fv = manifest.get("format_version")
        if not isinstance(fv, int) or fv > _FORMAT_VERSION:
            raise InputError(f"load: format version {fv!r} is newer than this bri_text "
                             f"supports ({_FORMAT_VERSION}); upgrade bri_text")
        files = manifest.get("files") or {}
        present = {p.name for p in path.iterdir()} - {"manifest.json"}
        if set(files) != present:
            raise InputError(
                f"load: files in {str(path)!r} do not match the manifest (missing: "
                f"{sorted(set(files) - present)}, unexpected: {sorted(present - set(files))})")
        for name, digest in files.items():
            if file_sha256(path / name) != digest:
                raise InputError(f"load: checksum mismatch for {name!r} in {str(path)!r}; the "
                                 "file was changed or corrupted after saving — refusing to load")
        params = dict(manifest["parameters"])
        for old, new in cls._OLD_PARAMS.items():  # a model saved before 0.2.0
            if old in params:
                params[new] = params.pop(old)
        if "init" not in params:   # saved before 0.3.0: a random start, all terms kept
            params.update(init="random", max_df=params.get("max_df", 1.0))
        model = cls(**params)
        with np.load(path / "arrays.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        model.vocabulary_ = _read_json(path / "vocabulary.json")
        model.topic_term_ = arrays["topic_term"]
        model.doc_topic_ = arrays["doc_topic"]
        model.term_frequency_ = arrays["term_frequency"]
        model.alpha_ = arrays["alpha"]
        model.doc_topic_draws_ = arrays.get("doc_topic_draws")
        model.units_ = _frame_from_json(_read_json(path / "units.json"))
        model.dropped_units_ = _frame_from_json(_read_json(path / "dropped_units.json"))
        model._texts = _read_json(path / "texts.json")
        model._stock_texts = (_read_json(path / "stock_texts.json")
                              if "stock_texts.json" in files else None)
        extra = _read_json(path / "extra.json")
        if "lambdas" in arrays:
            model._lambda_cache = (arrays["lambdas"], extra["lambda_names"])
        model.random_state_ = manifest["random_state_"]
        model.from_cache_, model.cache_path_ = False, None
        model.provenance_ = manifest["provenance"]
        from ._engines import ENGINES

        eparams = {"n_topics": model.topic_term_.shape[0], "seed": model.random_state_,
                   "iterations": manifest["provenance"]["iterations"],
                   "alpha": float(params["alpha"]), "eta": float(params["eta"]),
                   "n_jobs": check_n_jobs(params["n_jobs"]), "dmr": "lambdas" in arrays}
        model._engine = ENGINES[manifest["engine"]].load(str(path), eparams,
                                                          model.vocabulary_)
        return model




def _jsonable(x):
    """Parameters and configs as JSON-safe values (sets sorted, paths as str)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (set, frozenset)):
        return sorted(_jsonable(v) for v in x)
    if isinstance(x, os.PathLike):
        return os.fspath(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    if isinstance(x, np.random.Generator):
        return "numpy.random.Generator"
    return repr(x)


def _write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, allow_nan=True), encoding="utf-8")


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _frame_to_json(df: pd.DataFrame) -> dict:
    cols = {}
    for c in df.columns:
        s = df[c]
        cols[str(c)] = {"dtype": str(s.dtype),
                        "values": [None if _isna(v) else _jsonable(v) for v in s.tolist()]}
    return {"columns": list(map(str, df.columns)), "data": cols}


def _frame_from_json(obj: dict) -> pd.DataFrame:
    out = {}
    for c in obj["columns"]:
        spec = obj["data"][c]
        s = pd.Series(spec["values"], dtype=object)
        dtype = spec["dtype"]
        if dtype != "object":
            try:
                s = s.astype(dtype)
            except (TypeError, ValueError):
                pass
        out[c] = s
    return pd.DataFrame(out, columns=obj["columns"])

