"""The instruments workflow on a researcher's own corpus and codebook (tests/data/
own_instruments: ten provincial documents of 2020-2024 written for these tests in the
layouts real ones have, a .docx and a GBK .txt among them, and a two-dimension codebook
of Chinese codes, instrument x industry-chain stage)."""
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt

DATA = Path(__file__).parent / "data" / "own_instruments"


@pytest.fixture(scope="module")
def corpus():
    return bt.read_folder(DATA / "corpus", metadata=DATA / "corpus" / "metadata.csv")


@pytest.fixture(scope="module")
def clauses(corpus):
    return corpus.reshape("clause")


@pytest.fixture(scope="module")
def book():
    return bt.read_codebook(DATA / "codebook_chain.csv")


def test_codebook_codes_stay_as_written(book):
    # the file writes 供给-资金 with a hyphen: that is the code coders type and tables show
    assert "供给-资金" in book.codes()
    assert book.type_of("供给-资金") == "供给型"
    assert book.dimensions == ["工具", "产业链"]


def test_classifier_type_level_without_none_code(clauses, book):
    # a codebook without a code named none: the dictionary's 'none' (no phrase matched)
    # folds to itself at type level instead of failing
    docs = clauses.docs.set_index("doc_id")
    ids = ["sc_2021_nev_opinions#c2", "sc_2021_nev_opinions#c4", "sc_2021_nev_opinions#c9",
           "sc_2022_sme_notice#c2", "sc_2022_sme_notice#c4", "sc_2022_sme_notice#c6",
           "hn_2024_sme_measures#c3", "hn_2024_sme_measures#c14", "hn_2024_sme_measures#c7",
           "zj_2021_digital_regulation#c22", "hn_2022_digital_regulation#c15",
           "sc_2021_nev_opinions#c11"]
    codes = pd.Series(["供给-资金", "需求-政府采购", "环境-金融支持", "环境-税收优惠",
                       "需求-政府采购", "供给-资金", "供给-资金", "需求-政府采购",
                       "环境-金融支持", "无", "无", "无"], index=ids)
    assert docs.loc["sc_2021_nev_opinions#c9", "text"].startswith("第八，强化金融服务")
    units = clauses.subset(doc_id=ids)
    clf = bt.ClauseClassifier(codebook=book, level="type", reference=None, random_state=0)
    scores = clf.cross_validate(units, codes, n_splits=3)
    assert len(scores) == 3
    assert set(scores.attrs["per_code"].index) == {"供给型", "环境型", "需求型", "无"}
    assert bt.read_codebook().type_of("none") == "none"
    assert book.type_of("none") == "none"
