"""term_company: a term's company per period, on the government work reports 1954-2025 and
on a corpus small enough to count by hand."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bri_text as bt
from bri_text.errors import MetadataError, ParameterError
from bri_text.trends import MIN_G2

# the decades' warning (the 1960s: one report mentions 市场) is checked once, below
pytestmark = pytest.mark.filterwarnings(
    "ignore:term_company.*fewer than min_docs:UserWarning")


@pytest.fixture(scope="module")
def market_run(work_tokens):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = bt.term_company(work_tokens, "市场")
    return table, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def market(market_run):
    return market_run[0]


@pytest.fixture(scope="module")
def reform(work_tokens):
    return bt.term_company(work_tokens, "改革")


def _top(table, group):
    return table.loc[table["group"] == group, "word"].tolist()


def test_market_keeps_other_company_in_each_era(market):
    """市场 in the 1950s reports: keeping the market's prices stable (稳定市场物价); in the
    1990s: building the socialist market economy (建立社会主义市场经济体制, the longer token
    counted as a mention of 市场) and opening markets (开拓国际市场), a market 体系; in the
    2010s: the housing market and its regulation (房地产市场调控). A word common in every
    period (经济, 发展) is no period's company."""
    assert {"稳定", "物价"} <= set(_top(market, 1950)[:3])
    assert "商业部门" in _top(market, 1950)
    assert set(_top(market, 1990)[:2]) == {"建立", "开拓"}
    assert "体系" in _top(market, 1990)
    assert _top(market, 2010)[0] == "房地产" and "调控" in _top(market, 2010)[:3]
    assert not {"经济", "发展", "市场"} & set(market["word"])
    # the three eras share none of their top words
    assert not set(_top(market, 1950)) & set(_top(market, 1990))
    assert not set(_top(market, 1990)[:5]) & set(_top(market, 2010)[:5])


def test_reform_settles_into_deepening(reform):
    """改革 in the 1980s is first the reform of the economic system (经济体制); from the
    1990s on its first companion is 深化 (deepening)."""
    assert _top(reform, 1980)[0] == "经济体制"
    assert [_top(reform, d)[0] for d in (1990, 2000, 2010, 2020)] == ["深化"] * 4


def test_mentions_are_those_term_trends_counts(work_tokens, market):
    """The mentions per decade are term_trends' counts (tokens, nested, split) added up."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tr = bt.term_trends(work_tokens, ["市场"], n_boot=0, fill_years=False)
    per_decade = tr.groupby(tr["group"] // 10 * 10)["count"].sum()
    periods = market.attrs["periods"].set_index("group")
    assert periods["mentions"].to_dict() == per_decade.to_dict()
    assert market.attrs["mentions"] == int(tr["count"].sum())
    assert periods.loc[1990, "mentions"] == 176      # 41 of them inside longer tokens
    ranked = market.groupby("group")["mentions"].first()
    assert (ranked == periods.loc[ranked.index, "mentions"]).all()


def test_every_row_passes_the_thresholds(work_reports, market):
    assert (market["count"] >= 3).all() and (market["n_docs"] >= 2).all()
    assert (market["g2"] >= MIN_G2).all() and (market["log_ratio"] > 0).all()
    assert (market["count"] <= market["word_count"]).all()
    for _, rows in market.groupby("group"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
        assert rows["g2"].is_monotonic_decreasing and len(rows) <= 10
    decade_docs = (work_reports.docs["year"] // 10 * 10).value_counts()
    assert (market["n_docs"] <= market["group"].map(decade_docs)).all()


def test_few_mentions_give_no_company_but_are_listed(market):
    """The 1960s reports (1960, 1964) mention 市场 once, the 1970s (1975, 1978, 1979)
    five times in two reports: no word passes, so no rows, and the summary says why."""
    periods = market.attrs["periods"].set_index("group")
    assert periods.index.tolist() == [1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020]
    assert periods.loc[[1960, 1970], ["mentions", "docs_mentioning", "n_words"]
                       ].values.tolist() == [[1, 1, 0], [5, 2, 0]]
    assert not market["group"].isin([1960, 1970]).any()
    assert periods.loc[1980, "previous"] == 1950     # the last period with company


def test_change_between_periods(market):
    """jaccard: shared / either of two consecutive periods' top words; cosine of their G2."""
    periods = market.attrs["periods"].set_index("group")
    groups = list(dict.fromkeys(market["group"]))
    for before, after in zip(groups, groups[1:]):
        a, b = set(_top(market, before)), set(_top(market, after))
        assert periods.loc[after, "previous"] == before
        assert periods.loc[after, "jaccard"] == pytest.approx(len(a & b) / len(a | b))
        assert set(periods.loc[after, "kept"]) == a & b
        assert set(periods.loc[after, "new"]) == b - a
        assert market.loc[market["group"] == after, "jaccard"].nunique() == 1
    assert np.isnan(periods.loc[1950, "jaccard"]) and np.isnan(periods.loc[1950, "cosine"])
    assert ((periods["cosine"].dropna() > 0) & (periods["cosine"].dropna() < 1)).all()


