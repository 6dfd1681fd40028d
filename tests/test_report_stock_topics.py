"""The report's topic model flags the preamble topic of the 30 digital-economy policies
(tests/data/digital_economy_topics/policies.xlsx) although its tokenizer leaves the stock
words out: TopicModel.fit(tokens, stock_tokens=...) counts them back from the same
paragraphs tokenized keeping them (audit s40, finding 10; session 41)."""
import html as html_lib
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import bri_text as bt

BOOK = Path(__file__).parent / "data" / "digital_economy_topics" / "policies.xlsx"


@pytest.fixture(scope="module")
def units():
    return bt.read_excel(BOOK, text="正文").reshape("paragraph")


@pytest.fixture(scope="module")
def report_tokens(units):
    """The report's tokens: general and policy stopwords removed, single characters out."""
    return bt.tokenize(units, tokenizer=bt.Tokenizer(stopwords=("general", "policy"),
                                                     min_length=2))


@pytest.fixture(scope="module")
def stock_tokens(units):
    """The same paragraphs keeping the stock words (stopwords="general" only)."""
    return bt.tokenize(units, tokenizer=bt.Tokenizer(stopwords="general", min_length=2))


def _fit(tokens, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = bt.TopicModel(4, random_state=1, iterations=200).fit(tokens, **kw)
    return model, [str(w.message) for w in caught]


def test_stock_tokens_are_the_report_tokens_with_the_stock_words(report_tokens,
                                                                 stock_tokens):
    listed = Path(bt.__file__).parent / "lexicons" / "stopwords_policy.txt"
    stock = {w.strip() for w in listed.read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")}
    # 上海's first preamble: 为贯彻落实国家数字经济发展规划，…，结合上海实际，提出如下意见。
    i = next(i for i, t in enumerate(stock_tokens.tokens) if "贯彻落实" in t)
    assert stock_tokens.docs["text"][i].startswith("为贯彻落实国家数字经济发展规划")
    assert {"贯彻落实", "结合", "意见"} <= set(stock_tokens.tokens[i])
    assert not {"贯彻落实", "结合", "意见"} & set(report_tokens.tokens[i])
    assert {"数字经济", "上海", "实际"} <= set(report_tokens.tokens[i])
    # dropping the words the report's tokenizer drops gives its tokens, unit by unit
    removed = {w for a, b in zip(stock_tokens.tokens, report_tokens.tokens)
               for w in set(a) - set(b)}
    assert {"加强", "保障", "意见", "制定"} <= removed
    same = sum([w for w in a if w not in removed] == b
               for a, b in zip(stock_tokens.tokens, report_tokens.tokens))
    assert same == len(report_tokens) == 224
    assert removed <= stock          # only stock words of government documents differ


def test_the_preamble_topic_is_flagged_with_stock_tokens_and_the_fit_is_the_same(
        report_tokens, stock_tokens):
    plain, plain_warned = _fit(report_tokens)
    model, warned = _fit(report_tokens, stock_tokens=stock_tokens)
    # the same fit: stock_tokens only feeds stock_topics_
    assert np.array_equal(plain.topic_term_, model.topic_term_)
    assert np.array_equal(plain.doc_topic_, model.doc_topic_)
    # without them nothing flags the preamble topic, whose own terms are what is left
    # of 为贯彻落实…，结合本省实际，制定本方案 (数字经济, 实际)
    preamble = model.find_topic(["实际", "数字经济"])
    assert plain.stock_topics_ == []
    assert not [m for m in plain_warned if "stock words" in m]
    assert model.stock_topics_ == [preamble]
    labels = model.label_topics()
    assert labels[preamble].endswith(" (stock words)")
    assert labels.drop(preamble).equals(plain.label_topics().drop(preamble))
    assert labels[preamble] == plain.label_topics()[preamble] + " (stock words)"
    message = next(m for m in warned if "stock words" in m)
    assert message.startswith("TopicModel.fit: 1 of 4 topics are mostly stock words")
    assert "the tokenizer left them out of the tokens fitted" in message
    for word in ("意见", "制定", "贯彻落实"):       # the preamble's words, counted back
        assert word in message.split(f"topic {preamble} (")[1].split(")")[0]
    assert model.provenance_["stock_tokens_fingerprint"] == stock_tokens.fingerprint
    assert plain.provenance_["stock_tokens_fingerprint"] is None


def test_stock_tokens_of_other_units_are_refused(report_tokens, stock_tokens):
    with pytest.raises(bt.errors.ParameterError, match=r"stock_tokens .* have 223 units, "
                                                        r"tokens 224"):
        bt.TopicModel(4, random_state=1, iterations=5).fit(
            report_tokens, stock_tokens=stock_tokens.subset(
                np.arange(len(stock_tokens)) != 5))


def test_a_saved_model_keeps_its_stock_topics(report_tokens, stock_tokens, tmp_path):
    model, _ = _fit(report_tokens, stock_tokens=stock_tokens)
    again = bt.TopicModel.load(model.save(tmp_path / "m"))
    assert (tmp_path / "m" / "stock_texts.json").is_file()
    assert again.stock_topics_ == model.stock_topics_ != []
    assert again.label_topics().equals(model.label_topics())


@pytest.mark.slow   # one report of the 30 policies (6-16 s)
def test_the_report_labels_the_preamble_topic_and_says_what_it_means(tmp_path):
    pytest.importorskip("matplotlib").use("Agg")
    from bri_text.report import report

    built = report(corpus=BOOK, text_column="正文", by="province", compare=["上海", "贵州"],
                   n_topics=4, n_boot=20, progress=False, timestamp=False,
                   out=tmp_path / "r")
    topics = (tmp_path / "r" / "tables" / "topics.csv").read_text(encoding="utf-8")
    rows = {line.split(",")[0]: line.split(",") for line in topics.splitlines()[1:]}
    flagged = [k for k, r in rows.items() if r[1].endswith(" (stock words)")]
    assert len(flagged) == 1
    k = flagged[0]
    # the preamble topic: what the preambles leave after the tokenizer (数字经济, 实际)
    assert rows[k][2].split("、")[:2] == ["数字经济", "实际"]
    # the third FREX term moved with session 42's genre stopwords (各项任务 before)
    assert rows[k][1] == "数字经济·实际·高质量发展 (stock words)"
    page = html_lib.unescape(re.sub(r"<[^>]+>", "", built.index.read_text(encoding="utf-8")))
    part = page.split("Topics (LDA, K = 4")[-1].split("Document similarity")[0]
    assert (f"Topic {k} (数字经济·实际·高质量发展) is labelled “(stock words)”: with the stock "
            "words of government documents") in part
    assert "the tokenizer leaves out of every section, counted back from its paragraphs" \
        in part
    assert f"model.representative_docs({k})" in part
    # the call printed reproduces the flag
    # (session 43: on the tokens without the compared documents' own names and
    # self-references, which the stock tokens leave out too)
    assert ('.fit(tokens_without_names, stock_tokens=bt.tokenize(corpus.reshape("paragraph"), '
            'tokenizer=bt.Tokenizer(stopwords=("general", OWN_NAMES), min_length=2)))') in part
    assert [w for w in built.warnings if "1 of 4 topics are mostly stock words" in w]
    # the key findings pass the preamble topic over, and say so
    found = [line.strip() for line in page.splitlines() if line.strip().startswith("Topics:")]
    assert len(found) == 2 and all(f"stock-word topic {k} passed over" in f for f in found)
    assert not [f for f in found if f"topic {k} “" in f or f"topic {k}:" in f]
