"""Tests for bri_text.features: document-term matrices, frequencies, KWIC, collocations."""
from __future__ import annotations

import math
import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from bri_text.errors import MetadataError, ParameterError
from bri_text.features import collocations, dtm, kwic

HAND = [["东盟", "合作", "东盟", "北部湾"], ["中亚", "合作", "向西开放"], ["合作", "东盟"]]


def _hand_dtm(**kw):
    m = dtm(HAND, **kw)
    m.docs["region"] = ["广西", "甘肃", "广西"]
    return m


# --------------------------------------------------------------------------- dtm
def test_dtm_counts_hand_table():
    m = _hand_dtm()
    assert m.terms.tolist() == ["东盟", "中亚", "北部湾", "合作", "向西开放"]
    assert m.matrix.toarray().tolist() == [[2, 0, 1, 1, 0], [0, 1, 0, 1, 1], [1, 0, 0, 1, 0]]
    assert m.counts is m.matrix and m.doc_ids == ["doc0", "doc1", "doc2"]


def test_dtm_tf_and_tfidf_match_independent_formulas():
    tf = _hand_dtm(weighting="tf")
    np.testing.assert_allclose(tf.matrix.toarray().sum(axis=1), 1.0)
    assert tf.matrix[0, 0] == pytest.approx(0.5)
    tfidf = _hand_dtm(weighting="tfidf")
    counts = tfidf.counts.toarray().astype(float)
    n = counts.shape[0]
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1          # scikit-learn's smoothed idf
    w = counts * idf
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    np.testing.assert_allclose(tfidf.matrix.toarray(), w, rtol=1e-12)
    # grouping and keyness always use the raw counts
    assert tfidf.group("region").matrix.toarray()[0].tolist() == [3, 0, 1, 2, 0]


def test_dtm_filters_and_ngrams():
    assert dtm(HAND, min_df=2).terms.tolist() == ["东盟", "合作"]
    assert dtm(HAND, max_df=0.9).terms.tolist() == ["东盟", "中亚", "北部湾", "向西开放"]
    assert dtm(HAND, max_features=2).terms.tolist() == ["东盟", "合作"]   # 3 each
    m = dtm(HAND, ngram_range=(2, 2))
    assert m.terms.tolist() == ["东盟 北部湾", "东盟 合作", "中亚 合作", "合作 东盟", "合作 向西开放"]
    assert m.counts.sum() == 3 + 2 + 1


def test_dtm_is_picklable_and_analyzer_has_no_lambda():
    m = _hand_dtm(ngram_range=(1, 2))
    m2 = pickle.loads(pickle.dumps(m))
    assert (m2.matrix != m.matrix).nnz == 0 and m2.terms.tolist() == m.terms.tolist()
    m3 = pickle.loads(pickle.dumps(dtm([["a", "b", "c"]], ngram_range=(1, 3))))
    assert sorted(m3.terms.tolist()) == ["a", "a b", "a b c", "b", "b c", "c"]


@pytest.mark.parametrize("kw, word", [({"min_df": 5}, "min_df"), ({"max_df": 0}, "max_df"),
                                      ({"weighting": "bm25"}, "weighting"),
                                      ({"ngram_range": (2, 1)}, "ngram_range"),
                                      ({"min_df": 1.5}, "min_df")])
def test_dtm_bad_parameters(kw, word):
    with pytest.raises(ParameterError, match=word):
        dtm(HAND, **kw)


def test_dtm_empty_vocabulary_is_a_clear_error():
    with pytest.raises(ParameterError, match="empty vocabulary"):
        dtm([[], []])
    with pytest.raises(ParameterError, match="empty vocabulary.*min_df=3"):
        dtm([["a"], ["b"], ["a"]], min_df=3)


def test_group_sum_and_missing_values():
    m = _hand_dtm()
    g = m.group("region")
    assert g.doc_ids == ["广西", "甘肃"] and g.docs["n_units"].tolist() == [2, 1]
    assert g.to_dataframe().loc["广西", "东盟"] == 3
    m.docs["level"] = ["provincial", None, "provincial"]
    # (its rows are whole documents: counted as such, in the singular)
    with pytest.warns(UserWarning, match="1 document has no value in 'level' and is left out"):
        assert m.group("level").counts.sum() == 6
    with pytest.raises(MetadataError, match="'province'"):
        m.group("province")