def test_one_document_cannot_make_company(work_tokens, reform):
    """改革 in the 1950s: with min_docs=1 its first companions would be 教育 (13 times) and
    西藏 (10), each from a single report (1957's and 1959's); the default (2 documents)
    leaves them out."""
    loose = bt.term_company(work_tokens, "改革", min_docs=1)
    first = loose[loose["group"] == 1950].head(2)
    assert first[["word", "n_docs"]].values.tolist() == [["教育", 1], ["西藏", 1]]
    assert not {"教育", "西藏"} & set(_top(reform, 1950))
    assert (reform["n_docs"] >= 2).all()


def test_periods_of_one_report_have_no_company_and_say_so(work_tokens, market_run):
    """One report a year: by="year" can meet min_docs=2 nowhere, and the warning says
    which periods and what to do; the decades name the 1960s (one report mentions 市场)."""
    with pytest.warns(UserWarning, match=r"in 50 of the 50 periods that mention it .*"
                                         r"the table is empty: group the periods"):
        by_year = bt.term_company(work_tokens, "市场", by="year", top_n=3)
    assert by_year.empty and by_year.attrs["by"] == "year"
    periods = by_year.attrs["periods"]
    assert len(periods) == 52 and periods["group"].is_monotonic_increasing
    assert (periods["docs_mentioning"] <= 1).all()
    said = [m for m in market_run[1] if "fewer than min_docs" in m]
    assert len(said) == 1 and "in 1 of the 8 periods that mention it (1960: 1 document)" \
        in said[0]
    loose = bt.term_company(work_tokens, "市场", by="year", min_docs=1, top_n=3)
    assert (loose["n_docs"] == 1).all() and loose.loc[0, "group"] == 1954


