"""term_trends and plot.term_trends on the government work reports, 1954-2025."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import numpy as np
import pytest

import bri_text as bt
from bri_text.errors import ParameterError

RAW = Path(__file__).resolve().parent / "data" / "government_work_reports.jsonl.gz"
TERMS = ["改革开放", "对外开放", "丝绸之路经济带", "一带一路"]
#: the years 1954-2025 with no report in the data (the data README; checked below)
GAPS = {1961, 1962, 1963, *range(1965, 1975), 1976, 1977, 1989, 1990, 1991, 1996, 2020}


@pytest.fixture(scope="module")
def par_tokens(work_reports):
    return bt.tokenize(work_reports.reshape("paragraph"), progress=False)


@pytest.fixture(scope="module")
def yearly(par_tokens):
    """Per year, paragraphs resampled within each year's one report."""
    return bt.term_trends(par_tokens, terms=TERMS, by="year", resample="unit", n_boot=300,
                          random_state=0)


def raw_first_years(term: str) -> int:
    """The first year whose raw report text (Traditional -> Simplified, line breaks and
    spaces removed) contains ``term``: reading the source, not the library."""
    import opencc

    t2s = opencc.OpenCC("t2s").convert
    years = []
    for line in gzip.decompress(RAW.read_bytes()).decode("utf-8").splitlines():
        rec = json.loads(line)
        if rec["year"] is not None and term in re.sub(r"\s", "", t2s(rec["content"])):
            years.append(int(rec["year"]))
    return min(years)


def test_when_the_terms_enter_the_reports(yearly, work_reports):
    """Read in the texts: 对外开放 first in 1981 (赵紫阳's report, section 七、坚持对外开放政策,
    three times); 改革开放 written as one word first in 1988 (the 1985-87 reports write
    改革、开放 with an enumeration comma); 丝绸之路经济带 in 2014 (提出建设丝绸之路经济带、21世纪
    海上丝绸之路的构想, twice); 一带一路 in 2015 (once: 把“一带一路”建设与区域开发开放结合起来),
    six times in 2016."""
    first = yearly.groupby("term")["first_seen"].first().to_dict()
    assert first == {"改革开放": 1988, "对外开放": 1981, "丝绸之路经济带": 2014, "一带一路": 2015}
    assert first == {t: raw_first_years(t) for t in TERMS}
    text = work_reports.docs.set_index("year")["text"]
    assert "七、坚持对外开放政策" in text[1981]
    assert "改革、开放" in text[1987] and "改革开放" not in text[1987]
    assert "提出建设丝绸之路经济带、21世纪海上丝绸之路的构想" in text[2014]
    assert "把“一带一路”建设与区域开发开放结合起来" in text[2015]
    counts = yearly.set_index(["group", "term"])["count"]
    assert counts[1981, "对外开放"] == 3 and counts[2014, "丝绸之路经济带"] == 2
    assert counts[2015, "一带一路"] == 1 and counts[2016, "一带一路"] == 6
    assert counts[1987, "改革开放"] == 0


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_counts_are_frequencies_counts(work_tokens):
    """Per year, count, nested and split equal what bt.frequencies(terms=) reports (mentions
    inside longer lexicon tokens included: 对外开放 has some, e.g. inside 高水平对外开放);
    without the split mentions they are what the matrix's frequencies count. 经济体制改革 is
    split once in 110 mentions (改革开放 was, in 改革开放高地, until the lexicon's overlap rule
    of session 38 kept the earlier term whole)."""
    terms = TERMS + ["经济体制改革"]
    with pytest.warns(UserWarning, match="经济体制改革 .* split by the tokenizer"):
        tr = bt.term_trends(work_tokens, terms=terms, n_boot=0, fill_years=False)
    cols = ["count", "nested", "split"]
    with pytest.warns(UserWarning, match="split by the tokenizer"):
        named = bt.frequencies(work_tokens, by="year", terms=terms)
    got = tr.set_index(["group", "term"])[cols].sort_index()
    assert got.equals(named.set_index(["group", "term"])[cols].sort_index()
                      .astype(got.dtypes.to_dict()))
    freq = bt.frequencies(bt.dtm(work_tokens), by="year")
    freq = freq[freq["term"].isin(terms)].set_index(["group", "term"])[["count", "nested"]]
    on_tokens = tr.assign(count=tr["count"] - tr["split"])
    got = on_tokens[on_tokens["count"] > 0].set_index(["group", "term"])[["count", "nested"]]
    assert got.sort_index().equals(freq.sort_index().astype(got.dtypes.to_dict()))
    assert tr["nested"].sum() > 0 and tr["split"].sum() == 1
    assert np.allclose(tr["per_10k"], tr["count"] / tr["n_tokens"] * 1e4)
    plain = bt.term_trends(work_tokens, terms=terms, n_boot=0, nested=False, fill_years=False)
    assert (plain["count"] == tr["count"] - tr["nested"]).all()


