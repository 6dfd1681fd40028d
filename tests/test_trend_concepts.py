"""Concepts written in several ways counted once per position (term_trends and
frequencies with terms={concept: [variants]}), on the government work reports 1954-2025:
every figure is a str.count on the report texts."""
from __future__ import annotations

import warnings

import pytest

import bri_text as bt
from bri_text.errors import ParameterError

FOUR = {"四个现代化": ["四个现代化", "农业、工业、国防和科学技术的现代化",
                   "农业、工业、国防和科学技术现代化"]}
OPENING = {"改革开放": ["改革开放", "改革和开放", "改革、开放"]}


@pytest.fixture(scope="module")
def reports():
    return bt.load_work_reports()


@pytest.fixture(scope="module")
def text(reports):
    return reports.docs.set_index("year")["text"]


@pytest.fixture(scope="module")
def tokens(reports):
    return bt.tokenize(reports, progress=False)


def trends(tokens, terms):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bt.term_trends(tokens, terms, n_boot=0, fill_years=False)


def test_variants_of_a_concept_are_one_row(tokens, text):
    """The Four Modernisations: 1975 writes them only in full (全面实现农业、工业、国防和科学
    技术的现代化), 1978 and 1981 once without 的 beside 11 and 4 四个现代化; the variants do
    not overlap, so a year's count is the sum of their str.count. 改革开放 is written
    改革和开放 / 改革、开放 in 1985-87 (14 times in 1987, when 改革开放 is not yet one word)."""
    tt = trends(tokens, {**FOUR, **OPENING})
    got = tt.set_index(["group", "term"])["count"]
    for concept, forms in {**FOUR, **OPENING}.items():
        expected = {y: sum(s.count(v) for v in forms) for y, s in text.items()}
        assert {y: got[y, concept] for y in text.index} == expected
    assert got[1975, "四个现代化"] == 1 and got[1978, "四个现代化"] == 12
    assert got[1987, "改革开放"] == 14 and text[1987].count("改革开放") == 0
    first = tt.groupby("term")["first_seen"].first().to_dict()
    assert first == {"四个现代化": 1975, "改革开放": 1985}    # 1978 and 1988 as single terms
    # the long variants are split by the tokenizer: counted from the text, said in split
    assert tt.set_index(["group", "term"]).loc[(1975, "四个现代化"), "split"] == 1
    assert tt.attrs["variants"] == {**FOUR, **OPENING} and tt.attrs["terms"] == [
        "四个现代化", "改革开放"]


def test_overlapping_variants_count_once(tokens, text):
    """改革开放 holds 改革: as two rows a mention of 改革开放 is counted in both (改革's nested
    column), as one concept once: the concept's count is 改革's alone, every year. 美帝国主义
    holds 帝国主义, which is no mention of it (a word of the general dictionary): the concept
    counts each occurrence of 帝国主义 once, and count + in_words is its str.count (1964: 46
    of 48; the 2 others are in 帝国主义者 / 美帝国主义者)."""
    rows = trends(tokens, ["改革", "改革开放", "帝国主义", "美帝国主义"]).set_index(
        ["group", "term"])
    one = trends(tokens, {"改革": ["改革", "改革开放"],
                          "帝国主义": ["帝国主义", "美帝国主义"]}).set_index(["group", "term"])
    years = list(text.index)
    reform = [one.loc[(y, "改革"), "count"] for y in years]
    assert reform == [rows.loc[(y, "改革"), "count"] for y in years]
    assert sum(reform) < sum(rows.loc[(y, t), "count"] for y in years
                             for t in ("改革", "改革开放"))
    assert [one.loc[(y, "改革"), "nested"] for y in years] == [
        rows.loc[(y, "改革"), "nested"] - rows.loc[(y, "改革开放"), "count"] for y in years]
    imp = one.xs("帝国主义", level="term")
    assert (imp["count"] + imp["in_words"]).to_dict() == {y: s.count("帝国主义")
                                                          for y, s in text.items()}
    assert imp.loc[1964, "count"] == 46 == text[1964].count("帝国主义") - 2
    assert imp.loc[1964, "count"] == (rows.loc[(1964, "帝国主义"), "count"]
                                      + rows.loc[(1964, "美帝国主义"), "count"])


def test_a_split_variant_overlapping_a_token_counts_once():
    """Without the lexicons 大数据 is split into 大/数据: as rows 数据 (own token) and 大数据
    (split) are two mentions of one position; as the concept 数据 one."""
    t = bt.tokenize(["发展大数据，共享数据"], tokenizer=bt.Tokenizer(lexicon=False))
    assert t[0][:3] == ["发展", "大", "数据"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = bt.frequencies(t, terms=["数据", "大数据"])
        one = bt.frequencies(t, terms={"数据": ["数据", "大数据"]})
    assert rows.set_index("term")["count"].to_dict() == {"数据": 2, "大数据": 1}
    assert one[["term", "count", "split"]].values.tolist() == [["数据", 2, 0]]
    assert one.attrs["variants"] == {"数据": ["数据", "大数据"]}


def test_single_variants_are_the_plain_list(tokens):
    terms = ["改革开放", "对外开放", "帝国主义", "计划", "一带一路"]
    cols = ["count", "nested", "split", "in_words", "per_10k"]
    plain, concepts = trends(tokens, terms), trends(tokens, {t: [t] for t in terms})
    assert plain[cols].equals(concepts[cols])
    assert plain.attrs["variants"] is None


@pytest.mark.slow   # 2-3 s: keeps the README's pytest near 3 minutes
def test_frequencies_count_concepts_as_term_trends(tokens):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = bt.frequencies(tokens, by="year", terms={**FOUR, **OPENING})
    tt = trends(tokens, {**FOUR, **OPENING})
    assert (f.set_index(["group", "term"])["count"].sort_index().tolist()
            == tt.set_index(["group", "term"])["count"].sort_index().tolist())


def test_warnings_name_the_variants(tokens):
    with pytest.warns(UserWarning, match=r"\['四个現代化'\] occur in no unit"):
        trends_warn = bt.term_trends(tokens, {"四个现代化": ["四个现代化", "四个現代化"]},
                                     n_boot=0)
    assert trends_warn["count"].sum() == 41


@pytest.mark.parametrize("terms, match", [
    ({}, "terms is empty"),
    ({"四个现代化": []}, r"terms\['四个现代化'\]: terms is empty"),
    ({"改革": ["改革", "改革"]}, r"terms\['改革'\]: terms has duplicates"),
    ({"": ["改革"]}, "concept's name"),
    ({"改革": ["改 革"]}, "without whitespace"),
])
def test_bad_concepts(terms, match):
    with pytest.raises(ParameterError, match=match):
        bt.term_trends([["改革"]], terms, n_boot=0)
