"""Terms the user names are counted at every occurrence, whatever the tokenizer does
(bri_text.segment._mentions), on an own-wording digital-economy corpus whose vocabulary
a tokenizer without the built-in lexicons splits (tests/data/digital_economy_policies.csv);
the default tokenizer keeps it whole (lexicons/policy_terms.tsv)."""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt

DATA = Path(__file__).parent / "data" / "digital_economy_policies.csv"
TERMS = ["大数据", "云计算", "区块链", "物联网", "智能网联汽车", "数字经济"]


@pytest.fixture(scope="module")
def corpus():
    df = pd.read_csv(DATA, dtype=str)
    df["year"] = df["date"].str[:4].astype(int)
    return bt.Corpus.from_dataframe(df, text="text", doc_id="doc_id")


@pytest.fixture(scope="module")
def tokens(corpus):
    """Segmented without the built-in lexicons, as a field they do not cover would be."""
    return bt.tokenize(corpus.reshape("paragraph"), tokenizer=bt.Tokenizer(lexicon=False))


def _in_text(corpus, term):
    """Occurrences of the term in the text, but 大数据 in 扩大数据 ("expand data"), which
    is no mention of it (bri_text.segment._mentions)."""
    return sum(t.count(term) - (t.count("扩大数据") if term == "大数据" else 0)
               for t in corpus.texts)


def test_the_fixture_is_split_without_the_lexicons(tokens):
    seen = {t for toks in tokens.tokens for t in toks}
    assert not seen & set(TERMS)            # none of them is ever a token
    assert {"大", "数据分析", "区块", "链", "智能网"} <= seen


def test_the_default_tokenizer_keeps_the_fields_terms_whole(corpus):
    """policy_terms.tsv: 大数据 also before a longer word (大数据分析, 大数据中心), never in
    扩大数据; 数字经济, 云计算, 区块链 ... whole."""
    default = bt.tokenize(corpus.reshape("paragraph"))
    counts = pd.Series([t for toks in default.tokens for t in toks]).value_counts()
    for term in TERMS:
        assert counts.get(term, 0) == _in_text(corpus, term) > 0, term
    assert "扩大" in counts and "大" not in counts


def test_term_trends_counts_every_occurrence(corpus, tokens):
    assert sum(t.count("扩大数据") for t in corpus.texts) == 1
    with pytest.warns(UserWarning, match=r"大数据 \(15 of 15\).*split by the tokenizer"):
        tr = bt.term_trends(tokens, terms=TERMS, n_boot=0)
    total = tr.groupby("term")["count"].sum()
    for term in TERMS:
        assert total[term] == _in_text(corpus, term) > 0, term
    assert (tr["split"].fillna(0) == tr["count"].fillna(0)).all()
    assert tr.attrs["by"] == "year"
    # 大数据 first appears in 2016, 区块链 in 2018 (the provincial action plan)
    first = tr.groupby("term")["first_seen"].first()
    assert first["大数据"] == 2016 and first["区块链"] == 2018


def test_check_the_spelling_only_when_absent(tokens):
    with pytest.warns(UserWarning) as record:
        bt.term_trends(tokens, terms=["量子计算", "大数据"], n_boot=0)
    messages = [str(w.message) for w in record]
    assert any("['量子计算'] occur in no unit: check the spelling" in m for m in messages)
    assert not any("大数据" in m and "spelling" in m for m in messages)


def test_chance_strings_across_words_are_not_mentions():
    c = bt.Corpus.from_dataframe(pd.DataFrame({
        "doc_id": ["a"], "year": [2020],
        "text": ["建设完美国家，推进中俄国际合作，发展大数据产业。"]}))
    with pytest.warns(UserWarning, match="chance strings across two words"):
        tr = bt.term_trends(bt.tokenize(c), terms=["美国", "俄国", "大数据"], n_boot=0)
    assert tr.set_index("term")["count"].to_dict() == {"美国": 0, "俄国": 0, "大数据": 1}


def test_frequencies_of_named_terms_agree_with_term_trends(tokens):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        tr = bt.term_trends(tokens, terms=TERMS, by="level", n_boot=0)
        f = bt.frequencies(tokens, by="level", terms=TERMS)
    cols = ["count", "nested", "split"]
    a = tr.set_index(["group", "term"])[cols].sort_index()
    assert a.equals(f.set_index(["group", "term"])[cols].sort_index().astype(a.dtypes.to_dict()))
    # a matrix has no text: only what the tokens hold, and a warning that says so
    with pytest.warns(UserWarning, match="has no text"):
        on_matrix = bt.frequencies(bt.dtm(tokens), terms=TERMS)
    assert (on_matrix["count"] == 0).all()
    assert set(f.columns) == {"term", "group", "count", "share", "rank", "nested", "split"}


def test_kwic_finds_the_split_word(corpus, tokens):
    with pytest.warns(UserWarning, match="split by the tokenizer"):
        k = bt.kwic(tokens, "大数据", window=2)
    assert len(k) == _in_text(corpus, "大数据") == k.attrs["split"]
    assert set(k["keyword"]) == {"大数据"}
    assert "分析" in k["right"].str[:2].tolist()          # 大数据分析 -> 大/数据分析
    for row in k.itertuples():
        text = tokens.docs.set_index("doc_id").loc[row.doc_id, "text"]
        assert text[row.start:row.end] == "大数据"


def test_profile_counts_entries_the_tokenizer_split(corpus, tokens):
    dictionary = {"基础设施": ["大数据中心", "云计算", "物联网", "工业互联网"],
                  "新技术": ["区块链", "大模型", "智能网联汽车"]}
    p = bt.profile(tokens, dictionary, by="level", normalize=None)
    got = p.groupby("category")["count"].sum().to_dict()
    expected = {cat: sum(_in_text(corpus, t) for t in terms)
                for cat, terms in dictionary.items()}
    assert got == expected and expected["新技术"] > 0
    assert p.attrs["split"]["区块链"] == _in_text(corpus, "区块链")


def test_kept_whole_by_a_user_dictionary(corpus, tokens):
    whole = bt.tokenize(corpus.reshape("paragraph"),
                        tokenizer=bt.Tokenizer(user_dict=set(TERMS)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        before = bt.term_trends(tokens, terms=TERMS, n_boot=0).groupby("term").sum()
        after = bt.term_trends(whole, terms=TERMS, n_boot=0).groupby("term").sum()
    assert after["count"].equals(before["count"])       # the same mentions, however cut
    assert (after["split"] == 0).all() and (before["split"] == before["count"]).all()
    # kept whole in 大数据分析 and 大数据中心, and still not read into 扩大数据
    assert {"大数据", "分析", "中心", "扩大"} <= {t for toks in whole.tokens for t in toks}