def test_gap_years_are_rows_without_documents(yearly, work_reports):
    assert GAPS == set(range(1954, 2026)) - set(work_reports.docs["year"])
    per_year = yearly.groupby("group")[["n_docs", "per_10k"]].first()
    assert list(per_year.index) == list(range(1954, 2026))
    assert set(per_year.index[per_year["n_docs"] == 0]) == GAPS
    assert per_year.loc[sorted(GAPS), "per_10k"].isna().all()
    assert (per_year.loc[per_year["n_docs"] > 0, "n_docs"] == 1).all()


def test_intervals(yearly, par_tokens):
    """Within-document intervals per year (paragraphs resampled) contain the estimate where
    there are mentions; deterministic for a random_state; between-document intervals by
    congress, none for a congress of one report (the 3rd and 4th)."""
    seen = yearly[(yearly["count"] > 0)]
    assert (seen["interval"] == "within-document").all()
    assert ((seen["ci_low"] <= seen["per_10k"]) & (seen["per_10k"] <= seen["ci_high"])).all()
    assert (seen["ci_high"] > seen["ci_low"]).all()
    again = bt.term_trends(par_tokens, terms=TERMS, resample="unit", n_boot=300,
                           random_state=0)
    assert again[["ci_low", "ci_high"]].equals(yearly[["ci_low", "ci_high"]])
    with pytest.warns(UserWarning, match="single document"):
        tr = bt.term_trends(par_tokens, terms=TERMS, by="congress", n_boot=300, random_state=1)
    one = tr[tr["group"].isin([3, 4])]
    assert (one["interval"] == "none: one document").all() and one["ci_low"].isna().all()
    k12 = tr[(tr["group"] == 12) & (tr["term"] == "一带一路")].iloc[0]
    assert k12["interval"] == "between-document" and k12["n_docs"] == 5
    assert k12["ci_low"] < k12["per_10k"] < k12["ci_high"]


def test_bad_input(work_tokens):
    with pytest.raises(ParameterError, match="terms"):
        bt.term_trends(work_tokens, terms=[])
    with pytest.raises(ParameterError, match="whitespace"):
        bt.term_trends(work_tokens, terms=["一带 一路"])
    with pytest.raises(ParameterError, match="by"):
        bt.term_trends(work_tokens, terms=TERMS, by=None)
    with pytest.raises(ParameterError, match="n_boot"):
        bt.term_trends(work_tokens, terms=TERMS, n_boot=-1)
    with pytest.warns(UserWarning, match="no unit"):
        tr = bt.term_trends(work_tokens, terms=["一带一路", "数字丝路带"], n_boot=0)
    assert tr.loc[tr["term"] == "数字丝路带", "first_seen"].isna().all()


def test_plot_shows_gaps_on_a_year_axis(yearly, tmp_path):
    import matplotlib.pyplot as plt

    ax = bt.plot.term_trends(yearly)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"改革开放 (from 1988)", "对外开放 (from 1981)",
                          "丝绸之路经济带 (from 2014)", "一带一路 (from 2015)"}
    x = np.asarray(lines["一带一路 (from 2015)"].get_xdata(), dtype=float)
    y = np.asarray(lines["一带一路 (from 2015)"].get_ydata(), dtype=float)
    assert x.tolist() == list(range(1954, 2026))                 # a real year axis
    assert np.isnan(y[np.isin(x, sorted(GAPS))]).all()           # gaps are not joined
    assert set(ax.bri_data["group"]) == set(range(1954, 2026))
    runs = [p for p in ax.patches if p.get_gid() == "no report"]
    assert len(runs) == 6                 # 1961-63, 1965-74, 1976-77, 1989-91, 1996, 2020
    assert bt.plot.warn_missing_glyphs(ax) == set()
    ax.figure.savefig(tmp_path / "trends.png", dpi=80)
    plt.close(ax.figure)
    with pytest.raises(ParameterError, match="terms"):
        bt.plot.term_trends(yearly, terms=["不存在"])