def test_paragraphs_count_documents_not_paragraphs(work_reports, market):
    """Tokenized by paragraph (windows stop at a paragraph's end), n_docs still counts
    reports, and 市场's top three words per decade are those of the whole reports."""
    paragraphs = bt.tokenize(work_reports.reshape("paragraph"), progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_paragraph = bt.term_company(paragraphs, "市场")
    assert by_paragraph["n_docs"].max() <= 10
    for decade in (1950, 1990, 2010):
        assert _top(by_paragraph, decade)[:3] == _top(market, decade)[:3]
    assert (by_paragraph.attrs["periods"]["mentions"]
            == market.attrs["periods"]["mentions"]).all()


def _hand_corpus(with_undated: bool = True):
    filler = "发展农业生产。" * 6
    rows = [("a", 1955, "稳定市场物价，保障供应。" + filler),
            ("b", 1957, "稳定市场物价，发展农业。" + filler),
            ("c", 1995, "建立市场体系。" + filler),
            ("d", 1996, "建立市场体系。" + filler)]
    if with_undated:
        rows.append(("e", None, "稳定市场物价。"))
    df = pd.DataFrame(rows, columns=["doc_id", "year", "text"])
    return bt.tokenize(bt.Corpus.from_dataframe(df), progress=False)


def test_counted_by_hand():
    """Window 1: 市场's neighbours are 稳定/物价 in the 1950s (twice each, in 2 documents),
    建立/体系 in the 1990s; G2 is that of the 2x2 table window / rest of the decade."""
    t = _hand_corpus()
    assert t.tokens[0][:3] == ["稳定", "市场", "物价"]
    with pytest.warns(UserWarning, match=r"1 document has no value in 'year'.*\['e'\]"):
        c = bt.term_company(t, "市场", window=1, min_count=2)
    fifties = c[c["group"] == 1950]
    assert fifties["word"].tolist() == ["物价", "稳定"]          # tied: in word order
    assert fifties[["count", "n_docs", "word_count", "mentions"]].values.tolist() == \
        [[2, 2, 2, 2]] * 2
    rest = sum(len(x) for x in t.tokens[:2]) - 2 - 4          # not a mention, not in window
    g2 = stats.chi2_contingency([[2, 0], [2, rest]], correction=False,
                                lambda_="log-likelihood")[0]
    assert fifties["g2"].tolist() == pytest.approx([g2, g2])
    assert _top(c, 1990) == ["体系", "建立"]
    assert c.loc[c["group"] == 1990, "jaccard"].iloc[0] == 0
    assert c.attrs["n_docs_without_period"] == 1 and c.attrs["mentions_without_period"] == 1
    assert c.attrs["mentions"] == 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert bt.term_company(t, "市场", window=1, min_count=2, min_docs=3).empty


def test_deterministic_and_independent_of_document_order(work_reports, market, work_tokens):
    again = bt.term_company(work_tokens, "市场")
    pd.testing.assert_frame_equal(market, again)
    shuffled = bt.Corpus.from_dataframe(work_reports.docs.sample(frac=1, random_state=3))
    other = bt.term_company(bt.tokenize(shuffled, progress=False), "市场")
    pd.testing.assert_frame_equal(market, other)


def test_errors(work_tokens):
    with pytest.raises(ParameterError, match="'市埸' is not mentioned"):
        bt.term_company(work_tokens, "市埸")
    with pytest.raises(ParameterError, match="term must be"):
        bt.term_company(work_tokens, ["市场", "改革"])
    with pytest.raises(MetadataError, match="no metadata column 'region'"):
        bt.term_company(work_tokens, "市场", by="region")
    with pytest.raises(ParameterError, match="window"):
        bt.term_company(work_tokens, "市场", window=0)
    undated = bt.tokenize(["稳定市场物价。"], progress=False)
    with pytest.raises(MetadataError, match="year"):
        bt.term_company(undated, "市场")
    with pytest.raises(ParameterError, match="offsets"):
        bt.term_company([["稳定", "市场"]], "市场")


@pytest.fixture(scope="module")
def farming(work_tokens):
    return bt.term_company(work_tokens, "农业")


def test_top_doc_share_names_a_word_one_report_carries(farming, work_tokens):
    """The 1960s: two reports mention 农业, but 谭震林's 1960 report on the 全国农业发展纲要
    repeats the phrase; 发展 passes min_docs=2 with 56 co-occurrences, 51 of them in 1960
    (the year counted alone, min_docs=1), 全国 21 of 22."""
    sixties = farming[farming["group"] == 1960].set_index("word")
    alone = bt.term_company(work_tokens.subset(work_tokens.docs["year"].between(1960, 1969)
                                               .to_numpy()),
                            "农业", by="year", min_docs=1, min_count=1, top_n=500)
    in_1960 = alone[alone["group"] == 1960].set_index("word")["count"]
    for word in ("发展", "全国"):
        assert sixties.loc[word, "n_docs"] == 2
        assert sixties.loc[word, "top_doc_share"] == pytest.approx(
            in_1960[word] / sixties.loc[word, "count"])
    assert sixties.loc["发展", ["count", "top_doc_share"]].tolist() == [56, pytest.approx(51 / 56)]
    # a word found in one document only has share 1; none of a share under 1 / n_docs
    assert (farming["top_doc_share"] >= 1 / farming["n_docs"] - 1e-12).all()
    assert (farming["top_doc_share"] <= 1).all()


def test_split_half_baseline_of_no_change(market, work_tokens):
    """The halves of one decade's reports share little of their top 10: what no change
    looks like is far from jaccard 1. Checked apart: the 2010s' ten reports halved at
    random (another seed) and compared by term_company itself, as two periods."""
    periods = market.attrs["periods"].set_index("group")
    decades = [1980, 1990, 2000, 2010, 2020]
    base = periods.loc[decades, "split_jaccard"]
    assert base.between(0.1, 0.4).all(), base          # measured: 0.18-0.25
    assert periods.loc[decades, "split_cosine"].between(0.3, 0.8).all()
    # consecutive decades' jaccard (0.11-0.25) no lower than the baseline minus 0.15
    assert (periods.loc[decades, "jaccard"] >= base - 0.15).all()
    # 1 or 2 reports mention 市场 in the 1960s / 1970s: too few to halve (2 x min_docs)
    assert periods.loc[[1960, 1970], "split_jaccard"].isna().all()
    # the rows carry their period's baseline
    rows = market.drop_duplicates("group").set_index("group")
    assert rows.loc[decades, "split_jaccard"].tolist() == base.tolist()

    docs = work_tokens.docs
    tens = work_tokens.subset(docs["year"].between(2010, 2019).to_numpy())
    rng = np.random.default_rng(7)
    jac = []
    for _ in range(10):
        half = dict(zip(rng.permutation(tens.docs["doc_id"]), ["a", "b"] * 5))
        tens.docs = tens.docs.assign(half=tens.docs["doc_id"].map(half))
        p = bt.term_company(tens, "市场", by="half").attrs["periods"]
        jac.append(p["jaccard"].dropna().item())          # the later half's, vs the other
    assert np.median(jac) == pytest.approx(base[2010], abs=0.1)   # measured: 0.25 vs 0.25
