"""bri_text.discover_terms: terms of the user's own corpus that the tokenizer splits."""
from __future__ import annotations

import pickle
import re

import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import InputError, ParameterError

FUNCTION = set("的了和与在是对等及并为将把被")
# the tokenizer without the built-in lexicons, which keep many of these terms whole
# (lexicons/policy_terms.tsv): discovery is for the terms of a field they do not cover
BARE = bt.Tokenizer(lexicon=False)

# own wording: sentences on intelligent connected vehicles and the digital economy, where
# 智能网联汽车 never occurs in parts (智能网联 / 网联汽车 alone) and 数字经济 varies its context
OWN = [
    "发展智能网联汽车，推动数字经济和实体经济融合。",
    "智能网联汽车道路测试有序开展；数字经济规模持续扩大。",
    "支持智能网联汽车示范应用，做强做优做大数字经济。",
    "完善智能网联汽车标准体系。数字经济核心产业增加值增长。",
    "加快智能网联汽车产业化，壮大数字经济！",
    "推进区块链、云计算在智能网联汽车领域的应用，数字经济活力增强。",
    "建设智能网联汽车测试场，促进数字经济发展。",
    "培育区块链企业，发展云计算服务，夯实数字经济底座。",
    "智能网联汽车、区块链和云计算成为数字经济新引擎。",
    "我们将发展区块链，推广云计算，探索数字经济治理。",
]


@pytest.fixture(scope="module")
def recent():
    """The work reports of 2013-2025 (12 reports, about 0.22 million characters)."""
    corpus = bt.load_work_reports()
    return corpus.subset(corpus.docs["year"] >= 2013)


@pytest.fixture(scope="module")
def found(recent):
    return bt.discover_terms(recent, tokenizer=BARE, top_n=200)


def test_columns_and_rows(found):
    assert list(found.columns) == ["term", "count", "n_docs", "cohesion", "left_entropy",
                                   "right_entropy", "score", "split", "example"]
    assert len(found) == 200
    assert found["score"].is_monotonic_decreasing
    assert (found["split"].str.replace("/", "") == found["term"]).all()
    assert (found["split"].str.count("/") >= 1).all()
    assert all(t in ex for t, ex in zip(found["term"], found["example"]))
    assert (found["count"] >= 10).all() and (found["n_docs"] >= 2).all()
    assert found.attrs["n_docs"] == 12 and found.attrs["max_length"] == 10


def test_split_terms_of_the_reports_rank_high(found):
    rank = {t: i for i, t in enumerate(found["term"])}
    # terms of the 2013-2025 reports that a tokenizer without the lexicons splits
    for term in ("减税降费", "小微企业", "高质量发展", "污染防治", "补短板"):
        assert len(BARE.segment(term)) > 1
    for term in ("减税降费", "高质量发展", "补短板"):
        assert len(bt.Tokenizer().segment(term)) == 1       # whole by default
        assert rank[term] < 60, (term, rank.get(term))
    for term in ("疫情防控", "新能源汽车", "防范化解", "稳增长"):
        assert rank[term] < 100, (term, rank.get(term))


def test_no_function_character_at_the_edges(found):
    top = found["term"].head(50)
    assert not [t for t in top if t[0] in FUNCTION or t[-1] in FUNCTION]
    han = re.compile("^[\u4e00-\u9fff]+$")
    assert all(han.match(t) for t in found["term"])  # never across a clause or a number


def test_tokenize_with_the_found_terms_keeps_them_whole(recent, found):
    terms = found["term"].head(30).tolist()
    last = recent.subset(recent.docs["year"] >= 2021)  # 5 reports: enough, and fast
    plain = bt.tokenize(last, tokenizer=BARE, cache=False, progress=False)
    # the documented line
    tokens = bt.tokenize(last, tokenizer=bt.Tokenizer(lexicon=False,
                                                      user_dict=set(found["term"])),
                         cache=False, progress=False)

    def unsplit(toks):  # occurrences of the terms inside one token (the term or a longer one)
        counts = pd.Series([t for doc in toks.tokens for t in doc]).value_counts()
        return {t: sum(n * w.count(t) for w, n in counts.items() if t in w) for t in terms}

    before, after = unsplit(plain), unsplit(tokens)
    occurrences = {t: sum(text.count(t) for text in last.texts) for t in terms}
    assert sum(after.values()) / sum(occurrences.values()) > 0.9
    # str.count also counts strings across a word boundary (水污染/防治, 政府/工作人员)
    assert all(after[t] >= 0.5 * occurrences[t] for t in terms if occurrences[t] >= 5)
    assert sum(before.values()) / sum(occurrences.values()) < 0.1  # split before


def test_own_wording_terms_and_nested_parts():
    table = bt.discover_terms(OWN, tokenizer=BARE, min_count=3, top_n=None)
    terms = table["term"].tolist()
    assert {"智能网联汽车", "数字经济", "区块链", "云计算"} <= set(terms)
    # the parts of 智能网联汽车, never seen apart, give way to the whole
    assert not {"智能网联汽", "网联汽车", "智能网联", "能网联汽车"} & set(terms)
    row = table.set_index("term").loc["智能网联汽车"]
    assert row["count"] == 8 and row["n_docs"] == 8  # sentences 1-7 and 9
    assert bt.Tokenizer(user_dict=set(terms))("发展智能网联汽车和云计算") == \
        ["发展", "智能网联汽车", "云计算"]


