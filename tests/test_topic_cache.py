"""The on-disk cache of fitted topic models and select_k grids (bri_text/topics/_cache.py):
a hit is the fresh fit's model, any change of the corpus or a parameter refits, a broken
entry is refitted with a warning naming it, and no cache writes nothing.

Every test uses its own folder (tmp_path) and ``cache=True`` (the test session turns the
default, ``cache="auto"``, off: conftest.py)."""
from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bri_text as bt
from bri_text.topics import TopicModel, select_k
from bri_text.topics import _cache

# four plans (Guangxi, Gansu, Henan x2), 228 paragraphs: a model in well under a second
PARAMS = {"random_state": 1, "min_df": 3, "iterations": 100, "progress": False}


@pytest.fixture(scope="module")
def corpus():
    return bt.load_bri_policies().subset(region=["广西", "甘肃", "河南"])


@pytest.fixture(scope="module")
def tokens(corpus):
    return bt.tokenize(corpus, cache=False)


def _fit(tokens, folder, **kw):
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        m = TopicModel(4, **{**PARAMS, **kw}).fit(tokens, cache=True, cache_dir=folder)
    return m, [str(w.message) for w in log]


def _entries(folder) -> list[Path]:
    return sorted(Path(folder, "topics-v1", "models").glob("*/*"))


def _same_model(a, b) -> None:
    """Everything a reader takes from a model: topic-term, doc-topic and its draws,
    vocabulary, top terms, document shares, the DMR priors and provenance."""
    np.testing.assert_array_equal(a.topic_term_, b.topic_term_)
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)
    np.testing.assert_array_equal(a.doc_topic_draws_, b.doc_topic_draws_)
    np.testing.assert_array_equal(a.alpha_, b.alpha_)
    assert a.vocabulary_ == b.vocabulary_
    pd.testing.assert_frame_equal(a.topics(top_n=10), b.topics(top_n=10), check_exact=True)
    pd.testing.assert_frame_equal(a.doc_topics("document"), b.doc_topics("document"),
                                  check_exact=True)
    pd.testing.assert_frame_equal(a.units_, b.units_, check_exact=True)
    assert a.label_topics().tolist() == b.label_topics().tolist()
    assert a.random_state_ == b.random_state_
    assert {k: v for k, v in a.provenance_.items() if k != "fit_seconds"} == \
        {k: v for k, v in b.provenance_.items() if k != "fit_seconds"}