def test_a_year_without_a_report_has_no_count_not_zero():
    """2020 has no report: its rows say <NA> mentions and n_docs 0, never "0 mentions"."""
    import warnings

    import pandas as pd

    tokens = bt.tokenize(bt.load_work_reports().subset(year=[2019, 2021]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        tr = bt.term_trends(tokens, terms=["一带一路"], n_boot=0)
    gap = tr[tr["group"] == 2020].iloc[0]
    assert gap["n_docs"] == 0 and pd.isna(gap["count"]) and pd.isna(gap["per_10k"])
    assert tr.loc[tr["group"] == 2019, "count"].iloc[0] == 5


def test_first_seen_after_a_missing_year_is_marked_censored():
    """The 2020 report (which introduced 六保) is not in the data: 六保 is first seen in
    2021, after 2019, censored, with a warning; 丝绸之路经济带 (2014, after the 2013
    report) is not censored; a term in the first year of the data is (it may be older)."""
    import warnings

    tokens = bt.tokenize(bt.load_work_reports().subset(year=list(range(2012, 2023))),
                         progress=False)
    terms = ["六保", "丝绸之路经济带", "改革开放"]
    with pytest.warns(UserWarning, match="六保 first seen 2021, after 2020 with no document"):
        tr = bt.term_trends(tokens, terms=terms, n_boot=0)
    got = tr.drop_duplicates("term").set_index("term")[
        ["first_seen", "first_seen_after", "first_seen_censored"]]
    assert got.loc["六保"].tolist() == [2021, 2019, True]
    assert got.loc["丝绸之路经济带"].tolist() == [2014, 2013, False]
    assert got.loc["改革开放"].tolist() == [2012, None, True]
    assert list(tr.columns[-3:]) == ["first_seen", "first_seen_after", "first_seen_censored"]
    with warnings.catch_warnings(record=True) as caught:   # the grid, not the rows, says
        warnings.simplefilter("always")                   # a year is missing
        plain = bt.term_trends(tokens, terms=["六保"], n_boot=0, fill_years=False)
    assert 2020 not in set(plain["group"]) and plain["first_seen_censored"].iloc[0] is True
    assert any("after 2020" in str(w.message) for w in caught)


def test_occurrences_inside_longer_words_are_reported(work_tokens, work_reports):
    """Audit s39 (trends39), finding 1. 帝国主义 in 1964 is written 48 times, 26 of them
    inside 美帝国主义 / 帝国主义者 (words of the general dictionary, not mentions of the term);
    计划 in 1955 (李富春's report on the First Five-Year Plan) 275 times, 179 of them in
    longer words: 95 in words of the general dictionary (五年计划 62, 计划供应 12 ...), which
    ``in_words`` reports, so that in every year with a report count + in_words is the raw
    text's str.count, and a warning names the words; 84 in the plans' full names
    (第一个五年计划 74 ..., lexicon terms since session 39), which hold nested mentions."""
    terms = ["帝国主义", "计划", "现代化"]
    with pytest.warns(UserWarning, match=r"帝国主义 \(57 of 179: 美帝国主义 39, 帝国主义者 16"):
        tr = bt.term_trends(work_tokens, terms=terms, n_boot=0)
    text = work_reports.docs.set_index("year")["text"]
    seen = tr[tr["n_docs"] > 0].set_index(["group", "term"])
    for term in terms:
        rows = seen.xs(term, level="term")
        assert (rows["count"] + rows["in_words"]).tolist() == \
            text.loc[rows.index].str.count(term).tolist()
    assert seen.loc[(1964, "帝国主义"), ["count", "in_words"]].tolist() == [22, 26]
    assert text[1964].count("帝国主义") == 48
    assert seen.loc[(1955, "计划"), ["count", "in_words"]].tolist() == [96 + 84, 95]
    plans = re.findall(r"第[一二三]个五年计划", text[1955])
    assert len(plans) == 84 and text[1955].count("五年计划") == 84 + 62
    # 现代化 twice in 没有现代化 (1954, a joined negation): in the column, below the warning's 5%
    assert seen.loc[(1954, "现代化"), ["count", "in_words"]].tolist() == [13, 2]
    assert "没有现代化的技术，就没有现代化的工业" in text[1954]
    # naming the longer word counts it in its own row only: the rows add up
    with pytest.warns(UserWarning, match="帝国主义者"):
        both = bt.term_trends(work_tokens, terms=["帝国主义", "美帝国主义"], n_boot=0,
                              fill_years=False)
    y1964 = both[both["group"] == 1964].set_index("term")
    assert y1964.loc["帝国主义", "count"] == 22           # unchanged: no double counting
    assert y1964.loc["美帝国主义", ["count", "in_words"]].sum() == text[1964].count("美帝国主义")
    gap = tr[tr["group"] == 2020]
    assert gap["in_words"].isna().all()


def test_eras_come_in_time_order(work_tokens, work_reports):
    """Audit s39 (trends39), finding 2: groups that are text (eras) come in the order of
    their earliest year, not of their characters, so first_seen is the first era: 阶级斗争
    is used 33 times in the 9 reports before 1978 and first seen there (0.5.x put 改革开放
    first, 改 sorting before 毛, and named it the first era of 阶级斗争)."""
    docs = work_reports.docs
    era = np.select([docs["year"] < 1978, docs["year"] < 2013], ["毛泽东时期", "改革开放"],
                    "新时代")
    tokens = work_tokens
    tokens.docs["era"] = era
    try:
        tr = bt.term_trends(tokens, terms=["阶级斗争"], by="era", n_boot=0)
    finally:
        tokens.docs.drop(columns="era", inplace=True)
    assert tr["group"].tolist() == ["毛泽东时期", "改革开放", "新时代"]
    assert tr["n_docs"].tolist() == [9, 31, 12]
    before = docs.loc[docs["year"] < 1978, "text"].str.count("阶级斗争").sum()
    assert tr["count"].tolist()[0] == before == 33
    assert tr["first_seen"].iloc[0] == "毛泽东时期"
    assert tr.attrs["group_order"] == "earliest year"


def test_the_table_records_what_made_it(work_tokens):
    """Audit s39 (trends39), finding 5: attrs name the tokens (fingerprint), the terms and
    the parameters besides the seed."""
    tr = bt.term_trends(work_tokens, terms=["一带一路"], n_boot=0)
    a = tr.attrs
    assert a["tokens_fingerprint"] == work_tokens.fingerprint
    assert a["terms"] == ["一带一路"] and a["fill_years"] is True and a["by"] == "year"


def test_plots_show_the_missing_years_and_name_the_interval(work_tokens, yearly, work_reports):
    """Audit s39 (trends39), findings 3 and 4. A table of prevalence(by="year") has no rows
    for the 20 years without a report: plot.topic_trends no longer draws a line across
    1965-1974 but breaks it and greys those years; a within-document interval (one report a
    year, resample="unit") is drawn and named, not marked "one document, no interval";
    plot.term_trends names the interval too, and its legend says that 四个现代化 (first in
    the 1978 report, not in 1975's) comes after years with no report."""
    import matplotlib.pyplot as plt
    import pandas as pd

    years = sorted(int(y) for y in work_reports.docs["year"])
    share = pd.DataFrame({"group": years, "topic": 0, "label": "改革·开放", "share": 0.1,
                          "ci_low": 0.05, "ci_high": 0.2, "n_docs": 1,
                          "interval": "within-document"})
    ax = bt.plot.topic_trends(share)
    x, y = (np.asarray(v, dtype=float) for v in ax.get_lines()[0].get_data())
    assert x.tolist() == list(range(1954, 2026))
    assert set(x[np.isnan(y)].astype(int)) == GAPS
    grey = {round(p.get_x() + 0.5) for p in ax.patches if p.get_gid() == "no document"}
    assert grey == {1961, 1965, 1976, 1989, 1996, 2020}        # the first year of each run
    assert "within-document" in ax.get_title() and "hollow" not in ax.get_title()
    assert not [ln for ln in ax.get_lines() if ln.get_markerfacecolor() == "white"]
    plt.close(ax.figure)
    no_ci = share.assign(ci_low=np.nan, ci_high=np.nan, interval="none: n_boot=0")
    ax = bt.plot.topic_trends(no_ci)
    assert "band" not in ax.get_title() and "hollow: a single document" in ax.get_title()
    plt.close(ax.figure)
    ax = bt.plot.term_trends(yearly)
    assert "within-document" in ax.get_title()
    plt.close(ax.figure)
    text = work_reports.docs.set_index("year")["text"]
    assert "四个现代化" in text[1978] and "四个现代化" not in text[1975]
    with pytest.warns(UserWarning, match="四个现代化 first seen 1978, after 1976-1977"):
        tr = bt.term_trends(work_tokens, terms=["四个现代化", "一带一路"], n_boot=0)
    ax = bt.plot.term_trends(tr)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "四个现代化 (from 1978, after a gap)", "一带一路 (from 2015)"]
    plt.close(ax.figure)


def test_the_warning_counts_every_single_document_year(work_tokens, work_reports):
    """Audit s39 (trends39), finding 6: each of the 52 years has one report; the warning
    named ten of them and said nothing of the other 42."""
    n_years = work_reports.docs["year"].nunique()
    assert n_years == len(work_reports) == 52
    with pytest.warns(UserWarning, match=r"\[1954, .*, 1978\] and 42 more \(52 in all\) "
                                         r"have a single document"):
        bt.term_trends(work_tokens, terms=["一带一路"], n_boot=10)


def test_zero_and_few_mention_intervals_count_paragraphs(yearly, work_reports):
    """Within-document intervals count the paragraphs the bootstrap draws, not tokens.
    一带一路's 40 mentions in the reports are in 35 paragraphs (str.count on the
    paragraphs), so a report without it gets [0, CP bound for 0 of its paragraphs x
    paragraphs x 40 / 35]: 2013, 79 paragraphs, 5,152 tokens: [0, 8.0] per 10k (4.1
    mentions; the token rule gave 3.7). A few mentions are no narrower than the exact
    Poisson interval of their count (2015: one mention, upper 5.57 mentions = 9.1 per
    10k); many mentions keep about the bootstrap's interval (改革开放 1992: 25 mentions,
    52.2 per 10k, the interval stays within 20% of the estimate's exact Poisson one)."""
    from scipy import stats

    text = work_reports.reshape("paragraph").docs["text"]
    mentions = text.str.count("一带一路")
    assert (mentions.sum(), (mentions > 0).sum()) == (40, 35)
    assert yearly.attrs["burst"]["一带一路"] == pytest.approx(40 / 35)
    row = yearly.query("group == 2013 and term == '一带一路'").iloc[0]
    n, T = row["n_units"], row["n_tokens"]
    assert (row["count"], n, T) == (0, 79, 5152)
    assert row["ci_high"] == pytest.approx((1 - 0.025 ** (1 / n)) * n * 40 / 35 / T * 1e4)
    assert round(row["ci_high"], 1) == 8.0 and row["ci_low"] == 0
    one = yearly.query("group == 2015 and term == '一带一路'").iloc[0]
    assert one["count"] == 1
    assert one["ci_high"] == pytest.approx(stats.gamma.ppf(0.975, 2) / one["n_tokens"] * 1e4)
    assert round(one["ci_high"], 1) == 9.1
    many = yearly.query("group == 1992 and term == '改革开放'").iloc[0]
    assert many["count"] == 25 and round(many["per_10k"], 1) == 52.2
    exact = stats.gamma.ppf([0.025, 0.975], [25, 26]) / many["n_tokens"] * 1e4
    assert many["ci_low"] <= exact[0] and many["ci_high"] >= exact[1]
    assert exact[0] * 0.8 < many["ci_low"] and many["ci_high"] < exact[1] * 1.2
