"""Self-references (全省, 我区, 自治区, 本省 …; ``lexicons/self_references.txt``) are a
sub-national government's own names: ``keyness(exclude="own_names")`` and the report leave
them out only when some compared document is sub-national. In national documents they are
content: 各省、自治区、直辖市 in the State Council's work reports (session 44, audit44
finding 9)."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

import bri_text as bt
from bri_text.compare import own_names


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _count(tokens, mask, term):
    return sum(t.count(term) for t, keep in zip(tokens.tokens, mask) if keep)


@pytest.fixture(scope="module")
def work_reports():
    """The work reports of 2004-2023 (温家宝 10, 李克强 10), tokens of whole reports."""
    corpus = bt.load_work_reports()
    corpus = corpus.subset(corpus.docs["year"].between(2004, 2023).to_numpy())
    return _quiet(bt.tokenize, corpus)


def test_national_reports_keep_their_self_reference_words(work_reports):
    toks = work_reports
    wen = (toks.docs["speaker"] == "温家宝").to_numpy()
    k = _quiet(bt.keyness, bt.dtm(toks), {"speaker": "温家宝"}, {"speaker": "李克强"},
               exclude="own_names")
    # 自治区 occurs in the reports (民族区域自治, 各省、自治区、直辖市): counted, not left out
    n_wen, n_li = _count(toks, wen, "自治区"), _count(toks, ~wen, "自治区")
    assert n_wen + n_li > 0
    row = k.set_index("term").loc["自治区"]
    assert (row["count_target"], row["count_reference"]) == (n_wen, n_li)
    assert k.attrs["excluded"] == {}
    assert "kept: no compared unit is sub-national" in k.attrs["exclude"]
    # the same with level = national said in a column
    national = toks.docs.assign(level="national")
    assert not {"自治区", "全省", "本省"} & own_names(national)[0]


def test_sub_national_documents_still_lose_their_self_references():
    """The built-in BRI corpus: national documents (level national) against the
    provincial and municipal ones; 我省 is the provinces' own word, 自治区 left out of both
    sides (a word is left out of the whole comparison or of none)."""
    corpus = bt.load_bri_policies()
    toks = _quiet(bt.tokenize, corpus)
    national = (toks.docs["level"] == "national").to_numpy()
    k = _quiet(bt.keyness, bt.dtm(toks), {"level": "national"}, exclude="own_names")
    for term in ("我省", "自治区", "全省"):
        assert k.attrs["excluded"][term] == [_count(toks, national, term),
                                             _count(toks, ~national, term)]
        assert term not in set(k["term"])
    assert k.attrs["excluded"]["我省"][0] == 0 < k.attrs["excluded"]["我省"][1]
    assert "sub-national: level 'municipal', 'provincial'" in k.attrs["exclude"]


def test_which_documents_are_sub_national():
    def refs(**columns):
        names, _ = own_names(pd.DataFrame({"doc_id": ["a"], **columns}))
        return "全省" in names
    assert refs(level=["provincial"]) and refs(level=["municipal"])
    assert refs(province=["广西壮族自治区"]) and refs(city=["宁波"])
    assert not refs(level=["national"]) and not refs(level=["中央"])
    # level national wins over a region column (a national plan for one province)
    assert not refs(level=["national"], region=["新疆"])
    # a missing level: the province column decides
    assert refs(level=[None], region=["新疆"])
    assert not refs(发文机关=["国务院"]) and not refs()