def test_deterministic(recent, found):
    pd.testing.assert_frame_equal(bt.discover_terms(recent, tokenizer=BARE, top_n=200), found)


def test_the_default_tokenizer_leaves_the_lexicons_terms_out(recent, found):
    """With the default tokenizer, terms the lexicons keep whole are not proposed."""
    default = set(bt.discover_terms(recent, top_n=200)["term"])
    assert {"减税降费", "高质量发展", "补短板"} <= set(found["term"])
    assert not {"减税降费", "高质量发展", "补短板"} & default


@pytest.mark.parametrize("kwargs, match", [
    ({"corpus_or_texts": []}, "corpus_or_texts"),
    ({"corpus_or_texts": ["", "  "]}, "corpus_or_texts"),
    ({"corpus_or_texts": 42}, "corpus_or_texts"),
    ({"corpus_or_texts": ["数字经济", 3]}, r"corpus_or_texts\[1\]"),
    ({"min_count": 0}, "min_count"),
    ({"min_docs": 0}, "min_docs"),
    ({"max_length": 1}, "max_length"),
    ({"top_n": 0}, "top_n"),
    ({"min_entropy": -1.0}, "min_entropy"),
    ({"min_cohesion": "high"}, "min_cohesion"),
    ({"tokenizer": "rjieba"}, "tokenizer"),
])
def test_bad_input(kwargs, match):
    kwargs = {"corpus_or_texts": OWN, **kwargs}
    with pytest.raises(ParameterError, match=match):
        bt.discover_terms(kwargs.pop("corpus_or_texts"), **kwargs)


def test_user_dict_as_a_set_of_words(tmp_path):
    words = {"区块链", "数字经济"}
    tok = bt.Tokenizer(user_dict=words)
    assert tok("推进区块链和数字经济") == ["推进", "区块链", "数字经济"]
    assert BARE("推进区块链和数字经济") == ["推进", "区块", "链", "数字", "经济"]
    assert pickle.loads(pickle.dumps(tok)) == tok
    assert tok.config_key != bt.Tokenizer(user_dict={"区块链"}).config_key
    assert tok.config["user_dict"] == ["<2 words>"]
    f = tmp_path / "words.txt"
    f.write_text("云计算\n", encoding="utf-8")
    mixed = bt.Tokenizer(lexicon=False, user_dict=[f, {"区块链"}])
    assert mixed("云计算和区块链") == ["云计算", "区块链"]
    with pytest.raises(InputError, match="pass a set"):
        bt.Tokenizer(user_dict=["区块链"])  # a list holds paths
    with pytest.raises(ParameterError, match="user_dict"):
        bt.Tokenizer(user_dict={"区块链", 3})


def test_property_any_unicode():
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.one_of(st.text(max_size=4), st.sampled_from(
        ["数字经济", "区块链", "云计算", "的", "，", "。", "\n", "\ud800", "ＲＣＥＰ", "😀", "和"]))
    texts = st.lists(st.lists(pieces, max_size=20).map("".join), min_size=1, max_size=4)

    @settings(max_examples=15, deadline=None, derandomize=True)
    @given(texts)
    def check(docs):
        if not any(t.strip() for t in docs):
            return
        table = bt.discover_terms(docs, min_count=2, min_docs=1, top_n=None)
        for term, count, n_docs in zip(table["term"], table["count"], table["n_docs"]):
            assert 2 <= count <= sum(t.count(term[0]) for t in docs)
            assert 1 <= n_docs <= sum(term in t for t in docs)

    check()


def test_the_table_names_the_tokens_its_texts_make_with_the_tokenizer():
    """Audit s38 leftover: the table recorded the tokenizer's repr only. It records the
    fingerprint the texts' tokens have with that tokenizer -- the one bt.tokenize gives
    them, which a topic model and the report record -- without tokenizing."""
    kw = dict(min_count=5, progress=False)
    found = bt.discover_terms(OWN, tokenizer=BARE, **kw)
    assert found.attrs["tokens_fingerprint"] == bt.tokenize(OWN, tokenizer=BARE).fingerprint
    assert bt.discover_terms(list(OWN), tokenizer=BARE, **kw) \
        .attrs["tokens_fingerprint"] == found.attrs["tokens_fingerprint"]
    fewer = bt.discover_terms(OWN[:-1], tokenizer=BARE, **kw)
    assert fewer.attrs["tokens_fingerprint"] != found.attrs["tokens_fingerprint"]
    own_words = bt.Tokenizer(lexicon=False, user_dict={"智能网联汽车"})
    other = bt.discover_terms(OWN, tokenizer=own_words, **kw)
    assert other.attrs["tokens_fingerprint"] == \
        bt.tokenize(OWN, tokenizer=own_words).fingerprint != found.attrs["tokens_fingerprint"]