# ------------------------------------------------------------------ hit = fresh fit
def test_a_hit_is_the_fresh_fit_and_says_so(tokens, tmp_path, caplog):
    miss, miss_warnings = _fit(tokens, tmp_path)
    assert miss.from_cache_ is False and len(_entries(tmp_path)) == 1
    assert miss.cache_path_ == str(_entries(tmp_path)[0])
    with caplog.at_level(logging.INFO, logger="bri_text.topics"):
        hit, hit_warnings = _fit(tokens, tmp_path)
    assert hit.from_cache_ is True and hit.cache_path_ == miss.cache_path_
    said = [r.getMessage() for r in caplog.records if "from the cache" in r.getMessage()]
    assert len(said) == 1 and miss.cache_path_ in said[0]
    assert repr(hit).endswith("228 paragraphs of 4 documents (from the cache)")
    # the fit's own warnings (heading-only paragraphs dropped) again, and no other
    assert hit_warnings == miss_warnings and any("units have no tokens" in w
                                                 for w in hit_warnings)
    _same_model(hit, miss)      # the miss is a fresh fit (cache=False: the slow test below)
    # effects' input (the draws, the units' metadata, the model's seed) and result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # one plan a region: no interval
        a = hit.effects("~ region", n_boot=10).coefficients
        b = miss.effects("~ region", n_boot=10).coefficients
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def _fresh(tokens, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return TopicModel(4, **{**PARAMS, **kw}).fit(tokens, cache=False)


@pytest.mark.slow
def test_a_hit_of_a_prevalence_model_is_the_fresh_fit(tokens, tmp_path):
    _fit(tokens, tmp_path, prevalence="region")
    hit, _ = _fit(tokens, tmp_path, prevalence="region")
    fresh = _fresh(tokens, prevalence="region")
    assert hit.from_cache_ and not fresh.from_cache_
    _same_model(hit, fresh)
    assert bt.manifest_diff(hit, fresh).empty
    # the DMR priors and the sampler's state (tomotopy's file, loaded from the entry)
    pd.testing.assert_frame_equal(hit.prevalence_effects(), fresh.prevalence_effects(),
                                  check_exact=True)
    gansu = tokens.subset(region="甘肃")
    pd.testing.assert_frame_equal(hit.transform(gansu), fresh.transform(gansu),
                                  check_exact=True)


def test_a_generator_seed_is_drawn_as_a_fresh_fit_draws_it(tokens, tmp_path):
    first, _ = _fit(tokens, tmp_path, random_state=np.random.default_rng(7))
    again, _ = _fit(tokens, tmp_path, random_state=np.random.default_rng(7))
    assert again.from_cache_ and again.random_state_ == first.random_state_
    other, _ = _fit(tokens, tmp_path, random_state=np.random.default_rng(8))
    assert not other.from_cache_ and other.random_state_ != first.random_state_


# ------------------------------------------------------------------ what the key sees
def test_one_character_of_one_document_refits(corpus, tokens, tmp_path):
    _fit(tokens, tmp_path)
    docs = corpus.docs.copy()
    i = int(np.flatnonzero(docs["doc_id"] == "bri18")[0])
    text = docs.at[i, "text"]
    at = text.index("东盟")             # one character: 东盟 -> 东南
    docs.at[i, "text"] = text[:at + 1] + "南" + text[at + 2:]
    edited = bt.tokenize(bt.Corpus(docs), cache=False)
    m, _ = _fit(edited, tmp_path)
    assert not m.from_cache_ and len(_entries(tmp_path)) == 2
    # and the unedited corpus still finds its own entry
    assert _fit(tokens, tmp_path)[0].from_cache_


def test_a_metadata_value_refits_though_the_texts_are_the_same(corpus, tmp_path):
    """Tokens.fingerprint covers texts and tokenizer, not metadata: the key hashes the
    units' metadata too (effects and prevalence read it)."""
    docs = corpus.docs.copy()
    tokens = bt.tokenize(bt.Corpus(docs), cache=False)
    _fit(tokens, tmp_path)
    docs.loc[docs["doc_id"] == "bri18", "region"] = "广西壮族自治区"
    relabelled = bt.tokenize(bt.Corpus(docs), cache=False)
    assert relabelled.fingerprint == tokens.fingerprint
    m, _ = _fit(relabelled, tmp_path)
    assert not m.from_cache_
    assert "广西壮族自治区" in set(m.units_["region"])


@pytest.mark.parametrize("change", [{"alpha": 0.6}, {"eta": 0.04}, {"iterations": 101},
                                    {"random_state": 2}, {"stopwords": ["发展"]},
                                    {"seed_words": {"港口": ["港口", "航线"]}},
                                    {"prevalence": "region"}, {"max_df": 0.5}])
def test_one_parameter_refits(tokens, tmp_path, change):
    _fit(tokens, tmp_path)
    m, _ = _fit(tokens, tmp_path, **change)
    assert not m.from_cache_ and len(_entries(tmp_path)) == 2
    assert _fit(tokens, tmp_path, **change)[0].from_cache_


def test_a_stopword_file_is_keyed_by_its_words(tokens, tmp_path):
    words = tmp_path / "stop.txt"
    words.write_text("发展\n", encoding="utf-8")
    _fit(tokens, tmp_path / "c", stopwords=words)
    words.write_text("发展\n建设\n", encoding="utf-8")   # same path, other words
    m, _ = _fit(tokens, tmp_path / "c", stopwords=words)
    assert not m.from_cache_ and "建设" not in m.vocabulary_


# ------------------------------------------------------------------ robustness
@pytest.mark.parametrize("damage", ["arrays", "entry", "missing"])
def test_a_broken_entry_is_refitted_with_a_warning_naming_it(tokens, tmp_path, damage):
    first, _ = _fit(tokens, tmp_path)
    entry = Path(first.cache_path_)
    if damage == "arrays":          # a changed byte: the manifest's checksum fails
        data = bytearray((entry / "model" / "arrays.npz").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (entry / "model" / "arrays.npz").write_bytes(bytes(data))
    elif damage == "entry":         # cut short, as by a crash (were writes not atomic)
        (entry / "entry.json").write_text('{"magic": "bri_t', encoding="utf-8")
    else:
        (entry / "model" / "tomotopy.bin").unlink()
    with pytest.warns(UserWarning, match="cache entry .*" + entry.name) as rec:
        again = TopicModel(4, **PARAMS).fit(tokens, cache=True, cache_dir=tmp_path)
    assert any(str(entry) in str(w.message) for w in rec)
    assert not again.from_cache_
    np.testing.assert_array_equal(again.topic_term_, first.topic_term_)
    # rewritten whole: the next fit is a hit
    assert _fit(tokens, tmp_path)[0].from_cache_


def test_a_half_written_entry_is_never_read(tokens, tmp_path):
    """Writes go to a .tmp- folder renamed into place: a crash's leftovers are ignored."""
    first, _ = _fit(tokens, tmp_path)
    entry = Path(first.cache_path_)
    leftover = entry.parent / ".tmp-crashed"
    leftover.mkdir()
    (leftover / "entry.json").write_text("{", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)    # no cache warning either
        warnings.filterwarnings("ignore", message=".*units have no tokens")
        hit = TopicModel(4, **PARAMS).fit(tokens, cache=True, cache_dir=tmp_path)
    assert hit.from_cache_


def test_a_folder_that_cannot_be_written_means_no_cache(tokens, tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.warns(UserWarning, match="cannot write the topic-model cache.*going on "
                                         "without cache"):
        m = TopicModel(4, **PARAMS).fit(tokens, cache=True, cache_dir=blocker / "cache")
    assert not m.from_cache_ and m.cache_path_ is None and m.n_topics_ == 4
    # read-only with an entry in it: the entry is read, a new fit is not stored
    first, _ = _fit(tokens, tmp_path / "ro")

    def refuse(*a, **k):
        raise PermissionError(13, "Read-only file system")
    monkeypatch.setattr(_cache.tempfile, "mkdtemp", refuse)
    assert _fit(tokens, tmp_path / "ro")[0].from_cache_
    other, said = _fit(tokens, tmp_path / "ro", alpha=0.7)
    assert not other.from_cache_ and any("Read-only file system" in w for w in said)
    assert len(_entries(tmp_path / "ro")) == 1


def test_no_cache_leaves_no_files(tokens, tmp_path, monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        TopicModel(4, **PARAMS).fit(tokens, cache=False, cache_dir=tmp_path / "off")
        # cache="auto" off by the environment (as in this test session)
        monkeypatch.setenv("BRI_TEXT_CACHE_DIR", str(tmp_path / "env"))
        monkeypatch.setenv("BRI_TEXT_TOPIC_CACHE", "0")
        TopicModel(4, **PARAMS).fit(tokens)
        # not reproducible: never cached
        TopicModel(4, **{**PARAMS, "random_state": None}).fit(
            tokens, cache_dir=tmp_path / "none")
        TopicModel(4, **{**PARAMS, "n_jobs": 2}).fit(tokens, cache_dir=tmp_path / "jobs")
    assert not any(tmp_path.rglob("*"))
    with pytest.warns(UserWarning, match="cache=True, but the fit is not cached: "
                                         "random_state=None"):
        TopicModel(4, **{**PARAMS, "random_state": None}).fit(
            tokens, cache=True, cache_dir=tmp_path / "none")
    assert not any(tmp_path.rglob("*"))


def test_auto_stores_slow_fits_only(tokens, tmp_path, monkeypatch):
    monkeypatch.delenv("BRI_TEXT_TOPIC_CACHE")
    monkeypatch.setenv("BRI_TEXT_CACHE_DIR", str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        quick = TopicModel(4, **{**PARAMS, "iterations": 20}).fit(tokens)
        assert quick.cache_path_ is None and not any(tmp_path.rglob("*"))
        monkeypatch.setattr(_cache, "AUTO_MIN_SECONDS", 0.0)
        stored = TopicModel(4, **{**PARAMS, "iterations": 20}).fit(tokens)
        assert stored.cache_path_.startswith(str(tmp_path))
        assert TopicModel(4, **{**PARAMS, "iterations": 20}).fit(tokens).from_cache_


def test_the_least_recently_used_entries_go_first(tokens, tmp_path):
    old, _ = _fit(tokens, tmp_path, alpha=0.4)
    new, _ = _fit(tokens, tmp_path, alpha=0.6)
    os.utime(Path(old.cache_path_, "entry.json"), (1, 1))
    assert _fit(tokens, tmp_path, alpha=0.6)[0].from_cache_   # marks it used now
    store = _cache.Store(str(tmp_path), "test")
    size = sum(f.stat().st_size for f in Path(new.cache_path_).rglob("*") if f.is_file())
    store.prune(max_bytes=size + 1000)
    assert _entries(tmp_path) == [Path(new.cache_path_)]


def test_clear_cache_removes_bri_text_s_folders_only(tokens, tmp_path):
    _fit(tokens, tmp_path)
    bt.tokenize(["中欧班列开行。"], cache_dir=tmp_path)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    freed = bt.clear_cache("topics", cache_dir=tmp_path)
    assert freed["topics"] > 100_000 and list(freed) == ["topics"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "segment-v1"]
    assert bt.clear_cache(cache_dir=tmp_path)["segment"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    with pytest.raises(bt.BriTextError, match="what must be"):
        bt.clear_cache("models", cache_dir=tmp_path)


# ------------------------------------------------------------------ select_k
GRID = {"ks": [3, 4], "seeds": (1, 2), "measures": ("u_mass",), "iterations": 50,
        "min_df": 3, "null": False, "resample": False, "progress": False}


def _grid(tokens, folder, **kw):
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        g = select_k(tokens, **{"n_jobs": 1, **GRID, **kw}, cache=True, cache_dir=folder)
    return g, [str(w.message) for w in log]


def _same_grid(a, b) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert set(a.attrs) == set(b.attrs)
    for k, v in a.attrs.items():
        if k in ("from_cache", "cache_path"):
            continue
        if isinstance(v, pd.DataFrame):
            pd.testing.assert_frame_equal(v, b.attrs[k], check_exact=True)
        else:
            assert v == b.attrs[k], k


def test_select_k_hit_is_the_grid_and_a_change_recomputes(tokens, tmp_path):
    miss, miss_warnings = _grid(tokens, tmp_path)
    assert miss.attrs["from_cache"] is False and Path(miss.attrs["cache_path"]).is_file()
    hit, hit_warnings = _grid(tokens, tmp_path)
    assert hit.attrs["from_cache"] is True
    _same_grid(hit, miss)
    assert hit_warnings == miss_warnings
    assert hit["u_mass_mean"].notna().all() and hit["k"].tolist() == [3, 4]
    other, _ = _grid(tokens, tmp_path, top_n=5)
    assert other.attrs["from_cache"] is False
    assert len(list(Path(tmp_path, "topics-v1", "grids").glob("*/*.json"))) == 2


def test_a_broken_grid_entry_is_recomputed_with_a_warning(tokens, tmp_path):
    miss, _ = _grid(tokens, tmp_path)
    path = Path(miss.attrs["cache_path"])
    path.write_bytes(path.read_bytes()[:-40])          # cut short
    with pytest.warns(UserWarning, match="cache entry .*" + path.name):
        again = select_k(tokens, n_jobs=1, **GRID, cache=True, cache_dir=tmp_path)
    assert again.attrs["from_cache"] is False
    seconds = ["fit_seconds_mean", "fit_seconds_sd"]   # measured again
    pd.testing.assert_frame_equal(again.drop(columns=seconds), miss.drop(columns=seconds),
                                  check_exact=True)


@pytest.mark.slow
def test_select_k_grid_does_not_depend_on_n_jobs(tokens, tmp_path):
    """Why n_jobs is not in the grid's key: each fit is single-threaded whatever n_jobs."""
    one, _ = _grid(tokens, tmp_path / "a", null=True, resample=True)
    two, _ = _grid(tokens, tmp_path / "b", null=True, resample=True, n_jobs=2)
    seconds = [c for c in one.columns if c.startswith("fit_seconds")]
    pd.testing.assert_frame_equal(one.drop(columns=seconds), two.drop(columns=seconds),
                                  check_exact=True)
    assert _grid(tokens, tmp_path / "a", null=True, resample=True,
                 n_jobs=2)[0].attrs["from_cache"]


def test_refitting_a_prevalence_model_forgets_its_earlier_priors(tokens, tmp_path):
    """Fixed with the cache (a hit takes another fit's state into the same object): a
    DMR model fitted again kept the first fit's prevalence priors (``_lambda_cache``)."""
    other = bt.tokenize(bt.load_bri_policies().subset(region=["福建", "湖南", "河南"]),
                        cache=False)
    m = _fresh(tokens, prevalence="region")
    m.prevalence_effects()                              # computes and keeps the priors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        m.fit(other, cache=False)
    fresh = _fresh(other, prevalence="region")
    pd.testing.assert_frame_equal(m.prevalence_effects(), fresh.prevalence_effects(),
                                  check_exact=True)
    assert set(m.prevalence_effects()["level"]) == {"", "河南", "湖南", "福建"}


def test_two_writers_of_one_entry_leave_one_whole_entry(tokens, tmp_path):
    """Another process stored the same fit between our lookup and our write: its entry
    stays, ours is dropped, without a warning."""
    first, _ = _fit(tokens, tmp_path)
    store = _cache.Store(str(tmp_path), "test")
    key = Path(first.cache_path_).name
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store.save_model(key, first, []) == first.cache_path_
    assert _entries(tmp_path) == [Path(first.cache_path_)]
    assert not list(Path(first.cache_path_).parent.glob(".tmp-*"))
    assert _fit(tokens, tmp_path)[0].from_cache_