def test_to_gensim_matches_counts():
    m = _hand_dtm()
    dictionary, corpus = m.to_gensim()
    assert dictionary.token2id["东盟"] == 0 and dictionary.dfs[0] == 2
    assert dict(corpus[0]) == {0: 2, 2: 1, 3: 1}


def test_frequencies_and_top_terms():
    f = _hand_dtm().frequencies(by="region")
    gx = f[f.group == "广西"].set_index("term")
    assert gx.loc["东盟", "count"] == 3 and gx.loc["东盟", "rank"] == 1
    assert gx["share"].sum() == pytest.approx(1.0)
    assert list(f.columns) == ["term", "group", "count", "share", "rank", "nested"]
    top = _hand_dtm().top_terms(top_n=1, by="region")
    assert top[["group", "term"]].values.tolist() == [["广西", "东盟"], ["甘肃", "中亚"]]
    with pytest.raises(ParameterError, match=r"n= was renamed top_n= .* removed in 0.3.0"):
        _hand_dtm().top_terms(n=1, by="region")
    with pytest.raises(ParameterError, match="top_n must be >= 1, got 0"):
        _hand_dtm().top_terms(top_n=0)


# --------------------------------------------------------------------------- real corpus
def test_dtm_real_corpus_rows_and_totals(tokens, matrix):
    assert matrix.shape[0] == len(tokens)
    assert matrix.counts.sum() == sum(len(t) for t in tokens.tokens)
    assert matrix.docs["doc_id"].tolist() == tokens.doc_ids
    # 东盟 in the Guangxi plan: every mention, also inside longer lexicon tokens such as
    # 中国—东盟博览会 or 东盟国家, so the count is the number of 东盟 in its text
    gx = tokens.docs["region"] == "广西"
    alone = sum(Counter(t)["东盟"] for t, r in zip(tokens.tokens, gx) if r)
    expected = sum(text.count("东盟") for text in tokens.docs.loc[gx, "text"])
    with pytest.warns(UserWarning, match=r"\d+ unit.*no value in 'region'"):
        f = matrix.frequencies(by="region")           # national documents have no region
    row = f[(f.group == "广西") & (f.term == "东盟")].iloc[0]
    assert row["count"] == expected == 126 and row["count"] - row["nested"] == alone == 51
    whole = matrix.frequencies(by="region", nested=False)
    assert whole[(whole.group == "广西") & (whole.term == "东盟")]["count"].item() == alone
    assert f[(f.group == "甘肃") & (f.term == "东盟")].empty


def test_kwic_asean_in_guangxi(tokens):
    gx_tokens = tokens.subset(region="广西")
    hits = kwic(gx_tokens, "东盟", window=6)
    # every mention, also inside longer lexicon tokens (中国—东盟博览会, 东盟国家)
    n_expected = sum(t.count("东盟") for t in gx_tokens.docs["text"])
    assert len(hits) == n_expected == 126
    assert set(hits["region"]) == {"广西"} and set(hits["parent_id"]) == {"bri18"}
    texts = tokens.docs.set_index("doc_id")["text"]
    for row in hits.itertuples():
        text = texts[row.doc_id]
        assert row.keyword == "东盟" == text[row.start:row.end]
        assert text[row.start - len(row.left):row.end + len(row.right)] == \
            row.left + row.keyword + row.right
    # the window counts tokens: the left context starts exactly 6 tokens earlier
    # (a hit that is a whole token, not inside a longer one)
    whole = []
    for h in hits.itertuples():
        i = tokens.doc_ids.index(h.doc_id)
        k = np.flatnonzero(tokens.spans[i][:, 0] == h.start)
        if len(k) and tokens.tokens[i][k[0]] == "东盟":
            whole.append((h, i, int(k[0])))
    assert len(whole) == 51
    h, i, k = whole[5]
    assert h.start - len(h.left) == tokens.spans[i][max(0, k - 6), 0]


def test_kwic_whole_corpus_regex_and_phrase(tokens):
    all_hits = kwic(tokens, "东盟")
    assert {"广西", "江西"} <= set(all_hits["region"].dropna())
    rx = kwic(tokens, "东盟|中亚", regex=True)       # a regular expression matches tokens
    assert len(rx) == sum(t.count("东盟") + t.count("中亚") for t in tokens.tokens)
    assert len(all_hits) == sum(t.count("东盟") for t in tokens.docs["text"]) > len(rx) / 2
    first = tokens.tokens[[i for i, t in enumerate(tokens.tokens) if len(t) > 2][0]]
    phrase = kwic(tokens, first[:2])
    assert len(phrase) >= 1 and phrase["keyword"].str.len().min() >= 2
    assert list(all_hits.columns[-5:]) == ["left", "keyword", "right", "start", "end"]
    assert "unit_start" in all_hits.columns            # the paragraph's own offsets, renamed


def test_kwic_bad_input(tokens):
    with pytest.raises(ParameterError, match="regular expression"):
        kwic(tokens, "东盟(", regex=True)
    with pytest.raises(ParameterError, match="window"):
        kwic(tokens, "东盟", window=-1)
    with pytest.raises(ParameterError, match="offsets"):
        kwic([["东盟"]], "东盟")
    assert kwic(tokens, "不存在的词语").empty


# --------------------------------------------------------------------------- collocations
def _brute_bigrams(lists):
    grams = [(a, b) for t in lists for a, b in zip(t, t[1:])]
    n = len(grams)
    c = Counter(grams)
    first = Counter(g[0] for g in grams)
    second = Counter(g[1] for g in grams)
    out = {}
    for (w1, w2), o in c.items():
        table = np.array([[o, first[w1] - o], [second[w2] - o, n - first[w1] - second[w2] + o]])
        e = first[w1] * second[w2] / n
        g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        out[f"{w1} {w2}"] = (o, math.log2(o / e), g2, (o - e) / math.sqrt(o))
    return out


def test_bigram_collocations_match_scipy():
    lists = [["一带", "一路", "建设", "合作"], ["一带", "一路", "合作"], ["建设", "合作", "一带", "一路"]]
    got = collocations(lists, ngram=2, min_count=1).set_index("collocation")
    for key, (o, pmi, g2, t) in _brute_bigrams(lists).items():
        row = got.loc[key]
        assert row["count"] == o
        assert row["pmi"] == pytest.approx(pmi, rel=1e-12)
        assert row["g2"] == pytest.approx(g2, rel=1e-9, abs=1e-12)
        assert row["t_score"] == pytest.approx(t, rel=1e-12)
    assert got.index[0] == "一带 一路"                      # ranked first by G2


def test_trigram_g2_matches_brute_force_contingency():
    lists = [list("abcabdabc"), list("xabcy")]
    grams = [tuple(t[i:i + 3]) for t in lists for i in range(len(t) - 2)]
    n = len(grams)
    got = collocations(lists, ngram=3, min_count=1).set_index("collocation")
    for g in set(grams):
        cells = Counter(tuple(x[k] == g[k] for k in range(3)) for x in grams)
        p = [sum(x[k] == g[k] for x in grams) / n for k in range(3)]
        g2 = 0.0
        for inside, o in cells.items():
            e = n * np.prod([p[k] if inside[k] else 1 - p[k] for k in range(3)])
            g2 += 2 * o * math.log(o / e)
        row = got.loc[" ".join(g)]
        assert row["g2"] == pytest.approx(g2, rel=1e-9)
        assert row["pmi"] == pytest.approx(math.log2(cells[(True,) * 3] / (n * np.prod(p))))


def test_collocations_real_corpus_do_not_bridge_punctuation(tokens):
    col = collocations(tokens, ngram=2, min_count=5)
    assert (col["count"] >= 5).all() and col["g2"].is_monotonic_decreasing
    loose = collocations(tokens, ngram=2, min_count=5, contiguous=False)
    assert loose["count"].sum() > col["count"].sum()
    # every counted bigram occurs as adjacent text somewhere
    text = "\n".join(tokens.docs["text"])
    for words in col["words"].head(30):
        assert "".join(words) in text.replace(" ", "")
    with pytest.raises(ParameterError, match="ngram must be <= 3, got 4"):
        collocations(tokens, ngram=4)
    # top_n keeps the first rows of the full ranking
    pd.testing.assert_frame_equal(collocations(tokens, min_count=5, top_n=10), col.head(10))
    with pytest.raises(ParameterError, match="top_n must be >= 1"):
        collocations(tokens, top_n=0)


def test_collocations_size_is_the_removed_name_of_ngram():
    lists = [["一带", "一路", "建设"], ["推进", "一带", "一路", "建设"]]
    with pytest.raises(ParameterError, match=r"size= was renamed ngram= .* use ngram="):
        collocations(lists, size=3, min_count=2)
    assert collocations(lists, ngram=3, min_count=2)["collocation"].tolist() == ["一带 一路 建设"]
